/*
 * test_notify_smtp: sends one real alert notification (e-mail and
 * webhooks) through notify_alert, for tests/integration/t5200-notify.sh,
 * which starts maildev and a webhook receiver on 127.0.0.1.
 *
 * Without REPRISE_TEST_SMTP_PORT it prints "# SKIP" and exits 0 (so
 * `make test`, which runs every build/tests/test_*, passes over it).
 * Environment:
 *   REPRISE_TEST_SMTP_PORT           maildev's SMTP port (required)
 *   REPRISE_TEST_SMTP_USER           AUTH user (optional)
 *   REPRISE_TEST_SMTP_PASSWORD_FILE  its password, first line of a file
 *   REPRISE_TEST_SMTP_TLS            none (default), auto or starttls
 *   REPRISE_TEST_WEBHOOK_URL         a webhook to POST to as well
 *   REPRISE_TEST_LANG                the plan's language: fr (default), en
 *   REPRISE_TEST_NOTIFY              firing (default), repeat, escalate or
 *                                    resolved: which notification
 *   REPRISE_TEST_EXPECT              ok (default): exit 0 when everything
 *                                    was sent; auth: exit 0 when the mail
 *                                    was refused for its login; fail: exit
 *                                    0 when the mail was not sent
 * Prints one line per attempt (channel, recipient, SENT or FAILED with
 * the reason), as recorded in an in-memory catalog.  No password is ever
 * printed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "alert/alert.h"
#include "catalog/catalog.h"
#include "notify/notify.h"
#include "plan/plan.h"
#include "util/err.h"

static const char plan_fr[] =
	"version: 1\n"
	"language: %s\n"
	"company: { name: RH Partenaires }\n"
	"people:\n"
	"  - { id: julien, name: Julien Roche, roles: [it_referent],"
	" email: julien@rh-partenaires.example }\n"
	"  - { id: sophie, name: Sophie Bernard, roles: [it_deputy],"
	" email: sophie@rh-partenaires.example }\n"
	"  - { id: claire, name: Claire Martin, roles: [director] }\n"
	"providers:\n"
	"  - name: nuagesud\n"
	"    full_name: NuageSud Hébergement\n"
	"    phone: \"+33 4 26 00 00 00\"\n"
	"    contract: { reference: NS-INFOG-2026-118, restore_time: 4h }\n"
	"hosts:\n"
	"  - name: srv1\n"
	"    provider: nuagesud\n"
	"    monitoring: { hwmon: yes, alert: [julien] }\n"
	"services:\n"
	"  - { name: paie, criticality: critical, rto: 4h, rpo: 1h,"
	" hosts: [srv1] }\n"
	"  - { name: dossiers-clients, criticality: high, rto: 1d, rpo: 4h,"
	" hosts: [srv1] }\n"
	"call_tree:\n"
	"  - { call: [julien, sophie, claire], escalate_after: 15m }\n";

static void short_sleep(void *arg, int64_t ms)
{
	(void)arg;
	usleep((useconds_t)(ms * 1000));
}

static enum notify_tls tls_of(const char *s)
{
	if (s && strcmp(s, "auto") == 0)
		return NOTIFY_TLS_AUTO;
	if (s && strcmp(s, "starttls") == 0)
		return NOTIFY_TLS_STARTTLS;
	return NOTIFY_TLS_NONE;
}

static struct plan *load(const char *lang)
{
	char text[sizeof(plan_fr) + 8];
	struct plan_errors errs = PLAN_ERRORS_INIT;
	struct plan *p = NULL;
	int n;

	n = snprintf(text, sizeof(text), plan_fr, lang);
	if (plan_load_mem("test-plan.yaml", text, (size_t)n, &p, &errs) < 0)
		fprintf(stderr, "test plan does not load (%zu errors)\n",
			errs.n);
	plan_errors_release(&errs);
	return p;
}

/* print_sent: what the catalog recorded, one line per attempt. */
static void print_sent(struct catalog *cat)
{
	struct catalog_notification *v = NULL;
	size_t i, n = 0;

	if (catalog_notification_list(cat, 0, 0, &v, &n) < 0)
		return;
	for (i = n; i-- > 0;)
		printf("%s %s %s%s%s\n", v[i].channel, v[i].recipient,
		       v[i].status == CATALOG_NOTIFY_SENT ? "SENT" : "FAILED",
		       v[i].error ? ": " : "", v[i].error ? v[i].error : "");
	catalog_notification_list_free(v, n);
}

static enum alert_notify_kind notify_of(const char *s)
{
	if (s && strcmp(s, "repeat") == 0)
		return ALERT_NOTIFY_REPEAT;
	if (s && strcmp(s, "escalate") == 0)
		return ALERT_NOTIFY_ESCALATE;
	if (s && strcmp(s, "resolved") == 0)
		return ALERT_NOTIFY_RESOLVED;
	return ALERT_NOTIFY_FIRING;
}

static struct alert_event the_event(int64_t now)
{
	struct alert_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.kind = ALERT_EV_NOTIFY;
	ev.notify = notify_of(getenv("REPRISE_TEST_NOTIFY"));
	ev.id = 7;
	ev.rule = "cpu-temp";
	ev.subject = "srv1";
	ev.severity = ALERT_SEV_CRITICAL;
	ev.started = now - 14 * 60000;
	ev.firing_since = now - 12 * 60000;
	ev.t = now;
	ev.lo = 0;          /* step 0 (julien) and step 1 (the call tree) */
	ev.hi = 1;
	if (ev.notify == ALERT_NOTIFY_ESCALATE) {
		ev.level = 1;
		ev.lo = 1;
	}
	return ev;
}

static struct notify_facts the_facts(void)
{
	struct notify_facts f = NOTIFY_FACTS_INIT;

	f.kind = NOTIFY_KIND_TEMPERATURE;
	f.host = "srv1";
	f.what = "CPU";
	f.value = 71;
	f.rate = 1.2;
	f.limit = 90;
	f.eta_s = 16 * 60;
	f.detail = "Ventilateur fan1 à 0 tr/min.";
	return f;
}

int main(void)
{
	const char *port = getenv("REPRISE_TEST_SMTP_PORT");
	const char *expect = getenv("REPRISE_TEST_EXPECT");
	const char *lang = getenv("REPRISE_TEST_LANG");
	const char *hook_url = getenv("REPRISE_TEST_WEBHOOK_URL");
	char url[64];
	struct notify_smtp smtp;
	struct notify_webhook hook = { "test-hook", hook_url, 5000 };
	struct notify_retry retry = { 4, 50, 400, short_sleep, NULL };
	struct notify_ctx c;
	struct alert_route route;
	struct alert_event ev;
	struct notify_facts facts = the_facts();
	struct plan *p;
	struct catalog *cat = NULL;
	int64_t now = (int64_t)time(NULL) * 1000;
	int rc;

	if (!port || !*port) {
		printf("# SKIP REPRISE_TEST_SMTP_PORT is not set "
		       "(tests/integration/t5200-notify.sh sets it)\n");
		return 0;
	}
	if (!(p = load(lang && *lang ? lang : "fr")))
		return 2;
	if (catalog_open(":memory:", &cat) < 0)
		return 2;
	snprintf(url, sizeof(url), "smtp://127.0.0.1:%s", port);
	memset(&smtp, 0, sizeof(smtp));
	smtp.url = url;
	smtp.tls = tls_of(getenv("REPRISE_TEST_SMTP_TLS"));
	smtp.user = getenv("REPRISE_TEST_SMTP_USER");
	smtp.password_file = getenv("REPRISE_TEST_SMTP_PASSWORD_FILE");
	smtp.from = "reprise@rh-partenaires.example";
	smtp.from_name = "reprise (RH Partenaires)";
	smtp.timeout_ms = 10000;
	memset(&c, 0, sizeof(c));
	c.plan = p;
	c.smtp = &smtp;
	c.hooks = &hook;
	c.nhooks = hook_url && *hook_url ? 1 : 0;
	c.retry = &retry;
	c.cat = cat;
	alert_route_for_host(p, "srv1", &route);
	ev = the_event(now);
	rc = notify_alert(&c, &route, &ev, &facts, now);
	print_sent(cat);
	printf("notify_alert: %d (%s)\n", rc, rc ? rp_strerror(rc) : "ok");
	if (smtp.user && smtp.password_file && (!expect ||
						strcmp(expect, "ok") == 0)) {
		/* the same through notify_email, for its return code */
		const char *to = "julien@rh-partenaires.example";

		rc = notify_email(&smtp, &to, 1, "[reprise] test AUTH",
				  "AUTH ok.\n", now, NULL);
		printf("notify_email with AUTH: %d\n", rc);
	} else if (expect && strcmp(expect, "auth") == 0) {
		const char *to = "julien@rh-partenaires.example";

		rc = notify_email(&smtp, &to, 1, "[reprise] refused",
				  "never delivered\n", now, NULL);
		printf("notify_email: %d (%s)\n", rc, rp_strerror(rc));
		rc = rc == RP_EAUTH ? 0 : 1;
		goto out;
	}
	if (expect && strcmp(expect, "fail") == 0)
		rc = rc < 0 ? 0 : 1;
	else
		rc = rc == 0 ? 0 : 1;
out:
	alert_route_release(&route);
	catalog_close(cat);
	plan_free(p);
	return rc;
}
