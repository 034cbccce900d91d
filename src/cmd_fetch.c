/*
 * cmd_fetch.c - `dlrepro fetch`: posts by id or URL, GitHub issues, or the
 * paper's search, into the store.  Settings come from the config file and
 * the environment (secrets only from there), options override the rest.
 * Warnings and progress go to stderr, the summary to stdout.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "dlrepro/cli.h"
#include "dlrepro/config.h"
#include "dlrepro/fetch.h"
#include "dlrepro/util.h"

struct fetch_cli {
	int progress;		/* stderr is a terminal */
};

static void
on_note(void *arg, enum fetch_note_kind kind, const char *msg)
{
	struct fetch_cli *fc = arg;
	char *safe;

	if (kind == FETCH_NOTE_PROGRESS && !fc->progress)
		return;
	safe = term_safe(msg);
	fprintf(stderr, "dlrepro: %s\n", safe);
	free(safe);
}

/* Unix seconds of YYYY-MM-DD (start of day UTC), plus end_of_day. */
static int
parse_day(const char *s, int end_of_day, int64_t *out)
{
	double t;

	if (strlen(s) != 10 || parse_iso8601(s, &t) != DL_OK)
		return error_set("'%s' is not a date (want YYYY-MM-DD)", s);
	*out = (int64_t)t + (end_of_day ? 86399 : 0);
	return DL_OK;
}

/* The same calendar day three years before now, UTC. */
static int64_t
three_years_ago(void)
{
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	tm.tm_year -= 3;
	return (int64_t)timegm(&tm);
}

static void
print_summary(const struct fetch_stats *s, int search, int json)
{
	int c;

	if (json) {
		cJSON *o = cJSON_CreateObject(), *d;
		char *out;

		cJSON_AddNumberToObject(o, "asked", s->asked);
		cJSON_AddNumberToObject(o, "stored", s->stored);
		cJSON_AddNumberToObject(o, "fresh", s->fresh);
		cJSON_AddNumberToObject(o, "not_found", s->not_found);
		cJSON_AddNumberToObject(o, "answers", s->answers);
		cJSON_AddNumberToObject(o, "requests", s->requests);
		if (search) {
			cJSON_AddNumberToObject(o, "seen", s->seen);
			cJSON_AddNumberToObject(o, "kept", s->kept);
			cJSON_AddNumberToObject(o, "over_max", s->over_max);
			d = cJSON_AddObjectToObject(o, "dropped");
			for (c = SE_KEEP + 1; c < SE_CRITERION__COUNT; c++)
				cJSON_AddNumberToObject(d, se_criterion_name(c),
							s->dropped[c]);
		}
		if (s->quota_remaining >= 0) {
			cJSON_AddNumberToObject(o, "quota_remaining",
						(double)s->quota_remaining);
			cJSON_AddNumberToObject(o, "quota_max",
						(double)s->quota_max);
		}
		out = cJSON_PrintUnformatted(o);
		puts(out);
		cJSON_free(out);
		cJSON_Delete(o);
		return;
	}
	/* hits = kept + dropped + over --max; posts named count apart */
	if (!search || s->asked > 0) {
		int n = s->stored - s->kept;

		printf("fetched %d post%s", n, n == 1 ? "" : "s");
		if (s->fresh)
			printf(", %d already fresh", s->fresh);
		if (s->not_found)
			printf(", %d not found", s->not_found);
		printf("\n");
	}
	if (search) {
		int dropped = 0;

		for (c = SE_KEEP + 1; c < SE_CRITERION__COUNT; c++)
			dropped += s->dropped[c];
		printf("search: %d hit%s, %d kept, %d dropped (", s->seen,
		       s->seen == 1 ? "" : "s", s->kept, dropped);
		for (c = SE_KEEP + 1; c < SE_CRITERION__COUNT; c++)
			printf("%s%s %d", c > SE_KEEP + 1 ? ", " : "",
			       se_criterion_name(c), s->dropped[c]);
		printf(")");
		if (s->over_max)
			printf(", %d past --max", s->over_max);
		printf("\n");
	}
	if (s->answers)
		printf("stored %d accepted answer%s\n", s->answers,
		       s->answers == 1 ? "" : "s");
	if (s->quota_remaining >= 0)
		printf("Stack Exchange quota: %lld of %lld requests left\n",
		       (long long)s->quota_remaining, (long long)s->quota_max);
}

int
cmd_fetch(struct cli *cli, int argc, char **argv)
{
	const struct cli_command *cmd = cli_find("fetch");
	const char *site = NULL, *api = NULL, *gh_api = NULL, *max_age = NULL;
	const char *from = NULL, *to = NULL, *max = NULL, *key = NULL;
	const char *token = NULL;
	int refresh = 0, answers = 0, search = 0, json = 0, rc = EXIT_FAIL;
	struct strvec pos, gh, tagged;
	struct config cfg;
	struct fetch_opts o;
	struct fetch_cli fc;
	struct fetch_job *job = NULL;
	struct store *st;
	int64_t secs;
	size_t i;
	const struct cli_opt opts[] = {
		{ "site", 1, NULL, &site, NULL },
		{ "api-base", 1, NULL, &api, NULL },
		{ "github-api", 1, NULL, &gh_api, NULL },
		{ "github", 1, NULL, NULL, &gh },
		{ "max-age", 1, NULL, &max_age, NULL },
		{ "refresh", 0, &refresh, NULL, NULL },
		{ "with-answers", 0, &answers, NULL, NULL },
		{ "search", 0, &search, NULL, NULL },
		{ "tagged", 1, NULL, NULL, &tagged },
		{ "from", 1, NULL, &from, NULL },
		{ "to", 1, NULL, &to, NULL },
		{ "max", 1, NULL, &max, NULL },
		{ "json", 0, &json, NULL, NULL },
		/* Recognised only to refuse them with a clear reason. */
		{ "key", 1, NULL, &key, NULL },
		{ "token", 1, NULL, &token, NULL },
		{ NULL, 0, NULL, NULL, NULL },
	};

	sv_init(&pos);
	sv_init(&gh);
	sv_init(&tagged);
	config_init(&cfg);
	if (cli_parse(cmd, argc, argv, opts, &pos) < 0) {
		rc = EXIT_USAGE;
		goto out;
	}
	if (key || token) {
		rc = cli_usage(cmd, "--%s: secrets are never taken from the "
			       "command line; set %s or put %s in the config "
			       "file", key ? "key" : "token",
			       key ? "DLREPRO_SE_KEY" : "GITHUB_TOKEN",
			       key ? "se_key" : "github_token");
		goto out;
	}
	if (config_load(&cfg, NULL) != DL_OK) {
		rc = cli_fail_error();
		goto out;
	}
	if (config_set_options(&cfg, api, gh_api, site, max_age) != DL_OK) {
		rc = cli_usage(cmd, "%s", error_msg());
		goto out;
	}
	if (!search && (tagged.n || from || to || max)) {
		rc = cli_usage(cmd, "--tagged, --from, --to and --max need "
			       "--search");
		goto out;
	}
	if (!search && pos.n == 0 && gh.n == 0) {
		rc = cli_usage(cmd, "nothing to fetch: name ids or URLs, "
			       "--github OWNER/REPO#N, or --search");
		goto out;
	}

	fetch_opts_init(&o);
	o.se_api = config_get(&cfg, CONFIG_SE_API);
	o.github_api = config_get(&cfg, CONFIG_GITHUB_API);
	o.site = config_get(&cfg, CONFIG_SITE);
	o.se_key = config_get(&cfg, CONFIG_SE_KEY);
	o.github_token = config_get(&cfg, CONFIG_GITHUB_TOKEN);
	parse_duration(config_get(&cfg, CONFIG_MAX_AGE), &secs);
	o.max_age = secs;
	o.refresh = refresh;
	o.with_answers = answers;
	fc.progress = isatty(STDERR_FILENO);
	o.note = on_note;
	o.note_arg = &fc;
	if (search) {
		for (i = 0; i < tagged.n; i++) {
			enum se_framework f;

			if (se_framework_from_name(tagged.v[i], &f) != DL_OK) {
				rc = cli_usage(cmd, "--tagged: %s", error_msg());
				goto out;
			}
			o.frameworks |= 1u << f;
		}
		if (!o.frameworks)
			o.frameworks = (1u << SE_FW__COUNT) - 1;
		o.to = (int64_t)now_wall();
		o.from = three_years_ago();
		if ((from && parse_day(from, 0, &o.from) != DL_OK) ||
		    (to && parse_day(to, 1, &o.to) != DL_OK)) {
			rc = cli_usage(cmd, "%s", error_msg());
			goto out;
		}
		if (o.from > o.to) {
			rc = cli_usage(cmd, "--from is after --to");
			goto out;
		}
		/* the API takes Unix seconds: nothing was asked before 1970 */
		if (o.from < 0)
			o.from = 0;
		if (o.to < 0) {
			rc = cli_usage(cmd, "--to %s is before 1970", to);
			goto out;
		}
		if (max && (parse_int64(max, &o.max) != DL_OK || o.max < 1)) {
			rc = cli_usage(cmd, "--max: '%s' is not a positive "
				       "number", max);
			goto out;
		}
	}

	/* Parse every target before touching the network or the store. */
	{
		struct fetch_target *ts = xcalloc(pos.n + gh.n + 1, sizeof(*ts));
		size_t n = 0;
		int bad = 0;

		for (i = 0; i < pos.n && !bad; i++)
			if (fetch_target_parse(pos.v[i], o.site, &ts[n]) != DL_OK)
				bad = 1;
			else
				n++;
		for (i = 0; i < gh.n && !bad; i++) {
			char *ref = strncmp(gh.v[i], "gh:", 3) &&
				    !strstr(gh.v[i], "://") ?
				    xasprintf("gh:%s", gh.v[i]) :
				    xstrdup(gh.v[i]);

			if (fetch_target_parse(ref, o.site, &ts[n]) != DL_OK ||
			    ts[n].kind != FETCH_TARGET_GH) {
				if (ts[n].id)
					error_set("--github: '%s' is not a "
						  "GitHub issue", gh.v[i]);
				fetch_target_done(&ts[n]);
				bad = 1;
			} else {
				n++;
			}
			free(ref);
		}
		if (bad) {
			char *m = xstrdup(error_msg());

			for (i = 0; i < n; i++)
				fetch_target_done(&ts[i]);
			free(ts);
			rc = cli_usage(cmd, "%s", m);
			free(m);
			goto out;
		}
		if ((st = cli_store(cli)) == NULL) {
			for (i = 0; i < n; i++)
				fetch_target_done(&ts[i]);
			free(ts);
			goto out;
		}
		job = fetch_job_new(st, &o);
		for (i = 0; i < n; i++) {
			fetch_job_add(job, &ts[i]);
			fetch_target_done(&ts[i]);
		}
		free(ts);
	}
	if (fetch_job_run(job) != DL_OK) {
		/* The cause may quote the server: keep the terminal safe. */
		char *safe = term_safe(fetch_job_error(job));

		rc = cli_fail("%s", safe);
		free(safe);
		/* Batches stored before the failure stay; analyse them. */
		cli_analyze_stale(cli, st, 1);
		goto out;
	}
	print_summary(fetch_job_stats(job), search, json);
	rc = cli_analyze_stale(cli, st, 1) == DL_OK ? EXIT_OK : EXIT_FAIL;
out:
	fetch_job_free(job);
	config_done(&cfg);
	sv_done(&pos);
	sv_done(&gh);
	sv_done(&tagged);
	return rc;
}
