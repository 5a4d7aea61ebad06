/*
 * plan_schema: the keys of the plan file, one table per kind of mapping
 * (see the grammar in plan.h), and the checks that join several keys of
 * one mapping ("exactly one of", RTO above MTPD).  To add a key: a member
 * in the struct (plan.h), a row here, a line in plan.h's grammar and in
 * examples/plan.yaml.  Loading, defaults and freeing follow the row.
 */
#include "plan/plan_internal.h"

#include <stddef.h>
#include <string.h>

_Static_assert(sizeof(enum plan_lang) == sizeof(int) &&
	       sizeof(enum plan_criticality) == sizeof(int) &&
	       sizeof(enum plan_medium) == sizeof(int) &&
	       sizeof(enum plan_renewal) == sizeof(int) &&
	       sizeof(enum plan_hours) == sizeof(int) &&
	       sizeof(enum plan_scope) == sizeof(int) &&
	       sizeof(enum plan_audience) == sizeof(int),
	       "enums are stored as int");

#define DAY ((int64_t)86400)

/* FLD: a row for member m of struct type s; FLDX with more settings. */
#define FLD(k, t, s, m) { .key = (k), .type = (t), .off = offsetof(s, m) }
#define FLDX(k, t, s, m, ...) \
	{ .key = (k), .type = (t), .off = offsetof(s, m), __VA_ARGS__ }
/* VEC: a row for an array member m with its count member nm. */
#define VEC(k, t, s, m, nm, ...)                                     \
	{ .key = (k), .type = (t), .off = offsetof(s, m),            \
	  .off_n = offsetof(s, nm), __VA_ARGS__ }
#define END { .key = NULL }

/* ---- values ---- */

static const struct fenum langs[] = {
	{ "fr", PLAN_LANG_FR }, { "en", PLAN_LANG_EN }, { NULL, 0 },
};
static const struct fenum criticalities[] = {
	{ "critical", PLAN_CRIT_CRITICAL }, { "high", PLAN_CRIT_HIGH },
	{ "medium", PLAN_CRIT_MEDIUM }, { "low", PLAN_CRIT_LOW },
	{ NULL, 0 },
};
static const struct fenum roles[] = {
	{ "director", PLAN_ROLE_DIRECTOR },
	{ "it_referent", PLAN_ROLE_IT_REFERENT },
	{ "it_deputy", PLAN_ROLE_IT_DEPUTY },
	{ "dpo", PLAN_ROLE_DPO },
	{ "communication", PLAN_ROLE_COMMUNICATION },
	{ "management", PLAN_ROLE_MANAGEMENT },
	{ NULL, 0 },
};
static const struct fenum media[] = {
	{ "disk", PLAN_MEDIUM_DISK }, { "nas", PLAN_MEDIUM_NAS },
	{ "usb", PLAN_MEDIUM_USB }, { "tape", PLAN_MEDIUM_TAPE },
	{ "s3", PLAN_MEDIUM_S3 }, { "cloud", PLAN_MEDIUM_CLOUD },
	{ "server", PLAN_MEDIUM_SERVER }, { "optical", PLAN_MEDIUM_OPTICAL },
	{ NULL, 0 },
};
static const struct fenum renewals[] = {
	{ "automatic", PLAN_RENEWAL_AUTOMATIC },
	{ "manual", PLAN_RENEWAL_MANUAL },
	{ NULL, 0 },
};
static const struct fenum hours[] = {
	{ "business", PLAN_HOURS_BUSINESS },
	{ "extended", PLAN_HOURS_EXTENDED },
	{ "24x7", PLAN_HOURS_24X7 },
	{ NULL, 0 },
};
static const struct fenum scopes[] = {
	{ "whole", PLAN_SCOPE_WHOLE }, { "sample", PLAN_SCOPE_SAMPLE },
	{ NULL, 0 },
};
static const struct fenum audiences[] = {
	{ "staff", PLAN_AUDIENCE_STAFF },
	{ "clients", PLAN_AUDIENCE_CLIENTS },
	{ "provider", PLAN_AUDIENCE_PROVIDER },
	{ "authority", PLAN_AUDIENCE_AUTHORITY },
	{ "public", PLAN_AUDIENCE_PUBLIC },
	{ NULL, 0 },
};

#define LANG_EXPECTED N_("fr or en")

/* ---- checks that join keys ---- */

/* one_of: exactly one of keys a and b in map. */
static void one_of(struct pctx *c, yaml_node_t *map, const char *a,
		   const char *b, const char *expected)
{
	yaml_node_t *ka = map_key(c, map, a), *kb = map_key(c, map, b);

	if (ka && kb)
		PERR(c, kb, .what = N_("conflicting keys"), .subject = b,
		     .expected = expected);
	else if (!ka && !kb)
		PERR(c, map, .what = N_("missing key"), .subject = a,
		     .expected = expected);
}

static void not_above_mtpd(struct pctx *c, yaml_node_t *map,
			   const char *key, int64_t v, int64_t mtpd,
			   const char *expected)
{
	yaml_node_t *n = map_value(c, map, key);

	if (v > 0 && mtpd > 0 && v > mtpd && n && n->type == YAML_SCALAR_NODE)
		PERR(c, n, .what = N_("inconsistent value for"),
		     .subject = key,
		     .found = (const char *)n->data.scalar.value,
		     .expected = expected);
}

static void service_check(struct pctx *c, yaml_node_t *map, void *item)
{
	struct plan_service *s = item;

	not_above_mtpd(c, map, "rto", s->rto, s->mtpd,
		       N_("a time to restore no longer than the maximum "
			  "tolerable downtime (mtpd)"));
	not_above_mtpd(c, map, "rpo", s->rpo, s->mtpd,
		       N_("a data loss window no longer than the maximum "
			  "tolerable downtime (mtpd)"));
}

static void job_check(struct pctx *c, yaml_node_t *map, void *item)
{
	(void)item;
	one_of(c, map, "sources", "command",
	       N_("either sources (paths to back up) or command (a dump "
		  "command), not both"));
}

static void drill_check(struct pctx *c, yaml_node_t *map, void *item)
{
	(void)item;
	one_of(c, map, "service", "job",
	       N_("either service or job, not both"));
}

static void template_check(struct pctx *c, yaml_node_t *map, void *item)
{
	(void)item;
	one_of(c, map, "text", "file",
	       N_("either text (the message itself) or file (its path), "
		  "not both"));
}

/* threshold_check: a row that changes nothing is a mistake. */
static void threshold_check(struct pctx *c, yaml_node_t *map, void *item)
{
	(void)item;
	if (!map_key(c, map, "limit") && !map_key(c, map, "lead"))
		PERR(c, map, .what = N_("missing key"), .subject = "limit",
		     .expected = N_("limit (degrees, fan RPM or percent "
				    "full), lead (how early to warn) or both"));
}

static void contract_check(struct pctx *c, yaml_node_t *map, void *item)
{
	struct plan_contract *k = item;
	yaml_node_t *n = map_value(c, map, "end");

	k->present = 1;
	if (k->start >= 0 && k->end >= 0 && k->end < k->start && n &&
	    n->type == YAML_SCALAR_NODE)
		PERR(c, n, .what = N_("inconsistent value for"),
		     .subject = "end",
		     .found = (const char *)n->data.scalar.value,
		     .expected = N_("a date after the start of the "
				    "contract"));
}

static void root_check(struct pctx *c, yaml_node_t *map, void *item)
{
	struct plan *p = item;
	yaml_node_t *n = map_value(c, map, "version");

	if (p->version != 1 && n && n->type == YAML_SCALAR_NODE)
		PERR(c, n, .what = N_("unsupported version"),
		     .found = (const char *)n->data.scalar.value,
		     .expected = N_("1, the only version this reprise "
				    "knows"));
}

/* ---- tables ---- */

static const struct field company_fields[] = {
	FLDX("name", F_STR, struct plan_company, name, .flags = FL_REQ),
	FLD("sector", F_STR, struct plan_company, sector),
	FLD("staff", F_INT, struct plan_company, staff),
	FLD("address", F_STR, struct plan_company, address),
	END,
};
static const struct ptable company_table = { company_fields, 0, NULL };

static const struct field review_fields[] = {
	FLD("last", F_DATE, struct plan_review, last),
	FLDX("signed_by", F_REF, struct plan_review, signed_by,
	     .ref = REF_PERSON),
	FLDX("every", F_DURATION, struct plan_review, every, .def = 365 * DAY),
	END,
};
static const struct ptable review_table = { review_fields, 0, NULL };

static const struct field exercise_fields[] = {
	FLD("last", F_DATE, struct plan_exercise, last),
	FLDX("every", F_DURATION, struct plan_exercise, every,
	     .def = 365 * DAY),
	END,
};
static const struct ptable exercise_table = { exercise_fields, 0, NULL };

static const struct field person_fields[] = {
	FLDX("id", F_NAME, struct plan_person, id, .flags = FL_REQ | FL_KEY),
	FLDX("name", F_STR, struct plan_person, name, .flags = FL_REQ),
	FLDX("roles", F_FLAGS, struct plan_person, roles, .aux = roles,
	     .expected = N_("a list of director, it_referent, it_deputy, dpo, "
			    "communication, management")),
	FLD("email", F_STR, struct plan_person, email),
	FLD("phone", F_STR, struct plan_person, phone),
	END,
};
static const struct ptable person_table = {
	person_fields, sizeof(struct plan_person), NULL
};

static const struct field contact_fields[] = {
	FLDX("name", F_STR, struct plan_contact, name, .flags = FL_REQ),
	FLD("organisation", F_STR, struct plan_contact, organisation),
	FLD("role", F_STR, struct plan_contact, role),
	FLD("email", F_STR, struct plan_contact, email),
	FLD("phone", F_STR, struct plan_contact, phone),
	FLD("notes", F_STR, struct plan_contact, notes),
	END,
};
static const struct ptable contact_table = {
	contact_fields, sizeof(struct plan_contact), NULL
};

static const struct field contract_fields[] = {
	FLD("reference", F_STR, struct plan_contract, reference),
	FLD("start", F_DATE, struct plan_contract, start),
	FLD("end", F_DATE, struct plan_contract, end),
	FLDX("renewal", F_ENUM, struct plan_contract, renewal,
	     .aux = renewals, .expected = N_("automatic or manual")),
	FLD("renewal_period", F_DURATION, struct plan_contract,
	    renewal_period),
	FLD("notice", F_DURATION, struct plan_contract, notice),
	FLDX("support_hours", F_ENUM, struct plan_contract, support_hours,
	     .aux = hours, .expected = N_("business, extended or 24x7")),
	FLD("response_time", F_DURATION, struct plan_contract, response_time),
	FLDX("restore_time", F_DURATION, struct plan_contract, restore_time,
	     .flags = FL_NONE_OK),
	FLD("provisioning", F_DURATION, struct plan_contract, provisioning),
	FLDX("continuity_clause", F_BOOL, struct plan_contract,
	     continuity_clause, .def = PLAN_UNSET),
	FLDX("reversibility", F_BOOL, struct plan_contract, reversibility,
	     .def = PLAN_UNSET),
	FLD("penalties", F_STR, struct plan_contract, penalties),
	END,
};
static const struct ptable contract_table = {
	contract_fields, 0, contract_check
};

static const struct field provider_fields[] = {
	FLDX("name", F_NAME, struct plan_provider, name,
	     .flags = FL_REQ | FL_KEY),
	FLD("full_name", F_STR, struct plan_provider, full_name),
	FLD("email", F_STR, struct plan_provider, email),
	FLD("phone", F_STR, struct plan_provider, phone),
	FLD("url", F_STR, struct plan_provider, url),
	FLDX("contract", F_MAP, struct plan_provider, contract,
	     .aux = &contract_table),
	END,
};
static const struct ptable provider_table = {
	provider_fields, sizeof(struct plan_provider), NULL
};

static const struct field threshold_fields[] = {
	FLDX("match", F_STR, struct plan_threshold, match, .flags = FL_REQ),
	FLD("limit", F_INT, struct plan_threshold, limit),
	FLD("lead", F_DURATION, struct plan_threshold, lead),
	END,
};
static const struct ptable threshold_table = {
	threshold_fields, sizeof(struct plan_threshold), threshold_check
};

static const struct field monitoring_fields[] = {
	FLD("hwmon", F_BOOL, struct plan_monitoring, hwmon),
	FLD("smart", F_BOOL, struct plan_monitoring, smart),
	FLD("probes", F_STRV, struct plan_monitoring, probes),
	VEC("alert", F_REFV, struct plan_monitoring, alert, nalert,
	    .ref = REF_PERSON),
	VEC("thresholds", F_LIST, struct plan_monitoring, thresholds,
	    nthresholds, .aux = &threshold_table),
	END,
};
static const struct ptable monitoring_table = { monitoring_fields, 0, NULL };

static const struct field host_fields[] = {
	FLDX("name", F_NAME, struct plan_host, name, .flags = FL_REQ | FL_KEY),
	FLD("description", F_STR, struct plan_host, description),
	FLD("location", F_STR, struct plan_host, location),
	FLD("address", F_STR, struct plan_host, address),
	FLDX("provider", F_REF, struct plan_host, provider,
	     .ref = REF_PROVIDER),
	FLDX("monitoring", F_MAP, struct plan_host, monitoring,
	     .aux = &monitoring_table),
	FLDX("standby", F_REF, struct plan_host, standby, .ref = REF_HOST),
	FLD("ready_in", F_DURATION, struct plan_host, ready_in),
	END,
};
static const struct ptable host_table = {
	host_fields, sizeof(struct plan_host), NULL
};

static const struct field service_fields[] = {
	FLDX("name", F_NAME, struct plan_service, name,
	     .flags = FL_REQ | FL_KEY),
	FLD("description", F_STR, struct plan_service, description),
	FLDX("criticality", F_ENUM, struct plan_service, criticality,
	     .flags = FL_REQ, .aux = criticalities,
	     .expected = N_("critical, high, medium or low")),
	FLDX("rto", F_DURATION, struct plan_service, rto, .flags = FL_REQ),
	FLDX("rpo", F_DURATION, struct plan_service, rpo, .flags = FL_REQ),
	FLD("mtpd", F_DURATION, struct plan_service, mtpd),
	FLD("needs_24x7", F_BOOL, struct plan_service, needs_24x7),
	FLDX("personal_data", F_BOOL, struct plan_service, personal_data,
	     .def = PLAN_UNSET),
	VEC("hosts", F_REFV, struct plan_service, hosts, nhosts,
	    .ref = REF_HOST),
	FLD("data_paths", F_STRV, struct plan_service, data_paths),
	FLDX("provider", F_REF, struct plan_service, provider,
	     .ref = REF_PROVIDER),
	END,
};
static const struct ptable service_table = {
	service_fields, sizeof(struct plan_service), service_check
};

static const struct field repo_fields[] = {
	FLDX("name", F_NAME, struct plan_repository, name,
	     .flags = FL_REQ | FL_KEY),
	FLDX("url", F_STR, struct plan_repository, url, .flags = FL_REQ),
	FLD("password_file", F_STR, struct plan_repository, password_file),
	FLDX("medium", F_ENUM, struct plan_repository, medium,
	     .flags = FL_REQ, .aux = media,
	     .expected = N_("disk, nas, usb, tape, s3, cloud, server or "
			    "optical")),
	FLD("offsite", F_BOOL, struct plan_repository, offsite),
	FLD("immutable", F_BOOL, struct plan_repository, immutable),
	FLD("offline", F_BOOL, struct plan_repository, offline),
	FLDX("provider", F_REF, struct plan_repository, provider,
	     .ref = REF_PROVIDER),
	FLD("location", F_STR, struct plan_repository, location),
	END,
};
static const struct ptable repo_table = {
	repo_fields, sizeof(struct plan_repository), NULL
};

static const struct field retention_fields[] = {
	FLD("last", F_INT, struct plan_retention, last),
	FLD("hourly", F_INT, struct plan_retention, hourly),
	FLD("daily", F_INT, struct plan_retention, daily),
	FLD("weekly", F_INT, struct plan_retention, weekly),
	FLD("monthly", F_INT, struct plan_retention, monthly),
	FLD("yearly", F_INT, struct plan_retention, yearly),
	FLD("within", F_DURATION, struct plan_retention, within),
	END,
};
static const struct ptable retention_table = { retention_fields, 0, NULL };

static const struct field job_fields[] = {
	FLDX("name", F_NAME, struct plan_job, name, .flags = FL_REQ | FL_KEY),
	FLDX("host", F_REF, struct plan_job, host, .ref = REF_HOST),
	VEC("services", F_REFV, struct plan_job, services, nservices,
	    .ref = REF_SERVICE),
	FLDX("sources", F_STRV, struct plan_job, sources,
	     .flags = FL_NONEMPTY),
	FLD("command", F_STR, struct plan_job, command),
	FLD("exclude", F_STRV, struct plan_job, exclude),
	VEC("repositories", F_REFV, struct plan_job, repos, nrepos,
	    .flags = FL_REQ | FL_NONEMPTY, .ref = REF_REPO),
	FLD("interval", F_DURATION, struct plan_job, interval),
	FLD("at", F_TIME, struct plan_job, at),
	FLDX("retention", F_MAP, struct plan_job, retention,
	     .aux = &retention_table),
	END,
};
static const struct ptable job_table = {
	job_fields, sizeof(struct plan_job), job_check
};

static const struct field drill_fields[] = {
	FLDX("name", F_NAME, struct plan_drill, name, .flags = FL_REQ | FL_KEY),
	FLDX("service", F_REF, struct plan_drill, service, .ref = REF_SERVICE),
	FLDX("job", F_REF, struct plan_drill, job, .ref = REF_JOB),
	FLDX("repository", F_REF, struct plan_drill, repo, .ref = REF_REPO),
	FLDX("every", F_DURATION, struct plan_drill, every, .def = 30 * DAY),
	FLDX("scope", F_ENUM, struct plan_drill, scope, .aux = scopes,
	     .expected = N_("whole or sample")),
	FLD("sample", F_PERCENT, struct plan_drill, sample),
	FLD("compare_source", F_BOOL, struct plan_drill, compare_source),
	END,
};
static const struct ptable drill_table = {
	drill_fields, sizeof(struct plan_drill), drill_check
};

static const struct field step_fields[] = {
	VEC("call", F_REFV, struct plan_call_step, call, ncall,
	    .flags = FL_REQ | FL_NONEMPTY, .ref = REF_PERSON),
	FLDX("escalate_after", F_DURATION, struct plan_call_step,
	     escalate_after, .def = 15 * 60),
	END,
};
static const struct ptable step_table = {
	step_fields, sizeof(struct plan_call_step), NULL
};

static const struct field template_fields[] = {
	FLDX("name", F_NAME, struct plan_template, name,
	     .flags = FL_REQ | FL_KEY),
	FLDX("audience", F_ENUM, struct plan_template, audience,
	     .flags = FL_REQ, .aux = audiences,
	     .expected = N_("staff, clients, provider, authority or public")),
	FLDX("language", F_ENUM, struct plan_template, lang, .aux = langs,
	     .expected = LANG_EXPECTED),
	FLD("subject", F_STR, struct plan_template, subject),
	FLD("text", F_STR, struct plan_template, text),
	FLD("file", F_STR, struct plan_template, file),
	END,
};
static const struct ptable template_table = {
	template_fields, sizeof(struct plan_template), template_check
};

static const struct field root_fields[] = {
	FLDX("version", F_INT, struct plan, version, .def = 1),
	FLDX("language", F_ENUM, struct plan, lang, .aux = langs,
	     .expected = LANG_EXPECTED),
	FLDX("company", F_MAP, struct plan, company, .flags = FL_REQ,
	     .aux = &company_table),
	FLDX("review", F_MAP, struct plan, review, .aux = &review_table),
	FLDX("exercise", F_MAP, struct plan, exercise, .aux = &exercise_table),
	VEC("people", F_LIST, struct plan, people, npeople,
	    .aux = &person_table),
	VEC("contacts", F_LIST, struct plan, contacts, ncontacts,
	    .aux = &contact_table),
	VEC("providers", F_LIST, struct plan, providers, nproviders,
	    .aux = &provider_table),
	VEC("hosts", F_LIST, struct plan, hosts, nhosts, .aux = &host_table),
	VEC("services", F_LIST, struct plan, services, nservices,
	    .aux = &service_table),
	VEC("repositories", F_LIST, struct plan, repos, nrepos,
	    .aux = &repo_table),
	VEC("jobs", F_LIST, struct plan, jobs, njobs, .aux = &job_table),
	VEC("drills", F_LIST, struct plan, drills, ndrills,
	    .aux = &drill_table),
	VEC("call_tree", F_LIST, struct plan, call_tree, ncall_tree,
	    .aux = &step_table),
	VEC("templates", F_LIST, struct plan, templates, ntemplates,
	    .aux = &template_table),
	END,
};

const struct ptable plan_root_table = { root_fields, 0, root_check };
