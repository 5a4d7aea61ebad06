#include "util/bigbuf.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "util/xmalloc.h"

#define CLASS_MIN ((size_t)512 << 10)
#define NCLASSES 6 /* 512 KiB .. 16 MiB */
#define HEADER 64  /* before the caller's bytes: class and list link */

struct hdr {
	struct hdr *next;
	size_t map_len;
	int cls; /* -1: not pooled */
};

struct bigbuf_pool {
	pthread_mutex_t mu;
	struct hdr *free[NCLASSES];
	size_t kept, keep;
};

struct bigbuf_pool *bigbuf_pool_new(size_t keep_bytes)
{
	struct bigbuf_pool *bp = xcalloc(1, sizeof(*bp));

	pthread_mutex_init(&bp->mu, NULL);
	bp->keep = keep_bytes;
	return bp;
}

void bigbuf_pool_free(struct bigbuf_pool *bp)
{
	struct hdr *h;
	int i;

	if (bp == NULL)
		return;
	for (i = 0; i < NCLASSES; i++) {
		while ((h = bp->free[i]) != NULL) {
			bp->free[i] = h->next;
			munmap(h, h->map_len);
		}
	}
	pthread_mutex_destroy(&bp->mu);
	free(bp);
}

static int class_of(size_t n)
{
	size_t cap = CLASS_MIN - HEADER;
	int c = 0;

	while (c < NCLASSES && n > cap) {
		c++;
		cap = (CLASS_MIN << c) - HEADER;
	}
	return c < NCLASSES ? c : -1;
}

static struct hdr *map(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		fprintf(stderr, "reprise: out of memory (%zu bytes)\n", len);
		abort();
	}
	return p;
}

uint8_t *bigbuf_get(struct bigbuf_pool *bp, size_t n)
{
	int c = class_of(n);
	size_t page = (size_t)sysconf(_SC_PAGESIZE), len;
	struct hdr *h = NULL;
	int k;

	if (c >= 0) {
		pthread_mutex_lock(&bp->mu);
		/* a free buffer one class up serves as well */
		for (k = c; k < NCLASSES && k <= c + 1 && h == NULL; k++) {
			if ((h = bp->free[k]) != NULL) {
				bp->free[k] = h->next;
				bp->kept -= h->map_len;
			}
		}
		pthread_mutex_unlock(&bp->mu);
		if (h != NULL)
			return (uint8_t *)h + HEADER;
	}
	len = c >= 0 ? CLASS_MIN << c : (n + HEADER + page - 1) / page * page;
	h = map(len);
	h->map_len = len;
	h->cls = c;
	return (uint8_t *)h + HEADER;
}

void bigbuf_put(struct bigbuf_pool *bp, uint8_t *p)
{
	struct hdr *h;

	if (p == NULL)
		return;
	h = (struct hdr *)(p - HEADER);
	if (h->cls >= 0) {
		pthread_mutex_lock(&bp->mu);
		if (bp->kept + h->map_len <= bp->keep) {
			h->next = bp->free[h->cls];
			bp->free[h->cls] = h;
			bp->kept += h->map_len;
			h = NULL;
		}
		pthread_mutex_unlock(&bp->mu);
	}
	if (h != NULL)
		munmap(h, h->map_len);
}
