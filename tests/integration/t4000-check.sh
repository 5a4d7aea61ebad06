#!/bin/sh
# check: a sound repository passes (also with --read-data and its subsets);
# damage is found and named: one flipped byte in a pack, a truncated index,
# a missing pack, a damaged snapshot.  restore of damaged data names the
# file, fails, and writes no wrong bytes.
. "$(dirname "$0")/lib.sh"

# blob_list REPO: "pack blob type offset length" for every indexed blob.
blob_list() {
	for _i in $(ls "$1/index"); do
		reprise -r "$1" cat index "$_i" || return 1
		echo
	done | tr '{' '\n' | awk '
		/"blobs":/ { match($0, /"id":"[0-9a-f]+"/);
			     pack = substr($0, RSTART + 6, RLENGTH - 7) }
		/"type":"(data|tree)"/ {
			match($0, /"id":"[0-9a-f]+"/); id = substr($0, RSTART + 6, RLENGTH - 7)
			match($0, /"type":"[a-z]+"/); t = substr($0, RSTART + 8, RLENGTH - 9)
			match($0, /"offset":[0-9]+/); o = substr($0, RSTART + 9, RLENGTH - 9)
			match($0, /"length":[0-9]+/); l = substr($0, RSTART + 9, RLENGTH - 9)
			print pack, id, t, o, l }'
}

# pack_path REPO ID
pack_path() {
	printf '%s/data/%s/%s\n' "$1" "$(printf '%s' "$2" | cut -c1-2)" "$2"
}

test_expect_success 'setup: a repository with two snapshots' '
	reprise -r repo init -q
	mkdata src
	reprise -r repo backup -q src
	printf "changed\n" >>src/nested/numbers.txt
	reprise -r repo backup -q src
'

test_expect_success 'check passes on a sound repository' '
	reprise -r repo check >out
	test_grep "no errors were found" out
	reprise -r repo --json check >out.json
	test "$(json_num num_errors out.json)" = 0
	test "$(json_num snapshots out.json)" = 2
	test "$(json_num packs_read out.json)" = 0
'

test_expect_success 'check --read-data reads every pack and passes' '
	reprise -r repo --json check --read-data >out.json
	test "$(json_num num_errors out.json)" = 0
	packs=$(find repo/data -type f | wc -l)
	test "$(json_num packs out.json)" = "$packs"
	test "$(json_num packs_read out.json)" = "$packs"
'

test_expect_success 'check --read-data-subset N% and n/t are accepted' '
	packs=$(find repo/data -type f | wc -l)
	reprise -r repo --json check --read-data-subset=50% >p.json
	test "$(json_num num_errors p.json)" = 0
	test "$(json_num packs_read p.json)" -le "$packs"
	reprise -r repo --json check --read-data-subset 100% >p.json
	test "$(json_num packs_read p.json)" = "$packs"
	reprise -r repo --json check --read-data-subset=1/2 >p1.json
	reprise -r repo --json check --read-data-subset=2/2 >p2.json
	test "$(json_num num_errors p1.json)" = 0
	test "$(json_num num_errors p2.json)" = 0
	# the two halves together read every pack once
	test $(($(json_num packs_read p1.json) + $(json_num packs_read p2.json))) = "$packs"
	reprise -r repo check --read-data-subset 0.5% >out
'

test_expect_success 'check --read-data-subset refuses bad values (exit 2)' '
	for v in 0% 101% -5% abc 50 3/2 0/2 1/0 1/ /2 "1/2x"; do
		test_must_fail 2 reprise -r repo check --read-data-subset "$v" \
			>out 2>err || exit 1
	done
	test_must_fail 2 reprise -r repo check extra-arg >out 2>err
'

if have restic; then
	test_expect_success 'restic check --read-data agrees the repository is sound' '
		restic -r repo check --read-data >out 2>&1
	'
fi

test_expect_success 'blob_list finds the blobs in the index' '
	blob_list repo >blobs
	test "$(grep -c " data " blobs)" -ge 10
	test "$(grep -c " tree " blobs)" -ge 8
	for p in $(cut -d" " -f1 blobs | sort -u); do
		test -f "$(pack_path repo "$p")" || exit 1
	done
'

# The damaged blob: the largest data blob, a chunk of random.bin (the
# other files are small or compress to little).
test_expect_success 'setup: flip one byte in the middle of a data blob' '
	cp -a repo bad
	sort -k5,5n blobs | grep " data " | tail -n 1 >victim
	read pack blob type off len <victim
	test "$len" -gt 400000
	f=$(pack_path bad "$pack")
	chmod u+w "$f"
	flip_byte "$f" $((off + len / 2))
	chmod u-w "$f"
	test_must_fail 1 cmp -s "$f" "$(pack_path repo "$pack")"
'

test_expect_success 'check without --read-data does not read the packs' '
	reprise -r bad --json check >out.json
	test "$(json_num packs_read out.json)" = 0
'

test_expect_success 'check --read-data exits 1 and names the pack and the blob' '
	read pack blob type off len <victim
	test_must_fail 1 reprise -r bad check --read-data >out 2>err
	test_grep "$pack" err
	test_grep "$(printf "%s" "$blob" | cut -c1-8)" err
	test_grep "damaged" err
	test_grep "reprise find --blob ID" err
'

test_expect_success 'find --blob names the file the damaged blob belongs to' '
	read pack blob type off len <victim
	reprise -r bad find --blob "$(printf "%s" "$blob" | cut -c1-16)" >out
	test_grep "^ \.\.\. in /src/random.bin$" out
	test "$(grep -c "^Found blob $blob$" out)" -ge 1
'

test_expect_success 'check --json --read-data counts the error' '
	test_must_fail 1 reprise -r bad --json check --read-data >out.json 2>err
	test "$(json_num num_errors out.json)" -ge 1
'

if have restic; then
	test_expect_success 'restic check --read-data also sees the damage' '
		test_must_fail 1 restic -r bad check --read-data >out 2>&1
		test_grep "$(cut -d" " -f1 victim | cut -c1-8)" out
	'
fi

test_expect_success 'restore of the damaged file names it, fails, writes no wrong bytes' '
	test_must_fail 1 reprise -r bad restore latest --target rbad >out 2>err
	test_grep "random.bin" err
	# every other file is restored correctly
	test_cmp src/hello.txt rbad/src/hello.txt
	test_cmp src/sparse rbad/src/sparse
	# random.bin is not left with wrong bytes under its name (nor half
	# written): either missing or right
	if [ -e rbad/src/random.bin ]; then
		test_cmp src/random.bin rbad/src/random.bin
	fi
	# and no temporary file holds them either
	test "$(find rbad -name "*random*" ! -path rbad/src/random.bin |
		wc -l)" = 0
'

test_expect_success 'restore --exclude of the damaged file succeeds' '
	reprise -r bad restore latest --exclude random.bin --target rok >out
	test_cmp src/nested/numbers.txt rok/src/nested/numbers.txt
	test_path_is_missing rok/src/random.bin
'

test_expect_success 'check: a truncated index file is reported' '
	cp -a repo badidx
	idx=$(ls -S badidx/index | head -n 1)
	chmod u+w "badidx/index/$idx"
	truncate -s $(($(file_size "badidx/index/$idx") / 2)) "badidx/index/$idx"
	test_must_fail 1 reprise -r badidx check >out 2>err
	test_grep "$(printf "%s" "$idx" | cut -c1-8)" err
'

test_expect_success 'check: a missing pack is reported without --read-data' '
	cp -a repo nopack
	pack=$(cut -d" " -f1 victim)
	rm -f "$(pack_path nopack "$pack")"
	test_must_fail 1 reprise -r nopack check >out 2>err
	test_grep "$(printf "%s" "$pack" | cut -c1-8)" err
'

test_expect_success 'check: a damaged snapshot file is reported' '
	cp -a repo badsnap
	s=$(ls badsnap/snapshots | head -n 1)
	chmod u+w "badsnap/snapshots/$s"
	flip_byte "badsnap/snapshots/$s" 20
	test_must_fail 1 reprise -r badsnap check >out 2>err
	test_grep "$(printf "%s" "$s" | cut -c1-8)" err
'

test_expect_success 'check: a pack with a wrong size is reported without --read-data' '
	cp -a repo shortpack
	pack=$(cut -d" " -f1 victim)
	f=$(pack_path shortpack "$pack")
	chmod u+w "$f"
	truncate -s $(($(file_size "$f") - 100)) "$f"
	test_must_fail 1 reprise -r shortpack check >out 2>err
	test_grep "$(printf "%s" "$pack" | cut -c1-8)" err
'

test_expect_success 'check: a damaged tree blob is found without --read-data' '
	cp -a repo badtree
	# the root tree of the latest snapshot
	ids=$(snapshot_ids repo)
	last=$(printf "%s\n" $ids | tail -n 1)
	echo "$last" >last.id
	reprise -r repo cat snapshot "$last" >last.json
	root=$(json_str tree last.json)
	grep " $root tree " blobs >tvictim
	test "$(wc -l <tvictim)" = 1
	read pack blob type off len <tvictim
	f=$(pack_path badtree "$pack")
	chmod u+w "$f"
	flip_byte "$f" $((off + len / 2))
	test_must_fail 1 reprise -r badtree check >out 2>err
	test_grep "$(printf "%s" "$blob" | cut -c1-8)" err
	if have restic; then
		test_must_fail 1 restic -r badtree check >out 2>&1
	fi
'

test_expect_success 'restore of a snapshot with a damaged root tree fails (exit 1)' '
	test_must_fail 1 reprise -r badtree restore "$(cat last.id)" \
		--target rtree \
		>out 2>err
	test_grep "$(cut -d" " -f2 tvictim | cut -c1-8)\|damaged\|corrupt" err
'

test_expect_success 'a damaged config: exit 1 and says so (not "wrong password")' '
	cp -a repo badconfig
	chmod u+w badconfig/config
	flip_byte badconfig/config 40
	test_must_fail 1 reprise -r badconfig snapshots >out 2>err
	test_grep "config" err
	test_must_fail 1 reprise -r badconfig check >out 2>err
	test_grep "config" err
'

test_expect_success 'check leaves no lock behind, even after errors' '
	test "$(ls repo/locks | wc -l)" = 0
	test "$(ls bad/locks | wc -l)" = 0
	test "$(ls badidx/locks | wc -l)" = 0
	test "$(ls badtree/locks | wc -l)" = 0
'

test_done
