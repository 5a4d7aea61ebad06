/*
 * cli: the command line.  Only this layer (with main.c) prints and exits.
 *
 * main() finds the subcommand in the table (cli_commands), parses the
 * global options and the command's own with cli_getopt, opens the
 * repository when the command needs one, and calls
 *     int cmd_x(int argc, char **argv, struct cli_ctx *ctx)
 * with argv holding only the positional arguments.  The return value is the
 * process exit status; the statuses are documented in docs/reprise.1.md
 * and mirror restic's:
 *     0 ok, 1 failure, 2 usage error, 3 backup made but some files could
 *     not be read, 10 no repository, 11 repository locked, 12 wrong
 *     password.
 */
#ifndef RP_CLI_H
#define RP_CLI_H

#include <getopt.h>
#include <libintl.h>
#include <stdint.h>
#include <stdio.h>

#include "backend/backend.h"
#include "repo/repo.h"
#include "repo/snapshot.h"

#define _(s) gettext(s)
#define N_(s) (s)

enum cli_exit {
	EXIT_OK = 0,
	EXIT_FAIL = 1,
	EXIT_USAGE = 2,
	EXIT_PARTIAL = 3,
	EXIT_NOREPO = 10,
	EXIT_LOCKED = 11,
	EXIT_AUTH = 12,
};

enum cmd_flags {
	CMD_REPO = 1 << 0,    /* opens the repository first */
	CMD_HIDDEN = 1 << 1,  /* not listed by help */
};

struct cli_ctx {
	const char *repo_loc;
	const char *password_file;
	const char *state_dir;
	int json, quiet, verbose;
	int tty;              /* stderr is a terminal: show progress */
	struct backend *be;
	struct repo *repo;
	const struct cli_cmd *cmd;
};

typedef int (*cmd_fn)(int argc, char **argv, struct cli_ctx *ctx);

struct cli_cmd {
	const char *name;
	cmd_fn fn;
	unsigned flags;
	const char *summary;  /* N_() marked, translated when shown */
	const char *usage;    /* N_() marked */
};

extern const struct cli_cmd cli_commands[];

/* Option handling shared by every command: the command's options are
 * given as a getopt_long table and a short-option string; global options
 * (-r/--repo, --password-file, --json, -q, -v, --state, -h) are accepted
 * anywhere.  fn is called for each command option with its value; a
 * non-zero return stops parsing with that exit status.  On return,
 * *argc and *argv hold the positional arguments. */
typedef int (*opt_fn)(int opt, const char *arg, void *data);
int cli_getopt(int *argc, char ***argv, struct cli_ctx *ctx,
	       const struct option *opts, const char *shortopts, opt_fn fn,
	       void *data);

/* cli_error: "reprise: <msg>" on stderr; returns EXIT_FAIL. */
int cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* cli_usage_error: message plus "see reprise help CMD"; EXIT_USAGE. */
int cli_usage_error(struct cli_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* cli_exit_code: exit status for a library error code. */
int cli_exit_code(int err);
/* cli_strerror: the translated text of an error code. */
const char *cli_strerror(int err);

/* cli_password: the repository password from --password-file,
 * REPRISE_PASSWORD_FILE, REPRISE_PASSWORD or a terminal prompt.  *pw is
 * new (free with cli_password_free).  0 or an exit status. */
int cli_password(struct cli_ctx *ctx, const char *file, char **pw,
		 size_t *len);
void cli_password_free(char *pw, size_t len);
/* cli_state_dir: --state, REPRISE_STATE, /var/lib/reprise (root) or
 * ~/.local/state/reprise.  New string. */
char *cli_state_dir(const struct cli_ctx *ctx);
/* cli_open_repo: opens ctx->repo (used by main for CMD_REPO). */
int cli_open_repo(struct cli_ctx *ctx);

/* Human formats (fmt.c) into caller buffers of at least 32 bytes. */
const char *fmt_size(uint64_t bytes, char *out, size_t n);
const char *fmt_duration(double seconds, char *out, size_t n);
/* fmt_time: local time "YYYY-MM-DD HH:MM:SS". */
const char *fmt_time(int64_t sec, char *out, size_t n);
/* cli_split_add: each non-empty item of "a,b,c" into l. */
int cli_split_add(struct strlist *l, const char *csv);
/* cli_parse_size: "100", "10k", "5M", "1G", "2T" (powers of 1024, as
 * restic), 0 only if zero_ok; -1 if malformed or too large. */
int cli_parse_size(const char *arg, uint64_t *out, int zero_ok);
/* cli_find_snapshot: the snapshot named on the command line ("latest"
 * under filter f, which may be NULL, or an ID prefix) into *s; 0, or the
 * error printed and its exit status. */
int cli_find_snapshot(struct cli_ctx *ctx, const char *what,
		      const struct snapshot_filter *f, struct snapshot *s);
/* cli_is_id_prefix: 1 if s is 1 to 64 hex digits (an ID or its start). */
int cli_is_id_prefix(const char *s);
/* cli_id_named: 1 if n == 0 or the ID starts with one of prefixes. */
int cli_id_named(const uint8_t id[32], char *const *prefixes, size_t n);
/* cli_parse_time: local "YYYY-MM-DD HH:MM:SS" (restic's --time) into
 * seconds since the epoch; -1 if malformed or no such day. */
int cli_parse_time(const char *arg, int64_t *out);
/* cli_parse_when: the same, the seconds or the time of day optional
 * ("2026-01-31", "2026-01-31 18:00"), as restic's find -O/-N. */
int cli_parse_when(const char *arg, int64_t *out);

/* commands */
int cmd_init(int argc, char **argv, struct cli_ctx *ctx);
int cmd_backup(int argc, char **argv, struct cli_ctx *ctx);
int cmd_snapshots(int argc, char **argv, struct cli_ctx *ctx);
int cmd_ls(int argc, char **argv, struct cli_ctx *ctx);
int cmd_restore(int argc, char **argv, struct cli_ctx *ctx);
int cmd_check(int argc, char **argv, struct cli_ctx *ctx);
int cmd_cat(int argc, char **argv, struct cli_ctx *ctx);
int cmd_dump(int argc, char **argv, struct cli_ctx *ctx);
int cmd_find(int argc, char **argv, struct cli_ctx *ctx);
int cmd_diff(int argc, char **argv, struct cli_ctx *ctx);
int cmd_tag(int argc, char **argv, struct cli_ctx *ctx);
int cmd_stats(int argc, char **argv, struct cli_ctx *ctx);
int cmd_key(int argc, char **argv, struct cli_ctx *ctx);
int cmd_unlock(int argc, char **argv, struct cli_ctx *ctx);
int cmd_version(int argc, char **argv, struct cli_ctx *ctx);
int cmd_help(int argc, char **argv, struct cli_ctx *ctx);
int cmd_run(int argc, char **argv, struct cli_ctx *ctx);
int cmd_plan(int argc, char **argv, struct cli_ctx *ctx);
int cmd_forget(int argc, char **argv, struct cli_ctx *ctx);
int cmd_prune(int argc, char **argv, struct cli_ctx *ctx);
int cmd_copy(int argc, char **argv, struct cli_ctx *ctx);
int cmd_repair(int argc, char **argv, struct cli_ctx *ctx);
int cmd_daemon(int argc, char **argv, struct cli_ctx *ctx);
int cmd_drill(int argc, char **argv, struct cli_ctx *ctx);
/* the plan side of `check` (cmd_assess.c) */
int cli_plan_check(int argc, char **argv, struct cli_ctx *ctx);
struct plan;
int cli_plan_load(const char *path, struct plan **out);
struct catalog;
int cli_open_catalog(struct cli_ctx *ctx, struct catalog **cat);
/* cli_assess: prints and records the findings of p at `at`; returns the
 * number of critical ones. */
int cli_assess(struct cli_ctx *ctx, const struct plan *p, struct catalog *cat,
	       int64_t at);
/* cli_demo_plan: the example plan of `reprise run` (run_plan.c). */
int cli_demo_plan(const char *state, const char *path, const char *lang);
int cmd_status(int argc, char **argv, struct cli_ctx *ctx);
int cmd_alert(int argc, char **argv, struct cli_ctx *ctx);

#endif
