/*
 * cmd_list.c - `dlrepro list`: every stored post (no default limit), with
 * filters and sort orders from the same query the dashboard pages through.
 * --json prints one object per line and nothing else on stdout.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "dlrepro/analysis.h"
#include "dlrepro/cli.h"
#include "dlrepro/text.h"
#include "dlrepro/util.h"

struct list_out {
	int json;
	struct dl_data *data;
	long rows;		/* printed so far */
	int id_w;		/* width of the id column */
};

/*
 * Text goes through the sanitiser again on the way out: new data is clean
 * already, but a database of an older version may hold it raw.
 */
static cJSON *
clean_string(const char *s)
{
	char *t = text_sanitize(s ? s : "", s ? strlen(s) : 0);
	cJSON *v = cJSON_CreateString(t);

	free(t);
	return v;
}

static void
print_json(const struct post_row *r)
{
	cJSON *o = cJSON_CreateObject();
	cJSON *tags = cJSON_AddArrayToObject(o, "tags");
	cJSON *missing;
	char *s;

	cJSON_AddItemToObject(o, "id", clean_string(r->id));
	cJSON_AddItemToObject(o, "title", clean_string(r->title));
	for (size_t i = 0; i < r->tags.n; i++)
		cJSON_AddItemToArray(tags, clean_string(r->tags.v[i]));
	cJSON_AddNumberToObject(o, "score", (double)r->score);
	cJSON_AddNumberToObject(o, "created_at", (double)r->created_at);
	if (r->type != NULL)
		cJSON_AddItemToObject(o, "type", clean_string(r->type));
	else
		cJSON_AddNullToObject(o, "type");
	cJSON_AddBoolToObject(o, "type_corrected", r->type_corrected);
	if (r->info_known) {
		missing = cJSON_AddArrayToObject(o, "missing");
		for (int c = 0; c < CAT__COUNT; c++)
			if (!(r->info_mask & (1 << c)))
				cJSON_AddItemToArray(missing,
					cJSON_CreateString(data_cat_id(c)));
	} else {
		cJSON_AddNullToObject(o, "missing");
	}
	cJSON_AddStringToObject(o, "triage", store_triage_name(r->triage));
	cJSON_AddNumberToObject(o, "sessions", r->session_count);
	s = cJSON_PrintUnformatted(o);
	puts(s);
	cJSON_free(s);
	cJSON_Delete(o);
}

static void
print_text(const struct post_row *r, const struct dl_data *d, int id_w)
{
	char marks[CAT__COUNT + 1];
	const char *badge = "---";
	char *title = term_safe(r->title), *id = term_safe(r->id);
	int t = r->type ? data_type_from_id(r->type) : -1;

	if (t >= 0 && d != NULL)
		badge = d->types[t].abbrev;
	for (int c = 0; c < CAT__COUNT; c++) {
		char l = d ? d->cats[c].letter : "DMHCL"[c];

		marks[c] = !r->info_known ? '.'
			   : (r->info_mask & (1 << c)) ? l : '-';
	}
	marks[CAT__COUNT] = '\0';
	printf("%-*s %-3s%s %s %6lld  %s", id_w, id, badge,
	       r->type_corrected ? "*" : " ", marks, (long long)r->score,
	       title);
	if (r->tags.n > 0) {
		fputs("  [", stdout);
		for (size_t i = 0; i < r->tags.n; i++) {
			char *tag = term_safe(r->tags.v[i]);

			printf("%s%s", i ? " " : "", tag);
			free(tag);
		}
		fputc(']', stdout);
	}
	fputc('\n', stdout);
	free(title);
	free(id);
}

static int
emit(const struct post_row *r, void *arg)
{
	struct list_out *o = arg;

	o->rows++;
	if (o->json)
		print_json(r);
	else
		print_text(r, o->data, o->id_w);
	return 0;
}

/*
 * Verdicts stored by another engine (an older dlrepro, a retrained model)
 * are redone before listing, as import, fetch and the dashboard do, so
 * that --type, --missing and the badges say what analyze would.  Posts
 * never analysed (import --no-analyze, placeholders of imported sessions)
 * stay so: listing is no time to analyse a whole import.  Listing does
 * not depend on it: without the data files, or when the database refuses
 * the write, the stored verdicts are shown, with one warning.
 */
static void
refresh_verdicts(struct store *st, struct dl_data *d)
{
	struct engine *e;
	size_t n = 0;

	if (d == NULL || (e = engine_new(d, NULL)) == NULL) {
		cli_fail("list: verdicts not refreshed: %s", error_msg());
		error_clear();
		return;
	}
	if (analysis_refresh(e, st, 1, &n) != DL_OK) {
		cli_fail("list: verdicts not refreshed: %s", error_msg());
		error_clear();
	} else if (n > 0) {
		fprintf(stderr, "dlrepro: analysed %zu post%s\n", n,
			n == 1 ? "" : "s");
	}
	engine_free(e);
}

static int
parse_sort(const char *s, struct post_query *q)
{
	static const struct {
		const char *name;
		enum post_sort sort;
	} sorts[] = {
		{ "id", POST_SORT_ID },
		{ "score", POST_SORT_SCORE },
		{ "created", POST_SORT_CREATED },
		{ "title", POST_SORT_TITLE },
	};

	for (size_t i = 0; i < ARRAY_SIZE(sorts); i++)
		if (strcmp(s, sorts[i].name) == 0) {
			q->sort = sorts[i].sort;
			return DL_OK;
		}
	return error_set("'%s' is not a sort key (id, score, created, title)",
			 s);
}

int
cmd_list(struct cli *cli, int argc, char **argv)
{
	const struct cli_command *cmd = cli_find("list");
	const char *limit = NULL, *type = NULL, *missing = NULL, *search = NULL;
	const char *sort = NULL, *triage = NULL;
	int json = 0, desc = 0;
	char *quoted = NULL;
	const struct cli_opt opts[] = {
		{ "json", 0, &json, NULL, NULL },
		{ "limit", 1, NULL, &limit, NULL },
		{ "type", 1, NULL, &type, NULL },
		{ "missing", 1, NULL, &missing, NULL },
		{ "search", 1, NULL, &search, NULL },
		{ "sort", 1, NULL, &sort, NULL },
		{ "desc", 0, &desc, NULL, NULL },
		{ "triage", 1, NULL, &triage, NULL },
		{ NULL, 0, NULL, NULL, NULL },
	};
	struct strvec args;
	struct post_query q;
	struct list_out out = { 0, NULL, 0, 16 };
	struct store *st;
	int rc = EXIT_USAGE;

	sv_init(&args);
	post_query_init(&q);
	if (cli_parse(cmd, argc, argv, opts, &args) != 0)
		goto out;
	if (args.n > 0) {
		cli_usage(cmd, "unexpected argument '%s'", args.v[0]);
		goto out;
	}
	if (limit != NULL && (parse_int64(limit, &q.limit) != DL_OK ||
			      q.limit < 1)) {
		cli_usage(cmd, "--limit: '%s' is not a positive number", limit);
		goto out;
	}
	if (type != NULL && data_type_from_id(type) < 0) {
		cli_usage(cmd, "--type: '%s' is not a bug type (model, tensor, "
			       "training, gpu, api, mixed)", type);
		goto out;
	}
	q.type = type;
	if (missing != NULL &&
	    (q.missing_cat = data_cat_from_id(missing)) < 0) {
		cli_usage(cmd, "--missing: '%s' is not a category (data, model, "
			       "hyperparameters, code, logs)", missing);
		goto out;
	}
	if (triage != NULL) {
		enum store_triage t;

		if (store_triage_from_name(triage, &t) != DL_OK) {
			cli_usage(cmd, "--triage: %s", error_msg());
			goto out;
		}
		q.triage = (int)t;
	}
	if (sort != NULL && parse_sort(sort, &q) != DL_OK) {
		cli_usage(cmd, "--sort: %s", error_msg());
		goto out;
	}
	q.descending = desc;
	q.fts = search;
	rc = EXIT_FAIL;
	if ((st = cli_store(cli)) == NULL)
		goto out;
	out.json = json;
	/* the id column as wide as the longest id (gh:, manual:) */
	out.id_w = json ? 0 : store_post_id_width(st);
	if (out.id_w < 0) {
		cli_fail_error();
		goto out;
	}
	if (out.id_w < 16)
		out.id_w = 16;
	out.data = data_load(NULL);	/* optional: see refresh_verdicts() */
	refresh_verdicts(st, out.data);
	/*
	 * --search is an FTS5 query (AND, OR, "phrases", prefix*); text that
	 * is no valid query ("tf.keras", "cuda:0") is searched word by word,
	 * as the dashboard's / does.  SQLite finds a query invalid on the
	 * first step, before any row is printed, so the retry never repeats
	 * a line (and a search costs one query, not a count first).
	 */
	if (store_post_list(st, &q, emit, &out) != DL_OK) {
		if (search == NULL || out.rows > 0 ||
		    strstr(error_msg(), "is not a valid search") == NULL ||
		    (quoted = store_fts_quote(search)) == NULL) {
			cli_fail("list: %s", error_msg());
			goto out;
		}
		error_clear();
		q.fts = quoted;
		if (store_post_list(st, &q, emit, &out) != DL_OK) {
			cli_fail("list: %s", error_msg());
			goto out;
		}
	}
	rc = EXIT_OK;
out:
	free(quoted);
	data_free(out.data);
	sv_done(&args);
	return rc;
}
