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
	for (n = 0; n < CAT__COUNT; n++) {
		if (!show_all && (n >= REC_TOP_INFO ||
				  items[n].confidence < d->threshold))
			break;
		out->info[n] = items[n];
	}
	out->ninfo = n;

	for (int a = 0; a < ACT__COUNT; a++) {
		items[a].id = a;
		items[a].confidence = t->action[a];
		items[a].present = 0;
	}
	sort_items(items, ACT__COUNT);
	for (n = 0; n < ACT__COUNT; n++) {
		if (!show_all && (n >= REC_TOP_ACTIONS ||
				  items[n].confidence < d->threshold))
			break;
		out->actions[n] = items[n];
	}
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
