/*
 * csv.c owns CSV output for the exports: minimal quoting (as Python's csv
 * module and the replication package do), so the files read back the same
 * in pandas, R and a spreadsheet.
 */
#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dlrepro/csv.h"
#include "dlrepro/util.h"

void
csv_init(struct csv *c, FILE *out)
{
	c->out = out;
	c->col = 0;
	c->eol = "\n";
	c->terminal = isatty(fileno(out));
}

static void
put(struct csv *c, char ch)
{
	if (c->terminal && ((unsigned char)ch < 0x20 || ch == 0x7f) &&
	    ch != '\n' && ch != '\t')
		ch = '?';
	fputc(ch, c->out);
}

void
csv_field(struct csv *c, const char *s)
{
	if (c->col++)
		fputc(',', c->out);
	if (!s)
		return;
	if (strpbrk(s, ",\"\r\n") == NULL) {
		for (; *s; s++)
			put(c, *s);
		return;
	}
	fputc('"', c->out);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', c->out);
		put(c, *s);
	}
	fputc('"', c->out);
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
