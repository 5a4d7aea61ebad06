/*
 * sys: mount table, statvfs, loadavg and meminfo readers (see sys.h).
 */
#include "monitor/sys.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/err.h"
#include "util/fsx.h"
#include "util/xmalloc.h"

/* Filesystem types never listed: kernel pseudo filesystems, memory
 * filesystems, images that are full by design, and network filesystems
 * (statvfs on an unreachable server blocks for minutes). */
static const char *const SYS_SKIP_TYPES[] = {
	"proc", "sysfs", "devtmpfs", "devpts", "tmpfs", "ramfs", "cgroup",
	"cgroup2", "securityfs", "debugfs", "tracefs", "pstore", "bpf",
	"mqueue", "hugetlbfs", "autofs", "fusectl", "configfs",
	"binfmt_misc", "rpc_pipefs", "nsfs", "efivarfs", "selinuxfs",
	"squashfs", "iso9660", "erofs", "udf", "nfs", "nfs4", "cifs", "smb3",
	"smbfs", "ceph", "glusterfs", "9p", "fuse.sshfs", "fuse.rclone",
	"fuse.gvfsd-fuse", "fuse.portal", "fuse.lxcfs", NULL,
};

/* read_proc: PROC/name whole into b (capped at SYS_FILE_MAX); proc files
 * have no size, so it reads to the end. */
static int read_proc(const char *proc, const char *name, struct buf *b)
{
	char path[4096], chunk[4096];
	ssize_t got;
	int fd, r = 0;

	buf_init(b, SYS_FILE_MAX);
	if ((size_t)snprintf(path, sizeof(path), "%s/%s",
			     proc ? proc : SYS_PROC_DEFAULT, name) >=
	    sizeof(path))
		return RP_EINVAL;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return fsx_errno_code(errno);
	for (;;) {
		got = read(fd, chunk, sizeof(chunk));
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0 || (r = buf_add(b, chunk, (size_t)got)) < 0)
			break;
	}
	if (got < 0)
		r = RP_EIO;
	close(fd);
	if (r < 0)
		buf_release(b);
	return r;
}

int sys_parse_decimal(const char *s, const char **end, double *out)
{
	double v = 0, scale = 1;
	int neg = *s == '-', digits = 0;

	s += neg;
	for (; *s >= '0' && *s <= '9'; s++, digits++)
		v = v * 10 + (*s - '0');
	if (*s == '.')
		for (s++; *s >= '0' && *s <= '9'; s++, digits++)
			v += (*s - '0') * (scale /= 10);
	*end = s;
	if (!digits)
		return RP_EFORMAT;
	*out = neg ? -v : v;
	return 0;
}

/* unescape: /proc/mounts writes space, tab, newline and backslash as
 * \ooo; decodes in place. */
static void unescape(char *s)
{
	char *w = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' &&
		    s[2] >= '0' && s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			*w++ = (char)((s[1] - '0') << 6 | (s[2] - '0') << 3 |
				      (s[3] - '0'));
			s += 3;
		} else {
			*w++ = *s;
		}
	}
	*w = '\0';
}

/* split: the first n space-separated fields of line (NUL-terminated in
 * place).  1 when all n were there. */
static int split(char *line, char **f, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		while (*line == ' ' || *line == '\t')
			line++;
		if (!*line)
			return 0;
		f[i] = line;
		line += strcspn(line, " \t");
		if (*line)
			*line++ = '\0';
	}
	return 1;
}

static int skipped_type(const char *type)
{
	size_t i;

	for (i = 0; SYS_SKIP_TYPES[i]; i++)
		if (!strcmp(type, SYS_SKIP_TYPES[i]))
			return 1;
	return 0;
}

int sys_fs_stat(const char *path, struct sys_fs *fs)
{
	struct statvfs st;
	uint64_t bs;

	memset(fs, 0, sizeof(*fs));
	if (strlen(path) >= sizeof(fs->mount))
		return RP_EINVAL;
	if (statvfs(path, &st) < 0)
		return fsx_errno_code(errno);
	memcpy(fs->mount, path, strlen(path) + 1);
	bs = st.f_frsize ? st.f_frsize : st.f_bsize;
	fs->size = (uint64_t)st.f_blocks * bs;
	fs->avail = (uint64_t)st.f_bavail * bs;
	fs->used = (uint64_t)(st.f_blocks - st.f_bfree) * bs;
	return 0;
}

double sys_fs_percent(const struct sys_fs *fs)
{
	uint64_t all = fs->used + fs->avail;

	return all ? (double)fs->used * 100.0 / (double)all : 0;
}

/* seen_device: dev already in v[0..n) (a bind mount). */
static int seen_device(const struct sys_fs *v, size_t n, const char *dev)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(v[i].device, dev))
			return 1;
	return 0;
}

/* mount_line: one line of the mount table; appends to *v when it is a
 * real filesystem that statvfs reaches. */
static void mount_line(char *line, struct sys_fs **v, size_t *n,
		       size_t *cap)
{
	char *f[3];
	struct sys_fs fs;

	if (!split(line, f, 3) || skipped_type(f[2]) || *n >= SYS_FS_MAX)
		return;
	unescape(f[0]);
	unescape(f[1]);
	if (seen_device(*v, *n, f[0]) || sys_fs_stat(f[1], &fs) < 0 ||
	    fs.size == 0)
		return;
	snprintf(fs.device, sizeof(fs.device), "%.*s",
		 (int)sizeof(fs.device) - 1, f[0]);
	snprintf(fs.type, sizeof(fs.type), "%.*s", (int)sizeof(fs.type) - 1,
		 f[2]);
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		*v = xreallocarray(*v, *cap, sizeof(**v));
	}
	(*v)[(*n)++] = fs;
}

int sys_filesystems(const char *proc, struct sys_fs **v, size_t *n)
{
	struct buf b;
	char *line, *next;
	size_t cap = 0;
	int r;

	*v = NULL;
	*n = 0;
	if ((r = read_proc(proc, "mounts", &b)) < 0)
		return r;
	for (line = (char *)buf_cstr(&b); *line; line = next) {
		next = line + strcspn(line, "\n");
		if (*next)
			*next++ = '\0';
		mount_line(line, v, n, &cap);
	}
	buf_release(&b);
	return 0;
}

int sys_read_load(const char *proc, struct sys_load *out)
{
	struct buf b;
	const char *p;
	double *dst[3] = { &out->load1, &out->load5, &out->load15 };
	int i, r;

	memset(out, 0, sizeof(*out));
	if ((r = read_proc(proc, "loadavg", &b)) < 0)
		return r;
	p = buf_cstr(&b);
	for (i = 0; i < 3 && r == 0; i++) {
		while (*p == ' ')
			p++;
		r = sys_parse_decimal(p, &p, dst[i]);
		if (r == 0 && *p != ' ' && *p != '\n' && *p != '\0')
			r = RP_EFORMAT;
	}
	buf_release(&b);
	return r;
}

/* meminfo_kb: the value of "key:   N kB" in text, in bytes.  0 or
 * RP_ENOTFOUND. */
static int meminfo_kb(const char *text, const char *key, uint64_t *out)
{
	size_t kl = strlen(key);
	const char *p = text;
	unsigned long long v;
	char *end;

	while (p && *p) {
		if (!strncmp(p, key, kl) && p[kl] == ':') {
			errno = 0;
			v = strtoull(p + kl + 1, &end, 10);
			if (errno || end == p + kl + 1 || v > UINT64_MAX / 1024)
				return RP_EFORMAT;
			*out = (uint64_t)v * 1024;
			return 0;
		}
		p = strchr(p, '\n');
		p = p ? p + 1 : NULL;
	}
	return RP_ENOTFOUND;
}

int sys_read_mem(const char *proc, struct sys_mem *out)
{
	struct buf b;
	const char *t;
	int r;

	memset(out, 0, sizeof(*out));
	if ((r = read_proc(proc, "meminfo", &b)) < 0)
		return r;
	t = buf_cstr(&b);
	r = meminfo_kb(t, "MemTotal", &out->total);
	if (r == 0)
		r = meminfo_kb(t, "MemAvailable", &out->available);
	if (r == RP_ENOTFOUND)
		r = RP_EFORMAT;
	if (r == 0 && meminfo_kb(t, "SwapTotal", &out->swap_total) == 0)
		meminfo_kb(t, "SwapFree", &out->swap_free);
	buf_release(&b);
	return r;
}

int sys_fs_samples(const struct sys_fs *v, size_t n,
		   struct monitor_samples *out)
{
	char l[MONITOR_LABELS_MAX];
	size_t i;
	int r = 0;

	for (i = 0; i < n && r == 0; i++) {
		if (monitor_label(l, sizeof(l), "mount", v[i].mount) < 0)
			continue;
		r = monitor_samples_add(out, "fs_size_bytes", l,
					(double)v[i].size);
		if (r == 0)
			r = monitor_samples_add(out, "fs_avail_bytes", l,
						(double)v[i].avail);
		if (r == 0)
			r = monitor_samples_add(out, "fs_used_bytes", l,
						(double)v[i].used);
	}
	return r;
}

int sys_load_samples(const struct sys_load *l, struct monitor_samples *out)
{
	int r = monitor_samples_add(out, "load1", "", l->load1);

	if (r == 0)
		r = monitor_samples_add(out, "load5", "", l->load5);
	if (r == 0)
		r = monitor_samples_add(out, "load15", "", l->load15);
	return r;
}

int sys_mem_samples(const struct sys_mem *m, struct monitor_samples *out)
{
	int r = monitor_samples_add(out, "mem_total_bytes", "",
				    (double)m->total);

	if (r == 0)
		r = monitor_samples_add(out, "mem_available_bytes", "",
					(double)m->available);
	return r;
}
