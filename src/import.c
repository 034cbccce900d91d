/*
 * import.c - posts from files.  JSON Lines are read one line at a time so
 * memory stays bounded whatever the file's size; a document that is not
 * one-object-per-line (pretty-printed) is read whole, up to a cap.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "dlrepro/import.h"
#include "dlrepro/util.h"

#define IMPORT_WHOLE_MAX (512u << 20)

struct reader {
	const char *path;
	const char *site;
	int (*fn)(struct post *p, void *arg);
	void *arg;
	size_t count;
};

static int
one_question(struct reader *r, const cJSON *obj, const char *where)
{
	struct post p;
	int rc;

	if (post_from_se_json(obj, r->site, &p) != DL_OK) {
		post_done(&p);
		return error_prefix("%s%s: ", r->path, where);
	}
	rc = r->fn(&p, r->arg);
	post_done(&p);
	if (rc != DL_OK)
		return DL_ERR;
	r->count++;
	return DL_OK;
}

/* A JSON value: wrapper, question object, or array of questions. */
static int
one_value(struct reader *r, const cJSON *v, const char *where)
{
	const cJSON *items, *it;

	if (cJSON_IsArray(v)) {
		cJSON_ArrayForEach(it, v)
			if (one_question(r, it, where) != DL_OK)
				return DL_ERR;
		return DL_OK;
	}
	if (!cJSON_IsObject(v))
		return error_set("%s%s: expected a JSON object or array",
				 r->path, where);
	items = cJSON_GetObjectItemCaseSensitive(v, "items");
	if (items != NULL) {
		const cJSON *err = cJSON_GetObjectItemCaseSensitive(v,
								    "error_id");

		if (err != NULL)
			return error_set("%s%s: the file holds an API error "
					 "(error_id %d), not questions",
					 r->path, where,
					 cJSON_IsNumber(err) ? err->valueint
							     : -1);
		if (!cJSON_IsArray(items))
			return error_set("%s%s: field 'items' must be an "
					 "array", r->path, where);
		cJSON_ArrayForEach(it, items)
			if (one_question(r, it, where) != DL_OK)
				return DL_ERR;
		return DL_OK;
	}
	return one_question(r, v, where);
}

static int
blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' &&
		    s[i] != '\n')
			return 0;
	return 1;
}

/*
 * The text parsed is what json_without_nul() made of orig[0, olen) (text
 * itself when no escape went): byte counts name orig's bytes.
 */
struct parsed {
	const char *orig, *text;
	size_t olen, len;
};

static size_t
orig_byte(const struct parsed *t, size_t at)
{
	return t->text == t->orig ? at : json_nul_offset(t->orig, t->olen, at);
}

static int
parse_error(struct reader *r, const char *where, const struct parsed *t)
{
	const char *at = cJSON_GetErrorPtr();

	if (at != NULL && at >= t->text + t->len - 1 &&
	    !blank(t->text, t->len))
		return error_set("%s%s: truncated JSON (ends inside a value)",
				 r->path, where);
	if (at != NULL && at >= t->text && at < t->text + t->len)
		return error_set("%s%s: malformed JSON at byte %zu", r->path,
				 where, orig_byte(t, (size_t)(at - t->text)));
	return error_set("%s%s: malformed JSON", r->path, where);
}

/*
 * Parse one JSON value from text[0, len) that only white space may follow.
 * Returns the value, or NULL with *end set: where the parser stopped (a
 * syntax error, cJSON_GetErrorPtr() tells) or, when *trailing is set, the
 * first byte of what follows a complete value.
 */
static cJSON *
parse_one(const char *text, size_t len, size_t *end, int *trailing)
{
	const char *stop = NULL;
	cJSON *v = cJSON_ParseWithLengthOpts(text, len, &stop, 0);
	size_t at;

	*trailing = 0;
	if (v == NULL)
		return NULL;
	at = (size_t)(stop - text);
	while (at < len && blank(text + at, 1))
		at++;
	if (at < len) {
		cJSON_Delete(v);
		*end = at;
		*trailing = 1;
		return NULL;
	}
	return v;
}

static int
trailing_error(struct reader *r, const char *where, const struct parsed *t,
	       size_t at)
{
	return error_set("%s%s: unexpected data after the JSON value at byte "
			 "%zu", r->path, where, orig_byte(t, at));
}

/*
 * One JSON value from orig[0, olen), \u0000 escapes dropped first (cJSON
 * would end the string there); NULL with the error set, naming where.
 */
static cJSON *
parse_value(struct reader *r, const char *where, const char *orig,
	    size_t olen)
{
	struct parsed t = { orig, NULL, olen, olen };
	char *clean;
	size_t at = 0;
	int trailing;
	cJSON *v;

	t.text = json_without_nul(orig, &t.len, &clean);
	v = parse_one(t.text, t.len, &at, &trailing);
	if (v == NULL && trailing)
		trailing_error(r, where, &t, at);
	else if (v == NULL)
		parse_error(r, where, &t);
	free(clean);
	return v;
}

static int
read_whole(struct reader *r, FILE *f, struct strbuf *sb)
{
	char buf[65536];
	size_t n;
	cJSON *root;
	int rc;

	while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
		sb_add(sb, buf, n);
		if (sb->len > IMPORT_WHOLE_MAX)
			return error_set("%s: file too large for a single "
					 "JSON document (use JSON Lines)",
					 r->path);
	}
	if (ferror(f))
		return error_set("%s: read error: %s", r->path,
				 strerror(errno));
	if ((root = parse_value(r, "", sb->s, sb->len)) == NULL)
		return DL_ERR;
	rc = one_value(r, root, "");
	cJSON_Delete(root);
	return rc;
}

int
import_read(const char *path, const char *site,
	    int (*fn)(struct post *p, void *arg), void *arg, size_t *count)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	int rc;

	if (f == NULL) {
		*count = 0;
		return error_set("%s: cannot open: %s", path, strerror(errno));
	}
	rc = import_read_stream(f, path, site, fn, arg, count);
	if (f != stdin)
		fclose(f);
	return rc;
}

int
import_read_stream(FILE *f, const char *path, const char *site,
		   int (*fn)(struct post *p, void *arg), void *arg,
		   size_t *count)
{
	struct reader r = { path, site, fn, arg, 0 };
	char *line = NULL;
	size_t cap = 0, lineno = 0;
	ssize_t n;
	int rc = DL_OK, seen = 0;
	struct strbuf sb;

	sb_init(&sb);
	/*
	 * Decide by the first non-blank line: when it is a complete JSON
	 * value the file is JSON Lines, otherwise one document.
	 */
	while ((n = read_line_max(f, &line, &cap, IMPORT_WHOLE_MAX)) != -1) {
		cJSON *v;
		char where[48];

		lineno++;
		if (n == READ_LINE_NUL) {
			rc = error_set("%s: line %zu: NUL byte in JSON", path,
				       lineno);
			break;
		}
		if (n == READ_LINE_LONG) {
			rc = error_set("%s: line %zu: longer than %u MiB",
				       path, lineno, IMPORT_WHOLE_MAX >> 20);
			break;
		}
		if (blank(line, (size_t)n)) {
			if (!seen)
				sb_add(&sb, line, (size_t)n);
			if (sb.len > IMPORT_WHOLE_MAX) {
				rc = error_set("%s: no JSON in its first %u MiB",
					       path, IMPORT_WHOLE_MAX >> 20);
				break;
			}
			continue;
		}
		if (!seen)
			sb_add(&sb, line, (size_t)n);
		snprintf(where, sizeof where, ": line %zu", lineno);
		v = parse_value(&r, where, line, (size_t)n);
		if (!seen && v == NULL) {
			/*
			 * Not JSON Lines: the whole file is one document (a
			 * first line with more after its value too, so that
			 * the error names the byte in the file).
			 */
			rc = read_whole(&r, f, &sb);
			seen = 1;
			break;
		}
		seen = 1;
		if (v == NULL) {
			rc = DL_ERR;
			break;
		}
		rc = one_value(&r, v, where);
		cJSON_Delete(v);
		if (rc != DL_OK)
			break;
	}
	if (rc == DL_OK && ferror(f))
		rc = error_set("%s: read error: %s", path, strerror(errno));
	if (rc == DL_OK && !seen)
		rc = error_set("%s: empty file (no JSON)", path);
	free(line);
	sb_done(&sb);
	*count = r.count;
	return rc;
}
