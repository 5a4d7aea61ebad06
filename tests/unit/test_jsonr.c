/*
 * test_jsonr: reading repository JSON through yajl, with exact 64-bit
 * integers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "util/buf.h"
#include "util/err.h"
#include "util/jsonr.h"
#include "util/jsonw.h"

static yajl_val parse_ok(const char *s)
{
	yajl_val v = NULL;
	char err[128];

	assert_int_equal(jsonr_parse((const uint8_t *)s, strlen(s), &v, err,
				     sizeof(err)), 0);
	assert_non_null(v);
	return v;
}

static void test_jsonr__parse_errors(void **state)
{
	static const char *const bad[] = {
		"", "{", "[1,2", "{\"a\":}", "{} x", "nul", "{\"a\":\"\xff\"}",
		"{'a':1}", "[1,]",
	};
	static const uint8_t dummy[1];
	yajl_val v;
	char err[64];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		v = (yajl_val)1;
		assert_int_equal(jsonr_parse((const uint8_t *)bad[i],
					     strlen(bad[i]), &v, err,
					     sizeof(err)),
				 RP_EFORMAT);
		assert_null(v);
		assert_true(strlen(err) > 0);
		assert_null(strchr(err, '\n'));
	}
	/* a NUL inside: yajl alone would parse the prefix */
	assert_int_equal(jsonr_parse((const uint8_t *)"{}\0{", 4, &v, err,
				     sizeof(err)),
			 RP_EFORMAT);
	/* no error buffer, tiny error buffer */
	assert_int_equal(jsonr_parse((const uint8_t *)"[", 1, &v, NULL, 0),
			 RP_EFORMAT);
	assert_int_equal(jsonr_parse((const uint8_t *)"[", 1, &v, err, 1),
			 RP_EFORMAT);
	assert_string_equal(err, "");
	/* over the size cap: refused before the input is read at all */
	assert_int_equal(jsonr_parse(dummy, (size_t)257 << 20, &v, err,
				     sizeof(err)),
			 RP_ENOMEM);
	assert_null(v);
}

static void test_jsonr__access(void **state)
{
	yajl_val doc, a;
	const char *s;
	int b;
	uint64_t u;

	(void)state;
	doc = parse_ok("{\"s\":\"h\\u00e9\\n\",\"t\":true,\"f\":false,"
		       "\"n\":null,\"arr\":[10,\"x\",[]],\"o\":{\"k\":7},"
		       "\"dup\":1,\"dup\":2}");
	assert_int_equal(jsonr_str(jsonr_get(doc, "s"), &s), 0);
	assert_string_equal(s, "h\xc3\xa9\n");
	assert_int_equal(jsonr_bool(jsonr_get(doc, "t"), &b), 0);
	assert_int_equal(b, 1);
	assert_int_equal(jsonr_bool(jsonr_get(doc, "f"), &b), 0);
	assert_int_equal(b, 0);
	assert_int_equal(jsonr_bool(jsonr_get(doc, "n"), &b), RP_EFORMAT);
	assert_int_equal(jsonr_str(jsonr_get(doc, "n"), &s), RP_EFORMAT);
	assert_int_equal(jsonr_str(jsonr_get(doc, "t"), &s), RP_EFORMAT);
	assert_int_equal(jsonr_str(jsonr_get(doc, "missing"), &s), RP_EFORMAT);
	assert_null(jsonr_get(doc, "missing"));
	assert_null(jsonr_get(doc, "S"));
	assert_null(jsonr_get(NULL, "s"));
	assert_null(jsonr_get(jsonr_get(doc, "arr"), "s"));

	a = jsonr_get(doc, "arr");
	assert_int_equal(jsonr_arr_len(a), 3);
	assert_int_equal(jsonr_u64(jsonr_arr_at(a, 0), &u), 0);
	assert_int_equal(u, 10);
	assert_int_equal(jsonr_str(jsonr_arr_at(a, 1), &s), 0);
	assert_string_equal(s, "x");
	assert_int_equal(jsonr_arr_len(jsonr_arr_at(a, 2)), 0);
	assert_null(jsonr_arr_at(a, 3));
	assert_int_equal(jsonr_arr_len(jsonr_get(doc, "o")), 0);
	assert_null(jsonr_arr_at(jsonr_get(doc, "o"), 0));
	assert_int_equal(jsonr_arr_len(NULL), 0);

	assert_int_equal(jsonr_u64(jsonr_get(jsonr_get(doc, "o"), "k"), &u), 0);
	assert_int_equal(u, 7);
	/* Go keeps the last of duplicate keys */
	assert_int_equal(jsonr_u64(jsonr_get(doc, "dup"), &u), 0);
	assert_int_equal(u, 2);
	jsonr_free(doc);
	jsonr_free(NULL);
}

static void u64_is(const char *num, uint64_t want)
{
	yajl_val doc = parse_ok(num);
	uint64_t u = 0;

	assert_int_equal(jsonr_u64(doc, &u), 0);
	assert_true(u == want);
	jsonr_free(doc);
}

static void u64_bad(const char *json)
{
	yajl_val doc = parse_ok(json);
	uint64_t u = 12345;

	assert_int_equal(jsonr_u64(doc, &u), RP_EFORMAT);
	assert_true(u == 12345);
	jsonr_free(doc);
}

static void test_jsonr__u64(void **state)
{
	(void)state;
	u64_is("0", 0);
	u64_is("18446744073709551615", UINT64_MAX);
	u64_is("9007199254740993", 9007199254740993u);
	u64_is("9223372036854775808", 9223372036854775808u);
}

static void test_jsonr__u64_bad(void **state)
{
	(void)state;
	u64_bad("18446744073709551616");
	u64_bad("99999999999999999999");
	u64_bad("-1");
	u64_bad("-0");
	u64_bad("1.5");
	u64_bad("1.0");
	u64_bad("1e3");
	u64_bad("1E3");
	u64_bad("\"x\"");
	u64_bad("\"1\"");
	u64_bad("true");
	u64_bad("null");
	u64_bad("[1]");
	assert_int_equal(jsonr_u64(NULL, &(uint64_t){ 0 }), RP_EFORMAT);
}

static void i64_is(const char *num, int64_t want)
{
	yajl_val doc = parse_ok(num);
	int64_t i = 0;

	assert_int_equal(jsonr_i64(doc, &i), 0);
	assert_true(i == want);
	jsonr_free(doc);
}

static void i64_bad(const char *json)
{
	yajl_val doc = parse_ok(json);
	int64_t i;

	assert_int_equal(jsonr_i64(doc, &i), RP_EFORMAT);
	jsonr_free(doc);
}

static void test_jsonr__i64(void **state)
{
	(void)state;
	i64_is("0", 0);
	i64_is("-0", 0);
	i64_is("-1", -1);
	i64_is("9223372036854775807", INT64_MAX);
	i64_is("-9223372036854775808", INT64_MIN);
	i64_is("-9007199254740993", -9007199254740993);
	i64_bad("9223372036854775808");
	i64_bad("-9223372036854775809");
	i64_bad("1.5");
	i64_bad("-1e2");
	i64_bad("\"x\"");
	i64_bad("false");
}

static void test_jsonr__hexid(void **state)
{
	static const char lower[] = "\"fbbd69198637d5360353c39796181175"
				    "de6311c2a61abe2fe6392c938018660f\"";
	static const char upper[] = "\"FBBD69198637D5360353C39796181175"
				    "DE6311C2A61ABE2FE6392C938018660F\"";
	static const char *const bad[] = {
		"\"fbbd69198637d5360353c39796181175"
		"de6311c2a61abe2fe6392c93801866\"",
		"\"fbbd69198637d5360353c39796181175"
		"de6311c2a61abe2fe6392c938018660f0\"",
		"\"gbbd69198637d5360353c39796181175"
		"de6311c2a61abe2fe6392c938018660f\"",
		"\"\"", "12", "null",
	};
	uint8_t id[32];
	yajl_val v;
	size_t i;

	(void)state;
	v = parse_ok(lower);
	assert_int_equal(jsonr_hexid(v, id), 0);
	assert_int_equal(id[0], 0xfb);
	assert_int_equal(id[31], 0x0f);
	jsonr_free(v);
	v = parse_ok(upper);
	memset(id, 0, sizeof(id));
	assert_int_equal(jsonr_hexid(v, id), 0);
	assert_int_equal(id[1], 0xbd);
	assert_int_equal(id[30], 0x66);
	jsonr_free(v);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		v = parse_ok(bad[i]);
		assert_int_equal(jsonr_hexid(v, id), RP_EFORMAT);
		jsonr_free(v);
	}
}

/* What jsonw writes, jsonr reads back unchanged. */
static void test_jsonr__roundtrip_jsonw(void **state)
{
	static const char *const strs[] = {
		"plain", "<a>&b", "q\"uote\\back", "\xe2\x80\xa8\xe2\x80\xa9",
		"ctl\x01\x1f\x7f\b\f\n\r\t", "\xc3\xa4\xf0\x9f\x98\x80", "",
	};
	struct buf b = BUF_INIT;
	struct jsonw w;
	yajl_val doc, a;
	const char *s;
	uint64_t u;
	int64_t i64;
	size_t i, n = sizeof(strs) / sizeof(strs[0]);

	(void)state;
	jsonw_init(&w, &b);
	jsonw_obj_begin(&w);
	jsonw_key(&w, "strs");
	jsonw_arr_begin(&w);
	for (i = 0; i < n; i++)
		jsonw_str(&w, strs[i]);
	jsonw_arr_end(&w);
	jsonw_key(&w, "max");
	jsonw_u64(&w, UINT64_MAX);
	jsonw_key(&w, "min");
	jsonw_i64(&w, INT64_MIN);
	jsonw_key(&w, "<k>");
	jsonw_null(&w);
	jsonw_obj_end(&w);
	assert_int_equal(jsonw_finish(&w), 0);

	assert_int_equal(jsonr_parse(b.p, b.len, &doc, NULL, 0), 0);
	a = jsonr_get(doc, "strs");
	assert_int_equal(jsonr_arr_len(a), n);
	for (i = 0; i < n; i++) {
		assert_int_equal(jsonr_str(jsonr_arr_at(a, i), &s), 0);
		assert_string_equal(s, strs[i]);
	}
	assert_int_equal(jsonr_u64(jsonr_get(doc, "max"), &u), 0);
	assert_true(u == UINT64_MAX);
	assert_int_equal(jsonr_i64(jsonr_get(doc, "min"), &i64), 0);
	assert_true(i64 == INT64_MIN);
	assert_non_null(jsonr_get(doc, "<k>"));
	jsonr_free(doc);
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_jsonr__parse_errors),
		cmocka_unit_test(test_jsonr__access),
		cmocka_unit_test(test_jsonr__u64),
		cmocka_unit_test(test_jsonr__u64_bad),
		cmocka_unit_test(test_jsonr__i64),
		cmocka_unit_test(test_jsonr__hexid),
		cmocka_unit_test(test_jsonr__roundtrip_jsonw),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
