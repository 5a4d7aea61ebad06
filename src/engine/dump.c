#include "engine/dump.h"

#include <string.h>

#include "util/err.h"
#include "util/fsx.h"

/* take_child: moves the node called name[0..len) out of tree t. */
static int take_child(struct tree *t, const char *name, size_t len,
		      struct node *out)
{
	size_t i;

	for (i = 0; i < t->n; i++) {
		struct node *n = &t->nodes[i];

		if (n->name_len == len && memcmp(n->name, name, len) == 0) {
			*out = *n;
			memset(n, 0, sizeof(*n));
			return 0;
		}
	}
	return RP_ENOTFOUND;
}

int dump_find(struct repo *r, const uint8_t root[32], const char *path,
	      struct node *out)
{
	uint8_t tree_id[32];
	const char *s = path, *e;
	int rc = RP_ENOTFOUND, have = 0;

	memset(out, 0, sizeof(*out));
	memcpy(tree_id, root, 32);
	for (;;) {
		struct tree t;

		while (*s == '/')
			s++;
		if (*s == '\0')
			break;
		e = strchr(s, '/');
		if (e == NULL)
			e = s + strlen(s);
		if (have) {
			if (out->type != NODE_DIR || !out->has_subtree) {
				node_release(out);
				return RP_ENOTFOUND;
			}
			memcpy(tree_id, out->subtree, 32);
			node_release(out);
		}
		tree_init(&t);
		rc = repo_load_tree(r, tree_id, &t);
		if (rc == 0)
			rc = take_child(&t, s, (size_t)(e - s), out);
		tree_release(&t);
		if (rc < 0)
			return rc;
		have = 1;
		s = e;
	}
	return have ? 0 : RP_ENOTFOUND;
}

int dump_file(struct repo *r, const struct node *n, int fd,
	      uint64_t *written)
{
	struct buf b = BUF_INIT;
	size_t i;
	int rc = 0;

	*written = 0;
	if (n->type != NODE_FILE)
		return RP_EINVAL;
	for (i = 0; i < n->ncontent && rc == 0; i++) {
		rc = repo_load_blob(r, BLOB_DATA, n->content[i], &b);
		if (rc == 0)
			rc = fsx_write_all(fd, b.p, b.len);
		if (rc == 0)
			*written += b.len;
	}
	buf_release(&b);
	return rc;
}
