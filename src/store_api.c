/*
 * store_api.c - queries of the fetch area: api_state (quota and backoff
 * per base URL and method) and answers.  Prepared statements only.
 */
#include <stdlib.h>
#include <string.h>

#include "dlrepro/store_api.h"
#include "dlrepro/text.h"
#include "dlrepro/util.h"
#include "store_internal.h"

static void
state_reset(struct api_state *s)
{
	s->not_before = 0;
	s->quota_max = -1;
	s->quota_remaining = -1;
	s->updated_at = 0;
}

static void
state_read(sqlite3_stmt *s, int col, struct api_state *out)
{
	out->not_before = sqlite3_column_double(s, col);
	out->quota_max = sqlite3_column_type(s, col + 1) == SQLITE_NULL ? -1 :
			 sqlite3_column_int64(s, col + 1);
	out->quota_remaining = sqlite3_column_type(s, col + 2) == SQLITE_NULL ?
			       -1 : sqlite3_column_int64(s, col + 2);
	out->updated_at = sqlite3_column_double(s, col + 3);
}

int
store_api_get(struct store *st, const char *base, const char *method,
	      struct api_state *out)
{
	sqlite3_stmt *s;
	int rc;

	state_reset(out);
	s = store_prepare(st, "SELECT not_before, quota_max, quota_remaining,"
			  " updated_at FROM api_state"
			  " WHERE base_url = ?1 AND method = ?2");
	if (!s)
		return DL_ERR;
	store_bind_text(s, 1, base);
	store_bind_text(s, 2, method);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		state_read(s, 0, out);
	store_finalize(st, s);
	if (rc == SQLITE_ROW)
		return DL_OK;
	if (rc == SQLITE_DONE)
		return DL_NOTFOUND;
	return store_fail(st, "api_state");
}

static int
run(struct store *st, sqlite3_stmt *s)
{
	int rc = sqlite3_step(s);

	store_finalize(st, s);
	if (rc != SQLITE_DONE)
		return store_fail(st, "api_state");
	return DL_OK;
}

int
store_api_set_not_before(struct store *st, const char *base,
			 const char *method, double not_before)
{
	sqlite3_stmt *s = store_prepare(st,
		"INSERT INTO api_state (base_url, method, not_before,"
		" updated_at) VALUES (?1, ?2, ?3, ?4)"
		" ON CONFLICT(base_url, method) DO UPDATE SET"
		"  not_before = ?3, updated_at = ?4");

	if (!s)
		return DL_ERR;
	store_bind_text(s, 1, base);
	store_bind_text(s, 2, method);
	sqlite3_bind_double(s, 3, not_before);
	sqlite3_bind_double(s, 4, now_wall());
	return run(st, s);
}

int
store_api_set_quota(struct store *st, const char *base, int64_t max,
		    int64_t remaining)
{
	sqlite3_stmt *s = store_prepare(st,
		"INSERT INTO api_state (base_url, method, quota_max,"
		" quota_remaining, updated_at) VALUES (?1, '*', ?2, ?3, ?4)"
		" ON CONFLICT(base_url, method) DO UPDATE SET"
		"  quota_max = ?2, quota_remaining = ?3, updated_at = ?4");

	if (!s)
		return DL_ERR;
	store_bind_text(s, 1, base);
	if (max >= 0)
		sqlite3_bind_int64(s, 2, max);
	else
		sqlite3_bind_null(s, 2);
	if (remaining >= 0)
		sqlite3_bind_int64(s, 3, remaining);
	else
		sqlite3_bind_null(s, 3);
	sqlite3_bind_double(s, 4, now_wall());
	return run(st, s);
}

int
store_api_list(struct store *st,
	       int (*fn)(const char *base, const char *method,
			 const struct api_state *s, void *arg),
	       void *arg)
{
	sqlite3_stmt *s;
	struct api_state as;
	int rc;

	s = store_prepare(st, "SELECT base_url, method, not_before, quota_max,"
			  " quota_remaining, updated_at FROM api_state"
			  " ORDER BY base_url, method");
	if (!s)
		return DL_ERR;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		char *base = store_column_dup(s, 0);
		char *method = store_column_dup(s, 1);
		int stop;

		state_read(s, 2, &as);
		stop = fn(base ? base : "", method ? method : "", &as, arg);
		free(base);
		free(method);
		if (stop) {
			rc = SQLITE_DONE;
			break;
		}
	}
	store_finalize(st, s);
	if (rc != SQLITE_DONE)
		return store_fail(st, "api_state");
	return DL_OK;
}

int
store_answer_put(struct store *st, const char *post_id, int64_t answer_id,
		 const char *body, int64_t score, int is_accepted,
		 int64_t created_at, const char *raw_json)
{
	sqlite3_stmt *s = store_prepare(st,
		"INSERT INTO answers (post_id, answer_id, body, score,"
		" is_accepted, created_at, fetched_at, raw_json)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
		" ON CONFLICT(post_id, answer_id) DO UPDATE SET body = ?3,"
		"  score = ?4, is_accepted = ?5, created_at = ?6,"
		"  fetched_at = ?7, raw_json = ?8");
	/* stored sanitised, like a post's body (post_sanitize()) */
	char *clean = text_sanitize(body ? body : "", body ? strlen(body) : 0);
	int rc;

	if (!s) {
		free(clean);
		return DL_ERR;
	}
	store_bind_text(s, 1, post_id);
	sqlite3_bind_int64(s, 2, answer_id);
	store_bind_text(s, 3, clean);
	sqlite3_bind_int64(s, 4, score);
	sqlite3_bind_int(s, 5, is_accepted ? 1 : 0);
	sqlite3_bind_int64(s, 6, created_at);
	sqlite3_bind_int64(s, 7, (int64_t)now_wall());
	store_bind_text(s, 8, raw_json);
	rc = sqlite3_step(s);
	store_finalize(st, s);
	free(clean);
	if (rc != SQLITE_DONE)
		return store_fail(st, post_id);
	return DL_OK;
}

int
store_answer_get_accepted(struct store *st, const char *post_id, char **body)
{
	sqlite3_stmt *s = store_prepare(st,
		"SELECT body FROM answers WHERE post_id = ?1"
		" ORDER BY is_accepted DESC, score DESC LIMIT 1");
	int rc;

	*body = NULL;
	if (!s)
		return DL_ERR;
	store_bind_text(s, 1, post_id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*body = store_column_dup(s, 0);
	store_finalize(st, s);
	if (rc == SQLITE_ROW)
		return DL_OK;
	if (rc == SQLITE_DONE)
		return DL_NOTFOUND;
	return store_fail(st, post_id);
}

int64_t
store_answer_count(struct store *st)
{
	sqlite3_stmt *s = store_prepare(st, "SELECT count(*) FROM answers");
	int64_t n = -1;

	if (!s)
		return -1;
	if (sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int64(s, 0);
	store_finalize(st, s);
	return n;
}
