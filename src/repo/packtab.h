/*
 * packtab: the packs that index files name, as a table sorted by pack ID
 * with each pack once.  check and prune both build one, each with its own
 * per-pack fields: an element is the caller's struct, whose first member
 * is a struct index_file_pack (the pack's ID and blob list), and the
 * functions take the element size.
 *
 *   struct mine { struct index_file_pack pack; int flag; } *v = NULL;
 *   size_t n = 0;
 *   v = packtab_take(v, &n, sizeof(*v), &file);   // per index file
 *   packtab_sort(v, &n, sizeof(*v), NULL, NULL);
 *   struct mine *m = packtab_find(v, n, sizeof(*v), id);
 */
#ifndef RP_PACKTAB_H
#define RP_PACKTAB_H

#include <stddef.h>
#include <stdint.h>

#include "repo/index.h"

/* packtab_take: appends f's packs to v[0..*n) (reallocated, returned);
 * their blob lists move out of f, the other fields are zeroed. */
void *packtab_take(void *v, size_t *n, size_t size, struct index_file *f);
/* packtab_sort: sorts v by pack ID and keeps each pack once (the blob
 * list of a second copy is freed; dup, if set, is told its ID). */
void packtab_sort(void *v, size_t *n, size_t size,
		  void (*dup)(const uint8_t id[32], void *arg), void *arg);
/* packtab_find: the element for id in a sorted v, or NULL. */
void *packtab_find(const void *v, size_t n, size_t size,
		   const uint8_t id[32]);

#endif
