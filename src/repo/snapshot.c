#include "repo/snapshot.h"

#include <stdlib.h>
#include <string.h>

#include "util/err.h"
#include "util/hex.h"
#include "util/i18n.h"
#include "util/jsonr.h"
#include "util/jsonw.h"
#include "util/log.h"
#include "util/xmalloc.h"

void strlist_add(struct strlist *l, const char *s)
{
	l->v = xreallocarray(l->v, l->n + 1, sizeof(*l->v));
	l->v[l->n++] = xstrdup(s);
}

void strlist_release(struct strlist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

int strlist_has(const struct strlist *l, const char *s)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i], s) == 0)
			return 1;
	return 0;
}

void snapshot_release(struct snapshot *s)
{
	strlist_release(&s->paths);
	strlist_release(&s->excludes);
	strlist_release(&s->tags);
	free(s->hostname);
	free(s->username);
	free(s->program_version);
	memset(s, 0, sizeof(*s));
}

static void encode_list(struct jsonw *w, const char *key,
			const struct strlist *l, int always)
{
	size_t i;

	if (l->n == 0 && !always)
		return;
	jsonw_key(w, key);
	jsonw_arr_begin(w);
	for (i = 0; i < l->n; i++)
		jsonw_str(w, l->v[i]);
	jsonw_arr_end(w);
}

int snapshot_encode(const struct snapshot *s, struct buf *out)
{
	struct jsonw w;
	struct buf t = BUF_INIT;

	gostr_time_format(&t, &s->time);
	jsonw_init(&w, out);
	jsonw_obj_begin(&w);
	jsonw_key(&w, "time");
	jsonw_strn(&w, (const char *)t.p, t.len);
	if (s->has_parent) {
		jsonw_key(&w, "parent");
		jsonw_hex(&w, s->parent, 32);
	}
	jsonw_key(&w, "tree");
	jsonw_hex(&w, s->tree, 32);
	encode_list(&w, "paths", &s->paths, 1);
	if (s->hostname && *s->hostname) {
		jsonw_key(&w, "hostname");
		jsonw_str(&w, s->hostname);
	}
	if (s->username && *s->username) {
		jsonw_key(&w, "username");
		jsonw_str(&w, s->username);
	}
	if (s->uid) {
		jsonw_key(&w, "uid");
		jsonw_u64(&w, s->uid);
	}
	if (s->gid) {
		jsonw_key(&w, "gid");
		jsonw_u64(&w, s->gid);
	}
	encode_list(&w, "excludes", &s->excludes, 0);
	encode_list(&w, "tags", &s->tags, 0);
	if (s->has_original) {
		jsonw_key(&w, "original");
		jsonw_hex(&w, s->original, 32);
	}
	if (s->program_version) {
		jsonw_key(&w, "program_version");
		jsonw_str(&w, s->program_version);
	}
	jsonw_obj_end(&w);
	buf_release(&t);
	return jsonw_finish(&w);
}

static int decode_list(yajl_val doc, const char *key, struct strlist *l)
{
	yajl_val a = jsonr_get(doc, key);
	size_t i;
	const char *s;

	for (i = 0; i < jsonr_arr_len(a); i++) {
		if (jsonr_str(jsonr_arr_at(a, i), &s) < 0)
			return RP_EFORMAT;
		strlist_add(l, s);
	}
	return 0;
}

static char *dup_opt(yajl_val doc, const char *key)
{
	const char *s;

	return jsonr_str(jsonr_get(doc, key), &s) == 0 ? xstrdup(s) : NULL;
}

int snapshot_decode(const uint8_t *p, size_t n, struct snapshot *s)
{
	yajl_val doc, v;
	const char *t;
	uint64_t u;
	int r = RP_EFORMAT;

	if (jsonr_parse(p, n, &doc, NULL, 0) < 0)
		return RP_EFORMAT;
	if (jsonr_str(jsonr_get(doc, "time"), &t) < 0 ||
	    gostr_time_parse(t, strlen(t), &s->time) < 0 ||
	    jsonr_hexid(jsonr_get(doc, "tree"), s->tree) < 0)
		goto out;
	if ((v = jsonr_get(doc, "parent")) && !YAJL_IS_NULL(v)) {
		if (jsonr_hexid(v, s->parent) < 0)
			goto out;
		s->has_parent = 1;
	}
	if ((v = jsonr_get(doc, "original")) && !YAJL_IS_NULL(v)) {
		if (jsonr_hexid(v, s->original) < 0)
			goto out;
		s->has_original = 1;
	}
	if (decode_list(doc, "paths", &s->paths) < 0 ||
	    decode_list(doc, "excludes", &s->excludes) < 0 ||
	    decode_list(doc, "tags", &s->tags) < 0)
		goto out;
	s->hostname = dup_opt(doc, "hostname");
	s->username = dup_opt(doc, "username");
	s->program_version = dup_opt(doc, "program_version");
	s->uid = jsonr_u64(jsonr_get(doc, "uid"), &u) == 0 ? (uint32_t)u : 0;
	s->gid = jsonr_u64(jsonr_get(doc, "gid"), &u) == 0 ? (uint32_t)u : 0;
	r = 0;
out:
	jsonr_free(doc);
	return r;
}

int snapshot_save(struct repo *r, struct snapshot *s)
{
	struct buf json = BUF_INIT;
	int rc = snapshot_encode(s, &json);

	if (rc == 0)
		rc = repo_save_unpacked(r, BE_SNAPSHOT, json.p, json.len, s->id);
	buf_release(&json);
	return rc;
}

static int cmp_time(const void *a, const void *b)
{
	const struct snapshot *x = a, *y = b;

	if (x->time.sec != y->time.sec)
		return x->time.sec < y->time.sec ? -1 : 1;
	if (x->time.nsec != y->time.nsec)
		return x->time.nsec < y->time.nsec ? -1 : 1;
	return memcmp(x->id, y->id, 32);
}

int snapshot_load_all(struct repo *r, struct snapshot **out, size_t *n,
		      size_t *bad)
{
	char **names;
	size_t nn, i, cnt = 0, nbad = 0;
	struct snapshot *v;
	struct buf json = BUF_INIT;
	int rc;

	if ((rc = repo_list(r, BE_SNAPSHOT, &names, &nn)) < 0)
		return rc;
	v = xcalloc(nn + 1, sizeof(*v));
	for (i = 0; i < nn; i++) {
		rc = repo_load_unpacked(r, BE_SNAPSHOT, names[i], &json);
		if (rc == 0)
			rc = snapshot_decode(json.p, json.len, &v[cnt]);
		if (rc < 0) {
			log_warn("snapshot %.8s: %s", names[i],
				 i18n_tr(rp_strerror(rc)));
			snapshot_release(&v[cnt]);
			nbad++;
			continue;
		}
		hex_decode(names[i], 64, v[cnt].id, 32);
		cnt++;
	}
	buf_release(&json);
	repo_names_free(names, nn);
	if (cnt > 1)
		qsort(v, cnt, sizeof(*v), cmp_time);
	*out = v;
	*n = cnt;
	if (bad)
		*bad = nbad;
	return 0;
}

void snapshot_list_free(struct snapshot *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		snapshot_release(&v[i]);
	free(v);
}

int snapshot_has_tags(const struct snapshot *s, const char *list)
{
	const char *p = list;

	while (*p) {
		size_t n = strcspn(p, ",");
		size_t i;
		int found = n == 0;

		for (i = 0; i < s->tags.n && !found; i++)
			found = strlen(s->tags.v[i]) == n &&
				memcmp(s->tags.v[i], p, n) == 0;
		if (!found)
			return 0;
		p += n + (p[n] == ',');
	}
	return 1;
}

int snapshot_match(const struct snapshot *s, const struct snapshot_filter *f)
{
	size_t i;
	int any = 0;

	if (f == NULL)
		return 1;
	if (f->hosts.n && !strlist_has(&f->hosts, s->hostname ? s->hostname : ""))
		return 0;
	for (i = 0; i < f->tags.n && !any; i++)
		any = snapshot_has_tags(s, f->tags.v[i]);
	if (f->tags.n && !any)
		return 0;
	for (i = 0; i < f->paths.n; i++)
		if (!strlist_has(&s->paths, f->paths.v[i]))
			return 0;
	return 1;
}

static void snapshot_move(struct snapshot *dst, struct snapshot *src)
{
	*dst = *src;
	memset(src, 0, sizeof(*src));
}

int snapshot_find(struct repo *r, const char *what,
		  const struct snapshot_filter *f, struct snapshot *out)
{
	struct snapshot *v;
	size_t n, i, hits = 0, plen = strlen(what), pick = 0;
	char hex[65];
	int rc;

	if ((rc = snapshot_load_all(r, &v, &n, NULL)) < 0)
		return rc;
	for (i = 0; i < n; i++) {
		if (strcmp(what, "latest") == 0) {
			if (snapshot_match(&v[i], f)) {
				pick = i;
				hits = 1;
			}
			continue;
		}
		hex_encode(v[i].id, 32, hex);
		if (plen > 0 && plen <= 64 && strncmp(hex, what, plen) == 0) {
			pick = i;
			hits++;
		}
	}
	rc = hits == 1 ? 0 : hits == 0 ? RP_ENOTFOUND : RP_EINVAL;
	if (rc == 0)
		snapshot_move(out, &v[pick]);
	snapshot_list_free(v, n);
	return rc;
}
