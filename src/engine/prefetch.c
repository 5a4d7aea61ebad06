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

struct prefetch {
	pthread_t th;
	const char *const *paths;
	size_t n;
	int contents;
	const _Atomic uint64_t *consumed;
	_Atomic int stop;
	uint64_t hinted;
};

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void wait_for_walker(struct prefetch *p)
{
	struct timespec ts = { 0, 2 * 1000 * 1000 };

	while (!atomic_load(&p->stop) &&
	       p->hinted > atomic_load(p->consumed) + PREFETCH_AHEAD)
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
	p->hinted += (uint64_t)st->st_size;
}

static void walk(struct prefetch *p, const char *path);

static void walk_entries(struct prefetch *p, const char *path, DIR *d)
{
	struct dirent *de;
	char **names = NULL;
	size_t cnt = 0, i;
	struct stat st;

	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		names = xreallocarray(names, cnt + 1, sizeof(*names));
		names[cnt++] = xstrdup(de->d_name);
	}
	if (cnt > 1)
		qsort(names, cnt, sizeof(*names), cmp_name);
	for (i = 0; i < cnt; i++) {
		if (!atomic_load(&p->stop) &&
		    fstatat(dirfd(d), names[i], &st, AT_SYMLINK_NOFOLLOW) == 0) {
			if (S_ISDIR(st.st_mode)) {
				char *sub = xasprintf("%s/%s", path, names[i]);

				walk(p, sub);
				free(sub);
			} else if (S_ISREG(st.st_mode)) {
				hint_file(p, dirfd(d), names[i], &st);
			}
		}
		free(names[i]);
	}
	free(names);
}

static void walk(struct prefetch *p, const char *path)
{
	DIR *d;

	if (atomic_load(&p->stop) || (d = opendir(path)) == NULL)
		return;
	walk_entries(p, path, d);
	closedir(d);
}

static void *prefetch_main(void *arg)
{
	struct prefetch *p = arg;
	size_t i;

	for (i = 0; i < p->n && !atomic_load(&p->stop); i++)
		walk(p, p->paths[i]);
	return NULL;
}

struct prefetch *prefetch_start(const char *const *paths, size_t n,
				int contents, const _Atomic uint64_t *consumed)
{
	struct prefetch *p = xcalloc(1, sizeof(*p));

	p->paths = paths;
	p->n = n;
	p->contents = contents;
	p->consumed = consumed;
	atomic_init(&p->stop, 0);
	if (pthread_create(&p->th, NULL, prefetch_main, p) != 0) {
		free(p);
		return NULL;
	}
	return p;
}

void prefetch_stop(struct prefetch *p)
{
	if (p == NULL)
		return;
	atomic_store(&p->stop, 1);
	pthread_join(p->th, NULL);
	free(p);
}
