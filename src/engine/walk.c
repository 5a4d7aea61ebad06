#include "engine/walk.h"

#include <stdlib.h>
#include <string.h>

#include "util/xmalloc.h"

int walk_tree(struct repo *r, const uint8_t tree[32], const char *prefix,
	      walk_fn fn, void *arg)
{
	struct tree t;
	size_t i;
	int rc;

	tree_init(&t);
	rc = repo_load_tree(r, tree, &t);
	if (rc < 0) {
		tree_release(&t);
		return fn(prefix, NULL, rc, arg);
	}
	for (i = 0, rc = 0; i < t.n && rc == 0; i++) {
		const struct node *n = &t.nodes[i];
		char *path = xasprintf("%s/%.*s", prefix, (int)n->name_len,
				       (const char *)n->name);

		rc = fn(path, n, 0, arg);
		if (rc == 0 && n->type == NODE_DIR && n->has_subtree)
			rc = walk_tree(r, n->subtree, path, fn, arg);
		free(path);
	}
	tree_release(&t);
	return rc;
}
