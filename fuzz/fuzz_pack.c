/*
 * fuzz_pack: the pack trailer and header parsers (pack_trailer_check,
 * pack_header_decode), alone and as engine/check.c chains them.
 *
 * Input: flags(1) || rest.
 *   flags bit 0: repository version 1 (else 2).
 *   flags bit 1 clear: rest = trailer(4) || pack_size(8, LE) || header
 *     plaintext; both parsers run on their part.
 *   flags bit 1 set: rest = split(2, LE) || payload.  The harness builds
 *     a pack payload[0..split) || seal(payload[split..]) || trailer, with
 *     the trailer's low byte XORed with flags >> 2, and parses it the way
 *     check.c does: trailer, decrypt the header, decode it.
 * Checked: whatever is accepted obeys RESTIC_FORMAT.md §8.
 */
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

#include "repo/pack.h"
#include "util/rd.h"

static void check_header(const uint8_t *p, size_t n, int version)
{
	struct pack_blob *v = NULL;
	size_t cnt = 0, i, bytes = 0;
	uint64_t off = 0;

	if (pack_header_decode(p, n, version, &v, &cnt) < 0)
		return;
	FUZZ_CHECK(cnt >= 1 && cnt <= n / PACK_ENTRY_PLAIN);
	for (i = 0; i < cnt; i++) {
		FUZZ_CHECK(v[i].type == BLOB_DATA || v[i].type == BLOB_TREE);
		FUZZ_CHECK(v[i].length >= CRYPTO_OVERHEAD);
		FUZZ_CHECK(v[i].offset == off);
		FUZZ_CHECK(version >= 2 || v[i].ulen == 0);
		off += v[i].length;
		FUZZ_CHECK(off <= UINT32_MAX);
		bytes += v[i].ulen ? PACK_ENTRY_COMPRESSED : PACK_ENTRY_PLAIN;
	}
	FUZZ_CHECK(bytes == n);
	free(v);
}

static void check_trailer(const uint8_t t[4], uint64_t size)
{
	uint32_t hlen = 0;

	if (pack_trailer_check(t, size, &hlen) < 0)
		return;
	FUZZ_CHECK(hlen >= CRYPTO_OVERHEAD + PACK_ENTRY_PLAIN);
	FUZZ_CHECK(hlen <= PACK_HEADER_MAX);
	FUZZ_CHECK(size >= 4 && hlen <= size - 4);
}

/* whole_pack: check.c's pack_header over a pack the harness assembled. */
static void whole_pack(const uint8_t *p, size_t n, int version, uint8_t x)
{
	struct buf pack = BUF_INIT, hdr = BUF_INIT;
	size_t split;
	uint32_t hlen;
	uint8_t *pt;

	if (n < 2)
		return;
	split = (size_t)p[0] | (size_t)p[1] << 8;
	p += 2;
	n -= 2;
	if (split > n)
		split = n;
	fuzz_seal(p + split, n - split, &hdr);
	FUZZ_CHECK(buf_add(&pack, p, split) == 0);
	FUZZ_CHECK(buf_add(&pack, hdr.p, hdr.len) == 0);
	FUZZ_CHECK(buf_add_u32le(&pack, (uint32_t)(hdr.len ^ x)) == 0);
	if (pack_trailer_check(pack.p + pack.len - 4, pack.len, &hlen) == 0) {
		FUZZ_CHECK(hlen <= pack.len - 4);
		pt = malloc(hlen);
		FUZZ_CHECK(pt != NULL);
		if (crypto_open(fuzz_master(), pack.p + pack.len - 4 - hlen,
				hlen, pt) == 0) {
			FUZZ_CHECK(x == 0);
			check_header(pt, hlen - CRYPTO_OVERHEAD, version);
		}
		free(pt);
	}
	buf_release(&pack);
	buf_release(&hdr);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int version;
	uint64_t psize;

	fuzz_init();
	if (size < 1)
		return 0;
	version = data[0] & 1 ? 1 : 2;
	if (data[0] & 2) {
		whole_pack(data + 1, size - 1, version,
			   (uint8_t)(data[0] >> 2));
		return 0;
	}
	if (size < 13)
		return 0;
	psize = (uint64_t)le32_get(data + 5) |
		(uint64_t)le32_get(data + 9) << 32;
	check_trailer(data + 1, psize);
	check_header(data + 13, size - 13, version);
	return 0;
}
