/*
 * store_post.c - posts in the database: upsert, lookup, deletion, triage
 * state and the filtered, paged listing behind `dlrepro list` and the
 * dashboard's post list.  Tags are kept as a JSON array (GitHub labels may
 * hold spaces); the full-text index follows the table through triggers.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "dlrepro/data.h"
#include "dlrepro/store.h"
#include "dlrepro/util.h"
#include "store_internal.h"

static const char *const triage_names[TRIAGE__COUNT] = {
	"new", "needs-info", "in-progress", "reproduced", "not-reproducible",
	"ignored",
};

const char *
store_triage_name(enum store_triage t)
{
	return (unsigned)t < TRIAGE__COUNT ? triage_names[t] : "new";
}

int
store_triage_from_name(const char *name, enum store_triage *out)
{
	for (int i = 0; i < TRIAGE__COUNT; i++)
		if (strcmp(name, triage_names[i]) == 0) {
			*out = (enum store_triage)i;
			return DL_OK;
		}
	return error_set("'%s' is not a triage state (new, needs-info, "
			 "in-progress, reproduced, not-reproducible, ignored)",
			 name);
}

static char *
tags_to_json(const struct strvec *tags)
{
	cJSON *arr = cJSON_CreateArray();
	char *s;

	for (size_t i = 0; i < tags->n; i++)
		cJSON_AddItemToArray(arr, cJSON_CreateString(tags->v[i]));
	s = cJSON_PrintUnformatted(arr);
	cJSON_Delete(arr);
	if (s == NULL)
		fatal("out of memory");
	return s;
}

static void
tags_from_json(const char *json, struct strvec *tags)
{
	cJSON *arr = json ? cJSON_Parse(json) : NULL;
	const cJSON *it;

	cJSON_ArrayForEach(it, arr)
		if (cJSON_IsString(it))
			sv_push(tags, it->valuestring);
	cJSON_Delete(arr);
}

static int64_t
external_num(const struct post *p)
{
	int64_t n = 0;

	if (p->external_id != NULL && parse_int64(p->external_id, &n) == DL_OK)
		return n;
	error_clear();
	return 0;
}

int
store_post_put(struct store *st, struct post *p)
{
	static const char sql[] =
		"INSERT INTO posts (id, source, site, external_id, num, title,"
		" body, body_format, tags, score, accepted_answer_id,"
		" answer_count, state, created_at, link, fetched_at, raw_json)"
		" VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,"
		"  ?16,?17)"
		" ON CONFLICT(id) DO UPDATE SET source=?2, site=?3,"
		"  external_id=?4, num=?5, title=?6, body=?7, body_format=?8,"
		"  tags=?9, score=?10, accepted_answer_id=?11,"
		"  answer_count=?12, state=?13, created_at=?14, link=?15,"
		"  fetched_at=?16, raw_json=?17";
	sqlite3_stmt *s;
	char *tags;
	int rc;

	post_sanitize(p);
	if (store_begin(st) != DL_OK)
		return DL_ERR;
	s = store_prepare(st, sql);
	if (s == NULL) {
		store_rollback(st);
		return DL_ERR;
	}
	tags = tags_to_json(&p->tags);
	store_bind_text(s, 1, p->id);
	store_bind_text(s, 2, post_source_name(p->source));
	store_bind_text(s, 3, p->site);
	store_bind_text(s, 4, p->external_id);
	sqlite3_bind_int64(s, 5, external_num(p));
	store_bind_text(s, 6, p->title);
	store_bind_text(s, 7, p->body ? p->body : "");
	store_bind_text(s, 8, post_format_name(p->format));
	store_bind_text(s, 9, tags);
	sqlite3_bind_int64(s, 10, p->score);
	if (p->accepted_answer_id > 0)
		sqlite3_bind_int64(s, 11, p->accepted_answer_id);
	else
		sqlite3_bind_null(s, 11);
	sqlite3_bind_int64(s, 12, p->answer_count);
	store_bind_text(s, 13, p->state);
	sqlite3_bind_int64(s, 14, p->created_at);
	store_bind_text(s, 15, p->link);
	sqlite3_bind_int64(s, 16, p->fetched_at);
	store_bind_text(s, 17, p->raw_json);
	rc = sqlite3_step(s);
	store_finalize(st, s);
	free(tags);
	if (rc != SQLITE_DONE) {
		store_fail(st, p->id);
		store_rollback(st);
		return DL_ERR;
	}
	/* The content may have changed: the engine's verdict is stale. */
	s = store_prepare(st, "DELETE FROM analyses WHERE post_id = ?1");
	if (s == NULL) {
		store_rollback(st);
		return DL_ERR;
	}
	store_bind_text(s, 1, p->id);
	rc = sqlite3_step(s);
	store_finalize(st, s);
	if (rc != SQLITE_DONE) {
		store_fail(st, p->id);
		store_rollback(st);
		return DL_ERR;
	}
	return store_commit(st);
}

/* The id of a stored report with this body and format, or NULL. */
static int
report_find(struct store *st, const struct post *p, char **id)
{
	sqlite3_stmt *s = store_prepare(st,
		"SELECT id FROM posts WHERE source = 'manual'"
		" AND rtrim(body, ' ' || char(9, 10)) ="
		" rtrim(?1, ' ' || char(9, 10))"
		" AND body_format = ?2 ORDER BY num LIMIT 1");
	int rc;

	*id = NULL;
	if (s == NULL)
		return DL_ERR;
	store_bind_text(s, 1, p->body ? p->body : "");
	store_bind_text(s, 2, post_format_name(p->format));
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*id = store_column_dup(s, 0);
	store_finalize(st, s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(st, "cannot look up reports");
	return DL_OK;
}

/*
 * The number of a report's id: FNV-1a of its format and body, in
 * [1, 10^10), so that the same report has the same id on every machine
 * (sessions exported from one meet their report on another).
 */
static int64_t
report_number(const struct post *p)
{
	const char *f = post_format_name(p->format), *b = p->body ? p->body : "";
	uint64_t h = 14695981039346656037ULL;

	for (; *f; f++)
		h = (h ^ (unsigned char)*f) * 1099511628211ULL;
	h = (h ^ 0) * 1099511628211ULL;
	for (; *b; b++)
		h = (h ^ (unsigned char)*b) * 1099511628211ULL;
	h %= 10000000000ULL;
	return h ? (int64_t)h : 1;
}

/*
 * A report ends in exactly one newline: a file saved by an editor ends in
 * one, text piped from the clipboard or returned by the dashboard's `a`
 * often in none or several.  Without this the same report got two ids
 * (and was stored twice) depending on how it arrived.  A file's id stays
 * what it was; reports stored before are found whatever their ending.
 */
static void
report_canonical_end(struct post *p)
{
	size_t n;

	if (p->body == NULL)
		return;
	n = strlen(p->body);
	while (n > 0 && (p->body[n - 1] == '\n' || p->body[n - 1] == ' ' ||
			 p->body[n - 1] == '\t'))
		n--;
	p->body = xrealloc(p->body, n + 2);
	p->body[n] = '\n';
	p->body[n + 1] = '\0';
}

/* 1 when id is free for a report: absent, or a placeholder (no body). */
static int
report_slot_free(struct store *st, const char *id, int *is_free)
{
	sqlite3_stmt *s = store_prepare(st,
		"SELECT body = '' FROM posts WHERE id = ?1");
	int rc;

	if (s == NULL)
		return DL_ERR;
	store_bind_text(s, 1, id);
	rc = sqlite3_step(s);
	*is_free = rc == SQLITE_DONE || (rc == SQLITE_ROW &&
					 sqlite3_column_int(s, 0));
	store_finalize(st, s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(st, id);
	return DL_OK;
}

int
store_post_put_report(struct store *st, struct post *p, unsigned keep,
		      int *existing)
{
	char *id = NULL;
	int64_t n;
	int is_free = 0;

	*existing = 0;
	p->source = POST_MANUAL;
	/* compared and numbered as it is stored */
	post_sanitize(p);
	report_canonical_end(p);
	if (store_begin(st) != DL_OK)
		return DL_ERR;
	if (report_find(st, p, &id) != DL_OK)
		goto fail;
	if (id != NULL) {
		struct post old;

		*existing = 1;
		/* what the caller did not give stays as stored */
		if (keep && store_post_get(st, id, &old) == DL_OK) {
			if (keep & STORE_REPORT_KEEP_TITLE) {
				free(p->title);
				p->title = old.title;
				old.title = NULL;
			}
			if (keep & STORE_REPORT_KEEP_TAGS) {
				struct strvec t = p->tags;

				p->tags = old.tags;
				old.tags = t;
			}
			post_done(&old);
		}
	}
	/* another report on the same number (rare): the next free one */
	for (n = report_number(p); id == NULL; n = n % 9999999999 + 1) {
		id = xasprintf("manual:%lld", (long long)n);
		if (report_slot_free(st, id, &is_free) != DL_OK)
			goto fail;
		if (!is_free) {
			free(id);
			id = NULL;
		}
	}
	free(p->id);
	p->id = id;
	id = NULL;
	free(p->external_id);
	p->external_id = xstrdup(strchr(p->id, ':') + 1);
	if (store_post_put(st, p) != DL_OK)
		goto fail;
	return store_commit(st);
fail:
	free(id);
	store_rollback(st);
	return DL_ERR;
}

int
store_post_get(struct store *st, const char *id, struct post *p)
{
	sqlite3_stmt *s = store_prepare(st,
		"SELECT id, source, site, external_id, title, body,"
		" body_format, tags, score, accepted_answer_id, answer_count,"
		" state, created_at, link, fetched_at, raw_json"
		" FROM posts WHERE id = ?1");
	int rc;

	if (s == NULL)
		return DL_ERR;
	store_bind_text(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_DONE) {
		store_finalize(st, s);
		return DL_NOTFOUND;
	}
	if (rc != SQLITE_ROW) {
		store_finalize(st, s);
		return store_fail(st, id);
	}
	post_init(p);
	p->id = store_column_dup(s, 0);
	{
		const char *src = (const char *)sqlite3_column_text(s, 1);

		p->source = strcmp(src, "se") == 0   ? POST_SE
			    : strcmp(src, "gh") == 0 ? POST_GH
			    : strcmp(src, "manual") == 0 ? POST_MANUAL
						       : POST_SO;
	}
	p->site = store_column_dup(s, 2);
	p->external_id = store_column_dup(s, 3);
	free(p->title);
	p->title = store_column_dup(s, 4);
	free(p->body);
	p->body = store_column_dup(s, 5);
	if (p->body == NULL)
		p->body = xstrdup("");
	{
		enum post_format f = POST_HTML;

		post_format_from_name((const char *)sqlite3_column_text(s, 6),
				      &f);
		p->format = f;
	}
	tags_from_json((const char *)sqlite3_column_text(s, 7), &p->tags);
	p->score = sqlite3_column_int64(s, 8);
	p->accepted_answer_id = sqlite3_column_int64(s, 9);
	p->answer_count = sqlite3_column_int64(s, 10);
	p->state = store_column_dup(s, 11);
	p->created_at = sqlite3_column_int64(s, 12);
	p->link = store_column_dup(s, 13);
	p->fetched_at = sqlite3_column_int64(s, 14);
	p->raw_json = store_column_dup(s, 15);
	store_finalize(st, s);
	/* text an older version stored raw is clean by the time it is used */
	post_sanitize(p);
	return DL_OK;
}

static int64_t
single_int(struct store *st, const char *sql, const char *arg, int64_t dflt)
{
	sqlite3_stmt *s = store_prepare(st, sql);
	int64_t v = dflt;
	int rc;

	if (s == NULL)
		return -1;
	if (arg != NULL)
		store_bind_text(s, 1, arg);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	else if (rc != SQLITE_DONE)
		v = store_fail(st, sql);
	store_finalize(st, s);
	return v;
}

int
store_post_exists(struct store *st, const char *id)
{
	int64_t v = single_int(st, "SELECT 1 FROM posts WHERE id = ?1", id, 0);

	return v < 0 ? DL_ERR : (int)v;
}

int64_t
store_post_count(struct store *st)
{
	return single_int(st, "SELECT count(*) FROM posts", NULL, 0);
}

int64_t
store_post_fetched_at(struct store *st, const char *id)
{
	return single_int(st, "SELECT fetched_at FROM posts WHERE id = ?1",
			  id, 0);
}

static int
exec_one(struct store *st, const char *sql, const char *a, const char *b,
	 int *changes)
{
	sqlite3_stmt *s = store_prepare(st, sql);
	int rc;

	if (s == NULL)
		return DL_ERR;
	store_bind_text(s, 1, a);
	if (b != NULL)
		store_bind_text(s, 2, b);
	rc = sqlite3_step(s);
	store_finalize(st, s);
	if (rc != SQLITE_DONE)
		return store_fail(st, a);
	if (changes != NULL)
		*changes = sqlite3_changes(st->db);
	return DL_OK;
}

int
store_post_delete(struct store *st, const char *id, int force)
{
	int64_t sessions;
	int changes = 0;

	if (store_begin(st) != DL_OK)
		return DL_ERR;
	sessions = single_int(st,
		"SELECT count(*) FROM sessions WHERE post_id = ?1", id, 0);
	if (sessions < 0)
		goto fail;
	if (sessions > 0 && !force) {
		error_set("%s has %lld reproduction session%s; use --force to "
			  "delete it with them", id, (long long)sessions,
			  sessions == 1 ? "" : "s");
		goto fail;
	}
	if (exec_one(st, "DELETE FROM sessions WHERE post_id = ?1", id, NULL,
		     NULL) != DL_OK ||
	    exec_one(st, "DELETE FROM posts WHERE id = ?1", id, NULL,
		     &changes) != DL_OK)
		goto fail;
	if (changes == 0) {
		store_rollback(st);
		return DL_NOTFOUND;
	}
	return store_commit(st);
fail:
	store_rollback(st);
	return DL_ERR;
}

int
store_post_set_text(struct store *st, const char *id, const char *text)
{
	return exec_one(st,
		"UPDATE posts SET text = ?2 WHERE id = ?1 AND text IS NOT ?2",
		id, text, NULL);
}

int
store_post_set_triage(struct store *st, const char *id, enum store_triage t)
{
	int changes = 0;

	if (exec_one(st, "UPDATE posts SET triage = ?2 WHERE id = ?1", id,
		     store_triage_name(t), &changes) != DL_OK)
		return DL_ERR;
	return changes == 0 ? DL_NOTFOUND : DL_OK;
}

/* ---- listing ---- */

void
post_query_init(struct post_query *q)
{
	memset(q, 0, sizeof *q);
	q->missing_cat = -1;
	q->triage = -1;
	q->has_session = -1;
	q->sort = POST_SORT_ID;
}

void
post_row_done(struct post_row *r)
{
	free(r->id);
	free(r->title);
	sv_done(&r->tags);
	free(r->type);
	memset(r, 0, sizeof *r);
}

/*
 * The effective presence mask: the engine's, with the user's corrections
 * laid over it.
 */
#define EFFECTIVE_MASK \
	"((COALESCE(a.info_mask, 0) | COALESCE(c.present_mask, 0))" \
	" & ~COALESCE(c.missing_mask, 0))"

static void
build_where(const struct post_query *q, struct strbuf *sql)
{
	sb_adds(sql, " WHERE 1");
	/*
	 * The unary + keeps SQLite from driving the query by the matches:
	 * it would then read every matching post's row to sort them, a
	 * second or more when most of 100,000 posts match.  Instead it walks
	 * the index of the sort order and checks each rowid against the
	 * matches (held once in memory), reading rows only for the page
	 * shown; on few matches that walk costs a few milliseconds.
	 */
	if (q->fts != NULL && *q->fts != '\0')
		sb_adds(sql, " AND +p.rowid IN (SELECT rowid FROM posts_fts"
			     " WHERE posts_fts MATCH :fts)");
	if (q->type != NULL)
		sb_adds(sql, " AND COALESCE(c.type, a.type) = :type");
	if (q->missing_cat >= 0)
		sb_adds(sql, " AND (a.post_id IS NOT NULL OR c.post_id IS NOT"
			     " NULL) AND (" EFFECTIVE_MASK " & :bit) = 0");
	if (q->triage >= 0)
		sb_adds(sql, " AND p.triage = :triage");
	if (q->has_session == 1)
		sb_adds(sql, " AND EXISTS (SELECT 1 FROM sessions s"
			     " WHERE s.post_id = p.id)");
	else if (q->has_session == 0)
		sb_adds(sql, " AND NOT EXISTS (SELECT 1 FROM sessions s"
			     " WHERE s.post_id = p.id)");
	if (q->outcome != NULL)
		sb_adds(sql, " AND EXISTS (SELECT 1 FROM sessions s"
			     " WHERE s.post_id = p.id AND s.outcome = :outcome)");
}

static void
bind_where(sqlite3_stmt *s, const struct post_query *q)
{
	int i;

	if ((i = sqlite3_bind_parameter_index(s, ":fts")) > 0)
		store_bind_text(s, i, q->fts);
	if ((i = sqlite3_bind_parameter_index(s, ":type")) > 0)
		store_bind_text(s, i, q->type);
	if ((i = sqlite3_bind_parameter_index(s, ":bit")) > 0)
		sqlite3_bind_int(s, i, 1 << q->missing_cat);
	if ((i = sqlite3_bind_parameter_index(s, ":triage")) > 0)
		store_bind_text(s, i, store_triage_name(q->triage));
	if ((i = sqlite3_bind_parameter_index(s, ":outcome")) > 0)
		store_bind_text(s, i, q->outcome);
}

static const char *
order_by(const struct post_query *q)
{
	static const char *const asc[] = {
		[POST_SORT_ID] = " ORDER BY p.source, p.site, p.num, p.id",
		[POST_SORT_SCORE] = " ORDER BY p.score, p.id",
		[POST_SORT_CREATED] = " ORDER BY p.created_at, p.id",
		[POST_SORT_TITLE] = " ORDER BY p.title COLLATE NOCASE, p.id",
	};
	static const char *const desc[] = {
		[POST_SORT_ID] = " ORDER BY p.source DESC, p.site DESC,"
				 " p.num DESC, p.id DESC",
		[POST_SORT_SCORE] = " ORDER BY p.score DESC, p.id DESC",
		[POST_SORT_CREATED] = " ORDER BY p.created_at DESC, p.id DESC",
		[POST_SORT_TITLE] = " ORDER BY p.title COLLATE NOCASE DESC,"
				    " p.id DESC",
	};
	unsigned i = (unsigned)q->sort < ARRAY_SIZE(asc) ? q->sort : 0;

	return q->descending ? desc[i] : asc[i];
}

/*
 * analyses_summary holds every column of analyses that a list reads;
 * SQLite would take the primary key's index instead (unique, so "better")
 * and read each verdict's row, a page apiece: on 100,000 posts a filter
 * by type took 0.13 s instead of 0.02 s.
 */
static const char list_from[] =
	" FROM posts p LEFT JOIN analyses a INDEXED BY analyses_summary"
	" ON a.post_id = p.id"
	" LEFT JOIN corrections c ON c.post_id = p.id";

/* AND, OR and NOT as FTS5 spells them: upper case, a word of their own */
static int
fts_operator(const char *w, size_t n)
{
	return (n == 3 && (memcmp(w, "AND", 3) == 0 ||
			   memcmp(w, "NOT", 3) == 0)) ||
	       (n == 2 && memcmp(w, "OR", 2) == 0);
}

char *
store_fts_quote(const char *s)
{
	struct strbuf sb;
	const char *p = s;
	int after_word = 0;	/* an operator may follow what came last */

	sb_init(&sb);
	while (*p) {
		size_t n, m;
		const char *next;

		while (*p == ' ' || *p == '\t')
			p++;
		n = strcspn(p, " \t");
		if (!n)
			break;
		/*
		 * An operator between two words stays one ("tf.keras OR
		 * c++"): quoting it too would look for the word "or" and
		 * find nothing.  Elsewhere ("cuda:0 OR") it is a word.
		 */
		next = p + n + strspn(p + n, " \t");
		m = strcspn(next, " \t");
		if (after_word && fts_operator(p, n) && m > 0 &&
		    !fts_operator(next, m)) {
			sb_addc(&sb, ' ');
			sb_add(&sb, p, n);
			after_word = 0;
			p += n;
			continue;
		}
		if (sb.len)
			sb_addc(&sb, ' ');
		sb_addc(&sb, '"');
		for (size_t i = 0; i < n; i++) {
			if (p[i] == '"')
				sb_addc(&sb, '"');
			sb_addc(&sb, p[i]);
		}
		sb_addc(&sb, '"');
		after_word = 1;
		p += n;
	}
	if (!sb.len) {
		sb_done(&sb);
		return NULL;
	}
	return sb_detach(&sb);
}

int
store_fts_check(struct store *st, const char *fts)
{
	sqlite3_stmt *s = store_prepare(st,
		"SELECT 1 FROM posts_fts WHERE posts_fts MATCH ?1 LIMIT 1");
	int rc;

	if (s == NULL)
		return DL_ERR;
	store_bind_text(s, 1, fts);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW || rc == SQLITE_DONE)
		rc = DL_OK;
	else if (sqlite3_errcode(st->db) == SQLITE_ERROR) {
		/* a plain SQL error is the query's own syntax (query_fail()) */
		error_set("'%s' is not a valid search: %s", fts,
			  sqlite3_errmsg(st->db));
		rc = DL_NOTFOUND;
	} else
		rc = store_fail(st, "cannot search");
	store_finalize(st, s);
	return rc;
}

/*
 * A failed list or count query.  With a search, a plain SQL error is the
 * FTS5 query's own syntax ('"unbalanced', 'a AND'), whatever the words
 * of SQLite's message; anything else (I/O, busy, corrupt) is the store's.
 */
static int
query_fail(struct store *st, const struct post_query *q, const char *what)
{
	if (q->fts != NULL && sqlite3_errcode(st->db) == SQLITE_ERROR)
		return error_set("'%s' is not a valid search: %s", q->fts,
				 sqlite3_errmsg(st->db));
	return store_fail(st, what);
}

int
store_post_list(struct store *st, const struct post_query *q,
		int (*fn)(const struct post_row *row, void *arg), void *arg)
{
	struct strbuf sql;
	sqlite3_stmt *s;
	int rc, ret = DL_OK;

	sb_init(&sql);
	sb_adds(&sql,
		"SELECT p.id, p.title, p.tags, p.score, p.created_at, p.triage,"
		" COALESCE(c.type, a.type), c.type IS NOT NULL,"
		" " EFFECTIVE_MASK ","
		" CASE WHEN :engine IS NULL"
		" THEN (a.post_id IS NOT NULL OR c.post_id IS NOT NULL)"
		" ELSE a.engine_version IS :engine END,"
		" COALESCE(c.present_mask, 0) | COALESCE(c.missing_mask, 0),"
		" (SELECT count(*) FROM sessions s WHERE s.post_id = p.id)");
	sb_adds(&sql, list_from);
	build_where(q, &sql);
	sb_adds(&sql, order_by(q));
	sb_addf(&sql, " LIMIT %lld OFFSET %lld",
		q->limit > 0 ? (long long)q->limit : -1LL,
		q->offset > 0 ? (long long)q->offset : 0LL);
	s = store_prepare(st, sql.s);
	sb_done(&sql);
	if (s == NULL)
		return DL_ERR;
	bind_where(s, q);
	if (q->engine_version != NULL)
		sqlite3_bind_text(s, sqlite3_bind_parameter_index(s, ":engine"),
				  q->engine_version, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct post_row r;
		enum store_triage t = TRIAGE_NEW;

		memset(&r, 0, sizeof r);
		r.id = store_column_dup(s, 0);
		r.title = store_column_dup(s, 1);
		tags_from_json((const char *)sqlite3_column_text(s, 2),
			       &r.tags);
		r.score = sqlite3_column_int64(s, 3);
		r.created_at = sqlite3_column_int64(s, 4);
		store_triage_from_name((const char *)sqlite3_column_text(s, 5),
				       &t);
		r.triage = t;
		r.type = store_column_dup(s, 6);
		r.type_corrected = sqlite3_column_int(s, 7);
		r.info_mask = sqlite3_column_int(s, 8);
		r.info_known = sqlite3_column_int(s, 9);
		r.corrected_mask = sqlite3_column_int(s, 10);
		r.session_count = sqlite3_column_int(s, 11);
		rc = fn(&r, arg);
		post_row_done(&r);
		if (rc != 0)
			break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		ret = query_fail(st, q, "cannot list posts");
	store_finalize(st, s);
	return ret;
}

int64_t
store_post_list_position(struct store *st, const struct post_query *q,
			 const char *id)
{
	struct strbuf sql;
	sqlite3_stmt *s;
	int64_t pos = -1;
	int rc;

	/* the same rows in the same order, numbered: where is id? */
	sb_init(&sql);
	sb_adds(&sql, "SELECT n - 1 FROM (SELECT p.id AS id, row_number()"
		      " OVER (");
	sb_adds(&sql, order_by(q) + 1);
	sb_adds(&sql, ") AS n");
	sb_adds(&sql, list_from);
	build_where(q, &sql);
	sb_adds(&sql, ") WHERE id = :id");
	s = store_prepare(st, sql.s);
	sb_done(&sql);
	if (s == NULL)
		return -1;
	bind_where(s, q);
	store_bind_text(s, sqlite3_bind_parameter_index(s, ":id"), id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		pos = sqlite3_column_int64(s, 0);
	else if (rc != SQLITE_DONE)
		query_fail(st, q, "cannot find the post in the list");
	else
		pos = -2;
	store_finalize(st, s);
	return pos;
}

int64_t
store_post_list_count(struct store *st, const struct post_query *q)
{
	struct strbuf sql;
	sqlite3_stmt *s;
	int64_t n = -1;

	sb_init(&sql);
	sb_adds(&sql, "SELECT count(*)");
	/*
	 * Each post has at most one verdict and one correction: unless
	 * the filter reads them, the joins change no count and would cost
	 * two lookups for each of 100,000 posts.
	 */
	if (q->type != NULL || q->missing_cat >= 0)
		sb_adds(&sql, list_from);
	else
		sb_adds(&sql, " FROM posts p");
	build_where(q, &sql);
	s = store_prepare(st, sql.s);
	sb_done(&sql);
	if (s == NULL)
		return -1;
	bind_where(s, q);
	if (sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int64(s, 0);
	else
		query_fail(st, q, "cannot count posts");
	store_finalize(st, s);
	return n;
}

int
store_post_list_ids(struct store *st, struct strvec *ids)
{
	sqlite3_stmt *s = store_prepare(st,
		"SELECT id FROM posts p ORDER BY p.source, p.site, p.num, p.id");
	int rc;

	if (s == NULL)
		return DL_ERR;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		sv_push(ids, (const char *)sqlite3_column_text(s, 0));
	store_finalize(st, s);
	return rc == SQLITE_DONE ? DL_OK : store_fail(st, "cannot list posts");
}

int
store_post_id_width(struct store *st)
{
	int w;

	return store_query_int(st, "SELECT COALESCE(max(length(id)), 0) FROM "
			       "posts", "cannot read post ids", &w) == DL_OK ?
	       w : -1;
}
