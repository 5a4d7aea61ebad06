/*
 * monitor: the watching layer, what the daemon measures and what it
 * foresees (DESIGN.md, "Watching").
 *
 * The layer is a set of collectors, each a module that reads one source
 * and hands back plain structs, and the judgement on top:
 *
 *   sysfs.h      temperatures and fans (hwmon, thermal zones), sysfs root
 *                injectable so tests read a fake tree
 *   smart.h      disk health through `smartctl --json` (path injectable)
 *   sys.h        free space per filesystem, load, memory (proc root
 *                injectable)
 *   probe.h      TCP connect, HTTP(S) status and latency, TLS days left
 *   freshness.h  the age of each job's newest snapshot (from the catalog)
 *   trend.h      a ring of samples per series, least-squares slope, time
 *                to a threshold, the cooling-failure rule
 *   forecast.h   thresholds (hardware defaults, plan overrides), the
 *                early-warning verdicts and their sentences
 *
 * Nothing here prints, stores or sleeps: each collector returns what it
 * read, X_samples() turns it into rows (metric, labels, value) that the
 * daemon writes with catalog_sample_add (downsampling and retention are
 * the catalog's), and the daemon feeds the same values to one struct
 * trend per series and asks forecast.h for verdicts, which the alert layer
 * turns into alerts.  "Now" is always clock_now_ms() (util/clock.h), read
 * by the caller and passed in, so a test replays an hour in a second.
 * Durations measured on the wall (a probe's latency, a command's timeout)
 * use CLOCK_MONOTONIC instead: a sped-up test clock must not shorten them.
 *
 * Series names.  A series is (metric, labels), labels written canonically
 * as the catalog wants them (keys sorted, values quoted and escaped as in
 * Prometheus' text format):
 *
 *   temp_celsius{sensor="coretemp/temp1"}      fan_rpm{sensor="nct6775/fan1"}
 *   fs_size_bytes{mount="/"}   fs_avail_bytes{mount="/"}
 *   fs_used_bytes{mount="/"}   (size - free: what root's reserve hides too)
 *   load1 load5 load15         mem_total_bytes   mem_available_bytes
 *   smart_health{device="/dev/sda"} (0 ok, 1 warning, 2 failing, 3 unknown)
 *   smart_temp_celsius   smart_power_on_hours   smart_reallocated_sectors
 *   smart_pending_sectors   nvme_percentage_used   nvme_media_errors
 *   probe_up{target="URL"}  probe_latency_ms  probe_http_status
 *   probe_tls_days_left
 *   snapshot_age_seconds{job="J",repo="R"}
 *
 * Translation.  Sentences for people are built from N_()-marked English
 * formats passed through a monitor_tr_fn, which the CLI or the daemon sets
 * to gettext; NULL keeps English.
 */
#ifndef RP_MONITOR_H
#define RP_MONITOR_H

#include <stddef.h>

#ifndef N_
#define N_(s) (s)
#endif

/* monitor_tr_fn: translates a message ID (a printf format or a word);
 * returns a string that lives at least as long as the call. */
typedef const char *(*monitor_tr_fn)(const char *msgid);

/* monitor_tr: tr(msgid), or msgid when tr is NULL. */
const char *monitor_tr(monitor_tr_fn tr, const char *msgid);

#define MONITOR_METRIC_MAX 40
#define MONITOR_LABELS_MAX 320
#define MONITOR_SAMPLES_MAX 100000  /* rows in one batch */

struct monitor_sample {
	char metric[MONITOR_METRIC_MAX];
	char labels[MONITOR_LABELS_MAX];
	double value;
};

/* A growing batch of samples; zero-initialised storage is empty. */
struct monitor_samples {
	struct monitor_sample *v;
	size_t n, cap;
};

#define MONITOR_SAMPLES_INIT { NULL, 0, 0 }

/* monitor_samples_add: appends one row (metric and labels are copied).
 * 0, RP_EINVAL (no metric, value not finite, metric or labels too long),
 * RP_ENOMEM (already MONITOR_SAMPLES_MAX rows). */
int monitor_samples_add(struct monitor_samples *s, const char *metric,
			const char *labels, double value);
/* monitor_samples_release: frees the rows; s is empty after. */
void monitor_samples_release(struct monitor_samples *s);

/* monitor_label: writes `key="value"` into out[0..outlen), value escaped
 * (\\, \", \n).  For two keys call it twice and join with a comma, keys
 * in sorted order.  0, or RP_EINVAL when it does not fit (out is ""). */
int monitor_label(char *out, size_t outlen, const char *key,
		  const char *value);
/* monitor_label2: `k1="v1",k2="v2"` (k1 < k2).  0 or RP_EINVAL. */
int monitor_label2(char *out, size_t outlen, const char *k1, const char *v1,
		   const char *k2, const char *v2);

#endif
