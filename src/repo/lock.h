/*
 * lock: restic's repository locks (RESTIC_FORMAT.md §12).
 *
 * A lock is an unpacked file in locks/ holding
 *   {"time":..,"exclusive":bool,"hostname":..,"username":..,"pid":N,
 *    "uid":N,"gid":N}
 * Any number of shared locks coexist; an exclusive lock needs a repository
 * with no other lock.  A lock is stale when older than 30 minutes, or when
 * it was made on this host by a process that no longer exists.  Taking a
 * lock: list, write ours, list again and back off on conflict (waiting
 * 200 ms before the second list on a backend whose listings lag).
 * A holder refreshes its lock every 5 minutes (lock_refresh) so others do
 * not take it for stale.
 */
#ifndef RP_LOCK_H
#define RP_LOCK_H

#include "repo/repo.h"

struct repo_lock;

/* lock_take: RP_ELOCKED when a conflicting, fresh lock exists (its holder
 * is logged). */
int lock_take(struct repo *r, int exclusive, struct repo_lock **out);
/* lock_refresh: writes a new lock if the current one is older than 5
 * minutes, then removes the old one. */
int lock_refresh(struct repo_lock *l);
/* lock_release: removes the lock file and frees l (NULL is fine). */
void lock_release(struct repo_lock *l);
/* lock_remove_stale: removes stale locks (all locks when all != 0);
 * *removed counts them. */
int lock_remove_stale(struct repo *r, int all, size_t *removed);

#endif
