/*
 * backend: moves named files of bytes; knows nothing of the restic format.
 *
 * A repository is a set of files, each of one type (config, key, snapshot,
 * index, lock, pack) and a name (64 hex chars, or "config").  A backend
 * stores them somewhere: a local directory today; SFTP, S3 and restic's
 * REST protocol share this vtable later (redis rio.h style).  Files are
 * written once and never changed; put is atomic (all or nothing).
 *
 * Every function returns 0 or a negative rp_err.  Backends are thread-safe
 * for concurrent put/get of different files.
 */
#ifndef RP_BACKEND_H
#define RP_BACKEND_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

enum be_type {
	BE_CONFIG,
	BE_KEY,
	BE_SNAPSHOT,
	BE_INDEX,
	BE_LOCK,
	BE_PACK,
};

/* be_list_fn: called once per file; a non-zero return stops the listing
 * and is returned by list. */
typedef int (*be_list_fn)(const char *name, uint64_t size, void *arg);

struct backend;

struct be_reader;

/* A stream being written; backends embed it first in their own. */
struct be_stream {
	struct backend *be;
};

struct backend_ops {
	/* create: makes the layout of a new repository; RP_EEXIST if a config
	 * is already there. */
	int (*create)(struct backend *be);
	/* put: stores p[0..n) as (type, name) atomically; RP_EEXIST if present
	 * (files are immutable). */
	int (*put)(struct backend *be, enum be_type t, const char *name,
		   const uint8_t *p, size_t n);
	/* get: appends len bytes at off (len 0: to the end) to out.
	 * RP_ENOTFOUND, RP_ETRUNC if the file is shorter than off+len. */
	int (*get)(struct backend *be, enum be_type t, const char *name,
		   uint64_t off, size_t len, struct buf *out);
	int (*stat)(struct backend *be, enum be_type t, const char *name,
		    uint64_t *size);
	int (*list)(struct backend *be, enum be_type t, be_list_fn fn,
		    void *arg);
	int (*remove)(struct backend *be, enum be_type t, const char *name);
	void (*close)(struct backend *be);
	/* Optional streaming write of one file (packs): bytes are appended
	 * to a temporary object, then commit names it atomically (an
	 * existing file of that name is fine: names are content hashes) and
	 * frees the stream; abort discards it.  NULL when unsupported. */
	int (*stream_open)(struct backend *be, enum be_type t,
			   struct be_stream **out);
	int (*stream_write)(struct be_stream *s, const uint8_t *p, size_t n);
	int (*stream_commit)(struct be_stream *s, const char *name);
	void (*stream_abort)(struct be_stream *s);
	/* Optional: like get, through a per-thread reader that keeps the
	 * last file open (*rd starts NULL; free it with reader_free).
	 * Blobs are read one after another from the same pack. */
	int (*reader_get)(struct backend *be, struct be_reader **rd,
			  enum be_type t, const char *name, uint64_t off,
			  size_t len, struct buf *out);
	void (*reader_free)(struct be_reader *rd);
	/* list_consistent: every file put or committed shows in every later
	 * list (a local file system).  Without it (object stores whose
	 * listings lag), lock_take lets its lock settle before it looks
	 * for rivals. */
	int list_consistent;
};

struct backend {
	const struct backend_ops *ops;
	char *location; /* for messages: a path or URL without credentials */
};

/* backend_open: picks the backend from the location ("local:/path" or a
 * plain path).  *out is owned by the caller (backend_close). */
int backend_open(const char *location, struct backend **out);
void backend_close(struct backend *be);

/* backend_local_open: a local directory (it need not exist yet). */
int backend_local_open(const char *dir, struct backend **out);

#endif
