/*
 * pipeline: the bounded, parallel path from plaintext blobs to pack files.
 *
 * The walker (one thread) reads, chunks and hashes; it hands each blob
 * whose ID the repository lacks to pipeline_save.  Worker threads compress,
 * encrypt and append blobs to their own open packs (one for data, one for
 * trees: restic keeps the two kinds apart); a pack that reaches 16 MiB is
 * written atomically, then its blobs enter the in-memory index, then (every
 * INDEX_FLUSH_BLOBS blobs, and at the end) an index file naming the new
 * packs is written.  Packs come before the index that names them, and the
 * caller writes the snapshot only after pipeline_finish succeeded: a crash
 * leaves at most unreferenced packs, never a snapshot with missing data.
 *
 * Bounded memory: at most max_bytes of plaintext wait in the queue;
 * pipeline_save blocks while it is full.  The first error of any worker
 * stops the pipeline; later calls return it.
 */
#ifndef RP_PIPELINE_H
#define RP_PIPELINE_H

#include <stddef.h>
#include <stdint.h>

#include "repo/repo.h"

#define INDEX_FLUSH_BLOBS 100000

struct pipeline_stats {
	uint64_t data_blobs, tree_blobs;  /* new blobs stored */
	uint64_t data_added;              /* plaintext bytes of new blobs */
	uint64_t data_added_packed;       /* bytes written to packs */
	uint64_t packs, index_files;
};

struct pipeline;

/* pipeline_start: nworkers threads (at least 1). */
int pipeline_start(struct repo *r, int nworkers, size_t max_bytes,
		   struct pipeline **out);
/* pipeline_save: stores a blob unless the index knows it (or it is already
 * queued).  Takes ownership of data (malloc'd; freed here).  1 if queued
 * as new, 0 if known, <0 the pipeline's error. */
int pipeline_save(struct pipeline *p, enum blob_type t, const uint8_t id[32],
		  uint8_t *data, size_t len);
/* pipeline_save_force: stores the blob even if the index knows it (prune
 * copies live blobs out of packs it is about to delete).  Same contract
 * otherwise; returns 1 or <0. */
int pipeline_save_force(struct pipeline *p, enum blob_type t,
			const uint8_t id[32], uint8_t *data, size_t len);
/* pipeline_error: the first error so far (0 if none). */
int pipeline_error(struct pipeline *p);
/* pipeline_finish: drains the queue, writes the open packs and the index,
 * joins the workers and frees p.  With abort set, drops queued blobs and
 * writes nothing more.  Returns the first error. */
int pipeline_finish(struct pipeline *p, int abort, struct pipeline_stats *st);

#endif
