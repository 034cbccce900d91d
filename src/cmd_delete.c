/*
 * cmd_delete.c - `dlrepro delete [--force] ID...`: all ids of one call are
 * one transaction; a post with reproduction sessions needs --force.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "dlrepro/cli.h"
#include "dlrepro/util.h"

int
cmd_delete(struct cli *cli, int argc, char **argv)
{
	const struct cli_command *cmd = cli_find("delete");
	int force = 0;
	const struct cli_opt opts[] = {
		{ "force", 0, &force, NULL, NULL },
		{ NULL, 0, NULL, NULL, NULL },
	};
	struct strvec ids;
	struct store *st;
	int rc = EXIT_FAIL;

	sv_init(&ids);
	if (cli_parse(cmd, argc, argv, opts, &ids) != 0) {
		sv_done(&ids);
		return EXIT_USAGE;
	}
	if (ids.n == 0) {
		sv_done(&ids);
		return cli_usage(cmd, "delete needs at least one ID");
	}
	for (size_t i = 0; i < ids.n; i++) {
		char *id = cli_post_id(ids.v[i]);

		if (id == NULL) {
			rc = cli_usage(cmd, "%s", error_msg());
			goto out;
		}
		free(ids.v[i]);
		ids.v[i] = id;
	}
	/* 123, so:123 and its link are one post, deleted once */
	sv_uniq(&ids);
	if ((st = cli_store(cli)) == NULL)
		goto out;
	if (store_begin(st) != DL_OK) {
		cli_fail_error();
		goto out;
	}
	for (size_t i = 0; i < ids.n; i++) {
		int r = store_post_delete(st, ids.v[i], force);

		if (r == DL_NOTFOUND)
			error_set("%s: no such post in the database", ids.v[i]);
		if (r != DL_OK) {
			store_rollback(st);
			cli_fail("delete %s", error_msg());
			goto out;
		}
	}
	if (store_commit(st) != DL_OK) {
		cli_fail_error();
		goto out;
	}
	fprintf(stderr, "dlrepro: deleted %zu post%s\n", ids.n,
		ids.n == 1 ? "" : "s");
	rc = EXIT_OK;
out:
	sv_done(&ids);
	return rc;
}
