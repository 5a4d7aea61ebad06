/*
 * watch: what the daemon does between jobs: collect, foresee, alert.
 *
 * Each collect turn reads the collectors of monitor/ (sysfs, SMART, file
 * systems, load, probes, snapshot ages), stores the samples in the
 * catalog, feeds one trend per series, turns the early-warning verdicts,
 * heartbeats and backup freshness into alert conditions for alert/, and
 * sends the notifications the alert engine asks for (notify/).  maintain
 * downsamples the catalog's samples.  Both return 0 or a small status.
 */
#ifndef RP_WATCH_H
#define RP_WATCH_H

#include <stdint.h>

#include "util/jsonw.h"

struct daemon_opts;
struct plan;
struct catalog;
struct ping_table;
struct watch;

struct watch *watch_new(const struct daemon_opts *o, struct plan *p,
			struct catalog *cat, struct ping_table *pings,
			int64_t now_ms);
void watch_set_plan(struct watch *w, struct plan *p);
int watch_collect(struct watch *w, int64_t now_ms);
int watch_maintain(struct watch *w, int64_t now_ms);
/* watch_status_json: the firing alerts and heartbeats, as a JSON value. */
void watch_status_json(struct watch *w, struct jsonw *j, int64_t now_ms);
void watch_free(struct watch *w);

#endif
