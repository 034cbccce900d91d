/*
 * view_history.c - past sessions, newest first: when, post, type,
 * outcome, active time, ticks.  Filter by outcome and type, sort by time,
 * duration or post; Enter opens a session's timeline in the session pane.
 * Rows come from the session store's listing (store_session_each).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "dlrepro/data.h"
#include "dlrepro/session.h"
#include "dlrepro/store_session.h"
#include "safe.h"
#include "ui.h"

/* Columns before POST: "#", STARTED, OUTCOME, ACTIVE, TICKS. */
#define FIXED_W 54
#define TYPE_W 9
#define TITLE_MIN 10

struct hrow {
	long long id;
	char *post;
	char *title;
	char *type;
	int state;
	int result;
	double started;
	double active;
	size_t nticks;
};

enum { SORT_NEWEST, SORT_OLDEST, SORT_LONGEST, SORT_POST };

struct hv {
	struct hrow *rows;
	size_t n, cap;
	int loaded;
	long sel, top;
	int rows_h;
	int sort;
	int result;		/* -1 any */
	char *type;		/* NULL any */
	double now;
};

static struct hv *
HV(struct ui *ui)
{
	return ui_view(ui, VIEW_HISTORY)->priv;
}

static void
rows_free(struct hv *h)
{
	size_t i;

	for (i = 0; i < h->n; i++) {
		free(h->rows[i].post);
		free(h->rows[i].title);
		free(h->rows[i].type);
	}
	h->n = 0;
}

static int
row_cb(struct session *s, void *arg)
{
	struct hv *h = arg;
	struct hrow *r;
	const char *t = session_bug_type(s);

	if (h->n == h->cap) {
		h->cap = h->cap ? h->cap * 2 : 64;
		h->rows = xreallocarray(h->rows, h->cap, sizeof(*h->rows));
	}
	r = &h->rows[h->n++];
	r->id = s->id;
	r->post = xstrdup(s->post);
	r->title = xstrdup(s->post_title ? s->post_title : "");
	r->type = xstrdup(t);
	r->state = (int)s->state;
	r->result = (int)s->outcome.result;
	r->started = s->started;
	r->active = session_active_at(s, h->now);
	r->nticks = s->nticks;
	return 0;
}

static int
cmp_rows(const void *a, const void *b, void *arg)
{
	const struct hrow *x = a, *y = b;
	int sort = *(int *)arg;

	switch (sort) {
	case SORT_OLDEST:
		return (x->started > y->started) - (x->started < y->started);
	case SORT_LONGEST:
		return (x->active < y->active) - (x->active > y->active);
	case SORT_POST: {
		int c = strcmp(x->post, y->post);

		return c ? c : (x->id > y->id) - (x->id < y->id);
	}
	default:
		return (x->started < y->started) - (x->started > y->started);
	}
}

static void
load(struct ui *ui, struct hv *h)
{
	struct session_filter f;

	rows_free(h);
	session_filter_init(&f);
	f.type = h->type;
	f.result = h->result;
	h->now = now_wall();
	if (store_session_each(ui->st, &f, row_cb, h) < 0)
		ui_error_slot(ui, "history");
	qsort_r(h->rows, h->n, sizeof(*h->rows), cmp_rows, &h->sort);
	if (h->sel >= (long)h->n)
		h->sel = h->n ? (long)h->n - 1 : 0;
	h->loaded = 1;
}

static void *
history_open(struct ui *ui)
{
	struct hv *h = xcalloc(1, sizeof(*h));

	(void)ui;
	h->result = -1;
	return h;
}

static void
history_close(void *priv)
{
	struct hv *h = priv;

	if (!h)
		return;
	rows_free(h);
	free(h->rows);
	free(h->type);
	free(h);
}

static void
history_reload(struct ui *ui, struct view *v)
{
	struct hv *h = v->priv;

	if (ui->primary == VIEW_HISTORY)
		load(ui, h);
	else
		h->loaded = 0;
}

/*
 * The POST column is as wide as the longest id, so ids that differ only
 * at the end ("so:9000000001", "so:9000000002") never look alike; the
 * title gives way.  An id too long even then keeps its end, where ids
 * differ.
 */
static int
post_width(const struct hv *h, int vw)
{
	int pw = 4, cap = vw - FIXED_W - TYPE_W - 2 - TITLE_MIN;
	size_t i;

	for (i = 0; i < h->n; i++) {
		int iw = safe_width(h->rows[i].post, strlen(h->rows[i].post));

		if (iw > pw)
			pw = iw;
	}
	if (cap < 12)
		cap = 12;
	return pw < cap ? pw : cap;
}

static void
draw_post_id(WINDOW *w, int y, int x, int pw, const char *id, attr_t a)
{
	const char *p = id;

	if (safe_width(id, strlen(id)) > pw) {
		x += draw_str(w, y, x, 1, ui_utf8() ? "\u2026" : "~", a);
		while (*p && safe_width(p, strlen(p)) > pw - 1)
			p++;
	}
	draw_str(w, y, x, pw, p, a);
}

static void
history_draw(struct ui *ui, struct view *v, WINDOW *w)
{
	struct hv *h = v->priv;
	int focused = ui->focus == VIEW_HISTORY, i, pw;
	char title[160], hms[16], when[32];
	static const char *const sorts[] = { "newest first", "oldest first",
					     "longest first", "by post" };

	if (!h->loaded)
		load(ui, h);
	h->rows_h = v->h - 2 > 1 ? v->h - 2 : 1;
	if (h->sel < h->top)
		h->top = h->sel;
	if (h->sel >= h->top + h->rows_h)
		h->top = h->sel - h->rows_h + 1;
	snprintf(title, sizeof(title), "History: %zu session%s, %s%s%s%s%s",
		 h->n, h->n == 1 ? "" : "s", sorts[h->sort],
		 h->result >= 0 ? ", outcome " : "",
		 h->result >= 0 ? session_result_id(h->result) : "",
		 h->type ? ", type " : "", h->type ? h->type : "");
	draw_frame(ui, w, title, focused);
	pw = post_width(h, v->w);
	draw_printf(w, 1, 0, v->w, ui_attr(ui, R_HEADING),
		    "   #  STARTED (UTC)     OUTCOME        ACTIVE   TICKS "
		    "%-*s %-*s TITLE", pw, "POST", TYPE_W, "TYPE");
	if (!h->n) {
		draw_str(w, 2, 1, v->w - 2,
			 "No sessions yet: s on a post starts one",
			 ui_attr(ui, R_DIM));
		return;
	}
	for (i = 0; i < h->rows_h && h->top + i < (long)h->n; i++) {
		const struct hrow *r = &h->rows[h->top + i];
		int sel = h->top + i == h->sel, y = i + 2;
		attr_t a = sel ? ui_attr(ui, focused ? R_SELECTED
						     : R_SELECTED_DIM)
			       : ui_attr(ui, R_NORMAL);
		const char *res = r->state == SESSION_STOPPED
					  ? session_result_id(r->result)
					  : session_state_id(r->state);

		if (sel)
			draw_fill(w, y, 0, v->w, a);
		format_iso8601(r->started, when, sizeof(when));
		when[10] = ' ';
		when[16] = 0;
		format_hms(r->active, hms, sizeof(hms));
		draw_printf(w, y, 0, v->w, a, "%4lld  %s  %-14.14s %s %5zu ",
			    r->id, when, res, hms, r->nticks);
		if (v->w - FIXED_W <= 0)
			continue;	/* a narrow pane ends before POST */
		draw_post_id(w, y, FIXED_W,
			     pw < v->w - FIXED_W ? pw : v->w - FIXED_W,
			     r->post, a);
		draw_printf(w, y, FIXED_W + pw + 1, v->w - FIXED_W - pw - 1, a,
			    "%-*.*s %s", TYPE_W, TYPE_W,
			    r->type ? r->type : "-", r->title);
	}
}

static void
history_move(struct ui *ui, struct view *v, enum ui_move how, int dir)
{
	struct hv *h = v->priv;
	long page = h->rows_h;

	(void)ui;
	switch (how) {
	case MOVE_LINE:
		h->sel += dir;
		break;
	case MOVE_HALF:
		h->sel += dir * (page / 2 ? page / 2 : 1);
		break;
	case MOVE_PAGE:
		h->sel += dir * page;
		break;
	case MOVE_FIRST:
		h->sel = 0;
		break;
	case MOVE_LAST:
		h->sel = (long)h->n - 1;
		break;
	}
	if (h->sel >= (long)h->n)
		h->sel = (long)h->n - 1;
	if (h->sel < 0)
		h->sel = 0;
}

static void
history_enter(struct ui *ui, struct view *v)
{
	struct hv *h = v->priv;

	if (!h->n)
		return;
	ui_select_post(ui, h->rows[h->sel].post);
	session_view_show_past(ui, h->rows[h->sel].id);
}

/* ---- filter and sort ---- */

enum { HF_OUTCOME, HF_TYPE, HF_SORT, HF_CLEAR };

static void
hf_outcome(struct ui *ui, const struct ui_menu_item *it)
{
	HV(ui)->result = it->value;
	load(ui, HV(ui));
}

static void
hf_type(struct ui *ui, const struct ui_menu_item *it)
{
	struct hv *h = HV(ui);

	free(h->type);
	h->type = xstrdup(it->svalue);
	load(ui, h);
}

static void
hf_sort(struct ui *ui, const struct ui_menu_item *it)
{
	HV(ui)->sort = it->value;
	load(ui, HV(ui));
}

static void
hf_done(struct ui *ui, const struct ui_menu_item *it)
{
	struct hv *h = HV(ui);
	int i;

	switch (it->value) {
	case HF_OUTCOME:
		ui_menu_open(ui, "Outcome", hf_outcome);
		ui_menu_add(ui, "any", -1, NULL);
		for (i = SESSION_RESULT_NONE + 1; i < SESSION_RESULT_COUNT; i++)
			ui_menu_add(ui, session_result_id(i), i, NULL);
		break;
	case HF_TYPE:
		ui_menu_open(ui, "Bug type", hf_type);
		ui_menu_add(ui, "any", 0, NULL);
		for (i = 0; i < TYPE__COUNT; i++)
			ui_menu_add(ui, ui->data->types[i].name, 0,
				    data_type_id(i));
		break;
	case HF_SORT:
		ui_menu_open(ui, "Sort sessions", hf_sort);
		ui_menu_add(ui, "newest first", SORT_NEWEST, NULL);
		ui_menu_add(ui, "oldest first", SORT_OLDEST, NULL);
		ui_menu_add(ui, "longest first", SORT_LONGEST, NULL);
		ui_menu_add(ui, "by post", SORT_POST, NULL);
		break;
	default:
		h->result = -1;
		free(h->type);
		h->type = NULL;
		h->sort = SORT_NEWEST;
		load(ui, h);
	}
}

void
history_view_filter(struct ui *ui)
{
	ui_menu_open(ui, "History", hf_done);
	ui_menu_add(ui, "outcome...", HF_OUTCOME, NULL);
	ui_menu_add(ui, "bug type...", HF_TYPE, NULL);
	ui_menu_add(ui, "sort...", HF_SORT, NULL);
	ui_menu_add(ui, "clear", HF_CLEAR, NULL);
}

const struct view_ops history_view_ops = {
	.name = "history",
	.title = "History",
	.open = history_open,
	.close = history_close,
	.draw = history_draw,
	.move = history_move,
	.reload = history_reload,
	.enter = history_enter,
};
