#!/bin/sh
# backup: how the paths given on the command line shape the snapshot's tree
# (RESTIC_FORMAT.md §11.5: as given, with every intermediate directory;
# name clashes become name-1), compared with restic; and entries that
# mkdata lacks: a newline in a name, a non-UTF-8 symlink target, devices,
# many files, deep nesting; --compression; --parent.
. "$(dirname "$0")/lib.sh"

test_expect_success 'setup' '
	reprise -r repo init -q
	mkdata src
	mkdir -p a/x b/x
	printf "in a\n" >a/x/f
	printf "in b\n" >b/x/g
	if have restic; then
		restic init -q -r rrepo >out 2>&1
	fi
'

# same_listing DIR ARGS...: in DIR, back up ARGS with both tools and
# compare the lists of paths of the two snapshots (restic is the oracle);
# without restic, only the reprise backup is made.
same_listing() {
	_dir=$1
	shift
	(cd "$_dir" && reprise -r "$SCRATCH/repo" backup -q "$@") || return 1
	reprise -r "$SCRATCH/repo" ls latest | LC_ALL=C sort >"$SCRATCH/reprise.ls" ||
		return 1
	if have restic; then
		(cd "$_dir" && restic -r "$SCRATCH/rrepo" backup -q "$@") \
			>"$SCRATCH/restic.out" 2>&1 || return 1
		restic -r "$SCRATCH/rrepo" ls latest 2>/dev/null | grep "^/" |
			LC_ALL=C sort >"$SCRATCH/restic.ls"
		test_cmp "$SCRATCH/restic.ls" "$SCRATCH/reprise.ls" || return 1
	fi
}

test_expect_success 'a relative directory' '
	same_listing . src
	test_grep "^/src/hello.txt$" reprise.ls
'

test_expect_success 'an absolute directory keeps every intermediate directory' '
	same_listing . "$SCRATCH/src"
	test_grep "^$SCRATCH/src/hello.txt$" reprise.ls
	test_grep "^$(dirname "$SCRATCH")$" reprise.ls
	reprise -r repo restore latest --target r.abs >out
	tree_equal src "r.abs$SCRATCH/src"
'

test_expect_success 'a single file' '
	same_listing . src/hello.txt
	test "$(cat reprise.ls)" = "$(printf "/src\n/src/hello.txt")"
	reprise -r repo restore latest --target r.file >out
	test_cmp src/hello.txt r.file/src/hello.txt
'

test_expect_success 'two directories with the same name' '
	same_listing . a/x b/x
	test_grep "^/x/f$\|^/a/x/f$" reprise.ls
'

test_expect_success 'hard links between two paths given' '
	mkdir -p h1 h2
	printf "shared\n" >h1/f
	ln h1/f h2/g
	touch -d "$T_FIXED" h1/f h1 h2
	reprise -r repo backup -q h1 h2
	reprise -r repo restore latest --target r.h >out
	test_cmp h1/f r.h/h1/f
	same_inode r.h/h1/f r.h/h2/g
'

test_expect_success 'a directory and a file in it' '
	same_listing . src/nested src/nested/numbers.txt
'

# restic stores the entries of "." at the root of the tree (/hello.txt).
# Regression: reprise stored the absolute path of the current directory.
test_expect_success 'the current directory' '
	same_listing src .
'

test_expect_success 'a path with a trailing slash and a dot' '
	same_listing . ./src/nested/
'

test_expect_success 'a name with a newline' '
	mkdir nl
	printf "one\n" >"nl/line
break"
	printf "two\n" >"nl/end
"
	touch -d "$T_FIXED" "nl/line
break" "nl/end
" nl
	reprise -r repo backup -q nl
	reprise -r repo restore latest --target r.nl >out
	test_cmp "nl/line
break" "r.nl/nl/line
break"
	test_cmp "nl/end
" "r.nl/nl/end
"
	test "$(find r.nl/nl -mindepth 1 -printf x | wc -c)" = 2
	if have restic; then
		restic -r repo restore latest --target r.nl.restic >out 2>&1
		test_cmp "nl/line
break" "r.nl.restic/nl/line
break"
	fi
'

test_expect_success 'a symlink target that is not UTF-8 comes back as it was' '
	mkdir badlink
	ln -s "$(printf "target\377\376")" badlink/l
	ln -s "$(printf "ok-é")" badlink/m
	reprise -r repo backup -q badlink
	reprise -r repo restore latest --target r.badlink >out
	test "$(readlink r.badlink/badlink/l)" = "$(printf "target\377\376")"
	test "$(readlink r.badlink/badlink/m)" = "$(printf "ok-é")"
	if have restic; then
		restic -r repo check >out 2>&1
	fi
'

if [ "$(id -u)" = 0 ] && have mknod; then
	test_expect_success 'character and block devices (as root)' '
		mkdir dev
		mknod dev/null c 1 3
		mknod dev/blk b 7 200
		chmod 0620 dev/null
		touch -d "$T_FIXED" dev/null dev/blk dev
		reprise -r repo backup -q dev
		reprise -r repo ls -l latest >out
		test_grep "^c.* /dev/null$" out
		test_grep "^b.* /dev/blk$" out
		reprise -r repo restore latest --target r.dev >out
		test -c r.dev/dev/null
		test -b r.dev/dev/blk
		test "$(stat -c "%t:%T %a" r.dev/dev/null)" = "1:3 620"
		test "$(stat -c "%t:%T" r.dev/dev/blk)" = "7:c8"
		tree_equal dev r.dev/dev
		if have restic; then
			restic -r repo restore latest --target r.dev.restic \
				>out 2>&1
			tree_equal dev r.dev.restic/dev
		fi
	'
else
	test_skip 'character and block devices (as root)' 'not root'
fi

test_expect_success 'many files in one directory, deep nesting' '
	mkdir -p many deep
	i=0
	while [ $i -lt 1500 ]; do
		printf "%d\n" $i >"many/file-$i"
		i=$((i + 1))
	done
	d=deep
	i=0
	while [ $i -lt 40 ]; do
		d="$d/level-$i"
		i=$((i + 1))
	done
	mkdir -p "$d"
	printf "bottom\n" >"$d/bottom"
	find many deep -exec touch -d "$T_FIXED" {} +
	reprise -r repo backup -q many deep
	reprise -r repo restore latest --target r.many >out
	tree_equal many r.many/many
	tree_equal deep r.many/deep
	reprise -r repo check --read-data >out
	if have restic; then
		restic -r repo check --read-data >out 2>&1
	fi
'

test_expect_success '--compression off stores the data as it is' '
	reprise -r cr init -q
	seq 1 200000 >compressible
	reprise -r cr --json backup --compression off compressible >off.json
	added=$(json_num data_added off.json)
	packed=$(json_num data_added_packed off.json)
	test "$packed" -ge "$added"
	test "$added" -ge "$(file_size compressible)"
'

test_expect_success '--compression max and auto compress' '
	reprise -r cm init -q
	reprise -r cm --json backup --compression max compressible >max.json
	test $(($(json_num data_added_packed max.json) * 3)) -lt \
		"$(file_size compressible)"
	reprise -r ca init -q
	reprise -r ca --json backup compressible >auto.json
	test $(($(json_num data_added_packed auto.json) * 3)) -lt \
		"$(file_size compressible)"
	for r in cr cm ca; do
		reprise -r $r check --read-data >out
		reprise -r $r restore latest --target "r.$r" >out
		test_cmp compressible "r.$r/compressible"
	done
	if have restic; then
		for r in cr cm ca; do
			restic -r $r check --read-data >out 2>&1
		done
	fi
'

test_expect_success '--parent uses the given snapshot to skip unchanged files' '
	reprise -r repo --json backup src >p1.json
	p1=$(json_str snapshot_id p1.json)
	reprise -r repo backup -q src/nested
	reprise -r repo --json backup --parent "$p1" src >p2.json
	test_grep "\"files_unmodified\":$(find src -type f | wc -l)," p2.json
	reprise -r repo snapshots --json >snaps.json
	test_grep "\"parent\":\"$p1\"" snaps.json
'

# restic says 'invalid id "00000000": no matching ID found' and exits 1.
# Regression: reprise ignored an unknown --parent (exit 0, a snapshot).
test_expect_success '--parent with an unknown ID fails, no snapshot' '
	snapshot_ids repo >before
	test_must_fail 1 reprise -r repo backup --parent 00000000 src \
		>out 2>err
	test_grep "00000000" err
	snapshot_ids repo >after
	test_cmp before after
'

test_expect_success 'a changed file is seen even with the same size and mtime' '
	mkdir same
	printf "aaaa\n" >same/f
	touch -d "$T_FIXED" same/f
	reprise -r repo backup -q same
	# same size, same mtime, new content: the ctime tells
	printf "bbbb\n" >same/f
	touch -d "$T_FIXED" same/f
	reprise -r repo --json backup same >s.json
	test "$(json_num files_changed s.json)" = 1
	reprise -r repo restore latest --target r.same >out
	test_cmp same/f r.same/same/f
'

test_done
