#!/bin/sh
# find: where files are across snapshots, with restic 0.14 as the oracle:
# the same paths in the same snapshots for name patterns (a matching
# folder brings what it holds), -i, -O/-N, -s and the snapshot filters,
# and the same --json matches; --blob lists every file, in every snapshot,
# whose content uses the blob (checked against the trees themselves);
# --tree names the folder a tree is; bad calls are usage errors.
. "$(dirname "$0")/lib.sh"

have restic || test_skip_all "restic is not installed"
have python3 || test_skip_all "python3 is not installed"

test_expect_success 'setup: three snapshots of a changing tree' '
	reprise -r repo init -q
	mkdata src
	reprise -r repo --json backup --tag one src >b1.json
	printf "new\n" >src/nested/added.txt
	reprise -r repo --json backup --tag two src >b2.json
	reprise -r repo --json backup --host elsewhere src/nested >b3.json
	json_str snapshot_id b1.json >id1
	json_str snapshot_id b3.json >id3
'

# blocks FILE: "SNAPSHOT PATH" lines from find text output, sorted (restic
# searches the snapshots in no fixed order).
blocks() {
	awk "/^Found matching entries in snapshot / { s = \$6; next }
	     NF { print s, \$0 }" "$1" | LC_ALL=C sort
}

n=0
for args in "*.txt" "nested" "/src/nested" "hello*" "-i HELLO.TXT" \
	"-i NeStEd" "odd*" "deeper" "nothing-matches" "--tag two *.txt" \
	"--host elsewhere *.txt" "-O 2000-01-01 hello.txt" \
	"-N 2000-01-01 hello.txt" "-O 2999-01-01 *"; do
	n=$((n + 1))
	export args n
	test_expect_success "find $args: the paths restic finds" '
		set -f
		reprise -r repo find $args >mine.$n
		restic -r repo find $args >theirs.$n 2>/dev/null
		reprise -r repo --json find $args >mine.$n.json
		restic -r repo find --json $args >theirs.$n.json 2>/dev/null
		set +f
		blocks mine.$n >m
		blocks theirs.$n >t
		test_cmp t m
		python3 - mine.$n.json theirs.$n.json <<-\EOF
		import json, sys
		def load(f):
		    v = json.load(open(f)) or []
		    return {s["snapshot"]: (s["hits"], sorted(s["matches"], key=lambda m: m["path"])) for s in v}
		a, b = load(sys.argv[1]), load(sys.argv[2])
		if a != b:
		    print("find --json differs:\n%r\n%r" % (a, b), file=sys.stderr)
		    sys.exit(1)
		EOF
	'
done

test_expect_success 'find -s ID searches only that snapshot' '
	reprise -r repo find -s "$(cut -c1-8 id1)" "*.txt" >out
	test "$(grep -c "^Found matching" out)" = 1
	test_grep "snapshot $(cut -c1-8 id1) " out
	test_grep -v "added.txt" out
	reprise -r repo find -l hello.txt >long
	test_grep " /src/hello.txt$" long
'

# files_with BLOB: "SNAPSHOT PATH" of every file whose content uses BLOB,
# read from the trees with reprise cat (the expectation).
files_with() {
	for s in $(reprise -r repo --json snapshots |
		python3 -c "import json,sys; print(\" \".join(x[\"id\"] for x in json.load(sys.stdin)))")
	do
		python3 - "$s" "$1" <<-\EOF
		import json, subprocess, sys, os
		snap, blob = sys.argv[1], sys.argv[2]
		rep = os.environ["REPRISE"]
		def cat(kind, i):
		    return json.loads(subprocess.run([rep, "-r", "repo", "cat", kind, i], check=True, capture_output=True).stdout)
		def walk(tree, path):
		    for n in cat("tree", tree)["nodes"]:
		        p = path + "/" + n["name"]
		        if blob in (n.get("content") or []):
		            print(snap[:8], p)
		        if n["type"] == "dir":
		            walk(n["subtree"], p)
		walk(cat("snapshot", snap)["tree"], "")
		EOF
	done | LC_ALL=C sort
}

test_expect_success 'find --blob lists every file that uses the blob' '
	tree=$(reprise -r repo cat snapshot "$(cat id1)" |
		python3 -c "import json,sys; print(json.load(sys.stdin)[\"tree\"])")
	blob=$(python3 - "$tree" <<-\EOF
	import json, subprocess, sys, os
	rep = os.environ["REPRISE"]
	def cat(i):
	    return json.loads(subprocess.run([rep, "-r", "repo", "cat", "tree", i], check=True, capture_output=True).stdout)
	src = [n for n in cat(sys.argv[1])["nodes"] if n["name"] == "src"][0]
	hello = [n for n in cat(src["subtree"])["nodes"] if n["name"] == "hello.txt"][0]
	print(hello["content"][0])
	EOF
	)
	test -n "$blob"
	files_with "$blob" >expected
	test "$(wc -l <expected)" -ge 2
	reprise -r repo find --blob "$(echo "$blob" | cut -c1-12)" >out
	awk "/^ \\.\\.\\. in \\// { p = \$3 } /^ \\.\\.\\. in snapshot / { print \$4, p }" out |
		LC_ALL=C sort >got
	test_cmp expected got
	reprise -r repo --json find --blob "$blob" >out.json
	python3 -c "import json,sys; v=json.load(open(\"out.json\")); sys.exit(0 if len(v) == $(wc -l <expected) and all(x[\"id\"] == \"$blob\" for x in v) else 1)"
'

test_expect_success 'find --tree names the folder a tree is' '
	sub=$(reprise -r repo cat snapshot "$(cat id3)" |
		python3 -c "import json,sys; print(json.load(sys.stdin)[\"tree\"])")
	reprise -r repo find --tree "$sub" >out
	test_grep "^Found tree $sub$" out
	test_grep "^ \\.\\.\\. in /$" out
'

test_expect_success 'bad find calls are usage errors (exit 2)' '
	test_must_fail 2 reprise -r repo find >out 2>err
	test_must_fail 2 reprise -r repo find --blob not-hex >out 2>err
	test_grep "hexadecimal" err
	test_must_fail 2 reprise -r repo find --blob --tree abcd >out 2>err
	test_must_fail 2 reprise -r repo find -O yesterday x >out 2>err
	test_grep -e "--oldest" err
'

test_done
