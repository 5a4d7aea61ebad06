#!/bin/sh
# prune and repair index: after forget, prune removes the data no snapshot
# needs (the repository shrinks), both checkers pass and every remaining
# snapshot restores exactly; --dry-run changes nothing; --max-unused and
# --max-repack-size; reprise prunes what restic wrote and restic prunes
# what reprise wrote; repair index rebuilds a deleted index; prune, forget
# and repair wait for no one: a live lock (a running restic backup, a lock
# of another host) is exit 11 and changes nothing, a stale lock (dead
# process on this host, or older than 30 minutes) does not block and
# unlock removes it.
. "$(dirname "$0")/lib.sh"

# listing DIR: every file under DIR with its checksum (sorted).
listing() {
	(cd "$1" && find . -type f ! -path "./locks/*" -exec sha256sum {} + |
		LC_ALL=C sort -k2)
}

# restore_equal REPO ID SAVED: restores snapshot ID with reprise and the
# result must be the saved tree.
restore_equal() {
	rm -rf "$SCRATCH/re.out"
	reprise -r "$1" restore "$2" --target "$SCRATCH/re.out" >/dev/null ||
		return 1
	tree_equal "$3" "$SCRATCH/re.out/src"
}

# restic_restore_equal REPO ID SAVED: the same with restic.
restic_restore_equal() {
	rm -rf "$SCRATCH/rre.out"
	restic -r "$1" restore "$2" --target "$SCRATCH/rre.out" \
		>"$SCRATCH/rre.log" 2>&1 || { cat "$SCRATCH/rre.log" >&2; return 1; }
	# restic 0.14 restores files densely
	TREE_IGNORE=sparse tree_equal "$3" "$SCRATCH/rre.out/src"
}

# state N [NAME]: changes src into its Nth state and keeps a copy as
# NAME.N (saved.N by default).
state() {
	case $1 in
	1)
		mkdir -p src/sub
		head -c 1500000 /dev/urandom >src/a
		head -c 1200000 /dev/urandom >src/b
		head -c 900000 /dev/urandom >src/sub/c
		seq 1 20000 >src/sub/numbers
		ln -s a src/link
		printf 'small\n' >src/small ;;
	2)
		rm src/a
		head -c 1300000 /dev/urandom >src/d
		printf 'more\n' >>src/sub/numbers ;;
	3)
		rm src/b src/d
		head -c 700000 /dev/urandom >src/e
		# half of c is new, half is kept
		head -c 450000 src/sub/c >c.tmp
		head -c 450000 /dev/urandom >>c.tmp
		mv c.tmp src/sub/c ;;
	esac
	touch -h -d "2024-01-0$1 12:00:00" src/* src/sub/* src
	rm -rf "${2:-saved}.$1"
	cp -a src "${2:-saved}.$1"
}

test_expect_success 'setup: three snapshots of a changing tree' '
	reprise -r repo init -q
	for n in 1 2 3; do
		state $n
		reprise -r repo --json backup src >b$n.json
		json_str snapshot_id b$n.json >id$n
	done
	test "$(ls repo/snapshots | wc -l)" = 3
'

test_expect_success 'prune with nothing to remove deletes no pack' '
	find repo/data -type f | LC_ALL=C sort >before
	reprise -r repo prune >out
	test_grep "0 to delete" out
	find repo/data -type f | LC_ALL=C sort >after
	test_cmp before after
	reprise -r repo check >out
	test "$(ls repo/locks | wc -l)" = 0
'

test_expect_success 'forget the first snapshot; prune --dry-run changes nothing' '
	reprise -r repo forget -q "$(cat id1)"
	test "$(ls repo/snapshots | wc -l)" = 2
	listing repo >before
	reprise -r repo prune --dry-run >out
	test_grep "dry run" out
	listing repo >after
	test_cmp before after
	reprise -r repo prune -n >out
	listing repo >after
	test_cmp before after
'

test_expect_success 'prune removes the unused data: the repository shrinks' '
	cp -a repo repo.before-prune
	before=$(repo_size repo)
	reprise -r repo --json prune >out.json
	after=$(repo_size repo)
	# src/a (1.5 MB of random bytes) was only in the first snapshot
	test "$(json_num bytes_unused out.json)" -gt 1400000
	# all of it is gone but what --max-unused (5% of the repository
	# afterwards) tolerates: which packs share blobs of src/a with
	# blobs still used depends on how the two workers filled them
	left=$(json_num bytes_unused_after out.json)
	used=$(json_num bytes_used out.json)
	test $((left * 95)) -le $((used * 5))
	test $((before - after + left)) -gt 1400000
	test "$(ls repo/locks | wc -l)" = 0
	# nothing is left to prune
	reprise -r repo prune --dry-run >out
	test_grep "0 to delete" out
	test_grep "0 to repack" out
'

test_expect_success 'after prune: reprise check --read-data passes' '
	reprise -r repo check --read-data >out
	test_grep "no errors were found" out
'

if have restic; then
	test_expect_success 'after prune: restic check --read-data passes' '
		restic -r repo check --read-data >out 2>&1
		test_grep "no errors were found" out
	'
fi

test_expect_success 'after prune: the remaining snapshots restore exactly' '
	restore_equal repo "$(cat id2)" saved.2
	restore_equal repo "$(cat id3)" saved.3
	test_must_fail 1 reprise -r repo restore "$(cat id1)" --target x \
		>out 2>err
'

if have restic; then
	test_expect_success 'after prune: restic restores them exactly' '
		restic_restore_equal repo "$(cat id2)" saved.2
		restic_restore_equal repo "$(cat id3)" saved.3
	'
fi

# a repository with unused data in partly used packs: forget snapshot 2
# of a copy made before the prune (snapshot 1 already forgotten).
# Regression: "unlimited" was once a huge percentage whose limit overflowed
# a uint64_t (undefined behaviour), and partly used packs were repacked
# where restic repacks nothing.
test_expect_success '--max-unused unlimited deletes only wholly unused packs' '
	rm -rf mu
	cp -a repo.before-prune mu
	reprise -r mu forget -q "$(cat id2)"
	reprise -r mu prune --max-unused unlimited >out
	test_grep " 0 to repack" out
	test_grep "; 0 B to repack" out
	reprise -r mu check --read-data >out
	restore_equal mu "$(cat id3)" saved.3
'

test_expect_success '--max-unused 0% repacks until nothing unused is left' '
	rm -rf mu0
	cp -a repo.before-prune mu0
	reprise -r mu0 forget -q "$(cat id2)"
	reprise -r mu0 prune --max-unused 0% >out
	test_grep "unused afterwards: 0 B" out
	reprise -r mu0 prune --dry-run --max-unused 0% >out
	test_grep "used .*, unused 0 B" out
	reprise -r mu0 check --read-data >out
	restore_equal mu0 "$(cat id3)" saved.3
'

test_expect_success '--max-unused as restic reads it: a size, or a share of the repository' '
	rm -rf ms
	cp -a repo.before-prune ms
	reprise -r ms forget -q "$(cat id2)"
	listing ms >before
	# 0 bytes, with no percent sign, is restic "--max-unused 0"
	reprise -r ms --json prune -n --max-unused 0 >zero.json
	reprise -r ms --json prune -n --max-unused 0% >zero-pc.json
	test_cmp zero-pc.json zero.json
	test "$(json_num bytes_unused_after zero.json)" = 0
	grep "\"dry_run\":true" zero.json
	# a size above what is unused: nothing is repacked for space
	reprise -r ms --json prune -n --max-unused 100M >big.json
	test "$(json_num packs_to_repack big.json)" = 0
	test "$(json_num blobs_to_repack big.json)" = 0
	unused=$(json_num bytes_unused big.json)
	test "$(json_num bytes_unused_after big.json)" -le "$unused"
	# a share: unused <= p% of used + unused afterwards, as restic
	for p in 1 10 30; do
		reprise -r ms --json prune -n --max-unused $p% >p.json
		left=$(json_num bytes_unused_after p.json)
		used=$(json_num bytes_used p.json)
		test $((left * (100 - p))) -le $((used * p)) || return 1
	done
	listing ms >after
	test_cmp before after
	reprise -r ms --json prune --max-unused 10% >p.json
	grep "\"dry_run\":false" p.json
	test "$(json_num index_files_written p.json)" -ge 1
	reprise -r ms check --read-data >out
	restore_equal ms "$(cat id3)" saved.3
'

test_expect_success '--max-repack-size limits what is repacked' '
	rm -rf mr
	cp -a repo.before-prune mr
	reprise -r mr forget -q "$(cat id2)"
	reprise -r mr prune --max-unused 0% --max-repack-size 1 >out
	test_grep "; 0 B to repack" out
	reprise -r mr prune --max-repack-size 10M --max-unused 0% >out
	test_grep "unused afterwards: 0 B" out
	reprise -r mr check --read-data >out
	restore_equal mr "$(cat id3)" saved.3
'

test_expect_success 'bad prune options are usage errors (exit 2)' '
	listing repo >before
	test_must_fail 2 reprise -r repo prune --max-unused 5x >out 2>err
	test_must_fail 2 reprise -r repo prune --max-unused -5% >out 2>err
	test_must_fail 2 reprise -r repo prune --max-unused "" >out 2>err
	test_must_fail 2 reprise -r repo prune --max-unused 101% >out 2>err
	test_must_fail 2 reprise -r repo prune --max-repack-size lots \
		>out 2>err
	test_must_fail 2 reprise -r repo prune extra >out 2>err
	listing repo >after
	test_cmp before after
'

if have restic; then
	test_expect_success 'restic writes and forgets, reprise prunes, restic checks' '
		# reprise makes the key (fast key derivation); restic writes all else
		reprise -r rr init -q
		rm -rf src
		for n in 1 2 3; do
			state $n rr
			restic -r rr backup -q src >out 2>&1
		done
		restic -r rr snapshots --json >rs.json 2>&1
		grep -o "\"id\":\"[0-9a-f]\{64\}\"" rs.json | cut -d\" -f4 >rr.ids
		test "$(wc -l <rr.ids)" = 3
		restic -r rr forget --keep-last 1 >out 2>&1
		before=$(repo_size rr)
		reprise -r rr prune --max-unused 0% >out
		after=$(repo_size rr)
		test $((before - after)) -gt 2000000
		restic -r rr check --read-data >out 2>&1
		reprise -r rr check --read-data >out
		restore_equal rr "$(sed -n 3p rr.ids)" rr.3
		restic_restore_equal rr "$(sed -n 3p rr.ids)" rr.3
	'

	test_expect_success 'reprise writes and forgets, restic prunes, reprise checks' '
		reprise -r pr init -q
		rm -rf src
		for n in 1 2 3; do
			state $n pr
			reprise -r pr --json backup src >b.json
			json_str snapshot_id b.json >pr.id$n
		done
		reprise -r pr forget -q --keep-last 1
		before=$(repo_size pr)
		restic -r pr prune --max-unused 0 >out 2>&1
		after=$(repo_size pr)
		test $((before - after)) -gt 2000000
		reprise -r pr check --read-data >out
		restic -r pr check --read-data >out 2>&1
		restore_equal pr "$(cat pr.id3)" pr.3
		# and reprise prunes after restic: nothing more to do
		reprise -r pr prune >out
		test_grep "0 to delete" out
		reprise -r pr check --read-data >out
	'
fi

# Regression (build-san): check of a repository without index files once
# called qsort(NULL, 0, ...), which UBSan stops on.
test_expect_success 'repair index rebuilds a deleted index' '
	rm -rf ri
	cp -a repo ri
	chmod -R u+w ri/index
	rm -f ri/index/*
	test_must_fail 1 reprise -r ri check >out 2>err
	reprise -r ri repair index >out
	npacks=$(find ri/data -type f | wc -l)
	test_grep "new index written for $npacks pack" out
	test "$(ls ri/index | wc -l)" -ge 1
	reprise -r ri check --read-data >out
	restore_equal ri "$(cat id2)" saved.2
	restore_equal ri "$(cat id3)" saved.3
	if have restic; then
		restic -r ri check --read-data >out 2>&1
	fi
	test "$(ls ri/locks | wc -l)" = 0
'

test_expect_success 'repair index replaces a damaged index, keeps every pack' '
	rm -rf ri2
	cp -a repo ri2
	chmod -R u+w ri2/index
	for f in ri2/index/*; do
		truncate -s 100 "$f"
	done
	test_must_fail 1 reprise -r ri2 check >out 2>err
	reprise -r ri2 repair index >out
	reprise -r ri2 check --read-data >out
	restore_equal ri2 "$(cat id3)" saved.3
	# a second repair gives the same index content
	reprise -r ri2 repair index >out
	reprise -r ri2 check >out
'

# A restic backup of a fifo holds a shared lock until we write to it.
slow_restic() {
	rm -f "$SCRATCH/in"
	mkfifo "$SCRATCH/in"
	(exec restic -r "$1" backup -q --stdin --stdin-filename held \
		<"$SCRATCH/in" >"$SCRATCH/restic.out" 2>&1) &
	echo $! >"$SCRATCH/restic.pid"
}

# wait_for_lock REPO: waits (10 s at most) for a file in REPO/locks.
wait_for_lock() {
	_t=0
	while [ "$(ls "$1/locks" | wc -l)" -lt 1 ]; do
		_t=$((_t + 1))
		if [ $_t -gt 100 ]; then
			echo "no lock appeared in $1/locks" >&2
			return 1
		fi
		sleep 0.1
	done
}

if have restic; then
	# expect_locked CMD...: CMD must exit 11 and say why; a failure is
	# noted in $SCRATCH/lock.fail (the test goes on, to release the lock)
	expect_locked() {
		_rc=0
		reprise "$@" >"$SCRATCH/out" 2>"$SCRATCH/err" || _rc=$?
		if [ "$_rc" != 11 ] || ! grep -qi lock "$SCRATCH/err"; then
			echo "reprise $*: exit $_rc, not 11:" >&2
			cat "$SCRATCH/err" >&2
			echo "$*" >>"$SCRATCH/lock.fail"
		fi
	}

	# Regression: repair index once exited 1 here, not 11 as prune and
	# forget do.
	test_expect_success 'prune, forget and repair index exit 11 while restic backs up, change nothing' '
		rm -rf lk lock.fail
		cp -a repo.before-prune lk
		reprise -r lk forget -q "$(cat id2)"
		slow_restic lk
		exec 3>in
		wait_for_lock lk
		listing lk >before
		expect_locked -r lk prune
		expect_locked -r lk prune --dry-run
		expect_locked -r lk forget --keep-last 1
		expect_locked -r lk forget --keep-last 1 --prune
		expect_locked -r lk repair index
		listing lk >after
		rc=0
		test_cmp before after || rc=1
		# unlock keeps a live lock
		reprise -r lk unlock >out || rc=1
		test "$(ls lk/locks | wc -l)" = 1 || rc=1
		echo "restic data" >&3
		exec 3>&-
		wait "$(cat restic.pid)"
		test_path_is_missing lock.fail
		test "$rc" = 0
	'

	test_expect_success 'once restic is done, prune runs and the repository is sound' '
		test "$(ls lk/locks | wc -l)" = 0
		reprise -r lk prune >out
		reprise -r lk check --read-data >out
		restic -r lk check --read-data >out 2>&1
		restore_equal lk "$(cat id3)" saved.3
		restic -r lk restore latest --path /held --target held >out 2>&1
		echo "restic data" >expect
		test_cmp expect held/held
	'

	test_expect_success 'a lock of a dead process on this host does not block prune' '
		rm -rf st
		cp -a repo.before-prune st
		reprise -r st forget -q "$(cat id2)"
		slow_restic st
		exec 3>in
		wait_for_lock st
		kill -9 "$(cat restic.pid)"
		wait "$(cat restic.pid)" || true
		exec 3>&-
		test "$(ls st/locks | wc -l)" = 1
		reprise -r st prune >out
		test_grep "wrote .* index file" out
		reprise -r st check --read-data >out
		restore_equal st "$(cat id3)" saved.3
		reprise -r st unlock >out
		test_grep "removed 1 lock" out
		test "$(ls st/locks | wc -l)" = 0
	'
fi

# A reprise backup that holds its lock until $SCRATCH/go exists, run in a
# new UTS namespace under the host name "elsewhere" (root only), with
# extra leading words (such as faketime) in $2.  holder.pid: the pid of
# that reprise (the parent of its command).
other_host_backup() {
	rm -f "$SCRATCH/go" "$SCRATCH/holder.pid"
	(unshare -u sh -c 'hostname elsewhere && exec "$@"' sh $2 \
		$REPRISE_WRAPPER "$REPRISE" -r "$1" backup \
		--stdin-from-command --stdin-filename other -- \
		sh -c 'echo $PPID >"$0/holder.pid"
			while [ ! -e "$0/go" ]; do sleep 0.1; done; echo x' \
		"$SCRATCH" >"$SCRATCH/other.out" 2>&1) &
}

# kill_holder: kill -9 the reprise of other_host_backup (its lock stays),
# then lets its command end.
kill_holder() {
	_t=0
	while [ ! -s "$SCRATCH/holder.pid" ]; do
		_t=$((_t + 1))
		if [ $_t -gt 100 ]; then
			echo "holder.pid did not appear" >&2
			return 1
		fi
		sleep 0.1
	done
	kill -9 "$(cat "$SCRATCH/holder.pid")"
	touch "$SCRATCH/go"
	sleep 0.3
}

can_unshare=0
if [ "$(id -u)" = 0 ] && have unshare &&
   unshare -u sh -c 'hostname elsewhere' 2>/dev/null; then
	can_unshare=1
fi

if [ $can_unshare = 1 ]; then
	test_expect_success 'a fresh lock of another host blocks prune (exit 11) until unlock --remove-all' '
		rm -rf oh
		cp -a repo.before-prune oh
		reprise -r oh forget -q "$(cat id2)"
		other_host_backup oh ""
		wait_for_lock oh || { cat other.out; false; }
		# the holder dies; its host is not ours, so the lock is kept
		kill_holder
		test "$(ls oh/locks | wc -l)" = 1
		listing oh >before
		test_must_fail 11 reprise -r oh prune >out 2>err
		test_grep "elsewhere" err
		listing oh >after
		test_cmp before after
		reprise -r oh unlock >out
		test "$(ls oh/locks | wc -l)" = 1
		reprise -r oh unlock --remove-all >out
		test_grep "removed 1 lock" out
		reprise -r oh prune >out
		reprise -r oh check --read-data >out
	'
else
	test_skip 'a fresh lock of another host blocks prune' \
		'needs root and unshare -u'
fi

# faketime (an LD_PRELOAD library) works with a plain build only: under
# ASan the preloaded library and the sanitizer runtime do not mix
can_fake=0
if have faketime &&
   [ "$(faketime -f -2h date +%s 2>/dev/null || echo 0)" -lt $(($(date +%s) - 3600)) ] &&
   ! { ldd "$REPRISE" 2>/dev/null | grep -q libasan; }; then
	can_fake=1
fi

if [ $can_unshare = 1 ] && [ $can_fake = 1 ]; then
	test_expect_success 'a lock older than 30 minutes is stale, even of another host' '
		rm -rf old
		cp -a repo.before-prune old
		reprise -r old forget -q "$(cat id2)"
		other_host_backup old "faketime -f -2h"
		wait_for_lock old || { cat other.out; false; }
		kill_holder
		test "$(ls old/locks | wc -l)" = 1
		reprise -r old prune >out
		reprise -r old check --read-data >out
		reprise -r old unlock >out
		test_grep "removed 1 lock" out
		test "$(ls old/locks | wc -l)" = 0
	'
else
	test_skip 'a lock older than 30 minutes is stale' \
		'needs root, unshare -u and faketime (and a build without ASan)'
fi

test_done
