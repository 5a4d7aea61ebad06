/*
 * prefetch: warms the kernel's caches ahead of the backup walker.
 *
 * A backup walks its files one at a time; on a cold cache every lstat and
 * every small file is a disk round trip, and the disk waits for us between
 * them.  A few prefetch threads walk the same trees ahead of it (close to
 * its depth-first order), stat-ing every entry so that the walker finds
 * the inodes cached, and, when asked (a first backup, where every file
 * will be read), ask the kernel to read small files ahead
 * (POSIX_FADV_WILLNEED), several requests at once.
 * It never runs more than PREFETCH_AHEAD bytes of content ahead of what the
 * walker has consumed, so it cannot flood the page cache.  It only reads
 * metadata and hints; it never changes anything, and a failure is ignored.
 */
#ifndef RP_PREFETCH_H
#define RP_PREFETCH_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#define PREFETCH_AHEAD ((uint64_t)64 << 20)
#define PREFETCH_SMALL ((uint64_t)1 << 20)

struct prefetch;

/* prefetch_start: paths are borrowed until prefetch_stop.  consumed is
 * the walker's count of content bytes read so far.  NULL if no thread
 * could be started (the backup simply runs without). */
struct prefetch *prefetch_start(const char *const *paths, size_t n,
				int contents, const _Atomic uint64_t *consumed);
void prefetch_stop(struct prefetch *p);

#endif
