/*
 * data.c - loads the taxonomy (types, categories, actions) and the rule
 * tables from JSON files in the data directory.  The files are checked
 * strictly: ids must appear in the program's order, confidences must lie in
 * [0,1]; any problem names the file and the field.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>

#include "dlrepro/data.h"
#include "dlrepro/util.h"

static const char *const type_ids[TYPE__COUNT] = {
	"model", "tensor", "training", "gpu", "api", "mixed",
};
static const char *const cat_ids[CAT__COUNT] = {
	"data", "model", "hyperparameters", "code", "logs",
};
static const char *const action_ids[ACT__COUNT] = {
	"input-data-generation", "network-construction",
	"hyperparameter-initialization", "import-addition", "logging",
	"obsolete-parameter-removal", "compiler-error-resolution",
	"dataset-procurement", "model-download", "version-migration",
};

static int
find_id(const char *const *ids, int n, const char *id)
{
	for (int i = 0; id != NULL && i < n; i++)
		if (strcmp(ids[i], id) == 0)
			return i;
	return -1;
}

int
data_type_from_id(const char *id)
{
	return find_id(type_ids, TYPE__COUNT, id);
}

int
data_cat_from_id(const char *id)
{
	return find_id(cat_ids, CAT__COUNT, id);
}

int
data_action_from_id(const char *id)
{
	return find_id(action_ids, ACT__COUNT, id);
}

const char *
data_type_id(int type)
{
	return type >= 0 && type < TYPE__COUNT ? type_ids[type] : "?";
}

const char *
data_cat_id(int cat)
{
	return cat >= 0 && cat < CAT__COUNT ? cat_ids[cat] : "?";
}

const char *
data_action_id(int act)
{
	return act >= 0 && act < ACT__COUNT ? action_ids[act] : "?";
}

cJSON *
data_read_json(const char *path, const char *what, size_t max)
{
	FILE *f = fopen(path, "rb");
	struct strbuf sb;
	char buf[8192];
	size_t n;
	cJSON *root = NULL;

	if (f == NULL) {
		error_set("%s: cannot read %s: %s", path, what,
			  strerror(errno));
		return NULL;
	}
	sb_init(&sb);
	while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
		sb_add(&sb, buf, n);
		if (sb.len > max) {
			error_set("%s: %s too large (over %zu bytes)", path,
				  what, max);
			goto out;
		}
	}
	if (ferror(f)) {
		error_set("%s: cannot read %s", path, what);
		goto out;
	}
	root = cJSON_ParseWithLength(sb.s, sb.len);
	if (root == NULL) {
		const char *at = cJSON_GetErrorPtr();
		size_t off = at && at >= sb.s && at <= sb.s + sb.len
				     ? (size_t)(at - sb.s) : sb.len;

		error_set("%s: malformed JSON near byte %zu", path, off);
	}
out:
	fclose(f);
	sb_done(&sb);
	return root;
}

/* dir/name parsed; *path_out is set for messages (caller frees). */
static cJSON *
load_json(const char *dir, const char *name, char **path_out)
{
	*path_out = xasprintf("%s/%s", dir, name);
	return data_read_json(*path_out, "data file", 16u << 20);
}

static const char *
get_str(const cJSON *obj, const char *name, const char *where, int *bad)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);

	if (!cJSON_IsString(v)) {
		if (!*bad)
			error_set("%s: '%s' must be a string", where, name);
		*bad = 1;
		return "";
	}
	return v->valuestring;
}

static double
get_num(const cJSON *obj, const char *name, const char *where, int *bad,
	int nullable)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);

	if (nullable && (v == NULL || cJSON_IsNull(v)))
		return -1;
	if (!cJSON_IsNumber(v)) {
		if (!*bad)
			error_set("%s: '%s' must be a number", where, name);
		*bad = 1;
		return 0;
	}
	return v->valuedouble;
}

static const cJSON *
get_array(const cJSON *root, const char *name, int count, const char *path,
	  int *bad)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(root, name);

	if (!cJSON_IsArray(a) || cJSON_GetArraySize(a) != count) {
		if (!*bad)
			error_set("%s: '%s' must be an array of %d entries",
				  path, name, count);
		*bad = 1;
		return NULL;
	}
	return a;
}

static int
check_id(const cJSON *item, const char *expect, const char *where, int *bad)
{
	const char *id = get_str(item, "id", where, bad);

	if (!*bad && strcmp(id, expect) != 0) {
		error_set("%s: id '%s' found where '%s' was expected", where,
			  id, expect);
		*bad = 1;
	}
	return !*bad;
}

static char
get_letter(const cJSON *item, const char *where, int *bad)
{
	const char *l = get_str(item, "letter", where, bad);

	if (!*bad && strlen(l) != 1) {
		error_set("%s: 'letter' must be one character", where);
		*bad = 1;
	}
	return *bad ? '?' : l[0];
}

static int
load_taxonomy(struct dl_data *d, const char *dir)
{
	char *path, where[512];
	cJSON *root = load_json(dir, "taxonomy.json", &path);
	const cJSON *a, *it, *tags, *t;
	int bad = 0, i;

	if (root == NULL)
		goto out;
	a = get_array(root, "types", TYPE__COUNT, path, &bad);
	i = 0;
	cJSON_ArrayForEach(it, a) {
		struct type_info *ti = &d->types[i];

		snprintf(where, sizeof where, "%s: types[%d]", path, i);
		if (!check_id(it, type_ids[i], where, &bad))
			break;
		ti->id = xstrdup(type_ids[i]);
		ti->name = xstrdup(get_str(it, "name", where, &bad));
		ti->paper_name = xstrdup(get_str(it, "paper_name", where,
						 &bad));
		ti->abbrev = xstrdup(get_str(it, "abbrev", where, &bad));
		ti->reproducibility = get_num(it, "reproducibility", where,
					      &bad, 1);
		ti->mean_minutes = get_num(it, "mean_minutes", where, &bad, 1);
		tags = cJSON_GetObjectItemCaseSensitive(it, "tags");
		if (!cJSON_IsArray(tags) && !bad) {
			error_set("%s: 'tags' must be an array", where);
			bad = 1;
		}
		cJSON_ArrayForEach(t, tags) {
			if (!cJSON_IsString(t)) {
				if (!bad)
					error_set("%s: tags must be strings",
						  where);
				bad = 1;
				break;
			}
			sv_push(&ti->tags, t->valuestring);
		}
		if (bad)
			break;
		i++;
	}
	a = bad ? NULL : get_array(root, "categories", CAT__COUNT, path, &bad);
	i = 0;
	cJSON_ArrayForEach(it, a) {
		struct cat_info *ci = &d->cats[i];

		snprintf(where, sizeof where, "%s: categories[%d]", path, i);
		if (!check_id(it, cat_ids[i], where, &bad))
			break;
		ci->id = xstrdup(cat_ids[i]);
		ci->letter = get_letter(it, where, &bad);
		ci->name = xstrdup(get_str(it, "name", where, &bad));
		ci->column = xstrdup(get_str(it, "column", where, &bad));
		ci->description = xstrdup(get_str(it, "description", where,
						  &bad));
		ci->prevalence = get_num(it, "prevalence", where, &bad, 1);
		if (bad)
			break;
		i++;
	}
	a = bad ? NULL : get_array(root, "actions", ACT__COUNT, path, &bad);
	i = 0;
	cJSON_ArrayForEach(it, a) {
		struct action_info *ai = &d->actions[i];

		snprintf(where, sizeof where, "%s: actions[%d]", path, i);
		if (!check_id(it, action_ids[i], where, &bad))
			break;
		ai->id = xstrdup(action_ids[i]);
		ai->letter = get_letter(it, where, &bad);
		ai->name = xstrdup(get_str(it, "name", where, &bad));
		ai->column = xstrdup(get_str(it, "column", where, &bad));
		ai->description = xstrdup(get_str(it, "description", where,
						  &bad));
		if (bad)
			break;
		i++;
	}
out:
	cJSON_Delete(root);
	free(path);
	return root == NULL || bad ? DL_ERR : DL_OK;
}

static int
load_row(const cJSON *row, const char *where, struct rule_table *t)
{
	const cJSON *info, *acts, *v;
	int bad = 0;

	if (!cJSON_IsObject(row))
		return error_set("%s: missing or not an object", where);
	t->n = (int)get_num(row, "n", where, &bad, 0);
	if (bad)
		return DL_ERR;
	if (t->n < 0)
		return error_set("%s: 'n' must not be negative", where);
	info = cJSON_GetObjectItemCaseSensitive(row, "info");
	acts = cJSON_GetObjectItemCaseSensitive(row, "actions");
	if (!cJSON_IsObject(info) || !cJSON_IsObject(acts))
		return error_set("%s: 'info' and 'actions' must be objects",
				 where);
	for (int c = 0; c < CAT__COUNT; c++) {
		v = cJSON_GetObjectItemCaseSensitive(info, cat_ids[c]);
		if (!cJSON_IsNumber(v) || v->valuedouble < 0 ||
		    v->valuedouble > 1)
			return error_set("%s: info.%s must be a number in "
					 "[0,1]", where, cat_ids[c]);
		t->info[c] = v->valuedouble;
	}
	for (int a = 0; a < ACT__COUNT; a++) {
		v = cJSON_GetObjectItemCaseSensitive(acts, action_ids[a]);
		if (!cJSON_IsNumber(v) || v->valuedouble < 0 ||
		    v->valuedouble > 1)
			return error_set("%s: actions.%s must be a number in "
					 "[0,1]", where, action_ids[a]);
		t->action[a] = v->valuedouble;
	}
	return DL_OK;
}

static int
load_tables(struct dl_data *d, const char *dir)
{
	char *path, where[512];
	cJSON *root = load_json(dir, "tables.json", &path);
	const cJSON *types;
	int bad = 0, rc = DL_ERR;

	if (root == NULL)
		goto out;
	d->threshold = get_num(root, "threshold", path, &bad, 0);
	d->min_n = (int)get_num(root, "min_n", path, &bad, 0);
	d->tables_source = xstrdup(get_str(root, "source", path, &bad));
	if (bad)
		goto out;
	if (d->threshold < 0 || d->threshold > 1) {
		error_set("%s: 'threshold' must lie in [0,1]", path);
		goto out;
	}
	types = cJSON_GetObjectItemCaseSensitive(root, "types");
	if (!cJSON_IsObject(types)) {
		error_set("%s: 'types' must be an object", path);
		goto out;
	}
	for (int t = 0; t < TYPE__COUNT; t++) {
		snprintf(where, sizeof where, "%s: types.%s", path,
			 type_ids[t]);
		if (load_row(cJSON_GetObjectItemCaseSensitive(types,
							      type_ids[t]),
			     where, &d->tables[t]) != DL_OK)
			goto out;
	}
	snprintf(where, sizeof where, "%s: types.all", path);
	if (load_row(cJSON_GetObjectItemCaseSensitive(types, "all"), where,
		     &d->all) != DL_OK)
		goto out;
	rc = DL_OK;
out:
	cJSON_Delete(root);
	free(path);
	return rc;
}

struct dl_data *
data_load(const char *dir)
{
	struct dl_data *d = xcalloc(1, sizeof *d);

	if (dir == NULL)
		dir = datadir();
	for (int t = 0; t < TYPE__COUNT; t++)
		sv_init(&d->types[t].tags);
	if (load_taxonomy(d, dir) != DL_OK || load_tables(d, dir) != DL_OK) {
		data_free(d);
		return NULL;
	}
	return d;
}

void
data_free(struct dl_data *d)
{
	if (d == NULL)
		return;
	for (int t = 0; t < TYPE__COUNT; t++) {
		free(d->types[t].id);
		free(d->types[t].name);
		free(d->types[t].paper_name);
		free(d->types[t].abbrev);
		sv_done(&d->types[t].tags);
	}
	for (int c = 0; c < CAT__COUNT; c++) {
		free(d->cats[c].id);
		free(d->cats[c].name);
		free(d->cats[c].column);
		free(d->cats[c].description);
	}
	for (int a = 0; a < ACT__COUNT; a++) {
		free(d->actions[a].id);
		free(d->actions[a].name);
		free(d->actions[a].column);
		free(d->actions[a].description);
	}
	free(d->tables_source);
	free(d);
}
