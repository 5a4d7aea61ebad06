#!/bin/sh
# t5310-daemon-alerts: what `reprise daemon` watches besides the hardware,
# replayed with the fast test clock (REPRISE_CLOCK) and told through a real
# SMTP server (maildev 2.2.1 on 127.0.0.1, as in t5200):
#   - a service that goes down and comes back (a TCP probe): one alert, one
#     resolution, no flapping; a short outage is no alert at all;
#   - a disk filling up (a small tmpfs listed in a fake /proc/mounts): the
#     warning comes before it is full;
#   - a backup job that stops running (its repository goes away): the
#     alert comes once the newest snapshot is older than the RPO, not
#     before, and ends with the next good backup;
#   - a ping that never comes (healthchecks.io-style heartbeats): an alert
#     after period + grace, none for the heartbeat that pings;
#   - an escalation when nobody acknowledges: the call tree, step by step.
# Each case runs its own daemon with its own state directory; times are
# checked in simulated time (the daemon's log and the mails' Date), never
# in real time.
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
T0=2026-01-05T08:00:00Z
have node || test_skip_all "node is not installed (apt-get install nodejs)"
have curl || test_skip_all "curl is not installed"
[ -f "$MAILDEV" ] ||
	test_skip_all "maildev is missing: run scripts/install-test-servers.sh"

# tool.js: the node side of the test (the pattern of t5200-notify).
#   port                      a free TCP port on 127.0.0.1
#   wait WEBPORT              until maildev answers GET /email (15 s)
#   mails WEBPORT             every mail: FROM, TO, SUBJECT lines, the text
#   subjects WEBPORT          one line a mail: "DATE<tab>TO<tab>SUBJECT",
#                             DATE the Unix seconds of its Date: header
#                             (the daemon's simulated clock)
#   clear WEBPORT             DELETE /email/all
#   tcp PORT STATEFILE        a TCP service that accepts and closes; on
#                             SIGUSR1 it stops listening (connections are
#                             refused), on SIGUSR2 it listens again;
#                             STATEFILE says "up" or "down" once done
cat >"$SCRATCH/tool.js" <<'EOF'
const http = require('http'), net = require('net'), fs = require('fs');
const [cmd, a, b] = process.argv.slice(2);
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
      if (cmd === 'subjects') {
        console.log(Math.round(Date.parse(x.time) / 1000) + '\t' + to +
                    '\t' + x.subject);
        continue;
      }
      console.log('FROM ' + x.from.map(t => t.address).join(','));
      console.log('TO ' + to);
      console.log('SUBJECT ' + x.subject);
      console.log(x.text);
    }
  });
} else if (cmd === 'clear') {
  req('DELETE', '/email/all', (e) => { if (e) die(e); });
} else if (cmd === 'tcp') {
  const srv = net.createServer(s => s.end());
  const say = w => { fs.writeFileSync(b + '.tmp', w + '\n');
                     fs.renameSync(b + '.tmp', b); };
  const up = () => srv.listen(+a, '127.0.0.1', () => say('up'));
  process.on('SIGUSR1', () => srv.close(() => say('down')));
  process.on('SIGUSR2', up);
  setInterval(() => {}, 1 << 30); /* alive while not listening */
  up();
} else die('usage');
EOF

# Every background process (servers, daemons) is listed in $SCRATCH/.pids;
# at exit stop_pids (daemon-lib.sh) ends them, and the test disk goes.
stop_all() {
	stop_pids
	if [ -f "$SCRATCH/disk.mounted" ]; then
		umount "$SCRATCH/disk" 2>/dev/null ||
			umount -l "$SCRATCH/disk" 2>/dev/null
	fi
}
trap 'stop_all; test_cleanup' EXIT

# epoch TIME: an RFC 3339 time (the daemon's log) in Unix seconds.
epoch() {
	date -u -d "$1" +%s
}

# log_time NAME PATTERN: the Unix time of the first line of NAME.log that
# matches PATTERN (grep -E); fails when there is none.
log_time() {
	_l=$(grep -m 1 -E -e "$2" "$SCRATCH/$1.log") || {
		echo "log_time: no '$2' in $1.log" >&2
		return 1
	}
	epoch "${_l%% *}"
}

MAIL_FROM=reprise@alerts.example

# plan_head: the start of every plan here (people, the host srv1 that
# alerts olivia first).
plan_head() {
	cat <<-EOF
	version: 1
	language: en
	company:
	  name: Alert Test SARL
	people:
	  - id: olivia
	    name: Olivia Ops
	    roles: [it_referent]
	    email: olivia@alerts.example
	  - id: bruno
	    name: Bruno Boss
	    roles: [director]
	    email: bruno@alerts.example
	  - id: chloe
	    name: Chloe Chief
	    roles: [it_deputy]
	    email: chloe@alerts.example
	EOF
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

test_expect_success 'setup: an empty sysfs, a quiet fake /proc' '
	mkdir nosys proc
	echo "0.20 0.20 0.20 1/120 4242" >proc/loadavg
	printf "MemTotal: 4000000 kB\nMemAvailable: 3000000 kB\n" >proc/meminfo
	: >proc/mounts
'

# ---- a service goes down and comes back ----

# svc_start: the TCP service on $SVC_PORT; svc_down / svc_up: it stops
# and starts listening (at once: no process to start).
SVC_PORT=$(tool port)
export SVC_PORT
svc_start() {
	node "$SCRATCH/tool.js" tcp "$SVC_PORT" "$SCRATCH/svc.state" \
		>>"$SCRATCH/svc.log" 2>&1 &
	echo $! >"$SCRATCH/svc.pid"
	echo $! >>"$SCRATCH/.pids"
	wait_grep "^up$" "$SCRATCH/svc.state" 20
}
svc_down() {
	kill -USR1 "$(cat "$SCRATCH/svc.pid")"
	wait_grep "^down$" "$SCRATCH/svc.state" 20
}
svc_up() {
	kill -USR2 "$(cat "$SCRATCH/svc.pid")"
	wait_grep "^up$" "$SCRATCH/svc.state" 20
}

test_expect_success 'a service goes down and comes back: one alert, one resolution' '
	{
		plan_head
		cat <<-EOF
		hosts:
		  - name: srv1
		    monitoring:
		      probes: [tcp://127.0.0.1:$SVC_PORT]
		      alert: [olivia]
		services:
		  - name: crm
		    criticality: high
		    rto: 4h
		    rpo: 1d
		    hosts: [srv1]
		EOF
	} >probe.yaml
	reprise plan validate --plan probe.yaml
	svc_start
	start_daemon probe 120 probe.yaml --probe-every 30s
	s=$(sim_now probe.state)
	wait_sim probe.state $((s + 2 * 60))
	# a short outage (under the 2 minutes a probe must fail) is no alert
	svc_down
	sleep 0.4
	svc_up
	s=$(sim_now probe.state)
	wait_sim probe.state $((s + 3 * 60))
	test_grep -v "firing: tcp://" probe.log
	test "$(tool subjects $MAIL_WEB | wc -l)" = 0
	# a real outage, with a blip of less than a minute in the middle
	# (the clock is read before: svc_down polls, so it returns late)
	down=$(sim_now probe.state)
	svc_down
	wait_grep "warning alert [0-9]+ firing: tcp://127.0.0.1:$SVC_PORT" probe.log 60
	svc_up
	sleep 0.3
	svc_down
	s=$(sim_now probe.state)
	wait_sim probe.state $((s + 3 * 60))
	svc_up
	wait_grep "info alert [0-9]+ resolved: tcp://127.0.0.1:$SVC_PORT" probe.log 60
	wait_mail "RESOLVED: tcp://127.0.0.1:$SVC_PORT does not answer"
	s=$(sim_now probe.state)
	wait_sim probe.state $((s + 3 * 60))
	stop_daemon probe
	tool subjects $MAIL_WEB >subjects
	cat subjects
	test "$(wc -l <subjects)" = 2
	test_grep -E "^[0-9]+	olivia@alerts.example	\[reprise\] CRITICAL: tcp://127.0.0.1:$SVC_PORT does not answer$" subjects
	test_grep -E "^[0-9]+	olivia@alerts.example	\[reprise\] RESOLVED: tcp://127.0.0.1:$SVC_PORT does not answer$" subjects
	# (the short outage was a pending alert, cancelled: logged as
	# resolved, told to nobody)
	test "$(grep -c "firing: tcp://" probe.log)" = 1
	id=$(sed -n "s/.* alert \([0-9]*\) firing: tcp:.*/\1/p" probe.log)
	test "$(grep -c " alert $id resolved: tcp://" probe.log)" = 1
	# it fired once the probe had failed for 2 minutes, not before
	fired=$(log_time probe "firing: tcp://")
	test $((fired - down)) -ge 120
	tool mails $MAIL_WEB >mails
	test_grep -F "What it means: users can probably no longer work with this service." mails
	test_grep -F "Affected services: crm (high, RTO 4h)" mails
'

# ---- a disk fills up ----

# fill_percent: how full the test disk is, as df says.
fill_percent() {
	df -P "$SCRATCH/disk" | awk 'NR == 2 { sub(/%/, "", $5); print $5 }'
}

# fill_until_mail: writes 256 KiB every 0.2 s into the disk until the
# disk-space mail arrives (its percentage then in disk-pct) or the disk is
# full.
fill_until_mail() (
	set +e +x
	i=0
	while :; do
		if tool subjects "$MAIL_WEB" | grep -q "is filling up"; then
			fill_percent >disk-pct
			break
		fi
		if ! dd if=/dev/zero of="$SCRATCH/disk/fill.$i" bs=256k count=1 \
			2>/dev/null; then
			echo "the disk is full and no mail came" >&2
			break
		fi
		i=$((i + 1))
		sleep 0.2
	done
)

if mkdir "$SCRATCH/disk" &&
	mount -t tmpfs -o size=8m reprise-test "$SCRATCH/disk" 2>/dev/null; then
	: >"$SCRATCH/disk.mounted"
	test_expect_success 'a disk filling up is told before it is full' '
		tool clear $MAIL_WEB
		cp -r proc proc-disk
		echo "reprise-test-fs $SCRATCH/disk ext4 rw,relatime 0 0" >proc-disk/mounts
		dd if=/dev/zero of=disk/base bs=512k count=1
		{
			plan_head
			cat <<-EOF
			hosts:
			  - name: srv1
			    monitoring:
			      alert: [olivia]
			EOF
		} >disk.yaml
		PROC=proc-disk start_daemon disk 1200 disk.yaml --collect-every 1m --check-every 1d
		s=$(sim_now disk.state)
		wait_sim disk.state $((s + 20 * 60))
		test_grep -v "firing" disk.log
		fill_until_mail
		cat disk-pct
		test "$(cat disk-pct)" -lt 95
		tool subjects $MAIL_WEB >subjects
		cat subjects
		test_grep -E "	olivia@alerts.example	\[reprise\] WARNING: disk $SCRATCH/disk on srv1 is filling up$" subjects
		tool mails $MAIL_WEB >mails
		test_grep -E "Disk $SCRATCH/disk is [0-9]+% full" mails
		test_grep -F "free space or grow the disk" mails
		reprise --state disk.state status >status.out
		test_grep -E "^  #[0-9]+ firing disk-space srv1: $SCRATCH/disk: " status.out
		rm -f disk/fill.*
		wait_grep "info alert [0-9]+ resolved: srv1: $SCRATCH/disk" disk.log 60
		wait_mail "RESOLVED: disk $SCRATCH/disk on srv1 is filling up"
		stop_daemon disk
		test "$(grep -c "firing: srv1: $SCRATCH/disk" disk.log)" = 1
	'
else
	test_skip 'a disk filling up is told before it is full' \
		"cannot mount a tmpfs here"
fi

# ---- a backup job stops running ----

test_expect_success 'setup: a repository and the data of a backup job' '
	reprise -r repo init -q
	mkdir data
	printf "payroll of january\n" >data/payroll.txt
	{
		plan_head
		cat <<-EOF
		hosts:
		  - name: srv1
		    monitoring:
		      alert: [olivia]
		services:
		  - name: payroll
		    criticality: critical
		    rto: 4h
		    rpo: 2h
		    hosts: [srv1]
		repositories:
		  - name: local
		    url: $SCRATCH/repo
		    medium: disk
		jobs:
		  - name: payroll-files
		    host: srv1
		    services: [payroll]
		    sources: [$SCRATCH/data]
		    repositories: [local]
		    interval: 1h
		EOF
	} >backup.yaml
	reprise plan validate --plan backup.yaml
'

test_expect_success 'backups run every hour and the job is not stale meanwhile' '
	tool clear $MAIL_WEB
	start_daemon backup 1200 backup.yaml --collect-every 2m --check-every 1d
	wait_grep "backup payroll-files -> local: done" backup.log 60
	first=$(log_time backup "backup payroll-files -> local: started")
	wait_sim backup.state $((first + 3600 + 10 * 60))
	wait_grep "backup payroll-files -> local: done" backup.log 60
	test "$(grep -c "backup payroll-files -> local: done" backup.log)" -ge 2
	test "$(snapshot_ids repo | wc -l)" -ge 2
	tool subjects $MAIL_WEB >subjects
	cat subjects
	test_grep -v "no recent backup" subjects
	test_grep -v "firing: payroll-files" backup.log
'

test_expect_success 'the repository goes away: backup-stale fires after the RPO' '
	tool clear $MAIL_WEB
	mv repo repo.away
	wait_grep "backup payroll-files -> local: finished with exit status" backup.log 60
	wait_grep "warning alert [0-9]+ firing: payroll-files -> local: the newest snapshot of job payroll-files in local is older than its RPO" backup.log 90
	wait_mail "CRITICAL: no recent backup for payroll-files"
	# the newest good snapshot is the one of the last run "done" before
	# the first failure (the catalog dates it at the start of the run); the
	# alert came 2 h (the RPO) later, not before, and within a collect
	# interval (2 min) and a little more
	last_ok=$(awk "/-> local: started/ { s = \$1 }
		/-> local: done/ { ok = s }
		/-> local: finished with exit status/ { print ok; exit }" backup.log)
	last_ok=$(epoch "$last_ok")
	fired=$(log_time backup "firing: payroll-files -> local: the newest snapshot")
	echo "last good backup at $last_ok, alert at $fired: $((fired - last_ok)) s"
	test $((fired - last_ok)) -ge 7200
	test $((fired - last_ok)) -le $((7200 + 10 * 60))
	tool subjects $MAIL_WEB >subjects
	test_grep -E "	olivia@alerts.example	\[reprise\] CRITICAL: no recent backup for payroll-files$" subjects
	tool mails $MAIL_WEB >mails
	test_grep -F "What it means: if the server failed now, the data lost would exceed the recovery point objective (RPO)." mails
	test_grep -F "Affected services: payroll (critical, RTO 4h)" mails
	reprise --state backup.state status >status.out
	cat status.out
	test_grep -E "^  #[0-9]+ firing backup-stale payroll-files -> local: the newest snapshot" status.out
	test_grep -E "^  backup payroll-files -> local +(running|next .*failed)$" status.out
'

test_expect_success 'the repository is back: the next backup ends the alert' '
	mv repo.away repo
	wait_grep "info alert [0-9]+ resolved: payroll-files -> local" backup.log 60
	wait_mail "RESOLVED: no recent backup for payroll-files"
	stop_daemon backup
	reprise -r repo check
	test "$(grep -c "firing: payroll-files -> local: the newest" backup.log)" = 1
'

# ---- a ping that never comes ----

test_expect_success 'a heartbeat that never pings fires after period + grace; one that pings does not' '
	tool clear $MAIL_WEB
	U1=0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f1
	U2=11111111-2222-4333-8444-555555555555
	cat >beats <<-EOF
	# name uuid period grace
	nightly-dump $U1 1h 10m
	hourly-sync $U2 10m 5m
	EOF
	{
		plan_head
		cat <<-EOF
		hosts:
		  - name: srv1
		    monitoring:
		      alert: [olivia]
		EOF
	} >ping.yaml
	start_daemon ping 1200 ping.yaml --collect-every 1m --check-every 1d --heartbeats-file beats
	port=$(sed -n "s/.*info listening on .*(port \([0-9]*\)).*/\1/p" ping.log)
	started=$(log_time ping " info started: ")
	curl -sS -o ping.out -w "%{http_code}\n" "http://127.0.0.1:$port/ping/$U2" >code
	test "$(cat code)" = 200
	curl -sS -o /dev/null -w "%{http_code}\n" "http://127.0.0.1:$port/ping/99999999-2222-4333-8444-555555555555" >code
	test "$(cat code)" = 404
	curl -sS -o /dev/null -w "%{http_code}\n" "http://127.0.0.1:$port/ping/not-a-uuid" >code
	test "$(cat code)" = 400
	# hourly-sync pings every 5 simulated minutes (0.25 s)
	(
		set +x +e
		while [ ! -e ping.stop ]; do
			curl -s -o /dev/null "http://127.0.0.1:$port/ping/$U2"
			sleep 0.25
		done
	) &
	wait_grep "warning alert [0-9]+ firing: nightly-dump: it never reported" ping.log 60
	wait_mail "CRITICAL: nightly-dump did not check in"
	fired=$(log_time ping "firing: nightly-dump")
	echo "alert $((fired - started)) s after the start"
	test $((fired - started)) -ge $((70 * 60))
	test $((fired - started)) -le $((80 * 60))
	# the late dump reports at last: the alert ends
	curl -sS -X POST --data "dump ok, 3.2 GB" "http://127.0.0.1:$port/ping/$U1" >ping.out
	test "$(cat ping.out)" = OK
	wait_grep "info alert [0-9]+ resolved: nightly-dump" ping.log 60
	wait_mail "RESOLVED: nightly-dump did not check in"
	touch ping.stop
	reprise --state ping.state status --json >status.json
	test_grep "\"name\":\"hourly-sync\",\"down\":false" status.json
	test_grep "\"name\":\"nightly-dump\",\"down\":false" status.json
	stop_daemon ping
	test_grep -v "firing: hourly-sync" ping.log
	tool subjects $MAIL_WEB >subjects
	cat subjects
	test "$(wc -l <subjects)" = 2
	tool mails $MAIL_WEB >mails
	test_grep -F "What it means: the watched job may have failed silently." mails
'

if have sqlite3; then
	test_expect_success 'the pings are kept in the catalog (ping.h)' '
		sqlite3 ping.state/catalog.db "SELECT check_id, kind FROM ping" >pings
		cat pings
		test_grep 0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f1 pings
		test_grep 11111111-2222-4333-8444-555555555555 pings
	'
else
	test_skip 'the pings are kept in the catalog (ping.h)' "no sqlite3"
fi

# ---- restarts ----

# rfc3339 SECONDS: Unix seconds as the test clock takes them.
rfc3339() {
	date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ
}

# A daemon restarts (an upgrade, a reboot): what it knew of the world must
# not start again from zero, or a daemon restarted more often than a
# period never warns.  The second daemon's clock starts where the first
# one stopped.
test_expect_success 'a restart remembers the last ping: an overdue heartbeat fires on time' '
	U4=44444444-2222-4333-8444-555555555555
	echo "weekly-export $U4 1h 10m" >beats-restart
	start_daemon beat1 2400 ping.yaml --collect-every 1m --check-every 1d --heartbeats-file beats-restart
	port=$(sed -n "s/.*info listening on .*(port \([0-9]*\)).*/\1/p" beat1.log)
	pinged=$(sim_now beat1.state)
	curl -sS "http://127.0.0.1:$port/ping/$U4" >ping.out
	test "$(cat ping.out)" = OK
	wait_sim beat1.state $((pinged + 40 * 60))
	stop_daemon beat1
	stopped=$(sim_now beat1.state)
	(
		T0=$(rfc3339 $stopped)
		STATE=beat1.state start_daemon beat2 2400 ping.yaml --collect-every 1m --check-every 1d --heartbeats-file beats-restart
	)
	wait_grep "warning alert [0-9]+ firing: weekly-export" beat2.log 60
	fired=$(log_time beat2 "firing: weekly-export")
	stop_daemon beat2
	echo "pinged at $pinged, restarted at $stopped, alert at $fired"
	# due 1 h 10 min after the ping (and a collect or two), not 1 h 10
	# min after the restart
	test $((fired - pinged)) -le $((76 * 60))
'

test_expect_success 'a restart remembers since when a job has no snapshot' '
	{
		plan_head
		cat <<-EOF
		hosts:
		  - name: srv1
		    monitoring:
		      alert: [olivia]
		services:
		  - name: archive
		    criticality: medium
		    rto: 1d
		    rpo: 2h
		    hosts: [srv1]
		repositories:
		  - name: nowhere
		    url: $SCRATCH/no-such-repo
		    medium: disk
		jobs:
		  - name: archive-files
		    host: srv1
		    services: [archive]
		    sources: [$SCRATCH/data]
		    repositories: [nowhere]
		    interval: 1h
		EOF
	} >norepo.yaml
	start_daemon job1 2400 norepo.yaml --collect-every 2m --check-every 1d
	begun=$(log_time job1 " info started: ")
	wait_grep "backup archive-files -> nowhere: finished with exit status" job1.log
	wait_sim job1.state $((begun + 90 * 60))
	stop_daemon job1
	stopped=$(sim_now job1.state)
	test_grep -v "firing: archive-files" job1.log
	(
		T0=$(rfc3339 $stopped)
		STATE=job1.state start_daemon job2 2400 norepo.yaml --collect-every 2m --check-every 1d
	)
	wait_grep "warning alert [0-9]+ firing: archive-files -> nowhere" job2.log 60
	fired=$(log_time job2 "firing: archive-files -> nowhere")
	stop_daemon job2
	echo "first watched at $begun, restarted at $stopped, alert at $fired"
	# stale 2 h (the RPO) after it was first watched, not 2 h after the
	# restart
	test $((fired - begun)) -le $((2 * 3600 + 10 * 60))
'

# ---- escalation ----

test_expect_success 'nobody acknowledges: the alert climbs the call tree' '
	tool clear $MAIL_WEB
	U3=33333333-2222-4333-8444-555555555555
	echo "cron-export $U3 5m 1m" >beats-esc
	{
		plan_head
		cat <<-EOF
		hosts:
		  - name: srv1
		    monitoring:
		      alert: [olivia]
		call_tree:
		  - call: [bruno]
		    escalate_after: 10m
		  - call: [chloe]
		    escalate_after: 10m
		EOF
	} >esc.yaml
	start_daemon esc 600 esc.yaml --collect-every 1m --check-every 1d --heartbeats-file beats-esc
	wait_mail "chloe@alerts.example	.*ESCALATION" 60
	s=$(sim_now esc.state)
	wait_sim esc.state $((s + 5 * 60))
	stop_daemon esc
	tool subjects $MAIL_WEB | sort -n >subjects
	cat subjects
	test "$(wc -l <subjects)" = 3
	sed -n 1p subjects | cut -f2- >first
	sed -n 2p subjects | cut -f2- >second
	sed -n 3p subjects | cut -f2- >third
	printf "olivia@alerts.example\t[reprise] CRITICAL: cron-export did not check in\n" >expect
	test_cmp expect first
	printf "bruno@alerts.example\t[reprise] ESCALATION \342\200\224 CRITICAL: cron-export did not check in\n" >expect
	test_cmp expect second
	printf "chloe@alerts.example\t[reprise] ESCALATION \342\200\224 CRITICAL: cron-export did not check in\n" >expect
	test_cmp expect third
	# each step had its 10 minutes (and a collect interval more at most)
	t1=$(sed -n 1p subjects | cut -f1)
	t2=$(sed -n 2p subjects | cut -f1)
	t3=$(sed -n 3p subjects | cut -f1)
	test $((t2 - t1)) -ge 600
	test $((t2 - t1)) -le 720
	test $((t3 - t2)) -ge 600
	test $((t3 - t2)) -le 720
	tool mails $MAIL_WEB >mails
	test_grep -F "Nobody acknowledged it: the alert goes to step 2 of the call tree." mails
	test_grep -F "Nobody acknowledged it: the alert goes to step 3 of the call tree." mails
'

# ---- a threshold from the plan ----

test_expect_success 'a threshold in the plan lowers a sensor limit, on reload too' '
	sh "$top/scripts/mkfake-sysfs.sh" hot
	sh "$top/scripts/mkfake-sysfs.sh" -u hot cpu=70
	{
		plan_head
		cat <<-EOF
		hosts:
		  - name: srv1
		    monitoring:
		      hwmon: yes
		      alert: [olivia]
		EOF
	} >thr.yaml
	cp thr.yaml thr-low.yaml
	cat >>thr-low.yaml <<-EOF
	      thresholds:
	        - {match: "Package id *", limit: 65}
	EOF
	reprise plan validate --plan thr-low.yaml
	STATE=thr.state start_daemon thr 60 thr.yaml --sysfs-root "$SCRATCH/hot"
	# 70 °C is far from the hardware limits (max 80, crit 90): no alert
	s=$(sim_now thr.state)
	wait_sim thr.state $((s + 10 * 60))
	test_grep -v "firing: srv1: " thr.log
	cp thr-low.yaml thr.yaml
	kill -HUP "$(cat thr.pid)"
	wait_grep "alert [0-9]+ firing: srv1: CPU package \(coretemp/temp1\): CPU package at 70 °C: limit \(65 °C\) reached" thr.log 60
	wait_mail "CRITICAL: server srv1 is overheating"
	tool mails $MAIL_WEB >thr.mails
	test_grep -F "65 °C" thr.mails
	# the pattern names the package only: the core keeps its limits
	test_grep -v -F "(coretemp/temp2)" thr.log
	stop_daemon thr
'

test_done
