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

#endif
