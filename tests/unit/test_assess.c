/*
 * test_assess: the findings of `reprise check` (src/assess/).
 *
 * Plans are written in YAML, as users write them, and loaded with
 * plan_load_mem.  A small sound plan (BASE, below) with fresh facts gives
 * no finding at all; each test replaces one section of it (or one fact)
 * and shows that its rule fires, and a near miss that it does not.  The
 * last tests are the case of DESIGN.md: examples/plan-before-crisis.yaml
 * (the firm of the seed before its crisis) must give a critical finding
 * for each cause of the crisis, examples/plan.yaml (the plan written
 * after) with fresh facts none.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "assess/assess.h"
#include "plan/plan.h"
#include "util/buf.h"
#include "util/err.h"

#define MIN ((int64_t)60)
#define HOUR ((int64_t)3600)
#define DAY ((int64_t)86400)

/* ---- the sound plan, by section ---- */

struct section {
	const char *name, *text;
};

static const struct section base[] = {
	{ "head", "version: 1\nlanguage: en\ncompany:\n  name: Test SARL\n" },
	{ "review", "review:\n  last: 2026-10-01\n  signed_by: dir\n" },
	{ "exercise", "exercise:\n  last: 2026-09-01\n" },
	{ "people",
	  "people:\n"
	  "  - id: dir\n    name: Dora Director\n    roles: [director]\n"
	  "    email: dora@example.com\n"
	  "  - id: ref\n    name: Remy Referent\n    roles: [it_referent]\n"
	  "    phone: \"+33 6 00 00 00 01\"\n"
	  "  - id: dep\n    name: Dana Deputy\n    roles: [it_deputy]\n"
	  "    email: dana@example.com\n" },
	{ "providers",
	  "providers:\n"
	  "  - name: host-co\n    contract:\n      end: 2027-06-30\n"
	  "      notice: 90d\n      renewal: automatic\n"
	  "      support_hours: 24x7\n"
	  "      restore_time: 4h\n      provisioning: 2h\n"
	  "      continuity_clause: yes\n      reversibility: yes\n"
	  "  - name: store-co\n    contract:\n      restore_time: none\n" },
	{ "hosts",
	  "hosts:\n"
	  "  - name: srv\n    provider: host-co\n    monitoring:\n"
	  "      hwmon: yes\n      smart: yes\n      alert: [ref]\n" },
	{ "services",
	  "services:\n"
	  "  - name: app\n    criticality: critical\n    rpo: 4h\n"
	  "    rto: 8h\n    mtpd: 2d\n    hosts: [srv]\n"
	  "    data_paths: [/srv/app]\n    provider: host-co\n" },
	{ "repositories",
	  "repositories:\n"
	  "  - name: local\n    url: /backup\n    medium: nas\n"
	  "  - name: cloud\n    url: s3:https://s3.example/b\n"
	  "    medium: s3\n    offsite: yes\n    immutable: yes\n"
	  "    provider: store-co\n" },
	{ "jobs",
	  "jobs:\n"
	  "  - name: app-job\n    services: [app]\n"
	  "    sources: [/srv/app]\n    repositories: [local, cloud]\n"
	  "    interval: 1h\n" },
	{ "drills",
	  "drills:\n  - name: app-drill\n    service: app\n    every: 30d\n" },
	{ "call_tree",
	  "call_tree:\n  - call: [ref, dep]\n  - call: [dir]\n" },
	{ "templates",
	  "templates:\n"
	  "  - name: to-staff\n    audience: staff\n    text: Hello\n"
	  "  - name: to-clients\n    audience: clients\n    text: Hello\n" },
};
#define NBASE (sizeof(base) / sizeof(base[0]))

static int64_t date(const char *s)
{
	int64_t t = 0;

	assert_int_equal(plan_date_parse(s, &t), 0);
	return t;
}

/* NOW: a Monday morning after every date of BASE. */
static int64_t now_base(void)
{
	return date("2026-11-02") + 9 * HOUR;
}

static struct plan *load_text(const char *name, const char *text)
{
	struct plan_errors errs = PLAN_ERRORS_INIT;
	struct plan *p = NULL;
	struct buf m = BUF_INIT;
	size_t i;

	if (plan_load_mem(name, text, strlen(text), &p, &errs) != 0) {
		for (i = 0; i < errs.n; i++) {
			buf_reset(&m);
			plan_error_message(&errs.v[i], NULL, &m);
			fprintf(stderr, "%s:%d:%d: %s\n", name, errs.v[i].line,
				errs.v[i].col, buf_cstr(&m));
		}
		fprintf(stderr, "---\n%s---\n", text);
	}
	buf_release(&m);
	plan_errors_release(&errs);
	assert_non_null(p);
	return p;
}

/* load_with: BASE with the sections named in ov (pairs name, text, then
 * NULL) replaced; "" removes a section, an unknown name is appended. */
static struct plan *load_with(const char *const *ov)
{
	struct buf b = BUF_INIT;
	struct plan *p;
	size_t i, k;

	for (i = 0; i < NBASE; i++) {
		const char *text = base[i].text;

		for (k = 0; ov[k]; k += 2)
			if (strcmp(ov[k], base[i].name) == 0)
				text = ov[k + 1];
		assert_int_equal(buf_adds(&b, text), 0);
	}
	p = load_text("test.yaml", buf_cstr(&b));
	buf_release(&b);
	return p;
}

#define LOAD(...) load_with((const char *const[]){ __VA_ARGS__, NULL })
#define LOAD_BASE() load_with((const char *const[]){ NULL })

/* ---- facts ---- */

/* Fresh facts for service name at now: a backup 30 minutes ago (off site
 * too), a passing drill yesterday at 50 MB/s, 10 GB of data. */
static struct assess_service_facts fresh(const char *name, int64_t now)
{
	struct assess_service_facts f;

	memset(&f, 0, sizeof(f));
	f.service = name;
	f.newest_snapshot = now - 30 * MIN;
	f.newest_offsite = now - 30 * MIN;
	f.last_drill = now - DAY;
	f.last_drill_pass = now - DAY;
	f.restore_throughput = 50e6;
	f.data_bytes = 10000000000u;
	return f;
}

static void dump(const struct assess_result *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		fprintf(stderr, "  %-8s %-24s %-12s %s\n    -> %s\n",
			assess_severity_name(r->v[i].sev), r->v[i].id,
			r->v[i].subject, r->v[i].message, r->v[i].fix);
}

/* run1: assess p with one service's facts f (NULL: none) at now. */
static void run1(const struct plan *p, const struct assess_service_facts *f,
		 int64_t now, struct assess_result *res)
{
	struct assess_facts facts = { f, f ? 1 : 0 };

	assert_int_equal(assess_run(p, &facts, now, NULL, res), 0);
	if (getenv("ASSESS_DUMP"))
		dump(res);
}

/* find: the first finding with id about subject (NULL: any), or NULL. */
static const struct assess_finding *find(const struct assess_result *r,
					 const char *id, const char *subject)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (strcmp(r->v[i].id, id) == 0 &&
		    (subject == NULL || strcmp(r->v[i].subject, subject) == 0))
			return &r->v[i];
	return NULL;
}

static size_t count_id(const struct assess_result *r, const char *id)
{
	size_t i, n = 0;

	for (i = 0; i < r->n; i++)
		n += strcmp(r->v[i].id, id) == 0;
	return n;
}

/* expect: a finding id about subject with severity sev (and, when
 * `says` is given, those words in its message); returns it. */
static const struct assess_finding *expect(const struct assess_result *r,
					   const char *id, const char *subject,
					   enum assess_severity sev,
					   const char *says)
{
	const struct assess_finding *f = NULL;
	size_t i;

	for (i = 0; f == NULL && i < r->n; i++)
		if (strcmp(r->v[i].id, id) == 0 &&
		    strcmp(r->v[i].subject, subject) == 0 &&
		    r->v[i].sev == sev &&
		    (says == NULL || strstr(r->v[i].message, says)))
			f = &r->v[i];
	if (f == NULL) {
		fprintf(stderr, "expected %s %s on %s%s%s; got:\n",
			assess_severity_name(sev), id, subject,
			says ? " saying " : "", says ? says : "");
		dump(r);
		fail();
	}
	assert_non_null(f->message);
	assert_non_null(f->fix);
	assert_true(strlen(f->fix) > 0);
	return f;
}

static void expect_none(const struct assess_result *r, const char *id)
{
	if (count_id(r, id) != 0) {
		fprintf(stderr, "expected no %s; got:\n", id);
		dump(r);
		fail();
	}
}

static void expect_clean(const struct assess_result *r)
{
	if (r->n != 0) {
		fprintf(stderr, "expected no finding; got:\n");
		dump(r);
		fail();
	}
}

/* check: assess p with fresh facts of "app", changed by edit (NULL: not
 * changed), at now; the result in *res. */
static void check_at(const struct plan *p, int64_t now,
		     void (*edit)(struct assess_service_facts *, int64_t),
		     struct assess_result *res)
{
	struct assess_service_facts f = fresh("app", now);

	if (edit)
		edit(&f, now);
	run1(p, &f, now, res);
}

/* ---- the base ---- */

static void test_assess__base_is_clean(void **state)
{
	struct plan *p = LOAD_BASE();
	struct assess_result res;

	(void)state;
	check_at(p, now_base(), NULL, &res);
	expect_clean(&res);
	assert_int_equal(res.count[ASSESS_CRITICAL], 0);
	assess_result_release(&res);
	assert_null(res.v);
	assert_int_equal(res.n, 0);
	plan_free(p);
}

static void test_assess__einval(void **state)
{
	struct plan *p = LOAD_BASE();
	struct assess_result res = ASSESS_RESULT_INIT;

	(void)state;
	assert_int_equal(assess_run(NULL, NULL, 0, NULL, &res), RP_EINVAL);
	assert_int_equal(assess_run(p, NULL, 0, NULL, NULL), RP_EINVAL);
	assess_result_release(&res);
	plan_free(p);
}

/* ---- BACKUP-NONE ---- */

#define SVC_APP                                                        \
	"services:\n"                                                  \
	"  - name: app\n    criticality: critical\n    rpo: 4h\n"      \
	"    rto: 8h\n    mtpd: 2d\n    hosts: [srv]\n"                \
	"    data_paths: [/srv/app]\n    provider: host-co\n"

static void test_assess__backup_none(void **state)
{
	struct plan *p = LOAD("services", SVC_APP
		"  - name: files\n    criticality: high\n    rpo: 1d\n"
		"    rto: 1d\n    data_paths: [/srv/files]\n"
		"  - name: cold\n    criticality: low\n    rpo: 1d\n"
		"    rto: 1d\n    data_paths: [/srv/cold]\n"
		"  - name: saas\n    criticality: critical\n    rpo: 1d\n"
		"    rto: 1d\n");
	struct assess_result res;

	(void)state;
	check_at(p, now_base(), NULL, &res);
	expect(&res, "BACKUP-NONE", "files", ASSESS_CRITICAL, "'files'");
	/* a low service: lowered to a warning */
	expect(&res, "BACKUP-NONE", "cold", ASSESS_WARNING, NULL);
	/* near miss: nothing to back up (no host, no data path) */
	assert_null(find(&res, "BACKUP-NONE", "saas"));
	assert_null(find(&res, "BACKUP-NONE", "app"));
	/* the backup rules skip services without a job */
	assert_null(find(&res, "DRILL-NONE", "files"));
	assert_null(find(&res, "RPO-MEASURED", "files"));
	assert_null(find(&res, "COPIES-321", "files"));
	assess_result_release(&res);
	plan_free(p);
}

/* ---- RPO-SCHEDULE ---- */

#define JOB(interval)                                                  \
	"jobs:\n"                                                      \
	"  - name: app-job\n    services: [app]\n"                     \
	"    sources: [/srv/app]\n    repositories: [local, cloud]\n"  \
	interval

static void test_assess__rpo_schedule(void **state)
{
	struct plan *daily = LOAD("jobs", JOB("    interval: 1d\n"
					      "    at: \"12:00\"\n"));
	struct plan *exact = LOAD("jobs", JOB("    interval: 4h\n"));
	struct plan *longer = LOAD("jobs", JOB("    interval: 4h1s\n"));
	struct plan *dflt = LOAD("jobs", JOB(""));
	struct assess_result res;
	const struct assess_finding *f;

	(void)state;
	check_at(daily, now_base(), NULL, &res);
	f = expect(&res, "RPO-SCHEDULE", "app", ASSESS_CRITICAL, "every 1d");
	assert_string_equal(f->message,
			    "The backup job 'app-job' of 'app' runs every 1d; "
			    "the plan allows at most 4h of lost work (RPO).");
	assert_string_equal(f->fix,
			    "Make the backup job 'app-job' run at least every "
			    "4h (today it runs every 1d), and check it "
			    "succeeds.");
	assert_int_equal(f->kind, ASSESS_KIND_SERVICE);
	assert_true(f->pos.line > 0);
	assess_result_release(&res);
	check_at(longer, now_base(), NULL, &res);
	expect(&res, "RPO-SCHEDULE", "app", ASSESS_CRITICAL, "4h1s");
	assess_result_release(&res);
	/* near misses: exactly the RPO; no interval (then: the RPO) */
	check_at(exact, now_base(), NULL, &res);
	expect_clean(&res);
	assess_result_release(&res);
	check_at(dflt, now_base(), NULL, &res);
	expect_clean(&res);
	assess_result_release(&res);
	plan_free(daily);
	plan_free(exact);
	plan_free(longer);
	plan_free(dflt);
}

/* ---- RPO-MEASURED ---- */

static void snap_rpo_plus_1(struct assess_service_facts *f, int64_t now)
{
	f->newest_snapshot = now - 4 * HOUR - 1;
}

static void snap_rpo_minus_1(struct assess_service_facts *f, int64_t now)
{
	f->newest_snapshot = now - 4 * HOUR + 1;
}

static void snap_rpo(struct assess_service_facts *f, int64_t now)
{
	f->newest_snapshot = now - 4 * HOUR;
}

static void snap_none(struct assess_service_facts *f, int64_t now)
{
	(void)now;
	f->newest_snapshot = 0;
}

static void snap_old(struct assess_service_facts *f, int64_t now)
{
	f->newest_snapshot = now - 3 * DAY - 2 * HOUR;
}

static void test_assess__rpo_measured(void **state)
{
	struct plan *p = LOAD_BASE();
	struct assess_result res;
	const struct assess_finding *f;

	(void)state;
	check_at(p, now_base(), snap_rpo_plus_1, &res);
	f = expect(&res, "RPO-MEASURED", "app", ASSESS_CRITICAL, NULL);
	/* an age over the limit never reads as the limit itself */
	assert_non_null(strstr(f->message, "is 4h1m old"));
	assert_int_equal(res.n, 1);
	assess_result_release(&res);
	check_at(p, now_base(), snap_old, &res);
	f = expect(&res, "RPO-MEASURED", "app", ASSESS_CRITICAL, NULL);
	assert_string_equal(f->message,
			    "The newest backup of 'app' is 3d2h old; the plan "
			    "allows at most 4h of lost work (RPO).");
	assess_result_release(&res);
	check_at(p, now_base(), snap_none, &res);
	expect(&res, "RPO-MEASURED", "app", ASSESS_CRITICAL,
	       "has ever succeeded");
	assess_result_release(&res);
	/* near misses */
	check_at(p, now_base(), snap_rpo_minus_1, &res);
	expect_clean(&res);
	assess_result_release(&res);
	check_at(p, now_base(), snap_rpo, &res);
	expect_clean(&res);
	assess_result_release(&res);
	plan_free(p);
}

/* ---- RPO-OFFSITE ---- */

static void off_plus_1(struct assess_service_facts *f, int64_t now)
{
	f->newest_offsite = now - 4 * HOUR - 1;
}

static void off_minus_1(struct assess_service_facts *f, int64_t now)
{
	f->newest_offsite = now - 4 * HOUR + 1;
}

static void off_none(struct assess_service_facts *f, int64_t now)
{
	(void)now;
	f->newest_offsite = 0;
}

static void test_assess__rpo_offsite(void **state)
{
	struct plan *p = LOAD_BASE();
	struct plan *local = LOAD("jobs", "jobs:\n"
		"  - name: app-job\n    services: [app]\n"
		"    sources: [/srv/app]\n    repositories: [local]\n");
	struct assess_result res;

	(void)state;
	check_at(p, now_base(), off_plus_1, &res);
	expect(&res, "RPO-OFFSITE", "app", ASSESS_WARNING, "offsite");
	assert_int_equal(res.n, 1);
	assess_result_release(&res);
	check_at(p, now_base(), off_none, &res);
	expect(&res, "RPO-OFFSITE", "app", ASSESS_WARNING, "'cloud'");
	assess_result_release(&res);
	check_at(p, now_base(), off_minus_1, &res);
	expect_clean(&res);
	assess_result_release(&res);
	/* no offsite repository: COPIES-321 says it, not RPO-OFFSITE */
	check_at(local, now_base(), off_none, &res);
	expect_none(&res, "RPO-OFFSITE");
	expect(&res, "COPIES-321", "app", ASSESS_CRITICAL, NULL);
	assess_result_release(&res);
	plan_free(p);
	plan_free(local);
}

/* ---- DRILL-NONE, DRILL-FAILED, DRILL-STALE ---- */

static void drill_never(struct assess_service_facts *f, int64_t now)
{
	(void)now;
	f->last_drill = f->last_drill_pass = 0;
	f->restore_throughput = 0;
}

static void drill_failed(struct assess_service_facts *f, int64_t now)
{
	f->last_drill = now - HOUR;
	f->last_drill_failed = 1;
	f->last_drill_reason = "3 files differ";
}

static void drill_failed_before(struct assess_service_facts *f, int64_t now)
{
	/* an old failure, then a pass: the newest drill is what counts */
	f->last_drill = now - DAY;
	f->last_drill_failed = 0;
	f->last_drill_pass = now - DAY;
}

static void drill_30d_plus_1(struct assess_service_facts *f, int64_t now)
{
	f->last_drill = f->last_drill_pass = now - 30 * DAY - 1;
}

static void drill_30d_minus_1(struct assess_service_facts *f, int64_t now)
{
	f->last_drill = f->last_drill_pass = now - 30 * DAY + 1;
}

static void drill_60d_plus_1(struct assess_service_facts *f, int64_t now)
{
	f->last_drill = f->last_drill_pass = now - 60 * DAY - 1;
}

static void drill_7d_plus_1(struct assess_service_facts *f, int64_t now)
{
	f->last_drill = f->last_drill_pass = now - 7 * DAY - 1;
}

static void test_assess__drill_none(void **state)
{
	struct plan *p = LOAD_BASE();
	struct plan *unplanned = LOAD("drills", "");
	struct assess_result res;
	const struct assess_finding *f;

	(void)state;
	check_at(p, now_base(), drill_never, &res);
	f = expect(&res, "DRILL-NONE", "app", ASSESS_CRITICAL,
		   "never been restored");
	assert_non_null(strstr(f->fix, "'app-drill'"));
	assess_result_release(&res);
	check_at(unplanned, now_base(), drill_never, &res);
	f = expect(&res, "DRILL-NONE", "app", ASSESS_CRITICAL, NULL);
	assert_non_null(strstr(f->fix, "Add a restore drill"));
	assess_result_release(&res);
	/* near miss: one drill, yesterday */
	check_at(unplanned, now_base(), NULL, &res);
	expect_clean(&res);
	assess_result_release(&res);
	plan_free(p);
	plan_free(unplanned);
}

static void test_assess__drill_failed(void **state)
{
	struct plan *p = LOAD_BASE();
	struct assess_result res;

	(void)state;
	check_at(p, now_base(), drill_failed, &res);
	expect(&res, "DRILL-FAILED", "app", ASSESS_CRITICAL,
	       "2026-11-02, failed: 3 files differ.");
	expect_none(&res, "DRILL-STALE");
	expect_none(&res, "DRILL-NONE");
	assess_result_release(&res);
	check_at(p, now_base(), drill_failed_before, &res);
	expect_clean(&res);
	assess_result_release(&res);
	plan_free(p);
}

static void test_assess__drill_stale(void **state)
{
	struct plan *p = LOAD_BASE();
	struct plan *weekly = LOAD("drills", "drills:\n"
		"  - name: monthly\n    service: app\n    every: 30d\n"
		"  - name: weekly\n    job: app-job\n    every: 7d\n");
	struct plan *none = LOAD("drills", "");
	struct assess_result res;

	(void)state;
	check_at(p, now_base(), drill_30d_plus_1, &res);
	expect(&res, "DRILL-STALE", "app", ASSESS_WARNING,
	       "the plan asks for one every 30d");
	assert_int_equal(res.n, 1);
	assess_result_release(&res);
	check_at(p, now_base(), drill_60d_plus_1, &res);
	expect(&res, "DRILL-STALE", "app", ASSESS_CRITICAL, NULL);
	assess_result_release(&res);
	check_at(p, now_base(), drill_30d_minus_1, &res);
	expect_clean(&res);
	assess_result_release(&res);
	/* the shortest period of the drills on it */
	check_at(weekly, now_base(), drill_7d_plus_1, &res);
	expect(&res, "DRILL-STALE", "app", ASSESS_WARNING, "every 1w");
	assess_result_release(&res);
	/* no drill in the plan: 30 days */
	check_at(none, now_base(), drill_30d_plus_1, &res);
	expect(&res, "DRILL-STALE", "app", ASSESS_WARNING, "every 30d");
	assess_result_release(&res);
	check_at(none, now_base(), drill_30d_minus_1, &res);
	expect_clean(&res);
	assess_result_release(&res);
	plan_free(p);
	plan_free(weekly);
	plan_free(none);
}

/* ---- RTO-ESTIMATE, RTO-UNKNOWN ---- */

/* 2h to provision (host-co), RTO 8h: 6h = 21600 s of restore fit. */
static void rto_exact(struct assess_service_facts *f, int64_t now)
{
	(void)now;
	f->restore_throughput = 10e6;
	f->data_bytes = 216000000000u;
}

static void rto_over(struct assess_service_facts *f, int64_t now)
{
	rto_exact(f, now);
	f->data_bytes += 1;
}

static void rto_big(struct assess_service_facts *f, int64_t now)
{
	(void)now;
	f->restore_throughput = 10e6;
	f->data_bytes = 300000000000u;
}

static void rto_no_throughput(struct assess_service_facts *f, int64_t now)
{
	(void)now;
	f->restore_throughput = 0;
}

static void rto_no_size(struct assess_service_facts *f, int64_t now)
{
	(void)now;
	f->data_bytes = 0;
}

static void test_assess__rto_estimate(void **state)
{
	struct plan *p = LOAD_BASE();
	struct assess_result res;
	const struct assess_finding *f;

	(void)state;
	check_at(p, now_base(), rto_big, &res);
	f = expect(&res, "RTO-ESTIMATE", "app", ASSESS_CRITICAL, NULL);
	assert_string_equal(f->message,
			    "Getting 'app' back would take about 10h20m: 2h "
			    "to get a machine (contract with 'host-co') plus "
			    "8h20m to restore 300 GB at 10 MB/s; the plan "
			    "allows 8h (RTO).");
	assert_non_null(strstr(f->fix, "10 MB/s"));
	assess_result_release(&res);
	/* one byte over: rounded up to a second over */
	check_at(p, now_base(), rto_over, &res);
	expect(&res, "RTO-ESTIMATE", "app", ASSESS_CRITICAL,
	       "about 8h1s: 2h to get a machine (contract with 'host-co') "
	       "plus 6h1s to restore 216 GB");
	assess_result_release(&res);
	check_at(p, now_base(), rto_exact, &res);
	expect_clean(&res);
	assess_result_release(&res);
	plan_free(p);
}

#define HOSTS_STANDBY(ready)                                            \
	"hosts:\n"                                                      \
	"  - name: srv\n    provider: host-co\n    standby: spare\n"    \
	"    monitoring:\n      hwmon: yes\n      alert: [ref]\n"       \
	"  - name: spare\n    ready_in: " ready "\n"

static void test_assess__rto_standby(void **state)
{
	struct plan *fast = LOAD("hosts", HOSTS_STANDBY("30m"));
	struct plan *slow = LOAD("hosts", HOSTS_STANDBY("9h"));
	struct assess_result res;
	const struct assess_finding *f;

	(void)state;
	/* 30m + 8h20m > 8h, where the contract's 2h would give more */
	check_at(fast, now_base(), rto_big, &res);
	f = expect(&res, "RTO-ESTIMATE", "app", ASSESS_CRITICAL,
		   "30m to get a machine (standby host 'spare')");
	assert_non_null(strstr(f->fix, "Make the restore faster"));
	assess_result_release(&res);
	check_at(fast, now_base(), rto_exact, &res);
	expect_clean(&res);
	assess_result_release(&res);
	/* the standby alone is over the RTO: the fix says so */
	check_at(slow, now_base(), NULL, &res);
	f = expect(&res, "RTO-ESTIMATE", "app", ASSESS_CRITICAL, NULL);
	assert_non_null(strstr(f->fix, "standby machine"));
	assess_result_release(&res);
	plan_free(fast);
	plan_free(slow);
}

#define PROVIDERS_NO_PROVISIONING                                      \
	"providers:\n"                                                 \
	"  - name: host-co\n    contract:\n"                           \
	"      support_hours: 24x7\n      restore_time: 4h\n"          \
	"      continuity_clause: yes\n      reversibility: yes\n"     \
	"  - name: store-co\n"

static void test_assess__rto_unknown(void **state)
{
	struct plan *p = LOAD_BASE();
	struct plan *noprov = LOAD("providers", PROVIDERS_NO_PROVISIONING);
	struct plan *nostandby = LOAD("hosts", "hosts:\n"
		"  - name: srv\n    provider: host-co\n    standby: spare\n"
		"    monitoring:\n      hwmon: yes\n      alert: [ref]\n"
		"  - name: spare\n");
	struct plan *onprem = LOAD("hosts", "hosts:\n"
		"  - name: srv\n"
		"    monitoring:\n      hwmon: yes\n      alert: [ref]\n",
		"services", "services:\n"
		"  - name: app\n    criticality: critical\n    rpo: 4h\n"
		"    rto: 8h\n    hosts: [srv]\n    data_paths: [/srv/app]\n");
	struct assess_result res;
	const struct assess_finding *f;

	(void)state;
	check_at(p, now_base(), rto_no_throughput, &res);
	expect(&res, "RTO-UNKNOWN", "app", ASSESS_WARNING,
	       "no restore drill has measured it");
	assert_int_equal(res.n, 1);
	assess_result_release(&res);
	check_at(p, now_base(), rto_no_size, &res);
	expect(&res, "RTO-UNKNOWN", "app", ASSESS_WARNING, "size");
	assert_int_equal(res.n, 1);
	assess_result_release(&res);
	check_at(noprov, now_base(), NULL, &res);
	expect(&res, "RTO-UNKNOWN", "app", ASSESS_WARNING,
	       "replacement for host 'srv'");
	assert_int_equal(res.n, 1);
	f = find(&res, "RTO-UNKNOWN", "app");
	assert_non_null(strstr(f->fix, "contract with 'host-co'"));
	assess_result_release(&res);
	check_at(nostandby, now_base(), NULL, &res);
	f = expect(&res, "RTO-UNKNOWN", "app", ASSESS_WARNING,
		   "replacement for host 'srv'");
	assert_non_null(strstr(f->fix, "standby host 'spare'"));
	assess_result_release(&res);
	check_at(onprem, now_base(), NULL, &res);
	f = expect(&res, "RTO-UNKNOWN", "app", ASSESS_WARNING,
		   "replacement for host 'srv'");
	assert_non_null(strstr(f->fix, "Name a standby host for 'srv'"));
	assess_result_release(&res);
	/* the restore alone is over the RTO: an estimate, critical */
	check_at(noprov, now_base(), rto_big, &res);
	expect(&res, "RTO-ESTIMATE", "app", ASSESS_CRITICAL,
	       "alone would take 8h20m");
	expect_none(&res, "RTO-UNKNOWN");
	assess_result_release(&res);
	plan_free(p);
	plan_free(noprov);
	plan_free(nostandby);
	plan_free(onprem);
}

/* ---- CONTRACT-NO-SLA, CONTRACT-SLA-EXCEEDS-RTO ---- */

#define PROVIDERS_RESTORE(rt)                                          \
	"providers:\n"                                                 \
	"  - name: host-co\n    contract:\n"                           \
	"      support_hours: 24x7\n      restore_time: " rt "\n"      \
	"      provisioning: 2h\n"                                     \
	"      continuity_clause: yes\n      reversibility: yes\n"     \
	"  - name: store-co\n"

static void test_assess__contract_no_sla(void **state)
{
	struct plan *none = LOAD("providers", PROVIDERS_RESTORE("none"));
	struct plan *unset = LOAD("providers", "providers:\n"
		"  - name: host-co\n    contract:\n"
		"      support_hours: 24x7\n      provisioning: 2h\n"
		"      continuity_clause: yes\n      reversibility: yes\n"
		"  - name: store-co\n");
	struct plan *nocontract = LOAD("providers", "providers:\n"
		"  - name: host-co\n  - name: store-co\n",
		"hosts", "hosts:\n  - name: srv\n    standby: spare\n"
		"    monitoring:\n      hwmon: yes\n      alert: [ref]\n"
		"  - name: spare\n    ready_in: 1h\n",
		"services", "services:\n"
		"  - name: app\n    criticality: critical\n    rpo: 4h\n"
		"    rto: 8h\n    hosts: [srv]\n    provider: host-co\n");
	struct assess_result res;
	const struct assess_finding *f;

	(void)state;
	check_at(none, now_base(), NULL, &res);
	f = expect(&res, "CONTRACT-NO-SLA", "app", ASSESS_CRITICAL, NULL);
	assert_string_equal(f->message,
			    "The contract with 'host-co' guarantees no "
			    "restore time for 'app', which must be back "
			    "within 8h (RTO).");
	assert_int_equal(res.n, 1);   /* host-co counted once */
	assess_result_release(&res);
	check_at(unset, now_base(), NULL, &res);
	expect(&res, "CONTRACT-NO-SLA", "app", ASSESS_CRITICAL,
	       "does not say");
	assess_result_release(&res);
	check_at(nocontract, now_base(), NULL, &res);
	expect(&res, "CONTRACT-NO-SLA", "app", ASSESS_CRITICAL,
	       "no contract with 'host-co'");
	expect_none(&res, "CONTRACT-CLAUSES");
	assert_int_equal(res.n, 1);
	assess_result_release(&res);
	plan_free(none);
	plan_free(unset);
	plan_free(nocontract);
}

static void test_assess__contract_sla_exceeds_rto(void **state)
{
	struct plan *over = LOAD("providers", PROVIDERS_RESTORE("8h1m"));
	struct plan *exact = LOAD("providers", PROVIDERS_RESTORE("8h"));
	struct assess_result res;

	(void)state;
	check_at(over, now_base(), NULL, &res);
	expect(&res, "CONTRACT-SLA-EXCEEDS-RTO", "app", ASSESS_CRITICAL,
	       "allows 8h1m to restore 'app'");
	expect_none(&res, "CONTRACT-NO-SLA");
	assess_result_release(&res);
	check_at(exact, now_base(), NULL, &res);
	expect_clean(&res);
	assess_result_release(&res);
	plan_free(over);
	plan_free(exact);
}

/* ---- CONTRACT-HOURS ---- */

#define PROVIDERS_HOURS(h)                                             \
	"providers:\n"                                                 \
	"  - name: host-co\n    contract:\n"                           \
	h "      restore_time: 4h\n      provisioning: 2h\n"           \
	"      continuity_clause: yes\n      reversibility: yes\n"     \
	"  - name: store-co\n"
#define SVC_24X7(v)                                                    \
	"services:\n"                                                  \
	"  - name: app\n    criticality: critical\n    rpo: 4h\n"      \
	"    rto: 8h\n    hosts: [srv]\n    data_paths: [/srv/app]\n"  \
	"    needs_24x7: " v "\n"

static void test_assess__contract_hours(void **state)
{
	struct plan *biz = LOAD("providers",
		PROVIDERS_HOURS("      support_hours: business\n"),
		"services", SVC_24X7("yes"));
	struct plan *ext = LOAD("providers",
		PROVIDERS_HOURS("      support_hours: extended\n"),
		"services", SVC_24X7("yes"));
	struct plan *unstated = LOAD("providers", PROVIDERS_HOURS(""),
		"services", SVC_24X7("yes"));
	struct plan *ok = LOAD("services", SVC_24X7("yes"));
	struct plan *office = LOAD("providers",
		PROVIDERS_HOURS("      support_hours: business\n"),
		"services", SVC_24X7("no"));
	struct assess_result res;

	(void)state;
	check_at(biz, now_base(), NULL, &res);
	expect(&res, "CONTRACT-HOURS", "app", ASSESS_CRITICAL,
	       "only in business hours");
	assert_int_equal(res.n, 1);
	assess_result_release(&res);
	check_at(ext, now_base(), NULL, &res);
	expect(&res, "CONTRACT-HOURS", "app", ASSESS_WARNING, "extended");
	assess_result_release(&res);
	check_at(unstated, now_base(), NULL, &res);
	expect(&res, "CONTRACT-HOURS", "app", ASSESS_WARNING,
	       "does not say when");
	assess_result_release(&res);
	/* near misses: 24x7 support; business hours for an office need */
	check_at(ok, now_base(), NULL, &res);
	expect_clean(&res);
	assess_result_release(&res);
	check_at(office, now_base(), NULL, &res);
	expect_clean(&res);
	assess_result_release(&res);
	plan_free(biz);
	plan_free(ext);
	plan_free(unstated);
	plan_free(ok);
	plan_free(office);
}

/* ---- CONTRACT-NOTICE ---- */

static void test_assess__contract_notice(void **state)
{
	/* end 2027-06-30, notice 90d: the last day is 2027-04-01 */
	struct plan *p = LOAD_BASE();
	struct plan *manual = LOAD("providers", "providers:\n"
		"  - name: host-co\n    contract:\n      end: 2027-06-30\n"
		"      notice: 90d\n      renewal: manual\n"
		"      support_hours: 24x7\n      restore_time: 4h\n"
		"      provisioning: 2h\n      continuity_clause: yes\n"
		"      reversibility: yes\n  - name: store-co\n");
	int64_t last = date("2027-04-01"), end_of_day = last + DAY;
	struct assess_result res;
	const struct assess_finding *f;

	(void)state;
	check_at(p, end_of_day - 60 * DAY, NULL, &res);
	f = expect(&res, "CONTRACT-NOTICE", "host-co", ASSESS_WARNING,
		   "is 2027-04-01, 60d from now");
	assert_int_equal(f->kind, ASSESS_KIND_PROVIDER);
	assert_int_equal(res.n, 1);
	assess_result_release(&res);
	check_at(p, end_of_day - 1, NULL, &res);
	expect(&res, "CONTRACT-NOTICE", "host-co", ASSESS_WARNING,
	       "1s from now; after that it renews");
	assess_result_release(&res);
	check_at(manual, end_of_day - DAY, NULL, &res);
	expect(&res, "CONTRACT-NOTICE", "host-co", ASSESS_WARNING,
	       "the contract ends on 2027-06-30");
	assess_result_release(&res);
	/* near misses: a second too early, the day after */
	check_at(p, end_of_day - 60 * DAY - 1, NULL, &res);
	expect_none(&res, "CONTRACT-NOTICE");
	assess_result_release(&res);
	check_at(p, end_of_day, NULL, &res);
	expect_none(&res, "CONTRACT-NOTICE");
	assess_result_release(&res);
	plan_free(p);
	plan_free(manual);
}

/* ---- CONTRACT-CLAUSES ---- */

#define PROVIDERS_CLAUSES(cont, rev)                                   \
	"providers:\n"                                                 \
	"  - name: host-co\n    contract:\n"                           \
	"      support_hours: 24x7\n      restore_time: 4h\n"          \
	"      provisioning: 2h\n"                                     \
	"      continuity_clause: " cont "\n"                          \
	"      reversibility: " rev "\n"                               \
	"  - name: store-co\n    contract:\n      reversibility: no\n"

static void test_assess__contract_clauses(void **state)
{
	struct plan *nocont = LOAD("providers", PROVIDERS_CLAUSES("no", "yes"));
	struct plan *norev = LOAD("providers", PROVIDERS_CLAUSES("yes", "no"));
	struct plan *both = LOAD("providers", PROVIDERS_CLAUSES("no", "no"));
	struct plan *ok = LOAD("providers", PROVIDERS_CLAUSES("yes", "yes"));
	struct assess_result res;

	(void)state;
	check_at(nocont, now_base(), NULL, &res);
	expect(&res, "CONTRACT-CLAUSES", "host-co", ASSESS_WARNING,
	       "no business-continuity clause.");
	assert_int_equal(res.n, 1);   /* store-co runs no service */
	assess_result_release(&res);
	check_at(norev, now_base(), NULL, &res);
	expect(&res, "CONTRACT-CLAUSES", "host-co", ASSESS_WARNING,
	       "(reversibility)");
	assess_result_release(&res);
	check_at(both, now_base(), NULL, &res);
	expect(&res, "CONTRACT-CLAUSES", "host-co", ASSESS_WARNING,
	       "clause and does not provide");
	assert_int_equal(res.n, 1);
	assess_result_release(&res);
	check_at(ok, now_base(), NULL, &res);
	expect_clean(&res);
	assess_result_release(&res);
	plan_free(nocont);
	plan_free(norev);
	plan_free(both);
	plan_free(ok);
}

/* ---- COPIES-321 ---- */

#define REPOS(cloud)                                                   \
	"repositories:\n"                                              \
	"  - name: local\n    url: /backup\n    medium: nas\n"         \
	"  - name: cloud\n    url: s3:https://s3.example/b\n" cloud

static void test_assess__copies(void **state)
{
	struct plan *same = LOAD("repositories", REPOS(
		"    medium: s3\n    offsite: yes\n    immutable: yes\n"
		"    provider: host-co\n"));
	struct plan *onsite = LOAD("repositories", REPOS(
		"    medium: s3\n    immutable: yes\n"));
	struct plan *media = LOAD("repositories", REPOS(
		"    medium: nas\n    offsite: yes\n    immutable: yes\n"));
	struct plan *mutable = LOAD("repositories", REPOS(
		"    medium: s3\n    offsite: yes\n"));
	struct plan *one = LOAD("jobs", "jobs:\n"
		"  - name: app-job\n    services: [app]\n"
		"    sources: [/srv/app]\n    repositories: [cloud]\n");
	struct plan *ok = LOAD("repositories", REPOS(
		"    medium: usb\n    offsite: yes\n    offline: yes\n"));
	struct assess_result res;
	const struct assess_finding *f;

	(void)state;
	check_at(same, now_base(), NULL, &res);
	f = expect(&res, "COPIES-321", "app", ASSESS_CRITICAL,
		   "its only copy off site is kept at 'host-co', which also "
		   "runs it");
	assert_non_null(strstr(f->fix, "another provider than 'host-co'"));
	assert_int_equal(res.n, 1);
	assess_result_release(&res);
	check_at(onsite, now_base(), NULL, &res);
	expect(&res, "COPIES-321", "app", ASSESS_CRITICAL,
	       "no copy is kept off site");
	assess_result_release(&res);
	check_at(media, now_base(), NULL, &res);
	expect(&res, "COPIES-321", "app", ASSESS_WARNING,
	       "same kind of storage");
	assess_result_release(&res);
	check_at(mutable, now_base(), NULL, &res);
	f = expect(&res, "COPIES-321", "app", ASSESS_WARNING,
		   "cannot be altered");
	assert_string_equal(f->message,
			    "The backups of 'app' fall short of the 3-2-1-1 "
			    "rule: no copy that cannot be altered or is kept "
			    "offline, against ransomware.");
	assess_result_release(&res);
	check_at(one, now_base(), NULL, &res);
	expect(&res, "COPIES-321", "app", ASSESS_WARNING,
	       "only one backup copy");
	assess_result_release(&res);
	check_at(ok, now_base(), NULL, &res);
	expect_clean(&res);
	assess_result_release(&res);
	plan_free(same);
	plan_free(onsite);
	plan_free(media);
	plan_free(mutable);
	plan_free(one);
	plan_free(ok);
}

/* ---- MONITOR-NONE ---- */

#define HOSTS_MON(m)                                                   \
	"hosts:\n  - name: srv\n    provider: host-co\n" m

static void test_assess__monitor(void **state)
{
	struct plan *none = LOAD("hosts", HOSTS_MON(""));
	struct plan *noalert = LOAD("hosts", HOSTS_MON(
		"    monitoring:\n      hwmon: yes\n"));
	struct plan *mute = LOAD("hosts", HOSTS_MON(
		"    monitoring:\n      smart: yes\n      alert: [mute]\n"),
		"people", "people:\n"
		"  - id: dir\n    name: Dora\n    roles: [director]\n"
		"    email: d@example.com\n"
		"  - id: ref\n    name: Remy\n    roles: [it_referent]\n"
		"    phone: \"1\"\n"
		"  - id: dep\n    name: Dana\n    roles: [it_deputy]\n"
		"    phone: \"2\"\n"
		"  - id: mute\n    name: Nobody\n");
	struct plan *probes = LOAD("hosts", HOSTS_MON(
		"    monitoring:\n      probes: [\"https://app.example/\"]\n"
		"      alert: [ref]\n"));
	struct plan *high = LOAD("hosts", HOSTS_MON(""), "services",
		"services:\n  - name: app\n    criticality: high\n"
		"    rpo: 4h\n    rto: 8h\n    hosts: [srv]\n");
	struct plan *medium = LOAD("hosts", HOSTS_MON(""), "services",
		"services:\n  - name: app\n    criticality: medium\n"
		"    rpo: 4h\n    rto: 8h\n    hosts: [srv]\n");
	struct assess_result res;
	const struct assess_finding *f;

	(void)state;
	check_at(none, now_base(), NULL, &res);
	f = expect(&res, "MONITOR-NONE", "srv", ASSESS_CRITICAL,
		   "Nobody watches host 'srv', which runs 'app'");
	assert_int_equal(f->kind, ASSESS_KIND_HOST);
	assert_int_equal(res.n, 1);
	assess_result_release(&res);
	check_at(noalert, now_base(), NULL, &res);
	expect(&res, "MONITOR-NONE", "srv", ASSESS_CRITICAL,
	       "nobody is named to be alerted");
	assess_result_release(&res);
	check_at(mute, now_base(), NULL, &res);
	expect(&res, "MONITOR-NONE", "srv", ASSESS_CRITICAL,
	       "has a phone or an e-mail");
	assess_result_release(&res);
	check_at(probes, now_base(), NULL, &res);
	expect(&res, "MONITOR-NONE", "srv", ASSESS_WARNING, "hardware");
	assess_result_release(&res);
	check_at(high, now_base(), NULL, &res);
	expect(&res, "MONITOR-NONE", "srv", ASSESS_WARNING, "Nobody watches");
	assess_result_release(&res);
	check_at(medium, now_base(), NULL, &res);
	expect_none(&res, "MONITOR-NONE");
	assess_result_release(&res);
	plan_free(none);
	plan_free(noalert);
	plan_free(mute);
	plan_free(probes);
	plan_free(high);
	plan_free(medium);
}

/* ---- REFERENT-NONE ---- */

static void test_assess__referent(void **state)
{
	struct plan *noref = LOAD("people", "people:\n"
		"  - id: dir\n    name: Dora\n    roles: [director]\n"
		"    email: d@example.com\n"
		"  - id: ref\n    name: Remy\n    phone: \"1\"\n"
		"  - id: dep\n    name: Dana\n    phone: \"2\"\n");
	struct plan *nodep = LOAD("people", "people:\n"
		"  - id: dir\n    name: Dora\n    roles: [director]\n"
		"    email: d@example.com\n"
		"  - id: ref\n    name: Remy\n    roles: [it_referent]\n"
		"    phone: \"1\"\n"
		"  - id: dep\n    name: Dana\n    phone: \"2\"\n");
	struct assess_result res;

	(void)state;
	check_at(noref, now_base(), NULL, &res);
	expect(&res, "REFERENT-NONE", "people", ASSESS_CRITICAL,
	       "Nobody in the plan is the IT referent");
	assert_int_equal(res.n, 1);
	assess_result_release(&res);
	check_at(nodep, now_base(), NULL, &res);
	expect(&res, "REFERENT-NONE", "people", ASSESS_WARNING,
	       "'Remy' has no deputy");
	assert_int_equal(res.n, 1);
	assess_result_release(&res);
	plan_free(noref);
	plan_free(nodep);
}

/* ---- CALLTREE-INCOMPLETE ---- */

static void test_assess__calltree(void **state)
{
	struct plan *none = LOAD("call_tree", "");
	struct plan *one = LOAD("call_tree", "call_tree:\n"
		"  - call: [ref, dir]\n");
	struct plan *noref = LOAD("call_tree", "call_tree:\n"
		"  - call: [dep]\n  - call: [dir]\n");
	struct plan *mute = LOAD("call_tree", "call_tree:\n"
		"  - call: [ref, mute]\n  - call: [dir]\n",
		"people", "people:\n"
		"  - id: dir\n    name: Dora\n    roles: [director]\n"
		"    email: d@example.com\n"
		"  - id: ref\n    name: Remy\n    roles: [it_referent]\n"
		"    phone: \"1\"\n"
		"  - id: dep\n    name: Dana\n    roles: [it_deputy]\n"
		"    phone: \"2\"\n"
		"  - id: mute\n    name: Nobody\n");
	struct assess_result res;
	const struct assess_finding *f;

	(void)state;
	check_at(none, now_base(), NULL, &res);
	expect(&res, "CALLTREE-INCOMPLETE", "call_tree", ASSESS_CRITICAL,
	       "no call tree");
	assert_int_equal(res.n, 1);
	assess_result_release(&res);
	check_at(one, now_base(), NULL, &res);
	expect(&res, "CALLTREE-INCOMPLETE", "call_tree", ASSESS_WARNING,
	       "one step");
	assert_int_equal(res.n, 1);
	assess_result_release(&res);
	check_at(noref, now_base(), NULL, &res);
	expect(&res, "CALLTREE-INCOMPLETE", "call_tree", ASSESS_WARNING,
	       "The IT referent 'Remy Referent' is not in the call tree.");
	assert_int_equal(res.n, 1);
	assess_result_release(&res);
	check_at(mute, now_base(), NULL, &res);
	f = expect(&res, "CALLTREE-INCOMPLETE", "mute", ASSESS_WARNING,
		   "neither a phone nor an e-mail");
	assert_int_equal(f->kind, ASSESS_KIND_PERSON);
	assert_int_equal(res.n, 1);
	assess_result_release(&res);
	plan_free(none);
	plan_free(one);
	plan_free(noref);
	plan_free(mute);
}

/* ---- TEMPLATES-MISSING ---- */

static void test_assess__templates(void **state)
{
	struct plan *none = LOAD("templates", "");
	struct plan *staff = LOAD("templates", "templates:\n"
		"  - name: s\n    audience: staff\n    text: Hi\n");
	struct plan *personal = LOAD("services", SVC_APP
		"    personal_data: yes\n");
	struct plan *cnil = LOAD("services", SVC_APP
		"    personal_data: yes\n", "templates", "templates:\n"
		"  - name: s\n    audience: staff\n    text: Hi\n"
		"  - name: c\n    audience: clients\n    text: Hi\n"
		"  - name: a\n    audience: authority\n    file: /x.txt\n");
	struct assess_result res;

	(void)state;
	check_at(none, now_base(), NULL, &res);
	expect(&res, "TEMPLATES-MISSING", "templates", ASSESS_WARNING,
	       "to staff");
	assert_int_equal(count_id(&res, "TEMPLATES-MISSING"), 2);
	assert_int_equal(res.n, 2);
	assess_result_release(&res);
	check_at(staff, now_base(), NULL, &res);
	expect(&res, "TEMPLATES-MISSING", "templates", ASSESS_WARNING,
	       "to clients");
	assert_int_equal(res.n, 1);
	assess_result_release(&res);
	check_at(personal, now_base(), NULL, &res);
	expect(&res, "TEMPLATES-MISSING", "templates", ASSESS_INFO, "CNIL");
	assert_int_equal(res.n, 1);
	assess_result_release(&res);
	check_at(cnil, now_base(), NULL, &res);
	expect_clean(&res);
	assess_result_release(&res);
	plan_free(none);
	plan_free(staff);
	plan_free(personal);
	plan_free(cnil);
}

/* ---- EXERCISE-STALE, PLAN-REVIEW-STALE ---- */

static void test_assess__exercise(void **state)
{
	struct plan *never = LOAD("exercise", "");
	struct plan *p = LOAD_BASE();   /* 2026-09-01, every 365d */
	int64_t last = date("2026-09-01");
	struct assess_result res;

	(void)state;
	check_at(never, now_base(), NULL, &res);
	expect(&res, "EXERCISE-STALE", "exercise", ASSESS_WARNING, "ever");
	assert_int_equal(res.n, 1);
	assess_result_release(&res);
	check_at(p, last + 365 * DAY + 1, NULL, &res);
	expect(&res, "EXERCISE-STALE", "exercise", ASSESS_WARNING,
	       "(2026-09-01)");
	assess_result_release(&res);
	check_at(p, last + 365 * DAY, NULL, &res);
	expect_none(&res, "EXERCISE-STALE");
	assess_result_release(&res);
	plan_free(never);
	plan_free(p);
}

static void test_assess__review(void **state)
{
	struct plan *never = LOAD("review", "");
	struct plan *p = LOAD("review", "review:\n  last: 2026-10-01\n"
			      "  every: 180d\n");
	int64_t last = date("2026-10-01");
	struct assess_result res;

	(void)state;
	check_at(never, now_base(), NULL, &res);
	expect(&res, "PLAN-REVIEW-STALE", "review", ASSESS_WARNING,
	       "never been reviewed");
	assert_int_equal(res.n, 1);
	assess_result_release(&res);
	check_at(p, last + 180 * DAY + 1, NULL, &res);
	expect(&res, "PLAN-REVIEW-STALE", "review", ASSESS_WARNING,
	       "every 180d");
	assess_result_release(&res);
	check_at(p, last + 180 * DAY, NULL, &res);
	expect_none(&res, "PLAN-REVIEW-STALE");
	assess_result_release(&res);
	plan_free(never);
	plan_free(p);
}

/* ---- PLAN-INCONSISTENT ---- */

static void test_assess__inconsistent(void **state)
{
	struct plan *p = LOAD("services", SVC_APP
		"  - name: web\n    criticality: low\n    rpo: 1d\n"
		"    rto: 1d\n",
		"jobs", "jobs:\n"
		"  - name: app-job\n    services: [app]\n"
		"    sources: [/srv/app]\n    repositories: [local, cloud]\n"
		"    interval: 1h\n"
		"  - name: orphan\n    sources: [/etc]\n"
		"    repositories: [local]\n",
		"drills", "drills:\n"
		"  - name: app-drill\n    service: app\n"
		"  - name: web-drill\n    service: web\n",
		"review", "review:\n  last: 2026-12-01\n");
	struct assess_service_facts f[2];
	struct assess_facts facts = { f, 2 };
	struct assess_result res;

	(void)state;
	f[0] = fresh("app", now_base());
	f[1] = fresh("old-name", now_base());
	/* plan_load refuses an RTO above the MTPD; a plan built otherwise */
	p->services[0].mtpd = 6 * HOUR;
	assert_int_equal(assess_run(p, &facts, now_base(), NULL, &res), 0);
	expect(&res, "PLAN-INCONSISTENT", "app", ASSESS_CRITICAL,
	       "The RTO of 'app' (8h) is longer than");
	expect(&res, "PLAN-INCONSISTENT", "old-name", ASSESS_WARNING,
	       "does not name");
	expect(&res, "PLAN-INCONSISTENT", "orphan", ASSESS_WARNING,
	       "tied to no service");
	expect(&res, "PLAN-INCONSISTENT", "web-drill", ASSESS_WARNING,
	       "no backup job covers");
	expect(&res, "PLAN-INCONSISTENT", "review", ASSESS_WARNING,
	       "2026-12-01, in the future");
	assert_int_equal(res.n, 5);
	assess_result_release(&res);
	/* near misses */
	p->services[0].mtpd = 8 * HOUR;
	p->review.last = date("2026-11-02");
	facts.nsvc = 1;
	assert_int_equal(assess_run(p, &facts, now_base(), NULL, &res), 0);
	assert_null(find(&res, "PLAN-INCONSISTENT", "app"));
	assert_null(find(&res, "PLAN-INCONSISTENT", "old-name"));
	assert_null(find(&res, "PLAN-INCONSISTENT", "review"));
	assert_int_equal(res.n, 2);
	assess_result_release(&res);
	plan_free(p);
}

/* ---- order, counts, translation ---- */

static int sorted(const struct assess_result *r)
{
	size_t i;
	int c;

	for (i = 1; i < r->n; i++) {
		const struct assess_finding *a = &r->v[i - 1], *b = &r->v[i];

		if (a->sev != b->sev) {
			if (a->sev < b->sev)
				return 0;
			continue;
		}
		c = strcmp(a->id, b->id);
		if (c == 0)
			c = strcmp(a->subject, b->subject);
		if (c == 0)
			c = strcmp(a->message, b->message);
		if (c > 0)
			return 0;
	}
	return 1;
}

static void test_assess__order_and_counts(void **state)
{
	struct plan *p = LOAD("call_tree", "", "templates", "", "review", "",
			      "drills", "");
	struct assess_result res;
	size_t i, n[3] = { 0, 0, 0 };

	(void)state;
	check_at(p, now_base(), drill_never, &res);
	assert_true(res.n >= 5);
	assert_true(sorted(&res));
	for (i = 0; i < res.n; i++)
		n[res.v[i].sev]++;
	for (i = 0; i < 3; i++)
		assert_int_equal(res.count[i], n[i]);
	assert_int_equal(res.v[0].sev, ASSESS_CRITICAL);
	assert_string_equal(res.v[0].id, "CALLTREE-INCOMPLETE");
	assert_string_equal(assess_severity_name(ASSESS_CRITICAL), "critical");
	assert_string_equal(assess_kind_name(ASSESS_KIND_PROVIDER),
			    "provider");
	assess_result_release(&res);
	plan_free(p);
}

static const char *tr_test(const char *s)
{
	if (strcmp(s, "The newest backup of '%s' is %s old; the plan allows "
		      "at most %s of lost work (RPO).") == 0)
		return "La dernière sauvegarde de « %s » date de %s ; le "
		       "plan tolère au plus %s de travail perdu (RPO).";
	if (strcmp(s, "GB") == 0)
		return "Go";
	return s;
}

static void test_assess__translation(void **state)
{
	struct plan *p = LOAD_BASE();
	struct assess_service_facts f = fresh("app", now_base());
	struct assess_facts facts = { &f, 1 };
	struct assess_result res;

	(void)state;
	snap_old(&f, now_base());
	rto_big(&f, now_base());
	assert_int_equal(assess_run(p, &facts, now_base(), tr_test, &res), 0);
	expect(&res, "RPO-MEASURED", "app", ASSESS_CRITICAL,
	       "La dernière sauvegarde de « app » date de 3d2h ; le plan "
	       "tolère au plus 4h de travail perdu (RPO).");
	expect(&res, "RTO-ESTIMATE", "app", ASSESS_CRITICAL, "300 Go");
	assess_result_release(&res);
	plan_free(p);
}

/* ---- the case ---- */

static struct plan *load_example(const char *name)
{
	const char *top = getenv("top");
	char path[4096];
	struct plan_errors errs = PLAN_ERRORS_INIT;
	struct plan *p = NULL;
	struct buf m = BUF_INIT;
	size_t i;

	snprintf(path, sizeof(path), "%s/examples/%s", top ? top : ".", name);
	if (plan_load(path, &p, &errs) != 0) {
		for (i = 0; i < errs.n; i++) {
			buf_reset(&m);
			plan_error_message(&errs.v[i], NULL, &m);
			fprintf(stderr, "%s:%d:%d: %s\n", path,
				errs.v[i].line, errs.v[i].col, buf_cstr(&m));
		}
	}
	buf_release(&m);
	plan_errors_release(&errs);
	assert_non_null(p);
	return p;
}

/* noon: 12:00 UTC of the day of t, or of the day before when t is
 * earlier in the day. */
static int64_t last_noon(int64_t t)
{
	int64_t noon = t - t % DAY + 12 * HOUR;

	return noon <= t ? noon : noon - DAY;
}

/* has_critical: a critical finding id about subject (NULL: any). */
static void has_critical(const struct assess_result *r, const char *id,
			 const char *subject)
{
	const struct assess_finding *f = find(r, id, subject);

	if (f == NULL || f->sev != ASSESS_CRITICAL) {
		fprintf(stderr, "the case: expected critical %s on %s; got:\n",
			id, subject ? subject : "(any)");
		dump(r);
		fail();
	}
}

/*
 * RH Partenaires on the Monday morning of its crisis, March 2026: one
 * server at NuageSud whose contract guarantees no restore time, one
 * backup a day at noon kept at NuageSud, never restored, nobody watching
 * the hardware, no call tree.
 */
static void test_assess__case_before_crisis(void **state)
{
	struct plan *p = load_example("plan-before-crisis.yaml");
	int64_t now = date("2026-03-09") + 8 * HOUR;
	struct assess_service_facts f[3];
	struct assess_facts facts = { f, 3 };
	static const char *const svc[] = { "paie", "dossiers-rh",
					   "facturation" };
	struct assess_result res;
	size_t i;

	(void)state;
	for (i = 0; i < 3; i++) {
		memset(&f[i], 0, sizeof(f[i]));
		f[i].service = svc[i];
		f[i].newest_snapshot = last_noon(now);
		f[i].data_bytes = 80000000000u;
	}
	assert_int_equal(assess_run(p, &facts, now, NULL, &res), 0);
	if (getenv("ASSESS_DUMP"))
		dump(&res);
	/* the contract promises no restore time */
	has_critical(&res, "CONTRACT-NO-SLA", "paie");
	/* one backup a day for a 4-hour RPO */
	has_critical(&res, "RPO-SCHEDULE", "paie");
	has_critical(&res, "RPO-SCHEDULE", "dossiers-rh");
	/* kept at the same provider only */
	has_critical(&res, "COPIES-321", "paie");
	has_critical(&res, "COPIES-321", "dossiers-rh");
	/* never restored */
	has_critical(&res, "DRILL-NONE", "paie");
	has_critical(&res, "DRILL-NONE", "dossiers-rh");
	/* nobody watching the hardware */
	has_critical(&res, "MONITOR-NONE", "srv-metier");
	/* no call tree */
	has_critical(&res, "CALLTREE-INCOMPLETE", "call_tree");
	/* and no IT referent */
	has_critical(&res, "REFERENT-NONE", "people");
	assert_true(res.count[ASSESS_CRITICAL] > 0);
	assert_true(sorted(&res));
	assess_result_release(&res);
	plan_free(p);
}

/* The plan written after the crisis, with a recent passing drill and
 * fresh backups (off site too): nothing critical. */
static void test_assess__case_sound_plan(void **state)
{
	struct plan *p = load_example("plan.yaml");
	int64_t now = date("2026-11-02") + 9 * HOUR;
	struct assess_service_facts *f;
	struct assess_facts facts;
	struct assess_result res;
	size_t i;

	(void)state;
	f = calloc(p->nservices, sizeof(*f));
	assert_non_null(f);
	for (i = 0; i < p->nservices; i++)
		f[i] = fresh(p->services[i].name, now);
	facts.svc = f;
	facts.nsvc = p->nservices;
	assert_int_equal(assess_run(p, &facts, now, NULL, &res), 0);
	if (res.count[ASSESS_CRITICAL] != 0 || getenv("ASSESS_DUMP")) {
		fprintf(stderr, "examples/plan.yaml:\n");
		dump(&res);
	}
	assert_int_equal(res.count[ASSESS_CRITICAL], 0);
	assess_result_release(&res);
	free(f);
	plan_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_assess__base_is_clean),
		cmocka_unit_test(test_assess__einval),
		cmocka_unit_test(test_assess__backup_none),
		cmocka_unit_test(test_assess__rpo_schedule),
		cmocka_unit_test(test_assess__rpo_measured),
		cmocka_unit_test(test_assess__rpo_offsite),
		cmocka_unit_test(test_assess__drill_none),
		cmocka_unit_test(test_assess__drill_failed),
		cmocka_unit_test(test_assess__drill_stale),
		cmocka_unit_test(test_assess__rto_estimate),
		cmocka_unit_test(test_assess__rto_standby),
		cmocka_unit_test(test_assess__rto_unknown),
		cmocka_unit_test(test_assess__contract_no_sla),
		cmocka_unit_test(test_assess__contract_sla_exceeds_rto),
		cmocka_unit_test(test_assess__contract_hours),
		cmocka_unit_test(test_assess__contract_notice),
		cmocka_unit_test(test_assess__contract_clauses),
		cmocka_unit_test(test_assess__copies),
		cmocka_unit_test(test_assess__monitor),
		cmocka_unit_test(test_assess__referent),
		cmocka_unit_test(test_assess__calltree),
		cmocka_unit_test(test_assess__templates),
		cmocka_unit_test(test_assess__exercise),
		cmocka_unit_test(test_assess__review),
		cmocka_unit_test(test_assess__inconsistent),
		cmocka_unit_test(test_assess__order_and_counts),
		cmocka_unit_test(test_assess__translation),
		cmocka_unit_test(test_assess__case_before_crisis),
		cmocka_unit_test(test_assess__case_sound_plan),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
