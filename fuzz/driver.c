/*
 * driver: replays corpus files through a fuzz target without libFuzzer.
 *
 *   replay_<target> FILE|DIR...
 *
 * Every regular file named, and every regular file directly inside a
 * directory named, is read whole into a buffer of exactly its size (so
 * ASan sees an overread) and passed once to LLVMFuzzerTestOneInput.  A
 * target that finds a broken invariant aborts; the driver itself exits 1
 * when an input cannot be read and 0 otherwise, after printing how many
 * inputs it replayed.  Built with the normal compiler for `make check`.
 */
#include "fuzz.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/xmalloc.h"

/* Corpus files are small; anything bigger is a mistake, not an input. */
#define REPLAY_MAX ((size_t)64 << 20)

static int replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *p;
	size_t n, got;
	struct stat st;

	if (f == NULL || fstat(fileno(f), &st) < 0) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		if (f)
			fclose(f);
		return -1;
	}
	if (st.st_size < 0 || (uint64_t)st.st_size > REPLAY_MAX) {
		fprintf(stderr, "replay: %s: too large\n", path);
		fclose(f);
		return -1;
	}
	n = (size_t)st.st_size;
	p = xmalloc(n ? n : 1);
	got = n ? fread(p, 1, n, f) : 0;
	fclose(f);
	if (got != n) {
		fprintf(stderr, "replay: %s: short read\n", path);
		free(p);
		return -1;
	}
	/* so that a crash names its input (the last such line) */
	fprintf(stderr, "replay: %s\n", path);
	LLVMFuzzerTestOneInput(p, n);
	free(p);
	return 0;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* replay_dir: the regular files of dir, in name order (stable logs). */
static int replay_dir(const char *dir, size_t *count)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0, i;
	int rc = 0;

	if (d == NULL) {
		fprintf(stderr, "replay: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			names = xreallocarray(names, cap, sizeof(*names));
		}
		names[n++] = xasprintf("%s/%s", dir, e->d_name);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp_name);
	for (i = 0; i < n; i++) {
		struct stat st;

		if (stat(names[i], &st) == 0 && S_ISREG(st.st_mode)) {
			if (replay_file(names[i]) < 0)
				rc = -1;
			else
				(*count)++;
		}
		free(names[i]);
	}
	free(names);
	return rc;
}

int main(int argc, char **argv)
{
	size_t count = 0;
	int i, rc = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
		return 2;
	}
	for (i = 1; i < argc; i++) {
		struct stat st;

		if (stat(argv[i], &st) < 0) {
			fprintf(stderr, "replay: %s: %s\n", argv[i],
				strerror(errno));
			rc = 1;
		} else if (S_ISDIR(st.st_mode)) {
			if (replay_dir(argv[i], &count) < 0)
				rc = 1;
		} else if (replay_file(argv[i]) < 0) {
			rc = 1;
		} else {
			count++;
		}
	}
	printf("replayed %zu inputs\n", count);
	return rc;
}
