/*
 * crypto: restic's AES-256-CTR + Poly1305-AES, scrypt and SHA-256 on
 * OpenSSL 3 (EVP interfaces only).
 *
 * The algorithm objects (EVP_CIPHER, EVP_MAC, EVP_KDF, EVP_MD) are fetched
 * once under pthread_once and then shared: fetched objects are immutable
 * and reference counted, so any number of threads may use them.  Contexts
 * (EVP_CIPHER_CTX, EVP_MAC_CTX) are per call; creating them from a
 * pre-fetched object is cheap, unlike an implicit fetch by name.
 */
#include "crypto/crypto.h"

#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include "util/err.h"
#include "util/log.h"
#include "util/xmalloc.h"

/* EVP_*Update take an int length: feed big buffers in pieces of this. */
#define CRYPTO_STEP (1u << 30)
/* Memory cap for scrypt's V array (N*r*128) and B array (p*r*128). */
#define CRYPTO_KDF_MAXMEM ((uint64_t)1 << 30)

static struct {
	pthread_once_t once;
	int ok;
	EVP_CIPHER *ctr;  /* AES-256-CTR: the payload */
	EVP_CIPHER *ecb;  /* AES-128-ECB: s = AES(mac.k, nonce) */
	EVP_MAC *poly;    /* Poly1305 with a 32-byte one-time key */
	EVP_KDF *scrypt;
	EVP_MD *sha256;
} g = { .once = PTHREAD_ONCE_INIT };

static void crypto_fetch(void)
{
	g.ctr = EVP_CIPHER_fetch(NULL, "AES-256-CTR", NULL);
	g.ecb = EVP_CIPHER_fetch(NULL, "AES-128-ECB", NULL);
	g.poly = EVP_MAC_fetch(NULL, "POLY1305", NULL);
	g.scrypt = EVP_KDF_fetch(NULL, "SCRYPT", NULL);
	g.sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
	g.ok = g.ctr && g.ecb && g.poly && g.scrypt && g.sha256;
	if (!g.ok)
		log_error("OpenSSL lacks AES-CTR, AES-ECB, POLY1305, SCRYPT "
			  "or SHA256");
}

/* crypto_init: fetch the algorithms once.  0 or RP_EINTERNAL. */
static int crypto_init(void)
{
	if (pthread_once(&g.once, crypto_fetch) != 0 || !g.ok)
		return RP_EINTERNAL;
	return 0;
}

/*
 * Only allocation failure inside OpenSSL can make the void functions fail;
 * like xmalloc, treat that as fatal rather than return a wrong digest.
 */
static void crypto_fatal(const char *what)
{
	log_error("OpenSSL failure in %s", what);
	abort();
}

void crypto_sha256(const void *p, size_t n, uint8_t out[32])
{
	if (crypto_init() != 0 || !EVP_Digest(p, n, out, NULL, g.sha256, NULL))
		crypto_fatal("SHA-256");
}

struct crypto_sha256_ctx {
	EVP_MD_CTX *md;
};

struct crypto_sha256_ctx *crypto_sha256_new(void)
{
	struct crypto_sha256_ctx *c = xmalloc(sizeof(*c));

	c->md = EVP_MD_CTX_new();
	if (crypto_init() != 0 || c->md == NULL ||
	    !EVP_DigestInit_ex2(c->md, g.sha256, NULL))
		crypto_fatal("SHA-256 init");
	return c;
}

void crypto_sha256_update(struct crypto_sha256_ctx *c, const void *p,
			  size_t n)
{
	if (!EVP_DigestUpdate(c->md, p, n))
		crypto_fatal("SHA-256 update");
}

void crypto_sha256_final(struct crypto_sha256_ctx *c, uint8_t out[32])
{
	if (!EVP_DigestFinal_ex(c->md, out, NULL))
		crypto_fatal("SHA-256 final");
	EVP_MD_CTX_free(c->md);
	free(c);
}

int crypto_random(void *p, size_t n)
{
	uint8_t *q = p;

	while (n > 0) {
		size_t k = n < CRYPTO_STEP ? n : CRYPTO_STEP;

		if (RAND_bytes(q, (int)k) != 1) {
			log_error("RAND_bytes failed");
			return RP_EIO;
		}
		q += k;
		n -= k;
	}
	return 0;
}

/* all_zero: 1 if p[0..n) is all zero (branch-free: used on keys). */
static int all_zero(const uint8_t *p, size_t n)
{
	uint8_t acc = 0;

	while (n-- > 0)
		acc |= *p++;
	return acc == 0;
}

/* cipher_run: out = cipher(key, iv)(in[0..n)); in == out is allowed. */
static int cipher_run(const EVP_CIPHER *ciph, const uint8_t *key,
		      const uint8_t *iv, const uint8_t *in, size_t n,
		      uint8_t *out)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int r = RP_EINTERNAL, len;

	if (ctx == NULL || !EVP_EncryptInit_ex2(ctx, ciph, key, iv, NULL) ||
	    !EVP_CIPHER_CTX_set_padding(ctx, 0))
		goto out;
	while (n > 0) {
		size_t k = n < CRYPTO_STEP ? n : CRYPTO_STEP;

		if (!EVP_EncryptUpdate(ctx, out, &len, in, (int)k) ||
		    (size_t)len != k)
			goto out;
		in += k;
		out += k;
		n -= k;
	}
	r = 0;
out:
	EVP_CIPHER_CTX_free(ctx);
	return r;
}

static int poly1305_aes(const uint8_t mac_k[16], const uint8_t mac_r[16],
			const uint8_t nonce[16], const uint8_t *msg, size_t n,
			uint8_t tag[16])
{
	EVP_MAC_CTX *ctx = NULL;
	uint8_t key[32];
	size_t len;
	int r = RP_EINTERNAL;

	if (crypto_init() != 0)
		return RP_EINTERNAL;
	/* One-time key r16 || s16.  OpenSSL clamps r too, but restic keys
	 * may hold an unclamped r (§3.3), so do not depend on it. */
	memcpy(key, mac_r, 16);
	key[3] &= 0x0f;
	key[7] &= 0x0f;
	key[11] &= 0x0f;
	key[15] &= 0x0f;
	key[4] &= 0xfc;
	key[8] &= 0xfc;
	key[12] &= 0xfc;
	if (cipher_run(g.ecb, mac_k, NULL, nonce, 16, key + 16) != 0)
		goto out;
	ctx = EVP_MAC_CTX_new(g.poly);
	if (ctx == NULL || !EVP_MAC_init(ctx, key, sizeof(key), NULL) ||
	    !EVP_MAC_update(ctx, msg, n) ||
	    !EVP_MAC_final(ctx, tag, &len, 16) || len != 16)
		goto out;
	r = 0;
out:
	EVP_MAC_CTX_free(ctx);
	OPENSSL_cleanse(key, sizeof(key));
	return r;
}

void crypto_poly1305_aes(const uint8_t mac_k[16], const uint8_t mac_r[16],
			 const uint8_t nonce[16], const uint8_t *msg, size_t n,
			 uint8_t tag[16])
{
	if (poly1305_aes(mac_k, mac_r, nonce, msg, n, tag) != 0)
		crypto_fatal("Poly1305-AES");
}

int crypto_seal_iv(const struct crypto_key *k, const uint8_t iv[16],
		   const uint8_t *pt, size_t n, uint8_t *out)
{
	uint8_t *ct = out + CRYPTO_IV_LEN;
	int r;

	if (all_zero(iv, CRYPTO_IV_LEN))
		return RP_EINVAL;
	if ((r = crypto_init()) != 0)
		return r;
	memcpy(out, iv, CRYPTO_IV_LEN);
	if ((r = cipher_run(g.ctr, k->enc, iv, pt, n, ct)) != 0)
		return r;
	return poly1305_aes(k->mac_k, k->mac_r, iv, ct, n, ct + n);
}

int crypto_seal(const struct crypto_key *k, const uint8_t *pt, size_t n,
		uint8_t *out)
{
	uint8_t iv[CRYPTO_IV_LEN];
	int r;

	/* A zero IV has probability 2^-128; redraw rather than fail. */
	do {
		if ((r = crypto_random(iv, sizeof(iv))) != 0)
			return r;
	} while (all_zero(iv, CRYPTO_IV_LEN));
	return crypto_seal_iv(k, iv, pt, n, out);
}

int crypto_open(const struct crypto_key *k, const uint8_t *obj, size_t n,
		uint8_t *out)
{
	const uint8_t *iv = obj, *ct = obj + CRYPTO_IV_LEN;
	size_t ctlen;
	uint8_t tag[CRYPTO_MAC_LEN];
	int r;

	if (n < CRYPTO_OVERHEAD)
		return RP_ETRUNC;
	if (all_zero(iv, CRYPTO_IV_LEN))
		return RP_ECORRUPT;
	ctlen = n - CRYPTO_OVERHEAD;
	/* Authenticate before decrypting: on a mismatch nothing is written.
	 * In-place (out == ct) works because CTR allows in == out and the
	 * tag lies after the ciphertext. */
	if ((r = poly1305_aes(k->mac_k, k->mac_r, iv, ct, ctlen, tag)) != 0)
		return r;
	if (CRYPTO_memcmp(tag, ct + ctlen, CRYPTO_MAC_LEN) != 0)
		return RP_ECORRUPT;
	return cipher_run(g.ctr, k->enc, iv, ct, ctlen, out);
}

/* kdf_check: scrypt's own rules plus our memory cap.  On success *mem is
 * what OpenSSL will allocate (its maxmem must be at least that). */
static int kdf_check(uint64_t N, uint32_t r, uint32_t p, uint64_t *mem)
{
	uint64_t vmem, bmem;

	if (N < 2 || (N & (N - 1)) != 0 || r == 0 || p == 0)
		return RP_EINVAL;
	if ((uint64_t)r * p >= ((uint64_t)1 << 30))
		return RP_EINVAL;
	/* key files are not authenticated: a planted one must not make every
	 * open compute for hours.  restic's calibrated keys stay far below
	 * (N=32768, r=8, p<=8: 2^21). */
	if (N * r * p > ((uint64_t)1 << 26))
		return RP_EINVAL;
	/* N <= 2^30 here is implied by the cap; check before multiplying. */
	if (N > CRYPTO_KDF_MAXMEM / 128 / r)
		return RP_EINVAL;
	vmem = N * r * 128;
	bmem = (uint64_t)p * r * 128;
	if (vmem > CRYPTO_KDF_MAXMEM || bmem > CRYPTO_KDF_MAXMEM)
		return RP_EINVAL;
	/* OpenSSL sizes V as 128*r*(N+2) and B as 128*r*p. */
	*mem = vmem + 256 * (uint64_t)r + bmem;
	return 0;
}

int crypto_kdf(const char *pw, size_t pwlen, const uint8_t *salt,
	       size_t saltlen, uint64_t N, uint32_t r, uint32_t p,
	       struct crypto_key *out)
{
	static const char empty[1] = "";
	EVP_KDF_CTX *ctx = NULL;
	OSSL_PARAM params[7], *q = params;
	uint8_t dk[64];
	uint64_t maxmem;
	int rc;

	if ((rc = kdf_check(N, r, p, &maxmem)) != 0)
		return rc;
	if ((rc = crypto_init()) != 0)
		return rc;
	rc = RP_EINTERNAL;
	/* OSSL_PARAM wants non-const pointers; OpenSSL only reads them. */
	*q++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_PASSWORD,
		(void *)(pwlen ? pw : empty), pwlen);
	*q++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT,
		(void *)(saltlen ? (const void *)salt : empty), saltlen);
	*q++ = OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_N, &N);
	*q++ = OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_R, &r);
	*q++ = OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_P, &p);
	*q++ = OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_MAXMEM,
					   &maxmem);
	*q = OSSL_PARAM_construct_end();
	ctx = EVP_KDF_CTX_new(g.scrypt);
	if (ctx == NULL || EVP_KDF_derive(ctx, dk, sizeof(dk), params) != 1) {
		log_error("scrypt (N=%llu r=%u p=%u) failed",
			  (unsigned long long)N, r, p);
		goto out;
	}
	memcpy(out->enc, dk, 32);
	memcpy(out->mac_k, dk + 32, 16);
	memcpy(out->mac_r, dk + 48, 16);
	rc = 0;
out:
	EVP_KDF_CTX_free(ctx);
	OPENSSL_cleanse(dk, sizeof(dk));
	return rc;
}

int crypto_key_valid(const struct crypto_key *k)
{
	return !all_zero(k->enc, sizeof(k->enc)) &&
	       !all_zero(k->mac_k, sizeof(k->mac_k)) &&
	       !all_zero(k->mac_r, sizeof(k->mac_r));
}
