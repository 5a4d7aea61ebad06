/*
 * ping: a dead man's switch compatible with healthchecks.io.
 *
 * Work that reprise does not run (a provider's backup, a cron script,
 * another backup tool) reports in over HTTP:
 *     /ping/UUID             success          /ping/UUID/start   started
 *     /ping/UUID/fail        failure          /ping/UUID/N       exit status N
 * (GET, POST or HEAD; a POST body up to 64 KiB is kept as the last
 * message).  Each heartbeat has a period and a grace time; it is DOWN when
 * nothing succeeded for period + grace since the last success (or since the
 * daemon started watching, for one that never pinged), when its last ping
 * was a failure, or when a run that started has not finished within the
 * grace time.  The table is shared between the HTTP thread and the
 * daemon's loop and locks itself.
 */
#ifndef RP_PING_H
#define RP_PING_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "daemon/http.h"

enum ping_kind { PING_SUCCESS, PING_START, PING_FAIL };

struct heartbeat {
	char name[64];
	char uuid[40];
	int64_t period_ms, grace_ms;
	int64_t watched_since_ms;
	int64_t last_success_ms, last_start_ms, last_fail_ms;
	int last_exit;              /* exit status of the last ping, -1 none */
	int64_t count;
	char last_body[256];
};

struct ping_table {
	pthread_mutex_t mu;
	struct heartbeat *v;
	size_t n;
	/* called (on the HTTP thread, unlocked) for each accepted ping;
	 * may be NULL.  The daemon records it in the catalog. */
	void (*on_ping)(const struct heartbeat *hb, enum ping_kind kind,
			int exit_code, int64_t now_ms, void *arg);
	void *arg;
};

void ping_init(struct ping_table *t);
void ping_release(struct ping_table *t);
void ping_add(struct ping_table *t, const char *name, const char *uuid,
	      int64_t period_ms, int64_t grace_ms, int64_t now_ms);
/* ping_record: applies one ping; 0, RP_ENOTFOUND (unknown UUID). */
int ping_record(struct ping_table *t, const char *uuid, enum ping_kind k,
		int exit_code, const uint8_t *body, size_t len, int64_t now_ms);
/* ping_down: 1 when heartbeat i is down at now (reason in why). */
int ping_down(struct ping_table *t, size_t i, int64_t now_ms, char *why,
	      size_t n);
/* ping_parse_path: "/ping/UUID[/start|/fail|/N]" into its parts.
 * 0 or RP_EINVAL. */
int ping_parse_path(const char *path, char uuid[40], enum ping_kind *k,
		    int *exit_code);
/* ping_http: the route handler (arg: the struct ping_table). */
void ping_http(const struct http_req *req, struct http_resp *resp,
	       void *arg);

#endif
