/*
 * backup: files, directories or a command's output into a new snapshot.
 *
 * The root tree holds the given paths as they were written, with every
 * intermediate directory (restic's layout: `backup /srv/data` gives
 * srv -> data).  The parent snapshot is the newest one with the same host
 * and paths (or the one given); a file whose size, mtime, ctime and inode
 * are those of the parent's node keeps the parent's content without being
 * read.  Everything else is read, cut by the chunker, hashed, and handed to
 * the pipeline (see pipeline.h).  The snapshot is written last, and only if
 * every blob and the index reached the repository.
 *
 * A file that cannot be read is reported through warn() and left out; the
 * snapshot is still made and backup_run returns RP_EPARTIAL.  A failing
 * --stdin-from-command, a full disk or any repository error leaves no
 * snapshot.
 */
#ifndef RP_BACKUP_H
#define RP_BACKUP_H

#include <stdint.h>

#include "repo/repo.h"
#include "repo/snapshot.h"

struct backup_stats {
	uint64_t files_new, files_changed, files_unmodified;
	uint64_t dirs_new, dirs_changed, dirs_unmodified;
	uint64_t data_blobs, tree_blobs;
	uint64_t data_added, data_added_packed;
	uint64_t total_files, total_bytes;  /* processed so far */
	uint64_t errors;
	uint8_t snapshot_id[32];
	int has_parent;
	uint8_t parent_id[32];
	double seconds;
	const char *current;                /* file being read (progress) */
};

struct backup_opts {
	const char *const *paths;
	size_t npaths;
	struct strlist excludes;      /* patterns, as restic's --exclude */
	struct strlist iexcludes;     /* the same, ignoring case */
	/* NAME or NAME:HEADER: a directory holding a file NAME (that starts
	 * with HEADER) keeps only that file (--exclude-if-present;
	 * --exclude-caches is CACHEDIR.TAG with its signature) */
	struct strlist if_present;
	uint64_t max_file_size;       /* larger files are left out; 0: none */
	int one_file_system;
	int ignore_inode, ignore_ctime; /* in the comparison with the parent */
	int dry_run;                  /* read everything, write nothing */
	int64_t time_sec;             /* snapshot time; 0: now */
	struct strlist tags;
	const char *host;             /* NULL: this machine's name */
	const char *parent;           /* ID prefix; NULL: automatic */
	int force;                    /* read everything, no parent */
	int stdin_fd;                 /* >= 0: back up this stream */
	const char *stdin_filename;
	const char *const *command;   /* argv of --stdin-from-command */
	int threads;                  /* 0: number of CPUs */
	/* callbacks: may be NULL; called one at a time (on the walking
	 * thread, or warn on a file reader) */
	void (*progress)(const struct backup_stats *st, void *arg);
	void (*warn)(const char *path, const char *what, int err, void *arg);
	void *arg;
};

int backup_run(struct repo *r, const struct backup_opts *o,
	       struct backup_stats *st);

/* backup_interrupt: async-signal-safe; the running backup stops at the
 * next file or read with RP_EINTR, writes no snapshot, removes its
 * unfinished pack files and its lock. */
void backup_interrupt(void);

/* backup_excluded: 1 if path (absolute) matches one of the patterns, with
 * restic's rules: a pattern without '/' matches any path component; one
 * with '/' matches the end of the path (or, when it starts with '/', the
 * whole path); '*' stays in a component, '**' crosses them.  icase: the
 * letters' case does not matter (--iexclude). */
int backup_excluded(const struct strlist *patterns, const char *path,
		    int icase);

/* The signature a CACHEDIR.TAG file starts with (bford.info/cachedir). */
#define CACHEDIR_TAG "CACHEDIR.TAG:Signature: 8a477f597d28d172789f06886806bc55"

#endif
