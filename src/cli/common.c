/* Shared plumbing of the commands: options, errors, password, formats. */
#include "cli/cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/err.h"
#include "util/fsx.h"
#include "util/hex.h"
#include "util/xmalloc.h"

enum { OPT_PASSWORD_FILE = 1000, OPT_JSON, OPT_STATE };

static const struct option global_opts[] = {
	{ "repo", required_argument, NULL, 'r' },
	{ "password-file", required_argument, NULL, OPT_PASSWORD_FILE },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "quiet", no_argument, NULL, 'q' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "state", required_argument, NULL, OPT_STATE },
	{ "help", no_argument, NULL, 'h' },
};
#define NGLOBAL (sizeof(global_opts) / sizeof(global_opts[0]))

static int global_opt(struct cli_ctx *ctx, int opt, const char *arg)
{
	switch (opt) {
	case 'r': ctx->repo_loc = arg; return 1;
	case OPT_PASSWORD_FILE: ctx->password_file = arg; return 1;
	case OPT_JSON: ctx->json = 1; return 1;
	case 'q': ctx->quiet = 1; return 1;
	case 'v': ctx->verbose++; return 1;
	case OPT_STATE: ctx->state_dir = arg; return 1;
	default: return 0;
	}
}

static void print_usage(const struct cli_cmd *c, FILE *f)
{
	fprintf(f, _("Usage: reprise %s\n"), _(c->usage));
}

/* exact_long: getopt_long accepts unambiguous abbreviations ("--pass"
 * for --password-file); we do not, so that no option ever swallows a
 * password typed on the command line as a file name. */
static int exact_long(int argc, char **argv, const struct option *all)
{
	int i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *eq;
		size_t len, k;
		int found = 0;

		if (strcmp(a, "--") == 0)
			break;
		if (strncmp(a, "--", 2) != 0)
			continue;
		eq = strchr(a, '=');
		len = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
		for (k = 0; all[k].name && !found; k++)
			found = strlen(all[k].name) == len &&
				strncmp(all[k].name, a + 2, len) == 0;
		if (!found)
			return i;
		if (!eq && i + 1 < argc) {
			for (k = 0; all[k].name; k++)
				if (strlen(all[k].name) == len &&
				    strncmp(all[k].name, a + 2, len) == 0 &&
				    all[k].has_arg == required_argument)
					i++;
		}
	}
	return 0;
}

int cli_getopt(int *argc, char ***argv, struct cli_ctx *ctx,
	       const struct option *opts, const char *shortopts, opt_fn fn,
	       void *data)
{
	size_t n = 0, i;
	struct option *all;
	char *so;
	int opt, rc = 0;

	while (opts && opts[n].name)
		n++;
	all = xcalloc(n + NGLOBAL + 1, sizeof(*all));
	memcpy(all, global_opts, sizeof(global_opts));
	for (i = 0; i < n; i++)
		all[NGLOBAL + i] = opts[i];
	/* ':' first: a missing value is reported as ':'.  GNU getopt
	 * permutes, so options may follow operands, as with restic. */
	so = xasprintf(":r:qvh%s", shortopts ? shortopts : "");
	optind = 1;
	opterr = 0;
	if ((opt = exact_long(*argc, *argv, all)) > 0) {
		rc = cli_usage_error(ctx, _("unknown option %.*s"),
				     (int)strcspn((*argv)[opt], "="),
				     (*argv)[opt]);
		free(all);
		free(so);
		return rc;
	}
	while (rc == 0 &&
	       (opt = getopt_long(*argc, *argv, so, all, NULL)) != -1) {
		if (opt == 'h') {
			print_usage(ctx->cmd, stdout);
			rc = -1;
		} else if (opt == '?' || opt == ':') {
			rc = cli_usage_error(ctx, _("invalid option or missing "
						    "value: %s"),
					     (*argv)[optind - 1]);
		} else if (!global_opt(ctx, opt, optarg)) {
			rc = fn ? fn(opt, optarg, data) : EXIT_USAGE;
		}
	}
	free(all);
	free(so);
	*argc -= optind;
	*argv += optind;
	return rc;
}

int cli_error(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("reprise: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return EXIT_FAIL;
}

int cli_usage_error(struct cli_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	fputs("reprise: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (ctx && ctx->cmd) {
		print_usage(ctx->cmd, stderr);
		fprintf(stderr, _("Run 'reprise help %s' for the options.\n"),
			ctx->cmd->name);
	}
	return EXIT_USAGE;
}

int cli_exit_code(int err)
{
	switch (err) {
	case 0: return EXIT_OK;
	case RP_EPARTIAL: return EXIT_PARTIAL;
	case RP_ENOREPO: return EXIT_NOREPO;
	case RP_ELOCKED: return EXIT_LOCKED;
	case RP_EAUTH: return EXIT_AUTH;
	case RP_EINVAL: return EXIT_USAGE;
	default: return EXIT_FAIL;
	}
}

const char *cli_strerror(int err)
{
	return _(rp_strerror(err));
}

/* ---- the password ---- */

static int read_password_file(const char *path, char **pw, size_t *len)
{
	struct buf b = BUF_INIT;
	int rc;

	b.max = 64 * 1024;
	if ((rc = fsx_read_file(path, &b)) < 0) {
		buf_release(&b);
		return cli_error(_("cannot read password file %s: %s"), path,
				 rc == RP_ENOMEM ? _("file too large")
						 : strerror(errno));
	}
	/* the first line, blanks around it trimmed (restic trims the blanks
	 * of the whole file; a second line is a mistake we forgive) */
	{
		size_t start = 0, end = b.len;
		uint8_t *nl;

		while (start < end && strchr(" \t\r\n\v\f", b.p[start]))
			start++;
		if ((nl = memchr(b.p + start, '\n', end - start)) != NULL)
			end = (size_t)(nl - b.p);
		while (end > start && strchr(" \t\r\n\v\f", b.p[end - 1]))
			end--;
		memmove(b.p, b.p + start, end - start);
		b.len = end - start;
		b.p[b.len] = 0;
	}
	*pw = (char *)buf_detach(&b, len);
	return 0;
}

static int prompt_password(char **pw, size_t *len)
{
	struct termios old, quiet;
	char line[4096];
	size_t n;

	if (!isatty(0))
		return -1;
	fputs(_("enter password for repository: "), stderr);
	tcgetattr(0, &old);
	quiet = old;
	quiet.c_lflag &= ~(tcflag_t)ECHO;
	tcsetattr(0, TCSAFLUSH, &quiet);
	if (fgets(line, sizeof(line), stdin) == NULL)
		line[0] = '\0';
	tcsetattr(0, TCSAFLUSH, &old);
	fputc('\n', stderr);
	n = strcspn(line, "\r\n");
	*pw = xstrndup(line, n);
	*len = n;
	memset(line, 0, sizeof(line));
	return 0;
}

int cli_password(struct cli_ctx *ctx, const char *file, char **pw,
		 size_t *len)
{
	const char *env;

	if (file == NULL)
		file = ctx->password_file;
	if (file == NULL)
		file = getenv("REPRISE_PASSWORD_FILE");
	if (file && *file)
		return read_password_file(file, pw, len);
	if ((env = getenv("REPRISE_PASSWORD")) != NULL) {
		*pw = xstrdup(env);
		*len = strlen(env);
		return 0;
	}
	if (prompt_password(pw, len) == 0)
		return 0;
	return cli_error(_("no password: use --password-file, "
			   "REPRISE_PASSWORD_FILE or REPRISE_PASSWORD"));
}

void cli_password_free(char *pw, size_t len)
{
	if (pw)
		memset(pw, 0, len);
	free(pw);
}

int cli_open_repo(struct cli_ctx *ctx)
{
	char *pw = NULL;
	size_t len = 0;
	int rc;

	if (ctx->repo_loc == NULL)
		ctx->repo_loc = getenv("REPRISE_REPOSITORY");
	if (ctx->repo_loc == NULL || *ctx->repo_loc == '\0')
		return cli_usage_error(ctx, _("no repository: use -r/--repo "
					      "or REPRISE_REPOSITORY"));
	if ((rc = backend_open(ctx->repo_loc, &ctx->be)) < 0)
		return cli_error(_("unsupported repository location %s"),
				 ctx->repo_loc);
	if ((rc = cli_password(ctx, NULL, &pw, &len)) != 0)
		return rc;
	rc = repo_open(ctx->be, pw, len, &ctx->repo);
	cli_password_free(pw, len);
	if (rc == RP_ENOREPO)
		cli_error(_("there is no repository at %s (run 'reprise init' "
			    "to create one)"), ctx->repo_loc);
	else if (rc == RP_EAUTH)
		cli_error(_("wrong password, or no key file opens the "
			    "repository at %s"), ctx->repo_loc);
	else if (rc == RP_ECORRUPT || rc == RP_EFORMAT)
		cli_error(_("cannot open the repository at %s: its config file "
			    "(%s/config) is damaged: %s"), ctx->repo_loc,
			  ctx->repo_loc, cli_strerror(rc));
	else if (rc < 0)
		cli_error(_("cannot open the repository at %s: %s"),
			  ctx->repo_loc, cli_strerror(rc));
	return rc < 0 ? cli_exit_code(rc) : 0;
}

/* ---- formats ---- */

const char *fmt_size(uint64_t bytes, char *out, size_t n)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB",
					     "PiB" };
	double v = (double)bytes;
	size_t u = 0;

	while (v >= 1024 && u + 1 < sizeof(units) / sizeof(units[0])) {
		v /= 1024;
		u++;
	}
	if (u == 0)
		snprintf(out, n, "%llu %s", (unsigned long long)bytes, _(units[0]));
	else
		snprintf(out, n, "%.*f %s", v < 10 ? 2 : v < 100 ? 1 : 0, v,
			 _(units[u]));
	return out;
}

const char *fmt_duration(double s, char *out, size_t n)
{
	unsigned long t = (unsigned long)(s + 0.5);

	if (s < 10)
		snprintf(out, n, _("%.2f s"), s);
	else if (t < 3600)
		snprintf(out, n, _("%lu min %02lu s"), t / 60, t % 60);
	else if (t < 86400)
		snprintf(out, n, _("%lu h %02lu min"), t / 3600, t / 60 % 60);
	else
		snprintf(out, n, _("%lu d %lu h"), t / 86400, t / 3600 % 24);
	return out;
}

const char *fmt_time(int64_t sec, char *out, size_t n)
{
	time_t t = (time_t)sec;
	struct tm tm;

	if (localtime_r(&t, &tm) == NULL ||
	    strftime(out, n, "%Y-%m-%d %H:%M:%S", &tm) == 0)
		snprintf(out, n, "?");
	return out;
}

int cli_split_add(struct strlist *l, const char *csv)
{
	char *copy = xstrdup(csv), *s, *save = NULL;

	for (s = strtok_r(copy, ",", &save); s; s = strtok_r(NULL, ",", &save))
		if (*s)
			strlist_add(l, s);
	free(copy);
	return 0;
}

int cli_parse_size(const char *arg, uint64_t *out, int zero_ok)
{
	char *end;
	unsigned long long v;
	uint64_t mult = 1;

	if (*arg < '0' || *arg > '9')
		return -1;
	errno = 0;
	v = strtoull(arg, &end, 10);
	switch (*end) {
	case 'k': case 'K': mult = 1ull << 10; end++; break;
	case 'm': case 'M': mult = 1ull << 20; end++; break;
	case 'g': case 'G': mult = 1ull << 30; end++; break;
	case 't': case 'T': mult = 1ull << 40; end++; break;
	default: break;
	}
	if (*end || errno || (v == 0 && !zero_ok) || v > UINT64_MAX / mult)
		return -1;
	*out = (uint64_t)v * mult;
	return 0;
}

int cli_find_snapshot(struct cli_ctx *ctx, const char *what,
		      const struct snapshot_filter *f, struct snapshot *s)
{
	struct snapshot_filter none;
	int rc;

	memset(&none, 0, sizeof(none));
	rc = snapshot_find(ctx->repo, what, f ? f : &none, s);
	if (rc == RP_ENOTFOUND)
		return cli_error(_("no snapshot matches '%s'"), what);
	if (rc == RP_EINVAL)
		return cli_error(_("'%s' matches more than one snapshot: give "
				   "more characters of the ID"), what);
	if (rc < 0)
		return cli_error(_("cannot read snapshots: %s"),
				 cli_strerror(rc));
	return 0;
}

int cli_is_id_prefix(const char *s)
{
	size_t n = strlen(s);

	return n > 0 && n <= 64 && strspn(s, "0123456789abcdefABCDEF") == n;
}

int cli_id_named(const uint8_t id[32], char *const *prefixes, size_t n)
{
	char hex[65];
	size_t i;

	if (n == 0)
		return 1;
	hex_encode(id, 32, hex);
	for (i = 0; i < n; i++)
		if (strncasecmp(hex, prefixes[i], strlen(prefixes[i])) == 0)
			return 1;
	return 0;
}

/* local_time: arg in the strptime format fmt, local time, as Unix
 * seconds; -1 if malformed or no such day. */
static int local_time(const char *arg, const char *fmt, int64_t *out)
{
	struct tm tm, want;
	const char *end;
	time_t t;

	memset(&tm, 0, sizeof(tm));
	end = strptime(arg, fmt, &tm);
	if (end == NULL || *end != '\0')
		return -1;
	want = tm;
	tm.tm_isdst = -1;
	if ((t = mktime(&tm)) == (time_t)-1)
		return -1;
	/* mktime moves 2020-02-30 to March 1st: such a day does not exist
	 * (an hour skipped by a clock change is moved too, and kept) */
	if (tm.tm_year != want.tm_year || tm.tm_mon != want.tm_mon ||
	    tm.tm_mday != want.tm_mday)
		return -1;
	*out = (int64_t)t;
	return 0;
}

int cli_parse_time(const char *arg, int64_t *out)
{
	return local_time(arg, "%Y-%m-%d %H:%M:%S", out);
}

int cli_parse_when(const char *arg, int64_t *out)
{
	return local_time(arg, "%Y-%m-%d %H:%M:%S", out) == 0 ||
	       local_time(arg, "%Y-%m-%d %H:%M", out) == 0 ||
	       local_time(arg, "%Y-%m-%d", out) == 0 ? 0 : -1;
}

char *cli_state_dir(const struct cli_ctx *ctx)
{
	const char *e = getenv("REPRISE_STATE"), *home = getenv("HOME");

	if (ctx->state_dir && *ctx->state_dir)
		return xstrdup(ctx->state_dir);
	if (e && *e)
		return xstrdup(e);
	if (geteuid() == 0)
		return xstrdup("/var/lib/reprise");
	return xasprintf("%s/.local/state/reprise", home ? home : ".");
}
