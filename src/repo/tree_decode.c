/*
 * tree_decode: a tree blob's JSON into struct tree, streamed.
 *
 * Trees are decoded on every hot path (each directory of a no-change
 * backup, every restore, check, prune and copy), so this reads yajl's
 * events straight into the nodes instead of building a document first:
 * no allocation per JSON value, one per string kept.  Unknown keys are
 * skipped with whatever they hold (newer restic fields).  Every value is
 * checked as the DOM reader did: names un-quoted and refused when empty,
 * "." or "..", or holding '/' or NUL; numbers non-negative integers that
 * fit their field; times RFC 3339; IDs 64 hex digits.
 */
#include "repo/tree.h"

#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_parse.h>

#include "util/err.h"
#include "util/hex.h"
#include "util/jsonr.h"
#include "util/xmalloc.h"

enum field {
	F_NONE, F_NODES, F_NAME, F_TYPE, F_MODE, F_MTIME, F_ATIME, F_CTIME,
	F_UID, F_GID, F_USER, F_GROUP, F_INODE, F_DEVICE_ID, F_SIZE, F_LINKS,
	F_LINK, F_LINKRAW, F_XATTRS, F_DEVICE, F_CONTENT, F_SUBTREE, F_ERROR,
	F_XNAME, F_XVALUE,
};

static const struct {
	const char *key;
	enum field f;
} node_keys[] = {
	{ "name", F_NAME }, { "type", F_TYPE }, { "mode", F_MODE },
	{ "mtime", F_MTIME }, { "atime", F_ATIME }, { "ctime", F_CTIME },
	{ "uid", F_UID }, { "gid", F_GID }, { "user", F_USER },
	{ "group", F_GROUP }, { "inode", F_INODE },
	{ "device_id", F_DEVICE_ID }, { "size", F_SIZE }, { "links", F_LINKS },
	{ "linktarget", F_LINK }, { "linktarget_raw", F_LINKRAW },
	{ "extended_attributes", F_XATTRS }, { "device", F_DEVICE },
	{ "content", F_CONTENT }, { "subtree", F_SUBTREE },
	{ "error", F_ERROR },
};

enum state { ST_TOP, ST_NODES, ST_NODE, ST_CONTENT, ST_XATTRS, ST_XATTR };

struct sax {
	struct tree *t;
	struct node *n;
	enum state st;
	enum field f;
	int depth, skip, err, saw_top;
	int has_name, has_type, has_raw;
	size_t content_cap;
	struct xattr *x;
};

#define FAIL(s) ((s)->err = RP_EFORMAT, 0)

static enum field lookup(enum state st, const unsigned char *k, size_t n)
{
	size_t i;

	if (st == ST_TOP)
		return n == 5 && memcmp(k, "nodes", 5) == 0 ? F_NODES : F_NONE;
	if (st == ST_XATTR)
		return n == 4 && memcmp(k, "name", 4) == 0	? F_XNAME
		       : n == 5 && memcmp(k, "value", 5) == 0 ? F_XVALUE
							      : F_NONE;
	for (i = 0; i < sizeof(node_keys) / sizeof(node_keys[0]); i++)
		if (strlen(node_keys[i].key) == n &&
		    memcmp(node_keys[i].key, k, n) == 0)
			return node_keys[i].f;
	return F_NONE;
}

/* ---- scalars ---- */

/* ignored: a value being skipped, or the value of an unknown key */
static int ignored(const struct sax *x)
{
	return x->skip || (x->f == F_NONE && (x->st == ST_TOP ||
					      x->st == ST_NODE ||
					      x->st == ST_XATTR));
}

static uint64_t *u64_field(struct node *n, enum field f)
{
	switch (f) {
	case F_INODE: return &n->inode;
	case F_DEVICE_ID: return &n->device_id;
	case F_SIZE: return &n->size;
	case F_LINKS: return &n->links;
	case F_DEVICE: return &n->device;
	default: return NULL;
	}
}

static int on_number(void *ctx, const char *s, size_t len)
{
	struct sax *x = ctx;
	uint64_t v, *dst;

	if (ignored(x))
		return 1;
	if (x->st != ST_NODE)
		return FAIL(x);
	if ((dst = u64_field(x->n, x->f)) != NULL)
		return jsonr_digits(s, len, UINT64_MAX, dst) == 0 ? 1 : FAIL(x);
	if (x->f != F_MODE && x->f != F_UID && x->f != F_GID)
		return FAIL(x);
	if (jsonr_digits(s, len, UINT32_MAX, &v) < 0)
		return FAIL(x);
	if (x->f == F_MODE)
		x->n->mode = (uint32_t)v;
	else if (x->f == F_UID)
		x->n->uid = (uint32_t)v;
	else
		x->n->gid = (uint32_t)v;
	return 1;
}

static int set_name(struct sax *x, const char *s, size_t len)
{
	struct buf raw = BUF_INIT;
	struct node *n = x->n;

	raw.max = 65536;
	if (gostr_unquote(&raw, s, len) < 0 || raw.len == 0 ||
	    memchr(raw.p, '/', raw.len) || memchr(raw.p, 0, raw.len) ||
	    (raw.len == 1 && raw.p[0] == '.') ||
	    (raw.len == 2 && raw.p[0] == '.' && raw.p[1] == '.')) {
		buf_release(&raw);
		return FAIL(x); /* a name must never escape its directory */
	}
	free(n->name);
	n->name = buf_detach(&raw, &n->name_len);
	x->has_name = 1;
	return 1;
}

static int set_type(struct sax *x, const char *s, size_t len)
{
	int t;

	for (t = NODE_FILE; t <= NODE_IRREGULAR; t++) {
		const char *name = node_type_name((enum node_type)t);

		if (strlen(name) == len && memcmp(name, s, len) == 0) {
			x->n->type = (enum node_type)t;
			x->has_type = 1;
			return 1;
		}
	}
	return FAIL(x);
}

static int set_bytes(struct sax *x, uint8_t **dst, size_t *dlen,
		     const char *s, size_t len, int b64, size_t max)
{
	struct buf b = BUF_INIT;

	b.max = max;
	if (b64 ? gostr_base64_decode(&b, s, len) < 0 : buf_add(&b, s, len) < 0) {
		buf_release(&b);
		return FAIL(x);
	}
	free(*dst);
	*dst = buf_detach(&b, dlen);
	return 1;
}

static int set_str(struct sax *x, char **dst, const char *s, size_t len)
{
	if (len > 65536 || memchr(s, 0, len))
		return FAIL(x);
	free(*dst);
	*dst = len ? xstrndup(s, len) : NULL;
	return 1;
}

static int add_content(struct sax *x, const char *s, size_t len)
{
	struct node *n = x->n;

	if (n->ncontent == x->content_cap) {
		x->content_cap = x->content_cap ? x->content_cap * 2 : 4;
		n->content = xreallocarray(n->content, x->content_cap, 32);
	}
	if (hex_decode(s, len, n->content[n->ncontent], 32) < 0)
		return FAIL(x);
	n->ncontent++;
	return 1;
}

static int node_string(struct sax *x, const char *s, size_t len)
{
	struct node *n = x->n;
	struct gotime *t = x->f == F_MTIME ? &n->mtime : x->f == F_ATIME
			   ? &n->atime : x->f == F_CTIME ? &n->ctime : NULL;

	if (t)
		return gostr_time_parse(s, len, t) == 0 ? 1 : FAIL(x);
	switch (x->f) {
	case F_NAME: return set_name(x, s, len);
	case F_TYPE: return set_type(x, s, len);
	case F_USER: return set_str(x, &n->user, s, len);
	case F_GROUP: return set_str(x, &n->group, s, len);
	case F_ERROR: return set_str(x, &n->error, s, len);
	case F_LINK:
		if (x->has_raw)
			return 1; /* linktarget_raw wins */
		return set_bytes(x, &n->linktarget, &n->linktarget_len, s, len,
				 0, 1 << 20);
	case F_LINKRAW:
		x->has_raw = 1;
		return set_bytes(x, &n->linktarget, &n->linktarget_len, s, len,
				 1, 1 << 20);
	case F_SUBTREE:
		n->has_subtree = hex_decode(s, len, n->subtree, 32) == 0;
		return n->has_subtree ? 1 : FAIL(x);
	default:
		return FAIL(x); /* a string where a number or list belongs */
	}
}

static int on_string(void *ctx, const unsigned char *us, size_t len)
{
	struct sax *x = ctx;
	const char *s = (const char *)us;

	if (ignored(x))
		return 1;
	if (x->st == ST_CONTENT)
		return add_content(x, s, len);
	if (x->st == ST_XATTR && x->f == F_XNAME)
		return set_str(x, &x->x->name, s, len) && x->x->name ? 1
								    : FAIL(x);
	if (x->st == ST_XATTR && x->f == F_XVALUE)
		return set_bytes(x, &x->x->value, &x->x->len, s, len, 1,
				 1 << 24);
	if (x->st != ST_NODE)
		return FAIL(x);
	return node_string(x, s, len);
}

static int on_null(void *ctx)
{
	struct sax *x = ctx;

	if (ignored(x) || x->st == ST_NODE || x->st == ST_XATTR)
		return x->f == F_NAME || x->f == F_TYPE ? FAIL(x) : 1;
	if (x->st == ST_TOP)
		return 1; /* "nodes": null is an empty tree */
	return FAIL(x);
}

static int on_bool(void *ctx, int v)
{
	struct sax *x = ctx;

	(void)v;
	return ignored(x) ? 1 : FAIL(x);
}

/* ---- structure ---- */

static int on_start_map(void *ctx)
{
	struct sax *x = ctx;

	if (x->skip || (x->depth > 0 && ignored(x))) {
		x->skip++;
		return 1;
	}
	x->depth++;
	if (x->depth == 1 && x->st == ST_TOP) {
		x->saw_top = 1;
		return 1;
	}
	if (x->st == ST_NODES) {
		x->n = tree_add(x->t);
		x->st = ST_NODE;
		x->f = F_NONE;
		x->has_name = x->has_type = x->has_raw = 0;
		x->content_cap = 0;
		return 1;
	}
	if (x->st == ST_XATTRS) {
		struct node *n = x->n;

		n->xattrs = xreallocarray(n->xattrs, n->nxattrs + 1,
					  sizeof(*n->xattrs));
		x->x = &n->xattrs[n->nxattrs++];
		memset(x->x, 0, sizeof(*x->x));
		x->st = ST_XATTR;
		x->f = F_NONE;
		return 1;
	}
	return FAIL(x);
}

static int on_key(void *ctx, const unsigned char *k, size_t n)
{
	struct sax *x = ctx;

	if (!x->skip)
		x->f = lookup(x->st, k, n);
	return 1;
}

static int on_end_map(void *ctx)
{
	struct sax *x = ctx;

	if (x->skip) {
		x->skip--;
		return 1;
	}
	x->depth--;
	if (x->st == ST_NODE) {
		x->st = ST_NODES;
		return x->has_name && x->has_type ? 1 : FAIL(x);
	}
	if (x->st == ST_XATTR) {
		x->st = ST_XATTRS;
		x->f = F_NONE;
		return x->x->name ? 1 : FAIL(x);
	}
	return 1;
}

static int on_start_array(void *ctx)
{
	struct sax *x = ctx;

	if (x->depth == 0)
		return FAIL(x); /* a tree is an object */
	if (ignored(x)) {
		x->skip++;
		return 1;
	}
	x->depth++;
	if (x->st == ST_TOP && x->f == F_NODES)
		x->st = ST_NODES;
	else if (x->st == ST_NODE && x->f == F_CONTENT)
		x->st = ST_CONTENT;
	else if (x->st == ST_NODE && x->f == F_XATTRS)
		x->st = ST_XATTRS;
	else
		return FAIL(x);
	return 1;
}

static int on_end_array(void *ctx)
{
	struct sax *x = ctx;

	if (x->skip) {
		x->skip--;
		return 1;
	}
	x->depth--;
	if (x->st == ST_NODES) {
		x->st = ST_TOP;
		x->f = F_NONE;
	} else if (x->st == ST_CONTENT || x->st == ST_XATTRS) {
		x->st = ST_NODE;
		x->f = F_NONE;
	}
	return 1;
}

static const yajl_callbacks callbacks = {
	on_null, on_bool, NULL, NULL, on_number, on_string, on_start_map,
	on_key, on_end_map, on_start_array, on_end_array,
};

int tree_decode(const uint8_t *p, size_t n, struct tree *t)
{
	struct sax x;
	int r;

	memset(&x, 0, sizeof(x));
	x.t = t;
	r = jsonr_stream(&callbacks, &x, p, n);
	if (r == RP_ENOMEM)
		return r;
	if (r < 0 || x.err || !x.saw_top || x.depth != 0 || x.st != ST_TOP)
		return RP_EFORMAT;
	return 0;
}
