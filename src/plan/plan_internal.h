/*
 * plan_internal: what the files of src/plan/ share, nothing else includes.
 *
 * Loading is table-driven.  A struct ptable lists the keys of one YAML
 * mapping (a service, a contract, the top level) as struct field rows:
 * the key, its type, flags, where the value goes (offsetof in the C
 * struct) and a default.  plan_load.c reads the file and the YAML
 * document, plan_walk.c walks the document against the tables
 * (parse_map), plan_schema.c holds the tables and the checks that join
 * several keys of one mapping, plan_check.c resolves the names that
 * entries use to refer to each other once the whole file is read and runs
 * the checks that need resolved references, plan.c frees a plan with the
 * same tables and answers questions about it, duration.c reads scalars.
 *
 * Lists are allocated once with the length of the YAML sequence (bounded
 * by PLAN_MAX_ITEMS first), so the address of every entry is stable while
 * loading: a reference is recorded as (kind, node, address of the pointer
 * to fill) and filled in at the end.
 */
#ifndef RP_PLAN_INTERNAL_H
#define RP_PLAN_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <yaml.h>

#include "plan/plan.h"

/* Marks English phrases for xgettext; cli/ translates them. */
#define N_(s) (s)

/* Nodes the walk may visit: bounds the work on aliases ("billion laughs"). */
#define PLAN_MAX_VISITS 200000

enum ftype {
	F_STR,       /* char *, any text */
	F_NAME,      /* char *, an identifier (see plan_is_name) */
	F_INT,       /* int, 0..1000000 */
	F_BOOL,      /* int, 1 or 0 */
	F_DURATION,  /* int64_t seconds > 0 (FL_NONE_OK: "none") */
	F_DATE,      /* int64_t */
	F_TIME,      /* int, minutes after midnight */
	F_PERCENT,   /* int, 1..100 */
	F_ENUM,      /* int, aux = struct fenum[] */
	F_FLAGS,     /* unsigned, a list of aux = struct fenum[] */
	F_STRV,      /* struct plan_strv */
	F_REF,       /* T *, ref = enum ref_kind */
	F_REFV,      /* T ** at off, size_t count at off_n */
	F_MAP,       /* embedded struct, aux = struct ptable */
	F_LIST,      /* T * at off, size_t count at off_n, aux = ptable */
};

enum field_flags {
	FL_REQ = 1 << 0,       /* the key must be present */
	FL_NONE_OK = 1 << 1,   /* F_DURATION: "none" gives PLAN_NONE */
	FL_NONEMPTY = 1 << 2,  /* F_REFV, F_STRV: at least one item */
	FL_KEY = 1 << 3,       /* the entry's unique name in its list */
};

enum ref_kind {
	REF_PERSON,
	REF_PROVIDER,
	REF_HOST,
	REF_SERVICE,
	REF_REPO,
	REF_JOB,
};

struct fenum {
	const char *name;
	int value;
};

struct ptable;
struct pctx;

struct field {
	const char *key;
	enum ftype type;
	unsigned flags;
	size_t off, off_n;
	int64_t def;           /* 0: the type's own (PLAN_UNSET for times) */
	const void *aux;       /* struct fenum[] or struct ptable */
	int ref;               /* enum ref_kind */
	const char *expected;  /* F_ENUM, F_FLAGS: the values, in words */
};

struct ptable {
	const struct field *fields;  /* ends with a NULL key; at most 64 */
	size_t item_size;            /* as a list entry */
	/* check: after the mapping is walked; joins several keys. */
	void (*check)(struct pctx *c, yaml_node_t *map, void *item);
};

/* A name to resolve: fill *slot (a T *) with the entry named by node. */
struct pref {
	enum ref_kind kind;
	yaml_node_t *node;
	void *slot;
};

struct pctx {
	const char *file;
	yaml_document_t *doc;
	struct plan *plan;
	struct plan_errors *errs;
	size_t nerrs;               /* errors found (kept or not) */
	size_t visits;
	int stop;                   /* the visit budget ran out */
	struct pref *refs;
	size_t nrefs, caprefs;
	unsigned seq;
};

/* The parts of a message (see struct plan_error); NULL = absent. */
struct perr_args {
	const char *what, *subject, *found, *found_kind, *expected, *hint,
		*detail;
	int force;  /* kept even past PLAN_MAX_ERRORS (the last words) */
};

/* plan_errors_push: appends a copy of a (strings duplicated) unless errs
 * already holds PLAN_MAX_ERRORS and a->force is 0 (then counts it in
 * dropped). */
void plan_errors_push(struct plan_errors *errs, const char *file, int line,
		      int col, unsigned seq, const struct perr_args *a);
/* plan_errors_sort: by line, column, then discovery. */
void plan_errors_sort(struct plan_errors *errs);

/* perr: an error at node n (NULL: the whole file). */
void perr(struct pctx *c, const yaml_node_t *n, const struct perr_args *a);
#define PERR(c, n, ...) perr((c), (n), &(struct perr_args){ __VA_ARGS__ })

/* The schema (plan_schema.c). */
extern const struct ptable plan_root_table;

/* The walk (plan_walk.c). */
void parse_map(struct pctx *c, yaml_node_t *n, const struct ptable *t,
	       void *base);
yaml_node_t *plan_node(struct pctx *c, int index);
/* map_value: the value of key in mapping map, or NULL. */
yaml_node_t *map_value(struct pctx *c, yaml_node_t *map, const char *key);
/* map_key: the key node of key in map, or NULL. */
yaml_node_t *map_key(struct pctx *c, yaml_node_t *map, const char *key);
/* plan_entry_node: item i of the top-level list section (a mapping), or
 * NULL. */
yaml_node_t *plan_entry_node(struct pctx *c, const char *section, size_t i);
/* node_is_null: an absent value ("key:" or ~ or null). */
int node_is_null(const yaml_node_t *n);

/* The last steps (plan_check.c). */
void plan_add_ref(struct pctx *c, enum ref_kind kind, yaml_node_t *node,
		  void *slot);
void plan_resolve(struct pctx *c);
void plan_finish(struct plan *p);
/* plan_nearest: among n names at base + i * stride + name_off (each a
 * const char *), the one closest to s (edit distance, case and '-'/'_'
 * ignored) if close enough, else NULL. */
const char *plan_nearest(const char *s, const void *base, size_t n,
			 size_t stride, size_t name_off);
size_t plan_edit_distance(const char *a, const char *b);

/* Scalars (duration.c). */
int plan_bool_parse(const char *s, int *v);
int plan_time_parse(const char *s, int *minutes);
int plan_percent_parse(const char *s, int *v);
int plan_uint_parse(const char *s, long max, long *v);
int plan_is_name(const char *s);

#endif
