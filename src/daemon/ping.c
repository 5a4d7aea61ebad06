#include "daemon/ping.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/clock.h"
#include "util/err.h"
#include "util/xmalloc.h"

void ping_init(struct ping_table *t)
{
	memset(t, 0, sizeof(*t));
	pthread_mutex_init(&t->mu, NULL);
}

void ping_release(struct ping_table *t)
{
	free(t->v);
	pthread_mutex_destroy(&t->mu);
	memset(t, 0, sizeof(*t));
}

void ping_add(struct ping_table *t, const char *name, const char *uuid,
	      int64_t period_ms, int64_t grace_ms, int64_t now_ms)
{
	struct heartbeat *hb;

	pthread_mutex_lock(&t->mu);
	t->v = xreallocarray(t->v, t->n + 1, sizeof(*t->v));
	hb = &t->v[t->n++];
	memset(hb, 0, sizeof(*hb));
	snprintf(hb->name, sizeof(hb->name), "%s", name);
	snprintf(hb->uuid, sizeof(hb->uuid), "%s", uuid);
	hb->period_ms = period_ms;
	hb->grace_ms = grace_ms;
	hb->watched_since_ms = now_ms;
	hb->last_exit = -1;
	pthread_mutex_unlock(&t->mu);
}

static int is_uuid(const char *s, size_t n)
{
	size_t i;

	if (n != 36)
		return 0;
	for (i = 0; i < n; i++) {
		int dash = i == 8 || i == 13 || i == 18 || i == 23;
		char c = s[i];

		if (dash ? c != '-' : !((c >= '0' && c <= '9') ||
					(c >= 'a' && c <= 'f') ||
					(c >= 'A' && c <= 'F')))
			return 0;
	}
	return 1;
}

int ping_parse_path(const char *path, char uuid[40], enum ping_kind *k,
		    int *exit_code)
{
	const char *u, *rest;
	size_t n;

	if (strncmp(path, "/ping/", 6) != 0)
		return RP_EINVAL;
	u = path + 6;
	rest = strchr(u, '/');
	n = rest ? (size_t)(rest - u) : strlen(u);
	if (!is_uuid(u, n))
		return RP_EINVAL;
	memcpy(uuid, u, n);
	uuid[n] = '\0';
	*k = PING_SUCCESS;
	*exit_code = 0;
	if (rest == NULL || strcmp(rest, "/") == 0)
		return 0;
	if (strcmp(rest, "/start") == 0) {
		*k = PING_START;
		return 0;
	}
	if (strcmp(rest, "/fail") == 0) {
		*k = PING_FAIL;
		*exit_code = 1;
		return 0;
	}
	{
		char *end;
		long v = strtol(rest + 1, &end, 10);

		if (rest[1] == '\0' || *end || v < 0 || v > 255)
			return RP_EINVAL;
		*exit_code = (int)v;
		*k = v == 0 ? PING_SUCCESS : PING_FAIL;
	}
	return 0;
}

static struct heartbeat *find(struct ping_table *t, const char *uuid)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (strcasecmp(t->v[i].uuid, uuid) == 0)
			return &t->v[i];
	return NULL;
}

int ping_record(struct ping_table *t, const char *uuid, enum ping_kind k,
		int exit_code, const uint8_t *body, size_t len, int64_t now_ms)
{
	struct heartbeat *hb, copy;
	size_t n = len < sizeof(hb->last_body) - 1 ? len
						   : sizeof(hb->last_body) - 1;

	pthread_mutex_lock(&t->mu);
	if ((hb = find(t, uuid)) == NULL) {
		pthread_mutex_unlock(&t->mu);
		return RP_ENOTFOUND;
	}
	if (k == PING_START)
		hb->last_start_ms = now_ms;
	else if (k == PING_FAIL)
		hb->last_fail_ms = now_ms;
	else
		hb->last_success_ms = now_ms;
	if (k != PING_START) {
		hb->last_exit = exit_code;
		hb->last_start_ms = 0;
	}
	hb->count++;
	if (body && n) {
		memcpy(hb->last_body, body, n);
		hb->last_body[n] = '\0';
	}
	copy = *hb;
	pthread_mutex_unlock(&t->mu);
	if (t->on_ping)
		t->on_ping(&copy, k, exit_code, now_ms, t->arg);
	return 0;
}

int ping_down(struct ping_table *t, size_t i, int64_t now_ms, char *why,
	      size_t n)
{
	struct heartbeat hb;
	int64_t since;

	pthread_mutex_lock(&t->mu);
	hb = t->v[i];
	pthread_mutex_unlock(&t->mu);
	since = hb.last_success_ms ? hb.last_success_ms : hb.watched_since_ms;
	if (hb.last_fail_ms > hb.last_success_ms) {
		snprintf(why, n, "its last run failed (exit status %d)",
			 hb.last_exit);
		return 1;
	}
	if (hb.last_start_ms && now_ms > hb.last_start_ms + hb.grace_ms) {
		snprintf(why, n, "a run started and did not finish");
		return 1;
	}
	if (now_ms > since + hb.period_ms + hb.grace_ms) {
		snprintf(why, n, hb.last_success_ms ? "no successful ping "
			 "within its period" : "it never reported");
		return 1;
	}
	return 0;
}

void ping_http(const struct http_req *req, struct http_resp *resp, void *arg)
{
	struct ping_table *t = arg;
	char uuid[40];
	enum ping_kind k;
	int code;

	if (ping_parse_path(req->path, uuid, &k, &code) < 0) {
		resp->status = 400;
		buf_adds(&resp->body, "bad ping URL\n");
		return;
	}
	if (ping_record(t, uuid, k, code, req->body, req->body_len,
			clock_now_ms()) < 0) {
		resp->status = 404;
		buf_adds(&resp->body, "not found\n");
		return;
	}
	buf_adds(&resp->body, "OK");
}
