/* restore and check: the CLI faces of engine/restore and engine/check. */
#include "cli/cli.h"

#include <stdlib.h>
#include <string.h>

#include "engine/check.h"
#include "engine/restore.h"
#include "util/err.h"
#include "util/hex.h"

enum {
	O_HOST = 1, O_TAG, O_PATH, O_TARGET, O_READ_DATA, O_SUBSET,
	O_IINCLUDE, O_IEXCLUDE, O_VERIFY,
};

struct rs {
	struct restore_opts o;
	struct snapshot_filter f;
	struct cli_ctx *ctx;
	uint64_t failed;
	int verify;
};

static int restore_opt(int opt, const char *arg, void *data)
{
	struct rs *s = data;

	switch (opt) {
	case 't': s->o.target = arg; return 0;
	case 'i': strlist_add(&s->o.includes, arg); return 0;
	case 'e': strlist_add(&s->o.excludes, arg); return 0;
	case O_IINCLUDE: strlist_add(&s->o.iincludes, arg); return 0;
	case O_IEXCLUDE: strlist_add(&s->o.iexcludes, arg); return 0;
	case O_VERIFY: s->verify = 1; return 0;
	case O_HOST: return cli_split_add(&s->f.hosts, arg);
	case O_TAG: strlist_add(&s->f.tags, arg); return 0;
	case O_PATH: strlist_add(&s->f.paths, arg); return 0;
	default: return EXIT_USAGE;
	}
}

static void restore_warn(const char *path, const char *what, int err,
			 void *arg)
{
	struct rs *s = arg;

	s->failed++;
	fprintf(stderr, _("error: %s: cannot %s: %s\n"), path, _(what),
		cli_strerror(err));
}

static int restore_report(struct rs *s, int rc, const struct snapshot *snap,
			  const struct restore_stats *st)
{
	char size[32], dur[32], hex[65];

	hex_encode(snap->id, 32, hex);
	if (rc < 0 && rc != RP_EPARTIAL) {
		cli_error(_("restore of snapshot %.8s failed: %s"), hex,
			  cli_strerror(rc));
		return rc == RP_ELOCKED ? EXIT_LOCKED : EXIT_FAIL;
	}
	if (!s->ctx->quiet)
		printf(_("restored snapshot %.8s to %s: %llu files, %llu "
			 "directories, %s in %s\n"), hex, s->o.target,
		       (unsigned long long)st->files,
		       (unsigned long long)st->dirs,
		       fmt_size(st->bytes, size, sizeof(size)),
		       fmt_duration(st->seconds, dur, sizeof(dur)));
	if (rc == RP_EPARTIAL)
		return cli_error(ngettext("%llu item could not be restored "
					  "(named above); nothing was written "
					  "with wrong content",
					  "%llu items could not be restored "
					  "(named above); nothing was written "
					  "with wrong content", st->errors),
				 (unsigned long long)st->errors);
	return EXIT_OK;
}

/* verify_report: restore --verify, after the restore (rc its status). */
static int verify_report(struct rs *s, const struct snapshot *snap, int rc)
{
	struct restore_stats st;
	char size[32], dur[32];
	int vr = restore_verify(s->ctx->repo, snap, &s->o, &st);

	if (vr < 0 && vr != RP_EPARTIAL)
		return cli_error(_("cannot verify the restored files: %s"),
				 cli_strerror(vr));
	if (!s->ctx->quiet)
		printf(ngettext("verified %llu file, %s in %s: ",
				"verified %llu files, %s in %s: ", st.files),
		       (unsigned long long)st.files,
		       fmt_size(st.bytes, size, sizeof(size)),
		       fmt_duration(st.seconds, dur, sizeof(dur)));
	if (st.errors == 0) {
		if (!s->ctx->quiet)
			printf("%s\n", _("every byte matches the snapshot"));
		return rc;
	}
	if (!s->ctx->quiet)
		printf("\n");
	return cli_error(ngettext("%llu file does not match the snapshot "
				  "(named above)",
				  "%llu files do not match the snapshot "
				  "(named above)", st.errors),
			 (unsigned long long)st.errors);
}

int cmd_restore(int argc, char **argv, struct cli_ctx *ctx)
{
	static const struct option opts[] = {
		{ "target", required_argument, NULL, 't' },
		{ "include", required_argument, NULL, 'i' },
		{ "exclude", required_argument, NULL, 'e' },
		{ "iinclude", required_argument, NULL, O_IINCLUDE },
		{ "iexclude", required_argument, NULL, O_IEXCLUDE },
		{ "host", required_argument, NULL, O_HOST },
		{ "tag", required_argument, NULL, O_TAG },
		{ "path", required_argument, NULL, O_PATH },
		{ "verify", no_argument, NULL, O_VERIFY },
		{ NULL, 0, NULL, 0 },
	};
	struct rs s;
	struct snapshot snap;
	struct restore_stats st;
	int rc, rr;

	memset(&s, 0, sizeof(s));
	memset(&snap, 0, sizeof(snap));
	s.ctx = ctx;
	if ((rc = cli_getopt(&argc, &argv, ctx, opts, "t:i:e:", restore_opt,
			     &s)))
		goto out;
	if (argc != 1) {
		rc = cli_usage_error(ctx, _("restore needs exactly one "
					    "snapshot"));
		goto out;
	}
	if (s.o.target == NULL) {
		rc = cli_usage_error(ctx, _("say where to restore with "
					    "--target DIR"));
		goto out;
	}
	if ((rc = cli_open_repo(ctx)) != 0)
		goto out;
	rc = snapshot_find(ctx->repo, argv[0], &s.f, &snap);
	if (rc < 0) {
		rc = cli_error(rc == RP_EINVAL ? _("'%s' matches more than one "
			       "snapshot") : _("no snapshot matches '%s'"),
			       argv[0]);
		goto out;
	}
	s.o.warn = restore_warn;
	s.o.arg = &s;
	rr = restore_run(ctx->repo, &snap, &s.o, &st);
	rc = restore_report(&s, rr, &snap, &st);
	if (s.verify && (rr == 0 || rr == RP_EPARTIAL))
		rc = verify_report(&s, &snap, rc);
out:
	snapshot_release(&snap);
	strlist_release(&s.o.includes);
	strlist_release(&s.o.excludes);
	strlist_release(&s.o.iincludes);
	strlist_release(&s.o.iexcludes);
	strlist_release(&s.f.hosts);
	strlist_release(&s.f.tags);
	strlist_release(&s.f.paths);
	return rc < 0 ? EXIT_FAIL : rc;
}

/* ---- check ---- */

static int parse_subset(struct check_opts *o, const char *arg)
{
	char *end;
	unsigned long n, t;
	double p;

	if (strchr(arg, '/')) {
		n = strtoul(arg, &end, 10);
		if (*end != '/')
			return -1;
		t = strtoul(end + 1, &end, 10);
		if (*end || n < 1 || t < 1 || n > t || t > 1000000)
			return -1;
		o->subset_n = (unsigned)n;
		o->subset_t = (unsigned)t;
		return 0;
	}
	/* N or N.D, read by hand: strtod follows LC_NUMERIC */
	n = strtoul(arg, &end, 10);
	p = (double)n;
	if (*end == '.' || *end == ',') {
		double scale = 0.1;

		for (end++; *end >= '0' && *end <= '9'; end++, scale /= 10)
			p += (*end - '0') * scale;
	}
	if (end == arg || strcmp(end, "%") != 0 || !(p > 0) || p > 100)
		return -1;
	o->subset_percent = p;
	return 0;
}

struct ck {
	struct check_opts o;
	struct cli_ctx *ctx;
};

static int check_opt(int opt, const char *arg, void *data)
{
	struct ck *c = data;

	if (opt == O_READ_DATA) {
		c->o.read_data = 1;
		return 0;
	}
	if (opt == O_SUBSET) {
		c->o.read_data = 1;
		if (parse_subset(&c->o, arg) == 0)
			return 0;
		return cli_usage_error(c->ctx, _("--read-data-subset takes N%% "
			"(0 < N <= 100) or n/t, not '%s'"), arg);
	}
	return EXIT_USAGE;
}

static void check_problem(int error, const char *file, const char *msg,
			  void *arg)
{
	(void)arg;
	fprintf(stderr, "%s %s: %s\n", error ? _("error:") : _("note:"), file,
		msg);
}

/* check_report: "checked 2 snapshots, 1 tree, ..." with each plural. */
static void check_report(const struct check_stats *st)
{
	char size[32];

	printf(ngettext("checked %llu snapshot, ", "checked %llu snapshots, ",
			st->snapshots), (unsigned long long)st->snapshots);
	printf(ngettext("%llu tree, ", "%llu trees, ", st->trees),
	       (unsigned long long)st->trees);
	printf(ngettext("%llu pack ", "%llu packs ", st->packs),
	       (unsigned long long)st->packs);
	printf(_("(%llu read, %s)\n"), (unsigned long long)st->packs_read,
	       fmt_size(st->bytes_read, size, sizeof(size)));
}

/* wants_plan: `check` checks the plan when --plan or --at is given, or
 * when REPRISE_PLAN is set and no repository is. */
static int wants_plan(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++)
		if (strncmp(argv[i], "--plan", 6) == 0 ||
		    strncmp(argv[i], "--at", 4) == 0)
			return 1;
	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "-r") == 0 ||
		    strncmp(argv[i], "--repo", 6) == 0)
			return 0;
	return getenv("REPRISE_PLAN") && !getenv("REPRISE_REPOSITORY");
}

int cmd_check(int argc, char **argv, struct cli_ctx *ctx)
{
	static const struct option opts[] = {
		{ "read-data", no_argument, NULL, O_READ_DATA },
		{ "read-data-subset", required_argument, NULL, O_SUBSET },
		{ NULL, 0, NULL, 0 },
	};
	struct ck c;
	struct check_stats st;
	int rc;

	if (wants_plan(argc, argv))
		return cli_plan_check(argc, argv, ctx);
	memset(&c, 0, sizeof(c));
	c.ctx = ctx;
	if ((rc = cli_getopt(&argc, &argv, ctx, opts, "", check_opt, &c)))
		return rc < 0 ? 0 : rc;
	if (argc > 0)
		return cli_usage_error(ctx, _("unexpected argument %s"), argv[0]);
	if ((rc = cli_open_repo(ctx)) != 0)
		return rc;
	c.o.problem = check_problem;
	rc = check_run(ctx->repo, &c.o, &st);
	if (rc < 0 && rc != RP_ECORRUPT) {
		cli_error(_("check failed: %s"), cli_strerror(rc));
		return rc == RP_ELOCKED ? EXIT_LOCKED : EXIT_FAIL;
	}
	if (ctx->json)
		printf("{\"message_type\":\"summary\",\"num_errors\":%llu,"
		       "\"snapshots\":%llu,\"packs\":%llu,\"packs_read\":%llu,"
		       "\"trees\":%llu}\n", (unsigned long long)st.errors,
		       (unsigned long long)st.snapshots,
		       (unsigned long long)st.packs,
		       (unsigned long long)st.packs_read,
		       (unsigned long long)st.trees);
	else if (!ctx->quiet)
		check_report(&st);
	if (st.blobs_damaged && !ctx->json)
		fprintf(stderr, "%s\n", _("'reprise find --blob ID' names the "
					  "files, in every snapshot, that use "
					  "a damaged blob; restore and copy "
					  "the others as usual."));
	if (st.errors)
		return cli_error(ngettext("%llu error found: the repository "
					  "is damaged",
					  "%llu errors found: the repository "
					  "is damaged", st.errors),
				 (unsigned long long)st.errors);
	if (!ctx->quiet && !ctx->json)
		printf("%s\n", _("no errors were found"));
	return EXIT_OK;
}
