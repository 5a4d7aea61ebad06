/*
 * alert_catalog.c: the store that writes every transition of the engine
 * to the catalog, and the way back after a restart (alert.h, end).
 * The engine counts in milliseconds, the catalog in seconds.
 */
#include "alert/alert.h"

#include <stdlib.h>
#include <string.h>

#include "catalog/catalog.h"
#include "util/err.h"
#include "util/i18n.h"
#include "util/log.h"

static int64_t to_s(int64_t ms)
{
	return ms / 1000;
}

static int cat_open(void *arg, const struct alert_event *ev, int64_t *id)
{
	struct catalog_alert a;

	memset(&a, 0, sizeof(a));
	a.rule = ev->rule;
	a.subject = ev->subject;
	a.message = ev->text;
	a.state = ev->kind == ALERT_EV_FIRING ? CATALOG_ALERT_FIRING :
		  CATALOG_ALERT_PENDING;
	a.started = to_s(ev->t);
	a.since = a.started;
	return catalog_alert_open(arg, &a, id);
}

static int cat_record(void *arg, const struct alert_event *ev)
{
	struct catalog *cat = arg;

	switch (ev->kind) {
	case ALERT_EV_FIRING:
		return catalog_alert_set_state(cat, ev->id,
					       CATALOG_ALERT_FIRING,
					       to_s(ev->t), ev->text);
	case ALERT_EV_RESOLVED:
		return catalog_alert_set_state(cat, ev->id,
					       CATALOG_ALERT_RESOLVED,
					       to_s(ev->t), NULL);
	case ALERT_EV_ESCALATE:
		return catalog_alert_escalate(cat, ev->id, ev->level,
					      to_s(ev->t));
	case ALERT_EV_ACK:
		return catalog_alert_ack(cat, ev->id, ev->actor, to_s(ev->t),
					 NULL);
	case ALERT_EV_PENDING:
	case ALERT_EV_NOTIFY:
		break;
	}
	return RP_EINTERNAL;
}

int alert_ack_stored(struct catalog *cat, int64_t id, const char *by,
		     const char *note, int64_t now)
{
	struct catalog_alert a;
	int rc;

	if (!by || !*by)
		return RP_EINVAL;
	if ((rc = catalog_alert_get(cat, id, &a)) < 0)
		return rc;
	rc = a.state == CATALOG_ALERT_RESOLVED ? RP_EINVAL : 0;
	catalog_alert_release(&a);
	return rc < 0 ? rc : catalog_alert_ack(cat, id, by, now, note);
}

void alert_store_catalog(struct alert_store *st, struct catalog *cat)
{
	st->open = cat_open;
	st->record = cat_record;
	st->arg = cat;
}

static int restore_one(struct alert_engine *e, const struct catalog_alert *a)
{
	struct alert_info in;
	int rc;

	memset(&in, 0, sizeof(in));
	in.rule = a->rule;
	in.subject = a->subject;
	in.text = a->message;
	in.state = a->state == CATALOG_ALERT_FIRING ? ALERT_FIRING :
		   ALERT_PENDING;
	in.id = a->id;
	in.started = a->started * 1000;
	in.since = (a->since ? a->since : a->started) * 1000;
	in.last_notified = a->last_notified * 1000;
	in.level = a->level;
	in.acked_by = a->acked_by;
	in.acked_at = a->acked_at * 1000;
	rc = alert_restore(e, &in);
	if (rc == RP_EEXIST)
		rc = 0;   /* already known to this engine */
	if (rc < 0)
		log_warn("cannot restore alert %lld (%s on %s): %s",
			 (long long)a->id, a->rule, a->subject,
			 i18n_tr(rp_strerror(rc)));
	return rc;
}

int alert_engine_load(struct alert_engine *e, struct catalog *cat)
{
	struct catalog_alert *v = NULL;
	size_t i, n = 0;
	int rc;

	rc = catalog_alert_list(cat, (1u << CATALOG_ALERT_PENDING) |
				(1u << CATALOG_ALERT_FIRING), 0, &v, &n);
	if (rc < 0)
		return rc;
	for (i = 0; i < n && rc == 0; i++)
		rc = restore_one(e, &v[i]);
	catalog_alert_list_free(v, n);
	return rc;
}

int alert_engine_sync(struct alert_engine *e, struct catalog *cat)
{
	struct alert_info info;
	struct catalog_alert a;
	size_t i;
	int rc;

	for (i = 0; alert_at(e, i, &info) == 0; i++) {
		if ((info.state != ALERT_PENDING &&
		     info.state != ALERT_FIRING) || info.acked_by)
			continue;
		rc = catalog_alert_get(cat, info.id, &a);
		if (rc == RP_ENOTFOUND)
			continue;
		if (rc < 0)
			return rc;
		if (a.acked_by)
			alert_note_ack(e, info.id, a.acked_by,
				       a.acked_at * 1000);
		catalog_alert_release(&a);
	}
	return 0;
}
