/*
 * post.c - struct post, post identifiers, and the conversion of a Stack
 * Exchange question object (as the API or an import file gives it) into a
 * post.  Titles arrive entity-encoded and are decoded exactly once here.
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>
#include <libxml/HTMLparser.h>

#include "dlrepro/post.h"
#include "dlrepro/text.h"
#include "dlrepro/util.h"

void
post_init(struct post *p)
{
	memset(p, 0, sizeof *p);
	sv_init(&p->tags);
	p->body = xstrdup("");
	p->title = xstrdup("");
}

void
post_done(struct post *p)
{
	free(p->id);
	free(p->site);
	free(p->external_id);
	free(p->title);
	free(p->body);
	sv_done(&p->tags);
	free(p->state);
	free(p->link);
	free(p->raw_json);
	memset(p, 0, sizeof *p);
}

static void
clean(char **f)
{
	char *c;

	if (*f == NULL)
		return;
	c = text_sanitize(*f, strlen(*f));
	free(*f);
	*f = c;
}

void
post_sanitize(struct post *p)
{
	clean(&p->site);
	clean(&p->external_id);
	clean(&p->title);
	clean(&p->body);
	clean(&p->state);
	clean(&p->link);
	for (size_t i = 0; i < p->tags.n; i++)
		clean(&p->tags.v[i]);
}

const char *
post_source_name(enum post_source s)
{
	switch (s) {
	case POST_SE:
		return "se";
	case POST_GH:
		return "gh";
	case POST_MANUAL:
		return "manual";
	case POST_SO:
	default:
		return "so";
	}
}

static const char *const format_names[] = { "html", "markdown", "text" };

const char *
post_format_name(enum post_format f)
{
	return (unsigned)f < ARRAY_SIZE(format_names) ? format_names[f]
						      : "html";
}

int
post_format_from_name(const char *name, enum post_format *out)
{
	for (size_t i = 0; name != NULL && i < ARRAY_SIZE(format_names); i++)
		if (strcmp(name, format_names[i]) == 0) {
			*out = (enum post_format)i;
			return DL_OK;
		}
	return error_set("'%s' is not a body format (html, markdown, text)",
			 name ? name : "");
}

/* ---- identifiers ---- */

static int
all_digits(const char *s, size_t n)
{
	if (n == 0 || n > 18)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

static int
site_char(int c)
{
	return isalnum(c) || c == '.' || c == '-';
}

static int
repo_char(int c)
{
	return isalnum(c) || c == '.' || c == '-' || c == '_';
}

/* Strip leading zeros so "so:0123" and "so:123" are one post. */
static char *
canon_number(const char *s, size_t n)
{
	while (n > 1 && *s == '0') {
		s++;
		n--;
	}
	return xstrndup(s, n);
}

char *
post_id_normalize(const char *in)
{
	const char *p, *colon, *slash, *hash;
	char *num, *out;

	if (in == NULL || *in == '\0')
		goto bad;
	if (all_digits(in, strlen(in))) {
		num = canon_number(in, strlen(in));
		out = xasprintf("so:%s", num);
		free(num);
		return out;
	}
	if (strncmp(in, "so:", 3) == 0 || strncmp(in, "manual:", 7) == 0) {
		p = strchr(in, ':') + 1;
		if (!all_digits(p, strlen(p)))
			goto bad;
		num = canon_number(p, strlen(p));
		out = xasprintf("%.*s:%s", (int)(p - in - 1), in, num);
		free(num);
		return out;
	}
	if (strncmp(in, "se:", 3) == 0) {
		p = in + 3;
		colon = strchr(p, ':');
		if (colon == NULL || colon == p)
			goto bad;
		for (const char *c = p; c < colon; c++)
			if (!site_char((unsigned char)*c))
				goto bad;
		if (!all_digits(colon + 1, strlen(colon + 1)))
			goto bad;
		num = canon_number(colon + 1, strlen(colon + 1));
		out = xasprintf("se:%.*s:%s", (int)(colon - p), p, num);
		for (char *c = out + 3; *c != ':'; c++)
			*c = (char)tolower((unsigned char)*c);
		free(num);
		return out;
	}
	if (strncmp(in, "gh:", 3) == 0) {
		p = in + 3;
		slash = strchr(p, '/');
		hash = strchr(p, '#');
		if (slash == NULL || hash == NULL || slash == p ||
		    hash < slash + 2)
			goto bad;
		for (const char *c = p; c < hash; c++)
			if (c != slash && !repo_char((unsigned char)*c))
				goto bad;
		if (!all_digits(hash + 1, strlen(hash + 1)))
			goto bad;
		num = canon_number(hash + 1, strlen(hash + 1));
		out = xasprintf("gh:%.*s#%s", (int)(hash - p), p, num);
		free(num);
		return out;
	}
bad:
	error_set("'%s' is not a post id (want so:N, se:SITE:N, "
		  "gh:OWNER/REPO#N, manual:N or a bare number)",
		  in ? in : "");
	return NULL;
}

int
post_id_split(const char *id, enum post_source *source, char **site,
	      char **external_id)
{
	char *norm = post_id_normalize(id);
	const char *sep;

	if (norm == NULL)
		return DL_ERR;
	*site = NULL;
	if (strncmp(norm, "so:", 3) == 0) {
		*source = POST_SO;
		*site = xstrdup("stackoverflow");
		*external_id = xstrdup(norm + 3);
	} else if (strncmp(norm, "manual:", 7) == 0) {
		*source = POST_MANUAL;
		*external_id = xstrdup(norm + 7);
	} else if (strncmp(norm, "se:", 3) == 0) {
		sep = strchr(norm + 3, ':');
		*source = POST_SE;
		*site = xstrndup(norm + 3, (size_t)(sep - norm - 3));
		*external_id = xstrdup(sep + 1);
	} else {
		sep = strchr(norm, '#');
		*source = POST_GH;
		*site = xstrndup(norm + 3, (size_t)(sep - norm - 3));
		*external_id = xstrdup(sep + 1);
	}
	free(norm);
	return DL_OK;
}

/* ---- entities ---- */

static void
add_utf8(struct strbuf *sb, unsigned long cp)
{
	char b[4];

	if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		cp = 0xFFFD;
	if (cp < 0x80) {
		sb_addc(sb, (char)cp);
	} else if (cp < 0x800) {
		b[0] = (char)(0xC0 | (cp >> 6));
		b[1] = (char)(0x80 | (cp & 0x3F));
		sb_add(sb, b, 2);
	} else if (cp < 0x10000) {
		b[0] = (char)(0xE0 | (cp >> 12));
		b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		b[2] = (char)(0x80 | (cp & 0x3F));
		sb_add(sb, b, 3);
	} else {
		b[0] = (char)(0xF0 | (cp >> 18));
		b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		b[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		b[3] = (char)(0x80 | (cp & 0x3F));
		sb_add(sb, b, 4);
	}
}

char *
html_entity_decode(const char *s)
{
	struct strbuf sb;

	sb_init(&sb);
	while (*s != '\0') {
		const char *semi;

		if (*s != '&' || (semi = strchr(s, ';')) == NULL ||
		    semi - s > 32) {
			sb_addc(&sb, *s++);
			continue;
		}
		if (s[1] == '#') {
			unsigned long cp;
			char *end;
			int hex = s[2] == 'x' || s[2] == 'X';

			cp = strtoul(s + (hex ? 3 : 2), &end, hex ? 16 : 10);
			if (end != semi || end == s + (hex ? 3 : 2)) {
				sb_addc(&sb, *s++);
				continue;
			}
			add_utf8(&sb, cp);
		} else {
			char name[40];
			const htmlEntityDesc *e;

			memcpy(name, s + 1, (size_t)(semi - s - 1));
			name[semi - s - 1] = '\0';
			e = htmlEntityLookup((const xmlChar *)name);
			if (e == NULL) {
				sb_addc(&sb, *s++);
				continue;
			}
			add_utf8(&sb, e->value);
		}
		s = semi + 1;
	}
	return sb_detach(&sb);
}

/* ---- Stack Exchange question objects ---- */

static int
opt_int(const cJSON *obj, const char *name, int64_t *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);

	if (v == NULL || cJSON_IsNull(v))
		return DL_OK;
	if (!cJSON_IsNumber(v))
		return error_set("field '%s' must be a number", name);
	*out = (int64_t)v->valuedouble;
	return DL_OK;
}

static int
opt_str(const cJSON *obj, const char *name, char **out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);

	if (v == NULL || cJSON_IsNull(v))
		return DL_OK;
	if (!cJSON_IsString(v))
		return error_set("field '%s' must be a string", name);
	free(*out);
	*out = xstrdup(v->valuestring);
	return DL_OK;
}

int
post_from_se_json(const cJSON *obj, const char *site, struct post *p)
{
	const cJSON *qid, *title, *tags, *it;
	int64_t id;
	char *raw;

	post_init(p);
	if (!cJSON_IsObject(obj))
		return error_set("a question must be a JSON object");
	qid = cJSON_GetObjectItemCaseSensitive(obj, "question_id");
	if (qid == NULL)
		return error_set("field 'question_id' is missing");
	if (!cJSON_IsNumber(qid) || qid->valuedouble < 1 ||
	    qid->valuedouble > 9e15 ||
	    qid->valuedouble != (double)(int64_t)qid->valuedouble)
		return error_set("field 'question_id' must be a positive "
				 "integer");
	id = (int64_t)qid->valuedouble;
	title = cJSON_GetObjectItemCaseSensitive(obj, "title");
	if (title == NULL)
		return error_set("question %lld: field 'title' is missing",
				 (long long)id);
	if (!cJSON_IsString(title))
		return error_set("question %lld: field 'title' must be a "
				 "string", (long long)id);
	if (site == NULL || strcmp(site, "stackoverflow") == 0) {
		p->source = POST_SO;
		p->site = xstrdup("stackoverflow");
		p->id = xasprintf("so:%lld", (long long)id);
	} else {
		p->source = POST_SE;
		p->site = xstrdup(site);
		p->id = xasprintf("se:%s:%lld", site, (long long)id);
	}
	p->external_id = xasprintf("%lld", (long long)id);
	free(p->title);
	p->title = html_entity_decode(title->valuestring);
	p->format = POST_HTML;
	if (opt_str(obj, "body", &p->body) != DL_OK ||
	    opt_str(obj, "link", &p->link) != DL_OK ||
	    opt_int(obj, "score", &p->score) != DL_OK ||
	    opt_int(obj, "accepted_answer_id", &p->accepted_answer_id) !=
		    DL_OK ||
	    opt_int(obj, "answer_count", &p->answer_count) != DL_OK ||
	    opt_int(obj, "creation_date", &p->created_at) != DL_OK)
		return error_prefix("question %lld: ", (long long)id);
	tags = cJSON_GetObjectItemCaseSensitive(obj, "tags");
	if (tags != NULL && !cJSON_IsNull(tags)) {
		if (!cJSON_IsArray(tags))
			return error_set("question %lld: field 'tags' must be "
					 "an array of strings", (long long)id);
		cJSON_ArrayForEach(it, tags) {
			if (!cJSON_IsString(it))
				return error_set("question %lld: field 'tags' "
						 "must be an array of strings",
						 (long long)id);
			sv_push(&p->tags, it->valuestring);
		}
	}
	if (p->link == NULL && p->source == POST_SO)
		p->link = xasprintf("https://stackoverflow.com/questions/%lld",
				    (long long)id);
	p->fetched_at = (int64_t)time(NULL);
	raw = cJSON_PrintUnformatted(obj);
	p->raw_json = raw ? xstrdup(raw) : NULL;
	cJSON_free(raw);
	return DL_OK;
}
