/*
 * xmalloc: allocation that aborts on exhaustion.
 *
 * Like git, OpenSSH and redis, reprise treats running out of memory as
 * fatal.  It can only happen from inside: every size read from untrusted
 * input is bounded before it reaches an allocator (see rd.h, buf.h).
 */
#ifndef RP_XMALLOC_H
#define RP_XMALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
/* xreallocarray: grows an array; aborts if nmemb * size overflows. */
void *xreallocarray(void *p, size_t nmemb, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* xasprintf: a freshly allocated formatted string. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * xmalloc_keep_large: asks the C library to keep and reuse freed blocks of
 * up to 16 MiB instead of handing each back to the kernel.  A backup or a
 * restore allocates and frees a chunk-sized block (0.5 to 8 MiB) per blob:
 * by default glibc maps each afresh, and the kernel then zeroes and faults
 * in every page again (measured: a sixth of a backup's system time, 1.4 s
 * of CPU on the benchmark's 2 GiB).  Peak memory stays bounded by the data
 * in flight.  Without glibc this does nothing.
 */
void xmalloc_keep_large(void);

#endif
