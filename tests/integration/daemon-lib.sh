# daemon-lib.sh: helpers shared by the daemon and notification tests
# (t5200, t5300, t5310, t5320), sourced after lib.sh.  They read the
# caller's variables when called: $SCRATCH, $MAIL_WEB, $REPRISE.

tool() {
	node "$SCRATCH/tool.js" "$@"
}

# wait_grep PATTERN FILE [SECONDS]: until a line of FILE matches (grep -E).
wait_grep() (
	set +x
	_n=$(( ${3:-60} * 10 ))
	while ! grep -q -E -e "$1" "$2" 2>/dev/null; do
		_n=$((_n - 1))
		if [ $_n -le 0 ]; then
			echo "wait_grep: no '$1' in $2 after ${3:-60} s" >&2
			tail -n 30 "$2" >&2
			exit 1
		fi
		sleep 0.1
	done
)

# wait_exit PID [SECONDS]: until PID is gone.
wait_exit() (
	set +x
	_n=$(( ${2:-60} * 10 ))
	while kill -0 "$1" 2>/dev/null; do
		_n=$((_n - 1))
		if [ $_n -le 0 ]; then
			echo "wait_exit: $1 still runs after ${2:-60} s" >&2
			exit 1
		fi
		sleep 0.1
	done
)

# wait_mail PATTERN [SECONDS]: until a mail's "DATE TO SUBJECT" matches.
wait_mail() (
	set +x
	_n=$(( ${2:-60} * 5 ))
	while ! tool subjects "$MAIL_WEB" | grep -q -E -e "$1"; do
		_n=$((_n - 1))
		if [ $_n -le 0 ]; then
			echo "wait_mail: no mail matches '$1'" >&2
			tool subjects "$MAIL_WEB" >&2
			exit 1
		fi
		sleep 0.2
	done
)

# stop_daemon NAME: SIGTERM; it must stop with exit status 0.
stop_daemon() {
	kill -TERM "$(cat "$SCRATCH/$1.pid")"
	wait_exit "$(cat "$SCRATCH/$1.pid")" 90 || return 1
	wait_grep . "$SCRATCH/$1.rc" 10 || return 1
	test "$(cat "$SCRATCH/$1.rc")" = 0 || {
		echo "daemon $1 exited with $(cat "$SCRATCH/$1.rc")" >&2
		tail -n 20 "$SCRATCH/$1.log" >&2
		return 1
	}
}

# stop_pids: SIGTERM to every background process listed in $SCRATCH/.pids
# (servers, daemons), then up to 10 s for them to go (test_cleanup's
# SIGKILL comes at exit for any that stays).
stop_pids() {
	[ -s "$SCRATCH/.pids" ] || return 0
	for _p in $(cat "$SCRATCH/.pids"); do
		kill "$_p" 2>/dev/null
	done
	_i=0
	while [ $_i -lt 100 ]; do
		_alive=
		for _p in $(cat "$SCRATCH/.pids"); do
			if kill -0 "$_p" 2>/dev/null; then
				_alive=1
			fi
		done
		[ -n "$_alive" ] || break
		sleep 0.1
		_i=$((_i + 1))
	done
}

# sim_now DIR: the clock of the daemon whose state directory is
# $SCRATCH/DIR, as it last wrote it (status.json), in Unix seconds; 0
# before it wrote any.
sim_now() {
	_ms=$(grep -o '"now_ms":[0-9]*' "$SCRATCH/$1/status.json" \
		2>/dev/null | sed 's/.*://')
	echo $(( ${_ms:-0} / 1000 ))
}

# wait_sim DIR SECONDS [REAL-SECONDS]: until that clock passed SECONDS.
wait_sim() (
	set +x
	_n=$(( ${3:-90} * 10 ))
	while [ "$(sim_now "$1")" -lt "$2" ]; do
		_n=$((_n - 1))
		if [ $_n -le 0 ]; then
			echo "wait_sim: $1 did not reach $2 (at $(sim_now "$1"))" >&2
			exit 1
		fi
		sleep 0.1
	done
)

# wait_started NAME: until daemon NAME says it started (0) or ends (1).
wait_started() (
	set +x
	_n=600
	while ! grep -q " info started: " "$SCRATCH/$1.log" 2>/dev/null; do
		if [ -s "$SCRATCH/$1.rc" ]; then
			echo "daemon $1 ended with $(cat "$SCRATCH/$1.rc"):" >&2
			cat "$SCRATCH/$1.log" >&2
			exit 1
		fi
		_n=$((_n - 1))
		if [ $_n -le 0 ]; then
			echo "daemon $1 did not start" >&2
			exit 1
		fi
		sleep 0.1
	done
)

# start_daemon NAME SPEED PLAN [OPTIONS...]: `reprise daemon` on the test
# clock ($T0, xSPEED), state $SCRATCH/$STATE (default NAME.state), stderr
# NAME.log, pid NAME.pid, exit status NAME.rc when it ends; no real sysfs
# nor /proc (the fake one is $SCRATCH/$PROC, default proc); mail to the
# test's SMTP server ($MAIL_SMTP) from $MAIL_FROM.
start_daemon() {
	_name=$1 _speed=$2 _plan=$3
	shift 3
	(
		set +x
		REPRISE_CLOCK="$T0,x$_speed" $REPRISE_WRAPPER "$REPRISE" \
			--state "$SCRATCH/${STATE:-$_name.state}" daemon \
			--plan "$_plan" --listen 127.0.0.1:0 \
			--sysfs-root "$SCRATCH/nosys" \
			--proc-root "$SCRATCH/${PROC:-proc}" \
			--smtp "smtp://127.0.0.1:$MAIL_SMTP" --smtp-tls none \
			--mail-from "${MAIL_FROM:-reprise@test.example}" "$@" \
			2>"$SCRATCH/$_name.log" &
		echo $! >"$SCRATCH/$_name.pid"
		echo $! >>"$SCRATCH/.pids"
		rc=0
		wait $! || rc=$?
		echo $rc >"$SCRATCH/$_name.rc"
	) >/dev/null 2>&1 &
	wait_started "$_name"
}
