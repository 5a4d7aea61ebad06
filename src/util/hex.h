/*
 * hex: lower-case hex for IDs.  hex_decode accepts upper case too (as Go's
 * decoder does) and fails with RP_EFORMAT on anything else.
 */
#ifndef RP_HEX_H
#define RP_HEX_H

#include <stddef.h>
#include <stdint.h>

/* hex_encode: writes 2*n chars and a NUL into out (2*n+1 bytes). */
void hex_encode(const uint8_t *p, size_t n, char *out);
/* hex_decode: exactly 2*n hex chars from s into out[n]. 0 or RP_EFORMAT. */
int hex_decode(const char *s, size_t slen, uint8_t *out, size_t n);

#endif
