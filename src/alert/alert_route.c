/*
 * alert_route.c: who is called, in which order, from the plan (alert.h
 * "Routes from the plan").
 */
#include "alert/alert.h"

#include <stdlib.h>
#include <string.h>

#include "plan/plan.h"
#include "util/xmalloc.h"

#define DEFAULT_ESCALATE_MS ((int64_t)15 * 60 * 1000)

static void add_step(struct alert_route *r, struct plan_person **people,
		     size_t n, int64_t escalate_after_s)
{
	struct alert_step *st;
	size_t i;

	r->steps = xreallocarray(r->steps, r->n + 1, sizeof(*r->steps));
	st = &r->steps[r->n++];
	st->people = xcalloc(n ? n : 1, sizeof(*st->people));
	for (i = 0; i < n; i++)
		st->people[i] = people[i];
	st->n = n;
	st->escalate_after_ms = escalate_after_s > 0 ?
				escalate_after_s * 1000 : DEFAULT_ESCALATE_MS;
}

int alert_route_for_host(const struct plan *p, const char *host,
			 struct alert_route *out)
{
	const struct plan_host *h = host ? plan_find_host(p, host) : NULL;
	size_t i;

	out->steps = NULL;
	out->n = 0;
	if (h && h->monitoring.nalert > 0)
		add_step(out, h->monitoring.alert, h->monitoring.nalert,
			 p->ncall_tree ? p->call_tree[0].escalate_after : -1);
	for (i = 0; i < p->ncall_tree; i++)
		add_step(out, p->call_tree[i].call, p->call_tree[i].ncall,
			 p->call_tree[i].escalate_after);
	return 0;
}

void alert_route_release(struct alert_route *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		free(r->steps[i].people);
	free(r->steps);
	r->steps = NULL;
	r->n = 0;
}
