/*
 * store_session.c owns the queries over sessions and session_events.  The
 * event log is the truth; the sessions row is a summary of it (state,
 * outcome, active time, information categories) refreshed in the same
 * transaction as every event, so listings and statistics need no replay.
 *
 * DLREPRO_TEST_TXN_DELAY_MS (tests only) sleeps inside the transaction,
 * after the writes and before COMMIT, so the durability test can kill the
 * process at the worst moment.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dlrepro/store.h"
#include "dlrepro/store_session.h"
#include "dlrepro/util.h"
#include "store_internal.h"

static void
test_delay(void)
{
	const char *v = getenv("DLREPRO_TEST_TXN_DELAY_MS");
	long ms;
	struct timespec ts;

	if (!v || !*v || (ms = strtol(v, NULL, 10)) <= 0)
		return;
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	while (nanosleep(&ts, &ts) != 0)
		;
}

static int
info_mask(const struct session *s, int want)
{
	int c, m = 0;

	for (c = 0; c < SESSION_NCAT; c++)
		if (s->info[c] == want)
			m |= 1 << c;
	return m;
}

static void
bind_opt_text(sqlite3_stmt *q, int idx, const char *v)
{
	store_bind_text(q, idx, v && *v ? v : NULL);
}

static double
summary_active(const struct session *s)
{
	double t = s->nevents ? s->events[s->nevents - 1].at : 0;

	return session_active_at(s, t);
}

/* Refresh the summary columns from the replayed struct. */
static int
update_summary(struct store *st, const struct session *s)
{
	static const char sql[] =
	    "UPDATE sessions SET state = ?1, stopped_at = ?2,"
	    " outcome = ?3, reason = ?4, notes = ?5, architecture = ?6,"
	    " framework = ?7, effort = ?8, modification = ?9,"
	    " info_present = ?10, info_missing = ?11, info_source = ?12,"
	    " active_seconds = ?13, ticks = ?14,"
	    " bug_type = COALESCE(?16, bug_type),"
	    " heartbeat_at = CASE WHEN ?1 = 'running' THEN heartbeat_at END"
	    " WHERE id = ?15";
	static const char *const src[] = { NULL, "analysis", "user" };
	struct strbuf ticks;
	sqlite3_stmt *q;
	size_t i;
	int rc;

	if (!(q = store_prepare(st, sql)))
		return DL_ERR;
	sb_init(&ticks);
	for (i = 0; i < s->nticks; i++)
		sb_addf(&ticks, "%s%s", i ? " " : "", s->ticks[i].action);
	store_bind_text(q, 1, session_state_id(s->state));
	if (s->ended >= 0)
		sqlite3_bind_double(q, 2, s->ended);
	bind_opt_text(q, 3, session_result_id(s->outcome.result));
	bind_opt_text(q, 4, session_reason_id(s->outcome.reason));
	bind_opt_text(q, 5, s->outcome.notes);
	bind_opt_text(q, 6, s->outcome.architecture);
	bind_opt_text(q, 7, s->outcome.framework);
	bind_opt_text(q, 8, session_effort_id(s->outcome.effort));
	bind_opt_text(q, 9, session_mod_id(s->outcome.modification));
	sqlite3_bind_int(q, 10, info_mask(s, 1));
	sqlite3_bind_int(q, 11, info_mask(s, 0));
	store_bind_text(q, 12, src[s->info_source]);
	sqlite3_bind_double(q, 13, summary_active(s));
	store_bind_text(q, 14, ticks.s);
	sqlite3_bind_int64(q, 15, s->id);
	store_bind_text(q, 16, s->type);
	rc = sqlite3_step(q);
	store_finalize(st, q);
	sb_done(&ticks);
	if (rc != SQLITE_DONE)
		return store_fail(st, "cannot update session");
	return DL_OK;
}

static int
insert_event(struct store *st, long long id, const struct session_event *e)
{
	static const char sql[] =
	    "INSERT INTO session_events (session_id, seq, kind, at,"
	    " active_seconds, action, data) VALUES (?,?,?,?,?,?,?)";
	sqlite3_stmt *q;
	int rc;

	if (!(q = store_prepare(st, sql)))
		return DL_ERR;
	sqlite3_bind_int64(q, 1, id);
	sqlite3_bind_int(q, 2, e->seq);
	store_bind_text(q, 3, session_kind_id(e->kind));
	sqlite3_bind_double(q, 4, e->at);
	sqlite3_bind_double(q, 5, e->active);
	store_bind_text(q, 6, e->action);
	store_bind_text(q, 7, e->data);
	rc = sqlite3_step(q);
	store_finalize(st, q);
	if (rc != SQLITE_DONE)
		return store_fail(st, "cannot record session event");
	return DL_OK;
}

static int
open_session_id(struct store *st, long long *id)
{
	sqlite3_stmt *q = store_prepare(st,
	    "SELECT id FROM sessions WHERE open = 1");
	int rc;

	*id = 0;
	if (!q)
		return DL_ERR;
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(q, 0);
	store_finalize(st, q);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(st, "cannot look up the open session");
	return DL_OK;
}

int
store_session_insert(struct store *st, struct session *s)
{
	static const char sql[] =
	    "INSERT INTO sessions (uuid, post_id, state, started_at,"
	    " bug_type) VALUES (?1,?2,?3,?4, COALESCE(?5,"
	    " (SELECT COALESCE(c.type, a.type) FROM posts p"
	    "  LEFT JOIN corrections c ON c.post_id = p.id"
	    "  LEFT JOIN analyses a ON a.post_id = p.id WHERE p.id = ?2)))";
	sqlite3_stmt *q;
	long long open_id;
	size_t i;
	int rc;

	if (store_begin(st) != DL_OK)
		return DL_ERR;
	rc = store_post_exists(st, s->post);
	if (rc != 1) {
		store_rollback(st);
		return rc == 0 ? error_set("%s: post not in the store",
		    s->post) : DL_ERR;
	}
	if (s->state != SESSION_STOPPED) {
		if (open_session_id(st, &open_id) != DL_OK)
			goto fail;
		if (open_id) {
			store_rollback(st);
			return error_set("session %lld is still open (stop it "
			    "first)", open_id);
		}
	}
	if (!(q = store_prepare(st, sql)))
		goto fail;
	store_bind_text(q, 1, s->uuid);
	store_bind_text(q, 2, s->post);
	store_bind_text(q, 3, session_state_id(s->state));
	sqlite3_bind_double(q, 4, s->started);
	store_bind_text(q, 5, s->post_type);
	rc = sqlite3_step(q);
	store_finalize(st, q);
	if (rc != SQLITE_DONE) {
		store_fail(st, "cannot create session");
		goto fail;
	}
	s->id = sqlite3_last_insert_rowid(st->db);
	for (i = 0; i < s->nevents; i++)
		if (insert_event(st, s->id, &s->events[i]) != DL_OK)
			goto fail;
	if (update_summary(st, s) != DL_OK)
		goto fail;
	test_delay();
	if (store_commit(st) != DL_OK) {
		s->id = 0;
		return DL_ERR;
	}
	return DL_OK;
fail:
	store_rollback(st);
	s->id = 0;
	return DL_ERR;
}

int
store_session_append(struct store *st, struct session *s)
{
	if (!s->id || !s->nevents)
		return error_set("session not stored");
	if (store_begin(st) != DL_OK)
		return DL_ERR;
	if (insert_event(st, s->id, &s->events[s->nevents - 1]) != DL_OK ||
	    update_summary(st, s) != DL_OK) {
		store_rollback(st);
		return DL_ERR;
	}
	test_delay();
	return store_commit(st);
}

/*
 * An export can carry steps a session took after it was last merged here
 * (an adjust, a corrected category): the stored log is then a prefix of
 * the exported one and the rest is appended.
 */
int
store_session_extend(struct store *st, long long id, struct session *s,
		size_t from)
{
	size_t i;

	if (store_begin(st) != DL_OK)
		return DL_ERR;
	s->id = id;
	for (i = from; i < s->nevents; i++)
		if (insert_event(st, id, &s->events[i]) != DL_OK)
			goto fail;
	if (update_summary(st, s) != DL_OK)
		goto fail;
	return store_commit(st);
fail:
	store_rollback(st);
	return DL_ERR;
}

int
store_session_set_heartbeat(struct store *st, long long id, double at)
{
	sqlite3_stmt *q = store_prepare(st,
	    "UPDATE sessions SET heartbeat_at = ? WHERE id = ?");
	int rc;

	if (!q)
		return DL_ERR;
	if (at > 0)
		sqlite3_bind_double(q, 1, at);
	sqlite3_bind_int64(q, 2, id);
	rc = sqlite3_step(q);
	store_finalize(st, q);
	if (rc != SQLITE_DONE)
		return store_fail(st, "cannot record heartbeat");
	return DL_OK;
}

static const char select_cols[] =
    "SELECT s.id, s.uuid, s.post_id, s.heartbeat_at,"
    " COALESCE(s.bug_type, c.type, a.type), p.title"
    " FROM sessions s LEFT JOIN posts p ON p.id = s.post_id"
    " LEFT JOIN corrections c ON c.post_id = s.post_id"
    " LEFT JOIN analyses a ON a.post_id = s.post_id ";

static sqlite3_stmt *
prepare_events(struct store *st)
{
	return store_prepare(st,
	    "SELECT seq, kind, at, active_seconds, action, data"
	    " FROM session_events WHERE session_id = ? ORDER BY seq");
}

/*
 * ev: the statement of prepare_events() to reuse, or NULL for one of its
 * own.  Over a whole history, preparing it once per session was half of
 * the time (0.5 s for 30,000 sessions, in the dashboard's history too).
 */
static int
load_events(struct store *st, struct session *s, sqlite3_stmt *ev)
{
	sqlite3_stmt *q = ev ? ev : prepare_events(st);
	int rc;

	if (!q)
		return DL_ERR;
	sqlite3_bind_int64(q, 1, s->id);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		int kind = session_kind_from_id(
		    (const char *)sqlite3_column_text(q, 1));

		if (kind < 0)
			continue;	/* from a newer dlrepro: skip */
		session_push_event(s, sqlite3_column_int(q, 0), kind,
		    sqlite3_column_double(q, 2), sqlite3_column_double(q, 3),
		    (const char *)sqlite3_column_text(q, 4),
		    (const char *)sqlite3_column_text(q, 5));
	}
	if (rc != SQLITE_DONE)
		rc = store_fail(st, "cannot read session events");
	else
		rc = DL_OK;
	if (ev)
		sqlite3_reset(ev);
	else
		store_finalize(st, q);
	if (rc != DL_OK)
		return DL_ERR;
	session_replay(s);
	return DL_OK;
}

/* Fill s from a row of select_cols and its events. */
static int
load_row(struct store *st, sqlite3_stmt *q, struct session *s,
	 sqlite3_stmt *ev)
{
	const unsigned char *u;

	session_init(s);
	s->id = sqlite3_column_int64(q, 0);
	u = sqlite3_column_text(q, 1);
	snprintf(s->uuid, sizeof s->uuid, "%s", u ? (const char *)u : "");
	s->post = store_column_dup(q, 2);
	s->heartbeat = sqlite3_column_double(q, 3);
	s->post_type = store_column_dup(q, 4);
	s->post_title = store_column_dup(q, 5);
	return load_events(st, s, ev);
}

static int
load_one(struct store *st, const char *where, const char *text,
		long long num, struct session *s)
{
	char *sql = xasprintf("%s%s", select_cols, where);
	sqlite3_stmt *q = store_prepare(st, sql);
	int rc;

	free(sql);
	session_done(s);
	if (!q)
		return DL_ERR;
	if (text)
		store_bind_text(q, 1, text);
	else if (num)
		sqlite3_bind_int64(q, 1, num);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		rc = load_row(st, q, s, NULL);
		store_finalize(st, q);
		if (rc != DL_OK)
			session_done(s);
		return rc;
	}
	store_finalize(st, q);
	if (rc == SQLITE_DONE)
		return DL_NOTFOUND;
	return store_fail(st, "cannot read session");
}

int
store_session_load_open(struct store *st, struct session *s)
{
	return load_one(st, "WHERE s.open = 1", NULL, 0, s);
}

int
store_session_load_id(struct store *st, long long id, struct session *s)
{
	return load_one(st, "WHERE s.id = ?1", NULL, id, s);
}

int
store_session_load_uuid(struct store *st, const char *uuid,
		struct session *s)
{
	return load_one(st, "WHERE s.uuid = ?1", uuid, 0, s);
}

int
store_session_uuid_exists(struct store *st, const char *uuid)
{
	sqlite3_stmt *q = store_prepare(st,
	    "SELECT 1 FROM sessions WHERE uuid = ?");
	int rc;

	if (!q)
		return DL_ERR;
	store_bind_text(q, 1, uuid);
	rc = sqlite3_step(q);
	store_finalize(st, q);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return store_fail(st, "cannot look up session");
}

int
store_session_post_info(struct store *st, const char *post,
		signed char info[SESSION_NCAT])
{
	sqlite3_stmt *q = store_prepare(st,
	    "SELECT a.info_mask, c.present_mask, c.missing_mask"
	    " FROM posts p LEFT JOIN analyses a ON a.post_id = p.id"
	    " LEFT JOIN corrections c ON c.post_id = p.id WHERE p.id = ?");
	int rc, c, found = 0;

	memset(info, -1, SESSION_NCAT);
	if (!q)
		return DL_ERR;
	store_bind_text(q, 1, post);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		if (sqlite3_column_type(q, 0) != SQLITE_NULL) {
			int m = sqlite3_column_int(q, 0);

			for (c = 0; c < SESSION_NCAT; c++)
				info[c] = (signed char)((m >> c) & 1);
			found = 1;
		}
		if (sqlite3_column_type(q, 1) != SQLITE_NULL) {
			int pm = sqlite3_column_int(q, 1);
			int mm = sqlite3_column_int(q, 2);

			for (c = 0; c < SESSION_NCAT; c++) {
				if ((pm >> c) & 1)
					info[c] = 1;
				else if ((mm >> c) & 1)
					info[c] = 0;
			}
			found = 1;
		}
	}
	store_finalize(st, q);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(st, "cannot read analysis");
	return found ? DL_OK : DL_NOTFOUND;
}

void
session_filter_init(struct session_filter *f)
{
	memset(f, 0, sizeof *f);
	f->result = -1;
}

int
store_session_each(struct store *st, const struct session_filter *f,
		int (*fn)(struct session *s, void *arg), void *arg)
{
	struct strbuf sql;
	sqlite3_stmt *q, *ev;
	int rc, ret = DL_OK;

	sb_init(&sql);
	sb_adds(&sql, select_cols);
	sb_adds(&sql, "WHERE (?1 IS NULL OR COALESCE(s.bug_type, c.type,"
	    " a.type) = ?1) AND (?2 IS NULL OR s.outcome = ?2)"
	    " AND s.started_at >= ?3 AND (?4 = 0 OR s.state = 'stopped')"
	    " ORDER BY s.started_at, s.id");
	q = store_prepare(st, sql.s);
	sb_done(&sql);
	if (!q)
		return DL_ERR;
	store_bind_text(q, 1, f->type);
	if (f->result > 0)
		store_bind_text(q, 2, session_result_id(f->result));
	sqlite3_bind_double(q, 3, f->since);
	sqlite3_bind_int(q, 4, f->stopped_only);
	if (!(ev = prepare_events(st))) {
		store_finalize(st, q);
		return DL_ERR;
	}
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct session s;

		if (load_row(st, q, &s, ev) != DL_OK) {
			session_done(&s);
			store_finalize(st, ev);
			store_finalize(st, q);
			return DL_ERR;
		}
		ret = fn(&s, arg);
		session_done(&s);
		if (ret)
			break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		ret = store_fail(st, "cannot list sessions");
	store_finalize(st, ev);
	store_finalize(st, q);
	return ret;
}

int
store_session_post_times(struct store *st, const char *post,
		double *created, double *accepted)
{
	sqlite3_stmt *q = store_prepare(st,
	    "SELECT p.created_at, (SELECT MIN(a.created_at) FROM answers a"
	    "  WHERE a.post_id = p.id AND (a.is_accepted = 1 OR"
	    "  a.answer_id = p.accepted_answer_id))"
	    " FROM posts p WHERE p.id = ?");
	int rc;

	*created = *accepted = 0;
	if (!q)
		return DL_ERR;
	store_bind_text(q, 1, post);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		*created = sqlite3_column_double(q, 0);
		*accepted = sqlite3_column_double(q, 1);
	}
	store_finalize(st, q);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(st, "cannot read post times");
	return DL_OK;
}

int
store_session_placeholder_post(struct store *st, const char *post,
		const char *title)
{
	struct post p;
	char *site = NULL, *ext = NULL;
	enum post_source src;
	int rc;

	if (post_id_split(post, &src, &site, &ext) != DL_OK)
		return DL_ERR;
	post_init(&p);
	p.id = xstrdup(post);
	p.source = src;
	p.site = site;
	p.external_id = ext;
	free(p.title);
	p.title = xstrdup(title && *title ? title : "(post of an imported "
	    "session)");
	rc = store_post_put(st, &p);
	post_done(&p);
	return rc;
}

const char *
store_session_post_framework(struct store *st, const char *post)
{
	sqlite3_stmt *q = store_prepare(st,
	    "SELECT EXISTS (SELECT 1 FROM json_each(p.tags) WHERE value IN"
	    "  ('pytorch','torch') OR value LIKE 'pytorch%'),"
	    " EXISTS (SELECT 1 FROM json_each(p.tags) WHERE value LIKE"
	    "  'tensorflow%' OR value LIKE 'keras%' OR value = 'tf.keras')"
	    " FROM posts p WHERE p.id = ? AND json_valid(p.tags)");
	const char *fw = NULL;

	if (!q)
		return NULL;
	store_bind_text(q, 1, post);
	if (sqlite3_step(q) == SQLITE_ROW) {
		int pt = sqlite3_column_int(q, 0);
		int tf = sqlite3_column_int(q, 1);

		if (pt != tf)
			fw = pt ? "PyTorch" : "TF + Keras";
	}
	store_finalize(st, q);
	if (fw != NULL)
		return fw;
	/* tags that do not decide (a pasted report has none): the
	 * framework the analysis found in the text */
	q = store_prepare(st,
	    "SELECT json_extract(result_json, '$.framework') FROM analyses"
	    " WHERE post_id = ? AND json_valid(result_json)");
	if (!q)
		return NULL;
	store_bind_text(q, 1, post);
	if (sqlite3_step(q) == SQLITE_ROW &&
	    sqlite3_column_type(q, 0) == SQLITE_TEXT) {
		const char *a = (const char *)sqlite3_column_text(q, 0);

		if (strcmp(a, "pytorch") == 0)
			fw = "PyTorch";
		else if (strcmp(a, "tensorflow") == 0 ||
			 strcmp(a, "keras") == 0)
			fw = "TF + Keras";
	}
	store_finalize(st, q);
	return fw;
}

int
store_session_post_width(struct store *st)
{
	int w;

	return store_query_int(st, "SELECT COALESCE(max(length(post_id)), 0) "
			       "FROM sessions", "cannot read sessions", &w) ==
	       DL_OK ? w : -1;
}
