#!/bin/sh
# copy: snapshots from one repository into another with another password
# (the second copy of 3-2-1).  restic reads the target (check --read-data,
# restore gives back the source trees); a second copy copies nothing; a
# later copy sends only the new blobs; snapshot IDs and filters choose
# what is copied; a wrong or missing source password is refused; a copy
# killed with -9 in the middle resumes and the result checks clean.
. "$(dirname "$0")/lib.sh"

SRCPW='source password, not the target one'

# state N: changes src into its Nth state and keeps a copy as saved.N.
state() {
	case $1 in
	1)
		mkdir -p src/sub
		head -c 1500000 /dev/urandom >src/a
		head -c 1200000 /dev/urandom >src/sub/b
		seq 1 20000 >src/sub/numbers
		ln -s a src/link
		printf 'small\n' >src/small ;;
	2)
		head -c 800000 /dev/urandom >src/c
		printf 'more\n' >>src/sub/numbers ;;
	3)
		rm src/a
		head -c 300000 /dev/urandom >src/d ;;
	esac
	touch -h -d "2024-01-0$1 12:00:00" src/* src/sub/* src
	rm -rf "saved.$1"
	cp -a src "saved.$1"
}

# listing DIR: every file under DIR but locks, with its checksum.
listing() {
	(cd "$1" && find . -type f ! -path "./locks/*" -exec sha256sum {} + |
		LC_ALL=C sort -k2)
}

# ids_of REPO: the snapshot IDs (file names), sorted.
ids_of() {
	ls "$1/snapshots" | LC_ALL=C sort
}

# src_reprise ARGS...: reprise with the source password.
src_reprise() {
	REPRISE_PASSWORD=$SRCPW reprise "$@"
}

# copy_to TARGET ARGS...: reprise copy from srcrepo into TARGET.
copy_to() {
	_t=$1
	shift
	REPRISE_FROM_PASSWORD=$SRCPW reprise -r "$_t" copy --from-repo srcrepo \
		"$@"
}

# restore_equal REPO ID SAVED [restic]: restores snapshot ID (with restic
# when asked) and the result must be the saved tree.
restore_equal() {
	rm -rf "$SCRATCH/re.out"
	if [ "${4:-}" = restic ]; then
		restic -r "$1" restore "$2" --target "$SCRATCH/re.out" \
			>"$SCRATCH/re.log" 2>&1 || { cat "$SCRATCH/re.log" >&2; return 1; }
		TREE_IGNORE=sparse tree_equal "$3" "$SCRATCH/re.out/src"
		return
	fi
	reprise -r "$1" restore "$2" --target "$SCRATCH/re.out" >/dev/null ||
		return 1
	tree_equal "$3" "$SCRATCH/re.out/src"
}

# copy_of REPO ORIGINAL: the ID of the snapshot in REPO whose "original"
# is ORIGINAL (read with `cat snapshot`).
copy_of() {
	for _s in $(ls "$1/snapshots"); do
		reprise -r "$1" cat snapshot "$_s" >"$SCRATCH/cs.json" || return 1
		if grep -q "\"original\":\"$2\"" "$SCRATCH/cs.json"; then
			echo "$_s"
		fi
	done
}

# field_of REPO ID KEY: a string field of a snapshot in `snapshots --json`.
field_of() {
	reprise -r "$1" snapshots --json >"$SCRATCH/f.json" || return 1
	tr '{' '\n' <"$SCRATCH/f.json" | grep "\"id\":\"$2\"" |
		grep -o "\"$3\":\"[^\"]*\"" | head -n 1 | cut -d'"' -f4
}

test_expect_success 'setup: a source repository with two snapshots' '
	src_reprise -r srcrepo init -q
	state 1
	src_reprise -r srcrepo --json backup src >b1.json
	json_str snapshot_id b1.json >id1
	state 2
	src_reprise -r srcrepo --json backup --tag two src >b2.json
	json_str snapshot_id b2.json >id2
	reprise -r dst init -q
	# the target password does not open the source
	test_must_fail 12 reprise -r srcrepo snapshots >out 2>err
'

test_expect_success 'copy copies every snapshot into the target' '
	listing srcrepo >src.before
	copy_to dst >out
	test_grep "copied 2 snapshot" out
	test "$(ls dst/snapshots | wc -l)" = 2
	listing srcrepo >src.after
	test_cmp src.before src.after
	test "$(find dst/locks srcrepo/locks -type f | wc -l)" = 0
'

test_expect_success 'the copies keep time, tree and paths, and name their original' '
	for n in 1 2; do
		id=$(cat id$n)
		new=$(copy_of dst "$id")
		test -n "$new"
		test "$(field_of dst "$new" tree)" = \
			"$(REPRISE_PASSWORD=$SRCPW field_of srcrepo "$id" tree)"
		test "$(field_of dst "$new" time)" = \
			"$(REPRISE_PASSWORD=$SRCPW field_of srcrepo "$id" time)"
		echo "$new" >new$n
	done
	reprise -r dst snapshots --json --tag two >t.json
	test_grep "\"id\":\"$(cat new2)\"" t.json
'

# Regression: snapshots --json once left out the "original" field that the
# snapshot file holds and that restic snapshots --json prints.
test_expect_success 'snapshots --json shows the original, as restic does' '
	reprise -r dst snapshots --json >s.json
	test_grep "\"original\":\"$(cat id1)\"" s.json
'

test_expect_success 'reprise checks the target and restores the copies exactly' '
	reprise -r dst check --read-data >out
	restore_equal dst "$(cat new1)" saved.1
	restore_equal dst "$(cat new2)" saved.2
'

if have restic; then
	test_expect_success 'restic checks the target (--read-data) and restores the copies' '
		restic -r dst check --read-data >out 2>&1
		test_grep "no errors were found" out
		restore_equal dst "$(cat new1)" saved.1 restic
		restore_equal dst "$(cat new2)" saved.2 restic
		restic -r dst snapshots --json >rs.json 2>&1
		test_grep "\"original\":\"$(cat id1)\"" rs.json
	'
fi

test_expect_success 'a second copy copies nothing and changes nothing' '
	listing dst >before
	copy_to dst >out
	test_grep "copied 0 snapshots, 0 blobs" out
	test_grep "2 already there" out
	listing dst >after
	test_cmp before after
'

test_expect_success 'a new source snapshot: copy sends only the new blobs' '
	state 3
	src_reprise -r srcrepo --json backup src >b3.json
	json_str snapshot_id b3.json >id3
	before=$(repo_size dst)
	copy_to dst >out
	test_grep "copied 1 snapshot" out
	after=$(repo_size dst)
	# d (300 kB) and a few trees are new; a, b and c are not sent again
	test $((after - before)) -lt 600000
	test $((after - before)) -gt 290000
	new=$(copy_of dst "$(cat id3)")
	restore_equal dst "$new" saved.3
	reprise -r dst check --read-data >out
'

test_expect_success 'copy of one snapshot by ID, and with a --tag filter' '
	reprise -r one init -q
	copy_to one "$(cat id2 | cut -c1-8)" >out
	test_grep "copied 1 snapshot" out
	test "$(ls one/snapshots | wc -l)" = 1
	test -n "$(copy_of one "$(cat id2)")"
	reprise -r tagged init -q
	copy_to tagged --tag two >out
	test "$(ls tagged/snapshots | wc -l)" = 1
	reprise -r one check --read-data >out
	reprise -r tagged check >out
'

test_expect_success '--from-password-file reads the source password' '
	printf "%s\n" "$SRCPW" >srcpw
	reprise -r pwf init -q
	reprise -r pwf copy --from-repo srcrepo --from-password-file srcpw >out
	test_grep "copied 3 snapshot" out
	reprise -r pwf2 init -q
	REPRISE_FROM_PASSWORD_FILE=srcpw reprise -r pwf2 copy \
		--from-repo srcrepo >out
	test_grep "copied 3 snapshot" out
	reprise -r pwf check >out
'

test_expect_success 'a wrong source password is exit 12, a missing one exit 2; nothing copied' '
	reprise -r wrong init -q
	listing wrong >before
	test_must_fail 12 env REPRISE_FROM_PASSWORD=nope $REPRISE_WRAPPER \
		"$REPRISE" -r wrong copy --from-repo srcrepo >out 2>err
	test_grep -i "password" err
	test_must_fail 2 reprise -r wrong copy --from-repo srcrepo >out 2>err
	test_must_fail 2 reprise -r wrong copy >out 2>err
	test_must_fail 10 env REPRISE_FROM_PASSWORD=x $REPRISE_WRAPPER \
		"$REPRISE" -r wrong copy --from-repo nosuchrepo >out 2>err
	listing wrong >after
	test_cmp before after
	test "$(ls wrong/locks | wc -l)" = 0
'

# --- an interrupted copy ---

test_expect_success 'setup: a larger source snapshot (12 MB)' '
	mkdir big
	for i in 1 2 3; do
		head -c 4000000 /dev/urandom >big/f$i
	done
	touch -d "2024-02-02 02:02:02" big/* big
	cp -a big big.saved
	src_reprise -r srcrepo --json backup big >bb.json
	json_str snapshot_id bb.json >idbig
	test "$(ls srcrepo/snapshots | wc -l)" = 4
'

# kill_copy TARGET DELAY: starts a copy of every snapshot into TARGET,
# kills it with -9 after DELAY seconds (if it still runs); its exit status
# is in kill.rc (137 when killed).
kill_copy() {
	REPRISE_FROM_PASSWORD=$SRCPW $REPRISE_WRAPPER "$REPRISE" -r "$1" \
		copy --from-repo srcrepo >kill.out 2>&1 &
	_pid=$!
	sleep "$2"
	kill -9 "$_pid" 2>/dev/null || true
	_rc=0
	wait "$_pid" || _rc=$?
	echo "$_rc" >kill.rc
}

test_expect_success 'copy killed with -9 while it writes packs resumes and checks clean' '
	# find a moment where the copy has written packs but not every
	# snapshot (the big one is copied last): kills at fractions of what
	# a whole copy takes on this machine
	rm -rf whole
	reprise -r whole init -q
	t0=$(date +%s.%N)
	copy_to whole >/dev/null
	t1=$(date +%s.%N)
	found=0
	for f in 0.5 0.6 0.4 0.7 0.3 0.8 0.2 0.9 0.45 0.55 0.65 0.35 0.75 0.25; do
		d=$(awk -v a="$t0" -v b="$t1" -v f="$f" \
			"BEGIN { printf \"%.3f\", (b - a) * f }")
		rm -rf part
		reprise -r part init -q
		kill_copy part "$d"
		packs=$(find part/data -type f | wc -l)
		snaps=$(ls part/snapshots | wc -l)
		if [ "$(cat kill.rc)" = 137 ] && [ "$packs" -gt 0 ] && [ "$snaps" -lt 4 ]
		then
			found=1
			break
		fi
	done
	echo "killed after $d s: $packs packs, $snaps snapshots" >kill.what
	cat kill.what
	test $found = 1
	# the killed copy left its lock; unlock removes it (stale: dead PID)
	test "$(ls part/locks | wc -l)" = 1
	reprise -r part unlock >out
	test_grep "removed 1 lock" out
	# what the killed copy left is sound: whole snapshots or none
	reprise -r part check --read-data >out
	if have restic; then
		restic -r part check --read-data >out 2>&1
	fi
	copy_to part >resume.out
	test_grep "copied $((4 - snaps)) snapshot" resume.out
	test_grep "; $snaps already there" resume.out
	test "$(ls part/snapshots | wc -l)" = 4
	reprise -r part check --read-data >out
	new=$(copy_of part "$(cat idbig)")
	rm -rf re.out
	reprise -r part restore "$new" --target re.out >out
	tree_equal big.saved re.out/big
	restore_equal part "$(copy_of part "$(cat id1)")" saved.1
	if have restic; then
		restic -r part check --read-data >out 2>&1
		rm -rf rre
		restic -r part restore "$new" --target rre >out 2>&1
		TREE_IGNORE=sparse tree_equal big.saved rre/big
	fi
	test "$(ls part/locks | wc -l)" = 0
'

test_expect_success 'prune after the resumed copy removes what the killed one left' '
	reprise -r part prune >out
	reprise -r part check --read-data >out 2>err
	test_grep -v "not referenced" err
	if have restic; then
		restic -r part check --read-data >out 2>&1
		test_grep -v "additional files" out
	fi
'

test_done
