/*
 * clock: the one source of "now" for everything that schedules or judges
 * by time (the daemon, alerts, trends), injectable for tests.
 *
 * By default it is the system clock.  REPRISE_CLOCK="START[,xSPEED]"
 * (START an RFC 3339 time or Unix seconds, SPEED a factor > 0) starts the
 * clock at START when the process starts and runs it SPEED times faster,
 * so a test replays an hour of fan failure in a minute with x60.  Sleeps
 * go through clock_sleep_ms, which divides by the speed.  The clock never
 * goes backwards (monotonic underneath).
 */
#ifndef RP_CLOCK_H
#define RP_CLOCK_H

#include <stdint.h>
#include <time.h>

/* clock_init: reads REPRISE_CLOCK once (clock_now calls it lazily).
 * 0, or RP_EINVAL for a malformed value (the system clock is used). */
int clock_init(void);
/* clock_set: the same from a string (tests); NULL: the system clock. */
int clock_set(const char *spec);
/* now, in Unix milliseconds / seconds */
int64_t clock_now_ms(void);
int64_t clock_now(void);
/* clock_speed: the factor (1 for the system clock). */
double clock_speed(void);
/* clock_sleep_ms: sleeps ms of clock time (ms / speed of real time). */
void clock_sleep_ms(int64_t ms);
/* clock_real_ms: real milliseconds that ms of clock time take. */
int64_t clock_real_ms(int64_t ms);

/* Durations that are measured (a backup took 12.3 s) are real time, never
 * the injected clock: clock_start takes a monotonic reading,
 * clock_elapsed the seconds since it. */
void clock_start(struct timespec *t0);
double clock_elapsed(const struct timespec *t0);

#endif
