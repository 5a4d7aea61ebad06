/*
 * probe: TCP connect and HTTP(S) GET with certificate expiry (see
 * probe.h).
 */
#include "monitor/probe.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "util/clock.h"
#include "util/err.h"

static int64_t mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int timeout_of(const struct probe_opts *o)
{
	return o && o->timeout_ms > 0 ? o->timeout_ms : PROBE_TIMEOUT_MS;
}

static void result_init(struct probe_result *res)
{
	memset(res, 0, sizeof(*res));
	res->tls_days = NAN;
}

/* ---- TCP -------------------------------------------------------------- */

/* connect_one: a non-blocking connect to ai, waiting until deadline_us.
 * 0 connected, else an errno value (ETIMEDOUT at the deadline). */
static int connect_one(const struct addrinfo *ai, int64_t deadline_us)
{
	struct pollfd pfd;
	socklen_t len = sizeof(int);
	int fd, e = 0, n;

	fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK |
		    SOCK_CLOEXEC, ai->ai_protocol);
	if (fd < 0)
		return errno;
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) < 0)
		e = errno;
	pfd = (struct pollfd){ fd, POLLOUT, 0 };
	while (e == EINPROGRESS || e == EINTR) {
		int64_t left = (deadline_us - mono_us()) / 1000;

		if (left <= 0) {
			e = ETIMEDOUT;
			break;
		}
		n = poll(&pfd, 1, (int)left);
		if (n < 0 && errno != EINTR)
			e = errno;
		else if (n > 0 && getsockopt(fd, SOL_SOCKET, SO_ERROR, &e,
					     &len) < 0)
			e = errno;
	}
	close(fd);
	return e;
}

int probe_tcp(const char *host, const char *port, const struct probe_opts *o,
	      struct probe_result *res)
{
	struct addrinfo hints = { 0 }, *ai = NULL, *p;
	int64_t t0 = mono_us(), deadline = t0 + (int64_t)timeout_of(o) * 1000;
	int e = 0, g;

	result_init(res);
	if (!host || !*host || !port || !*port)
		return RP_EINVAL;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_ADDRCONFIG;
	if ((g = getaddrinfo(host, port, &hints, &ai)) != 0) {
		snprintf(res->error, sizeof(res->error), "%s: %s", host,
			 gai_strerror(g));
		return 0;
	}
	for (p = ai; p; p = p->ai_next)
		if ((e = connect_one(p, deadline)) == 0 || e == ETIMEDOUT)
			break;
	freeaddrinfo(ai);
	if (e) {
		snprintf(res->error, sizeof(res->error), "%s port %s: %s",
			 host, port, e == ETIMEDOUT ? "connection timed out" :
			 strerror(e));
		return 0;
	}
	res->up = 1;
	res->latency_ms = (double)(mono_us() - t0) / 1000.0;
	return 0;
}

/* ---- HTTP ------------------------------------------------------------- */

int probe_cert_time(const char *s, int64_t *out)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	const char *m = NULL;
	struct tm tm = { 0 };
	long v[5];
	size_t i;
	char *end;

	for (i = 0; i < 12 && !m; i++) {
		if (!strncmp(s, months + 3 * i, 3)) {
			tm.tm_mon = (int)i;
			m = s + 3;
		}
	}
	if (!m)
		return RP_EFORMAT;
	for (i = 0; i < 5; i++) {
		/* day, hour, minute, second, year; separators ' ' and ':' */
		while (*m == ' ' || (*m == ':' && i >= 2 && i <= 3))
			m++;
		if (*m < '0' || *m > '9')
			return RP_EFORMAT;
		v[i] = strtol(m, &end, 10);
		m = end;
	}
	if (strcmp(m, " GMT") || v[0] < 1 || v[0] > 31 || v[1] > 23 ||
	    v[2] > 59 || v[3] > 60 || v[4] < 1970 || v[4] > 9999)
		return RP_EFORMAT;
	tm.tm_mday = (int)v[0];
	tm.tm_hour = (int)v[1];
	tm.tm_min = (int)v[2];
	tm.tm_sec = (int)v[3];
	tm.tm_year = (int)v[4] - 1900;
	*out = (int64_t)timegm(&tm);
	return 0;
}

/* body_sink: counts the body and stops the transfer past the cap. */
static size_t body_sink(char *p, size_t size, size_t n, void *arg)
{
	size_t *seen = arg;

	(void)p;
	*seen += size * n;
	return *seen > PROBE_BODY_MAX ? 0 : size * n;
}

/* cert_expiry: the leaf certificate's "Expire date" from libcurl. */
static void cert_expiry(CURL *c, struct probe_result *res)
{
	struct curl_certinfo *ci = NULL;
	struct curl_slist *s;
	int64_t t;

	if (curl_easy_getinfo(c, CURLINFO_CERTINFO, &ci) != CURLE_OK ||
	    !ci || ci->num_of_certs < 1)
		return;
	for (s = ci->certinfo[0]; s; s = s->next) {
		if (strncmp(s->data, "Expire date:", 12) ||
		    probe_cert_time(s->data + 12, &t) < 0)
			continue;
		res->tls = 1;
		res->tls_expiry = t;
		res->tls_days = (double)(t - clock_now()) / 86400.0;
	}
}

/* http_setup: the options common to both attempts. */
static void http_setup(CURL *c, const char *url, const struct probe_opts *o,
		       size_t *seen, char *errbuf)
{
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)timeout_of(o));
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "reprise-probe");
	curl_easy_setopt(c, CURLOPT_CERTINFO, 1L);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, body_sink);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, seen);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	if (o && o->cainfo)
		curl_easy_setopt(c, CURLOPT_CAINFO, o->cainfo);
}

/* http_once: one GET; fills status, latency and certificate. */
static CURLcode http_once(const char *url, const struct probe_opts *o,
			  int verify, struct probe_result *res, char *errbuf)
{
	CURL *c = curl_easy_init();
	curl_off_t ttfb = 0;
	size_t seen = 0;
	CURLcode cc;

	if (!c)
		return CURLE_OUT_OF_MEMORY;
	errbuf[0] = '\0';
	http_setup(c, url, o, &seen, errbuf);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, verify ? 1L : 0L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, verify ? 2L : 0L);
	cc = curl_easy_perform(c);
	if (cc == CURLE_WRITE_ERROR && seen > PROBE_BODY_MAX)
		cc = CURLE_OK;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &res->http_status);
	curl_easy_getinfo(c, CURLINFO_STARTTRANSFER_TIME_T, &ttfb);
	res->latency_ms = (double)ttfb / 1000.0;
	cert_expiry(c, res);
	curl_easy_cleanup(c);
	return cc;
}

static int is_http_url(const char *url)
{
	return !strncmp(url, "http://", 7) || !strncmp(url, "https://", 8);
}

int probe_http(const char *url, const struct probe_opts *o,
	       struct probe_result *res)
{
	char errbuf[CURL_ERROR_SIZE], first[CURL_ERROR_SIZE];
	CURLcode cc;

	result_init(res);
	if (!url || !is_http_url(url) || strlen(url) > PROBE_URL_MAX)
		return RP_EINVAL;
	cc = http_once(url, o, 1, res, errbuf);
	if (cc == CURLE_PEER_FAILED_VERIFICATION) {
		snprintf(first, sizeof(first), "%s", errbuf);
		result_init(res);
		http_once(url, o, 0, res, errbuf);
		snprintf(res->error, sizeof(res->error),
			 "certificate not trusted: %.200s", first);
		return 0;
	}
	if (cc != CURLE_OK) {
		snprintf(res->error, sizeof(res->error), "%s",
			 errbuf[0] ? errbuf : curl_easy_strerror(cc));
		res->latency_ms = 0;
		return 0;
	}
	res->up = res->http_status >= 200 && res->http_status < 400;
	if (!res->up)
		snprintf(res->error, sizeof(res->error), "HTTP status %ld",
			 res->http_status);
	return 0;
}

/* split_hostport: "host:port" or "[v6]:port" (a trailing '/' allowed)
 * into host and port.  0 or RP_EINVAL. */
static int split_hostport(const char *hp, char *host, size_t hn, char *port,
			  size_t pn)
{
	const char *colon, *h = hp, *hend;
	size_t plen;

	if (*hp == '[') {
		h = hp + 1;
		if (!(hend = strchr(h, ']')) || hend[1] != ':')
			return RP_EINVAL;
		colon = hend + 1;
	} else {
		if (!(colon = strrchr(hp, ':')))
			return RP_EINVAL;
		hend = colon;
	}
	plen = strcspn(colon + 1, "/");
	if (hend == h || (size_t)(hend - h) >= hn || plen == 0 ||
	    plen >= pn || colon[1 + plen + (colon[1 + plen] == '/')] != '\0')
		return RP_EINVAL;
	memcpy(host, h, (size_t)(hend - h));
	host[hend - h] = '\0';
	memcpy(port, colon + 1, plen);
	port[plen] = '\0';
	return 0;
}

int probe_url(const char *url, const struct probe_opts *o,
	      struct probe_result *res)
{
	char host[256], port[32];

	result_init(res);
	if (!url || strlen(url) > PROBE_URL_MAX)
		return RP_EINVAL;
	if (is_http_url(url))
		return probe_http(url, o, res);
	if (strncmp(url, "tcp://", 6) ||
	    split_hostport(url + 6, host, sizeof(host), port, sizeof(port)))
		return RP_EINVAL;
	return probe_tcp(host, port, o, res);
}

int probe_samples(const char *url, const struct probe_result *res,
		  struct monitor_samples *out)
{
	char l[MONITOR_LABELS_MAX];
	int r;

	if ((r = monitor_label(l, sizeof(l), "target", url)) < 0)
		return r;
	r = monitor_samples_add(out, "probe_up", l, res->up ? 1 : 0);
	if (r == 0 && res->up)
		r = monitor_samples_add(out, "probe_latency_ms", l,
					res->latency_ms);
	if (r == 0 && res->http_status)
		r = monitor_samples_add(out, "probe_http_status", l,
					(double)res->http_status);
	if (r == 0 && res->tls && !isnan(res->tls_days))
		r = monitor_samples_add(out, "probe_tls_days_left", l,
					res->tls_days);
	return r;
}
