/*
 * cmd_export.c - `dlrepro export --format csv|jsonl [--out FILE]` and
 * `dlrepro export --format replication --out DIR`.
 *
 * csv: one tidy row per session for pandas and R; jsonl: one full session
 * object (with its event log) per line, the merge format that
 * import-sessions reads; replication: the three CSV files of the paper's
 * replication package, in their exact layouts, so the paper's analysis
 * scripts run on a user's own sessions.  Files are written beside their
 * target and renamed into place, so a failed export leaves no half file.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "dlrepro/cli.h"
#include "dlrepro/csv.h"
#include "dlrepro/post.h"
#include "dlrepro/session.h"
#include "dlrepro/store_session.h"
#include "dlrepro/util.h"

/*
 * The replication package's layouts (Shah, Rahman & Khomh, EMSE 2024):
 * headers, column order and spellings exactly as in its files.
 */
static const char *const manual_header[] = {
	"Bug ID", "Architecture", "Reproducible?", "Code Snippet Present?",
	"System Configuration Present?", "Data Description Present?",
	"Key Actions", "Time Taken", "Time for the Accepted Answer",
	"Modification Type (Major/Minor)", "Type of Bug", "Effort Level",
	"Framework", NULL,
};

/* Dataset_EditActions.csv: seven descriptive columns, then the actions. */
static const char *const edit_header[] = {
	"Architecture", "Reproducible?", "Code Snippet Present?",
	"System Configuration Present?", "Data Description Present?",
	"Type of Bug", "Framework", NULL,
};
static const struct {
	const char *column;
	enum edit_action act;
} edit_actions[] = {
	{ "Input Data Generation", ACT_INPUT_DATA_GENERATION },
	{ "Neural Network Definition", ACT_NETWORK_CONSTRUCTION },
	{ "Obsolete Parameter Removal", ACT_OBSOLETE_PARAMETER_REMOVAL },
	{ "Framework Migration", ACT_VERSION_MIGRATION },
	{ "Dataset Procurement", ACT_DATASET_PROCUREMENT },
	{ "Downloading Models and Tokenizers", ACT_MODEL_DOWNLOAD },
	{ "Logging", ACT_LOGGING },
	{ "Import Addition and Dependency Resolution", ACT_IMPORT_ADDITION },
	{ "Compiler Error Resolution", ACT_COMPILER_ERROR_RESOLUTION },
	{ "Hyperparameter Initialization", ACT_HYPERPARAMETER_INITIALIZATION },
};

/* Dataset_CriticalActions.csv */
static const struct {
	const char *column;
	enum info_cat cat;
} critical_cols[] = {
	{ "Data", CAT_DATA },
	{ "Neural Network", CAT_MODEL },
	{ "Hyperparameters", CAT_HYPERPARAMETERS },
	{ "Training Code", CAT_CODE },
	{ "Logs", CAT_LOGS },
};

static const char *const paper_effort[] = { "", "Easy", "Medium", "Hard" };
static const char *const paper_mod[] = { "-", "Minor", "Major" };

struct ex {
	const struct dl_data *data;
	struct store *st;
	struct csv csv, man, edit, crit;
	FILE *out;
	double now;
	int rows, man_rows, rep_rows;
};

/*
 * The package's presence columns hold only Yes/No (and 1/0): a category
 * nobody recorded is written as not present, like the authors did for
 * what they did not find.  The csv export keeps the difference (empty).
 */
static const char *
yes_no(signed char v)
{
	return v > 0 ? "Yes" : "No";
}

static const char *
type_paper_name(const struct ex *x, const struct session *s)
{
	int t = session_bug_type(s) ?
	    data_type_from_id(session_bug_type(s)) : -1;

	return t < 0 ? "-" : x->data->types[t].paper_name;
}

static const char *
opt(const char *s, const char *dflt)
{
	return s && *s ? s : dflt;
}

/* ---- csv ---- */

static const char *const csv_cols[] = {
	"session_id", "uuid", "post", "title", "type", "state", "started_at",
	"stopped_at", "active_seconds", "active_minutes", "intervals",
	"adjusted", "outcome", "reason", "effort", "modification",
	"framework", "architecture", "info_source", "info_data", "info_model",
	"info_hyperparameters", "info_code", "info_logs", "n_actions",
	"actions", NULL,
};

/* The columns above, one 0/1 column per action, then notes (free text). */
static void
csv_header(struct ex *x)
{
	size_t i;
	int a;

	for (i = 0; csv_cols[i]; i++)
		csv_field(&x->csv, csv_cols[i]);
	for (a = 0; a < ACT__COUNT; a++) {
		char *name = xasprintf("act_%s", x->data->actions[a].id);
		char *p;

		for (p = name; *p; p++)
			if (*p == '-')
				*p = '_';
		csv_field(&x->csv, name);
		free(name);
	}
	csv_field(&x->csv, "notes");
	csv_end_row(&x->csv);
}

static int
csv_session(struct session *s, void *arg)
{
	struct ex *x = arg;
	char t1[40] = "", t2[40] = "";
	double active = session_active_at(s, x->now);
	struct strbuf acts;
	int c, a, adjusted = 0;
	size_t i;

	x->rows++;
	for (i = 0; i < s->nintervals; i++)
		adjusted |= s->intervals[i].adjusted;
	format_iso8601(s->started, t1, sizeof t1);
	if (s->ended >= 0)
		format_iso8601(s->ended, t2, sizeof t2);
	csv_fieldf(&x->csv, "%lld", s->id);
	csv_field(&x->csv, s->uuid);
	csv_field(&x->csv, s->post);
	csv_field(&x->csv, s->post_title);
	csv_field(&x->csv, session_bug_type(s));
	csv_field(&x->csv, session_state_id(s->state));
	csv_field(&x->csv, t1);
	csv_field(&x->csv, t2);
	csv_fieldf(&x->csv, "%.3f", active);
	csv_fieldf(&x->csv, "%.2f", active / 60);
	csv_fieldf(&x->csv, "%zu", s->nintervals);
	csv_fieldf(&x->csv, "%d", adjusted);
	csv_field(&x->csv, session_result_id(s->outcome.result));
	csv_field(&x->csv, session_reason_id(s->outcome.reason));
	csv_field(&x->csv, session_effort_id(s->outcome.effort));
	csv_field(&x->csv, session_mod_id(s->outcome.modification));
	csv_field(&x->csv, s->outcome.framework);
	csv_field(&x->csv, s->outcome.architecture);
	csv_field(&x->csv, s->info_source == SESSION_INFO_ANALYSIS ?
	    "analysis" : s->info_source == SESSION_INFO_USER ? "user" : "");
	for (c = 0; c < SESSION_NCAT; c++)
		csv_field(&x->csv, s->info[c] < 0 ? "" :
		    s->info[c] ? "1" : "0");
	csv_fieldf(&x->csv, "%zu", s->nticks);
	sb_init(&acts);
	for (i = 0; i < s->nticks; i++)
		sb_addf(&acts, "%s%s", i ? " " : "", s->ticks[i].action);
	csv_field(&x->csv, acts.s);
	sb_done(&acts);
	for (a = 0; a < ACT__COUNT; a++)
		csv_field(&x->csv, session_is_ticked(s,
		    x->data->actions[a].id) ? "1" : "0");
	csv_field(&x->csv, s->outcome.notes);
	csv_end_row(&x->csv);
	return 0;
}

static int
jsonl_session(struct session *s, void *arg)
{
	struct ex *x = arg;
	char *line = session_to_json_text(s, x->now);

	fputs(line, x->out);
	fputc('\n', x->out);
	free(line);
	x->rows++;
	return 0;
}

/* ---- replication ---- */

static int
replication_session(struct session *s, void *arg)
{
	struct ex *x = arg;
	const char *arch, *fw, *type;
	char *site = NULL, *ext = NULL;
	enum post_source src;
	double created, accepted;
	int rep, c;
	size_t i;

	if (s->outcome.result != SESSION_REPRODUCED &&
	    s->outcome.result != SESSION_NOT_REPRODUCED)
		return 0;
	rep = s->outcome.result == SESSION_REPRODUCED;
	arch = opt(s->outcome.architecture, "-");
	fw = opt(s->outcome.framework, "-");
	type = type_paper_name(x, s);
	if (store_session_post_times(x->st, s->post, &created,
	    &accepted) != DL_OK)
		return DL_ERR;

	/* Bug ID: the question id for Stack Overflow, else our post id. */
	if (post_id_split(s->post, &src, &site, &ext) == DL_OK &&
	    src == POST_SO)
		csv_field(&x->man, ext);
	else
		csv_field(&x->man, s->post);
	free(site);
	free(ext);
	csv_field(&x->man, arch);
	csv_field(&x->man, rep ? "Yes" : "No");
	csv_field(&x->man, yes_no(s->info[CAT_CODE]));
	csv_field(&x->man, "No");	/* system configuration: not tracked */
	csv_field(&x->man, yes_no(s->info[CAT_DATA]));
	if (s->outcome.notes && *s->outcome.notes) {
		csv_field(&x->man, s->outcome.notes);
	} else {
		struct strbuf sb;

		sb_init(&sb);
		/* the package's not-reproducible rows say why first */
		if (!rep)
			sb_addf(&sb, "Couldn't reproduce (%s)%s",
			    s->outcome.reason != SESSION_REASON_NONE ?
			    session_reason_id(s->outcome.reason) :
			    "no reason given", s->nticks ? "; tried: " : ".");
		for (i = 0; i < s->nticks; i++) {
			int a = data_action_from_id(s->ticks[i].action);

			sb_addf(&sb, "%s%s", i ? ", " : "", a >= 0 ?
			    x->data->actions[a].name : s->ticks[i].action);
		}
		csv_field(&x->man, sb.len ? sb.s : "-");
		sb_done(&sb);
	}
	csv_fieldf(&x->man, "%.0f", floor(session_active_at(s, x->now) /
	    60 + 0.5));
	if (created > 0 && accepted >= created)
		csv_fieldf(&x->man, "%.0f minutes",
		    floor((accepted - created) / 60 + 0.5));
	else
		csv_field(&x->man, "-");
	csv_field(&x->man, rep ? paper_mod[s->outcome.modification] : "-");
	csv_field(&x->man, type);
	csv_field(&x->man, rep ? paper_effort[s->outcome.effort] : "");
	csv_field(&x->man, fw);
	csv_end_row(&x->man);
	x->man_rows++;
	if (!rep)
		return 0;

	csv_field(&x->edit, arch);
	csv_field(&x->edit, "Yes");
	csv_field(&x->edit, yes_no(s->info[CAT_CODE]));
	csv_field(&x->edit, "No");
	csv_field(&x->edit, yes_no(s->info[CAT_DATA]));
	csv_field(&x->edit, type);
	csv_field(&x->edit, fw);
	for (i = 0; i < ARRAY_SIZE(edit_actions); i++)
		csv_field(&x->edit, session_is_ticked(s,
		    data_action_id(edit_actions[i].act)) ? "1" : "0");
	csv_end_row(&x->edit);

	csv_field(&x->crit, type);
	for (i = 0; i < ARRAY_SIZE(critical_cols); i++) {
		c = critical_cols[i].cat;
		csv_field(&x->crit, s->info[c] > 0 ? "1" : "0");
	}
	csv_end_row(&x->crit);
	x->rep_rows++;
	return 0;
}

struct outfile {
	char *path, *tmp;
	FILE *f;
};

/*
 * The file named by path, through any symlinks, even a dangling one (its
 * target is then the file to create); a copy, or NULL with errno set.
 */
static char *
link_target(const char *path)
{
	char buf[4096], *real, *dir, *slash;
	ssize_t n;
	struct stat st;
	int hops = 0;
	char *cur = xstrdup(path);

	while (lstat(cur, &st) == 0 && S_ISLNK(st.st_mode)) {
		if ((real = realpath(cur, NULL)) != NULL) {
			free(cur);
			return real;
		}
		/* dangling: follow the link by hand to the name to create */
		n = readlink(cur, buf, sizeof buf - 1);
		if (n < 0 || ++hops > 40) {
			if (n >= 0)
				errno = ELOOP;
			free(cur);
			return NULL;
		}
		buf[n] = '\0';
		if (buf[0] == '/') {
			real = xstrdup(buf);
		} else {
			dir = xstrdup(cur);
			slash = strrchr(dir, '/');
			if (slash != NULL)
				slash[1] = '\0';
			real = xasprintf("%s%s", slash ? dir : "", buf);
			free(dir);
		}
		free(cur);
		cur = real;
	}
	return cur;
}

/*
 * A regular file goes to a fresh temporary beside its target (mkstemp:
 * O_EXCL, so a name planted in a shared directory is never written
 * through) and is renamed into place at the end.  An existing target
 * keeps its mode (notes may be private), and a symlink keeps pointing
 * where it did: the file it names is the one replaced (or created, when
 * the link dangles).  A new file gets the mode fopen() would give.  A
 * target that is not a regular file (a FIFO, /dev/stdout, a terminal) is
 * written as it is; a directory is refused.
 */
static int
out_open(struct outfile *o, const char *path)
{
	struct stat st;
	mode_t mode, um;
	char *target;
	int fd = -1, exists;

	o->path = o->tmp = NULL;
	o->f = NULL;
	exists = stat(path, &st) == 0;
	if (exists && S_ISDIR(st.st_mode))
		return error_set("%s: is a directory", path);
	if (exists && !S_ISREG(st.st_mode)) {
		/* /dev/stdout may name a pipe that has no path: as given */
		o->path = xstrdup(path);
		o->f = fopen(path, "w");
		if (o->f == NULL)
			goto fail;
		return DL_OK;
	}
	target = exists ? realpath(path, NULL) : link_target(path);
	if (target == NULL)
		return error_set("%s: cannot write: %s", path, strerror(errno));
	o->path = target;
	um = umask(0);
	umask(um);
	mode = exists ? st.st_mode & 07777 : 0666 & ~um;
	o->tmp = xasprintf("%s.XXXXXX", target);
	fd = mkstemp(o->tmp);
	if (fd < 0 || fchmod(fd, mode) != 0 || !(o->f = fdopen(fd, "w")))
		goto fail;
	return DL_OK;
fail:
	error_set("%s: cannot write: %s", path, strerror(errno));
	if (fd >= 0) {
		close(fd);
		unlink(o->tmp);
	}
	free(o->path);
	free(o->tmp);
	o->path = o->tmp = NULL;
	o->f = NULL;
	return DL_ERR;
}

/*
 * Close and rename into place (ok), or remove the temporary (!ok).  A
 * target written as it is (no temporary) keeps what was written.
 */
static int
out_close(struct outfile *o, int ok)
{
	int rc = DL_OK;

	if (!o->f)
		return DL_OK;
	if (fclose(o->f) != 0 && ok)
		rc = error_set("%s: write failed: %s", o->path,
		    strerror(errno));
	if (o->tmp != NULL && ok && rc == DL_OK &&
	    rename(o->tmp, o->path) != 0)
		rc = error_set("%s: cannot rename: %s", o->path,
		    strerror(errno));
	if (o->tmp != NULL && (!ok || rc != DL_OK))
		remove(o->tmp);
	free(o->path);
	free(o->tmp);
	o->f = NULL;
	return rc;
}

static int
export_replication(struct ex *x, const char *dir)
{
	static const char *const names[3] = {
		"Dataset_Manual_Reproduction.csv",
		"Dataset_EditActions.csv",
		"Dataset_CriticalActions.csv",
	};
	struct outfile of[3];
	struct session_filter f;
	int i, rc = DL_OK;
	size_t k;

	memset(of, 0, sizeof of);
	if (mkdir_p(dir, 0755) != DL_OK)
		return DL_ERR;
	for (i = 0; i < 3; i++) {
		char *p = xasprintf("%s/%s", dir, names[i]);

		rc = out_open(&of[i], p);
		free(p);
		if (rc != DL_OK)
			goto done;
	}
	csv_init(&x->man, of[0].f);
	csv_init(&x->edit, of[1].f);
	csv_init(&x->crit, of[2].f);
	csv_row(&x->man, manual_header);
	for (k = 0; edit_header[k]; k++)
		csv_field(&x->edit, edit_header[k]);
	for (k = 0; k < ARRAY_SIZE(edit_actions); k++)
		csv_field(&x->edit, edit_actions[k].column);
	csv_end_row(&x->edit);
	csv_field(&x->crit, "Type of Bug");
	for (k = 0; k < ARRAY_SIZE(critical_cols); k++)
		csv_field(&x->crit, critical_cols[k].column);
	csv_end_row(&x->crit);
	session_filter_init(&f);
	f.stopped_only = 1;
	rc = store_session_each(x->st, &f, replication_session, x);
done:
	for (i = 0; i < 3; i++)
		if (out_close(&of[i], rc == DL_OK) != DL_OK && rc == DL_OK)
			rc = DL_ERR;
	return rc;
}

int
cmd_export(struct cli *cli, int argc, char **argv)
{
	const struct cli_command *cmd = cli_find("export");
	const char *format = NULL, *outpath = NULL;
	const struct cli_opt opts[] = {
		{ "format", 1, NULL, &format, NULL },
		{ "out", 1, NULL, &outpath, NULL },
		{ NULL, 0, NULL, NULL, NULL },
	};
	struct session_filter f;
	struct outfile of;
	struct ex x;
	char *safe;
	int rc, csv;

	if ((rc = cli_parse_noargs(cmd, argc, argv, opts)) != 0)
		return rc;
	if (!format)
		return cli_usage(cmd, "export needs --format csv, jsonl or "
		    "replication");
	if (strcmp(format, "csv") && strcmp(format, "jsonl") &&
	    strcmp(format, "replication"))
		return cli_usage(cmd, "%s: unknown format (csv, jsonl, "
		    "replication)", format);
	if (!strcmp(format, "replication") && !outpath)
		return cli_usage(cmd, "--format replication needs --out DIR");
	if (outpath && !*outpath)
		return cli_usage(cmd, "--out: empty path");
	/* `-` is standard output for the one-file formats; three files
	 * cannot go there, and a folder named `-` is never what was meant */
	if (!strcmp(format, "replication") && !strcmp(outpath, "-"))
		return cli_usage(cmd, "--format replication writes three "
		    "files: --out takes a folder, not - (standard output)");
	memset(&x, 0, sizeof x);
	if (!(x.data = cli_data(cli)) || !(x.st = cli_store(cli)))
		return EXIT_FAIL;
	x.now = session_clock_system()->now(NULL);
	if (!strcmp(format, "replication")) {
		if (export_replication(&x, outpath) != DL_OK)
			return cli_fail("export: %s", error_msg());
		/* a path may hold anything */
		safe = term_safe(outpath);
		fprintf(stderr, "dlrepro: wrote %d reproduction attempt%s "
		    "(%d reproduced) to %s\n", x.man_rows,
		    x.man_rows == 1 ? "" : "s", x.rep_rows, safe);
		free(safe);
		return EXIT_OK;
	}
	memset(&of, 0, sizeof of);
	if (outpath && strcmp(outpath, "-")) {
		if (out_open(&of, outpath) != DL_OK)
			return cli_fail("export: %s", error_msg());
		x.out = of.f;
	} else {
		x.out = stdout;
	}
	csv = !strcmp(format, "csv");
	csv_init(&x.csv, x.out);
	if (csv)
		csv_header(&x);
	session_filter_init(&f);
	rc = store_session_each(x.st, &f, csv ? csv_session : jsonl_session,
	    &x);
	if (ferror(x.out) && rc == DL_OK)
		rc = error_set("%s: write failed", outpath ? outpath :
		    "stdout");
	if (out_close(&of, rc == DL_OK) != DL_OK)
		rc = DL_ERR;
	if (rc != DL_OK)
		return cli_fail("export: %s", error_msg());
	if (outpath && strcmp(outpath, "-")) {
		safe = term_safe(outpath);
		fprintf(stderr, "dlrepro: wrote %d session%s to %s\n", x.rows,
		    x.rows == 1 ? "" : "s", safe);
		free(safe);
	}
	return EXIT_OK;
}
