/*
 * test_repo_format: blobs, packs, index documents, trees and snapshots
 * against the bytes restic writes (RESTIC_FORMAT.md §8-§11, §16).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "crypto/crypto.h"
#include "repo/index.h"
#include "repo/pack.h"
#include "repo/snapshot.h"
#include "repo/tree.h"
#include "util/err.h"
#include "util/hex.h"

_Static_assert(sizeof(struct index_entry) == 48, "index entry stays compact");

static void key_from_vectors(struct crypto_key *k)
{
	hex_decode("303e8687b1d7db18421bdc6bb8588ccadac4d59ee87b8ff70c44e635"
		   "790cafef", 64, k->enc, 32);
	hex_decode("ef4d8824cb80b2bcc5fbff8a9b12a42c", 32, k->mac_k, 16);
	hex_decode("cc8d4b948ee0ebfe1d415de921d10353", 32, k->mac_r, 16);
}

static void test_blob__roundtrip_kinds(void **state)
{
	struct crypto_key k;
	struct buf enc = BUF_INIT, out = BUF_INIT;
	uint8_t text[100000], rnd[70000], id[32];
	uint32_t ulen;
	size_t i;

	(void)state;
	key_from_vectors(&k);
	for (i = 0; i < sizeof(text); i++)
		text[i] = (uint8_t)"reprise restic "[i % 15];
	crypto_random(rnd, sizeof(rnd));
	/* compressible data: compressed, type 2 */
	crypto_sha256(text, sizeof(text), id);
	assert_int_equal(blob_encode(&k, 2, 3, BLOB_DATA, text, sizeof(text),
				     NULL, &enc, &ulen), 0);
	assert_int_equal(ulen, sizeof(text));
	assert_true(enc.len < sizeof(text) / 10);
	assert_int_equal(blob_decode(&k, enc.p, enc.len, ulen, id, NULL, &out),
			 0);
	assert_memory_equal(out.p, text, sizeof(text));
	/* decoded in place: the same bytes; a second time, the MAC fails */
	buf_reset(&out);
	assert_int_equal(blob_decode_inplace(&k, enc.p, enc.len, ulen, id,
					     NULL, &out), 0);
	assert_memory_equal(out.p, text, sizeof(text));
	assert_int_equal(blob_decode_inplace(&k, enc.p, enc.len, ulen, id,
					     NULL, &out), RP_ECORRUPT);
	/* incompressible data: stored plain (type 0), 32 bytes overhead */
	buf_reset(&enc);
	crypto_sha256(rnd, sizeof(rnd), id);
	assert_int_equal(blob_encode(&k, 2, 3, BLOB_DATA, rnd, sizeof(rnd),
				     NULL, &enc, &ulen), 0);
	assert_int_equal(ulen, 0);
	assert_int_equal(enc.len, sizeof(rnd) + 32);
	assert_int_equal(blob_decode(&k, enc.p, enc.len, 0, id, NULL, &out), 0);
	assert_memory_equal(out.p, rnd, sizeof(rnd));
	/* a flipped byte is caught */
	enc.p[100] ^= 1;
	assert_int_equal(blob_decode(&k, enc.p, enc.len, 0, id, NULL, &out),
			 RP_ECORRUPT);
	/* trees are compressed even when compression is off */
	buf_reset(&enc);
	assert_int_equal(blob_encode(&k, 2, 0, BLOB_TREE, text, 5000, NULL,
				     &enc, &ulen), 0);
	assert_int_equal(ulen, 5000);
	/* version 1 never compresses */
	buf_reset(&enc);
	assert_int_equal(blob_encode(&k, 1, 3, BLOB_TREE, text, 5000, NULL,
				     &enc, &ulen), 0);
	assert_int_equal(ulen, 0);
	buf_release(&enc);
	buf_release(&out);
}

/* blob_encode_inplace: the same blobs as blob_encode, without a copy of
 * an incompressible one; the bytes around the blob are its IV and MAC. */
static void test_blob__encode_inplace(void **state)
{
	struct crypto_key k;
	struct buf enc = BUF_INIT, out = BUF_INIT;
	uint8_t *room = malloc(BLOB_ROOM_BEFORE + 70000 + BLOB_ROOM_AFTER);
	uint8_t *p = room + BLOB_ROOM_BEFORE, id[32], text[50000];
	const uint8_t *e;
	size_t elen, i;
	uint32_t ulen;

	(void)state;
	key_from_vectors(&k);
	/* incompressible: sealed where it lies */
	crypto_random(p, 70000);
	crypto_sha256(p, 70000, id);
	assert_int_equal(blob_encode_inplace(&k, 2, 3, p, 70000, NULL, &enc,
					     &e, &elen, &ulen), 0);
	assert_ptr_equal(e, room);
	assert_int_equal(elen, 70000 + 32);
	assert_int_equal(ulen, 0);
	assert_int_equal(blob_decode(&k, e, elen, 0, id, NULL, &out), 0);
	/* compressible: into enc, the plaintext left as it was */
	for (i = 0; i < sizeof(text); i++)
		text[i] = (uint8_t)"plan de reprise "[i % 16];
	memcpy(p, text, sizeof(text));
	crypto_sha256(text, sizeof(text), id);
	assert_int_equal(blob_encode_inplace(&k, 2, 3, p, sizeof(text), NULL,
					     &enc, &e, &elen, &ulen), 0);
	assert_ptr_equal(e, enc.p);
	assert_int_equal(ulen, sizeof(text));
	assert_memory_equal(p, text, sizeof(text));
	assert_int_equal(blob_decode(&k, e, elen, ulen, id, NULL, &out), 0);
	assert_memory_equal(out.p, text, sizeof(text));
	/* compression off and version 1: in place, not compressed */
	assert_int_equal(blob_encode_inplace(&k, 1, 3, p, sizeof(text), NULL,
					     &enc, &e, &elen, &ulen), 0);
	assert_ptr_equal(e, room);
	assert_int_equal(ulen, 0);
	assert_int_equal(blob_decode(&k, e, elen, 0, id, NULL, &out), 0);
	memcpy(p, text, sizeof(text));
	assert_int_equal(blob_encode_inplace(&k, 2, 0, p, sizeof(text), NULL,
					     &enc, &e, &elen, &ulen), 0);
	assert_ptr_equal(e, room);
	assert_int_equal(blob_decode(&k, e, elen, 0, id, NULL, &out), 0);
	assert_memory_equal(out.p, text, sizeof(text));
	free(room);
	buf_release(&enc);
	buf_release(&out);
}

#define ID1 "0101010101010101010101010101010101010101010101010101010101010101"
#define ID2 "0202020202020202020202020202020202020202020202020202020202020202"
#define ID3 "0303030303030303030303030303030303030303030303030303030303030303"
#define BLOB2 "{\"id\":\"" ID2 "\",\"type\":\"data\",\"offset\":0," \
	      "\"length\":40}"

static int decode_str(const char *json, struct index *idx,
		      struct index_file *f)
{
	return index_json_decode((const uint8_t *)json, strlen(json), idx, f);
}

/* index_decode (streamed): every shape restic writes or wrote, keys in
 * any order, unknown keys with nested values skipped; and what the
 * document reader refused, still refused. */
static void test_index__json_shapes(void **state)
{
	static const char *bad[] = {
		"{}", "[1]", "5", "\"packs\"", "{\"packs\":{}}",
		"{\"packs\":[{\"blobs\":[" BLOB2 "]}]}",         /* no id */
		"{\"packs\":[{\"id\":\"" ID1 "\",\"blobs\":[{\"id\":\"" ID2
		"\",\"type\":\"data\",\"offset\":0}]}]}",     /* no length */
		"{\"packs\":[{\"id\":\"" ID1 "\",\"blobs\":[{\"id\":\"" ID2
		"\",\"type\":\"data\",\"offset\":4294967295,\"length\":1}]}]}",
		"{\"packs\":[{\"id\":\"" ID1 "\",\"blobs\":[{\"id\":\"" ID2
		"\",\"type\":\"data\",\"offset\":-1,\"length\":1}]}]}",
		"{\"packs\":[{\"id\":\"" ID1 "\",\"blobs\":[{\"id\":\"" ID2
		"\",\"type\":\"data\",\"offset\":1.5,\"length\":1}]}]}",
		"{\"packs\":[{\"id\":\"0101\",\"blobs\":[]}]}",  /* short id */
		"{\"packs\":[],\"supersedes\":[\"xyz\"]}",
		"{\"packs\":[[]]}", "{\"packs\":[]", "{\"packs\":[]}{}",
	};
	struct index idx;
	struct index_file f;
	struct pack_blob b;
	uint8_t id2[32], id3[32];
	size_t i;

	(void)state;
	memset(id2, 0x02, 32);
	memset(id3, 0x03, 32);
	/* blobs before the pack's id; unknown keys of every kind; a
	 * superseded index; a tree blob */
	index_init(&idx);
	assert_int_equal(decode_str("{\"future\":{\"a\":[1,{\"b\":null}]},"
		"\"packs\":[{\"blobs\":[" BLOB2 ",{\"x\":[[true]],"
		"\"length\":7,\"offset\":40,\"type\":\"tree\",\"id\":\"" ID3
		"\",\"uncompressed_length\":99}],\"id\":\"" ID1 "\"}],"
		"\"supersedes\":[\"" ID2 "\",\"" ID3 "\"]}", &idx, &f), 0);
	assert_int_equal(f.npacks, 1);
	assert_int_equal(f.packs[0].nblobs, 2);
	assert_int_equal(f.packs[0].id[0], 1);
	assert_int_equal(f.nsupersedes, 2);
	assert_memory_equal(f.supersedes[1], id3, 32);
	assert_true(index_lookup(&idx, id3, BLOB_TREE, &b, NULL));
	assert_int_equal(b.offset, 40);
	assert_int_equal(b.length, 7);
	assert_int_equal(b.ulen, 99);
	assert_false(index_lookup(&idx, id3, BLOB_DATA, NULL, NULL));
	index_file_release(&f);
	index_release(&idx);
	/* the oldest format: the array of packs; null blobs and supersedes */
	index_init(&idx);
	assert_int_equal(decode_str("[{\"id\":\"" ID1 "\",\"blobs\":["
				    BLOB2 "]},{\"id\":\"" ID3 "\",\"blobs\":"
				    "null}]", &idx, NULL), 0);
	assert_true(index_lookup(&idx, id2, BLOB_DATA, NULL, NULL));
	assert_int_equal(decode_str("{\"supersedes\":null,\"packs\":[]}",
				    &idx, NULL), 0);
	assert_int_equal(decode_str("[]", &idx, NULL), 0);
	index_release(&idx);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		index_init(&idx);
		if (decode_str(bad[i], &idx, &f) != RP_EFORMAT)
			fail_msg("accepted: %s", bad[i]);
		index_file_release(&f);
		index_release(&idx);
	}
}

static void test_pack__write_parse(void **state)
{
	struct crypto_key k;
	struct pack_writer w;
	struct buf enc = BUF_INIT;
	struct pack_blob *hdr = NULL;
	uint8_t data[3][2000], ids[3][32], packid[32], sum[32], *pt;
	uint32_t ulen, hlen;
	size_t i, cnt;

	(void)state;
	key_from_vectors(&k);
	pack_writer_init(&w, BLOB_DATA);
	for (i = 0; i < 3; i++) {
		memset(data[i], (int)('a' + i), sizeof(data[i]));
		if (i == 1)
			crypto_random(data[i], sizeof(data[i]));
		crypto_sha256(data[i], sizeof(data[i]), ids[i]);
		buf_reset(&enc);
		assert_int_equal(blob_encode(&k, 2, 3, BLOB_DATA, data[i],
					     sizeof(data[i]), NULL, &enc,
					     &ulen), 0);
		assert_int_equal(pack_writer_add(&w, ids[i], enc.p, enc.len,
						 ulen), 0);
	}
	assert_int_equal(pack_writer_finish(&w, &k, packid), 0);
	assert_int_equal(w.size, w.data.len);
	crypto_sha256(w.data.p, w.data.len, sum);
	assert_memory_equal(sum, packid, 32);
	/* trailer, header, entries: as a reader without the index sees it */
	assert_int_equal(pack_trailer_check(w.data.p + w.data.len - 4,
					    w.data.len, &hlen), 0);
	/* 2 compressed entries (41) + 1 plain (37) + 32 */
	assert_int_equal(hlen, 41 + 37 + 41 + 32);
	pt = malloc(hlen);
	assert_int_equal(crypto_open(&k, w.data.p + w.data.len - 4 - hlen,
				     hlen, pt), 0);
	assert_int_equal(pack_header_decode(pt, hlen - 32, 2, &hdr, &cnt), 0);
	assert_int_equal(cnt, 3);
	for (i = 0; i < 3; i++) {
		assert_memory_equal(hdr[i].id, ids[i], 32);
		assert_int_equal(hdr[i].offset, w.blobs[i].offset);
		assert_int_equal(hdr[i].length, w.blobs[i].length);
	}
	assert_int_equal(hdr[1].ulen, 0);
	/* version 1 refuses compressed entries */
	free(hdr);
	hdr = NULL;
	assert_int_equal(pack_header_decode(pt, hlen - 32, 1, &hdr, &cnt),
			 RP_EFORMAT);
	free(pt);
	pack_writer_release(&w);
	buf_release(&enc);
}

static void test_pack__trailer_rejects(void **state)
{
	uint8_t t[4];
	uint32_t h;

	(void)state;
	t[0] = 0, t[1] = 0, t[2] = 0, t[3] = 0;
	assert_int_equal(pack_trailer_check(t, 1000, &h), RP_EFORMAT);
	t[0] = 69;
	assert_int_equal(pack_trailer_check(t, 118, &h), 0);
	assert_int_equal(h, 69);
	assert_int_equal(pack_trailer_check(t, 72, &h), RP_EFORMAT);
	t[3] = 0x02; /* 32 MiB header */
	assert_int_equal(pack_trailer_check(t, 1u << 30, &h), RP_EFORMAT);
}

static void test_pack__header_garbage(void **state)
{
	uint8_t buf[41 * 3];
	struct pack_blob *v = NULL;
	size_t n;

	(void)state;
	memset(buf, 0, sizeof(buf));
	buf[0] = 7; /* unknown type */
	assert_int_equal(pack_header_decode(buf, 37, 2, &v, &n), RP_EFORMAT);
	buf[0] = 0; /* length 0 < 32 */
	assert_int_equal(pack_header_decode(buf, 37, 2, &v, &n), RP_EFORMAT);
	buf[1] = 45;
	assert_int_equal(pack_header_decode(buf, 36, 2, &v, &n), RP_EFORMAT);
	assert_int_equal(pack_header_decode(buf, 37, 2, &v, &n), 0);
	assert_int_equal(n, 1);
	free(v);
}

static void test_index__table(void **state)
{
	struct index idx;
	struct pack_blob b, got;
	uint8_t pid[32], gotpid[32];
	uint32_t pn;
	int i;

	(void)state;
	index_init(&idx);
	memset(pid, 0xab, 32);
	pn = index_pack_add(&idx, pid);
	assert_int_equal(index_pack_add(&idx, pid), pn);
	for (i = 0; i < 5000; i++) {
		memset(&b, 0, sizeof(b));
		crypto_sha256(&i, sizeof(i), b.id);
		b.type = (uint8_t)(i % 2);
		b.offset = (uint32_t)i * 100;
		b.length = 100;
		b.ulen = (uint32_t)(i % 3);
		index_add(&idx, &b, pn);
	}
	assert_int_equal(index_count(&idx, BLOB_DATA), 2500);
	assert_int_equal(index_count(&idx, BLOB_TREE), 2500);
	i = 4321;
	crypto_sha256(&i, sizeof(i), b.id);
	assert_true(index_lookup(&idx, b.id, BLOB_TREE, &got, gotpid));
	assert_int_equal(got.offset, 432100);
	assert_int_equal(got.ulen, 4321 % 3);
	assert_memory_equal(gotpid, pid, 32);
	/* the same id as the other type is another blob */
	assert_false(index_lookup(&idx, b.id, BLOB_DATA, NULL, NULL));
	/* reserve: new once, then known; pending until added */
	memset(b.id, 0x11, 32);
	assert_int_equal(index_reserve(&idx, b.id, BLOB_DATA), 1);
	assert_int_equal(index_reserve(&idx, b.id, BLOB_DATA), 0);
	assert_true(index_lookup(&idx, b.id, BLOB_DATA, &got, NULL));
	assert_int_equal(got.length, 0);
	b.type = BLOB_DATA;
	b.offset = 7;
	b.length = 99;
	index_add(&idx, &b, pn);
	assert_true(index_lookup(&idx, b.id, BLOB_DATA, &got, NULL));
	assert_int_equal(got.length, 99);
	index_add(&idx, &b, pn);
	assert_int_equal(idx.duplicates, 1);
	index_release(&idx);
}

static void test_index__json_roundtrip(void **state)
{
	struct index_file_pack p;
	struct pack_blob blobs[2];
	struct buf json = BUF_INIT;
	struct index idx;
	struct index_file f;
	const char *want_start = "{\"packs\":[{\"id\":\"";

	(void)state;
	memset(&p, 0, sizeof(p));
	memset(blobs, 0, sizeof(blobs));
	memset(p.id, 0x01, 32);
	memset(blobs[0].id, 0x02, 32);
	blobs[0].length = 54;
	blobs[0].ulen = 13;
	memset(blobs[1].id, 0x03, 32);
	blobs[1].offset = 54;
	blobs[1].length = 45;
	blobs[1].type = BLOB_DATA;
	p.blobs = blobs;
	p.nblobs = 2;
	assert_int_equal(index_json_encode(&p, 1, &json), 0);
	assert_memory_equal(json.p, want_start, strlen(want_start));
	assert_non_null(strstr(buf_cstr(&json), "\"offset\":0,\"length\":54,"
				"\"uncompressed_length\":13}"));
	assert_non_null(strstr(buf_cstr(&json), "\"offset\":54,\"length\":45}"));
	assert_int_equal(json.p[json.len - 1], '\n');
	index_init(&idx);
	assert_int_equal(index_json_decode(json.p, json.len, &idx, &f), 0);
	assert_int_equal(f.npacks, 1);
	assert_int_equal(f.packs[0].nblobs, 2);
	assert_int_equal(f.packs[0].blobs[0].ulen, 13);
	assert_true(index_lookup(&idx, blobs[1].id, BLOB_DATA, NULL, NULL));
	index_file_release(&f);
	index_release(&idx);
	/* bad type and a negative number are format errors */
	index_init(&idx);
	assert_int_equal(index_json_decode((const uint8_t *)"{\"packs\":[{\"id\":"
		"\"0101010101010101010101010101010101010101010101010101010101"
		"010101\",\"blobs\":[{\"id\":\"02020202020202020202020202020202"
		"02020202020202020202020202020202\",\"type\":\"weird\",\"offset\""
		":0,\"length\":40}]}]}", 200, &idx, NULL), RP_EFORMAT);
	index_release(&idx);
	buf_release(&json);
}

/* The node restic 0.14 wrote (RESTIC_FORMAT.md §11.2), byte for byte. */
static const char restic_node[] =
	"{\"nodes\":[{\"name\":\"hello.txt\",\"type\":\"file\",\"mode\":420,"
	"\"mtime\":\"2023-05-06T05:08:09.123456789Z\",\"atime\":\"2023-05-06T"
	"05:08:09.123456789Z\",\"ctime\":\"2026-11-29T04:38:28.575854557Z\","
	"\"uid\":0,\"gid\":0,\"user\":\"root\",\"group\":\"root\",\"inode\":"
	"11001883,\"device_id\":65024,\"size\":13,\"links\":2,\"content\":"
	"[\"fbbd69198637d5360353c39796181175de6311c2a61abe2fe6392c938018660f"
	"\"]}]}\n";

static void test_tree__restic_bytes(void **state)
{
	struct tree t, back;
	struct buf out = BUF_INIT;

	(void)state;
	tree_init(&t);
	assert_int_equal(tree_decode((const uint8_t *)restic_node,
				     strlen(restic_node), &t), 0);
	assert_int_equal(t.n, 1);
	assert_int_equal(t.nodes[0].inode, 11001883);
	assert_int_equal(t.nodes[0].mtime.nsec, 123456789);
	assert_int_equal(tree_encode(&t, &out), 0);
	assert_int_equal(out.len, strlen(restic_node));
	assert_memory_equal(out.p, restic_node, out.len);
	tree_init(&back);
	assert_int_equal(tree_decode(out.p, out.len, &back), 0);
	tree_release(&back);
	tree_release(&t);
	buf_release(&out);
}

static void test_tree__names_and_order(void **state)
{
	struct tree t, back;
	struct buf out = BUF_INIT;
	static const char weird[] = "we\"ird\\name\t\xc3\xa4\xff";
	struct node *n;

	(void)state;
	tree_init(&t);
	n = tree_add(&t);
	n->name = (uint8_t *)strdup("b");
	n->name_len = 1;
	n->type = NODE_DIR;
	n->has_subtree = 1;
	n = tree_add(&t);
	n->name = (uint8_t *)strdup(weird);
	n->name_len = sizeof(weird) - 1;
	n->type = NODE_FILE;
	n = tree_add(&t);
	n->name = (uint8_t *)strdup("a");
	n->name_len = 1;
	n->type = NODE_SYMLINK;
	n->linktarget = (uint8_t *)strdup("t\xfe");
	n->linktarget_len = 2;
	assert_int_equal(tree_sort(&t), 0);
	assert_memory_equal(t.nodes[0].name, "a", 1);
	assert_memory_equal(t.nodes[2].name, weird, 2);
	assert_int_equal(tree_encode(&t, &out), 0);
	assert_non_null(strstr(buf_cstr(&out),
			       "\"we\\\\\\\"ird\\\\\\\\name\\\\t\xc3\xa4\\\\xff\""));
	assert_non_null(strstr(buf_cstr(&out), "\"content\":null"));
	assert_non_null(strstr(buf_cstr(&out), "\"content\":[]"));
	assert_non_null(strstr(buf_cstr(&out), "\"linktarget_raw\":\"dP4=\""));
	tree_init(&back);
	assert_int_equal(tree_decode(out.p, out.len, &back), 0);
	assert_int_equal(back.nodes[2].name_len, sizeof(weird) - 1);
	assert_memory_equal(back.nodes[2].name, weird, sizeof(weird) - 1);
	assert_int_equal(back.nodes[0].linktarget_len, 2);
	assert_memory_equal(back.nodes[0].linktarget, "t\xfe", 2);
	tree_release(&back);
	/* duplicate names are refused */
	n = tree_add(&t);
	n->name = (uint8_t *)strdup("a");
	n->name_len = 1;
	assert_int_equal(tree_sort(&t), RP_EFORMAT);
	tree_release(&t);
	buf_release(&out);
}

static void test_tree__hostile_names(void **state)
{
	static const char *const bad[] = {
		"{\"nodes\":[{\"name\":\"..\",\"type\":\"file\",\"content\":[]}]}",
		"{\"nodes\":[{\"name\":\"a/b\",\"type\":\"file\",\"content\":[]}]}",
		"{\"nodes\":[{\"name\":\"\",\"type\":\"file\",\"content\":[]}]}",
		"{\"nodes\":[{\"name\":\"x\\\\x00\",\"type\":\"file\"}]}",
		"{\"nodes\":[{\"name\":\"x\",\"type\":\"bogus\"}]}",
		"{\"nodes\":[{\"name\":\"x\",\"type\":\"file\",\"mode\":-1}]}",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct tree t;

		tree_init(&t);
		assert_int_equal(tree_decode((const uint8_t *)bad[i],
					     strlen(bad[i]), &t), RP_EFORMAT);
		tree_release(&t);
	}
}

static void test_gomode(void **state)
{
	(void)state;
	assert_int_equal(gomode_from_unix(040755), 2147484141u);
	assert_int_equal(gomode_from_unix(0120777), 134218239u);
	assert_int_equal(gomode_from_unix(010644), 33554852u);
	assert_int_equal(gomode_from_unix(0104755), 8389101u);
	assert_int_equal(gomode_from_unix(0100644), 420u);
	assert_int_equal(gomode_to_unix(8389101u), 04755);
}

static void test_snapshot__restic_bytes(void **state)
{
	static const char doc[] =
		"{\"time\":\"2026-11-29T04:38:33.591755958Z\",\"tree\":\"b3b4"
		"3b5900000000000000000000000000000000000000000000000000003188"
		"\",\"paths\":[\"/home/user/src\"],\"hostname\":\"testhost\","
		"\"username\":\"root\"}";
	struct snapshot s;
	struct buf out = BUF_INIT;

	(void)state;
	memset(&s, 0, sizeof(s));
	assert_int_equal(snapshot_decode((const uint8_t *)doc, strlen(doc), &s),
			 0);
	assert_int_equal(s.paths.n, 1);
	assert_int_equal(snapshot_encode(&s, &out), 0);
	assert_int_equal(out.len, strlen(doc));
	assert_memory_equal(out.p, doc, out.len);
	snapshot_release(&s);
	buf_release(&out);
	memset(&s, 0, sizeof(s));
	assert_int_equal(snapshot_decode((const uint8_t *)"{\"time\":\"x\"}", 12,
					 &s), RP_EFORMAT);
	snapshot_release(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_blob__roundtrip_kinds),
		cmocka_unit_test(test_blob__encode_inplace),
		cmocka_unit_test(test_pack__write_parse),
		cmocka_unit_test(test_pack__trailer_rejects),
		cmocka_unit_test(test_pack__header_garbage),
		cmocka_unit_test(test_index__table),
		cmocka_unit_test(test_index__json_roundtrip),
		cmocka_unit_test(test_index__json_shapes),
		cmocka_unit_test(test_tree__restic_bytes),
		cmocka_unit_test(test_tree__names_and_order),
		cmocka_unit_test(test_tree__hostile_names),
		cmocka_unit_test(test_gomode),
		cmocka_unit_test(test_snapshot__restic_bytes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
