/*
 * report.h - a bug report pasted by the user (Markdown, plain text or a
 * saved web page, from a file or standard input) as a post: what
 * `analyze --file` reads without storing and `import --report` stores as
 * manual:N.
 */
#ifndef DLREPRO_REPORT_H
#define DLREPRO_REPORT_H

#include <stddef.h>
#include <stdio.h>

#include "dlrepro/post.h"
#include "dlrepro/util.h"

/*
 * The whole of the file at path, or of standard input ("-"), appended to
 * sb; DL_ERR with the error set.  Reading stops after a chunk holding a
 * NUL byte (the caller refuses it: a binary, /dev/zero) and fails past
 * REPORT_MAX bytes, so an endless input neither hangs nor eats memory.
 */
#define REPORT_MAX (64u << 20)
int report_read_all(const char *path, struct strbuf *sb);

/*
 * Does the text start like posts in JSON?  '{' (an object, JSON Lines),
 * or '[' opening an array of objects ("[{" or "[]", blanks between): a
 * Markdown report may well start with a link, "[Colab](https://...)".
 */
int report_looks_json(const char *s, size_t n);
/* The same for the start of an open file (which it reads from). */
int report_file_looks_json(FILE *f);

/*
 * Fill p (post_init'ed by the caller) with the report body[0, len) read
 * from path ("-": standard input): source manual, id "file:PATH" or
 * "stdin", format from format (markdown, text, html) or else from the
 * name (.html/.htm) or else Markdown, title from title or else the
 * report's first-line Markdown heading (else empty), tags from the
 * comma- or space-separated list tags.  DL_ERR for an unknown format,
 * or a body holding NUL bytes (a binary or UTF-16 file).
 */
int report_to_post(const char *path, const char *body, size_t len,
		   const char *title, const char *tags, const char *format,
		   struct post *p);

/*
 * A title for a report that has none: the first line of its text, cut
 * on a word at about 100 bytes ("…" marks the cut); "(untitled report)"
 * for an empty one.  Returns a new string.
 */
char *report_default_title(const struct post *p);

/*
 * Is title what report_default_title() makes of a report whose plain
 * text is text?  Such a title only repeats the text, so the analysis
 * does not count it twice.
 */
int report_title_repeats_text(const char *title, const char *text);

struct store;

/*
 * Store the report body[0, len) read from path ("-": standard input) as
 * manual:N (see store_post_put_report(); title, tags and format as for
 * report_to_post()).  Refused when blank once sanitised (control bytes
 * alone), when it holds NUL bytes, or when it holds JSON posts and no
 * format is given; a report without a title gets
 * report_default_title().  On success *id is the id it is stored under
 * (a new string) and *existing whether the same report was there.
 */
int report_store(struct store *st, const char *path, const char *body,
		 size_t len, const char *title, const char *tags,
		 const char *format, char **id, int *existing);

#endif
