/*
 * assess_org: the rules about people and preparation (lessons 5.2, 5.4,
 * 5.5): MONITOR-NONE, REFERENT-NONE, CALLTREE-INCOMPLETE,
 * TEMPLATES-MISSING, EXERCISE-STALE, PLAN-REVIEW-STALE.
 */
#include "assess/assess_internal.h"

#include <stddef.h>

#include "util/xmalloc.h"

static void emit_plan(struct actx *c, const char *id,
		      enum assess_severity sev, const char *section,
		      char *message, char *fix)
{
	struct draft d = { id, sev, ASSESS_KIND_PLAN, section, { 0, 0 },
			   message, fix };

	assess_emit(c, &d);
}

/* ---- monitoring ---- */

static int svc_on_host(const struct plan_service *s, const struct plan_host *h)
{
	size_t i;

	for (i = 0; i < s->nhosts; i++)
		if (s->hosts[i] == h)
			return 1;
	return 0;
}

/* top_service: the most critical service on h (the first of equals). */
static const struct plan_service *top_service(const struct plan *p,
					      const struct plan_host *h)
{
	const struct plan_service *top = NULL;
	size_t i;

	for (i = 0; i < p->nservices; i++)
		if (svc_on_host(&p->services[i], h) &&
		    (top == NULL ||
		     p->services[i].criticality > top->criticality))
			top = &p->services[i];
	return top;
}

static int alert_reachable(const struct plan_monitoring *m)
{
	size_t i;

	for (i = 0; i < m->nalert; i++)
		if (person_reachable(m->alert[i]))
			return 1;
	return 0;
}

static void monitor_unwatched(struct actx *c, struct draft *d,
			      const struct plan_service *s)
{
	d->message = afmt(c, N_("Nobody watches host '%s', which runs '%s': "
				"if it overheats, loses a disk or stops, "
				"nobody is warned."), d->subject, s->name);
	d->fix = afmt(c, N_("Turn on the monitoring of '%s' in the plan "
			    "(hwmon for temperatures and fans, smart for "
			    "disks, probes for its services) and name who "
			    "is alerted."), d->subject);
}

static void monitor_unalerted(struct actx *c, struct draft *d, size_t nalert)
{
	if (nalert == 0)
		d->message = afmt(c, N_("Host '%s' is watched, but nobody is "
					"named to be alerted when something "
					"goes wrong."), d->subject);
	else
		d->message = afmt(c, N_("Host '%s' is watched, but nobody "
					"named to be alerted has a phone or "
					"an e-mail address."), d->subject);
	d->fix = afmt(c, N_("Name under 'alert' the people to warn about "
			    "'%s' (the IT referent first), each with a "
			    "phone or an e-mail address."), d->subject);
}

static void monitor_hardware(struct actx *c, struct draft *d)
{
	d->sev = ASSESS_WARNING;
	d->message = afmt(c, N_("Only the services of host '%s' are probed; "
				"its hardware (temperatures, fans, disks) is "
				"not watched, so a failure is seen only once "
				"it has happened."), d->subject);
	d->fix = afmt(c, N_("Turn on hwmon and smart for '%s', or have its "
			    "provider commit in the contract to watching the "
			    "hardware and warning you."), d->subject);
}

static void monitor_one(struct actx *c, const struct plan_host *h,
			const struct plan_service *s)
{
	const struct plan_monitoring *m = &h->monitoring;
	struct draft d = { "MONITOR-NONE", ASSESS_WARNING, ASSESS_KIND_HOST,
			   h->name, h->pos, NULL, NULL };

	if (s->criticality == PLAN_CRIT_CRITICAL)
		d.sev = ASSESS_CRITICAL;
	if (m->hwmon != 1 && m->smart != 1 && m->probes.n == 0)
		monitor_unwatched(c, &d, s);
	else if (!alert_reachable(m))
		monitor_unalerted(c, &d, m->nalert);
	else if (m->hwmon != 1 && m->smart != 1)
		monitor_hardware(c, &d);
	else
		return;
	assess_emit(c, &d);
}

void rule_monitor(struct actx *c)
{
	size_t i;

	for (i = 0; i < c->p->nhosts; i++) {
		const struct plan_host *h = &c->p->hosts[i];
		const struct plan_service *s = top_service(c->p, h);

		if (s && s->criticality >= PLAN_CRIT_HIGH)
			monitor_one(c, h, s);
	}
}

/* ---- people ---- */

static const struct plan_person *first_with(const struct plan *p,
					    unsigned role)
{
	size_t i;

	for (i = 0; i < p->npeople; i++)
		if (p->people[i].roles & role)
			return &p->people[i];
	return NULL;
}

void rule_referent(struct actx *c)
{
	const struct plan_person *ref =
		first_with(c->p, PLAN_ROLE_IT_REFERENT);

	if (ref == NULL)
		emit_plan(c, "REFERENT-NONE", ASSESS_CRITICAL, "people",
			afmt(c, N_("Nobody in the plan is the IT referent: no "
				   "one follows the backups, incidents and "
				   "contracts, or acts on alerts.")),
			afmt(c, N_("Name an IT referent (role it_referent), "
				   "even part-time or external, and a deputy "
				   "(role it_deputy).")));
	else if (plan_count_role(c->p, PLAN_ROLE_IT_DEPUTY) == 0)
		emit_plan(c, "REFERENT-NONE", ASSESS_WARNING, "people",
			afmt(c, N_("The IT referent '%s' has no deputy: when "
				   "they are away, nobody acts on alerts."),
			     ref->name),
			afmt(c, N_("Name a deputy (role it_deputy) who can "
				   "act when '%s' is away."), ref->name));
}

/* ---- call tree ---- */

static int in_call_tree(const struct plan *p, const struct plan_person *who)
{
	size_t i, k;

	for (i = 0; i < p->ncall_tree; i++)
		for (k = 0; k < p->call_tree[i].ncall; k++)
			if (p->call_tree[i].call[k] == who)
				return 1;
	return 0;
}

/* role_missing: someone has role, and none of them is in the tree. */
static const struct plan_person *role_missing(const struct plan *p,
					      unsigned role)
{
	size_t i;

	for (i = 0; i < p->npeople; i++)
		if ((p->people[i].roles & role) &&
		    in_call_tree(p, &p->people[i]))
			return NULL;
	return first_with(p, role);
}

static void calltree_roles(struct actx *c)
{
	const struct plan_person *ref =
		role_missing(c->p, PLAN_ROLE_IT_REFERENT);
	const struct plan_person *dir = role_missing(c->p, PLAN_ROLE_DIRECTOR);

	if (ref)
		emit_plan(c, "CALLTREE-INCOMPLETE", ASSESS_WARNING,
			"call_tree",
			afmt(c, N_("The IT referent '%s' is not in the call "
				   "tree."), ref->name),
			afmt(c, N_("Add '%s' to the first step of the call "
				   "tree."), ref->id));
	if (dir)
		emit_plan(c, "CALLTREE-INCOMPLETE", ASSESS_WARNING,
			"call_tree",
			afmt(c, N_("The director '%s' is not in the call "
				   "tree."), dir->name),
			afmt(c, N_("Add '%s' to the call tree."), dir->id));
}

static void calltree_unreachable(struct actx *c, const struct plan_person *w)
{
	struct draft d = { "CALLTREE-INCOMPLETE", ASSESS_WARNING,
			   ASSESS_KIND_PERSON, w->id, w->pos, NULL, NULL };

	d.message = afmt(c, N_("'%s' is in the call tree but has neither a "
			       "phone nor an e-mail address."), w->name);
	d.fix = afmt(c, N_("Write the phone and the e-mail address of '%s' "
			   "in the plan."), w->id);
	assess_emit(c, &d);
}

void rule_calltree(struct actx *c)
{
	const struct plan *p = c->p;
	size_t i;

	if (p->ncall_tree == 0) {
		emit_plan(c, "CALLTREE-INCOMPLETE", ASSESS_CRITICAL,
			"call_tree",
			afmt(c, N_("The plan has no call tree: in a crisis "
				   "nobody knows who calls whom, in what "
				   "order.")),
			afmt(c, N_("Write a call tree: who is called first "
				   "(the IT referent, the director), and who "
				   "next when nobody answers.")));
		return;
	}
	if (p->ncall_tree == 1)
		emit_plan(c, "CALLTREE-INCOMPLETE", ASSESS_WARNING,
			"call_tree",
			afmt(c, N_("The call tree has one step: if nobody in "
				   "it answers, nobody else is called.")),
			afmt(c, N_("Add a second step to the call tree, "
				   "called when nobody in the first "
				   "acknowledges.")));
	calltree_roles(c);
	for (i = 0; i < p->npeople; i++)
		if (in_call_tree(p, &p->people[i]) &&
		    !person_reachable(&p->people[i]))
			calltree_unreachable(c, &p->people[i]);
}

/* ---- templates ---- */

static int has_audience(const struct plan *p, enum plan_audience a)
{
	size_t i;

	for (i = 0; i < p->ntemplates; i++)
		if (p->templates[i].audience == a)
			return 1;
	return 0;
}

static const struct plan_service *personal_service(const struct plan *p)
{
	size_t i;

	for (i = 0; i < p->nservices; i++)
		if (p->services[i].personal_data == 1)
			return &p->services[i];
	return NULL;
}

/* The audiences every plan prepares a message for. */
static const struct {
	enum plan_audience audience;
	const char *message, *fix;
} needed_templates[] = {
	{ PLAN_AUDIENCE_STAFF,
	  N_("No message to staff is prepared for a crisis: in the first "
	     "hours, people hear rumours instead."),
	  N_("Prepare a message to staff in the plan (templates): what "
	     "happened, what still works, what to do, when news comes "
	     "next.") },
	{ PLAN_AUDIENCE_CLIENTS,
	  N_("No message to clients is prepared for a crisis."),
	  N_("Prepare a message to clients in the plan (templates): what is "
	     "affected, what you are doing, when they hear from you "
	     "next.") },
};

void rule_templates(struct actx *c)
{
	const struct plan_service *pd = personal_service(c->p);
	size_t i;

	for (i = 0; i < sizeof(needed_templates) /
			    sizeof(needed_templates[0]); i++)
		if (!has_audience(c->p, needed_templates[i].audience))
			emit_plan(c, "TEMPLATES-MISSING", ASSESS_WARNING,
				  "templates",
				  xstrdup(c->tr(needed_templates[i].message)),
				  xstrdup(c->tr(needed_templates[i].fix)));
	if (pd && !has_audience(c->p, PLAN_AUDIENCE_AUTHORITY))
		emit_plan(c, "TEMPLATES-MISSING", ASSESS_INFO, "templates",
			afmt(c, N_("'%s' holds personal data, and no "
				   "notification to the authority (the CNIL, "
				   "within 72 hours of a breach) is "
				   "prepared."), pd->name),
			afmt(c, N_("Prepare the draft of a notification to the "
				   "CNIL in the plan (templates, audience "
				   "authority).")));
}

/* ---- exercise and review ---- */

void rule_exercise(struct actx *c)
{
	const struct plan_exercise *e = &c->p->exercise;
	int64_t every = e->every > 0 ? e->every : ASSESS_YEAR;
	char a[DURATION_FMT_MAX], b[DURATION_FMT_MAX], day[16];

	if (e->last < 0)
		emit_plan(c, "EXERCISE-STALE", ASSESS_WARNING, "exercise",
			afmt(c, N_("No crisis exercise has ever been held: "
				   "the plan has not been tried by the people "
				   "who would carry it out.")),
			afmt(c, N_("Hold a crisis exercise (say, a Monday "
				   "morning with the main server down) and "
				   "write its date in the plan (exercise: "
				   "last).")));
	else if (c->now - e->last > every)
		emit_plan(c, "EXERCISE-STALE", ASSESS_WARNING, "exercise",
			afmt(c, N_("The last crisis exercise was %s ago (%s); "
				   "the plan asks for one every %s."),
			     fmt_age(c->now - e->last, a),
			     fmt_date(e->last, day), fmt_dur(every, b)),
			afmt(c, N_("Hold a crisis exercise and write its date "
				   "in the plan (exercise: last).")));
}

void rule_review(struct actx *c)
{
	const struct plan_review *r = &c->p->review;
	int64_t every = r->every > 0 ? r->every : ASSESS_YEAR;
	char a[DURATION_FMT_MAX], b[DURATION_FMT_MAX], day[16];

	if (r->last < 0)
		emit_plan(c, "PLAN-REVIEW-STALE", ASSESS_WARNING, "review",
			afmt(c, N_("The plan has never been reviewed: the "
				   "names, numbers and contracts in it may be "
				   "out of date.")),
			afmt(c, N_("Review the plan with the director, have "
				   "it signed, and write the date in it "
				   "(review: last).")));
	else if (c->now - r->last > every)
		emit_plan(c, "PLAN-REVIEW-STALE", ASSESS_WARNING, "review",
			afmt(c, N_("The plan was last reviewed %s ago (%s); it "
				   "should be reviewed every %s."),
			     fmt_age(c->now - r->last, a),
			     fmt_date(r->last, day), fmt_dur(every, b)),
			afmt(c, N_("Review the plan with the director, have "
				   "it signed, and write the date in it "
				   "(review: last).")));
}
