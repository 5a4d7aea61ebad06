#!/bin/sh
# corruption-test.sh: damage a repository's files one at a time (flip a
# random bit, overwrite a run of bytes, or truncate) and prove that reprise
# finds and names every damage, and never restores wrong bytes silently.
#
# A pristine repository holds two snapshots of a small tree.  For each
# injection a copy of it gets one damaged file, of one kind: pack (data/),
# index, snapshot, key or config.  Then:
#   check --read-data  must exit non-zero (1; 12 "wrong password" only for
#                      a key file), name the damaged file (keys excepted
#                      when the exit is 12) and, for a pack, every blob
#                      the damage overlaps (ID, first 16 hex digits at
#                      least); a damage of a config, index, snapshot or
#                      pack must never be reported as a wrong password;
#   restore            of each snapshot: every file it did not restore
#                      exactly (missing or different) must be named on
#                      stderr (itself or a directory above it) with a
#                      non-zero exit; a snapshot whose data was hit (a
#                      damaged blob it uses, its own damaged snapshot
#                      file, a damaged config) must not restore with exit
#                      0; again no "wrong password" but for keys.
# It prints per kind "KIND: injected N, detected M (file named F); restore
# safe R of N": M counts the checks that failed as they must (non-zero,
# no wrong password but for keys), F those that also named the file (and
# the blobs), R the injections after which both restores kept the rules;
# then a total.  It exits 1 when a damage was missed or not named, or a
# restore broke a rule (each one is printed, and in the log).
#
# Usage: scripts/corruption-test.sh [-n N] [-b BINARY] [-k KINDS] [-w DIR]
#                                   [-K] [-q]
#   -n N      injections per kind (default 40)
#   -b BINARY reprise (default build/reprise, or $REPRISE)
#   -k KINDS  comma-separated among pack,index,snapshot,key,config (all)
#   -w DIR    work directory (default: new under $TMPDIR; removed at the
#             end unless -K)
#   -K        keep the work directory
#   -q        print only the summary lines (and failures)
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
N=40
BIN=${REPRISE:-$top/build/reprise}
KINDS=pack,index,snapshot,key,config
WORK=
KEEP=0
QUIET=0
while getopts n:b:k:w:Kq opt; do
	case $opt in
	n) N=$OPTARG ;;
	b) BIN=$OPTARG ;;
	k) KINDS=$OPTARG ;;
	w) WORK=$OPTARG ;;
	K) KEEP=1 ;;
	q) QUIET=1 ;;
	*) sed -n '2,/^set -u/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2 ;;
	esac
done
case $BIN in /*) ;; *) BIN=$(pwd)/$BIN ;; esac
[ -x "$BIN" ] || { echo "corruption-test: no binary $BIN" >&2; exit 2; }
if [ -z "$WORK" ]; then
	WORK=$(mktemp -d "${TMPDIR:-/tmp}/reprise-corrupt.XXXXXX") || exit 1
else
	mkdir -p "$WORK" && WORK=$(cd "$WORK" && pwd) || exit 1
fi
cd "$WORK" || exit 1

PW='corruption test password'
export REPRISE_PASSWORD="$PW" REPRISE_KDF_N=1024
unset REPRISE_REPOSITORY REPRISE_PASSWORD_FILE 2>/dev/null || true
export XDG_CACHE_HOME="$WORK/.cache" LC_ALL=C TZ=UTC
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}:exitcode=99"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}:exitcode=98"
LOG=$WORK/log
: >"$LOG"

cleanup() {
	cd /
	if [ "$KEEP" = 0 ]; then
		chmod -R u+rwX "$WORK" 2>/dev/null
		rm -rf "$WORK"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

say() {
	[ "$QUIET" = 1 ] || printf '%s\n' "$*"
	printf '%s\n' "$*" >>"$LOG"
}

die() {
	printf 'corruption-test: %s\n' "$*" >&2
	KEEP=1
	printf 'corruption-test: work directory kept: %s\n' "$WORK" >&2
	exit 1
}

rnd() {
	_r=$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')
	echo $((_r % $1))
}

# rp ARGS...: reprise with a time limit (a hang is a failure too).
rp() {
	timeout 300 "$BIN" "$@"
}

# ---- the pristine repository ----

make_state() {
	case $1 in
	1)
		mkdir -p src/sub/deeper src/other
		head -c 700000 /dev/urandom >src/r1
		head -c 1300000 /dev/urandom >src/r2
		head -c 2100000 /dev/urandom >src/sub/r3
		for i in $(seq 1 25); do
			printf 'small %s\n' "$i" >"src/sub/s$i"
		done
		seq 1 30000 >src/sub/deeper/numbers
		printf 'other\n' >src/other/o
		ln -s r1 src/link ;;
	2)
		head -c 900000 /dev/urandom >src/r4
		printf 'changed\n' >>src/sub/s3
		head -c 100000 /dev/urandom >>src/r2 ;;
	esac
	rm -rf "state.$1"
	cp -a src "state.$1"
}

# blob_list: "pack blob type offset length" for every indexed blob.
blob_list() {
	for _i in $(ls pristine/index); do
		rp -r pristine cat index "$_i" || die "cat index $_i"
		echo
	done | tr '{' '\n' | awk '
		/"blobs":/ { match($0, /"id":"[0-9a-f]+"/);
			     pack = substr($0, RSTART + 6, RLENGTH - 7) }
		/"type":"(data|tree)"/ {
			match($0, /"id":"[0-9a-f]+"/); id = substr($0, RSTART + 6, RLENGTH - 7)
			match($0, /"type":"[a-z]+"/); t = substr($0, RSTART + 8, RLENGTH - 9)
			match($0, /"offset":[0-9]+/); o = substr($0, RSTART + 9, RLENGTH - 9)
			match($0, /"length":[0-9]+/); l = substr($0, RSTART + 9, RLENGTH - 9)
			print pack, id, t, o, l }'
}

# walk TREE PATH: "blob PATH" for TREE and every blob below it.
walk() {
	echo "$1 $2"
	rp -r pristine cat tree "$1" >"$WORK/.tree.$$" || die "cat tree $1"
	sed 's/},{"name"/}\n{"name"/g' "$WORK/.tree.$$" | while IFS= read -r _l; do
		_name=$(printf '%s' "$_l" | grep -o '"name":"[^"]*"' | head -n 1 |
			cut -d'"' -f4)
		_sub=$(printf '%s' "$_l" | grep -o '"subtree":"[0-9a-f]*"' |
			cut -d'"' -f4)
		if [ -n "$_sub" ]; then
			walk "$_sub" "$2/$_name"
		fi
		printf '%s' "$_l" | grep -o '"content":\[[^]]*\]' |
			grep -o '[0-9a-f]\{64\}' | sed "s|\$| $2/$_name|"
	done
}

say "corruption-test: $N injections per kind of $KINDS, $BIN, in $WORK"
make_state 1
rp -r pristine init -q || die "init"
rp -r pristine backup -q src || die "backup 1"
sleep 1
make_state 2
rp -r pristine backup -q src || die "backup 2"
# the snapshots, oldest first, and which blobs each one uses
rp -r pristine snapshots --json | grep -o '"id":"[0-9a-f]\{64\}"' |
	cut -d'"' -f4 >snaps
[ "$(wc -l <snaps)" = 2 ] || die "expected 2 snapshots"
k=0
for s in $(cat snaps); do
	k=$((k + 1))
	root=$(rp -r pristine cat snapshot "$s" | grep -o '"tree":"[0-9a-f]*"' |
		cut -d'"' -f4)
	walk "$root" "" >"uses.$k"
	rm -f "$WORK/.tree."*
done
blob_list >blobs
[ -s blobs ] || die "no blobs in the index"
rp -r pristine check --read-data >>"$LOG" 2>&1 || die "the pristine repository does not check"
chmod -R u+w pristine
( cd pristine && find . -type f ! -path './locks/*' -exec sha256sum {} + |
	LC_ALL=C sort -k2 ) >pristine.sums

# files of each kind
files_of() {
	case $1 in
	pack) find pristine/data -type f ;;
	index) find pristine/index -type f ;;
	snapshot) find pristine/snapshots -type f ;;
	key) find pristine/keys -type f ;;
	config) echo pristine/config ;;
	esac | sed 's|^pristine/||' | LC_ALL=C sort
}

# ---- one injection ----

# damage FILE: damages FILE in place; sets DMG (text), DLO and DHI (the
# damaged byte range, [DLO, DHI)).
damage() {
	_size=$(stat -c %s "$1")
	_m=$(rnd 100)
	if [ "$_m" -lt 55 ]; then
		DLO=$(rnd "$_size")
		DHI=$((DLO + 1))
		_bit=$(rnd 8)
		_b=$(dd if="$1" bs=1 skip="$DLO" count=1 2>/dev/null | od -An -tu1 |
			tr -d ' ')
		# shellcheck disable=SC2059
		printf "\\$(printf '%03o' $((_b ^ (1 << _bit))))" |
			dd of="$1" bs=1 seek="$DLO" count=1 conv=notrunc 2>/dev/null
		DMG="bit $_bit of byte $DLO flipped"
	elif [ "$_m" -lt 75 ] && [ "$_size" -gt 16 ]; then
		DLO=$(rnd $((_size - 16)))
		DHI=$((DLO + 16))
		# 16 bytes that differ from what was there
		: >"$WORK/.run"
		for _b in $(dd if="$1" bs=1 skip="$DLO" count=16 2>/dev/null |
			    od -An -v -tu1); do
			# shellcheck disable=SC2059
			printf "\\$(printf '%03o' $((255 - _b)))" >>"$WORK/.run"
		done
		dd if="$WORK/.run" of="$1" bs=1 seek="$DLO" conv=notrunc \
			2>/dev/null
		DMG="16 bytes at $DLO overwritten"
	else
		DLO=$(rnd "$_size")
		DHI=$_size
		truncate -s "$DLO" "$1"
		DMG="truncated to $DLO of $_size bytes"
	fi
}

# named PATH FILE: FILE names PATH, or a directory above it (followed by
# a separator, so that /src does not match /src/x).
named() {
	grep -qF -- "$1" "$2" && return 0
	_p=$1
	while :; do
		_p=${_p%/*}
		[ -n "$_p" ] || return 1
		if grep -qE -- "$(printf '%s' "$_p" | sed 's/[.[\*^$]/\\&/g')([\"': ]|\$)" "$2"
		then
			return 0
		fi
	done
}

# verdicts, per kind
for kind in pack index snapshot key config; do
	eval "inj_$kind=0 det_$kind=0 nam_$kind=0 rok_$kind=0 rbad_$kind=0"
done
failures=0

note_fail() {
	failures=$((failures + 1))
	printf 'FAIL %s\n' "$*" >>"$LOG"
	printf 'corruption-test: %s\n' "$*" >&2
}

inject() {
	_kind=$1
	_t=$2
	set -- $(files_of "$_kind")
	_f=$(eval echo "\${$(( $(rnd $#) + 1 ))}")
	_id=$(basename "$_f")
	# a fresh copy of the pristine repository, with one damaged file
	rm -rf work
	cp -a pristine work
	damage "work/$_f"
	if cmp -s "work/$_f" "pristine/$_f"; then
		return 0 # nothing changed (truncated to its own size): retry
	fi
	eval "inj_$_kind=\$((inj_$_kind + 1))"
	_what="$_kind $_f: $DMG"
	printf '\n== %s #%s: %s\n' "$_kind" "$_t" "$_what" >>"$LOG"

	# -- check --read-data --
	_rc=0
	rp -r work check --read-data >ck.out 2>&1 || _rc=$?
	cat ck.out >>"$LOG"
	# detected: a non-zero exit of the right kind; named: the file (its
	# ID, 8 hex digits at least; "config") and, in a pack, every blob the
	# damage overlaps (16 hex digits at least)
	_ok=1
	_named=1
	_why=
	_short=$(printf '%s' "$_id" | cut -c1-8)
	if [ "$_rc" = 0 ]; then
		_ok=0 _named=0 _why="check passed"
	elif [ "$_rc" -ge 64 ]; then
		_ok=0 _named=0 _why="check crashed or hung (exit $_rc)"
	elif [ "$_kind" != key ] &&
	     { [ "$_rc" = 12 ] || grep -qi "wrong password" ck.out; }; then
		_ok=0 _why="damage taken for a wrong password (exit $_rc)"
	fi
	# (a key file that no longer opens is a wrong password: enough)
	if [ "$_rc" != 0 ] && ! grep -q "$_short" ck.out &&
	   { [ "$_kind" != key ] || [ "$_rc" != 12 ]; }; then
		_named=0
		_why="${_why:+$_why; }check (exit $_rc) does not name $_f"
	fi
	_hit=
	if [ "$_kind" = pack ]; then
		# the blobs the damage overlaps
		_hit=$(awk -v p="$_id" -v lo="$DLO" -v hi="$DHI" \
			'$1 == p && $4 < hi && $4 + $5 > lo { print $2 }' blobs)
		for _b in $_hit; do
			_bs=$(printf '%s' "$_b" | cut -c1-16)
			if [ "$_rc" != 0 ] && ! grep -q "$_bs" ck.out; then
				_named=0
				_why="${_why:+$_why; }check does not name the damaged blob $_bs"
			fi
		done
	fi
	[ "$_ok" = 0 ] || eval "det_$_kind=\$((det_$_kind + 1))"
	[ "$_named" = 0 ] || eval "nam_$_kind=\$((nam_$_kind + 1))"
	if [ "$_ok" = 0 ] || [ "$_named" = 0 ]; then
		note_fail "$_what: $_why"
	fi

	# -- restore of each snapshot --
	_k=0
	_rbad=0
	for _s in $(cat snaps); do
		_k=$((_k + 1))
		# must this restore fail?
		_must=0
		case $_kind in
		config) _must=1 ;;
		snapshot) [ "$_id" = "$_s" ] && _must=1 ;;
		pack)
			for _b in $_hit; do
				grep -q "^$_b " "uses.$_k" && _must=1
			done ;;
		esac
		rm -rf out
		_rc=0
		rp -r work restore "$_s" --target out >rs.out 2>&1 || _rc=$?
		cat rs.out >>"$LOG"
		_bad=
		if [ "$_rc" -ge 64 ]; then
			_bad="restore crashed or hung (exit $_rc)"
		elif [ "$_kind" != key ] &&
		     { [ "$_rc" = 12 ] || grep -qi "wrong password" rs.out; }; then
			_bad="restore takes the damage for a wrong password"
		elif [ "$_must" = 1 ] && [ "$_rc" = 0 ]; then
			_bad="restore of a snapshot whose data is damaged exits 0"
		fi
		# a file written is right; every file not restored is named,
		# with a non-zero exit (a restore that failed as a whole, writing
		# nothing, need not name each file)
		_wrote=$(find out -type f 2>/dev/null | wc -l)
		for _p in $(cd "state.$_k" && find . -type f | sed 's|^\.||'); do
			[ -z "$_bad" ] || break
			if [ -f "out/src$_p" ]; then
				cmp -s "out/src$_p" "state.$_k$_p" && continue
				if named "src$_p" rs.out; then
					_bad="restore wrote wrong bytes to src$_p (and says so)"
				else
					_bad="restore wrote wrong bytes to src$_p silently"
				fi
			elif [ "$_rc" = 0 ]; then
				_bad="restore exits 0 without src$_p"
			elif [ "$_wrote" != 0 ] && ! named "src$_p" rs.out; then
				_bad="restore does not name src$_p, which it did not restore"
			fi
		done
		if [ -n "$_bad" ]; then
			_rbad=1
			note_fail "restore of snapshot $_k: $_what: $_bad"
		fi
	done
	if [ "$_rbad" = 0 ]; then
		eval "rok_$_kind=\$((rok_$_kind + 1))"
	else
		eval "rbad_$_kind=\$((rbad_$_kind + 1))"
	fi
	[ "$QUIET" = 1 ] || printf '%s #%s: %s: %s%s%s\n' "$_kind" "$_t" "$DMG" \
		"$([ "$_ok" = 1 ] && echo detected || echo MISSED)" \
		"$([ "$_named" = 1 ] || echo ', not named')" \
		"$([ "$_rbad" = 0 ] || echo ', RESTORE BROKE A RULE')"
}

for kind in $(echo "$KINDS" | tr ',' ' '); do
	case $kind in
	pack|index|snapshot|key|config) ;;
	*) die "unknown kind $kind" ;;
	esac
	t=0
	tries=0
	while eval "[ \$inj_$kind -lt $N ]"; do
		t=$((t + 1))
		tries=$((tries + 1))
		[ "$tries" -le $((N * 3 + 10)) ] || die "cannot damage $kind files"
		inject "$kind" "$t"
	done
done

total_inj=0 total_det=0 total_nam=0 total_rok=0
for kind in $(echo "$KINDS" | tr ',' ' '); do
	eval "i=\$inj_$kind d=\$det_$kind nm=\$nam_$kind ok=\$rok_$kind"
	printf '%s: injected %s, detected %s (file named %s); restore safe %s of %s\n' \
		"$kind" "$i" "$d" "$nm" "$ok" "$i"
	total_inj=$((total_inj + i))
	total_det=$((total_det + d))
	total_nam=$((total_nam + nm))
	total_rok=$((total_rok + ok))
done
printf 'total: injected %s, detected %s (file named %s); restore safe %s of %s\n' \
	"$total_inj" "$total_det" "$total_nam" "$total_rok" "$total_inj"
if [ "$failures" != 0 ]; then
	printf 'corruption-test: %s failure(s); log: %s\n' "$failures" "$LOG" >&2
	KEEP=1
	exit 1
fi
exit 0
