/*
 * index: where every blob lives (RESTIC_FORMAT.md §9).
 *
 * In memory, the index is a compact open-addressing hash table: one 48-byte
 * entry per blob (id, pack number, offset, length, plaintext length; the
 * blob type in the top bit of the pack number) in a dense array, plus a
 * table of 32-bit slots kept at most 3/4 full, so about 54 bytes a blob.
 * Pack IDs are stored once each in a separate array.  The first location of
 * a blob wins; duplicates (the same blob in two packs) are counted but not
 * kept, since any one copy restores the data.
 *
 * A mutex guards the table: the backup pipeline's workers add blobs while
 * the walker looks them up.  A blob can be reserved before its pack exists
 * (index_reserve), so that two files with the same chunk are stored once;
 * index_lookup reports a reserved blob as present with pack == INDEX_PENDING.
 *
 * On disk, an index file is the JSON document
 *   {"packs":[{"id":P,"blobs":[{"id":B,"type":"data","offset":0,
 *     "length":54,"uncompressed_length":13},...]},...]}
 * stored as an unpacked file (see repo.h).
 */
#ifndef RP_INDEX_H
#define RP_INDEX_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "repo/pack.h"
#include "util/buf.h"

#define INDEX_PENDING UINT32_MAX

struct index_entry {
	uint8_t id[32];
	uint32_t pack;    /* bit 31: tree; bits 0..30: pack number */
	uint32_t offset;
	uint32_t length;
	uint32_t ulen;
};

struct index {
	pthread_mutex_t lock;
	struct index_entry *e;
	size_t n, cap;
	uint32_t *slots;  /* entry number + 1; 0 is empty */
	size_t nslots;    /* power of two */
	uint8_t (*packs)[32];
	size_t npacks, packs_cap;
	size_t duplicates;
};

void index_init(struct index *idx);
void index_release(struct index *idx);

/* index_pack_add: the number of a pack id (added if new). */
uint32_t index_pack_add(struct index *idx, const uint8_t id[32]);
/* index_add: adds or fills in a blob's location.  A reserved entry gets
 * its location; an existing one counts a duplicate.  pack is a number from
 * index_pack_add. */
void index_add(struct index *idx, const struct pack_blob *b, uint32_t pack);
/* index_reserve: 1 if the blob was absent and is now reserved, 0 if it was
 * already present or reserved. */
int index_reserve(struct index *idx, const uint8_t id[32], enum blob_type t);
/* index_lookup: 1 and *b (with *pack, *packid if non-NULL) if found. */
int index_lookup(struct index *idx, const uint8_t id[32], enum blob_type t,
		 struct pack_blob *b, uint8_t packid[32]);
/* index_count: number of blobs of type t. */
size_t index_count(struct index *idx, enum blob_type t);

/* index_json_decode: adds every blob of an index document to idx.  When
 * packs_out is not NULL, *packs_out receives the new-allocated list of
 * (pack id, blob) pairs of the file for the checker: see struct
 * index_file.  0 or RP_EFORMAT. */
struct index_file_pack {
	uint8_t id[32];
	struct pack_blob *blobs;
	size_t nblobs;
};
struct index_file {
	struct index_file_pack *packs;
	size_t npacks;
	uint8_t (*supersedes)[32];
	size_t nsupersedes;
};
int index_json_decode(const uint8_t *p, size_t n, struct index *idx,
		      struct index_file *file);
void index_file_release(struct index_file *f);

/* index_json_encode: one index document for the given packs. */
int index_json_encode(const struct index_file_pack *packs, size_t npacks,
		      struct buf *out);

#endif
