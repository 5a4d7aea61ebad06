#include "engine/copy.h"

#include <stdlib.h>
#include <string.h>

#include "engine/pipeline.h"
#include "repo/lock.h"
#include "repo/tree.h"
#include "util/err.h"
#include "util/hex.h"
#include "util/i18n.h"
#include "util/log.h"
#include "util/xmalloc.h"

struct cctx {
	struct repo *src, *dst;
	struct pipeline *pl;
	struct blob_reader br;
	struct index seen;     /* trees already walked in this run */
	struct copy_stats *st;
};

static int copy_blob(struct cctx *c, enum blob_type t, const uint8_t id[32],
		     const uint8_t *plain, size_t len)
{
	uint8_t *data;
	int rc;

	if (index_lookup(&c->dst->idx, id, t, NULL, NULL))
		return 0;
	data = xmalloc(len + 1);
	memcpy(data, plain, len);
	rc = pipeline_save(c->pl, t, id, data, len);
	if (rc > 0) {
		c->st->blobs++;
		c->st->bytes += len;
	}
	return rc < 0 ? rc : 0;
}

static int copy_data(struct cctx *c, const uint8_t id[32], struct buf *tmp)
{
	int rc;

	if (index_lookup(&c->dst->idx, id, BLOB_DATA, NULL, NULL))
		return 0;
	rc = repo_read_blob(c->src, &c->br, BLOB_DATA, id, tmp);
	if (rc < 0) {
		char hex[65];

		hex_encode(id, 32, hex);
		log_error("data blob %.16s cannot be read from the source: %s",
			  hex, i18n_tr(rp_strerror(rc)));
		return rc;
	}
	return copy_blob(c, BLOB_DATA, id, tmp->p, tmp->len);
}

static int copy_tree(struct cctx *c, const uint8_t id[32])
{
	struct buf raw = BUF_INIT, tmp = BUF_INIT;
	struct tree t;
	size_t i, k;
	int rc;

	if (!index_reserve(&c->seen, id, BLOB_TREE))
		return 0;
	tree_init(&t);
	rc = repo_load_blob(c->src, BLOB_TREE, id, &raw);
	if (rc == 0)
		rc = tree_decode(raw.p, raw.len, &t);
	for (i = 0; i < t.n && rc == 0; i++) {
		const struct node *n = &t.nodes[i];

		for (k = 0; n->type == NODE_FILE && k < n->ncontent && rc == 0;
		     k++)
			rc = copy_data(c, n->content[k], &tmp);
		if (rc == 0 && n->type == NODE_DIR && n->has_subtree)
			rc = copy_tree(c, n->subtree);
	}
	/* the tree last: what it names is queued before it */
	if (rc == 0)
		rc = copy_blob(c, BLOB_TREE, id, raw.p, raw.len);
	tree_release(&t);
	buf_release(&raw);
	buf_release(&tmp);
	return rc;
}

static int already_there(const struct snapshot *s, const struct snapshot *d,
			 size_t nd)
{
	size_t i, k;

	for (i = 0; i < nd; i++) {
		const struct snapshot *x = &d[i];

		if (x->has_original && memcmp(x->original, s->has_original
					      ? s->original : s->id, 32) == 0)
			return 1;
		if (x->time.sec != s->time.sec || x->time.nsec != s->time.nsec ||
		    memcmp(x->tree, s->tree, 32) != 0 ||
		    x->paths.n != s->paths.n)
			continue;
		for (k = 0; k < s->paths.n; k++)
			if (!strlist_has(&x->paths, s->paths.v[k]))
				break;
		if (k == s->paths.n)
			return 1;
	}
	return 0;
}

static int wanted(const struct copy_opts *o, const struct snapshot *s)
{
	char hex[65];
	size_t i;

	if (!snapshot_match(s, &o->filter))
		return 0;
	if (o->nids == 0)
		return 1;
	hex_encode(s->id, 32, hex);
	for (i = 0; i < o->nids; i++)
		if (strncmp(hex, o->ids[i], strlen(o->ids[i])) == 0)
			return 1;
	return 0;
}

static int copy_one(struct cctx *c, const struct snapshot *s,
		    uint8_t new_id[32])
{
	struct snapshot n;
	int rc, prc;

	if ((rc = pipeline_start(c->dst, 2, (size_t)32 << 20, &c->pl)) < 0)
		return rc;
	rc = copy_tree(c, s->tree);
	prc = pipeline_finish(c->pl, rc < 0, NULL);
	c->pl = NULL;
	if (rc < 0 || prc < 0)
		return rc < 0 ? rc : prc;
	/* a shallow copy: the strings stay the source's */
	n = *s;
	if (!n.has_original) {
		n.has_original = 1;
		memcpy(n.original, s->id, 32);
	}
	rc = snapshot_save(c->dst, &n);
	if (rc == 0) {
		c->st->snapshots++;
		memcpy(new_id, n.id, 32);
	}
	return rc;
}

static int copy_all(struct cctx *c, const struct copy_opts *o)
{
	struct snapshot *sv = NULL, *dv = NULL;
	size_t sn = 0, dn = 0, i;
	int rc;

	if ((rc = snapshot_load_all(c->src, &sv, &sn, NULL)) < 0 ||
	    (rc = snapshot_load_all(c->dst, &dv, &dn, NULL)) < 0)
		goto out;
	for (i = 0; i < sn && rc == 0; i++) {
		if (!wanted(o, &sv[i]))
			continue;
		if (already_there(&sv[i], dv, dn)) {
			c->st->skipped++;
			if (o->copied)
				o->copied(&sv[i], NULL, 1, o->arg);
			continue;
		}
		{
			uint8_t new_id[32];

			rc = copy_one(c, &sv[i], new_id);
			if (rc == 0 && o->copied)
				o->copied(&sv[i], new_id, 0, o->arg);
		}
	}
out:
	snapshot_list_free(sv, sn);
	snapshot_list_free(dv, dn);
	return rc;
}

int copy_run(struct repo *src, struct repo *dst, const struct copy_opts *o,
	     struct copy_stats *st)
{
	struct cctx c;
	struct repo_lock *ls = NULL, *ld = NULL;
	int rc;

	memset(&c, 0, sizeof(c));
	memset(st, 0, sizeof(*st));
	c.src = src;
	c.dst = dst;
	c.st = st;
	index_init(&c.seen);
	if ((rc = lock_take(src, 0, &ls)) < 0 ||
	    (rc = lock_take(dst, 0, &ld)) < 0 ||
	    (rc = repo_load_index(src, NULL)) < 0 ||
	    (rc = repo_load_index(dst, NULL)) < 0)
		goto out;
	rc = copy_all(&c, o);
out:
	blob_reader_release(src, &c.br);
	index_release(&c.seen);
	lock_release(ld);
	lock_release(ls);
	return rc;
}
