/*
 * restore: a snapshot's files back onto disk.
 *
 * The snapshot's root tree is laid out under the target directory as
 * restic does (a snapshot of /srv/data restores to TARGET/srv/data).  The
 * walker creates directories, links and special files itself and hands
 * regular files to worker threads, which fetch each blob, verify its hash
 * (blob_decode does), and write it; runs of zeros become holes, so sparse
 * files stay sparse.  Hard links are recreated from (device_id, inode).
 * Metadata (owner, mode with setuid bits, extended attributes, nanosecond
 * times) is set after the content, and a directory's last of all.
 *
 * A file whose blobs cannot be read or do not verify is not left behind
 * with wrong bytes: it is removed and reported through warn(), the others
 * are restored, and restore_run returns RP_EPARTIAL.
 */
#ifndef RP_RESTORE_H
#define RP_RESTORE_H

#include <stdint.h>

#include "repo/repo.h"
#include "repo/snapshot.h"
#include "repo/tree.h"

struct restore_opts {
	const char *target;
	struct strlist includes, excludes; /* patterns on snapshot paths */
	struct strlist iincludes, iexcludes; /* the same, ignoring case */
	int threads;                       /* 0: default */
	/* optional: called for every node (spath is its path in the
	 * snapshot); 0 leaves it out, 1 restores it (a directory: with what
	 * select keeps below it), 2 (directories only) restores it only if
	 * something below it is.  Applied after includes/excludes. */
	int (*select)(const char *spath, const struct node *n, void *arg);
	void (*warn)(const char *path, const char *what, int err, void *arg);
	void (*progress)(uint64_t files, uint64_t bytes, void *arg);
	void *arg;
};

struct restore_stats {
	uint64_t files, dirs, others, bytes, errors;
	double seconds;
};

int restore_run(struct repo *r, const struct snapshot *s,
		const struct restore_opts *o, struct restore_stats *st);

/* restore_selected: 1 if the snapshot path is to be restored (itself, or
 * for a directory, something below it), per includes and excludes. */
int restore_selected(const struct restore_opts *o, const char *path,
		     int is_dir);

/* restore_verify: reads back every regular file that restore_run(r, s, o)
 * restored under o->target (the same selection) and checks that each
 * piece hashes to the blob ID the snapshot names and that nothing follows
 * the last piece (restic's restore --verify).  Needs only the index, no
 * pack.  A file that differs or is missing goes to o->warn ("verify");
 * st counts the files and bytes that match, and the errors.  0, or
 * RP_EPARTIAL when some file did not match. */
int restore_verify(struct repo *r, const struct snapshot *s,
		   const struct restore_opts *o, struct restore_stats *st);

/* restore_file_matches: 1 if the file at path holds exactly the data
 * blobs content[0..n) in order.  *buf (of *cap bytes, may be NULL/0) is
 * scratch, grown as needed; the caller frees it. */
int restore_file_matches(struct repo *r, uint8_t (*const content)[32],
			 size_t n, const char *path, uint8_t **buf,
			 size_t *cap);

#endif
