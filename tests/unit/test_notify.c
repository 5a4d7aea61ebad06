/*
 * test_notify: message composition in French and English, the RFC 5322
 * message (RFC 2047 subject, quoted-printable body, CRLF), secrets, the
 * webhook JSON and its retries against an in-process HTTP server
 * (libmicrohttpd), and SMTP errors that must not leak the password.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>

#include <cmocka.h>

#include "alert/alert.h"
#include "catalog/catalog.h"
#include "notify/notify.h"
#include "plan/plan.h"
#include "util/err.h"
#include "util/gostr.h"
#include "util/log.h"

#define MIN ((int64_t)60000)

static const char plan_yaml[] =
	"version: 1\n"
	"language: LANG\n"
	"company: { name: RH Partenaires }\n"
	"people:\n"
	"  - { id: julien, name: Julien, roles: [it_referent],"
	" email: julien@example.org }\n"
	"  - { id: sophie, name: Sophie, roles: [it_deputy] }\n"
	"providers:\n"
	"  - name: nuagesud\n"
	"    full_name: NuageSud Hébergement\n"
	"    phone: \"+33 4 26 00 00 00\"\n"
	"    contract: { reference: NS-118, restore_time: 4h }\n"
	"hosts:\n"
	"  - name: srv1\n"
	"    provider: nuagesud\n"
	"    monitoring: { hwmon: yes, alert: [julien] }\n"
	"services:\n"
	"  - { name: dossiers-clients, criticality: high, rto: 1d, rpo: 4h,"
	" hosts: [srv1] }\n"
	"  - { name: paie, criticality: critical, rto: 4h, rpo: 1h,"
	" hosts: [srv1] }\n"
	"call_tree:\n"
	"  - { call: [julien, sophie] }\n";

static struct plan *load_plan(const char *lang)
{
	char text[sizeof(plan_yaml) + 8];
	const char *at = strstr(plan_yaml, "LANG");
	struct plan_errors errs = PLAN_ERRORS_INIT;
	struct plan *p = NULL;
	int n;

	n = snprintf(text, sizeof(text), "%.*s%s%s", (int)(at - plan_yaml),
		     plan_yaml, lang, at + 4);
	assert_int_equal(plan_load_mem("t.yaml", text, (size_t)n, &p, &errs),
			 0);
	plan_errors_release(&errs);
	return p;
}

/* 2026-03-02 08:00:00 UTC, a Monday morning */
static const int64_t T0 = (int64_t)1772438400 * 1000;

static struct alert_event firing_event(void)
{
	struct alert_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.kind = ALERT_EV_NOTIFY;
	ev.notify = ALERT_NOTIFY_FIRING;
	ev.id = 42;
	ev.rule = "cpu-temp";
	ev.subject = "srv1";
	ev.text = "CPU at 71 C";
	ev.severity = ALERT_SEV_CRITICAL;
	ev.started = T0;
	ev.firing_since = T0;
	ev.t = T0 + 12 * MIN;
	ev.lo = 0;
	ev.hi = 0;
	return ev;
}

static struct notify_facts temp_facts(void)
{
	struct notify_facts f = NOTIFY_FACTS_INIT;

	f.kind = NOTIFY_KIND_TEMPERATURE;
	f.host = "srv1";
	f.what = "CPU";
	f.value = 71;
	f.rate = 1.2;
	f.limit = 90;
	f.eta_s = 16 * 60;
	return f;
}

#define assert_has(hay, needle)                                          \
	do {                                                             \
		if (!strstr((hay), (needle)))                            \
			fail_msg("missing \"%s\" in:\n%s", (needle), (hay)); \
	} while (0)

static void test_notify__compose_fr(void **state)
{
	struct plan *p = load_plan("fr");
	struct alert_event ev = firing_event();
	struct notify_facts f = temp_facts();
	struct buf subj = BUF_INIT, body = BUF_INIT;
	const char *b;

	(void)state;
	assert_int_equal(notify_lang_of(p), NOTIFY_LANG_FR);
	assert_int_equal(notify_compose(NOTIFY_LANG_FR, p, &ev, &f,
					T0 + 12 * MIN, &subj, &body), 0);
	assert_string_equal(buf_cstr(&subj),
			    "[reprise] CRITIQUE : le serveur srv1 chauffe");
	b = buf_cstr(&body);
	assert_has(b, "Le serveur srv1 chauffe : CPU à 71 °C, +1,2 °C/min ; "
		   "critique (90 °C) dans environ 16 min.");
	assert_has(b, "Depuis : 2026-03-02 08:00 +0000 (il y a 12 min).");
	/* the most critical service first */
	assert_has(b, "Services touchés : paie (critique, RTO 4h), "
		   "dossiers-clients (élevée, RTO 1d).");
	assert_has(b, "Ce que cela signifie : si rien n'est fait");
	assert_has(b, "À faire :\n - vérifier la ventilation");
	assert_has(b, " - appeler l'hébergeur NuageSud Hébergement "
		   "(+33 4 26 00 00 00), contrat NS-118 (rétablissement "
		   "garanti en 4h) ;");
	assert_has(b, "reprise alert ack 42");
	assert_has(b, "Alerte n° 42 : règle cpu-temp, sujet srv1, gravité "
		   "critique.");
	buf_release(&subj);
	buf_release(&body);
	plan_free(p);
}

static void test_notify__compose_en(void **state)
{
	struct plan *p = load_plan("en");
	struct alert_event ev = firing_event();
	struct notify_facts f = temp_facts();
	struct buf subj = BUF_INIT, body = BUF_INIT;
	const char *b;

	(void)state;
	assert_int_equal(notify_lang_of(p), NOTIFY_LANG_EN);
	assert_int_equal(notify_compose(notify_lang_of(p), p, &ev, &f,
					T0 + 90 * MIN, &subj, &body), 0);
	assert_string_equal(buf_cstr(&subj),
			    "[reprise] CRITICAL: server srv1 is overheating");
	b = buf_cstr(&body);
	assert_has(b, "Server srv1 is overheating: CPU at 71 °C, +1.2 °C/min; "
		   "critical (90 °C) in about 16 min.");
	assert_has(b, "Since: 2026-03-02 08:00 +0000 (1 h 30 min ago).");
	assert_has(b, "Affected services: paie (critical, RTO 4h), "
		   "dossiers-clients (high, RTO 1d).");
	assert_has(b, "What to do:\n - check the fans");
	assert_has(b, "call the provider NuageSud Hébergement (+33 4 26 00 00 "
		   "00), contract NS-118 (guaranteed restore within 4h);");
	assert_has(b, "acknowledge (stops reminders and escalation): reprise "
		   "alert ack 42");
	buf_release(&subj);
	buf_release(&body);
	plan_free(p);
}

static void test_notify__compose_kinds(void **state)
{
	struct plan *p = load_plan("fr");
	struct alert_event ev = firing_event();
	struct notify_facts f = NOTIFY_FACTS_INIT;
	struct buf subj = BUF_INIT, body = BUF_INIT;

	(void)state;
	/* a reminder, then an escalation, then the resolution */
	ev.notify = ALERT_NOTIFY_REPEAT;
	f.kind = NOTIFY_KIND_DISK_SPACE;
	f.host = "srv1";
	f.what = "/srv";
	f.unit = "%";
	f.value = 93.5;
	assert_int_equal(notify_compose(NOTIFY_LANG_FR, p, &ev, &f, ev.t,
					&subj, &body), 0);
	assert_string_equal(buf_cstr(&subj), "[reprise] RAPPEL \xe2\x80\x94 "
			    "CRITIQUE : le disque /srv de srv1 se remplit");
	assert_has(buf_cstr(&body), "Rappel : l'alerte est toujours active");
	assert_has(buf_cstr(&body), ": /srv à 93,5 %.");
	buf_reset(&subj);
	buf_reset(&body);
	ev.notify = ALERT_NOTIFY_ESCALATE;
	ev.level = 1;
	assert_int_equal(notify_compose(NOTIFY_LANG_EN, p, &ev, &f, ev.t,
					&subj, &body), 0);
	assert_has(buf_cstr(&subj), "[reprise] ESCALATION \xe2\x80\x94 "
		   "CRITICAL: disk /srv on srv1 is filling up");
	assert_has(buf_cstr(&body), "goes to step 2 of the call tree");
	buf_reset(&subj);
	buf_reset(&body);
	ev.notify = ALERT_NOTIFY_RESOLVED;
	ev.t = T0 + 2 * 60 * MIN + 5 * MIN;
	assert_int_equal(notify_compose(NOTIFY_LANG_FR, p, &ev, &f, ev.t,
					&subj, &body), 0);
	assert_string_equal(buf_cstr(&subj), "[reprise] RÉSOLU : le disque "
			    "/srv de srv1 se remplit");
	assert_has(buf_cstr(&body), "Durée : 2 h 5 min (du 2026-03-02 08:00 "
		   "+0000 au 2026-03-02 10:05 +0000).");
	/* no plan, no facts: the rule, the subject and the text */
	buf_reset(&subj);
	buf_reset(&body);
	ev = firing_event();
	assert_int_equal(notify_compose(NOTIFY_LANG_EN, NULL, &ev, NULL, ev.t,
					&subj, &body), 0);
	assert_string_equal(buf_cstr(&subj),
			    "[reprise] CRITICAL: cpu-temp on srv1");
	assert_has(buf_cstr(&body), "Cpu-temp on srv1. CPU at 71 C\n");
	buf_release(&subj);
	buf_release(&body);
	plan_free(p);
}

static void dec_is(double v, int digits, enum notify_lang l, int sign,
		   const char *want)
{
	struct buf b = BUF_INIT;

	assert_int_equal(notify_fmt_decimal(&b, v, digits, l, sign), 0);
	assert_string_equal(buf_cstr(&b), want);
	buf_release(&b);
}

static void test_notify__decimal(void **state)
{
	(void)state;
	dec_is(1.25, 1, NOTIFY_LANG_FR, 0, "1,3");
	dec_is(1.25, 1, NOTIFY_LANG_EN, 1, "+1.3");
	dec_is(-0.04, 1, NOTIFY_LANG_EN, 1, "0.0");
	dec_is(-2.5, 2, NOTIFY_LANG_FR, 1, "-2,50");
	dec_is(71, 0, NOTIFY_LANG_FR, 0, "71");
	dec_is(__builtin_nan(""), 1, NOTIFY_LANG_FR, 0, "-");
}

/* ---- the message ----------------------------------------------------- */

/* decode_words: the text of a header value made of encoded-words. */
static void decode_words(const char *v, struct buf *out)
{
	const char *p = v, *q;

	while ((p = strstr(p, "=?UTF-8?B?"))) {
		p += 10;
		q = strstr(p, "?=");
		assert_non_null(q);
		assert_true(q - p + 12 <= 75);
		assert_int_equal(gostr_base64_decode(out, p, (size_t)(q - p)),
				 0);
		p = q + 2;
	}
}

static void test_notify__rfc2047(void **state)
{
	struct buf b = BUF_INIT, d = BUF_INIT;
	const char *s = "[reprise] CRITIQUE : le serveur srv1 chauffe à 71 °C, "
			"les données des clients sont en danger — ÉCRIRE";

	(void)state;
	assert_int_equal(notify_rfc2047(&b, "plain subject"), 0);
	assert_string_equal(buf_cstr(&b), "plain subject");
	buf_reset(&b);
	assert_int_equal(notify_rfc2047(&b, s), 0);
	assert_null(strchr(buf_cstr(&b), 0xc3));   /* 7-bit only */
	assert_non_null(strstr(buf_cstr(&b), "?=\r\n =?UTF-8?B?"));
	decode_words(buf_cstr(&b), &d);
	assert_string_equal(buf_cstr(&d), s);
	buf_release(&b);
	buf_release(&d);
}

static void test_notify__qp(void **state)
{
	struct buf b = BUF_INIT;
	char line[300];
	const char *p, *e;

	(void)state;
	assert_int_equal(notify_qp(&b, "café = 5 €\n.dot\nFrom me \n", 27),
			 0);
	assert_string_equal(buf_cstr(&b), "caf=C3=A9 =3D 5 =E2=82=AC\r\n"
			    "=2Edot\r\n=46rom me=20\r\n");
	buf_reset(&b);
	memset(line, 'a', sizeof(line));
	memcpy(line + 70, "ééé", 6);
	assert_int_equal(notify_qp(&b, line, sizeof(line)), 0);
	/* every line at most 76 characters, soft breaks between tokens */
	for (p = buf_cstr(&b); (e = strstr(p, "\r\n")); p = e + 2)
		assert_true(e - p <= 76);
	assert_non_null(strstr(buf_cstr(&b), "=\r\n"));
	buf_release(&b);
}

static void test_notify__mail_build(void **state)
{
	const char *to[] = { "julien@example.org", "sophie@example.org" };
	struct notify_mail m;
	struct buf b = BUF_INIT;
	const char *s;
	size_t i;

	(void)state;
	memset(&m, 0, sizeof(m));
	m.from = "reprise@rh-partenaires.example";
	m.from_name = "reprise (RH Partenaires)";
	m.to = to;
	m.nto = 2;
	m.subject = "[reprise] CRITIQUE : le serveur srv1 chauffe à 71 °C";
	m.body = "Ligne 1\nLigne 2 accentuée\n";
	m.date = 1772438400;
	assert_int_equal(notify_mail_build(&m, &b), 0);
	s = buf_cstr(&b);
	assert_has(s, "Date: Mon, 02 Mar 2026 08:00:00 +0000\r\n");
	assert_has(s, "From: \"reprise (RH Partenaires)\" "
		   "<reprise@rh-partenaires.example>\r\n");
	assert_has(s, "To: <julien@example.org>,\r\n <sophie@example.org>\r\n");
	assert_has(s, "Subject: =?UTF-8?B?");
	assert_has(s, "Message-ID: <1772438400.");
	assert_has(s, "@rh-partenaires.example>\r\n");
	assert_has(s, "MIME-Version: 1.0\r\nContent-Type: text/plain; "
		   "charset=UTF-8\r\nContent-Transfer-Encoding: "
		   "quoted-printable\r\n");
	assert_has(s, "\r\n\r\nLigne 1\r\nLigne 2 accentu=C3=A9e\r\n");
	/* no bare LF, nothing 8-bit */
	for (i = 0; i < b.len; i++) {
		assert_true(b.p[i] < 0x80);
		if (b.p[i] == '\n')
			assert_true(i > 0 && b.p[i - 1] == '\r');
	}
	/* header injection is refused */
	buf_reset(&b);
	m.subject = "hello\r\nBcc: victim@example.org";
	assert_int_equal(notify_mail_build(&m, &b), RP_EINVAL);
	m.subject = "ok";
	to[1] = "x@y>\r\nRCPT TO:<z@w";
	assert_int_equal(notify_mail_build(&m, &b), RP_EINVAL);
	buf_release(&b);
}

static char tmpdir[64];

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_notify__secret(void **state)
{
	char path[128];
	struct buf b = BUF_INIT;

	(void)state;
	snprintf(path, sizeof(path), "%s/pw", tmpdir);
	write_file(path, "s3cret pass\r\nsecond line\n");
	assert_int_equal(notify_read_secret(path, &b), 0);
	assert_string_equal(buf_cstr(&b), "s3cret pass");
	buf_reset(&b);
	write_file(path, "nonewline");
	assert_int_equal(notify_read_secret(path, &b), 0);
	assert_string_equal(buf_cstr(&b), "nonewline");
	buf_reset(&b);
	snprintf(path, sizeof(path), "%s/missing", tmpdir);
	assert_int_equal(notify_read_secret(path, &b), RP_ENOTFOUND);
	buf_release(&b);
}

/* log_capture: everything logged, to look for secrets. */
static struct buf logged = BUF_INIT;

static void log_capture(enum log_level lvl, const char *func,
			const char *msg, void *arg)
{
	(void)lvl;
	(void)func;
	(void)arg;
	buf_addf(&logged, "%s\n", msg);
}

static void test_notify__smtp_errors(void **state)
{
	char pwfile[128];
	const char *to[] = { "julien@example.org" };
	struct notify_smtp cfg;
	struct buf err = BUF_INIT;

	(void)state;
	snprintf(pwfile, sizeof(pwfile), "%s/smtp-pw", tmpdir);
	write_file(pwfile, "Tr0ub4dor&3\n");
	memset(&cfg, 0, sizeof(cfg));
	cfg.url = "smtp://user:pw@127.0.0.1:1";
	cfg.from = "reprise@example.org";
	assert_int_equal(notify_email(&cfg, to, 1, "s", "b", T0, &err),
			 RP_EINVAL);
	cfg.url = "http://127.0.0.1:1";
	assert_int_equal(notify_email(&cfg, to, 1, "s", "b", T0, &err),
			 RP_EINVAL);
	cfg.url = "smtp://127.0.0.1:1";
	cfg.user = "alert";
	assert_int_equal(notify_email(&cfg, to, 1, "s", "b", T0, &err),
			 RP_EINVAL);   /* a user without a password file */
	cfg.password_file = "/nonexistent/pw";
	assert_int_equal(notify_email(&cfg, to, 1, "s", "b", T0, &err),
			 RP_ENOTFOUND);
	/* nothing listens on port 1: a connection error, no password in
	 * the error or the log */
	cfg.password_file = pwfile;
	cfg.tls = NOTIFY_TLS_NONE;
	cfg.timeout_ms = 5000;
	log_set_sink(log_capture, NULL);
	assert_int_equal(notify_email(&cfg, to, 1, "s", "b", T0, &err),
			 RP_EIO);
	log_set_sink(NULL, NULL);
	assert_has(buf_cstr(&err), "smtp smtp://127.0.0.1:1: ");
	assert_null(strstr(buf_cstr(&err), "Tr0ub4dor"));
	assert_null(strstr(buf_cstr(&logged), "Tr0ub4dor"));
	buf_release(&err);
	buf_release(&logged);
}

/* ---- webhooks against a local server --------------------------------- */

struct hook_server {
	struct MHD_Daemon *d;
	int port;
	int fail_first;         /* answer 500 to this many requests */
	int requests;
	struct buf last_body;
	char last_type[128];
	pthread_mutex_t lock;
};

struct upload {
	struct buf body;
};

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c,
				  const char *url, const char *method,
				  const char *version, const char *data,
				  size_t *size, void **con_cls)
{
	struct hook_server *s = cls;
	struct upload *u = *con_cls;
	struct MHD_Response *r;
	const char *type;
	enum MHD_Result ret;
	unsigned code;

	(void)url;
	(void)version;
	if (!u) {
		u = calloc(1, sizeof(*u));
		*con_cls = u;
		return MHD_YES;
	}
	if (*size) {
		buf_add(&u->body, data, *size);
		*size = 0;
		return MHD_YES;
	}
	pthread_mutex_lock(&s->lock);
	s->requests++;
	code = s->requests <= s->fail_first ? 500 : 200;
	if (strcmp(method, "POST") != 0)
		code = 405;
	buf_reset(&s->last_body);
	buf_add(&s->last_body, u->body.p, u->body.len);
	type = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
					   "Content-Type");
	snprintf(s->last_type, sizeof(s->last_type), "%s", type ? type : "");
	pthread_mutex_unlock(&s->lock);
	r = MHD_create_response_from_buffer(2, (void *)"ok",
					    MHD_RESPMEM_PERSISTENT);
	ret = MHD_queue_response(c, code, r);
	MHD_destroy_response(r);
	return ret;
}

static void on_done(void *cls, struct MHD_Connection *c, void **con_cls,
		    enum MHD_RequestTerminationCode toe)
{
	struct upload *u = *con_cls;

	(void)cls;
	(void)c;
	(void)toe;
	if (u) {
		buf_release(&u->body);
		free(u);
		*con_cls = NULL;
	}
}

static void server_start(struct hook_server *s, int fail_first)
{
	struct sockaddr_in sa;
	const union MHD_DaemonInfo *info;

	memset(s, 0, sizeof(*s));
	pthread_mutex_init(&s->lock, NULL);
	s->fail_first = fail_first;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	s->d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD, 0, NULL,
				NULL, on_request, s, MHD_OPTION_SOCK_ADDR, &sa,
				MHD_OPTION_NOTIFY_COMPLETED, on_done, NULL,
				MHD_OPTION_END);
	assert_non_null(s->d);
	info = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
	assert_non_null(info);
	s->port = info->port;
}

static void server_stop(struct hook_server *s)
{
	MHD_stop_daemon(s->d);
	buf_release(&s->last_body);
	pthread_mutex_destroy(&s->lock);
}

struct sleeps {
	int64_t v[16];
	int n;
};

static void record_sleep(void *arg, int64_t ms)
{
	struct sleeps *z = arg;

	if (z->n < 16)
		z->v[z->n++] = ms;
}

static void test_notify__webhook_retry(void **state)
{
	struct hook_server s;
	struct sleeps z = { { 0 }, 0 };
	struct notify_retry retry = { 5, 100, 150, record_sleep, &z };
	char url[128];
	struct notify_webhook hook = { "ops", url, 5000 };
	struct buf err = BUF_INIT;
	int status;

	(void)state;
	server_start(&s, 2);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/hook/s3cr3t-token",
		 s.port);
	assert_int_equal(notify_webhook(&hook, "{\"a\":1}", 7, &retry, &status,
					&err), 0);
	assert_int_equal(status, 200);
	assert_int_equal(s.requests, 3);
	assert_string_equal(buf_cstr(&s.last_body), "{\"a\":1}");
	assert_string_equal(s.last_type, "application/json");
	/* exponential back-off, capped */
	assert_int_equal(z.n, 2);
	assert_int_equal(z.v[0], 100);
	assert_int_equal(z.v[1], 150);
	server_stop(&s);

	/* always failing: gives up after `attempts`, names the hook only */
	server_start(&s, 1000);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/hook/s3cr3t-token",
		 s.port);
	z.n = 0;
	retry.attempts = 3;
	assert_int_equal(notify_webhook(&hook, "{}", 2, &retry, &status, &err),
			 RP_EIO);
	assert_int_equal(status, 500);
	assert_int_equal(s.requests, 3);
	assert_int_equal(z.n, 2);
	assert_string_equal(buf_cstr(&err), "webhook ops: HTTP status 500 "
			    "(after 3 attempts)");
	assert_null(strstr(buf_cstr(&err), "s3cr3t"));
	server_stop(&s);
	buf_release(&err);
}

static void test_notify__alert_to_webhook_and_catalog(void **state)
{
	struct plan *p = load_plan("fr");
	struct hook_server s;
	struct notify_retry retry = { 2, 1, 1, record_sleep, NULL };
	struct sleeps z = { { 0 }, 0 };
	char url[128];
	struct notify_webhook hook = { "ops", url, 5000 };
	struct alert_event ev = firing_event();
	struct notify_facts f = temp_facts();
	struct notify_ctx c;
	struct catalog *cat;
	struct catalog_notification *v = NULL;
	size_t n = 0;

	(void)state;
	retry.arg = &z;
	server_start(&s, 0);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/", s.port);
	assert_int_equal(catalog_open(":memory:", &cat), 0);
	memset(&c, 0, sizeof(c));
	c.plan = p;
	c.hooks = &hook;
	c.nhooks = 1;
	c.retry = &retry;
	c.cat = cat;
	assert_int_equal(notify_alert(&c, NULL, &ev, &f, ev.t), 0);
	assert_int_equal(s.requests, 1);
	assert_has(buf_cstr(&s.last_body), "\"title\":\"[reprise] CRITIQUE : "
		   "le serveur srv1 chauffe\"");
	assert_has(buf_cstr(&s.last_body), "\"alert\":42,\"rule\":\"cpu-temp\","
		   "\"subject\":\"srv1\",\"severity\":\"critical\","
		   "\"event\":\"firing\",\"state\":\"firing\",\"level\":0,"
		   "\"started\":\"2026-03-02T08:00:00Z\"");
	assert_has(buf_cstr(&s.last_body), "CPU à 71 °C");
	/* recorded, without the alert (this catalog does not know #42) */
	assert_int_equal(catalog_notification_list(cat, 0, 0, &v, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].channel, "webhook");
	assert_string_equal(v[0].recipient, "ops");
	assert_int_equal(v[0].status, CATALOG_NOTIFY_SENT);
	catalog_notification_list_free(v, n);
	server_stop(&s);
	catalog_close(cat);
	plan_free(p);
}

static int setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/test_notify.XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	char path[128];

	(void)state;
	snprintf(path, sizeof(path), "%s/pw", tmpdir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/smtp-pw", tmpdir);
	unlink(path);
	return rmdir(tmpdir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_notify__compose_fr),
		cmocka_unit_test(test_notify__compose_en),
		cmocka_unit_test(test_notify__compose_kinds),
		cmocka_unit_test(test_notify__decimal),
		cmocka_unit_test(test_notify__rfc2047),
		cmocka_unit_test(test_notify__qp),
		cmocka_unit_test(test_notify__mail_build),
		cmocka_unit_test(test_notify__secret),
		cmocka_unit_test(test_notify__smtp_errors),
		cmocka_unit_test(test_notify__webhook_retry),
		cmocka_unit_test(test_notify__alert_to_webhook_and_catalog),
	};

	setenv("TZ", "UTC", 1);
	return cmocka_run_group_tests(tests, setup, teardown);
}
