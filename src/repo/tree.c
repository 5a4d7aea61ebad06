#include "repo/tree.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/err.h"
#include "util/hex.h"
#include "util/jsonw.h"
#include "util/utf8.h"
#include "util/xmalloc.h"

static const char *const type_names[] = {
	[NODE_FILE] = "file", [NODE_DIR] = "dir", [NODE_SYMLINK] = "symlink",
	[NODE_DEV] = "dev", [NODE_CHARDEV] = "chardev", [NODE_FIFO] = "fifo",
	[NODE_SOCKET] = "socket", [NODE_IRREGULAR] = "irregular",
};

const char *node_type_name(enum node_type t)
{
	return type_names[t];
}

uint32_t gomode_from_unix(uint32_t m)
{
	uint32_t g = m & 0777;

	switch (m & S_IFMT) {
	case S_IFDIR: g |= GOMODE_DIR; break;
	case S_IFLNK: g |= GOMODE_SYMLINK; break;
	case S_IFBLK: g |= GOMODE_DEVICE; break;
	case S_IFCHR: g |= GOMODE_DEVICE | GOMODE_CHARDEV; break;
	case S_IFIFO: g |= GOMODE_NAMEDPIPE; break;
	case S_IFSOCK: g |= GOMODE_SOCKET; break;
	default: break;
	}
	if (m & S_ISUID)
		g |= GOMODE_SETUID;
	if (m & S_ISGID)
		g |= GOMODE_SETGID;
	if (m & S_ISVTX)
		g |= GOMODE_STICKY;
	return g;
}

uint32_t gomode_to_unix(uint32_t g)
{
	uint32_t m = g & 0777;

	if (g & GOMODE_SETUID)
		m |= S_ISUID;
	if (g & GOMODE_SETGID)
		m |= S_ISGID;
	if (g & GOMODE_STICKY)
		m |= S_ISVTX;
	return m;
}

void tree_init(struct tree *t)
{
	memset(t, 0, sizeof(*t));
}

void node_release(struct node *n)
{
	size_t i;

	free(n->name);
	free(n->user);
	free(n->group);
	free(n->linktarget);
	for (i = 0; i < n->nxattrs; i++) {
		free(n->xattrs[i].name);
		free(n->xattrs[i].value);
	}
	free(n->xattrs);
	free(n->content);
	free(n->error);
	memset(n, 0, sizeof(*n));
}

void tree_release(struct tree *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		node_release(&t->nodes[i]);
	free(t->nodes);
	memset(t, 0, sizeof(*t));
}

struct node *tree_add(struct tree *t)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 16;
		t->nodes = xreallocarray(t->nodes, t->cap, sizeof(*t->nodes));
	}
	memset(&t->nodes[t->n], 0, sizeof(t->nodes[0]));
	return &t->nodes[t->n++];
}

static int cmp_node(const void *a, const void *b)
{
	const struct node *x = a, *y = b;
	size_t n = x->name_len < y->name_len ? x->name_len : y->name_len;
	int c = memcmp(x->name, y->name, n);

	if (c)
		return c;
	return x->name_len < y->name_len ? -1 : x->name_len > y->name_len;
}

int tree_sort(struct tree *t)
{
	size_t i;

	if (t->n > 1)
		qsort(t->nodes, t->n, sizeof(*t->nodes), cmp_node);
	for (i = 1; i < t->n; i++)
		if (cmp_node(&t->nodes[i - 1], &t->nodes[i]) == 0)
			return RP_EFORMAT;
	return 0;
}

/* ---- encoding ---- */

static void encode_time(struct jsonw *w, const char *key,
			const struct gotime *t, struct buf *tmp)
{
	buf_reset(tmp);
	gostr_time_format(tmp, t);
	jsonw_key(w, key);
	jsonw_strn(w, (const char *)tmp->p, tmp->len);
}

static void encode_u64(struct jsonw *w, const char *key, uint64_t v)
{
	if (v == 0)
		return;
	jsonw_key(w, key);
	jsonw_u64(w, v);
}

static void encode_str(struct jsonw *w, const char *key, const char *s)
{
	if (s == NULL || s[0] == '\0')
		return;
	jsonw_key(w, key);
	jsonw_str(w, s);
}

static void encode_link(struct jsonw *w, const struct node *n)
{
	if (n->linktarget == NULL || n->linktarget_len == 0)
		return;
	jsonw_key(w, "linktarget");
	jsonw_strn(w, (const char *)n->linktarget, n->linktarget_len);
	if (utf8_valid(n->linktarget, n->linktarget_len))
		return;
	/* restic >= 0.16 reads the raw bytes from here; 0.14 ignores it */
	jsonw_key(w, "linktarget_raw");
	jsonw_base64(w, n->linktarget, n->linktarget_len);
}

static void encode_xattrs(struct jsonw *w, const struct node *n)
{
	size_t i;

	if (n->nxattrs == 0)
		return;
	jsonw_key(w, "extended_attributes");
	jsonw_arr_begin(w);
	for (i = 0; i < n->nxattrs; i++) {
		jsonw_obj_begin(w);
		jsonw_key(w, "name");
		jsonw_str(w, n->xattrs[i].name);
		jsonw_key(w, "value");
		jsonw_base64(w, n->xattrs[i].value, n->xattrs[i].len);
		jsonw_obj_end(w);
	}
	jsonw_arr_end(w);
}

static void encode_content(struct jsonw *w, const struct node *n)
{
	size_t i;

	jsonw_key(w, "content");
	if (n->type != NODE_FILE) {
		jsonw_null(w);
		return;
	}
	jsonw_arr_begin(w);
	for (i = 0; i < n->ncontent; i++)
		jsonw_hex(w, n->content[i], 32);
	jsonw_arr_end(w);
}

static void encode_node(struct jsonw *w, const struct node *n,
			struct buf *tmp)
{
	jsonw_obj_begin(w);
	buf_reset(tmp);
	gostr_quote(tmp, n->name, n->name_len);
	jsonw_key(w, "name");
	jsonw_strn(w, (const char *)tmp->p, tmp->len);
	jsonw_key(w, "type");
	jsonw_str(w, node_type_name(n->type));
	encode_u64(w, "mode", n->mode);
	encode_time(w, "mtime", &n->mtime, tmp);
	encode_time(w, "atime", &n->atime, tmp);
	encode_time(w, "ctime", &n->ctime, tmp);
	jsonw_key(w, "uid");
	jsonw_u64(w, n->uid);
	jsonw_key(w, "gid");
	jsonw_u64(w, n->gid);
	encode_str(w, "user", n->user);
	encode_str(w, "group", n->group);
	encode_u64(w, "inode", n->inode);
	encode_u64(w, "device_id", n->device_id);
	encode_u64(w, "size", n->size);
	encode_u64(w, "links", n->links);
	encode_link(w, n);
	encode_xattrs(w, n);
	encode_u64(w, "device", n->device);
	encode_content(w, n);
	if (n->has_subtree) {
		jsonw_key(w, "subtree");
		jsonw_hex(w, n->subtree, 32);
	}
	encode_str(w, "error", n->error);
	jsonw_obj_end(w);
}

int tree_encode(const struct tree *t, struct buf *out)
{
	struct jsonw w;
	struct buf tmp = BUF_INIT;
	size_t i;
	int r;

	jsonw_init(&w, out);
	jsonw_obj_begin(&w);
	jsonw_key(&w, "nodes");
	jsonw_arr_begin(&w);
	for (i = 0; i < t->n; i++)
		encode_node(&w, &t->nodes[i], &tmp);
	jsonw_arr_end(&w);
	jsonw_obj_end(&w);
	buf_release(&tmp);
	if ((r = jsonw_finish(&w)) < 0)
		return r;
	return buf_addc(out, '\n');
}

