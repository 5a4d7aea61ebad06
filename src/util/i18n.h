/*
 * i18n: translation for library code.
 *
 * cli/ translates what it prints with _() and ngettext().  Library layers
 * do not print, but some of their words still reach a person: log lines
 * (a lock held by another process, a dump command that failed) and the
 * findings of check.  Those are translated where they are formatted: the
 * format is looked up in reprise's catalogue first, then given its
 * arguments, so a translation may reorder nothing and lose nothing
 * (msgfmt --check compares the conversions).
 *
 * log_msg() translates every format itself; check's problem() does the
 * same.  xgettext finds these formats through the keywords po/build.mk
 * lists (log_info, log_warn, log_error, problem, i18n_tr, i18n_ntr).  An
 * error text from rp_strerror() given as an argument goes through
 * i18n_tr() at the call.  Without bindtextdomain() (unit tests, a missing
 * catalogue) every function returns its English argument.
 */
#ifndef RP_I18N_H
#define RP_I18N_H

#define I18N_DOMAIN "reprise"

/* i18n_tr: msgid translated in the current locale's messages. */
const char *i18n_tr(const char *msgid) __attribute__((format_arg(1)));

/* i18n_ntr: the singular or plural form for n, translated. */
const char *i18n_ntr(const char *one, const char *many, unsigned long n)
	__attribute__((format_arg(1), format_arg(2)));

#endif
