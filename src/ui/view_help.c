/*
 * view_help.c - the help overlay: every view and every key, read from the
 * same table the dispatcher uses (keys.c), so the help cannot go stale.
 */
#include "config.h"

#include <string.h>

#include "ui.h"

static const char *const views_help[] = {
	"Posts    the list; Enter opens the selected post",
	"Post     type and evidence, information categories, "
	"recommendations, body",
	"Session  timer and the edit-action checklist (s starts one)",
	"History  past sessions (h); Enter shows a session's timeline",
	"Stats    reproduction figures as bar charts (S)",
};

/* Entry k shares the line of the one before it ("j, Down  move down"). */
static int
same_line(size_t k)
{
	return k > 0 && ui_keys[k - 1].run == ui_keys[k].run &&
	       strcmp(ui_keys[k - 1].help, ui_keys[k].help) == 0;
}

/* Lines drawn below: Views, its entries, a blank, Keys, one per action. */
static int
help_lines(void)
{
	int n = (int)ARRAY_SIZE(views_help) + 3;
	size_t k;

	for (k = 0; k < ui_nkeys; k++)
		if (!same_line(k))
			n++;
	return n;
}

int
help_view_max_top(int h)
{
	/* Inside the box: h minus the top and bottom borders. */
	int max = help_lines() - (h - 2);

	return max > 0 ? max : 0;
}

static void
help_draw(struct ui *ui, struct view *v, WINDOW *w)
{
	int y, rows = v->h - 1;
	size_t k;
	attr_t key_a = ui_attr(ui, R_BOLD), txt = ui_attr(ui, R_NORMAL);

	draw_box(w);
	draw_str(w, 0, 2, v->w - 4, " Help: Esc or ? closes, j/k scroll ",
		 ui_attr(ui, R_HEADING));
	/* The last line stops at the bottom border: G shows the last page. */
	if (ui->help_top > help_view_max_top(v->h))
		ui->help_top = help_view_max_top(v->h);
	y = 1 - ui->help_top;
#define LINE(yy) ((yy) >= 1 && (yy) < rows)
	if (LINE(y))
		draw_str(w, y, 2, v->w - 4, "Views", ui_attr(ui, R_HEADING));
	y++;
	for (k = 0; k < ARRAY_SIZE(views_help); k++, y++)
		if (LINE(y))
			draw_str(w, y, 4, v->w - 6, views_help[k], txt);
	y++;
	if (LINE(y))
		draw_str(w, y, 2, v->w - 4, "Keys", ui_attr(ui, R_HEADING));
	y++;
	for (k = 0; k < ui_nkeys; k++) {
		const struct ui_key *e = &ui_keys[k];
		int x = 4;

		/* One line per action: "j, Down  move down". */
		if (same_line(k))
			continue;
		if (LINE(y)) {
			size_t j;

			x += draw_str(w, y, x, 16, e->name, key_a);
			for (j = k + 1; j < ui_nkeys &&
					ui_keys[j].run == e->run &&
					strcmp(ui_keys[j].help, e->help) == 0;
			     j++) {
				if (strcmp(ui_keys[j].name,
					   ui_keys[j - 1].name) == 0)
					continue;
				x += draw_str(w, y, x, 18 - x, ", ", txt);
				x += draw_str(w, y, x, 20 - x,
					      ui_keys[j].name, key_a);
			}
			draw_str(w, y, 22, v->w - 24, e->help, txt);
		}
		y++;
	}
#undef LINE
}

const struct view_ops help_view_ops = {
	.name = "help",
	.title = "Help",
	.draw = help_draw,
};
