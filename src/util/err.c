#include "util/err.h"

#include <stddef.h>

static const char *const messages[] = {
	[0] = "success",
	[-RP_EIO] = "input/output error",
	[-RP_EFORMAT] = "invalid format",
	[-RP_ENOTFOUND] = "not found",
	[-RP_ECORRUPT] = "data is corrupted (hash or MAC mismatch)",
	[-RP_ELOCKED] = "repository is locked",
	[-RP_EAUTH] = "wrong password or no key found",
	[-RP_ENOMEM] = "size over limit",
	[-RP_EINVAL] = "invalid argument",
	[-RP_ETRUNC] = "truncated input",
	[-RP_EEXIST] = "already exists",
	[-RP_ENOSPC] = "no space left on device",
	[-RP_EINTERNAL] = "internal error",
	[-RP_ECMD] = "command failed",
	[-RP_ENOREPO] = "repository does not exist",
	[-RP_EPARTIAL] = "some items were skipped",
	[-RP_EINTR] = "interrupted",
	[-RP_EACCES] = "permission denied",
	[-RP_EROFS] = "read-only file system",
};

const char *rp_strerror(int err)
{
	size_t i = err <= 0 ? (size_t)-(long)err : 0;

	if (err > 0 || i >= sizeof(messages) / sizeof(messages[0]) ||
	    messages[i] == NULL)
		return "unknown error";
	return messages[i];
}
