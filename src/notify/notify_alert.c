/*
 * notify_alert.c: one alert notification to everyone concerned, each
 * attempt recorded in the catalog (notify.h, end).
 */
#include "notify/notify.h"

#include <stdlib.h>
#include <string.h>

#include "catalog/catalog.h"
#include "plan/plan.h"
#include "util/err.h"
#include "util/i18n.h"
#include "util/log.h"
#include "util/xmalloc.h"

struct tally {
	int sent, failed;
};

static int alert_known(struct catalog *cat, int64_t id)
{
	struct catalog_alert a;

	if (catalog_alert_get(cat, id, &a) < 0)
		return 0;
	catalog_alert_release(&a);
	return 1;
}

static void record(const struct notify_ctx *c, const struct alert_event *ev,
		   const char *channel, const char *recipient,
		   const char *subject, int rc, const struct buf *err,
		   int64_t now_ms, struct tally *t)
{
	struct catalog_notification n;
	int64_t id;
	int r;

	if (rc < 0)
		t->failed++;
	else
		t->sent++;
	if (!c->cat)
		return;
	memset(&n, 0, sizeof(n));
	n.t = now_ms / 1000;
	n.alert = ev->id > 0 ? ev->id : 0;
	n.channel = channel;
	n.recipient = recipient;
	n.subject = subject;
	n.status = rc < 0 ? CATALOG_NOTIFY_FAILED : CATALOG_NOTIFY_SENT;
	n.error = rc < 0 ? (err->len ? (const char *)err->p :
			    rp_strerror(rc)) : NULL;
	if (n.alert && !alert_known(c->cat, n.alert))
		n.alert = 0;    /* an engine without the catalog store */
	r = catalog_notification_add(c->cat, &n, &id);
	if (r < 0)
		log_warn("cannot record the notification to %s: %s",
			 recipient, i18n_tr(rp_strerror(r)));
}

/* addresses: the distinct e-mail addresses of route steps lo..hi. */
static size_t addresses(const struct alert_route *route, int lo, int hi,
			const char ***out)
{
	const char **v = NULL;
	size_t n = 0, i, k;
	int s;

	for (s = lo < 0 ? 0 : lo; route && s <= hi && (size_t)s < route->n;
	     s++) {
		for (i = 0; i < route->steps[s].n; i++) {
			const struct plan_person *p = route->steps[s].people[i];

			if (!p->email) {
				log_warn("%s has no e-mail address: not told",
					 p->id);
				continue;
			}
			for (k = 0; k < n && strcmp(v[k], p->email); k++)
				;
			if (k < n)
				continue;
			v = xreallocarray(v, n + 1, sizeof(*v));
			v[n++] = p->email;
		}
	}
	*out = v;
	return n;
}

static void send_mails(const struct notify_ctx *c,
		       const struct alert_route *route,
		       const struct alert_event *ev, const char *subject,
		       const char *body, int64_t now_ms, struct tally *t)
{
	struct buf err = BUF_INIT;
	const char **to;
	size_t i, n;
	int rc;

	n = addresses(route, ev->lo, ev->hi, &to);
	for (i = 0; i < n; i++) {
		buf_reset(&err);
		rc = notify_email(c->smtp, &to[i], 1, subject, body, now_ms,
				  &err);
		record(c, ev, "smtp", to[i], subject, rc, &err, now_ms, t);
	}
	free(to);
	buf_release(&err);
}

static void send_hooks(const struct notify_ctx *c,
		       const struct alert_event *ev, const char *subject,
		       const char *body, int64_t now_ms, struct tally *t)
{
	struct buf json = BUF_INIT, err = BUF_INIT;
	size_t i;
	int rc;

	rc = notify_webhook_json(ev, subject, body, &json);
	for (i = 0; i < c->nhooks; i++) {
		buf_reset(&err);
		if (rc == 0)
			rc = notify_webhook(&c->hooks[i], buf_cstr(&json),
					    json.len, c->retry, NULL, &err);
		record(c, ev, "webhook", c->hooks[i].name, subject, rc, &err,
		       now_ms, t);
		if (rc != RP_ENOMEM)
			rc = 0;
	}
	buf_release(&json);
	buf_release(&err);
}

int notify_alert(const struct notify_ctx *c, const struct alert_route *route,
		 const struct alert_event *ev,
		 const struct notify_facts *facts, int64_t now_ms)
{
	struct buf subject = BUF_INIT, body = BUF_INIT;
	struct tally t = { 0, 0 };
	int rc;

	buf_init(&subject, 4096);
	buf_init(&body, NOTIFY_BODY_MAX);
	rc = notify_compose(notify_lang_of(c->plan), c->plan, ev, facts,
			    now_ms, &subject, &body);
	if (rc < 0)
		goto out;
	if (c->smtp)
		send_mails(c, route, ev, buf_cstr(&subject), buf_cstr(&body),
			   now_ms, &t);
	send_hooks(c, ev, buf_cstr(&subject), buf_cstr(&body), now_ms, &t);
	rc = t.failed == 0 && t.sent > 0 ? 0 : t.sent > 0 ? RP_EPARTIAL :
	     RP_EIO;
	if (t.sent == 0 && t.failed == 0)
		log_warn("alert %lld (%s on %s): nobody to tell (no e-mail "
			 "address on the route, no webhook)", (long long)ev->id,
			 ev->rule, ev->subject);
out:
	buf_release(&subject);
	buf_release(&body);
	return rc;
}
