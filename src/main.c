/*
 * main.c - arguments and paths: picks the database (--db, $DLREPRO_DB,
 * XDG), prepares the demo database for --demo, then hands over to a
 * subcommand or to the dashboard.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "dlrepro/cli.h"
#include "dlrepro/http.h"
#include "dlrepro/import.h"
#include "dlrepro/ui.h"
#include "dlrepro/util.h"

static void
usage(FILE *f)
{
	fputs("usage: dlrepro [--db PATH] [--demo] [COMMAND [ARGS...]]\n"
	      "\n"
	      "Without a command, opens the dashboard.\n"
	      "\n"
	      "Options:\n"
	      "  --db PATH    database file (default $DLREPRO_DB, else\n"
	      "               $XDG_DATA_HOME/dlrepro/dlrepro.db)\n"
	      "  --demo       use a temporary database holding the demo posts\n"
	      "  --help       show this help\n"
	      "  --version    show the version\n"
	      "\n"
	      "Commands:\n", f);
	for (size_t i = 0; i < cli_ncommands; i++)
		fprintf(f, "  %-16s %s\n", cli_commands[i].name,
			cli_commands[i].summary);
	fputs("\nCOMMAND --help (or dlrepro help COMMAND) shows a command's "
	      "usage.\nSee dlrepro(1) for details.\n", f);
}

/* Length of the usage word at u: up to a space outside brackets or
 * parentheses, so "(--end TIME|--minus DUR)" stays on one line. */
static size_t
usage_word(const char *u)
{
	size_t n = 0;
	int depth = 0;

	for (; u[n] != '\0' && (u[n] != ' ' || depth > 0); n++)
		depth += u[n] == '[' || u[n] == '(' ? 1 :
			 u[n] == ']' || u[n] == ')' ? -1 : 0;
	return n;
}

/*
 * "dlrepro CMD --help": the command's usage on stdout, one line per
 * alternative (" | " outside brackets), each wrapped at 78 columns
 * between bracketed groups, then its summary.
 */
static void
command_help(const struct cli_command *cmd)
{
	const char *u = cmd->usage;
	const char *lead = "usage: ";
	size_t col = 0, indent = strlen("usage: dlrepro ") + strlen(cmd->name);
	int start = 1;

	while (*u != '\0') {
		size_t n = usage_word(u);

		/* a group too long for any line breaks at its spaces */
		if (indent + 1 + n > 78)
			n = strcspn(u, " ");

		if (start) {
			/* the usage names the command first; later
			 * alternatives are given it here */
			col = (size_t)printf("%sdlrepro", lead);
			if (lead[0] == ' ')
				col += (size_t)printf(" %s", cmd->name);
			lead = "       ";
			start = 0;
		}
		if (n == 1 && u[0] == '|') {
			putchar('\n');
			start = 1;
		} else {
			if (col + 1 + n > 78 && col > indent) {
				/* the next word lines up with the first
				 * argument, one past the command */
				printf("\n%*s", (int)indent, "");
				col = indent;
			}
			putchar(' ');
			fwrite(u, 1, n, stdout);
			col += 1 + n;
		}
		u += n;
		while (*u == ' ')
			u++;
	}
	printf("\n\n%s.\n\nSee dlrepro(1) for details.\n", cmd->summary);
}

/* Is --help or -h among a command's arguments (before "--")? */
static int
wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strcmp(argv[i], "--help") == 0 ||
		    strcmp(argv[i], "-h") == 0)
			return 1;
	}
	return 0;
}

/*
 * Temporary demo database; removed at exit.  Its folder holds a "lock"
 * file locked (flock) while the demo runs, so that a demo killed before
 * it could clean up (SIGKILL, a crash) is swept by the next one: a folder
 * whose lock can be taken belongs to no live demo.  Paths are built
 * whole (TMPDIR may be long) and a swept folder is emptied through its
 * descriptor, so no cut path or swapped link points the removal
 * elsewhere.
 */
static char *demo_dir;
static int demo_lock = -1;

/* "lock.new": a demo killed before it renamed its lock leaves it */
static const char *const demo_files[] = {
	"demo.db", "demo.db-wal", "demo.db-shm", "demo.db-journal", "lock",
	"lock.new",
};

/* Remove a demo's files from its folder, open as dfd. */
static void
demo_empty(int dfd)
{
	for (size_t i = 0; i < ARRAY_SIZE(demo_files); i++)
		unlinkat(dfd, demo_files[i], 0);
}

static void
demo_cleanup(void)
{
	int dfd;

	if (demo_dir == NULL)
		return;
	dfd = open(demo_dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dfd >= 0) {
		demo_empty(dfd);
		close(dfd);
	}
	rmdir(demo_dir);
	free(demo_dir);
	demo_dir = NULL;
	if (demo_lock >= 0)
		close(demo_lock);
}

/* Remove the folders of demos that died without cleaning up. */
static void
demo_sweep(const char *tmp)
{
	DIR *d = opendir(tmp);
	struct dirent *e;
	struct stat sb;

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		int dfd, fd, dead;

		if (strncmp(e->d_name, "dlrepro-demo-", 13) != 0 ||
		    strlen(e->d_name) != 19)
			continue;
		/* only our own folders, never through a link */
		dfd = openat(dirfd(d), e->d_name, O_RDONLY | O_DIRECTORY |
			     O_NOFOLLOW | O_CLOEXEC);
		if (dfd < 0)
			continue;
		if (fstat(dfd, &sb) != 0 || sb.st_uid != getuid()) {
			close(dfd);
			continue;
		}
		fd = openat(dfd, "lock", O_RDWR | O_NOFOLLOW | O_CLOEXEC);
		/* no lock: a demo starting, or one from before the lock:
		 * left a day, as no demo runs that long unnoticed */
		dead = fd >= 0 ? flock(fd, LOCK_EX | LOCK_NB) == 0 :
		       errno == ENOENT && sb.st_mtime < time(NULL) - 86400;
		if (dead) {
			demo_empty(dfd);
			unlinkat(dirfd(d), e->d_name, AT_REMOVEDIR);
		}
		if (fd >= 0)
			close(fd);
		close(dfd);
	}
	closedir(d);
}

static int
put_post(struct post *p, void *arg)
{
	return store_post_put(arg, p);
}

static int
demo_prepare(struct cli *cli)
{
	const char *tmp = tmp_dir();
	char *posts, *lock, *fresh;
	struct store *st;
	size_t n = 0;
	int rc;

	demo_sweep(tmp);
	demo_dir = xasprintf("%s/dlrepro-demo-XXXXXX", tmp);
	if (mkdtemp(demo_dir) == NULL) {
		rc = cli_fail("--demo: cannot create a temporary directory in "
			      "%s: %s", tmp, strerror(errno));
		free(demo_dir);
		demo_dir = NULL;
		return rc;
	}
	atexit(demo_cleanup);
	/* locked before it has the name a sweeping demo looks for */
	lock = xasprintf("%s/lock", demo_dir);
	fresh = xasprintf("%s/lock.new", demo_dir);
	demo_lock = open(fresh, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	rc = demo_lock < 0 || flock(demo_lock, LOCK_EX | LOCK_NB) != 0 ||
	     rename(fresh, lock) != 0 ?
	     cli_fail("--demo: %s: %s", lock, strerror(errno)) : EXIT_OK;
	free(lock);
	free(fresh);
	if (rc != EXIT_OK)
		return rc;
	free(cli->db_path);
	cli->db_path = xasprintf("%s/demo.db", demo_dir);
	if ((st = cli_store(cli)) == NULL)
		return EXIT_FAIL;
	posts = xasprintf("%s/demo/posts.json", datadir());
	store_begin(st);
	rc = import_read(posts, NULL, put_post, st, &n);
	free(posts);
	if (rc != DL_OK) {
		store_rollback(st);
		return cli_fail("--demo: %s", error_msg());
	}
	if (store_commit(st) != DL_OK)
		return cli_fail_error();
	return cli_analyze_stale(cli, st, 1) == DL_OK ? EXIT_OK : EXIT_FAIL;
}

/* Take --db PATH / --db=PATH out of argv wherever it stands. */
static int ran_dashboard;

static int
take_db(int *argc, char **argv, char **db)
{
	int out = 1;

	for (int i = 1; i < *argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			while (i < *argc)
				argv[out++] = argv[i++];
			break;
		}
		if (strcmp(argv[i], "--db") == 0) {
			if (i + 1 >= *argc) {
				fputs("dlrepro: option '--db' needs a value "
				      "(see dlrepro --help)\n", stderr);
				return -1;
			}
			free(*db);
			*db = xstrdup(argv[++i]);
			continue;
		}
		if (strncmp(argv[i], "--db=", 5) == 0) {
			free(*db);
			*db = xstrdup(argv[i] + 5);
			continue;
		}
		argv[out++] = argv[i];
	}
	*argc = out;
	argv[out] = NULL;
	return 0;
}

/*
 * A closed standard stream is taken by the next file opened: a socket
 * of a fetch, the temporary of an export, which printf() would then
 * write into.  Each gets /dev/null, opened so that using it fails
 * (EBADF) as the closed stream would have.
 */
static void
reserve_std_fds(void)
{
	static const int mode[3] = { O_WRONLY, O_RDONLY, O_RDONLY };

	for (int fd = 0; fd < 3; fd++)
		if (fcntl(fd, F_GETFD) < 0 && errno == EBADF &&
		    open("/dev/null", mode[fd]) != fd)
			_exit(EXIT_FAIL);
}

/*
 * What a command printed must have reached standard output: `export >
 * FILE` on a full disk, or a closed stdout, is a failure, not exit 0.
 * A command that failed already has said so.
 */
static int
finish_stdout(int rc)
{
	int e = fflush(stdout) != 0 ? errno : 0;

	if (!ferror(stdout) && e == 0)
		return rc;
	if (rc != EXIT_OK)
		return rc;
	/* the reader left on purpose (SIGPIPE ignored, `| head -1`) */
	if (e == EPIPE)
		return EXIT_FAIL;
	if (e != 0)
		return cli_fail("standard output: write failed: %s",
				strerror(e));
	return cli_fail("standard output: write failed");
}

static int run(int argc, char **argv);

int
main(int argc, char **argv)
{
	int rc;

	reserve_std_fds();
	rc = run(argc, argv);
	/* the dashboard's stdout is the terminal, and curses' own */
	return ran_dashboard ? rc : finish_stdout(rc);
}

static int
run(int argc, char **argv)
{
	struct cli cli = { 0 };
	const struct cli_command *cmd;
	int i, rc;

	setlocale(LC_ALL, "");
	/* UTF-8 text on a terminal that is not would carry C1 bytes */
	term_safe_ascii(isatty(STDOUT_FILENO) &&
			strcmp(nl_langinfo(CODESET), "UTF-8") != 0);
	/* libcurl's global state, once, before any thread or curses. */
	if (http_global_init() != DL_OK) {
		fprintf(stderr, "dlrepro: %s\n", error_msg());
		return EXIT_FAIL;
	}
	atexit(http_global_cleanup);
	cli.prog = "dlrepro";
	if (take_db(&argc, argv, &cli.db_path) != 0)
		return EXIT_USAGE;
	if (cli.db_path != NULL && *cli.db_path == '\0') {
		free(cli.db_path);
		fputs("dlrepro: --db: empty path\n", stderr);
		return EXIT_USAGE;
	}
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--help") == 0 ||
		    strcmp(argv[i], "-h") == 0) {
			usage(stdout);
			free(cli.db_path);
			return EXIT_OK;
		}
		if (strcmp(argv[i], "--version") == 0 ||
		    strcmp(argv[i], "-V") == 0) {
			printf("dlrepro %s\n", PACKAGE_VERSION);
			free(cli.db_path);
			return EXIT_OK;
		}
		if (strcmp(argv[i], "--demo") == 0) {
			cli.demo = 1;
			continue;
		}
		free(cli.db_path);
		return cli_usage(NULL, "unknown option '%s'", argv[i]);
	}
	if (i < argc && strcmp(argv[i], "help") == 0) {
		/* "dlrepro help [COMMAND]" */
		free(cli.db_path);
		if (i + 1 >= argc || strcmp(argv[i + 1], "--help") == 0 ||
		    strcmp(argv[i + 1], "-h") == 0 ||
		    strcmp(argv[i + 1], "help") == 0) {
			usage(stdout);
			return EXIT_OK;
		}
		if ((cmd = cli_find(argv[i + 1])) == NULL) {
			return cli_usage(NULL, "help: unknown command '%s'",
					 argv[i + 1]);
		}
		command_help(cmd);
		return EXIT_OK;
	}
	cmd = i < argc ? cli_find(argv[i]) : NULL;
	if (cmd != NULL && wants_help(argc - i, argv + i)) {
		command_help(cmd);
		free(cli.db_path);
		return EXIT_OK;
	}
	if (i < argc && cmd == NULL) {
		free(cli.db_path);
		return cli_usage(NULL, "unknown command '%s'", argv[i]);
	}
	if (cli.demo && cli.db_path != NULL) {
		/* --demo never touches a real database: say so, do not guess */
		fputs("dlrepro: --demo uses a temporary database of its own; "
		      "drop --db or --demo\n", stderr);
		free(cli.db_path);
		return EXIT_USAGE;
	}
	if (cli.demo && (rc = demo_prepare(&cli)) != EXIT_OK)
		goto out;
	if (cmd != NULL) {
		rc = cmd->run(&cli, argc - i, argv + i);
	} else {
		ran_dashboard = 1;
		rc = ui_run(&cli);
	}
out:
	cli_done(&cli);
	return rc;
}
