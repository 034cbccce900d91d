/*
 * test_core.c - unit tests of the core: utilities, post ids, question
 * parsing, the store (migrations, refusal of a newer schema, upsert,
 * listing) and data loading (including corrupt files) and import.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <cjson/cJSON.h>
#include <sqlite3.h>

#include "dlrepro/csv.h"
#include "dlrepro/data.h"
#include "dlrepro/import.h"
#include "dlrepro/post.h"
#include "dlrepro/report.h"
#include "dlrepro/store.h"
#include "dlrepro/store_api.h"
#include "dlrepro/util.h"

static char tmp[256];

static int
setup_tmp(void **state)
{
	(void)state;
	snprintf(tmp, sizeof tmp, "%s/dlrepro-unit-XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(tmp));
	return 0;
}

static int
teardown_tmp(void **state)
{
	char cmd[300];

	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
	assert_int_equal(system(cmd), 0);
	return 0;
}

static char *
tmp_path(const char *name)
{
	return xasprintf("%s/%s", tmp, name);
}

static void
test_sv_uniq(void **state)
{
	struct strvec sv;
	const char *in[] = { "so:1", "so:2", "so:1", "gh:a/b#3", "so:2", "so:1" };

	(void)state;
	sv_init(&sv);
	sv_uniq(&sv);		/* empty: nothing to do, nothing to free */
	assert_int_equal(sv.n, 0);
	for (size_t i = 0; i < sizeof in / sizeof in[0]; i++)
		sv_push(&sv, in[i]);
	sv_uniq(&sv);
	assert_int_equal(sv.n, 3);
	assert_string_equal(sv.v[0], "so:1");
	assert_string_equal(sv.v[1], "so:2");
	assert_string_equal(sv.v[2], "gh:a/b#3");
	assert_null(sv.v[3]);
	sv_done(&sv);
}

static void
test_strbuf(void **state)
{
	struct strbuf sb;
	char *s;

	(void)state;
	sb_init(&sb);
	for (int i = 0; i < 1000; i++)
		sb_addf(&sb, "%d,", i);
	assert_int_equal(sb.len, strlen(sb.s));
	assert_memory_equal(sb.s, "0,1,2,", 6);
	s = sb_detach(&sb);
	assert_null(sb.s);
	free(s);
}

static void
test_term_safe(void **state)
{
	char *s;

	(void)state;
	s = term_safe("a\033]0;pwned\007b\xc2\x9b" "c\xff" "d\xc3\xa9");
	/* the OSC goes whole, the 8-bit CSI introducer alone */
	assert_string_equal(s, "ab\xef\xbf\xbd" "c\xef\xbf\xbd" "d\xc3\xa9");
	free(s);
	s = term_safe("t\001x\x7f\r\n\ty\xc2\x85" "z\033[31mr\xff\xfe");
	assert_string_equal(s, "t\xef\xbf\xbdx\xef\xbf\xbd  y\xef\xbf\xbd"
			    "zr\xef\xbf\xbd\xef\xbf\xbd");
	free(s);
	s = term_safe(NULL);
	assert_string_equal(s, "");
	free(s);
}

static void
test_iso8601(void **state)
{
	double t;
	char buf[40];

	(void)state;
	assert_int_equal(parse_iso8601("2024-01-02", &t), DL_OK);
	assert_true(t == 1704153600.0);
	format_iso8601(1704153600.25, buf, sizeof buf);
	assert_string_equal(buf, "2024-01-02T00:00:00.250Z");
	assert_int_equal(parse_iso8601("2024-13-02", &t), DL_ERR);
	assert_int_equal(parse_iso8601("yesterday", &t), DL_ERR);
	assert_non_null(strstr(error_msg(), "YYYY-MM-DDTHH:MM[:SS]Z"));
	/* a day the month does not have */
	assert_int_equal(parse_iso8601("2024-02-30", &t), DL_ERR);
	assert_int_equal(parse_iso8601("2023-02-29", &t), DL_ERR);
	assert_int_equal(parse_iso8601("2024-04-31T10:00:00Z", &t), DL_ERR);
	assert_int_equal(parse_iso8601("2024-02-29", &t), DL_OK);
	/* times, seconds optional, fractions kept */
	assert_int_equal(parse_iso8601("2024-01-02T10:15Z", &t), DL_OK);
	assert_true(t == 1704153600.0 + 10 * 3600 + 15 * 60);
	assert_int_equal(parse_iso8601("2024-01-02T10:15:30.5Z", &t), DL_OK);
	assert_true(t == 1704153600.0 + 10 * 3600 + 15 * 60 + 30.5);
	assert_int_equal(parse_iso8601("2024-01-02 10:15:30+00:00", &t), DL_OK);
	assert_int_equal(parse_iso8601("2024-01-02T10:15:Z", &t), DL_ERR);
	assert_int_equal(parse_iso8601("2024-01-02T25:00Z", &t), DL_ERR);
	assert_int_equal(parse_iso8601("2024-01-02Tnoon", &t), DL_ERR);
	/* fixed-width digits only: no signs, spaces, exponents or hex */
	assert_int_equal(parse_iso8601("2024-01-02T10:-5Z", &t), DL_ERR);
	assert_int_equal(parse_iso8601("2024-01-02T 1: 5Z", &t), DL_ERR);
	assert_int_equal(parse_iso8601("2024-01-02T10:15:1e1Z", &t), DL_ERR);
	assert_int_equal(parse_iso8601("2024-01-02T10:15:0x1p3Z", &t), DL_ERR);
	assert_int_equal(parse_iso8601("2024-1-02", &t), DL_ERR);
	assert_int_equal(parse_iso8601("+024-01-02", &t), DL_ERR);
	/* a leap second would roll into the next year: refused */
	assert_int_equal(parse_iso8601("2024-12-31T23:59:60.5Z", &t), DL_ERR);
	assert_int_equal(parse_iso8601("2024-12-31T23:59:59.5Z", &t), DL_OK);
	assert_true(t == 1735689599.5);
}

static void
test_post_ids(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "123", "so:123" },
		{ "so:0123", "so:123" },
		{ "se:DataScience:42", "se:datascience:42" },
		{ "gh:pytorch/pytorch#1234", "gh:pytorch/pytorch#1234" },
		{ "manual:7", "manual:7" },
		{ "abc", NULL },
		{ "so:", NULL },
		{ "so:12a", NULL },
		{ "gh:pytorch#1", NULL },
		{ "gh:a/b c#1", NULL },
		{ "", NULL },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char *got = post_id_normalize(cases[i].in);

		if (cases[i].out == NULL) {
			assert_null(got);
			assert_non_null(strstr(error_msg(), "not a post id"));
		} else {
			assert_non_null(got);
			assert_string_equal(got, cases[i].out);
		}
		free(got);
	}
}

static void
test_entities(void **state)
{
	char *s;

	(void)state;
	s = html_entity_decode("I can&#39;t &quot;x&quot; &amp;lt; &#227;"
			       " &#x41; &eacute; &bogus; & ;");
	assert_string_equal(s, "I can't \"x\" &lt; \xc3\xa3 A \xc3\xa9 "
			       "&bogus; & ;");
	free(s);
}

static void
test_post_from_json(void **state)
{
	struct post p;
	cJSON *o;

	(void)state;
	o = cJSON_Parse("{\"question_id\":5,\"title\":\"a &amp; b\","
			"\"tags\":[\"x\",\"y\"],\"score\":-2,"
			"\"body\":\"<p>hi</p>\"}");
	assert_int_equal(post_from_se_json(o, NULL, &p), DL_OK);
	assert_string_equal(p.id, "so:5");
	assert_string_equal(p.title, "a & b");
	assert_int_equal(p.tags.n, 2);
	assert_int_equal(p.score, -2);
	post_done(&p);
	cJSON_Delete(o);

	o = cJSON_Parse("{\"question_id\":\"5\",\"title\":\"t\"}");
	assert_int_equal(post_from_se_json(o, NULL, &p), DL_ERR);
	assert_non_null(strstr(error_msg(), "question_id"));
	post_done(&p);
	cJSON_Delete(o);

	o = cJSON_Parse("{\"question_id\":6,\"title\":\"t\",\"tags\":\"x\"}");
	assert_int_equal(post_from_se_json(o, NULL, &p), DL_ERR);
	assert_non_null(strstr(error_msg(), "tags"));
	post_done(&p);
	cJSON_Delete(o);

	o = cJSON_Parse("{\"question_id\":7}");
	assert_int_equal(post_from_se_json(o, "datascience", &p), DL_ERR);
	assert_non_null(strstr(error_msg(), "title"));
	post_done(&p);
	cJSON_Delete(o);
}

static void
make_post(struct post *p, const char *id, const char *title, int score)
{
	post_init(p);
	p->id = xstrdup(id);
	p->source = POST_SO;
	p->site = xstrdup("stackoverflow");
	p->external_id = xstrdup(strchr(id, ':') + 1);
	free(p->title);
	p->title = xstrdup(title);
	p->score = score;
	sv_push(&p->tags, "pytorch");
}

static int
count_row(const struct post_row *r, void *arg)
{
	(void)r;
	(*(int *)arg)++;
	return 0;
}

/* The word-by-word form of text that is no FTS5 query keeps operators. */
static void
test_fts_quote(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "tf.keras", "\"tf.keras\"" },
		{ "cuda:0 model.fit", "\"cuda:0\" \"model.fit\"" },
		{ "tf.keras OR c++", "\"tf.keras\" OR \"c++\"" },
		{ "a\"b AND  cuda:0", "\"a\"\"b\" AND \"cuda:0\"" },
		{ "tf.keras NOT c++", "\"tf.keras\" NOT \"c++\"" },
		/* not between two words: a word */
		{ "cuda:0 OR", "\"cuda:0\" \"OR\"" },
		{ "OR cuda:0", "\"OR\" \"cuda:0\"" },
		{ "a OR OR b", "\"a\" \"OR\" OR \"b\"" },
		{ "x or y", "\"x\" \"or\" \"y\"" },
		{ "ORe cuda", "\"ORe\" \"cuda\"" },
	};
	char *q;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		q = store_fts_quote(cases[i].in);
		assert_non_null(q);
		assert_string_equal(q, cases[i].out);
		free(q);
	}
	assert_null(store_fts_quote(" \t "));
}

static void
test_store_roundtrip(void **state)
{
	char *path = tmp_path("a.db");
	struct store *st;
	struct post p, q;
	struct post_query pq;
	int n = 0;

	(void)state;
	st = store_open(path);
	assert_non_null(st);
	assert_int_equal(store_schema_version(st), store_latest_version());
	make_post(&p, "so:10", "Tensor shape mismatch", 5);
	assert_int_equal(store_post_put(st, &p), DL_OK);
	free(p.title);
	p.title = xstrdup("Tensor shape mismatch (edited)");
	assert_int_equal(store_post_put(st, &p), DL_OK);	/* upsert */
	post_done(&p);
	make_post(&p, "so:9", "CUDA out of memory", 7);
	assert_int_equal(store_post_put(st, &p), DL_OK);
	post_done(&p);
	assert_int_equal(store_post_count(st), 2);
	assert_int_equal(store_post_get(st, "so:10", &q), DL_OK);
	assert_string_equal(q.title, "Tensor shape mismatch (edited)");
	assert_int_equal(q.tags.n, 1);
	post_done(&q);
	assert_int_equal(store_post_get(st, "so:11", &q), DL_NOTFOUND);

	post_query_init(&pq);
	pq.fts = "edited";
	assert_int_equal(store_post_list(st, &pq, count_row, &n), DL_OK);
	assert_int_equal(n, 1);
	pq.fts = "\"unbalanced";
	assert_int_equal(store_post_list(st, &pq, count_row, &n), DL_ERR);
	assert_int_equal(store_fts_check(st, "\"unbalanced"), DL_NOTFOUND);
	assert_non_null(strstr(error_msg(), "is not a valid search"));
	assert_int_equal(store_fts_check(st, "cuda:0"), DL_NOTFOUND);
	assert_int_equal(store_fts_check(st, "edited OR cuda"), DL_OK);
	assert_int_equal(store_fts_check(st, "nomatch*"), DL_OK);
	error_clear();
	assert_int_equal(store_post_set_triage(st, "so:9", TRIAGE_IGNORED),
			 DL_OK);
	post_query_init(&pq);
	pq.triage = TRIAGE_IGNORED;
	assert_int_equal(store_post_list_count(st, &pq), 1);
	assert_int_equal(store_post_delete(st, "so:9", 0), DL_OK);
	assert_int_equal(store_post_delete(st, "so:9", 0), DL_NOTFOUND);
	assert_int_equal(store_post_count(st), 1);
	store_close(st);

	/* Reopening applies no migration and keeps the rows. */
	st = store_open(path);
	assert_non_null(st);
	assert_int_equal(store_post_count(st), 1);
	store_close(st);
	free(path);
}

/*
 * A database file deleted, or replaced by a rename, while open: SQLite
 * would go on writing to the unlinked file and every later change would
 * be lost without a word.  The write fails, naming why, both for a
 * single statement and for a transaction.
 */
static void
test_store_file_gone(void **state)
{
	char *path = tmp_path("gone.db"), *other = tmp_path("other.db");
	char *wal = xasprintf("%s-wal", path), *shm = xasprintf("%s-shm", path);
	struct store *st, *o;
	struct post p;

	(void)state;
	st = store_open(path);
	assert_non_null(st);
	make_post(&p, "so:1", "first", 1);
	assert_int_equal(store_post_put(st, &p), DL_OK);
	post_done(&p);
	assert_int_equal(unlink(path), 0);
	unlink(wal);
	unlink(shm);
	assert_int_equal(store_post_set_triage(st, "so:1", TRIAGE_IGNORED),
			 DL_ERR);
	assert_non_null(strstr(error_msg(), "deleted or replaced"));
	make_post(&p, "so:2", "second", 1);
	assert_int_equal(store_post_put(st, &p), DL_ERR);
	assert_non_null(strstr(error_msg(), "deleted or replaced"));
	post_done(&p);
	store_close(st);

	/* renamed over: the path names another file now */
	st = store_open(path);
	assert_non_null(st);
	o = store_open(other);
	assert_non_null(o);
	store_close(o);
	assert_int_equal(rename(other, path), 0);
	assert_int_equal(store_post_set_triage(st, "so:1", TRIAGE_IGNORED),
			 DL_ERR);
	assert_non_null(strstr(error_msg(), "deleted or replaced"));
	store_close(st);
	free(wal);
	free(shm);
	free(other);
	free(path);
}

static void
test_store_derived_durability(void **state)
{
	char *path = tmp_path("d.db");
	struct store *st = store_open(path);

	(void)state;
	assert_non_null(st);
	assert_true(store_durable(st));
	assert_int_equal(store_begin_derived(st), DL_OK);
	assert_false(store_durable(st));
	assert_int_equal(store_commit(st), DL_OK);
	assert_true(store_durable(st));
	/* Nested inside an ordinary transaction: stays durable. */
	assert_int_equal(store_begin(st), DL_OK);
	assert_int_equal(store_begin_derived(st), DL_OK);
	assert_true(store_durable(st));
	assert_int_equal(store_commit(st), DL_OK);
	assert_int_equal(store_commit(st), DL_OK);
	/* A rolled-back derived transaction restores it too. */
	assert_int_equal(store_begin_derived(st), DL_OK);
	store_rollback(st);
	assert_true(store_durable(st));
	store_close(st);
	free(path);
}

/* A report post with body b, through store_post_put_report(). */
static int
put_report(struct store *st, const char *title, const char *b, char **id,
	   int *existing)
{
	struct post p;
	int rc;

	post_init(&p);
	p.source = POST_MANUAL;
	p.format = POST_MARKDOWN;
	free(p.title);
	p.title = xstrdup(title);
	free(p.body);
	p.body = xstrdup(b);
	rc = store_post_put_report(st, &p, 0, existing);
	*id = rc == DL_OK ? xstrdup(p.id) : NULL;
	post_done(&p);
	return rc;
}

static void
test_store_reports(void **state)
{
	char *path = tmp_path("reports.db"), *a, *b, *c, *sql;
	struct store *st;
	struct post p;
	struct post_query q;
	sqlite3 *db;
	int existing;
	long long na, nc;

	(void)state;
	st = store_open(path);
	assert_non_null(st);
	assert_int_equal(put_report(st, "NaN loss", "loss is nan\n", &a,
				    &existing), DL_OK);
	assert_false(existing);
	assert_int_equal(strncmp(a, "manual:", 7), 0);
	/* the same text again: the same post, its title updated */
	assert_int_equal(put_report(st, "NaN loss (LSTM)", "loss is nan\n",
				    &b, &existing), DL_OK);
	assert_true(existing);
	assert_string_equal(a, b);
	assert_int_equal(store_post_count(st), 1);
	assert_int_equal(store_post_get(st, a, &p), DL_OK);
	assert_string_equal(p.title, "NaN loss (LSTM)");
	assert_int_equal(p.source, POST_MANUAL);
	post_done(&p);
	free(b);
	/* title and tags the caller only defaulted stay as stored */
	post_init(&p);
	p.source = POST_MANUAL;
	p.format = POST_MARKDOWN;
	free(p.title);
	p.title = xstrdup("loss is nan");
	free(p.body);
	p.body = xstrdup("loss is nan\n");
	assert_int_equal(store_post_put_report(st, &p, STORE_REPORT_KEEP_TITLE |
					       STORE_REPORT_KEEP_TAGS,
					       &existing), DL_OK);
	assert_true(existing);
	post_done(&p);
	assert_int_equal(store_post_get(st, a, &p), DL_OK);
	assert_string_equal(p.title, "NaN loss (LSTM)");
	post_done(&p);
	/* a CR LF copy is the same report: compared as stored */
	assert_int_equal(put_report(st, "t", "loss is nan\r\n", &b,
				    &existing), DL_OK);
	assert_true(existing);
	assert_string_equal(a, b);
	free(b);
	/* another report on a's number (changed under it): the next one */
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	sql = xasprintf("UPDATE posts SET body = 'other' WHERE id = '%s'", a);
	assert_int_equal(sqlite3_exec(db, sql, 0, 0, 0), SQLITE_OK);
	free(sql);
	assert_int_equal(put_report(st, "t", "loss is nan\n", &c, &existing),
			 DL_OK);
	assert_false(existing);
	na = atoll(a + 7);
	nc = atoll(c + 7);
	assert_true(nc == na + 1 || (na == 9999999999LL && nc == 1));
	/* a placeholder (an imported session's post, no body) is taken */
	sql = xasprintf("DELETE FROM posts WHERE id = '%s';"
			"UPDATE posts SET body = '' WHERE id = '%s'", c, a);
	assert_int_equal(sqlite3_exec(db, sql, 0, 0, 0), SQLITE_OK);
	free(sql);
	sqlite3_close(db);
	free(c);
	assert_int_equal(put_report(st, "t", "loss is nan\n", &c, &existing),
			 DL_OK);
	assert_string_equal(a, c);
	free(c);
	/* its place in a list, and outside a filter */
	assert_int_equal(put_report(st, "GPU", "cuda oom\n", &b, &existing),
			 DL_OK);
	post_query_init(&q);
	q.sort = POST_SORT_TITLE;
	assert_int_equal(store_post_list_position(st, &q, b), 0);
	assert_int_equal(store_post_list_position(st, &q, a), 1);
	q.descending = 1;
	assert_int_equal(store_post_list_position(st, &q, a), 0);
	q.fts = "GPU";
	assert_int_equal(store_post_list_position(st, &q, a), -2);
	assert_int_equal(store_post_list_position(st, &q, b), 0);
	free(b);
	free(a);
	store_close(st);
	free(path);
}

static void
test_report_titles(void **state)
{
	struct post p;
	char *t;
	const char *long_line = "I have constructed an ANN in keras which has "
		"1 input layer, one output layer and two hidden layers with 12 "
		"and 3 nodes respectively, as shown below.";

	(void)state;
	post_init(&p);
	/* JSON posts or a report? A link at the start is Markdown. */
	assert_true(report_looks_json(" \n{\"items\": []}", 15));
	assert_true(report_looks_json("[ {}]", 5));
	assert_false(report_looks_json("[Colab](https://x)", 18));
	assert_false(report_looks_json("", 0));
	/* title, tags and format from the options and the text */
	assert_int_equal(report_to_post("r.md", "  # Loss is NaN ##\nbody", 23,
					NULL, "pytorch, amp", NULL, &p), DL_OK);
	assert_string_equal(p.title, "Loss is NaN");
	assert_string_equal(p.id, "file:r.md");
	assert_int_equal(p.tags.n, 2);
	assert_string_equal(p.tags.v[1], "amp");
	assert_int_equal(p.format, POST_MARKDOWN);
	post_done(&p);
	/* a # glued to the text is the text's, not a closing sequence */
	post_init(&p);
	assert_int_equal(report_to_post("-", "# Crash in C#\n", 14, NULL,
					NULL, NULL, &p), DL_OK);
	assert_string_equal(p.title, "Crash in C#");
	post_done(&p);
	post_init(&p);
	assert_int_equal(report_to_post("page.HTM", "<p>x</p>", 8, NULL, NULL,
					NULL, &p), DL_OK);
	assert_int_equal(p.format, POST_HTML);
	assert_string_equal(p.title, "");
	post_done(&p);
	post_init(&p);
	assert_int_equal(report_to_post("-", "x", 1, NULL, NULL, "rtf", &p),
			 DL_ERR);
	post_done(&p);
	/* a body that C strings would cut at its first NUL */
	post_init(&p);
	assert_int_equal(report_to_post("-", "x\0y", 3, NULL, NULL, "text",
					&p), DL_ERR);
	assert_non_null(strstr(error_msg(), "standard input: holds NUL"));
	post_done(&p);
	/* a first line as title: whole when short, else cut on a word */
	post_init(&p);
	assert_int_equal(report_to_post("-", long_line, strlen(long_line),
					NULL, NULL, "text", &p), DL_OK);
	t = report_default_title(&p);
	assert_string_equal(t, "I have constructed an ANN in keras which has 1 "
			    "input layer, one output layer and two hidden "
			    "layers\xe2\x80\xa6");
	assert_true(report_title_repeats_text(t, long_line));
	assert_false(report_title_repeats_text("A real title", long_line));
	free(t);
	post_done(&p);
	post_init(&p);
	assert_int_equal(report_to_post("-", "\n\n  Short one.\nMore", 19,
					NULL, NULL, "text", &p), DL_OK);
	t = report_default_title(&p);
	assert_string_equal(t, "Short one.");
	free(t);
	post_done(&p);
	post_init(&p);
	assert_int_equal(report_to_post("-", " \n", 2, NULL, NULL, "text",
					&p), DL_OK);
	t = report_default_title(&p);
	assert_string_equal(t, "(untitled report)");
	free(t);
	post_done(&p);
}

static void
test_store_newer_schema_refused(void **state)
{
	char *path = tmp_path("newer.db");
	sqlite3 *db;
	struct stat before, after;
	struct store *st;
	char pragma[64];

	(void)state;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d",
		 store_latest_version() + 1);
	/* a newer dlrepro's file: our application id ("DLRP") */
	assert_int_equal(sqlite3_exec(db, "CREATE TABLE x(y);"
				      "PRAGMA application_id = 1145852496",
				      0, 0, 0), 0);
	assert_int_equal(sqlite3_exec(db, pragma, 0, 0, 0), SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(stat(path, &before), 0);
	st = store_open(path);
	assert_null(st);
	assert_non_null(strstr(error_msg(), "newer"));
	assert_int_equal(stat(path, &after), 0);
	assert_int_equal(before.st_size, after.st_size);
	assert_true(before.st_mtime == after.st_mtime);
	free(path);
}

/* Open path, expect refusal naming it, and check the file is untouched. */
static void
expect_foreign(const char *path, const char *why)
{
	struct stat before, after;
	char *wal = xasprintf("%s-wal", path);

	assert_int_equal(stat(path, &before), 0);
	assert_null(store_open(path));
	assert_non_null(strstr(error_msg(), "not a dlrepro database"));
	assert_non_null(strstr(error_msg(), why));
	assert_non_null(strstr(error_msg(), path));
	assert_null(store_open_readonly(path));
	assert_non_null(strstr(error_msg(), "not a dlrepro database"));
	assert_int_equal(stat(path, &after), 0);
	assert_int_equal(before.st_size, after.st_size);
	assert_true(before.st_mtime == after.st_mtime);
	assert_int_equal(access(wal, F_OK), -1);
	free(wal);
}

static void
test_store_foreign_refused(void **state)
{
	char *path = tmp_path("foreign.db"), *neg = tmp_path("neg.db");
	char *app = tmp_path("app.db");
	sqlite3 *db;

	(void)state;
	/* another program's database given to --db by mistake */
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "CREATE TABLE moz_places(url);"
				      "INSERT INTO moz_places VALUES ('x')",
				      0, 0, 0), 0);
	sqlite3_close(db);
	expect_foreign(path, "tables of another program");
	/* a negative schema version once indexed the migrations with -1 */
	assert_int_equal(sqlite3_open(neg, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "CREATE TABLE t(x);"
				      "PRAGMA user_version = -3", 0, 0, 0), 0);
	sqlite3_close(db);
	expect_foreign(neg, "schema version -3");
	/* another program's application id, even on an empty file */
	assert_int_equal(sqlite3_open(app, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA application_id = 42",
				      0, 0, 0), 0);
	sqlite3_close(db);
	expect_foreign(app, "application id 0x0000002a");
	free(path);
	free(neg);
	free(app);
}

static void
test_store_marks_legacy(void **state)
{
	char *path = tmp_path("legacy.db");
	struct store *st;
	sqlite3 *db;
	sqlite3_stmt *s;

	(void)state;
	/*
	 * A database made before the application id was set (schema 4 at
	 * most) is ours: marked, and brought up to date, when opened.
	 */
	st = store_open(path);
	assert_non_null(st);
	store_close(st);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA application_id = 0;"
				      "PRAGMA user_version = 4", 0, 0, 0), 0);
	sqlite3_close(db);
	st = store_open(path);
	assert_non_null(st);
	store_close(st);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA application_id", -1,
					    &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(s, 0), 0x444c5250);
	sqlite3_finalize(s);
	sqlite3_close(db);
	free(path);
}

static void
test_store_migrates_legacy(void **state)
{
	char *path = tmp_path("legacy2.db"), *blog = tmp_path("blog.db");
	struct store *st;
	sqlite3 *db;

	(void)state;
	/* a dlrepro database at schema 2, made before the application id
	 * and before the sessions tables (migration 3) */
	st = store_open(path);
	assert_non_null(st);
	store_close(st);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "DROP TABLE api_state;"
				      "DROP TABLE session_events;"
				      "DROP TABLE sessions;"
				      "DROP TABLE participants;"
				      "DROP TABLE studies;"
				      "PRAGMA user_version = 2;"
				      "PRAGMA application_id = 0", 0, 0, 0), 0);
	sqlite3_close(db);
	st = store_open(path);
	assert_non_null(st);
	assert_int_equal(store_schema_version(st), store_latest_version());
	store_close(st);
	/* another program's posts table at version 1 is not that */
	assert_int_equal(sqlite3_open(blog, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "CREATE TABLE posts(id, body);"
				      "PRAGMA user_version = 1", 0, 0, 0), 0);
	sqlite3_close(db);
	expect_foreign(blog, "tables of another program");
	free(path);
	free(blog);
}

static void
test_store_migrates_old_schema(void **state)
{
	char *path = tmp_path("old.db");
	struct store *st;
	sqlite3 *db;

	(void)state;
	/* A database stopped after migration 1 is brought up to date. */
	st = store_open(path);
	assert_non_null(st);
	store_close(st);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "DROP TABLE api_state;"
				      "PRAGMA user_version = 3", 0, 0, 0), 0);
	sqlite3_close(db);
	st = store_open(path);
	assert_non_null(st);
	assert_int_equal(store_schema_version(st), store_latest_version());
	store_close(st);
	free(path);
}

static void
test_store_unwritable(void **state)
{
	char *path = tmp_path("nodir/sub/x.db");

	(void)state;
	assert_null(store_open(path));
	assert_non_null(strstr(error_msg(), "x.db"));
	free(path);
}

static void
test_data_load(void **state)
{
	struct dl_data *d;

	(void)state;
	d = data_load(NULL);
	assert_non_null(d);
	assert_string_equal(d->types[TYPE_GPU].id, "gpu");
	assert_int_equal(d->cats[CAT_CODE].letter, 'C');
	assert_string_equal(d->actions[ACT_VERSION_MIGRATION].id,
			    "version-migration");
	assert_true(d->threshold > 0.29 && d->threshold < 0.31);
	/* Figures the dataset README gives (Table 8 corrected). */
	assert_true(d->tables[TYPE_TENSOR].action[ACT_INPUT_DATA_GENERATION]
		    > 0.57);
	assert_int_equal(d->tables[TYPE_GPU].n, 3);
	assert_int_equal(d->tables[TYPE_MIXED].n, 4);
	assert_true(d->all.n >= d->tables[TYPE_MODEL].n);
	data_free(d);
	assert_int_equal(data_action_from_id("logging"), ACT_LOGGING);
	assert_int_equal(data_action_from_id("nope"), -1);
}

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void
copy_file(const char *from, const char *to)
{
	char *cmd = xasprintf("cp '%s' '%s'", from, to);

	assert_int_equal(system(cmd), 0);
	free(cmd);
}

static void
test_data_corrupt(void **state)
{
	char *dir = tmp_path("data");
	char *tax = tmp_path("data/taxonomy.json");
	char *tab = tmp_path("data/tables.json");
	char *src_tax = xasprintf("%s/taxonomy.json", datadir());
	char *src_tab = xasprintf("%s/tables.json", datadir());

	(void)state;
	assert_int_equal(mkdir_p(dir, 0700), DL_OK);
	assert_null(data_load(dir));
	assert_non_null(strstr(error_msg(), "taxonomy.json"));

	write_file(tax, "{\"types\": [");
	assert_null(data_load(dir));
	assert_non_null(strstr(error_msg(), "malformed JSON"));

	write_file(tax, "{\"types\": []}");
	assert_null(data_load(dir));
	assert_non_null(strstr(error_msg(), "'types'"));

	copy_file(src_tax, tax);
	write_file(tab, "{\"threshold\": 2, \"min_n\": 5, \"source\": \"x\","
			" \"types\": {}}");
	assert_null(data_load(dir));
	assert_non_null(strstr(error_msg(), "threshold"));

	write_file(tab, "{\"threshold\": 0.3, \"min_n\": 5, \"source\": \"x\","
			" \"types\": {\"model\": {\"n\": 1, \"info\": {},"
			" \"actions\": {}}}}");
	assert_null(data_load(dir));
	assert_non_null(strstr(error_msg(), "types.model"));

	copy_file(src_tab, tab);
	struct dl_data *d = data_load(dir);
	assert_non_null(d);
	data_free(d);
	free(dir);
	free(tax);
	free(tab);
	free(src_tax);
	free(src_tab);
}

static int
collect(struct post *p, void *arg)
{
	sv_push(arg, p->id);
	return DL_OK;
}

static void
test_import_formats(void **state)
{
	char *fx = xasprintf("%s/tests/fixtures",
			     getenv("TOP_SRCDIR") ? getenv("TOP_SRCDIR") : ".");
	char *path;
	struct strvec ids;
	size_t n;

	(void)state;
	sv_init(&ids);
	path = xasprintf("%s/posts.json", fx);
	assert_int_equal(import_read(path, NULL, collect, &ids, &n), DL_OK);
	assert_int_equal(n, 3);
	assert_string_equal(ids.v[0], "so:111");
	free(path);
	sv_done(&ids);

	path = xasprintf("%s/posts.jsonl", fx);
	assert_int_equal(import_read(path, NULL, collect, &ids, &n), DL_OK);
	assert_int_equal(n, 3);
	assert_string_equal(ids.v[2], "so:203");
	free(path);
	sv_done(&ids);

	path = xasprintf("%s/truncated.json", fx);
	assert_int_equal(import_read(path, NULL, collect, &ids, &n), DL_ERR);
	assert_non_null(strstr(error_msg(), "truncated.json"));
	free(path);
	sv_done(&ids);

	path = xasprintf("%s/wrongtype.json", fx);
	assert_int_equal(import_read(path, NULL, collect, &ids, &n), DL_ERR);
	assert_non_null(strstr(error_msg(), "question_id"));
	free(path);
	sv_done(&ids);

	path = xasprintf("%s/empty.json", fx);
	assert_int_equal(import_read(path, NULL, collect, &ids, &n), DL_ERR);
	assert_non_null(strstr(error_msg(), "empty"));
	free(path);
	sv_done(&ids);
	free(fx);
}

static void
test_json_nul_escapes(void **state)
{
	char a[] = "{\"t\":\"nul\\u0000byte\",\"u\":\"\\\\u0000\"}";
	char b[] = "{\"k\\u0000\":1}";
	char c[] = "{\"t\":\"x\\\"\\u0000y\"}";
	size_t n;

	(void)state;
	n = json_drop_nul_escapes(a, strlen(a));
	/* an escaped backslash followed by u0000 is text, kept */
	assert_string_equal(a, "{\"t\":\"nulbyte\",\"u\":\"\\\\u0000\"}");
	assert_int_equal(n, strlen(a));
	json_drop_nul_escapes(b, strlen(b));
	assert_string_equal(b, "{\"k\":1}");
	json_drop_nul_escapes(c, strlen(c));
	assert_string_equal(c, "{\"t\":\"x\\\"y\"}");
	{
		/* a byte of the cleaned text, found in the original */
		const char *o = "{\"t\":\"a\\u0000b\\u0000\"} x";
		char d[64];
		size_t m;

		strcpy(d, o);
		m = json_drop_nul_escapes(d, strlen(d));
		assert_string_equal(d, "{\"t\":\"ab\"} x");
		assert_int_equal(json_nul_offset(o, strlen(o), m - 1),
				 strlen(o) - 1);
		assert_int_equal(json_nul_offset(o, strlen(o), 3), 3);
		/* right after a dropped escape: the byte after it */
		assert_int_equal(json_nul_offset(o, strlen(o), 7), 13);
		assert_int_equal(json_nul_offset(o, strlen(o), 8), 20);
	}
}

/* Whatever a source hands in, the store keeps sanitised text. */
static void
test_store_sanitises(void **state)
{
	char *path = tmp_path("s.db");
	struct store *st;
	struct post p, q;
	char *body = NULL;

	(void)state;
	st = store_open(path);
	assert_non_null(st);
	make_post(&p, "so:12", "esc \033]0;PWNED\007 \033[31mred\xff", 1);
	free(p.body);
	p.body = xstrdup("<p>a\033[2Jb\xc2\x9b" "1mc</p>");
	sv_push(&p.tags, "t\001x");
	p.link = xstrdup("https://x/\033[1m");
	assert_int_equal(store_post_put(st, &p), DL_OK);
	/* the caller keeps what was stored */
	assert_string_equal(p.title, "esc  red\xef\xbf\xbd");
	post_done(&p);
	assert_int_equal(store_post_get(st, "so:12", &q), DL_OK);
	assert_string_equal(q.title, "esc  red\xef\xbf\xbd");
	assert_string_equal(q.body, "<p>ab1mc</p>");
	assert_int_equal(q.tags.n, 2);
	assert_string_equal(q.tags.v[1], "tx");
	assert_string_equal(q.link, "https://x/");
	post_done(&q);
	/* fetched answers too */
	assert_int_equal(store_answer_put(st, "so:12", 5, "<p>\033]0;t\007ok"
					  "\xff</p>", 1, 1, 0, NULL), DL_OK);
	assert_int_equal(store_answer_get_accepted(st, "so:12", &body), DL_OK);
	assert_string_equal(body, "<p>ok\xef\xbf\xbd</p>");
	free(body);
	store_close(st);
	free(path);
}

static void
test_import_trailing_data(void **state)
{
	static const struct {
		const char *text;
		const char *msg;	/* NULL: imports */
		size_t n;
	} cases[] = {
		{ "{\"question_id\":17,\"title\":\"a\"}"
		  "{\"question_id\":18,\"title\":\"b\"}",
		  "f: unexpected data after the JSON value at byte 30", 0 },
		{ "{\"question_id\":20,\"title\":\"x\"} trailing garbage\n",
		  "f: unexpected data after the JSON value at byte 31", 0 },
		{ "[{\"question_id\":1,\"title\":\"x\"}]\n"
		  "{\"question_id\":2,\"title\":\"y\"} x\n",
		  "f: line 2: unexpected data after the JSON value at byte 30",
		  1 },
		{ "{\n\"question_id\":1,\n\"title\":\"x\"}\n{}",
		  "f: unexpected data after the JSON value at byte 32", 0 },
		{ "{\"question_id\":1,\"title\":\"x\"} \r\n"
		  "{\"question_id\":2,\"title\":\"y\"}\t", NULL, 2 },
		{ "{\n\"question_id\":1,\n\"title\":\"x\"}\n\n \n", NULL, 1 },
	};
	struct strvec ids;
	size_t i, n;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		FILE *f = fmemopen((void *)cases[i].text,
				   strlen(cases[i].text), "r");
		int rc;

		assert_non_null(f);
		sv_init(&ids);
		rc = import_read_stream(f, "f", NULL, collect, &ids, &n);
		fclose(f);
		if (cases[i].msg != NULL) {
			assert_int_equal(rc, DL_ERR);
			assert_string_equal(error_msg(), cases[i].msg);
		} else {
			assert_int_equal(rc, DL_OK);
		}
		assert_int_equal(n, cases[i].n);
		sv_done(&ids);
	}
}

static void
test_csv_sanitises(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct csv c;

	(void)state;
	assert_non_null(f);
	csv_init(&c, f);
	csv_field(&c, "esc \033]0;PWNED\007 \033[31mred\xc2\x9b" "1m!");
	csv_field(&c, "a,\"b\"\r\nc\xff");
	csv_field(&c, NULL);
	csv_end_row(&c);
	fclose(f);
	assert_string_equal(buf, "esc  red1m!,\"a,\"\"b\"\"\nc\xef\xbf\xbd\",\n");
	free(buf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strbuf),
		cmocka_unit_test(test_sv_uniq),
		cmocka_unit_test(test_term_safe),
		cmocka_unit_test(test_iso8601),
		cmocka_unit_test(test_post_ids),
		cmocka_unit_test(test_entities),
		cmocka_unit_test(test_post_from_json),
		cmocka_unit_test(test_fts_quote),
		cmocka_unit_test(test_store_roundtrip),
		cmocka_unit_test(test_store_derived_durability),
		cmocka_unit_test(test_store_newer_schema_refused),
		cmocka_unit_test(test_store_reports),
		cmocka_unit_test(test_report_titles),
		cmocka_unit_test(test_store_foreign_refused),
		cmocka_unit_test(test_store_marks_legacy),
		cmocka_unit_test(test_store_migrates_legacy),
		cmocka_unit_test(test_store_migrates_old_schema),
		cmocka_unit_test(test_store_unwritable),
		cmocka_unit_test(test_data_load),
		cmocka_unit_test(test_data_corrupt),
		cmocka_unit_test(test_import_formats),
		cmocka_unit_test(test_json_nul_escapes),
		cmocka_unit_test(test_store_sanitises),
		cmocka_unit_test(test_store_file_gone),
		cmocka_unit_test(test_import_trailing_data),
		cmocka_unit_test(test_csv_sanitises),
	};

	return cmocka_run_group_tests_name("core", tests, setup_tmp,
					   teardown_tmp);
}
