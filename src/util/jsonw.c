/*
 * jsonw: compact JSON writer, byte-compatible with Go's encoding/json as
 * built into restic 0.14 (Go 1.19).  See jsonw.h and RESTIC_FORMAT.md §1.
 *
 * String escaping, per input byte:
 *   - printable ASCII other than " \ < > & is copied;
 *   - " and \ become \" and \\; \n \r \t use short escapes;
 *   - < > & and the other control bytes (< 0x20) become \u00XX, lower-case
 *     (Go 1.19 has no \b or \f; DEL 0x7f is copied as is);
 *   - a valid UTF-8 sequence is copied, except U+2028 and U+2029, which
 *     become \u2028 and \u2029;
 *   - every byte that does not start a valid UTF-8 sequence (Go's decoding
 *     rules: no overlongs, no surrogates, nothing above U+10FFFF) becomes
 *     \ufffd, one per byte.
 * Runs of bytes that need no escape are copied with one buf_add.
 *
 * The nesting stack: first[d] holds JW_FIRST while the container at depth d
 * has no element yet, and JW_OBJ when it is an object.  That lets the writer
 * place commas and also catch misuse (a value in an object without a key, a
 * mismatched end), which becomes a sticky RP_EINTERNAL.
 */
#include "util/jsonw.h"

#include <string.h>

#include "util/err.h"
#include "util/gostr.h"
#include "util/hex.h"
#include "util/utf8.h"

enum { JW_FIRST = 1 << 0, JW_OBJ = 1 << 1 };

/* Byte classes: 0 copy, 1 escape (ASCII), 2 start of a multi-byte rune. */
static const uint8_t jw_class[256] = {
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x00 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x10 */
	0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x20 " & */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, /* 0x30 < > */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x40 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, /* 0x50 \ */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x60 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x70 */
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, /* 0x80 */
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
};

static const char jw_hexdig[] = "0123456789abcdef";

/* jw_esc_ascii: the escape of one ASCII byte of class 1 into e; its length. */
static size_t jw_esc_ascii(uint8_t c, char e[6])
{
	e[0] = '\\';
	switch (c) {
	case '"':
	case '\\':
		e[1] = (char)c;
		return 2;
	case '\n':
		e[1] = 'n';
		return 2;
	case '\r':
		e[1] = 'r';
		return 2;
	case '\t':
		e[1] = 't';
		return 2;
	}
	e[1] = 'u';
	e[2] = '0';
	e[3] = '0';
	e[4] = jw_hexdig[c >> 4];
	e[5] = jw_hexdig[c & 15];
	return 6;
}

int jsonw_escape_go(struct buf *b, const char *s, size_t n)
{
	const uint8_t *p = (const uint8_t *)s;
	size_t i = 0, run = 0, l = 0;
	uint32_t cp = 0;
	char e[6];
	int r;

	while (i < n) {
		uint8_t k = jw_class[p[i]];

		if (k == 0) {
			i++;
			continue;
		}
		if (k == 2) {
			l = utf8_decode(p + i, n - i, &cp);
			if (l && cp != 0x2028 && cp != 0x2029) {
				i += l;
				continue;
			}
		}
		if ((r = buf_add(b, p + run, i - run)) < 0)
			return r;
		if (k == 1) {
			r = buf_add(b, e, jw_esc_ascii(p[i], e));
			i++;
		} else if (l == 0) {
			r = buf_add(b, "\\ufffd", 6);
			i++;
		} else {
			r = buf_add(b, cp == 0x2028 ? "\\u2028" : "\\u2029", 6);
			i += l;
		}
		if (r < 0)
			return r;
		run = i;
	}
	return buf_add(b, p + run, n - run);
}

void jsonw_init(struct jsonw *w, struct buf *b)
{
	w->b = b;
	w->depth = 0;
	w->err = 0;
	w->after_key = 0;
	memset(w->first, 0, sizeof(w->first));
}

static void jw_put(struct jsonw *w, const void *p, size_t n)
{
	int r;

	if (w->err == 0 && (r = buf_add(w->b, p, n)) < 0)
		w->err = r;
}

/*
 * jw_value: prepares for the next value (comma if needed).  0 to go on, -1
 * if the writer is in error (possibly set here on misuse).
 */
static int jw_value(struct jsonw *w)
{
	uint8_t *f;

	if (w->err)
		return -1;
	if (w->after_key) {
		w->after_key = 0;
		return 0;
	}
	if (w->depth == 0)
		return 0;
	f = &w->first[w->depth - 1];
	if (*f & JW_OBJ) {
		w->err = RP_EINTERNAL;
		return -1;
	}
	if (*f & JW_FIRST)
		*f &= (uint8_t)~JW_FIRST;
	else
		jw_put(w, ",", 1);
	return w->err ? -1 : 0;
}

static void jw_begin(struct jsonw *w, char c, uint8_t flags)
{
	if (jw_value(w) < 0)
		return;
	if (w->depth >= JSONW_MAX_DEPTH) {
		w->err = RP_EINTERNAL;
		return;
	}
	w->first[w->depth++] = flags;
	jw_put(w, &c, 1);
}

static void jw_end(struct jsonw *w, char c, uint8_t obj)
{
	if (w->err)
		return;
	if (w->depth == 0 || w->after_key ||
	    (w->first[w->depth - 1] & JW_OBJ) != obj) {
		w->err = RP_EINTERNAL;
		return;
	}
	w->depth--;
	jw_put(w, &c, 1);
}

void jsonw_obj_begin(struct jsonw *w)
{
	jw_begin(w, '{', JW_FIRST | JW_OBJ);
}

void jsonw_obj_end(struct jsonw *w)
{
	jw_end(w, '}', JW_OBJ);
}

void jsonw_arr_begin(struct jsonw *w)
{
	jw_begin(w, '[', JW_FIRST);
}

void jsonw_arr_end(struct jsonw *w)
{
	jw_end(w, ']', 0);
}

/* jw_string: "escaped s" (no comma handling). */
static void jw_string(struct jsonw *w, const char *s, size_t n)
{
	int r;

	jw_put(w, "\"", 1);
	if (w->err == 0 && (r = jsonw_escape_go(w->b, s, n)) < 0)
		w->err = r;
	jw_put(w, "\"", 1);
}

void jsonw_key(struct jsonw *w, const char *key)
{
	uint8_t *f;

	if (w->err)
		return;
	f = w->depth ? &w->first[w->depth - 1] : NULL;
	if (f == NULL || !(*f & JW_OBJ) || w->after_key) {
		w->err = RP_EINTERNAL;
		return;
	}
	if (*f & JW_FIRST)
		*f &= (uint8_t)~JW_FIRST;
	else
		jw_put(w, ",", 1);
	jw_string(w, key, strlen(key));
	jw_put(w, ":", 1);
	w->after_key = 1;
}

void jsonw_strn(struct jsonw *w, const char *s, size_t n)
{
	if (jw_value(w) == 0)
		jw_string(w, s, n);
}

void jsonw_str(struct jsonw *w, const char *s)
{
	jsonw_strn(w, s ? s : "", s ? strlen(s) : 0);
}

/* jw_digits: decimal digits of v at the end of d[20]; returns the start. */
static char *jw_digits(uint64_t v, char d[20])
{
	char *p = d + 20;

	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return p;
}

void jsonw_u64(struct jsonw *w, uint64_t v)
{
	char d[20], *p;

	if (jw_value(w) < 0)
		return;
	p = jw_digits(v, d);
	jw_put(w, p, (size_t)(d + 20 - p));
}

void jsonw_i64(struct jsonw *w, int64_t v)
{
	char d[21], *p;
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;

	if (jw_value(w) < 0)
		return;
	p = jw_digits(u, d + 1);
	if (v < 0)
		*--p = '-';
	jw_put(w, p, (size_t)(d + 21 - p));
}

void jsonw_bool(struct jsonw *w, int v)
{
	if (jw_value(w) == 0)
		jw_put(w, v ? "true" : "false", v ? 4 : 5);
}

void jsonw_null(struct jsonw *w)
{
	if (jw_value(w) == 0)
		jw_put(w, "null", 4);
}

void jsonw_raw(struct jsonw *w, const char *json, size_t n)
{
	if (jw_value(w) == 0)
		jw_put(w, json, n);
}

void jsonw_base64(struct jsonw *w, const uint8_t *p, size_t n)
{
	int r;

	if (jw_value(w) < 0)
		return;
	jw_put(w, "\"", 1);
	if (w->err == 0 && (r = gostr_base64_encode(w->b, p, n)) < 0)
		w->err = r;
	jw_put(w, "\"", 1);
}

void jsonw_hex(struct jsonw *w, const uint8_t *p, size_t n)
{
	struct buf *b = w->b;
	uint8_t *o;
	int r;

	if (jw_value(w) < 0)
		return;
	if (n > (SIZE_MAX - 2) / 2) {
		w->err = RP_ENOMEM;
		return;
	}
	if ((r = buf_reserve(b, 2 * n + 2)) < 0) {
		w->err = r;
		return;
	}
	o = b->p + b->len;
	o[0] = '"';
	hex_encode(p, n, (char *)o + 1);
	o[2 * n + 1] = '"';
	b->len += 2 * n + 2;
	b->p[b->len] = 0;
}

int jsonw_finish(struct jsonw *w)
{
	if (w->err)
		return w->err;
	if (w->depth != 0 || w->after_key)
		return RP_EINTERNAL;
	return 0;
}
