/*
 * test_exclude: backup_excluded, the pattern matcher behind --exclude,
 * --iexclude and restore's --include/--exclude, with restic's rules: a
 * pattern without '/' matches any component of the path; with '/', the end
 * of the path (or, starting with '/', all of it); '*' stays within a
 * component, '**' crosses them; --iexclude ignores the letters' case.
 * Paths are matched one by one during a walk from the top: a directory
 * that matches is not entered, so what lies below it is never asked about.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "engine/backup.h"

static int hit(const char *pattern, const char *path, int icase)
{
	struct strlist l = { NULL, 0 };
	int r;

	strlist_add(&l, pattern);
	r = backup_excluded(&l, path, icase);
	strlist_release(&l);
	return r;
}

static void test_exclude__component(void **state)
{
	(void)state;
	assert_true(hit("*.tmp", "/home/a/x.tmp", 0));
	assert_true(hit("cache", "/home/a/cache", 0));
	assert_true(hit("deep", "/home/a/cache/deep", 0));
	assert_false(hit("cache", "/home/a/caches", 0));
	assert_false(hit("*.tmp", "/home/a/x.tmp.keep", 0));
}

static void test_exclude__slashes(void **state)
{
	(void)state;
	assert_true(hit("a/*.log", "/srv/a/x.log", 0));
	assert_false(hit("a/*.log", "/srv/a/b/x.log", 0));
	assert_true(hit("/srv/a", "/srv/a", 0));
	assert_false(hit("/a", "/srv/a", 0));
	assert_true(hit("/srv/**/x.log", "/srv/a/b/x.log", 0));
}

static void test_exclude__case(void **state)
{
	(void)state;
	assert_false(hit("*.txt", "/d/B.TXT", 0));
	assert_true(hit("*.txt", "/d/B.TXT", 1));
	assert_true(hit("/D/b.txt", "/d/B.TXT", 1));
	assert_true(hit("Cache", "/home/a/CACHE", 1));
	assert_false(hit("Cache", "/home/a/CACHE", 0));
	assert_true(hit("/SRV/**/X.LOG", "/srv/a/b/x.log", 1));
}

static void test_exclude__empty_and_several(void **state)
{
	struct strlist l = { NULL, 0 };

	(void)state;
	strlist_add(&l, "");
	assert_false(backup_excluded(&l, "/x", 0));
	strlist_add(&l, "*.o");
	strlist_add(&l, "build");
	assert_true(backup_excluded(&l, "/src/build", 0));
	assert_true(backup_excluded(&l, "/src/x.o", 0));
	assert_false(backup_excluded(&l, "/src/x.c", 0));
	strlist_release(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exclude__component),
		cmocka_unit_test(test_exclude__slashes),
		cmocka_unit_test(test_exclude__case),
		cmocka_unit_test(test_exclude__empty_and_several),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
