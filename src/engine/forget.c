#include "engine/forget.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/err.h"
#include "util/hex.h"
#include "util/xmalloc.h"

int forget_policy_empty(const struct forget_policy *p)
{
	return !p->last && !p->hourly && !p->daily && !p->weekly &&
	       !p->monthly && !p->yearly && !p->has_within &&
	       !p->keep_tags.n;
}

const char *forget_reason_name(enum forget_reason r)
{
	switch (r) {
	case KEEP_TAG: return "tag";
	case KEEP_WITHIN: return "within";
	case KEEP_LAST: return "last";
	case KEEP_HOURLY: return "hourly";
	case KEEP_DAILY: return "daily";
	case KEEP_WEEKLY: return "weekly";
	case KEEP_MONTHLY: return "monthly";
	case KEEP_YEARLY: return "yearly";
	case KEEP_NOPOLICY: return "no policy";
	}
	return "?";
}

/* ---- grouping ---- */

static int same_list(const struct strlist *a, const struct strlist *b)
{
	size_t i;

	if (a->n != b->n)
		return 0;
	for (i = 0; i < a->n; i++)
		if (!strlist_has(b, a->v[i]))
			return 0;
	return 1;
}

static int same_group(const struct forget_policy *p, const struct snapshot *a,
		      const struct snapshot *b)
{
	if (p->group_host && strcmp(a->hostname ? a->hostname : "",
				    b->hostname ? b->hostname : "") != 0)
		return 0;
	if (p->group_paths && !same_list(&a->paths, &b->paths))
		return 0;
	if (p->group_tags && !same_list(&a->tags, &b->tags))
		return 0;
	return 1;
}

static int cmp_item(const void *x, const void *y)
{
	const struct forget_item *a = x, *b = y;

	if (a->group != b->group)
		return a->group < b->group ? -1 : 1;
	if (a->s->time.sec != b->s->time.sec)
		return a->s->time.sec > b->s->time.sec ? -1 : 1;
	if (a->s->time.nsec != b->s->time.nsec)
		return a->s->time.nsec > b->s->time.nsec ? -1 : 1;
	return memcmp(a->s->id, b->s->id, 32);
}

/* ---- buckets ---- */

/* bucket: the bucket of time t for a rule, in the snapshot's local time
 * (its stored UTC offset), as restic computes it. */
static int64_t bucket(enum forget_reason rule, const struct gotime *t,
		      int64_t index)
{
	time_t local = (time_t)(t->sec + t->off);
	struct tm tm;

	gmtime_r(&local, &tm);
	switch (rule) {
	case KEEP_LAST: return index;
	case KEEP_HOURLY:
		return ((int64_t)(tm.tm_year + 1900) * 1000000 +
			(tm.tm_mon + 1) * 10000 + tm.tm_mday * 100 + tm.tm_hour);
	case KEEP_DAILY:
		return (int64_t)(tm.tm_year + 1900) * 10000 +
		       (tm.tm_mon + 1) * 100 + tm.tm_mday;
	case KEEP_WEEKLY: {
		char buf[16];

		strftime(buf, sizeof(buf), "%G%V", &tm);
		return strtoll(buf, NULL, 10);
	}
	case KEEP_MONTHLY:
		return (int64_t)(tm.tm_year + 1900) * 100 + tm.tm_mon + 1;
	case KEEP_YEARLY: return tm.tm_year + 1900;
	default: return 0;
	}
}

/* within_cutoff: the newest time minus the keep-within span, computed on
 * the calendar in the snapshot's own time zone (as Go's AddDate). */
static int64_t within_cutoff(const struct forget_policy *p,
			     const struct gotime *newest)
{
	time_t local = (time_t)(newest->sec + newest->off);
	struct tm tm;

	gmtime_r(&local, &tm);
	tm.tm_year -= p->within_y;
	tm.tm_mon -= p->within_m;
	tm.tm_mday -= p->within_d;
	tm.tm_hour -= p->within_h;
	return (int64_t)timegm(&tm) - newest->off;
}

struct rule {
	enum forget_reason reason;
	int count;
	int64_t last;
	int started;
};

static void apply_rules(const struct forget_policy *p, struct forget_item *it,
			size_t n)
{
	struct rule rules[6] = {
		{ KEEP_LAST, p->last, 0, 0 }, { KEEP_HOURLY, p->hourly, 0, 0 },
		{ KEEP_DAILY, p->daily, 0, 0 }, { KEEP_WEEKLY, p->weekly, 0, 0 },
		{ KEEP_MONTHLY, p->monthly, 0, 0 },
		{ KEEP_YEARLY, p->yearly, 0, 0 },
	};
	int64_t cutoff = n ? within_cutoff(p, &it[0].s->time) : 0;
	size_t i, k;

	for (i = 0; i < n; i++) {
		size_t j;

		for (j = 0; j < p->keep_tags.n; j++)
			if (snapshot_has_tags(it[i].s, p->keep_tags.v[j]))
				it[i].reasons |= KEEP_TAG;
		if (p->has_within && it[i].s->time.sec > cutoff)
			it[i].reasons |= KEEP_WITHIN;
		for (k = 0; k < 6; k++) {
			struct rule *ru = &rules[k];
			int64_t b = bucket(ru->reason, &it[i].s->time,
					   (int64_t)i);

			if (ru->count == 0 || (ru->started && b == ru->last))
				continue;
			ru->started = 1;
			ru->last = b;
			it[i].reasons |= ru->reason;
			if (ru->count > 0)
				ru->count--;
		}
	}
}

void forget_plan(const struct forget_policy *p, const struct snapshot *v,
		 size_t n, struct forget_item **items)
{
	struct forget_item *it = xcalloc(n + 1, sizeof(*it));
	size_t i, j, start;
	int groups = 0;

	for (i = 0; i < n; i++) {
		it[i].s = &v[i];
		it[i].group = -1;
		for (j = 0; j < i; j++)
			if (same_group(p, &v[j], &v[i])) {
				it[i].group = it[j].group;
				break;
			}
		if (it[i].group < 0)
			it[i].group = groups++;
	}
	qsort(it, n, sizeof(*it), cmp_item);
	for (start = 0; start < n; start = i) {
		for (i = start; i < n && it[i].group == it[start].group; i++)
			;
		if (forget_policy_empty(p))
			for (j = start; j < i; j++)
				it[j].reasons = KEEP_NOPOLICY;
		else
			apply_rules(p, it + start, i - start);
	}
	*items = it;
}

int forget_apply(struct repo *r, const struct forget_item *items, size_t n,
		 size_t *removed)
{
	char name[65];
	size_t i;
	int rc = 0;

	*removed = 0;
	for (i = 0; i < n && rc == 0; i++) {
		if (items[i].reasons)
			continue;
		hex_encode(items[i].s->id, 32, name);
		rc = r->be->ops->remove(r->be, BE_SNAPSHOT, name);
		if (rc == 0)
			(*removed)++;
	}
	return rc;
}
