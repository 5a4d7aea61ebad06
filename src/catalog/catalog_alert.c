/*
 * catalog_alert: alerts (table alert), their timeline (table alert_event)
 * and the notifications sent about them (table notification).
 *
 * Every change of an alert row and its event are written in one
 * transaction, so the timeline always explains the row.  The catalog
 * enforces the life cycle (PENDING -> FIRING -> RESOLVED, RESOLVED final,
 * escalation levels only rise); deciding when to move is alert/'s job.
 */
#include "catalog/catalog.h"

#include <stdlib.h>
#include <string.h>

#include "catalog/catalog_internal.h"
#include "util/err.h"

/* indexed by enum catalog_alert_state and enum catalog_alert_event_kind */
static const char *const state_words[] = { NULL, "pending", "firing",
					   "resolved" };
static const char *const event_words[] = { NULL, "pending", "firing",
					   "resolved", "ack", "escalate" };
#define STATE_WORDS (sizeof(state_words) / sizeof(state_words[0]))
#define EVENT_WORDS (sizeof(event_words) / sizeof(event_words[0]))

#define ALERT_COLS                                                     \
	"id, rule, subject, message, state, started, since, last_notified, " \
	"level, acked_by, acked_at"

static int event_insert(struct catalog *cat, int64_t alert, int64_t t,
			enum catalog_alert_event_kind kind, int level,
			const char *actor, const char *note)
{
	static const char sql[] =
		"INSERT INTO alert_event (alert, t, kind, level, actor, note)\n"
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
	struct cat_q q;

	q_open(&q, cat, sql);
	q_int(&q, alert);
	q_int(&q, t);
	q_text(&q, event_words[kind]);
	q_int(&q, level);
	q_text(&q, actor);
	q_text(&q, note);
	return q_insert(&q, NULL);
}

static int alert_insert(struct catalog *cat, const struct catalog_alert *a,
			int64_t *id)
{
	static const char sql[] =
		"INSERT INTO alert (rule, subject, message, state, started,\n"
		"  since) VALUES (?1, ?2, ?3, ?4, ?5, ?5)";
	struct cat_q q;

	q_open(&q, cat, sql);
	q_text(&q, a->rule);
	q_text(&q, a->subject);
	q_text(&q, a->message);
	q_text(&q, state_words[a->state]);
	q_int(&q, a->started);
	return q_insert(&q, id);
}

int catalog_alert_open(struct catalog *cat, const struct catalog_alert *a,
		       int64_t *id)
{
	int64_t aid = 0;
	int rc;

	if (!a->rule || !a->subject || a->started <= 0 ||
	    (a->state != CATALOG_ALERT_PENDING &&
	     a->state != CATALOG_ALERT_FIRING))
		return RP_EINVAL;
	if ((rc = cat_op_begin(cat)) < 0)
		return rc;
	if ((rc = alert_insert(cat, a, &aid)) == 0)
		rc = event_insert(cat, aid, a->started,
				  (enum catalog_alert_event_kind)a->state, 0,
				  NULL, a->message);
	if ((rc = cat_op_end(cat, rc)) == 0 && id)
		*id = aid;
	return rc;
}

/* alert_state: the state and level of alert id.  0, RP_ENOTFOUND. */
static int alert_state(struct catalog *cat, int64_t id,
		       enum catalog_alert_state *state, int *level)
{
	static const char sql[] =
		"SELECT state, level FROM alert WHERE id = ?1";
	struct cat_q q;
	char *word = NULL;
	int rc, w;

	q_open(&q, cat, sql);
	q_int(&q, id);
	if ((rc = q_step(&q)) > 0) {
		word = q_col_text(&q, 0);
		*level = (int)q_col_int(&q, 1);
	}
	rc = q_close(&q, rc < 0 ? rc : rc == 0 ? RP_ENOTFOUND : 0);
	w = cat_word_find(state_words, STATE_WORDS, word);
	*state = w < 0 ? CATALOG_ALERT_RESOLVED : (enum catalog_alert_state)w;
	free(word);
	return rc;
}

static int transition_ok(enum catalog_alert_state from,
			 enum catalog_alert_state to)
{
	return (from == CATALOG_ALERT_PENDING &&
		(to == CATALOG_ALERT_FIRING || to == CATALOG_ALERT_RESOLVED)) ||
	       (from == CATALOG_ALERT_FIRING && to == CATALOG_ALERT_RESOLVED);
}

static int alert_update_state(struct catalog *cat, int64_t id,
			      enum catalog_alert_state state, int64_t t,
			      const char *message)
{
	static const char sql[] =
		"UPDATE alert SET state = ?2, since = ?3,\n"
		"  message = coalesce(?4, message) WHERE id = ?1";
	struct cat_q q;

	q_open(&q, cat, sql);
	q_int(&q, id);
	q_text(&q, state_words[state]);
	q_int(&q, t);
	q_text(&q, message);
	return q_exec(&q, NULL);
}

int catalog_alert_set_state(struct catalog *cat, int64_t id,
			    enum catalog_alert_state state, int64_t t,
			    const char *message)
{
	enum catalog_alert_state cur;
	int level, rc;

	if (t <= 0)
		return RP_EINVAL;
	if ((rc = cat_op_begin(cat)) < 0)
		return rc;
	rc = alert_state(cat, id, &cur, &level);
	if (rc == 0 && !transition_ok(cur, state))
		rc = RP_EINVAL;
	if (rc == 0)
		rc = alert_update_state(cat, id, state, t, message);
	if (rc == 0)
		rc = event_insert(cat, id, t,
				  (enum catalog_alert_event_kind)state, level,
				  NULL, message);
	return cat_op_end(cat, rc);
}

static int alert_update_ack(struct catalog *cat, int64_t id, const char *by,
			    int64_t t)
{
	static const char sql[] =
		"UPDATE alert SET acked_by = ?2, acked_at = ?3 WHERE id = ?1";
	struct cat_q q;
	int64_t changed = 0;
	int rc;

	q_open(&q, cat, sql);
	q_int(&q, id);
	q_text(&q, by);
	q_int(&q, t);
	rc = q_exec(&q, &changed);
	return rc == 0 && changed == 0 ? RP_ENOTFOUND : rc;
}

int catalog_alert_ack(struct catalog *cat, int64_t id, const char *by,
		      int64_t t, const char *note)
{
	int rc;

	if (!by || t <= 0)
		return RP_EINVAL;
	if ((rc = cat_op_begin(cat)) < 0)
		return rc;
	if ((rc = alert_update_ack(cat, id, by, t)) == 0)
		rc = event_insert(cat, id, t, CATALOG_AEV_ACK, 0, by, note);
	return cat_op_end(cat, rc);
}

static int alert_update_level(struct catalog *cat, int64_t id, int level)
{
	static const char sql[] = "UPDATE alert SET level = ?2 WHERE id = ?1";
	struct cat_q q;

	q_open(&q, cat, sql);
	q_int(&q, id);
	q_int(&q, level);
	return q_exec(&q, NULL);
}

int catalog_alert_escalate(struct catalog *cat, int64_t id, int level,
			   int64_t t)
{
	enum catalog_alert_state state;
	int cur, rc;

	if (t <= 0)
		return RP_EINVAL;
	if ((rc = cat_op_begin(cat)) < 0)
		return rc;
	rc = alert_state(cat, id, &state, &cur);
	if (rc == 0 && (level <= cur || state == CATALOG_ALERT_RESOLVED))
		rc = RP_EINVAL;
	if (rc == 0)
		rc = alert_update_level(cat, id, level);
	if (rc == 0)
		rc = event_insert(cat, id, t, CATALOG_AEV_ESCALATE, level,
				  NULL, NULL);
	return cat_op_end(cat, rc);
}

static void alert_row(struct cat_q *q, void *elem)
{
	struct catalog_alert *a = elem;
	char *state = q_col_text(q, 4);
	int w = cat_word_find(state_words, STATE_WORDS, state);

	a->id = q_col_int(q, 0);
	a->rule = q_col_text(q, 1);
	a->subject = q_col_text(q, 2);
	a->message = q_col_text(q, 3);
	a->state = w < 0 ? CATALOG_ALERT_RESOLVED : (enum catalog_alert_state)w;
	a->started = q_col_int(q, 5);
	a->since = q_col_int(q, 6);
	a->last_notified = q_col_int(q, 7);
	a->level = (int)q_col_int(q, 8);
	a->acked_by = q_col_text(q, 9);
	a->acked_at = q_col_int(q, 10);
	free(state);
}

void catalog_alert_release(struct catalog_alert *a)
{
	cat_free_text(&a->rule);
	cat_free_text(&a->subject);
	cat_free_text(&a->message);
	cat_free_text(&a->acked_by);
	memset(a, 0, sizeof(*a));
}

static void alert_release(void *elem)
{
	catalog_alert_release(elem);
}

void catalog_alert_list_free(struct catalog_alert *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		catalog_alert_release(&v[i]);
	free(v);
}

int catalog_alert_get(struct catalog *cat, int64_t id,
		      struct catalog_alert *out)
{
	static const char sql[] =
		"SELECT " ALERT_COLS " FROM alert WHERE id = ?1";
	struct cat_q q;

	q_open(&q, cat, sql);
	q_int(&q, id);
	return cat_one(&q, sizeof(*out), alert_row, out);
}

int catalog_alert_find(struct catalog *cat, const char *rule,
		       const char *subject, struct catalog_alert *out)
{
	static const char sql[] =
		"SELECT " ALERT_COLS " FROM alert\n"
		"WHERE rule = ?1 AND subject = ?2 AND state <> 'resolved'";
	struct cat_q q;

	q_open(&q, cat, sql);
	q_text(&q, rule);
	q_text(&q, subject);
	return cat_one(&q, sizeof(*out), alert_row, out);
}

int catalog_alert_list(struct catalog *cat, unsigned states, size_t limit,
		       struct catalog_alert **out, size_t *n)
{
	static const char sql[] =
		"SELECT " ALERT_COLS " FROM alert\n"
		"WHERE state IN (?1, ?2, ?3)\n"
		"ORDER BY started DESC, id DESC LIMIT ?4";
	struct cat_q q;
	void *v;
	int rc;

	q_open(&q, cat, sql);
	for (size_t i = 1; i < STATE_WORDS; i++)
		q_text(&q, !states || (states & (1u << i)) ? state_words[i] :
							      NULL);
	q_limit(&q, limit);
	rc = cat_collect(&q, sizeof(**out), alert_row, alert_release, &v, n);
	*out = v;
	return rc;
}

static void event_row(struct cat_q *q, void *elem)
{
	struct catalog_alert_event *e = elem;
	char *kind = q_col_text(q, 3);
	int w = cat_word_find(event_words, EVENT_WORDS, kind);

	e->id = q_col_int(q, 0);
	e->alert = q_col_int(q, 1);
	e->t = q_col_int(q, 2);
	e->kind = w < 0 ? CATALOG_AEV_RESOLVED :
			  (enum catalog_alert_event_kind)w;
	e->level = (int)q_col_int(q, 4);
	e->actor = q_col_text(q, 5);
	e->note = q_col_text(q, 6);
	free(kind);
}

static void event_release(void *elem)
{
	struct catalog_alert_event *e = elem;

	cat_free_text(&e->actor);
	cat_free_text(&e->note);
}

void catalog_alert_event_list_free(struct catalog_alert_event *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		event_release(&v[i]);
	free(v);
}

int catalog_alert_events(struct catalog *cat, int64_t id,
			 struct catalog_alert_event **out, size_t *n)
{
	static const char sql[] =
		"SELECT id, alert, t, kind, level, actor, note\n"
		"FROM alert_event WHERE alert = ?1 ORDER BY t, id";
	struct cat_q q;
	void *v;
	int rc;

	q_open(&q, cat, sql);
	q_int(&q, id);
	rc = cat_collect(&q, sizeof(**out), event_row, event_release, &v, n);
	*out = v;
	return rc;
}

/* ---- Notifications ---------------------------------------------------- */

/* indexed by enum catalog_notify_status */
static const char *const notify_words[] = { NULL, "sent", "failed" };
#define NOTIFY_WORDS (sizeof(notify_words) / sizeof(notify_words[0]))

static int notification_insert(struct catalog *cat,
			       const struct catalog_notification *n,
			       int64_t *id)
{
	static const char sql[] =
		"INSERT INTO notification (t, alert, channel, recipient,\n"
		"  subject, status, error) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
	struct cat_q q;

	q_open(&q, cat, sql);
	q_int(&q, n->t);
	q_time(&q, n->alert);
	q_text(&q, n->channel);
	q_text(&q, n->recipient);
	q_text(&q, n->subject);
	q_text(&q, notify_words[n->status]);
	q_text(&q, n->error);
	return q_insert(&q, id);
}

static int alert_notified(struct catalog *cat, int64_t id, int64_t t)
{
	static const char sql[] =
		"UPDATE alert SET last_notified =\n"
		"  max(coalesce(last_notified, ?2), ?2) WHERE id = ?1";
	struct cat_q q;

	q_open(&q, cat, sql);
	q_int(&q, id);
	q_int(&q, t);
	return q_exec(&q, NULL);
}

int catalog_notification_add(struct catalog *cat,
			     const struct catalog_notification *n,
			     int64_t *id)
{
	int rc;

	if (n->t <= 0 || n->alert < 0 || !n->channel || !n->recipient ||
	    (n->status != CATALOG_NOTIFY_SENT &&
	     n->status != CATALOG_NOTIFY_FAILED))
		return RP_EINVAL;
	if ((rc = cat_op_begin(cat)) < 0)
		return rc;
	rc = notification_insert(cat, n, id);
	if (rc == 0 && n->alert && n->status == CATALOG_NOTIFY_SENT)
		rc = alert_notified(cat, n->alert, n->t);
	return cat_op_end(cat, rc);
}

static void notification_row(struct cat_q *q, void *elem)
{
	struct catalog_notification *n = elem;
	char *status = q_col_text(q, 6);
	int w = cat_word_find(notify_words, NOTIFY_WORDS, status);

	n->id = q_col_int(q, 0);
	n->t = q_col_int(q, 1);
	n->alert = q_col_int(q, 2);
	n->channel = q_col_text(q, 3);
	n->recipient = q_col_text(q, 4);
	n->subject = q_col_text(q, 5);
	n->status = w < 0 ? CATALOG_NOTIFY_FAILED :
			    (enum catalog_notify_status)w;
	n->error = q_col_text(q, 7);
	free(status);
}

static void notification_release(void *elem)
{
	struct catalog_notification *n = elem;

	cat_free_text(&n->channel);
	cat_free_text(&n->recipient);
	cat_free_text(&n->subject);
	cat_free_text(&n->error);
}

void catalog_notification_list_free(struct catalog_notification *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		notification_release(&v[i]);
	free(v);
}

int catalog_notification_list(struct catalog *cat, int64_t alert,
			      size_t limit,
			      struct catalog_notification **out, size_t *n)
{
	static const char sql[] =
		"SELECT id, t, alert, channel, recipient, subject, status,\n"
		"  error FROM notification WHERE ?1 = 0 OR alert = ?1\n"
		"ORDER BY t DESC, id DESC LIMIT ?2";
	struct cat_q q;
	void *v;
	int rc;

	q_open(&q, cat, sql);
	q_int(&q, alert);
	q_limit(&q, limit);
	rc = cat_collect(&q, sizeof(**out), notification_row,
			 notification_release, &v, n);
	*out = v;
	return rc;
}
