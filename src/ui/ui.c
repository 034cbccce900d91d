/*
 * ui.c - the dashboard's core: start-up and shutdown of curses, the main
 * loop (keys, a one-second tick for the session timer and for noticing
 * other processes' commits), the layouts (side by side, stacked, single
 * pane, too small), the status bar and message line, and the overlays
 * (help, menus, text prompt, yes/no question) every view shares.
 */
#include "config.h"

#include <errno.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dlrepro/analysis.h"
#include "dlrepro/cli.h"
#include "dlrepro/store.h"
#include "dlrepro/ui.h"
#include "safe.h"
#include "ui.h"

static const struct view_ops *const view_table[VIEW__COUNT] = {
	[VIEW_LIST] = &list_view_ops,
	[VIEW_POST] = &post_view_ops,
	[VIEW_SESSION] = &session_view_ops,
	[VIEW_HISTORY] = &history_view_ops,
	[VIEW_STATS] = &stats_view_ops,
	[VIEW_HELP] = &help_view_ops,
};

#define MIN_COLS 40
#define MIN_ROWS 10

static WINDOW *msg_win, *status_win, *overlay_win;
static int layout_sig[6] = { -1, -1, -1, -1, -1, -1 };

struct view *
ui_view(struct ui *ui, int id)
{
	return &ui->views[id];
}

static void
ui_vmsg(struct ui *ui, int error, const char *fmt, va_list ap)
{
	struct strbuf sb;

	sb_init(&sb);
	sb_vaddf(&sb, fmt, ap);
	free(ui->msg);
	ui->msg = sb_detach(&sb);
	ui->msg_error = error;
	ui->msg_until = now_mono() + (error ? 8 : 4);
	ui->dirty = 1;
}

void
ui_msg(struct ui *ui, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ui_vmsg(ui, 0, fmt, ap);
	va_end(ap);
}

void
ui_error(struct ui *ui, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ui_vmsg(ui, 1, fmt, ap);
	va_end(ap);
}

void
ui_error_slot(struct ui *ui, const char *what)
{
	ui_error(ui, "%s: %s", what, error_msg());
}

void
ui_select_post(struct ui *ui, const char *id)
{
	if ((id && ui->sel_id && strcmp(id, ui->sel_id) == 0) ||
	    (!id && !ui->sel_id))
		return;
	free(ui->sel_id);
	ui->sel_id = xstrdup(id);
	ui->dirty = 1;
}

void
ui_focus(struct ui *ui, int view)
{
	ui->focus = view;
	ui->dirty = 1;
}

void
ui_set_primary(struct ui *ui, int view)
{
	/* A past timeline belongs to the history: other views bring back
	 * the post (or the open session) below them. */
	if (view != VIEW_HISTORY)
		session_view_back(ui);
	if (ui->focus == ui->primary)
		ui->focus = view;
	ui->primary = view;
	if (ui->views[view].ops->reload)
		ui->views[view].ops->reload(ui, &ui->views[view]);
	ui->dirty = 1;
}

void
ui_reload_all(struct ui *ui)
{
	int i;

	for (i = 0; i < VIEW__COUNT; i++)
		if (ui->views[i].ops->reload)
			ui->views[i].ops->reload(ui, &ui->views[i]);
	ui->data_version = store_data_version(ui->st);
	ui->dirty = 1;
}

void
ui_request_quit(struct ui *ui)
{
	if (session_view_quit_check(ui))
		return;
	ui->quit = 1;
}

/* ---- overlays ---- */

static void
menu_clear(struct ui_menu *m)
{
	size_t i;

	for (i = 0; i < m->n; i++) {
		free(m->items[i].label);
		free(m->items[i].svalue);
	}
	free(m->items);
	free(m->title);
	memset(m, 0, sizeof(*m));
}

void
ui_menu_open(struct ui *ui, const char *title,
	     void (*done)(struct ui *, const struct ui_menu_item *))
{
	menu_clear(&ui->menu);
	ui->menu.title = xstrdup(title);
	ui->menu.done = done;
	ui->overlay = OV_MENU;
	ui->dirty = 1;
}

void
ui_menu_add(struct ui *ui, const char *label, int value, const char *svalue)
{
	struct ui_menu *m = &ui->menu;

	m->items = xreallocarray(m->items, m->n + 1, sizeof(*m->items));
	m->items[m->n].label = xstrdup(label);
	m->items[m->n].value = value;
	m->items[m->n].svalue = xstrdup(svalue);
	m->n++;
}

void
ui_prompt_open(struct ui *ui, const char *label, const char *init,
	       void (*done)(struct ui *, const char *))
{
	free(ui->prompt.label);
	ui->prompt.label = xstrdup(label);
	ui->prompt.len = 0;
	if (init) {
		size_t n = mbstowcs(ui->prompt.buf, init,
				    ARRAY_SIZE(ui->prompt.buf) - 1);

		if (n != (size_t)-1)
			ui->prompt.len = n;
	}
	ui->prompt.buf[ui->prompt.len] = 0;
	ui->prompt.done = done;
	ui->overlay = OV_PROMPT;
	ui->dirty = 1;
}

void
ui_confirm_open(struct ui *ui, const char *question,
		void (*done)(struct ui *, int))
{
	free(ui->confirm.question);
	ui->confirm.question = xstrdup(question);
	ui->confirm.done = done;
	ui->overlay = OV_CONFIRM;
	ui->dirty = 1;
}

static void
overlay_close(struct ui *ui)
{
	ui->overlay = OV_NONE;
	ui->dirty = 1;
}

static void
menu_key(struct ui *ui, int key)
{
	struct ui_menu *m = &ui->menu;
	void (*done)(struct ui *, const struct ui_menu_item *) = m->done;
	struct ui_menu_item item;

	if (key == UI_FKEY(KEY_DOWN) || key == 'j') {
		if (m->sel + 1 < m->n)
			m->sel++;
	} else if (key == UI_FKEY(KEY_UP) || key == 'k') {
		if (m->sel > 0)
			m->sel--;
	} else if (key == 'g' || key == UI_FKEY(KEY_HOME)) {
		m->sel = 0;
	} else if ((key == 'G' || key == UI_FKEY(KEY_END)) && m->n) {
		m->sel = m->n - 1;
	} else if (key >= '1' && key <= '9' && (size_t)(key - '1') < m->n) {
		m->sel = (size_t)(key - '1');
		key = '\n';
	} else if (key == UI_ESC) {
		overlay_close(ui);
		return;
	} else if (key == 'q') {
		overlay_close(ui);
		ui_request_quit(ui);
		return;
	}
	if ((key == '\n' || key == '\r' || key == UI_FKEY(KEY_ENTER) ||
	     key == ' ') && m->n) {
		/* done() may open another menu: hand it a copy. */
		item = m->items[m->sel];
		item.label = xstrdup(item.label);
		item.svalue = xstrdup(item.svalue);
		overlay_close(ui);
		done(ui, &item);
		free(item.label);
		free(item.svalue);
	}
	ui->dirty = 1;
}

static void
prompt_key(struct ui *ui, int key)
{
	struct ui_prompt *p = &ui->prompt;
	void (*done)(struct ui *, const char *) = p->done;
	char buf[sizeof(p->buf) * 2];
	size_t n;

	ui->dirty = 1;
	if (key == UI_ESC || key == UI_CTRL('g')) {
		overlay_close(ui);
		done(ui, NULL);
		return;
	}
	if (key == '\n' || key == '\r' || key == UI_FKEY(KEY_ENTER)) {
		n = wcstombs(buf, p->buf, sizeof(buf) - 1);
		if (n == (size_t)-1)
			n = 0;
		buf[n] = 0;
		overlay_close(ui);
		done(ui, buf);
		return;
	}
	if (key == UI_FKEY(KEY_BACKSPACE) || key == 127 || key == 8) {
		if (p->len)
			p->buf[--p->len] = 0;
		return;
	}
	if (key == UI_CTRL('u')) {
		p->len = 0;
		p->buf[0] = 0;
		return;
	}
	/* Printable characters only: the prompt never holds controls. */
	if (key >= 0x20 && key != 0x7f && !(key >= 0x80 && key < 0xa0) &&
	    key < 0x1000000 && p->len + 1 < ARRAY_SIZE(p->buf) &&
	    wcwidth((wchar_t)key) > 0) {
		p->buf[p->len++] = (wchar_t)key;
		p->buf[p->len] = 0;
	}
}

static void
confirm_key(struct ui *ui, int key)
{
	void (*done)(struct ui *, int) = ui->confirm.done;

	if (key == 'y' || key == 'Y') {
		overlay_close(ui);
		done(ui, 1);
	} else if (key == 'n' || key == 'N') {
		overlay_close(ui);
		done(ui, 0);
	} else if (key == UI_ESC) {
		overlay_close(ui);
		done(ui, -1);
	}
}

static void
help_key(struct ui *ui, int key)
{
	/* The box is as high as the body (draw_all): keys typed ahead of
	 * a redraw stop at the last line too. */
	int max = help_view_max_top(ui->rows - 2, help_view_width(ui->cols));

	if (key == UI_ESC || key == '?' || key == '\n' || key == '\r') {
		overlay_close(ui);
	} else if (key == 'q') {
		overlay_close(ui);
		ui_request_quit(ui);
	} else if (key == 'j' || key == UI_FKEY(KEY_DOWN)) {
		ui->help_top++;
	} else if (key == 'k' || key == UI_FKEY(KEY_UP)) {
		ui->help_top--;
	} else if (key == ' ' || key == UI_FKEY(KEY_NPAGE) ||
		   key == UI_CTRL('d') || key == UI_CTRL('f')) {
		ui->help_top += 10;
	} else if (key == UI_FKEY(KEY_PPAGE) || key == UI_CTRL('u') ||
		   key == UI_CTRL('b')) {
		ui->help_top -= 10;
	} else if (key == 'g' || key == UI_FKEY(KEY_HOME)) {
		ui->help_top = 0;
	} else if (key == 'G' || key == UI_FKEY(KEY_END)) {
		ui->help_top = max;
	}
	if (ui->help_top > max)
		ui->help_top = max;
	if (ui->help_top < 0)
		ui->help_top = 0;
	ui->dirty = 1;
}

/* ---- layout ---- */

static void
free_panes(struct ui *ui)
{
	int i;

	for (i = 0; i < 3; i++) {
		if (ui->pane[i])
			delwin(ui->pane[i]);
		ui->pane[i] = NULL;
	}
	ui->npanes = 0;
	if (msg_win)
		delwin(msg_win);
	if (status_win)
		delwin(status_win);
	msg_win = status_win = NULL;
}

static void
add_pane(struct ui *ui, int view, int h, int w, int y, int x)
{
	if (h <= 0 || w <= 0)
		return;
	ui->pane[ui->npanes] = newwin(h, w, y, x);
	leaveok(ui->pane[ui->npanes], TRUE);
	ui->pane_view[ui->npanes] = view;
	ui->npanes++;
}

/* The pane shown under the primary when only two fit. */
static int
detail_view(struct ui *ui)
{
	if (ui->show_session && ui->focus == VIEW_SESSION)
		return VIEW_SESSION;
	if (ui->focus == VIEW_POST)
		return VIEW_POST;
	return ui->show_session ? VIEW_SESSION : VIEW_POST;
}

static void
layout(struct ui *ui)
{
	int sig[6] = { LINES, COLS, ui->focus, ui->show_session, ui->primary,
		       0 };
	int body, lw, top, sh;

	if (ui->focus == VIEW_SESSION && !ui->show_session)
		ui->focus = ui->primary;
	sig[5] = detail_view(ui);
	if (memcmp(sig, layout_sig, sizeof(sig)) == 0 && status_win)
		return;
	memcpy(layout_sig, sig, sizeof(sig));
	free_panes(ui);
	ui->rows = LINES;
	ui->cols = COLS;
	if (ui->cols < MIN_COLS || ui->rows < MIN_ROWS) {
		ui->layout = LAYOUT_TOO_SMALL;
		return;
	}
	msg_win = newwin(1, ui->cols, ui->rows - 2, 0);
	status_win = newwin(1, ui->cols, ui->rows - 1, 0);
	leaveok(status_win, TRUE);
	body = ui->rows - 2;
	if (ui->cols >= 120 && ui->rows >= 16) {
		ui->layout = LAYOUT_WIDE;
		lw = ui->cols / 2;
		/* Two blank columns keep the panes' text apart. */
		add_pane(ui, ui->primary, body, lw - 2, 0, 0);
		if (ui->show_session) {
			sh = body / 2 > 15 ? 15 : body / 2;
			if (body - sh < 6)
				sh = body;
			if (sh < body)
				add_pane(ui, VIEW_POST, body - sh,
					 ui->cols - lw, 0, lw);
			add_pane(ui, VIEW_SESSION, sh, ui->cols - lw,
				 body - sh, lw);
		} else {
			add_pane(ui, VIEW_POST, body, ui->cols - lw, 0, lw);
		}
	} else if (ui->cols >= 80 && ui->rows >= 20) {
		ui->layout = LAYOUT_STACKED;
		top = body * 2 / 5;
		add_pane(ui, ui->primary, top, ui->cols, 0, 0);
		if (ui->show_session && body - top >= 30) {
			sh = 15;
			add_pane(ui, VIEW_POST, body - top - sh, ui->cols, top,
				 0);
			add_pane(ui, VIEW_SESSION, sh, ui->cols,
				 body - sh, 0);
		} else {
			add_pane(ui, detail_view(ui), body - top, ui->cols,
				 top, 0);
		}
	} else {
		ui->layout = LAYOUT_SINGLE;
		add_pane(ui, ui->focus, body, ui->cols, 0, 0);
	}
}

static int
pane_visible(struct ui *ui, int view)
{
	int i;

	for (i = 0; i < ui->npanes; i++)
		if (ui->pane_view[i] == view)
			return 1;
	return 0;
}

void
ui_focus_next(struct ui *ui, int dir)
{
	int order[3], n = 0, i, cur = 0;

	order[n++] = ui->primary;
	order[n++] = VIEW_POST;
	if (ui->show_session)
		order[n++] = VIEW_SESSION;
	for (i = 0; i < n; i++)
		if (order[i] == ui->focus)
			cur = i;
	ui->focus = order[(cur + n + dir) % n];
	ui->dirty = 1;
}

/* ---- drawing ---- */

static void
draw_status(struct ui *ui)
{
	struct strbuf sb;
	const char *hint = "? help  q quit";
	const char *path = store_path(ui->st);
	const char *base = path ? strrchr(path, '/') : NULL;
	int hw = (int)strlen(hint), used;

	werase(status_win);
	draw_fill(status_win, 0, 0, ui->cols, ui_attr(ui, R_STATUS));
	sb_init(&sb);
	sb_addf(&sb, " %s%s | %lld post%s", ui->cli->demo ? "demo: " : "",
		base ? base + 1 : (path ? path : "?"), (long long)ui->nposts,
		ui->nposts == 1 ? "" : "s");
	if (ui->filter_desc && *ui->filter_desc)
		sb_addf(&sb, " | %s", ui->filter_desc);
	if (ui->session_desc && *ui->session_desc)
		sb_addf(&sb, " | %s", ui->session_desc);
	if (ui->fetch_desc && *ui->fetch_desc)
		sb_addf(&sb, " | %s", ui->fetch_desc);
	if (ui->quota && *ui->quota)
		sb_addf(&sb, " | %s", ui->quota);
	used = draw_strn(status_win, 0, 0, ui->cols - hw - 2, sb.s, sb.len,
			 ui_attr(ui, R_STATUS));
	(void)used;
	draw_str(status_win, 0, ui->cols - hw - 1, hw, hint,
		 ui_attr(ui, R_STATUS) | A_BOLD);
	sb_done(&sb);
	wnoutrefresh(status_win);
}

static const char *
focus_hint(struct ui *ui)
{
	switch (ui->focus) {
	case VIEW_LIST:
		return "Enter open  / search  f filter  t triage  s session  "
		       "F fetch  h history  S stats";
	case VIEW_POST:
		return "c highlight category  y copy questions  o open link  "
		       "C correct  r re-analyse";
	case VIEW_SESSION:
		/* A stopped session's timeline takes no session steps. */
		switch (session_view_showing_past(ui)) {
		case 1:
			return "j/k scroll the timeline  Esc back to history";
		case 2:
			return "j/k scroll the timeline  p pause/resume  "
			       "u undo  e stop (the open session)  Esc back";
		default:
			return "space tick  p pause/resume  u undo  e stop";
		}
	case VIEW_HISTORY:
		return "Enter timeline  f filter and sort  Esc back to posts";
	case VIEW_STATS:
		return "Esc back to posts";
	default:
		return "";
	}
}

static void
draw_msg(struct ui *ui)
{
	int x;
	char buf[sizeof(ui->prompt.buf) * 2];
	size_t n;

	werase(msg_win);
	if (ui->overlay == OV_PROMPT) {
		x = draw_str(msg_win, 0, 0, ui->cols / 2, ui->prompt.label,
			     ui_attr(ui, R_BOLD));
		n = wcstombs(buf, ui->prompt.buf, sizeof(buf) - 1);
		if (n == (size_t)-1)
			n = 0;
		buf[n] = 0;
		/* Show the end of a long entry. */
		{
			int tw = safe_width(buf, n), room = ui->cols - x - 1;
			const char *p = buf;

			while (tw > room && *p) {
				p++;
				while ((*p & 0xC0) == 0x80)
					p++;
				tw = safe_width(p, strlen(p));
			}
			x += draw_str(msg_win, 0, x, room, p,
				      ui_attr(ui, R_NORMAL));
		}
		wmove(msg_win, 0, x < ui->cols ? x : ui->cols - 1);
		leaveok(msg_win, FALSE);
		curs_set(1);
		wnoutrefresh(msg_win);
		return;
	}
	leaveok(msg_win, TRUE);
	curs_set(0);
	if (ui->overlay == OV_CONFIRM) {
		draw_fill(msg_win, 0, 0, ui->cols, ui_attr(ui, R_HIGHLIGHT));
		draw_str(msg_win, 0, 0, ui->cols, ui->confirm.question,
			 ui_attr(ui, R_HIGHLIGHT));
	} else if (ui->msg) {
		draw_str(msg_win, 0, 0, ui->cols, ui->msg,
			 ui_attr(ui, ui->msg_error ? R_ERROR : R_BOLD));
	} else {
		draw_str(msg_win, 0, 0, ui->cols, focus_hint(ui),
			 ui_attr(ui, R_DIM));
	}
	wnoutrefresh(msg_win);
}

static WINDOW *
centered(struct ui *ui, int h, int w)
{
	if (overlay_win)
		delwin(overlay_win);
	if (h > ui->rows - 2)
		h = ui->rows - 2;
	if (w > ui->cols)
		w = ui->cols;
	overlay_win = newwin(h, w, (ui->rows - 2 - h) / 2, (ui->cols - w) / 2);
	leaveok(overlay_win, TRUE);
	return overlay_win;
}

static void
draw_menu(struct ui *ui)
{
	struct ui_menu *m = &ui->menu;
	int w = 20, h, i, wd, top = 0;
	WINDOW *win;

	for (i = 0; i < (int)m->n; i++) {
		wd = safe_width(m->items[i].label, strlen(m->items[i].label));
		if (wd + 8 > w)
			w = wd + 8;
	}
	wd = safe_width(m->title, strlen(m->title));
	if (wd + 4 > w)
		w = wd + 4;
	h = (int)m->n + 2;
	win = centered(ui, h, w);
	getmaxyx(win, h, w);
	werase(win);
	draw_box(win);
	draw_str(win, 0, 2, w - 4, m->title, ui_attr(ui, R_HEADING));
	if ((int)m->sel >= h - 2)
		top = (int)m->sel - (h - 3);
	for (i = 0; i < h - 2 && top + i < (int)m->n; i++) {
		int idx = top + i;
		attr_t a = ui_attr(ui, idx == (int)m->sel ? R_SELECTED
							  : R_NORMAL);

		draw_fill(win, i + 1, 1, w - 2, a);
		if (idx < 9)
			draw_printf(win, i + 1, 1, 3, a, "%d ", idx + 1);
		draw_str(win, i + 1, 4, w - 5, m->items[idx].label, a);
	}
	wnoutrefresh(win);
}

static void
draw_too_small(struct ui *ui)
{
	WINDOW *w = stdscr;

	(void)ui;

	werase(w);
	draw_printf(w, 0, 0, COLS, A_BOLD, "Terminal too small");
	if (LINES > 1)
		draw_printf(w, 1, 0, COLS, A_NORMAL, "need %dx%d, have %dx%d",
			    MIN_COLS, MIN_ROWS, COLS, LINES);
	if (LINES > 2)
		draw_printf(w, 2, 0, COLS, A_DIM, "q quits");
	wnoutrefresh(w);
}

static void
draw_all(struct ui *ui)
{
	int i;

	layout(ui);
	if (ui->layout == LAYOUT_TOO_SMALL) {
		draw_too_small(ui);
		doupdate();
		ui->dirty = 0;
		return;
	}
	if (!pane_visible(ui, ui->focus) && ui->npanes)
		ui->focus = ui->pane_view[0];
	/*
	 * The cells no pane owns (the gap between side-by-side panes) keep
	 * whatever was there before: the previous layout's text after a
	 * resize, a closed menu's border.  Blank the whole screen under the
	 * panes each frame; doupdate() sends only what really changed.
	 */
	werase(stdscr);
	wnoutrefresh(stdscr);
	for (i = 0; i < ui->npanes; i++) {
		struct view *v = &ui->views[ui->pane_view[i]];
		WINDOW *w = ui->pane[i];

		werase(w);
		getmaxyx(w, v->h, v->w);
		v->ops->draw(ui, v, w);
		wnoutrefresh(w);
	}
	draw_status(ui);
	if (ui->overlay == OV_HELP) {
		WINDOW *w = centered(ui, ui->rows - 2,
				     help_view_width(ui->cols));
		struct view *v = &ui->views[VIEW_HELP];

		werase(w);
		getmaxyx(w, v->h, v->w);
		v->ops->draw(ui, v, w);
		wnoutrefresh(w);
	} else if (ui->overlay == OV_MENU) {
		draw_menu(ui);
	}
	draw_msg(ui);
	doupdate();
	ui->dirty = 0;
}

/* ---- keys ---- */

void
ui_redraw(struct ui *ui)
{
	/* Rebuild the windows and repaint every cell from scratch. */
	layout_sig[0] = -1;
	clearok(curscr, TRUE);
	ui->dirty = 1;
}

static void
handle_key(struct ui *ui, int key)
{
	if (key == UI_FKEY(KEY_RESIZE)) {
		ui->dirty = 1;
		return;
	}
	if (ui->msg && !ui->msg_error) {
		free(ui->msg);
		ui->msg = NULL;
		ui->dirty = 1;
	}
	switch (ui->overlay) {
	case OV_HELP:
		help_key(ui, key);
		return;
	case OV_MENU:
		menu_key(ui, key);
		return;
	case OV_PROMPT:
		prompt_key(ui, key);
		return;
	case OV_CONFIRM:
		confirm_key(ui, key);
		return;
	case OV_NONE:
		break;
	}
	if (ui->layout == LAYOUT_TOO_SMALL) {
		if (key == 'q')
			ui_request_quit(ui);
		return;
	}
	if (ui->msg && ui->msg_error && key == UI_ESC) {
		free(ui->msg);
		ui->msg = NULL;
		ui->dirty = 1;
		return;
	}
	if (!ui_key_dispatch(ui, key))
		ui->dirty = 1;
}

static int
read_key(int *key)
{
	wint_t wc;
	int r = wget_wch(stdscr, &wc);

	if (r == ERR)
		return 0;
	*key = r == KEY_CODE_YES ? UI_FKEY((int)wc) : (int)wc;
	return 1;
}

/* ---- the loop ---- */

static void
tick(struct ui *ui)
{
	int64_t v;

	if (ui->msg && now_mono() > ui->msg_until) {
		free(ui->msg);
		ui->msg = NULL;
		ui->dirty = 1;
	}
	v = store_data_version(ui->st);
	if (v >= 0 && v != ui->data_version)
		ui_reload_all(ui);
	session_view_tick(ui);
	history_view_tick(ui);
}

/*
 * Signals: Ctrl-C behaves like q (a second one quits at once); SIGTERM
 * and SIGHUP quit cleanly, leaving a running session running.  Either way
 * curses is shut down and the terminal restored.
 */
static volatile sig_atomic_t got_signal;

static void
on_signal(int signo)
{
	got_signal = signo;
}

static void
install_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

static void
handle_signal(struct ui *ui)
{
	int signo = got_signal;

	got_signal = 0;
	if (signo != SIGINT) {
		ui->quit = 1;
		return;
	}
	if (ui->overlay == OV_CONFIRM) {
		ui->quit = 1;	/* a second Ctrl-C */
		return;
	}
	ui->overlay = OV_NONE;
	ui_request_quit(ui);
	ui->dirty = 1;
}

/* Idle work waits until the keyboard has been quiet this long. */
#define IDLE_AFTER 0.15

static void
ui_loop(struct ui *ui)
{
	double next_tick = now_mono() + 1.0, t;
	struct pollfd pfd;
	int key, timeout, idle, got;

	while (!ui->quit) {
		if (ui->dirty)
			draw_all(ui);
		t = now_mono();
		timeout = (int)((next_tick - t) * 1000);
		idle = ui->overlay == OV_NONE && list_view_idle(ui, 0);
		if (idle) {
			int wait = (int)((ui->last_input + IDLE_AFTER - t) *
					 1000);

			if (wait < timeout)
				timeout = wait;
		}
		if (timeout < 0)
			timeout = 0;
		pfd.fd = STDIN_FILENO;
		pfd.events = POLLIN;
		if (!fetch_view_wait(ui, timeout) &&
		    poll(&pfd, 1, timeout) < 0 && errno != EINTR)
			break;
		if (got_signal)
			handle_signal(ui);
		got = 0;
		while (!ui->quit && read_key(&key)) {
			got = 1;
			ui->last_input = now_mono();
			handle_key(ui, key);
			if (ui->quit)
				break;
		}
		t = now_mono();
		if (!got && idle && t - ui->last_input >= IDLE_AFTER)
			list_view_idle(ui, 1);
		if (t >= next_tick) {
			tick(ui);
			next_tick = now_mono() + 1.0;
		}
	}
}

static int
ui_start(struct ui *ui, struct cli *cli)
{
	int i;

	memset(ui, 0, sizeof(*ui));
	ui->cli = cli;
	ui->st = cli_store(cli);
	if (!ui->st)
		return DL_ERR;
	ui->data = cli_data(cli);
	if (!ui->data)
		return DL_ERR;
	ui->engine = engine_new(ui->data, NULL);
	if (!ui->engine)
		ui->engine_err = xstrdup(error_msg());
	ui->primary = VIEW_LIST;
	ui->focus = VIEW_LIST;
	ui->data_version = store_data_version(ui->st);
	for (i = 0; i < VIEW__COUNT; i++) {
		ui->views[i].ops = view_table[i];
		ui->views[i].priv = view_table[i]->open
					    ? view_table[i]->open(ui)
					    : NULL;
	}
	return DL_OK;
}

static void
ui_stop(struct ui *ui)
{
	int i;

	for (i = 0; i < VIEW__COUNT; i++)
		if (ui->views[i].ops && ui->views[i].ops->close)
			ui->views[i].ops->close(ui->views[i].priv);
	menu_clear(&ui->menu);
	free(ui->prompt.label);
	free(ui->confirm.question);
	free(ui->msg);
	free(ui->sel_id);
	free(ui->filter_desc);
	free(ui->quota);
	free(ui->session_desc);
	free(ui->session_post);
	free(ui->fetch_desc);
	engine_free(ui->engine);
	free(ui->engine_err);
}

int
ui_run(struct cli *cli)
{
	struct ui ui;
	SCREEN *scr;
	char *cup;

	setlocale(LC_ALL, "");
	safe_init_locale();
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "dlrepro: the dashboard needs a terminal "
				"(use a subcommand for scripts)\n");
		return EXIT_FAIL;
	}
	if (ui_start(&ui, cli) != DL_OK) {
		ui_stop(&ui);
		return EXIT_FAIL;
	}
	if (!(scr = newterm(NULL, stdout, stdin))) {
		/* TERM is the environment's: it may hold anything */
		cli_fail("cannot initialise the terminal (TERM=%s)",
			 getenv("TERM") ? getenv("TERM") : "");
		ui_stop(&ui);
		return EXIT_FAIL;
	}
	cup = tigetstr("cup");
	if (cup == NULL || cup == (char *)-1) {
		/*
		 * TERM=dumb (an editor's shell buffer, a CI log): curses
		 * starts, but without cursor addressing every frame piles
		 * up on the last line.
		 */
		endwin();
		delscreen(scr);
		cli_fail("the terminal cannot move its cursor (TERM=%s): "
			 "the dashboard needs one that can (use a subcommand "
			 "for scripts)", getenv("TERM") ? getenv("TERM") : "");
		ui_stop(&ui);
		return EXIT_FAIL;
	}
	set_escdelay(25);
	cbreak();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	curs_set(0);
	draw_init_colours(&ui);
	refresh();
	install_signals();
	fetch_view_startup(&ui);
	session_view_startup(&ui);
	ui.dirty = 1;
	ui_loop(&ui);
	session_view_shutdown(&ui);
	fetch_view_shutdown(&ui);
	free_panes(&ui);
	if (overlay_win)
		delwin(overlay_win);
	overlay_win = NULL;
	endwin();
	ui_stop(&ui);
	return EXIT_OK;
}
