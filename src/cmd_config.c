/*
 * cmd_config.c - `dlrepro config`: the effective settings and where each
 * comes from (default, config file, environment, option).  Secrets are
 * shown as set/unset, never their value.  Also the quota and backoff state
 * remembered per API when the database already exists (never creates it).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "dlrepro/cli.h"
#include "dlrepro/config.h"
#include "dlrepro/store_api.h"
#include "dlrepro/util.h"

struct row {
	const char *name;
	char *value;
	const char *origin;
};

struct api_out {
	int json;
	cJSON *arr;
};

static int
print_api(const char *base, const char *method, const struct api_state *s,
	  void *arg)
{
	struct api_out *ao = arg;
	double now = now_wall();
	char *b = term_safe(base), *m = term_safe(method);

	if (ao->json) {
		cJSON *o = cJSON_CreateObject();

		cJSON_AddStringToObject(o, "base_url", base);
		cJSON_AddStringToObject(o, "method", method);
		cJSON_AddNumberToObject(o, "wait_seconds",
					s->not_before > now ?
					(double)(int64_t)(s->not_before - now + 0.999) : 0);
		if (s->quota_max >= 0)
			cJSON_AddNumberToObject(o, "quota_max",
						(double)s->quota_max);
		if (s->quota_remaining >= 0)
			cJSON_AddNumberToObject(o, "quota_remaining",
						(double)s->quota_remaining);
		cJSON_AddItemToArray(ao->arr, o);
	} else {
		printf("api %s %s:", b, m);
		if (s->quota_remaining >= 0)
			printf(" quota %lld of %lld left",
			       (long long)s->quota_remaining,
			       (long long)s->quota_max);
		if (s->not_before > now)
			printf("%s requests possible again in %.0f s",
			       s->quota_remaining >= 0 ? "," : "",
			       s->not_before - now + 0.5);
		else if (s->quota_remaining < 0)
			printf(" no wait");
		printf("\n");
	}
	free(b);
	free(m);
	return 0;
}

int
cmd_config(struct cli *cli, int argc, char **argv)
{
	const struct cli_command *cmd = cli_find("config");
	const char *api = NULL, *gh_api = NULL, *site = NULL, *max_age = NULL;
	int json = 0, rc = EXIT_FAIL, k;
	struct strvec pos;
	struct config cfg;
	struct row rows[CONFIG__COUNT + 3];
	size_t nrows = 0, i;
	const char *env_db = getenv("DLREPRO_DB");
	const char *env_data = getenv("DLREPRO_DATADIR");
	char *db;
	const struct cli_opt opts[] = {
		{ "json", 0, &json, NULL, NULL },
		{ "api-base", 1, NULL, &api, NULL },
		{ "github-api", 1, NULL, &gh_api, NULL },
		{ "site", 1, NULL, &site, NULL },
		{ "max-age", 1, NULL, &max_age, NULL },
		{ NULL, 0, NULL, NULL, NULL },
	};

	sv_init(&pos);
	config_init(&cfg);
	if (cli_parse(cmd, argc, argv, opts, &pos) < 0) {
		rc = EXIT_USAGE;
		goto out;
	}
	if (pos.n) {
		rc = cli_usage(cmd, "unexpected argument '%s'", pos.v[0]);
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

	/*
	 * main() sets db_path from --db (or --demo) only; $DLREPRO_DB is
	 * read when the store opens.  Only shown: config creates no folder.
	 */
	db = cli->db_path ? xstrdup(cli->db_path) : store_default_path_peek();
	rows[nrows].name = "database";
	rows[nrows].value = db ? db : xstrdup("(cannot be determined)");
	rows[nrows++].origin = cli->demo || cli->db_path ? "option" :
		env_db && *env_db ? "environment" : "default";
	rows[nrows].name = "data_dir";
	rows[nrows].value = xstrdup(datadir());
	rows[nrows++].origin = env_data && *env_data ? "environment" : "default";
	rows[nrows].name = "config_file";
	rows[nrows].value = xstrdup(cfg.file);
	rows[nrows++].origin = cfg.file_exists ? "exists" : "missing";
	for (k = 0; k < CONFIG__COUNT; k++) {
		const char *v = config_get(&cfg, k);

		rows[nrows].name = config_key_name(k);
		if (config_key_secret(k))
			rows[nrows].value = xstrdup(v ? "set" : "unset");
		else
			rows[nrows].value = xstrdup(v ? v : "");
		rows[nrows++].origin = config_origin_name(cfg.v[k].origin);
	}

	if (json) {
		cJSON *o = cJSON_CreateObject();
		struct api_out ao = { 1, NULL };
		char *s;

		for (i = 0; i < nrows; i++) {
			cJSON *e = cJSON_AddObjectToObject(o, rows[i].name);

			cJSON_AddStringToObject(e, "value", rows[i].value);
			cJSON_AddStringToObject(e, "origin", rows[i].origin);
		}
		ao.arr = cJSON_AddArrayToObject(o, "api_state");
		if (db && access(db, F_OK) == 0) {
			struct store *st = store_open_readonly(db);

			if (st)
				store_api_list(st, print_api, &ao);
			store_close(st);
			error_clear();
		}
		s = cJSON_PrintUnformatted(o);
		puts(s);
		cJSON_free(s);
		cJSON_Delete(o);
	} else {
		struct api_out ao = { 0, NULL };

		for (i = 0; i < nrows; i++) {
			char *v = term_safe(rows[i].value);

			printf("%-13s %s (%s)\n", rows[i].name, v,
			       rows[i].origin);
			free(v);
		}
		if (db && access(db, F_OK) == 0) {
			struct store *st = store_open_readonly(db);

			if (st)
				store_api_list(st, print_api, &ao);
			store_close(st);
			error_clear();
		}
	}
	for (i = 0; i < nrows; i++)
		free(rows[i].value);
	rc = EXIT_OK;
out:
	config_done(&cfg);
	sv_done(&pos);
	return rc;
}
