/*
 * cmd_stats.c - `dlrepro stats [--json]`: what the user's own stopped
 * sessions say, beside the paper's figures: reproducibility rate and
 * time to reproduce (mean and median active time of reproduced sessions)
 * by bug type, by framework and overall, and per type the share of
 * reproduced sessions that used each edit action (the confidence of the
 * rule type => action, as in the paper's Table 8).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "dlrepro/cli.h"
#include "dlrepro/session.h"
#include "dlrepro/stats.h"
#include "dlrepro/store_session.h"
#include "dlrepro/util.h"

static void
add_num(cJSON *o, const char *k, double v)
{
	if (v < 0)
		cJSON_AddNullToObject(o, k);
	else
		cJSON_AddNumberToObject(o, k, v);
}

static cJSON *
group_json(struct stats_group *g, const char *key)
{
	cJSON *o = cJSON_CreateObject();

	if (key)
		cJSON_AddStringToObject(o, key, g->name);
	cJSON_AddNumberToObject(o, "sessions", g->n[SESSION_REPRODUCED] +
	    g->n[SESSION_NOT_REPRODUCED] + g->n[SESSION_ABANDONED]);
	cJSON_AddNumberToObject(o, "reproduced", g->n[SESSION_REPRODUCED]);
	cJSON_AddNumberToObject(o, "not_reproduced",
	    g->n[SESSION_NOT_REPRODUCED]);
	cJSON_AddNumberToObject(o, "abandoned", g->n[SESSION_ABANDONED]);
	add_num(o, "rate", stats_rate(g));
	add_num(o, "mean_seconds", stats_mean(g));
	add_num(o, "median_seconds", stats_median(g));
	return o;
}

static void
pct(double v, char *buf, size_t len)
{
	if (v < 0)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%.1f%%", 100 * v);
}

static void
mins(double secs, char *buf, size_t len)
{
	if (secs < 0)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%.1fm", secs / 60);
}

/* Framework names may come from another machine's export: no escapes. */
static const char *
printable(const char *in, char *buf, size_t len)
{
	size_t i;

	for (i = 0; in[i] && i + 1 < len; i++)
		buf[i] = (unsigned char)in[i] < 0x20 || in[i] == 0x7f ?
		    '?' : in[i];
	buf[i] = '\0';
	return buf;
}

static void
group_line(struct stats_group *g, const char *label, double paper_rate,
		double paper_mean)
{
	char r[16], pr[16], m[16], md[16], pm[16], name[64];
	int total = g->n[SESSION_REPRODUCED] + g->n[SESSION_NOT_REPRODUCED] +
	    g->n[SESSION_ABANDONED];

	pct(stats_rate(g), r, sizeof r);
	pct(paper_rate, pr, sizeof pr);
	mins(stats_mean(g), m, sizeof m);
	mins(stats_median(g), md, sizeof md);
	mins(paper_mean < 0 ? -1 : paper_mean * 60, pm, sizeof pm);
	printf("  %-16.16s %8d %10d %7s %7s %7s %7s %7s\n",
	    printable(label, name, sizeof name), total,
	    g->n[SESSION_REPRODUCED], r, pr, m, md, pm);
}

int
cmd_stats(struct cli *cli, int argc, char **argv)
{
	const struct cli_command *cmd = cli_find("stats");
	int json = 0, rc;
	const struct cli_opt opts[] = {
		{ "json", 0, &json, NULL, NULL },
		{ NULL, 0, NULL, NULL, NULL },
	};
	const struct dl_data *d;
	struct store *st;
	struct stats a;
	size_t i;
	int t, k;

	if ((rc = cli_parse_noargs(cmd, argc, argv, opts)) != 0)
		return rc;
	if (!(d = cli_data(cli)) || !(st = cli_store(cli)))
		return EXIT_FAIL;
	if (stats_collect(st, session_clock_system()->now(NULL), &a) !=
	    DL_OK) {
		rc = cli_fail("stats: %s", error_msg());
		goto out;
	}
	rc = EXIT_OK;
	if (json) {
		cJSON *o = cJSON_CreateObject(), *arr;
		char *txt;

		cJSON_AddItemToObject(o, "overall", group_json(&a.all, NULL));
		arr = cJSON_AddArrayToObject(o, "by_type");
		for (t = 0; t <= TYPE__COUNT; t++) {
			struct stats_group *g = &a.types[t];
			cJSON *x, *acts;
			int nrep = g->n[SESSION_REPRODUCED];

			if (!stats_attempts(g) && !g->n[SESSION_ABANDONED] &&
			    t == TYPE__COUNT)
				continue;
			x = group_json(g, "type");
			add_num(x, "paper_rate", t < TYPE__COUNT ?
			    d->types[t].reproducibility : -1);
			add_num(x, "paper_mean_seconds", t < TYPE__COUNT &&
			    d->types[t].mean_minutes >= 0 ?
			    d->types[t].mean_minutes * 60 : -1);
			add_num(x, "paper_n", t < TYPE__COUNT ?
			    d->tables[t].n : -1);
			acts = cJSON_AddArrayToObject(x, "actions");
			for (k = 0; k < ACT__COUNT; k++) {
				cJSON *y = cJSON_CreateObject();

				cJSON_AddStringToObject(y, "action",
				    d->actions[k].id);
				cJSON_AddNumberToObject(y, "used", g->used[k]);
				add_num(y, "share", nrep ?
				    (double)g->used[k] / nrep : -1);
				add_num(y, "paper", t < TYPE__COUNT ?
				    d->tables[t].action[k] : -1);
				cJSON_AddItemToArray(acts, y);
			}
			cJSON_AddItemToArray(arr, x);
		}
		arr = cJSON_AddArrayToObject(o, "by_framework");
		for (i = 0; i < a.nfw; i++)
			cJSON_AddItemToArray(arr,
			    group_json(&a.fw[i], "framework"));
		txt = cJSON_PrintUnformatted(o);
		puts(txt);
		cJSON_free(txt);
		cJSON_Delete(o);
		goto out;
	}
	printf("Stopped sessions: %d (%d reproduced, %d not reproduced, "
	    "%d abandoned)\n", stats_attempts(&a.all) + a.all.n[SESSION_ABANDONED],
	    a.all.n[SESSION_REPRODUCED], a.all.n[SESSION_NOT_REPRODUCED],
	    a.all.n[SESSION_ABANDONED]);
	printf("Rate: reproduced / (reproduced + not reproduced).\n"
	    "Times: active time of reproduced sessions.\n\n");
	printf("  %-16s %8s %10s %7s %7s %7s %7s %7s\n", "BUG TYPE",
	    "SESSIONS", "REPRODUCED", "RATE", "PAPER", "MEAN", "MEDIAN",
	    "PAPER");
	for (t = 0; t <= TYPE__COUNT; t++) {
		if (t == TYPE__COUNT && !stats_attempts(&a.types[t]) &&
		    !a.types[t].n[SESSION_ABANDONED])
			continue;
		group_line(&a.types[t], t < TYPE__COUNT ? d->types[t].name :
		    "unknown", t < TYPE__COUNT ? d->types[t].reproducibility :
		    -1, t < TYPE__COUNT ? d->types[t].mean_minutes : -1);
	}
	group_line(&a.all, "overall", -1, -1);
	printf("\n  %-16s %8s %10s %7s\n", "FRAMEWORK", "SESSIONS",
	    "REPRODUCED", "RATE");
	for (i = 0; i < a.nfw; i++) {
		struct stats_group *g = &a.fw[i];
		char r[16], name[64];

		pct(stats_rate(g), r, sizeof r);
		printf("  %-16.16s %8d %10d %7s\n",
		    printable(g->name, name, sizeof name), stats_attempts(g) +
		    g->n[SESSION_ABANDONED], g->n[SESSION_REPRODUCED], r);
	}
	/* every line fits 80 columns */
	printf("\nEdit actions: share of reproduced sessions that used each "
	    "one\n(the paper's figure in brackets)\n");
	for (t = 0; t < TYPE__COUNT; t++) {
		struct stats_group *g = &a.types[t];
		int nrep = g->n[SESSION_REPRODUCED];

		if (!nrep)
			continue;
		printf("  %s (n=%d; paper n=%d)\n", d->types[t].name, nrep,
		    d->tables[t].n);
		for (k = 0; k < ACT__COUNT; k++) {
			char s1[16], s2[16];

			pct((double)g->used[k] / nrep, s1, sizeof s1);
			pct(d->tables[t].n ? d->tables[t].action[k] : -1, s2,
			    sizeof s2);
			printf("    %-42s %7s  (%s)\n", d->actions[k].name, s1,
			    s2);
		}
	}
out:
	stats_done(&a);
	return rc;
}
