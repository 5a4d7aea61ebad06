#!/bin/sh
# Faults around a backup:
#  - the repository's disk fills up (a 4 MB tmpfs): the backup fails and
#    says so, records no snapshot, leaves no half-written file under a
#    final name, and once there is room a backup works;
#  - source files vanish, grow or shrink while they are read: the
#    snapshot checks, and what it restores is what the files held;
#  - the repository is read-only (a read-only bind mount, or chattr +i):
#    a clear error and a non-zero exit, nothing changed.
# The mounts need root; each part is skipped where it cannot be set up.
. "$(dirname "$0")/lib.sh"

MOUNTS=
# undo our mounts before the lib removes the scratch directory
# (mounts made inside a test body, a subshell, are listed in $SCRATCH/mounts)
trap 'for m in $MOUNTS $(cat "$SCRATCH/mounts" 2>/dev/null); do
	umount "$m" 2>/dev/null; done; test_cleanup' EXIT

# names_match_content REPO: every file of data/, index/, snapshots/ and
# keys/ has the SHA-256 of its content as its name (a file written under
# its final name before it was whole would not), and anything else there
# is a temporary file (name starting with .tmp).
names_match_content() {
	_bad=0
	for _f in $(find "$1/data" "$1/index" "$1/snapshots" "$1/keys" -type f); do
		_n=$(basename "$_f")
		case $_n in
		.tmp*) continue ;;
		esac
		_s=$(sha256sum <"$_f" | cut -c1-64)
		if [ "$_s" != "$_n" ]; then
			echo "$_f: content hashes to $_s" >&2
			_bad=1
		fi
	done
	return $_bad
}

# leftovers REPO: files in the repository that are not objects (neither a
# 64-hex name nor config), e.g. temporary files.
leftovers() {
	find "$1" -type f ! -name config | while read -r _f; do
		_n=$(basename "$_f")
		case $_n in
		[0-9a-f]*) [ ${#_n} = 64 ] && continue ;;
		esac
		echo "$_f"
	done
}

# --- a full disk ---

can_mount=0
if [ "$(id -u)" = 0 ] && mkdir small &&
   mount -t tmpfs -o size=4m tmpfs "$SCRATCH/small" 2>/dev/null; then
	can_mount=1
	MOUNTS="$SCRATCH/small"
fi

if [ $can_mount = 1 ]; then
	test_expect_success 'setup: a repository on a 4 MB file system, one snapshot' '
		reprise -r small/repo init -q
		mkdir data
		printf "first\n" >data/first
		reprise -r small/repo backup -q data
		snapshot_ids small/repo >snaps.before
		test "$(wc -l <snaps.before)" = 1
		mkdir big
		head -c 10485760 /dev/urandom >big/random
	'

	test_expect_success 'a backup of 10 MB fails on the full disk and says so' '
		rc=0
		reprise -r small/repo backup big >out 2>err || rc=$?
		cat err
		test "$rc" != 0
		test "$rc" -lt 64
		test_grep -i "no space\|disk is full\|disk full" err
	'

	test_expect_success 'no snapshot was recorded, no lock is left' '
		snapshot_ids small/repo >snaps.after
		test_cmp snaps.before snaps.after
		test "$(ls small/repo/locks | wc -l)" = 0
	'

	test_expect_success 'no half-written file under a final name' '
		names_match_content small/repo
		leftovers small/repo | grep -v "/\.tmp[^/]*\$" >left || true
		cat left
		test ! -s left
	'

	test_expect_success 'the repository still checks (reprise and restic)' '
		reprise -r small/repo check --read-data >out
		if have restic; then
			restic -r small/repo check --read-data >out 2>&1
		fi
	'

	test_expect_success 'once there is room, the same backup works' '
		mount -o remount,size=64m "$SCRATCH/small"
		reprise -r small/repo --json backup big >b.json
		reprise -r small/repo check --read-data >out
		rm -rf r
		reprise -r small/repo restore latest --target r >out
		cmp big/random r/big/random
		test "$(snapshot_ids small/repo | wc -l)" = 2
	'

	test_expect_success 'a copy into a full disk fails, records nothing, and resumes' '
		mkdir small2
		mount -t tmpfs -o size=4m tmpfs "$SCRATCH/small2"
		echo "$SCRATCH/small2" >>mounts
		reprise -r small2/target init -q
		rc=0
		REPRISE_FROM_PASSWORD=$PW reprise -r small2/target copy \
			--from-repo small/repo >out 2>err || rc=$?
		cat err
		test "$rc" != 0
		test "$rc" -lt 64
		test_grep -i "no space\|disk is full\|disk full" err
		# the small first snapshot fits, the 10 MB one does not
		test "$(ls small2/target/snapshots | wc -l)" -lt 2
		test "$(ls small2/target/locks | wc -l)" = 0
		names_match_content small2/target
		reprise -r small2/target check >out
		mount -o remount,size=64m "$SCRATCH/small2"
		REPRISE_FROM_PASSWORD=$PW reprise -r small2/target copy \
			--from-repo small/repo >out
		test "$(ls small2/target/snapshots | wc -l)" = 2
		reprise -r small2/target check --read-data >out
		rm -rf r
		reprise -r small2/target restore latest --path "$SCRATCH/big" \
			--target r >out
		cmp big/random r/big/random
	'

	test_expect_success 'prune on a full disk fails without losing data' '
		reprise -r small/repo forget -q --keep-last 1
		# fill the disk with an unrelated file
		mount -o remount,size=40m "$SCRATCH/small"
		rc=0
		dd if=/dev/zero of=small/filler bs=1M count=64 2>/dev/null || rc=$?
		rc=0
		reprise -r small/repo prune --max-unused 0% >out 2>err || rc=$?
		cat out err
		rm -f small/filler
		reprise -r small/repo unlock >out
		reprise -r small/repo check --read-data >out
		rm -rf r
		reprise -r small/repo restore latest --target r >out
		cmp big/random r/big/random
		reprise -r small/repo prune --max-unused 0% >out
		reprise -r small/repo check --read-data >out
	'
else
	test_skip 'a full disk (tmpfs of 4 MB)' 'cannot mount a tmpfs here'
fi

# --- source files that change while they are read ---

test_expect_success 'setup: a repository and a tree of many files' '
	reprise -r repo init -q
	mkdir -p many/a many/b many/c
	for d in a b c; do
		for i in $(seq 1 300); do
			printf "file %s %s\n" "$d" "$i" >many/$d/f$i
		done
	done
	head -c 8000000 /dev/urandom >many/big
	cp -a many many.orig
'

# files_prefix_of RESTORED ORIG: every file under RESTORED has the same
# path under ORIG and is a prefix of it (equal, or cut short).
files_prefix_of() {
	(cd "$1" && find . -type f) | while read -r _p; do
		if [ ! -f "$2/$_p" ]; then
			echo "restored $_p was never in the source" >&2
			return 1
		fi
		_s=$(stat -c %s "$1/$_p")
		if ! cmp -s -n "$_s" "$1/$_p" "$2/$_p"; then
			echo "restored $_p is not what the source held" >&2
			return 1
		fi
	done
}

test_expect_success 'files vanish during the backup: the snapshot checks and restores what was read' '
	(
		for d in a b c; do
			for i in $(seq 1 300); do
				rm -f many/$d/f$i
			done
		done
	) &
	rm_pid=$!
	rc=0
	reprise -r repo --json backup many >b.json 2>err || rc=$?
	wait $rm_pid
	cat err
	test "$rc" = 0 -o "$rc" = 3
	reprise -r repo check --read-data >out
	rm -rf r
	reprise -r repo restore latest --target r >out
	# what was restored is exactly what the files held
	for f in $(cd r/many && find . -type f); do
		cmp "r/many/$f" "many.orig/$f"
	done
	if have restic; then
		restic -r repo check --read-data >out 2>&1
	fi
'

test_expect_success 'a file grows during the backup: the snapshot checks, the file is a prefix' '
	rm -rf many
	cp -a many.orig many
	(
		i=0
		while [ $i -lt 200 ]; do
			head -c 65536 /dev/urandom >>many/big
			i=$((i + 1))
		done
	) &
	grow_pid=$!
	rc=0
	reprise -r repo --json backup many >b.json 2>err || rc=$?
	wait $grow_pid
	cat err
	test "$rc" = 0 -o "$rc" = 3
	reprise -r repo check --read-data >out
	rm -rf r
	reprise -r repo restore latest --target r >out
	files_prefix_of r/many many
	reprise -r repo ls -l latest /many/big >ls.out
	size=$(awk "/\/many\/big\$/ { print \$4 }" ls.out)
	test -n "$size"
	test "$size" = "$(stat -c %s r/many/big)"
	if have restic; then
		restic -r repo check --read-data >out 2>&1
	fi
'

test_expect_success 'a file shrinks during the backup: no byte that was not in it' '
	rm -rf many
	cp -a many.orig many
	(
		sleep 0.25
		truncate -s 1000000 many/big
	) &
	cut_pid=$!
	rc=0
	reprise -r repo --json backup many >b.json 2>err || rc=$?
	wait $cut_pid
	cat err
	test "$rc" = 0 -o "$rc" = 3
	reprise -r repo check --read-data >out
	rm -rf r
	reprise -r repo restore latest --target r >out
	files_prefix_of r/many many.orig
	if have restic; then
		restic -r repo check --read-data >out 2>&1
	fi
'

# --- a read-only repository ---

ro=none
if [ "$(id -u)" = 0 ]; then
	reprise -r rw/repo init -q >/dev/null 2>&1
	mkdir -p rodir
	if mount --bind rw rodir 2>/dev/null; then
		MOUNTS="$SCRATCH/rodir $MOUNTS"
		if mount -o remount,ro,bind rodir 2>/dev/null &&
		   ! touch rodir/probe 2>/dev/null; then
			ro=bind
		fi
	fi
	if [ $ro = none ] && have chattr &&
	   chattr -R +i rw/repo 2>/dev/null &&
	   ! touch rw/repo/probe 2>/dev/null; then
		ro=chattr
	fi
fi
case $ro in
bind) RO=rodir/repo ;;
chattr) RO=rw/repo ;;
esac

if [ $ro != none ]; then
	test_expect_success "setup: a read-only repository ($ro)" '
		(cd rw/repo && find . -type f | LC_ALL=C sort |
			xargs sha256sum) >ro.before
		printf "x\n" >one.txt
	'

	# Regression: on a read-only repository reprise once said
	# "input/output error" (EROFS / EPERM reported as an I/O error),
	# which sends the user looking for a broken disk; forget even said
	# "the repository is locked" and exited 11.
	for cmd in "backup one.txt" "prune" "forget --keep-last 1" \
		   "repair index" "check"; do
		export cmd
		test_expect_success "read-only repository: $cmd fails with a clear error" '
			rc=0
			reprise -r "$RO" $cmd >out 2>err || rc=$?
			cat err
			test "$rc" != 0
			test "$rc" -lt 64
			test_grep -i "read-only\|permission\|not permitted" err
			(cd rw/repo && find . -type f | LC_ALL=C sort |
				xargs sha256sum) >ro.after
			test_cmp ro.before ro.after
		'
	done
	if [ $ro = chattr ]; then
		chattr -R -i rw/repo
	fi
else
	test_skip 'a read-only repository' \
		'no read-only bind mount and no chattr +i here'
fi

test_done
