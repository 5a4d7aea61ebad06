#!/bin/sh
# The test library itself: tree_equal must see every difference that the
# restore tests rely on it to see, or those tests prove nothing.
. "$(dirname "$0")/lib.sh"

test_expect_success 'mkdata makes the tree, and a copy is equal' '
	mkdata src
	cp -a src copy
	tree_equal src copy
	test "$(file_size src/random.bin)" = 6291456
	test -p src/fifo
	test -u src/setuid
	test -k src/sticky
	test -g src/sgid
	test -L src/link
	test "$(stat -c %h src/hard1)" = 3
	test -f "src/odd names/$(printf "bad\377name")"
	test "$(stat -c %y src/hello.txt)" = "2001-02-03 04:05:06.000000001 +0000"
'

fresh() {
	rm -rf b
	cp -a src b
}

# same_dir_times: give the directories of b the mtimes of those of src
# again, so that a test sees only the difference it made on purpose.
same_dir_times() {
	(cd src && find . -type d) | while IFS= read -r d; do
		touch -r "src/$d" "b/$d"
	done
}

test_expect_success 'tree_equal sees changed content' '
	fresh
	printf x >>b/nested/numbers.txt
	touch -d "$T_FIXED" b/nested/numbers.txt
	test_must_fail 1 tree_equal src b 2>err
	test_grep "^+./nested/numbers.txt" err
'

test_expect_success 'tree_equal sees same-size changed content' '
	fresh
	printf "HELLO, world\n" >b/hello.txt
	touch -d "2001-02-03 04:05:06.000000001" b/hello.txt
	test_must_fail 1 tree_equal src b 2>err
'

test_expect_success 'tree_equal sees a nanosecond of mtime' '
	fresh
	touch -h -d "2001-02-03 04:05:06.000000002" b/hello.txt
	test_must_fail 1 tree_equal src b 2>err
	fresh
	touch -h -d "2023-05-06 07:08:09.123456788" b/link
	test_must_fail 1 tree_equal src b 2>err
	fresh
	touch -h -d "2023-05-06 07:08:09.123456788" "b/empty dir"
	test_must_fail 1 tree_equal src b 2>err
'

test_expect_success 'tree_equal sees modes, setuid and owners' '
	fresh
	chmod 0755 b/setuid
	test_must_fail 1 tree_equal src b 2>err
	fresh
	chmod 0640 b/private
	test_must_fail 1 tree_equal src b 2>err
	fresh
	chmod 0777 b/sticky
	test_must_fail 1 tree_equal src b 2>err
	if [ "$(id -u)" = 0 ]; then
		fresh
		chown 4242:0 b/owned
		test_must_fail 1 tree_equal src b 2>err
	fi
'

test_expect_success 'tree_equal sees symlink targets and file types' '
	fresh
	ln -sfn hard1 b/link
	touch -h -d "1999-12-31 23:59:59.999999999" b/link
	test_must_fail 1 tree_equal src b 2>err
	fresh
	rm b/fifo
	: >b/fifo
	touch -d "$T_FIXED" b/fifo
	same_dir_times
	test_must_fail 1 tree_equal src b 2>err
	test_grep "^+./fifo	file" err
'

test_expect_success 'tree_equal sees broken and extra hard links' '
	fresh
	cp -p b/pair.b b/pair.tmp
	mv b/pair.tmp b/pair.b
	same_dir_times
	test_must_fail 1 tree_equal src b 2>err
	test_grep "^[-+]hardlink group:" err
	test_grep "^[-+]./pair.a.*links=2" err
	mkdir x y
	for d in x y; do
		printf "same\n" >$d/a
		printf "same\n" >$d/b
	done
	ln x/a x/c
	ln x/b x/d
	ln y/a y/d
	ln y/b y/c
	find x y -exec touch -d "$T_FIXED" {} +
	test_must_fail 1 tree_equal x y 2>err
	test_grep "^-hardlink group:	./a	./c" err
	test_grep "^+hardlink group:	./a	./d" err
	test "$(grep -c "^[-+]\./" err)" = 0
'

test_expect_success 'tree_equal sees missing and extra entries, also odd names' '
	fresh
	rm "b/odd names/$(printf "tab\there")"
	same_dir_times
	test_must_fail 1 tree_equal src b 2>err
	test_grep "^-./odd names/tab" err
	fresh
	rm "b/odd names/$(printf "bad\377name")"
	same_dir_times
	test_must_fail 1 tree_equal src b 2>err
	test_grep "^-./odd names/bad" err
	fresh
	: >"b/empty dir/new"
	same_dir_times
	test_must_fail 1 tree_equal src b 2>err
	test_grep "^+./empty dir/new" err
	test_must_fail 1 tree_equal src "$SCRATCH/nonexistent" 2>err
'

test_expect_success 'tree_equal sees a sparse file made dense' '
	fresh
	cp --sparse=never b/sparse b/sparse.tmp
	mv b/sparse.tmp b/sparse
	touch -d "$T_FIXED" b/sparse
	same_dir_times
	test_must_fail 1 tree_equal src b 2>err
	test_grep "^+./sparse.*dense$" err
	TREE_IGNORE=sparse tree_equal src b
'

if [ "$HAVE_XATTR" = 1 ]; then
	test_expect_success 'tree_equal sees xattrs' '
		fresh
		setfattr -x user.test b/xattr.txt
		test_must_fail 1 tree_equal src b 2>err
		fresh
		setfattr -n user.test -v "other value" b/xattr.txt
		test_must_fail 1 tree_equal src b 2>err
		fresh
		setfattr -x user.dir b/nested
		test_must_fail 1 tree_equal src b 2>err
	'
else
	test_skip 'tree_equal sees xattrs' 'no setfattr or no user xattrs here'
fi

test_expect_success 'test_must_fail checks the exact status' '
	test_must_fail 3 sh -c "exit 3"
	test_must_fail 1 test_must_fail 3 sh -c "exit 1"
	test_must_fail 1 test_must_fail 3 true
'

test_expect_success 'flip_byte changes exactly one byte' '
	printf "abcdef" >f
	flip_byte f 2
	test "$(file_size f)" = 6
	test_must_fail 1 cmp -s f src/hello.txt
	printf "ab" >g
	printf "\234" >>g
	printf "def" >>g
	test_cmp g f
'

test_done
