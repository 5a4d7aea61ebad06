#include "util/clock.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/err.h"
#include "util/gostr.h"

static struct {
	int fake;
	int64_t start_ms;   /* clock time at the base */
	int64_t base_mono;  /* monotonic ms when it started */
	double speed;
} clk = { 0, 0, 0, 1.0 };

static pthread_once_t once = PTHREAD_ONCE_INIT;

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int parse_start(const char *s, size_t n, int64_t *ms)
{
	struct gotime t;
	char *end;
	long long v;

	if (gostr_time_parse(s, n, &t) == 0) {
		*ms = t.sec * 1000 + t.nsec / 1000000;
		return 0;
	}
	v = strtoll(s, &end, 10);
	if (end != s + n || n == 0)
		return RP_EINVAL;
	*ms = (int64_t)v * 1000;
	return 0;
}

int clock_set(const char *spec)
{
	const char *comma;
	int64_t start;
	double speed = 1.0;

	clk.fake = 0;
	clk.speed = 1.0;
	if (spec == NULL || *spec == '\0')
		return 0;
	comma = strchr(spec, ',');
	if (parse_start(spec, comma ? (size_t)(comma - spec) : strlen(spec),
			&start) < 0)
		return RP_EINVAL;
	if (comma) {
		char *end;

		if (comma[1] != 'x')
			return RP_EINVAL;
		speed = strtod(comma + 2, &end);
		if (*end || !(speed > 0) || speed > 1e6)
			return RP_EINVAL;
	}
	clk.start_ms = start;
	clk.base_mono = mono_ms();
	clk.speed = speed;
	clk.fake = 1;
	return 0;
}

static void init_once(void)
{
	clock_set(getenv("REPRISE_CLOCK"));
}

int clock_init(void)
{
	const char *e = getenv("REPRISE_CLOCK");

	pthread_once(&once, init_once);
	return e && *e && !clk.fake ? RP_EINVAL : 0;
}

int64_t clock_now_ms(void)
{
	struct timespec ts;

	pthread_once(&once, init_once);
	if (clk.fake)
		return clk.start_ms +
		       (int64_t)((double)(mono_ms() - clk.base_mono) * clk.speed);
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t clock_now(void)
{
	int64_t ms = clock_now_ms();

	return ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
}

double clock_speed(void)
{
	pthread_once(&once, init_once);
	return clk.fake ? clk.speed : 1.0;
}

int64_t clock_real_ms(int64_t ms)
{
	double s = clock_speed();

	return ms <= 0 ? 0 : (int64_t)((double)ms / s);
}

void clock_sleep_ms(int64_t ms)
{
	int64_t real = clock_real_ms(ms);
	struct timespec ts = { (time_t)(real / 1000),
			       (long)(real % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) != 0)
		;
}

void clock_start(struct timespec *t0)
{
	clock_gettime(CLOCK_MONOTONIC, t0);
}

double clock_elapsed(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) +
	       (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}
