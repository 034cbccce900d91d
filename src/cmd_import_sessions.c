/*
 * cmd_import_sessions.c - `dlrepro import-sessions FILE...`: merge
 * sessions exported with `export --format jsonl` on another machine.
 *
 * Sessions are matched by UUID, so importing the same file twice changes
 * nothing.  A session already here whose log the export continues (an
 * adjust or a correction made after the last merge) gets the new steps;
 * one whose log differs from ours is kept as it is here, and said so.
 * Every line of every file is checked before anything is written, and
 * all of them go in one transaction: a bad line leaves the
 * database as it was.  Sessions still open on the other machine are
 * skipped (only one session may be open here, and it is not finished).
 * A post this database lacks is added as a placeholder with the title
 * from the export, so the session keeps its link.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "dlrepro/cli.h"
#include "dlrepro/post.h"
#include "dlrepro/session.h"
#include "dlrepro/store_session.h"
#include "dlrepro/util.h"

/* a session's line, event log included, is a few KB; this is no session */
#define LINE_MAX_BYTES (64u << 20)

struct batch {
	struct session *v;
	size_t n, alloc;
};

static int
read_file(const char *path, struct batch *b)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	long lineno = 0;
	int rc = DL_OK, values = 0;

	if (!f)
		return error_set("%s: cannot open: %s", path, strerror(errno));
	while ((len = read_line_max(f, &line, &cap, LINE_MAX_BYTES)) != -1) {
		struct session *s;
		cJSON *o;
		const char *end = NULL, *text;
		char *norm, *clean;
		size_t clen;

		lineno++;
		if (len == READ_LINE_NUL) {
			rc = error_set("%s:%ld: NUL byte in JSON", path, lineno);
			break;
		}
		if (len == READ_LINE_LONG) {
			rc = error_set("%s:%ld: longer than %u MiB", path,
				       lineno, LINE_MAX_BYTES >> 20);
			break;
		}
		while (len > 0 && (line[len - 1] == '\n' ||
		    line[len - 1] == '\r' || line[len - 1] == ' ' ||
		    line[len - 1] == '\t'))
			line[--len] = '\0';
		if (strspn(line, " \t") == (size_t)len)
			continue;
		values++;
		clen = (size_t)len;
		text = json_without_nul(line, &clen, &clean);
		o = cJSON_ParseWithLengthOpts(text, clen, &end, 0);
		if (o != NULL && end != text + clen) {
			cJSON_Delete(o);
			o = NULL;
			/* the byte of the line as written */
			rc = error_set("%s:%ld: unexpected data after the JSON "
			    "value at byte %zu", path, lineno, clean == NULL ?
			    (size_t)(end - text) :
			    json_nul_offset(line, (size_t)len,
			    (size_t)(end - text)));
		} else if (o == NULL) {
			rc = error_set("%s:%ld: not JSON", path, lineno);
		}
		free(clean);
		if (o == NULL)
			break;
		if (b->n == b->alloc) {
			b->alloc = b->alloc ? 2 * b->alloc : 16;
			b->v = xrealloc(b->v, b->alloc * sizeof *b->v);
		}
		s = &b->v[b->n];
		rc = session_from_json(o, s);
		cJSON_Delete(o);
		if (rc == DL_OK && !(norm = post_id_normalize(s->post)))
			rc = DL_ERR;
		if (rc != DL_OK) {
			session_done(s);
			error_prefix("%s:%ld: ", path, lineno);
			break;
		}
		free(s->post);
		s->post = norm;
		b->n++;
	}
	if (rc == DL_OK && ferror(f))
		rc = error_set("%s: read error", path);
	if (rc == DL_OK && values == 0)
		rc = error_set("%s: empty file (no JSON)", path);
	free(line);
	if (f != stdin)
		fclose(f);
	return rc;
}

/* 1 when the two events' JSON data say the same. */
static int
same_data(const char *x, const char *y)
{
	cJSON *a, *b;
	int same;

	if (!x || !y)
		return !x == !y;
	a = cJSON_Parse(x);
	b = cJSON_Parse(y);
	same = a && b ? cJSON_Compare(a, b, 1) : strcmp(x, y) == 0;
	cJSON_Delete(a);
	cJSON_Delete(b);
	return same;
}

/* 1 when a and b took the same first n steps. */
static int
same_steps(const struct session *a, const struct session *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const struct session_event *x = &a->events[i];
		const struct session_event *y = &b->events[i];

		/* an export keeps times to the microsecond */
		if (x->seq != y->seq || x->kind != y->kind ||
		    fabs(x->at - y->at) > 1e-3 ||
		    !x->action != !y->action ||
		    (x->action && strcmp(x->action, y->action) != 0) ||
		    !same_data(x->data, y->data))
			return 0;
	}
	return 1;
}

enum merge { MERGE_KNOWN, MERGE_EXTENDED, MERGE_DIFFERS };

/*
 * s is stored here already: append the steps the export has beyond ours,
 * when ours are the start of its log.
 */
static int
merge_known(struct store *st, struct session *s, enum merge *how)
{
	struct session here;
	int rc;

	session_init(&here);
	rc = store_session_load_uuid(st, s->uuid, &here);
	if (rc != DL_OK) {
		session_done(&here);
		return rc == DL_NOTFOUND ? error_set("vanished") : rc;
	}
	if (s->nevents <= here.nevents)
		*how = same_steps(&here, s, s->nevents) ? MERGE_KNOWN :
		    MERGE_DIFFERS;
	else if (!same_steps(&here, s, here.nevents))
		*how = MERGE_DIFFERS;
	else if (s->state != SESSION_STOPPED)
		*how = MERGE_KNOWN;	/* still going there: next time */
	else {
		*how = MERGE_EXTENDED;
		rc = store_session_extend(st, here.id, s, here.nevents);
	}
	session_done(&here);
	return rc;
}

int
cmd_import_sessions(struct cli *cli, int argc, char **argv)
{
	const struct cli_command *cmd = cli_find("import-sessions");
	struct strvec files;
	struct batch b;
	struct store *st;
	size_t i;
	int rc = EXIT_FAIL, added = 0, known = 0, open = 0, updated = 0;
	int differ = 0;

	memset(&b, 0, sizeof b);
	sv_init(&files);
	if (cli_parse(cmd, argc, argv, NULL, &files) != 0) {
		sv_done(&files);
		return EXIT_USAGE;
	}
	if (!files.n) {
		sv_done(&files);
		return cli_usage(cmd, "import-sessions needs a FILE");
	}
	for (i = 0; i < files.n; i++)
		if (read_file(files.v[i], &b) != DL_OK) {
			rc = cli_fail("import-sessions %s", error_msg());
			goto out;
		}
	if (!(st = cli_store(cli)))
		goto out;
	if (store_begin(st) != DL_OK) {
		rc = cli_fail_error();
		goto out;
	}
	for (i = 0; i < b.n; i++) {
		struct session *s = &b.v[i];
		int r = store_session_uuid_exists(st, s->uuid);

		if (r == 1) {
			enum merge how = MERGE_KNOWN;

			if (merge_known(st, s, &how) != DL_OK) {
				store_rollback(st);
				rc = cli_fail("import-sessions: session %s: "
				    "%s", s->uuid, error_msg());
				goto out;
			}
			if (how == MERGE_EXTENDED) {
				updated++;
			} else if (how == MERGE_DIFFERS) {
				differ++;
				fprintf(stderr, "dlrepro: import-sessions: "
				    "session %s (%s) has other steps here "
				    "than in the file; kept as it is here\n",
				    s->uuid, s->post);
			} else {
				known++;
			}
			continue;
		}
		if (r == 0 && s->state != SESSION_STOPPED) {
			open++;
			continue;
		}
		if (r == 0)
			r = store_post_exists(st, s->post);
		if (r == 0)
			r = store_session_placeholder_post(st, s->post,
			    s->post_title);
		else if (r == 1)
			r = DL_OK;
		if (r == DL_OK)
			r = store_session_insert(st, s);
		if (r != DL_OK) {
			store_rollback(st);
			rc = cli_fail("import-sessions: session %s: %s",
			    s->uuid, error_msg());
			goto out;
		}
		added++;
	}
	if (store_commit(st) != DL_OK) {
		rc = cli_fail_error();
		goto out;
	}
	fprintf(stderr, "dlrepro: imported %d session%s, %d already here, "
	    "%d still open elsewhere (skipped)", added,
	    added == 1 ? "" : "s", known, open);
	if (updated)
		fprintf(stderr, ", %d updated with later steps", updated);
	if (differ)
		fprintf(stderr, ", %d differing (kept as here)", differ);
	fputc('\n', stderr);
	rc = EXIT_OK;
out:
	for (i = 0; i < b.n; i++)
		session_done(&b.v[i]);
	free(b.v);
	sv_done(&files);
	return rc;
}
