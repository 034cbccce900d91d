/*
 * store.c - the database handle: opening, pragmas, migrations and
 * transactions.  The schema is a list of numbered migrations applied in
 * order, each in its own transaction, tracked in PRAGMA user_version.  A
 * database from a newer program, or another program's SQLite file, is
 * refused before anything is written.
 *
 * Queries live beside their area: store_post.c, store_analysis.c,
 * store_session.c, store_api.c.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dlrepro/store.h"
#include "dlrepro/util.h"
#include "store_internal.h"

/*
 * Migrations.  Each area owns one block; nothing has shipped, so blocks
 * may still change, but once released a migration is never edited: new
 * columns come as a new numbered migration at the end.
 */
static const char *const migrations[] = {
	/* 1: posts, answers, full-text index (core) */
	"CREATE TABLE posts ("
	" id TEXT PRIMARY KEY,"
	" source TEXT NOT NULL CHECK (source IN ('so','se','gh','manual')),"
	" site TEXT,"
	" external_id TEXT NOT NULL,"
	" num INTEGER NOT NULL DEFAULT 0,"
	" title TEXT NOT NULL,"
	" body TEXT NOT NULL DEFAULT '',"
	" body_format TEXT NOT NULL DEFAULT 'html'"
	"  CHECK (body_format IN ('html','markdown','text')),"
	" text TEXT NOT NULL DEFAULT '',"
	" tags TEXT NOT NULL DEFAULT '[]',"
	" score INTEGER NOT NULL DEFAULT 0,"
	" accepted_answer_id INTEGER,"
	" answer_count INTEGER NOT NULL DEFAULT 0,"
	" state TEXT,"
	" created_at INTEGER NOT NULL DEFAULT 0,"
	" link TEXT,"
	" fetched_at INTEGER NOT NULL DEFAULT 0,"
	" raw_json TEXT,"
	" triage TEXT NOT NULL DEFAULT 'new' CHECK (triage IN ('new',"
	"  'needs-info','in-progress','reproduced','not-reproducible',"
	"  'ignored'))"
	");"
	"CREATE INDEX posts_by_num ON posts(source, site, num, id);"
	"CREATE INDEX posts_by_score ON posts(score, id);"
	"CREATE INDEX posts_by_created ON posts(created_at, id);"
	"CREATE INDEX posts_by_title ON posts(title COLLATE NOCASE, id);"
	"CREATE INDEX posts_by_triage ON posts(triage);"
	"CREATE TABLE answers ("
	" post_id TEXT NOT NULL REFERENCES posts(id) ON DELETE CASCADE,"
	" answer_id INTEGER NOT NULL,"
	" body TEXT NOT NULL DEFAULT '',"
	" score INTEGER NOT NULL DEFAULT 0,"
	" is_accepted INTEGER NOT NULL DEFAULT 0,"
	" created_at INTEGER NOT NULL DEFAULT 0,"
	" fetched_at INTEGER NOT NULL DEFAULT 0,"
	" raw_json TEXT,"
	" PRIMARY KEY (post_id, answer_id)"
	");"
	"CREATE VIRTUAL TABLE posts_fts USING fts5(title, text, tags,"
	" content='posts', content_rowid='rowid',"
	" tokenize='unicode61 remove_diacritics 2');"
	"CREATE TRIGGER posts_fts_ai AFTER INSERT ON posts BEGIN"
	" INSERT INTO posts_fts(rowid, title, text, tags)"
	"  VALUES (new.rowid, new.title, new.text, new.tags);"
	"END;"
	"CREATE TRIGGER posts_fts_ad AFTER DELETE ON posts BEGIN"
	" INSERT INTO posts_fts(posts_fts, rowid, title, text, tags)"
	"  VALUES ('delete', old.rowid, old.title, old.text, old.tags);"
	"END;"
	"CREATE TRIGGER posts_fts_au AFTER UPDATE OF title, text, tags ON posts"
	" BEGIN"
	" INSERT INTO posts_fts(posts_fts, rowid, title, text, tags)"
	"  VALUES ('delete', old.rowid, old.title, old.text, old.tags);"
	" INSERT INTO posts_fts(rowid, title, text, tags)"
	"  VALUES (new.rowid, new.title, new.text, new.tags);"
	"END;",

	/* 2: analyses and user corrections (analysis area) */
	"CREATE TABLE analyses ("
	" post_id TEXT PRIMARY KEY REFERENCES posts(id) ON DELETE CASCADE,"
	" engine_version TEXT NOT NULL,"
	" analysed_at INTEGER NOT NULL,"
	" type TEXT NOT NULL,"
	" confidence REAL NOT NULL,"
	" method TEXT NOT NULL,"
	" info_mask INTEGER NOT NULL,"
	" result_json TEXT NOT NULL"
	");"
	"CREATE INDEX analyses_by_type ON analyses(type);"
	"CREATE TABLE corrections ("
	" post_id TEXT PRIMARY KEY REFERENCES posts(id) ON DELETE CASCADE,"
	" type TEXT,"
	" present_mask INTEGER NOT NULL DEFAULT 0,"
	" missing_mask INTEGER NOT NULL DEFAULT 0,"
	" updated_at INTEGER NOT NULL"
	");",

	/* 3: reproduction sessions, participants, studies (session area) */
	"CREATE TABLE studies ("
	" id INTEGER PRIMARY KEY,"
	" name TEXT NOT NULL UNIQUE,"
	" created_at REAL NOT NULL"
	");"
	"CREATE TABLE participants ("
	" id INTEGER PRIMARY KEY,"
	" study_id INTEGER REFERENCES studies(id) ON DELETE CASCADE,"
	" code TEXT NOT NULL,"
	" grp TEXT CHECK (grp IN ('control','experimental')),"
	" UNIQUE (study_id, code)"
	");"
	/*
	 * The event log is the truth; the other columns summarise it and
	 * are rewritten with every event.  "open" is 1 for the one running
	 * or paused session and NULL otherwise, so the unique index allows
	 * exactly one open session.
	 */
	"CREATE TABLE sessions ("
	" id INTEGER PRIMARY KEY,"
	" uuid TEXT NOT NULL UNIQUE,"
	" post_id TEXT NOT NULL REFERENCES posts(id),"
	" study_id INTEGER REFERENCES studies(id),"
	" participant_id INTEGER REFERENCES participants(id),"
	" grp TEXT CHECK (grp IN ('control','experimental')),"
	" hints INTEGER NOT NULL DEFAULT 1,"
	" state TEXT NOT NULL CHECK (state IN ('running','paused','stopped')),"
	" open INTEGER GENERATED ALWAYS AS"
	"  (CASE WHEN state = 'stopped' THEN NULL ELSE 1 END) VIRTUAL,"
	" started_at REAL NOT NULL,"
	" stopped_at REAL,"
	" heartbeat_at REAL,"
	" bug_type TEXT,"
	" outcome TEXT CHECK (outcome IN ('reproduced','not-reproduced',"
	"  'abandoned')),"
	" reason TEXT CHECK (reason IN ('missing-data','missing-model',"
	"  'missing-code','environment','hardware','non-deterministic',"
	"  'other')),"
	" notes TEXT,"
	" architecture TEXT,"
	" framework TEXT,"
	" effort TEXT CHECK (effort IN ('easy','medium','hard')),"
	" modification TEXT CHECK (modification IN ('minor','major')),"
	" info_present INTEGER,"
	" info_missing INTEGER,"
	" info_source TEXT CHECK (info_source IN ('analysis','user')),"
	" ticks TEXT NOT NULL DEFAULT '',"
	" active_seconds REAL NOT NULL DEFAULT 0"
	");"
	"CREATE UNIQUE INDEX sessions_one_open ON sessions(open);"
	"CREATE INDEX sessions_by_post ON sessions(post_id);"
	"CREATE INDEX sessions_by_start ON sessions(started_at);"
	"CREATE TABLE session_events ("
	" id INTEGER PRIMARY KEY,"
	" session_id INTEGER NOT NULL REFERENCES sessions(id)"
	"  ON DELETE CASCADE,"
	" seq INTEGER NOT NULL,"
	" kind TEXT NOT NULL,"
	" at REAL NOT NULL,"
	" active_seconds REAL NOT NULL DEFAULT 0,"
	" action TEXT,"
	" data TEXT CHECK (data IS NULL OR json_valid(data)),"
	" UNIQUE (session_id, seq)"
	");",

	/* 4: API quota and backoff state per base URL (fetch area) */
	"CREATE TABLE api_state ("
	" base_url TEXT NOT NULL,"
	" method TEXT NOT NULL,"
	" not_before REAL NOT NULL DEFAULT 0,"
	" quota_max INTEGER,"
	" quota_remaining INTEGER,"
	" updated_at REAL NOT NULL,"
	" PRIMARY KEY (base_url, method)"
	");",

	/*
	 * 5: indexes for large stores (scale).  Every list query joins
	 * analyses for type, info_mask and engine_version; result_json
	 * makes each analyses row a page of its own, so without a covering
	 * index a filter by type or missing category, or the check for
	 * outdated verdicts that `list` and `import` run first, reads the
	 * whole table.
	 */
	"CREATE INDEX IF NOT EXISTS analyses_summary ON analyses(post_id,"
	" type, info_mask, engine_version);"
	"CREATE INDEX IF NOT EXISTS analyses_by_engine ON"
	" analyses(engine_version, post_id);",
};

int
store_latest_version(void)
{
	return (int)ARRAY_SIZE(migrations);
}

int
store_fail(struct store *st, const char *what)
{
	if (st->moved)
		return error_set("%s: %s: the database file was deleted or "
				 "replaced while in use (nothing more is saved "
				 "to it; start dlrepro again)", st->path,
				 what);
	return error_set("%s: %s: %s", st->path, what, sqlite3_errmsg(st->db));
}

sqlite3_stmt *
store_prepare(struct store *st, const char *sql)
{
	struct store_cached *c, *slot = NULL;
	sqlite3_stmt *s = NULL;

	for (c = st->cache; c < st->cache + STORE_CACHE_N; c++) {
		if (c->sql == NULL) {
			if (slot == NULL || slot->sql != NULL)
				slot = c;
			continue;
		}
		if (!c->busy && strcmp(c->sql, sql) == 0) {
			c->busy = 1;
			c->used = ++st->uses;
			return c->s;
		}
		/* else the least recently used one not handed out */
		if (!c->busy && (slot == NULL ||
				 (slot->sql != NULL && c->used < slot->used)))
			slot = c;
	}
	if (sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s,
			       NULL) != SQLITE_OK) {
		sqlite3_finalize(s);
		store_fail(st, "cannot prepare statement");
		return NULL;
	}
	/* every slot handed out (nested loops): this one goes uncached */
	if (slot == NULL)
		return s;
	if (slot->sql != NULL) {
		sqlite3_finalize(slot->s);
		free(slot->sql);
	}
	slot->sql = xstrdup(sql);
	slot->s = s;
	slot->busy = 1;
	slot->used = ++st->uses;
	return s;
}

void
store_finalize(struct store *st, sqlite3_stmt *s)
{
	struct store_cached *c;

	if (s == NULL)
		return;
	for (c = st->cache; c < st->cache + STORE_CACHE_N; c++)
		if (c->s == s && c->sql != NULL) {
			/* kept: no bindings, no open read, for the next user */
			sqlite3_reset(s);
			sqlite3_clear_bindings(s);
			c->busy = 0;
			return;
		}
	sqlite3_finalize(s);
}

/* Free every cached statement (before closing the connection). */
static void
cache_clear(struct store *st)
{
	for (struct store_cached *c = st->cache;
	     c < st->cache + STORE_CACHE_N; c++) {
		if (c->sql == NULL)
			continue;
		sqlite3_finalize(c->s);
		free(c->sql);
		memset(c, 0, sizeof *c);
	}
}

int
store_bind_text(sqlite3_stmt *s, int idx, const char *v)
{
	if (v == NULL)
		return sqlite3_bind_null(s, idx);
	return sqlite3_bind_text(s, idx, v, -1, SQLITE_TRANSIENT);
}

char *
store_column_dup(sqlite3_stmt *s, int col)
{
	const unsigned char *t = sqlite3_column_text(s, col);

	return t == NULL ? NULL : xstrdup((const char *)t);
}

int
store_exec(struct store *st, const char *sql)
{
	sqlite3_stmt *s = store_prepare(st, sql);
	int rc;

	if (s == NULL)
		return DL_ERR;
	rc = sqlite3_step(s);
	store_finalize(st, s);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return store_fail(st, sql);
	return DL_OK;
}

int
store_query_int(struct store *st, const char *sql, const char *what,
		int *out)
{
	sqlite3_stmt *s = store_prepare(st, sql);

	if (s == NULL)
		return DL_ERR;
	if (sqlite3_step(s) != SQLITE_ROW) {
		store_finalize(st, s);
		return store_fail(st, what);
	}
	*out = sqlite3_column_int(s, 0);
	store_finalize(st, s);
	return DL_OK;
}

static int
read_user_version(struct store *st, int *out)
{
	return store_query_int(st, "PRAGMA user_version",
			       "cannot read schema version", out);
}

/* PRAGMA application_id of a dlrepro database: "DLRP" */
#define STORE_APP_ID 0x444c5250

static int
read_app_id(struct store *st, int *out)
{
	return store_query_int(st, "PRAGMA application_id",
			       "cannot read application id", out);
}

/*
 * The tables each migration made, up to the one after which the
 * application id was set: a database made before the id (schema version
 * 4 at most) is known by every table its version had.
 */
static const char *const legacy_tables[][4] = {
	{ "posts", "answers", "posts_fts", NULL },
	{ "analyses", "corrections", NULL, NULL },
	{ "studies", "participants", "sessions", "session_events" },
	{ "api_state", NULL, NULL, NULL },
};

/* *n: the tables named name, or (NULL) all objects of the schema. */
static int
count_schema(struct store *st, const char *name, int *n)
{
	sqlite3_stmt *s = store_prepare(st, "SELECT count(*) FROM sqlite_master"
					" WHERE ?1 IS NULL OR (type = 'table'"
					" AND name = ?1)");
	int rc;

	if (s == NULL)
		return DL_ERR;
	if (name != NULL)
		store_bind_text(s, 1, name);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*n = sqlite3_column_int(s, 0);
	store_finalize(st, s);
	if (rc != SQLITE_ROW)
		return store_fail(st, "cannot read the schema");
	return DL_OK;
}

/*
 * Is the database at schema version v ours?  A dlrepro database carries
 * our application id; one made before the id was set is known by its
 * version and the tables that version had; an empty file is a new one.
 * Anything else, such as another program's SQLite file given to --db by
 * mistake, is refused before a pragma or a migration writes to it.
 */
static int
check_owner(struct store *st, int v)
{
	int app, n;

	if (read_app_id(st, &app) != DL_OK)
		return DL_ERR;
	if (app == STORE_APP_ID && v >= 0)
		return DL_OK;
	if (app != 0 && app != STORE_APP_ID)
		return error_set("%s: not a dlrepro database (application id "
				 "0x%08x); refusing to touch it", st->path,
				 (unsigned)app);
	if (v < 0 || v > (int)ARRAY_SIZE(legacy_tables))
		return error_set("%s: not a dlrepro database (schema version "
				 "%d); refusing to touch it", st->path, v);
	/* version 0: new only when nothing is in it yet */
	n = v;
	if (v == 0 && count_schema(st, NULL, &n) != DL_OK)
		return DL_ERR;
	if (v == 0 && n == 0)
		return DL_OK;
	for (int m = 0; m < v && n > 0; m++)
		for (size_t k = 0; k < ARRAY_SIZE(legacy_tables[m]) &&
				   legacy_tables[m][k] != NULL && n > 0; k++)
			if (count_schema(st, legacy_tables[m][k], &n) != DL_OK)
				return DL_ERR;
	if (v > 0 && n > 0)
		return DL_OK;
	return error_set("%s: not a dlrepro database (it has tables of "
			 "another program); refusing to touch it", st->path);
}

static int
migrate(struct store *st)
{
	int have;

	if (read_user_version(st, &have) != DL_OK)
		return DL_ERR;
	if (have < 0)	/* check_owner() refused it already */
		return error_set("%s: not a dlrepro database (schema version "
				 "%d); refusing to touch it", st->path, have);
	if (have > store_latest_version())
		return error_set("%s: database schema version %d is newer than "
				 "this dlrepro knows (%d); refusing to touch it "
				 "(upgrade dlrepro)", st->path, have,
				 store_latest_version());
	for (int v = have + 1; v <= store_latest_version(); v++) {
		char *err = NULL;
		char pragma[64];

		if (store_begin(st) != DL_OK)
			return DL_ERR;
		if (sqlite3_exec(st->db, migrations[v - 1], NULL, NULL,
				 &err) != SQLITE_OK) {
			error_set("%s: migration %d failed: %s", st->path, v,
				  err ? err : sqlite3_errmsg(st->db));
			sqlite3_free(err);
			store_rollback(st);
			return DL_ERR;
		}
		snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", v);
		if (store_exec(st, pragma) != DL_OK) {
			store_rollback(st);
			return DL_ERR;
		}
		if (store_commit(st) != DL_OK)
			return DL_ERR;
	}
	/* marked ours, new or made before the mark (check_owner) */
	if (read_app_id(st, &have) != DL_OK)
		return DL_ERR;
	if (have != STORE_APP_ID) {
		char pragma[64];

		snprintf(pragma, sizeof pragma, "PRAGMA application_id = %d",
			 STORE_APP_ID);
		if (store_exec(st, pragma) != DL_OK)
			return DL_ERR;
	}
	st->version = store_latest_version();
	return DL_OK;
}

/*
 * A database file deleted or replaced while open (rm, a sync tool's
 * rename over it) would take every later change with it, silently:
 * SQLite goes on writing to the unlinked file.  So each commit, the
 * autocommit of a single statement included, first checks that the path
 * still names the file opened, and is rolled back when it does not.
 */
static int
commit_hook(void *arg)
{
	struct store *st = arg;
	int moved = 0;

	if (sqlite3_file_control(st->db, "main", SQLITE_FCNTL_HAS_MOVED,
				 &moved) == SQLITE_OK && moved)
		st->moved = 1;
	return st->moved;
}

static struct store *
open_common(const char *path, int flags)
{
	struct store *st;
	struct stat sb;
	int rc;

	/* a FIFO or a device is no database: say so, not "disk I/O error" */
	if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode)) {
		error_set("%s: not a regular file (a database is one)", path);
		return NULL;
	}
	st = xcalloc(1, sizeof *st);
	st->path = xstrdup(path);
	rc = sqlite3_open_v2(path, &st->db, flags, NULL);
	if (rc != SQLITE_OK) {
		if (st->db != NULL)
			store_fail(st, "cannot open database");
		else
			error_set("%s: cannot open database", path);
		store_close(st);
		return NULL;
	}
	sqlite3_extended_result_codes(st->db, 1);
	sqlite3_busy_timeout(st->db, 5000);
	sqlite3_commit_hook(st->db, commit_hook, st);
	return st;
}

/*
 * A WAL database is read through its -shm file, which a directory we may
 * not write cannot hold: then the file can only be read as immutable,
 * which is right only when nothing is pending beside it: no write-ahead
 * log (a writer that closed cleanly leaves none) and no rollback journal
 * (a writer killed mid-transaction).  They sit beside the real file, not
 * beside a link to it.  NULL with the error set when that does not apply.
 */
static struct store *
open_immutable(const char *path)
{
	static const char *const sides[] = { "-wal", "-journal" };
	struct strbuf uri;
	struct stat sb;
	struct store *st;
	char *real = realpath(path, NULL);
	const char *file = real ? real : path;

	for (size_t i = 0; i < ARRAY_SIZE(sides); i++) {
		char *side = xasprintf("%s%s", file, sides[i]);
		int pending = stat(side, &sb) == 0 && sb.st_size > 0;

		free(side);
		if (pending) {
			error_set("%s: the directory is read-only and a %s is "
				  "pending beside the database: it cannot be "
				  "read safely until its writer finishes", path,
				  i == 0 ? "write-ahead log" : "rollback journal");
			free(real);
			return NULL;
		}
	}
	sb_init(&uri);
	sb_adds(&uri, "file:");
	for (const char *p = file; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if (c == '%' || c == '?' || c == '#' || c <= 0x20 || c >= 0x7f)
			sb_addf(&uri, "%%%02X", c);
		else
			sb_addc(&uri, (char)c);
	}
	sb_adds(&uri, "?immutable=1");
	free(real);
	st = open_common(uri.s, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI);
	sb_done(&uri);
	if (st != NULL) {
		free(st->path);
		st->path = xstrdup(path);
		st->immutable = 1;
	}
	return st;
}

/*
 * Is the error on st's connection the one a directory that cannot hold
 * the -shm file gives?  (Not any read-only error: an unfinished rollback
 * journal says SQLITE_READONLY_ROLLBACK, and must not be read past.)
 */
static int
readonly_dir_error(struct store *st)
{
	int rc = sqlite3_extended_errcode(st->db);

	return rc == SQLITE_READONLY_DIRECTORY ||
	       rc == SQLITE_READONLY_CANTINIT || (rc & 0xff) == SQLITE_CANTOPEN;
}

static int configure(struct store *st, int readonly);

/*
 * *stp failed to read; when the directory is why, replace it by an
 * immutable connection and read the schema version there.
 */
static int
reopen_immutable(struct store **stp, const char *path, int *v)
{
	struct store *im;

	if (!readonly_dir_error(*stp))
		return DL_ERR;
	if ((im = open_immutable(path)) == NULL)
		return DL_ERR;
	store_close(*stp);
	*stp = im;
	error_clear();
	if (configure(im, 1) != DL_OK || read_user_version(im, v) != DL_OK)
		return DL_ERR;
	return DL_OK;
}

/* Pragmas in effect for every connection. */
static int
configure(struct store *st, int readonly)
{
	const char *cap = getenv("DLREPRO_TEST_MAX_PAGES");

	if (store_exec(st, "PRAGMA foreign_keys = ON") != DL_OK)
		return DL_ERR;
	/* tests only: a disk that fills up, as SQLITE_FULL */
	if (cap != NULL && *cap != '\0') {
		char *sql = xasprintf("PRAGMA max_page_count = %ld",
				      strtol(cap, NULL, 10));
		int rc = store_exec(st, sql);

		free(sql);
		if (rc != DL_OK)
			return DL_ERR;
	}
	if (!readonly) {
		/*
		 * WAL lets the dashboard read while a command writes; FULL
		 * makes each committed event survive a power cut, not just
		 * a killed process.
		 */
		sqlite3_stmt *s = store_prepare(st, "PRAGMA journal_mode = WAL");

		if (s == NULL)
			return DL_ERR;
		if (sqlite3_step(s) != SQLITE_ROW) {
			store_finalize(st, s);
			return store_fail(st, "cannot enable WAL");
		}
		store_finalize(st, s);
		if (store_exec(st, "PRAGMA synchronous = FULL") != DL_OK)
			return DL_ERR;
	}
	return DL_OK;
}

struct store *
store_open(const char *path)
{
	struct store *st;
	int v = 0;

	st = open_common(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
	if (st == NULL)
		return NULL;
	if (sqlite3_db_readonly(st->db, "main") == 1) {
		/* A read-only file may still be read; writes will say why. */
		if ((configure(st, 1) != DL_OK ||
		     read_user_version(st, &v) != DL_OK) &&
		    reopen_immutable(&st, path, &v) != DL_OK)
			goto fail;
		goto readonly;
	}
	/*
	 * Refuse another program's file or a newer schema before WAL or
	 * anything else writes.
	 */
	if (read_user_version(st, &v) != DL_OK) {
		/* a writable file in a directory that is not */
		if (reopen_immutable(&st, path, &v) != DL_OK)
			goto fail;
		goto readonly;
	}
	if (check_owner(st, v) != DL_OK)
		goto fail;
	if (v > store_latest_version()) {
		error_set("%s: database schema version %d is newer than this "
			  "dlrepro knows (%d); refusing to touch it (upgrade "
			  "dlrepro)", path, v, store_latest_version());
		goto fail;
	}
	if (configure(st, 0) != DL_OK || migrate(st) != DL_OK)
		goto fail;
	return st;
readonly:
	if (check_owner(st, v) != DL_OK)
		goto fail;
	if (v != store_latest_version()) {
		error_set("%s: database is read-only and its schema (version "
			  "%d) needs %s", path, v,
			  v > store_latest_version() ? "a newer dlrepro"
						     : "an upgrade");
		goto fail;
	}
	st->version = v;
	return st;
fail:
	store_close(st);
	return NULL;
}

struct store *
store_open_readonly(const char *path)
{
	struct store *st;
	int v = 0;

	st = open_common(path, SQLITE_OPEN_READONLY);
	if (st == NULL)
		return NULL;
	if ((configure(st, 1) != DL_OK ||
	     read_user_version(st, &v) != DL_OK) &&
	    reopen_immutable(&st, path, &v) != DL_OK)
		goto fail;
	if (check_owner(st, v) != DL_OK)
		goto fail;
	if (v != store_latest_version()) {
		error_set("%s: schema version %d, this dlrepro needs %d", path,
			  v, store_latest_version());
		goto fail;
	}
	st->version = v;
	return st;
fail:
	store_close(st);
	return NULL;
}

void
store_close(struct store *st)
{
	if (st == NULL)
		return;
	cache_clear(st);
	if (st->db != NULL)
		sqlite3_close_v2(st->db);
	free(st->path);
	free(st);
}

const char *
store_path(const struct store *st)
{
	return st->path;
}

int
store_schema_version(const struct store *st)
{
	return st->version;
}

/* Every write but derived data waits for the disk (see configure()). */
static void
restore_durability(struct store *st)
{
	if (st->relaxed) {
		sqlite3_exec(st->db, "PRAGMA synchronous = FULL", NULL, NULL,
			     NULL);
		st->relaxed = 0;
	}
}

int
store_begin(struct store *st)
{
	if (st->depth++ > 0)
		return DL_OK;
	st->failed = 0;
	if (sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) !=
	    SQLITE_OK) {
		st->depth = 0;
		return store_fail(st, "cannot start a transaction");
	}
	return DL_OK;
}

int
store_durable(struct store *st)
{
	sqlite3_stmt *s = store_prepare(st, "PRAGMA synchronous");
	int full = 0;

	if (s != NULL && sqlite3_step(s) == SQLITE_ROW)
		full = sqlite3_column_int(s, 0) >= 2;
	store_finalize(st, s);
	return full;
}

int
store_begin_derived(struct store *st)
{
	if (st->depth > 0)
		return store_begin(st);
	if (sqlite3_exec(st->db, "PRAGMA synchronous = NORMAL", NULL, NULL,
			 NULL) != SQLITE_OK)
		return store_fail(st, "cannot relax durability");
	st->relaxed = 1;
	if (store_begin(st) != DL_OK) {
		restore_durability(st);
		return DL_ERR;
	}
	return DL_OK;
}

int
store_commit(struct store *st)
{
	if (st->depth <= 0)
		return error_set("%s: commit without a transaction", st->path);
	if (--st->depth > 0)
		return DL_OK;
	if (st->failed) {
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
		restore_durability(st);
		return error_set("%s: transaction rolled back", st->path);
	}
	if (sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		store_fail(st, "cannot commit");
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
		restore_durability(st);
		return DL_ERR;
	}
	restore_durability(st);
	return DL_OK;
}

void
store_rollback(struct store *st)
{
	if (st->depth <= 0)
		return;
	if (--st->depth > 0) {
		st->failed = 1;
		return;
	}
	sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	restore_durability(st);
}

int64_t
store_data_version(struct store *st)
{
	sqlite3_stmt *s = store_prepare(st, "PRAGMA data_version");
	int64_t v = -1;

	if (s == NULL)
		return -1;
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	store_finalize(st, s);
	return v;
}

static char *
default_path(int create)
{
	const char *env = getenv("DLREPRO_DB");
	const char *xdg = getenv("XDG_DATA_HOME");
	const char *home = getenv("HOME");
	char *dir, *path;

	if (env != NULL && *env != '\0')
		return xstrdup(env);
	if (xdg != NULL && *xdg == '/')
		dir = xasprintf("%s/dlrepro", xdg);
	else if (home != NULL && *home != '\0')
		dir = xasprintf("%s/.local/share/dlrepro", home);
	else
		dir = xstrdup("./.dlrepro");
	if (create && mkdir_p(dir, 0700) != DL_OK) {
		free(dir);
		return NULL;
	}
	path = xasprintf("%s/dlrepro.db", dir);
	free(dir);
	return path;
}

char *
store_default_path(void)
{
	return default_path(1);
}

char *
store_default_path_peek(void)
{
	return default_path(0);
}
