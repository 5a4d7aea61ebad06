/*
 * crypto: restic's cryptography on top of OpenSSL libcrypto.
 *
 * An encrypted object is IV(16) || AES-256-CTR(enc, IV)(plaintext) ||
 * Poly1305-AES(mac.k, mac.r, IV)(ciphertext), 32 bytes longer than the
 * plaintext (RESTIC_FORMAT.md §3).  The MAC covers the ciphertext only; its
 * one-time key is clamp(mac.r) || AES-128-ECB(mac.k, IV).  crypto_open checks
 * the MAC in constant time before decrypting anything.  An all-zero IV is
 * refused both ways.
 *
 * Keys come from scrypt (crypto_kdf) for the user key, or from the
 * repository's key file for the master key.  All functions are thread-safe;
 * OpenSSL algorithm objects are fetched once (crypto_init, called lazily).
 */
#ifndef RP_CRYPTO_H
#define RP_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#define CRYPTO_IV_LEN 16
#define CRYPTO_MAC_LEN 16
#define CRYPTO_OVERHEAD (CRYPTO_IV_LEN + CRYPTO_MAC_LEN)

struct crypto_key {
	uint8_t enc[32];
	uint8_t mac_k[16];
	uint8_t mac_r[16];
};

/* crypto_sha256: one-shot SHA-256 of p[0..n) into out. */
void crypto_sha256(const void *p, size_t n, uint8_t out[32]);

/* Streaming SHA-256 (for hashing a pack while it is written). */
struct crypto_sha256_ctx;
struct crypto_sha256_ctx *crypto_sha256_new(void);
void crypto_sha256_update(struct crypto_sha256_ctx *c, const void *p,
			  size_t n);
/* crypto_sha256_final: writes the digest and frees c. */
void crypto_sha256_final(struct crypto_sha256_ctx *c, uint8_t out[32]);

/* crypto_random: n bytes from the OS CSPRNG. 0 or RP_EIO. */
int crypto_random(void *p, size_t n);

/* crypto_seal: out[0..n+32) = IV || ct || MAC with a fresh random IV.
 * pt may be out + 16 (encryption in place); otherwise they must not
 * overlap.  0 or <0. */
int crypto_seal(const struct crypto_key *k, const uint8_t *pt, size_t n,
		uint8_t *out);
/* crypto_seal_iv: the same with a given IV (tests and vectors). */
int crypto_seal_iv(const struct crypto_key *k, const uint8_t iv[16],
		   const uint8_t *pt, size_t n, uint8_t *out);
/* crypto_open: obj[0..n) is IV || ct || MAC; writes n-32 plaintext bytes to
 * out (may equal obj + 16 or not overlap at all).  0, RP_ETRUNC (n < 32),
 * RP_ECORRUPT (MAC mismatch or zero IV: nothing written). */
int crypto_open(const struct crypto_key *k, const uint8_t *obj, size_t n,
		uint8_t *out);

/* crypto_poly1305_aes: the raw MAC (test vectors). */
void crypto_poly1305_aes(const uint8_t mac_k[16], const uint8_t mac_r[16],
			 const uint8_t nonce[16], const uint8_t *msg, size_t n,
			 uint8_t tag[16]);

/* crypto_kdf: scrypt(pw, salt, N, r, p, 64) split into enc, mac.k, mac.r.
 * N must be a power of two > 1, r*p < 2^30, N*r*128 <= 1 GiB and
 * p*r*128 <= 1 GiB (scrypt's B array), else RP_EINVAL.  0 or <0. */
int crypto_kdf(const char *pw, size_t pwlen, const uint8_t *salt,
	       size_t saltlen, uint64_t N, uint32_t r, uint32_t p,
	       struct crypto_key *out);

/* crypto_key_valid: 1 if none of enc, mac.k, mac.r is all zero. */
int crypto_key_valid(const struct crypto_key *k);

#endif
