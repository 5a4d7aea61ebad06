/*
 * catalog_internal: what the catalog_*.c files share, and nobody else.
 *
 * struct catalog is one SQLite connection plus two caches: prepared
 * statements, keyed by the address of their SQL text (each function keeps
 * its SQL in a `static const char sql[]` next to its code, so the address
 * is the statement's identity), and series IDs for catalog_sample_add.
 *
 * Queries go through struct cat_q, whose errors are sticky (as jsonw's):
 *
 *   struct cat_q q;
 *   q_open(&q, cat, sql);          prepared once, then reused
 *   q_text(&q, s); q_int(&q, v);   bind ?1, ?2, ... in order
 *   while ((rc = q_step(&q)) > 0)  1 per row, 0 at the end, <0 error
 *           ... q_col_int(&q, 0) ...
 *   rc = q_close(&q, rc);          resets; returns the first error
 *
 * A failure is logged once, where it happens, under the name of the
 * function that opened the query.
 */
#ifndef RP_CATALOG_INTERNAL_H
#define RP_CATALOG_INTERNAL_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "catalog/catalog.h"

#define CAT_STMTS_MAX 128
#define CAT_SERIES_SLOTS 512

struct cat_stmt {
	const char *sql;
	sqlite3_stmt *st;
};

struct cat_series {
	char *metric, *labels;  /* NULL: empty slot */
	int64_t id;
};

struct catalog {
	sqlite3 *db;
	const char *txn_file;   /* where catalog_begin was called */
	int txn_line;
	int op_savepoint;       /* cat_op_begin used a savepoint */
	struct cat_stmt stmts[CAT_STMTS_MAX];
	size_t nstmts;
	struct cat_series series[CAT_SERIES_SLOTS];
};

struct cat_q {
	struct catalog *cat;
	sqlite3_stmt *st;
	const char *func;
	int rc;                 /* first error, sticky */
	int next;               /* next parameter index */
};

/* q_open: the cached statement for sql (prepared on first use). */
#define q_open(q, cat, sql) q_open_at((q), (cat), (sql), __func__)
void q_open_at(struct cat_q *q, struct catalog *cat, const char *sql,
	       const char *func);
/* Binders: the next parameter.  q_text(NULL) and q_time(0) bind NULL. */
void q_text(struct cat_q *q, const char *s);
void q_int(struct cat_q *q, int64_t v);
void q_time(struct cat_q *q, int64_t t);
void q_real(struct cat_q *q, double v);
/* q_step: 1 a row, 0 done, <0 error. */
int q_step(struct cat_q *q);
/* q_exec: steps a statement that returns no row; *changes (may be NULL)
 * gets sqlite3_changes(). */
int q_exec(struct cat_q *q, int64_t *changes);
/* q_insert: q_exec, then *id (may be NULL) = the new rowid. */
int q_insert(struct cat_q *q, int64_t *id);
/* q_close: resets the statement; returns q's sticky error, else rc. */
int q_close(struct cat_q *q, int rc);
int64_t q_col_int(struct cat_q *q, int col);
double q_col_real(struct cat_q *q, int col);
/* q_col_text: a new string, or NULL for a NULL column. */
char *q_col_text(struct cat_q *q, int col);
int q_col_null(struct cat_q *q, int col);
/* q_limit: binds limit (0 means CATALOG_LIST_MAX). */
void q_limit(struct cat_q *q, size_t limit);
/* q_since_until: binds since and until for `t >= ? AND t < ?` (0: open). */
void q_since_until(struct cat_q *q, int64_t since, int64_t until);

/* cat_fail: logs SQLite's error for what and maps code to an rp_err. */
#define cat_fail(cat, code, what) cat_fail_at((cat), (code), (what), __func__)
int cat_fail_at(struct catalog *cat, int code, const char *what,
		const char *func);
/* cat_exec: runs constant SQL (no parameters; several statements ok). */
#define cat_exec(cat, sql) cat_exec_at((cat), (sql), __func__)
int cat_exec_at(struct catalog *cat, const char *sql, const char *func);

/* cat_op_begin/cat_op_end: make a multi-statement function atomic: a
 * BEGIN IMMEDIATE of its own, or a savepoint inside the caller's
 * transaction.  cat_op_end commits (rc == 0) or rolls back, and returns
 * rc or the commit's error. */
int cat_op_begin(struct catalog *cat);
int cat_op_end(struct catalog *cat, int rc);

/* Enum <-> schema words.  cat_word_find: the index of s in words[0..n),
 * or -1. */
int cat_word_find(const char *const *words, size_t n, const char *s);
/* cat_hex_ok: s is exactly len lower-case hex digits. */
int cat_hex_ok(const char *s, size_t len);
/* cat_grow: v with room for element n (*cap grows by doubling). */
void *cat_grow(void *v, size_t n, size_t *cap, size_t size);
/* cat_collect: every row of q (which it closes), each decoded by row()
 * into a zeroed element of `size` bytes; *out is a new array of *n (NULL
 * when none).  On error what was decoded is released and *out is NULL. */
typedef void (*cat_row_fn)(struct cat_q *q, void *elem);
typedef void (*cat_release_fn)(void *elem);
int cat_collect(struct cat_q *q, size_t size, cat_row_fn row,
		cat_release_fn release, void **out, size_t *n);
/* cat_one: the first row of q (which it closes) into *out (size bytes).
 * 0, RP_ENOTFOUND, or q's error. */
int cat_one(struct cat_q *q, size_t size, cat_row_fn row, void *out);
/* cat_free_text: frees a const text field and NULLs it. */
void cat_free_text(const char **s);
/* cat_series_forget: empties the series ID cache (after a rollback). */
void cat_series_forget(struct catalog *cat);

/* Migrations: catalog_migrations[v - 1], a NULL-terminated list of SQL
 * statements, takes a catalog from version v - 1 to v (catalog_schema.c). */
extern const char *const *const catalog_migrations[CATALOG_VERSION];
/* catalog_open_to: catalog_open, migrating only up to `version` (tests
 * make old catalogs with it).  A newer file is not downgraded. */
int catalog_open_to(const char *path, int version, struct catalog **out);

#endif
