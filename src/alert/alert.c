/*
 * alert.c: the state machine of alert.h.  States live in a vector (in
 * creation order, never moved out: events point at their strings) with a
 * hash index on (rule, subject).
 */
#include "alert/alert.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "util/err.h"
#include "util/xmalloc.h"

#define MAINT_MAX 1000

struct astate {
	char *rule, *subject, *text;
	enum alert_state state;
	enum alert_severity severity;
	int64_t id;
	int64_t started, since, firing_since;
	int clearing;
	int64_t false_since;
	int told;                   /* somebody was told this episode */
	int64_t last_notified;      /* when, last */
	int64_t level_since;        /* when `level` was reached/told */
	int level;
	char *acked_by;
	int64_t acked_at;
	int64_t last_now;
	int64_t fired[ALERT_FLAP_MAX + 1];  /* ring of firing times */
	size_t nfired;
	struct astate *next;        /* hash chain */
};

struct maint {
	int id;
	int64_t start, end;
	char *rule_glob, *subject_glob;
};

struct alert_engine {
	struct alert_store store;
	struct astate **v;
	size_t n, cap;
	struct astate **hash;
	size_t nhash;               /* a power of two */
	int64_t next_id;
	struct maint *maint;
	size_t nmaint;
	int next_maint;
};

/* ---- small helpers --------------------------------------------------- */

static uint64_t key_hash(const char *rule, const char *subject)
{
	uint64_t h = 1469598103934665603ull;
	const unsigned char *p;

	for (p = (const unsigned char *)rule; *p; p++)
		h = (h ^ *p) * 1099511628211ull;
	h = (h ^ 0xff) * 1099511628211ull;
	for (p = (const unsigned char *)subject; *p; p++)
		h = (h ^ *p) * 1099511628211ull;
	return h;
}

static void replace_str(char **dst, const char *src, size_t max)
{
	if (*dst && src && strncmp(*dst, src, max) == 0 &&
	    strlen(*dst) == strnlen(src, max))
		return;
	free(*dst);
	*dst = src ? xstrndup(src, max) : NULL;
}

static int route_steps(const struct alert_rule *rule)
{
	if (!rule->route)
		return 0;
	return rule->route->n > 1000 ? 1000 : (int)rule->route->n;
}

static int64_t escalate_after(const struct alert_rule *rule, int level)
{
	int64_t ms;

	if (level < 0 || level >= route_steps(rule))
		return 0;
	ms = rule->route->steps[level].escalate_after_ms;
	return ms > 0 ? ms : (int64_t)15 * 60 * 1000;
}

const char *alert_state_name(enum alert_state s)
{
	static const char *const names[] = { "ok", "pending", "firing",
					     "resolved" };

	return (unsigned)s < 4 ? names[s] : "?";
}

const char *alert_severity_name(enum alert_severity s)
{
	static const char *const names[] = { "info", "warning", "critical" };

	return (unsigned)s < 3 ? names[s] : "?";
}

const char *alert_notify_name(enum alert_notify_kind k)
{
	static const char *const names[] = { "?", "firing", "repeat",
					     "escalate", "resolved" };

	return (unsigned)k < 5 ? names[k] : "?";
}

/* ---- events ---------------------------------------------------------- */

void alert_events_reset(struct alert_events *evs)
{
	evs->n = 0;
}

void alert_events_release(struct alert_events *evs)
{
	free(evs->v);
	evs->v = NULL;
	evs->n = evs->cap = 0;
}

static void events_add(struct alert_events *evs, const struct alert_event *ev)
{
	if (!evs)
		return;
	if (evs->n == evs->cap) {
		evs->cap = evs->cap ? 2 * evs->cap : 8;
		evs->v = xreallocarray(evs->v, evs->cap, sizeof(*evs->v));
	}
	evs->v[evs->n++] = *ev;
}

/* event_from: an event describing s as it is now. */
static struct alert_event event_from(const struct astate *s,
				     enum alert_event_kind kind, int64_t t)
{
	struct alert_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.kind = kind;
	ev.id = s->id;
	ev.rule = s->rule;
	ev.subject = s->subject;
	ev.text = s->text;
	ev.severity = s->severity;
	ev.t = t;
	ev.started = s->started;
	ev.firing_since = s->firing_since;
	ev.level = s->level;
	ev.hi = -1;
	return ev;
}

/* ---- engine ---------------------------------------------------------- */

struct alert_engine *alert_engine_new(const struct alert_store *store)
{
	struct alert_engine *e = xcalloc(1, sizeof(*e));

	if (store)
		e->store = *store;
	e->nhash = 64;
	e->hash = xcalloc(e->nhash, sizeof(*e->hash));
	return e;
}

static void state_free(struct astate *s)
{
	free(s->rule);
	free(s->subject);
	free(s->text);
	free(s->acked_by);
	free(s);
}

void alert_engine_free(struct alert_engine *e)
{
	size_t i;

	if (!e)
		return;
	for (i = 0; i < e->n; i++)
		state_free(e->v[i]);
	for (i = 0; i < e->nmaint; i++) {
		free(e->maint[i].rule_glob);
		free(e->maint[i].subject_glob);
	}
	free(e->maint);
	free(e->v);
	free(e->hash);
	free(e);
}

static struct astate *find(const struct alert_engine *e, const char *rule,
			   const char *subject)
{
	struct astate *s;

	s = e->hash[key_hash(rule, subject) & (e->nhash - 1)];
	for (; s; s = s->next)
		if (strcmp(s->rule, rule) == 0 &&
		    strcmp(s->subject, subject) == 0)
			return s;
	return NULL;
}

static void rehash(struct alert_engine *e)
{
	size_t i, slot;

	free(e->hash);
	e->nhash *= 2;
	e->hash = xcalloc(e->nhash, sizeof(*e->hash));
	for (i = 0; i < e->n; i++) {
		slot = key_hash(e->v[i]->rule, e->v[i]->subject) &
		       (e->nhash - 1);
		e->v[i]->next = e->hash[slot];
		e->hash[slot] = e->v[i];
	}
}

/* create: a new OK state for (rule, subject), or NULL over the cap. */
static struct astate *create(struct alert_engine *e, const char *rule,
			     const char *subject)
{
	struct astate *s;
	size_t slot;

	if (e->n >= ALERT_STATES_MAX)
		return NULL;
	if (e->n == e->cap) {
		e->cap = e->cap ? 2 * e->cap : 16;
		e->v = xreallocarray(e->v, e->cap, sizeof(*e->v));
	}
	if (e->n + 1 > e->nhash)
		rehash(e);
	s = xcalloc(1, sizeof(*s));
	s->rule = xstrdup(rule);
	s->subject = xstrdup(subject);
	slot = key_hash(rule, subject) & (e->nhash - 1);
	s->next = e->hash[slot];
	e->hash[slot] = s;
	e->v[e->n++] = s;
	return s;
}

static struct astate *find_id(const struct alert_engine *e, int64_t id)
{
	size_t i;

	for (i = 0; i < e->n; i++)
		if (e->v[i]->id == id && (e->v[i]->state == ALERT_PENDING ||
					  e->v[i]->state == ALERT_FIRING))
			return e->v[i];
	return NULL;
}

/* ---- quiet: maintenance and flapping --------------------------------- */

static int glob_ok(const char *glob, const char *s)
{
	return !glob || fnmatch(glob, s, 0) == 0;
}

int alert_in_maintenance(const struct alert_engine *e, const char *rule,
			 const char *subject, int64_t now_ms)
{
	size_t i;

	for (i = 0; i < e->nmaint; i++) {
		const struct maint *m = &e->maint[i];

		if (now_ms >= m->start && now_ms < m->end &&
		    glob_ok(m->rule_glob, rule) &&
		    glob_ok(m->subject_glob, subject))
			return 1;
	}
	return 0;
}

int alert_maintenance_add(struct alert_engine *e, int64_t start_ms,
			  int64_t end_ms, const char *rule_glob,
			  const char *subject_glob, int *id)
{
	struct maint *m;

	if (end_ms <= start_ms)
		return RP_EINVAL;
	if (e->nmaint >= MAINT_MAX)
		return RP_ENOMEM;
	e->maint = xreallocarray(e->maint, e->nmaint + 1, sizeof(*e->maint));
	m = &e->maint[e->nmaint++];
	m->id = ++e->next_maint;
	m->start = start_ms;
	m->end = end_ms;
	m->rule_glob = rule_glob ? xstrdup(rule_glob) : NULL;
	m->subject_glob = subject_glob ? xstrdup(subject_glob) : NULL;
	if (id)
		*id = m->id;
	return 0;
}

static void maint_drop(struct alert_engine *e, size_t i)
{
	free(e->maint[i].rule_glob);
	free(e->maint[i].subject_glob);
	e->maint[i] = e->maint[--e->nmaint];
}

int alert_maintenance_remove(struct alert_engine *e, int id)
{
	size_t i;

	for (i = 0; i < e->nmaint; i++) {
		if (e->maint[i].id == id) {
			maint_drop(e, i);
			return 0;
		}
	}
	return RP_ENOTFOUND;
}

static void maint_expire(struct alert_engine *e, int64_t now)
{
	size_t i = 0;

	while (i < e->nmaint) {
		if (e->maint[i].end <= now)
			maint_drop(e, i);
		else
			i++;
	}
}

/* fired_recently: how many firings of s fall within the flap window. */
static size_t fired_recently(const struct astate *s, int64_t now)
{
	size_t i, k = 0;

	for (i = 0; i < s->nfired && i <= ALERT_FLAP_MAX; i++)
		if (now - s->fired[i] < ALERT_FLAP_WINDOW_MS)
			k++;
	return k;
}

static void note_fired(struct astate *s, int64_t now)
{
	s->fired[s->nfired % (ALERT_FLAP_MAX + 1)] = now;
	s->nfired++;
	if (s->nfired >= 2 * (ALERT_FLAP_MAX + 1))
		s->nfired -= ALERT_FLAP_MAX + 1;
}

static enum alert_quiet quiet_for(const struct alert_engine *e,
				  const struct astate *s, int64_t now)
{
	if (alert_in_maintenance(e, s->rule, s->subject, now))
		return ALERT_QUIET_MAINTENANCE;
	if (s->state == ALERT_FIRING && fired_recently(s, now) > ALERT_FLAP_MAX)
		return ALERT_QUIET_FLAPPING;
	return ALERT_QUIET_NO;
}

/* ---- transitions ----------------------------------------------------- */

static int store_call(struct alert_engine *e, struct alert_event *ev)
{
	int64_t id = 0;
	int rc;

	if (!ev->open)
		return e->store.record ? e->store.record(e->store.arg, ev) : 0;
	if (!e->store.open) {
		ev->id = ++e->next_id;
		return 0;
	}
	rc = e->store.open(e->store.arg, ev, &id);
	if (rc < 0)
		return rc;
	ev->id = id;
	return 0;
}

/* open_episode: OK/RESOLVED -> PENDING, or FIRING when for_ms is 0. */
static int open_episode(struct alert_engine *e, struct astate *s,
			const struct alert_rule *rule, int64_t now,
			struct alert_events *out)
{
	enum alert_state to = rule->for_ms == 0 ? ALERT_FIRING : ALERT_PENDING;
	struct alert_event ev = event_from(s, to == ALERT_FIRING ?
					   ALERT_EV_FIRING : ALERT_EV_PENDING,
					   now);
	int rc;

	ev.open = 1;
	ev.started = now;
	ev.firing_since = to == ALERT_FIRING ? now : 0;
	ev.level = 0;
	if (alert_in_maintenance(e, s->rule, s->subject, now))
		ev.suppressed = ALERT_QUIET_MAINTENANCE;
	if ((rc = store_call(e, &ev)) < 0)
		return rc;
	s->id = ev.id;
	s->state = to;
	s->started = s->since = now;
	s->firing_since = ev.firing_since;
	s->clearing = 0;
	s->told = 0;
	s->last_notified = 0;
	s->level = 0;
	s->level_since = now;
	free(s->acked_by);
	s->acked_by = NULL;
	s->acked_at = 0;
	if (to == ALERT_FIRING)
		note_fired(s, now);
	if (!ev.suppressed)
		ev.suppressed = quiet_for(e, s, now);
	events_add(out, &ev);
	return 0;
}

static int to_firing(struct alert_engine *e, struct astate *s, int64_t now,
		     struct alert_events *out)
{
	struct alert_event ev = event_from(s, ALERT_EV_FIRING, now);
	int rc;

	ev.firing_since = now;
	if (alert_in_maintenance(e, s->rule, s->subject, now))
		ev.suppressed = ALERT_QUIET_MAINTENANCE;
	if ((rc = store_call(e, &ev)) < 0)
		return rc;
	s->state = ALERT_FIRING;
	s->since = s->firing_since = now;
	s->level_since = now;
	note_fired(s, now);
	if (!ev.suppressed)
		ev.suppressed = quiet_for(e, s, now);
	events_add(out, &ev);
	return 0;
}

static void notify(struct astate *s, enum alert_notify_kind k, int lo,
		   int hi, int64_t now, struct alert_events *out)
{
	struct alert_event ev = event_from(s, ALERT_EV_NOTIFY, now);

	ev.notify = k;
	ev.lo = lo;
	ev.hi = hi;
	events_add(out, &ev);
}

static int to_resolved(struct alert_engine *e, struct astate *s,
		       const struct alert_rule *rule, int64_t now,
		       struct alert_events *out)
{
	struct alert_event ev = event_from(s, ALERT_EV_RESOLVED, now);
	int maint = alert_in_maintenance(e, s->rule, s->subject, now);
	int told = s->told;
	int rc;

	if (maint)
		ev.suppressed = ALERT_QUIET_MAINTENANCE;
	if ((rc = store_call(e, &ev)) < 0)
		return rc;
	s->state = ALERT_RESOLVED;
	s->since = now;
	s->clearing = 0;
	events_add(out, &ev);
	if (told && !maint)
		notify(s, ALERT_NOTIFY_RESOLVED, 0,
		       s->level < route_steps(rule) ? s->level :
		       route_steps(rule) - 1, now, out);
	return 0;
}

static int escalate(struct alert_engine *e, struct astate *s, int64_t now,
		    struct alert_events *out)
{
	struct alert_event ev = event_from(s, ALERT_EV_ESCALATE, now);
	int rc;

	ev.level = s->level + 1;
	if ((rc = store_call(e, &ev)) < 0)
		return rc;
	s->level++;
	s->level_since = now;
	s->last_notified = now;
	events_add(out, &ev);
	notify(s, ALERT_NOTIFY_ESCALATE, s->level, s->level, now, out);
	return 0;
}

/* notifications_due: what a firing alert owes its people at now. */
static int notifications_due(struct alert_engine *e, struct astate *s,
			     const struct alert_rule *rule, int64_t now,
			     struct alert_events *out)
{
	int steps = route_steps(rule);
	int top = s->level < steps ? s->level : steps - 1;

	if (quiet_for(e, s, now) != ALERT_QUIET_NO)
		return 0;
	if (!s->told) {
		s->told = 1;
		s->last_notified = now;
		s->level_since = now;
		notify(s, ALERT_NOTIFY_FIRING, 0, top, now, out);
		return 0;
	}
	if (s->acked_by)
		return 0;
	if (s->level + 1 < steps &&
	    now - s->level_since >= escalate_after(rule, s->level))
		return escalate(e, s, now, out);
	if (rule->repeat_ms > 0 && now - s->last_notified >= rule->repeat_ms) {
		s->last_notified = now;
		notify(s, ALERT_NOTIFY_REPEAT, 0, top, now, out);
	}
	return 0;
}

/* clear_check: the condition is false at now; 1 when it has been for
 * clear_ms (time to resolve), else 0. */
static int clear_check(struct astate *s, const struct alert_rule *rule,
		       int64_t now)
{
	if (!s->clearing) {
		s->clearing = 1;
		s->false_since = now;
	}
	return now - s->false_since >= rule->clear_ms;
}

static int step(struct alert_engine *e, struct astate *s,
		const struct alert_rule *rule, int condition, int64_t now,
		struct alert_events *out)
{
	int rc;

	switch (s->state) {
	case ALERT_OK:
	case ALERT_RESOLVED:
		if (!condition)
			return 0;
		if ((rc = open_episode(e, s, rule, now, out)) < 0)
			return rc;
		if (s->state == ALERT_FIRING)
			return notifications_due(e, s, rule, now, out);
		return 0;
	case ALERT_PENDING:
		if (condition) {
			s->clearing = 0;
			if (now - s->started < rule->for_ms)
				return 0;
			if ((rc = to_firing(e, s, now, out)) < 0)
				return rc;
			return notifications_due(e, s, rule, now, out);
		}
		if (clear_check(s, rule, now))
			return to_resolved(e, s, rule, now, out);
		return 0;
	case ALERT_FIRING:
		if (condition)
			s->clearing = 0;
		else if (clear_check(s, rule, now))
			return to_resolved(e, s, rule, now, out);
		return notifications_due(e, s, rule, now, out);
	}
	return RP_EINTERNAL;
}

int alert_eval(struct alert_engine *e, const struct alert_rule *rule,
	       const char *subject, int condition, const char *text,
	       int64_t now_ms, struct alert_events *out)
{
	struct astate *s;

	if (!rule || !rule->id || !*rule->id || !subject || rule->for_ms < 0 ||
	    rule->clear_ms < 0 || rule->repeat_ms < 0)
		return RP_EINVAL;
	s = find(e, rule->id, subject);
	if (!s && !condition)
		return 0;   /* nothing to remember about a quiet subject */
	if (!s && !(s = create(e, rule->id, subject)))
		return RP_ENOMEM;
	if (now_ms < s->last_now)
		now_ms = s->last_now;
	s->last_now = now_ms;
	s->severity = rule->severity;
	if (condition && text)
		replace_str(&s->text, text, ALERT_TEXT_MAX);
	maint_expire(e, now_ms);
	return step(e, s, rule, condition != 0, now_ms, out);
}

/* ---- acknowledgements ------------------------------------------------ */

int alert_ack(struct alert_engine *e, int64_t id, const char *who,
	      int64_t now_ms, struct alert_events *out)
{
	struct astate *s;
	struct alert_event ev;
	int rc;

	if (!who || !*who)
		return RP_EINVAL;
	if (!(s = find_id(e, id)))
		return RP_ENOTFOUND;
	ev = event_from(s, ALERT_EV_ACK, now_ms);
	ev.actor = who;
	if ((rc = store_call(e, &ev)) < 0)
		return rc;
	replace_str(&s->acked_by, who, ALERT_TEXT_MAX);
	s->acked_at = now_ms;
	ev.actor = s->acked_by;
	events_add(out, &ev);
	return 0;
}

int alert_note_ack(struct alert_engine *e, int64_t id, const char *who,
		   int64_t at_ms)
{
	struct astate *s = find_id(e, id);

	if (!s)
		return RP_ENOTFOUND;
	replace_str(&s->acked_by, who ? who : "?", ALERT_TEXT_MAX);
	s->acked_at = at_ms;
	return 0;
}

/* ---- views and restore ----------------------------------------------- */

static void info_from(const struct astate *s, struct alert_info *out)
{
	out->rule = s->rule;
	out->subject = s->subject;
	out->text = s->text;
	out->state = s->state;
	out->id = s->id;
	out->started = s->started;
	out->since = s->since;
	out->last_notified = s->last_notified;
	out->level = s->level;
	out->acked_by = s->acked_by;
	out->acked_at = s->acked_at;
}

int alert_get(const struct alert_engine *e, const char *rule,
	      const char *subject, struct alert_info *out)
{
	const struct astate *s = find(e, rule, subject);

	if (!s)
		return RP_ENOTFOUND;
	info_from(s, out);
	return 0;
}

size_t alert_count(const struct alert_engine *e)
{
	return e->n;
}

int alert_at(const struct alert_engine *e, size_t i, struct alert_info *out)
{
	if (i >= e->n)
		return RP_ENOTFOUND;
	info_from(e->v[i], out);
	return 0;
}

int alert_restore(struct alert_engine *e, const struct alert_info *in)
{
	struct astate *s;

	if (!in->rule || !in->subject || in->id <= 0 ||
	    (in->state != ALERT_PENDING && in->state != ALERT_FIRING))
		return RP_EINVAL;
	s = find(e, in->rule, in->subject);
	if (s && (s->state == ALERT_PENDING || s->state == ALERT_FIRING))
		return RP_EEXIST;
	if (!s && !(s = create(e, in->rule, in->subject)))
		return RP_ENOMEM;
	s->state = in->state;
	s->id = in->id;
	if (in->id > e->next_id)
		e->next_id = in->id;
	s->started = in->started;
	s->since = in->since;
	s->firing_since = in->state == ALERT_FIRING ? in->since : 0;
	s->last_notified = in->last_notified;
	s->told = in->last_notified != 0;
	s->level = in->level > 0 ? in->level : 0;
	s->level_since = in->last_notified > in->since ? in->last_notified :
			 in->since;
	s->last_now = 0;
	replace_str(&s->text, in->text, ALERT_TEXT_MAX);
	replace_str(&s->acked_by, in->acked_by, ALERT_TEXT_MAX);
	s->acked_at = in->acked_by ? in->acked_at : 0;
	if (s->state == ALERT_FIRING)
		note_fired(s, s->since);
	return 0;
}
