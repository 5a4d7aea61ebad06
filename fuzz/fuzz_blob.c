/*
 * fuzz_blob: blob_decode (decrypt, zstd, length and hash checks), and the
 * blob_encode -> blob_decode round trip.
 *
 * Input: flags(1) || ulen(4, LE) || payload.
 *   flags & 3 == 0: payload is the blob's plaintext or zstd frame; the
 *     harness seals it with the master key and decodes it with the given
 *     ulen (bounded to 16 MiB, restic's blobs are at most 8 MiB) and
 *     id = SHA-256(payload).  With ulen 0 this must succeed and give the
 *     payload back.
 *   flags & 3 == 1: payload is handed over as an encrypted blob (IV || ct
 *     || MAC) as it is: the MAC check must refuse it.
 *   flags & 3 >= 2: payload is encoded with blob_encode (version from bit
 *     2, type from bit 3, level from ulen's low byte: 0, 1, 3 or 19) and
 *     decoded again: the result must be the payload.
 */
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

#include "repo/pack.h"
#include "util/err.h"
#include "util/rd.h"

#define ULEN_MAX ((uint32_t)16 << 20)

static void sealed(const uint8_t *p, size_t n, uint32_t ulen)
{
	struct buf enc = BUF_INIT, out = BUF_INIT;
	uint8_t id[32];
	int r;

	crypto_sha256(p, n, id);
	fuzz_seal(p, n, &enc);
	out.max = BLOB_MAX_SIZE;
	r = blob_decode(fuzz_master(), enc.p, enc.len, ulen, id, NULL, &out);
	if (ulen == 0) {
		FUZZ_CHECK(r == 0);
		FUZZ_CHECK(out.len == n && (n == 0 || !memcmp(out.p, p, n)));
	} else if (r == 0) {
		FUZZ_CHECK(out.len == ulen);
	}
	buf_release(&enc);
	buf_release(&out);
}

static void raw(const uint8_t *p, size_t n, uint32_t ulen)
{
	struct buf out = BUF_INIT;
	uint8_t id[32];

	memset(id, 0, sizeof(id));
	out.max = BLOB_MAX_SIZE;
	FUZZ_CHECK(blob_decode(fuzz_master(), p, n, ulen, id, NULL, &out) < 0);
	buf_release(&out);
}

static void round_trip(const uint8_t *p, size_t n, uint8_t flags,
		       uint32_t ulen_in)
{
	static const int levels[] = { 0, 1, 3, 19 };
	struct buf enc = BUF_INIT, out = BUF_INIT;
	uint8_t id[32];
	uint32_t ulen = 0;
	int version = flags & 4 ? 1 : 2;
	enum blob_type t = flags & 8 ? BLOB_TREE : BLOB_DATA;

	crypto_sha256(p, n, id);
	FUZZ_CHECK(blob_encode(fuzz_master(), version, levels[ulen_in & 3], t,
			       p, n, NULL, &enc, &ulen) == 0);
	FUZZ_CHECK(ulen == 0 || ulen == n);
	FUZZ_CHECK(version == 2 || ulen == 0);
	out.max = BLOB_MAX_SIZE;
	FUZZ_CHECK(blob_decode(fuzz_master(), enc.p, enc.len, ulen, id, NULL,
			       &out) == 0);
	FUZZ_CHECK(out.len == n && (n == 0 || !memcmp(out.p, p, n)));
	buf_release(&enc);
	buf_release(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint32_t ulen;

	fuzz_init();
	if (size < 5)
		return 0;
	ulen = le32_get(data + 1);
	switch (data[0] & 3) {
	case 0:
		sealed(data + 5, size - 5, ulen % (ULEN_MAX + 1));
		break;
	case 1:
		raw(data + 5, size - 5, ulen % (ULEN_MAX + 1));
		break;
	default:
		round_trip(data + 5, size - 5, data[0], ulen);
		break;
	}
	return 0;
}
