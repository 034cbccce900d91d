/*
 * view_stats.c - the figures of `dlrepro stats` as bar charts.
 */
#include "config.h"

#include "ui.h"

static void
stats_draw(struct ui *ui, struct view *v, WINDOW *w)
{
	draw_frame(ui, w, "Stats", ui->focus == VIEW_STATS);
	draw_str(w, 1, 1, v->w - 2, "No statistics yet", ui_attr(ui, R_DIM));
}

const struct view_ops stats_view_ops = {
	.name = "stats",
	.title = "Stats",
	.draw = stats_draw,
};
