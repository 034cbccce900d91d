/*
 * store_internal.h - what the store_*.c files share and nothing else may
 * see: the handle's layout and statement helpers.
 */
#ifndef DLREPRO_STORE_INTERNAL_H
#define DLREPRO_STORE_INTERNAL_H

#include <sqlite3.h>

#include "dlrepro/store.h"

struct store {
	sqlite3 *db;
	char *path;
	int depth;		/* nesting of store_begin() */
	int failed;		/* a nested level failed: roll back at the top */
	int version;		/* schema version after open */
	int relaxed;		/* outermost transaction is derived data */
	int immutable;		/* read as immutable: a snapshot, no locks */
};

/* Set the error slot from the connection: "<path>: <what>: <sqlite msg>". */
int store_fail(struct store *st, const char *what);

/* Prepare sql or set the error; NULL on failure. */
sqlite3_stmt *store_prepare(struct store *st, const char *sql);

/* Bind a string that may be NULL (binds NULL then). */
int store_bind_text(sqlite3_stmt *s, int idx, const char *v);

/* Copy a column that may be NULL; caller frees. */
char *store_column_dup(sqlite3_stmt *s, int col);

/* Run one statement without results (prepared, no bindings). */
int store_exec(struct store *st, const char *sql);

#endif
