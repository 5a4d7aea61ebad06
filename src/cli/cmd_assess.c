/*
 * The plan check: `reprise check --plan FILE [--at TIME]`.
 *
 * It gathers, for every service of the plan, what the catalog measured
 * (newest snapshots, drills, restore throughput, data size), hands plan
 * and facts to assess_run, prints the findings, records them in the
 * catalog, and exits 0 when nothing is critical, 1 when something is, 2
 * on a usage or plan error.
 */
#include "cli/cli.h"

#include <stdlib.h>
#include <string.h>

#include "assess/assess.h"
#include "catalog/catalog.h"
#include "plan/plan.h"
#include "util/clock.h"
#include "util/err.h"
#include "util/fsx.h"
#include "util/gostr.h"
#include "util/jsonw.h"
#include "util/xmalloc.h"

enum { O_PLAN = 1, O_AT };

struct pc {
	struct cli_ctx *ctx;
	const char *plan;
	int64_t at;
	int has_at;
};

static const char *tr(const char *s)
{
	return _(s);
}

/* parse_at: YYYY-MM-DD, an RFC 3339 time, or Unix seconds. */
static int parse_at(const char *s, int64_t *t)
{
	struct gotime g;
	char *end;
	long long v;

	if (plan_date_parse(s, t) == 0)
		return 0;
	if (gostr_time_parse(s, strlen(s), &g) == 0) {
		*t = g.sec;
		return 0;
	}
	v = strtoll(s, &end, 10);
	if (*s == '\0' || *end)
		return -1;
	*t = v;
	return 0;
}

static int pc_opt(int opt, const char *arg, void *data)
{
	struct pc *p = data;

	if (opt == O_PLAN) {
		p->plan = arg;
		return 0;
	}
	if (opt == O_AT) {
		p->has_at = 1;
		if (parse_at(arg, &p->at) == 0)
			return 0;
		return cli_usage_error(p->ctx, _("--at takes a date (YYYY-MM-DD), "
						 "a time (RFC 3339) or Unix "
						 "seconds, not '%s'"), arg);
	}
	return EXIT_USAGE;
}

int cli_plan_load(const char *path, struct plan **out)
{
	struct plan_errors errs = PLAN_ERRORS_INIT;
	struct buf msg = BUF_INIT;
	size_t i;
	int rc = plan_load(path, out, &errs);

	for (i = 0; rc < 0 && i < errs.n; i++) {
		buf_reset(&msg);
		plan_error_message(&errs.v[i], tr, &msg);
		fprintf(stderr, _("%s:%d:%d: error: %s\n"), errs.v[i].file,
			errs.v[i].line, errs.v[i].col, buf_cstr(&msg));
	}
	if (rc < 0 && errs.n == 0)
		cli_error(_("cannot read the plan %s: %s"), path,
			  cli_strerror(rc));
	buf_release(&msg);
	plan_errors_release(&errs);
	return rc < 0 ? EXIT_USAGE : 0;
}

/* ---- facts from the catalog ---- */

static void newest_snapshots(struct catalog *cat, const struct plan_job *j,
			     struct assess_service_facts *f)
{
	size_t k;

	for (k = 0; k < j->nrepos; k++) {
		int64_t t = 0;

		if (catalog_newest_snapshot_time(cat, j->repos[k]->url, j->name,
						 NULL, &t) < 0)
			continue;
		if (t > f->newest_snapshot)
			f->newest_snapshot = t;
		if (j->repos[k]->offsite && t > f->newest_offsite)
			f->newest_offsite = t;
	}
}

/* newest_drill: the newest drill labelled `label`, of any result and the
 * newest passing one, folded into f. */
static void newest_drill(struct catalog *cat, const char *label,
			 struct assess_service_facts *f, char **reason)
{
	struct catalog_drill_filter flt;
	struct catalog_drill d;

	memset(&flt, 0, sizeof(flt));
	flt.service = label;
	if (catalog_drill_newest(cat, &flt, &d) == 0) {
		if (d.started > f->last_drill) {
			f->last_drill = d.started;
			f->last_drill_failed = d.result == CATALOG_DRILL_FAIL;
			free(*reason);
			*reason = d.reason ? xstrdup(d.reason) : NULL;
			f->last_drill_reason = *reason;
		}
		catalog_drill_release(&d);
	}
	flt.result = CATALOG_DRILL_PASS;
	if (catalog_drill_newest(cat, &flt, &d) == 0) {
		if (d.started > f->last_drill_pass) {
			f->last_drill_pass = d.started;
			f->restore_throughput = d.throughput;
		}
		catalog_drill_release(&d);
	}
}

static void data_size(struct catalog *cat, const struct plan_job *j,
		      struct assess_service_facts *f)
{
	struct catalog_run_filter flt;
	struct catalog_run r;

	memset(&flt, 0, sizeof(flt));
	flt.job = j->name;
	flt.results = 1u << CATALOG_RUN_OK | 1u << CATALOG_RUN_PARTIAL;
	if (catalog_run_newest(cat, &flt, &r) == 0) {
		f->data_bytes += r.bytes > 0 ? (uint64_t)r.bytes : 0;
		catalog_run_release(&r);
	}
}

static void gather(struct catalog *cat, const struct plan *p,
		   struct assess_service_facts *v, char **reasons)
{
	size_t i, k;

	for (i = 0; i < p->nservices; i++) {
		const struct plan_service *s = &p->services[i];

		memset(&v[i], 0, sizeof(v[i]));
		v[i].service = s->name;
		newest_drill(cat, s->name, &v[i], &reasons[i]);
		for (k = 0; k < p->njobs; k++) {
			if (!plan_job_covers(&p->jobs[k], s))
				continue;
			newest_snapshots(cat, &p->jobs[k], &v[i]);
			newest_drill(cat, p->jobs[k].name, &v[i], &reasons[i]);
			data_size(cat, &p->jobs[k], &v[i]);
		}
	}
}

/* ---- output ---- */

static const char *sev_label(enum assess_severity s)
{
	return s == ASSESS_CRITICAL ? _("CRITICAL")
	       : s == ASSESS_WARNING ? _("warning") : _("info");
}

static void print_human(const struct plan *p, const struct assess_result *r,
			int64_t at)
{
	char when[32];
	size_t i;

	printf(_("Continuity plan of %s, checked at %s: "), p->company.name,
	       fmt_time(at, when, sizeof(when)));
	printf(ngettext("%zu critical, ", "%zu critical, ",
			r->count[ASSESS_CRITICAL]), r->count[ASSESS_CRITICAL]);
	printf(ngettext("%zu warning, ", "%zu warnings, ",
			r->count[ASSESS_WARNING]), r->count[ASSESS_WARNING]);
	printf(ngettext("%zu remark\n", "%zu remarks\n",
			r->count[ASSESS_INFO]), r->count[ASSESS_INFO]);
	for (i = 0; i < r->n; i++) {
		const struct assess_finding *f = &r->v[i];

		printf("\n%-8s %s  %s", sev_label(f->sev), f->id, f->subject);
		if (f->pos.line)
			printf("  (%s:%d)", p->file, f->pos.line);
		printf("\n  %s\n", f->message);
		if (f->fix && *f->fix)
			printf(_("  What to do: %s\n"), f->fix);
	}
	if (r->n == 0)
		printf("%s\n", _("Nothing stands in the way of a recovery as "
				 "planned."));
}

static void print_json(const struct assess_result *r, int64_t at)
{
	struct buf out = BUF_INIT;
	struct jsonw w;
	size_t i;

	jsonw_init(&w, &out);
	jsonw_obj_begin(&w);
	jsonw_key(&w, "at");
	jsonw_i64(&w, at);
	jsonw_key(&w, "counts");
	jsonw_obj_begin(&w);
	jsonw_key(&w, "critical"); jsonw_u64(&w, r->count[ASSESS_CRITICAL]);
	jsonw_key(&w, "warning"); jsonw_u64(&w, r->count[ASSESS_WARNING]);
	jsonw_key(&w, "info"); jsonw_u64(&w, r->count[ASSESS_INFO]);
	jsonw_obj_end(&w);
	jsonw_key(&w, "findings");
	jsonw_arr_begin(&w);
	for (i = 0; i < r->n; i++) {
		jsonw_obj_begin(&w);
		jsonw_key(&w, "id"); jsonw_str(&w, r->v[i].id);
		jsonw_key(&w, "severity");
		jsonw_str(&w, assess_severity_name(r->v[i].sev));
		jsonw_key(&w, "subject"); jsonw_str(&w, r->v[i].subject);
		jsonw_key(&w, "message"); jsonw_str(&w, r->v[i].message);
		jsonw_key(&w, "fix"); jsonw_str(&w, r->v[i].fix ? r->v[i].fix
								: "");
		jsonw_key(&w, "line"); jsonw_i64(&w, r->v[i].pos.line);
		jsonw_obj_end(&w);
	}
	jsonw_arr_end(&w);
	jsonw_obj_end(&w);
	if (jsonw_finish(&w) == 0)
		printf("%s\n", buf_cstr(&out));
	buf_release(&out);
}

static void record(struct catalog *cat, const struct assess_result *r,
		   int64_t at)
{
	struct catalog_finding *v = xcalloc(r->n + 1, sizeof(*v));
	size_t i;

	for (i = 0; i < r->n; i++) {
		v[i].code = r->v[i].id;
		v[i].severity = (enum catalog_severity)r->v[i].sev;
		v[i].subject = r->v[i].subject;
		v[i].message = r->v[i].message;
		v[i].fix = r->v[i].fix;
	}
	if (catalog_check_add(cat, at, v, r->n, NULL) < 0)
		cli_error(_("the findings could not be recorded in the "
			    "catalog"));
	free(v);
}

int cli_open_catalog(struct cli_ctx *ctx, struct catalog **cat)
{
	char *state = cli_state_dir(ctx), *path;
	int rc;

	if ((rc = fsx_mkdir_p(state, 0700)) == 0) {
		path = xasprintf("%s/catalog.db", state);
		rc = catalog_open(path, cat);
		if (rc < 0)
			cli_error(_("cannot open the catalog %s: %s"), path,
				  cli_strerror(rc));
		free(path);
	} else {
		cli_error(_("cannot use the state directory %s: %s"), state,
			  cli_strerror(rc));
	}
	free(state);
	return rc < 0 ? EXIT_FAIL : 0;
}

int cli_assess(struct cli_ctx *ctx, const struct plan *p, struct catalog *cat,
	       int64_t at)
{
	struct assess_service_facts *facts;
	struct assess_facts af;
	struct assess_result res = ASSESS_RESULT_INIT;
	char **reasons;
	size_t i;
	int crit;

	facts = xcalloc(p->nservices + 1, sizeof(*facts));
	reasons = xcalloc(p->nservices + 1, sizeof(*reasons));
	gather(cat, p, facts, reasons);
	af.svc = facts;
	af.nsvc = p->nservices;
	assess_run(p, &af, at, tr, &res);
	if (ctx->json)
		print_json(&res, at);
	else
		print_human(p, &res, at);
	record(cat, &res, at);
	crit = (int)res.count[ASSESS_CRITICAL];
	for (i = 0; i < p->nservices; i++)
		free(reasons[i]);
	free(reasons);
	free(facts);
	assess_result_release(&res);
	return crit;
}

int cli_plan_check(int argc, char **argv, struct cli_ctx *ctx)
{
	static const struct option opts[] = {
		{ "plan", required_argument, NULL, O_PLAN },
		{ "at", required_argument, NULL, O_AT },
		{ NULL, 0, NULL, 0 },
	};
	struct pc pc;
	struct plan *p = NULL;
	struct catalog *cat = NULL;
	int rc;

	memset(&pc, 0, sizeof(pc));
	pc.ctx = ctx;
	if ((rc = cli_getopt(&argc, &argv, ctx, opts, "", pc_opt, &pc)))
		return rc < 0 ? 0 : rc;
	if (argc > 0)
		return cli_usage_error(ctx, _("unexpected argument %s"), argv[0]);
	if (pc.plan == NULL)
		pc.plan = getenv("REPRISE_PLAN") ? getenv("REPRISE_PLAN")
						 : PLAN_DEFAULT_PATH;
	if (!pc.has_at)
		pc.at = clock_now();
	if ((rc = cli_plan_load(pc.plan, &p)) != 0)
		return rc;
	if ((rc = cli_open_catalog(ctx, &cat)) == 0)
		rc = cli_assess(ctx, p, cat, pc.at) ? EXIT_FAIL : EXIT_OK;
	catalog_close(cat);
	plan_free(p);
	return rc;
}
