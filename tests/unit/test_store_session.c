/*
 * Unit tests of the store-backed session service and store_session.c:
 * a scripted session on a fake clock survives a reload event for event;
 * one open session at a time; wrong input writes nothing; heartbeat and
 * recovery; import by UUID; listing with filters.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <cjson/cJSON.h>

#include "dlrepro/post.h"
#include "dlrepro/session.h"
#include "dlrepro/store.h"
#include "dlrepro/store_session.h"
#include "dlrepro/util.h"

#define T0 1700000000.0

static char tmp[256];
static double fake_now;

static double
fake(void *ctx)
{
	(void)ctx;
	return fake_now;
}

static const struct session_clock clk = { fake, NULL };

static void
put_post(struct store *st, const char *id, const char *title)
{
	struct post p;
	enum post_source src;
	char *site, *ext;

	assert_int_equal(post_id_split(id, &src, &site, &ext), DL_OK);
	post_init(&p);
	p.id = xstrdup(id);
	p.source = src;
	p.site = site;
	p.external_id = ext;
	free(p.title);
	p.title = xstrdup(title);
	assert_int_equal(store_post_put(st, &p), DL_OK);
	post_done(&p);
}

static int
setup(void **state)
{
	struct store *st;
	char *path;

	snprintf(tmp, sizeof tmp, "%s/dlrepro-sess-XXXXXX",
	    getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(tmp))
		return -1;
	path = xasprintf("%s/t.db", tmp);
	st = store_open(path);
	free(path);
	if (!st)
		return -1;
	put_post(st, "so:111", "first");
	put_post(st, "so:222", "second");
	*state = st;
	return 0;
}

static int
teardown(void **state)
{
	char cmd[300];

	store_close(*state);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
	return system(cmd) == 0 ? 0 : -1;
}

static int
count_sessions(struct session *s, void *arg)
{
	(void)s;
	(*(int *)arg)++;
	return 0;
}

static int
nsessions(struct store *st)
{
	struct session_filter f;
	int n = 0;

	session_filter_init(&f);
	assert_int_equal(store_session_each(st, &f, count_sessions, &n),
	    DL_OK);
	return n;
}

static void
scripted_and_reloaded(void **state)
{
	struct store *st = *state;
	struct session s, r;
	struct session_stop stop;
	signed char info[SESSION_NCAT];

	memset(info, -1, sizeof info);
	info[3] = 1;
	session_init(&s);
	fake_now = T0;
	assert_int_equal(session_start(st, &clk, "so:111", "training", info,
	    &s), DL_OK);
	assert_true(s.id > 0);
	assert_string_equal(s.post_title, "first");
	fake_now = T0 + 30;
	assert_int_equal(session_tick(st, &clk, &s, "logging"), DL_OK);
	fake_now = T0 + 40;
	assert_int_equal(session_tick(st, &clk, &s, "no-such-action"),
	    DL_ERR);
	assert_int_equal(session_pause(st, &clk, &s), DL_OK);
	fake_now = T0 + 100;
	assert_int_equal(session_resume(st, &clk, &s), DL_OK);
	fake_now = T0 + 110;
	assert_int_equal(session_tick(st, &clk, &s, "model-download"),
	    DL_OK);
	assert_int_equal(session_untick(st, &clk, &s, "logging"), DL_OK);
	assert_int_equal(session_undo(st, &clk, &s), DL_OK);

	/* Another process sees the same session, event for event. */
	session_init(&r);
	assert_int_equal(session_load_open(st, &r), DL_OK);
	assert_int_equal(r.nevents, 7);
	assert_int_equal(r.state, SESSION_RUNNING);
	assert_int_equal(r.nticks, 2);
	assert_true(session_active_at(&r, T0 + 120) == 60.0);
	assert_string_equal(session_bug_type(&r), "training");
	assert_int_equal(r.info[3], 1);
	assert_string_equal(r.uuid, s.uuid);

	session_stop_init(&stop);
	stop.result = SESSION_REPRODUCED;
	stop.framework = "PyTorch";
	fake_now = T0 + 130;
	/* r is stale by nothing; s is stale by nothing; either works. */
	assert_int_equal(session_stop(st, &clk, &r, &stop), DL_OK);
	assert_int_equal(session_load_open(st, &s), DL_NOTFOUND);
	assert_int_equal(session_load(st, r.id, &s), DL_OK);
	assert_int_equal(s.state, SESSION_STOPPED);
	assert_true(session_active_at(&s, T0 + 9999) == 70.0);
	assert_string_equal(s.outcome.framework, "PyTorch");
	/* A stopped session takes no more ticks. */
	assert_int_equal(session_tick(st, &clk, &s, "logging"), DL_ERR);
	assert_int_equal(s.nevents, 8);
	session_done(&s);
	session_done(&r);
}

static void
one_open_session(void **state)
{
	struct store *st = *state;
	struct session a, b;

	session_init(&a);
	session_init(&b);
	fake_now = T0 + 1000;
	assert_int_equal(session_start(st, &clk, "so:222", NULL, NULL, &a),
	    DL_OK);
	assert_int_equal(session_start(st, &clk, "so:111", NULL, NULL, &b),
	    DL_ERR);
	assert_non_null(strstr(error_msg(), "still open"));
	assert_int_equal(session_start(st, &clk, "so:999", NULL, NULL, &b),
	    DL_ERR);
	assert_non_null(strstr(error_msg(), "not in the store"));
	assert_int_equal(session_start(st, &clk, "so:111", "bogus", NULL,
	    &b), DL_ERR);
	assert_int_equal(nsessions(st), 2);
	session_done(&a);
	session_done(&b);
}

static void
stale_struct_is_refreshed(void **state)
{
	struct store *st = *state;
	struct session a, b;

	session_init(&a);
	session_init(&b);
	assert_int_equal(session_load_open(st, &a), DL_OK);
	assert_int_equal(session_load_open(st, &b), DL_OK);
	fake_now = T0 + 1010;
	assert_int_equal(session_tick(st, &clk, &a, "logging"), DL_OK);
	/* b has not seen the tick: the service reloads before checking. */
	fake_now = T0 + 1020;
	assert_int_equal(session_tick(st, &clk, &b, "logging"), DL_ERR);
	assert_int_equal(session_tick(st, &clk, &b, "dataset-procurement"),
	    DL_OK);
	assert_int_equal(b.nticks, 2);
	assert_int_equal(b.nevents, 3);
	session_done(&a);
	session_done(&b);
}

static void
heartbeat_and_recovery(void **state)
{
	struct store *st = *state;
	struct session s;
	struct session_recovery r;

	session_init(&s);
	assert_int_equal(session_load_open(st, &s), DL_OK);
	fake_now = T0 + 1100;
	assert_int_equal(session_heartbeat(st, &clk, &s), DL_OK);
	session_done(&s);
	/* The dashboard dies; an hour later it starts again. */
	fake_now = T0 + 4700;
	assert_int_equal(session_load_open(st, &s), DL_OK);
	assert_true(s.heartbeat == T0 + 1100);
	session_recovery_check(&s, fake_now, &r);
	assert_true(r.needed);
	assert_true(r.lost_seconds == 3600.0);
	assert_true(r.active_keep == 3700.0);
	assert_true(r.active_cut == 100.0);
	assert_int_equal(session_recover(st, &clk, &s, 1), DL_OK);
	assert_int_equal(s.state, SESSION_PAUSED);
	assert_true(session_active_at(&s, fake_now) == 100.0);
	session_done(&s);
	assert_int_equal(session_load_open(st, &s), DL_OK);
	assert_true(s.heartbeat == 0);
	assert_true(session_active_at(&s, fake_now + 50) == 100.0);
	session_recovery_check(&s, fake_now, &r);
	assert_false(r.needed);
	assert_int_equal(session_recover(st, &clk, &s, 1), DL_ERR);
	/* A clean dashboard exit leaves no heartbeat behind. */
	fake_now = T0 + 4800;
	assert_int_equal(session_resume(st, &clk, &s), DL_OK);
	assert_int_equal(session_heartbeat(st, &clk, &s), DL_OK);
	assert_int_equal(session_detach(st, &s), DL_OK);
	session_done(&s);
	assert_int_equal(session_load_open(st, &s), DL_OK);
	session_recovery_check(&s, T0 + 99999, &r);
	assert_false(r.needed);
	session_done(&s);
}

static void
adjust_and_info_after_stop(void **state)
{
	struct store *st = *state;
	struct session s;
	struct session_stop stop;
	signed char info[SESSION_NCAT];
	long long id;

	session_init(&s);
	assert_int_equal(session_load_open(st, &s), DL_OK);
	session_stop_init(&stop);
	stop.result = SESSION_NOT_REPRODUCED;
	stop.reason = SESSION_REASON_HARDWARE;
	fake_now = T0 + 5000;
	assert_int_equal(session_stop(st, &clk, &s, &stop), DL_OK);
	id = s.id;
	/* 100 s before the pause, plus 200 s of the last interval. */
	assert_true(session_active_at(&s, fake_now) == 300.0);
	assert_int_equal(session_adjust(st, &clk, &s, 2, T0 + 4900), DL_OK);
	assert_true(session_active_at(&s, fake_now) == 200.0);
	memset(info, -1, sizeof info);
	info[0] = 0;
	assert_int_equal(session_set_info(st, &clk, &s, "gpu", info), DL_OK);
	session_done(&s);
	assert_int_equal(session_load(st, id, &s), DL_OK);
	assert_true(session_active_at(&s, T0 + 99999) == 200.0);
	assert_string_equal(session_bug_type(&s), "gpu");
	assert_int_equal(s.info[0], 0);
	assert_int_equal(s.outcome.reason, SESSION_REASON_HARDWARE);
	session_done(&s);
}

static void
import_by_uuid(void **state)
{
	struct store *st = *state;
	struct session s, copy;
	struct session_filter f;
	int n = 0;
	char *txt;
	cJSON *j;

	session_init(&s);
	assert_int_equal(session_load(st, 1, &s), DL_OK);
	txt = session_to_json_text(&s, T0 + 99999);
	session_done(&s);
	/* A session from elsewhere on a post we do not have. */
	session_init(&copy);
	{
		/* Rewrite uuid and post: a foreign session. */
		char *p = strstr(txt, "\"uuid\":\"");
		char *q = strstr(txt, "so:111");

		assert_non_null(p);
		assert_non_null(q);
		memcpy(p + 8, "00000000", 8);
		memcpy(q, "so:333", 6);
	}
	j = cJSON_Parse(txt);
	assert_non_null(j);
	assert_int_equal(session_from_json(j, &copy), DL_OK);
	cJSON_Delete(j);
	free(txt);
	assert_int_equal(store_session_uuid_exists(st, copy.uuid), 0);
	assert_int_equal(store_post_exists(st, "so:333"), 0);
	assert_int_equal(store_session_placeholder_post(st, "so:333", copy.post_title),
	    DL_OK);
	assert_int_equal(store_session_insert(st, &copy), DL_OK);
	assert_int_equal(store_session_uuid_exists(st, copy.uuid), 1);
	assert_int_equal(store_session_insert(st, &copy), DL_ERR);
	session_done(&copy);
	session_filter_init(&f);
	f.type = "training";
	assert_int_equal(store_session_each(st, &f, count_sessions, &n),
	    DL_OK);
	assert_int_equal(n, 2);
	n = 0;
	session_filter_init(&f);
	f.result = SESSION_NOT_REPRODUCED;
	assert_int_equal(store_session_each(st, &f, count_sessions, &n),
	    DL_OK);
	assert_int_equal(n, 1);
	n = 0;
	session_filter_init(&f);
	f.since = T0 + 500;
	assert_int_equal(store_session_each(st, &f, count_sessions, &n),
	    DL_OK);
	assert_int_equal(n, 1);
}

static void
info_from_analysis(void **state)
{
	struct store *st = *state;
	struct session s;
	struct session_stop stop;
	signed char info[SESSION_NCAT];

	/* Engine: data and logs present (bits 0 and 4); user: model too. */
	assert_int_equal(store_analysis_put(st, "so:222", "test", "api", 0.9,
	    "tags", 0x11, "{}"), DL_OK);
	assert_int_equal(store_corrections_set_cat(st, "so:222", 1, 1),
	    DL_OK);
	assert_int_equal(store_corrections_set_cat(st, "so:222", 4, 0),
	    DL_OK);
	session_init(&s);
	fake_now = T0 + 90000;
	memset(info, -1, sizeof info);
	info[2] = 1;	/* the user's flag wins for hyperparameters */
	assert_int_equal(session_start(st, &clk, "so:222", NULL, info, &s),
	    DL_OK);
	assert_string_equal(session_bug_type(&s), "api");
	assert_int_equal(s.info[0], 1);
	assert_int_equal(s.info[1], 1);
	assert_int_equal(s.info[2], 1);
	assert_int_equal(s.info[3], 0);
	assert_int_equal(s.info[4], 0);
	assert_int_equal(s.info_source, SESSION_INFO_USER);
	session_stop_init(&stop);
	stop.result = SESSION_ABANDONED;
	assert_int_equal(session_stop(st, &clk, &s, &stop), DL_OK);
	session_done(&s);
	/* Without user flags the source is the analysis. */
	assert_int_equal(session_start(st, &clk, "so:222", NULL, NULL, &s),
	    DL_OK);
	assert_int_equal(s.info_source, SESSION_INFO_ANALYSIS);
	assert_int_equal(s.info[2], 0);
	assert_int_equal(session_stop(st, &clk, &s, &stop), DL_OK);
	session_done(&s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(scripted_and_reloaded),
		cmocka_unit_test(one_open_session),
		cmocka_unit_test(stale_struct_is_refreshed),
		cmocka_unit_test(heartbeat_and_recovery),
		cmocka_unit_test(adjust_and_info_after_stop),
		cmocka_unit_test(import_by_uuid),
		cmocka_unit_test(info_from_analysis),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
