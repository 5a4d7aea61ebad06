/*
 * test_monitor_probe: probes against real servers on 127.0.0.1: a
 * listening socket for TCP, a small HTTP server in a thread, and
 * `openssl s_server` with certificates made here with libcrypto (valid,
 * expired) for HTTPS; closed ports, timeouts and bad URLs fail cleanly.
 * The HTTPS cases are skipped when the openssl program is missing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "monitor/probe.h"
#include "util/clock.h"
#include "util/err.h"
#include "util/fsx.h"

extern char **environ;

static char scratch[PATH_MAX];

static double dabs(double a)
{
	return a < 0 ? -a : a;
}

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* listener: a socket bound to 127.0.0.1 on a free port, listening. */
static int listener(int backlog, int *port)
{
	struct sockaddr_in a = { 0 };
	socklen_t len = sizeof(a);
	int one = 1, fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	assert_true(fd >= 0);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(fd, backlog), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	*port = ntohs(a.sin_port);
	return fd;
}

/* free_port: a port nobody listens on (bound, then closed). */
static int free_port(void)
{
	int port, fd = listener(1, &port);

	close(fd);
	return port;
}

/* ---- TCP -------------------------------------------------------------- */

static void test_probe__tcp(void **state)
{
	struct probe_result r;
	char port[16], url[64];
	int p, fd = listener(16, &p);

	(void)state;
	snprintf(port, sizeof(port), "%d", p);
	assert_int_equal(probe_tcp("127.0.0.1", port, NULL, &r), 0);
	assert_int_equal(r.up, 1);
	assert_true(r.latency_ms >= 0 && r.latency_ms < 5000);
	assert_string_equal(r.error, "");
	assert_int_equal(r.http_status, 0);
	assert_int_equal(r.tls, 0);
	snprintf(url, sizeof(url), "tcp://localhost:%d", p);
	assert_int_equal(probe_url(url, NULL, &r), 0);
	assert_int_equal(r.up, 1);
	snprintf(url, sizeof(url), "tcp://127.0.0.1:%d/", p);
	assert_int_equal(probe_url(url, NULL, &r), 0);
	assert_int_equal(r.up, 1);
	close(fd);
}

static void test_probe__tcp_closed(void **state)
{
	struct probe_result r;
	char port[16];
	int64_t t0 = mono_ms();

	(void)state;
	snprintf(port, sizeof(port), "%d", free_port());
	assert_int_equal(probe_tcp("127.0.0.1", port, NULL, &r), 0);
	assert_int_equal(r.up, 0);
	assert_non_null(strstr(r.error, "Connection refused"));
	assert_true(mono_ms() - t0 < 2000);
	assert_int_equal(probe_tcp("no-such-host.invalid", "80", NULL, &r), 0);
	assert_int_equal(r.up, 0);
	assert_non_null(strstr(r.error, "no-such-host.invalid"));
}

static void test_probe__tcp_timeout(void **state)
{
	struct probe_opts o = { .timeout_ms = 300 };
	struct probe_result r;
	char port[16];
	int p, fd = listener(0, &p), fill[8], i, nfill = 0;
	int64_t t0;

	(void)state;
	/* fill the accept queue (never accepted): further SYNs are dropped */
	snprintf(port, sizeof(port), "%d", p);
	for (i = 0; i < 8; i++) {
		struct sockaddr_in a = { 0 };

		fill[nfill] = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
		a.sin_family = AF_INET;
		a.sin_port = htons((uint16_t)p);
		a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		connect(fill[nfill], (struct sockaddr *)&a, sizeof(a));
		nfill++;
	}
	usleep(100 * 1000);
	t0 = mono_ms();
	assert_int_equal(probe_tcp("127.0.0.1", port, &o, &r), 0);
	if (r.up) {
		skip();   /* this kernel let it through anyway */
	} else {
		assert_string_equal(strstr(r.error, "connection timed out"),
				    "connection timed out");
		assert_true(mono_ms() - t0 >= 250 && mono_ms() - t0 < 3000);
	}
	for (i = 0; i < nfill; i++)
		close(fill[i]);
	close(fd);
}

static void test_probe__bad_urls(void **state)
{
	static const char *const bad[] = {
		"ftp://example.org/", "tcp://example.org", "tcp://:80",
		"tcp://host:", "tcp://host:80/path", "tcp://[::1]80",
		"tcp://[::1", "gopher://x:70", "", "http:/x",
	};
	struct probe_result r;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (probe_url(bad[i], NULL, &r) != RP_EINVAL)
			fail_msg("accepted %s", bad[i]);
	assert_int_equal(probe_url(NULL, NULL, &r), RP_EINVAL);
	assert_int_equal(probe_tcp("", "80", NULL, &r), RP_EINVAL);
	assert_int_equal(probe_http("tcp://x:1", NULL, &r), RP_EINVAL);
}

/* ---- HTTP ------------------------------------------------------------- */

struct http_server {
	int fd, port;
	volatile int stop;
	pthread_t th;
};

static void write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w <= 0)
			return;
		p += w;
		n -= (size_t)w;
	}
}

/* answer: the response for the request's path. */
static void answer(int c, const char *req)
{
	static const char big_head[] = "HTTP/1.1 200 OK\r\nContent-Length: "
				       "262144\r\nConnection: close\r\n\r\n";
	const char *resp = "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n"
			   "Connection: close\r\n\r\n";
	static char chunk[4096];
	int i;

	if (!strncmp(req, "GET /ok ", 8))
		resp = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n"
		       "Connection: close\r\n\r\nhello";
	else if (!strncmp(req, "GET /fail ", 10))
		resp = "HTTP/1.1 503 Service Unavailable\r\nContent-Length: "
		       "0\r\nConnection: close\r\n\r\n";
	else if (!strncmp(req, "GET /moved ", 11))
		resp = "HTTP/1.1 301 Moved Permanently\r\nLocation: /ok\r\n"
		       "Content-Length: 0\r\nConnection: close\r\n\r\n";
	else if (!strncmp(req, "GET /slow ", 10))
		sleep(2);
	if (!strncmp(req, "GET /big ", 9)) {
		write_all(c, big_head, strlen(big_head));
		memset(chunk, 'x', sizeof(chunk));
		for (i = 0; i < 64; i++)
			write_all(c, chunk, sizeof(chunk));
		return;
	}
	write_all(c, resp, strlen(resp));
}

/* serve_one: reads a request head, answers, closes. */
static void serve_one(int c)
{
	char req[4096];
	size_t n = 0;
	ssize_t got;

	while (n < sizeof(req) - 1) {
		got = read(c, req + n, sizeof(req) - 1 - n);
		if (got <= 0)
			break;
		n += (size_t)got;
		req[n] = '\0';
		if (strstr(req, "\r\n\r\n"))
			break;
	}
	req[n] = '\0';
	answer(c, req);
	close(c);
}

static void *http_thread(void *arg)
{
	struct http_server *s = arg;
	struct pollfd pfd = { s->fd, POLLIN, 0 };
	int c;

	signal(SIGPIPE, SIG_IGN);
	while (!s->stop) {
		if (poll(&pfd, 1, 100) <= 0)
			continue;
		if ((c = accept(s->fd, NULL, NULL)) >= 0)
			serve_one(c);
	}
	return NULL;
}

static void http_start(struct http_server *s)
{
	s->stop = 0;
	s->fd = listener(16, &s->port);
	assert_int_equal(pthread_create(&s->th, NULL, http_thread, s), 0);
}

static void http_stop(struct http_server *s)
{
	s->stop = 1;
	pthread_join(s->th, NULL);
	close(s->fd);
}

static void get(struct http_server *s, const char *path,
		const struct probe_opts *o, struct probe_result *r)
{
	char url[128];

	snprintf(url, sizeof(url), "http://127.0.0.1:%d%s", s->port, path);
	assert_int_equal(probe_url(url, o, r), 0);
}

static void test_probe__http(void **state)
{
	struct probe_opts fast = { .timeout_ms = 300 };
	struct http_server s;
	struct probe_result r;
	int64_t t0;

	(void)state;
	http_start(&s);
	get(&s, "/ok", NULL, &r);
	assert_int_equal(r.up, 1);
	assert_int_equal(r.http_status, 200);
	assert_true(r.latency_ms > 0 && r.latency_ms < 5000);
	assert_int_equal(r.tls, 0);
	assert_true(isnan(r.tls_days));
	assert_string_equal(r.error, "");
	get(&s, "/fail", NULL, &r);
	assert_int_equal(r.up, 0);
	assert_int_equal(r.http_status, 503);
	assert_string_equal(r.error, "HTTP status 503");
	get(&s, "/nothing", NULL, &r);
	assert_int_equal(r.up, 0);
	assert_int_equal(r.http_status, 404);
	/* a redirect is an answer; it is not followed */
	get(&s, "/moved", NULL, &r);
	assert_int_equal(r.up, 1);
	assert_int_equal(r.http_status, 301);
	/* a big body is cut at the cap; the status stands */
	get(&s, "/big", NULL, &r);
	assert_int_equal(r.up, 1);
	assert_int_equal(r.http_status, 200);
	/* a server that does not answer in time */
	t0 = mono_ms();
	get(&s, "/slow", &fast, &r);
	assert_int_equal(r.up, 0);
	assert_int_equal(r.http_status, 0);
	assert_non_null(strstr(r.error, "imed out"));
	assert_true(mono_ms() - t0 < 1900);
	http_stop(&s);
}

static void test_probe__http_closed(void **state)
{
	struct probe_result r;
	char url[64];

	(void)state;
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/", free_port());
	assert_int_equal(probe_url(url, NULL, &r), 0);
	assert_int_equal(r.up, 0);
	assert_int_equal(r.http_status, 0);
	assert_true(r.latency_ms == 0);
	assert_true(strlen(r.error) > 0);
}

/* ---- HTTPS ------------------------------------------------------------ */

/* make_cert: a self-signed P-256 certificate for 127.0.0.1 valid from
 * `from` to `to` days from now, as key and cert PEM files in scratch. */
static void make_cert(const char *name, long from, long to, char *key,
		      char *crt, size_t n)
{
	EVP_PKEY *pk = EVP_EC_gen("P-256");
	X509 *x = X509_new();
	X509_NAME *nm = X509_get_subject_name(x);
	X509V3_CTX ctx;
	X509_EXTENSION *ext;
	FILE *f;

	assert_non_null(pk);
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
	X509_gmtime_adj(X509_getm_notBefore(x), from * 86400);
	X509_gmtime_adj(X509_getm_notAfter(x), to * 86400);
	X509_set_pubkey(x, pk);
	X509_NAME_add_entry_by_txt(nm, "CN", MBSTRING_ASC,
				   (const unsigned char *)"127.0.0.1", -1, -1,
				   0);
	X509_set_issuer_name(x, nm);
	X509V3_set_ctx(&ctx, x, x, NULL, NULL, 0);
	ext = X509V3_EXT_conf_nid(NULL, &ctx, NID_subject_alt_name,
				  "IP:127.0.0.1");
	X509_add_ext(x, ext, -1);
	X509_EXTENSION_free(ext);
	assert_true(X509_sign(x, pk, EVP_sha256()) > 0);
	snprintf(key, n, "%s/%s.key", scratch, name);
	snprintf(crt, n, "%s/%s.pem", scratch, name);
	assert_non_null(f = fopen(key, "w"));
	PEM_write_PrivateKey(f, pk, NULL, NULL, 0, NULL, NULL);
	fclose(f);
	assert_non_null(f = fopen(crt, "w"));
	PEM_write_X509(f, x);
	fclose(f);
	X509_free(x);
	EVP_PKEY_free(pk);
}

/* tls_server: `openssl s_server -www` with key and crt; its pid, or -1
 * when the openssl program is missing. */
static pid_t tls_server(const char *key, const char *crt, int port)
{
	char acc[32];
	const char *argv[] = { "openssl", "s_server", "-quiet", "-www",
			       "-key", key, "-cert", crt, "-accept", acc,
			       NULL };
	posix_spawn_file_actions_t fa;
	struct probe_result r;
	pid_t pid;
	int i, e;

	snprintf(acc, sizeof(acc), "127.0.0.1:%d", port);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	e = posix_spawnp(&pid, "openssl", &fa, NULL, (char *const *)argv,
			 environ);
	posix_spawn_file_actions_destroy(&fa);
	if (e)
		return -1;
	for (i = 0; i < 100; i++) {
		char port_s[16];

		snprintf(port_s, sizeof(port_s), "%d", port);
		probe_tcp("127.0.0.1", port_s, NULL, &r);
		if (r.up)
			return pid;
		usleep(50 * 1000);
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	fail_msg("openssl s_server did not start");
	return -1;
}

static void tls_stop(pid_t pid)
{
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
}

static void test_probe__https(void **state)
{
	char key[PATH_MAX + 32], crt[PATH_MAX + 32], url[64];
	struct probe_opts o = { 0 };
	struct probe_result r;
	int port = free_port();
	pid_t pid;

	(void)state;
	make_cert("valid", -1, 10, key, crt, sizeof(key));
	if ((pid = tls_server(key, crt, port)) < 0)
		skip();
	snprintf(url, sizeof(url), "https://127.0.0.1:%d/", port);
	/* trusted (its own CA file): up, 10 days left */
	o.cainfo = crt;
	assert_int_equal(probe_url(url, &o, &r), 0);
	if (!r.up)
		fail_msg("%s", r.error);
	assert_int_equal(r.http_status, 200);
	assert_int_equal(r.tls, 1);
	assert_true(r.tls_days > 9.99 && r.tls_days <= 10.0);
	assert_true(dabs((double)(r.tls_expiry - time(NULL)) - 10 * 86400) <
		    60);
	/* days are counted on the injectable clock */
	assert_int_equal(clock_set("2000-01-01T00:00:00Z"), 0);
	assert_int_equal(probe_url(url, &o, &r), 0);
	assert_true(r.tls_days > 9000);
	clock_set(NULL);
	/* not trusted: down, but the days are still read */
	assert_int_equal(probe_url(url, NULL, &r), 0);
	assert_int_equal(r.up, 0);
	assert_non_null(strstr(r.error, "certificate not trusted"));
	assert_int_equal(r.tls, 1);
	assert_true(r.tls_days > 9.99 && r.tls_days <= 10.0);
	tls_stop(pid);
}

static void test_probe__https_expired(void **state)
{
	char key[PATH_MAX + 32], crt[PATH_MAX + 32], url[64];
	struct probe_opts o = { 0 };
	struct probe_result r;
	int port = free_port();
	pid_t pid;

	(void)state;
	make_cert("expired", -30, -2, key, crt, sizeof(key));
	if ((pid = tls_server(key, crt, port)) < 0)
		skip();
	snprintf(url, sizeof(url), "https://127.0.0.1:%d/", port);
	o.cainfo = crt;
	assert_int_equal(probe_url(url, &o, &r), 0);
	assert_int_equal(r.up, 0);
	assert_non_null(strstr(r.error, "certificate not trusted"));
	assert_int_equal(r.tls, 1);
	assert_true(r.tls_days < -1.99 && r.tls_days > -2.01);
	tls_stop(pid);
}

static void test_probe__cert_time(void **state)
{
	static const struct {
		const char *s;
		int64_t t;
	} good[] = {
		{ "Jan 19 03:14:08 2038 GMT", 2147483648 },
		{ "Mar  1 12:00:00 2030 GMT", 1898596800 },
		{ "Dec 31 23:59:59 1999 GMT", 946684799 },
	};
	static const char *const bad[] = {
		"", "Foo  1 12:00:00 2030 GMT", "Mar  1 12:00:00 2030",
		"Mar 32 12:00:00 2030 GMT", "Mar  1 24:00:00 2030 GMT",
		"Mar  1 12:00 2030 GMT", "Mar  1 12:00:00 2030 UTC",
		"Mar", "Mar x1 12:00:00 2030 GMT",
	};
	int64_t t;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		assert_int_equal(probe_cert_time(good[i].s, &t), 0);
		assert_int_equal(t, good[i].t);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (probe_cert_time(bad[i], &t) != RP_EFORMAT)
			fail_msg("accepted \"%s\"", bad[i]);
}

static void test_probe__samples(void **state)
{
	struct monitor_samples s = MONITOR_SAMPLES_INIT;
	struct probe_result r = { .up = 1, .latency_ms = 12.5,
				  .http_status = 200, .tls = 1,
				  .tls_days = 41.5 };

	(void)state;
	assert_int_equal(probe_samples("https://intranet/", &r, &s), 0);
	assert_int_equal(s.n, 4);
	assert_string_equal(s.v[0].metric, "probe_up");
	assert_string_equal(s.v[0].labels, "target=\"https://intranet/\"");
	assert_true(s.v[0].value == 1);
	assert_string_equal(s.v[3].metric, "probe_tls_days_left");
	assert_true(s.v[3].value == 41.5);
	monitor_samples_release(&s);
	r.up = 0;
	r.http_status = 0;
	r.tls = 0;
	assert_int_equal(probe_samples("tcp://db:5432", &r, &s), 0);
	assert_int_equal(s.n, 1);
	assert_true(s.v[0].value == 0);
	monitor_samples_release(&s);
}

static int setup(void **state)
{
	const char *tmp = getenv("TMPDIR");

	(void)state;
	snprintf(scratch, sizeof(scratch), "%s/test_monitor_probe.XXXXXX",
		 tmp ? tmp : "/tmp");
	return mkdtemp(scratch) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	return fsx_remove_tree(scratch) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_probe__tcp),
		cmocka_unit_test(test_probe__tcp_closed),
		cmocka_unit_test(test_probe__tcp_timeout),
		cmocka_unit_test(test_probe__bad_urls),
		cmocka_unit_test(test_probe__http),
		cmocka_unit_test(test_probe__http_closed),
		cmocka_unit_test(test_probe__https),
		cmocka_unit_test(test_probe__https_expired),
		cmocka_unit_test(test_probe__cert_time),
		cmocka_unit_test(test_probe__samples),
	};
	static const char *const proxies[] = {
		"http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY",
		"all_proxy", "ALL_PROXY",
	};
	size_t i;
	int r;

	/* the servers are local: no proxy from the environment */
	for (i = 0; i < sizeof(proxies) / sizeof(proxies[0]); i++)
		unsetenv(proxies[i]);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	r = cmocka_run_group_tests(tests, setup, teardown);
	curl_global_cleanup();
	return r;
}
