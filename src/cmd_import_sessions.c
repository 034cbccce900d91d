/*
 * cmd_import_sessions.c - `dlrepro import-sessions FILE...`: merge
 * sessions exported with `export --format jsonl` on another machine.
 *
 * Sessions are matched by UUID, so importing the same file twice changes
 * nothing.  Every line of every file is checked before anything is
 * written, and all of them go in one transaction: a bad line leaves the
 * database as it was.  Sessions still open on the other machine are
 * skipped (only one session may be open here, and it is not finished).
 * A post this database lacks is added as a placeholder with the title
 * from the export, so the session keeps its link.
 */
#include "config.h"

#include <errno.h>
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

int
cmd_import_sessions(struct cli *cli, int argc, char **argv)
{
	const struct cli_command *cmd = cli_find("import-sessions");
	struct strvec files;
	struct batch b;
	struct store *st;
	size_t i;
	int rc = EXIT_FAIL, added = 0, known = 0, open = 0;

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
			known++;
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
	    "%d still open elsewhere (skipped)\n", added,
	    added == 1 ? "" : "s", known, open);
	rc = EXIT_OK;
out:
	for (i = 0; i < b.n; i++)
		session_done(&b.v[i]);
	free(b.v);
	sv_done(&files);
	return rc;
}
