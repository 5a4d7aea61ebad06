/*
 * test_catalog: every catalog API round trip on ":memory:" and on a file;
 * WAL mode; migrations from an empty (version 0) file and from version 1;
 * refusal of foreign and newer files without touching them; two handles on
 * one file (busy timeout); downsampling a year of samples; transactions.
 *
 * The test speaks SQL directly (through sqlite3) only to make or inspect
 * files the way another program would.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <sqlite3.h>
#include <time.h>
#include <unistd.h>

#include "catalog/catalog.h"
#include "catalog/catalog_internal.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/fsx.h"
#include "util/log.h"

#define HEX32(s) s s s s
#define SNAP_A HEX32("aaaaaaaaaaaaaaaa")
#define SNAP_B HEX32("bbbbbbbbbbbbbbbb")
#define SNAP_C HEX32("0123456789abcdef")
#define T0 ((int64_t)1750000000)

/* ---- Fixtures --------------------------------------------------------- */

struct tmp {
	char dir[64];
	char path[128];
};

static int tmp_setup(void **state)
{
	struct tmp *t = calloc(1, sizeof(*t));
	const char *base = getenv("TMPDIR");

	if (!t)
		return -1;
	snprintf(t->dir, sizeof(t->dir), "%s/catalog.XXXXXX",
		 base && strlen(base) < 40 ? base : "/tmp");
	if (!mkdtemp(t->dir)) {
		free(t);
		return -1;
	}
	snprintf(t->path, sizeof(t->path), "%s/catalog.db", t->dir);
	*state = t;
	return 0;
}

static int tmp_teardown(void **state)
{
	struct tmp *t = *state;
	static const char *const ext[] = { "", "-wal", "-shm", "-journal" };
	char p[160];

	for (size_t i = 0; i < sizeof(ext) / sizeof(ext[0]); i++) {
		snprintf(p, sizeof(p), "%s%s", t->path, ext[i]);
		unlink(p);
	}
	rmdir(t->dir);
	free(t);
	return 0;
}

/* The last message logged, so tests can check what an error says. */
static char last_log[1024];

static void log_keep(enum log_level lvl, const char *func, const char *msg,
		     void *arg)
{
	(void)lvl;
	(void)func;
	(void)arg;
	snprintf(last_log, sizeof(last_log), "%s", msg);
}

static struct catalog *mem_open(void)
{
	struct catalog *cat = NULL;

	assert_int_equal(catalog_open(":memory:", &cat), 0);
	assert_non_null(cat);
	return cat;
}

/* sql_int: one integer from a query, on a file, through a plain sqlite3
 * connection (as another program would see it). */
static int64_t sql_int(const char *path, const char *sql)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	int64_t v = -1;

	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE,
					 NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL),
			 SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

static void sql_exec(const char *path, const char *sql)
{
	sqlite3 *db = NULL;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_close(db), SQLITE_OK);
}

static void file_bytes(const char *path, struct buf *b)
{
	buf_reset(b);
	assert_int_equal(fsx_read_file(path, b), 0);
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- Runs ------------------------------------------------------------- */

static int64_t run_add(struct catalog *cat, const char *job, int64_t start,
		       enum catalog_run_result res)
{
	struct catalog_run r = { .job = job, .repo = "/srv/repo",
				 .host = "srv1", .started = start };
	int64_t id = 0;

	assert_int_equal(catalog_run_begin(cat, &r, &id), 0);
	r.finished = start + 60;
	r.result = res;
	r.files = 10;
	r.bytes = 1000;
	r.snapshot = res == CATALOG_RUN_FAILED ? NULL : SNAP_A;
	r.error = res == CATALOG_RUN_FAILED ? "disk full" : NULL;
	assert_int_equal(catalog_run_finish(cat, id, &r), 0);
	return id;
}

static void test_catalog__open_memory(void **state)
{
	struct catalog *cat = mem_open();
	int v = -1;

	(void)state;
	assert_int_equal(catalog_version(cat, &v), 0);
	assert_int_equal(v, CATALOG_VERSION);
	catalog_close(cat);
	catalog_close(NULL);
}

static void test_catalog__run_roundtrip(void **state)
{
	struct catalog *cat = mem_open();
	struct catalog_run r = { .job = "db", .repo = "sftp://backup/db",
				 .host = "srv1", .started = T0,
				 .started_ns = 123456789 };
	struct catalog_run got;
	int64_t id = 0;

	(void)state;
	assert_int_equal(catalog_run_begin(cat, &r, &id), 0);
	assert_true(id > 0);
	assert_int_equal(catalog_run_get(cat, id, &got), 0);
	assert_int_equal(got.result, CATALOG_RUN_RUNNING);
	assert_int_equal(got.finished, 0);
	assert_null(got.snapshot);
	assert_int_equal(got.started_ns, 123456789);
	catalog_run_release(&got);

	r.finished = T0 + 300;
	r.finished_ns = 5;
	r.result = CATALOG_RUN_PARTIAL;
	r.files = 12345;
	r.bytes = (int64_t)5 << 40;
	r.bytes_added = 777;
	r.errors = 2;
	r.snapshot = SNAP_C;
	r.error = "2 files unreadable";
	assert_int_equal(catalog_run_finish(cat, id, &r), 0);
	assert_int_equal(catalog_run_get(cat, id, &got), 0);
	assert_int_equal(got.id, id);
	assert_string_equal(got.job, "db");
	assert_string_equal(got.repo, "sftp://backup/db");
	assert_string_equal(got.host, "srv1");
	assert_int_equal(got.started, T0);
	assert_int_equal(got.finished, T0 + 300);
	assert_int_equal(got.finished_ns, 5);
	assert_int_equal(got.result, CATALOG_RUN_PARTIAL);
	assert_int_equal(got.files, 12345);
	assert_int_equal(got.bytes, (int64_t)5 << 40);
	assert_int_equal(got.bytes_added, 777);
	assert_int_equal(got.errors, 2);
	assert_string_equal(got.snapshot, SNAP_C);
	assert_string_equal(got.error, "2 files unreadable");
	catalog_run_release(&got);
	assert_null(got.job);

	/* finishing twice, an unknown run, bad values */
	assert_int_equal(catalog_run_finish(cat, id, &r), RP_EINVAL);
	assert_int_equal(catalog_run_finish(cat, id + 100, &r), RP_ENOTFOUND);
	assert_int_equal(catalog_run_get(cat, id + 100, &got), RP_ENOTFOUND);
	r.result = CATALOG_RUN_RUNNING;
	assert_int_equal(catalog_run_finish(cat, id, &r), RP_EINVAL);
	r.result = CATALOG_RUN_OK;
	r.snapshot = "abc";
	assert_int_equal(catalog_run_finish(cat, id, &r), RP_EINVAL);
	r.job = NULL;
	assert_int_equal(catalog_run_begin(cat, &r, &id), RP_EINVAL);
	r.job = "db";
	r.started_ns = 1000000000;
	assert_int_equal(catalog_run_begin(cat, &r, &id), RP_EINVAL);
	catalog_close(cat);
}

static void test_catalog__run_queries(void **state)
{
	struct catalog *cat = mem_open();
	struct catalog_run_filter f = { .job = "db" };
	struct catalog_run *v, got;
	struct catalog_run r = { .job = "db", .repo = "/srv/repo",
				 .started = T0 + 900 };
	int64_t id_ok, id_fail, id_running, n = 0;
	size_t k;

	(void)state;
	id_ok = run_add(cat, "db", T0, CATALOG_RUN_OK);
	run_add(cat, "db", T0 + 100, CATALOG_RUN_PARTIAL);
	id_fail = run_add(cat, "db", T0 + 200, CATALOG_RUN_FAILED);
	run_add(cat, "files", T0 + 300, CATALOG_RUN_OK);
	assert_int_equal(catalog_run_begin(cat, &r, &id_running), 0);

	assert_int_equal(catalog_run_list(cat, &f, 0, &v, &k), 0);
	assert_int_equal(k, 4);
	assert_int_equal(v[0].id, id_running);  /* newest first */
	assert_int_equal(v[1].id, id_fail);
	assert_int_equal(v[3].id, id_ok);
	catalog_run_list_free(v, k);

	assert_int_equal(catalog_run_list(cat, NULL, 2, &v, &k), 0);
	assert_int_equal(k, 2);
	catalog_run_list_free(v, k);

	f.results = 1u << CATALOG_RUN_OK;
	assert_int_equal(catalog_run_newest(cat, &f, &got), 0);
	assert_int_equal(got.id, id_ok);
	catalog_run_release(&got);
	f.results |= 1u << CATALOG_RUN_PARTIAL;
	assert_int_equal(catalog_run_newest(cat, &f, &got), 0);
	assert_int_equal(got.started, T0 + 100);
	catalog_run_release(&got);

	f = (struct catalog_run_filter){ .repo = "/srv/repo", .since = T0 + 100,
					 .until = T0 + 300 };
	assert_int_equal(catalog_run_list(cat, &f, 0, &v, &k), 0);
	assert_int_equal(k, 2);
	catalog_run_list_free(v, k);

	f = (struct catalog_run_filter){ .job = "nope" };
	assert_int_equal(catalog_run_newest(cat, &f, &got), RP_ENOTFOUND);
	assert_int_equal(catalog_run_list(cat, &f, 0, &v, &k), 0);
	assert_int_equal(k, 0);
	assert_null(v);

	/* a process died: its run is closed as failed */
	assert_int_equal(catalog_runs_abandon(cat, T0 + 1000, T0 + 5000,
					      "abandoned", &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(catalog_run_get(cat, id_running, &got), 0);
	assert_int_equal(got.result, CATALOG_RUN_FAILED);
	assert_int_equal(got.finished, T0 + 5000);
	assert_string_equal(got.error, "abandoned");
	catalog_run_release(&got);
	catalog_close(cat);
}

/* ---- Snapshots -------------------------------------------------------- */

static void test_catalog__snapshots(void **state)
{
	struct catalog *cat = mem_open();
	struct catalog_snapshot s[3] = {
		{ .repo = "/r", .id = SNAP_A, .time = T0, .host = "h1",
		  .job = "db" },
		{ .repo = "/r", .id = SNAP_B, .time = T0 + 60, .host = "h2",
		  .job = "files" },
		{ .repo = "/r", .id = SNAP_C, .time = T0 + 30, .host = "h1" },
	};
	struct catalog_snapshot *v;
	size_t n;
	int64_t t;

	(void)state;
	for (int i = 0; i < 3; i++)
		assert_int_equal(catalog_snapshot_add(cat, &s[i]), 0);
	assert_int_equal(catalog_newest_snapshot_time(cat, "/r", NULL, NULL,
						      &t), 0);
	assert_int_equal(t, T0 + 60);
	assert_int_equal(catalog_newest_snapshot_time(cat, "/r", "db", NULL,
						      &t), 0);
	assert_int_equal(t, T0);
	assert_int_equal(catalog_newest_snapshot_time(cat, "/r", NULL, "h1",
						      &t), 0);
	assert_int_equal(t, T0 + 30);
	assert_int_equal(catalog_newest_snapshot_time(cat, "/other", NULL,
						      NULL, &t),
			 RP_ENOTFOUND);

	/* the same snapshot again updates it (and keeps a known job) */
	s[0].time = T0 + 90;
	s[0].job = NULL;
	assert_int_equal(catalog_snapshot_add(cat, &s[0]), 0);
	assert_int_equal(catalog_snapshot_list(cat, "/r", 0, &v, &n), 0);
	assert_int_equal(n, 3);
	assert_string_equal(v[0].id, SNAP_A);
	assert_string_equal(v[0].job, "db");
	assert_int_equal(v[0].time, T0 + 90);
	assert_null(v[2].job);
	catalog_snapshot_list_free(v, n);

	assert_int_equal(catalog_snapshot_remove(cat, "/r", SNAP_B), 0);
	assert_int_equal(catalog_snapshot_remove(cat, "/r", SNAP_B),
			 RP_ENOTFOUND);

	/* rebuild: the repository's list replaces ours */
	s[1].time = T0 + 500;
	assert_int_equal(catalog_snapshots_replace(cat, "/r", &s[1], 1), 0);
	assert_int_equal(catalog_snapshot_list(cat, "/r", 0, &v, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].id, SNAP_B);
	assert_string_equal(v[0].host, "h2");
	catalog_snapshot_list_free(v, n);
	s[2].repo = "/elsewhere";
	assert_int_equal(catalog_snapshots_replace(cat, "/r", s, 3),
			 RP_EINVAL);
	s[2].id = "ABC";
	assert_int_equal(catalog_snapshot_add(cat, &s[2]), RP_EINVAL);
	catalog_close(cat);
}

/* ---- Drills ----------------------------------------------------------- */

static int64_t drill_add(struct catalog *cat, const char *service,
			 int64_t start, enum catalog_drill_result res)
{
	struct catalog_drill d = {
		.service = service, .repo = "/r", .snapshot = SNAP_A,
		.started = start, .finished = start + 120, .files = 3,
		.bytes = 4096, .duration = 118.5, .throughput = 34.6,
		.sampled_pct = 10, .result = res,
		.reason = res == CATALOG_DRILL_FAIL ? "hash mismatch" : NULL,
		.evidence_sha256 = SNAP_C, .evidence = "{\"files\":3}",
	};
	int64_t id = 0;

	assert_int_equal(catalog_drill_add(cat, &d, &id), 0);
	return id;
}

static void test_catalog__drill_roundtrip(void **state)
{
	struct catalog *cat = mem_open();
	struct catalog_drill got, bad;
	int64_t id;

	(void)state;
	id = drill_add(cat, "payroll", T0, CATALOG_DRILL_FAIL);
	assert_int_equal(catalog_drill_get(cat, id, &got), 0);
	assert_int_equal(got.id, id);
	assert_string_equal(got.service, "payroll");
	assert_string_equal(got.repo, "/r");
	assert_string_equal(got.snapshot, SNAP_A);
	assert_string_equal(got.host, "");
	assert_int_equal(got.started, T0);
	assert_int_equal(got.finished, T0 + 120);
	assert_int_equal(got.files, 3);
	assert_int_equal(got.bytes, 4096);
	assert_true(got.duration == 118.5);
	assert_true(got.throughput == 34.6);
	assert_true(got.sampled_pct == 10);
	assert_int_equal(got.result, CATALOG_DRILL_FAIL);
	assert_string_equal(got.reason, "hash mismatch");
	assert_string_equal(got.evidence_sha256, SNAP_C);
	assert_string_equal(got.evidence, "{\"files\":3}");
	bad = got;
	bad.sampled_pct = 100.5;
	assert_int_equal(catalog_drill_add(cat, &bad, NULL), RP_EINVAL);
	bad.sampled_pct = 100;
	bad.evidence_sha256 = "not hex";
	assert_int_equal(catalog_drill_add(cat, &bad, NULL), RP_EINVAL);
	bad.evidence_sha256 = NULL;
	bad.evidence = "{not json";
	log_set_sink(log_keep, NULL);
	assert_int_equal(catalog_drill_add(cat, &bad, NULL), RP_EINVAL);
	log_set_sink(NULL, NULL);
	bad.result = CATALOG_DRILL_ANY;
	assert_int_equal(catalog_drill_add(cat, &bad, NULL), RP_EINVAL);
	bad.result = CATALOG_DRILL_PASS;
	bad.service = NULL;
	assert_int_equal(catalog_drill_add(cat, &bad, NULL), RP_EINVAL);
	catalog_drill_release(&got);
	assert_int_equal(catalog_drill_get(cat, id + 1, &got), RP_ENOTFOUND);
	catalog_close(cat);
}

static void test_catalog__drill_newest(void **state)
{
	struct catalog *cat = mem_open();
	struct catalog_drill_filter f = { .service = "payroll",
					  .result = CATALOG_DRILL_PASS };
	struct catalog_drill got, *v;
	int64_t pass_old, pass_new, fail_newest, other;
	size_t n;

	(void)state;
	pass_old = drill_add(cat, "payroll", T0, CATALOG_DRILL_PASS);
	drill_add(cat, "payroll", T0 + 86400, CATALOG_DRILL_FAIL);
	pass_new = drill_add(cat, "payroll", T0 + 2 * 86400,
			     CATALOG_DRILL_PASS);
	fail_newest = drill_add(cat, "payroll", T0 + 3 * 86400,
				CATALOG_DRILL_FAIL);
	other = drill_add(cat, "mail", T0 + 4 * 86400, CATALOG_DRILL_PASS);

	assert_int_equal(catalog_drill_newest(cat, &f, &got), 0);
	assert_int_equal(got.id, pass_new);
	assert_non_null(got.evidence);
	catalog_drill_release(&got);

	f.result = CATALOG_DRILL_ANY;
	assert_int_equal(catalog_drill_newest(cat, &f, &got), 0);
	assert_int_equal(got.id, fail_newest);
	assert_int_equal(got.result, CATALOG_DRILL_FAIL);
	catalog_drill_release(&got);

	assert_int_equal(catalog_drill_newest(cat, NULL, &got), 0);
	assert_int_equal(got.id, other);
	catalog_drill_release(&got);

	/* within a drill period that excludes the newer passing one */
	f = (struct catalog_drill_filter){ .service = "payroll",
					   .result = CATALOG_DRILL_PASS,
					   .until = T0 + 86400 };
	assert_int_equal(catalog_drill_newest(cat, &f, &got), 0);
	assert_int_equal(got.id, pass_old);
	catalog_drill_release(&got);
	f.since = T0 + 10 * 86400;
	f.until = 0;
	assert_int_equal(catalog_drill_newest(cat, &f, &got), RP_ENOTFOUND);
	f.service = "unknown";
	f.since = 0;
	assert_int_equal(catalog_drill_newest(cat, &f, &got), RP_ENOTFOUND);

	f = (struct catalog_drill_filter){ .service = "payroll" };
	assert_int_equal(catalog_drill_list(cat, &f, 0, &v, &n), 0);
	assert_int_equal(n, 4);
	assert_int_equal(v[0].id, fail_newest);
	assert_int_equal(v[3].id, pass_old);
	assert_null(v[0].evidence);          /* lists leave it out */
	assert_string_equal(v[0].evidence_sha256, SNAP_C);
	catalog_drill_list_free(v, n);
	f.result = (enum catalog_drill_result)7;
	assert_int_equal(catalog_drill_list(cat, &f, 0, &v, &n), RP_EINVAL);
	catalog_close(cat);
}

/* ---- Checks ----------------------------------------------------------- */

static void test_catalog__checks(void **state)
{
	struct catalog *cat = mem_open();
	const struct catalog_finding f[3] = {
		{ "RPO-MEASURED", CATALOG_SEV_CRITICAL, "payroll",
		  "The newest good snapshot is 3 days old; the RPO is 24 h.",
		  "Run the backup and look at its log." },
		{ "DRILL-STALE", CATALOG_SEV_WARNING, "payroll",
		  "No passing drill in 30 days.", NULL },
		{ "COPIES-321", CATALOG_SEV_INFO, "plan", "Two copies.", "" },
	};
	struct catalog_finding bad = f[0];
	struct catalog_check c;
	int64_t id1, id2;

	(void)state;
	assert_int_equal(catalog_check_latest(cat, &c), RP_ENOTFOUND);
	assert_int_equal(catalog_check_add(cat, T0, f, 3, &id1), 0);
	assert_int_equal(catalog_check_get(cat, id1, &c), 0);
	assert_int_equal(c.id, id1);
	assert_int_equal(c.at, T0);
	assert_int_equal(c.n, 3);
	assert_int_equal(c.count[CATALOG_SEV_CRITICAL], 1);
	assert_int_equal(c.count[CATALOG_SEV_WARNING], 1);
	assert_int_equal(c.count[CATALOG_SEV_INFO], 1);
	for (size_t i = 0; i < 3; i++) {
		assert_string_equal(c.findings[i].code, f[i].code);
		assert_int_equal(c.findings[i].severity, f[i].severity);
		assert_string_equal(c.findings[i].subject, f[i].subject);
		assert_string_equal(c.findings[i].message, f[i].message);
	}
	assert_string_equal(c.findings[0].fix, f[0].fix);
	assert_null(c.findings[1].fix);
	catalog_check_release(&c);

	assert_int_equal(catalog_check_add(cat, T0 + 3600, NULL, 0, &id2), 0);
	assert_int_equal(catalog_check_latest(cat, &c), 0);
	assert_int_equal(c.id, id2);
	assert_int_equal(c.n, 0);
	assert_null(c.findings);
	catalog_check_release(&c);

	/* a bad finding: nothing at all is written */
	bad.message = NULL;
	assert_int_equal(catalog_check_add(cat, T0 + 7200, &bad, 1, NULL),
			 RP_EINVAL);
	bad.message = "m";
	bad.severity = (enum catalog_severity)9;
	assert_int_equal(catalog_check_add(cat, T0 + 7200, &bad, 1, NULL),
			 RP_EINVAL);
	assert_int_equal(catalog_check_latest(cat, &c), 0);
	assert_int_equal(c.id, id2);
	catalog_check_release(&c);
	assert_int_equal(catalog_check_get(cat, id2 + 1, &c), RP_ENOTFOUND);
	catalog_close(cat);
}

/* ---- Samples ---------------------------------------------------------- */

static void test_catalog__samples(void **state)
{
	struct catalog *cat = mem_open();
	struct catalog_sample *v;
	size_t n;
	int64_t count;

	(void)state;
	assert_int_equal(catalog_sample_add(cat, "temp", "chip=\"a\"", T0,
					    40.5), 0);
	assert_int_equal(catalog_sample_add(cat, "temp", "chip=\"a\"", T0 + 10,
					    41), 0);
	assert_int_equal(catalog_sample_add(cat, "temp", "chip=\"b\"", T0, 30),
			 0);
	assert_int_equal(catalog_sample_add(cat, "load", NULL, T0, 0.25), 0);
	/* the same instant again: the value is replaced */
	assert_int_equal(catalog_sample_add(cat, "temp", "chip=\"a\"", T0 + 10,
					    42), 0);
	assert_int_equal(catalog_sample_add(cat, "temp", "", T0, NAN),
			 RP_EINVAL);
	assert_int_equal(catalog_sample_add(cat, "temp", "", -1, 1),
			 RP_EINVAL);
	assert_int_equal(catalog_sample_add(cat, NULL, "", T0, 1), RP_EINVAL);

	assert_int_equal(catalog_samples_range(cat, "temp", "chip=\"a\"", T0,
					       T0 + 100, &v, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(v[0].t, T0);
	assert_int_equal(v[0].step, 0);
	assert_true(v[0].value == 40.5 && v[0].lo == 40.5 && v[0].hi == 40.5);
	assert_int_equal(v[0].n, 1);
	assert_true(v[1].value == 42);
	free(v);
	assert_int_equal(catalog_samples_range(cat, "temp", "chip=\"a\"",
					       T0 + 1, T0 + 10, &v, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(catalog_samples_range(cat, "load", "", 0, INT64_MAX,
					       &v, &n), 0);
	assert_int_equal(n, 1);
	assert_true(v[0].value == 0.25);
	free(v);
	assert_int_equal(catalog_samples_range(cat, "none", "", 0, INT64_MAX,
					       &v, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(catalog_sample_count(cat, -1, &count), 0);
	assert_int_equal(count, 4);
	catalog_close(cat);
}

/* Small, exact: 10-second samples folded into 60 s then 600 s buckets. */
static void test_catalog__downsample_exact(void **state)
{
	struct catalog *cat = mem_open();
	struct catalog_retention p = { 3, { { 0, 600 }, { 60, 3600 },
					    { 600, 7200 } } };
	struct catalog_retention bad;
	struct catalog_sample *v;
	const int64_t b = T0 - T0 % 3600;
	size_t n;
	int64_t count;

	(void)state;
	/* 2 hours of samples: value = the index within each minute */
	for (int64_t t = 0; t < 7200; t += 10)
		assert_int_equal(catalog_sample_add(cat, "m", "", b + t,
						    (double)(t % 60) / 10), 0);
	assert_int_equal(catalog_downsample(cat, b + 7200, &p), 0);
	/* raw: the last 10 min; minutes: 10 min to 1 h old; tens of
	 * minutes: older */
	assert_int_equal(catalog_sample_count(cat, 0, &count), 0);
	assert_int_equal(count, 60);
	assert_int_equal(catalog_sample_count(cat, 60, &count), 0);
	assert_int_equal(count, 50);
	assert_int_equal(catalog_sample_count(cat, 600, &count), 0);
	assert_int_equal(count, 6);
	assert_int_equal(catalog_samples_range(cat, "m", "", 0, INT64_MAX, &v,
					       &n), 0);
	assert_int_equal(n, 116);
	assert_int_equal(v[0].t, b);
	assert_int_equal(v[0].step, 600);
	assert_int_equal(v[0].n, 60);
	assert_true(fabs(v[0].value - 2.5) < 1e-9);
	assert_true(v[0].lo == 0 && v[0].hi == 5);
	assert_int_equal(v[6].step, 60);
	assert_int_equal(v[6].n, 6);
	assert_int_equal(v[115].step, 0);
	free(v);

	/* a late sample into an hour already folded merges */
	assert_int_equal(catalog_sample_add(cat, "m", "", b + 5, 100), 0);
	assert_int_equal(catalog_downsample(cat, b + 7200, &p), 0);
	assert_int_equal(catalog_samples_range(cat, "m", "", 0, b + 1, &v,
					       &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(v[0].n, 61);
	assert_true(v[0].hi == 100);
	assert_true(fabs(v[0].value - (2.5 * 60 + 100) / 61) < 1e-9);
	free(v);

	/* much later: everything ages out */
	assert_int_equal(catalog_downsample(cat, b + 86400, &p), 0);
	assert_int_equal(catalog_sample_count(cat, -1, &count), 0);
	assert_int_equal(count, 0);

	bad = p;
	bad.tier[0].step = 10;
	assert_int_equal(catalog_downsample(cat, b, &bad), RP_EINVAL);
	bad = p;
	bad.tier[2].step = 90;
	assert_int_equal(catalog_downsample(cat, b, &bad), RP_EINVAL);
	bad = p;
	bad.tier[2].keep = 600;
	assert_int_equal(catalog_downsample(cat, b, &bad), RP_EINVAL);
	bad.n = 0;
	assert_int_equal(catalog_downsample(cat, b, &bad), RP_EINVAL);
	catalog_close(cat);
}

#define YEAR_METRICS 20
#define DAY 86400

/* year_interval: how often the year test samples on a day `age` days
 * before the end.  A year of 10-second samples for 20 metrics is 63
 * million samples, more than a unit test can write through SQLite (about
 * two minutes), so unless REPRISE_SLOW_TESTS is set the test samples
 * every 10 s only over the newest 3 days (what stays raw, and a day that
 * is folded into 5-minute buckets), every 5 min up to 30 days and hourly
 * before.  Every bucket of every tier still receives samples, so the rows
 * left are exactly those a year of 10-second samples leaves; only the
 * counts n behind the older buckets differ. */
static int64_t year_interval(int64_t age, int full)
{
	if (full || age < 3)
		return 10;
	return age < 30 ? 300 : 3600;
}

static void year_day(struct catalog *cat, int64_t day, int64_t step,
		     char metric[][32], int64_t *written)
{
	assert_int_equal(catalog_begin(cat), 0);
	for (int64_t t = day; t < day + DAY; t += step) {
		for (int m = 0; m < YEAR_METRICS; m++)
			assert_int_equal(catalog_sample_add(
				cat, metric[m], "host=\"srv1\"", t,
				m + (double)(t % 3600) / 3600), 0);
		(*written)++;
	}
	assert_int_equal(catalog_commit(cat), 0);
}

/* year_check_folded: a 5-minute bucket made from 10-second samples. */
static void year_check_folded(const struct catalog_sample *v, size_t n,
			      int64_t from, int m)
{
	for (size_t i = 0; i < n; i++) {
		double base = m + (double)(v[i].t % 3600) / 3600;

		if (v[i].t < from || v[i].step != 300)
			continue;
		assert_int_equal(v[i].n, 30);
		assert_true(fabs(v[i].lo - base) < 1e-9);
		assert_true(fabs(v[i].hi - (base + 290.0 / 3600)) < 1e-9);
		assert_true(fabs(v[i].value - (base + 145.0 / 3600)) < 1e-9);
		return;
	}
	fail_msg("no 5-minute bucket after %lld", (long long)from);
}

/* A year of samples for 20 metrics, written as the daemon would (a
 * transaction per day, downsampling once a day), stays small. */
static void test_catalog__downsample_year(void **state)
{
	struct catalog *cat = mem_open();
	const struct catalog_retention p = CATALOG_RETENTION_DEFAULT;
	const int64_t start = T0 - T0 % DAY, end = start + 365 * DAY;
	const int full = getenv("REPRISE_SLOW_TESTS") != NULL;
	char metric[YEAR_METRICS][32];
	struct catalog_sample *v;
	size_t n;
	int64_t raw, m5, h1, all, written = 0, total = 0;

	(void)state;
	for (int m = 0; m < YEAR_METRICS; m++)
		snprintf(metric[m], sizeof(metric[m]), "metric_%d", m);
	for (int64_t day = start; day < end; day += DAY) {
		year_day(cat, day, year_interval((end - day) / DAY - 1, full),
			 metric, &written);
		assert_int_equal(catalog_downsample(cat, day + DAY, &p), 0);
	}
	assert_int_equal(catalog_sample_count(cat, 0, &raw), 0);
	assert_int_equal(catalog_sample_count(cat, 300, &m5), 0);
	assert_int_equal(catalog_sample_count(cat, 3600, &h1), 0);
	assert_int_equal(catalog_sample_count(cat, -1, &all), 0);
	print_message("a year for %d metrics: %lld raw + %lld 5-minute + "
		      "%lld hourly rows (a year of 10-second samples is "
		      "%lld)\n", YEAR_METRICS, (long long)raw, (long long)m5,
		      (long long)h1, (long long)365 * 8640 * YEAR_METRICS);
	assert_int_equal(raw, 2 * 8640 * YEAR_METRICS);
	assert_int_equal(m5, 28 * 288 * YEAR_METRICS);
	assert_int_equal(h1, 335 * 24 * YEAR_METRICS);
	assert_int_equal(all, raw + m5 + h1);
	assert_true(all * 90 < (int64_t)365 * 8640 * YEAR_METRICS);

	/* nothing lost: every sample is counted once, across tiers */
	assert_int_equal(catalog_samples_range(cat, "metric_7", "host=\"srv1\"",
					       0, INT64_MAX, &v, &n), 0);
	assert_int_equal(n, 2 * 8640 + 28 * 288 + 335 * 24);
	for (size_t i = 0; i < n; i++)
		total += v[i].n;
	assert_int_equal(total, written);
	assert_int_equal(v[0].step, 3600);
	assert_int_equal(v[0].t, start);
	assert_true(v[0].lo == 7);
	if (full) {
		assert_int_equal(v[0].n, 360);
		assert_true(fabs(v[0].hi - (7 + 3590.0 / 3600)) < 1e-9);
	}
	year_check_folded(v, n, end - 3 * DAY, 7);
	assert_int_equal(v[n - 1].step, 0);
	assert_int_equal(v[n - 1].t, end - 10);
	free(v);

	/* ten days later, ten days of hourly buckets have aged out */
	assert_int_equal(catalog_downsample(cat, end + 10 * DAY, &p), 0);
	assert_int_equal(catalog_sample_count(cat, 0, &raw), 0);
	assert_int_equal(catalog_sample_count(cat, 300, &m5), 0);
	assert_int_equal(catalog_sample_count(cat, 3600, &h1), 0);
	assert_int_equal(raw, 0);
	assert_int_equal(m5, 20 * 288 * YEAR_METRICS);
	assert_int_equal(h1, 335 * 24 * YEAR_METRICS);
	catalog_close(cat);
}

/* ---- Alerts, notifications, pings ------------------------------------- */

static void event_kinds_are(struct catalog *cat, int64_t id,
			    const enum catalog_alert_event_kind *want,
			    size_t nwant)
{
	struct catalog_alert_event *e;
	size_t n;

	assert_int_equal(catalog_alert_events(cat, id, &e, &n), 0);
	assert_int_equal(n, nwant);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(e[i].kind, want[i]);
		assert_int_equal(e[i].alert, id);
	}
	catalog_alert_event_list_free(e, n);
}

static void test_catalog__alerts(void **state)
{
	struct catalog *cat = mem_open();
	struct catalog_alert a = { .rule = "cpu-temp", .subject = "srv1",
				   .message = "CPU at 71 C, rising",
				   .state = CATALOG_ALERT_PENDING,
				   .started = T0 };
	struct catalog_alert got, *v;
	struct catalog_alert_event *e;
	const enum catalog_alert_event_kind want[] = {
		CATALOG_AEV_PENDING, CATALOG_AEV_FIRING, CATALOG_AEV_ACK,
		CATALOG_AEV_ESCALATE, CATALOG_AEV_RESOLVED,
	};
	int64_t id, id2;
	size_t n;

	(void)state;
	assert_int_equal(catalog_alert_open(cat, &a, &id), 0);
	log_set_sink(log_keep, NULL);
	assert_int_equal(catalog_alert_open(cat, &a, NULL), RP_EEXIST);
	log_set_sink(NULL, NULL);
	assert_int_equal(catalog_alert_find(cat, "cpu-temp", "srv1", &got), 0);
	assert_int_equal(got.id, id);
	assert_int_equal(got.state, CATALOG_ALERT_PENDING);
	assert_int_equal(got.since, T0);
	assert_int_equal(got.last_notified, 0);
	assert_null(got.acked_by);
	catalog_alert_release(&got);

	assert_int_equal(catalog_alert_set_state(cat, id, CATALOG_ALERT_FIRING,
						 T0 + 60, "CPU at 80 C"), 0);
	assert_int_equal(catalog_alert_set_state(cat, id,
						 CATALOG_ALERT_PENDING,
						 T0 + 70, NULL), RP_EINVAL);
	assert_int_equal(catalog_alert_ack(cat, id, "marie", T0 + 120,
					   "on my way"), 0);
	assert_int_equal(catalog_alert_escalate(cat, id, 1, T0 + 180), 0);
	assert_int_equal(catalog_alert_escalate(cat, id, 1, T0 + 190),
			 RP_EINVAL);
	assert_int_equal(catalog_alert_get(cat, id, &got), 0);
	assert_int_equal(got.state, CATALOG_ALERT_FIRING);
	assert_int_equal(got.since, T0 + 60);
	assert_int_equal(got.started, T0);
	assert_string_equal(got.message, "CPU at 80 C");
	assert_string_equal(got.acked_by, "marie");
	assert_int_equal(got.acked_at, T0 + 120);
	assert_int_equal(got.level, 1);
	catalog_alert_release(&got);

	assert_int_equal(catalog_alert_set_state(cat, id,
						 CATALOG_ALERT_RESOLVED,
						 T0 + 600, NULL), 0);
	assert_int_equal(catalog_alert_set_state(cat, id, CATALOG_ALERT_FIRING,
						 T0 + 700, NULL), RP_EINVAL);
	assert_int_equal(catalog_alert_escalate(cat, id, 2, T0 + 700),
			 RP_EINVAL);
	assert_int_equal(catalog_alert_set_state(cat, id + 9,
						 CATALOG_ALERT_FIRING, T0,
						 NULL), RP_ENOTFOUND);
	assert_int_equal(catalog_alert_ack(cat, id + 9, "x", T0, NULL),
			 RP_ENOTFOUND);
	event_kinds_are(cat, id, want, 5);
	assert_int_equal(catalog_alert_events(cat, id, &e, &n), 0);
	assert_string_equal(e[2].actor, "marie");
	assert_string_equal(e[2].note, "on my way");
	assert_int_equal(e[3].level, 1);
	assert_int_equal(e[4].t, T0 + 600);
	catalog_alert_event_list_free(e, n);
	assert_int_equal(catalog_alert_find(cat, "cpu-temp", "srv1", &got),
			 RP_ENOTFOUND);

	/* the next episode is a new alert, straight to firing */
	a.state = CATALOG_ALERT_FIRING;
	a.started = T0 + 5000;
	assert_int_equal(catalog_alert_open(cat, &a, &id2), 0);
	assert_true(id2 != id);
	a.state = CATALOG_ALERT_RESOLVED;
	assert_int_equal(catalog_alert_open(cat, &a, NULL), RP_EINVAL);
	assert_int_equal(catalog_alert_list(cat, 0, 0, &v, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(v[0].id, id2);
	catalog_alert_list_free(v, n);
	assert_int_equal(catalog_alert_list(cat, 1u << CATALOG_ALERT_RESOLVED,
					    0, &v, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(v[0].id, id);
	catalog_alert_list_free(v, n);
	catalog_close(cat);
}

static void test_catalog__notifications(void **state)
{
	struct catalog *cat = mem_open();
	struct catalog_alert a = { .rule = "disk", .subject = "sda",
				   .state = CATALOG_ALERT_FIRING,
				   .started = T0 };
	struct catalog_notification nt = { .t = T0 + 10, .channel = "smtp",
					   .recipient = "it@example.com",
					   .subject = "[reprise] disk",
					   .status = CATALOG_NOTIFY_SENT };
	struct catalog_notification *v;
	struct catalog_alert got;
	int64_t aid, nid;
	size_t n;

	(void)state;
	assert_int_equal(catalog_alert_open(cat, &a, &aid), 0);
	nt.alert = aid;
	assert_int_equal(catalog_notification_add(cat, &nt, &nid), 0);
	nt.t = T0 + 20;
	nt.status = CATALOG_NOTIFY_FAILED;
	nt.channel = "webhook";
	nt.recipient = "ntfy";
	nt.error = "connection refused";
	assert_int_equal(catalog_notification_add(cat, &nt, NULL), 0);
	assert_int_equal(catalog_alert_get(cat, aid, &got), 0);
	assert_int_equal(got.last_notified, T0 + 10);  /* the failure: not */
	catalog_alert_release(&got);

	nt.alert = 0;
	nt.t = T0 + 30;
	assert_int_equal(catalog_notification_add(cat, &nt, NULL), 0);
	assert_int_equal(catalog_notification_list(cat, aid, 0, &v, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(v[1].id, nid);
	assert_string_equal(v[1].recipient, "it@example.com");
	assert_int_equal(v[1].status, CATALOG_NOTIFY_SENT);
	assert_null(v[1].error);
	assert_string_equal(v[0].error, "connection refused");
	assert_int_equal(v[0].status, CATALOG_NOTIFY_FAILED);
	catalog_notification_list_free(v, n);
	assert_int_equal(catalog_notification_list(cat, 0, 0, &v, &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(v[0].alert, 0);
	catalog_notification_list_free(v, n);

	nt.alert = aid + 50;    /* no such alert */
	log_set_sink(log_keep, NULL);
	assert_int_equal(catalog_notification_add(cat, &nt, NULL), RP_EINVAL);
	log_set_sink(NULL, NULL);
	nt.alert = 0;
	nt.recipient = NULL;
	assert_int_equal(catalog_notification_add(cat, &nt, NULL), RP_EINVAL);
	catalog_close(cat);
}

static void test_catalog__pings(void **state)
{
	struct catalog *cat = mem_open();
	static const char uuid[] = "5bf66975-d4c7-4bf5-bcc8-b8d8a82ea278";
	struct catalog_ping p = { .check = uuid, .t = T0,
				  .kind = CATALOG_PING_START,
				  .source = "192.0.2.7" };
	struct catalog_ping got, *v;
	size_t n;

	(void)state;
	assert_int_equal(catalog_ping_add(cat, &p, NULL), 0);
	p.t = T0 + 50;
	p.kind = CATALOG_PING_SUCCESS;
	assert_int_equal(catalog_ping_add(cat, &p, NULL), 0);
	p.t = T0 + 100;
	p.kind = CATALOG_PING_EXIT;
	p.exit_code = 3;
	p.body = "borg: 2 files changed while read";
	assert_int_equal(catalog_ping_add(cat, &p, NULL), 0);
	p.exit_code = 256;
	assert_int_equal(catalog_ping_add(cat, &p, NULL), RP_EINVAL);
	p.kind = (enum catalog_ping_kind)0;
	assert_int_equal(catalog_ping_add(cat, &p, NULL), RP_EINVAL);
	p = (struct catalog_ping){ .check = "other", .t = T0 + 200,
				   .kind = CATALOG_PING_FAIL };
	assert_int_equal(catalog_ping_add(cat, &p, NULL), 0);

	assert_int_equal(catalog_ping_newest(cat, uuid, 0, &got), 0);
	assert_int_equal(got.kind, CATALOG_PING_EXIT);
	assert_int_equal(got.exit_code, 3);
	assert_string_equal(got.body, "borg: 2 files changed while read");
	assert_string_equal(got.source, "192.0.2.7");
	catalog_ping_release(&got);
	assert_int_equal(catalog_ping_newest(cat, uuid,
					     1u << CATALOG_PING_SUCCESS, &got),
			 0);
	assert_int_equal(got.t, T0 + 50);
	assert_null(got.body);
	catalog_ping_release(&got);
	assert_int_equal(catalog_ping_newest(cat, uuid,
					     1u << CATALOG_PING_FAIL, &got),
			 RP_ENOTFOUND);
	assert_int_equal(catalog_ping_list(cat, uuid, 0, &v, &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(v[2].kind, CATALOG_PING_START);
	catalog_ping_list_free(v, n);
	assert_int_equal(catalog_ping_list(cat, NULL, 2, &v, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(v[0].check, "other");
	catalog_ping_list_free(v, n);
	catalog_close(cat);
}

/* ---- Transactions ----------------------------------------------------- */

static void assert_empty(struct catalog *cat)
{
	struct catalog_run *runs;
	struct catalog_drill *drills;
	struct catalog_alert *alerts;
	struct catalog_check c;
	size_t n;
	int64_t count;

	assert_int_equal(catalog_run_list(cat, NULL, 0, &runs, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(catalog_drill_list(cat, NULL, 0, &drills, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(catalog_alert_list(cat, 0, 0, &alerts, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(catalog_check_latest(cat, &c), RP_ENOTFOUND);
	assert_int_equal(catalog_sample_count(cat, -1, &count), 0);
	assert_int_equal(count, 0);
}

static void test_catalog__rollback(void **state)
{
	struct catalog *cat = mem_open();
	const struct catalog_finding f = { "X", CATALOG_SEV_INFO, "s", "m",
					   NULL };
	struct catalog_alert a = { .rule = "r", .subject = "s",
				   .state = CATALOG_ALERT_PENDING,
				   .started = T0 };
	struct catalog_sample *v;
	size_t n;
	int64_t count;

	(void)state;
	assert_int_equal(catalog_begin(cat), 0);
	run_add(cat, "db", T0, CATALOG_RUN_OK);
	drill_add(cat, "db", T0, CATALOG_DRILL_PASS);
	assert_int_equal(catalog_check_add(cat, T0, &f, 1, NULL), 0);
	assert_int_equal(catalog_alert_open(cat, &a, NULL), 0);
	assert_int_equal(catalog_sample_add(cat, "new", "", T0, 1), 0);
	/* a failing call inside the transaction undoes only itself */
	log_set_sink(log_keep, NULL);
	assert_int_equal(catalog_alert_open(cat, &a, NULL), RP_EEXIST);
	log_set_sink(NULL, NULL);
	assert_int_equal(catalog_rollback(cat), 0);
	assert_empty(cat);

	/* the series made in the rolled-back transaction is made again */
	assert_int_equal(catalog_sample_add(cat, "new", "", T0, 2), 0);
	assert_int_equal(catalog_samples_range(cat, "new", "", 0, INT64_MAX,
					       &v, &n), 0);
	assert_int_equal(n, 1);
	assert_true(v[0].value == 2);
	free(v);

	/* committed batches stay */
	assert_int_equal(catalog_begin(cat), 0);
	for (int i = 0; i < 1000; i++)
		assert_int_equal(catalog_sample_add(cat, "batch", "", T0 + i,
						    i), 0);
	assert_int_equal(catalog_commit(cat), 0);
	assert_int_equal(catalog_sample_count(cat, 0, &count), 0);
	assert_int_equal(count, 1001);
	assert_int_equal(catalog_rollback(cat), 0);  /* none open: harmless */
	catalog_close(cat);
}

static void test_catalog__transaction_misuse(void **state)
{
	struct catalog *cat = mem_open();
	int line;

	(void)state;
	log_set_sink(log_keep, NULL);
	assert_int_equal(catalog_commit(cat), RP_EINTERNAL);
	line = __LINE__ + 1;
	assert_int_equal(catalog_begin(cat), 0);
	assert_int_equal(catalog_begin(cat), RP_EINTERNAL);
	{
		char want[64];

		snprintf(want, sizeof(want), "test_catalog.c:%d", line);
		assert_non_null(strstr(last_log, want));
	}
	run_add(cat, "db", T0, CATALOG_RUN_OK);
	assert_int_equal(catalog_commit(cat), 0);
	log_set_sink(NULL, NULL);
	catalog_close(cat);
}

/* ---- Files ------------------------------------------------------------ */

static void test_catalog__file_wal(void **state)
{
	struct tmp *t = *state;
	struct catalog *cat;
	struct catalog_run *v;
	size_t n;
	int v2 = 0;

	assert_int_equal(catalog_open(t->path, &cat), 0);
	run_add(cat, "db", T0, CATALOG_RUN_OK);
	drill_add(cat, "db", T0, CATALOG_DRILL_PASS);
	assert_int_equal(catalog_sample_add(cat, "temp", "", T0, 50), 0);
	catalog_close(cat);

	{
		sqlite3 *db;
		sqlite3_stmt *st;

		assert_int_equal(sqlite3_open(t->path, &db), SQLITE_OK);
		assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA journal_mode",
						    -1, &st, NULL), SQLITE_OK);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		assert_string_equal((const char *)sqlite3_column_text(st, 0),
				    "wal");
		sqlite3_finalize(st);
		sqlite3_close(db);
	}
	assert_int_equal(sql_int(t->path, "PRAGMA application_id"),
			 CATALOG_APP_ID);
	assert_int_equal(sql_int(t->path, "PRAGMA user_version"),
			 CATALOG_VERSION);

	assert_int_equal(catalog_open(t->path, &cat), 0);
	assert_int_equal(catalog_version(cat, &v2), 0);
	assert_int_equal(v2, CATALOG_VERSION);
	assert_int_equal(catalog_run_list(cat, NULL, 0, &v, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].snapshot, SNAP_A);
	catalog_run_list_free(v, n);
	catalog_close(cat);
}

static void test_catalog__migrate_from_v0(void **state)
{
	struct tmp *t = *state;
	struct catalog *cat;
	int v = -1;
	int fd;

	/* a zero-byte file */
	fd = open(t->path, O_CREAT | O_WRONLY | O_TRUNC, 0600);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(catalog_open(t->path, &cat), 0);
	assert_int_equal(catalog_version(cat, &v), 0);
	assert_int_equal(v, CATALOG_VERSION);
	catalog_close(cat);
	tmp_teardown(state);
	assert_int_equal(tmp_setup(state), 0);
	t = *state;

	/* an SQLite database with a header and nothing in it */
	sql_exec(t->path, "CREATE TABLE x (a); DROP TABLE x;");
	assert_int_equal(sql_int(t->path, "PRAGMA user_version"), 0);
	assert_int_equal(catalog_open(t->path, &cat), 0);
	run_add(cat, "db", T0, CATALOG_RUN_OK);
	catalog_close(cat);
	assert_int_equal(sql_int(t->path, "PRAGMA user_version"),
			 CATALOG_VERSION);
	assert_int_equal(sql_int(t->path, "PRAGMA application_id"),
			 CATALOG_APP_ID);
	assert_int_equal(sql_int(t->path, "SELECT count(*) FROM run"), 1);
}

static void test_catalog__migrate_from_v1(void **state)
{
	struct tmp *t = *state;
	struct catalog *cat;
	struct catalog_run r;
	struct catalog_alert a = { .rule = "r", .subject = "s",
				   .state = CATALOG_ALERT_FIRING,
				   .started = T0 };
	int64_t run_id;
	int v = -1;

	assert_int_equal(catalog_open_to(t->path, 1, &cat), 0);
	assert_int_equal(catalog_version(cat, &v), 0);
	assert_int_equal(v, 1);
	run_id = run_add(cat, "db", T0, CATALOG_RUN_OK);
	drill_add(cat, "db", T0, CATALOG_DRILL_PASS);
	catalog_close(cat);
	assert_int_equal(sql_int(t->path, "SELECT count(*) FROM sqlite_schema"
					  " WHERE name = 'alert'"), 0);

	assert_int_equal(catalog_open(t->path, &cat), 0);
	assert_int_equal(catalog_version(cat, &v), 0);
	assert_int_equal(v, 2);
	assert_int_equal(catalog_run_get(cat, run_id, &r), 0);
	assert_string_equal(r.job, "db");
	catalog_run_release(&r);
	assert_int_equal(catalog_alert_open(cat, &a, NULL), 0);
	assert_int_equal(catalog_sample_add(cat, "m", "", T0, 1), 0);
	catalog_close(cat);
	assert_int_equal(sql_int(t->path, "PRAGMA user_version"), 2);

	/* asking for an older version does not downgrade */
	assert_int_equal(catalog_open_to(t->path, 1, &cat), 0);
	assert_int_equal(catalog_version(cat, &v), 0);
	assert_int_equal(v, 2);
	catalog_close(cat);
}

/* refused: path is unchanged, byte for byte, and no handle comes back */
static void assert_refused(const char *path)
{
	struct buf before = BUF_INIT, after = BUF_INIT;
	struct catalog *cat = (struct catalog *)&before;

	file_bytes(path, &before);
	assert_int_equal(catalog_open(path, &cat), RP_EFORMAT);
	assert_null(cat);
	file_bytes(path, &after);
	assert_int_equal(before.len, after.len);
	assert_memory_equal(before.p, after.p, before.len);
	buf_release(&before);
	buf_release(&after);
}

static void test_catalog__refuse_foreign(void **state)
{
	struct tmp *t = *state;
	static const char text[] = "this is not a database, just text\n";

	log_set_sink(log_keep, NULL);
	sql_exec(t->path, "PRAGMA application_id = 305419896;"
			  "CREATE TABLE notes (body TEXT);"
			  "INSERT INTO notes VALUES ('keep me');");
	assert_refused(t->path);
	assert_non_null(strstr(last_log, "not a reprise catalog"));
	tmp_teardown(state);
	assert_int_equal(tmp_setup(state), 0);
	t = *state;

	/* no application_id, but tables of somebody else */
	sql_exec(t->path, "CREATE TABLE notes (body TEXT);");
	assert_refused(t->path);
	tmp_teardown(state);
	assert_int_equal(tmp_setup(state), 0);
	t = *state;

	assert_int_equal(fsx_write_atomic(t->path, text, sizeof(text) - 1,
					  0600, FSX_NOSYNC), 0);
	assert_refused(t->path);
	log_set_sink(NULL, NULL);
}

static void test_catalog__refuse_newer(void **state)
{
	struct tmp *t = *state;
	struct catalog *cat;

	assert_int_equal(catalog_open(t->path, &cat), 0);
	run_add(cat, "db", T0, CATALOG_RUN_OK);
	catalog_close(cat);
	sql_exec(t->path, "PRAGMA user_version = 99");
	log_set_sink(log_keep, NULL);
	assert_refused(t->path);
	assert_non_null(strstr(last_log, "newer"));
	log_set_sink(NULL, NULL);
	assert_int_equal(sql_int(t->path, "PRAGMA user_version"), 99);
}

struct committer {
	struct catalog *cat;
	int rc;
};

static void *commit_later(void *arg)
{
	struct committer *c = arg;
	struct timespec ts = { 0, 200 * 1000 * 1000 };

	nanosleep(&ts, NULL);
	c->rc = catalog_commit(c->cat);
	return NULL;
}

static void test_catalog__two_handles(void **state)
{
	struct tmp *t = *state;
	struct catalog *a, *b;
	struct catalog_run r = { .job = "b", .repo = "/r", .started = T0 };
	struct catalog_run *v;
	struct committer c;
	pthread_t th;
	size_t n;
	int64_t t0, id;

	assert_int_equal(catalog_open(t->path, &a), 0);
	assert_int_equal(catalog_open(t->path, &b), 0);
	assert_int_equal(catalog_begin(a), 0);
	run_add(a, "a", T0, CATALOG_RUN_OK);

	/* b reads the committed state while a writes (WAL) */
	assert_int_equal(catalog_run_list(b, NULL, 0, &v, &n), 0);
	assert_int_equal(n, 0);

	/* b's write waits for the busy timeout, then gives up */
	log_set_sink(log_keep, NULL);
	catalog_set_busy_timeout(b, 100);
	t0 = now_ms();
	assert_int_equal(catalog_run_begin(b, &r, &id), RP_ELOCKED);
	assert_true(now_ms() - t0 >= 80);
	log_set_sink(NULL, NULL);

	/* with a longer timeout it waits until a commits */
	catalog_set_busy_timeout(b, 5000);
	c.cat = a;
	c.rc = -100;
	assert_int_equal(pthread_create(&th, NULL, commit_later, &c), 0);
	t0 = now_ms();
	assert_int_equal(catalog_run_begin(b, &r, &id), 0);
	assert_true(now_ms() - t0 >= 100);
	assert_int_equal(pthread_join(th, NULL), 0);
	assert_int_equal(c.rc, 0);
	assert_int_equal(catalog_run_list(b, NULL, 0, &v, &n), 0);
	assert_int_equal(n, 2);
	catalog_run_list_free(v, n);
	assert_int_equal(catalog_run_list(a, NULL, 0, &v, &n), 0);
	assert_int_equal(n, 2);
	catalog_run_list_free(v, n);
	catalog_close(a);
	catalog_close(b);
}

static void test_catalog__close_rolls_back(void **state)
{
	struct tmp *t = *state;
	struct catalog *cat;

	assert_int_equal(catalog_open(t->path, &cat), 0);
	assert_int_equal(catalog_begin(cat), 0);
	run_add(cat, "db", T0, CATALOG_RUN_OK);
	log_set_sink(log_keep, NULL);
	catalog_close(cat);
	log_set_sink(NULL, NULL);
	assert_non_null(strstr(last_log, "test_catalog.c"));
	assert_int_equal(catalog_open(t->path, &cat), 0);
	assert_empty(cat);
	catalog_close(cat);
}

#define TMP_TEST(f) cmocka_unit_test_setup_teardown(f, tmp_setup, tmp_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_catalog__open_memory),
		cmocka_unit_test(test_catalog__run_roundtrip),
		cmocka_unit_test(test_catalog__run_queries),
		cmocka_unit_test(test_catalog__snapshots),
		cmocka_unit_test(test_catalog__drill_roundtrip),
		cmocka_unit_test(test_catalog__drill_newest),
		cmocka_unit_test(test_catalog__checks),
		cmocka_unit_test(test_catalog__samples),
		cmocka_unit_test(test_catalog__downsample_exact),
		cmocka_unit_test(test_catalog__downsample_year),
		cmocka_unit_test(test_catalog__alerts),
		cmocka_unit_test(test_catalog__notifications),
		cmocka_unit_test(test_catalog__pings),
		cmocka_unit_test(test_catalog__rollback),
		cmocka_unit_test(test_catalog__transaction_misuse),
		TMP_TEST(test_catalog__file_wal),
		TMP_TEST(test_catalog__migrate_from_v0),
		TMP_TEST(test_catalog__migrate_from_v1),
		TMP_TEST(test_catalog__refuse_foreign),
		TMP_TEST(test_catalog__refuse_newer),
		TMP_TEST(test_catalog__two_handles),
		TMP_TEST(test_catalog__close_rolls_back),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
