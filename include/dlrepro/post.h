/*
 * post.h - a bug report as the program keeps it, whatever its source, and
 * the post identifiers users type.
 *
 * Identifiers: "so:N" (Stack Overflow), "se:SITE:N" (another Stack Exchange
 * site), "gh:OWNER/REPO#N" (GitHub issue), "manual:N" (pasted report).  A
 * bare number means "so:N" wherever an id is taken.
 */
#ifndef DLREPRO_POST_H
#define DLREPRO_POST_H

#include <stdint.h>

#include "dlrepro/util.h"

struct cJSON;

enum post_source {
	POST_SO,
	POST_SE,
	POST_GH,
	POST_MANUAL,
};

enum post_format {
	POST_HTML,
	POST_MARKDOWN,
	POST_TEXT,
};

struct post {
	char *id;		/* canonical id, "so:123" */
	enum post_source source;
	char *site;		/* "stackoverflow", other SE site, "owner/repo" */
	char *external_id;	/* "123" or "42" (issue number) */
	char *title;		/* entities decoded once */
	char *body;		/* HTML, Markdown or text as received; never NULL */
	enum post_format format;
	struct strvec tags;
	int64_t score;
	int64_t accepted_answer_id;	/* 0 when none */
	int64_t answer_count;
	char *state;		/* GitHub "open"/"closed", else NULL */
	int64_t created_at;	/* Unix seconds, 0 when unknown */
	char *link;
	int64_t fetched_at;	/* Unix seconds */
	char *raw_json;		/* the object as received, or NULL */
};

void post_init(struct post *p);
void post_done(struct post *p);
/*
 * The text fields (title, body, tags, site, external id, state, link) put
 * through text_sanitize() in place, so that what is stored is valid UTF-8
 * without NUL, control bytes (but '\n' and '\t') or escape sequences.
 * The id is not touched (ids are checked where they are made); raw_json
 * is the record as received and is kept so.
 */
void post_sanitize(struct post *p);

const char *post_source_name(enum post_source s);	/* "so","se","gh","manual" */
const char *post_format_name(enum post_format f);	/* "html","markdown","text" */
int post_format_from_name(const char *name, enum post_format *out);

/*
 * Parse a user-typed id into canonical form.  Returns a new string
 * (caller frees) or NULL with the error set ("'abc' is not a post id ...").
 */
char *post_id_normalize(const char *in);

/* Split a canonical id; out strings belong to the caller. */
int post_id_split(const char *id, enum post_source *source, char **site,
		  char **external_id);

/*
 * Fill p from one Stack Exchange question object.  site is NULL or
 * "stackoverflow" for so: ids, else the site name for se: ids.  Requires
 * question_id (number) and title (string); every other field is optional
 * but must have the right type when present.  The title is entity-decoded
 * once.  On failure returns DL_ERR with a message naming the field.
 */
int post_from_se_json(const struct cJSON *obj, const char *site,
		      struct post *p);

/* Decode HTML entities (named and numeric) once; caller frees. */
char *html_entity_decode(const char *s);

#endif
