/*
 * plan: errors, freeing (driven by the same tables as loading, so a new
 * key can never leak), and the small questions later layers ask of a plan.
 */
#include "plan/plan_internal.h"

#include <stdlib.h>
#include <string.h>

#include "util/err.h"
#include "util/xmalloc.h"

/* Values quoted in messages are cut to one line of this many bytes. */
#define FOUND_MAX 60

void plan_errors_init(struct plan_errors *errs)
{
	memset(errs, 0, sizeof(*errs));
}

static void plan_error_release(struct plan_error *e)
{
	free(e->file);
	free(e->subject);
	free(e->found);
	free(e->hint);
	free(e->detail);
}

void plan_errors_release(struct plan_errors *errs)
{
	size_t i;

	for (i = 0; i < errs->n; i++)
		plan_error_release(&errs->v[i]);
	free(errs->v);
	plan_errors_init(errs);
}

/* shown: s cut at the first line break or FOUND_MAX bytes (on a UTF-8
 * boundary), "..." marking the cut, controls as '?'.  New string. */
static char *shown(const char *s)
{
	size_t n = strcspn(s, "\r\n"), i, cut = n;
	char *r;

	if (n > FOUND_MAX) {
		cut = FOUND_MAX;
		while (cut > 0 && ((unsigned char)s[cut] & 0xc0) == 0x80)
			cut--;
	}
	r = xmalloc(cut + 4);
	for (i = 0; i < cut; i++)
		r[i] = (unsigned char)s[i] < 0x20 ? '?' : s[i];
	memcpy(r + cut, s[cut] ? "..." : "", s[cut] ? 4 : 1);
	return r;
}

static char *dup_or_null(const char *s)
{
	return s ? shown(s) : NULL;
}

void plan_errors_push(struct plan_errors *errs, const char *file, int line,
		      int col, unsigned seq, const struct perr_args *a)
{
	struct plan_error *e;

	if (errs->n >= PLAN_MAX_ERRORS && !a->force) {
		errs->dropped++;
		return;
	}
	if (errs->n == errs->cap) {
		errs->cap = errs->cap ? errs->cap * 2 : 8;
		errs->v = xreallocarray(errs->v, errs->cap, sizeof(*errs->v));
	}
	e = &errs->v[errs->n++];
	memset(e, 0, sizeof(*e));
	e->file = xstrdup(file);
	e->line = line;
	e->col = col;
	e->seq = seq;
	e->what = a->what;
	e->found_kind = a->found_kind;
	e->expected = a->expected;
	e->subject = dup_or_null(a->subject);
	e->found = dup_or_null(a->found);
	e->hint = dup_or_null(a->hint);
	e->detail = a->detail ? xstrdup(a->detail) : NULL;
}

static int error_cmp(const void *pa, const void *pb)
{
	const struct plan_error *a = pa, *b = pb;

	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->col != b->col)
		return a->col < b->col ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

void plan_errors_sort(struct plan_errors *errs)
{
	if (errs->n > 1)
		qsort(errs->v, errs->n, sizeof(*errs->v), error_cmp);
}

static const char *tr_none(const char *s)
{
	return s;
}

int plan_error_message(const struct plan_error *e,
		       const char *(*tr)(const char *), struct buf *out)
{
	int r;

	if (tr == NULL)
		tr = tr_none;
	r = buf_adds(out, tr(e->what ? e->what : N_("error")));
	if (r == 0 && e->subject)
		r = buf_addf(out, tr(N_(" '%s'")), e->subject);
	if (r == 0 && e->found)
		r = buf_addf(out, tr(N_(": found '%s'")), e->found);
	else if (r == 0 && e->found_kind)
		r = buf_addf(out, tr(N_(": found %s")), tr(e->found_kind));
	if (r == 0 && e->expected)
		r = buf_addf(out, tr(N_(", expected %s")), tr(e->expected));
	if (r == 0 && e->hint)
		r = buf_addf(out, tr(N_(" (did you mean '%s'?)")), e->hint);
	if (r == 0 && e->detail)
		r = buf_addf(out, ": %s", e->detail);
	return r;
}

/* ---- freeing, table-driven ---- */

static void free_fields(const struct ptable *t, void *base);

static void free_strv(struct plan_strv *v)
{
	size_t i;

	for (i = 0; i < v->n; i++)
		free(v->v[i]);
	free(v->v);
}

static void free_list(const struct field *f, char *base)
{
	const struct ptable *t = f->aux;
	char *arr;
	size_t n, i;

	memcpy(&arr, base + f->off, sizeof(arr));
	memcpy(&n, base + f->off_n, sizeof(n));
	for (i = 0; arr && i < n; i++)
		free_fields(t, arr + i * t->item_size);
	free(arr);
}

static void free_field(const struct field *f, void *base)
{
	char *at = (char *)base + f->off;
	void *p;

	switch (f->type) {
	case F_STR:
	case F_NAME:
	case F_REFV:
		memcpy(&p, at, sizeof(p));
		free(p);
		break;
	case F_STRV:
		free_strv((struct plan_strv *)(void *)at);
		break;
	case F_MAP:
		free_fields(f->aux, at);
		break;
	case F_LIST:
		free_list(f, base);
		break;
	default:
		break;
	}
}

static void free_fields(const struct ptable *t, void *base)
{
	const struct field *f;

	for (f = t->fields; f->key; f++)
		free_field(f, base);
}

void plan_free(struct plan *p)
{
	if (p == NULL)
		return;
	free_fields(&plan_root_table, p);
	free(p->file);
	free(p);
}

/* ---- questions ---- */

#define FIND(arr, n, field, name)                                      \
	do {                                                           \
		size_t i_;                                             \
		for (i_ = 0; name && i_ < (n); i_++)                   \
			if (strcmp((arr)[i_].field, name) == 0)        \
				return &(arr)[i_];                     \
		return NULL;                                           \
	} while (0)

const struct plan_service *plan_find_service(const struct plan *p,
					     const char *name)
{
	FIND(p->services, p->nservices, name, name);
}

const struct plan_host *plan_find_host(const struct plan *p,
				       const char *name)
{
	FIND(p->hosts, p->nhosts, name, name);
}

const struct plan_provider *plan_find_provider(const struct plan *p,
					       const char *name)
{
	FIND(p->providers, p->nproviders, name, name);
}

const struct plan_repository *plan_find_repo(const struct plan *p,
					     const char *name)
{
	FIND(p->repos, p->nrepos, name, name);
}

const struct plan_job *plan_find_job(const struct plan *p, const char *name)
{
	FIND(p->jobs, p->njobs, name, name);
}

const struct plan_person *plan_find_person(const struct plan *p,
					   const char *id)
{
	FIND(p->people, p->npeople, id, id);
}

int64_t plan_job_interval(const struct plan *p, const struct plan_job *job)
{
	int64_t best = PLAN_UNSET;
	size_t i;

	(void)p;
	if (job->interval > 0)
		return job->interval;
	for (i = 0; i < job->nservices; i++) {
		int64_t rpo = job->services[i]->rpo;

		if (rpo > 0 && (best < 0 || rpo < best))
			best = rpo;
	}
	return best > 0 ? best : PLAN_DEFAULT_INTERVAL;
}

int plan_job_covers(const struct plan_job *job, const struct plan_service *s)
{
	size_t i;

	for (i = 0; i < job->nservices; i++)
		if (job->services[i] == s)
			return 1;
	return 0;
}

int64_t plan_contract_notice_date(const struct plan_contract *c)
{
	if (c->end < 0)
		return PLAN_UNSET;
	if (c->notice <= 0)
		return PLAN_UNSET;
	return c->end - c->notice;
}

size_t plan_count_role(const struct plan *p, unsigned role)
{
	size_t i, n = 0;

	for (i = 0; i < p->npeople; i++)
		n += (p->people[i].roles & role) != 0;
	return n;
}
