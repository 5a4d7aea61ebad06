#include "daemon/http.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "util/err.h"
#include "util/log.h"
#include "util/xmalloc.h"

struct http_server {
	struct MHD_Daemon *mhd;
	const struct http_route *routes;
	void *arg;
	int port;
};

/* per-request state, kept by MHD between callbacks */
struct conn {
	struct buf body;
	int too_big;
};

static const struct http_route *route_for(const struct http_server *s,
					  const char *method, const char *url)
{
	const struct http_route *r;

	for (r = s->routes; r->fn; r++) {
		if (strncmp(url, r->prefix, strlen(r->prefix)) != 0)
			continue;
		if (r->method == NULL || strcmp(r->method, method) == 0)
			return r;
	}
	return NULL;
}

static enum MHD_Result send_resp(struct MHD_Connection *c,
				 struct http_resp *resp)
{
	struct MHD_Response *r;
	enum MHD_Result ret;

	r = MHD_create_response_from_buffer(resp->body.len,
					    resp->body.len ? resp->body.p : NULL,
					    MHD_RESPMEM_MUST_COPY);
	if (r == NULL)
		return MHD_NO;
	MHD_add_response_header(r, "Content-Type",
				resp->type ? resp->type
					   : "text/plain; charset=utf-8");
	ret = MHD_queue_response(c, (unsigned)resp->status, r);
	MHD_destroy_response(r);
	return ret;
}

static void remote_of(struct MHD_Connection *c, char *out, size_t n)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);

	snprintf(out, n, "?");
	if (ci && ci->client_addr && ci->client_addr->sa_family == AF_INET)
		inet_ntop(AF_INET,
			  &((const struct sockaddr_in *)ci->client_addr)
				   ->sin_addr, out, (socklen_t)n);
}

static enum MHD_Result dispatch(struct http_server *s,
				struct MHD_Connection *c, const char *url,
				const char *method, struct conn *st)
{
	struct http_resp resp;
	struct http_req req;
	const struct http_route *r = route_for(s, method, url);
	char remote[64];
	enum MHD_Result ret;

	memset(&resp, 0, sizeof(resp));
	resp.status = 404;
	if (st->too_big) {
		resp.status = 413;
		buf_adds(&resp.body, "request body too large\n");
	} else if (r == NULL) {
		buf_adds(&resp.body, "not found\n");
	} else {
		remote_of(c, remote, sizeof(remote));
		req.method = method;
		req.path = url;
		req.body = st->body.p;
		req.body_len = st->body.len;
		req.remote = remote;
		resp.status = 200;
		r->fn(&req, &resp, s->arg);
	}
	ret = send_resp(c, &resp);
	buf_release(&resp.body);
	return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c,
				  const char *url, const char *method,
				  const char *version, const char *data,
				  size_t *size, void **ptr)
{
	struct conn *st = *ptr;

	(void)version;
	if (st == NULL) { /* first call: headers only; answer later */
		st = xcalloc(1, sizeof(*st));
		buf_init(&st->body, HTTP_BODY_MAX);
		*ptr = st;
		return MHD_YES;
	}
	if (*size) {
		if (buf_add(&st->body, data, *size) < 0)
			st->too_big = 1;
		*size = 0;
		return MHD_YES;
	}
	return dispatch(cls, c, url, method, st);
}

static void on_done(void *cls, struct MHD_Connection *c, void **ptr,
		    enum MHD_RequestTerminationCode code)
{
	struct conn *st = *ptr;

	(void)cls;
	(void)c;
	(void)code;
	if (st) {
		buf_release(&st->body);
		free(st);
	}
	*ptr = NULL;
}

static int parse_addr(const char *addr, struct sockaddr_in *sa)
{
	const char *colon = strrchr(addr, ':');
	char host[64];
	char *end;
	long port;

	if (colon == NULL || (size_t)(colon - addr) >= sizeof(host))
		return RP_EINVAL;
	memcpy(host, addr, (size_t)(colon - addr));
	host[colon - addr] = '\0';
	port = strtol(colon + 1, &end, 10);
	if (*end || port < 0 || port > 65535)
		return RP_EINVAL;
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_port = htons((uint16_t)port);
	if (host[0] == '\0')
		return inet_pton(AF_INET, "127.0.0.1", &sa->sin_addr) == 1
			       ? 0 : RP_EINVAL;
	return inet_pton(AF_INET, host, &sa->sin_addr) == 1 ? 0 : RP_EINVAL;
}

int http_start(const char *addr, const struct http_route *routes, void *arg,
	       struct http_server **out)
{
	struct sockaddr_in sa;
	struct http_server *s;
	const union MHD_DaemonInfo *di;

	if (parse_addr(addr, &sa) < 0)
		return RP_EINVAL;
	s = xcalloc(1, sizeof(*s));
	s->routes = routes;
	s->arg = arg;
	s->mhd = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD |
					  MHD_USE_EPOLL_LINUX_ONLY,
				  0, NULL, NULL, on_request, s,
				  MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
				  MHD_OPTION_NOTIFY_COMPLETED, on_done, NULL,
				  MHD_OPTION_CONNECTION_LIMIT, (unsigned)256,
				  MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
				  MHD_OPTION_END);
	if (s->mhd == NULL) {
		log_error("cannot listen on %s", addr);
		free(s);
		return RP_EIO;
	}
	di = MHD_get_daemon_info(s->mhd, MHD_DAEMON_INFO_BIND_PORT);
	s->port = di ? di->port : ntohs(sa.sin_port);
	*out = s;
	return 0;
}

int http_port(const struct http_server *s)
{
	return s->port;
}

void http_stop(struct http_server *s)
{
	if (s == NULL)
		return;
	MHD_stop_daemon(s->mhd);
	free(s);
}
