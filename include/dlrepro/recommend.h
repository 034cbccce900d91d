/*
 * recommend.h - recommendations from the association rules type => X of
 * the paper (confidence = share of that type's reproduced bugs that had or
 * needed X), read from the tables in data/, plus the edit actions that this
 * particular post points at.  Pure.
 */
#ifndef DLREPRO_RECOMMEND_H
#define DLREPRO_RECOMMEND_H

#include <stddef.h>

#include "dlrepro/data.h"

#define REC_TOP_INFO 3
#define REC_TOP_ACTIONS 5

struct rec_item {
	int id;			/* enum info_cat or enum edit_action */
	double confidence;
	int present;		/* info items: present in this post */
};

/* An edit action the post itself points at, with the reason. */
struct rec_hint {
	int action;
	const char *because;	/* static text */
};

struct recommendation {
	int type;		/* the type asked for */
	int n;			/* reproduced bugs behind the table used */
	int fallback;		/* 1: type's table too thin, all types used */
	int type_n;		/* reproduced bugs of the type itself */
	struct rec_item info[CAT__COUNT];
	size_t ninfo;
	struct rec_item actions[ACT__COUNT];
	size_t nactions;
	struct rec_hint hints[ACT__COUNT];
	size_t nhints;
};

/*
 * Fill out for type with per-category presence present[] (1/0).  Rules
 * under the data's threshold are left out unless show_all; the top 3
 * categories and top 5 actions are kept (all of them with show_all).
 */
void recommend(const struct dl_data *d, int type,
	       const int present[CAT__COUNT], int show_all,
	       struct recommendation *out);

/* Add a post-specific action hint (once per action). */
void recommend_hint(struct recommendation *r, int action, const char *because);

/* The table a type's recommendation uses, after the thin-data fallback. */
const struct rule_table *recommend_table(const struct dl_data *d, int type,
					 int *fallback);

#endif
