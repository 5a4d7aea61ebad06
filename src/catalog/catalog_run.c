/*
 * catalog_run: backup runs (table run) and the snapshots repositories hold
 * (table snapshot, rebuildable).
 */
#include "catalog/catalog.h"

#include <stdlib.h>
#include <string.h>

#include "catalog/catalog_internal.h"
#include "util/err.h"

/* indexed by enum catalog_run_result */
static const char *const run_words[] = { "running", "ok", "partial",
					 "failed" };
#define RUN_WORDS (sizeof(run_words) / sizeof(run_words[0]))

#define RUN_COLS                                                       \
	"id, job, repo, host, started, started_ns, finished, finished_ns, " \
	"result, files, bytes, bytes_added, errors, snapshot, error"

static int ns_ok(int32_t ns)
{
	return ns >= 0 && ns < 1000000000;
}

static int counts_ok(const struct catalog_run *r)
{
	return r->files >= 0 && r->bytes >= 0 && r->bytes_added >= 0 &&
	       r->errors >= 0;
}

int catalog_run_begin(struct catalog *cat, const struct catalog_run *r,
		      int64_t *id)
{
	static const char sql[] =
		"INSERT INTO run (job, repo, host, started, started_ns)\n"
		"VALUES (?1, ?2, ?3, ?4, ?5)";
	struct cat_q q;

	if (!r->job || !r->repo || r->started <= 0 || !ns_ok(r->started_ns))
		return RP_EINVAL;
	q_open(&q, cat, sql);
	q_text(&q, r->job);
	q_text(&q, r->repo);
	q_text(&q, r->host ? r->host : "");
	q_int(&q, r->started);
	q_int(&q, r->started_ns);
	return q_insert(&q, id);
}

static int run_exists(struct catalog *cat, int64_t id)
{
	static const char sql[] = "SELECT 1 FROM run WHERE id = ?1";
	struct cat_q q;
	int rc;

	q_open(&q, cat, sql);
	q_int(&q, id);
	rc = q_step(&q);
	return q_close(&q, rc < 0 ? rc : rc == 0 ? RP_ENOTFOUND : 0);
}

static int run_end_ok(const struct catalog_run *r)
{
	return r->finished > 0 && ns_ok(r->finished_ns) &&
	       r->result > CATALOG_RUN_RUNNING &&
	       (size_t)r->result < RUN_WORDS && counts_ok(r) &&
	       (!r->snapshot || cat_hex_ok(r->snapshot, 64));
}

int catalog_run_finish(struct catalog *cat, int64_t id,
		       const struct catalog_run *r)
{
	static const char sql[] =
		"UPDATE run SET finished = ?2, finished_ns = ?3, result = ?4,\n"
		"  files = ?5, bytes = ?6, bytes_added = ?7, errors = ?8,\n"
		"  snapshot = ?9, error = ?10\n"
		"WHERE id = ?1 AND result = 'running'";
	struct cat_q q;
	int64_t changed = 0;
	int rc;

	if (!run_end_ok(r))
		return RP_EINVAL;
	q_open(&q, cat, sql);
	q_int(&q, id);
	q_int(&q, r->finished);
	q_int(&q, r->finished_ns);
	q_text(&q, run_words[r->result]);
	q_int(&q, r->files);
	q_int(&q, r->bytes);
	q_int(&q, r->bytes_added);
	q_int(&q, r->errors);
	q_text(&q, r->snapshot);
	q_text(&q, r->error);
	if ((rc = q_exec(&q, &changed)) < 0 || changed)
		return rc;
	/* nothing changed: no such run, or it was finished already */
	rc = run_exists(cat, id);
	return rc < 0 ? rc : RP_EINVAL;
}

int catalog_runs_abandon(struct catalog *cat, int64_t before, int64_t now,
			 const char *error, int64_t *n)
{
	static const char sql[] =
		"UPDATE run SET result = 'failed', finished = ?2,\n"
		"  finished_ns = 0, error = ?3\n"
		"WHERE result = 'running' AND started < ?1";
	struct cat_q q;
	int64_t changed = 0;
	int rc;

	q_open(&q, cat, sql);
	q_int(&q, before);
	q_int(&q, now);
	q_text(&q, error);
	rc = q_exec(&q, &changed);
	if (n)
		*n = changed;
	return rc;
}

static void run_row(struct cat_q *q, void *elem)
{
	struct catalog_run *r = elem;
	char *result = q_col_text(q, 8);
	int w = cat_word_find(run_words, RUN_WORDS, result);

	r->id = q_col_int(q, 0);
	r->job = q_col_text(q, 1);
	r->repo = q_col_text(q, 2);
	r->host = q_col_text(q, 3);
	r->started = q_col_int(q, 4);
	r->started_ns = (int32_t)q_col_int(q, 5);
	r->finished = q_col_int(q, 6);
	r->finished_ns = (int32_t)q_col_int(q, 7);
	r->result = w < 0 ? CATALOG_RUN_FAILED : (enum catalog_run_result)w;
	r->files = q_col_int(q, 9);
	r->bytes = q_col_int(q, 10);
	r->bytes_added = q_col_int(q, 11);
	r->errors = q_col_int(q, 12);
	r->snapshot = q_col_text(q, 13);
	r->error = q_col_text(q, 14);
	free(result);
}

void catalog_run_release(struct catalog_run *r)
{
	cat_free_text(&r->job);
	cat_free_text(&r->repo);
	cat_free_text(&r->host);
	cat_free_text(&r->snapshot);
	cat_free_text(&r->error);
	memset(r, 0, sizeof(*r));
}

static void run_release(void *elem)
{
	catalog_run_release(elem);
}

void catalog_run_list_free(struct catalog_run *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		catalog_run_release(&v[i]);
	free(v);
}

int catalog_run_get(struct catalog *cat, int64_t id, struct catalog_run *out)
{
	static const char sql[] = "SELECT " RUN_COLS " FROM run WHERE id = ?1";
	struct cat_q q;

	q_open(&q, cat, sql);
	q_int(&q, id);
	return cat_one(&q, sizeof(*out), run_row, out);
}

/* q_results: binds four parameters for `result IN (?, ?, ?, ?)`: the
 * words whose bit is in mask (all for 0), NULL for the others. */
static void q_results(struct cat_q *q, unsigned mask)
{
	for (size_t i = 0; i < RUN_WORDS; i++)
		q_text(q, !mask || (mask & (1u << i)) ? run_words[i] : NULL);
}

int catalog_run_list(struct catalog *cat, const struct catalog_run_filter *f,
		     size_t limit, struct catalog_run **out, size_t *n)
{
	static const char sql[] =
		"SELECT " RUN_COLS " FROM run\n"
		"WHERE (?1 IS NULL OR job = ?1) AND (?2 IS NULL OR repo = ?2)\n"
		"  AND (?3 IS NULL OR host = ?3)\n"
		"  AND result IN (?4, ?5, ?6, ?7)\n"
		"  AND started >= ?8 AND started < ?9\n"
		"ORDER BY started DESC, started_ns DESC, id DESC LIMIT ?10";
	static const struct catalog_run_filter all;
	struct cat_q q;
	void *v;
	int rc;

	if (!f)
		f = &all;
	q_open(&q, cat, sql);
	q_text(&q, f->job);
	q_text(&q, f->repo);
	q_text(&q, f->host);
	q_results(&q, f->results);
	q_since_until(&q, f->since, f->until);
	q_limit(&q, limit);
	rc = cat_collect(&q, sizeof(**out), run_row, run_release, &v, n);
	*out = v;
	return rc;
}

int catalog_run_newest(struct catalog *cat, const struct catalog_run_filter *f,
		       struct catalog_run *out)
{
	struct catalog_run *v;
	size_t n;
	int rc = catalog_run_list(cat, f, 1, &v, &n);

	memset(out, 0, sizeof(*out));
	if (rc == 0 && n == 0)
		rc = RP_ENOTFOUND;
	if (rc == 0)
		*out = v[0];
	free(v);
	return rc;
}

/* ---- Snapshots -------------------------------------------------------- */

#define SNAP_COLS "repo, id, time, time_ns, host, job"

int catalog_snapshot_add(struct catalog *cat, const struct catalog_snapshot *s)
{
	static const char sql[] =
		"INSERT INTO snapshot (" SNAP_COLS ")\n"
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6)\n"
		"ON CONFLICT (repo, id) DO UPDATE SET time = excluded.time,\n"
		"  time_ns = excluded.time_ns, host = excluded.host,\n"
		"  job = coalesce(excluded.job, job)";
	struct cat_q q;

	if (!s->repo || !s->id || !cat_hex_ok(s->id, 64) || s->time <= 0 ||
	    !ns_ok(s->time_ns))
		return RP_EINVAL;
	q_open(&q, cat, sql);
	q_text(&q, s->repo);
	q_text(&q, s->id);
	q_int(&q, s->time);
	q_int(&q, s->time_ns);
	q_text(&q, s->host ? s->host : "");
	q_text(&q, s->job);
	return q_exec(&q, NULL);
}

int catalog_snapshot_remove(struct catalog *cat, const char *repo,
			    const char *id)
{
	static const char sql[] =
		"DELETE FROM snapshot WHERE repo = ?1 AND id = ?2";
	struct cat_q q;
	int64_t changed = 0;
	int rc;

	q_open(&q, cat, sql);
	q_text(&q, repo);
	q_text(&q, id);
	rc = q_exec(&q, &changed);
	return rc == 0 && changed == 0 ? RP_ENOTFOUND : rc;
}

static int snapshots_forget_repo(struct catalog *cat, const char *repo)
{
	static const char sql[] = "DELETE FROM snapshot WHERE repo = ?1";
	struct cat_q q;

	q_open(&q, cat, sql);
	q_text(&q, repo);
	return q_exec(&q, NULL);
}

int catalog_snapshots_replace(struct catalog *cat, const char *repo,
			      const struct catalog_snapshot *v, size_t n)
{
	int rc;

	if (!repo)
		return RP_EINVAL;
	for (size_t i = 0; i < n; i++)
		if (!v[i].repo || strcmp(v[i].repo, repo) != 0)
			return RP_EINVAL;
	if ((rc = cat_op_begin(cat)) < 0)
		return rc;
	rc = snapshots_forget_repo(cat, repo);
	for (size_t i = 0; rc == 0 && i < n; i++)
		rc = catalog_snapshot_add(cat, &v[i]);
	return cat_op_end(cat, rc);
}

static void snap_row(struct cat_q *q, void *elem)
{
	struct catalog_snapshot *s = elem;

	s->repo = q_col_text(q, 0);
	s->id = q_col_text(q, 1);
	s->time = q_col_int(q, 2);
	s->time_ns = (int32_t)q_col_int(q, 3);
	s->host = q_col_text(q, 4);
	s->job = q_col_text(q, 5);
}

void catalog_snapshot_release(struct catalog_snapshot *s)
{
	cat_free_text(&s->repo);
	cat_free_text(&s->id);
	cat_free_text(&s->host);
	cat_free_text(&s->job);
	memset(s, 0, sizeof(*s));
}

static void snap_release(void *elem)
{
	catalog_snapshot_release(elem);
}

void catalog_snapshot_list_free(struct catalog_snapshot *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		catalog_snapshot_release(&v[i]);
	free(v);
}

int catalog_snapshot_list(struct catalog *cat, const char *repo, size_t limit,
			  struct catalog_snapshot **out, size_t *n)
{
	static const char sql[] =
		"SELECT " SNAP_COLS " FROM snapshot WHERE repo = ?1\n"
		"ORDER BY time DESC, time_ns DESC, id DESC LIMIT ?2";
	struct cat_q q;
	void *v;
	int rc;

	q_open(&q, cat, sql);
	q_text(&q, repo);
	q_limit(&q, limit);
	rc = cat_collect(&q, sizeof(**out), snap_row, snap_release, &v, n);
	*out = v;
	return rc;
}

int catalog_newest_snapshot_time(struct catalog *cat, const char *repo,
				 const char *job, const char *host,
				 int64_t *time)
{
	static const char sql[] =
		"SELECT max(time) FROM snapshot WHERE repo = ?1\n"
		"  AND (?2 IS NULL OR job = ?2) AND (?3 IS NULL OR host = ?3)";
	struct cat_q q;
	int rc;

	*time = 0;
	q_open(&q, cat, sql);
	q_text(&q, repo);
	q_text(&q, job);
	q_text(&q, host);
	if ((rc = q_step(&q)) > 0) {
		rc = q_col_null(&q, 0) ? RP_ENOTFOUND : 0;
		*time = q_col_int(&q, 0);
	}
	return q_close(&q, rc);
}
