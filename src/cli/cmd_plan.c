/* plan: the continuity plan file.  "plan validate" checks it. */
#include "cli/cli.h"

#include <stdlib.h>
#include <string.h>

#include "plan/plan.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/jsonw.h"

struct plan_opts {
	const char *file;
};

static int plan_opt(int opt, const char *arg, void *data)
{
	struct plan_opts *o = data;

	if (opt != 1)
		return EXIT_USAGE;
	o->file = arg;
	return 0;
}

/* plan_path: --plan, else REPRISE_PLAN, else the default. */
static const char *plan_path(const struct plan_opts *o)
{
	const char *env = getenv("REPRISE_PLAN");

	if (o->file)
		return o->file;
	return env && *env ? env : PLAN_DEFAULT_PATH;
}

static const char *tr(const char *s)
{
	return _(s);
}

static void print_error(const struct plan_error *e)
{
	struct buf msg = BUF_INIT;

	plan_error_message(e, tr, &msg);
	if (e->line > 0)
		fprintf(stderr, _("%s:%d:%d: error: %s\n"), e->file, e->line,
			e->col, buf_cstr(&msg));
	else
		fprintf(stderr, _("%s: error: %s\n"), e->file, buf_cstr(&msg));
	buf_release(&msg);
}

static void json_opt(struct jsonw *w, const char *key, const char *v)
{
	if (v == NULL)
		return;
	jsonw_key(w, key);
	jsonw_str(w, v);
}

static void json_error(struct jsonw *w, const struct plan_error *e)
{
	struct buf msg = BUF_INIT;

	plan_error_message(e, NULL, &msg);
	jsonw_obj_begin(w);
	json_opt(w, "file", e->file);
	jsonw_key(w, "line");
	jsonw_i64(w, e->line);
	jsonw_key(w, "column");
	jsonw_i64(w, e->col);
	json_opt(w, "message", buf_cstr(&msg));
	json_opt(w, "what", e->what);
	json_opt(w, "subject", e->subject);
	json_opt(w, "found", e->found ? e->found : e->found_kind);
	json_opt(w, "expected", e->expected);
	json_opt(w, "suggestion", e->hint);
	json_opt(w, "detail", e->detail);
	jsonw_obj_end(w);
	buf_release(&msg);
}

static void print_json(const struct plan_errors *errs)
{
	struct buf out = BUF_INIT;
	struct jsonw w;
	size_t i;

	jsonw_init(&w, &out);
	jsonw_arr_begin(&w);
	for (i = 0; i < errs->n; i++)
		json_error(&w, &errs->v[i]);
	jsonw_arr_end(&w);
	if (jsonw_finish(&w) == 0)
		printf("%s\n", buf_cstr(&out));
	buf_release(&out);
}

static void print_errors(const struct plan_errors *errs)
{
	size_t i;

	for (i = 0; i < errs->n; i++)
		print_error(&errs->v[i]);
	if (errs->dropped)
		fprintf(stderr, ngettext("... and %zu more error\n",
					 "... and %zu more errors\n",
					 errs->dropped),
			errs->dropped);
}

/* count: appends ", " and fmt (an ngettext result taking n) to b. */
static void count(struct buf *b, const char *fmt, size_t n)
{
	if (b->len)
		buf_adds(b, ", ");
	buf_addf(b, fmt, n);
}

static void print_summary(const char *path, const struct plan *p)
{
	struct buf b = BUF_INIT;
	size_t n;

	n = p->nservices;
	count(&b, ngettext("%zu service", "%zu services", n), n);
	n = p->nhosts;
	count(&b, ngettext("%zu host", "%zu hosts", n), n);
	n = p->nproviders;
	count(&b, ngettext("%zu provider", "%zu providers", n), n);
	n = p->nrepos;
	count(&b, ngettext("%zu repository", "%zu repositories", n), n);
	n = p->njobs;
	count(&b, ngettext("%zu backup job", "%zu backup jobs", n), n);
	n = p->ndrills;
	count(&b, ngettext("%zu restore drill", "%zu restore drills", n), n);
	n = p->npeople;
	count(&b, ngettext("%zu person", "%zu people", n), n);
	n = p->ncall_tree;
	count(&b, ngettext("%zu call tree step", "%zu call tree steps", n),
	      n);
	n = p->ntemplates;
	count(&b, ngettext("%zu message template", "%zu message templates",
			   n), n);
	printf(_("%s: the plan of %s is valid: %s.\n"), path,
	       p->company.name, buf_cstr(&b));
	buf_release(&b);
}

static int plan_validate(struct cli_ctx *ctx, const char *path)
{
	struct plan_errors errs = PLAN_ERRORS_INIT;
	struct plan *p = NULL;
	int rc = plan_load(path, &p, &errs);

	if (rc == RP_EFORMAT) {
		if (ctx->json)
			print_json(&errs);
		else
			print_errors(&errs);
		plan_errors_release(&errs);
		return EXIT_USAGE;
	}
	if (rc < 0) {
		cli_error(_("cannot read the plan %s: %s"), path,
			  cli_strerror(rc));
		return EXIT_USAGE;
	}
	if (ctx->json)
		printf("[]\n");
	else if (!ctx->quiet)
		print_summary(path, p);
	plan_free(p);
	return EXIT_OK;
}

int cmd_plan(int argc, char **argv, struct cli_ctx *ctx)
{
	static const struct option opts[] = {
		{ "plan", required_argument, NULL, 1 },
		{ NULL, 0, NULL, 0 },
	};
	struct plan_opts o = { NULL };
	int rc;

	if ((rc = cli_getopt(&argc, &argv, ctx, opts, "", plan_opt, &o)) != 0)
		return rc < 0 ? 0 : rc;
	if (argc < 1)
		return cli_usage_error(ctx, _("which plan command?"));
	if (strcmp(argv[0], "validate") != 0)
		return cli_usage_error(ctx, _("unknown plan command %s"),
				       argv[0]);
	if (argc > 1)
		return cli_usage_error(ctx, _("unexpected argument %s"),
				       argv[1]);
	return plan_validate(ctx, plan_path(&o));
}
