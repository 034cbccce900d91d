/*
 * config.c - fetch settings from defaults, the config file, the
 * environment and options, with the origin of each kept for
 * `dlrepro config`.  Owns the file format and the duration syntax.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dlrepro/config.h"
#include "dlrepro/util.h"

static const struct {
	const char *name;
	const char *env;
	int secret;
	const char *def;
} keys[CONFIG__COUNT] = {
	[CONFIG_SE_KEY] = { "se_key", "DLREPRO_SE_KEY", 1, NULL },
	[CONFIG_GITHUB_TOKEN] = { "github_token", "GITHUB_TOKEN", 1, NULL },
	[CONFIG_SE_API] = { "se_api", "DLREPRO_SE_API", 0,
			    CONFIG_SE_API_DEFAULT },
	[CONFIG_GITHUB_API] = { "github_api", "DLREPRO_GITHUB_API", 0,
				CONFIG_GITHUB_API_DEFAULT },
	[CONFIG_SITE] = { "site", NULL, 0, CONFIG_SITE_DEFAULT },
	[CONFIG_MAX_AGE] = { "max_age", NULL, 0, CONFIG_MAX_AGE_DEFAULT },
};

void
config_init(struct config *c)
{
	int k;

	memset(c, 0, sizeof(*c));
	for (k = 0; k < CONFIG__COUNT; k++) {
		c->v[k].value = xstrdup(keys[k].def);
		c->v[k].origin = CONFIG_DEFAULT;
	}
}

void
config_done(struct config *c)
{
	int k;

	for (k = 0; k < CONFIG__COUNT; k++)
		free(c->v[k].value);
	free(c->file);
	memset(c, 0, sizeof(*c));
}

const char *
config_key_name(enum config_key k)
{
	return keys[k].name;
}

int
config_key_secret(enum config_key k)
{
	return keys[k].secret;
}

const char *
config_key_env(enum config_key k)
{
	return keys[k].env;
}

const char *
config_origin_name(enum config_origin o)
{
	switch (o) {
	case CONFIG_DEFAULT:
		return "default";
	case CONFIG_FILE:
		return "config file";
	case CONFIG_ENV:
		return "environment";
	case CONFIG_OPTION:
		return "option";
	}
	return "?";
}

char *
config_default_path(void)
{
	const char *x = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");

	if (x && *x == '/')
		return xasprintf("%s/dlrepro/config", x);
	return xasprintf("%s/.config/dlrepro/config", home && *home ? home : ".");
}

const char *
config_get(const struct config *c, enum config_key k)
{
	return c->v[k].value;
}

int
parse_duration(const char *s, int64_t *secs)
{
	char *end;
	long long n;
	int64_t mul = 1;

	if (!s || !isdigit((unsigned char)*s))
		return error_set("'%s' is not a duration (use e.g. 7d, 12h, 30m "
				 "or 3600)", s ? s : "");
	errno = 0;
	n = strtoll(s, &end, 10);
	if (errno || n < 0)
		return error_set("'%s' is not a duration", s);
	if (*end) {
		switch (*end) {
		case 's':
			mul = 1;
			break;
		case 'm':
			mul = 60;
			break;
		case 'h':
			mul = 3600;
			break;
		case 'd':
			mul = 86400;
			break;
		case 'w':
			mul = 7 * 86400;
			break;
		default:
			return error_set("'%s' is not a duration (use e.g. 7d, "
					 "12h, 30m or 3600)", s);
		}
		if (end[1])
			return error_set("'%s' is not a duration (use e.g. 7d, "
					 "12h, 30m or 3600)", s);
	}
	if (n > INT64_MAX / mul)
		return error_set("'%s' is too long a duration", s);
	*secs = (int64_t)n * mul;
	return DL_OK;
}

/* Check a value for key k; DL_ERR with the problem set. */
static int
check_value(enum config_key k, const char *v)
{
	int64_t d;
	const char *p;

	switch (k) {
	case CONFIG_SE_API:
	case CONFIG_GITHUB_API:
		if (strncmp(v, "http://", 7) && strncmp(v, "https://", 8))
			return error_set("%s must be an http:// or https:// URL",
					 keys[k].name);
		if (strchr(v, '?') || strchr(v, '#') || strchr(v, ' '))
			return error_set("%s must be a base URL without query",
					 keys[k].name);
		return DL_OK;
	case CONFIG_SITE:
		if (!*v)
			return error_set("site must not be empty");
		for (p = v; *p; p++)
			if (!islower((unsigned char)*p) &&
			    !isdigit((unsigned char)*p) && *p != '.' && *p != '-')
				return error_set("'%s' is not a Stack Exchange "
						 "site name", v);
		return DL_OK;
	case CONFIG_MAX_AGE:
		return parse_duration(v, &d);
	case CONFIG_SE_KEY:
	case CONFIG_GITHUB_TOKEN:
		for (p = v; *p; p++)
			if ((unsigned char)*p <= ' ' || *p == 0x7f)
				return error_set("%s contains a space or control "
						 "character", keys[k].name);
		return DL_OK;
	case CONFIG__COUNT:
		break;
	}
	return DL_OK;
}

static void
set_value(struct config *c, enum config_key k, const char *v,
	  enum config_origin o)
{
	size_t n;

	free(c->v[k].value);
	c->v[k].value = xstrdup(v);
	/* A trailing slash on a base URL would double the path separator. */
	if (k == CONFIG_SE_API || k == CONFIG_GITHUB_API) {
		n = strlen(c->v[k].value);
		while (n > 0 && c->v[k].value[n - 1] == '/')
			c->v[k].value[--n] = '\0';
	}
	c->v[k].origin = o;
}

static char *
trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

/*
 * The value of a line, from just after '=' (trimmed): one pair of matching
 * surrounding quotes is removed ("a #b" keeps its '#'); unquoted, a '#'
 * at the start or after a space or tab begins a comment.  DL_ERR with the
 * problem set (never quoting the value: it may be a secret).
 */
static int
value_part(char *v, char **out)
{
	char *p, *close;

	if (*v == '"' || *v == '\'') {
		close = strchr(v + 1, *v);
		if (!close)
			return error_set("no closing %c", *v);
		p = trim(close + 1);
		if (*p && *p != '#')
			return error_set("text after the closing %c", *v);
		*close = '\0';
		*out = v + 1;
		return DL_OK;
	}
	for (p = v; *p; p++)
		if (*p == '#' && (p == v || p[-1] == ' ' || p[-1] == '\t')) {
			*p = '\0';
			break;
		}
	*out = trim(v);
	return DL_OK;
}

int
config_parse_text(struct config *c, const char *text, const char *path)
{
	char *copy, *line, *next, *eq, *key, *val = NULL;
	char *vals[CONFIG__COUNT] = { 0 };
	int lineno = 0, k, rc = DL_OK;

	/* Editors on some systems start a UTF-8 file with a BOM. */
	if (!strncmp(text, "\xEF\xBB\xBF", 3))
		text += 3;
	copy = xstrdup(text);
	for (line = copy; line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		line = trim(line);
		if (!*line || *line == '#')
			continue;
		eq = strchr(line, '=');
		if (!eq) {
			rc = error_set("%s:%d: expected 'key = value'", path,
				       lineno);
			break;
		}
		*eq = '\0';
		key = trim(line);
		if (value_part(trim(eq + 1), &val) != DL_OK) {
			rc = error_prefix("%s:%d: %s: ", path, lineno, key);
			break;
		}
		for (k = 0; k < CONFIG__COUNT; k++)
			if (!strcmp(key, keys[k].name))
				break;
		if (k == CONFIG__COUNT) {
			rc = error_set("%s:%d: unknown key '%s' (known: se_key, "
				       "github_token, se_api, github_api, site, "
				       "max_age)", path, lineno, key);
			break;
		}
		if (!*val) {
			rc = error_set("%s:%d: %s has no value", path, lineno,
				       key);
			break;
		}
		if (check_value(k, val) != DL_OK) {
			rc = error_prefix("%s:%d: ", path, lineno);
			break;
		}
		vals[k] = val;
	}
	if (rc == DL_OK)
		for (k = 0; k < CONFIG__COUNT; k++)
			if (vals[k])
				set_value(c, k, vals[k], CONFIG_FILE);
	free(copy);
	return rc;
}

static char *
read_small_file(const char *path, int *missing)
{
	FILE *f = fopen(path, "r");
	struct strbuf sb;
	char buf[4096];
	size_t n;

	*missing = 0;
	if (!f) {
		if (errno == ENOENT)
			*missing = 1;
		else
			error_set("%s: %s", path, strerror(errno));
		return NULL;
	}
	sb_init(&sb);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
		sb_add(&sb, buf, n);
		if (sb.len > 1024 * 1024) {
			fclose(f);
			sb_done(&sb);
			error_set("%s: too large for a config file", path);
			return NULL;
		}
	}
	if (ferror(f)) {
		fclose(f);
		sb_done(&sb);
		error_set("%s: %s", path, strerror(errno));
		return NULL;
	}
	fclose(f);
	if (memchr(sb.s, '\0', sb.len)) {
		sb_done(&sb);
		error_set("%s: not a text file", path);
		return NULL;
	}
	return sb_detach(&sb);
}

int
config_load(struct config *c, const char *path)
{
	char *text;
	int missing, k;
	const char *e;

	free(c->file);
	c->file = path ? xstrdup(path) : config_default_path();
	text = read_small_file(c->file, &missing);
	if (!text && !missing)
		return DL_ERR;
	c->file_exists = !missing;
	if (text) {
		if (config_parse_text(c, text, c->file) != DL_OK) {
			free(text);
			return DL_ERR;
		}
		free(text);
	}
	for (k = 0; k < CONFIG__COUNT; k++) {
		if (!keys[k].env)
			continue;
		e = getenv(keys[k].env);
		if (!e || !*e)
			continue;
		if (check_value(k, e) != DL_OK)
			return error_prefix("%s: ", keys[k].env);
		set_value(c, k, e, CONFIG_ENV);
	}
	return DL_OK;
}

int
config_set_option(struct config *c, enum config_key k, const char *value)
{
	if (keys[k].secret)
		return error_set("%s is never taken from the command line: put it "
				 "in %s or the environment", keys[k].name,
				 c->file ? c->file : "the config file");
	if (check_value(k, value) != DL_OK)
		return DL_ERR;
	set_value(c, k, value, CONFIG_OPTION);
	return DL_OK;
}

int
config_set_options(struct config *c, const char *se_api,
		   const char *github_api, const char *site,
		   const char *max_age)
{
	if ((se_api && config_set_option(c, CONFIG_SE_API, se_api)) ||
	    (github_api &&
	     config_set_option(c, CONFIG_GITHUB_API, github_api)) ||
	    (site && config_set_option(c, CONFIG_SITE, site)) ||
	    (max_age && config_set_option(c, CONFIG_MAX_AGE, max_age)))
		return DL_ERR;
	return DL_OK;
}
