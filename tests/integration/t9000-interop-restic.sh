#!/bin/sh
# Interoperability with restic 0.14, the oracle:
#  (a) reprise writes; restic checks (--read-data) and restores the tree
#      exactly;
#  (b) restic writes (format 2, and format 1, and without compression);
#      reprise checks (--read-data) and restores what restic restores;
#  (c) both tools back up the same data into one repository, in both
#      orders: the second adds almost nothing (same chunker, same blob
#      IDs), and both tools still check and restore everything.
. "$(dirname "$0")/lib.sh"

have restic || test_skip_all "restic is not installed"

mkdata src
# restic 0.14 restores files densely: do not compare sparse-ness where
# restic restored.
RESTIC_IGNORE=sparse

# --- (a) reprise writes, restic reads ---

test_expect_success '(a) reprise backs up the tree' '
	reprise -r a init -q
	reprise -r a --json backup --tag one,two --host ahost src >a.json
	json_str snapshot_id a.json >a.id
	printf "stdin data\n" | reprise -r a backup -q --stdin \
		--stdin-filename in.txt
'

test_expect_success '(a) restic check --read-data passes' '
	restic -r a check --read-data >out 2>&1
	test_grep "no errors were found" out
'

test_expect_success '(a) restic lists the snapshots with their fields' '
	restic -r a snapshots --json >snaps.json
	test_grep -F "\"id\":\"$(cat a.id)\"" snaps.json
	test_grep -F "\"hostname\":\"ahost\"" snaps.json
	test_grep -F "\"tags\":[\"one\",\"two\"]" snaps.json
	test_grep -F "\"paths\":[\"$SCRATCH/src\"]" snaps.json
	test "$(grep -o "\"short_id\"" snaps.json | wc -l)" = 2
'

test_expect_success '(a) restic ls lists what reprise ls lists' '
	restic -r a ls "$(cat a.id)" 2>/dev/null | grep "^/" | LC_ALL=C sort >restic.ls
	reprise -r a ls "$(cat a.id)" | LC_ALL=C sort >reprise.ls
	test_cmp restic.ls reprise.ls
	test "$(wc -l <reprise.ls)" = "$(find src | wc -l)"
'

test_expect_success '(a) restic restore gives back the source tree' '
	restic -r a restore "$(cat a.id)" --target a.restic >out 2>&1
	TREE_IGNORE=$RESTIC_IGNORE tree_equal src a.restic/src
'

test_expect_success '(a) restic restores the stdin snapshot' '
	restic -r a restore latest --path /in.txt --target a.stdin \
		>out 2>&1
	printf "stdin data\n" >expect
	test_cmp expect a.stdin/in.txt
'

test_expect_success '(a) restic dump reads a multi-chunk file' '
	restic -r a dump "$(cat a.id)" /src/random.bin >dumped 2>err
	test_cmp src/random.bin dumped
'

# --- (b) restic writes, reprise reads ---

for v in 2 1 2-nocompress; do
	case $v in
	2) init_args="--repository-version 2" backup_args= ;;
	1) init_args="--repository-version 1" backup_args= ;;
	2-nocompress) init_args="--repository-version 2"
		backup_args="--compression off" ;;
	esac
	export v init_args backup_args

	test_expect_success "(b) restic (format $v) backs up the tree" '
		restic init -q -r "rv$v" $init_args >out 2>&1
		restic -r "rv$v" backup -q $backup_args src >out 2>&1
		restic -r "rv$v" snapshots --json >snaps.json
		grep -o "\"id\":\"[0-9a-f]\{64\}\"" snaps.json |
			sed "s/\"id\":\"//; s/\"//" >"rv$v.id"
		test "$(wc -l <"rv$v.id")" = 1
		restic -r "rv$v" restore latest --target "rv$v.restic" >out 2>&1
		TREE_IGNORE=$RESTIC_IGNORE tree_equal src "rv$v.restic/src"
	'

	test_expect_success "(b) reprise check --read-data passes (format $v)" '
		reprise -r "rv$v" --json check --read-data >out.json
		test "$(json_num num_errors out.json)" = 0
		test "$(json_num snapshots out.json)" = 1
		test "$(json_num packs_read out.json)" = \
			"$(find "rv$v/data" -type f | wc -l)"
	'

	test_expect_success "(b) reprise lists restic's snapshot (format $v)" '
		test -s "rv$v.id"
		ids=$(snapshot_ids "rv$v")
		test "$ids" = "$(cat "rv$v.id")"
		restic -r "rv$v" ls latest 2>/dev/null | grep "^/" | LC_ALL=C sort >restic.ls
		reprise -r "rv$v" ls latest | LC_ALL=C sort >reprise.ls
		test_cmp restic.ls reprise.ls
	'

	test_expect_success "(b) reprise restores what restic restores (format $v)" '
		reprise -r "rv$v" restore latest --target "rv$v.reprise" >out
		TREE_IGNORE=$RESTIC_IGNORE tree_equal "rv$v.restic/src" \
			"rv$v.reprise/src"
		tree_equal src "rv$v.reprise/src"
	'
done

# --- (c) one repository, both tools, both orders ---

# The growth allowed for the second backup: 5% of what the first added.
# Only trees, an index and a snapshot may be new: the data blobs are the
# same when both chunkers cut at the same places.

test_expect_success '(c) reprise first, then restic: restic adds almost nothing' '
	reprise -r c1 init -q
	s0=$(repo_size c1)
	reprise -r c1 backup -q src
	s1=$(repo_size c1)
	restic -r c1 backup --force --json src >restic.json 2>err
	s2=$(repo_size c1)
	first=$((s1 - s0))
	second=$((s2 - s1))
	echo "first backup added $first bytes, the second $second bytes"
	test "$first" -gt 6000000
	test $((second * 20)) -lt "$first"
	test_grep "\"data_blobs\":0," restic.json
'

test_expect_success '(c) reprise first, then restic: both check and restore' '
	restic -r c1 check --read-data >out 2>&1
	reprise -r c1 check --read-data >out
	reprise -r c1 restore latest --target c1.reprise >out
	tree_equal src c1.reprise/src
	restic -r c1 restore latest --target c1.restic >out 2>&1
	TREE_IGNORE=$RESTIC_IGNORE tree_equal src c1.restic/src
'

test_expect_success '(c) restic first, then reprise: reprise adds almost nothing' '
	restic init -q -r c2 >out 2>&1
	s0=$(repo_size c2)
	restic -r c2 backup -q src >out 2>&1
	s1=$(repo_size c2)
	reprise -r c2 --json backup --force src >reprise.json
	s2=$(repo_size c2)
	first=$((s1 - s0))
	second=$((s2 - s1))
	echo "first backup added $first bytes, the second $second bytes"
	test "$first" -gt 6000000
	test $((second * 20)) -lt "$first"
	test "$(json_num data_blobs reprise.json)" = 0
'

test_expect_success '(c) restic first, then reprise: both check and restore' '
	restic -r c2 check --read-data >out 2>&1
	reprise -r c2 check --read-data >out
	reprise -r c2 restore latest --target c2.reprise >out
	tree_equal src c2.reprise/src
	restic -r c2 restore latest --target c2.restic >out 2>&1
	TREE_IGNORE=$RESTIC_IGNORE tree_equal src c2.restic/src
'

test_expect_success '(c) reprise reuses restic nodes as parent: unchanged files' '
	reprise -r c2 --json backup src >again.json
	test "$(json_num files_new again.json)" = 0
	test "$(json_num files_changed again.json)" = 0
	test "$(json_num data_added again.json)" -lt 65536
'

test_expect_success '(c) the same small file backed up by both gives one blob' '
	mkdir small
	printf "a small file\n" >small/f
	reprise -r c3 init -q
	reprise -r c3 backup -q small
	restic -r c3 backup -q --force small >out 2>&1
	restic -r c3 list blobs >blobs 2>/dev/null
	reprise -r c3 check --read-data >out
	expect=$(sha256sum <small/f | cut -c1-64)
	test "$(grep -c "data $expect" blobs)" = 1
'

test_done
