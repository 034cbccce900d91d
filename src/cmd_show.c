/*
 * cmd_show.c - `dlrepro show ID`: a stored post as readable text (the body
 * through the same HTML/Markdown path the analysis uses, made safe for the
 * terminal), and the accepted answer only when asked for with --answer.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dlrepro/cli.h"
#include "dlrepro/store_api.h"
#include "dlrepro/text.h"
#include "dlrepro/util.h"

/* Print text line by line, each line made terminal-safe. */
static void
print_text(const char *text, const char *indent)
{
	const char *p = text;

	while (*p != '\0') {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		char *line = xstrndup(p, n), *safe;

		for (char *c = line; *c != '\0'; c++)
			if (*c == '\t')
				*c = ' ';
		safe = term_safe(line);
		printf("%s%s\n", indent, safe);
		free(safe);
		free(line);
		p += n + (nl ? 1 : 0);
	}
}

static int
show_body(const char *body, enum post_format format, const char *indent)
{
	struct post p;
	struct text_doc doc;
	int rc;

	post_init(&p);
	free(p.body);
	p.body = xstrdup(body);
	p.format = format;
	text_doc_init(&doc);
	rc = text_from_post(&p, &doc);
	if (rc == DL_OK)
		print_text(doc.text, indent);
	text_doc_done(&doc);
	post_done(&p);
	return rc;
}

int
cmd_show(struct cli *cli, int argc, char **argv)
{
	const struct cli_command *cmd = cli_find("show");
	int answer = 0;
	const struct cli_opt opts[] = {
		{ "answer", 0, &answer, NULL, NULL },
		{ NULL, 0, NULL, NULL, NULL },
	};
	struct strvec args;
	struct store *st;
	struct post p;
	char *id = NULL, *title, *body = NULL;
	int rc = EXIT_USAGE, r;

	sv_init(&args);
	if (cli_parse(cmd, argc, argv, opts, &args) != 0)
		goto out;
	if (args.n != 1) {
		cli_usage(cmd, "show needs exactly one ID");
		goto out;
	}
	if ((id = cli_post_id(args.v[0])) == NULL) {
		cli_usage(cmd, "%s", error_msg());
		goto out;
	}
	rc = EXIT_FAIL;
	if ((st = cli_store(cli)) == NULL)
		goto out;
	r = store_post_get(st, id, &p);
	if (r == DL_NOTFOUND) {
		cli_fail("show %s: no such post in the database", id);
		goto out;
	}
	if (r != DL_OK) {
		cli_fail_error();
		goto out;
	}
	{
		/* the id too: an older version stored --site unchecked */
		char *safe_id = term_safe(p.id);

		title = term_safe(p.title);
		printf("%s  %s\n", safe_id, title);
		free(title);
		free(safe_id);
	}
	if (p.link != NULL) {
		char *link = term_safe(p.link);

		printf("%s\n", link);
		free(link);
	}
	if (p.tags.n > 0) {
		fputs("tags:", stdout);
		for (size_t i = 0; i < p.tags.n; i++) {
			char *t = term_safe(p.tags.v[i]);

			printf(" %s", t);
			free(t);
		}
		fputc('\n', stdout);
	}
	printf("score %lld", (long long)p.score);
	if (p.created_at > 0) {
		char day[40];

		format_iso8601((double)p.created_at, day, sizeof day);
		printf(", asked %.10s", day);
	}
	fputs("\n\n", stdout);
	if (show_body(p.body, p.format, "") != DL_OK) {
		post_done(&p);
		cli_fail("show %s: %s", id, error_msg());
		goto out;
	}
	if (answer) {
		r = store_answer_get_accepted(st, id, &body);
		if (r == DL_NOTFOUND) {
			post_done(&p);
			cli_fail("show %s: no accepted answer stored (fetch it "
				 "with: dlrepro fetch --with-answers --refresh "
				 "%s)", id, id);
			goto out;
		}
		if (r != DL_OK) {
			post_done(&p);
			cli_fail_error();
			goto out;
		}
		fputs("\n--- accepted answer ---\n\n", stdout);
		show_body(body, POST_HTML, "");
	}
	post_done(&p);
	rc = EXIT_OK;
out:
	free(body);
	free(id);
	sv_done(&args);
	return rc;
}
