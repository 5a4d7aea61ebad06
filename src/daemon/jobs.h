/*
 * jobs: runs the plan's work as child processes of reprise itself.
 *
 * A backup, a drill or a check runs as `reprise ... --json` in a child
 * (posix_spawn of /proc/self/exe): a crash or a leak in one run cannot take
 * the daemon down, the child takes and releases the repository lock like
 * any command, and SIGTERM reaches it as it would from a shell (a backup
 * then stops cleanly and the next run reuses what it stored).  The daemon
 * reads the child's standard output (its JSON summary) and its exit status.
 */
#ifndef RP_JOBS_H
#define RP_JOBS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "util/buf.h"

struct child {
	pid_t pid;
	int out_fd;             /* the child's stdout, non-blocking */
	struct buf out;         /* what it printed (capped) */
	int err_fd;             /* its stderr: logged line by line */
	struct buf err;         /* an unfinished line of it */
	int64_t started_ms;
	void *task;             /* the scheduler task (borrowed) */
	int64_t run_id;         /* catalog row, 0 if none */
	int done, status;       /* status: exit code, 128+signal */
};

/* child_spawn: argv[0] is replaced by this executable.  env may be NULL
 * (inherit).  0 or RP_EIO. */
int child_spawn(struct child *c, char *const argv[]);
/* child_poll: reads what is available; reaps it when it exits.
 * 1 when it has finished (c->done, c->status set), else 0. */
int child_poll(struct child *c);
/* child_err_lines: calls fn for each complete line the child wrote on
 * stderr since the last call (all that is left once it has finished). */
void child_err_lines(struct child *c, void (*fn)(const char *line, void *arg),
		     void *arg);
/* child_signal: forwards sig if it still runs. */
void child_signal(struct child *c, int sig);
void child_release(struct child *c);

#endif
