#!/bin/sh
# tag: --add, --remove and --set change the tags as restic's tag does (the
# same sequence of operations gives the same tags with either tool, each
# retagged snapshot keeps its first ID as "original", the old file goes and
# both checkers pass); IDs and filters choose the snapshots; forget
# --keep-tag then keeps what was tagged; bad calls are errors.
. "$(dirname "$0")/lib.sh"

have python3 || test_skip_all "python3 is not installed"

# tags_of REPO: "time tags original" per snapshot, oldest first.
tags_of() {
	reprise -r "$1" --json snapshots | python3 -c "
import json, sys
for s in sorted(json.load(sys.stdin), key=lambda s: s[\"time\"]):
    print(s[\"time\"], \",\".join(s.get(\"tags\") or []), s.get(\"original\", \"\")[:8])"
}

test_expect_success 'setup: three snapshots' '
	reprise -r repo init -q
	mkdir -p d
	for n in 1 2 3; do
		printf "%s\n" "$n" >d/f
		reprise -r repo --json backup -q --tag start d >b$n.json
	done
	test "$(ls repo/snapshots | wc -l)" = 3
'

test_expect_success 'tag --add: new files, originals kept, old ones gone' '
	cp -a repo r1
	ls r1/snapshots | LC_ALL=C sort >before
	reprise -r r1 tag --add a,b >out
	test_grep "^modified tags on 3 snapshots$" out
	ls r1/snapshots | LC_ALL=C sort >after
	test "$(wc -l <after)" = 3
	test "$(comm -12 before after | wc -l)" = 0
	tags_of r1 >t
	test "$(grep -c " start,a,b " t)" = 3
	# each original is one of the first IDs
	cut -d" " -f3 t | while read -r o; do
		grep -q "^$o" before || exit 1
	done
	reprise -r r1 check >out
'

if have restic; then
	# ops N: the Nth step of the sequence both tools apply.
	ops() {
		case $1 in
		1) echo "--add a,b" ;;
		2) echo "--remove a" ;;
		3) echo "--add c --remove b" ;;
		4) echo "--add a --remove a" ;;
		5) echo "--set x,y" ;;
		6) echo "--add z --tag x" ;;
		esac
	}
	test_expect_success 'the same operations give the same tags as restic' '
		rm -rf mine theirs
		cp -a repo mine
		cp -a repo theirs
		for n in 1 2 3 4 5 6; do
			reprise -r mine tag $(ops $n) >out || return 1
			restic -r theirs tag $(ops $n) >out 2>&1 || return 1
			tags_of mine >m
			tags_of theirs >t
			test_cmp t m || return 1
		done
		test "$(ls mine/snapshots | wc -l)" = 3
		restic -r mine check >out 2>&1
		reprise -r theirs check >out
	'
fi

test_expect_success 'IDs and filters choose the snapshots; --set "" clears' '
	rm -rf r2
	cp -a repo r2
	id=$(json_str snapshot_id b2.json | cut -c1-8)
	reprise -r r2 tag --add only-two "$id" >out
	test_grep "^modified tags on 1 snapshot$" out
	test "$(tags_of r2 | grep -c only-two)" = 1
	reprise -r r2 tag --tag only-two --set "" >out
	test_grep "^modified tags on 1 snapshot$" out
	test "$(tags_of r2 | grep -c " start ")" = 2
	reprise -r r2 tag --add again --tag nothing-has-this >out
	test_grep "^modified tags on 0 snapshots$" out
'

test_expect_success 'forget --keep-tag keeps what tag marked' '
	rm -rf r3
	cp -a repo r3
	id=$(json_str snapshot_id b1.json | cut -c1-8)
	reprise -r r3 tag --add legal-hold "$id" >out
	reprise -r r3 forget -q --keep-last 1 --keep-tag legal-hold
	test "$(ls r3/snapshots | wc -l)" = 2
	test "$(tags_of r3 | grep -c legal-hold)" = 1
'

test_expect_success 'bad tag calls: usage errors, unknown IDs, nothing changed' '
	ls repo/snapshots >before
	test_must_fail 2 reprise -r repo tag >out 2>err
	test_grep -e "--add, --remove or --set" err
	test_must_fail 2 reprise -r repo tag --set a --add b >out 2>err
	test_must_fail 2 reprise -r repo tag --add a zz-not-hex >out 2>err
	test_must_fail 1 reprise -r repo tag --add a 00000000 >out 2>err
	test_grep "no snapshot matches .00000000." err
	ls repo/snapshots >after
	test_cmp before after
'

test_done
