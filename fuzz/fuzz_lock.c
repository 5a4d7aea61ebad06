/*
 * fuzz_lock: the lock file parser (lock.c's static lock_read and
 * lock_stale), reached through lock_remove_stale on an in-memory
 * repository holding one lock file: the input sealed with the master key.
 *
 * Input: flags(1) || the lock's plaintext: 0x02 || zstd(JSON) or legacy
 * JSON (RESTIC_FORMAT.md §12); flags bit 0 chooses version 1.
 * Checked: at most the one lock is removed, and it is gone afterwards.
 */
#include "fuzz.h"

#include "repo/lock.h"
#include "util/err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct backend *be;
	struct repo r;
	struct buf enc = BUF_INIT;
	char name[65];
	size_t removed = 99;
	uint64_t sz;

	fuzz_init();
	if (size < 1)
		return 0;
	if (be == NULL)
		be = fuzz_mem_new();
	fuzz_mem_clear(be);
	fuzz_repo_init(&r, data[0] & 1 ? 1 : 2, be);
	fuzz_seal(data + 1, size - 1, &enc);
	FUZZ_CHECK(fuzz_mem_put(be, BE_LOCK, NULL, enc.p, enc.len, name) == 0);
	FUZZ_CHECK(lock_remove_stale(&r, 0, &removed) == 0);
	FUZZ_CHECK(removed <= 1);
	FUZZ_CHECK((be->ops->stat(be, BE_LOCK, name, &sz) == RP_ENOTFOUND) ==
		   (removed == 1));
	buf_release(&enc);
	fuzz_repo_release(&r);
	return 0;
}
