/*
 * test_restore_verify: restore_file_matches, the read-back behind restore
 * --verify and the drill: a file matches when its pieces hash, in order,
 * to the blob IDs of the snapshot, with their plaintext lengths from the
 * index (stored or compressed blobs), and nothing follows; one changed
 * byte, a missing or extra byte, a missing file or a blob the index does
 * not know is a mismatch.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "crypto/crypto.h"
#include "engine/restore.h"
#include "repo/index.h"

#define PIECES 3

struct fixture {
	struct repo r;
	uint8_t data[PIECES][5000];
	size_t len[PIECES];
	uint8_t ids[PIECES][32];
	char path[64];
};

/* setup: three pieces in the index (the second as a compressed blob),
 * and a file holding them in order. */
static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct pack_blob b;
	uint8_t pack[32] = { 7 };
	uint32_t pn;
	FILE *fp;
	int i, fd;

	index_init(&f->r.idx);
	pn = index_pack_add(&f->r.idx, pack);
	for (i = 0; i < PIECES; i++) {
		f->len[i] = 1000u + 1500u * (unsigned)i;
		memset(f->data[i], 'a' + i, f->len[i]);
		f->data[i][0] = (uint8_t)i;
		crypto_sha256(f->data[i], f->len[i], f->ids[i]);
		memset(&b, 0, sizeof(b));
		memcpy(b.id, f->ids[i], 32);
		b.type = BLOB_DATA;
		if (i == 1) {           /* compressed: ulen is the length */
			b.length = 100 + CRYPTO_OVERHEAD;
			b.ulen = (uint32_t)f->len[i];
		} else {
			b.length = (uint32_t)(f->len[i] + CRYPTO_OVERHEAD);
		}
		index_add(&f->r.idx, &b, pn);
	}
	snprintf(f->path, sizeof(f->path), "/tmp/test_rv.XXXXXX");
	fd = mkstemp(f->path);
	fp = fdopen(fd, "wb");
	for (i = 0; i < PIECES; i++)
		fwrite(f->data[i], 1, f->len[i], fp);
	fclose(fp);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	unlink(f->path);
	index_release(&f->r.idx);
	free(f);
	return 0;
}

static int matches(struct fixture *f, size_t n)
{
	uint8_t *buf = NULL;
	size_t cap = 0;
	int r = restore_file_matches(&f->r, f->ids, n, f->path, &buf, &cap);

	free(buf);
	return r;
}

static void rewrite(struct fixture *f, long at, const char *bytes, size_t n)
{
	FILE *fp = fopen(f->path, "r+b");

	assert_non_null(fp);
	if (at < 0)
		fseek(fp, 0, SEEK_END);
	else
		fseek(fp, at, SEEK_SET);
	fwrite(bytes, 1, n, fp);
	fclose(fp);
}

static void test_verify__exact(void **state)
{
	struct fixture *f = *state;

	assert_true(matches(f, PIECES));
	/* fewer pieces than the file holds: bytes follow the last one */
	assert_false(matches(f, PIECES - 1));
}

static void test_verify__one_byte_changed(void **state)
{
	struct fixture *f = *state;

	rewrite(f, 1200, "Z", 1);   /* inside the compressed piece */
	assert_false(matches(f, PIECES));
}

static void test_verify__byte_appended(void **state)
{
	struct fixture *f = *state;

	rewrite(f, -1, "x", 1);
	assert_false(matches(f, PIECES));
}

static void test_verify__truncated(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(truncate(f->path, 1000 + 2500 + 3999), 0);
	assert_false(matches(f, PIECES));
}

static void test_verify__missing_file(void **state)
{
	struct fixture *f = *state;

	unlink(f->path);
	assert_false(matches(f, PIECES));
}

static void test_verify__unknown_blob(void **state)
{
	struct fixture *f = *state;

	f->ids[2][5] ^= 1;
	assert_false(matches(f, PIECES));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_verify__exact, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_verify__one_byte_changed,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_verify__byte_appended,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_verify__truncated, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_verify__missing_file,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_verify__unknown_blob,
						setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
