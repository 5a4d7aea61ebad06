/*
 * pack: blobs, and the pack files that hold them (RESTIC_FORMAT.md §7, §8).
 *
 * A pack file is
 *
 *     EncBlob_1 || ... || EncBlob_n || EncHeader || HeaderLength (u32 LE)
 *
 * with no padding and no magic.  Each EncBlob is IV || ciphertext || MAC of
 * the blob's plaintext, or of its zstd frame for compressed blobs.  The
 * header plaintext is one entry per blob, in file order:
 *
 *     type 0/1 (data/tree):            type(1) length(4) id(32)          37 B
 *     type 2/3 (compressed data/tree): type(1) length(4) ulen(4) id(32)  41 B
 *
 * length counts the encrypted blob (IV and MAC included); ulen is the
 * plaintext length; id is SHA-256 of the plaintext.  Offsets are implicit:
 * blob i starts at the sum of the lengths before it.  HeaderLength is
 * len(EncHeader) = header plaintext + 32.  The pack's name is SHA-256 of all
 * its bytes.  A pack holds blobs of one kind only (data or tree).
 *
 * Reader algorithm (pack_parse_header): read the trailing u32; reject 0,
 * < 32+37, > 16 MiB or > size - 4; decrypt the header; walk the entries
 * with a cursor reader, accumulating offsets; every blob must end before
 * the header starts.
 */
#ifndef RP_PACK_H
#define RP_PACK_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/crypto.h"
#include "util/buf.h"

enum blob_type { BLOB_DATA = 0, BLOB_TREE = 1 };

#define PACK_ENTRY_PLAIN 37
#define PACK_ENTRY_COMPRESSED 41
#define PACK_HEADER_MAX (16u * 1024 * 1024)
#define PACK_TARGET_SIZE (16u * 1024 * 1024)
/* A blob larger than this is refused when read (trees of huge directories
 * stay well below; data blobs are at most 8 MiB). */
#define BLOB_MAX_SIZE ((size_t)512 * 1024 * 1024)

/* One blob as the pack header (and the index) describe it. */
struct pack_blob {
	uint8_t id[32];
	uint8_t type;     /* enum blob_type */
	uint32_t offset;
	uint32_t length;  /* encrypted length */
	uint32_t ulen;    /* plaintext length if compressed, else 0 */
};

/* Compression levels: 0 stores data blobs uncompressed (trees are always
 * compressed in version 2).  auto = 3, max = 19 (restic: ~zstd 3 / ~11). */
enum { PACK_COMPRESS_OFF = 0, PACK_COMPRESS_AUTO = 3, PACK_COMPRESS_MAX = 19 };

/*
 * blob_encode: encrypts (and maybe compresses) plaintext p[0..n) of a blob
 * into out (appended).  version 1 never compresses.  For data blobs whose
 * zstd frame is not smaller than the plaintext, the plaintext is stored as
 * type 0, which saves restore time on incompressible data (allowed by the
 * format, accepted by restic).  *ulen is set to n for compressed blobs, else
 * 0.  zctx is a per-thread ZSTD_CCtx (may be NULL: one is made and freed).
 */
int blob_encode(const struct crypto_key *k, int version, int level,
		enum blob_type t, const uint8_t *p, size_t n, void *zctx,
		struct buf *out, uint32_t *ulen);

/* BLOB_ROOM_BEFORE, BLOB_ROOM_AFTER: the spare bytes around a data blob
 * that blob_encode_inplace may seal it into. */
#define BLOB_ROOM_BEFORE CRYPTO_IV_LEN
#define BLOB_ROOM_AFTER CRYPTO_MAC_LEN

/*
 * blob_encode_inplace: blob_encode for a data blob p[0..n) that has
 * BLOB_ROOM_BEFORE writable bytes before it and BLOB_ROOM_AFTER after it.
 * A compressed blob goes to out (reset first); one stored as it is is
 * sealed where it lies, over p, with no copy (an incompressible 8 MiB
 * chunk needs no second 8 MiB buffer).  *enc and *enc_len give the
 * result: in out, or p - BLOB_ROOM_BEFORE.
 */
int blob_encode_inplace(const struct crypto_key *k, int version, int level,
			uint8_t *p, size_t n, void *zctx, struct buf *out,
			const uint8_t **enc, size_t *enc_len, uint32_t *ulen);

/* blob_decode: decrypts enc[0..n), decompresses to exactly ulen bytes when
 * ulen != 0, checks SHA-256 against id.  out is replaced.  0, RP_ECORRUPT
 * (MAC, size or hash mismatch), RP_EFORMAT (bad zstd frame), RP_ENOMEM. */
int blob_decode(const struct crypto_key *k, const uint8_t *enc, size_t n,
		uint32_t ulen, const uint8_t id[32], void *zdctx,
		struct buf *out);
/* blob_decode_inplace: the same, but a compressed blob is decrypted where
 * it lies (enc is clobbered): no buffer per blob on the restore path. */
int blob_decode_inplace(const struct crypto_key *k, uint8_t *enc, size_t n,
			uint32_t ulen, const uint8_t id[32], void *zdctx,
			struct buf *out);

/*
 * pack_writer: lays encrypted blobs of one type out as one pack.
 *
 * The bytes go either to a sink (a backend stream: nothing of the pack
 * stays in memory but its header) or, with no sink, into w->data.  The pack
 * is hashed as it is written, so finishing it needs no second pass.
 */
typedef int (*pack_sink_fn)(void *arg, const uint8_t *p, size_t n);

struct pack_writer {
	struct buf data;    /* the pack's bytes, when there is no sink */
	struct buf header;  /* plaintext header entries */
	struct pack_blob *blobs;
	size_t nblobs, cap;
	uint64_t size;      /* bytes written so far */
	struct crypto_sha256_ctx *hash;
	pack_sink_fn sink;
	void *sink_arg;
	enum blob_type type;
};

void pack_writer_init(struct pack_writer *w, enum blob_type t);
void pack_writer_release(struct pack_writer *w);
/* pack_writer_set_sink: where the next pack's bytes go (NULL: memory).
 * Only while the writer is empty. */
void pack_writer_set_sink(struct pack_writer *w, pack_sink_fn fn, void *arg);
/* pack_writer_add: appends one encoded blob (from blob_encode). */
int pack_writer_add(struct pack_writer *w, const uint8_t id[32],
		    const uint8_t *enc, size_t len, uint32_t ulen);
/* pack_writer_finish: writes the encrypted header and the trailer and
 * computes the pack id (w->size is then the pack's size). */
int pack_writer_finish(struct pack_writer *w, const struct crypto_key *k,
		       uint8_t id[32]);
/* pack_writer_reset: empty again (no sink), memory kept. */
void pack_writer_reset(struct pack_writer *w);

/* pack_header_decode: parses the decrypted header plaintext p[0..n) into a
 * new array *out of *count blobs with offsets.  version 1 refuses types 2
 * and 3.  0 or RP_EFORMAT. */
int pack_header_decode(const uint8_t *p, size_t n, int version,
		       struct pack_blob **out, size_t *count);

/* pack_trailer_check: validates the header length from the trailer of a
 * pack of the given size; sets *hlen.  0 or RP_EFORMAT. */
int pack_trailer_check(const uint8_t trailer[4], uint64_t pack_size,
		       uint32_t *hlen);

/* blob_type_name: "data" or "tree". */
const char *blob_type_name(enum blob_type t);

#endif
