/*
 * assess: the rule table, the result, and the helpers the rules share.
 * The rules themselves are in assess_backup.c, assess_contract.c,
 * assess_org.c and assess_plan.c (see assess.h for the list).
 */
#include "assess/assess_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/err.h"
#include "util/xmalloc.h"

/*
 * The table.  A row with svc runs once per service (in plan order); with
 * backup set, only for services that some job covers.  A row with all
 * runs once.  The order of the rows does not matter (the result is
 * sorted), but reads best in the order of assess.h.
 */
struct rule {
	svc_rule_fn *svc;
	int backup;
	plan_rule_fn *all;
};

static const struct rule rules[] = {
	{ rule_backup_none, 0, NULL },
	{ rule_rpo_schedule, 1, NULL },
	{ rule_rpo_measured, 1, NULL },
	{ rule_rpo_offsite, 1, NULL },
	{ rule_drill, 1, NULL },
	{ rule_rto, 1, NULL },
	{ rule_contract_sla, 0, NULL },
	{ rule_contract_hours, 0, NULL },
	{ NULL, 0, rule_contract_notice },
	{ NULL, 0, rule_contract_clauses },
	{ rule_copies, 1, NULL },
	{ NULL, 0, rule_monitor },
	{ NULL, 0, rule_referent },
	{ NULL, 0, rule_calltree },
	{ NULL, 0, rule_templates },
	{ NULL, 0, rule_exercise },
	{ NULL, 0, rule_review },
	{ NULL, 0, rule_inconsistent },
};

static const char *tr_none(const char *s)
{
	return s;
}

/* ---- the result ---- */

void assess_emit(struct actx *c, struct draft *d)
{
	struct assess_result *r = c->out;
	struct assess_finding *f;

	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 16;
		r->v = xreallocarray(r->v, r->cap, sizeof(*r->v));
	}
	f = &r->v[r->n++];
	memset(f, 0, sizeof(*f));
	snprintf(f->id, sizeof(f->id), "%s", d->id);
	f->sev = d->sev;
	f->kind = d->kind;
	f->subject = xstrdup(d->subject ? d->subject : "");
	f->message = d->message;
	f->fix = d->fix;
	f->pos = d->pos;
	d->message = d->fix = NULL;
}

void assess_emit_svc(struct actx *c, const struct plan_service *s,
		     const char *id, enum assess_severity sev, char *message,
		     char *fix)
{
	struct draft d = { id, sev, ASSESS_KIND_SERVICE, s->name, s->pos,
			   message, fix };

	if (sev == ASSESS_CRITICAL && s->criticality <= PLAN_CRIT_LOW)
		d.sev = ASSESS_WARNING;
	assess_emit(c, &d);
}

static int finding_cmp(const void *pa, const void *pb)
{
	const struct assess_finding *a = pa, *b = pb;
	int r;

	if (a->sev != b->sev)
		return a->sev > b->sev ? -1 : 1;
	if ((r = strcmp(a->id, b->id)) != 0)
		return r;
	if ((r = strcmp(a->subject, b->subject)) != 0)
		return r;
	return strcmp(a->message, b->message);
}

static void result_finish(struct assess_result *r)
{
	size_t i;

	if (r->n > 1)
		qsort(r->v, r->n, sizeof(*r->v), finding_cmp);
	for (i = 0; i < r->n; i++)
		r->count[r->v[i].sev]++;
}

void assess_result_release(struct assess_result *r)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		free(r->v[i].subject);
		free(r->v[i].message);
		free(r->v[i].fix);
	}
	free(r->v);
	memset(r, 0, sizeof(*r));
}

/* ---- running the table ---- */

static const struct assess_service_facts *facts_for(const struct actx *c,
						    const char *name)
{
	static const struct assess_service_facts none;
	size_t i;

	for (i = 0; c->f && i < c->f->nsvc; i++)
		if (c->f->svc[i].service &&
		    strcmp(c->f->svc[i].service, name) == 0)
			return &c->f->svc[i];
	return &none;
}

static void run_svc_rule(struct actx *c, const struct rule *r)
{
	size_t i;

	for (i = 0; i < c->p->nservices; i++) {
		const struct plan_service *s = &c->p->services[i];

		if (r->backup && !svc_covered(c->p, s))
			continue;
		r->svc(c, s, facts_for(c, s->name));
	}
}

int assess_run(const struct plan *p, const struct assess_facts *f,
	       int64_t now, const char *(*tr)(const char *),
	       struct assess_result *out)
{
	struct actx c;
	size_t i;

	if (p == NULL || out == NULL)
		return RP_EINVAL;
	memset(out, 0, sizeof(*out));
	c.p = p;
	c.f = f;
	c.now = now;
	c.tr = tr ? tr : tr_none;
	c.out = out;
	for (i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
		if (rules[i].svc)
			run_svc_rule(&c, &rules[i]);
		else
			rules[i].all(&c);
	}
	result_finish(out);
	return 0;
}

const char *assess_severity_name(enum assess_severity sev)
{
	switch (sev) {
	case ASSESS_CRITICAL:
		return N_("critical");
	case ASSESS_WARNING:
		return N_("warning");
	default:
		return N_("info");
	}
}

const char *assess_kind_name(enum assess_kind kind)
{
	static const char *const names[] = {
		"plan", "service", "host", "provider", "person", "job",
		"drill",
	};

	if ((unsigned)kind >= sizeof(names) / sizeof(names[0]))
		return "plan";
	return names[kind];
}

/* ---- text ---- */

char *afmt(const struct actx *c, const char *fmt, ...)
{
	const char *t = c->tr(fmt);
	va_list ap;
	int n;
	char *s;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, t, ap);
	va_end(ap);
	if (n < 0)
		return xstrdup(t);
	s = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, t, ap);
	va_end(ap);
	return s;
}

/* Weeks only when whole: a plan's "30d" reads "30d", not "4w2d". */
const char *fmt_dur(int64_t secs, char out[DURATION_FMT_MAX])
{
	int n;

	if (secs < 7 * DAY || secs % (7 * DAY) == 0)
		return duration_format(secs, out, DURATION_FMT_MAX);
	n = snprintf(out, DURATION_FMT_MAX, "%lldd", (long long)(secs / DAY));
	if (secs % DAY && n > 0 && n < DURATION_FMT_MAX)
		duration_format(secs % DAY, out + n,
				(size_t)(DURATION_FMT_MAX - n));
	return out;
}

const char *fmt_age(int64_t secs, char out[DURATION_FMT_MAX])
{
	static const int64_t units[] = { 7 * DAY, DAY, 3600, 60, 1 };
	size_t i;

	for (i = 0; i + 1 < sizeof(units) / sizeof(units[0]); i++) {
		if (secs >= units[i]) {
			secs = (secs + units[i + 1] - 1) / units[i + 1] *
			       units[i + 1];
			break;
		}
	}
	return fmt_dur(secs, out);
}

const char *fmt_date(int64_t t, char out[16])
{
	return plan_date_format(t, out, 16);
}

/* SI units, so that "MB/s" reads as people expect from disks. */
static const char *const byte_units[] = {
	N_("B"), N_("kB"), N_("MB"), N_("GB"), N_("TB"), N_("PB"),
};
#define NBYTE_UNITS (sizeof(byte_units) / sizeof(byte_units[0]))

/* fmt_bytes: "512 B", "1.5 GB", "120 GB": one decimal below 100, none
 * from 100 up; computed in integers, so no locale decimal point. */
const char *fmt_bytes(const struct actx *c, double bytes,
		      char out[BYTES_FMT_MAX])
{
	size_t u = 0;
	double scale = 1;
	long long tenths;

	if (!(bytes >= 0) || bytes > 1e20) {
		snprintf(out, BYTES_FMT_MAX, "?");
		return out;
	}
	while (u + 1 < NBYTE_UNITS && bytes / scale >= 999.95) {
		scale *= 1000;
		u++;
	}
	tenths = (long long)(bytes * 10 / scale + 0.5);
	if (u == 0 || tenths >= 1000 || tenths % 10 == 0)
		snprintf(out, BYTES_FMT_MAX, "%lld %s", (tenths + 5) / 10,
			 c->tr(byte_units[u]));
	else
		snprintf(out, BYTES_FMT_MAX, "%lld.%lld %s", tenths / 10,
			 tenths % 10, c->tr(byte_units[u]));
	return out;
}

/* ---- questions about the plan ---- */

int svc_covered(const struct plan *p, const struct plan_service *s)
{
	size_t i;

	for (i = 0; i < p->njobs; i++)
		if (plan_job_covers(&p->jobs[i], s))
			return 1;
	return 0;
}

static const struct plan_provider *nth_provider(const struct plan_service *s,
						size_t i)
{
	if (i == 0)
		return s->provider;
	return s->hosts[i - 1]->provider;
}

const struct plan_provider *svc_provider(const struct plan_service *s,
					 size_t i)
{
	const struct plan_provider *pr = nth_provider(s, i);
	size_t j;

	for (j = 0; pr && j < i; j++)
		if (nth_provider(s, j) == pr)
			return NULL;
	return pr;
}

int svc_runs_at(const struct plan_service *s, const struct plan_provider *pr)
{
	size_t i;

	for (i = 0; pr && i <= s->nhosts; i++)
		if (nth_provider(s, i) == pr)
			return 1;
	return 0;
}

int person_reachable(const struct plan_person *who)
{
	return (who->email && *who->email) || (who->phone && *who->phone);
}
