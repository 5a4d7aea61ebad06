/*
 * probe: is a service answering, how fast, and how long its certificate
 * has left.
 *
 * The plan lists probes as URLs (hosts.monitoring.probes):
 *
 *   tcp://HOST:PORT      a TCP connect (non-blocking, under the timeout)
 *   http://HOST[:PORT]/PATH, https://...
 *                        a GET through libcurl; up when the status is
 *                        200..399 (redirects are not followed: a 301 is an
 *                        answer); over https, the server certificate's
 *                        expiry from libcurl's certificate info
 *
 * A probe always runs to a result: a refused connection, a timeout, an
 * HTTP 503 or a certificate that does not verify is res->up = 0 with the
 * reason in res->error, and the function returns 0.  Only a malformed
 * request (a URL of another scheme, no port) is an error code.  When the
 * certificate does not verify (expired, unknown issuer, wrong name), the
 * request is made once more without verification, only to read the
 * certificate's dates and the status, so the days left are known (and
 * negative for an expired certificate) while up stays 0.
 *
 * Latency is wall time on CLOCK_MONOTONIC (never the injectable clock):
 * for TCP, name resolution plus connect; for HTTP, the time to the first
 * byte of the response (resolution, connect, TLS handshake and the
 * server's thinking).  Name resolution uses the system resolver, which the
 * timeout does not bound (NEEDSWORK: resolve asynchronously).  Bodies are
 * read up to PROBE_BODY_MAX bytes and then dropped.
 *
 * libcurl: the daemon should call curl_global_init once at start-up, before
 * threads; probes are safe to run from several threads (CURLOPT_NOSIGNAL).
 *
 *   struct probe_result pr;
 *   probe_url("https://intranet.example/health", NULL, &pr);
 *   if (!pr.up) ... pr.error ...;  if (pr.tls && pr.tls_days < 14) ...
 */
#ifndef RP_PROBE_H
#define RP_PROBE_H

#include <stdint.h>

#include "monitor/monitor.h"

#define PROBE_TIMEOUT_MS 10000
#define PROBE_BODY_MAX ((size_t)64 << 10)
#define PROBE_URL_MAX 2048

struct probe_opts {
	int timeout_ms;       /* 0: PROBE_TIMEOUT_MS */
	const char *cainfo;   /* a PEM file of trusted CAs (tests, private
			       * CAs); NULL: the system's */
};

struct probe_result {
	int up;               /* 1: answered as expected */
	double latency_ms;    /* see above; 0 when down before an answer */
	long http_status;     /* 0 for TCP, or when nothing answered */
	int tls;              /* 1: a server certificate was seen */
	double tls_days;      /* days until it expires (< 0: expired) */
	int64_t tls_expiry;   /* its notAfter, Unix seconds */
	char error[256];      /* why down, "" when up */
};

/* probe_tcp: connects to host:port (port a number or a service name).
 * 0 (result in *res), RP_EINVAL (host or port empty). */
int probe_tcp(const char *host, const char *port, const struct probe_opts *o,
	      struct probe_result *res);
/* probe_http: GET url (http:// or https:// only).  0, RP_EINVAL. */
int probe_http(const char *url, const struct probe_opts *o,
	       struct probe_result *res);
/* probe_url: tcp://HOST:PORT ([v6 address] in brackets), http(s)://.
 * o may be NULL.  0, RP_EINVAL (another scheme, no port, over
 * PROBE_URL_MAX bytes). */
int probe_url(const char *url, const struct probe_opts *o,
	      struct probe_result *res);

/* probe_cert_time: parses OpenSSL's printed time ("Mar  1 12:00:00 2030
 * GMT", as in libcurl's "Expire date") into Unix seconds, in any locale.
 * 0 or RP_EFORMAT. */
int probe_cert_time(const char *s, int64_t *out);

/* probe_samples: probe_up, probe_latency_ms (when up), probe_http_status
 * (HTTP), probe_tls_days_left (when known) with target="URL".  0, or the
 * first error of monitor_samples_add. */
int probe_samples(const char *url, const struct probe_result *res,
		  struct monitor_samples *out);

#endif
