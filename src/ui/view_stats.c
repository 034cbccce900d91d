/*
 * view_stats.c - the user's own sessions beside the paper's figures, as
 * bar charts: reproducibility rate by bug type and the mean active time of
 * reproduced sessions, the same groupings as `dlrepro stats`.  Counting
 * only; the figures themselves come from the session store and data/.
 */
#include "config.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "dlrepro/data.h"
#include "dlrepro/session.h"
#include "dlrepro/stats.h"
#include "ui.h"

struct stv {
	struct stats stats;	/* stats.types, stats.all */
	int loaded;
	int top;
};

static void
load(struct ui *ui, struct stv *st)
{
	stats_done(&st->stats);
	if (stats_collect(ui->st, session_clock_system()->now(NULL),
			  &st->stats) != DL_OK)
		ui_error_slot(ui, "stats");
	st->loaded = 1;
}

static void *
stats_open(struct ui *ui)
{
	(void)ui;
	return xcalloc(1, sizeof(struct stv));
}

static void
stats_close(void *priv)
{
	struct stv *st = priv;

	if (st == NULL)
		return;
	stats_done(&st->stats);
	free(st);
}

static void
stats_reload(struct ui *ui, struct view *v)
{
	struct stv *st = v->priv;

	if (ui->primary == VIEW_STATS)
		load(ui, st);
	else
		st->loaded = 0;
}

/* A bar of frac (0..1) over width cells; the rest shaded. */
static void
bar(struct ui *ui, WINDOW *w, int y, int x, int width, double frac)
{
	int full = (int)(frac * width + 0.5), i;

	if (width <= 0)
		return;
	if (full > width)
		full = width;
	wmove(w, y, x);
	for (i = 0; i < width; i++) {
		if (i < full)
			draw_wc(w, ui_utf8() ? 0x2588 : L'#',
				ui_attr(ui, R_BAR) & ~A_REVERSE);
		else
			draw_wc(w, ui_utf8() ? 0x2591 : L'.',
				ui_attr(ui, R_DIM));
	}
}

/*
 * The top line that shows the last one in h rows (a title row, then the
 * lines): the summary, a blank, each chart's heading and one row per
 * type, the type-unknown row when there is one, the blank between.
 */
static int
max_top(const struct stv *st, int h)
{
	int lines = 2 + 1 + TYPE__COUNT + 1 + 1 + TYPE__COUNT;

	if (stats_attempts(&st->stats.types[TYPE__COUNT]) ||
	    st->stats.types[TYPE__COUNT].n[SESSION_ABANDONED])
		lines++;
	return lines - (h - 1) > 0 ? lines - (h - 1) : 0;
}

static void
stats_draw(struct ui *ui, struct view *v, WINDOW *w)
{
	struct stv *st = v->priv;
	int y = 1 - st->top, t, bw, lx = 1, bx = 11;
	double maxmin = 1;
	char line[160];

	if (!st->loaded)
		load(ui, st);
	if (st->top > max_top(st, v->h))
		st->top = max_top(st, v->h);
	y = 1 - st->top;
	draw_frame(ui, w, "Stats: your stopped sessions beside the paper",
		   ui->focus == VIEW_STATS);
	bw = v->w - bx - 34;
	if (bw > 40)
		bw = 40;
	if (bw < 5)
		bw = 5;
#define ROW(yy) ((yy) >= 1 && (yy) < v->h)
	if (ROW(y))
		draw_printf(w, y, lx, v->w - 2, ui_attr(ui, R_BOLD),
			    "%d session%s: %d reproduced, %d not reproduced, "
			    "%d abandoned", stats_attempts(&st->stats.all) +
			    st->stats.all.n[SESSION_ABANDONED],
			    stats_attempts(&st->stats.all) + st->stats.all.n[SESSION_ABANDONED]
				    == 1 ? "" : "s",
			    st->stats.all.n[SESSION_REPRODUCED],
			    st->stats.all.n[SESSION_NOT_REPRODUCED],
			    st->stats.all.n[SESSION_ABANDONED]);
	y += 2;
	if (ROW(y))
		draw_str(w, y, lx, v->w - 2, "Reproducibility rate by type",
			 ui_attr(ui, R_HEADING));
	y++;
	for (t = 0; t < TYPE__COUNT; t++, y++) {
		const struct stats_group *g = &st->stats.types[t];
		int n = stats_attempts(g);
		double r = n ? (double)g->n[SESSION_REPRODUCED] / n : 0;
		double paper = ui->data->types[t].reproducibility;

		if (!ROW(y))
			continue;
		draw_str(w, y, lx, 9, data_type_id(t),
			 ui_attr(ui, ui_type_role(t)));
		bar(ui, w, y, bx, bw, r);
		if (n)
			snprintf(line, sizeof(line), " %3.0f%% (%d/%d)", r * 100,
				 g->n[SESSION_REPRODUCED], n);
		else
			snprintf(line, sizeof(line), "   -  (0/0)");
		if (paper >= 0)
			snprintf(line + strlen(line), sizeof(line) - strlen(line),
				 "  paper %.1f%%", paper * 100);
		draw_str(w, y, bx + bw, v->w - bx - bw - 1, line,
			 ui_attr(ui, R_NORMAL));
	}
	if (stats_attempts(&st->stats.types[TYPE__COUNT]) ||
	    st->stats.types[TYPE__COUNT].n[SESSION_ABANDONED]) {
		const struct stats_group *g = &st->stats.types[TYPE__COUNT];

		if (ROW(y))
			draw_printf(w, y, lx, v->w - 2, ui_attr(ui, R_DIM),
				    "(type unknown: %d of %d reproduced)",
				    g->n[SESSION_REPRODUCED], stats_attempts(g));
		y++;
	}
	y++;
	if (ROW(y))
		draw_str(w, y, lx, v->w - 2,
			 "Mean time to reproduce (minutes of active time)",
			 ui_attr(ui, R_HEADING));
	y++;
	for (t = 0; t < TYPE__COUNT; t++) {
		const struct stats_group *g = &st->stats.types[t];
		double m = g->ntimes ? stats_mean(g) / 60 : 0;
		double p = ui->data->types[t].mean_minutes;

		if (m > maxmin)
			maxmin = m;
		if (p > maxmin)
			maxmin = p;
	}
	for (t = 0; t < TYPE__COUNT; t++, y++) {
		const struct stats_group *g = &st->stats.types[t];
		double m = g->ntimes ? stats_mean(g) / 60 : 0;
		double paper = ui->data->types[t].mean_minutes;

		if (!ROW(y))
			continue;
		draw_str(w, y, lx, 9, data_type_id(t),
			 ui_attr(ui, ui_type_role(t)));
		bar(ui, w, y, bx, bw, m / maxmin);
		if (g->ntimes)
			snprintf(line, sizeof(line), " %5.1f min (n=%zu)", m,
				 g->ntimes);
		else
			snprintf(line, sizeof(line), "     -  (n=0)");
		if (paper >= 0)
			snprintf(line + strlen(line), sizeof(line) - strlen(line),
				 "  paper %.1f", paper);
		draw_str(w, y, bx + bw, v->w - bx - bw - 1, line,
			 ui_attr(ui, R_NORMAL));
	}
#undef ROW
}

static void
stats_move(struct ui *ui, struct view *v, enum ui_move how, int dir)
{
	struct stv *st = v->priv;

	(void)ui;
	/* v->h is the last draw's; 0 before the first (G then waits for
	 * the draw, which stops at the last line). */
	if (how == MOVE_FIRST)
		st->top = 0;
	else if (how == MOVE_LAST)
		st->top = v->h > 0 ? max_top(st, v->h) : INT_MAX / 2;
	else
		st->top += dir * (how == MOVE_LINE ? 1 : 5);
	if (v->h > 0 && st->top > max_top(st, v->h))
		st->top = max_top(st, v->h);
	if (st->top < 0)
		st->top = 0;
}

const struct view_ops stats_view_ops = {
	.name = "stats",
	.title = "Stats",
	.open = stats_open,
	.close = stats_close,
	.draw = stats_draw,
	.move = stats_move,
	.reload = stats_reload,
};
