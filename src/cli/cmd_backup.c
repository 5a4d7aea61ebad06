/* backup: the CLI face of engine/backup. */
#include "cli/cli.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/backup.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/fsx.h"
#include "util/hex.h"
#include "util/jsonw.h"

enum {
	O_EXCLUDE_FILE = 1, O_TAG, O_HOST, O_PARENT, O_COMPRESSION, O_STDIN,
	O_STDIN_NAME, O_STDIN_CMD, O_THREADS,
};

struct bk {
	struct backup_opts o;
	struct cli_ctx *ctx;
	int stdin_mode, cmd_mode, level;
	int had_progress;
};

static int read_exclude_file(struct bk *b, const char *path)
{
	struct buf f = BUF_INIT;
	char *line, *save = NULL;
	int rc;

	f.max = 16 << 20;
	if ((rc = fsx_read_file(path, &f)) < 0) {
		buf_release(&f);
		return cli_error(_("cannot read exclude file %s: %s"), path,
				 cli_strerror(rc));
	}
	for (line = strtok_r((char *)f.p, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		size_t n = strlen(line);

		while (n && (line[n - 1] == '\r' || line[n - 1] == ' '))
			line[--n] = '\0';
		while (*line == ' ' || *line == '\t')
			line++;
		if (*line && *line != '#')
			strlist_add(&b->o.excludes, line);
	}
	buf_release(&f);
	return 0;
}

static int backup_opt(int opt, const char *arg, void *data)
{
	struct bk *b = data;

	switch (opt) {
	case 'e': strlist_add(&b->o.excludes, arg); return 0;
	case O_EXCLUDE_FILE: return read_exclude_file(b, arg);
	case 'x': b->o.one_file_system = 1; return 0;
	case O_TAG: return cli_split_add(&b->o.tags, arg);
	case O_HOST: b->o.host = arg; return 0;
	case O_PARENT: b->o.parent = arg; return 0;
	case 'f': b->o.force = 1; return 0;
	case O_STDIN: b->stdin_mode = 1; return 0;
	case O_STDIN_NAME: b->o.stdin_filename = arg; return 0;
	case O_STDIN_CMD: b->cmd_mode = 1; return 0;
	case O_THREADS: b->o.threads = atoi(arg); return 0;
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
		return EXIT_USAGE;
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

static void summary_json(const struct backup_stats *st)
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
	jsonw_key(&w, "snapshot_id"); jsonw_hex(&w, st->snapshot_id, 32);
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

static void summary_text(const struct backup_stats *st)
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
	hex_encode(st->snapshot_id, 32, hex);
	printf(_("snapshot %.8s saved\n"), hex);
}

static int report(struct bk *b, int rc, const struct backup_stats *st)
{
	if (b->had_progress)
		fputs("\r\033[K", stderr);
	if (rc == 0 || rc == RP_EPARTIAL) {
		if (b->ctx->json)
			summary_json(st);
		else if (!b->ctx->quiet)
			summary_text(st);
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
		{ NULL, 0, NULL, 0 },
	};
	struct bk b;
	struct backup_stats st;
	int rc;

	memset(&b, 0, sizeof(b));
	b.ctx = ctx;
	b.level = -1;
	b.o.stdin_fd = -1;
	rc = cli_getopt(&argc, &argv, ctx, opts, "e:xf", backup_opt, &b);
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
	if (b.stdin_mode && argc > 0) {
		rc = cli_usage_error(ctx, _("--stdin takes no paths"));
		goto out;
	}
	if (!b.stdin_mode && !b.cmd_mode && argc == 0) {
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
		b.o.paths = (const char *const *)argv;
		b.o.npaths = (size_t)argc;
	}
	catch_signals();
	b.o.progress = on_progress;
	b.o.warn = on_warn;
	b.o.arg = &b;
	rc = report(&b, backup_run(ctx->repo, &b.o, &st), &st);
out:
	strlist_release(&b.o.excludes);
	strlist_release(&b.o.tags);
	return rc < 0 ? 0 : rc;
}
