#!/bin/sh
# restore into a target that already holds things: it never writes through
# a symlink it finds there (to a file or a directory outside the target),
# replaces what is in the way, and leaves alone what the snapshot does not
# name.
. "$(dirname "$0")/lib.sh"

test_expect_success 'setup' '
	reprise -r repo init -q
	mkdata src
	reprise -r repo backup -q src
'

test_expect_success 'a symlink in place of a file is replaced, not followed' '
	mkdir -p t1/src
	printf "precious\n" >victim
	cp victim victim.orig
	ln -s "$SCRATCH/victim" t1/src/hello.txt
	ln -s "$SCRATCH/victim" t1/src/random.bin
	reprise -r repo restore latest --target t1 >out 2>err || true
	test_cmp victim.orig victim
	test ! -L t1/src/hello.txt
	test_cmp src/hello.txt t1/src/hello.txt
	test_cmp src/random.bin t1/src/random.bin
'

# Safety (restic 0.14 fails it).  Regression: a symlink found in the
# target where the snapshot has a directory was followed: the entries of
# src/nested and "src/odd names" were written outside the target.
test_expect_success 'a symlink in place of a directory is not followed' '
	mkdir -p t2/src elsewhere
	ln -s "$SCRATCH/elsewhere" t2/src/nested
	ln -s "$SCRATCH/elsewhere" "t2/src/odd names"
	reprise -r repo restore latest --target t2 >out 2>err || true
	test "$(find elsewhere | wc -l)" = 1
	test ! -L t2/src/nested
	test -d t2/src/nested
	test_cmp src/nested/numbers.txt t2/src/nested/numbers.txt
'

test_expect_success 'after all that, a restore into the same targets is exact' '
	for t in t1; do
		reprise -r repo restore latest --target $t >out
		tree_equal src $t/src
	done
'

test_expect_success 'a file the snapshot does not name is left alone' '
	mkdir -p t4/src/nested
	printf "mine\n" >t4/src/extra
	printf "mine too\n" >t4/src/nested/extra
	reprise -r repo restore latest --target t4 >out
	test "$(cat t4/src/extra)" = mine
	test "$(cat t4/src/nested/extra)" = "mine too"
	rm t4/src/extra t4/src/nested/extra
	touch -r src t4/src
	touch -r src/nested t4/src/nested
	tree_equal src t4/src
'

test_expect_success 'a read-only file and a fifo in the way are replaced' '
	mkdir -p t5/src
	printf "old content, longer than the new one\n" >t5/src/hello.txt
	chmod 0400 t5/src/hello.txt
	mkfifo t5/src/numbers.txt.fifo
	mkfifo t5/src/pair.a
	reprise -r repo restore latest --target t5 >out
	rm t5/src/numbers.txt.fifo
	touch -r src t5/src
	tree_equal src t5/src
'

test_expect_success 'restore into a target that is a file fails (exit 1)' '
	: >afile
	test_must_fail 1 reprise -r repo restore latest --target afile \
		>out 2>err
	test -f afile
	test "$(file_size afile)" = 0
'

test_done
