#!/bin/sh
# cat and stats, with restic as the oracle: cat prints the same objects
# (blobs byte for byte, JSON files with the same content), stats gives
# restic's numbers under restic's JSON names (docs/reprise.1.md: the
# commands "follow restic's names and meanings").
. "$(dirname "$0")/lib.sh"

have restic || test_skip_all "restic is not installed"

# json_covers THEIRS MINE: every top-level field of the JSON object in
# THEIRS is in MINE with an equal value (restic 0.14 re-encodes a snapshot
# and drops fields it does not know, such as program_version).  Without
# python3: the same bytes once blanks and newlines are removed.
json_covers() {
	if have python3; then
		python3 -c '
import json, sys
a = json.load(open(sys.argv[1], "rb"))
b = json.load(open(sys.argv[2], "rb"))
bad = [k for k in a if k not in b or a[k] != b[k]]
if bad:
    print("JSON differs in %r:\n%r\n%r" % (bad, a, b), file=sys.stderr)
    sys.exit(1)' "$1" "$2"
	else
		tr -d ' \n' <"$1" >"$1.flat"
		tr -d ' \n' <"$2" >"$2.flat"
		test_cmp "$1.flat" "$2.flat"
	fi
}

test_expect_success 'setup: two snapshots' '
	reprise -r repo init -q
	mkdata src
	reprise -r repo --json backup src >b1.json
	reprise -r repo --json backup src/nested >b2.json
	json_str snapshot_id b1.json >id1
	json_str snapshot_id b2.json >id2
	restic -r repo list blobs >blobs 2>/dev/null
	test "$(grep -c "^data " blobs)" -ge 10
	test "$(grep -c "^tree " blobs)" -ge 8
'

test_expect_success 'cat blob prints what restic prints, for every data blob' '
	for b in $(sed -n "s/^data //p" blobs); do
		reprise -r repo cat blob "$b" >mine || exit 1
		restic -r repo cat blob "$b" >theirs 2>/dev/null || exit 1
		test_cmp theirs mine || exit 1
		test "$(sha256sum <mine | cut -c1-64)" = "$b" || exit 1
	done
'

test_expect_success 'cat tree prints the tree blob as restic does' '
	for b in $(sed -n "s/^tree //p" blobs); do
		reprise -r repo cat tree "$b" >mine || exit 1
		restic -r repo cat blob "$b" >theirs 2>/dev/null || exit 1
		test_cmp theirs mine || exit 1
		test "$(sha256sum <mine | cut -c1-64)" = "$b" || exit 1
	done
'

test_expect_success 'cat snapshot and cat index give the same JSON as restic' '
	for s in $(cat id1 id2); do
		reprise -r repo cat snapshot "$s" >mine
		restic -r repo cat snapshot "$s" >theirs 2>/dev/null
		json_covers theirs mine
	done
	for i in $(ls repo/index); do
		reprise -r repo cat index "$i" >mine
		restic -r repo cat index "$i" >theirs 2>/dev/null
		json_covers theirs mine
	done
'

test_expect_success 'cat key and cat pack print the files as they are' '
	k=$(ls repo/keys)
	reprise -r repo cat key "$k" >mine
	test_cmp "repo/keys/$k" mine
	for f in $(find repo/data -type f); do
		reprise -r repo cat pack "$(basename "$f")" >mine || exit 1
		test_cmp "$f" mine || exit 1
	done
'

test_expect_success 'cat of unknown objects fails, bad usage is exit 2' '
	test_must_fail 1 reprise -r repo cat snapshot 00000000 >out 2>err
	test_must_fail 1 reprise -r repo cat blob \
		0000000000000000000000000000000000000000000000000000000000000000 \
		>out 2>err
	test_must_fail 2 reprise -r repo cat blob 1234 >out 2>err
	test_must_fail 2 reprise -r repo cat frobnicate 1234 >out 2>err
	test_must_fail 2 reprise -r repo cat >out 2>err
	test_must_fail 2 reprise -r repo cat snapshot >out 2>err
'

# stats_same MODE ARGS...: reprise and restic give the same JSON numbers.
stats_same() {
	_m=$1
	shift
	reprise -r repo --json stats --mode "$_m" "$@" >"$SCRATCH/mine" ||
		return 1
	restic -r repo stats --json --mode "$_m" "$@" >"$SCRATCH/theirs" \
		2>/dev/null || return 1
	for _k in total_size total_file_count total_blob_count \
		snapshots_count; do
		if grep -q "\"$_k\"" "$SCRATCH/theirs"; then
			if [ "$(json_num "$_k" "$SCRATCH/mine")" != \
			     "$(json_num "$_k" "$SCRATCH/theirs")" ]; then
				echo "stats --mode $_m $*: $_k differs" >&2
				cat "$SCRATCH/theirs" "$SCRATCH/mine" >&2
				return 1
			fi
		elif grep -q "\"$_k\"" "$SCRATCH/mine"; then
			echo "stats --mode $_m $*: $_k only in reprise" >&2
			return 1
		fi
	done
}

test_expect_success 'stats restore-size (the default): as restic' '
	reprise -r repo --json stats >default.json
	reprise -r repo --json stats --mode restore-size >rs.json
	test_cmp rs.json default.json
	test "$(json_num snapshots_count rs.json)" = 2
'

# In restore-size mode restic counts a hard-linked inode's size once and
# counts every node (files, dirs, symlinks, ...) in total_file_count.
# Regression: reprise counted hard links again and files only.
test_expect_success 'stats --mode restore-size gives restic numbers' '
	stats_same restore-size
	stats_same restore-size latest
	stats_same restore-size "$(cut -c1-8 id1)"
'

# In raw-data mode restic's total_size is the stored (packed, compressed)
# size of the blobs and total_blob_count counts tree blobs too.
# Regression: reprise gave the uncompressed size of data blobs only.
test_expect_success 'stats --mode raw-data gives restic numbers' '
	stats_same raw-data
	stats_same raw-data latest
'

# files-by-contents: the nodes with distinct contents (all nodes without
# content count as one); blobs-per-file: of those, each path once and each
# blob once per path, by plaintext size.
test_expect_success 'stats --mode files-by-contents and blobs-per-file: as restic' '
	stats_same files-by-contents
	stats_same files-by-contents latest
	stats_same blobs-per-file
	stats_same blobs-per-file latest
	stats_same blobs-per-file "$(cut -c1-8 id1)"
	reprise -r repo --json stats --mode files-by-contents >fc.json
	reprise -r repo --json stats >rs.json
	test "$(json_num total_file_count fc.json)" -lt \
		"$(json_num total_file_count rs.json)"
'

if have python3; then
	test_expect_success 'every --json output is valid JSON, odd names too' '
		reprise -r repo --json ls latest >o1
		reprise -r repo --json ls "$(cat id1)" >o2
		reprise -r repo --json snapshots >o3
		reprise -r repo --json key list >o4
		reprise -r repo --json check >o5
		reprise -r repo --json stats >o6
		cat b1.json b2.json >o7
		python3 -c "
import json, sys
names = set()
for f in sys.argv[1:]:
    for line in open(f, \"rb\"):
        if line.strip():
            v = json.loads(line)
            if isinstance(v, dict) and \"path\" in v:
                names.add(v[\"path\"])
want = [\"/src/odd names/quote\\\"double\", \"/src/odd names/back\\\\slash\",
        \"/src/odd names/tab\\there\", \"/src/odd names/\u00e9-\u00e4-\u00fc\"]
missing = [w for w in want if w not in names]
if missing:
    print(\"not in ls --json:\", missing, file=sys.stderr)
    sys.exit(1)
" o1 o2 o3 o4 o5 o6 o7
	'
else
	test_skip 'every --json output is valid JSON, odd names too' \
		'python3 is not installed'
fi

test_expect_success 'stats refuses an unknown mode (exit 2)' '
	test_must_fail 2 reprise -r repo stats --mode frobnicate >out 2>err
'

test_done
