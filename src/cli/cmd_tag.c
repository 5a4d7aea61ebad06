/* tag: the CLI face of engine/tag (restic's `tag --add|--remove|--set`). */
#include "cli/cli.h"

#include <string.h>

#include "engine/tag.h"
#include "repo/lock.h"
#include "util/err.h"

enum { O_ADD = 1, O_REMOVE, O_SET, O_HOST, O_TAG, O_PATH };

struct tg {
	struct tag_opts o;
	struct snapshot_filter f;
	struct cli_ctx *ctx;
};

static int tag_opt(int opt, const char *arg, void *data)
{
	struct tg *t = data;

	switch (opt) {
	case O_ADD: return cli_split_add(&t->o.add, arg);
	case O_REMOVE: return cli_split_add(&t->o.remove, arg);
	case O_SET: t->o.has_set = 1; return cli_split_add(&t->o.set, arg);
	case O_HOST: return cli_split_add(&t->f.hosts, arg);
	case O_TAG: strlist_add(&t->f.tags, arg); return 0;
	case O_PATH: strlist_add(&t->f.paths, arg); return 0;
	default: return EXIT_USAGE;
	}
}

/* unmatched: the first ID that names no snapshot of v, or NULL. */
static const char *unmatched(const struct snapshot *v, size_t n, char **ids,
			     int nids)
{
	size_t i;
	int k;

	for (k = 0; k < nids; k++) {
		for (i = 0; i < n && !cli_id_named(v[i].id, ids + k, 1); i++)
			;
		if (i == n)
			return ids[k];
	}
	return NULL;
}

/* retag: every chosen snapshot; *modified counts those that changed. */
static int retag(struct tg *t, char **ids, int nids, size_t *modified)
{
	struct snapshot *v;
	const char *missing;
	size_t n, i;
	int rc, changed;

	*modified = 0;
	if ((rc = snapshot_load_all(t->ctx->repo, &v, &n, NULL)) < 0)
		return cli_error(_("cannot read snapshots: %s"),
				 cli_strerror(rc));
	if ((missing = unmatched(v, n, ids, nids)) != NULL) {
		rc = cli_error(_("no snapshot matches '%s' (a retagged "
				 "snapshot has a new ID: see 'reprise "
				 "snapshots')"), missing);
		snapshot_list_free(v, n);
		return rc;
	}
	for (i = 0; i < n && rc == 0; i++) {
		if (!cli_id_named(v[i].id, ids, (size_t)nids) ||
		    !snapshot_match(&v[i], &t->f))
			continue;
		rc = tag_apply(t->ctx->repo, &v[i], &t->o, &changed);
		*modified += (size_t)changed;
	}
	snapshot_list_free(v, n);
	if (rc < 0)
		return cli_error(_("cannot change the tags: %s (changed before "
				   "the error: %zu)"), cli_strerror(rc),
				 *modified);
	return 0;
}

static void tg_release(struct tg *t)
{
	strlist_release(&t->o.add);
	strlist_release(&t->o.remove);
	strlist_release(&t->o.set);
	strlist_release(&t->f.hosts);
	strlist_release(&t->f.tags);
	strlist_release(&t->f.paths);
}

int cmd_tag(int argc, char **argv, struct cli_ctx *ctx)
{
	static const struct option opts[] = {
		{ "add", required_argument, NULL, O_ADD },
		{ "remove", required_argument, NULL, O_REMOVE },
		{ "set", required_argument, NULL, O_SET },
		{ "host", required_argument, NULL, O_HOST },
		{ "tag", required_argument, NULL, O_TAG },
		{ "path", required_argument, NULL, O_PATH },
		{ NULL, 0, NULL, 0 },
	};
	struct tg t;
	struct repo_lock *lock = NULL;
	size_t modified = 0;
	int rc, i;

	memset(&t, 0, sizeof(t));
	t.ctx = ctx;
	rc = cli_getopt(&argc, &argv, ctx, opts, "", tag_opt, &t);
	if (rc == 0 && !t.o.has_set && t.o.add.n == 0 && t.o.remove.n == 0)
		rc = cli_usage_error(ctx, _("say what to do with --add, "
					    "--remove or --set"));
	if (rc == 0 && t.o.has_set && (t.o.add.n || t.o.remove.n))
		rc = cli_usage_error(ctx, _("--set cannot be combined with "
					    "--add or --remove"));
	for (i = 0; rc == 0 && i < argc; i++)
		if (!cli_is_id_prefix(argv[i]))
			rc = cli_usage_error(ctx, _("a snapshot ID is "
				"hexadecimal, not '%s'"), argv[i]);
	if (rc == 0 && (rc = cli_open_repo(ctx)) == 0 &&
	    (rc = lock_take(ctx->repo, 1, &lock)) < 0)
		rc = cli_error(_("the repository is locked: %s"),
			       cli_strerror(rc)) + EXIT_LOCKED - EXIT_FAIL;
	if (rc == 0)
		rc = retag(&t, argv, argc, &modified);
	if (rc == 0 && !ctx->quiet)
		printf(ngettext("modified tags on %zu snapshot\n",
				"modified tags on %zu snapshots\n", modified),
		       modified);
	lock_release(lock);
	tg_release(&t);
	return rc < 0 ? EXIT_FAIL : rc;
}
