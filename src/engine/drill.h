/*
 * drill: a restore test that leaves evidence.
 *
 * A drill restores a snapshot (whole, or a random sample of N% of its
 * files with at least one of each kind: file, directory, symlink, other)
 * into a scratch directory, then
 *   - reads every restored file back and checks each piece against the
 *     repository's hash of it (the restore already verified the blobs; this
 *     proves the bytes on disk are the ones the backup holds);
 *   - where the backed-up paths still exist on this machine, compares with
 *     the live source, as borgmatic's spot check does: the file count must
 *     be within count_tolerance percent, and among sampled files that exist
 *     live and were not modified after the snapshot, at most
 *     data_tolerance percent may differ in content (a backup that
 *     faithfully saved the wrong folder is not a backup);
 *   - measures duration and restore throughput;
 *   - removes the scratch copy;
 * and returns an evidence record (JSON) with its SHA-256.  Nothing here
 * stores it: the caller records it in the catalog.
 */
#ifndef RP_DRILL_H
#define RP_DRILL_H

#include <stdint.h>

#include "repo/repo.h"
#include "repo/snapshot.h"
#include "util/buf.h"

struct drill_opts {
	const char *scratch;      /* a directory that may be created */
	double sample_percent;    /* 0 or 100: whole snapshot */
	int compare_source;       /* compare with the live files */
	double count_tolerance;   /* percent; default 10 */
	double data_tolerance;    /* percent; default 10 */
	const char *label;        /* service or job name, for the record */
	const char *repo_label;   /* repository location, for the record */
	uint64_t seed;            /* sample seed (0: random) */
};

struct drill_result {
	int pass;
	char reason[512];         /* why it failed, or "" */
	int64_t started, finished; /* Unix seconds */
	double seconds;           /* restore duration */
	uint64_t files, dirs, others, bytes;
	double throughput;        /* restored bytes per second */
	uint64_t verified_files, verify_errors, restore_errors;
	uint64_t live_compared, live_differ, live_missing;
	uint64_t live_changed;    /* modified after the snapshot: skipped */
	uint64_t snapshot_files, live_files;
	struct buf evidence;      /* the JSON record */
	char evidence_sha256[65];
};

void drill_result_release(struct drill_result *d);

/* drill_run: 0 when the drill ran (pass or fail is in d->pass), <0 when
 * it could not run at all (no scratch space, repository unreadable). */
int drill_run(struct repo *r, const struct snapshot *s,
	      const struct drill_opts *o, struct drill_result *d);

#endif
