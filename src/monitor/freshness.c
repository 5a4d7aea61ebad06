/*
 * freshness: the age of each job's newest snapshot (see freshness.h).
 */
#include "monitor/freshness.h"

#include <stdlib.h>

#include "util/err.h"
#include "util/xmalloc.h"

/* pairs: how many (job, repository) rows the plan gives. */
static size_t pairs(const struct plan *p)
{
	size_t i, n = 0;

	for (i = 0; i < p->njobs; i++)
		n += p->jobs[i].nrepos;
	return n;
}

/* one: the newest snapshot of job in repo. */
static int one(struct catalog *cat, const struct plan_job *job,
	       const struct plan_repository *repo, int64_t now,
	       struct freshness *f)
{
	int64_t t = 0;
	int r = catalog_newest_snapshot_time(cat, repo->url, job->name, NULL,
					     &t);

	f->job = job->name;
	f->repo = repo->name;
	f->url = repo->url;
	f->newest = 0;
	f->age = -1;
	if (r == RP_ENOTFOUND)
		return 0;
	if (r < 0)
		return r;
	f->newest = t;
	f->age = now > t ? now - t : 0;
	return 0;
}

int freshness_collect(struct catalog *cat, const struct plan *p, int64_t now,
		      struct freshness **v, size_t *n)
{
	size_t i, j, k = 0, total = pairs(p);
	struct freshness *out;
	int r = 0;

	*v = NULL;
	*n = 0;
	if (total == 0)
		return 0;
	out = xcalloc(total, sizeof(*out));
	for (i = 0; i < p->njobs && r == 0; i++)
		for (j = 0; j < p->jobs[i].nrepos && r == 0; j++)
			r = one(cat, &p->jobs[i], p->jobs[i].repos[j], now,
				&out[k++]);
	if (r < 0) {
		free(out);
		return r;
	}
	*v = out;
	*n = total;
	return 0;
}

int freshness_samples(const struct freshness *v, size_t n,
		      struct monitor_samples *out)
{
	char l[MONITOR_LABELS_MAX];
	size_t i;
	int r = 0;

	for (i = 0; i < n && r == 0; i++) {
		if (v[i].age < 0)
			continue;
		r = monitor_label2(l, sizeof(l), "job", v[i].job, "repo",
				   v[i].repo);
		if (r == 0)
			r = monitor_samples_add(out, "snapshot_age_seconds",
						l, (double)v[i].age);
	}
	return r;
}
