/*
 * jsonr: thin readers over yajl 2's tree API (see jsonr.h).
 *
 * yajl_tree_parse wants a NUL-terminated string, so the input is copied
 * once; a NUL byte inside the input is rejected (yajl would stop there and
 * parse a prefix).  Numbers are read from the text yajl keeps, with the
 * rules of Go's strconv.ParseUint/ParseInt, which encoding/json applies to
 * integer fields: plain decimal digits only, no fraction or exponent, no
 * sign for unsigned values, and an error on overflow.
 *
 * jsonr_get returns the LAST member with the key, as Go's decoder keeps the
 * last duplicate.  (Go also matches keys case-insensitively; restic never
 * writes keys in another case, so jsonr does not.)
 */
#include "util/jsonr.h"

#include <stdlib.h>
#include <string.h>

#include "util/err.h"
#include "util/hex.h"
#include "util/xmalloc.h"

/* Largest document jsonr_parse accepts. */
#define JSONR_MAX ((size_t)256 << 20)

/* jr_msg: the first line of msg into err (yajl's messages go on with an
 * excerpt of the input on further lines). */
static void jr_msg(char *err, size_t errlen, const char *msg)
{
	if (err && errlen) {
		size_t n = strcspn(msg, "\n");

		if (n >= errlen)
			n = errlen - 1;
		memcpy(err, msg, n);
		err[n] = '\0';
	}
}

/* too_deep: nesting beyond JSONR_DEPTH_MAX, found before yajl builds a
 * tree (and recurses freeing it): repository documents are shallow, a
 * million brackets is an attack on the stack. */
#define JSONR_DEPTH_MAX 64

static int too_deep(const uint8_t *p, size_t n)
{
	size_t i;
	int depth = 0, in_str = 0;

	for (i = 0; i < n; i++) {
		uint8_t c = p[i];

		if (in_str) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_str = 0;
		} else if (c == '"') {
			in_str = 1;
		} else if (c == '[' || c == '{') {
			if (++depth > JSONR_DEPTH_MAX)
				return 1;
		} else if (c == ']' || c == '}') {
			depth--;
		}
	}
	return 0;
}

int jsonr_parse(const uint8_t *p, size_t n, yajl_val *out, char *err,
		size_t errlen)
{
	char ebuf[256];
	char *text = NULL;
	yajl_val v;
	int r = RP_EINTERNAL;

	*out = NULL;
	if (n > JSONR_MAX) {
		jr_msg(err, errlen, "JSON document too large");
		r = RP_ENOMEM;
		goto out;
	}
	if (n && memchr(p, 0, n) != NULL) {
		jr_msg(err, errlen, "NUL byte in JSON document");
		r = RP_EFORMAT;
		goto out;
	}
	if (too_deep(p, n)) {
		jr_msg(err, errlen, "JSON document nested too deeply");
		r = RP_EFORMAT;
		goto out;
	}
	text = xmalloc(n + 1);
	if (n)
		memcpy(text, p, n);
	text[n] = '\0';
	ebuf[0] = '\0';
	v = yajl_tree_parse(text, ebuf, sizeof(ebuf));
	if (v == NULL) {
		jr_msg(err, errlen, ebuf[0] ? ebuf : "JSON parse error");
		r = RP_EFORMAT;
		goto out;
	}
	*out = v;
	r = 0;
out:
	free(text);
	return r;
}

void jsonr_free(yajl_val v)
{
	if (v)
		yajl_tree_free(v);
}

yajl_val jsonr_get(yajl_val obj, const char *key)
{
	size_t i;

	if (obj == NULL || !YAJL_IS_OBJECT(obj))
		return NULL;
	for (i = obj->u.object.len; i > 0; i--)
		if (strcmp(obj->u.object.keys[i - 1], key) == 0)
			return obj->u.object.values[i - 1];
	return NULL;
}

int jsonr_digits(const char *s, size_t n, uint64_t max, uint64_t *v)
{
	uint64_t x = 0;
	size_t i;

	if (n == 0 || n > 20)
		return RP_EFORMAT;
	for (i = 0; i < n; i++) {
		unsigned d = (unsigned)(s[i] - '0');

		if (d > 9 || x > (max - d) / 10)
			return RP_EFORMAT;
		x = x * 10 + d;
	}
	*v = x;
	return 0;
}

static int jr_digits(const char *s, uint64_t max, uint64_t *v)
{
	return jsonr_digits(s, strlen(s), max, v);
}

int jsonr_stream(const yajl_callbacks *cb, void *ctx, const uint8_t *p,
		 size_t n)
{
	yajl_handle h = yajl_alloc(cb, NULL, ctx);
	yajl_status s;

	if (h == NULL)
		return RP_ENOMEM;
	s = yajl_parse(h, p, n);
	if (s == yajl_status_ok)
		s = yajl_complete_parse(h);
	yajl_free(h);
	return s == yajl_status_ok ? 0 : RP_EFORMAT;
}

int jsonr_u64(yajl_val v, uint64_t *out)
{
	if (v == NULL || !YAJL_IS_NUMBER(v) || v->u.number.r == NULL)
		return RP_EFORMAT;
	return jr_digits(v->u.number.r, UINT64_MAX, out);
}

int jsonr_i64(yajl_val v, int64_t *out)
{
	const char *s;
	uint64_t x;
	int neg, r;

	if (v == NULL || !YAJL_IS_NUMBER(v) || v->u.number.r == NULL)
		return RP_EFORMAT;
	s = v->u.number.r;
	neg = *s == '-';
	r = jr_digits(s + neg, neg ? (uint64_t)INT64_MAX + 1 : INT64_MAX, &x);
	if (r < 0)
		return r;
	if (neg)
		*out = x == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)x;
	else
		*out = (int64_t)x;
	return 0;
}

int jsonr_bool(yajl_val v, int *out)
{
	if (v == NULL || !(YAJL_IS_TRUE(v) || YAJL_IS_FALSE(v)))
		return RP_EFORMAT;
	*out = YAJL_IS_TRUE(v) ? 1 : 0;
	return 0;
}

int jsonr_str(yajl_val v, const char **out)
{
	if (v == NULL || !YAJL_IS_STRING(v))
		return RP_EFORMAT;
	*out = v->u.string;
	return 0;
}

int jsonr_hexid(yajl_val v, uint8_t id[32])
{
	const char *s;

	if (jsonr_str(v, &s) < 0)
		return RP_EFORMAT;
	return hex_decode(s, strlen(s), id, 32);
}

size_t jsonr_arr_len(yajl_val v)
{
	if (v == NULL || !YAJL_IS_ARRAY(v))
		return 0;
	return v->u.array.len;
}

yajl_val jsonr_arr_at(yajl_val v, size_t i)
{
	if (i >= jsonr_arr_len(v))
		return NULL;
	return v->u.array.values[i];
}
