/*
 * err: the one error vocabulary of reprise.
 *
 * Every library function returns int: 0 (RP_OK) on success, or one negative
 * value of enum rp_err.  errno is meaningful only after the thin syscall
 * wrappers of fsx.h that say so.  The CLI maps these codes to exit statuses
 * (see cli/exitcode.h); nothing below cli/ exits.
 */
#ifndef RP_ERR_H
#define RP_ERR_H

enum rp_err {
	RP_OK = 0,
	RP_EIO = -1,        /* a read or write failed (errno kept) */
	RP_EFORMAT = -2,    /* bytes do not follow the format */
	RP_ENOTFOUND = -3,  /* no such file, blob, snapshot, key */
	RP_ECORRUPT = -4,   /* a MAC or hash does not match */
	RP_ELOCKED = -5,    /* the repository is locked by another process */
	RP_EAUTH = -6,      /* no key file opens with this password */
	RP_ENOMEM = -7,     /* a size read from input is over its cap */
	RP_EINVAL = -8,     /* bad argument or option value */
	RP_ETRUNC = -9,     /* input ended early */
	RP_EEXIST = -10,    /* already exists */
	RP_ENOSPC = -11,    /* no space left on the device */
	RP_EINTERNAL = -12, /* a bug: an invariant broke */
	RP_ECMD = -13,      /* a child command failed */
	RP_ENOREPO = -14,   /* no repository at this location */
	RP_EPARTIAL = -15,  /* done, but some items were skipped */
	RP_EINTR = -16,     /* interrupted by a signal */
	RP_EACCES = -17,    /* permission denied */
	RP_EROFS = -18,     /* read-only file system */
};

/* rp_strerror: a short English phrase for an error code (static storage).
 * The CLI translates it with gettext. */
const char *rp_strerror(int err);

#endif
