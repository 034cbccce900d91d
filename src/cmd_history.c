/*
 * cmd_history.c - `dlrepro history [--json] [--type T] [--outcome O]
 * [--since DATE]`: stored sessions, oldest first, with post, type,
 * outcome, active time and the actions ticked at the end.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "dlrepro/cli.h"
#include "dlrepro/session.h"
#include "dlrepro/store_session.h"
#include "dlrepro/util.h"

struct hist {
	const struct dl_data *data;
	int json;		/* --json */
	double now;
	int rows;
	int post_w;		/* width of the post column */
};

/* Post ids and types are ours, but keep terminal output printable. */
static void
put_safe(const char *s, int width)
{
	int n = 0;

	for (; s && *s; s++, n++)
		putchar((unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s);
	for (; n < width; n++)
		putchar(' ');
}

static int
hist_row(struct session *s, void *arg)
{
	struct hist *h = arg;
	double active = session_active_at(s, h->now);
	size_t i;

	h->rows++;
	if (h->json) {
		cJSON *o = session_to_json(s, h->now), *acts;
		char *txt;

		/* A history row is a summary: the log stays in status. */
		cJSON_DeleteItemFromObjectCaseSensitive(o, "events");
		cJSON_DeleteItemFromObjectCaseSensitive(o, "intervals");
		acts = cJSON_AddArrayToObject(o, "actions");
		for (i = 0; i < s->nticks; i++)
			cJSON_AddItemToArray(acts,
			    cJSON_CreateString(s->ticks[i].action));
		cJSON_AddNumberToObject(o, "intervals", (double)s->nintervals);
		/*
		 * One row at a time, not one tree of all: memory stays that
		 * of a session, however long the history.
		 */
		txt = cJSON_PrintUnformatted(o);
		fputs(h->rows > 1 ? "," : "[", stdout);
		fputs(txt, stdout);
		cJSON_free(txt);
		cJSON_Delete(o);
		return 0;
	} else {
		char start[40], dur[32];
		long t = (long)active;

		format_iso8601(s->started, start, sizeof start);
		start[10] = ' ';
		start[16] = '\0';
		snprintf(dur, sizeof dur, "%ld:%02ld:%02ld", t / 3600,
		    t / 60 % 60, t % 60);
		printf("%-5lld %s  ", s->id, start);
		put_safe(s->post, h->post_w);
		printf(" ");
		put_safe(session_bug_type(s) ? session_bug_type(s) : "-", 9);
		printf(" %-15s %9s  ", s->state == SESSION_STOPPED ?
		    session_result_id(s->outcome.result) :
		    session_state_id(s->state), dur);
		for (i = 0; i < s->nticks; i++) {
			int a = data_action_from_id(s->ticks[i].action);

			putchar(a >= 0 ? h->data->actions[a].letter : '?');
		}
		if (!s->nticks)
			putchar('-');
		putchar('\n');
	}
	return 0;
}

int
cmd_history(struct cli *cli, int argc, char **argv)
{
	const struct cli_command *cmd = cli_find("history");
	const char *type = NULL, *outcome = NULL, *since = NULL;
	int json = 0, rc;
	const struct cli_opt opts[] = {
		{ "json", 0, &json, NULL, NULL },
		{ "type", 1, NULL, &type, NULL },
		{ "outcome", 1, NULL, &outcome, NULL },
		{ "since", 1, NULL, &since, NULL },
		{ NULL, 0, NULL, NULL, NULL },
	};
	struct session_filter f;
	struct hist h;
	struct store *st;

	memset(&h, 0, sizeof h);
	session_filter_init(&f);
	if ((rc = cli_parse_noargs(cmd, argc, argv, opts)) != 0)
		return rc;
	if (type && data_type_from_id(type) < 0)
		return cli_usage(cmd, "--type: '%s' is not a bug type (model, tensor, "
		    "training, gpu, api, mixed)", type);
	f.type = type;
	if (outcome && (f.result = session_result_from_id(outcome)) < 0)
		return cli_usage(cmd, "%s: unknown outcome (reproduced, "
		    "not-reproduced, abandoned)", outcome);
	if (since && parse_iso8601(since, &f.since) != DL_OK)
		return cli_usage(cmd, "--since %s", error_msg());
	if (!(h.data = cli_data(cli)) || !(st = cli_store(cli)))
		return EXIT_FAIL;
	h.now = session_clock_system()->now(NULL);
	h.json = json;
	/* the post column as wide as its longest id (gh:, manual:) */
	h.post_w = store_session_post_width(st);
	if (h.post_w < 0)
		return cli_fail_error();
	if (h.post_w < 14)
		h.post_w = 14;
	if (!json)
		printf("%-5s %-16s  %-*s %-9s %-15s %9s  %s\n", "ID",
		    "STARTED (UTC)", h.post_w, "POST", "TYPE", "OUTCOME", "ACTIVE",
		    "ACTIONS");
	rc = store_session_each(st, &f, hist_row, &h);
	/* Even after a failure midway, stdout holds JSON (what was read). */
	if (json)
		puts(h.rows > 0 ? "]" : "[]");
	if (rc != DL_OK)
		return cli_fail("history: %s", error_msg());
	return EXIT_OK;
}
