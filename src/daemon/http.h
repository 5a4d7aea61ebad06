/*
 * http: the daemon's small HTTP server (libmicrohttpd), routes as table
 * rows.
 *
 * MHD runs its own polling thread.  Each request is parsed under caps
 * (URL, body) before any handler sees it; handlers get a struct http_req
 * and fill a struct http_resp, and never touch the connection.  A handler
 * runs on MHD's thread: it may only call what its owner made thread-safe
 * (the daemon hands it a callback that queues events).  The listener binds
 * 127.0.0.1 unless told otherwise.
 *
 * MHD trap (ECOSYSTEM.md §5): a response queued on the first callback of a
 * request gets "Connection: close"; we answer on the second.
 */
#ifndef RP_HTTP_H
#define RP_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

#define HTTP_BODY_MAX (64 * 1024)

struct http_req {
	const char *method;     /* "GET", "POST", "HEAD" */
	const char *path;       /* without the query */
	const uint8_t *body;
	size_t body_len;
	const char *remote;     /* peer address, for logs */
};

struct http_resp {
	int status;
	const char *type;       /* Content-Type; NULL: text/plain */
	struct buf body;
};

typedef void (*http_handler)(const struct http_req *req,
			     struct http_resp *resp, void *arg);

struct http_route {
	const char *method;     /* NULL: any of GET, POST, HEAD */
	const char *prefix;     /* the path starts with this */
	http_handler fn;
};

struct http_server;

/* http_start: listens on addr ("127.0.0.1:8080", ":0" or "HOST:0" picks a
 * port: see http_port).  routes (terminated by a NULL fn) and arg are
 * borrowed for the server's life.  0, RP_EINVAL (bad address), RP_EIO. */
int http_start(const char *addr, const struct http_route *routes, void *arg,
	       struct http_server **out);
int http_port(const struct http_server *s);
void http_stop(struct http_server *s);

#endif
