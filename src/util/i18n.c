#include "util/i18n.h"

#include <libintl.h>

const char *i18n_tr(const char *msgid)
{
	return dgettext(I18N_DOMAIN, msgid);
}

const char *i18n_ntr(const char *one, const char *many, unsigned long n)
{
	return dngettext(I18N_DOMAIN, one, many, n);
}
