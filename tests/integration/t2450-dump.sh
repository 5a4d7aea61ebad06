#!/bin/sh
# dump: one file of a snapshot to standard output, as restic's dump: every
# regular file of a snapshot comes out byte for byte (restic dumps the
# same bytes), paths with or without the leading /, a hard link, a sparse
# file, a database dump saved with --stdin-from-command comes back whole;
# a folder, a missing path and a damaged pack are clear errors (exit 1,
# and a dump cut short says how many bytes were written).
. "$(dirname "$0")/lib.sh"

test_expect_success 'setup: a snapshot of mkdata and one of a command' '
	reprise -r repo init -q
	mkdata src
	reprise -r repo --json backup src >b1.json
	json_str snapshot_id b1.json >id1
	seq 1 200000 >dump.expected
	reprise -r repo --json backup --stdin-from-command \
		--stdin-filename db.sql -- seq 1 200000 >b2.json
	json_str snapshot_id b2.json >id2
'

test_expect_success 'every regular file of the snapshot dumps byte for byte' '
	(cd src && find . -type f) | sed "s|^\\./||" | LC_ALL=C sort >files
	test "$(wc -l <files)" -gt 5
	while IFS= read -r f; do
		reprise -r repo dump "$(cat id1)" "/src/$f" >out.bin || return 1
		cmp out.bin "src/$f" || return 1
	done <files
'

test_expect_success 'the database dump saved from a command comes back whole' '
	reprise -r repo dump latest /db.sql >db.out
	test_cmp dump.expected db.out
	reprise -r repo dump "$(cut -c1-8 id2)" db.sql >db.out2
	test_cmp dump.expected db.out2
'

if have restic; then
	test_expect_success 'restic dumps the same bytes' '
		restic -r repo dump latest /db.sql >db.restic 2>err
		test_cmp db.out db.restic
		restic -r repo dump "$(cat id1)" /src/hello.txt >h.restic 2>err
		reprise -r repo dump "$(cat id1)" /src/hello.txt >h.mine
		test_cmp h.restic h.mine
	'
fi

test_expect_success 'a folder, a missing path, a bad call: clear errors' '
	test_must_fail 1 reprise -r repo dump "$(cat id1)" /src >out 2>err
	test_grep "/src is not a file" err
	test_grep "reprise restore SNAPSHOT --include /src" err
	test_must_fail 1 reprise -r repo dump "$(cat id1)" /src/nope >out 2>err
	test_grep "/src/nope is not in snapshot" err
	test_must_fail 1 reprise -r repo dump "$(cat id1)" /src/hello.txt/x \
		>out 2>err
	test_must_fail 1 reprise -r repo dump 0000 /src/hello.txt >out 2>err
	test_grep "no snapshot matches" err
	test_must_fail 2 reprise -r repo dump "$(cat id1)" >out 2>err
'

if have python3; then
test_expect_success 'a damaged pack stops the dump with an error, no wrong byte' '
	reprise -r dmg init -q
	mkdir one
	# 12 MB: at least two chunks (8 MiB at most each), one pack (16 MiB)
	head -c 12000000 /dev/urandom >one/big
	# one worker: one pack, the blobs in the order of the file
	reprise -r dmg backup -q --threads 1 one
	pack=$(find dmg/data -type f -size +1M)
	test "$(echo "$pack" | wc -l)" = 1
	chmod u+w "$pack"
	# a byte in the middle of the last data blob of the pack (from the index)
	idx=$(ls dmg/index)
	at=$(reprise -r dmg cat index "$idx" | python3 -c "
import json, sys
blobs = [b for p in json.load(sys.stdin)[\"packs\"] for b in p[\"blobs\"]
         if b[\"type\"] == \"data\"]
assert len(blobs) >= 2, blobs
last = max(blobs, key=lambda b: b[\"offset\"])
print(last[\"offset\"] + last[\"length\"] // 2)")
	flip_byte "$pack" "$at"
	test_must_fail 1 reprise -r dmg dump latest /one/big >cut.bin 2>err
	test_grep "dump of /one/big stopped after [0-9]* bytes: .*only the start" err
	# what came out is a prefix of the file
	n=$(file_size cut.bin)
	test "$n" -gt 0
	test "$n" -lt 12000000
	test_grep "after $n bytes" err
	head -c "$n" one/big | cmp - cut.bin
'
else
	test_skip 'a damaged pack stops the dump with an error, no wrong byte' \
		'python3 is not installed'
fi

test_done
