/*
 * assess_plan: PLAN-INCONSISTENT, the cross-checks that plan_load leaves
 * (it refuses RTO or RPO above the MTPD and unknown names within the
 * file; the first is checked again here for plans built by other means):
 * catalog facts about a service the plan does not name, a job tied to no
 * service, a drill on a service that no job covers, a review or exercise
 * dated after now.
 */
#include "assess/assess_internal.h"

#include <stddef.h>

static void emit_kind(struct actx *c, enum assess_severity sev,
		      enum assess_kind kind, const char *subject,
		      struct plan_pos pos, char *message, char *fix)
{
	struct draft d = { "PLAN-INCONSISTENT", sev, kind, subject, pos,
			   message, fix };

	assess_emit(c, &d);
}

static void check_mtpd(struct actx *c, const struct plan_service *s)
{
	char a[DURATION_FMT_MAX], m[DURATION_FMT_MAX];
	const char *what = s->rto > s->mtpd ? "RTO" : "RPO";

	if (s->mtpd <= 0 || (s->rto <= s->mtpd && s->rpo <= s->mtpd))
		return;
	fmt_dur(s->rto > s->mtpd ? s->rto : s->rpo, a);
	fmt_dur(s->mtpd, m);
	emit_kind(c, ASSESS_CRITICAL, ASSESS_KIND_SERVICE, s->name, s->pos,
		afmt(c, N_("The %s of '%s' (%s) is longer than the longest "
			   "outage it can survive (MTPD, %s)."), what,
		     s->name, a, m),
		afmt(c, N_("Bring the %s of '%s' under %s, or correct its "
			   "MTPD."), what, s->name, m));
}

static void check_facts(struct actx *c)
{
	size_t i;

	for (i = 0; c->f && i < c->f->nsvc; i++) {
		const char *name = c->f->svc[i].service;

		if (name == NULL || plan_find_service(c->p, name))
			continue;
		emit_kind(c, ASSESS_WARNING, ASSESS_KIND_SERVICE, name,
			(struct plan_pos){ 0, 0 },
			afmt(c, N_("The catalog has backups or drills of "
				   "'%s', which the plan does not name "
				   "(renamed or removed?)."), name),
			afmt(c, N_("If '%s' was renamed in the plan, give it "
				   "back its old name so that its history "
				   "counts; if it was removed, ignore this."),
			     name));
	}
}

static void check_job(struct actx *c, const struct plan_job *j)
{
	if (j->nservices > 0)
		return;
	emit_kind(c, ASSESS_WARNING, ASSESS_KIND_JOB, j->name, j->pos,
		afmt(c, N_("The backup job '%s' is tied to no service, so the "
			   "check cannot tell what it protects."), j->name),
		afmt(c, N_("List under 'services' of the job '%s' the services "
			   "whose data it backs up."), j->name));
}

static void check_drill(struct actx *c, const struct plan_drill *d)
{
	if (d->service == NULL || svc_covered(c->p, d->service))
		return;
	emit_kind(c, ASSESS_WARNING, ASSESS_KIND_DRILL, d->name, d->pos,
		afmt(c, N_("The drill '%s' tests '%s', which no backup job "
			   "covers."), d->name, d->service->name),
		afmt(c, N_("Add a backup job for '%s', or point the drill '%s' "
			   "at the job that backs it up."), d->service->name,
		     d->name));
}

static void check_future(struct actx *c, const char *section, int64_t last)
{
	int review = section[0] == 'r';
	char day[16];

	if (last < 0 || last <= c->now)
		return;
	fmt_date(last, day);
	emit_kind(c, ASSESS_WARNING, ASSESS_KIND_PLAN, section,
		(struct plan_pos){ 0, 0 },
		review ? afmt(c, N_("The last review of the plan is dated %s, "
				    "in the future."), day)
		       : afmt(c, N_("The last crisis exercise is dated %s, in "
				    "the future."), day),
		afmt(c, N_("Correct the date in the plan (%s: last)."),
		     section));
}

void rule_inconsistent(struct actx *c)
{
	size_t i;

	for (i = 0; i < c->p->nservices; i++)
		check_mtpd(c, &c->p->services[i]);
	check_facts(c);
	for (i = 0; i < c->p->njobs; i++)
		check_job(c, &c->p->jobs[i]);
	for (i = 0; i < c->p->ndrills; i++)
		check_drill(c, &c->p->drills[i]);
	check_future(c, "review", c->p->review.last);
	check_future(c, "exercise", c->p->exercise.last);
}
