/*
 * view_list.c - the post list, the first screen: one row per post with id,
 * type badge, the five information marks, triage state, session mark,
 * score and title.  Rows come from the store a window at a time around the
 * viewport (offset/limit), so a database of any size costs the same.
 * Search (FTS5), filters, sort order and the triage menu live here too.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "dlrepro/analysis.h"
#include "dlrepro/data.h"
#include "dlrepro/report.h"
#include "dlrepro/store.h"
#include "safe.h"
#include "ui.h"

struct lrow {
	char *id;
	char *title;
	int type;		/* enum bug_type or -1 */
	int type_corrected;
	int info_mask;
	int info_known;
	int corrected_mask;
	int session_count;
	int triage;
	int64_t score;
};

struct list {
	struct post_query q;
	char *fts;		/* backing strings of q */
	char *type;
	char *outcome;
	char *search_text;	/* as typed */
	int64_t total;		/* -1: count again */
	int64_t sel, top;
	struct lrow *rows;
	size_t nrows, cap;
	int64_t off;
	int cached;
	int rows_h;
	struct strvec failed;	/* ids whose analysis failed: not retried */
};

static struct list *
L(struct ui *ui)
{
	return ui_view(ui, VIEW_LIST)->priv;
}

static void
rows_clear(struct list *l)
{
	size_t i;

	for (i = 0; i < l->nrows; i++) {
		free(l->rows[i].id);
		free(l->rows[i].title);
	}
	l->nrows = 0;
	l->cached = 0;
}

static int
row_cb(const struct post_row *r, void *arg)
{
	struct list *l = arg;
	struct lrow *o;

	if (l->nrows == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->rows = xreallocarray(l->rows, l->cap, sizeof(*l->rows));
	}
	o = &l->rows[l->nrows++];
	o->id = xstrdup(r->id);
	o->title = xstrdup(r->title ? r->title : "");
	o->type = r->type ? data_type_from_id(r->type) : -1;
	o->type_corrected = r->type_corrected;
	o->info_mask = r->info_mask;
	o->info_known = r->info_known;
	o->corrected_mask = r->corrected_mask;
	o->session_count = r->session_count;
	o->triage = (int)r->triage;
	o->score = r->score;
	return 0;
}

static void
describe_filter(struct ui *ui, struct list *l)
{
	struct strbuf sb;

	sb_init(&sb);
	if (l->search_text)
		sb_addf(&sb, "search \"%s\" ", l->search_text);
	if (l->type)
		sb_addf(&sb, "type=%s ", l->type);
	if (l->q.missing_cat >= 0)
		sb_addf(&sb, "missing=%s ", data_cat_id(l->q.missing_cat));
	if (l->q.triage >= 0)
		sb_addf(&sb, "triage=%s ",
			store_triage_name((enum store_triage)l->q.triage));
	if (l->q.has_session >= 0)
		sb_addf(&sb, "session=%s ", l->q.has_session ? "yes" : "no");
	if (l->outcome)
		sb_addf(&sb, "outcome=%s ", l->outcome);
	if (sb.len)
		sb.s[--sb.len] = 0;
	free(ui->filter_desc);
	ui->filter_desc = sb.len ? sb_detach(&sb) : NULL;
	sb_done(&sb);
}

static void
recount(struct ui *ui, struct list *l)
{
	struct post_query q = l->q;

	q.offset = 0;
	q.limit = 0;
	rows_clear(l);
	ui->nposts = store_post_count(ui->st);
	/* Unfiltered, the list is every post: skip the slower joined count. */
	if (!q.fts && !q.type && q.missing_cat < 0 && q.triage < 0 &&
	    q.has_session < 0 && !q.outcome && ui->nposts >= 0)
		l->total = ui->nposts;
	else
		l->total = store_post_list_count(ui->st, &q);
	if (l->total < 0) {
		ui_error_slot(ui, "list");
		l->total = 0;
	}
	if (l->sel >= l->total)
		l->sel = l->total ? l->total - 1 : 0;
	if (l->sel < 0)
		l->sel = 0;
	describe_filter(ui, l);
}

/*
 * Make rows [from, from + n) available, querying a window around them.
 * SQLite walks OFFSET rows one by one, so the back half of the list is
 * read in the opposite order from its end: the offset never exceeds half
 * the list (G on 100,000 posts is as quick as g).
 */
static void
ensure(struct ui *ui, struct list *l, int64_t from, int64_t n)
{
	struct post_query q = l->q;
	int64_t end = from + n, lo, hi;
	size_t i;

	/* rows analysed by another engine are analysed again when shown */
	q.engine_version = ui->engine ? ui->engine->version : NULL;

	if (end > l->total)
		end = l->total;
	if (l->cached && from >= l->off &&
	    end <= l->off + (int64_t)l->nrows)
		return;
	rows_clear(l);
	if (n < 1)
		n = 1;
	lo = from - n > 0 ? from - n : 0;
	hi = lo + 3 * n < l->total ? lo + 3 * n : l->total;
	l->off = lo;
	if (from > l->total / 2) {
		q.descending = !q.descending;
		q.offset = l->total - hi;
		q.limit = hi - lo;
	} else {
		q.offset = lo;
		q.limit = hi - lo;
	}
	if (q.limit > 0 && store_post_list(ui->st, &q, row_cb, l) != DL_OK)
		ui_error_slot(ui, "list");
	if (q.descending != l->q.descending) {
		for (i = 0; i < l->nrows / 2; i++) {
			struct lrow t = l->rows[i];

			l->rows[i] = l->rows[l->nrows - 1 - i];
			l->rows[l->nrows - 1 - i] = t;
		}
		/* Fewer rows than counted (a concurrent delete): align. */
		l->off = hi - (int64_t)l->nrows;
	}
	l->cached = 1;
}

static struct lrow *
row_at(struct list *l, int64_t i)
{
	if (!l->cached || i < l->off || i >= l->off + (int64_t)l->nrows)
		return NULL;
	return &l->rows[i - l->off];
}

static void
sync_selection(struct ui *ui, struct list *l)
{
	struct lrow *r;

	if (l->total <= 0) {
		ui_select_post(ui, NULL);
		return;
	}
	ensure(ui, l, l->sel, 1);
	r = row_at(l, l->sel);
	ui_select_post(ui, r ? r->id : NULL);
}

static void *
list_open(struct ui *ui)
{
	struct list *l = xcalloc(1, sizeof(*l));

	post_query_init(&l->q);
	sv_init(&l->failed);
	ui_view(ui, VIEW_LIST)->priv = l;
	l->rows_h = 10;
	recount(ui, l);
	sync_selection(ui, l);
	return l;
}

static void
list_close(void *priv)
{
	struct list *l = priv;

	if (!l)
		return;
	rows_clear(l);
	free(l->rows);
	free(l->fts);
	free(l->type);
	free(l->outcome);
	free(l->search_text);
	sv_done(&l->failed);
	free(l);
}

static void
list_reload(struct ui *ui, struct view *v)
{
	struct list *l = v->priv;

	recount(ui, l);
	sync_selection(ui, l);
}

/* Short names for panes too narrow for the full ones (listed in the help,
 * the README and the manual): at most TRIAGE_SHORT_W columns. */
#define TRIAGE_SHORT_W 8
const char *
ui_triage_short(int t)
{
	static const char *const name[] = {
		"new", "needinfo", "in-prog", "repro", "no-repro", "ignored",
	};

	return t >= 0 && t < (int)ARRAY_SIZE(name) ? name[t] : "?";
}

/* The widest full triage name ("not-reproducible"). */
static int
triage_full_width(void)
{
	int t, w = 0, n;

	for (t = 0; t < TRIAGE__COUNT; t++) {
		n = (int)strlen(store_triage_name((enum store_triage)t));
		if (n > w)
			w = n;
	}
	return w;
}

const char *
ui_type_abbrev(const struct ui *ui, int type)
{
	if (type < 0 || type >= TYPE__COUNT)
		return "---";
	return ui->data->types[type].abbrev;
}

static void
list_move(struct ui *ui, struct view *v, enum ui_move how, int dir)
{
	struct list *l = v->priv;
	int64_t page = l->rows_h > 1 ? l->rows_h : 1;

	switch (how) {
	case MOVE_LINE:
		l->sel += dir;
		break;
	case MOVE_HALF:
		l->sel += dir * (page / 2 ? page / 2 : 1);
		l->top += dir * (page / 2 ? page / 2 : 1);
		break;
	case MOVE_PAGE:
		l->sel += dir * page;
		l->top += dir * page;
		break;
	case MOVE_FIRST:
		l->sel = 0;
		break;
	case MOVE_LAST:
		l->sel = l->total - 1;
		break;
	}
	if (l->sel >= l->total)
		l->sel = l->total - 1;
	if (l->sel < 0)
		l->sel = 0;
	if (l->top > l->total - page)
		l->top = l->total - page;
	if (l->top < 0)
		l->top = 0;
	sync_selection(ui, l);
}

static void
list_enter(struct ui *ui, struct view *v)
{
	(void)v;
	if (ui->sel_id)
		ui_focus(ui, VIEW_POST);
}

static void
draw_marks(struct ui *ui, WINDOW *w, int y, int x, const struct lrow *r)
{
	static const char letters[] = "DMHCL";
	int c;

	for (c = 0; c < CAT__COUNT; c++) {
		attr_t a;
		char ch[2] = { letters[c], 0 };

		if (!r->info_known) {
			a = ui_attr(ui, R_UNKNOWN);
			ch[0] = '?';
		} else if (r->info_mask & (1 << c)) {
			a = ui_attr(ui, R_PRESENT);
		} else {
			a = ui_attr(ui, R_MISSING);
			ch[0] = '-';
		}
		if (r->corrected_mask & (1 << c))
			a |= A_UNDERLINE | A_BOLD;
		draw_str(w, y, x + c, 1, ch, a);
	}
	/* Like the type's "TRN*": underlining alone is lost on terminals
	 * that do not show it, and in a plain copy of the screen. */
	if (r->corrected_mask)
		draw_str(w, y, x + CAT__COUNT, 1, "*",
			 ui_attr(ui, R_BOLD));
}

static void
list_draw(struct ui *ui, struct view *v, WINDOW *w)
{
	struct list *l = v->priv;
	int focused = ui->focus == VIEW_LIST;
	int i, idw = 6, x, rows_h = v->h - 2;
	/* Narrow panes keep the title: triage and score give way. */
	int compact = v->w < 64;
	int64_t first, last;
	/* Full triage names when the title keeps 30 columns beside them. */
	int tw = TRIAGE_SHORT_W;
	char title[160];

	l->rows_h = rows_h > 1 ? rows_h : 1;
	if (l->sel < l->top)
		l->top = l->sel;
	if (l->sel >= l->top + l->rows_h)
		l->top = l->sel - l->rows_h + 1;
	if (l->top < 0)
		l->top = 0;
	first = l->total ? l->top + 1 : 0;
	last = l->top + l->rows_h < l->total ? l->top + l->rows_h : l->total;
	if (l->total)
		snprintf(title, sizeof(title), "Posts %lld-%lld of %lld",
			 (long long)first, (long long)last,
			 (long long)l->total);
	else
		snprintf(title, sizeof(title), "%s",
			 l->search_text || ui->filter_desc ? "No posts match"
							   : "Posts: none");
	draw_frame(ui, w, title, focused);
	if (rows_h <= 0)
		return;
	ensure(ui, l, l->top, l->rows_h);
	for (i = 0; i < l->rows_h; i++) {
		struct lrow *r = row_at(l, l->top + i);
		int iw;

		if (!r)
			break;
		iw = safe_width(r->id, strlen(r->id));
		if (iw > idw)
			idw = iw;
	}
	/*
	 * Up to two fifths of the pane: "gh:keras-team/keras#7" whole in a
	 * 60-column pane.  A longer id is cut in the middle, keeping the
	 * end where ids differ (the "#7").
	 */
	if (idw > v->w * 2 / 5)
		idw = v->w * 2 / 5;
	if (v->w - (idw + 1 + 5 + 6 + triage_full_width() + 1 + 2 + 6) >= 30)
		tw = triage_full_width();
	x = 0;
	{
		attr_t h = ui_attr(ui, R_HEADING);

		draw_str(w, 1, 0, idw, "ID", h);
		x = idw + 1;
		draw_str(w, 1, x, 4, "TYPE", h);
		x += 5;
		draw_str(w, 1, x, 5, "DMHCL", h);
		x += 6;
		if (!compact) {
			draw_str(w, 1, x, tw, "TRIAGE", h);
			x += tw + 1;
		}
		draw_str(w, 1, x, 1, "S", h);
		x += 2;
		if (!compact) {
			draw_str(w, 1, x, 5, "SCORE", h);
			x += 6;
		}
		draw_str(w, 1, x, v->w - x, "TITLE", h);
	}
	if (l->total == 0) {
		draw_str(w, 2, 1, v->w - 2,
			 l->search_text || ui->filter_desc
				 ? "No post matches (f filter, Esc/l list)"
				 : "No posts yet: F fetches, or run "
				   "`dlrepro import FILE`",
			 ui_attr(ui, R_DIM));
		return;
	}
	for (i = 0; i < l->rows_h; i++) {
		int64_t idx = l->top + i;
		struct lrow *r = row_at(l, idx);
		int y = i + 2, sel = idx == l->sel;
		attr_t base = sel ? ui_attr(ui, focused ? R_SELECTED
							: R_SELECTED_DIM)
				  : ui_attr(ui, R_NORMAL);
		char buf[32], *fit;
		const char *mark;

		if (!r)
			break;
		if (sel)
			draw_fill(w, y, 0, v->w, base);
		fit = safe_fit_id(r->id, idw, NULL);
		draw_str(w, y, 0, idw, fit, base);
		free(fit);
		x = idw + 1;
		draw_str(w, y, x, 3, ui_type_abbrev(ui, r->type),
			 sel ? base | A_BOLD
			     : ui_attr(ui, ui_type_role(r->type)));
		if (r->type_corrected)
			draw_str(w, y, x + 3, 1, "*", base | A_BOLD);
		x += 5;
		draw_marks(ui, w, y, x, r);
		x += 6;
		if (!compact) {
			draw_str(w, y, x, tw,
				 tw >= triage_full_width()
					 ? store_triage_name(
						   (enum store_triage)r->triage)
					 : ui_triage_short(r->triage),
				 base);
			x += tw + 1;
		}
		mark = "";
		if (ui->session_post && strcmp(ui->session_post, r->id) == 0)
			mark = ui_utf8() ? "\xe2\x96\xb6" : ">";
		else if (r->session_count > 0)
			mark = ui_utf8() ? "\xe2\x97\x8f" : "*";
		draw_str(w, y, x, 1, mark, base);
		x += 2;
		if (!compact) {
			snprintf(buf, sizeof(buf), "%5lld",
				 (long long)r->score);
			draw_str(w, y, x, 5, buf, base);
			x += 6;
		}
		draw_str(w, y, x, v->w - x, r->title, base);
	}
}

/* ---- search ---- */

static void
search_done(struct ui *ui, const char *text)
{
	struct list *l = L(ui);

	if (!text)
		return;
	free(l->fts);
	free(l->search_text);
	/*
	 * An FTS5 query as `list --search` takes it (AND, OR, "phrases",
	 * prefix*); text that is no valid query ("tf.keras", "cuda:0") is
	 * searched word by word.  The same query finds the same posts in
	 * both.
	 */
	l->fts = store_fts_quote(text);
	if (l->fts != NULL) {
		int valid = store_fts_check(ui->st, text);

		if (valid == DL_OK) {
			free(l->fts);
			l->fts = xstrdup(text);
		} else if (valid == DL_NOTFOUND) {
			error_clear();
		}
	}
	l->search_text = l->fts ? xstrdup(text) : NULL;
	l->q.fts = l->fts;
	l->sel = l->top = 0;
	recount(ui, l);
	sync_selection(ui, l);
	ui_set_primary(ui, VIEW_LIST);
	ui_focus(ui, VIEW_LIST);
	if (l->search_text)
		ui_msg(ui, "%lld match%s for \"%s\" (n next, N previous)",
		       (long long)l->total, l->total == 1 ? "" : "es",
		       l->search_text);
}

void
list_view_search(struct ui *ui)
{
	ui_prompt_open(ui, "Search: ", L(ui)->search_text, search_done);
}

void
list_view_search_next(struct ui *ui, int dir)
{
	struct list *l = L(ui);

	if (!l->search_text) {
		ui_msg(ui, "No search: / starts one");
		return;
	}
	if (l->total == 0) {
		ui_msg(ui, "No match for \"%s\"", l->search_text);
		return;
	}
	l->sel = (l->sel + dir + l->total) % l->total;
	sync_selection(ui, l);
	ui_msg(ui, "Match %lld of %lld for \"%s\"", (long long)l->sel + 1,
	       (long long)l->total, l->search_text);
	ui->dirty = 1;
}

/* ---- filters ---- */

enum { F_TYPE, F_MISSING, F_TRIAGE, F_SESSION, F_OUTCOME, F_SORT, F_CLEAR };

static void
refilter(struct ui *ui)
{
	struct list *l = L(ui);

	l->sel = l->top = 0;
	recount(ui, l);
	sync_selection(ui, l);
	ui->dirty = 1;
}

static void
f_type_done(struct ui *ui, const struct ui_menu_item *it)
{
	struct list *l = L(ui);

	free(l->type);
	l->type = xstrdup(it->svalue);
	l->q.type = l->type;
	refilter(ui);
}

static void
f_missing_done(struct ui *ui, const struct ui_menu_item *it)
{
	L(ui)->q.missing_cat = it->value;
	refilter(ui);
}

static void
f_triage_done(struct ui *ui, const struct ui_menu_item *it)
{
	L(ui)->q.triage = it->value;
	refilter(ui);
}

static void
f_session_done(struct ui *ui, const struct ui_menu_item *it)
{
	L(ui)->q.has_session = it->value;
	refilter(ui);
}

static void
f_outcome_done(struct ui *ui, const struct ui_menu_item *it)
{
	struct list *l = L(ui);

	free(l->outcome);
	l->outcome = xstrdup(it->svalue);
	l->q.outcome = l->outcome;
	refilter(ui);
}

static void
f_sort_done(struct ui *ui, const struct ui_menu_item *it)
{
	struct list *l = L(ui);

	l->q.sort = (enum post_sort)(it->value & 0xff);
	l->q.descending = (it->value >> 8) & 1;
	refilter(ui);
}

static void
filter_done(struct ui *ui, const struct ui_menu_item *it)
{
	struct list *l = L(ui);
	int i;

	switch (it->value) {
	case F_TYPE:
		ui_menu_open(ui, "Bug type", f_type_done);
		ui_menu_add(ui, "any type", 0, NULL);
		for (i = 0; i < TYPE__COUNT; i++)
			ui_menu_add(ui, ui->data->types[i].name, 0,
				    data_type_id(i));
		break;
	case F_MISSING:
		ui_menu_open(ui, "Missing information category",
			     f_missing_done);
		ui_menu_add(ui, "any", -1, NULL);
		for (i = 0; i < CAT__COUNT; i++)
			ui_menu_add(ui, ui->data->cats[i].name, i, NULL);
		break;
	case F_TRIAGE:
		ui_menu_open(ui, "Triage state", f_triage_done);
		ui_menu_add(ui, "any", -1, NULL);
		for (i = 0; i < TRIAGE__COUNT; i++)
			ui_menu_add(ui, store_triage_name((enum store_triage)i),
				    i, NULL);
		break;
	case F_SESSION:
		ui_menu_open(ui, "Has a session", f_session_done);
		ui_menu_add(ui, "any", -1, NULL);
		ui_menu_add(ui, "with sessions", 1, NULL);
		ui_menu_add(ui, "without sessions", 0, NULL);
		break;
	case F_OUTCOME:
		ui_menu_open(ui, "Session outcome", f_outcome_done);
		ui_menu_add(ui, "any", 0, NULL);
		ui_list_outcomes(ui);
		break;
	case F_SORT:
		ui_menu_open(ui, "Sort by", f_sort_done);
		ui_menu_add(ui, "id", POST_SORT_ID, NULL);
		ui_menu_add(ui, "score, highest first",
			    POST_SORT_SCORE | 0x100, NULL);
		ui_menu_add(ui, "newest first", POST_SORT_CREATED | 0x100,
			    NULL);
		ui_menu_add(ui, "oldest first", POST_SORT_CREATED, NULL);
		ui_menu_add(ui, "title", POST_SORT_TITLE, NULL);
		break;
	case F_CLEAR:
		free(l->type);
		free(l->outcome);
		free(l->fts);
		free(l->search_text);
		l->type = l->outcome = l->fts = l->search_text = NULL;
		post_query_init(&l->q);
		refilter(ui);
		break;
	}
}

void
list_view_filter(struct ui *ui)
{
	ui_menu_open(ui, "Filter posts", filter_done);
	ui_menu_add(ui, "bug type...", F_TYPE, NULL);
	ui_menu_add(ui, "missing information category...", F_MISSING, NULL);
	ui_menu_add(ui, "triage state...", F_TRIAGE, NULL);
	ui_menu_add(ui, "has a session...", F_SESSION, NULL);
	ui_menu_add(ui, "session outcome...", F_OUTCOME, NULL);
	ui_menu_add(ui, "sort order...", F_SORT, NULL);
	ui_menu_add(ui, "clear filters and search", F_CLEAR, NULL);
}

/* ---- triage ---- */

static void
triage_done(struct ui *ui, const struct ui_menu_item *it)
{
	if (!ui->sel_id)
		return;
	if (store_post_set_triage(ui->st, ui->sel_id,
				  (enum store_triage)it->value) != DL_OK) {
		ui_error_slot(ui, "triage");
		return;
	}
	ui_msg(ui, "%s: triage set to %s", ui->sel_id,
	       store_triage_name((enum store_triage)it->value));
	ui_reload_all(ui);
}

void
list_view_triage(struct ui *ui)
{
	int i;

	if (!ui->sel_id) {
		ui_msg(ui, "No post selected");
		return;
	}
	ui_menu_open(ui, "Triage state", triage_done);
	for (i = 0; i < TRIAGE__COUNT; i++)
		ui_menu_add(ui, store_triage_name((enum store_triage)i), i,
			    NULL);
}

/* ---- a pasted report ---- */

int64_t
list_view_select(struct ui *ui, const char *id)
{
	struct list *l = L(ui);
	struct post_query q = l->q;
	int64_t pos;

	/* where the list's order and filters put it */
	q.offset = 0;
	q.limit = 0;
	pos = store_post_list_position(ui->st, &q, id);
	if (pos >= 0 && pos >= l->total)
		pos = -2;	/* counted before it came */
	if (pos < 0)
		return pos;
	l->sel = pos;
	if (l->sel < l->top || l->sel >= l->top + l->rows_h)
		l->top = l->sel - l->rows_h / 2 > 0 ? l->sel - l->rows_h / 2
						    : 0;
	sync_selection(ui, l);
	return pos;
}

void
list_view_add_report(struct ui *ui)
{
	char *text = NULL, *id = NULL;
	int existing = 0;
	int64_t pos;

	if (ui_edit_text(ui, NULL, ".md", &text, "no report added") != 0)
		return;
	if (text == NULL) {
		ui_msg(ui, "Nothing written: no report added");
		return;
	}
	if (report_store(ui->st, "report", text, strlen(text), NULL, NULL,
			 "markdown", &id, &existing) != DL_OK) {
		free(text);
		ui_error_slot(ui, "add report");
		return;
	}
	free(text);
	ui_set_primary(ui, VIEW_LIST);
	ui_focus(ui, VIEW_LIST);
	ui_reload_all(ui);
	pos = list_view_select(ui, id);
	if (pos >= 0) {
		ui_msg(ui, existing ? "The same report is %s" :
		       "Stored as %s", id);
	} else if (pos == -2) {
		ui_msg(ui, "%s %s, hidden by the filter or search (f clears "
		       "them)", existing ? "The same report is" :
		       "Stored as", id);
	} else {
		ui_error_slot(ui, "list");
	}
	free(id);
}

/*
 * Idle work: analyse one visible post that has no analysis yet, so the
 * type badges and marks fill in by themselves.  Returns 1 when there is
 * (or was) something to do.
 */
int
list_view_idle(struct ui *ui, int run)
{
	struct list *l = L(ui);
	struct analysis a;
	int64_t i;
	size_t k;

	if (!ui->engine || ui->primary != VIEW_LIST || !l->cached)
		return 0;
	for (i = l->top; i < l->top + l->rows_h && i < l->total; i++) {
		struct lrow *r = row_at(l, i);

		if (!r || r->info_known)
			continue;
		for (k = 0; k < l->failed.n; k++)
			if (strcmp(l->failed.v[k], r->id) == 0)
				break;
		if (k < l->failed.n)
			continue;
		if (!run)
			return 1;
		if (analysis_of_post(ui->engine, ui->st, r->id, 0, &a) != DL_OK)
			sv_push(&l->failed, r->id);
		analysis_done(&a);
		l->cached = 0;
		ui->dirty = 1;
		return 1;
	}
	return 0;
}

const struct view_ops list_view_ops = {
	.name = "list",
	.title = "Posts",
	.open = list_open,
	.close = list_close,
	.draw = list_draw,
	.move = list_move,
	.reload = list_reload,
	.enter = list_enter,
};
