/*
 * notify_mail.c: an RFC 5322 message and its delivery over SMTP with
 * libcurl (notify.h "THE MAIL").
 *
 * The password is read from its file just before the transfer, handed to
 * libcurl, and wiped from our memory afterwards; it never reaches a log
 * line or an error message (libcurl's messages name the server, never the
 * credentials, and the URL may not carry any: it is refused).
 */
#include "notify/notify.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "util/err.h"
#include "util/fsx.h"
#include "util/gostr.h"
#include "util/log.h"

/* The raw bytes in one "B" encoded-word: 15 base64 groups make 60
 * characters, 72 with "=?UTF-8?B?" and "?=" (RFC 2047: 75 at most). */
#define RFC2047_CHUNK 45
#define QP_LINE 76

/* ---- header values ---------------------------------------------------- */

static int plain_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			return 0;
	return 1;
}

static int has_crlf(const char *s)
{
	return s && strpbrk(s, "\r\n") != NULL;
}

/* utf8_cut: the longest prefix of s[0..n) no longer than max that does
 * not end inside a UTF-8 sequence (at least 1 byte). */
static size_t utf8_cut(const unsigned char *s, size_t n, size_t max)
{
	size_t k;

	if (n <= max)
		return n;
	k = max;
	while (k > 0 && (s[k] & 0xc0) == 0x80)
		k--;
	return k ? k : max;
}

int notify_rfc2047(struct buf *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), k;
	int rc = 0, first = 1;

	if (plain_ascii(s))
		return buf_adds(out, s);
	while (rc == 0 && n > 0) {
		k = utf8_cut(p, n, RFC2047_CHUNK);
		rc = buf_adds(out, first ? "=?UTF-8?B?" : "\r\n =?UTF-8?B?");
		if (rc == 0)
			rc = gostr_base64_encode(out, p, k);
		if (rc == 0)
			rc = buf_adds(out, "?=");
		p += k;
		n -= k;
		first = 0;
	}
	return rc;
}

/* ---- quoted-printable ------------------------------------------------- */

/* qp_token: the encoding of byte c (at the end of its line or not). */
static void qp_token(unsigned char c, int at_eol, int line_start,
		     char tok[4])
{
	static const char hex[] = "0123456789ABCDEF";
	int literal = (c >= 33 && c <= 126 && c != '=') ||
		      ((c == ' ' || c == '\t') && !at_eol);

	/* "From " and "." at the start of a line upset some MTAs */
	if (line_start && (c == 'F' || c == '.'))
		literal = 0;
	if (literal) {
		tok[0] = (char)c;
		tok[1] = 0;
		return;
	}
	tok[0] = '=';
	tok[1] = hex[c >> 4];
	tok[2] = hex[c & 15];
	tok[3] = 0;
}

static int qp_line(struct buf *out, const unsigned char *p, size_t n)
{
	size_t i, col = 0, tl;
	char tok[4];
	int rc = 0;

	for (i = 0; rc == 0 && i < n; i++) {
		qp_token(p[i], i + 1 == n, i == 0, tok);
		tl = strlen(tok);
		/* room for the token and, unless it ends the line, a '=' */
		if (col + tl > QP_LINE - (i + 1 == n ? 0 : 1)) {
			rc = buf_adds(out, "=\r\n");
			col = 0;
		}
		if (rc == 0)
			rc = buf_add(out, tok, tl);
		col += tl;
	}
	return rc ? rc : buf_adds(out, "\r\n");
}

int notify_qp(struct buf *out, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *nl;
	size_t len;
	int rc = 0;

	while (rc == 0 && n > 0) {
		nl = memchr(p, '\n', n);
		len = nl ? (size_t)(nl - p) : n;
		rc = qp_line(out, p, len > 0 && p[len - 1] == '\r' ?
				     len - 1 : len);
		if (!nl)
			break;
		p += len + 1;
		n -= len + 1;
	}
	return rc;
}

/* ---- the message ------------------------------------------------------ */

static int add_date(struct buf *out, int64_t t)
{
	static const char days[7][4] = { "Sun", "Mon", "Tue", "Wed", "Thu",
					 "Fri", "Sat" };
	static const char months[12][4] = { "Jan", "Feb", "Mar", "Apr", "May",
					    "Jun", "Jul", "Aug", "Sep", "Oct",
					    "Nov", "Dec" };
	time_t tt = (time_t)t;
	struct tm tm;

	if (!gmtime_r(&tt, &tm))
		return RP_EINVAL;
	/* English names whatever the locale: strftime's %a would follow it */
	return buf_addf(out, "Date: %s, %02d %s %04d %02d:%02d:%02d +0000\r\n",
			days[tm.tm_wday % 7], tm.tm_mday,
			months[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour,
			tm.tm_min, tm.tm_sec);
}

static int add_msgid(struct buf *out, const struct notify_mail *m)
{
	const char *at = strrchr(m->from, '@');
	unsigned char r[8] = { 0 };

	if (m->msgid)
		return buf_addf(out, "Message-ID: %s\r\n", m->msgid);
	if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r))
		memset(r, 0x5a, sizeof(r));
	return buf_addf(out, "Message-ID: <%lld.%02x%02x%02x%02x%02x%02x%02x"
			"%02x.reprise@%s>\r\n", (long long)m->date, r[0], r[1],
			r[2], r[3], r[4], r[5], r[6], r[7],
			at && at[1] ? at + 1 : "localhost");
}

static int add_addresses(struct buf *out, const struct notify_mail *m)
{
	size_t i;
	int rc;

	rc = buf_adds(out, "From: ");
	if (rc == 0 && m->from_name && *m->from_name) {
		if (plain_ascii(m->from_name) &&
		    !strpbrk(m->from_name, "\"\\"))
			rc = buf_addf(out, "\"%s\"", m->from_name);
		else
			rc = notify_rfc2047(out, m->from_name);
		if (rc == 0)
			rc = buf_adds(out, " ");
	}
	if (rc == 0)
		rc = buf_addf(out, "<%s>\r\nTo: ", m->from);
	for (i = 0; rc == 0 && i < m->nto; i++)
		rc = buf_addf(out, "%s<%s>", i ? ",\r\n " : "", m->to[i]);
	return rc ? rc : buf_adds(out, "\r\n");
}

/* valid_address: something@something, nothing that breaks a header or
 * an SMTP command. */
static int valid_address(const char *a)
{
	const char *at;

	if (!a || !*a || strpbrk(a, "<>\r\n \t,\"") || !plain_ascii(a))
		return 0;
	at = strchr(a, '@');
	return at && at != a && at[1];
}

int notify_mail_build(const struct notify_mail *m, struct buf *out)
{
	size_t i;
	int rc;

	if (!valid_address(m->from) || m->nto == 0 || !m->subject ||
	    !m->body || has_crlf(m->subject) || has_crlf(m->from_name) ||
	    has_crlf(m->msgid))
		return RP_EINVAL;
	for (i = 0; i < m->nto; i++)
		if (!valid_address(m->to[i]))
			return RP_EINVAL;
	rc = add_date(out, m->date);
	if (rc == 0)
		rc = add_addresses(out, m);
	if (rc == 0)
		rc = buf_adds(out, "Subject: ");
	if (rc == 0)
		rc = notify_rfc2047(out, m->subject);
	if (rc == 0)
		rc = buf_adds(out, "\r\n");
	if (rc == 0)
		rc = add_msgid(out, m);
	if (rc == 0)
		rc = buf_adds(out, "MIME-Version: 1.0\r\n"
			      "Content-Type: text/plain; charset=UTF-8\r\n"
			      "Content-Transfer-Encoding: quoted-printable\r\n"
			      "Auto-Submitted: auto-generated\r\n");
	if (rc == 0 && m->extra)
		rc = buf_adds(out, m->extra);
	if (rc == 0)
		rc = buf_adds(out, "\r\n");
	return rc ? rc : notify_qp(out, m->body, strlen(m->body));
}

/* ---- secrets ---------------------------------------------------------- */

int notify_read_secret(const char *path, struct buf *out)
{
	struct buf raw = BUF_INIT;
	char *nl;
	int rc;

	buf_init(&raw, NOTIFY_PASSWORD_MAX);
	rc = fsx_read_file(path, &raw);
	if (rc == 0) {
		nl = memchr(raw.p ? (char *)raw.p : "", '\n', raw.len);
		raw.len = nl ? (size_t)(nl - (char *)raw.p) : raw.len;
		if (raw.len && raw.p[raw.len - 1] == '\r')
			raw.len--;
		rc = buf_add(out, raw.p ? raw.p : (const uint8_t *)"",
			     raw.len);
	}
	if (raw.p)
		explicit_bzero(raw.p, raw.cap);
	buf_release(&raw);
	return rc;
}

/* ---- sending ---------------------------------------------------------- */

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;

static void curl_init_once(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

struct reader {
	const uint8_t *p;
	size_t n;
};

static size_t read_cb(char *dst, size_t size, size_t nmemb, void *arg)
{
	struct reader *r = arg;
	size_t k = size * nmemb;

	if (k > r->n)
		k = r->n;
	memcpy(dst, r->p, k);
	r->p += k;
	r->n -= k;
	return k;
}

static int url_ok(const char *url)
{
	const char *host, *end;

	if (!url)
		return 0;
	if (strncmp(url, "smtp://", 7) == 0)
		host = url + 7;
	else if (strncmp(url, "smtps://", 8) == 0)
		host = url + 8;
	else
		return 0;
	end = host + strcspn(host, "/?#");
	/* no user:password@ in the URL: secrets come from files */
	return end > host && !memchr(host, '@', (size_t)(end - host));
}

static long use_ssl(const struct notify_smtp *cfg)
{
	if (strncmp(cfg->url, "smtps://", 8) == 0)
		return CURLUSESSL_ALL;
	switch (cfg->tls) {
	case NOTIFY_TLS_NONE:
		return CURLUSESSL_NONE;
	case NOTIFY_TLS_STARTTLS:
		return CURLUSESSL_ALL;
	case NOTIFY_TLS_AUTO:
		break;
	}
	return cfg->user ? CURLUSESSL_ALL : CURLUSESSL_TRY;
}

static int map_curl(CURLcode cc)
{
	switch (cc) {
	case CURLE_OK:
		return 0;
	case CURLE_LOGIN_DENIED:
		return RP_EAUTH;
	case CURLE_URL_MALFORMAT:
	case CURLE_UNSUPPORTED_PROTOCOL:
		return RP_EINVAL;
	default:
		return RP_EIO;
	}
}

static void say(struct buf *err, const char *fmt, const char *a,
		const char *b)
{
	if (err) {
		buf_reset(err);
		buf_addf(err, fmt, a, b);
	}
}

/* smtp_transfer: the libcurl part of notify_email. */
static int smtp_transfer(const struct notify_smtp *cfg,
			 const char *const *to, size_t nto,
			 const char *password, const struct buf *msg,
			 struct buf *err)
{
	char ebuf[CURL_ERROR_SIZE] = "";
	struct curl_slist *rcpt = NULL, *tmp;
	struct reader rd = { msg->p, msg->len };
	char from[320];
	CURL *h;
	CURLcode cc;
	size_t i;
	int rc = RP_ENOMEM;

	pthread_once(&curl_once, curl_init_once);
	if (!(h = curl_easy_init()))
		return RP_EIO;
	for (i = 0; i < nto; i++) {
		char a[320];

		snprintf(a, sizeof(a), "<%s>", to[i]);
		if (!(tmp = curl_slist_append(rcpt, a)))
			goto out;
		rcpt = tmp;
	}
	snprintf(from, sizeof(from), "<%s>", cfg->from);
	curl_easy_setopt(h, CURLOPT_URL, cfg->url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(h, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(h, CURLOPT_READFUNCTION, read_cb);
	curl_easy_setopt(h, CURLOPT_READDATA, &rd);
	curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(h, CURLOPT_USE_SSL, use_ssl(cfg));
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, ebuf);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS,
			 cfg->timeout_ms > 0 ? cfg->timeout_ms : 30000L);
	if (cfg->ca_file)
		curl_easy_setopt(h, CURLOPT_CAINFO, cfg->ca_file);
	if (cfg->user) {
		curl_easy_setopt(h, CURLOPT_USERNAME, cfg->user);
		curl_easy_setopt(h, CURLOPT_PASSWORD, password);
	}
	cc = curl_easy_perform(h);
	rc = map_curl(cc);
	if (rc < 0) {
		say(err, "smtp %s: %s", cfg->url,
		    *ebuf ? ebuf : curl_easy_strerror(cc));
		log_warn("mail through %s failed: %s", cfg->url,
			 *ebuf ? ebuf : curl_easy_strerror(cc));
	}
out:
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(h);
	return rc;
}

static int check_cfg(const struct notify_smtp *cfg, const char *const *to,
		     size_t nto, struct buf *err)
{
	size_t i;

	if (!cfg || !url_ok(cfg->url)) {
		say(err, "smtp: %s%s", "the server must be smtp://HOST[:PORT] "
		    "or smtps://HOST[:PORT], without credentials", "");
		return RP_EINVAL;
	}
	if (!valid_address(cfg->from) || (cfg->user && !cfg->password_file)) {
		say(err, "smtp %s: %s", cfg->url, cfg->user ?
		    "a sender address and a password file are needed" :
		    "a sender address is needed");
		return RP_EINVAL;
	}
	for (i = 0; i < nto; i++) {
		if (!valid_address(to[i])) {
			say(err, "smtp: not an e-mail address: %s%s",
			    has_crlf(to[i]) ? "(with a line break)" : to[i],
			    "");
			return RP_EINVAL;
		}
	}
	return nto ? 0 : RP_EINVAL;
}

int notify_email(const struct notify_smtp *cfg, const char *const *to,
		 size_t nto, const char *subject, const char *body,
		 int64_t now_ms, struct buf *err)
{
	struct notify_mail m;
	struct buf msg = BUF_INIT, pw = BUF_INIT;
	int rc;

	if ((rc = check_cfg(cfg, to, nto, err)) < 0)
		return rc;
	memset(&m, 0, sizeof(m));
	m.from = cfg->from;
	m.from_name = cfg->from_name ? cfg->from_name : "reprise";
	m.to = to;
	m.nto = nto;
	m.subject = subject;
	m.body = body;
	m.date = now_ms / 1000;
	buf_init(&msg, NOTIFY_BODY_MAX * 4);
	if ((rc = notify_mail_build(&m, &msg)) < 0) {
		say(err, "smtp: %s%s", "the message cannot be built "
		    "(a line break in the subject, or too long)", "");
		goto out;
	}
	if (cfg->user &&
	    (rc = notify_read_secret(cfg->password_file, &pw)) < 0) {
		say(err, "smtp: cannot read the password file %s: %s",
		    cfg->password_file, rp_strerror(rc));
		goto out;
	}
	rc = smtp_transfer(cfg, to, nto, buf_cstr(&pw), &msg, err);
out:
	if (pw.p)
		explicit_bzero(pw.p, pw.cap);
	buf_release(&pw);
	buf_release(&msg);
	return rc;
}
