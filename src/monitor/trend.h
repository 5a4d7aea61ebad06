/*
 * trend: where a metric is heading, from its recent samples.
 *
 * A struct trend is a fixed ring of the last TREND_CAP samples (t_ms,
 * value) of one series; no allocation, so the daemon can keep one per
 * series in an array and tests can put one on the stack.  Times are Unix
 * milliseconds from clock_now_ms() (the injectable clock), strictly
 * increasing within a series.
 *
 * trend_fit fits a least-squares line to the samples of the last window
 * (t in (now - window, now]) and gives its slope in units per minute, the
 * fitted value at `now` and R^2.  The sums are taken on times relative to
 * the newest sample, in minutes, and centred on the means, so neither the
 * size of Unix milliseconds nor a large constant offset in the values loses
 * precision.  A fit needs TREND_MIN_POINTS samples spanning at least
 * TREND_MIN_SPAN_MS.
 *
 * trend_time_to turns a fit into "seconds until the line reaches the
 * threshold", the number behind every early warning.  dir says which way
 * is bad: TREND_UP for a ceiling (a temperature, used space), TREND_DOWN
 * for a floor (free space, a fan speed).  It is 0 when the fitted value is
 * already at or past the threshold, -1 when the line does not head there
 * (flat, or moving away) or when the fit is not trustworthy (too few
 * samples, R^2 under TREND_MIN_R2: noise without a direction).
 *
 * cooling_check recognises a cooling failure: within the fan window (an
 * hour, so a fan that stopped half an hour ago still explains the heat) a
 * fan lost at least half its speed (or stopped) while a temperature climbs
 * by more than temp_rise degrees per minute and the load stays steady
 * (every load sample within +-load_band of the window's mean, or of 0.5
 * for a nearly idle machine, whose load jitters by more than 20% around
 * 0.05), so the heat is not explained by more work.  The temperature's
 * slope is fitted over the window, but from no earlier than the last time
 * the fan ran at 90% of its peak (when it began to fail): before that it
 * was flat.  Without a load series the load condition is not checked: a
 * fan that stops while temperatures climb is a cooling failure whatever
 * the load.
 *
 *   struct trend t; trend_init(&t);
 *   trend_add(&t, clock_now_ms(), 71.0); ...
 *   secs = trend_time_to(&t, clock_now_ms(), TREND_WINDOW_MS, 90.0,
 *                        TREND_UP);
 */
#ifndef RP_TREND_H
#define RP_TREND_H

#include <stddef.h>
#include <stdint.h>

#define TREND_CAP 512                    /* samples kept per series */
#define TREND_MIN_POINTS 4               /* for a fit */
#define TREND_MIN_SPAN_MS (30 * 1000)    /* newest - oldest in a fit */
#define TREND_MIN_R2 0.6                 /* for a time-to */
#define TREND_WINDOW_MS (10 * 60 * 1000) /* the default window */

struct trend_point {
	int64_t t_ms;
	double v;
};

/* The ring: pt[(start + i) % TREND_CAP] for i in 0..n-1, oldest first.
 * Zero-initialised storage is an empty trend. */
struct trend {
	struct trend_point pt[TREND_CAP];
	size_t start, n;
};

struct trend_fit {
	size_t n;          /* samples used */
	int64_t span_ms;   /* newest - oldest of them */
	double slope;      /* units per minute */
	double value;      /* the line at now */
	double r2;         /* 0..1; 1 when every value is equal */
	double lo, hi;     /* smallest and largest value used */
	double first, last; /* oldest and newest value used */
};

/* trend_init: empties t. */
void trend_init(struct trend *t);
/* trend_add: appends (t_ms, v), dropping the oldest sample when full.  A
 * sample at the newest time replaces it.  0, or RP_EINVAL (v not finite,
 * t_ms before the newest sample: the series is left as it was). */
int trend_add(struct trend *t, int64_t t_ms, double v);
/* trend_len: samples held. */
size_t trend_len(const struct trend *t);
/* trend_at: the i-th sample, oldest first (i < trend_len). */
const struct trend_point *trend_at(const struct trend *t, size_t i);
/* trend_last: the newest sample, or NULL when empty. */
const struct trend_point *trend_last(const struct trend *t);

/* trend_fit: the least-squares line over the samples with
 * now - window_ms < t_ms <= now.  0, or RP_ENOTFOUND (fewer than
 * TREND_MIN_POINTS samples, or spanning less than TREND_MIN_SPAN_MS); *f
 * is zeroed then. */
int trend_fit(const struct trend *t, int64_t now_ms, int64_t window_ms,
	      struct trend_fit *f);
enum trend_dir {
	TREND_UP = 1,     /* the threshold is a ceiling */
	TREND_DOWN = -1,  /* the threshold is a floor */
};

/* trend_fit_time_to: seconds from now until f's line crosses threshold
 * in direction dir: 0 already there, -1 never (or R^2 < TREND_MIN_R2). */
double trend_fit_time_to(const struct trend_fit *f, double threshold,
			 enum trend_dir dir);
/* trend_time_to: trend_fit then trend_fit_time_to; -1 without a fit. */
double trend_time_to(const struct trend *t, int64_t now_ms, int64_t window_ms,
		     double threshold, enum trend_dir dir);

struct cooling_opts {
	int64_t window_ms;  /* temperature and load; 0: TREND_WINDOW_MS */
	int64_t fan_window_ms; /* where the fan's peak is looked for; 0: 1 h */
	double fan_drop;    /* fraction of the peak lost; 0: 0.5 */
	double fan_floor;   /* RPM a fan must have reached to count; 0: 100 */
	double temp_rise;   /* degrees per minute; 0: 0.5 */
	double load_band;   /* fraction around the mean load; 0: 0.2 */
};

struct cooling_verdict {
	int failed;         /* 1: a cooling failure */
	double fan_peak;    /* RPM: the highest in the window */
	double fan_now;     /* RPM: the newest */
	double temp_now;    /* the newest temperature */
	double temp_slope;  /* degrees per minute since the fan fell */
	int64_t since_ms;   /* when the fan began to fall */
	int load_checked;   /* 1: a load series was steady */
};

/* cooling_check: fills *v from a temperature series, a fan series and an
 * optional load series (NULL: not checked) as of now; o may be NULL for
 * the defaults.  v->failed is 0 whenever a series has too few samples.
 * Always 0. */
int cooling_check(const struct trend *temp, const struct trend *fan,
		  const struct trend *load, int64_t now_ms,
		  const struct cooling_opts *o, struct cooling_verdict *v);

#endif
