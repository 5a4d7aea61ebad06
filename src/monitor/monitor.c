/*
 * monitor: the shared pieces of the layer: translation hook, sample
 * batches, canonical labels (see monitor.h).
 */
#include "monitor/monitor.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/err.h"
#include "util/xmalloc.h"

const char *monitor_tr(monitor_tr_fn tr, const char *msgid)
{
	const char *s = tr ? tr(msgid) : NULL;

	return s ? s : msgid;
}

/* copy_str: s into out[0..n) whole, or RP_EINVAL when it does not fit. */
static int copy_str(char *out, size_t n, const char *s)
{
	size_t len = strlen(s);

	if (len >= n)
		return RP_EINVAL;
	memcpy(out, s, len + 1);
	return 0;
}

int monitor_samples_add(struct monitor_samples *s, const char *metric,
			const char *labels, double value)
{
	struct monitor_sample *row;

	if (!metric || !*metric || !isfinite(value))
		return RP_EINVAL;
	if (strlen(metric) >= MONITOR_METRIC_MAX ||
	    strlen(labels ? labels : "") >= MONITOR_LABELS_MAX)
		return RP_EINVAL;
	if (s->n >= MONITOR_SAMPLES_MAX)
		return RP_ENOMEM;
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 32;
		s->v = xreallocarray(s->v, s->cap, sizeof(*s->v));
	}
	row = &s->v[s->n++];
	copy_str(row->metric, sizeof(row->metric), metric);
	copy_str(row->labels, sizeof(row->labels), labels ? labels : "");
	row->value = value;
	return 0;
}

void monitor_samples_release(struct monitor_samples *s)
{
	free(s->v);
	s->v = NULL;
	s->n = s->cap = 0;
}

/* put: appends c to out at *at, keeping room for the NUL; 0 or -1. */
static int put(char *out, size_t outlen, size_t *at, char c)
{
	if (*at + 1 >= outlen)
		return -1;
	out[(*at)++] = c;
	return 0;
}

/* put_value: the escaped value between quotes. */
static int put_value(char *out, size_t outlen, size_t *at, const char *v)
{
	int r = put(out, outlen, at, '"');

	for (; *v && r == 0; v++) {
		if (*v == '\\' || *v == '"')
			r = put(out, outlen, at, '\\');
		if (r == 0 && *v == '\n')
			r = put(out, outlen, at, '\\') ||
			    put(out, outlen, at, 'n');
		else if (r == 0)
			r = put(out, outlen, at, *v);
	}
	return r == 0 ? put(out, outlen, at, '"') : r;
}

int monitor_label(char *out, size_t outlen, const char *key,
		  const char *value)
{
	size_t at = 0;
	int r = 0;

	if (outlen == 0)
		return RP_EINVAL;
	for (; *key && r == 0; key++)
		r = put(out, outlen, &at, *key);
	if (r == 0)
		r = put(out, outlen, &at, '=');
	if (r == 0)
		r = put_value(out, outlen, &at, value ? value : "");
	out[r == 0 ? at : 0] = '\0';
	return r == 0 ? 0 : RP_EINVAL;
}

int monitor_label2(char *out, size_t outlen, const char *k1, const char *v1,
		   const char *k2, const char *v2)
{
	size_t n;

	if (monitor_label(out, outlen, k1, v1) < 0)
		return RP_EINVAL;
	n = strlen(out);
	if (n + 2 > outlen || monitor_label(out + n + 1, outlen - n - 1, k2,
					    v2) < 0) {
		out[0] = '\0';
		return RP_EINVAL;
	}
	out[n] = ',';
	return 0;
}
