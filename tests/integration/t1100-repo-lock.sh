#!/bin/sh
# Locks (RESTIC_FORMAT.md §12): a live exclusive-lock conflict is exit 11
# and says who holds the lock; shared locks coexist; reprise and restic
# respect each other's locks; stale locks (dead process on this host) do
# not block and 'unlock' removes them; 'unlock' keeps live locks unless
# --remove-all.
. "$(dirname "$0")/lib.sh"

# wait_for_lock REPO [N]: waits (10 s at most) until locks/ holds N files.
wait_for_lock() (
	set +x
	_n=${2:-1}
	_t=0
	while [ "$(ls "$1/locks" | wc -l)" -lt "$_n" ]; do
		_t=$((_t + 1))
		if [ $_t -gt 100 ]; then
			echo "no lock appeared in $1/locks" >&2
			return 1
		fi
		sleep 0.1
	done
)

# wait_for_file FILE: waits (10 s at most) until FILE is not empty.
wait_for_file() (
	set +x
	_t=0
	while [ ! -s "$1" ]; do
		_t=$((_t + 1))
		if [ $_t -gt 100 ]; then
			echo "$1 did not appear" >&2
			return 1
		fi
		sleep 0.1
	done
)

# wait_gone PID: waits (20 s at most) until process PID has ended.
wait_gone() (
	set +x
	_t=0
	while kill -0 "$1" 2>/dev/null; do
		_t=$((_t + 1))
		if [ $_t -gt 200 ]; then
			echo "process $1 does not end" >&2
			return 1
		fi
		sleep 0.1
	done
)

# kill_pid_file FILE: ends the process whose pid FILE holds (one we
# started), if it still runs.
kill_pid_file() {
	if [ -s "$1" ]; then
		kill "$(cat "$1")" 2>/dev/null || true
	fi
}

test_expect_success 'setup' '
	reprise -r repo init -q
	mkdir src
	printf "some data\n" >src/f
	reprise -r repo backup -q src
	test "$(ls repo/locks | wc -l)" = 0
'

# A reprise backup that holds its (shared) lock until $SCRATCH/go exists.
# It outlives the test that starts it (so later tests cannot "wait" for
# it): slow.pid is the pid of reprise itself, slow.rc its exit status once
# it ended, cmd.pid the pid of its command.
slow_backup() {
	# the slow backup of a failed test before may still be running
	if [ -s "$SCRATCH/slow.pid" ] && [ ! -s "$SCRATCH/slow.rc" ]; then
		slow_backup_done >/dev/null
	fi
	rm -f "$SCRATCH/go" "$SCRATCH/cmd.pid" "$SCRATCH/slow.rc" \
		"$SCRATCH/slow.pid"
	(
		set +x +e
		$REPRISE_WRAPPER "$REPRISE" -r repo backup \
			--stdin-from-command --stdin-filename slow -- \
			sh -c 'echo $$ >"$0/cmd.pid"
				while [ ! -e "$0/go" ] && [ -d "$0" ]; do
					sleep 0.1
				done
				echo slow data' "$SCRATCH" \
			>"$SCRATCH/slow.out" 2>"$SCRATCH/slow.err" &
		echo $! >"$SCRATCH/slow.pid"
		wait $!
		echo $? >"$SCRATCH/slow.rc"
	) >/dev/null 2>&1 &
	wait_for_file "$SCRATCH/slow.pid"
	test_kill_at_exit "$(cat "$SCRATCH/slow.pid")"
	wait_for_file "$SCRATCH/cmd.pid"
	test_kill_at_exit "$(cat "$SCRATCH/cmd.pid")"
}

# slow_backup_done: waits (20 s at most) for the slow backup to end; prints
# its exit status.
slow_backup_done() (
	set +x
	touch "$SCRATCH/go"
	_t=0
	while [ ! -s "$SCRATCH/slow.rc" ]; do
		_t=$((_t + 1))
		if [ $_t -gt 200 ]; then
			echo "the slow backup does not end" >&2
			ps -ef | grep "$(cat "$SCRATCH/slow.pid")" >&2
			return 1
		fi
		sleep 0.1
	done
	cat "$SCRATCH/slow.rc"
)

test_expect_success 'a running backup holds a shared lock' '
	slow_backup
	wait_for_file cmd.pid
	wait_for_lock repo
	test "$(ls repo/locks | wc -l)" = 1
	ls repo/locks >lock.id
'

# Regression: cmd_check turned every error of check_run but RP_ECORRUPT
# into exit 1, so a locked repository gave exit 1, not 11.
test_expect_success 'check needs an exclusive lock: exit 11 and names the holder' '
	test_must_fail 11 reprise -r repo check >out 2>err
	test_grep "lock" err
	test_grep "$(cat slow.pid)\|$(hostname)" err
'

test_expect_success 'a second backup and a restore share the lock' '
	printf "other\n" >src/g
	reprise -r repo backup -q src
	reprise -r repo restore latest --target r1 >out
	test_cmp src/g r1/src/g
'

test_expect_success 'unlock keeps the live lock' '
	reprise -r repo unlock >out
	test "$(ls repo/locks)" = "$(cat lock.id)"
'

if have restic; then
	test_expect_success 'restic respects the lock of reprise' '
		test_must_fail 1 restic -r repo check >out 2>&1
		test_grep -i "lock" out
		test "$(ls repo/locks)" = "$(cat lock.id)"
	'
fi

test_expect_success 'the slow backup finishes and removes its lock' '
	rc=$(slow_backup_done)
	cat slow.err
	test "$rc" = 0
	test "$(ls repo/locks | wc -l)" = 0
	reprise -r repo restore latest --path /slow --target r2 >out
	printf "slow data\n" >expect
	test_cmp expect r2/slow
	reprise -r repo check >out
'

test_expect_success 'a lock of a dead process on this host is stale' '
	slow_backup
	wait_for_file cmd.pid
	wait_for_lock repo
	kill -9 "$(cat slow.pid)"
	rc=$(slow_backup_done)
	test "$rc" = 137
	kill_pid_file cmd.pid
	test "$(ls repo/locks | wc -l)" = 1
	# a stale lock does not block an exclusive lock
	reprise -r repo check >out
	reprise -r repo unlock >out
	test_grep "removed 1 lock" out
	test "$(ls repo/locks | wc -l)" = 0
'

test_expect_success 'unlock --remove-all removes live locks too' '
	slow_backup
	wait_for_file cmd.pid
	wait_for_lock repo
	reprise -r repo unlock --remove-all >out
	test_grep "removed 1 lock" out
	test "$(ls repo/locks | wc -l)" = 0
	rc=$(slow_backup_done)
'

# A restic backup of standard input that holds its shared lock until we
# write to the fifo; $SCRATCH/restic.pid is the pid of restic itself.
slow_restic() {
	# a restic of a failed test before may still be finishing
	if [ -s "$SCRATCH/restic.pid" ]; then
		wait_gone "$(cat "$SCRATCH/restic.pid")"
	fi
	rm -f "$SCRATCH/in"
	mkfifo "$SCRATCH/in"
	(exec restic -r repo backup -q --stdin --stdin-filename rs \
		<"$SCRATCH/in" >"$SCRATCH/restic.out" 2>&1) &
	echo $! >"$SCRATCH/restic.pid"
	test_kill_at_exit $!
}

if have restic; then
	test_expect_success 'reprise respects the lock of a running restic' '
		slow_restic
		exec 3>in
		wait_for_lock repo
		test_must_fail 11 reprise -r repo check >out 2>err
		reprise -r repo backup -q src
		echo "from restic" >&3
		exec 3>&-
		wait "$(cat restic.pid)"
		test "$(ls repo/locks | wc -l)" = 0
		reprise -r repo check >out
		reprise -r repo restore latest --path /rs --target r3 >out
		echo "from restic" >expect
		test_cmp expect r3/rs
	'

	test_expect_success 'a restic lock of a dead process is stale for reprise' '
		slow_restic
		exec 3>in
		wait_for_lock repo
		kill -9 "$(cat restic.pid)"
		wait "$(cat restic.pid)" || true
		exec 3>&-
		test "$(ls repo/locks | wc -l)" = 1
		reprise -r repo check >out
		reprise -r repo unlock >out
		test_grep "removed 1 lock" out
		test "$(ls repo/locks | wc -l)" = 0
	'
fi

test_done
