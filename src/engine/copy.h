/*
 * copy: snapshots from one repository into another (the second copy of
 * 3-2-1), sending only the blobs the target lacks.
 *
 * For each source snapshot not already in the target (a target snapshot
 * whose "original" is its ID, or with the same time, tree, host and
 * paths), the trees are walked; every blob the target's index does not
 * know is read from the source (verified), re-encrypted with the target's
 * key and stored through the target's pipeline; once all of them and
 * their index are written, the snapshot is saved with "original" set, as
 * restic's copy does.  Blob IDs do not depend on the key or the chunker
 * polynomial, so data deduplicates across repositories.  An interrupted
 * copy resumes where it stopped: the next run finds the blobs already
 * indexed in the target and copies only the rest.
 */
#ifndef RP_COPY_H
#define RP_COPY_H

#include <stdint.h>

#include "repo/repo.h"
#include "repo/snapshot.h"

struct copy_opts {
	struct snapshot_filter filter;
	const char *const *ids;      /* snapshot ID prefixes; none: all */
	size_t nids;
	void (*copied)(const struct snapshot *src, const uint8_t new_id[32],
		       int skipped, void *arg);
	void *arg;
};

struct copy_stats {
	uint64_t snapshots, skipped, blobs, bytes;
};

int copy_run(struct repo *src, struct repo *dst, const struct copy_opts *o,
	     struct copy_stats *st);

#endif
