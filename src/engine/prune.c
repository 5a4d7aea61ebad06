#include "engine/prune.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/pipeline.h"
#include "repo/lock.h"
#include "repo/packtab.h"
#include "repo/snapshot.h"
#include "repo/tree.h"
#include "util/err.h"
#include "util/hex.h"
#include "util/i18n.h"
#include "util/log.h"
#include "util/xmalloc.h"

#define INDEX_FILE_BLOBS 50000

enum pack_action { P_KEEP, P_DELETE, P_REPACK };

struct ppack {
	struct index_file_pack pack;  /* first (packtab.h) */
	uint8_t *live;          /* per blob: 1 if this copy is the one kept */
	uint64_t size, used_bytes, unused_bytes;
	int on_disk;
	enum pack_action action;
};

struct pctx {
	struct repo *r;
	const struct prune_opts *o;
	struct prune_stats *st;
	struct ppack *packs;
	size_t npacks;
	char **old_index, **unindexed;
	size_t nold, nunindexed;
	struct index used, claimed;
};

/* ---- 1. what the indexes and the disk hold ---- */

static int load_indexes(struct pctx *c)
{
	struct buf json = BUF_INIT;
	size_t i;
	int rc;

	if ((rc = repo_list(c->r, BE_INDEX, &c->old_index, &c->nold)) < 0)
		return rc;
	for (i = 0; i < c->nold && rc == 0; i++) {
		struct index_file f;

		memset(&f, 0, sizeof(f));
		rc = repo_load_unpacked(c->r, BE_INDEX, c->old_index[i], &json);
		if (rc == 0)
			rc = index_json_decode(json.p, json.len, &c->r->idx, &f);
		if (rc < 0)
			log_error("index %.8s cannot be read (%s): run 'reprise "
				  "repair index' first", c->old_index[i],
				  i18n_tr(rp_strerror(rc)));
		else
			c->packs = packtab_take(c->packs, &c->npacks,
						sizeof(*c->packs), &f);
		index_file_release(&f);
	}
	buf_release(&json);
	packtab_sort(c->packs, &c->npacks, sizeof(*c->packs), NULL, NULL);
	return rc;
}

static int note_pack(const char *name, uint64_t size, void *arg)
{
	struct pctx *c = arg;
	uint8_t id[32];
	struct ppack *p;

	(void)size;
	if (hex_decode(name, 64, id, 32) < 0)
		return 0;
	p = packtab_find(c->packs, c->npacks, sizeof(*c->packs), id);
	if (p != NULL) {
		p->on_disk = 1;
		return 0;
	}
	c->unindexed = xreallocarray(c->unindexed, c->nunindexed + 1,
				     sizeof(char *));
	c->unindexed[c->nunindexed++] = xstrdup(name);
	return 0;
}

/* ---- 2. what the snapshots use ---- */

static int mark_tree(struct pctx *c, const uint8_t id[32])
{
	struct buf b = BUF_INIT;
	struct tree t;
	size_t i, k;
	int rc;

	if (!index_reserve(&c->used, id, BLOB_TREE))
		return 0;
	tree_init(&t);
	rc = repo_load_blob(c->r, BLOB_TREE, id, &b);
	if (rc == 0)
		rc = tree_decode(b.p, b.len, &t);
	buf_release(&b);
	if (rc < 0) {
		char hex[65];

		hex_encode(id, 32, hex);
		log_error("tree %.16s cannot be read (%s): nothing is deleted; "
			  "run 'reprise check'", hex, i18n_tr(rp_strerror(rc)));
	}
	for (i = 0; i < t.n && rc == 0; i++) {
		const struct node *n = &t.nodes[i];

		for (k = 0; n->type == NODE_FILE && k < n->ncontent; k++)
			index_reserve(&c->used, n->content[k], BLOB_DATA);
		if (n->type == NODE_DIR && n->has_subtree)
			rc = mark_tree(c, n->subtree);
	}
	tree_release(&t);
	return rc;
}

static int mark_used(struct pctx *c)
{
	struct snapshot *v;
	size_t n, i, bad = 0;
	int rc;

	if ((rc = snapshot_load_all(c->r, &v, &n, &bad)) < 0)
		return rc;
	if (bad) {
		log_error(i18n_ntr("%zu snapshot cannot be read: nothing is "
				   "deleted", "%zu snapshots cannot be read: "
				   "nothing is deleted", bad), bad);
		rc = RP_ECORRUPT;
	}
	for (i = 0; i < n && rc == 0; i++)
		rc = mark_tree(c, v[i].tree);
	snapshot_list_free(v, n);
	return rc;
}

/* ---- 3. what to do with each pack ---- */

static uint64_t entry_size(const struct pack_blob *b)
{
	return b->length + (b->ulen ? PACK_ENTRY_COMPRESSED : PACK_ENTRY_PLAIN);
}

/* claim: the first copy on disk of each used blob is the live one. */
static void claim_blobs(struct pctx *c, struct ppack *p)
{
	size_t i;

	p->live = xcalloc(p->pack.nblobs + 1, 1);
	p->size = CRYPTO_OVERHEAD + 4;
	for (i = 0; i < p->pack.nblobs; i++) {
		const struct pack_blob *b = &p->pack.blobs[i];

		p->size += entry_size(b);
		p->live[i] = p->on_disk &&
			     index_lookup(&c->used, b->id, b->type, NULL, NULL)
			     && index_reserve(&c->claimed, b->id, b->type);
		if (p->live[i])
			p->used_bytes += entry_size(b);
		else
			p->unused_bytes += entry_size(b);
		if (p->live[i])
			c->st->blobs_used++;
		else
			c->st->blobs_unused++;
	}
}

/* all_claimed: every used blob has a live copy somewhere. */
static int all_claimed(struct pctx *c)
{
	size_t i, missing = 0;

	for (i = 0; i < c->used.n; i++) {
		const struct index_entry *e = &c->used.e[i];
		enum blob_type t = (e->pack & 0x80000000u) ? BLOB_TREE
							   : BLOB_DATA;

		if (!index_lookup(&c->claimed, e->id, t, NULL, NULL))
			missing++;
	}
	if (missing)
		log_error(i18n_ntr("%zu blob that snapshots use is in no "
				   "pack on disk: nothing is deleted; run "
				   "'reprise check'",
				   "%zu blobs that snapshots use are in no "
				   "pack on disk: nothing is deleted; run "
				   "'reprise check'", missing), missing);
	return missing ? RP_ECORRUPT : 0;
}

static int cmp_waste(const void *a, const void *b)
{
	const struct ppack *x = *(struct ppack *const *)a;
	const struct ppack *y = *(struct ppack *const *)b;
	double fx = (double)x->unused_bytes / (double)(x->size ? x->size : 1);
	double fy = (double)y->unused_bytes / (double)(y->size ? y->size : 1);

	return fx > fy ? -1 : fx < fy;
}

/* unused_limit: the unused bytes tolerated after the prune.  As restic,
 * a percentage p is of the whole repository afterwards: unused <= p% of
 * (used + unused), that is unused <= used * p / (100 - p). */
static uint64_t unused_limit(const struct prune_opts *o, uint64_t used)
{
	double lim;

	if (o->unused_kind == UNUSED_UNLIMITED)
		return UINT64_MAX;
	if (o->unused_kind == UNUSED_BYTES)
		return o->max_unused_bytes;
	if (o->max_unused >= 100.0)
		return UINT64_MAX;
	lim = (double)used * o->max_unused / (100.0 - o->max_unused);
	/* 2^64 as a double: anything at or above it does not convert */
	return lim >= 18446744073709551616.0 ? UINT64_MAX : (uint64_t)lim;
}

static void choose_repacks(struct pctx *c)
{
	struct ppack **cand = xcalloc(c->npacks + 1, sizeof(*cand));
	uint64_t unused = 0, used = 0, repacked = 0, limit;
	size_t i, n = 0;

	for (i = 0; i < c->npacks; i++) {
		struct ppack *p = &c->packs[i];

		used += p->used_bytes;
		if (p->used_bytes && p->unused_bytes) {
			unused += p->unused_bytes;
			cand[n++] = p;
		}
	}
	limit = unused_limit(c->o, used);
	qsort(cand, n, sizeof(*cand), cmp_waste);
	for (i = 0; i < n && unused > limit; i++) {
		if (c->o->max_repack_bytes &&
		    repacked + cand[i]->used_bytes > c->o->max_repack_bytes)
			break;
		cand[i]->action = P_REPACK;
		repacked += cand[i]->used_bytes;
		unused -= cand[i]->unused_bytes;
	}
	c->st->bytes_unused_after = unused;
	free(cand);
}

static void classify(struct pctx *c)
{
	size_t i;

	for (i = 0; i < c->npacks; i++) {
		struct ppack *p = &c->packs[i];

		claim_blobs(c, p);
		c->st->packs++;
		c->st->bytes_total += p->size;
		c->st->bytes_used += p->used_bytes;
		c->st->bytes_unused += p->unused_bytes;
		p->action = p->used_bytes ? P_KEEP : P_DELETE;
	}
	choose_repacks(c);
	for (i = 0; i < c->npacks; i++) {
		struct ppack *p = &c->packs[i];

		if (p->action == P_DELETE && p->on_disk) {
			c->st->packs_deleted++;
			c->st->bytes_deleted += p->size;
		} else if (p->action == P_REPACK) {
			size_t j;

			c->st->packs_repacked++;
			c->st->bytes_repacked += p->used_bytes;
			for (j = 0; j < p->pack.nblobs; j++)
				c->st->blobs_repacked += p->live[j];
		} else if (p->action == P_KEEP) {
			c->st->packs_kept++;
		}
	}
	c->st->packs_unindexed = c->nunindexed;
}

/* ---- 4. copying live blobs out of packs to repack ---- */

static int repack_pack(struct pctx *c, struct pipeline *pl,
		       struct blob_reader *br, struct ppack *p)
{
	struct buf plain = BUF_INIT;
	size_t i;
	int rc = 0;

	for (i = 0; i < p->pack.nblobs && rc == 0; i++) {
		const struct pack_blob *b = &p->pack.blobs[i];

		if (!p->live[i])
			continue;
		/* this very copy: another may be in a pack being deleted */
		rc = repo_read_blob_at(c->r, br, p->pack.id, b, &plain);
		if (rc == 0) {
			size_t len;
			uint8_t *data = buf_detach(&plain, &len);

			rc = pipeline_save_force(pl, b->type, b->id, data, len);
			rc = rc < 0 ? rc : 0;
		}
	}
	buf_release(&plain);
	return rc;
}

static int repack(struct pctx *c)
{
	struct pipeline *pl;
	struct blob_reader br;
	struct pipeline_stats ps;
	size_t i;
	int rc, prc;

	if (c->st->packs_repacked == 0)
		return 0;
	memset(&br, 0, sizeof(br));
	if ((rc = pipeline_start(c->r, 2, (size_t)32 << 20, &pl)) < 0)
		return rc;
	for (i = 0; i < c->npacks && rc == 0; i++)
		if (c->packs[i].action == P_REPACK)
			rc = repack_pack(c, pl, &br, &c->packs[i]);
	blob_reader_release(c->r, &br);
	prc = pipeline_finish(pl, rc < 0, &ps);
	c->st->index_written += ps.index_files;
	return rc < 0 ? rc : prc;
}

/* ---- 5, 6. new indexes, then deletions ---- */

static int write_index_batch(struct repo *r, struct index_file_pack *v,
			     size_t n, struct prune_stats *st)
{
	struct buf json = BUF_INIT;
	uint8_t id[32];
	int rc;

	if (n == 0)
		return 0;
	rc = index_json_encode(v, n, &json);
	if (rc == 0)
		rc = repo_save_unpacked(r, BE_INDEX, json.p, json.len, id);
	buf_release(&json);
	if (rc == 0 && st)
		st->index_written++;
	return rc;
}

/* write_kept_index: index files for the packs in v that keep[] marks. */
static int write_pack_index(struct repo *r, struct index_file_pack *v,
			    size_t n, struct prune_stats *st)
{
	size_t start = 0, i, blobs = 0;
	int rc = 0;

	for (i = 0; i < n && rc == 0; i++) {
		blobs += v[i].nblobs;
		if (blobs < INDEX_FILE_BLOBS && i + 1 < n)
			continue;
		rc = write_index_batch(r, v + start, i + 1 - start, st);
		start = i + 1;
		blobs = 0;
	}
	return rc;
}

static int write_kept(struct pctx *c)
{
	struct index_file_pack *v = xcalloc(c->npacks + 1, sizeof(*v));
	size_t i, n = 0;
	int rc;

	for (i = 0; i < c->npacks; i++) {
		if (c->packs[i].action != P_KEEP || !c->packs[i].on_disk)
			continue;
		memcpy(v[n].id, c->packs[i].pack.id, 32);
		v[n].blobs = c->packs[i].pack.blobs;
		v[n++].nblobs = c->packs[i].pack.nblobs;
	}
	rc = write_pack_index(c->r, v, n, c->st);
	free(v);
	return rc;
}

static int delete_old(struct pctx *c)
{
	const struct backend_ops *ops = c->r->be->ops;
	char hex[65];
	size_t i;
	int rc = 0;

	for (i = 0; i < c->nold && rc == 0; i++) {
		rc = ops->remove(c->r->be, BE_INDEX, c->old_index[i]);
		c->st->index_deleted += rc == 0;
	}
	for (i = 0; i < c->npacks && rc == 0; i++) {
		if (c->packs[i].action == P_KEEP || !c->packs[i].on_disk)
			continue;
		hex_encode(c->packs[i].pack.id, 32, hex);
		rc = ops->remove(c->r->be, BE_PACK, hex);
	}
	for (i = 0; i < c->nunindexed && rc == 0; i++)
		rc = ops->remove(c->r->be, BE_PACK, c->unindexed[i]);
	return rc;
}

static void pctx_release(struct pctx *c)
{
	size_t i;

	for (i = 0; i < c->npacks; i++) {
		free(c->packs[i].pack.blobs);
		free(c->packs[i].live);
	}
	free(c->packs);
	repo_names_free(c->old_index, c->nold);
	repo_names_free(c->unindexed, c->nunindexed);
	index_release(&c->used);
	index_release(&c->claimed);
}

static int prune_steps(struct pctx *c)
{
	int rc;

	if ((rc = load_indexes(c)) < 0 ||
	    (rc = c->r->be->ops->list(c->r->be, BE_PACK, note_pack, c)) < 0 ||
	    (rc = mark_used(c)) < 0)
		return rc;
	classify(c);
	if ((rc = all_claimed(c)) < 0 || c->o->dry_run)
		return rc;
	if ((rc = repack(c)) < 0 || (rc = write_kept(c)) < 0)
		return rc;
	return delete_old(c);
}

int prune_run(struct repo *r, const struct prune_opts *o,
	      struct prune_stats *st)
{
	struct pctx c;
	struct repo_lock *lock = NULL;
	int rc;

	memset(&c, 0, sizeof(c));
	memset(st, 0, sizeof(*st));
	c.r = r;
	c.o = o;
	c.st = st;
	index_init(&c.used);
	index_init(&c.claimed);
	if (o->take_lock && (rc = lock_take(r, 1, &lock)) < 0)
		goto out;
	rc = prune_steps(&c);
out:
	lock_release(lock);
	pctx_release(&c);
	return rc;
}

/* ---- repair index ---- */

struct rctx_pack {
	struct index_file_pack *v;
	size_t n;
	size_t bad;
	struct repo *r;
};

static int read_header(struct repo *r, const char *name, uint64_t size,
		       struct index_file_pack *out)
{
	struct buf tail = BUF_INIT;
	uint32_t hlen;
	uint8_t *pt = NULL;
	int rc;

	if (size < 4)
		return RP_EFORMAT;
	rc = r->be->ops->get(r->be, BE_PACK, name, size - 4, 4, &tail);
	if (rc == 0)
		rc = pack_trailer_check(tail.p, size, &hlen);
	if (rc == 0) {
		buf_reset(&tail);
		rc = r->be->ops->get(r->be, BE_PACK, name, size - 4 - hlen, hlen,
				     &tail);
	}
	if (rc == 0) {
		pt = xmalloc(hlen);
		rc = crypto_open(&r->master, tail.p, hlen, pt);
	}
	if (rc == 0)
		rc = pack_header_decode(pt, hlen - CRYPTO_OVERHEAD, r->version,
					&out->blobs, &out->nblobs);
	if (rc == 0)
		rc = hex_decode(name, 64, out->id, 32);
	free(pt);
	buf_release(&tail);
	return rc;
}

static int repair_one(const char *name, uint64_t size, void *arg)
{
	struct rctx_pack *c = arg;
	struct index_file_pack p;
	int rc;

	memset(&p, 0, sizeof(p));
	rc = read_header(c->r, name, size, &p);
	if (rc < 0) {
		log_warn("pack %.16s: header unreadable (%s); left out of the "
			 "index", name, i18n_tr(rp_strerror(rc)));
		free(p.blobs);
		c->bad++;
		return 0;
	}
	c->v = xreallocarray(c->v, c->n + 1, sizeof(*c->v));
	c->v[c->n++] = p;
	return 0;
}

int repair_index(struct repo *r, size_t *packs, size_t *bad)
{
	struct rctx_pack c;
	struct repo_lock *lock = NULL;
	char **old = NULL;
	size_t nold = 0, i;
	int rc;

	memset(&c, 0, sizeof(c));
	c.r = r;
	if ((rc = lock_take(r, 1, &lock)) < 0)
		return rc;
	if ((rc = repo_list(r, BE_INDEX, &old, &nold)) < 0 ||
	    (rc = r->be->ops->list(r->be, BE_PACK, repair_one, &c)) < 0 ||
	    (rc = write_pack_index(r, c.v, c.n, NULL)) < 0)
		goto out;
	/* the new index is written: the old files can go */
	for (i = 0; i < nold && rc == 0; i++)
		rc = r->be->ops->remove(r->be, BE_INDEX, old[i]);
out:
	*packs = c.n;
	*bad = c.bad;
	for (i = 0; i < c.n; i++)
		free(c.v[i].blobs);
	free(c.v);
	repo_names_free(old, nold);
	lock_release(lock);
	return rc;
}
