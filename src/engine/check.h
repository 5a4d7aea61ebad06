/*
 * check: is the repository whole, and (with read_data) is every byte right?
 *
 * What is verified, in restic's order (RESTIC_FORMAT.md §14):
 *   1. every index file decrypts and parses; a pack in two indexes is
 *      noted;
 *   2. every indexed pack exists with the size its index implies; packs
 *      that no index names are noted (not an error);
 *   3. no pack mixes data and tree blobs;
 *   4. every snapshot decrypts; every tree reachable from it loads and
 *      verifies; directories have subtrees; every file's blobs are indexed;
 *   5. with read_data (for all packs or a subset): the pack hashes to its
 *      name, its header decrypts and matches the index exactly, and every
 *      blob decrypts, decompresses to its length and hashes to its ID.
 * Each damage is reported once through problem() with the file it is in
 * (and, for packs, the blob).  check_run returns 0 when nothing is wrong,
 * RP_ECORRUPT when something is.
 */
#ifndef RP_CHECK_H
#define RP_CHECK_H

#include <stdint.h>

#include "repo/repo.h"

struct check_opts {
	int read_data;
	/* subset of packs read with read_data: all when both are 0 */
	double subset_percent;        /* 0 < p <= 100: random fraction */
	unsigned subset_n, subset_t;  /* n/t: the n-th of t groups */
	int threads;
	/* error != 0: damage; 0: a remark (e.g. unreferenced pack) */
	void (*problem)(int error, const char *file, const char *msg,
			void *arg);
	void *arg;
};

struct check_stats {
	uint64_t index_files, packs, snapshots, trees, blobs;
	uint64_t packs_read, bytes_read;
	uint64_t errors, remarks;
	uint64_t blobs_damaged;        /* blobs that failed to decode */
};

int check_run(struct repo *r, const struct check_opts *o,
	      struct check_stats *st);

#endif
