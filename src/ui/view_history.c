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

#define TYPE_W 9
/* A title narrower than this is left out rather than cut to nothing. */
#define TITLE_MIN 5
/* The type, the ticks and the year give way to a title this wide. */
#define TITLE_WANT 8

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

/* The sessions' clock, as the session panel and the CLI read it. */
static double
session_now(void)
{
	const struct session_clock *c = session_clock_system();

	return c->now(c->ctx);
}

static void
load(struct ui *ui, struct hv *h)
{
	struct session_filter f;

	rows_free(h);
	session_filter_init(&f);
	f.type = h->type;
	f.result = h->result;
	h->now = session_now();
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
 * Columns.  POST is as wide as the longest id, so ids that differ only in
 * a digit ("so:8000000007", "so:9000000007") never look alike.  It gets
 * its width first; in a narrow pane the title shrinks, the type, the
 * ticks and the year go to keep a few columns of it, and then the title,
 * the session number, the start and the active time give way, in that
 * order.  Only an id wider than the pane itself is cut,
 * from the middle, keeping its end (safe_fit_id).
 */
enum { HC_NUM, HC_STARTED, HC_OUTCOME, HC_ACTIVE, HC_TICKS, HC_POST,
       HC_TYPE, HC_TITLE, HC__COUNT };

struct hcols {
	int w[HC__COUNT];	/* 0: not shown */
	int x[HC__COUNT];
	int short_date;		/* "MM-DD hh:mm" */
	int gap;		/* blanks between columns */
};

static const char *
row_outcome(const struct hrow *r)
{
	return r->state == SESSION_STOPPED ? session_result_id(r->result)
					   : session_state_id(r->state);
}

static int
cols_width(const struct hcols *c)
{
	int i, sum = 0, n = 0;

	for (i = 0; i < HC_TITLE; i++)
		if (c->w[i] > 0) {
			sum += c->w[i];
			n++;
		}
	return n ? sum + (n - 1) * c->gap : 0;
}

/* Column col leaves the row; -1: the year leaves STARTED. */
static void
give_way(struct hcols *c, int col)
{
	if (col < 0) {
		c->short_date = 1;
		c->w[HC_STARTED] = 11;
	} else {
		c->w[col] = 0;
	}
}

/* The columns with gap blanks between them; 1 when nothing gave way. */
static int
layout_gap(const struct hv *h, int vw, int gap, struct hcols *c)
{
	/* What gives way, first to last (-1: the year). */
	static const int drop[] = { HC_TYPE, HC_TICKS, -1, HC_NUM,
				    HC_STARTED, HC_ACTIVE, HC_OUTCOME };
	size_t i, k;
	int x, all = 1;

	memset(c, 0, sizeof(*c));
	c->gap = gap;
	c->w[HC_NUM] = 4;
	c->w[HC_STARTED] = 16;
	c->w[HC_OUTCOME] = 7;
	c->w[HC_ACTIVE] = 8;
	c->w[HC_TICKS] = 5;
	c->w[HC_POST] = 4;
	c->w[HC_TYPE] = TYPE_W;
	for (i = 0; i < h->n; i++) {
		const struct hrow *r = &h->rows[i];
		int iw = safe_width(r->post, strlen(r->post));
		int ow = (int)strlen(row_outcome(r));

		if (iw > c->w[HC_POST])
			c->w[HC_POST] = iw;
		if (ow > c->w[HC_OUTCOME])
			c->w[HC_OUTCOME] = ow;
	}
	/* The type, the ticks and the year make room for some title... */
	for (k = 0; k < 3 && cols_width(c) + gap + TITLE_WANT > vw; k++) {
		all = 0;
		give_way(c, drop[k]);
	}
	/* ...the rest gives way only to the id. */
	for (; k < sizeof(drop) / sizeof(drop[0]) && cols_width(c) > vw;
	     k++) {
		all = 0;
		give_way(c, drop[k]);
	}
	if (c->w[HC_POST] > vw) {
		all = 0;
		c->w[HC_POST] = vw > 1 ? vw : 1;
	}
	x = cols_width(c) + gap;
	if (vw - x >= TITLE_MIN)
		c->w[HC_TITLE] = vw - x;
	else
		all = 0;
	for (i = 0, x = 0; i < HC__COUNT; i++)
		if (c->w[i] > 0) {
			c->x[i] = x;
			x += c->w[i] + gap;
		}
	return all;
}

/* Two blanks between columns where everything fits, else one. */
static void
layout(const struct hv *h, int vw, struct hcols *c)
{
	if (!layout_gap(h, vw, 2, c))
		layout_gap(h, vw, 1, c);
}

static void
draw_post_id(WINDOW *w, int y, int x, int pw, const char *id, attr_t a)
{
	char *fit = safe_fit_id(id, pw, NULL);

	draw_str(w, y, x, pw, fit, a);
	free(fit);
}

static void
history_draw(struct ui *ui, struct view *v, WINDOW *w)
{
	struct hv *h = v->priv;
	struct hcols c;
	int focused = ui->focus == VIEW_HISTORY, i;
	attr_t ha = ui_attr(ui, R_HEADING);
	char title[160], hms[16], when[32], buf[32];
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
	layout(h, v->w, &c);
	if (c.w[HC_NUM])
		draw_str(w, 1, c.x[HC_NUM], c.w[HC_NUM], "   #", ha);
	if (c.w[HC_STARTED])
		draw_str(w, 1, c.x[HC_STARTED], c.w[HC_STARTED],
			 c.short_date ? "STARTED" : "STARTED (UTC)", ha);
	if (c.w[HC_OUTCOME])
		draw_str(w, 1, c.x[HC_OUTCOME], c.w[HC_OUTCOME], "OUTCOME",
			 ha);
	if (c.w[HC_ACTIVE])
		draw_str(w, 1, c.x[HC_ACTIVE], c.w[HC_ACTIVE], "ACTIVE", ha);
	if (c.w[HC_TICKS])
		draw_str(w, 1, c.x[HC_TICKS], c.w[HC_TICKS], "TICKS", ha);
	draw_str(w, 1, c.x[HC_POST], c.w[HC_POST], "POST", ha);
	if (c.w[HC_TYPE])
		draw_str(w, 1, c.x[HC_TYPE], c.w[HC_TYPE], "TYPE", ha);
	if (c.w[HC_TITLE])
		draw_str(w, 1, c.x[HC_TITLE], c.w[HC_TITLE], "TITLE", ha);
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

		if (sel)
			draw_fill(w, y, 0, v->w, a);
		if (c.w[HC_NUM]) {
			snprintf(buf, sizeof(buf), "%4lld", r->id);
			draw_str(w, y, c.x[HC_NUM], c.w[HC_NUM], buf, a);
		}
		if (c.w[HC_STARTED]) {
			format_iso8601(r->started, when, sizeof(when));
			when[10] = ' ';
			when[16] = 0;
			draw_str(w, y, c.x[HC_STARTED], c.w[HC_STARTED],
				 c.short_date ? when + 5 : when, a);
		}
		if (c.w[HC_OUTCOME])
			draw_str(w, y, c.x[HC_OUTCOME], c.w[HC_OUTCOME],
				 row_outcome(r), a);
		if (c.w[HC_ACTIVE]) {
			format_hms(r->active, hms, sizeof(hms));
			draw_str(w, y, c.x[HC_ACTIVE], c.w[HC_ACTIVE], hms, a);
		}
		if (c.w[HC_TICKS]) {
			snprintf(buf, sizeof(buf), "%5zu", r->nticks);
			draw_str(w, y, c.x[HC_TICKS], c.w[HC_TICKS], buf, a);
		}
		draw_post_id(w, y, c.x[HC_POST], c.w[HC_POST], r->post, a);
		if (c.w[HC_TYPE])
			draw_str(w, y, c.x[HC_TYPE], c.w[HC_TYPE],
				 r->type ? r->type : "-", a);
		if (c.w[HC_TITLE])
			draw_str(w, y, c.x[HC_TITLE], c.w[HC_TITLE], r->title,
				 a);
	}
}

/*
 * A running session counts on: while the history shows it, its row is
 * read again at each tick, so its active time (and state) keep up with
 * the status bar.  Steps, ours or another process's, reload the whole
 * view anyway; this is for the clock alone.  A read that fails keeps
 * the row as it was until the next tick.
 */
void
history_view_tick(struct ui *ui)
{
	struct hv *h = HV(ui);
	size_t i;

	if (!h || !h->loaded || ui->primary != VIEW_HISTORY)
		return;
	for (i = 0; i < h->n; i++) {
		struct hrow *r = &h->rows[i];
		struct session s;

		if (r->state != SESSION_RUNNING)
			continue;
		session_init(&s);
		if (session_load(ui->st, r->id, &s) == DL_OK) {
			h->now = session_now();
			r->state = (int)s.state;
			r->result = (int)s.outcome.result;
			r->active = session_active_at(&s, h->now);
			r->nticks = s.nticks;
			ui->dirty = 1;
		}
		session_done(&s);
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
