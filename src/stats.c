/*
 * stats.c - counts the user's stopped sessions by bug type, by framework
 * and overall, for `dlrepro stats` and the dashboard's stats view, so that
 * both show the same figures.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "dlrepro/stats.h"
#include "dlrepro/store_session.h"
#include "dlrepro/util.h"

struct collect {
	struct stats *s;
	double now;
};

static void
group_add(struct stats_group *g, const struct session *s, double active)
{
	g->n[s->outcome.result]++;
	if (s->outcome.result != SESSION_REPRODUCED)
		return;
	g->times = xreallocarray(g->times, g->ntimes + 1, sizeof *g->times);
	g->times[g->ntimes++] = active;
	for (size_t i = 0; i < s->nticks; i++) {
		int a = data_action_from_id(s->ticks[i].action);

		if (a >= 0)
			g->used[a]++;
	}
}

static int
collect_row(struct session *s, void *arg)
{
	struct collect *c = arg;
	struct stats *st = c->s;
	double active = session_active_at(s, c->now);
	const char *tid = session_bug_type(s);
	int t = tid ? data_type_from_id(tid) : -1;
	const char *fw = s->outcome.framework ? s->outcome.framework
					      : "unknown";
	size_t i;

	if (s->outcome.result == SESSION_RESULT_NONE)
		return 0;
	group_add(&st->types[t < 0 ? TYPE__COUNT : t], s, active);
	group_add(&st->all, s, active);
	for (i = 0; i < st->nfw; i++)
		if (strcmp(st->fw[i].name, fw) == 0)
			break;
	if (i == st->nfw) {
		st->fw = xreallocarray(st->fw, st->nfw + 1, sizeof *st->fw);
		memset(&st->fw[st->nfw], 0, sizeof *st->fw);
		st->fw[st->nfw++].name = xstrdup(fw);
	}
	group_add(&st->fw[i], s, active);
	return 0;
}

int
stats_collect(struct store *st, double now, struct stats *out)
{
	struct session_filter f;
	struct collect c = { out, now };

	memset(out, 0, sizeof *out);
	for (int t = 0; t < TYPE__COUNT; t++)
		out->types[t].name = xstrdup(data_type_id(t));
	out->types[TYPE__COUNT].name = xstrdup("unknown");
	out->all.name = xstrdup("overall");
	session_filter_init(&f);
	f.stopped_only = 1;
	return store_session_each(st, &f, collect_row, &c) == DL_OK ? DL_OK
								    : DL_ERR;
}

static void
group_done(struct stats_group *g)
{
	free(g->name);
	free(g->times);
}

void
stats_done(struct stats *s)
{
	for (int t = 0; t <= TYPE__COUNT; t++)
		group_done(&s->types[t]);
	for (size_t i = 0; i < s->nfw; i++)
		group_done(&s->fw[i]);
	free(s->fw);
	group_done(&s->all);
	memset(s, 0, sizeof *s);
}

int
stats_attempts(const struct stats_group *g)
{
	return g->n[SESSION_REPRODUCED] + g->n[SESSION_NOT_REPRODUCED];
}

double
stats_rate(const struct stats_group *g)
{
	int n = stats_attempts(g);

	return n ? (double)g->n[SESSION_REPRODUCED] / n : -1;
}

double
stats_mean(const struct stats_group *g)
{
	double sum = 0;

	for (size_t i = 0; i < g->ntimes; i++)
		sum += g->times[i];
	return g->ntimes ? sum / (double)g->ntimes : -1;
}

static int
cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return (a > b) - (a < b);
}

double
stats_median(struct stats_group *g)
{
	size_t n = g->ntimes;

	if (n == 0)
		return -1;
	qsort(g->times, n, sizeof *g->times, cmp_double);
	return n % 2 ? g->times[n / 2]
		     : (g->times[n / 2 - 1] + g->times[n / 2]) / 2;
}
