/*
 * stackexchange.h - the Stack Exchange API 2.3 as this program uses it:
 * request paths and query strings, the response wrapper, what an answer
 * means for retrying (error_id, HTML throttle pages, quota messages), and
 * the paper's search selection (API_NOTES section 2).
 *
 * Pure functions over strings and structs; the HTTP and the store are
 * driven by fetch.c.
 */
#ifndef DLREPRO_STACKEXCHANGE_H
#define DLREPRO_STACKEXCHANGE_H

#include <stddef.h>
#include <stdint.h>

#include "dlrepro/http.h"
#include "dlrepro/post.h"

#define SE_BATCH 100		/* ids per /questions/{ids} request */
#define SE_PAGESIZE 100
/* Built-in filter: the default fields plus *.body. */
#define SE_FILTER "withbody"

/* Method names for per-method backoff ("*" is the whole API: quota). */
#define SE_METHOD_QUESTIONS "/questions/{ids}"
#define SE_METHOD_ANSWERS "/answers/{ids}"
#define SE_METHOD_SEARCH "/search/advanced"
#define SE_METHOD_ALL "*"

struct se_wrapper {
	int has_more;
	int64_t quota_max;	/* -1 when absent */
	int64_t quota_remaining;	/* -1 when absent */
	int64_t backoff;	/* seconds, 0 when absent */
	int64_t error_id;	/* 0 when no error */
	char *error_name;
	char *error_message;
};

struct se_answer {
	int64_t answer_id;
	int64_t question_id;
	int64_t score;
	int is_accepted;
	int64_t created_at;
	char *body;		/* HTML, never NULL */
	char *raw_json;
};

/* One parsed response: wrapper plus questions or answers. */
struct se_page {
	struct se_wrapper w;
	struct post *posts;
	size_t nposts;
	struct se_answer *answers;
	size_t nanswers;
};

void se_page_init(struct se_page *pg);
void se_page_done(struct se_page *pg);

enum se_items {
	SE_ITEMS_QUESTIONS,
	SE_ITEMS_ANSWERS,
};

/*
 * Parse a response body.  site is the question's site (NULL or
 * "stackoverflow" for so: ids).  Malformed JSON, a wrapper of the wrong
 * shape or an item of the wrong type is DL_ERR with the problem set and
 * nothing kept.  An error wrapper parses fine (w.error_id != 0).
 */
int se_page_parse(struct se_page *pg, const char *body, size_t len,
		  const char *site, enum se_items kind);

/*
 * Seconds named in a quota message ("... more requests available in 300
 * seconds"), or -1 when the message names none.
 */
int64_t se_quota_wait(const char *message);

/* What the judge learnt, for fetch.c to persist. */
struct se_judgement {
	int64_t quota_wait;	/* quota exhausted: seconds named, else -1 */
	int64_t backoff;	/* backoff on a failed response, else 0 */
};

/*
 * Judge a Stack Exchange response (an http_judge_fn; arg is a struct
 * se_judgement or NULL): error_id 500/503, a violated backoff, HTTP 5xx,
 * an HTML page and transport failures are retried; error_id 400-406 and
 * other client errors fail; a quota wait above HTTP_MAX_WAIT fails with
 * "quota exhausted, requests possible again in N s (at TIME)".
 */
enum http_verdict se_judge(const struct http_response *r, void *arg,
			   double *wait);

/* "quota exhausted, requests possible again in N s (at ISO)"; caller frees. */
char *se_quota_message(int64_t wait_s, double now_wall);

/*
 * Build "/questions/1;2;3" (path below the base) and the query string
 * (site, filter, pagesize, key when non-NULL).  Caller frees both.
 */
char *se_ids_path(const char *method_word, const int64_t *ids, size_t n);
char *se_common_query(const char *site, const char *key);

/* ---- the paper's search (API_NOTES section 2) ---- */

enum se_framework {
	SE_FW_PYTORCH,
	SE_FW_TENSORFLOW,
	SE_FW_KERAS,
	SE_FW__COUNT
};

const char *se_framework_name(enum se_framework f);
int se_framework_from_name(const char *s, enum se_framework *out);

/* Why the client dropped a search hit; SE_KEEP when kept. */
enum se_criterion {
	SE_KEEP,
	SE_DROP_TAGS,		/* tag rule: F present, the other two absent */
	SE_DROP_TITLE,		/* "how", "install", "build" in the title */
	SE_DROP_ACCEPTED,	/* no accepted answer */
	SE_DROP_SCORE,		/* score < 1 */
	SE_DROP_CODE,		/* no <code> ... </code> in the body */
	SE_CRITERION__COUNT
};

const char *se_criterion_name(enum se_criterion c);

/* Apply the client-side criteria, in the order above. */
enum se_criterion se_search_check(const struct post *p, enum se_framework f);

/*
 * Query string for one page of /search/advanced for framework f:
 * tagged, nottagged, accepted, sort=votes, min=1, order, dates, page,
 * plus the common parameters.  Caller frees.
 */
char *se_search_query(enum se_framework f, int64_t from, int64_t to,
		      int page, const char *site, const char *key);

#endif
