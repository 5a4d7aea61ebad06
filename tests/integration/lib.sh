# lib.sh: shared helpers for reprise's shell integration tests.
#
# A test script starts with
#     . "$(dirname "$0")/lib.sh"
# runs a series of
#     test_expect_success 'what is checked' '
#         command
#         command
#     '
# and ends with test_done.  Each body runs in a subshell with set -e and
# set -x, in the scratch directory $SCRATCH that the tests of one script
# share and that is removed at exit.  So every command is an assertion.
# Write one command per line: set -e ignores a failure of "a" in "a && b"
# (test_expect_success refuses a body with a line ending in && or ||), and
# the status of a $(...) used as an argument is lost (assign it first:
# x=$(cmd)).  Output is TAP-ish: "ok N - desc", or "not ok N - desc" and
# the end of the failed body's trace; test_done exits 1 if a test failed.
# A script skips (only when a tool is missing) with test_skip_all.
#
# Environment: $REPRISE (absolute path of the binary, set by
# tests/run-tests.sh), $REPRISE_WRAPPER (e.g. "valgrind -q"), $top (the
# repository root), $TEST_KEEP (set: keep the scratch directory).
# POSIX sh only (runs under dash).
#
# Helpers:
#   reprise ARGS...             $REPRISE under $REPRISE_WRAPPER
#   reprise_env ENV... -- ARGS  the same under env(1) (-u VAR, VAR=value)
#   test_must_fail CODE CMD...  CMD must exit with exactly CODE
#   test_cmp EXPECTED ACTUAL    files are equal (diff -u shown otherwise)
#   test_grep [-v] [opts] PAT FILE   grep that shows the file on failure
#   test_path_is_missing PATH   neither a file nor a (dangling) link
#   test_skip_all REASON        "# SKIP REASON" and exit 0
#   test_skip DESC REASON       one test that cannot run here
#   test_kill_at_exit PID...    end these background processes at exit
#   have CMD                    CMD is on $PATH
#   as_user CMD...              CMD as "nobody" when root ($CAN_DROP = 1)
#   mkdata DIR                  a small tree with every kind of entry
#   tree_equal DIR1 DIR2        content, modes (setuid...), owners, mtimes
#                               (ns), link targets, hard link groups,
#                               xattrs, file types, sparse-ness of big
#                               files; $TREE_IGNORE relaxes some
#   same_inode A B              A and B are hard links of one file
#   json_num KEY FILE, json_str KEY FILE   a value from JSON text
#   snapshot_ids REPO           the snapshot IDs, as `snapshots` orders
#   flip_byte FILE OFFSET       invert one byte in place
#   file_size FILE, repo_size DIR   bytes (du -sb for a directory)

set -u

if [ -z "${REPRISE:-}" ]; then
	top=${top:-$(cd "$(dirname "$0")/../.." && pwd)}
	REPRISE=$top/build/reprise
fi
: "${top:=$(cd "$(dirname "$REPRISE")/.." && pwd)}"
REPRISE_WRAPPER=${REPRISE_WRAPPER:-}
export REPRISE top

# A sanitizer report must never look like an ordinary failure (ASan and
# UBSan exit with 1 by default, which test_must_fail 1 would accept).
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}:exitcode=99"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}:exitcode=98"

# One password for both tools, fast key derivation, nothing inherited.
PW='correct horse battery staple'
export REPRISE_PASSWORD="$PW" RESTIC_PASSWORD="$PW" REPRISE_KDF_N=1024
unset REPRISE_REPOSITORY REPRISE_PASSWORD_FILE REPRISE_NEW_PASSWORD_FILE \
	RESTIC_REPOSITORY RESTIC_PASSWORD_FILE RESTIC_PASSWORD_COMMAND \
	RESTIC_KEY_HINT 2>/dev/null || true
export LC_ALL=C TZ=UTC

SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/reprise-test.XXXXXX") || exit 1
export RESTIC_CACHE_DIR="$SCRATCH/.restic-cache"
export XDG_CACHE_HOME="$SCRATCH/.cache"

test_cleanup() {
	cd /
	# background processes a test started and could not stop (a failed
	# test): end them, but only if they still run in our scratch dir,
	# so that a reused pid never hits another process
	if [ -s "$SCRATCH/.pids" ]; then
		for _p in $(cat "$SCRATCH/.pids"); do
			case "$(readlink "/proc/$_p/cwd" 2>/dev/null)" in
			"$SCRATCH"*) kill -9 "$_p" 2>/dev/null ;;
			esac
		done
	fi
	if [ -n "${TEST_KEEP:-}" ]; then
		printf '# scratch directory kept: %s\n' "$SCRATCH"
		return
	fi
	# packs are 0400 and a test may chmod 000 a file: make it all removable
	chmod -R u+rwX "$SCRATCH" 2>/dev/null
	rm -rf "$SCRATCH"
}
trap 'test_cleanup' EXIT
trap 'exit 130' INT TERM HUP
mkdir -p "$RESTIC_CACHE_DIR" "$XDG_CACHE_HOME" && cd "$SCRATCH" || exit 1

test_count=0
test_failures=0
TEST_TRACE="$SCRATCH/.trace"

reprise() {
	$REPRISE_WRAPPER "$REPRISE" "$@"
}

# test_kill_at_exit PID...: background processes (started in $SCRATCH) to
# end when the script exits, if they still run then.
test_kill_at_exit() {
	printf '%s\n' "$@" >>"$SCRATCH/.pids"
}

# reprise_env ENV-ARGS... -- ARGS...: reprise under env(1), e.g.
# reprise_env -u REPRISE_PASSWORD X=1 -- -r repo snapshots
reprise_env() {
	_e=
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		_e="$_e '$(printf '%s' "$1" | sed "s/'/'\\\\''/g")'"
		shift
	done
	shift
	eval "env $_e \$REPRISE_WRAPPER \"\$REPRISE\" \"\$@\""
}

have() {
	command -v "$1" >/dev/null 2>&1
}

say() {
	printf '# %s\n' "$*"
}

test_skip_all() {
	printf '# SKIP %s\n' "$*"
	trap - EXIT
	test_cleanup
	exit 0
}

# test_expect_success DESC BODY: runs BODY in a subshell with set -e.
test_expect_success() {
	test_count=$((test_count + 1))
	# a quote inside the body ends it early: the rest arrives as more
	# arguments, and would silently never run
	if [ $# != 2 ]; then
		test_failures=$((test_failures + 1))
		printf 'not ok %d - %s (%d arguments: a stray quote in the body?)\n' \
			"$test_count" "$1" "$#"
		return 0
	fi
	# with set -e, a failure inside "a && b" that is not its last command
	# does not stop the body: refuse bodies written in that style
	if printf '%s\n' "$2" | grep -q -e '&&[[:space:]]*$' -e '||[[:space:]]*$'
	then
		test_failures=$((test_failures + 1))
		printf 'not ok %d - %s (body ends a line with && or ||)\n' \
			"$test_count" "$1"
		return 0
	fi
	(
		cd "$SCRATCH" || exit 1
		set -e
		set -x
		eval "$2"
	) >"$TEST_TRACE" 2>&1 </dev/null
	_rc=$?
	if [ $_rc = 0 ]; then
		printf 'ok %d - %s\n' "$test_count" "$1"
	else
		test_failures=$((test_failures + 1))
		printf 'not ok %d - %s (exit %d)\n' "$test_count" "$1" "$_rc"
		sed 's/^/#   /' "$TEST_TRACE" | tail -n 60
	fi
	return 0
}

# test_skip DESC REASON: a test that cannot run here (a tool is missing).
test_skip() {
	test_count=$((test_count + 1))
	printf 'ok %d - %s (skipped: %s)\n' "$test_count" "$1" "$2"
}

test_done() {
	if [ $test_failures = 0 ]; then
		printf '# passed all %d test(s)\n' "$test_count"
		exit 0
	fi
	printf '# failed %d among %d test(s)\n' "$test_failures" "$test_count"
	exit 1
}

# test_must_fail CODE CMD...: CMD must exit with status CODE exactly.
# (A subshell, so that its variables survive nesting.)
test_must_fail() (
	_want=$1
	shift
	_got=0
	"$@" || _got=$?
	if [ "$_got" = "$_want" ]; then
		exit 0
	fi
	printf 'test_must_fail: expected exit %s, got %s from: %s\n' \
		"$_want" "$_got" "$*" >&2
	exit 1
)

test_cmp() {
	if cmp -s "$1" "$2"; then
		return 0
	fi
	printf 'test_cmp: %s and %s differ\n' "$1" "$2" >&2
	diff -u "$1" "$2" >&2
	return 1
}

# test_grep [-v] [grep options] PATTERN FILE
test_grep() {
	_neg=
	if [ "$1" = -v ]; then
		_neg=1
		shift
	fi
	eval "_file=\${$#}"
	if [ -z "$_neg" ]; then
		if grep -q "$@"; then
			return 0
		fi
		printf 'test_grep: no line matches in %s: %s\n' "$_file" "$*" >&2
	else
		if ! grep -q "$@"; then
			return 0
		fi
		printf 'test_grep: unexpected match in %s: %s\n' "$_file" "$*" >&2
		grep "$@" >&2
	fi
	printf -- '--- %s:\n' "$_file" >&2
	head -n 40 "$_file" >&2
	return 1
}

# test_path_is_missing PATH
test_path_is_missing() {
	if [ -e "$1" ] || [ -L "$1" ]; then
		printf 'path exists but should not: %s\n' "$1" >&2
		ls -ld "$1" >&2
		return 1
	fi
	return 0
}

# json_num KEY FILE: prints the first numeric value of "KEY" in FILE.
json_num() {
	_v=$(grep -o "\"$1\":[0-9][0-9.]*" "$2" | head -n 1 | sed 's/.*://')
	if [ -z "$_v" ]; then
		printf 'json_num: no numeric "%s" in %s\n' "$1" "$2" >&2
		return 1
	fi
	printf '%s\n' "$_v"
}

# json_str KEY FILE: prints the first string value of "KEY" in FILE.
json_str() {
	_v=$(grep -o "\"$1\":\"[^\"]*\"" "$2" | head -n 1 |
		sed 's/^[^:]*:"//; s/"$//')
	if [ -z "$_v" ]; then
		printf 'json_str: no string "%s" in %s\n' "$1" "$2" >&2
		return 1
	fi
	printf '%s\n' "$_v"
}

# flip_byte FILE OFFSET: inverts the byte at OFFSET (the file must be
# writable).
flip_byte() {
	_b=$(dd if="$1" bs=1 skip="$2" count=1 2>/dev/null | od -An -tu1 |
		tr -d ' ')
	[ -n "$_b" ] || return 1
	# shellcheck disable=SC2059
	printf "\\$(printf '%03o' $((_b ^ 255)))" |
		dd of="$1" bs=1 seek="$2" count=1 conv=notrunc 2>/dev/null
}

# CAN_DROP: 1 when we can run commands as an unprivileged user (we are
# not root, or root with setpriv/runuser and a "nobody" user).
CAN_DROP=1
if [ "$(id -u)" = 0 ]; then
	if ! id -u nobody >/dev/null 2>&1 || { ! have setpriv && ! have runuser; }
	then
		CAN_DROP=0
	fi
fi

# as_user CMD...: runs CMD as "nobody" when we are root, else as us.
as_user() {
	if [ "$(id -u)" != 0 ]; then
		"$@"
	elif have setpriv; then
		setpriv --reuid="$(id -u nobody)" --regid="$(id -g nobody)" \
			--clear-groups -- "$@"
	else
		runuser -u nobody -- "$@"
	fi
}

file_size() {
	stat -c %s "$1"
}

repo_size() {
	du -sb "$1" | cut -f1
}

# ---- test data ----

# HAVE_XATTR: 1 when setfattr/getfattr exist and the scratch file system
# keeps user xattrs (then mkdata sets some).
HAVE_XATTR=0
if have setfattr && have getfattr && : >"$SCRATCH/.xattr-probe" &&
   setfattr -n user.probe -v 1 "$SCRATCH/.xattr-probe" 2>/dev/null; then
	HAVE_XATTR=1
fi
rm -f "$SCRATCH/.xattr-probe"
T_FIXED='2023-05-06 07:08:09.123456789'

# mkdata DIR: a small tree with every kind of entry reprise must keep:
# text, a 6 MiB random file (several chunks), an empty file and dir,
# nested dirs, symlinks (relative, dangling), hard links, a fifo, setuid,
# setgid and sticky modes, a 20 MiB sparse file, an xattr, odd names
# (space, quotes, backslash, tab, UTF-8, a non-UTF-8 byte), nanosecond
# mtimes, and (as root) a foreign owner.
mkdata() {
	_d=$1
	_bad=$(printf 'bad\377name')
	_tab=$(printf 'tab\there')
	mkdir -p "$_d/nested/deeper/deepest" "$_d/empty dir" "$_d/sticky" \
		"$_d/sgid" "$_d/odd names"
	printf 'hello, world\n' >"$_d/hello.txt"
	seq 1 30000 >"$_d/nested/numbers.txt"
	printf 'deep\n' >"$_d/nested/deeper/deepest/file"
	head -c 6291456 /dev/urandom >"$_d/random.bin"
	: >"$_d/empty"
	ln -s hello.txt "$_d/link"
	ln -s ../../hello.txt "$_d/nested/deeper/uplink"
	ln -s "/nonexistent/dangling target" "$_d/dangling"
	ln -s "empty dir" "$_d/dirlink"
	printf 'linked\n' >"$_d/hard1"
	ln "$_d/hard1" "$_d/nested/hard2"
	ln "$_d/hard1" "$_d/odd names/hard3"
	printf 'pair\n' >"$_d/pair.a"
	ln "$_d/pair.a" "$_d/pair.b"
	mkfifo "$_d/fifo"
	printf '#!/bin/sh\necho setuid\n' >"$_d/setuid"
	chmod 4755 "$_d/setuid"
	printf 'ro\n' >"$_d/readonly"
	chmod 0444 "$_d/readonly"
	printf 'private\n' >"$_d/private"
	chmod 0600 "$_d/private"
	chmod 1777 "$_d/sticky"
	chmod 2755 "$_d/sgid"
	printf 'begin' >"$_d/sparse"
	truncate -s 10M "$_d/sparse"
	printf 'middle' >>"$_d/sparse"
	truncate -s 20M "$_d/sparse"
	printf 'space\n' >"$_d/odd names/with space"
	printf 'single\n' >"$_d/odd names/quote'single"
	printf 'double\n' >"$_d/odd names/quote\"double"
	printf 'backslash\n' >"$_d/odd names/back\\slash"
	printf 'tab\n' >"$_d/odd names/$_tab"
	printf 'utf8\n' >"$_d/odd names/é-ä-ü"
	printf 'latin1\n' >"$_d/odd names/$_bad"
	mkdir "$_d/odd names/dir $_bad"
	printf 'inside\n' >"$_d/odd names/dir $_bad/inner é"
	printf 'xattr\n' >"$_d/xattr.txt"
	if [ "$HAVE_XATTR" = 1 ]; then
		setfattr -n user.test -v 'some value' "$_d/xattr.txt"
		setfattr -n user.other -v 0sAAEC/w== "$_d/xattr.txt"
		setfattr -n user.dir -v dirvalue "$_d/nested"
	fi
	printf 'owned\n' >"$_d/owned"
	if [ "$(id -u)" = 0 ]; then
		chown 4242:4343 "$_d/owned"
	fi
	# times last: creating entries changes their directories' mtimes
	find "$_d" -depth -exec touch -h -d "$T_FIXED" {} +
	touch -h -d '2001-02-03 04:05:06.000000001' "$_d/hello.txt"
	touch -h -d '1999-12-31 23:59:59.999999999' "$_d/link"
	touch -h -d '2020-02-29 12:00:00.5' "$_d/nested/deeper"
	touch -h -d '2024-01-01 00:00:00.000000100' "$_d/odd names/$_bad"
}

# ---- comparing trees ----

# tree_manifest DIR: one line per entry (sorted), then the hard link
# groups.  TREE_IGNORE may list: sparse owner xattr dirtime links (the
# link count and groups, for a part of a tree cut off from some links).
tree_manifest() {
	(
		set +e +x
		cd "$1" || exit 1
		_links=$SCRATCH/.links.$$
		: >"$_links"
		find . -print | LC_ALL=C sort | while IFS= read -r p; do
			set -- $(stat -c '%F|%a|%u:%g|%h|%s|%i|%b|%B' -- "$p" |
				tr ' |' '_ ')
			_type=$1 _mode=$2 _own=$3 _nl=$4 _size=$5 _ino=$6
			_blocks=$7 _bsize=$8
			case " ${TREE_IGNORE:-} " in
			*" owner "*) _own=- ;;
			esac
			_time=$(stat -c %y -- "$p")
			case "$_type" in
			directory)
				case " ${TREE_IGNORE:-} " in
				*" dirtime "*) _time=- ;;
				esac
				printf '%s\tdir\t%s\t%s\t%s\n' "$p" "$_mode" \
					"$_own" "$_time" ;;
			regular*)
				_sum=$(sha256sum <"$p" | cut -c1-64)
				_sp=
				if [ "$_size" -ge 1048576 ]; then
					if [ $((_blocks * _bsize)) -lt \
					     $((_size / 2)) ]; then
						_sp=sparse
					else
						_sp=dense
					fi
					case " ${TREE_IGNORE:-} " in
					*" sparse "*) _sp=- ;;
					esac
				fi
				case " ${TREE_IGNORE:-} " in
				*" links "*) _nl=- ;;
				esac
				printf '%s\tfile\t%s\t%s\t%s\tsize=%s\tlinks=%s\t%s\t%s\n' \
					"$p" "$_mode" "$_own" "$_time" "$_size" \
					"$_nl" "$_sum" "$_sp"
				if [ "$_nl" != - ] && [ "$_nl" -gt 1 ]; then
					printf '%s %s\n' "$_ino" "$p" >>"$_links"
				fi ;;
			symbolic*)
				printf '%s\tsymlink\t%s\t%s\t-> %s\n' "$p" \
					"$_own" "$_time" "$(readlink -- "$p")" ;;
			fifo)
				printf '%s\tfifo\t%s\t%s\t%s\n' "$p" "$_mode" \
					"$_own" "$_time" ;;
			*)
				printf '%s\t%s\t%s\t%s\t%s\n' "$p" "$_type" \
					"$_mode" "$_own" "$_time" ;;
			esac
			case " ${TREE_IGNORE:-} " in
			*" xattr "*) ;;
			*)
				if have getfattr; then
					getfattr -h -d -m - -e hex -- "$p" \
						2>/dev/null | LC_ALL=C sort |
						while IFS= read -r _x; do
						case "$_x" in
						'# file:'*|''|security.*) ;;
						*) printf '%s\txattr\t%s\n' \
							"$p" "$_x" ;;
						esac
					done
				fi ;;
			esac
		done
		# hard link groups: the sorted paths sharing an inode
		LC_ALL=C sort -k1,1n -k2 "$_links" | awk '
			{ ino = $1; sub(/^[0-9]+ /, "");
			  if (ino in g) g[ino] = g[ino] "\t" $0
			  else g[ino] = $0 }
			END { for (i in g) print "hardlink group:\t" g[i] }' |
			LC_ALL=C sort
		rm -f "$_links"
	)
}

# tree_equal DIR1 DIR2: succeeds when both trees hold the same entries
# with the same content and metadata (see tree_manifest); otherwise shows
# the differences on stderr.
tree_equal() {
	_m1=$SCRATCH/.manifest1.$$
	_m2=$SCRATCH/.manifest2.$$
	tree_manifest "$1" >"$_m1" || return 1
	tree_manifest "$2" >"$_m2" || return 1
	if [ ! -s "$_m1" ]; then
		printf 'tree_equal: %s is empty or missing\n' "$1" >&2
		return 1
	fi
	if cmp -s "$_m1" "$_m2"; then
		rm -f "$_m1" "$_m2"
		return 0
	fi
	printf 'tree_equal: %s and %s differ:\n' "$1" "$2" >&2
	diff -u "$_m1" "$_m2" >&2
	rm -f "$_m1" "$_m2"
	return 1
}

# snapshot_ids REPO: the full IDs of the snapshots, in the order of
# `reprise snapshots` (by time).
# Fails when reprise fails (use it as "ids=$(snapshot_ids R)" or with a
# redirection, not inside a test argument, where a failure would be lost).
snapshot_ids() {
	reprise -r "$1" snapshots --json >"$SCRATCH/.snapshots.json" || return 1
	grep -o '"id":"[0-9a-f]\{64\}"' "$SCRATCH/.snapshots.json" |
		sed 's/"id":"//; s/"//'
}

# same_inode A B: A and B exist and are the same file (hard links).
same_inode() {
	_i1=$(stat -c %i -- "$1") || return 1
	_i2=$(stat -c %i -- "$2") || return 1
	if [ "$_i1" != "$_i2" ]; then
		printf 'not hard linked: %s (%s) and %s (%s)\n' "$1" "$_i1" \
			"$2" "$_i2" >&2
		return 1
	fi
}
