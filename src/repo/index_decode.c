/*
 * index_decode: an index document's JSON into the in-memory index,
 * streamed.
 *
 * Every command that opens a repository reads all its index files, and
 * one index file names up to 100,000 blobs.  Building yajl's document
 * tree first cost about 500 bytes per blob (a 50,000-blob index: 25 MiB,
 * the peak memory of a backup with no change) and most of the load time;
 * here yajl's events go straight into the index, through one reused
 * array of the current pack's blobs (a pack's "id" may come after its
 * "blobs").  The checks are the document reader's: the top level is
 * {"packs": [...], "supersedes": [...]} or, in the oldest format, the
 * array of packs; a pack needs an "id"; a blob needs "id", "type" ("data"
 * or "tree"), "offset" and "length", may have "uncompressed_length", all
 * non-negative integers within a pack's 32-bit range; IDs are 64 hex
 * digits.  Unknown keys are skipped with whatever they hold.
 */
#include "repo/index.h"

#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_parse.h>

#include "util/err.h"
#include "util/hex.h"
#include "util/jsonr.h"
#include "util/xmalloc.h"

/* Largest document accepted (the JSON reader's limit). */
#define INDEX_JSON_MAX ((size_t)256 << 20)

enum state {
	ST_START, ST_TOP, ST_PACKS, ST_PACK, ST_BLOBS, ST_BLOB, ST_SUPERSEDES,
};
enum field {
	F_NONE, F_PACKS, F_SUPERSEDES, F_ID, F_BLOBS, F_TYPE, F_OFFSET,
	F_LENGTH, F_ULEN,
};
enum { HAVE_ID = 1, HAVE_TYPE = 2, HAVE_OFFSET = 4, HAVE_LENGTH = 8 };

struct isax {
	struct index *idx;
	struct index_file *file;
	enum state st;
	enum field f;
	int skip, err, saw_packs, bare;
	/* the pack being read */
	uint8_t pack_id[32];
	int pack_has_id;
	struct pack_blob *blobs;
	size_t nblobs, cap;
	/* the blob being read */
	struct pack_blob b;
	uint64_t off, len, ulen;
	int have;
	size_t packs_cap, sup_cap;
};

#define FAIL(s) ((s)->err = RP_EFORMAT, 0)

static const struct {
	enum state st;
	const char *key;
	enum field f;
} keys[] = {
	{ ST_TOP, "packs", F_PACKS },
	{ ST_TOP, "supersedes", F_SUPERSEDES },
	{ ST_PACK, "id", F_ID },
	{ ST_PACK, "blobs", F_BLOBS },
	{ ST_BLOB, "id", F_ID },
	{ ST_BLOB, "type", F_TYPE },
	{ ST_BLOB, "offset", F_OFFSET },
	{ ST_BLOB, "length", F_LENGTH },
	{ ST_BLOB, "uncompressed_length", F_ULEN },
};

static enum field lookup(enum state st, const unsigned char *k, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (keys[i].st == st && strlen(keys[i].key) == n &&
		    memcmp(keys[i].key, k, n) == 0)
			return keys[i].f;
	return F_NONE;
}

/* ignored: inside a skipped value, or the value of an unknown key (and,
 * as the document reader had it, "blobs" or "supersedes" that are not
 * arrays count as empty). */
static int ignored(const struct isax *x)
{
	return x->skip ||
	       ((x->st == ST_TOP || x->st == ST_PACK || x->st == ST_BLOB) &&
		x->f == F_NONE);
}

/* ---- scalars ---- */

static int on_number(void *ctx, const char *s, size_t len)
{
	struct isax *x = ctx;
	uint64_t v;
	int bit;

	if (ignored(x))
		return 1;
	if (x->st != ST_BLOB || jsonr_digits(s, len, UINT64_MAX, &v) < 0)
		return FAIL(x);
	switch (x->f) {
	case F_OFFSET: x->off = v; bit = HAVE_OFFSET; break;
	case F_LENGTH: x->len = v; bit = HAVE_LENGTH; break;
	case F_ULEN: x->ulen = v; bit = 0; break;
	default: return FAIL(x);
	}
	x->have |= bit;
	return 1;
}

static int blob_string(struct isax *x, const char *s, size_t len)
{
	if (x->f == F_ID) {
		if (hex_decode(s, len, x->b.id, 32) < 0)
			return FAIL(x);
		x->have |= HAVE_ID;
	} else if (x->f == F_TYPE) {
		if (len == 4 && memcmp(s, "data", 4) == 0)
			x->b.type = BLOB_DATA;
		else if (len == 4 && memcmp(s, "tree", 4) == 0)
			x->b.type = BLOB_TREE;
		else
			return FAIL(x);
		x->have |= HAVE_TYPE;
	} else {
		return FAIL(x);
	}
	return 1;
}

static int add_superseded(struct isax *x, const char *s, size_t len)
{
	struct index_file *f = x->file;

	if (f == NULL)
		return 1;
	if (f->nsupersedes == x->sup_cap) {
		x->sup_cap = x->sup_cap ? x->sup_cap * 2 : 4;
		f->supersedes = xreallocarray(f->supersedes, x->sup_cap, 32);
	}
	if (hex_decode(s, len, f->supersedes[f->nsupersedes], 32) < 0)
		return FAIL(x);
	f->nsupersedes++;
	return 1;
}

static int on_string(void *ctx, const unsigned char *us, size_t len)
{
	struct isax *x = ctx;
	const char *s = (const char *)us;

	if (ignored(x))
		return 1;
	if (x->st == ST_BLOB)
		return blob_string(x, s, len);
	if (x->st == ST_PACK && x->f == F_ID) {
		if (hex_decode(s, len, x->pack_id, 32) < 0)
			return FAIL(x);
		x->pack_has_id = 1;
		return 1;
	}
	if (x->st == ST_SUPERSEDES)
		return add_superseded(x, s, len);
	return FAIL(x);
}

/* null: skipped where ignored, and an empty "blobs" or "supersedes" */
static int on_null(void *ctx)
{
	struct isax *x = ctx;

	if (ignored(x) || (x->st == ST_TOP && x->f == F_SUPERSEDES) ||
	    (x->st == ST_PACK && x->f == F_BLOBS))
		return 1;
	return FAIL(x);
}

static int on_bool(void *ctx, int v)
{
	struct isax *x = ctx;

	(void)v;
	return ignored(x) ? 1 : FAIL(x);
}

/* ---- a pack, a blob ---- */

static int blob_done(struct isax *x)
{
	const int need = HAVE_ID | HAVE_TYPE | HAVE_OFFSET | HAVE_LENGTH;

	if ((x->have & need) != need || x->off > UINT32_MAX ||
	    x->len > UINT32_MAX || x->ulen > UINT32_MAX ||
	    x->off + x->len > UINT32_MAX)
		return FAIL(x);
	x->b.offset = (uint32_t)x->off;
	x->b.length = (uint32_t)x->len;
	x->b.ulen = (uint32_t)x->ulen;
	if (x->nblobs == x->cap) {
		x->cap = x->cap ? x->cap * 2 : 64;
		x->blobs = xreallocarray(x->blobs, x->cap, sizeof(*x->blobs));
	}
	x->blobs[x->nblobs++] = x->b;
	return 1;
}

static int pack_done(struct isax *x)
{
	struct index_file *f = x->file;
	uint32_t pn;
	size_t i;

	if (!x->pack_has_id)
		return FAIL(x);
	if (x->idx) {
		pn = index_pack_add(x->idx, x->pack_id);
		for (i = 0; i < x->nblobs; i++)
			index_add(x->idx, &x->blobs[i], pn);
	}
	if (f) {
		struct index_file_pack *fp;

		if (f->npacks == x->packs_cap) {
			x->packs_cap = x->packs_cap ? x->packs_cap * 2 : 16;
			f->packs = xreallocarray(f->packs, x->packs_cap,
						 sizeof(*f->packs));
		}
		fp = &f->packs[f->npacks++];
		memcpy(fp->id, x->pack_id, 32);
		fp->nblobs = x->nblobs;
		fp->blobs = xmalloc((x->nblobs ? x->nblobs : 1) *
				    sizeof(*fp->blobs));
		if (x->nblobs)
			memcpy(fp->blobs, x->blobs,
			       x->nblobs * sizeof(*fp->blobs));
	}
	return 1;
}

/* ---- structure ---- */

static int on_start_map(void *ctx)
{
	struct isax *x = ctx;

	if (ignored(x)) {
		x->skip++;
		return 1;
	}
	switch (x->st) {
	case ST_START:
		x->st = ST_TOP;
		break;
	case ST_PACKS:
		x->st = ST_PACK;
		x->pack_has_id = 0;
		x->nblobs = 0;
		break;
	case ST_BLOBS:
		x->st = ST_BLOB;
		memset(&x->b, 0, sizeof(x->b));
		x->off = x->len = x->ulen = 0;
		x->have = 0;
		break;
	default:
		return FAIL(x);
	}
	x->f = F_NONE;
	return 1;
}

static int on_key(void *ctx, const unsigned char *k, size_t n)
{
	struct isax *x = ctx;

	if (!x->skip)
		x->f = lookup(x->st, k, n);
	return 1;
}

static int on_end_map(void *ctx)
{
	struct isax *x = ctx;

	if (x->skip) {
		x->skip--;
		return 1;
	}
	x->f = F_NONE;
	switch (x->st) {
	case ST_BLOB:
		x->st = ST_BLOBS;
		return blob_done(x);
	case ST_PACK:
		x->st = ST_PACKS;
		return pack_done(x);
	case ST_TOP:
		x->st = ST_START;
		return x->saw_packs ? 1 : FAIL(x);
	default:
		return FAIL(x);
	}
}

static int on_start_array(void *ctx)
{
	struct isax *x = ctx;

	if (x->st == ST_START && !x->bare && !x->saw_packs) {
		x->bare = x->saw_packs = 1; /* the oldest format */
		x->st = ST_PACKS;
		return 1;
	}
	if (x->st == ST_TOP && x->f == F_PACKS) {
		x->saw_packs = 1;
		x->st = ST_PACKS;
	} else if (x->st == ST_TOP && x->f == F_SUPERSEDES) {
		x->st = ST_SUPERSEDES;
	} else if (x->st == ST_PACK && x->f == F_BLOBS) {
		x->st = ST_BLOBS;
	} else if (ignored(x) && x->st != ST_START) {
		x->skip++;
	} else {
		return FAIL(x);
	}
	return 1;
}

static int on_end_array(void *ctx)
{
	struct isax *x = ctx;

	if (x->skip) {
		x->skip--;
		return 1;
	}
	x->f = F_NONE;
	switch (x->st) {
	case ST_PACKS:
		x->st = x->bare ? ST_START : ST_TOP;
		return 1;
	case ST_SUPERSEDES:
		x->st = ST_TOP;
		return 1;
	case ST_BLOBS:
		x->st = ST_PACK;
		return 1;
	default:
		return FAIL(x);
	}
}

static const yajl_callbacks callbacks = {
	on_null, on_bool, NULL, NULL, on_number, on_string, on_start_map,
	on_key, on_end_map, on_start_array, on_end_array,
};

int index_json_decode(const uint8_t *p, size_t n, struct index *idx,
		      struct index_file *file)
{
	struct isax x;
	int r;

	memset(&x, 0, sizeof(x));
	x.idx = idx;
	x.file = file;
	if (file)
		memset(file, 0, sizeof(*file));
	if (n > INDEX_JSON_MAX)
		return RP_ENOMEM;
	if (n && memchr(p, 0, n) != NULL) /* as the document reader */
		return RP_EFORMAT;
	r = jsonr_stream(&callbacks, &x, p, n);
	if (r == 0 && (x.err || !x.saw_packs || x.st != ST_START))
		r = RP_EFORMAT;
	free(x.blobs);
	return r;
}
