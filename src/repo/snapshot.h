/*
 * snapshot: one backup's root (RESTIC_FORMAT.md §10).
 *
 * A snapshot file is an unpacked file whose JSON names the root tree and
 * says when, where from and by whom.  Its ID is the hash of the stored file,
 * not a field.  Fields are written in restic's order, optional ones left
 * out when empty (restic's omitempty).
 */
#ifndef RP_SNAPSHOT_H
#define RP_SNAPSHOT_H

#include <stddef.h>
#include <stdint.h>

#include "repo/repo.h"
#include "util/gostr.h"

struct strlist {
	char **v;
	size_t n;
};

void strlist_add(struct strlist *l, const char *s);
void strlist_release(struct strlist *l);
int strlist_has(const struct strlist *l, const char *s);

struct snapshot {
	uint8_t id[32];         /* storage id (file name) */
	struct gotime time;
	int has_parent;
	uint8_t parent[32];
	uint8_t tree[32];
	struct strlist paths;
	char *hostname, *username;
	uint32_t uid, gid;
	struct strlist excludes, tags;
	int has_original;
	uint8_t original[32];
	char *program_version;
};

void snapshot_release(struct snapshot *s);
int snapshot_encode(const struct snapshot *s, struct buf *out);
/* snapshot_decode: 0 or RP_EFORMAT (no time or tree). */
int snapshot_decode(const uint8_t *p, size_t n, struct snapshot *s);

/* snapshot_save: writes s, sets s->id. */
int snapshot_save(struct repo *r, struct snapshot *s);

/* snapshot_load_all: every readable snapshot, sorted by time (oldest
 * first).  Unreadable ones are logged and counted in *bad (may be NULL). */
int snapshot_load_all(struct repo *r, struct snapshot **out, size_t *n,
		      size_t *bad);
void snapshot_list_free(struct snapshot *v, size_t n);

/* A filter as restic's --host, --tag, --path options.  Each entry of tags
 * is one --tag value: "a,b" needs both a and b; entries are alternatives
 * (restic's semantics). */
struct snapshot_filter {
	struct strlist hosts, tags, paths;
};

/* snapshot_has_tags: 1 if s carries every tag of the comma-separated
 * list (an empty list matches). */
int snapshot_has_tags(const struct snapshot *s, const char *list);

int snapshot_match(const struct snapshot *s, const struct snapshot_filter *f);

/* snapshot_find: "latest" (the newest matching f) or a unique ID prefix.
 * *out is filled (caller releases).  RP_ENOTFOUND, RP_EINVAL (ambiguous).*/
int snapshot_find(struct repo *r, const char *what,
		  const struct snapshot_filter *f, struct snapshot *out);

#endif
