/*
 * gostr: Go's strconv.Quote / Unquote for node names, and Go's RFC 3339
 * "nano" time format (RESTIC_FORMAT.md §1, §11.3).
 *
 * restic stores a node name as strconv.Quote(name) without the outer quotes.
 * gostr_quote reproduces Go's output for printable text (kept as UTF-8),
 * short escapes (\a \b \f \n \r \t \v), \xNN for other bytes below 0x20, 0x7f
 * and for invalid UTF-8, and \u / \U for non-printable code points, so that
 * names round-trip through restic exactly.
 */
#ifndef RP_GOSTR_H
#define RP_GOSTR_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

/* gostr_quote: appends the quoted form of name[0..n) (no outer quotes). */
int gostr_quote(struct buf *out, const uint8_t *name, size_t n);
/* gostr_unquote: appends the raw bytes of a quoted form (no outer quotes).
 * 0, or RP_EFORMAT on an invalid escape. */
int gostr_unquote(struct buf *out, const char *s, size_t n);

/* A point in time as restic writes it. */
struct gotime {
	int64_t sec;    /* Unix seconds (UTC) */
	int32_t nsec;   /* 0..999999999 */
	int32_t off;    /* offset from UTC in seconds, as written */
};

/* gostr_time_format: appends YYYY-MM-DDTHH:MM:SS[.frac](Z|±hh:mm), local
 * time at t->off, fraction without trailing zeros, omitted when zero. */
int gostr_time_format(struct buf *out, const struct gotime *t);
/* gostr_time_parse: any RFC 3339 time (fraction of 1-9 digits, Z or
 * offset).  0 or RP_EFORMAT. */
int gostr_time_parse(const char *s, size_t n, struct gotime *t);
/* gostr_time_now: the current time with the local UTC offset. */
void gostr_time_now(struct gotime *t);
/* gostr_time_from: sec/nsec with the local zone's offset at that moment. */
void gostr_time_from(struct gotime *t, int64_t sec, int32_t nsec);

/* base64 (standard alphabet, '=' padding) */
int gostr_base64_encode(struct buf *out, const uint8_t *p, size_t n);
/* gostr_base64_decode: 0 or RP_EFORMAT (bad char, bad padding). */
int gostr_base64_decode(struct buf *out, const char *s, size_t n);

#endif
