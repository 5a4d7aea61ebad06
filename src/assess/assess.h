/*
 * assess: the findings of `reprise check` (DESIGN.md "Findings").
 *
 * assess_run joins the plan with what the catalog measured (the facts) at
 * a moment `now` and lists what stands between the company and a
 * recovery that works: each finding has a stable ID, a severity, a
 * subject, one plain sentence for the director and what to do.  It is a
 * pure function of (plan, facts, now): no I/O, no clock, no printing, no
 * global state; the same input gives the same findings in the same order.
 * It allocates only the result (xmalloc: out of memory aborts).
 *
 *   struct assess_facts f = { svc, nsvc };   (cli/ fills from the catalog)
 *   struct assess_result res;
 *   assess_run(plan, &f, now, tr, &res);
 *   ... res.v[0..res.n), res.count[ASSESS_CRITICAL] ...
 *   assess_result_release(&res);
 *
 * TEXT.  Messages and fixes are English format strings marked N_() and
 * passed through tr() before formatting (cli/ passes a gettext wrapper;
 * NULL keeps English).  Names from the plan are quoted as written.
 * Durations use duration_format ("3d2h"; weeks only when whole: "30d",
 * "2w"), ages and time left the two largest units rounded up ("is 4h1m
 * old", never "4h" for 4h0m1s), dates plan_date_format, sizes SI units
 * with one decimal ("1.5 GB", "50 MB/s"), never the locale.
 *
 * ORDER.  Critical first, then warning, then info; within a severity by
 * ID, then subject, then message (byte order).
 *
 * THE RULES.  ID, severity, subject: when it fires.  "svc" marks a rule
 * about one service: its CRITICAL is lowered to WARNING when the
 * service's criticality is low.  "backup" marks a rule skipped for a
 * service that no job covers (BACKUP-NONE, or nothing, is said instead:
 * one cause, one finding).  A provider "runs" a service when it is the
 * service's provider or the provider of one of its hosts.
 *
 * BACKUP-NONE, CRITICAL, service (svc): it has hosts or data paths, and
 *   no job covers it.
 * RPO-SCHEDULE, CRITICAL, service (svc, backup): a covering job's
 *   interval (given, else plan_job_interval) is longer than the RPO; one
 *   finding per job.
 * RPO-MEASURED, CRITICAL, service (svc, backup): no good snapshot ever,
 *   or the newest is older than the RPO.
 * RPO-OFFSITE, WARNING, service (svc, backup): a covering job writes to
 *   an offsite repository (or the catalog knows an offsite snapshot), and
 *   the newest offsite snapshot is missing or older than the RPO.  Only
 *   a warning: the local copy meets the RPO; this one matters after a
 *   disaster at the site (COPIES-321 says when there is no such copy).
 * DRILL-NONE, CRITICAL, service (svc, backup): never a restore drill.
 * DRILL-FAILED, CRITICAL, service (svc, backup): the newest drill failed.
 * DRILL-STALE, WARNING, service (svc, backup): the newest drill passed,
 *   but no passing drill within the drill period (the shortest `every`
 *   of the drills on the service or on a job covering it; 30d when the
 *   plan has none); CRITICAL past twice the period.
 * RTO-ESTIMATE, CRITICAL, service (svc, backup): provisioning + data /
 *   throughput is longer than the RTO; the message gives the breakdown.
 *   Provisioning, per host: its standby's ready_in, else the contract
 *   provisioning of its provider (or of the service's); the slowest host
 *   counts; nothing for a service without hosts.  Restore: data_bytes /
 *   restore_throughput, rounded up, also with a standby (its data is not
 *   assumed current).  Fires too when one part is unknown and the other
 *   alone is over the RTO.
 * RTO-UNKNOWN, WARNING, service (svc, backup): while the known part fits
 *   in the RTO, one finding when the provisioning time is unknown (a host
 *   with neither a standby's ready_in nor a contract provisioning), one
 *   when no drill measured the throughput or no backup the data size.
 * CONTRACT-NO-SLA, CRITICAL, service (svc): a provider running it has no
 *   contract in the plan, or one with restore_time none or not given.
 * CONTRACT-SLA-EXCEEDS-RTO, CRITICAL, service (svc): a provider running
 *   it guarantees a restore_time longer than the RTO.
 * CONTRACT-HOURS, service (svc): it needs 24x7, and a provider running it
 *   supports business hours (CRITICAL), extended hours or does not say
 *   (WARNING).  A provider without a contract: CONTRACT-NO-SLA only.
 * CONTRACT-NOTICE, WARNING, provider: the last day to give notice (end -
 *   notice) is today or within 60 days (ASSESS_NOTICE_WINDOW).
 * CONTRACT-CLAUSES, WARNING, provider: a provider running a service has
 *   a contract without (or silent on) a continuity clause or
 *   reversibility.
 * COPIES-321, service (svc, backup): the repositories of the jobs
 *   covering it hold no copy off site at a provider other than those
 *   running it (CRITICAL: an "offsite" repository at the hosting
 *   provider fails with it); or fewer than 2 repositories, 2 media, 1
 *   immutable or offline (WARNING).  One finding lists every shortfall.
 * MONITOR-NONE, host: a host of a service of criticality critical
 *   (CRITICAL) or high (WARNING) has no monitoring at all (no hwmon, no
 *   smart, no probe), or nobody with a phone or e-mail to alert; a
 *   WARNING when only probes watch it (the hardware is not watched).
 * REFERENT-NONE, "people": nobody has role it_referent (CRITICAL); a
 *   referent but no it_deputy (WARNING).
 * CALLTREE-INCOMPLETE, "call_tree": no call tree (CRITICAL).  WARNING
 *   each: a single step; an IT referent or a director who is not in it;
 *   and, with the person as subject, someone in it with neither phone
 *   nor e-mail.
 * TEMPLATES-MISSING, WARNING, "templates": no message for staff; none
 *   for clients (one finding each); INFO: none for the authority while a
 *   service holds personal data.
 * EXERCISE-STALE, WARNING, "exercise": never, or the last crisis
 *   exercise is older than its `every` (365d).
 * PLAN-REVIEW-STALE, WARNING, "review": never, or the last review is
 *   older than its `every` (365d).
 * PLAN-INCONSISTENT: RTO or RPO above the MTPD (CRITICAL, service;
 *   plan_load refuses it, checked again for plans built otherwise).
 *   WARNING: facts about a service the plan does not name (subject: that
 *   name), a job tied to no service (job), a drill on a service that no
 *   job covers (drill), a review or exercise dated after now.
 *
 * Boundaries: "older than D" is now - t > D (equal is in time); a date
 * (review, exercise) counts from its UTC midnight.
 */
#ifndef RP_ASSESS_H
#define RP_ASSESS_H

#include <stddef.h>
#include <stdint.h>

#include "plan/plan.h"

/* Default drill period when the plan names no drill for a service. */
#define ASSESS_DRILL_PERIOD ((int64_t)30 * 86400)
/* CONTRACT-NOTICE looks this far ahead. */
#define ASSESS_NOTICE_WINDOW ((int64_t)60 * 86400)
/* review.every / exercise.every when a hand-built plan leaves them unset. */
#define ASSESS_YEAR ((int64_t)365 * 86400)

/* Same values as enum catalog_severity; ordered. */
enum assess_severity {
	ASSESS_INFO = 0,
	ASSESS_WARNING = 1,
	ASSESS_CRITICAL = 2,
};

/* What the subject names. */
enum assess_kind {
	ASSESS_KIND_PLAN,       /* a section of the plan: "call_tree" */
	ASSESS_KIND_SERVICE,
	ASSESS_KIND_HOST,
	ASSESS_KIND_PROVIDER,
	ASSESS_KIND_PERSON,
	ASSESS_KIND_JOB,
	ASSESS_KIND_DRILL,
};

/* What the catalog measured for one service (cli/ computes it).  Times
 * are unix seconds; 0 means "never" / "not known". */
struct assess_service_facts {
	const char *service;        /* the plan's service name */
	int64_t newest_snapshot;    /* newest good snapshot of any job
				     * covering it, in any repository */
	int64_t newest_offsite;     /* the same in an offsite repository */
	int64_t last_drill;         /* newest drill of any result on it (or
				     * on a job covering it) */
	int last_drill_failed;      /* 1: that newest drill failed */
	const char *last_drill_reason;  /* why, or NULL */
	int64_t last_drill_pass;    /* newest passing drill */
	double restore_throughput;  /* bytes/s of the newest passing drill */
	uint64_t data_bytes;        /* bytes to restore (newest backup run) */
};

/* Borrowed by assess_run, never kept.  svc may be NULL when nsvc is 0;
 * a service with no entry has no measurement at all. */
struct assess_facts {
	const struct assess_service_facts *svc;
	size_t nsvc;
};

struct assess_finding {
	char id[32];                /* "RPO-MEASURED" */
	enum assess_severity sev;
	enum assess_kind kind;
	char *subject;              /* owned: a name from the plan */
	char *message;              /* owned: one sentence */
	char *fix;                  /* owned: what to do */
	struct plan_pos pos;        /* the subject's entry in the plan file;
				     * 0,0 when none */
};

struct assess_result {
	struct assess_finding *v;   /* owned, sorted (see ORDER) */
	size_t n, cap;
	size_t count[3];            /* findings per enum assess_severity */
};

#define ASSESS_RESULT_INIT { NULL, 0, 0, { 0, 0, 0 } }

/*
 * assess_run: every finding of plan p with facts f (NULL: nothing
 * measured) at time now (unix seconds).  tr translates the English
 * format strings (NULL: English).  *out is overwritten (its old content
 * is not freed) with a new result that the caller releases with
 * assess_result_release, also on error.  p and f are borrowed.
 * Returns 0, or RP_EINVAL when p or out is NULL (out untouched).
 */
int assess_run(const struct plan *p, const struct assess_facts *f,
	       int64_t now, const char *(*tr)(const char *),
	       struct assess_result *out);

/* assess_result_release: frees every finding; r is empty after. */
void assess_result_release(struct assess_result *r);

/* assess_severity_name: "critical", "warning", "info" (static, English,
 * for JSON; marked N_ for the human output). */
const char *assess_severity_name(enum assess_severity sev);
/* assess_kind_name: "plan", "service", "host", "provider", "person",
 * "job", "drill" (static, for JSON). */
const char *assess_kind_name(enum assess_kind kind);

#endif
