/*
 * Messages that src/ translates at run time with _(variable) but whose
 * literals are not marked there, so xgettext cannot see them.  This file
 * is never compiled: `make po-update` feeds it to xgettext with src/ so
 * that the catalogues keep these entries.  When src/ marks one of them
 * with N_() itself, its line here becomes redundant (harmless: xgettext
 * merges duplicates) and can go.
 *
 *   src/cli/common.c     fmt_size(): _(units[u])
 *   src/util/err.c       rp_strerror(), shown through cli_strerror()
 *   src/engine/*.c       the 'what' of the warn() callbacks, shown by
 *                        "warning: %s: cannot %s: %s" and
 *                        "error: %s: cannot %s: %s" in src/cli/
 *   src/cli/cmd_maint.c  reasons_text(): _(forget_reason_name(bit))
 *                        (src/engine/forget.c)
 *   src/cli/cmd_daemon.c print_alerts(): _(state), the alert states of
 *                        status.json (alert_state_name, src/alert/alert.c)
 */
#define N_(s) (s)

static const char *const runtime_msgids[] = {
	/* TRANSLATORS: size units after a number: bytes, then powers of
	   1024 (IEC binary prefixes). */
	N_("B"), N_("KiB"), N_("MiB"), N_("GiB"), N_("TiB"), N_("PiB"),

	/* TRANSLATORS: error descriptions (util/err.c), shown after
	   a colon, as in "cannot open the repository at /x: not found". */
	N_("success"),
	N_("input/output error"),
	N_("invalid format"),
	N_("not found"),
	N_("data is corrupted (hash or MAC mismatch)"),
	N_("repository is locked"),
	N_("wrong password or no key found"),
	N_("size over limit"),
	N_("invalid argument"),
	N_("truncated input"),
	N_("already exists"),
	N_("no space left on device"),
	N_("internal error"),
	N_("command failed"),
	N_("repository does not exist"),
	N_("some items were skipped"),
	N_("interrupted"),
	N_("permission denied"),
	N_("read-only file system"),
	N_("unknown error"),

	/* TRANSLATORS: what failed on one file during a backup or a
	   restore; inserted as the second %s of "warning: %s: cannot %s: %s"
	   and "error: %s: cannot %s: %s" (path, this, error).  Translate
	   those messages and these together: French, for instance, turns
	   them into nouns, "%s : %s impossible : %s" with "lecture". */
	N_("open"),
	N_("read"),
	N_("read directory"),
	N_("stat"),
	N_("read metadata"),
	N_("back up the root directory itself"),
	N_("set extended attribute"),
	N_("chown"),
	N_("chmod"),
	N_("set times"),
	N_("read blob"),
	N_("write"),
	N_("create"),
	N_("mkdir"),
	N_("read tree"),
	N_("link"),
	N_("verify"),

	/* TRANSLATORS: why `reprise forget` keeps a snapshot, after "keep"
	   in its listing; several are joined with ", ".  The rule that keeps
	   it: --keep-tag, --keep-within, --keep-last, --keep-hourly,
	   --keep-daily, --keep-weekly, --keep-monthly, --keep-yearly, and
	   "no policy" when no --keep-* option was given (then only the
	   snapshots named on the command line are removed). */
	N_("tag"),
	N_("within"),
	N_("last"),
	N_("hourly"),
	N_("daily"),
	N_("weekly"),
	N_("monthly"),
	N_("yearly"),
	N_("no policy"),

	/* TRANSLATORS: the state of an open alert in `reprise status`, as in
	   "  #12 firing temperature srv1: CPU package: CPU package at 92 °C".
	   Pending: the condition holds but not yet for long enough to
	   notify; firing: people are being notified. */
	N_("pending"),
	N_("firing"),
};
