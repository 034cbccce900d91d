/*
 * cmd_analyze.c - `dlrepro analyze`: the triage of stored posts or of posts
 * in a file (not stored), as a readable report or one JSON object per line,
 * and the user's corrections of type and categories.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dlrepro/analysis.h"
#include "dlrepro/cli.h"
#include "dlrepro/import.h"
#include "dlrepro/report.h"
#include "dlrepro/text.h"
#include "dlrepro/util.h"

struct analyze_ctx {
	const struct engine *e;
	int json;
	int show_all;
	size_t count;
};

/* The readable report fits an 80-column terminal. */
#define REPORT_COLS 80
/* Room for a quote after "    Hyperparameters  present  \"" and before
 * "...\"": what is left of REPORT_COLS. */
#define QUOTE_COLS 45

/* Columns of UTF-8 text: one per character (term_safe() output). */
static size_t
cols_of(const char *s, size_t n)
{
	size_t c = 0;

	for (size_t i = 0; i < n; i++)
		c += ((unsigned char)s[i] & 0xC0) != 0x80;
	return c;
}

/* Quoted evidence on one report line: a run of newlines, tabs and
 * spaces (a code block's indentation) becomes one space. */
static char *
one_line(const char *s)
{
	char *copy = xstrdup(s ? s : ""), *o = copy, *safe;

	for (const char *c = copy; *c != '\0'; c++) {
		int blank = *c == '\n' || *c == '\t' || *c == '\r' ||
			    *c == ' ';

		if (!blank)
			*o++ = *c;
		else if (o > copy && o[-1] != ' ')
			*o++ = ' ';
	}
	while (o > copy && o[-1] == ' ')
		o--;
	*o = '\0';
	safe = term_safe(copy);
	free(copy);
	return safe;
}

/*
 * One evidence quote, cut to QUOTE_COLS: at the last space when one falls
 * in the second half (so a word is not cut in two), else at a character;
 * a comma or space left at the cut goes, so the quote ends "...".
 */
static void
print_quote(const char *text)
{
	char *q = one_line(text);
	size_t n = strlen(q), cut = 0, col = 0, space = 0;

	if (cols_of(q, n) <= QUOTE_COLS + 3) {
		printf("  \"%s\"", q);
		free(q);
		return;
	}
	while (cut < n && col < QUOTE_COLS) {
		if (q[cut] == ' ' && col > QUOTE_COLS / 2)
			space = cut;
		cut++;
		while (cut < n && ((unsigned char)q[cut] & 0xC0) == 0x80)
			cut++;
		col++;
	}
	if (cut < n && q[cut] != ' ' && space > 0)
		cut = space;
	while (cut > 0 && (q[cut - 1] == ' ' || q[cut - 1] == ','))
		cut--;
	printf("  \"%.*s...\"", (int)cut, q);
	free(q);
}

/*
 * text after prefix, wrapped at words to REPORT_COLS (less two, as the
 * questions always were), continuation lines indented by indent.
 */
static void
print_wrapped(const char *prefix, size_t indent, const char *text)
{
	char *safe = term_safe(text), *p = safe;
	size_t col = cols_of(prefix, strlen(prefix)), start = col;

	fputs(prefix, stdout);
	/*
	 * Words are cut at spaces, but not inside a `code span`: a command
	 * a question asks the reporter to run is copied from the terminal
	 * whole, so it stays on one line (longer than the width if it must).
	 */
	for (;;) {
		char *w;
		size_t wl;
		int code = 0;

		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		w = p;
		for (; *p != '\0' && (code || *p != ' '); p++)
			code ^= *p == '`';
		if (*p != '\0')
			*p++ = '\0';
		wl = cols_of(w, strlen(w));

		if (col > start && col + 1 + wl > REPORT_COLS - 2) {
			printf("\n%*s", (int)indent, "");
			col = start = indent;
		} else if (col > start) {
			fputc(' ', stdout);
			col++;
		}
		fputs(w, stdout);
		col += wl;
	}
	fputc('\n', stdout);
	free(safe);
}

/*
 * The span to quote for category c: the first outside the post's logs
 * when there is one.  A path in a traceback ("python3.9"), a shape in an
 * error message are true evidence, but the post's own "PyTorch version:
 * 2.0.1" or "input_shape=(784,)" convinces at a glance.
 */
static const struct info_span *
first_own_span(const struct analysis *a, int c)
{
	const struct info_result *r = &a->info.r[c], *logs =
		&a->info.r[CAT_LOGS];

	if (c == CAT_LOGS)
		return &r->spans[0];
	for (size_t i = 0; i < r->nspans; i++) {
		size_t k = 0;

		while (k < logs->nspans &&
		       !(r->spans[i].start < logs->spans[k].end &&
			 logs->spans[k].start < r->spans[i].end))
			k++;
		if (k == logs->nspans)
			return &r->spans[i];
	}
	return &r->spans[0];
}

static void
print_report(const struct engine *e, const struct analysis *a)
{
	const struct dl_data *d = e->data;
	char *id = xasprintf("%s%s", a->post_id, *a->title ? "  " : "");

	print_wrapped(id, 2, a->title);
	free(id);
	/* the confidence and method are the engine's, so they go with it */
	if (a->corr.type >= 0)
		printf("  type: %s  [corrected by you]\n"
		       "    the engine said %s (confidence %.2f, from %s)\n",
		       d->types[a->type].name, d->types[a->cls.type].name,
		       a->cls.confidence, classify_method_name(a->cls.method));
	else if (a->type == TYPE_MIXED) {
		int two[2];

		/* "confidence 1.00" of a Mixed reads as a contradiction:
		 * name the two types it stands for, with their scores */
		classify_top_two(&a->cls, two);
		printf("  type: %s (%s %.2f + %s %.2f, from %s)\n",
		       d->types[a->type].name, d->types[two[0]].name,
		       a->cls.scores[two[0]], d->types[two[1]].name,
		       a->cls.scores[two[1]],
		       classify_method_name(a->cls.method));
	} else
		printf("  type: %s (confidence %.2f, from %s)\n",
		       d->types[a->type].name, a->cls.confidence,
		       classify_method_name(a->cls.method));
	for (size_t i = 0; i < a->cls.nevidence && i < 6; i++) {
		print_wrapped("    - ", 6, a->cls.evidence[i].why
					    ? a->cls.evidence[i].why
					    : a->cls.evidence[i].text);
	}
	printf("  information:\n");
	for (int c = 0; c < INFO__COUNT; c++) {
		const char *name = c < CAT__COUNT ? d->cats[c].name
						  : "Environment";
		int corrected = c < CAT__COUNT &&
			((a->corr.present_mask | a->corr.missing_mask) &
			 (1 << c));

		printf("    %-16s %s", name,
		       a->present[c] ? "present" : "MISSING");
		if (corrected)
			fputs("  [corrected by you]", stdout);
		else if (a->info.r[c].nspans > 0)
			print_quote(first_own_span(a, c)->text);
		fputc('\n', stdout);
	}
	/* as the dashboard puts it: the figures are all types', not the
	 * type's, and the heading says so before the rows */
	if (a->rec.fallback)
		printf("  recommendations over all types (n=%d reproduced "
		       "bugs; %s has only %d):\n", a->rec.n,
		       d->types[a->type].name, a->rec.type_n);
	else
		printf("  recommendations for %s (n=%d reproduced bugs):\n",
		       d->types[a->type].name, a->rec.n);
	for (size_t i = 0; i < a->rec.ninfo; i++)
		printf("    needs %-16s %.2f  %s\n",
		       d->cats[a->rec.info[i].id].name,
		       a->rec.info[i].confidence,
		       a->rec.info[i].present ? "present" : "MISSING");
	for (size_t i = 0; i < a->rec.nactions; i++)
		printf("    do    %-44s %.2f\n",
		       d->actions[a->rec.actions[i].id].name,
		       a->rec.actions[i].confidence);
	/* "this post:", as in the dashboard: the table is the type's, these
	 * come from the post itself */
	for (size_t i = 0; i < a->rec.nhints; i++) {
		char *line = xasprintf("%s (%s)",
				       d->actions[a->rec.hints[i].action].name,
				       a->rec.hints[i].because);

		print_wrapped("    this post: ", 15, line);
		free(line);
	}
	if (a->questions.n > 0) {
		printf("  ask the reporter:\n");
		for (size_t i = 0; i < a->questions.n; i++)
			print_wrapped("    - ", 6, a->questions.v[i]);
	}
}

static void
emit(struct analyze_ctx *ctx, const struct analysis *a)
{
	if (ctx->json) {
		char *s = analysis_to_json(ctx->e, a);

		puts(s);
		free(s);
	} else {
		if (ctx->count > 0)
			fputc('\n', stdout);
		print_report(ctx->e, a);
	}
	ctx->count++;
}

static int
analyse_one(struct post *p, void *arg)
{
	struct analyze_ctx *ctx = arg;
	struct analysis a;
	int rc = analysis_run(ctx->e, p, NULL, ctx->show_all, &a);

	if (rc == DL_OK)
		emit(ctx, &a);
	analysis_done(&a);
	return rc;
}

/*
 * Analyse a file (or standard input) of posts in the formats import
 * reads, or one report (Markdown unless --format) with title and tags.
 * Standard input is read once, so both decisions are made on the bytes
 * read.
 */
static int
analyse_file(struct analyze_ctx *ctx, const char *path, const char *title,
	     const char *tags, const char *format)
{
	int in = strcmp(path, "-") == 0, rc;
	int as_posts = title == NULL && tags == NULL && format == NULL;
	struct strbuf sb;
	struct post p;
	size_t n = 0;

	if (!in && as_posts) {
		/* a file is looked at, then read again by the right reader
		 * (the importer keeps a big one out of memory) */
		FILE *f = fopen(path, "rb");
		int json = f != NULL && report_file_looks_json(f);

		if (f != NULL)
			fclose(f);
		/* unreadable: let the importer name the problem */
		if (f == NULL || json)
			return import_read(path, NULL, analyse_one, ctx, &n);
	}
	sb_init(&sb);
	if (report_read_all(path, &sb) != DL_OK) {
		sb_done(&sb);
		return DL_ERR;
	}
	if (!as_posts && format == NULL && report_looks_json(sb.s, sb.len)) {
		sb_done(&sb);
		return error_set("%s: holds JSON posts, which carry their own "
				 "titles and tags (--title and --tags are for "
				 "a report; --format markdown reads it as one)",
				 in ? "standard input" : path);
	}
	if (in && as_posts && report_looks_json(sb.s, sb.len)) {
		FILE *f = fmemopen(sb.s, sb.len, "r");

		if (f == NULL) {
			sb_done(&sb);
			return error_set("standard input: %s", strerror(errno));
		}
		rc = import_read_stream(f, path, NULL, analyse_one, ctx, &n);
		fclose(f);
		sb_done(&sb);
		return rc;
	}
	post_init(&p);
	rc = report_to_post(path, sb.s, sb.len, title, tags, format, &p);
	sb_done(&sb);
	if (rc != DL_OK) {
		post_done(&p);
		return DL_ERR;
	}
	/*
	 * Nothing to analyse (an empty clipboard piped in): a verdict on
	 * it would look like one on a real report that lacks everything.
	 * A --title alone is still something to go on.
	 */
	post_sanitize(&p);
	if (p.body[strspn(p.body, " \t\n")] == '\0' &&
	    p.title[strspn(p.title, " \t\n")] == '\0') {
		post_done(&p);
		return error_set("%s: the report is empty",
				 in ? "standard input" : path);
	}
	/* titled as `import --report` would title it (the analysis does
	 * not count a title made from the text's own first line) */
	if (p.title[0] == '\0') {
		free(p.title);
		p.title = report_default_title(&p);
	}
	rc = analyse_one(&p, ctx);
	post_done(&p);
	return rc;
}

/* marks[c]: 1 set present, 0 set missing, -1 leave */
static int
apply_correction(struct store *st, const char *id, const char *set_type,
		 const signed char marks[CAT__COUNT], int clear)
{
	if (clear && store_corrections_clear(st, id) != DL_OK)
		return DL_ERR;
	if (set_type != NULL &&
	    store_corrections_set_type(st, id, set_type) != DL_OK)
		return DL_ERR;
	for (int c = 0; c < CAT__COUNT; c++)
		if (marks[c] >= 0 &&
		    store_corrections_set_cat(st, id, c, marks[c]) != DL_OK)
			return DL_ERR;
	return DL_OK;
}

/*
 * Every post's corrections, or none: one transaction, so a bad id among
 * several leaves the others uncorrected too.
 */
static int
apply_corrections(struct store *st, const struct strvec *ids,
		  const char *set_type, const signed char marks[CAT__COUNT],
		  int clear)
{
	if (store_begin(st) != DL_OK)
		return DL_ERR;
	for (size_t i = 0; i < ids->n; i++)
		if (apply_correction(st, ids->v[i], set_type, marks,
				     clear) != DL_OK) {
			store_rollback(st);
			return DL_ERR;
		}
	return store_commit(st);
}

int
cmd_analyze(struct cli *cli, int argc, char **argv)
{
	const struct cli_command *cmd = cli_find("analyze");
	const char *file = NULL, *title = NULL, *tags = NULL, *format = NULL;
	const char *set_type = NULL;
	struct strvec set_present, set_missing;
	signed char marks[CAT__COUNT];
	int json = 0, all = 0, all_rules = 0, clear = 0;
	const struct cli_opt opts[] = {
		{ "json", 0, &json, NULL, NULL },
		{ "all", 0, &all, NULL, NULL },
		{ "all-rules", 0, &all_rules, NULL, NULL },
		{ "file", 1, NULL, &file, NULL },
		{ "title", 1, NULL, &title, NULL },
		{ "tags", 1, NULL, &tags, NULL },
		{ "format", 1, NULL, &format, NULL },
		{ "set-type", 1, NULL, &set_type, NULL },
		{ "set-present", 1, NULL, NULL, &set_present },
		{ "set-missing", 1, NULL, NULL, &set_missing },
		{ "clear-corrections", 0, &clear, NULL, NULL },
		{ NULL, 0, NULL, NULL, NULL },
	};
	struct strvec ids;
	struct analyze_ctx ctx = { NULL, 0, 0, 0 };
	struct dl_data *d;
	struct engine *e = NULL;
	struct store *st;
	int correcting, rc = EXIT_USAGE;

	sv_init(&ids);
	sv_init(&set_present);
	sv_init(&set_missing);
	memset(marks, -1, sizeof marks);
	if (cli_parse(cmd, argc, argv, opts, &ids) != 0)
		goto out;
	correcting = set_type || set_present.n || set_missing.n || clear;
	if (file != NULL && (ids.n > 0 || all || correcting)) {
		cli_usage(cmd, "--file cannot be combined with ids, --all or "
			       "corrections");
		goto out;
	}
	if (file == NULL && (title || tags || format)) {
		cli_usage(cmd, "--title, --tags and --format go with --file");
		goto out;
	}
	if (file == NULL && ids.n == 0 && !all) {
		cli_usage(cmd, "analyze needs ID..., --all or --file FILE");
		goto out;
	}
	if (all && ids.n > 0) {
		cli_usage(cmd, "give ids or --all, not both");
		goto out;
	}
	if (correcting && ids.n == 0) {
		cli_usage(cmd, "corrections need the post ID");
		goto out;
	}
	if (set_type != NULL && data_type_from_id(set_type) < 0) {
		cli_usage(cmd, "--set-type: '%s' is not a bug type (model, "
			       "tensor, training, gpu, api, mixed)", set_type);
		goto out;
	}
	if (cli_parse_cats(&set_present, marks, 1) != DL_OK ||
	    cli_parse_cats(&set_missing, marks, 0) != DL_OK) {
		cli_usage(cmd, "%s", error_msg());
		goto out;
	}
	if (format != NULL) {
		enum post_format f;

		if (post_format_from_name(format, &f) != DL_OK) {
			cli_usage(cmd, "--format: %s", error_msg());
			goto out;
		}
	}
	for (size_t i = 0; i < ids.n; i++) {
		char *id = cli_post_id(ids.v[i]);

		if (id == NULL) {
			cli_usage(cmd, "%s", error_msg());
			goto out;
		}
		free(ids.v[i]);
		ids.v[i] = id;
	}
	sv_uniq(&ids);
	rc = EXIT_FAIL;
	if ((d = cli_data(cli)) == NULL)
		goto out;
	if ((e = engine_new(d, NULL)) == NULL) {
		cli_fail_error();
		goto out;
	}
	ctx.e = e;
	ctx.json = json;
	ctx.show_all = all_rules;
	if (file != NULL) {
		int r = analyse_file(&ctx, file, title, tags, format);

		if (r != DL_OK) {
			cli_fail("analyze %s", error_msg());
			goto out;
		}
		rc = EXIT_OK;
		goto out;
	}
	if ((st = cli_store(cli)) == NULL)
		goto out;
	if (all && store_post_list_ids(st, &ids) != DL_OK) {
		cli_fail_error();
		goto out;
	}
	if (correcting && apply_corrections(st, &ids, set_type, marks,
					    clear) != DL_OK) {
		cli_fail("analyze %s", error_msg());
		goto out;
	}
	for (size_t i = 0; i < ids.n; i++) {
		struct analysis a;

		if (analysis_of_post(e, st, ids.v[i], all_rules, &a) !=
		    DL_OK) {
			analysis_done(&a);
			cli_fail("analyze %s", error_msg());
			goto out;
		}
		emit(&ctx, &a);
		analysis_done(&a);
	}
	rc = EXIT_OK;
out:
	engine_free(e);
	sv_done(&ids);
	sv_done(&set_present);
	sv_done(&set_missing);
	return rc;
}
