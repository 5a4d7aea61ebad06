/*
 * tag: changes the tags of a snapshot, as restic's tag does.
 *
 * A snapshot file is named by the hash of its content, so new tags mean a
 * new file: the changed snapshot is saved first (its "original" keeps the
 * ID of the snapshot as first written, so copies and forget's history
 * still know it), and only then is the old file removed.  A crash between
 * the two leaves both, never neither; `forget` or a second `tag` tidies
 * up.  The caller holds an exclusive lock.
 */
#ifndef RP_TAG_H
#define RP_TAG_H

#include "repo/repo.h"
#include "repo/snapshot.h"

struct tag_opts {
	struct strlist add, remove, set;   /* each entry one tag */
	int has_set;                       /* --set given (maybe empty) */
};

/* tag_apply: applies o to s (see new_tags in tag.c: restic's order).
 * When the tags change, saves the new snapshot, removes the old file and
 * updates s (its id included); *changed says so.  0 or the error (the old
 * file stays if the new one could not be written). */
int tag_apply(struct repo *r, struct snapshot *s, const struct tag_opts *o,
	      int *changed);

#endif
