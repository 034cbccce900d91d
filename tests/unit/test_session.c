/*
 * Unit tests of the session model: scripted sessions on a fake clock give
 * exact active times, ticks, intervals and outcomes.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "dlrepro/util.h"
#include "dlrepro/session.h"

#define T0 1700000000.0

static void
scripted_session(void **state)
{
	struct session s;
	struct session_stop st;

	(void)state;
	session_init(&s);
	assert_int_equal(session_model_start(&s, T0, NULL), DL_OK);
	assert_int_equal(s.state, SESSION_RUNNING);
	assert_int_equal(session_model_tick(&s, T0 + 60, "logging"), DL_OK);
	assert_int_equal(session_model_tick(&s, T0 + 90.5,
	    "import-addition"), DL_OK);
	assert_int_equal(session_model_pause(&s, T0 + 100), DL_OK);
	assert_int_equal(s.state, SESSION_PAUSED);
	/* Paused time does not count. */
	assert_true(session_active_at(&s, T0 + 1000) == 100.0);
	assert_int_equal(session_model_resume(&s, T0 + 400), DL_OK);
	assert_true(session_active_at(&s, T0 + 450.25) == 150.25);
	assert_int_equal(session_model_untick(&s, T0 + 420, "logging"),
	    DL_OK);
	assert_int_equal(session_model_tick(&s, T0 + 430,
	    "dataset-procurement"), DL_OK);
	session_stop_init(&st);
	st.result = SESSION_REPRODUCED;
	st.effort = SESSION_EFFORT_EASY;
	st.modification = SESSION_MOD_MINOR;
	st.framework = "PyTorch";
	assert_int_equal(session_model_stop(&s, T0 + 500, &st), DL_OK);
	assert_int_equal(s.state, SESSION_STOPPED);
	assert_true(session_active_at(&s, T0 + 99999) == 200.0);
	assert_int_equal(s.nintervals, 2);
	assert_true(s.intervals[0].start == T0);
	assert_true(s.intervals[0].end == T0 + 100);
	assert_int_equal(s.nticks, 2);
	assert_string_equal(s.ticks[0].action, "import-addition");
	assert_true(s.ticks[0].active == 90.5);
	assert_string_equal(s.ticks[1].action, "dataset-procurement");
	assert_true(s.ticks[1].active == 130.0);
	assert_int_equal(s.outcome.result, SESSION_REPRODUCED);
	assert_int_equal(s.outcome.effort, SESSION_EFFORT_EASY);
	assert_string_equal(s.outcome.framework, "PyTorch");
	assert_int_equal(s.nevents, 8);
	/* Nothing after stop. */
	assert_int_equal(session_model_tick(&s, T0 + 600, "logging"), DL_ERR);
	assert_int_equal(session_model_resume(&s, T0 + 600), DL_ERR);
	assert_int_equal(s.nevents, 8);
	session_done(&s);
}

static void
wrong_transitions_change_nothing(void **state)
{
	struct session s;
	struct session_stop st;

	(void)state;
	session_init(&s);
	assert_int_equal(session_model_pause(&s, T0), DL_ERR);
	assert_int_equal(session_model_tick(&s, T0, "logging"), DL_ERR);
	assert_int_equal(session_model_undo(&s, T0), DL_ERR);
	assert_int_equal(s.nevents, 0);
	assert_int_equal(session_model_start(&s, T0, NULL), DL_OK);
	assert_int_equal(session_model_start(&s, T0 + 1, NULL), DL_ERR);
	assert_int_equal(session_model_resume(&s, T0 + 1), DL_ERR);
	assert_int_equal(session_model_undo(&s, T0 + 1), DL_ERR);
	assert_int_equal(session_model_untick(&s, T0 + 1, "logging"), DL_ERR);
	assert_int_equal(session_model_tick(&s, T0 + 1, "logging"), DL_OK);
	assert_int_equal(session_model_tick(&s, T0 + 2, "logging"), DL_ERR);
	assert_int_equal(session_model_pause(&s, T0 + 3), DL_OK);
	assert_int_equal(session_model_pause(&s, T0 + 4), DL_ERR);
	session_stop_init(&st);
	assert_int_equal(session_model_stop(&s, T0 + 5, &st), DL_ERR);
	st.result = SESSION_REPRODUCED;
	st.reason = SESSION_REASON_HARDWARE;
	assert_int_equal(session_model_stop(&s, T0 + 5, &st), DL_ERR);
	assert_int_equal(s.nevents, 3);
	assert_int_equal(s.state, SESSION_PAUSED);
	session_done(&s);
}

static void
undo_walks_back(void **state)
{
	struct session s;

	(void)state;
	session_init(&s);
	session_model_start(&s, T0, NULL);
	session_model_tick(&s, T0 + 1, "logging");
	session_model_tick(&s, T0 + 2, "version-migration");
	session_model_untick(&s, T0 + 3, "logging");
	assert_int_equal(s.nticks, 1);
	/* Undo the untick: logging is back, with its original time. */
	assert_int_equal(session_model_undo(&s, T0 + 4), DL_OK);
	assert_int_equal(s.nticks, 2);
	assert_string_equal(s.ticks[0].action, "logging");
	assert_true(s.ticks[0].at == T0 + 1);
	/* Then the tick of version-migration, then the tick of logging. */
	assert_int_equal(session_model_undo(&s, T0 + 5), DL_OK);
	assert_int_equal(s.nticks, 1);
	assert_string_equal(s.ticks[0].action, "logging");
	assert_int_equal(session_model_undo(&s, T0 + 6), DL_OK);
	assert_int_equal(s.nticks, 0);
	assert_int_equal(session_model_undo(&s, T0 + 7), DL_ERR);
	/* A new tick after undo is undoable again. */
	assert_int_equal(session_model_tick(&s, T0 + 8, "logging"), DL_OK);
	assert_int_equal(session_model_undo(&s, T0 + 9), DL_OK);
	assert_int_equal(s.nticks, 0);
	/* Undo never touches time. */
	assert_true(session_active_at(&s, T0 + 10) == 10.0);
	session_done(&s);
}

static void
clock_going_back(void **state)
{
	struct session s;

	(void)state;
	session_init(&s);
	session_model_start(&s, T0 + 100, NULL);
	/* The wall clock went back 50 s between two commands. */
	assert_int_equal(session_model_pause(&s, T0 + 50), DL_OK);
	assert_true(s.events[1].at == T0 + 100);
	assert_true(session_active_at(&s, T0 + 200) == 0.0);
	assert_int_equal(session_model_resume(&s, T0 + 120), DL_OK);
	assert_true(session_active_at(&s, T0 + 110) == 0.0);
	assert_true(session_active_at(&s, T0 + 130) == 10.0);
	session_done(&s);
}

static void
adjust_intervals(void **state)
{
	struct session s;
	struct session_stop st;

	(void)state;
	session_init(&s);
	session_model_start(&s, T0, NULL);
	session_model_pause(&s, T0 + 600);
	session_model_resume(&s, T0 + 700);
	/* Forgot to pause during a coffee break: close the open interval. */
	assert_int_equal(session_model_adjust(&s, T0 + 2000, 2, T0 + 1000),
	    DL_OK);
	assert_int_equal(s.state, SESSION_PAUSED);
	assert_true(session_active_at(&s, T0 + 3000) == 900.0);
	assert_true(s.intervals[1].adjusted);
	assert_true(s.intervals[1].orig_end == T0 + 2000);
	/* Shorten the first one; lengthen back up to its original end. */
	assert_int_equal(session_model_adjust(&s, T0 + 2001, 1, T0 + 300),
	    DL_OK);
	assert_true(session_active_at(&s, T0 + 3000) == 600.0);
	assert_int_equal(session_model_adjust(&s, T0 + 2002, 1, T0 + 600),
	    DL_OK);
	assert_true(session_active_at(&s, T0 + 3000) == 900.0);
	/* Not past the original end, not before the start, not a bad n. */
	assert_int_equal(session_model_adjust(&s, T0 + 2003, 1, T0 + 601),
	    DL_ERR);
	assert_int_equal(session_model_adjust(&s, T0 + 2003, 2, T0 + 699),
	    DL_ERR);
	assert_int_equal(session_model_adjust(&s, T0 + 2003, 3, T0 + 800),
	    DL_ERR);
	assert_int_equal(session_model_adjust(&s, T0 + 2003, 0, T0 + 800),
	    DL_ERR);
	assert_int_equal(s.nevents, 6);
	/* The original stays in the log. */
	assert_int_equal(s.events[1].kind, SESSION_EV_PAUSE);
	assert_true(s.events[1].at == T0 + 600);
	session_model_resume(&s, T0 + 2500);
	session_stop_init(&st);
	st.result = SESSION_ABANDONED;
	session_model_stop(&s, T0 + 2600, &st);
	assert_true(session_active_at(&s, T0 + 9999) == 1000.0);
	/* After stop the last interval can still be shortened. */
	assert_int_equal(session_model_adjust(&s, T0 + 9999, 3, T0 + 2550),
	    DL_OK);
	assert_true(session_active_at(&s, T0 + 9999) == 950.0);
	session_done(&s);
}

static void
info_and_outcome(void **state)
{
	struct session s;
	struct session_stop st;
	signed char info[SESSION_NCAT];
	char *data;

	(void)state;
	memset(info, -1, sizeof info);
	info[0] = 1;
	info[4] = 0;
	data = session_info_json(NULL, info, SESSION_INFO_ANALYSIS);
	session_init(&s);
	session_model_start(&s, T0, data);
	free(data);
	assert_int_equal(s.info[0], 1);
	assert_int_equal(s.info[4], 0);
	assert_int_equal(s.info[1], -1);
	assert_int_equal(s.info_source, SESSION_INFO_ANALYSIS);
	memset(info, -1, sizeof info);
	info[4] = 1;
	assert_int_equal(session_model_info(&s, T0 + 1, "api", info,
	    SESSION_INFO_USER), DL_OK);
	assert_string_equal(s.type, "api");
	assert_int_equal(s.info[4], 1);
	assert_int_equal(s.info[0], 1);
	assert_int_equal(s.info_source, SESSION_INFO_USER);
	session_stop_init(&st);
	st.result = SESSION_NOT_REPRODUCED;
	st.notes = "needs \"CUDA\" 11";
	st.info[2] = 0;
	assert_int_equal(session_model_stop(&s, T0 + 2, &st), DL_OK);
	assert_int_equal(s.outcome.reason, SESSION_REASON_OTHER);
	assert_string_equal(s.outcome.notes, "needs \"CUDA\" 11");
	assert_int_equal(s.info[2], 0);
	session_done(&s);
}

static void
recovery(void **state)
{
	struct session s;
	struct session_recovery r;

	(void)state;
	session_init(&s);
	session_model_start(&s, T0, NULL);
	session_recovery_check(&s, T0 + 5000, &r);
	assert_false(r.needed);	/* no dashboard ever beat */
	s.heartbeat = T0 + 300;
	session_recovery_check(&s, T0 + 330, &r);
	assert_false(r.needed);
	session_recovery_check(&s, T0 + 1300, &r);
	assert_true(r.needed);
	assert_true(r.heartbeat == T0 + 300);
	assert_true(r.lost_seconds == 1000.0);
	assert_true(r.active_keep == 1300.0);
	assert_true(r.active_cut == 300.0);
	assert_int_equal(session_model_recover(&s, T0 + 1300, 1, r.heartbeat),
	    DL_OK);
	assert_int_equal(s.state, SESSION_PAUSED);
	assert_true(session_active_at(&s, T0 + 5000) == 300.0);
	assert_int_equal(session_model_recover(&s, T0 + 1300, 1, r.heartbeat),
	    DL_ERR);
	session_done(&s);

	session_init(&s);
	session_model_start(&s, T0, NULL);
	assert_int_equal(session_model_recover(&s, T0 + 1300, 0, T0 + 300),
	    DL_OK);
	assert_int_equal(s.state, SESSION_RUNNING);
	assert_true(session_active_at(&s, T0 + 1300) == 1300.0);
	session_done(&s);
}

static double fake_now;

static double
fake(void *ctx)
{
	(void)ctx;
	return fake_now;
}

static void
status_snapshot(void **state)
{
	const struct session_clock c = { fake, NULL };
	struct session s;
	struct session_status st;

	(void)state;
	session_init(&s);
	session_model_start(&s, T0, NULL);
	session_model_tick(&s, T0 + 10, "logging");
	session_model_pause(&s, T0 + 20);
	session_model_resume(&s, T0 + 50);
	fake_now = T0 + 65.5;
	session_status(&s, &c, &st);
	assert_int_equal(st.state, SESSION_RUNNING);
	assert_true(st.active == 35.5);
	assert_true(st.interval_active == 15.5);
	assert_int_equal(st.nticks, 1);
	assert_false(st.recovery.needed);
	assert_ptr_equal(st.s, &s);
	session_done(&s);
}

static void
replay_from_log(void **state)
{
	struct session a, b;
	size_t i;

	(void)state;
	session_init(&a);
	session_model_start(&a, T0, NULL);
	session_model_tick(&a, T0 + 5, "logging");
	session_model_undo(&a, T0 + 6);
	session_model_tick(&a, T0 + 7, "model-download");
	session_model_pause(&a, T0 + 8);
	/* Replaying the stored log gives the same state. */
	session_init(&b);
	for (i = 0; i < a.nevents; i++)
		session_push_event(&b, a.events[i].seq, a.events[i].kind,
		    a.events[i].at, a.events[i].active, a.events[i].action,
		    a.events[i].data);
	session_replay(&b);
	assert_int_equal(b.state, SESSION_PAUSED);
	assert_int_equal(b.nticks, 1);
	assert_string_equal(b.ticks[0].action, "model-download");
	assert_true(b.events[1].undone);
	session_pop_event(&b);
	assert_int_equal(b.state, SESSION_RUNNING);
	session_done(&a);
	session_done(&b);
}

static void
ids_and_uuid(void **state)
{
	char u1[37], u2[37];
	int i;

	(void)state;
	assert_int_equal(session_result_from_id("not-reproduced"),
	    SESSION_NOT_REPRODUCED);
	assert_int_equal(session_result_from_id(""), -1);
	assert_int_equal(session_reason_from_id("hardware"),
	    SESSION_REASON_HARDWARE);
	assert_int_equal(session_reason_from_id("gpu"), -1);
	assert_int_equal(session_category_from_id("logs"), 4);
	assert_string_equal(session_kind_id(SESSION_EV_ADJUST), "adjust");
	session_uuid_v4(u1);
	session_uuid_v4(u2);
	assert_int_equal(strlen(u1), 36);
	assert_string_not_equal(u1, u2);
	assert_int_equal(u1[14], '4');
	assert_true(strchr("89ab", u1[19]) != NULL);
	for (i = 0; i < 36; i++)
		assert_true(i == 8 || i == 13 || i == 18 || i == 23 ?
		    u1[i] == '-' : strchr("0123456789abcdef", u1[i]) != NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(scripted_session),
		cmocka_unit_test(wrong_transitions_change_nothing),
		cmocka_unit_test(undo_walks_back),
		cmocka_unit_test(clock_going_back),
		cmocka_unit_test(adjust_intervals),
		cmocka_unit_test(info_and_outcome),
		cmocka_unit_test(recovery),
		cmocka_unit_test(status_snapshot),
		cmocka_unit_test(replay_from_log),
		cmocka_unit_test(ids_and_uuid),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
