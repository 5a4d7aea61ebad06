#include "repo/repo.h"

#include "repo/tree.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zstd.h>

#include "util/err.h"
#include "util/gostr.h"
#include "util/hex.h"
#include "util/i18n.h"
#include "util/jsonr.h"
#include "util/jsonw.h"
#include "util/log.h"
#include "util/xmalloc.h"

#define KEYFILE_MAX (64 * 1024)
#define SALT_LEN 64

void repo_kdf_default(struct kdf_params *kp)
{
	const char *n = getenv("REPRISE_KDF_N");
	const char *r = getenv("REPRISE_KDF_R");
	const char *p = getenv("REPRISE_KDF_P");

	kp->N = n ? strtoull(n, NULL, 10) : 32768;
	kp->r = r ? (uint32_t)strtoul(r, NULL, 10) : 8;
	kp->p = p ? (uint32_t)strtoul(p, NULL, 10) : 1;
}

static struct repo *repo_new(struct backend *be)
{
	struct repo *r = xcalloc(1, sizeof(*r));

	r->be = be;
	r->level = PACK_COMPRESS_AUTO;
	index_init(&r->idx);
	return r;
}

void repo_free(struct repo *r)
{
	if (r == NULL)
		return;
	index_release(&r->idx);
	memset(&r->master, 0, sizeof(r->master));
	free(r);
}

/* ---- unpacked files ---- */

static int zstd_decompress_stream(const uint8_t *p, size_t n, struct buf *out)
{
	ZSTD_DStream *z = ZSTD_createDStream();
	ZSTD_inBuffer in = { p, n, 0 };
	size_t ret = 1;
	int r = 0;

	while (r == 0) {
		ZSTD_outBuffer o;

		if ((r = buf_reserve(out, 64 * 1024)) < 0)
			break;
		o.dst = out->p + out->len;
		o.size = out->cap - out->len - 1;
		o.pos = 0;
		ret = ZSTD_decompressStream(z, &o, &in);
		if (ZSTD_isError(ret))
			r = RP_EFORMAT;
		out->len += o.pos;
		if (ret == 0 || (in.pos == in.size && o.pos < o.size))
			break;
	}
	if (r == 0 && (ret != 0 || in.pos != in.size))
		r = RP_EFORMAT; /* truncated frame, or bytes after it */
	if (out->p)
		out->p[out->len] = 0;
	ZSTD_freeDStream(z);
	return r;
}

int repo_decode_unpacked(struct repo *r, const uint8_t *p, size_t n,
			 struct buf *out)
{
	uint8_t *pt;
	size_t ptn;
	int rc;

	if (n < CRYPTO_OVERHEAD)
		return RP_ECORRUPT;
	ptn = n - CRYPTO_OVERHEAD;
	pt = xmalloc(ptn + 1);
	buf_reset(out);
	if (out->max == 0 || out->max > REPO_UNPACKED_MAX)
		out->max = REPO_UNPACKED_MAX; /* a caller may ask for less */
	if ((rc = crypto_open(&r->master, p, n, pt)) < 0)
		goto out;
	if (r->version < 2 || ptn == 0 || pt[0] == '{' || pt[0] == '[')
		rc = buf_add(out, pt, ptn);
	else if (pt[0] == 2)
		rc = zstd_decompress_stream(pt + 1, ptn - 1, out);
	else
		rc = RP_EFORMAT;
out:
	free(pt);
	return rc;
}

int repo_load_unpacked(struct repo *r, enum be_type t, const char *name,
		       struct buf *out)
{
	struct buf raw;
	uint8_t sum[32], want[32];
	int rc;

	/* caps per type, before reading: a lock or a snapshot is small; only
	 * an index grows with the repository */
	buf_init(&raw, t == BE_INDEX ? REPO_UNPACKED_MAX : (size_t)16 << 20);
	if ((rc = r->be->ops->get(r->be, t, name, 0, 0, &raw)) < 0)
		goto out;
	if (t != BE_CONFIG) {
		crypto_sha256(raw.p, raw.len, sum);
		rc = RP_ECORRUPT;
		if (hex_decode(name, strlen(name), want, 32) < 0 ||
		    memcmp(sum, want, 32) != 0)
			goto out;
	}
	/* and what it may decompress to (a zstd bomb stops at the cap) */
	out->max = t == BE_INDEX ? REPO_UNPACKED_MAX : (size_t)64 << 20;
	rc = repo_decode_unpacked(r, raw.p, raw.len, out);
out:
	buf_release(&raw);
	return rc;
}

int repo_save_unpacked(struct repo *r, enum be_type t, const uint8_t *json,
		       size_t n, uint8_t id[32])
{
	struct buf pt = BUF_INIT, enc = BUF_INIT;
	char name[65];
	size_t zn;
	int rc;

	if (r->version >= 2 && t != BE_CONFIG) {
		size_t bound = ZSTD_compressBound(n);

		if ((rc = buf_reserve(&pt, bound + 1)) < 0)
			goto out;
		pt.p[0] = 2;
		zn = ZSTD_compress(pt.p + 1, bound, json, n, PACK_COMPRESS_AUTO);
		if (ZSTD_isError(zn)) {
			rc = RP_EINTERNAL;
			goto out;
		}
		pt.len = zn + 1;
	} else if ((rc = buf_add(&pt, json, n)) < 0) {
		goto out;
	}
	if ((rc = buf_reserve(&enc, pt.len + CRYPTO_OVERHEAD)) < 0)
		goto out;
	if ((rc = crypto_seal(&r->master, pt.p, pt.len, enc.p)) < 0)
		goto out;
	enc.len = pt.len + CRYPTO_OVERHEAD;
	crypto_sha256(enc.p, enc.len, id);
	hex_encode(id, 32, name);
	rc = r->be->ops->put(r->be, t, t == BE_CONFIG ? "config" : name,
			     enc.p, enc.len);
out:
	buf_release(&pt);
	buf_release(&enc);
	return rc;
}

/* ---- config ---- */

static int config_encode(struct repo *r, struct buf *out)
{
	struct jsonw w;
	char pol[32];

	snprintf(pol, sizeof(pol), "%llx", (unsigned long long)r->pol);
	jsonw_init(&w, out);
	jsonw_obj_begin(&w);
	jsonw_key(&w, "version");
	jsonw_u64(&w, (uint64_t)r->version);
	jsonw_key(&w, "id");
	jsonw_hex(&w, r->id, 32);
	jsonw_key(&w, "chunker_polynomial");
	jsonw_str(&w, pol);
	jsonw_obj_end(&w);
	return jsonw_finish(&w);
}

static int config_decode(struct repo *r, const struct buf *json)
{
	yajl_val doc;
	uint64_t version;
	const char *pol;
	char *end;
	int rc;

	if (jsonr_parse(json->p, json->len, &doc, NULL, 0) < 0)
		return RP_EFORMAT;
	rc = RP_EFORMAT;
	if (jsonr_u64(jsonr_get(doc, "version"), &version) < 0 ||
	    (version != 1 && version != 2) ||
	    jsonr_hexid(jsonr_get(doc, "id"), r->id) < 0 ||
	    jsonr_str(jsonr_get(doc, "chunker_polynomial"), &pol) < 0)
		goto out;
	r->pol = strtoull(pol, &end, 16);
	if (*pol == 0 || *end != 0 || chunker_pol_deg(r->pol) != 53 ||
	    !chunker_pol_irreducible(r->pol))
		goto out;
	r->version = (int)version;
	chunker_tables_init(&r->tables, r->pol);
	rc = 0;
out:
	jsonr_free(doc);
	return rc;
}

/* the config is plain JSON, never an "unpacked" document, whatever the
 * version: decrypted as it is */
int repo_config_json(struct repo *r, struct buf *out)
{
	struct buf raw = BUF_INIT;
	int rc;

	raw.max = 1 << 20;
	if ((rc = r->be->ops->get(r->be, BE_CONFIG, "config", 0, 0, &raw)) < 0)
		goto out;
	rc = RP_ECORRUPT;
	if (raw.len < CRYPTO_OVERHEAD)
		goto out;
	buf_reset(out);
	if ((rc = buf_reserve(out, raw.len)) < 0)
		goto out;
	if ((rc = crypto_open(&r->master, raw.p, raw.len, out->p)) == 0) {
		out->len = raw.len - CRYPTO_OVERHEAD;
		out->p[out->len] = 0;
	}
out:
	buf_release(&raw);
	return rc;
}

/* ---- key files ---- */

static int master_encode(const struct crypto_key *k, struct buf *out)
{
	struct jsonw w;

	jsonw_init(&w, out);
	jsonw_obj_begin(&w);
	jsonw_key(&w, "mac");
	jsonw_obj_begin(&w);
	jsonw_key(&w, "k");
	jsonw_base64(&w, k->mac_k, 16);
	jsonw_key(&w, "r");
	jsonw_base64(&w, k->mac_r, 16);
	jsonw_obj_end(&w);
	jsonw_key(&w, "encrypt");
	jsonw_base64(&w, k->enc, 32);
	jsonw_obj_end(&w);
	return jsonw_finish(&w);
}

static int b64_field(yajl_val v, uint8_t *dst, size_t n)
{
	const char *s;
	struct buf b = BUF_INIT;
	int rc = RP_EFORMAT;

	b.max = 4096;
	if (jsonr_str(v, &s) == 0 && gostr_base64_decode(&b, s, strlen(s)) == 0
	    && b.len == n) {
		memcpy(dst, b.p, n);
		rc = 0;
	}
	buf_release(&b);
	return rc;
}

static int master_decode(const uint8_t *p, size_t n, struct crypto_key *k)
{
	yajl_val doc, mac;
	int rc = RP_EFORMAT;

	if (jsonr_parse(p, n, &doc, NULL, 0) < 0)
		return RP_EFORMAT;
	mac = jsonr_get(doc, "mac");
	if (b64_field(jsonr_get(mac, "k"), k->mac_k, 16) == 0 &&
	    b64_field(jsonr_get(mac, "r"), k->mac_r, 16) == 0 &&
	    b64_field(jsonr_get(doc, "encrypt"), k->enc, 32) == 0 &&
	    crypto_key_valid(k))
		rc = 0;
	jsonr_free(doc);
	return rc;
}

static void whoami(char *user, size_t ulen, char *host, size_t hlen)
{
	struct passwd *pw = getpwuid(getuid());

	snprintf(user, ulen, "%s", pw ? pw->pw_name : "");
	if (gethostname(host, hlen) < 0)
		host[0] = '\0';
	host[hlen - 1] = '\0';
}

static int key_encode(const struct crypto_key *master, const char *pw,
		      size_t pwlen, struct buf *out)
{
	struct kdf_params kp;
	struct crypto_key user;
	uint8_t salt[SALT_LEN];
	struct buf mk = BUF_INIT, enc = BUF_INIT, created = BUF_INIT;
	struct gotime now;
	char uname[256], host[256];
	struct jsonw w;
	int rc;

	repo_kdf_default(&kp);
	if ((rc = crypto_random(salt, sizeof(salt))) < 0 ||
	    (rc = crypto_kdf(pw, pwlen, salt, sizeof(salt), kp.N, kp.r, kp.p,
			     &user)) < 0 ||
	    (rc = master_encode(master, &mk)) < 0 ||
	    (rc = buf_reserve(&enc, mk.len + CRYPTO_OVERHEAD)) < 0 ||
	    (rc = crypto_seal(&user, mk.p, mk.len, enc.p)) < 0)
		goto out;
	enc.len = mk.len + CRYPTO_OVERHEAD;
	gostr_time_now(&now);
	gostr_time_format(&created, &now);
	whoami(uname, sizeof(uname), host, sizeof(host));
	jsonw_init(&w, out);
	jsonw_obj_begin(&w);
	jsonw_key(&w, "created");
	jsonw_str(&w, buf_cstr(&created));
	jsonw_key(&w, "username");
	jsonw_str(&w, uname);
	jsonw_key(&w, "hostname");
	jsonw_str(&w, host);
	jsonw_key(&w, "kdf");
	jsonw_str(&w, "scrypt");
	jsonw_key(&w, "N");
	jsonw_u64(&w, kp.N);
	jsonw_key(&w, "r");
	jsonw_u64(&w, kp.r);
	jsonw_key(&w, "p");
	jsonw_u64(&w, kp.p);
	jsonw_key(&w, "salt");
	jsonw_base64(&w, salt, sizeof(salt));
	jsonw_key(&w, "data");
	jsonw_base64(&w, enc.p, enc.len);
	jsonw_obj_end(&w);
	rc = jsonw_finish(&w);
out:
	memset(&user, 0, sizeof(user));
	if (mk.p)
		memset(mk.p, 0, mk.len);
	buf_release(&mk);
	buf_release(&enc);
	buf_release(&created);
	return rc;
}

static int key_store(struct repo *r, const char *pw, size_t pwlen,
		     char name[65])
{
	struct buf kf = BUF_INIT;
	uint8_t id[32];
	int rc;

	if ((rc = key_encode(&r->master, pw, pwlen, &kf)) < 0)
		goto out;
	crypto_sha256(kf.p, kf.len, id);
	hex_encode(id, 32, name);
	rc = r->be->ops->put(r->be, BE_KEY, name, kf.p, kf.len);
out:
	buf_release(&kf);
	return rc;
}

int repo_key_add(struct repo *r, const char *pw, size_t pwlen, char name[65])
{
	return key_store(r, pw, pwlen, name);
}

/* key_try: RP_ECORRUPT means "not this key" (wrong password). */
static int key_try(const uint8_t *p, size_t n, const char *pw, size_t pwlen,
		   struct crypto_key *master)
{
	yajl_val doc;
	struct crypto_key user;
	uint64_t N, kr, kp;
	const char *kdf;
	uint8_t salt[SALT_LEN];
	struct buf data = BUF_INIT, pt = BUF_INIT;
	int rc = RP_EFORMAT;

	if (jsonr_parse(p, n, &doc, NULL, 0) < 0)
		return RP_EFORMAT;
	data.max = 4096;
	if (jsonr_str(jsonr_get(doc, "kdf"), &kdf) < 0 ||
	    strcmp(kdf, "scrypt") != 0 ||
	    jsonr_u64(jsonr_get(doc, "N"), &N) < 0 ||
	    jsonr_u64(jsonr_get(doc, "r"), &kr) < 0 ||
	    jsonr_u64(jsonr_get(doc, "p"), &kp) < 0 || kr > UINT32_MAX ||
	    kp > UINT32_MAX ||
	    b64_field(jsonr_get(doc, "salt"), salt, SALT_LEN) < 0)
		goto out;
	{
		const char *d;

		if (jsonr_str(jsonr_get(doc, "data"), &d) < 0 ||
		    gostr_base64_decode(&data, d, strlen(d)) < 0 ||
		    data.len < CRYPTO_OVERHEAD)
			goto out;
	}
	if ((rc = crypto_kdf(pw, pwlen, salt, SALT_LEN, N, (uint32_t)kr,
			     (uint32_t)kp, &user)) < 0)
		goto out;
	if ((rc = buf_reserve(&pt, data.len)) < 0)
		goto out;
	if ((rc = crypto_open(&user, data.p, data.len, pt.p)) < 0)
		goto out;
	rc = master_decode(pt.p, data.len - CRYPTO_OVERHEAD, master);
out:
	memset(&user, 0, sizeof(user));
	if (pt.p)
		memset(pt.p, 0, pt.cap);
	buf_release(&pt);
	buf_release(&data);
	jsonr_free(doc);
	return rc;
}

static int open_key(struct repo *r, const char *pw, size_t pwlen)
{
	char **names = NULL;
	size_t n = 0, i;
	struct buf kf;
	int rc;

	if ((rc = repo_list(r, BE_KEY, &names, &n)) < 0)
		return rc;
	rc = RP_EAUTH;
	buf_init(&kf, KEYFILE_MAX);
	for (i = 0; i < n; i++) {
		buf_reset(&kf);
		if (r->be->ops->get(r->be, BE_KEY, names[i], 0, 0, &kf) < 0)
			continue;
		rc = key_try(kf.p, kf.len, pw, pwlen, &r->master);
		if (rc == RP_ECORRUPT) {
			rc = RP_EAUTH;
			continue;
		}
		if (rc == 0)
			snprintf(r->key_name, sizeof(r->key_name), "%s",
				 names[i]);
		else
			log_warn("key %.8s: invalid key file", names[i]);
		break;
	}
	buf_release(&kf);
	repo_names_free(names, n);
	return rc;
}

int repo_open(struct backend *be, const char *pw, size_t pwlen,
	      struct repo **out)
{
	struct repo *r = repo_new(be);
	struct buf cfg = BUF_INIT;
	uint64_t size;
	int rc;

	rc = be->ops->stat(be, BE_CONFIG, "config", &size);
	if (rc == RP_ENOTFOUND) {
		rc = RP_ENOREPO;
		goto out;
	}
	if (rc < 0 || (rc = open_key(r, pw, pwlen)) < 0)
		goto out;
	if ((rc = repo_load_unpacked(r, BE_CONFIG, "config", &cfg)) < 0)
		goto out;
	rc = config_decode(r, &cfg);
out:
	buf_release(&cfg);
	if (rc < 0)
		repo_free(r);
	else
		*out = r;
	return rc;
}

int repo_init(struct backend *be, const char *pw, size_t pwlen,
	      struct repo **out)
{
	struct repo *r = repo_new(be);
	struct buf cfg = BUF_INIT;
	uint8_t id[32];
	char name[65];
	int rc;

	r->version = 2;
	if ((rc = be->ops->create(be)) < 0 ||
	    (rc = crypto_random(&r->master, sizeof(r->master))) < 0 ||
	    (rc = crypto_random(r->id, sizeof(r->id))) < 0 ||
	    (rc = chunker_pol_random(&r->pol)) < 0)
		goto out;
	/* restic <= 0.16 stores mac.r clamped; do the same (§3.3) */
	r->master.mac_r[3] &= 0x0f, r->master.mac_r[7] &= 0x0f;
	r->master.mac_r[11] &= 0x0f, r->master.mac_r[15] &= 0x0f;
	r->master.mac_r[4] &= 0xfc, r->master.mac_r[8] &= 0xfc;
	r->master.mac_r[12] &= 0xfc;
	chunker_tables_init(&r->tables, r->pol);
	/* key first: a config without a key would be a dead repository */
	if ((rc = key_store(r, pw, pwlen, name)) < 0)
		goto out;
	snprintf(r->key_name, sizeof(r->key_name), "%s", name);
	if ((rc = config_encode(r, &cfg)) < 0)
		goto out;
	rc = repo_save_unpacked(r, BE_CONFIG, cfg.p, cfg.len, id);
out:
	buf_release(&cfg);
	if (rc < 0)
		repo_free(r);
	else
		*out = r;
	return rc;
}

/* ---- listing ---- */

struct name_list {
	char **v;
	size_t n, cap;
};

static int collect_name(const char *name, uint64_t size, void *arg)
{
	struct name_list *l = arg;

	(void)size;
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->v = xreallocarray(l->v, l->cap, sizeof(*l->v));
	}
	l->v[l->n++] = xstrdup(name);
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int repo_list(struct repo *r, enum be_type t, char ***names, size_t *n)
{
	struct name_list l = { NULL, 0, 0 };
	int rc = r->be->ops->list(r->be, t, collect_name, &l);

	if (rc < 0) {
		repo_names_free(l.v, l.n);
		return rc;
	}
	if (l.n)
		qsort(l.v, l.n, sizeof(*l.v), cmp_str);
	*names = l.v;
	*n = l.n;
	return 0;
}

void repo_names_free(char **names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

int repo_find(struct repo *r, enum be_type t, const char *prefix,
	      char name[65])
{
	char **names;
	size_t n, i, plen = strlen(prefix), hits = 0;
	int rc;

	if (plen == 0 || plen > 64)
		return RP_ENOTFOUND;
	if ((rc = repo_list(r, t, &names, &n)) < 0)
		return rc;
	for (i = 0; i < n; i++) {
		if (strncmp(names[i], prefix, plen) != 0)
			continue;
		if (hits++ == 0)
			snprintf(name, 65, "%s", names[i]);
	}
	repo_names_free(names, n);
	return hits == 1 ? 0 : hits == 0 ? RP_ENOTFOUND : RP_EINVAL;
}

/* ---- index and blobs ---- */

int repo_load_index(struct repo *r, size_t *bad)
{
	char **names;
	size_t n, i, nbad = 0;
	struct buf json = BUF_INIT;
	int rc;

	if ((rc = repo_list(r, BE_INDEX, &names, &n)) < 0)
		return rc;
	for (i = 0; i < n; i++) {
		rc = repo_load_unpacked(r, BE_INDEX, names[i], &json);
		if (rc == 0)
			rc = index_json_decode(json.p, json.len, &r->idx, NULL);
		if (rc < 0) {
			log_warn("index %.8s: %s", names[i],
				 i18n_tr(rp_strerror(rc)));
			nbad++;
		}
	}
	buf_release(&json);
	repo_names_free(names, n);
	if (bad)
		*bad = nbad;
	return 0;
}

int repo_read_blob(struct repo *r, struct blob_reader *br, enum blob_type t,
		   const uint8_t id[32], struct buf *out)
{
	struct pack_blob b;
	uint8_t packid[32];

	if (!index_lookup(&r->idx, id, t, &b, packid) || b.length == 0)
		return RP_ENOTFOUND;
	return repo_read_blob_at(r, br, packid, &b, out);
}

int repo_read_blob_at(struct repo *r, struct blob_reader *br,
		      const uint8_t packid[32], const struct pack_blob *bp,
		      struct buf *out)
{
	const struct backend_ops *ops = r->be->ops;
	struct pack_blob b = *bp;
	const uint8_t *id = bp->id;
	char name[65];
	int rc;

	hex_encode(packid, 32, name);
	if (br->zd == NULL)
		br->zd = ZSTD_createDCtx();
	br->enc.max = BLOB_MAX_SIZE;
	buf_reset(&br->enc);
	if (ops->reader_get)
		rc = ops->reader_get(r->be, &br->rd, BE_PACK, name, b.offset,
				     b.length, &br->enc);
	else
		rc = ops->get(r->be, BE_PACK, name, b.offset, b.length,
			      &br->enc);
	if (rc == RP_ETRUNC)
		rc = RP_ECORRUPT;
	if (rc == 0) {
		out->max = BLOB_MAX_SIZE;
		rc = blob_decode_inplace(&r->master, br->enc.p, br->enc.len,
					 b.ulen, id, br->zd, out);
	}
	return rc;
}

void blob_reader_release(struct repo *r, struct blob_reader *br)
{
	if (br->rd && r->be->ops->reader_free)
		r->be->ops->reader_free(br->rd);
	ZSTD_freeDCtx(br->zd);
	buf_release(&br->enc);
	memset(br, 0, sizeof(*br));
}

int repo_load_blob(struct repo *r, enum blob_type t, const uint8_t id[32],
		   struct buf *out)
{
	struct blob_reader br;
	int rc;

	memset(&br, 0, sizeof(br));
	rc = repo_read_blob(r, &br, t, id, out);
	blob_reader_release(r, &br);
	return rc;
}

int repo_load_tree(struct repo *r, const uint8_t id[32], struct tree *t)
{
	struct buf b = BUF_INIT;
	int rc = repo_load_blob(r, BLOB_TREE, id, &b);

	if (rc == 0)
		rc = tree_decode(b.p, b.len, t);
	buf_release(&b);
	return rc;
}

/* ---- key management ---- */

static void key_info_fill(struct repo_key_info *k, yajl_val doc)
{
	const char *s;
	uint64_t v;

	k->username = xstrdup(jsonr_str(jsonr_get(doc, "username"), &s) ? "" : s);
	k->hostname = xstrdup(jsonr_str(jsonr_get(doc, "hostname"), &s) ? "" : s);
	k->created = xstrdup(jsonr_str(jsonr_get(doc, "created"), &s) ? "" : s);
	k->N = jsonr_u64(jsonr_get(doc, "N"), &v) ? 0 : v;
	k->r = jsonr_u64(jsonr_get(doc, "r"), &v) ? 0 : (uint32_t)v;
	k->p = jsonr_u64(jsonr_get(doc, "p"), &v) ? 0 : (uint32_t)v;
}

int repo_key_list(struct repo *r, struct repo_key_info **keys, size_t *n)
{
	char **names;
	size_t nn, i;
	struct buf kf;
	struct repo_key_info *v;
	int rc;

	if ((rc = repo_list(r, BE_KEY, &names, &nn)) < 0)
		return rc;
	v = xcalloc(nn + 1, sizeof(*v));
	buf_init(&kf, KEYFILE_MAX);
	for (i = 0; i < nn; i++) {
		yajl_val doc = NULL;

		snprintf(v[i].name, sizeof(v[i].name), "%s", names[i]);
		v[i].current = strcmp(names[i], r->key_name) == 0;
		buf_reset(&kf);
		if (r->be->ops->get(r->be, BE_KEY, names[i], 0, 0, &kf) == 0)
			jsonr_parse(kf.p, kf.len, &doc, NULL, 0);
		key_info_fill(&v[i], doc);
		jsonr_free(doc);
	}
	buf_release(&kf);
	repo_names_free(names, nn);
	*keys = v;
	*n = nn;
	return 0;
}

void repo_key_list_free(struct repo_key_info *keys, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(keys[i].username);
		free(keys[i].hostname);
		free(keys[i].created);
	}
	free(keys);
}

int repo_key_remove(struct repo *r, const char *name)
{
	if (strcmp(name, r->key_name) == 0)
		return RP_EINVAL;
	return r->be->ops->remove(r->be, BE_KEY, name);
}
