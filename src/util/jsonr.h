/*
 * jsonr: reading JSON documents from a repository through yajl's tree API.
 *
 * yajl keeps each number's text, so 64-bit inode and size values are read
 * exactly (jsonr_u64 parses the text, not a double).  Input size is bounded
 * by the caller's buffer cap before parsing.
 *
 *   yajl_val doc; char err[128];
 *   if (jsonr_parse(p, n, &doc, err, sizeof err) < 0) ...
 *   yajl_val v = jsonr_get(doc, "packs");
 *   ...
 *   jsonr_free(doc);
 */
#ifndef RP_JSONR_H
#define RP_JSONR_H

#include <stddef.h>
#include <stdint.h>

#include <yajl/yajl_parse.h>
#include <yajl/yajl_tree.h>

/* jsonr_parse: p need not be NUL-terminated.  0 or RP_EFORMAT with a
 * message in err (may be NULL). */
int jsonr_parse(const uint8_t *p, size_t n, yajl_val *out, char *err,
		size_t errlen);
void jsonr_free(yajl_val v);

/* jsonr_digits: s[0..n) is 1 to 20 decimal digits and nothing else, of
 * value at most max (in *v).  0 or RP_EFORMAT.  For the raw numbers the
 * streamed readers get from yajl. */
int jsonr_digits(const char *s, size_t n, uint64_t max, uint64_t *v);
/* jsonr_stream: runs yajl's event parser over p[0..n) with callbacks cb
 * and their context ctx.  0 when the document parsed and no callback
 * refused it, RP_EFORMAT otherwise, RP_ENOMEM without a parser. */
int jsonr_stream(const yajl_callbacks *cb, void *ctx, const uint8_t *p,
		 size_t n);

/* jsonr_get: member of an object, or NULL (also when v is no object). */
yajl_val jsonr_get(yajl_val obj, const char *key);
/* The typed readers return 0, or RP_EFORMAT when v is missing/mistyped. */
int jsonr_u64(yajl_val v, uint64_t *out);
int jsonr_i64(yajl_val v, int64_t *out);
int jsonr_bool(yajl_val v, int *out);
/* jsonr_str: borrowed C string (valid while the document lives). */
int jsonr_str(yajl_val v, const char **out);
/* jsonr_hexid: a string of 64 hex chars into id[32]. */
int jsonr_hexid(yajl_val v, uint8_t id[32]);
/* jsonr_arr_len / jsonr_arr_at: array access; len 0 for non-arrays. */
size_t jsonr_arr_len(yajl_val v);
yajl_val jsonr_arr_at(yajl_val v, size_t i);

#endif
