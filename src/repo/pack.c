#include "repo/pack.h"

#include <stdlib.h>
#include <string.h>
#include <zstd.h>

#include "util/err.h"
#include "util/rd.h"
#include "util/xmalloc.h"

const char *blob_type_name(enum blob_type t)
{
	return t == BLOB_TREE ? "tree" : "data";
}

/* restic writes zstd frames with a 512 KiB window (windowLog 19); we do the
 * same so that any reader with restic's limits decodes our frames. */
static size_t compress_into(ZSTD_CCtx *z, int level, const uint8_t *p,
			    size_t n, uint8_t *dst, size_t cap)
{
	ZSTD_CCtx_reset(z, ZSTD_reset_session_and_parameters);
	ZSTD_CCtx_setParameter(z, ZSTD_c_compressionLevel, level);
	ZSTD_CCtx_setParameter(z, ZSTD_c_windowLog, 19);
	ZSTD_CCtx_setParameter(z, ZSTD_c_checksumFlag, 0);
	return ZSTD_compress2(z, dst, cap, p, n);
}

static int seal_append(const struct crypto_key *k, const uint8_t *p,
		       size_t n, struct buf *out)
{
	int r = buf_reserve(out, n + CRYPTO_OVERHEAD);

	if (r < 0)
		return r;
	r = crypto_seal(k, p, n, out->p + out->len);
	if (r == 0)
		out->len += n + CRYPTO_OVERHEAD;
	return r;
}

#define PROBE_SIZE (16u * 1024)

/* looks_incompressible: compresses two 16 KiB probes (start and middle)
 * at the fastest level; if neither shrinks by 3%, compressing the whole
 * blob would only burn CPU (random data, media, archives).  restic
 * compresses everything; storing such blobs uncompressed is allowed by
 * the format and makes no measurable size difference. */
static int looks_incompressible(ZSTD_CCtx *z, const uint8_t *p, size_t n,
				uint8_t *scratch, size_t cap)
{
	size_t at[2] = { 0, n / 2 }, i;

	if (n < 4 * PROBE_SIZE)
		return 0;
	for (i = 0; i < 2; i++) {
		size_t zn = compress_into(z, 1, p + at[i], PROBE_SIZE, scratch,
					  cap);

		if (ZSTD_isError(zn) || zn < PROBE_SIZE - PROBE_SIZE / 32)
			return 0;
	}
	return 1;
}

/* seal_compressed: compresses p into out (after room for the IV) and
 * encrypts it in place; no second buffer.  *zn is 0 when the frame would
 * not be smaller than p (the caller stores p as it is then). */
static int seal_compressed(const struct crypto_key *k, ZSTD_CCtx *z,
			   int level, int must, const uint8_t *p, size_t n,
			   struct buf *out, size_t *zn)
{
	size_t bound = ZSTD_compressBound(n);
	uint8_t *dst;
	int r;

	if ((r = buf_reserve(out, bound + CRYPTO_OVERHEAD)) < 0)
		return r;
	dst = out->p + out->len + CRYPTO_IV_LEN;
	if (!must && looks_incompressible(z, p, n, dst, bound)) {
		*zn = 0;
		return 0;
	}
	*zn = compress_into(z, level, p, n, dst, bound);
	if (ZSTD_isError(*zn))
		return RP_EINTERNAL;
	if (!must && *zn >= n) {
		*zn = 0;
		return 0;
	}
	if ((r = crypto_seal(k, dst, *zn, out->p + out->len)) < 0)
		return r;
	out->len += *zn + CRYPTO_OVERHEAD;
	return 0;
}

int blob_encode(const struct crypto_key *k, int version, int level,
		enum blob_type t, const uint8_t *p, size_t n, void *zctx,
		struct buf *out, uint32_t *ulen)
{
	ZSTD_CCtx *z = zctx, *own = NULL;
	size_t zn = 0;
	int r;

	*ulen = 0;
	if (n > UINT32_MAX - CRYPTO_OVERHEAD)
		return RP_ENOMEM;
	if (version < 2 || n == 0 || (t == BLOB_DATA && level == 0))
		return seal_append(k, p, n, out);
	if (z == NULL)
		z = own = ZSTD_createCCtx();
	r = seal_compressed(k, z, level ? level : PACK_COMPRESS_AUTO,
			    t == BLOB_TREE, p, n, out, &zn);
	ZSTD_freeCCtx(own);
	if (r < 0)
		return r;
	if (zn == 0) /* incompressible data: stored as it is */
		return seal_append(k, p, n, out);
	*ulen = (uint32_t)n;
	return 0;
}

int blob_encode_inplace(const struct crypto_key *k, int version, int level,
			uint8_t *p, size_t n, void *zctx, struct buf *out,
			const uint8_t **enc, size_t *enc_len, uint32_t *ulen)
{
	ZSTD_CCtx *z = zctx, *own = NULL;
	size_t zn = 0;
	int r = 0;

	*ulen = 0;
	buf_reset(out);
	if (n > UINT32_MAX - CRYPTO_OVERHEAD)
		return RP_ENOMEM;
	if (version >= 2 && n > 0 && level != 0) {
		if (z == NULL)
			z = own = ZSTD_createCCtx();
		r = seal_compressed(k, z, level, 0, p, n, out, &zn);
		ZSTD_freeCCtx(own);
		if (r < 0)
			return r;
	}
	if (zn > 0) {
		*enc = out->p;
		*enc_len = out->len;
		*ulen = (uint32_t)n;
		return 0;
	}
	if ((r = crypto_seal(k, p, n, p - BLOB_ROOM_BEFORE)) < 0)
		return r;
	*enc = p - BLOB_ROOM_BEFORE;
	*enc_len = n + CRYPTO_OVERHEAD;
	return 0;
}

/* decode: blob_decode; with room set (== enc), a compressed blob is
 * decrypted where it lies instead of into a fresh buffer. */
static int decode(const struct crypto_key *k, const uint8_t *enc, size_t n,
		  uint32_t ulen, const uint8_t id[32], void *zdctx,
		  struct buf *out, uint8_t *room)
{
	ZSTD_DCtx *z = zdctx, *own = NULL;
	uint8_t *pt = NULL, *mine = NULL, sum[32];
	size_t ptn, dn;
	int r;

	if (n < CRYPTO_OVERHEAD)
		return RP_ECORRUPT;
	if (n > BLOB_MAX_SIZE || ulen > BLOB_MAX_SIZE)
		return RP_ENOMEM;
	ptn = n - CRYPTO_OVERHEAD;
	buf_reset(out);
	if (ulen == 0) {
		if ((r = buf_reserve(out, ptn)) < 0)
			return r;
		if ((r = crypto_open(k, enc, n, out->p)) < 0)
			return r;
		out->len = ptn;
		goto verify;
	}
	pt = room ? room + CRYPTO_IV_LEN : (mine = xmalloc(ptn ? ptn : 1));
	if ((r = crypto_open(k, enc, n, pt)) < 0)
		goto out;
	if ((r = buf_reserve(out, ulen)) < 0)
		goto out;
	if (z == NULL)
		z = own = ZSTD_createDCtx();
	dn = ZSTD_decompressDCtx(z, out->p, ulen, pt, ptn);
	r = RP_ECORRUPT;
	if (ZSTD_isError(dn) || dn != ulen)
		goto out;
	out->len = ulen;
verify:
	crypto_sha256(out->p, out->len, sum);
	r = memcmp(sum, id, 32) == 0 ? 0 : RP_ECORRUPT;
out:
	free(mine);
	ZSTD_freeDCtx(own);
	return r;
}

int blob_decode(const struct crypto_key *k, const uint8_t *enc, size_t n,
		uint32_t ulen, const uint8_t id[32], void *zdctx,
		struct buf *out)
{
	return decode(k, enc, n, ulen, id, zdctx, out, NULL);
}

int blob_decode_inplace(const struct crypto_key *k, uint8_t *enc, size_t n,
			uint32_t ulen, const uint8_t id[32], void *zdctx,
			struct buf *out)
{
	return decode(k, enc, n, ulen, id, zdctx, out, enc);
}

void pack_writer_init(struct pack_writer *w, enum blob_type t)
{
	memset(w, 0, sizeof(*w));
	buf_init(&w->data, (size_t)1 << 31);
	buf_init(&w->header, PACK_HEADER_MAX);
	w->type = t;
	w->hash = crypto_sha256_new();
}

void pack_writer_release(struct pack_writer *w)
{
	uint8_t sum[32];

	buf_release(&w->data);
	buf_release(&w->header);
	free(w->blobs);
	if (w->hash)
		crypto_sha256_final(w->hash, sum);
	memset(w, 0, sizeof(*w));
}

void pack_writer_reset(struct pack_writer *w)
{
	uint8_t sum[32];

	buf_reset(&w->data);
	buf_reset(&w->header);
	w->nblobs = 0;
	w->size = 0;
	w->sink = NULL;
	w->sink_arg = NULL;
	if (w->hash)
		crypto_sha256_final(w->hash, sum);
	w->hash = crypto_sha256_new();
}

void pack_writer_set_sink(struct pack_writer *w, pack_sink_fn fn, void *arg)
{
	w->sink = fn;
	w->sink_arg = arg;
}

static int emit(struct pack_writer *w, const uint8_t *p, size_t n)
{
	int r;

	r = w->sink ? w->sink(w->sink_arg, p, n) : buf_add(&w->data, p, n);
	if (r < 0)
		return r;
	crypto_sha256_update(w->hash, p, n);
	w->size += n;
	return 0;
}

int pack_writer_add(struct pack_writer *w, const uint8_t id[32],
		    const uint8_t *enc, size_t len, uint32_t ulen)
{
	struct pack_blob *b;
	uint8_t type = (uint8_t)(w->type + (ulen ? 2 : 0));
	int r;

	if (w->size + len > UINT32_MAX)
		return RP_ENOMEM;
	if ((r = buf_addc(&w->header, type)) < 0 ||
	    (r = buf_add_u32le(&w->header, (uint32_t)len)) < 0 ||
	    (ulen && (r = buf_add_u32le(&w->header, ulen)) < 0) ||
	    (r = buf_add(&w->header, id, 32)) < 0)
		return r;
	if (w->nblobs == w->cap) {
		w->cap = w->cap ? w->cap * 2 : 64;
		w->blobs = xreallocarray(w->blobs, w->cap, sizeof(*w->blobs));
	}
	b = &w->blobs[w->nblobs++];
	memcpy(b->id, id, 32);
	b->type = (uint8_t)w->type;
	b->offset = (uint32_t)w->size;
	b->length = (uint32_t)len;
	b->ulen = ulen;
	return emit(w, enc, len);
}

int pack_writer_finish(struct pack_writer *w, const struct crypto_key *k,
		       uint8_t id[32])
{
	struct buf tail = BUF_INIT;
	size_t hlen = w->header.len + CRYPTO_OVERHEAD;
	int r;

	if (w->nblobs == 0)
		return RP_EINTERNAL; /* an empty header is never written */
	if ((r = seal_append(k, w->header.p, w->header.len, &tail)) == 0 &&
	    (r = buf_add_u32le(&tail, (uint32_t)hlen)) == 0)
		r = emit(w, tail.p, tail.len);
	buf_release(&tail);
	if (r < 0)
		return r;
	crypto_sha256_final(w->hash, id);
	w->hash = crypto_sha256_new();
	return 0;
}

int pack_trailer_check(const uint8_t trailer[4], uint64_t pack_size,
		       uint32_t *hlen)
{
	uint32_t h = le32_get(trailer);

	if (pack_size < 4 || h < CRYPTO_OVERHEAD + PACK_ENTRY_PLAIN ||
	    h > PACK_HEADER_MAX || h > pack_size - 4)
		return RP_EFORMAT;
	*hlen = h;
	return 0;
}

static int header_entry(struct rd *rd, int version, struct pack_blob *b)
{
	uint8_t type;
	uint32_t ulen = 0;
	int r;

	if ((r = rd_u8(rd, &type)) < 0 || (r = rd_u32le(rd, &b->length)) < 0)
		return RP_EFORMAT;
	if (type > 3 || (type >= 2 && version < 2))
		return RP_EFORMAT;
	if (type >= 2 && rd_u32le(rd, &ulen) < 0)
		return RP_EFORMAT;
	if (rd_copy(rd, b->id, 32) < 0)
		return RP_EFORMAT;
	b->type = type & 1;
	b->ulen = ulen;
	if (b->length < CRYPTO_OVERHEAD || (type >= 2 && ulen == 0))
		return RP_EFORMAT;
	return 0;
}

int pack_header_decode(const uint8_t *p, size_t n, int version,
		       struct pack_blob **out, size_t *count)
{
	struct rd rd;
	struct pack_blob *v;
	size_t cap = n / PACK_ENTRY_PLAIN + 1, i = 0;
	uint64_t off = 0;
	int r = 0;

	v = xcalloc(cap, sizeof(*v));
	rd_init(&rd, p, n);
	while (rd.left > 0 && i < cap) {
		if ((r = header_entry(&rd, version, &v[i])) < 0)
			break;
		if (off + v[i].length > UINT32_MAX) {
			r = RP_EFORMAT;
			break;
		}
		v[i].offset = (uint32_t)off;
		off += v[i++].length;
	}
	if (r == 0 && (i == 0 || rd.left > 0))
		r = RP_EFORMAT;
	if (r < 0) {
		free(v);
		return r;
	}
	*out = v;
	*count = i;
	return 0;
}
