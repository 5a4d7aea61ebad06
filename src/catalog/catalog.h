/*
 * catalog: what reprise measured, in one SQLite file under the state
 * directory (DESIGN.md "catalog/"; STYLE.md item 17).
 *
 * This module is the only code in reprise that speaks SQL.  It records
 * backup runs, the snapshots a repository holds, restore drills, plan
 * checks and their findings (schema version 1), and for the daemon metric
 * samples, alerts and their transitions, notifications and dead-man's-switch
 * pings (version 2).  `reprise check` reads it; the dashboard and the
 * report read it.  The schema, commented, is in catalog_schema.c.
 *
 * Opening.  catalog_open() accepts a new or empty file (it becomes a
 * catalog), a reprise catalog of this or an older schema (migrated in one
 * transaction), or ":memory:" (tests).  A file that is some other SQLite
 * database (another PRAGMA application_id, or tables without ours), not a
 * database at all, or a catalog written by a newer reprise (user_version
 * above CATALOG_VERSION) is refused with RP_EFORMAT and left byte for byte
 * as it was (SQLite may still create the -wal and -shm files beside a
 * foreign database that is in WAL mode).  Migrations are the numbered SQL
 * scripts of catalog_schema.c, run in order in one transaction; nothing else
 * changes a schema.  The connection runs in WAL mode with synchronous=NORMAL (a
 * power cut may lose the last commits, never the file), foreign keys on, and
 * a busy timeout (CATALOG_BUSY_MS) so that the CLI and the daemon can share
 * the file: a writer waits that long for another, then gets RP_ELOCKED.
 *
 * What can be rebuilt.  The snapshot table mirrors what repositories list;
 * catalog_snapshots_replace() rewrites one repository's rows from the
 * repository itself (`reprise catalog rebuild`).  Runs, drills, checks,
 * samples, alerts, notifications and pings are measurements: they exist only
 * here.
 *
 * Time.  Every time is passed in by the caller as unix seconds (UTC) in an
 * int64_t, with an optional nanosecond part for runs and snapshots; nothing
 * in this module reads the clock, so tests control time.  A time of 0 means
 * "not known" (stored as NULL) where the field says so.
 *
 * Text and ownership.  Every text field of these structs is a const char *.
 * On input (add, begin, finish) the catalog borrows the strings for the
 * duration of the call and never keeps or frees them; NULL means "not
 * recorded" for optional fields and is RP_EINVAL for required ones.  On
 * output (get, list, newest) every non-NULL text field is a new string owned
 * by the struct, and NULL means the column is NULL; the struct's
 * catalog_X_release() frees them, catalog_X_list_free() frees an array of
 * them and the array.  Output structs need no initialisation; release
 * leaves them zeroed.
 *
 * Errors.  Every function returns 0 or a negative rp_err: RP_EINVAL (a
 * required field missing, a value out of range, a constraint of the schema),
 * RP_ENOTFOUND (no such row), RP_EEXIST (a unique row already there),
 * RP_ELOCKED (another connection kept the write lock past the busy
 * timeout), RP_EFORMAT (see above), RP_EINTERNAL (transaction misuse),
 * RP_ENOMEM (text over CATALOG_TEXT_MAX), RP_ENOSPC (disk full),
 * RP_ECORRUPT (SQLite found the file damaged), or RP_EIO for any other
 * SQLite failure.  SQLite failures are logged once with log_error and
 * sqlite3_errmsg(); bound values are never logged.
 *
 * Transactions.  Every function is atomic on its own.  To group several
 * (a run's finish with its snapshot, a batch of samples), bracket them:
 *
 *   if ((rc = catalog_begin(cat)) < 0) return rc;
 *   rc = catalog_sample_add(cat, ...); ...
 *   rc = rc < 0 ? (catalog_rollback(cat), rc) : catalog_commit(cat);
 *
 * catalog_begin takes the write lock at once (BEGIN IMMEDIATE), so a batch
 * never fails half-way on a lock.  Transactions do not nest: a second
 * catalog_begin is RP_EINTERNAL, and its message names the file and line
 * of the first.  A catalog closed with a transaction open rolls it back
 * and says where it began.
 *
 *   catalog_open(path, &cat) -> catalog_run_begin(...) -> ...
 *   catalog_run_finish(...) -> catalog_close(cat)
 *
 * A struct catalog is one SQLite connection: use it from one thread at a
 * time.  Several processes (or handles) may open the same file.
 */
#ifndef RP_CATALOG_H
#define RP_CATALOG_H

#include <stddef.h>
#include <stdint.h>

/* The schema version this code writes (PRAGMA user_version). */
#define CATALOG_VERSION 2
/* PRAGMA application_id of a reprise catalog: "RPRS". */
#define CATALOG_APP_ID 0x52505253
/* Default busy timeout, milliseconds. */
#define CATALOG_BUSY_MS 5000
/* The most rows a list returns (limit 0 means this). */
#define CATALOG_LIST_MAX 100000
/* The longest text accepted for any field, bytes. */
#define CATALOG_TEXT_MAX ((size_t)16 << 20)

struct catalog;

/* catalog_open: opens (creating if need be) the catalog at path, or an
 * in-memory one for ":memory:", and migrates it to CATALOG_VERSION.  The
 * parent directory must exist.  *out is a new handle owned by the caller
 * (catalog_close), NULL on error.  0, RP_EFORMAT (not a reprise catalog, or
 * a newer one: the file is left unchanged), RP_ELOCKED (another process held
 * the write lock during the migration), RP_EIO. */
int catalog_open(const char *path, struct catalog **out);
/* catalog_close: rolls back an open transaction (with a warning naming
 * where it began), finalizes every statement and closes.  NULL is a
 * no-op. */
void catalog_close(struct catalog *cat);
/* catalog_set_busy_timeout: how long a writer waits for another, ms. */
void catalog_set_busy_timeout(struct catalog *cat, int ms);
/* catalog_version: the schema version of the open file (user_version). */
int catalog_version(struct catalog *cat, int *version);

/* Transactions: see the top comment.  catalog_begin: 0, RP_ELOCKED,
 * RP_EINTERNAL (one is already open), RP_EIO.  catalog_commit: 0,
 * RP_EINTERNAL (none open), RP_ELOCKED, RP_EIO; whatever it returns, no
 * transaction is open afterwards (a failed commit is rolled back).
 * catalog_rollback: 0 (also when none is open, so error paths can call it
 * unconditionally) or RP_EIO. */
#define catalog_begin(cat) catalog_begin_at((cat), __FILE__, __LINE__)
#define catalog_commit(cat) catalog_commit_at((cat), __FILE__, __LINE__)
#define catalog_rollback(cat) catalog_rollback_at((cat), __FILE__, __LINE__)
int catalog_begin_at(struct catalog *cat, const char *file, int line);
int catalog_commit_at(struct catalog *cat, const char *file, int line);
int catalog_rollback_at(struct catalog *cat, const char *file, int line);

/* ---- Backup runs ------------------------------------------------------ */

enum catalog_run_result {
	CATALOG_RUN_RUNNING = 0, /* begun, not finished (or the process died) */
	CATALOG_RUN_OK,          /* a snapshot with every file */
	CATALOG_RUN_PARTIAL,     /* a snapshot, some files skipped */
	CATALOG_RUN_FAILED,      /* no snapshot */
};

struct catalog_run {
	int64_t id;             /* output only */
	const char *job;        /* required: the plan's job name */
	const char *repo;       /* required: repository location, as in the
				 * plan, never with credentials */
	const char *host;       /* the machine that ran it; NULL: "" */
	int64_t started;        /* required, unix seconds */
	int32_t started_ns;     /* 0..999999999 */
	int64_t finished;       /* 0 while running */
	int32_t finished_ns;
	enum catalog_run_result result;
	int64_t files;          /* files processed */
	int64_t bytes;          /* bytes read from the sources */
	int64_t bytes_added;    /* bytes added to the repository */
	int64_t errors;         /* items skipped */
	const char *snapshot;   /* hex ID of the snapshot written, or NULL */
	const char *error;      /* what went wrong, one line, or NULL */
};

/* A filter for lists and "newest" queries; zero-initialise, then set what
 * matters.  results is a set of bits (1u << CATALOG_RUN_x), 0 for any;
 * since and until bound the start time to [since, until), 0 for no bound. */
struct catalog_run_filter {
	const char *job, *repo, *host;  /* NULL: any */
	unsigned results;
	int64_t since, until;
};

/* catalog_run_begin: records a run that starts: job, repo, host, started,
 * started_ns are read, the rest is ignored; the run is RUNNING.  *id gets
 * its row ID.  0, RP_EINVAL, RP_EIO. */
int catalog_run_begin(struct catalog *cat, const struct catalog_run *r,
		      int64_t *id);
/* catalog_run_finish: records the end of run id from r's finished,
 * finished_ns, result (not RUNNING), files, bytes, bytes_added, errors,
 * snapshot and error; the other fields are ignored.  0, RP_ENOTFOUND,
 * RP_EINVAL (bad result, or the run is already finished), RP_EIO. */
int catalog_run_finish(struct catalog *cat, int64_t id,
		       const struct catalog_run *r);
/* catalog_runs_abandon: marks every RUNNING run that started before
 * `before` as FAILED, finished at `now` with `error` (a process that died
 * leaves such rows; the daemon calls this when it starts).  *n (may be
 * NULL) gets how many.  0, RP_EIO. */
int catalog_runs_abandon(struct catalog *cat, int64_t before, int64_t now,
			 const char *error, int64_t *n);
/* catalog_run_get: run id into *out.  0, RP_ENOTFOUND, RP_EIO. */
int catalog_run_get(struct catalog *cat, int64_t id, struct catalog_run *out);
/* catalog_run_list: the runs matching f (NULL: all), newest start first,
 * at most limit (0: CATALOG_LIST_MAX).  *out is a new array of *n runs
 * (NULL when none).  0, RP_EIO. */
int catalog_run_list(struct catalog *cat, const struct catalog_run_filter *f,
		     size_t limit, struct catalog_run **out, size_t *n);
/* catalog_run_newest: the newest run matching f.  The newest successful
 * run of a job in a repository is
 *   f = { .job = j, .repo = r, .results = 1u << CATALOG_RUN_OK }.
 * 0, RP_ENOTFOUND, RP_EIO. */
int catalog_run_newest(struct catalog *cat, const struct catalog_run_filter *f,
		       struct catalog_run *out);
void catalog_run_release(struct catalog_run *r);
void catalog_run_list_free(struct catalog_run *v, size_t n);

/* ---- Snapshots (rebuildable from the repositories) -------------------- */

struct catalog_snapshot {
	const char *repo;       /* required: the repository location */
	const char *id;         /* required: 64 lower-case hex */
	int64_t time;           /* required: the snapshot's own time */
	int32_t time_ns;
	const char *host;       /* NULL: "" */
	const char *job;        /* the job that wrote it, NULL if unknown */
};

/* catalog_snapshot_add: records (or updates) one snapshot of a repository.
 * 0, RP_EINVAL, RP_EIO. */
int catalog_snapshot_add(struct catalog *cat, const struct catalog_snapshot *s);
/* catalog_snapshot_remove: forgets one (after `forget`).  0, RP_ENOTFOUND,
 * RP_EIO. */
int catalog_snapshot_remove(struct catalog *cat, const char *repo,
			    const char *id);
/* catalog_snapshots_replace: the rebuild: repo's rows become exactly
 * v[0..n) (whose repo fields must all be repo), in one transaction.
 * 0, RP_EINVAL, RP_EIO. */
int catalog_snapshots_replace(struct catalog *cat, const char *repo,
			      const struct catalog_snapshot *v, size_t n);
/* catalog_snapshot_list: repo's snapshots, newest first, at most limit
 * (0: CATALOG_LIST_MAX).  0, RP_EIO. */
int catalog_snapshot_list(struct catalog *cat, const char *repo, size_t limit,
			  struct catalog_snapshot **out, size_t *n);
/* catalog_newest_snapshot_time: the time (seconds) of the newest snapshot
 * in repo, written by job and on host (each NULL: any): what RPO-MEASURED
 * compares with the RPO.  0, RP_ENOTFOUND, RP_EIO. */
int catalog_newest_snapshot_time(struct catalog *cat, const char *repo,
				 const char *job, const char *host,
				 int64_t *time);
void catalog_snapshot_release(struct catalog_snapshot *s);
void catalog_snapshot_list_free(struct catalog_snapshot *v, size_t n);

/* ---- Restore drills --------------------------------------------------- */

enum catalog_drill_result {
	CATALOG_DRILL_ANY = 0,  /* in filters only */
	CATALOG_DRILL_PASS,
	CATALOG_DRILL_FAIL,
};

struct catalog_drill {
	int64_t id;                  /* output only */
	const char *service;         /* required: the service (or job) proved */
	const char *repo;            /* required */
	const char *snapshot;        /* required: hex ID restored */
	const char *host;            /* where it ran; NULL: "" */
	int64_t started, finished;   /* required */
	int64_t files, bytes;        /* restored and verified */
	double duration;             /* seconds spent restoring */
	double throughput;           /* bytes per second */
	double sampled_pct;          /* % of the snapshot restored, 0..100 */
	enum catalog_drill_result result;  /* PASS or FAIL */
	const char *reason;          /* why it failed (or a remark), or NULL */
	const char *evidence_sha256; /* 64 hex: SHA-256 of the evidence, or
				      * NULL; the caller computes it */
	const char *evidence;        /* the evidence document (JSON), or NULL;
				      * left NULL by catalog_drill_list */
};

/* since/until bound the start time to [since, until), 0 for no bound. */
struct catalog_drill_filter {
	const char *service, *repo;  /* NULL: any */
	enum catalog_drill_result result;
	int64_t since, until;
};

/* catalog_drill_add: records a finished drill; *id gets its row ID.
 * 0, RP_EINVAL (missing field, result, sampled_pct outside 0..100,
 * evidence_sha256 not 64 hex, evidence not JSON), RP_EIO. */
int catalog_drill_add(struct catalog *cat, const struct catalog_drill *d,
		      int64_t *id);
/* catalog_drill_get: with the evidence.  0, RP_ENOTFOUND, RP_EIO. */
int catalog_drill_get(struct catalog *cat, int64_t id,
		      struct catalog_drill *out);
/* catalog_drill_list: matching f (NULL: all), newest start first, at most
 * limit (0: CATALOG_LIST_MAX), without the evidence document.  0, RP_EIO. */
int catalog_drill_list(struct catalog *cat,
		       const struct catalog_drill_filter *f, size_t limit,
		       struct catalog_drill **out, size_t *n);
/* catalog_drill_newest: the newest drill matching f, with its evidence.
 * The newest passing drill of a service is
 *   f = { .service = s, .result = CATALOG_DRILL_PASS },
 * the newest drill of any result f = { .service = s }.
 * 0, RP_ENOTFOUND, RP_EIO. */
int catalog_drill_newest(struct catalog *cat,
			 const struct catalog_drill_filter *f,
			 struct catalog_drill *out);
void catalog_drill_release(struct catalog_drill *d);
void catalog_drill_list_free(struct catalog_drill *v, size_t n);

/* ---- Plan checks and their findings ----------------------------------- */

enum catalog_severity {
	CATALOG_SEV_INFO = 0,
	CATALOG_SEV_WARNING,
	CATALOG_SEV_CRITICAL,
};

struct catalog_finding {
	const char *code;       /* required: the finding's ID, "RPO-MEASURED" */
	enum catalog_severity severity;
	const char *subject;    /* required: service, host, provider, plan */
	const char *message;    /* required: the plain sentence */
	const char *fix;        /* what to do, or NULL */
};

struct catalog_check {
	int64_t id, at;
	struct catalog_finding *findings;  /* n, in the order given */
	size_t n;
	size_t count[3];        /* findings per enum catalog_severity */
};

/* catalog_check_add: records a check made at `at` with findings f[0..n)
 * (n may be 0: a clean check), in one transaction.  0, RP_EINVAL, RP_EIO.*/
int catalog_check_add(struct catalog *cat, int64_t at,
		      const struct catalog_finding *f, size_t n, int64_t *id);
/* catalog_check_get / catalog_check_latest (greatest `at`, then greatest
 * ID): *out gets the check and its findings.  0, RP_ENOTFOUND, RP_EIO. */
int catalog_check_get(struct catalog *cat, int64_t id,
		      struct catalog_check *out);
int catalog_check_latest(struct catalog *cat, struct catalog_check *out);
void catalog_check_release(struct catalog_check *c);

/* ---- Metric samples --------------------------------------------------- *
 *
 * A series is (metric, labels).  labels is an opaque string compared
 * byte for byte, so the caller writes it canonically (sorted, e.g.
 * `chip="coretemp",sensor="Core 0"`); "" for none.  Raw samples are
 * written one by one (bracket a batch in catalog_begin/catalog_commit:
 * thousands per transaction cost about as much as one), then
 * catalog_downsample folds old ones into buckets that keep the mean, the
 * minimum, the maximum and the count, so a temperature spike survives the
 * averaging.  One handle should write samples (the daemon): each handle
 * caches series IDs.
 */

struct catalog_sample {
	int64_t t;       /* raw: when measured; bucket: its start */
	int64_t step;    /* 0: raw; else the bucket width in seconds */
	double value;    /* raw: the value; bucket: the mean */
	double lo, hi;   /* the extremes (both = value when raw) */
	int64_t n;       /* raw samples behind it */
};

/* A retention policy: tier[0] is raw (step 0) and kept for tier[0].keep
 * seconds; older data of tier i-1 is folded into buckets of tier[i].step
 * (a multiple of the previous step) kept until tier[i].keep; the last tier
 * is deleted after its keep. */
#define CATALOG_TIERS_MAX 6
struct catalog_tier {
	int64_t step, keep;
};
struct catalog_retention {
	size_t n;
	struct catalog_tier tier[CATALOG_TIERS_MAX];
};
/* Raw for 2 days, 5-minute buckets for 30 days, hourly for a year. */
#define CATALOG_RETENTION_DEFAULT                                     \
	{ 3, { { 0, 2 * 86400 }, { 300, 30 * 86400 },                  \
	       { 3600, 365 * 86400 } } }

/* catalog_sample_add: one raw sample of (metric, labels) at t >= 0; a
 * second sample at the same t replaces the first.  0, RP_EINVAL (no
 * metric, t < 0, value NaN), RP_EIO. */
int catalog_sample_add(struct catalog *cat, const char *metric,
		       const char *labels, int64_t t, double value);
/* catalog_samples_range: every row of (metric, labels) with from <= t <
 * to, across tiers, ordered by t then step, at most CATALOG_LIST_MAX
 * (the oldest).  *out is a new array (free()) of *n samples, NULL when
 * none (also for an unknown series).  0, RP_EIO. */
int catalog_samples_range(struct catalog *cat, const char *metric,
			  const char *labels, int64_t from, int64_t to,
			  struct catalog_sample **out, size_t *n);
/* catalog_downsample: applies policy p as of `now`, in one transaction.
 * 0, RP_EINVAL (a policy that breaks the rules above), RP_EIO. */
int catalog_downsample(struct catalog *cat, int64_t now,
		       const struct catalog_retention *p);
/* catalog_sample_count: how many rows tier `step` holds (step < 0: all).
 * 0, RP_EIO. */
int catalog_sample_count(struct catalog *cat, int64_t step, int64_t *n);

/* ---- Alerts ----------------------------------------------------------- *
 *
 * An alert is one episode of a rule being out of bounds on a subject: it
 * opens PENDING (or straight FIRING), may fire, and ends RESOLVED.  At
 * most one alert per (rule, subject) is open (not RESOLVED); the next
 * episode is a new alert.  Every change is also written as an event, so
 * the timeline of an alert can be replayed.
 */

enum catalog_alert_state {
	CATALOG_ALERT_PENDING = 1,
	CATALOG_ALERT_FIRING,
	CATALOG_ALERT_RESOLVED,
};

/* Event kinds: the first three are the states entered. */
enum catalog_alert_event_kind {
	CATALOG_AEV_PENDING = 1,
	CATALOG_AEV_FIRING,
	CATALOG_AEV_RESOLVED,
	CATALOG_AEV_ACK,
	CATALOG_AEV_ESCALATE,
};

struct catalog_alert {
	int64_t id;              /* output only */
	const char *rule;        /* required: the plan's rule ID */
	const char *subject;     /* required: what it fired on */
	const char *message;     /* the latest summary, or NULL */
	enum catalog_alert_state state;
	int64_t started;         /* required: when it opened */
	int64_t since;           /* when it entered its state */
	int64_t last_notified;   /* 0: never */
	int level;               /* escalation level, 0 = first contacts */
	const char *acked_by;    /* NULL: not acknowledged */
	int64_t acked_at;
};

struct catalog_alert_event {
	int64_t id, alert, t;
	enum catalog_alert_event_kind kind;
	int level;               /* ESCALATE: the new level */
	const char *actor;       /* ACK: who; else NULL */
	const char *note;        /* or NULL */
};

/* catalog_alert_open: opens an alert from a's rule, subject, message,
 * state (PENDING or FIRING) and started (also its `since`), with its first
 * event.  *id gets its row ID.  0, RP_EINVAL, RP_EEXIST (an alert for
 * (rule, subject) is open), RP_EIO. */
int catalog_alert_open(struct catalog *cat, const struct catalog_alert *a,
		       int64_t *id);
/* catalog_alert_set_state: PENDING -> FIRING, PENDING -> RESOLVED or
 * FIRING -> RESOLVED at t; message (NULL: kept) replaces the summary; an
 * event records it.  0, RP_ENOTFOUND, RP_EINVAL (another transition,
 * t <= 0), RP_EIO. */
int catalog_alert_set_state(struct catalog *cat, int64_t id,
			    enum catalog_alert_state state, int64_t t,
			    const char *message);
/* catalog_alert_ack: `by` acknowledges alert id at t (a later ack
 * replaces the name); note may be NULL.  0, RP_ENOTFOUND, RP_EINVAL
 * (no `by`), RP_EIO. */
int catalog_alert_ack(struct catalog *cat, int64_t id, const char *by,
		      int64_t t, const char *note);
/* catalog_alert_escalate: the alert reaches escalation level `level` at
 * t.  0, RP_ENOTFOUND, RP_EINVAL (level not above the current one, or the
 * alert is resolved), RP_EIO. */
int catalog_alert_escalate(struct catalog *cat, int64_t id, int level,
			   int64_t t);
/* catalog_alert_get / catalog_alert_find (the open alert of (rule,
 * subject)): 0, RP_ENOTFOUND, RP_EIO. */
int catalog_alert_get(struct catalog *cat, int64_t id,
		      struct catalog_alert *out);
int catalog_alert_find(struct catalog *cat, const char *rule,
		       const char *subject, struct catalog_alert *out);
/* catalog_alert_list: alerts whose state is in `states` (bits
 * 1u << CATALOG_ALERT_x; 0: any), newest opened first, at most limit (0:
 * CATALOG_LIST_MAX).  0, RP_EIO. */
int catalog_alert_list(struct catalog *cat, unsigned states, size_t limit,
		       struct catalog_alert **out, size_t *n);
/* catalog_alert_events: the events of alert id, oldest first (an unknown
 * ID gives none).  0, RP_EIO. */
int catalog_alert_events(struct catalog *cat, int64_t id,
			 struct catalog_alert_event **out, size_t *n);
void catalog_alert_release(struct catalog_alert *a);
void catalog_alert_list_free(struct catalog_alert *v, size_t n);
void catalog_alert_event_list_free(struct catalog_alert_event *v, size_t n);

/* ---- Notifications sent ----------------------------------------------- */

enum catalog_notify_status {
	CATALOG_NOTIFY_SENT = 1,
	CATALOG_NOTIFY_FAILED,
};

struct catalog_notification {
	int64_t id;              /* output only */
	int64_t t;               /* required: when it was sent (or tried) */
	int64_t alert;           /* the alert it is about, 0: none */
	const char *channel;     /* required: "smtp", "webhook", ... */
	const char *recipient;   /* required: address or endpoint name;
				  * never a URL that carries a secret */
	const char *subject;     /* or NULL */
	enum catalog_notify_status status;
	const char *error;       /* why it failed, or NULL */
};

/* catalog_notification_add: records n; when n->alert is set and n was
 * SENT, the alert's last_notified becomes n->t.  0, RP_EINVAL (also an
 * unknown alert), RP_EIO. */
int catalog_notification_add(struct catalog *cat,
			     const struct catalog_notification *n,
			     int64_t *id);
/* catalog_notification_list: about `alert` (0: all), newest first, at
 * most limit (0: CATALOG_LIST_MAX).  0, RP_EIO. */
int catalog_notification_list(struct catalog *cat, int64_t alert,
			      size_t limit,
			      struct catalog_notification **out, size_t *n);
void catalog_notification_list_free(struct catalog_notification *v, size_t n);

/* ---- Dead-man's-switch pings (healthchecks.io style) ------------------ */

enum catalog_ping_kind {
	CATALOG_PING_START = 1,  /* /ping/<uuid>/start */
	CATALOG_PING_SUCCESS,    /* /ping/<uuid> */
	CATALOG_PING_FAIL,       /* /ping/<uuid>/fail */
	CATALOG_PING_EXIT,       /* /ping/<uuid>/<exit status> */
	CATALOG_PING_LOG,        /* /ping/<uuid>/log */
};

struct catalog_ping {
	int64_t id;              /* output only */
	const char *check;       /* required: the check's UUID */
	int64_t t;               /* required */
	enum catalog_ping_kind kind;
	int exit_code;           /* EXIT only: 0..255 */
	const char *source;      /* remote address, or NULL */
	const char *body;        /* the request body (capped by the caller),
				  * or NULL */
};

/* catalog_ping_add: 0, RP_EINVAL, RP_EIO. */
int catalog_ping_add(struct catalog *cat, const struct catalog_ping *p,
		     int64_t *id);
/* catalog_ping_newest: the newest ping of check whose kind is in `kinds`
 * (bits 1u << CATALOG_PING_x; 0: any).  0, RP_ENOTFOUND, RP_EIO. */
int catalog_ping_newest(struct catalog *cat, const char *check,
			unsigned kinds, struct catalog_ping *out);
/* catalog_ping_list: check's pings (NULL: every check), newest first, at
 * most limit (0: CATALOG_LIST_MAX).  0, RP_EIO. */
int catalog_ping_list(struct catalog *cat, const char *check, size_t limit,
		      struct catalog_ping **out, size_t *n);
void catalog_ping_release(struct catalog_ping *p);
void catalog_ping_list_free(struct catalog_ping *v, size_t n);

#endif
