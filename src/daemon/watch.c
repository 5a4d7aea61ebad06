#include "util/thread.h"
#include "daemon/watch.h"

#include <dirent.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alert/alert.h"
#include "catalog/catalog.h"
#include "daemon/daemon.h"
#include "daemon/ping.h"
#include "monitor/forecast.h"
#include "monitor/freshness.h"
#include "monitor/monitor.h"
#include "monitor/probe.h"
#include "monitor/smart.h"
#include "monitor/sys.h"
#include "monitor/sysfs.h"
#include "monitor/trend.h"
#include "notify/notify.h"
#include "plan/plan.h"
#include "util/fsx.h"
#include "util/log.h"
#include "util/xmalloc.h"

#define SMART_EVERY_MS ((int64_t)10 * 60 * 1000)

/* One series of samples and its trend, by key ("temp coretemp/temp1"). */
struct series {
	char key[96];
	struct trend t;
};

/* A notification waiting for the sender thread (copies of everything). */
struct note {
	struct note *next;
	struct alert_event ev;
	char *rule, *subject, *text, *actor;
	struct notify_facts facts;
	char *host, *what, *unit, *detail;
};

struct watch {
	const struct daemon_opts *o;
	struct plan *plan;
	struct catalog *cat;
	struct ping_table *pings;
	struct alert_engine *alerts;
	struct alert_events evs;
	struct alert_route route;
	struct series *ser;
	size_t nser;
	struct monitor_samples samples;
	int64_t last_probe, last_smart;
	int64_t started_ms;         /* a job with no snapshot yet has until
				     * started + its RPO before it is stale */
	struct catalog *ping_cat;   /* the HTTP thread's own connection */
	char **seen;                /* "rule\tsubject" judged this turn */
	size_t nseen;
	pthread_mutex_t ping_mu;
	const char *host;           /* the plan's host this daemon watches */
	struct forecast_rule *rules; /* its thresholds; point into the plan */
	size_t nrules;
	/* notifications: a sender thread with its own catalog connection */
	struct notify_smtp smtp;
	int has_smtp;
	struct notify_webhook *hooks;
	size_t nhooks;
	pthread_t sender;
	int sender_started, stopping, sending;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct note *head, *tail;
};

/* ---- series ---- */

static struct trend *series(struct watch *w, const char *kind,
			    const char *id)
{
	char key[96];
	size_t i;

	snprintf(key, sizeof(key), "%s %s", kind, id);
	for (i = 0; i < w->nser; i++)
		if (strcmp(w->ser[i].key, key) == 0)
			return &w->ser[i].t;
	w->ser = xreallocarray(w->ser, w->nser + 1, sizeof(*w->ser));
	memset(&w->ser[w->nser], 0, sizeof(w->ser[0]));
	snprintf(w->ser[w->nser].key, sizeof(w->ser[0].key), "%s", key);
	trend_init(&w->ser[w->nser].t);
	return &w->ser[w->nser++].t;
}

/* ---- the sender thread ---- */

static char *dup0(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static void note_free(struct note *n)
{
	free(n->rule);
	free(n->subject);
	free(n->text);
	free(n->actor);
	free(n->host);
	free(n->what);
	free(n->unit);
	free(n->detail);
	free(n);
}

static void send_note(struct watch *w, struct catalog *cat, struct note *n)
{
	struct notify_ctx ctx;

	memset(&ctx, 0, sizeof(ctx));
	ctx.plan = w->plan;
	ctx.smtp = w->has_smtp ? &w->smtp : NULL;
	ctx.hooks = w->hooks;
	ctx.nhooks = w->nhooks;
	ctx.cat = cat;
	if (notify_alert(&ctx, &w->route, &n->ev, &n->facts, n->ev.t) < 0)
		log_warn("alert %lld: a notification could not be sent",
			 (long long)n->ev.id);
}

static void *sender_main(void *arg)
{
	struct watch *w = arg;
	struct catalog *cat = NULL;
	char *path = xasprintf("%s/catalog.db", w->o->state_dir);
	struct note *n;

	if (catalog_open(path, &cat) < 0)
		log_warn("notifications will not be recorded in the catalog");
	free(path);
	for (;;) {
		pthread_mutex_lock(&w->mu);
		while (w->head == NULL && !w->stopping)
			pthread_cond_wait(&w->cv, &w->mu);
		n = w->head;
		if (n) {
			w->head = n->next;
			if (w->head == NULL)
				w->tail = NULL;
		}
		w->sending = n != NULL;
		pthread_mutex_unlock(&w->mu);
		if (n == NULL)
			break;
		send_note(w, cat, n);
		note_free(n);
		pthread_mutex_lock(&w->mu);
		w->sending = 0;
		pthread_cond_broadcast(&w->cv);
		pthread_mutex_unlock(&w->mu);
	}
	catalog_close(cat);
	return NULL;
}

static void queue_note(struct watch *w, const struct alert_event *ev,
		       const struct notify_facts *f)
{
	struct note *n = xcalloc(1, sizeof(*n));

	n->ev = *ev;
	n->ev.rule = n->rule = dup0(ev->rule);
	n->ev.subject = n->subject = dup0(ev->subject);
	n->ev.text = n->text = dup0(ev->text);
	n->ev.actor = n->actor = dup0(ev->actor);
	n->facts = *f;
	n->facts.host = n->host = dup0(f->host);
	n->facts.what = n->what = dup0(f->what);
	n->facts.unit = n->unit = dup0(f->unit);
	n->facts.detail = n->detail = dup0(f->detail);
	n->facts.service = NULL;
	pthread_mutex_lock(&w->mu);
	if (w->tail)
		w->tail->next = n;
	else
		w->head = n;
	w->tail = n;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
}

/* ---- alert conditions ---- */

static const char *tr_id(const char *s)
{
	return s; /* logs and catalog texts are English; mail is notify's */
}

/* judge: feeds one condition to the engine and queues what it asks to be
 * told, with the facts that make the message. */
/* judged: rule was evaluated this turn, even on no subject at all (a
 * plan reloaded without probes): its open alerts on subjects not judged
 * are then forgotten. */
static void judged(struct watch *w, const char *rule)
{
	w->seen = xreallocarray(w->seen, w->nseen + 1, sizeof(*w->seen));
	w->seen[w->nseen++] = xasprintf("%s\t", rule);
}

static void judge(struct watch *w, const char *rule, enum alert_severity sev,
		  int64_t for_ms, int64_t clear_ms, const char *subject,
		  int cond, const char *text, const struct notify_facts *f,
		  int64_t now)
{
	struct alert_rule r;
	size_t i;

	w->seen = xreallocarray(w->seen, w->nseen + 1, sizeof(*w->seen));
	w->seen[w->nseen++] = xasprintf("%s\t%s", rule, subject);
	memset(&r, 0, sizeof(r));
	r.id = rule;
	r.severity = sev;
	r.for_ms = for_ms;
	r.clear_ms = clear_ms;
	r.repeat_ms = (int64_t)2 * 3600 * 1000;
	r.route = &w->route;
	alert_eval(w->alerts, &r, subject, cond, cond ? text : NULL, now,
		   &w->evs);
	for (i = 0; i < w->evs.n; i++) {
		const struct alert_event *ev = &w->evs.v[i];

		if (ev->kind == ALERT_EV_FIRING)
			log_warn("alert %lld firing: %s: %s", (long long)ev->id,
				 ev->subject, ev->text ? ev->text : "");
		else if (ev->kind == ALERT_EV_RESOLVED)
			log_info("alert %lld resolved: %s", (long long)ev->id,
				 ev->subject);
		else if (ev->kind == ALERT_EV_NOTIFY &&
			 (w->has_smtp || w->nhooks))
			queue_note(w, ev, f);
	}
	alert_events_reset(&w->evs);
}

static void facts_init(struct notify_facts *f, enum notify_kind k,
		       const char *host, const char *what)
{
	struct notify_facts z = NOTIFY_FACTS_INIT;

	*f = z;
	f->kind = k;
	f->host = host;
	f->what = what;
}

/* ---- temperatures, fans, cooling ---- */

static void judge_temp(struct watch *w, const struct sensor *s, int64_t now)
{
	struct forecast_limit lim;
	struct forecast fc;
	struct notify_facts f;
	struct buf text = BUF_INIT;
	char name[128], subject[320];

	if (forecast_sensor_limit(s, w->rules, w->nrules, &lim) < 0 ||
	    isnan(lim.value))
		return;
	forecast_eval(series(w, "temp", s->id), now, &lim, &fc);
	sysfs_sensor_name(s, tr_id, name, sizeof(name));
	forecast_sensor_text(name, s, &fc, &lim, tr_id, &text);
	/* the id keeps two sensors of one name apart */
	snprintf(subject, sizeof(subject), "%s: %s (%s)",
		 w->host ? w->host : "", name, s->id);
	facts_init(&f, NOTIFY_KIND_TEMPERATURE, w->host, name);
	f.unit = "°C";
	f.value = fc.value;
	f.limit = lim.value;
	f.rate = fc.slope;
	f.eta_s = fc.seconds >= 0 ? (int64_t)fc.seconds : -1;
	f.detail = buf_cstr(&text);
	judge(w, "temperature", ALERT_SEV_CRITICAL, 0, 5 * 60 * 1000,
	      subject, fc.state != FORECAST_OK, buf_cstr(&text), &f, now);
	buf_release(&text);
}

/* hottest_cpu: the CPU temperature sensor to pair with fans. */
static const struct sensor *hottest_cpu(const struct sensor *v, size_t n)
{
	const struct sensor *best = NULL;
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i].kind == SENSOR_TEMP &&
		    (best == NULL || (sysfs_is_cpu(&v[i]) &&
				      !sysfs_is_cpu(best)) ||
		     (sysfs_is_cpu(&v[i]) == sysfs_is_cpu(best) &&
		      v[i].value > best->value)))
			best = &v[i];
	return best;
}

static void judge_cooling(struct watch *w, const struct sensor *fan,
			  const struct sensor *temp, int64_t now)
{
	struct cooling_verdict v;
	struct forecast_limit lim;
	struct notify_facts f;
	struct buf text = BUF_INIT;
	char fname[128], tname[128], subject[320];

	cooling_check(series(w, "temp", temp->id), series(w, "fan", fan->id),
		      series(w, "load", "1"), now, NULL, &v);
	forecast_sensor_limit(temp, w->rules, w->nrules, &lim);
	sysfs_sensor_name(fan, tr_id, fname, sizeof(fname));
	sysfs_sensor_name(temp, tr_id, tname, sizeof(tname));
	if (v.failed)
		forecast_cooling_text(fname, tname, &v, &lim, tr_id, &text);
	snprintf(subject, sizeof(subject), "%s: %s (%s)",
		 w->host ? w->host : "", fname, fan->id);
	facts_init(&f, NOTIFY_KIND_COOLING, w->host, tname);
	f.unit = "°C";
	f.value = v.temp_now;
	f.limit = lim.value;
	f.rate = v.temp_slope;
	if (v.failed && v.temp_slope > 0 && !isnan(lim.value))
		f.eta_s = (int64_t)((lim.value - v.temp_now) / v.temp_slope * 60);
	f.detail = buf_cstr(&text);
	judge(w, "cooling-failure", ALERT_SEV_CRITICAL, 0, 10 * 60 * 1000,
	      subject, v.failed, buf_cstr(&text), &f, now);
	buf_release(&text);
}

static void collect_sensors(struct watch *w, int64_t now)
{
	struct sensor *v = NULL;
	const struct sensor *cpu;
	size_t n = 0, i;

	if (sysfs_read_sensors(w->o->sysfs_root, &v, &n) < 0)
		return;
	judged(w, "temperature");
	judged(w, "cooling-failure");
	sysfs_samples(v, n, &w->samples);
	for (i = 0; i < n; i++)
		trend_add(series(w, v[i].kind == SENSOR_TEMP ? "temp" : "fan",
				 v[i].id), now, v[i].value);
	for (i = 0; i < n; i++)
		if (v[i].kind == SENSOR_TEMP)
			judge_temp(w, &v[i], now);
	cpu = hottest_cpu(v, n);
	for (i = 0; cpu && i < n; i++)
		if (v[i].kind == SENSOR_FAN)
			judge_cooling(w, &v[i], cpu, now);
	free(v);
}

/* ---- file systems, load, memory ---- */

static void judge_disk(struct watch *w, const struct sys_fs *fs, int64_t now)
{
	struct forecast_limit lim;
	struct forecast fc;
	struct notify_facts f;
	struct buf text = BUF_INIT;
	struct trend *t = series(w, "avail", fs->mount);
	char subject[320];

	trend_add(t, now, (double)fs->avail);
	if (forecast_disk_limit(fs->mount, w->rules, w->nrules, &lim) < 0)
		return;
	forecast_disk(t, fs, now, &lim, &fc);
	forecast_disk_text(fs->mount, &fc, tr_id, &text);
	snprintf(subject, sizeof(subject), "%s: %s", w->host ? w->host : "",
		 fs->mount);
	facts_init(&f, NOTIFY_KIND_DISK_SPACE, w->host, fs->mount);
	f.unit = "%";
	f.value = fc.value;
	f.limit = fc.limit;
	f.eta_s = fc.seconds >= 0 ? (int64_t)fc.seconds : -1;
	f.detail = buf_cstr(&text);
	judge(w, "disk-space", ALERT_SEV_WARNING, 0, 30 * 60 * 1000, subject,
	      fc.state != FORECAST_OK, buf_cstr(&text), &f, now);
	buf_release(&text);
}

static void collect_system(struct watch *w, int64_t now)
{
	struct sys_fs *fs = NULL;
	struct sys_load load;
	struct sys_mem mem;
	size_t n = 0, i;

	if (sys_read_load(w->o->proc_root, &load) == 0) {
		sys_load_samples(&load, &w->samples);
		trend_add(series(w, "load", "1"), now, load.load1);
	}
	if (sys_read_mem(w->o->proc_root, &mem) == 0)
		sys_mem_samples(&mem, &w->samples);
	if (sys_filesystems(w->o->proc_root, &fs, &n) == 0) {
		judged(w, "disk-space");
		sys_fs_samples(fs, n, &w->samples);
		for (i = 0; i < n; i++)
			judge_disk(w, &fs[i], now);
	}
	free(fs);
}

/* ---- disks' health ---- */

static int is_disk(const char *name)
{
	return (strncmp(name, "sd", 2) == 0 || strncmp(name, "nvme", 4) == 0 ||
		strncmp(name, "vd", 2) == 0 || strncmp(name, "hd", 2) == 0) &&
	       strchr(name, 'p') == NULL;
}

static void collect_smart(struct watch *w, int64_t now)
{
	char *dir = xasprintf("%s/block", w->o->sysfs_root);
	DIR *d = opendir(dir);
	struct dirent *de;

	free(dir);
	w->last_smart = now;
	if (d)
		judged(w, "disk-health");
	while (d && (de = readdir(d)) != NULL) {
		struct smart_info si;
		struct notify_facts f;
		char dev[300], subject[320];

		if (!is_disk(de->d_name))
			continue;
		snprintf(dev, sizeof(dev), "/dev/%s", de->d_name);
		if (smart_read(w->o->smartctl, dev, SMART_TIMEOUT_MS, &si) < 0)
			continue;
		smart_samples(dev, &si, &w->samples);
		snprintf(subject, sizeof(subject), "%s: %s",
			 w->host ? w->host : "", dev);
		facts_init(&f, NOTIFY_KIND_DISK_HEALTH, w->host, dev);
		f.detail = si.reason;
		judge(w, "disk-health", ALERT_SEV_CRITICAL, 0, 0, subject,
		      si.health == SMART_FAILING || si.health == SMART_WARNING,
		      si.reason, &f, now);
	}
	if (d)
		closedir(d);
}

/* ---- services, backups, heartbeats ---- */

static void collect_probes(struct watch *w, int64_t now)
{
	size_t i, k;

	w->last_probe = now;
	judged(w, "probe");
	judged(w, "certificate");
	for (i = 0; i < w->plan->nhosts; i++) {
		const struct plan_host *h = &w->plan->hosts[i];

		for (k = 0; k < h->monitoring.probes.n; k++) {
			const char *url = h->monitoring.probes.v[k];
			struct probe_result res;
			struct notify_facts f;
			char subject[320];

			if (probe_url(url, NULL, &res) < 0)
				continue;
			probe_samples(url, &res, &w->samples);
			snprintf(subject, sizeof(subject), "%s", url);
			facts_init(&f, NOTIFY_KIND_PROBE, h->name, url);
			f.detail = res.error;
			judge(w, "probe", ALERT_SEV_CRITICAL, 2 * 60 * 1000,
			      2 * 60 * 1000, subject, !res.up, res.error, &f,
			      now);
			facts_init(&f, NOTIFY_KIND_CERT, h->name, url);
			f.value = res.tls_days;
			f.unit = "d";
			judge(w, "certificate", ALERT_SEV_WARNING, 0, 0, subject,
			      res.tls && res.tls_days < 14,
			      "the TLS certificate expires within 14 days", &f,
			      now);
		}
	}
}

/* allowed_age: the tightest RPO of the job's services, or twice its
 * interval when it covers none. */
static int64_t allowed_age(const struct plan *p, const char *job)
{
	const struct plan_job *j = plan_find_job(p, job);
	int64_t best = -1;
	size_t i;

	if (j == NULL)
		return -1;
	for (i = 0; i < j->nservices; i++)
		if (j->services[i]->rpo > 0 &&
		    (best < 0 || j->services[i]->rpo < best))
			best = j->services[i]->rpo;
	return best > 0 ? best : 2 * plan_job_interval(p, j);
}

static void collect_freshness(struct watch *w, int64_t now)
{
	struct freshness *v = NULL;
	size_t n = 0, i;

	if (freshness_collect(w->cat, w->plan, now / 1000, &v, &n) < 0)
		return;
	judged(w, "backup-stale");
	freshness_samples(v, n, &w->samples);
	for (i = 0; i < n; i++) {
		int64_t max = allowed_age(w->plan, v[i].job);
		char subject[256], text[256];
		struct notify_facts f;
		int64_t age = v[i].age >= 0 ? v[i].age
				: (now - w->started_ms) / 1000;
		int stale = max > 0 && age > max;

		snprintf(subject, sizeof(subject), "%s -> %s", v[i].job,
			 v[i].repo);
		snprintf(text, sizeof(text), v[i].age < 0
			 ? "job %s has no snapshot in %s"
			 : "the newest snapshot of job %s in %s is older than "
			   "its RPO", v[i].job, v[i].repo);
		facts_init(&f, NOTIFY_KIND_BACKUP, w->host, v[i].job);
		f.value = (double)v[i].age;
		f.limit = (double)max;
		f.detail = text;
		judge(w, "backup-stale", ALERT_SEV_CRITICAL, 0, 0, subject,
		      stale, text, &f, now);
	}
	free(v);
}

static void collect_pings(struct watch *w, int64_t now)
{
	size_t i;

	judged(w, "heartbeat");
	for (i = 0; i < w->pings->n; i++) {
		char why[128] = "";
		struct notify_facts f;
		int down = ping_down(w->pings, i, now, why, sizeof(why));

		facts_init(&f, NOTIFY_KIND_PING, NULL, w->pings->v[i].name);
		f.detail = why;
		judge(w, "heartbeat", ALERT_SEV_CRITICAL, 0, 0,
		      w->pings->v[i].name, down, why, &f, now);
	}
}

static void store_samples(struct watch *w, int64_t now)
{
	size_t i;
	int rc;

	if (w->samples.n == 0 || catalog_begin(w->cat) < 0)
		goto out;
	for (i = 0, rc = 0; i < w->samples.n && rc == 0; i++)
		rc = catalog_sample_add(w->cat, w->samples.v[i].metric,
					w->samples.v[i].labels, now / 1000,
					w->samples.v[i].value);
	if (rc < 0)
		catalog_rollback(w->cat);
	else
		catalog_commit(w->cat);
out:
	monitor_samples_release(&w->samples);
}

/* was_seen: whether (rule, subject) was judged this turn; subject NULL:
 * whether the rule was (probes and SMART do not run every turn). */
static int was_seen(const struct watch *w, const char *rule,
		    const char *subject)
{
	size_t i, rl = strlen(rule);

	for (i = 0; i < w->nseen; i++)
		if (strncmp(w->seen[i], rule, rl) == 0 &&
		    w->seen[i][rl] == '\t' &&
		    (subject == NULL || strcmp(w->seen[i] + rl + 1, subject) == 0))
			return 1;
	return 0;
}

/* forget_unwatched: an open alert on a subject no longer watched (a probe
 * removed from the plan, a disk unmounted) ends now, with a resolution. */
static void forget_unwatched(struct watch *w, int64_t now)
{
	size_t i, n = alert_count(w->alerts);
	struct notify_facts f;

	for (i = 0; i < n; i++) {
		struct alert_info a;
		char *rule, *subject;

		if (alert_at(w->alerts, i, &a) < 0 ||
		    (a.state != ALERT_FIRING && a.state != ALERT_PENDING) ||
		    !was_seen(w, a.rule, NULL) ||
		    was_seen(w, a.rule, a.subject))
			continue;
		rule = xstrdup(a.rule);
		subject = xstrdup(a.subject);
		facts_init(&f, NOTIFY_KIND_GENERIC, w->host, subject);
		judge(w, rule, ALERT_SEV_INFO, 0, 0, subject, 0, NULL, &f, now);
		free(rule);
		free(subject);
	}
	for (i = 0; i < w->nseen; i++)
		free(w->seen[i]);
	w->nseen = 0;
}

int watch_collect(struct watch *w, int64_t now_ms)
{
	alert_engine_sync(w->alerts, w->cat);
	collect_sensors(w, now_ms);
	collect_system(w, now_ms);
	if (now_ms - w->last_smart >= SMART_EVERY_MS)
		collect_smart(w, now_ms);
	if (now_ms - w->last_probe >= w->o->probe_every_ms)
		collect_probes(w, now_ms);
	collect_freshness(w, now_ms);
	collect_pings(w, now_ms);
	store_samples(w, now_ms);
	forget_unwatched(w, now_ms);
	return 0;
}

int watch_maintain(struct watch *w, int64_t now_ms)
{
	struct catalog_retention r = CATALOG_RETENTION_DEFAULT;

	return catalog_downsample(w->cat, now_ms / 1000, &r) < 0 ? 1 : 0;
}

/* ---- configuration ---- */

static enum notify_tls tls_of(const char *s)
{
	if (s && strcmp(s, "none") == 0)
		return NOTIFY_TLS_NONE;
	if (s && strcmp(s, "starttls") == 0)
		return NOTIFY_TLS_STARTTLS;
	return NOTIFY_TLS_AUTO;
}

/* read_lines: the non-comment lines of a small file, split in words. */
static char **read_lines(const char *path, size_t *n)
{
	struct buf b = BUF_INIT;
	char **v = NULL, *line, *save = NULL;

	*n = 0;
	b.max = 1 << 20;
	if (path == NULL || fsx_read_file(path, &b) < 0) {
		if (path)
			log_error("cannot read %s", path);
		buf_release(&b);
		return NULL;
	}
	for (line = strtok_r((char *)b.p, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		while (*line == ' ' || *line == '\t')
			line++;
		if (*line == '\0' || *line == '#')
			continue;
		v = xreallocarray(v, *n + 1, sizeof(*v));
		v[(*n)++] = xstrdup(line);
	}
	buf_release(&b);
	return v;
}

static void load_hooks(struct watch *w)
{
	size_t n, i;
	char **lines = read_lines(w->o->webhooks_file, &n);

	for (i = 0; i < n; i++) {
		char *sp = strpbrk(lines[i], " \t");
		struct notify_webhook *h;

		if (sp == NULL) {
			log_error("%s: line %zu: expected NAME URL",
				  w->o->webhooks_file, i + 1);
			free(lines[i]);
			continue;
		}
		*sp++ = '\0';
		sp += strspn(sp, " \t");
		w->hooks = xreallocarray(w->hooks, w->nhooks + 1,
					 sizeof(*w->hooks));
		h = &w->hooks[w->nhooks++];
		memset(h, 0, sizeof(*h));
		h->name = lines[i];      /* the URL follows in the same string */
		h->url = sp;
	}
	free(lines);
}

static void load_heartbeats(struct watch *w, int64_t now)
{
	size_t n, i;
	char **lines = read_lines(w->o->heartbeats_file, &n);

	for (i = 0; i < n; i++) {
		char *f[4], *tok, *save = NULL;
		int k = 0;
		int64_t p, g;

		for (tok = strtok_r(lines[i], " \t", &save); tok && k < 4;
		     tok = strtok_r(NULL, " \t", &save))
			f[k++] = tok;
		if (k != 4 || duration_parse(f[2], &p) < 0 ||
		    duration_parse(f[3], &g) < 0 || strlen(f[1]) != 36) {
			log_error("%s: line %zu: expected NAME UUID PERIOD GRACE "
				  "(e.g. nightly 0f1e...-... 1d 1h)",
				  w->o->heartbeats_file, i + 1);
		} else {
			ping_add(w->pings, f[0], f[1], p * 1000, g * 1000, now);
		}
		free(lines[i]);
	}
	free(lines);
}

static void load_notify(struct watch *w)
{
	if (w->o->smtp_url && w->o->mail_from) {
		w->smtp.url = w->o->smtp_url;
		w->smtp.tls = tls_of(w->o->smtp_tls);
		w->smtp.user = w->o->smtp_user;
		w->smtp.password_file = w->o->smtp_password_file;
		w->smtp.from = w->o->mail_from;
		w->has_smtp = 1;
	} else if (w->o->smtp_url) {
		log_error("--smtp needs --mail-from: no e-mail will be sent");
	}
	if (w->o->webhooks_file)
		load_hooks(w);
}

/* this_host: the plan's host that is this machine (by name or address),
 * so alerts name it and reach its people first. */
static const char *this_host(const struct plan *p)
{
	char me[256] = "";
	size_t i;

	gethostname(me, sizeof(me) - 1);
	for (i = 0; i < p->nhosts; i++)
		if (strcmp(p->hosts[i].name, me) == 0 ||
		    (p->hosts[i].address &&
		     strncmp(p->hosts[i].address, me, strlen(me)) == 0))
			return p->hosts[i].name;
	return p->nhosts == 1 ? p->hosts[0].name : NULL;
}

/* load_rules: the watched host's thresholds as forecast rules, rebuilt
 * with every plan (they point into it). */
static void load_rules(struct watch *w)
{
	const struct plan_monitoring *m = NULL;
	size_t i;

	free(w->rules);
	w->rules = NULL;
	w->nrules = 0;
	for (i = 0; w->host && i < w->plan->nhosts; i++)
		if (strcmp(w->plan->hosts[i].name, w->host) == 0)
			m = &w->plan->hosts[i].monitoring;
	if (m == NULL || m->nthresholds == 0)
		return;
	w->rules = xcalloc(m->nthresholds, sizeof(*w->rules));
	for (i = 0; i < m->nthresholds; i++) {
		const struct plan_threshold *t = &m->thresholds[i];

		w->rules[i].match = t->match;
		w->rules[i].limit = t->limit > 0 ? (double)t->limit : NAN;
		w->rules[i].lead_ms = t->lead > 0 ? t->lead * 1000 : 0;
	}
	w->nrules = m->nthresholds;
}

/* record_ping: on the HTTP thread; the catalog handle is its own. */
static void record_ping(const struct heartbeat *hb, enum ping_kind kind,
			int exit_code, int64_t now_ms, void *arg)
{
	struct watch *w = arg;
	struct catalog_ping p;

	memset(&p, 0, sizeof(p));
	p.check = hb->uuid;
	p.t = now_ms / 1000;
	p.kind = kind == PING_START ? CATALOG_PING_START
		 : kind == PING_FAIL ? (exit_code > 1 ? CATALOG_PING_EXIT
						      : CATALOG_PING_FAIL)
				     : CATALOG_PING_SUCCESS;
	p.exit_code = exit_code;
	p.body = hb->last_body[0] ? hb->last_body : NULL;
	pthread_mutex_lock(&w->ping_mu);
	if (w->ping_cat && catalog_ping_add(w->ping_cat, &p, NULL) < 0)
		log_warn("heartbeat %s: the ping could not be recorded",
			 hb->name);
	pthread_mutex_unlock(&w->ping_mu);
}

static void open_ping_catalog(struct watch *w)
{
	char *path = xasprintf("%s/catalog.db", w->o->state_dir);

	if (catalog_open(path, &w->ping_cat) < 0)
		log_warn("pings will not be recorded in the catalog");
	free(path);
	w->pings->on_ping = record_ping;
	w->pings->arg = w;
}

/* watching_since: when this state directory was first watched (kept in
 * STATE/watching-since): a restart must not give a silent heartbeat or a
 * job that never made a snapshot a new period of grace. */
static int64_t watching_since(struct watch *w, int64_t now)
{
	char *path = xasprintf("%s/watching-since", w->o->state_dir);
	struct buf b = BUF_INIT;
	int64_t t = now;
	char txt[32];
	int n;

	b.max = 64;
	if (fsx_read_file(path, &b) == 0 && b.len > 0) {
		t = strtoll(buf_cstr(&b), NULL, 10);
		if (t <= 0 || t > now)
			t = now;
	} else {
		n = snprintf(txt, sizeof(txt), "%lld\n", (long long)now);
		if (fsx_write_atomic(path, txt, (size_t)n, 0644, 0) < 0)
			log_warn("cannot write %s", path);
	}
	buf_release(&b);
	free(path);
	return t;
}

static int64_t newest_ping(struct catalog *cat, const char *uuid,
			   unsigned kinds)
{
	struct catalog_ping p;
	int64_t t = 0;

	if (catalog_ping_newest(cat, uuid, kinds, &p) == 0) {
		t = p.t * 1000;
		catalog_ping_release(&p);
	}
	return t;
}

/* restore_pings: each heartbeat's last pings, from the catalog. */
static void restore_pings(struct watch *w, int64_t since)
{
	size_t i;

	pthread_mutex_lock(&w->pings->mu);
	for (i = 0; i < w->pings->n; i++) {
		struct heartbeat *hb = &w->pings->v[i];

		hb->watched_since_ms = since;
		hb->last_success_ms = newest_ping(w->cat, hb->uuid,
						  1u << CATALOG_PING_SUCCESS);
		hb->last_fail_ms = newest_ping(w->cat, hb->uuid,
					       1u << CATALOG_PING_FAIL |
					       1u << CATALOG_PING_EXIT);
		hb->last_start_ms = newest_ping(w->cat, hb->uuid,
						1u << CATALOG_PING_START);
		if (hb->last_start_ms <= hb->last_success_ms ||
		    hb->last_start_ms <= hb->last_fail_ms)
			hb->last_start_ms = 0;
	}
	pthread_mutex_unlock(&w->pings->mu);
}

/* ---- life cycle ---- */

struct watch *watch_new(const struct daemon_opts *o, struct plan *p,
			struct catalog *cat, struct ping_table *pings,
			int64_t now_ms)
{
	struct watch *w = xcalloc(1, sizeof(*w));
	struct alert_store st;

	w->o = o;
	w->cat = cat;
	w->pings = pings;
	pthread_mutex_init(&w->mu, NULL);
	pthread_mutex_init(&w->ping_mu, NULL);
	pthread_cond_init(&w->cv, NULL);
	alert_store_catalog(&st, cat);
	w->alerts = alert_engine_new(&st);
	if (alert_engine_load(w->alerts, cat) < 0)
		log_warn("cannot restore the open alerts from the catalog");
	w->plan = p;
	w->host = this_host(p);
	load_rules(w);
	alert_route_for_host(p, w->host, &w->route);
	load_notify(w);
	w->started_ms = watching_since(w, now_ms);
	load_heartbeats(w, now_ms);
	restore_pings(w, w->started_ms);
	if (pings->n)
		open_ping_catalog(w);
	if ((w->has_smtp || w->nhooks) &&
	    thread_start(&w->sender, sender_main, w) == 0)
		w->sender_started = 1;
	return w;
}

void watch_set_plan(struct watch *w, struct plan *p)
{
	/* the sender reads the plan: let it finish what it holds first */
	pthread_mutex_lock(&w->mu);
	while (w->head || w->sending)
		pthread_cond_wait(&w->cv, &w->mu);
	alert_route_release(&w->route);
	w->plan = p;
	w->host = this_host(p);
	load_rules(w);
	alert_route_for_host(p, w->host, &w->route);
	pthread_mutex_unlock(&w->mu);
}

void watch_status_json(struct watch *w, struct jsonw *j, int64_t now_ms)
{
	size_t i, n = alert_count(w->alerts);

	jsonw_obj_begin(j);
	jsonw_key(j, "alerts");
	jsonw_arr_begin(j);
	for (i = 0; i < n; i++) {
		struct alert_info a;

		if (alert_at(w->alerts, i, &a) < 0 ||
		    (a.state != ALERT_FIRING && a.state != ALERT_PENDING))
			continue;
		jsonw_obj_begin(j);
		jsonw_key(j, "id"); jsonw_i64(j, a.id);
		jsonw_key(j, "rule"); jsonw_str(j, a.rule);
		jsonw_key(j, "subject"); jsonw_str(j, a.subject);
		jsonw_key(j, "state"); jsonw_str(j, alert_state_name(a.state));
		jsonw_key(j, "since_ms"); jsonw_i64(j, a.since);
		jsonw_key(j, "text"); jsonw_str(j, a.text ? a.text : "");
		jsonw_obj_end(j);
	}
	jsonw_arr_end(j);
	jsonw_key(j, "heartbeats");
	jsonw_arr_begin(j);
	for (i = 0; i < w->pings->n; i++) {
		char why[128] = "";

		jsonw_obj_begin(j);
		jsonw_key(j, "name"); jsonw_str(j, w->pings->v[i].name);
		jsonw_key(j, "down");
		jsonw_bool(j, ping_down(w->pings, i, now_ms, why, sizeof(why)));
		jsonw_key(j, "last_success_ms");
		jsonw_i64(j, w->pings->v[i].last_success_ms);
		jsonw_obj_end(j);
	}
	jsonw_arr_end(j);
	jsonw_obj_end(j);
}

void watch_free(struct watch *w)
{
	size_t i;

	if (w == NULL)
		return;
	pthread_mutex_lock(&w->mu);
	w->stopping = 1;
	pthread_cond_broadcast(&w->cv);
	pthread_mutex_unlock(&w->mu);
	if (w->sender_started)
		pthread_join(w->sender, NULL);
	while (w->head) {
		struct note *n = w->head;

		w->head = n->next;
		note_free(n);
	}
	for (i = 0; i < w->nhooks; i++)
		free((char *)w->hooks[i].name);
	free(w->hooks);
	free(w->ser);
	free(w->rules);
	for (i = 0; i < w->nseen; i++)
		free(w->seen[i]);
	free(w->seen);
	monitor_samples_release(&w->samples);
	alert_engine_free(w->alerts);
	alert_events_release(&w->evs);
	alert_route_release(&w->route);
	pthread_mutex_lock(&w->ping_mu);
	w->pings->on_ping = NULL;
	catalog_close(w->ping_cat);
	w->ping_cat = NULL;
	pthread_mutex_unlock(&w->ping_mu);
	pthread_mutex_destroy(&w->ping_mu);
	pthread_mutex_destroy(&w->mu);
	pthread_cond_destroy(&w->cv);
	free(w);
}
