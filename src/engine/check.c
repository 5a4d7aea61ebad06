#include "util/thread.h"
#include "engine/check.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zstd.h>

#include "repo/lock.h"
#include "repo/snapshot.h"
#include "repo/tree.h"
#include "repo/packtab.h"
#include "util/err.h"
#include "util/hex.h"
#include "util/i18n.h"
#include "util/xmalloc.h"

/* One pack as the indexes describe it, and whether it is on disk. */
struct cpack {
	struct index_file_pack pack;  /* first (packtab.h) */
	uint64_t size_on_disk;
	int on_disk, to_read;
};

struct cctx {
	struct repo *r;
	const struct check_opts *o;
	struct check_stats *st;
	pthread_mutex_t mu;
	struct cpack *packs;
	size_t npacks;
	struct index seen_trees;
	size_t next; /* read-data work counter */
};

static void problem(struct cctx *c, int error, const char *file,
		    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void problem(struct cctx *c, int error, const char *file,
		    const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), i18n_tr(fmt), ap);
	va_end(ap);
	pthread_mutex_lock(&c->mu);
	if (error)
		c->st->errors++;
	else
		c->st->remarks++;
	if (c->o->problem)
		c->o->problem(error, file, msg, c->o->arg);
	pthread_mutex_unlock(&c->mu);
}

/* ---- 1. indexes ---- */

/* duplicate_pack: a pack listed by two indexes (kept once). */
static void duplicate_pack(const uint8_t id[32], void *arg)
{
	char hex[65];

	hex_encode(id, 32, hex);
	problem(arg, 0, "index", "pack %.16s is listed in more than one index",
		hex);
}

static int check_indexes(struct cctx *c)
{
	char **names;
	size_t n, i;
	struct buf json = BUF_INIT;
	int rc;

	if ((rc = repo_list(c->r, BE_INDEX, &names, &n)) < 0)
		return rc;
	for (i = 0; i < n; i++) {
		struct index_file f;
		char file[80];

		snprintf(file, sizeof(file), "index/%s", names[i]);
		memset(&f, 0, sizeof(f));
		rc = repo_load_unpacked(c->r, BE_INDEX, names[i], &json);
		if (rc == 0)
			rc = index_json_decode(json.p, json.len, &c->r->idx, &f);
		if (rc < 0)
			problem(c, 1, file, "cannot load index: %s",
				i18n_tr(rp_strerror(rc)));
		else
			c->packs = packtab_take(c->packs, &c->npacks,
						sizeof(*c->packs), &f);
		index_file_release(&f);
		c->st->index_files++;
	}
	buf_release(&json);
	repo_names_free(names, n);
	packtab_sort(c->packs, &c->npacks, sizeof(*c->packs), duplicate_pack,
		     c);
	return 0;
}

/* ---- 1b. key files: each must hash to its name (restic does not look;
 * a damaged text field would otherwise go unnoticed until it matters) */

static void check_keys(struct cctx *c)
{
	char **names;
	size_t n, i;
	struct buf kf = BUF_INIT;
	uint8_t sum[32], want[32];

	if (repo_list(c->r, BE_KEY, &names, &n) < 0)
		return;
	kf.max = 1 << 20;
	for (i = 0; i < n; i++) {
		char file[80];

		snprintf(file, sizeof(file), "keys/%s", names[i]);
		buf_reset(&kf);
		if (c->r->be->ops->get(c->r->be, BE_KEY, names[i], 0, 0, &kf) < 0) {
			problem(c, 1, file, "cannot read the key file");
			continue;
		}
		crypto_sha256(kf.p, kf.len, sum);
		if (hex_decode(names[i], 64, want, 32) < 0 ||
		    memcmp(sum, want, 32) != 0)
			problem(c, 1, file, "key file is damaged (its content "
				"does not match its name)");
	}
	buf_release(&kf);
	repo_names_free(names, n);
}

/* ---- 2, 3. packs on disk ---- */

static int note_disk_pack(const char *name, uint64_t size, void *arg)
{
	struct cctx *c = arg;
	uint8_t id[32];
	struct cpack *p;

	if (hex_decode(name, 64, id, 32) < 0)
		return 0;
	p = packtab_find(c->packs, c->npacks, sizeof(*c->packs), id);
	if (p == NULL) {
		char file[80];

		snprintf(file, sizeof(file), "data/%.2s/%s", name, name);
		problem(c, 0, file, "pack not referenced in any index");
		return 0;
	}
	p->on_disk = 1;
	p->size_on_disk = size;
	return 0;
}

static uint64_t expected_size(const struct cpack *p)
{
	uint64_t sum = CRYPTO_OVERHEAD + 4;
	size_t i;

	for (i = 0; i < p->pack.nblobs; i++)
		sum += p->pack.blobs[i].length + (p->pack.blobs[i].ulen
						     ? PACK_ENTRY_COMPRESSED
						     : PACK_ENTRY_PLAIN);
	return sum;
}

static void check_packs(struct cctx *c)
{
	size_t i, j;
	char hex[65], file[80];

	c->r->be->ops->list(c->r->be, BE_PACK, note_disk_pack, c);
	for (i = 0; i < c->npacks; i++) {
		struct cpack *p = &c->packs[i];
		int kinds = 0;

		hex_encode(p->pack.id, 32, hex);
		snprintf(file, sizeof(file), "data/%.2s/%s", hex, hex);
		c->st->packs++;
		c->st->blobs += p->pack.nblobs;
		if (!p->on_disk) {
			problem(c, 1, file,
				i18n_ntr("pack is missing (listed in the index "
					 "with %zu blob)", "pack is missing "
					 "(listed in the index with %zu blobs)",
					 p->pack.nblobs), p->pack.nblobs);
			continue;
		}
		if (p->size_on_disk != expected_size(p))
			problem(c, 1, file, "pack has size %llu, the index "
				"implies %llu",
				(unsigned long long)p->size_on_disk,
				(unsigned long long)expected_size(p));
		for (j = 0; j < p->pack.nblobs; j++)
			kinds |= 1 << p->pack.blobs[j].type;
		if (kinds == 3)
			problem(c, 1, file, "pack mixes data and tree blobs");
	}
}

/* ---- 4. snapshots and trees ---- */

static void check_tree(struct cctx *c, const uint8_t id[32], const char *snap,
		       const char *path);

static void check_node(struct cctx *c, const struct node *n, const char *snap,
		       const char *path)
{
	char *sub = xasprintf("%s/%.*s", path, (int)n->name_len,
			      (const char *)n->name);
	size_t i;
	char hex[65];

	if (n->type == NODE_DIR && !n->has_subtree)
		problem(c, 1, snap, "directory %s has no subtree", sub);
	else if (n->type == NODE_DIR)
		check_tree(c, n->subtree, snap, sub);
	for (i = 0; n->type == NODE_FILE && i < n->ncontent; i++) {
		if (index_lookup(&c->r->idx, n->content[i], BLOB_DATA, NULL,
				 NULL))
			continue;
		hex_encode(n->content[i], 32, hex);
		problem(c, 1, snap, "file %s: data blob %.16s is not in any "
			"index", sub, hex);
	}
	free(sub);
}

static void check_tree(struct cctx *c, const uint8_t id[32], const char *snap,
		       const char *path)
{
	struct buf b = BUF_INIT;
	struct tree t;
	char hex[65];
	size_t i;
	int rc;

	if (!index_reserve(&c->seen_trees, id, BLOB_TREE))
		return; /* already checked through another snapshot */
	c->st->trees++;
	tree_init(&t);
	rc = repo_load_blob(c->r, BLOB_TREE, id, &b);
	if (rc == 0)
		rc = tree_decode(b.p, b.len, &t) < 0 ? RP_EFORMAT : 0;
	if (rc < 0) {
		hex_encode(id, 32, hex);
		problem(c, 1, snap, "tree %.16s (%s): %s", hex,
			path[0] ? path : "/", i18n_tr(rp_strerror(rc)));
	}
	for (i = 0; i < t.n; i++)
		check_node(c, &t.nodes[i], snap, path);
	tree_release(&t);
	buf_release(&b);
}

static int check_snapshots(struct cctx *c)
{
	char **names;
	size_t n, i;
	struct buf json = BUF_INIT;
	int rc;

	if ((rc = repo_list(c->r, BE_SNAPSHOT, &names, &n)) < 0)
		return rc;
	for (i = 0; i < n; i++) {
		struct snapshot s;
		char file[80];

		memset(&s, 0, sizeof(s));
		snprintf(file, sizeof(file), "snapshots/%s", names[i]);
		rc = repo_load_unpacked(c->r, BE_SNAPSHOT, names[i], &json);
		if (rc == 0)
			rc = snapshot_decode(json.p, json.len, &s);
		if (rc < 0)
			problem(c, 1, file, "cannot load snapshot: %s",
				i18n_tr(rp_strerror(rc)));
		else
			check_tree(c, s.tree, file, "");
		snapshot_release(&s);
		c->st->snapshots++;
	}
	buf_release(&json);
	repo_names_free(names, n);
	return 0;
}

/* ---- 5. reading the data ---- */

static int cmp_offset(const void *a, const void *b)
{
	const struct pack_blob *x = a, *y = b;

	return x->offset < y->offset ? -1 : x->offset > y->offset;
}

static int blob_equal(const struct pack_blob *a, const struct pack_blob *b)
{
	return memcmp(a->id, b->id, 32) == 0 && a->type == b->type &&
	       a->offset == b->offset && a->length == b->length &&
	       a->ulen == b->ulen;
}

/* pack_header: decrypts and parses the header of pack bytes p[0..n). */
static int pack_header(struct cctx *c, const uint8_t *p, size_t n,
		       struct pack_blob **hdr, size_t *cnt)
{
	uint32_t hlen;
	uint8_t *pt;
	int rc;

	if (n < 4 || pack_trailer_check(p + n - 4, n, &hlen) < 0)
		return RP_EFORMAT;
	pt = xmalloc(hlen);
	rc = crypto_open(&c->r->master, p + n - 4 - hlen, hlen, pt);
	if (rc == 0)
		rc = pack_header_decode(pt, hlen - CRYPTO_OVERHEAD,
					c->r->version, hdr, cnt);
	free(pt);
	return rc;
}

static void compare_header(struct cctx *c, struct cpack *p,
			   struct pack_blob *hdr, size_t cnt, const char *file)
{
	size_t i;
	char hex[65];

	if (p->pack.nblobs > 1)
		qsort(p->pack.blobs, p->pack.nblobs, sizeof(*p->pack.blobs),
		      cmp_offset);
	if (cnt != p->pack.nblobs)
		problem(c, 1, file, "pack header lists %zu blobs, the index "
			"%zu", cnt, p->pack.nblobs);
	for (i = 0; i < cnt && i < p->pack.nblobs; i++) {
		if (blob_equal(&hdr[i], &p->pack.blobs[i]))
			continue;
		hex_encode(hdr[i].id, 32, hex);
		problem(c, 1, file, "blob %.16s: pack header and index "
			"disagree", hex);
	}
}

static void read_blobs(struct cctx *c, const uint8_t *p, size_t n,
		       const struct cpack *pk, const char *file, void *z,
		       struct buf *out)
{
	size_t i;
	char hex[65];

	for (i = 0; i < pk->pack.nblobs; i++) {
		const struct pack_blob *b = &pk->pack.blobs[i];
		int rc = RP_ECORRUPT;

		if ((uint64_t)b->offset + b->length <= n)
			rc = blob_decode(&c->r->master, p + b->offset,
					 b->length, b->ulen, b->id, z, out);
		if (rc == 0)
			continue;
		pthread_mutex_lock(&c->mu);
		c->st->blobs_damaged++;
		pthread_mutex_unlock(&c->mu);
		hex_encode(b->id, 32, hex);
		if (rc == RP_ECORRUPT)
			problem(c, 1, file, "%s blob %s: damaged (hash or MAC "
				"mismatch)", blob_type_name(b->type), hex);
		else
			problem(c, 1, file, "%s blob %s: %s",
				blob_type_name(b->type), hex,
				i18n_tr(rp_strerror(rc)));
	}
}

static void read_pack(struct cctx *c, struct cpack *p, void *z,
		      struct buf *raw, struct buf *out)
{
	uint8_t sum[32];
	char hex[65], file[80];
	struct pack_blob *hdr = NULL;
	size_t cnt = 0;
	int rc;

	hex_encode(p->pack.id, 32, hex);
	snprintf(file, sizeof(file), "data/%.2s/%s", hex, hex);
	buf_reset(raw);
	rc = c->r->be->ops->get(c->r->be, BE_PACK, hex, 0, 0, raw);
	if (rc < 0) {
		problem(c, 1, file, "cannot read pack: %s",
			i18n_tr(rp_strerror(rc)));
		return;
	}
	crypto_sha256(raw->p, raw->len, sum);
	if (memcmp(sum, p->pack.id, 32) != 0)
		problem(c, 1, file, "pack content does not match its name "
			"(hash mismatch): the file is damaged");
	rc = pack_header(c, raw->p, raw->len, &hdr, &cnt);
	if (rc < 0)
		problem(c, 1, file, "pack header is damaged: %s",
			i18n_tr(rp_strerror(rc)));
	else
		compare_header(c, p, hdr, cnt, file);
	free(hdr);
	read_blobs(c, raw->p, raw->len, p, file, z, out);
	pthread_mutex_lock(&c->mu);
	c->st->packs_read++;
	c->st->bytes_read += raw->len;
	pthread_mutex_unlock(&c->mu);
}

static int selected(struct cctx *c, const struct cpack *p)
{
	const uint8_t *id = p->pack.id;
	uint32_t v = (uint32_t)id[0] << 24 | (uint32_t)id[1] << 16 |
		     (uint32_t)id[2] << 8 | id[3];
	uint8_t rnd[4];

	if (c->o->subset_t)
		return v % c->o->subset_t == c->o->subset_n - 1;
	if (c->o->subset_percent > 0 && c->o->subset_percent < 100) {
		if (crypto_random(rnd, sizeof(rnd)) < 0)
			return 1;
		v = (uint32_t)rnd[0] << 24 | (uint32_t)rnd[1] << 16 |
		    (uint32_t)rnd[2] << 8 | rnd[3];
		return (double)v < c->o->subset_percent / 100.0 * 4294967296.0;
	}
	return 1;
}

static void *read_worker(void *arg)
{
	struct cctx *c = arg;
	ZSTD_DCtx *z = ZSTD_createDCtx();
	struct buf raw, out;
	size_t i;

	buf_init(&raw, (size_t)1 << 31);
	buf_init(&out, BLOB_MAX_SIZE);
	for (;;) {
		pthread_mutex_lock(&c->mu);
		i = c->next++;
		pthread_mutex_unlock(&c->mu);
		if (i >= c->npacks)
			break;
		if (c->packs[i].on_disk && c->packs[i].to_read)
			read_pack(c, &c->packs[i], z, &raw, &out);
	}
	buf_release(&raw);
	buf_release(&out);
	ZSTD_freeDCtx(z);
	return NULL;
}

static void read_data(struct cctx *c)
{
	pthread_t th[16];
	int n = c->o->threads > 0 ? c->o->threads : 2, i, started = 0;
	size_t k;

	for (k = 0; k < c->npacks; k++)
		c->packs[k].to_read = selected(c, &c->packs[k]);
	if (n > 16)
		n = 16;
	for (i = 0; i < n; i++)
		if (thread_start(&th[i], read_worker, c) == 0)
			started++;
	for (i = 0; i < started; i++)
		pthread_join(th[i], NULL);
}

int check_run(struct repo *r, const struct check_opts *o,
	      struct check_stats *st)
{
	struct cctx c;
	struct repo_lock *lock = NULL;
	size_t i;
	int rc;

	memset(&c, 0, sizeof(c));
	memset(st, 0, sizeof(*st));
	c.r = r;
	c.o = o;
	c.st = st;
	pthread_mutex_init(&c.mu, NULL);
	index_init(&c.seen_trees);
	if ((rc = lock_take(r, 1, &lock)) < 0)
		goto out;
	if ((rc = check_indexes(&c)) < 0)
		goto out;
	check_keys(&c);
	check_packs(&c);
	if ((rc = check_snapshots(&c)) < 0)
		goto out;
	if (o->read_data)
		read_data(&c);
	rc = st->errors ? RP_ECORRUPT : 0;
out:
	lock_release(lock);
	for (i = 0; i < c.npacks; i++)
		free(c.packs[i].pack.blobs);
	free(c.packs);
	index_release(&c.seen_trees);
	pthread_mutex_destroy(&c.mu);
	return rc;
}
