#!/bin/sh
# An interrupted backup (SIGTERM, SIGINT, SIGHUP) stops cleanly and at
# once (within 10 s, even while it waits for input): it exits with a
# failure (not a crash), saves no snapshot, removes its lock, and leaves a
# repository that reprise and restic check without errors; the next backup
# works.
#
# Regression: while reprise waited for the output of --stdin-from-command,
# a signal only set a flag: reprise went on waiting until the command
# ended.  A silent command (pg_dump waiting on a lock, a stuck ssh) kept
# the backup, and its lock, alive.
. "$(dirname "$0")/lib.sh"

# wait_for PATH: waits (10 s at most) until PATH is not empty.
wait_for() (
	set +x
	_t=0
	while [ ! -s "$1" ]; do
		_t=$((_t + 1))
		if [ $_t -gt 100 ]; then
			echo "$1 did not appear" >&2
			exit 1
		fi
		sleep 0.1
	done
)

# repo_is_clean REPO: no lock, no temporary file, every file named as
# restic names them, and both tools find no error.
repo_is_clean() {
	test "$(ls "$1/locks" | wc -l)" = 0 || return 1
	if find "$1" -type f | grep -v '/config$' |
	   grep -v '/[0-9a-f]\{64\}$' >&2; then
		echo "unexpected files in $1" >&2
		return 1
	fi
	reprise -r "$1" check --read-data >"$SCRATCH/.check.out" || return 1
	if have restic; then
		restic -r "$1" check --read-data >"$SCRATCH/.check.out" 2>&1 ||
			return 1
	fi
}

test_expect_success 'setup' '
	reprise -r repo init -q
	mkdir src
	printf "data\n" >src/f
	reprise -r repo backup -q src
	snapshot_ids repo >snaps.before
	head -c 3000000 /dev/urandom >big
'

for sig in TERM INT HUP; do
	export sig
	test_expect_success "SIG$sig during a backup from a command" '
		rm -f cmd.pid go reprise.pid reprise.rc
		(
			set +x +e
			$REPRISE_WRAPPER "$REPRISE" -r repo backup \
				--stdin-from-command -- sh -c "cat \"\$0/big\";
				echo \$\$ >\"\$0/cmd.pid\"
				while [ ! -e \"\$0/go\" ] && [ -d \"\$0\" ]; do
					sleep 0.1
				done" \
				"$SCRATCH" >out 2>err &
			echo $! >reprise.pid
			rc=0
			wait $! || rc=$?
			echo $rc >reprise.rc
		) >/dev/null 2>&1 &
		wait_for cmd.pid
		wait_for reprise.pid
		test_kill_at_exit "$(cat reprise.pid)" "$(cat cmd.pid)"
		sleep 0.5
		kill -$sig "$(cat reprise.pid)"
		stopped=yes
		wait_for reprise.rc || stopped=no
		# let the command end, for the case reprise waits for it
		touch go
		wait_for reprise.rc
		rc=$(cat reprise.rc)
		echo "exit status $rc"
		cat err
		test "$rc" != 0
		test "$rc" != 3
		test "$rc" -lt 98
		test_grep "interrupted\|no snapshot" err
		snapshot_ids repo >snaps.after
		test_cmp snaps.before snaps.after
		repo_is_clean repo
		# it stopped at once, not when the command ended by itself
		test "$stopped" = yes
	'
done

test_expect_success 'SIGINT during a backup of standard input (a fifo)' '
	rm -f fifo reprise.pid reprise.rc
	mkfifo fifo
	(
		set +x +e
		$REPRISE_WRAPPER "$REPRISE" -r repo backup --stdin <fifo \
			>out 2>err &
		echo $! >reprise.pid
		rc=0
		wait $! || rc=$?
		echo $rc >reprise.rc
	) >/dev/null 2>&1 &
	exec 3>fifo
	cat big >&3
	wait_for reprise.pid
	test_kill_at_exit "$(cat reprise.pid)"
	# its lock is there: it is backing up, and catches signals
	t=0
	while [ "$(ls repo/locks | wc -l)" = 0 ] && [ $t -lt 100 ]; do
		sleep 0.1
		t=$((t + 1))
	done
	sleep 0.5
	kill -INT "$(cat reprise.pid)"
	stopped=yes
	wait_for reprise.rc || stopped=no
	exec 3>&-
	wait_for reprise.rc
	rc=$(cat reprise.rc)
	test "$rc" != 0
	test "$rc" -lt 98
	snapshot_ids repo >snaps.after
	test_cmp snaps.before snaps.after
	repo_is_clean repo
	test "$stopped" = yes
'

test_expect_success 'the next backup works and adds the data once' '
	reprise -r repo --json backup --stdin --stdin-filename big <big >b.json
	reprise -r repo restore latest --target r >out
	test_cmp big r/big
	repo_is_clean repo
'

test_done
