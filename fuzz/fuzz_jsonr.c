/*
 * fuzz_jsonr: jsonr_parse (yajl's tree parser behind a size cap and a NUL
 * check) and every typed reader, over every value of the document.
 *
 * Input: any bytes.
 * Checked, for each value down to WALK_DEPTH:
 *   - jsonr_u64 / jsonr_i64 accept exactly the plain decimal integers that
 *     fit (Go's ParseUint / ParseInt), with strtoull / strtoll's value;
 *   - jsonr_hexid accepts exactly 64 hex digits, and hex_encode gives
 *     them back in lower case;
 *   - jsonr_get(obj, key) is the LAST member with that key (for the
 *     first GET_CHECKS keys of an object);
 *   - jsonr_arr_len / jsonr_arr_at agree with the array, and are 0 / NULL
 *     on anything else.
 * The walk is recursive, so it stops at WALK_DEPTH; jsonr_parse and
 * jsonr_free get the whole document.
 */
#include "fuzz.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/hex.h"
#include "util/jsonr.h"

#define WALK_DEPTH 64
#define GET_CHECKS 32

static int all_digits(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

static void check_number(yajl_val v)
{
	const char *s = v->u.number.r;
	uint64_t u;
	int64_t i;
	unsigned long long ull;
	long long ll;
	int uok, iok, neg;

	FUZZ_CHECK(s != NULL);
	uok = jsonr_u64(v, &u) == 0;
	errno = 0;
	ull = strtoull(s, NULL, 10);
	FUZZ_CHECK(uok == (all_digits(s) && errno == 0));
	if (uok)
		FUZZ_CHECK(u == ull);
	iok = jsonr_i64(v, &i) == 0;
	neg = s[0] == '-';
	errno = 0;
	ll = strtoll(s, NULL, 10);
	FUZZ_CHECK(iok == (all_digits(s + neg) && errno == 0));
	if (iok)
		FUZZ_CHECK(i == ll);
}

static void check_string(yajl_val v)
{
	const char *s;
	uint8_t id[32];
	char hex[65];
	size_t k, n;
	int ok;

	FUZZ_CHECK(jsonr_str(v, &s) == 0);
	n = strlen(s);
	ok = n == 64;
	for (k = 0; ok && k < n; k++)
		ok = isxdigit((unsigned char)s[k]) != 0;
	FUZZ_CHECK((jsonr_hexid(v, id) == 0) == ok);
	if (ok) {
		hex_encode(id, 32, hex);
		for (k = 0; k < 64; k++)
			FUZZ_CHECK(hex[k] == tolower((unsigned char)s[k]));
	}
}

static void walk(yajl_val v, int depth)
{
	size_t i, j;
	int b;
	const char *s;
	uint64_t u;

	FUZZ_CHECK(v != NULL);
	FUZZ_CHECK((jsonr_bool(v, &b) == 0) ==
		   (YAJL_IS_TRUE(v) || YAJL_IS_FALSE(v)));
	if (YAJL_IS_NUMBER(v))
		check_number(v);
	else
		FUZZ_CHECK(jsonr_u64(v, &u) < 0);
	if (YAJL_IS_STRING(v))
		check_string(v);
	else
		FUZZ_CHECK(jsonr_str(v, &s) < 0);
	if (!YAJL_IS_ARRAY(v)) {
		FUZZ_CHECK(jsonr_arr_len(v) == 0 && jsonr_arr_at(v, 0) == NULL);
	} else {
		FUZZ_CHECK(jsonr_arr_len(v) == v->u.array.len);
		FUZZ_CHECK(jsonr_arr_at(v, v->u.array.len) == NULL);
	}
	if (!YAJL_IS_OBJECT(v))
		FUZZ_CHECK(jsonr_get(v, "") == NULL);
	if (depth >= WALK_DEPTH)
		return;
	if (YAJL_IS_ARRAY(v))
		for (i = 0; i < v->u.array.len; i++) {
			FUZZ_CHECK(jsonr_arr_at(v, i) == v->u.array.values[i]);
			walk(v->u.array.values[i], depth + 1);
		}
	if (YAJL_IS_OBJECT(v))
		for (i = 0; i < v->u.object.len; i++) {
			const char *key = v->u.object.keys[i];

			walk(v->u.object.values[i], depth + 1);
			if (i >= GET_CHECKS)
				continue; /* quadratic: the first few suffice */
			for (j = v->u.object.len; j > i; j--)
				if (!strcmp(v->u.object.keys[j - 1], key))
					break;
			FUZZ_CHECK(jsonr_get(v, key) ==
				   v->u.object.values[j - 1]);
		}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	yajl_val doc;
	char err[128];
	int r;

	fuzz_init();
	memset(err, 'x', sizeof(err)); /* a failure must leave a C string */
	r = jsonr_parse(data, size, &doc, err, sizeof(err));
	if (size && memchr(data, 0, size))
		FUZZ_CHECK(r < 0);
	if (r < 0) {
		FUZZ_CHECK(doc == NULL);
		FUZZ_CHECK(memchr(err, 0, sizeof(err)) != NULL);
		return 0;
	}
	walk(doc, 0);
	jsonr_free(doc);
	return 0;
}
