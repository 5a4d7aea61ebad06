/*
 * test_monitor: trends, forecasts and their sentences; the fan-failure
 * replay (temperatures and fans read from a fake sysfs tree that the test
 * rewrites as simulated time passes).  Collectors: test_monitor_collect;
 * probes: test_monitor_probe.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "monitor/forecast.h"
#include "monitor/monitor.h"
#include "monitor/sys.h"
#include "monitor/sysfs.h"
#include "monitor/trend.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/fsx.h"

#define T0 ((int64_t)1750000000000) /* a Unix time in ms (June 2025) */
#define SEC ((int64_t)1000)
#define MIN ((int64_t)60 * 1000)
#define GIB (1024.0 * 1024.0 * 1024.0)

/* The build links no libm. */
static double dabs(double a)
{
	return a < 0 ? -a : a;
}

static double dmax(double a, double b)
{
	return a > b ? a : b;
}

/* ---- trend math ------------------------------------------------------- */

/* line: n samples every step ms ending at `end`, v = a + b * minutes
 * (minutes from T0), plus noise[i % nnoise]. */
static void line(struct trend *t, int64_t end, int64_t step, size_t n,
		 double a, double b, const double *noise, size_t nnoise)
{
	size_t i;

	for (i = 0; i < n; i++) {
		int64_t ts = end - (int64_t)(n - 1 - i) * step;
		double v = a + b * (double)(ts - T0) / (double)MIN;

		if (nnoise)
			v += noise[i % nnoise];
		assert_int_equal(trend_add(t, ts, v), 0);
	}
}

static void test_trend__exact_slopes(void **state)
{
	static const struct {
		double a, b;        /* value at T0, per minute */
		int64_t step;
		size_t n;
	} cases[] = {
		{ 55, 1, 10 * SEC, 61 },
		{ 55, -0.5, 10 * SEC, 61 },
		{ 40, 0, 15 * SEC, 41 },
		{ 20, 2.5, 1 * SEC, 400 },
		{ 1e12, 3e6, 30 * SEC, 21 },   /* bytes: large values */
		{ -10, 0.01, 2 * MIN, 5 },
	};
	struct trend *t = malloc(sizeof(*t));
	struct trend_fit f;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int64_t now = T0 + 10 * MIN;
		double at_now = cases[i].a + cases[i].b * 10;

		trend_init(t);
		line(t, now, cases[i].step, cases[i].n, cases[i].a,
		     cases[i].b, NULL, 0);
		assert_int_equal(trend_fit(t, now, 10 * MIN, &f), 0);
		assert_true(dabs(f.slope - cases[i].b) <=
			    1e-9 * dmax(1, dabs(cases[i].b)));
		assert_true(dabs(f.value - at_now) <=
			    1e-9 * dmax(1, dabs(at_now)));
		assert_true(f.r2 > 0.999999);
		assert_true(f.n >= 4 && f.n <= cases[i].n);
	}
	free(t);
}

static void test_trend__time_to(void **state)
{
	struct trend *t = malloc(sizeof(*t));
	int64_t now = T0 + 10 * MIN;

	(void)state;
	trend_init(t);
	/* 55 + 1/min: 65 at now; 90 in 25 min */
	line(t, now, 10 * SEC, 61, 55, 1, NULL, 0);
	assert_true(dabs(trend_time_to(t, now, 10 * MIN, 90, TREND_UP) -
			 25 * 60) < 1e-6);
	/* past a ceiling: 0; a floor below a rising line: never */
	assert_true(trend_time_to(t, now, 10 * MIN, 60, TREND_UP) == 0);
	assert_true(trend_time_to(t, now, 10 * MIN, 50, TREND_DOWN) == -1);
	/* later `now`: the line is extrapolated */
	assert_true(dabs(trend_time_to(t, now + 5 * MIN, 10 * MIN, 90,
				       TREND_UP) - 20 * 60) < 1e-6);
	/* falling towards a floor */
	trend_init(t);
	line(t, now, 10 * SEC, 61, 1200, -20, NULL, 0);
	assert_true(dabs(trend_time_to(t, now, 10 * MIN, 300, TREND_DOWN) -
			 35 * 60) < 1e-6);
	assert_true(trend_time_to(t, now, 10 * MIN, 2000, TREND_UP) == -1);
	free(t);
}

static void test_trend__too_few(void **state)
{
	struct trend *t = malloc(sizeof(*t));
	struct trend_fit f;
	int64_t now = T0;

	(void)state;
	trend_init(t);
	assert_int_equal(trend_fit(t, now, 10 * MIN, &f), RP_ENOTFOUND);
	assert_null(trend_last(t));
	line(t, now, 20 * SEC, 3, 50, 1, NULL, 0);
	assert_int_equal(trend_fit(t, now, 10 * MIN, &f), RP_ENOTFOUND);
	assert_true(trend_time_to(t, now, 10 * MIN, 90, TREND_UP) == -1);
	/* four samples, but over 15 s only */
	trend_init(t);
	line(t, now, 5 * SEC, 4, 50, 1, NULL, 0);
	assert_int_equal(trend_fit(t, now, 10 * MIN, &f), RP_ENOTFOUND);
	/* enough samples, all older than the window */
	trend_init(t);
	line(t, now - 20 * MIN, 10 * SEC, 30, 50, 1, NULL, 0);
	assert_int_equal(trend_fit(t, now, 10 * MIN, &f), RP_ENOTFOUND);
	assert_int_equal(trend_fit(t, now, 30 * MIN, &f), 0);
	free(t);
}

static void test_trend__noise(void **state)
{
	/* deterministic noise of +-0.5 degrees, mean about 0 */
	static const double noise[] = { 0.3, -0.5, 0.1, 0.4, -0.2, -0.4,
					0.5, -0.1, 0.0, -0.3, 0.2 };
	const size_t nn = sizeof(noise) / sizeof(noise[0]);
	struct trend *t = malloc(sizeof(*t));
	struct trend_fit f;
	int64_t now = T0 + 10 * MIN;
	double s;

	(void)state;
	/* a clear rise through the noise: slope close, R^2 high */
	trend_init(t);
	line(t, now, 10 * SEC, 61, 55, 1, noise, nn);
	assert_int_equal(trend_fit(t, now, 10 * MIN, &f), 0);
	assert_true(dabs(f.slope - 1) < 0.05);
	assert_true(f.r2 > 0.95);
	s = trend_time_to(t, now, 10 * MIN, 90, TREND_UP);
	assert_true(dabs(s - 25 * 60) < 60);
	/* noise around a flat line: no direction, no time-to */
	trend_init(t);
	line(t, now, 10 * SEC, 61, 55, 0, noise, nn);
	assert_int_equal(trend_fit(t, now, 10 * MIN, &f), 0);
	assert_true(dabs(f.slope) < 0.1);
	assert_true(f.r2 < TREND_MIN_R2);
	assert_true(trend_time_to(t, now, 10 * MIN, 90, TREND_UP) == -1);
	free(t);
}

static void test_trend__ring(void **state)
{
	struct trend *t = malloc(sizeof(*t));
	struct trend_fit f;
	size_t i;

	(void)state;
	trend_init(t);
	for (i = 0; i < 2000; i++)
		assert_int_equal(trend_add(t, T0 + (int64_t)i * SEC,
					   (double)i), 0);
	assert_int_equal(trend_len(t), TREND_CAP);
	assert_int_equal(trend_at(t, 0)->t_ms,
			 T0 + (int64_t)(2000 - TREND_CAP) * SEC);
	assert_true(trend_last(t)->v == 1999);
	/* refused: not finite, earlier than the newest; equal time replaces */
	assert_int_equal(trend_add(t, T0 + 3000 * SEC, NAN), RP_EINVAL);
	assert_int_equal(trend_add(t, T0 + 3000 * SEC, INFINITY), RP_EINVAL);
	assert_int_equal(trend_add(t, T0, 5), RP_EINVAL);
	assert_int_equal(trend_add(t, T0 + 1999 * SEC, 7), 0);
	assert_int_equal(trend_len(t), TREND_CAP);
	assert_true(trend_last(t)->v == 7);
	/* the fit across the wrap point is still the line (1 per second) */
	trend_init(t);
	for (i = 0; i < TREND_CAP + 100; i++)
		trend_add(t, T0 + (int64_t)i * SEC, (double)i);
	assert_int_equal(trend_fit(t, T0 + (int64_t)(TREND_CAP + 99) * SEC,
				   60 * MIN, &f), 0);
	assert_int_equal(f.n, TREND_CAP);
	assert_true(dabs(f.slope - 60) < 1e-9);
	free(t);
}

/* ---- sentences -------------------------------------------------------- */

static struct sensor cpu_package(double value)
{
	struct sensor s;

	memset(&s, 0, sizeof(s));
	s.kind = SENSOR_TEMP;
	snprintf(s.id, sizeof(s.id), "coretemp/temp1");
	snprintf(s.chip, sizeof(s.chip), "coretemp");
	snprintf(s.label, sizeof(s.label), "Package id 0");
	s.value = value;
	s.crit = 90;
	s.max = NAN;
	s.min = NAN;
	return s;
}

/* sentence: forecast text of a temperature series for s. */
static void temp_sentence(const struct trend *t, int64_t now,
			  const struct sensor *s, monitor_tr_fn tr,
			  struct forecast *f, struct buf *out)
{
	struct forecast_limit lim;
	char name[64];

	assert_int_equal(forecast_sensor_limit(s, NULL, 0, &lim), 0);
	forecast_eval(t, now, &lim, f);
	sysfs_sensor_name(s, tr, name, sizeof(name));
	buf_reset(out);
	assert_int_equal(forecast_sensor_text(name, s, f, &lim, tr, out), 0);
}

static void test_forecast__cpu_sentence(void **state)
{
	struct trend *t = malloc(sizeof(*t));
	struct sensor s = cpu_package(71);
	struct forecast f;
	struct buf b = BUF_INIT;
	int64_t now = T0 + 10 * MIN;

	(void)state;
	/* 1.2 degrees a minute, 71 at now: 90 in 15.8 min */
	trend_init(t);
	line(t, now, 10 * SEC, 61, 59, 1.2, NULL, 0);
	temp_sentence(t, now, &s, NULL, &f, &b);
	assert_int_equal(f.state, FORECAST_SOON);
	assert_string_equal(buf_cstr(&b), "CPU package at 71 °C, rising "
			    "1.2 °C/min: critical (90 °C) in about 16 min");
	/* over the limit */
	trend_init(t);
	line(t, now, 10 * SEC, 61, 82, 1, NULL, 0);
	temp_sentence(t, now, &s, NULL, &f, &b);
	assert_int_equal(f.state, FORECAST_OVER);
	assert_string_equal(buf_cstr(&b),
			    "CPU package at 92 °C: critical (90 °C) reached");
	/* far away (55 rising slowly) or steady: OK, a plain sentence */
	trend_init(t);
	line(t, now, 10 * SEC, 61, 54, 0.1, NULL, 0);
	temp_sentence(t, now, &s, NULL, &f, &b);
	assert_int_equal(f.state, FORECAST_OK);
	assert_string_equal(buf_cstr(&b), "CPU package at 55 °C");
	buf_release(&b);
	free(t);
}

/* tr_fr: a few French messages, to prove the formats go through tr. */
static const char *tr_fr(const char *id)
{
	static const char *const map[][2] = {
		{ "%s at %.0f °C, rising %.1f °C/min: %s (%.0f °C) ",
		  "%s à %.0f °C, en hausse de %.1f °C/min : "
		  "%s (%.0f °C) " },
		{ "critical", "critique" },
		{ "CPU package", "processeur" },
		{ "in about %.0f min", "dans %.0f min environ" },
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcmp(id, map[i][0]))
			return map[i][1];
	return id;
}

static void test_forecast__translated(void **state)
{
	struct trend *t = malloc(sizeof(*t));
	struct sensor s = cpu_package(71);
	struct forecast f;
	struct buf b = BUF_INIT;
	int64_t now = T0 + 10 * MIN;

	(void)state;
	trend_init(t);
	line(t, now, 10 * SEC, 61, 59, 1.2, NULL, 0);
	temp_sentence(t, now, &s, tr_fr, &f, &b);
	assert_string_equal(buf_cstr(&b), "processeur à 71 °C, en hausse de "
			    "1.2 °C/min : critique (90 °C) dans 16 min "
			    "environ");
	buf_release(&b);
	free(t);
}

static void test_forecast__eta_and_bytes(void **state)
{
	static const struct {
		double v;
		const char *want;
	} eta[] = {
		{ 0, "in less than a minute" }, { 59, "in less than a minute" },
		{ 60, "in about 1 min" }, { 89 * 60, "in about 89 min" },
		{ 90 * 60, "in about 2 h" }, { 5 * 3600 + 60, "in about 5 h" },
		{ 47 * 3600, "in about 47 h" },
		{ 48 * 3600, "in about 2 days" },
		{ 10 * 86400, "in about 10 days" },
	}, bytes[] = {
		{ 0, "0 B" }, { 1023, "1023 B" }, { 1024, "1.0 KiB" },
		{ 2.1 * GIB, "2.1 GiB" }, { 15.4 * GIB, "15 GiB" },
		{ 3.5 * GIB * 1024, "3.5 TiB" }, { -2 * GIB, "2.0 GiB" },
	};
	struct buf b = BUF_INIT;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(eta) / sizeof(eta[0]); i++) {
		buf_reset(&b);
		assert_int_equal(forecast_eta(eta[i].v, NULL, &b), 0);
		assert_string_equal(buf_cstr(&b), eta[i].want);
	}
	for (i = 0; i < sizeof(bytes) / sizeof(bytes[0]); i++) {
		buf_reset(&b);
		assert_int_equal(forecast_bytes(bytes[i].v, NULL, &b), 0);
		assert_string_equal(buf_cstr(&b), bytes[i].want);
	}
	buf_release(&b);
}

/* ---- limits ----------------------------------------------------------- */

static void test_forecast__limits(void **state)
{
	struct forecast_rule rules[] = {
		{ "nct6775/*", 70, 0 },
		{ "Core *", NAN, 10 * MIN },
		{ "/srv/*", 80, 2 * 3600 * SEC },
	};
	struct sensor s = cpu_package(50);
	struct forecast_limit l;

	(void)state;
	/* hardware crit, else max, else 90 for a CPU, else none */
	assert_int_equal(forecast_sensor_limit(&s, NULL, 0, &l), 0);
	assert_true(l.value == 90 && l.dir == TREND_UP);
	assert_string_equal(l.level, "critical");
	assert_true(l.lead_ms == FORECAST_LEAD_MS);
	s.crit = NAN;
	s.max = 80;
	assert_int_equal(forecast_sensor_limit(&s, NULL, 0, &l), 0);
	assert_true(l.value == 80);
	assert_string_equal(l.level, "maximum");
	s.max = NAN;
	assert_int_equal(forecast_sensor_limit(&s, NULL, 0, &l), 0);
	assert_true(l.value == FORECAST_CPU_LIMIT);
	snprintf(s.chip, sizeof(s.chip), "nct6775");
	snprintf(s.id, sizeof(s.id), "nct6775/temp1");
	snprintf(s.label, sizeof(s.label), "SYSTIN");
	assert_int_equal(forecast_sensor_limit(&s, NULL, 0, &l), RP_ENOTFOUND);
	assert_true(isnan(l.value));
	/* the plan's rules: by ID pattern, by label; lead only */
	assert_int_equal(forecast_sensor_limit(&s, rules, 3, &l), 0);
	assert_true(l.value == 70);
	assert_string_equal(l.level, "limit");
	s = cpu_package(50);
	snprintf(s.label, sizeof(s.label), "Core 3");
	assert_int_equal(forecast_sensor_limit(&s, rules, 3, &l), 0);
	assert_true(l.value == 90 && l.lead_ms == 10 * MIN);
	/* fans: their min is a floor, no lead time */
	s.kind = SENSOR_FAN;
	s.min = 300;
	assert_int_equal(forecast_sensor_limit(&s, NULL, 0, &l), 0);
	assert_true(l.value == 300 && l.dir == TREND_DOWN && l.lead_ms == 0);
	s.min = 0;
	assert_int_equal(forecast_sensor_limit(&s, NULL, 0, &l), RP_ENOTFOUND);
	/* disks */
	assert_int_equal(forecast_disk_limit("/", rules, 3, &l), 0);
	assert_true(l.value == FORECAST_DISK_PERCENT);
	assert_true(l.lead_ms == FORECAST_DISK_LEAD_MS);
	assert_int_equal(forecast_disk_limit("/srv/data", rules, 3, &l), 0);
	assert_true(l.value == 80 && l.lead_ms == 2 * 3600 * SEC);
}

/* ---- disks ------------------------------------------------------------ */

/* disk_filling: avail falls `rate` bytes an hour, sampled every 5 min for
 * 6 h, ending at `avail` at now (size fixed: used + avail). */
static void disk_series(struct trend *t, int64_t now, double total,
			double avail, double rate, struct sys_fs *fs)
{
	int i;

	trend_init(t);
	for (i = 72; i >= 0; i--)
		trend_add(t, now - i * 5 * MIN, avail + rate * i / 12.0);
	memset(fs, 0, sizeof(*fs));
	snprintf(fs->mount, sizeof(fs->mount), "/");
	fs->avail = (uint64_t)avail;
	fs->used = (uint64_t)(total - avail);
	fs->size = fs->used + fs->avail;
}

static void test_forecast__disk_filling(void **state)
{
	struct trend *t = malloc(sizeof(*t));
	struct forecast_limit lim;
	struct forecast f;
	struct sys_fs fs;
	struct buf b = BUF_INIT;
	int64_t now = T0 + 24 * 60 * MIN;

	(void)state;
	forecast_disk_limit("/", NULL, 0, &lim);
	/* 131.25 GiB, 10.5 GiB left (92% full), 2.1 GiB/h: full in 5 h */
	disk_series(t, now, 131.25 * GIB, 10.5 * GIB, 2.1 * GIB, &fs);
	forecast_disk(t, &fs, now, &lim, &f);
	assert_int_equal(f.state, FORECAST_SOON);
	assert_true(dabs(f.full_seconds - 5 * 3600) < 5);
	assert_true(dabs(f.slope * 60 - 2.1 * GIB) < 1e-3 * GIB);
	/* 95% of 131.25 leaves 6.5625 GiB: reached in 1.875 h */
	assert_true(dabs(f.seconds - 1.875 * 3600) < 5);
	assert_int_equal(forecast_disk_text("/", &f, NULL, &b), 0);
	assert_string_equal(buf_cstr(&b), "Disk / is 92% full, filling "
			    "2.1 GiB/h: full in about 5 h");
	/* the same fill rate on a big disk: OK (limit in 10 days) */
	disk_series(t, now, 4096 * GIB, 600 * GIB, 2.1 * GIB, &fs);
	forecast_disk(t, &fs, now, &lim, &f);
	assert_int_equal(f.state, FORECAST_OK);
	assert_true(f.seconds > 24 * 3600);
	buf_reset(&b);
	forecast_disk_text("/", &f, NULL, &b);
	assert_string_equal(buf_cstr(&b), "Disk / is 85% full");
	/* past the limit and still filling */
	disk_series(t, now, 100 * GIB, 4 * GIB, 0.5 * GIB, &fs);
	forecast_disk(t, &fs, now, &lim, &f);
	assert_int_equal(f.state, FORECAST_OVER);
	buf_reset(&b);
	forecast_disk_text("/", &f, NULL, &b);
	assert_string_equal(buf_cstr(&b), "Disk / is 96% full (limit 95%), "
			    "filling 512 MiB/h: full in about 8 h");
	/* steady usage: never full */
	disk_series(t, now, 100 * GIB, 30 * GIB, 0, &fs);
	forecast_disk(t, &fs, now, &lim, &f);
	assert_int_equal(f.state, FORECAST_OK);
	assert_true(f.seconds == -1 && f.full_seconds == -1);
	buf_release(&b);
	free(t);
}

/* ---- the fan-failure replay ------------------------------------------- */

static char scratch[PATH_MAX];

static void write_num(const char *rel, long long v)
{
	char path[PATH_MAX + 128], text[32];
	int n = snprintf(text, sizeof(text), "%lld\n", v);

	snprintf(path, sizeof(path), "%s/sys/%s", scratch, rel);
	assert_int_equal(fsx_write_atomic(path, text, (size_t)n, 0644,
					  FSX_NOSYNC), 0);
}

static void write_text(const char *rel, const char *text)
{
	char path[PATH_MAX + 128];

	snprintf(path, sizeof(path), "%s/sys/%s", scratch, rel);
	*strrchr(path, '/') = '\0';
	assert_int_equal(fsx_mkdir_p(path, 0755), 0);
	path[strlen(path)] = '/';
	assert_int_equal(fsx_write_atomic(path, text, strlen(text), 0644,
					  FSX_NOSYNC), 0);
}

/* fake_tree: the machine of the seed case: one CPU package (crit 90 °C)
 * and its fan (min 300 RPM). */
static void fake_tree(void)
{
	char path[PATH_MAX + 64];

	snprintf(path, sizeof(path), "%s/sys", scratch);
	fsx_remove_tree(path);
	write_text("class/hwmon/hwmon0/name", "coretemp\n");
	write_text("class/hwmon/hwmon0/temp1_label", "Package id 0\n");
	write_text("class/hwmon/hwmon0/temp1_crit", "90000\n");
	write_text("class/hwmon/hwmon0/temp1_input", "55000\n");
	write_text("class/hwmon/hwmon1/name", "nct6775\n");
	write_text("class/hwmon/hwmon1/fan1_label", "CPU fan\n");
	write_text("class/hwmon/hwmon1/fan1_min", "300\n");
	write_text("class/hwmon/hwmon1/fan1_input", "1200\n");
}

/* The daemon's view of the machine, as the replay builds it. */
struct machine {
	struct trend temp, fan, load;
	struct sensor cpu, fan_sensor;
};

/* observe: reads the fake tree at `now` into the trends. */
static void observe(struct machine *m, int64_t now, double load)
{
	char root[PATH_MAX + 8];
	struct sensor *v;
	size_t n, i;

	snprintf(root, sizeof(root), "%s/sys", scratch);
	assert_int_equal(sysfs_read_sensors(root, &v, &n), 0);
	assert_int_equal(n, 2);
	for (i = 0; i < n; i++) {
		if (!strcmp(v[i].id, "coretemp/temp1")) {
			m->cpu = v[i];
			trend_add(&m->temp, now, v[i].value);
		} else {
			assert_string_equal(v[i].id, "nct6775/fan1");
			m->fan_sensor = v[i];
			trend_add(&m->fan, now, v[i].value);
		}
	}
	trend_add(&m->load, now, load);
	free(v);
}

/* hardware: what the machine does at t ms after the fan begins to fail
 * (t < 0: before): the fan winds down to 0 in 60 s, the package climbs
 * 1 °C a minute from 55 °C. */
static void hardware(int64_t t)
{
	double fan = t <= 0 ? 1200 : t >= MIN ? 0 : 1200 * (1 - (double)t /
							     (double)MIN);
	double temp = t <= 0 ? 55 : 55 + (double)t / (double)MIN;

	write_num("class/hwmon/hwmon1/fan1_input", (long long)fan);
	write_num("class/hwmon/hwmon0/temp1_input",
		  (long long)(temp * 1000 + 0.5));
}

/* judge: the forecast and the cooling verdict at now. */
static void judge(struct machine *m, int64_t now, struct forecast *f,
		  struct forecast_limit *lim, struct cooling_verdict *cv)
{
	assert_int_equal(forecast_sensor_limit(&m->cpu, NULL, 0, lim), 0);
	forecast_eval(&m->temp, now, lim, f);
	assert_int_equal(cooling_check(&m->temp, &m->fan, &m->load, now, NULL,
				       cv), 0);
}

static void test_replay__fan_failure(void **state)
{
	struct machine *m = calloc(1, sizeof(*m));
	struct forecast_limit lim;
	struct forecast f;
	struct cooling_verdict cv;
	struct buf b = BUF_INIT;
	char fan_name[64], cpu_name[64];
	int64_t t, now, first_soon = -1, first_cool = -1;

	(void)state;
	fake_tree();
	/* ten calm minutes, then the fan fails; a sample every 10 s */
	for (t = -10 * MIN; t <= 36 * MIN; t += 10 * SEC) {
		now = T0 + t;
		hardware(t);
		observe(m, now, 1.0 + 0.05 * (double)((t / SEC) % 3));
		judge(m, now, &f, &lim, &cv);
		if (t <= 0) {
			assert_int_equal(f.state, FORECAST_OK);
			assert_int_equal(cv.failed, 0);
			continue;
		}
		/* once the short window sees only the climb: the truth */
		if (t >= 3 * MIN && t < 35 * MIN)
			assert_true(dabs(f.seconds - (double)(35 * MIN - t) /
					 1000.0) < 30);
		if (f.state == FORECAST_SOON && first_soon < 0)
			first_soon = t;
		if (cv.failed && first_cool < 0)
			first_cool = t;
		if (t == 16 * MIN) {
			sysfs_sensor_name(&m->cpu, NULL, cpu_name,
					  sizeof(cpu_name));
			forecast_sensor_text(cpu_name, &m->cpu, &f, &lim,
					     NULL, &b);
			assert_string_equal(buf_cstr(&b), "CPU package at "
					    "71 °C, rising 1.0 °C/min: "
					    "critical (90 °C) in about 19 "
					    "min");
		}
		if (t == 2 * MIN) {
			assert_true(cv.failed);
			assert_true(cv.load_checked);
			sysfs_sensor_name(&m->fan_sensor, NULL, fan_name,
					  sizeof(fan_name));
			sysfs_sensor_name(&m->cpu, NULL, cpu_name,
					  sizeof(cpu_name));
			buf_reset(&b);
			forecast_cooling_text(fan_name, cpu_name, &cv, &lim,
					      NULL, &b);
			assert_string_equal(buf_cstr(&b), "Cooling failure: "
					    "CPU fan fell from 1200 to 0 RPM "
					    "while CPU package rises 1.0 "
					    "°C/min at a steady load; "
					    "critical (90 °C) in about 33 "
					    "min");
			buf_reset(&b);
		}
		if (t >= 35 * MIN)
			assert_int_equal(f.state, FORECAST_OVER);
	}
	/* warned when 30 min were left (lead time), give or take a sample */
	assert_true(first_soon >= 4 * MIN + 50 * SEC &&
		    first_soon <= 5 * MIN + 10 * SEC);
	/* the cooling failure was named within two minutes */
	assert_true(first_cool > 0 && first_cool <= 2 * MIN);
	buf_release(&b);
	free(m);
}

static void test_replay__first_minute(void **state)
{
	struct machine *m = calloc(1, sizeof(*m));
	struct forecast_limit lim;
	struct forecast f;
	struct cooling_verdict cv;
	int64_t t;

	(void)state;
	/* no history: the daemon starts as the fan fails */
	fake_tree();
	for (t = 0; t <= 30 * SEC; t += 10 * SEC) {
		hardware(t);
		observe(m, T0 + t, 1.0);
		judge(m, T0 + t, &f, &lim, &cv);
	}
	/* 55.5 °C at 1 °C/min: 90 °C in 34.5 min, about 35 */
	assert_true(dabs(f.seconds - 34.5 * 60) < 10);
	assert_true(dabs(f.slope - 1) < 1e-2);
	free(m);
}

static void test_replay__healthy(void **state)
{
	/* deterministic jitter of the sensor, +-0.5 °C and +-20 RPM */
	static const double jt[] = { 0.25, -0.5, 0.0, 0.5, -0.25 };
	static const double jf[] = { 10, -20, 0, 20, -10, 5 };
	struct machine *m = calloc(1, sizeof(*m));
	struct forecast_limit lim;
	struct forecast f;
	struct cooling_verdict cv;
	int64_t t;
	size_t i = 0;

	(void)state;
	fake_tree();
	for (t = 0; t <= 40 * MIN; t += 10 * SEC, i++) {
		write_num("class/hwmon/hwmon0/temp1_input",
			  (long long)((60 + jt[i % 5]) * 1000));
		write_num("class/hwmon/hwmon1/fan1_input",
			  (long long)(1200 + jf[i % 6]));
		observe(m, T0 + t, 1.0);
		judge(m, T0 + t, &f, &lim, &cv);
		assert_int_equal(f.state, FORECAST_OK);
		assert_int_equal(cv.failed, 0);
	}
	free(m);
}

/* ---- the cooling rule's other cases ----------------------------------- */

/* series: fills temp, fan and load over 10 min with the given functions
 * of minutes since start. */
struct scenario {
	double temp0, temp_rate;     /* degrees, per minute */
	double fan_before, fan_after; /* RPM, switching at minute 3 */
	double load_before, load_after;
	int failed;
};

static void test_cooling__cases(void **state)
{
	static const struct scenario cases[] = {
		/* the failure itself */
		{ 50, 1.0, 1500, 0, 1.0, 1.0, 1 },
		/* a fan that halves (worn bearing) counts */
		{ 50, 0.8, 1500, 700, 2.0, 2.1, 1 },
		/* fan slows by a third: not "sharply" */
		{ 50, 1.0, 1500, 1000, 1.0, 1.0, 0 },
		/* fan stops but temperatures hold (passive cooling) */
		{ 50, 0.0, 1500, 0, 1.0, 1.0, 0 },
		/* temperatures climb because the load tripled */
		{ 50, 1.0, 1500, 0, 1.0, 3.0, 0 },
		/* temperatures climb, fan speeds up: a busy machine */
		{ 50, 1.0, 900, 2000, 1.0, 4.0, 0 },
		/* an unconnected fan header stays at 0 */
		{ 50, 1.0, 0, 0, 1.0, 1.0, 0 },
		/* a nearly idle machine: load 0.02 .. 0.1 is steady */
		{ 50, 1.0, 1500, 0, 0.02, 0.1, 1 },
	};
	struct trend *tp = malloc(sizeof(*tp)), *fp = malloc(sizeof(*fp));
	struct trend *lp = malloc(sizeof(*lp));
	struct cooling_verdict v;
	size_t i;
	int k;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct scenario *c = &cases[i];

		trend_init(tp);
		trend_init(fp);
		trend_init(lp);
		for (k = 0; k <= 60; k++) {
			int64_t ts = T0 + k * 10 * SEC;
			double mins = k / 6.0, after = mins - 3;

			trend_add(tp, ts, c->temp0 +
				  (after > 0 ? c->temp_rate * after : 0));
			trend_add(fp, ts, after > 0 ? c->fan_after :
				  c->fan_before);
			trend_add(lp, ts, after > 0 ? c->load_after :
				  c->load_before);
		}
		cooling_check(tp, fp, lp, T0 + 10 * MIN, NULL, &v);
		if (v.failed != c->failed)
			fail_msg("case %zu: failed %d, want %d", i, v.failed,
				 c->failed);
	}
	/* without a load series the load is not checked */
	cooling_check(tp, fp, NULL, T0 + 10 * MIN, NULL, &v);
	assert_int_equal(v.failed, 1);
	assert_int_equal(v.load_checked, 0);
	free(tp);
	free(fp);
	free(lp);
}

static int setup(void **state)
{
	const char *tmp = getenv("TMPDIR");

	(void)state;
	snprintf(scratch, sizeof(scratch), "%s/test_monitor.XXXXXX",
		 tmp ? tmp : "/tmp");
	return mkdtemp(scratch) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	return fsx_remove_tree(scratch) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_trend__exact_slopes),
		cmocka_unit_test(test_trend__time_to),
		cmocka_unit_test(test_trend__too_few),
		cmocka_unit_test(test_trend__noise),
		cmocka_unit_test(test_trend__ring),
		cmocka_unit_test(test_forecast__cpu_sentence),
		cmocka_unit_test(test_forecast__translated),
		cmocka_unit_test(test_forecast__eta_and_bytes),
		cmocka_unit_test(test_forecast__limits),
		cmocka_unit_test(test_forecast__disk_filling),
		cmocka_unit_test(test_replay__fan_failure),
		cmocka_unit_test(test_replay__first_minute),
		cmocka_unit_test(test_replay__healthy),
		cmocka_unit_test(test_cooling__cases),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
