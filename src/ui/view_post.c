/*
 * view_post.c - the selected post: its type with evidence and confidence,
 * the five information categories (one highlightable at a time in the
 * body), the recommendation panel (categories and edit actions for the
 * type, follow-up questions for what is missing) and the rendered body
 * (code blocks set apart, inline code marked, links shown).  Everything
 * is rendered once into a display buffer with a role per byte, then
 * wrapped to the pane width; a resize only re-wraps.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "dlrepro/analysis.h"
#include "dlrepro/store.h"
#include "safe.h"
#include "ui.h"

struct pv {
	char *id;		/* post the analysis belongs to */
	int have;
	struct analysis a;
	struct post p;
	int have_post;
	char *err;
	int hl;			/* highlighted info index, -1 none */
	int stale;		/* the database changed: analyse again */

	struct strbuf disp;
	unsigned char *roles;
	size_t roles_cap;
	size_t *dmap;		/* doc offset -> disp offset */
	struct safe_line *lines;
	size_t nlines, lcap;
	int wrap_w;
	int rendered;
	size_t top_off;		/* disp offset of the first line shown */
	size_t top;
	int h;
};

static struct pv *
PV(struct ui *ui)
{
	return ui_view(ui, VIEW_POST)->priv;
}

static void
pv_clear(struct pv *pv)
{
	if (pv->have)
		analysis_done(&pv->a);
	if (pv->have_post)
		post_done(&pv->p);
	pv->have = pv->have_post = 0;
	free(pv->id);
	free(pv->err);
	pv->id = pv->err = NULL;
	pv->rendered = 0;
	pv->top = 0;
	pv->top_off = 0;
}

static void *
post_open(struct ui *ui)
{
	struct pv *pv = xcalloc(1, sizeof(*pv));

	(void)ui;
	pv->hl = -1;
	sb_init(&pv->disp);
	return pv;
}

static void
post_close(void *priv)
{
	struct pv *pv = priv;

	if (!pv)
		return;
	pv_clear(pv);
	sb_done(&pv->disp);
	free(pv->roles);
	free(pv->dmap);
	free(pv->lines);
	free(pv);
}

static void
load(struct ui *ui, struct pv *pv)
{
	const char *id = ui->sel_id;

	pv_clear(pv);
	if (!id)
		return;
	pv->id = xstrdup(id);
	/* store_post_get() initialises p itself, and only on success. */
	if (store_post_get(ui->st, id, &pv->p) == DL_OK)
		pv->have_post = 1;
	if (!ui->engine) {
		pv->err = xasprintf("analysis unavailable: %s",
				    ui->engine_err ? ui->engine_err : "?");
		return;
	}
	if (analysis_of_post(ui->engine, ui->st, id, 0, &pv->a) != DL_OK) {
		pv->err = xasprintf("analysis of %s failed: %s", id,
				    error_msg());
		analysis_done(&pv->a);
		return;
	}
	pv->have = 1;
}

static void
post_reload(struct ui *ui, struct view *v)
{
	struct pv *pv = v->priv;

	(void)ui;
	pv->stale = 1;	/* analysed again at the next draw */
}

/* ---- rendering ---- */

static void
emitn(struct pv *pv, const char *s, size_t n, int role)
{
	if (pv->disp.len + n + 1 > pv->roles_cap) {
		pv->roles_cap = (pv->disp.len + n + 1) * 2;
		pv->roles = xrealloc(pv->roles, pv->roles_cap);
	}
	memset(pv->roles + pv->disp.len, role, n);
	sb_add(&pv->disp, s, n);
}

static void
emit(struct pv *pv, const char *s, int role)
{
	emitn(pv, s, strlen(s), role);
}

static void DL_PRINTF(3, 4)
emitf(struct pv *pv, int role, const char *fmt, ...)
{
	struct strbuf sb;
	va_list ap;

	sb_init(&sb);
	va_start(ap, fmt);
	sb_vaddf(&sb, fmt, ap);
	va_end(ap);
	emitn(pv, sb.s, sb.len, role);
	sb_done(&sb);
}

static const char *
mark(int present)
{
	if (ui_utf8())
		return present ? "\xe2\x9c\x93" : "\xe2\x9c\x97";
	return present ? "+" : "x";
}

static const char *
info_name(struct ui *ui, int i)
{
	if (i < CAT__COUNT)
		return ui->data->cats[i].name;
	return "Environment";
}

static int
span_role(const struct text_span *s)
{
	switch (s->kind) {
	case TS_INLINE_CODE:
		return R_INLINE_CODE;
	case TS_LINK:
		return R_LINK;
	case TS_STRONG:
		return R_BOLD;
	case TS_EMPH:
		return R_BOLD;
	}
	return R_NORMAL;
}

static int
block_role(enum text_block_kind k)
{
	switch (k) {
	case TB_CODE:
		return R_CODE;
	case TB_QUOTE:
		return R_QUOTE;
	case TB_HEADING:
		return R_HEADING;
	default:
		return R_NORMAL;
	}
}

static int
cmp_span_end(const void *a, const void *b)
{
	const struct text_span *x = *(const struct text_span *const *)a;
	const struct text_span *y = *(const struct text_span *const *)b;

	return (x->end > y->end) - (x->end < y->end);
}

static void
render_body(struct ui *ui, struct pv *pv)
{
	const struct text_doc *d = &pv->a.doc;
	unsigned char *role;
	const struct text_span **links;
	size_t i, b = 0, s, nlinks = 0, nl = 0;
	int at_line_start = 1;

	(void)ui;
	role = xmalloc(d->len + 1);
	memset(role, R_NORMAL, d->len + 1);
	for (b = 0; b < d->nblocks; b++)
		for (i = d->blocks[b].start; i < d->blocks[b].end && i < d->len;
		     i++)
			role[i] = (unsigned char)block_role(d->blocks[b].kind);
	for (s = 0; s < d->nspans; s++)
		for (i = d->spans[s].start; i < d->spans[s].end && i < d->len;
		     i++)
			role[i] = (unsigned char)span_role(&d->spans[s]);
	if (pv->hl >= 0 && pv->hl < INFO__COUNT) {
		const struct info_result *r = &pv->a.info.r[pv->hl];

		for (s = 0; s < r->nspans; s++)
			for (i = r->spans[s].start;
			     i < r->spans[s].end && i < d->len; i++)
				role[i] = R_HIGHLIGHT;
	}
	/* Links by where they end, so the walk below stays linear. */
	links = xcalloc(d->nspans + 1, sizeof(*links));
	for (s = 0; s < d->nspans; s++)
		if (d->spans[s].kind == TS_LINK)
			links[nlinks++] = &d->spans[s];
	qsort(links, nlinks, sizeof(*links), cmp_span_end);
	free(pv->dmap);
	pv->dmap = xmalloc((d->len + 1) * sizeof(*pv->dmap));
	b = 0;
	for (i = 0; i < d->len; i++) {
		char c = d->text[i];

		while (b < d->nblocks && d->blocks[b].end <= i)
			b++;
		pv->dmap[i] = pv->disp.len;
		if (at_line_start && c != '\n' && b < d->nblocks &&
		    d->blocks[b].start <= i) {
			if (d->blocks[b].kind == TB_CODE)
				emit(pv, ui_utf8() ? "\xe2\x94\x82 " : "| ",
				     R_DIM);
			else if (d->blocks[b].kind == TB_QUOTE)
				emit(pv, "> ", R_QUOTE);
		}
		at_line_start = c == '\n';
		if (c == '\t')
			emitn(pv, "    ", 4, role[i]);
		else
			emitn(pv, &c, 1, role[i]);
		/* After a link's text, show where it points. */
		while (nl < nlinks && links[nl]->end <= i + 1) {
			const struct text_span *sp = links[nl++];

			if (sp->end == i + 1 && sp->href && *sp->href &&
			    (sp->end - sp->start != strlen(sp->href) ||
			     memcmp(d->text + sp->start, sp->href,
				    strlen(sp->href)) != 0))
				emitf(pv, R_LINK, " <%s>", sp->href);
		}
	}
	free(links);
	pv->dmap[d->len] = pv->disp.len;
	free(role);
}

static void
render_post(struct pv *pv)
{
	size_t i;

	emit(pv, pv->have_post && pv->p.title ? pv->p.title : pv->id, R_BOLD);
	emit(pv, "\n", R_NORMAL);
	emitf(pv, R_DIM, "%s", pv->id);
	if (pv->have_post) {
		emitf(pv, R_DIM, "  score %lld  answers %lld",
		      (long long)pv->p.score, (long long)pv->p.answer_count);
		if (pv->p.tags.n) {
			emit(pv, "  tags:", R_DIM);
			for (i = 0; i < pv->p.tags.n; i++)
				emitf(pv, R_DIM, " %s", pv->p.tags.v[i]);
		}
	}
	emit(pv, "\n", R_NORMAL);
}

static void
render_header(struct ui *ui, struct pv *pv)
{
	const struct analysis *a = &pv->a;
	const struct dl_data *dd = ui->data;
	size_t i;
	int t = a->type;

	emit(pv, "Type: ", R_BOLD);
	/* the badge beside the name, unless they are the same (GPU, API) */
	if (t >= 0 && t < TYPE__COUNT &&
	    strcasecmp(dd->types[t].name, dd->types[t].abbrev) != 0)
		emitf(pv, ui_type_role(t), "%s (%s)", dd->types[t].name,
		      dd->types[t].abbrev);
	else if (t >= 0 && t < TYPE__COUNT)
		emit(pv, dd->types[t].name, ui_type_role(t));
	else
		emit(pv, "unknown", R_UNKNOWN);
	if (a->corr.type >= 0)
		emitf(pv, R_BOLD, "  corrected by you (engine said %s)",
		      dd->types[a->cls.type].name);
	else if (t == TYPE_MIXED) {
		int two[2];

		classify_top_two(&a->cls, two);
		emitf(pv, R_NORMAL, "  %s %.0f%% + %s %.0f%%  from %s",
		      dd->types[two[0]].name, a->cls.scores[two[0]] * 100,
		      dd->types[two[1]].name, a->cls.scores[two[1]] * 100,
		      classify_method_name(a->cls.method));
	} else
		emitf(pv, R_NORMAL, "  confidence %.0f%%  from %s",
		      a->cls.confidence * 100,
		      classify_method_name(a->cls.method));
	emit(pv, "\n", R_NORMAL);
	for (i = 0; i < a->cls.nevidence && i < 4; i++) {
		const struct classify_evidence *e = &a->cls.evidence[i];

		emitf(pv, R_DIM, "  - %s\n",
		      e->why ? e->why : (e->text ? e->text : ""));
	}
	emit(pv, "Information: ", R_BOLD);
	for (i = 0; i < INFO__COUNT; i++) {
		int pres = a->present[i];
		int corr = i < CAT__COUNT &&
			   ((a->corr.present_mask | a->corr.missing_mask) &
			    (1 << i));

		int role = (int)i == pv->hl ? R_HIGHLIGHT
					    : (pres ? R_PRESENT : R_MISSING);
		const char *name = info_name(ui, (int)i);

		/* "✓ Code Snippet" wraps as one: no-break spaces */
		emit(pv, mark(pres), role);
		for (const char *sp; (sp = strchr(name, ' ')) != NULL;
		     name = sp + 1) {
			emit(pv, ui_utf8() ? "\xc2\xa0" : " ", role);
			emitn(pv, name, (size_t)(sp - name), role);
		}
		emit(pv, ui_utf8() ? "\xc2\xa0" : " ", role);
		emitf(pv, role, "%s%s", name, corr ? "*" : "");
		emit(pv, i + 1 < INFO__COUNT ? "  " : "\n", R_NORMAL);
	}
	if (pv->hl >= 0) {
		const struct info_result *r = &a->info.r[pv->hl];

		emitf(pv, R_HIGHLIGHT, "Highlight: %s %s, %zu place%s",
		      info_name(ui, pv->hl),
		      a->present[pv->hl] ? "present" : "missing", r->nspans,
		      r->nspans == 1 ? "" : "s");
		emit(pv, "  (c next category)\n", R_DIM);
	} else {
		emit(pv, "c highlights where each category is found\n", R_DIM);
	}
}

static void
render_rec(struct ui *ui, struct pv *pv)
{
	const struct analysis *a = &pv->a;
	const struct recommendation *r = &a->rec;
	const struct dl_data *dd = ui->data;
	size_t i;
	int t = a->type, namew = 0;

	emit(pv, "\n", R_NORMAL);
	/* A thin type's figures are all types': the heading says so, not
	 * "for GPU" above a line that takes it back. */
	if (r->fallback && t >= 0 && t < TYPE__COUNT) {
		emitf(pv, R_HEADING, "Recommendations (all types, n=%d): ",
		      r->n);
		emitf(pv, R_PAUSED,
		      "%s has too few reproduced bugs (n=%d)\n",
		      dd->types[t].name, r->type_n);
	} else {
		emitf(pv, R_HEADING, "Recommendations for %s",
		      t >= 0 && t < TYPE__COUNT ? dd->types[t].name : "?");
		emitf(pv, R_DIM, " (n=%d)\n", r->n);
	}
	emit(pv, "  Information to have:\n", R_BOLD);
	for (i = 0; i < r->ninfo; i++) {
		const struct rec_item *it = &r->info[i];

		emitf(pv, it->present ? R_PRESENT : R_MISSING, "    %s %-16s",
		      mark(it->present), dd->cats[it->id].name);
		emitf(pv, R_NORMAL, " %3.0f%%  %s\n", it->confidence * 100,
		      it->present ? "present" : "MISSING");
	}
	if (!r->ninfo)
		emit(pv, "    (none above the threshold)\n", R_DIM);
	emit(pv, "  Edit actions likely needed:\n", R_BOLD);
	/* the percentages line up under the longest name shown ("Import
	 * Addition and Dependency Resolution" is 41 characters) */
	for (i = 0; i < r->nactions; i++) {
		int w = (int)strlen(dd->actions[r->actions[i].id].name);

		if (w > namew)
			namew = w;
	}
	for (i = 0; i < r->nactions; i++) {
		const struct rec_item *it = &r->actions[i];

		emitf(pv, R_NORMAL, "    %c %-*s %3.0f%%\n",
		      dd->actions[it->id].letter, namew,
		      dd->actions[it->id].name, it->confidence * 100);
	}
	if (!r->nactions)
		emit(pv, "    (none above the threshold)\n", R_DIM);
	for (i = 0; i < r->nhints; i++)
		emitf(pv, R_NORMAL, "    this post: %s (%s)\n",
		      dd->actions[r->hints[i].action].name,
		      r->hints[i].because);
	if (a->questions.n) {
		emit(pv, "  Ask the reporter", R_BOLD);
		emit(pv, " (y copies, Y shows in $PAGER):\n", R_DIM);
		for (i = 0; i < a->questions.n; i++)
			emitf(pv, R_NORMAL, "    %zu. %s\n", i + 1,
			      a->questions.v[i]);
	} else {
		emit(pv, "  Nothing to ask: every category is present.\n",
		     R_DIM);
	}
	emit(pv, "\n", R_NORMAL);
}

static void
render(struct ui *ui, struct pv *pv)
{
	sb_reset(&pv->disp);
	if (pv->id)
		render_post(pv);
	if (pv->err) {
		emit(pv, pv->err, R_ERROR);
		emit(pv, "\n", R_NORMAL);
	}
	if (pv->have) {
		render_header(ui, pv);
		render_rec(ui, pv);
		emit(pv, ui_utf8() ? "\xe2\x94\x80\xe2\x94\x80 Body "
				     "\xe2\x94\x80\xe2\x94\x80\n"
				   : "-- Body --\n",
		     R_HEADING);
		render_body(ui, pv);
	}
	pv->rendered = 1;
	pv->wrap_w = -1;
}

static void
wrap(struct pv *pv, int width)
{
	pv->nlines = safe_wrap(pv->disp.s, pv->disp.len, width, &pv->lines,
			       &pv->lcap);
	pv->wrap_w = width;
}

static void
scroll_to_off(struct pv *pv, size_t off)
{
	size_t i;

	pv->top = 0;
	for (i = 0; i < pv->nlines; i++) {
		if (pv->lines[i].start > off)
			break;
		pv->top = i;
	}
	pv->top_off = pv->nlines ? pv->lines[pv->top].start : 0;
}

static void
draw_line(struct ui *ui, struct pv *pv, WINDOW *w, int y, int maxw,
	  const struct safe_line *ln)
{
	struct safe_iter it;
	wchar_t wc;
	int cw, used = 0;
	size_t at;

	wmove(w, y, 0);
	/* the hanging indent in the line's own colours (a code block's) */
	for (; used < ln->indent && used < maxw; used++)
		draw_wc(w, L' ', ui_attr(ui, ln->start < pv->disp.len
					     ? pv->roles[ln->start]
					     : R_NORMAL));
	safe_iter_init(&it, pv->disp.s + ln->start, ln->end - ln->start);
	while (safe_next(&it, &wc, &cw, &at)) {
		int role = pv->roles[ln->start + at];

		if (wc == L'\t' || wc == L'\n') {
			wc = L' ';
			cw = 1;
		}
		if (used + cw > maxw)
			break;
		draw_wc(w, wc, ui_attr(ui, role));
		used += cw;
	}
}

static void
post_draw(struct ui *ui, struct view *v, WINDOW *w)
{
	struct pv *pv = v->priv;
	int focused = ui->focus == VIEW_POST;
	int i, body = v->h - 1;
	char title[96];

	if (!pv->id || !ui->sel_id || strcmp(pv->id, ui->sel_id) != 0) {
		load(ui, pv);
		pv->stale = 0;
	} else if (pv->stale) {
		size_t keep = pv->top_off;	/* same post: keep the scroll */

		load(ui, pv);
		pv->top_off = keep;
		pv->stale = 0;
	}
	if (!pv->rendered)
		render(ui, pv);
	if (pv->wrap_w != v->w - 1) {
		wrap(pv, v->w - 1);
		scroll_to_off(pv, pv->top_off);
	}
	pv->h = body;
	if (pv->nlines)
		snprintf(title, sizeof(title), "Post %.60s  %zu%%",
			 ui->sel_id ? ui->sel_id : "",
			 (pv->top + (size_t)body >= pv->nlines)
				 ? (size_t)100
				 : (pv->top + (size_t)body) * 100 /
					   pv->nlines);
	else
		snprintf(title, sizeof(title), "Post");
	draw_frame(ui, w, title, focused);
	if (!ui->sel_id) {
		draw_str(w, 1, 1, v->w - 2, "No post selected", ui_attr(ui,
								      R_DIM));
		return;
	}
	for (i = 0; i < body && pv->top + (size_t)i < pv->nlines; i++)
		draw_line(ui, pv, w, i + 1, v->w - 1,
			  &pv->lines[pv->top + (size_t)i]);
}

static void
post_move(struct ui *ui, struct view *v, enum ui_move how, int dir)
{
	struct pv *pv = v->priv;
	long page = pv->h > 1 ? pv->h : 1, top = (long)pv->top;
	long max = (long)pv->nlines - page;

	(void)ui;
	switch (how) {
	case MOVE_LINE:
		top += dir;
		break;
	case MOVE_HALF:
		top += dir * (page / 2 ? page / 2 : 1);
		break;
	case MOVE_PAGE:
		top += dir * page;
		break;
	case MOVE_FIRST:
		top = 0;
		break;
	case MOVE_LAST:
		top = max;
		break;
	}
	if (top > max)
		top = max;
	if (top < 0)
		top = 0;
	pv->top = (size_t)top;
	pv->top_off = pv->nlines ? pv->lines[pv->top].start : 0;
}

/* ---- actions ---- */

static int
ready(struct ui *ui, struct pv *pv)
{
	if (!ui->sel_id) {
		ui_msg(ui, "No post selected");
		return 0;
	}
	if (!pv->id || strcmp(pv->id, ui->sel_id) != 0)
		load(ui, pv);
	if (!pv->have) {
		ui_error(ui, "%s", pv->err ? pv->err : "no analysis");
		return 0;
	}
	return 1;
}

void
post_view_cycle_cat(struct ui *ui)
{
	struct pv *pv = PV(ui);
	const struct info_result *r;

	if (!ready(ui, pv))
		return;
	pv->hl = pv->hl + 1 >= INFO__COUNT ? -1 : pv->hl + 1;
	pv->rendered = 0;
	render(ui, pv);
	wrap(pv, ui_view(ui, VIEW_POST)->w > 1 ? ui_view(ui, VIEW_POST)->w - 1
					      : 40);
	ui->dirty = 1;
	if (pv->hl < 0) {
		scroll_to_off(pv, 0);
		ui_msg(ui, "Highlight off");
		return;
	}
	r = &pv->a.info.r[pv->hl];
	if (r->nspans && r->spans[0].start <= pv->a.doc.len) {
		/* Bring the first place into view, a third down the pane. */
		size_t want = pv->dmap[r->spans[0].start], line = 0, i;

		for (i = 0; i < pv->nlines && pv->lines[i].start <= want; i++)
			line = i;
		if (line < pv->top || line >= pv->top + (size_t)pv->h) {
			pv->top = line > (size_t)pv->h / 3
					  ? line - (size_t)pv->h / 3
					  : 0;
			pv->top_off = pv->nlines ? pv->lines[pv->top].start : 0;
		}
	}
	ui_msg(ui, "%s: %s%s", info_name(ui, pv->hl),
	       pv->a.present[pv->hl] ? "present" : "missing",
	       r->nspans ? "" : " (nothing to highlight)");
}

void
post_view_reanalyse(struct ui *ui)
{
	struct pv *pv = PV(ui);

	if (!ui->sel_id) {
		ui_msg(ui, "No post selected");
		return;
	}
	load(ui, pv);
	if (pv->have)
		ui_msg(ui, "%s re-analysed", ui->sel_id);
	else
		ui_error(ui, "%s", pv->err ? pv->err : "analysis failed");
	ui_reload_all(ui);
	pv->stale = 0;	/* this analysis is the fresh one */
}

/*
 * Write the questions to DIR/dlrepro-questions-ID.txt, a name the user
 * can find again; with header, under a line naming the post.  The
 * directory may be /tmp, where anyone can plant a symlink under that
 * name: the text goes to a fresh file that mkstemp() creates (O_EXCL,
 * mode 0600), which then replaces the name by rename(), and rename()
 * replaces a link, never what it points to.
 */
static char *
questions_file(struct ui *ui, struct pv *pv, int header)
{
	const char *dir = getenv("XDG_RUNTIME_DIR");
	char *path, *tmp, *id;
	FILE *f = NULL;
	size_t i;
	int fd, bad;

	if (!dir || !*dir || access(dir, W_OK) != 0)
		dir = "/tmp";
	id = xstrdup(pv->id);
	for (i = 0; id[i]; i++)
		if (!((id[i] >= 'a' && id[i] <= 'z') ||
		      (id[i] >= 'A' && id[i] <= 'Z') ||
		      (id[i] >= '0' && id[i] <= '9') || id[i] == '-'))
			id[i] = '_';
	path = xasprintf("%s/dlrepro-questions-%s.txt", dir, id);
	tmp = xasprintf("%s/.dlrepro-questions-%s.XXXXXX", dir, id);
	free(id);
	fd = mkstemp(tmp);
	if (fd < 0 || (f = fdopen(fd, "w")) == NULL) {
		ui_error(ui, "%s: %s", path, strerror(errno));
		if (fd >= 0) {
			close(fd);
			unlink(tmp);
		}
		free(tmp);
		free(path);
		return NULL;
	}
	/* what y copies is pasted to the reporter as it is: no id of
	 * ours in it; the pager's reader wants to know which post */
	if (header)
		fprintf(f, "Questions for %s%s%s\n\n", pv->id,
			pv->have_post && pv->p.link ? " " : "",
			pv->have_post && pv->p.link ? pv->p.link : "");
	for (i = 0; i < pv->a.questions.n; i++)
		fprintf(f, "%zu. %s\n", i + 1, pv->a.questions.v[i]);
	errno = 0;
	bad = ferror(f);
	if (fclose(f) != 0 || bad || rename(tmp, path) != 0) {
		ui_error(ui, "%s: %s", path,
			 strerror(errno ? errno : EIO));
		unlink(tmp);
		free(tmp);
		free(path);
		return NULL;
	}
	free(tmp);
	return path;
}

void
post_view_copy_questions(struct ui *ui)
{
	struct pv *pv = PV(ui);
	char *path;
	const char *tool = NULL;
	char *argv[5] = { NULL };

	if (!ready(ui, pv))
		return;
	if (!pv->a.questions.n) {
		ui_msg(ui, "Nothing to ask: every category is present");
		return;
	}
	path = questions_file(ui, pv, 0);
	if (!path)
		return;
	if (getenv("WAYLAND_DISPLAY") && spawn_which("wl-copy")) {
		tool = "wl-copy";
		argv[0] = "wl-copy";
	} else if (getenv("DISPLAY") && spawn_which("xclip")) {
		tool = "xclip";
		argv[0] = "xclip";
		argv[1] = "-selection";
		argv[2] = "clipboard";
	} else if (getenv("DISPLAY") && spawn_which("xsel")) {
		tool = "xsel";
		argv[0] = "xsel";
		argv[1] = "--clipboard";
		argv[2] = "--input";
	}
	if (tool && spawn_wait_stdin(argv, path) == 0)
		ui_msg(ui, "%zu question%s copied with %s and saved to %s",
		       pv->a.questions.n, pv->a.questions.n == 1 ? "" : "s",
		       tool, path);
	else
		ui_msg(ui, "%zu question%s saved to %s", pv->a.questions.n,
		       pv->a.questions.n == 1 ? "" : "s", path);
	free(path);
}

void
post_view_page_questions(struct ui *ui)
{
	struct pv *pv = PV(ui);
	const char *pager = getenv("PAGER");
	struct strvec argv;
	char *path;
	int rc;

	if (!ready(ui, pv))
		return;
	path = questions_file(ui, pv, 1);
	if (!path)
		return;
	sv_init(&argv);
	spawn_command(pager && *pager ? pager : "less", path, &argv);
	def_prog_mode();
	endwin();
	rc = spawn_wait_stdin(argv.v, NULL);
	reset_prog_mode();
	clearok(curscr, TRUE);
	refresh();
	ui->dirty = 1;
	/* after the redraw is asked for: a message set before is kept */
	if (rc == SPAWN_NOT_RUN)
		ui_error(ui, "PAGER: %s (the questions are in %s)",
			 error_msg(), path);
	else if (rc < 0)
		ui_error(ui, "%s did not finish", argv.v[0]);
	sv_done(&argv);
	free(path);
}

/*
 * argv for one entry of $BROWSER: words split on blanks, a "%s" word
 * replaced by the link (else the link goes last), as PAGER and EDITOR
 * take arguments.  0 when the program is not found.
 */
static int
browser_argv(char *entry, const char *link, char *argv[], int max)
{
	char *save = NULL, *tok;
	int n = 0, placed = 0;

	for (tok = strtok_r(entry, " \t", &save); tok && n < max - 2;
	     tok = strtok_r(NULL, " \t", &save)) {
		if (strcmp(tok, "%s") == 0) {
			tok = (char *)link;
			placed = 1;
		}
		argv[n++] = tok;
	}
	if (!n || !spawn_which(argv[0]))
		return 0;
	if (!placed)
		argv[n++] = (char *)link;
	argv[n] = NULL;
	return 1;
}

void
post_view_open_link(struct ui *ui)
{
	struct pv *pv = PV(ui);
	const char *browser = getenv("BROWSER");
	const char *link;
	char *argv[16], *list, *entry, *save = NULL, *first = NULL;
	int found = 0;

	if (!ui->sel_id) {
		ui_msg(ui, "No post selected");
		return;
	}
	if (!pv->id || strcmp(pv->id, ui->sel_id) != 0)
		load(ui, pv);
	link = pv->have_post ? pv->p.link : NULL;
	if (!link || (strncmp(link, "https://", 8) != 0 &&
		      strncmp(link, "http://", 7) != 0)) {
		ui_error(ui, "%s has no web link", ui->sel_id);
		return;
	}
	/* $BROWSER is a ':'-separated list of commands: the first found */
	list = xstrdup(browser && *browser ? browser : "xdg-open");
	for (entry = strtok_r(list, ":", &save); entry && !found;
	     entry = strtok_r(NULL, ":", &save)) {
		size_t skip = strspn(entry, " \t");

		if (!first && entry[skip])
			first = xstrndup(entry + skip,
					 strcspn(entry + skip, " \t"));
		found = browser_argv(entry, link, argv, 16);
	}
	if (!found) {
		/* The link first: a long message is cut at the screen's
		 * edge, and the link is what the user needs. */
		ui_error(ui, "%s  (%s not found: copy the link)", link,
			 first ? first : "xdg-open");
	} else if (spawn_detached(argv) != DL_OK) {
		ui_error_slot(ui, "open");
	} else {
		ui_msg(ui, "Opened %s with %s", link, argv[0]);
	}
	free(first);
	free(list);
}

/* ---- corrections ---- */

enum { CORR_TYPE, CORR_PRESENT, CORR_MISSING, CORR_CLEAR };

static int corr_kind;

static void
corr_saved(struct ui *ui, int rc)
{
	char *id;

	if (rc != DL_OK) {
		ui_error_slot(ui, "correction");
		return;
	}
	id = xstrdup(ui->sel_id);
	post_view_reanalyse(ui);
	ui_msg(ui, "%s: correction saved", id);
	free(id);
}

static void
corr_value_done(struct ui *ui, const struct ui_menu_item *it)
{
	int rc;

	if (!ui->sel_id)
		return;
	if (corr_kind == CORR_TYPE)
		rc = store_corrections_set_type(ui->st, ui->sel_id,
						data_type_id(it->value));
	else
		rc = store_corrections_set_cat(ui->st, ui->sel_id, it->value,
					       corr_kind == CORR_PRESENT);
	corr_saved(ui, rc);
}

static void
corr_done(struct ui *ui, const struct ui_menu_item *it)
{
	int i;

	corr_kind = it->value;
	switch (it->value) {
	case CORR_TYPE:
		ui_menu_open(ui, "The bug type is", corr_value_done);
		for (i = 0; i < TYPE__COUNT; i++)
			ui_menu_add(ui, ui->data->types[i].name, i, NULL);
		break;
	case CORR_PRESENT:
	case CORR_MISSING:
		ui_menu_open(ui, it->value == CORR_PRESENT
					 ? "Mark as present"
					 : "Mark as missing",
			     corr_value_done);
		for (i = 0; i < CAT__COUNT; i++)
			ui_menu_add(ui, ui->data->cats[i].name, i, NULL);
		break;
	case CORR_CLEAR:
		corr_saved(ui, ui->sel_id ? store_corrections_clear(
						    ui->st, ui->sel_id)
					  : DL_OK);
		break;
	}
}

void
post_view_correct(struct ui *ui)
{
	if (!ready(ui, PV(ui)))
		return;
	ui_menu_open(ui, "Correct the analysis", corr_done);
	ui_menu_add(ui, "set the bug type...", CORR_TYPE, NULL);
	ui_menu_add(ui, "mark a category present...", CORR_PRESENT, NULL);
	ui_menu_add(ui, "mark a category missing...", CORR_MISSING, NULL);
	ui_menu_add(ui, "clear my corrections", CORR_CLEAR, NULL);
}

const struct view_ops post_view_ops = {
	.name = "post",
	.title = "Post",
	.open = post_open,
	.close = post_close,
	.draw = post_draw,
	.move = post_move,
	.reload = post_reload,
	.enter = NULL,
};
