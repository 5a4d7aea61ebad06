/*
 * catalog_drill: restore drills (table drill), the evidence that backups
 * restore.  Lists leave out the evidence document, which may be large;
 * get and newest bring it.
 */
#include "catalog/catalog.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog_internal.h"
#include "util/err.h"

/* indexed by enum catalog_drill_result */
static const char *const drill_words[] = { NULL, "pass", "fail" };
#define DRILL_WORDS (sizeof(drill_words) / sizeof(drill_words[0]))

#define DRILL_COLS                                                        \
	"id, service, repo, snapshot, host, started, finished, files, bytes, " \
	"duration, throughput, sampled_pct, result, reason, evidence_sha256"

static int drill_ok(const struct catalog_drill *d)
{
	return d->service && d->repo && d->snapshot &&
	       cat_hex_ok(d->snapshot, 64) && d->started > 0 &&
	       d->finished > 0 && d->files >= 0 && d->bytes >= 0 &&
	       isfinite(d->duration) && d->duration >= 0 &&
	       isfinite(d->throughput) && d->throughput >= 0 &&
	       d->sampled_pct >= 0 && d->sampled_pct <= 100 &&
	       (d->result == CATALOG_DRILL_PASS ||
		d->result == CATALOG_DRILL_FAIL) &&
	       (!d->evidence_sha256 || cat_hex_ok(d->evidence_sha256, 64));
}

int catalog_drill_add(struct catalog *cat, const struct catalog_drill *d,
		      int64_t *id)
{
	static const char sql[] =
		"INSERT INTO drill (service, repo, snapshot, host, started,\n"
		"  finished, files, bytes, duration, throughput, sampled_pct,\n"
		"  result, reason, evidence_sha256, evidence)\n"
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12,\n"
		"  ?13, ?14, ?15)";
	struct cat_q q;

	if (!drill_ok(d))
		return RP_EINVAL;
	q_open(&q, cat, sql);
	q_text(&q, d->service);
	q_text(&q, d->repo);
	q_text(&q, d->snapshot);
	q_text(&q, d->host ? d->host : "");
	q_int(&q, d->started);
	q_int(&q, d->finished);
	q_int(&q, d->files);
	q_int(&q, d->bytes);
	q_real(&q, d->duration);
	q_real(&q, d->throughput);
	q_real(&q, d->sampled_pct);
	q_text(&q, drill_words[d->result]);
	q_text(&q, d->reason);
	q_text(&q, d->evidence_sha256);
	q_text(&q, d->evidence);
	return q_insert(&q, id);
}

/* drill_row: DRILL_COLS, and the evidence as column 15 if selected. */
static void drill_row(struct cat_q *q, void *elem)
{
	struct catalog_drill *d = elem;
	char *result = q_col_text(q, 12);
	int w = cat_word_find(drill_words, DRILL_WORDS, result);

	d->id = q_col_int(q, 0);
	d->service = q_col_text(q, 1);
	d->repo = q_col_text(q, 2);
	d->snapshot = q_col_text(q, 3);
	d->host = q_col_text(q, 4);
	d->started = q_col_int(q, 5);
	d->finished = q_col_int(q, 6);
	d->files = q_col_int(q, 7);
	d->bytes = q_col_int(q, 8);
	d->duration = q_col_real(q, 9);
	d->throughput = q_col_real(q, 10);
	d->sampled_pct = q_col_real(q, 11);
	d->result = w < 0 ? CATALOG_DRILL_FAIL : (enum catalog_drill_result)w;
	d->reason = q_col_text(q, 13);
	d->evidence_sha256 = q_col_text(q, 14);
	if (sqlite3_column_count(q->st) > 15)
		d->evidence = q_col_text(q, 15);
	free(result);
}

void catalog_drill_release(struct catalog_drill *d)
{
	cat_free_text(&d->service);
	cat_free_text(&d->repo);
	cat_free_text(&d->snapshot);
	cat_free_text(&d->host);
	cat_free_text(&d->reason);
	cat_free_text(&d->evidence_sha256);
	cat_free_text(&d->evidence);
	memset(d, 0, sizeof(*d));
}

static void drill_release(void *elem)
{
	catalog_drill_release(elem);
}

void catalog_drill_list_free(struct catalog_drill *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		catalog_drill_release(&v[i]);
	free(v);
}

int catalog_drill_get(struct catalog *cat, int64_t id,
		      struct catalog_drill *out)
{
	static const char sql[] =
		"SELECT " DRILL_COLS ", evidence FROM drill WHERE id = ?1";
	struct cat_q q;

	q_open(&q, cat, sql);
	q_int(&q, id);
	return cat_one(&q, sizeof(*out), drill_row, out);
}

/* drill_filter: binds ?1..?5 of DRILL_WHERE. */
#define DRILL_WHERE                                                     \
	"WHERE (?1 IS NULL OR service = ?1) AND (?2 IS NULL OR repo = ?2)\n" \
	"  AND (?3 IS NULL OR result = ?3)\n"                             \
	"  AND started >= ?4 AND started < ?5\n"                          \
	"ORDER BY started DESC, id DESC LIMIT ?6"

static int drill_filter(struct cat_q *q, const struct catalog_drill_filter *f)
{
	static const struct catalog_drill_filter all;

	if (!f)
		f = &all;
	if ((size_t)f->result >= DRILL_WORDS)
		return RP_EINVAL;
	q_text(q, f->service);
	q_text(q, f->repo);
	q_text(q, drill_words[f->result]);
	q_since_until(q, f->since, f->until);
	return 0;
}

int catalog_drill_list(struct catalog *cat,
		       const struct catalog_drill_filter *f, size_t limit,
		       struct catalog_drill **out, size_t *n)
{
	static const char sql[] =
		"SELECT " DRILL_COLS " FROM drill\n" DRILL_WHERE;
	struct cat_q q;
	void *v = NULL;
	int rc;

	*n = 0;
	q_open(&q, cat, sql);
	if ((rc = drill_filter(&q, f)) < 0)
		rc = q_close(&q, rc);
	else {
		q_limit(&q, limit);
		rc = cat_collect(&q, sizeof(**out), drill_row, drill_release,
				 &v, n);
	}
	*out = v;
	return rc;
}

int catalog_drill_newest(struct catalog *cat,
			 const struct catalog_drill_filter *f,
			 struct catalog_drill *out)
{
	static const char sql[] =
		"SELECT " DRILL_COLS ", evidence FROM drill\n" DRILL_WHERE;
	struct cat_q q;
	int rc;

	memset(out, 0, sizeof(*out));
	q_open(&q, cat, sql);
	if ((rc = drill_filter(&q, f)) < 0)
		return q_close(&q, rc);
	q_limit(&q, 1);
	return cat_one(&q, sizeof(*out), drill_row, out);
}
