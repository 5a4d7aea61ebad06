/*
 * test_packtab: the sorted table of packs that check and prune build from
 * the index files: blob lists moved out of the files, each pack once
 * (a second copy reported and freed), lookups by ID.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "repo/packtab.h"

struct elem {
	struct index_file_pack pack;
	int mark;
	uint64_t extra;
};

/* one_file: an index file naming packs with the given first ID bytes,
 * pack k holding k + 1 blobs. */
static void one_file(struct index_file *f, const uint8_t *first, size_t n)
{
	size_t i;

	memset(f, 0, sizeof(*f));
	f->packs = calloc(n, sizeof(*f->packs));
	f->npacks = n;
	for (i = 0; i < n; i++) {
		f->packs[i].id[0] = first[i];
		f->packs[i].id[31] = 0x5a;
		f->packs[i].nblobs = i + 1;
		f->packs[i].blobs = calloc(i + 1, sizeof(struct pack_blob));
	}
}

static int dups;

static void on_dup(const uint8_t id[32], void *arg)
{
	assert_ptr_equal(arg, &dups);
	assert_int_equal(id[31], 0x5a);
	dups++;
}

static void test_packtab__take_sort_find(void **state)
{
	static const uint8_t a[] = { 9, 3, 7 }, b[] = { 5, 3, 1 };
	struct index_file fa, fb;
	struct elem *v = NULL, *e;
	uint8_t id[32];
	size_t n = 0, i;

	(void)state;
	one_file(&fa, a, 3);
	one_file(&fb, b, 3);
	v = packtab_take(v, &n, sizeof(*v), &fa);
	v = packtab_take(v, &n, sizeof(*v), &fb);
	assert_int_equal(n, 6);
	assert_null(fa.packs[0].blobs); /* moved, not copied */
	assert_null(fb.packs[2].blobs);
	for (i = 0; i < n; i++) {
		assert_int_equal(v[i].mark, 0); /* the caller's fields zeroed */
		assert_int_equal(v[i].extra, 0);
		v[i].mark = (int)i + 1;
	}
	dups = 0;
	packtab_sort(v, &n, sizeof(*v), on_dup, &dups);
	assert_int_equal(dups, 1); /* pack 3 is in both files */
	assert_int_equal(n, 5);
	for (i = 1; i < n; i++)
		assert_true(v[i - 1].pack.id[0] < v[i].pack.id[0]);
	memset(id, 0, sizeof(id));
	id[31] = 0x5a;
	id[0] = 7;
	e = packtab_find(v, n, sizeof(*v), id);
	assert_non_null(e);
	assert_int_equal(e->pack.nblobs, 3); /* third of file a */
	assert_int_equal(e->mark, 3);         /* its own fields came along */
	id[0] = 4;
	assert_null(packtab_find(v, n, sizeof(*v), id));
	id[0] = 7;
	id[31] = 0;
	assert_null(packtab_find(v, n, sizeof(*v), id));
	assert_null(packtab_find(v, 0, sizeof(*v), id));
	for (i = 0; i < n; i++)
		free(v[i].pack.blobs);
	free(v);
	index_file_release(&fa);
	index_file_release(&fb);
}

static void test_packtab__empty_file(void **state)
{
	struct index_file f;
	struct elem *v = NULL;
	size_t n = 0;

	(void)state;
	memset(&f, 0, sizeof(f));
	v = packtab_take(v, &n, sizeof(*v), &f);
	assert_null(v);
	assert_int_equal(n, 0);
	packtab_sort(v, &n, sizeof(*v), NULL, NULL);
	assert_int_equal(n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_packtab__take_sort_find),
		cmocka_unit_test(test_packtab__empty_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
