#include "util/log.h"

#include "util/i18n.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>

static log_sink_fn sink;
static void *sink_arg;
static enum log_level min_level = LOG_WARN;
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

void log_set_sink(log_sink_fn fn, void *arg)
{
	sink = fn;
	sink_arg = arg;
}

void log_set_level(enum log_level min)
{
	min_level = min;
}

void log_msg(enum log_level lvl, const char *func, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	if (lvl < min_level)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), lvl >= LOG_INFO ? i18n_tr(fmt) : fmt, ap);
	va_end(ap);
	pthread_mutex_lock(&log_lock);
	if (sink)
		sink(lvl, func, msg, sink_arg);
	else
		fprintf(stderr, "reprise: %s\n", msg);
	pthread_mutex_unlock(&log_lock);
}
