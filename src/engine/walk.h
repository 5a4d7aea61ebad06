/*
 * walk: visits every node below a tree, depth first, in name order.
 *
 * fn gets the node's path in the snapshot ("/srv/data/file") and the node
 * (borrowed for the call).  A tree that cannot be loaded is reported to fn
 * with node == NULL and err set, and the walk goes on.  A non-zero return
 * from fn stops the walk and is returned.
 */
#ifndef RP_WALK_H
#define RP_WALK_H

#include "repo/repo.h"
#include "repo/tree.h"

typedef int (*walk_fn)(const char *path, const struct node *n, int err,
		       void *arg);

int walk_tree(struct repo *r, const uint8_t tree[32], const char *prefix,
	      walk_fn fn, void *arg);

#endif
