/*
 * github.h - GitHub REST issues as this program uses them: the request
 * headers, parsing an issue into a struct post, what a response means for
 * retrying (primary and secondary rate limits), and issue references
 * ("owner/repo#N", issue URLs).  No I/O here: fetch.c drives requests.
 */
#ifndef DLREPRO_GITHUB_H
#define DLREPRO_GITHUB_H

#include <stddef.h>
#include <stdint.h>

#include "dlrepro/http.h"
#include "dlrepro/post.h"

#define GH_METHOD_ALL "*"	/* rate limits are per API, not per path */

/*
 * Parse "owner/repo#N" or "https://github.com/owner/repo/issues/N"
 * (optionally with a trailing slash, query or fragment).  Out strings
 * belong to the caller.  DL_ERR with the problem set.
 */
int gh_parse_ref(const char *s, char **owner, char **repo, int64_t *number);

/* "/repos/OWNER/REPO/issues/N" below the API base; caller frees. */
char *gh_issue_path(const char *owner, const char *repo, int64_t number);

/*
 * Request headers (NULL-terminated; Accept, API version, and the
 * Authorization header when token is non-NULL).  Free with
 * gh_headers_free().
 */
char **gh_headers(const char *token);
void gh_headers_free(char **h);

/*
 * Fill p from an issue object.  A pull request (a "pull_request" key) is
 * DL_NOTFOUND with "O/R#N is a pull request, not an issue" set; anything
 * malformed DL_ERR.  Labels may be objects
 * with "name" or plain strings; a null body becomes "".
 */
int gh_issue_parse(const char *body, size_t len, const char *owner,
		   const char *repo, int64_t number, struct post *p);

/*
 * Why an issue answered with this status is missing ("not found (HTTP
 * 404: ...)", "deleted (HTTP 410)"), or NULL for any other status.
 */
const char *gh_missing_reason(long status);

/* What the judge learnt about the rate limit, for fetch.c to persist. */
struct gh_judgement {
	int64_t reset_at;	/* Unix seconds when remaining was 0, else 0 */
	int64_t remaining;	/* -1 when not sent */
	int64_t limit;
};

/*
 * Judge a GitHub response (an http_judge_fn; arg is a struct gh_judgement
 * or NULL): 2xx done; 404 and 410 done as well (an answer about the
 * issue: gh_missing_reason() words it and the job goes on); 403/429 with
 * retry-after wait that long, with remaining 0 wait until reset, without
 * either wait 60 s (secondary limit); 5xx and transport failures retried.
 * Waits above HTTP_MAX_WAIT fail with the time requests are possible again.
 */
enum http_verdict gh_judge(const struct http_response *r, void *arg,
			   double *wait);

#endif
