/*
 * stackexchange.c - Stack Exchange API 2.3 requests and responses: query
 * strings, the wrapper, converting items to posts and answers, deciding
 * what an error means for retrying, and the client-side half of the
 * paper's search.  No I/O here: fetch.c drives the requests.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "dlrepro/stackexchange.h"
#include "dlrepro/util.h"

#define SE_NAME_MAX 64		/* bytes of a server error_name quoted */
#define SE_MESSAGE_MAX 300	/* bytes of a server error_message quoted */

void
se_page_init(struct se_page *pg)
{
	memset(pg, 0, sizeof(*pg));
	pg->w.quota_max = pg->w.quota_remaining = -1;
}

static void
answer_done(struct se_answer *a)
{
	free(a->body);
	free(a->raw_json);
}

void
se_page_done(struct se_page *pg)
{
	size_t i;

	for (i = 0; i < pg->nposts; i++)
		post_done(&pg->posts[i]);
	free(pg->posts);
	for (i = 0; i < pg->nanswers; i++)
		answer_done(&pg->answers[i]);
	free(pg->answers);
	free(pg->w.error_name);
	free(pg->w.error_message);
	se_page_init(pg);
}

static int
get_int(const cJSON *o, const char *name, int64_t *out, int required)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

	if (!v || cJSON_IsNull(v)) {
		if (required)
			return error_set("field '%s' is missing", name);
		return DL_OK;
	}
	if (!cJSON_IsNumber(v) || v->valuedouble != (double)(int64_t)v->valuedouble)
		return error_set("field '%s' must be an integer", name);
	*out = (int64_t)v->valuedouble;
	return DL_OK;
}

static int
get_str(const cJSON *o, const char *name, char **out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

	if (!v || cJSON_IsNull(v))
		return DL_OK;
	if (!cJSON_IsString(v))
		return error_set("field '%s' must be a string", name);
	free(*out);
	*out = xstrdup(v->valuestring);
	return DL_OK;
}

static int
parse_wrapper(const cJSON *root, struct se_wrapper *w)
{
	const cJSON *hm;

	if (!cJSON_IsObject(root))
		return error_set("response is not a JSON object");
	hm = cJSON_GetObjectItemCaseSensitive(root, "has_more");
	if (hm && !cJSON_IsBool(hm))
		return error_set("field 'has_more' must be true or false");
	w->has_more = cJSON_IsTrue(hm);
	if (get_int(root, "quota_max", &w->quota_max, 0) ||
	    get_int(root, "quota_remaining", &w->quota_remaining, 0) ||
	    get_int(root, "backoff", &w->backoff, 0) ||
	    get_int(root, "error_id", &w->error_id, 0) ||
	    get_str(root, "error_name", &w->error_name) ||
	    get_str(root, "error_message", &w->error_message))
		return DL_ERR;
	if (w->backoff < 0)
		w->backoff = 0;
	return DL_OK;
}

static int
parse_answer(const cJSON *o, struct se_answer *a)
{
	const cJSON *acc;
	char *raw;

	memset(a, 0, sizeof(*a));
	if (!cJSON_IsObject(o))
		return error_set("an answer must be a JSON object");
	if (get_int(o, "answer_id", &a->answer_id, 1) ||
	    get_int(o, "question_id", &a->question_id, 1) ||
	    get_int(o, "score", &a->score, 0) ||
	    get_int(o, "creation_date", &a->created_at, 0) ||
	    get_str(o, "body", &a->body))
		return DL_ERR;
	acc = cJSON_GetObjectItemCaseSensitive(o, "is_accepted");
	a->is_accepted = cJSON_IsTrue(acc);
	if (!a->body)
		a->body = xstrdup("");
	raw = cJSON_PrintUnformatted(o);
	a->raw_json = xstrdup(raw);
	cJSON_free(raw);
	return DL_OK;
}

int
se_page_parse(struct se_page *pg, const char *body, size_t len,
	      const char *site, enum se_items kind)
{
	cJSON *root;
	const cJSON *items, *it;
	size_t n, i = 0;
	int rc = DL_OK;
	char *tmp;

	se_page_init(pg);
	if (len == 0)
		return error_set("empty response");
	/* "nul\u0000byte" stored as "nulbyte", as import does, not cut */
	body = json_without_nul(body, &len, &tmp);
	root = cJSON_ParseWithLength(body, len);
	free(tmp);
	if (!root)
		return error_set("malformed JSON in the response");
	if (parse_wrapper(root, &pg->w) != DL_OK) {
		rc = DL_ERR;
		goto out;
	}
	items = cJSON_GetObjectItemCaseSensitive(root, "items");
	if (pg->w.error_id && !items)
		goto out;
	if (!items) {
		rc = error_set("field 'items' is missing");
		goto out;
	}
	if (!cJSON_IsArray(items)) {
		rc = error_set("field 'items' must be an array");
		goto out;
	}
	n = (size_t)cJSON_GetArraySize(items);
	if (kind == SE_ITEMS_QUESTIONS)
		pg->posts = xcalloc(n ? n : 1, sizeof(*pg->posts));
	else
		pg->answers = xcalloc(n ? n : 1, sizeof(*pg->answers));
	cJSON_ArrayForEach(it, items) {
		if (kind == SE_ITEMS_QUESTIONS) {
			if (post_from_se_json(it, site, &pg->posts[i]) != DL_OK) {
				post_done(&pg->posts[i]);
				rc = error_prefix("item %zu: ", i + 1);
				goto out;
			}
			pg->nposts = ++i;
		} else {
			if (parse_answer(it, &pg->answers[i]) != DL_OK) {
				answer_done(&pg->answers[i]);
				rc = error_prefix("answer %zu: ", i + 1);
				goto out;
			}
			pg->nanswers = ++i;
		}
	}
out:
	cJSON_Delete(root);
	if (rc != DL_OK) {
		char *msg = xstrdup(error_msg());

		se_page_done(pg);
		error_set("%s", msg);
		free(msg);
	}
	return rc;
}

int64_t
se_quota_wait(const char *message)
{
	const char *p;
	char *end;
	long long n;

	if (!message)
		return -1;
	p = strstr(message, "available in ");
	if (!p)
		return -1;
	p += strlen("available in ");
	if (!isdigit((unsigned char)*p))
		return -1;
	n = strtoll(p, &end, 10);
	if (strncmp(end, " second", 7) != 0 || n < 0)
		return -1;
	return n;
}

char *
se_quota_message(int64_t wait_s, double now_wall_s)
{
	char iso[40];

	format_iso8601((double)(int64_t)(now_wall_s + (double)wait_s), iso,
		       sizeof(iso));
	/* Whole seconds read better than "23:10:00.000Z". */
	{
		char *dot = strchr(iso, '.');

		if (dot)
			strcpy(dot, "Z");
	}
	return xasprintf("quota exhausted, requests possible again in %lld s "
			 "(at %s)", (long long)wait_s, iso);
}

static int
looks_like_html(const struct http_response *r)
{
	const char *p = r->body;

	if (r->content_type && strstr(r->content_type, "html"))
		return 1;
	while (*p && isspace((unsigned char)*p))
		p++;
	return *p == '<';
}

enum http_verdict
se_judge(const struct http_response *r, void *arg, double *wait)
{
	struct se_judgement *j = arg;
	struct se_wrapper w;
	cJSON *root;
	enum http_verdict v;

	if (j) {
		j->quota_wait = -1;
		j->backoff = 0;
	}
	if (r->fail == HTTP_FAIL_TOO_BIG || r->fail == HTTP_FAIL_OTHER) {
		error_set("%s", http_describe(r));
		return HTTP_VERDICT_FAIL;
	}
	if (r->fail != HTTP_FAIL_NONE) {
		error_set("%s", http_describe(r));
		return HTTP_VERDICT_RETRY;
	}
	if (r->len > 0 && looks_like_html(r)) {
		/* A throttle or challenge page: the response is undefined. */
		error_set("HTML page instead of JSON (HTTP %ld)", r->status);
		return HTTP_VERDICT_RETRY;
	}
	root = r->len ? cJSON_ParseWithLength(r->body, r->len) : NULL;
	memset(&w, 0, sizeof(w));
	if (!root || parse_wrapper(root, &w) != DL_OK || !w.error_id) {
		cJSON_Delete(root);
		free(w.error_name);
		free(w.error_message);
		if (r->status >= 500) {
			error_set("HTTP %ld", r->status);
			return HTTP_VERDICT_RETRY;
		}
		if (r->status >= 200 && r->status < 300)
			return HTTP_VERDICT_DONE;	/* parsed again by caller */
		error_set("HTTP %ld", r->status);
		return HTTP_VERDICT_FAIL;
	}
	cJSON_Delete(root);

	if (j && w.backoff > 0)
		j->backoff = w.backoff;
	if (w.error_id == 502) {
		int64_t q = se_quota_wait(w.error_message);

		if (q >= 0) {
			if (j)
				j->quota_wait = q;
			if (q > HTTP_MAX_WAIT) {
				char *m = se_quota_message(q, now_wall());

				error_set("%s", m);
				free(m);
				v = HTTP_VERDICT_FAIL;
			} else {
				char *msg = http_server_text(w.error_message,
							     SE_MESSAGE_MAX);

				error_set("error 502 throttle_violation: %s",
					  msg);
				free(msg);
				*wait = (double)q;
				v = HTTP_VERDICT_RETRY;
			}
			goto out;
		}
	}
	{
		/* Server text, clipped whole-word; fetch.c redacts it. */
		char *name = http_server_text(w.error_name ? w.error_name : "?",
					      SE_NAME_MAX);
		char *msg = http_server_text(w.error_message ? w.error_message :
					     "(no message)", SE_MESSAGE_MAX);

		error_set("error %lld %s: %s", (long long)w.error_id, name, msg);
		free(name);
		free(msg);
	}
	switch (w.error_id) {
	case 500:	/* internal_error */
	case 502:	/* throttle_violation, e.g. a violated backoff */
	case 503:	/* temporarily_unavailable */
		if (w.backoff > 0)
			*wait = (double)w.backoff;
		v = HTTP_VERDICT_RETRY;
		break;
	default:	/* 400-406 and anything unknown: asking again won't help */
		v = HTTP_VERDICT_FAIL;
		break;
	}
out:
	free(w.error_name);
	free(w.error_message);
	return v;
}

char *
se_ids_path(const char *method_word, const int64_t *ids, size_t n)
{
	struct strbuf sb;
	size_t i;

	sb_init(&sb);
	sb_addf(&sb, "/%s/", method_word);
	for (i = 0; i < n; i++)
		sb_addf(&sb, "%s%lld", i ? ";" : "", (long long)ids[i]);
	return sb_detach(&sb);
}

static void
add_escaped(struct strbuf *sb, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
			sb_addc(sb, (char)c);
		} else {
			sb_addc(sb, '%');
			sb_addc(sb, hex[c >> 4]);
			sb_addc(sb, hex[c & 15]);
		}
	}
}

char *
se_common_query(const char *site, const char *key)
{
	struct strbuf sb;

	sb_init(&sb);
	sb_adds(&sb, "site=");
	add_escaped(&sb, site ? site : "stackoverflow");
	sb_adds(&sb, "&filter=");
	add_escaped(&sb, SE_FILTER);
	sb_addf(&sb, "&pagesize=%d", SE_PAGESIZE);
	if (key) {
		sb_adds(&sb, "&key=");
		add_escaped(&sb, key);
	}
	return sb_detach(&sb);
}

/* ---- the paper's search ---- */

static const char *const fw_names[SE_FW__COUNT] = {
	[SE_FW_PYTORCH] = "pytorch",
	[SE_FW_TENSORFLOW] = "tensorflow",
	[SE_FW_KERAS] = "keras",
};

const char *
se_framework_name(enum se_framework f)
{
	return fw_names[f];
}

int
se_framework_from_name(const char *s, enum se_framework *out)
{
	int f;

	for (f = 0; f < SE_FW__COUNT; f++)
		if (!strcmp(s, fw_names[f])) {
			*out = f;
			return DL_OK;
		}
	return error_set("'%s' is not one of pytorch, tensorflow, keras", s);
}

const char *
se_criterion_name(enum se_criterion c)
{
	switch (c) {
	case SE_KEEP:
		return "kept";
	case SE_DROP_TAGS:
		return "tags";
	case SE_DROP_TITLE:
		return "title";
	case SE_DROP_ACCEPTED:
		return "accepted-answer";
	case SE_DROP_SCORE:
		return "score";
	case SE_DROP_CODE:
		return "code";
	case SE_CRITERION__COUNT:
		break;
	}
	return "?";
}

static int
any_tag_contains(const struct post *p, const char *needle)
{
	size_t i;

	for (i = 0; i < p->tags.n; i++)
		if (strstr(p->tags.v[i], needle))
			return 1;
	return 0;
}

enum se_criterion
se_search_check(const struct post *p, enum se_framework f)
{
	static const char *const bad_words[] = { "how", "install", "build" };
	const char *open;
	char *lower;
	size_t i;
	int g, bad = 0;

	/* Substring rule of the paper's SQL (Tags LIKE '%F%'). */
	if (!any_tag_contains(p, fw_names[f]))
		return SE_DROP_TAGS;
	for (g = 0; g < SE_FW__COUNT; g++)
		if (g != (int)f && any_tag_contains(p, fw_names[g]))
			return SE_DROP_TAGS;
	/* The title is already entity-decoded by post_from_se_json(). */
	lower = xstrdup(p->title ? p->title : "");
	for (i = 0; lower[i]; i++)
		lower[i] = (char)tolower((unsigned char)lower[i]);
	for (i = 0; i < ARRAY_SIZE(bad_words); i++)
		if (strstr(lower, bad_words[i]))
			bad = 1;
	free(lower);
	if (bad)
		return SE_DROP_TITLE;
	if (p->accepted_answer_id <= 0)
		return SE_DROP_ACCEPTED;
	if (p->score < 1)
		return SE_DROP_SCORE;
	open = p->body ? strstr(p->body, "<code>") : NULL;
	if (!open || !strstr(open + 6, "</code>"))
		return SE_DROP_CODE;
	return SE_KEEP;
}

char *
se_search_query(enum se_framework f, int64_t from, int64_t to, int page,
		const char *site, const char *key)
{
	struct strbuf sb;
	char *common = se_common_query(site, key);
	int g, first = 1;

	sb_init(&sb);
	sb_addf(&sb, "tagged=%s&nottagged=", fw_names[f]);
	for (g = 0; g < SE_FW__COUNT; g++) {
		if (g == (int)f)
			continue;
		sb_addf(&sb, "%s%s", first ? "" : "%3B", fw_names[g]);
		first = 0;
	}
	sb_adds(&sb, "&accepted=true&sort=votes&min=1&order=desc");
	sb_addf(&sb, "&fromdate=%lld&todate=%lld&page=%d&", (long long)from,
		(long long)to, page);
	sb_adds(&sb, common);
	free(common);
	return sb_detach(&sb);
}
