/*
 * view_help.c - the help overlay: every view and every key, read from the
 * same table the dispatcher uses (keys.c), so the help cannot go stale.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "safe.h"
#include "ui.h"

static const char *const views_help[][2] = {
	{ "Posts", "the list; Enter opens the selected post.  TYPE* and "
		   "DMHCL*: corrected by you (the corrected letter "
		   "underlined).  TRIAGE shortened in narrow panes: "
		   "needinfo, in-prog, repro(duced), no-repro(ducible)" },
	{ "Post", "type and evidence, information categories, "
		  "recommendations, body" },
	{ "Session", "timer and the edit-action checklist (s starts one)" },
	{ "History", "past sessions (h); Enter shows a session's timeline" },
	{ "Stats", "reproduction figures as bar charts (S)" },
};

/* Columns: view names and keys, then their text. */
#define NAME_X 4
#define VIEW_TEXT_X 13
#define KEY_TEXT_X 22

/* Entry k shares the line of the one before it ("j, Down  move down"). */
static int
same_line(size_t k)
{
	return k > 0 && ui_keys[k - 1].run == ui_keys[k].run &&
	       strcmp(ui_keys[k - 1].help, ui_keys[k].help) == 0;
}

struct walk {
	struct ui *ui;
	WINDOW *w;		/* NULL: count the lines only */
	int vw;			/* box width, borders included */
	int y;			/* next line, in box rows (1 - help_top first) */
	int rows;		/* lines 1 .. rows-1 are inside the box */
	struct safe_line *lines;
	size_t cap;
};

static int
visible(const struct walk *k)
{
	return k->w && k->y >= 1 && k->y < k->rows;
}

/*
 * text at column x, wrapped to the box (its right border and a blank
 * before it): continuation lines hang under the text's first column, so
 * a long line is never cut off.
 */
static void
wrapped(struct walk *k, int x, const char *text)
{
	int tw = k->vw - 2 - x;
	size_t n, i;

	if (tw < 1)
		tw = 1;
	n = safe_wrap(text, strlen(text), tw, &k->lines, &k->cap);
	if (n == 0) {
		k->y++;		/* no text: a blank line */
		return;
	}
	for (i = 0; i < n; i++, k->y++)
		if (visible(k))
			draw_strn(k->w, k->y, x + k->lines[i].indent,
				  tw - k->lines[i].indent,
				  text + k->lines[i].start,
				  k->lines[i].end - k->lines[i].start,
				  ui_attr(k->ui, R_NORMAL));
}

/* Lays the help out (and draws it when k->w is set); returns its lines. */
static int
walk(struct walk *k)
{
	attr_t key_a = ui_attr(k->ui, R_BOLD), txt = ui_attr(k->ui, R_NORMAL);
	attr_t head = ui_attr(k->ui, R_HEADING);
	int y0 = k->y;
	size_t i;

	if (visible(k))
		draw_str(k->w, k->y, 2, k->vw - 4, "Views", head);
	k->y++;
	for (i = 0; i < ARRAY_SIZE(views_help); i++) {
		if (visible(k))
			draw_str(k->w, k->y, NAME_X, VIEW_TEXT_X - NAME_X,
				 views_help[i][0], key_a);
		wrapped(k, VIEW_TEXT_X, views_help[i][1]);
	}
	k->y++;
	if (visible(k))
		draw_str(k->w, k->y, 2, k->vw - 4, "Keys", head);
	k->y++;
	for (i = 0; i < ui_nkeys; i++) {
		const struct ui_key *e = &ui_keys[i];
		int x = NAME_X;
		size_t j;

		/* One line per action: "j, Down  move down". */
		if (same_line(i))
			continue;
		if (visible(k)) {
			x += draw_str(k->w, k->y, x, 16, e->name, key_a);
			for (j = i + 1; j < ui_nkeys &&
					ui_keys[j].run == e->run &&
					strcmp(ui_keys[j].help, e->help) == 0;
			     j++) {
				if (strcmp(ui_keys[j].name,
					   ui_keys[j - 1].name) == 0)
					continue;
				x += draw_str(k->w, k->y, x, 18 - x, ", ", txt);
				x += draw_str(k->w, k->y, x, 20 - x,
					      ui_keys[j].name, key_a);
			}
		}
		wrapped(k, KEY_TEXT_X, e->help);
	}
	return k->y - y0;
}

int
help_view_width(int cols)
{
	return cols > 90 ? 90 : cols;
}

int
help_view_max_top(int h, int w)
{
	struct walk k;
	int max;

	memset(&k, 0, sizeof(k));
	k.vw = w;
	/* Inside the box: h minus the top and bottom borders. */
	max = walk(&k) - (h - 2);
	free(k.lines);
	return max > 0 ? max : 0;
}

static void
help_draw(struct ui *ui, struct view *v, WINDOW *w)
{
	struct walk k;

	draw_box(w);
	draw_str(w, 0, 2, v->w - 4, " Help: Esc or ? closes, j/k scroll ",
		 ui_attr(ui, R_HEADING));
	/* The last line stops at the bottom border: G shows the last page. */
	if (ui->help_top > help_view_max_top(v->h, v->w))
		ui->help_top = help_view_max_top(v->h, v->w);
	memset(&k, 0, sizeof(k));
	k.ui = ui;
	k.w = w;
	k.vw = v->w;
	k.y = 1 - ui->help_top;
	k.rows = v->h - 1;
	walk(&k);
	free(k.lines);
}

const struct view_ops help_view_ops = {
	.name = "help",
	.title = "Help",
	.draw = help_draw,
};
