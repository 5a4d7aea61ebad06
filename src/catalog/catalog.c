/*
 * catalog: opening, identification, migration, transactions, and the query
 * helpers of catalog_internal.h.
 */
#include "catalog/catalog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog_internal.h"
#include "util/err.h"
#include "util/log.h"
#include "util/xmalloc.h"

/* ---- Errors ----------------------------------------------------------- */

static int cat_map(int code)
{
	switch (code & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return RP_ELOCKED;
	case SQLITE_NOTADB:
		return RP_EFORMAT;
	case SQLITE_CORRUPT:
		return RP_ECORRUPT;
	case SQLITE_TOOBIG:
		return RP_ENOMEM;
	case SQLITE_FULL:
		return RP_ENOSPC;
	case SQLITE_CONSTRAINT:
		if (code == SQLITE_CONSTRAINT_UNIQUE ||
		    code == SQLITE_CONSTRAINT_PRIMARYKEY)
			return RP_EEXIST;
		return RP_EINVAL;
	default:
		return RP_EIO;
	}
}

int cat_fail_at(struct catalog *cat, int code, const char *what,
		const char *func)
{
	const char *nl = strchr(what, '\n');
	int len = nl ? (int)(nl - what) : (int)strlen(what);

	log_msg(LOG_ERROR, func, "catalog: %.*s: %s", len > 72 ? 72 : len,
		what, cat->db ? sqlite3_errmsg(cat->db) : sqlite3_errstr(code));
	return cat_map(code);
}

int cat_exec_at(struct catalog *cat, const char *sql, const char *func)
{
	int rc = sqlite3_exec(cat->db, sql, NULL, NULL, NULL);

	return rc == SQLITE_OK ? 0 : cat_fail_at(cat, rc, sql, func);
}

/* ---- Statements and queries ------------------------------------------- */

static int cat_prepare(struct catalog *cat, const char *sql,
		       sqlite3_stmt **st, const char *func)
{
	struct cat_stmt *s;
	int rc;

	for (size_t i = 0; i < cat->nstmts; i++)
		if (cat->stmts[i].sql == sql) {
			*st = cat->stmts[i].st;
			return 0;
		}
	if (cat->nstmts == CAT_STMTS_MAX) {
		log_msg(LOG_ERROR, func, "catalog: statement cache full");
		return RP_EINTERNAL;
	}
	rc = sqlite3_prepare_v3(cat->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
				st, NULL);
	if (rc != SQLITE_OK)
		return cat_fail_at(cat, rc, sql, func);
	s = &cat->stmts[cat->nstmts++];
	s->sql = sql;
	s->st = *st;
	return 0;
}

/* txn_lost: SQLite rolls a whole transaction back on some errors (a full
 * disk, I/O, memory); what the caller does next must not autocommit as if
 * it were still inside it. */
static int txn_lost(struct catalog *cat, const char *func)
{
	if (!cat->txn_file || !sqlite3_get_autocommit(cat->db))
		return 0;
	log_msg(LOG_ERROR, func,
		"catalog: the transaction begun at %s:%d was rolled back "
		"after an error", cat->txn_file, cat->txn_line);
	return RP_EIO;
}

void q_open_at(struct cat_q *q, struct catalog *cat, const char *sql,
	       const char *func)
{
	q->cat = cat;
	q->st = NULL;
	q->func = func;
	q->next = 1;
	q->rc = txn_lost(cat, func);
	if (q->rc == 0)
		q->rc = cat_prepare(cat, sql, &q->st, func);
}

static void q_bound(struct cat_q *q, int rc)
{
	if (rc != SQLITE_OK && q->rc == 0)
		q->rc = cat_fail_at(q->cat, rc, sqlite3_sql(q->st), q->func);
}

void q_text(struct cat_q *q, const char *s)
{
	int i = q->next++;
	size_t n;

	if (q->rc < 0)
		return;
	if (!s) {
		q_bound(q, sqlite3_bind_null(q->st, i));
		return;
	}
	n = strlen(s);
	if (n > CATALOG_TEXT_MAX) {
		log_msg(LOG_ERROR, q->func, "catalog: text of %zu bytes", n);
		q->rc = RP_ENOMEM;
		return;
	}
	q_bound(q, sqlite3_bind_text(q->st, i, s, (int)n, SQLITE_STATIC));
}

void q_int(struct cat_q *q, int64_t v)
{
	int i = q->next++;

	if (q->rc == 0)
		q_bound(q, sqlite3_bind_int64(q->st, i, v));
}

void q_time(struct cat_q *q, int64_t t)
{
	int i = q->next++;

	if (q->rc == 0)
		q_bound(q, t ? sqlite3_bind_int64(q->st, i, t) :
			       sqlite3_bind_null(q->st, i));
}

void q_real(struct cat_q *q, double v)
{
	int i = q->next++;

	if (q->rc == 0)
		q_bound(q, sqlite3_bind_double(q->st, i, v));
}

void q_limit(struct cat_q *q, size_t limit)
{
	if (limit == 0 || limit > CATALOG_LIST_MAX)
		limit = CATALOG_LIST_MAX;
	q_int(q, (int64_t)limit);
}

void q_since_until(struct cat_q *q, int64_t since, int64_t until)
{
	q_int(q, since ? since : INT64_MIN);
	q_int(q, until ? until : INT64_MAX);
}

int q_step(struct cat_q *q)
{
	int rc;

	if (q->rc < 0)
		return q->rc;
	rc = sqlite3_step(q->st);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	q->rc = cat_fail_at(q->cat, rc, sqlite3_sql(q->st), q->func);
	return q->rc;
}

int q_close(struct cat_q *q, int rc)
{
	if (q->st) {
		sqlite3_reset(q->st);
		sqlite3_clear_bindings(q->st);
	}
	return q->rc < 0 ? q->rc : rc;
}

int q_exec(struct cat_q *q, int64_t *changes)
{
	int rc = q_step(q);

	if (rc > 0) {
		log_msg(LOG_ERROR, q->func, "catalog: a row from %s",
			sqlite3_sql(q->st));
		rc = RP_EINTERNAL;
	}
	if (rc == 0 && changes)
		*changes = sqlite3_changes64(q->cat->db);
	return q_close(q, rc);
}

int q_insert(struct cat_q *q, int64_t *id)
{
	int rc = q_exec(q, NULL);

	if (rc == 0 && id)
		*id = sqlite3_last_insert_rowid(q->cat->db);
	return rc;
}

int64_t q_col_int(struct cat_q *q, int col)
{
	return sqlite3_column_int64(q->st, col);
}

double q_col_real(struct cat_q *q, int col)
{
	return sqlite3_column_double(q->st, col);
}

char *q_col_text(struct cat_q *q, int col)
{
	const unsigned char *p = sqlite3_column_text(q->st, col);

	if (!p)
		return NULL;
	return xstrndup((const char *)p,
			(size_t)sqlite3_column_bytes(q->st, col));
}

int q_col_null(struct cat_q *q, int col)
{
	return sqlite3_column_type(q->st, col) == SQLITE_NULL;
}

/* ---- Small shared helpers --------------------------------------------- */

int cat_word_find(const char *const *words, size_t n, const char *s)
{
	for (size_t i = 0; s && i < n; i++)
		if (words[i] && strcmp(words[i], s) == 0)
			return (int)i;
	return -1;
}

int cat_hex_ok(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		      (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return s[i] == '\0';
}

void *cat_grow(void *v, size_t n, size_t *cap, size_t size)
{
	if (n < *cap)
		return v;
	*cap = *cap ? *cap * 2 : 8;
	return xreallocarray(v, *cap, size);
}

int cat_collect(struct cat_q *q, size_t size, cat_row_fn row,
		cat_release_fn release, void **out, size_t *n)
{
	char *v = NULL;
	size_t k = 0, cap = 0;
	int rc;

	while ((rc = q_step(q)) > 0) {
		v = cat_grow(v, k, &cap, size);
		memset(v + k * size, 0, size);
		row(q, v + k++ * size);
	}
	rc = q_close(q, rc);
	if (rc < 0) {
		for (size_t i = 0; i < k; i++)
			release(v + i * size);
		free(v);
		v = NULL;
		k = 0;
	}
	*out = v;
	*n = k;
	return rc;
}

int cat_one(struct cat_q *q, size_t size, cat_row_fn row, void *out)
{
	int rc = q_step(q);

	memset(out, 0, size);
	if (rc > 0)
		row(q, out);
	return q_close(q, rc < 0 ? rc : rc == 0 ? RP_ENOTFOUND : 0);
}

void cat_free_text(const char **s)
{
	free((char *)*s);
	*s = NULL;
}

/* ---- Transactions ----------------------------------------------------- */

static int txn_exec(struct catalog *cat, const char *sql, const char *file,
		    int line, const char *func)
{
	int rc = sqlite3_exec(cat->db, sql, NULL, NULL, NULL);

	if (rc == SQLITE_OK)
		return 0;
	log_msg(LOG_ERROR, func, "catalog: %s at %s:%d: %s", sql, file, line,
		sqlite3_errmsg(cat->db));
	return cat_map(rc);
}

int catalog_begin_at(struct catalog *cat, const char *file, int line)
{
	int rc;

	if (cat->txn_file) {
		log_msg(LOG_ERROR, "catalog_begin",
			"catalog: transaction begun at %s:%d while the one "
			"begun at %s:%d is open", file, line, cat->txn_file,
			cat->txn_line);
		return RP_EINTERNAL;
	}
	rc = txn_exec(cat, "BEGIN IMMEDIATE", file, line, "catalog_begin");
	if (rc == 0) {
		cat->txn_file = file;
		cat->txn_line = line;
	}
	return rc;
}

int catalog_rollback_at(struct catalog *cat, const char *file, int line)
{
	int rc = 0;

	if (!sqlite3_get_autocommit(cat->db))
		rc = txn_exec(cat, "ROLLBACK", file, line, "catalog_rollback");
	cat->txn_file = NULL;
	cat_series_forget(cat);
	return rc;
}

int catalog_commit_at(struct catalog *cat, const char *file, int line)
{
	int rc;

	if (!cat->txn_file) {
		log_msg(LOG_ERROR, "catalog_commit",
			"catalog: commit at %s:%d without a transaction", file,
			line);
		return RP_EINTERNAL;
	}
	if ((rc = txn_lost(cat, "catalog_commit")) < 0 ||
	    (rc = txn_exec(cat, "COMMIT", file, line, "catalog_commit")) < 0)
		catalog_rollback_at(cat, file, line);
	cat->txn_file = NULL;
	return rc;
}

int cat_op_begin(struct catalog *cat)
{
	int rc;

	if ((rc = txn_lost(cat, "cat_op_begin")) < 0)
		return rc;
	cat->op_savepoint = !sqlite3_get_autocommit(cat->db);
	return cat_exec(cat, cat->op_savepoint ? "SAVEPOINT catalog_op" :
						 "BEGIN IMMEDIATE");
}

/* op_rollback: ROLLBACK, unless SQLite already ended the transaction. */
static int op_rollback(struct catalog *cat)
{
	return sqlite3_get_autocommit(cat->db) ? 0 : cat_exec(cat, "ROLLBACK");
}

int cat_op_end(struct catalog *cat, int rc)
{
	int rc2;

	if (cat->op_savepoint) {
		if (rc < 0)
			cat_exec(cat, "ROLLBACK TO catalog_op");
		rc2 = cat_exec(cat, "RELEASE catalog_op");
	} else if (rc < 0) {
		rc2 = op_rollback(cat);
	} else if ((rc2 = cat_exec(cat, "COMMIT")) < 0) {
		op_rollback(cat);
	}
	if (rc < 0 || rc2 < 0)
		cat_series_forget(cat);
	return rc < 0 ? rc : rc2;
}

/* ---- Opening ---------------------------------------------------------- */

static int pragma_int(struct catalog *cat, const char *sql, int64_t *v)
{
	struct cat_q q;
	int rc;

	q_open(&q, cat, sql);
	rc = q_step(&q);
	*v = rc > 0 ? q_col_int(&q, 0) : 0;
	return q_close(&q, rc < 0 ? rc : 0);
}

int catalog_version(struct catalog *cat, int *version)
{
	static const char sql[] = "PRAGMA user_version";
	int64_t v;
	int rc = pragma_int(cat, sql, &v);

	*version = (int)v;
	return rc;
}

/* cat_refuse: keeps a file we will not touch as it is, down to the byte:
 * closing the last connection would otherwise checkpoint its WAL. */
static int cat_refuse(struct catalog *cat, const char *why, int64_t v)
{
	sqlite3_db_config(cat->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
	log_error("catalog: %s: %s (%lld)", sqlite3_db_filename(cat->db, NULL),
		  why, (long long)v);
	return RP_EFORMAT;
}

/* cat_identify: ours (any version up to CATALOG_VERSION), or an empty
 * database that can become ours; anything else is refused. */
static int cat_identify(struct catalog *cat)
{
	static const char app_sql[] = "PRAGMA application_id";
	static const char ver_sql[] = "PRAGMA user_version";
	static const char obj_sql[] = "SELECT count(*) FROM sqlite_schema";
	int64_t app, ver, objects;
	int rc;

	if ((rc = pragma_int(cat, app_sql, &app)) < 0 ||
	    (rc = pragma_int(cat, ver_sql, &ver)) < 0 ||
	    (rc = pragma_int(cat, obj_sql, &objects)) < 0)
		return rc;
	if (app == CATALOG_APP_ID && ver > CATALOG_VERSION)
		return cat_refuse(cat, "catalog of a newer reprise, version",
				  ver);
	if (app == CATALOG_APP_ID || (app == 0 && ver == 0 && objects == 0))
		return 0;
	return cat_refuse(cat, "not a reprise catalog, application_id", app);
}

static int cat_configure(struct catalog *cat)
{
	static const char wal_sql[] = "PRAGMA journal_mode = WAL";
	struct cat_q q;
	char *mode = NULL;
	int rc;

	q_open(&q, cat, wal_sql);
	if ((rc = q_step(&q)) > 0)
		mode = q_col_text(&q, 0);
	rc = q_close(&q, rc < 0 ? rc : 0);
	if (rc == 0 && (!mode || (strcmp(mode, "wal") != 0 &&
				  strcmp(mode, "memory") != 0))) {
		log_error("catalog: journal mode %s, not wal",
			  mode ? mode : "?");
		rc = RP_EIO;
	}
	free(mode);
	if (rc == 0)
		rc = cat_exec(cat, "PRAGMA foreign_keys = ON;"
				   "PRAGMA synchronous = NORMAL");
	return rc;
}

static int cat_migrate_locked(struct catalog *cat, int target)
{
	char sql[96];
	int v, rc;

	/* again, under the lock: another process may have migrated it */
	if ((rc = cat_identify(cat)) < 0 ||
	    (rc = catalog_version(cat, &v)) < 0)
		return rc;
	for (; v < target; v++)
		for (const char *const *s = catalog_migrations[v]; *s; s++)
			if ((rc = cat_exec(cat, *s)) < 0)
				return rc;
	snprintf(sql, sizeof(sql), "PRAGMA application_id = %d",
		 CATALOG_APP_ID);
	if ((rc = cat_exec(cat, sql)) < 0)
		return rc;
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", v);
	return cat_exec(cat, sql);
}

static int cat_migrate(struct catalog *cat, int target)
{
	int v, rc;

	if ((rc = catalog_version(cat, &v)) < 0 || v >= target)
		return rc;
	if ((rc = catalog_begin(cat)) < 0)
		return rc;
	if ((rc = cat_migrate_locked(cat, target)) < 0) {
		catalog_rollback(cat);
		return rc;
	}
	return catalog_commit(cat);
}

static int cat_connect(struct catalog *cat, const char *path)
{
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	int rc = sqlite3_open_v2(path, &cat->db, flags, NULL);

	if (rc != SQLITE_OK) {
		log_error("catalog: open %s: %s", path,
			  cat->db ? sqlite3_errmsg(cat->db) :
				    sqlite3_errstr(rc));
		return cat_map(rc);
	}
	sqlite3_extended_result_codes(cat->db, 1);
	sqlite3_busy_timeout(cat->db, CATALOG_BUSY_MS);
	return 0;
}

int catalog_open_to(const char *path, int version, struct catalog **out)
{
	struct catalog *cat = xcalloc(1, sizeof(*cat));
	int rc;

	*out = NULL;
	if ((rc = cat_connect(cat, path)) < 0 ||
	    (rc = cat_identify(cat)) < 0 ||
	    (rc = cat_configure(cat)) < 0 ||
	    (rc = cat_migrate(cat, version)) < 0)
		goto out;
	*out = cat;
	cat = NULL;
out:
	catalog_close(cat);
	return rc;
}

int catalog_open(const char *path, struct catalog **out)
{
	return catalog_open_to(path, CATALOG_VERSION, out);
}

void catalog_set_busy_timeout(struct catalog *cat, int ms)
{
	sqlite3_busy_timeout(cat->db, ms);
}

void catalog_close(struct catalog *cat)
{
	int rc;

	if (!cat)
		return;
	if (cat->txn_file) {
		log_warn("catalog: transaction begun at %s:%d rolled back "
			 "on close", cat->txn_file, cat->txn_line);
		catalog_rollback(cat);
	}
	for (size_t i = 0; i < cat->nstmts; i++)
		sqlite3_finalize(cat->stmts[i].st);
	cat_series_forget(cat);
	rc = sqlite3_close(cat->db);
	if (rc != SQLITE_OK)
		log_error("catalog: close: %s", sqlite3_errstr(rc));
	free(cat);
}
