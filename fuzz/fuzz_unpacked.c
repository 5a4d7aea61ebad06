/*
 * fuzz_unpacked: repo_decode_unpacked, the layer under every index,
 * snapshot and lock file (RESTIC_FORMAT.md §6): MAC, then the encoding
 * byte, then zstd streaming decompression.
 *
 * Input: flags(1) || payload.
 *   flags bit 0: repository version 1 (else 2).
 *   flags bit 1: payload is the stored file as it is (the MAC must then
 *     refuse it); else the harness seals payload with the master key, so
 *     payload is the plaintext: 0x02 || zstd frame, or legacy JSON.
 * Checked: a version 1 plaintext, a legacy ('{' or '[') or empty one comes
 * back unchanged; an unsealed payload is refused.
 */
#include "fuzz.h"

#include <string.h>

#include "repo/repo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct repo r;
	struct buf enc = BUF_INIT, out = BUF_INIT;
	const uint8_t *p;
	size_t n;
	int rc, same;

	fuzz_init();
	if (size < 1)
		return 0;
	fuzz_repo_init(&r, data[0] & 1 ? 1 : 2, NULL);
	p = data + 1;
	n = size - 1;
	if (data[0] & 2) {
		FUZZ_CHECK(repo_decode_unpacked(&r, p, n, &out) < 0);
	} else {
		fuzz_seal(p, n, &enc);
		rc = repo_decode_unpacked(&r, enc.p, enc.len, &out);
		same = n == 0 || r.version == 1 || p[0] == '{' || p[0] == '[';
		if (same) {
			FUZZ_CHECK(rc == 0);
			FUZZ_CHECK(out.len == n &&
				   (n == 0 || memcmp(out.p, p, n) == 0));
		} else if (p[0] != 2) {
			FUZZ_CHECK(rc < 0);
		}
	}
	buf_release(&enc);
	buf_release(&out);
	fuzz_repo_release(&r);
	return 0;
}
