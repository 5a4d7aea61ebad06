/*
 * notify: telling people.  E-mail over SMTP and webhooks (JSON POST), in
 * the plan's language (DESIGN.md part 5).  alert/ decides when; this
 * module composes and sends.
 *
 * THE MESSAGE.  Every notification says what happened, since when, what
 * it means for which service, and what to do (notify_compose):
 *
 *   Subject: [reprise] CRITIQUE : le serveur srv1 chauffe
 *   Le serveur srv1 chauffe : CPU à 71 °C, +1,2 °C/min ; critique (90 °C)
 *   dans environ 16 min.
 *   Depuis : 2024-05-06 14:02 +0200 (il y a 12 min).
 *   Services touchés : paie (critique, RTO 4 h), dossiers-clients ...
 *   À faire :
 *    - vérifier la ventilation et la climatisation de la salle ; ...
 *    - appeler l'hébergeur OVH (+33 9 ...), contrat C-42 ...
 *    - accuser réception : reprise alert ack 42
 *
 * LANGUAGE.  The text is in the plan's language (plan->lang), whatever
 * the locale of the process: it goes by e-mail to the people named in
 * the plan, not to the terminal of whoever runs the daemon.  So the
 * strings are a small French/English table inside notify_compose.c, not
 * gettext: gettext would need a process-wide switch (setlocale/LANGUAGE,
 * not thread-safe) and an installed fr_FR locale on the server, which a
 * daemon must not depend on to warn that the server overheats.  Numbers
 * are written without printf's locale (a decimal comma in French, a point
 * in English); times in the local time zone of the process (TZ) with
 * their UTC offset.
 *
 * THE MAIL.  notify_mail_build writes an RFC 5322 message: Date, From,
 * To, Subject (RFC 2047 "=?UTF-8?B?...?=" words when not plain ASCII),
 * Message-ID, MIME-Version, Content-Type text/plain; charset=UTF-8,
 * Content-Transfer-Encoding quoted-printable (7-bit safe, lines <= 76,
 * so no 8BITMIME needed), Auto-Submitted: auto-generated (RFC 3834: no
 * vacation replies), CRLF line endings.  notify_email sends it with
 * libcurl (smtp:// with STARTTLS, or smtps://), with AUTH when a user is
 * set: the password is read from a file at each send, never taken from
 * the command line, never logged, wiped from memory after use.
 *
 * WEBHOOKS.  notify_webhook POSTs a JSON body (Content-Type:
 * application/json) and retries with exponential back-off on transport
 * errors, 5xx and 429.  The JSON (notify_webhook_json) carries "text"
 * (Slack, Mattermost, Rocket.Chat show it) and "title"/"message" (ntfy
 * JSON publishing), plus the alert's fields.  A webhook URL is a secret
 * (Slack's and ntfy's carry tokens): logs, errors and the catalog name
 * the hook by its `name` only.
 *
 * BLOCKING.  notify_email, notify_webhook and notify_alert block (a
 * connection, a transfer, back-off pauses: up to about a minute for a
 * dead webhook with the default retry).  The daemon calls them from a
 * worker, not from its event loop.  Both are thread-safe (libcurl is
 * initialised once); composition is pure.
 *
 * ERRORS.  Functions return 0 or a negative rp_err; where a `struct buf
 * *err` is taken (may be NULL), it receives one English line saying what
 * failed (without secrets), for the catalog's notification.error.
 *
 *   struct notify_ctx c = { plan, &smtp, hooks, nhooks, NULL, cat };
 *   for each ALERT_EV_NOTIFY event ev from alert_eval:
 *       notify_alert(&c, rule.route, &ev, &facts, now_ms);
 */
#ifndef RP_NOTIFY_H
#define RP_NOTIFY_H

#include <stddef.h>
#include <stdint.h>

#include "alert/alert.h"
#include "util/buf.h"

struct plan;
struct catalog;

/* Caps: a message body, a webhook answer kept for errors. */
#define NOTIFY_BODY_MAX ((size_t)256 << 10)
#define NOTIFY_PASSWORD_MAX 4096

/* ---- What the monitor saw (for the message) ---------------------------- */

enum notify_kind {
	NOTIFY_KIND_GENERIC = 0,    /* detail says it all */
	NOTIFY_KIND_TEMPERATURE,    /* a sensor is hot or heating up */
	NOTIFY_KIND_COOLING,        /* fan stopped and temperature rising */
	NOTIFY_KIND_DISK_SPACE,     /* a file system fills up */
	NOTIFY_KIND_DISK_HEALTH,    /* SMART says a disk is failing */
	NOTIFY_KIND_PROBE,          /* a service does not answer */
	NOTIFY_KIND_CERT,           /* a TLS certificate expires soon */
	NOTIFY_KIND_BACKUP,         /* no recent good backup (RPO) */
	NOTIFY_KIND_PING,           /* a check-in did not come */
	NOTIFY_KIND_HOST_DOWN,      /* the machine does not answer at all */
};

/* Numbers unknown are NaN (value, limit, rate) or -1 (eta_s).  Strings
 * are borrowed; NULL when unknown. */
struct notify_facts {
	enum notify_kind kind;
	const char *host;       /* the plan's host name concerned */
	const char *service;    /* a service directly concerned (probe) */
	const char *what;       /* the sensor, mount point, URL or job */
	const char *unit;       /* "°C", "%", ... (TEMPERATURE: "°C") */
	double value;           /* as measured */
	double limit;           /* the critical threshold */
	double rate;            /* change per minute */
	int64_t eta_s;          /* seconds until limit at that rate */
	const char *detail;     /* the collector's own words, or NULL */
};
/* NOTIFY_FACTS_INIT: every number unknown. */
#define NOTIFY_FACTS_INIT { NOTIFY_KIND_GENERIC, NULL, NULL, NULL, NULL, \
	__builtin_nan(""), __builtin_nan(""), __builtin_nan(""), -1, NULL }

/* ---- Composition ------------------------------------------------------- */

enum notify_lang { NOTIFY_LANG_FR = 0, NOTIFY_LANG_EN };

/* notify_lang_of: the plan's language (NULL plan or UNSET: French, the
 * plan's default). */
enum notify_lang notify_lang_of(const struct plan *p);

/*
 * notify_compose: the subject (one line) and the body (lines ending in
 * "\n", UTF-8) of the notification for ev (an ALERT_EV_NOTIFY event, or
 * a transition: told as its state) in language lang.  facts may be NULL
 * (then ev->text is the sentence).  plan (may be NULL) gives the
 * services on facts->host or facts->service, with their criticality and
 * RTO, and the host's provider with its phone and contract.  now_ms
 * gives "12 min ago".  Appends to subject and body.  0 or RP_ENOMEM (a
 * buffer's cap).
 */
int notify_compose(enum notify_lang lang, const struct plan *plan,
		   const struct alert_event *ev,
		   const struct notify_facts *facts, int64_t now_ms,
		   struct buf *subject, struct buf *body);

/* notify_fmt_decimal: appends v with `digits` decimals (0..3) and the
 * language's separator, "-" for NaN; explicit_sign adds "+" when > 0. */
int notify_fmt_decimal(struct buf *b, double v, int digits,
		       enum notify_lang lang, int explicit_sign);

/* ---- E-mail ------------------------------------------------------------ */

enum notify_tls {
	NOTIFY_TLS_AUTO = 0,    /* smtps://: TLS; smtp://: STARTTLS required
				 * when a user is set, else tried */
	NOTIFY_TLS_NONE,        /* plain text (a local relay, tests) */
	NOTIFY_TLS_STARTTLS,    /* smtp:// with STARTTLS required */
};

struct notify_smtp {
	const char *url;            /* required: smtp://host[:port] or
				     * smtps://host[:port]; no credentials */
	enum notify_tls tls;
	const char *user;           /* NULL: no AUTH */
	const char *password_file;  /* required with user: first line */
	const char *from;           /* required: the sender address */
	const char *from_name;      /* display name, or NULL ("reprise") */
	const char *ca_file;        /* NULL: the system's CAs */
	long timeout_ms;            /* 0: 30 s */
};

/* A message before encoding.  to[0..nto) are addresses. */
struct notify_mail {
	const char *from, *from_name;
	const char *const *to;
	size_t nto;
	const char *subject;        /* UTF-8, one line */
	const char *body;           /* UTF-8, "\n" or "\r\n" line ends */
	int64_t date;               /* unix seconds */
	const char *msgid;          /* "<...@...>", or NULL: one is made */
	const char *extra;          /* more header lines (CRLF-ended), or
				     * NULL */
};

/* notify_mail_build: appends the RFC 5322 message m to out.  0,
 * RP_EINVAL (no from/to, or CR/LF in a header field), RP_ENOMEM. */
int notify_mail_build(const struct notify_mail *m, struct buf *out);
/* notify_rfc2047: appends s as a header value: as is when printable
 * ASCII, else as UTF-8 "B" encoded-words of at most 75 characters,
 * never cutting a UTF-8 sequence, separated by CRLF SP (folding). */
int notify_rfc2047(struct buf *out, const char *s);
/* notify_qp: appends s quoted-printable (RFC 2045), line ends as CRLF. */
int notify_qp(struct buf *out, const char *s, size_t n);
/* notify_read_secret: the first line of the file at path into out
 * (capped at NOTIFY_PASSWORD_MAX; "\n"/"\r\n" stripped).  0,
 * RP_ENOTFOUND, RP_EIO, RP_ENOMEM. */
int notify_read_secret(const char *path, struct buf *out);

/*
 * notify_email: sends one message (subject, body: UTF-8) to the
 * addresses to[0..nto) through cfg.  Blocking (cfg->timeout_ms at most
 * per attempt; no retry here: the caller's next tick is the retry).
 * 0, RP_EINVAL (bad config or address), RP_ENOTFOUND (password file),
 * RP_EAUTH (login refused), RP_EIO (connection, TLS, refused by the
 * server).
 */
int notify_email(const struct notify_smtp *cfg, const char *const *to,
		 size_t nto, const char *subject, const char *body,
		 int64_t now_ms, struct buf *err);

/* ---- Webhooks ---------------------------------------------------------- */

struct notify_webhook {
	const char *name;           /* required: how it is named in logs */
	const char *url;            /* required: http:// or https:// */
	long timeout_ms;            /* per attempt; 0: 10 s */
};

/* Retry policy: attempts in all (0: 4), the first pause (0: 1 s),
 * doubled each time up to max_ms (0: 60 s).  sleep (NULL: clock_sleep_ms)
 * is how the pause is taken (tests record it instead). */
struct notify_retry {
	int attempts;
	int64_t backoff_ms, max_ms;
	void (*sleep)(void *arg, int64_t ms);
	void *arg;
};

/*
 * notify_webhook: POSTs json[0..len) to hook->url, trying again after a
 * transport error, a 5xx or a 429, as retry says (NULL: the defaults).
 * *status (may be NULL) gets the last HTTP status (0: none).  0 (a 2xx),
 * RP_EINVAL (bad hook), RP_EIO (gave up: err says the last reason).
 */
int notify_webhook(const struct notify_webhook *hook, const char *json,
		   size_t len, const struct notify_retry *retry, int *status,
		   struct buf *err);
/* notify_webhook_json: the JSON object for ev with the composed subject
 * and body:
 *   {"text","title","message","alert","rule","subject","severity",
 *    "event","state","level","started","since","time"}
 * (times RFC 3339 UTC).  0 or RP_ENOMEM. */
int notify_webhook_json(const struct alert_event *ev, const char *subject,
			const char *body, struct buf *out);

/* ---- One alert event to everyone concerned ----------------------------- */

struct notify_ctx {
	const struct plan *plan;            /* language, people, services */
	const struct notify_smtp *smtp;     /* NULL: no e-mail */
	const struct notify_webhook *hooks; /* every hook gets every event */
	size_t nhooks;
	const struct notify_retry *retry;   /* NULL: defaults */
	struct catalog *cat;                /* NULL: nothing recorded */
};

/*
 * notify_alert: composes ev (an ALERT_EV_NOTIFY event) in the plan's
 * language and sends it: one e-mail to each distinct address of the
 * people of route steps ev->lo..ev->hi (people without e-mail are
 * skipped with a warning), then each webhook.  Each attempt is recorded
 * in the catalog (channel "smtp" or "webhook", recipient the address or
 * the hook's name, SENT or FAILED with the reason), which also sets the
 * alert's last_notified.  0 (all sent), RP_EPARTIAL (some failed),
 * RP_EIO (none sent: all failed, or nobody to send to), RP_ENOMEM.
 */
int notify_alert(const struct notify_ctx *c, const struct alert_route *route,
		 const struct alert_event *ev,
		 const struct notify_facts *facts, int64_t now_ms);

#endif
