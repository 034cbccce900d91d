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
#include "dlrepro/recommend.h"
#include "dlrepro/store.h"
#include "dlrepro/text.h"

/*
 * The code's part of the engine version, stored with every result; the
 * engine adds a fingerprint of the data files that shape a verdict
 * (struct engine.version), so a changed version here or a retrained
 * model triggers re-analysis.  Bump it when the analysis code changes
 * its output.
 */
#define ANALYSIS_ENGINE_VERSION "engine-5"

/* What the engine needs, loaded once. */
#define ENGINE_FRAMEWORKS 4	/* generic, pytorch, tensorflow, keras */

struct engine {
	/* ANALYSIS_ENGINE_VERSION "/" a fingerprint of the data files */
	char version[48];
	struct dl_data *data;		/* borrowed */
	struct classify_model *model;	/* owned */
	/* Follow-up questions (data/questions.json) per check, framework. */
	char *questions[INFO__COUNT][ENGINE_FRAMEWORKS];
};

/*
 * Load the classifier model and the questions from dir (NULL: datadir());
 * NULL with error set.
 */
struct engine *engine_new(struct dl_data *data, const char *dir);
void engine_free(struct engine *e);

/* User corrections, kept apart from the engine's output. */
struct corrections {
	int type;			/* enum bug_type or -1 */
	int present_mask;		/* categories marked present */
	int missing_mask;		/* categories marked missing */
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

/*
 * Load post id from the store with its corrections, run, and store the
 * result when none is stored for this engine version.  out is always
 * initialised (analysis_done() is safe after a failure).
 */
int analysis_of_post(const struct engine *e, struct store *st,
		     const char *id, int show_all, struct analysis *out);

/*
 * Analyse every stored post that has no analysis from this engine version
 * (outdated_only: only those analysed by another version; posts never
 * analysed, as after `import --no-analyze`, are left so), in transactions
 * of a few hundred posts.  *done receives the count.
 */
int analysis_refresh(const struct engine *e, struct store *st,
		     int outdated_only, size_t *done);

/* The JSON object of `dlrepro analyze --json`; caller frees. */
char *analysis_to_json(const struct engine *e, const struct analysis *a);

#endif
