#include "engine/drill.h"

#include <dirent.h>
#include <stdarg.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "engine/restore.h"
#include "engine/walk.h"
#include "util/err.h"
#include "util/fsx.h"
#include "util/hex.h"
#include "util/jsonw.h"
#include "util/version.h"
#include "util/xmalloc.h"

/* One entry of the snapshot, as the drill sees it. */
struct dentry {
	char *spath;
	enum node_type type;
	uint8_t (*content)[32];
	size_t ncontent;
	uint64_t size;
	int chosen;
};

struct dctx {
	struct repo *r;
	const struct drill_opts *o;
	struct drill_result *d;
	struct dentry *v;
	size_t n;
	char *root;          /* scratch/drill-<pid>-<time> */
	uint64_t rng;
};

void drill_result_release(struct drill_result *d)
{
	buf_release(&d->evidence);
}

/* ---- the snapshot's entries ---- */

static int collect(const char *path, const struct node *n, int err,
		   void *arg)
{
	struct dctx *c = arg;
	struct dentry *e;

	if (n == NULL)
		return err;
	c->v = xreallocarray(c->v, c->n + 1, sizeof(*c->v));
	e = &c->v[c->n++];
	memset(e, 0, sizeof(*e));
	e->spath = xstrdup(path);
	e->type = n->type;
	e->size = n->size;
	if (n->type == NODE_FILE && n->ncontent) {
		e->content = xmalloc(n->ncontent * 32);
		memcpy(e->content, n->content, n->ncontent * 32);
		e->ncontent = n->ncontent;
	}
	return 0;
}

static int cmp_dentry(const void *a, const void *b)
{
	return strcmp(((const struct dentry *)a)->spath,
		      ((const struct dentry *)b)->spath);
}

static uint64_t next_rand(struct dctx *c)
{
	c->rng ^= c->rng << 13;
	c->rng ^= c->rng >> 7;
	c->rng ^= c->rng << 17;
	return c->rng;
}

static int kind_of(enum node_type t)
{
	return t == NODE_FILE ? 0 : t == NODE_DIR ? 1 : t == NODE_SYMLINK ? 2
								       : 3;
}

/* choose: a random sample of the files, and at least one entry of each
 * kind present (file, directory, symlink, other). */
static void choose(struct dctx *c)
{
	double p = c->o->sample_percent;
	int have[4] = { 0, 0, 0, 0 };
	size_t i, start;

	for (i = 0; i < c->n; i++) {
		c->d->snapshot_files += c->v[i].type == NODE_FILE;
		c->v[i].chosen = p <= 0 || p >= 100 ||
				 (double)(next_rand(c) % 1000000) < p * 10000;
		if (c->v[i].chosen)
			have[kind_of(c->v[i].type)] = 1;
	}
	if (c->n == 0)
		return;
	start = (size_t)(next_rand(c) % c->n);
	for (i = 0; i < c->n; i++) {
		struct dentry *e = &c->v[(start + i) % c->n];

		if (!have[kind_of(e->type)]) {
			e->chosen = 1;
			have[kind_of(e->type)] = 1;
		}
	}
}

static struct dentry *find_entry(struct dctx *c, const char *spath)
{
	struct dentry key;

	key.spath = (char *)spath;
	if (c->n == 0)
		return NULL;
	return bsearch(&key, c->v, c->n, sizeof(*c->v), cmp_dentry);
}

static int select_node(const char *spath, const struct node *n, void *arg)
{
	struct dctx *c = arg;
	struct dentry *e = find_entry(c, spath);

	if (e && e->chosen)
		return 1;
	return n->type == NODE_DIR ? 2 : 0;
}

/* ---- reading the restored bytes back ---- */

static void verify_all(struct dctx *c)
{
	uint8_t *buf = NULL;
	size_t cap = 0, i;

	for (i = 0; i < c->n; i++) {
		struct dentry *e = &c->v[i];
		char *path;

		if (!e->chosen || e->type != NODE_FILE)
			continue;
		path = xasprintf("%s%s", c->root, e->spath);
		if (restore_file_matches(c->r, e->content, e->ncontent, path,
					 &buf, &cap))
			c->d->verified_files++;
		else
			c->d->verify_errors++;
		free(path);
	}
	free(buf);
}

/* ---- comparing with the live source ---- */

/* live_path: where a snapshot path lives on this machine.  Absolute
 * backups keep their paths; a relative one ("src") keeps only the given
 * components under the root, so the snapshot's absolute path supplies the
 * prefix.  NULL when no snapshot path explains it. */
static char *live_path(const struct snapshot *s, const char *spath)
{
	size_t i;

	for (i = 0; i < s->paths.n; i++) {
		const char *p = s->paths.v[i], *tail;

		for (tail = p; tail; tail = strchr(tail + 1, '/')) {
			size_t tl = strlen(tail);

			if (strncmp(spath, tail, tl) == 0 &&
			    (spath[tl] == '/' || spath[tl] == '\0'))
				return xasprintf("%.*s%s", (int)(tail - p), p,
						 spath);
		}
	}
	return NULL;
}

static int same_content(const char *a, const char *b)
{
	int fa = open(a, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	int fb = open(b, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	uint8_t *x = xmalloc(1 << 16), *y = xmalloc(1 << 16);
	int same = fa >= 0 && fb >= 0;

	while (same) {
		ssize_t n = read(fa, x, 1 << 16), m;

		if (n <= 0) {
			same = n == 0 && read(fb, y, 1) == 0;
			break;
		}
		m = read(fb, y, (size_t)n);
		same = m == n && memcmp(x, y, (size_t)n) == 0;
	}
	if (fa >= 0)
		close(fa);
	if (fb >= 0)
		close(fb);
	free(x);
	free(y);
	return same;
}

static uint64_t count_files(const char *path, int depth)
{
	DIR *d;
	struct dirent *de;
	uint64_t n = 0;
	struct stat st;

	if (depth > 64 || lstat(path, &st) < 0)
		return 0;
	if (S_ISREG(st.st_mode))
		return 1;
	if (!S_ISDIR(st.st_mode) || (d = opendir(path)) == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		char *p;

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		p = xasprintf("%s/%s", path, de->d_name);
		n += count_files(p, depth + 1);
		free(p);
	}
	closedir(d);
	return n;
}

static void compare_live(struct dctx *c, const struct snapshot *s)
{
	size_t i;

	for (i = 0; i < s->paths.n; i++)
		c->d->live_files += count_files(s->paths.v[i], 0);
	for (i = 0; i < c->n; i++) {
		struct dentry *e = &c->v[i];
		char *live, *restored;
		struct stat st;

		if (e->type != NODE_FILE)
			continue;
		if (!e->chosen || (live = live_path(s, e->spath)) == NULL)
			continue;
		if (lstat(live, &st) < 0 || !S_ISREG(st.st_mode)) {
			c->d->live_missing++;
		} else if (st.st_mtim.tv_sec > s->time.sec) {
			/* changed since the backup: not comparable */
			c->d->live_changed++;
		} else {
			restored = xasprintf("%s%s", c->root, e->spath);
			c->d->live_compared++;
			c->d->live_differ += !same_content(live, restored);
			free(restored);
		}
		free(live);
	}
}

/* ---- verdict and evidence ---- */

static void fail(struct drill_result *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void fail(struct drill_result *d, const char *fmt, ...)
{
	size_t len = strlen(d->reason);
	va_list ap;

	d->pass = 0;
	if (len + 3 >= sizeof(d->reason))
		return;
	if (len)
		len += (size_t)snprintf(d->reason + len, sizeof(d->reason) - len,
					"; ");
	va_start(ap, fmt);
	vsnprintf(d->reason + len, sizeof(d->reason) - len, fmt, ap);
	va_end(ap);
}

static void verdict(struct dctx *c)
{
	struct drill_result *d = c->d;
	double diff;

	d->pass = 1;
	/* the reason is evidence kept in the catalog: English, whole */
	if (d->restore_errors == 1)
		fail(d, "1 item could not be restored");
	else if (d->restore_errors)
		fail(d, "%llu items could not be restored",
		     (unsigned long long)d->restore_errors);
	if (d->verify_errors == 1)
		fail(d, "1 restored file does not match the repository");
	else if (d->verify_errors)
		fail(d, "%llu restored files do not match the repository",
		     (unsigned long long)d->verify_errors);
	if (d->files == 0 && d->snapshot_files > 0)
		fail(d, "nothing was restored");
	if (!c->o->compare_source || d->live_files == 0)
		return;
	diff = (double)(d->live_files > d->snapshot_files
			? d->live_files - d->snapshot_files
			: d->snapshot_files - d->live_files);
	if (diff * 100 > c->o->count_tolerance * (double)d->snapshot_files)
		fail(d, "the live source has %llu files, the backup %llu "
		     "(more than %.0f%% apart)",
		     (unsigned long long)d->live_files,
		     (unsigned long long)d->snapshot_files,
		     c->o->count_tolerance);
	if (d->live_compared &&
	    (double)d->live_differ * 100 >
		    c->o->data_tolerance * (double)d->live_compared)
		fail(d, "%llu of %llu sampled files differ from the live source",
		     (unsigned long long)d->live_differ,
		     (unsigned long long)d->live_compared);
}

static void json_u(struct jsonw *w, const char *k, uint64_t v)
{
	jsonw_key(w, k);
	jsonw_u64(w, v);
}

static void evidence(struct dctx *c, const struct snapshot *s)
{
	struct drill_result *d = c->d;
	struct jsonw w;
	struct buf t = BUF_INIT;
	char host[256] = "";
	size_t i;
	uint8_t sum[32];

	gethostname(host, sizeof(host) - 1);
	jsonw_init(&w, &d->evidence);
	jsonw_obj_begin(&w);
	jsonw_key(&w, "type"); jsonw_str(&w, "reprise-restore-drill");
	json_u(&w, "version", 1);
	jsonw_key(&w, "label"); jsonw_str(&w, c->o->label ? c->o->label : "");
	jsonw_key(&w, "repository");
	jsonw_str(&w, c->o->repo_label ? c->o->repo_label : "");
	jsonw_key(&w, "host"); jsonw_str(&w, host);
	jsonw_key(&w, "snapshot"); jsonw_hex(&w, s->id, 32);
	gostr_time_format(&t, &s->time);
	jsonw_key(&w, "snapshot_time"); jsonw_str(&w, buf_cstr(&t));
	jsonw_key(&w, "paths");
	jsonw_arr_begin(&w);
	for (i = 0; i < s->paths.n; i++)
		jsonw_str(&w, s->paths.v[i]);
	jsonw_arr_end(&w);
	json_u(&w, "started", (uint64_t)d->started);
	json_u(&w, "finished", (uint64_t)d->finished);
	jsonw_key(&w, "mode");
	jsonw_str(&w, c->o->sample_percent > 0 && c->o->sample_percent < 100
			      ? "sample" : "whole");
	json_u(&w, "sample_percent_x100", (uint64_t)(c->o->sample_percent * 100));
	json_u(&w, "files", d->files);
	json_u(&w, "dirs", d->dirs);
	json_u(&w, "others", d->others);
	json_u(&w, "bytes", d->bytes);
	json_u(&w, "milliseconds", (uint64_t)(d->seconds * 1000));
	json_u(&w, "throughput_bytes_per_second", (uint64_t)d->throughput);
	json_u(&w, "verified_files", d->verified_files);
	json_u(&w, "verify_errors", d->verify_errors);
	json_u(&w, "restore_errors", d->restore_errors);
	jsonw_key(&w, "source");
	jsonw_obj_begin(&w);
	jsonw_key(&w, "compared"); jsonw_bool(&w, c->o->compare_source);
	json_u(&w, "snapshot_files", d->snapshot_files);
	json_u(&w, "live_files", d->live_files);
	json_u(&w, "sampled_compared", d->live_compared);
	json_u(&w, "sampled_differ", d->live_differ);
	json_u(&w, "sampled_missing", d->live_missing);
	json_u(&w, "sampled_changed_since", d->live_changed);
	jsonw_obj_end(&w);
	jsonw_key(&w, "result"); jsonw_str(&w, d->pass ? "pass" : "fail");
	jsonw_key(&w, "reason"); jsonw_str(&w, d->reason);
	jsonw_key(&w, "program"); jsonw_str(&w, "reprise " REPRISE_VERSION);
	jsonw_obj_end(&w);
	jsonw_finish(&w);
	crypto_sha256(d->evidence.p, d->evidence.len, sum);
	hex_encode(sum, 32, d->evidence_sha256);
	buf_release(&t);
}

/* ---- the run ---- */

static int restore_sample(struct dctx *c, const struct snapshot *s)
{
	struct restore_opts ro;
	struct restore_stats rs;
	int rc;

	memset(&ro, 0, sizeof(ro));
	ro.target = c->root;
	if (c->o->sample_percent > 0 && c->o->sample_percent < 100) {
		ro.select = select_node;
		ro.arg = c;
	}
	rc = restore_run(c->r, s, &ro, &rs);
	c->d->files = rs.files;
	c->d->dirs = rs.dirs;
	c->d->others = rs.others;
	c->d->bytes = rs.bytes;
	c->d->restore_errors = rs.errors;
	c->d->seconds = rs.seconds;
	c->d->throughput = rs.seconds > 0 ? (double)rs.bytes / rs.seconds
					  : (double)rs.bytes;
	return rc == RP_EPARTIAL ? 0 : rc;
}

static void dctx_release(struct dctx *c)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		free(c->v[i].spath);
		free(c->v[i].content);
	}
	free(c->v);
	free(c->root);
}

int drill_run(struct repo *r, const struct snapshot *s,
	      const struct drill_opts *o, struct drill_result *d)
{
	struct dctx c;
	int rc;

	memset(&c, 0, sizeof(c));
	memset(d, 0, sizeof(*d));
	c.r = r;
	c.o = o;
	c.d = d;
	c.rng = o->seed ? o->seed : (uint64_t)time(NULL) ^ (uint64_t)getpid();
	d->started = (int64_t)time(NULL);
	c.root = xasprintf("%s/drill-%ld-%lld", o->scratch, (long)getpid(),
			   (long long)d->started);
	if ((rc = repo_load_index(r, NULL)) < 0 ||
	    (rc = walk_tree(r, s->tree, "", collect, &c)) < 0 ||
	    (rc = fsx_mkdir_p(c.root, 0700)) < 0)
		goto out;
	if (c.n > 1)
		qsort(c.v, c.n, sizeof(*c.v), cmp_dentry);
	choose(&c);
	if ((rc = restore_sample(&c, s)) < 0)
		goto out;
	verify_all(&c);
	if (o->compare_source)
		compare_live(&c, s);
	verdict(&c);
	d->finished = (int64_t)time(NULL);
	evidence(&c, s);
out:
	fsx_remove_tree(c.root);
	dctx_release(&c);
	return rc;
}
