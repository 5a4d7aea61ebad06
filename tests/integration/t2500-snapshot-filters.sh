#!/bin/sh
# Selecting snapshots: --tag (a,b = both; repeated = either), --host,
# --path, --latest N, snapshot IDs, and 'latest' under filters, with
# restic as the oracle on the same repository.
. "$(dirname "$0")/lib.sh"

have restic || test_skip_all "restic is not installed"

# ids_of FILE: the sorted snapshot IDs of a `snapshots --json` output.
ids_of() {
	grep -o '"id":"[0-9a-f]\{64\}"' "$1" | sed 's/"id":"//; s/"//' |
		LC_ALL=C sort
}

test_expect_success 'setup: snapshots with tags, hosts and paths' '
	reprise -r repo init -q
	mkdir -p d1 d2
	printf "1\n" >d1/f
	printf "2\n" >d2/f
	reprise -r repo backup -q --tag a d1
	sleep 0.01
	reprise -r repo backup -q --tag a,b d1
	sleep 0.01
	reprise -r repo backup -q --tag b,c --host other d2
	sleep 0.01
	reprise -r repo backup -q --host other d1 d2
	sleep 0.01
	reprise -r repo backup -q --tag c d2
	reprise -r repo snapshots --json >all.json
	test "$(ids_of all.json | wc -l)" = 5
'

# restic reads each --tag as one alternative (--tag a --tag c: a OR c)
# and "--tag a,c" as both.  Regression: reprise merged repeated --tag
# options into one list that must all match.
n=0
for f in "" "--tag a" "--tag a,b" "--tag b,a" "--tag a --tag c" \
	"--tag a,c" "--tag nothing" "--host other" "--host vm-none" \
	"--host other --tag b" "--path $SCRATCH/d1" "--path $SCRATCH/d2" \
	"--path $SCRATCH/d1 --path $SCRATCH/d2" "--tag c --path $SCRATCH/d2" \
	"--latest 1" "--latest 2" "--latest 1 --tag b" "--host other --latest 1"
do
	n=$((n + 1))
	export f n
	test_expect_success "snapshots $f selects as restic does" '
		reprise -r repo snapshots --json $f >mine.$n
		restic -r repo snapshots --json $f >theirs.$n 2>err
		ids_of theirs.$n >t.ids
		ids_of mine.$n >m.ids
		test_cmp t.ids m.ids
	'
done

n=0
for f in "--tag a" "--tag b" "--host other" "--path $SCRATCH/d2" \
	"--tag c --host other" "--tag a,b" "--tag a --tag b,c"; do
	n=$((n + 1))
	export f n
	test_expect_success "ls latest $f picks the snapshot restic picks" '
		restic -r repo ls latest $f >theirs 2>&1
		sed -n "s/^snapshot \([0-9a-f]\{8\}\) of .*/\1/p" theirs >t.id
		test -s t.id
		reprise -r repo restore latest $f --target "r$n" >out
		sed -n "s/^restored snapshot \([0-9a-f]\{8\}\) .*/\1/p" out >m.id
		test_cmp t.id m.id
	'
done

test_expect_success 'snapshots ID... shows those, as restic does' '
	ids_of all.json >ids
	one=$(sed -n 2p ids | cut -c1-8)
	two=$(sed -n 4p ids)
	reprise -r repo snapshots --json "$one" "$two" >mine.ids.json
	restic -r repo snapshots --json "$one" "$two" >theirs.ids.json 2>err
	ids_of mine.ids.json >m.ids
	ids_of theirs.ids.json >t.ids
	test "$(wc -l <m.ids)" = 2
	test_cmp t.ids m.ids
	test_must_fail 2 reprise -r repo snapshots "not-an-id" >out 2>err
	test_grep "hexadecimal" err
	test_must_fail 2 reprise -r repo snapshots --latest 0 >out 2>err
	test_grep -e "--latest" err
'

test_expect_success 'latest with a filter that matches nothing fails (exit 1)' '
	test_must_fail 1 reprise -r repo restore latest --tag nothing \
		--target none >out 2>err
	test_path_is_missing none/d1
'

test_done
