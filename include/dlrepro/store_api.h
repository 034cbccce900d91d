/*
 * store_api.h - the fetch area's tables: per-API quota and backoff state
 * (api_state, kept per base URL and method so that a backoff or an
 * exhausted quota is remembered across runs) and accepted answers.
 * Queries live in src/store_api.c; the handle is the shared struct store.
 */
#ifndef DLREPRO_STORE_API_H
#define DLREPRO_STORE_API_H

#include <stdint.h>

#include "dlrepro/store.h"

struct api_state {
	double not_before;	/* Unix seconds; 0 when free */
	int64_t quota_max;	/* -1 when unknown */
	int64_t quota_remaining;	/* -1 when unknown */
	double updated_at;
};

/* DL_OK and out filled, DL_NOTFOUND (out reset), or DL_ERR. */
int store_api_get(struct store *st, const char *base, const char *method,
		  struct api_state *out);
/* Remember that method may not be called before not_before. */
int store_api_set_not_before(struct store *st, const char *base,
			     const char *method, double not_before);
/* Remember the quota the API reported (kept in the method "*" row). */
int store_api_set_quota(struct store *st, const char *base, int64_t max,
			int64_t remaining);

/* Call fn for every row (for `dlrepro config`); stop when fn != 0. */
int store_api_list(struct store *st,
		   int (*fn)(const char *base, const char *method,
			     const struct api_state *s, void *arg),
		   void *arg);

/* Insert or replace an answer of post_id. */
int store_answer_put(struct store *st, const char *post_id,
		     int64_t answer_id, const char *body, int64_t score,
		     int is_accepted, int64_t created_at, const char *raw_json);
/* The accepted answer's body of post_id; DL_NOTFOUND when none stored. */
int store_answer_get_accepted(struct store *st, const char *post_id,
			      char **body);
int64_t store_answer_count(struct store *st);	/* -1 on error */

#endif
