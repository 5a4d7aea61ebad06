/*
 * backup_internal: what backup.c and backup_read.c share, nothing else
 * includes.
 *
 * backup.c walks the trees (one thread: the walker) and builds a node
 * for every entry; backup_read.c turns file contents into blob IDs.
 *
 * Two file readers.  Reading a file is the walker's costliest step on
 * data that does not compress (read, chunk, copy) and on small files
 * (open, read, close, hash); one walker doing it kept a core idle there.
 * So, as restic does, two reader threads read files while the walker goes
 * on: the walker appends the file's node to its directory (struct
 * dir_build) with no content yet, and queues a read job naming that node;
 * a reader fills in the node's content and size when done, or marks it to
 * be left out when the file cannot be read.  A directory's tree is
 * encoded once the jobs of its files are done (dir_build_finish waits for
 * them), so trees and snapshots are the same whatever the timing.  At most
 * READS_MAX jobs wait, so the walker never runs far ahead.
 *
 * One mutex (bctx.mu) guards what readers and walker share: the nodes of
 * directories being built (tree_add moves them), the statistics, the
 * warnings and progress callbacks (called with it held, one at a time),
 * and the job queue.  Hard-linked files, standard input and commands
 * are read by the walker itself (a second link needs the first one's
 * content at once).
 */
#ifndef RP_BACKUP_INTERNAL_H
#define RP_BACKUP_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <sys/stat.h>

#include "engine/backup.h"
#include "engine/pipeline.h"
#include "repo/repo.h"
#include "repo/tree.h"

#define READERS 2
#define READS_MAX 64

/* One thread's chunk buffer (a reader's, or the walker's own): mapped
 * on first use; len bytes hold data, touched bytes may be in memory. */
struct content_reader {
	uint8_t *p;
	size_t len, touched;
};

struct read_job;

/* A directory whose tree is being built. */
struct dir_build {
	struct tree t;
	size_t pending;     /* read jobs not done (under bctx.mu) */
	size_t *drop;       /* nodes of files that could not be read */
	size_t ndrop;
};

struct idname;
struct hardlink;

struct bctx {
	struct repo *r;
	const struct backup_opts *o;
	struct pipeline *pl;
	struct backup_stats *st;
	struct content_reader own;  /* the walker's */
	struct idname *users, *groups;
	size_t nusers, ngroups;
	struct hardlink *links;
	size_t nlinks;
	time_t last_progress;
	int partial;
	struct repo_lock *lock;
	_Atomic uint64_t consumed;  /* content bytes read: paces prefetch */
	struct blob_reader br;      /* parent trees: pack kept open */
	/* the readers */
	pthread_mutex_t mu;
	pthread_cond_t work, done;
	struct read_job *head, *tail;
	size_t queued;              /* jobs queued or being read */
	int closing, err;
	pthread_t readers[READERS];
	int nreaders;
};

/* backup_read.c */
void content_reader_init(struct content_reader *cr);
void content_reader_release(struct content_reader *cr);
/* read_stream: chunks everything fd yields into n's content (replaced);
 * size_hint is the expected size (0: unknown); *got the bytes read. */
int read_stream(struct bctx *c, struct content_reader *cr, int fd,
		uint64_t size_hint, struct node *n, uint64_t *got);
/* read_file: the content of the regular file at path, as read_stream;
 * 1 when the file cannot be opened or read (warned: it is left out),
 * <0 on an error that stops the backup. */
int read_file(struct bctx *c, struct content_reader *cr, const char *path,
	      uint64_t size, struct node *n, uint64_t *got);

/* readers_start: up to READERS threads (none: files are read by the
 * walker).  readers_stop: waits for the queued jobs, joins them. */
void readers_start(struct bctx *c, int n);
void readers_stop(struct bctx *c);
/* read_queue: the node at index idx of d (added by dir_add) is read by a
 * reader.  0, or the first error a reader met (RP_EINTR, repository). */
int read_queue(struct bctx *c, struct dir_build *d, size_t idx,
	       const char *path, uint64_t size, int changed);

void dir_init(struct dir_build *d);
/* dir_add: appends *n (moved) to d; its index. */
size_t dir_add(struct bctx *c, struct dir_build *d, const struct node *n);
/* dir_wait: returns once d's files are read and the ones that could not
 * be are removed; then 0 or the readers' first error. */
int dir_wait(struct bctx *c, struct dir_build *d);
/* dir_release: waits as dir_wait (jobs point into d), then frees d. */
void dir_release(struct bctx *c, struct dir_build *d);

/* backup.c */
/* interrupted_backup: 1 once backup_interrupt was called. */
int interrupted_backup(void);
void warn_path(struct bctx *c, const char *path, const char *what, int err);

#endif
