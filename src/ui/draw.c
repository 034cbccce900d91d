/*
 * draw.c - colours with a monochrome fallback (and NO_COLOR), and the
 * drawing helpers every view uses.  Text reaches curses only through
 * draw_strn(), which walks it with safe_next(), so no byte of a post can
 * reach the terminal raw.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dlrepro/data.h"
#include "safe.h"
#include "ui.h"

static attr_t role_attr[R__COUNT];

static void
set_role(struct ui *ui, int role, short pair, short fg, short bg,
	 attr_t extra, attr_t mono)
{
	if (ui->colour) {
		init_pair(pair, fg, bg);
		role_attr[role] = COLOR_PAIR(pair) | extra;
	} else {
		role_attr[role] = mono;
	}
}

void
draw_init_colours(struct ui *ui)
{
	const char *nc = getenv("NO_COLOR");
	/* Per type: model, tensor, training, gpu, api, mixed. */
	static const short type_fg[6] = {
		COLOR_BLUE, COLOR_MAGENTA, COLOR_YELLOW, COLOR_GREEN,
		COLOR_CYAN, COLOR_RED,
	};
	short pair = 1;
	int i;

	ui->colour = has_colors() && !(nc && *nc);
	if (ui->colour) {
		start_color();
		use_default_colors();
	}
	role_attr[R_NORMAL] = A_NORMAL;
	role_attr[R_BOLD] = A_BOLD;
	set_role(ui, R_DIM, pair++, COLOR_WHITE, -1, A_DIM, A_DIM);
	set_role(ui, R_HEADING, pair++, COLOR_CYAN, -1, A_BOLD, A_BOLD);
	set_role(ui, R_SELECTED, pair++, COLOR_BLACK, COLOR_CYAN, 0,
		 A_REVERSE);
	set_role(ui, R_SELECTED_DIM, pair++, COLOR_BLACK, COLOR_WHITE, 0,
		 A_UNDERLINE);
	set_role(ui, R_STATUS, pair++, COLOR_BLACK, COLOR_WHITE, 0, A_REVERSE);
	set_role(ui, R_TITLE, pair++, COLOR_WHITE, COLOR_BLUE, A_BOLD,
		 A_REVERSE | A_BOLD);
	set_role(ui, R_PRESENT, pair++, COLOR_GREEN, -1, 0, A_NORMAL);
	set_role(ui, R_MISSING, pair++, COLOR_RED, -1, A_BOLD,
		 A_BOLD | A_REVERSE);
	set_role(ui, R_UNKNOWN, pair++, COLOR_WHITE, -1, A_DIM, A_DIM);
	set_role(ui, R_CODE, pair++, COLOR_GREEN, -1, 0, A_NORMAL);
	set_role(ui, R_INLINE_CODE, pair++, COLOR_YELLOW, -1, 0, A_BOLD);
	set_role(ui, R_LINK, pair++, COLOR_BLUE, -1, A_UNDERLINE,
		 A_UNDERLINE);
	set_role(ui, R_QUOTE, pair++, COLOR_CYAN, -1, 0, A_DIM);
	set_role(ui, R_HIGHLIGHT, pair++, COLOR_BLACK, COLOR_YELLOW, A_BOLD,
		 A_REVERSE | A_BOLD);
	set_role(ui, R_ERROR, pair++, COLOR_WHITE, COLOR_RED, A_BOLD,
		 A_REVERSE | A_BOLD);
	set_role(ui, R_RUNNING, pair++, COLOR_GREEN, -1, A_BOLD, A_BOLD);
	set_role(ui, R_PAUSED, pair++, COLOR_YELLOW, -1, A_BOLD,
		 A_BOLD | A_BLINK);
	set_role(ui, R_BAR, pair++, COLOR_CYAN, -1, A_REVERSE, A_REVERSE);
	for (i = 0; i < 6; i++)
		set_role(ui, R_TYPE + i, pair++, type_fg[i], -1, A_BOLD,
			 A_BOLD);
}

attr_t
ui_attr(const struct ui *ui, int role)
{
	(void)ui;
	if (role < 0 || role >= R__COUNT)
		return A_NORMAL;
	return role_attr[role];
}

int
ui_type_role(int type)
{
	if (type < 0 || type >= TYPE__COUNT)
		return R_UNKNOWN;
	return R_TYPE + type;
}

void
draw_wc(WINDOW *w, wchar_t wc, attr_t a)
{
	cchar_t cc;
	wchar_t s[2] = { wc, 0 };

	setcchar(&cc, s, a & ~A_COLOR, (short)PAIR_NUMBER(a), NULL);
	wadd_wch(w, &cc);
}

int
draw_strn(WINDOW *w, int y, int x, int maxw, const char *s, size_t len,
	  attr_t a)
{
	struct safe_iter it;
	wchar_t wc;
	int cw, used = 0;
	size_t at;

	if (maxw <= 0 || !s)
		return 0;
	if (wmove(w, y, x) == ERR)
		return 0;
	safe_iter_init(&it, s, len);
	while (safe_next(&it, &wc, &cw, &at)) {
		if (wc == L'\n' || wc == L'\t') {
			wc = L' ';
			cw = 1;
		}
		if (used + cw > maxw)
			break;
		draw_wc(w, wc, a);
		used += cw;
	}
	return used;
}

int
draw_str(WINDOW *w, int y, int x, int maxw, const char *s, attr_t a)
{
	return draw_strn(w, y, x, maxw, s, s ? strlen(s) : 0, a);
}

int
draw_printf(WINDOW *w, int y, int x, int maxw, attr_t a, const char *fmt,
	    ...)
{
	va_list ap;
	struct strbuf sb;
	int n;

	sb_init(&sb);
	va_start(ap, fmt);
	sb_vaddf(&sb, fmt, ap);
	va_end(ap);
	n = draw_strn(w, y, x, maxw, sb.s, sb.len, a);
	sb_done(&sb);
	return n;
}

void
draw_fill(WINDOW *w, int y, int x, int n, attr_t a)
{
	int i;

	if (n <= 0 || wmove(w, y, x) == ERR)
		return;
	for (i = 0; i < n; i++)
		draw_wc(w, L' ', a);
}

void
draw_frame(struct ui *ui, WINDOW *w, const char *title, int focused)
{
	int h, wd;

	getmaxyx(w, h, wd);
	(void)h;
	draw_fill(w, 0, 0, wd, ui_attr(ui, focused ? R_TITLE : R_STATUS));
	draw_str(w, 0, 1, wd - 2, title,
		 ui_attr(ui, focused ? R_TITLE : R_STATUS));
}

void
format_hms(double seconds, char *buf, size_t len)
{
	long s = seconds < 0 ? 0 : (long)seconds;

	snprintf(buf, len, "%02ld:%02ld:%02ld", s / 3600, s / 60 % 60,
		 s % 60);
}

int
ui_utf8(void)
{
	return safe_is_utf8();
}

void
draw_box(WINDOW *w)
{
	int h, wd, i;
	int u = ui_utf8();
	wchar_t hz = u ? 0x2500 : L'-', vt = u ? 0x2502 : L'|';

	getmaxyx(w, h, wd);
	if (h < 2 || wd < 2)
		return;
	for (i = 1; i < wd - 1; i++) {
		wmove(w, 0, i);
		draw_wc(w, hz, A_NORMAL);
		wmove(w, h - 1, i);
		draw_wc(w, hz, A_NORMAL);
	}
	for (i = 1; i < h - 1; i++) {
		wmove(w, i, 0);
		draw_wc(w, vt, A_NORMAL);
		wmove(w, i, wd - 1);
		draw_wc(w, vt, A_NORMAL);
	}
	wmove(w, 0, 0);
	draw_wc(w, u ? 0x250C : L'+', A_NORMAL);
	wmove(w, 0, wd - 1);
	draw_wc(w, u ? 0x2510 : L'+', A_NORMAL);
	wmove(w, h - 1, 0);
	draw_wc(w, u ? 0x2514 : L'+', A_NORMAL);
	/* The bottom-right cell: add_wch there may fail at the screen edge. */
	wmove(w, h - 1, wd - 1);
	draw_wc(w, u ? 0x2518 : L'+', A_NORMAL);
}
