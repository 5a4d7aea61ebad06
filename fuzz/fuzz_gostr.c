/*
 * fuzz_gostr: Go's strconv.Unquote, RFC 3339 time parsing and base64
 * decoding as gostr implements them (RESTIC_FORMAT.md §1, §11.3), each
 * with its encoder as an oracle.
 *
 * Input: selector(1) || bytes.  selector % 4 picks:
 *   0  gostr_unquote(bytes): whatever it accepts, gostr_quote quotes back
 *      to a form that unquotes to the same raw bytes and holds no control
 *      byte and no unescaped '"';
 *   1  gostr_quote(bytes) then gostr_unquote: the bytes come back;
 *   2  gostr_time_parse(bytes): an accepted time formats and parses back
 *      to the same instant, fraction and offset;
 *      and gostr_time_format on a gotime made of the raw bytes does not
 *      crash, and what it writes parses (offsets under 24 h);
 *   3  gostr_base64_decode(bytes): an accepted string re-encodes to
 *      something that decodes to the same bytes; and encoding the raw
 *      bytes decodes back to them.
 */
#include "fuzz.h"

#include <string.h>

#include "util/gostr.h"
#include "util/rd.h"

static int same(const struct buf *a, const uint8_t *p, size_t n)
{
	return a->len == n && (n == 0 || memcmp(a->p, p, n) == 0);
}

static void quote_back(const uint8_t *raw, size_t n)
{
	struct buf q = BUF_INIT, back = BUF_INIT;
	size_t i;

	FUZZ_CHECK(gostr_quote(&q, raw, n) == 0);
	for (i = 0; i < q.len; i++) {
		FUZZ_CHECK(q.p[i] >= 0x20 && q.p[i] != 0x7f);
		if (q.p[i] == '\\')
			i++; /* the escaped character */
		else
			FUZZ_CHECK(q.p[i] != '"');
	}
	FUZZ_CHECK(gostr_unquote(&back, (const char *)q.p, q.len) == 0);
	FUZZ_CHECK(same(&back, raw, n));
	buf_release(&q);
	buf_release(&back);
}

static void unquote(const uint8_t *p, size_t n)
{
	struct buf raw = BUF_INIT;

	raw.max = 1 << 20;
	if (gostr_unquote(&raw, (const char *)p, n) == 0)
		quote_back(raw.p ? raw.p : (const uint8_t *)"", raw.len);
	buf_release(&raw);
}

static void time_parse(const uint8_t *p, size_t n)
{
	struct gotime t, u;
	struct buf f = BUF_INIT;

	if (gostr_time_parse((const char *)p, n, &t) == 0) {
		FUZZ_CHECK(t.nsec >= 0 && t.nsec <= 999999999);
		FUZZ_CHECK(gostr_time_format(&f, &t) == 0);
		FUZZ_CHECK(gostr_time_parse((const char *)f.p, f.len, &u) == 0);
		FUZZ_CHECK(t.sec == u.sec && t.nsec == u.nsec &&
			   t.off == u.off);
	}
	buf_release(&f);
	if (n >= 16) {
		t.sec = (int64_t)((uint64_t)le32_get(p) |
				  (uint64_t)le32_get(p + 4) << 32);
		t.nsec = (int32_t)le32_get(p + 8);
		t.off = (int32_t)le32_get(p + 12);
		/* parse takes offsets up to 23:59, format writes up to
		 * 99:59; no reader produces those, so only the former */
		if (gostr_time_format(&f, &t) == 0 && t.off > -86400 &&
		    t.off < 86400)
			FUZZ_CHECK(gostr_time_parse((const char *)f.p, f.len,
						    &u) == 0);
		buf_release(&f);
	}
}

static void base64(const uint8_t *p, size_t n)
{
	struct buf d = BUF_INIT, e = BUF_INIT, back = BUF_INIT;

	if (gostr_base64_decode(&d, (const char *)p, n) == 0) {
		FUZZ_CHECK(d.len <= n / 4 * 3);
		FUZZ_CHECK(gostr_base64_encode(&e, d.p, d.len) == 0);
		FUZZ_CHECK(gostr_base64_decode(&back, (const char *)e.p,
					       e.len) == 0);
		FUZZ_CHECK(same(&back, d.p, d.len));
	}
	buf_release(&d);
	buf_release(&e);
	buf_release(&back);
	FUZZ_CHECK(gostr_base64_encode(&e, p, n) == 0);
	FUZZ_CHECK(e.len == (n + 2) / 3 * 4);
	FUZZ_CHECK(gostr_base64_decode(&back, (const char *)e.p, e.len) == 0);
	FUZZ_CHECK(same(&back, p, n));
	buf_release(&e);
	buf_release(&back);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_init();
	if (size < 1)
		return 0;
	switch (data[0] % 4) {
	case 0:
		unquote(data + 1, size - 1);
		break;
	case 1:
		quote_back(data + 1, size - 1);
		break;
	case 2:
		time_parse(data + 1, size - 1);
		break;
	default:
		base64(data + 1, size - 1);
		break;
	}
	return 0;
}
