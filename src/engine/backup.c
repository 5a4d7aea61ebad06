#include "engine/backup_internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>

#include "engine/pipeline.h"
#include "engine/prefetch.h"
#include "repo/lock.h"
#include "repo/tree.h"
#include "util/clock.h"
#include "util/err.h"
#include "util/fsx.h"
#include "util/hex.h"
#include "util/log.h"
#include "util/version.h"
#include "util/xmalloc.h"

/* Plaintext queued for the workers or being encoded by them (a bigger
 * chunk still passes alone): 4 MiB kept two workers as busy as 8 MiB did
 * on the benchmark's 1 MiB chunks, for 8 to 12 MiB less peak memory. */
#define QUEUE_BYTES ((size_t)4 << 20)
#define XATTR_MAX (1u << 20)

struct idname {
	uint32_t id;
	char *name;
};

struct hardlink {
	uint64_t dev, ino;
	uint8_t (*content)[32];
	size_t ncontent;
	uint64_t size;
};


static volatile sig_atomic_t interrupted;

void backup_interrupt(void)
{
	interrupted = 1;
}

int interrupted_backup(void)
{
	return interrupted != 0;
}

/* between_files: keeps the lock fresh, and stops cleanly on a signal. */
static int between_files(struct bctx *c)
{
	if (interrupted)
		return RP_EINTR;
	return c->lock ? lock_refresh(c->lock) : 0;
}

/* ---- small helpers ---- */

void warn_path(struct bctx *c, const char *path, const char *what, int err)
{
	pthread_mutex_lock(&c->mu);
	c->st->errors++;
	c->partial = 1;
	if (c->o->warn)
		c->o->warn(path, what, err, c->o->arg);
	pthread_mutex_unlock(&c->mu);
}

static void progress(struct bctx *c, const char *path)
{
	time_t now;

	if (c->o->progress == NULL)
		return;
	now = time(NULL);
	if (now == c->last_progress)
		return;
	c->last_progress = now;
	pthread_mutex_lock(&c->mu);
	c->st->current = path;
	c->o->progress(c->st, c->o->arg);
	pthread_mutex_unlock(&c->mu);
}

static const char *cached_name(struct idname **v, size_t *n, uint32_t id,
			       int group)
{
	size_t i;
	char tmp[4096];
	const char *name = NULL;

	for (i = 0; i < *n; i++)
		if ((*v)[i].id == id)
			return (*v)[i].name;
	if (group) {
		struct group g, *gp = NULL;

		if (getgrgid_r(id, &g, tmp, sizeof(tmp), &gp) == 0 && gp)
			name = gp->gr_name;
	} else {
		struct passwd pw, *pp = NULL;

		if (getpwuid_r(id, &pw, tmp, sizeof(tmp), &pp) == 0 && pp)
			name = pp->pw_name;
	}
	*v = xreallocarray(*v, *n + 1, sizeof(**v));
	(*v)[*n].id = id;
	(*v)[*n].name = name ? xstrdup(name) : NULL;
	return (*v)[(*n)++].name;
}

static char *path_join(const char *dir, const char *name)
{
	size_t n = strlen(dir);

	if (n > 0 && dir[n - 1] == '/')
		return xasprintf("%s%s", dir, name);
	return xasprintf("%s/%s", dir, name);
}

static int match_suffixes(const char *pat, const char *path, int flags)
{
	const char *p = path;

	if (pat[0] == '/')
		return fnmatch(pat, path, flags) == 0;
	for (;;) {
		if (fnmatch(pat, p, flags) == 0)
			return 1;
		p = strchr(p + 1, '/');
		if (p == NULL)
			return 0;
		p++;
	}
}

int backup_excluded(const struct strlist *patterns, const char *path,
		    int icase)
{
	size_t i;

	for (i = 0; i < patterns->n; i++) {
		const char *pat = patterns->v[i];
		int flags = (strstr(pat, "**") ? 0 : FNM_PATHNAME) |
			    (icase ? FNM_CASEFOLD : 0);

		if (pat[0] == '\0')
			continue;
		if (match_suffixes(pat, path, flags))
			return 1;
		/* a pattern that names a directory excludes what is below */
		if (strchr(pat, '/') == NULL && (flags & FNM_PATHNAME)) {
			const char *base = strrchr(path, '/');

			if (fnmatch(pat, base ? base + 1 : path,
				    icase ? FNM_CASEFOLD : 0) == 0)
				return 1;
		}
	}
	return 0;
}

/* ---- node metadata ---- */

static void fill_xattrs(struct bctx *c, const char *path, struct node *n)
{
	char *names = NULL, *p;
	ssize_t len = llistxattr(path, NULL, 0);

	(void)c;
	if (len <= 0 || len > (ssize_t)XATTR_MAX)
		return;
	names = xmalloc((size_t)len);
	len = llistxattr(path, names, (size_t)len);
	for (p = names; len > 0 && p < names + len; p += strlen(p) + 1) {
		ssize_t vl = lgetxattr(path, p, NULL, 0);
		struct xattr *x;

		if (vl < 0 || vl > (ssize_t)XATTR_MAX)
			continue;
		n->xattrs = xreallocarray(n->xattrs, n->nxattrs + 1,
					  sizeof(*n->xattrs));
		x = &n->xattrs[n->nxattrs];
		x->value = xmalloc((size_t)vl + 1);
		vl = lgetxattr(path, p, x->value, (size_t)vl);
		if (vl < 0) {
			free(x->value);
			continue;
		}
		x->len = (size_t)vl;
		x->name = xstrdup(p);
		n->nxattrs++;
	}
	free(names);
}

static enum node_type type_of(mode_t m)
{
	switch (m & S_IFMT) {
	case S_IFREG: return NODE_FILE;
	case S_IFDIR: return NODE_DIR;
	case S_IFLNK: return NODE_SYMLINK;
	case S_IFBLK: return NODE_DEV;
	case S_IFCHR: return NODE_CHARDEV;
	case S_IFIFO: return NODE_FIFO;
	case S_IFSOCK: return NODE_SOCKET;
	default: return NODE_IRREGULAR;
	}
}

static int read_link(const char *path, const struct stat *st, struct node *n)
{
	size_t cap = st->st_size > 0 ? (size_t)st->st_size + 1 : 256;
	ssize_t l;

	for (;;) {
		n->linktarget = xrealloc(n->linktarget, cap);
		l = readlink(path, (char *)n->linktarget, cap);
		if (l < 0)
			return fsx_errno_code(errno);
		if ((size_t)l < cap)
			break;
		if (cap > 65536)
			return RP_EFORMAT;
		cap *= 2;
	}
	n->linktarget[l] = 0;
	n->linktarget_len = (size_t)l;
	return 0;
}

static void set_name(struct node *n, const char *name)
{
	n->name_len = strlen(name);
	n->name = (uint8_t *)xstrdup(name);
}

/* fill_node: everything but content and subtree, from lstat. */
static int fill_node(struct bctx *c, const char *path, const char *name,
		     const struct stat *st, struct node *n)
{
	const char *u, *g;

	set_name(n, name);
	n->type = type_of(st->st_mode);
	n->mode = gomode_from_unix(st->st_mode);
	gostr_time_from(&n->mtime, st->st_mtim.tv_sec, (int32_t)st->st_mtim.tv_nsec);
	gostr_time_from(&n->atime, st->st_atim.tv_sec, (int32_t)st->st_atim.tv_nsec);
	gostr_time_from(&n->ctime, st->st_ctim.tv_sec, (int32_t)st->st_ctim.tv_nsec);
	n->uid = st->st_uid;
	n->gid = st->st_gid;
	u = cached_name(&c->users, &c->nusers, st->st_uid, 0);
	g = cached_name(&c->groups, &c->ngroups, st->st_gid, 1);
	n->user = u ? xstrdup(u) : NULL;
	n->group = g ? xstrdup(g) : NULL;
	n->inode = st->st_ino;
	n->device_id = st->st_dev;
	/* restic 0.14 keeps links for files, symlinks and devices only */
	if (n->type == NODE_FILE || n->type == NODE_SYMLINK ||
	    n->type == NODE_DEV || n->type == NODE_CHARDEV)
		n->links = st->st_nlink;
	if (n->type == NODE_FILE)
		n->size = (uint64_t)st->st_size;
	if (n->type == NODE_DEV || n->type == NODE_CHARDEV)
		n->device = st->st_rdev;
	if (n->type == NODE_SYMLINK && read_link(path, st, n) < 0)
		return RP_EIO;
	fill_xattrs(c, path, n);
	return 0;
}

/* ---- file content ---- */

static struct hardlink *hardlink_find(struct bctx *c, const struct stat *st)
{
	size_t i;

	for (i = 0; i < c->nlinks; i++)
		if (c->links[i].dev == st->st_dev && c->links[i].ino == st->st_ino)
			return &c->links[i];
	return NULL;
}

static void hardlink_remember(struct bctx *c, const struct stat *st,
			      const struct node *n)
{
	struct hardlink *h;

	c->links = xreallocarray(c->links, c->nlinks + 1, sizeof(*c->links));
	h = &c->links[c->nlinks++];
	h->dev = st->st_dev;
	h->ino = st->st_ino;
	h->size = n->size;
	h->ncontent = n->ncontent;
	h->content = xmalloc(n->ncontent * 32 + 1);
	if (n->ncontent)
		memcpy(h->content, n->content, n->ncontent * 32);
}

static void content_copy(struct node *n, uint8_t (*src)[32], size_t cnt)
{
	n->content = xmalloc(cnt * 32 + 1);
	if (cnt)
		memcpy(n->content, src, cnt * 32);
	n->ncontent = cnt;
}

static int all_known(struct bctx *c, const struct node *pn)
{
	size_t i;

	for (i = 0; i < pn->ncontent; i++)
		if (!index_lookup(&c->r->idx, pn->content[i], BLOB_DATA, NULL,
				  NULL))
			return 0;
	return 1;
}

static int unchanged(struct bctx *c, const struct node *pn,
		     const struct node *n)
{
	return pn && pn->type == NODE_FILE && pn->size == n->size &&
	       (c->o->ignore_inode || pn->inode == n->inode) &&
	       pn->mtime.sec == n->mtime.sec &&
	       pn->mtime.nsec == n->mtime.nsec &&
	       (c->o->ignore_ctime || (pn->ctime.sec == n->ctime.sec &&
				       pn->ctime.nsec == n->ctime.nsec)) &&
	       all_known(c, pn);
}

/* count_file: a file's content was read (or known: bytes). */
static void count_file(struct bctx *c, int changed, uint64_t bytes)
{
	pthread_mutex_lock(&c->mu);
	c->st->total_bytes += bytes;
	if (changed)
		c->st->files_changed++;
	else
		c->st->files_new++;
	pthread_mutex_unlock(&c->mu);
}

/* save_file: content of a regular file.  1 if it was left out; *later
 * set if a reader is to read it (read_queue, once n is in its tree). */
static int save_file(struct bctx *c, const char *path, const struct stat *st,
		     const struct node *pn, struct node *n, int *later)
{
	struct hardlink *h;
	uint64_t got;
	int r;

	c->st->total_files++;
	if (unchanged(c, pn, n)) {
		content_copy(n, pn->content, pn->ncontent);
		pthread_mutex_lock(&c->mu);
		c->st->files_unmodified++;
		c->st->total_bytes += n->size;
		pthread_mutex_unlock(&c->mu);
		return 0;
	}
	if (st->st_nlink > 1 && (h = hardlink_find(c, st)) != NULL) {
		/* counted like any file, as restic does, but read once */
		content_copy(n, h->content, h->ncontent);
		n->size = h->size;
		count_file(c, pn != NULL, h->size);
		return 0;
	}
	progress(c, path);
	if (c->nreaders > 0 && st->st_nlink <= 1) {
		*later = 1;
		return 0;
	}
	r = read_file(c, &c->own, path, (uint64_t)st->st_size, n, &got);
	if (r != 0)
		return r;
	n->size = got; /* what was read, even if the file grew meanwhile */
	count_file(c, pn != NULL, 0); /* its bytes counted as read */
	if (st->st_nlink > 1)
		hardlink_remember(c, st, n);
	return 0;
}

/* ---- trees ---- */

static int save_tree(struct bctx *c, struct tree *t, uint8_t id[32])
{
	struct buf json = BUF_INIT;
	uint8_t *data;
	size_t len;
	int r;

	if ((r = tree_sort(t)) < 0 || (r = tree_encode(t, &json)) < 0) {
		buf_release(&json);
		return r;
	}
	data = buf_detach(&json, &len);
	crypto_sha256(data, len, id);
	r = pipeline_save(c->pl, BLOB_TREE, id, data, len);
	if (r > 0)
		c->st->tree_blobs++;
	return r < 0 ? r : 0;
}

/* load_parent: the parent snapshot's tree for a directory node, or an
 * empty tree when there is none or it cannot be read. */
static void load_parent(struct bctx *c, const struct node *pn,
			struct tree *out)
{
	struct buf b = BUF_INIT;

	tree_init(out);
	if (pn == NULL || pn->type != NODE_DIR || !pn->has_subtree)
		return;
	if (repo_read_blob(c->r, &c->br, BLOB_TREE, pn->subtree, &b) == 0 &&
	    tree_decode(b.p, b.len, out) < 0) {
		tree_release(out);
		tree_init(out);
	}
	buf_release(&b);
}

static const struct node *find_node(const struct tree *t, const char *name)
{
	size_t lo = 0, hi = t->n, len = strlen(name);

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct node *n = &t->nodes[mid];
		size_t m = n->name_len < len ? n->name_len : len;
		int cmp = memcmp(n->name, name, m);

		if (cmp == 0)
			cmp = n->name_len < len ? -1 : n->name_len > len;
		if (cmp == 0)
			return n;
		if (cmp < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static int save_path(struct bctx *c, const char *path, const char *name,
		     const struct node *pn, dev_t root_dev,
		     struct dir_build *out);

static int cmp_cstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* read_names: the entries of a directory, sorted bytewise. */
static int read_names(const char *path, char ***names, size_t *n)
{
	DIR *d = opendir(path);
	struct dirent *de;
	char **v = NULL;
	size_t cnt = 0;

	if (d == NULL)
		return fsx_errno_code(errno);
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		v = xreallocarray(v, cnt + 1, sizeof(*v));
		v[cnt++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (cnt > 1)
		qsort(v, cnt, sizeof(*v), cmp_cstr);
	*names = v;
	*n = cnt;
	return 0;
}

/* tag_present: 1 if directory path holds the tag file of rule "NAME" or
 * "NAME:HEADER" (a file NAME that starts with HEADER), as restic's
 * --exclude-if-present reads it. */
static int tag_present(const char *path, const char *rule)
{
	const char *colon = strchr(rule, ':');
	size_t nlen = colon ? (size_t)(colon - rule) : strlen(rule);
	size_t hlen = colon ? strlen(colon + 1) : 0;
	char *file = xasprintf("%s/%.*s", path, (int)nlen, rule);
	char head[512];
	struct stat st;
	int fd, hit = 0;

	if (lstat(file, &st) == 0) {
		hit = hlen == 0;
		if (!hit && hlen <= sizeof(head) &&
		    (fd = open(file, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) >= 0) {
			hit = fsx_pread_all(fd, head, hlen, 0) == 0 &&
			      memcmp(head, colon + 1, hlen) == 0;
			close(fd);
		}
	}
	free(file);
	return hit;
}

/* tagged_out: 1 if name, in a directory tagged by some rule, is not that
 * rule's tag file itself (tags[i]: the directory holds rule i's tag). */
static int tagged_out(const struct strlist *rules, const unsigned char *tags,
		      const char *name)
{
	size_t i;

	for (i = 0; i < rules->n; i++) {
		const char *colon = strchr(rules->v[i], ':');
		size_t nlen = colon ? (size_t)(colon - rules->v[i])
				    : strlen(rules->v[i]);

		if (tags[i] && !(strlen(name) == nlen &&
				 memcmp(name, rules->v[i], nlen) == 0))
			return 1;
	}
	return 0;
}

/* save_entries: every entry of directory path as nodes of out (but what
 * an --exclude-if-present tag leaves out); 1 when the directory cannot be
 * read (a warning), <0 on a repository error. */
static int save_entries(struct bctx *c, const char *path,
			const struct tree *parent, dev_t root_dev,
			struct dir_build *out)
{
	const struct strlist *rules = &c->o->if_present;
	/* most backups have no --exclude-if-present: no allocation then */
	unsigned char *tags = rules->n ? xcalloc(rules->n, 1) : NULL;
	char **names = NULL;
	size_t cnt = 0, i;
	int r;

	if ((r = read_names(path, &names, &cnt)) < 0) {
		warn_path(c, path, "read directory", r);
		free(tags);
		return 1;
	}
	for (i = 0; i < rules->n; i++)
		tags[i] = (unsigned char)tag_present(path, rules->v[i]);
	for (i = 0, r = 0; i < cnt && r == 0; i++) {
		char *child;

		if (rules->n && tagged_out(rules, tags, names[i]))
			continue;
		child = path_join(path, names[i]);

		r = save_path(c, child, names[i], find_node(parent, names[i]),
			      root_dev, out);
		free(child);
	}
	for (i = 0; i < cnt; i++)
		free(names[i]);
	free(names);
	free(tags);
	return r;
}

static int save_dir(struct bctx *c, const char *path, const struct stat *st,
		    const struct node *pn, dev_t root_dev, struct node *n)
{
	struct dir_build d;
	struct tree parent;
	int r = 0;

	dir_init(&d);
	if (!c->o->one_file_system || st->st_dev == root_dev) {
		/* (a mount point is kept, but empty, as restic does) */
		load_parent(c, pn, &parent);
		r = save_entries(c, path, &parent, root_dev, &d);
		tree_release(&parent);
	}
	if (r == 0 && (r = dir_wait(c, &d)) == 0)
		r = save_tree(c, &d.t, n->subtree);
	dir_release(c, &d);
	if (r != 0)
		return r;
	n->has_subtree = 1;
	if (pn == NULL)
		c->st->dirs_new++;
	else if (pn->has_subtree && memcmp(pn->subtree, n->subtree, 32) == 0)
		c->st->dirs_unmodified++;
	else
		c->st->dirs_changed++;
	return r;
}

static int excluded(struct bctx *c, const char *path)
{
	return (c->o->excludes.n && backup_excluded(&c->o->excludes, path, 0))
	       || (c->o->iexcludes.n &&
		   backup_excluded(&c->o->iexcludes, path, 1));
}

/* save_path: backs up one file system object into out (as a new node).
 * Errors on the object itself are warnings; repository errors abort. */
static int save_path(struct bctx *c, const char *path, const char *name,
		     const struct node *pn, dev_t root_dev,
		     struct dir_build *out)
{
	struct stat st;
	struct node n;
	size_t idx;
	int r = 0, later = 0;

	if (excluded(c, path))
		return 0;
	if (lstat(path, &st) < 0) {
		warn_path(c, path, "stat", fsx_errno_code(errno));
		return 0;
	}
	if (S_ISREG(st.st_mode) && c->o->max_file_size &&
	    (uint64_t)st.st_size > c->o->max_file_size)
		return 0;
	memset(&n, 0, sizeof(n));
	if (fill_node(c, path, name, &st, &n) < 0) {
		warn_path(c, path, "read metadata", RP_EIO);
		node_release(&n);
		return 0;
	}
	if (n.type == NODE_FILE)
		r = save_file(c, path, &st, pn, &n, &later);
	else if (n.type == NODE_DIR)
		r = save_dir(c, path, &st, pn, root_dev, &n);
	if (r != 0) {
		node_release(&n);
		return r < 0 ? r : 0;
	}
	idx = dir_add(c, out, &n);
	if (later && (r = read_queue(c, out, idx, path, (uint64_t)st.st_size,
				     pn != NULL)) < 0)
		return r;
	return between_files(c);
}

/* ---- the root: the given paths with their intermediate directories ---- */

struct target {
	char *given;   /* the path as given, cleaned */
	char *abs;     /* absolute path, for the snapshot's paths */
	char **comps;  /* components of the tree path */
	size_t ncomps;
};

static char *clean_path(const char *p)
{
	struct buf b = BUF_INIT;
	const char *s = p, *e;

	if (*p == '/')
		buf_addc(&b, '/');
	while (*s) {
		while (*s == '/')
			s++;
		e = strchr(s, '/');
		if (e == NULL)
			e = s + strlen(s);
		if (e > s && !(e - s == 1 && *s == '.')) {
			if (b.len > 0 && b.p[b.len - 1] != '/')
				buf_addc(&b, '/');
			buf_add(&b, s, (size_t)(e - s));
		}
		s = e;
	}
	if (b.len == 0)
		buf_addc(&b, '.');
	return (char *)buf_detach(&b, NULL);
}

static void split_comps(struct target *t, const char *path)
{
	char *copy = xstrdup(path), *s, *save = NULL;

	for (s = strtok_r(copy, "/", &save); s; s = strtok_r(NULL, "/", &save)) {
		t->comps = xreallocarray(t->comps, t->ncomps + 1, sizeof(char *));
		t->comps[t->ncomps++] = xstrdup(s);
	}
	free(copy);
}

static void target_init(struct target *t, const char *path)
{
	char cwd[4096];

	memset(t, 0, sizeof(*t));
	t->given = clean_path(path);
	if (t->given[0] == '/' || getcwd(cwd, sizeof(cwd)) == NULL) {
		t->abs = xstrdup(t->given);
	} else {
		char *joined = path_join(cwd, t->given);

		t->abs = clean_path(joined);
		free(joined);
	}
	/* "." and "/" put their entries at the root, as restic does (no
	 * components); a path that climbs uses its absolute components */
	if (strcmp(t->given, ".") != 0)
		split_comps(t, strstr(t->given, "..") ? t->abs : t->given);
}

static void target_release(struct target *t)
{
	size_t i;

	for (i = 0; i < t->ncomps; i++)
		free(t->comps[i]);
	free(t->comps);
	free(t->given);
	free(t->abs);
}

/* real path of the first depth+1 components of t: its absolute path
 * without the components below depth (comps are a suffix of abs) */
static char *prefix_path(const struct target *t, size_t depth)
{
	size_t drop = t->ncomps - 1 - depth, len = strlen(t->abs);

	while (drop-- > 0 && len > 1) {
		while (len > 1 && t->abs[len - 1] != '/')
			len--;
		if (len > 1)
			len--; /* the slash */
	}
	return xstrndup(t->abs, len);
}

static int build_level(struct bctx *c, struct target *tg, size_t n,
		       size_t depth, const struct tree *parent,
		       struct dir_build *out);

static int intermediate(struct bctx *c, struct target *tg, size_t n,
			size_t depth, const struct node *pn,
			struct dir_build *out)
{
	char *path = prefix_path(&tg[0], depth);
	struct stat st;
	struct node nd;
	struct dir_build sub;
	struct tree ptree;
	int r;

	memset(&nd, 0, sizeof(nd));
	if (lstat(path, &st) < 0 || !S_ISDIR(st.st_mode)) {
		warn_path(c, path, "stat", RP_ENOTFOUND);
		free(path);
		return 0;
	}
	fill_node(c, path, tg[0].comps[depth], &st, &nd);
	load_parent(c, pn, &ptree);
	dir_init(&sub);
	r = build_level(c, tg, n, depth + 1, &ptree, &sub);
	if (r == 0 && (r = dir_wait(c, &sub)) == 0)
		r = save_tree(c, &sub.t, nd.subtree);
	nd.has_subtree = 1;
	dir_release(c, &sub);
	tree_release(&ptree);
	free(path);
	if (r < 0) {
		node_release(&nd);
		return r;
	}
	dir_add(c, out, &nd);
	return 0;
}

/* build_level: the nodes at depth for targets tg[0..n), which all share
 * components 0..depth-1. */
static int build_level(struct bctx *c, struct target *tg, size_t n,
		       size_t depth, const struct tree *parent,
		       struct dir_build *out)
{
	size_t i = 0, j;
	int r = 0;

	while (r == 0 && i < n) {
		const char *name = tg[i].comps[depth];
		const struct node *pn = find_node(parent, name);
		struct stat st;

		for (j = i + 1; j < n && strcmp(tg[j].comps[depth], name) == 0;)
			j++;
		if (tg[i].ncomps == depth + 1) {
			/* a target itself (duplicates below it are inside) */
			/* absolute paths, as restic: excludes and messages
			 * see the same path whatever the working directory */
			r = lstat(tg[i].abs, &st) < 0
				? (warn_path(c, tg[i].abs, "stat",
					     fsx_errno_code(errno)), 0)
				: save_path(c, tg[i].abs, name, pn, st.st_dev,
					    out);
		} else {
			r = intermediate(c, tg + i, j - i, depth, pn, out);
		}
		i = j;
	}
	return r;
}

static int cmp_target(const void *a, const void *b)
{
	const struct target *x = a, *y = b;
	size_t i;

	for (i = 0; i < x->ncomps && i < y->ncomps; i++) {
		int c = strcmp(x->comps[i], y->comps[i]);

		if (c)
			return c;
	}
	return x->ncomps < y->ncomps ? -1 : x->ncomps > y->ncomps;
}

static int build_root(struct bctx *c, struct snapshot *snap,
		      const struct tree *parent, uint8_t root[32])
{
	struct target *tg = xcalloc(c->o->npaths + 1, sizeof(*tg));
	struct dir_build t;
	size_t i, n = 0;
	int r;

	for (i = 0; i < c->o->npaths; i++) {
		target_init(&tg[n], c->o->paths[i]);
		strlist_add(&snap->paths, tg[n].abs);
		n++;
	}
	qsort(tg, n, sizeof(*tg), cmp_target);
	dir_init(&t);
	/* "." or "/": their entries are the root's (sorted first: no
	 * components); the other targets join them */
	for (i = 0, r = 0; i < n && tg[i].ncomps == 0 && r >= 0; i++) {
		struct stat st;

		if (lstat(tg[i].abs, &st) == 0)
			r = save_entries(c, tg[i].abs, parent, st.st_dev, &t);
	}
	if (r >= 0)
		r = build_level(c, tg + i, n - i, 0, parent, &t);
	if (r == 0 && (r = dir_wait(c, &t)) == 0)
		r = save_tree(c, &t.t, root);
	dir_release(c, &t);
	for (i = 0; i < n; i++)
		target_release(&tg[i]);
	free(tg);
	return r;
}

/* ---- standard input and commands ---- */

static pid_t spawn(const char *const *argv, int *fd)
{
	int pfd[2];
	pid_t pid;

	if (pipe2(pfd, O_CLOEXEC) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		dup2(pfd[1], 1);
		execvp(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(pfd[1]);
	if (pid < 0) {
		close(pfd[0]);
		return -1;
	}
	*fd = pfd[0];
	return pid;
}

static int save_stream(struct bctx *c, struct snapshot *snap,
		       uint8_t root[32])
{
	const char *name = c->o->stdin_filename ? c->o->stdin_filename : "stdin";
	struct tree t;
	struct node *n;
	uint64_t got = 0;
	int fd = c->o->stdin_fd, status, r;
	pid_t pid = -1;

	if (strchr(name, '/') || name[0] == '\0' || strcmp(name, ".") == 0 ||
	    strcmp(name, "..") == 0)
		return RP_EINVAL;
	if (c->o->command && (pid = spawn(c->o->command, &fd)) < 0)
		return RP_ECMD;
	tree_init(&t);
	n = tree_add(&t);
	set_name(n, name);
	n->type = NODE_FILE;
	n->mode = 0644;
	gostr_time_now(&n->mtime);
	n->atime = n->ctime = n->mtime;
	n->uid = getuid();
	n->gid = getgid();
	r = read_stream(c, &c->own, fd, 0, n, &got);
	n->size = got;
	c->st->total_files = 1;
	c->st->files_new = 1;
	if (pid > 0) {
		close(fd);
		if (r == RP_EINTR)
			kill(pid, SIGTERM); /* we stop: so does the dump */
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		if (r == 0 && (!WIFEXITED(status) || WEXITSTATUS(status) != 0)) {
			if (WIFEXITED(status))
				log_error("command %s failed (exit status %d): "
					  "no snapshot saved", c->o->command[0],
					  WEXITSTATUS(status));
			else
				log_error("command %s failed (signal %d): no "
					  "snapshot saved", c->o->command[0],
					  WTERMSIG(status));
			r = RP_ECMD;
		}
	}
	if (r == 0)
		r = save_tree(c, &t, root);
	tree_release(&t);
	{
		char *abs = xasprintf("/%s", name);

		strlist_add(&snap->paths, abs);
		free(abs);
	}
	return r;
}

/* ---- the run ---- */

static int same_paths(const struct snapshot *s, const struct strlist *paths)
{
	size_t i;

	if (s->paths.n != paths->n)
		return 0;
	for (i = 0; i < paths->n; i++)
		if (!strlist_has(&s->paths, paths->v[i]))
			return 0;
	return 1;
}

static void wanted_paths(const struct backup_opts *o, struct strlist *out)
{
	size_t i;

	if (o->stdin_fd >= 0 || o->command) {
		char *abs = xasprintf("/%s", o->stdin_filename ? o->stdin_filename
							       : "stdin");

		strlist_add(out, abs);
		free(abs);
		return;
	}
	for (i = 0; i < o->npaths; i++) {
		struct target t;

		target_init(&t, o->paths[i]);
		strlist_add(out, t.abs);
		target_release(&t);
	}
}

/* find_parent: restic's rule: the newest snapshot of this host with the
 * same set of paths, unless one is given. */
static int find_parent(struct repo *r, const struct backup_opts *o,
		       const char *host, struct snapshot *out)
{
	struct snapshot *v;
	struct strlist paths = { NULL, 0 };
	size_t n, i;
	int rc, found = 0;

	if (o->force)
		return RP_ENOTFOUND;
	if (o->parent)
		return snapshot_find(r, o->parent, NULL, out);
	if ((rc = snapshot_load_all(r, &v, &n, NULL)) < 0)
		return rc;
	wanted_paths(o, &paths);
	for (i = n; i-- > 0 && !found;) {
		if (strcmp(v[i].hostname ? v[i].hostname : "", host) == 0 &&
		    same_paths(&v[i], &paths)) {
			*out = v[i];
			memset(&v[i], 0, sizeof(v[i]));
			found = 1;
		}
	}
	strlist_release(&paths);
	snapshot_list_free(v, n);
	return found ? 0 : RP_ENOTFOUND;
}

static void snapshot_meta(struct snapshot *s, const struct backup_opts *o,
			  const char *host)
{
	struct passwd *pw = getpwuid(getuid());
	size_t i;

	if (o->time_sec)
		gostr_time_from(&s->time, o->time_sec, 0);
	else
		gostr_time_now(&s->time);
	s->hostname = xstrdup(host);
	s->username = xstrdup(pw ? pw->pw_name : "");
	s->uid = getuid();
	s->gid = getgid();
	for (i = 0; i < o->tags.n; i++)
		strlist_add(&s->tags, o->tags.v[i]);
	for (i = 0; i < o->excludes.n; i++)
		strlist_add(&s->excludes, o->excludes.v[i]);
	s->program_version = xstrdup("reprise " REPRISE_VERSION);
}

static void parent_tree(struct bctx *c, const struct snapshot *p,
			struct tree *t)
{
	struct node fake;

	memset(&fake, 0, sizeof(fake));
	fake.type = NODE_DIR;
	fake.has_subtree = 1;
	memcpy(fake.subtree, p->tree, 32);
	load_parent(c, &fake, t);
}

static void bctx_release(struct bctx *c)
{
	size_t i;

	content_reader_release(&c->own);
	blob_reader_release(c->r, &c->br);
	pthread_mutex_destroy(&c->mu);
	pthread_cond_destroy(&c->work);
	pthread_cond_destroy(&c->done);
	for (i = 0; i < c->nusers; i++)
		free(c->users[i].name);
	for (i = 0; i < c->ngroups; i++)
		free(c->groups[i].name);
	for (i = 0; i < c->nlinks; i++)
		free(c->links[i].content);
	free(c->users);
	free(c->groups);
	free(c->links);
}

static int nthreads(const struct backup_opts *o)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	if (o->threads > 0)
		return o->threads;
	return n < 1 ? 1 : n > 8 ? 8 : (int)n;
}

static int walk(struct bctx *c, struct snapshot *snap,
		const struct snapshot *parent)
{
	struct tree pt;
	int r;

	size_t i, found = 0;
	struct stat st;
	struct prefetch *pf;

	if (c->o->stdin_fd >= 0 || c->o->command)
		return save_stream(c, snap, snap->tree);
	for (i = 0; i < c->o->npaths; i++)
		found += lstat(c->o->paths[i], &st) == 0;
	if (found == 0) {
		log_error("none of the paths to back up exists");
		return RP_ENOTFOUND;
	}
	/* with no parent every file is read: its contents are worth
	 * prefetching; with one, only the metadata */
	pf = prefetch_start(c->o->paths, c->o->npaths, parent == NULL,
			    &c->consumed);
	tree_init(&pt);
	if (parent)
		parent_tree(c, parent, &pt);
	readers_start(c, nthreads(c->o) > 1 ? READERS : 0);
	r = build_root(c, snap, &pt, snap->tree);
	readers_stop(c);
	tree_release(&pt);
	prefetch_stop(pf);
	return r;
}

int backup_run(struct repo *r, const struct backup_opts *o,
	       struct backup_stats *st)
{
	struct bctx c;
	struct snapshot snap, parent;
	struct pipeline_stats ps;
	struct timespec t0;
	char host[256] = "";
	int rc, have_parent;

	memset(&c, 0, sizeof(c));
	memset(&snap, 0, sizeof(snap));
	memset(&parent, 0, sizeof(parent));
	memset(st, 0, sizeof(*st));
	clock_start(&t0);
	c.r = r;
	c.o = o;
	c.st = st;
	content_reader_init(&c.own);
	pthread_mutex_init(&c.mu, NULL);
	pthread_cond_init(&c.work, NULL);
	pthread_cond_init(&c.done, NULL);
	if (o->host)
		snprintf(host, sizeof(host), "%s", o->host);
	else
		gethostname(host, sizeof(host) - 1);
	if ((rc = lock_take(r, 0, &c.lock)) < 0)
		goto out_nolock;
	if ((rc = repo_load_index(r, NULL)) < 0)
		goto out;
	have_parent = find_parent(r, o, host, &parent) == 0;
	if (o->parent && !have_parent) {
		log_error("no snapshot matches the parent '%s'", o->parent);
		rc = RP_ENOTFOUND;
		goto out;
	}
	if (have_parent) {
		st->has_parent = 1;
		memcpy(st->parent_id, parent.id, 32);
		snap.has_parent = 1;
		memcpy(snap.parent, parent.id, 32);
	}
	snapshot_meta(&snap, o, host);
	if ((rc = pipeline_start(r, nthreads(o), QUEUE_BYTES, &c.pl)) < 0)
		goto out;
	if (o->dry_run)
		pipeline_dry_run(c.pl);
	rc = walk(&c, &snap, have_parent ? &parent : NULL);
	{
		int prc = pipeline_finish(c.pl, rc < 0, &ps);

		if (rc == 0)
			rc = prc;
	}
	st->data_blobs = ps.data_blobs;
	st->data_added = ps.data_added;
	st->data_added_packed = ps.data_added_packed;
	if (rc == 0 && snap.paths.n == 0)
		rc = RP_ENOTFOUND; /* nothing at all could be read */
	if (rc == 0 && !o->dry_run)
		rc = snapshot_save(r, &snap);
	if (rc == 0 && !o->dry_run)
		memcpy(st->snapshot_id, snap.id, 32);
out:
	lock_release(c.lock);
out_nolock:
	st->seconds = clock_elapsed(&t0);
	snapshot_release(&snap);
	snapshot_release(&parent);
	bctx_release(&c);
	if (rc == 0 && c.partial)
		rc = RP_EPARTIAL;
	return rc;
}
