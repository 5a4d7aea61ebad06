/*
 * dump: one file of a snapshot, written to a file descriptor (restic's
 * `dump SNAPSHOT FILE`).  It is the way back for what `backup --stdin` or
 * `--stdin-from-command` stored: `reprise dump latest /db.sql | psql`.
 *
 * dump_find follows the path's components down the snapshot's trees (a
 * leading '/' is optional, empty components are skipped).  dump_file
 * fetches the blobs of the node's content in order, each verified against
 * its ID as it is read (repo_load_blob), and writes them.  A blob that
 * cannot be read stops the dump with an error: what was written before
 * is a prefix of the file, never a wrong byte, and the caller says so.
 */
#ifndef RP_DUMP_H
#define RP_DUMP_H

#include <stdint.h>

#include "repo/repo.h"
#include "repo/tree.h"

/* dump_find: the node at path below tree root into *out (the caller
 * releases it with node_release).  RP_ENOTFOUND if no such path (or a
 * component on the way is not a directory); the repository's errors. */
int dump_find(struct repo *r, const uint8_t root[32], const char *path,
	      struct node *out);

/* dump_file: the content of file node n to fd; *written counts the bytes
 * written (also on error).  RP_EINVAL if n is not a regular file. */
int dump_file(struct repo *r, const struct node *n, int fd,
	      uint64_t *written);

#endif
