/* The command table, and the commands that only describe reprise. */
#include "cli/cli.h"

#include <string.h>
#include <zstd.h>
#include <openssl/opensslv.h>

#include "util/version.h"

const struct cli_cmd cli_commands[] = {
	{ "init", cmd_init, CMD_REPO, N_("create a new repository"),
	  N_("init -r REPO") },
	{ "backup", cmd_backup, CMD_REPO,
	  N_("back up files, directories or a command's output"),
	  N_("backup [options] PATH...\n"
	     "       reprise backup --stdin [--stdin-filename NAME]\n"
	     "       reprise backup --stdin-from-command [--stdin-filename NAME]"
	     " -- COMMAND [ARG...]\n"
	     "Options:\n"
	     "  -e, --exclude PATTERN     leave out paths matching PATTERN\n"
	     "      --exclude-file FILE   read exclude patterns from FILE\n"
	     "      --iexclude PATTERN    the same, ignoring case\n"
	     "      --iexclude-file FILE  the same, ignoring case\n"
	     "      --exclude-caches      leave out the contents of cache\n"
	     "                            folders (a CACHEDIR.TAG file)\n"
	     "      --exclude-if-present NAME[:HEADER]  leave out the "
	     "contents of\n"
	     "                            folders holding a file NAME that\n"
	     "                            starts with HEADER\n"
	     "      --exclude-larger-than SIZE  leave out files larger than "
	     "SIZE\n"
	     "                            (500K, 20M, 1G)\n"
	     "  -x, --one-file-system     do not cross file system boundaries\n"
	     "      --files-from FILE     back up the paths listed in FILE "
	     "(one per\n"
	     "                            line; # comments; glob patterns)\n"
	     "      --files-from-verbatim FILE  the same, each line a path as\n"
	     "                            written\n"
	     "      --files-from-raw FILE the same, paths separated by NUL "
	     "bytes\n"
	     "      --tag TAG[,TAG]       tag the snapshot\n"
	     "      --host NAME           host name stored in the snapshot\n"
	     "      --time TIME           snapshot time (\"2026-01-31 "
	     "18:00:00\")\n"
	     "      --parent ID           compare with this snapshot\n"
	     "  -f, --force               read every file again\n"
	     "      --ignore-inode        a new inode or ctime alone is no "
	     "change\n"
	     "                            (a file with the same size and "
	     "mtime is\n"
	     "                            not read again)\n"
	     "      --ignore-ctime        a new ctime alone is no change\n"
	     "  -n, --dry-run             read everything, write nothing; "
	     "report\n"
	     "                            what would be added\n"
	     "      --compression MODE    auto, off or max\n"
	     "      --threads N           encoding threads (default: one per\n"
	     "                            CPU; 1: files read one at a time)\n"
	     "      --stdin               back up standard input\n"
	     "      --stdin-filename NAME file name for --stdin\n"
	     "      --stdin-from-command  back up a command's output; no\n"
	     "                            snapshot if the command fails\n"
	     "      --json                print JSON lines") },
	{ "snapshots", cmd_snapshots, CMD_REPO, N_("list snapshots"),
	  N_("snapshots [--json] [--host H] [--tag T] [--path P] [--latest N] "
	     "[ID...]\n"
	     "--latest N shows only the newest N snapshots of each host and "
	     "set of paths;\nIDs (or their first characters) show only "
	     "those.") },
	{ "ls", cmd_ls, CMD_REPO, N_("list the files of a snapshot"),
	  N_("ls [-l] [--json] SNAPSHOT [PATH]") },
	{ "restore", cmd_restore, CMD_REPO, N_("restore a snapshot"),
	  N_("restore SNAPSHOT --target DIR [options]\n"
	     "Options:\n"
	     "  -t, --target DIR        directory to restore into\n"
	     "  -i, --include PATTERN   restore only matching paths\n"
	     "  -e, --exclude PATTERN   leave out matching paths\n"
	     "      --iinclude PATTERN, --iexclude PATTERN   the same, "
	     "ignoring case\n"
	     "      --host H, --tag T, --path P   filters for 'latest'\n"
	     "      --verify            read the restored files back and "
	     "check them\n"
	     "SNAPSHOT is an ID (or a unique prefix) or 'latest'.") },
	{ "check", cmd_check, CMD_REPO,
	  N_("verify the repository, or check the plan against the facts"),
	  N_("check [--read-data] [--read-data-subset N%|n/t]   (a repository)\n"
	     "       reprise check --plan FILE [--at TIME] [--json]   (the plan)\n"
	     "The plan check joins the plan with what the catalog measured and\n"
	     "lists the findings; exit 0 when nothing is critical, 1 when\n"
	     "something is, 2 on a usage or plan error.  TIME: YYYY-MM-DD, RFC\n"
	     "3339 or Unix seconds.  REPRISE_PLAN names the plan too.") },
	{ "find", cmd_find, CMD_REPO, N_("find files across the snapshots"),
	  N_("find [options] PATTERN...\n"
	     "Options:\n"
	     "  -i, --ignore-case       PATTERN matches in any case\n"
	     "  -l, --long              mode, owner, size and time too\n"
	     "  -O, --oldest TIME       only entries modified at or after "
	     "TIME\n"
	     "  -N, --newest TIME       only entries modified at or before "
	     "TIME\n"
	     "  -s, --snapshot ID       only this snapshot (repeatable)\n"
	     "  -H, --host H, --tag T, --path P   only these snapshots\n"
	     "      --blob              PATTERN is (the start of) a blob ID: "
	     "the files\n"
	     "                          that use it\n"
	     "      --tree              PATTERN is (the start of) a tree ID\n"
	     "PATTERN follows the rules of --exclude; a folder that matches "
	     "brings\nall it holds.  TIME: \"2026-01-31\" or \"2026-01-31 "
	     "18:00\", local.") },
	{ "diff", cmd_diff, CMD_REPO,
	  N_("what changed from one snapshot to another"),
	  N_("diff [--metadata] SNAPSHOT1 SNAPSHOT2\n"
	     "One line per change: + added, - removed, T type changed, M "
	     "content\nchanged, U metadata changed (with --metadata); then "
	     "the counts, and the\ndata the second snapshot added and the "
	     "first one alone holds.") },
	{ "dump", cmd_dump, CMD_REPO, N_("write one file of a snapshot to "
					 "standard output"),
	  N_("dump [--host H] [--tag T] [--path P] SNAPSHOT FILE\n"
	     "FILE is its path in the snapshot, as 'reprise ls' shows it; "
	     "the way\nback for a database dump saved with --stdin or "
	     "--stdin-from-command:\n  reprise dump latest /db.sql | psql "
	     "mydb") },
	{ "cat", cmd_cat, CMD_REPO, N_("print an internal object"),
	  N_("cat config|index|snapshot|key|pack|blob|tree ID") },
	{ "stats", cmd_stats, CMD_REPO, N_("sizes and counts"),
	  N_("stats [--mode MODE] [SNAPSHOT...]\n"
	     "MODE, as restic counts:\n"
	     "  restore-size        what a restore writes (the default)\n"
	     "  files-by-contents   files with distinct contents\n"
	     "  blobs-per-file      the blobs of those files, once per path\n"
	     "  raw-data            the distinct blobs as stored") },
	{ "key", cmd_key, CMD_REPO, N_("manage passwords (key files)"),
	  N_("key list | add | remove ID | passwd  "
	     "[--new-password-file FILE]") },
	{ "tag", cmd_tag, CMD_REPO, N_("add, remove or set the tags of "
				       "snapshots"),
	  N_("tag --add TAG[,TAG] | --remove TAG[,TAG] | --set TAG[,TAG] "
	     "[ID...]\n"
	     "      [--host H] [--tag T] [--path P]\n"
	     "Without IDs, every snapshot the filters select.  A retagged "
	     "snapshot\nis a new file (it keeps its first ID as "
	     "\"original\"); the old one goes.\nFor example, keep a snapshot "
	     "beyond every policy:\n  reprise tag --add legal-hold 1a2b3c4d; "
	     "reprise forget --keep-tag legal-hold ...") },
	{ "forget", cmd_forget, CMD_REPO,
	  N_("remove snapshots by a retention policy"),
	  N_("forget [policy] [--dry-run] [--prune] [SNAPSHOT...]\n"
	     "Policy (restic's):\n"
	     "  -l, --keep-last N      the N newest snapshots\n"
	     "  -H, --keep-hourly N    the newest of each of the last N hours\n"
	     "  -d, --keep-daily N     ... days\n"
	     "  -w, --keep-weekly N    ... weeks\n"
	     "  -m, --keep-monthly N   ... months\n"
	     "  -y, --keep-yearly N    ... years (N = -1: no limit)\n"
	     "      --keep-within SPAN everything within 1y2m3d4h of the newest\n"
	     "      --keep-tag TAG     every snapshot with this tag\n"
	     "      --group-by LIST    host,paths,tags (default host,paths)\n"
	     "      --host/--tag/--path  only these snapshots\n"
	     "  -n, --dry-run          show, remove nothing\n"
	     "      --prune            prune afterwards (see 'help prune')") },
	{ "prune", cmd_prune, CMD_REPO,
	  N_("remove data no snapshot needs"),
	  N_("prune [options]\n"
	     "  -n, --dry-run             show what would be done, change "
	     "nothing\n"
	     "      --max-unused LIMIT    unused space tolerated afterwards: a "
	     "share\n"
	     "                            of the repository (5%, the default), "
	     "a size\n"
	     "                            (100M) or 'unlimited' (only packs "
	     "no\n"
	     "                            snapshot uses are deleted)\n"
	     "      --max-repack-size SIZE  copy at most SIZE of used data\n"
	     "With --json, the figures as one JSON object.") },
	{ "copy", cmd_copy, CMD_REPO,
	  N_("copy snapshots from another repository"),
	  N_("copy --from-repo SRC [--from-password-file F] [SNAPSHOT...]\n"
	     "The source password also comes from REPRISE_FROM_PASSWORD_FILE "
	     "or\nREPRISE_FROM_PASSWORD.") },
	{ "repair", cmd_repair, CMD_REPO,
	  N_("rebuild the index from the packs"), N_("repair index") },
	{ "drill", cmd_drill, CMD_REPO,
	  N_("prove a snapshot restores, and record the evidence"),
	  N_("drill [SNAPSHOT] [options]   (SNAPSHOT: an ID or 'latest')\n"
	     "       reprise drill --list | --show ID   [--json]\n"
	     "Options:\n"
	     "      --sample N%          restore a random N% of the files (at\n"
	     "                           least one of each kind); default all\n"
	     "      --label NAME         the service or job this drill proves\n"
	     "      --scratch DIR        where to restore (default STATE/scratch)\n"
	     "      --no-compare         do not compare with the live files\n"
	     "      --count-tolerance N% live and backed-up file counts may\n"
	     "                           differ this much (default 10%)\n"
	     "      --data-tolerance N%  this share of sampled files may differ\n"
	     "                           from the live ones (default 10%)\n"
	     "Exit status: 0 the drill passed, 1 it failed.") },
	{ "unlock", cmd_unlock, CMD_REPO, N_("remove stale locks"),
	  N_("unlock [--remove-all]") },
	{ "daemon", cmd_daemon, 0,
	  N_("run the plan on schedule, watch, and warn"),
	  N_("daemon [--plan FILE] [--state DIR] [--listen ADDR:PORT|off]\n"
	     "       [--sysfs-root DIR] [--proc-root DIR] [--smartctl PATH]\n"
	     "       [--check-every 15m] [--collect-every 10s]\n"
	     "       [--probe-every 60s] [--once]\n"
	     "       [--smtp smtp://HOST:PORT --mail-from ADDR [--smtp-tls\n"
	     "       auto|starttls|none] [--smtp-user U --smtp-password-file F]]\n"
	     "       [--webhooks-file F (lines: NAME URL)]\n"
	     "       [--heartbeats-file F (lines: NAME UUID PERIOD GRACE)]\n"
	     "Runs in the foreground; logs to stderr.  SIGHUP reloads the plan;\n"
	     "SIGTERM stops cleanly.  REPRISE_CLOCK=START,xSPEED runs a test\n"
	     "clock.  Pings: http://ADDR/ping/UUID[/start|/fail|/N].") },
	{ "status", cmd_status, 0,
	  N_("what the daemon runs, what comes next, what fires"),
	  N_("status [--state DIR] [--json]") },
	{ "alert", cmd_alert, 0, N_("acknowledge an alert"),
	  N_("alert ack ID [--by NAME]") },
	{ "run", cmd_run, 0,
	  N_("the main job: the plan once, end to end, with its findings"),
	  N_("run [--state DIR] [--plan FILE]\n"
	     "Backs up every job of the plan, runs its restore drills, reads\n"
	     "every repository back and prints the plan's findings.  Without\n"
	     "--plan it writes and uses STATE/plan.yaml, an example to edit.") },
	{ "plan", cmd_plan, 0, N_("check the continuity plan file"),
	  N_("plan validate [--plan FILE]") },
	{ "version", cmd_version, 0, N_("print the version"),
	  N_("version") },
	{ "help", cmd_help, 0, N_("show help for a command"),
	  N_("help [COMMAND]") },
	{ NULL, NULL, 0, NULL, NULL },
};

int cmd_version(int argc, char **argv, struct cli_ctx *ctx)
{
	(void)argc;
	(void)argv;
	(void)ctx;
	printf("reprise %s (zstd %s, %s, restic repository format 2)\n",
	       REPRISE_VERSION, ZSTD_versionString(), OPENSSL_VERSION_TEXT);
	return EXIT_OK;
}

int cmd_help(int argc, char **argv, struct cli_ctx *ctx)
{
	const struct cli_cmd *c;

	(void)ctx;
	if (argc > 1) {
		for (c = cli_commands; c->name; c++) {
			if (strcmp(c->name, argv[1]) != 0)
				continue;
			printf("reprise %s: %s\n\n", c->name, _(c->summary));
			printf(_("Usage: reprise %s\n"), _(c->usage));
			printf("\n%s\n", _("Global options: -r/--repo REPO "
				"(or REPRISE_REPOSITORY), --password-file FILE "
				"(or REPRISE_PASSWORD_FILE, REPRISE_PASSWORD), "
				"--json, -q, -v, --state DIR"));
			return EXIT_OK;
		}
		cli_error(_("unknown command '%s'"), argv[1]);
		return EXIT_USAGE;
	}
	printf("%s\n\n", _("reprise: backups you have proven you can restore "
			   "(restic repository format)"));
	printf("%s\n", _("Usage: reprise [global options] COMMAND [options]"));
	printf("\n%s\n", _("Commands:"));
	for (c = cli_commands; c->name; c++)
		if (!(c->flags & CMD_HIDDEN))
			printf("  %-10s %s\n", c->name, _(c->summary));
	printf("\n%s\n", _("Exit status: 0 ok, 1 failure, 2 usage error, 3 "
			   "backup with unreadable files, 10 no repository, "
			   "11 locked, 12 wrong password."));
	printf("%s\n", _("Run 'reprise help COMMAND' for a command's options."));
	return EXIT_OK;
}
