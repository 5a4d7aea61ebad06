/*
 * thread: starting worker threads that never take the process's signals.
 *
 * A signal sent to the process goes to any thread that does not block it.
 * reprise's commands stop cleanly on SIGINT/SIGTERM by interrupting the
 * main thread's blocking calls (a read from a dump command, a sleep), so
 * workers are created with every signal blocked and the main thread gets
 * them all.
 */
#ifndef RP_THREAD_H
#define RP_THREAD_H

#include <pthread.h>

/* thread_start: pthread_create with all signals blocked in the new
 * thread.  0 or an errno value, as pthread_create. */
int thread_start(pthread_t *t, void *(*fn)(void *), void *arg);

#endif
