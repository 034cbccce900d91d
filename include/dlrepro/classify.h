/*
 * classify.h - bug type of a post, with evidence.  Stage 1 reproduces the
 * paper's labelling from Table-1 tags; stage 2, when no tag decides,
 * scores title, body text, error messages and the remaining tags with
 * weights loaded from data/classifier.json.
 *
 * Pure: the model is parsed once from its file, then classify_post() does
 * no I/O.
 */
#ifndef DLREPRO_CLASSIFY_H
#define DLREPRO_CLASSIFY_H

#include <stddef.h>

#include "dlrepro/data.h"
#include "dlrepro/text.h"

enum classify_method {
	CLASSIFY_TAGS,
	CLASSIFY_TEXT,
};

struct classify_model;

/* Load dir/classifier.json (dir NULL: datadir()); NULL with error set. */
struct classify_model *classify_model_load(const char *dir);
void classify_model_free(struct classify_model *m);

struct classify_input {
	const char *title;		/* entity-decoded; may be NULL */
	const char *const *tags;	/* may be NULL when ntags == 0 */
	size_t ntags;
	const struct text_doc *doc;	/* body; may be NULL */
};

struct classify_evidence {
	char *where;	/* "tag", "title", "body", "code", "log" */
	char *text;	/* the tag or phrase, as found */
	char *why;	/* human-readable: "tag 'cuda' marks GPU (Table 1)" */
	int type;	/* enum bug_type it supports */
	double weight;
	size_t start, end;	/* offsets in doc->text for body/code/log */
};

struct classification {
	int type;			/* enum bug_type, never unset */
	double confidence;		/* [0,1] */
	double scores[TYPE__SINGLE];	/* per single type, [0,1] */
	enum classify_method method;
	struct classify_evidence *evidence;
	size_t nevidence;
};

void classification_done(struct classification *c);

int classify_post(const struct classify_model *m, const struct dl_data *d,
		  const struct classify_input *in, struct classification *out);

const char *classify_method_name(enum classify_method m);

/*
 * The two single types with the highest scores, the higher first (ties
 * to the lower type number): the pair a Mixed verdict stands for.
 */
void classify_top_two(const struct classification *c, int pair[2]);

#endif
