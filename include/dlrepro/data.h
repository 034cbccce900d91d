/*
 * data.h - the facts the program encodes, loaded at start from JSON files in
 * datadir(): bug types and their Table-1 tags, information categories, edit
 * actions, and the per-type confidence tables (Shah, Rahman & Khomh,
 * EMSE 2024).  Nothing here is compiled in; see data/README.md for the
 * file formats.
 */
#ifndef DLREPRO_DATA_H
#define DLREPRO_DATA_H

#include <stddef.h>

#include "dlrepro/util.h"

/* Stable indices; the JSON files must list exactly these ids in order. */
enum bug_type {
	TYPE_MODEL,
	TYPE_TENSOR,
	TYPE_TRAINING,
	TYPE_GPU,
	TYPE_API,
	TYPE_MIXED,
	TYPE__COUNT
};
#define TYPE__SINGLE 5	/* model..api: the types a classifier scores */

enum info_cat {
	CAT_DATA,
	CAT_MODEL,
	CAT_HYPERPARAMETERS,
	CAT_CODE,
	CAT_LOGS,
	CAT__COUNT
};

enum edit_action {
	ACT_INPUT_DATA_GENERATION,
	ACT_NETWORK_CONSTRUCTION,
	ACT_HYPERPARAMETER_INITIALIZATION,
	ACT_IMPORT_ADDITION,
	ACT_LOGGING,
	ACT_OBSOLETE_PARAMETER_REMOVAL,
	ACT_COMPILER_ERROR_RESOLUTION,
	ACT_DATASET_PROCUREMENT,
	ACT_MODEL_DOWNLOAD,
	ACT_VERSION_MIGRATION,
	ACT__COUNT
};

struct type_info {
	char *id;		/* "model" */
	char *name;		/* "Model" */
	char *paper_name;	/* "Model Bug" */
	char *abbrev;		/* "MOD" */
	struct strvec tags;	/* Table-1 tags */
	double reproducibility;	/* paper figure, 0..1, or -1 unknown */
	double mean_minutes;	/* paper figure, or -1 unknown */
};

struct cat_info {
	char *id;		/* "data" */
	char letter;		/* 'D' */
	char *name;		/* "Data" */
	char *column;		/* column in Dataset_CriticalActions.csv */
	char *description;
	double prevalence;	/* share of reproducible reports having it */
};

struct action_info {
	char *id;		/* "input-data-generation" */
	char letter;		/* paper letter, 'D' */
	char *name;		/* "Input Data Generation" */
	char *column;		/* column in Dataset_EditActions.csv */
	char *description;	/* one line, our own words */
};

/* Per-type association-rule confidences (type => X). */
struct rule_table {
	int n;				/* reproduced bugs behind the row */
	double info[CAT__COUNT];	/* confidence per category */
	double action[ACT__COUNT];	/* confidence per edit action */
};

struct dl_data {
	struct type_info types[TYPE__COUNT];
	struct cat_info cats[CAT__COUNT];
	struct action_info actions[ACT__COUNT];
	struct rule_table tables[TYPE__COUNT];	/* by enum bug_type */
	struct rule_table all;			/* every reproduced bug */
	double threshold;		/* confidence shown by default, 0.30 */
	int min_n;			/* below this n the table is too thin */
	char *tables_source;		/* where the numbers come from */
};

struct cJSON;

/*
 * Read and parse a JSON file of at most max bytes.  On failure returns
 * NULL with the error set naming the path, what the file is ("data file",
 * "classifier model") and the problem.  The caller frees with cJSON_Delete.
 */
struct cJSON *data_read_json(const char *path, const char *what, size_t max);

/*
 * Load taxonomy.json and tables.json from dir (NULL: datadir()).
 * Returns NULL with the error set naming the file and the problem.
 */
struct dl_data *data_load(const char *dir);
void data_free(struct dl_data *d);

int data_type_from_id(const char *id);		/* index or -1 */
int data_cat_from_id(const char *id);
int data_action_from_id(const char *id);
const char *data_type_id(int type);		/* static ids, no load needed */
const char *data_cat_id(int cat);
const char *data_action_id(int act);

#endif
