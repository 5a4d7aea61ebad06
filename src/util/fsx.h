/*
 * fsx: file-system helpers with one way of writing files.
 *
 * fsx_write_atomic is the only way reprise writes a file that another
 * process may read: it writes a temporary file in the same directory
 * (".tmp-<name>-<random>"), fsyncs it, renames it over the final name,
 * then fsyncs the directory.  A crash leaves the old state or the new one,
 * never a half file under the final name.  On error the temporary file is
 * removed and errno is preserved for the caller's message.
 */
#ifndef RP_FSX_H
#define RP_FSX_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "util/buf.h"

enum fsx_flags {
	FSX_NOREPLACE = 1 << 0, /* fail with RP_EEXIST if the target exists */
	FSX_NOSYNC = 1 << 1,    /* skip fsync (tests, scratch files only) */
};

/* fsx_write_atomic: path gets exactly p[0..n) with the given mode.
 * 0, RP_EEXIST, RP_ENOSPC, RP_EIO (errno set). */
int fsx_write_atomic(const char *path, const void *p, size_t n, mode_t mode,
		     unsigned flags);
/* fsx_read_file: whole file into out (capped by out->max).  0, RP_ENOTFOUND,
 * RP_ENOMEM (over the cap), RP_EIO. */
int fsx_read_file(const char *path, struct buf *out);
/* fsx_pread_all: reads exactly n bytes at off (RP_ETRUNC if the file is
 * shorter), retrying on EINTR and short reads. */
int fsx_pread_all(int fd, void *p, size_t n, uint64_t off);
/* fsx_write_all: writes all of p to fd, retrying on EINTR/short writes. */
int fsx_write_all(int fd, const void *p, size_t n);
/* fsx_mkdir_p: creates path and its parents with mode; existing is fine. */
int fsx_mkdir_p(const char *path, mode_t mode);
/* fsx_fsync_dir: fsyncs the directory that contains path. */
int fsx_fsync_parent(const char *path);
/* fsx_remove_tree: removes path and everything below it (symlinks are
 * removed, never followed).  0 or an error code of the first failure. */
int fsx_remove_tree(const char *path);
/* fsx_errno_code: maps errno to an rp_err code (ENOENT -> RP_ENOTFOUND,
 * ENOSPC/EDQUOT -> RP_ENOSPC, EEXIST -> RP_EEXIST, else RP_EIO). */
int fsx_errno_code(int e);

#endif
