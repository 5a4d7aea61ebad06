/* backup: the CLI face of engine/backup. */
#include "cli/cli.h"

#include <glob.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/backup.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/fsx.h"
#include "util/hex.h"
#include "util/jsonw.h"

enum {
	O_EXCLUDE_FILE = 1, O_TAG, O_HOST, O_PARENT, O_COMPRESSION, O_STDIN,
	O_STDIN_NAME, O_STDIN_CMD, O_THREADS, O_IEXCLUDE, O_IEXCLUDE_FILE,
	O_CACHES, O_IF_PRESENT, O_LARGER, O_FILES_FROM, O_FILES_VERBATIM,
	O_FILES_RAW, O_TIME, O_IGNORE_INODE, O_IGNORE_CTIME,
};

struct bk {
	struct backup_opts o;
	struct cli_ctx *ctx;
	int stdin_mode, cmd_mode, level;
	int had_progress;
	int from_lists;        /* some --files-from* was given */
	struct strlist targets; /* paths read from the --files-from* lists */
};

/* FILES_FROM_MAX: a --files-from or --exclude-file is text a person
 * wrote or a script produced; 64 MiB is far beyond either. */
#define FILES_FROM_MAX (64u << 20)

/* list_lines: the lines of a pattern or path list, blanks around them
 * trimmed, empty lines and # comments left out (restic's reading of
 * --exclude-file and --files-from). */
static void list_lines(char *text, struct strlist *out)
{
	char *line, *save = NULL;

	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		size_t n = strlen(line);

		while (n && (line[n - 1] == '\r' || line[n - 1] == ' ' ||
			     line[n - 1] == '\t'))
			line[--n] = '\0';
		while (*line == ' ' || *line == '\t')
			line++;
		if (*line && *line != '#')
			strlist_add(out, line);
	}
}

static int read_list(const char *opt, const char *path, struct buf *f)
{
	int rc;

	f->max = FILES_FROM_MAX;
	if ((rc = fsx_read_file(path, f)) < 0)
		return cli_error(_("cannot read the %s file %s: %s"), opt, path,
				 cli_strerror(rc));
	buf_cstr(f);
	return 0;
}

static int read_exclude_file(const char *opt, const char *path,
			     struct strlist *out)
{
	struct buf f = BUF_INIT;
	int rc = read_list(opt, path, &f);

	if (rc == 0)
		list_lines((char *)f.p, out);
	buf_release(&f);
	return rc;
}

/* add_glob: the paths a --files-from line names (a glob pattern, as
 * restic expands it); none is a warning, as in restic. */
static void add_glob(struct bk *b, const char *pattern)
{
	glob_t g;
	size_t i;

	memset(&g, 0, sizeof(g));
	if (glob(pattern, 0, NULL, &g) != 0 || g.gl_pathc == 0)
		fprintf(stderr, _("warning: pattern %s does not match any "
				  "files, skipping\n"), pattern);
	for (i = 0; i < g.gl_pathc; i++)
		strlist_add(&b->targets, g.gl_pathv[i]);
	globfree(&g);
}

/* add_verbatim: a path from --files-from-verbatim or -raw, as written;
 * one that does not exist is a warning, as in restic. */
static void add_verbatim(struct bk *b, const char *path)
{
	struct stat st;

	if (lstat(path, &st) < 0)
		fprintf(stderr, _("warning: %s does not exist, skipping\n"),
			path);
	else
		strlist_add(&b->targets, path);
}

/* read_files_from: --files-from (sep '\n', comments, globs),
 * --files-from-verbatim (sep '\n', as written), --files-from-raw (sep
 * NUL, as written). */
static int read_files_from(struct bk *b, int opt, const char *path)
{
	struct buf f = BUF_INIT;
	struct strlist lines = { NULL, 0 };
	const char *name = opt == O_FILES_FROM ? "--files-from"
			 : opt == O_FILES_VERBATIM ? "--files-from-verbatim"
						   : "--files-from-raw";
	size_t i, start;
	int rc = read_list(name, path, &f);

	b->from_lists = 1;
	if (rc == 0 && opt == O_FILES_FROM) {
		list_lines((char *)f.p, &lines);
		for (i = 0; i < lines.n; i++)
			add_glob(b, lines.v[i]);
	} else if (rc == 0) {
		char sep = opt == O_FILES_RAW ? '\0' : '\n';

		for (i = start = 0; i <= f.len; i++) {
			if (i < f.len && f.p[i] != (uint8_t)sep)
				continue;
			if (i > start) {
				f.p[i] = '\0';
				add_verbatim(b, (const char *)f.p + start);
			}
			start = i + 1;
		}
	}
	strlist_release(&lines);
	buf_release(&f);
	return rc;
}

static int parse_threads(struct bk *b, const char *arg)
{
	char *end;
	long v = strtol(arg, &end, 10);

	if (*arg == '\0' || *end || v < 1 || v > 256)
		return cli_usage_error(b->ctx, _("--threads takes a number "
						 "from 1 to 256, not '%s'"),
				       arg);
	b->o.threads = (int)v;
	return 0;
}

static int parse_if_present(struct bk *b, const char *arg)
{
	size_t nlen = strcspn(arg, ":");

	if (nlen == 0 || memchr(arg, '/', nlen))
		return cli_usage_error(b->ctx, _("--exclude-if-present takes a "
						 "file name, optionally "
						 "followed by :HEADER, not "
						 "'%s'"), arg);
	strlist_add(&b->o.if_present, arg);
	return 0;
}

static int backup_opt2(int opt, const char *arg, struct bk *b)
{
	switch (opt) {
	case O_IEXCLUDE: strlist_add(&b->o.iexcludes, arg); return 0;
	case O_IEXCLUDE_FILE:
		return read_exclude_file("--iexclude-file", arg,
					 &b->o.iexcludes);
	case O_CACHES: strlist_add(&b->o.if_present, CACHEDIR_TAG); return 0;
	case O_IF_PRESENT: return parse_if_present(b, arg);
	case O_LARGER:
		if (cli_parse_size(arg, &b->o.max_file_size, 0) < 0)
			return cli_usage_error(b->ctx,
				_("--exclude-larger-than takes a size such as "
				  "500K, 20M or 1G, not '%s'"), arg);
		return 0;
	case O_FILES_FROM: case O_FILES_VERBATIM: case O_FILES_RAW:
		return read_files_from(b, opt, arg);
	case O_TIME:
		if (cli_parse_time(arg, &b->o.time_sec) < 0)
			return cli_usage_error(b->ctx, _("--time takes a local "
				"time such as \"2026-01-31 18:00:00\", not "
				"'%s'"), arg);
		return 0;
	case O_IGNORE_INODE:
		/* as restic: on FUSE and network file systems, where inode
		 * numbers are not stable, the ctime is not either */
		b->o.ignore_inode = b->o.ignore_ctime = 1;
		return 0;
	case O_IGNORE_CTIME: b->o.ignore_ctime = 1; return 0;
	case 'n': b->o.dry_run = 1; return 0;
	default:
		return EXIT_USAGE;
	}
}

static int backup_opt(int opt, const char *arg, void *data)
{
	struct bk *b = data;

	switch (opt) {
	case 'e': strlist_add(&b->o.excludes, arg); return 0;
	case O_EXCLUDE_FILE:
		return read_exclude_file("--exclude-file", arg,
					 &b->o.excludes);
	case 'x': b->o.one_file_system = 1; return 0;
	case O_TAG: return cli_split_add(&b->o.tags, arg);
	case O_HOST: b->o.host = arg; return 0;
	case O_PARENT: b->o.parent = arg; return 0;
	case 'f': b->o.force = 1; return 0;
	case O_STDIN: b->stdin_mode = 1; return 0;
	case O_STDIN_NAME: b->o.stdin_filename = arg; return 0;
	case O_STDIN_CMD: b->cmd_mode = 1; return 0;
	case O_THREADS: return parse_threads(b, arg);
	case O_COMPRESSION:
		if (strcmp(arg, "auto") == 0)
			b->level = PACK_COMPRESS_AUTO;
		else if (strcmp(arg, "off") == 0)
			b->level = PACK_COMPRESS_OFF;
		else if (strcmp(arg, "max") == 0)
			b->level = PACK_COMPRESS_MAX;
		else
			return cli_usage_error(b->ctx, _("--compression must be "
				"auto, off or max, not '%s'"), arg);
		return 0;
	default:
		return backup_opt2(opt, arg, b);
	}
}

static void on_progress(const struct backup_stats *st, void *arg)
{
	struct bk *b = arg;
	char size[32], dur[32];
	const char *cur = st->current ? st->current : "";
	size_t len = strlen(cur);

	if (!b->ctx->tty || b->ctx->quiet || b->ctx->json)
		return;
	if (len > 40)
		cur += len - 40;
	fprintf(stderr, "\r\033[K%s  %llu %s, %s  %s", fmt_duration(st->seconds,
		dur, sizeof(dur)), (unsigned long long)st->total_files,
		_("files"), fmt_size(st->total_bytes, size, sizeof(size)), cur);
	b->had_progress = 1;
}

static void on_warn(const char *path, const char *what, int err, void *arg)
{
	struct bk *b = arg;

	if (b->had_progress)
		fputs("\r\033[K", stderr);
	fprintf(stderr, _("warning: %s: cannot %s: %s (left out of the "
			  "snapshot)\n"), path, _(what), cli_strerror(err));
}

static void summary_json(const struct backup_stats *st, int dry)
{
	struct buf out = BUF_INIT;
	struct jsonw w;

	jsonw_init(&w, &out);
	jsonw_obj_begin(&w);
	jsonw_key(&w, "message_type"); jsonw_str(&w, "summary");
	jsonw_key(&w, "files_new"); jsonw_u64(&w, st->files_new);
	jsonw_key(&w, "files_changed"); jsonw_u64(&w, st->files_changed);
	jsonw_key(&w, "files_unmodified"); jsonw_u64(&w, st->files_unmodified);
	jsonw_key(&w, "dirs_new"); jsonw_u64(&w, st->dirs_new);
	jsonw_key(&w, "dirs_changed"); jsonw_u64(&w, st->dirs_changed);
	jsonw_key(&w, "dirs_unmodified"); jsonw_u64(&w, st->dirs_unmodified);
	jsonw_key(&w, "data_blobs"); jsonw_u64(&w, st->data_blobs);
	jsonw_key(&w, "tree_blobs"); jsonw_u64(&w, st->tree_blobs);
	jsonw_key(&w, "data_added"); jsonw_u64(&w, st->data_added);
	jsonw_key(&w, "data_added_packed"); jsonw_u64(&w, st->data_added_packed);
	jsonw_key(&w, "total_files_processed"); jsonw_u64(&w, st->total_files);
	jsonw_key(&w, "total_bytes_processed"); jsonw_u64(&w, st->total_bytes);
	jsonw_key(&w, "total_duration");
	{
		/* not %f: LC_NUMERIC may want a decimal comma */
		unsigned long long ms = (unsigned long long)(st->seconds * 1000);
		char d[32];

		snprintf(d, sizeof(d), "%llu.%03llu", ms / 1000, ms % 1000);
		jsonw_raw(&w, d, strlen(d));
	}
	jsonw_key(&w, "errors"); jsonw_u64(&w, st->errors);
	if (dry) {
		jsonw_key(&w, "dry_run");
		jsonw_bool(&w, 1);
	} else {
		jsonw_key(&w, "snapshot_id");
		jsonw_hex(&w, st->snapshot_id, 32);
	}
	jsonw_obj_end(&w);
	if (jsonw_finish(&w) == 0)
		printf("%s\n", buf_cstr(&out));
	buf_release(&out);
}

/* counts: "1 new, 0 changed, 3 unmodified": each count agrees with its
 * word (in French the adjectives take the plural). */
static void counts(uint64_t n, uint64_t c, uint64_t u)
{
	printf(ngettext("%llu new, ", "%llu new, ", n), (unsigned long long)n);
	printf(ngettext("%llu changed, ", "%llu changed, ", c),
	       (unsigned long long)c);
	printf(ngettext("%llu unmodified\n", "%llu unmodified\n", u),
	       (unsigned long long)u);
}

static void summary_text(const struct backup_stats *st, int dry)
{
	char a[32], b[32], d[32], hex[65];

	fputs(_("Files:       "), stdout);
	counts(st->files_new, st->files_changed, st->files_unmodified);
	fputs(_("Dirs:        "), stdout);
	counts(st->dirs_new, st->dirs_changed, st->dirs_unmodified);
	printf(_("Added to the repository: %s (%s stored)\n"),
	       fmt_size(st->data_added, a, sizeof(a)),
	       fmt_size(st->data_added_packed, b, sizeof(b)));
	printf(ngettext("processed %llu file, %s in %s\n",
			"processed %llu files, %s in %s\n", st->total_files),
	       (unsigned long long)st->total_files,
	       fmt_size(st->total_bytes, a, sizeof(a)),
	       fmt_duration(st->seconds, d, sizeof(d)));
	if (dry) {
		printf("%s\n", _("dry run: nothing was written to the "
				  "repository"));
		return;
	}
	hex_encode(st->snapshot_id, 32, hex);
	printf(_("snapshot %.8s saved\n"), hex);
}

static int report(struct bk *b, int rc, const struct backup_stats *st)
{
	if (b->had_progress)
		fputs("\r\033[K", stderr);
	if (rc == 0 || rc == RP_EPARTIAL) {
		if (b->ctx->json)
			summary_json(st, b->o.dry_run);
		else if (!b->ctx->quiet)
			summary_text(st, b->o.dry_run);
		if (rc == RP_EPARTIAL)
			cli_error(ngettext("%llu file or folder could not be "
					   "read; the snapshot was saved "
					   "without it",
					   "%llu files or folders could not "
					   "be read; the snapshot was saved "
					   "without them", st->errors),
				  (unsigned long long)st->errors);
		return cli_exit_code(rc);
	}
	if (rc == RP_ECMD)
		cli_error(_("the command failed: no snapshot was saved"));
	else if (rc == RP_EINTR)
		cli_error(_("interrupted: no snapshot was saved; what was "
			    "already stored is reused by the next backup"));
	else if (rc == RP_ENOSPC)
		cli_error(_("no space left on the repository's disk: no snapshot "
			    "was saved; free some space and run the backup "
			    "again"));
	else if (rc == RP_ELOCKED)
		cli_error(_("the repository is locked by another process; if it "
			    "is gone, run 'reprise unlock'"));
	else
		cli_error(_("backup failed: %s; no snapshot was saved"),
			  cli_strerror(rc));
	return cli_exit_code(rc) == EXIT_USAGE ? EXIT_FAIL : cli_exit_code(rc);
}

static void on_signal(int sig)
{
	(void)sig;
	backup_interrupt();
}

static void catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

int cmd_backup(int argc, char **argv, struct cli_ctx *ctx)
{
	static const struct option opts[] = {
		{ "exclude", required_argument, NULL, 'e' },
		{ "exclude-file", required_argument, NULL, O_EXCLUDE_FILE },
		{ "one-file-system", no_argument, NULL, 'x' },
		{ "tag", required_argument, NULL, O_TAG },
		{ "host", required_argument, NULL, O_HOST },
		{ "parent", required_argument, NULL, O_PARENT },
		{ "force", no_argument, NULL, 'f' },
		{ "compression", required_argument, NULL, O_COMPRESSION },
		{ "stdin", no_argument, NULL, O_STDIN },
		{ "stdin-filename", required_argument, NULL, O_STDIN_NAME },
		{ "stdin-from-command", no_argument, NULL, O_STDIN_CMD },
		{ "threads", required_argument, NULL, O_THREADS },
		{ "iexclude", required_argument, NULL, O_IEXCLUDE },
		{ "iexclude-file", required_argument, NULL, O_IEXCLUDE_FILE },
		{ "exclude-caches", no_argument, NULL, O_CACHES },
		{ "exclude-if-present", required_argument, NULL, O_IF_PRESENT },
		{ "exclude-larger-than", required_argument, NULL, O_LARGER },
		{ "files-from", required_argument, NULL, O_FILES_FROM },
		{ "files-from-verbatim", required_argument, NULL,
		  O_FILES_VERBATIM },
		{ "files-from-raw", required_argument, NULL, O_FILES_RAW },
		{ "time", required_argument, NULL, O_TIME },
		{ "ignore-inode", no_argument, NULL, O_IGNORE_INODE },
		{ "ignore-ctime", no_argument, NULL, O_IGNORE_CTIME },
		{ "dry-run", no_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	struct bk b;
	struct backup_stats st;
	int rc, i;

	memset(&b, 0, sizeof(b));
	b.ctx = ctx;
	b.level = -1;
	b.o.stdin_fd = -1;
	rc = cli_getopt(&argc, &argv, ctx, opts, "e:xfn", backup_opt, &b);
	if (rc != 0)
		goto out;
	if (b.stdin_mode && b.cmd_mode) {
		rc = cli_usage_error(ctx, _("--stdin and --stdin-from-command "
					    "exclude each other"));
		goto out;
	}
	if (b.cmd_mode && argc == 0) {
		rc = cli_usage_error(ctx, _("--stdin-from-command needs a "
					    "command after --"));
		goto out;
	}
	if ((b.stdin_mode || b.cmd_mode) && b.from_lists) {
		rc = cli_usage_error(ctx, _("--files-from and --stdin (or "
					    "--stdin-from-command) exclude "
					    "each other"));
		goto out;
	}
	if (b.stdin_mode && argc > 0) {
		rc = cli_usage_error(ctx, _("--stdin takes no paths"));
		goto out;
	}
	for (i = 0; !b.cmd_mode && i < argc; i++)
		strlist_add(&b.targets, argv[i]);
	if (b.from_lists && b.targets.n == 0) {
		rc = cli_error(_("nothing to back up: no path of the "
				 "--files-from lists exists"));
		goto out;
	}
	if (!b.stdin_mode && !b.cmd_mode && b.targets.n == 0) {
		rc = cli_usage_error(ctx, _("nothing to back up: give at least "
					    "one path"));
		goto out;
	}
	if ((rc = cli_open_repo(ctx)) != 0)
		goto out;
	if (b.level >= 0)
		ctx->repo->level = b.level;
	if (b.stdin_mode)
		b.o.stdin_fd = 0;
	if (b.cmd_mode)
		b.o.command = (const char *const *)argv;
	else {
		b.o.paths = (const char *const *)b.targets.v;
		b.o.npaths = b.targets.n;
	}
	catch_signals();
	b.o.progress = on_progress;
	b.o.warn = on_warn;
	b.o.arg = &b;
	rc = report(&b, backup_run(ctx->repo, &b.o, &st), &st);
out:
	strlist_release(&b.o.excludes);
	strlist_release(&b.o.iexcludes);
	strlist_release(&b.o.if_present);
	strlist_release(&b.o.tags);
	strlist_release(&b.targets);
	return rc < 0 ? 0 : rc;
}
