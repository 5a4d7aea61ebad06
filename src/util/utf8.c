#include "util/utf8.h"

static int utf8_cont(uint8_t c)
{
	return (c & 0xc0) == 0x80;
}

size_t utf8_decode(const uint8_t *p, size_t n, uint32_t *cp)
{
	uint8_t c = p[0], lo = 0x80, hi = 0xbf;

	if (c >= 0xc2 && c <= 0xdf) {
		if (n < 2 || !utf8_cont(p[1]))
			return 0;
		*cp = (uint32_t)(c & 0x1f) << 6 | (p[1] & 0x3f);
		return 2;
	}
	if (c >= 0xe0 && c <= 0xef) {
		if (c == 0xe0)
			lo = 0xa0;
		else if (c == 0xed)
			hi = 0x9f;
		if (n < 3 || p[1] < lo || p[1] > hi || !utf8_cont(p[2]))
			return 0;
		*cp = (uint32_t)(c & 0x0f) << 12 |
		      (uint32_t)(p[1] & 0x3f) << 6 | (p[2] & 0x3f);
		return 3;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		if (c == 0xf0)
			lo = 0x90;
		else if (c == 0xf4)
			hi = 0x8f;
		if (n < 4 || p[1] < lo || p[1] > hi || !utf8_cont(p[2]) ||
		    !utf8_cont(p[3]))
			return 0;
		*cp = (uint32_t)(c & 0x07) << 18 |
		      (uint32_t)(p[1] & 0x3f) << 12 |
		      (uint32_t)(p[2] & 0x3f) << 6 | (p[3] & 0x3f);
		return 4;
	}
	return 0;
}

int utf8_valid(const uint8_t *p, size_t n)
{
	size_t i = 0, l;
	uint32_t cp;

	while (i < n) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		l = utf8_decode(p + i, n - i, &cp);
		if (l == 0)
			return 0;
		i += l;
	}
	return 1;
}
