/*
 * config.h - the user's settings for fetching and where each came from:
 * built-in default, the config file ($XDG_CONFIG_HOME/dlrepro/config),
 * the environment, or a command-line option (later ones win).
 *
 * Secrets (the Stack Exchange key, the GitHub token) come only from the
 * config file or the environment, never from the command line, and are
 * never printed: config_show() says "set" or "unset".
 */
#ifndef DLREPRO_CONFIG_H
#define DLREPRO_CONFIG_H

#include <stdint.h>

#define CONFIG_SE_API_DEFAULT "https://api.stackexchange.com/2.3"
#define CONFIG_GITHUB_API_DEFAULT "https://api.github.com"
#define CONFIG_SITE_DEFAULT "stackoverflow"
#define CONFIG_MAX_AGE_DEFAULT "7d"

enum config_origin {
	CONFIG_DEFAULT,
	CONFIG_FILE,
	CONFIG_ENV,
	CONFIG_OPTION,
};

struct config_value {
	char *value;		/* NULL when unset */
	enum config_origin origin;
};

enum config_key {
	CONFIG_SE_KEY,
	CONFIG_GITHUB_TOKEN,
	CONFIG_SE_API,
	CONFIG_GITHUB_API,
	CONFIG_SITE,
	CONFIG_MAX_AGE,
	CONFIG__COUNT
};

struct config {
	char *file;		/* the config file path (may not exist) */
	int file_exists;
	struct config_value v[CONFIG__COUNT];
};

void config_init(struct config *c);	/* built-in defaults */
void config_done(struct config *c);

/* Key name in the file ("se_key") and whether it is a secret. */
const char *config_key_name(enum config_key k);
int config_key_secret(enum config_key k);
/* Environment variable for a key, or NULL when there is none. */
const char *config_key_env(enum config_key k);
const char *config_origin_name(enum config_origin o);

/*
 * Default config path: $XDG_CONFIG_HOME/dlrepro/config, else
 * ~/.config/dlrepro/config.  Caller frees.
 */
char *config_default_path(void);

/*
 * Parse config text ("key = value" lines, '#' comments, blank lines).
 * path names the file in messages.  A bad line is DL_ERR with
 * "PATH:LINE: <problem>" set and nothing applied.
 */
int config_parse_text(struct config *c, const char *text, const char *path);

/*
 * Load the config file at path (NULL: the default path; a missing file is
 * fine), then apply the environment.
 */
int config_load(struct config *c, const char *path);

/* A command-line option; refused for secrets (DL_ERR set). */
int config_set_option(struct config *c, enum config_key k, const char *value);
/*
 * The command-line overrides shared by fetch and config; NULL values are
 * skipped.  DL_ERR with the message of the first bad value.
 */
int config_set_options(struct config *c, const char *se_api,
		       const char *github_api, const char *site,
		       const char *max_age);

const char *config_get(const struct config *c, enum config_key k);

/*
 * Parse a duration: "3600" or "3600s", "30m", "12h", "7d", "2w".
 * DL_OK with *secs, or DL_ERR naming the input.
 */
int parse_duration(const char *s, int64_t *secs);

#endif
