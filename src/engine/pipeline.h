/*
 * pipeline: the bounded, parallel path from plaintext blobs to pack files.
 *
 * The walker (one thread) reads, chunks and hashes; it hands each blob
 * whose ID the repository lacks to pipeline_save.  Worker threads compress,
 * encrypt and append blobs to their own open packs (one for data, one for
 * trees: restic keeps the two kinds apart); a pack that reaches 16 MiB is
 * finished and handed to one committer thread, which syncs it and gives it
 * its final name (a worker never waits for the disk: an fsync of 16 MiB
 * is 10 to 40 ms, in which it encodes 1 to 4 more blobs), then its blobs
 * enter the in-memory index, then (every INDEX_FLUSH_BLOBS blobs, and at
 * the end) an index file naming the new packs is written; at most
 * COMMITS_MAX packs wait for the committer.  Until then their blobs are
 * reserved in the index, so they are never stored twice.  Packs come
 * before the index that names them, and the
 * caller writes the snapshot only after pipeline_finish succeeded: a crash
 * leaves at most unreferenced packs, never a snapshot with missing data.
 *
 * Bounded memory: at most max_bytes of plaintext wait in the queue;
 * pipeline_save blocks while it is full.  The first error of any worker
 * stops the pipeline; later calls return it.
 *
 * Hashing off the walker: a data chunk can be queued before its SHA-256
 * is known (pipeline_save_unhashed).  A worker that takes it hashes it,
 * writes the ID where the walker asked, drops it if the index knows it,
 * and stores it otherwise.  At the end of a file the walker calls
 * pipeline_group_wait: the file's chunks that no worker took yet it
 * hashes itself (so it never idles behind a queue of blobs to compress),
 * then it waits for the few a worker is hashing right now.  On data that
 * does not compress the walker only reads and chunks while the workers
 * hash, seal and write: that is where a single walker was the bottleneck.
 * Such chunks live in buffers from pipeline_blob_alloc, with room to be
 * sealed in place when they are stored uncompressed.
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
/* One file's chunks queued by pipeline_save_unhashed; zero-initialised. */
struct pipeline_group {
	size_t pending; /* chunks whose ID is not written yet */
	size_t queued;  /* chunks queued so far (the walker's own count) */
};

/* pipeline_blob_alloc: a buffer for n bytes of chunk data, with the room
 * around it that blob_encode_inplace needs; owned by the pipeline once
 * given to pipeline_save_unhashed. */
uint8_t *pipeline_blob_alloc(struct pipeline *p, size_t n);
/* pipeline_save_unhashed: queues the data chunk data[0..len) (from
 * pipeline_blob_alloc) of group g; its SHA-256 will be written to id_out,
 * which must stay valid until pipeline_group_wait(p, g) returned.
 * 0 or <0 the pipeline's error (data is freed either way). */
int pipeline_save_unhashed(struct pipeline *p, struct pipeline_group *g,
			   uint8_t *id_out, uint8_t *data, size_t len);
/* pipeline_group_wait: returns when every ID of g is written (always,
 * also after an error, so that id_out may be freed); then 0 or the
 * pipeline's error. */
int pipeline_group_wait(struct pipeline *p, struct pipeline_group *g);

/* pipeline_dry_run: from now on (call it before the first blob) packs are
 * built, encrypted and counted in the statistics, then dropped: nothing
 * reaches the repository, no pack, no index file (backup --dry-run). */
void pipeline_dry_run(struct pipeline *p);

/* pipeline_error: the first error so far (0 if none). */
int pipeline_error(struct pipeline *p);
/* pipeline_finish: drains the queue, writes the open packs and the index,
 * joins the workers and frees p.  With abort set, drops queued blobs and
 * writes nothing more.  Returns the first error. */
int pipeline_finish(struct pipeline *p, int abort, struct pipeline_stats *st);

#endif
