/*
 * cmd_import.c - `dlrepro import FILE...`: posts from JSON files, or with
 * --report pasted bug reports stored as manual:N.  Every file of one call
 * is one transaction, so a malformed file leaves the database as it was.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dlrepro/analysis.h"
#include "dlrepro/cli.h"
#include "dlrepro/config.h"
#include "dlrepro/import.h"
#include "dlrepro/report.h"
#include "dlrepro/store.h"
#include "dlrepro/util.h"

static int
put_post(struct post *p, void *arg)
{
	return store_post_put(arg, p);
}

/*
 * One pasted report, read before, into the store; its id (new or the one
 * it was stored under before) and what was done are kept for after the
 * commit.
 */
static int
put_report(struct store *st, const char *path, const struct strbuf *text,
	   const char *title, const char *tags, const char *format,
	   struct strvec *ids, struct strvec *said)
{
	const char *name = strcmp(path, "-") == 0 ? "standard input" : path;
	char *id = NULL, *line;
	int existing = 0;

	if (report_store(st, path, text->s, text->len, title, tags, format,
			 &id, &existing) != DL_OK)
		return DL_ERR;
	sv_push(ids, id);
	line = xasprintf(existing ? "%s: the same report is %s (updated)" :
			 "%s: stored as %s", name, id);
	sv_push(said, line);
	free(line);
	free(id);
	return DL_OK;
}

/*
 * All reports of one call in one transaction; the ids are printed once
 * it is committed, so that a refused file leaves no id on stdout.  Every
 * file is read before the transaction begins: standard input may be a
 * user pasting into the terminal, and the write lock held meanwhile would
 * fail a dashboard's heartbeats and every other write after 5 seconds.
 */
static int
import_reports(struct cli *cli, const struct strvec *files,
	       const char *title, const char *tags, const char *format,
	       int quiet, int no_analyze)
{
	struct strvec ids, said;
	struct strbuf *texts = xcalloc(files->n, sizeof *texts);
	struct store *st;
	int rc = EXIT_FAIL;

	sv_init(&ids);
	sv_init(&said);
	for (size_t i = 0; i < files->n; i++) {
		sb_init(&texts[i]);
		if (report_read_all(files->v[i], &texts[i]) != DL_OK) {
			rc = cli_fail("import %s", error_msg());
			goto out;
		}
	}
	if ((st = cli_store(cli)) == NULL)
		goto out;
	if (store_begin(st) != DL_OK) {
		rc = cli_fail_error();
		goto out;
	}
	for (size_t i = 0; i < files->n; i++)
		if (put_report(st, files->v[i], &texts[i], title, tags, format,
			       &ids, &said) != DL_OK) {
			store_rollback(st);
			rc = cli_fail("import %s", error_msg());
			goto out;
		}
	if (store_commit(st) != DL_OK) {
		rc = cli_fail_error();
		goto out;
	}
	for (size_t i = 0; i < ids.n; i++) {
		printf("%s\n", ids.v[i]);
		if (!quiet) {
			/* a file name may hold anything */
			char *safe = term_safe(said.v[i]);

			fprintf(stderr, "dlrepro: %s\n", safe);
			free(safe);
		}
	}
	fflush(stdout);
	rc = EXIT_OK;
	if (!no_analyze && cli_analyze_stale(cli, st, quiet) != DL_OK)
		rc = EXIT_FAIL;
out:
	/* xcalloc'ed: a text never reached is all zeros, which sb_done takes */
	for (size_t i = 0; i < files->n; i++)
		sb_done(&texts[i]);
	free(texts);
	sv_done(&ids);
	sv_done(&said);
	return rc;
}

int
cmd_import(struct cli *cli, int argc, char **argv)
{
	const struct cli_command *cmd = cli_find("import");
	const char *site = NULL, *title = NULL, *tags = NULL, *format = NULL;
	int quiet = 0, no_analyze = 0, report = 0;
	const struct cli_opt opts[] = {
		{ "site", 1, NULL, &site, NULL },
		{ "quiet", 0, &quiet, NULL, NULL },
		{ "no-analyze", 0, &no_analyze, NULL, NULL },
		{ "report", 0, &report, NULL, NULL },
		{ "title", 1, NULL, &title, NULL },
		{ "tags", 1, NULL, &tags, NULL },
		{ "format", 1, NULL, &format, NULL },
		{ NULL, 0, NULL, NULL, NULL },
	};
	struct strvec files;
	struct store *st;
	size_t total = 0;
	int rc = EXIT_FAIL;

	sv_init(&files);
	if (cli_parse(cmd, argc, argv, opts, &files) != 0) {
		sv_done(&files);
		return EXIT_USAGE;
	}
	if (files.n == 0) {
		sv_done(&files);
		return cli_usage(cmd, "import needs at least one FILE");
	}
	if (!report && (title || tags || format)) {
		sv_done(&files);
		return cli_usage(cmd, "--%s is for a report (add --report)",
				 title ? "title" : tags ? "tags" : "format");
	}
	if (report) {
		const char *why = NULL;
		enum post_format f;
		size_t stdin_n = 0;

		for (size_t i = 0; i < files.n; i++)
			stdin_n += strcmp(files.v[i], "-") == 0;
		if (site != NULL)
			why = "--site is for Stack Exchange JSON, not a report";
		else if (title != NULL && files.n > 1)
			why = "--title names one report (give one FILE)";
		else if (stdin_n > 1)
			why = "standard input (-) can be read only once";
		else if (format != NULL &&
			 post_format_from_name(format, &f) != DL_OK)
			why = error_msg();
		if (why != NULL) {
			rc = cli_usage(cmd, "%s", why);
			sv_done(&files);
			return rc;
		}
		rc = import_reports(cli, &files, title, tags, format, quiet,
				    no_analyze);
		sv_done(&files);
		return rc;
	}
	if (site != NULL) {
		/* checked as fetch --site is: it becomes part of every id */
		struct config cfg;
		int bad;

		config_init(&cfg);
		bad = config_set_option(&cfg, CONFIG_SITE, site) != DL_OK;
		config_done(&cfg);
		if (bad) {
			sv_done(&files);
			return cli_usage(cmd, "--site: %s", error_msg());
		}
	}
	if ((st = cli_store(cli)) == NULL)
		goto out;
	if (store_begin(st) != DL_OK) {
		cli_fail_error();
		goto out;
	}
	for (size_t i = 0; i < files.n; i++) {
		size_t n = 0;

		if (import_read(files.v[i], site, put_post, st, &n) != DL_OK) {
			store_rollback(st);
			cli_fail("import %s", error_msg());
			goto out;
		}
		total += n;
	}
	if (store_commit(st) != DL_OK) {
		cli_fail_error();
		goto out;
	}
	if (!quiet)
		fprintf(stderr, "dlrepro: imported %zu post%s from %zu file%s\n",
			total, total == 1 ? "" : "s", files.n,
			files.n == 1 ? "" : "s");
	rc = EXIT_OK;
	/*
	 * The posts are in: analysing them is a convenience, so a failure
	 * here is reported but does not undo the import.
	 */
	if (!no_analyze && cli_analyze_stale(cli, st, quiet) != DL_OK)
		rc = EXIT_FAIL;
out:
	sv_done(&files);
	return rc;
}
