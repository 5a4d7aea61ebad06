/*
 * alert_route.c: who is called, in which order, from the plan (alert.h
 * "Routes from the plan"), and maintenance windows as people write them.
 */
#include "alert/alert.h"

#include <stdlib.h>
#include <string.h>

#include "plan/plan.h"
#include "util/err.h"
#include "util/gostr.h"
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

/* ---- maintenance windows as written by people ------------------------ */

static int parse_time_ms(const char *s, size_t n, int64_t *ms)
{
	struct gotime t;

	if (gostr_time_parse(s, n, &t) < 0)
		return RP_EFORMAT;
	*ms = t.sec * 1000 + t.nsec / 1000000;
	return 0;
}

static const char *glob_or_null(const char *g)
{
	return g && strcmp(g, "*") != 0 ? g : NULL;
}

int alert_maintenance_parse(const char *spec, struct alert_window *out)
{
	char *slash, *f[4] = { NULL, NULL, NULL, NULL }, *p;
	size_t n = 0;
	int64_t secs;

	memset(out, 0, sizeof(*out));
	out->buf = xstrdup(spec);
	for (p = out->buf; *p && n < 4;) {
		while (*p == ' ' || *p == '\t')
			*p++ = 0;
		if (!*p)
			break;
		f[n++] = p;
		p += strcspn(p, " \t");
	}
	if (n == 0 || n > 3 || *p || !(slash = strchr(f[0], '/')))
		goto bad;
	if (parse_time_ms(f[0], (size_t)(slash - f[0]), &out->start_ms) < 0)
		goto bad;
	if (parse_time_ms(slash + 1, strlen(slash + 1), &out->end_ms) < 0) {
		if (duration_parse(slash + 1, &secs) < 0 || secs <= 0)
			goto bad;
		out->end_ms = out->start_ms + secs * 1000;
	}
	if (out->end_ms <= out->start_ms)
		goto bad;
	out->subject_glob = glob_or_null(f[1]);
	out->rule_glob = glob_or_null(f[2]);
	return 0;
bad:
	alert_window_release(out);
	return RP_EFORMAT;
}

void alert_window_release(struct alert_window *w)
{
	free(w->buf);
	memset(w, 0, sizeof(*w));
}
