/* diff: the CLI face of engine/diff (restic's output and --json). */
#include "cli/cli.h"

#include <stdlib.h>
#include <string.h>

#include "engine/diff.h"
#include "util/err.h"
#include "util/hex.h"
#include "util/jsonw.h"

enum { O_METADATA = 1 };

struct df {
	struct cli_ctx *ctx;
	int metadata;
};

static int diff_opt(int opt, const char *arg, void *data)
{
	struct df *d = data;

	(void)arg;
	if (opt != O_METADATA)
		return EXIT_USAGE;
	d->metadata = 1;
	return 0;
}

static void on_change(const char *path, const char *mod, void *arg)
{
	struct df *d = arg;
	struct buf out = BUF_INIT;
	struct jsonw w;

	if (!d->ctx->json) {
		printf("%-5s%s\n", mod, path);
		return;
	}
	jsonw_init(&w, &out);
	jsonw_obj_begin(&w);
	jsonw_key(&w, "message_type");
	jsonw_str(&w, "change");
	jsonw_key(&w, "path");
	jsonw_str(&w, path);
	jsonw_key(&w, "modifier");
	jsonw_str(&w, mod);
	jsonw_obj_end(&w);
	if (jsonw_finish(&w) == 0)
		printf("%s\n", buf_cstr(&out));
	buf_release(&out);
}

static void side_json(struct jsonw *w, const char *key,
		      const struct diff_side *s)
{
	jsonw_key(w, key);
	jsonw_obj_begin(w);
	jsonw_key(w, "files");
	jsonw_u64(w, s->files);
	jsonw_key(w, "dirs");
	jsonw_u64(w, s->dirs);
	jsonw_key(w, "others");
	jsonw_u64(w, s->others);
	jsonw_key(w, "data_blobs");
	jsonw_u64(w, s->data_blobs);
	jsonw_key(w, "tree_blobs");
	jsonw_u64(w, s->tree_blobs);
	jsonw_key(w, "bytes");
	jsonw_u64(w, s->bytes);
	jsonw_obj_end(w);
}

static void stats_json(const char *from, const char *to,
		       const struct diff_stats *st)
{
	struct buf out = BUF_INIT;
	struct jsonw w;

	jsonw_init(&w, &out);
	jsonw_obj_begin(&w);
	jsonw_key(&w, "message_type");
	jsonw_str(&w, "statistics");
	jsonw_key(&w, "source_snapshot");
	jsonw_strn(&w, from, 8);
	jsonw_key(&w, "target_snapshot");
	jsonw_strn(&w, to, 8);
	jsonw_key(&w, "changed_files");
	jsonw_u64(&w, st->changed_files);
	side_json(&w, "added", &st->added);
	side_json(&w, "removed", &st->removed);
	jsonw_obj_end(&w);
	if (jsonw_finish(&w) == 0)
		printf("%s\n", buf_cstr(&out));
	buf_release(&out);
}

static void stats_text(const struct diff_stats *st)
{
	const struct diff_side *a = &st->added, *r = &st->removed;
	char x[32], y[32];

	printf(_("\nFiles:       %5llu new, %5llu removed, %5llu changed\n"),
	       (unsigned long long)a->files, (unsigned long long)r->files,
	       (unsigned long long)st->changed_files);
	printf(_("Dirs:        %5llu new, %5llu removed\n"),
	       (unsigned long long)a->dirs, (unsigned long long)r->dirs);
	printf(_("Others:      %5llu new, %5llu removed\n"),
	       (unsigned long long)a->others, (unsigned long long)r->others);
	printf(_("Data Blobs:  %5llu new, %5llu removed\n"),
	       (unsigned long long)a->data_blobs,
	       (unsigned long long)r->data_blobs);
	printf(_("Tree Blobs:  %5llu new, %5llu removed\n"),
	       (unsigned long long)a->tree_blobs,
	       (unsigned long long)r->tree_blobs);
	printf(_("  Added:   %s\n  Removed: %s\n"),
	       fmt_size(a->bytes, x, sizeof(x)),
	       fmt_size(r->bytes, y, sizeof(y)));
}

int cmd_diff(int argc, char **argv, struct cli_ctx *ctx)
{
	static const struct option opts[] = {
		{ "metadata", no_argument, NULL, O_METADATA },
		{ NULL, 0, NULL, 0 },
	};
	struct df d;
	struct snapshot a, b;
	struct diff_stats st;
	char ha[65], hb[65];
	int rc;

	memset(&d, 0, sizeof(d));
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	d.ctx = ctx;
	if ((rc = cli_getopt(&argc, &argv, ctx, opts, "", diff_opt, &d)))
		goto out;
	if (argc != 2) {
		rc = cli_usage_error(ctx, _("diff needs two snapshots"));
		goto out;
	}
	if ((rc = cli_open_repo(ctx)) != 0)
		goto out;
	if ((rc = repo_load_index(ctx->repo, NULL)) < 0) {
		rc = cli_error(_("cannot read the repository: %s"),
			       cli_strerror(rc));
		goto out;
	}
	if ((rc = cli_find_snapshot(ctx, argv[0], NULL, &a)) != 0 ||
	    (rc = cli_find_snapshot(ctx, argv[1], NULL, &b)) != 0)
		goto out;
	hex_encode(a.id, 32, ha);
	hex_encode(b.id, 32, hb);
	if (!ctx->json)
		printf(_("comparing snapshot %.8s to %.8s:\n\n"), ha, hb);
	rc = diff_run(ctx->repo, a.tree, b.tree, d.metadata, on_change, &d,
		      &st);
	if (rc < 0) {
		rc = cli_error(_("cannot compare the snapshots: %s"),
			       cli_strerror(rc));
		goto out;
	}
	if (ctx->json)
		stats_json(ha, hb, &st);
	else
		stats_text(&st);
	rc = EXIT_OK;
out:
	snapshot_release(&a);
	snapshot_release(&b);
	return rc < 0 ? EXIT_FAIL : rc;
}
