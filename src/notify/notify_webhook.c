/*
 * notify_webhook.c: JSON POSTs with retries (notify.h "WEBHOOKS").
 *
 * The URL of a hook is a secret (it often carries a token): only the
 * hook's name appears in logs and errors.
 */
#include "notify/notify.h"

#include <curl/curl.h>
#include <pthread.h>
#include <string.h>
#include <time.h>

#include "util/clock.h"
#include "util/err.h"
#include "util/i18n.h"
#include "util/jsonw.h"
#include "util/log.h"

#define ANSWER_MAX 4096

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;

static void curl_init_once(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

/* sink: keeps the start of the answer (for errors), drops the rest. */
static size_t sink(char *p, size_t size, size_t nmemb, void *arg)
{
	struct buf *b = arg;
	size_t n = size * nmemb, room;

	room = b->len < ANSWER_MAX ? ANSWER_MAX - b->len : 0;
	if (room)
		buf_add(b, p, n < room ? n : room);
	return n;
}

/* post_once: one attempt.  *status gets the HTTP status (0: none). */
static CURLcode post_once(const struct notify_webhook *hook, const char *json,
			  size_t len, long *status, char *ebuf)
{
	struct curl_slist *hdr = NULL, *tmp;
	struct buf answer = BUF_INIT;
	CURL *h;
	CURLcode cc = CURLE_OUT_OF_MEMORY;

	*status = 0;
	if (!(h = curl_easy_init()))
		return CURLE_FAILED_INIT;
	if (!(tmp = curl_slist_append(hdr, "Content-Type: application/json")))
		goto out;
	hdr = tmp;
	if (!(tmp = curl_slist_append(hdr, "Expect:")))
		goto out;
	hdr = tmp;
	curl_easy_setopt(h, CURLOPT_URL, hook->url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, json);
	curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "reprise");
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, ebuf);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, sink);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &answer);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS,
			 hook->timeout_ms > 0 ? hook->timeout_ms : 10000L);
	cc = curl_easy_perform(h);
	if (cc == CURLE_OK)
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, status);
out:
	buf_release(&answer);
	curl_slist_free_all(hdr);
	curl_easy_cleanup(h);
	return cc;
}

static void default_sleep(void *arg, int64_t ms)
{
	(void)arg;
	clock_sleep_ms(ms);
}

static int retryable(CURLcode cc, long status)
{
	if (cc != CURLE_OK)
		return cc != CURLE_URL_MALFORMAT &&
		       cc != CURLE_UNSUPPORTED_PROTOCOL;
	return status >= 500 || status == 429;
}

static void failure(const struct notify_webhook *hook, CURLcode cc,
		    long status, const char *ebuf, int attempts,
		    struct buf *err)
{
	char why[CURL_ERROR_SIZE + 32];

	if (cc != CURLE_OK)
		snprintf(why, sizeof(why), "%s",
			 *ebuf ? ebuf : curl_easy_strerror(cc));
	else
		snprintf(why, sizeof(why), "HTTP status %ld", status);
	/* curl's messages may quote the URL's host, never its path or
	 * query (where tokens live) */
	if (err) {
		buf_reset(err);
		buf_addf(err, i18n_ntr("webhook %s: %s (after %d attempt)",
				       "webhook %s: %s (after %d attempts)",
				       (unsigned long)attempts),
			 hook->name, why, attempts);
	}
	if (attempts > 1)
		log_warn("webhook %s failed: %s (after %d attempts)",
			 hook->name, why, attempts);
	else
		log_warn("webhook %s failed: %s", hook->name, why);
}

int notify_webhook(const struct notify_webhook *hook, const char *json,
		   size_t len, const struct notify_retry *retry, int *status,
		   struct buf *err)
{
	int attempts = retry && retry->attempts > 0 ? retry->attempts : 4;
	int64_t pause = retry && retry->backoff_ms > 0 ? retry->backoff_ms :
			1000;
	int64_t max = retry && retry->max_ms > 0 ? retry->max_ms : 60000;
	char ebuf[CURL_ERROR_SIZE];
	CURLcode cc = CURLE_OK;
	long st = 0;
	int i;

	if (status)
		*status = 0;
	if (!hook || !hook->name || !hook->url ||
	    (strncmp(hook->url, "http://", 7) != 0 &&
	     strncmp(hook->url, "https://", 8) != 0))
		return RP_EINVAL;
	pthread_once(&curl_once, curl_init_once);
	for (i = 1; i <= attempts; i++) {
		ebuf[0] = 0;
		cc = post_once(hook, json, len, &st, ebuf);
		if (status)
			*status = (int)st;
		if (cc == CURLE_OK && st >= 200 && st < 300)
			return 0;
		if (!retryable(cc, st) || i == attempts)
			break;
		log_info("webhook %s: attempt %d failed, next in %lld ms",
			 hook->name, i, (long long)pause);
		if (retry && retry->sleep)
			retry->sleep(retry->arg, pause);
		else
			default_sleep(NULL, pause);
		pause = pause * 2 > max ? max : pause * 2;
	}
	failure(hook, cc, st, ebuf, i > attempts ? attempts : i, err);
	return RP_EIO;
}

/* ---- the JSON --------------------------------------------------------- */

static void time_field(struct jsonw *w, const char *key, int64_t ms)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	char s[40];

	jsonw_key(w, key);
	if (ms <= 0 || !gmtime_r(&t, &tm) ||
	    strftime(s, sizeof(s), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0) {
		jsonw_null(w);
		return;
	}
	jsonw_str(w, s);
}

static const char *event_name(const struct alert_event *ev)
{
	static const char *const kinds[] = { "?", "pending", "firing",
					     "resolved", "ack", "escalate" };

	if (ev->kind == ALERT_EV_NOTIFY)
		return alert_notify_name(ev->notify);
	return (unsigned)ev->kind < 6 ? kinds[ev->kind] : "?";
}

static const char *state_name(const struct alert_event *ev)
{
	if (ev->kind == ALERT_EV_RESOLVED ||
	    ev->notify == ALERT_NOTIFY_RESOLVED)
		return "resolved";
	if (ev->kind == ALERT_EV_PENDING)
		return "pending";
	return ev->firing_since ? "firing" : "pending";
}

int notify_webhook_json(const struct alert_event *ev, const char *subject,
			const char *body, struct buf *out)
{
	struct jsonw w;
	struct buf text = BUF_INIT;

	if (buf_addf(&text, "%s\n\n%s", subject, body) < 0)
		return RP_ENOMEM;
	jsonw_init(&w, out);
	jsonw_obj_begin(&w);
	jsonw_key(&w, "text");
	jsonw_str(&w, buf_cstr(&text));
	jsonw_key(&w, "title");
	jsonw_str(&w, subject);
	jsonw_key(&w, "message");
	jsonw_str(&w, body);
	jsonw_key(&w, "alert");
	jsonw_i64(&w, ev->id);
	jsonw_key(&w, "rule");
	jsonw_str(&w, ev->rule);
	jsonw_key(&w, "subject");
	jsonw_str(&w, ev->subject);
	jsonw_key(&w, "severity");
	jsonw_str(&w, alert_severity_name(ev->severity));
	jsonw_key(&w, "event");
	jsonw_str(&w, event_name(ev));
	jsonw_key(&w, "state");
	jsonw_str(&w, state_name(ev));
	jsonw_key(&w, "level");
	jsonw_i64(&w, ev->level);
	time_field(&w, "started", ev->started);
	time_field(&w, "since", ev->firing_since ? ev->firing_since :
		   ev->started);
	time_field(&w, "time", ev->t);
	jsonw_obj_end(&w);
	buf_release(&text);
	return jsonw_finish(&w);
}
