/* snapshots, ls, cat, stats: reading what a repository holds. */
#include "cli/cli.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crypto/crypto.h"
#include "engine/dump.h"
#include "engine/forget.h"
#include "engine/walk.h"
#include "repo/tree.h"
#include "util/err.h"
#include "util/hex.h"
#include "util/jsonw.h"
#include "util/xmalloc.h"

enum { O_HOST = 1, O_TAG, O_PATH, O_LONG, O_MODE, O_LATEST };

struct filt {
	struct snapshot_filter f;
	int longfmt;
	const char *mode;
	int latest;             /* snapshots --latest N; 0: all */
	struct cli_ctx *ctx;
};

static int filt_opt(int opt, const char *arg, void *data)
{
	struct filt *f = data;

	switch (opt) {
	case O_HOST: return cli_split_add(&f->f.hosts, arg);
	case O_TAG: strlist_add(&f->f.tags, arg); return 0;
	case O_PATH: strlist_add(&f->f.paths, arg); return 0;
	case 'l': f->longfmt = 1; return 0;
	case O_MODE: f->mode = arg; return 0;
	case O_LATEST: {
		char *end;
		long v = strtol(arg, &end, 10);

		if (*arg == '\0' || *end || v < 1 || v > 1000000)
			return cli_usage_error(f->ctx, _("--latest takes a "
				"number of 1 or more, not '%s'"), arg);
		f->latest = (int)v;
		return 0;
	}
	default: return EXIT_USAGE;
	}
}

static const struct option filt_opts[] = {
	{ "host", required_argument, NULL, O_HOST },
	{ "tag", required_argument, NULL, O_TAG },
	{ "path", required_argument, NULL, O_PATH },
	{ "long", no_argument, NULL, 'l' },
	{ "mode", required_argument, NULL, O_MODE },
	{ NULL, 0, NULL, 0 },
};

static void filt_release(struct filt *f)
{
	strlist_release(&f->f.hosts);
	strlist_release(&f->f.tags);
	strlist_release(&f->f.paths);
}

static void list_json(struct jsonw *w, const char *key, const struct strlist *l)
{
	size_t i;

	if (l->n == 0)
		return;
	jsonw_key(w, key);
	jsonw_arr_begin(w);
	for (i = 0; i < l->n; i++)
		jsonw_str(w, l->v[i]);
	jsonw_arr_end(w);
}

static void snapshot_json(struct jsonw *w, const struct snapshot *s)
{
	struct buf t = BUF_INIT;
	char hex[65];

	gostr_time_format(&t, &s->time);
	jsonw_obj_begin(w);
	jsonw_key(w, "time");
	jsonw_str(w, buf_cstr(&t));
	if (s->has_parent) {
		jsonw_key(w, "parent");
		jsonw_hex(w, s->parent, 32);
	}
	jsonw_key(w, "tree");
	jsonw_hex(w, s->tree, 32);
	list_json(w, "paths", &s->paths);
	jsonw_key(w, "hostname");
	jsonw_str(w, s->hostname ? s->hostname : "");
	jsonw_key(w, "username");
	jsonw_str(w, s->username ? s->username : "");
	list_json(w, "tags", &s->tags);
	list_json(w, "excludes", &s->excludes);
	if (s->has_original) {
		jsonw_key(w, "original");
		jsonw_hex(w, s->original, 32);
	}
	hex_encode(s->id, 32, hex);
	jsonw_key(w, "id");
	jsonw_str(w, hex);
	jsonw_key(w, "short_id");
	jsonw_strn(w, hex, 8);
	jsonw_obj_end(w);
	buf_release(&t);
}

static void snapshot_line(const struct snapshot *s)
{
	char hex[65], when[32];
	struct buf tags = BUF_INIT;
	size_t i;

	hex_encode(s->id, 32, hex);
	for (i = 0; i < s->tags.n; i++)
		buf_addf(&tags, "%s%s", i ? "," : "", s->tags.v[i]);
	printf("%.8s  %s  %-12s %-12s", hex, fmt_time(s->time.sec, when,
	       sizeof(when)), s->hostname ? s->hostname : "", buf_cstr(&tags));
	for (i = 0; i < s->paths.n; i++)
		printf("%s%s\n", i ? "                                     "
				      "                           " : "",
		       s->paths.v[i]);
	if (s->paths.n == 0)
		putchar('\n');
	buf_release(&tags);
}

/* shown_marks: which of v[0..n) snapshots shows: those the filter
 * matches (and the IDs name, if any), and with --latest N only the newest
 * N of each host and set of paths (forget's grouping and its keep-last
 * rule decide). */
static unsigned char *shown_marks(const struct filt *f,
				  const struct snapshot *v, size_t n,
				  char **ids, int nids)
{
	unsigned char *show = xcalloc(n + 1, 1);
	struct snapshot *m = xcalloc(n + 1, sizeof(*m));
	size_t *at = xcalloc(n + 1, sizeof(*at));
	struct forget_policy p;
	struct forget_item *items;
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		if (snapshot_match(&v[i], &f->f) &&
		    cli_id_named(v[i].id, ids, (size_t)nids)) {
			m[k] = v[i];       /* a shallow copy, never freed */
			at[k++] = i;
			show[i] = 1;
		}
	if (f->latest && k) {
		memset(&p, 0, sizeof(p));
		p.last = f->latest;
		p.group_host = p.group_paths = 1;
		forget_plan(&p, m, k, &items);
		for (i = 0; i < k; i++)
			if (items[i].reasons == 0)
				show[at[items[i].s - m]] = 0;
		free(items);
	}
	free(m);
	free(at);
	return show;
}

int cmd_snapshots(int argc, char **argv, struct cli_ctx *ctx)
{
	static const struct option opts[] = {
		{ "host", required_argument, NULL, O_HOST },
		{ "tag", required_argument, NULL, O_TAG },
		{ "path", required_argument, NULL, O_PATH },
		{ "latest", required_argument, NULL, O_LATEST },
		{ NULL, 0, NULL, 0 },
	};
	struct filt f;
	struct snapshot *v;
	unsigned char *show;
	struct buf out = BUF_INIT;
	struct jsonw w;
	size_t n, i, shown = 0;
	int rc;

	memset(&f, 0, sizeof(f));
	f.ctx = ctx;
	if ((rc = cli_getopt(&argc, &argv, ctx, opts, "", filt_opt, &f)))
		goto out;
	for (i = 0; i < (size_t)argc; i++)
		if (!cli_is_id_prefix(argv[i])) {
			rc = cli_usage_error(ctx, _("a snapshot ID is "
				"hexadecimal, not '%s'"), argv[i]);
			goto out;
		}
	if ((rc = cli_open_repo(ctx)) != 0)
		goto out;
	if ((rc = snapshot_load_all(ctx->repo, &v, &n, NULL)) < 0) {
		rc = cli_error(_("cannot list snapshots: %s"), cli_strerror(rc));
		goto out;
	}
	jsonw_init(&w, &out);
	jsonw_arr_begin(&w);
	if (!ctx->json)
		printf("%-8s  %-19s  %-12s %-12s %s\n%s\n", "ID", _("Time"),
		       _("Host"), _("Tags"), _("Paths"),
		       "------------------------------------------------------"
		       "-------------------");
	show = shown_marks(&f, v, n, argv, argc);
	for (i = 0; i < n; i++) {
		if (!show[i])
			continue;
		shown++;
		if (ctx->json)
			snapshot_json(&w, &v[i]);
		else
			snapshot_line(&v[i]);
	}
	jsonw_arr_end(&w);
	if (ctx->json && jsonw_finish(&w) == 0) {
		printf("%s\n", buf_cstr(&out));
	} else if (!ctx->json) {
		printf("------------------------------------------------------"
		       "-------------------\n\n");
		printf(ngettext("%zu snapshot\n", "%zu snapshots\n", shown),
		       shown);
	}
	free(show);
	snapshot_list_free(v, n);
	buf_release(&out);
out:
	filt_release(&f);
	return rc < 0 ? 0 : rc;
}

struct ls_state {
	struct cli_ctx *ctx;
	const char *under;
	int longfmt, errors;
};

static int under(const char *path, const char *prefix)
{
	size_t n;

	if (prefix == NULL)
		return 1;
	n = strlen(prefix);
	while (n > 1 && prefix[n - 1] == '/')
		n--;
	return strncmp(path, prefix, n) == 0 &&
	       (path[n] == '/' || path[n] == '\0');
}

static void node_json(const char *path, const struct node *n)
{
	struct buf out = BUF_INIT, t = BUF_INIT;
	struct jsonw w;

	jsonw_init(&w, &out);
	jsonw_obj_begin(&w);
	jsonw_key(&w, "name");
	jsonw_strn(&w, (const char *)n->name, n->name_len);
	jsonw_key(&w, "type");
	jsonw_str(&w, node_type_name(n->type));
	jsonw_key(&w, "path");
	jsonw_str(&w, path);
	jsonw_key(&w, "uid");
	jsonw_u64(&w, n->uid);
	jsonw_key(&w, "gid");
	jsonw_u64(&w, n->gid);
	jsonw_key(&w, "size");
	jsonw_u64(&w, n->size);
	jsonw_key(&w, "mode");
	jsonw_u64(&w, n->mode);
	gostr_time_format(&t, &n->mtime);
	jsonw_key(&w, "mtime");
	jsonw_str(&w, buf_cstr(&t));
	jsonw_key(&w, "struct_type");
	jsonw_str(&w, "node");
	jsonw_obj_end(&w);
	if (jsonw_finish(&w) == 0)
		printf("%s\n", buf_cstr(&out));
	buf_release(&out);
	buf_release(&t);
}

static int ls_node(const char *path, const struct node *n, int err, void *arg)
{
	struct ls_state *s = arg;
	char when[32];

	if (n == NULL) {
		cli_error(_("cannot read the tree at %s: %s"), path,
			  cli_strerror(err));
		s->errors++;
		return 0;
	}
	if (!under(path, s->under))
		return 0;
	if (s->ctx->json)
		node_json(path, n);
	else if (s->longfmt)
		printf("%c%04o %5u %5u %12llu %s %s\n",
		       "-dlbcps?"[n->type],
		       gomode_to_unix(n->mode), n->uid, n->gid,
		       (unsigned long long)n->size,
		       fmt_time(n->mtime.sec, when, sizeof(when)), path);
	else
		printf("%s\n", path);
	return 0;
}

int cmd_ls(int argc, char **argv, struct cli_ctx *ctx)
{
	struct filt f;
	struct snapshot s;
	struct ls_state st;
	int rc;

	memset(&f, 0, sizeof(f));
	memset(&s, 0, sizeof(s));
	if ((rc = cli_getopt(&argc, &argv, ctx, filt_opts, "l", filt_opt, &f)))
		goto out;
	if (argc < 1 || argc > 2) {
		rc = cli_usage_error(ctx, _("ls needs a snapshot"));
		goto out;
	}
	if ((rc = cli_open_repo(ctx)) != 0 ||
	    (rc = repo_load_index(ctx->repo, NULL)) < 0 ||
	    (rc = cli_find_snapshot(ctx, argv[0], &f.f, &s)) != 0)
		goto out;
	memset(&st, 0, sizeof(st));
	st.ctx = ctx;
	st.under = argc == 2 ? argv[1] : NULL;
	st.longfmt = f.longfmt;
	walk_tree(ctx->repo, s.tree, "", ls_node, &st);
	rc = st.errors ? EXIT_FAIL : EXIT_OK;
out:
	snapshot_release(&s);
	filt_release(&f);
	return rc < 0 ? EXIT_FAIL : rc;
}

/* ---- dump ---- */

static int dump_report(struct cli_ctx *ctx, const char *path, int rc,
		       uint64_t written)
{
	(void)ctx;
	if (rc == RP_EINVAL)
		return cli_error(_("%s is not a file: only files can be "
				   "dumped; restore a folder with 'reprise "
				   "restore SNAPSHOT --include %s --target "
				   "DIR'"), path, path);
	if (rc < 0 && written == 0)
		return cli_error(_("cannot dump %s: %s"), path,
				 cli_strerror(rc));
	if (rc < 0)
		return cli_error(_("dump of %s stopped after %llu bytes: %s; "
				   "what was written is only the start of the "
				   "file"), path, (unsigned long long)written,
				 cli_strerror(rc));
	return EXIT_OK;
}

int cmd_dump(int argc, char **argv, struct cli_ctx *ctx)
{
	struct filt f;
	struct snapshot s;
	struct node n;
	uint64_t written = 0;
	char hex[65];
	int rc;

	memset(&f, 0, sizeof(f));
	memset(&s, 0, sizeof(s));
	memset(&n, 0, sizeof(n));
	if ((rc = cli_getopt(&argc, &argv, ctx, filt_opts, "", filt_opt, &f)))
		goto out;
	if (argc != 2) {
		rc = cli_usage_error(ctx, _("dump needs a snapshot and the "
					    "path of a file in it"));
		goto out;
	}
	if ((rc = cli_open_repo(ctx)) != 0 ||
	    (rc = repo_load_index(ctx->repo, NULL)) < 0 ||
	    (rc = cli_find_snapshot(ctx, argv[0], &f.f, &s)) != 0)
		goto out;
	rc = dump_find(ctx->repo, s.tree, argv[1], &n);
	if (rc == RP_ENOTFOUND) {
		hex_encode(s.id, 32, hex);
		rc = cli_error(_("%s is not in snapshot %.8s (see 'reprise ls "
				 "%.8s')"), argv[1], hex, hex);
		goto out;
	}
	if (rc == 0)
		rc = dump_file(ctx->repo, &n, STDOUT_FILENO, &written);
	rc = dump_report(ctx, argv[1], rc, written);
out:
	node_release(&n);
	snapshot_release(&s);
	filt_release(&f);
	return rc < 0 ? EXIT_FAIL : rc;
}

/* ---- cat ---- */

static int cat_unpacked(struct cli_ctx *ctx, enum be_type t, const char *id)
{
	char name[65];
	struct buf out = BUF_INIT;
	int rc = repo_find(ctx->repo, t, id, name);

	if (rc < 0)
		return cli_error(_("no single file matches '%s'"), id);
	if (t == BE_KEY)
		rc = ctx->be->ops->get(ctx->be, t, name, 0, 0, &out);
	else
		rc = repo_load_unpacked(ctx->repo, t, name, &out);
	if (rc == 0)
		fwrite(out.p, 1, out.len, stdout);
	buf_release(&out);
	if (rc < 0)
		return cli_error(_("cannot read %s: %s"), name, cli_strerror(rc));
	return EXIT_OK;
}

static int cat_blob(struct cli_ctx *ctx, enum blob_type t, const char *id)
{
	uint8_t bid[32];
	struct buf out = BUF_INIT;
	int rc;

	if (hex_decode(id, strlen(id), bid, 32) < 0)
		return cli_usage_error(ctx, _("a blob ID has 64 hex digits"));
	if ((rc = repo_load_index(ctx->repo, NULL)) == 0)
		rc = repo_load_blob(ctx->repo, t, bid, &out);
	if (rc == 0)
		fwrite(out.p, 1, out.len, stdout);
	buf_release(&out);
	if (rc < 0)
		return cli_error(_("cannot read %s blob %s: %s"),
				 blob_type_name(t), id, cli_strerror(rc));
	return EXIT_OK;
}

static int cat_pack(struct cli_ctx *ctx, const char *id)
{
	char name[65];
	struct buf out = BUF_INIT;
	int rc = repo_find(ctx->repo, BE_PACK, id, name);

	if (rc < 0)
		return cli_error(_("no single pack matches '%s'"), id);
	out.max = (size_t)1 << 31;
	rc = ctx->be->ops->get(ctx->be, BE_PACK, name, 0, 0, &out);
	if (rc == 0)
		fwrite(out.p, 1, out.len, stdout);
	buf_release(&out);
	return rc < 0 ? cli_error(_("cannot read pack %s: %s"), name,
				  cli_strerror(rc)) : EXIT_OK;
}

int cmd_cat(int argc, char **argv, struct cli_ctx *ctx)
{
	struct buf out = BUF_INIT;
	int rc;

	if ((rc = cli_getopt(&argc, &argv, ctx, NULL, "", NULL, NULL)))
		return rc < 0 ? 0 : rc;
	if (argc < 1)
		return cli_usage_error(ctx, _("what to print?"));
	if ((rc = cli_open_repo(ctx)) != 0)
		return rc;
	if (strcmp(argv[0], "config") == 0) {
		rc = repo_config_json(ctx->repo, &out);
		if (rc == 0)
			printf("%s\n", buf_cstr(&out));
		buf_release(&out);
		return rc < 0 ? cli_error("%s", cli_strerror(rc)) : EXIT_OK;
	}
	if (argc != 2)
		return cli_usage_error(ctx, _("cat %s needs an ID"), argv[0]);
	if (strcmp(argv[0], "index") == 0)
		return cat_unpacked(ctx, BE_INDEX, argv[1]);
	if (strcmp(argv[0], "snapshot") == 0)
		return cat_unpacked(ctx, BE_SNAPSHOT, argv[1]);
	if (strcmp(argv[0], "key") == 0)
		return cat_unpacked(ctx, BE_KEY, argv[1]);
	if (strcmp(argv[0], "lock") == 0)
		return cat_unpacked(ctx, BE_LOCK, argv[1]);
	if (strcmp(argv[0], "pack") == 0)
		return cat_pack(ctx, argv[1]);
	if (strcmp(argv[0], "blob") == 0)
		return cat_blob(ctx, BLOB_DATA, argv[1]);
	if (strcmp(argv[0], "tree") == 0)
		return cat_blob(ctx, BLOB_TREE, argv[1]);
	return cli_usage_error(ctx, _("cannot print '%s'"), argv[0]);
}

/* ---- stats ---- */

/* stats as restic 0.14 counts them.  restore-size: every node of each
 * snapshot (files, directories, links...), a subtree met twice in one
 * snapshot counted once, sizes of files, a hard-linked file's size once.
 * files-by-contents: the nodes with distinct contents (the list of their
 * blob IDs; every node without content shares the empty list), with their
 * sizes.  blobs-per-file: of those, each path once and each blob once per
 * path, with the blobs' plaintext sizes.  raw-data: the distinct blobs
 * (data and trees) the snapshots use, by their size in the packs. */
enum stats_mode { ST_RESTORE, ST_CONTENTS, ST_BLOBS, ST_RAW };

struct stats_state {
	uint64_t files, bytes, blobs, blob_bytes;
	struct index seen;      /* raw-data: blobs counted, all snapshots;
				 * files-by-contents and blobs-per-file: the
				 * contents, paths and (path, blob) pairs */
	enum stats_mode mode;
	struct repo *r;
};

static void count_blob(struct stats_state *s, const uint8_t id[32],
		       enum blob_type t)
{
	struct pack_blob b;

	if (!index_reserve(&s->seen, id, t))
		return;
	s->blobs++;
	if (index_lookup(&s->r->idx, id, t, &b, NULL))
		s->blob_bytes += b.length;
}

/* first_link: 1 unless another link of this inode was counted. */
static int first_link(const struct node *n, struct index *trees)
{
	uint8_t key[32];

	if (n->links < 2)
		return 1;
	memset(key, 0xff, sizeof(key));
	memcpy(key, &n->device_id, 8);
	memcpy(key + 8, &n->inode, 8);
	return index_reserve(trees, key, BLOB_DATA);
}

/* seen_once: 1 the first time the SHA-256 of p[0..n) (with a kind byte,
 * so that contents, paths and pairs never collide) is asked. */
static int seen_once(struct stats_state *s, char kind, const void *p,
		     size_t n)
{
	struct crypto_sha256_ctx *ctx = crypto_sha256_new();
	uint8_t key[32];

	crypto_sha256_update(ctx, &kind, 1);
	crypto_sha256_update(ctx, p, n);
	crypto_sha256_final(ctx, key);
	return index_reserve(&s->seen, key, BLOB_DATA);
}

/* count_contents: files-by-contents and blobs-per-file for one node. */
static void count_contents(struct stats_state *s, const struct node *n,
			   const uint8_t *path, size_t plen)
{
	uint8_t pair[32 + 4096];
	struct pack_blob b;
	size_t k;

	if (!seen_once(s, 'c', n->content, n->ncontent * 32))
		return;
	if (s->mode == ST_CONTENTS) {
		s->files++;
		s->bytes += n->size;
		return;
	}
	if (plen > sizeof(pair) - 32)
		plen = sizeof(pair) - 32;
	memcpy(pair + 32, path, plen);
	for (k = 0; k < n->ncontent; k++) {
		if (k == 0 && seen_once(s, 'p', path, plen))
			s->files++;
		memcpy(pair, n->content[k], 32);
		if (!seen_once(s, 'b', pair, 32 + plen))
			continue;
		s->blobs++;
		if (index_lookup(&s->r->idx, n->content[k], BLOB_DATA, &b,
				 NULL))
			s->bytes += b.ulen ? b.ulen
					   : b.length - CRYPTO_OVERHEAD;
	}
}

static void stats_node(struct stats_state *s, const struct node *n,
		       struct buf *path, struct index *trees);

static void stats_tree(struct stats_state *s, const uint8_t id[32],
		       struct buf *path, struct index *trees)
{
	struct tree t;
	size_t i;

	if (!index_reserve(trees, id, BLOB_TREE))
		return; /* this subtree was met already in this snapshot */
	if (s->mode == ST_RAW)
		count_blob(s, id, BLOB_TREE);
	tree_init(&t);
	if (repo_load_tree(s->r, id, &t) == 0)
		for (i = 0; i < t.n; i++)
			stats_node(s, &t.nodes[i], path, trees);
	tree_release(&t);
}

static void stats_node(struct stats_state *s, const struct node *n,
		       struct buf *path, struct index *trees)
{
	size_t len = path->len, k;

	buf_addc(path, '/');
	buf_add(path, n->name, n->name_len);
	switch (s->mode) {
	case ST_RESTORE:
		s->files++;
		if (n->type == NODE_FILE && first_link(n, trees))
			s->bytes += n->size;
		break;
	case ST_CONTENTS: case ST_BLOBS:
		count_contents(s, n, path->p, path->len);
		break;
	case ST_RAW:
		for (k = 0; k < n->ncontent; k++)
			count_blob(s, n->content[k], BLOB_DATA);
		break;
	}
	if (n->type == NODE_DIR && n->has_subtree)
		stats_tree(s, n->subtree, path, trees);
	buf_truncate(path, len);
}

static void stats_snapshot(struct stats_state *s, const struct snapshot *v)
{
	struct index trees;
	struct buf path = BUF_INIT;

	index_init(&trees);
	stats_tree(s, v->tree, &path, &trees);
	index_release(&trees);
	buf_release(&path);
}

static int stats_mode(struct cli_ctx *ctx, const char *m, struct stats_state *s)
{
	static const char *const names[] = {
		[ST_RESTORE] = "restore-size",
		[ST_CONTENTS] = "files-by-contents",
		[ST_BLOBS] = "blobs-per-file",
		[ST_RAW] = "raw-data",
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(m ? m : "restore-size", names[i]) == 0) {
			s->mode = (enum stats_mode)i;
			return 0;
		}
	return cli_usage_error(ctx, _("--mode is restore-size, "
				      "files-by-contents, blobs-per-file or "
				      "raw-data, not '%s'"), m);
}

static void stats_report(struct cli_ctx *ctx, const struct stats_state *s,
			 size_t used)
{
	uint64_t size = s->mode == ST_RAW ? s->blob_bytes : s->bytes;
	char a[32];

	if (ctx->json) {
		printf("{\"total_size\":%llu,\"total_file_count\":%llu,",
		       (unsigned long long)size, (unsigned long long)s->files);
		if (s->mode == ST_RAW || s->mode == ST_BLOBS)
			printf("\"total_blob_count\":%llu,",
			       (unsigned long long)s->blobs);
		printf("\"snapshots_count\":%zu}\n", used);
		return;
	}
	printf(_("Snapshots:  %zu\nFiles:      %llu\nTotal size: %s\n"),
	       used, (unsigned long long)s->files,
	       fmt_size(size, a, sizeof(a)));
	if (s->mode == ST_RAW || s->mode == ST_BLOBS)
		printf(_("Blobs:      %llu\n"), (unsigned long long)s->blobs);
}

int cmd_stats(int argc, char **argv, struct cli_ctx *ctx)
{
	struct filt f;
	struct stats_state s;
	struct snapshot *v = NULL;
	size_t n = 0, i, used = 0;
	int rc;

	memset(&f, 0, sizeof(f));
	memset(&s, 0, sizeof(s));
	index_init(&s.seen);
	if ((rc = cli_getopt(&argc, &argv, ctx, filt_opts, "", filt_opt, &f)))
		goto out;
	if ((rc = stats_mode(ctx, f.mode, &s)) != 0)
		goto out;
	if ((rc = cli_open_repo(ctx)) != 0 ||
	    (rc = repo_load_index(ctx->repo, NULL)) < 0 ||
	    (rc = snapshot_load_all(ctx->repo, &v, &n, NULL)) < 0)
		goto out;
	s.r = ctx->repo;
	for (i = 0; i < n; i++) {
		char hex[65];
		int pick = argc == 0, k;

		hex_encode(v[i].id, 32, hex);
		for (k = 0; k < argc; k++)
			pick |= strncmp(hex, argv[k], strlen(argv[k])) == 0 ||
				(strcmp(argv[k], "latest") == 0 && i + 1 == n);
		if (!pick || !snapshot_match(&v[i], &f.f))
			continue;
		used++;
		stats_snapshot(&s, &v[i]);
	}
	if (s.mode == ST_RAW)
		s.files = 0; /* restic counts no files in raw-data mode */
	stats_report(ctx, &s, used);
	rc = EXIT_OK;
out:
	snapshot_list_free(v, n);
	index_release(&s.seen);
	filt_release(&f);
	return rc < 0 ? EXIT_FAIL : rc;
}
