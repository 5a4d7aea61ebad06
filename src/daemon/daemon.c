#include "daemon/daemon.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "catalog/catalog.h"
#include "daemon/http.h"
#include "daemon/jobs.h"
#include "daemon/ping.h"
#include "daemon/sched.h"
#include "daemon/watch.h"
#include "plan/plan.h"
#include "util/clock.h"
#include "util/err.h"
#include "util/fsx.h"
#include "util/gostr.h"
#include "util/i18n.h"
#include "util/jsonr.h"
#include "util/jsonw.h"
#include "util/log.h"
#include "util/xmalloc.h"

#define MAX_CHILDREN 16

struct daemon {
	const struct daemon_opts *o;
	struct plan *plan;
	struct catalog *cat;
	struct sched sched;
	struct ping_table pings;
	struct http_server *http;
	struct child kids[MAX_CHILDREN];
	struct watch *watch;
	char *status_path;
	int64_t started_ms;
	int lock_fd;            /* STATE/daemon.lock, held while running */
};

static volatile sig_atomic_t got_term, got_hup;

static void on_signal(int sig)
{
	if (sig == SIGHUP)
		got_hup = 1;
	else
		got_term = 1;
}

static void log_line(enum log_level lvl, const char *func, const char *msg,
		     void *arg)
{
	static const char *const names[] = { "debug", "info", "warning",
					      "error" };
	struct buf t = BUF_INIT;
	struct gotime now;

	(void)func;
	(void)arg;
	gostr_time_from(&now, clock_now(), 0);
	now.off = 0;
	gostr_time_format(&t, &now);
	fprintf(stderr, "%s %s %s\n", buf_cstr(&t), names[lvl], msg);
	buf_release(&t);
}

/* ---- the plan's tasks ---- */

static void add_job_tasks(struct daemon *d, const struct plan_job *j,
			  int64_t now)
{
	size_t k;

	for (k = 0; k < j->nrepos; k++) {
		char name[96];
		struct sched_task *t;

		snprintf(name, sizeof(name), "backup %s -> %s", j->name,
			 j->repos[k]->name);
		t = sched_add(&d->sched, name, TASK_BACKUP,
			      plan_job_interval(d->plan, j) * 1000,
			      j->at, j->repos[k]->url, now);
		t->arg = (void *)j;
		t->index = k;
	}
}

/* drill_job: the job whose snapshots a drill restores. */
static const struct plan_job *drill_job(const struct plan *p,
					const struct plan_drill *dr)
{
	size_t i;

	if (dr->job)
		return dr->job;
	for (i = 0; i < p->njobs; i++)
		if (plan_job_covers(&p->jobs[i], dr->service))
			return &p->jobs[i];
	return NULL;
}

static void add_drill_tasks(struct daemon *d, const struct plan_drill *dr,
			    int64_t now)
{
	const struct plan_job *j = drill_job(d->plan, dr);
	size_t k;

	for (k = 0; j && k < j->nrepos; k++) {
		char name[96];
		struct sched_task *t;

		if (dr->repo && dr->repo != j->repos[k])
			continue;
		snprintf(name, sizeof(name), "drill %s in %s", dr->name,
			 j->repos[k]->name);
		/* a drill reads: it takes no repository's writer slot */
		t = sched_add(&d->sched, name, TASK_DRILL, dr->every * 1000, -1,
			      NULL, now);
		t->arg = (void *)dr;
		t->index = k;
	}
}

static void build_tasks(struct daemon *d, int64_t now)
{
	size_t i;

	for (i = 0; i < d->plan->njobs; i++)
		add_job_tasks(d, &d->plan->jobs[i], now);
	for (i = 0; i < d->plan->ndrills; i++)
		add_drill_tasks(d, &d->plan->drills[i], now);
	sched_add(&d->sched, "check plan", TASK_CHECK, d->o->check_every_ms,
		  -1, NULL, now);
	sched_add(&d->sched, "collect", TASK_COLLECT, d->o->collect_every_ms,
		  -1, NULL, now);
	sched_add(&d->sched, "maintain catalog", TASK_MAINTAIN, 3600 * 1000,
		  -1, NULL, now);
}

/* ---- argv of the children ---- */

struct argv {
	char **v;
	size_t n;
};

static void arg(struct argv *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void arg(struct argv *a, const char *fmt, ...)
{
	va_list ap;
	struct buf b = BUF_INIT;

	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	a->v = xreallocarray(a->v, a->n + 2, sizeof(char *));
	a->v[a->n++] = (char *)buf_detach(&b, NULL);
	a->v[a->n] = NULL;
}

static void argv_free(struct argv *a)
{
	size_t i;

	for (i = 0; i < a->n; i++)
		free(a->v[i]);
	free(a->v);
	a->v = NULL;
	a->n = 0;
}

static void repo_args(struct argv *a, const struct plan_repository *r)
{
	arg(a, "reprise");
	arg(a, "-r");
	arg(a, "%s", r->url);
	if (r->password_file) {
		arg(a, "--password-file");
		arg(a, "%s", r->password_file);
	}
}

static void backup_args(struct argv *a, const struct plan_job *j, size_t k)
{
	size_t i;

	repo_args(a, j->repos[k]);
	arg(a, "--json");
	arg(a, "backup");
	arg(a, "--tag");
	arg(a, "job:%s", j->name);
	if (j->host) {
		arg(a, "--host");
		arg(a, "%s", j->host->name);
	}
	for (i = 0; i < j->exclude.n; i++)
		arg(a, "--exclude=%s", j->exclude.v[i]);
	if (j->command) {
		arg(a, "--stdin-from-command");
		arg(a, "--stdin-filename");
		arg(a, "%s.dump", j->name);
		arg(a, "--");
		arg(a, "/bin/sh");
		arg(a, "-c");
		arg(a, "%s", j->command);
		return;
	}
	arg(a, "--");
	for (i = 0; i < j->sources.n; i++)
		arg(a, "%s", j->sources.v[i]);
}

static void drill_args(struct daemon *d, struct argv *a,
		       const struct plan_drill *dr, size_t k)
{
	const struct plan_job *j = drill_job(d->plan, dr);

	repo_args(a, j->repos[k]);
	arg(a, "--state");
	arg(a, "%s", d->o->state_dir);
	arg(a, "--json");
	arg(a, "drill");
	arg(a, "latest");
	arg(a, "--tag");
	arg(a, "job:%s", j->name);
	arg(a, "--label");
	arg(a, "%s", dr->service ? dr->service->name : j->name);
	if (dr->scope == PLAN_SCOPE_SAMPLE) {
		arg(a, "--sample");
		arg(a, "%d%%", dr->sample);
	}
	if (!dr->compare_source)
		arg(a, "--no-compare");
}

static void check_args(struct daemon *d, struct argv *a)
{
	arg(a, "reprise");
	arg(a, "--state");
	arg(a, "%s", d->o->state_dir);
	arg(a, "--json");
	arg(a, "check");
	arg(a, "--plan");
	arg(a, "%s", d->o->plan_path);
}

/* ---- backup runs in the catalog ---- */

static int64_t run_begin(struct daemon *d, const struct plan_job *j,
			 size_t k, int64_t now_ms)
{
	struct catalog_run r;
	char host[256] = "";
	int64_t id = 0;

	gethostname(host, sizeof(host) - 1);
	memset(&r, 0, sizeof(r));
	r.job = j->name;
	r.repo = j->repos[k]->url;
	r.host = j->host ? j->host->name : host;
	r.started = now_ms / 1000;
	r.started_ns = (int32_t)(now_ms % 1000) * 1000000;
	if (catalog_run_begin(d->cat, &r, &id) < 0)
		log_warn("cannot record the start of %s", j->name);
	return id;
}

/* summary_of: the last JSON line of a child's output, parsed. */
static yajl_val summary_of(struct child *c)
{
	char *s = (char *)buf_cstr(&c->out), *line = NULL, *p;
	yajl_val doc = NULL;

	for (p = s; (p = strstr(p, "{\"message_type\":\"summary\"")); p++)
		line = p;
	if (line) {
		size_t n = strcspn(line, "\n");

		jsonr_parse((const uint8_t *)line, n, &doc, NULL, 0);
	}
	return doc;
}

static void run_finish(struct daemon *d, struct child *c,
		       const struct plan_job *j, size_t k, int64_t now_ms)
{
	struct catalog_run r;
	struct catalog_snapshot s;
	yajl_val doc = summary_of(c);
	const char *snap = NULL;
	uint64_t v = 0;
	char err[64];

	memset(&r, 0, sizeof(r));
	r.finished = now_ms / 1000;
	r.result = c->status == 0   ? CATALOG_RUN_OK
		   : c->status == 3 ? CATALOG_RUN_PARTIAL
				    : CATALOG_RUN_FAILED;
	jsonr_str(jsonr_get(doc, "snapshot_id"), &snap);
	r.snapshot = r.result == CATALOG_RUN_FAILED ? NULL : snap;
	r.files = jsonr_u64(jsonr_get(doc, "total_files_processed"), &v) ? 0
		  : (int64_t)v;
	r.bytes = jsonr_u64(jsonr_get(doc, "total_bytes_processed"), &v) ? 0
		  : (int64_t)v;
	r.bytes_added = jsonr_u64(jsonr_get(doc, "data_added_packed"), &v)
			? 0 : (int64_t)v;
	r.errors = jsonr_u64(jsonr_get(doc, "errors"), &v) ? 0 : (int64_t)v;
	snprintf(err, sizeof(err), "exit status %d", c->status);
	r.error = c->status ? err : NULL;
	if (c->run_id && catalog_run_finish(d->cat, c->run_id, &r) < 0)
		log_warn("cannot record the end of %s", j->name);
	if (r.snapshot) {
		memset(&s, 0, sizeof(s));
		s.repo = j->repos[k]->url;
		s.id = r.snapshot;
		s.time = c->started_ms / 1000;
		s.job = j->name;
		s.host = j->host ? j->host->name : NULL;
		catalog_snapshot_add(d->cat, &s);
	}
	jsonr_free(doc);
}

/* ---- starting and reaping ---- */

static struct child *free_slot(struct daemon *d)
{
	size_t i;

	for (i = 0; i < MAX_CHILDREN; i++)
		if (d->kids[i].pid == 0)
			return &d->kids[i];
	return NULL;
}

static int spawn_task(struct daemon *d, struct sched_task *t,
		      struct child *c, int64_t now)
{
	struct argv a = { NULL, 0 };
	const struct plan_job *j = t->arg;
	int rc;

	if (getenv("REPRISE_CLOCK")) {
		/* children run on the test clock from where it is now */
		char clk[64];

		snprintf(clk, sizeof(clk), "%lld,x%g", (long long)(now / 1000),
			 clock_speed());
		setenv("REPRISE_CLOCK", clk, 1);
	}
	if (t->kind == TASK_BACKUP)
		backup_args(&a, j, t->index);
	else if (t->kind == TASK_DRILL)
		drill_args(d, &a, t->arg, t->index);
	else
		check_args(d, &a);
	rc = child_spawn(c, a.v);
	argv_free(&a);
	if (rc < 0)
		return rc;
	c->task = t;
	c->started_ms = now;
	if (t->kind == TASK_BACKUP)
		c->run_id = run_begin(d, j, t->index, now);
	log_info("%s: started (pid %ld)", t->name, (long)c->pid);
	return 0;
}

static void start_task(struct daemon *d, struct sched_task *t, int64_t now)
{
	struct child *c;

	sched_start(t, now);
	if (t->kind == TASK_COLLECT || t->kind == TASK_MAINTAIN) {
		int st = t->kind == TASK_COLLECT ? watch_collect(d->watch, now)
						 : watch_maintain(d->watch, now);

		sched_done(&d->sched, t, st, clock_now_ms());
		return;
	}
	if ((c = free_slot(d)) == NULL || spawn_task(d, t, c, now) < 0) {
		log_error("%s: cannot start", t->name);
		sched_done(&d->sched, t, 127, now);
	}
}

static void log_child_line(const char *line, void *arg)
{
	const struct sched_task *t = arg;
	/* a child's own prefix is noise in the daemon's log */
	const char *msg = strncmp(line, "reprise: ", 9) == 0 ? line + 9 : line;

	log_warn("%s: %s", t->name, msg);
}

static void reap(struct daemon *d, int64_t now)
{
	size_t i;

	for (i = 0; i < MAX_CHILDREN; i++) {
		struct child *c = &d->kids[i];
		struct sched_task *t = c->task;
		int finished;

		if (c->pid == 0)
			continue;
		finished = child_poll(c);
		child_err_lines(c, log_child_line, t);
		if (!finished)
			continue;
		if (t->kind == TASK_BACKUP)
			run_finish(d, c, t->arg, t->index, now);
		if (c->status == 0)
			log_info("%s: done", t->name);
		else
			log_warn("%s: finished with exit status %d", t->name,
				 c->status);
		sched_done(&d->sched, t, c->status, now);
		child_release(c);
		c->pid = 0;
	}
}

/* ---- status.json, for `reprise status` ---- */

static const char *kind_name(enum sched_kind k)
{
	static const char *const names[] = { "backup", "drill", "check",
					     "collect", "maintain" };

	return names[k];
}

static void write_status(struct daemon *d, int64_t now)
{
	struct buf out = BUF_INIT;
	struct jsonw w;
	size_t i;

	jsonw_init(&w, &out);
	jsonw_obj_begin(&w);
	jsonw_key(&w, "pid");
	jsonw_i64(&w, (int64_t)getpid());
	jsonw_key(&w, "started_ms");
	jsonw_i64(&w, d->started_ms);
	jsonw_key(&w, "now_ms");
	jsonw_i64(&w, now);
	jsonw_key(&w, "plan");
	jsonw_str(&w, d->o->plan_path);
	jsonw_key(&w, "tasks");
	jsonw_arr_begin(&w);
	for (i = 0; i < d->sched.n; i++) {
		const struct sched_task *t = &d->sched.v[i];

		jsonw_obj_begin(&w);
		jsonw_key(&w, "name"); jsonw_str(&w, t->name);
		jsonw_key(&w, "kind"); jsonw_str(&w, kind_name(t->kind));
		jsonw_key(&w, "running"); jsonw_bool(&w, t->running);
		jsonw_key(&w, "next_ms"); jsonw_i64(&w, t->next_ms);
		jsonw_key(&w, "last_start_ms"); jsonw_i64(&w, t->last_start_ms);
		jsonw_key(&w, "last_end_ms"); jsonw_i64(&w, t->last_end_ms);
		jsonw_key(&w, "last_status"); jsonw_i64(&w, t->last_status);
		jsonw_obj_end(&w);
	}
	jsonw_arr_end(&w);
	jsonw_key(&w, "watch");
	watch_status_json(d->watch, &w, now);
	jsonw_obj_end(&w);
	if (jsonw_finish(&w) == 0 &&
	    fsx_write_atomic(d->status_path, out.p, out.len, 0644,
			     FSX_NOSYNC) < 0)
		log_warn("cannot write %s", d->status_path);
	buf_release(&out);
}

/* ---- HTTP ---- */

static void route_ping(const struct http_req *req, struct http_resp *resp,
		       void *arg)
{
	struct daemon *d = arg;

	ping_http(req, resp, &d->pings);
}

static void route_health(const struct http_req *req, struct http_resp *resp,
			 void *arg)
{
	(void)req;
	(void)arg;
	buf_adds(&resp->body, "OK\n");
}

static const struct http_route routes[] = {
	{ NULL, "/ping/", route_ping },
	{ "GET", "/health", route_health },
	{ NULL, NULL, NULL },
};

/* ---- the loop ---- */

static int load_plan(struct daemon *d, struct plan **out)
{
	struct plan_errors errs = PLAN_ERRORS_INIT;
	struct buf msg = BUF_INIT;
	size_t i;
	int rc = plan_load(d->o->plan_path, out, &errs);

	for (i = 0; rc < 0 && i < errs.n; i++) {
		buf_reset(&msg);
		plan_error_message(&errs.v[i], NULL, &msg);
		log_error("%s:%d:%d: %s", errs.v[i].file, errs.v[i].line,
			  errs.v[i].col, buf_cstr(&msg));
	}
	if (rc < 0 && errs.n == 0)
		log_error("cannot read the plan %s: %s", d->o->plan_path,
			  i18n_tr(rp_strerror(rc)));
	buf_release(&msg);
	plan_errors_release(&errs);
	return rc;
}

/* keep_rhythm: a task that survives a reload keeps its times, so a
 * SIGHUP does not run every job again at once. */
static void keep_rhythm(struct sched *s, const struct sched *old)
{
	size_t i, k;

	for (i = 0; i < s->n; i++)
		for (k = 0; k < old->n; k++) {
			const struct sched_task *o = &old->v[k];
			struct sched_task *t = &s->v[i];

			if (strcmp(o->name, t->name) != 0 || o->kind != t->kind)
				continue;
			t->last_start_ms = o->last_start_ms;
			t->last_end_ms = o->last_end_ms;
			t->last_status = o->last_status;
			if (o->last_start_ms)
				t->next_ms = o->last_start_ms + t->interval_ms;
			if (t->next_ms > o->next_ms && o->last_start_ms == 0)
				t->next_ms = o->next_ms;
		}
}

static void reload(struct daemon *d, int64_t now)
{
	struct plan *p;
	size_t i;

	for (i = 0; i < MAX_CHILDREN; i++)
		if (d->kids[i].pid)
			break;
	if (i < MAX_CHILDREN) {
		got_hup = 1; /* tasks point into the plan: reload when idle */
		return;
	}
	got_hup = 0;
	if (load_plan(d, &p) < 0) {
		log_error("the new plan has errors: keeping the old one");
		return;
	}
	/* the watch first: it waits for the sender thread, which reads the
	 * old plan, to be idle; only then is the old plan freed */
	watch_set_plan(d->watch, p);
	{
		struct sched old = d->sched;

		sched_init(&d->sched, old.tz_offset_s);
		plan_free(d->plan);
		d->plan = p;
		build_tasks(d, now);
		keep_rhythm(&d->sched, &old);
		sched_release(&old);
	}
	log_info(i18n_ntr("plan reloaded: %zu task", "plan reloaded: %zu tasks",
			  d->sched.n), d->sched.n);
}

static int running_children(const struct daemon *d)
{
	size_t i;
	int n = 0;

	for (i = 0; i < MAX_CHILDREN; i++)
		n += d->kids[i].pid != 0;
	return n;
}

static void wait_a_little(struct daemon *d, int64_t now)
{
	struct pollfd pfd[2 * MAX_CHILDREN];
	int64_t wait = sched_wait_ms(&d->sched, now);
	nfds_t n = 0;
	size_t i;
	int ms;

	for (i = 0; i < MAX_CHILDREN; i++) {
		if (d->kids[i].pid && d->kids[i].out_fd >= 0) {
			pfd[n].fd = d->kids[i].out_fd;
			pfd[n++].events = POLLIN;
		}
		if (d->kids[i].pid && d->kids[i].err_fd >= 0) {
			pfd[n].fd = d->kids[i].err_fd;
			pfd[n++].events = POLLIN;
		}
	}
	wait = clock_real_ms(wait);
	ms = wait > 1000 ? 1000 : (int)wait; /* children may exit silently */
	if (running_children(d) && ms > 200)
		ms = 200;
	poll(pfd, n, ms);
}

static void stop_children(struct daemon *d)
{
	size_t i;
	int tries;

	for (i = 0; i < MAX_CHILDREN; i++)
		if (d->kids[i].pid)
			child_signal(&d->kids[i], SIGTERM);
	/* up to 10 minutes, as the unit's TimeoutStopSec: a backup that
	 * got SIGTERM finishes its pack and leaves cleanly */
	for (tries = 0; tries < 6000 && running_children(d); tries++) {
		struct timespec ts = { 0, 100 * 1000 * 1000 };

		reap(d, clock_now_ms());
		nanosleep(&ts, NULL);
	}
}

static int all_ran_once(const struct daemon *d)
{
	size_t i;

	for (i = 0; i < d->sched.n; i++)
		if (d->sched.v[i].running || d->sched.v[i].last_end_ms == 0)
			return 0;
	return 1;
}

static void loop(struct daemon *d)
{
	while (!got_term) {
		int64_t now = clock_now_ms();
		struct sched_task *t;

		reap(d, now);
		if (got_hup)
			reload(d, now);
		while (!got_term && (t = sched_next_due(&d->sched, now)))
			start_task(d, t, now);
		write_status(d, now);
		if (d->o->once && all_ran_once(d))
			break;
		wait_a_little(d, now);
	}
}

static void install_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

static int64_t local_offset(void)
{
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	return tm.tm_gmtoff;
}

/* lock_state: one daemon per state directory, or every job would run
 * twice.  The lock (flock) goes with the process, even killed. */
static int lock_state(struct daemon *d)
{
	char *path = xasprintf("%s/daemon.lock", d->o->state_dir);
	char pid[32];
	int n;

	d->lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (d->lock_fd < 0 || flock(d->lock_fd, LOCK_EX | LOCK_NB) < 0) {
		n = d->lock_fd >= 0 ? (int)read(d->lock_fd, pid, sizeof(pid) - 1)
				    : 0;
		pid[n > 0 ? n : 0] = '\0';
		pid[strcspn(pid, "\n")] = '\0';
		log_error("another reprise daemon is already running with the "
			  "state directory %s (pid %s): stop it first",
			  d->o->state_dir, pid[0] ? pid : "?");
		free(path);
		return -1;
	}
	free(path);
	n = snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
	if (ftruncate(d->lock_fd, 0) < 0 ||
	    pwrite(d->lock_fd, pid, (size_t)n, 0) < 0)
		log_warn("cannot write the daemon's pid into its lock file");
	return 0;
}

static int setup(struct daemon *d)
{
	char *path;
	int rc;

	if ((rc = fsx_mkdir_p(d->o->state_dir, 0700)) < 0) {
		log_error("cannot create the state directory %s: %s",
			  d->o->state_dir, i18n_tr(rp_strerror(rc)));
		return 1;
	}
	if (lock_state(d) < 0)
		return 1;
	path = xasprintf("%s/catalog.db", d->o->state_dir);
	rc = catalog_open(path, &d->cat);
	if (rc < 0)
		log_error("cannot open the catalog %s: %s", path,
			  i18n_tr(rp_strerror(rc)));
	free(path);
	if (rc < 0)
		return 1;
	if (load_plan(d, &d->plan) < 0)
		return 2;
	d->status_path = xasprintf("%s/status.json", d->o->state_dir);
	return 0;
}

static void teardown(struct daemon *d)
{
	http_stop(d->http);
	watch_free(d->watch);
	sched_release(&d->sched);
	ping_release(&d->pings);
	plan_free(d->plan);
	catalog_close(d->cat);
	free(d->status_path);
	if (d->lock_fd >= 0)
		close(d->lock_fd);
}

int daemon_run(const struct daemon_opts *o)
{
	struct daemon d;
	int rc, n;

	memset(&d, 0, sizeof(d));
	d.o = o;
	d.lock_fd = -1;
	log_set_sink(log_line, NULL);
	log_set_level(LOG_INFO);
	if (clock_init() < 0)
		log_warn("REPRISE_CLOCK is malformed: using the system clock");
	install_signals();
	ping_init(&d.pings);
	if ((rc = setup(&d)) != 0) {
		teardown(&d);
		return rc;
	}
	d.started_ms = clock_now_ms();
	sched_init(&d.sched, local_offset());
	build_tasks(&d, d.started_ms);
	d.watch = watch_new(o, d.plan, d.cat, &d.pings, d.started_ms);
	if (o->listen && strcmp(o->listen, "off") != 0 &&
	    http_start(o->listen, routes, &d, &d.http) == 0)
		log_info("listening on %s (port %d)", o->listen,
			 http_port(d.http));
	log_info(i18n_ntr("started: plan %s, %zu task, state %s",
			  "started: plan %s, %zu tasks, state %s", d.sched.n),
		 o->plan_path, d.sched.n, o->state_dir);
	loop(&d);
	n = running_children(&d);
	log_info(i18n_ntr("stopping: %d task still running",
			  "stopping: %d tasks still running", (unsigned long)n),
		 n);
	stop_children(&d);
	write_status(&d, clock_now_ms());
	teardown(&d);
	log_info("stopped");
	return 0;
}
