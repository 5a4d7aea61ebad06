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
