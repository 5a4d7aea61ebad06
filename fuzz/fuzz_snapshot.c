/*
 * fuzz_snapshot: snapshot_decode (RESTIC_FORMAT.md §10) and the
 * snapshot_encode round trip.
 *
 * Input: a snapshot document (decrypted and decompressed).
 * Checked when it decodes: the encoding decodes again, and after that
 * first round encode/decode is a fixed point (same fields, same bytes).
 */
#include "fuzz.h"

#include <string.h>

#include "repo/snapshot.h"

static int str_eq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

static void list_same(const struct strlist *a, const struct strlist *b)
{
	size_t i;

	FUZZ_CHECK(a->n == b->n);
	for (i = 0; i < a->n; i++)
		FUZZ_CHECK(strcmp(a->v[i], b->v[i]) == 0);
}

static void snap_same(const struct snapshot *a, const struct snapshot *b)
{
	FUZZ_CHECK(a->time.sec == b->time.sec &&
		   a->time.nsec == b->time.nsec && a->time.off == b->time.off);
	FUZZ_CHECK(memcmp(a->tree, b->tree, 32) == 0);
	FUZZ_CHECK(a->has_parent == b->has_parent &&
		   (!a->has_parent || !memcmp(a->parent, b->parent, 32)));
	FUZZ_CHECK(a->has_original == b->has_original &&
		   (!a->has_original || !memcmp(a->original, b->original, 32)));
	list_same(&a->paths, &b->paths);
	list_same(&a->excludes, &b->excludes);
	list_same(&a->tags, &b->tags);
	FUZZ_CHECK(a->uid == b->uid && a->gid == b->gid);
	FUZZ_CHECK(str_eq(a->program_version, b->program_version));
}

static void decode_ok(const struct buf *b, struct snapshot *s)
{
	memset(s, 0, sizeof(*s));
	FUZZ_CHECK(snapshot_decode(b->p, b->len, s) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct snapshot s1, s2, s3;
	struct buf e1 = BUF_INIT, e2 = BUF_INIT, e3 = BUF_INIT;

	fuzz_init();
	memset(&s1, 0, sizeof(s1));
	if (snapshot_decode(data, size, &s1) < 0) {
		snapshot_release(&s1);
		return 0;
	}
	FUZZ_CHECK(snapshot_encode(&s1, &e1) == 0);
	decode_ok(&e1, &s2);
	FUZZ_CHECK(snapshot_encode(&s2, &e2) == 0);
	decode_ok(&e2, &s3);
	snap_same(&s2, &s3);
	FUZZ_CHECK(str_eq(s2.hostname ? s2.hostname : "",
			  s3.hostname ? s3.hostname : ""));
	FUZZ_CHECK(str_eq(s2.username ? s2.username : "",
			  s3.username ? s3.username : ""));
	FUZZ_CHECK(snapshot_encode(&s3, &e3) == 0);
	FUZZ_CHECK(e2.len == e3.len && !memcmp(e2.p, e3.p, e2.len));
	snapshot_release(&s1);
	snapshot_release(&s2);
	snapshot_release(&s3);
	buf_release(&e1);
	buf_release(&e2);
	buf_release(&e3);
	return 0;
}
