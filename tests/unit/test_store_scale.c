/*
 * test_store_scale.c - the store's queries that were rewritten for large
 * databases give the same answers as before: the stale-verdict lookup
 * (two index-only halves), and list and count with a search, walking the
 * sort index instead of the matches, page by page and in every order;
 * and a history's events read with one statement reused across sessions.
 * Speed is measured by bench/cli.sh, never asserted here.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <cmocka.h>

#include "dlrepro/post.h"
#include "dlrepro/session.h"
#include "dlrepro/store.h"
#include "dlrepro/store_session.h"
#include "dlrepro/util.h"
/* the statement cache is the store's own */
#include "../../src/store_internal.h"

static char tmp[256];

static int
setup_tmp(void **state)
{
	(void)state;
	snprintf(tmp, sizeof tmp, "%s/dlrepro-scale-XXXXXX",
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

static struct store *
fresh_store(const char *name)
{
	char *path = xasprintf("%s/%s", tmp, name);
	struct store *st = store_open(path);

	free(path);
	assert_non_null(st);
	return st;
}

static void
put_post(struct store *st, int num, const char *title, int score,
	 int64_t created)
{
	struct post p;

	post_init(&p);
	p.id = xasprintf("so:%d", num);
	p.source = POST_SO;
	p.site = xstrdup("stackoverflow");
	p.external_id = xasprintf("%d", num);
	free(p.title);
	p.title = xstrdup(title);
	p.score = score;
	p.created_at = created;
	sv_push(&p.tags, "pytorch");
	assert_int_equal(store_post_put(st, &p), DL_OK);
	post_done(&p);
}

static void
put_verdict(struct store *st, const char *id, const char *version,
	    const char *type, int mask)
{
	assert_int_equal(store_analysis_put(st, id, version, type, 0.9,
					    "tags", mask, "{}"), DL_OK);
}

static void
assert_ids(const struct strvec *got, const char *const *want, size_t n)
{
	assert_int_equal(got->n, n);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(got->v[i], want[i]);
}

/*
 * Verdicts of an older and of a newer engine are both stale (the version
 * is compared for difference, on either side); posts without one are
 * stale only when asked for; the order is that of insertion.
 */
static void
stale_lookup_finds_both_sides_in_insertion_order(void **state)
{
	struct store *st = fresh_store("stale.db");
	static const char *const outdated[] = { "so:2", "so:3" };
	static const char *const all[] = { "so:4", "so:2", "so:5", "so:3" };
	struct strvec ids;

	(void)state;
	put_post(st, 1, "current", 0, 0);
	put_post(st, 4, "never analysed", 0, 0);
	put_post(st, 2, "older engine", 0, 0);
	put_post(st, 5, "never analysed either", 0, 0);
	put_post(st, 3, "newer engine", 0, 0);
	put_verdict(st, "so:1", "engine-2", "gpu", 31);
	put_verdict(st, "so:2", "engine-1", "gpu", 31);
	put_verdict(st, "so:3", "engine-3", "api", 31);

	sv_init(&ids);
	assert_int_equal(store_analysis_stale(st, "engine-2", 1, &ids), DL_OK);
	assert_ids(&ids, outdated, 2);
	sv_done(&ids);

	sv_init(&ids);
	assert_int_equal(store_analysis_stale(st, "engine-2", 0, &ids), DL_OK);
	assert_ids(&ids, all, 4);
	sv_done(&ids);

	/* once everything is current, nothing is stale */
	put_verdict(st, "so:2", "engine-2", "gpu", 31);
	put_verdict(st, "so:3", "engine-2", "api", 31);
	put_verdict(st, "so:4", "engine-2", "api", 31);
	put_verdict(st, "so:5", "engine-2", "api", 31);
	sv_init(&ids);
	assert_int_equal(store_analysis_stale(st, "engine-2", 0, &ids), DL_OK);
	assert_int_equal(ids.n, 0);
	sv_done(&ids);
	store_close(st);
}

static int
collect(const struct post_row *r, void *arg)
{
	sv_push(arg, r->id);
	return 0;
}

struct order_check {
	enum post_sort sort;
	int desc;
	int n;
	int64_t num, key;	/* previous row's */
	char *title;
};

static int64_t
id_num(const char *id)
{
	return strtoll(strchr(id, ':') + 1, NULL, 10);
}

/* Each row comes after the previous one in the query's order (id number
 * breaking ties, as every order does). */
static int
check_order(const struct post_row *r, void *arg)
{
	struct order_check *c = arg;
	int64_t num = id_num(r->id), key = 0;
	int cmp = 0;

	if (c->sort == POST_SORT_SCORE)
		key = r->score;
	else if (c->sort == POST_SORT_CREATED)
		key = r->created_at;
	if (c->n > 0) {
		if (c->sort == POST_SORT_TITLE)
			cmp = strcasecmp(c->title, r->title);
		else if (key != c->key)
			cmp = c->key < key ? -1 : 1;
		/* same key: "so:10" < "so:9" as ids are text */
		if (cmp == 0 && c->sort != POST_SORT_ID) {
			char a[32], b[32];

			snprintf(a, sizeof a, "so:%lld", (long long)c->num);
			snprintf(b, sizeof b, "so:%lld", (long long)num);
			cmp = strcmp(a, b);
		} else if (cmp == 0) {
			cmp = c->num < num ? -1 : 1;
		}
		assert_true(c->desc ? cmp > 0 : cmp < 0);
	}
	c->n++;
	c->num = num;
	c->key = key;
	free(c->title);
	c->title = xstrdup(r->title);
	return 0;
}

static void
list_ids(struct store *st, const struct post_query *q, struct strvec *out)
{
	sv_init(out);
	assert_int_equal(store_post_list(st, q, collect, out), DL_OK);
}

/* 60 posts, every third one without "cuda"; scores and dates repeat so
 * that the tie-break by id is exercised; some posts have no verdict. */
#define NPOSTS 60

static int
matches(int i)
{
	return i % 3 != 0;
}

static struct store *
many_posts(const char *name)
{
	struct store *st = fresh_store(name);
	static const char *const words[] = { "alpha", "Beta", "gamma",
					     "delta", "Epsilon" };

	assert_int_equal(store_begin(st), DL_OK);
	for (int i = 1; i <= NPOSTS; i++) {
		char *title = xasprintf("%s %s %d", words[i % 5],
					matches(i) ? "cuda error" : "shape",
					i % 4);

		/* inserted out of id order: rowid order is not id order */
		put_post(st, (i * 37) % 101, title, i % 7, 1000 + i % 5);
		free(title);
	}
	assert_int_equal(store_commit(st), DL_OK);
	for (int i = 1; i <= NPOSTS; i++) {
		char *id = xasprintf("so:%d", (i * 37) % 101);

		if (i % 5 != 0)
			put_verdict(st, id, "engine-1", i % 2 ? "gpu" : "api",
				    i % 4 ? 31 : 30);
		free(id);
	}
	return st;
}

/*
 * For every sort order, ascending and descending: the search lists every
 * matching post exactly once, in that order (ties by id), the count agrees,
 * and pages of any size put together give the same list, as the
 * dashboard's paging (which reads the back half in reverse) relies on.
 */
static void
search_pages_agree_with_the_whole_list(void **state)
{
	struct store *st = many_posts("pages.db");
	int expected = 0;

	(void)state;
	for (int i = 1; i <= NPOSTS; i++)
		expected += matches(i);
	for (int sort = POST_SORT_ID; sort <= POST_SORT_TITLE; sort++) {
		for (int desc = 0; desc <= 1; desc++) {
			struct post_query q;
			struct strvec whole, joined;

			post_query_init(&q);
			q.fts = "cuda";
			q.sort = (enum post_sort)sort;
			q.descending = desc;
			list_ids(st, &q, &whole);
			assert_int_equal(whole.n, expected);
			{
				struct order_check c = { q.sort, desc, 0, 0,
							 0, NULL };

				assert_int_equal(store_post_list(st, &q,
				    check_order, &c), DL_OK);
				assert_int_equal(c.n, expected);
				free(c.title);
			}
			assert_int_equal(store_post_list_count(st, &q),
					 expected);
			sv_init(&joined);
			for (int64_t off = 0; off < expected; off += 7) {
				struct strvec page;

				q.offset = off;
				q.limit = 7;
				list_ids(st, &q, &page);
				for (size_t k = 0; k < page.n; k++)
					sv_push(&joined, page.v[k]);
				sv_done(&page);
			}
			assert_int_equal(joined.n, whole.n);
			for (size_t k = 0; k < whole.n; k++)
				assert_string_equal(joined.v[k], whole.v[k]);
			/* reversed order is the exact reverse: ties are
			 * broken the same way both ways */
			if (desc) {
				struct strvec fwd;

				q.descending = 0;
				q.offset = 0;
				q.limit = 0;
				list_ids(st, &q, &fwd);
				assert_int_equal(fwd.n, whole.n);
				for (size_t k = 0; k < whole.n; k++)
					assert_string_equal(
					    fwd.v[k], whole.v[whole.n - 1 - k]);
				sv_done(&fwd);
			}
			sv_done(&joined);
			sv_done(&whole);
		}
	}
	store_close(st);
}

/* Searches combined with the filters that read verdicts: each listed post
 * matches both, and the count (which joins only when needed) agrees. */
static void
search_with_filters_counts_what_it_lists(void **state)
{
	struct store *st = many_posts("filters.db");
	struct post_query q;
	struct strvec got;
	int64_t n;

	(void)state;
	post_query_init(&q);
	q.fts = "cuda";
	q.type = "gpu";
	list_ids(st, &q, &got);
	n = store_post_list_count(st, &q);
	assert_int_equal(n, (int64_t)got.n);
	assert_true(got.n > 0);
	sv_done(&got);

	post_query_init(&q);
	q.fts = "cuda";
	q.missing_cat = 0;	/* mask 30 lacks bit 0 */
	list_ids(st, &q, &got);
	assert_int_equal(store_post_list_count(st, &q), (int64_t)got.n);
	assert_true(got.n > 0);
	sv_done(&got);

	/* no search, no filter: every post */
	post_query_init(&q);
	list_ids(st, &q, &got);
	assert_int_equal(got.n, NPOSTS);
	assert_int_equal(store_post_list_count(st, &q), NPOSTS);
	sv_done(&got);

	/* a search with no match lists and counts nothing */
	post_query_init(&q);
	q.fts = "zebracorn";
	list_ids(st, &q, &got);
	assert_int_equal(got.n, 0);
	assert_int_equal(store_post_list_count(st, &q), 0);
	sv_done(&got);
	store_close(st);
}

static double fake_now;

static double
fake(void *ctx)
{
	(void)ctx;
	return fake_now;
}

struct seen {
	int n;
	long long ids[8];
	size_t nevents[8], nticks[8];
	char *first[8];
};

static int
remember(struct session *s, void *arg)
{
	struct seen *w = arg;

	assert_true(w->n < 8);
	w->ids[w->n] = s->id;
	w->nevents[w->n] = s->nevents;
	w->nticks[w->n] = s->nticks;
	w->first[w->n] = s->nticks ? xstrdup(s->ticks[0].action) : NULL;
	w->n++;
	return 0;
}

/*
 * A history reads every session's events with one statement, reset
 * between sessions: each session still gets its own events, as loading it
 * alone gives, in sessions of different lengths (a shorter one after a
 * longer one keeps nothing of it).
 */
static void
history_gives_each_session_its_own_events(void **state)
{
	static const char *const actions[] = { "logging", "model-download",
		"import-addition", "version-migration", "dataset-procurement" };
	static const int nticks[] = { 4, 1, 0, 3, 2 };
	const struct session_clock clk = { fake, NULL };
	struct store *st = fresh_store("sessions.db");
	struct session_filter f;
	struct seen w;

	(void)state;
	memset(&w, 0, sizeof w);
	for (int k = 0; k < 5; k++) {
		struct session s;
		struct session_stop stop;
		char *title = xasprintf("post %d", k);

		put_post(st, k + 1, title, 0, 0);
		free(title);
		session_init(&s);
		fake_now = 1700000000.0 + 1000 * k;
		title = xasprintf("so:%d", k + 1);
		assert_int_equal(session_start(st, &clk, title, NULL, NULL,
		    &s), DL_OK);
		free(title);
		for (int t = 0; t < nticks[k]; t++) {
			fake_now += 10;
			assert_int_equal(session_tick(st, &clk, &s,
			    actions[(k + t) % 5]), DL_OK);
		}
		session_stop_init(&stop);
		stop.result = SESSION_REPRODUCED;
		fake_now += 10;
		assert_int_equal(session_stop(st, &clk, &s, &stop), DL_OK);
		session_done(&s);
	}
	session_filter_init(&f);
	assert_int_equal(store_session_each(st, &f, remember, &w), DL_OK);
	assert_int_equal(w.n, 5);
	for (int k = 0; k < 5; k++) {
		struct session one;

		session_init(&one);
		assert_int_equal(session_load(st, w.ids[k], &one), DL_OK);
		assert_int_equal(w.nevents[k], one.nevents);
		assert_int_equal(w.nticks[k], (size_t)nticks[k]);
		assert_int_equal(one.nticks, (size_t)nticks[k]);
		/* start, ticks, stop */
		assert_int_equal(one.nevents, (size_t)nticks[k] + 2);
		if (nticks[k])
			assert_string_equal(w.first[k], actions[k % 5]);
		else
			assert_null(w.first[k]);
		free(w.first[k]);
		session_done(&one);
	}
	store_close(st);
}

/*
 * The statement cache: a statement given back is reused, with its
 * bindings cleared; one still handed out is never handed out again; more
 * statements at once than the cache holds still work, and are all freed
 * (the sanitizer build checks the leaks).
 */
static void
statements_are_reused_never_shared(void **state)
{
	struct store *st = fresh_store("cache.db");
	sqlite3_stmt *a, *b, *c, *many[STORE_CACHE_N + 8];
	char sql[32];

	(void)state;
	a = store_prepare(st, "SELECT ?1");
	assert_non_null(a);
	assert_int_equal(sqlite3_bind_int(a, 1, 7), SQLITE_OK);
	b = store_prepare(st, "SELECT ?1");	/* a still handed out */
	assert_non_null(b);
	assert_ptr_not_equal(a, b);
	assert_int_equal(sqlite3_step(a), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(a, 0), 7);
	store_finalize(st, b);
	store_finalize(st, a);
	c = store_prepare(st, "SELECT ?1");
	assert_true(c == a || c == b);
	assert_int_equal(sqlite3_step(c), SQLITE_ROW);
	assert_int_equal(sqlite3_column_type(c, 0), SQLITE_NULL);
	store_finalize(st, c);
	for (int i = 0; i < (int)(sizeof many / sizeof many[0]); i++) {
		snprintf(sql, sizeof sql, "SELECT %d", i);
		many[i] = store_prepare(st, sql);
		assert_non_null(many[i]);
	}
	for (int i = 0; i < (int)(sizeof many / sizeof many[0]); i++) {
		assert_int_equal(sqlite3_step(many[i]), SQLITE_ROW);
		assert_int_equal(sqlite3_column_int(many[i], 0), i);
		store_finalize(st, many[i]);
	}
	/* again, in the other order: evictions give the right answers */
	for (int i = (int)(sizeof many / sizeof many[0]) - 1; i >= 0; i--) {
		snprintf(sql, sizeof sql, "SELECT %d", i);
		a = store_prepare(st, sql);
		assert_int_equal(sqlite3_step(a), SQLITE_ROW);
		assert_int_equal(sqlite3_column_int(a, 0), i);
		store_finalize(st, a);
	}
	store_close(st);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    stale_lookup_finds_both_sides_in_insertion_order),
		cmocka_unit_test(search_pages_agree_with_the_whole_list),
		cmocka_unit_test(search_with_filters_counts_what_it_lists),
		cmocka_unit_test(history_gives_each_session_its_own_events),
		cmocka_unit_test(statements_are_reused_never_shared),
	};

	return cmocka_run_group_tests(tests, setup_tmp, teardown_tmp);
}
