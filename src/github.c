/*
 * github.c - GitHub REST issues: references, request headers, the issue
 * object as a struct post, and the rate-limit rules of API_NOTES section 3
 * turned into retry decisions.  No I/O here: fetch.c drives requests.
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "dlrepro/github.h"
#include "dlrepro/util.h"

#define GH_SECONDARY_WAIT 60.0	/* secondary limit without headers */
#define GH_MESSAGE_MAX 300	/* bytes of a server message quoted */

static int
name_ok(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > 100)
		return 0;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '-' &&
		    s[i] != '_' && s[i] != '.')
			return 0;
	return !(n == 1 && s[0] == '.') && !(n == 2 && !strncmp(s, "..", 2));
}

static int
number_ok(const char *s, size_t n, int64_t *out)
{
	size_t i;
	int64_t v = 0;

	if (n == 0 || n > 12)
		return 0;
	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return 0;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return v > 0;
}

int
gh_parse_ref(const char *s, char **owner, char **repo, int64_t *number)
{
	const char *o, *slash, *r_end, *num, *end;

	if (!strncmp(s, "https://github.com/", 19) ||
	    !strncmp(s, "http://github.com/", 18) ||
	    !strncmp(s, "https://www.github.com/", 23)) {
		o = strstr(s, "github.com/") + 11;
		slash = strchr(o, '/');
		if (!slash)
			goto bad;
		r_end = strchr(slash + 1, '/');
		if (!r_end || strncmp(r_end, "/issues/", 8)) {
			if (r_end && !strncmp(r_end, "/pull/", 6))
				return error_set("'%s' is a pull request, not "
						 "an issue", s);
			goto bad;
		}
		num = r_end + 8;
		end = num + strcspn(num, "/?#");
		if (*end == '/' && end[1] != '\0' && end[1] != '?' &&
		    end[1] != '#')
			goto bad;
	} else {
		if (!strncmp(s, "gh:", 3))
			s += 3;
		o = s;
		slash = strchr(o, '/');
		r_end = strchr(o, '#');
		if (!slash || !r_end || r_end < slash)
			goto bad;
		num = r_end + 1;
		end = num + strlen(num);
	}
	if (!name_ok(o, (size_t)(slash - o)) ||
	    !name_ok(slash + 1, (size_t)(r_end - slash - 1)) ||
	    !number_ok(num, (size_t)(end - num), number))
		goto bad;
	*owner = xstrndup(o, (size_t)(slash - o));
	*repo = xstrndup(slash + 1, (size_t)(r_end - slash - 1));
	return DL_OK;
bad:
	return error_set("'%s' is not a GitHub issue (want OWNER/REPO#N or "
			 "https://github.com/OWNER/REPO/issues/N)", s);
}

char *
gh_issue_path(const char *owner, const char *repo, int64_t number)
{
	return xasprintf("/repos/%s/%s/issues/%lld", owner, repo,
			 (long long)number);
}

char **
gh_headers(const char *token)
{
	char **h = xcalloc(4, sizeof(*h));

	h[0] = xstrdup("Accept: application/vnd.github+json");
	h[1] = xstrdup("X-GitHub-Api-Version: 2022-11-28");
	if (token)
		h[2] = xasprintf("Authorization: Bearer %s", token);
	return h;
}

void
gh_headers_free(char **h)
{
	size_t i;

	if (!h)
		return;
	for (i = 0; h[i]; i++) {
		/* The token must not linger in freed memory. */
		memset(h[i], 0, strlen(h[i]));
		free(h[i]);
	}
	free(h);
}

const char *
gh_missing_reason(long status)
{
	if (status == 404)
		return "not found (HTTP 404: no such issue, or a private one "
		       "the token, if any, may not read)";
	if (status == 410)
		return "deleted (HTTP 410)";
	return NULL;
}

int
gh_issue_parse(const char *body, size_t len, const char *owner,
	       const char *repo, int64_t number, struct post *p)
{
	cJSON *root;
	const cJSON *v, *it;
	char *raw, *tmp;
	int rc = DL_ERR;

	post_init(p);
	/* "nul\u0000byte" stored as "nulbyte", as import does, not cut */
	body = json_without_nul(body, &len, &tmp);
	root = len ? cJSON_ParseWithLength(body, len) : NULL;
	free(tmp);
	if (!root)
		return error_set("malformed JSON in the response");
	if (!cJSON_IsObject(root)) {
		error_set("response is not a JSON object");
		goto out;
	}
	if (cJSON_GetObjectItemCaseSensitive(root, "pull_request")) {
		error_set("%s/%s#%lld is a pull request, not an issue", owner,
			  repo, (long long)number);
		rc = DL_NOTFOUND;
		goto out;
	}
	v = cJSON_GetObjectItemCaseSensitive(root, "title");
	if (!cJSON_IsString(v)) {
		error_set("field 'title' is missing or not a string");
		goto out;
	}
	free(p->title);
	p->title = xstrdup(v->valuestring);
	v = cJSON_GetObjectItemCaseSensitive(root, "body");
	if (v && !cJSON_IsNull(v) && !cJSON_IsString(v)) {
		error_set("field 'body' must be a string");
		goto out;
	}
	free(p->body);
	p->body = xstrdup(cJSON_IsString(v) ? v->valuestring : "");
	v = cJSON_GetObjectItemCaseSensitive(root, "labels");
	if (v && !cJSON_IsNull(v)) {
		if (!cJSON_IsArray(v)) {
			error_set("field 'labels' must be an array");
			goto out;
		}
		cJSON_ArrayForEach(it, v) {
			const cJSON *name = it;

			if (cJSON_IsObject(it))
				name = cJSON_GetObjectItemCaseSensitive(it, "name");
			if (!cJSON_IsString(name)) {
				error_set("field 'labels' holds a label without "
					  "a name");
				goto out;
			}
			sv_push(&p->tags, name->valuestring);
		}
	}
	v = cJSON_GetObjectItemCaseSensitive(root, "state");
	if (cJSON_IsString(v))
		p->state = xstrdup(v->valuestring);
	v = cJSON_GetObjectItemCaseSensitive(root, "created_at");
	if (cJSON_IsString(v)) {
		double t;

		if (parse_iso8601(v->valuestring, &t) == DL_OK)
			p->created_at = (int64_t)t;
		error_clear();
	}
	v = cJSON_GetObjectItemCaseSensitive(root, "html_url");
	p->link = cJSON_IsString(v) ? xstrdup(v->valuestring) :
		  xasprintf("https://github.com/%s/%s/issues/%lld", owner, repo,
			    (long long)number);
	v = cJSON_GetObjectItemCaseSensitive(root, "comments");
	if (cJSON_IsNumber(v))
		p->answer_count = (int64_t)v->valuedouble;
	p->source = POST_GH;
	p->format = POST_MARKDOWN;
	p->site = xasprintf("%s/%s", owner, repo);
	p->external_id = xasprintf("%lld", (long long)number);
	p->id = xasprintf("gh:%s/%s#%lld", owner, repo, (long long)number);
	p->fetched_at = (int64_t)now_wall();
	raw = cJSON_PrintUnformatted(root);
	p->raw_json = xstrdup(raw);
	cJSON_free(raw);
	rc = DL_OK;
out:
	cJSON_Delete(root);
	return rc;
}

/*
 * GitHub error bodies are {"message": "..."}; NULL when absent.  The text
 * is the server's: clipped here at a word boundary, redacted of secrets
 * and sanitised by the fetch job before anyone sees it.
 */
static char *
gh_message(const struct http_response *r)
{
	cJSON *root = r->len ? cJSON_ParseWithLength(r->body, r->len) : NULL;
	const cJSON *m;
	char *out = NULL;

	m = cJSON_GetObjectItemCaseSensitive(root, "message");
	if (cJSON_IsString(m))
		out = http_server_text(m->valuestring, GH_MESSAGE_MAX);
	cJSON_Delete(root);
	return out;
}

static enum http_verdict
wait_or_fail(double secs, double *wait, const char *what)
{
	char iso[40], *dot;

	if (secs > HTTP_MAX_WAIT) {
		format_iso8601((double)(int64_t)(now_wall() + secs), iso,
			       sizeof(iso));
		dot = strchr(iso, '.');
		if (dot)
			strcpy(dot, "Z");
		error_set("%s, requests possible again in %.0f s (at %s)",
			  what, ceil(secs), iso);
		return HTTP_VERDICT_FAIL;
	}
	error_set("%s", what);
	*wait = secs;
	return HTTP_VERDICT_RETRY;
}

enum http_verdict
gh_judge(const struct http_response *r, void *arg, double *wait)
{
	struct gh_judgement *j = arg;
	enum http_verdict v;
	char *msg;
	double secs;

	if (j) {
		j->reset_at = 0;
		j->remaining = r->rl_remaining;
		j->limit = r->rl_limit;
	}
	if (r->fail == HTTP_FAIL_TOO_BIG || r->fail == HTTP_FAIL_OTHER) {
		error_set("%s", http_describe(r));
		return HTTP_VERDICT_FAIL;
	}
	if (r->fail != HTTP_FAIL_NONE) {
		error_set("%s", http_describe(r));
		return HTTP_VERDICT_RETRY;
	}
	if (r->status >= 200 && r->status < 300)
		return HTTP_VERDICT_DONE;
	/* An answer about this issue, not a failure: the job goes on. */
	if (r->status == 404 || r->status == 410)
		return HTTP_VERDICT_DONE;
	if (r->status >= 500) {
		error_set("HTTP %ld", r->status);
		return HTTP_VERDICT_RETRY;
	}
	msg = gh_message(r);
	if (r->status == 403 || r->status == 429) {
		if (r->retry_after >= 0) {
			v = wait_or_fail(r->retry_after, wait,
					 "secondary rate limit (retry-after)");
		} else if (r->rl_remaining == 0 && r->rl_reset > 0) {
			secs = (double)r->rl_reset - now_wall();
			if (secs < 1)
				secs = 1;
			if (j)
				j->reset_at = r->rl_reset;
			v = wait_or_fail(secs, wait, "rate limit exceeded");
		} else if (r->status == 429 ||
			   (msg && strcasestr_ascii(msg, "rate limit"))) {
			/* Secondary limit without headers: at least a minute. */
			v = wait_or_fail(GH_SECONDARY_WAIT * http_time_scale(),
					 wait, "secondary rate limit");
		} else {
			error_set("HTTP %ld: %s", r->status,
				  msg ? msg : "forbidden");
			v = HTTP_VERDICT_FAIL;
		}
		free(msg);
		return v;
	}
	error_set("HTTP %ld%s%s", r->status, msg ? ": " : "", msg ? msg : "");
	free(msg);
	return HTTP_VERDICT_FAIL;
}
