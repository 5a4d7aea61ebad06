#include "util/fsx.h"

#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util/err.h"
#include "util/xmalloc.h"

int fsx_errno_code(int e)
{
	switch (e) {
	case ENOENT:
	case ENOTDIR:
		return RP_ENOTFOUND;
	case ENOSPC:
	case EDQUOT:
		return RP_ENOSPC;
	case EEXIST:
		return RP_EEXIST;
	case EACCES:
	case EPERM:
		return RP_EACCES;
	case EROFS:
		return RP_EROFS;
	default:
		return RP_EIO;
	}
}

int fsx_write_all(int fd, const void *p, size_t n)
{
	const uint8_t *c = p;

	while (n > 0) {
		ssize_t w = write(fd, c, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return fsx_errno_code(w < 0 ? errno : ENOSPC);
		c += w;
		n -= (size_t)w;
	}
	return 0;
}

int fsx_pread_all(int fd, void *p, size_t n, uint64_t off)
{
	uint8_t *c = p;

	while (n > 0) {
		ssize_t r = pread(fd, c, n, (off_t)off);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return fsx_errno_code(errno);
		if (r == 0)
			return RP_ETRUNC;
		c += r;
		n -= (size_t)r;
		off += (uint64_t)r;
	}
	return 0;
}

int fsx_fsync_parent(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash ? xstrndup(path, (size_t)(slash - path)) : xstrdup(".");
	int fd, r = 0;

	if (dir[0] == '\0') {
		free(dir);
		dir = xstrdup("/");
	}
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || fsync(fd) < 0)
		r = fsx_errno_code(errno);
	if (fd >= 0)
		close(fd);
	free(dir);
	return r;
}

static char *temp_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	size_t dlen = slash ? (size_t)(slash - path) + 1 : 0;
	unsigned rnd;
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);

	rnd = (unsigned)getpid() ^ (unsigned)(uintptr_t)&rnd;
	if (fd >= 0) {
		if (read(fd, &rnd, sizeof(rnd)) < 0)
			rnd ^= (unsigned)time(NULL);
		close(fd);
	}
	return xasprintf("%.*s.tmp-%.20s-%08x", (int)dlen, path, path + dlen,
			 rnd);
}

static int write_temp(const char *tmp, const void *p, size_t n, mode_t mode,
		      unsigned flags)
{
	int fd, r;

	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return fsx_errno_code(errno);
	r = fsx_write_all(fd, p, n);
	if (r == 0 && !(flags & FSX_NOSYNC) && fsync(fd) < 0)
		r = fsx_errno_code(errno);
	if (r == 0 && fchmod(fd, mode) < 0)
		r = fsx_errno_code(errno);
	if (close(fd) < 0 && r == 0)
		r = fsx_errno_code(errno);
	return r;
}

int fsx_write_atomic(const char *path, const void *p, size_t n, mode_t mode,
		     unsigned flags)
{
	char *tmp = temp_name(path);
	int r, saved;

	r = write_temp(tmp, p, n, mode, flags);
	if (r == 0 && (flags & FSX_NOREPLACE)) {
		/* link() fails if the target exists: no silent overwrite. */
		if (link(tmp, path) < 0)
			r = fsx_errno_code(errno);
		else
			unlink(tmp);
	} else if (r == 0 && rename(tmp, path) < 0) {
		r = fsx_errno_code(errno);
	}
	saved = errno;
	if (r < 0)
		unlink(tmp);
	else if (!(flags & FSX_NOSYNC))
		r = fsx_fsync_parent(path);
	free(tmp);
	errno = saved;
	return r;
}

int fsx_read_file(const char *path, struct buf *out)
{
	struct stat st;
	int fd, r = RP_EIO;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return fsx_errno_code(errno);
	if (fstat(fd, &st) < 0) {
		r = fsx_errno_code(errno);
		goto out;
	}
	if ((r = buf_reserve(out, (size_t)st.st_size)) < 0)
		goto out;
	r = fsx_pread_all(fd, out->p + out->len, (size_t)st.st_size, 0);
	if (r == 0) {
		out->len += (size_t)st.st_size;
		out->p[out->len] = 0;
	}
out:
	close(fd);
	return r;
}

int fsx_mkdir_p(const char *path, mode_t mode)
{
	char *p = xstrdup(path), *s;
	int r = 0;

	for (s = p + 1; ; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		char c = *s;

		*s = '\0';
		if (mkdir(p, mode) < 0 && errno != EEXIST) {
			r = fsx_errno_code(errno);
			break;
		}
		*s = c;
		if (c == '\0')
			break;
	}
	free(p);
	return r;
}

int fsx_remove_tree(const char *path)
{
	struct stat st;
	DIR *d;
	struct dirent *de;
	int r = 0;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : fsx_errno_code(errno);
	if (!S_ISDIR(st.st_mode))
		return unlink(path) < 0 ? fsx_errno_code(errno) : 0;
	if ((d = opendir(path)) == NULL)
		return fsx_errno_code(errno);
	while ((de = readdir(d)) != NULL) {
		char *p;
		int e;

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		p = xasprintf("%s/%s", path, de->d_name);
		e = fsx_remove_tree(p);
		if (r == 0)
			r = e;
		free(p);
	}
	closedir(d);
	if (rmdir(path) < 0 && r == 0)
		r = fsx_errno_code(errno);
	return r;
}
