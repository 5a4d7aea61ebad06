/*
 * tree: directory listings as restic stores them (RESTIC_FORMAT.md §11).
 *
 * A tree blob is {"nodes":[node,...]}\n with nodes sorted by raw name bytes.
 * tree_encode writes fields in restic 0.14's order and with Go's escaping,
 * so that a tree of the same files has the same bytes (and so the same ID)
 * whether reprise or restic wrote it.  Names are stored Go-quoted (§11.3);
 * tree_decode un-quotes them, so node.name holds the raw bytes (which may
 * not be UTF-8 and may contain any byte but '/' and NUL).
 *
 * A struct tree owns its nodes and all their strings.
 */
#ifndef RP_TREE_H
#define RP_TREE_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/gostr.h"

enum node_type {
	NODE_FILE,
	NODE_DIR,
	NODE_SYMLINK,
	NODE_DEV,
	NODE_CHARDEV,
	NODE_FIFO,
	NODE_SOCKET,
	NODE_IRREGULAR,
};

/* Go os.FileMode bits (§11.4) */
#define GOMODE_DIR 0x80000000u
#define GOMODE_SYMLINK 0x08000000u
#define GOMODE_DEVICE 0x04000000u
#define GOMODE_NAMEDPIPE 0x02000000u
#define GOMODE_SOCKET 0x01000000u
#define GOMODE_SETUID 0x00800000u
#define GOMODE_SETGID 0x00400000u
#define GOMODE_CHARDEV 0x00200000u
#define GOMODE_STICKY 0x00100000u

struct xattr {
	char *name;
	uint8_t *value;
	size_t len;
};

struct node {
	uint8_t *name;         /* raw bytes, NUL-terminated for convenience */
	size_t name_len;
	enum node_type type;
	uint32_t mode;         /* Go FileMode */
	struct gotime mtime, atime, ctime;
	uint32_t uid, gid;
	char *user, *group;    /* NULL when unknown */
	uint64_t inode, device_id, size, links, device;
	uint8_t *linktarget;   /* raw bytes; NULL unless symlink */
	size_t linktarget_len;
	struct xattr *xattrs;
	size_t nxattrs;
	uint8_t (*content)[32];
	size_t ncontent;
	int has_subtree;
	uint8_t subtree[32];
	char *error;
};

struct tree {
	struct node *nodes;
	size_t n, cap;
};

void tree_init(struct tree *t);
void tree_release(struct tree *t);
/* tree_add: a zeroed node appended to t (owned by t). */
struct node *tree_add(struct tree *t);
/* tree_sort: sorts by raw name bytes; RP_EFORMAT on duplicate names. */
int tree_sort(struct tree *t);
void node_release(struct node *n);

/* tree_encode: the blob plaintext (with the trailing newline). */
int tree_encode(const struct tree *t, struct buf *out);
/* tree_decode: parses a tree blob into t (t must be empty).  0 or
 * RP_EFORMAT. */
int tree_decode(const uint8_t *p, size_t n, struct tree *t);

/* node_type_name: "file", "dir", ... */
const char *node_type_name(enum node_type t);
/* gomode_from_unix / gomode_to_unix: mode conversions (§11.4). */
uint32_t gomode_from_unix(uint32_t st_mode);
uint32_t gomode_to_unix(uint32_t gomode);

#endif
