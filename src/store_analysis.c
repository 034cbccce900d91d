/*
 * store_analysis.c - the engine's stored verdicts (with the engine version
 * that produced them) and the user's corrections, kept in separate tables
 * so that re-analysis never overwrites what the user said.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dlrepro/store.h"
#include "dlrepro/util.h"
#include "store_internal.h"

int
store_analysis_get(struct store *st, const char *id, char **version,
		   char **json)
{
	sqlite3_stmt *s = store_prepare(st,
		"SELECT engine_version, result_json FROM analyses"
		" WHERE post_id = ?1");
	int rc;

	if (s == NULL)
		return DL_ERR;
	store_bind_text(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		if (version != NULL)
			*version = store_column_dup(s, 0);
		if (json != NULL)
			*json = store_column_dup(s, 1);
		rc = DL_OK;
	} else if (rc == SQLITE_DONE) {
		rc = DL_NOTFOUND;
	} else {
		rc = store_fail(st, id);
	}
	store_finalize(st, s);
	return rc;
}

int
store_analysis_put(struct store *st, const char *id, const char *version,
		   const char *type, double confidence, const char *method,
		   int info_mask, const char *json)
{
	sqlite3_stmt *s = store_prepare(st,
		"INSERT INTO analyses (post_id, engine_version, analysed_at,"
		" type, confidence, method, info_mask, result_json)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
		" ON CONFLICT(post_id) DO UPDATE SET engine_version = ?2,"
		" analysed_at = ?3, type = ?4, confidence = ?5, method = ?6,"
		" info_mask = ?7, result_json = ?8");
	int rc;

	if (s == NULL)
		return DL_ERR;
	store_bind_text(s, 1, id);
	store_bind_text(s, 2, version);
	sqlite3_bind_int64(s, 3, (sqlite3_int64)time(NULL));
	store_bind_text(s, 4, type);
	sqlite3_bind_double(s, 5, confidence);
	store_bind_text(s, 6, method);
	sqlite3_bind_int(s, 7, info_mask);
	store_bind_text(s, 8, json);
	rc = sqlite3_step(s);
	store_finalize(st, s);
	return rc == SQLITE_DONE ? DL_OK : store_fail(st, id);
}

int
store_analysis_stale(struct store *st, const char *version,
		     int outdated_only, struct strvec *ids)
{
	/*
	 * Two index-only halves, so that the common case (nothing stale)
	 * costs a lookup and an index scan, not a read of every post:
	 * posts without a verdict (an index of posts holds id and rowid),
	 * and verdicts of another engine (analyses_by_engine; a range on
	 * each side of the version, as IS NOT would scan it all).
	 */
	sqlite3_stmt *s = store_prepare(st,
		"SELECT id FROM ("
		" SELECT p.rowid AS r, p.id AS id FROM posts p"
		"  WHERE NOT ?2 AND NOT EXISTS"
		"  (SELECT 1 FROM analyses a WHERE a.post_id = p.id)"
		" UNION ALL"
		" SELECT p.rowid, p.id FROM analyses a"
		"  JOIN posts p ON p.id = a.post_id"
		"  WHERE a.engine_version < ?1 OR a.engine_version > ?1"
		") ORDER BY r");
	int rc;

	if (s == NULL)
		return DL_ERR;
	store_bind_text(s, 1, version);
	sqlite3_bind_int(s, 2, outdated_only != 0);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		sv_push(ids, (const char *)sqlite3_column_text(s, 0));
	store_finalize(st, s);
	return rc == SQLITE_DONE ? DL_OK : store_fail(st, "analyses");
}

int
store_corrections_get(struct store *st, const char *id, char **type,
		      int *present_mask, int *missing_mask)
{
	sqlite3_stmt *s = store_prepare(st,
		"SELECT type, present_mask, missing_mask FROM corrections"
		" WHERE post_id = ?1");
	int rc;

	*type = NULL;
	*present_mask = *missing_mask = 0;
	if (s == NULL)
		return DL_ERR;
	store_bind_text(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*type = store_column_dup(s, 0);
		*present_mask = sqlite3_column_int(s, 1);
		*missing_mask = sqlite3_column_int(s, 2);
		rc = DL_OK;
	} else if (rc == SQLITE_DONE) {
		rc = DL_NOTFOUND;
	} else {
		rc = store_fail(st, id);
	}
	store_finalize(st, s);
	return rc;
}

static int
post_must_exist(struct store *st, const char *id)
{
	int e = store_post_exists(st, id);

	if (e == 0)
		return error_set("%s: no such post in the database", id);
	return e == 1 ? DL_OK : DL_ERR;
}

/* Write the whole row; one transaction with the existence check. */
static int
put_corrections(struct store *st, const char *id, const char *type,
		int present, int missing)
{
	sqlite3_stmt *s;
	int rc;

	if (store_begin(st) != DL_OK)
		return DL_ERR;
	if (post_must_exist(st, id) != DL_OK) {
		store_rollback(st);
		return DL_ERR;
	}
	if (type == NULL && present == 0 && missing == 0)
		s = store_prepare(st,
			"DELETE FROM corrections WHERE post_id = ?1");
	else
		s = store_prepare(st,
			"INSERT INTO corrections (post_id, type, present_mask,"
			" missing_mask, updated_at) VALUES (?1,?2,?3,?4,?5)"
			" ON CONFLICT(post_id) DO UPDATE SET type = ?2,"
			" present_mask = ?3, missing_mask = ?4,"
			" updated_at = ?5");
	if (s == NULL) {
		store_rollback(st);
		return DL_ERR;
	}
	store_bind_text(s, 1, id);
	if (sqlite3_bind_parameter_count(s) > 1) {
		store_bind_text(s, 2, type);
		sqlite3_bind_int(s, 3, present);
		sqlite3_bind_int(s, 4, missing);
		sqlite3_bind_int64(s, 5, (sqlite3_int64)time(NULL));
	}
	rc = sqlite3_step(s);
	store_finalize(st, s);
	if (rc != SQLITE_DONE) {
		store_fail(st, id);
		store_rollback(st);
		return DL_ERR;
	}
	return store_commit(st);
}

int
store_corrections_set_type(struct store *st, const char *id,
			   const char *type)
{
	char *old = NULL;
	int present, missing;

	/* Read and write in one transaction: the other marks survive. */
	if (store_begin(st) != DL_OK)
		return DL_ERR;
	if (store_corrections_get(st, id, &old, &present, &missing) == DL_ERR ||
	    put_corrections(st, id, type, present, missing) != DL_OK) {
		free(old);
		store_rollback(st);
		return DL_ERR;
	}
	free(old);
	return store_commit(st);
}

int
store_corrections_set_cat(struct store *st, const char *id, int cat,
			  int mark)
{
	char *type = NULL;
	int present, missing, bit = 1 << cat;

	if (store_begin(st) != DL_OK)
		return DL_ERR;
	if (store_corrections_get(st, id, &type, &present, &missing) ==
	    DL_ERR) {
		store_rollback(st);
		return DL_ERR;
	}
	present &= ~bit;
	missing &= ~bit;
	if (mark == 1)
		present |= bit;
	else if (mark == 0)
		missing |= bit;
	if (put_corrections(st, id, type, present, missing) != DL_OK) {
		free(type);
		store_rollback(st);
		return DL_ERR;
	}
	free(type);
	return store_commit(st);
}

int
store_corrections_clear(struct store *st, const char *id)
{
	return put_corrections(st, id, NULL, 0, 0);
}
