/* forget, prune, copy, repair: keeping a repository lean and whole. */
#include "cli/cli.h"

#include <stdlib.h>
#include <string.h>

#include "engine/copy.h"
#include "engine/forget.h"
#include "engine/prune.h"
#include "repo/lock.h"
#include "util/err.h"
#include "util/hex.h"
#include "util/jsonw.h"

enum {
	O_LAST = 1, O_HOURLY, O_DAILY, O_WEEKLY, O_MONTHLY, O_YEARLY,
	O_WITHIN, O_KEEP_TAG, O_GROUP_BY, O_HOST, O_TAG, O_PATH, O_DRY,
	O_PRUNE, O_MAX_UNUSED, O_MAX_REPACK, O_FROM_REPO, O_FROM_PWFILE,
};

struct fg {
	struct forget_policy p;
	struct snapshot_filter f;
	struct prune_opts po;
	struct cli_ctx *ctx;
	int prune;
};

static int parse_count(struct cli_ctx *ctx, const char *arg, int *out)
{
	char *end;
	long v = strtol(arg, &end, 10);

	if (*arg == '\0' || *end || v < -1 || v > 1000000 || v == 0)
		return cli_usage_error(ctx, _("a --keep-* count is a number "
					      "of 1 or more (or -1 for all), "
					      "not '%s'"), arg);
	*out = (int)v;
	return 0;
}

/* parse_within: restic's "1y2m3d4h" (years, months, days, hours). */
static int parse_within(struct fg *g, const char *arg)
{
	const char *s = arg;

	g->p.has_within = 1;
	while (*s) {
		char *end;
		long v = strtol(s, &end, 10);

		if (end == s || v < 0 || v > 100000)
			break;
		switch (*end) {
		case 'y': g->p.within_y = (int)v; break;
		case 'm': g->p.within_m = (int)v; break;
		case 'd': g->p.within_d = (int)v; break;
		case 'h': g->p.within_h = (int)v; break;
		default: goto bad;
		}
		s = end + 1;
	}
	if (*s == '\0' && s != arg)
		return 0;
bad:
	return cli_usage_error(g->ctx, _("--keep-within takes a span like "
					 "1y2m7d3h (years, months, days, "
					 "hours), not '%s'"), arg);
}

static int parse_group(struct fg *g, const char *arg)
{
	struct strlist l = { NULL, 0 };
	size_t i;
	int rc = 0;

	cli_split_add(&l, arg);
	g->p.group_host = g->p.group_paths = g->p.group_tags = 0;
	for (i = 0; i < l.n && rc == 0; i++) {
		if (strcmp(l.v[i], "host") == 0)
			g->p.group_host = 1;
		else if (strcmp(l.v[i], "paths") == 0)
			g->p.group_paths = 1;
		else if (strcmp(l.v[i], "tags") == 0)
			g->p.group_tags = 1;
		else
			rc = cli_usage_error(g->ctx, _("--group-by takes host, "
				"paths and tags, not '%s'"), l.v[i]);
	}
	strlist_release(&l);
	return rc;
}

/* parse_unused: --max-unused as restic reads it: 5%, 100M, unlimited. */
static int parse_unused(struct cli_ctx *ctx, const char *arg,
			struct prune_opts *po)
{
	char *end;
	double v;

	if (strcmp(arg, "unlimited") == 0) {
		po->unused_kind = UNUSED_UNLIMITED;
		return 0;
	}
	v = strtod(arg, &end);
	if (*arg >= '0' && *arg <= '9' && strcmp(end, "%") == 0 && v <= 100) {
		po->unused_kind = UNUSED_PERCENT;
		po->max_unused = v;
		return 0;
	}
	if (cli_parse_size(arg, &po->max_unused_bytes, 1) == 0) {
		po->unused_kind = UNUSED_BYTES;
		return 0;
	}
	return cli_usage_error(ctx, _("--max-unused takes a percentage (5%%), "
				      "a size (100M) or 'unlimited', not "
				      "'%s'"), arg);
}

static int parse_bytes(struct cli_ctx *ctx, const char *arg, uint64_t *out)
{
	if (cli_parse_size(arg, out, 0) < 0)
		return cli_usage_error(ctx, _("a size is a number with an "
					      "optional K, M, G or T, not '%s'"),
				       arg);
	return 0;
}

static int forget_opt(int opt, const char *arg, void *data)
{
	struct fg *g = data;

	switch (opt) {
	case 'l': case O_LAST: return parse_count(g->ctx, arg, &g->p.last);
	case 'H': case O_HOURLY: return parse_count(g->ctx, arg, &g->p.hourly);
	case 'd': case O_DAILY: return parse_count(g->ctx, arg, &g->p.daily);
	case 'w': case O_WEEKLY: return parse_count(g->ctx, arg, &g->p.weekly);
	case 'm': case O_MONTHLY:
		return parse_count(g->ctx, arg, &g->p.monthly);
	case 'y': case O_YEARLY: return parse_count(g->ctx, arg, &g->p.yearly);
	case 'n': g->po.dry_run = 1; return 0;
	case O_WITHIN: return parse_within(g, arg);
	case O_KEEP_TAG: strlist_add(&g->p.keep_tags, arg); return 0;
	case O_GROUP_BY: return parse_group(g, arg);
	case O_HOST: return cli_split_add(&g->f.hosts, arg);
	case O_TAG: strlist_add(&g->f.tags, arg); return 0;
	case O_PATH: strlist_add(&g->f.paths, arg); return 0;
	case O_DRY: g->po.dry_run = 1; return 0;
	case O_PRUNE: g->prune = 1; return 0;
	case O_MAX_UNUSED: return parse_unused(g->ctx, arg, &g->po);
	case O_MAX_REPACK:
		return parse_bytes(g->ctx, arg, &g->po.max_repack_bytes);
	default: return EXIT_USAGE;
	}
}

static const struct option forget_opts[] = {
	{ "keep-last", required_argument, NULL, O_LAST },
	{ "keep-hourly", required_argument, NULL, O_HOURLY },
	{ "keep-daily", required_argument, NULL, O_DAILY },
	{ "keep-weekly", required_argument, NULL, O_WEEKLY },
	{ "keep-monthly", required_argument, NULL, O_MONTHLY },
	{ "keep-yearly", required_argument, NULL, O_YEARLY },
	{ "keep-within", required_argument, NULL, O_WITHIN },
	{ "keep-tag", required_argument, NULL, O_KEEP_TAG },
	{ "group-by", required_argument, NULL, O_GROUP_BY },
	{ "host", required_argument, NULL, O_HOST },
	{ "tag", required_argument, NULL, O_TAG },
	{ "path", required_argument, NULL, O_PATH },
	{ "dry-run", no_argument, NULL, O_DRY },
	{ "prune", no_argument, NULL, O_PRUNE },
	{ "max-unused", required_argument, NULL, O_MAX_UNUSED },
	{ "max-repack-size", required_argument, NULL, O_MAX_REPACK },
	{ NULL, 0, NULL, 0 },
};

static void reasons_text(unsigned r, char *out, size_t n)
{
	unsigned bit;
	size_t len = 0;

	out[0] = '\0';
	for (bit = 1; bit <= KEEP_NOPOLICY; bit <<= 1) {
		if (!(r & bit) || len + 2 >= n)
			continue;
		len += (size_t)snprintf(out + len, n - len, "%s%s",
					len ? ", " : "",
					_(forget_reason_name(bit)));
	}
}

static void print_plan(const struct forget_item *it, size_t n)
{
	char hex[65], when[32], why[128];
	size_t i;
	int group = -1;

	for (i = 0; i < n; i++) {
		const struct snapshot *s = it[i].s;

		if (it[i].group != group) {
			group = it[i].group;
			printf(_("\nsnapshots of %s, %s:\n"),
			       s->hostname ? s->hostname : "",
			       s->paths.n ? s->paths.v[0] : "");
		}
		hex_encode(s->id, 32, hex);
		reasons_text(it[i].reasons, why, sizeof(why));
		printf("  %s %.8s  %s  %s\n", it[i].reasons ? _("keep  ")
			: _("remove"), hex, fmt_time(s->time.sec, when,
						     sizeof(when)), why);
	}
}

/* explicit IDs on the command line: those, and only those, are removed */
static void mark_explicit(struct forget_item *it, size_t n, int argc,
			  char **argv)
{
	char hex[65];
	size_t i;
	int k;

	for (i = 0; i < n; i++) {
		hex_encode(it[i].s->id, 32, hex);
		it[i].reasons = KEEP_NOPOLICY;
		for (k = 0; k < argc; k++)
			if (strncmp(hex, argv[k], strlen(argv[k])) == 0)
				it[i].reasons = 0;
	}
}

static int do_prune(struct cli_ctx *ctx, struct prune_opts *po);

static int forget_with_lock(struct fg *g, int argc, char **argv)
{
	struct snapshot *v = NULL, *sel;
	struct forget_item *it = NULL;
	size_t n = 0, i, k = 0, removed = 0;
	int rc;

	if ((rc = snapshot_load_all(g->ctx->repo, &v, &n, NULL)) < 0)
		return cli_error(_("cannot read snapshots: %s"),
				 cli_strerror(rc));
	sel = calloc(n + 1, sizeof(*sel));
	for (i = 0; i < n; i++)
		if (snapshot_match(&v[i], &g->f))
			sel[k++] = v[i];
	forget_plan(&g->p, sel, k, &it);
	if (argc > 0)
		mark_explicit(it, k, argc, argv);
	if (!g->ctx->quiet)
		print_plan(it, k);
	if (!g->po.dry_run)
		rc = forget_apply(g->ctx->repo, it, k, &removed);
	free(it);
	free(sel);
	snapshot_list_free(v, n);
	if (rc < 0)
		return cli_error(_("cannot remove snapshots: %s"),
				 cli_strerror(rc));
	if (!g->ctx->quiet)
		printf(g->po.dry_run ? _("\n(dry run: nothing was removed)\n")
				     : ngettext("\nremoved %zu snapshot\n",
						"\nremoved %zu snapshots\n",
						removed), removed);
	return 0;
}

int cmd_forget(int argc, char **argv, struct cli_ctx *ctx)
{
	struct fg g;
	struct repo_lock *lock = NULL;
	int rc;

	memset(&g, 0, sizeof(g));
	g.ctx = ctx;
	g.p.group_host = g.p.group_paths = 1;
	g.po.max_unused = 5;
	rc = cli_getopt(&argc, &argv, ctx, forget_opts, "l:H:d:w:m:y:n",
			forget_opt, &g);
	if (rc == 0 && argc == 0 && forget_policy_empty(&g.p))
		rc = cli_usage_error(ctx, _("give a policy (--keep-*) or "
					    "snapshot IDs to forget"));
	if (rc != 0 || (rc = cli_open_repo(ctx)) != 0)
		goto out;
	if ((rc = lock_take(ctx->repo, 1, &lock)) < 0) {
		rc = cli_error(_("the repository is locked: %s"),
			       cli_strerror(rc)) + EXIT_LOCKED - EXIT_FAIL;
		goto out;
	}
	rc = forget_with_lock(&g, argc, argv);
	if (rc == 0 && g.prune)
		rc = do_prune(ctx, &g.po);
out:
	lock_release(lock);
	strlist_release(&g.p.keep_tags);
	strlist_release(&g.f.hosts);
	strlist_release(&g.f.tags);
	strlist_release(&g.f.paths);
	return rc < 0 ? 0 : rc;
}

/* prune_json: the figures of prune_report for machines, one object, the
 * names of restic's counters where restic has them. */
static void prune_json(const struct prune_stats *st, int dry)
{
	struct buf out = BUF_INIT;
	struct jsonw w;
	static const char *const names[] = {
		"packs", "packs_kept", "packs_to_repack", "packs_to_delete",
		"packs_unindexed", "blobs_used", "blobs_unused",
		"blobs_to_repack", "bytes_total", "bytes_used",
		"bytes_unused", "bytes_to_delete", "bytes_to_repack",
		"bytes_unused_after", "index_files_written",
		"index_files_deleted",
	};
	const uint64_t vals[] = {
		st->packs, st->packs_kept, st->packs_repacked,
		st->packs_deleted, st->packs_unindexed, st->blobs_used,
		st->blobs_unused, st->blobs_repacked, st->bytes_total,
		st->bytes_used, st->bytes_unused, st->bytes_deleted,
		st->bytes_repacked, st->bytes_unused_after,
		st->index_written, st->index_deleted,
	};
	size_t i;

	_Static_assert(sizeof(names) / sizeof(names[0]) ==
		       sizeof(vals) / sizeof(vals[0]), "one name per figure");
	jsonw_init(&w, &out);
	jsonw_obj_begin(&w);
	jsonw_key(&w, "message_type");
	jsonw_str(&w, "summary");
	jsonw_key(&w, "dry_run");
	jsonw_bool(&w, dry);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		jsonw_key(&w, names[i]);
		jsonw_u64(&w, vals[i]);
	}
	jsonw_obj_end(&w);
	if (jsonw_finish(&w) == 0)
		printf("%s\n", buf_cstr(&out));
	buf_release(&out);
}

static void index_report(const struct prune_stats *st)
{
	printf(ngettext("wrote %llu index file, ", "wrote %llu index files, ",
			st->index_written),
	       (unsigned long long)st->index_written);
	printf(ngettext("removed %llu old one\n", "removed %llu old ones\n",
			st->index_deleted),
	       (unsigned long long)st->index_deleted);
}

static void prune_report(struct cli_ctx *ctx, const struct prune_stats *st,
			 int dry)
{
	char a[32], b[32], c[32], d[32];

	if (ctx->json) {
		prune_json(st, dry);
		return;
	}
	if (ctx->quiet)
		return;
	printf(_("%llu packs: %llu kept, %llu to repack, %llu to delete, %llu "
		 "not indexed\n"), (unsigned long long)st->packs,
	       (unsigned long long)st->packs_kept,
	       (unsigned long long)st->packs_repacked,
	       (unsigned long long)st->packs_deleted,
	       (unsigned long long)st->packs_unindexed);
	printf(_("used %s, unused %s; %s to repack; unused afterwards: %s\n"),
	       fmt_size(st->bytes_used, a, sizeof(a)),
	       fmt_size(st->bytes_unused, b, sizeof(b)),
	       fmt_size(st->bytes_repacked, c, sizeof(c)),
	       fmt_size(st->bytes_unused_after, d, sizeof(d)));
	if (dry)
		printf("%s\n", _("(dry run: nothing was changed)"));
	else
		index_report(st);
}

static int do_prune(struct cli_ctx *ctx, struct prune_opts *po)
{
	struct prune_stats st;
	int rc = prune_run(ctx->repo, po, &st);

	if (rc == RP_ELOCKED)
		return cli_error(_("the repository is locked by another "
				   "process")) + EXIT_LOCKED - EXIT_FAIL;
	if (rc < 0)
		return cli_error(_("prune stopped, nothing was deleted that "
				   "is still needed: %s"), cli_strerror(rc));
	prune_report(ctx, &st, po->dry_run);
	return 0;
}

int cmd_prune(int argc, char **argv, struct cli_ctx *ctx)
{
	struct fg g;
	int rc;

	memset(&g, 0, sizeof(g));
	g.ctx = ctx;
	g.po.max_unused = 5;
	g.po.take_lock = 1;
	rc = cli_getopt(&argc, &argv, ctx, forget_opts, "n", forget_opt, &g);
	if (rc == 0 && argc > 0)
		rc = cli_usage_error(ctx, _("unexpected argument %s"), argv[0]);
	if (rc == 0 && (rc = cli_open_repo(ctx)) == 0)
		rc = do_prune(ctx, &g.po);
	return rc < 0 ? 0 : rc;
}

/* ---- copy ---- */

struct cp {
	struct copy_opts o;
	struct cli_ctx *ctx;
	const char *from, *from_pwfile;
};

static int copy_opt(int opt, const char *arg, void *data)
{
	struct cp *c = data;

	switch (opt) {
	case O_FROM_REPO: c->from = arg; return 0;
	case O_FROM_PWFILE: c->from_pwfile = arg; return 0;
	case O_HOST: return cli_split_add(&c->o.filter.hosts, arg);
	case O_TAG: strlist_add(&c->o.filter.tags, arg); return 0;
	case O_PATH: strlist_add(&c->o.filter.paths, arg); return 0;
	default: return EXIT_USAGE;
	}
}

static void on_copied(const struct snapshot *s, const uint8_t new_id[32],
		      int skipped, void *arg)
{
	struct cp *c = arg;
	char a[65], b[65];

	if (c->ctx->quiet)
		return;
	hex_encode(s->id, 32, a);
	if (skipped) {
		printf(_("snapshot %.8s is already in the target\n"), a);
		return;
	}
	hex_encode(new_id, 32, b);
	printf(_("snapshot %.8s copied as %.8s\n"), a, b);
}

static int open_source(struct cp *c, struct backend **be, struct repo **r)
{
	const char *f = c->from_pwfile ? c->from_pwfile
				       : getenv("REPRISE_FROM_PASSWORD_FILE");
	const char *env = getenv("REPRISE_FROM_PASSWORD");
	char *pw = NULL;
	size_t len = 0;
	int rc;

	if (f == NULL && env == NULL)
		return cli_usage_error(c->ctx, _("the source password comes from "
			"--from-password-file, REPRISE_FROM_PASSWORD_FILE or "
			"REPRISE_FROM_PASSWORD"));
	if (f && (rc = cli_password(c->ctx, f, &pw, &len)) != 0)
		return rc;
	if (f == NULL) {
		pw = strdup(env);
		len = strlen(env);
	}
	if (backend_open(c->from, be) < 0) {
		cli_password_free(pw, len);
		return cli_error(_("unsupported repository location %s"), c->from);
	}
	rc = repo_open(*be, pw, len, r);
	cli_password_free(pw, len);
	if (rc < 0)
		return cli_error(_("cannot open the source repository %s: %s"),
				 c->from, cli_strerror(rc)) - EXIT_FAIL +
		       cli_exit_code(rc);
	return 0;
}

int cmd_copy(int argc, char **argv, struct cli_ctx *ctx)
{
	static const struct option opts[] = {
		{ "from-repo", required_argument, NULL, O_FROM_REPO },
		{ "from-password-file", required_argument, NULL, O_FROM_PWFILE },
		{ "host", required_argument, NULL, O_HOST },
		{ "tag", required_argument, NULL, O_TAG },
		{ "path", required_argument, NULL, O_PATH },
		{ NULL, 0, NULL, 0 },
	};
	struct cp c;
	struct backend *sbe = NULL;
	struct repo *src = NULL;
	struct copy_stats st;
	char size[32];
	int rc;

	memset(&c, 0, sizeof(c));
	c.ctx = ctx;
	rc = cli_getopt(&argc, &argv, ctx, opts, "", copy_opt, &c);
	if (rc == 0 && c.from == NULL)
		rc = cli_usage_error(ctx, _("say where to copy from with "
					    "--from-repo"));
	if (rc != 0 || (rc = cli_open_repo(ctx)) != 0 ||
	    (rc = open_source(&c, &sbe, &src)) != 0)
		goto out;
	c.o.ids = (const char *const *)argv;
	c.o.nids = (size_t)argc;
	c.o.copied = on_copied;
	c.o.arg = &c;
	rc = copy_run(src, ctx->repo, &c.o, &st);
	if (rc < 0) {
		rc = cli_error(_("copy stopped: %s (run it again to resume)"),
			       cli_strerror(rc));
		goto out;
	}
	if (!ctx->quiet) {
		printf(ngettext("copied %llu snapshot, ",
				"copied %llu snapshots, ", st.snapshots),
		       (unsigned long long)st.snapshots);
		printf(ngettext("%llu blob, %s; ", "%llu blobs, %s; ",
				st.blobs), (unsigned long long)st.blobs,
		       fmt_size(st.bytes, size, sizeof(size)));
		printf(ngettext("%llu already there\n",
				"%llu already there\n", st.skipped),
		       (unsigned long long)st.skipped);
	}
out:
	repo_free(src);
	backend_close(sbe);
	strlist_release(&c.o.filter.hosts);
	strlist_release(&c.o.filter.tags);
	strlist_release(&c.o.filter.paths);
	return rc < 0 ? 0 : rc;
}

/* ---- repair index ---- */

int cmd_repair(int argc, char **argv, struct cli_ctx *ctx)
{
	size_t packs = 0, bad = 0;
	int rc;

	if ((rc = cli_getopt(&argc, &argv, ctx, NULL, "", NULL, NULL)))
		return rc < 0 ? 0 : rc;
	if (argc != 1 || strcmp(argv[0], "index") != 0)
		return cli_usage_error(ctx, _("what to repair? ('index')"));
	if ((rc = cli_open_repo(ctx)) != 0)
		return rc;
	rc = repair_index(ctx->repo, &packs, &bad);
	if (rc < 0) {
		cli_error(_("cannot rebuild the index: %s"), cli_strerror(rc));
		return rc == RP_ELOCKED ? EXIT_LOCKED : EXIT_FAIL;
	}
	printf(ngettext("new index written for %zu pack\n",
			"new index written for %zu packs\n", packs), packs);
	if (bad)
		return cli_error(ngettext("%zu pack has an unreadable header "
					  "and was left out",
					  "%zu packs have an unreadable header "
					  "and were left out", bad), bad);
	return EXIT_OK;
}
