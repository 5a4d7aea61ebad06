/*
 * buf: the one growable byte buffer, always capped.
 *
 * A struct buf owns p[0..len) and grows on demand up to max bytes (0 means
 * BUF_MAX_DEFAULT).  Appends that would pass the cap fail with RP_ENOMEM and
 * leave the buffer unchanged, so a size read from outside can never make the
 * process allocate without bound.  p is always NUL-terminated (one spare
 * byte past len) so text can be used as a C string.
 *
 *   struct buf b = BUF_INIT;
 *   buf_add(&b, data, n); ... use b.p, b.len ...
 *   buf_release(&b);
 */
#ifndef RP_BUF_H
#define RP_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#define BUF_MAX_DEFAULT ((size_t)1 << 30)

struct buf {
	uint8_t *p;
	size_t len;
	size_t cap;
	size_t max;
};

#define BUF_INIT { NULL, 0, 0, 0 }

void buf_init(struct buf *b, size_t max);
/* buf_release: frees the contents; b is BUF_INIT-like (max kept) after. */
void buf_release(struct buf *b);
/* buf_reset: len = 0, memory kept. */
void buf_reset(struct buf *b);
/* buf_truncate: the first len bytes kept (len <= b->len), still
 * NUL-terminated: a path buffer going back up a directory. */
void buf_truncate(struct buf *b, size_t len);
/* buf_reserve: room for n more bytes. 0 or RP_ENOMEM (over the cap). */
int buf_reserve(struct buf *b, size_t n);
int buf_add(struct buf *b, const void *data, size_t n);
int buf_addc(struct buf *b, uint8_t c);
int buf_adds(struct buf *b, const char *s);
int buf_addf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int buf_vaddf(struct buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
int buf_add_u32le(struct buf *b, uint32_t v);
/* buf_detach: hands p to the caller (never NULL) and resets b. */
uint8_t *buf_detach(struct buf *b, size_t *len);
/* buf_cstr: the contents as a C string (never NULL). */
const char *buf_cstr(struct buf *b);

#endif
