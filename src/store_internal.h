/*
 * store_internal.h - what the store_*.c files share and nothing else may
 * see: the handle's layout and statement helpers.
 */
#ifndef DLREPRO_STORE_INTERNAL_H
#define DLREPRO_STORE_INTERNAL_H

#include <sqlite3.h>

#include "dlrepro/store.h"

/*
 * Prepared statements kept for reuse, by SQL text: preparing one costs
 * more than running it (import and analysis run the same few statements
 * for every post, and the posts table's full-text triggers are compiled
 * into each).
 */
#define STORE_CACHE_N 32

struct store_cached {
	char *sql;		/* NULL: free slot */
	sqlite3_stmt *s;
	int busy;		/* handed out, not yet given back */
	unsigned long used;	/* for eviction: last use */
};

struct store {
	sqlite3 *db;
	char *path;
	int depth;		/* nesting of store_begin() */
	int failed;		/* a nested level failed: roll back at the top */
	int version;		/* schema version after open */
	int relaxed;		/* outermost transaction is derived data */
	int immutable;		/* read as immutable: a snapshot, no locks */
	int moved;		/* the file was deleted or replaced: no commit */
	struct store_cached cache[STORE_CACHE_N];
	unsigned long uses;
};

/* Set the error slot from the connection: "<path>: <what>: <sqlite msg>". */
int store_fail(struct store *st, const char *what);

/*
 * Prepare sql or set the error; NULL on failure.  The statement may come
 * from the handle's cache: give it back with store_finalize(), never
 * sqlite3_finalize().  One still handed out is never handed out again
 * (a statement run inside another's loop gets its own).
 */
sqlite3_stmt *store_prepare(struct store *st, const char *sql);
/* Give back a statement of store_prepare(): reset and kept, or freed. */
void store_finalize(struct store *st, sqlite3_stmt *s);

/* Bind a string that may be NULL (binds NULL then). */
int store_bind_text(sqlite3_stmt *s, int idx, const char *v);

/* Copy a column that may be NULL; caller frees. */
char *store_column_dup(sqlite3_stmt *s, int col);

/*
 * The integer in the first column of the one row sql (no bindings) gives
 * ("PRAGMA user_version", "SELECT max(...)"); DL_ERR, the error naming
 * what, when there is no row.
 */
int store_query_int(struct store *st, const char *sql, const char *what,
		    int *out);

/* Run one statement without results (prepared, no bindings). */
int store_exec(struct store *st, const char *sql);

#endif
