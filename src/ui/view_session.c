/*
 * view_session.c - the session panel: live timer, the edit-action
 * checklist, ticks, pause/resume, undo, the stop dialog and crash
 * recovery.  Waits for include/dlrepro/session.h.
 */
#include "config.h"

#include "ui.h"

static void
session_draw(struct ui *ui, struct view *v, WINDOW *w)
{
	draw_frame(ui, w, "Session", ui->focus == VIEW_SESSION);
	draw_str(w, 1, 1, v->w - 2, "No session", ui_attr(ui, R_DIM));
}

void session_view_startup(struct ui *ui) { (void)ui; }
void session_view_shutdown(struct ui *ui) { (void)ui; }
void session_view_tick(struct ui *ui) { (void)ui; }
int session_view_quit_check(struct ui *ui) { (void)ui; return 0; }

static void
not_yet(struct ui *ui)
{
	ui_msg(ui, "Sessions are not available in this build yet");
}

void session_view_start(struct ui *ui) { not_yet(ui); }
void session_view_tick_action(struct ui *ui) { not_yet(ui); }
void session_view_pause(struct ui *ui) { not_yet(ui); }
void session_view_undo(struct ui *ui) { not_yet(ui); }
void session_view_stop(struct ui *ui) { not_yet(ui); }
void ui_list_outcomes(struct ui *ui) { (void)ui; }

const struct view_ops session_view_ops = {
	.name = "session",
	.title = "Session",
	.draw = session_draw,
};
