/*
 * chunker: restic's content-defined chunker (Rabin fingerprints over a
 * 64-byte window, RESTIC_FORMAT.md §13), bit-exact with restic/chunker
 * v0.4.0 so that reprise and restic deduplicate against each other.
 *
 * No I/O and no allocation per chunk: the caller owns the bytes.  The tables
 * for one polynomial are built once (chunker_tables_init, ~4 KiB) and shared
 * read-only by any number of chunkers and threads.
 *
 *   struct chunker_tables t;  chunker_tables_init(&t, pol);
 *   struct chunker c;         chunker_start(&c, &t);     // per file
 *   while (data) {
 *           size_t used = chunker_scan(&c, p, n, &cut);
 *           append p[0..used) to the current chunk;
 *           if (cut) { emit chunk (its length is c's previous chunk length);
 *                      the chunker has already restarted for the next one }
 *           p += used; n -= used;
 *   }
 *   at end of file: the bytes gathered since the last cut (if any) are the
 *   last chunk.
 */
#ifndef RP_CHUNKER_H
#define RP_CHUNKER_H

#include <stddef.h>
#include <stdint.h>

#define CHUNKER_MIN_SIZE (512u * 1024)
#define CHUNKER_MAX_SIZE (8u * 1024 * 1024)
#define CHUNKER_WINDOW 64

struct chunker_tables {
	uint64_t pol;
	unsigned shift;      /* deg(pol) - 8 */
	uint64_t out[256];
	uint64_t mod[256];
};

struct chunker {
	const struct chunker_tables *t;
	uint8_t window[CHUNKER_WINDOW];
	unsigned wpos;
	uint64_t digest;
	size_t len;          /* bytes in the current chunk so far */
	uint64_t last_cut;   /* digest at the last cut (test vectors) */
};

/* chunker_pol_deg: degree of pol (-1 for 0). */
int chunker_pol_deg(uint64_t pol);
/* chunker_pol_irreducible: 1 if pol is an irreducible polynomial over GF(2)
 * (Ben-Or), else 0. */
int chunker_pol_irreducible(uint64_t pol);
/* chunker_pol_random: a random irreducible polynomial of degree 53, as
 * restic's RandomPolynomial.  0 or <0. */
int chunker_pol_random(uint64_t *pol);

void chunker_tables_init(struct chunker_tables *t, uint64_t pol);

/* chunker_start: begin a new file (and its first chunk). */
void chunker_start(struct chunker *c, const struct chunker_tables *t);

/* chunker_scan: consumes p[0..n).  Returns how many bytes belong to the
 * current chunk; sets *cut to 1 when those bytes end the chunk (the chunker
 * then restarts for the next chunk), else 0 and the return value is n. */
size_t chunker_scan(struct chunker *c, const uint8_t *p, size_t n, int *cut);

#endif
