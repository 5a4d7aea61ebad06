/*
 * assess_copies: COPIES-321, the 3-2-1-1 rule for one service: three
 * copies (the data and two backups), on two kinds of storage, one off
 * site, one immutable or offline (the last "0", no errors, is what the
 * drills prove).  A repository marked offsite but kept by a provider that
 * also runs the service is not counted off site: when that provider
 * fails, it fails with the data (the seed case: the firm's only backup
 * was at its hosting provider).
 */
#include "assess/assess_internal.h"

#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/xmalloc.h"

struct copies {
	size_t n;                   /* repositories */
	unsigned media;             /* bit per enum plan_medium */
	int offsite;                /* off site at an independent provider */
	const struct plan_provider *same;  /* off site, but runs s too */
	int immutable;              /* immutable or offline */
};

static int repo_used(const struct plan *p, const struct plan_service *s,
		     const struct plan_repository *r)
{
	size_t i, k;

	for (i = 0; i < p->njobs; i++)
		for (k = 0; plan_job_covers(&p->jobs[i], s) &&
			    k < p->jobs[i].nrepos; k++)
			if (p->jobs[i].repos[k] == r)
				return 1;
	return 0;
}

static void count_repo(const struct plan_service *s,
		       const struct plan_repository *r, struct copies *cp)
{
	cp->n++;
	cp->media |= 1u << r->medium;
	cp->immutable |= r->immutable == 1 || r->offline == 1;
	if (r->offsite != 1)
		return;
	if (r->provider && svc_runs_at(s, r->provider))
		cp->same = r->provider;
	else
		cp->offsite = 1;
}

static size_t popcount(unsigned v)
{
	size_t n = 0;

	for (; v; v &= v - 1)
		n++;
	return n;
}

static void add_part(const struct actx *c, struct buf *b, const char *s)
{
	if (b->len)
		buf_adds(b, c->tr(N_("; ")));
	buf_adds(b, s);
}

static char *copies_msg(const struct actx *c, const struct plan_service *s,
			const struct copies *cp)
{
	struct buf b = BUF_INIT;
	char *same = NULL, *msg;

	if (!cp->offsite && cp->same)
		same = afmt(c, N_("its only copy off site is kept at '%s', "
				  "which also runs it"), cp->same->name);
	if (!cp->offsite)
		add_part(c, &b, same ? same
				     : c->tr(N_("no copy is kept off site")));
	if (cp->n < 2)
		add_part(c, &b, c->tr(N_("only one backup copy besides the "
					 "data itself (two are needed)")));
	else if (popcount(cp->media) < 2)
		add_part(c, &b, c->tr(N_("every copy is on the same kind "
					 "of storage")));
	if (!cp->immutable)
		add_part(c, &b, c->tr(N_("no copy that cannot be altered or "
					 "is kept offline, against "
					 "ransomware")));
	msg = afmt(c, N_("The backups of '%s' fall short of the 3-2-1-1 "
			 "rule: %s."), s->name, buf_cstr(&b));
	free(same);
	buf_release(&b);
	return msg;
}

static char *offsite_part(const struct actx *c, const struct plan_service *s)
{
	const struct plan_provider *pr = NULL;
	size_t i;

	for (i = 0; pr == NULL && i <= s->nhosts; i++)
		pr = svc_provider(s, i);
	if (pr == NULL)
		return xstrdup(c->tr(N_("a copy off site")));
	return afmt(c, N_("a copy off site, at another provider than '%s'"),
		    pr->name);
}

static char *copies_fix(const struct actx *c, const struct plan_service *s,
			const struct copies *cp)
{
	struct buf b = BUF_INIT;
	char *off = cp->offsite ? NULL : offsite_part(c, s), *fix;

	if (off)
		add_part(c, &b, off);
	if (cp->n < 2 || popcount(cp->media) < 2)
		add_part(c, &b, c->tr(N_("a copy on another kind of storage "
					 "(object storage, a removable "
					 "disk)")));
	if (!cp->immutable)
		add_part(c, &b, c->tr(N_("a copy that cannot be altered "
					 "(immutable, append-only) or that "
					 "is kept offline")));
	fix = afmt(c, N_("Add to the backups of '%s': %s."), s->name,
		   buf_cstr(&b));
	free(off);
	buf_release(&b);
	return fix;
}

void rule_copies(struct actx *c, const struct plan_service *s,
		 const struct assess_service_facts *f)
{
	struct copies cp;
	size_t i;

	(void)f;
	memset(&cp, 0, sizeof(cp));
	for (i = 0; i < c->p->nrepos; i++)
		if (repo_used(c->p, s, &c->p->repos[i]))
			count_repo(s, &c->p->repos[i], &cp);
	if (cp.offsite && cp.n >= 2 && popcount(cp.media) >= 2 &&
	    cp.immutable)
		return;
	assess_emit_svc(c, s, "COPIES-321",
			cp.offsite ? ASSESS_WARNING : ASSESS_CRITICAL,
			copies_msg(c, s, &cp), copies_fix(c, s, &cp));
}
