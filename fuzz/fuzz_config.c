/*
 * fuzz_config: the config file parser (repo.c's static config_decode),
 * reached through repo_open on an in-memory repository: a valid key file
 * for FUZZ_PASSWORD, and a config that is the input sealed with the master
 * key.
 *
 * Input: the config's plaintext JSON (RESTIC_FORMAT.md §5).
 * Checked: an opened repository has version 1 or 2 and an irreducible
 * polynomial of degree 53, and repo_config_json gives the input back.
 */
#include "fuzz.h"

#include <string.h>

#include "chunker/chunker.h"
#include "repo/repo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct backend *be;
	struct repo *r = NULL;
	struct buf enc = BUF_INIT, json = BUF_INIT;
	const uint8_t *kf;
	size_t kn;

	fuzz_init();
	if (be == NULL)
		be = fuzz_mem_new();
	fuzz_mem_clear(be);
	kf = fuzz_keyfile(&kn);
	FUZZ_CHECK(fuzz_mem_put(be, BE_KEY, NULL, kf, kn, NULL) == 0);
	fuzz_seal(data, size, &enc);
	FUZZ_CHECK(fuzz_mem_put(be, BE_CONFIG, "config", enc.p, enc.len,
				NULL) == 0);
	if (repo_open(be, FUZZ_PASSWORD, strlen(FUZZ_PASSWORD), &r) == 0) {
		FUZZ_CHECK(r->version == 1 || r->version == 2);
		FUZZ_CHECK(chunker_pol_deg(r->pol) == 53);
		FUZZ_CHECK(chunker_pol_irreducible(r->pol));
		FUZZ_CHECK(memcmp(&r->master, fuzz_master(),
				  sizeof(r->master)) == 0);
		FUZZ_CHECK(repo_config_json(r, &json) == 0);
		FUZZ_CHECK(json.len == size &&
			   (size == 0 || memcmp(json.p, data, size) == 0));
		repo_free(r);
	}
	buf_release(&enc);
	buf_release(&json);
	return 0;
}
