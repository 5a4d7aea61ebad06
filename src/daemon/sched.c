#include "daemon/sched.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xmalloc.h"

#define DAY_MS ((int64_t)86400 * 1000)

void sched_init(struct sched *s, int64_t tz_offset_s)
{
	memset(s, 0, sizeof(*s));
	s->tz_offset_s = tz_offset_s;
}

void sched_release(struct sched *s)
{
	free(s->v);
	memset(s, 0, sizeof(*s));
}

int64_t sched_first_at(int64_t now_ms, int at_min, int64_t tz_offset_s)
{
	int64_t local = now_ms + tz_offset_s * 1000;
	int64_t day = local - ((local % DAY_MS) + DAY_MS) % DAY_MS;
	int64_t t = day + (int64_t)at_min * 60000;

	if (t < local)
		t += DAY_MS;
	return t - tz_offset_s * 1000;
}

struct sched_task *sched_add(struct sched *s, const char *name,
			     enum sched_kind kind, int64_t interval_ms,
			     int at_min, const char *repo, int64_t now_ms)
{
	struct sched_task *t;

	s->v = xreallocarray(s->v, s->n + 1, sizeof(*s->v));
	t = &s->v[s->n++];
	memset(t, 0, sizeof(*t));
	snprintf(t->name, sizeof(t->name), "%s", name);
	t->kind = kind;
	t->interval_ms = interval_ms > 0 ? interval_ms : DAY_MS;
	t->at_min = at_min;
	snprintf(t->repo, sizeof(t->repo), "%s", repo ? repo : "");
	t->last_status = -1;
	t->next_ms = at_min >= 0 ? sched_first_at(now_ms, at_min,
						  s->tz_offset_s)
				 : now_ms;
	return t;
}

static int repo_busy(const struct sched *s, const char *repo)
{
	size_t i;

	if (repo[0] == '\0')
		return 0;
	for (i = 0; i < s->n; i++)
		if (s->v[i].running && strcmp(s->v[i].repo, repo) == 0)
			return 1;
	return 0;
}

struct sched_task *sched_next_due(struct sched *s, int64_t now_ms)
{
	struct sched_task *best = NULL;
	size_t i;

	for (i = 0; i < s->n; i++) {
		struct sched_task *t = &s->v[i];

		if (t->running || t->next_ms > now_ms || repo_busy(s, t->repo))
			continue;
		if (best == NULL || t->next_ms < best->next_ms)
			best = t;
	}
	return best;
}

int64_t sched_wait_ms(const struct sched *s, int64_t now_ms)
{
	int64_t w = INT64_MAX;
	size_t i;

	for (i = 0; i < s->n; i++) {
		const struct sched_task *t = &s->v[i];
		int64_t d;

		if (t->running)
			continue;
		d = t->next_ms - now_ms;
		if (d < w)
			w = d < 0 ? 0 : d;
	}
	return w;
}

void sched_start(struct sched_task *t, int64_t now_ms)
{
	t->running = 1;
	t->last_start_ms = now_ms;
}

void sched_done(struct sched *s, struct sched_task *t, int status,
		int64_t now_ms)
{
	int64_t next = t->last_start_ms + t->interval_ms;

	(void)s;
	t->running = 0;
	t->last_end_ms = now_ms;
	t->last_status = status;
	if (next <= now_ms) /* overran its interval: once, then on rhythm */
		next = now_ms + (t->interval_ms < 60000 ? t->interval_ms
							: 60000);
	t->next_ms = next;
}
