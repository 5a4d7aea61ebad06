#!/bin/sh
# t5320-daemon-life: `reprise daemon` as a service manager runs it.
#   - contrib/reprise.service is a valid systemd unit (systemd-analyze);
#   - two jobs that write one repository never run at once (the daemon's
#     log, marks written by the jobs' own commands, the catalog), while a
#     job on another repository runs alongside;
#   - `reprise status` shows what runs, what comes next (a job waiting for
#     its busy repository included), and the alerts;
#   - SIGHUP reloads the plan: a broken plan is reported and the old one
#     kept; a good one is taken, the jobs keep their rhythm, and the alert
#     of a probe the new plan no longer has ends;
#   - a second daemon on the same state directory does not run the jobs
#     a second time at once;
#   - the binary replaced under a running daemon (an upgrade): backups
#     still start;
#   - SIGTERM while a backup runs: the daemon forwards it, waits, exits 0;
#     no snapshot is half-written, the repository checks clean, and the
#     next run works;
#   - `reprise alert ack ID` stops the reminders and the escalation of that
#     alert (and of that one only);
#   - the log (stderr) is one line per event, with a time and a level.
# All of it on the fast test clock (REPRISE_CLOCK); mail goes to maildev
# 2.2.1 on 127.0.0.1 (as in t5200).
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
UNIT=$top/contrib/reprise.service
T0=2026-01-05T08:00:00Z
have node || test_skip_all "node is not installed (apt-get install nodejs)"
[ -f "$MAILDEV" ] ||
	test_skip_all "maildev is missing: run scripts/install-test-servers.sh"

# tool.js: the node side of the test (the pattern of t5200-notify).
#   port                      a free TCP port on 127.0.0.1
#   wait WEBPORT              until maildev answers GET /email (15 s)
#   subjects WEBPORT          one line a mail: "DATE<tab>TO<tab>SUBJECT",
#                             DATE the Unix seconds of its Date: header
#   clear WEBPORT             DELETE /email/all
#   slowsmtp PORT TO MS FILE  a TCP relay on PORT to port TO that waits MS
#                             milliseconds before it connects each client
#                             (a slow mail server); FILE once listening
cat >"$SCRATCH/tool.js" <<'EOF'
const http = require('http'), net = require('net');
const [cmd, a] = process.argv.slice(2);
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
} else if (cmd === 'subjects') {
  req('GET', '/email', (e, st, body) => {
    if (e) die(e);
    for (const x of JSON.parse(body))
      console.log(Math.round(Date.parse(x.time) / 1000) + '\t' +
                  x.to.map(t => t.address).join(',') + '\t' + x.subject);
  });
} else if (cmd === 'clear') {
  req('DELETE', '/email/all', (e) => { if (e) die(e); });
} else if (cmd === 'slowsmtp') {
  const [, , to, ms, file] = process.argv.slice(2);
  net.createServer(c => {
    c.pause();
    setTimeout(() => {
      const u = net.connect(+to, '127.0.0.1', () => { c.pipe(u); u.pipe(c); c.resume(); });
      u.on('error', () => c.destroy()); c.on('error', () => u.destroy());
    }, +ms);
  }).listen(+a, '127.0.0.1', () => require('fs').writeFileSync(file, 'up\n'));
} else die('usage');
EOF

# Every background process (servers, daemons) is listed in $SCRATCH/.pids;
# stop_pids (daemon-lib.sh) ends them at exit.
trap 'stop_pids; test_cleanup' EXIT

# wait_log NAME PATTERN [SECONDS]: until a line of NAME.log matches
# (grep -E); fails at once when daemon NAME has ended (NAME.rc).
wait_log() (
	set +x
	_n=$(( ${3:-60} * 10 ))
	while ! grep -q -E -e "$2" "$SCRATCH/$1.log" 2>/dev/null; do
		if [ -s "$SCRATCH/$1.rc" ]; then
			echo "daemon $1 ended with $(cat "$SCRATCH/$1.rc"):" >&2
			grep -v "^    0x\|^  [A-Z]" "$SCRATCH/$1.log" | tail -n 60 >&2
			exit 1
		fi
		_n=$((_n - 1))
		if [ $_n -le 0 ]; then
			echo "wait_log: no '$2' in $1.log after ${3:-60} s" >&2
			tail -n 30 "$SCRATCH/$1.log" >&2
			exit 1
		fi
		sleep 0.1
	done
)

# wait_count N PATTERN FILE [SECONDS]: until N lines of FILE match.
wait_count() (
	set +x
	_n=$(( ${4:-60} * 10 ))
	while [ "$(grep -c -E -e "$2" "$3" 2>/dev/null)" -lt "$1" ]; do
		_n=$((_n - 1))
		if [ $_n -le 0 ]; then
			echo "wait_count: fewer than $1 '$2' in $3" >&2
			tail -n 30 "$3" >&2
			exit 1
		fi
		sleep 0.1
	done
)

MAIL_FROM=reprise@life.example

# no_overlap LOG REPO: in the daemon's LOG, no two backups on REPO (the
# plan's repository name) are running at the same time.
no_overlap() {
	awk -v r="$2" '
		index($0, "-> " r ": started") { n++; if (n > 1) bad = 1 }
		index($0, "-> " r ": done") ||
		index($0, "-> " r ": finished") { n-- }
		END { exit bad }' "$1" || {
		echo "two backups on $2 overlap in $1:" >&2
		grep -E -e "-> $2: " "$1" >&2
		return 1
	}
}

# marks_no_overlap JOB-REGEX: in the marks left by the jobs' commands, the
# jobs matching JOB-REGEX never overlap: each START is followed by its own
# END before any other START.
marks_no_overlap() {
	grep -E "^(START|END) ($1)\$" "$SCRATCH/marks" | awk '
		$1 == "START" { if (open != "") bad = 1; open = $2 }
		$1 == "END" { if (open != $2) bad = 1; open = "" }
		END { exit bad || NR == 0 }' || {
		echo "jobs $1 overlap (or never ran):" >&2
		cat "$SCRATCH/marks" >&2
		return 1
	}
}

# ---- the mail server ----

MAIL_SMTP=$(tool port)
MAIL_WEB=$(tool port)
node "$MAILDEV" --ip 127.0.0.1 --smtp "$MAIL_SMTP" --web "$MAIL_WEB" \
	--silent >>"$SCRATCH/maildev.log" 2>&1 &
echo $! >>"$SCRATCH/.pids"
if ! tool wait "$MAIL_WEB"; then
	cat "$SCRATCH/maildev.log"
	test_skip_all "maildev does not start here"
fi
say "maildev on smtp $MAIL_SMTP, web $MAIL_WEB"
export MAIL_SMTP MAIL_WEB T0

# ---- the unit file ----

test_expect_success 'contrib/reprise.service: a simple service, reload by SIGHUP, stop by SIGTERM' '
	test -f "$UNIT"
	test_grep -x "Type=simple" "$UNIT"
	test_grep -x "ExecStart=/usr/local/bin/reprise daemon --plan /etc/reprise/plan.yaml" "$UNIT"
	test_grep -x "ExecReload=/bin/kill -HUP \$MAINPID" "$UNIT"
	test_grep -x "KillSignal=SIGTERM" "$UNIT"
	test_grep -x "TimeoutStopSec=10min" "$UNIT"
	test_grep -x "Restart=on-failure" "$UNIT"
	test_grep -x "NoNewPrivileges=yes" "$UNIT"
	test_grep -x "ProtectSystem=full" "$UNIT"
	test_grep -x "ReadWritePaths=/var/lib/reprise" "$UNIT"
	test_grep -x "StateDirectory=reprise" "$UNIT"
	test_grep -x "WantedBy=multi-user.target" "$UNIT"
'

if have systemd-analyze; then
	test_expect_success 'systemd-analyze verify finds nothing to say about the unit' '
		mkdir -p unit
		sed "s|^ExecStart=/usr/local/bin/reprise |ExecStart=$REPRISE |" \
			"$UNIT" >unit/reprise.service
		systemd-analyze verify unit/reprise.service >verify.out 2>&1
		cat verify.out
		test_grep -v . verify.out
	'
else
	test_skip 'systemd-analyze verify finds nothing to say about the unit' \
		"no systemd-analyze"
fi

# ---- setup ----

# plan_life [EXTRA-JOB-YAML]: jobs a1 and a2 write repository A, b1 writes
# B; each command leaves marks "START name" and "END name" in marks.
plan_life() {
	cat <<-EOF
	version: 1
	language: en
	company:
	  name: Life Test SARL
	people:
	  - id: olivia
	    name: Olivia Ops
	    roles: [it_referent]
	    email: olivia@life.example
	hosts:
	  - name: srv1
	    monitoring:
	      alert: [olivia]
	repositories:
	  - name: A
	    url: $SCRATCH/repoA
	    medium: disk
	  - name: B
	    url: $SCRATCH/repoB
	    medium: nas
	jobs:
	EOF
	for j in a1:A a2:A b1:B ${1:-}; do
		cat <<-EOF
		  - name: ${j%:*}
		    host: srv1
		    command: "echo START ${j%:*} >>$SCRATCH/marks; sleep 2; echo data of ${j%:*}; echo END ${j%:*} >>$SCRATCH/marks"
		    repositories: [${j#*:}]
		    interval: 1h
		EOF
	done
}

test_expect_success 'setup: repositories, plans, a quiet sysfs and /proc' '
	reprise -r repoA init -q
	reprise -r repoB init -q
	mkdir nosys proc
	echo "0.20 0.20 0.20 1/120 4242" >proc/loadavg
	printf "MemTotal: 4000000 kB\nMemAvailable: 3000000 kB\n" >proc/meminfo
	: >proc/mounts
	plan_life >life.yaml
	reprise plan validate --plan life.yaml
	cp life.yaml life.good
'

# ---- one repository, one writer ----

test_expect_success 'status shows what runs and what comes next' '
	start_daemon life 60 life.yaml --check-every 1d
	wait_grep "backup (a1|a2) -> A: started" life.log
	i=0
	while [ $i -lt 100 ]; do
		reprise --state life.state status >status.out
		if grep -q "running$" status.out; then
			break
		fi
		sleep 0.1
		i=$((i + 1))
	done
	cat status.out
	cp status.out status.running
	test_grep -x "daemon running (pid $(cat life.pid))" status.out
	test_grep -E "^  backup (a1|a2) -> A +running$" status.out
	test_grep -E "^  collect +next 2026-01-05 08:[0-9:]+ \(in .*\), last (ok|never)$" status.out
	test_grep -E "^  maintain catalog +next 2026-01-05 09:[0-9:]+ \(in .*\), last (ok|never)$" status.out
	test_grep -E "^[0-9]+ alerts? firing or pending$" status.out
	reprise --state life.state status --json >status.json
	test_grep "\"pid\":$(cat life.pid)," status.json
	test_grep -E "\"name\":\"backup b1 -(>|\\\\u003e) B\",\"kind\":\"backup\"" status.json
'

test_expect_success 'status: a job that waits for its busy repository says so' '
	cat status.running
	test_grep -E "^  backup (a1|a2) -> A +running$" status.running
	test_grep -E "^  backup (a1|a2) -> A +due now \(waiting for its repository or its turn\), last never$" status.running
	test_grep -v -F "(in -" status.running
'

test_expect_success 'two jobs on one repository never run at once; another repository does not wait' '
	wait_count 3 "backup (a1|a2|b1) -> (A|B): done" life.log 60
	reprise --state life.state status >status.out
	cat status.out life.log marks
	test_grep -E "^  backup a1 -> A +next 2026-01-05 09:[0-9:]+ \(in .*\), last ok$" status.out
	test_grep -E "^  backup a2 -> A +next 2026-01-05 09:[0-9:]+ \(in .*\), last ok$" status.out
	test_grep -E "^  backup b1 -> B +next 2026-01-05 09:[0-9:]+ \(in .*\), last ok$" status.out
	no_overlap life.log A
	# the commands themselves: a1 and a2 never interleave ...
	marks_no_overlap "a1|a2"
	# ... while b1 ran alongside the first of them
	test "$(sed -n 1p marks | cut -d" " -f1)" = START
	test "$(sed -n 2p marks | cut -d" " -f1)" = START
	test "$(snapshot_ids repoA | wc -l)" = 2
	test "$(snapshot_ids repoB | wc -l)" = 1
'

if have sqlite3; then
	test_expect_success 'the catalog agrees: the runs on A do not overlap' '
		sqlite3 life.state/catalog.db "SELECT started * 1000000000 + started_ns, finished * 1000000000 + finished_ns, result FROM run WHERE repo = '\''$SCRATCH/repoA'\'' ORDER BY started, started_ns" >runs
		cat runs
		test "$(wc -l <runs)" = 2
		test "$(cut -d"|" -f3 runs | sort -u)" = ok
		end1=$(sed -n 1p runs | cut -d"|" -f2)
		start2=$(sed -n 2p runs | cut -d"|" -f1)
		test "$start2" -ge "$end1"
	'
else
	test_skip 'the catalog agrees: the runs on A do not overlap' "no sqlite3"
fi

# ---- SIGHUP ----

test_expect_success 'SIGHUP with a broken plan: the errors are logged, the old plan kept' '
	{
		sed -n "1,/^jobs:/p" life.good
		echo "  - name: a1"
		echo "    repositories: [Z]"
		echo "    intervall: 1h"
	} >life.yaml
	test_must_fail 2 reprise plan validate --plan life.yaml
	kill -HUP "$(cat life.pid)"
	wait_grep "error the new plan has errors: keeping the old one" life.log
	test_grep -E "error .*life.yaml:[0-9]+:[0-9]+: " life.log
	kill -0 "$(cat life.pid)"
	reprise --state life.state status >status.out
	cat status.out
	test_grep -x "daemon running (pid $(cat life.pid))" status.out
	test_grep -E "^  backup a1 -> A +next 2026-01-05 09:" status.out
	test_grep -E "^  backup b1 -> B +next 2026-01-05 09:" status.out
	test_grep -v "plan reloaded" life.log
'

test_expect_success 'SIGHUP with a good plan: a new job appears and runs' '
	plan_life a3:A >life.yaml
	reprise plan validate --plan life.yaml
	kill -HUP "$(cat life.pid)"
	wait_grep "info plan reloaded: 7 tasks" life.log
	wait_grep "backup a3 -> A: done" life.log 60
	reprise --state life.state status >status.out
	cat status.out
	test_grep -E "^  backup a3 -> A +next 2026-01-05 09:" status.out
	no_overlap life.log A
	marks_no_overlap "a1|a2|a3"
'

test_expect_success 'SIGHUP keeps the rhythm: jobs that ran are not run again at once' '
	s=$(sim_now life.state)
	wait_sim life.state $((s + 5 * 60))
	cat life.log
	test "$(grep -c "backup a1 -> A: started" life.log)" = 1
	test "$(grep -c "backup b1 -> B: started" life.log)" = 1
	reprise --state life.state status >status.out
	test_grep -E "^  backup a1 -> A +next .*, last ok$" status.out
'

test_expect_success 'SIGTERM when idle: exit 0, status says it is not running' '
	stop_daemon life
	test_grep -E " info stopping: 0 tasks still running$" life.log
	test_grep -E " info stopped$" life.log
	reprise --state life.state status >status.out
	test_grep -x "daemon not running (last seen as pid $(cat life.pid))" status.out
'

# ---- what a reload takes away ----

test_expect_success 'a probe removed from the plan by SIGHUP: its alert ends' '
	port=$(tool port)
	{
		sed -n "1,/^hosts:/p" life.good
		echo "  - name: srv1"
		echo "    monitoring:"
		echo "      probes: [tcp://127.0.0.1:$port]"
		echo "      alert: [olivia]"
	} >gone.yaml
	reprise plan validate --plan gone.yaml
	start_daemon gone 600 gone.yaml --collect-every 1m --probe-every 1m --check-every 1d
	wait_grep "warning alert [0-9]+ firing: tcp://127.0.0.1:$port" gone.log
	id=$(sed -n "s/.* alert \([0-9]*\) firing: tcp:.*/\1/p" gone.log)
	# (the notification is out before the reload: see the next test)
	wait_mail "CRITICAL: tcp://127.0.0.1:$port does not answer"
	{
		sed -n "1,/^hosts:/p" life.good
		echo "  - name: srv1"
		echo "    monitoring:"
		echo "      alert: [olivia]"
	} >gone.yaml
	kill -HUP "$(cat gone.pid)"
	wait_grep "info plan reloaded" gone.log
	s=$(sim_now gone.state)
	wait_sim gone.state $((s + 30 * 60))
	reprise --state gone.state status >status.out
	cat status.out gone.log
	stop_daemon gone
	test_grep -x "0 alerts firing or pending" status.out
	test_grep "info alert $id resolved: tcp://127.0.0.1:$port" gone.log
'

test_expect_success 'SIGHUP while a notification is being sent: the mail still goes out' '
	tool clear $MAIL_WEB
	port=$(tool port)
	slow=$(tool port)
	node "$SCRATCH/tool.js" slowsmtp "$slow" "$MAIL_SMTP" 3000 slow.ready &
	echo $! >>"$SCRATCH/.pids"
	wait_grep up slow.ready 20
	{
		sed -n "1,/^hosts:/p" life.good
		echo "  - name: srv1"
		echo "    monitoring:"
		echo "      probes: [tcp://127.0.0.1:$port]"
		echo "      alert: [olivia]"
	} >hup.yaml
	start_daemon hup 600 hup.yaml --collect-every 1m --probe-every 1m --check-every 1d --smtp "smtp://127.0.0.1:$slow"
	wait_grep "warning alert [0-9]+ firing: tcp://127.0.0.1:$port" hup.log
	# the mail server takes 3 s to answer: the reload comes meanwhile
	kill -HUP "$(cat hup.pid)"
	wait_log hup "info plan reloaded"
	wait_mail "olivia@life.example	\[reprise\] CRITICAL: tcp://127.0.0.1:$port does not answer"
	kill -0 "$(cat hup.pid)"
	stop_daemon hup
	cat hup.log
	test_grep -v "AddressSanitizer" hup.log
'

# ---- one state directory, one daemon ----

test_expect_success 'a second daemon on the same state directory does not run the jobs twice' '
	: >marks
	start_daemon twice1 60 life.good --check-every 1d
	wait_grep "backup a1 -> A: started" twice1.log
	STATE=twice1.state start_daemon twice2 60 life.good --check-every 1d || :
	wait_count 3 "backup (a1|a2|b1) -> (A|B): done" twice1.log 60
	sleep 1
	stop_daemon twice1
	if kill -0 "$(cat twice2.pid)" 2>/dev/null; then stop_daemon twice2; fi
	cat twice1.log twice2.log marks
	marks_no_overlap "a1|a2"
	marks_no_overlap "b1"
	test_grep -E " error .*(already|running|lock)" twice2.log
	test "$(cat twice2.rc)" != 0
'

# ---- an upgrade under a running daemon ----

# A package upgrade replaces the binary (a new file renamed over the old
# one) while the daemon runs; the daemon must go on starting its backups.
test_expect_success 'the binary is replaced while the daemon runs: backups still start' '
	mkdir -p upgbin upg-data
	cp "$REPRISE" upgbin/reprise
	printf "upgrade day\n" >upg-data/f
	cat >upg.yaml <<-EOF
	version: 1
	language: en
	company:
	  name: Life Test SARL
	hosts:
	  - name: srv1
	repositories:
	  - name: A
	    url: $SCRATCH/repoA
	    medium: disk
	jobs:
	  - name: upg
	    host: srv1
	    sources: [$SCRATCH/upg-data]
	    repositories: [A]
	    interval: 10m
	EOF
	(
		REPRISE=$SCRATCH/upgbin/reprise
		start_daemon upg 600 upg.yaml --check-every 1d --collect-every 1m
	)
	wait_grep "backup upg -> A: done" upg.log
	cp "$REPRISE" upgbin/reprise.new
	mv -f upgbin/reprise.new upgbin/reprise
	n=$(grep -c -E "backup upg -> A: " upg.log)
	wait_count $((n + 4)) "backup upg -> A: " upg.log 60
	stop_daemon upg
	cat upg.log
	test_grep -v "cannot start" upg.log
	sed -n "$((n + 1)),\$p" upg.log | grep -c "backup upg -> A: done" >n-done
	test "$(cat n-done)" -ge 2
'

# ---- SIGTERM during a backup ----

test_expect_success 'setup: a job whose dump trickles for a few seconds' '
	head -c 8388608 /dev/urandom >big
	cat >stop.yaml <<-EOF
	version: 1
	language: en
	company:
	  name: Life Test SARL
	hosts:
	  - name: srv1
	repositories:
	  - name: A
	    url: $SCRATCH/repoA
	    medium: disk
	jobs:
	  - name: dump
	    host: srv1
	    command: "echo go >$SCRATCH/dump.running; i=0; while [ \$i -lt 64 ]; do dd if=$SCRATCH/big bs=128k skip=\$i count=1 2>/dev/null || exit 1; sleep 0.05; i=\$((i + 1)); done"
	    repositories: [A]
	    interval: 1d
	EOF
	reprise plan validate --plan stop.yaml
	snapshot_ids repoA >snaps.before
'

test_expect_success 'SIGTERM while a backup runs: the daemon waits for it and exits 0' '
	STATE=stop.state start_daemon stop1 60 stop.yaml --check-every 1d
	wait_grep "backup dump -> A: started" stop1.log
	wait_grep go dump.running
	sleep 1
	kill -TERM "$(cat stop1.pid)"
	wait_exit "$(cat stop1.pid)" 90
	wait_grep . stop1.rc 10
	cat stop1.log
	test "$(cat stop1.rc)" = 0
	test_grep -E " info stopping: 1 task still running$" stop1.log
	test_grep -E " warning backup dump -> A: finished with exit status [0-9]+$" stop1.log
	test_grep -E " info stopped$" stop1.log
	test_grep -v "backup dump -> A: done" stop1.log
'

test_expect_success 'no snapshot was half-written: the repository is clean' '
	snapshot_ids repoA >snaps.after
	test_cmp snaps.before snaps.after
	test "$(ls repoA/locks | wc -l)" = 0
	reprise -r repoA check --read-data
'

if have sqlite3; then
	test_expect_success 'the catalog says the interrupted run failed (not still running)' '
		sqlite3 stop.state/catalog.db "SELECT job, result, finished IS NOT NULL FROM run" >runs
		cat runs
		test "$(cat runs)" = "dump|failed|1"
	'
else
	test_skip 'the catalog says the interrupted run failed (not still running)' \
		"no sqlite3"
fi

test_expect_success 'the next run works: the whole dump is saved; a SIGHUP meanwhile waits for it' '
	STATE=stop.state start_daemon stop2 60 stop.yaml --check-every 1d
	wait_grep "backup dump -> A: started" stop2.log
	kill -HUP "$(cat stop2.pid)"
	wait_grep "backup dump -> A: (done|finished)" stop2.log 90
	wait_log stop2 "info plan reloaded"
	stop_daemon stop2
	cat stop2.log
	test_grep "backup dump -> A: done" stop2.log
	done_at=$(grep -n "backup dump -> A: done" stop2.log | cut -d: -f1)
	reload_at=$(grep -n "info plan reloaded" stop2.log | cut -d: -f1)
	test "$reload_at" -gt "$done_at"
	test "$(grep -c "backup dump -> A: started" stop2.log)" = 1
	snapshot_ids repoA >snaps.after
	test "$(wc -l <snaps.after)" = $(($(wc -l <snaps.before) + 1))
	reprise -r repoA restore latest --tag job:dump --target out
	find out -type f >files
	test "$(wc -l <files)" = 1
	cmp big "$(cat files)"
	reprise -r repoA check
'

# ---- alert ack ----

test_expect_success 'alert ack ID: no more reminders nor escalation for that alert' '
	tool clear $MAIL_WEB
	cat >ack.yaml <<-EOF
	version: 1
	language: en
	company:
	  name: Life Test SARL
	people:
	  - id: olivia
	    name: Olivia Ops
	    roles: [it_referent]
	    email: olivia@life.example
	  - id: bruno
	    name: Bruno Boss
	    roles: [director]
	    email: bruno@life.example
	hosts:
	  - name: srv1
	    monitoring:
	      alert: [olivia]
	call_tree:
	  - call: [bruno]
	    escalate_after: 1h
	EOF
	cat >beats <<-EOF
	report-a aaaaaaaa-2222-4333-8444-555555555555 5m 1m
	report-b bbbbbbbb-2222-4333-8444-555555555555 5m 1m
	EOF
	start_daemon ack 1200 ack.yaml --collect-every 1m --check-every 1d --heartbeats-file beats
	wait_grep "alert [0-9]+ firing: report-a" ack.log
	id=$(sed -n "s/.* alert \([0-9]*\) firing: report-a:.*/\1/p" ack.log)
	REPRISE_CLOCK="$(sim_now ack.state),x1200" reprise --state ack.state alert ack "$id" --by olivia >ack.out
	cat ack.out
	test_grep -x "alert $id acknowledged: no more reminders or escalation" ack.out
	fired=$(sim_now ack.state)
	wait_grep "alert [0-9]+ firing: report-b" ack.log
	# past the escalation (1 h) and the first reminder (2 h after the
	# last notification, the escalation)
	wait_sim ack.state $((fired + 3 * 3600 + 15 * 60))
	tool subjects $MAIL_WEB | sort -n >subjects
	cat subjects
	reprise --state ack.state status >status.out
	cat status.out
	stop_daemon ack
	# report-b, not acknowledged: told, escalated to bruno, reminded
	test_grep -E "	olivia@life.example	\[reprise\] CRITICAL: report-b did not check in$" subjects
	test_grep -E "	bruno@life.example	\[reprise\] ESCALATION .* CRITICAL: report-b did not check in$" subjects
	test_grep -E "	olivia@life.example	\[reprise\] REMINDER .* CRITICAL: report-b did not check in$" subjects
	test_grep -E "	bruno@life.example	\[reprise\] REMINDER .* CRITICAL: report-b did not check in$" subjects
	# report-a, acknowledged at once: told once, and that is all
	grep "report-a" subjects >subjects.a
	test "$(wc -l <subjects.a)" = 1
	test_grep -E "	olivia@life.example	\[reprise\] CRITICAL: report-a did not check in$" subjects.a
	# acknowledged is not resolved: both still fire
	test_grep -E "^  #$id firing heartbeat report-a: " status.out
	test_grep -E "^  #[0-9]+ firing heartbeat report-b: " status.out
'

test_expect_success 'alert ack: an unknown alert, a bad ID' '
	test_must_fail 1 reprise --state ack.state alert ack 9999 2>err
	test_grep "there is no alert 9999" err
	test_must_fail 2 reprise --state ack.state alert ack abc 2>err
	test_grep "an alert ID is a number" err
'

# ---- the log ----

test_expect_success 'the log is one line per event with a time and a level, children included' '
	cat life.log stop1.log stop2.log ack.log >all.log
	grep -v -E "^2026-01-05T[0-9]{2}:[0-9]{2}:[0-9]{2}Z (debug|info|warning|error) " all.log >bad || :
	cat bad
	test_grep -v . bad
'

test_done
