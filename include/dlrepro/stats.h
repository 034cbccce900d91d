/*
 * stats.h - what the user's own stopped sessions say, grouped by bug type,
 * by framework and overall: outcomes, active times of reproduced sessions
 * and the edit actions they used.  Shared by `dlrepro stats` and the
 * dashboard's stats view, so both count the same way.
 */
#ifndef DLREPRO_STATS_H
#define DLREPRO_STATS_H

#include <stddef.h>

#include "dlrepro/data.h"
#include "dlrepro/session.h"
#include "dlrepro/store.h"

struct stats_group {
	char *name;			/* type id, framework, "overall" */
	int n[SESSION_RESULT_COUNT];	/* sessions by outcome */
	double *times;			/* active seconds, reproduced ones */
	size_t ntimes;
	int used[ACT__COUNT];		/* reproduced sessions that ticked it */
};

struct stats {
	struct stats_group types[TYPE__COUNT + 1];	/* last: unknown */
	struct stats_group *fw;
	size_t nfw;
	struct stats_group all;
};

/* Count every stopped session at time now; stats_done() after. */
int stats_collect(struct store *st, double now, struct stats *out);
void stats_done(struct stats *s);

/* Reproduced plus not reproduced (abandoned attempts are left out). */
int stats_attempts(const struct stats_group *g);
/* Shares and times; -1 when there is nothing to compute them from. */
double stats_rate(const struct stats_group *g);
double stats_mean(const struct stats_group *g);
double stats_median(struct stats_group *g);	/* sorts g->times */

#endif
