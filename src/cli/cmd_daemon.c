/* daemon, status, alert: the CLI faces of daemon/ and the catalog. */
#include "cli/cli.h"

#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "alert/alert.h"
#include "catalog/catalog.h"
#include "daemon/daemon.h"
#include "plan/plan.h"
#include "util/clock.h"
#include "util/err.h"
#include "util/fsx.h"
#include "util/jsonr.h"
#include "util/xmalloc.h"

enum { O_PLAN = 1, O_LISTEN, O_SYSFS, O_PROC, O_SMARTCTL, O_ONCE, O_BY,
       O_CHECK_EVERY, O_COLLECT_EVERY, O_SMTP, O_SMTP_TLS, O_SMTP_USER,
       O_SMTP_PW, O_MAIL_FROM, O_HOOKS, O_BEATS, O_PROBE_EVERY };

struct dm {
	struct daemon_opts o;
	struct cli_ctx *ctx;
	const char *by;
};

static int parse_dur(struct cli_ctx *ctx, const char *arg, int64_t *ms)
{
	int64_t s;

	if (duration_parse(arg, &s) < 0 || s <= 0)
		return cli_usage_error(ctx, _("'%s' is not a duration such as "
					      "10s, 15m or 4h"), arg);
	*ms = s * 1000;
	return 0;
}

static int daemon_opt(int opt, const char *arg, void *data)
{
	struct dm *d = data;

	switch (opt) {
	case O_PLAN: d->o.plan_path = arg; return 0;
	case O_LISTEN: d->o.listen = arg; return 0;
	case O_SYSFS: d->o.sysfs_root = arg; return 0;
	case O_PROC: d->o.proc_root = arg; return 0;
	case O_SMARTCTL: d->o.smartctl = arg; return 0;
	case O_ONCE: d->o.once = 1; return 0;
	case O_SMTP: d->o.smtp_url = arg; return 0;
	case O_SMTP_TLS: d->o.smtp_tls = arg; return 0;
	case O_SMTP_USER: d->o.smtp_user = arg; return 0;
	case O_SMTP_PW: d->o.smtp_password_file = arg; return 0;
	case O_MAIL_FROM: d->o.mail_from = arg; return 0;
	case O_HOOKS: d->o.webhooks_file = arg; return 0;
	case O_BEATS: d->o.heartbeats_file = arg; return 0;
	case O_BY: d->by = arg; return 0;
	case O_CHECK_EVERY: return parse_dur(d->ctx, arg, &d->o.check_every_ms);
	case O_COLLECT_EVERY:
		return parse_dur(d->ctx, arg, &d->o.collect_every_ms);
	case O_PROBE_EVERY:
		return parse_dur(d->ctx, arg, &d->o.probe_every_ms);
	default: return EXIT_USAGE;
	}
}

static const struct option daemon_opts[] = {
	{ "plan", required_argument, NULL, O_PLAN },
	{ "listen", required_argument, NULL, O_LISTEN },
	{ "sysfs-root", required_argument, NULL, O_SYSFS },
	{ "proc-root", required_argument, NULL, O_PROC },
	{ "smartctl", required_argument, NULL, O_SMARTCTL },
	{ "once", no_argument, NULL, O_ONCE },
	{ "by", required_argument, NULL, O_BY },
	{ "check-every", required_argument, NULL, O_CHECK_EVERY },
	{ "collect-every", required_argument, NULL, O_COLLECT_EVERY },
	{ "probe-every", required_argument, NULL, O_PROBE_EVERY },
	{ "smtp", required_argument, NULL, O_SMTP },
	{ "smtp-tls", required_argument, NULL, O_SMTP_TLS },
	{ "smtp-user", required_argument, NULL, O_SMTP_USER },
	{ "smtp-password-file", required_argument, NULL, O_SMTP_PW },
	{ "mail-from", required_argument, NULL, O_MAIL_FROM },
	{ "webhooks-file", required_argument, NULL, O_HOOKS },
	{ "heartbeats-file", required_argument, NULL, O_BEATS },
	{ NULL, 0, NULL, 0 },
};

/* cli_plan_path: --plan, REPRISE_PLAN, or the default. */
static const char *plan_path(const char *opt)
{
	const char *e = getenv("REPRISE_PLAN");

	return opt ? opt : e && *e ? e : PLAN_DEFAULT_PATH;
}

int cmd_daemon(int argc, char **argv, struct cli_ctx *ctx)
{
	struct dm d;
	char *state;
	int rc;

	memset(&d, 0, sizeof(d));
	d.ctx = ctx;
	d.o.listen = "127.0.0.1:8765";
	d.o.sysfs_root = "/sys";
	d.o.proc_root = "/proc";
	d.o.smartctl = "smartctl";
	d.o.check_every_ms = 15 * 60 * 1000;
	d.o.collect_every_ms = 10 * 1000;
	d.o.probe_every_ms = 60 * 1000;
	if ((rc = cli_getopt(&argc, &argv, ctx, daemon_opts, "", daemon_opt,
			     &d)))
		return rc < 0 ? 0 : rc;
	if (argc > 0)
		return cli_usage_error(ctx, _("unexpected argument %s"), argv[0]);
	d.o.plan_path = plan_path(d.o.plan_path);
	state = cli_state_dir(ctx);
	d.o.state_dir = state;
	rc = daemon_run(&d.o);
	free(state);
	return rc;
}

/* ---- status ---- */

static void print_task(yajl_val t, int64_t now)
{
	const char *name = "", *kind = "";
	int64_t next = 0, last = 0, st = -1;
	int running = 0;
	char when[32], in[32];

	jsonr_str(jsonr_get(t, "name"), &name);
	jsonr_str(jsonr_get(t, "kind"), &kind);
	jsonr_i64(jsonr_get(t, "next_ms"), &next);
	jsonr_i64(jsonr_get(t, "last_end_ms"), &last);
	jsonr_i64(jsonr_get(t, "last_status"), &st);
	jsonr_bool(jsonr_get(t, "running"), &running);
	if (running)
		printf(_("  %-40s running\n"), name);
	else if (next <= now)
		printf(_("  %-40s due now (waiting for its repository or its "
			 "turn), last %s\n"), name,
		       last == 0 ? _("never") : st == 0 ? _("ok") : _("failed"));
	else
		printf(_("  %-40s next %s (in %s), last %s\n"), name,
		       fmt_time(next / 1000, when, sizeof(when)),
		       fmt_duration((double)(next - now) / 1000, in, sizeof(in)),
		       last == 0 ? _("never") : st == 0 ? _("ok")
						       : _("failed"));
}

static void print_alerts(yajl_val watch)
{
	yajl_val a = jsonr_get(watch, "alerts");
	size_t i, n = jsonr_arr_len(a);

	printf(ngettext("%zu alert firing or pending\n",
			"%zu alerts firing or pending\n", n), n);
	for (i = 0; i < n; i++) {
		yajl_val x = jsonr_arr_at(a, i);
		const char *rule = "", *subj = "", *state = "", *text = "";
		int64_t id = 0;

		jsonr_i64(jsonr_get(x, "id"), &id);
		jsonr_str(jsonr_get(x, "rule"), &rule);
		jsonr_str(jsonr_get(x, "subject"), &subj);
		jsonr_str(jsonr_get(x, "state"), &state);
		jsonr_str(jsonr_get(x, "text"), &text);
		printf("  #%lld %s %s %s: %s\n", (long long)id, _(state), rule,
		       subj, text);
	}
}

int cmd_status(int argc, char **argv, struct cli_ctx *ctx)
{
	char *state, *path;
	struct buf b = BUF_INIT;
	yajl_val doc = NULL, tasks;
	int64_t now = 0, pid = 0;
	size_t i;
	int rc;

	if ((rc = cli_getopt(&argc, &argv, ctx, NULL, "", NULL, NULL)))
		return rc < 0 ? 0 : rc;
	state = cli_state_dir(ctx);
	path = xasprintf("%s/status.json", state);
	rc = fsx_read_file(path, &b);
	if (rc == 0 && ctx->json)
		printf("%s\n", buf_cstr(&b));
	else if (rc == 0 && jsonr_parse(b.p, b.len, &doc, NULL, 0) == 0) {
		jsonr_i64(jsonr_get(doc, "now_ms"), &now);
		jsonr_i64(jsonr_get(doc, "pid"), &pid);
		printf(kill((pid_t)pid, 0) == 0 ? _("daemon running (pid %lld)\n")
		       : _("daemon not running (last seen as pid %lld)\n"),
		       (long long)pid);
		tasks = jsonr_get(doc, "tasks");
		for (i = 0; i < jsonr_arr_len(tasks); i++)
			print_task(jsonr_arr_at(tasks, i), now);
		print_alerts(jsonr_get(doc, "watch"));
	}
	if (rc < 0)
		cli_error(_("no status in %s: is 'reprise daemon' running with "
			    "this state directory?"), state);
	jsonr_free(doc);
	buf_release(&b);
	free(path);
	free(state);
	return rc < 0 ? EXIT_FAIL : EXIT_OK;
}

/* ---- alert ack ---- */

int cmd_alert(int argc, char **argv, struct cli_ctx *ctx)
{
	struct dm d;
	struct catalog *cat = NULL;
	char *state, *path, *end;
	struct passwd *pw = getpwuid(getuid());
	long long id;
	int rc;

	memset(&d, 0, sizeof(d));
	d.ctx = ctx;
	if ((rc = cli_getopt(&argc, &argv, ctx, daemon_opts, "", daemon_opt,
			     &d)))
		return rc < 0 ? 0 : rc;
	if (argc != 2 || strcmp(argv[0], "ack") != 0)
		return cli_usage_error(ctx, _("use: reprise alert ack ID"));
	id = strtoll(argv[1], &end, 10);
	if (*argv[1] == '\0' || *end || id <= 0)
		return cli_usage_error(ctx, _("an alert ID is a number"));
	state = cli_state_dir(ctx);
	path = xasprintf("%s/catalog.db", state);
	rc = catalog_open(path, &cat);
	if (rc == 0)
		rc = alert_ack_stored(cat, id, d.by ? d.by : pw ? pw->pw_name
								: "?",
				      NULL, clock_now());
	catalog_close(cat);
	free(path);
	free(state);
	if (rc == RP_ENOTFOUND)
		return cli_error(_("there is no alert %lld"), id);
	if (rc == RP_EINVAL)
		return cli_error(_("alert %lld is already resolved"), id);
	if (rc < 0)
		return cli_error(_("cannot acknowledge: %s"), cli_strerror(rc));
	printf(_("alert %lld acknowledged: no more reminders or escalation\n"),
	       id);
	return EXIT_OK;
}
