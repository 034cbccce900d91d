/*
 * keys.c - the one key table: the dispatcher runs from it and the help
 * overlay lists it, so the two cannot disagree.  Handlers are thin: they
 * pick the view or overlay that does the work.
 */
#include "config.h"

#include "ui.h"

static struct view *
focused(struct ui *ui)
{
	return ui_view(ui, ui->focus);
}

static void
view_move(struct ui *ui, enum ui_move how, int dir)
{
	struct view *v = focused(ui);

	if (v->ops->move)
		(v->ops->move)(ui, v, how, dir);
	ui->dirty = 1;
}

static void k_down(struct ui *ui) { view_move(ui, MOVE_LINE, 1); }
static void k_up(struct ui *ui) { view_move(ui, MOVE_LINE, -1); }
static void k_half_down(struct ui *ui) { view_move(ui, MOVE_HALF, 1); }
static void k_half_up(struct ui *ui) { view_move(ui, MOVE_HALF, -1); }
static void k_page_down(struct ui *ui) { view_move(ui, MOVE_PAGE, 1); }
static void k_page_up(struct ui *ui) { view_move(ui, MOVE_PAGE, -1); }
static void k_first(struct ui *ui) { view_move(ui, MOVE_FIRST, -1); }
static void k_last(struct ui *ui) { view_move(ui, MOVE_LAST, 1); }

static void
k_enter(struct ui *ui)
{
	struct view *v = focused(ui);

	if (v->ops->enter)
		v->ops->enter(ui, v);
	else
		ui_focus_next(ui, 1);
}

static void k_tab(struct ui *ui) { ui_focus_next(ui, 1); }
static void k_backtab(struct ui *ui) { ui_focus_next(ui, -1); }

static void
k_escape(struct ui *ui)
{
	/* Esc backs out: a past timeline, history/stats, then to the list. */
	if (session_view_back(ui))
		return;
	if (ui->primary != VIEW_LIST)
		ui_set_primary(ui, VIEW_LIST);
	else if (ui->focus != VIEW_LIST)
		ui_focus(ui, VIEW_LIST);
}

static void
k_help(struct ui *ui)
{
	ui->overlay = OV_HELP;
	ui->help_top = 0;
	ui->dirty = 1;
}

static void k_quit(struct ui *ui) { ui_request_quit(ui); }
static void k_redraw(struct ui *ui) { ui_redraw(ui); }
static void k_search(struct ui *ui) { list_view_search(ui); }
static void k_next(struct ui *ui) { list_view_search_next(ui, 1); }
static void k_prev(struct ui *ui) { list_view_search_next(ui, -1); }

static void
k_filter(struct ui *ui)
{
	if (ui->primary == VIEW_HISTORY)
		history_view_filter(ui);
	else
		list_view_filter(ui);
}

static void k_triage(struct ui *ui) { list_view_triage(ui); }
static void k_session(struct ui *ui) { session_view_start(ui); }
static void k_pause(struct ui *ui) { session_view_pause(ui); }
static void k_tick(struct ui *ui) { session_view_tick_action(ui); }
static void k_undo(struct ui *ui) { session_view_undo(ui); }
static void k_stop(struct ui *ui) { session_view_stop(ui); }
static void k_cat(struct ui *ui) { post_view_cycle_cat(ui); }
static void k_correct(struct ui *ui) { post_view_correct(ui); }
static void k_copy(struct ui *ui) { post_view_copy_questions(ui); }
static void k_page_q(struct ui *ui) { post_view_page_questions(ui); }
static void k_open(struct ui *ui) { post_view_open_link(ui); }
static void k_fetch(struct ui *ui) { fetch_view_start(ui); }
static void k_reanalyse(struct ui *ui) { post_view_reanalyse(ui); }

static void
k_history(struct ui *ui)
{
	ui_set_primary(ui, ui->primary == VIEW_HISTORY ? VIEW_LIST
						      : VIEW_HISTORY);
	ui_focus(ui, ui->primary);
}

static void
k_add(struct ui *ui)
{
	list_view_add_report(ui);
}

static void
k_stats(struct ui *ui)
{
	ui_set_primary(ui, ui->primary == VIEW_STATS ? VIEW_LIST : VIEW_STATS);
	ui_focus(ui, ui->primary);
}

static void
k_list(struct ui *ui)
{
	ui_set_primary(ui, VIEW_LIST);
	ui_focus(ui, VIEW_LIST);
}

#define ANY VMASK_ANY

const struct ui_key ui_keys[] = {
	{ UI_FKEY(KEY_DOWN), "Down", "move down", ANY, k_down },
	{ 'j', "j", "move down", ANY, k_down },
	{ UI_FKEY(KEY_UP), "Up", "move up", ANY, k_up },
	{ 'k', "k", "move up", ANY, k_up },
	{ UI_CTRL('d'), "Ctrl-d", "half a page down", ANY, k_half_down },
	{ UI_CTRL('u'), "Ctrl-u", "half a page up", ANY, k_half_up },
	{ UI_FKEY(KEY_NPAGE), "PgDn", "page down", ANY, k_page_down },
	{ UI_CTRL('f'), "Ctrl-f", "page down", ANY, k_page_down },
	{ UI_FKEY(KEY_PPAGE), "PgUp", "page up", ANY, k_page_up },
	{ UI_CTRL('b'), "Ctrl-b", "page up", ANY, k_page_up },
	{ 'g', "g", "first line", ANY, k_first },
	{ UI_FKEY(KEY_HOME), "Home", "first line", ANY, k_first },
	{ 'G', "G", "last line", ANY, k_last },
	{ UI_FKEY(KEY_END), "End", "last line", ANY, k_last },
	{ '\n', "Enter", "open the selection / next pane", ANY, k_enter },
	{ '\r', "Enter", "open the selection / next pane", ANY, k_enter },
	{ UI_FKEY(KEY_ENTER), "Enter", "open the selection / next pane", ANY,
	  k_enter },
	{ '\t', "Tab", "next pane (the only pane below 80 columns)", ANY,
	  k_tab },
	{ UI_FKEY(KEY_BTAB), "Shift-Tab", "previous pane", ANY, k_backtab },
	{ '/', "/", "full-text search of the posts (FTS5)", ANY, k_search },
	{ 'n', "n", "next search match", ANY, k_next },
	{ 'N', "N", "previous search match", ANY, k_prev },
	{ 'f', "f", "filter: type, missing category, triage, session, "
		    "outcome (history: outcome, type, sort)", ANY, k_filter },
	{ 't', "t", "set the triage state of the selected post", ANY,
	  k_triage },
	{ 'c', "c", "cycle the highlighted information category", ANY,
	  k_cat },
	{ 'C', "C", "correct the type or a category mark", ANY, k_correct },
	{ 'y', "y", "copy the follow-up questions (file, clipboard)", ANY,
	  k_copy },
	{ 'Y', "Y", "show the follow-up questions in $PAGER", ANY, k_page_q },
	{ 'o', "o", "open the post's link ($BROWSER, else xdg-open)", ANY,
	  k_open },
	{ 'r', "r", "re-analyse the selected post", ANY, k_reanalyse },
	{ 's', "s", "start a session on the selected post", ANY, k_session },
	{ ' ', "Space", "tick the edit action under the cursor", ANY, k_tick },
	{ 'p', "p", "pause or resume the session", ANY, k_pause },
	{ 'u', "u", "undo the last tick", ANY, k_undo },
	{ 'e', "e", "stop the session: outcome, reason, notes", ANY, k_stop },
	{ 'F', "F", "fetch posts by id, URL or search", ANY, k_fetch },
	{ 'a', "a", "add a bug report: write or paste it in $EDITOR "
		    "(a first-line # heading is its title)", ANY, k_add },
	{ 'h', "h", "history of sessions (again: back)", ANY, k_history },
	{ 'S', "S", "statistics as bar charts (again: back)", ANY, k_stats },
	{ 'l', "l", "back to the post list", ANY, k_list },
	{ '?', "?", "this help", ANY, k_help },
	{ UI_CTRL('l'), "Ctrl-l", "redraw the whole screen", ANY, k_redraw },
	{ UI_ESC, "Esc", "close an overlay or dialog, go back", ANY,
	  k_escape },
	{ 'q', "q", "quit (asks to pause a running session)", ANY, k_quit },
};

const size_t ui_nkeys = sizeof(ui_keys) / sizeof(ui_keys[0]);

int
ui_key_dispatch(struct ui *ui, int key)
{
	size_t i;

	for (i = 0; i < ui_nkeys; i++) {
		if (ui_keys[i].key != key)
			continue;
		if (ui_keys[i].views && !(ui_keys[i].views & VMASK(ui->focus)))
			continue;
		ui_keys[i].run(ui);
		return 1;
	}
	return 0;
}
