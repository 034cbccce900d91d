/*
 * view_fetch.c - fetching from inside the dashboard.  The fetch job
 * (fetch.h) does the network work in small steps: while one runs, the
 * main loop waits in fetch_job_step() on the network and stdin together,
 * so keys and the session timer keep working.  Progress goes to the
 * status bar, errors to the message line, the quota to the status bar.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dlrepro/config.h"
#include "dlrepro/fetch.h"
#include "dlrepro/store_api.h"
#include "ui.h"

static struct fetch_job *job;
static struct config cfg;
static int cfg_loaded;
/*
 * The job's warnings come one by one but the summary replaces each in the
 * message line: keep the posts not found (their ids) and the last other
 * warning so the summary can name them.
 */
static struct strbuf missed;
static char *warned;

static void
warnings_clear(void)
{
	sb_done(&missed);
	sb_init(&missed);
	free(warned);
	warned = NULL;
}

static void
show_quota(struct ui *ui, int64_t max, int64_t remaining)
{
	free(ui->quota);
	ui->quota = NULL;
	if (remaining >= 0)
		ui->quota = max >= 0 ? xasprintf("quota %lld/%lld",
						 (long long)remaining,
						 (long long)max)
				     : xasprintf("quota %lld",
						 (long long)remaining);
	ui->dirty = 1;
}

static int
load_config(struct ui *ui)
{
	struct api_state s;

	if (cfg_loaded)
		return DL_OK;
	config_init(&cfg);
	if (config_load(&cfg, NULL) != DL_OK) {
		ui_error_slot(ui, "config");
		config_done(&cfg);
		return DL_ERR;
	}
	cfg_loaded = 1;
	if (store_api_get(ui->st, config_get(&cfg, CONFIG_SE_API), "*", &s) ==
	    DL_OK)
		show_quota(ui, s.quota_max, s.quota_remaining);
	return DL_OK;
}

static void
on_note(void *arg, enum fetch_note_kind kind, const char *msg)
{
	struct ui *ui = arg;

	if (kind == FETCH_NOTE_WARNING) {
		size_t n = strcspn(msg, " ");

		ui_msg(ui, "%s", msg);
		/* "so:2 not found ...", "gh:o/r#2 is a pull request ..." */
		if (strncmp(msg, "so:", 3) == 0 ||
		    strncmp(msg, "se:", 3) == 0 ||
		    strncmp(msg, "gh:", 3) == 0) {
			if (missed.len)
				sb_adds(&missed, ", ");
			sb_add(&missed, msg, n);
		} else {
			free(warned);
			warned = xstrdup(msg);
		}
	} else {
		free(ui->fetch_desc);
		ui->fetch_desc = xasprintf("fetch: %s", msg);
		ui->dirty = 1;
	}
}

static int64_t
parse_age(const char *s)
{
	char *end;
	double v = strtod(s ? s : "7d", &end);

	switch (*end) {
	case 'm':
		return (int64_t)(v * 60);
	case 'h':
		return (int64_t)(v * 3600);
	case 'd':
		return (int64_t)(v * 86400);
	case 'w':
		return (int64_t)(v * 7 * 86400);
	default:
		return (int64_t)v;
	}
}

static void
opts(struct fetch_opts *o, struct ui *ui)
{
	fetch_opts_init(o);
	o->se_api = config_get(&cfg, CONFIG_SE_API);
	o->github_api = config_get(&cfg, CONFIG_GITHUB_API);
	o->site = config_get(&cfg, CONFIG_SITE);
	o->se_key = config_get(&cfg, CONFIG_SE_KEY);
	o->github_token = config_get(&cfg, CONFIG_GITHUB_TOKEN);
	o->max_age = parse_age(config_get(&cfg, CONFIG_MAX_AGE));
	o->note = on_note;
	o->note_arg = ui;
}

static void
begin(struct ui *ui, const char *what)
{
	warnings_clear();
	free(ui->fetch_desc);
	ui->fetch_desc = xasprintf("fetch: %s...", what);
	ui_msg(ui, "Fetching %s (keys keep working; F again cancels)", what);
}

static void
ids_done(struct ui *ui, const char *text)
{
	struct fetch_opts o;
	struct fetch_target t;
	char *copy, *tok, *save = NULL;
	int n = 0;

	if (!text || !*text || load_config(ui) != DL_OK)
		return;
	opts(&o, ui);
	o.refresh = 1;	/* asked by name: fetch even if fresh */
	job = fetch_job_new(ui->st, &o);
	copy = xstrdup(text);
	for (tok = strtok_r(copy, " \t,", &save); tok;
	     tok = strtok_r(NULL, " \t,", &save)) {
		if (fetch_target_parse(tok, o.site, &t) != DL_OK) {
			ui_error_slot(ui, "fetch");
			fetch_job_free(job);
			job = NULL;
			free(copy);
			return;
		}
		fetch_job_add(job, &t);
		fetch_target_done(&t);
		n++;
	}
	free(copy);
	if (!n) {
		fetch_job_free(job);
		job = NULL;
		return;
	}
	begin(ui, text);
}

static void
search_done(struct ui *ui, const char *text)
{
	struct fetch_opts o;
	int64_t max = 50;
	time_t now = time(NULL);
	struct tm tm;

	if (!text || load_config(ui) != DL_OK)
		return;
	if (*text && (parse_int64(text, &max) != DL_OK || max < 1)) {
		ui_error(ui, "fetch: '%s' is not a positive number", text);
		return;
	}
	opts(&o, ui);
	o.frameworks = (1u << SE_FW__COUNT) - 1;
	o.max = max;
	o.to = (int64_t)now;
	gmtime_r(&now, &tm);
	tm.tm_year -= 3;
	o.from = (int64_t)timegm(&tm);
	job = fetch_job_new(ui->st, &o);
	begin(ui, "a search with the paper's filter");
}

enum { F_IDS, F_SEARCH };

static void
menu_done(struct ui *ui, const struct ui_menu_item *it)
{
	if (it->value == F_IDS)
		ui_prompt_open(ui, "Fetch ids or URLs: ", NULL, ids_done);
	else
		ui_prompt_open(ui, "Search (paper's filter), posts to keep "
				   "[50]: ", NULL, search_done);
}

static void
cancel_done(struct ui *ui, int yes)
{
	if (yes != 1 || !job)
		return;
	fetch_job_free(job);
	job = NULL;
	free(ui->fetch_desc);
	ui->fetch_desc = NULL;
	ui_msg(ui, "Fetch cancelled; what was stored stays");
	ui_reload_all(ui);
}

void
fetch_view_start(struct ui *ui)
{
	if (job) {
		ui_confirm_open(ui, "A fetch is running. Cancel it? (y/n)",
				cancel_done);
		return;
	}
	ui_menu_open(ui, "Fetch posts", menu_done);
	ui_menu_add(ui, "by id or URL (so:123, a question URL, gh:o/r#1)",
		    F_IDS, NULL);
	ui_menu_add(ui, "search PyTorch/TensorFlow/Keras with the paper's "
			"filter", F_SEARCH, NULL);
}

static void
finish(struct ui *ui, int rc)
{
	const struct fetch_stats *s = fetch_job_stats(job);
	struct api_state st;

	/* a failed call names no quota: the stored one is still known */
	if (s->quota_remaining >= 0)
		show_quota(ui, s->quota_max, s->quota_remaining);
	else if (store_api_get(ui->st, config_get(&cfg, CONFIG_SE_API), "*",
			       &st) == DL_OK)
		show_quota(ui, st.quota_max, st.quota_remaining);
	free(ui->fetch_desc);
	ui->fetch_desc = NULL;
	if (rc == FETCH_FAILED)
		ui_error(ui, "fetch: %s", fetch_job_error(job));
	else {
		struct strbuf m;

		sb_init(&m);
		sb_addf(&m, "Fetched: %d stored, %d already fresh, "
			"%d not found", s->stored, s->fresh, s->not_found);
		if (missed.len)
			sb_addf(&m, " (%s)", missed.s);
		if (warned)
			sb_addf(&m, "; %s", warned);
		ui_msg(ui, "%s", m.s);
		sb_done(&m);
	}
	warnings_clear();
	fetch_job_free(job);
	job = NULL;
	ui_reload_all(ui);
}

int
fetch_view_wait(struct ui *ui, int timeout_ms)
{
	int ready = 0, rc;
	const char *line;

	if (!job)
		return 0;
	rc = fetch_job_step(job, timeout_ms, STDIN_FILENO, &ready);
	if (rc == FETCH_RUNNING) {
		line = fetch_job_status_line(job);
		if (line && *line) {
			free(ui->fetch_desc);
			ui->fetch_desc = xasprintf("fetch: %s", line);
			ui->dirty = 1;
		}
		return 1;
	}
	finish(ui, rc);
	return 1;
}

void
fetch_view_startup(struct ui *ui)
{
	/* A broken config file is reported when F is used, not at start. */
	if (load_config(ui) != DL_OK) {
		free(ui->msg);
		ui->msg = NULL;
	}
}

void
fetch_view_shutdown(struct ui *ui)
{
	(void)ui;
	fetch_job_free(job);
	job = NULL;
	if (cfg_loaded)
		config_done(&cfg);
	cfg_loaded = 0;
}
