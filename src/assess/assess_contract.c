/*
 * assess_contract: what the providers' contracts guarantee (lesson 5.1:
 * delegating is not abdicating): CONTRACT-NO-SLA,
 * CONTRACT-SLA-EXCEEDS-RTO, CONTRACT-HOURS, CONTRACT-NOTICE,
 * CONTRACT-CLAUSES.  A provider "runs" a service when it is the
 * service's provider or the provider of one of its hosts.
 */
#include "assess/assess_internal.h"

#include <stddef.h>

static void no_contract(struct actx *c, const struct plan_service *s,
			const struct plan_provider *pr, const char *rto)
{
	assess_emit_svc(c, s, "CONTRACT-NO-SLA", ASSESS_CRITICAL,
		afmt(c, N_("The plan records no contract with '%s', which "
			   "runs '%s': nothing says how fast it must bring "
			   "the service back."), pr->name, s->name),
		afmt(c, N_("Write the contract with '%s' into the plan; if "
			   "there is none, negotiate one that guarantees a "
			   "restore within %s (the RTO of '%s')."), pr->name,
		     rto, s->name));
}

static void no_sla(struct actx *c, const struct plan_service *s,
		   const struct plan_provider *pr, const char *rto)
{
	char *msg, *fix;

	if (pr->contract.restore_time == PLAN_NONE) {
		msg = afmt(c, N_("The contract with '%s' guarantees no restore "
				 "time for '%s', which must be back within %s "
				 "(RTO)."), pr->name, s->name, rto);
		fix = afmt(c, N_("Negotiate with '%s' a guaranteed restore "
				 "time of at most %s, with penalties, or move "
				 "'%s' to a provider that guarantees one."),
			   pr->name, rto, s->name);
	} else {
		msg = afmt(c, N_("The plan does not say what restore time the "
				 "contract with '%s' guarantees for '%s', "
				 "which must be back within %s (RTO)."),
			   pr->name, s->name, rto);
		fix = afmt(c, N_("Look up the restore time in the contract "
				 "with '%s' and write it in the plan "
				 "(restore_time, or 'none')."), pr->name);
	}
	assess_emit_svc(c, s, "CONTRACT-NO-SLA", ASSESS_CRITICAL, msg, fix);
}

static void sla_too_long(struct actx *c, const struct plan_service *s,
			 const struct plan_provider *pr, const char *rto)
{
	char a[DURATION_FMT_MAX];

	assess_emit_svc(c, s, "CONTRACT-SLA-EXCEEDS-RTO", ASSESS_CRITICAL,
		afmt(c, N_("The contract with '%s' allows %s to restore '%s', "
			   "which must be back within %s (RTO)."), pr->name,
		     fmt_dur(pr->contract.restore_time, a), s->name, rto),
		afmt(c, N_("Negotiate with '%s' a restore time of at most %s, "
			   "prepare a standby machine elsewhere, or agree "
			   "with the director on a longer RTO."), pr->name,
		     rto));
}

static void sla_one(struct actx *c, const struct plan_service *s,
		    const struct plan_provider *pr)
{
	char rto[DURATION_FMT_MAX];

	fmt_dur(s->rto, rto);
	if (!pr->contract.present)
		no_contract(c, s, pr, rto);
	else if (pr->contract.restore_time <= 0)
		no_sla(c, s, pr, rto);
	else if (s->rto > 0 && pr->contract.restore_time > s->rto)
		sla_too_long(c, s, pr, rto);
}

void rule_contract_sla(struct actx *c, const struct plan_service *s,
		       const struct assess_service_facts *f)
{
	const struct plan_provider *pr;
	size_t i;

	(void)f;
	for (i = 0; i <= s->nhosts; i++)
		if ((pr = svc_provider(s, i)) != NULL)
			sla_one(c, s, pr);
}

/* ---- support hours ---- */

static void hours_one(struct actx *c, const struct plan_service *s,
		      const struct plan_provider *pr)
{
	enum plan_hours h = pr->contract.support_hours;
	enum assess_severity sev = ASSESS_WARNING;
	char *msg;

	if (!pr->contract.present || h == PLAN_HOURS_24X7)
		return;
	if (h == PLAN_HOURS_BUSINESS) {
		sev = ASSESS_CRITICAL;
		msg = afmt(c, N_("'%s' must run around the clock, but '%s' "
				 "answers only in business hours: a failure "
				 "on a Friday evening waits until Monday."),
			   s->name, pr->name);
	} else if (h == PLAN_HOURS_EXTENDED) {
		msg = afmt(c, N_("'%s' must run around the clock, but '%s' "
				 "answers only in extended hours."), s->name,
			   pr->name);
	} else {
		msg = afmt(c, N_("'%s' must run around the clock, and the "
				 "plan does not say when '%s' answers."),
			   s->name, pr->name);
	}
	assess_emit_svc(c, s, "CONTRACT-HOURS", sev, msg,
		afmt(c, N_("Get round-the-clock support (24x7) or an on-call "
			   "service from '%s' for '%s', and write it in the "
			   "plan (support_hours)."), pr->name, s->name));
}

void rule_contract_hours(struct actx *c, const struct plan_service *s,
			 const struct assess_service_facts *f)
{
	const struct plan_provider *pr;
	size_t i;

	(void)f;
	for (i = 0; s->needs_24x7 == 1 && i <= s->nhosts; i++)
		if ((pr = svc_provider(s, i)) != NULL)
			hours_one(c, s, pr);
}

/* ---- notice ---- */

static void notice_one(struct actx *c, const struct plan_provider *pr,
		       int64_t day, int64_t left)
{
	const struct plan_contract *ct = &pr->contract;
	struct draft d = { "CONTRACT-NOTICE", ASSESS_WARNING,
			   ASSESS_KIND_PROVIDER, pr->name, pr->pos, NULL,
			   NULL };
	char a[16], b[16], l[DURATION_FMT_MAX];

	fmt_date(day, a);
	fmt_date(ct->end, b);
	fmt_age(left, l);
	if (ct->renewal == PLAN_RENEWAL_AUTOMATIC) {
		d.message = afmt(c, N_("The last day to give notice on the "
				       "contract with '%s' is %s, %s from "
				       "now; after that it renews by itself "
				       "on %s."), pr->name, a, l, b);
		d.fix = afmt(c, N_("Decide before %s whether to keep '%s'; "
				   "to leave or renegotiate, send notice by "
				   "then."), a, pr->name);
	} else {
		d.message = afmt(c, N_("The last day to give notice on the "
				       "contract with '%s' is %s, %s from "
				       "now; the contract ends on %s."),
				 pr->name, a, l, b);
		d.fix = afmt(c, N_("Decide before %s whether to renew the "
				   "contract with '%s', and start the "
				   "renewal or a replacement in time."), a,
			     pr->name);
	}
	assess_emit(c, &d);
}

void rule_contract_notice(struct actx *c)
{
	size_t i;

	for (i = 0; i < c->p->nproviders; i++) {
		const struct plan_provider *pr = &c->p->providers[i];
		int64_t day = pr->contract.present
				      ? plan_contract_notice_date(&pr->contract)
				      : PLAN_UNSET;
		int64_t left = day + DAY - c->now;   /* the whole day counts */

		if (day >= 0 && left > 0 && left <= ASSESS_NOTICE_WINDOW)
			notice_one(c, pr, day, left);
	}
}

/* ---- clauses ---- */

static int runs_some_service(const struct plan *p,
			     const struct plan_provider *pr)
{
	size_t i;

	for (i = 0; i < p->nservices; i++)
		if (svc_runs_at(&p->services[i], pr))
			return 1;
	return 0;
}

static void clauses_one(struct actx *c, const struct plan_provider *pr)
{
	unsigned miss = (pr->contract.continuity_clause != 1) |
			(pr->contract.reversibility != 1) << 1;
	struct draft d = { "CONTRACT-CLAUSES", ASSESS_WARNING,
			   ASSESS_KIND_PROVIDER, pr->name, pr->pos, NULL,
			   NULL };

	if (miss == 0)
		return;
	if (miss == 1)
		d.message = afmt(c, N_("The contract with '%s' has no "
				       "business-continuity clause."),
				 pr->name);
	else if (miss == 2)
		d.message = afmt(c, N_("The contract with '%s' does not "
				       "provide for getting the data back "
				       "when it ends (reversibility)."),
				 pr->name);
	else
		d.message = afmt(c, N_("The contract with '%s' has no "
				       "business-continuity clause and does "
				       "not provide for getting the data "
				       "back when it ends (reversibility)."),
				 pr->name);
	d.fix = afmt(c, N_("Have the missing clauses added to the contract "
			   "with '%s' at the latest at its renewal; if it "
			   "already has them, record them in the plan "
			   "(continuity_clause, reversibility)."), pr->name);
	assess_emit(c, &d);
}

void rule_contract_clauses(struct actx *c)
{
	size_t i;

	for (i = 0; i < c->p->nproviders; i++) {
		const struct plan_provider *pr = &c->p->providers[i];

		if (pr->contract.present && runs_some_service(c->p, pr))
			clauses_one(c, pr);
	}
}
