#include "util/thread.h"
#include "engine/pipeline.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <zstd.h>

#include "util/bigbuf.h"
#include "util/err.h"
#include "util/hex.h"
#include "util/i18n.h"
#include "util/log.h"
#include "util/xmalloc.h"

/* enqueue wakes a worker for a blob this big or this many waiting */
#define WAKE_BYTES ((size_t)64 << 10)
#define WAKE_JOBS 16

struct job {
	struct job *next;
	enum blob_type type;
	uint8_t id[32];
	uint8_t *data;
	size_t len;
	int roomy;                 /* data from pipeline_blob_alloc */
	struct pipeline_group *g;  /* set while the ID is still unknown */
	uint8_t *id_out;           /* where the ID goes then */
};

/* A finished pack whose file still has to be synced and named. */
struct commit {
	struct commit *next;
	struct be_stream *s;
	uint8_t id[32];
	struct pack_blob *blobs;
	size_t nblobs;
	uint64_t size;
};

/* Packs handed to the committer and not committed yet: a worker that
 * finds this many waits.  Each holds only its blob list in memory; its
 * bytes are in a temporary file, in the page cache until the fsync.  16
 * (256 MiB of packs) lets the disk sync what incompressible files
 * produced while the workers compress what follows: 4 made them wait for
 * the disk (measured: first backup of the bench 2-3 % faster with 16,
 * same peak memory). */
#define COMMITS_MAX 16

struct pipeline {
	struct repo *r;
	pthread_mutex_t mu;
	pthread_cond_t not_empty, not_full, hashed;
	pthread_cond_t commit_ready, commit_room;
	struct job *head, *tail;
	struct commit *chead, *ctail;
	size_t ncommits;
	int commit_closing, has_committer;
	pthread_t committer;
	size_t queued_bytes, max_bytes;
	size_t waiting;            /* jobs in the queue, not taken yet */
	int closing, aborting, err;
	pthread_t *threads;
	int nthreads;
	/* packs written but not yet in an index file */
	struct index_file_pack *pending;
	size_t npending, pending_cap, pending_blobs;
	struct pipeline_stats st;
	struct bigbuf_pool *pool;  /* pipeline_blob_alloc's buffers */
	int dry_run;               /* packs are built, counted, dropped */
};

static void job_free(struct pipeline *p, struct job *j)
{
	if (j->roomy)
		bigbuf_put(p->pool, j->data - BLOB_ROOM_BEFORE);
	else
		free(j->data);
	free(j);
}

uint8_t *pipeline_blob_alloc(struct pipeline *p, size_t n)
{
	return bigbuf_get(p->pool, BLOB_ROOM_BEFORE + n + BLOB_ROOM_AFTER) +
	       BLOB_ROOM_BEFORE;
}

static void set_error(struct pipeline *p, int err)
{
	pthread_mutex_lock(&p->mu);
	if (p->err == 0)
		p->err = err;
	pthread_cond_broadcast(&p->not_full);
	pthread_cond_broadcast(&p->not_empty);
	pthread_cond_broadcast(&p->commit_room);
	pthread_mutex_unlock(&p->mu);
}

int pipeline_error(struct pipeline *p)
{
	int e;

	pthread_mutex_lock(&p->mu);
	e = p->err;
	pthread_mutex_unlock(&p->mu);
	return e;
}

/* write_index: one index file for the given packs; frees their lists. */
static int write_index(struct pipeline *p, struct index_file_pack *packs,
		       size_t n)
{
	struct buf json = BUF_INIT;
	uint8_t id[32];
	size_t i;
	int r = 0;

	if (n > 0) {
		r = index_json_encode(packs, n, &json);
		if (r == 0)
			r = repo_save_unpacked(p->r, BE_INDEX, json.p, json.len,
					       id);
	}
	for (i = 0; i < n; i++)
		free(packs[i].blobs);
	free(packs);
	buf_release(&json);
	if (r == 0 && n > 0) {
		pthread_mutex_lock(&p->mu);
		p->st.index_files++;
		pthread_mutex_unlock(&p->mu);
	}
	return r;
}

/* take_pending: the pending pack list, if flush or over the threshold. */
static struct index_file_pack *take_pending(struct pipeline *p, int all,
					    size_t *n)
{
	struct index_file_pack *v = NULL;

	*n = 0;
	if (!all && p->pending_blobs < INDEX_FLUSH_BLOBS)
		return NULL;
	v = p->pending;
	*n = p->npending;
	p->pending = NULL;
	p->npending = p->pending_cap = p->pending_blobs = 0;
	return v;
}

struct worker {
	struct pack_writer packs[2];
	struct be_stream *streams[2];
	struct buf enc;
	ZSTD_CCtx *z;
};

static int stream_sink(void *arg, const uint8_t *p, size_t n)
{
	struct be_stream *s = arg;

	return s->be->ops->stream_write(s, p, n);
}

/* publish: a pack is on disk; its blobs enter the index, and an index
 * file is written when enough packs wait for one.  In a dry run the pack
 * is nowhere: its blobs enter the in-memory index only (so that they are
 * counted once), and no index file is written. */
static int publish(struct pipeline *p, const uint8_t id[32],
		   const struct pack_blob *blobs, size_t nblobs, uint64_t size)
{
	struct index_file_pack *fp, *flush;
	size_t i, nflush;
	uint32_t pn;

	pn = index_pack_add(&p->r->idx, id);
	for (i = 0; i < nblobs; i++)
		index_add(&p->r->idx, &blobs[i], pn);
	pthread_mutex_lock(&p->mu);
	if (p->dry_run) {
		p->st.packs++;
		p->st.data_added_packed += size;
		pthread_mutex_unlock(&p->mu);
		return 0;
	}
	if (p->npending == p->pending_cap) {
		p->pending_cap = p->pending_cap ? p->pending_cap * 2 : 16;
		p->pending = xreallocarray(p->pending, p->pending_cap,
					   sizeof(*p->pending));
	}
	fp = &p->pending[p->npending++];
	memcpy(fp->id, id, 32);
	fp->nblobs = nblobs;
	fp->blobs = xmalloc(nblobs * sizeof(*fp->blobs) + 1);
	memcpy(fp->blobs, blobs, nblobs * sizeof(*fp->blobs));
	p->pending_blobs += nblobs;
	p->st.packs++;
	p->st.data_added_packed += size;
	flush = take_pending(p, 0, &nflush);
	pthread_mutex_unlock(&p->mu);
	return write_index(p, flush, nflush);
}

/* commit_push: hands a finished, streamed pack to the committer; waits
 * while COMMITS_MAX are queued.  Owns c; 0 or the pipeline's error. */
static int commit_push(struct pipeline *p, struct commit *c)
{
	int err;

	pthread_mutex_lock(&p->mu);
	while (p->ncommits >= COMMITS_MAX && !p->err)
		pthread_cond_wait(&p->commit_room, &p->mu);
	err = p->err;
	if (err == 0) {
		if (p->ctail)
			p->ctail->next = c;
		else
			p->chead = c;
		p->ctail = c;
		p->ncommits++;
		pthread_cond_signal(&p->commit_ready);
	}
	pthread_mutex_unlock(&p->mu);
	if (err) {
		p->r->be->ops->stream_abort(c->s);
		free(c->blobs);
		free(c);
	}
	return err;
}

/* flush_pack: finishes w's pack.  A streamed pack goes to the committer
 * (the fsync is its wait, not a worker's); a pack in memory is put and
 * published here. */
static int flush_pack(struct pipeline *p, struct worker *wk,
		      struct pack_writer *w)
{
	struct be_stream **s = &wk->streams[w->type];
	struct commit *c;
	uint8_t id[32];
	char name[65];
	int r;

	if (w->nblobs == 0)
		return 0;
	if ((r = pack_writer_finish(w, &p->r->master, id)) < 0)
		return r;
	if (p->dry_run) {
		r = publish(p, id, w->blobs, w->nblobs, w->size);
		pack_writer_reset(w);
		return r;
	}
	if (*s != NULL) {
		c = xcalloc(1, sizeof(*c));
		c->s = *s;
		*s = NULL;
		memcpy(c->id, id, 32);
		c->nblobs = w->nblobs;
		c->blobs = xmalloc(w->nblobs * sizeof(*c->blobs) + 1);
		memcpy(c->blobs, w->blobs, w->nblobs * sizeof(*c->blobs));
		c->size = w->size;
		pack_writer_reset(w);
		return commit_push(p, c);
	}
	hex_encode(id, 32, name);
	r = p->r->be->ops->put(p->r->be, BE_PACK, name, w->data.p,
			       w->data.len);
	if (r < 0) {
		log_error("cannot write pack %.8s: %s", name,
			  i18n_tr(rp_strerror(r)));
		return r;
	}
	r = publish(p, id, w->blobs, w->nblobs, w->size);
	pack_writer_reset(w);
	return r;
}

/* commit_pop: the next pack to commit; NULL once closed and drained.
 * *drop is set after an error or an abort. */
static struct commit *commit_pop(struct pipeline *p, int *drop)
{
	struct commit *c;

	pthread_mutex_lock(&p->mu);
	while (p->chead == NULL && !p->commit_closing)
		pthread_cond_wait(&p->commit_ready, &p->mu);
	*drop = p->err != 0 || p->aborting;
	c = p->chead;
	if (c) {
		p->chead = c->next;
		if (p->chead == NULL)
			p->ctail = NULL;
		p->ncommits--;
		pthread_cond_signal(&p->commit_room);
	}
	pthread_mutex_unlock(&p->mu);
	return c;
}

/* committer_main: syncs and names the packs the workers finished, in
 * order, then publishes them.  After an error (or an abort) it only
 * removes the temporary files of the packs still queued. */
static void *committer_main(void *arg)
{
	struct pipeline *p = arg;
	const struct backend_ops *ops = p->r->be->ops;
	struct commit *c;
	char name[65];
	int r, drop;

	while ((c = commit_pop(p, &drop)) != NULL) {
		if (drop) {
			ops->stream_abort(c->s);
		} else {
			hex_encode(c->id, 32, name);
			r = ops->stream_commit(c->s, name);
			if (r < 0)
				log_error("cannot write pack %.8s: %s", name,
					  i18n_tr(rp_strerror(r)));
			else
				r = publish(p, c->id, c->blobs, c->nblobs,
					    c->size);
			if (r < 0)
				set_error(p, r);
		}
		free(c->blobs);
		free(c);
	}
	return NULL;
}

static int discard_sink(void *arg, const uint8_t *p, size_t n)
{
	(void)arg;
	(void)p;
	(void)n;
	return 0;
}

/* open_stream: a new pack goes straight to the backend when it can; in a
 * dry run, nowhere. */
static int open_stream(struct pipeline *p, struct worker *wk,
		       struct pack_writer *w)
{
	const struct backend_ops *ops = p->r->be->ops;
	struct be_stream **s = &wk->streams[w->type];
	int r;

	if (p->dry_run && w->nblobs == 0) {
		pack_writer_set_sink(w, discard_sink, NULL);
		return 0;
	}
	if (w->nblobs > 0 || ops->stream_open == NULL || *s != NULL)
		return 0;
	if ((r = ops->stream_open(p->r->be, BE_PACK, s)) < 0)
		return r;
	pack_writer_set_sink(w, stream_sink, *s);
	return 0;
}

static int encode_job(struct pipeline *p, struct worker *wk, struct job *j)
{
	struct pack_writer *w = &wk->packs[j->type];
	const uint8_t *enc = NULL;
	size_t elen = 0;
	uint32_t ulen;
	int r;

	buf_reset(&wk->enc);
	if (j->roomy) {
		r = blob_encode_inplace(&p->r->master, p->r->version,
					p->r->level, j->data, j->len, wk->z,
					&wk->enc, &enc, &elen, &ulen);
	} else {
		r = blob_encode(&p->r->master, p->r->version,
				j->type == BLOB_TREE ? PACK_COMPRESS_AUTO
						     : p->r->level,
				j->type, j->data, j->len, wk->z, &wk->enc,
				&ulen);
		enc = wk->enc.p;
		elen = wk->enc.len;
	}
	if (r == 0)
		r = open_stream(p, wk, w);
	if (r == 0)
		r = pack_writer_add(w, j->id, enc, elen, ulen);
	return r;
}

static struct job *pop(struct pipeline *p)
{
	struct job *j;

	pthread_mutex_lock(&p->mu);
	while (p->head == NULL && !p->closing && !p->err)
		pthread_cond_wait(&p->not_empty, &p->mu);
	j = (p->err || p->aborting) ? NULL : p->head;
	if (j) {
		p->head = j->next;
		if (p->head == NULL)
			p->tail = NULL;
		p->waiting--;
	}
	pthread_mutex_unlock(&p->mu);
	return j;
}

static void job_done(struct pipeline *p, struct job *j)
{
	pthread_mutex_lock(&p->mu);
	p->queued_bytes -= j->len;
	if (j->type == BLOB_TREE)
		p->st.tree_blobs++;
	else
		p->st.data_blobs++;
	p->st.data_added += j->len;
	pthread_cond_broadcast(&p->not_full);
	pthread_mutex_unlock(&p->mu);
	job_free(p, j);
}

/* job_drop: a queued blob that turned out to be known. */
static void job_drop(struct pipeline *p, struct job *j)
{
	pthread_mutex_lock(&p->mu);
	p->queued_bytes -= j->len;
	pthread_cond_broadcast(&p->not_full);
	pthread_mutex_unlock(&p->mu);
	job_free(p, j);
}

/* id_found: j's ID is known; tells the walker.  1 if the blob is to be
 * stored, 0 if the index has it (or it is queued already). */
static int id_found(struct pipeline *p, struct job *j)
{
	pthread_mutex_lock(&p->mu);
	memcpy(j->id_out, j->id, 32);
	j->g->pending--;
	j->g = NULL;
	pthread_cond_broadcast(&p->hashed);
	pthread_mutex_unlock(&p->mu);
	return index_reserve(&p->r->idx, j->id, BLOB_DATA);
}

/* work_one: hashes j if it must, stores it unless known, and finishes
 * the pack it filled. */
static int work_one(struct pipeline *p, struct worker *wk, struct job *j)
{
	struct pack_writer *w = &wk->packs[j->type];
	int r;

	if (j->g != NULL) {
		crypto_sha256(j->data, j->len, j->id);
		if (!id_found(p, j)) {
			job_drop(p, j);
			return 0;
		}
	}
	r = encode_job(p, wk, j);
	/* the blob is in the pack now: its room in the queue is free
	 * before the pack is finished */
	job_done(p, j);
	if (r == 0 && w->size >= PACK_TARGET_SIZE)
		r = flush_pack(p, wk, w);
	return r;
}

static void *worker_main(void *arg)
{
	struct pipeline *p = arg;
	struct worker wk;
	struct job *j;
	int r = 0;

	memset(&wk, 0, sizeof(wk));
	pack_writer_init(&wk.packs[BLOB_DATA], BLOB_DATA);
	pack_writer_init(&wk.packs[BLOB_TREE], BLOB_TREE);
	buf_init(&wk.enc, BLOB_MAX_SIZE);
	wk.z = ZSTD_createCCtx();
	while (r == 0 && (j = pop(p)) != NULL)
		r = work_one(p, &wk, j);
	if (r == 0 && pipeline_error(p) == 0 && !p->aborting)
		r = flush_pack(p, &wk, &wk.packs[BLOB_DATA]);
	if (r == 0 && pipeline_error(p) == 0 && !p->aborting)
		r = flush_pack(p, &wk, &wk.packs[BLOB_TREE]);
	if (r < 0)
		set_error(p, r);
	/* a pack that was never finished leaves no file behind */
	if (wk.streams[0])
		p->r->be->ops->stream_abort(wk.streams[0]);
	if (wk.streams[1])
		p->r->be->ops->stream_abort(wk.streams[1]);
	pack_writer_release(&wk.packs[0]);
	pack_writer_release(&wk.packs[1]);
	buf_release(&wk.enc);
	ZSTD_freeCCtx(wk.z);
	return NULL;
}

/* stop_committer: lets the committer drain its queue, then joins it. */
static void stop_committer(struct pipeline *p)
{
	if (!p->has_committer)
		return;
	pthread_mutex_lock(&p->mu);
	p->commit_closing = 1;
	pthread_cond_signal(&p->commit_ready);
	pthread_mutex_unlock(&p->mu);
	pthread_join(p->committer, NULL);
	p->has_committer = 0;
}

static void destroy(struct pipeline *p)
{
	bigbuf_pool_free(p->pool);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->not_empty);
	pthread_cond_destroy(&p->not_full);
	pthread_cond_destroy(&p->hashed);
	pthread_cond_destroy(&p->commit_ready);
	pthread_cond_destroy(&p->commit_room);
	free(p);
}

void pipeline_dry_run(struct pipeline *p)
{
	p->dry_run = 1;
}

int pipeline_start(struct repo *r, int nworkers, size_t max_bytes,
		   struct pipeline **out)
{
	struct pipeline *p = xcalloc(1, sizeof(*p));
	int i;

	p->r = r;
	p->max_bytes = max_bytes;
	p->pool = bigbuf_pool_new(3 * max_bytes);
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->not_empty, NULL);
	pthread_cond_init(&p->not_full, NULL);
	pthread_cond_init(&p->hashed, NULL);
	pthread_cond_init(&p->commit_ready, NULL);
	pthread_cond_init(&p->commit_room, NULL);
	if (thread_start(&p->committer, committer_main, p) != 0)
		goto fail;
	p->has_committer = 1;
	if (nworkers < 1)
		nworkers = 1;
	p->threads = xcalloc((size_t)nworkers, sizeof(*p->threads));
	for (i = 0; i < nworkers; i++) {
		if (thread_start(&p->threads[i], worker_main, p) != 0)
			break;
		p->nthreads++;
	}
	if (p->nthreads > 0) {
		*out = p;
		return 0;
	}
	free(p->threads);
	stop_committer(p);
fail:
	destroy(p);
	return RP_EINTERNAL;
}

static struct job *job_new(enum blob_type t, const uint8_t id[32],
			   uint8_t *data, size_t len)
{
	struct job *j = xcalloc(1, sizeof(*j));

	j->type = t;
	if (id)
		memcpy(j->id, id, 32);
	j->data = data;
	j->len = len;
	return j;
}

/* enqueue: j joins the queue once there is room; 1, or the pipeline's
 * error (j freed). */
static int enqueue(struct pipeline *p, struct job *j)
{
	int err;

	pthread_mutex_lock(&p->mu);
	while (p->queued_bytes > 0 && p->queued_bytes + j->len > p->max_bytes &&
	       !p->err) {
		/* no room: whatever waits below the wake mark must go now,
		 * or nobody would make room */
		pthread_cond_broadcast(&p->not_empty);
		pthread_cond_wait(&p->not_full, &p->mu);
	}
	err = p->err;
	if (err == 0) {
		if (p->tail)
			p->tail->next = j;
		else
			p->head = j;
		p->tail = j;
		p->queued_bytes += j->len;
		p->waiting++;
		if (j->g)
			j->g->pending++;
		/* Small blobs (a tree of small files) wake a worker by the
		 * dozen, not one by one: a wake costs more than encoding a
		 * 2 KiB blob.  Blobs left below the mark are taken at the
		 * next wake, by pipeline_group_wait, or at the finish. */
		if (p->waiting >= WAKE_JOBS || j->len >= WAKE_BYTES)
			pthread_cond_signal(&p->not_empty);
	}
	pthread_mutex_unlock(&p->mu);
	if (err) {
		job_free(p, j);
		return err;
	}
	return 1;
}

int pipeline_save(struct pipeline *p, enum blob_type t, const uint8_t id[32],
		  uint8_t *data, size_t len)
{
	int err;

	if ((err = pipeline_error(p)) < 0) {
		free(data);
		return err;
	}
	if (!index_reserve(&p->r->idx, id, t)) {
		free(data);
		return 0;
	}
	return enqueue(p, job_new(t, id, data, len));
}

int pipeline_save_force(struct pipeline *p, enum blob_type t,
			const uint8_t id[32], uint8_t *data, size_t len)
{
	int err;

	if ((err = pipeline_error(p)) < 0) {
		free(data);
		return err;
	}
	return enqueue(p, job_new(t, id, data, len));
}

int pipeline_save_unhashed(struct pipeline *p, struct pipeline_group *g,
			   uint8_t *id_out, uint8_t *data, size_t len)
{
	struct job *j = job_new(BLOB_DATA, NULL, data, len);
	int r;

	j->roomy = 1;
	j->g = g;
	j->id_out = id_out;
	r = enqueue(p, j);
	if (r < 0)
		return r;
	g->queued++;
	return 0;
}

/* steal: unlinks and returns, in order, g's jobs no worker took yet. */
static struct job *steal(struct pipeline *p, struct pipeline_group *g)
{
	struct job *j, *next, *prev = NULL, *out = NULL, **tail = &out;

	for (j = p->head; j != NULL; j = next) {
		next = j->next;
		if (j->g != g) {
			prev = j;
			continue;
		}
		if (prev)
			prev->next = next;
		else
			p->head = next;
		if (p->tail == j)
			p->tail = prev;
		p->waiting--;
		j->next = NULL;
		*tail = j;
		tail = &j->next;
	}
	return out;
}

/* hash_stolen: hashes the stolen jobs; returns those to store, in order
 * (*last: the last of them), dropping the known ones. */
static struct job *hash_stolen(struct pipeline *p, struct job *mine,
			       size_t *n, struct job **last)
{
	struct job *j, *next, *keep = NULL, **kt = &keep;
	int failed = pipeline_error(p) != 0;

	*n = 0;
	*last = NULL;
	for (j = mine; j != NULL; j = next) {
		next = j->next;
		j->next = NULL;
		(*n)++;
		if (!failed) {
			crypto_sha256(j->data, j->len, j->id);
			memcpy(j->id_out, j->id, 32);
		}
		j->g = NULL;
		if (failed || !index_reserve(&p->r->idx, j->id, BLOB_DATA)) {
			job_drop(p, j);
			continue;
		}
		*kt = *last = j;
		kt = &j->next;
	}
	return keep;
}

int pipeline_group_wait(struct pipeline *p, struct pipeline_group *g)
{
	struct job *mine, *keep, *last, *j;
	size_t n;
	int err;

	if (g->queued == 0) /* nothing owed: no lock, no queue scan */
		return pipeline_error(p);
	g->queued = 0;
	pthread_mutex_lock(&p->mu);
	mine = steal(p, g);
	pthread_mutex_unlock(&p->mu);
	keep = hash_stolen(p, mine, &n, &last);
	pthread_mutex_lock(&p->mu);
	g->pending -= n;
	for (j = keep; j != NULL; j = j->next)
		p->waiting++;
	if (keep) { /* back at the head: they were the oldest work */
		last->next = p->head;
		if (p->head == NULL)
			p->tail = last;
		p->head = keep;
		pthread_cond_broadcast(&p->not_empty);
	}
	while (g->pending > 0) /* a worker is hashing: never long */
		pthread_cond_wait(&p->hashed, &p->mu);
	err = p->err;
	pthread_mutex_unlock(&p->mu);
	return err;
}

static void drop_queue(struct pipeline *p)
{
	struct job *j;

	while ((j = p->head) != NULL) {
		p->head = j->next;
		job_free(p, j);
	}
	p->tail = NULL;
}

int pipeline_finish(struct pipeline *p, int abort, struct pipeline_stats *st)
{
	struct index_file_pack *rest;
	size_t n;
	int i, err;

	pthread_mutex_lock(&p->mu);
	p->closing = 1;
	p->aborting = abort;
	pthread_cond_broadcast(&p->not_empty);
	pthread_mutex_unlock(&p->mu);
	for (i = 0; i < p->nthreads; i++)
		pthread_join(p->threads[i], NULL);
	stop_committer(p);
	drop_queue(p);
	rest = take_pending(p, 1, &n);
	err = p->err;
	if (err == 0)
		err = write_index(p, rest, n);
	else
		write_index(p, rest, n); /* index what did reach the disk */
	if (st)
		*st = p->st;
	free(p->threads);
	destroy(p);
	return err;
}
