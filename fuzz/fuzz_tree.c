/*
 * fuzz_tree: tree_decode (RESTIC_FORMAT.md §11), then the tree_encode
 * round trip and tree_sort.
 *
 * Input: a tree blob's plaintext.
 * Checked when it decodes:
 *   - tree_encode succeeds and its output decodes again;
 *   - the raw bytes that must survive a round trip do: node names (Go
 *     quoting, §11.3), link targets (linktarget_raw when not UTF-8) and
 *     xattr values;
 *   - after one round the encoding is a fixed point: with t2 =
 *     decode(encode(t)), decode(encode(t2)) equals t2 field by field and
 *     encodes to the same bytes (the first round may still turn invalid
 *     UTF-8 in plain strings into U+FFFD, as Go's decoder does);
 *   - tree_sort does not crash (it may refuse duplicate names).
 */
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

#include "repo/tree.h"

static int bytes_eq(const uint8_t *a, size_t an, const uint8_t *b, size_t bn)
{
	return an == bn && (an == 0 || memcmp(a, b, an) == 0);
}

static int str_eq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

static int time_eq(const struct gotime *a, const struct gotime *b)
{
	return a->sec == b->sec && a->nsec == b->nsec && a->off == b->off;
}

/* raw_same: what must survive encode -> decode byte for byte. */
static void raw_same(const struct node *a, const struct node *b)
{
	size_t i;

	FUZZ_CHECK(bytes_eq(a->name, a->name_len, b->name, b->name_len));
	FUZZ_CHECK(bytes_eq(a->linktarget, a->linktarget_len, b->linktarget,
			    b->linktarget_len));
	FUZZ_CHECK(a->nxattrs == b->nxattrs);
	for (i = 0; i < a->nxattrs; i++)
		FUZZ_CHECK(bytes_eq(a->xattrs[i].value, a->xattrs[i].len,
				    b->xattrs[i].value, b->xattrs[i].len));
}

/* node_same: every field tree_encode writes. */
static void node_same(const struct node *a, const struct node *b)
{
	size_t i;

	raw_same(a, b);
	FUZZ_CHECK(a->type == b->type && a->mode == b->mode);
	FUZZ_CHECK(time_eq(&a->mtime, &b->mtime) &&
		   time_eq(&a->atime, &b->atime) &&
		   time_eq(&a->ctime, &b->ctime));
	FUZZ_CHECK(a->uid == b->uid && a->gid == b->gid);
	FUZZ_CHECK(str_eq(a->user, b->user) && str_eq(a->group, b->group) &&
		   str_eq(a->error, b->error));
	FUZZ_CHECK(a->inode == b->inode && a->device_id == b->device_id &&
		   a->size == b->size && a->links == b->links &&
		   a->device == b->device);
	for (i = 0; i < a->nxattrs; i++)
		FUZZ_CHECK(str_eq(a->xattrs[i].name, b->xattrs[i].name));
	FUZZ_CHECK(a->ncontent == b->ncontent);
	for (i = 0; i < a->ncontent; i++)
		FUZZ_CHECK(memcmp(a->content[i], b->content[i], 32) == 0);
	FUZZ_CHECK(a->has_subtree == b->has_subtree);
	FUZZ_CHECK(!a->has_subtree || !memcmp(a->subtree, b->subtree, 32));
}

static void decode_ok(const struct buf *b, struct tree *t)
{
	tree_init(t);
	FUZZ_CHECK(tree_decode(b->p, b->len, t) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tree t1, t2, t3;
	struct buf e1 = BUF_INIT, e2 = BUF_INIT, e3 = BUF_INIT;
	size_t i;

	fuzz_init();
	tree_init(&t1);
	if (tree_decode(data, size, &t1) < 0) {
		tree_release(&t1);
		return 0;
	}
	FUZZ_CHECK(tree_encode(&t1, &e1) == 0);
	decode_ok(&e1, &t2);
	FUZZ_CHECK(t1.n == t2.n);
	for (i = 0; i < t1.n; i++)
		raw_same(&t1.nodes[i], &t2.nodes[i]);
	FUZZ_CHECK(tree_encode(&t2, &e2) == 0);
	decode_ok(&e2, &t3);
	FUZZ_CHECK(t2.n == t3.n);
	for (i = 0; i < t2.n; i++)
		node_same(&t2.nodes[i], &t3.nodes[i]);
	FUZZ_CHECK(tree_encode(&t3, &e3) == 0);
	FUZZ_CHECK(bytes_eq(e2.p, e2.len, e3.p, e3.len));
	tree_sort(&t1);
	tree_release(&t1);
	tree_release(&t2);
	tree_release(&t3);
	buf_release(&e1);
	buf_release(&e2);
	buf_release(&e3);
	return 0;
}
