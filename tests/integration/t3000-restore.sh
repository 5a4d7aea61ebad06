#!/bin/sh
# restore: a snapshot comes back exactly (content, modes, owners, times,
# links, hard links, xattrs, fifos, sparse files, odd names); --include and
# --exclude (and --iinclude, --iexclude) select like restic's; 'latest' and
# ID prefixes; --verify reads the restored files back; restic restores the
# same snapshot to the same tree.
. "$(dirname "$0")/lib.sh"

test_expect_success 'setup: a repository with a snapshot of mkdata' '
	reprise -r repo init -q
	mkdata src
	reprise -r repo --json backup src >b1.json
	json_str snapshot_id b1.json >id1
'

test_expect_success 'restore gives back the tree exactly' '
	reprise -r repo restore "$(cat id1)" --target r1 >out
	test_grep "^restored snapshot" out
	tree_equal src r1/src
	test "$(ls -A r1)" = src
'

test_expect_success 'the sparse file is restored sparse, hard links linked' '
	same_inode r1/src/hard1 r1/src/nested/hard2
	same_inode r1/src/hard1 "r1/src/odd names/hard3"
	same_inode r1/src/pair.a r1/src/pair.b
	test_must_fail 1 same_inode r1/src/pair.a r1/src/hard1 2>err
	test "$(file_size r1/src/sparse)" = 20971520
	test $(($(stat -c "%b * %B" r1/src/sparse))) -lt 5242880
	test -p r1/src/fifo
	test -u r1/src/setuid
'

test_expect_success 'restore --verify reads every restored file back' '
	reprise -r repo restore "$(cat id1)" --target rv --verify >out
	test_grep "^verified [0-9]* files, .*: every byte matches the snapshot$" out
	restored=$(sed -n "s/^restored snapshot [0-9a-f]* to rv: \([0-9]*\) files.*/\1/p" out)
	verified=$(sed -n "s/^verified \([0-9]*\) files.*/\1/p" out)
	test "$restored" -gt 5
	test "$verified" = "$restored"
	tree_equal src rv/src
	reprise -r repo restore "$(cat id1)" --target rvi --verify \
		--include "*.txt" >out
	verified=$(sed -n "s/^verified \([0-9]*\) files\{0,1\},.*/\1/p" out)
	test "$verified" = "$(find rvi -type f | wc -l)"
'

test_expect_success 'restore --verify names a file that did not come back' '
	reprise -r dmg init -q
	mkdir -p one
	head -c 300000 /dev/urandom >one/random
	printf "fine\n" >one/fine
	reprise -r dmg backup -q one
	pack=$(find dmg/data -type f -size +200k)
	test -n "$pack"
	chmod u+w "$pack"
	flip_byte "$pack" 1000
	test_must_fail 1 reprise -r dmg restore latest --target rd --verify \
		>out 2>err
	test_grep "random" err
	test_grep "1 file does not match the snapshot" err
	test_grep "^verified 1 file, " out
	test_path_is_missing rd/one/random
	test "$(cat rd/one/fine)" = fine
'

test_expect_success 'restore latest and an ID prefix' '
	reprise -r repo --json backup src/nested >b2.json
	reprise -r repo restore latest --target r.latest >out
	test -d r.latest/src/nested/deeper/deepest
	test_path_is_missing r.latest/src/random.bin
	TREE_IGNORE=links tree_equal src/nested r.latest/src/nested
	reprise -r repo restore "$(cut -c1-8 id1)" --target r.prefix >out
	tree_equal src r.prefix/src
'

test_expect_success 'restore latest --path picks the snapshot of that path' '
	reprise -r repo restore latest --path "$SCRATCH/src" \
		--target r.path >out
	tree_equal src r.path/src
'

test_expect_success 'restore of an unknown snapshot fails, writes nothing' '
	test_must_fail 1 reprise -r repo restore 00000000 --target r.none \
		>out 2>err
	test_grep "00000000" err
	test_path_is_missing r.none/src
	test_must_fail 1 reprise -r repo restore latest --host nohost \
		--target r.none >out 2>err
	test_path_is_missing r.none/src
'

test_expect_success 'restore needs a snapshot and --target' '
	test_must_fail 2 reprise -r repo restore latest >out 2>err
	test_must_fail 2 reprise -r repo restore --target r.x >out 2>err
	test_must_fail 2 reprise -r repo restore latest latest --target r.x \
		>out 2>err
	test_path_is_missing r.x
'

# restic creates only the directories on the way to a match.  Regression
# (fixed in 4c1c3bb): reprise created every directory of the snapshot
# ("empty dir", "sgid", "sticky", ... for --include "*.txt").
test_expect_success 'restore --include restores only the matching paths' '
	reprise -r repo restore "$(cat id1)" --include "*.txt" \
		--target r.inc >out
	test_cmp src/hello.txt r.inc/src/hello.txt
	test_cmp src/nested/numbers.txt r.inc/src/nested/numbers.txt
	test_cmp src/xattr.txt r.inc/src/xattr.txt
	test_path_is_missing r.inc/src/random.bin
	test_path_is_missing r.inc/src/sparse
	test_path_is_missing r.inc/src/link
	test_path_is_missing r.inc/src/nested/hard2
	test "$(find r.inc -type f | wc -l)" = 3
	test_path_is_missing "r.inc/src/empty dir"
	test_path_is_missing r.inc/src/sticky
	test_path_is_missing r.inc/src/nested/deeper
'

test_expect_success 'restore --include of a directory restores all below it' '
	reprise -r repo restore "$(cat id1)" --include /src/nested \
		--target r.dir >out
	TREE_IGNORE=links tree_equal src/nested r.dir/src/nested
	test_path_is_missing r.dir/src/hello.txt
	test_path_is_missing r.dir/src/random.bin
'

test_expect_success 'one link of a hard link group, alone or without the first' '
	reprise -r repo restore "$(cat id1)" --include /src/nested/hard2 \
		--target r.h1 >out
	test_cmp src/hard1 r.h1/src/nested/hard2
	test "$(find r.h1 -type f | wc -l)" = 1
	reprise -r repo restore "$(cat id1)" --exclude /src/hard1 \
		--target r.h2 >out
	test_path_is_missing r.h2/src/hard1
	test_cmp src/hard1 r.h2/src/nested/hard2
	test_cmp src/hard1 "r.h2/src/odd names/hard3"
	same_inode r.h2/src/nested/hard2 "r.h2/src/odd names/hard3"
'

test_expect_success 'restore --exclude leaves the matching paths out' '
	reprise -r repo restore "$(cat id1)" --exclude "*.bin" \
		--exclude "odd names" --target r.exc >out
	test_path_is_missing r.exc/src/random.bin
	test_path_is_missing "r.exc/src/odd names"
	cp -a src src.exc
	rm -rf src.exc/random.bin "src.exc/odd names"
	touch -r src src.exc
	# hard3 lived in "odd names": hard1 and hard2 keep 2 links
	tree_equal src.exc r.exc/src
'

test_expect_success 'restore into a non-empty target overwrites files' '
	mkdir -p r.over/src
	printf "stale\n" >r.over/src/hello.txt
	reprise -r repo restore "$(cat id1)" --target r.over >out
	tree_equal src r.over/src
'

test_expect_success 'restoring the same snapshot twice gives the same tree' '
	reprise -r repo restore "$(cat id1)" --target r1 >out
	tree_equal src r1/src
'

test_expect_success 'repeated chunks, a leading hole, holes only' '
	mkdir -p odd
	head -c 1048576 /dev/urandom >blk
	cat blk blk blk blk blk >odd/repeated
	truncate -s 3M odd/leading-hole
	printf "end" >>odd/leading-hole
	truncate -s 4M odd/all-hole
	: >odd/empty
	ln odd/empty odd/empty-link
	find odd -exec touch -d "$T_FIXED" {} +
	reprise -r repo backup -q odd
	reprise -r repo ls -l latest >out
	reprise -r repo restore latest --target r.odd >out
	tree_equal odd r.odd/odd
	if have restic; then
		restic -r repo check --read-data >out 2>&1
		restic -r repo restore latest --target r.odd.restic >out 2>&1
		TREE_IGNORE=sparse tree_equal odd r.odd.restic/odd
	fi
'

if have restic; then
	test_expect_success 'restic restores the same snapshot to the same tree' '
		restic -r repo restore "$(cat id1)" --target rr >out 2>&1
		TREE_IGNORE=sparse tree_equal src rr/src
	'

	# The include/exclude rules must select what restic selects.
	n=0
	for args in "--include *.txt" "--include /src/nested" \
		"--include nested/deeper" "--include odd?names/*" \
		"--exclude *.txt" "--exclude /src/nested" \
		"--exclude deeper --exclude pair.*" "--iinclude *.TXT" \
		"--iinclude /SRC/Nested" "--iexclude *.TXT" \
		"--iexclude DEEPER --iexclude PAIR.*"; do
		n=$((n + 1))
		export args n
		test_expect_success "restore $args selects as restic does" '
			set -f
			reprise -r repo restore "$(cat id1)" $args \
				--target "sel$n.reprise" >out
			restic -r repo restore "$(cat id1)" $args \
				--target "sel$n.restic" >out 2>&1
			set +f
			if [ -e "sel$n.restic/src" ]; then
				TREE_IGNORE=sparse tree_equal "sel$n.restic/src" \
					"sel$n.reprise/src"
			else
				test_path_is_missing "sel$n.reprise/src"
			fi
		'
	done
else
	test_skip 'restic restores the same snapshot to the same tree' \
		'restic is not installed'
fi

test_done
