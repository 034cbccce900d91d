/*
 * view_session.c - the session panel: the live timer (running or paused),
 * the ten edit actions as a checklist with the recommended ones first and
 * the time of each tick, pause/resume, undo, the stop dialog (outcome,
 * reason, notes typed or written in $EDITOR), the heartbeat while the
 * dashboard is open and the offer to recover a session left by a crash.
 * While that offer is unanswered no heartbeat is written and no step is
 * taken, so the crash stays visible as a stale heartbeat until the user
 * (or `dlrepro session recover`) decides what the lost time was.
 * It also shows a past session's timeline, opened from the history.
 * Every step goes through the session service, which commits it at once.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dlrepro/data.h"
#include "dlrepro/recommend.h"
#include "dlrepro/session.h"
#include "dlrepro/store.h"
#include "safe.h"
#include "ui.h"

#define HEARTBEAT_EVERY 10.0

struct sv {
	struct session s;	/* the open session */
	int live;		/* s is loaded and open */
	struct session past;	/* a stopped session opened from history */
	int showing_past;
	int cursor;
	int top;		/* timeline scroll */
	int order[ACT__COUNT];
	double conf[ACT__COUNT];	/* recommended confidence or -1 */
	double last_hb;
	/* The crash question for this session is unanswered: 0 when none. */
	long long recover_id;
	struct session_stop stop;	/* being filled by the dialog */
	char *notes;
	/* notes from a stop that failed, kept for this session's retry */
	long long notes_id;
};

static struct sv *
SV(struct ui *ui)
{
	return ui_view(ui, VIEW_SESSION)->priv;
}

static const struct session_clock *
clk(void)
{
	return session_clock_system();
}

static double
now(void)
{
	const struct session_clock *c = clk();

	return c->now(c->ctx);
}

/* Recommended actions first, in order of confidence; then the rest. */
static void
order_actions(struct ui *ui, struct sv *sv)
{
	struct recommendation rec;
	int present[CAT__COUNT], i, n = 0, used[ACT__COUNT] = { 0 };
	const char *tid = session_bug_type(&sv->s);
	int type = tid ? data_type_from_id(tid) : -1;
	size_t k;

	for (i = 0; i < ACT__COUNT; i++)
		sv->conf[i] = -1;
	if (type >= 0) {
		for (i = 0; i < CAT__COUNT; i++)
			present[i] = sv->s.info[i] == 1;
		recommend(ui->data, type, present, 0, &rec);
		for (k = 0; k < rec.nactions; k++) {
			int a = rec.actions[k].id;

			sv->order[n++] = a;
			used[a] = 1;
			sv->conf[a] = rec.actions[k].confidence;
		}
	}
	for (i = 0; i < ACT__COUNT; i++)
		if (!used[i])
			sv->order[n++] = i;
}

static void
describe(struct ui *ui, struct sv *sv)
{
	char hms[16];

	free(ui->session_desc);
	free(ui->session_post);
	ui->session_desc = NULL;
	ui->session_post = NULL;
	if (!sv->live)
		return;
	format_hms(session_active_at(&sv->s, now()), hms, sizeof(hms));
	ui->session_desc = xasprintf(
		"%s %s %s", sv->s.state == SESSION_RUNNING ? "running" : "paused",
		hms, sv->s.post);
	ui->session_post = xstrdup(sv->s.post);
}

static void
forget_notes(struct sv *sv)
{
	free(sv->notes);
	sv->notes = NULL;
	sv->notes_id = 0;
}

/* (Re)load the open session from the store: another process may act. */
static void
load_open(struct ui *ui, struct sv *sv)
{
	int was_live = sv->live;

	if (sv->live)
		session_done(&sv->s);
	session_init(&sv->s);
	sv->live = 0;
	switch (session_load_open(ui->st, &sv->s)) {
	case DL_OK:
		sv->live = 1;
		order_actions(ui, sv);
		if (!was_live) {
			ui->show_session = 1;
		}
		break;
	case DL_NOTFOUND:
		if (was_live && !sv->showing_past)
			ui->show_session = 0;
		break;
	default:
		ui_error_slot(ui, "session");
	}
	if (sv->recover_id) {
		struct session_recovery r;

		/* Answered elsewhere (the CLI), paused, stopped or replaced. */
		if (sv->live)
			session_recovery_check(&sv->s, now(), &r);
		if (!sv->live || sv->s.id != sv->recover_id || !r.needed)
			sv->recover_id = 0;
	}
	if (sv->notes_id && (!sv->live || sv->s.id != sv->notes_id))
		forget_notes(sv);
	describe(ui, sv);
	ui->dirty = 1;
}

static void *
session_open(struct ui *ui)
{
	struct sv *sv = xcalloc(1, sizeof(*sv));

	(void)ui;
	session_init(&sv->s);
	session_init(&sv->past);
	return sv;
}

static void
session_close(void *priv)
{
	struct sv *sv = priv;

	if (!sv)
		return;
	session_done(&sv->s);
	session_done(&sv->past);
	free(sv->notes);
	free(sv);
}

static void
session_reload(struct ui *ui, struct view *v)
{
	load_open(ui, v->priv);
}

/* ---- crash recovery ---- */

static void ask_recovery(struct ui *ui, struct sv *sv);

static void
recover_done(struct ui *ui, int yes)
{
	struct sv *sv = SV(ui);

	if (yes < 0) {
		/* Still pending: no heartbeat hides the crash meanwhile. */
		ui_msg(ui, "Recovery left for later: a session key or the next "
			   "start asks again");
		return;
	}
	/* y keeps the time since the last heartbeat, n cuts it there. */
	if (session_recover(ui->st, clk(), &sv->s, !yes) != DL_OK) {
		struct session_recovery r;

		ui_error_slot(ui, "recover");
		/* s is as stored now: answered elsewhere, nothing to wait for */
		session_recovery_check(&sv->s, now(), &r);
		if (!r.needed)
			sv->recover_id = 0;
		return;
	}
	sv->recover_id = 0;
	sv->last_hb = 0;	/* alive again: heartbeat at the next tick */
	ui_msg(ui, "Session on %s recovered: %s", sv->s.post,
	       yes ? "time kept" : "time since the crash cut");
	load_open(ui, sv);
}

static void
ask_recovery(struct ui *ui, struct sv *sv)
{
	struct session_recovery r;
	char lost[16];
	char *q;

	session_recovery_check(&sv->s, now(), &r);
	if (!r.needed) {
		sv->recover_id = 0;
		return;
	}
	sv->recover_id = sv->s.id;
	format_hms(r.lost_seconds, lost, sizeof(lost));
	/* Short enough for 100 columns with a long post id. */
	q = xasprintf("Session %s left running %s ago (crash, sleep?): "
		      "y keeps it, n cuts it, Esc later",
		      sv->s.post, lost);
	ui_confirm_open(ui, q, recover_done);
	free(q);
}

void
session_view_startup(struct ui *ui)
{
	struct sv *sv = SV(ui);

	load_open(ui, sv);
	if (!sv->live)
		return;
	ask_recovery(ui, sv);
	/* open where the work is: on the session's post */
	if (list_view_select(ui, sv->s.post) == -1)
		error_clear();
	if (!sv->recover_id)
		ui_msg(ui, "Session on %s is %s", sv->s.post,
		       sv->s.state == SESSION_RUNNING ? "running" : "paused");
}

void
session_view_shutdown(struct ui *ui)
{
	struct sv *sv = SV(ui);

	/*
	 * A clean exit: no heartbeat left behind to look like a crash.  An
	 * unanswered crash question keeps its stale heartbeat, so the next
	 * start (or `dlrepro session recover`) can still answer it.
	 */
	if (sv->live && !sv->recover_id &&
	    session_detach(ui->st, &sv->s) != DL_OK)
		fprintf(stderr, "dlrepro: session: %s\n", error_msg());
}

void
session_view_tick(struct ui *ui)
{
	struct sv *sv = SV(ui);
	double t = now_mono();

	if (!sv->live)
		return;
	if (!sv->recover_id && sv->s.state == SESSION_RUNNING) {
		struct session_recovery r;

		/*
		 * No sign of life for a minute while this dashboard ran: the
		 * machine slept (the session clock counts sleep, the loop
		 * does not) or the process was stopped.  The same question
		 * as after a crash, asked before a heartbeat can hide the
		 * gap, and once no dialog is open.
		 */
		session_recovery_check(&sv->s, now(), &r);
		if (r.needed) {
			if (ui->overlay == OV_NONE)
				ask_recovery(ui, sv);
			return;
		}
	}
	/*
	 * A fresh heartbeat would make the crash look answered: the cut
	 * would then find nothing stale and the lost time would stay.
	 */
	if (!sv->recover_id && t - sv->last_hb >= HEARTBEAT_EVERY) {
		/* A missed beat is retried; it never hides another error
		 * (a failed stop's, say) the user has not read yet.  This
		 * process is alive though: a store that refuses the beat
		 * for a minute is not taken for a sleep. */
		if (session_heartbeat(ui->st, clk(), &sv->s) != DL_OK) {
			if (!(ui->msg && ui->msg_error))
				ui_error_slot(ui, "heartbeat");
			if (sv->s.state == SESSION_RUNNING)
				sv->s.heartbeat = now();
		}
		sv->last_hb = t;
	}
	if (sv->s.state == SESSION_RUNNING) {
		describe(ui, sv);
		ui->dirty = 1;
	}
}

static void
quit_done(struct ui *ui, int yes)
{
	struct sv *sv = SV(ui);

	if (yes < 0)
		return;	/* Esc: not quitting after all */
	if (yes == 1 && session_pause(ui->st, clk(), &sv->s) != DL_OK) {
		/* Say it on stderr after the screen is gone; nothing lost. */
		ui_error_slot(ui, "pause");
		return;
	}
	ui->quit = 1;
}

int
session_view_quit_check(struct ui *ui)
{
	struct sv *sv = SV(ui);
	char *q;

	/* Pausing would stamp the crash's lost time as active: leave it. */
	if (!sv->live || sv->s.state != SESSION_RUNNING || sv->recover_id)
		return 0;
	q = xasprintf("The session on %s is running. Pause it before "
		      "quitting? (y/n, Esc stays)", sv->s.post);
	ui_confirm_open(ui, q, quit_done);
	free(q);
	return 1;
}

/* ---- commands ---- */

static int
need_live(struct ui *ui, struct sv *sv)
{
	if (!sv->live && sv->showing_past) {
		ui_msg(ui, "This past session is stopped: j/k scroll its "
			   "timeline, Esc goes back");
		return 0;
	}
	if (!sv->live) {
		ui_msg(ui, "No session is open: s starts one on the selected "
			   "post");
		return 0;
	}
	/* Any step is stamped now: the crash's lost time comes first. */
	if (sv->recover_id && !sv->showing_past) {
		ask_recovery(ui, sv);
		if (sv->recover_id)
			return 0;
	}
	return 1;
}

static void
after_step(struct ui *ui, struct sv *sv, int rc, const char *what)
{
	if (rc != DL_OK)
		ui_error_slot(ui, what);
	describe(ui, sv);
	/* Our own commit does not move data_version: refresh the list. */
	ui_reload_all(ui);
}

void
session_view_start(struct ui *ui)
{
	struct sv *sv = SV(ui);
	signed char info[SESSION_NCAT];
	int i, rc;

	if (sv->live) {
		ui_msg(ui, "A session is already open on %s (e stops it)",
		       sv->s.post);
		ui->show_session = 1;
		ui_focus(ui, VIEW_SESSION);
		return;
	}
	if (!ui->sel_id) {
		ui_msg(ui, "No post selected");
		return;
	}
	for (i = 0; i < SESSION_NCAT; i++)
		info[i] = -1;
	session_done(&sv->s);
	session_init(&sv->s);
	rc = session_start(ui->st, clk(), ui->sel_id, NULL, info, &sv->s);
	if (rc != DL_OK) {
		ui_error_slot(ui, "start");
		return;
	}
	sv->live = 1;
	sv->showing_past = 0;
	sv->cursor = 0;
	sv->last_hb = now_mono();
	order_actions(ui, sv);
	ui->show_session = 1;
	ui_focus(ui, VIEW_SESSION);
	ui_msg(ui, "Session started on %s", sv->s.post);
	after_step(ui, sv, DL_OK, "start");
}

void
session_view_tick_action(struct ui *ui)
{
	struct sv *sv = SV(ui);
	const char *act;
	int rc;

	if (!need_live(ui, sv))
		return;
	if (sv->showing_past) {
		ui_msg(ui, "This is a past session: Esc returns to the live one");
		return;
	}
	act = data_action_id(sv->order[sv->cursor]);
	if (session_is_ticked(&sv->s, act)) {
		rc = session_untick(ui->st, clk(), &sv->s, act);
		if (rc == DL_OK)
			ui_msg(ui, "Unticked %s",
			       ui->data->actions[sv->order[sv->cursor]].name);
	} else {
		rc = session_tick(ui->st, clk(), &sv->s, act);
		if (rc == DL_OK)
			ui_msg(ui, "Ticked %s",
			       ui->data->actions[sv->order[sv->cursor]].name);
	}
	after_step(ui, sv, rc, "tick");
}

void
session_view_pause(struct ui *ui)
{
	struct sv *sv = SV(ui);
	int rc;

	if (!need_live(ui, sv))
		return;
	if (sv->s.state == SESSION_RUNNING) {
		rc = session_pause(ui->st, clk(), &sv->s);
		if (rc == DL_OK)
			ui_msg(ui, "Session paused");
	} else {
		rc = session_resume(ui->st, clk(), &sv->s);
		if (rc == DL_OK)
			ui_msg(ui, "Session resumed");
	}
	after_step(ui, sv, rc, "pause");
}

void
session_view_undo(struct ui *ui)
{
	struct sv *sv = SV(ui);
	int rc;

	if (!need_live(ui, sv))
		return;
	rc = session_undo(ui->st, clk(), &sv->s);
	if (rc == DL_OK)
		ui_msg(ui, "Undone");
	after_step(ui, sv, rc, "undo");
}

/* ---- the stop dialog: outcome, reason or effort, notes ---- */

static void
finish_stop(struct ui *ui)
{
	struct sv *sv = SV(ui);
	char hms[16];
	int rc;

	sv->stop.notes = sv->notes;
	rc = session_stop(ui->st, clk(), &sv->s, &sv->stop);
	if (rc != DL_OK) {
		/* The session stays open; what was typed waits for e again. */
		if (sv->notes) {
			sv->notes_id = sv->s.id;
			/* What to do first: the cause may be long. */
			ui_error(ui, "stop: notes kept, e tries again: %s",
				 error_msg());
		} else {
			ui_error_slot(ui, "stop");
		}
		return;
	}
	format_hms(session_active_at(&sv->s, now()), hms, sizeof(hms));
	ui_msg(ui, "Session on %s stopped: %s after %s", sv->s.post,
	       session_result_id(sv->stop.result), hms);
	forget_notes(sv);
	session_done(&sv->s);
	session_init(&sv->s);
	sv->live = 0;
	ui->show_session = 0;
	ui_focus(ui, ui->primary);
	describe(ui, sv);
	ui_reload_all(ui);
}

static void
notes_typed(struct ui *ui, const char *text)
{
	struct sv *sv = SV(ui);

	if (!text)
		return;	/* Esc: the session stays open, kept notes too */
	free(sv->notes);
	sv->notes = *text ? xstrdup(text) : NULL;
	finish_stop(ui);
}

static const char *
sv_notes(struct ui *ui)
{
	return SV(ui)->notes;
}

/*
 * The dashboard was alive all the while its editor ran, but its loop
 * wrote no heartbeat: beat now, before anything else can fail (an
 * editor's error, a stop refused by a locked store), or the next tick
 * would offer the minutes spent writing as time lost to a crash.  A beat
 * the store refuses is kept in memory, as the tick does; the tick
 * retries it and reports a lasting failure.
 */
static void
editor_returned(struct ui *ui)
{
	struct sv *sv = SV(ui);

	if (!sv->live || sv->recover_id)
		return;
	if (session_heartbeat(ui->st, clk(), &sv->s) != DL_OK &&
	    sv->s.state == SESSION_RUNNING)
		sv->s.heartbeat = now();
	sv->last_hb = now_mono();
}

int
ui_edit_text(struct ui *ui, const char *initial, const char *suffix,
	     char **out, const char *lost)
{
	const char *ed = getenv("VISUAL");
	struct strvec argv;
	char *path;
	int fd, rc;
	FILE *f;
	struct strbuf sb;
	char buf[4096];
	size_t got;

	if (!ed || !*ed)
		ed = getenv("EDITOR");
	if (!ed || !*ed)
		ed = "vi";
	*out = NULL;
	if (!suffix)
		suffix = "";
	/* the suffix tells the editor what it edits (.md: Markdown) */
	path = xasprintf("%s/dlrepro-XXXXXX%s", tmp_dir(), suffix);
	fd = mkstemps(path, (int)strlen(suffix));
	if (fd < 0) {
		ui_error(ui, "%s: %s", path, strerror(errno));
		free(path);
		return -1;
	}
	if (initial && (f = fdopen(fd, "w"))) {
		fprintf(f, "%s\n", initial);
		fclose(f);
	} else {
		close(fd);
	}
	sv_init(&argv);
	spawn_command(ed, path, &argv);
	def_prog_mode();
	endwin();
	rc = spawn_wait_stdin(argv.v, NULL);
	editor_returned(ui);
	reset_prog_mode();
	clearok(curscr, TRUE);
	ui->dirty = 1;
	if (rc != 0) {
		if (rc == SPAWN_NOT_RUN)
			ui_error(ui, "%s: %s", error_msg(), lost);
		else if (rc > 0)
			ui_error(ui, "The editor exited with status %d: %s", rc,
				 lost);
		else
			ui_error(ui, "The editor did not finish: %s", lost);
		rc = -1;
	} else if (!(f = fopen(path, "r"))) {
		ui_error(ui, "%s: %s", path, strerror(errno));
		rc = -1;
	} else {
		sb_init(&sb);
		while ((got = fread(buf, 1, sizeof(buf), f)) > 0)
			sb_add(&sb, buf, got);
		fclose(f);
		while (sb.len && (sb.s[sb.len - 1] == '\n' ||
				  sb.s[sb.len - 1] == ' '))
			sb.s[--sb.len] = 0;
		if (memchr(sb.s, '\0', sb.len) != NULL) {
			/* the text would end at the first one, unseen */
			ui_error(ui, "The file holds NUL bytes (binary?): %s",
				 lost);
			sb_done(&sb);
			rc = -1;
		} else if (sb.len)
			*out = sb_detach(&sb);
		else
			sb_done(&sb);
	}
	unlink(path);
	free(path);
	sv_done(&argv);
	return rc;
}

/* 0 with *out the notes written (NULL if none), -1 when not taken. */
static int
edit_notes(struct ui *ui, char **out)
{
	return ui_edit_text(ui, sv_notes(ui), NULL, out,
			    "notes not taken, the session stays open");
}

enum { NOTES_TYPE, NOTES_EDITOR, NOTES_NONE, NOTES_KEEP };

/* One line of text the prompt can hold as it is. */
static int
one_line(const char *s)
{
	for (; s && *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 0;
	return s != NULL;
}

static void
notes_done(struct ui *ui, const struct ui_menu_item *it)
{
	struct sv *sv = SV(ui);

	switch (it->value) {
	case NOTES_KEEP:
		finish_stop(ui);
		break;
	case NOTES_TYPE:
		ui_prompt_open(ui, "Notes: ",
			       one_line(sv->notes) ? sv->notes : NULL,
			       notes_typed);
		break;
	case NOTES_EDITOR: {
		char *text;

		/* An editor that fails stops nothing and loses nothing. */
		if (edit_notes(ui, &text) != 0)
			break;
		free(sv->notes);
		sv->notes = text;
		finish_stop(ui);
		break;
	}
	default:
		free(sv->notes);
		sv->notes = NULL;
		finish_stop(ui);
	}
}

static void
ask_notes(struct ui *ui)
{
	struct sv *sv = SV(ui);

	ui_menu_open(ui, "Notes", notes_done);
	if (sv->notes) {
		char *one = safe_fit(sv->notes, 50, NULL);
		char *label = xasprintf("as typed before: %s", one);

		ui_menu_add(ui, label, NOTES_KEEP, NULL);
		free(label);
		free(one);
	}
	ui_menu_add(ui, "none", NOTES_NONE, NULL);
	ui_menu_add(ui, "type a line here", NOTES_TYPE, NULL);
	ui_menu_add(ui, "write them in $EDITOR", NOTES_EDITOR, NULL);
}

/*
 * A reproduction also gets the paper's effort level and modification
 * type (the replication package's columns), each skippable.
 */
static void
modification_done(struct ui *ui, const struct ui_menu_item *it)
{
	SV(ui)->stop.modification = (enum session_mod)it->value;
	ask_notes(ui);
}

static void
effort_done(struct ui *ui, const struct ui_menu_item *it)
{
	int i;

	SV(ui)->stop.effort = (enum session_effort)it->value;
	ui_menu_open(ui, "Modification the reproduction needed",
		     modification_done);
	for (i = SESSION_MOD_NONE + 1; i < SESSION_MOD_COUNT; i++)
		ui_menu_add(ui, session_mod_id((enum session_mod)i), i, NULL);
	ui_menu_add(ui, "not recorded", SESSION_MOD_NONE, NULL);
}

static void
ask_effort(struct ui *ui)
{
	int i;

	ui_menu_open(ui, "Effort of the reproduction", effort_done);
	for (i = SESSION_EFFORT_NONE + 1; i < SESSION_EFFORT_COUNT; i++)
		ui_menu_add(ui, session_effort_id((enum session_effort)i), i,
			    NULL);
	ui_menu_add(ui, "not recorded", SESSION_EFFORT_NONE, NULL);
}

static void
reason_done(struct ui *ui, const struct ui_menu_item *it)
{
	SV(ui)->stop.reason = (enum session_reason)it->value;
	ask_notes(ui);
}

static void
outcome_done(struct ui *ui, const struct ui_menu_item *it)
{
	struct sv *sv = SV(ui);
	int i;

	sv->stop.result = (enum session_result)it->value;
	/* The store takes a reason with not-reproduced only. */
	if (sv->stop.result == SESSION_REPRODUCED) {
		sv->stop.reason = SESSION_REASON_NONE;
		ask_effort(ui);
		return;
	}
	if (sv->stop.result != SESSION_NOT_REPRODUCED) {
		sv->stop.reason = SESSION_REASON_NONE;
		ask_notes(ui);
		return;
	}
	ui_menu_open(ui, "Reason", reason_done);
	for (i = 0; i < SESSION_REASON_COUNT; i++)
		ui_menu_add(ui, i == SESSION_REASON_NONE
					? "no reason given"
					: session_reason_id((enum session_reason)i),
			    i, NULL);
}

void
session_view_stop(struct ui *ui)
{
	struct sv *sv = SV(ui);
	int i;

	if (!need_live(ui, sv))
		return;
	session_stop_init(&sv->stop);
	/* Notes of a stop that failed on this session are offered again. */
	if (sv->notes_id != sv->s.id)
		forget_notes(sv);
	ui_menu_open(ui, "Stop the session: outcome (Esc keeps it open)",
		     outcome_done);
	for (i = SESSION_RESULT_NONE + 1; i < SESSION_RESULT_COUNT; i++)
		ui_menu_add(ui, session_result_id((enum session_result)i), i,
			    NULL);
}

void
ui_list_outcomes(struct ui *ui)
{
	int i;

	for (i = SESSION_RESULT_NONE + 1; i < SESSION_RESULT_COUNT; i++)
		ui_menu_add(ui, session_result_id((enum session_result)i), 0,
			    session_result_id((enum session_result)i));
}

/* ---- a past session's timeline (from the history) ---- */

void
session_view_show_past(struct ui *ui, long long id)
{
	struct sv *sv = SV(ui);

	session_done(&sv->past);
	session_init(&sv->past);
	if (session_load(ui->st, id, &sv->past) != DL_OK) {
		ui_error_slot(ui, "session");
		sv->showing_past = 0;
		return;
	}
	sv->showing_past = 1;
	sv->top = 0;
	ui->show_session = 1;
	ui_focus(ui, VIEW_SESSION);
}

/* ---- drawing ---- */

static void
draw_timeline(struct ui *ui, struct sv *sv, struct view *v, WINDOW *w)
{
	const struct session *s = &sv->past;
	char title[128], hms[16], when[32];
	size_t i;
	int y = 2;

	format_hms(session_active_at(s, s->ended > 0 ? s->ended : now()), hms,
		   sizeof(hms));
	snprintf(title, sizeof(title), "Session #%lld on %.40s  %s  %s",
		 s->id, s->post, session_state_id(s->state), hms);
	draw_frame(ui, w, title, ui->focus == VIEW_SESSION);
	draw_printf(w, 1, 1, v->w - 2, ui_attr(ui, R_BOLD), "%s  outcome: %s%s%s",
		    s->post_title ? s->post_title : "",
		    session_result_id(s->outcome.result),
		    s->outcome.notes ? "  notes: " : "",
		    s->outcome.notes ? s->outcome.notes : "");
	if (sv->top < 0)
		sv->top = 0;
	for (i = (size_t)sv->top; i < s->nevents && y < v->h; i++, y++) {
		const struct session_event *e = &s->events[i];

		format_iso8601(e->at, when, sizeof(when));
		format_hms(e->active, hms, sizeof(hms));
		draw_printf(w, y, 1, v->w - 2,
			    ui_attr(ui, e->undone ? R_DIM : R_NORMAL),
			    "%.19s  %s  %-8s %s%s", when, hms,
			    session_kind_id(e->kind),
			    e->action ? e->action : "",
			    e->undone ? "  (undone)" : "");
	}
}

static void
session_draw(struct ui *ui, struct view *v, WINDOW *w)
{
	struct sv *sv = v->priv;
	int focused = ui->focus == VIEW_SESSION;
	char title[160], hms[16];
	int i, y, first_y, rows;
	const char *tid;

	if (sv->showing_past) {
		draw_timeline(ui, sv, v, w);
		return;
	}
	if (!sv->live) {
		draw_frame(ui, w, "Session", focused);
		draw_str(w, 1, 1, v->w - 2,
			 "No session: s starts one on the selected post",
			 ui_attr(ui, R_DIM));
		return;
	}
	format_hms(session_active_at(&sv->s, now()), hms, sizeof(hms));
	snprintf(title, sizeof(title), "Session %s  %s  %s", hms,
		 sv->s.state == SESSION_RUNNING ? "RUNNING" : "PAUSED",
		 sv->s.post);
	draw_frame(ui, w, title, focused);
	/* The timer itself stands out in the title bar. */
	draw_str(w, 0, 9, 8, hms,
		 ui_attr(ui, sv->s.state == SESSION_RUNNING ? R_RUNNING
							    : R_PAUSED) |
			 A_REVERSE);
	tid = session_bug_type(&sv->s);
	draw_printf(w, 1, 1, v->w - 2, ui_attr(ui, R_DIM),
		    "%s  type %s  %zu tick%s  space tick  p %s  u undo  e stop",
		    sv->s.post_title ? sv->s.post_title : "",
		    tid ? tid : "?", sv->s.nticks, sv->s.nticks == 1 ? "" : "s",
		    sv->s.state == SESSION_RUNNING ? "pause" : "resume");
	first_y = 2;
	rows = v->h - first_y;
	if (rows <= 0)
		return;
	{
		int top = sv->cursor >= rows ? sv->cursor - rows + 1 : 0;
		int namew = 0;

		/* names in one column, as wide as the longest, leaving
		 * room for the confidence (the tick time follows when
		 * there is room) */
		for (i = 0; i < ACT__COUNT; i++) {
			int nw = safe_width(ui->data->actions[i].name,
					    strlen(ui->data->actions[i].name));

			if (nw > namew)
				namew = nw;
		}
		if (namew > v->w - 5 - 8)
			namew = v->w - 5 - 8 > 8 ? v->w - 5 - 8 : 8;

		for (i = top, y = first_y; i < ACT__COUNT && y < v->h;
		     i++, y++) {
			int a = sv->order[i];
			const char *id = data_action_id(a);
			int ticked = session_is_ticked(&sv->s, id);
			int sel = i == sv->cursor;
			attr_t base = sel ? ui_attr(ui, focused ? R_SELECTED
								: R_SELECTED_DIM)
					  : ui_attr(ui, R_NORMAL);
			int x = 0;
			size_t k;
			char *name;

			if (sel)
				draw_fill(w, y, 0, v->w, base);
			x += draw_printf(w, y, x, v->w, base, "%s[%s] %c ",
					 sel ? ">" : " ", ticked ? "x" : " ",
					 ui->data->actions[a].letter);
			name = safe_fit(ui->data->actions[a].name,
					namew < v->w - x ? namew : v->w - x,
					NULL);
			draw_str(w, y, x, v->w - x, name,
				 base | (sv->conf[a] >= 0 ? A_BOLD : 0));
			free(name);
			x += namew + 2;
			if (sv->conf[a] >= 0)
				draw_printf(w, y, x, v->w - x, base,
					    "%3.0f%%", sv->conf[a] * 100);
			x += 6;
			for (k = 0; ticked && k < sv->s.nticks; k++) {
				if (strcmp(sv->s.ticks[k].action, id) != 0)
					continue;
				format_hms(sv->s.ticks[k].active, hms,
					   sizeof(hms));
				draw_printf(w, y, x, v->w - x, base,
					    "ticked at %s", hms);
			}
		}
	}
}

static void
session_move(struct ui *ui, struct view *v, enum ui_move how, int dir)
{
	struct sv *sv = v->priv;
	int *c = sv->showing_past ? &sv->top : &sv->cursor;
	int max = sv->showing_past ? (int)sv->past.nevents - 1 : ACT__COUNT - 1;

	(void)ui;
	switch (how) {
	case MOVE_LINE:
		*c += dir;
		break;
	case MOVE_HALF:
	case MOVE_PAGE:
		*c += dir * 5;
		break;
	case MOVE_FIRST:
		*c = 0;
		break;
	case MOVE_LAST:
		*c = max;
		break;
	}
	if (*c > max)
		*c = max;
	if (*c < 0)
		*c = 0;
}

int
session_view_showing_past(struct ui *ui)
{
	struct sv *sv = SV(ui);

	if (!sv->showing_past)
		return 0;
	return sv->live ? 2 : 1;
}

int
session_view_back(struct ui *ui)
{
	struct sv *sv = SV(ui);

	if (!sv->showing_past)
		return 0;
	sv->showing_past = 0;
	ui->show_session = sv->live;
	ui_focus(ui, ui->primary);
	return 1;
}

const struct view_ops session_view_ops = {
	.name = "session",
	.title = "Session",
	.open = session_open,
	.close = session_close,
	.draw = session_draw,
	.move = session_move,
	.reload = session_reload,
};
