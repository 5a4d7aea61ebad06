/*
 * run: the main job on embedded defaults.
 *
 * Under the state directory (--state, REPRISE_STATE, or /var/lib/reprise
 * for root and ~/.local/state/reprise otherwise) it keeps a repository
 * (repo/), its password file (repo.password, made at random on first use)
 * and, unless --source names real data, a sample folder to back up.  One
 * run: create the repository if needed, back up, change a file, back up
 * again, restore the newest snapshot into a scratch folder, compare every
 * restored file with the source, check every byte of the repository, and
 * say in plain words what happened.  Later issues add the plan and drills.
 */
#include "cli/cli.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "engine/backup.h"
#include "engine/check.h"
#include "engine/restore.h"
#include "util/err.h"
#include "util/fsx.h"
#include "util/hex.h"
#include "util/xmalloc.h"

struct run {
	struct cli_ctx *ctx;
	char *state, *repo_dir, *pwfile, *source, *scratch;
	int own_sample;
};

static int write_text(const char *path, const char *text)
{
	return fsx_write_atomic(path, text, strlen(text), 0644, 0);
}

static int make_sample(const char *dir)
{
	char *p;
	uint8_t *bin;
	struct buf big = BUF_INIT;
	int i, rc;

	if ((rc = fsx_mkdir_p(dir, 0755)) < 0)
		return rc;
	p = xasprintf("%s/clients", dir);
	fsx_mkdir_p(p, 0755);
	free(p);
	p = xasprintf("%s/clients/contracts.csv", dir);
	for (i = 0; i < 5000; i++)
		buf_addf(&big, "%d;client %d;contract HR-%05d;active\n", i, i, i);
	rc = fsx_write_atomic(p, big.p, big.len, 0644, 0);
	free(p);
	p = xasprintf("%s/README.txt", dir);
	if (rc == 0)
		rc = write_text(p, "Sample data backed up by 'reprise run'.\n");
	free(p);
	bin = xmalloc(3 << 20);
	crypto_random(bin, 3 << 20);
	p = xasprintf("%s/clients/scan.bin", dir);
	if (rc == 0)
		rc = fsx_write_atomic(p, bin, 3 << 20, 0644, 0);
	free(p);
	free(bin);
	buf_release(&big);
	return rc;
}

static int ensure_password(struct run *r)
{
	uint8_t raw[24];
	char hex[49];
	struct stat st;

	if (stat(r->pwfile, &st) == 0)
		return 0;
	if (crypto_random(raw, sizeof(raw)) < 0)
		return RP_EIO;
	hex_encode(raw, sizeof(raw), hex);
	hex[48] = '\n';
	return fsx_write_atomic(r->pwfile, hex, 49, 0600, 0);
}

static int open_or_init(struct run *r)
{
	struct cli_ctx *ctx = r->ctx;
	struct stat st;
	char *cfg = xasprintf("%s/config", r->repo_dir);
	int exists = stat(cfg, &st) == 0, rc;

	free(cfg);
	ctx->repo_loc = r->repo_dir;
	ctx->password_file = r->pwfile;
	if (exists)
		return cli_open_repo(ctx);
	{
		char *pw = NULL;
		size_t len = 0;

		if ((rc = cli_password(ctx, NULL, &pw, &len)) != 0)
			return rc;
		backend_open(r->repo_dir, &ctx->be);
		rc = repo_init(ctx->be, pw, len, &ctx->repo);
		cli_password_free(pw, len);
	}
	if (rc < 0)
		return cli_error(_("cannot create the repository in %s: %s"),
				 r->repo_dir, cli_strerror(rc));
	printf(_("1. Created an encrypted repository in %s\n   (its password "
		 "is in %s: keep a copy somewhere safe).\n"), r->repo_dir,
	       r->pwfile);
	return 0;
}

static void run_warn(const char *path, const char *what, int err, void *arg)
{
	(void)arg;
	fprintf(stderr, _("warning: %s: cannot %s: %s\n"), path, _(what),
		cli_strerror(err));
}

static int do_backup(struct run *r, const char *label,
		     struct backup_stats *st)
{
	struct backup_opts o;
	const char *paths[1] = { r->source };
	char a[32], d[32], z[32], hex[65];
	int rc;

	memset(&o, 0, sizeof(o));
	o.paths = paths;
	o.npaths = 1;
	o.stdin_fd = -1;
	o.warn = run_warn;
	rc = backup_run(r->ctx->repo, &o, st);
	if (rc < 0 && rc != RP_EPARTIAL)
		return cli_error(_("the backup failed: %s"), cli_strerror(rc));
	hex_encode(st->snapshot_id, 32, hex);
	printf(_("%s Backed up %s: %llu files (%s) in %s as snapshot %.8s;\n"
		 "   %llu new or changed files, %s of new data stored.\n"),
	       label, r->source, (unsigned long long)st->total_files,
	       fmt_size(st->total_bytes, a, sizeof(a)),
	       fmt_duration(st->seconds, d, sizeof(d)), hex,
	       (unsigned long long)(st->files_new + st->files_changed),
	       fmt_size(st->data_added_packed, z, sizeof(z)));
	return 0;
}

static int change_file(struct run *r)
{
	char *p = xasprintf("%s/notes.txt", r->source);
	char when[32];
	char *text = xasprintf("Written by 'reprise run' at %s.\n",
			       fmt_time(time(NULL), when, sizeof(when)));
	int rc = r->own_sample ? write_text(p, text) : 0;

	if (rc == 0 && r->own_sample)
		printf(_("3. Changed a file: rewrote %s.\n"), p);
	free(p);
	free(text);
	return rc;
}

/* ---- comparing the restored copy with the source ---- */

struct cmp {
	uint64_t files, bytes, differ;
};

static int same_file(const char *a, const char *b, uint64_t *bytes)
{
	int fa = open(a, O_RDONLY | O_CLOEXEC), fb = open(b, O_RDONLY | O_CLOEXEC);
	uint8_t *x = xmalloc(1 << 20), *y = xmalloc(1 << 20);
	int same = fa >= 0 && fb >= 0;

	while (same) {
		ssize_t n = read(fa, x, 1 << 20), m;

		if (n <= 0) {
			same = n == 0 && read(fb, y, 1) == 0;
			break;
		}
		m = read(fb, y, (size_t)n);
		same = m == n && memcmp(x, y, (size_t)n) == 0;
		*bytes += (uint64_t)n;
	}
	if (fa >= 0)
		close(fa);
	if (fb >= 0)
		close(fb);
	free(x);
	free(y);
	return same;
}

static void compare_tree(const char *src, const char *dst, struct cmp *c)
{
	DIR *d = opendir(src);
	struct dirent *de;

	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		char *a, *b;
		struct stat st;

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		a = xasprintf("%s/%s", src, de->d_name);
		b = xasprintf("%s/%s", dst, de->d_name);
		if (lstat(a, &st) == 0 && S_ISDIR(st.st_mode)) {
			compare_tree(a, b, c);
		} else if (S_ISREG(st.st_mode)) {
			c->files++;
			if (!same_file(a, b, &c->bytes)) {
				c->differ++;
				fprintf(stderr, _("differs: %s\n"), a);
			}
		}
		free(a);
		free(b);
	}
	closedir(d);
}

static int do_restore(struct run *r, const uint8_t snap_id[32])
{
	struct restore_opts o;
	struct restore_stats st;
	struct snapshot s;
	struct cmp c = { 0, 0, 0 };
	char hex[65], a[32], d[32], z[32], *copy;
	int rc;

	memset(&o, 0, sizeof(o));
	memset(&s, 0, sizeof(s));
	hex_encode(snap_id, 32, hex);
	if ((rc = snapshot_find(r->ctx->repo, hex, NULL, &s)) < 0)
		return cli_error(_("cannot find snapshot %.8s: %s"), hex,
				 cli_strerror(rc));
	o.target = r->scratch;
	o.warn = run_warn;
	fsx_remove_tree(r->scratch);
	rc = restore_run(r->ctx->repo, &s, &o, &st);
	snapshot_release(&s);
	if (rc < 0)
		return cli_error(_("the restore failed: %s"), cli_strerror(rc));
	copy = xasprintf("%s%s", r->scratch, r->source);
	compare_tree(r->source, copy, &c);
	free(copy);
	printf(_("4. Restored snapshot %.8s into %s: %llu files, %s in %s\n"
		 "   (%s/s); compared with the source: %llu of %llu files "
		 "identical.\n"), hex, r->scratch,
	       (unsigned long long)st.files,
	       fmt_size(st.bytes, a, sizeof(a)),
	       fmt_duration(st.seconds, d, sizeof(d)),
	       fmt_size(st.seconds > 0 ? (uint64_t)((double)st.bytes /
						      st.seconds) : st.bytes,
			z, sizeof(z)),
	       (unsigned long long)(c.files - c.differ),
	       (unsigned long long)c.files);
	fsx_remove_tree(r->scratch);
	return c.differ || c.files == 0 ? EXIT_FAIL : 0;
}

static int do_check(struct run *r)
{
	struct check_opts o;
	struct check_stats st;
	char a[32];
	int rc;

	memset(&o, 0, sizeof(o));
	o.read_data = 1;
	rc = check_run(r->ctx->repo, &o, &st);
	if (rc < 0 && rc != RP_ECORRUPT)
		return cli_error(_("the check failed: %s"), cli_strerror(rc));
	printf(_("5. Checked the repository, reading every byte (%s in %llu "
		 "packs, %llu snapshots): %s.\n"),
	       fmt_size(st.bytes_read, a, sizeof(a)),
	       (unsigned long long)st.packs_read,
	       (unsigned long long)st.snapshots,
	       st.errors ? _("DAMAGE FOUND") : _("no errors"));
	return st.errors ? EXIT_FAIL : 0;
}

static int run_opt(int opt, const char *arg, void *data)
{
	struct run *r = data;

	if (opt != 1)
		return EXIT_USAGE;
	r->source = xstrdup(arg);
	return 0;
}

static int run_steps(struct run *r)
{
	struct backup_stats b1, b2;
	int rc;

	if ((rc = open_or_init(r)) != 0)
		return rc;
	if (r->own_sample && (rc = make_sample(r->source)) < 0)
		return cli_error(_("cannot create the sample folder %s: %s"),
				 r->source, cli_strerror(rc));
	if ((rc = do_backup(r, "2.", &b1)) != 0 ||
	    (rc = change_file(r)) != 0 || (rc = do_backup(r, "   ", &b2)) != 0)
		return rc;
	if ((rc = do_restore(r, b2.snapshot_id)) != 0 ||
	    (rc = do_check(r)) != 0)
		return rc;
	printf("%s\n", _("All good: the newest backup restores, byte for byte, "
			 "and the repository is whole."));
	return 0;
}

int cmd_run(int argc, char **argv, struct cli_ctx *ctx)
{
	static const struct option opts[] = {
		{ "source", required_argument, NULL, 1 },
		{ NULL, 0, NULL, 0 },
	};
	struct run r;
	int rc;

	memset(&r, 0, sizeof(r));
	r.ctx = ctx;
	if ((rc = cli_getopt(&argc, &argv, ctx, opts, "", run_opt, &r)))
		goto out;
	r.state = cli_state_dir(ctx);
	r.repo_dir = xasprintf("%s/repo", r.state);
	r.pwfile = xasprintf("%s/repo.password", r.state);
	r.scratch = xasprintf("%s/restore-check", r.state);
	if (r.source == NULL) {
		r.source = xasprintf("%s/sample", r.state);
		r.own_sample = 1;
	}
	if (r.source[0] != '/') {
		char cwd[4096], *abs;

		abs = xasprintf("%s/%s", getcwd(cwd, sizeof(cwd)) ? cwd : ".",
				r.source);
		free(r.source);
		r.source = abs;
	}
	if ((rc = fsx_mkdir_p(r.state, 0700)) < 0 ||
	    (rc = ensure_password(&r)) < 0) {
		rc = cli_error(_("cannot use the state directory %s: %s"),
			       r.state, cli_strerror(rc));
		goto out;
	}
	printf(_("reprise: the main job, state in %s\n"), r.state);
	rc = run_steps(&r);
out:
	free(r.state);
	free(r.repo_dir);
	free(r.pwfile);
	free(r.scratch);
	free(r.source);
	return rc < 0 ? EXIT_FAIL : rc;
}
