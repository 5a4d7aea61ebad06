/*
 * fuzz: what the libFuzzer targets of fuzz/fuzz_*.c share.
 *
 * Each fuzz_<target>.c defines LLVMFuzzerTestOneInput and is linked either
 * with libFuzzer (`make fuzz`, clang -fsanitize=fuzzer) or with driver.c,
 * whose plain main() replays corpus files through it (`make check`).
 * fuzz_common.c, linked into both, holds the fixtures:
 *
 *   - fixed test keys: the master key is the one of RESTIC_FORMAT.md §3.4;
 *     encrypted inputs are made by sealing the fuzz bytes with it (fixed
 *     IV), so the fuzzer reaches the parsers behind the MAC;
 *   - a key file that opens that master key with the password "fuzz"
 *     (scrypt N=2, r=1, p=1, so repo_open costs nothing);
 *   - an in-memory backend (repo_open, lock and key code read files only
 *     through struct backend);
 *   - FUZZ_CHECK, an assertion that aborts, so a broken invariant is a
 *     crash for libFuzzer and a failing exit for the replay driver.
 *
 * Nothing here is thread-safe; every target is single-threaded.
 */
#ifndef RP_FUZZ_H
#define RP_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "backend/backend.h"
#include "crypto/crypto.h"
#include "repo/repo.h"
#include "util/buf.h"

/* The entry point every target defines (libFuzzer's contract: never fails,
 * returns 0). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_PASSWORD "fuzz"

/* FUZZ_CHECK: aborts with the failed condition when c is false. */
#define FUZZ_CHECK(c) \
	((c) ? (void)0 : fuzz_fail(__FILE__, __LINE__, #c))
void fuzz_fail(const char *file, int line, const char *what)
	__attribute__((noreturn));

/* fuzz_init: silences the library's log and builds the fixtures; cheap
 * after the first call.  Every target calls it first. */
void fuzz_init(void);

/* fuzz_master: the fixed master key. */
const struct crypto_key *fuzz_master(void);

/* fuzz_seal: out is replaced by IV || ct || MAC of p[0..n) under the
 * master key, with a fixed IV. */
void fuzz_seal(const uint8_t *p, size_t n, struct buf *out);

/* fuzz_keyfile: the valid key file (borrowed, *n bytes). */
const uint8_t *fuzz_keyfile(size_t *n);
/* fuzz_config_plain: the config JSON of the fixture repository (version 2,
 * an irreducible polynomial), borrowed. */
const char *fuzz_config_plain(void);

/* The in-memory backend: at most FUZZ_MEM_FILES files, copies of what is
 * put.  fuzz_mem_put names an unpacked file after its SHA-256 when name is
 * NULL (and writes that name to out_name[65] if it is not NULL). */
#define FUZZ_MEM_FILES 16
struct backend *fuzz_mem_new(void);
void fuzz_mem_free(struct backend *be);
void fuzz_mem_clear(struct backend *be);
int fuzz_mem_put(struct backend *be, enum be_type t, const char *name,
		 const uint8_t *p, size_t n, char *out_name);

/* fuzz_repo_init: a struct repo with the master key, as repo_open would
 * leave it (version 1 or 2, the fixture's polynomial), on backend be
 * (may be NULL).  Release with fuzz_repo_release. */
void fuzz_repo_init(struct repo *r, int version, struct backend *be);
void fuzz_repo_release(struct repo *r);

#endif
