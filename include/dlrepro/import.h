/*
 * import.h - reading posts from files: a Stack Exchange API response (a
 * wrapper with "items"), a single question object, a JSON array of
 * questions, or JSON Lines of any of these (read line by line, so a file of
 * a million posts imports in bounded memory).
 */
#ifndef DLREPRO_IMPORT_H
#define DLREPRO_IMPORT_H

#include <stddef.h>
#include <stdio.h>

#include "dlrepro/post.h"

/*
 * Call fn for every question in the file at path ("-" is standard input).
 * site is NULL for Stack Overflow.  Stops at the first malformed record and
 * returns DL_ERR with a message naming the file, the line and the problem;
 * also DL_ERR when fn returns DL_ERR (its message is kept).  An empty file
 * is an error.  *count receives the number of posts handed to fn.
 */
int import_read(const char *path, const char *site,
		int (*fn)(struct post *p, void *arg), void *arg,
		size_t *count);

/* The same from an open stream, named path in messages; f stays open. */
int import_read_stream(FILE *f, const char *path, const char *site,
		       int (*fn)(struct post *p, void *arg), void *arg,
		       size_t *count);

#endif
