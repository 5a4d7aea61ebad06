/*
 * fuzz_crypto: crypto_open with the fixed master key (RESTIC_FORMAT.md
 * §3.2), against crypto_seal_iv as the oracle.
 *
 * Input: selector(1) || bytes.  selector % 3 picks:
 *   0  bytes is an encrypted object (IV || ct || MAC): when crypto_open
 *      accepts it, sealing the plaintext with the same IV gives the bytes
 *      back; opening in place (out = obj + 16) agrees;
 *   1  bytes = IV(16) || plaintext: seal then open gives the plaintext
 *      back (a zero IV must be refused by both);
 *   2  as 1, then one bit of the sealed object, chosen by the selector's
 *      high bits and the plaintext length, is flipped: open must refuse.
 */
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

#include "util/xmalloc.h"

static int zero_iv(const uint8_t *iv)
{
	size_t i;

	for (i = 0; i < CRYPTO_IV_LEN; i++)
		if (iv[i])
			return 0;
	return 1;
}

static void open_any(const uint8_t *p, size_t n)
{
	uint8_t *pt, *again, *copy;
	size_t ptn;

	if (n < CRYPTO_OVERHEAD) {
		FUZZ_CHECK(crypto_open(fuzz_master(), p, n, NULL) < 0);
		return;
	}
	ptn = n - CRYPTO_OVERHEAD;
	pt = xmalloc(ptn + 1);
	if (crypto_open(fuzz_master(), p, n, pt) == 0) {
		again = xmalloc(n);
		FUZZ_CHECK(crypto_seal_iv(fuzz_master(), p, pt, ptn, again) ==
			   0);
		FUZZ_CHECK(memcmp(again, p, n) == 0);
		copy = xmalloc(n);
		memcpy(copy, p, n);
		FUZZ_CHECK(crypto_open(fuzz_master(), copy, n,
				       copy + CRYPTO_IV_LEN) == 0);
		FUZZ_CHECK(ptn == 0 ||
			   memcmp(copy + CRYPTO_IV_LEN, pt, ptn) == 0);
		free(again);
		free(copy);
	}
	free(pt);
}

static void seal_open(const uint8_t *p, size_t n, int flip, unsigned bit)
{
	const uint8_t *iv = p, *pt = p + CRYPTO_IV_LEN;
	size_t ptn, sn;
	uint8_t *obj, *out;

	if (n < CRYPTO_IV_LEN)
		return;
	ptn = n - CRYPTO_IV_LEN;
	sn = ptn + CRYPTO_OVERHEAD;
	obj = xmalloc(sn);
	out = xmalloc(ptn + 1);
	if (zero_iv(iv)) {
		FUZZ_CHECK(crypto_seal_iv(fuzz_master(), iv, pt, ptn, obj) < 0);
		memset(obj, 0, CRYPTO_IV_LEN);
		FUZZ_CHECK(crypto_open(fuzz_master(), obj, sn, out) < 0);
		goto out;
	}
	FUZZ_CHECK(crypto_seal_iv(fuzz_master(), iv, pt, ptn, obj) == 0);
	if (flip) {
		size_t at = (bit + ptn * 7) % (sn * 8);

		obj[at / 8] ^= (uint8_t)(1u << (at % 8));
		FUZZ_CHECK(crypto_open(fuzz_master(), obj, sn, out) < 0);
	} else {
		FUZZ_CHECK(crypto_open(fuzz_master(), obj, sn, out) == 0);
		FUZZ_CHECK(ptn == 0 || memcmp(out, pt, ptn) == 0);
	}
out:
	free(obj);
	free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_init();
	if (size < 1)
		return 0;
	switch (data[0] % 3) {
	case 0:
		open_any(data + 1, size - 1);
		break;
	case 1:
		seal_open(data + 1, size - 1, 0, 0);
		break;
	default:
		seal_open(data + 1, size - 1, 1, data[0] / 3u);
		break;
	}
	return 0;
}
