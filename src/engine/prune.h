/*
 * prune: removes what no snapshot needs, never before its replacement is
 * safely written.
 *
 * Under an exclusive lock:
 *   1. read every index file and list the packs on disk;
 *   2. mark every blob reachable from any snapshot (a snapshot or tree that
 *      cannot be read stops the prune: nothing is deleted on partial
 *      knowledge);
 *   3. classify packs: fully used (kept), fully unused (deleted), partly
 *      used (repacked, the most wasteful first, while the unused space
 *      left is above what --max-unused tolerates and the bytes
 *      repacked stay under max_repack_bytes), and packs that no index
 *      names (deleted: a lock-holding backup would have indexed them);
 *   4. copy the used blobs of packs to repack into new packs (verified as
 *      they are read) and write their index;
 *   5. write new index files for every pack kept;
 *   6. only then delete the old index files, then the packs no longer
 *      needed.
 * A crash at any point leaves a repository that restic and reprise read
 * and check: at worst with duplicate index entries or unreferenced packs,
 * which the next prune removes.
 */
#ifndef RP_PRUNE_H
#define RP_PRUNE_H

#include <stdint.h>

#include "repo/repo.h"

struct prune_opts {
	int dry_run;
	/* unused space tolerated afterwards, as restic reads --max-unused:
	 * a percentage of the repository's size (5 by default), a number
	 * of bytes, or no limit (nothing is repacked for space) */
	enum { UNUSED_PERCENT, UNUSED_BYTES, UNUSED_UNLIMITED } unused_kind;
	double max_unused;          /* percent, 0 to 100 */
	uint64_t max_unused_bytes;
	uint64_t max_repack_bytes;  /* 0: no limit */
	int take_lock;              /* 1 unless the caller holds one */
};

struct prune_stats {
	uint64_t packs, packs_kept, packs_deleted, packs_repacked;
	uint64_t packs_unindexed;
	uint64_t blobs_used, blobs_unused, blobs_repacked;
	uint64_t bytes_total, bytes_used, bytes_unused, bytes_deleted;
	uint64_t bytes_repacked, bytes_unused_after;
	uint64_t index_written, index_deleted;
};

int prune_run(struct repo *r, const struct prune_opts *o,
	      struct prune_stats *st);

/* repair_index: reads the header of every pack and writes a new index
 * for all of them, then deletes the old index files.  Packs whose header
 * cannot be read are reported through log_warn and left out (their count
 * in *bad). */
int repair_index(struct repo *r, size_t *packs, size_t *bad);

#endif
