/*
 * bigbuf: large buffers mapped from the kernel, kept in a small pool for
 * reuse.
 *
 * A backup hands every chunk (0.5 to 8 MiB) to the pipeline in a buffer
 * of its own, from the thread that read it to the worker that stores it.
 * With malloc that pattern either maps and zeroes every buffer afresh (a
 * sixth of the system time) or, told to keep freed blocks, leaves them
 * scattered over one heap per thread: 20 to 40 MiB more resident memory
 * for a few MiB in use.  Here a buffer comes in one of a few size classes
 * (powers of two from 512 KiB), is mapped on its own, and goes back to
 * the pool when freed; the pool keeps at most keep_bytes of free
 * buffers and unmaps the others, so resident memory is the data in flight
 * plus keep_bytes.  Thread-safe; sizes above the largest class are mapped
 * and unmapped each time.
 */
#ifndef RP_BIGBUF_H
#define RP_BIGBUF_H

#include <stddef.h>
#include <stdint.h>

struct bigbuf_pool;

struct bigbuf_pool *bigbuf_pool_new(size_t keep_bytes);
/* bigbuf_pool_free: unmaps the free buffers; every buffer must be back. */
void bigbuf_pool_free(struct bigbuf_pool *bp);
/* bigbuf_get: a buffer of at least n bytes (aborts when memory is out). */
uint8_t *bigbuf_get(struct bigbuf_pool *bp, size_t n);
/* bigbuf_put: gives p (from bigbuf_get on bp) back; NULL is ignored. */
void bigbuf_put(struct bigbuf_pool *bp, uint8_t *p);

#endif
