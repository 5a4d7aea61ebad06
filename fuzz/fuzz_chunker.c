/*
 * fuzz_chunker: the content-defined chunker (RESTIC_FORMAT.md §13) against
 * a byte-at-a-time reference of §13.4, on inputs long enough to cut.
 *
 * Input: seed(8, LE) || feed(1) || segments of 4 bytes each:
 *   kind(1) arg(1) len(2, LE), len in units of 64 bytes (up to 4 MiB):
 *   kind % 4 = 0: xorshift64 bytes (RESTIC_FORMAT.md §13.5 (c), seeded);
 *              1: zero bytes;
 *              2: a pattern of arg + 1 xorshift bytes, repeated (periodic
 *                 data that never matches the mask forces 8 MiB cuts);
 *              3: a copy of earlier data (the chunker must resynchronise).
 *   The data is at most DATA_MAX bytes.  feed bit 7 picks the polynomial
 *   (restic's test polynomial of degree 53, or x^31 + x^3 + 1 for the
 *   generic-shift path); its low bits pick the sizes of the pieces the
 *   data is fed to chunker_scan in (1 byte to everything at once).
 * Checked: the cuts, and the digest at each cut, equal the reference's;
 * every chunk but the last is within [MinSize, MaxSize], the last is
 * shorter than MaxSize, and the chunks add up to the data.
 */
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

#include "chunker/chunker.h"
#include "util/rd.h"
#include "util/xmalloc.h"

#define DATA_MAX ((size_t)20 << 20)

/* The harness's own byte loops need no coverage feedback: under
 * -fsanitize=fuzzer its comparison tracing made them 30 times slower. */
#if defined(__clang__) && __clang_major__ >= 13
#define HOT __attribute__((no_sanitize("coverage")))
#else
#define HOT
#endif
#define MASK (((uint64_t)1 << 20) - 1)
#define POL53 0x3DA3358B4DC173ull
#define POL31 0x80000009ull

struct cut {
	size_t len;
	uint64_t digest;
	int cut;
};

struct cuts {
	struct cut *v;
	size_t n, cap;
};

static void cuts_add(struct cuts *c, size_t len, uint64_t d, int cut)
{
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 16;
		c->v = xreallocarray(c->v, c->cap, sizeof(*c->v));
	}
	c->v[c->n].len = len;
	c->v[c->n].digest = d;
	c->v[c->n].cut = cut;
	c->n++;
}

HOT static uint64_t xorshift(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

HOT static void fill_random(uint8_t *p, size_t n, uint64_t *x)
{
	size_t i;
	uint64_t v = 0;

	for (i = 0; i < n; i++) {
		if (i % 8 == 0)
			v = xorshift(x);
		p[i] = (uint8_t)(v >> (8 * (i % 8)));
	}
}

/* make_data: the bytes the segments describe; *n gets their length. */
HOT static uint8_t *make_data(const uint8_t *seg, size_t nseg, uint64_t seed,
			  size_t *n)
{
	uint8_t *p = xmalloc(DATA_MAX);
	uint64_t x = seed ? seed : 1;
	size_t len = 0, i, k;

	for (i = 0; i < nseg && len < DATA_MAX; i++, seg += 4) {
		size_t l = ((size_t)seg[2] | (size_t)seg[3] << 8) * 64 + 64;
		size_t per = (size_t)seg[1] + 1;

		if (l > DATA_MAX - len)
			l = DATA_MAX - len;
		switch (seg[0] % 4) {
		case 0:
			fill_random(p + len, l, &x);
			break;
		case 1:
			memset(p + len, 0, l);
			break;
		case 2:
			fill_random(p + len, per < l ? per : l, &x);
			for (k = per; k < l; k++)
				p[len + k] = p[len + k - per];
			break;
		default:
			if (len == 0) {
				fill_random(p, l, &x);
				break;
			}
			k = (size_t)(xorshift(&x) % len);
			if (l > len - k)
				l = len - k;
			memmove(p + len, p + k, l);
			break;
		}
		len += l;
	}
	*n = len;
	return p;
}

struct ref {
	const struct chunker_tables *t;
	uint8_t win[CHUNKER_WINDOW];
	unsigned w;
	uint64_t d;
};

HOT static void slide(struct ref *r, uint8_t b)
{
	r->d ^= r->t->out[r->win[r->w]];
	r->win[r->w] = b;
	r->w = (r->w + 1) % CHUNKER_WINDOW;
	r->d = ((r->d << 8) | b) ^ r->t->mod[r->d >> r->t->shift];
}

/* reference: RESTIC_FORMAT.md §13.4, one byte at a time. */
HOT static void reference(const struct chunker_tables *t, const uint8_t *p,
		      size_t n, struct cuts *out)
{
	struct ref r;
	size_t pos = 0, start, len;
	int cut;

	r.t = t;
	while (pos < n) {
		memset(r.win, 0, sizeof(r.win));
		r.w = 0;
		r.d = 0;
		slide(&r, 1);
		start = pos;
		len = CHUNKER_MIN_SIZE - CHUNKER_WINDOW;
		if (n - pos <= len) {
			cuts_add(out, n - start, r.d, 0);
			return;
		}
		pos += len;
		cut = 0;
		while (pos < n && !cut) {
			slide(&r, p[pos++]);
			len++;
			cut = ((r.d & MASK) == 0 || len >= CHUNKER_MAX_SIZE) &&
			      len >= CHUNKER_MIN_SIZE;
		}
		cuts_add(out, pos - start, r.d, cut);
	}
}

/* feed_size: the next piece size of pattern f. */
static size_t feed_size(unsigned *f)
{
	static const size_t sizes[16] = {
		1, 7, 63, 64, 65, 100, 4096, 65536, 524223, 524224, 524225,
		524288, 1 << 20, (8 << 20) - 1, 3 << 20, (size_t)-1,
	};

	*f = (*f * 5 + 3) & 15;
	return sizes[*f];
}

static void chunk(const struct chunker_tables *t, const uint8_t *p, size_t n,
		  unsigned f, struct cuts *out)
{
	struct chunker c;
	size_t pos = 0, cur = 0;

	chunker_start(&c, t);
	while (pos < n) {
		size_t want = feed_size(&f), used;
		int cut = -1;

		if (want > n - pos)
			want = n - pos;
		used = chunker_scan(&c, p + pos, want, &cut);
		FUZZ_CHECK(cut == 0 || cut == 1);
		FUZZ_CHECK(used <= want && (cut || used == want));
		pos += used;
		cur += used;
		if (cut) {
			cuts_add(out, cur, c.last_cut, 1);
			cur = 0;
		}
	}
	if (cur)
		cuts_add(out, cur, 0, 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct chunker_tables t53, t31;
	static int ready;
	const struct chunker_tables *t;
	struct cuts got = { NULL, 0, 0 }, want = { NULL, 0, 0 };
	uint64_t seed;
	uint8_t *p;
	size_t n, i, sum = 0;

	fuzz_init();
	if (!ready) {
		FUZZ_CHECK(chunker_pol_irreducible(POL53));
		FUZZ_CHECK(chunker_pol_irreducible(POL31));
		chunker_tables_init(&t53, POL53);
		chunker_tables_init(&t31, POL31);
		ready = 1;
	}
	if (size < 9)
		return 0;
	seed = (uint64_t)le32_get(data) | (uint64_t)le32_get(data + 4) << 32;
	t = data[8] & 0x80 ? &t31 : &t53;
	p = make_data(data + 9, (size - 9) / 4, seed, &n);
	chunk(t, p, n, data[8] & 15, &got);
	reference(t, p, n, &want);
	FUZZ_CHECK(got.n == want.n);
	for (i = 0; i < got.n; i++) {
		FUZZ_CHECK(got.v[i].len == want.v[i].len);
		FUZZ_CHECK(got.v[i].cut == want.v[i].cut);
		if (got.v[i].cut) {
			FUZZ_CHECK(got.v[i].digest == want.v[i].digest);
			FUZZ_CHECK(got.v[i].len >= CHUNKER_MIN_SIZE);
			FUZZ_CHECK(got.v[i].len <= CHUNKER_MAX_SIZE);
		} else {
			FUZZ_CHECK(i == got.n - 1);
			FUZZ_CHECK(got.v[i].len < CHUNKER_MAX_SIZE);
		}
		sum += got.v[i].len;
	}
	FUZZ_CHECK(sum == n);
	free(got.v);
	free(want.v);
	free(p);
	return 0;
}
