/*
 * test_crypto: RESTIC_FORMAT.md §3.4 (Poly1305-AES, encrypted object), §4
 * (scrypt), §16 (worked seal vectors), plus tamper, zero-IV, round-trip and
 * thread cases.  Every expected value is a literal from the spec.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <pthread.h>

#include "crypto/crypto.h"
#include "util/err.h"
#include "util/hex.h"

/* unhex: decode a literal (spaces allowed) into out; returns its length. */
static size_t unhex(const char *s, uint8_t *out, size_t cap)
{
	char tmp[1024];
	size_t n = 0;

	for (; *s; s++) {
		if (*s == ' ')
			continue;
		assert_true(n < sizeof(tmp));
		tmp[n++] = *s;
	}
	assert_true(n % 2 == 0 && n / 2 <= cap);
	assert_int_equal(hex_decode(tmp, n, out, n / 2), 0);
	return n / 2;
}

static void assert_hex(const uint8_t *p, size_t n, const char *want)
{
	char *got = malloc(2 * n + 1);

	assert_non_null(got);
	hex_encode(p, n, got);
	assert_string_equal(got, want);
	free(got);
}

/* The §3.4 / §16 test key. */
static void test_key(struct crypto_key *k)
{
	unhex("303e8687b1d7db18421bdc6bb8588cca"
	      "dac4d59ee87b8ff70c44e635790cafef", k->enc, 32);
	unhex("ef4d8824cb80b2bcc5fbff8a9b12a42c", k->mac_k, 16);
	unhex("cc8d4b948ee0ebfe1d415de921d10353", k->mac_r, 16);
}

static const char IV1[] = "0102030405060708090a0b0c0d0e0f10";
static const char IV2[] = "1112131415161718191a1b1c1d1e1f20";

static const struct {
	const char *msg, *r, *k, *n, *tag;
} poly_vec[] = {
	{ "f3f6", "851fc40c3467ac0be05cc20404f3f700",
	  "ec074c835580741701425b623235add6",
	  "fb447350c4e868c52ac3275cf9d4327e",
	  "f4c633c3044fc145f84f335cb81953de" },
	{ "", "a0f3080000f46400d0c7e9076c834403",
	  "75deaa25c09f208e1dc4ce6b5cad3fbf",
	  "61ee09218d29b0aaed7e154a2c5509cc",
	  "dd3fab2251f11ac759f0887129cc2ee7" },
	{ "663cea190ffb83d89593f3f476b6bc24d7e679107ea26adb8caf6652d0656136",
	  "48443d0bb0d21109c89a100b5ce2c208",
	  "6acb5f61a7176dd320c5c1eb2edcdc74",
	  "ae212a55399729595dea458bc621ff0e",
	  "0ee1c16bb73f0f4fd19881753c01cdbe" },
	{ "ab0812724a7f1e342742cbed374d94d136c6b8795d45b3819830f2c04491faf0"
	  "990c62e48b8018b2c3e4a0fa3134cb67fa83e158c994d961c4cb21095c1bf9",
	  "12976a08c4426d0ce8a82407c4f48207",
	  "e1a5668a4d5b66a5f68cc5424ed5982d",
	  "9ae831e743978d3a23527c7128149e3a",
	  "5154ad0d2cb26e01274fc51148491f1b" },
};

static void test_poly1305_vectors(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(poly_vec) / sizeof(poly_vec[0]); i++) {
		uint8_t msg[64], r[16], k[16], n[16], tag[16];
		size_t mlen = unhex(poly_vec[i].msg, msg, sizeof(msg));

		unhex(poly_vec[i].r, r, 16);
		unhex(poly_vec[i].k, k, 16);
		unhex(poly_vec[i].n, n, 16);
		crypto_poly1305_aes(k, r, n, msg, mlen, tag);
		assert_hex(tag, 16, poly_vec[i].tag);
	}
}

/* An unclamped r must give the same tag as its clamped form (§3.3). */
static void test_poly1305_clamps(void **state)
{
	uint8_t msg[2], r[16], k[16], n[16], tag[16], tag2[16];

	(void)state;
	unhex(poly_vec[0].msg, msg, 2);
	unhex(poly_vec[0].r, r, 16);
	unhex(poly_vec[0].k, k, 16);
	unhex(poly_vec[0].n, n, 16);
	crypto_poly1305_aes(k, r, n, msg, 2, tag);
	r[3] |= 0xf0;
	r[7] |= 0xf0;
	r[11] |= 0xf0;
	r[15] |= 0xf0;
	r[4] |= 0x03;
	r[8] |= 0x03;
	r[12] |= 0x03;
	crypto_poly1305_aes(k, r, n, msg, 2, tag2);
	assert_memory_equal(tag, tag2, 16);
	assert_hex(tag2, 16, poly_vec[0].tag);
}

static const char OBJ34[] = "69fb41c62d12def4593bd71757138606"
			    "338f621aeaeb39da0fe4f99233f8037a54ea"
			    "63338a813bcf3f75d8c3cc75dddf8750";

static void test_open_vector(void **state)
{
	struct crypto_key k;
	uint8_t obj[50], pt[18];

	(void)state;
	test_key(&k);
	assert_int_equal(unhex(OBJ34, obj, sizeof(obj)), 50);
	assert_int_equal(crypto_open(&k, obj, 50, pt), 0);
	assert_memory_equal(pt, "Dies ist ein Test!", 18);
	/* In place: plaintext lands where the ciphertext was. */
	assert_int_equal(crypto_open(&k, obj, 50, obj + 16), 0);
	assert_memory_equal(obj + 16, "Dies ist ein Test!", 18);
}

static void test_open_tamper(void **state)
{
	struct crypto_key k;
	uint8_t obj[50], pt[18];
	size_t i;

	(void)state;
	test_key(&k);
	/* Flip one bit anywhere (IV, ciphertext or tag): MAC mismatch. */
	for (i = 0; i < 50; i++) {
		unhex(OBJ34, obj, sizeof(obj));
		obj[i] ^= 0x01;
		memset(pt, 0xaa, sizeof(pt));
		assert_int_equal(crypto_open(&k, obj, 50, pt), RP_ECORRUPT);
		/* Nothing was written on failure. */
		assert_int_equal(pt[0], 0xaa);
		assert_int_equal(pt[17], 0xaa);
	}
	/* Wrong key. */
	unhex(OBJ34, obj, sizeof(obj));
	k.mac_r[0] ^= 0x04;
	assert_int_equal(crypto_open(&k, obj, 50, pt), RP_ECORRUPT);
	/* Too short. */
	test_key(&k);
	assert_int_equal(crypto_open(&k, obj, 31, pt), RP_ETRUNC);
	assert_int_equal(crypto_open(&k, obj, 0, pt), RP_ETRUNC);
}

static void test_zero_iv(void **state)
{
	struct crypto_key k;
	uint8_t iv[16] = { 0 }, out[64], obj[48], pt[16];

	(void)state;
	test_key(&k);
	assert_true(crypto_seal_iv(&k, iv, (const uint8_t *)"abc", 3, out) <
		    0);
	/* A well-formed object with a zero IV and a correct MAC for it is
	 * still refused on open. */
	memset(obj, 0, sizeof(obj));
	memcpy(obj + 16, "0123456789abcdef", 16);
	crypto_poly1305_aes(k.mac_k, k.mac_r, iv, obj + 16, 16, obj + 32);
	assert_int_equal(crypto_open(&k, obj, 48, pt), RP_ECORRUPT);
}

static void test_seal_blob_vector(void **state)
{
	struct crypto_key k;
	uint8_t iv[16], out[45], id[32];

	(void)state;
	test_key(&k);
	unhex(IV1, iv, 16);
	crypto_sha256("hello restic\n", 13, id);
	assert_hex(id, 32,
		   "fbbd69198637d5360353c39796181175"
		   "de6311c2a61abe2fe6392c938018660f");
	assert_int_equal(crypto_seal_iv(&k, iv, (const uint8_t *)
					"hello restic\n", 13, out), 0);
	assert_hex(out, 45,
		   "0102030405060708090a0b0c0d0e0f10"
		   "17bd7ff76adeeb6ac166b9c2cd"
		   "89262457dda15f8e457a177dfb26e492");
}

/* The whole §16 pack: EncBlob || EncHdr || trailer, hashed. */
static void test_pack_vector(void **state)
{
	struct crypto_key k;
	uint8_t iv[16], pack[118], hdr[37], id[32];
	struct crypto_sha256_ctx *h;
	size_t i;

	(void)state;
	test_key(&k);
	unhex(IV1, iv, 16);
	assert_int_equal(crypto_seal_iv(&k, iv, (const uint8_t *)
					"hello restic\n", 13, pack), 0);
	hdr[0] = 0;
	unhex("2d000000", hdr + 1, 4);
	crypto_sha256("hello restic\n", 13, hdr + 5);
	unhex(IV2, iv, 16);
	assert_int_equal(crypto_seal_iv(&k, iv, hdr, 37, pack + 45), 0);
	assert_hex(pack + 45, 69,
		   "1112131415161718191a1b1c1d1e1f20"
		   "15922bc88a5f45e2bce5e620655b3cfa950f6d4dbab23df36d0c242f"
		   "d1b491733f7c6f9874"
		   "0d1b3cbcbc9cfbb9bb340d22d9d21a71");
	unhex("45000000", pack + 114, 4);
	crypto_sha256(pack, sizeof(pack), id);
	assert_hex(id, 32,
		   "09b53d36397018e83003f5fe49d1b77e"
		   "c91e6c273733023cf9227255014f2c7a");
	/* Streaming in uneven pieces gives the same digest. */
	memset(id, 0, sizeof(id));
	h = crypto_sha256_new();
	for (i = 0; i < sizeof(pack); i += 7)
		crypto_sha256_update(h, pack + i,
				     sizeof(pack) - i < 7 ? sizeof(pack) - i
							  : 7);
	crypto_sha256_final(h, id);
	assert_hex(id, 32,
		   "09b53d36397018e83003f5fe49d1b77e"
		   "c91e6c273733023cf9227255014f2c7a");
}

static void test_seal_config_vector(void **state)
{
	static const char pt[] =
		"{\"version\":2,\"id\":\"00000000000000000000000000000000"
		"00000000000000000000000000000000\",\"chunker_polynomial\":"
		"\"3da3358b4dc173\"}";
	struct crypto_key k;
	uint8_t iv[16], out[155], back[123];

	(void)state;
	assert_int_equal(strlen(pt), 123);
	test_key(&k);
	unhex(IV1, iv, 16);
	assert_int_equal(crypto_seal_iv(&k, iv, (const uint8_t *)pt, 123, out),
			 0);
	assert_hex(out, 155,
		   "0102030405060708090a0b0c0d0e0f1004fa65fe778df060dc30ea93eb"
		   "b1eabf5cf59534107b551a66d71f3745eef7606a9b77455f9173574010"
		   "5a4aefdc4c6da5b12594f17b487622f1ae3e2ff281c27513d45f0d5fac"
		   "b79e3093b4cbe6d99ec86fd1376a4abde1a37fc2bb3ca2aad6e1ede592"
		   "8e93556207013f58d7f32bb7fc51696d151fc252e968265cecb2838c79"
		   "3e54c79951a8081878d2");
	assert_int_equal(crypto_open(&k, out, 155, back), 0);
	assert_memory_equal(back, pt, 123);
}

/*
 * CTR increments the IV as one 128-bit big-endian counter that wraps
 * (§3.2): from IV ff..ff the third keystream block is counter 00..01,
 * the first block of IV 00..01.  (A 64-bit counter would give
 * ff..ff 00..01 instead.)
 */
static void test_ctr_wrap(void **state)
{
	struct crypto_key k;
	uint8_t iv[16], zeros[48] = { 0 }, a[80], b[48];

	(void)state;
	test_key(&k);
	memset(iv, 0xff, 16);
	assert_int_equal(crypto_seal_iv(&k, iv, zeros, 48, a), 0);
	memset(iv, 0, 16);
	iv[15] = 1;
	assert_int_equal(crypto_seal_iv(&k, iv, zeros, 16, b), 0);
	assert_memory_equal(a + 16 + 32, b + 16, 16);
	assert_memory_not_equal(a + 16, b + 16, 16);
}

static void test_roundtrip(void **state)
{
	static const size_t sizes[] = { 0, 1, 15, 16, 17, 1000, 1 << 20 };
	struct crypto_key k;
	size_t i;

	(void)state;
	assert_int_equal(crypto_random(&k, sizeof(k)), 0);
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		size_t n = sizes[i];
		uint8_t *pt = malloc(n + 1), *a = malloc(n + 32);
		uint8_t *b = malloc(n + 32), *back = malloc(n + 1);

		assert_true(pt && a && b && back);
		assert_int_equal(crypto_random(pt, n), 0);
		assert_int_equal(crypto_seal(&k, pt, n, a), 0);
		assert_int_equal(crypto_seal(&k, pt, n, b), 0);
		/* Fresh IVs: same plaintext, different objects. */
		assert_memory_not_equal(a, b, 16);
		assert_int_equal(crypto_open(&k, a, n + 32, back), 0);
		assert_memory_equal(back, pt, n);
		assert_int_equal(crypto_open(&k, b, n + 32, b + 16), 0);
		assert_memory_equal(b + 16, pt, n);
		if (n > 0) {
			a[16 + n / 2] ^= 0x80;
			assert_int_equal(crypto_open(&k, a, n + 32, back),
					 RP_ECORRUPT);
		}
		free(pt);
		free(a);
		free(b);
		free(back);
	}
}

static void assert_key(const struct crypto_key *k, const char *want)
{
	uint8_t dk[64];

	memcpy(dk, k->enc, 32);
	memcpy(dk + 32, k->mac_k, 16);
	memcpy(dk + 48, k->mac_r, 16);
	assert_hex(dk, 64, want);
}

static void test_kdf_restic(void **state)
{
	struct crypto_key k;
	uint8_t salt[64];
	int i;

	(void)state;
	for (i = 0; i < 64; i++)
		salt[i] = (uint8_t)i;
	assert_int_equal(crypto_kdf("geheim", 6, salt, 64, 16384, 8, 1, &k),
			 0);
	assert_key(&k, "cc66e69192f15b74db1517365219cd3b"
		       "bc9596c9d89742c0994c07731e4a8722"
		       "5660816cdb814e9d9fb6d37480a6a772"
		       "c7de7f285da1d924c3ea502395cf652a");
	assert_true(crypto_key_valid(&k));
}

static void test_kdf_rfc7914(void **state)
{
	struct crypto_key k;

	(void)state;
	assert_int_equal(crypto_kdf("password", 8, (const uint8_t *)"NaCl", 4,
				    1024, 8, 16, &k), 0);
	assert_key(&k, "fdbabe1c9d3472007856e7190d01e9fe"
		       "7c6ad7cbc8237830e77376634b373162"
		       "2eaf30d92e22a3886ff109279d9830da"
		       "c727afb94a83ee6d8360cbdfa2cc0640");
}

/* restic's calibrated parameters must fit under the memory cap. */
static void test_kdf_calibrated(void **state)
{
	struct crypto_key k;
	uint8_t salt[64] = { 1 };

	(void)state;
	assert_int_equal(crypto_kdf("pw", 2, salt, 64, 32768, 8, 8, &k), 0);
	assert_true(crypto_key_valid(&k));
}

static void test_kdf_invalid(void **state)
{
	struct crypto_key k;
	uint8_t salt[64] = { 0 };

	(void)state;
	assert_int_equal(crypto_kdf("x", 1, salt, 64, 0, 8, 1, &k), RP_EINVAL);
	assert_int_equal(crypto_kdf("x", 1, salt, 64, 1, 8, 1, &k), RP_EINVAL);
	assert_int_equal(crypto_kdf("x", 1, salt, 64, 3, 8, 1, &k), RP_EINVAL);
	assert_int_equal(crypto_kdf("x", 1, salt, 64, 1000, 8, 1, &k),
			 RP_EINVAL);
	assert_int_equal(crypto_kdf("x", 1, salt, 64, 1024, 0, 1, &k),
			 RP_EINVAL);
	assert_int_equal(crypto_kdf("x", 1, salt, 64, 1024, 8, 0, &k),
			 RP_EINVAL);
	/* r*p >= 2^30 */
	assert_int_equal(crypto_kdf("x", 1, salt, 64, 2, 1u << 15, 1u << 15,
				    &k), RP_EINVAL);
	/* N*r*128 > 1 GiB */
	assert_int_equal(crypto_kdf("x", 1, salt, 64, (uint64_t)1 << 21, 8, 1,
				    &k), RP_EINVAL);
	assert_int_equal(crypto_kdf("x", 1, salt, 64, (uint64_t)1 << 62, 8, 1,
				    &k), RP_EINVAL);
	/* p*r*128 > 1 GiB */
	assert_int_equal(crypto_kdf("x", 1, salt, 64, 2, 8, 1u << 21, &k),
			 RP_EINVAL);
	/* An empty password is allowed. */
	assert_int_equal(crypto_kdf("", 0, salt, 64, 16, 1, 1, &k), 0);
}

static void test_key_valid(void **state)
{
	struct crypto_key k;

	(void)state;
	test_key(&k);
	assert_true(crypto_key_valid(&k));
	memset(k.mac_k, 0, 16);
	assert_false(crypto_key_valid(&k));
	test_key(&k);
	memset(k.mac_r, 0, 16);
	assert_false(crypto_key_valid(&k));
	test_key(&k);
	memset(k.enc, 0, 32);
	assert_false(crypto_key_valid(&k));
}

static void test_sha256(void **state)
{
	uint8_t d[32];

	(void)state;
	crypto_sha256("", 0, d);
	assert_hex(d, 32,
		   "e3b0c44298fc1c149afbf4c8996fb924"
		   "27ae41e4649b934ca495991b7852b855");
	crypto_sha256("abc", 3, d);
	assert_hex(d, 32,
		   "ba7816bf8f01cfea414140de5dae2223"
		   "b00361a396177a9cb410ff61f20015ad");
}

/* Several threads seal and open at once, as the backup workers do. */
static void *worker(void *arg)
{
	const struct crypto_key *k = arg;
	uint8_t pt[4096], obj[4096 + 32], back[4096];
	int i;

	for (i = 0; i < 200; i++) {
		memset(pt, i, sizeof(pt));
		if (crypto_seal(k, pt, sizeof(pt), obj) != 0 ||
		    crypto_open(k, obj, sizeof(obj), back) != 0 ||
		    memcmp(pt, back, sizeof(pt)) != 0)
			return (void *)1;
	}
	return NULL;
}

static void test_threads(void **state)
{
	pthread_t th[4];
	struct crypto_key k;
	void *ret;
	int i;

	(void)state;
	test_key(&k);
	for (i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&th[i], NULL, worker, &k), 0);
	for (i = 0; i < 4; i++) {
		assert_int_equal(pthread_join(th[i], &ret), 0);
		assert_null(ret);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_poly1305_vectors),
		cmocka_unit_test(test_poly1305_clamps),
		cmocka_unit_test(test_open_vector),
		cmocka_unit_test(test_open_tamper),
		cmocka_unit_test(test_zero_iv),
		cmocka_unit_test(test_seal_blob_vector),
		cmocka_unit_test(test_pack_vector),
		cmocka_unit_test(test_seal_config_vector),
		cmocka_unit_test(test_ctr_wrap),
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_kdf_restic),
		cmocka_unit_test(test_kdf_rfc7914),
		cmocka_unit_test(test_kdf_calibrated),
		cmocka_unit_test(test_kdf_invalid),
		cmocka_unit_test(test_key_valid),
		cmocka_unit_test(test_sha256),
		cmocka_unit_test(test_threads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
