/*
 * fuzz_common: fixtures shared by the fuzz targets (see fuzz.h).
 */
#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/err.h"
#include "util/gostr.h"
#include "util/hex.h"
#include "util/jsonw.h"
#include "util/log.h"
#include "util/xmalloc.h"

/* RESTIC_FORMAT.md §3.4 / §16 test keys and IVs */
static const struct crypto_key master = {
	{ 0x30, 0x3e, 0x86, 0x87, 0xb1, 0xd7, 0xdb, 0x18, 0x42, 0x1b, 0xdc,
	  0x6b, 0xb8, 0x58, 0x8c, 0xca, 0xda, 0xc4, 0xd5, 0x9e, 0xe8, 0x7b,
	  0x8f, 0xf7, 0x0c, 0x44, 0xe6, 0x35, 0x79, 0x0c, 0xaf, 0xef },
	{ 0xef, 0x4d, 0x88, 0x24, 0xcb, 0x80, 0xb2, 0xbc, 0xc5, 0xfb, 0xff,
	  0x8a, 0x9b, 0x12, 0xa4, 0x2c },
	{ 0xcc, 0x8d, 0x4b, 0x94, 0x8e, 0xe0, 0xeb, 0xfe, 0x1d, 0x41, 0x5d,
	  0xe9, 0x21, 0xd1, 0x03, 0x53 },
};
static const uint8_t iv1[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13,
				 14, 15, 16 };
static const uint8_t iv2[16] = { 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27,
				 28, 29, 30, 31, 32 };

#define FUZZ_POL 0x3DA3358B4DC173ull

static const char config_plain[] =
	"{\"version\":2,\"id\":\"00000000000000000000000000000000000000000"
	"00000000000000000000000\",\"chunker_polynomial\":\"3da3358b4dc173\"}";

static int ready;
static struct buf keyfile = BUF_INIT;

void fuzz_fail(const char *file, int line, const char *what)
{
	fprintf(stderr, "%s:%d: fuzz check failed: %s\n", file, line, what);
	abort();
}

static void quiet(enum log_level lvl, const char *func, const char *msg,
		  void *arg)
{
	(void)lvl;
	(void)func;
	(void)msg;
	(void)arg;
}

static void seal_with(const struct crypto_key *k, const uint8_t iv[16],
		      const uint8_t *p, size_t n, struct buf *out)
{
	buf_reset(out);
	out->max = 0;
	FUZZ_CHECK(buf_reserve(out, n + CRYPTO_OVERHEAD) == 0);
	FUZZ_CHECK(crypto_seal_iv(k, iv, p, n, out->p) == 0);
	out->len = n + CRYPTO_OVERHEAD;
	out->p[out->len] = 0;
}

/* make_keyfile: restic's key file JSON for the master key, password
 * FUZZ_PASSWORD, salt 00 01 .. 3f, the cheapest scrypt there is. */
static void make_keyfile(void)
{
	struct crypto_key user;
	uint8_t salt[64];
	struct buf mk = BUF_INIT, enc = BUF_INIT;
	struct jsonw w;
	size_t i;

	for (i = 0; i < sizeof(salt); i++)
		salt[i] = (uint8_t)i;
	FUZZ_CHECK(crypto_kdf(FUZZ_PASSWORD, strlen(FUZZ_PASSWORD), salt,
			      sizeof(salt), 2, 1, 1, &user) == 0);
	jsonw_init(&w, &mk);
	jsonw_obj_begin(&w);
	jsonw_key(&w, "mac");
	jsonw_obj_begin(&w);
	jsonw_key(&w, "k");
	jsonw_base64(&w, master.mac_k, 16);
	jsonw_key(&w, "r");
	jsonw_base64(&w, master.mac_r, 16);
	jsonw_obj_end(&w);
	jsonw_key(&w, "encrypt");
	jsonw_base64(&w, master.enc, 32);
	jsonw_obj_end(&w);
	FUZZ_CHECK(jsonw_finish(&w) == 0);
	seal_with(&user, iv2, mk.p, mk.len, &enc);
	jsonw_init(&w, &keyfile);
	jsonw_obj_begin(&w);
	jsonw_key(&w, "created");
	jsonw_str(&w, "2026-01-01T00:00:00Z");
	jsonw_key(&w, "username");
	jsonw_str(&w, "fuzz");
	jsonw_key(&w, "hostname");
	jsonw_str(&w, "fuzz");
	jsonw_key(&w, "kdf");
	jsonw_str(&w, "scrypt");
	jsonw_key(&w, "N");
	jsonw_u64(&w, 2);
	jsonw_key(&w, "r");
	jsonw_u64(&w, 1);
	jsonw_key(&w, "p");
	jsonw_u64(&w, 1);
	jsonw_key(&w, "salt");
	jsonw_base64(&w, salt, sizeof(salt));
	jsonw_key(&w, "data");
	jsonw_base64(&w, enc.p, enc.len);
	jsonw_obj_end(&w);
	FUZZ_CHECK(jsonw_finish(&w) == 0);
	buf_release(&mk);
	buf_release(&enc);
}

void fuzz_init(void)
{
	if (ready)
		return;
	ready = 1;
	log_set_sink(quiet, NULL);
	make_keyfile();
}

const struct crypto_key *fuzz_master(void)
{
	return &master;
}

void fuzz_seal(const uint8_t *p, size_t n, struct buf *out)
{
	seal_with(&master, iv1, p, n, out);
}

const uint8_t *fuzz_keyfile(size_t *n)
{
	*n = keyfile.len;
	return keyfile.p;
}

const char *fuzz_config_plain(void)
{
	return config_plain;
}

/* ---- the in-memory backend ---- */

struct mem_file {
	enum be_type t;
	char name[65];
	uint8_t *p;
	size_t n;
};

struct mem {
	struct backend be;
	struct mem_file f[FUZZ_MEM_FILES];
	size_t n;
};

static struct mem_file *mem_find(struct mem *m, enum be_type t,
				 const char *name)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		if (m->f[i].t == t && strcmp(m->f[i].name, name) == 0)
			return &m->f[i];
	return NULL;
}

static int mem_create(struct backend *be)
{
	struct mem *m = (struct mem *)be;

	return mem_find(m, BE_CONFIG, "config") ? RP_EEXIST : 0;
}

static int mem_put(struct backend *be, enum be_type t, const char *name,
		   const uint8_t *p, size_t n)
{
	struct mem *m = (struct mem *)be;
	struct mem_file *f;

	if (strlen(name) >= sizeof(f->name))
		return RP_EINVAL;
	if (mem_find(m, t, name))
		return RP_EEXIST;
	if (m->n == FUZZ_MEM_FILES)
		return RP_ENOSPC;
	f = &m->f[m->n++];
	f->t = t;
	snprintf(f->name, sizeof(f->name), "%s", name);
	f->p = xmalloc(n ? n : 1);
	if (n)
		memcpy(f->p, p, n);
	f->n = n;
	return 0;
}

static int mem_get(struct backend *be, enum be_type t, const char *name,
		   uint64_t off, size_t len, struct buf *out)
{
	struct mem_file *f = mem_find((struct mem *)be, t, name);

	if (f == NULL)
		return RP_ENOTFOUND;
	if (off > f->n || (len && len > f->n - off))
		return RP_ETRUNC;
	if (len == 0)
		len = f->n - (size_t)off;
	return buf_add(out, f->p + off, len);
}

static int mem_stat(struct backend *be, enum be_type t, const char *name,
		    uint64_t *size)
{
	struct mem_file *f = mem_find((struct mem *)be, t, name);

	if (f == NULL)
		return RP_ENOTFOUND;
	*size = f->n;
	return 0;
}

static int mem_list(struct backend *be, enum be_type t, be_list_fn fn,
		    void *arg)
{
	struct mem *m = (struct mem *)be;
	size_t i;
	int r;

	for (i = 0; i < m->n; i++)
		if (m->f[i].t == t && (r = fn(m->f[i].name, m->f[i].n, arg)))
			return r;
	return 0;
}

static int mem_remove(struct backend *be, enum be_type t, const char *name)
{
	struct mem *m = (struct mem *)be;
	struct mem_file *f = mem_find(m, t, name);

	if (f == NULL)
		return RP_ENOTFOUND;
	free(f->p);
	*f = m->f[--m->n];
	return 0;
}

static void mem_close(struct backend *be)
{
	(void)be;
}

static const struct backend_ops mem_ops = {
	.create = mem_create,
	.put = mem_put,
	.get = mem_get,
	.stat = mem_stat,
	.list = mem_list,
	.remove = mem_remove,
	.close = mem_close,
};

struct backend *fuzz_mem_new(void)
{
	struct mem *m = xcalloc(1, sizeof(*m));

	m->be.ops = &mem_ops;
	m->be.location = NULL;
	return &m->be;
}

void fuzz_mem_clear(struct backend *be)
{
	struct mem *m = (struct mem *)be;
	size_t i;

	for (i = 0; i < m->n; i++)
		free(m->f[i].p);
	m->n = 0;
}

void fuzz_mem_free(struct backend *be)
{
	if (be == NULL)
		return;
	fuzz_mem_clear(be);
	free(be);
}

int fuzz_mem_put(struct backend *be, enum be_type t, const char *name,
		 const uint8_t *p, size_t n, char *out_name)
{
	char hex[65];
	uint8_t id[32];

	if (name == NULL) {
		crypto_sha256(p, n, id);
		hex_encode(id, 32, hex);
		name = hex;
	}
	if (out_name)
		snprintf(out_name, 65, "%s", name);
	return mem_put(be, t, name, p, n);
}

void fuzz_repo_init(struct repo *r, int version, struct backend *be)
{
	static struct chunker_tables tables;
	static int tables_ready;

	/* building the tables takes milliseconds under ASan: once */
	if (!tables_ready) {
		chunker_tables_init(&tables, FUZZ_POL);
		tables_ready = 1;
	}
	memset(r, 0, sizeof(*r));
	r->be = be;
	r->master = master;
	r->version = version;
	r->pol = FUZZ_POL;
	r->level = 3;
	r->tables = tables;
	index_init(&r->idx);
}

void fuzz_repo_release(struct repo *r)
{
	index_release(&r->idx);
	memset(r, 0, sizeof(*r));
}
