/*
 * test_bigbuf: the pool of mapped buffers behind the backup's chunks:
 * reuse by size class (and one class up), the cap on what it keeps,
 * sizes beyond the classes, and use from several threads at once.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "util/bigbuf.h"

#define KiB ((size_t)1024)
#define MiB (1024 * KiB)

static void test_bigbuf__reused_by_class(void **state)
{
	struct bigbuf_pool *bp = bigbuf_pool_new(8 * MiB);
	uint8_t *a, *b, *c;

	(void)state;
	a = bigbuf_get(bp, 1100 * KiB);
	memset(a, 0xa5, 1100 * KiB); /* all of it is writable */
	bigbuf_put(bp, a);
	b = bigbuf_get(bp, 2000 * KiB); /* same class (2 MiB): the same */
	assert_ptr_equal(a, b);
	bigbuf_put(bp, b);
	c = bigbuf_get(bp, 300 * KiB); /* two classes below: not that one */
	assert_ptr_not_equal(c, a);
	memset(c, 1, 300 * KiB);
	bigbuf_put(bp, c);
	bigbuf_pool_free(bp);
}

static void test_bigbuf__one_class_up_serves(void **state)
{
	struct bigbuf_pool *bp = bigbuf_pool_new(8 * MiB);
	uint8_t *big, *p;

	(void)state;
	big = bigbuf_get(bp, 1500 * KiB); /* class 2 MiB */
	bigbuf_put(bp, big);
	p = bigbuf_get(bp, 700 * KiB); /* class 1 MiB, none free */
	assert_ptr_equal(p, big);
	memset(p, 2, 700 * KiB);
	bigbuf_put(bp, p);
	bigbuf_pool_free(bp);
}

static void test_bigbuf__keeps_at_most_its_cap(void **state)
{
	struct bigbuf_pool *bp = bigbuf_pool_new(1 * MiB);
	uint8_t *a, *b, *x, *y;

	(void)state;
	a = bigbuf_get(bp, 800 * KiB);
	b = bigbuf_get(bp, 800 * KiB);
	assert_ptr_not_equal(a, b);
	bigbuf_put(bp, a); /* kept: 1 MiB */
	bigbuf_put(bp, b); /* over the cap: unmapped */
	x = bigbuf_get(bp, 800 * KiB);
	y = bigbuf_get(bp, 800 * KiB);
	assert_ptr_equal(x, a);
	assert_ptr_not_equal(y, a);
	memset(y, 3, 800 * KiB);
	bigbuf_put(bp, x);
	bigbuf_put(bp, y);
	bigbuf_put(bp, NULL);
	bigbuf_pool_free(bp);
}

static void test_bigbuf__beyond_the_classes(void **state)
{
	struct bigbuf_pool *bp = bigbuf_pool_new(64 * MiB);
	uint8_t *p, *small;

	(void)state;
	small = bigbuf_get(bp, 100);
	memset(small, 4, 100);
	p = bigbuf_get(bp, 20 * MiB);
	memset(p, 5, 20 * MiB);
	assert_int_equal(p[20 * MiB - 1], 5);
	bigbuf_put(bp, p); /* never kept, whatever the cap */
	bigbuf_put(bp, small);
	bigbuf_pool_free(bp);
}

#define THREADS 4
#define ROUNDS 300

struct worker_arg {
	struct bigbuf_pool *bp;
	int id, bad;
};

static void *worker(void *arg)
{
	struct worker_arg *w = arg;
	int i;

	for (i = 0; i < ROUNDS; i++) {
		size_t n = (size_t)(100 + (i * 7919 + w->id * 104729) %
					      (3 * 1024 * 1024));
		uint8_t *p = bigbuf_get(w->bp, n);
		size_t k;

		memset(p, w->id, n);
		for (k = 0; k < n; k += 4093)
			w->bad += p[k] != w->id;
		w->bad += p[n - 1] != w->id;
		bigbuf_put(w->bp, p);
	}
	return NULL;
}

static void test_bigbuf__threads(void **state)
{
	struct bigbuf_pool *bp = bigbuf_pool_new(6 * MiB);
	struct worker_arg args[THREADS];
	pthread_t t[THREADS];
	int i;

	(void)state;
	for (i = 0; i < THREADS; i++) {
		args[i].bp = bp;
		args[i].id = i + 1;
		args[i].bad = 0;
		assert_int_equal(pthread_create(&t[i], NULL, worker, &args[i]),
				 0);
	}
	for (i = 0; i < THREADS; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(args[i].bad, 0);
	}
	bigbuf_pool_free(bp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bigbuf__reused_by_class),
		cmocka_unit_test(test_bigbuf__one_class_up_serves),
		cmocka_unit_test(test_bigbuf__keeps_at_most_its_cap),
		cmocka_unit_test(test_bigbuf__beyond_the_classes),
		cmocka_unit_test(test_bigbuf__threads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
