/*
 * catalog_ping: dead-man's-switch pings (table ping) from the
 * healthchecks.io-compatible endpoint.  A check is late when its newest
 * success is older than its period plus grace; the daemon asks
 * catalog_ping_newest for that.
 */
#include "catalog/catalog.h"

#include <stdlib.h>
#include <string.h>

#include "catalog/catalog_internal.h"
#include "util/err.h"

/* indexed by enum catalog_ping_kind */
static const char *const ping_words[] = { NULL, "start", "success", "fail",
					  "exit", "log" };
#define PING_WORDS (sizeof(ping_words) / sizeof(ping_words[0]))

#define PING_COLS "id, check_id, t, kind, exit_code, source, body"

static int ping_ok(const struct catalog_ping *p)
{
	return p->check && p->t > 0 && p->kind >= CATALOG_PING_START &&
	       (size_t)p->kind < PING_WORDS &&
	       (p->kind != CATALOG_PING_EXIT ||
		(p->exit_code >= 0 && p->exit_code <= 255));
}

int catalog_ping_add(struct catalog *cat, const struct catalog_ping *p,
		     int64_t *id)
{
	static const char sql[] =
		"INSERT INTO ping (check_id, t, kind, exit_code, source,\n"
		"  body) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
	struct cat_q q;
	int exit_code = p->kind == CATALOG_PING_EXIT;

	if (!ping_ok(p))
		return RP_EINVAL;
	q_open(&q, cat, sql);
	q_text(&q, p->check);
	q_int(&q, p->t);
	q_text(&q, ping_words[p->kind]);
	if (exit_code)
		q_int(&q, p->exit_code);
	else
		q_text(&q, NULL);
	q_text(&q, p->source);
	q_text(&q, p->body);
	return q_insert(&q, id);
}

static void ping_row(struct cat_q *q, void *elem)
{
	struct catalog_ping *p = elem;
	char *kind = q_col_text(q, 3);
	int w = cat_word_find(ping_words, PING_WORDS, kind);

	p->id = q_col_int(q, 0);
	p->check = q_col_text(q, 1);
	p->t = q_col_int(q, 2);
	p->kind = w < 0 ? CATALOG_PING_LOG : (enum catalog_ping_kind)w;
	p->exit_code = (int)q_col_int(q, 4);
	p->source = q_col_text(q, 5);
	p->body = q_col_text(q, 6);
	free(kind);
}

void catalog_ping_release(struct catalog_ping *p)
{
	cat_free_text(&p->check);
	cat_free_text(&p->source);
	cat_free_text(&p->body);
	memset(p, 0, sizeof(*p));
}

static void ping_release(void *elem)
{
	catalog_ping_release(elem);
}

void catalog_ping_list_free(struct catalog_ping *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		catalog_ping_release(&v[i]);
	free(v);
}

int catalog_ping_newest(struct catalog *cat, const char *check,
			unsigned kinds, struct catalog_ping *out)
{
	static const char sql[] =
		"SELECT " PING_COLS " FROM ping\n"
		"WHERE check_id = ?1 AND kind IN (?2, ?3, ?4, ?5, ?6)\n"
		"ORDER BY t DESC, id DESC LIMIT 1";
	struct cat_q q;

	q_open(&q, cat, sql);
	q_text(&q, check);
	for (size_t i = 1; i < PING_WORDS; i++)
		q_text(&q, !kinds || (kinds & (1u << i)) ? ping_words[i] :
							    NULL);
	return cat_one(&q, sizeof(*out), ping_row, out);
}

int catalog_ping_list(struct catalog *cat, const char *check, size_t limit,
		      struct catalog_ping **out, size_t *n)
{
	static const char sql[] =
		"SELECT " PING_COLS " FROM ping\n"
		"WHERE ?1 IS NULL OR check_id = ?1\n"
		"ORDER BY t DESC, id DESC LIMIT ?2";
	struct cat_q q;
	void *v;
	int rc;

	q_open(&q, cat, sql);
	q_text(&q, check);
	q_limit(&q, limit);
	rc = cat_collect(&q, sizeof(**out), ping_row, ping_release, &v, n);
	*out = v;
	return rc;
}
