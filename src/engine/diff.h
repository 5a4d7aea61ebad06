/*
 * diff: what changed from one snapshot to another, as restic's diff.
 *
 * The two trees are walked side by side, names in order; identical
 * subtrees (same ID) are not entered.  Each change is handed to fn with
 * restic's modifiers: "+" added, "-" removed (a folder with everything it
 * held, each entry on its own line), "T" the type changed, "M" a file's
 * content changed, "U" metadata changed (only when asked: times, mode,
 * owner, links, extended attributes...).  Folders are named with a
 * trailing '/'.
 *
 * The statistics count the entries added and removed by kind, the changed
 * files, and the blobs (data and trees) one snapshot uses and the other
 * does not, with their plaintext sizes: what the second snapshot added to
 * the repository, and what forgetting the first would free.
 */
#ifndef RP_DIFF_H
#define RP_DIFF_H

#include <stdint.h>

#include "repo/repo.h"

struct diff_side {
	uint64_t files, dirs, others;       /* entries */
	uint64_t data_blobs, tree_blobs, bytes;
};

struct diff_stats {
	struct diff_side added, removed;
	uint64_t changed_files;
};

typedef void (*diff_fn)(const char *path, const char *modifier, void *arg);

/* diff_run: 0, or the first error reading a tree (RP_ENOTFOUND,
 * RP_ECORRUPT, ...): a diff of damaged snapshots is not given half. */
int diff_run(struct repo *r, const uint8_t from[32], const uint8_t to[32],
	     int metadata, diff_fn fn, void *arg, struct diff_stats *st);

#endif
