/*
 * report.c - a bug report pasted by the user as a post: reading it whole
 * (from a file or standard input, which can be read only once), telling
 * it from posts in JSON, and its title, tags and format.  Shared by
 * `analyze --file` (not stored), and `import --report` and the
 * dashboard's `a` (stored as manual:N).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dlrepro/report.h"
#include "dlrepro/store.h"
#include "dlrepro/text.h"
#include "dlrepro/util.h"

/* about this many bytes of a first line make a title */
#define TITLE_MAX 100

int
report_read_all(const char *path, struct strbuf *sb)
{
	int in = strcmp(path, "-") == 0;
	FILE *f = in ? stdin : fopen(path, "rb");
	char buf[65536];
	size_t n;
	int rc;

	if (f == NULL)
		return error_set("%s: cannot open: %s", path, strerror(errno));
	rc = DL_OK;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
		sb_add(sb, buf, n);
		if (memchr(buf, '\0', n) != NULL)
			break;
		if (sb->len > REPORT_MAX) {
			rc = error_set("%s: larger than %u MiB, too large to "
				       "read whole", in ? "standard input" :
				       path, REPORT_MAX >> 20);
			break;
		}
	}
	if (rc == DL_OK && ferror(f))
		rc = error_set("%s: read error: %s", path, strerror(errno));
	if (!in)
		fclose(f);
	return rc;
}

/* next() gives the text's bytes one at a time, EOF at the end; a
 * megabyte of blanks (an endless stream of them) is no JSON */
static int
skip_blanks(int (*next)(void *), void *arg)
{
	size_t n = 0;
	int c;

	while ((c = next(arg)) == ' ' || c == '\n' || c == '\t' || c == '\r')
		if (++n > (1u << 20))
			return EOF;
	return c;
}

static int
starts_json(int (*next)(void *), void *arg)
{
	int c = skip_blanks(next, arg);

	if (c != '[')
		return c == '{';
	c = skip_blanks(next, arg);
	return c == '{' || c == ']';
}

struct memsrc {
	const char *s;
	size_t n, i;
};

static int
mem_next(void *arg)
{
	struct memsrc *m = arg;

	return m->i < m->n ? (unsigned char)m->s[m->i++] : EOF;
}

static int
file_next(void *arg)
{
	return fgetc(arg);
}

int
report_looks_json(const char *s, size_t n)
{
	struct memsrc m = { s, n, 0 };

	return starts_json(mem_next, &m);
}

int
report_file_looks_json(FILE *f)
{
	return starts_json(file_next, f);
}

/*
 * The title of a Markdown report: its first line, when that is an ATX
 * heading ("# Loss is NaN after ..."); NULL if not.
 */
static char *
heading_title(const char *s, size_t len)
{
	size_t i = 0, h = 0, e, k;

	while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' ||
			   s[i] == '\r'))
		i++;
	while (i + h < len && s[i + h] == '#' && h < 7)
		h++;
	if (h == 0 || h > 6 || i + h >= len ||
	    (s[i + h] != ' ' && s[i + h] != '\t'))
		return NULL;
	i += h;
	for (e = i; e < len && s[e] != '\n' && s[e] != '\r'; e++)
		;
	/* the closing sequence of #s and the spaces around the text go;
	 * #s not after a blank are the text's ("# Error in C#") */
	while (e > i && (s[e - 1] == ' ' || s[e - 1] == '\t'))
		e--;
	for (k = e; k > i && s[k - 1] == '#'; k--)
		;
	if (s[k - 1] == ' ' || s[k - 1] == '\t')
		e = k;
	while (e > i && (s[e - 1] == ' ' || s[e - 1] == '\t'))
		e--;
	while (i < e && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return e > i ? text_sanitize(s + i, e - i) : NULL;
}

int
report_to_post(const char *path, const char *body, size_t len,
	       const char *title, const char *tags, const char *format,
	       struct post *p)
{
	int in = strcmp(path, "-") == 0;

	/* the post's body is a C string: it would end at the first NUL,
	 * silently, or be empty (a UTF-16 file, a binary one) */
	if (memchr(body, '\0', len) != NULL)
		return error_set("%s: holds NUL bytes (a binary or UTF-16 "
				 "file?), not a text report",
				 in ? "standard input" : path);
	free(p->id);
	if (in) {
		p->id = xstrdup("stdin");
	} else {
		/* printed and put in JSON: a file name may hold escapes
		 * or invalid UTF-8 */
		char *safe = term_safe(path);

		p->id = xasprintf("file:%s", safe);
		free(safe);
	}
	p->source = POST_MANUAL;
	free(p->body);
	p->body = xstrndup(body, len);
	p->format = POST_MARKDOWN;
	/* without --format, a saved web page's name says what it is */
	if (format == NULL && !in) {
		size_t pl = strlen(path);

		if ((pl > 5 && strcasecmp(path + pl - 5, ".html") == 0) ||
		    (pl > 4 && strcasecmp(path + pl - 4, ".htm") == 0))
			p->format = POST_HTML;
	}
	if (format != NULL && post_format_from_name(format, &p->format) != DL_OK)
		return DL_ERR;
	/* a blank --title is no title: the heading or first line serves */
	if (title != NULL && title[strspn(title, " \t\r\n")] == '\0')
		title = NULL;
	free(p->title);
	p->title = title ? xstrdup(title) : p->format == POST_MARKDOWN ?
		   heading_title(p->body, strlen(p->body)) : NULL;
	if (p->title == NULL)
		p->title = xstrdup("");
	if (tags != NULL) {
		char *copy = xstrdup(tags), *save = NULL;

		for (char *t = strtok_r(copy, ", ", &save); t != NULL;
		     t = strtok_r(NULL, ", ", &save))
			sv_push(&p->tags, t);
		free(copy);
	}
	return DL_OK;
}

/* The title the first line of text makes, or NULL for no text. */
static char *
title_from_text(const char *text)
{
	const char *s = text, *e;
	size_t n, cut;

	if (s == NULL)
		return NULL;
	while (*s == ' ' || *s == '\t' || *s == '\n')
		s++;
	e = strchr(s, '\n');
	n = e ? (size_t)(e - s) : strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n == 0)
		return NULL;
	if (n <= TITLE_MAX)
		return xstrndup(s, n);
	/* cut at the last space before the limit, else on a character
	 * boundary */
	cut = TITLE_MAX;
	while (cut > TITLE_MAX / 2 && s[cut] != ' ')
		cut--;
	if (s[cut] != ' ') {
		cut = TITLE_MAX;
		while (cut > 0 && ((unsigned char)s[cut] & 0xc0) == 0x80)
			cut--;
	}
	while (cut > 0 && (s[cut - 1] == ' ' || s[cut - 1] == ',' ||
			   s[cut - 1] == ';' || s[cut - 1] == ':'))
		cut--;
	return xasprintf("%.*s\xe2\x80\xa6", (int)cut, s);
}

char *
report_default_title(const struct post *p)
{
	struct text_doc doc;
	char *out = NULL;

	text_doc_init(&doc);
	if (text_from_post(p, &doc) == DL_OK)
		out = title_from_text(doc.text);
	text_doc_done(&doc);
	return out ? out : xstrdup("(untitled report)");
}

int
report_title_repeats_text(const char *title, const char *text)
{
	char *t = title_from_text(text);
	int same = t != NULL && title != NULL && strcmp(t, title) == 0;

	free(t);
	return same || (title != NULL &&
			strcmp(title, "(untitled report)") == 0);
}

int
report_store(struct store *st, const char *path, const char *body,
	     size_t len, const char *title, const char *tags,
	     const char *format, char **id, int *existing)
{
	const char *name = strcmp(path, "-") == 0 ? "standard input" : path;
	struct post p;
	int rc;

	*id = NULL;
	*existing = 0;
	if (title != NULL && title[strspn(title, " \t\r\n")] == '\0')
		title = NULL;	/* as report_to_post() takes it */
	if (format == NULL && report_looks_json(body, len))
		return error_set("%s: starts like JSON posts, not like a report "
				 "(posts: import them without --report; a "
				 "report: add --format markdown or text)", name);
	post_init(&p);
	rc = report_to_post(path, body, len, title, tags, format, &p);
	/* blank as it would be stored: control bytes alone are no report */
	if (rc == DL_OK) {
		post_sanitize(&p);
		if (p.body[strspn(p.body, " \t\n\r")] == '\0')
			rc = error_set("%s: the report is empty", name);
	}
	if (rc == DL_OK && p.title[0] == '\0') {
		free(p.title);
		p.title = report_default_title(&p);
	}
	if (rc == DL_OK)
		rc = store_post_put_report(st, &p,
					   (title ? 0 : STORE_REPORT_KEEP_TITLE) |
					   (tags ? 0 : STORE_REPORT_KEEP_TAGS),
					   existing);
	if (rc == DL_OK)
		*id = xstrdup(p.id);
	post_done(&p);
	return rc;
}
