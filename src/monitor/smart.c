/*
 * smart: run smartctl under a timeout and an output cap, judge its JSON
 * (see smart.h).
 *
 * The child runs in its own process group, so a timeout kills it and
 * anything it started (a wrapper script's children).  The caller must not
 * ignore SIGCHLD (waitpid would then find no child).
 */
#include "monitor/smart.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/err.h"
#include "util/jsonr.h"

extern char **environ;

/* ---- running smartctl ------------------------------------------------- */

struct child {
	pid_t pid;
	int fd;               /* read end of its stdout */
	int64_t deadline;     /* CLOCK_MONOTONIC ms */
};

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* spawn: argv with stdout on a pipe, stdin/stderr on /dev/null, in a new
 * process group.  0, RP_ENOTFOUND, RP_EIO. */
static int spawn(char *const argv[], struct child *c)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	sigset_t none, dfl;
	int p[2], e;

	if (pipe2(p, O_CLOEXEC) < 0)
		return RP_EIO;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, p[1], 1);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	/* a clean start whatever the daemon blocks or ignores */
	sigemptyset(&none);
	sigemptyset(&dfl);
	sigaddset(&dfl, SIGPIPE);
	sigaddset(&dfl, SIGTERM);
	sigaddset(&dfl, SIGINT);
	posix_spawnattr_init(&at);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP |
				 POSIX_SPAWN_SETSIGMASK |
				 POSIX_SPAWN_SETSIGDEF);
	posix_spawnattr_setpgroup(&at, 0);
	posix_spawnattr_setsigmask(&at, &none);
	posix_spawnattr_setsigdefault(&at, &dfl);
	e = posix_spawnp(&c->pid, argv[0], &fa, &at, argv, environ);
	posix_spawnattr_destroy(&at);
	posix_spawn_file_actions_destroy(&fa);
	close(p[1]);
	if (e) {
		close(p[0]);
		return e == ENOENT ? RP_ENOTFOUND : RP_EIO;
	}
	c->fd = p[0];
	fcntl(c->fd, F_SETFL, fcntl(c->fd, F_GETFL) | O_NONBLOCK);
	return 0;
}

/* drain: reads the child's output into out until EOF.  0, RP_ECMD (the
 * deadline passed), RP_ENOMEM (over out's cap), RP_EIO. */
static int drain(struct child *c, struct buf *out)
{
	char chunk[8192];
	struct pollfd pfd = { c->fd, POLLIN, 0 };
	ssize_t got;
	int64_t left;
	int r;

	for (;;) {
		if ((left = c->deadline - mono_ms()) <= 0)
			return RP_ECMD;
		if (poll(&pfd, 1, (int)(left > 1000 ? 1000 : left)) < 0 &&
		    errno != EINTR)
			return RP_EIO;
		got = read(c->fd, chunk, sizeof(chunk));
		if (got == 0)
			return 0;
		if (got < 0 && errno != EAGAIN && errno != EINTR)
			return RP_EIO;
		if (got > 0 && (r = buf_add(out, chunk, (size_t)got)) < 0)
			return r;
	}
}

/* reap: waits for the child until the deadline, then kills its group.
 * 0 with its exit status, or RP_ECMD (timed out or killed by a signal). */
static int reap(struct child *c, int killit, int *status)
{
	struct timespec pause = { 0, 10 * 1000000 };
	int st = 0;
	pid_t w;

	while (!killit) {
		w = waitpid(c->pid, &st, WNOHANG);
		if (w == c->pid)
			break;
		if (w < 0 && errno != EINTR)
			return RP_EIO;
		if (mono_ms() >= c->deadline)
			killit = 1;
		else
			nanosleep(&pause, NULL);
	}
	if (killit) {
		kill(-c->pid, SIGKILL);
		while (waitpid(c->pid, &st, 0) < 0 && errno == EINTR)
			;
		return RP_ECMD;
	}
	if (!WIFEXITED(st))
		return RP_ECMD;
	*status = WEXITSTATUS(st);
	return 0;
}

/* run_capture: argv's standard output (capped by out) and exit status. */
static int run_capture(char *const argv[], int timeout_ms, struct buf *out,
		       int *status, char *why, size_t whylen)
{
	struct child c;
	int r, rr;

	c.deadline = mono_ms() + timeout_ms;
	if ((r = spawn(argv, &c)) < 0) {
		snprintf(why, whylen, "cannot run %s", argv[0]);
		return r;
	}
	r = drain(&c, out);
	close(c.fd);
	rr = reap(&c, r < 0, status);
	if (r == RP_ECMD)
		snprintf(why, whylen, "%s timed out after %d ms", argv[0],
			 timeout_ms);
	else if (r == RP_ENOMEM)
		snprintf(why, whylen, "%s wrote more than %zu bytes", argv[0],
			 SMART_OUTPUT_MAX);
	else if (rr == RP_ECMD)
		snprintf(why, whylen, "%s was killed by a signal", argv[0]);
	return r < 0 ? r : rr;
}

/* ---- judging the report ----------------------------------------------- */

/* verdict: raises si to level h with the reason, if h is worse. */
static void verdict(struct smart_info *si, enum smart_health h,
		    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void verdict(struct smart_info *si, enum smart_health h,
		    const char *fmt, ...)
{
	va_list ap;

	if (h <= si->health && si->reason[0])
		return;
	si->health = h;
	va_start(ap, fmt);
	vsnprintf(si->reason, sizeof(si->reason), fmt, ap);
	va_end(ap);
}

/* jget: doc.k1.k2 (k2 may be NULL). */
static yajl_val jget(yajl_val doc, const char *k1, const char *k2)
{
	yajl_val v = jsonr_get(doc, k1);

	return k2 ? jsonr_get(v, k2) : v;
}

static int64_t jint(yajl_val v)
{
	int64_t x;

	return jsonr_i64(v, &x) == 0 ? x : -1;
}

static void jtext(yajl_val v, char *out, size_t n)
{
	const char *s;

	if (jsonr_str(v, &s) == 0)
		snprintf(out, n, "%s", s);
}

/* ata_attr: the raw value of ATA attribute id, or -1. */
static int64_t ata_attr(yajl_val doc, int64_t id)
{
	yajl_val tab = jget(doc, "ata_smart_attributes", "table");
	size_t i;

	for (i = 0; i < jsonr_arr_len(tab); i++) {
		yajl_val a = jsonr_arr_at(tab, i);

		if (jint(jsonr_get(a, "id")) == id)
			return jint(jget(a, "raw", "value"));
	}
	return -1;
}

static void read_fields(yajl_val doc, struct smart_info *si)
{
	yajl_val nv = jsonr_get(doc, "nvme_smart_health_information_log");
	int b;

	si->passed = jsonr_bool(jget(doc, "smart_status", "passed"), &b) == 0
		     ? b : -1;
	jtext(jsonr_get(doc, "model_name"), si->model, sizeof(si->model));
	jtext(jsonr_get(doc, "serial_number"), si->serial,
	      sizeof(si->serial));
	if (jint(jget(doc, "temperature", "current")) >= 0)
		si->temperature =
			(double)jint(jget(doc, "temperature", "current"));
	si->power_on_hours = jint(jget(doc, "power_on_time", "hours"));
	si->reallocated = ata_attr(doc, 5);
	si->pending = ata_attr(doc, 197);
	si->uncorrectable = ata_attr(doc, 198);
	si->nvme_critical_warning = jint(jsonr_get(nv, "critical_warning"));
	si->nvme_percentage_used = jint(jsonr_get(nv, "percentage_used"));
	si->nvme_media_errors = jint(jsonr_get(nv, "media_errors"));
}

/* judge_failing: the verdicts that mean "replace this disk now". */
static void judge_failing(struct smart_info *si)
{
	if (si->passed == 0)
		verdict(si, SMART_FAILING,
			"SMART overall-health self-assessment failed");
	if (si->exit_status & SMART_EXIT_FAILING)
		verdict(si, SMART_FAILING, "SMART status: disk failing");
	if (si->nvme_critical_warning > 0)
		verdict(si, SMART_FAILING, "NVMe critical warning 0x%02llx",
			(unsigned long long)si->nvme_critical_warning);
	if (si->exit_status & SMART_EXIT_PREFAIL)
		verdict(si, SMART_FAILING,
			"pre-failure attributes at or below threshold");
}

/* judge_warning: the verdicts that mean "plan a replacement". */
static void judge_warning(struct smart_info *si)
{
	static const struct { int bit; const char *why; } bits[] = {
		{ SMART_EXIT_PAST, "attributes were at or below threshold "
				   "in the past" },
		{ SMART_EXIT_ERRLOG, "the device error log has errors" },
		{ SMART_EXIT_SELFTEST, "the self-test log has errors" },
	};
	size_t i;

	if (si->reallocated > 0)
		verdict(si, SMART_WARNING, "%lld reallocated sectors",
			(long long)si->reallocated);
	if (si->pending > 0)
		verdict(si, SMART_WARNING, "%lld pending sectors",
			(long long)si->pending);
	if (si->uncorrectable > 0)
		verdict(si, SMART_WARNING, "%lld uncorrectable sectors",
			(long long)si->uncorrectable);
	if (si->nvme_media_errors > 0)
		verdict(si, SMART_WARNING, "%lld media errors",
			(long long)si->nvme_media_errors);
	if (si->nvme_percentage_used >= 90)
		verdict(si, SMART_WARNING, "%lld%% of rated endurance used",
			(long long)si->nvme_percentage_used);
	for (i = 0; i < sizeof(bits) / sizeof(bits[0]); i++)
		if (si->exit_status & bits[i].bit)
			verdict(si, SMART_WARNING, "%s", bits[i].why);
}

/* judge_unreadable: 1 when smartctl could not read the disk at all. */
static int judge_unreadable(yajl_val doc, struct smart_info *si)
{
	const char *msg = NULL;
	yajl_val m = jget(doc, "smartctl", "messages");

	if (!(si->exit_status & (SMART_EXIT_CMDLINE | SMART_EXIT_OPEN)))
		return 0;
	jsonr_str(jsonr_get(jsonr_arr_at(m, 0), "string"), &msg);
	verdict(si, SMART_UNKNOWN, "%s", msg ? msg :
		(si->exit_status & SMART_EXIT_OPEN) ? "device open failed" :
		"smartctl did not accept the command line");
	return 1;
}

static void info_init(struct smart_info *si, int exit_status)
{
	memset(si, 0, sizeof(*si));
	si->exit_status = exit_status;
	si->passed = -1;
	si->temperature = NAN;
	si->power_on_hours = si->reallocated = si->pending = -1;
	si->uncorrectable = si->nvme_critical_warning = -1;
	si->nvme_percentage_used = si->nvme_media_errors = -1;
}

int smart_parse(const uint8_t *p, size_t n, int exit_status,
		struct smart_info *out)
{
	yajl_val doc = NULL;
	char err[128];
	int64_t js;

	info_init(out, exit_status);
	if (n > SMART_OUTPUT_MAX ||
	    jsonr_parse(p, n, &doc, err, sizeof(err)) < 0 ||
	    !YAJL_IS_OBJECT(doc)) {
		verdict(out, SMART_UNKNOWN, "smartctl's output is not JSON");
		jsonr_free(doc);
		return RP_EFORMAT;
	}
	if ((js = jint(jget(doc, "smartctl", "exit_status"))) >= 0)
		out->exit_status = (int)js;
	if (!judge_unreadable(doc, out)) {
		read_fields(doc, out);
		judge_failing(out);
		judge_warning(out);
		if (out->health == SMART_OK && out->passed < 0)
			verdict(out, SMART_UNKNOWN,
				(out->exit_status & SMART_EXIT_COMMAND) ?
				"a SMART command failed" :
				"the disk reports no SMART status");
	}
	jsonr_free(doc);
	return 0;
}

int smart_read(const char *smartctl, const char *device, int timeout_ms,
	       struct smart_info *out)
{
	const char *argv[] = {
		smartctl ? smartctl : SMART_DEFAULT_CMD, "--json", "-a", device,
		NULL,
	};
	struct buf b;
	char why[sizeof(out->reason)] = "";
	int r, status = 0;

	info_init(out, 0);
	if (!device || !*device || device[0] == '-')
		return RP_EINVAL;
	buf_init(&b, SMART_OUTPUT_MAX);
	r = run_capture((char *const *)argv,
			timeout_ms > 0 ? timeout_ms : SMART_TIMEOUT_MS, &b,
			&status, why, sizeof(why));
	if (r == 0 && smart_parse(b.p, b.len, status, out) < 0)
		r = RP_ECMD;
	if (r < 0 && why[0]) {
		info_init(out, status);
		verdict(out, SMART_UNKNOWN, "%s", why);
	}
	buf_release(&b);
	return r;
}

const char *smart_health_name(enum smart_health h)
{
	static const char *const names[] = { "ok", "warning", "failing",
					     "unknown" };

	return (unsigned)h < 4 ? names[h] : "unknown";
}

/* add_known: one row when v >= 0. */
static int add_known(struct monitor_samples *out, const char *metric,
		     const char *l, double v)
{
	return v >= 0 ? monitor_samples_add(out, metric, l, v) : 0;
}

int smart_samples(const char *device, const struct smart_info *si,
		  struct monitor_samples *out)
{
	char l[MONITOR_LABELS_MAX];
	int r;

	if ((r = monitor_label(l, sizeof(l), "device", device)) < 0)
		return r;
	r = monitor_samples_add(out, "smart_health", l, (double)si->health);
	if (r == 0 && !isnan(si->temperature))
		r = monitor_samples_add(out, "smart_temp_celsius", l,
					si->temperature);
	if (r == 0)
		r = add_known(out, "smart_power_on_hours", l,
			      (double)si->power_on_hours);
	if (r == 0)
		r = add_known(out, "smart_reallocated_sectors", l,
			      (double)si->reallocated);
	if (r == 0)
		r = add_known(out, "smart_pending_sectors", l,
			      (double)si->pending);
	if (r == 0)
		r = add_known(out, "nvme_percentage_used", l,
			      (double)si->nvme_percentage_used);
	if (r == 0)
		r = add_known(out, "nvme_media_errors", l,
			      (double)si->nvme_media_errors);
	return r;
}
