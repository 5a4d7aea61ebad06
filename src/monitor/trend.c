/*
 * trend: ring of samples, least-squares fit, time to a threshold and the
 * cooling-failure rule (see trend.h).
 */
#include "monitor/trend.h"

#include <math.h>
#include <string.h>

#include "util/err.h"

#define MS_PER_MIN 60000.0

/* The build links no libm: these three are all this module needs. */
static double dmin(double a, double b)
{
	return a < b ? a : b;
}

static double dmax(double a, double b)
{
	return a > b ? a : b;
}

static double dabs(double a)
{
	return a < 0 ? -a : a;
}

void trend_init(struct trend *t)
{
	t->start = 0;
	t->n = 0;
}

size_t trend_len(const struct trend *t)
{
	return t->n;
}

const struct trend_point *trend_at(const struct trend *t, size_t i)
{
	return &t->pt[(t->start + i) % TREND_CAP];
}

const struct trend_point *trend_last(const struct trend *t)
{
	return t->n ? trend_at(t, t->n - 1) : NULL;
}

int trend_add(struct trend *t, int64_t t_ms, double v)
{
	const struct trend_point *last = trend_last(t);
	struct trend_point *p;

	if (!isfinite(v) || (last && t_ms < last->t_ms))
		return RP_EINVAL;
	if (last && t_ms == last->t_ms) {
		p = (struct trend_point *)last;
	} else if (t->n == TREND_CAP) {
		p = &t->pt[t->start];
		t->start = (t->start + 1) % TREND_CAP;
	} else {
		p = &t->pt[(t->start + t->n) % TREND_CAP];
		t->n++;
	}
	p->t_ms = t_ms;
	p->v = v;
	return 0;
}

/* in_window: whether p counts for a fit at now over window. */
static int in_window(const struct trend_point *p, int64_t now_ms,
		     int64_t window_ms)
{
	return p->t_ms <= now_ms && p->t_ms > now_ms - window_ms;
}

/* fit_means: first pass: count, means (x in minutes from `ref`), extremes. */
static void fit_means(const struct trend *t, int64_t now_ms,
		      int64_t window_ms, int64_t ref, struct trend_fit *f,
		      double *mx, double *my)
{
	int64_t t0 = 0, t1 = 0;
	size_t i;

	*mx = *my = 0;
	for (i = 0; i < t->n; i++) {
		const struct trend_point *p = trend_at(t, i);

		if (!in_window(p, now_ms, window_ms))
			continue;
		if (f->n == 0) {
			t0 = p->t_ms;
			f->lo = f->hi = f->first = p->v;
		}
		t1 = p->t_ms;
		f->lo = dmin(f->lo, p->v);
		f->hi = dmax(f->hi, p->v);
		f->last = p->v;
		*mx += (double)(p->t_ms - ref) / MS_PER_MIN;
		*my += p->v;
		f->n++;
	}
	f->span_ms = t1 - t0;
	if (f->n) {
		*mx /= (double)f->n;
		*my /= (double)f->n;
	}
}

/* fit_sums: second pass: centred sums of squares and products. */
static void fit_sums(const struct trend *t, int64_t now_ms, int64_t window_ms,
		     int64_t ref, double mx, double my, double s[3])
{
	size_t i;

	s[0] = s[1] = s[2] = 0;
	for (i = 0; i < t->n; i++) {
		const struct trend_point *p = trend_at(t, i);
		double dx, dy;

		if (!in_window(p, now_ms, window_ms))
			continue;
		dx = (double)(p->t_ms - ref) / MS_PER_MIN - mx;
		dy = p->v - my;
		s[0] += dx * dx;
		s[1] += dx * dy;
		s[2] += dy * dy;
	}
}

int trend_fit(const struct trend *t, int64_t now_ms, int64_t window_ms,
	      struct trend_fit *f)
{
	double mx, my, s[3];
	int64_t ref = now_ms;

	memset(f, 0, sizeof(*f));
	fit_means(t, now_ms, window_ms, ref, f, &mx, &my);
	if (f->n < TREND_MIN_POINTS || f->span_ms < TREND_MIN_SPAN_MS) {
		memset(f, 0, sizeof(*f));
		return RP_ENOTFOUND;
	}
	fit_sums(t, now_ms, window_ms, ref, mx, my, s);
	f->slope = s[1] / s[0];
	/* the line through the means, evaluated at x = 0 (now) */
	f->value = my - f->slope * mx;
	f->r2 = s[2] > 0 ? s[1] * s[1] / (s[0] * s[2]) : 1.0;
	return 0;
}

double trend_fit_time_to(const struct trend_fit *f, double threshold,
			 enum trend_dir dir)
{
	double gap = (threshold - f->value) * (double)dir;
	double speed = f->slope * (double)dir;

	if (f->n == 0)
		return -1;
	if (gap <= 0)
		return 0;
	if (f->r2 < TREND_MIN_R2 || !(speed > 0))
		return -1;
	return gap / speed * 60.0;
}

double trend_time_to(const struct trend *t, int64_t now_ms, int64_t window_ms,
		     double threshold, enum trend_dir dir)
{
	struct trend_fit f;

	if (trend_fit(t, now_ms, window_ms, &f) < 0)
		return -1;
	return trend_fit_time_to(&f, threshold, dir);
}

static void cooling_defaults(const struct cooling_opts *o,
			     struct cooling_opts *d)
{
	memset(d, 0, sizeof(*d));
	if (o)
		*d = *o;
	if (d->window_ms <= 0)
		d->window_ms = TREND_WINDOW_MS;
	if (d->fan_window_ms <= 0)
		d->fan_window_ms = 60 * 60 * 1000;
	if (!(d->fan_drop > 0))
		d->fan_drop = 0.5;
	if (!(d->fan_floor > 0))
		d->fan_floor = 100;
	if (!(d->temp_rise > 0))
		d->temp_rise = 0.5;
	if (!(d->load_band > 0))
		d->load_band = 0.2;
}

/* fan_fell: peak and newest fan speed in the window, and since when the
 * fan has been under 90% of its peak.  1 when it lost o->fan_drop. */
static int fan_fell(const struct trend *fan, int64_t now_ms,
		    const struct cooling_opts *o, struct cooling_verdict *v)
{
	size_t i, n = 0;

	v->fan_peak = 0;
	for (i = 0; i < fan->n; i++) {
		const struct trend_point *p = trend_at(fan, i);

		if (!in_window(p, now_ms, o->fan_window_ms))
			continue;
		v->fan_peak = dmax(v->fan_peak, p->v);
		v->fan_now = p->v;
		n++;
	}
	for (i = 0; i < fan->n; i++) {
		const struct trend_point *p = trend_at(fan, i);

		if (in_window(p, now_ms, o->fan_window_ms) &&
		    p->v >= 0.9 * v->fan_peak)
			v->since_ms = p->t_ms;
	}
	return n >= 2 && v->fan_peak >= o->fan_floor &&
	       v->fan_now <= v->fan_peak * (1 - o->fan_drop);
}

/* load_steady: every load sample of the window near the mean.  A series
 * with fewer than two samples in the window counts as steady (unknown). */
static int load_steady(const struct trend *load, int64_t now_ms,
		       const struct cooling_opts *o, int *checked)
{
	double sum = 0, tol;
	size_t i, n = 0;

	for (i = 0; i < load->n; i++) {
		const struct trend_point *p = trend_at(load, i);

		if (in_window(p, now_ms, o->window_ms)) {
			sum += p->v;
			n++;
		}
	}
	if (n < 2)
		return 1;
	tol = o->load_band * dmax(sum / (double)n, 0.5);
	for (i = 0; i < load->n; i++) {
		const struct trend_point *p = trend_at(load, i);

		if (in_window(p, now_ms, o->window_ms) &&
		    dabs(p->v - sum / (double)n) > tol)
			return 0;
	}
	*checked = 1;
	return 1;
}

int cooling_check(const struct trend *temp, const struct trend *fan,
		  const struct trend *load, int64_t now_ms,
		  const struct cooling_opts *o, struct cooling_verdict *v)
{
	struct cooling_opts d;
	struct trend_fit f;
	const struct trend_point *last = trend_last(temp);
	int64_t w;

	cooling_defaults(o, &d);
	memset(v, 0, sizeof(*v));
	v->temp_now = last ? last->v : NAN;
	if (!fan_fell(fan, now_ms, &d, v))
		return 0;
	/* the rise since the fan began to fall (that sample included) */
	w = now_ms - v->since_ms + 1;
	if (trend_fit(temp, now_ms, w < d.window_ms ? w : d.window_ms, &f) < 0)
		return 0;
	v->temp_slope = f.slope;
	if (f.r2 < TREND_MIN_R2 || f.slope <= d.temp_rise)
		return 0;
	if (load && !load_steady(load, now_ms, &d, &v->load_checked))
		return 0;
	v->failed = 1;
	return 0;
}
