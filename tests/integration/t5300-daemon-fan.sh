#!/bin/sh
# t5300-daemon-fan: `reprise daemon` replays a fan failure on a fake sysfs
# tree (scripts/mkfake-sysfs.sh) with the fast test clock (REPRISE_CLOCK,
# x60: one simulated minute per real second).  The CPU fan stops and the
# temperature rises 1 °C per simulated minute from 55 °C towards its
# critical point, 90 °C; the warning that names the cooling failure must
# reach a real SMTP server (maildev 2.2.1 on 127.0.0.1, as in t5200) and a
# local webhook receiver at least 20 simulated minutes before 90 °C, i.e.
# while the temperature written to the tree is still at most 70 °C.  Then
# the fan is repaired: one resolution, no repeat.
#
# The temperature is computed from the real time elapsed since the fan
# stopped (times the clock's speed), not stepped by sleeps, so the slope
# seen by the daemon is 1 °C per simulated minute however slow the machine
# is (ASan); the test records the temperature it last wrote when the mail
# first shows up: an upper bound of what the daemon saw when it warned.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/daemon-lib.sh"

# The daemon starts its jobs from its own executable file: the tests run a
# private copy, so that a rebuild of the binary while they run (another
# make in the same tree) does not pull it from under the daemon (t5320
# tests that case on purpose: see "the binary is replaced").
mkdir -p "$SCRATCH/bin" && cp "$REPRISE" "$SCRATCH/bin/reprise" ||
	exit 1
REPRISE=$SCRATCH/bin/reprise
export REPRISE

MAILDEV=$top/tests/node_modules/maildev/bin/maildev
MKFAKE=$top/scripts/mkfake-sysfs.sh
SPEED=60
have node || test_skip_all "node is not installed (apt-get install nodejs)"
[ -f "$MAILDEV" ] ||
	test_skip_all "maildev is missing: run scripts/install-test-servers.sh"

# tool.js: the node side of the test (the pattern of t5200-notify).
#   port                      a free TCP port on 127.0.0.1
#   wait WEBPORT              until maildev answers GET /email (15 s)
#   mails WEBPORT             every mail: FROM, TO, SUBJECT lines, the text
#   subjects WEBPORT          one line a mail: "TO<tab>SUBJECT"
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
} else if (cmd === 'mails' || cmd === 'subjects') {
  req('GET', '/email', (e, st, body) => {
    if (e) die(e);
    const m = JSON.parse(body);
    for (const x of m) {
      const to = x.to.map(t => t.address).join(',');
      if (cmd === 'subjects') { console.log(to + '\t' + x.subject); continue; }
      console.log('FROM ' + x.from.map(t => t.address).join(','));
      console.log('TO ' + to);
      console.log('SUBJECT ' + x.subject);
      console.log(x.text);
    }
  });
} else if (cmd === 'hook') {
  let n = 0;
  const srv = http.createServer((q, res) => {
    const d = [];
    q.on('data', x => d.push(x));
    q.on('end', () => {
      n++;
      fs.writeFileSync(path.join(b, 'req' + n + '.tmp'), Buffer.concat(d));
      fs.renameSync(path.join(b, 'req' + n + '.tmp'), path.join(b, 'req' + n));
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

# Every background process (servers, the daemon) is listed in
# $SCRATCH/.pids; stop_pids (daemon-lib.sh) ends them at exit.
trap 'stop_pids; test_cleanup' EXIT

now_ms() {
	date +%s%3N
}

# ---- the servers ----

MAIL_SMTP=$(tool port)
MAIL_WEB=$(tool port)
node "$MAILDEV" --ip 127.0.0.1 --smtp "$MAIL_SMTP" --web "$MAIL_WEB" \
	--silent >>"$SCRATCH/maildev.log" 2>&1 &
echo $! >>"$SCRATCH/.pids"
if ! tool wait "$MAIL_WEB"; then
	cat "$SCRATCH/maildev.log"
	test_skip_all "maildev does not start here"
fi
mkdir "$SCRATCH/hook"
node "$SCRATCH/tool.js" hook "$SCRATCH/hook.port" "$SCRATCH/hook" 0 &
echo $! >>"$SCRATCH/.pids"
_i=0
while [ ! -s "$SCRATCH/hook.port" ] && [ $_i -lt 150 ]; do
	sleep 0.1
	_i=$((_i + 1))
done
HOOK_PORT=$(cat "$SCRATCH/hook.port")
say "maildev on smtp $MAIL_SMTP, web $MAIL_WEB; webhook receiver on $HOOK_PORT"
export MAIL_SMTP MAIL_WEB HOOK_PORT MKFAKE SPEED

test_expect_success 'setup: plan, fake sysfs and proc, webhook' '
	cat >plan.yaml <<-EOF
	version: 1
	language: en
	company:
	  name: Fan Test SARL
	people:
	  - id: olivia
	    name: Olivia Ops
	    roles: [it_referent]
	    email: olivia@fan.example
	  - id: bruno
	    name: Bruno Boss
	    roles: [director]
	    email: bruno@fan.example
	hosts:
	  - name: srv1
	    description: the application server
	    monitoring:
	      hwmon: yes
	      alert: [olivia]
	services:
	  - name: payroll
	    criticality: critical
	    rto: 4h
	    rpo: 1d
	    hosts: [srv1]
	call_tree:
	  - call: [bruno]
	    escalate_after: 2h
	EOF
	reprise plan validate --plan plan.yaml
	"$MKFAKE" fake
	mkdir proc
	echo "0.20 0.20 0.20 1/120 4242" >proc/loadavg
	printf "MemTotal: 4000000 kB\nMemAvailable: 3000000 kB\n" >proc/meminfo
	: >proc/mounts
	echo "chat http://127.0.0.1:$HOOK_PORT/hooks/S3CRET" >hooks
'

test_expect_success 'the daemon starts and, while the fan turns, warns nobody' '
	(
		set +x
		REPRISE_CLOCK="2026-01-05T08:00:00Z,x$SPEED" \
		$REPRISE_WRAPPER "$REPRISE" --state st daemon --plan plan.yaml \
			--sysfs-root fake --proc-root proc \
			--listen 127.0.0.1:0 \
			--smtp "smtp://127.0.0.1:$MAIL_SMTP" --smtp-tls none \
			--mail-from reprise@fan.example --webhooks-file hooks \
			2>daemon.log &
		echo $! >daemon.pid
		echo $! >>"$SCRATCH/.pids"
		rc=0
		wait $! || rc=$?
		echo $rc >daemon.rc
	) >/dev/null 2>&1 &
	wait_grep " info started: plan plan.yaml" daemon.log
	test_grep -E "^2026-01-05T08:0[0-9]:[0-9]{2}Z info listening on 127.0.0.1:0 \(port [0-9]+\)" daemon.log
	wait_sim st "$(date -u -d 2026-01-05T08:05:00Z +%s)"
	reprise --state st status >status.out
	cat status.out
	test_grep "^daemon running (pid $(cat daemon.pid))" status.out
	test_grep -E "^  collect +next 2026-01-05 08:" status.out
	test_grep -x "0 alerts firing or pending" status.out
	test "$(tool subjects $MAIL_WEB | wc -l)" = 0
	test_path_is_missing hook/req1
	test_grep -v "alert [0-9]* firing" daemon.log
'

# ramp: the fan has stopped; raises the temperature 1 °C per simulated
# minute from 55 °C; writes into mail-temp and hook-temp the temperature
# last written when the cooling-failure mail and webhook first show up;
# keeps the temperature alerts shown in status.json (status-texts); stops
# at 68 °C once both came (past 65 °C, where the thermal zone, critical at
# 95 °C, is 30 minutes from it too), or at 90 °C.
ramp() (
	set +e +x
	t0=$(now_ms)
	: >status-texts
	while :; do
		T=$(awk -v a="$t0" -v b="$(now_ms)" -v s="$SPEED" \
			'BEGIN { printf "%.1f", 55 + (b - a) / 1000 * s / 60 }')
		"$MKFAKE" -u fake cpu="$T"
		if [ ! -s mail-temp ] && tool subjects "$MAIL_WEB" |
			grep -q "cooling failure"; then
			echo "$T" >mail-temp
		fi
		if [ ! -s hook-temp ] &&
			grep -l -s "cooling-failure" hook/req* >/dev/null; then
			echo "$T" >hook-temp
		fi
		grep -o '"rule":"temperature","subject":"[^"]*","state":"firing","since_ms":[0-9]*,"text":"[^"]*"' \
			st/status.json >>status-texts 2>/dev/null
		if [ -s mail-temp ] && [ -s hook-temp ] &&
			awk -v t="$T" 'BEGIN { exit !(t >= 68) }'; then
			break
		fi
		if awk -v t="$T" 'BEGIN { exit !(t >= 90) }'; then
			echo "90 °C reached" >&2
			break
		fi
		sleep 0.1
	done
	echo "$T" >last-temp
)

# at_most FILE MAX: FILE holds a number <= MAX.
at_most() {
	test -s "$1" || { echo "$1 is empty: never seen" >&2; return 1; }
	awk -v t="$(cat "$1")" -v m="$2" 'BEGIN { exit !(t + 0 <= m + 0) }' ||
		{ echo "$1: $(cat "$1") > $2" >&2; return 1; }
}

test_expect_success 'the fan stops: the cooling failure is told by mail and webhook by 70 °C' '
	"$MKFAKE" -u fake fan=0
	ramp
	cat last-temp
	at_most mail-temp 70
	at_most hook-temp 70
'

test_expect_success 'the mail names the cooling failure, the server and what to do' '
	tool mails $MAIL_WEB >mails
	tool subjects $MAIL_WEB >subjects
	cat subjects
	test_grep -x "olivia@fan.example	\[reprise\] CRITICAL: cooling failure on srv1" subjects
	test "$(grep -c "cooling failure" subjects)" = 1
	test_grep "^FROM reprise@fan.example$" mails
	test_grep -F "CPU fan fell from 1200 to 0 RPM" mails
	test_grep -F "Affected services: payroll (critical, RTO 4h)" mails
	test_grep -F "tell the provider at once and prepare a clean shutdown" mails
	test_grep -E "reprise alert ack [0-9]+" mails
	test_grep -v "bruno@fan.example" subjects
'

test_expect_success 'the webhook got the same alert as JSON, its URL never logged' '
	f=$(grep -l "cooling-failure" hook/req* | head -n 1)
	tool json "$f" >fields
	cat fields
	test_grep -x "rule=cooling-failure" fields
	test_grep -x "event=firing" fields
	test_grep -x "severity=critical" fields
	test_grep -x "title=\[reprise\] CRITICAL: cooling failure on srv1" fields
	test_grep -F "CPU fan fell from 1200 to 0 RPM" fields
	test_grep -x "POST application/json" "$(echo "$f" | sed "s/req/type/")"
	test_grep -v S3CRET daemon.log
'

test_expect_success 'status shows the firing alerts: cooling failure and temperature' '
	reprise --state st status >status.out
	cat status.out
	test_grep -E "^  #[0-9]+ firing cooling-failure srv1: CPU fan( \([^)]*\))?: Cooling failure: CPU fan fell from 1200 to 0 RPM" status.out
	test_grep -E "^  #[0-9]+ firing temperature srv1: CPU package( \([^)]*\))?: CPU package at [0-9]+ °C, rising" status.out
	test_grep -E "warning alert [0-9]+ firing: srv1: CPU fan( \([^)]*\))?: Cooling failure" daemon.log
'

# The package has two sensors: hwmon coretemp temp1 (critical 90 °C) and
# the thermal zone x86_pkg_temp (critical trip 95 °C); both display as
# "CPU package".  Each must be judged as itself: one alert must not mix
# the limits of two sensors.
test_expect_success 'each temperature alert keeps to one sensor (one critical limit)' '
	sed "s/.*\"subject\":\"\([^\"]*\)\".*critical (\([0-9]*\) °C).*/\1|\2/" \
		status-texts | sort -u >limits
	cat limits
	test -s limits
	cut -d"|" -f1 limits | sort | uniq -d >mixed
	test_grep -v . mixed
'

test_expect_success 'the fan is repaired: one resolution, no repeat, no flapping' '
	"$MKFAKE" -u fake fan=1250 cpu=56
	wait_grep "info alert [0-9]+ resolved: srv1: CPU fan" daemon.log 60
	i=0
	while [ $i -lt 100 ]; do
		if tool subjects $MAIL_WEB | grep -q "RESOLVED: cooling failure"; then
			break
		fi
		sleep 0.2
		i=$((i + 1))
	done
	s=$(sim_now st)
	wait_sim st $((s + 5 * 60))
	tool subjects $MAIL_WEB >subjects
	cat subjects
	test_grep -x "olivia@fan.example	\[reprise\] RESOLVED: cooling failure on srv1" subjects
	test "$(grep -c "cooling failure" subjects)" = 2
	test_grep -v "REMINDER" subjects
	test_grep -v "ESCALATION" subjects
	test "$(grep -c "firing: srv1: CPU fan" daemon.log)" = 1
	test "$(grep -c "resolved: srv1: CPU fan" daemon.log)" = 1
'

test_expect_success 'SIGTERM stops the daemon cleanly (exit 0)' '
	kill -TERM "$(cat daemon.pid)"
	wait_exit "$(cat daemon.pid)"
	wait_grep . daemon.rc 10
	test "$(cat daemon.rc)" = 0
	test_grep -E "info stopped$" daemon.log
	reprise --state st status >status.out
	test_grep "^daemon not running" status.out
'

test_done
