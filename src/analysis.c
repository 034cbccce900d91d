/*
 * analysis.c - the triage pipeline for one post: body to text, bug type,
 * information categories, the user's corrections laid over the engine's
 * verdict, recommendations and follow-up questions; and its JSON form.
 * analysis_run() is pure; analysis_of_post() adds the store around it.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "dlrepro/analysis.h"
#include "dlrepro/report.h"
#include "dlrepro/util.h"

static const char *const frameworks[ENGINE_FRAMEWORKS] = {
	"generic", "pytorch", "tensorflow", "keras",
};

static int
framework_index(const char *fw)
{
	for (int i = 1; fw != NULL && i < ENGINE_FRAMEWORKS; i++)
		if (strcmp(fw, frameworks[i]) == 0)
			return i;
	return 0;
}

static int
load_questions(struct engine *e, const char *dir)
{
	char *path = xasprintf("%s/questions.json", dir);
	cJSON *root = data_read_json(path, "data file", 4u << 20);
	const cJSON *qs;
	int rc = DL_ERR;

	if (root == NULL)
		goto out;
	qs = cJSON_GetObjectItemCaseSensitive(root, "questions");
	for (int c = 0; c < INFO__COUNT; c++) {
		const cJSON *cat = cJSON_GetObjectItemCaseSensitive(qs,
							infocat_id(c));

		for (int fw = 0; fw < ENGINE_FRAMEWORKS; fw++) {
			const cJSON *q = cJSON_GetObjectItemCaseSensitive(cat,
							frameworks[fw]);

			if (!cJSON_IsString(q)) {
				error_set("%s: questions.%s.%s must be a "
					  "string", path, infocat_id(c),
					  frameworks[fw]);
				goto out;
			}
			e->questions[c][fw] = xstrdup(q->valuestring);
		}
	}
	rc = DL_OK;
out:
	cJSON_Delete(root);
	free(path);
	return rc;
}

/*
 * e->version: the code's version and an FNV-1a fingerprint of the data
 * files in dir that shape a verdict (a missing file counts as such).
 */
static void
engine_fingerprint(struct engine *e, const char *dir)
{
	static const char *const files[] = {
		"classifier.json", "taxonomy.json", "tables.json",
		"questions.json",
	};
	uint64_t h = UINT64_C(1469598103934665603);
	unsigned char buf[16384];

	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		char *path = xasprintf("%s/%s", dir, files[i]);
		FILE *f = fopen(path, "rb");
		size_t n;

		free(path);
		if (f == NULL) {
			h = (h ^ 0xff) * UINT64_C(1099511628211);
			continue;
		}
		while ((n = fread(buf, 1, sizeof buf, f)) > 0)
			for (size_t k = 0; k < n; k++)
				h = (h ^ buf[k]) * UINT64_C(1099511628211);
		fclose(f);
		/* file boundaries count: "ab" + "c" is not "a" + "bc" */
		h = (h ^ 0x1c) * UINT64_C(1099511628211);
	}
	snprintf(e->version, sizeof e->version, "%s/%016llx",
		 ANALYSIS_ENGINE_VERSION, (unsigned long long)h);
}

struct engine *
engine_new(struct dl_data *data, const char *dir)
{
	struct engine *e = xcalloc(1, sizeof *e);

	if (dir == NULL)
		dir = datadir();
	e->data = data;
	e->model = classify_model_load(dir);
	if (e->model == NULL || load_questions(e, dir) != DL_OK) {
		engine_free(e);
		return NULL;
	}
	engine_fingerprint(e, dir);
	return e;
}

void
engine_free(struct engine *e)
{
	if (e == NULL)
		return;
	classify_model_free(e->model);
	for (int c = 0; c < INFO__COUNT; c++)
		for (int fw = 0; fw < ENGINE_FRAMEWORKS; fw++)
			free(e->questions[c][fw]);
	free(e);
}

void
analysis_init(struct analysis *a)
{
	memset(a, 0, sizeof *a);
	text_doc_init(&a->doc);
	sv_init(&a->questions);
	a->corr.type = -1;
}

void
analysis_done(struct analysis *a)
{
	free(a->post_id);
	free(a->title);
	text_doc_done(&a->doc);
	classification_done(&a->cls);
	infocat_result_done(&a->info);
	sv_done(&a->questions);
	memset(a, 0, sizeof *a);
}

/*
 * Edit actions this post itself points at, beyond its type's table: what
 * is missing has to be made up, and some error messages name their fix.
 */
static void
post_hints(struct analysis *a)
{
	static const struct {
		const char *needle;
		int action;
		const char *because;
	} signs[] = {
		{ "ModuleNotFoundError", ACT_IMPORT_ADDITION,
		  "the log shows a missing module" },
		{ "ImportError", ACT_IMPORT_ADDITION,
		  "the log shows an import error" },
		{ "No module named", ACT_IMPORT_ADDITION,
		  "the log shows a missing module" },
		{ "is not defined", ACT_IMPORT_ADDITION,
		  "a name is used but never defined or imported" },
		{ "unexpected keyword argument", ACT_OBSOLETE_PARAMETER_REMOVAL,
		  "a call passes a parameter the API no longer takes" },
		{ "deprecated", ACT_VERSION_MIGRATION,
		  "the post mentions a deprecated API" },
		{ "tf.Session", ACT_VERSION_MIGRATION,
		  "the code uses TensorFlow 1.x's tf.Session" },
		{ "tf.placeholder", ACT_VERSION_MIGRATION,
		  "the code uses TensorFlow 1.x's tf.placeholder" },
		{ "tf.contrib", ACT_VERSION_MIGRATION,
		  "the code uses TensorFlow 1.x's tf.contrib" },
		{ "compat.v1", ACT_VERSION_MIGRATION,
		  "the code uses TensorFlow 1.x's compat.v1" },
		{ "SyntaxError", ACT_COMPILER_ERROR_RESOLUTION,
		  "the code does not parse as posted" },
		{ "IndentationError", ACT_COMPILER_ERROR_RESOLUTION,
		  "the code does not parse as posted" },
		{ "from_pretrained", ACT_MODEL_DOWNLOAD,
		  "a pretrained model or tokenizer must be downloaded" },
		{ "weights='imagenet'", ACT_MODEL_DOWNLOAD,
		  "pretrained ImageNet weights must be downloaded" },
		{ "torch.hub.load", ACT_MODEL_DOWNLOAD,
		  "a model is loaded from a hub" },
		{ "read_csv(", ACT_DATASET_PROCUREMENT,
		  "the code reads a data file that is not in the post" },
		{ "flow_from_directory", ACT_DATASET_PROCUREMENT,
		  "the code reads an image folder that is not in the post" },
		{ "ImageFolder(", ACT_DATASET_PROCUREMENT,
		  "the code reads an image folder that is not in the post" },
	};
	const char *text = a->doc.text ? a->doc.text : "";

	if (!a->present[CAT_DATA])
		recommend_hint(&a->rec, ACT_INPUT_DATA_GENERATION,
			       "the post does not describe its data");
	if (!a->present[CAT_MODEL])
		recommend_hint(&a->rec, ACT_NETWORK_CONSTRUCTION,
			       "the post does not show its model");
	if (!a->present[CAT_HYPERPARAMETERS])
		recommend_hint(&a->rec, ACT_HYPERPARAMETER_INITIALIZATION,
			       "the post gives no hyperparameters");
	if (!a->present[CAT_LOGS])
		recommend_hint(&a->rec, ACT_LOGGING,
			       "the post has no logs or traceback");
	for (size_t i = 0; i < ARRAY_SIZE(signs); i++)
		if (strstr(text, signs[i].needle) != NULL ||
		    (a->title && strstr(a->title, signs[i].needle) != NULL))
			recommend_hint(&a->rec, signs[i].action,
				       signs[i].because);
}

/*
 * A question for each missing category, the ones the type's reproduced
 * bugs needed most first (so the reporter reads the one that matters
 * before the rest).  The environment is outside the paper's tables: it
 * comes first for GPU and API bugs, which turn on driver and library
 * versions, and last for the others.
 */
static void
add_questions(const struct engine *e, struct analysis *a)
{
	int fw = framework_index(a->info.framework), fb, order[CAT__COUNT];
	const struct rule_table *tb = recommend_table(e->data, a->type, &fb);
	const char *env = a->present[INFO_ENVIRONMENT] ? NULL :
			  e->questions[INFO_ENVIRONMENT][fw];
	int env_first = a->type == TYPE_GPU || a->type == TYPE_API;

	for (int c = 0; c < CAT__COUNT; c++) {
		int k = c;

		/* insertion by confidence, ties in category order */
		while (k > 0 && tb->info[order[k - 1]] < tb->info[c]) {
			order[k] = order[k - 1];
			k--;
		}
		order[k] = c;
	}
	if (env != NULL && env_first)
		sv_push(&a->questions, env);
	for (int i = 0; i < CAT__COUNT; i++) {
		int c = order[i];

		if (!a->present[c] && e->questions[c][fw] != NULL)
			sv_push(&a->questions, e->questions[c][fw]);
	}
	if (env != NULL && !env_first)
		sv_push(&a->questions, env);
}

int
analysis_run(const struct engine *e, const struct post *p,
	     const struct corrections *corr, int show_all,
	     struct analysis *a)
{
	struct classify_input in;

	analysis_init(a);
	a->post_id = xstrdup(p->id);
	a->title = xstrdup(p->title ? p->title : "");
	if (corr != NULL)
		a->corr = *corr;
	if (text_from_post(p, &a->doc) != DL_OK)
		return error_prefix("%s: ", p->id ? p->id : "post");
	memset(&in, 0, sizeof in);
	in.title = a->title;
	/* a pasted report titled by its first line: that line is the body's */
	if (p->source == POST_MANUAL &&
	    report_title_repeats_text(a->title, a->doc.text))
		in.title = "";
	in.tags = (const char *const *)p->tags.v;
	in.ntags = p->tags.n;
	in.doc = &a->doc;
	if (classify_post(e->model, e->data, &in, &a->cls) != DL_OK)
		return error_prefix("%s: ", p->id);
	if (infocat_detect(&a->doc, in.title, in.tags, in.ntags, &a->info) !=
	    DL_OK)
		return error_prefix("%s: ", p->id);

	a->type = a->corr.type >= 0 ? a->corr.type : a->cls.type;
	for (int c = 0; c < INFO__COUNT; c++) {
		a->present[c] = a->info.r[c].present;
		if (c < CAT__COUNT && (a->corr.present_mask & (1 << c)))
			a->present[c] = 1;
		if (c < CAT__COUNT && (a->corr.missing_mask & (1 << c)))
			a->present[c] = 0;
	}
	recommend(e->data, a->type, a->present, show_all, &a->rec);
	post_hints(a);
	add_questions(e, a);
	return DL_OK;
}

static int
engine_mask(const struct analysis *a)
{
	int m = 0;

	for (int c = 0; c < CAT__COUNT; c++)
		if (a->info.r[c].present)
			m |= 1 << c;
	return m;
}

int
analysis_of_post(const struct engine *e, struct store *st, const char *id,
		 int show_all, struct analysis *out)
{
	struct post p;
	struct corrections corr = { -1, 0, 0 };
	char *ctype = NULL, *version = NULL, *json;
	int rc;

	analysis_init(out);
	rc = store_post_get(st, id, &p);
	if (rc == DL_NOTFOUND)
		return error_set("%s: no such post in the database", id);
	if (rc != DL_OK)
		return DL_ERR;
	if (store_corrections_get(st, id, &ctype, &corr.present_mask,
				  &corr.missing_mask) == DL_ERR)
		goto fail;
	corr.type = ctype != NULL ? data_type_from_id(ctype) : -1;
	free(ctype);
	if (analysis_run(e, &p, &corr, show_all, out) != DL_OK)
		goto fail;
	rc = store_analysis_get(st, id, &version, NULL);
	if (rc == DL_ERR)
		goto fail;
	if (rc == DL_NOTFOUND ||
	    strcmp(version, e->version) != 0) {
		json = analysis_to_json(e, out);
		/* A cached verdict: recomputable, so no wait for the disk. */
		if (store_begin_derived(st) != DL_OK) {
			free(json);
			goto fail;
		}
		if (store_post_set_text(st, id, out->doc.text) != DL_OK ||
		    store_analysis_put(st, id, e->version,
				       data_type_id(out->cls.type),
				       out->cls.confidence,
				       classify_method_name(out->cls.method),
				       engine_mask(out), json) != DL_OK) {
			store_rollback(st);
			free(json);
			goto fail;
		}
		free(json);
		if (store_commit(st) != DL_OK)
			goto fail;
	}
	free(version);
	post_done(&p);
	return DL_OK;
fail:
	free(version);
	post_done(&p);
	return DL_ERR;
}

int
analysis_refresh(const struct engine *e, struct store *st, int outdated_only,
		 size_t *done)
{
	struct strvec ids;
	int rc = DL_OK;

	*done = 0;
	sv_init(&ids);
	if (store_analysis_stale(st, e->version, outdated_only, &ids) != DL_OK) {
		sv_done(&ids);
		return DL_ERR;
	}
	/* Batches: one commit (one fsync) per few hundred posts. */
	for (size_t i = 0; i < ids.n && rc == DL_OK; i += 256) {
		if (store_begin_derived(st) != DL_OK) {
			rc = DL_ERR;
			break;
		}
		for (size_t j = i; j < ids.n && j < i + 256; j++) {
			struct analysis a;

			rc = analysis_of_post(e, st, ids.v[j], 0, &a);
			analysis_done(&a);
			if (rc != DL_OK)
				break;
		}
		if (rc != DL_OK) {
			store_rollback(st);
			break;
		}
		if (store_commit(st) != DL_OK) {
			rc = DL_ERR;
			break;
		}
		*done = i + 256 < ids.n ? i + 256 : ids.n;
	}
	sv_done(&ids);
	return rc;
}

/* ---- JSON ---- */

/* Confidences print with four decimals, like the paper's tables. */
static cJSON *
conf_number(double v)
{
	char buf[32];

	snprintf(buf, sizeof buf, "%.4f", v);
	return cJSON_CreateNumber(strtod(buf, NULL));
}

static cJSON *
spans_json(const struct info_result *r)
{
	cJSON *arr = cJSON_CreateArray();

	for (size_t i = 0; i < r->nspans; i++) {
		cJSON *o = cJSON_CreateObject();

		cJSON_AddNumberToObject(o, "start", (double)r->spans[i].start);
		cJSON_AddNumberToObject(o, "end", (double)r->spans[i].end);
		cJSON_AddStringToObject(o, "text",
					r->spans[i].text ? r->spans[i].text : "");
		if (r->spans[i].why != NULL)
			cJSON_AddStringToObject(o, "why", r->spans[i].why);
		cJSON_AddItemToArray(arr, o);
	}
	return arr;
}

char *
analysis_to_json(const struct engine *e, const struct analysis *a)
{
	const struct dl_data *d = e->data;
	cJSON *o = cJSON_CreateObject(), *x, *arr, *rec;
	char *s, *out;

	cJSON_AddStringToObject(o, "id", a->post_id);
	cJSON_AddStringToObject(o, "title", a->title);
	cJSON_AddStringToObject(o, "type", data_type_id(a->type));
	cJSON_AddItemToObject(o, "confidence", conf_number(a->cls.confidence));
	cJSON_AddStringToObject(o, "method",
				classify_method_name(a->cls.method));
	if (a->corr.type >= 0) {
		cJSON_AddStringToObject(o, "engine_type",
					data_type_id(a->cls.type));
		cJSON_AddBoolToObject(o, "type_corrected", 1);
	} else {
		cJSON_AddBoolToObject(o, "type_corrected", 0);
	}
	x = cJSON_AddObjectToObject(o, "scores");
	for (int t = 0; t < TYPE__SINGLE; t++)
		cJSON_AddItemToObject(x, data_type_id(t),
				      conf_number(a->cls.scores[t]));
	arr = cJSON_AddArrayToObject(o, "evidence");
	for (size_t i = 0; i < a->cls.nevidence; i++) {
		const struct classify_evidence *ev = &a->cls.evidence[i];
		cJSON *eo = cJSON_CreateObject();

		cJSON_AddStringToObject(eo, "where", ev->where ? ev->where : "");
		cJSON_AddStringToObject(eo, "text", ev->text ? ev->text : "");
		cJSON_AddStringToObject(eo, "type", data_type_id(ev->type));
		if (ev->why != NULL)
			cJSON_AddStringToObject(eo, "why", ev->why);
		if (ev->end > ev->start) {
			cJSON_AddNumberToObject(eo, "start", (double)ev->start);
			cJSON_AddNumberToObject(eo, "end", (double)ev->end);
		}
		cJSON_AddItemToArray(arr, eo);
	}
	x = cJSON_AddObjectToObject(o, "info");
	for (int c = 0; c < INFO__COUNT; c++) {
		cJSON *co = cJSON_CreateObject();
		int corrected = c < CAT__COUNT &&
			((a->corr.present_mask | a->corr.missing_mask) &
			 (1 << c));

		cJSON_AddBoolToObject(co, "present", a->present[c]);
		if (corrected)
			cJSON_AddBoolToObject(co, "corrected", 1);
		cJSON_AddItemToObject(co, "evidence",
				      spans_json(&a->info.r[c]));
		cJSON_AddItemToObject(x, infocat_id(c), co);
	}
	if (a->info.framework != NULL)
		cJSON_AddStringToObject(o, "framework", a->info.framework);
	else
		cJSON_AddNullToObject(o, "framework");
	arr = cJSON_AddArrayToObject(o, "missing");
	for (int c = 0; c < CAT__COUNT; c++)
		if (!a->present[c])
			cJSON_AddItemToArray(arr,
					     cJSON_CreateString(data_cat_id(c)));
	rec = cJSON_AddObjectToObject(o, "recommend");
	cJSON_AddStringToObject(rec, "type", data_type_id(a->rec.type));
	cJSON_AddNumberToObject(rec, "n", a->rec.n);
	cJSON_AddBoolToObject(rec, "fallback", a->rec.fallback);
	if (a->rec.fallback)
		cJSON_AddNumberToObject(rec, "type_n", a->rec.type_n);
	cJSON_AddItemToObject(rec, "threshold", conf_number(d->threshold));
	arr = cJSON_AddArrayToObject(rec, "info");
	for (size_t i = 0; i < a->rec.ninfo; i++) {
		cJSON *io = cJSON_CreateObject();

		cJSON_AddStringToObject(io, "category",
					data_cat_id(a->rec.info[i].id));
		cJSON_AddItemToObject(io, "confidence",
				      conf_number(a->rec.info[i].confidence));
		cJSON_AddBoolToObject(io, "present", a->rec.info[i].present);
		cJSON_AddItemToArray(arr, io);
	}
	arr = cJSON_AddArrayToObject(rec, "actions");
	for (size_t i = 0; i < a->rec.nactions; i++) {
		cJSON *ao = cJSON_CreateObject();

		cJSON_AddStringToObject(ao, "action",
					data_action_id(a->rec.actions[i].id));
		cJSON_AddItemToObject(ao, "confidence",
				      conf_number(a->rec.actions[i].confidence));
		cJSON_AddItemToArray(arr, ao);
	}
	arr = cJSON_AddArrayToObject(rec, "indicated");
	for (size_t i = 0; i < a->rec.nhints; i++) {
		cJSON *ho = cJSON_CreateObject();

		cJSON_AddStringToObject(ho, "action",
					data_action_id(a->rec.hints[i].action));
		cJSON_AddStringToObject(ho, "because", a->rec.hints[i].because);
		cJSON_AddItemToArray(arr, ho);
	}
	arr = cJSON_AddArrayToObject(o, "questions");
	for (size_t i = 0; i < a->questions.n; i++)
		cJSON_AddItemToArray(arr, cJSON_CreateString(a->questions.v[i]));
	s = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	if (s == NULL)
		fatal("out of memory");
	out = xstrdup(s);
	cJSON_free(s);
	return out;
}
