/*
 * forecast: limits, verdicts and sentences (see forecast.h).
 */
#include "monitor/forecast.h"

#include <fnmatch.h>
#include <math.h>
#include <stdarg.h>
#include <string.h>

#include "util/err.h"

static int say(struct buf *out, monitor_tr_fn tr, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* say: appends the translation of fmt, formatted. */
static int say(struct buf *out, monitor_tr_fn tr, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = buf_vaddf(out, monitor_tr(tr, fmt), ap);
	va_end(ap);
	return r;
}

/* ---- limits ----------------------------------------------------------- */

static const struct forecast_rule *find_rule(const struct forecast_rule *v,
					     size_t n, const char *a,
					     const char *b)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (!v[i].match)
			continue;
		if (!fnmatch(v[i].match, a, 0) ||
		    (b && !fnmatch(v[i].match, b, 0)))
			return &v[i];
	}
	return NULL;
}

static void limit_init(struct forecast_limit *l, enum trend_dir dir,
		       int64_t lead_ms, int64_t window_ms)
{
	l->value = NAN;
	l->dir = dir;
	l->level = N_("limit");
	l->lead_ms = lead_ms;
	l->window_ms = window_ms;
}

/* apply_rule: the plan's limit and lead time over the defaults. */
static void apply_rule(const struct forecast_rule *r, struct forecast_limit *l)
{
	if (!r)
		return;
	if (isfinite(r->limit)) {
		l->value = r->limit;
		l->level = N_("limit");
	}
	if (r->lead_ms > 0)
		l->lead_ms = r->lead_ms;
}

/* hardware_limit: crit, else max, else the CPU default. */
static void hardware_limit(const struct sensor *s, struct forecast_limit *l)
{
	if (s->crit > 0) {
		l->value = s->crit;
		l->level = N_("critical");
	} else if (s->max > 0) {
		l->value = s->max;
		l->level = N_("maximum");
	} else if (sysfs_is_cpu(s)) {
		l->value = FORECAST_CPU_LIMIT;
		l->level = N_("critical");
	}
}

int forecast_sensor_limit(const struct sensor *s,
			  const struct forecast_rule *rules, size_t n,
			  struct forecast_limit *out)
{
	if (s->kind == SENSOR_FAN) {
		limit_init(out, TREND_DOWN, 0, TREND_WINDOW_MS);
		if (s->min > 0) {
			out->value = s->min;
			out->level = N_("minimum");
		}
	} else {
		limit_init(out, TREND_UP, FORECAST_LEAD_MS, TREND_WINDOW_MS);
		hardware_limit(s, out);
	}
	apply_rule(find_rule(rules, n, s->id, s->label), out);
	return isnan(out->value) ? RP_ENOTFOUND : 0;
}

int forecast_disk_limit(const char *mount, const struct forecast_rule *rules,
			size_t n, struct forecast_limit *out)
{
	limit_init(out, TREND_UP, FORECAST_DISK_LEAD_MS,
		   FORECAST_DISK_WINDOW_MS);
	out->value = FORECAST_DISK_PERCENT;
	apply_rule(find_rule(rules, n, mount, NULL), out);
	return 0;
}

/* ---- verdicts --------------------------------------------------------- */

static void forecast_init(struct forecast *f, double limit)
{
	memset(f, 0, sizeof(*f));
	f->state = FORECAST_OK;
	f->limit = limit;
	f->seconds = f->full_seconds = -1;
	f->value = NAN;
}

static int soon(double seconds, int64_t lead_ms)
{
	return seconds >= 0 && seconds * 1000.0 < (double)lead_ms;
}

/* pick_fit: the fit over the window, or over its last quarter when that
 * one reaches `target` sooner: a change of regime (a fan that stops)
 * shows in the short fit minutes before the long one catches up.  Each
 * is trusted only with R^2 >= TREND_MIN_R2 (trend_fit_time_to).  1 when
 * *fit holds a fit; *secs its time to target (-1: never). */
static int pick_fit(const struct trend *t, int64_t now_ms, int64_t window_ms,
		    double target, enum trend_dir dir, struct trend_fit *fit,
		    double *secs)
{
	struct trend_fit q;
	int have = trend_fit(t, now_ms, window_ms, fit) == 0;
	double sq;

	*secs = have ? trend_fit_time_to(fit, target, dir) : -1;
	if (trend_fit(t, now_ms, window_ms / 4, &q) < 0)
		return have;
	sq = trend_fit_time_to(&q, target, dir);
	if (sq >= 0 && (*secs < 0 || sq < *secs)) {
		*fit = q;
		*secs = sq;
		have = 1;
	}
	return have;
}

void forecast_eval(const struct trend *t, int64_t now_ms,
		   const struct forecast_limit *lim, struct forecast *out)
{
	const struct trend_point *last = trend_last(t);
	struct trend_fit fit;
	double secs;

	forecast_init(out, lim->value);
	if (!last)
		return;
	out->value = last->v;
	if (isnan(lim->value)) {
		out->fitted = trend_fit(t, now_ms, lim->window_ms, &fit) == 0;
		out->slope = out->fitted ? fit.slope : 0;
		return;
	}
	out->fitted = pick_fit(t, now_ms, lim->window_ms, lim->value,
			       lim->dir, &fit, &secs);
	out->slope = out->fitted ? fit.slope : 0;
	if ((last->v - lim->value) * (double)lim->dir >= 0) {
		out->state = FORECAST_OVER;
		out->seconds = 0;
		return;
	}
	out->seconds = secs;
	if (soon(out->seconds, lim->lead_ms))
		out->state = FORECAST_SOON;
}

void forecast_disk(const struct trend *avail, const struct sys_fs *fs,
		   int64_t now_ms, const struct forecast_limit *lim,
		   struct forecast *out)
{
	double total = (double)fs->used + (double)fs->avail;
	double floor_bytes = total * (1.0 - lim->value / 100.0);
	struct trend_fit fit;
	double secs;

	forecast_init(out, lim->value);
	out->value = sys_fs_percent(fs);
	if (total <= 0 || isnan(lim->value))
		return;
	if (pick_fit(avail, now_ms, lim->window_ms, floor_bytes, TREND_DOWN,
		     &fit, &secs)) {
		out->fitted = 1;
		out->slope = -fit.slope;
		out->full_seconds = trend_fit_time_to(&fit, 0, TREND_DOWN);
		out->seconds = secs;
	}
	if (out->value >= lim->value) {
		out->state = FORECAST_OVER;
		out->seconds = 0;
	} else if (soon(out->seconds, lim->lead_ms)) {
		out->state = FORECAST_SOON;
	}
}

/* ---- sentences -------------------------------------------------------- */

int forecast_eta(double seconds, monitor_tr_fn tr, struct buf *out)
{
	if (seconds < 60)
		return buf_adds(out,
				monitor_tr(tr, N_("in less than a minute")));
	if (seconds < 90 * 60)
		return say(out, tr, N_("in about %.0f min"),
			   seconds / 60);
	if (seconds < 48 * 3600)
		return say(out, tr, N_("in about %.0f h"),
			   seconds / 3600);
	return say(out, tr, N_("in about %.0f days"), seconds / 86400);
}

int forecast_bytes(double bytes, monitor_tr_fn tr, struct buf *out)
{
	static const char *const units[] = {
		N_("B"), N_("KiB"), N_("MiB"), N_("GiB"), N_("TiB"), N_("PiB"),
	};
	size_t u = 0;

	if (bytes < 0)
		bytes = -bytes;
	while (bytes >= 1024 && u + 1 < sizeof(units) / sizeof(units[0])) {
		bytes /= 1024;
		u++;
	}
	return buf_addf(out, bytes < 10 && u ? "%.1f %s" : "%.0f %s", bytes,
			monitor_tr(tr, units[u]));
}

/* temp_soon: "CPU package at 71 °C, rising 1.2 °C/min: critical (90 °C) in
 * about 16 min". */
static int temp_soon(const char *name, const struct forecast *f,
		     const struct forecast_limit *lim, monitor_tr_fn tr,
		     struct buf *out)
{
	int r = say(out, tr, N_("%s at %.0f °C, rising %.1f °C/min: %s "
				"(%.0f °C) "),
		    name, f->value, f->slope, monitor_tr(tr, lim->level),
		    f->limit);

	return r ? r : forecast_eta(f->seconds, tr, out);
}

static int temp_text(const char *name, const struct forecast *f,
		     const struct forecast_limit *lim, monitor_tr_fn tr,
		     struct buf *out)
{
	switch (f->state) {
	case FORECAST_SOON:
		return temp_soon(name, f, lim, tr, out);
	case FORECAST_OVER:
		return say(out, tr, N_("%s at %.0f °C: %s (%.0f °C) reached"),
			   name, f->value, monitor_tr(tr, lim->level),
			   f->limit);
	default:
		return say(out, tr, N_("%s at %.0f °C"), name, f->value);
	}
}

int forecast_sensor_text(const char *name, const struct sensor *s,
			 const struct forecast *f,
			 const struct forecast_limit *lim, monitor_tr_fn tr,
			 struct buf *out)
{
	if (s->kind != SENSOR_FAN)
		return temp_text(name, f, lim, tr, out);
	if (f->state == FORECAST_OVER)
		return say(out, tr, N_("%s at %.0f RPM: below its minimum "
				       "(%.0f RPM)"),
			   name, f->value, f->limit);
	return say(out, tr, N_("%s at %.0f RPM"), name, f->value);
}

/* disk_filling: ", filling 2.1 GiB/h: full in about 5 h". */
static int disk_filling(const struct forecast *f, monitor_tr_fn tr,
			struct buf *out)
{
	struct buf rate = BUF_INIT, eta = BUF_INIT;
	int r = forecast_bytes(f->slope * 60, tr, &rate);

	if (r == 0)
		r = forecast_eta(f->full_seconds, tr, &eta);
	if (r == 0)
		r = say(out, tr, N_(", filling %s/h: full %s"),
			buf_cstr(&rate), buf_cstr(&eta));
	buf_release(&rate);
	buf_release(&eta);
	return r;
}

int forecast_disk_text(const char *mount, const struct forecast *f,
		       monitor_tr_fn tr, struct buf *out)
{
	int filling = f->fitted && f->slope > 0 && f->full_seconds >= 0;
	int r = say(out, tr, N_("Disk %s is %.0f%% full"), mount, f->value);

	if (r == 0 && f->state == FORECAST_OVER)
		r = say(out, tr, N_(" (limit %.0f%%)"), f->limit);
	if (r == 0 && filling && f->state != FORECAST_OK)
		r = disk_filling(f, tr, out);
	return r;
}

int forecast_cooling_text(const char *fan_name, const char *temp_name,
			  const struct cooling_verdict *v,
			  const struct forecast_limit *lim, monitor_tr_fn tr,
			  struct buf *out)
{
	int r;

	if (v->load_checked)
		r = say(out, tr, N_("Cooling failure: %s fell from %.0f to "
				    "%.0f RPM while %s rises %.1f °C/min at a "
				    "steady load"),
			fan_name, v->fan_peak, v->fan_now, temp_name,
			v->temp_slope);
	else
		r = say(out, tr, N_("Cooling failure: %s fell from %.0f to "
				    "%.0f RPM while %s rises %.1f °C/min"),
			fan_name, v->fan_peak, v->fan_now, temp_name,
			v->temp_slope);
	if (r || !lim || !isfinite(lim->value) || !(v->temp_slope > 0))
		return r;
	if (v->temp_now >= lim->value)
		return say(out, tr, N_("; %s (%.0f °C) reached"),
			   monitor_tr(tr, lim->level), lim->value);
	r = say(out, tr, N_("; %s (%.0f °C) "), monitor_tr(tr, lim->level),
		lim->value);
	return r ? r : forecast_eta((lim->value - v->temp_now) /
				    v->temp_slope * 60, tr, out);
}
