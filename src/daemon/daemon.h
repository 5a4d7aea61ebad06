/*
 * daemon: `reprise daemon`, the plan run on schedule.
 *
 * One thread runs the loop; libmicrohttpd runs the listener (pings) in its
 * own.  Each turn of the loop reaps finished children and records them,
 * starts the tasks that are due (backups, drills and checks as child
 * processes, see jobs.h; collectors in-process), writes STATE/status.json
 * for `reprise status`, then sleeps until the next task is due or a child
 * speaks.  Every outcome goes to the catalog.
 *
 * Signals: SIGHUP reloads the plan (a broken plan is reported and the old
 * one kept); SIGTERM/SIGINT stop starting work, forward SIGTERM to running
 * children (a backup stops cleanly: no snapshot, its stored blobs reused
 * by the next run) and wait for them, then exit 0.  Logs go to stderr, one
 * line each, with a level, for a service manager to collect.
 */
#ifndef RP_DAEMON_H
#define RP_DAEMON_H

#include <stdint.h>

struct daemon_opts {
	const char *plan_path;
	const char *state_dir;
	const char *listen;         /* "127.0.0.1:8765" */
	const char *sysfs_root;     /* "/sys" */
	const char *proc_root;      /* "/proc" */
	const char *smartctl;       /* "smartctl" */
	int64_t check_every_ms;     /* default 15 min */
	int64_t collect_every_ms;   /* default 10 s */
	int64_t probe_every_ms;     /* service probes; default 60 s */
	/* notifications (none without smtp_url and without webhooks) */
	const char *smtp_url;       /* smtp://host:port or smtps://... */
	const char *smtp_tls;       /* auto, starttls, none */
	const char *smtp_user, *smtp_password_file, *mail_from;
	const char *webhooks_file;  /* lines "NAME URL" (URLs are secrets) */
	const char *heartbeats_file; /* lines "NAME UUID PERIOD GRACE" */
	int once;                   /* run every task once, then exit (tests) */
};

/* daemon_run: returns the process exit status. */
int daemon_run(const struct daemon_opts *o);

#endif
