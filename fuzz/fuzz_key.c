/*
 * fuzz_key: the key file parser (repo.c's static key_try, master_decode
 * and b64_field), reached through repo_open on an in-memory repository
 * whose only key file is the input and whose config is valid; then
 * repo_key_list (key_info_fill) over the same file.
 *
 * Input: a key file (RESTIC_FORMAT.md §4), plain JSON.
 * The scrypt parameters come from the input, and scrypt is meant to be
 * slow: an input whose parameters crypto_kdf would accept but whose cost
 * N*r*p exceeds KDF_BUDGET skips repo_open (see the report on unbounded
 * KDF work); parameters crypto_kdf refuses are still tried.
 * Checked: a repository that opens has the fixture's master key.
 */
#include "fuzz.h"

#include <string.h>

#include "repo/repo.h"
#include "util/jsonr.h"

#define KDF_BUDGET 4096u
#define KDF_MAXMEM ((uint64_t)1 << 30) /* crypto.c's CRYPTO_KDF_MAXMEM */

/* kdf_too_slow: 1 when crypto_kdf would run scrypt with this document's
 * N, r, p at a cost over KDF_BUDGET (mirrors crypto.c's kdf_check). */
static int kdf_too_slow(const uint8_t *p, size_t n)
{
	yajl_val doc;
	uint64_t N, r, pp;
	int slow = 0;

	if (jsonr_parse(p, n, &doc, NULL, 0) < 0)
		return 0;
	if (jsonr_u64(jsonr_get(doc, "N"), &N) < 0 ||
	    jsonr_u64(jsonr_get(doc, "r"), &r) < 0 ||
	    jsonr_u64(jsonr_get(doc, "p"), &pp) < 0)
		goto out;
	if (r > UINT32_MAX || pp > UINT32_MAX || N < 2 || (N & (N - 1)) ||
	    r == 0 || pp == 0 || r * pp >= ((uint64_t)1 << 30) ||
	    N > KDF_MAXMEM / 128 / r || pp * r * 128 > KDF_MAXMEM)
		goto out; /* refused before any work */
	slow = N > KDF_BUDGET || r > KDF_BUDGET || pp > KDF_BUDGET ||
	       N * r * pp > KDF_BUDGET;
out:
	jsonr_free(doc);
	return slow;
}

static void key_list(struct backend *be)
{
	struct repo r;
	struct repo_key_info *keys = NULL;
	size_t n = 0;

	fuzz_repo_init(&r, 2, be);
	FUZZ_CHECK(repo_key_list(&r, &keys, &n) == 0);
	FUZZ_CHECK(n == 1 && keys[0].username && keys[0].hostname &&
		   keys[0].created);
	repo_key_list_free(keys, n);
	fuzz_repo_release(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct backend *be;
	struct repo *r = NULL;
	struct buf enc = BUF_INIT;
	const char *cfg;

	fuzz_init();
	if (be == NULL)
		be = fuzz_mem_new();
	fuzz_mem_clear(be);
	cfg = fuzz_config_plain();
	fuzz_seal((const uint8_t *)cfg, strlen(cfg), &enc);
	FUZZ_CHECK(fuzz_mem_put(be, BE_CONFIG, "config", enc.p, enc.len,
				NULL) == 0);
	FUZZ_CHECK(fuzz_mem_put(be, BE_KEY, NULL, data, size, NULL) == 0);
	if (!kdf_too_slow(data, size) &&
	    repo_open(be, FUZZ_PASSWORD, strlen(FUZZ_PASSWORD), &r) == 0) {
		FUZZ_CHECK(memcmp(&r->master, fuzz_master(),
				  sizeof(r->master)) == 0);
		repo_free(r);
	}
	key_list(be);
	buf_release(&enc);
	return 0;
}
