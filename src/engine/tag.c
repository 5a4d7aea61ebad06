#include "engine/tag.h"

#include <string.h>

#include "util/err.h"
#include "util/hex.h"

/* same_tags: the same tags in the same order. */
static int same_tags(const struct strlist *a, const struct strlist *b)
{
	size_t i;

	if (a->n != b->n)
		return 0;
	for (i = 0; i < a->n; i++)
		if (strcmp(a->v[i], b->v[i]) != 0)
			return 0;
	return 1;
}

/* new_tags: as restic, --set replaces the tags (add and remove are then
 * ignored); otherwise the tags to add are appended, then those to remove
 * go.  No tag twice. */
static void new_tags(const struct snapshot *s, const struct tag_opts *o,
		     struct strlist *out)
{
	struct strlist all = { NULL, 0 };
	size_t i;

	if (o->has_set) {
		for (i = 0; i < o->set.n; i++)
			if (!strlist_has(out, o->set.v[i]))
				strlist_add(out, o->set.v[i]);
		return;
	}
	for (i = 0; i < s->tags.n; i++)
		strlist_add(&all, s->tags.v[i]);
	for (i = 0; i < o->add.n; i++)
		if (!strlist_has(&all, o->add.v[i]))
			strlist_add(&all, o->add.v[i]);
	for (i = 0; i < all.n; i++)
		if (!strlist_has(&o->remove, all.v[i]))
			strlist_add(out, all.v[i]);
	strlist_release(&all);
}

int tag_apply(struct repo *r, struct snapshot *s, const struct tag_opts *o,
	      int *changed)
{
	struct strlist tags = { NULL, 0 };
	uint8_t old[32];
	char name[65];
	int rc = 0;

	*changed = 0;
	new_tags(s, o, &tags);
	if (same_tags(&tags, &s->tags)) {
		strlist_release(&tags);
		return 0;
	}
	memcpy(old, s->id, 32);
	strlist_release(&s->tags);
	s->tags = tags;
	if (!s->has_original) {
		s->has_original = 1;
		memcpy(s->original, old, 32);
	}
	if ((rc = snapshot_save(r, s)) < 0)
		return rc;
	*changed = 1;
	if (memcmp(old, s->id, 32) == 0)
		return 0;      /* the same bytes: nothing to remove */
	hex_encode(old, 32, name);
	return r->be->ops->remove(r->be, BE_SNAPSHOT, name);
}
