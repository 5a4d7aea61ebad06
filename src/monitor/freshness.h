/*
 * freshness: how old each job's newest snapshot is, per repository.
 *
 * For every job of the plan and every repository it writes to, the
 * catalog's newest snapshot written by that job (catalog_newest_snapshot_
 * time, keyed by the repository's URL as the plan gives it) and its age at
 * `now`.  This is the measured side of the RPO: the daemon stores it as
 * snapshot_age_seconds{job,repo} and assess/ compares it with the RPO of
 * the job's services.  Nothing here reads the clock; now is the caller's
 * clock_now().
 *
 *   struct freshness *v; size_t n;
 *   if (freshness_collect(cat, plan, clock_now(), &v, &n) == 0) {
 *           ...; free(v);
 *   }
 */
#ifndef RP_FRESHNESS_H
#define RP_FRESHNESS_H

#include <stddef.h>
#include <stdint.h>

#include "catalog/catalog.h"
#include "monitor/monitor.h"
#include "plan/plan.h"

struct freshness {
	const char *job;    /* the job's name (borrowed from the plan) */
	const char *repo;   /* the repository's name (borrowed) */
	const char *url;    /* its URL (borrowed): the catalog's key */
	int64_t newest;     /* Unix seconds; 0: no snapshot */
	int64_t age;        /* now - newest, seconds; -1: no snapshot */
};

/* freshness_collect: one row per (job, repository) pair of the plan, in
 * plan order.  *v is a new array (free()) of *n, NULL when the plan has
 * no job; its strings point into p, which must outlive it.  0, RP_EIO. */
int freshness_collect(struct catalog *cat, const struct plan *p, int64_t now,
		      struct freshness **v, size_t *n);

/* freshness_samples: snapshot_age_seconds{job,repo} of the rows that have
 * a snapshot.  0 or the first error of monitor_samples_add. */
int freshness_samples(const struct freshness *v, size_t n,
		      struct monitor_samples *out);

#endif
