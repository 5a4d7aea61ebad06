/*
 * drill: restore tests with evidence, recorded in the catalog.
 *
 *   reprise drill [SNAPSHOT] [--sample N%] [--label NAME] ...  run one
 *   reprise drill --list                                      the record
 *   reprise drill --show ID                                   one drill
 */
#include "cli/cli.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "catalog/catalog.h"
#include "engine/drill.h"
#include "util/err.h"
#include "util/fsx.h"
#include "util/hex.h"
#include "util/jsonw.h"
#include "util/xmalloc.h"

enum { O_SAMPLE = 1, O_SCRATCH, O_NOCMP, O_LABEL, O_CTOL, O_DTOL, O_LIST,
       O_SHOW, O_HOST, O_TAG, O_PATH };

struct dr {
	struct drill_opts o;
	struct snapshot_filter f;
	struct cli_ctx *ctx;
	int list;
	const char *show;
};

static int parse_pct(struct cli_ctx *ctx, const char *opt, const char *arg,
		     double *out)
{
	char *end;
	unsigned long v = strtoul(arg, &end, 10);

	if (end == arg || (*end && strcmp(end, "%") != 0) || v > 100)
		return cli_usage_error(ctx, _("%s takes a percentage from 0 to "
					      "100, not '%s'"), opt, arg);
	*out = (double)v;
	return 0;
}

static int drill_opt(int opt, const char *arg, void *data)
{
	struct dr *d = data;

	switch (opt) {
	case O_SAMPLE:
		return parse_pct(d->ctx, "--sample", arg, &d->o.sample_percent);
	case O_SCRATCH: d->o.scratch = arg; return 0;
	case O_NOCMP: d->o.compare_source = 0; return 0;
	case O_LABEL: d->o.label = arg; return 0;
	case O_CTOL:
		return parse_pct(d->ctx, "--count-tolerance", arg,
				 &d->o.count_tolerance);
	case O_DTOL:
		return parse_pct(d->ctx, "--data-tolerance", arg,
				 &d->o.data_tolerance);
	case O_LIST: d->list = 1; return 0;
	case O_SHOW: d->show = arg; return 0;
	case O_HOST: return cli_split_add(&d->f.hosts, arg);
	case O_TAG: strlist_add(&d->f.tags, arg); return 0;
	case O_PATH: strlist_add(&d->f.paths, arg); return 0;
	default: return EXIT_USAGE;
	}
}

static void print_drill(const struct catalog_drill *d, int full)
{
	char a[32], b[32], c[32], when[32];

	printf(_("drill %lld  %s  %s  %s\n"), (long long)d->id,
	       fmt_time(d->started, when, sizeof(when)), d->service,
	       d->result == CATALOG_DRILL_PASS ? _("PASS") : _("FAIL"));
	if (!full)
		return;
	printf(_("  repository:  %s\n  snapshot:    %.8s\n"), d->repo,
	       d->snapshot);
	printf(_("  restored:    %lld files, %s in %s (%s/s), %.0f%% of the "
		 "snapshot\n"), (long long)d->files,
	       fmt_size((uint64_t)d->bytes, a, sizeof(a)),
	       fmt_duration(d->duration, b, sizeof(b)),
	       fmt_size((uint64_t)d->throughput, c, sizeof(c)), d->sampled_pct);
	if (d->reason && *d->reason)
		printf(_("  why:         %s\n"), d->reason);
	printf(_("  evidence:    sha256 %s\n"), d->evidence_sha256
	       ? d->evidence_sha256 : "-");
}

static void list_json(const struct catalog_drill *v, size_t n)
{
	struct buf out = BUF_INIT;
	struct jsonw w;
	size_t i;

	jsonw_init(&w, &out);
	jsonw_arr_begin(&w);
	for (i = 0; i < n; i++) {
		jsonw_obj_begin(&w);
		jsonw_key(&w, "id");
		jsonw_i64(&w, v[i].id);
		jsonw_key(&w, "service");
		jsonw_str(&w, v[i].service);
		jsonw_key(&w, "repository");
		jsonw_str(&w, v[i].repo);
		jsonw_key(&w, "snapshot");
		jsonw_str(&w, v[i].snapshot);
		jsonw_key(&w, "started");
		jsonw_i64(&w, v[i].started);
		jsonw_key(&w, "result");
		jsonw_str(&w, v[i].result == CATALOG_DRILL_PASS ? "pass"
							       : "fail");
		jsonw_key(&w, "evidence_sha256");
		jsonw_str(&w, v[i].evidence_sha256 ? v[i].evidence_sha256 : "");
		jsonw_obj_end(&w);
	}
	jsonw_arr_end(&w);
	if (jsonw_finish(&w) == 0)
		printf("%s\n", buf_cstr(&out));
	buf_release(&out);
}

static int drill_list(struct cli_ctx *ctx, struct catalog *cat)
{
	struct catalog_drill *v = NULL;
	size_t n = 0, i;
	int rc = catalog_drill_list(cat, NULL, 0, &v, &n);

	if (rc < 0)
		return cli_error(_("cannot read the catalog: %s"),
				 cli_strerror(rc));
	if (ctx->json) {
		list_json(v, n);
		catalog_drill_list_free(v, n);
		return EXIT_OK;
	}
	for (i = 0; i < n; i++)
		print_drill(&v[i], 0);
	if (n == 0)
		printf("%s\n", _("no drill has been recorded yet"));
	catalog_drill_list_free(v, n);
	return EXIT_OK;
}

static int drill_show(struct cli_ctx *ctx, struct catalog *cat,
		      const char *id)
{
	struct catalog_drill d;
	char *end;
	long long n = strtoll(id, &end, 10);
	int rc;

	if (*id == '\0' || *end)
		return cli_usage_error(ctx, _("--show takes a drill number"));
	rc = catalog_drill_get(cat, n, &d);
	if (rc == RP_ENOTFOUND)
		return cli_error(_("there is no drill %s"), id);
	if (rc < 0)
		return cli_error(_("cannot read the catalog: %s"),
				 cli_strerror(rc));
	if (ctx->json)
		printf("%s\n", d.evidence ? d.evidence : "{}");
	else
		print_drill(&d, 1);
	catalog_drill_release(&d);
	return EXIT_OK;
}

static int record(struct catalog *cat, const struct dr *d,
		  const struct snapshot *s, const struct drill_result *res,
		  int64_t *id)
{
	struct catalog_drill cd;
	char hex[65], host[256] = "";

	gethostname(host, sizeof(host) - 1);
	hex_encode(s->id, 32, hex);
	memset(&cd, 0, sizeof(cd));
	cd.service = d->o.label;
	cd.repo = d->o.repo_label;
	cd.snapshot = hex;
	cd.host = host;
	cd.started = res->started;
	cd.finished = res->finished;
	cd.files = (int64_t)res->files;
	cd.bytes = (int64_t)res->bytes;
	cd.duration = res->seconds;
	cd.throughput = res->throughput;
	cd.sampled_pct = d->o.sample_percent > 0 ? d->o.sample_percent : 100;
	cd.result = res->pass ? CATALOG_DRILL_PASS : CATALOG_DRILL_FAIL;
	cd.reason = res->reason;
	cd.evidence_sha256 = res->evidence_sha256;
	cd.evidence = buf_cstr((struct buf *)&res->evidence);
	return catalog_drill_add(cat, &cd, id);
}

static int drill_one(struct dr *d, struct catalog *cat, const char *what)
{
	struct cli_ctx *ctx = d->ctx;
	struct snapshot s;
	struct drill_result res;
	char *scratch = NULL, *state = NULL;
	int64_t id = 0;
	int rc;

	memset(&s, 0, sizeof(s));
	if ((rc = cli_open_repo(ctx)) != 0)
		return rc;
	if ((rc = snapshot_find(ctx->repo, what, &d->f, &s)) < 0)
		return cli_error(_("no snapshot matches '%s'"), what);
	if (d->o.scratch == NULL) {
		state = cli_state_dir(ctx);
		scratch = xasprintf("%s/scratch", state);
		d->o.scratch = scratch;
	}
	d->o.repo_label = ctx->repo_loc;
	if (d->o.label == NULL)
		d->o.label = s.paths.n ? s.paths.v[0] : "snapshot";
	rc = drill_run(ctx->repo, &s, &d->o, &res);
	if (rc < 0) {
		rc = cli_error(_("the drill could not run: %s"), cli_strerror(rc));
	} else if ((rc = record(cat, d, &s, &res, &id)) < 0) {
		rc = cli_error(_("the drill ran but could not be recorded: %s"),
			       cli_strerror(rc));
	} else {
		struct catalog_drill cd;

		if (catalog_drill_get(cat, id, &cd) == 0) {
			if (ctx->json)
				printf("%s\n", cd.evidence ? cd.evidence : "");
			else if (!ctx->quiet)
				print_drill(&cd, 1);
			catalog_drill_release(&cd);
		}
		rc = res.pass ? EXIT_OK : EXIT_FAIL;
	}
	drill_result_release(&res);
	snapshot_release(&s);
	free(scratch);
	free(state);
	return rc;
}

int cmd_drill(int argc, char **argv, struct cli_ctx *ctx)
{
	static const struct option opts[] = {
		{ "sample", required_argument, NULL, O_SAMPLE },
		{ "scratch", required_argument, NULL, O_SCRATCH },
		{ "no-compare", no_argument, NULL, O_NOCMP },
		{ "label", required_argument, NULL, O_LABEL },
		{ "count-tolerance", required_argument, NULL, O_CTOL },
		{ "data-tolerance", required_argument, NULL, O_DTOL },
		{ "list", no_argument, NULL, O_LIST },
		{ "show", required_argument, NULL, O_SHOW },
		{ "host", required_argument, NULL, O_HOST },
		{ "tag", required_argument, NULL, O_TAG },
		{ "path", required_argument, NULL, O_PATH },
		{ NULL, 0, NULL, 0 },
	};
	struct dr d;
	struct catalog *cat = NULL;
	int rc;

	memset(&d, 0, sizeof(d));
	d.ctx = ctx;
	d.o.compare_source = 1;
	d.o.count_tolerance = 10;
	d.o.data_tolerance = 10;
	rc = cli_getopt(&argc, &argv, ctx, opts, "", drill_opt, &d);
	if (rc == 0 && argc > 1)
		rc = cli_usage_error(ctx, _("drill takes at most one snapshot"));
	if (rc != 0 || (rc = cli_open_catalog(ctx, &cat)) != 0)
		goto out;
	if (d.list)
		rc = drill_list(ctx, cat);
	else if (d.show)
		rc = drill_show(ctx, cat, d.show);
	else
		rc = drill_one(&d, cat, argc ? argv[0] : "latest");
out:
	catalog_close(cat);
	strlist_release(&d.f.hosts);
	strlist_release(&d.f.tags);
	strlist_release(&d.f.paths);
	return rc < 0 ? 0 : rc;
}
