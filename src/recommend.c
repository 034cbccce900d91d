/*
 * recommend.c - turns the per-type rule tables into the short lists a
 * triager reads: the top information categories (marked present or missing
 * in this post) and the top edit actions, above the paper's confidence
 * threshold.  Types with too few reproduced bugs (GPU n=3, Mixed n=4) fall
 * back, visibly, to the figures over all types.
 */
#include "config.h"

#include <string.h>

#include "dlrepro/recommend.h"

const struct rule_table *
recommend_table(const struct dl_data *d, int type, int *fallback)
{
	if (type < 0 || type >= TYPE__COUNT || d->tables[type].n < d->min_n) {
		*fallback = 1;
		return &d->all;
	}
	*fallback = 0;
	return &d->tables[type];
}

/* Insertion sort by confidence, descending; ties keep the data's order. */
static void
sort_items(struct rec_item *it, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		struct rec_item x = it[i];
		size_t j = i;

		while (j > 0 && it[j - 1].confidence < x.confidence) {
			it[j] = it[j - 1];
			j--;
		}
		it[j] = x;
	}
}

/*
 * How many of the sorted items to show: the top `top` at or above the
 * threshold, plus any that tie with the last one kept (the paper leaves
 * such ties out silently; we would rather show them).
 */
static size_t
keep(const struct rec_item *it, size_t n, size_t top, double threshold,
     int show_all)
{
	size_t k = 0;

	if (show_all)
		return n;
	while (k < n && it[k].confidence >= threshold &&
	       (k < top || it[k].confidence == it[k - 1].confidence))
		k++;
	return k;
}

void
recommend(const struct dl_data *d, int type, const int present[CAT__COUNT],
	  int show_all, struct recommendation *out)
{
	const struct rule_table *t;
	struct rec_item items[ACT__COUNT];
	size_t n;

	memset(out, 0, sizeof *out);
	out->type = type;
	out->type_n = type >= 0 && type < TYPE__COUNT ? d->tables[type].n : 0;
	t = recommend_table(d, type, &out->fallback);
	out->n = t->n;

	for (int c = 0; c < CAT__COUNT; c++) {
		items[c].id = c;
		items[c].confidence = t->info[c];
		items[c].present = present != NULL ? present[c] : 0;
	}
	sort_items(items, CAT__COUNT);
	n = keep(items, CAT__COUNT, REC_TOP_INFO, d->threshold, show_all);
	memcpy(out->info, items, n * sizeof *items);
	out->ninfo = n;

	for (int a = 0; a < ACT__COUNT; a++) {
		items[a].id = a;
		items[a].confidence = t->action[a];
		items[a].present = 0;
	}
	sort_items(items, ACT__COUNT);
	n = keep(items, ACT__COUNT, REC_TOP_ACTIONS, d->threshold, show_all);
	memcpy(out->actions, items, n * sizeof *items);
	out->nactions = n;
}

void
recommend_hint(struct recommendation *r, int action, const char *because)
{
	for (size_t i = 0; i < r->nhints; i++)
		if (r->hints[i].action == action)
			return;
	if (r->nhints < ACT__COUNT) {
		r->hints[r->nhints].action = action;
		r->hints[r->nhints].because = because;
		r->nhints++;
	}
}
