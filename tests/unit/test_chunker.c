/*
 * test_chunker: RESTIC_FORMAT.md §13.5 vectors (irreducibility, tables,
 * zeros, xorshift64, restic 0.14 cross-check), streaming in odd pieces,
 * and the fast path checked against the literal byte-wise §13.4 loop.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "chunker/chunker.h"
#include "crypto/crypto.h"
#include "util/hex.h"

#define POL 0x3DA3358B4DC173ull
#define MIB (1024u * 1024)

static void sha_hex(const uint8_t *p, size_t n, char out[65])
{
	uint8_t d[32];

	crypto_sha256(p, n, d);
	hex_encode(d, 32, out);
}

static void test_irreducible(void **state)
{
	static const uint64_t reducible[] = {
		0x38f1e565e288df, 0x30a8295b9d5c91, 0x255f4350b962cb,
		0x267f776110a235, 0x2f4dae10d41227, 0x312daf4b284899,
		0x29dfb6553d01d1, 0x3548245eb26257, 0x3199e7ef4211b3,
		0x362f39017dae8b, 0x200d57aa6fdacb, 0x35e0a4efa1d275,
		0x2ced55b026577f, 0x260b012010893d, 0x2df29cbcd59e9d,
		0x3f2ac7488bd429, 0x3e5cb1711669fb, 0x226d8de57a9959,
		0x3c8de80aaf5835, 0x2026a59efb219b, 0x39dfa4d13fb231,
		0x3143d0464b3299,
	};
	size_t i;

	(void)state;
	assert_int_equal(chunker_pol_irreducible(0x3DA3358B4DC173), 1);
	assert_int_equal(chunker_pol_irreducible(0x2482734cacca49), 1);
	assert_int_equal(chunker_pol_irreducible(0x24c4f312816ed9), 1);
	assert_int_equal(chunker_pol_irreducible(0x29f8d013e131f3), 1);
	for (i = 0; i < sizeof(reducible) / sizeof(reducible[0]); i++)
		assert_int_equal(chunker_pol_irreducible(reducible[i]), 0);
	/* Small cases: x^2+x+1 and x^3+x+1 are irreducible; x^2+1 =
	 * (x+1)^2 and x^2 are not; constants are not. */
	assert_int_equal(chunker_pol_irreducible(0x7), 1);
	assert_int_equal(chunker_pol_irreducible(0xb), 1);
	assert_int_equal(chunker_pol_irreducible(0x5), 0);
	assert_int_equal(chunker_pol_irreducible(0x4), 0);
	assert_int_equal(chunker_pol_irreducible(0), 0);
	assert_int_equal(chunker_pol_irreducible(1), 0);
}

static void test_deg(void **state)
{
	(void)state;
	assert_int_equal(chunker_pol_deg(0), -1);
	assert_int_equal(chunker_pol_deg(1), 0);
	assert_int_equal(chunker_pol_deg(2), 1);
	assert_int_equal(chunker_pol_deg(0x3DA3358B4DC173), 53);
	assert_int_equal(chunker_pol_deg(UINT64_MAX), 63);
	assert_int_equal(chunker_pol_deg((uint64_t)1 << 63), 63);
}

static void test_random_pol(void **state)
{
	uint64_t a, b;

	(void)state;
	assert_int_equal(chunker_pol_random(&a), 0);
	assert_int_equal(chunker_pol_random(&b), 0);
	assert_int_equal(chunker_pol_deg(a), 53);
	assert_int_equal(chunker_pol_deg(b), 53);
	assert_int_equal(chunker_pol_irreducible(a), 1);
	assert_int_equal(chunker_pol_irreducible(b), 1);
	assert_true(a != b);
}

static void test_tables(void **state)
{
	struct chunker_tables t;

	(void)state;
	chunker_tables_init(&t, POL);
	assert_int_equal(t.shift, 45);
	assert_true(t.out[1] == 0x0017eb4232e19216ull);
	assert_true(t.out[255] == 0x000b80b98cecc39aull);
	assert_true(t.mod[1] == 0x003da3358b4dc173ull);
	assert_true(t.mod[255] == 0x1ff7ac8a5af476a7ull);
	assert_true(t.out[0] == 0 && t.mod[0] == 0);
}

struct chunk {
	size_t start, len;
	uint64_t fp;
};

/*
 * chunk_all: run the streaming API over p[0..n) in pieces whose sizes cycle
 * through pieces[]; the last chunk's fingerprint is the final digest.
 * Returns the number of chunks written to out (at most cap).
 */
static size_t chunk_all(const struct chunker_tables *t, const uint8_t *p,
			size_t n, const size_t *pieces, size_t npieces,
			struct chunk *out, size_t cap)
{
	struct chunker c;
	size_t off = 0, start = 0, k = 0, pi = 0;
	int cut;

	chunker_start(&c, t);
	while (off < n) {
		size_t want = pieces[pi++ % npieces], got;

		if (want > n - off)
			want = n - off;
		while (want > 0) {
			got = chunker_scan(&c, p + off, want, &cut);
			assert_true(got <= want);
			off += got;
			want -= got;
			if (cut) {
				assert_true(k < cap);
				out[k].start = start;
				out[k].len = off - start;
				out[k].fp = c.last_cut;
				k++;
				start = off;
			} else {
				assert_int_equal(want, 0);
			}
		}
	}
	if (off > start) {
		assert_true(k < cap);
		out[k].start = start;
		out[k].len = off - start;
		out[k].fp = c.digest;
		k++;
	}
	return k;
}

static const size_t whole[] = { SIZE_MAX };

static void test_zeros(void **state)
{
	struct chunker_tables t;
	struct chunk ch[8];
	uint8_t *z = calloc(4, 512 * 1024);
	char h[65];
	size_t n, i;

	(void)state;
	assert_non_null(z);
	chunker_tables_init(&t, POL);
	n = chunk_all(&t, z, 4 * 512 * 1024, whole, 1, ch, 8);
	assert_int_equal(n, 4);
	for (i = 0; i < 4; i++) {
		assert_int_equal(ch[i].start, i * 524288);
		assert_int_equal(ch[i].len, 524288);
		assert_true(ch[i].fp == 0);
		sha_hex(z + ch[i].start, ch[i].len, h);
		assert_string_equal(h, "07854d2fef297a06ba81685e660c332d"
				       "e36d5d18d546927d30daad6d7fda1541");
	}
	n = chunk_all(&t, z, 100, whole, 1, ch, 8);
	assert_int_equal(n, 1);
	assert_int_equal(ch[0].len, 100);
	assert_true(ch[0].fp == 1);
	/* An empty file gives no chunk. */
	assert_int_equal(chunk_all(&t, z, 0, whole, 1, ch, 8), 0);
	free(z);
}

/* The §13.5 (c) input: xorshift64 from x = 1, 8 bytes little-endian. */
static uint8_t *xorshift_data(size_t n)
{
	uint8_t *p = malloc(n);
	uint64_t x = 1;
	size_t i;
	int j;

	assert_non_null(p);
	for (i = 0; i + 8 <= n; i += 8) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		for (j = 0; j < 8; j++)
			p[i + (size_t)j] = (uint8_t)(x >> (8 * j));
	}
	return p;
}

static const struct {
	size_t start, len;
	uint64_t fp;
	const char *sha;
} xs_vec[] = {
	{ 0, 856758, 0x0015982582800000ull,
	  "7c66c31c4ed764fd12b4f72bf2797dd8d19a4b62b44295782374447a2146c3cc" },
	{ 856758, 925606, 0x001a93c3ca700000ull,
	  "463bad18277494e9b4a30cdad502e35a530c2e00a5c0c3c9e0be484a1295e3e1" },
	{ 1782364, 3202690, 0x000170bf90600000ull,
	  "5ff3098d71dfc557d29db9a39955903c9076b77aaeb680d49b24535fac1ea541" },
	{ 4985054, 2320089, 0x000baa80ec300000ull,
	  "a7237e748e58bc6bdbb4f7ea0cf62c37f38ba6cc507259d76c92d012616a8f01" },
	{ 7305143, 1213232, 0x001ed7e54f700000ull,
	  "0c072c2c6f9ac74338c41a83d3d3a97253e2adc596672e62544c2d425e600872" },
	{ 8518375, 3934002, 0x0000387cfb100000ull,
	  "49c414899f528a63b962a75a56f7cb581c442a58f8d4adfc4425be81f1fc8b8c" },
	{ 12452377, 1548952, 0x00098463e9900000ull,
	  "552a368a8078d41adc1a4ee6e138553faf7da4d1df8791681cae96b327d77912" },
	{ 14001329, 1311995, 0x001cfb1c11f00000ull,
	  "0347eea116891311b5507203d23e96c13ba790315b416c09793c3ffd77100c2e" },
	{ 15313324, 1463892, 0x000cf361cb6a53d4ull,
	  "12e84c09567fe450b5fac0cc537cc6fff589a178a1d2281dc716eaf6f642ef6c" },
};

static void check_xorshift(const size_t *pieces, size_t npieces)
{
	const size_t n = 16 * MIB;
	struct chunker_tables t;
	struct chunk ch[16];
	uint8_t *p = xorshift_data(n);
	char h[65];
	size_t k, i;

	sha_hex(p, n, h);
	assert_string_equal(h, "44e74d146ed8c4015c8032d8d207dab9"
			       "5b083a78ad1cd85166a9c737fb3d1395");
	chunker_tables_init(&t, POL);
	k = chunk_all(&t, p, n, pieces, npieces, ch, 16);
	assert_int_equal(k, 9);
	for (i = 0; i < k; i++) {
		assert_int_equal(ch[i].start, xs_vec[i].start);
		assert_int_equal(ch[i].len, xs_vec[i].len);
		assert_true(ch[i].fp == xs_vec[i].fp);
		sha_hex(p + ch[i].start, ch[i].len, h);
		assert_string_equal(h, xs_vec[i].sha);
	}
	free(p);
}

static void test_xorshift_whole(void **state)
{
	(void)state;
	check_xorshift(whole, 1);
}

static void test_xorshift_pieces(void **state)
{
	static const size_t odd[] = { 1, 7, 4093, MIB, 63, 64, 65, 100000 };
	static const size_t one[] = { 1 };

	(void)state;
	check_xorshift(odd, sizeof(odd) / sizeof(odd[0]));
	check_xorshift(one, 1);
}

/* §13.5 (d): restic 0.14's own blob IDs for a real random polynomial. */
static void test_restic_repo_pol(void **state)
{
	struct chunker_tables t;
	struct chunk ch[4];
	uint8_t *p = xorshift_data(3000000);
	char h[65];

	(void)state;
	chunker_tables_init(&t, 0x29f8d013e131f3);
	assert_int_equal(chunk_all(&t, p, 3000000, whole, 1, ch, 4), 2);
	assert_int_equal(ch[0].len, 956735);
	assert_int_equal(ch[1].len, 2043265);
	sha_hex(p, 956735, h);
	assert_memory_equal(h, "34140247", 8);
	assert_memory_equal(h + 60, "2385", 4);
	sha_hex(p + 956735, 2043265, h);
	assert_memory_equal(h, "d0107a46", 8);
	assert_memory_equal(h + 60, "d7a3", 4);
	free(p);
}

/* The literal §13.4 algorithm, byte by byte, with the same state layout. */
struct ref {
	const struct chunker_tables *t;
	uint8_t window[CHUNKER_WINDOW];
	unsigned wpos;
	uint64_t digest, last_cut;
	size_t len;
};

static void ref_slide(struct ref *r, uint8_t b)
{
	uint64_t idx;

	r->digest ^= r->t->out[r->window[r->wpos]];
	r->window[r->wpos] = b;
	r->wpos = (r->wpos + 1) % CHUNKER_WINDOW;
	idx = r->digest >> r->t->shift;
	r->digest = ((r->digest << 8) | b) ^ r->t->mod[idx];
}

static void ref_reset(struct ref *r)
{
	memset(r->window, 0, sizeof(r->window));
	r->wpos = 0;
	r->digest = 0;
	r->len = 0;
	ref_slide(r, 1);
}

static size_t ref_scan(struct ref *r, const uint8_t *p, size_t n, int *cut)
{
	size_t i;

	*cut = 0;
	for (i = 0; i < n; i++) {
		if (r->len < CHUNKER_MIN_SIZE - CHUNKER_WINDOW) {
			r->len++;
			continue;
		}
		ref_slide(r, p[i]);
		r->len++;
		if (((r->digest & ((1u << 20) - 1)) == 0 ||
		     r->len >= CHUNKER_MAX_SIZE) &&
		    r->len >= CHUNKER_MIN_SIZE) {
			r->last_cut = r->digest;
			ref_reset(r);
			*cut = 1;
			return i + 1;
		}
	}
	return n;
}

/*
 * Random bytes with zero runs (each run of >= 64 zeros matches the mask at
 * every position, so several lanes of one block see candidates), then a
 * long constant stretch that never matches (forced cuts at MaxSize).
 */
static uint8_t *mixed_data(size_t n, size_t nconst)
{
	uint8_t *p = xorshift_data(n);
	uint64_t x = 0x9e3779b97f4a7c15ull;
	size_t pos = 0;

	for (;;) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		pos += 20000 + x % 1500000;
		if (pos + 300 > n - nconst)
			break;
		memset(p + pos, 0, 64 + (x >> 32) % 200);
	}
	memset(p + n - nconst, 0x5a, nconst);
	return p;
}

static void test_against_reference(void **state)
{
	/* Piece sizes: tiny, small, medium or large, from a fixed PRNG. */
	static const size_t piece_max[] = { 130, 70000, 300000, 3 * MIB };
	uint64_t x = 88172645463325252ull;
	const size_t n = 40 * MIB;
	uint8_t *p = mixed_data(n, 20 * MIB);
	struct chunker_tables t;
	struct chunker c;
	struct ref r;
	size_t off = 0, cuts = 0, forced = 0, mid = 0;
	int cut, rcut;

	(void)state;
	chunker_tables_init(&t, POL);
	chunker_start(&c, &t);
	r.t = &t;
	r.last_cut = 0;
	ref_reset(&r);
	while (off < n) {
		size_t want, got, rgot;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		want = 1 + (size_t)(x >> 8) % piece_max[x & 3];

		if (want > n - off)
			want = n - off;
		rgot = ref_scan(&r, p + off, want, &rcut);
		got = chunker_scan(&c, p + off, want, &cut);
		assert_int_equal(got, rgot);
		assert_int_equal(cut, rcut);
		assert_memory_equal(c.window, r.window, CHUNKER_WINDOW);
		assert_int_equal(c.wpos, r.wpos);
		assert_true(c.digest == r.digest);
		assert_true(c.last_cut == r.last_cut);
		assert_int_equal(c.len, r.len);
		if (cut) {
			cuts++;
			forced += r.last_cut & ((1u << 20) - 1) ? 1 : 0;
		} else if (r.len >= CHUNKER_MIN_SIZE) {
			mid++;
		}
		off += got;
	}
	/* The data must exercise both kinds of cut, and calls that end
	 * inside the hashed part of a chunk (state handed to the next call). */
	assert_true(cuts > 20);
	assert_true(forced >= 2);
	assert_true(mid > 30);
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_deg),
		cmocka_unit_test(test_irreducible),
		cmocka_unit_test(test_random_pol),
		cmocka_unit_test(test_tables),
		cmocka_unit_test(test_zeros),
		cmocka_unit_test(test_xorshift_whole),
		cmocka_unit_test(test_xorshift_pieces),
		cmocka_unit_test(test_restic_repo_pol),
		cmocka_unit_test(test_against_reference),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
