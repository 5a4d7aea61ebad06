/*
 * sched: when each recurring task runs next.  Pure: no clock, no I/O.
 *
 * A task has an interval, an optional daily start time ("at", minutes
 * after local midnight), a repository it writes (or none) and a state.  A
 * task is due when now >= next; sched_next_due returns the due task with
 * the earliest "next" whose repository is free, so two tasks never write
 * one repository at once (a task on a busy repository waits, and keeps
 * its place).  After a run, sched_done sets next = start of the run +
 * interval (never in the past: missed runs are not replayed in a burst,
 * the task runs once and resumes its rhythm).
 */
#ifndef RP_SCHED_H
#define RP_SCHED_H

#include <stddef.h>
#include <stdint.h>

enum sched_kind { TASK_BACKUP, TASK_DRILL, TASK_CHECK, TASK_COLLECT,
		  TASK_MAINTAIN };

struct sched_task {
	char name[96];
	enum sched_kind kind;
	int64_t interval_ms;
	int at_min;             /* -1: none */
	char repo[256];         /* "" when it writes no repository */
	int64_t next_ms;
	int64_t last_start_ms, last_end_ms;
	int last_status;        /* exit status of the last run, -1 never */
	int running;
	void *arg;              /* the plan entry (borrowed) */
	size_t index;           /* which of its repositories */
};

struct sched {
	struct sched_task *v;
	size_t n;
	int64_t tz_offset_s;    /* local time offset, for "at" */
};

void sched_init(struct sched *s, int64_t tz_offset_s);
void sched_release(struct sched *s);
/* sched_add: a task first due at now (or at its next "at" time). */
struct sched_task *sched_add(struct sched *s, const char *name,
			     enum sched_kind kind, int64_t interval_ms,
			     int at_min, const char *repo, int64_t now_ms);
/* sched_next_due: the task to start now, or NULL. */
struct sched_task *sched_next_due(struct sched *s, int64_t now_ms);
/* sched_wait_ms: how long until something may become due (>= 0);
 * INT64_MAX when nothing is scheduled. */
int64_t sched_wait_ms(const struct sched *s, int64_t now_ms);
void sched_start(struct sched_task *t, int64_t now_ms);
void sched_done(struct sched *s, struct sched_task *t, int status,
		int64_t now_ms);
/* sched_first_at: the first moment >= now at local minute at_min. */
int64_t sched_first_at(int64_t now_ms, int at_min, int64_t tz_offset_s);

#endif
