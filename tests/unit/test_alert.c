/*
 * test_alert: the alert state machine over simulated time.  Hours are
 * replayed in milliseconds: the engine takes `now` as a parameter.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "alert/alert.h"
#include "catalog/catalog.h"
#include "plan/plan.h"
#include "util/err.h"

#define S ((int64_t)1000)
#define MIN (60 * S)
#define HOUR (60 * MIN)

/* A condition over time: true in [on, off) periods of a square wave of
 * `period` with `duty` true at the start of each period, inside
 * [from, until). */
struct wave {
	int64_t from, until, period, duty;
};

static int wave_at(const struct wave *w, int64_t t)
{
	if (t < w->from || t >= w->until)
		return 0;
	if (w->period == 0)
		return 1;
	return (t - w->from) % w->period < w->duty;
}

/* run: evaluates rule on subject every `tick` ms over [t0, t1] with the
 * condition w, appending every event to evs. */
static void run(struct alert_engine *e, const struct alert_rule *r,
		const char *subject, const struct wave *w, int64_t t0,
		int64_t t1, int64_t tick, struct alert_events *evs)
{
	int64_t t;

	for (t = t0; t <= t1; t += tick)
		assert_int_equal(alert_eval(e, r, subject, wave_at(w, t),
					    "CPU at 71 C", t, evs), 0);
}

static size_t count(const struct alert_events *evs, enum alert_event_kind k,
		    enum alert_notify_kind nk)
{
	size_t i, n = 0;

	for (i = 0; i < evs->n; i++)
		if (evs->v[i].kind == k &&
		    (k != ALERT_EV_NOTIFY || nk == 0 || evs->v[i].notify == nk))
			n++;
	return n;
}

/* nth: the i-th event of kind k (and notify kind nk), or fail. */
static const struct alert_event *nth(const struct alert_events *evs,
				     enum alert_event_kind k,
				     enum alert_notify_kind nk, size_t i)
{
	size_t j;

	for (j = 0; j < evs->n; j++)
		if (evs->v[j].kind == k &&
		    (k != ALERT_EV_NOTIFY || nk == 0 ||
		     evs->v[j].notify == nk) && i-- == 0)
			return &evs->v[j];
	fail_msg("no event %d/%d number %zu", k, nk, i);
	return NULL;
}

/* A three-step route: 15 min, 30 min, 15 min. */
static struct alert_step steps3[] = {
	{ NULL, 0, 15 * MIN }, { NULL, 0, 30 * MIN }, { NULL, 0, 15 * MIN },
};
static const struct alert_route route3 = { steps3, 3 };

/* ---- the table of scenarios ------------------------------------------ */

struct scenario {
	const char *name;
	struct alert_rule rule;
	struct wave w;
	int64_t t1, tick;
	/* expected counts */
	size_t pending, firing, resolved, escalate;
	size_t n_firing, n_repeat, n_escalate, n_resolved;
	int64_t first_fire_at;  /* -1: none */
};

static const struct scenario table[] = {
	{ "fires only after for_ms",
	  { "temp", ALERT_SEV_CRITICAL, 5 * MIN, 2 * MIN, 0, NULL },
	  { 0, 20 * MIN, 0, 0 }, 30 * MIN, 10 * S,
	  1, 1, 1, 0, 1, 0, 0, 1, 5 * MIN },
	{ "a blip shorter than for_ms never fires",
	  { "temp", ALERT_SEV_CRITICAL, 5 * MIN, 2 * MIN, 0, NULL },
	  { 0, 3 * MIN, 0, 0 }, 30 * MIN, 10 * S,
	  1, 0, 1, 0, 0, 0, 0, 0, -1 },
	{ "a flapping condition is one alert",
	  /* true 5 s, false 5 s for 20 minutes */
	  { "temp", ALERT_SEV_CRITICAL, 1 * MIN, 2 * MIN, 0, NULL },
	  { 0, 20 * MIN, 10 * S, 5 * S }, 40 * MIN, 1 * S,
	  1, 1, 1, 0, 1, 0, 0, 1, 1 * MIN },
	{ "for_ms 0 fires at once",
	  { "down", ALERT_SEV_CRITICAL, 0, 0, 0, NULL },
	  { 0, 10 * MIN, 0, 0 }, 20 * MIN, 30 * S,
	  0, 1, 1, 0, 1, 0, 0, 1, 0 },
	{ "repeats every repeat_ms while firing",
	  { "disk", ALERT_SEV_WARNING, 0, 0, 10 * MIN, NULL },
	  { 0, 65 * MIN, 0, 0 }, 2 * HOUR, 1 * MIN,
	  0, 1, 1, 0, 1, 6, 0, 1, 0 },
	{ "escalates along the route, then stays at the last step",
	  { "temp", ALERT_SEV_CRITICAL, 0, 0, 0, &route3 },
	  { 0, 3 * HOUR, 0, 0 }, 4 * HOUR, 1 * MIN,
	  0, 1, 1, 2, 1, 0, 2, 1, 0 },
};

static void test_alert__table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		const struct scenario *sc = &table[i];
		struct alert_engine *e = alert_engine_new(NULL);
		struct alert_events evs = ALERT_EVENTS_INIT;

		print_message("scenario: %s\n", sc->name);
		run(e, &sc->rule, "srv1", &sc->w, 0, sc->t1, sc->tick, &evs);
		assert_int_equal(count(&evs, ALERT_EV_PENDING, 0), sc->pending);
		assert_int_equal(count(&evs, ALERT_EV_FIRING, 0), sc->firing);
		assert_int_equal(count(&evs, ALERT_EV_RESOLVED, 0),
				 sc->resolved);
		assert_int_equal(count(&evs, ALERT_EV_ESCALATE, 0),
				 sc->escalate);
		assert_int_equal(count(&evs, ALERT_EV_NOTIFY,
				       ALERT_NOTIFY_FIRING), sc->n_firing);
		assert_int_equal(count(&evs, ALERT_EV_NOTIFY,
				       ALERT_NOTIFY_REPEAT), sc->n_repeat);
		assert_int_equal(count(&evs, ALERT_EV_NOTIFY,
				       ALERT_NOTIFY_ESCALATE), sc->n_escalate);
		assert_int_equal(count(&evs, ALERT_EV_NOTIFY,
				       ALERT_NOTIFY_RESOLVED), sc->n_resolved);
		if (sc->first_fire_at >= 0)
			assert_int_equal(nth(&evs, ALERT_EV_FIRING, 0, 0)->t,
					 sc->first_fire_at);
		alert_events_release(&evs);
		alert_engine_free(e);
	}
}

/* ---- details --------------------------------------------------------- */

static void test_alert__pending_then_firing_times(void **state)
{
	struct alert_rule r = { "temp", ALERT_SEV_CRITICAL, 5 * MIN,
				2 * MIN, 0, NULL };
	struct alert_engine *e = alert_engine_new(NULL);
	struct alert_events evs = ALERT_EVENTS_INIT;
	struct alert_info info;

	(void)state;
	assert_int_equal(alert_eval(e, &r, "srv1", 1, "hot", 1000, &evs), 0);
	assert_int_equal(evs.n, 1);
	assert_int_equal(evs.v[0].kind, ALERT_EV_PENDING);
	assert_int_equal(evs.v[0].open, 1);
	assert_int_equal(evs.v[0].id, 1);
	assert_string_equal(evs.v[0].text, "hot");
	alert_events_reset(&evs);
	/* one millisecond short: still pending */
	assert_int_equal(alert_eval(e, &r, "srv1", 1, "hotter",
				    1000 + 5 * MIN - 1, &evs), 0);
	assert_int_equal(evs.n, 0);
	assert_int_equal(alert_get(e, "temp", "srv1", &info), 0);
	assert_int_equal(info.state, ALERT_PENDING);
	assert_string_equal(info.text, "hotter");
	assert_int_equal(alert_eval(e, &r, "srv1", 1, NULL, 1000 + 5 * MIN,
				    &evs), 0);
	assert_int_equal(evs.n, 2);
	assert_int_equal(evs.v[0].kind, ALERT_EV_FIRING);
	assert_int_equal(evs.v[0].open, 0);
	assert_int_equal(evs.v[0].started, 1000);
	assert_int_equal(evs.v[1].kind, ALERT_EV_NOTIFY);
	assert_int_equal(evs.v[1].notify, ALERT_NOTIFY_FIRING);
	assert_int_equal(evs.v[1].firing_since, 1000 + 5 * MIN);
	/* evaluating again does not notify again (de-duplication) */
	alert_events_reset(&evs);
	assert_int_equal(alert_eval(e, &r, "srv1", 1, NULL, 1000 + 6 * MIN,
				    &evs), 0);
	assert_int_equal(evs.n, 0);
	/* a subject never out of bounds costs nothing */
	assert_int_equal(alert_eval(e, &r, "srv2", 0, NULL, 1000, &evs), 0);
	assert_int_equal(alert_get(e, "temp", "srv2", &info), RP_ENOTFOUND);
	assert_int_equal(alert_count(e), 1);
	alert_events_release(&evs);
	alert_engine_free(e);
}

static void test_alert__flapping_hysteresis(void **state)
{
	/* a condition at the threshold, flapping every 3 s for an hour */
	struct alert_rule r = { "temp", ALERT_SEV_CRITICAL, 30 * S, 90 * S,
				0, NULL };
	struct wave w = { 10 * S, HOUR, 6 * S, 3 * S };
	struct alert_engine *e = alert_engine_new(NULL);
	struct alert_events evs = ALERT_EVENTS_INIT;
	size_t i;

	(void)state;
	run(e, &r, "srv1", &w, 0, HOUR + 10 * MIN, 1 * S, &evs);
	/* exactly: pending, firing, notify, resolved, notify */
	assert_int_equal(evs.n, 5);
	assert_int_equal(evs.v[0].kind, ALERT_EV_PENDING);
	assert_int_equal(evs.v[1].kind, ALERT_EV_FIRING);
	assert_int_equal(evs.v[2].notify, ALERT_NOTIFY_FIRING);
	assert_int_equal(evs.v[3].kind, ALERT_EV_RESOLVED);
	assert_int_equal(evs.v[4].notify, ALERT_NOTIFY_RESOLVED);
	for (i = 0; i < evs.n; i++)
		assert_int_equal(evs.v[i].id, 1);
	/* resolved clear_ms after the last true second */
	assert_true(evs.v[3].t >= HOUR - 3 * S + 90 * S - S);
	assert_true(evs.v[3].t <= HOUR + 90 * S);
	alert_events_release(&evs);
	alert_engine_free(e);
}

static void test_alert__repeat_times(void **state)
{
	struct alert_rule r = { "disk", ALERT_SEV_WARNING, 0, 0, 10 * MIN,
				&route3 };
	struct wave w = { 0, HOUR, 0, 0 };
	struct alert_engine *e = alert_engine_new(NULL);
	struct alert_events evs = ALERT_EVENTS_INIT;
	const struct alert_event *ev;

	(void)state;
	run(e, &r, "/srv", &w, 0, 12 * MIN, 1 * MIN, &evs);
	assert_int_equal(count(&evs, ALERT_EV_NOTIFY, ALERT_NOTIFY_REPEAT), 1);
	ev = nth(&evs, ALERT_EV_NOTIFY, ALERT_NOTIFY_REPEAT, 0);
	assert_int_equal(ev->t, 10 * MIN);
	assert_int_equal(ev->lo, 0);
	assert_int_equal(ev->hi, 0);
	alert_events_release(&evs);
	alert_engine_free(e);
}

static void test_alert__ack_stops_repeats_and_escalation(void **state)
{
	struct alert_rule r = { "temp", ALERT_SEV_CRITICAL, 0, 2 * MIN,
				5 * MIN, &route3 };
	struct wave w = { 0, 3 * HOUR, 0, 0 };
	struct alert_engine *e = alert_engine_new(NULL);
	struct alert_events evs = ALERT_EVENTS_INIT;
	struct alert_info info;
	const struct alert_event *ev;

	(void)state;
	run(e, &r, "srv1", &w, 0, 7 * MIN, 1 * MIN, &evs);
	assert_int_equal(count(&evs, ALERT_EV_NOTIFY, ALERT_NOTIFY_REPEAT), 1);
	alert_events_reset(&evs);
	assert_int_equal(alert_ack(e, 99, "julien", 7 * MIN, &evs),
			 RP_ENOTFOUND);
	assert_int_equal(alert_ack(e, 1, "", 7 * MIN, &evs), RP_EINVAL);
	assert_int_equal(alert_ack(e, 1, "julien", 7 * MIN + 30 * S, &evs), 0);
	assert_int_equal(evs.n, 1);
	assert_int_equal(evs.v[0].kind, ALERT_EV_ACK);
	assert_string_equal(evs.v[0].actor, "julien");
	alert_events_reset(&evs);
	run(e, &r, "srv1", &w, 8 * MIN, 4 * HOUR, 1 * MIN, &evs);
	/* no reminder, no escalation; the resolution still told */
	assert_int_equal(count(&evs, ALERT_EV_NOTIFY, ALERT_NOTIFY_REPEAT), 0);
	assert_int_equal(count(&evs, ALERT_EV_ESCALATE, 0), 0);
	assert_int_equal(count(&evs, ALERT_EV_NOTIFY, ALERT_NOTIFY_RESOLVED),
			 1);
	ev = nth(&evs, ALERT_EV_NOTIFY, ALERT_NOTIFY_RESOLVED, 0);
	assert_int_equal(ev->lo, 0);
	assert_int_equal(ev->hi, 0);
	assert_int_equal(alert_get(e, "temp", "srv1", &info), 0);
	assert_int_equal(info.state, ALERT_RESOLVED);
	assert_string_equal(info.acked_by, "julien");
	/* the ack was for that episode: a new one starts unacknowledged */
	alert_events_reset(&evs);
	assert_int_equal(alert_eval(e, &r, "srv1", 1, NULL, 5 * HOUR, &evs),
			 0);
	assert_int_equal(alert_get(e, "temp", "srv1", &info), 0);
	assert_int_equal(info.id, 2);
	assert_null(info.acked_by);
	alert_events_release(&evs);
	alert_engine_free(e);
}

static void test_alert__escalation_steps(void **state)
{
	struct alert_rule r = { "temp", ALERT_SEV_CRITICAL, 0, 0, 20 * MIN,
				&route3 };
	struct wave w = { 0, 3 * HOUR, 0, 0 };
	struct alert_engine *e = alert_engine_new(NULL);
	struct alert_events evs = ALERT_EVENTS_INIT;
	const struct alert_event *ev;

	(void)state;
	run(e, &r, "srv1", &w, 0, 2 * HOUR, 1 * MIN, &evs);
	/* step 1 after 15 min, step 2 after 30 more */
	ev = nth(&evs, ALERT_EV_ESCALATE, 0, 0);
	assert_int_equal(ev->t, 15 * MIN);
	assert_int_equal(ev->level, 1);
	ev = nth(&evs, ALERT_EV_NOTIFY, ALERT_NOTIFY_ESCALATE, 0);
	assert_int_equal(ev->lo, 1);
	assert_int_equal(ev->hi, 1);
	ev = nth(&evs, ALERT_EV_ESCALATE, 0, 1);
	assert_int_equal(ev->t, 45 * MIN);
	assert_int_equal(ev->level, 2);
	assert_int_equal(count(&evs, ALERT_EV_ESCALATE, 0), 2);
	/* reminders go to every step called so far, 20 min after the last
	 * notice */
	ev = nth(&evs, ALERT_EV_NOTIFY, ALERT_NOTIFY_REPEAT, 0);
	assert_int_equal(ev->t, 35 * MIN);
	assert_int_equal(ev->lo, 0);
	assert_int_equal(ev->hi, 1);
	ev = nth(&evs, ALERT_EV_NOTIFY, ALERT_NOTIFY_REPEAT, 1);
	assert_int_equal(ev->t, 65 * MIN);
	assert_int_equal(ev->hi, 2);
	alert_events_release(&evs);
	alert_engine_free(e);
}

static void test_alert__maintenance(void **state)
{
	struct alert_rule r = { "temp", ALERT_SEV_CRITICAL, 0, MIN, 0,
				&route3 };
	struct wave w = { 10 * MIN, 2 * HOUR, 0, 0 };
	struct wave blip = { 10 * MIN, 20 * MIN, 0, 0 };
	struct alert_engine *e = alert_engine_new(NULL);
	struct alert_events evs = ALERT_EVENTS_INIT;
	const struct alert_event *ev;
	int id;

	(void)state;
	assert_int_equal(alert_maintenance_add(e, HOUR, HOUR, NULL, NULL,
					       NULL), RP_EINVAL);
	assert_int_equal(alert_maintenance_add(e, 0, HOUR, "te*", "srv1",
					       &id), 0);
	assert_true(alert_in_maintenance(e, "temp", "srv1", 30 * MIN));
	assert_false(alert_in_maintenance(e, "temp", "srv2", 30 * MIN));
	assert_false(alert_in_maintenance(e, "disk", "srv1", 30 * MIN));
	assert_false(alert_in_maintenance(e, "temp", "srv1", HOUR));
	/* a short problem inside the window: recorded, nobody told */
	run(e, &r, "srv1", &blip, 0, 40 * MIN, 1 * MIN, &evs);
	assert_int_equal(count(&evs, ALERT_EV_FIRING, 0), 1);
	assert_int_equal(count(&evs, ALERT_EV_RESOLVED, 0), 1);
	assert_int_equal(count(&evs, ALERT_EV_NOTIFY, 0), 0);
	assert_int_equal(nth(&evs, ALERT_EV_FIRING, 0, 0)->suppressed,
			 ALERT_QUIET_MAINTENANCE);
	assert_int_equal(nth(&evs, ALERT_EV_RESOLVED, 0, 0)->suppressed,
			 ALERT_QUIET_MAINTENANCE);
	/* a problem that outlasts the window is told when it ends */
	alert_events_reset(&evs);
	run(e, &r, "srv1", &w, 41 * MIN, 70 * MIN, 1 * MIN, &evs);
	assert_int_equal(count(&evs, ALERT_EV_NOTIFY, 0), 1);
	ev = nth(&evs, ALERT_EV_NOTIFY, ALERT_NOTIFY_FIRING, 0);
	assert_int_equal(ev->t, HOUR);
	assert_int_equal(ev->firing_since, 41 * MIN);
	/* and the escalation clock starts then: step 1 at 60 + 15 min */
	alert_events_reset(&evs);
	run(e, &r, "srv1", &w, 71 * MIN, 74 * MIN, 1 * MIN, &evs);
	assert_int_equal(count(&evs, ALERT_EV_ESCALATE, 0), 0);
	run(e, &r, "srv1", &w, 75 * MIN, 75 * MIN, 1 * MIN, &evs);
	assert_int_equal(count(&evs, ALERT_EV_ESCALATE, 0), 1);
	assert_int_equal(alert_maintenance_remove(e, id), RP_ENOTFOUND);
	alert_events_release(&evs);
	alert_engine_free(e);
}

static void test_alert__flap_guard(void **state)
{
	/* a problem that comes back every 10 minutes for 2 minutes:
	 * beyond clear_ms, so each is an episode; after ALERT_FLAP_MAX
	 * firings within the hour nobody is told any more */
	struct alert_rule r = { "probe", ALERT_SEV_WARNING, 0, 30 * S, 0,
				NULL };
	struct wave w = { 0, 55 * MIN, 10 * MIN, 2 * MIN };
	struct alert_engine *e = alert_engine_new(NULL);
	struct alert_events evs = ALERT_EVENTS_INIT;
	size_t i;

	(void)state;
	run(e, &r, "https://paie", &w, 0, 60 * MIN, 10 * S, &evs);
	assert_int_equal(count(&evs, ALERT_EV_FIRING, 0), 6);
	assert_int_equal(count(&evs, ALERT_EV_NOTIFY, ALERT_NOTIFY_FIRING),
			 ALERT_FLAP_MAX);
	assert_int_equal(count(&evs, ALERT_EV_NOTIFY, ALERT_NOTIFY_RESOLVED),
			 ALERT_FLAP_MAX);
	for (i = ALERT_FLAP_MAX; i < 6; i++)
		assert_int_equal(nth(&evs, ALERT_EV_FIRING, 0, i)->suppressed,
				 ALERT_QUIET_FLAPPING);
	alert_events_release(&evs);
	alert_engine_free(e);
}

static void test_alert__invalid(void **state)
{
	struct alert_rule r = { "x", ALERT_SEV_INFO, -1, 0, 0, NULL };
	struct alert_rule noid = { NULL, ALERT_SEV_INFO, 0, 0, 0, NULL };
	struct alert_engine *e = alert_engine_new(NULL);

	(void)state;
	assert_int_equal(alert_eval(e, &r, "s", 1, NULL, 0, NULL), RP_EINVAL);
	assert_int_equal(alert_eval(e, &noid, "s", 1, NULL, 0, NULL),
			 RP_EINVAL);
	r.for_ms = 0;
	assert_int_equal(alert_eval(e, &r, NULL, 1, NULL, 0, NULL), RP_EINVAL);
	/* time going backwards is no time passing */
	r.for_ms = MIN;
	assert_int_equal(alert_eval(e, &r, "s", 1, NULL, HOUR, NULL), 0);
	assert_int_equal(alert_eval(e, &r, "s", 1, NULL, 0, NULL), 0);
	assert_int_equal(alert_eval(e, &r, "s", 1, NULL, HOUR + MIN, NULL), 0);
	alert_engine_free(e);
	alert_engine_free(NULL);
	assert_string_equal(alert_state_name(ALERT_FIRING), "firing");
	assert_string_equal(alert_severity_name(ALERT_SEV_CRITICAL),
			    "critical");
}

/* ---- the store ------------------------------------------------------- */

struct fake_store {
	int fail;
	int opens, records;
	int64_t next;
};

static int fake_open(void *arg, const struct alert_event *ev, int64_t *id)
{
	struct fake_store *f = arg;

	(void)ev;
	if (f->fail)
		return RP_ELOCKED;
	f->opens++;
	*id = f->next++;
	return 0;
}

static int fake_record(void *arg, const struct alert_event *ev)
{
	struct fake_store *f = arg;

	assert_true(ev->id >= 100);
	if (f->fail)
		return RP_ELOCKED;
	f->records++;
	return 0;
}

static void test_alert__store_failure_retried(void **state)
{
	struct fake_store f = { 0, 0, 0, 100 };
	struct alert_store st = { fake_open, fake_record, &f };
	struct alert_rule r = { "temp", ALERT_SEV_CRITICAL, MIN, MIN, 0,
				NULL };
	struct alert_engine *e = alert_engine_new(&st);
	struct alert_events evs = ALERT_EVENTS_INIT;
	struct alert_info info;

	(void)state;
	f.fail = 1;
	assert_int_equal(alert_eval(e, &r, "srv1", 1, NULL, 0, &evs),
			 RP_ELOCKED);
	assert_int_equal(evs.n, 0);
	assert_int_equal(alert_get(e, "temp", "srv1", &info), 0);
	assert_int_equal(info.state, ALERT_OK);
	f.fail = 0;
	assert_int_equal(alert_eval(e, &r, "srv1", 1, NULL, S, &evs), 0);
	assert_int_equal(evs.v[0].id, 100);
	f.fail = 1;
	assert_int_equal(alert_eval(e, &r, "srv1", 1, NULL, 2 * MIN, &evs),
			 RP_ELOCKED);
	assert_int_equal(alert_get(e, "temp", "srv1", &info), 0);
	assert_int_equal(info.state, ALERT_PENDING);
	f.fail = 0;
	alert_events_reset(&evs);
	assert_int_equal(alert_eval(e, &r, "srv1", 1, NULL, 2 * MIN + S, &evs),
			 0);
	assert_int_equal(evs.v[0].kind, ALERT_EV_FIRING);
	assert_int_equal(f.opens, 1);
	assert_int_equal(f.records, 1);
	alert_events_release(&evs);
	alert_engine_free(e);
}

static void test_alert__catalog(void **state)
{
	struct catalog *cat;
	struct alert_store st;
	struct alert_rule r = { "temp", ALERT_SEV_CRITICAL, MIN, MIN, 0,
				&route3 };
	struct wave w = { 0, 0, 0, 0 };
	struct alert_engine *e, *e2;
	struct alert_events evs = ALERT_EVENTS_INIT;
	struct catalog_alert_event *v = NULL;
	struct catalog_alert a;
	struct alert_info info;
	size_t n = 0;
	int64_t id;
	int64_t t0 = (int64_t)1767225600 * 1000;   /* 2026-01-01 */

	(void)state;
	w.from = t0;
	w.until = t0 + 3 * HOUR;
	assert_int_equal(catalog_open(":memory:", &cat), 0);
	alert_store_catalog(&st, cat);
	e = alert_engine_new(&st);
	run(e, &r, "srv1", &w, t0, t0 + 20 * MIN, MIN, &evs);
	assert_int_equal(catalog_alert_find(cat, "temp", "srv1", &a), 0);
	assert_int_equal(a.state, CATALOG_ALERT_FIRING);
	assert_int_equal(a.level, 1);
	assert_int_equal(a.started, t0 / 1000);
	assert_int_equal(evs.v[0].id, a.id);
	/* a restarted daemon finds the open alert again ... */
	e2 = alert_engine_new(&st);
	assert_int_equal(alert_engine_load(e2, cat), 0);
	assert_int_equal(alert_get(e2, "temp", "srv1", &info), 0);
	assert_int_equal(info.state, ALERT_FIRING);
	assert_int_equal(info.id, a.id);
	assert_int_equal(info.level, 1);
	/* ... and `reprise alert ack ID` (another process) is picked up */
	assert_int_equal(catalog_alert_ack(cat, a.id, "julien",
					   t0 / 1000 + 21 * 60, NULL), 0);
	assert_int_equal(alert_engine_sync(e2, cat), 0);
	assert_int_equal(alert_get(e2, "temp", "srv1", &info), 0);
	assert_string_equal(info.acked_by, "julien");
	alert_events_reset(&evs);
	run(e2, &r, "srv1", &w, t0 + 22 * MIN, t0 + 2 * HOUR, MIN, &evs);
	assert_int_equal(count(&evs, ALERT_EV_ESCALATE, 0), 0);
	w.until = 0;
	run(e2, &r, "srv1", &w, t0 + 2 * HOUR, t0 + 2 * HOUR + 2 * MIN, MIN,
	    &evs);
	id = a.id;
	catalog_alert_release(&a);
	assert_int_equal(catalog_alert_get(cat, id, &a), 0);
	assert_int_equal(a.state, CATALOG_ALERT_RESOLVED);
	/* every transition is in the catalog */
	assert_int_equal(catalog_alert_events(cat, id, &v, &n), 0);
	assert_int_equal(n, 5);
	assert_int_equal(v[0].kind, CATALOG_AEV_PENDING);
	assert_int_equal(v[1].kind, CATALOG_AEV_FIRING);
	assert_int_equal(v[2].kind, CATALOG_AEV_ESCALATE);
	assert_int_equal(v[3].kind, CATALOG_AEV_ACK);
	assert_int_equal(v[4].kind, CATALOG_AEV_RESOLVED);
	catalog_alert_event_list_free(v, n);
	catalog_alert_release(&a);
	alert_events_release(&evs);
	alert_engine_free(e);
	alert_engine_free(e2);
	catalog_close(cat);
}

static void test_alert__maintenance_parse(void **state)
{
	struct alert_window w;
	int64_t t = (int64_t)1772481600 * 1000;   /* 2026-03-02T20:00:00Z */

	(void)state;
	assert_int_equal(alert_maintenance_parse("2026-03-02T21:00:00+01:00/"
						 "2026-03-02T23:30:00+01:00",
						 &w), 0);
	assert_int_equal(w.start_ms, t);
	assert_int_equal(w.end_ms, t + 2 * HOUR + 30 * MIN);
	assert_null(w.subject_glob);
	assert_null(w.rule_glob);
	alert_window_release(&w);
	assert_int_equal(alert_maintenance_parse("2026-03-02T20:00:00Z/1h30m "
						 " srv* temp", &w), 0);
	assert_int_equal(w.end_ms, t + 90 * MIN);
	assert_string_equal(w.subject_glob, "srv*");
	assert_string_equal(w.rule_glob, "temp");
	alert_window_release(&w);
	assert_int_equal(alert_maintenance_parse("2026-03-02T20:00:00Z/3h *",
						 &w), 0);
	assert_null(w.subject_glob);
	alert_window_release(&w);
	assert_int_equal(alert_maintenance_parse("2026-03-02T20:00:00Z", &w),
			 RP_EFORMAT);
	assert_int_equal(alert_maintenance_parse("2026-03-02T20:00:00Z/"
						 "2026-03-02T19:00:00Z", &w),
			 RP_EFORMAT);
	assert_int_equal(alert_maintenance_parse("tonight/2h", &w),
			 RP_EFORMAT);
	assert_int_equal(alert_maintenance_parse("2026-03-02T20:00:00Z/2h a b "
						 "c", &w), RP_EFORMAT);
	assert_null(w.buf);
}

static void test_alert__ack_stored(void **state)
{
	struct catalog *cat;
	struct alert_store st;
	struct alert_rule r = { "temp", ALERT_SEV_CRITICAL, 0, 0, 0, NULL };
	struct alert_engine *e;
	struct alert_info info;
	int64_t t0 = (int64_t)1767225600 * 1000;

	(void)state;
	assert_int_equal(catalog_open(":memory:", &cat), 0);
	alert_store_catalog(&st, cat);
	e = alert_engine_new(&st);
	assert_int_equal(alert_eval(e, &r, "srv1", 1, NULL, t0, NULL), 0);
	assert_int_equal(alert_get(e, "temp", "srv1", &info), 0);
	assert_int_equal(alert_ack_stored(cat, info.id + 1, "julien", NULL,
					  t0 / 1000), RP_ENOTFOUND);
	assert_int_equal(alert_ack_stored(cat, info.id, "", NULL, t0 / 1000),
			 RP_EINVAL);
	assert_int_equal(alert_ack_stored(cat, info.id, "julien", "on it",
					  t0 / 1000 + 60), 0);
	assert_int_equal(alert_engine_sync(e, cat), 0);
	assert_int_equal(alert_get(e, "temp", "srv1", &info), 0);
	assert_string_equal(info.acked_by, "julien");
	assert_int_equal(info.acked_at, t0 + 60000);
	assert_int_equal(alert_eval(e, &r, "srv1", 0, NULL, t0 + MIN, NULL),
			 0);
	assert_int_equal(alert_ack_stored(cat, info.id, "julien", NULL,
					  t0 / 1000 + 120), RP_EINVAL);
	alert_engine_free(e);
	catalog_close(cat);
}

/* ---- routes from the plan -------------------------------------------- */

static const char plan_yaml[] =
	"version: 1\n"
	"language: fr\n"
	"company: { name: Test }\n"
	"people:\n"
	"  - { id: julien, name: Julien, roles: [it_referent],"
	" email: julien@example.org }\n"
	"  - { id: sophie, name: Sophie, roles: [it_deputy],"
	" email: sophie@example.org }\n"
	"  - { id: claire, name: Claire, roles: [director],"
	" email: claire@example.org }\n"
	"hosts:\n"
	"  - name: srv1\n"
	"    monitoring: { hwmon: yes, alert: [julien] }\n"
	"call_tree:\n"
	"  - { call: [julien, sophie], escalate_after: 10m }\n"
	"  - { call: [claire] }\n";

static void test_alert__route_from_plan(void **state)
{
	struct plan_errors errs = PLAN_ERRORS_INIT;
	struct alert_route r;
	struct plan *p;

	(void)state;
	assert_int_equal(plan_load_mem("t.yaml", plan_yaml,
				       sizeof(plan_yaml) - 1, &p, &errs), 0);
	assert_int_equal(alert_route_for_host(p, "srv1", &r), 0);
	assert_int_equal(r.n, 3);
	assert_int_equal(r.steps[0].n, 1);
	assert_string_equal(r.steps[0].people[0]->id, "julien");
	assert_int_equal(r.steps[0].escalate_after_ms, 10 * MIN);
	assert_int_equal(r.steps[1].n, 2);
	assert_int_equal(r.steps[2].escalate_after_ms, 15 * MIN);
	alert_route_release(&r);
	assert_int_equal(alert_route_for_host(p, "unknown", &r), 0);
	assert_int_equal(r.n, 2);
	assert_string_equal(r.steps[1].people[0]->id, "claire");
	alert_route_release(&r);
	plan_free(p);
	plan_errors_release(&errs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alert__table),
		cmocka_unit_test(test_alert__pending_then_firing_times),
		cmocka_unit_test(test_alert__flapping_hysteresis),
		cmocka_unit_test(test_alert__repeat_times),
		cmocka_unit_test(test_alert__ack_stops_repeats_and_escalation),
		cmocka_unit_test(test_alert__escalation_steps),
		cmocka_unit_test(test_alert__maintenance),
		cmocka_unit_test(test_alert__flap_guard),
		cmocka_unit_test(test_alert__invalid),
		cmocka_unit_test(test_alert__store_failure_retried),
		cmocka_unit_test(test_alert__catalog),
		cmocka_unit_test(test_alert__maintenance_parse),
		cmocka_unit_test(test_alert__ack_stored),
		cmocka_unit_test(test_alert__route_from_plan),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
