/*
 * catalog_sample: metric samples (tables series and sample) and their
 * downsampling into tiers of buckets.
 *
 * catalog_sample_add is the hot path (the daemon writes a sample per
 * sensor every few seconds): one cached INSERT per sample, the series ID
 * coming from a small direct-mapped cache (CAT_SERIES_SLOTS) before the
 * series table.  A rollback empties the cache, since series rows made
 * inside the transaction are gone.  Downsampling never deletes series, so
 * a cached ID stays valid for the life of the handle.
 */
#include "catalog/catalog.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog_internal.h"
#include "util/err.h"
#include "util/xmalloc.h"

/* ---- Series IDs ------------------------------------------------------- */

static struct cat_series *series_slot(struct catalog *cat, const char *metric,
				      const char *labels)
{
	uint32_t h = 2166136261u;  /* FNV-1a over metric, NUL, labels */

	for (const char *p = metric; *p; p++)
		h = (h ^ (uint8_t)*p) * 16777619u;
	h *= 16777619u;
	for (const char *p = labels; *p; p++)
		h = (h ^ (uint8_t)*p) * 16777619u;
	return &cat->series[h % CAT_SERIES_SLOTS];
}

void cat_series_forget(struct catalog *cat)
{
	for (size_t i = 0; i < CAT_SERIES_SLOTS; i++) {
		free(cat->series[i].metric);
		free(cat->series[i].labels);
		cat->series[i].metric = cat->series[i].labels = NULL;
	}
}

static int series_select(struct catalog *cat, const char *metric,
			 const char *labels, int64_t *id)
{
	static const char sql[] =
		"SELECT id FROM series WHERE metric = ?1 AND labels = ?2";
	struct cat_q q;
	int rc;

	q_open(&q, cat, sql);
	q_text(&q, metric);
	q_text(&q, labels);
	if ((rc = q_step(&q)) > 0)
		*id = q_col_int(&q, 0);
	return q_close(&q, rc < 0 ? rc : rc == 0 ? RP_ENOTFOUND : 0);
}

static int series_insert(struct catalog *cat, const char *metric,
			 const char *labels, int64_t *id)
{
	static const char sql[] =
		"INSERT INTO series (metric, labels) VALUES (?1, ?2)";
	struct cat_q q;

	q_open(&q, cat, sql);
	q_text(&q, metric);
	q_text(&q, labels);
	return q_insert(&q, id);
}

static int series_id(struct catalog *cat, const char *metric,
		     const char *labels, int64_t *id)
{
	struct cat_series *s = series_slot(cat, metric, labels);
	int rc;

	if (s->metric && strcmp(s->metric, metric) == 0 &&
	    strcmp(s->labels, labels) == 0) {
		*id = s->id;
		return 0;
	}
	rc = series_select(cat, metric, labels, id);
	if (rc == RP_ENOTFOUND)
		rc = series_insert(cat, metric, labels, id);
	if (rc < 0)
		return rc;
	free(s->metric);
	free(s->labels);
	s->metric = xstrdup(metric);
	s->labels = xstrdup(labels);
	s->id = *id;
	return 0;
}

/* ---- Samples ---------------------------------------------------------- */

int catalog_sample_add(struct catalog *cat, const char *metric,
		       const char *labels, int64_t t, double value)
{
	static const char sql[] =
		"INSERT INTO sample (series, step, t, value)\n"
		"VALUES (?1, 0, ?2, ?3) ON CONFLICT (series, step, t)\n"
		"DO UPDATE SET value = excluded.value";
	struct cat_q q;
	int64_t series;
	int rc;

	if (!metric || t < 0 || isnan(value))
		return RP_EINVAL;
	if ((rc = series_id(cat, metric, labels ? labels : "", &series)) < 0)
		return rc;
	q_open(&q, cat, sql);
	q_int(&q, series);
	q_int(&q, t);
	q_real(&q, value);
	return q_exec(&q, NULL);
}

static void sample_row(struct cat_q *q, void *elem)
{
	struct catalog_sample *s = elem;

	s->t = q_col_int(q, 0);
	s->step = q_col_int(q, 1);
	s->value = q_col_real(q, 2);
	s->lo = q_col_real(q, 3);
	s->hi = q_col_real(q, 4);
	s->n = q_col_int(q, 5);
}

static void sample_release(void *elem)
{
	(void)elem;
}

int catalog_samples_range(struct catalog *cat, const char *metric,
			  const char *labels, int64_t from, int64_t to,
			  struct catalog_sample **out, size_t *n)
{
	static const char sql[] =
		"SELECT s.t, s.step, s.value, coalesce(s.lo, s.value),\n"
		"  coalesce(s.hi, s.value), s.n\n"
		"FROM sample AS s JOIN series ON series.id = s.series\n"
		"WHERE series.metric = ?1 AND series.labels = ?2\n"
		"  AND s.t >= ?3 AND s.t < ?4\n"
		"ORDER BY s.t, s.step LIMIT ?5";
	struct cat_q q;
	void *v;
	int rc;

	q_open(&q, cat, sql);
	q_text(&q, metric);
	q_text(&q, labels ? labels : "");
	q_int(&q, from);
	q_int(&q, to);
	q_limit(&q, 0);
	rc = cat_collect(&q, sizeof(**out), sample_row, sample_release, &v,
			 n);
	*out = v;
	return rc;
}

int catalog_sample_count(struct catalog *cat, int64_t step, int64_t *n)
{
	static const char sql[] =
		"SELECT count(*) FROM sample WHERE ?1 < 0 OR step = ?1";
	struct cat_q q;
	int rc;

	*n = 0;
	q_open(&q, cat, sql);
	q_int(&q, step);
	if ((rc = q_step(&q)) > 0)
		*n = q_col_int(&q, 0);
	return q_close(&q, rc < 0 ? rc : 0);
}

/* ---- Downsampling ----------------------------------------------------- */

static int policy_ok(const struct catalog_retention *p)
{
	if (p->n < 1 || p->n > CATALOG_TIERS_MAX || p->tier[0].step != 0 ||
	    p->tier[0].keep <= 0)
		return 0;
	for (size_t i = 1; i < p->n; i++) {
		const struct catalog_tier *a = &p->tier[i - 1];
		const struct catalog_tier *b = &p->tier[i];

		if (b->step <= 0 || b->keep <= a->keep ||
		    (a->step && b->step % a->step != 0))
			return 0;
	}
	return 1;
}

/* tier_drop: deletes the rows of tier step older than before.  The
 * `series IN` lets SQLite seek the primary key series by series. */
static int tier_drop(struct catalog *cat, int64_t step, int64_t before)
{
	static const char sql[] =
		"DELETE FROM sample WHERE series IN (SELECT id FROM series)\n"
		"  AND step = ?1 AND t < ?2";
	struct cat_q q;

	q_open(&q, cat, sql);
	q_int(&q, step);
	q_int(&q, before);
	return q_exec(&q, NULL);
}

/* tier_fold: rows of tier `from` older than before (a multiple of to)
 * become buckets of tier `to`, merged with a bucket already there (a late
 * sample), and are deleted. */
static int tier_fold(struct catalog *cat, int64_t from, int64_t to,
		     int64_t before)
{
	static const char sql[] =
		"INSERT INTO sample (series, step, t, value, lo, hi, n)\n"
		"SELECT series, ?2, t - t % ?2, sum(value * n) / sum(n),\n"
		"  min(coalesce(lo, value)), max(coalesce(hi, value)), sum(n)\n"
		"FROM sample WHERE series IN (SELECT id FROM series)\n"
		"  AND step = ?1 AND t < ?3\n"
		"GROUP BY series, t - t % ?2\n"
		"ON CONFLICT (series, step, t) DO UPDATE SET\n"
		"  value = (value * n + excluded.value * excluded.n)\n"
		"          / (n + excluded.n),\n"
		"  lo = min(lo, excluded.lo), hi = max(hi, excluded.hi),\n"
		"  n = n + excluded.n";
	struct cat_q q;
	int rc;

	q_open(&q, cat, sql);
	q_int(&q, from);
	q_int(&q, to);
	q_int(&q, before);
	if ((rc = q_exec(&q, NULL)) < 0)
		return rc;
	return tier_drop(cat, from, before);
}

static int64_t floor_to(int64_t x, int64_t step)
{
	return x - ((x % step) + step) % step;
}

int catalog_downsample(struct catalog *cat, int64_t now,
		       const struct catalog_retention *p)
{
	const struct catalog_tier *last;
	int rc;

	if (!policy_ok(p))
		return RP_EINVAL;
	last = &p->tier[p->n - 1];
	if ((rc = cat_op_begin(cat)) < 0)
		return rc;
	for (size_t i = 1; rc == 0 && i < p->n; i++)
		rc = tier_fold(cat, p->tier[i - 1].step, p->tier[i].step,
			       floor_to(now - p->tier[i - 1].keep,
					p->tier[i].step));
	if (rc == 0)
		rc = tier_drop(cat, last->step, now - last->keep);
	return cat_op_end(cat, rc);
}
