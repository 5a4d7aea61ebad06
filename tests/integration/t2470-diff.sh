#!/bin/sh
# diff: what changed from one snapshot to another, with restic 0.14 as the
# oracle: the same change lines in the same order (+ added, - removed with
# all a folder held, M content changed, U metadata with --metadata), the
# same counts, and in --json the same statistics, blob counts and byte
# sizes included; identical snapshots show no change; bad calls are
# errors.  A type change (T) is where reprise says more than restic: a
# folder that replaced a file is listed with what it holds, and its blobs
# are counted as added (restic 0.14 names the folder only).
. "$(dirname "$0")/lib.sh"

have restic || test_skip_all "restic is not installed"
have python3 || test_skip_all "python3 is not installed"

test_expect_success 'setup: snapshots of a tree that changes in every way' '
	reprise -r repo init -q
	mkdata src
	reprise -r repo --json backup src >b1.json
	# add, remove (a folder with what it holds), change content, change
	# type both ways, change only metadata
	printf "new\n" >src/added.txt
	mkdir -p src/newdir/sub
	printf "x\n" >src/newdir/sub/x
	rm -rf src/nested/deeper
	printf "changed\n" >>src/hello.txt
	chmod 600 src/nested/numbers.txt
	reprise -r repo --json backup src >b2.json
	reprise -r repo --json backup src >b3.json
	rm -f src/pair.b
	mkdir src/pair.b
	printf "in\n" >src/pair.b/in
	reprise -r repo --json backup src >b4.json
	for n in 1 2 3 4; do
		json_str snapshot_id b$n.json | cut -c1-8 >id$n
	done
'

# same_diff ARGS...: reprise and restic print the same change lines and
# counts (the two size lines aside: each tool rounds its own way), and
# the same --json statistics.
same_diff() {
	reprise -r repo diff "$@" >"$SCRATCH/mine" || return 1
	restic -r repo diff "$@" >"$SCRATCH/theirs" 2>/dev/null || return 1
	grep -v "^  Added: \\|^  Removed: " "$SCRATCH/mine" >"$SCRATCH/m"
	grep -v "^  Added: \\|^  Removed: " "$SCRATCH/theirs" >"$SCRATCH/t"
	test_cmp "$SCRATCH/t" "$SCRATCH/m" || return 1
	reprise -r repo --json diff "$@" >"$SCRATCH/mine.json" || return 1
	restic -r repo diff --json "$@" >"$SCRATCH/theirs.json" 2>/dev/null ||
		return 1
	python3 - "$SCRATCH/mine.json" "$SCRATCH/theirs.json" <<-\EOF
	import json, sys
	def load(f):
	    return [json.loads(l) for l in open(f) if l.strip()]
	a, b = load(sys.argv[1]), load(sys.argv[2])
	if a != b:
	    print("diff --json differs:\n%r\n%r" % (a, b), file=sys.stderr)
	    sys.exit(1)
	EOF
}

test_expect_success 'diff: every kind of change, as restic' '
	same_diff "$(cat id1)" "$(cat id2)"
	test_grep "^+    /src/added.txt$" mine
	test_grep "^-    /src/nested/deeper/$" mine
	test_grep "^-    /src/nested/deeper/deepest/file$" mine
	test_grep "^M    /src/hello.txt$" mine
'

test_expect_success 'diff the other way round, as restic' '
	same_diff "$(cat id2)" "$(cat id1)"
	test_grep "^+    /src/nested/deeper/$" mine
	test_grep "^+    /src/nested/deeper/deepest/file$" mine
'

test_expect_success 'a file that became a folder: T, and what it holds is added' '
	reprise -r repo diff "$(cat id3)" "$(cat id4)" >out
	test "$(grep -c "^[-+TMU][TMU]*  " out)" = 2
	test_grep "^T    /src/pair.b/$" out
	test_grep "^+    /src/pair.b/in$" out
	test_grep "^Files: *1 new, *0 removed, *0 changed$" out
	reprise -r repo --json diff "$(cat id3)" "$(cat id4)" >out.json
	test_grep "\"added\":{\"files\":1,\"dirs\":0,\"others\":0,\"data_blobs\":1," out.json
	reprise -r repo diff "$(cat id4)" "$(cat id3)" >back
	test_grep "^T    /src/pair.b$" back
	test_grep "^-    /src/pair.b/in$" back
	# restic names the same changed entry
	restic -r repo diff "$(cat id3)" "$(cat id4)" >theirs 2>/dev/null
	test_grep "^T    /src/pair.b/$" theirs
'

test_expect_success 'diff --metadata adds the U lines, as restic' '
	same_diff --metadata "$(cat id1)" "$(cat id2)"
	test_grep "^U    /src/nested/numbers.txt$" mine
'

test_expect_success 'identical snapshots: no change, nothing added' '
	same_diff "$(cat id2)" "$(cat id3)"
	test "$(grep -c "^[-+TMU][TMU]*  " mine)" = 0
	test_grep "^Files: *0 new, *0 removed, *0 changed$" mine
'

test_expect_success 'bad diff calls: usage errors, unknown snapshots' '
	test_must_fail 2 reprise -r repo diff "$(cat id1)" >out 2>err
	test_must_fail 1 reprise -r repo diff "$(cat id1)" 00000000 >out 2>err
	test_grep "no snapshot matches" err
'

test_done
