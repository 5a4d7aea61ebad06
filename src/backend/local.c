/*
 * The local-directory backend, in restic's layout (RESTIC_FORMAT.md §2):
 * config, keys/, snapshots/, index/, locks/, data/00..ff/.  Directories are
 * 0700, files are written through fsx_write_atomic and made read-only
 * (0400), as restic does.
 */
#include "backend/backend.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/err.h"
#include "util/fsx.h"
#include "util/xmalloc.h"

struct local {
	struct backend be;
	char *dir;
};

static const char *const type_dirs[] = {
	[BE_CONFIG] = "", [BE_KEY] = "keys", [BE_SNAPSHOT] = "snapshots",
	[BE_INDEX] = "index", [BE_LOCK] = "locks", [BE_PACK] = "data",
};

static int valid_name(enum be_type t, const char *name)
{
	size_t i, n = strlen(name);

	if (t == BE_CONFIG)
		return strcmp(name, "config") == 0;
	if (n != 64)
		return 0;
	for (i = 0; i < n; i++)
		if (!((name[i] >= '0' && name[i] <= '9') ||
		      (name[i] >= 'a' && name[i] <= 'f')))
			return 0;
	return 1;
}

static char *local_path(struct local *l, enum be_type t, const char *name)
{
	if (t == BE_CONFIG)
		return xasprintf("%s/config", l->dir);
	if (t == BE_PACK)
		return xasprintf("%s/data/%.2s/%s", l->dir, name, name);
	return xasprintf("%s/%s/%s", l->dir, type_dirs[t], name);
}

static int local_create(struct backend *be)
{
	struct local *l = (struct local *)be;
	char *p;
	int r, i;
	struct stat st;

	p = xasprintf("%s/config", l->dir);
	r = stat(p, &st) == 0 ? RP_EEXIST : 0;
	free(p);
	if (r < 0)
		return r;
	if ((r = fsx_mkdir_p(l->dir, 0700)) < 0)
		return r;
	for (i = BE_KEY; i <= BE_PACK && r == 0; i++) {
		p = xasprintf("%s/%s", l->dir, type_dirs[i]);
		if (mkdir(p, 0700) < 0 && errno != EEXIST)
			r = fsx_errno_code(errno);
		free(p);
	}
	for (i = 0; i < 256 && r == 0; i++) {
		p = xasprintf("%s/data/%02x", l->dir, i);
		if (mkdir(p, 0700) < 0 && errno != EEXIST)
			r = fsx_errno_code(errno);
		free(p);
	}
	return r;
}

static int local_put(struct backend *be, enum be_type t, const char *name,
		     const uint8_t *p, size_t n)
{
	struct local *l = (struct local *)be;
	char *path;
	int r;

	if (!valid_name(t, name))
		return RP_EINVAL;
	path = local_path(l, t, name);
	r = fsx_write_atomic(path, p, n, 0400, FSX_NOREPLACE);
	if (r == RP_ENOTFOUND && t == BE_PACK) {
		/* a repository made by another tool may lack data/xx */
		char *dir = xasprintf("%s/data/%.2s", l->dir, name);

		if (mkdir(dir, 0700) == 0 || errno == EEXIST)
			r = fsx_write_atomic(path, p, n, 0400, FSX_NOREPLACE);
		free(dir);
	}
	free(path);
	return r;
}

static int local_get(struct backend *be, enum be_type t, const char *name,
		     uint64_t off, size_t len, struct buf *out)
{
	struct local *l = (struct local *)be;
	char *path;
	struct stat st;
	int fd, r;

	if (!valid_name(t, name))
		return RP_EINVAL;
	path = local_path(l, t, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	free(path);
	if (fd < 0)
		return fsx_errno_code(errno);
	if (len == 0) {
		r = fstat(fd, &st) < 0 ? fsx_errno_code(errno) : 0;
		if (r == 0 && (uint64_t)st.st_size < off)
			r = RP_ETRUNC;
		if (r == 0)
			len = (size_t)((uint64_t)st.st_size - off);
		if (r < 0)
			goto out;
	}
	if ((r = buf_reserve(out, len)) < 0)
		goto out;
	r = fsx_pread_all(fd, out->p + out->len, len, off);
	if (r == 0) {
		out->len += len;
		out->p[out->len] = 0;
	}
out:
	close(fd);
	return r;
}

static int local_stat(struct backend *be, enum be_type t, const char *name,
		      uint64_t *size)
{
	struct local *l = (struct local *)be;
	char *path;
	struct stat st;
	int r = 0;

	if (!valid_name(t, name))
		return RP_EINVAL;
	path = local_path(l, t, name);
	if (stat(path, &st) < 0)
		r = fsx_errno_code(errno);
	else
		*size = (uint64_t)st.st_size;
	free(path);
	return r;
}

static int list_dir(const char *dir, enum be_type t, be_list_fn fn, void *arg)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	struct stat st;
	int r = 0;

	if (d == NULL)
		return errno == ENOENT ? 0 : fsx_errno_code(errno);
	while (r == 0 && (de = readdir(d)) != NULL) {
		if (!valid_name(t, de->d_name))
			continue; /* temp files, foreign files */
		if (fstatat(dirfd(d), de->d_name, &st, 0) < 0)
			continue; /* removed while listing */
		r = fn(de->d_name, (uint64_t)st.st_size, arg);
	}
	closedir(d);
	return r;
}

static int local_list(struct backend *be, enum be_type t, be_list_fn fn,
		      void *arg)
{
	struct local *l = (struct local *)be;
	char *dir;
	int r = 0, i;

	if (t == BE_CONFIG)
		return RP_EINVAL;
	if (t != BE_PACK) {
		dir = xasprintf("%s/%s", l->dir, type_dirs[t]);
		r = list_dir(dir, t, fn, arg);
		free(dir);
		return r;
	}
	for (i = 0; i < 256 && r == 0; i++) {
		dir = xasprintf("%s/data/%02x", l->dir, i);
		r = list_dir(dir, t, fn, arg);
		free(dir);
	}
	return r;
}

static int local_remove(struct backend *be, enum be_type t, const char *name)
{
	struct local *l = (struct local *)be;
	char *path;
	int r = 0;

	if (!valid_name(t, name))
		return RP_EINVAL;
	path = local_path(l, t, name);
	if (unlink(path) < 0)
		r = fsx_errno_code(errno);
	else
		r = fsx_fsync_parent(path);
	free(path);
	return r;
}

static void local_close(struct backend *be)
{
	struct local *l = (struct local *)be;

	free(l->dir);
	free(l);
}


/* ---- streaming pack writes: a temporary file in data/, then a link ---- */

struct local_stream {
	struct be_stream base;
	struct local *l;
	enum be_type t;
	int fd;
	char *tmp;
};

static int local_stream_open(struct backend *be, enum be_type t,
			     struct be_stream **out)
{
	struct local *l = (struct local *)be;
	struct local_stream *s = xcalloc(1, sizeof(*s));

	s->base.be = be;
	s->l = l;
	s->t = t;
	s->tmp = xasprintf("%s/%s/.tmp-XXXXXX", l->dir, type_dirs[t]);
	s->fd = mkostemp(s->tmp, O_CLOEXEC);
	if (s->fd < 0) {
		int r = fsx_errno_code(errno);

		free(s->tmp);
		free(s);
		return r;
	}
	*out = &s->base;
	return 0;
}

static int local_stream_write(struct be_stream *bs, const uint8_t *p,
			      size_t n)
{
	return fsx_write_all(((struct local_stream *)bs)->fd, p, n);
}

static void local_stream_abort(struct be_stream *bs)
{
	struct local_stream *s = (struct local_stream *)bs;

	if (s == NULL)
		return;
	if (s->fd >= 0)
		close(s->fd);
	unlink(s->tmp);
	free(s->tmp);
	free(s);
}

static int link_into_place(struct local_stream *s, const char *path,
			   const char *name)
{
	int r = 0;

	if (link(s->tmp, path) == 0 || errno == EEXIST)
		return 0;
	if (errno == ENOENT && s->t == BE_PACK) {
		char *dir = xasprintf("%s/data/%.2s", s->l->dir, name);

		if (mkdir(dir, 0700) < 0 && errno != EEXIST)
			r = fsx_errno_code(errno);
		free(dir);
		if (r == 0 && link(s->tmp, path) < 0 && errno != EEXIST)
			r = fsx_errno_code(errno);
		return r;
	}
	return fsx_errno_code(errno);
}

static int local_stream_commit(struct be_stream *bs, const char *name)
{
	struct local_stream *s = (struct local_stream *)bs;
	char *path;
	int r = 0;

	if (!valid_name(s->t, name)) {
		local_stream_abort(bs);
		return RP_EINVAL;
	}
	path = local_path(s->l, s->t, name);
	if (fsync(s->fd) < 0 || fchmod(s->fd, 0400) < 0)
		r = fsx_errno_code(errno);
	if (close(s->fd) < 0 && r == 0)
		r = fsx_errno_code(errno);
	s->fd = -1;
	if (r == 0)
		r = link_into_place(s, path, name);
	if (r == 0)
		r = fsx_fsync_parent(path);
	free(path);
	local_stream_abort(bs); /* removes the temporary name */
	return r;
}

/* ---- readers: the last file stays open ---- */

struct be_reader {
	int fd;
	enum be_type t;
	char name[65];
};

static int reader_open(struct local *l, struct be_reader *rd, enum be_type t,
		       const char *name)
{
	char *path;

	if (rd->fd >= 0 && rd->t == t && strcmp(rd->name, name) == 0)
		return 0;
	if (rd->fd >= 0)
		close(rd->fd);
	rd->fd = -1;
	if (!valid_name(t, name))
		return RP_EINVAL;
	path = local_path(l, t, name);
	rd->fd = open(path, O_RDONLY | O_CLOEXEC);
	free(path);
	if (rd->fd < 0)
		return fsx_errno_code(errno);
	rd->t = t;
	snprintf(rd->name, sizeof(rd->name), "%s", name);
	return 0;
}

static int local_reader_get(struct backend *be, struct be_reader **rdp,
			    enum be_type t, const char *name, uint64_t off,
			    size_t len, struct buf *out)
{
	struct be_reader *rd = *rdp;
	int r;

	if (len == 0)
		return local_get(be, t, name, off, len, out);
	if (rd == NULL) {
		rd = *rdp = xcalloc(1, sizeof(*rd));
		rd->fd = -1;
	}
	if ((r = reader_open((struct local *)be, rd, t, name)) < 0)
		return r;
	if ((r = buf_reserve(out, len)) < 0)
		return r;
	r = fsx_pread_all(rd->fd, out->p + out->len, len, off);
	if (r == 0) {
		out->len += len;
		out->p[out->len] = 0;
	}
	return r;
}

static void local_reader_free(struct be_reader *rd)
{
	if (rd == NULL)
		return;
	if (rd->fd >= 0)
		close(rd->fd);
	free(rd);
}

static const struct backend_ops local_ops = {
	.create = local_create,
	.put = local_put,
	.get = local_get,
	.stat = local_stat,
	.list = local_list,
	.remove = local_remove,
	.close = local_close,
	.stream_open = local_stream_open,
	.stream_write = local_stream_write,
	.stream_commit = local_stream_commit,
	.stream_abort = local_stream_abort,
	.reader_get = local_reader_get,
	.reader_free = local_reader_free,
	.list_consistent = 1,
};

int backend_local_open(const char *dir, struct backend **out)
{
	struct local *l = xcalloc(1, sizeof(*l));
	size_t n = strlen(dir);

	while (n > 1 && dir[n - 1] == '/')
		n--;
	l->be.ops = &local_ops;
	l->dir = xstrndup(dir, n);
	l->be.location = l->dir;
	*out = &l->be;
	return 0;
}

