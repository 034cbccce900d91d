/*
 * view_history.c - past sessions: filter, sort, open one for its timeline.
 * Waits for the session helper's history functions.
 */
#include "config.h"

#include "ui.h"

static void
history_draw(struct ui *ui, struct view *v, WINDOW *w)
{
	draw_frame(ui, w, "History", ui->focus == VIEW_HISTORY);
	draw_str(w, 1, 1, v->w - 2, "No history yet", ui_attr(ui, R_DIM));
}

void
history_view_filter(struct ui *ui)
{
	ui_msg(ui, "History filters are not available yet");
}

const struct view_ops history_view_ops = {
	.name = "history",
	.title = "History",
	.draw = history_draw,
};
