#!/bin/sh
# Several backups at once into one repository (each under a shared lock):
# every snapshot is whole, the indexes of all of them are written, and
# reprise and restic check the repository without errors.
. "$(dirname "$0")/lib.sh"

test_expect_success 'setup: four different trees' '
	reprise -r repo init -q
	for i in 1 2 3 4; do
		mkdir "d$i"
		head -c 1500000 /dev/urandom >"d$i/own"
		seq "$i" 40000 >"d$i/text"
		head -c 700000 /dev/zero >"d$i/zeros"
	done
	# the same data in every tree: the backups race to store it
	head -c 2000000 /dev/urandom >shared
	for i in 1 2 3 4; do
		cp shared "d$i/shared"
	done
'

test_expect_success 'four backups at the same time all succeed' '
	for i in 1 2 3 4; do
		(
			set +e +x
			rc=0
			$REPRISE_WRAPPER "$REPRISE" -r repo --json backup "d$i" \
				>"b$i.json" 2>"b$i.err" || rc=$?
			echo $rc >"b$i.rc"
		) &
	done
	wait
	for i in 1 2 3 4; do
		cat "b$i.err"
		test "$(cat "b$i.rc")" = 0 || exit 1
	done
	ids=$(snapshot_ids repo)
	test "$(printf "%s\n" $ids | wc -l)" = 4
	test "$(ls repo/locks | wc -l)" = 0
'

test_expect_success 'each snapshot restores its tree' '
	for i in 1 2 3 4; do
		reprise -r repo restore latest --path "$SCRATCH/d$i" \
			--target "r$i" >out || exit 1
		tree_equal "d$i" "r$i/d$i" || exit 1
	done
'

test_expect_success 'the repository checks clean, in both tools' '
	reprise -r repo check --read-data >out
	if have restic; then
		restic -r repo check --read-data >out 2>&1
	fi
'

test_expect_success 'data raced for is stored a bounded number of times' '
	# at most 4 copies if all four raced; never more
	test "$(repo_size repo)" -lt 20000000
'

test_done
