/*
 * gostr: Go's strconv.Quote/Unquote, RFC 3339 "nano" time and base64, as
 * restic 0.14 (built with Go 1.19) writes and reads them.  See gostr.h and
 * RESTIC_FORMAT.md §1 and §11.3.
 *
 * Printable characters (Go's unicode.IsPrint / strconv.IsPrint): the
 * categories L, M, N, P, S, plus U+0020.  Everything else is escaped by
 * gostr_quote.  The tables below list the NON-printable code points as
 * inclusive ranges for Unicode 13.0.0, the version Go 1.19 uses, so quoting
 * matches restic 0.14 for every code point (unassigned ones included).
 * They were generated with Perl's Unicode 14 database, dropping what Unicode
 * 14 added, by:
 *
 *   perl -e 'for $c (0..0x110000) { $p = $c > 0x10ffff || $c == 32 ||
 *     (chr($c) =~ /[\p{L}\p{M}\p{N}\p{P}\p{S}]/ && chr($c) =~ /\p{In=13.0}/);
 *     if (!$p) { $s //= $c }
 *     elsif (defined $s) { print "$s-", $c - 1, "\n"; undef $s } }'
 *
 * and checked, with the same method at Unicode 10.0, against Go 1.10's
 * tables (no difference).  Approximation: a Go built with a newer Unicode
 * (restic from Go >= 1.21 uses Unicode 15) treats later additions as
 * printable and keeps them as UTF-8; gostr_quote escapes them as \uXXXX.
 * Both forms unquote to the same bytes, so only tree-ID dedup is affected.
 *
 * gostr_unquote follows strconv.Unquote('"' + s + '"') with one deliberate
 * difference: a raw byte that is not valid UTF-8 is copied as is, where Go
 * would substitute U+FFFD (it cannot occur in names that came through a
 * JSON decoder, which validates UTF-8).
 */
#include "util/gostr.h"

#include <string.h>
#include <time.h>

#include "util/err.h"
#include "util/utf8.h"

/* Non-printable code points below 0x10000, inclusive ranges, sorted. */
static const uint16_t noprint16[][2] = {
	{ 0x0000, 0x001f }, { 0x007f, 0x00a0 }, { 0x00ad, 0x00ad },
	{ 0x0378, 0x0379 }, { 0x0380, 0x0383 }, { 0x038b, 0x038b },
	{ 0x038d, 0x038d }, { 0x03a2, 0x03a2 }, { 0x0530, 0x0530 },
	{ 0x0557, 0x0558 }, { 0x058b, 0x058c }, { 0x0590, 0x0590 },
	{ 0x05c8, 0x05cf }, { 0x05eb, 0x05ee }, { 0x05f5, 0x0605 },
	{ 0x061c, 0x061d }, { 0x06dd, 0x06dd }, { 0x070e, 0x070f },
	{ 0x074b, 0x074c }, { 0x07b2, 0x07bf }, { 0x07fb, 0x07fc },
	{ 0x082e, 0x082f }, { 0x083f, 0x083f }, { 0x085c, 0x085d },
	{ 0x085f, 0x085f }, { 0x086b, 0x089f }, { 0x08b5, 0x08b5 },
	{ 0x08c8, 0x08d2 }, { 0x08e2, 0x08e2 }, { 0x0984, 0x0984 },
	{ 0x098d, 0x098e }, { 0x0991, 0x0992 }, { 0x09a9, 0x09a9 },
	{ 0x09b1, 0x09b1 }, { 0x09b3, 0x09b5 }, { 0x09ba, 0x09bb },
	{ 0x09c5, 0x09c6 }, { 0x09c9, 0x09ca }, { 0x09cf, 0x09d6 },
	{ 0x09d8, 0x09db }, { 0x09de, 0x09de }, { 0x09e4, 0x09e5 },
	{ 0x09ff, 0x0a00 }, { 0x0a04, 0x0a04 }, { 0x0a0b, 0x0a0e },
	{ 0x0a11, 0x0a12 }, { 0x0a29, 0x0a29 }, { 0x0a31, 0x0a31 },
	{ 0x0a34, 0x0a34 }, { 0x0a37, 0x0a37 }, { 0x0a3a, 0x0a3b },
	{ 0x0a3d, 0x0a3d }, { 0x0a43, 0x0a46 }, { 0x0a49, 0x0a4a },
	{ 0x0a4e, 0x0a50 }, { 0x0a52, 0x0a58 }, { 0x0a5d, 0x0a5d },
	{ 0x0a5f, 0x0a65 }, { 0x0a77, 0x0a80 }, { 0x0a84, 0x0a84 },
	{ 0x0a8e, 0x0a8e }, { 0x0a92, 0x0a92 }, { 0x0aa9, 0x0aa9 },
	{ 0x0ab1, 0x0ab1 }, { 0x0ab4, 0x0ab4 }, { 0x0aba, 0x0abb },
	{ 0x0ac6, 0x0ac6 }, { 0x0aca, 0x0aca }, { 0x0ace, 0x0acf },
	{ 0x0ad1, 0x0adf }, { 0x0ae4, 0x0ae5 }, { 0x0af2, 0x0af8 },
	{ 0x0b00, 0x0b00 }, { 0x0b04, 0x0b04 }, { 0x0b0d, 0x0b0e },
	{ 0x0b11, 0x0b12 }, { 0x0b29, 0x0b29 }, { 0x0b31, 0x0b31 },
	{ 0x0b34, 0x0b34 }, { 0x0b3a, 0x0b3b }, { 0x0b45, 0x0b46 },
	{ 0x0b49, 0x0b4a }, { 0x0b4e, 0x0b54 }, { 0x0b58, 0x0b5b },
	{ 0x0b5e, 0x0b5e }, { 0x0b64, 0x0b65 }, { 0x0b78, 0x0b81 },
	{ 0x0b84, 0x0b84 }, { 0x0b8b, 0x0b8d }, { 0x0b91, 0x0b91 },
	{ 0x0b96, 0x0b98 }, { 0x0b9b, 0x0b9b }, { 0x0b9d, 0x0b9d },
	{ 0x0ba0, 0x0ba2 }, { 0x0ba5, 0x0ba7 }, { 0x0bab, 0x0bad },
	{ 0x0bba, 0x0bbd }, { 0x0bc3, 0x0bc5 }, { 0x0bc9, 0x0bc9 },
	{ 0x0bce, 0x0bcf }, { 0x0bd1, 0x0bd6 }, { 0x0bd8, 0x0be5 },
	{ 0x0bfb, 0x0bff }, { 0x0c0d, 0x0c0d }, { 0x0c11, 0x0c11 },
	{ 0x0c29, 0x0c29 }, { 0x0c3a, 0x0c3c }, { 0x0c45, 0x0c45 },
	{ 0x0c49, 0x0c49 }, { 0x0c4e, 0x0c54 }, { 0x0c57, 0x0c57 },
	{ 0x0c5b, 0x0c5f }, { 0x0c64, 0x0c65 }, { 0x0c70, 0x0c76 },
	{ 0x0c8d, 0x0c8d }, { 0x0c91, 0x0c91 }, { 0x0ca9, 0x0ca9 },
	{ 0x0cb4, 0x0cb4 }, { 0x0cba, 0x0cbb }, { 0x0cc5, 0x0cc5 },
	{ 0x0cc9, 0x0cc9 }, { 0x0cce, 0x0cd4 }, { 0x0cd7, 0x0cdd },
	{ 0x0cdf, 0x0cdf }, { 0x0ce4, 0x0ce5 }, { 0x0cf0, 0x0cf0 },
	{ 0x0cf3, 0x0cff }, { 0x0d0d, 0x0d0d }, { 0x0d11, 0x0d11 },
	{ 0x0d45, 0x0d45 }, { 0x0d49, 0x0d49 }, { 0x0d50, 0x0d53 },
	{ 0x0d64, 0x0d65 }, { 0x0d80, 0x0d80 }, { 0x0d84, 0x0d84 },
	{ 0x0d97, 0x0d99 }, { 0x0db2, 0x0db2 }, { 0x0dbc, 0x0dbc },
	{ 0x0dbe, 0x0dbf }, { 0x0dc7, 0x0dc9 }, { 0x0dcb, 0x0dce },
	{ 0x0dd5, 0x0dd5 }, { 0x0dd7, 0x0dd7 }, { 0x0de0, 0x0de5 },
	{ 0x0df0, 0x0df1 }, { 0x0df5, 0x0e00 }, { 0x0e3b, 0x0e3e },
	{ 0x0e5c, 0x0e80 }, { 0x0e83, 0x0e83 }, { 0x0e85, 0x0e85 },
	{ 0x0e8b, 0x0e8b }, { 0x0ea4, 0x0ea4 }, { 0x0ea6, 0x0ea6 },
	{ 0x0ebe, 0x0ebf }, { 0x0ec5, 0x0ec5 }, { 0x0ec7, 0x0ec7 },
	{ 0x0ece, 0x0ecf }, { 0x0eda, 0x0edb }, { 0x0ee0, 0x0eff },
	{ 0x0f48, 0x0f48 }, { 0x0f6d, 0x0f70 }, { 0x0f98, 0x0f98 },
	{ 0x0fbd, 0x0fbd }, { 0x0fcd, 0x0fcd }, { 0x0fdb, 0x0fff },
	{ 0x10c6, 0x10c6 }, { 0x10c8, 0x10cc }, { 0x10ce, 0x10cf },
	{ 0x1249, 0x1249 }, { 0x124e, 0x124f }, { 0x1257, 0x1257 },
	{ 0x1259, 0x1259 }, { 0x125e, 0x125f }, { 0x1289, 0x1289 },
	{ 0x128e, 0x128f }, { 0x12b1, 0x12b1 }, { 0x12b6, 0x12b7 },
	{ 0x12bf, 0x12bf }, { 0x12c1, 0x12c1 }, { 0x12c6, 0x12c7 },
	{ 0x12d7, 0x12d7 }, { 0x1311, 0x1311 }, { 0x1316, 0x1317 },
	{ 0x135b, 0x135c }, { 0x137d, 0x137f }, { 0x139a, 0x139f },
	{ 0x13f6, 0x13f7 }, { 0x13fe, 0x13ff }, { 0x1680, 0x1680 },
	{ 0x169d, 0x169f }, { 0x16f9, 0x16ff }, { 0x170d, 0x170d },
	{ 0x1715, 0x171f }, { 0x1737, 0x173f }, { 0x1754, 0x175f },
	{ 0x176d, 0x176d }, { 0x1771, 0x1771 }, { 0x1774, 0x177f },
	{ 0x17de, 0x17df }, { 0x17ea, 0x17ef }, { 0x17fa, 0x17ff },
	{ 0x180e, 0x180f }, { 0x181a, 0x181f }, { 0x1879, 0x187f },
	{ 0x18ab, 0x18af }, { 0x18f6, 0x18ff }, { 0x191f, 0x191f },
	{ 0x192c, 0x192f }, { 0x193c, 0x193f }, { 0x1941, 0x1943 },
	{ 0x196e, 0x196f }, { 0x1975, 0x197f }, { 0x19ac, 0x19af },
	{ 0x19ca, 0x19cf }, { 0x19db, 0x19dd }, { 0x1a1c, 0x1a1d },
	{ 0x1a5f, 0x1a5f }, { 0x1a7d, 0x1a7e }, { 0x1a8a, 0x1a8f },
	{ 0x1a9a, 0x1a9f }, { 0x1aae, 0x1aaf }, { 0x1ac1, 0x1aff },
	{ 0x1b4c, 0x1b4f }, { 0x1b7d, 0x1b7f }, { 0x1bf4, 0x1bfb },
	{ 0x1c38, 0x1c3a }, { 0x1c4a, 0x1c4c }, { 0x1c89, 0x1c8f },
	{ 0x1cbb, 0x1cbc }, { 0x1cc8, 0x1ccf }, { 0x1cfb, 0x1cff },
	{ 0x1dfa, 0x1dfa }, { 0x1f16, 0x1f17 }, { 0x1f1e, 0x1f1f },
	{ 0x1f46, 0x1f47 }, { 0x1f4e, 0x1f4f }, { 0x1f58, 0x1f58 },
	{ 0x1f5a, 0x1f5a }, { 0x1f5c, 0x1f5c }, { 0x1f5e, 0x1f5e },
	{ 0x1f7e, 0x1f7f }, { 0x1fb5, 0x1fb5 }, { 0x1fc5, 0x1fc5 },
	{ 0x1fd4, 0x1fd5 }, { 0x1fdc, 0x1fdc }, { 0x1ff0, 0x1ff1 },
	{ 0x1ff5, 0x1ff5 }, { 0x1fff, 0x200f }, { 0x2028, 0x202f },
	{ 0x205f, 0x206f }, { 0x2072, 0x2073 }, { 0x208f, 0x208f },
	{ 0x209d, 0x209f }, { 0x20c0, 0x20cf }, { 0x20f1, 0x20ff },
	{ 0x218c, 0x218f }, { 0x2427, 0x243f }, { 0x244b, 0x245f },
	{ 0x2b74, 0x2b75 }, { 0x2b96, 0x2b96 }, { 0x2c2f, 0x2c2f },
	{ 0x2c5f, 0x2c5f }, { 0x2cf4, 0x2cf8 }, { 0x2d26, 0x2d26 },
	{ 0x2d28, 0x2d2c }, { 0x2d2e, 0x2d2f }, { 0x2d68, 0x2d6e },
	{ 0x2d71, 0x2d7e }, { 0x2d97, 0x2d9f }, { 0x2da7, 0x2da7 },
	{ 0x2daf, 0x2daf }, { 0x2db7, 0x2db7 }, { 0x2dbf, 0x2dbf },
	{ 0x2dc7, 0x2dc7 }, { 0x2dcf, 0x2dcf }, { 0x2dd7, 0x2dd7 },
	{ 0x2ddf, 0x2ddf }, { 0x2e53, 0x2e7f }, { 0x2e9a, 0x2e9a },
	{ 0x2ef4, 0x2eff }, { 0x2fd6, 0x2fef }, { 0x2ffc, 0x3000 },
	{ 0x3040, 0x3040 }, { 0x3097, 0x3098 }, { 0x3100, 0x3104 },
	{ 0x3130, 0x3130 }, { 0x318f, 0x318f }, { 0x31e4, 0x31ef },
	{ 0x321f, 0x321f }, { 0x9ffd, 0x9fff }, { 0xa48d, 0xa48f },
	{ 0xa4c7, 0xa4cf }, { 0xa62c, 0xa63f }, { 0xa6f8, 0xa6ff },
	{ 0xa7c0, 0xa7c1 }, { 0xa7cb, 0xa7f4 }, { 0xa82d, 0xa82f },
	{ 0xa83a, 0xa83f }, { 0xa878, 0xa87f }, { 0xa8c6, 0xa8cd },
	{ 0xa8da, 0xa8df }, { 0xa954, 0xa95e }, { 0xa97d, 0xa97f },
	{ 0xa9ce, 0xa9ce }, { 0xa9da, 0xa9dd }, { 0xa9ff, 0xa9ff },
	{ 0xaa37, 0xaa3f }, { 0xaa4e, 0xaa4f }, { 0xaa5a, 0xaa5b },
	{ 0xaac3, 0xaada }, { 0xaaf7, 0xab00 }, { 0xab07, 0xab08 },
	{ 0xab0f, 0xab10 }, { 0xab17, 0xab1f }, { 0xab27, 0xab27 },
	{ 0xab2f, 0xab2f }, { 0xab6c, 0xab6f }, { 0xabee, 0xabef },
	{ 0xabfa, 0xabff }, { 0xd7a4, 0xd7af }, { 0xd7c7, 0xd7ca },
	{ 0xd7fc, 0xf8ff }, { 0xfa6e, 0xfa6f }, { 0xfada, 0xfaff },
	{ 0xfb07, 0xfb12 }, { 0xfb18, 0xfb1c }, { 0xfb37, 0xfb37 },
	{ 0xfb3d, 0xfb3d }, { 0xfb3f, 0xfb3f }, { 0xfb42, 0xfb42 },
	{ 0xfb45, 0xfb45 }, { 0xfbc2, 0xfbd2 }, { 0xfd40, 0xfd4f },
	{ 0xfd90, 0xfd91 }, { 0xfdc8, 0xfdef }, { 0xfdfe, 0xfdff },
	{ 0xfe1a, 0xfe1f }, { 0xfe53, 0xfe53 }, { 0xfe67, 0xfe67 },
	{ 0xfe6c, 0xfe6f }, { 0xfe75, 0xfe75 }, { 0xfefd, 0xff00 },
	{ 0xffbf, 0xffc1 }, { 0xffc8, 0xffc9 }, { 0xffd0, 0xffd1 },
	{ 0xffd8, 0xffd9 }, { 0xffdd, 0xffdf }, { 0xffe7, 0xffe7 },
	{ 0xffef, 0xfffb }, { 0xfffe, 0xffff },
};

/* Non-printable code points from 0x10000 on. */
static const uint32_t noprint32[][2] = {
	{ 0x1000c, 0x1000c }, { 0x10027, 0x10027 }, { 0x1003b, 0x1003b },
	{ 0x1003e, 0x1003e }, { 0x1004e, 0x1004f }, { 0x1005e, 0x1007f },
	{ 0x100fb, 0x100ff }, { 0x10103, 0x10106 }, { 0x10134, 0x10136 },
	{ 0x1018f, 0x1018f }, { 0x1019d, 0x1019f }, { 0x101a1, 0x101cf },
	{ 0x101fe, 0x1027f }, { 0x1029d, 0x1029f }, { 0x102d1, 0x102df },
	{ 0x102fc, 0x102ff }, { 0x10324, 0x1032c }, { 0x1034b, 0x1034f },
	{ 0x1037b, 0x1037f }, { 0x1039e, 0x1039e }, { 0x103c4, 0x103c7 },
	{ 0x103d6, 0x103ff }, { 0x1049e, 0x1049f }, { 0x104aa, 0x104af },
	{ 0x104d4, 0x104d7 }, { 0x104fc, 0x104ff }, { 0x10528, 0x1052f },
	{ 0x10564, 0x1056e }, { 0x10570, 0x105ff }, { 0x10737, 0x1073f },
	{ 0x10756, 0x1075f }, { 0x10768, 0x107ff }, { 0x10806, 0x10807 },
	{ 0x10809, 0x10809 }, { 0x10836, 0x10836 }, { 0x10839, 0x1083b },
	{ 0x1083d, 0x1083e }, { 0x10856, 0x10856 }, { 0x1089f, 0x108a6 },
	{ 0x108b0, 0x108df }, { 0x108f3, 0x108f3 }, { 0x108f6, 0x108fa },
	{ 0x1091c, 0x1091e }, { 0x1093a, 0x1093e }, { 0x10940, 0x1097f },
	{ 0x109b8, 0x109bb }, { 0x109d0, 0x109d1 }, { 0x10a04, 0x10a04 },
	{ 0x10a07, 0x10a0b }, { 0x10a14, 0x10a14 }, { 0x10a18, 0x10a18 },
	{ 0x10a36, 0x10a37 }, { 0x10a3b, 0x10a3e }, { 0x10a49, 0x10a4f },
	{ 0x10a59, 0x10a5f }, { 0x10aa0, 0x10abf }, { 0x10ae7, 0x10aea },
	{ 0x10af7, 0x10aff }, { 0x10b36, 0x10b38 }, { 0x10b56, 0x10b57 },
	{ 0x10b73, 0x10b77 }, { 0x10b92, 0x10b98 }, { 0x10b9d, 0x10ba8 },
	{ 0x10bb0, 0x10bff }, { 0x10c49, 0x10c7f }, { 0x10cb3, 0x10cbf },
	{ 0x10cf3, 0x10cf9 }, { 0x10d28, 0x10d2f }, { 0x10d3a, 0x10e5f },
	{ 0x10e7f, 0x10e7f }, { 0x10eaa, 0x10eaa }, { 0x10eae, 0x10eaf },
	{ 0x10eb2, 0x10eff }, { 0x10f28, 0x10f2f }, { 0x10f5a, 0x10faf },
	{ 0x10fcc, 0x10fdf }, { 0x10ff7, 0x10fff }, { 0x1104e, 0x11051 },
	{ 0x11070, 0x1107e }, { 0x110bd, 0x110bd }, { 0x110c2, 0x110cf },
	{ 0x110e9, 0x110ef }, { 0x110fa, 0x110ff }, { 0x11135, 0x11135 },
	{ 0x11148, 0x1114f }, { 0x11177, 0x1117f }, { 0x111e0, 0x111e0 },
	{ 0x111f5, 0x111ff }, { 0x11212, 0x11212 }, { 0x1123f, 0x1127f },
	{ 0x11287, 0x11287 }, { 0x11289, 0x11289 }, { 0x1128e, 0x1128e },
	{ 0x1129e, 0x1129e }, { 0x112aa, 0x112af }, { 0x112eb, 0x112ef },
	{ 0x112fa, 0x112ff }, { 0x11304, 0x11304 }, { 0x1130d, 0x1130e },
	{ 0x11311, 0x11312 }, { 0x11329, 0x11329 }, { 0x11331, 0x11331 },
	{ 0x11334, 0x11334 }, { 0x1133a, 0x1133a }, { 0x11345, 0x11346 },
	{ 0x11349, 0x1134a }, { 0x1134e, 0x1134f }, { 0x11351, 0x11356 },
	{ 0x11358, 0x1135c }, { 0x11364, 0x11365 }, { 0x1136d, 0x1136f },
	{ 0x11375, 0x113ff }, { 0x1145c, 0x1145c }, { 0x11462, 0x1147f },
	{ 0x114c8, 0x114cf }, { 0x114da, 0x1157f }, { 0x115b6, 0x115b7 },
	{ 0x115de, 0x115ff }, { 0x11645, 0x1164f }, { 0x1165a, 0x1165f },
	{ 0x1166d, 0x1167f }, { 0x116b9, 0x116bf }, { 0x116ca, 0x116ff },
	{ 0x1171b, 0x1171c }, { 0x1172c, 0x1172f }, { 0x11740, 0x117ff },
	{ 0x1183c, 0x1189f }, { 0x118f3, 0x118fe }, { 0x11907, 0x11908 },
	{ 0x1190a, 0x1190b }, { 0x11914, 0x11914 }, { 0x11917, 0x11917 },
	{ 0x11936, 0x11936 }, { 0x11939, 0x1193a }, { 0x11947, 0x1194f },
	{ 0x1195a, 0x1199f }, { 0x119a8, 0x119a9 }, { 0x119d8, 0x119d9 },
	{ 0x119e5, 0x119ff }, { 0x11a48, 0x11a4f }, { 0x11aa3, 0x11abf },
	{ 0x11af9, 0x11bff }, { 0x11c09, 0x11c09 }, { 0x11c37, 0x11c37 },
	{ 0x11c46, 0x11c4f }, { 0x11c6d, 0x11c6f }, { 0x11c90, 0x11c91 },
	{ 0x11ca8, 0x11ca8 }, { 0x11cb7, 0x11cff }, { 0x11d07, 0x11d07 },
	{ 0x11d0a, 0x11d0a }, { 0x11d37, 0x11d39 }, { 0x11d3b, 0x11d3b },
	{ 0x11d3e, 0x11d3e }, { 0x11d48, 0x11d4f }, { 0x11d5a, 0x11d5f },
	{ 0x11d66, 0x11d66 }, { 0x11d69, 0x11d69 }, { 0x11d8f, 0x11d8f },
	{ 0x11d92, 0x11d92 }, { 0x11d99, 0x11d9f }, { 0x11daa, 0x11edf },
	{ 0x11ef9, 0x11faf }, { 0x11fb1, 0x11fbf }, { 0x11ff2, 0x11ffe },
	{ 0x1239a, 0x123ff }, { 0x1246f, 0x1246f }, { 0x12475, 0x1247f },
	{ 0x12544, 0x12fff }, { 0x1342f, 0x143ff }, { 0x14647, 0x167ff },
	{ 0x16a39, 0x16a3f }, { 0x16a5f, 0x16a5f }, { 0x16a6a, 0x16a6d },
	{ 0x16a70, 0x16acf }, { 0x16aee, 0x16aef }, { 0x16af6, 0x16aff },
	{ 0x16b46, 0x16b4f }, { 0x16b5a, 0x16b5a }, { 0x16b62, 0x16b62 },
	{ 0x16b78, 0x16b7c }, { 0x16b90, 0x16e3f }, { 0x16e9b, 0x16eff },
	{ 0x16f4b, 0x16f4e }, { 0x16f88, 0x16f8e }, { 0x16fa0, 0x16fdf },
	{ 0x16fe5, 0x16fef }, { 0x16ff2, 0x16fff }, { 0x187f8, 0x187ff },
	{ 0x18cd6, 0x18cff }, { 0x18d09, 0x1afff }, { 0x1b11f, 0x1b14f },
	{ 0x1b153, 0x1b163 }, { 0x1b168, 0x1b16f }, { 0x1b2fc, 0x1bbff },
	{ 0x1bc6b, 0x1bc6f }, { 0x1bc7d, 0x1bc7f }, { 0x1bc89, 0x1bc8f },
	{ 0x1bc9a, 0x1bc9b }, { 0x1bca0, 0x1cfff }, { 0x1d0f6, 0x1d0ff },
	{ 0x1d127, 0x1d128 }, { 0x1d173, 0x1d17a }, { 0x1d1e9, 0x1d1ff },
	{ 0x1d246, 0x1d2df }, { 0x1d2f4, 0x1d2ff }, { 0x1d357, 0x1d35f },
	{ 0x1d379, 0x1d3ff }, { 0x1d455, 0x1d455 }, { 0x1d49d, 0x1d49d },
	{ 0x1d4a0, 0x1d4a1 }, { 0x1d4a3, 0x1d4a4 }, { 0x1d4a7, 0x1d4a8 },
	{ 0x1d4ad, 0x1d4ad }, { 0x1d4ba, 0x1d4ba }, { 0x1d4bc, 0x1d4bc },
	{ 0x1d4c4, 0x1d4c4 }, { 0x1d506, 0x1d506 }, { 0x1d50b, 0x1d50c },
	{ 0x1d515, 0x1d515 }, { 0x1d51d, 0x1d51d }, { 0x1d53a, 0x1d53a },
	{ 0x1d53f, 0x1d53f }, { 0x1d545, 0x1d545 }, { 0x1d547, 0x1d549 },
	{ 0x1d551, 0x1d551 }, { 0x1d6a6, 0x1d6a7 }, { 0x1d7cc, 0x1d7cd },
	{ 0x1da8c, 0x1da9a }, { 0x1daa0, 0x1daa0 }, { 0x1dab0, 0x1dfff },
	{ 0x1e007, 0x1e007 }, { 0x1e019, 0x1e01a }, { 0x1e022, 0x1e022 },
	{ 0x1e025, 0x1e025 }, { 0x1e02b, 0x1e0ff }, { 0x1e12d, 0x1e12f },
	{ 0x1e13e, 0x1e13f }, { 0x1e14a, 0x1e14d }, { 0x1e150, 0x1e2bf },
	{ 0x1e2fa, 0x1e2fe }, { 0x1e300, 0x1e7ff }, { 0x1e8c5, 0x1e8c6 },
	{ 0x1e8d7, 0x1e8ff }, { 0x1e94c, 0x1e94f }, { 0x1e95a, 0x1e95d },
	{ 0x1e960, 0x1ec70 }, { 0x1ecb5, 0x1ed00 }, { 0x1ed3e, 0x1edff },
	{ 0x1ee04, 0x1ee04 }, { 0x1ee20, 0x1ee20 }, { 0x1ee23, 0x1ee23 },
	{ 0x1ee25, 0x1ee26 }, { 0x1ee28, 0x1ee28 }, { 0x1ee33, 0x1ee33 },
	{ 0x1ee38, 0x1ee38 }, { 0x1ee3a, 0x1ee3a }, { 0x1ee3c, 0x1ee41 },
	{ 0x1ee43, 0x1ee46 }, { 0x1ee48, 0x1ee48 }, { 0x1ee4a, 0x1ee4a },
	{ 0x1ee4c, 0x1ee4c }, { 0x1ee50, 0x1ee50 }, { 0x1ee53, 0x1ee53 },
	{ 0x1ee55, 0x1ee56 }, { 0x1ee58, 0x1ee58 }, { 0x1ee5a, 0x1ee5a },
	{ 0x1ee5c, 0x1ee5c }, { 0x1ee5e, 0x1ee5e }, { 0x1ee60, 0x1ee60 },
	{ 0x1ee63, 0x1ee63 }, { 0x1ee65, 0x1ee66 }, { 0x1ee6b, 0x1ee6b },
	{ 0x1ee73, 0x1ee73 }, { 0x1ee78, 0x1ee78 }, { 0x1ee7d, 0x1ee7d },
	{ 0x1ee7f, 0x1ee7f }, { 0x1ee8a, 0x1ee8a }, { 0x1ee9c, 0x1eea0 },
	{ 0x1eea4, 0x1eea4 }, { 0x1eeaa, 0x1eeaa }, { 0x1eebc, 0x1eeef },
	{ 0x1eef2, 0x1efff }, { 0x1f02c, 0x1f02f }, { 0x1f094, 0x1f09f },
	{ 0x1f0af, 0x1f0b0 }, { 0x1f0c0, 0x1f0c0 }, { 0x1f0d0, 0x1f0d0 },
	{ 0x1f0f6, 0x1f0ff }, { 0x1f1ae, 0x1f1e5 }, { 0x1f203, 0x1f20f },
	{ 0x1f23c, 0x1f23f }, { 0x1f249, 0x1f24f }, { 0x1f252, 0x1f25f },
	{ 0x1f266, 0x1f2ff }, { 0x1f6d8, 0x1f6df }, { 0x1f6ed, 0x1f6ef },
	{ 0x1f6fd, 0x1f6ff }, { 0x1f774, 0x1f77f }, { 0x1f7d9, 0x1f7df },
	{ 0x1f7ec, 0x1f7ff }, { 0x1f80c, 0x1f80f }, { 0x1f848, 0x1f84f },
	{ 0x1f85a, 0x1f85f }, { 0x1f888, 0x1f88f }, { 0x1f8ae, 0x1f8af },
	{ 0x1f8b2, 0x1f8ff }, { 0x1f979, 0x1f979 }, { 0x1f9cc, 0x1f9cc },
	{ 0x1fa54, 0x1fa5f }, { 0x1fa6e, 0x1fa6f }, { 0x1fa75, 0x1fa77 },
	{ 0x1fa7b, 0x1fa7f }, { 0x1fa87, 0x1fa8f }, { 0x1faa9, 0x1faaf },
	{ 0x1fab7, 0x1fabf }, { 0x1fac3, 0x1facf }, { 0x1fad7, 0x1faff },
	{ 0x1fb93, 0x1fb93 }, { 0x1fbcb, 0x1fbef }, { 0x1fbfa, 0x1ffff },
	{ 0x2a6de, 0x2a6ff }, { 0x2b735, 0x2b73f }, { 0x2b81e, 0x2b81f },
	{ 0x2cea2, 0x2ceaf }, { 0x2ebe1, 0x2f7ff }, { 0x2fa1e, 0x2ffff },
	{ 0x3134b, 0xe00ff }, { 0xe01f0, 0x10ffff },
};

static int gs_isprint(uint32_t cp)
{
	size_t lo = 0, hi, mid;

	if (cp < 0x80)
		return cp >= 0x20 && cp < 0x7f;
	if (cp < 0x10000) {
		hi = sizeof(noprint16) / sizeof(noprint16[0]);
		while (lo < hi) {
			mid = lo + (hi - lo) / 2;
			if (cp < noprint16[mid][0])
				hi = mid;
			else if (cp > noprint16[mid][1])
				lo = mid + 1;
			else
				return 0;
		}
		return 1;
	}
	hi = sizeof(noprint32) / sizeof(noprint32[0]);
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (cp < noprint32[mid][0])
			hi = mid;
		else if (cp > noprint32[mid][1])
			lo = mid + 1;
		else
			return 0;
	}
	return 1;
}

static const char gs_hexdig[] = "0123456789abcdef";

/* gs_esc_ascii: Go's escape of an ASCII byte that is not kept as is. */
static size_t gs_esc_ascii(uint8_t c, char e[4])
{
	static const char shortesc[] = "abtnvfr"; /* 0x07 .. 0x0d */

	e[0] = '\\';
	if (c == '"' || c == '\\') {
		e[1] = (char)c;
		return 2;
	}
	if (c >= 0x07 && c <= 0x0d) {
		e[1] = shortesc[c - 0x07];
		return 2;
	}
	e[1] = 'x';
	e[2] = gs_hexdig[c >> 4];
	e[3] = gs_hexdig[c & 15];
	return 4;
}

/* gs_esc_rune: \uXXXX or \UXXXXXXXX for a non-printable code point. */
static size_t gs_esc_rune(uint32_t cp, char e[10])
{
	size_t nd = cp < 0x10000 ? 4 : 8, i;

	e[0] = '\\';
	e[1] = nd == 4 ? 'u' : 'U';
	for (i = 0; i < nd; i++)
		e[2 + i] = gs_hexdig[(cp >> (4 * (nd - 1 - i))) & 15];
	return 2 + nd;
}

/* gs_keep: length of the character at p[0..n) if quoting keeps it as is. */
static size_t gs_keep(const uint8_t *p, size_t n, uint32_t *cp)
{
	size_t l;

	if (p[0] < 0x80)
		return p[0] >= 0x20 && p[0] < 0x7f && p[0] != '"' &&
		       p[0] != '\\' ? 1 : 0;
	l = utf8_decode(p, n, cp);
	return l && gs_isprint(*cp) ? l : 0;
}

int gostr_quote(struct buf *out, const uint8_t *name, size_t n)
{
	size_t i = 0, run = 0, k, l;
	uint32_t cp = 0;
	char e[10];
	int r;

	while (i < n) {
		if ((k = gs_keep(name + i, n - i, &cp)) > 0) {
			i += k;
			continue;
		}
		if ((r = buf_add(out, name + run, i - run)) < 0)
			return r;
		l = name[i] < 0x80 ? 0 : utf8_decode(name + i, n - i, &cp);
		if (l == 0) {
			l = 1;
			k = gs_esc_ascii(name[i], e);
		} else {
			k = gs_esc_rune(cp, e);
		}
		if ((r = buf_add(out, e, k)) < 0)
			return r;
		i += l;
		run = i;
	}
	return buf_add(out, name + run, n - run);
}

static int gs_unhex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* gs_put_rune: appends cp (a valid scalar value) as UTF-8. */
static int gs_put_rune(struct buf *out, uint32_t cp)
{
	uint8_t u[4];
	size_t n;

	if (cp < 0x80) {
		u[0] = (uint8_t)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (uint8_t)(0xc0 | cp >> 6);
		u[1] = (uint8_t)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (uint8_t)(0xe0 | cp >> 12);
		u[1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3f));
		u[2] = (uint8_t)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		u[0] = (uint8_t)(0xf0 | cp >> 18);
		u[1] = (uint8_t)(0x80 | ((cp >> 12) & 0x3f));
		u[2] = (uint8_t)(0x80 | ((cp >> 6) & 0x3f));
		u[3] = (uint8_t)(0x80 | (cp & 0x3f));
		n = 4;
	}
	return buf_add(out, u, n);
}

/* gs_hexval: nd hex digits at s into *v; 0 or RP_EFORMAT. */
static int gs_hexval(const char *s, size_t nd, uint32_t *v)
{
	size_t i;
	int d;

	*v = 0;
	for (i = 0; i < nd; i++) {
		if ((d = gs_unhex(s[i])) < 0)
			return RP_EFORMAT;
		*v = *v << 4 | (uint32_t)d;
	}
	return 0;
}

/*
 * gs_unesc: decodes the escape at s[0..n) (s[0] is the backslash) into out;
 * its length in *len.  0, RP_EFORMAT, or RP_ENOMEM.
 */
static int gs_unesc(struct buf *out, const char *s, size_t n, size_t *len)
{
	static const char shorts[] = "abfnrtv\\\"";
	static const uint8_t vals[] = { 7, 8, 12, 10, 13, 9, 11, '\\', '"' };
	const char *q;
	size_t nd;
	uint32_t v;

	if (n < 2)
		return RP_EFORMAT;
	if ((q = memchr(shorts, s[1], sizeof(shorts) - 1)) != NULL) {
		*len = 2;
		return buf_addc(out, vals[q - shorts]);
	}
	if (s[1] >= '0' && s[1] <= '7') {
		if (n < 4 || s[2] < '0' || s[2] > '7' || s[3] < '0' ||
		    s[3] > '7' || s[1] > '3')
			return RP_EFORMAT;
		*len = 4;
		v = (uint32_t)((s[1] - '0') << 6 | (s[2] - '0') << 3 |
			       (s[3] - '0'));
		return buf_addc(out, (uint8_t)v);
	}
	nd = s[1] == 'x' ? 2 : s[1] == 'u' ? 4 : s[1] == 'U' ? 8 : 0;
	if (nd == 0 || n < 2 + nd || gs_hexval(s + 2, nd, &v) < 0)
		return RP_EFORMAT;
	*len = 2 + nd;
	if (nd == 2)
		return buf_addc(out, (uint8_t)v);
	if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return RP_EFORMAT;
	return gs_put_rune(out, v);
}

static int gs_unquote(struct buf *out, const char *s, size_t n)
{
	size_t i = 0, run = 0, len = 0;
	int r;

	while (i < n) {
		if (s[i] != '\\' && s[i] != '"' && s[i] != '\n') {
			i++;
			continue;
		}
		if (s[i] != '\\')
			return RP_EFORMAT;
		if ((r = buf_add(out, s + run, i - run)) < 0)
			return r;
		if ((r = gs_unesc(out, s + i, n - i, &len)) < 0)
			return r;
		i += len;
		run = i;
	}
	return buf_add(out, s + run, n - run);
}

/* On error, out is left as it was. */
int gostr_unquote(struct buf *out, const char *s, size_t n)
{
	size_t len0 = out->len;
	int r = gs_unquote(out, s, n);

	if (r < 0 && out->p != NULL) {
		out->len = len0;
		out->p[len0] = 0;
	}
	return r;
}

/* Civil calendar arithmetic (proleptic Gregorian, days since 1970-01-01). */

static int64_t gs_floordiv(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

static int64_t gs_days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = gs_floordiv(y, 400);
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void gs_civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = gs_floordiv(z, 146097);
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static int gs_leap(int64_t y)
{
	return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

static int gs_mdays(int64_t y, int m)
{
	static const uint8_t md[12] = { 31, 28, 31, 30, 31, 30,
					31, 31, 30, 31, 30, 31 };

	return m == 2 && gs_leap(y) ? 29 : md[m - 1];
}

/* gs_dig: v (>= 0) as exactly nd decimal digits at p; returns p + nd. */
static char *gs_dig(char *p, int64_t v, int nd)
{
	int i;

	for (i = nd - 1; i >= 0; i--) {
		p[i] = (char)('0' + v % 10);
		v /= 10;
	}
	return p + nd;
}

/* Beyond this, dates are nonsense anyway; keeps the arithmetic in range. */
#define GS_SEC_LIMIT ((int64_t)1 << 50)

/*
 * gs_zone: appends Z or ±hh:mm.  Like Go, the offset is cut to whole
 * minutes towards zero, and only an offset of exactly 0 is written as Z.
 */
static char *gs_zone(char *p, int32_t off)
{
	int32_t zone = off / 60;

	if (off == 0) {
		*p++ = 'Z';
		return p;
	}
	*p++ = zone < 0 ? '-' : '+';
	if (zone < 0)
		zone = -zone;
	p = gs_dig(p, zone / 60, 2);
	*p++ = ':';
	return gs_dig(p, zone % 60, 2);
}

int gostr_time_format(struct buf *out, const struct gotime *t)
{
	char s[40], *p = s;
	int64_t local, days, sod, y;
	int m, d, nd = 9;
	int32_t ns = t->nsec;

	if (ns < 0 || ns > 999999999 || t->off <= -100 * 3600 ||
	    t->off >= 100 * 3600)
		return RP_EINVAL;
	local = t->sec;
	if (local > GS_SEC_LIMIT)
		local = GS_SEC_LIMIT;
	else if (local < -GS_SEC_LIMIT)
		local = -GS_SEC_LIMIT;
	local += t->off;
	days = gs_floordiv(local, 86400);
	sod = local - days * 86400;
	gs_civil_from_days(days, &y, &m, &d);
	/* restic shifts years outside 0000..9999 into range (Go AddDate:
	 * a 29 February that does not exist becomes 1 March). */
	if (y < 0 || y > 9999) {
		y = y < 0 ? 0 : 9999;
		if (m == 2 && d == 29 && !gs_leap(y)) {
			m = 3;
			d = 1;
		}
	}
	p = gs_dig(p, y, 4);
	*p++ = '-';
	p = gs_dig(p, m, 2);
	*p++ = '-';
	p = gs_dig(p, d, 2);
	*p++ = 'T';
	p = gs_dig(p, sod / 3600, 2);
	*p++ = ':';
	p = gs_dig(p, sod / 60 % 60, 2);
	*p++ = ':';
	p = gs_dig(p, sod % 60, 2);
	if (ns) {
		while (ns % 10 == 0) {
			ns /= 10;
			nd--;
		}
		*p++ = '.';
		p = gs_dig(p, ns, nd);
	}
	p = gs_zone(p, t->off);
	return buf_add(out, s, (size_t)(p - s));
}

/* gs_num: exactly nd digits at s into *v; 0 or -1. */
static int gs_num(const char *s, int nd, int *v)
{
	int i;

	*v = 0;
	for (i = 0; i < nd; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*v = *v * 10 + (s[i] - '0');
	}
	return 0;
}

/* gs_frac: optional .d{1,9} at s[*i..n) into *ns. 0 or -1. */
static int gs_frac(const char *s, size_t n, size_t *i, int32_t *ns)
{
	int nd = 0;

	*ns = 0;
	if (*i >= n || s[*i] != '.')
		return 0;
	for ((*i)++; *i < n && s[*i] >= '0' && s[*i] <= '9'; (*i)++) {
		if (++nd > 9)
			return -1;
		*ns = *ns * 10 + (s[*i] - '0');
	}
	if (nd == 0)
		return -1;
	for (; nd < 9; nd++)
		*ns *= 10;
	return 0;
}

/* gs_off: Z, z or ±hh:mm, the whole rest s[i..n), into *off. 0 or -1. */
static int gs_off(const char *s, size_t n, size_t i, int32_t *off)
{
	int hh, mm;

	*off = 0;
	if (n - i == 1 && (s[i] == 'Z' || s[i] == 'z'))
		return 0;
	if (n - i != 6 || (s[i] != '+' && s[i] != '-') || s[i + 3] != ':' ||
	    gs_num(s + i + 1, 2, &hh) < 0 || gs_num(s + i + 4, 2, &mm) < 0 ||
	    hh > 23 || mm > 59)
		return -1;
	*off = (hh * 60 + mm) * 60;
	if (s[i] == '-')
		*off = -*off;
	return 0;
}

int gostr_time_parse(const char *s, size_t n, struct gotime *t)
{
	int y, mo, d, h, mi, se;
	int32_t ns, off;
	size_t i = 19;

	if (n < 20 || gs_num(s, 4, &y) < 0 || s[4] != '-' ||
	    gs_num(s + 5, 2, &mo) < 0 || s[7] != '-' ||
	    gs_num(s + 8, 2, &d) < 0 || (s[10] != 'T' && s[10] != 't') ||
	    gs_num(s + 11, 2, &h) < 0 || s[13] != ':' ||
	    gs_num(s + 14, 2, &mi) < 0 || s[16] != ':' ||
	    gs_num(s + 17, 2, &se) < 0)
		return RP_EFORMAT;
	if (mo < 1 || mo > 12 || d < 1 || d > gs_mdays(y, mo) || h > 23 ||
	    mi > 59 || se > 59)
		return RP_EFORMAT;
	if (gs_frac(s, n, &i, &ns) < 0 || i >= n || gs_off(s, n, i, &off) < 0)
		return RP_EFORMAT;
	t->sec = gs_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 +
		 se - off;
	t->nsec = ns;
	t->off = off;
	return 0;
}

void gostr_time_from(struct gotime *t, int64_t sec, int32_t nsec)
{
	time_t tt = (time_t)sec;
	struct tm tm;

	t->sec = sec;
	t->nsec = nsec;
	t->off = 0;
	if (localtime_r(&tt, &tm) != NULL)
		t->off = (int32_t)tm.tm_gmtoff;
}

void gostr_time_now(struct gotime *t)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	gostr_time_from(t, (int64_t)ts.tv_sec, (int32_t)ts.tv_nsec);
}

static const char gs_b64[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int gostr_base64_encode(struct buf *out, const uint8_t *p, size_t n)
{
	size_t olen, i;
	uint8_t *o;
	uint32_t v;
	int r;

	if (n > SIZE_MAX / 2)
		return RP_ENOMEM;
	olen = (n + 2) / 3 * 4;
	if ((r = buf_reserve(out, olen)) < 0)
		return r;
	o = out->p + out->len;
	for (i = 0; i + 3 <= n; i += 3, o += 4) {
		v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];
		o[0] = (uint8_t)gs_b64[v >> 18];
		o[1] = (uint8_t)gs_b64[(v >> 12) & 63];
		o[2] = (uint8_t)gs_b64[(v >> 6) & 63];
		o[3] = (uint8_t)gs_b64[v & 63];
	}
	if (i < n) {
		v = (uint32_t)p[i] << 16 |
		    (i + 1 < n ? (uint32_t)p[i + 1] << 8 : 0);
		o[0] = (uint8_t)gs_b64[v >> 18];
		o[1] = (uint8_t)gs_b64[(v >> 12) & 63];
		o[2] = i + 1 < n ? (uint8_t)gs_b64[(v >> 6) & 63] : '=';
		o[3] = '=';
	}
	out->len += olen;
	out->p[out->len] = 0;
	return 0;
}

static int gs_b64val(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* gs_b64_flush: the bytes of a quantum of q chars (2..4) held in acc. */
static void gs_b64_flush(uint8_t *o, size_t *len, uint32_t acc, int q)
{
	acc <<= 6 * (4 - q);
	o[(*len)++] = (uint8_t)(acc >> 16);
	if (q > 2)
		o[(*len)++] = (uint8_t)(acc >> 8);
	if (q > 3)
		o[(*len)++] = (uint8_t)acc;
}

/*
 * Go's base64.StdEncoding (not Strict): padding is required, CR and LF are
 * skipped anywhere, unused low bits of the last quantum are ignored.
 */
int gostr_base64_decode(struct buf *out, const char *s, size_t n)
{
	size_t i, len = 0;
	uint32_t acc = 0;
	int q = 0, pad = 0, done = 0, v, r;

	if ((r = buf_reserve(out, n / 4 * 3 + 3)) < 0)
		return r;
	for (i = 0; i < n; i++) {
		if (s[i] == '\r' || s[i] == '\n')
			continue;
		if (done)
			return RP_EFORMAT;
		if (s[i] == '=') {
			if (q + pad < 2)
				return RP_EFORMAT;
			if (++pad + q == 4) {
				gs_b64_flush(out->p + out->len, &len, acc, q);
				done = 1;
			}
			continue;
		}
		if (pad || (v = gs_b64val(s[i])) < 0)
			return RP_EFORMAT;
		acc = acc << 6 | (uint32_t)v;
		if (++q == 4) {
			gs_b64_flush(out->p + out->len, &len, acc, q);
			acc = 0;
			q = 0;
		}
	}
	if (q != 0 && !done)
		return RP_EFORMAT;
	out->len += len;
	out->p[out->len] = 0;
	return 0;
}
