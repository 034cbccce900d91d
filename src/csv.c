/*
 * csv.c owns CSV output for the exports: minimal quoting (as Python's csv
 * module and the replication package do), so the files read back the same
 * in pandas, R and a spreadsheet.
 */
#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "dlrepro/csv.h"
#include "dlrepro/text.h"
#include "dlrepro/util.h"

void
csv_init(struct csv *c, FILE *out)
{
	c->out = out;
	c->col = 0;
	c->eol = "\n";
}

/*
 * Every field goes through the sanitiser: titles and notes are clean when
 * stored, but a database of an older version may hold them raw, and the
 * export may be going to a terminal.  Only '\n' and '\t' survive.
 */
void
csv_field(struct csv *c, const char *raw)
{
	char *clean, *s;

	if (c->col++)
		fputc(',', c->out);
	if (!raw)
		return;
	clean = text_sanitize(raw, strlen(raw));
	if (strpbrk(clean, ",\"\n") == NULL) {
		fputs(clean, c->out);
		free(clean);
		return;
	}
	fputc('"', c->out);
	for (s = clean; *s; s++) {
		if (*s == '"')
			fputc('"', c->out);
		fputc(*s, c->out);
	}
	fputc('"', c->out);
	free(clean);
}

void
csv_fieldf(struct csv *c, const char *fmt, ...)
{
	struct strbuf sb;
	va_list ap;

	sb_init(&sb);
	va_start(ap, fmt);
	sb_vaddf(&sb, fmt, ap);
	va_end(ap);
	csv_field(c, sb.s);
	sb_done(&sb);
}

void
csv_end_row(struct csv *c)
{
	fputs(c->eol, c->out);
	c->col = 0;
}

void
csv_row(struct csv *c, const char *const *fields)
{
	for (; *fields; fields++)
		csv_field(c, *fields);
	csv_end_row(c);
}
