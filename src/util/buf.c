#include "util/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/err.h"
#include "util/xmalloc.h"

static size_t buf_max(const struct buf *b)
{
	return b->max ? b->max : BUF_MAX_DEFAULT;
}

void buf_init(struct buf *b, size_t max)
{
	b->p = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max;
}

void buf_release(struct buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = 0;
	b->cap = 0;
}

void buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->p)
		b->p[0] = 0;
}

void buf_truncate(struct buf *b, size_t len)
{
	if (len >= b->len)
		return;
	b->len = len;
	b->p[len] = 0;
}

int buf_reserve(struct buf *b, size_t n)
{
	size_t want, cap;

	if (n > buf_max(b) || b->len > buf_max(b) - n)
		return RP_ENOMEM;
	want = b->len + n + 1;
	if (want <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 64;
	while (cap < want)
		cap = cap > SIZE_MAX / 2 ? want : cap * 2;
	if (cap > buf_max(b) + 1)
		cap = buf_max(b) + 1;
	if (cap < want)
		cap = want;
	b->p = xrealloc(b->p, cap);
	b->cap = cap;
	b->p[b->len] = 0;
	return 0;
}

int buf_add(struct buf *b, const void *data, size_t n)
{
	int r = buf_reserve(b, n);

	if (r < 0)
		return r;
	if (n)
		memcpy(b->p + b->len, data, n);
	b->len += n;
	b->p[b->len] = 0;
	return 0;
}

int buf_addc(struct buf *b, uint8_t c)
{
	return buf_add(b, &c, 1);
}

int buf_adds(struct buf *b, const char *s)
{
	return buf_add(b, s, strlen(s));
}

int buf_vaddf(struct buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	int n, r;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return RP_EINVAL;
	if ((r = buf_reserve(b, (size_t)n)) < 0)
		return r;
	vsnprintf((char *)b->p + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = buf_vaddf(b, fmt, ap);
	va_end(ap);
	return r;
}

int buf_add_u32le(struct buf *b, uint32_t v)
{
	uint8_t le[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16),
			  (uint8_t)(v >> 24) };

	return buf_add(b, le, 4);
}

uint8_t *buf_detach(struct buf *b, size_t *len)
{
	uint8_t *p;

	if (b->p == NULL && buf_reserve(b, 0) < 0)
		return NULL;
	p = b->p;
	if (len)
		*len = b->len;
	b->p = NULL;
	b->len = b->cap = 0;
	return p;
}

const char *buf_cstr(struct buf *b)
{
	if (b->p == NULL && buf_reserve(b, 0) < 0)
		return "";
	return (const char *)b->p;
}
