#include "engine/backup_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "chunker/chunker.h"
#include "util/err.h"
#include "util/fsx.h"
#include "util/thread.h"
#include "util/xmalloc.h"

/* ---- file content ---- */

/* The chunk buffer: room for the longest chunk and one read, mapped once
 * per reader.  Reads are of half a MiB; the buffer is compacted (the chunk
 * being cut moved to its start) before a read would pass SOFT_CAP, and
 * the pages a long chunk touched beyond it are given back then: each
 * reader keeps ~2.5 MiB in memory, not the 8.5 MiB a longest chunk needs.
 * The move costs a few hundred KiB per 1 MiB chunk, a hundredth of
 * chunking it. */
#define READ_BLOCK (512u * 1024)
#define SOFT_CAP ((size_t)2 << 20)
#define CHUNK_BUF (CHUNKER_MAX_SIZE + READ_BLOCK)

/* Chunks this big are hashed off the reader (see pipeline.h); smaller
 * ones (small files, last chunks) cost less to hash than to hand over. */
#define DEFER_MIN (64u * 1024)

void content_reader_init(struct content_reader *cr)
{
	memset(cr, 0, sizeof(*cr));
}

void content_reader_release(struct content_reader *cr)
{
	if (cr->p != NULL)
		munmap(cr->p, CHUNK_BUF);
	memset(cr, 0, sizeof(*cr));
}

/* chunk_buffer: maps cr's buffer on first use. */
static int chunk_buffer(struct content_reader *cr)
{
	void *p;

	if (cr->p != NULL)
		return 0;
	p = mmap(NULL, CHUNK_BUF, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return RP_ENOMEM;
	cr->p = p;
	return 0;
}

/* One file's chunks on their way: the IDs workers still owe, and the
 * room in the node's content array they are written to. */
struct fstream {
	struct pipeline_group g;
	size_t cap;
	struct node *n;
};

/* content_slot: room for one more ID in n's content.  Growing the array
 * moves it, so the IDs workers still owe are waited for first; the size
 * hint makes that rare (a file of S bytes has at most S / MinSize + 1
 * chunks). */
static int content_slot(struct bctx *c, struct fstream *fs, uint8_t **slot)
{
	struct node *n = fs->n;
	int r;

	if (n->ncontent == fs->cap) {
		if ((r = pipeline_group_wait(c->pl, &fs->g)) < 0)
			return r;
		fs->cap = fs->cap ? fs->cap * 2 : 4;
		n->content = xreallocarray(n->content, fs->cap, 32);
	}
	*slot = n->content[n->ncontent++];
	return 0;
}

static int emit_chunk(struct bctx *c, struct fstream *fs, const uint8_t *p,
		      size_t len)
{
	uint8_t *slot, *copy;
	int r;

	if ((r = content_slot(c, fs, &slot)) < 0)
		return r;
	if (len >= DEFER_MIN) {
		copy = pipeline_blob_alloc(c->pl, len);
		memcpy(copy, p, len);
		return pipeline_save_unhashed(c->pl, &fs->g, slot, copy, len);
	}
	crypto_sha256(p, len, slot);
	if (index_lookup(&c->r->idx, slot, BLOB_DATA, NULL, NULL))
		return 0;
	copy = xmalloc(len);
	memcpy(copy, p, len);
	r = pipeline_save(c->pl, BLOB_DATA, slot, copy, len);
	return r < 0 ? r : 0;
}

/* compact: the chunk being cut, cr->p[*start, cr->len), moves to the
 * start of the buffer when the next read would pass SOFT_CAP; pages
 * touched beyond what the next read needs (and SOFT_CAP) are dropped. */
static void compact(struct content_reader *cr, size_t *start,
		    size_t *scanned)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE), keep;

	if (*start == 0 || cr->len + READ_BLOCK <= SOFT_CAP)
		return;
	memmove(cr->p, cr->p + *start, cr->len - *start);
	cr->len -= *start;
	*scanned -= *start;
	*start = 0;
	keep = cr->len + READ_BLOCK > SOFT_CAP ? cr->len + READ_BLOCK
						: SOFT_CAP;
	keep = (keep + page - 1) / page * page;
	if (cr->touched > keep) {
		madvise(cr->p + keep, cr->touched - keep, MADV_DONTNEED);
		cr->touched = keep;
	}
}

/* chunk_all: chunks what fd yields into cr's buffer and emits every
 * chunk, cr->p[start, cut). */
static int chunk_all(struct bctx *c, struct content_reader *cr, int fd,
		     struct fstream *fs, uint64_t *got)
{
	struct chunker ch;
	size_t scanned = 0, start = 0;
	int r;

	if ((r = chunk_buffer(cr)) < 0)
		return r;
	chunker_start(&ch, &c->r->tables);
	cr->len = 0;
	for (;;) {
		ssize_t rd;

		compact(cr, &start, &scanned);
		rd = read(fd, cr->p + cr->len, READ_BLOCK);
		if (interrupted_backup())
			return RP_EINTR;
		if (rd < 0 && errno == EINTR)
			continue;
		if (rd < 0)
			return fsx_errno_code(errno);
		if (rd == 0)
			break;
		cr->len += (size_t)rd;
		if (cr->len > cr->touched)
			cr->touched = cr->len;
		*got += (uint64_t)rd;
		atomic_fetch_add(&c->consumed, (uint64_t)rd);
		pthread_mutex_lock(&c->mu); /* progress: bytes as they come */
		c->st->total_bytes += (uint64_t)rd;
		pthread_mutex_unlock(&c->mu);
		while (scanned < cr->len) {
			int cut;
			size_t used = chunker_scan(&ch, cr->p + scanned,
						   cr->len - scanned, &cut);

			scanned += used;
			if (!cut)
				continue;
			r = emit_chunk(c, fs, cr->p + start, scanned - start);
			if (r < 0)
				return r;
			start = scanned;
		}
	}
	if (cr->len > start)
		r = emit_chunk(c, fs, cr->p + start, cr->len - start);
	return r;
}

int read_stream(struct bctx *c, struct content_reader *cr, int fd,
		uint64_t size_hint, struct node *n, uint64_t *got)
{
	struct fstream fs;
	uint64_t want = size_hint / CHUNKER_MIN_SIZE + 2;
	int r, w;

	memset(&fs, 0, sizeof(fs));
	fs.n = n;
	*got = 0;
	free(n->content);
	n->ncontent = 0;
	fs.cap = want > 1024 ? 1024 : (size_t)want;
	n->content = xreallocarray(NULL, fs.cap, 32);
	r = chunk_all(c, cr, fd, &fs, got);
	w = pipeline_group_wait(c->pl, &fs.g);
	return r < 0 ? r : w;
}

static int open_noatime(const char *path)
{
	int fd = open(path, O_RDONLY | O_NOATIME | O_CLOEXEC | O_NOFOLLOW);

	if (fd < 0 && errno == EPERM)
		fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	return fd;
}

int read_file(struct bctx *c, struct content_reader *cr, const char *path,
	      uint64_t size, struct node *n, uint64_t *got)
{
	int fd, r;

	if ((fd = open_noatime(path)) < 0) {
		warn_path(c, path, "open", fsx_errno_code(errno));
		return 1;
	}
	if (size >= (1u << 20)) /* small files: one read, no hint */
		posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	r = read_stream(c, cr, fd, size, n, got);
	close(fd);
	if (r == RP_EIO || r == RP_ENOTFOUND) {
		warn_path(c, path, "read", r);
		return 1;
	}
	return r;
}

/* ---- directories being built ---- */

void dir_init(struct dir_build *d)
{
	memset(d, 0, sizeof(*d));
	tree_init(&d->t);
}

size_t dir_add(struct bctx *c, struct dir_build *d, const struct node *n)
{
	size_t idx;

	pthread_mutex_lock(&c->mu);
	idx = d->t.n;
	*tree_add(&d->t) = *n;
	pthread_mutex_unlock(&c->mu);
	return idx;
}

static int cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return x < y ? -1 : x > y;
}

/* drop_unread: removes the nodes of the files that could not be read. */
static void drop_unread(struct dir_build *d)
{
	size_t i, k, out = 0;

	if (d->ndrop == 0)
		return;
	qsort(d->drop, d->ndrop, sizeof(*d->drop), cmp_size);
	for (i = 0, k = 0; i < d->t.n; i++) {
		if (k < d->ndrop && d->drop[k] == i) {
			node_release(&d->t.nodes[i]);
			k++;
			continue;
		}
		d->t.nodes[out++] = d->t.nodes[i];
	}
	d->t.n = out;
	free(d->drop);
	d->drop = NULL;
	d->ndrop = 0;
}

int dir_wait(struct bctx *c, struct dir_build *d)
{
	int err;

	pthread_mutex_lock(&c->mu);
	while (d->pending > 0)
		pthread_cond_wait(&c->done, &c->mu);
	err = c->err;
	pthread_mutex_unlock(&c->mu);
	drop_unread(d);
	return err;
}

void dir_release(struct bctx *c, struct dir_build *d)
{
	dir_wait(c, d);
	tree_release(&d->t);
}

/* ---- the readers ---- */

struct read_job {
	struct read_job *next;
	struct dir_build *d;
	size_t idx;
	char *path;
	uint64_t size;
	int changed;
};

int read_queue(struct bctx *c, struct dir_build *d, size_t idx,
	       const char *path, uint64_t size, int changed)
{
	struct read_job *j = xcalloc(1, sizeof(*j));
	int err;

	j->d = d;
	j->idx = idx;
	j->path = xstrdup(path);
	j->size = size;
	j->changed = changed;
	pthread_mutex_lock(&c->mu);
	while (c->queued >= READS_MAX && !c->err)
		pthread_cond_wait(&c->done, &c->mu);
	err = c->err;
	if (err == 0) {
		if (c->tail)
			c->tail->next = j;
		else
			c->head = j;
		c->tail = j;
		c->queued++;
		d->pending++;
		pthread_cond_signal(&c->work);
	}
	pthread_mutex_unlock(&c->mu);
	if (err) {
		free(j->path);
		free(j);
	}
	return err;
}

static struct read_job *take(struct bctx *c, int *skip)
{
	struct read_job *j;

	pthread_mutex_lock(&c->mu);
	while (c->head == NULL && !c->closing)
		pthread_cond_wait(&c->work, &c->mu);
	j = c->head;
	if (j) {
		c->head = j->next;
		if (c->head == NULL)
			c->tail = NULL;
	}
	*skip = c->err != 0;
	pthread_mutex_unlock(&c->mu);
	return j;
}

/* job_done: the outcome r of j (as read_file's) in its node (moved from
 * tmp), or the node dropped; wakes the walker. */
static void job_done(struct bctx *c, struct read_job *j, int r,
		     struct node *tmp, uint64_t got)
{
	struct node *n;

	pthread_mutex_lock(&c->mu);
	n = &j->d->t.nodes[j->idx];
	if (r == 0) {
		free(n->content);
		n->content = tmp->content;
		n->ncontent = tmp->ncontent;
		tmp->content = NULL;
		n->size = got;
		if (j->changed)
			c->st->files_changed++;
		else
			c->st->files_new++;
	} else {
		j->d->drop = xreallocarray(j->d->drop, j->d->ndrop + 1,
					   sizeof(*j->d->drop));
		j->d->drop[j->d->ndrop++] = j->idx;
		if (r < 0 && c->err == 0)
			c->err = r;
	}
	j->d->pending--;
	c->queued--;
	pthread_cond_broadcast(&c->done);
	pthread_mutex_unlock(&c->mu);
	free(tmp->content);
	free(j->path);
	free(j);
}

static void *reader_main(void *arg)
{
	struct bctx *c = arg;
	struct content_reader cr;
	struct read_job *j;
	int skip;

	content_reader_init(&cr);
	while ((j = take(c, &skip)) != NULL) {
		struct node tmp;
		uint64_t got = 0;
		int r = 1; /* after an error: left out, no warning */

		memset(&tmp, 0, sizeof(tmp));
		if (!skip)
			r = read_file(c, &cr, j->path, j->size, &tmp, &got);
		job_done(c, j, r, &tmp, got);
	}
	content_reader_release(&cr);
	return NULL;
}

void readers_start(struct bctx *c, int n)
{
	int i;

	for (i = 0; i < n && i < READERS; i++) {
		if (thread_start(&c->readers[i], reader_main, c) != 0)
			break;
		c->nreaders++;
	}
}

void readers_stop(struct bctx *c)
{
	int i;

	pthread_mutex_lock(&c->mu);
	c->closing = 1;
	pthread_cond_broadcast(&c->work);
	pthread_mutex_unlock(&c->mu);
	for (i = 0; i < c->nreaders; i++)
		pthread_join(c->readers[i], NULL);
	c->nreaders = 0;
}
