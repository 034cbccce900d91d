/*
 * fetch.c - turns what the user named into requests and runs them: one
 * request at a time per job, backoff and quota read from and written to
 * the store before and after each call, every successful response stored
 * in its own transaction, nothing written for a failed one.  Owns the
 * parsing of ids and URLs users type.  Driven by fetch_job_step() so a
 * caller's event loop keeps running.
 */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dlrepro/fetch.h"
#include "dlrepro/github.h"
#include "dlrepro/http.h"
#include "dlrepro/stackexchange.h"
#include "dlrepro/store_api.h"
#include "dlrepro/util.h"

/* ---- targets ---- */

void
fetch_target_done(struct fetch_target *t)
{
	free(t->id);
	free(t->site);
	free(t->owner);
	free(t->repo);
	memset(t, 0, sizeof(*t));
}

/* Stack Exchange hosts whose site parameter differs from the host name. */
static const struct {
	const char *host;
	const char *site;
} se_hosts[] = {
	{ "stackoverflow.com", "stackoverflow" },
	{ "serverfault.com", "serverfault" },
	{ "superuser.com", "superuser" },
	{ "askubuntu.com", "askubuntu" },
	{ "mathoverflow.net", "mathoverflow.net" },
	{ "stackapps.com", "stackapps" },
};

/* host[0, n) is a run of letters, digits and '-', at least one. */
static int
label_ok(const char *host, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)host[i]) && host[i] != '-')
			return 0;
	return n > 0;
}

/*
 * Site parameter for a question URL's host, or NULL when not SE.  The
 * API takes a site's api_site_parameter or its full domain name: meta
 * sites get the short form where it follows from the host
 * (meta.stackoverflow.com: meta.stackoverflow; meta.stackexchange.com:
 * meta), the domain name otherwise (ai.meta.stackexchange.com).
 */
static char *
se_site_for_host(const char *host, size_t n)
{
	static const char sx[] = ".stackexchange.com", so[] = ".stackoverflow.com";
	size_t i, suffix = strlen(sx);
	const char *dot;

	for (i = 0; i < ARRAY_SIZE(se_hosts); i++)
		if (strlen(se_hosts[i].host) == n &&
		    !strncmp(host, se_hosts[i].host, n))
			return xstrdup(se_hosts[i].site);
	/* meta.stackoverflow.com -> "meta.stackoverflow" and the like */
	if (n > 5 && !strncmp(host, "meta.", 5)) {
		for (i = 0; i < ARRAY_SIZE(se_hosts); i++)
			if (strlen(se_hosts[i].host) == n - 5 &&
			    !strncmp(host + 5, se_hosts[i].host, n - 5))
				return strchr(se_hosts[i].site, '.') ?
				       xstrndup(host, n) :
				       xasprintf("meta.%s", se_hosts[i].site);
	}
	/* ai.stackexchange.com -> "ai"; ai.meta.stackexchange.com whole */
	if (n > suffix && !strncmp(host + n - suffix, sx, suffix)) {
		size_t pn = n - suffix;

		if (label_ok(host, pn))
			return xstrndup(host, pn);
		if (pn > 5 && !strncmp(host + pn - 5, ".meta", 5) &&
		    label_ok(host, pn - 5))
			return xstrndup(host, n);
		return NULL;
	}
	/* pt.stackoverflow.com -> "pt.stackoverflow"; its meta whole */
	suffix = strlen(so);
	if (n > suffix && !strncmp(host + n - suffix, so, suffix)) {
		size_t pn = n - suffix;

		dot = memchr(host, '.', pn);
		if (label_ok(host, pn) && !(pn == 4 && !strncmp(host, "meta", 4)))
			return xstrndup(host, n - 4);
		if (dot && label_ok(host, (size_t)(dot - host)) &&
		    pn - (size_t)(dot - host) == 5 && !strncmp(dot, ".meta", 5))
			return xstrndup(host, n);
	}
	return NULL;
}

static int
se_target(struct fetch_target *t, const char *site, const char *num,
	  size_t n, const char *arg)
{
	char *idstr, *norm;
	size_t i;

	if (n == 0 || n > 15)
		goto bad;
	for (i = 0; i < n; i++)
		if (!isdigit((unsigned char)num[i]))
			goto bad;
	if (!strcmp(site, "stackoverflow"))
		idstr = xasprintf("so:%.*s", (int)n, num);
	else
		idstr = xasprintf("se:%s:%.*s", site, (int)n, num);
	norm = post_id_normalize(idstr);
	free(idstr);
	if (!norm)
		goto bad;
	t->kind = FETCH_TARGET_SE;
	t->id = norm;
	t->site = xstrdup(site);
	t->number = strtoll(strrchr(norm, ':') + 1, NULL, 10);
	if (t->number <= 0) {
		fetch_target_done(t);
		goto bad;
	}
	return DL_OK;
bad:
	return error_set("'%s' is not a question id or URL", arg);
}

int
fetch_target_parse(const char *arg, const char *default_site,
		   struct fetch_target *t)
{
	const char *p, *host, *path;
	char *site;
	size_t hn;
	int rc;

	memset(t, 0, sizeof(*t));
	if (!default_site)
		default_site = "stackoverflow";
	if (!strncasecmp(arg, "https://", 8) || !strncasecmp(arg, "http://", 7)) {
		/* scheme and host are case-blind: read them lowercased */
		char *low = xstrdup(arg), *q = strstr(low, "://") + 3;
		char *end = q + strcspn(q, "/?#");
		int same;

		for (char *c = low; c < end; c++)
			*c = (char)tolower((unsigned char)*c);
		same = strcmp(low, arg) == 0;
		rc = same ? DL_OK : fetch_target_parse(low, default_site, t);
		free(low);
		if (!same)
			return rc;
	}
	if (!strncmp(arg, "https://", 8) || !strncmp(arg, "http://", 7)) {
		host = strstr(arg, "://") + 3;
		hn = strcspn(host, "/?#");
		path = host + hn;
		if (hn > 4 && !strncmp(host, "www.", 4)) {
			host += 4;
			hn -= 4;
		}
		if (hn == 10 && !strncmp(host, "github.com", 10)) {
			t->kind = FETCH_TARGET_GH;
			if (gh_parse_ref(arg, &t->owner, &t->repo, &t->number))
				return DL_ERR;
			t->id = xasprintf("gh:%s/%s#%lld", t->owner, t->repo,
					  (long long)t->number);
			return DL_OK;
		}
		site = se_site_for_host(host, hn);
		if (!site)
			return error_set("'%s' is not a Stack Exchange or GitHub "
					 "URL", arg);
		if (!strncmp(path, "/questions/", 11))
			p = path + 11;
		else if (!strncmp(path, "/q/", 3))
			p = path + 3;
		else {
			free(site);
			return error_set("'%s' is not a question URL (want "
					 ".../questions/N or .../q/N)", arg);
		}
		rc = se_target(t, site, p, strcspn(p, "/?#"), arg);
		free(site);
		return rc;
	}
	if (!strncmp(arg, "gh:", 3) || (strchr(arg, '/') && strchr(arg, '#'))) {
		t->kind = FETCH_TARGET_GH;
		if (gh_parse_ref(arg, &t->owner, &t->repo, &t->number))
			return DL_ERR;
		t->id = xasprintf("gh:%s/%s#%lld", t->owner, t->repo,
				  (long long)t->number);
		return DL_OK;
	}
	if (!strncmp(arg, "so:", 3))
		return se_target(t, "stackoverflow", arg + 3, strlen(arg + 3),
				 arg);
	if (!strncmp(arg, "se:", 3)) {
		const char *colon = strchr(arg + 3, ':');
		char *s;

		if (!colon || colon == arg + 3)
			return error_set("'%s' is not a question id (want "
					 "se:SITE:N)", arg);
		s = xstrndup(arg + 3, (size_t)(colon - arg - 3));
		for (p = s; *p; p++)
			if (!islower((unsigned char)*p) &&
			    !isdigit((unsigned char)*p) && *p != '.' && *p != '-') {
				free(s);
				return error_set("'%s' is not a question id "
						 "(bad site name)", arg);
			}
		rc = se_target(t, s, colon + 1, strlen(colon + 1), arg);
		free(s);
		return rc;
	}
	return se_target(t, default_site, arg, strlen(arg), arg);
}

/* ---- the job ---- */

enum req_kind {
	REQ_SE_QUESTIONS,
	REQ_SE_ANSWERS,
	REQ_SE_SEARCH,
	REQ_GH_ISSUE,
};

struct req {
	enum req_kind kind;
	char *site;
	int64_t *ids;
	size_t nids;
	enum se_framework fw;
	int page;
	char *owner, *repo;
	int64_t number;
};

/*
 * --search shares --max among the frameworks: each gets max/n (the
 * remainder to the later ones) and pages are asked round-robin.  A
 * framework whose hits run out before its share passes the shortfall on
 * to those that may still have some; hits that passed beyond a share are
 * kept aside (spare) so that a share raised later needs no new request.
 */
struct fw_search {
	int on;			/* searched in this job */
	int64_t quota;		/* posts it may keep */
	int64_t kept;
	int next_page;		/* page to ask next; 0: no more */
	int queued;		/* a page of it waits in the queue */
	struct post *spare;	/* passed, not stored: over its share */
	size_t nspare;
};

struct fetch_job {
	struct store *st;
	struct fetch_opts o;
	char *se_api, *github_api, *site, *se_key, *github_token;
	struct http_client *http;
	struct fetch_target *targets;
	size_t ntargets;
	int planned;
	struct req *q;
	size_t nq, capq, pos;
	struct http_call *call;
	char *what;		/* "GET /questions/1;2" of the current call */
	struct se_judgement sej;
	struct gh_judgement ghj;
	struct fetch_stats stats;
	int state;
	char *err;
	int quota_warned;
	int quota_zero;
	int64_t kept;		/* search posts kept so far */
	struct fw_search fw[SE_FW__COUNT];
	char line[256];
};

void
fetch_opts_init(struct fetch_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->se_api = "https://api.stackexchange.com/2.3";
	o->github_api = "https://api.github.com";
	o->site = "stackoverflow";
	o->max_age = 7 * 86400;
	o->max = 100;
}

struct fetch_job *
fetch_job_new(struct store *st, const struct fetch_opts *o)
{
	struct fetch_job *j = xcalloc(1, sizeof(*j));

	j->st = st;
	j->o = *o;
	j->se_api = xstrdup(o->se_api);
	j->github_api = xstrdup(o->github_api);
	j->site = xstrdup(o->site ? o->site : "stackoverflow");
	j->se_key = xstrdup(o->se_key);
	j->github_token = xstrdup(o->github_token);
	j->o.se_api = j->se_api;
	j->o.github_api = j->github_api;
	j->o.site = j->site;
	j->o.se_key = j->se_key;
	j->o.github_token = j->github_token;
	j->http = http_client_new();
	j->state = FETCH_RUNNING;
	j->stats.quota_max = j->stats.quota_remaining = -1;
	return j;
}

static void
req_done(struct req *r)
{
	free(r->site);
	free(r->ids);
	free(r->owner);
	free(r->repo);
}

static void
free_secret(char *s)
{
	if (s) {
		memset(s, 0, strlen(s));
		free(s);
	}
}

void
fetch_job_free(struct fetch_job *j)
{
	size_t i;

	if (!j)
		return;
	http_call_free(j->call);
	http_client_free(j->http);
	for (i = 0; i < j->ntargets; i++)
		fetch_target_done(&j->targets[i]);
	free(j->targets);
	for (i = 0; i < j->nq; i++)
		req_done(&j->q[i]);
	free(j->q);
	free(j->se_api);
	free(j->github_api);
	free(j->site);
	free_secret(j->se_key);
	free_secret(j->github_token);
	for (i = 0; i < SE_FW__COUNT; i++) {
		for (size_t k = 0; k < j->fw[i].nspare; k++)
			post_done(&j->fw[i].spare[k]);
		free(j->fw[i].spare);
	}
	free(j->what);
	free(j->err);
	free(j);
}

void
fetch_job_add(struct fetch_job *j, const struct fetch_target *t)
{
	struct fetch_target *c;

	j->targets = xreallocarray(j->targets, j->ntargets + 1,
				   sizeof(*j->targets));
	c = &j->targets[j->ntargets++];
	*c = *t;
	c->id = xstrdup(t->id);
	c->site = xstrdup(t->site);
	c->owner = xstrdup(t->owner);
	c->repo = xstrdup(t->repo);
}

/* Insert r at position at (copying the struct; r's pointers move in). */
static void
queue_insert(struct fetch_job *j, size_t at, const struct req *r)
{
	if (j->nq == j->capq) {
		j->capq = j->capq ? 2 * j->capq : 16;
		j->q = xreallocarray(j->q, j->capq, sizeof(*j->q));
	}
	memmove(&j->q[at + 1], &j->q[at], (j->nq - at) * sizeof(*j->q));
	j->q[at] = *r;
	j->nq++;
}

/*
 * The one way out of the job for text: every error and note passes here
 * before a caller can print, show, log or store it.  Server text (error
 * messages that may echo the request) loses the key and token, then goes
 * through the terminal sanitiser; redacting again afterwards catches a
 * secret an escape sequence had split.
 */
static char *
job_scrub(const struct fetch_job *j, const char *text)
{
	const char *secrets[3];
	char *a, *b, *c;
	size_t n = 0;

	if (j->se_key)
		secrets[n++] = j->se_key;
	if (j->github_token)
		secrets[n++] = j->github_token;
	secrets[n] = NULL;
	a = http_redact(text, secrets);
	b = term_safe(a);
	c = http_redact(b, secrets);
	free(a);
	free(b);
	return c;
}

static void
note(struct fetch_job *j, enum fetch_note_kind k, const char *fmt, ...)
	DL_PRINTF(3, 4);

static void
note(struct fetch_job *j, enum fetch_note_kind k, const char *fmt, ...)
{
	va_list ap;
	char *raw, *msg;
	struct strbuf sb;

	if (!j->o.note)
		return;
	sb_init(&sb);
	va_start(ap, fmt);
	sb_vaddf(&sb, fmt, ap);
	va_end(ap);
	raw = sb_detach(&sb);
	msg = job_scrub(j, raw);
	free(raw);
	j->o.note(j->o.note_arg, k, msg);
	free(msg);
}

static int
is_fresh(struct fetch_job *j, const char *id)
{
	int64_t at;

	if (j->o.refresh)
		return 0;
	at = store_post_fetched_at(j->st, id);
	if (at <= 0)
		return 0;
	return (int64_t)now_wall() - at < j->o.max_age;
}

/* Queue batches of up to SE_BATCH ids of one kind for one site. */
static void
queue_id_batches(struct fetch_job *j, size_t at, enum req_kind kind,
		 const char *site, const int64_t *ids, size_t n)
{
	size_t i, k;
	struct req r;

	for (i = 0; i < n; i += SE_BATCH) {
		memset(&r, 0, sizeof(r));
		r.kind = kind;
		r.site = xstrdup(site);
		r.nids = n - i < SE_BATCH ? n - i : SE_BATCH;
		r.ids = xcalloc(r.nids, sizeof(*r.ids));
		for (k = 0; k < r.nids; k++)
			r.ids[k] = ids[i + k];
		queue_insert(j, at++, &r);
	}
}

/* Append the next page of framework f's search (round-robin order). */
/*
 * Part k of total split n ways as evenly as whole numbers allow, the
 * remainder going to the last parts (pytorch, tensorflow, keras order).
 */
static int64_t
share_of(int64_t total, int64_t n, int64_t k)
{
	return total / n + (k >= n - total % n);
}

static void
queue_search_page(struct fetch_job *j, enum se_framework f)
{
	struct req r;

	memset(&r, 0, sizeof(r));
	r.kind = REQ_SE_SEARCH;
	r.site = xstrdup(j->site);
	r.fw = f;
	r.page = j->fw[f].next_page;
	j->fw[f].queued = 1;
	queue_insert(j, j->nq, &r);
}

/* Add an answer id to the last answers batch of site, or start one. */
static void
queue_answer(struct fetch_job *j, const char *site, int64_t id)
{
	struct req *r = j->nq ? &j->q[j->nq - 1] : NULL;

	if (r && r->kind == REQ_SE_ANSWERS && !strcmp(r->site, site) &&
	    r->nids < SE_BATCH) {
		r->ids = xreallocarray(r->ids, r->nids + 1, sizeof(*r->ids));
		r->ids[r->nids++] = id;
		return;
	}
	queue_id_batches(j, j->nq, REQ_SE_ANSWERS, site, &id, 1);
}

/*
 * A fresh question is not asked again, but with --with-answers its
 * accepted answer may still be missing (fetched earlier without the
 * option): queue just that answer.
 */
static int
missing_answer(struct fetch_job *j, const struct fetch_target *t)
{
	struct post p;
	char *body = NULL;
	int rc;

	rc = store_post_get(j->st, t->id, &p);
	if (rc != DL_OK)
		return rc == DL_NOTFOUND ? DL_OK : DL_ERR;
	if (p.accepted_answer_id > 0) {
		rc = store_answer_get_accepted(j->st, t->id, &body);
		free(body);
		if (rc == DL_ERR) {
			post_done(&p);
			return DL_ERR;
		}
		if (rc == DL_NOTFOUND)
			queue_answer(j, t->site, p.accepted_answer_id);
	}
	post_done(&p);
	return DL_OK;
}

static int
plan(struct fetch_job *j)
{
	size_t i, k, n;
	int64_t *ids;
	struct req r;
	int f, fresh;

	/* Drop repeated targets: each post is asked for once. */
	for (i = 0; i < j->ntargets; i++)
		for (k = 0; k < i && j->targets[i].id; k++)
			if (j->targets[k].id &&
			    !strcmp(j->targets[k].id, j->targets[i].id)) {
				free(j->targets[i].id);
				j->targets[i].id = NULL;
			}
	for (i = 0; i < j->ntargets; i++) {
		if (!j->targets[i].id)
			continue;
		j->stats.asked++;
		fresh = is_fresh(j, j->targets[i].id);
		if (fresh) {
			j->stats.fresh++;
			if (j->o.with_answers &&
			    j->targets[i].kind == FETCH_TARGET_SE &&
			    missing_answer(j, &j->targets[i]) == DL_ERR)
				return DL_ERR;
			free(j->targets[i].id);
			j->targets[i].id = NULL;
		}
	}
	/* Stack Exchange questions, site by site in the order first named. */
	ids = xcalloc(j->ntargets + 1, sizeof(*ids));
	for (i = 0; i < j->ntargets; i++) {
		struct fetch_target *t = &j->targets[i];
		char *site;

		if (t->kind != FETCH_TARGET_SE || !t->id)
			continue;
		site = xstrdup(t->site);
		for (n = 0, k = i; k < j->ntargets; k++) {
			struct fetch_target *u = &j->targets[k];

			if (u->kind != FETCH_TARGET_SE || !u->id ||
			    strcmp(u->site, site))
				continue;
			ids[n++] = u->number;
			free(u->id);
			u->id = NULL;
		}
		queue_id_batches(j, j->nq, REQ_SE_QUESTIONS, site, ids, n);
		free(site);
	}
	free(ids);
	for (i = 0; i < j->ntargets; i++) {
		struct fetch_target *t = &j->targets[i];

		if (t->kind != FETCH_TARGET_GH || !t->id)
			continue;
		memset(&r, 0, sizeof(r));
		r.kind = REQ_GH_ISSUE;
		r.owner = xstrdup(t->owner);
		r.repo = xstrdup(t->repo);
		r.number = t->number;
		queue_insert(j, j->nq, &r);
	}
	for (n = 0, f = 0; f < SE_FW__COUNT; f++)
		if (j->o.frameworks & (1u << f))
			n++;
	for (k = 0, f = 0; f < SE_FW__COUNT; f++) {
		if (!(j->o.frameworks & (1u << f)))
			continue;
		/* max/n each; what does not divide goes to the later ones */
		j->fw[f].on = 1;
		j->fw[f].quota = share_of(j->o.max, (int64_t)n, (int64_t)k);
		j->fw[f].next_page = 1;
		k++;
		/* With a share of 0 it waits for another's shortfall. */
		if (j->fw[f].quota > 0)
			queue_search_page(j, (enum se_framework)f);
	}
	j->planned = 1;
	return DL_OK;
}

static char *
ids_what(const char *word, const struct req *r)
{
	struct strbuf sb;
	size_t i, show = r->nids <= 5 ? r->nids : 3;

	sb_init(&sb);
	sb_addf(&sb, "GET /%s/", word);
	for (i = 0; i < show; i++)
		sb_addf(&sb, "%s%lld", i ? ";" : "", (long long)r->ids[i]);
	if (show < r->nids)
		sb_addf(&sb, ";... (%zu ids)", r->nids);
	return sb_detach(&sb);
}

static const char *
req_base(const struct fetch_job *j, const struct req *r)
{
	return r->kind == REQ_GH_ISSUE ? j->github_api : j->se_api;
}

static const char *
req_method(const struct req *r)
{
	switch (r->kind) {
	case REQ_SE_QUESTIONS:
		return SE_METHOD_QUESTIONS;
	case REQ_SE_ANSWERS:
		return SE_METHOD_ANSWERS;
	case REQ_SE_SEARCH:
		return SE_METHOD_SEARCH;
	case REQ_GH_ISSUE:
		break;
	}
	return GH_METHOD_ALL;
}

static int
job_fail(struct fetch_job *j, const char *msg)
{
	char *safe = job_scrub(j, msg);

	free(j->err);
	j->err = safe;
	j->state = FETCH_FAILED;
	error_set("%s", safe);
	return FETCH_FAILED;
}

static char *
until_message(const char *what, double wait)
{
	char iso[40], *dot;

	format_iso8601((double)(int64_t)(now_wall() + wait), iso, sizeof(iso));
	dot = strchr(iso, '.');
	if (dot)
		strcpy(dot, "Z");
	return xasprintf("%s, requests possible again in %.0f s (at %s)", what,
			 ceil(wait), iso);
}

/* Create the call for q[pos]; FETCH_RUNNING or FETCH_FAILED. */
static int
start_request(struct fetch_job *j)
{
	struct req *r = &j->q[j->pos];
	struct api_state all, one;
	struct http_request rq;
	char *path = NULL, *query = NULL, *url, **gh_h = NULL;
	const char *base = req_base(j, r), *method = req_method(r);
	double nb, wait;
	int rc;

	free(j->what);
	switch (r->kind) {
	case REQ_SE_QUESTIONS:
	case REQ_SE_ANSWERS: {
		const char *word = r->kind == REQ_SE_QUESTIONS ? "questions" :
				   "answers";

		path = se_ids_path(word, r->ids, r->nids);
		query = se_common_query(r->site, j->se_key);
		j->what = ids_what(word, r);
		break;
	}
	case REQ_SE_SEARCH:
		path = xstrdup("/search/advanced");
		query = se_search_query(r->fw, j->o.from, j->o.to, r->page,
					r->site, j->se_key);
		j->what = xasprintf("GET /search/advanced (%s, page %d)",
				    se_framework_name(r->fw), r->page);
		break;
	case REQ_GH_ISSUE:
		path = gh_issue_path(r->owner, r->repo, r->number);
		j->what = xasprintf("GET %s", path);
		gh_h = gh_headers(j->github_token);
		break;
	}

	if (r->kind != REQ_GH_ISSUE && j->quota_zero) {
		char *m = xasprintf("%s: quota exhausted (0 of %lld requests "
				    "left)", j->what,
				    (long long)j->stats.quota_max);

		rc = job_fail(j, m);
		free(m);
		goto out;
	}
	/* Backoff and quota waits remembered from this or earlier runs. */
	if (store_api_get(j->st, base, SE_METHOD_ALL, &all) == DL_ERR ||
	    store_api_get(j->st, base, method, &one) == DL_ERR) {
		rc = job_fail(j, error_msg());
		goto out;
	}
	nb = all.not_before > one.not_before ? all.not_before : one.not_before;
	wait = nb - now_wall();
	if (wait > HTTP_MAX_WAIT) {
		char *why, *m;

		if (all.not_before >= one.not_before)
			why = until_message(r->kind == REQ_GH_ISSUE ?
					    "rate limit exceeded" :
					    "quota exhausted", wait);
		else
			why = until_message("backoff requested by the API", wait);
		m = xasprintf("%s: %s", j->what, why);
		rc = job_fail(j, m);
		free(why);
		free(m);
		goto out;
	}
	if (wait > 0.05)
		note(j, FETCH_NOTE_PROGRESS, "%s: waiting %.0f s as the API asked",
		     j->what, ceil(wait));

	url = query ? xasprintf("%s%s?%s", base, path, query) :
		      xasprintf("%s%s", base, path);
	memset(&rq, 0, sizeof(rq));
	rq.url = url;
	rq.headers = (const char *const *)gh_h;
	/* nothing known of this call's limits until it is judged */
	j->ghj.reset_at = 0;
	j->ghj.remaining = j->ghj.limit = -1;
	j->call = http_call_new(j->http, &rq, j->what,
				r->kind == REQ_GH_ISSUE ? gh_judge : se_judge,
				r->kind == REQ_GH_ISSUE ? (void *)&j->ghj :
							  (void *)&j->sej,
				now_mono() + (wait > 0 ? wait : 0));
	/* The URL may hold the key: wipe it. */
	memset(url, 0, strlen(url));
	free(url);
	rc = FETCH_RUNNING;
out:
	gh_headers_free(gh_h);
	if (query)
		memset(query, 0, strlen(query));
	free(query);
	free(path);
	return rc;
}

static char *
se_post_id(const char *site, int64_t qid)
{
	if (!site || !strcmp(site, "stackoverflow"))
		return xasprintf("so:%lld", (long long)qid);
	return xasprintf("se:%s:%lld", site, (long long)qid);
}

static void
update_quota(struct fetch_job *j, const struct se_wrapper *w)
{
	if (w->quota_max >= 0)
		j->stats.quota_max = w->quota_max;
	if (w->quota_remaining < 0)
		return;
	j->stats.quota_remaining = w->quota_remaining;
	if (w->quota_remaining == 0)
		j->quota_zero = 1;
	/* At 0 the next request fails with its own message instead. */
	if (!j->quota_warned && j->stats.quota_max > 0 &&
	    w->quota_remaining > 0 &&
	    w->quota_remaining * 10 < j->stats.quota_max) {
		j->quota_warned = 1;
		note(j, FETCH_NOTE_WARNING, "Stack Exchange quota low: %lld of "
		     "%lld requests left%s", (long long)w->quota_remaining,
		     (long long)j->stats.quota_max,
		     j->se_key ? "" : " (an API key raises it to 10000)");
	}
}

static int search_continue(struct fetch_job *j, enum se_framework f);

/* Store up to want spare posts of framework f; DL_OK or DL_ERR (set). */
static int
store_spares(struct fetch_job *j, enum se_framework f, size_t want)
{
	struct fw_search *fs = &j->fw[f];
	int64_t *answer_ids;
	size_t i, n = want < fs->nspare ? want : fs->nspare, nanswer = 0;

	if (!n)
		return DL_OK;
	if (store_begin(j->st) != DL_OK)
		return DL_ERR;
	for (i = 0; i < n; i++)
		if (store_post_put(j->st, &fs->spare[i]) != DL_OK) {
			store_rollback(j->st);
			return DL_ERR;
		}
	if (store_commit(j->st) != DL_OK)
		return DL_ERR;
	answer_ids = xcalloc(n, sizeof(*answer_ids));
	for (i = 0; i < n; i++) {
		if (j->o.with_answers && fs->spare[i].accepted_answer_id > 0)
			answer_ids[nanswer++] = fs->spare[i].accepted_answer_id;
		post_done(&fs->spare[i]);
	}
	if (nanswer)
		queue_id_batches(j, j->nq, REQ_SE_ANSWERS, j->site, answer_ids,
				 nanswer);
	free(answer_ids);
	memmove(fs->spare, fs->spare + n, (fs->nspare - n) * sizeof(*fs->spare));
	fs->nspare -= n;
	fs->kept += (int64_t)n;
	j->kept += (int64_t)n;
	j->stats.kept += (int)n;
	j->stats.stored += (int)n;
	j->stats.over_max -= (int)n;
	return DL_OK;
}

/* Framework f may still give hits: spares, a next page, one queued. */
static int
search_alive(const struct fw_search *fs)
{
	return fs->on && (fs->nspare || fs->next_page || fs->queued);
}

/* Raise the shares of the frameworks still alive by amount in all. */
static int
search_pass_on(struct fetch_job *j, int64_t amount)
{
	int64_t n = 0, k = 0, share;
	int f;

	for (f = 0; f < SE_FW__COUNT; f++)
		if (search_alive(&j->fw[f]))
			n++;
	if (!n)
		return DL_OK;	/* nothing left anywhere to fill it */
	for (f = 0; f < SE_FW__COUNT; f++) {
		if (!search_alive(&j->fw[f]))
			continue;
		share = share_of(amount, n, k++);
		j->fw[f].quota += share;
	}
	for (f = 0; f < SE_FW__COUNT; f++)
		if (search_alive(&j->fw[f]) &&
		    search_continue(j, (enum se_framework)f) != DL_OK)
			return DL_ERR;
	return DL_OK;
}

/*
 * After a page of f (or a raised share): fill the share from spares, ask
 * the next page while short, or pass the shortfall on once f has run out.
 */
static int
search_continue(struct fetch_job *j, enum se_framework f)
{
	struct fw_search *fs = &j->fw[f];
	int64_t shortfall;

	if (fs->queued || fs->kept >= fs->quota)
		return DL_OK;
	if (store_spares(j, f, (size_t)(fs->quota - fs->kept)) != DL_OK)
		return DL_ERR;
	if (fs->kept >= fs->quota)
		return DL_OK;
	if (fs->next_page) {
		queue_search_page(j, f);
		return DL_OK;
	}
	shortfall = fs->quota - fs->kept;
	fs->quota = fs->kept;
	return search_pass_on(j, shortfall);
}

/* Store one successful Stack Exchange page; DL_OK or DL_ERR (set). */
static int
handle_se(struct fetch_job *j, struct req *r, const struct http_response *resp)
{
	struct se_page pg;
	int64_t *answer_ids = NULL;
	size_t nanswer = 0, i, k;
	int rc = DL_ERR, kept_page = 0;
	enum se_criterion c;
	struct fw_search *fs = r->kind == REQ_SE_SEARCH ? &j->fw[r->fw] : NULL;

	if (se_page_parse(&pg, resp->body, resp->len, r->site,
			  r->kind == REQ_SE_ANSWERS ? SE_ITEMS_ANSWERS :
						      SE_ITEMS_QUESTIONS) != DL_OK)
		return error_prefix("%s: ", j->what);
	if (pg.w.error_id) {
		char *name = http_server_text(pg.w.error_name ?
					      pg.w.error_name : "", 64);

		error_set("%s: error %lld %s", j->what, (long long)pg.w.error_id,
			  name);
		free(name);
		goto out;
	}
	answer_ids = xcalloc(pg.nposts + 1, sizeof(*answer_ids));
	if (store_begin(j->st) != DL_OK)
		goto out;
	for (i = 0; i < pg.nposts; i++) {
		struct post *p = &pg.posts[i];

		if (r->kind == REQ_SE_SEARCH) {
			j->stats.seen++;
			c = se_search_check(p, r->fw);
			if (c != SE_KEEP) {
				j->stats.dropped[c]++;
				continue;
			}
			if (fs->kept >= fs->quota) {
				/* Past its share: aside, in case it grows. */
				fs->spare = xreallocarray(fs->spare,
							  fs->nspare + 1,
							  sizeof(*fs->spare));
				fs->spare[fs->nspare++] = *p;
				memset(p, 0, sizeof(*p));
				j->stats.over_max++;
				continue;
			}
			fs->kept++;
			j->kept++;
			j->stats.kept++;
			kept_page++;
		}
		if (store_post_put(j->st, p) != DL_OK)
			goto rollback;
		j->stats.stored++;
		if (j->o.with_answers && p->accepted_answer_id > 0)
			answer_ids[nanswer++] = p->accepted_answer_id;
	}
	for (i = 0; i < pg.nanswers; i++) {
		struct se_answer *a = &pg.answers[i];
		char *pid = se_post_id(r->site, a->question_id);

		if (store_post_exists(j->st, pid) == 1) {
			if (store_answer_put(j->st, pid, a->answer_id, a->body,
					     a->score, a->is_accepted,
					     a->created_at, a->raw_json) != DL_OK) {
				free(pid);
				goto rollback;
			}
			j->stats.answers++;
		}
		free(pid);
	}
	if (store_api_set_quota(j->st, j->se_api, pg.w.quota_max,
				pg.w.quota_remaining) != DL_OK)
		goto rollback;
	if (pg.w.backoff > 0 &&
	    store_api_set_not_before(j->st, j->se_api, req_method(r),
				     now_wall() + (double)pg.w.backoff) != DL_OK)
		goto rollback;
	if (store_commit(j->st) != DL_OK)
		goto out;

	update_quota(j, &pg.w);
	if (r->kind == REQ_SE_QUESTIONS) {
		/* Ids asked for but not returned: deleted or never existed. */
		for (k = 0; k < r->nids; k++) {
			for (i = 0; i < pg.nposts; i++)
				if (strtoll(pg.posts[i].external_id, NULL, 10) ==
				    r->ids[k])
					break;
			if (i == pg.nposts) {
				char *pid = se_post_id(r->site, r->ids[k]);

				j->stats.not_found++;
				note(j, FETCH_NOTE_WARNING, "%s not found "
				     "(deleted or never existed)", pid);
				free(pid);
			}
		}
	}
	if (r->kind == REQ_SE_SEARCH) {
		note(j, FETCH_NOTE_PROGRESS, "search %s: page %d: %zu hits, "
		     "%d kept (%lld in all)", se_framework_name(r->fw), r->page,
		     pg.nposts, kept_page, (long long)j->kept);
		fs->queued = 0;
		fs->next_page = pg.w.has_more ? r->page + 1 : 0;
		if (search_continue(j, r->fw) != DL_OK)
			goto out;
	}
	if (nanswer)
		queue_id_batches(j, j->nq, REQ_SE_ANSWERS, r->site, answer_ids,
				 nanswer);
	rc = DL_OK;
	goto out;
rollback:
	store_rollback(j->st);
	error_prefix("%s: ", j->what);
out:
	free(answer_ids);
	se_page_done(&pg);
	return rc;
}

static int
handle_gh(struct fetch_job *j, struct req *r, const struct http_response *resp)
{
	struct post p;
	const char *missing = gh_missing_reason(resp->status);
	int rc = DL_ERR;

	/*
	 * A missing, deleted issue or a pull request is a warning, as a
	 * missing Stack Exchange id is: the other posts are still fetched.
	 */
	if (missing) {
		j->stats.not_found++;
		note(j, FETCH_NOTE_WARNING, "gh:%s/%s#%lld %s", r->owner,
		     r->repo, (long long)r->number, missing);
		return DL_OK;
	}
	rc = gh_issue_parse(resp->body, resp->len, r->owner, r->repo,
			    r->number, &p);
	if (rc == DL_NOTFOUND) {
		post_done(&p);
		j->stats.not_found++;
		note(j, FETCH_NOTE_WARNING, "gh:%s (skipped)", error_msg());
		return DL_OK;
	}
	if (rc != DL_OK) {
		post_done(&p);
		return error_prefix("%s: ", j->what);
	}
	rc = DL_ERR;
	if (store_begin(j->st) != DL_OK)
		goto out;
	if (store_post_put(j->st, &p) != DL_OK ||
	    store_api_set_quota(j->st, j->github_api, resp->rl_limit,
				resp->rl_remaining) != DL_OK) {
		store_rollback(j->st);
		goto out;
	}
	if (store_commit(j->st) != DL_OK)
		goto out;
	j->stats.stored++;
	rc = DL_OK;
out:
	post_done(&p);
	return rc;
}

/* Remember what a failed call taught us about waiting. */
static void
remember_failure(struct fetch_job *j, const struct req *r)
{
	double now = now_wall();

	if (r->kind == REQ_GH_ISSUE) {
		/*
		 * A 403/429 names what is left (0 when the limit is hit):
		 * without it config and the dashboard would go on showing
		 * the last success's count while every call is refused.
		 */
		if (j->ghj.remaining >= 0)
			store_api_set_quota(j->st, j->github_api, j->ghj.limit,
					    j->ghj.remaining);
		if (j->ghj.reset_at > 0)
			store_api_set_not_before(j->st, j->github_api,
						 GH_METHOD_ALL,
						 (double)j->ghj.reset_at);
		return;
	}
	if (j->sej.quota_wait >= 0)
		store_api_set_not_before(j->st, j->se_api, SE_METHOD_ALL,
					 now + (double)j->sej.quota_wait);
	if (j->sej.backoff > 0)
		store_api_set_not_before(j->st, j->se_api, req_method(r),
					 now + (double)j->sej.backoff);
}

/* Handle a finished call; FETCH_RUNNING to go on or FETCH_FAILED. */
static int
finish_call(struct fetch_job *j, enum http_call_state cs)
{
	struct req *r = &j->q[j->pos];
	int rc;

	j->stats.requests += http_call_attempts(j->call);
	if (cs == HTTP_CALL_FAILED) {
		char *m = xstrdup(http_call_error(j->call));

		remember_failure(j, r);
		rc = job_fail(j, m);
		free(m);
	} else {
		const struct http_response *resp = http_call_response(j->call);

		if (r->kind == REQ_GH_ISSUE)
			rc = handle_gh(j, r, resp);
		else
			rc = handle_se(j, r, resp);
		rc = rc == DL_OK ? FETCH_RUNNING : job_fail(j, error_msg());
	}
	/* A retried attempt's cause may quote a secret: leave none behind. */
	if (rc == FETCH_RUNNING)
		error_clear();
	http_call_free(j->call);
	j->call = NULL;
	j->pos++;
	return rc;
}

int
fetch_job_step(struct fetch_job *j, int timeout_ms, int extra_fd,
	       int *extra_ready)
{
	enum http_call_state cs;
	int waited = 0, t;

	if (extra_ready)
		*extra_ready = 0;
	if (j->state != FETCH_RUNNING)
		return j->state;
	if (!j->planned && plan(j) != DL_OK)
		return job_fail(j, error_msg());
	for (;;) {
		if (!j->call) {
			/* Search: stop paging once enough posts are kept. */
			while (j->pos < j->nq &&
			       j->q[j->pos].kind == REQ_SE_SEARCH &&
			       j->kept >= j->o.max)
				j->pos++;
			if (j->pos >= j->nq) {
				j->state = FETCH_DONE;
				return j->state;
			}
			if (start_request(j) != FETCH_RUNNING)
				return j->state;
		}
		cs = http_call_poll(j->call);
		if (cs == HTTP_CALL_DONE || cs == HTTP_CALL_FAILED) {
			if (finish_call(j, cs) != FETCH_RUNNING)
				return j->state;
			continue;
		}
		if (waited)
			return FETCH_RUNNING;
		t = cs == HTTP_CALL_RUNNING ? timeout_ms :
		    http_call_timeout_ms(j->call);
		if (t > timeout_ms)
			t = timeout_ms;
		if (http_client_wait(j->http, t, extra_fd, extra_ready) < 0)
			return job_fail(j, error_msg());
		waited = 1;
		if (extra_ready && *extra_ready)
			return FETCH_RUNNING;
	}
}

void
fetch_job_wakeup(struct fetch_job *j)
{
	http_client_wakeup(j->http);
}

int
fetch_job_run(struct fetch_job *j)
{
	int st;

	while ((st = fetch_job_step(j, 1000, -1, NULL)) == FETCH_RUNNING)
		;
	if (st == FETCH_FAILED)
		return error_set("%s", j->err ? j->err : "fetch failed");
	return DL_OK;
}

const struct fetch_stats *
fetch_job_stats(const struct fetch_job *j)
{
	return &j->stats;
}

const char *
fetch_job_error(const struct fetch_job *j)
{
	return j->err ? j->err : "";
}

const char *
fetch_job_status_line(const struct fetch_job *j)
{
	struct fetch_job *m = (struct fetch_job *)j;

	switch (j->state) {
	case FETCH_DONE:
		snprintf(m->line, sizeof(m->line), "fetched %d post%s "
			 "(%d fresh, %d not found)", j->stats.stored,
			 j->stats.stored == 1 ? "" : "s", j->stats.fresh,
			 j->stats.not_found);
		break;
	case FETCH_FAILED:
		snprintf(m->line, sizeof(m->line), "%s", fetch_job_error(j));
		break;
	default:
		snprintf(m->line, sizeof(m->line), "fetching %zu/%zu: %s",
			 j->pos + 1 > j->nq ? j->nq : j->pos + 1, j->nq,
			 j->what ? j->what : "planning");
		break;
	}
	return m->line;
}
