/*
 * catalog_check: plan checks (table check_run) and their findings (table
 * finding), written together in one transaction.
 */
#include "catalog/catalog.h"

#include <stdlib.h>
#include <string.h>

#include "catalog/catalog_internal.h"
#include "util/err.h"

/* indexed by enum catalog_severity */
static const char *const sev_words[] = { "info", "warning", "critical" };
#define SEV_WORDS (sizeof(sev_words) / sizeof(sev_words[0]))

static int finding_ok(const struct catalog_finding *f)
{
	return f->code && f->subject && f->message &&
	       (size_t)f->severity < SEV_WORDS;
}

static int check_insert(struct catalog *cat, int64_t at, int64_t *id)
{
	static const char sql[] = "INSERT INTO check_run (at) VALUES (?1)";
	struct cat_q q;

	q_open(&q, cat, sql);
	q_int(&q, at);
	return q_insert(&q, id);
}

static int finding_insert(struct catalog *cat, int64_t check, size_t seq,
			  const struct catalog_finding *f)
{
	static const char sql[] =
		"INSERT INTO finding (check_run, seq, code, severity,\n"
		"  subject, message, fix) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
	struct cat_q q;

	q_open(&q, cat, sql);
	q_int(&q, check);
	q_int(&q, (int64_t)seq);
	q_text(&q, f->code);
	q_text(&q, sev_words[f->severity]);
	q_text(&q, f->subject);
	q_text(&q, f->message);
	q_text(&q, f->fix);
	return q_insert(&q, NULL);
}

int catalog_check_add(struct catalog *cat, int64_t at,
		      const struct catalog_finding *f, size_t n, int64_t *id)
{
	int64_t check = 0;
	int rc;

	if (at <= 0 || (n && !f))
		return RP_EINVAL;
	for (size_t i = 0; i < n; i++)
		if (!finding_ok(&f[i]))
			return RP_EINVAL;
	if ((rc = cat_op_begin(cat)) < 0)
		return rc;
	rc = check_insert(cat, at, &check);
	for (size_t i = 0; rc == 0 && i < n; i++)
		rc = finding_insert(cat, check, i, &f[i]);
	if ((rc = cat_op_end(cat, rc)) == 0 && id)
		*id = check;
	return rc;
}

static void finding_row(struct cat_q *q, void *elem)
{
	struct catalog_finding *f = elem;
	char *sev = q_col_text(q, 1);
	int w = cat_word_find(sev_words, SEV_WORDS, sev);

	f->code = q_col_text(q, 0);
	f->severity = w < 0 ? CATALOG_SEV_CRITICAL : (enum catalog_severity)w;
	f->subject = q_col_text(q, 2);
	f->message = q_col_text(q, 3);
	f->fix = q_col_text(q, 4);
	free(sev);
}

static void finding_release(void *elem)
{
	struct catalog_finding *f = elem;

	cat_free_text(&f->code);
	cat_free_text(&f->subject);
	cat_free_text(&f->message);
	cat_free_text(&f->fix);
}

void catalog_check_release(struct catalog_check *c)
{
	for (size_t i = 0; i < c->n; i++)
		finding_release(&c->findings[i]);
	free(c->findings);
	memset(c, 0, sizeof(*c));
}

static int check_findings(struct catalog *cat, struct catalog_check *c)
{
	static const char sql[] =
		"SELECT code, severity, subject, message, fix FROM finding\n"
		"WHERE check_run = ?1 ORDER BY seq";
	struct cat_q q;
	void *v;
	int rc;

	q_open(&q, cat, sql);
	q_int(&q, c->id);
	rc = cat_collect(&q, sizeof(*c->findings), finding_row,
			 finding_release, &v, &c->n);
	c->findings = v;
	for (size_t i = 0; i < c->n; i++)
		c->count[c->findings[i].severity]++;
	return rc;
}

static void check_row(struct cat_q *q, void *elem)
{
	struct catalog_check *c = elem;

	c->id = q_col_int(q, 0);
	c->at = q_col_int(q, 1);
}

/* check_load: the check that q (already bound) selects, with findings. */
static int check_load(struct catalog *cat, struct cat_q *q,
		      struct catalog_check *out)
{
	int rc = cat_one(q, sizeof(*out), check_row, out);

	if (rc == 0 && (rc = check_findings(cat, out)) < 0)
		catalog_check_release(out);
	return rc;
}

int catalog_check_get(struct catalog *cat, int64_t id,
		      struct catalog_check *out)
{
	static const char sql[] =
		"SELECT id, at FROM check_run WHERE id = ?1";
	struct cat_q q;

	q_open(&q, cat, sql);
	q_int(&q, id);
	return check_load(cat, &q, out);
}

int catalog_check_latest(struct catalog *cat, struct catalog_check *out)
{
	static const char sql[] =
		"SELECT id, at FROM check_run\n"
		"ORDER BY at DESC, id DESC LIMIT 1";
	struct cat_q q;

	q_open(&q, cat, sql);
	return check_load(cat, &q, out);
}
