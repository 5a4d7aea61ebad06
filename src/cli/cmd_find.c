/*
 * find: where a file is across the snapshots, as restic's find.
 *
 * By name (the default): each PATTERN is matched with restic's rules (the
 * same matcher as --exclude) against every path of every selected snapshot
 * and against the folders above it, so that "find x" lists the folder x and
 * everything in it, as restic does; -i ignores case; -O/-N keep entries
 * modified in a time range.  --blob ID: the files whose content uses a
 * blob whose ID starts with ID (after `check` named a damaged blob: which
 * files, in which snapshots, does it touch?).  --tree ID: where a tree is.
 *
 * Snapshots are searched from the oldest to the newest; --json prints
 * restic's shapes (one object per snapshot with its matches; one object
 * per place a blob or tree was found).
 */
#include "cli/cli.h"

#include <stdlib.h>
#include <string.h>

#include "engine/backup.h"
#include "repo/tree.h"
#include "util/err.h"
#include "util/gostr.h"
#include "util/hex.h"
#include "util/jsonw.h"
#include "util/xmalloc.h"

enum {
	O_HOST = 1, O_TAG, O_PATH, O_SNAP, O_OLDEST, O_NEWEST, O_BLOB, O_TREE,
};

struct fnd {
	struct snapshot_filter f;
	struct strlist snaps;      /* -s: only these snapshots */
	struct strlist pats;
	int icase, longfmt, blob, tree;
	int64_t oldest, newest;    /* 0: no bound */
	struct cli_ctx *ctx;
	/* the snapshot being searched */
	const struct snapshot *s;
	size_t hits;
	int errors, printed;
	struct jsonw *w;
};

static int find_opt(int opt, const char *arg, void *data)
{
	struct fnd *f = data;
	int64_t *t = opt == 'O' ? &f->oldest : &f->newest;

	switch (opt) {
	case 'H': return cli_split_add(&f->f.hosts, arg);
	case O_TAG: strlist_add(&f->f.tags, arg); return 0;
	case O_PATH: strlist_add(&f->f.paths, arg); return 0;
	case 's': strlist_add(&f->snaps, arg); return 0;
	case 'i': f->icase = 1; return 0;
	case 'l': f->longfmt = 1; return 0;
	case O_BLOB: f->blob = 1; return 0;
	case O_TREE: f->tree = 1; return 0;
	case 'O': case 'N':
		if (cli_parse_when(arg, t) < 0)
			return cli_usage_error(f->ctx, _("-O/--oldest and "
				"-N/--newest take a local time such as "
				"\"2026-01-31\" or \"2026-01-31 18:00\", not "
				"'%s'"), arg);
		return 0;
	default: return EXIT_USAGE;
	}
}

/* ---- by name ---- */

static void snapshot_header(struct fnd *f)
{
	char hex[65], when[32];

	if (f->ctx->json) {
		jsonw_obj_begin(f->w);
		jsonw_key(f->w, "matches");
		jsonw_arr_begin(f->w);
		return;
	}
	hex_encode(f->s->id, 32, hex);
	printf(_("%sFound matching entries in snapshot %.8s from %s\n"),
	       f->printed ? "\n" : "", hex,
	       fmt_time(f->s->time.sec, when, sizeof(when)));
}

/* go_perms: Go's FileMode.String(), as restic prints "permissions":
 * one letter per type or special bit ("dalTLDpSugct?"), then rwx. */
static void go_perms(uint32_t m, char out[24])
{
	static const char bits[] = "dalTLDpSugct?";
	size_t i, w = 0;

	for (i = 0; i < sizeof(bits) - 1; i++)
		if (m & (1u << (31 - i)))
			out[w++] = bits[i];
	if (w == 0)
		out[w++] = '-';
	for (i = 0; i < 9; i++)
		out[w++] = (m & (1u << (8 - i))) ? "rwxrwxrwx"[i] : '-';
	out[w] = '\0';
}

static void json_time(struct jsonw *w, const char *key,
		      const struct gotime *g)
{
	struct buf t = BUF_INIT;

	gostr_time_format(&t, g);
	jsonw_key(w, key);
	jsonw_str(w, buf_cstr(&t));
	buf_release(&t);
}

/* json_u64_nz: a number restic leaves out when it is 0 (omitempty). */
static void json_u64_nz(struct jsonw *w, const char *key, uint64_t v)
{
	if (v == 0)
		return;
	jsonw_key(w, key);
	jsonw_u64(w, v);
}

/* match_json: the fields restic's find --json gives a match, left out
 * where restic leaves them out (empty or zero). */
static void match_json(struct fnd *f, const char *path, const struct node *n)
{
	struct jsonw *w = f->w;
	char perms[24];

	go_perms(n->mode, perms);
	jsonw_obj_begin(w);
	jsonw_key(w, "path");
	jsonw_str(w, path);
	jsonw_key(w, "permissions");
	jsonw_str(w, perms);
	jsonw_key(w, "type");
	jsonw_str(w, node_type_name(n->type));
	json_u64_nz(w, "mode", n->mode);
	json_time(w, "mtime", &n->mtime);
	json_time(w, "atime", &n->atime);
	json_time(w, "ctime", &n->ctime);
	jsonw_key(w, "uid");
	jsonw_u64(w, n->uid);
	jsonw_key(w, "gid");
	jsonw_u64(w, n->gid);
	if (n->user && *n->user) {
		jsonw_key(w, "user");
		jsonw_str(w, n->user);
	}
	if (n->group && *n->group) {
		jsonw_key(w, "group");
		jsonw_str(w, n->group);
	}
	json_u64_nz(w, "device_id", n->device_id);
	json_u64_nz(w, "size", n->size);
	json_u64_nz(w, "links", n->links);
	if (n->linktarget_len) {
		jsonw_key(w, "linktarget");
		jsonw_strn(w, (const char *)n->linktarget, n->linktarget_len);
	}
	jsonw_obj_end(w);
}

/* name_match: path matches, or (above) a folder of it did; returns
 * whether the path itself matches, for what the folder holds. */
static int name_match(struct fnd *f, const char *path, const struct node *n,
		      int above)
{
	char when[32];
	int hit = above || backup_excluded(&f->pats, path, f->icase);

	if (!hit || (f->oldest && n->mtime.sec < f->oldest) ||
	    (f->newest && n->mtime.sec > f->newest))
		return hit;
	if (f->hits++ == 0)
		snapshot_header(f);
	if (f->ctx->json)
		match_json(f, path, n);
	else if (f->longfmt)
		printf("%c%04o %5u %5u %12llu %s %s\n", "-dlbcps?"[n->type],
		       gomode_to_unix(n->mode), n->uid, n->gid,
		       (unsigned long long)n->size,
		       fmt_time(n->mtime.sec, when, sizeof(when)), path);
	else
		printf("%s\n", path);
	return hit;
}

/* ---- by blob or tree ID ---- */

static int id_hit(const struct fnd *f, const uint8_t id[32], char hex[65])
{
	hex_encode(id, 32, hex);
	return cli_id_named(id, f->pats.v, f->pats.n);
}

static void id_found(struct fnd *f, const char *what, const char *hex,
		     const char *path, const uint8_t parent[32])
{
	char snap[65], ptree[65], when[32];

	hex_encode(f->s->id, 32, snap);
	hex_encode(parent, 32, ptree);
	f->hits++;
	if (!f->ctx->json) {
		printf(_("Found %s %s\n ... in %s\n     (tree %s)\n ... in "
			 "snapshot %.8s (%s)\n"), what, hex, path, ptree, snap,
		       fmt_time(f->s->time.sec, when, sizeof(when)));
		return;
	}
	jsonw_obj_begin(f->w);
	jsonw_key(f->w, "object_type");
	jsonw_str(f->w, what);
	jsonw_key(f->w, "id");
	jsonw_str(f->w, hex);
	jsonw_key(f->w, "path");
	jsonw_str(f->w, path);
	jsonw_key(f->w, "parent_tree");
	jsonw_str(f->w, ptree);
	jsonw_key(f->w, "snapshot");
	jsonw_str(f->w, snap);
	json_time(f->w, "time", &f->s->time);
	jsonw_obj_end(f->w);
}

static void id_match(struct fnd *f, const char *path, const struct node *n,
		     const uint8_t parent[32])
{
	char hex[65];
	size_t k;

	for (k = 0; f->blob && k < n->ncontent; k++)
		if (id_hit(f, n->content[k], hex))
			id_found(f, "blob", hex, path, parent);
	if (f->tree && n->type == NODE_DIR && n->has_subtree &&
	    id_hit(f, n->subtree, hex))
		id_found(f, "tree", hex, path, parent);
}

/* ---- the walk ---- */

/* find_tree: the nodes below tree id; above: a folder over them matched
 * the patterns (then everything below it does, as restic matches). */
static void find_tree(struct fnd *f, const uint8_t id[32], struct buf *path,
		      int above)
{
	struct tree t;
	size_t i, len = path->len;
	int rc;

	tree_init(&t);
	rc = repo_load_tree(f->ctx->repo, id, &t);
	if (rc < 0) {
		cli_error(_("cannot read the tree at %s: %s"),
			  path->len ? buf_cstr(path) : "/", cli_strerror(rc));
		f->errors++;
	}
	for (i = 0; rc == 0 && i < t.n; i++) {
		const struct node *n = &t.nodes[i];
		int hit = 0;

		buf_addc(path, '/');
		buf_add(path, n->name, n->name_len);
		if (f->blob || f->tree)
			id_match(f, buf_cstr(path), n, id);
		else
			hit = name_match(f, buf_cstr(path), n, above);
		if (n->type == NODE_DIR && n->has_subtree)
			find_tree(f, n->subtree, path, hit);
		buf_truncate(path, len);
	}
	tree_release(&t);
}

static int chosen(const struct fnd *f, const struct snapshot *s)
{
	if (f->snaps.n == 0)
		return snapshot_match(s, &f->f);
	return cli_id_named(s->id, f->snaps.v, f->snaps.n);
}

static void find_snapshot(struct fnd *f, const struct snapshot *s)
{
	struct buf path = BUF_INIT;
	char hex[65];

	f->s = s;
	f->hits = 0;
	if (f->tree && id_hit(f, s->tree, hex))
		id_found(f, "tree", hex, "/", s->tree);
	find_tree(f, s->tree, &path, 0);
	buf_release(&path);
	if (f->hits && !f->blob && !f->tree) {
		if (f->ctx->json) {
			jsonw_arr_end(f->w);
			jsonw_key(f->w, "hits");
			jsonw_u64(f->w, f->hits);
			jsonw_key(f->w, "snapshot");
			hex_encode(s->id, 32, hex);
			jsonw_str(f->w, hex);
			jsonw_obj_end(f->w);
		}
		f->printed = 1;
	}
}

static void fnd_release(struct fnd *f)
{
	strlist_release(&f->f.hosts);
	strlist_release(&f->f.tags);
	strlist_release(&f->f.paths);
	strlist_release(&f->snaps);
	strlist_release(&f->pats);
}

int cmd_find(int argc, char **argv, struct cli_ctx *ctx)
{
	static const struct option opts[] = {
		{ "host", required_argument, NULL, 'H' },
		{ "tag", required_argument, NULL, O_TAG },
		{ "path", required_argument, NULL, O_PATH },
		{ "snapshot", required_argument, NULL, 's' },
		{ "ignore-case", no_argument, NULL, 'i' },
		{ "long", no_argument, NULL, 'l' },
		{ "oldest", required_argument, NULL, 'O' },
		{ "newest", required_argument, NULL, 'N' },
		{ "blob", no_argument, NULL, O_BLOB },
		{ "tree", no_argument, NULL, O_TREE },
		{ NULL, 0, NULL, 0 },
	};
	struct fnd f;
	struct snapshot *v = NULL;
	struct buf out = BUF_INIT;
	struct jsonw w;
	size_t n = 0, i;
	int rc, k;

	memset(&f, 0, sizeof(f));
	f.ctx = ctx;
	f.w = &w;
	jsonw_init(&w, &out);
	rc = cli_getopt(&argc, &argv, ctx, opts, "H:s:ilO:N:", find_opt, &f);
	if (rc == 0 && argc == 0)
		rc = cli_usage_error(ctx, _("find needs a pattern"));
	if (rc == 0 && f.blob && f.tree)
		rc = cli_usage_error(ctx, _("--blob and --tree exclude each "
					    "other"));
	for (k = 0; rc == 0 && k < argc; k++) {
		if ((f.blob || f.tree) && !cli_is_id_prefix(argv[k]))
			rc = cli_usage_error(ctx, _("a blob or tree ID is "
						    "hexadecimal, not '%s'"),
					     argv[k]);
		strlist_add(&f.pats, argv[k]);
	}
	if (rc == 0)
		rc = cli_open_repo(ctx);
	if (rc == 0 && ((rc = repo_load_index(ctx->repo, NULL)) < 0 ||
			(rc = snapshot_load_all(ctx->repo, &v, &n, NULL)) < 0))
		rc = cli_error(_("cannot read the repository: %s"),
			       cli_strerror(rc));
	if (rc != 0)
		goto out;
	jsonw_arr_begin(&w);
	for (i = 0; i < n; i++)
		if (chosen(&f, &v[i]))
			find_snapshot(&f, &v[i]);
	jsonw_arr_end(&w);
	if (ctx->json && jsonw_finish(&w) == 0)
		printf("%s\n", buf_cstr(&out));
	rc = f.errors ? EXIT_FAIL : EXIT_OK;
out:
	snapshot_list_free(v, n);
	buf_release(&out);
	fnd_release(&f);
	return rc < 0 ? EXIT_FAIL : rc;
}
