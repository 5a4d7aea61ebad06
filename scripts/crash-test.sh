#!/bin/sh
# crash-test.sh: kill -9 reprise at random moments of backup, forget
# --prune, prune and copy, and prove after every kill that nothing was
# lost:
#   - the documented `reprise unlock` removes the dead process's lock (and
#     leaves locks/ empty);
#   - `reprise check --read-data` and `restic check --read-data` pass (on
#     the copy's target too);
#   - every snapshot that existed before the kill is still there (but
#     those the interrupted forget was asked to remove) and restores
#     byte-identical (content, size, mode, mtime) to the source state it
#     was made from; a snapshot the killed command may have finished is
#     checked the same way;
#   - the same command, run again to the end, succeeds.
# It prints one line per kill and a summary
#   "N kills: backup X, prune Y, forget Z, copy W; all checks passed"
# and exits 1 at the first failure (the work directory is kept then).
#
# Usage: scripts/crash-test.sh [-n KILLS] [-b BINARY] [-o OPS] [-m MB]
#                              [-w WORKDIR] [-k] [-q]
#   -n KILLS   kills to make (default 300); only kills that hit a running
#              process count
#   -b BINARY  the reprise binary (default build/reprise; $REPRISE too)
#   -o OPS     the commands to kill, comma-separated, taken in turn (a
#              command is run again until a kill hits it, so that each
#              gets its share; default backup,forget,prune,copy)
#   -m MB      size of the source tree in MB (default 24)
#   -w DIR     work directory (default a new one under $TMPDIR); removed
#              at the end unless -k or a failure
#   -k         keep the work directory
#   -q         print only the summary (and failures)
# POSIX sh; needs restic for the restic checks (skipped with a warning if
# it is missing).
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
KILLS=300
BIN=${REPRISE:-$top/build/reprise}
OPS=backup,forget,prune,copy
MB=24
WORK=
KEEP=0
QUIET=0
while getopts n:b:o:m:w:kq opt; do
	case $opt in
	n) KILLS=$OPTARG ;;
	b) BIN=$OPTARG ;;
	o) OPS=$OPTARG ;;
	m) MB=$OPTARG ;;
	w) WORK=$OPTARG ;;
	k) KEEP=1 ;;
	q) QUIET=1 ;;
	*) sed -n '2,/^# POSIX/p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
	esac
done
case $BIN in /*) ;; *) BIN=$(pwd)/$BIN ;; esac
if [ ! -x "$BIN" ]; then
	echo "crash-test: no reprise binary at $BIN (make first)" >&2
	exit 2
fi
if [ -z "$WORK" ]; then
	WORK=$(mktemp -d "${TMPDIR:-/tmp}/reprise-crash.XXXXXX") || exit 1
else
	mkdir -p "$WORK" || exit 1
	WORK=$(cd "$WORK" && pwd)
fi
cd "$WORK" || exit 1

PW='crash test password'
export REPRISE_PASSWORD="$PW" RESTIC_PASSWORD="$PW" REPRISE_KDF_N=1024
unset REPRISE_REPOSITORY REPRISE_PASSWORD_FILE RESTIC_REPOSITORY \
	RESTIC_PASSWORD_FILE RESTIC_PASSWORD_COMMAND 2>/dev/null || true
export REPRISE_FROM_PASSWORD="$PW"
export RESTIC_CACHE_DIR="$WORK/.restic-cache" XDG_CACHE_HOME="$WORK/.cache"
export LC_ALL=C TZ=UTC
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}:exitcode=99"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}:exitcode=98"
HAVE_RESTIC=1
command -v restic >/dev/null 2>&1 || HAVE_RESTIC=0

LOG=$WORK/log
: >"$LOG"
n_backup=0 n_prune=0 n_forget=0 n_copy=0 kills=0 finished=0 step=0

say() {
	[ "$QUIET" = 1 ] || printf '%s\n' "$*"
	printf '%s\n' "$*" >>"$LOG"
}

fail() {
	printf 'crash-test: FAILED after %s kills (step %s): %s\n' "$kills" \
		"$step" "$*" >&2
	printf 'FAILED: %s\n' "$*" >>"$LOG"
	printf 'crash-test: work directory kept: %s (log: %s)\n' "$WORK" \
		"$LOG" >&2
	trap - EXIT
	exit 1
}

cleanup() {
	cd /
	if [ "$KEEP" = 0 ]; then
		chmod -R u+rwX "$WORK" 2>/dev/null
		rm -rf "$WORK"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# run CMD...: runs CMD, output to the log; fails the run when CMD fails.
run() {
	printf '%s $ %s\n' "$(date +%T.%3N)" "$*" >>"$LOG"
	"$@" >>"$LOG" 2>&1 || fail "exit $?: $*"
}

# rnd N: a random number in [0, N).
rnd() {
	_r=$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')
	echo $((_r % $1))
}

# now_ms: wall clock in milliseconds.
now_ms() {
	date +%s%3N
}

# manifest DIR: type, mode, mtime (ns), link target and content hash of every
# entry under DIR (sorted), the root itself excepted.
manifest() {
	(cd "$1" && find . -mindepth 1 -printf '%y %m %T@ %p -> %l\n' |
		LC_ALL=C sort -k4 >"$WORK/.m.tmp" &&
		find . -type f -exec sha256sum {} + | LC_ALL=C sort -k2 &&
		cat "$WORK/.m.tmp")
}

# ---- the source tree and its states ----

# make_source: MB megabytes in files of 1 to 3 MB, and small files.
make_source() {
	mkdir -p src/small src/deep/er/est
	_left=$((MB * 1024))
	_i=0
	while [ "$_left" -gt 0 ]; do
		_k=$((1024 + $(rnd 2048)))
		[ "$_k" -gt "$_left" ] && _k=$_left
		head -c $((_k * 1024)) /dev/urandom >"src/big$_i"
		_left=$((_left - _k))
		_i=$((_i + 1))
	done
	for _j in $(seq 1 60); do
		printf 'small file %s\n' "$_j" >"src/small/f$_j"
	done
	seq 1 50000 >src/deep/er/est/numbers
	ln -s big0 src/link
	next_file=$_i
}

# mutate: changes the source as a user would between backups: rewrites a
# region of one big file, appends to another, adds a new file, removes an
# old one when the tree has grown, and touches small files.
mutate() {
	set -- src/big*
	_n=$#
	_a=$(eval echo "\${$(( $(rnd "$_n") + 1 ))}")
	_sz=$(stat -c %s "$_a")
	head -c 200000 /dev/urandom |
		dd of="$_a" bs=1 seek=$(rnd "$_sz") conv=notrunc 2>/dev/null
	_b=$(eval echo "\${$(( $(rnd "$_n") + 1 ))}")
	head -c $((50000 + $(rnd 300000))) /dev/urandom >>"$_b"
	head -c $((500000 + $(rnd 1000000))) /dev/urandom \
		>"src/big$next_file"
	next_file=$((next_file + 1))
	_total=$(du -sk src | cut -f1)
	if [ "$_total" -gt $((MB * 1024 + 4096)) ]; then
		rm -f "$1"
	fi
	printf 'changed %s\n' "$step" >>"src/small/f$(( $(rnd 60) + 1 ))"
	printf 'new %s\n' "$step" >"src/small/n$step"
}

# ---- what the repositories must hold ----
# state/snaps: IDs of the snapshots of repo, oldest first; state/m/ID: the
# manifest of the source the snapshot was made from.

snap_ids() {
	ls "$1/snapshots" | LC_ALL=C sort
}

# record_new_snapshots: a snapshot of repo not yet in state/snaps was made
# from the current source (the caller knows it did not change since).
record_new_snapshots() {
	snap_ids repo >"$WORK/.now"
	LC_ALL=C sort "$WORK/state/snaps" >"$WORK/.known"
	_new=$(comm -13 "$WORK/.known" "$WORK/.now")
	for _id in $_new; do
		manifest src >"$WORK/state/m/$_id"
		echo "$_id" >>"$WORK/state/snaps"
	done
	echo "$_new" | grep -c . || true
}

# forget_known ID...: IDs no longer expected in repo.
forget_known() {
	for _id in "$@"; do
		grep -v "^$_id\$" "$WORK/state/snaps" >"$WORK/.s" || true
		mv "$WORK/.s" "$WORK/state/snaps"
	done
}

# verify_restore REPO ID MANIFEST-ID: restores ID from REPO with reprise
# (and, with probability 1/4, with restic) and compares with the manifest.
verify_restore() {
	rm -rf "$WORK/r"
	run "$BIN" -r "$1" restore "$2" --target "$WORK/r"
	manifest "$WORK/r/src" >"$WORK/.got"
	if ! cmp -s "$WORK/state/m/$3" "$WORK/.got"; then
		diff "$WORK/state/m/$3" "$WORK/.got" | head -n 20 >>"$LOG"
		fail "snapshot $2 of $1 does not restore what was backed up"
	fi
	if [ "$HAVE_RESTIC" = 1 ] && [ "$(rnd 4)" = 0 ]; then
		rm -rf "$WORK/r"
		run restic -r "$1" restore "$2" --target "$WORK/r"
		manifest "$WORK/r/src" >"$WORK/.got"
		cmp -s "$WORK/state/m/$3" "$WORK/.got" ||
			fail "restic restores snapshot $2 of $1 wrongly"
	fi
	rm -rf "$WORK/r"
}

# check_repo REPO: unlock, both checkers.
check_repo() {
	run "$BIN" -r "$1" unlock
	_l=$(ls "$1/locks" | wc -l)
	[ "$_l" = 0 ] || fail "$1: $_l lock(s) left after unlock"
	run "$BIN" -r "$1" check --read-data
	if [ "$HAVE_RESTIC" = 1 ]; then
		printf '%s $ restic -r %s check --read-data\n' "$(date +%T.%3N)" \
			"$1" >>"$LOG"
		_rc=0
		restic -r "$1" check --read-data >"$WORK/.restic" 2>&1 || _rc=$?
		cat "$WORK/.restic" >>"$LOG"
		[ "$_rc" = 0 ] || fail "restic check --read-data of $1: exit $_rc"
		grep -q "no errors were found" "$WORK/.restic" ||
			fail "restic check of $1 did not say 'no errors were found'"
	fi
}

# verify_main: repo holds exactly the expected snapshots (given in
# state/snaps, plus those in $1 that may have gone) and each restores.
verify_main() {
	snap_ids repo >"$WORK/.now"
	LC_ALL=C sort "$WORK/state/snaps" >"$WORK/.known"
	_extra=$(comm -13 "$WORK/.known" "$WORK/.now")
	[ -z "$_extra" ] || fail "unexpected snapshot(s) in repo: $_extra"
	_missing=$(comm -23 "$WORK/.known" "$WORK/.now")
	[ -z "$_missing" ] || fail "snapshot(s) lost: $_missing"
	for _id in $(cat "$WORK/.now"); do
		verify_restore repo "$_id" "$_id"
	done
}

# original_of REPO ID: the "original" of a copied snapshot.
original_of() {
	"$BIN" -r "$1" cat snapshot "$2" | grep -o '"original":"[0-9a-f]*"' |
		cut -d'"' -f4
}

# verify_copy: every snapshot of the copy's target is the copy of one we
# know, and restores as its original was made.
verify_copy() {
	for _id in $(snap_ids copyrepo); do
		_o=$(original_of copyrepo "$_id")
		[ -n "$_o" ] || fail "copy $_id has no original"
		[ -f "$WORK/state/m/$_o" ] ||
			fail "copy $_id is of an unknown snapshot $_o"
		verify_restore copyrepo "$_id" "$_o"
	done
}

# ---- timing ----
# state/t.OP: how long OP takes when it runs to its end (ms), measured and
# then kept as a moving average.
note_time() {
	_old=$(cat "$WORK/state/t.$1" 2>/dev/null || echo "$2")
	echo $(((_old * 3 + $2) / 4)) >"$WORK/state/t.$1"
}

# kill_during OP CMD...: starts CMD, kills it with -9 after a random part
# of OP's usual duration; KILLED=1 when the kill hit it, and its exit
# status in RC.
kill_during() {
	_op=$1
	shift
	_t=$(cat "$WORK/state/t.$_op")
	# between 5% and 100% of the usual duration
	_ms=$((_t * (5 + $(rnd 96)) / 100))
	printf '%s $ %s   (kill -9 after %s ms of ~%s)\n' "$(date +%T.%3N)" \
		"$*" "$_ms" "$_t" >>"$LOG"
	_t0=$(now_ms)
	# a subshell between, whose stderr is closed: so that the shell does
	# not print "Killed" for the job
	rm -f "$WORK/.pid" "$WORK/.rc"
	(
		"$@" >>"$LOG" 2>&1 &
		echo $! >"$WORK/.pid"
		_r=0
		wait $! || _r=$?
		echo "$_r" >"$WORK/.rc"
	) 2>/dev/null &
	_outer=$!
	while [ ! -s "$WORK/.pid" ]; do
		sleep 0.01
	done
	sleep "$(printf '%d.%03d' $((_ms / 1000)) $((_ms % 1000)))"
	KILLED=0
	kill -9 "$(cat "$WORK/.pid")" 2>/dev/null && KILLED=1
	wait "$_outer"
	RC=$(cat "$WORK/.rc")
	if [ "$KILLED" = 1 ] && [ "$RC" != 137 ]; then
		# it ended by itself just before the kill
		KILLED=0
	fi
	if [ "$KILLED" = 0 ]; then
		[ "$RC" = 0 ] || fail "exit $RC (not killed): $*"
		note_time "$_op" $(($(now_ms) - _t0))
		finished=$((finished + 1))
	fi
	WHEN=$_ms
}

timed() {
	_op=$1
	shift
	_t0=$(now_ms)
	run "$@"
	note_time "$_op" $(($(now_ms) - _t0))
}

# ---- the operations ----

do_backup() {
	step=$((step + 1))
	mutate
	kill_during backup "$BIN" -r repo backup -q src
	_new=$(record_new_snapshots)
	[ "$_new" -le 1 ] || fail "one backup made $_new snapshots"
	if [ "$KILLED" = 1 ]; then
		n_backup=$((n_backup + 1))
		kills=$((kills + 1))
		say "kill $kills: backup after $WHEN ms ($_new snapshot made)"
		check_repo repo
		verify_main
		# the same backup runs to its end
		timed backup "$BIN" -r repo backup -q src
		record_new_snapshots >/dev/null
	fi
	trim
}

# forget --prune: the newest KEEP snapshots stay, the others may go
do_forget() {
	step=$((step + 1))
	_keep=2
	# at least one more snapshot than is kept, for forget to remove
	while [ "$(wc -l <"$WORK/state/snaps")" -le "$_keep" ]; do
		mutate
		timed backup "$BIN" -r repo backup -q src
		record_new_snapshots >/dev/null
	done
	tail -n "$_keep" "$WORK/state/snaps" >"$WORK/.keep"
	snap_ids repo >"$WORK/.before"
	kill_during forget "$BIN" -r repo forget -q --keep-last "$_keep" --prune
	snap_ids repo >"$WORK/.now"
	LC_ALL=C sort "$WORK/.keep" >"$WORK/.keeps"
	[ -z "$(comm -23 "$WORK/.keeps" "$WORK/.now")" ] ||
		fail "forget removed a snapshot it was to keep"
	# what is gone was meant to go
	forget_known $(comm -23 "$WORK/.before" "$WORK/.now")
	if [ "$KILLED" = 1 ]; then
		n_forget=$((n_forget + 1))
		kills=$((kills + 1))
		say "kill $kills: forget --prune after $WHEN ms ($(wc -l <"$WORK/.now") snapshots left)"
		check_repo repo
		verify_main
		timed forget "$BIN" -r repo forget -q --keep-last "$_keep" --prune
		snap_ids repo >"$WORK/.now"
		cmp -s "$WORK/.keeps" "$WORK/.now" ||
			fail "forget --keep-last $_keep left $(wc -l <"$WORK/.now")"
		forget_known $(comm -23 "$WORK/.before" "$WORK/.now")
	else
		cmp -s "$WORK/.keeps" "$WORK/.now" ||
			fail "forget --keep-last $_keep left $(wc -l <"$WORK/.now")"
	fi
}

# prune with something to do: a new backup and a forget (both run to
# their end) leave unused data
do_prune() {
	step=$((step + 1))
	mutate
	timed backup "$BIN" -r repo backup -q src
	record_new_snapshots >/dev/null
	_first=$(head -n 1 "$WORK/state/snaps")
	if [ "$(wc -l <"$WORK/state/snaps")" -gt 1 ]; then
		run "$BIN" -r repo forget -q "$_first"
		forget_known "$_first"
	fi
	kill_during prune "$BIN" -r repo prune --max-unused 0%
	if [ "$KILLED" = 1 ]; then
		n_prune=$((n_prune + 1))
		kills=$((kills + 1))
		say "kill $kills: prune after $WHEN ms"
		check_repo repo
		verify_main
		timed prune "$BIN" -r repo prune --max-unused 0%
	fi
}

do_copy() {
	step=$((step + 1))
	# a new snapshot, so that the copy has data to send
	mutate
	timed backup "$BIN" -r repo backup -q src
	record_new_snapshots >/dev/null
	snap_ids repo >"$WORK/.src-before"
	kill_during copy "$BIN" -r copyrepo copy -q --from-repo repo
	snap_ids repo >"$WORK/.src-after"
	cmp -s "$WORK/.src-before" "$WORK/.src-after" ||
		fail "copy changed the snapshots of its source"
	if [ "$KILLED" = 1 ]; then
		n_copy=$((n_copy + 1))
		kills=$((kills + 1))
		say "kill $kills: copy after $WHEN ms ($(ls copyrepo/snapshots | wc -l) snapshots in the target)"
		check_repo copyrepo
		# the source was only read: its lock must go, and it checks
		run "$BIN" -r repo unlock
		[ "$(ls repo/locks | wc -l)" = 0 ] || fail "repo: lock left"
		run "$BIN" -r repo check
		verify_copy
		timed copy "$BIN" -r copyrepo copy -q --from-repo repo
	fi
	# every snapshot of repo is in the target now
	for _id in $(snap_ids repo); do
		_found=0
		for _c in $(snap_ids copyrepo); do
			if [ "$(original_of copyrepo "$_c")" = "$_id" ]; then
				_found=1
				break
			fi
		done
		[ "$_found" = 1 ] || fail "snapshot $_id was not copied"
	done
	# keep the target small
	if [ "$(ls copyrepo/snapshots | wc -l)" -gt 3 ]; then
		run "$BIN" -r copyrepo forget -q --keep-last 2 --prune
	fi
}

# trim: keep repo at a few snapshots
trim() {
	if [ "$(wc -l <"$WORK/state/snaps")" -gt 3 ]; then
		snap_ids repo >"$WORK/.before"
		timed forget "$BIN" -r repo forget -q --keep-last 2 --prune
		snap_ids repo >"$WORK/.now"
		forget_known $(comm -23 "$WORK/.before" "$WORK/.now")
	fi
}

# ---- main ----

mkdir -p state/m
: >state/snaps
say "crash-test: $KILLS kills of $OPS, $MB MB source, $BIN, in $WORK"
[ "$HAVE_RESTIC" = 1 ] ||
	say "crash-test: WARNING: restic not found, restic checks skipped"
make_source
run "$BIN" -r repo init -q
run "$BIN" -r copyrepo init -q
# the first runs, to the end, measure each command
timed backup "$BIN" -r repo backup -q src
record_new_snapshots >/dev/null
mutate
timed backup "$BIN" -r repo backup -q src
record_new_snapshots >/dev/null
echo 600 >state/t.forget
echo 600 >state/t.prune
timed copy "$BIN" -r copyrepo copy -q --from-repo repo
mutate
timed backup "$BIN" -r repo backup -q src
record_new_snapshots >/dev/null
timed prune "$BIN" -r repo prune --max-unused 0%
check_repo repo
verify_main

set -- $(echo "$OPS" | tr ',' ' ')
nops=$#
i=0
tries=0
# each command in turn, again until a kill hits it
while [ "$kills" -lt "$KILLS" ]; do
	eval "op=\${$((i % nops + 1))}"
	tries=$((tries + 1))
	before=$kills
	case $op in
	backup) do_backup ;;
	forget) do_forget ;;
	prune) do_prune ;;
	copy) do_copy ;;
	*) fail "unknown operation $op" ;;
	esac
	[ "$kills" = "$before" ] || i=$((i + 1))
	if [ "$tries" -gt $((KILLS * 6 + 20)) ]; then
		fail "too few kills hit a running process ($kills in $tries tries)"
	fi
done
# a last full verification
check_repo repo
check_repo copyrepo
verify_main
verify_copy
printf '%s kills: backup %s, prune %s, forget %s, copy %s; all checks passed\n' \
	"$kills" "$n_backup" "$n_prune" "$n_forget" "$n_copy"
printf '(%s runs ended before their kill; %s steps)\n' "$finished" "$step"
exit 0
