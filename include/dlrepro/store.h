/*
 * store.h - the local SQLite database: the only module that includes
 * <sqlite3.h>.  Every write path is one transaction; every statement is
 * prepared.  The schema is created and upgraded by numbered migrations
 * tracked in PRAGMA user_version.
 *
 * Areas keep their queries in their own store_*.c file (store_post.c,
 * store_analysis.c, store_session.c, store_api.c) but share this handle.
 */
#ifndef DLREPRO_STORE_H
#define DLREPRO_STORE_H

#include <stdint.h>

#include "dlrepro/post.h"

struct store;

/*
 * Open (creating when missing) the database at path, apply migrations.
 * A database whose user_version is newer than this program knows is
 * refused, never altered.  Returns NULL with the error set.
 */
struct store *store_open(const char *path);
/* Open read-only; never creates or migrates (fails on an old schema). */
struct store *store_open_readonly(const char *path);
void store_close(struct store *st);	/* NULL is fine */
const char *store_path(const struct store *st);
int store_schema_version(const struct store *st);
int store_latest_version(void);

/* Transactions (BEGIN IMMEDIATE). Nested calls are counted. */
int store_begin(struct store *st);
/*
 * A transaction for derived data (analysis results) that can be computed
 * again: committed without waiting for the disk (synchronous=NORMAL in WAL
 * mode still survives a killed process, only not a power cut).  Inside an
 * ordinary transaction it is simply nested.  Ends with store_commit() or
 * store_rollback(); the connection is back to full durability afterwards.
 */
int store_begin_derived(struct store *st);
/* 1 when commits wait for the disk (PRAGMA synchronous = FULL). */
int store_durable(struct store *st);
int store_commit(struct store *st);
void store_rollback(struct store *st);

/*
 * Default database path: $DLREPRO_DB, else under $XDG_DATA_HOME (or
 * ~/.local/share), whose dlrepro folder it creates (0700); caller frees.
 * store_default_path_peek() gives the same path and creates nothing, for
 * commands that only report it.
 */
char *store_default_path(void);
char *store_default_path_peek(void);

/* ---- posts (store_post.c) ---- */

/*
 * Insert or update by id; keeps triage state and analyses.  Every post
 * comes in here, from whatever source, so this is where its text is
 * sanitised (post_sanitize(), in place: the caller keeps what was stored).
 */
int store_post_put(struct store *st, struct post *p);
/*
 * Store a pasted report (source manual) as manual:N, N a number made from
 * its format and body, so that the same report has the same id on every
 * machine (the next free number when another report has it; a
 * placeholder post of an imported session is taken over).  The same
 * report stored before keeps its id and is updated instead, and
 * *existing is set to 1: its triage state, sessions and corrections stay,
 * and so do its title and tags where keep says the caller's are only
 * defaults (a title made from the text, no tags given).  p->id and
 * p->external_id (and what keep kept) are replaced by what was stored.
 */
#define STORE_REPORT_KEEP_TITLE 1u
#define STORE_REPORT_KEEP_TAGS 2u
int store_post_put_report(struct store *st, struct post *p, unsigned keep,
			  int *existing);
/* DL_OK and p filled, DL_NOTFOUND, or DL_ERR. */
int store_post_get(struct store *st, const char *id, struct post *p);
int store_post_exists(struct store *st, const char *id);	/* 1, 0, DL_ERR */
/* Remove; DL_NOTFOUND when absent. Sessions block unless force. */
int store_post_delete(struct store *st, const char *id, int force);
int64_t store_post_count(struct store *st);	/* -1 on error */
/* The longest post id stored (0 when none), or -1 on error. */
int store_post_id_width(struct store *st);
/* Unix seconds of the last fetch of id, 0 if not stored, -1 on error. */
int64_t store_post_fetched_at(struct store *st, const char *id);
/* Plain text for FTS and the dashboard, set by analysis. */
int store_post_set_text(struct store *st, const char *id, const char *text);

enum store_triage {
	TRIAGE_NEW,
	TRIAGE_NEEDS_INFO,
	TRIAGE_IN_PROGRESS,
	TRIAGE_REPRODUCED,
	TRIAGE_NOT_REPRODUCIBLE,
	TRIAGE_IGNORED,
	TRIAGE__COUNT
};
const char *store_triage_name(enum store_triage t);
int store_triage_from_name(const char *name, enum store_triage *out);
int store_post_set_triage(struct store *st, const char *id,
			  enum store_triage t);

/* One row of a listing: enough for the post list, not the body. */
struct post_row {
	char *id;
	char *title;
	struct strvec tags;
	int64_t score;
	int64_t created_at;
	enum store_triage triage;
	char *type;		/* effective type (correction wins) or NULL */
	int type_corrected;
	int info_mask;		/* effective present categories, bit per cat */
	int info_known;		/* 0 when not analysed (by this engine) */
	int corrected_mask;	/* categories whose mark is a user correction */
	int session_count;
};

void post_row_done(struct post_row *r);

enum post_sort {
	POST_SORT_ID,		/* canonical id order (default) */
	POST_SORT_SCORE,
	POST_SORT_CREATED,
	POST_SORT_TITLE,
};

struct post_query {
	const char *fts;	/* FTS5 query over title, text and tags, or NULL */
	const char *type;	/* effective type id, or NULL */
	int missing_cat;	/* category index that must be missing, or -1 */
	int triage;		/* enum store_triage or -1 */
	int has_session;	/* 1, 0, or -1 for any */
	const char *outcome;	/* posts with a session of this outcome, or NULL */
	enum post_sort sort;
	int descending;
	int64_t offset;
	int64_t limit;		/* <= 0: no limit */
	/*
	 * The current engine version, or NULL: with it a row's info_known
	 * says whether its stored analysis is current, without it whether
	 * there is one (or a correction).
	 */
	const char *engine_version;
};

void post_query_init(struct post_query *q);

/*
 * Call fn for each matching row in order; stop early when fn returns
 * non-zero.  Rows are borrowed for the duration of the call.
 */
int store_post_list(struct store *st, const struct post_query *q,
		    int (*fn)(const struct post_row *row, void *arg),
		    void *arg);
/* Every post id in canonical order, appended to ids. */
int store_post_list_ids(struct store *st, struct strvec *ids);
int64_t store_post_list_count(struct store *st, const struct post_query *q);
/*
 * The index (from 0) of id among the rows store_post_list() gives for q
 * (offset and limit aside); -2 when it is not among them, -1 on error.
 */
int64_t store_post_list_position(struct store *st, const struct post_query *q,
				 const char *id);
/*
 * Text as an FTS5 query of its words, each quoted, so that no character
 * is query syntax ("tf.keras", "cuda:0"), except AND, OR and NOT between
 * two words, which stay operators; NULL when it has no word.  Caller
 * frees.
 */
char *store_fts_quote(const char *s);
/*
 * Whether fts is a valid FTS5 query: DL_OK, DL_NOTFOUND when it is not
 * (the message says why), DL_ERR when the store fails.  Reads at most
 * one match.
 */
int store_fts_check(struct store *st, const char *fts);

/* ---- analyses and corrections (store_analysis.c) ---- */

/* Engine version and result JSON of the stored analysis; DL_NOTFOUND. */
int store_analysis_get(struct store *st, const char *id, char **version,
		       char **json);
int store_analysis_put(struct store *st, const char *id, const char *version,
		       const char *type, double confidence, const char *method,
		       int info_mask, const char *json);
/*
 * Ids of posts with an analysis from another engine version, and (unless
 * outdated_only) of posts with none.
 */
int store_analysis_stale(struct store *st, const char *version,
			 int outdated_only, struct strvec *ids);

/* The user's corrections; type NULL when not set.  DL_NOTFOUND if none. */
int store_corrections_get(struct store *st, const char *id, char **type,
			  int *present_mask, int *missing_mask);
/* type NULL clears the type correction. */
int store_corrections_set_type(struct store *st, const char *id,
			       const char *type);
/* mark: 1 present, 0 missing, -1 back to the engine's verdict. */
int store_corrections_set_cat(struct store *st, const char *id, int cat,
			      int mark);
int store_corrections_clear(struct store *st, const char *id);

/* data_version changes when another connection commits (dashboard poll). */
int64_t store_data_version(struct store *st);

#endif
