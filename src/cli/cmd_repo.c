/* init, key, unlock: the repository itself. */
#include "cli/cli.h"

#include <stdlib.h>
#include <string.h>

#include "repo/lock.h"
#include "util/err.h"
#include "util/hex.h"
#include "util/jsonw.h"

int cmd_init(int argc, char **argv, struct cli_ctx *ctx)
{
	char *pw = NULL, hex[65];
	size_t len = 0;
	int rc;

	if ((rc = cli_getopt(&argc, &argv, ctx, NULL, "", NULL, NULL)) != 0)
		return rc < 0 ? 0 : rc;
	if (argc > 0)
		return cli_usage_error(ctx, _("unexpected argument %s"), argv[0]);
	if (ctx->repo_loc == NULL)
		ctx->repo_loc = getenv("REPRISE_REPOSITORY");
	if (ctx->repo_loc == NULL || !*ctx->repo_loc)
		return cli_usage_error(ctx, _("no repository: use -r/--repo "
					      "or REPRISE_REPOSITORY"));
	if (backend_open(ctx->repo_loc, &ctx->be) < 0)
		return cli_error(_("unsupported repository location %s"),
				 ctx->repo_loc);
	if ((rc = cli_password(ctx, NULL, &pw, &len)) != 0)
		return rc;
	if (len == 0) {
		cli_password_free(pw, len);
		return cli_error(_("an empty password is not allowed"));
	}
	rc = repo_init(ctx->be, pw, len, &ctx->repo);
	cli_password_free(pw, len);
	if (rc == RP_EEXIST)
		return cli_error(_("a repository already exists at %s"),
				 ctx->repo_loc);
	if (rc < 0)
		return cli_error(_("cannot create a repository at %s: %s"),
				 ctx->repo_loc, cli_strerror(rc));
	hex_encode(ctx->repo->id, 32, hex);
	if (ctx->json)
		printf("{\"message_type\":\"initialized\",\"id\":\"%s\","
		       "\"repository\":\"%s\"}\n", hex, ctx->repo_loc);
	else if (!ctx->quiet)
		printf(_("created reprise repository %.10s at %s\n\n"
			 "Please note that knowledge of your password is "
			 "required to access\nthe repository. Losing your "
			 "password means that your data is\nirrecoverably "
			 "lost.\n"), hex, ctx->repo_loc);
	return EXIT_OK;
}

struct key_opts {
	const char *new_file;
};

static int key_opt(int opt, const char *arg, void *data)
{
	struct key_opts *o = data;

	if (opt != 1)
		return EXIT_USAGE;
	o->new_file = arg;
	return 0;
}

static void key_json(struct jsonw *w, const struct repo_key_info *k)
{
	jsonw_obj_begin(w);
	jsonw_key(w, "current");
	jsonw_bool(w, k->current);
	jsonw_key(w, "id");
	jsonw_str(w, k->name);
	jsonw_key(w, "userName");
	jsonw_str(w, k->username);
	jsonw_key(w, "hostName");
	jsonw_str(w, k->hostname);
	jsonw_key(w, "created");
	jsonw_str(w, k->created);
	jsonw_obj_end(w);
}

static int key_list(struct cli_ctx *ctx)
{
	struct repo_key_info *keys;
	struct buf out = BUF_INIT;
	struct jsonw w;
	size_t n, i;
	int rc = repo_key_list(ctx->repo, &keys, &n);

	if (rc < 0)
		return cli_error(_("cannot list keys: %s"), cli_strerror(rc));
	jsonw_init(&w, &out);
	jsonw_arr_begin(&w);
	if (!ctx->json)
		printf(" %-10s %-10s %-16s %s\n", "ID", _("User"), _("Host"),
		       _("Created"));
	for (i = 0; i < n; i++) {
		key_json(&w, &keys[i]);
		if (!ctx->json)
			printf("%c%-10.8s %-10s %-16s %.19s\n",
			       keys[i].current ? '*' : ' ', keys[i].name,
			       keys[i].username, keys[i].hostname,
			       keys[i].created);
	}
	jsonw_arr_end(&w);
	if (ctx->json && jsonw_finish(&w) == 0)
		printf("%s\n", buf_cstr(&out));
	buf_release(&out);
	repo_key_list_free(keys, n);
	return EXIT_OK;
}

static int key_add(struct cli_ctx *ctx, const char *file, int passwd)
{
	char *pw = NULL, name[65], old[65];
	size_t len = 0;
	int rc;

	if (file == NULL && getenv("REPRISE_NEW_PASSWORD_FILE"))
		file = getenv("REPRISE_NEW_PASSWORD_FILE");
	if (file == NULL)
		return cli_usage_error(ctx, _("the new password comes from "
					      "--new-password-file or "
					      "REPRISE_NEW_PASSWORD_FILE"));
	if ((rc = cli_password(ctx, file, &pw, &len)) != 0)
		return rc;
	if (len == 0) {
		cli_password_free(pw, len);
		return cli_error(_("an empty password is not allowed"));
	}
	rc = repo_key_add(ctx->repo, pw, len, name);
	cli_password_free(pw, len);
	if (rc < 0)
		return cli_error(_("cannot add a key: %s"), cli_strerror(rc));
	if (passwd) {
		/* the new key is safely written: only now drop the old one */
		memcpy(old, ctx->repo->key_name, sizeof(old));
		memcpy(ctx->repo->key_name, name, sizeof(name));
		rc = repo_key_remove(ctx->repo, old);
		if (rc < 0)
			return cli_error(_("new key %.8s added, but the old key "
					   "%.8s could not be removed: %s"),
					 name, old, cli_strerror(rc));
		printf(_("saved new key %.8s, removed old key %.8s\n"), name, old);
	} else {
		printf(_("saved new key %.8s\n"), name);
	}
	return EXIT_OK;
}

static int key_remove(struct cli_ctx *ctx, const char *prefix)
{
	char name[65];
	int rc = repo_find(ctx->repo, BE_KEY, prefix, name);

	if (rc < 0)
		return cli_error(_("no single key matches %s"), prefix);
	rc = repo_key_remove(ctx->repo, name);
	if (rc == RP_EINVAL)
		return cli_error(_("refusing to remove key %.8s: it is the key "
				   "in use"), name);
	if (rc < 0)
		return cli_error(_("cannot remove key %.8s: %s"), name,
				 cli_strerror(rc));
	printf(_("removed key %.8s\n"), name);
	return EXIT_OK;
}

int cmd_key(int argc, char **argv, struct cli_ctx *ctx)
{
	static const struct option opts[] = {
		{ "new-password-file", required_argument, NULL, 1 },
		{ NULL, 0, NULL, 0 },
	};
	struct key_opts o = { NULL };
	int rc;

	if ((rc = cli_getopt(&argc, &argv, ctx, opts, "", key_opt, &o)) != 0)
		return rc < 0 ? 0 : rc;
	if (argc < 1)
		return cli_usage_error(ctx, _("which key command?"));
	if ((rc = cli_open_repo(ctx)) != 0)
		return rc;
	if (strcmp(argv[0], "list") == 0)
		return key_list(ctx);
	if (strcmp(argv[0], "add") == 0)
		return key_add(ctx, o.new_file, 0);
	if (strcmp(argv[0], "passwd") == 0)
		return key_add(ctx, o.new_file, 1);
	if (strcmp(argv[0], "remove") == 0 && argc == 2)
		return key_remove(ctx, argv[1]);
	return cli_usage_error(ctx, _("unknown key command %s"), argv[0]);
}

static int unlock_opt(int opt, const char *arg, void *data)
{
	(void)arg;
	if (opt != 1)
		return EXIT_USAGE;
	*(int *)data = 1;
	return 0;
}

int cmd_unlock(int argc, char **argv, struct cli_ctx *ctx)
{
	static const struct option opts[] = {
		{ "remove-all", no_argument, NULL, 1 },
		{ NULL, 0, NULL, 0 },
	};
	int all = 0, rc;
	size_t removed = 0;

	if ((rc = cli_getopt(&argc, &argv, ctx, opts, "", unlock_opt, &all)))
		return rc < 0 ? 0 : rc;
	if ((rc = cli_open_repo(ctx)) != 0)
		return rc;
	if ((rc = lock_remove_stale(ctx->repo, all, &removed)) < 0)
		return cli_error(_("cannot remove locks: %s"), cli_strerror(rc));
	if (!ctx->quiet)
		printf(ngettext("removed %zu lock\n", "removed %zu locks\n",
				removed), removed);
	return EXIT_OK;
}
