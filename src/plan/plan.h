/*
 * plan: the continuity plan (PRA, plan de reprise d'activité), a YAML file
 * that the IT referent writes and the director reads.
 *
 * plan_load reads the file (at most PLAN_MAX_FILE bytes) with libyaml's
 * document API, walks it against a schema table (plan_schema.c) into the
 * typed structs below, then resolves the names that entries use to point
 * at each other (a service's hosts, a job's repositories...).  It reports
 * EVERY error it finds, not only the first, each with the file, line and
 * column (1-based), what was found and what was expected; an unknown key
 * or an unknown name comes with the nearest known one ("did you mean").
 * A plan is handed out only when it has no error at all, so in a struct
 * plan every reference is resolved (never NULL when the key was given) and
 * every required key is present.  Nothing here prints or reads the clock:
 * freshness (review date, contract notice, drills) is for assess/.
 *
 *   struct plan_errors errs = PLAN_ERRORS_INIT;
 *   struct plan *p;
 *   if (plan_load(path, &p, &errs) == 0) { ... plan_free(p); }
 *   else for (i = 0; i < errs.n; i++) plan_error_message(&errs.v[i], ...);
 *   plan_errors_release(&errs);
 *
 * THE FILE.  Keys are English and lower-case; values may be French.  A key
 * marked * is required; every list may be empty or absent (assess/ then
 * reports what is missing: no drill, no call tree...).  NAME is a short
 * identifier (letters, digits, '-', '_', '.'; no spaces) that other entries
 * use to refer to this one; names are unique within their list.
 * DURATION is 90s, 15m, 4h, 3d, 2w or a sum such as 1h30m (no zero).
 * DATE is YYYY-MM-DD.  BOOL is true/false, yes/no or oui/non.
 *
 *   version: 1                      the schema version (only 1 exists)
 *   language: fr | en               language of the plan, its messages and
 *                                   documents (default fr)
 *   company:*
 *     name:* text   sector: text   staff: N   address: text
 *   review:                         the last review of this plan
 *     last: DATE   signed_by: PERSON   every: DURATION (default 365d)
 *   exercise:                       the last crisis exercise
 *     last: DATE   every: DURATION (default 365d)
 *   people:                         who has a part in the plan
 *     - id:* NAME   name:* text   roles: [ROLE...]   email: text
 *       phone: text
 *       ROLE: director, it_referent, it_deputy, dpo, communication,
 *             management
 *   contacts:                       outside numbers kept at hand (insurer,
 *     - name:* text                 lawyer, CNIL, main clients); referred
 *       organisation: text          to by nothing
 *       role: text  email: text  phone: text  notes: text
 *   providers:
 *     - name:* NAME   full_name: text   email: text   phone: text
 *       url: text
 *       contract:                   what the contract really guarantees
 *         reference: text   start: DATE   end: DATE
 *         renewal: automatic | manual   renewal_period: DURATION
 *         notice: DURATION          (notice deadline = end - notice)
 *         support_hours: business | extended | 24x7
 *         response_time: DURATION   restore_time: DURATION | none
 *         provisioning: DURATION    (time to deliver a replacement server)
 *         continuity_clause: BOOL   reversibility: BOOL  (of the data)
 *         penalties: text
 *   hosts:
 *     - name:* NAME   description: text   location: text
 *       address: text   provider: PROVIDER (who runs the machine)
 *       monitoring:
 *         hwmon: BOOL (temperatures, fans)   smart: BOOL (disks)
 *         probes: [URL...] (tcp://, http://, https://)
 *         alert: [PERSON...] (who is alerted)
 *         thresholds: (over the hardware's crit/max and the defaults)
 *           - match:* PATTERN (a sensor's id or label, a mount point)
 *             limit: INT (°C, fan RPM floor, percent full)
 *             lead: DURATION (how early to warn)   (limit or lead)
 *       standby: HOST (a machine ready to take over)
 *       ready_in: DURATION (as a standby: time to take over)
 *   services:
 *     - name:* NAME   description: text
 *       criticality:* critical | high | medium | low
 *       rto:* DURATION   rpo:* DURATION   mtpd: DURATION
 *       needs_24x7: BOOL   personal_data: BOOL
 *       hosts: [HOST...]   data_paths: [path...]   provider: PROVIDER
 *   repositories:
 *     - name:* NAME   url:* text   password_file: path
 *       medium:* disk | nas | usb | tape | s3 | cloud | server | optical
 *       offsite: BOOL   immutable: BOOL   offline: BOOL
 *       provider: PROVIDER   location: text
 *   jobs:
 *     - name:* NAME   host: HOST   services: [SERVICE...]
 *       sources: [path...]  or  command: text (a dump to standard
 *       output); exactly one of the two
 *       exclude: [pattern...]   repositories:* [REPOSITORY...]
 *       interval: DURATION (default: the tightest RPO of its services)
 *       at: HH:MM (local time of the first run of the day)
 *       retention: { last, hourly, daily, weekly, monthly, yearly: N,
 *                    within: DURATION }
 *   drills:                         restore tests
 *     - name:* NAME   service: SERVICE  or  job: JOB (exactly one)
 *       repository: REPOSITORY (default: each repository of the job(s))
 *       every: DURATION (default 30d)   scope: whole | sample
 *       sample: PERCENT (scope sample; default 10%)
 *       compare_source: BOOL (also compare with the live files)
 *   call_tree:                      called in order; the next step is
 *     - call:* [PERSON...]          called when nobody acknowledges
 *       escalate_after: DURATION (default 15m)
 *   templates:                      prepared crisis messages
 *     - name:* NAME   audience:* staff | clients | provider | authority |
 *       public   language: fr | en (default: the plan's)
 *       subject: text   text: text  or  file: path (exactly one)
 *
 * One YAML document per file; anchors and aliases (&x, *x) may be used.
 * Positions are 1-based; columns count characters, not bytes.
 *
 * CHECKED HERE (plan errors, exit 2): syntax, types, unknown keys and
 * values, missing required keys, bad durations, dates and names, duplicate
 * names, unknown references, "exactly one of", a host that is its own
 * standby, a drill on a repository its job does not write to, a contract
 * that ends before it starts, and RTO or RPO above the MTPD
 * (PLAN-INCONSISTENT).  LEFT TO assess/ (findings): everything that
 * depends on time or measurements, and what is absent (no referent, a
 * job interval above an RPO, no drill, no monitoring, a contract without
 * restore time, fewer than 3-2-1-1-0 copies, template files that do not
 * exist).
 */
#ifndef RP_PLAN_H
#define RP_PLAN_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

#define PLAN_DEFAULT_PATH "/etc/reprise/plan.yaml"
#define PLAN_MAX_FILE ((size_t)1 << 20)  /* bytes */
#define PLAN_MAX_ITEMS 1000              /* entries in any one list */
#define PLAN_MAX_ERRORS 100              /* kept; more are counted */

/* Durations (int64_t seconds) and dates (int64_t, UTC midnight, seconds
 * since 1970) that the file does not give are PLAN_UNSET; a contract's
 * restore_time written "none" is PLAN_NONE.  Neither is ever a real value
 * (durations are > 0, dates are multiples of 86400). */
#define PLAN_UNSET (-1)
#define PLAN_NONE (-2)
/* Tri-state booleans: 1 yes, 0 no, PLAN_UNSET not stated. */

/* plan_job_interval's answer for a job with no interval and no RPO. */
#define PLAN_DEFAULT_INTERVAL ((int64_t)86400)

enum plan_lang { PLAN_LANG_UNSET, PLAN_LANG_FR, PLAN_LANG_EN };

/* Ordered: a higher value is more critical. */
enum plan_criticality {
	PLAN_CRIT_UNSET,
	PLAN_CRIT_LOW,
	PLAN_CRIT_MEDIUM,
	PLAN_CRIT_HIGH,
	PLAN_CRIT_CRITICAL,
};

enum plan_role {
	PLAN_ROLE_DIRECTOR = 1 << 0,
	PLAN_ROLE_IT_REFERENT = 1 << 1,
	PLAN_ROLE_IT_DEPUTY = 1 << 2,
	PLAN_ROLE_DPO = 1 << 3,
	PLAN_ROLE_COMMUNICATION = 1 << 4,
	PLAN_ROLE_MANAGEMENT = 1 << 5,
};

/* The kind of storage a repository lives on, to count media (3-2-1). */
enum plan_medium {
	PLAN_MEDIUM_UNSET,
	PLAN_MEDIUM_DISK,     /* a disk inside the machine */
	PLAN_MEDIUM_NAS,
	PLAN_MEDIUM_USB,      /* removable disk */
	PLAN_MEDIUM_TAPE,
	PLAN_MEDIUM_S3,       /* object storage */
	PLAN_MEDIUM_CLOUD,    /* other online storage */
	PLAN_MEDIUM_SERVER,   /* another server (sftp, rest) */
	PLAN_MEDIUM_OPTICAL,
};

enum plan_renewal { PLAN_RENEWAL_UNSET, PLAN_RENEWAL_AUTOMATIC,
		    PLAN_RENEWAL_MANUAL };

enum plan_hours { PLAN_HOURS_UNSET, PLAN_HOURS_BUSINESS,
		  PLAN_HOURS_EXTENDED, PLAN_HOURS_24X7 };

enum plan_scope { PLAN_SCOPE_WHOLE, PLAN_SCOPE_SAMPLE };

enum plan_audience {
	PLAN_AUDIENCE_UNSET,
	PLAN_AUDIENCE_STAFF,
	PLAN_AUDIENCE_CLIENTS,
	PLAN_AUDIENCE_PROVIDER,
	PLAN_AUDIENCE_AUTHORITY,  /* CNIL, ANSSI */
	PLAN_AUDIENCE_PUBLIC,
};

/* Where an entry starts in the file (1-based), for findings. */
struct plan_pos {
	int line, col;
};

struct plan_strv {
	char **v;
	size_t n;
};

struct plan_company {
	char *name, *sector, *address;
	int staff;                  /* 0 when not given */
};

struct plan_review {
	int64_t last;               /* date or PLAN_UNSET */
	struct plan_person *signed_by;
	int64_t every;              /* default 365d */
};

struct plan_exercise {
	int64_t last, every;        /* every: default 365d */
};

struct plan_person {
	struct plan_pos pos;
	char *id, *name, *email, *phone;
	unsigned roles;             /* enum plan_role bits */
};

struct plan_contact {
	struct plan_pos pos;
	char *name, *organisation, *role, *email, *phone, *notes;
};

struct plan_contract {
	int present;                /* the provider has a contract: key */
	char *reference, *penalties;
	int64_t start, end;         /* dates */
	enum plan_renewal renewal;
	int64_t renewal_period, notice;
	enum plan_hours support_hours;
	int64_t response_time;
	int64_t restore_time;       /* or PLAN_NONE: guarantees none */
	int64_t provisioning;       /* delivery of a replacement server */
	int continuity_clause;      /* tri-state */
	int reversibility;          /* tri-state */
};

struct plan_provider {
	struct plan_pos pos;
	char *name, *full_name, *email, *phone, *url;
	struct plan_contract contract;
};

/* A limit over the hardware's default (see monitor/forecast.h). */
struct plan_threshold {
	struct plan_pos pos;
	char *match;     /* fnmatch(3) pattern: a sensor's id or label
			  * ("hwmon1/temp1", "Package id 0"), a mount point */
	int limit;       /* °C, fan RPM (a floor) or percent full; unset: keep */
	int64_t lead;    /* seconds of warning before it; unset: keep */
};

struct plan_monitoring {
	int hwmon, smart;           /* 1 or 0 (default) */
	struct plan_strv probes;
	struct plan_person **alert; /* who is alerted */
	size_t nalert;
	struct plan_threshold *thresholds;
	size_t nthresholds;
};

struct plan_host {
	struct plan_pos pos;
	char *name, *description, *location, *address;
	struct plan_provider *provider;   /* NULL: none named */
	struct plan_monitoring monitoring;
	struct plan_host *standby;        /* NULL: none */
	int64_t ready_in;
};

struct plan_service {
	struct plan_pos pos;
	char *name, *description;
	enum plan_criticality criticality;
	int64_t rto, rpo, mtpd;     /* mtpd may be PLAN_UNSET */
	int needs_24x7;             /* 1 or 0 (default) */
	int personal_data;          /* tri-state */
	struct plan_host **hosts;
	size_t nhosts;
	struct plan_strv data_paths;
	struct plan_provider *provider;   /* NULL: none named */
};

struct plan_repository {
	struct plan_pos pos;
	char *name, *url, *password_file, *location;
	enum plan_medium medium;
	int offsite, immutable, offline;  /* 1 or 0 (default) */
	struct plan_provider *provider;   /* NULL: none named */
};

/* Retention as restic's forget --keep-*: 0 = rule not used. */
struct plan_retention {
	int last, hourly, daily, weekly, monthly, yearly;
	int64_t within;
};

struct plan_job {
	struct plan_pos pos;
	char *name;
	struct plan_host *host;           /* NULL: none named */
	struct plan_service **services;
	size_t nservices;
	struct plan_strv sources;         /* empty when command is set */
	char *command;                    /* NULL when sources are set */
	struct plan_strv exclude;
	struct plan_repository **repos;   /* at least one */
	size_t nrepos;
	int64_t interval;                 /* or PLAN_UNSET: plan_job_interval */
	int at;                           /* minutes after midnight, or -1 */
	struct plan_retention retention;
};

struct plan_drill {
	struct plan_pos pos;
	char *name;
	struct plan_service *service;     /* exactly one of service, job */
	struct plan_job *job;
	struct plan_repository *repo;     /* NULL: every repository */
	int64_t every;                    /* default 30d */
	enum plan_scope scope;
	int sample;                       /* percent, 1..100 */
	int compare_source;
};

struct plan_call_step {
	struct plan_pos pos;
	struct plan_person **call;        /* at least one */
	size_t ncall;
	int64_t escalate_after;           /* default 15m */
};

struct plan_template {
	struct plan_pos pos;
	char *name, *subject;
	enum plan_audience audience;
	enum plan_lang lang;              /* the plan's when not given */
	char *text, *file;                /* exactly one is non-NULL */
};

/* A loaded plan owns every string and array in it; the pointers between
 * entries point into its own arrays. */
struct plan {
	char *file;                       /* the path it was loaded from */
	int version;
	enum plan_lang lang;              /* never UNSET after loading */
	struct plan_company company;
	struct plan_review review;
	struct plan_exercise exercise;
	struct plan_person *people;
	size_t npeople;
	struct plan_contact *contacts;
	size_t ncontacts;
	struct plan_provider *providers;
	size_t nproviders;
	struct plan_host *hosts;
	size_t nhosts;
	struct plan_service *services;
	size_t nservices;
	struct plan_repository *repos;
	size_t nrepos;
	struct plan_job *jobs;
	size_t njobs;
	struct plan_drill *drills;
	size_t ndrills;
	struct plan_call_step *call_tree;
	size_t ncall_tree;
	struct plan_template *templates;
	size_t ntemplates;
};

/*
 * One error in a plan file.  The message reads
 *     WHAT ['SUBJECT'][: found FOUND][, expected EXPECTED]
 *         [ (did you mean 'HINT'?)][: DETAIL]
 * what, found_kind and expected are static English phrases marked for
 * translation (N_), so that cli/ can pass them through gettext; subject,
 * found, hint and detail are text taken from the file (or libyaml's
 * message) and are not translated.  NULL fields are left out.
 */
struct plan_error {
	char *file;                 /* owned */
	int line, col;              /* 1-based; 0 when about the whole file */
	const char *what;           /* static: "unknown key" */
	char *subject;              /* owned: the key or name concerned */
	char *found;                /* owned: a value as written in the file */
	const char *found_kind;     /* static: "a list" (when found is NULL) */
	const char *expected;       /* static: "a duration such as 4h" */
	char *hint;                 /* owned: the nearest known key or name */
	char *detail;               /* owned: libyaml's own message */
	unsigned seq;               /* order of discovery (sort tie-break) */
};

struct plan_errors {
	struct plan_error *v;       /* sorted by line, then column */
	size_t n, cap;
	size_t dropped;             /* errors past PLAN_MAX_ERRORS */
};

#define PLAN_ERRORS_INIT { NULL, 0, 0, 0 }

void plan_errors_init(struct plan_errors *errs);
/* plan_errors_release: frees every error; errs is empty after. */
void plan_errors_release(struct plan_errors *errs);

/*
 * plan_load: reads and checks the plan at path.  On success *out is a new
 * plan (free with plan_free) and errs is untouched.  Otherwise *out is
 * NULL and:
 *   RP_EFORMAT    the plan has errors: appended to errs (at least one;
 *                 errs may be NULL to only learn that), including a file
 *                 over PLAN_MAX_FILE bytes (line 0)
 *   RP_ENOTFOUND  no such file
 *   RP_EIO        the file could not be read (errno kept)
 * plan_load_mem: the same on text[0..len) (need not be NUL-terminated),
 * with name used as the file name in errors and in plan->file.
 */
int plan_load(const char *path, struct plan **out, struct plan_errors *errs);
int plan_load_mem(const char *name, const char *text, size_t len,
		  struct plan **out, struct plan_errors *errs);
/* plan_free: frees p and all it owns; plan_free(NULL) does nothing. */
void plan_free(struct plan *p);

/* plan_error_message: appends the message of e (without the "FILE:L:C: "
 * prefix) to out.  tr translates the static phrases and the connecting
 * words (cli/ passes gettext; NULL keeps English).  0 or RP_ENOMEM (out's
 * cap). */
int plan_error_message(const struct plan_error *e,
		       const char *(*tr)(const char *), struct buf *out);

/* Lookups by name: the entry (owned by p) or NULL. */
const struct plan_service *plan_find_service(const struct plan *p,
					     const char *name);
const struct plan_host *plan_find_host(const struct plan *p,
				       const char *name);
const struct plan_provider *plan_find_provider(const struct plan *p,
					       const char *name);
const struct plan_repository *plan_find_repo(const struct plan *p,
					     const char *name);
const struct plan_job *plan_find_job(const struct plan *p, const char *name);
const struct plan_person *plan_find_person(const struct plan *p,
					   const char *id);

/* plan_job_interval: the job's interval if given, else the tightest RPO
 * among the services it covers, else PLAN_DEFAULT_INTERVAL.  Seconds,
 * always > 0. */
int64_t plan_job_interval(const struct plan *p, const struct plan_job *job);
/* plan_job_covers: 1 when job backs up service s, else 0. */
int plan_job_covers(const struct plan_job *job, const struct plan_service *s);
/* plan_contract_notice_date: the last day to give notice (end - notice),
 * or PLAN_UNSET when the contract has no end or no notice period. */
int64_t plan_contract_notice_date(const struct plan_contract *c);
/* plan_count_role: how many people have role (an enum plan_role bit). */
size_t plan_count_role(const struct plan *p, unsigned role);

/*
 * Durations: one or more NUMBER UNIT pairs, units s, m, h, d (24h), w (7
 * days), e.g. 90s, 15m, 4h, 3d, 2w, 1h30m, 1d12h; no spaces, no sign, no
 * fraction, each unit once at most.  duration_parse: 0 and *secs set, or
 * RP_EFORMAT (not a duration, or above 100 years).  "0s" gives 0.
 * duration_format: the shortest form with the largest units ("1d12h",
 * "45m", "0s") into out (n >= DURATION_FMT_MAX); returns out.  A negative
 * value is written "-".
 */
#define DURATION_FMT_MAX 32
int duration_parse(const char *s, int64_t *secs);
const char *duration_format(int64_t secs, char *out, size_t n);

/* plan_date_parse: "YYYY-MM-DD" (a real calendar day, years 1970-9999)
 * into seconds at UTC midnight.  0 or RP_EFORMAT.  plan_date_format:
 * the reverse into out (n >= 11); returns out. */
int plan_date_parse(const char *s, int64_t *t);
const char *plan_date_format(int64_t t, char *out, size_t n);

#endif
