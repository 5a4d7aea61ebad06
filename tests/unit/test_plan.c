/*
 * test_plan: the plan file.  The two examples load with the values they
 * say; each kind of error is reported at its line and column with what
 * was found, what was expected and the nearest known key or name; one
 * file with many mistakes reports them all; durations and dates are
 * table-driven.  Example paths are found from $top (tests/run-tests.sh
 * exports it) or the current directory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "plan/plan_internal.h"
#include "util/err.h"

#define H ((int64_t)3600)
#define D ((int64_t)86400)

static char *example_path(const char *name)
{
	const char *top = getenv("top");
	static char path[4096];

	snprintf(path, sizeof(path), "%s/examples/%s", top && *top ? top : ".",
		 name);
	return path;
}

static struct plan *load_example(const char *name)
{
	struct plan_errors errs = PLAN_ERRORS_INIT;
	struct plan *p = NULL;
	struct buf m = BUF_INIT;
	size_t i;
	int rc = plan_load(example_path(name), &p, &errs);

	for (i = 0; i < errs.n; i++) {
		buf_reset(&m);
		plan_error_message(&errs.v[i], NULL, &m);
		print_error("%s:%d:%d: %s\n", errs.v[i].file, errs.v[i].line,
			    errs.v[i].col, buf_cstr(&m));
	}
	buf_release(&m);
	assert_int_equal(rc, 0);
	assert_int_equal(errs.n, 0);
	assert_non_null(p);
	plan_errors_release(&errs);
	return p;
}

static int64_t date(const char *s)
{
	int64_t t = 0;

	assert_int_equal(plan_date_parse(s, &t), 0);
	return t;
}

/* ---- the examples ---- */

static void check_example_services(const struct plan *p)
{
	const struct plan_service *paie = plan_find_service(p, "paie");
	const struct plan_service *ext = plan_find_service(p, "extranet");
	const struct plan_service *mail = plan_find_service(p, "messagerie");

	assert_int_equal(p->nservices, 5);
	assert_non_null(paie);
	assert_int_equal(paie->criticality, PLAN_CRIT_CRITICAL);
	assert_int_equal(paie->rpo, 1 * H);
	assert_int_equal(paie->rto, 8 * H);
	assert_int_equal(paie->mtpd, 2 * D);
	assert_int_equal(paie->needs_24x7, 0);
	assert_int_equal(paie->personal_data, 1);
	assert_int_equal(paie->nhosts, 1);
	assert_ptr_equal(paie->hosts[0], plan_find_host(p, "srv-metier"));
	assert_ptr_equal(paie->provider, plan_find_provider(p, "nuagesud"));
	assert_int_equal(paie->data_paths.n, 2);
	assert_string_equal(paie->data_paths.v[1], "/var/lib/postgresql");
	assert_int_equal(paie->pos.line, 208);
	assert_int_equal(paie->pos.col, 5);
	assert_int_equal(ext->needs_24x7, 1);
	assert_int_equal(ext->criticality, PLAN_CRIT_HIGH);
	assert_int_equal(mail->nhosts, 0);
	assert_string_equal(mail->provider->name, "messagerie-365");
	assert_int_equal(plan_find_service(p, "facturation")->personal_data,
			 0);
}

static void check_example_providers(const struct plan *p)
{
	const struct plan_provider *ns = plan_find_provider(p, "nuagesud");
	const struct plan_provider *os = plan_find_provider(p, "objets-sur");
	const struct plan_contract *k = &ns->contract;

	assert_int_equal(p->nproviders, 3);
	assert_true(k->present);
	assert_string_equal(k->reference, "NS-INFOG-2026-118");
	assert_int_equal(k->start, date("2026-04-01"));
	assert_int_equal(k->end, date("2027-03-31"));
	assert_int_equal(k->renewal, PLAN_RENEWAL_AUTOMATIC);
	assert_int_equal(k->renewal_period, 365 * D);
	assert_int_equal(k->notice, 90 * D);
	assert_int_equal(plan_contract_notice_date(k), date("2026-12-31"));
	assert_int_equal(k->support_hours, PLAN_HOURS_24X7);
	assert_int_equal(k->response_time, 1 * H);
	assert_int_equal(k->restore_time, 4 * H);
	assert_int_equal(k->provisioning, 4 * H);
	assert_int_equal(k->continuity_clause, 1);
	assert_int_equal(k->reversibility, 1);
	assert_non_null(strstr(k->penalties, "GTR"));
	assert_int_equal(os->contract.restore_time, PLAN_NONE);
	assert_int_equal(os->contract.provisioning, PLAN_UNSET);
	assert_int_equal(os->contract.support_hours, PLAN_HOURS_BUSINESS);
}

static void check_example_hosts(const struct plan *p)
{
	const struct plan_host *srv = plan_find_host(p, "srv-metier");
	const struct plan_host *sec = plan_find_host(p, "srv-secours");

	assert_int_equal(p->nhosts, 3);
	assert_int_equal(srv->monitoring.hwmon, 1);
	assert_int_equal(srv->monitoring.smart, 1);
	assert_int_equal(srv->monitoring.probes.n, 2);
	assert_int_equal(srv->monitoring.nalert, 2);
	assert_string_equal(srv->monitoring.alert[0]->id, "julien-roche");
	assert_int_equal(srv->monitoring.nthresholds, 2);
	assert_string_equal(srv->monitoring.thresholds[0].match,
			    "Package id *");
	assert_int_equal(srv->monitoring.thresholds[0].limit, 80);
	assert_int_equal(srv->monitoring.thresholds[0].lead, PLAN_UNSET);
	assert_string_equal(srv->monitoring.thresholds[1].match, "/srv");
	assert_int_equal(srv->monitoring.thresholds[1].limit, 85);
	assert_int_equal(srv->monitoring.thresholds[1].lead, 2 * D);
	assert_int_equal(sec->monitoring.nthresholds, 0);
	assert_ptr_equal(srv->standby, sec);
	assert_int_equal(srv->ready_in, PLAN_UNSET);
	assert_int_equal(sec->ready_in, 2 * H);
	assert_null(sec->standby);
	assert_null(plan_find_host(p, "nas-bureau")->provider);
}

static void check_example_backups(const struct plan *p)
{
	const struct plan_repository *off = plan_find_repo(p, "hors-site");
	const struct plan_job *db = plan_find_job(p, "paie-base");
	const struct plan_job *mail = plan_find_job(p, "messagerie-export");

	assert_int_equal(p->nrepos, 2);
	assert_int_equal(off->medium, PLAN_MEDIUM_S3);
	assert_int_equal(off->offsite, 1);
	assert_int_equal(off->immutable, 1);
	assert_int_equal(off->offline, 0);
	assert_int_equal(plan_find_repo(p, "nas")->medium, PLAN_MEDIUM_NAS);
	assert_int_equal(p->njobs, 3);
	assert_string_equal(db->command, "pg_dumpall --clean");
	assert_int_equal(db->sources.n, 0);
	assert_int_equal(db->interval, PLAN_UNSET);
	assert_int_equal(plan_job_interval(p, db), 1 * H);
	assert_true(plan_job_covers(db, plan_find_service(p, "facturation")));
	assert_false(plan_job_covers(db, plan_find_service(p, "extranet")));
	assert_int_equal(db->nrepos, 2);
	assert_ptr_equal(db->repos[1], off);
	assert_int_equal(db->retention.hourly, 48);
	assert_int_equal(db->retention.yearly, 10);
	assert_int_equal(db->retention.last, 0);
	assert_int_equal(db->retention.within, PLAN_UNSET);
	assert_int_equal(db->at, -1);
	assert_int_equal(mail->at, 2 * 60 + 30);
	assert_int_equal(plan_job_interval(p, mail), 1 * D);
	assert_int_equal(plan_find_job(p, "fichiers-metier")->exclude.n, 2);
}

static void check_example_drills(const struct plan *p)
{
	assert_int_equal(p->ndrills, 4);
	assert_ptr_equal(p->drills[0].service, plan_find_service(p, "paie"));
	assert_null(p->drills[0].job);
	assert_int_equal(p->drills[0].every, 30 * D);
	assert_int_equal(p->drills[0].scope, PLAN_SCOPE_WHOLE);
	assert_ptr_equal(p->drills[1].job, plan_find_job(p, "paie-base"));
	assert_int_equal(p->drills[2].scope, PLAN_SCOPE_SAMPLE);
	assert_int_equal(p->drills[2].sample, 10);
	assert_int_equal(p->drills[2].compare_source, 1);
	assert_null(p->drills[3].repo);
	assert_int_equal(p->drills[3].every, 90 * D);
}

static void check_example_people(const struct plan *p)
{
	const struct plan_person *dir = plan_find_person(p, "claire-martin");

	assert_int_equal(p->npeople, 5);
	assert_int_equal(dir->roles,
			 PLAN_ROLE_DIRECTOR | PLAN_ROLE_COMMUNICATION);
	assert_int_equal(plan_count_role(p, PLAN_ROLE_IT_REFERENT), 1);
	assert_int_equal(plan_count_role(p, PLAN_ROLE_IT_DEPUTY), 1);
	assert_int_equal(plan_count_role(p, PLAN_ROLE_COMMUNICATION), 2);
	assert_string_equal(dir->phone, "+33 6 12 34 56 78");
	assert_int_equal(p->ncontacts, 3);
	assert_int_equal(p->ncall_tree, 3);
	assert_int_equal(p->call_tree[0].ncall, 2);
	assert_int_equal(p->call_tree[0].escalate_after, 15 * 60);
	assert_ptr_equal(p->call_tree[1].call[0], dir);
	assert_int_equal(p->call_tree[2].escalate_after, 1 * H);
	assert_ptr_equal(p->review.signed_by, dir);
	assert_int_equal(p->review.last, date("2026-10-05"));
	assert_int_equal(p->review.every, 365 * D);
	assert_int_equal(p->exercise.last, date("2026-09-22"));
	assert_int_equal(p->exercise.every, 180 * D);
}

static void check_example_templates(const struct plan *p)
{
	assert_int_equal(p->ntemplates, 5);
	assert_int_equal(p->templates[0].audience, PLAN_AUDIENCE_STAFF);
	assert_int_equal(p->templates[0].lang, PLAN_LANG_FR);
	assert_non_null(strstr(p->templates[0].text, "{service}"));
	assert_null(p->templates[0].file);
	assert_int_equal(p->templates[2].lang, PLAN_LANG_EN);
	assert_int_equal(p->templates[3].audience, PLAN_AUDIENCE_PROVIDER);
	assert_int_equal(p->templates[4].audience, PLAN_AUDIENCE_AUTHORITY);
	assert_null(p->templates[4].text);
	assert_string_equal(p->templates[4].file,
			    "/etc/reprise/templates/cnil-notification.txt");
}

static void test_plan__example(void **state)
{
	struct plan *p = load_example("plan.yaml");

	(void)state;
	assert_string_equal(p->company.name, "RH Partenaires SAS");
	assert_int_equal(p->company.staff, 42);
	assert_int_equal(p->version, 1);
	assert_int_equal(p->lang, PLAN_LANG_FR);
	check_example_services(p);
	check_example_providers(p);
	check_example_hosts(p);
	check_example_backups(p);
	check_example_drills(p);
	check_example_people(p);
	check_example_templates(p);
	plan_free(p);
}

static void test_plan__before_crisis(void **state)
{
	struct plan *p = load_example("plan-before-crisis.yaml");
	const struct plan_contract *k = &p->providers[0].contract;

	(void)state;
	assert_int_equal(p->nhosts, 1);
	assert_int_equal(p->hosts[0].monitoring.hwmon, 0);
	assert_int_equal(p->hosts[0].monitoring.smart, 0);
	assert_int_equal(p->hosts[0].monitoring.nalert, 0);
	assert_null(p->hosts[0].standby);
	assert_int_equal(k->restore_time, PLAN_NONE);
	assert_int_equal(k->provisioning, PLAN_UNSET);
	assert_int_equal(k->support_hours, PLAN_HOURS_BUSINESS);
	assert_int_equal(k->continuity_clause, 0);
	assert_int_equal(p->nrepos, 1);
	assert_int_equal(p->repos[0].offsite, 0);
	assert_int_equal(p->repos[0].immutable, 0);
	assert_ptr_equal(p->repos[0].provider, &p->providers[0]);
	assert_int_equal(p->njobs, 1);
	assert_int_equal(plan_job_interval(p, &p->jobs[0]), 1 * D);
	assert_int_equal(p->jobs[0].at, 12 * 60);
	assert_int_equal(p->ndrills, 0);
	assert_int_equal(p->ncall_tree, 0);
	assert_int_equal(p->ntemplates, 0);
	assert_int_equal(plan_count_role(p, PLAN_ROLE_IT_REFERENT), 0);
	assert_int_equal(p->review.last, PLAN_UNSET);
	assert_null(p->review.signed_by);
	assert_int_equal(p->exercise.last, PLAN_UNSET);
	assert_int_equal(p->services[0].rpo, 4 * H);
	plan_free(p);
}

/* ---- errors ---- */

struct want {
	int line, col;
	const char *what, *subject, *found, *hint;
};

static void dump(const struct plan_errors *errs)
{
	struct buf m = BUF_INIT;
	size_t i;

	for (i = 0; i < errs->n; i++) {
		buf_reset(&m);
		plan_error_message(&errs->v[i], NULL, &m);
		print_error("  %d:%d: %s\n", errs->v[i].line, errs->v[i].col,
			    buf_cstr(&m));
	}
	buf_release(&m);
}

static int str_eq(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a && b && strcmp(a, b) == 0);
}

static int matches(const struct plan_error *e, const struct want *w)
{
	return e->line == w->line && e->col == w->col &&
	       str_eq(e->what, w->what) && str_eq(e->subject, w->subject) &&
	       (w->found == NULL || str_eq(e->found, w->found)) &&
	       str_eq(e->hint, w->hint);
}

/* expect: yaml has exactly the n errors of w, in this order. */
static void expect(const char *yaml, const struct want *w, size_t n)
{
	struct plan_errors errs = PLAN_ERRORS_INIT;
	struct plan *p = (struct plan *)1;
	size_t i;
	int rc = plan_load_mem("t.yaml", yaml, strlen(yaml), &p, &errs);

	if (errs.n != n)
		dump(&errs);
	assert_int_equal(rc, RP_EFORMAT);
	assert_null(p);
	assert_int_equal(errs.n, n);
	for (i = 0; i < n; i++) {
		if (!matches(&errs.v[i], &w[i])) {
			dump(&errs);
			print_error("error %zu should be %d:%d %s '%s'\n", i,
				    w[i].line, w[i].col, w[i].what,
				    w[i].subject ? w[i].subject : "");
			fail();
		}
		assert_string_equal(errs.v[i].file, "t.yaml");
	}
	plan_errors_release(&errs);
}

#define EXPECT(yaml, ...)                                              \
	do {                                                           \
		const struct want w_[] = { __VA_ARGS__ };              \
		expect((yaml), w_, sizeof(w_) / sizeof(w_[0]));        \
	} while (0)

#define CO "company: {name: X}\n"
#define SVC "  - {name: s, criticality: low, rto: 1h, rpo: 1h}\n"
/* SVC_WITH: a plan with one service that also has key x. */
#define SVC_WITH(x) \
	CO "services:\n  - {name: s, criticality: low, rto: 1h, rpo: 1h, " \
	x "}\n"

static void test_plan__unknown_keys(void **state)
{
	(void)state;
	EXPECT(CO "langage: fr\n",
	       { 2, 1, "unknown key", "langage", NULL, "language" });
	EXPECT(CO "services:\n"
		  "  - name: s\n"
		  "    criticality: low\n"
		  "    RTO: 1h\n"
		  "    rpo: 1h\n"
		  "    data-paths: [/x]\n",
	       { 3, 5, "missing key", "rto", NULL, NULL },
	       { 5, 5, "unknown key", "RTO", NULL, "rto" },
	       { 7, 5, "unknown key", "data-paths", NULL, "data_paths" });
	EXPECT(CO "jobs:\n"
		  "  - name: j\n"
		  "    sources: [/x]\n"
		  "    repositories: [r]\n"
		  "    retension: {daily: 7, hourlly: 3}\n"
		  "repositories:\n"
		  "  - {name: r, url: /r, medium: disk}\n",
	       { 6, 5, "unknown key", "retension", NULL, "retention" });
	EXPECT(CO "jobs:\n"
		  "  - name: j\n"
		  "    sources: [/x]\n"
		  "    repositories: [r]\n"
		  "    retention: {daily: 7, hourlly: 3}\n"
		  "repositories:\n"
		  "  - {name: r, url: /r, medium: disk}\n",
	       { 6, 27, "unknown key", "hourlly", NULL, "hourly" });
}

static void test_plan__unknown_key_lists_known(void **state)
{
	struct plan_errors errs = PLAN_ERRORS_INIT;
	struct plan *p;
	struct buf m = BUF_INIT;
	const char *y = "company:\n  name: X\n  zzzzzz: 1\n";

	(void)state;
	assert_int_equal(plan_load_mem("t.yaml", y, strlen(y), &p, &errs),
			 RP_EFORMAT);
	assert_int_equal(errs.n, 1);
	assert_null(errs.v[0].hint);
	assert_int_equal(plan_error_message(&errs.v[0], NULL, &m), 0);
	assert_string_equal(buf_cstr(&m),
			    "unknown key 'zzzzzz', expected one of these keys: "
			    "name, sector, staff, address");
	buf_release(&m);
	plan_errors_release(&errs);
}

static void test_plan__wrong_types(void **state)
{
	(void)state;
	EXPECT(CO "hosts:\n  - name: h\nservices:\n"
		  "  - {name: s, criticality: low, rto: 1h, rpo: 1h, "
		  "hosts: h}\n",
	       { 5, 58, "wrong type for", "hosts", NULL, NULL });
	EXPECT(CO "services: paie\n",
	       { 2, 11, "wrong type for", "services", NULL, NULL });
	EXPECT(CO "services:\n  - paie\n",
	       { 3, 5, "wrong type for", "services", NULL, NULL });
	EXPECT("company: [a]\n",
	       { 1, 10, "wrong type for", "company", NULL, NULL });
	EXPECT(CO "services:\n  - {name: [s], criticality: low, rto: 1h, "
		  "rpo: 1h}\n",
	       { 3, 12, "wrong type for", "name", NULL, NULL });
	EXPECT("- a\n", { 1, 1, "wrong type", NULL, NULL, NULL });
	EXPECT(CO "people:\n  - {id: a, name: A, roles: director}\n",
	       { 3, 29, "wrong type for", "roles", NULL, NULL });
}

static void test_plan__bad_values(void **state)
{
	(void)state;
	EXPECT(CO "services:\n"
		  "  - name: s\n"
		  "    criticality: critcal\n"
		  "    rto: 4x\n"
		  "    rpo: 0s\n"
		  "    mtpd: 1h 30m\n"
		  "    personal_data: peut-être\n",
	       { 4, 18, "bad value for", "criticality", "critcal",
		 "critical" },
	       { 5, 10, "bad duration for", "rto", "4x", NULL },
	       { 6, 10, "bad duration for", "rpo", "0s", NULL },
	       { 7, 11, "bad duration for", "mtpd", "1h 30m", NULL },
	       { 8, 20, "bad value for", "personal_data", "peut-être",
		 NULL });
	EXPECT(CO "review: {last: 2026-02-30}\n"
		  "exercise: {last: 26-01-01}\n",
	       { 2, 16, "bad date for", "last", "2026-02-30", NULL },
	       { 3, 18, "bad date for", "last", "26-01-01", NULL });
	EXPECT(CO "company2: 1\nversion: 2\nlanguage: de\n",
	       { 2, 1, "unknown key", "company2", NULL, "company" },
	       { 3, 10, "unsupported version", NULL, "2", NULL },
	       { 4, 11, "bad value for", "language", "de", NULL });
	EXPECT(CO "hosts:\n  - name: srv un\n",
	       { 3, 11, "bad name for", "name", "srv un", NULL });
	EXPECT(CO "people:\n  - {id: a, name: A, roles: [directeur]}\n",
	       { 3, 30, "bad value for", "roles", "directeur", "director" });
	EXPECT(CO "jobs:\n  - {name: j, command: x, repositories: [r], "
		  "at: 25:00}\n"
		  "repositories:\n  - {name: r, url: /r, medium: nass}\n",
	       { 3, 50, "bad time for", "at", "25:00", NULL },
	       { 5, 32, "bad value for", "medium", "nass", "nas" });
	EXPECT(CO "drills:\n  - {name: d, job: j, scope: sample, "
		  "sample: 0%}\n",
	       { 3, 20, "unknown backup job", "j", NULL, NULL },
	       { 3, 46, "bad value for", "sample", "0%", NULL });
	EXPECT(CO "providers:\n  - name: p\n    contract:\n"
		  "      restore_time: never\n      response_time: none\n",
	       { 5, 21, "bad duration for", "restore_time", "never", NULL },
	       { 6, 22, "bad duration for", "response_time", "none",
		 NULL });
}

static void test_plan__references(void **state)
{
	(void)state;
	EXPECT(CO "hosts:\n  - {name: srv1, provider: hebergeur}\n"
		  "providers:\n  - name: hebergeurs\n"
		  "services:\n  - {name: s, criticality: low, rto: 1h, "
		  "rpo: 1h, hosts: [srv1, srv2], provider: ovh}\n",
	       { 3, 28, "unknown provider", "hebergeur", NULL, "hebergeurs" },
	       { 7, 65, "unknown host", "srv2", NULL, "srv1" },
	       { 7, 82, "unknown provider", "ovh", NULL, NULL });
	EXPECT(CO "services:\n" SVC
		  "repositories:\n  - {name: nas, url: /r, medium: nas}\n"
		  "jobs:\n  - name: j\n    services: [s, compta]\n"
		  "    command: dump\n    repositories: [nass]\n",
	       { 8, 19, "unknown service", "compta", NULL, NULL },
	       { 10, 20, "unknown repository", "nass", NULL, "nas" });
	EXPECT(CO "services:\n" SVC
		  "drills:\n  - {name: d1, service: t, repository: r}\n"
		  "  - {name: d2, job: s}\n",
	       { 5, 25, "unknown service", "t", NULL, "s" },
	       { 5, 40, "unknown repository", "r", NULL, NULL },
	       { 6, 21, "unknown backup job", "s", NULL, NULL });
	EXPECT(CO "people:\n  - {id: alice, name: Alice}\n"
		  "call_tree:\n  - call: [alice, bob, alcie]\n"
		  "review: {signed_by: claire}\n"
		  "hosts:\n  - name: h\n    monitoring: {alert: [alice2]}\n",
	       { 5, 19, "unknown person", "bob", NULL, NULL },
	       { 5, 24, "unknown person", "alcie", NULL, "alice" },
	       { 6, 21, "unknown person", "claire", NULL, NULL },
	       { 9, 26, "unknown person", "alice2", NULL, "alice" });
}

static void test_plan__structure(void **state)
{
	(void)state;
	/* missing keys, missing values, duplicates */
	EXPECT("services:\n  - name: s\n    rto:\n    rpo: 1h\n"
	       "    criticality: low\n    rpo: 2h\n"
	       "  - {name: s, criticality: low, rto: 1h, rpo: 1h}\n",
	       { 1, 1, "missing key", "company", NULL, NULL },
	       { 3, 5, "missing value for", "rto", NULL, NULL },
	       { 6, 5, "duplicate key", "rpo", NULL, NULL },
	       { 7, 12, "duplicate name", "s", NULL, NULL });
	/* exactly one of */
	EXPECT(CO "repositories:\n  - {name: r, url: /r, medium: usb}\n"
		  "jobs:\n  - {name: a, repositories: [r]}\n"
		  "  - {name: b, repositories: [r], command: x, sources: [/]}\n"
		  "  - {name: c, repositories: [], sources: []}\n",
	       { 5, 5, "missing key", "sources", NULL, NULL },
	       { 6, 34, "conflicting keys", "command", NULL, NULL },
	       { 7, 29, "empty list for", "repositories", NULL, NULL },
	       { 7, 42, "empty list for", "sources", NULL, NULL });
	EXPECT(CO "templates:\n  - {name: t, audience: staff, text: a, "
		  "file: b}\n  - {name: u, audience: staf}\n"
		  "call_tree:\n  - escalate_after: 1h\n",
	       { 3, 41, "conflicting keys", "file", NULL, NULL },
	       { 4, 5, "missing key", "text", NULL, NULL },
	       { 4, 25, "bad value for", "audience", "staf", "staff" },
	       { 6, 5, "missing key", "call", NULL, NULL });
}

static void test_plan__consistency(void **state)
{
	(void)state;
	EXPECT(CO "services:\n  - name: s\n    criticality: high\n"
		  "    rto: 3d\n    rpo: 4d\n    mtpd: 2d\n",
	       { 5, 10, "inconsistent value for", "rto", "3d", NULL },
	       { 6, 10, "inconsistent value for", "rpo", "4d", NULL });
	EXPECT(CO "providers:\n  - name: p\n    contract: {start: 2026-05-01, "
		  "end: 2026-04-30}\n",
	       { 4, 40, "inconsistent value for", "end", "2026-04-30",
		 NULL });
	EXPECT(CO "hosts:\n  - name: a\n    monitoring:\n      thresholds:\n"
		  "        - {match: x}\n        - {limit: 3}\n",
	       { 6, 11, "missing key", "limit", NULL, NULL },
	       { 7, 11, "missing key", "match", NULL, NULL });
	EXPECT(CO "hosts:\n  - {name: a, standby: a}\n",
	       { 3, 24, "a host cannot be its own standby", "a", NULL,
		 NULL });
	EXPECT(CO "services:\n" SVC
		  "repositories:\n  - {name: r1, url: /1, medium: usb}\n"
		  "  - {name: r2, url: /2, medium: s3}\n"
		  "jobs:\n  - {name: j, services: [s], repositories: [r1], "
		  "command: x}\n"
		  "drills:\n  - {name: d1, job: j, repository: r2}\n"
		  "  - {name: d2, service: s, repository: r2}\n"
		  "  - {name: d3, service: s, repository: r1}\n",
	       { 10, 36, "the drill's backups are not in repository", "r2",
		 NULL, NULL },
	       { 11, 40, "the drill's backups are not in repository", "r2",
		 NULL, NULL });
}

static void test_plan__syntax(void **state)
{
	(void)state;
	EXPECT(CO "services:\n  - name: a\n    rto: [1h\n",
	       { 5, 1, "invalid YAML", NULL, NULL, NULL });
	EXPECT("company:\n\tname: X\n",
	       { 2, 1, "invalid YAML", NULL, NULL, NULL });
	EXPECT("company:\n  name: \"\xc3\xa9t\xc3\xa9\" x: [\n",
	       { 2, 15, "invalid YAML", NULL, NULL, NULL });
	EXPECT("", { 0, 0, "the plan is empty", NULL, NULL, NULL });
	EXPECT("---\n" CO "---\nservices: []\n",
	       { 4, 1, "a second YAML document", NULL, NULL, NULL });
	EXPECT(CO "---\nservices: [\n",
	       { 4, 1, "invalid YAML", NULL, NULL, NULL });
	EXPECT("# only a comment\n",
	       { 0, 0, "the plan is empty", NULL, NULL, NULL });
}

/* The issue's own example: a file with many mistakes lists them all,
 * sorted by position, whatever the phase that found them. */
static void test_plan__many_errors(void **state)
{
	struct plan_errors errs = PLAN_ERRORS_INIT;
	struct plan *p;
	size_t i;
	char path[4096];

	(void)state;
	snprintf(path, sizeof(path), "%s/tests/data/plans/many-errors.yaml",
		 getenv("top") && *getenv("top") ? getenv("top") : ".");
	assert_int_equal(plan_load(path, &p, &errs), RP_EFORMAT);
	if (errs.n != 15)
		dump(&errs);
	assert_int_equal(errs.n, 15);
	for (i = 1; i < errs.n; i++)
		assert_true(errs.v[i - 1].line < errs.v[i].line ||
			    (errs.v[i - 1].line == errs.v[i].line &&
			     errs.v[i - 1].col <= errs.v[i].col));
	plan_errors_release(&errs);
	/* errs may be NULL */
	assert_int_equal(plan_load(path, &p, NULL), RP_EFORMAT);
	assert_null(p);
}

static void test_plan__limits(void **state)
{
	struct plan_errors errs = PLAN_ERRORS_INIT;
	struct plan *p;
	char tmpl[] = "/tmp/test_plan.XXXXXX";
	size_t n = PLAN_MAX_FILE + 10, i, len;
	char *big = malloc(n);
	int fd;

	(void)state;
	/* a file over the cap is refused before it is read */
	memset(big, '#', n);
	fd = mkstemp(tmpl);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, big, n), (ssize_t)n);
	close(fd);
	assert_int_equal(plan_load(tmpl, &p, &errs), RP_EFORMAT);
	assert_int_equal(errs.n, 1);
	assert_int_equal(errs.v[0].line, 0);
	assert_string_equal(errs.v[0].what, "the file is too large");
	unlink(tmpl);
	plan_errors_release(&errs);
	assert_int_equal(plan_load("/nonexistent/plan.yaml", &p, &errs),
			 RP_ENOTFOUND);
	assert_int_equal(errs.n, 0);
	/* errors past the cap are counted, not kept */
	len = (size_t)snprintf(big, n, CO "services:\n");
	for (i = 0; i < 150; i++)
		len += (size_t)snprintf(big + len, n - len,
					"  - {name: s%zu, criticality: lo, "
					"rto: 1h, rpo: 1h}\n", i);
	assert_int_equal(plan_load_mem("t", big, len, &p, &errs), RP_EFORMAT);
	assert_int_equal(errs.n, PLAN_MAX_ERRORS);
	assert_int_equal(errs.dropped, 50);
	plan_errors_release(&errs);
	/* aliases cannot make the walk explode; the reason is kept */
	len = (size_t)snprintf(big, n, CO "services:\n  - &s {name: a, "
			       "criticality: low, rto: 1h, rpo: 1h, "
			       "data_paths: [");
	for (i = 0; i < 1000; i++)
		len += (size_t)snprintf(big + len, n - len, "%s/p",
					i ? "," : "");
	len += (size_t)snprintf(big + len, n - len, "]}\n");
	for (i = 0; i < 999; i++)
		len += (size_t)snprintf(big + len, n - len, "  - *s\n");
	assert_int_equal(plan_load_mem("t", big, len, &p, &errs), RP_EFORMAT);
	assert_string_equal(errs.v[0].what, "the plan is too large");
	assert_int_equal(errs.v[0].line, 0);
	plan_errors_release(&errs);
	free(big);
}

/* ---- messages ---- */

static const char *shout(const char *s)
{
	if (strcmp(s, ", expected %s") == 0)
		return ", attendu : %s";
	if (strcmp(s, "bad duration for") == 0)
		return "durée invalide pour";
	return s;
}

static void test_plan__message(void **state)
{
	struct plan_errors errs = PLAN_ERRORS_INIT;
	struct plan *p;
	struct buf m = BUF_INIT;
	const char *y = CO "services:\n  - {name: s, criticality: low, "
			"rto: \"4h\n\n  x\", rpo: 1h}\n";

	(void)state;
	assert_int_equal(plan_load_mem("t", y, strlen(y), &p, &errs),
			 RP_EFORMAT);
	assert_int_equal(errs.n, 1);
	assert_int_equal(plan_error_message(&errs.v[0], NULL, &m), 0);
	/* a value over several lines is shown up to its first line break */
	assert_string_equal(buf_cstr(&m),
			    "bad duration for 'rto': found '4h...', expected a "
			    "duration such as 15m, 4h, 3d or 1h30m");
	buf_reset(&m);
	assert_int_equal(plan_error_message(&errs.v[0], shout, &m), 0);
	assert_string_equal(buf_cstr(&m),
			    "durée invalide pour 'rto': found '4h...', "
			    "attendu : a duration such as 15m, 4h, 3d or "
			    "1h30m");
	buf_release(&m);
	plan_errors_release(&errs);
}

/* ---- scalars ---- */

static void test_plan__durations(void **state)
{
	static const struct {
		const char *s;
		int64_t secs;  /* -1: refused */
		const char *fmt;
	} t[] = {
		{ "15m", 900, "15m" },
		{ "4h", 14400, "4h" },
		{ "3d", 259200, "3d" },
		{ "2w", 1209600, "2w" },
		{ "90s", 90, "1m30s" },
		{ "1h30m", 5400, "1h30m" },
		{ "30m1h", 5400, "1h30m" },
		{ "1d12h", 129600, "1d12h" },
		{ "1w2d3h4m5s", 788645, "1w2d3h4m5s" },
		{ "0s", 0, "0s" },
		{ "24h", 86400, "1d" },
		{ "36500d", (int64_t)36500 * 86400, "5214w2d" },
		{ "", -1, NULL },
		{ "15", -1, NULL },
		{ "m", -1, NULL },
		{ "4 h", -1, NULL },
		{ " 4h", -1, NULL },
		{ "4h ", -1, NULL },
		{ "-4h", -1, NULL },
		{ "+4h", -1, NULL },
		{ "1.5h", -1, NULL },
		{ "4H", -1, NULL },
		{ "1M", -1, NULL },
		{ "1y", -1, NULL },
		{ "1h1h", -1, NULL },
		{ "1month", -1, NULL },
		{ "99999999999999d", -1, NULL },
		{ "40000d", -1, NULL },
		{ "999999999999s", -1, NULL },
	};
	char out[DURATION_FMT_MAX];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		int64_t v = -7;
		int rc = duration_parse(t[i].s, &v);

		if (t[i].secs < 0) {
			assert_int_equal(rc, RP_EFORMAT);
			assert_int_equal(v, -7);
			continue;
		}
		assert_int_equal(rc, 0);
		assert_int_equal(v, t[i].secs);
		assert_string_equal(duration_format(v, out, sizeof(out)),
				    t[i].fmt);
	}
	assert_string_equal(duration_format(-1, out, sizeof(out)), "-");
	assert_string_equal(duration_format(3601, out, sizeof(out)), "1h1s");
	assert_string_equal(duration_format(3601, out, 3), "1h");
}

static void test_plan__dates(void **state)
{
	static const struct {
		const char *s;
		int64_t t;  /* -1: refused */
	} t[] = {
		{ "1970-01-01", 0 },
		{ "2026-03-02", 1772409600 },
		{ "2024-02-29", 1709164800 },
		{ "2000-02-29", 951782400 },
		{ "9999-12-31", 253402214400 },
		{ "2026-02-29", -1 },
		{ "1900-02-29", -1 },
		{ "2026-02-30", -1 },
		{ "2026-13-01", -1 },
		{ "2026-00-10", -1 },
		{ "2026-04-31", -1 },
		{ "1969-12-31", -1 },
		{ "2026-1-01", -1 },
		{ "2026/01/01", -1 },
		{ "2026-01-01T00:00", -1 },
		{ "26-01-01", -1 },
		{ "", -1 },
	};
	char out[16];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		int64_t v = 0;
		int rc = plan_date_parse(t[i].s, &v);

		if (t[i].t < 0) {
			assert_int_equal(rc, RP_EFORMAT);
			continue;
		}
		assert_int_equal(rc, 0);
		assert_int_equal(v, t[i].t);
		assert_string_equal(plan_date_format(v, out, sizeof(out)),
				    t[i].s);
	}
}

static void test_plan__booleans_and_more(void **state)
{
	static const char *const yes[] = { "yes", "Yes", "true", "TRUE",
					   "oui", "Oui" };
	static const char *const no[] = { "no", "NO", "false", "non", "Non" };
	static const char *const bad[] = { "y", "n", "1", "0", "vrai", "" };
	struct plan_contract k = { .end = PLAN_UNSET, .notice = PLAN_UNSET };
	char y[256];
	struct plan *p;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		snprintf(y, sizeof(y), SVC_WITH("needs_24x7: %s"), yes[i]);
		assert_int_equal(plan_load_mem("t", y, strlen(y), &p, NULL), 0);
		assert_int_equal(p->services[0].needs_24x7, 1);
		plan_free(p);
	}
	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
		snprintf(y, sizeof(y), SVC_WITH("personal_data: %s"), no[i]);
		assert_int_equal(plan_load_mem("t", y, strlen(y), &p, NULL), 0);
		assert_int_equal(p->services[0].personal_data, 0);
		plan_free(p);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(y, sizeof(y), SVC_WITH("needs_24x7: \"%s\""), bad[i]);
		assert_int_equal(plan_load_mem("t", y, strlen(y), &p, NULL),
				 RP_EFORMAT);
	}
	/* defaults: language, sample size, null values, version */
	snprintf(y, sizeof(y), CO "language: en\nversion:\nhosts: ~\n"
		 "drills:\n  - {name: d, job: j, scope: sample}\n"
		 "jobs:\n  - {name: j, command: c, repositories: [r]}\n"
		 "repositories:\n  - {name: r, url: /r, medium: tape}\n");
	assert_int_equal(plan_load_mem("t", y, strlen(y), &p, NULL), 0);
	assert_int_equal(p->lang, PLAN_LANG_EN);
	assert_int_equal(p->version, 1);
	assert_int_equal(p->nhosts, 0);
	assert_int_equal(p->drills[0].sample, 10);
	assert_null(p->drills[0].repo);
	assert_int_equal(plan_job_interval(p, &p->jobs[0]),
			 PLAN_DEFAULT_INTERVAL);
	plan_free(p);
	k.end = date("2027-01-31");
	assert_int_equal(plan_contract_notice_date(&k), PLAN_UNSET);
	k.notice = 31 * D;
	assert_int_equal(plan_contract_notice_date(&k), date("2026-12-31"));
	k.end = PLAN_UNSET;
	assert_int_equal(plan_contract_notice_date(&k), PLAN_UNSET);
	plan_free(NULL);
}

static void test_plan__nearest(void **state)
{
	static const char *const keys[] = { "rto", "rpo", "mtpd", "retention",
					    "data_paths", "repositories" };
	static const struct {
		const char *s, *want;
	} t[] = {
		{ "rto", "rto" },   { "RTO", "rto" },   { "rtx", "rto" },
		{ "rxx", NULL },    { "mptd", "mtpd" }, { "retension",
							  "retention" },
		{ "data-paths", "data_paths" },       { "repos", "rpo" },
		{ "repositorys", "repositories" },    { "zzz", NULL },
		{ "", NULL },
	};
	size_t i;

	(void)state;
	assert_int_equal(plan_edit_distance("kitten", "sitting"), 3);
	assert_int_equal(plan_edit_distance("", "abc"), 3);
	assert_int_equal(plan_edit_distance("abc", "abc"), 0);
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		const char *got = plan_nearest(t[i].s, keys, 6, sizeof(keys[0]),
					       0);

		if (!str_eq(got, t[i].want))
			print_error("nearest(%s) = %s\n", t[i].s,
				    got ? got : "NULL");
		assert_true(str_eq(got, t[i].want));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plan__example),
		cmocka_unit_test(test_plan__before_crisis),
		cmocka_unit_test(test_plan__unknown_keys),
		cmocka_unit_test(test_plan__unknown_key_lists_known),
		cmocka_unit_test(test_plan__wrong_types),
		cmocka_unit_test(test_plan__bad_values),
		cmocka_unit_test(test_plan__references),
		cmocka_unit_test(test_plan__structure),
		cmocka_unit_test(test_plan__consistency),
		cmocka_unit_test(test_plan__syntax),
		cmocka_unit_test(test_plan__many_errors),
		cmocka_unit_test(test_plan__limits),
		cmocka_unit_test(test_plan__message),
		cmocka_unit_test(test_plan__durations),
		cmocka_unit_test(test_plan__dates),
		cmocka_unit_test(test_plan__booleans_and_more),
		cmocka_unit_test(test_plan__nearest),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
