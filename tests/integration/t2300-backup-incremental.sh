#!/bin/sh
# A second backup after every kind of change (content, metadata only,
# type, renames, deletions, hard links) records the new state exactly,
# although it takes unchanged files from its parent; the first snapshot
# still restores the old state.
. "$(dirname "$0")/lib.sh"

test_expect_success 'setup: first backup, and a copy of the first state' '
	reprise -r repo init -q
	mkdata src
	cp -a src orig
	tree_equal src orig
	reprise -r repo --json backup src >b1.json
	json_str snapshot_id b1.json >id1
'

test_expect_success 'change the tree in every way' '
	bad=$(printf "bad\377name")
	# deletions
	rm src/hello.txt
	rm -r "src/odd names/dir $bad"
	# additions
	printf "new\n" >src/new.txt
	mkdir -p src/newdir/sub
	printf "deep new\n" >src/newdir/sub/f
	# content, same size and mtime
	printf "HARD1!\n" >src/hard1
	touch -d "$T_FIXED" src/hard1
	# metadata only
	chmod 0640 src/private
	chmod 0755 src/sticky
	touch -d "2011-11-11 11:11:11.111111111" src/nested/numbers.txt
	if [ "$(id -u)" = 0 ]; then
		chown 5000:6000 src/owned
	fi
	if [ "$HAVE_XATTR" = 1 ]; then
		setfattr -n user.test -v "changed value" src/xattr.txt
		setfattr -x user.dir src/nested
	fi
	# renames
	mv src/pair.b src/pair.c
	mv "src/odd names/with space" "src/odd names/with  two spaces"
	# type changes
	rm src/empty
	mkdir src/empty
	printf "was a file\n" >src/empty/inside
	rmdir "src/empty dir"
	ln -s nested "src/empty dir"
	ln -sfn hard1 src/link
	rm src/fifo
	printf "was a fifo\n" >src/fifo
	# a hard link broken, another made
	cp -p src/nested/hard2 src/nested/hard2.tmp
	mv src/nested/hard2.tmp src/nested/hard2
	ln src/readonly src/readonly.link
	# sizes
	truncate -s 5M src/sparse
	head -c 100000 /dev/urandom >>src/nested/numbers.txt
	touch -d "2011-11-11 11:11:11.111111111" src/nested/numbers.txt
	test_must_fail 1 tree_equal src orig 2>/dev/null
'

test_expect_success 'the second backup restores to the changed tree' '
	reprise -r repo --json backup src >b2.json
	test "$(json_num errors b2.json)" = 0
	reprise -r repo restore latest --target r2 >out
	tree_equal src r2/src
'

test_expect_success 'the second backup read only what changed' '
	# the changed files are small (numbers.txt grew to 270 kB); the
	# 6 MiB of random.bin are taken from the parent
	test "$(json_num data_added b2.json)" -lt 1000000
	test "$(json_num files_unmodified b2.json)" -ge 5
'

test_expect_success 'the first snapshot still restores the first state' '
	reprise -r repo restore "$(cat id1)" --target r1 >out
	tree_equal orig r1/src
'

test_expect_success 'a third backup without changes restores the same' '
	reprise -r repo --json backup src >b3.json
	test "$(json_num files_new b3.json)" = 0
	test "$(json_num files_changed b3.json)" = 0
	reprise -r repo restore latest --target r3 >out
	tree_equal src r3/src
'

if have restic; then
	test_expect_success 'restic restores both states too' '
		restic -r repo check --read-data >out 2>&1
		restic -r repo restore "$(json_str snapshot_id b2.json)" \
			--target rr2 >out 2>&1
		TREE_IGNORE=sparse tree_equal src rr2/src
		restic -r repo restore "$(cat id1)" --target rr1 >out 2>&1
		TREE_IGNORE=sparse tree_equal orig rr1/src
	'

	test_expect_success 'a restic backup on top of reprise sees the changes' '
		printf "changed by restic test\n" >src/new.txt
		restic -r repo backup -q src >out 2>&1
		reprise -r repo restore latest --target r4 >out
		tree_equal src r4/src
	'
fi

test_done
