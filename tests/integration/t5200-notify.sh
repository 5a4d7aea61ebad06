#!/bin/sh
# t5200-notify: alert notifications really leave the machine.  E-mail goes
# through a real SMTP server, maildev 2.2.1 on 127.0.0.1 (installed by
# scripts/install-test-servers.sh into tests/node_modules), read back with
# its REST API (GET /email); webhooks go to a small receiver that records
# each POST and can answer 500 to the first N.  The sender is
# build/tests/test_notify_smtp (tests/unit/test_notify_smtp.c), which sends
# one alert through notify_alert() as the daemon does.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/daemon-lib.sh"

BIN=$(dirname "$REPRISE")/tests/test_notify_smtp
MAILDEV=$top/tests/node_modules/maildev/bin/maildev
have node || test_skip_all "node is not installed (apt-get install nodejs)"
[ -f "$MAILDEV" ] ||
	test_skip_all "maildev is missing: run scripts/install-test-servers.sh"
[ -x "$BIN" ] || test_skip_all "$BIN is not built (make units)"

# tool.js: the node side of the test (node is there for maildev anyway).
#   port                      a free TCP port on 127.0.0.1
#   wait WEBPORT              until maildev answers GET /email (15 s)
#   mails WEBPORT             every mail: FROM, TO, SUBJECT lines, the text
#   count WEBPORT             how many mails
#   waitn WEBPORT N           until maildev holds N mails (10 s): it
#                             stores a mail a moment after its SMTP 250
#   source WEBPORT            the raw source of the first mail
#   clear WEBPORT             DELETE /email/all
#   hook PORTFILE DIR FAILN   a webhook receiver: DIR/reqN is the Nth body,
#                             DIR/typeN "METHOD content-type"; answers 500
#                             to the first FAILN requests, then 200
#   json FILE                 the webhook fields, one "key=value" a line
cat >"$SCRATCH/tool.js" <<'EOF'
const http = require('http'), net = require('net'), fs = require('fs');
const path = require('path');
const [cmd, a, b, c] = process.argv.slice(2);
function req(method, p, cb) {
  const r = http.request({ host: '127.0.0.1', port: +a, path: p, method },
    res => { let d = []; res.on('data', x => d.push(x));
             res.on('end', () => cb(null, res.statusCode,
                                    Buffer.concat(d).toString('utf8'))); });
  r.on('error', e => cb(e)); r.end();
}
function die(e) { console.error(String(e)); process.exit(1); }
if (cmd === 'port') {
  const s = net.createServer().listen(0, '127.0.0.1',
    () => { console.log(s.address().port); s.close(); });
} else if (cmd === 'wait') {
  const end = Date.now() + 15000;
  (function poll() {
    req('GET', '/email', (e, st) => {
      if (!e && st === 200) process.exit(0);
      if (Date.now() > end) die('maildev did not start');
      setTimeout(poll, 100);
    });
  })();
} else if (cmd === 'waitn') {
  const end = Date.now() + 10000;
  (function poll() {
    req('GET', '/email', (e, st, body) => {
      if (!e && st === 200 && JSON.parse(body).length >= +b) process.exit(0);
      if (Date.now() > end) die('maildev holds fewer than ' + b + ' mails');
      setTimeout(poll, 50);
    });
  })();
} else if (cmd === 'mails' || cmd === 'count' || cmd === 'source') {
  req('GET', '/email', (e, st, body) => {
    if (e) die(e);
    const m = JSON.parse(body);
    if (cmd === 'count') return console.log(m.length);
    if (cmd === 'source')
      return req('GET', '/email/' + m[0].id + '/source',
                 (e2, st2, src) => { if (e2) die(e2); process.stdout.write(src); });
    for (const x of m) {
      console.log('FROM ' + x.from.map(t => t.address).join(','));
      console.log('TO ' + x.to.map(t => t.address).join(','));
      console.log('SUBJECT ' + x.subject);
      console.log(x.text);
    }
  });
} else if (cmd === 'clear') {
  req('DELETE', '/email/all', (e) => { if (e) die(e); });
} else if (cmd === 'hook') {
  let n = 0;
  const srv = http.createServer((q, res) => {
    const d = [];
    q.on('data', x => d.push(x));
    q.on('end', () => {
      n++;
      fs.writeFileSync(path.join(b, 'req' + n), Buffer.concat(d));
      fs.writeFileSync(path.join(b, 'type' + n),
                       q.method + ' ' + (q.headers['content-type'] || ''));
      res.writeHead(n <= +c ? 500 : 200, { 'Content-Type': 'text/plain' });
      res.end('ok');
    });
  });
  srv.listen(0, '127.0.0.1', () => {
    fs.writeFileSync(a + '.tmp', String(srv.address().port));
    fs.renameSync(a + '.tmp', a);
  });
} else if (cmd === 'json') {
  const j = JSON.parse(fs.readFileSync(a, 'utf8'));
  for (const k of Object.keys(j)) console.log(k + '=' + j[k]);
} else die('usage');
EOF

# Servers started inside a test body (a subshell) are known by the file
# $SCRATCH/.pids only.
SERVER_PIDS=
stop_servers() {
	for _p in $SERVER_PIDS $(cat "$SCRATCH/.pids" 2>/dev/null); do
		kill "$_p" 2>/dev/null
	done
	for _p in $SERVER_PIDS; do
		wait "$_p" 2>/dev/null
	done
	SERVER_PIDS=
	rm -f "$SCRATCH/.pids"
}
trap 'stop_servers; test_cleanup' EXIT

# start_maildev [ARGS...]: sets SMTP_PORT and WEB_PORT.
start_maildev() {
	SMTP_PORT=$(tool port)
	WEB_PORT=$(tool port)
	node "$MAILDEV" --ip 127.0.0.1 --smtp "$SMTP_PORT" --web "$WEB_PORT" \
		--silent "$@" >>"$SCRATCH/maildev.log" 2>&1 &
	MAILDEV_PID=$!
	SERVER_PIDS="$SERVER_PIDS $MAILDEV_PID"
	tool wait "$WEB_PORT"
}

# start_hook NAME FAILN: a receiver recording into $SCRATCH/NAME; sets
# HOOK_PORT.
start_hook() {
	mkdir -p "$SCRATCH/$1"
	node "$SCRATCH/tool.js" hook "$SCRATCH/$1.port" "$SCRATCH/$1" "$2" &
	echo $! >>"$SCRATCH/.pids"
	_i=0
	while [ ! -s "$SCRATCH/$1.port" ] && [ $_i -lt 150 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	HOOK_PORT=$(cat "$SCRATCH/$1.port")
}

send() {
	env REPRISE_TEST_SMTP_PORT="$SMTP_PORT" "$@" $REPRISE_WRAPPER "$BIN"
}

if ! start_maildev; then
	cat "$SCRATCH/maildev.log"
	test_skip_all "maildev does not start here"
fi
say "maildev on smtp $SMTP_PORT, web $WEB_PORT"

test_expect_success 'an alert e-mail reaches each person of the route, in French' '
	send >out 2>err
	cat out err
	test_grep -x "smtp julien@rh-partenaires.example SENT" out
	test_grep -x "smtp sophie@rh-partenaires.example SENT" out
	tool waitn $WEB_PORT 2
	test "$(tool count $WEB_PORT)" = 2
	tool mails $WEB_PORT >mails
	test_grep -x "TO julien@rh-partenaires.example" mails
	test_grep -x "TO sophie@rh-partenaires.example" mails
	test_grep -x "FROM reprise@rh-partenaires.example" mails
	test_grep -x "SUBJECT \[reprise\] CRITIQUE : le serveur srv1 chauffe" mails
	test_grep -F "Le serveur srv1 chauffe : CPU à 71 °C, +1,2 °C/min ; critique (90 °C) dans environ 16 min." mails
	test_grep -F "Depuis : " mails
	test_grep -F "Services touchés : paie (critique, RTO 4h), dossiers-clients (élevée, RTO 1d)." mails
	test_grep -F "appeler l'\''hébergeur NuageSud Hébergement (+33 4 26 00 00 00), contrat NS-INFOG-2026-118" mails
	test_grep -F "reprise alert ack 7" mails
'

test_expect_success 'a person of the route without an address is skipped and named' '
	send >out 2>err
	tool waitn $WEB_PORT 4
	test_grep "claire has no e-mail address" err
	test_grep -v "claire" out
'

test_expect_success 'the message on the wire: 7-bit, RFC 2047 subject, quoted-printable, CRLF' '
	tool clear $WEB_PORT
	send REPRISE_TEST_NOTIFY=resolved >out 2>err
	tool waitn $WEB_PORT 1
	tool source $WEB_PORT >source
	cat source
	cr=$(printf "\r")
	test_grep "^Subject: =?UTF-8?B?.*?=$cr\$" source
	tool mails $WEB_PORT >mails
	test_grep -x "SUBJECT \[reprise\] RÉSOLU : le serveur srv1 chauffe" mails
	test_grep -F "Fin d'\''alerte : la situation est revenue à la normale." mails
	test_grep "^Content-Type: text/plain; charset=UTF-8" source
	test_grep "^Content-Transfer-Encoding: quoted-printable" source
	test_grep "^Message-ID: <.*@rh-partenaires.example>" source
	test_grep "^Auto-Submitted: auto-generated" source
	test_grep "^Date: [A-Z][a-z][a-z], [0-9][0-9] [A-Z][a-z][a-z] 20[0-9][0-9] " source
	test_grep -F "CPU =C3=A0 71 =C2=B0C" source
	test_grep -v "[^ -~	$cr]" source
	if grep -q -v "$cr\$" source; then false; fi
'

test_expect_success 'a plan in English gives an English message' '
	tool clear $WEB_PORT
	send REPRISE_TEST_LANG=en >out 2>err
	tool waitn $WEB_PORT 2
	tool mails $WEB_PORT >mails
	test_grep -x "SUBJECT \[reprise\] CRITICAL: server srv1 is overheating" mails
	test_grep -F "Server srv1 is overheating: CPU at 71 °C, +1.2 °C/min; critical (90 °C) in about 16 min." mails
	test_grep -F "Affected services: paie (critical, RTO 4h)" mails
	test_grep -F "call the provider NuageSud Hébergement" mails
'

test_expect_success 'a webhook gets the alert as JSON' '
	start_hook hook1 0
	send REPRISE_TEST_WEBHOOK_URL="http://127.0.0.1:$HOOK_PORT/hook/T0KEN" >out 2>err
	cat out err
	test_grep -x "webhook test-hook SENT" out
	test_grep -x "POST application/json" hook1/type1
	test_path_is_missing hook1/req2
	tool json hook1/req1 >fields
	test_grep -x "title=\[reprise\] CRITIQUE : le serveur srv1 chauffe" fields
	test_grep -x "alert=7" fields
	test_grep -x "rule=cpu-temp" fields
	test_grep -x "subject=srv1" fields
	test_grep -x "severity=critical" fields
	test_grep -x "event=firing" fields
	test_grep -x "state=firing" fields
	test_grep -F "CPU à 71 °C" fields
	test_grep "^since=20[0-9-]*T[0-9:]*Z$" fields
'

test_expect_success 'a failing webhook (500 twice, then 200) is retried' '
	start_hook hook2 2
	send REPRISE_TEST_WEBHOOK_URL="http://127.0.0.1:$HOOK_PORT/hook/T0KEN" >out 2>err
	cat out err
	test_grep -x "webhook test-hook SENT" out
	test -s hook2/req3
	test_path_is_missing hook2/req4
	cmp hook2/req1 hook2/req3
'

test_expect_success 'a webhook that keeps failing is reported, its URL never shown' '
	start_hook hook3 100
	test_must_fail 1 send REPRISE_TEST_WEBHOOK_URL="http://127.0.0.1:$HOOK_PORT/hook/T0KEN" >out 2>err
	cat out err
	test_grep -x "webhook test-hook FAILED: webhook test-hook: HTTP status 500 (after 4 attempts)" out
	test -s hook3/req4
	test_path_is_missing hook3/req5
	grep -v "^+" err >prog-err
	test_grep -v T0KEN out
	test_grep -v T0KEN prog-err
'

# the same server, now with AUTH
kill "$MAILDEV_PID"
wait "$MAILDEV_PID" 2>/dev/null
PASS='corr3ct-h0rse'
printf '%s\n' "$PASS" >"$SCRATCH/smtp-password"
printf 'wr0ng-pa55\n' >"$SCRATCH/wrong-password"
if ! start_maildev --incoming-user alert --incoming-pass "$PASS"; then
	cat "$SCRATCH/maildev.log"
	test_skip_all "maildev does not start with AUTH"
fi

test_expect_success 'AUTH with the password read from a file' '
	send REPRISE_TEST_SMTP_USER=alert REPRISE_TEST_SMTP_PASSWORD_FILE=smtp-password >out 2>err
	cat out err
	test_grep -x "smtp julien@rh-partenaires.example SENT" out
	test_grep -x "notify_email with AUTH: 0" out
	tool waitn $WEB_PORT 3
	test "$(tool count $WEB_PORT)" = 3
	grep -v "^+" err >prog-err
	test_grep -v "$PASS" out
	test_grep -v "$PASS" prog-err
'

test_expect_success 'a wrong password is an authentication error, and not shown' '
	send REPRISE_TEST_SMTP_USER=alert REPRISE_TEST_SMTP_PASSWORD_FILE=wrong-password REPRISE_TEST_EXPECT=auth >out 2>err
	cat out err
	test_grep "FAILED" out
	test "$(tool count $WEB_PORT)" = 3
	grep -v "^+" err >prog-err
	test_grep -v "wr0ng" out
	test_grep -v "wr0ng" prog-err
'

test_expect_success 'without AUTH the server refuses the mail: reported as failed' '
	send REPRISE_TEST_EXPECT=fail >out 2>err
	cat out err
	test_grep "smtp julien@rh-partenaires.example FAILED: smtp smtp://127.0.0.1:$SMTP_PORT: " out
	test "$(tool count $WEB_PORT)" = 3
'

test_expect_success 'a password is not sent in clear when TLS is not forced off' '
	send REPRISE_TEST_SMTP_USER=alert REPRISE_TEST_SMTP_PASSWORD_FILE=smtp-password REPRISE_TEST_SMTP_TLS=auto REPRISE_TEST_EXPECT=fail >out 2>err
	cat out err
	test_grep "FAILED" out
	test "$(tool count $WEB_PORT)" = 3
'

test_done
