/*
 * plan_check: the steps after the walk.  References are resolved once the
 * whole file is read (sections may come in any order), each unknown name
 * reported at the place that uses it with the nearest known name; then the
 * checks that need resolved references run, and plan_finish fills the
 * defaults that depend on other keys.  Also the "did you mean" distance.
 */
#include "plan/plan_internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "util/xmalloc.h"

struct ref_info {
	const char *what, *expected;
	size_t arr, count, stride, name;  /* offsets in struct plan / entry */
};

#define RI(w, e, a, n, t, k)                                            \
	{ (w), (e), offsetof(struct plan, a), offsetof(struct plan, n),  \
	  sizeof(t), offsetof(t, k) }

static const struct ref_info ref_infos[] = {
	[REF_PERSON] = RI(N_("unknown person"),
			  N_("an id listed under people"), people, npeople,
			  struct plan_person, id),
	[REF_PROVIDER] = RI(N_("unknown provider"),
			    N_("a name listed under providers"), providers,
			    nproviders, struct plan_provider, name),
	[REF_HOST] = RI(N_("unknown host"), N_("a name listed under hosts"),
			hosts, nhosts, struct plan_host, name),
	[REF_SERVICE] = RI(N_("unknown service"),
			   N_("a name listed under services"), services,
			   nservices, struct plan_service, name),
	[REF_REPO] = RI(N_("unknown repository"),
			N_("a name listed under repositories"), repos, nrepos,
			struct plan_repository, name),
	[REF_JOB] = RI(N_("unknown backup job"),
		       N_("a name listed under jobs"), jobs, njobs,
		       struct plan_job, name),
};

void plan_add_ref(struct pctx *c, enum ref_kind kind, yaml_node_t *node,
		  void *slot)
{
	if (c->nrefs == c->caprefs) {
		c->caprefs = c->caprefs ? c->caprefs * 2 : 64;
		c->refs = xreallocarray(c->refs, c->caprefs, sizeof(*c->refs));
	}
	c->refs[c->nrefs++] = (struct pref){ kind, node, slot };
}

/* entries: the array and count of a kind's list in p. */
static const char *entries(const struct plan *p, enum ref_kind kind,
			   size_t *n)
{
	const struct ref_info *ri = &ref_infos[kind];
	const char *arr;

	memcpy(&arr, (const char *)p + ri->arr, sizeof(arr));
	memcpy(n, (const char *)p + ri->count, sizeof(*n));
	return arr;
}

static long find_entry(const struct plan *p, enum ref_kind kind,
		       const char *name)
{
	const struct ref_info *ri = &ref_infos[kind];
	size_t n, i;
	const char *arr = entries(p, kind, &n);
	const char *s;

	for (i = 0; i < n; i++) {
		memcpy(&s, arr + i * ri->stride + ri->name, sizeof(s));
		if (s && strcmp(s, name) == 0)
			return (long)i;
	}
	return -1;
}

/* fill: stores a pointer to entry i of kind's list, with its own type. */
static void fill(struct plan *p, enum ref_kind kind, size_t i, void *slot)
{
	void *e = NULL;

	switch (kind) {
	case REF_PERSON: {
		struct plan_person *x = &p->people[i];
		memcpy(slot, &x, sizeof(x));
		return;
	}
	case REF_PROVIDER: {
		struct plan_provider *x = &p->providers[i];
		memcpy(slot, &x, sizeof(x));
		return;
	}
	case REF_HOST: {
		struct plan_host *x = &p->hosts[i];
		memcpy(slot, &x, sizeof(x));
		return;
	}
	case REF_SERVICE: {
		struct plan_service *x = &p->services[i];
		memcpy(slot, &x, sizeof(x));
		return;
	}
	case REF_REPO: {
		struct plan_repository *x = &p->repos[i];
		memcpy(slot, &x, sizeof(x));
		return;
	}
	case REF_JOB: {
		struct plan_job *x = &p->jobs[i];
		memcpy(slot, &x, sizeof(x));
		return;
	}
	}
	memcpy(slot, &e, sizeof(e));
}

static void resolve_one(struct pctx *c, const struct pref *r)
{
	const struct ref_info *ri = &ref_infos[r->kind];
	const char *name = (const char *)r->node->data.scalar.value;
	long i = find_entry(c->plan, r->kind, name);
	size_t n;
	const char *arr;

	if (i >= 0) {
		fill(c->plan, r->kind, (size_t)i, r->slot);
		return;
	}
	arr = entries(c->plan, r->kind, &n);
	PERR(c, r->node, .what = ri->what, .subject = name,
	     .expected = ri->expected,
	     .hint = plan_nearest(name, arr, n, ri->stride, ri->name));
}

/* entry_value: the node of key in entry i of section (for positions). */
static yaml_node_t *entry_value(struct pctx *c, const char *section,
				size_t i, const char *key)
{
	return map_value(c, plan_entry_node(c, section, i), key);
}

static void check_standby(struct pctx *c)
{
	struct plan *p = c->plan;
	size_t i;

	for (i = 0; i < p->nhosts; i++)
		if (p->hosts[i].standby == &p->hosts[i])
			PERR(c, entry_value(c, "hosts", i, "standby"),
			     .what = N_("a host cannot be its own standby"),
			     .subject = p->hosts[i].name,
			     .expected = N_("another host"));
}

static int job_writes(const struct plan_job *j, const struct plan_repository *r)
{
	size_t i;

	for (i = 0; i < j->nrepos; i++)
		if (j->repos[i] == r)
			return 1;
	return 0;
}

/* drill_repo_ok: the drill's repository holds what it restores (a
 * service that no job covers is left to assess/). */
static int drill_repo_ok(const struct plan *p, const struct plan_drill *d)
{
	size_t i;
	int covered = 0;

	if (d->job)
		return job_writes(d->job, d->repo);
	for (i = 0; i < p->njobs; i++) {
		if (!plan_job_covers(&p->jobs[i], d->service))
			continue;
		covered = 1;
		if (job_writes(&p->jobs[i], d->repo))
			return 1;
	}
	return !covered;
}

static void check_drills(struct pctx *c)
{
	struct plan *p = c->plan;
	size_t i;

	for (i = 0; i < p->ndrills; i++) {
		const struct plan_drill *d = &p->drills[i];

		if (d->repo == NULL || (!d->job && !d->service) ||
		    drill_repo_ok(p, d))
			continue;
		PERR(c, entry_value(c, "drills", i, "repository"),
		     .what = N_("the drill's backups are not in repository"),
		     .subject = d->repo->name,
		     .expected = d->job
			     ? N_("a repository that the job writes to")
			     : N_("a repository that a job of the service "
				  "writes to"));
	}
}

void plan_resolve(struct pctx *c)
{
	size_t i, before = c->nerrs;

	for (i = 0; i < c->nrefs; i++)
		resolve_one(c, &c->refs[i]);
	if (c->nerrs != before)
		return;  /* the checks below need every reference */
	check_standby(c);
	check_drills(c);
}

void plan_finish(struct plan *p)
{
	size_t i;

	if (p->lang == PLAN_LANG_UNSET)
		p->lang = PLAN_LANG_FR;
	for (i = 0; i < p->ntemplates; i++)
		if (p->templates[i].lang == PLAN_LANG_UNSET)
			p->templates[i].lang = p->lang;
	for (i = 0; i < p->ndrills; i++)
		if (p->drills[i].scope == PLAN_SCOPE_SAMPLE &&
		    p->drills[i].sample == 0)
			p->drills[i].sample = 10;
}

/* ---- "did you mean" ---- */

#define NEAR_MAX 64

/* norm: lower case, '-' as '_'; 0 when s is too long to compare. */
static size_t norm(const char *s, char out[NEAR_MAX + 1])
{
	size_t n = strlen(s), i;

	if (n > NEAR_MAX)
		return 0;
	for (i = 0; i < n; i++)
		out[i] = s[i] == '-' ? '_' : (char)tolower((unsigned char)s[i]);
	out[n] = '\0';
	return n;
}

size_t plan_edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	size_t row[NEAR_MAX + 1], diag, up;

	if (la > NEAR_MAX || lb > NEAR_MAX)
		return (size_t)-1;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		diag = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t best = diag + (a[i - 1] != b[j - 1]);

			up = row[j];
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			diag = up;
			row[j] = best;
		}
	}
	return row[lb];
}

const char *plan_nearest(const char *s, const void *base, size_t n,
			 size_t stride, size_t name_off)
{
	char a[NEAR_MAX + 1], b[NEAR_MAX + 1];
	const char *best = NULL, *cand;
	size_t la = norm(s, a), d, bestd, i;

	if (la == 0)
		return NULL;
	/* short words have few letters to spare */
	bestd = (la <= 3 ? 1 : la <= 7 ? 2 : 3) + 1;
	for (i = 0; i < n; i++) {
		memcpy(&cand, (const char *)base + i * stride + name_off,
		       sizeof(cand));
		if (cand == NULL || norm(cand, b) == 0)
			continue;
		d = plan_edit_distance(a, b);
		if (d < bestd) {
			bestd = d;
			best = cand;
		}
	}
	return best;
}
