/*
 * plan_walk: the walk of the YAML document against the schema tables.
 *
 * libyaml's document API gives a tree of nodes with their positions
 * (0-based marks, shown 1-based; columns count characters).  parse_map
 * applies a table's defaults, then looks up each key of the mapping in
 * the table and converts its value; a value of the wrong shape or form is
 * an error at the value, an unknown key is an error at the key, a missing
 * key is an error at the start of the mapping.  The walk never stops at
 * the first error: every mapping and list is visited, so that one run
 * shows everything to fix.  The only early stop is the visit budget
 * (PLAN_MAX_VISITS), which bounds the work an alias-heavy file could
 * cause.
 */
#include "plan/plan_internal.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/buf.h"
#include "util/err.h"
#include "util/xmalloc.h"

struct ftype_info {
	const char *what;
	const char *expected;
};

static const struct ftype_info tinfo[] = {
	[F_STR] = { N_("bad value for"), N_("text") },
	[F_NAME] = { N_("bad name for"),
		     N_("a short name of letters, digits, '-', '_' or '.', "
			"without spaces") },
	[F_INT] = { N_("bad number for"),
		    N_("a whole number between 0 and 1000000") },
	[F_BOOL] = { N_("bad value for"),
		     N_("yes or no (or true/false, oui/non)") },
	[F_DURATION] = { N_("bad duration for"),
			 N_("a duration such as 15m, 4h, 3d or 1h30m") },
	[F_DATE] = { N_("bad date for"),
		     N_("a real date written YYYY-MM-DD, such as 2026-03-31") },
	[F_TIME] = { N_("bad time for"), N_("a time of day written HH:MM") },
	[F_PERCENT] = { N_("bad value for"),
			N_("a percentage between 1 and 100, such as 10%") },
	[F_ENUM] = { N_("bad value for"), NULL },
	[F_FLAGS] = { N_("bad value for"), NULL },
	[F_STRV] = { N_("bad value for"), N_("a list such as [a, b]") },
	[F_REF] = { N_("bad value for"), N_("a name") },
	[F_REFV] = { N_("bad value for"),
		     N_("a list of names such as [a, b]") },
	[F_MAP] = { N_("bad value for"), N_("indented 'key: value' lines") },
	[F_LIST] = { N_("bad value for"),
		     N_("a list of entries, each starting with '- '") },
};

yaml_node_t *plan_node(struct pctx *c, int index)
{
	return yaml_document_get_node(c->doc, index);
}

void perr(struct pctx *c, const yaml_node_t *n, const struct perr_args *a)
{
	int line = n ? (int)n->start_mark.line + 1 : 0;
	int col = n ? (int)n->start_mark.column + 1 : 0;

	c->nerrs++;
	if (c->errs)
		plan_errors_push(c->errs, c->file, line, col, c->seq++, a);
}

/* spend: counts one visit; 0 once the budget is gone (said once). */
static int spend(struct pctx *c)
{
	if (c->stop)
		return 0;
	if (++c->visits <= PLAN_MAX_VISITS)
		return 1;
	c->stop = 1;
	PERR(c, NULL, .what = N_("the plan is too large"),
	     .expected = N_("fewer entries, or fewer aliases (*name)"),
	     .force = 1);
	return 0;
}

int node_is_null(const yaml_node_t *n)
{
	const char *s;

	if (n == NULL)
		return 1;
	if (n->type != YAML_SCALAR_NODE ||
	    n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return 0;
	s = (const char *)n->data.scalar.value;
	return !*s || !strcmp(s, "~") || !strcasecmp(s, "null");
}

static const char *node_kind(const yaml_node_t *n)
{
	if (n->type == YAML_MAPPING_NODE)
		return N_("key: value lines");
	if (n->type == YAML_SEQUENCE_NODE)
		return N_("a list");
	return N_("a single value");
}

static const char *key_of(const yaml_node_t *k)
{
	return k && k->type == YAML_SCALAR_NODE
		       ? (const char *)k->data.scalar.value : NULL;
}

static void wrong_type(struct pctx *c, const yaml_node_t *k,
		       const yaml_node_t *v, const char *expected)
{
	const char *key = key_of(k);

	PERR(c, v, .what = key ? N_("wrong type for") : N_("wrong type"),
	     .subject = key, .found_kind = node_kind(v),
	     .expected = expected);
}

/* text: the scalar value of v, or NULL after an error (not a scalar, or
 * a NUL byte inside). */
static const char *text(struct pctx *c, const yaml_node_t *k,
			const yaml_node_t *v, const char *expected)
{
	const char *s;

	if (v->type != YAML_SCALAR_NODE) {
		wrong_type(c, k, v, expected);
		return NULL;
	}
	s = (const char *)v->data.scalar.value;
	if (strlen(s) != v->data.scalar.length) {
		PERR(c, v, .what = N_("bad value for"), .subject = key_of(k),
		     .found_kind = N_("a NUL character"),
		     .expected = N_("text"));
		return NULL;
	}
	return s;
}

static void bad_value(struct pctx *c, const struct field *f,
		      const yaml_node_t *k, const yaml_node_t *v,
		      const char *expected, const char *hint)
{
	PERR(c, v, .what = tinfo[f->type].what, .subject = key_of(k),
	     .found = (const char *)v->data.scalar.value,
	     .expected = expected ? expected
			 : f->expected ? f->expected
				       : tinfo[f->type].expected,
	     .hint = hint);
}

static void set_int(void *at, int v)
{
	memcpy(at, &v, sizeof(v));
}

static void set_i64(void *at, int64_t v)
{
	memcpy(at, &v, sizeof(v));
}

static void set_ptr(void *at, void *p)
{
	memcpy(at, &p, sizeof(p));
}

static void set_size(void *at, size_t n)
{
	memcpy(at, &n, sizeof(n));
}

static void apply_defaults(const struct ptable *t, char *base)
{
	const struct field *f;

	for (f = t->fields; f->key; f++) {
		char *at = base + f->off;

		switch (f->type) {
		case F_DURATION:
		case F_DATE:
			set_i64(at, f->def ? f->def : PLAN_UNSET);
			break;
		case F_TIME:
			set_int(at, f->def ? (int)f->def : -1);
			break;
		case F_INT:
		case F_BOOL:
		case F_PERCENT:
		case F_ENUM:
			set_int(at, (int)f->def);
			break;
		case F_MAP:
			apply_defaults(f->aux, at);
			break;
		default:
			break;
		}
	}
}

/* ---- scalars ---- */

static int enum_lookup(const struct fenum *e, const char *s, int *v)
{
	for (; e->name; e++) {
		if (strcasecmp(e->name, s) == 0) {
			*v = e->value;
			return 0;
		}
	}
	return RP_EFORMAT;
}

static const char *enum_nearest(const struct fenum *e, const char *s)
{
	size_t n = 0;

	while (e[n].name)
		n++;
	return plan_nearest(s, e, n, sizeof(*e), offsetof(struct fenum, name));
}

static void parse_enum(struct pctx *c, const struct field *f,
		       const yaml_node_t *k, const yaml_node_t *v,
		       const char *s, char *at)
{
	int x;

	if (enum_lookup(f->aux, s, &x) == 0)
		set_int(at, x);
	else
		bad_value(c, f, k, v, NULL, enum_nearest(f->aux, s));
}

static void parse_duration(struct pctx *c, const struct field *f,
			   const yaml_node_t *k, const yaml_node_t *v,
			   const char *s, char *at)
{
	int64_t d;

	if ((f->flags & FL_NONE_OK) &&
	    (!strcasecmp(s, "none") || !strcasecmp(s, "aucun") ||
	     !strcasecmp(s, "aucune"))) {
		set_i64(at, PLAN_NONE);
		return;
	}
	if (duration_parse(s, &d) < 0)
		bad_value(c, f, k, v, (f->flags & FL_NONE_OK)
			  ? N_("a duration such as 4h or 3d, or none") : NULL,
			  NULL);
	else if (d == 0)
		bad_value(c, f, k, v, N_("a duration greater than zero"), NULL);
	else
		set_i64(at, d);
}

/* convert: the plain conversions; 0 or RP_EFORMAT (reported by caller). */
static int convert(const struct field *f, const char *s, char *at)
{
	int64_t t;
	long l;
	int x;

	switch (f->type) {
	case F_INT:
		if (plan_uint_parse(s, 1000000, &l) < 0)
			return RP_EFORMAT;
		set_int(at, (int)l);
		return 0;
	case F_BOOL:
		if (plan_bool_parse(s, &x) < 0)
			return RP_EFORMAT;
		set_int(at, x);
		return 0;
	case F_DATE:
		if (plan_date_parse(s, &t) < 0)
			return RP_EFORMAT;
		set_i64(at, t);
		return 0;
	case F_TIME:
		if (plan_time_parse(s, &x) < 0)
			return RP_EFORMAT;
		set_int(at, x);
		return 0;
	case F_PERCENT:
		if (plan_percent_parse(s, &x) < 0)
			return RP_EFORMAT;
		set_int(at, x);
		return 0;
	default:
		return RP_EINTERNAL;
	}
}

static void parse_scalar(struct pctx *c, const struct field *f,
			 yaml_node_t *k, yaml_node_t *v, char *base)
{
	char *at = base + f->off;
	const char *s = text(c, k, v, f->expected ? f->expected
						  : tinfo[f->type].expected);

	if (s == NULL)
		return;
	switch (f->type) {
	case F_NAME:
		if (!plan_is_name(s)) {
			bad_value(c, f, k, v, NULL, NULL);
			return;
		}
		/* fall through */
	case F_STR:
		set_ptr(at, xstrdup(s));
		return;
	case F_REF:
		plan_add_ref(c, (enum ref_kind)f->ref, v, at);
		return;
	case F_ENUM:
		parse_enum(c, f, k, v, s, at);
		return;
	case F_DURATION:
		parse_duration(c, f, k, v, s, at);
		return;
	default:
		if (convert(f, s, at) < 0)
			bad_value(c, f, k, v, NULL, NULL);
		return;
	}
}

/* ---- lists ---- */

/* seq_len: the items of a sequence value, or -1 after an error (not a
 * list, too long, empty when it must not be). */
static long seq_len(struct pctx *c, const struct field *f,
		    const yaml_node_t *k, const yaml_node_t *v)
{
	size_t n;

	if (v->type != YAML_SEQUENCE_NODE) {
		wrong_type(c, k, v, tinfo[f->type].expected);
		return -1;
	}
	n = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
	if (n > PLAN_MAX_ITEMS) {
		PERR(c, v, .what = N_("too many entries in"),
		     .subject = key_of(k),
		     .expected = N_("at most 1000 entries"));
		return -1;
	}
	if (n == 0 && (f->flags & FL_NONEMPTY)) {
		PERR(c, v, .what = N_("empty list for"), .subject = key_of(k),
		     .expected = N_("at least one entry"));
		return -1;
	}
	return (long)n;
}

static yaml_node_t *seq_item(struct pctx *c, const yaml_node_t *v, long i)
{
	return plan_node(c, v->data.sequence.items.start[i]);
}

static void parse_strv(struct pctx *c, const struct field *f,
		       yaml_node_t *k, yaml_node_t *v, char *base)
{
	struct plan_strv sv = { NULL, 0 };
	long n = seq_len(c, f, k, v), i;
	const char *s;

	if (n <= 0)
		return;
	sv.v = xcalloc((size_t)n, sizeof(*sv.v));
	for (i = 0; i < n && spend(c); i++) {
		yaml_node_t *it = seq_item(c, v, i);

		if ((s = text(c, k, it, N_("text"))) != NULL)
			sv.v[sv.n++] = xstrdup(s);
	}
	memcpy(base + f->off, &sv, sizeof(sv));
}

static void parse_refv(struct pctx *c, const struct field *f,
		       yaml_node_t *k, yaml_node_t *v, char *base)
{
	long n = seq_len(c, f, k, v), i;
	void **arr;

	if (n <= 0)
		return;
	arr = xcalloc((size_t)n, sizeof(*arr));
	set_ptr(base + f->off, arr);
	set_size(base + f->off_n, (size_t)n);
	for (i = 0; i < n && spend(c); i++) {
		yaml_node_t *it = seq_item(c, v, i);

		if (text(c, k, it, N_("a name")) != NULL)
			plan_add_ref(c, (enum ref_kind)f->ref, it, &arr[i]);
	}
}

static void parse_flags(struct pctx *c, const struct field *f,
			yaml_node_t *k, yaml_node_t *v, char *base)
{
	unsigned flags = 0;
	long n = seq_len(c, f, k, v), i;
	const char *s;
	int x;

	for (i = 0; i < n && spend(c); i++) {
		yaml_node_t *it = seq_item(c, v, i);

		if ((s = text(c, k, it, f->expected)) == NULL)
			continue;
		if (enum_lookup(f->aux, s, &x) == 0)
			flags |= (unsigned)x;
		else
			bad_value(c, f, k, it, NULL, enum_nearest(f->aux, s));
	}
	memcpy(base + f->off, &flags, sizeof(flags));
}

static const struct field *key_field(const struct ptable *t)
{
	const struct field *f;

	for (f = t->fields; f->key; f++)
		if (f->flags & FL_KEY)
			return f;
	return NULL;
}

/* unique: entry i's name must differ from those of entries 0..i-1. */
static void unique(struct pctx *c, const struct ptable *t, char *arr,
		   long i, yaml_node_t *item)
{
	const struct field *kf = key_field(t);
	char *name, *other;
	long j;

	if (kf == NULL)
		return;
	memcpy(&name, arr + (size_t)i * t->item_size + kf->off, sizeof(name));
	for (j = 0; name && j < i; j++) {
		memcpy(&other, arr + (size_t)j * t->item_size + kf->off,
		       sizeof(other));
		if (other && strcmp(name, other) == 0) {
			PERR(c, map_value(c, item, kf->key),
			     .what = N_("duplicate name"), .subject = name,
			     .expected = N_("a name used only once in this "
					    "list"));
			return;
		}
	}
}

static void parse_list(struct pctx *c, const struct field *f,
		       yaml_node_t *k, yaml_node_t *v, char *base)
{
	const struct ptable *t = f->aux;
	long n = seq_len(c, f, k, v), i;
	char *arr;

	if (n <= 0)
		return;
	arr = xcalloc((size_t)n, t->item_size);
	set_ptr(base + f->off, arr);
	set_size(base + f->off_n, (size_t)n);
	for (i = 0; i < n && spend(c); i++) {
		yaml_node_t *it = seq_item(c, v, i);
		struct plan_pos *pos = (struct plan_pos *)(void *)
			(arr + (size_t)i * t->item_size);

		pos->line = (int)it->start_mark.line + 1;
		pos->col = (int)it->start_mark.column + 1;
		if (it->type != YAML_MAPPING_NODE) {
			wrong_type(c, k, it, tinfo[F_MAP].expected);
			continue;
		}
		parse_map(c, it, t, pos);
		unique(c, t, arr, i, it);
	}
}

/* ---- mappings ---- */

static void parse_value(struct pctx *c, const struct field *f,
			yaml_node_t *k, yaml_node_t *v, char *base)
{
	switch (f->type) {
	case F_MAP:
		if (v->type != YAML_MAPPING_NODE)
			wrong_type(c, k, v, tinfo[F_MAP].expected);
		else
			parse_map(c, v, f->aux, base + f->off);
		return;
	case F_LIST:
		parse_list(c, f, k, v, base);
		return;
	case F_STRV:
		parse_strv(c, f, k, v, base);
		return;
	case F_REFV:
		parse_refv(c, f, k, v, base);
		return;
	case F_FLAGS:
		parse_flags(c, f, k, v, base);
		return;
	default:
		parse_scalar(c, f, k, v, base);
		return;
	}
}

static void unknown_key(struct pctx *c, const struct ptable *t,
			yaml_node_t *k, const char *key)
{
	const struct field *f;
	const char *hint;
	struct buf known = BUF_INIT;
	size_t n = 0;

	for (f = t->fields; f->key; f++)
		n++;
	hint = plan_nearest(key, t->fields, n, sizeof(*t->fields),
			    offsetof(struct field, key));
	for (f = t->fields; !hint && f->key; f++)
		buf_addf(&known, "%s%s", f == t->fields ? "" : ", ", f->key);
	PERR(c, k, .what = N_("unknown key"), .subject = key, .hint = hint,
	     .expected = hint ? NULL : N_("one of these keys"),
	     .detail = hint ? NULL : buf_cstr(&known));
	buf_release(&known);
}

static int field_index(const struct ptable *t, const char *key)
{
	int i;

	for (i = 0; t->fields[i].key; i++)
		if (strcmp(t->fields[i].key, key) == 0)
			return i;
	return -1;
}

static void parse_pair(struct pctx *c, const struct ptable *t,
		       yaml_node_pair_t *p, char *base, uint64_t *seen)
{
	yaml_node_t *k = plan_node(c, p->key), *v = plan_node(c, p->value);
	const char *key = key_of(k);
	int i;

	if (key == NULL) {
		PERR(c, k, .what = N_("wrong type for a key"),
		     .found_kind = node_kind(k), .expected = N_("a word"));
		return;
	}
	if ((i = field_index(t, key)) < 0) {
		unknown_key(c, t, k, key);
		return;
	}
	if (*seen & ((uint64_t)1 << i)) {
		PERR(c, k, .what = N_("duplicate key"), .subject = key,
		     .expected = N_("each key once in a mapping"));
		return;
	}
	*seen |= (uint64_t)1 << i;
	if (!node_is_null(v))
		parse_value(c, &t->fields[i], k, v, base);
	else if (t->fields[i].flags & FL_REQ)
		PERR(c, k, .what = N_("missing value for"), .subject = key,
		     .expected = t->fields[i].expected
				 ? t->fields[i].expected
				 : tinfo[t->fields[i].type].expected);
}

static void check_required(struct pctx *c, yaml_node_t *n,
			   const struct ptable *t, uint64_t seen)
{
	int i;

	for (i = 0; t->fields[i].key; i++)
		if ((t->fields[i].flags & FL_REQ) &&
		    !(seen & ((uint64_t)1 << i)))
			PERR(c, n, .what = N_("missing key"),
			     .subject = t->fields[i].key);
}

void parse_map(struct pctx *c, yaml_node_t *n, const struct ptable *t,
	       void *base)
{
	yaml_node_pair_t *p;
	uint64_t seen = 0;

	apply_defaults(t, base);
	if (n->type != YAML_MAPPING_NODE) {
		wrong_type(c, NULL, n, tinfo[F_MAP].expected);
		return;
	}
	for (p = n->data.mapping.pairs.start;
	     p < n->data.mapping.pairs.top && spend(c); p++)
		parse_pair(c, t, p, base, &seen);
	if (c->stop)
		return;
	check_required(c, n, t, seen);
	if (t->check)
		t->check(c, n, base);
}

yaml_node_t *map_key(struct pctx *c, yaml_node_t *map, const char *key)
{
	yaml_node_pair_t *p;

	if (map == NULL || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (p = map->data.mapping.pairs.start;
	     p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = plan_node(c, p->key);
		const char *s = key_of(k);

		if (s && strcmp(s, key) == 0)
			return k;
	}
	return NULL;
}

yaml_node_t *map_value(struct pctx *c, yaml_node_t *map, const char *key)
{
	yaml_node_pair_t *p;

	if (map == NULL || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (p = map->data.mapping.pairs.start;
	     p < map->data.mapping.pairs.top; p++) {
		const char *s = key_of(plan_node(c, p->key));

		if (s && strcmp(s, key) == 0)
			return plan_node(c, p->value);
	}
	return NULL;
}

yaml_node_t *plan_entry_node(struct pctx *c, const char *section, size_t i)
{
	yaml_node_t *seq = map_value(c, yaml_document_get_root_node(c->doc),
				     section);
	yaml_node_t *it;

	if (seq == NULL || seq->type != YAML_SEQUENCE_NODE ||
	    i >= (size_t)(seq->data.sequence.items.top -
			  seq->data.sequence.items.start))
		return NULL;
	it = plan_node(c, seq->data.sequence.items.start[i]);
	return it && it->type == YAML_MAPPING_NODE ? it : NULL;
}
