#!/bin/sh
# backup: the options that choose what a snapshot holds, compared with
# restic 0.14 (the oracle: same listing of `ls latest`): --iexclude and
# --iexclude-file (case-insensitive excludes), --exclude-caches (a
# directory with a CACHEDIR.TAG that starts with the signature keeps only
# itself and the tag), --exclude-if-present FILE[:HEADER],
# --exclude-larger-than SIZE (a file of exactly SIZE bytes stays),
# --files-from (comments, blank lines, trimmed blanks, globs; a pattern
# matching nothing is a warning), --files-from-verbatim (as written, a #
# is a name), --files-from-raw (NUL separated, a newline in a name); and
# the options that shape how it is made: --time (local time), --ignore-inode
# (implies --ignore-ctime, as in restic) and --ignore-ctime against the
# parent, --dry-run (reads and counts, writes nothing to the repository);
# and their errors: a bad SIZE or --time is a usage error (exit 2), a
# missing list file or no path at all fails without a snapshot.
. "$(dirname "$0")/lib.sh"

test_expect_success 'setup' '
	reprise -r repo init -q
	if have restic; then
		restic init -q -r rrepo >out 2>&1
	fi
'

# same_listing DIR ARGS...: in DIR, back up ARGS with both tools and
# compare the lists of paths of the two snapshots (restic is the oracle);
# without restic, only the reprise backup is made.  reprise.ls is the
# sorted listing, reprise.err the backup messages of reprise.  The
# header of restic ls ("snapshot ID of [PATHS] filtered by [] at TIME):")
# is dropped: a name may hold a newline, so neither the lines of the
# listing nor those of the header need all start with / or "snapshot".
same_listing() {
	_dir=$1
	shift
	(cd "$_dir" && reprise -r "$SCRATCH/repo" backup -q "$@") \
		2>"$SCRATCH/reprise.err" || return 1
	reprise -r "$SCRATCH/repo" ls latest | LC_ALL=C sort >"$SCRATCH/reprise.ls" ||
		return 1
	if have restic; then
		(cd "$_dir" && restic -r "$SCRATCH/rrepo" backup -q "$@") \
			>"$SCRATCH/restic.out" 2>&1 || return 1
		restic -r "$SCRATCH/rrepo" ls latest 2>/dev/null |
			awk "h { print } / filtered by \\[.*\\] at .*\\):\$/ { h = 1 }" |
			LC_ALL=C sort >"$SCRATCH/restic.ls"
		test_cmp "$SCRATCH/restic.ls" "$SCRATCH/reprise.ls" || return 1
	fi
}

# fails_1_or_2 CMD...: CMD must fail with exit 1 or 2 (restic says 1 for
# these, reprise may call them usage errors).
fails_1_or_2() {
	_rc=0
	"$@" || _rc=$?
	case $_rc in
	1|2) return 0 ;;
	esac
	printf 'fails_1_or_2: expected exit 1 or 2, got %s from: %s\n' \
		"$_rc" "$*" >&2
	return 1
}

# counts FILE: "new changed unmodified" from a JSON backup summary.
counts() {
	_n=$(json_num files_new "$1") || return 1
	_c=$(json_num files_changed "$1") || return 1
	_u=$(json_num files_unmodified "$1") || return 1
	printf '%s %s %s\n' "$_n" "$_c" "$_u"
}

test_expect_success '--iexclude ignores the case of names and patterns' '
	mkdir -p ie/Sub/deep ie/other
	printf "a\n" >ie/A.TXT
	printf "b\n" >ie/b.txt
	printf "c\n" >ie/Sub/deep/c
	printf "d\n" >ie/other/D.Log
	printf "e\n" >ie/other/e.log.keep
	printf "k\n" >ie/keep.bin
	same_listing . ie
	test_grep "^/ie/A.TXT$" reprise.ls
	same_listing . --exclude "*.txt" --exclude "sub" ie
	test_grep "^/ie/A.TXT$" reprise.ls
	test_grep "^/ie/Sub/deep/c$" reprise.ls
	same_listing . --iexclude "*.txt" --iexclude "sub" --iexclude "*.LOG" ie
	test_grep -v "^/ie/A.TXT$" reprise.ls
	test_grep -v "^/ie/b.txt$" reprise.ls
	test_grep -v "^/ie/Sub" reprise.ls
	test_grep -v "^/ie/other/D.Log$" reprise.ls
	test_grep "^/ie/other/e.log.keep$" reprise.ls
	test_grep "^/ie/keep.bin$" reprise.ls
'

test_expect_success '--iexclude-file reads case-insensitive patterns from a file' '
	mkdir -p ief/Build/out ief/src
	printf "o\n" >ief/Build/out/o
	printf "m\n" >ief/src/Main.C
	printf "h\n" >ief/src/main.h
	printf "r\n" >ief/README
	printf "# a comment\n\nBUILD\n*.c\n" >ief.pats
	same_listing . --exclude-file "$SCRATCH/ief.pats" ief
	test_grep "^/ief/Build/out/o$" reprise.ls
	test_grep "^/ief/src/Main.C$" reprise.ls
	same_listing . --iexclude-file "$SCRATCH/ief.pats" ief
	test_grep -v "^/ief/Build" reprise.ls
	test_grep -v "^/ief/src/Main.C$" reprise.ls
	test_grep "^/ief/src/main.h$" reprise.ls
	test_grep "^/ief/README$" reprise.ls
'

test_expect_success '--exclude-caches keeps a tagged directory and its tag, not the rest' '
	mkdir -p ec/cache/sub ec/nested/deeper/cache2 ec/fake/sub ec/late ec/plain
	printf "Signature: 8a477f597d28d172789f06886806bc55\n# a cache\n" \
		>ec/cache/CACHEDIR.TAG
	cp ec/cache/CACHEDIR.TAG ec/nested/deeper/cache2/CACHEDIR.TAG
	printf "x\n" >ec/cache/data
	printf "y\n" >ec/cache/sub/z
	printf "y\n" >ec/nested/deeper/cache2/z
	printf "n\n" >ec/nested/deeper/kept
	printf "Signature: 00000000000000000000000000000000 no cache here\n" \
		>ec/fake/CACHEDIR.TAG
	printf "x\n" >ec/fake/data
	printf "y\n" >ec/fake/sub/z
	printf "# first line\nSignature: 8a477f597d28d172789f06886806bc55\n" \
		>ec/late/CACHEDIR.TAG
	printf "l\n" >ec/late/data
	printf "p\n" >ec/plain/p
	same_listing . --exclude-caches ec
	test_grep "^/ec/cache$" reprise.ls
	test_grep "^/ec/cache/CACHEDIR.TAG$" reprise.ls
	test_grep -v "^/ec/cache/data$" reprise.ls
	test_grep -v "^/ec/cache/sub" reprise.ls
	test_grep "^/ec/nested/deeper/cache2/CACHEDIR.TAG$" reprise.ls
	test_grep -v "^/ec/nested/deeper/cache2/z$" reprise.ls
	test_grep "^/ec/nested/deeper/kept$" reprise.ls
	test_grep "^/ec/fake/data$" reprise.ls
	test_grep "^/ec/fake/sub/z$" reprise.ls
	test_grep "^/ec/late/data$" reprise.ls
	test_grep "^/ec/plain/p$" reprise.ls
	test "$(wc -l <reprise.ls)" = 18
	same_listing ec --exclude-caches cache
	test "$(cat reprise.ls)" = "$(printf "/cache\n/cache/CACHEDIR.TAG")"
	same_listing . ec
	test_grep "^/ec/cache/sub/z$" reprise.ls
'

test_expect_success '--exclude-if-present with and without a header' '
	mkdir -p ep/a/s ep/b/s ep/c ep/d
	printf "SKIPME please\n" >ep/a/.nobackup
	printf "other\n" >ep/b/.nobackup
	: >ep/c/.nobackup
	printf "x\n" >ep/d/.keepout
	for d in a b c d; do
		printf "f\n" >ep/$d/f
	done
	printf "g\n" >ep/a/s/g
	printf "g\n" >ep/b/s/g
	same_listing . --exclude-if-present .nobackup ep
	test_grep "^/ep/a/.nobackup$" reprise.ls
	test_grep "^/ep/c/.nobackup$" reprise.ls
	test_grep -v "^/ep/[abc]/f$" reprise.ls
	test_grep -v "^/ep/[ab]/s" reprise.ls
	test_grep "^/ep/d/f$" reprise.ls
	same_listing . --exclude-if-present .nobackup:SKIPME ep
	test_grep "^/ep/a/.nobackup$" reprise.ls
	test_grep -v "^/ep/a/f$" reprise.ls
	test_grep -v "^/ep/a/s" reprise.ls
	test_grep "^/ep/b/f$" reprise.ls
	test_grep "^/ep/b/s/g$" reprise.ls
	test_grep "^/ep/c/f$" reprise.ls
	same_listing . --exclude-if-present .nobackup:SKIPME \
		--exclude-if-present .keepout ep
	test_grep -v "^/ep/a/f$" reprise.ls
	test_grep -v "^/ep/d/f$" reprise.ls
	test_grep "^/ep/d/.keepout$" reprise.ls
	test_grep "^/ep/b/f$" reprise.ls
'

test_expect_success '--exclude-larger-than keeps a file of exactly SIZE bytes' '
	mkdir -p el/d el/emptydir
	head -c 1023 /dev/zero >el/d/under1k
	head -c 1024 /dev/zero >el/exact1k
	head -c 1025 /dev/zero >el/over1k
	head -c 1048576 /dev/zero >el/exact1m
	head -c 1048577 /dev/zero >el/d/over1m
	: >el/empty
	ln -s over1k el/link
	same_listing . --exclude-larger-than 1k el
	test_grep "^/el/exact1k$" reprise.ls
	test_grep "^/el/d/under1k$" reprise.ls
	test_grep "^/el/empty$" reprise.ls
	test_grep "^/el/link$" reprise.ls
	test_grep "^/el/emptydir$" reprise.ls
	test_grep -v "^/el/over1k$" reprise.ls
	test_grep -v "^/el/exact1m$" reprise.ls
	same_listing . --exclude-larger-than 1024 el
	test_grep "^/el/exact1k$" reprise.ls
	test_grep -v "^/el/over1k$" reprise.ls
	same_listing . --exclude-larger-than 1K el
	test_grep -v "^/el/over1k$" reprise.ls
	same_listing . --exclude-larger-than 1M el
	test_grep "^/el/exact1m$" reprise.ls
	test_grep "^/el/over1k$" reprise.ls
	test_grep -v "^/el/d/over1m$" reprise.ls
	same_listing . --exclude-larger-than 1m el
	test_grep "^/el/exact1m$" reprise.ls
	test_grep -v "^/el/d/over1m$" reprise.ls
	same_listing . --exclude-larger-than 1g el
	test_grep "^/el/d/over1m$" reprise.ls
'

test_expect_success '--files-from: comments, blank lines, trimmed blanks, globs' '
	mkdir -p ff/dir ff/g
	printf "1\n" >ff/one
	printf "2\n" >ff/two
	printf "3\n" >ff/dir/three
	printf "x\n" >ff/extra
	printf "n\n" >ff/notlisted
	printf "s\n" >"ff/sp ace"
	printf "h\n" >"ff/#hash"
	for f in a.log b.log c.txt; do
		printf "%s\n" $f >ff/g/$f
	done
	printf "# a comment\n\n   ff/one   \n\tff/dir\n ff/g/*.log\n" >ff.list
	printf "ff/nomatch*\n  # an indented comment\nff/sp ace\n" >>ff.list
	printf "ff/t?o\n" >ff.list2
	same_listing . --files-from ff.list --files-from ff.list2 ff/extra
	test_grep "does not match any files, skipping" reprise.err
	test_grep "ff/nomatch" reprise.err
	cat >expect <<-EOF
	/ff
	/ff/dir
	/ff/dir/three
	/ff/extra
	/ff/g
	/ff/g/a.log
	/ff/g/b.log
	/ff/one
	/ff/sp ace
	/ff/two
	EOF
	test_cmp expect reprise.ls
'

test_expect_success '--files-from-verbatim takes each line as written' '
	mkdir fv
	for f in "#hash" " lead" "trail " "star*" starx other; do
		printf "%s\n" "$f" >"fv/$f"
	done
	printf "fv/#hash\n\nfv/ lead\nfv/trail \nfv/star*\n" >fv.list
	same_listing . --files-from-verbatim fv.list
	cat >expect <<-EOF
	/fv
	/fv/ lead
	/fv/#hash
	/fv/star*
	/fv/trail 
	EOF
	test_cmp expect reprise.ls
'

test_expect_success '--files-from-raw reads NUL-separated names (a newline in one)' '
	mkdir fr
	printf "nl\n" >"fr/new
line"
	printf "p\n" >fr/plain
	printf "h\n" >"fr/#raw "
	printf "o\n" >fr/other
	printf "fr/new\nline\0fr/plain\0fr/#raw \0" >fr.list
	same_listing . --files-from-raw fr.list
	printf "/fr\n/fr/#raw \n/fr/new\nline\n/fr/plain\n" | LC_ALL=C sort >expect
	test_cmp expect reprise.ls
	reprise -r repo restore latest --target r.fr >out
	test_cmp "fr/new
line" "r.fr/fr/new
line"
	test_path_is_missing r.fr/fr/other
'

test_expect_success '--files-from with no path left, or a missing file: no snapshot' '
	mkdir -p nf
	printf "n\n" >nf/f
	printf "# only a comment\n\n   \n" >nf.list
	printf "nf/nomatch*\n" >nf.list2
	: >nf.raw
	snapshot_ids repo >before
	fails_1_or_2 reprise -r repo backup --files-from nf.list >out 2>err
	test_grep "nothing to back up" err
	fails_1_or_2 reprise -r repo backup --files-from nf.list2 >out 2>err
	test_grep "nothing to back up" err
	fails_1_or_2 reprise -r repo backup --files-from-raw nf.raw >out 2>err
	test_grep "nothing to back up" err
	for o in --files-from --files-from-verbatim --files-from-raw; do
		fails_1_or_2 reprise -r repo backup $o no-such-list nf >out 2>err
		test_grep "no-such-list" err
	done
	snapshot_ids repo >after
	test_cmp before after
	if have restic; then
		test_must_fail 1 restic -r rrepo backup --files-from nf.list \
			>out 2>&1
		test_must_fail 1 restic -r rrepo backup --files-from no-such-list \
			nf >out 2>&1
	fi
'

test_expect_success '--time sets the snapshot time, read as local time' '
	mkdir tm
	printf "t\n" >tm/f
	reprise -r trepo init -q
	reprise_env TZ=UTC -- -r trepo backup -q --time "2020-01-02 03:04:05" tm
	reprise -r trepo snapshots --json >t1.json
	test_grep "\"time\":\"2020-01-02T03:04:05\(\.0*\)\{0,1\}\(Z\|+00:00\)\"" t1.json
	reprise -r trepo snapshots >t1.txt
	test_grep "2020-01-02 03:04:05" t1.txt
	# one hour east of UTC in January: restic (Go) needs the zone file,
	# the C library also reads a POSIX TZ string
	zone=CET-1
	if [ -f /usr/share/zoneinfo/Europe/Berlin ]; then
		zone=Europe/Berlin
	fi
	reprise -r t2repo init -q
	reprise_env TZ=$zone -- -r t2repo backup -q --time "2020-01-02 03:04:05" tm
	reprise -r t2repo snapshots --json >t2.json
	t=$(json_str time t2.json)
	got=$(date -u -d "$t" +%s)
	want=$(date -u -d "2020-01-02 02:04:05" +%s)
	test "$got" = "$want"
	if have restic && [ $zone = Europe/Berlin ]; then
		restic init -q -r rtrepo >out 2>&1
		env TZ=$zone restic -r rtrepo backup -q \
			--time "2020-01-02 03:04:05" tm >out 2>&1
		restic -r rtrepo snapshots --json >rt.json 2>/dev/null
		rt=$(json_str time rt.json)
		rgot=$(date -u -d "$rt" +%s)
		test "$rgot" = "$want"
	fi
'

test_expect_success 'a malformed --time is a usage error, no snapshot' '
	mkdir bt
	printf "t\n" >bt/f
	snapshot_ids repo >before
	for t in yesterday "2020-13-45 03:04:05" "2020-02-30 01:00:00" \
		"2020-01-02 25:00:00" "2020-01-02" "2020-01-02 03:04:05x"
	do
		test_must_fail 2 reprise -r repo backup --time "$t" bt >out 2>err
		test_grep -e "--time" err
		if have restic; then
			test_must_fail 1 restic -r rrepo backup --time "$t" bt \
				>out 2>&1
		fi
	done
	snapshot_ids repo >after
	test_cmp before after
'

test_expect_success 'a bad --exclude-larger-than SIZE is a usage error' '
	mkdir bs
	printf "s\n" >bs/f
	snapshot_ids repo >before
	for s in lots 12q 1.5k 1kb; do
		test_must_fail 2 reprise -r repo backup --exclude-larger-than "$s" \
			bs >out 2>err
		test_grep -e "$s" err
		if have restic; then
			test_must_fail 1 restic -r rrepo backup \
				--exclude-larger-than "$s" bs >out 2>&1
		fi
	done
	snapshot_ids repo >after
	test_cmp before after
'

# A file replaced by a copy (cp -p, then mv): same size and mtime, a new
# inode and a new ctime.  restic 0.14: --ignore-inode implies
# --ignore-ctime, so only --ignore-inode finds it unmodified.
test_expect_success '--ignore-inode: a file copied over is not read again' '
	mkdir ino
	printf "same content\n" >ino/f
	printf "other\n" >ino/g
	touch -d "$T_FIXED" ino/f ino/g ino
	reprise -r repo --json backup ino >i1.json
	p=$(json_str snapshot_id i1.json)
	if have restic; then
		restic -r rrepo --json -q backup ino >r1.json 2>/dev/null
		rp=$(json_str snapshot_id r1.json)
	fi
	cp -p ino/f ino/f.new
	mv ino/f.new ino/f
	touch -d "$T_FIXED" ino
	for o in none --ignore-ctime --ignore-inode "--ignore-inode --ignore-ctime"
	do
		case $o in
		none) opts= want="0 1 1" ;;
		--ignore-ctime) opts=$o want="0 1 1" ;;
		*) opts=$o want="0 0 2" ;;
		esac
		reprise -r repo --json backup --parent "$p" $opts ino >i2.json
		test "$(counts i2.json)" = "$want"
		if have restic; then
			restic -r rrepo --json -q backup --parent "$rp" $opts ino \
				>r2.json 2>/dev/null
			test "$(counts r2.json)" = "$want"
		fi
	done
	reprise -r repo restore latest --target r.ino >out
	test_cmp ino/f r.ino/ino/f
'

test_expect_success '--ignore-ctime: a new ctime alone does not read a file again' '
	mkdir ict
	printf "content\n" >ict/f
	touch -d "$T_FIXED" ict/f ict
	reprise -r repo --json backup ict >c1.json
	p=$(json_str snapshot_id c1.json)
	if have restic; then
		restic -r rrepo --json -q backup ict >r1.json 2>/dev/null
		rp=$(json_str snapshot_id r1.json)
	fi
	# a new ctime, the same inode, size, mtime and mode
	chmod 600 ict/f
	chmod 644 ict/f
	touch -d "$T_FIXED" ict/f
	for o in none --ignore-ctime --ignore-inode; do
		case $o in
		none) opts= want="0 1 0" ;;
		*) opts=$o want="0 0 1" ;;
		esac
		reprise -r repo --json backup --parent "$p" $opts ict >c2.json
		test "$(counts c2.json)" = "$want"
		if have restic; then
			restic -r rrepo --json -q backup --parent "$rp" $opts ict \
				>r2.json 2>/dev/null
			test "$(counts r2.json)" = "$want"
		fi
	done
'

test_expect_success '--dry-run reads everything and writes nothing' '
	reprise -r drepo init -q
	mkdir dry
	head -c 300000 /dev/urandom >dry/random
	printf "small\n" >dry/small
	find drepo -type f ! -path "*/locks/*" | LC_ALL=C sort >before
	reprise -r drepo --json backup --dry-run dry >dry1.json
	reprise -r drepo --json backup -n dry >dry2.json
	find drepo -type f ! -path "*/locks/*" | LC_ALL=C sort >after
	test_cmp before after
	snapshot_ids drepo >ids
	test ! -s ids
	for j in dry1.json dry2.json; do
		added=$(json_num data_added $j)
		test "$added" -gt 300000
		test "$(counts $j)" = "2 0 0"
	done
	if have restic; then
		restic -r rrepo --json -q backup -n dry >rdry.json 2>/dev/null
		test "$(counts rdry.json)" = "2 0 0"
	fi
	# the dry runs left no blob in the index: the real backup adds them
	reprise -r drepo --json backup dry >real.json
	added=$(json_num data_added real.json)
	test "$added" -gt 300000
	test "$(counts real.json)" = "2 0 0"
	reprise -r drepo check --read-data >out
	reprise -r drepo restore latest --target r.dry >out
	test_cmp dry/random r.dry/dry/random
'

test_done
