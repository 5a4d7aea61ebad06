/*
 * plan_load: the file and the document.  The file is read whole (capped at
 * PLAN_MAX_FILE before anything is allocated for it), libyaml builds the
 * document (a syntax error stops there: libyaml cannot go on after one),
 * then plan_walk.c walks it and plan_check.c resolves the references.  A
 * plan is handed out only when no error at all was found.
 */
#include "plan/plan_internal.h"

#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/err.h"
#include "util/fsx.h"
#include "util/xmalloc.h"

/* utf8_chars: characters (not continuation bytes) in text[0..n). */
static int utf8_chars(const char *text, size_t n)
{
	int k = 0;
	size_t i;

	for (i = 0; i < n; i++)
		k += ((unsigned char)text[i] & 0xc0) != 0x80;
	return k;
}

/* line_of: 1-based line and column (in characters) of byte offset off. */
static void line_of(const char *text, size_t len, size_t off, int *line,
		    int *col)
{
	size_t i, start = 0;

	*line = 1;
	if (off > len)
		off = len;
	for (i = 0; i < off; i++) {
		if (text[i] == '\n') {
			(*line)++;
			start = i + 1;
		}
	}
	*col = utf8_chars(text + start, off - start) + 1;
}

/* byte_at: the byte at 1-based line and column (in characters), or 0. */
static char byte_at(const char *text, size_t len, int line, int col)
{
	size_t i = 0;

	for (; line > 1 && i < len; i++)
		if (text[i] == '\n')
			line--;
	for (; col > 1 && i < len; col--)
		for (i++; i < len && ((unsigned char)text[i] & 0xc0) == 0x80;)
			i++;
	return i < len ? text[i] : '\0';
}

static void syntax_error(struct pctx *c, yaml_parser_t *ps, const char *text,
			 size_t len)
{
	struct perr_args a = { .what = N_("invalid YAML") };
	char *detail = NULL;
	int line = (int)ps->problem_mark.line + 1;
	int col = (int)ps->problem_mark.column + 1;

	if (ps->error == YAML_READER_ERROR)
		line_of(text, len, ps->problem_offset, &line, &col);
	if (byte_at(text, len, line, col) == '\t') {
		a.found_kind = N_("a tab");
		a.expected = N_("spaces to indent (tabs are not allowed)");
	} else {
		detail = xasprintf("%s%s%s",
				   ps->problem ? ps->problem : "?",
				   ps->context ? " " : "",
				   ps->context ? ps->context : "");
		a.detail = detail;
	}
	c->nerrs++;
	if (c->errs)
		plan_errors_push(c->errs, c->file, line, col, c->seq++, &a);
	free(detail);
}

static void walk(struct pctx *c)
{
	yaml_node_t *root = yaml_document_get_root_node(c->doc);

	if (root == NULL || node_is_null(root)) {
		PERR(c, NULL, .what = N_("the plan is empty"),
		     .expected = N_("company:, services:, hosts: and the "
				    "other sections"));
		return;
	}
	parse_map(c, root, &plan_root_table, c->plan);
	if (!c->stop)
		plan_resolve(c);
}

/* only_document: what follows the first document must be the end. */
static void only_document(struct pctx *c, yaml_parser_t *ps,
			  const char *text, size_t len)
{
	yaml_document_t next;
	yaml_node_t *root;

	if (!yaml_parser_load(ps, &next)) {
		syntax_error(c, ps, text, len);
		return;
	}
	root = yaml_document_get_root_node(&next);
	if (root)
		PERR(c, root, .what = N_("a second YAML document"),
		     .expected = N_("one document only (no second '---')"));
	yaml_document_delete(&next);
}

int plan_load_mem(const char *name, const char *text, size_t len,
		  struct plan **out, struct plan_errors *errs)
{
	struct pctx c;
	yaml_parser_t ps;
	yaml_document_t doc;

	*out = NULL;
	memset(&c, 0, sizeof(c));
	c.file = name;
	c.errs = errs;
	c.doc = &doc;
	c.plan = xcalloc(1, sizeof(*c.plan));
	c.plan->file = xstrdup(name);
	if (!yaml_parser_initialize(&ps))
		abort();
	yaml_parser_set_input_string(&ps, (const unsigned char *)text, len);
	if (yaml_parser_load(&ps, &doc)) {
		walk(&c);
		only_document(&c, &ps, text, len);
		yaml_document_delete(&doc);
	} else {
		syntax_error(&c, &ps, text, len);
	}
	yaml_parser_delete(&ps);
	free(c.refs);
	if (errs)
		plan_errors_sort(errs);
	if (c.nerrs > 0) {
		plan_free(c.plan);
		return RP_EFORMAT;
	}
	plan_finish(c.plan);
	*out = c.plan;
	return 0;
}

int plan_load(const char *path, struct plan **out, struct plan_errors *errs)
{
	struct buf b;
	int r;

	*out = NULL;
	buf_init(&b, PLAN_MAX_FILE + 1);
	r = fsx_read_file(path, &b);
	if (r == RP_ENOMEM) {
		if (errs)
			plan_errors_push(errs, path, 0, 0, 0,
					 &(struct perr_args){
					 .what = N_("the file is too large"),
					 .expected = N_("at most 1 MiB") });
		r = RP_EFORMAT;
	}
	if (r == 0)
		r = plan_load_mem(path, b.p ? (const char *)b.p : "", b.len,
				  out, errs);
	buf_release(&b);
	return r;
}
