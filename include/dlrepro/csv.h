/*
 * csv.h - writing RFC 4180 CSV the way pandas, R and Python's csv module
 * read it: comma separated, a field quoted only when it holds a comma, a
 * quote or a line break, quotes doubled inside.
 */
#ifndef DLREPRO_CSV_H
#define DLREPRO_CSV_H

#include <stdio.h>

struct csv {
	FILE *out;
	int col;		/* fields written on the current row */
	const char *eol;	/* "\n" */
};

void csv_init(struct csv *c, FILE *out);
/*
 * One field, through text_sanitize() (valid UTF-8, no control byte but
 * '\n' and '\t', no escape sequence); NULL writes an empty field.
 */
void csv_field(struct csv *c, const char *s);
void csv_fieldf(struct csv *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void csv_end_row(struct csv *c);
/* A header row from a NULL-terminated list. */
void csv_row(struct csv *c, const char *const *fields);

#endif
