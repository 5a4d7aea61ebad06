/*
 * alert: rule states, de-duplication, repeats, escalation and maintenance
 * windows (DESIGN.md part 5).  Decides WHEN somebody must be told, never
 * HOW: notify/ composes and sends.
 *
 * THE MODEL.  A rule (struct alert_rule) is judged on subjects (a host, a
 * disk, a probe URL...).  For each (rule, subject) the engine keeps one
 * state, fed by alert_eval() with the condition seen at `now`:
 *
 *     OK/RESOLVED --true--> PENDING --true for for_ms--> FIRING
 *         ^                    |                            |
 *         +---false for clear_ms (cancelled) ---------------+
 *                              false for clear_ms: RESOLVED
 *
 * - for_ms: the condition must have held for that long (counted from the
 *   first true) before the alert fires; 0 fires at once.
 * - clear_ms (hysteresis): once pending or firing, the condition must be
 *   false without a break for clear_ms before the alert resolves (or, if
 *   it never fired, is cancelled); a true in between cancels the clearing.
 *   So a condition that flaps (true, false, true every few seconds) makes
 *   ONE alert, ONE notification and ONE resolution, not one per flap.
 * - an episode (from PENDING to RESOLVED) is one alert with one ID; the
 *   next episode of the same (rule, subject) is a new alert.
 *
 * WHO IS TOLD.  A rule carries a route: the call tree (steps of people,
 * each with escalate_after).  On firing, step 0 is notified (one
 * notification per transition: de-duplicated, whatever the number of
 * evaluations).  While firing and not acknowledged:
 *   - every repeat_ms (0: never) steps 0..level are reminded (REPEAT);
 *   - when step `level` has had escalate_after without an acknowledgement,
 *     the alert moves to level + 1 and that step is notified (ESCALATE);
 *     the last step stays the last.
 * An acknowledgement (alert_ack) stops repeats and escalation; the alert
 * still resolves, and the resolution is told to steps 0..level, i.e. to
 * everyone who was told that it fired.  Nobody is told of a resolution of
 * an alert that nobody was told about.
 *
 * QUIET.  A notification is suppressed, and the transition that would
 * have sent it is marked `suppressed`, when
 *   - a maintenance window covers (now, rule, subject): alert_maintenance_add;
 *   - the flap guard holds: the (rule, subject) fired ALERT_FLAP_MAX times
 *     within ALERT_FLAP_WINDOW_MS already (a problem that comes back every
 *     few minutes, beyond clear_ms).
 * States are still tracked and transitions still recorded.  An alert that
 * fired while quiet and still fires when the quiet ends is notified then
 * (once), so a window never swallows a lasting problem.
 *
 * PERSISTENCE (every transition is in the catalog).  The engine is pure:
 * time comes in as `now` (unix milliseconds; callers use clock_now_ms()),
 * and it does no I/O itself.  It calls the store given to alert_engine_new
 * BEFORE applying each transition: `open` for the first transition of an
 * episode (the store gives the alert its ID), `record` for the others.  A
 * store error leaves the state unchanged (the transition is tried again on
 * the next evaluation) and is returned.  alert_catalog.c provides the
 * store that writes the catalog (alert_store_catalog), and
 * alert_engine_load / alert_engine_sync to restore open alerts after a
 * restart and to pick up acknowledgements made by `reprise alert ack ID`
 * in another process.  The daemon owns the catalog handle and the loop:
 *
 *   struct alert_store st; alert_store_catalog(&st, cat);
 *   e = alert_engine_new(&st);  alert_engine_load(e, cat);
 *   every tick: alert_engine_sync(e, cat, now);
 *               for each rule, subject:
 *                   alert_eval(e, &rule, subject, cond, text, now, &evs);
 *               for each event of kind ALERT_EV_NOTIFY in evs:
 *                   notify_alert(...)      (notify/notify.h)
 *               alert_events_reset(&evs);
 *
 * With a NULL store (tests), the engine numbers alerts itself from 1.
 *
 * A struct alert_engine is used from one thread at a time.
 *
 * NEEDSWORK: a subject that disappears (a probe removed from the plan)
 * keeps its open alert until the caller evaluates it false once more;
 * the daemon should do so for subjects it stops watching.
 */
#ifndef RP_ALERT_H
#define RP_ALERT_H

#include <stddef.h>
#include <stdint.h>

struct plan;
struct plan_person;

/* The flap guard: a (rule, subject) that fired this many times within the
 * window has its next notifications suppressed until the window slides. */
#define ALERT_FLAP_MAX 4
#define ALERT_FLAP_WINDOW_MS ((int64_t)3600 * 1000)
/* The most (rule, subject) states an engine keeps. */
#define ALERT_STATES_MAX 100000
/* The longest text (summary) kept for an alert, bytes. */
#define ALERT_TEXT_MAX 4096

enum alert_severity {
	ALERT_SEV_INFO = 0,
	ALERT_SEV_WARNING,
	ALERT_SEV_CRITICAL,
};

/* One step of a route: the people called together, and how long they
 * have to acknowledge before the next step is called. */
struct alert_step {
	const struct plan_person **people;  /* borrowed from the plan */
	size_t n;
	int64_t escalate_after_ms;          /* > 0 */
};

/* A route: the steps in order.  Zero steps is allowed (webhooks only:
 * no escalation). */
struct alert_route {
	struct alert_step *steps;
	size_t n;
};

struct alert_rule {
	const char *id;             /* required: the rule's name, "cpu-temp" */
	enum alert_severity severity;
	int64_t for_ms;             /* >= 0: pending time before firing */
	int64_t clear_ms;           /* >= 0: false this long to resolve */
	int64_t repeat_ms;          /* >= 0: reminder interval, 0 never */
	const struct alert_route *route;  /* NULL: no one to escalate to */
};

enum alert_state {
	ALERT_OK = 0,               /* never out of bounds (no episode yet) */
	ALERT_PENDING,
	ALERT_FIRING,
	ALERT_RESOLVED,             /* the last episode ended */
};

enum alert_event_kind {
	/* transitions (recorded through the store) */
	ALERT_EV_PENDING = 1,       /* an episode opened, pending */
	ALERT_EV_FIRING,            /* fired (may open an episode too) */
	ALERT_EV_RESOLVED,          /* ended (fired or cancelled) */
	ALERT_EV_ACK,
	ALERT_EV_ESCALATE,          /* level is the new level */
	/* not a transition: somebody must be told */
	ALERT_EV_NOTIFY,
};

enum alert_notify_kind {
	ALERT_NOTIFY_FIRING = 1,    /* first notice: steps 0..level (0) */
	ALERT_NOTIFY_REPEAT,        /* reminder: steps 0..level */
	ALERT_NOTIFY_ESCALATE,      /* step `level`, newly called */
	ALERT_NOTIFY_RESOLVED,      /* steps 0..level */
};

enum alert_quiet {
	ALERT_QUIET_NO = 0,
	ALERT_QUIET_MAINTENANCE,
	ALERT_QUIET_FLAPPING,
};

/*
 * An event.  rule, subject and text point into the engine's state and
 * stay valid until the next alert_eval/alert_ack/alert_engine_free on the
 * engine (copy what must live longer).
 */
struct alert_event {
	enum alert_event_kind kind;
	int64_t id;                 /* the alert's ID (the catalog's) */
	const char *rule, *subject;
	const char *text;           /* the latest summary, or NULL */
	enum alert_severity severity;
	int64_t t;                  /* when (unix ms) */
	int64_t started;            /* when the episode opened */
	int64_t firing_since;       /* when it fired, 0 if it has not */
	int open;                   /* transitions: 1 for the first of the
				     * episode (the store's `open`) */
	int level;                  /* escalation level after the event */
	enum alert_quiet suppressed; /* transition made while quiet */
	/* ALERT_EV_NOTIFY: what to tell, to route steps lo..hi
	 * (inclusive; hi < lo when the route has no steps) */
	enum alert_notify_kind notify;
	int lo, hi;
	/* ALERT_EV_ACK: who and when */
	const char *actor;
};

/* A growable list of events, filled by alert_eval and alert_ack. */
struct alert_events {
	struct alert_event *v;
	size_t n, cap;
};
#define ALERT_EVENTS_INIT { NULL, 0, 0 }
/* alert_events_reset: n = 0, memory kept; _release: frees. */
void alert_events_reset(struct alert_events *evs);
void alert_events_release(struct alert_events *evs);

/* Persistence hooks; see the top comment.  `open` gets the first
 * transition of an episode (PENDING or FIRING, ev->open set) and sets
 * *id; `record` gets the later ones (FIRING, RESOLVED, ESCALATE, ACK,
 * with ev->id set).  Both return 0 or a negative rp_err; either may be
 * NULL (then it is not called, and ids come from the engine). */
struct alert_store {
	int (*open)(void *arg, const struct alert_event *ev, int64_t *id);
	int (*record)(void *arg, const struct alert_event *ev);
	void *arg;
};

struct alert_engine;

/* alert_engine_new: a new engine with no state.  store is copied (NULL:
 * none).  Free with alert_engine_free (NULL is a no-op). */
struct alert_engine *alert_engine_new(const struct alert_store *store);
void alert_engine_free(struct alert_engine *e);

/*
 * alert_eval: feeds the condition of rule on subject as seen at now_ms
 * (non-zero: out of bounds) and appends to *out the transitions made and
 * the notifications due (de-duplicated: at most one per transition,
 * repeat or escalation).  text (may be NULL; borrowed, copied, cut at
 * ALERT_TEXT_MAX) is the current one-line summary, kept while the
 * condition holds.  The rule is borrowed for the call only; it is
 * identified by rule->id, so its settings may change between calls.
 * Call it for every (rule, subject) on every tick, including when the
 * condition is false: timers (clearing, repeats, escalation) advance
 * only in these calls.  now_ms going backwards is treated as no time
 * passing.
 * 0, RP_EINVAL (no rule id or subject, a negative duration), RP_ENOMEM
 * (over ALERT_STATES_MAX), or the store's error (the transition is not
 * applied; events already appended stay).
 */
int alert_eval(struct alert_engine *e, const struct alert_rule *rule,
	       const char *subject, int condition, const char *text,
	       int64_t now_ms, struct alert_events *out);

/*
 * alert_ack: `who` (borrowed, copied) acknowledges open alert `id` at
 * now_ms: no more repeats or escalation for this episode.  Appends the
 * ACK event to out (may be NULL).  A second ack replaces the name.
 * 0, RP_ENOTFOUND (no open alert with that ID), RP_EINVAL (no who), or
 * the store's error.
 */
int alert_ack(struct alert_engine *e, int64_t id, const char *who,
	      int64_t now_ms, struct alert_events *out);

/*
 * alert_maintenance_add: quiet from start_ms (inclusive) to end_ms
 * (exclusive) for the rules and subjects that match the fnmatch(3)
 * patterns rule_glob and subject_glob (NULL: all).  Strings are copied.
 * *id (may be NULL) gets the window's number for alert_maintenance_remove.
 * Windows that ended are dropped by alert_eval.  0, RP_EINVAL (end <=
 * start), RP_ENOMEM (more than 1000 windows).
 * alert_maintenance_remove: 0 or RP_ENOTFOUND.
 * alert_in_maintenance: 1 when a window covers (now, rule, subject).
 */
int alert_maintenance_add(struct alert_engine *e, int64_t start_ms,
			  int64_t end_ms, const char *rule_glob,
			  const char *subject_glob, int *id);
int alert_maintenance_remove(struct alert_engine *e, int id);
int alert_in_maintenance(const struct alert_engine *e, const char *rule,
			 const char *subject, int64_t now_ms);

/*
 * A maintenance window as people write it (a daemon option, a file in
 * the state directory, `reprise alert maintenance`):
 *     START/END [SUBJECT-GLOB [RULE-GLOB]]
 *     START/DURATION [SUBJECT-GLOB [RULE-GLOB]]
 * START and END are RFC 3339 times ("2026-03-02T20:00:00+01:00"),
 * DURATION a plan duration ("3h", "1h30m"); fields are separated by
 * spaces; "*" matches everything.  alert_maintenance_parse fills *out
 * (globs point into buf, a copy of spec that *out owns: release with
 * alert_window_release).  0 or RP_EFORMAT.
 */
struct alert_window {
	int64_t start_ms, end_ms;
	const char *subject_glob, *rule_glob;  /* NULL: all */
	char *buf;
};
int alert_maintenance_parse(const char *spec, struct alert_window *out);
void alert_window_release(struct alert_window *w);

/* A read-only view of one (rule, subject) state, for the dashboard and
 * tests; strings point into the engine (valid as for events). */
struct alert_info {
	const char *rule, *subject, *text;
	enum alert_state state;
	int64_t id;                 /* 0 when no episode yet */
	int64_t started;            /* episode start */
	int64_t since;              /* entered its state */
	int64_t last_notified;      /* 0: nobody told this episode */
	int level;
	const char *acked_by;       /* NULL: not acknowledged */
	int64_t acked_at;
};

/* alert_get: the state of (rule, subject).  0 or RP_ENOTFOUND. */
int alert_get(const struct alert_engine *e, const char *rule,
	      const char *subject, struct alert_info *out);
/* alert_count: the number of states; alert_at: the i-th (0 <= i < count),
 * in creation order.  0 or RP_ENOTFOUND. */
size_t alert_count(const struct alert_engine *e);
int alert_at(const struct alert_engine *e, size_t i, struct alert_info *out);

/*
 * alert_restore: puts back an open episode read from storage (restart):
 * state PENDING or FIRING, its id, started, since, last_notified, level
 * and ack (who may be NULL).  Timers resume from those times; the
 * escalation timer from max(since, last_notified).  0, RP_EINVAL,
 * RP_EEXIST (the (rule, subject) has an open episode), RP_ENOMEM.
 * alert_note_ack: marks open alert id acknowledged without calling the
 * store (the ack is already stored).  0 or RP_ENOTFOUND.
 */
int alert_restore(struct alert_engine *e, const struct alert_info *in);
int alert_note_ack(struct alert_engine *e, int64_t id, const char *who,
		   int64_t at_ms);

/*
 * Routes from the plan.  alert_route_for_host: the route for alerts on
 * host `host` (NULL or unknown: the call tree alone): first the people of
 * the host's monitoring.alert list, if any, for as long as the call
 * tree's first step's escalate_after (15 min without a call tree), then
 * the plan's call tree steps in order.  *out is filled with new arrays
 * (alert_route_release) pointing at people owned by the plan, which must
 * outlive the route.  0 (a route with no step is possible).
 */
int alert_route_for_host(const struct plan *p, const char *host,
			 struct alert_route *out);
void alert_route_release(struct alert_route *r);

/* alert_state_name / alert_severity_name / alert_notify_name: English
 * lower-case names ("firing", "critical", "repeat"). */
const char *alert_state_name(enum alert_state s);
const char *alert_severity_name(enum alert_severity s);
const char *alert_notify_name(enum alert_notify_kind k);

/*
 * alert_ack_stored: what `reprise alert ack ID` does (another process than
 * the daemon): `by` acknowledges open alert id in cat at now (unix
 * seconds), note may be NULL; the daemon's engine picks it up with
 * alert_engine_sync.  0, RP_ENOTFOUND (no such alert), RP_EINVAL (no
 * `by`, or the alert is already resolved), or the catalog's error.
 */
struct catalog;
int alert_ack_stored(struct catalog *cat, int64_t id, const char *by,
		     const char *note, int64_t now);

/*
 * The catalog store (alert_catalog.c).  alert_store_catalog: fills st
 * with hooks that write transitions to cat (catalog_alert_open,
 * _set_state, _escalate, _ack; times in seconds).  cat is borrowed and
 * must outlive the engine.
 * alert_engine_load: restores every open (PENDING or FIRING) alert of
 * cat into e (alert_restore).  0 or the catalog's error.
 * alert_engine_sync: for every open alert of e not yet acknowledged,
 * reads its row; an acknowledgement found there (`reprise alert ack`)
 * is applied with alert_note_ack.  0 or the catalog's error.
 */
void alert_store_catalog(struct alert_store *st, struct catalog *cat);
int alert_engine_load(struct alert_engine *e, struct catalog *cat);
int alert_engine_sync(struct alert_engine *e, struct catalog *cat);

#endif
