/*
 * log: how library code reports what it saw, without printing.
 *
 * Library layers never write to a terminal.  They call log_msg() (through
 * the macros, which record __func__), and the top layer (cli/, daemon/)
 * installs a sink with log_set_sink() that decides where messages go.  With
 * no sink, messages at LOG_WARN and above go to stderr, so tests of library
 * code still show what failed.  Messages must never contain secrets.
 * Formats of LOG_INFO and above are translated (util/i18n.h): write them
 * as whole sentences, with no word chosen at run time.
 */
#ifndef RP_LOG_H
#define RP_LOG_H

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

typedef void (*log_sink_fn)(enum log_level lvl, const char *func,
			    const char *msg, void *arg);

void log_set_sink(log_sink_fn fn, void *arg);
void log_set_level(enum log_level min);
void log_msg(enum log_level lvl, const char *func, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#define log_debug(...) log_msg(LOG_DEBUG, __func__, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __func__, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __func__, __VA_ARGS__)
#define log_error(...) log_msg(LOG_ERROR, __func__, __VA_ARGS__)

#endif
