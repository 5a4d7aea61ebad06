/*
 * test_gostr: Go's strconv.Quote/Unquote for node names (RESTIC_FORMAT.md
 * §11.3), RFC 3339 nano times (§1) and base64.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "util/buf.h"
#include "util/err.h"
#include "util/gostr.h"
#include "util/jsonw.h"

static uint64_t rng_state = 0x9e3779b97f4a7c15u;

static uint32_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state >> 32);
}

static void quote_is(const void *in, size_t n, const char *want)
{
	struct buf b = BUF_INIT, u = BUF_INIT;

	assert_int_equal(gostr_quote(&b, in, n), 0);
	assert_string_equal(buf_cstr(&b), want);
	assert_int_equal(b.len, strlen(want));
	assert_int_equal(gostr_unquote(&u, (const char *)b.p, b.len), 0);
	assert_int_equal(u.len, n);
	assert_memory_equal(u.p, in, n);
	buf_release(&b);
	buf_release(&u);
}

#define QUOTE(lit, want) quote_is(lit, sizeof(lit) - 1, want)

static void test_gostr__spec_example(void **state)
{
	static const char name[] = "we\"ird\\name\t\xc3\xa4\xff";
	struct buf q = BUF_INIT, j = BUF_INIT;

	(void)state;
	assert_int_equal(gostr_quote(&q, (const uint8_t *)name,
				     sizeof(name) - 1), 0);
	assert_string_equal(buf_cstr(&q), "we\\\"ird\\\\name\\t\xc3\xa4\\xff");
	assert_int_equal(buf_addc(&j, '"'), 0);
	assert_int_equal(jsonw_escape_go(&j, (const char *)q.p, q.len), 0);
	assert_int_equal(buf_addc(&j, '"'), 0);
	/* "we\\\"ird\\\\name\\tä\\xff" */
	assert_string_equal(
		buf_cstr(&j),
		"\"we\\\\\\\"ird\\\\\\\\name\\\\t\xc3\xa4\\\\xff\"");
	QUOTE("we\"ird\\name\t\xc3\xa4\xff",
	      "we\\\"ird\\\\name\\t\xc3\xa4\\xff");
	buf_release(&q);
	buf_release(&j);
}

static void test_gostr__ascii(void **state)
{
	(void)state;
	QUOTE("", "");
	QUOTE("hello.txt", "hello.txt");
	QUOTE(" ~<>&'`", " ~<>&'`");
	QUOTE("\a\b\f\n\r\t\v", "\\a\\b\\f\\n\\r\\t\\v");
	QUOTE("\x01\x1b\x1f\x7f", "\\x01\\x1b\\x1f\\x7f");
	quote_is("a\0b", 3, "a\\x00b");
}

/* ref_byte: Go's quoting of one byte on its own, written out by rule. */
static void ref_byte(int c, char *out, size_t outlen)
{
	static const char sh[] = "abtnvfr";

	if (c == '"' || c == '\\')
		snprintf(out, outlen, "\\%c", c);
	else if (c >= 7 && c <= 13)
		snprintf(out, outlen, "\\%c", sh[c - 7]);
	else if (c >= 0x20 && c < 0x7f)
		snprintf(out, outlen, "%c", c);
	else
		snprintf(out, outlen, "\\x%02x", c);
}

static void test_gostr__all_bytes(void **state)
{
	uint8_t in[1];
	char want[8];
	int c;

	(void)state;
	for (c = 0; c < 256; c++) {
		in[0] = (uint8_t)c;
		ref_byte(c, want, sizeof(want));
		quote_is(in, 1, want);
	}
}

static void test_gostr__unicode(void **state)
{
	(void)state;
	/* printable: kept as UTF-8 */
	QUOTE("\xc3\xa4\xe6\x97\xa5\xe6\x9c\xac",
	      "\xc3\xa4\xe6\x97\xa5\xe6\x9c\xac");
	QUOTE("\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80");   /* U+1F600 */
	QUOTE("\xef\xbf\xbd", "\xef\xbf\xbd");           /* U+FFFD */
	QUOTE("\xc2\xa1", "\xc2\xa1");                   /* U+00A1 */
	QUOTE("\xcd\xb7", "\xcd\xb7");                   /* U+0377 */
	/* not printable */
	QUOTE("\xc2\x80", "\\u0080");
	QUOTE("\xc2\x85", "\\u0085");
	QUOTE("\xc2\x9f", "\\u009f");
	QUOTE("\xc2\xa0", "\\u00a0");                    /* NBSP */
	QUOTE("\xc2\xad", "\\u00ad");                    /* soft hyphen */
	QUOTE("\xcd\xb8", "\\u0378");                    /* unassigned */
	QUOTE("\xd8\x9c", "\\u061c");                    /* ALM, Cf */
	QUOTE("\xd8\x9d", "\\u061d");                    /* new in Unicode 14 */
	QUOTE("\xe1\x9a\x80", "\\u1680");                /* ogham space */
	QUOTE("\xe2\x80\x8b\xe2\x80\x8f", "\\u200b\\u200f");
	QUOTE("\xe2\x80\xa8\xe2\x80\xa9", "\\u2028\\u2029");
	QUOTE("\xe2\x81\xa0\xe2\x81\xa4", "\\u2060\\u2064");
	QUOTE("\xe3\x80\x80", "\\u3000");                /* ideographic sp. */
	QUOTE("\xee\x80\x80\xef\xa3\xbf", "\\ue000\\uf8ff"); /* private use */
	QUOTE("\xef\xbb\xbf", "\\ufeff");                /* BOM */
	QUOTE("\xef\xbf\xb9\xef\xbf\xbb", "\\ufff9\\ufffb");
	QUOTE("\xef\xbf\xbe\xef\xbf\xbf", "\\ufffe\\uffff");
	QUOTE("\xef\xb7\x90", "\\ufdd0");                /* noncharacter */
	QUOTE("\xf0\x9f\xbf\xbe", "\\U0001fffe");
	QUOTE("\xf3\xa0\x80\x81", "\\U000e0001");        /* tag */
	QUOTE("\xf3\xa0\x84\x80", "\xf3\xa0\x84\x80");   /* VS17 U+E0100 */
	QUOTE("\xf4\x8f\xbf\xbf", "\\U0010ffff");
	QUOTE("\xf0\x90\x80\x8c", "\\U0001000c");        /* hole in Linear B */
	QUOTE("\xf0\x90\x80\x8b", "\xf0\x90\x80\x8b");
	/* invalid UTF-8: byte by byte */
	QUOTE("\xc3", "\\xc3");
	QUOTE("\xc0\x80", "\\xc0\\x80");
	QUOTE("\xed\xa0\x80", "\\xed\\xa0\\x80");
	QUOTE("\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80");
	QUOTE("\xe6\x97" "a", "\\xe6\\x97a");
}

static void unquote_is(const char *in, const void *want, size_t wn)
{
	struct buf b = BUF_INIT;

	assert_int_equal(gostr_unquote(&b, in, strlen(in)), 0);
	assert_int_equal(b.len, wn);
	assert_memory_equal(b.p, want, wn);
	buf_release(&b);
}

#define UNQUOTE(in, lit) unquote_is(in, lit, sizeof(lit) - 1)

static void unquote_bad(const char *in)
{
	struct buf b = BUF_INIT;

	assert_int_equal(buf_adds(&b, "keep"), 0);
	assert_int_equal(gostr_unquote(&b, in, strlen(in)), RP_EFORMAT);
	assert_string_equal(buf_cstr(&b), "keep");
	buf_release(&b);
}

static void test_gostr__unquote(void **state)
{
	(void)state;
	UNQUOTE("", "");
	UNQUOTE("plain \xc3\xa4", "plain \xc3\xa4");
	UNQUOTE("\\a\\b\\f\\n\\r\\t\\v\\\\\\\"", "\a\b\f\n\r\t\v\\\"");
	UNQUOTE("\\x41\\xfF\\x00", "A\xff\0");
	UNQUOTE("\\101\\377\\000\\0101", "A\xff\0\b" "1");
	UNQUOTE("\\u00e4\\u00E4", "\xc3\xa4\xc3\xa4");
	UNQUOTE("\\U0001F600\\U0010ffff", "\xf0\x9f\x98\x80\xf4\x8f\xbf\xbf");
	UNQUOTE("\\u0000", "\0");
	UNQUOTE("raw\ttab\xff", "raw\ttab\xff"); /* raw bytes pass through */
	UNQUOTE("'", "'");
	unquote_bad("\\");
	unquote_bad("a\\");
	unquote_bad("\\'"); /* only valid inside Go's single quotes */
	unquote_bad("\\q");
	unquote_bad("\\x4");
	unquote_bad("\\xg0");
	unquote_bad("\\u12");
	unquote_bad("\\u12g4");
	unquote_bad("\\U0000004");
	unquote_bad("\\ud800");
	unquote_bad("\\udfff");
	unquote_bad("\\U00110000");
	unquote_bad("\\400");
	unquote_bad("\\18");
	unquote_bad("\\12");
	unquote_bad("a\"b");
	unquote_bad("a\nb");
}

/* random_name: bytes mixing ASCII, valid UTF-8 and garbage. */
static size_t random_name(uint8_t *p, size_t max)
{
	static const char *const pieces[] = {
		"a", "Z", " ", "\"", "\\", "\n", "\x7f", "\xc3\xa4",
		"\xe2\x80\xa8", "\xef\xbb\xbf", "\xf0\x9f\x98\x80", "\xc2\xa0",
		"\xf3\xa0\x80\x81", "\xed\xa0\x80", "\xc3", "\xe6\x97",
	};
	size_t n = 0, len = rng() % max, k;
	const char *s;

	while (n < len) {
		if (rng() % 2) {
			p[n++] = (uint8_t)rng();
			continue;
		}
		s = pieces[rng() % (sizeof(pieces) / sizeof(pieces[0]))];
		k = strlen(s);
		if (n + k > max)
			break;
		memcpy(p + n, s, k);
		n += k;
	}
	return n;
}

static void test_gostr__roundtrip_random(void **state)
{
	struct buf q = BUF_INIT, u = BUF_INIT;
	uint8_t name[96];
	size_t n, i, j;

	(void)state;
	for (i = 0; i < 20000; i++) {
		n = random_name(name, sizeof(name));
		buf_reset(&q);
		buf_reset(&u);
		assert_int_equal(gostr_quote(&q, name, n), 0);
		/* the quoted form has no control bytes, quote or newline */
		for (j = 0; j < q.len; j++) {
			assert_true(q.p[j] >= 0x20 && q.p[j] != 0x7f);
			assert_true(q.p[j] != '"' ||
				    (j > 0 && q.p[j - 1] == '\\'));
		}
		assert_int_equal(gostr_unquote(&u, (const char *)q.p, q.len),
				 0);
		assert_int_equal(u.len, n);
		assert_memory_equal(u.p, name, n);
	}
	buf_release(&q);
	buf_release(&u);
}

/* Every code point's quoted form unquotes to its UTF-8. */
static void test_gostr__roundtrip_codepoints(void **state)
{
	struct buf q = BUF_INIT, u = BUF_INIT;
	uint8_t s[4];
	uint32_t c;
	size_t n;

	(void)state;
	for (c = 0; c <= 0x10ffff; c++) {
		if (c >= 0xd800 && c <= 0xdfff)
			continue;
		if (c < 0x80) {
			s[0] = (uint8_t)c;
			n = 1;
		} else if (c < 0x800) {
			s[0] = (uint8_t)(0xc0 | c >> 6);
			s[1] = (uint8_t)(0x80 | (c & 0x3f));
			n = 2;
		} else if (c < 0x10000) {
			s[0] = (uint8_t)(0xe0 | c >> 12);
			s[1] = (uint8_t)(0x80 | ((c >> 6) & 0x3f));
			s[2] = (uint8_t)(0x80 | (c & 0x3f));
			n = 3;
		} else {
			s[0] = (uint8_t)(0xf0 | c >> 18);
			s[1] = (uint8_t)(0x80 | ((c >> 12) & 0x3f));
			s[2] = (uint8_t)(0x80 | ((c >> 6) & 0x3f));
			s[3] = (uint8_t)(0x80 | (c & 0x3f));
			n = 4;
		}
		buf_reset(&q);
		buf_reset(&u);
		assert_int_equal(gostr_quote(&q, s, n), 0);
		assert_int_equal(gostr_unquote(&u, (const char *)q.p, q.len),
				 0);
		assert_int_equal(u.len, n);
		assert_memory_equal(u.p, s, n);
	}
	buf_release(&q);
	buf_release(&u);
}

static void fmt_is(int64_t sec, int32_t nsec, int32_t off, const char *want)
{
	struct gotime t = { sec, nsec, off }, p;
	struct buf b = BUF_INIT;

	assert_int_equal(gostr_time_format(&b, &t), 0);
	assert_string_equal(buf_cstr(&b), want);
	buf_release(&b);
	/* parsing gives the same instant back (offsets in whole minutes) */
	if (off % 60 == 0 && strncmp(want, "0000", 4) != 0 &&
	    strncmp(want, "9999", 4) != 0) {
		assert_int_equal(gostr_time_parse(want, strlen(want), &p), 0);
		assert_int_equal(p.sec, sec);
		assert_int_equal(p.nsec, nsec);
		assert_int_equal(p.off, off);
	}
}

static void test_gostr__time_format(void **state)
{
	(void)state;
	fmt_is(1795927113, 591755958, 0, "2026-11-29T04:38:33.591755958Z");
	fmt_is(1795927113, 0, 0, "2026-11-29T04:38:33Z");
	fmt_is(1795927113, 500000000, 0, "2026-11-29T04:38:33.5Z");
	fmt_is(1795927113, 120000, 0, "2026-11-29T04:38:33.00012Z");
	fmt_is(1795927113, 1, 0, "2026-11-29T04:38:33.000000001Z");
	fmt_is(1795927113, 591755958, 7200,
	       "2026-11-29T06:38:33.591755958+02:00");
	fmt_is(1795927113, 0, -(5 * 3600 + 30 * 60),
	       "2026-11-28T23:08:33-05:30");
	fmt_is(1795927113, 0, 14 * 3600, "2026-11-29T18:38:33+14:00");
	fmt_is(0, 0, 0, "1970-01-01T00:00:00Z");
	fmt_is(-1, 999999999, 0, "1969-12-31T23:59:59.999999999Z");
	fmt_is(951825600, 0, 0, "2000-02-29T12:00:00Z");
	fmt_is(253402300799, 0, 0, "9999-12-31T23:59:59Z");
	fmt_is(-62135596800, 0, 0, "0001-01-01T00:00:00Z");
	fmt_is(-62167219200, 0, 0, "0000-01-01T00:00:00Z");
	/* Go cuts an offset with seconds to minutes, towards zero */
	fmt_is(0, 0, 561, "1970-01-01T00:09:21+00:09");
	fmt_is(0, 0, -30, "1969-12-31T23:59:30+00:00");
	/* restic's year clamp: 10000-03-15 -> 9999-03-15, -1 -> 0 */
	fmt_is(-62167219200 - 365 * 86400 + 3600, 0, 0,
	       "0000-01-01T01:00:00Z");
	fmt_is(253402300800 + 74 * 86400 + 5, 0, 0, "9999-03-15T00:00:05Z");
	/* 10000-02-29 exists, 9999-02-29 not: Go's AddDate gives 1 March */
	fmt_is(253402300800 + 59 * 86400 + 7, 0, 0, "9999-03-01T00:00:07Z");
	fmt_is(INT64_MAX, 0, 0, "9999-09-25T18:57:04Z");
	fmt_is(INT64_MIN, 0, 0, "0000-04-08T05:02:56Z");
}

static void test_gostr__time_format_bad(void **state)
{
	struct gotime t = { 0, 1000000000, 0 };
	struct buf b = BUF_INIT;

	(void)state;
	assert_int_equal(gostr_time_format(&b, &t), RP_EINVAL);
	t.nsec = -1;
	assert_int_equal(gostr_time_format(&b, &t), RP_EINVAL);
	assert_int_equal(b.len, 0);
	buf_release(&b);
}

static void parse_is(const char *s, int64_t sec, int32_t nsec, int32_t off)
{
	struct gotime t;

	assert_int_equal(gostr_time_parse(s, strlen(s), &t), 0);
	assert_int_equal(t.sec, sec);
	assert_int_equal(t.nsec, nsec);
	assert_int_equal(t.off, off);
}

static void parse_bad(const char *s)
{
	struct gotime t;

	assert_int_equal(gostr_time_parse(s, strlen(s), &t), RP_EFORMAT);
}

static void test_gostr__time_parse(void **state)
{
	(void)state;
	parse_is("2026-11-29T04:38:33.591755958Z", 1795927113, 591755958, 0);
	parse_is("2026-11-29t04:38:33.591755958z", 1795927113, 591755958, 0);
	parse_is("2026-11-29T06:38:33.5+02:00", 1795927113, 500000000, 7200);
	parse_is("2026-11-29T04:38:33-00:00", 1795927113, 0, 0);
	parse_is("2026-11-28T23:08:33.12-05:30", 1795927113, 120000000,
		 -19800);
	parse_is("0000-01-01T00:00:00Z", -62167219200, 0, 0);
	parse_is("2024-02-29T00:00:00+23:59", 1709164800 - 86340, 0, 86340);
	parse_bad("");
	parse_bad("2026-11-29");
	parse_bad("2026-11-29T04:38:33");
	parse_bad("2026-11-29 04:38:33Z");
	parse_bad("2026-11-29T04:38:33.Z");
	parse_bad("2026-11-29T04:38:33.1234567890Z");
	parse_bad("2026-11-29T04:38:33ZZ");
	parse_bad("2026-11-29T04:38:33+0200");
	parse_bad("2026-11-29T04:38:33+02:00x");
	parse_bad("2026-11-29T04:38:33+24:00");
	parse_bad("2026-11-29T04:38:33+02:60");
	parse_bad("2026-13-29T04:38:33Z");
	parse_bad("2026-00-29T04:38:33Z");
	parse_bad("2026-11-31T04:38:33Z");
	parse_bad("2026-02-29T04:38:33Z");
	parse_bad("1900-02-29T04:38:33Z");
	parse_bad("2026-11-29T24:00:00Z");
	parse_bad("2026-11-29T23:60:00Z");
	parse_bad("2026-11-29T23:59:60Z");
	parse_bad("+026-11-29T04:38:33Z");
	parse_bad("12026-11-29T04:38:33Z");
	parse_bad("2026-1-29T04:38:33Z");
}

/* Format and parse every third day of 0000..9999, checked with gmtime_r. */
static void test_gostr__time_days(void **state)
{
	struct buf b = BUF_INIT;
	struct gotime t, p;
	struct tm tm;
	time_t tt;
	int64_t day;
	char want[80];

	(void)state;
	for (day = -719528; day <= 2932896; day += 3) {
		t.sec = day * 86400 + (day % 86400 + 86400) % 86400;
		t.nsec = (int32_t)((day % 1000 + 1000) % 1000) * 1000;
		t.off = 0;
		buf_reset(&b);
		assert_int_equal(gostr_time_format(&b, &t), 0);
		assert_int_equal(gostr_time_parse((const char *)b.p, b.len, &p),
				 0);
		assert_int_equal(p.sec, t.sec);
		assert_int_equal(p.nsec, t.nsec);
		tt = (time_t)t.sec;
		assert_non_null(gmtime_r(&tt, &tm));
		snprintf(want, sizeof(want), "%04d-%02d-%02dT%02d:%02d:%02d",
			 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
			 tm.tm_hour, tm.tm_min, tm.tm_sec);
		assert_memory_equal(b.p, want, 19);
	}
	buf_release(&b);
}

static void test_gostr__time_local(void **state)
{
	struct gotime t;
	struct buf b = BUF_INIT;

	(void)state;
	/* POSIX TZ strings need no tz database */
	setenv("TZ", "UTC0", 1);
	tzset();
	gostr_time_from(&t, 1795927113, 591755958);
	assert_int_equal(t.off, 0);
	assert_int_equal(gostr_time_format(&b, &t), 0);
	assert_string_equal(buf_cstr(&b), "2026-11-29T04:38:33.591755958Z");

	setenv("TZ", "CET-1CEST,M3.5.0,M10.5.0/3", 1);
	tzset();
	gostr_time_from(&t, 1795927113, 0); /* November: winter time */
	assert_int_equal(t.off, 3600);
	buf_reset(&b);
	assert_int_equal(gostr_time_format(&b, &t), 0);
	assert_string_equal(buf_cstr(&b), "2026-11-29T05:38:33+01:00");
	gostr_time_from(&t, 1783000000, 0); /* July 2026: summer time */
	assert_int_equal(t.off, 7200);

	setenv("TZ", "XST5:30", 1);
	tzset();
	gostr_time_from(&t, 1795927113, 0);
	assert_int_equal(t.off, -19800);
	buf_reset(&b);
	assert_int_equal(gostr_time_format(&b, &t), 0);
	assert_string_equal(buf_cstr(&b), "2026-11-28T23:08:33-05:30");

	gostr_time_now(&t);
	assert_true(t.sec > 1700000000);
	assert_true(t.nsec >= 0 && t.nsec <= 999999999);
	assert_int_equal(t.off, -19800);
	unsetenv("TZ");
	tzset();
	buf_release(&b);
}

static void b64_is(const char *in, size_t n, const char *want)
{
	struct buf b = BUF_INIT, d = BUF_INIT;

	assert_int_equal(gostr_base64_encode(&b, (const uint8_t *)in, n), 0);
	assert_string_equal(buf_cstr(&b), want);
	assert_int_equal(gostr_base64_decode(&d, (const char *)b.p, b.len), 0);
	assert_int_equal(d.len, n);
	if (n)
		assert_memory_equal(d.p, in, n);
	buf_release(&b);
	buf_release(&d);
}

static void b64_bad(const char *s)
{
	struct buf d = BUF_INIT;

	assert_int_equal(gostr_base64_decode(&d, s, strlen(s)), RP_EFORMAT);
	assert_int_equal(d.len, 0);
	buf_release(&d);
}

static void test_gostr__base64(void **state)
{
	struct buf d = BUF_INIT, e = BUF_INIT;
	uint8_t r[300];
	size_t i, n;

	(void)state;
	b64_is("", 0, "");
	b64_is("f", 1, "Zg==");
	b64_is("fo", 2, "Zm8=");
	b64_is("foo", 3, "Zm9v");
	b64_is("foob", 4, "Zm9vYg==");
	b64_is("fooba", 5, "Zm9vYmE=");
	b64_is("foobar", 6, "Zm9vYmFy");
	b64_is("\xfb\xff\xbf", 3, "+/+/");
	/* Go's StdEncoding skips CR/LF and ignores unused bits */
	assert_int_equal(gostr_base64_decode(&d, "Zm9v\r\nYmFy\n", 11), 0);
	assert_int_equal(gostr_base64_decode(&d, "Zh==", 4), 0);
	assert_int_equal(gostr_base64_decode(&d, "Zg=\n=", 5), 0);
	assert_int_equal(d.len, 8);
	assert_memory_equal(d.p, "foobarff", 8);
	b64_bad("Zg");
	b64_bad("Zg=");
	b64_bad("Zm9");
	b64_bad("Z===");
	b64_bad("====");
	b64_bad("=");
	b64_bad("Zg==Zg==");
	b64_bad("Zg==x");
	b64_bad("Zg===");
	b64_bad("Zm=v");
	b64_bad("Zm9v!A==");
	b64_bad("Zm9v YmFy");
	b64_bad("Zm9v-_==");
	for (i = 0; i < 2000; i++) {
		n = rng() % sizeof(r);
		for (size_t j = 0; j < n; j++)
			r[j] = (uint8_t)rng();
		buf_reset(&d);
		buf_reset(&e);
		assert_int_equal(gostr_base64_encode(&e, r, n), 0);
		assert_int_equal(e.len, (n + 2) / 3 * 4);
		assert_int_equal(gostr_base64_decode(&d, (const char *)e.p,
						     e.len), 0);
		assert_int_equal(d.len, n);
		if (n)
			assert_memory_equal(d.p, r, n);
	}
	buf_release(&d);
	buf_release(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gostr__spec_example),
		cmocka_unit_test(test_gostr__ascii),
		cmocka_unit_test(test_gostr__all_bytes),
		cmocka_unit_test(test_gostr__unicode),
		cmocka_unit_test(test_gostr__unquote),
		cmocka_unit_test(test_gostr__roundtrip_random),
		cmocka_unit_test(test_gostr__roundtrip_codepoints),
		cmocka_unit_test(test_gostr__time_format),
		cmocka_unit_test(test_gostr__time_format_bad),
		cmocka_unit_test(test_gostr__time_parse),
		cmocka_unit_test(test_gostr__time_days),
		cmocka_unit_test(test_gostr__time_local),
		cmocka_unit_test(test_gostr__base64),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
