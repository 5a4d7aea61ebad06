/*
 * reprise: business continuity for a small company.
 *
 * main() sets up the locale and logging, finds the subcommand in
 * cli_commands, opens the repository when the command needs it, runs the
 * command and turns its result into the exit status (see cli/cli.h).  It
 * also checks that standard output was written out completely.
 */
#include <errno.h>
#include <locale.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "util/log.h"

static void log_to_stderr(enum log_level lvl, const char *func,
			  const char *msg, void *arg)
{
	(void)arg;
	if (lvl == LOG_DEBUG)
		fprintf(stderr, "reprise: debug: %s: %s\n", func, msg);
	else if (lvl >= LOG_ERROR)
		fprintf(stderr, "reprise: %s\n", msg);
	else
		fprintf(stderr, "reprise: %s\n", msg);
}

static const struct cli_cmd *find_command(const char *name)
{
	const struct cli_cmd *c;

	for (c = cli_commands; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

/* command_name: the first operand, skipping global options and values. */
static int command_index(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "-r") == 0 || strcmp(a, "--repo") == 0 ||
		    strcmp(a, "--password-file") == 0 ||
		    strcmp(a, "--state") == 0 || strcmp(a, "--plan") == 0) {
			i++;
			continue;
		}
		if (a[0] != '-')
			return i;
	}
	return -1;
}

static int run(int argc, char **argv)
{
	struct cli_ctx ctx;
	const struct cli_cmd *cmd;
	char **args;
	int ci = command_index(argc, argv), rc, i, n = 0;

	memset(&ctx, 0, sizeof(ctx));
	ctx.tty = isatty(2);
	if (ci < 0) {
		for (i = 1; i < argc; i++)
			if (strcmp(argv[i], "--version") == 0)
				return cmd_version(0, argv, &ctx);
		cmd_help(0, argv, &ctx);
		return argc > 1 && (strcmp(argv[1], "-h") == 0 ||
				    strcmp(argv[1], "--help") == 0)
			       ? EXIT_OK : EXIT_USAGE;
	}
	cmd = find_command(argv[ci]);
	if (cmd == NULL) {
		cli_error(_("unknown command '%s' (see 'reprise help')"),
			  argv[ci]);
		return EXIT_USAGE;
	}
	ctx.cmd = cmd;
	/* argv for the command: its name first, then everything else */
	args = calloc((size_t)argc + 1, sizeof(*args));
	if (args == NULL)
		return EXIT_FAIL;
	args[n++] = argv[ci];
	for (i = 1; i < argc; i++)
		if (i != ci)
			args[n++] = argv[i];
	rc = cmd->fn(n, args, &ctx);
	free(args);
	if (ctx.repo)
		repo_free(ctx.repo);
	if (ctx.be)
		backend_close(ctx.be);
	return rc;
}

int main(int argc, char **argv)
{
	int rc;

	/* chunks and packs are megabytes each: map and unmap them, rather
	 * than let glibc's sliding threshold keep them in arenas whose high
	 * water stays resident; and a few arenas are enough */
	mallopt(M_MMAP_THRESHOLD, 1 << 20);
	mallopt(M_ARENA_MAX, 2);
	setlocale(LC_ALL, "");
	bindtextdomain("reprise", getenv("REPRISE_LOCALEDIR")
					  ? getenv("REPRISE_LOCALEDIR")
					  : LOCALEDIR);
	textdomain("reprise");
	log_set_sink(log_to_stderr, NULL);
	rc = run(argc, argv);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "reprise: %s: %s\n", _("cannot write output"),
			strerror(errno));
		if (rc == 0)
			rc = EXIT_FAIL;
	}
	return rc;
}
