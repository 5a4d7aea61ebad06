/*
 * mkdata: deterministic benchmark data set for reprise / restic / borg.
 *
 *   mkdata gen DIR [SCALE]             create the data set in DIR
 *   mkdata mutate DIR PERCENT SEED     change PERCENT % of DIR's files
 *
 * gen, at SCALE 1 (the default), writes about 2 GiB:
 *   text/   ~40 % of the bytes: text-like, compressible files of 1 KiB..5 MiB
 *           (words from a fixed, seeded vocabulary, Zipf-like frequencies)
 *   bin/    ~55 % of the bytes: incompressible PRNG bytes, 1 KiB..150 MiB
 *           (the first file is the largest allowed: 150 MiB at scale 1)
 *   small/  50,000 * SCALE files of 100 B..8 KiB (half text, half binary)
 *           in nested folders 2..4 levels deep
 * Everything (names, sizes, contents) depends only on SCALE: the seed is
 * fixed.  File sizes are drawn log-uniformly.
 *
 * mutate picks ceil(N * PERCENT / 100) of the N regular files (sorted by
 * path, chosen with a PRNG seeded by SEED) and for each, in turn, either
 * rewrites a region of 1..65 KiB in place, appends 1..65 KiB, or only sets
 * its mtime to a fixed past time.
 *
 * Build: cc -O2 -o mkdata bench/mkdata.c
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#define KIB 1024ULL
#define MIB (1024ULL * 1024ULL)
#define GIB (1024ULL * 1024ULL * 1024ULL)
#define BUFSZ (4 * MIB)
#define BASE_SEED 0x7265707269736531ULL /* "reprise1" */
#define VOCAB 8192

/* ---------------------------------------------------------------- PRNG */

static uint64_t splitmix64(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

typedef struct { uint64_t s[4]; } rng;

static void rng_seed(rng *r, uint64_t seed)
{
	uint64_t sm = seed;
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&sm);
}

static inline uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

/* xoshiro256** */
static inline uint64_t rng_next(rng *r)
{
	uint64_t *s = r->s;
	uint64_t res = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return res;
}

static uint64_t rng_range(rng *r, uint64_t lo, uint64_t hi) /* [lo, hi] */
{
	return lo + rng_next(r) % (hi - lo + 1);
}

static double rng_unit(rng *r)
{
	return (double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

/* log-uniform in [lo, hi] */
static uint64_t rng_logsize(rng *r, uint64_t lo, uint64_t hi)
{
	if (hi <= lo)
		return lo;
	double v = exp(log((double)lo) +
		       rng_unit(r) * (log((double)hi) - log((double)lo)));
	uint64_t n = (uint64_t)v;
	return n < lo ? lo : n > hi ? hi : n;
}

static uint64_t file_seed(int kind, uint64_t idx)
{
	uint64_t s = BASE_SEED ^ ((uint64_t)kind << 56) ^ idx;
	return splitmix64(&s);
}

/* ------------------------------------------------------------- helpers */

static void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("mkdata: ", stderr);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static unsigned char *g_buf;

static void write_all(int fd, const unsigned char *p, size_t n,
		      const char *path)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			die("write %s: %s", path, strerror(errno));
		}
		p += w;
		n -= (size_t)w;
	}
}

static void mkdir_p(const char *path)
{
	char tmp[4096];
	size_t n = strlen(path);
	if (n >= sizeof tmp)
		die("path too long: %s", path);
	memcpy(tmp, path, n + 1);
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(tmp, 0755) < 0 && errno != EEXIST)
			die("mkdir %s: %s", tmp, strerror(errno));
		*p = '/';
	}
	if (mkdir(tmp, 0755) < 0 && errno != EEXIST)
		die("mkdir %s: %s", tmp, strerror(errno));
}

/* -------------------------------------------------------- generators */

static void fill_random(rng *r, unsigned char *p, size_t n)
{
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t v = rng_next(r);
		memcpy(p + i, &v, 8);
	}
	if (i < n) {
		uint64_t v = rng_next(r);
		memcpy(p + i, &v, n - i);
	}
}

/*
 * Vocabulary: VOCAB pseudo-words, each in 4 spellings padded to 16 bytes:
 * "word ", "word, ", "word. " and "Word " (used after a period).
 */
static char vocab_ent[VOCAB * 4][16];
static unsigned char vocab_len[VOCAB * 4];
static unsigned char punct_variant[64];

static void vocab_init(void)
{
	/* letters weighted roughly like English */
	static const char pool[] =
		"eeeeeeeeeeeeettttttttttaaaaaaaaooooooooiiiiiiinnnnnnn"
		"sssssshhhhhhrrrrrrddddllllcccuuummwwffggyyppbbvkjxqz";
	rng r;
	rng_seed(&r, BASE_SEED ^ 0x766f636162ULL);
	for (int i = 0; i < VOCAB; i++) {
		/* short words are the frequent ones (low indexes) */
		int len = 1 + (int)(rng_next(&r) % 4) + (i * 8) / VOCAB +
			  (int)(rng_next(&r) % 3);
		if (len > 12)
			len = 12;
		char w[16];
		for (int k = 0; k < len; k++)
			w[k] = pool[rng_next(&r) % (sizeof pool - 1)];
		for (int v = 0; v < 4; v++) {
			char *e = vocab_ent[i * 4 + v];
			memset(e, ' ', 16);
			memcpy(e, w, (size_t)len);
			int l = len;
			if (v == 1)
				e[l++] = ',';
			else if (v == 2)
				e[l++] = '.';
			else if (v == 3)
				e[0] = (char)(e[0] - 'a' + 'A');
			vocab_len[i * 4 + v] = (unsigned char)(l + 1);
		}
	}
	for (int p = 0; p < 64; p++)
		punct_variant[p] = p < 3 ? 2 : p < 7 ? 1 : 0;
}

/* Text generator state: carries line length and sentence start. */
typedef struct { rng r; unsigned col; unsigned sent; } textgen;

static void text_init(textgen *t, uint64_t seed)
{
	rng_seed(&t->r, seed);
	t->col = 0;
	t->sent = 1;
}

/* Fills p[0..n) with text; p must have TEXT_SLACK writable bytes past n. */
#define TEXT_SLACK 32
static void fill_text(textgen *t, unsigned char *p, size_t n)
{
	unsigned char *o = p, *end = p + n;
	unsigned col = t->col, sent = t->sent;
	while (o < end) {
		uint64_t v = rng_next(&t->r);
		/* product of uniforms: skewed toward frequent (short) words */
		uint64_t a = v & 0xffff, b = (v >> 16) & 0xffff,
			 c = (v >> 32) & 0xffff;
		unsigned idx = (unsigned)((a * b * c) >> 35);
		unsigned var = sent ? 3 : punct_variant[v >> 58];
		unsigned e = idx * 4 + var;
		memcpy(o, vocab_ent[e], 16);
		o += vocab_len[e];
		col += vocab_len[e];
		sent = var == 2;
		if (col >= 72) {
			o[-1] = '\n';
			col = 0;
		}
	}
	t->col = col;
	t->sent = sent;
}

enum { K_TEXT = 1, K_BIN = 2, K_SMALL = 3, K_MUT = 4 };

static void write_file(const char *path, uint64_t size, int text,
		       uint64_t seed)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		die("open %s: %s", path, strerror(errno));
	textgen tg;
	rng r;
	if (text)
		text_init(&tg, seed);
	else
		rng_seed(&r, seed);
	uint64_t left = size;
	while (left > 0) {
		size_t n = left < BUFSZ ? (size_t)left : BUFSZ;
		if (text)
			fill_text(&tg, g_buf, n);
		else
			fill_random(&r, g_buf, n);
		write_all(fd, g_buf, n, path);
		left -= n;
	}
	if (close(fd) < 0)
		die("close %s: %s", path, strerror(errno));
}

/* ----------------------------------------------------------------- gen */

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmd_gen(const char *dir, double scale)
{
	if (!(scale > 0) || scale > 1000)
		die("bad scale %g", scale);
	double t0 = now();
	uint64_t total = (uint64_t)(scale * (double)(2 * GIB));
	uint64_t text_budget = total * 40 / 100;
	uint64_t bin_budget = total * 55 / 100;
	uint64_t nsmall = (uint64_t)(50000.0 * scale + 0.5);
	if (nsmall < 100)
		nsmall = 100;
	char path[4096];
	rng plan;
	rng_seed(&plan, BASE_SEED);

	mkdir_p(dir);
	snprintf(path, sizeof path, "%s/text", dir);
	mkdir_p(path);
	snprintf(path, sizeof path, "%s/bin", dir);
	mkdir_p(path);

	/* text: 1 KiB .. 5 MiB, in 16 subfolders */
	uint64_t text_files = 0, text_bytes = 0;
	for (int g = 0; g < 16; g++) {
		snprintf(path, sizeof path, "%s/text/g%02d", dir, g);
		mkdir_p(path);
	}
	while (text_bytes < text_budget) {
		uint64_t sz = rng_logsize(&plan, KIB, 5 * MIB);
		if (sz > text_budget - text_bytes)
			sz = text_budget - text_bytes;
		if (sz < KIB)
			sz = KIB;
		snprintf(path, sizeof path, "%s/text/g%02d/t%05llu.txt", dir,
			 (int)(text_files % 16), (unsigned long long)text_files);
		write_file(path, sz, 1, file_seed(K_TEXT, text_files));
		text_files++;
		text_bytes += sz;
	}

	/* binary: 1 KiB .. 150 MiB, the first one the largest allowed */
	uint64_t bin_files = 0, bin_bytes = 0;
	uint64_t bin_max = 150 * MIB;
	if (bin_max > bin_budget / 2)
		bin_max = bin_budget / 2 > KIB ? bin_budget / 2 : KIB;
	while (bin_bytes < bin_budget) {
		uint64_t sz = bin_files == 0 ? bin_max
					     : rng_logsize(&plan, KIB, bin_max);
		if (sz > bin_budget - bin_bytes)
			sz = bin_budget - bin_bytes;
		if (sz < KIB)
			sz = KIB;
		snprintf(path, sizeof path, "%s/bin/b%04llu.bin", dir,
			 (unsigned long long)bin_files);
		write_file(path, sz, 0, file_seed(K_BIN, bin_files));
		bin_files++;
		bin_bytes += sz;
	}

	/* small: 100 B .. 8 KiB in small/dA/dB[/dC[/dD]] */
	uint64_t small_bytes = 0;
	for (uint64_t i = 0; i < nsmall; i++) {
		int depth = (int)rng_range(&plan, 2, 4);
		int n = snprintf(path, sizeof path, "%s/small", dir);
		for (int d = 0; d < depth; d++) {
			unsigned fan = d < 2 ? 8 : 4;
			n += snprintf(path + n, sizeof path - (size_t)n, "/d%u",
				      (unsigned)(rng_next(&plan) % fan));
		}
		mkdir_p(path);
		int text = (int)(rng_next(&plan) & 1);
		uint64_t sz = rng_logsize(&plan, 100, 8 * KIB);
		snprintf(path + n, sizeof path - (size_t)n, "/f%05llu.%s",
			 (unsigned long long)i, text ? "txt" : "bin");
		write_file(path, sz, text, file_seed(K_SMALL, i));
		small_bytes += sz;
	}

	double dt = now() - t0;
	uint64_t all = text_bytes + bin_bytes + small_bytes;
	printf("scale=%g\n", scale);
	printf("text_files=%llu text_bytes=%llu\n",
	       (unsigned long long)text_files, (unsigned long long)text_bytes);
	printf("bin_files=%llu bin_bytes=%llu bin_max=%llu\n",
	       (unsigned long long)bin_files, (unsigned long long)bin_bytes,
	       (unsigned long long)bin_max);
	printf("small_files=%llu small_bytes=%llu\n",
	       (unsigned long long)nsmall, (unsigned long long)small_bytes);
	printf("total_files=%llu total_bytes=%llu\n",
	       (unsigned long long)(text_files + bin_files + nsmall),
	       (unsigned long long)all);
	printf("seconds=%.2f mb_per_s=%.0f\n", dt,
	       dt > 0 ? (double)all / dt / 1e6 : 0.0);
	return 0;
}

/* -------------------------------------------------------------- mutate */

static char **g_files;
static size_t g_nfiles, g_capfiles;

static void walk(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		die("opendir %s: %s", dir, strerror(errno));
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		char *p;
		if (asprintf(&p, "%s/%s", dir, e->d_name) < 0)
			die("out of memory");
		struct stat st;
		if (lstat(p, &st) < 0)
			die("lstat %s: %s", p, strerror(errno));
		if (S_ISDIR(st.st_mode)) {
			walk(p);
			free(p);
		} else if (S_ISREG(st.st_mode)) {
			if (g_nfiles == g_capfiles) {
				g_capfiles = g_capfiles ? 2 * g_capfiles : 1024;
				g_files = realloc(g_files,
						  g_capfiles * sizeof *g_files);
				if (!g_files)
					die("out of memory");
			}
			g_files[g_nfiles++] = p;
		} else {
			free(p);
		}
	}
	closedir(d);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int is_text(const char *path)
{
	size_t n = strlen(path);
	return n > 4 && !strcmp(path + n - 4, ".txt");
}

static int cmd_mutate(const char *dir, double percent, uint64_t seed)
{
	if (!(percent > 0) || percent > 100)
		die("bad percent %g", percent);
	walk(dir);
	if (g_nfiles == 0)
		die("no files in %s", dir);
	qsort(g_files, g_nfiles, sizeof *g_files, cmp_str);
	size_t n = (size_t)ceil((double)g_nfiles * percent / 100.0);
	if (n < 1)
		n = 1;
	if (n > g_nfiles)
		n = g_nfiles;

	rng r;
	rng_seed(&r, seed ^ 0x6d7574617465ULL);
	uint64_t nrew = 0, napp = 0, ntouch = 0, brew = 0, bapp = 0;
	for (size_t i = 0; i < n; i++) {
		/* partial Fisher-Yates: g_files[i] becomes the i-th pick */
		size_t j = i + (size_t)(rng_next(&r) % (g_nfiles - i));
		char *tmp = g_files[i];
		g_files[i] = g_files[j];
		g_files[j] = tmp;
		const char *path = g_files[i];

		struct stat st;
		if (stat(path, &st) < 0)
			die("stat %s: %s", path, strerror(errno));
		uint64_t size = (uint64_t)st.st_size;
		unsigned action = (unsigned)(rng_next(&r) % 3);
		if (action == 0 && size == 0)
			action = 1;
		uint64_t fseed = file_seed(K_MUT, seed * 1000003ULL + i);
		if (action == 2) {
			struct timespec ts[2];
			ts[0].tv_sec = ts[1].tv_sec =
				1500000000 + (time_t)(rng_next(&r) % 100000000);
			ts[0].tv_nsec = ts[1].tv_nsec = 0;
			if (utimensat(AT_FDCWD, path, ts, 0) < 0)
				die("utimensat %s: %s", path, strerror(errno));
			ntouch++;
			continue;
		}
		uint64_t len = rng_range(&r, KIB, 65 * KIB);
		uint64_t off;
		int fd;
		if (action == 0) {
			if (len > size)
				len = size;
			off = rng_next(&r) % (size - len + 1);
			fd = open(path, O_WRONLY | O_CLOEXEC);
		} else {
			off = size;
			fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
		}
		if (fd < 0)
			die("open %s: %s", path, strerror(errno));
		if (is_text(path)) {
			textgen tg;
			text_init(&tg, fseed);
			fill_text(&tg, g_buf, (size_t)len);
		} else {
			rng fr;
			rng_seed(&fr, fseed);
			fill_random(&fr, g_buf, (size_t)len);
		}
		if (action == 0) {
			if (pwrite(fd, g_buf, (size_t)len, (off_t)off) !=
			    (ssize_t)len)
				die("pwrite %s: %s", path, strerror(errno));
			nrew++;
			brew += len;
		} else {
			write_all(fd, g_buf, (size_t)len, path);
			napp++;
			bapp += len;
		}
		if (close(fd) < 0)
			die("close %s: %s", path, strerror(errno));
	}
	printf("files=%zu mutated=%zu rewritten=%llu rewritten_bytes=%llu "
	       "appended=%llu appended_bytes=%llu touched=%llu\n",
	       g_nfiles, n, (unsigned long long)nrew,
	       (unsigned long long)brew, (unsigned long long)napp,
	       (unsigned long long)bapp, (unsigned long long)ntouch);
	return 0;
}

/* ---------------------------------------------------------------- main */

static void usage(void)
{
	fputs("usage: mkdata gen DIR [SCALE]\n"
	      "       mkdata mutate DIR PERCENT SEED\n",
	      stderr);
	exit(2);
}

static double parse_double(const char *s)
{
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (errno || end == s || *end)
		die("not a number: %s", s);
	return v;
}

int main(int argc, char **argv)
{
	if (argc < 3)
		usage();
	g_buf = malloc(BUFSZ + TEXT_SLACK);
	if (!g_buf)
		die("out of memory");
	vocab_init();
	if (!strcmp(argv[1], "gen") && (argc == 3 || argc == 4))
		return cmd_gen(argv[2], argc == 4 ? parse_double(argv[3]) : 1.0);
	if (!strcmp(argv[1], "mutate") && argc == 5) {
		char *end;
		errno = 0;
		unsigned long long seed = strtoull(argv[4], &end, 0);
		if (errno || end == argv[4] || *end)
			die("bad seed: %s", argv[4]);
		return cmd_mutate(argv[2], parse_double(argv[3]), seed);
	}
	usage();
	return 2;
}
