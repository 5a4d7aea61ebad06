/*
 * rd: a cursor reader over untrusted bytes.
 *
 * Every read checks the remaining length first and fails with RP_ETRUNC,
 * leaving the cursor where it was.  Nothing here allocates.  Use it for
 * every binary structure read from a repository (pack headers, trailers).
 */
#ifndef RP_RD_H
#define RP_RD_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

struct rd {
	const uint8_t *p;
	size_t left;
};

static inline void rd_init(struct rd *rd, const void *p, size_t len)
{
	rd->p = p;
	rd->left = len;
}

static inline int rd_u8(struct rd *rd, uint8_t *v)
{
	if (rd->left < 1)
		return RP_ETRUNC;
	*v = rd->p[0];
	rd->p++;
	rd->left--;
	return 0;
}

static inline int rd_u32le(struct rd *rd, uint32_t *v)
{
	if (rd->left < 4)
		return RP_ETRUNC;
	*v = (uint32_t)rd->p[0] | (uint32_t)rd->p[1] << 8 |
	     (uint32_t)rd->p[2] << 16 | (uint32_t)rd->p[3] << 24;
	rd->p += 4;
	rd->left -= 4;
	return 0;
}

/* rd_bytes: points *out at the next n bytes (borrowed) and skips them. */
static inline int rd_bytes(struct rd *rd, size_t n, const uint8_t **out)
{
	if (rd->left < n)
		return RP_ETRUNC;
	*out = rd->p;
	rd->p += n;
	rd->left -= n;
	return 0;
}

static inline int rd_copy(struct rd *rd, void *dst, size_t n)
{
	const uint8_t *src;
	int r = rd_bytes(rd, n, &src);
	size_t i;

	if (r < 0)
		return r;
	for (i = 0; i < n; i++)
		((uint8_t *)dst)[i] = src[i];
	return 0;
}

static inline uint32_t le32_get(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static inline void le32_put(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

#endif
