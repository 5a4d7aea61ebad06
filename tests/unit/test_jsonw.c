/*
 * test_jsonw: the JSON writer must produce Go 1.19 encoding/json bytes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "util/buf.h"
#include "util/err.h"
#include "util/jsonw.h"

/* esc_is: jsonw_escape_go(in[0..n)) must be exactly want. */
static void esc_is(const char *in, size_t n, const char *want)
{
	struct buf b = BUF_INIT;

	assert_int_equal(jsonw_escape_go(&b, in, n), 0);
	assert_string_equal(buf_cstr(&b), want);
	assert_int_equal(b.len, strlen(want));
	buf_release(&b);
}

#define ESC(lit, want) esc_is(lit, sizeof(lit) - 1, want)

static void test_jsonw__plain(void **state)
{
	(void)state;
	ESC("", "");
	ESC("hello.txt", "hello.txt");
	ESC("a b/c~!#$%'()*+,-.:;=?@[]^_`{|}",
	    "a b/c~!#$%'()*+,-.:;=?@[]^_`{|}");
	ESC("\x7f", "\x7f");
}

static void test_jsonw__go_specials(void **state)
{
	(void)state;
	ESC("<a href=\"x\">&amp;</a>",
	    "\\u003ca href=\\\"x\\\"\\u003e\\u0026amp;\\u003c/a\\u003e");
	ESC("back\\slash", "back\\\\slash");
	ESC("\xe2\x80\xa8|\xe2\x80\xa9", "\\u2028|\\u2029");
	/* neighbours of U+2028/2029 are kept */
	ESC("\xe2\x80\xa7\xe2\x80\xaa", "\xe2\x80\xa7\xe2\x80\xaa");
}

static void test_jsonw__controls(void **state)
{
	(void)state;
	ESC("a\nb\rc\td", "a\\nb\\rc\\td");
	/* Go 1.19: no \b or \f short forms */
	ESC("\b\f", "\\u0008\\u000c");
	ESC("\x01\x1f\x1b", "\\u0001\\u001f\\u001b");
	esc_is("\0x", 2, "\\u0000x");
}

static void test_jsonw__utf8(void **state)
{
	(void)state;
	ESC("\xc3\xa4\xe6\x97\xa5\xf0\x9f\x98\x80",
	    "\xc3\xa4\xe6\x97\xa5\xf0\x9f\x98\x80");
	ESC("\xef\xbf\xbd", "\xef\xbf\xbd");         /* U+FFFD itself */
	ESC("\xf4\x8f\xbf\xbf", "\xf4\x8f\xbf\xbf"); /* U+10FFFF */
	ESC("a\xff" "b", "a\\ufffdb");
	ESC("\xc3", "\\ufffd");                         /* truncated */
	ESC("\xe6\x97", "\\ufffd\\ufffd");              /* truncated */
	ESC("\xc0\x80", "\\ufffd\\ufffd");              /* overlong */
	ESC("\xe0\x80\xaf", "\\ufffd\\ufffd\\ufffd");   /* overlong */
	ESC("\xed\xa0\x80", "\\ufffd\\ufffd\\ufffd");   /* surrogate */
	ESC("\xf4\x90\x80\x80", "\\ufffd\\ufffd\\ufffd\\ufffd"); /* > max */
	ESC("\xf5\x80", "\\ufffd\\ufffd");
	ESC("\x80\xbf", "\\ufffd\\ufffd");
	ESC("\xc3\xa4\xc3", "\xc3\xa4\\ufffd");
	ESC("\xe2\x80<", "\\ufffd\\ufffd\\u003c");
}

/* ref_byte: the escape of one byte on its own, written out by rule. */
static void ref_byte(int c, char *out, size_t outlen)
{
	if (c == '"' || c == '\\')
		snprintf(out, outlen, "\\%c", c);
	else if (c == '\n')
		snprintf(out, outlen, "\\n");
	else if (c == '\r')
		snprintf(out, outlen, "\\r");
	else if (c == '\t')
		snprintf(out, outlen, "\\t");
	else if (c < 0x20 || c == '<' || c == '>' || c == '&')
		snprintf(out, outlen, "\\u00%02x", c);
	else if (c < 0x80)
		snprintf(out, outlen, "%c", c);
	else
		snprintf(out, outlen, "\\ufffd");
}

static void test_jsonw__all_bytes(void **state)
{
	char in[1], want[16];
	int c;

	(void)state;
	for (c = 0; c < 256; c++) {
		in[0] = (char)c;
		ref_byte(c, want, sizeof(want));
		esc_is(in, 1, want);
	}
}

static void test_jsonw__document(void **state)
{
	struct buf b = BUF_INIT;
	struct jsonw w;

	(void)state;
	jsonw_init(&w, &b);
	jsonw_obj_begin(&w);
	jsonw_key(&w, "a");
	jsonw_u64(&w, 1);
	jsonw_key(&w, "b");
	jsonw_arr_begin(&w);
	jsonw_u64(&w, 1);
	jsonw_i64(&w, -2);
	jsonw_obj_begin(&w);
	jsonw_key(&w, "c");
	jsonw_null(&w);
	jsonw_obj_end(&w);
	jsonw_arr_begin(&w);
	jsonw_arr_end(&w);
	jsonw_obj_begin(&w);
	jsonw_obj_end(&w);
	jsonw_arr_end(&w);
	jsonw_key(&w, "d");
	jsonw_bool(&w, 1);
	jsonw_key(&w, "e");
	jsonw_bool(&w, 0);
	jsonw_key(&w, "k<&>");
	jsonw_str(&w, "x\n");
	jsonw_key(&w, "r");
	jsonw_raw(&w, "{\"z\":[]}", 8);
	jsonw_key(&w, "n");
	jsonw_strn(&w, "ab\0c", 4);
	jsonw_key(&w, "s");
	jsonw_str(&w, NULL);
	jsonw_obj_end(&w);
	assert_int_equal(jsonw_finish(&w), 0);
	assert_string_equal(buf_cstr(&b),
			    "{\"a\":1,\"b\":[1,-2,{\"c\":null},[],{}],"
			    "\"d\":true,\"e\":false,\"k\\u003c\\u0026\\u003e\":"
			    "\"x\\n\",\"r\":{\"z\":[]},\"n\":\"ab\\u0000c\","
			    "\"s\":\"\"}");
	buf_release(&b);
}

static void test_jsonw__numbers(void **state)
{
	struct buf b = BUF_INIT;
	struct jsonw w;

	(void)state;
	jsonw_init(&w, &b);
	jsonw_arr_begin(&w);
	jsonw_u64(&w, 0);
	jsonw_u64(&w, UINT64_MAX);
	jsonw_i64(&w, 0);
	jsonw_i64(&w, INT64_MIN);
	jsonw_i64(&w, INT64_MAX);
	jsonw_u64(&w, 2147484141u);
	jsonw_arr_end(&w);
	assert_int_equal(jsonw_finish(&w), 0);
	assert_string_equal(buf_cstr(&b),
			    "[0,18446744073709551615,0,-9223372036854775808,"
			    "9223372036854775807,2147484141]");
	buf_release(&b);
}

static void test_jsonw__base64_hex(void **state)
{
	static const char *const want[] = {
		"\"\"", "\"Zg==\"", "\"Zm8=\"", "\"Zm9v\"",
		"\"Zm9vYg==\"", "\"Zm9vYmE=\"", "\"Zm9vYmFy\"",
	};
	struct buf b = BUF_INIT;
	struct jsonw w;
	uint8_t id[4] = { 0x00, 0xab, 0x7f, 0xff };
	size_t i;

	(void)state;
	for (i = 0; i < 7; i++) {
		buf_reset(&b);
		jsonw_init(&w, &b);
		jsonw_base64(&w, (const uint8_t *)"foobar", i);
		assert_int_equal(jsonw_finish(&w), 0);
		assert_string_equal(buf_cstr(&b), want[i]);
	}
	buf_reset(&b);
	jsonw_init(&w, &b);
	jsonw_arr_begin(&w);
	jsonw_hex(&w, id, sizeof(id));
	jsonw_hex(&w, id, 0);
	jsonw_base64(&w, id, 4);
	jsonw_arr_end(&w);
	assert_int_equal(jsonw_finish(&w), 0);
	assert_string_equal(buf_cstr(&b), "[\"00ab7fff\",\"\",\"AKt//w==\"]");
	buf_release(&b);
}

/* The file node of RESTIC_FORMAT.md §11.2, as restic 0.14 wrote it. */
static void test_jsonw__restic_node(void **state)
{
	static const uint8_t id[32] = {
		0xfb, 0xbd, 0x69, 0x19, 0x86, 0x37, 0xd5, 0x36,
		0x03, 0x53, 0xc3, 0x97, 0x96, 0x18, 0x11, 0x75,
		0xde, 0x63, 0x11, 0xc2, 0xa6, 0x1a, 0xbe, 0x2f,
		0xe6, 0x39, 0x2c, 0x93, 0x80, 0x18, 0x66, 0x0f,
	};
	struct buf b = BUF_INIT;
	struct jsonw w;

	(void)state;
	jsonw_init(&w, &b);
	jsonw_obj_begin(&w);
	jsonw_key(&w, "name");
	jsonw_str(&w, "hello.txt");
	jsonw_key(&w, "type");
	jsonw_str(&w, "file");
	jsonw_key(&w, "mode");
	jsonw_u64(&w, 420);
	jsonw_key(&w, "mtime");
	jsonw_str(&w, "2023-05-06T05:08:09.123456789Z");
	jsonw_key(&w, "atime");
	jsonw_str(&w, "2023-05-06T05:08:09.123456789Z");
	jsonw_key(&w, "ctime");
	jsonw_str(&w, "2026-11-29T04:38:28.575854557Z");
	jsonw_key(&w, "uid");
	jsonw_u64(&w, 0);
	jsonw_key(&w, "gid");
	jsonw_u64(&w, 0);
	jsonw_key(&w, "user");
	jsonw_str(&w, "root");
	jsonw_key(&w, "group");
	jsonw_str(&w, "root");
	jsonw_key(&w, "inode");
	jsonw_u64(&w, 11001883);
	jsonw_key(&w, "device_id");
	jsonw_u64(&w, 65024);
	jsonw_key(&w, "size");
	jsonw_u64(&w, 13);
	jsonw_key(&w, "links");
	jsonw_u64(&w, 2);
	jsonw_key(&w, "content");
	jsonw_arr_begin(&w);
	jsonw_hex(&w, id, 32);
	jsonw_arr_end(&w);
	jsonw_obj_end(&w);
	assert_int_equal(jsonw_finish(&w), 0);
	assert_string_equal(
		buf_cstr(&b),
		"{\"name\":\"hello.txt\",\"type\":\"file\",\"mode\":420,"
		"\"mtime\":\"2023-05-06T05:08:09.123456789Z\","
		"\"atime\":\"2023-05-06T05:08:09.123456789Z\","
		"\"ctime\":\"2026-11-29T04:38:28.575854557Z\",\"uid\":0,"
		"\"gid\":0,\"user\":\"root\",\"group\":\"root\","
		"\"inode\":11001883,\"device_id\":65024,\"size\":13,"
		"\"links\":2,\"content\":[\"fbbd69198637d5360353c39796181175"
		"de6311c2a61abe2fe6392c938018660f\"]}");
	buf_release(&b);
}

static void test_jsonw__misuse(void **state)
{
	struct buf b = BUF_INIT;
	struct jsonw w;
	int i;

	(void)state;
	jsonw_init(&w, &b); /* unbalanced */
	jsonw_obj_begin(&w);
	assert_int_equal(jsonw_finish(&w), RP_EINTERNAL);

	buf_reset(&b); /* value in an object without a key */
	jsonw_init(&w, &b);
	jsonw_obj_begin(&w);
	jsonw_u64(&w, 1);
	jsonw_obj_end(&w);
	assert_int_equal(jsonw_finish(&w), RP_EINTERNAL);

	buf_reset(&b); /* key outside an object */
	jsonw_init(&w, &b);
	jsonw_arr_begin(&w);
	jsonw_key(&w, "x");
	assert_int_equal(jsonw_finish(&w), RP_EINTERNAL);

	buf_reset(&b); /* mismatched end */
	jsonw_init(&w, &b);
	jsonw_arr_begin(&w);
	jsonw_obj_end(&w);
	assert_int_equal(jsonw_finish(&w), RP_EINTERNAL);

	buf_reset(&b); /* key without value */
	jsonw_init(&w, &b);
	jsonw_obj_begin(&w);
	jsonw_key(&w, "x");
	jsonw_obj_end(&w);
	assert_int_equal(jsonw_finish(&w), RP_EINTERNAL);

	buf_reset(&b); /* end at depth 0 */
	jsonw_init(&w, &b);
	jsonw_arr_end(&w);
	assert_int_equal(jsonw_finish(&w), RP_EINTERNAL);

	buf_reset(&b); /* too deep */
	jsonw_init(&w, &b);
	for (i = 0; i < JSONW_MAX_DEPTH + 1; i++)
		jsonw_arr_begin(&w);
	assert_int_equal(jsonw_finish(&w), RP_EINTERNAL);

	buf_reset(&b); /* exactly the maximum depth is fine */
	jsonw_init(&w, &b);
	for (i = 0; i < JSONW_MAX_DEPTH; i++)
		jsonw_arr_begin(&w);
	for (i = 0; i < JSONW_MAX_DEPTH; i++)
		jsonw_arr_end(&w);
	assert_int_equal(jsonw_finish(&w), 0);
	buf_release(&b);
}

static void test_jsonw__cap_sticky(void **state)
{
	struct buf b;
	struct jsonw w;

	(void)state;
	buf_init(&b, 16);
	jsonw_init(&w, &b);
	jsonw_arr_begin(&w);
	jsonw_str(&w, "0123456789abcdef0123");
	jsonw_u64(&w, 1);
	jsonw_arr_end(&w);
	assert_int_equal(jsonw_finish(&w), RP_ENOMEM);
	assert_true(b.len <= 16);
	buf_release(&b);

	buf_init(&b, 8);
	jsonw_init(&w, &b);
	jsonw_hex(&w, (const uint8_t *)"0123", 4);
	assert_int_equal(jsonw_finish(&w), RP_ENOMEM);
	jsonw_init(&w, &b);
	jsonw_base64(&w, (const uint8_t *)"0123456", 7);
	assert_int_equal(jsonw_finish(&w), RP_ENOMEM);
	buf_release(&b);
}

/* A long string of mostly safe text with a few escapes, in one piece. */
static void test_jsonw__long(void **state)
{
	struct buf in = BUF_INIT, out = BUF_INIT, want = BUF_INIT;
	size_t i;

	(void)state;
	for (i = 0; i < 100000; i++) {
		int lt = i % 1000 == 7;

		assert_int_equal(buf_adds(&in, lt ? "<" : "\xc3\xa4"), 0);
		assert_int_equal(buf_adds(&want, lt ? "\\u003c" : "\xc3\xa4"),
				 0);
	}
	assert_int_equal(jsonw_escape_go(&out, (const char *)in.p, in.len), 0);
	assert_int_equal(out.len, want.len);
	assert_memory_equal(out.p, want.p, want.len);
	buf_release(&in);
	buf_release(&out);
	buf_release(&want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_jsonw__plain),
		cmocka_unit_test(test_jsonw__go_specials),
		cmocka_unit_test(test_jsonw__controls),
		cmocka_unit_test(test_jsonw__utf8),
		cmocka_unit_test(test_jsonw__all_bytes),
		cmocka_unit_test(test_jsonw__document),
		cmocka_unit_test(test_jsonw__numbers),
		cmocka_unit_test(test_jsonw__base64_hex),
		cmocka_unit_test(test_jsonw__restic_node),
		cmocka_unit_test(test_jsonw__misuse),
		cmocka_unit_test(test_jsonw__cap_sticky),
		cmocka_unit_test(test_jsonw__long),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
