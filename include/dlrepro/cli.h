/*
 * cli.h - the subcommand table and what every command is handed: the
 * resolved database path, lazily opened store and data, and the global
 * options.  Commands are one file each, src/cmd_NAME.c.
 */
#ifndef DLREPRO_CLI_H
#define DLREPRO_CLI_H

#include "dlrepro/data.h"
#include "dlrepro/store.h"

#define EXIT_OK 0
#define EXIT_FAIL 1
#define EXIT_USAGE 2

struct cli {
	char *db_path;		/* resolved: --db, $DLREPRO_DB, XDG */
	int demo;		/* --demo: temporary database with demo posts */
	struct store *store;	/* opened on first cli_store() */
	struct dl_data *data;	/* loaded on first cli_data() */
	const char *prog;	/* "dlrepro" */
};

struct cli_command {
	const char *name;
	int (*run)(struct cli *cli, int argc, char **argv);
	const char *usage;	/* "fetch [--refresh] ID|URL..." */
	const char *summary;	/* one line for --help */
};

extern const struct cli_command cli_commands[];
extern const size_t cli_ncommands;

const struct cli_command *cli_find(const char *name);

/*
 * A post id as users type it: what post_id_normalize() takes, or a Stack
 * Exchange question or GitHub issue link (as fetch reads them).  A new
 * canonical id, or NULL with the error set.
 */
char *cli_post_id(const char *arg);

/* Open the store / load data on first use; NULL with the error printed. */
struct store *cli_store(struct cli *cli);
struct dl_data *cli_data(struct cli *cli);
void cli_done(struct cli *cli);

/*
 * Category lists ("data,code", repeatable) into info[c] = val for each
 * category named; DL_ERR (message set) for an unknown name or one that
 * info already holds with the other value.
 */
int cli_parse_cats(const struct strvec *lists, signed char info[CAT__COUNT],
		   signed char val);

/*
 * Analyse stored posts that have no current analysis (after an import or
 * a fetch).  Reports a failure on stderr and returns DL_ERR.
 */
int cli_analyze_stale(struct cli *cli, struct store *st, int quiet);

/* One-line error on stderr: "dlrepro: <message>". Returns EXIT_FAIL. */
int cli_fail(const char *fmt, ...) DL_PRINTF(1, 2);
/* Usage error: "dlrepro: <message>" and a hint; returns EXIT_USAGE. */
int cli_usage(const struct cli_command *cmd, const char *fmt, ...)
	DL_PRINTF(2, 3);
/* Report error_msg() as one line; returns EXIT_FAIL. */
int cli_fail_error(void);

/*
 * Tiny option scanner shared by commands: long options only.
 * Returns the index of the first non-option argument, or -1 after a usage
 * error has been printed.  spec lists options; has_arg marks those that take
 * a value ("--out FILE" or "--out=FILE").
 */
struct cli_opt {
	const char *name;	/* "json" for --json */
	int has_arg;
	int *flag;		/* set to 1 when seen (no arg) */
	const char **value;	/* set to the value (has_arg) */
	struct strvec *multi;	/* repeated values are pushed here */
};

int cli_parse(const struct cli_command *cmd, int argc, char **argv,
	      const struct cli_opt *opts, struct strvec *positional);

/*
 * cli_parse() for commands that take options only: a positional argument
 * is a usage error.  Returns 0, or EXIT_USAGE after printing the error.
 */
int cli_parse_noargs(const struct cli_command *cmd, int argc, char **argv,
		     const struct cli_opt *opts);

/* Commands (one file each). */
int cmd_import(struct cli *cli, int argc, char **argv);
int cmd_list(struct cli *cli, int argc, char **argv);
int cmd_delete(struct cli *cli, int argc, char **argv);
int cmd_session(struct cli *cli, int argc, char **argv);
int cmd_history(struct cli *cli, int argc, char **argv);
int cmd_stats(struct cli *cli, int argc, char **argv);
int cmd_export(struct cli *cli, int argc, char **argv);
int cmd_import_sessions(struct cli *cli, int argc, char **argv);
int cmd_analyze(struct cli *cli, int argc, char **argv);
int cmd_show(struct cli *cli, int argc, char **argv);
int cmd_fetch(struct cli *cli, int argc, char **argv);
int cmd_config(struct cli *cli, int argc, char **argv);

#endif
