#include "engine/diff.h"

#include <string.h>

#include "crypto/crypto.h"
#include "repo/tree.h"
#include "util/buf.h"
#include "util/err.h"

struct dctx {
	struct repo *r;
	int metadata;
	diff_fn fn;
	void *arg;
	struct diff_stats *st;
	/* every blob of each snapshot, gathered by the walk itself: the
	 * trees it loads, and the subtrees the two share, which it only
	 * gathers */
	struct index blobs[2];
};

/* gather: tree id and the contents of its nodes t into set. */
static void gather(struct index *set, const uint8_t id[32],
		   const struct tree *t)
{
	size_t i, k;

	index_reserve(set, id, BLOB_TREE);
	for (i = 0; i < t->n; i++)
		for (k = 0; k < t->nodes[i].ncontent; k++)
			index_reserve(set, t->nodes[i].content[k], BLOB_DATA);
}

/* shared: every blob below tree id, which both snapshots hold, into both
 * sets (a tree met before: once). */
static int shared(struct dctx *c, const uint8_t id[32])
{
	struct tree t;
	size_t i;
	int rc;

	if (index_lookup(&c->blobs[0], id, BLOB_TREE, NULL, NULL) &&
	    index_lookup(&c->blobs[1], id, BLOB_TREE, NULL, NULL))
		return 0;
	tree_init(&t);
	rc = repo_load_tree(c->r, id, &t);
	if (rc == 0) {
		gather(&c->blobs[0], id, &t);
		gather(&c->blobs[1], id, &t);
	}
	for (i = 0; rc == 0 && i < t.n; i++)
		if (t.nodes[i].type == NODE_DIR && t.nodes[i].has_subtree)
			rc = shared(c, t.nodes[i].subtree);
	tree_release(&t);
	return rc;
}

static void count_entry(struct diff_side *s, const struct node *n)
{
	if (n->type == NODE_FILE)
		s->files++;
	else if (n->type == NODE_DIR)
		s->dirs++;
	else
		s->others++;
}

/* node_path: prefix/name, with '/' after a folder's name. */
static void node_path(struct buf *p, const char *prefix,
		      const struct node *n, int dir)
{
	buf_reset(p);
	buf_add(p, prefix, strlen(prefix));
	buf_addc(p, '/');
	buf_add(p, n->name, n->name_len);
	if (dir)
		buf_addc(p, '/');
}

/* drop_slash: the folder's path without its trailing '/' (the prefix
 * of what it holds). */
static const char *drop_slash(struct buf *p)
{
	buf_truncate(p, p->len - 1);
	return buf_cstr(p);
}

/* each: every entry below tree id as added ("+") or removed ("-"). */
static int each(struct dctx *c, const char *mod, struct diff_side *side,
		const char *prefix, const uint8_t id[32])
{
	struct buf p = BUF_INIT;
	struct tree t;
	size_t i;
	int rc;

	tree_init(&t);
	rc = repo_load_tree(c->r, id, &t);
	if (rc == 0)
		gather(&c->blobs[mod[0] == '+'], id, &t);
	for (i = 0; rc == 0 && i < t.n; i++) {
		const struct node *n = &t.nodes[i];
		int dir = n->type == NODE_DIR;

		node_path(&p, prefix, n, dir);
		c->fn(buf_cstr(&p), mod, c->arg);
		count_entry(side, n);
		if (dir && n->has_subtree)
			rc = each(c, mod, side, drop_slash(&p), n->subtree);
	}
	tree_release(&t);
	buf_release(&p);
	return rc;
}

static int same_time(const struct gotime *a, const struct gotime *b)
{
	return a->sec == b->sec && a->nsec == b->nsec;
}

static int same_xattrs(const struct node *a, const struct node *b)
{
	size_t i;

	if (a->nxattrs != b->nxattrs)
		return 0;
	for (i = 0; i < a->nxattrs; i++)
		if (strcmp(a->xattrs[i].name, b->xattrs[i].name) != 0 ||
		    a->xattrs[i].len != b->xattrs[i].len ||
		    memcmp(a->xattrs[i].value, b->xattrs[i].value,
			   a->xattrs[i].len) != 0)
			return 0;
	return 1;
}

static int same_str(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

/* same_meta: restic's Node.Equals without the content. */
static int same_meta(const struct node *a, const struct node *b)
{
	return a->type == b->type && a->mode == b->mode &&
	       same_time(&a->mtime, &b->mtime) &&
	       same_time(&a->atime, &b->atime) &&
	       same_time(&a->ctime, &b->ctime) && a->uid == b->uid &&
	       a->gid == b->gid && same_str(a->user, b->user) &&
	       same_str(a->group, b->group) && a->inode == b->inode &&
	       a->device_id == b->device_id && a->size == b->size &&
	       a->links == b->links && a->device == b->device &&
	       a->linktarget_len == b->linktarget_len &&
	       (a->linktarget_len == 0 ||
		memcmp(a->linktarget, b->linktarget, a->linktarget_len) == 0)
	       && a->has_subtree == b->has_subtree &&
	       (!a->has_subtree || memcmp(a->subtree, b->subtree, 32) == 0) &&
	       same_xattrs(a, b);
}

static int same_content(const struct node *a, const struct node *b)
{
	return a->ncontent == b->ncontent &&
	       (a->ncontent == 0 ||
		memcmp(a->content, b->content, a->ncontent * 32) == 0);
}

static int walk_pair(struct dctx *c, const char *prefix, const uint8_t a[32],
		     const uint8_t b[32]);

/* both: a name in the two trees. */
static int both(struct dctx *c, const char *prefix, const struct node *x,
		const struct node *y)
{
	struct buf p = BUF_INIT;
	char mod[4];
	size_t m = 0;
	int rc = 0, dx = x->type == NODE_DIR, dy = y->type == NODE_DIR;

	node_path(&p, prefix, y, dy);
	if (x->type != y->type)
		mod[m++] = 'T';
	if (x->type == NODE_FILE && y->type == NODE_FILE &&
	    !same_content(x, y)) {
		mod[m++] = 'M';  /* restic adds no U to an M */
		c->st->changed_files++;
	} else if (c->metadata && !same_meta(x, y)) {
		mod[m++] = 'U';
	}
	mod[m] = '\0';
	if (m)
		c->fn(buf_cstr(&p), mod, c->arg);
	if (dy)
		drop_slash(&p);
	if (dx && dy && x->has_subtree && y->has_subtree &&
	    memcmp(x->subtree, y->subtree, 32) == 0)
		rc = shared(c, x->subtree);
	else if (dx && dy && x->has_subtree && y->has_subtree)
		rc = walk_pair(c, buf_cstr(&p), x->subtree, y->subtree);
	else if (dx && !dy && x->has_subtree)
		rc = each(c, "-", &c->st->removed, buf_cstr(&p), x->subtree);
	else if (dy && !dx && y->has_subtree)
		rc = each(c, "+", &c->st->added, buf_cstr(&p), y->subtree);
	buf_release(&p);
	return rc;
}

/* one: a name in one tree only (side 0: removed, 1: added). */
static int one(struct dctx *c, const char *prefix, const struct node *n,
	       int side)
{
	struct buf p = BUF_INIT;
	struct diff_side *s = side ? &c->st->added : &c->st->removed;
	const char *mod = side ? "+" : "-";
	int rc = 0, dir = n->type == NODE_DIR;

	node_path(&p, prefix, n, dir);
	c->fn(buf_cstr(&p), mod, c->arg);
	count_entry(s, n);
	if (dir && n->has_subtree)
		rc = each(c, mod, s, drop_slash(&p), n->subtree);
	buf_release(&p);
	return rc;
}

static int cmp_names(const struct node *a, const struct node *b)
{
	size_t n = a->name_len < b->name_len ? a->name_len : b->name_len;
	int r = memcmp(a->name, b->name, n);

	if (r)
		return r;
	return a->name_len < b->name_len ? -1 : a->name_len > b->name_len;
}

static int walk_pair(struct dctx *c, const char *prefix, const uint8_t a[32],
		     const uint8_t b[32])
{
	struct tree ta, tb;
	size_t i = 0, j = 0;
	int rc;

	tree_init(&ta);
	tree_init(&tb);
	rc = repo_load_tree(c->r, a, &ta);
	if (rc == 0)
		rc = repo_load_tree(c->r, b, &tb);
	if (rc == 0) {
		gather(&c->blobs[0], a, &ta);
		gather(&c->blobs[1], b, &tb);
	}
	while (rc == 0 && (i < ta.n || j < tb.n)) {
		int k = i == ta.n ? 1 : j == tb.n ? -1
				: cmp_names(&ta.nodes[i], &tb.nodes[j]);

		if (k < 0)
			rc = one(c, prefix, &ta.nodes[i++], 0);
		else if (k > 0)
			rc = one(c, prefix, &tb.nodes[j++], 1);
		else
			rc = both(c, prefix, &ta.nodes[i++], &tb.nodes[j++]);
	}
	tree_release(&ta);
	tree_release(&tb);
	return rc;
}

/* blob_stats: the blobs of set x that set y lacks, into s. */
static void blob_stats(struct dctx *c, struct index *x, struct index *y,
		       struct diff_side *s)
{
	size_t i;

	for (i = 0; i < x->n; i++) {
		const struct index_entry *e = &x->e[i];
		enum blob_type t = (e->pack & 0x80000000u) ? BLOB_TREE
							   : BLOB_DATA;
		struct pack_blob b;

		if (index_lookup(y, e->id, t, NULL, NULL))
			continue;
		if (t == BLOB_TREE)
			s->tree_blobs++;
		else
			s->data_blobs++;
		if (index_lookup(&c->r->idx, e->id, t, &b, NULL) &&
		    b.length >= CRYPTO_OVERHEAD)
			s->bytes += b.ulen ? b.ulen
					   : b.length - CRYPTO_OVERHEAD;
	}
}

int diff_run(struct repo *r, const uint8_t from[32], const uint8_t to[32],
	     int metadata, diff_fn fn, void *arg, struct diff_stats *st)
{
	struct dctx c;
	int rc;

	memset(st, 0, sizeof(*st));
	memset(&c, 0, sizeof(c));
	c.r = r;
	c.metadata = metadata;
	c.fn = fn;
	c.arg = arg;
	c.st = st;
	index_init(&c.blobs[0]);
	index_init(&c.blobs[1]);
	rc = memcmp(from, to, 32) == 0 ? shared(&c, from)
				       : walk_pair(&c, "", from, to);
	if (rc == 0) {
		blob_stats(&c, &c.blobs[1], &c.blobs[0], &st->added);
		blob_stats(&c, &c.blobs[0], &c.blobs[1], &st->removed);
	}
	index_release(&c.blobs[0]);
	index_release(&c.blobs[1]);
	return rc;
}
