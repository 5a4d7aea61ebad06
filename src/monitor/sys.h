/*
 * sys: free space per filesystem, load and memory, from /proc and
 * statvfs.
 *
 * The proc root is an argument (NULL: "/proc") so tests hand in a fake
 * one: PROC/mounts (the mount table, as /proc/mounts or
 * /proc/self/mounts), PROC/loadavg, PROC/meminfo.  Each file is read whole
 * under a cap (SYS_FILE_MAX) and parsed by hand: numbers with a fraction
 * are read without strtod, whose decimal separator follows LC_NUMERIC
 * (French: a comma) once the CLI has called setlocale.
 *
 * Filesystems.  sys_filesystems lists the mount table's real filesystems
 * and statvfs()s each mount point:
 *   - pseudo and memory filesystems are skipped (proc, sysfs, cgroup,
 *     tmpfs, devtmpfs, overlay of containers' layers...: SYS_SKIP_TYPES
 *     in sys.c), and so are read-only images that are full by design
 *     (squashfs, iso9660, erofs);
 *   - a filesystem of zero blocks is skipped;
 *   - a device mounted twice (bind mounts) is listed once, at its first
 *     mount point;
 *   - a mount point that statvfs cannot reach is skipped (an NFS server
 *     down must not hide the local disks; probes watch servers).
 * The mount point's octal escapes (\040 for a space) are decoded.  Sizes
 * are bytes: size = f_blocks * f_frsize, avail = f_bavail * f_frsize (what
 * an ordinary user can still write), used = (f_blocks - f_bfree) *
 * f_frsize.  "Percent full" is used / (used + avail), as df prints it:
 * root's reserve counts as unavailable.
 *
 *   struct sys_fs *v; size_t n;
 *   if (sys_filesystems(NULL, &v, &n) == 0) { ...; free(v); }
 */
#ifndef RP_SYS_H
#define RP_SYS_H

#include <stddef.h>
#include <stdint.h>

#include "monitor/monitor.h"

#define SYS_PROC_DEFAULT "/proc"
#define SYS_FILE_MAX ((size_t)1 << 20)  /* bytes of one proc file */
#define SYS_FS_MAX 512                  /* filesystems listed */
#define SYS_PATH_MAX 256                /* longer mount points: skipped */

struct sys_fs {
	char mount[SYS_PATH_MAX];   /* "/", "/srv/data" */
	char device[SYS_PATH_MAX];  /* "/dev/vda1" (cut to fit) */
	char type[32];              /* "ext4" */
	uint64_t size, avail, used; /* bytes */
};

/* sys_fs_stat: statvfs of path into *fs (mount = path, no device or type).
 * 0, RP_EINVAL (path too long), RP_ENOTFOUND, RP_EIO. */
int sys_fs_stat(const char *path, struct sys_fs *fs);
/* sys_fs_percent: used / (used + avail) * 100; 0 for an empty one. */
double sys_fs_percent(const struct sys_fs *fs);

/* sys_filesystems: the real filesystems of PROC/mounts (see above).  *v
 * is a new array (free()) of *n, NULL when none.  0, RP_ENOTFOUND (no
 * mounts file), RP_ENOMEM (file over SYS_FILE_MAX), RP_EIO. */
int sys_filesystems(const char *proc, struct sys_fs **v, size_t *n);

struct sys_load {
	double load1, load5, load15;
};

/* sys_read_load: PROC/loadavg.  0, RP_ENOTFOUND, RP_EFORMAT, RP_EIO. */
int sys_read_load(const char *proc, struct sys_load *out);

struct sys_mem {
	uint64_t total, available;          /* bytes: MemTotal, MemAvailable */
	uint64_t swap_total, swap_free;     /* bytes (0 without swap) */
};

/* sys_read_mem: PROC/meminfo (kB lines).  MemTotal and MemAvailable are
 * required (kernels since 3.14 have both).  0, RP_ENOTFOUND, RP_EFORMAT,
 * RP_EIO. */
int sys_read_mem(const char *proc, struct sys_mem *out);

/* sys_parse_decimal: "12", "0.52", "-3.25" (no exponent) at s; *end after
 * it.  0 or RP_EFORMAT.  Independent of the locale. */
int sys_parse_decimal(const char *s, const char **end, double *out);

/* The rows of monitor.h: fs_size_bytes, fs_avail_bytes, fs_used_bytes by
 * mount; load1, load5, load15; mem_total_bytes, mem_available_bytes.  0
 * or the first error of monitor_samples_add. */
int sys_fs_samples(const struct sys_fs *v, size_t n,
		   struct monitor_samples *out);
int sys_load_samples(const struct sys_load *l, struct monitor_samples *out);
int sys_mem_samples(const struct sys_mem *m, struct monitor_samples *out);

#endif
