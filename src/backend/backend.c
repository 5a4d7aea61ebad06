#include "backend/backend.h"

#include <string.h>

#include "util/err.h"

int backend_open(const char *location, struct backend **out)
{
	if (location == NULL || location[0] == '\0')
		return RP_EINVAL;
	if (strncmp(location, "local:", 6) == 0)
		return backend_local_open(location + 6, out);
	if (strstr(location, "://") != NULL || strncmp(location, "sftp:", 5) == 0
	    || strncmp(location, "s3:", 3) == 0 ||
	    strncmp(location, "rest:", 5) == 0)
		return RP_EINVAL; /* NEEDSWORK: sftp, s3, rest backends */
	return backend_local_open(location, out);
}

void backend_close(struct backend *be)
{
	if (be)
		be->ops->close(be);
}
