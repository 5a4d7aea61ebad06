#include "util/thread.h"
#include "engine/prefetch.h"

#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util/xmalloc.h"

/* Several threads share a stack of directories to scan: on a cold cache
 * the disk serves several requests at once, and one scanner would keep
 * it waiting.  The stack (last in, first out) keeps them close to the
 * walker's depth-first order. */
#define PREFETCH_THREADS 4

struct prefetch {
	pthread_t th[PREFETCH_THREADS];
	int nth;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	char **stack;
	size_t n, cap;
	int busy;                  /* threads scanning a directory */
	int contents;
	const _Atomic uint64_t *consumed;
	_Atomic int stop;
	_Atomic uint64_t hinted;
};

static void push(struct prefetch *p, char *dir)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 64;
		p->stack = xreallocarray(p->stack, p->cap, sizeof(char *));
	}
	p->stack[p->n++] = dir;
}

static void wait_for_walker(struct prefetch *p)
{
	struct timespec ts = { 0, 2 * 1000 * 1000 };

	while (!atomic_load(&p->stop) &&
	       atomic_load(&p->hinted) > atomic_load(p->consumed) +
					      PREFETCH_AHEAD)
		nanosleep(&ts, NULL);
}

static void hint_file(struct prefetch *p, int dfd, const char *name,
		      const struct stat *st)
{
	int fd;

	if (!p->contents || st->st_size == 0 ||
	    (uint64_t)st->st_size > PREFETCH_SMALL)
		return;
	wait_for_walker(p);
	fd = openat(dfd, name, O_RDONLY | O_NOATIME | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return;
	posix_fadvise(fd, 0, st->st_size, POSIX_FADV_WILLNEED);
	close(fd);
	atomic_fetch_add(&p->hinted, (uint64_t)st->st_size);
}

/* scan: stats the entries of one directory; its subdirectories are
 * pushed (in reverse name order, so the first is scanned first). */
static void scan(struct prefetch *p, const char *path)
{
	DIR *d = opendir(path);
	struct dirent *de;
	struct stat st;
	char **subs = NULL;
	size_t nsubs = 0;

	if (d == NULL)
		return;
	while (!atomic_load(&p->stop) && (de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			subs = xreallocarray(subs, nsubs + 1, sizeof(char *));
			subs[nsubs++] = xasprintf("%s/%s", path, de->d_name);
		} else if (S_ISREG(st.st_mode)) {
			hint_file(p, dirfd(d), de->d_name, &st);
		}
	}
	closedir(d);
	pthread_mutex_lock(&p->mu);
	while (nsubs > 0)
		push(p, subs[--nsubs]);
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	free(subs);
}

static void *prefetch_main(void *arg)
{
	struct prefetch *p = arg;
	char *dir;

	for (;;) {
		pthread_mutex_lock(&p->mu);
		while (p->n == 0 && p->busy > 0 && !atomic_load(&p->stop))
			pthread_cond_wait(&p->cv, &p->mu);
		if (p->n == 0 || atomic_load(&p->stop)) {
			pthread_cond_broadcast(&p->cv);
			pthread_mutex_unlock(&p->mu);
			return NULL;
		}
		dir = p->stack[--p->n];
		p->busy++;
		pthread_mutex_unlock(&p->mu);
		scan(p, dir);
		free(dir);
		pthread_mutex_lock(&p->mu);
		p->busy--;
		pthread_cond_broadcast(&p->cv);
		pthread_mutex_unlock(&p->mu);
	}
}

struct prefetch *prefetch_start(const char *const *paths, size_t n,
				int contents, const _Atomic uint64_t *consumed)
{
	struct prefetch *p = xcalloc(1, sizeof(*p));
	size_t i;

	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	p->contents = contents;
	p->consumed = consumed;
	atomic_init(&p->stop, 0);
	atomic_init(&p->hinted, 0);
	for (i = n; i-- > 0;)
		push(p, xstrdup(paths[i]));
	for (i = 0; i < PREFETCH_THREADS; i++)
		if (thread_start(&p->th[p->nth], prefetch_main, p) == 0)
			p->nth++;
	if (p->nth == 0) {
		prefetch_stop(p);
		return NULL;
	}
	return p;
}

void prefetch_stop(struct prefetch *p)
{
	int i;

	if (p == NULL)
		return;
	atomic_store(&p->stop, 1);
	pthread_mutex_lock(&p->mu);
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	for (i = 0; i < p->nth; i++)
		pthread_join(p->th[i], NULL);
	while (p->n > 0)
		free(p->stack[--p->n]);
	free(p->stack);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->cv);
	free(p);
}
