/*
 * run: the main job on embedded defaults.
 *
 * It runs a continuity plan end to end, once: every backup job into each
 * of its repositories (created, with a random password file, when they do
 * not exist yet), a change to the sample data and a second backup (which
 * stores only the change), every restore drill of the plan (recorded as
 * evidence in the catalog), a full read of every repository, and the plan
 * check, whose findings it prints in the user's language.
 *
 * With no --plan, the plan is STATE/plan.yaml, written on first use from
 * an embedded example (run_plan.c) that backs up STATE/sample, a sample
 * folder made for the purpose.  The state directory is --state,
 * REPRISE_STATE, or /var/lib/reprise for root and ~/.local/state/reprise
 * otherwise.
 */
#include "cli/cli.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "engine/backup.h"
#include "engine/check.h"
#include "engine/drill.h"
#include "engine/restore.h"
#include "assess/assess.h"
#include "catalog/catalog.h"
#include "plan/plan.h"
#include "util/clock.h"
#include "util/err.h"
#include "util/fsx.h"
#include "util/hex.h"
#include "util/xmalloc.h"

struct opened {
	struct backend *be;
	struct repo *repo;
};

struct run {
	struct cli_ctx *ctx;
	char *state, *plan_path;
	const char *plan_opt;
	struct plan *plan;
	struct catalog *cat;
	struct opened *repos;  /* parallel to plan->repos */
	int step;
};

static int write_text(const char *path, const char *text)
{
	return fsx_write_atomic(path, text, strlen(text), 0644, 0);
}

static int make_sample(const char *dir)
{
	char *p;
	uint8_t *bin;
	struct buf big = BUF_INIT;
	int i, rc;

	if ((rc = fsx_mkdir_p(dir, 0755)) < 0)
		return rc;
	p = xasprintf("%s/clients", dir);
	fsx_mkdir_p(p, 0755);
	free(p);
	p = xasprintf("%s/clients/contracts.csv", dir);
	for (i = 0; i < 5000; i++)
		buf_addf(&big, "%d;client %d;contract HR-%05d;active\n", i, i, i);
	rc = fsx_write_atomic(p, big.p, big.len, 0644, 0);
	free(p);
	p = xasprintf("%s/README.txt", dir);
	if (rc == 0)
		rc = write_text(p, "Sample data backed up by 'reprise run'.\n");
	free(p);
	p = xasprintf("%s/notes.txt", dir);
	if (rc == 0)
		rc = write_text(p, "Notes.\n");
	free(p);
	bin = xmalloc(3 << 20);
	crypto_random(bin, 3 << 20);
	p = xasprintf("%s/clients/scan.bin", dir);
	if (rc == 0)
		rc = fsx_write_atomic(p, bin, 3 << 20, 0644, 0);
	free(p);
	free(bin);
	buf_release(&big);
	return rc;
}

static void run_warn(const char *path, const char *what, int err, void *arg)
{
	(void)arg;
	fprintf(stderr, _("warning: %s: cannot %s: %s\n"), path, _(what),
		cli_strerror(err));
}


/* ---- repositories ---- */

static int ensure_password(const char *path)
{
	uint8_t raw[24];
	char hex[49];

	if (access(path, F_OK) == 0)
		return 0;
	if (crypto_random(raw, sizeof(raw)) < 0)
		return RP_EIO;
	hex_encode(raw, sizeof(raw), hex);
	hex[48] = '\n';
	return fsx_write_atomic(path, hex, 49, 0600, 0);
}

/* open_repo: the plan's repository i, created when missing. */
static int open_repo(struct run *r, size_t i)
{
	const struct plan_repository *pr = &r->plan->repos[i];
	struct opened *o = &r->repos[i];
	char *pw = NULL, *cfg;
	size_t len = 0;
	int rc, exists;

	if (o->repo)
		return 0;
	if (pr->password_file == NULL)
		return cli_error(_("repository '%s' has no password_file in the "
				   "plan"), pr->name);
	if ((rc = ensure_password(pr->password_file)) < 0 ||
	    (rc = backend_open(pr->url, &o->be)) < 0)
		return cli_error(_("cannot use repository '%s' (%s): %s"),
				 pr->name, pr->url, cli_strerror(rc));
	if ((rc = cli_password(r->ctx, pr->password_file, &pw, &len)) != 0)
		return rc;
	cfg = xasprintf("%s/config", pr->url);
	exists = access(cfg, F_OK) == 0;
	free(cfg);
	rc = exists ? repo_open(o->be, pw, len, &o->repo)
		    : repo_init(o->be, pw, len, &o->repo);
	cli_password_free(pw, len);
	if (rc < 0)
		return cli_error(_("cannot open repository '%s' (%s): %s"),
				 pr->name, pr->url, cli_strerror(rc));
	if (!exists)
		printf(_("   Created the encrypted repository '%s' in %s (its "
			 "password is in %s).\n"), pr->name, pr->url,
		       pr->password_file);
	return 0;
}

static size_t repo_index(const struct run *r, const struct plan_repository *p)
{
	return (size_t)(p - r->plan->repos);
}

/* ---- backups ---- */

static void record_run(struct run *r, const struct plan_job *j,
		       const struct plan_repository *pr, int64_t started,
		       int rc, const struct backup_stats *st)
{
	struct catalog_run cr;
	struct catalog_snapshot cs;
	char hex[65], host[64] = "";
	int64_t id;

	gethostname(host, sizeof(host) - 1);
	memset(&cr, 0, sizeof(cr));
	cr.job = j->name;
	cr.repo = pr->url;
	cr.host = j->host ? j->host->name : host;
	cr.started = started;
	if (catalog_run_begin(r->cat, &cr, &id) < 0)
		return;
	hex_encode(st->snapshot_id, 32, hex);
	cr.finished = clock_now();
	cr.result = rc == 0 ? CATALOG_RUN_OK : rc == RP_EPARTIAL
			? CATALOG_RUN_PARTIAL : CATALOG_RUN_FAILED;
	cr.files = (int64_t)st->total_files;
	cr.bytes = (int64_t)st->total_bytes;
	cr.bytes_added = (int64_t)st->data_added_packed;
	cr.errors = (int64_t)st->errors;
	cr.snapshot = cr.result == CATALOG_RUN_FAILED ? NULL : hex;
	cr.error = rc < 0 && rc != RP_EPARTIAL ? rp_strerror(rc) : NULL;
	catalog_run_finish(r->cat, id, &cr);
	if (cr.snapshot == NULL)
		return;
	memset(&cs, 0, sizeof(cs));
	cs.repo = pr->url;
	cs.id = hex;
	cs.time = started;
	cs.host = cr.host;
	cs.job = j->name;
	catalog_snapshot_add(r->cat, &cs);
}

static int backup_job(struct run *r, const struct plan_job *j, size_t k)
{
	const struct plan_repository *pr = j->repos[k];
	struct opened *o = &r->repos[repo_index(r, pr)];
	struct backup_opts bo;
	struct backup_stats st;
	const char *cmd[4] = { "/bin/sh", "-c", j->command, NULL };
	char tag[128], a[32], b[32], d[32];
	int64_t started = clock_now();
	size_t i;
	int rc;

	if ((rc = open_repo(r, repo_index(r, pr))) != 0)
		return rc;
	memset(&bo, 0, sizeof(bo));
	bo.stdin_fd = -1;
	bo.paths = (const char *const *)j->sources.v;
	bo.npaths = j->sources.n;
	if (j->command) {
		bo.command = cmd;
		bo.stdin_filename = j->name;
	}
	for (i = 0; i < j->exclude.n; i++)
		strlist_add(&bo.excludes, j->exclude.v[i]);
	snprintf(tag, sizeof(tag), "job:%s", j->name);
	strlist_add(&bo.tags, tag);
	bo.host = j->host ? j->host->name : NULL;
	bo.warn = run_warn;
	rc = backup_run(o->repo, &bo, &st);
	strlist_release(&bo.excludes);
	strlist_release(&bo.tags);
	record_run(r, j, pr, started, rc, &st);
	if (rc < 0 && rc != RP_EPARTIAL)
		return cli_error(_("backup of '%s' into '%s' failed: %s"),
				 j->name, pr->name, cli_strerror(rc));
	printf(_("   '%s' into '%s': "), j->name, pr->name);
	printf(ngettext("%llu file (%s) in %s; ", "%llu files (%s) in %s; ",
			st.total_files), (unsigned long long)st.total_files,
	       fmt_size(st.total_bytes, a, sizeof(a)),
	       fmt_duration(st.seconds, d, sizeof(d)));
	printf(ngettext("%llu new or changed, %s stored.\n",
			"%llu new or changed, %s stored.\n",
			st.files_new + st.files_changed),
	       (unsigned long long)(st.files_new + st.files_changed),
	       fmt_size(st.data_added_packed, b, sizeof(b)));
	return 0;
}

static int backup_all(struct run *r)
{
	size_t i, k;
	int rc;

	printf(_("%d. Backups of the plan's jobs:\n"), ++r->step);
	for (i = 0; i < r->plan->njobs; i++)
		for (k = 0; k < r->plan->jobs[i].nrepos; k++)
			if ((rc = backup_job(r, &r->plan->jobs[i], k)) != 0)
				return rc;
	return 0;
}

/* change_sample: rewrites STATE/sample/notes.txt, then backs up the first
 * job again, to show that only the change is stored. */
static int change_sample(struct run *r)
{
	char *p = xasprintf("%s/sample/notes.txt", r->state);
	char when[32], *text;
	int rc = 0;

	if (r->plan->njobs == 0 || access(p, F_OK) != 0) {
		free(p);
		return 0;
	}
	text = xasprintf("Written by 'reprise run' at %s.\n",
			 fmt_time(clock_now(), when, sizeof(when)));
	write_text(p, text);
	printf(_("%d. Changed a file (%s) and backed up again:\n"), ++r->step,
	       p);
	rc = backup_job(r, &r->plan->jobs[0], 0);
	free(p);
	free(text);
	return rc;
}

/* ---- drills ---- */

static void record_drill(struct run *r, const char *label,
			 const struct plan_repository *pr,
			 const struct snapshot *s, const struct drill_result *d,
			 double pct)
{
	struct catalog_drill cd;
	char hex[65], host[64] = "";

	gethostname(host, sizeof(host) - 1);
	hex_encode(s->id, 32, hex);
	memset(&cd, 0, sizeof(cd));
	cd.service = label;
	cd.repo = pr->url;
	cd.snapshot = hex;
	cd.host = host;
	cd.started = d->started;
	cd.finished = d->finished;
	cd.files = (int64_t)d->files;
	cd.bytes = (int64_t)d->bytes;
	cd.duration = d->seconds;
	cd.throughput = d->throughput;
	cd.sampled_pct = pct;
	cd.result = d->pass ? CATALOG_DRILL_PASS : CATALOG_DRILL_FAIL;
	cd.reason = d->reason;
	cd.evidence_sha256 = d->evidence_sha256;
	cd.evidence = buf_cstr((struct buf *)&d->evidence);
	if (catalog_drill_add(r->cat, &cd, NULL) < 0)
		cli_error(_("the drill could not be recorded"));
}

static int drill_one(struct run *r, const struct plan_drill *dr,
		     const struct plan_job *j, const struct plan_repository *pr)
{
	struct drill_opts o;
	struct drill_result d;
	struct snapshot s;
	struct snapshot_filter f;
	char tag[128], *scratch, a[32], b[32], c[32];
	const char *label = dr->service ? dr->service->name : j->name;
	int rc;

	if ((rc = open_repo(r, repo_index(r, pr))) != 0)
		return rc;
	memset(&f, 0, sizeof(f));
	memset(&s, 0, sizeof(s));
	snprintf(tag, sizeof(tag), "job:%s", j->name);
	strlist_add(&f.tags, tag);
	rc = snapshot_find(r->repos[repo_index(r, pr)].repo, "latest", &f, &s);
	strlist_release(&f.tags);
	if (rc < 0)
		return cli_error(_("drill '%s': no snapshot of job '%s' in '%s'"),
				 dr->name, j->name, pr->name);
	memset(&o, 0, sizeof(o));
	scratch = xasprintf("%s/scratch", r->state);
	o.scratch = scratch;
	o.sample_percent = dr->scope == PLAN_SCOPE_SAMPLE ? dr->sample : 0;
	o.compare_source = dr->compare_source;
	o.count_tolerance = o.data_tolerance = 10;
	o.label = label;
	o.repo_label = pr->url;
	rc = drill_run(r->repos[repo_index(r, pr)].repo, &s, &o, &d);
	if (rc == 0) {
		record_drill(r, label, pr, &s, &d, o.sample_percent > 0
						     ? o.sample_percent : 100);
		printf(_("   '%s' from '%s': %s; "), dr->name, pr->name,
		       d.pass ? _("PASSED") : _("FAILED"));
		printf(ngettext("%llu file, %s restored in %s (%s/s)",
				"%llu files, %s restored in %s (%s/s)",
				d.files), (unsigned long long)d.files,
		       fmt_size(d.bytes, a, sizeof(a)),
		       fmt_duration(d.seconds, b, sizeof(b)),
		       fmt_size((uint64_t)d.throughput, c, sizeof(c)));
		if (d.pass)
			printf(", %s\n", _("every byte verified"));
		else
			printf("; %s %s\n", _("why:"), d.reason);
		drill_result_release(&d);
	} else {
		cli_error(_("drill '%s' could not run: %s"), dr->name,
			  cli_strerror(rc));
	}
	snapshot_release(&s);
	free(scratch);
	return rc < 0 ? EXIT_FAIL : 0;
}

static const struct plan_job *drill_job(const struct plan *p,
					const struct plan_drill *dr)
{
	size_t i;

	for (i = 0; !dr->job && i < p->njobs; i++)
		if (plan_job_covers(&p->jobs[i], dr->service))
			return &p->jobs[i];
	return dr->job;
}

static int drills(struct run *r)
{
	size_t i, k;
	int rc = 0;

	if (r->plan->ndrills == 0)
		return 0;
	printf(_("%d. Restore drills (restored for real into a scratch "
		 "folder, then removed):\n"), ++r->step);
	for (i = 0; i < r->plan->ndrills && rc == 0; i++) {
		const struct plan_drill *dr = &r->plan->drills[i];
		const struct plan_job *j = drill_job(r->plan, dr);

		for (k = 0; j && k < j->nrepos && rc == 0; k++)
			if (dr->repo == NULL || dr->repo == j->repos[k])
				rc = drill_one(r, dr, j, j->repos[k]);
	}
	return rc;
}

/* ---- reading every byte back, and the plan check ---- */

static int check_repos(struct run *r)
{
	struct check_opts o;
	struct check_stats st;
	char a[32];
	size_t i;
	int bad = 0;

	printf(_("%d. Read back every byte of each repository:\n"), ++r->step);
	for (i = 0; i < r->plan->nrepos; i++) {
		if (r->repos[i].repo == NULL)
			continue;
		memset(&o, 0, sizeof(o));
		o.read_data = 1;
		check_run(r->repos[i].repo, &o, &st);
		printf(_("   '%s': %s in "), r->plan->repos[i].name,
		       fmt_size(st.bytes_read, a, sizeof(a)));
		printf(ngettext("%llu pack, ", "%llu packs, ", st.packs_read),
		       (unsigned long long)st.packs_read);
		printf(ngettext("%llu snapshot: %s.\n",
				"%llu snapshots: %s.\n", st.snapshots),
		       (unsigned long long)st.snapshots,
		       st.errors ? _("DAMAGE FOUND") : _("no errors"));
		bad += st.errors != 0;
	}
	return bad ? EXIT_FAIL : 0;
}

static const char *user_lang(void)
{
	const char *l = getenv("LC_ALL");

	if (l == NULL || *l == '\0')
		l = getenv("LC_MESSAGES");
	if (l == NULL || *l == '\0')
		l = getenv("LANG");
	return l && strncmp(l, "fr", 2) == 0 ? "fr" : "en";
}

static int prepare(struct run *r)
{
	int rc;

	if ((rc = fsx_mkdir_p(r->state, 0700)) < 0)
		return cli_error(_("cannot use the state directory %s: %s"),
				 r->state, cli_strerror(rc));
	r->plan_path = r->plan_opt ? xstrdup(r->plan_opt)
				   : xasprintf("%s/plan.yaml", r->state);
	if (r->plan_opt == NULL) {
		char *sample = xasprintf("%s/sample", r->state);

		rc = cli_demo_plan(r->state, r->plan_path, user_lang());
		if (rc == 0 && access(sample, F_OK) != 0)
			rc = make_sample(sample);
		free(sample);
		if (rc < 0)
			return cli_error(_("cannot prepare %s: %s"), r->state,
					 cli_strerror(rc));
	}
	if ((rc = cli_plan_load(r->plan_path, &r->plan)) != 0)
		return rc;
	r->repos = xcalloc(r->plan->nrepos + 1, sizeof(*r->repos));
	return cli_open_catalog(r->ctx, &r->cat);
}

static int run_steps(struct run *r)
{
	int rc, crit;

	if ((rc = prepare(r)) != 0)
		return rc;
	printf(_("reprise: running the plan of %s (%s), state in %s\n"),
	       r->plan->company.name, r->plan_path, r->state);
	if ((rc = backup_all(r)) != 0 || (rc = change_sample(r)) != 0 ||
	    (rc = drills(r)) != 0 || (rc = check_repos(r)) != 0)
		return rc;
	printf(_("%d. The plan checked against what was measured:\n\n"),
	       ++r->step);
	crit = cli_assess(r->ctx, r->plan, r->cat, clock_now());
	printf("\n%s\n", crit ? _("The backups restore, byte for byte; the "
				  "findings above marked CRITICAL still "
				  "stand between you and a recovery as "
				  "planned.")
			     : _("All good: the backups restore, byte for "
				 "byte, and nothing critical stands in the way "
				 "of a recovery as planned."));
	return 0;
}

static int run_opt(int opt, const char *arg, void *data)
{
	struct run *r = data;

	if (opt != 1)
		return EXIT_USAGE;
	r->plan_opt = arg;
	return 0;
}

static void run_release(struct run *r)
{
	size_t i;

	for (i = 0; r->plan && i < r->plan->nrepos; i++) {
		repo_free(r->repos[i].repo);
		backend_close(r->repos[i].be);
	}
	free(r->repos);
	catalog_close(r->cat);
	plan_free(r->plan);
	free(r->state);
	free(r->plan_path);
}

int cmd_run(int argc, char **argv, struct cli_ctx *ctx)
{
	static const struct option opts[] = {
		{ "plan", required_argument, NULL, 1 },
		{ NULL, 0, NULL, 0 },
	};
	struct run r;
	int rc;

	memset(&r, 0, sizeof(r));
	r.ctx = ctx;
	if ((rc = cli_getopt(&argc, &argv, ctx, opts, "", run_opt, &r)))
		return rc < 0 ? 0 : rc;
	if (argc > 0)
		return cli_usage_error(ctx, _("unexpected argument %s"), argv[0]);
	r.state = cli_state_dir(ctx);
	rc = run_steps(&r);
	run_release(&r);
	return rc;
}
