/*
 * catalog_schema: the catalog's tables, as SQL, one migration per version.
 *
 * A catalog file is an SQLite database with PRAGMA application_id =
 * CATALOG_APP_ID ("RPRS") and PRAGMA user_version = the schema version.
 * catalog_migrations[v - 1] turns version v - 1 into version v; catalog_open
 * runs the missing ones, in order, in one transaction that also sets both
 * pragmas, so a file is at one version or the next, never between.  Version
 * 0 is the empty file.  A migration is never edited once released: a change
 * is a new migration appended here (and CATALOG_VERSION raised), with a
 * test that opens a catalog of every older version.
 *
 * Conventions, for every table:
 *   - times are unix seconds (UTC) in INTEGER columns; *_ns columns hold
 *     the nanoseconds within the second when known; NULL means unknown or
 *     not yet;
 *   - enumerations are lower-case words with a CHECK; the C enums of
 *     catalog.h map onto them by name, so renumbering an enum never
 *     changes a file;
 *   - tables are STRICT (SQLite >= 3.37): a value of the wrong type is an
 *     error, not a silent conversion;
 *   - repositories are named by their location as the plan writes it (a
 *     path or a URL, never with credentials).
 */
#include "catalog/catalog_internal.h"

/* Version 1: what issue 4 measures, and what `reprise check` reads. */
static const char *const schema_v1[] = {
	/* One row per backup run, written when it starts (result 'running')
	 * and completed when it ends.  A row that stays 'running' is a run
	 * whose process died (catalog_runs_abandon closes them). */
	"CREATE TABLE run (\n"
	"  id          INTEGER PRIMARY KEY,\n"
	"  job         TEXT NOT NULL,             -- the plan's job name\n"
	"  repo        TEXT NOT NULL,             -- repository location\n"
	"  host        TEXT NOT NULL DEFAULT '',  -- machine that ran it\n"
	"  started     INTEGER NOT NULL,\n"
	"  started_ns  INTEGER NOT NULL DEFAULT 0,\n"
	"  finished    INTEGER,                   -- NULL while running\n"
	"  finished_ns INTEGER,\n"
	"  result      TEXT NOT NULL DEFAULT 'running'\n"
	"              CHECK (result IN ('running', 'ok', 'partial',"
	" 'failed')),\n"
	"  files       INTEGER NOT NULL DEFAULT 0 CHECK (files >= 0),\n"
	"  bytes       INTEGER NOT NULL DEFAULT 0 CHECK (bytes >= 0),\n"
	"  bytes_added INTEGER NOT NULL DEFAULT 0 CHECK (bytes_added >= 0),\n"
	"  errors      INTEGER NOT NULL DEFAULT 0 CHECK (errors >= 0),\n"
	"  snapshot    TEXT,                      -- hex ID written\n"
	"  error       TEXT                       -- one line: what failed\n"
	") STRICT;\n",
	"CREATE INDEX run_by_time ON run (started, started_ns);\n",
	/* The snapshots each repository holds, as far as the catalog knows:
	 * added after a run writes one, removed after `forget`, and rewritten
	 * wholesale from the repository by `reprise catalog rebuild`.  The
	 * repository is the truth; these rows only save reading it. */
	"CREATE TABLE snapshot (\n"
	"  repo    TEXT NOT NULL,\n"
	"  id      TEXT NOT NULL,                 -- 64 hex digits\n"
	"  time    INTEGER NOT NULL,              -- the snapshot's time\n"
	"  time_ns INTEGER NOT NULL DEFAULT 0,\n"
	"  host    TEXT NOT NULL DEFAULT '',\n"
	"  job     TEXT,                          -- NULL: not known\n"
	"  PRIMARY KEY (repo, id)\n"
	") STRICT, WITHOUT ROWID;\n",
	"CREATE INDEX snapshot_by_time ON snapshot (repo, time);\n",
	/* Restore drills: the evidence that backups restore.  evidence is
	 * the document (JSON) the drill wrote; evidence_sha256 its hash, so a
	 * signed report can name it. */
	"CREATE TABLE drill (\n"
	"  id          INTEGER PRIMARY KEY,\n"
	"  service     TEXT NOT NULL,             -- service (or job) proved\n"
	"  repo        TEXT NOT NULL,\n"
	"  snapshot    TEXT NOT NULL,             -- hex ID restored\n"
	"  host        TEXT NOT NULL DEFAULT '',\n"
	"  started     INTEGER NOT NULL,\n"
	"  finished    INTEGER NOT NULL,\n"
	"  files       INTEGER NOT NULL DEFAULT 0 CHECK (files >= 0),\n"
	"  bytes       INTEGER NOT NULL DEFAULT 0 CHECK (bytes >= 0),\n"
	"  duration    REAL NOT NULL DEFAULT 0,   -- seconds restoring\n"
	"  throughput  REAL NOT NULL DEFAULT 0,   -- bytes per second\n"
	"  sampled_pct REAL NOT NULL DEFAULT 100\n"
	"              CHECK (sampled_pct BETWEEN 0 AND 100),\n"
	"  result      TEXT NOT NULL CHECK (result IN ('pass', 'fail')),\n"
	"  reason      TEXT,                      -- why it failed\n"
	"  evidence_sha256 TEXT,\n"
	"  evidence    TEXT CHECK (evidence IS NULL OR json_valid(evidence))\n"
	") STRICT;\n",
	"CREATE INDEX drill_by_service ON drill (service, started);\n",
	/* One row per `reprise check` (a plan checked against the facts)
	 * and one per finding it made, in the order it made them. */
	"CREATE TABLE check_run (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  at INTEGER NOT NULL\n"
	") STRICT;\n",
	"CREATE INDEX check_run_by_time ON check_run (at);\n",
	"CREATE TABLE finding (\n"
	"  check_run INTEGER NOT NULL\n"
	"            REFERENCES check_run (id) ON DELETE CASCADE,\n"
	"  seq       INTEGER NOT NULL,            -- 0, 1, ... in order\n"
	"  code      TEXT NOT NULL,               -- e.g. 'RPO-MEASURED'\n"
	"  severity  TEXT NOT NULL\n"
	"            CHECK (severity IN ('info', 'warning', 'critical')),\n"
	"  subject   TEXT NOT NULL,\n"
	"  message   TEXT NOT NULL,\n"
	"  fix       TEXT,\n"
	"  PRIMARY KEY (check_run, seq)\n"
	") STRICT, WITHOUT ROWID;\n",
	NULL,
};

/* Version 2: what the daemon records. */
static const char *const schema_v2[] = {
	/* A metric series: a metric name and a canonical label string. */
	"CREATE TABLE series (\n"
	"  id     INTEGER PRIMARY KEY,\n"
	"  metric TEXT NOT NULL,                  -- 'hwmon_temp_celsius'\n"
	"  labels TEXT NOT NULL DEFAULT '',       -- 'chip=\"coretemp\"'\n"
	"  UNIQUE (metric, labels)\n"
	") STRICT;\n",
	/* Samples in tiers: step 0 holds raw samples (lo, hi NULL: equal to
	 * value; n = 1); a step s > 0 holds buckets [t, t + s) made by
	 * catalog_downsample, with the mean, the extremes and the count of
	 * the raw samples behind them.  With the default policy a year of
	 * 10-second samples is about 17280 + 8064 + 8040 rows per series
	 * instead of 3.15 million. */
	"CREATE TABLE sample (\n"
	"  series INTEGER NOT NULL REFERENCES series (id) ON DELETE CASCADE,\n"
	"  step   INTEGER NOT NULL CHECK (step >= 0),\n"
	"  t      INTEGER NOT NULL,\n"
	"  value  REAL NOT NULL,\n"
	"  lo     REAL,\n"
	"  hi     REAL,\n"
	"  n      INTEGER NOT NULL DEFAULT 1,\n"
	"  PRIMARY KEY (series, step, t)\n"
	") STRICT, WITHOUT ROWID;\n",
	/* An alert: one episode of a rule out of bounds on a subject, from
	 * 'pending' (or 'firing') to 'resolved'.  At most one open episode
	 * per (rule, subject).  last_notified and level drive repeats and
	 * escalation; acked_* stop the escalation. */
	"CREATE TABLE alert (\n"
	"  id            INTEGER PRIMARY KEY,\n"
	"  rule          TEXT NOT NULL,           -- the plan's rule ID\n"
	"  subject       TEXT NOT NULL,           -- host, disk, service\n"
	"  message       TEXT,                    -- latest summary\n"
	"  state         TEXT NOT NULL\n"
	"                CHECK (state IN ('pending', 'firing', 'resolved')),\n"
	"  started       INTEGER NOT NULL,\n"
	"  since         INTEGER NOT NULL,        -- entered this state\n"
	"  last_notified INTEGER,\n"
	"  level         INTEGER NOT NULL DEFAULT 0 CHECK (level >= 0),\n"
	"  acked_by      TEXT,\n"
	"  acked_at      INTEGER\n"
	") STRICT;\n",
	"CREATE UNIQUE INDEX alert_open ON alert (rule, subject)\n"
	"  WHERE state <> 'resolved';\n",
	"CREATE INDEX alert_by_time ON alert (started);\n",
	/* Every change of an alert, in order: the timeline. */
	"CREATE TABLE alert_event (\n"
	"  id    INTEGER PRIMARY KEY,\n"
	"  alert INTEGER NOT NULL REFERENCES alert (id) ON DELETE CASCADE,\n"
	"  t     INTEGER NOT NULL,\n"
	"  kind  TEXT NOT NULL CHECK (kind IN ('pending', 'firing',"
	" 'resolved', 'ack', 'escalate')),\n"
	"  level INTEGER NOT NULL DEFAULT 0,      -- escalate: new level\n"
	"  actor TEXT,                            -- ack: who\n"
	"  note  TEXT\n"
	") STRICT;\n",
	"CREATE INDEX alert_event_by_alert ON alert_event (alert, t);\n",
	/* Every notification sent or tried (e-mail, webhook).  recipient
	 * names the endpoint; a URL with a token in it is never stored. */
	"CREATE TABLE notification (\n"
	"  id        INTEGER PRIMARY KEY,\n"
	"  t         INTEGER NOT NULL,\n"
	"  alert     INTEGER REFERENCES alert (id) ON DELETE SET NULL,\n"
	"  channel   TEXT NOT NULL,               -- 'smtp', 'webhook'\n"
	"  recipient TEXT NOT NULL,\n"
	"  subject   TEXT,\n"
	"  status    TEXT NOT NULL CHECK (status IN ('sent', 'failed')),\n"
	"  error     TEXT\n"
	") STRICT;\n",
	"CREATE INDEX notification_by_alert ON notification (alert, t);\n",
	/* Pings from other tools (cron jobs, borg, Veeam) on the
	 * healthchecks.io-compatible endpoint. */
	"CREATE TABLE ping (\n"
	"  id        INTEGER PRIMARY KEY,\n"
	"  check_id  TEXT NOT NULL,               -- the check's UUID\n"
	"  t         INTEGER NOT NULL,\n"
	"  kind      TEXT NOT NULL CHECK (kind IN ('start', 'success',"
	" 'fail', 'exit', 'log')),\n"
	"  exit_code INTEGER CHECK (exit_code BETWEEN 0 AND 255),\n"
	"  source    TEXT,                        -- remote address\n"
	"  body      TEXT\n"
	") STRICT;\n",
	"CREATE INDEX ping_by_check ON ping (check_id, t);\n",
	NULL,
};

const char *const *const catalog_migrations[CATALOG_VERSION] = {
	schema_v1,
	schema_v2,
};
