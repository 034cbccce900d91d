/*
 * test_fetch.c - unit tests of the fetch area's pure parts: ids and URLs,
 * GitHub references, durations, the config file, the Stack Exchange
 * wrapper, retry decisions for both APIs, backoff delays, and the paper's
 * search criteria.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "dlrepro/config.h"
#include "dlrepro/fetch.h"
#include "dlrepro/github.h"
#include "dlrepro/http.h"
#include "dlrepro/stackexchange.h"
#include "dlrepro/util.h"

/* ---- targets ---- */

static void
expect_target(const char *arg, const char *site, const char *id,
	      enum fetch_target_kind kind, int64_t number)
{
	struct fetch_target t;

	if (fetch_target_parse(arg, site, &t) != DL_OK)
		fail_msg("%s: %s", arg, error_msg());
	assert_string_equal(t.id, id);
	assert_int_equal(t.kind, kind);
	assert_int_equal(t.number, number);
	fetch_target_done(&t);
}

static void
test_targets(void **state)
{
	(void)state;
	expect_target("123", NULL, "so:123", FETCH_TARGET_SE, 123);
	expect_target("0123", NULL, "so:123", FETCH_TARGET_SE, 123);
	expect_target("so:77", NULL, "so:77", FETCH_TARGET_SE, 77);
	expect_target("se:ai:5", NULL, "se:ai:5", FETCH_TARGET_SE, 5);
	expect_target("42", "datascience", "se:datascience:42",
		      FETCH_TARGET_SE, 42);
	expect_target("https://stackoverflow.com/questions/123/some-slug",
		      NULL, "so:123", FETCH_TARGET_SE, 123);
	expect_target("https://stackoverflow.com/questions/123", NULL,
		      "so:123", FETCH_TARGET_SE, 123);
	expect_target("https://stackoverflow.com/q/456", NULL, "so:456",
		      FETCH_TARGET_SE, 456);
	expect_target("http://www.stackoverflow.com/q/456/789", NULL,
		      "so:456", FETCH_TARGET_SE, 456);
	expect_target("https://stackoverflow.com/questions/9?answertab=votes#t",
		      NULL, "so:9", FETCH_TARGET_SE, 9);
	expect_target("https://ai.stackexchange.com/questions/77/x", NULL,
		      "se:ai:77", FETCH_TARGET_SE, 77);
	expect_target("https://superuser.com/q/3", NULL, "se:superuser:3",
		      FETCH_TARGET_SE, 3);
	/* Meta sites and Stack Overflow in other languages. */
	expect_target("https://meta.stackoverflow.com/questions/5", NULL,
		      "se:meta.stackoverflow:5", FETCH_TARGET_SE, 5);
	expect_target("https://meta.superuser.com/q/6/x", NULL,
		      "se:meta.superuser:6", FETCH_TARGET_SE, 6);
	expect_target("https://meta.stackexchange.com/questions/387761/x",
		      NULL, "se:meta:387761", FETCH_TARGET_SE, 387761);
	expect_target("https://ai.meta.stackexchange.com/questions/8", NULL,
		      "se:ai.meta.stackexchange.com:8", FETCH_TARGET_SE, 8);
	expect_target("https://meta.mathoverflow.net/questions/9", NULL,
		      "se:meta.mathoverflow.net:9", FETCH_TARGET_SE, 9);
	expect_target("https://pt.stackoverflow.com/questions/10", NULL,
		      "se:pt.stackoverflow:10", FETCH_TARGET_SE, 10);
	expect_target("https://pt.meta.stackoverflow.com/questions/11", NULL,
		      "se:pt.meta.stackoverflow.com:11", FETCH_TARGET_SE, 11);
	expect_target("https://github.com/pytorch/pytorch/issues/1", NULL,
		      "gh:pytorch/pytorch#1", FETCH_TARGET_GH, 1);
	expect_target("gh:keras-team/keras#7", NULL, "gh:keras-team/keras#7",
		      FETCH_TARGET_GH, 7);
	expect_target("keras-team/keras#7", NULL, "gh:keras-team/keras#7",
		      FETCH_TARGET_GH, 7);
}

static void
test_targets_bad(void **state)
{
	static const char *const bad[] = {
		"", "abc", "12a", "so:", "so:x", "se::5", "se:AI!:5", "0",
		"-5", "https://example.com/questions/1",
		"https://meta.example.com/questions/1",
		"https://a.b.stackexchange.com/questions/1",
		"https://x.y.stackoverflow.com/questions/1",
		"https://stackoverflow.com/users/1", "https://stackoverflow.com/q/",
		"https://github.com/o/r/pull/3", "https://github.com/o/r",
		"o/r#", "o/r#x", "/r#1", "1234567890123456789",
	};
	struct fetch_target t;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		if (fetch_target_parse(bad[i], NULL, &t) == DL_OK)
			fail_msg("'%s' accepted as %s", bad[i], t.id);
		assert_non_null(strstr(error_msg(), "'"));
	}
}

static void
test_gh_ref(void **state)
{
	char *o, *r;
	int64_t n;

	(void)state;
	assert_int_equal(gh_parse_ref("a.b/c_d#12", &o, &r, &n), DL_OK);
	assert_string_equal(o, "a.b");
	assert_string_equal(r, "c_d");
	assert_int_equal(n, 12);
	free(o);
	free(r);
	assert_int_equal(gh_parse_ref("https://github.com/o/r/issues/5/", &o,
				      &r, &n), DL_OK);
	assert_int_equal(n, 5);
	free(o);
	free(r);
	assert_int_equal(gh_parse_ref("../r#1", &o, &r, &n), DL_ERR);
	assert_int_equal(gh_parse_ref("o/r#0", &o, &r, &n), DL_ERR);
	assert_int_equal(gh_parse_ref("o/r/x#1", &o, &r, &n), DL_ERR);
	assert_int_equal(gh_parse_ref("https://github.com/o/r/pull/1", &o, &r,
				      &n), DL_ERR);
	assert_non_null(strstr(error_msg(), "pull request"));
}

/* ---- durations and config ---- */

static void
test_duration(void **state)
{
	int64_t s;

	(void)state;
	assert_int_equal(parse_duration("3600", &s), DL_OK);
	assert_int_equal(s, 3600);
	assert_int_equal(parse_duration("7d", &s), DL_OK);
	assert_int_equal(s, 7 * 86400);
	assert_int_equal(parse_duration("12h", &s), DL_OK);
	assert_int_equal(s, 12 * 3600);
	assert_int_equal(parse_duration("30m", &s), DL_OK);
	assert_int_equal(s, 1800);
	assert_int_equal(parse_duration("2w", &s), DL_OK);
	assert_int_equal(s, 14 * 86400);
	assert_int_equal(parse_duration("0", &s), DL_OK);
	assert_int_equal(s, 0);
	assert_int_equal(parse_duration("", &s), DL_ERR);
	assert_int_equal(parse_duration("7 d", &s), DL_ERR);
	assert_int_equal(parse_duration("7dd", &s), DL_ERR);
	assert_int_equal(parse_duration("-1", &s), DL_ERR);
	assert_int_equal(parse_duration("d", &s), DL_ERR);
	assert_int_equal(parse_duration("99999999999999999999", &s), DL_ERR);
}

static void
test_config_parse(void **state)
{
	struct config c;

	(void)state;
	config_init(&c);
	assert_string_equal(config_get(&c, CONFIG_SE_API),
			    "https://api.stackexchange.com/2.3");
	assert_null(config_get(&c, CONFIG_SE_KEY));
	assert_int_equal(config_parse_text(&c,
		"# comment\n\n  se_key = abc(123  \r\n"
		"se_api=http://127.0.0.1:8/2.3/\n"
		"site = ai\nmax_age = 12h\n", "cfg"), DL_OK);
	assert_string_equal(config_get(&c, CONFIG_SE_KEY), "abc(123");
	assert_int_equal(c.v[CONFIG_SE_KEY].origin, CONFIG_FILE);
	/* Trailing slashes go: paths are appended to the base. */
	assert_string_equal(config_get(&c, CONFIG_SE_API),
			    "http://127.0.0.1:8/2.3");
	assert_string_equal(config_get(&c, CONFIG_SITE), "ai");
	assert_int_equal(c.v[CONFIG_GITHUB_API].origin, CONFIG_DEFAULT);

	/* A bad line names file and line and applies nothing. */
	assert_int_equal(config_parse_text(&c, "site = so\nno equals\n",
					   "/x/config"), DL_ERR);
	assert_string_equal(error_msg(), "/x/config:2: expected 'key = value'");
	assert_string_equal(config_get(&c, CONFIG_SITE), "ai");
	assert_int_equal(config_parse_text(&c, "colour = red\n", "f"), DL_ERR);
	assert_non_null(strstr(error_msg(), "f:1: unknown key 'colour'"));
	assert_int_equal(config_parse_text(&c, "site =\n", "f"), DL_ERR);
	assert_non_null(strstr(error_msg(), "f:1: site has no value"));
	assert_int_equal(config_parse_text(&c, "se_api = ftp://x\n", "f"),
			 DL_ERR);
	assert_non_null(strstr(error_msg(), "f:1: se_api must be"));
	assert_int_equal(config_parse_text(&c, "max_age = soon\n", "f"),
			 DL_ERR);
	assert_int_equal(config_parse_text(&c, "se_key = a b\n", "f"), DL_ERR);
	/* The secret is not echoed in the message. */
	assert_null(strstr(error_msg(), "a b"));

	/* A UTF-8 BOM, quotes and comments after a value. */
	assert_int_equal(config_parse_text(&c, "\xEF\xBB\xBFsite = math\n",
					   "f"), DL_OK);
	assert_string_equal(config_get(&c, CONFIG_SITE), "math");
	assert_int_equal(config_parse_text(&c,
		"se_key = \"abc\"\ngithub_token = 'tok#1'  # mine\n"
		"site = datascience # a comment\nmax_age = 2d\t# two days\n",
		"f"), DL_OK);
	assert_string_equal(config_get(&c, CONFIG_SE_KEY), "abc");
	assert_string_equal(config_get(&c, CONFIG_GITHUB_TOKEN), "tok#1");
	assert_string_equal(config_get(&c, CONFIG_SITE), "datascience");
	assert_string_equal(config_get(&c, CONFIG_MAX_AGE), "2d");
	assert_int_equal(config_parse_text(&c, "se_key = abc#1\n", "f"),
			 DL_OK);
	assert_string_equal(config_get(&c, CONFIG_SE_KEY), "abc#1");
	assert_int_equal(config_parse_text(&c, "se_key = \"abc\n", "f"),
			 DL_ERR);
	assert_string_equal(error_msg(), "f:1: se_key: no closing \"");
	assert_int_equal(config_parse_text(&c, "site = 'ai' x\n", "f"),
			 DL_ERR);
	assert_int_equal(config_parse_text(&c, "site = # none\n", "f"),
			 DL_ERR);
	assert_non_null(strstr(error_msg(), "f:1: site has no value"));
	assert_int_equal(config_parse_text(&c, "site = \"\"\n", "f"), DL_ERR);
	/* Only one pair of quotes goes. */
	assert_int_equal(config_parse_text(&c, "se_key = \"'k'\"\n", "f"),
			 DL_OK);
	assert_string_equal(config_get(&c, CONFIG_SE_KEY), "'k'");

	/* Secrets never come from options. */
	assert_int_equal(config_set_option(&c, CONFIG_SE_KEY, "k"), DL_ERR);
	assert_int_equal(config_set_option(&c, CONFIG_GITHUB_TOKEN, "t"),
			 DL_ERR);
	assert_int_equal(config_set_option(&c, CONFIG_SITE, "superuser"),
			 DL_OK);
	assert_int_equal(c.v[CONFIG_SITE].origin, CONFIG_OPTION);
	config_done(&c);
}

/* ---- the Stack Exchange wrapper ---- */

static int
parse(struct se_page *pg, const char *json, enum se_items kind)
{
	return se_page_parse(pg, json, strlen(json), NULL, kind);
}

static void
test_wrapper(void **state)
{
	struct se_page pg;

	(void)state;
	assert_int_equal(parse(&pg,
		"{\"items\":[{\"question_id\":111,\"title\":\"I can&#39;t "
		"&quot;fit&quot; &amp; S&#227;o\",\"tags\":[\"keras\"],"
		"\"score\":3,\"accepted_answer_id\":5,\"body\":\"<p>x</p>\"}],"
		"\"has_more\":true,\"quota_max\":300,\"quota_remaining\":295,"
		"\"backoff\":10}", SE_ITEMS_QUESTIONS), DL_OK);
	assert_int_equal(pg.nposts, 1);
	assert_string_equal(pg.posts[0].id, "so:111");
	assert_string_equal(pg.posts[0].title,
			    "I can't \"fit\" & S\xc3\xa3o");
	assert_true(pg.w.has_more);
	assert_int_equal(pg.w.quota_max, 300);
	assert_int_equal(pg.w.quota_remaining, 295);
	assert_int_equal(pg.w.backoff, 10);
	assert_int_equal(pg.w.error_id, 0);
	se_page_done(&pg);

	/* a NUL escape is dropped, not the end of the string (as import) */
	assert_int_equal(parse(&pg,
		"{\"items\":[{\"question_id\":112,\"title\":\"nul\\u0000byte\","
		"\"tags\":[\"t\\u0000x\"],\"body\":\"<p>a\\u0000b</p>\"}]}",
		SE_ITEMS_QUESTIONS), DL_OK);
	assert_int_equal(pg.nposts, 1);
	assert_string_equal(pg.posts[0].title, "nulbyte");
	assert_string_equal(pg.posts[0].tags.v[0], "tx");
	assert_string_equal(pg.posts[0].body, "<p>ab</p>");
	se_page_done(&pg);

	assert_int_equal(parse(&pg, "{\"error_id\":502,\"error_name\":"
			       "\"throttle_violation\",\"error_message\":\"too "
			       "many requests from this IP, more requests "
			       "available in 8640 seconds\"}",
			       SE_ITEMS_QUESTIONS), DL_OK);
	assert_int_equal(pg.w.error_id, 502);
	assert_int_equal(se_quota_wait(pg.w.error_message), 8640);
	assert_int_equal(pg.w.quota_remaining, -1);
	se_page_done(&pg);

	assert_int_equal(parse(&pg, "{\"items\":[{\"answer_id\":9,"
			       "\"question_id\":111,\"score\":2,\"is_accepted\":"
			       "true,\"body\":null}]}", SE_ITEMS_ANSWERS), DL_OK);
	assert_int_equal(pg.nanswers, 1);
	assert_int_equal(pg.answers[0].answer_id, 9);
	assert_true(pg.answers[0].is_accepted);
	assert_string_equal(pg.answers[0].body, "");
	se_page_done(&pg);
}

static void
test_wrapper_bad(void **state)
{
	static const struct {
		const char *json;
		const char *msg;
	} bad[] = {
		{ "", "empty response" },
		{ "{\"items\":[", "malformed JSON" },
		{ "<html></html>", "malformed JSON" },
		{ "[1,2]", "not a JSON object" },
		{ "{\"has_more\":false}", "'items' is missing" },
		{ "{\"items\":{\"question_id\":1}}", "'items' must be an array" },
		{ "{\"items\":[{\"question_id\":\"1\",\"title\":\"t\"}]}",
		  "question_id" },
		{ "{\"items\":[{\"question_id\":1}]}", "title" },
		{ "{\"items\":[{\"question_id\":1,\"title\":\"t\",\"tags\":"
		  "\"a\"}]}", "tags" },
		{ "{\"items\":[],\"has_more\":\"yes\"}", "has_more" },
		{ "{\"items\":[],\"quota_remaining\":\"x\"}", "quota_remaining" },
		{ "{\"items\":[{\"question_id\":1,\"title\":\"t\"},5]}",
		  "item 2" },
	};
	struct se_page pg;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		if (parse(&pg, bad[i].json, SE_ITEMS_QUESTIONS) == DL_OK)
			fail_msg("accepted: %s", bad[i].json);
		if (!strstr(error_msg(), bad[i].msg))
			fail_msg("%s: got '%s', want '%s'", bad[i].json,
				 error_msg(), bad[i].msg);
		assert_int_equal(pg.nposts, 0);
		assert_null(pg.posts);
	}
}

/* ---- retry decisions ---- */

static struct http_response
resp(long status, const char *body, const char *ctype)
{
	struct http_response r;

	memset(&r, 0, sizeof(r));
	r.status = status;
	r.body = (char *)body;
	r.len = strlen(body);
	r.content_type = (char *)ctype;
	r.retry_after = -1;
	r.rl_limit = r.rl_remaining = r.rl_reset = -1;
	return r;
}

static enum http_verdict
se(long status, const char *body, const char *ctype, double *wait,
   struct se_judgement *j)
{
	struct http_response r = resp(status, body, ctype);

	*wait = -1;
	return se_judge(&r, j, wait);
}

static void
test_se_judge(void **state)
{
	struct se_judgement j;
	double w;

	(void)state;
	assert_int_equal(se(200, "{\"items\":[]}", "application/json", &w, &j),
			 HTTP_VERDICT_DONE);
	/* 400-406 are never retried. */
	for (int id = 400; id <= 406; id++) {
		char body[128];

		snprintf(body, sizeof(body), "{\"error_id\":%d,\"error_name\":"
			 "\"x\",\"error_message\":\"m\"}", id);
		assert_int_equal(se(400, body, NULL, &w, &j), HTTP_VERDICT_FAIL);
	}
	assert_non_null(strstr(error_msg(), "error 406 x: m"));
	assert_int_equal(se(400, "{\"error_id\":500,\"error_name\":"
			    "\"internal_error\"}", NULL, &w, &j),
			 HTTP_VERDICT_RETRY);
	assert_true(w < 0);
	assert_int_equal(se(400, "{\"error_id\":503,\"backoff\":7}", NULL, &w,
			    &j), HTTP_VERDICT_RETRY);
	assert_true(w == 7);
	assert_int_equal(j.backoff, 7);
	assert_int_equal(se(400, "{\"error_id\":502,\"error_message\":"
			    "\"Violation of backoff parameter\"}", NULL, &w, &j),
			 HTTP_VERDICT_RETRY);
	/* Quota: a short wait is slept, a long one reported. */
	assert_int_equal(se(400, "{\"error_id\":502,\"error_message\":\"too "
			    "many requests from this IP, more requests "
			    "available in 30 seconds\"}", NULL, &w, &j),
			 HTTP_VERDICT_RETRY);
	assert_true(w == 30);
	assert_int_equal(se(400, "{\"error_id\":502,\"error_message\":\"too "
			    "many requests from this IP, more requests "
			    "available in 300 seconds\"}", NULL, &w, &j),
			 HTTP_VERDICT_FAIL);
	assert_int_equal(j.quota_wait, 300);
	assert_non_null(strstr(error_msg(), "quota exhausted, requests possible "
			       "again in 300 s (at "));
	/* HTML instead of JSON, plain 5xx: transient. */
	assert_int_equal(se(503, "<!DOCTYPE html><html>", "text/html", &w, &j),
			 HTTP_VERDICT_RETRY);
	assert_non_null(strstr(error_msg(), "HTML page instead of JSON"));
	assert_int_equal(se(200, "  <html>", NULL, &w, &j), HTTP_VERDICT_RETRY);
	assert_int_equal(se(500, "oops", "text/plain", &w, &j),
			 HTTP_VERDICT_RETRY);
	assert_int_equal(se(404, "nope", "text/plain", &w, &j),
			 HTTP_VERDICT_FAIL);
	{
		struct http_response r = resp(0, "", NULL);

		r.fail = HTTP_FAIL_RESET;
		r.error = (char *)"connection reset";
		assert_int_equal(se_judge(&r, &j, &w), HTTP_VERDICT_RETRY);
		r.fail = HTTP_FAIL_TIMEOUT;
		assert_int_equal(se_judge(&r, &j, &w), HTTP_VERDICT_RETRY);
		r.fail = HTTP_FAIL_TOO_BIG;
		assert_int_equal(se_judge(&r, &j, &w), HTTP_VERDICT_FAIL);
	}
}

static void
test_gh_judge(void **state)
{
	struct gh_judgement j;
	struct http_response r;
	double w = -1;

	(void)state;
	r = resp(200, "{}", NULL);
	assert_int_equal(gh_judge(&r, &j, &w), HTTP_VERDICT_DONE);
	/* Missing issues are answers: the job warns and goes on. */
	r = resp(404, "{\"message\":\"Not Found\"}", NULL);
	assert_int_equal(gh_judge(&r, &j, &w), HTTP_VERDICT_DONE);
	assert_non_null(strstr(gh_missing_reason(404), "not found (HTTP 404"));
	r = resp(410, "{}", NULL);
	assert_int_equal(gh_judge(&r, &j, &w), HTTP_VERDICT_DONE);
	assert_string_equal(gh_missing_reason(410), "deleted (HTTP 410)");
	assert_null(gh_missing_reason(200));
	assert_null(gh_missing_reason(403));
	r = resp(403, "{\"message\":\"API rate limit exceeded\"}", NULL);
	r.rl_remaining = 0;
	r.rl_reset = (int64_t)now_wall() + 5;
	assert_int_equal(gh_judge(&r, &j, &w), HTTP_VERDICT_RETRY);
	assert_true(w > 3 && w <= 6);
	r.rl_reset = (int64_t)now_wall() + 3600;
	assert_int_equal(gh_judge(&r, &j, &w), HTTP_VERDICT_FAIL);
	assert_int_equal(j.reset_at, r.rl_reset);
	assert_non_null(strstr(error_msg(), "rate limit exceeded, requests "
			       "possible again in"));
	r = resp(429, "{}", NULL);
	r.retry_after = 2;
	assert_int_equal(gh_judge(&r, &j, &w), HTTP_VERDICT_RETRY);
	assert_true(w == 2);
	r = resp(403, "{\"message\":\"You have exceeded a secondary rate "
		 "limit\"}", NULL);
	assert_int_equal(gh_judge(&r, &j, &w), HTTP_VERDICT_RETRY);
	assert_true(w >= 60 * http_time_scale() - 0.001);
	r = resp(403, "{\"message\":\"Resource not accessible\"}", NULL);
	assert_int_equal(gh_judge(&r, &j, &w), HTTP_VERDICT_FAIL);
	assert_string_equal(error_msg(), "HTTP 403: Resource not accessible");
	r = resp(502, "", NULL);
	assert_int_equal(gh_judge(&r, &j, &w), HTTP_VERDICT_RETRY);
}

static void
redacts(const char *in, const char *const *secrets, const char *want)
{
	char *out = http_redact(in, secrets);

	assert_string_equal(out, want);
	free(out);
}

static void
test_redact(void **state)
{
	const char *both[] = { "SEKEYzz9(", "GHTOKqq7", NULL };
	const char *none[] = { NULL };
	char *t;

	(void)state;
	/* The configured secrets, literal and percent-encoded. */
	redacts("a SEKEYzz9( b GHTOKqq7", both, "a *** b ***");
	redacts("q=SEKEYzz9%28&x SEKEYzz9%28", both, "q=***&x ***");
	redacts("GHTOKqq7GHTOKqq7", both, "******");
	{
		/* the real key shape, in every spelling an echo may give */
		const char *se[] = { "U4DMV*8nvpm3EOpvf69Rxw((", NULL };

		redacts("k U4DMV%2A8nvpm3EOpvf69Rxw(( .", se, "k *** .");
		redacts("k U4DMV*8nvpm3EOpvf69Rxw%28%28 .", se, "k *** .");
		redacts("k U4DMV%2a8nvpm3EOpvf69Rxw%28%29 .", se,
			"k U4DMV%2a8nvpm3EOpvf69Rxw%28%29 .");
		redacts("k U4DMV%2a8nvpm3EOpvf69Rxw%2528%28 .", se, "k *** .");
		redacts("U4DMV%2A8nvpm3EOpvf69Rxw%28%28", se, "***");
		/* a prefix of the key is not the key */
		redacts("U4DMV*8nvpm3 and U4DMV%", se,
			"U4DMV*8nvpm3 and U4DMV%");
	}
	/* Query values, whatever the key. */
	redacts("/q/5?site=so&key=SEKEYzz9(;x", both, "/q/5?site=so&key=***;x");
	redacts("/q/5?site=so&key=abc123&page=2", none,
		"/q/5?site=so&key=***&page=2");
	redacts("?access_token=zz&KEY=y", none, "?access_token=***&KEY=***");
	redacts("key= nothing", none, "key= nothing");
	/* Authorization forms. */
	redacts("Authorization: Bearer abc.def-ghi", none,
		"Authorization: Bearer ***");
	redacts("{\"h\":\"bearer  xyz\"}", none, "{\"h\":\"bearer  ***\"}");
	redacts("Authorization: token ghp_0123abcd", none,
		"Authorization: token ***");
	/* "token" as a word stays. */
	redacts("the token expired", none, "the token expired");
	redacts("token validation failed", NULL, "token validation failed");
	redacts("", both, "");
	t = http_redact(NULL, both);
	assert_string_equal(t, "");
	free(t);
	/* Clipping at a word boundary never halves a secret. */
	t = http_server_text("abc def SECRETSECRET tail", 14);
	assert_string_equal(t, "abc def ...");
	free(t);
	/* " ..." fits within max too */
	t = http_server_text("abc def ghi jkl", 10);
	assert_string_equal(t, "abc ...");
	free(t);
	t = http_server_text("short", 14);
	assert_string_equal(t, "short");
	free(t);
	t = http_server_text("unbroken-long-word", 5);
	assert_string_equal(t, "...");
	free(t);
}

static void
test_backoff_delay(void **state)
{
	(void)state;
	assert_true(http_backoff_delay(1, 0) == 0.5);
	assert_true(http_backoff_delay(1, 0.999) < 1.0);
	assert_true(http_backoff_delay(2, 0) == 1.0);
	assert_true(http_backoff_delay(3, 0.5) >= 2 && http_backoff_delay(3, 0.5) <= 4);
	assert_true(http_backoff_delay(20, 0.999) <= 30);
	assert_true(http_backoff_delay(20, 0) == 15);
	/* The whole retry schedule fits the two-minute budget. */
	{
		double total = 0;

		for (int a = 1; a < HTTP_MAX_TRIES; a++)
			total += http_backoff_delay(a, 0.999);
		assert_true(total < HTTP_BUDGET / 2);
	}
}

/* ---- search criteria and queries ---- */

static void
mkpost(struct post *p, const char *title, const char *tags, int64_t score,
       int64_t acc, const char *body)
{
	char *t = xstrdup(tags), *save = NULL, *tok;

	post_init(p);
	free(p->title);
	p->title = xstrdup(title);
	free(p->body);
	p->body = xstrdup(body);
	p->score = score;
	p->accepted_answer_id = acc;
	for (tok = strtok_r(t, " ", &save); tok; tok = strtok_r(NULL, " ", &save))
		sv_push(&p->tags, tok);
	free(t);
}

static void
test_search_check(void **state)
{
	static const struct {
		const char *title, *tags;
		int64_t score, acc;
		const char *body;
		enum se_framework fw;
		enum se_criterion want;
	} cases[] = {
		{ "Shape error", "tensorflow", 3, 1, "<code>x</code>",
		  SE_FW_TENSORFLOW, SE_KEEP },
		{ "Shape error", "tensorflow2.0", 3, 1, "<code>x</code>",
		  SE_FW_TENSORFLOW, SE_KEEP },
		{ "Shape error", "tensorflow tf.keras", 3, 1, "<code>x</code>",
		  SE_FW_TENSORFLOW, SE_DROP_TAGS },
		{ "Shape error", "tensorflow keras", 3, 1, "<code>x</code>",
		  SE_FW_KERAS, SE_DROP_TAGS },
		{ "Shape error", "python", 3, 1, "<code>x</code>",
		  SE_FW_PYTORCH, SE_DROP_TAGS },
		{ "How to fit", "keras", 3, 1, "<code>x</code>", SE_FW_KERAS,
		  SE_DROP_TITLE },
		{ "It shows NaN", "keras", 3, 1, "<code>x</code>", SE_FW_KERAS,
		  SE_DROP_TITLE },
		{ "INSTALL fails", "keras", 3, 1, "<code>x</code>", SE_FW_KERAS,
		  SE_DROP_TITLE },
		{ "Rebuild fails", "pytorch", 3, 1, "<code>x</code>",
		  SE_FW_PYTORCH, SE_DROP_TITLE },
		{ "Loss is nan", "pytorch", 3, 0, "<code>x</code>",
		  SE_FW_PYTORCH, SE_DROP_ACCEPTED },
		{ "Loss is nan", "pytorch", 0, 4, "<code>x</code>",
		  SE_FW_PYTORCH, SE_DROP_SCORE },
		{ "Loss is nan", "pytorch", 1, 4, "<p>no code</p>",
		  SE_FW_PYTORCH, SE_DROP_CODE },
		{ "Loss is nan", "pytorch", 1, 4, "</code> <code>",
		  SE_FW_PYTORCH, SE_DROP_CODE },
		{ "Loss is nan", "pytorch", 1, 4, "<pre><code>a</code></pre>",
		  SE_FW_PYTORCH, SE_KEEP },
	};
	struct post p;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		enum se_criterion got;

		mkpost(&p, cases[i].title, cases[i].tags, cases[i].score,
		       cases[i].acc, cases[i].body);
		got = se_search_check(&p, cases[i].fw);
		if (got != cases[i].want)
			fail_msg("case %zu (%s): got %s want %s", i,
				 cases[i].title, se_criterion_name(got),
				 se_criterion_name(cases[i].want));
		post_done(&p);
	}
}

static void
test_queries(void **state)
{
	char *q;
	int64_t ids[] = { 1, 2, 3 };

	(void)state;
	q = se_ids_path("questions", ids, 3);
	assert_string_equal(q, "/questions/1;2;3");
	free(q);
	q = se_common_query(NULL, "a b&c");
	assert_string_equal(q, "site=stackoverflow&filter=withbody&pagesize=100"
			    "&key=a%20b%26c");
	free(q);
	q = se_search_query(SE_FW_KERAS, 10, 20, 2, "stackoverflow", NULL);
	assert_string_equal(q, "tagged=keras&nottagged=pytorch%3Btensorflow"
			    "&accepted=true&sort=votes&min=1&order=desc"
			    "&fromdate=10&todate=20&page=2&site=stackoverflow"
			    "&filter=withbody&pagesize=100");
	free(q);
}

static void
test_gh_issue(void **state)
{
	struct post p;
	const char *issue = "{\"number\":1,\"title\":\"T\",\"body\":null,"
			    "\"labels\":[{\"name\":\"bug\"},\"gpu\"],\"state\":"
			    "\"open\",\"created_at\":\"2023-05-01T10:20:30Z\","
			    "\"html_url\":\"https://github.com/o/r/issues/1\"}";
	const char *pr = "{\"title\":\"T\",\"pull_request\":{}}";
	char **h;

	(void)state;
	assert_int_equal(gh_issue_parse(issue, strlen(issue), "o", "r", 1, &p),
			 DL_OK);
	assert_string_equal(p.id, "gh:o/r#1");
	assert_string_equal(p.body, "");
	assert_int_equal(p.format, POST_MARKDOWN);
	assert_int_equal(p.source, POST_GH);
	assert_int_equal(p.tags.n, 2);
	assert_string_equal(p.tags.v[1], "gpu");
	assert_string_equal(p.state, "open");
	assert_int_equal(p.created_at, 1682936430);
	post_done(&p);
	assert_int_equal(gh_issue_parse(pr, strlen(pr), "o", "r", 2, &p),
			 DL_NOTFOUND);
	assert_string_equal(error_msg(), "o/r#2 is a pull request, not an issue");
	post_done(&p);
	assert_int_equal(gh_issue_parse("{", 1, "o", "r", 2, &p), DL_ERR);
	post_done(&p);
	issue = "{\"number\":3,\"title\":\"a\\u0000b\",\"body\":\"c\\u0000d\"}";
	assert_int_equal(gh_issue_parse(issue, strlen(issue), "o", "r", 3, &p),
			 DL_OK);
	assert_string_equal(p.title, "ab");
	assert_string_equal(p.body, "cd");
	post_done(&p);
	h = gh_headers("tok");
	assert_string_equal(h[0], "Accept: application/vnd.github+json");
	assert_string_equal(h[1], "X-GitHub-Api-Version: 2022-11-28");
	assert_string_equal(h[2], "Authorization: Bearer tok");
	assert_null(h[3]);
	gh_headers_free(h);
	h = gh_headers(NULL);
	assert_null(h[2]);
	gh_headers_free(h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_targets),
		cmocka_unit_test(test_targets_bad),
		cmocka_unit_test(test_gh_ref),
		cmocka_unit_test(test_duration),
		cmocka_unit_test(test_config_parse),
		cmocka_unit_test(test_wrapper),
		cmocka_unit_test(test_wrapper_bad),
		cmocka_unit_test(test_se_judge),
		cmocka_unit_test(test_gh_judge),
		cmocka_unit_test(test_redact),
		cmocka_unit_test(test_backoff_delay),
		cmocka_unit_test(test_search_check),
		cmocka_unit_test(test_queries),
		cmocka_unit_test(test_gh_issue),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
