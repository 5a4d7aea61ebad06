/*
 * repo: an open restic-format repository (RESTIC_FORMAT.md §2-§6).
 *
 * Opening reads the key files one by one until one opens with the
 * password (a MAC failure moves on to the next; any other error stops),
 * then decrypts the config: version 1 or 2, the repository id and the
 * chunker polynomial, which must be irreducible.
 *
 * "Unpacked" files (index, snapshot, lock) are one encrypted object whose
 * plaintext is, in version 2, 0x02 || zstd(JSON) (or legacy raw JSON when
 * the first byte is '{' or '['); their name is SHA-256 of the stored bytes,
 * which repo_load_unpacked verifies.  The config is plain JSON, encrypted,
 * under the fixed name "config".
 *
 *   repo_open(be, pw, pwlen, &repo)  ->  repo_load_index(repo)  ->
 *   repo_load_blob(...) / repo_save_unpacked(...)  ->  repo_free(repo)
 */
#ifndef RP_REPO_H
#define RP_REPO_H

#include <stddef.h>
#include <stdint.h>

#include "backend/backend.h"
#include "chunker/chunker.h"
#include "crypto/crypto.h"
#include "repo/index.h"
#include "util/buf.h"

/* Unpacked files larger than this are refused before allocating. */
#define REPO_UNPACKED_MAX ((size_t)1 << 30)

struct repo {
	struct backend *be;       /* borrowed */
	struct crypto_key master;
	int version;
	uint8_t id[32];
	uint64_t pol;
	struct chunker_tables tables;
	struct index idx;
	char key_name[65];        /* the key file that opened it */
	int level;                /* zstd level for data: 0 = off */
};

/* Parameters for new key files.  N=32768, r=8, p=1 by default (restic's
 * calibrated result on this class of machine; stored in the file, so any
 * restic reads it).  REPRISE_KDF_N/R/P override, for tests. */
struct kdf_params {
	uint64_t N;
	uint32_t r, p;
};
void repo_kdf_default(struct kdf_params *kp);

/* repo_init: creates a new version-2 repository with one key.  RP_EEXIST if
 * a config exists.  *out is open and owned by the caller. */
int repo_init(struct backend *be, const char *pw, size_t pwlen,
	      struct repo **out);
/* repo_open: RP_ENOREPO (no config), RP_EAUTH (no key opens), RP_EFORMAT,
 * RP_ECORRUPT (the config's MAC fails with a key that opened). */
int repo_open(struct backend *be, const char *pw, size_t pwlen,
	      struct repo **out);
void repo_free(struct repo *r);

/* repo_load_index: reads every index file into r->idx.  Damaged index
 * files are reported through log_warn and counted in *bad (may be NULL);
 * the others are still loaded. */
int repo_load_index(struct repo *r, size_t *bad);

/* repo_save_unpacked: encrypts (and in v2 compresses) json[0..n) as a file
 * of type t; *id gets its name.  The file is written atomically. */
int repo_save_unpacked(struct repo *r, enum be_type t, const uint8_t *json,
		       size_t n, uint8_t id[32]);
/* repo_load_unpacked: the JSON of (t, name), verified (name = hash,
 * MAC, encoding byte).  out is replaced.  RP_ENOTFOUND, RP_ECORRUPT
 * (hash or MAC), RP_EFORMAT. */
int repo_load_unpacked(struct repo *r, enum be_type t, const char *name,
		       struct buf *out);
/* repo_decode_unpacked: the same from bytes already read. */
int repo_decode_unpacked(struct repo *r, const uint8_t *p, size_t n,
			 struct buf *out);

struct tree;

/* repo_load_tree: tree blob id, loaded, verified and decoded into t (which
 * must be empty: tree_init).  The errors of repo_load_blob, or
 * RP_EFORMAT. */
int repo_load_tree(struct repo *r, const uint8_t id[32], struct tree *t);

/* repo_load_blob: the plaintext of a blob, found through the index and
 * verified.  out is replaced.  RP_ENOTFOUND (not in the index),
 * RP_ECORRUPT, RP_EIO. */
int repo_load_blob(struct repo *r, enum blob_type t, const uint8_t id[32],
		   struct buf *out);

/* A blob_reader keeps, for one thread, what loading many blobs reuses: the
 * open pack file and the zstd decoder.  Zero-initialise, then
 * blob_reader_release. */
struct blob_reader {
	struct be_reader *rd;
	void *zd;           /* ZSTD_DCtx */
	struct buf enc;
};
void blob_reader_release(struct repo *r, struct blob_reader *br);
int repo_read_blob(struct repo *r, struct blob_reader *br, enum blob_type t,
		   const uint8_t id[32], struct buf *out);
/* repo_read_blob_at: the same from a known location (b->id is the ID). */
int repo_read_blob_at(struct repo *r, struct blob_reader *br,
		      const uint8_t packid[32], const struct pack_blob *b,
		      struct buf *out);

/* repo_find: resolves a unique prefix of a file name of type t into
 * name[65].  RP_ENOTFOUND, RP_EINVAL (ambiguous). */
int repo_find(struct repo *r, enum be_type t, const char *prefix,
	      char name[65]);

/* repo_list: the names of all files of type t, sorted; *names is a new
 * array of new strings (free each and the array). */
int repo_list(struct repo *r, enum be_type t, char ***names, size_t *n);
void repo_names_free(char **names, size_t n);

/* Key files (§4). */
struct repo_key_info {
	char name[65];
	char *username, *hostname, *created;
	uint64_t N;
	uint32_t r, p;
	int current;
};
/* repo_key_add: a new key file for the same master key, with a password.
 * name[65] receives its name. */
int repo_key_add(struct repo *r, const char *pw, size_t pwlen, char name[65]);
int repo_key_list(struct repo *r, struct repo_key_info **keys, size_t *n);
void repo_key_list_free(struct repo_key_info *keys, size_t n);
/* repo_key_remove: refuses (RP_EINVAL) to remove the key in use. */
int repo_key_remove(struct repo *r, const char *name);

/* repo_config_json: the decrypted config document (for `cat config`). */
int repo_config_json(struct repo *r, struct buf *out);

#endif
