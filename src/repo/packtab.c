#include "repo/packtab.h"

#include <stdlib.h>
#include <string.h>

#include "util/xmalloc.h"

static struct index_file_pack *at(const void *v, size_t i, size_t size)
{
	return (struct index_file_pack *)((char *)(uintptr_t)v + i * size);
}

void *packtab_take(void *v, size_t *n, size_t size, struct index_file *f)
{
	size_t i;

	if (f->npacks == 0)
		return v;
	v = xreallocarray(v, *n + f->npacks, size);
	for (i = 0; i < f->npacks; i++) {
		struct index_file_pack *p = at(v, (*n)++, size);

		memset(p, 0, size);
		*p = f->packs[i];
		f->packs[i].blobs = NULL;
		f->packs[i].nblobs = 0;
	}
	return v;
}

static int cmp_id(const void *a, const void *b)
{
	return memcmp(((const struct index_file_pack *)a)->id,
		      ((const struct index_file_pack *)b)->id, 32);
}

void packtab_sort(void *v, size_t *n, size_t size,
		  void (*dup)(const uint8_t id[32], void *arg), void *arg)
{
	size_t i, k = 0;

	if (*n > 1)
		qsort(v, *n, size, cmp_id);
	for (i = 0; i < *n; i++) {
		struct index_file_pack *p = at(v, i, size);

		if (k > 0 && memcmp(at(v, k - 1, size)->id, p->id, 32) == 0) {
			if (dup)
				dup(p->id, arg);
			free(p->blobs);
			continue;
		}
		if (k != i)
			memcpy(at(v, k, size), p, size);
		k++;
	}
	*n = k;
}

void *packtab_find(const void *v, size_t n, size_t size,
		   const uint8_t id[32])
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = memcmp(at(v, mid, size)->id, id, 32);

		if (c == 0)
			return at(v, mid, size);
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}
