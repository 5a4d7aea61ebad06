/*
 * assess_internal: what the files of src/assess/ share, nothing else
 * includes.
 *
 * assess.c holds the rule table and runs it; a rule is a function that
 * looks at the plan (and facts) through a struct actx and calls
 * assess_emit for each finding.  Rules about one service take the
 * service and its facts (never NULL: a service the catalog knows nothing
 * of gets zeroed facts); the others take the context only.  The rules
 * live by theme: assess_backup.c (backups, drills, RTO), assess_copies.c
 * (3-2-1), assess_contract.c (providers), assess_org.c (people,
 * monitoring, messages, exercises, review), assess_plan.c (cross-checks).
 */
#ifndef RP_ASSESS_INTERNAL_H
#define RP_ASSESS_INTERNAL_H

#include "assess/assess.h"

/* Marks English phrases for xgettext; tr() translates them at run time. */
#define N_(s) (s)

#define DAY ((int64_t)86400)

struct actx {
	const struct plan *p;
	const struct assess_facts *f;
	int64_t now;
	const char *(*tr)(const char *);   /* never NULL */
	struct assess_result *out;
};

typedef void svc_rule_fn(struct actx *c, const struct plan_service *s,
			 const struct assess_service_facts *f);
typedef void plan_rule_fn(struct actx *c);

/* A finding being built: id static, the strings owned until emitted. */
struct draft {
	const char *id;
	enum assess_severity sev;
	enum assess_kind kind;
	const char *subject;        /* borrowed, copied by assess_emit */
	struct plan_pos pos;
	char *message, *fix;        /* transferred to the result */
};

/* assess_emit: appends d to the result (message and fix are taken). */
void assess_emit(struct actx *c, struct draft *d);
/* assess_emit_svc: the same about service s (subject, position, and its
 * criticality lowering CRITICAL to WARNING when low). */
void assess_emit_svc(struct actx *c, const struct plan_service *s,
		     const char *id, enum assess_severity sev, char *message,
		     char *fix);

/* afmt: a new string from tr(fmt) and the arguments. */
char *afmt(const struct actx *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Formatting into caller buffers (each returns out).  fmt_dur is
 * duration_format, except that weeks are used only for whole weeks. */
#define BYTES_FMT_MAX 32
const char *fmt_dur(int64_t secs, char out[DURATION_FMT_MAX]);
/* fmt_age: like fmt_dur with the two largest units only, rounded up
 * ("3d3h" for 3d2h13m), so that an age over a limit never reads as the
 * limit itself. */
const char *fmt_age(int64_t secs, char out[DURATION_FMT_MAX]);
const char *fmt_date(int64_t t, char out[16]);
const char *fmt_bytes(const struct actx *c, double bytes,
		      char out[BYTES_FMT_MAX]);

/* Questions about the plan (assess.c). */
int svc_covered(const struct plan *p, const struct plan_service *s);
/* svc_provider: the i-th provider that runs s (0: the service's own,
 * i > 0: host i-1's), or NULL when absent or already seen at j < i. */
const struct plan_provider *svc_provider(const struct plan_service *s,
					 size_t i);
int svc_runs_at(const struct plan_service *s,
		const struct plan_provider *pr);
int person_reachable(const struct plan_person *who);

/* The rules. */
svc_rule_fn rule_backup_none, rule_rpo_schedule, rule_rpo_measured,
	rule_rpo_offsite, rule_drill, rule_rto, rule_copies;
svc_rule_fn rule_contract_sla, rule_contract_hours;
plan_rule_fn rule_contract_notice, rule_contract_clauses;
plan_rule_fn rule_monitor, rule_referent, rule_calltree, rule_templates,
	rule_exercise, rule_review;
plan_rule_fn rule_inconsistent;

#endif
