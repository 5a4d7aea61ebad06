/* restore_verify: reading restored files back (see restore.h). */
#include "engine/restore.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crypto/crypto.h"
#include "engine/walk.h"
#include "repo/pack.h"
#include "util/clock.h"
#include "util/err.h"
#include "util/xmalloc.h"

static int read_exact(int fd, uint8_t *p, size_t n)
{
	while (n > 0) {
		ssize_t r = read(fd, p, n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return 0;
		p += r;
		n -= (size_t)r;
	}
	return 1;
}

/* blob_len: the plaintext length of data blob id, from the index. */
static int blob_len(struct repo *r, const uint8_t id[32], size_t *len)
{
	struct pack_blob b;

	if (!index_lookup(&r->idx, id, BLOB_DATA, &b, NULL) ||
	    b.length < CRYPTO_OVERHEAD)
		return 0;
	*len = b.ulen ? b.ulen : b.length - CRYPTO_OVERHEAD;
	return *len <= BLOB_MAX_SIZE;
}

int restore_file_matches(struct repo *r, uint8_t (*const content)[32],
			 size_t n, const char *path, uint8_t **buf,
			 size_t *cap)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	uint8_t sum[32], one;
	size_t i, len = 0;
	int ok = fd >= 0;

	for (i = 0; ok && i < n; i++) {
		ok = blob_len(r, content[i], &len);
		if (ok && len > *cap) {
			*buf = xrealloc(*buf, len);
			*cap = len;
		}
		ok = ok && read_exact(fd, *buf, len);
		if (ok) {
			crypto_sha256(*buf, len, sum);
			ok = memcmp(sum, content[i], 32) == 0;
		}
	}
	ok = ok && read(fd, &one, 1) == 0;
	if (fd >= 0)
		close(fd);
	return ok;
}

struct vctx {
	struct repo *r;
	const struct restore_opts *o;
	struct restore_stats *st;
	uint8_t *buf;
	size_t cap;
};

static void vwarn(struct vctx *v, const char *path, const char *what, int e)
{
	v->st->errors++;
	if (v->o->warn)
		v->o->warn(path, what, e, v->o->arg);
}

static int verify_node(const char *spath, const struct node *n, int err,
		       void *arg)
{
	struct vctx *v = arg;
	char *path;

	if (n == NULL) {
		vwarn(v, spath, "read tree", err);
		return 0;
	}
	if (n->type != NODE_FILE || !restore_selected(v->o, spath, 0))
		return 0;
	path = xasprintf("%s%s", v->o->target, spath);
	if (restore_file_matches(v->r, n->content, n->ncontent, path,
				 &v->buf, &v->cap)) {
		v->st->files++;
		v->st->bytes += n->size;
	} else {
		vwarn(v, path, "verify", RP_ECORRUPT);
	}
	free(path);
	return 0;
}

int restore_verify(struct repo *r, const struct snapshot *s,
		   const struct restore_opts *o, struct restore_stats *st)
{
	struct vctx v;
	struct timespec t0;
	int rc;

	memset(st, 0, sizeof(*st));
	memset(&v, 0, sizeof(v));
	v.r = r;
	v.o = o;
	v.st = st;
	clock_start(&t0);
	rc = walk_tree(r, s->tree, "", verify_node, &v);
	st->seconds = clock_elapsed(&t0);
	free(v.buf);
	if (rc < 0)
		return rc;
	return st->errors ? RP_EPARTIAL : 0;
}
