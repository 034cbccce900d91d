/*
 * cli.c - the subcommand table, the shared option scanner, and the lazy
 * opening of the store and the data files that commands share.  Commands
 * themselves live one per file in src/cmd_*.c.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dlrepro/analysis.h"
#include "dlrepro/cli.h"
#include "dlrepro/fetch.h"
#include "dlrepro/post.h"
#include "dlrepro/util.h"

/* One line per subcommand; --help prints them in this order. */
const struct cli_command cli_commands[] = {
	{ "import", cmd_import, "import [--site SITE] [--quiet] [--no-analyze] "
				"FILE... | --report [--title T] [--tags A,B] "
				"[--format markdown|text|html] [--quiet] "
				"[--no-analyze] FILE...",
	  "store posts from API JSON / JSON Lines, or bug reports" },
	{ "list", cmd_list, "list [--json] [--limit N] [--type T] "
			    "[--missing CAT] [--triage STATE] [--search QUERY] "
			    "[--sort id|score|created|title] [--desc]",
	  "list stored posts" },
	{ "delete", cmd_delete, "delete [--force] ID...",
	  "remove stored posts" },
	{ "show", cmd_show, "show [--answer] ID",
	  "print a stored post as text (and its accepted answer)" },
	{ "analyze", cmd_analyze,
	  "analyze [--json] [--all-rules] ID...|--all | [--json] [--all-rules] "
	  "--file FILE [--title T] [--tags A,B] [--format markdown|text|html] | "
	  "[--set-type T] [--set-present CAT,...] [--set-missing CAT,...] "
	  "[--clear-corrections] ID...",
	  "bug type, missing information and recommendations for posts" },
	{ "fetch", cmd_fetch, "fetch [--refresh] [--with-answers] "
			      "[--max-age DUR] [--site SITE] [--api-base URL] "
			      "[--github-api URL] [--json] "
			      "[ID|URL...] [--github OWNER/REPO#N]... "
			      "| --search [--tagged FW]... [--from DAY] "
			      "[--to DAY] [--max N]",
	  "fetch questions and issues from Stack Exchange and GitHub" },
	{ "config", cmd_config, "config [--json] [--site SITE] [--max-age DUR] "
				"[--api-base URL] [--github-api URL]",
	  "show the effective settings and where each comes from" },
	{ "session", cmd_session, "session start POST [--type T] "
	  "[--present CATS] [--missing CATS] | tick ACTION | untick ACTION "
	  "| undo | pause | resume | stop --outcome O [--reason R] "
	  "[--notes TEXT] [--architecture A] [--framework F] [--effort E] "
	  "[--modification M] [--present CATS] [--missing CATS] "
	  "| adjust [--session ID] [--interval N] (--end TIME|--minus DUR) "
	  "| info [--session ID] [--type T] [--present CATS] [--missing CATS] "
	  "| recover [--keep|--cut] | status [--json] [--session ID]",
	  "time a reproduction session: ticks, pauses, outcome" },
	{ "history", cmd_history, "history [--json] [--type T] [--outcome O] "
	  "[--since DATE]",
	  "list reproduction sessions" },
	{ "stats", cmd_stats, "stats [--json]",
	  "your rates, times and edit actions beside the paper's" },
	{ "export", cmd_export, "export --format csv|jsonl [--out FILE] | "
	  "--format replication --out DIR",
	  "write sessions as CSV, JSON Lines or the replication package" },
	{ "import-sessions", cmd_import_sessions, "import-sessions FILE...",
	  "merge sessions exported as JSON Lines on another machine" },
};
const size_t cli_ncommands = ARRAY_SIZE(cli_commands);

const struct cli_command *
cli_find(const char *name)
{
	for (size_t i = 0; i < cli_ncommands; i++)
		if (strcmp(cli_commands[i].name, name) == 0)
			return &cli_commands[i];
	return NULL;
}

/*
 * An error line: messages quote inputs and servers (a post id from a
 * file, a Stack Exchange error_message), so the line goes through the
 * terminal sanitiser, which also keeps it one line.
 */
static void
put_error(const char *fmt, va_list ap)
{
	char *msg, *safe;

	if (vasprintf(&msg, fmt, ap) < 0)
		fatal("out of memory");
	safe = term_safe(msg);
	fprintf(stderr, "dlrepro: %s", safe);
	free(safe);
	free(msg);
}

int
cli_fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	put_error(fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return EXIT_FAIL;
}

int
cli_fail_error(void)
{
	return cli_fail("%s", error_msg());
}

int
cli_usage(const struct cli_command *cmd, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	put_error(fmt, ap);
	va_end(ap);
	if (cmd != NULL)
		fprintf(stderr, " (usage: dlrepro %s)\n", cmd->usage);
	else
		fputs(" (see dlrepro --help)\n", stderr);
	return EXIT_USAGE;
}

char *
cli_post_id(const char *arg)
{
	struct fetch_target t;
	char *id;

	if (strncasecmp(arg, "https://", 8) != 0 &&
	    strncasecmp(arg, "http://", 7) != 0)
		return post_id_normalize(arg);
	/* a question or issue link, as fetch reads it */
	if (fetch_target_parse(arg, NULL, &t) != DL_OK)
		return NULL;
	id = xstrdup(t.id);
	fetch_target_done(&t);
	return id;
}

struct store *
cli_store(struct cli *cli)
{
	if (cli->store != NULL)
		return cli->store;
	if (cli->db_path == NULL) {
		cli->db_path = store_default_path();
		if (cli->db_path == NULL) {
			cli_fail_error();
			return NULL;
		}
	}
	cli->store = store_open(cli->db_path);
	if (cli->store == NULL)
		cli_fail_error();
	return cli->store;
}

struct dl_data *
cli_data(struct cli *cli)
{
	if (cli->data == NULL) {
		cli->data = data_load(NULL);
		if (cli->data == NULL)
			cli_fail_error();
	}
	return cli->data;
}

int
cli_parse_cats(const struct strvec *lists, signed char info[CAT__COUNT],
	       signed char val)
{
	for (size_t i = 0; i < lists->n; i++) {
		char *copy = xstrdup(lists->v[i]), *tok, *save = NULL;

		for (tok = strtok_r(copy, ", ", &save); tok;
		     tok = strtok_r(NULL, ", ", &save)) {
			int c = data_cat_from_id(tok);

			if (c < 0) {
				error_set("%s: unknown information category "
					  "(data, model, hyperparameters, "
					  "code, logs)", tok);
				free(copy);
				return DL_ERR;
			}
			if (info[c] >= 0 && info[c] != val) {
				error_set("%s: both present and missing", tok);
				free(copy);
				return DL_ERR;
			}
			info[c] = val;
		}
		free(copy);
	}
	return DL_OK;
}

int
cli_analyze_stale(struct cli *cli, struct store *st, int quiet)
{
	struct dl_data *d = cli_data(cli);
	struct engine *e;
	size_t n = 0;
	int rc;

	if (d == NULL)
		return DL_ERR;
	if ((e = engine_new(d, NULL)) == NULL) {
		cli_fail("analysis: %s", error_msg());
		return DL_ERR;
	}
	rc = analysis_refresh(e, st, 0, &n);
	engine_free(e);
	if (rc != DL_OK) {
		cli_fail("analysis: %s", error_msg());
		return DL_ERR;
	}
	if (!quiet && n > 0)
		fprintf(stderr, "dlrepro: analysed %zu post%s\n", n,
			n == 1 ? "" : "s");
	return DL_OK;
}

void
cli_done(struct cli *cli)
{
	store_close(cli->store);
	cli->store = NULL;
	data_free(cli->data);
	cli->data = NULL;
	free(cli->db_path);
	cli->db_path = NULL;
}

static const struct cli_opt *
find_opt(const struct cli_opt *opts, const char *name, size_t len)
{
	for (; opts != NULL && opts->name != NULL; opts++)
		if (strlen(opts->name) == len &&
		    strncmp(opts->name, name, len) == 0)
			return opts;
	return NULL;
}

int
cli_parse(const struct cli_command *cmd, int argc, char **argv,
	  const struct cli_opt *opts, struct strvec *positional)
{
	int only_args = 0;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const struct cli_opt *o;
		const char *eq, *val = NULL;
		size_t len;

		if (only_args || a[0] != '-' || strcmp(a, "-") == 0) {
			sv_push(positional, a);
			continue;
		}
		if (strcmp(a, "--") == 0) {
			only_args = 1;
			continue;
		}
		if (a[1] != '-') {
			cli_usage(cmd, "unknown option '%s'", a);
			return -1;
		}
		eq = strchr(a + 2, '=');
		len = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
		o = find_opt(opts, a + 2, len);
		if (o == NULL) {
			cli_usage(cmd, "unknown option '%.*s'", (int)len + 2,
				  a);
			return -1;
		}
		if (!o->has_arg) {
			if (eq != NULL) {
				cli_usage(cmd, "option '--%s' takes no value",
					  o->name);
				return -1;
			}
			if (o->flag != NULL)
				*o->flag = 1;
			continue;
		}
		if (eq != NULL)
			val = eq + 1;
		else if (i + 1 < argc)
			val = argv[++i];
		else {
			cli_usage(cmd, "option '--%s' needs a value", o->name);
			return -1;
		}
		if (o->value != NULL)
			*o->value = val;
		if (o->multi != NULL)
			sv_push(o->multi, val);
	}
	return 0;
}

int
cli_parse_noargs(const struct cli_command *cmd, int argc, char **argv,
		 const struct cli_opt *opts)
{
	struct strvec pos;
	int rc = 0;

	sv_init(&pos);
	if (cli_parse(cmd, argc, argv, opts, &pos) != 0)
		rc = EXIT_USAGE;
	else if (pos.n > 0)
		rc = cli_usage(cmd, "unexpected argument '%s'", pos.v[0]);
	sv_done(&pos);
	return rc;
}
