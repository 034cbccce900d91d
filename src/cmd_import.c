/*
 * cmd_import.c - `dlrepro import FILE...`: every file of one call is one
 * transaction, so a malformed file leaves the database as it was.
 */
#include "config.h"

#include <stdio.h>

#include "dlrepro/analysis.h"
#include "dlrepro/cli.h"
#include "dlrepro/config.h"
#include "dlrepro/import.h"
#include "dlrepro/util.h"

static int
put_post(struct post *p, void *arg)
{
	return store_post_put(arg, p);
}

int
cmd_import(struct cli *cli, int argc, char **argv)
{
	const struct cli_command *cmd = cli_find("import");
	const char *site = NULL;
	int quiet = 0, no_analyze = 0;
	const struct cli_opt opts[] = {
		{ "site", 1, NULL, &site, NULL },
		{ "quiet", 0, &quiet, NULL, NULL },
		{ "no-analyze", 0, &no_analyze, NULL, NULL },
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
