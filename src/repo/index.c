#include "repo/index.h"

#include <stdlib.h>
#include <string.h>

#include "crypto/crypto.h"
#include "util/err.h"
#include "util/jsonw.h"
#include "util/xmalloc.h"

#define TREE_BIT 0x80000000u
#define PEND 0x7fffffffu /* pack number of a reserved blob */

void index_init(struct index *idx)
{
	memset(idx, 0, sizeof(*idx));
	pthread_mutex_init(&idx->lock, NULL);
}

void index_release(struct index *idx)
{
	free(idx->e);
	free(idx->slots);
	free(idx->packs);
	pthread_mutex_destroy(&idx->lock);
	memset(idx, 0, sizeof(*idx));
}

/* The slot of an ID.  IDs are SHA-256 and uniform, unless an index file
 * was crafted to collide; a seed drawn per process, mixed with all 32
 * bytes, keeps such an index from turning lookups quadratic. */
static uint64_t hash_seed;
static pthread_once_t seed_once = PTHREAD_ONCE_INIT;

static void seed_init(void)
{
	if (crypto_random(&hash_seed, sizeof(hash_seed)) < 0)
		hash_seed = (uint64_t)(uintptr_t)&hash_seed;
}

static uint64_t mix(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	return h ^ (h >> 33);
}

static size_t slot_of(const uint8_t id[32], size_t mask)
{
	uint64_t w[4], h;

	pthread_once(&seed_once, seed_init);
	memcpy(w, id, sizeof(w));
	h = mix(w[0] ^ hash_seed);
	h = mix(h ^ w[1]);
	h = mix(h ^ w[2]);
	h = mix(h ^ w[3]);
	return (size_t)h & mask;
}

static void rehash(struct index *idx, size_t nslots)
{
	size_t i, mask = nslots - 1;

	free(idx->slots);
	idx->slots = xcalloc(nslots, sizeof(*idx->slots));
	idx->nslots = nslots;
	for (i = 0; i < idx->n; i++) {
		size_t s = slot_of(idx->e[i].id, mask);

		while (idx->slots[s])
			s = (s + 1) & mask;
		idx->slots[s] = (uint32_t)(i + 1);
	}
}

/* find: slot holding (id, t), or the empty slot where it would go. */
static size_t find(struct index *idx, const uint8_t id[32], enum blob_type t)
{
	size_t mask = idx->nslots - 1, s = slot_of(id, mask);

	for (;; s = (s + 1) & mask) {
		uint32_t v = idx->slots[s];
		const struct index_entry *e;

		if (v == 0)
			return s;
		e = &idx->e[v - 1];
		if (((e->pack & TREE_BIT) != 0) == (t == BLOB_TREE) &&
		    memcmp(e->id, id, 32) == 0)
			return s;
	}
}

static struct index_entry *insert(struct index *idx, const uint8_t id[32],
				  enum blob_type t, int *isnew)
{
	size_t s;
	struct index_entry *e;

	if ((idx->n + 1) * 4 > idx->nslots * 3)
		rehash(idx, idx->nslots ? idx->nslots * 2 : 1024);
	s = find(idx, id, t);
	if (idx->slots[s]) {
		*isnew = 0;
		return &idx->e[idx->slots[s] - 1];
	}
	if (idx->n == idx->cap) {
		idx->cap = idx->cap ? idx->cap + idx->cap / 2 : 1024;
		idx->e = xreallocarray(idx->e, idx->cap, sizeof(*idx->e));
	}
	e = &idx->e[idx->n++];
	memcpy(e->id, id, 32);
	e->pack = PEND | (t == BLOB_TREE ? TREE_BIT : 0);
	e->offset = e->length = e->ulen = 0;
	idx->slots[s] = (uint32_t)idx->n;
	*isnew = 1;
	return e;
}

uint32_t index_pack_add(struct index *idx, const uint8_t id[32])
{
	uint32_t n;

	pthread_mutex_lock(&idx->lock);
	/* packs are added in bursts and looked up rarely: the newest first */
	for (n = (uint32_t)idx->npacks; n > 0 && idx->npacks - n < 4; n--)
		if (memcmp(idx->packs[n - 1], id, 32) == 0)
			goto out;
	if (idx->npacks == idx->packs_cap) {
		idx->packs_cap = idx->packs_cap ? idx->packs_cap * 2 : 256;
		idx->packs = xreallocarray(idx->packs, idx->packs_cap, 32);
	}
	memcpy(idx->packs[idx->npacks++], id, 32);
	n = (uint32_t)idx->npacks;
out:
	pthread_mutex_unlock(&idx->lock);
	return n - 1;
}

void index_add(struct index *idx, const struct pack_blob *b, uint32_t pack)
{
	struct index_entry *e;
	int isnew;

	pthread_mutex_lock(&idx->lock);
	e = insert(idx, b->id, b->type, &isnew);
	if (!isnew && (e->pack & ~TREE_BIT) != PEND) {
		idx->duplicates++;
	} else {
		e->pack = pack | (b->type == BLOB_TREE ? TREE_BIT : 0);
		e->offset = b->offset;
		e->length = b->length;
		e->ulen = b->ulen;
	}
	pthread_mutex_unlock(&idx->lock);
}

int index_reserve(struct index *idx, const uint8_t id[32], enum blob_type t)
{
	int isnew;

	pthread_mutex_lock(&idx->lock);
	insert(idx, id, t, &isnew);
	pthread_mutex_unlock(&idx->lock);
	return isnew;
}

int index_lookup(struct index *idx, const uint8_t id[32], enum blob_type t,
		 struct pack_blob *b, uint8_t packid[32])
{
	int found = 0;

	pthread_mutex_lock(&idx->lock);
	if (idx->nslots) {
		size_t s = find(idx, id, t);

		if (idx->slots[s]) {
			const struct index_entry *e = &idx->e[idx->slots[s] - 1];
			uint32_t pn = e->pack & ~TREE_BIT;

			found = 1;
			if (b) {
				memcpy(b->id, id, 32);
				b->type = (uint8_t)t;
				b->offset = e->offset;
				b->length = e->length;
				b->ulen = e->ulen;
			}
			if (packid && pn == PEND)
				memset(packid, 0, 32);
			else if (packid)
				memcpy(packid, idx->packs[pn], 32);
			if (pn == PEND && b)
				b->length = 0;
		}
	}
	pthread_mutex_unlock(&idx->lock);
	return found;
}

size_t index_count(struct index *idx, enum blob_type t)
{
	size_t i, c = 0;

	pthread_mutex_lock(&idx->lock);
	for (i = 0; i < idx->n; i++)
		if (((idx->e[i].pack & TREE_BIT) != 0) == (t == BLOB_TREE))
			c++;
	pthread_mutex_unlock(&idx->lock);
	return c;
}

void index_file_release(struct index_file *f)
{
	size_t i;

	if (f == NULL)
		return;
	for (i = 0; i < f->npacks; i++)
		free(f->packs[i].blobs);
	free(f->packs);
	free(f->supersedes);
	memset(f, 0, sizeof(*f));
}

int index_json_encode(const struct index_file_pack *packs, size_t npacks,
		      struct buf *out)
{
	struct jsonw w;
	size_t i, j;

	jsonw_init(&w, out);
	jsonw_obj_begin(&w);
	jsonw_key(&w, "packs");
	jsonw_arr_begin(&w);
	for (i = 0; i < npacks; i++) {
		jsonw_obj_begin(&w);
		jsonw_key(&w, "id");
		jsonw_hex(&w, packs[i].id, 32);
		jsonw_key(&w, "blobs");
		jsonw_arr_begin(&w);
		for (j = 0; j < packs[i].nblobs; j++) {
			const struct pack_blob *b = &packs[i].blobs[j];

			jsonw_obj_begin(&w);
			jsonw_key(&w, "id");
			jsonw_hex(&w, b->id, 32);
			jsonw_key(&w, "type");
			jsonw_str(&w, blob_type_name(b->type));
			jsonw_key(&w, "offset");
			jsonw_u64(&w, b->offset);
			jsonw_key(&w, "length");
			jsonw_u64(&w, b->length);
			if (b->ulen) {
				jsonw_key(&w, "uncompressed_length");
				jsonw_u64(&w, b->ulen);
			}
			jsonw_obj_end(&w);
		}
		jsonw_arr_end(&w);
		jsonw_obj_end(&w);
	}
	jsonw_arr_end(&w);
	jsonw_obj_end(&w);
	if (jsonw_finish(&w) == 0)
		buf_addc(out, '\n');
	return jsonw_finish(&w);
}
