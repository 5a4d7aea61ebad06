/*
 * assess_backup: the rules about a service's backups: BACKUP-NONE,
 * RPO-SCHEDULE, RPO-MEASURED, RPO-OFFSITE, DRILL-*, RTO-ESTIMATE,
 * RTO-UNKNOWN.  (COPIES-321 is in assess_copies.c.)
 */
#include "assess/assess_internal.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* Restore times are capped here so that a tiny throughput cannot
 * overflow the arithmetic; duration_format handles it. */
#define RESTORE_MAX ((double)100 * 366 * 86400)

void rule_backup_none(struct actx *c, const struct plan_service *s,
		      const struct assess_service_facts *f)
{
	(void)f;
	if (svc_covered(c->p, s) || (s->nhosts == 0 && s->data_paths.n == 0))
		return;
	assess_emit_svc(c, s, "BACKUP-NONE", ASSESS_CRITICAL,
		afmt(c, N_("No backup job covers '%s': if its data is lost, "
			   "nothing can bring it back."), s->name),
		afmt(c, N_("Add a backup job that lists '%s' under its "
			   "services and writes to at least two "
			   "repositories, one of them off site."), s->name));
}

static void schedule_one(struct actx *c, const struct plan_service *s,
			 const struct plan_job *j)
{
	int64_t iv = plan_job_interval(c->p, j);
	char a[DURATION_FMT_MAX], b[DURATION_FMT_MAX];

	if (iv <= s->rpo)
		return;
	fmt_dur(iv, a);
	fmt_dur(s->rpo, b);
	assess_emit_svc(c, s, "RPO-SCHEDULE", ASSESS_CRITICAL,
		afmt(c, N_("The backup job '%s' of '%s' runs every %s; the "
			   "plan allows at most %s of lost work (RPO)."),
		     j->name, s->name, a, b),
		afmt(c, N_("Make the backup job '%s' run at least every %s "
			   "(today it runs every %s), and check it "
			   "succeeds."), j->name, b, a));
}

void rule_rpo_schedule(struct actx *c, const struct plan_service *s,
		       const struct assess_service_facts *f)
{
	size_t i;

	(void)f;
	for (i = 0; s->rpo > 0 && i < c->p->njobs; i++)
		if (plan_job_covers(&c->p->jobs[i], s))
			schedule_one(c, s, &c->p->jobs[i]);
}

void rule_rpo_measured(struct actx *c, const struct plan_service *s,
		       const struct assess_service_facts *f)
{
	char a[DURATION_FMT_MAX], b[DURATION_FMT_MAX];

	if (s->rpo <= 0)
		return;
	if (f->newest_snapshot == 0) {
		assess_emit_svc(c, s, "RPO-MEASURED", ASSESS_CRITICAL,
			afmt(c, N_("No backup of '%s' has ever succeeded: all "
				   "of its data could be lost."), s->name),
			afmt(c, N_("Run the backup jobs of '%s' now and check "
				   "that they succeed."), s->name));
		return;
	}
	if (c->now - f->newest_snapshot <= s->rpo)
		return;
	assess_emit_svc(c, s, "RPO-MEASURED", ASSESS_CRITICAL,
		afmt(c, N_("The newest backup of '%s' is %s old; the plan "
			   "allows at most %s of lost work (RPO)."), s->name,
		     fmt_age(c->now - f->newest_snapshot, a),
		     fmt_dur(s->rpo, b)),
		afmt(c, N_("Find out why the backups of '%s' stopped or "
			   "fail, repair them, and run one now."), s->name));
}

/* offsite_repo: the first offsite repository a job covering s writes
 * to, or NULL. */
static const struct plan_repository *offsite_repo(const struct plan *p,
						  const struct plan_service *s)
{
	size_t i, k;

	for (i = 0; i < p->njobs; i++) {
		const struct plan_job *j = &p->jobs[i];

		for (k = 0; plan_job_covers(j, s) && k < j->nrepos; k++)
			if (j->repos[k]->offsite == 1)
				return j->repos[k];
	}
	return NULL;
}

static void offsite_never(struct actx *c, const struct plan_service *s,
			  const struct plan_repository *r)
{
	assess_emit_svc(c, s, "RPO-OFFSITE", ASSESS_WARNING,
		afmt(c, N_("No backup of '%s' has ever reached the offsite "
			   "repository '%s': a disaster at the site would "
			   "take the backups with the data."), s->name,
		     r->name),
		afmt(c, N_("Run the backups of '%s' to '%s' and check that "
			   "they succeed."), s->name, r->name));
}

void rule_rpo_offsite(struct actx *c, const struct plan_service *s,
		      const struct assess_service_facts *f)
{
	const struct plan_repository *r = offsite_repo(c->p, s);
	char a[DURATION_FMT_MAX], b[DURATION_FMT_MAX];

	if (s->rpo <= 0 || (r == NULL && f->newest_offsite == 0))
		return;
	if (f->newest_offsite == 0) {
		offsite_never(c, s, r);
		return;
	}
	if (c->now - f->newest_offsite <= s->rpo)
		return;
	fmt_age(c->now - f->newest_offsite, a);
	fmt_dur(s->rpo, b);
	assess_emit_svc(c, s, "RPO-OFFSITE", ASSESS_WARNING,
		afmt(c, N_("The newest offsite backup of '%s' is %s old; the "
			   "plan allows at most %s of lost work (RPO), and "
			   "after a disaster at the site that copy is all "
			   "that remains."), s->name, a, b),
		afmt(c, N_("Copy the backups of '%s' off site at least every "
			   "%s, and check that the copy succeeds."),
		     s->name, b));
}

/* ---- drills ---- */

static int drill_on(const struct plan_drill *d, const struct plan_service *s)
{
	return d->service == s || (d->job && plan_job_covers(d->job, s));
}

/* first_drill: the drill on s with the shortest period, or NULL. */
static const struct plan_drill *first_drill(const struct plan *p,
					    const struct plan_service *s)
{
	const struct plan_drill *best = NULL;
	size_t i;

	for (i = 0; i < p->ndrills; i++) {
		const struct plan_drill *d = &p->drills[i];

		if (d->every > 0 && drill_on(d, s) &&
		    (best == NULL || d->every < best->every))
			best = d;
	}
	return best;
}

static char *drill_fix(const struct actx *c, const struct plan_service *s,
		       const struct plan_drill *d)
{
	char a[DURATION_FMT_MAX];

	if (d == NULL)
		return afmt(c, N_("Add a restore drill of '%s' to the plan "
				  "(at least monthly) and run it now."),
			    s->name);
	return afmt(c, N_("Run the restore drill '%s' now, and make sure it "
			  "runs every %s."), d->name, fmt_dur(d->every, a));
}

static void drill_none(struct actx *c, const struct plan_service *s,
		       const struct plan_drill *d)
{
	assess_emit_svc(c, s, "DRILL-NONE", ASSESS_CRITICAL,
		afmt(c, N_("The backups of '%s' have never been restored in a "
			   "test: nobody knows whether they can be."),
		     s->name),
		drill_fix(c, s, d));
}

static void drill_failed(struct actx *c, const struct plan_service *s,
			 const struct assess_service_facts *f)
{
	char day[16];
	char *msg;

	fmt_date(f->last_drill, day);
	if (f->last_drill_reason && *f->last_drill_reason)
		msg = afmt(c, N_("The newest restore drill of '%s', on %s, "
				 "failed: %s."), s->name, day,
			   f->last_drill_reason);
	else
		msg = afmt(c, N_("The newest restore drill of '%s', on %s, "
				 "failed."), s->name, day);
	assess_emit_svc(c, s, "DRILL-FAILED", ASSESS_CRITICAL, msg,
		afmt(c, N_("Find out why the restore of '%s' failed, repair "
			   "its backups, and run the drill again until it "
			   "passes."), s->name));
}

static void drill_stale(struct actx *c, const struct plan_service *s,
			const struct assess_service_facts *f,
			const struct plan_drill *d)
{
	int64_t t = f->last_drill_pass ? f->last_drill_pass : f->last_drill;
	int64_t period = d ? d->every : ASSESS_DRILL_PERIOD;
	char a[DURATION_FMT_MAX], b[DURATION_FMT_MAX], day[16];

	if (c->now - t <= period)
		return;
	assess_emit_svc(c, s, "DRILL-STALE",
		c->now - t > 2 * period ? ASSESS_CRITICAL : ASSESS_WARNING,
		afmt(c, N_("The last successful restore drill of '%s' was %s "
			   "ago (%s); the plan asks for one every %s."),
		     s->name, fmt_age(c->now - t, a), fmt_date(t, day),
		     fmt_dur(period, b)),
		drill_fix(c, s, d));
}

void rule_drill(struct actx *c, const struct plan_service *s,
		const struct assess_service_facts *f)
{
	const struct plan_drill *d = first_drill(c->p, s);

	if (f->last_drill == 0 && f->last_drill_pass == 0)
		drill_none(c, s, d);
	else if (f->last_drill_failed)
		drill_failed(c, s, f);
	else
		drill_stale(c, s, f, d);
}

/* ---- RTO ---- */

/* How long until a machine is ready for the restore. */
struct prov {
	int known;
	int64_t secs;
	const struct plan_host *host;   /* the slowest (or unknown) host */
	const char *via;                /* the standby or provider name */
	int standby;                    /* via names a standby host */
};

static void host_prov(const struct plan_service *s, const struct plan_host *h,
		      struct prov *out)
{
	const struct plan_provider *pr = h->provider ? h->provider
						     : s->provider;

	memset(out, 0, sizeof(*out));
	out->host = h;
	if (h->standby) {
		out->standby = 1;
		out->via = h->standby->name;
		out->secs = h->standby->ready_in;
	} else if (pr && pr->contract.present) {
		out->via = pr->name;
		out->secs = pr->contract.provisioning;
	}
	out->known = out->secs > 0;
}

/* svc_prov: the slowest host decides (they are provisioned in
 * parallel); one unknown host makes the whole unknown. */
static void svc_prov(const struct plan_service *s, struct prov *out)
{
	struct prov h;
	size_t i;

	memset(out, 0, sizeof(*out));
	out->known = 1;
	if (s->nhosts == 0 && s->provider && s->provider->contract.present &&
	    s->provider->contract.provisioning > 0) {
		out->secs = s->provider->contract.provisioning;
		out->via = s->provider->name;
	}
	for (i = 0; i < s->nhosts; i++) {
		host_prov(s, s->hosts[i], &h);
		if (!h.known) {
			*out = h;
			return;
		}
		if (h.secs > out->secs || out->host == NULL)
			*out = h;
	}
}

/* restore_secs: bytes / throughput rounded up, or -1 when unknown. */
static int64_t restore_secs(const struct assess_service_facts *f)
{
	double t;

	if (!(f->restore_throughput > 0) || f->data_bytes == 0)
		return -1;
	t = (double)f->data_bytes / f->restore_throughput;
	if (t > RESTORE_MAX)
		t = RESTORE_MAX;
	return (int64_t)t + ((double)(int64_t)t < t);
}

static char *rto_fix(const struct actx *c, const struct plan_service *s,
		     const struct prov *pv,
		     const struct assess_service_facts *f)
{
	char a[DURATION_FMT_MAX], r[BYTES_FMT_MAX];

	fmt_dur(s->rto, a);
	if (pv->known && pv->secs >= s->rto)
		return afmt(c, N_("Prepare a standby machine that can take "
				  "over in less than %s, or get a faster "
				  "replacement written into the contract; or "
				  "agree with the director on a longer RTO."),
			    a);
	return afmt(c, N_("Make the restore faster (today %s/s: faster "
			  "storage or network, a copy close to the "
			  "machine), restore the most needed data first, or "
			  "prepare a standby machine; or agree with the "
			  "director on a longer RTO."),
		    fmt_bytes(c, f->restore_throughput, r));
}

static char *prov_source(const struct actx *c, const struct prov *pv)
{
	if (pv->standby)
		return afmt(c, N_("standby host '%s'"), pv->via);
	if (pv->via)
		return afmt(c, N_("contract with '%s'"), pv->via);
	return afmt(c, N_("nothing to provision"));
}

/* rto_full: both parts known. */
static char *rto_full(const struct actx *c, const struct plan_service *s,
		      const struct prov *pv, int64_t rs,
		      const struct assess_service_facts *f)
{
	char tot[DURATION_FMT_MAX], pd[DURATION_FMT_MAX], rd[DURATION_FMT_MAX],
		rto[DURATION_FMT_MAX], sz[BYTES_FMT_MAX], th[BYTES_FMT_MAX];
	char *src = prov_source(c, pv), *msg;

	msg = afmt(c, N_("Getting '%s' back would take about %s: %s to get a "
			 "machine (%s) plus %s to restore %s at %s/s; the "
			 "plan allows %s (RTO)."), s->name,
		   fmt_dur(pv->secs + rs, tot), fmt_dur(pv->secs, pd), src,
		   fmt_dur(rs, rd), fmt_bytes(c, (double)f->data_bytes, sz),
		   fmt_bytes(c, f->restore_throughput, th),
		   fmt_dur(s->rto, rto));
	free(src);
	return msg;
}

/* rto_partial: one part alone is over the RTO. */
static char *rto_partial(const struct actx *c, const struct plan_service *s,
			 const struct prov *pv, int64_t rs,
			 const struct assess_service_facts *f)
{
	char d[DURATION_FMT_MAX], rto[DURATION_FMT_MAX], sz[BYTES_FMT_MAX],
		th[BYTES_FMT_MAX];
	char *src, *msg;

	fmt_dur(s->rto, rto);
	if (rs >= 0)
		return afmt(c, N_("Restoring the %s of '%s' at %s/s alone "
				  "would take %s, before the time to get a "
				  "machine, which the plan does not give; the "
				  "plan allows %s (RTO)."),
			    fmt_bytes(c, (double)f->data_bytes, sz), s->name,
			    fmt_bytes(c, f->restore_throughput, th),
			    fmt_dur(rs, d), rto);
	src = prov_source(c, pv);
	msg = afmt(c, N_("Getting a machine for '%s' alone takes %s (%s), "
			 "before any data is restored; the plan allows %s "
			 "(RTO)."), s->name, fmt_dur(pv->secs, d), src, rto);
	free(src);
	return msg;
}

static void rto_unknown_restore(struct actx *c, const struct plan_service *s,
				const struct assess_service_facts *f)
{
	char *msg, *fix;

	if (!(f->restore_throughput > 0)) {
		msg = afmt(c, N_("How long restoring '%s' takes is not known: "
				 "no restore drill has measured it."), s->name);
		fix = afmt(c, N_("Run a whole restore drill of '%s': it "
				 "measures the restore speed."), s->name);
	} else {
		msg = afmt(c, N_("How long restoring '%s' takes is not known: "
				 "no backup has recorded the size of its "
				 "data."), s->name);
		fix = afmt(c, N_("Run a backup of '%s' so that the size of "
				 "its data is known."), s->name);
	}
	assess_emit_svc(c, s, "RTO-UNKNOWN", ASSESS_WARNING, msg, fix);
}

static char *prov_fix(const struct actx *c, const struct plan_service *s,
		      const struct prov *pv)
{
	const struct plan_host *h = pv->host;
	const struct plan_provider *pr = h->provider ? h->provider
						     : s->provider;

	if (pv->standby)
		return afmt(c, N_("Write in the plan how long the standby host "
				  "'%s' takes to take over (ready_in)."),
			    pv->via);
	if (pr)
		return afmt(c, N_("Write in the plan the provisioning time "
				  "that the contract with '%s' guarantees "
				  "(provisioning), or name a standby host "
				  "for '%s' with its ready_in."), pr->name,
			    h->name);
	return afmt(c, N_("Name a standby host for '%s' with its ready_in, "
			  "or agree with a provider on how fast it delivers "
			  "a replacement and write it in the plan."),
		    h->name);
}

static void rto_unknown_prov(struct actx *c, const struct plan_service *s,
			     const struct prov *pv)
{
	assess_emit_svc(c, s, "RTO-UNKNOWN", ASSESS_WARNING,
		afmt(c, N_("The plan does not say how long it takes to get a "
			   "replacement for host '%s' of '%s', so the time to "
			   "bring the service back is not known."),
		     pv->host->name, s->name),
		prov_fix(c, s, pv));
}

void rule_rto(struct actx *c, const struct plan_service *s,
	      const struct assess_service_facts *f)
{
	struct prov pv;
	int64_t rs = restore_secs(f), low;
	char *msg;

	if (s->rto <= 0)
		return;
	svc_prov(s, &pv);
	low = (pv.known ? pv.secs : 0) + (rs > 0 ? rs : 0);
	if (low <= s->rto) {
		if (!pv.known)
			rto_unknown_prov(c, s, &pv);
		if (rs < 0)
			rto_unknown_restore(c, s, f);
		return;
	}
	if (pv.known && rs >= 0)
		msg = rto_full(c, s, &pv, rs, f);
	else
		msg = rto_partial(c, s, &pv, rs, f);
	assess_emit_svc(c, s, "RTO-ESTIMATE", ASSESS_CRITICAL, msg,
			rto_fix(c, s, &pv, f));
}
