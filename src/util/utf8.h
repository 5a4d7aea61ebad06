/*
 * utf8: one strict UTF-8 decoder for the whole tree, with Go's rules (no
 * overlong forms, no surrogates, nothing above U+10FFFF), because restic
 * is written in Go: what Go's decoder calls invalid is what restic's JSON
 * writer turns into U+FFFD, and our writer, our Go-string quoting and our
 * tree checks must agree with it byte for byte.
 */
#ifndef RP_UTF8_H
#define RP_UTF8_H

#include <stddef.h>
#include <stdint.h>

/*
 * utf8_decode: length (2..4) of the valid sequence at p[0..n) whose first
 * byte is >= 0x80, with its code point in *cp; 0 when p[0] starts no valid
 * sequence (Go then decodes one RuneError of width 1).  n must be >= 1.
 */
size_t utf8_decode(const uint8_t *p, size_t n, uint32_t *cp);
/* utf8_valid: 1 when all of p[0..n) is valid UTF-8, else 0. */
int utf8_valid(const uint8_t *p, size_t n);

#endif
