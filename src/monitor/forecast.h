/*
 * forecast: limits, early-warning verdicts and the sentences that say
 * them.
 *
 * A limit is where a metric must not go: a ceiling for a temperature, a
 * floor for a fan or for free space.  Defaults come from the hardware,
 * and the plan may override them by pattern (struct forecast_rule):
 *
 *   temperature  hwmon's crit ("critical"), else its max ("maximum"), else
 *                for a CPU FORECAST_CPU_LIMIT ("critical"); a thermal
 *                zone's critical trip point, else its hot/passive one;
 *                others have none unless the plan sets one
 *   fan          hwmon's fanN_min when above 0 ("minimum", a floor; no
 *                lead time: the fan itself is judged by cooling_check)
 *   disk         FORECAST_DISK_PERCENT full ("limit"), measured as df
 *                does (root's reserve counts as used)
 *   lead time    FORECAST_LEAD_MS for temperatures, FORECAST_DISK_LEAD_MS
 *                for disks (a disk fills over hours or days; someone must
 *                have time to act); window TREND_WINDOW_MS for
 *                temperatures, FORECAST_DISK_WINDOW_MS for disks
 *
 * forecast_eval judges one series against its limit as of now:
 *   FORECAST_OVER  the newest sample is at or past the limit
 *   FORECAST_SOON  the fitted line reaches it within the lead time
 *   FORECAST_OK    otherwise (no trend, flat, moving away, far off)
 * and forecast_disk does the same for a filesystem from its series of
 * available bytes (falling towards the floor that the limit leaves).  The
 * line is fitted over the window and over its last quarter, and the one
 * that reaches the limit sooner wins (each only with R^2 >= TREND_MIN_R2):
 * after a change of regime (a fan stops, a log starts filling a disk) the
 * whole window still averages the calm before it, and the warning would
 * come minutes late.
 *
 * The sentences, in English from N_() formats passed through tr (NULL:
 * English), with numbers in the C library's current LC_NUMERIC:
 *   "CPU package at 71 °C, rising 1.2 °C/min: critical (90 °C) in about
 *    16 min"
 *   "CPU package at 92 °C: critical (90 °C) reached"
 *   "Disk / is 92% full, filling 2.1 GiB/h: full in about 5 h"
 *   "Cooling failure: CPU fan fell from 1200 to 0 RPM while CPU package
 *    rises 1.0 °C/min at a steady load; critical (90 °C) in about 34 min"
 * Durations: "in less than a minute", "in about N min" (under 90 min),
 * "in about N h" (under 48 h), "in about N days".  Rates of bytes use
 * binary units (KiB, MiB, GiB, TiB).
 */
#ifndef RP_FORECAST_H
#define RP_FORECAST_H

#include <stddef.h>
#include <stdint.h>

#include "monitor/monitor.h"
#include "monitor/sys.h"
#include "monitor/sysfs.h"
#include "monitor/trend.h"
#include "util/buf.h"

#define FORECAST_LEAD_MS ((int64_t)30 * 60 * 1000)
#define FORECAST_DISK_LEAD_MS ((int64_t)24 * 3600 * 1000)
#define FORECAST_DISK_WINDOW_MS ((int64_t)6 * 3600 * 1000)
#define FORECAST_CPU_LIMIT 90.0
#define FORECAST_DISK_PERCENT 95.0

/* A limit set in the plan: the first rule whose pattern (fnmatch(3))
 * matches a sensor's ID ("coretemp/temp1"), its label ("Package id 0") or
 * a mount point ("/srv/data*") applies. */
struct forecast_rule {
	const char *match;
	double limit;        /* degrees, RPM or percent full; NAN: keep */
	int64_t lead_ms;     /* 0: keep the default */
};

struct forecast_limit {
	double value;        /* NAN: no limit */
	enum trend_dir dir;  /* TREND_UP: ceiling, TREND_DOWN: floor */
	const char *level;   /* an N_() word: "critical", "maximum",
			      * "minimum", "limit" (the plan's) */
	int64_t lead_ms, window_ms;
};

enum forecast_state {
	FORECAST_OK = 0,
	FORECAST_SOON,
	FORECAST_OVER,
};

struct forecast {
	enum forecast_state state;
	double value;        /* newest sample (disk: percent full) */
	double slope;        /* fitted, per minute (disk: bytes filled per
			      * minute, > 0 when filling); 0 without a fit */
	double limit;        /* the limit's value (disk: percent) */
	double seconds;      /* until the limit; -1 unknown or never */
	double full_seconds; /* disk: until no space is left; else -1 */
	int fitted;          /* 1: slope comes from a fit */
};

/* forecast_sensor_limit: s's limit per the table above, rules[0..n)
 * first.  0, or RP_ENOTFOUND (none: out->value is NAN). */
int forecast_sensor_limit(const struct sensor *s,
			  const struct forecast_rule *rules, size_t n,
			  struct forecast_limit *out);
/* forecast_disk_limit: the percent-full limit of mount.  Always 0. */
int forecast_disk_limit(const char *mount, const struct forecast_rule *rules,
			size_t n, struct forecast_limit *out);

/* forecast_eval: t against lim at now.  A limit of NAN gives OK. */
void forecast_eval(const struct trend *t, int64_t now_ms,
		   const struct forecast_limit *lim, struct forecast *out);
/* forecast_disk: avail is the series of fs_avail_bytes of fs (whose
 * newest statvfs is fs); lim from forecast_disk_limit. */
void forecast_disk(const struct trend *avail, const struct sys_fs *fs,
		   int64_t now_ms, const struct forecast_limit *lim,
		   struct forecast *out);

/* The sentences are appended to out.  0, or RP_ENOMEM (out's cap). */
/* forecast_sensor_text: a temperature or fan; name from
 * sysfs_sensor_name. */
int forecast_sensor_text(const char *name, const struct sensor *s,
			 const struct forecast *f,
			 const struct forecast_limit *lim, monitor_tr_fn tr,
			 struct buf *out);
int forecast_disk_text(const char *mount, const struct forecast *f,
		       monitor_tr_fn tr, struct buf *out);
/* forecast_cooling_text: the cooling failure of v; lim (may be NULL), the
 * temperature's limit, adds when it is reached at the slope since the fan
 * fell (v->temp_slope, from v->temp_now): that regime, not the window's
 * average, is the one that will reach it. */
int forecast_cooling_text(const char *fan_name, const char *temp_name,
			  const struct cooling_verdict *v,
			  const struct forecast_limit *lim, monitor_tr_fn tr,
			  struct buf *out);
/* forecast_eta: "in about 16 min" (see above) for seconds >= 0. */
int forecast_eta(double seconds, monitor_tr_fn tr, struct buf *out);
/* forecast_bytes: "2.1 GiB" (one decimal under 10, else none). */
int forecast_bytes(double bytes, monitor_tr_fn tr, struct buf *out);

#endif
