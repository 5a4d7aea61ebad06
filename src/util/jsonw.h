/*
 * jsonw: a JSON writer that writes what Go's encoding/json writes.
 *
 * restic's tree IDs are hashes of the exact JSON bytes, so a tree that
 * reprise writes deduplicates against restic's only if the bytes match:
 * compact output, fields in the caller's order, strings escaped as Go does
 * (\u003c \u003e \u0026 for < > &, \u2028 \u2029, \n \r \t \\ \", other
 * controls as \u00XX lower-case, invalid UTF-8 as \ufffd).  yajl's
 * generator escapes differently, hence this small writer.
 *
 * Commas are automatic: the writer keeps a stack of "first element" flags.
 *
 *   struct jsonw w; jsonw_init(&w, &buf);
 *   jsonw_obj_begin(&w); jsonw_key(&w, "id"); jsonw_str(&w, "x");
 *   jsonw_obj_end(&w);
 *
 * Errors (buffer cap reached) are sticky: check jsonw_finish() once.
 */
#ifndef RP_JSONW_H
#define RP_JSONW_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

#define JSONW_MAX_DEPTH 64

struct jsonw {
	struct buf *b;
	int depth;
	int err;
	uint8_t first[JSONW_MAX_DEPTH];
	uint8_t after_key;
};

void jsonw_init(struct jsonw *w, struct buf *b);
void jsonw_obj_begin(struct jsonw *w);
void jsonw_obj_end(struct jsonw *w);
void jsonw_arr_begin(struct jsonw *w);
void jsonw_arr_end(struct jsonw *w);
void jsonw_key(struct jsonw *w, const char *key);
void jsonw_str(struct jsonw *w, const char *s);
void jsonw_strn(struct jsonw *w, const char *s, size_t n);
void jsonw_u64(struct jsonw *w, uint64_t v);
void jsonw_i64(struct jsonw *w, int64_t v);
void jsonw_bool(struct jsonw *w, int v);
void jsonw_null(struct jsonw *w);
/* jsonw_raw: appends already-encoded JSON (a value) as the next element. */
void jsonw_raw(struct jsonw *w, const char *json, size_t n);
/* jsonw_base64: a string holding standard base64 (with padding) of p. */
void jsonw_base64(struct jsonw *w, const uint8_t *p, size_t n);
/* jsonw_hex: a string holding lower-case hex of p (IDs). */
void jsonw_hex(struct jsonw *w, const uint8_t *p, size_t n);
/* jsonw_finish: 0, or the first error (RP_ENOMEM, RP_EINTERNAL for an
 * unbalanced document). */
int jsonw_finish(struct jsonw *w);

/* jsonw_escape_go: appends s[0..n) escaped as Go's encoding/json would,
 * without the surrounding quotes. */
int jsonw_escape_go(struct buf *b, const char *s, size_t n);

#endif
