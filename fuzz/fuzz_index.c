/*
 * fuzz_index: index_json_decode (RESTIC_FORMAT.md §9) into the in-memory
 * index and the checker's per-file list, then index_json_encode and a
 * second decode.
 *
 * Input: an index document (decrypted and decompressed).
 * Checked on success:
 *   - every listed blob is found by index_lookup, at its FIRST listed
 *     location (the first copy wins), with the right pack ID;
 *   - index_count adds up to the number of distinct (id, type) pairs;
 *   - encoding the file's packs and decoding that gives the same packs;
 *   - decoding without idx/file (repo_load_index's way) accepts it too.
 */
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

#include "repo/index.h"

struct loc {
	const uint8_t *pack;
	const struct pack_blob *b;
};

/* first_loc: the first listing of (id, type) in f. */
static struct loc first_loc(const struct index_file *f, const uint8_t id[32],
			    uint8_t type)
{
	struct loc l = { NULL, NULL };
	size_t i, j;

	for (i = 0; i < f->npacks; i++)
		for (j = 0; j < f->packs[i].nblobs; j++) {
			const struct pack_blob *b = &f->packs[i].blobs[j];

			if (b->type == type && memcmp(b->id, id, 32) == 0) {
				l.pack = f->packs[i].id;
				l.b = b;
				return l;
			}
		}
	return l;
}

static void check_lookup(struct index *idx, const struct index_file *f)
{
	size_t i, j, distinct = 0;

	for (i = 0; i < f->npacks; i++)
		for (j = 0; j < f->packs[i].nblobs; j++) {
			const struct pack_blob *b = &f->packs[i].blobs[j];
			struct loc l = first_loc(f, b->id, b->type);
			struct pack_blob got;
			uint8_t packid[32];

			FUZZ_CHECK(index_lookup(idx, b->id, b->type, &got,
						packid) == 1);
			FUZZ_CHECK(memcmp(packid, l.pack, 32) == 0);
			FUZZ_CHECK(got.offset == l.b->offset &&
				   got.length == l.b->length &&
				   got.ulen == l.b->ulen);
			if (l.b == b)
				distinct++;
		}
	FUZZ_CHECK(index_count(idx, BLOB_DATA) + index_count(idx, BLOB_TREE) ==
		   distinct);
}

static void blob_same(const struct pack_blob *p, const struct pack_blob *q)
{
	FUZZ_CHECK(memcmp(p->id, q->id, 32) == 0);
	FUZZ_CHECK(p->type == q->type && p->offset == q->offset);
	FUZZ_CHECK(p->length == q->length && p->ulen == q->ulen);
}

static void check_same(const struct index_file *a, const struct index_file *b)
{
	size_t i, j;

	FUZZ_CHECK(a->npacks == b->npacks);
	for (i = 0; i < a->npacks; i++) {
		const struct index_file_pack *x = &a->packs[i];
		const struct index_file_pack *y = &b->packs[i];

		FUZZ_CHECK(memcmp(x->id, y->id, 32) == 0);
		FUZZ_CHECK(x->nblobs == y->nblobs);
		for (j = 0; j < x->nblobs; j++)
			blob_same(&x->blobs[j], &y->blobs[j]);
	}
}

static void round_trip(const struct index_file *f)
{
	struct buf json = BUF_INIT;
	struct index idx;
	struct index_file g;

	FUZZ_CHECK(index_json_encode(f->packs, f->npacks, &json) == 0);
	index_init(&idx);
	memset(&g, 0, sizeof(g));
	FUZZ_CHECK(index_json_decode(json.p, json.len, &idx, &g) == 0);
	check_same(f, &g);
	index_file_release(&g);
	index_release(&idx);
	buf_release(&json);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct index idx;
	struct index_file f;
	int r;

	fuzz_init();
	index_init(&idx);
	memset(&f, 0, sizeof(f));
	r = index_json_decode(data, size, &idx, &f);
	if (r == 0) {
		check_lookup(&idx, &f);
		round_trip(&f);
		FUZZ_CHECK(index_json_decode(data, size, NULL, NULL) == 0);
	}
	index_file_release(&f);
	index_release(&idx);
	return 0;
}
