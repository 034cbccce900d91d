/*
 * analysis.h - the triage of one post: body text, bug type, information
 * categories, user corrections and recommendations, brought together.
 * analysis_run() is pure; analysis_of_post() reads the post and the user's
 * corrections from the store, runs the engine and records the result with
 * the engine version (re-analysis happens when the version changes).
 */
#ifndef DLREPRO_ANALYSIS_H
#define DLREPRO_ANALYSIS_H

#include "dlrepro/classify.h"
#include "dlrepro/data.h"
#include "dlrepro/infocat.h"
#include "dlrepro/post.h"
#include "dlrepro/store.h"
#include "dlrepro/text.h"

#define ANALYSIS_ENGINE_VERSION "1"

/* What the engine needs, loaded once. */
struct engine {
	struct dl_data *data;		/* borrowed */
	struct classify_model *model;	/* owned */
	struct cJSON *questions;	/* owned: data/questions.json */
};

/* Load the classifier model and questions; NULL with error set. */
struct engine *engine_new(struct dl_data *data);
void engine_free(struct engine *e);

/* User corrections, kept apart from the engine's output. */
struct corrections {
	int type;			/* enum bug_type or -1 */
	int present_mask;		/* categories marked present */
	int missing_mask;		/* categories marked missing */
};

struct rec_item {
	int id;			/* enum info_cat or enum edit_action */
	double confidence;
	int present;		/* info items: present in this post */
};

struct recommendation {
	int type;		/* type whose table is used */
	int n;			/* reproduced bugs behind the table */
	int fallback;		/* 1: type's table too thin, all-types used */
	struct rec_item info[CAT__COUNT];
	size_t ninfo;		/* top 3 (>= threshold unless all asked) */
	struct rec_item actions[ACT__COUNT];
	size_t nactions;	/* top 5 */
};

struct analysis {
	char *post_id;
	char *title;
	struct text_doc doc;
	struct classification cls;	/* the engine's verdict */
	struct infocat_result info;	/* the engine's detectors */
	struct corrections corr;
	int type;			/* effective: correction wins */
	int present[INFO__COUNT];	/* effective presence */
	struct recommendation rec;
	struct strvec questions;	/* follow-ups for missing cats */
};

void analysis_init(struct analysis *a);
void analysis_done(struct analysis *a);

/* Pure: analyse p with corrections corr (NULL: none). */
int analysis_run(const struct engine *e, const struct post *p,
		 const struct corrections *corr, int show_all,
		 struct analysis *out);

/* Load post id from the store with its corrections, run, store result. */
int analysis_of_post(const struct engine *e, struct store *st,
		     const char *id, struct analysis *out);

/* The JSON object of `dlrepro analyze --json`; caller frees. */
char *analysis_to_json(const struct engine *e, const struct analysis *a);

#endif
