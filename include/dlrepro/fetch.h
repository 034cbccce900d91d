/*
 * fetch.h - fetching posts into the store: what the user may name (ids,
 * question URLs, GitHub issues), and a fetch job that runs the requests
 * one at a time, obeys backoff and quota (remembered in the store), stores
 * each successful response in its own transaction and reports progress.
 *
 * A job never blocks longer than the caller allows: the dashboard calls
 * fetch_job_step() from its loop with its stdin fd and a short timeout;
 * the CLI calls fetch_job_run().
 */
#ifndef DLREPRO_FETCH_H
#define DLREPRO_FETCH_H

#include <stdint.h>

#include "dlrepro/stackexchange.h"
#include "dlrepro/store.h"

/* What one command-line argument names. */
enum fetch_target_kind {
	FETCH_TARGET_SE,	/* a Stack Exchange question */
	FETCH_TARGET_GH,	/* a GitHub issue */
};

struct fetch_target {
	enum fetch_target_kind kind;
	char *id;		/* canonical post id: so:N, se:SITE:N, gh:O/R#N */
	char *site;		/* SE site ("stackoverflow") or NULL */
	char *owner, *repo;	/* GitHub */
	int64_t number;		/* question id or issue number */
};

void fetch_target_done(struct fetch_target *t);

/*
 * Parse an id ("123", "so:123", "se:SITE:N", "gh:O/R#N", "O/R#N") or URL
 * (https://stackoverflow.com/questions/123/slug, .../q/123, another Stack
 * Exchange site's question URL, https://github.com/O/R/issues/N).
 * default_site applies to bare numbers: "stackoverflow" gives so:N, any
 * other site se:SITE:N.  DL_ERR with "'X' is not ..." set.
 */
int fetch_target_parse(const char *arg, const char *default_site,
		       struct fetch_target *t);

enum fetch_note_kind {
	FETCH_NOTE_PROGRESS,	/* "search tensorflow: page 2, 35 kept" */
	FETCH_NOTE_WARNING,	/* "so:2 not found (deleted or never existed)" */
};

/*
 * Errors (fetch_job_error(), the status line, error_msg() after a failure)
 * and notes have the key and token redacted (http_redact()) and are
 * terminal-safe (term_safe()): servers may quote the request back.
 */
struct fetch_opts {
	const char *se_api;	/* base URLs, no trailing slash */
	const char *github_api;
	const char *site;	/* for bare ids and the search */
	const char *se_key;	/* NULL when none; never logged */
	const char *github_token;
	int64_t max_age;	/* seconds; stored posts younger are skipped */
	int refresh;		/* ignore max_age */
	int with_answers;	/* also fetch accepted answers */
	/* --search */
	unsigned frameworks;	/* bit per enum se_framework; 0: none */
	int64_t from, to;	/* creation window, Unix seconds */
	int64_t max;		/* posts to keep in all (search), shared:
				 * max/n per framework, round-robin pages,
				 * a shortfall passed on to the others */
	/* Progress and warnings; may be NULL.  msg is borrowed. */
	void (*note)(void *arg, enum fetch_note_kind kind, const char *msg);
	void *note_arg;
};

void fetch_opts_init(struct fetch_opts *o);

struct fetch_stats {
	int asked;		/* distinct posts named */
	int fresh;		/* skipped: stored within max_age */
	int stored;		/* posts written */
	int not_found;		/* missing or deleted ids and issues, and
				 * GitHub pull requests: warned, skipped */
	int answers;		/* answers written */
	int requests;		/* HTTP requests sent (attempts) */
	/* search */
	int seen;		/* hits returned by the server */
	int kept;		/* hits stored (also counted in stored) */
	int over_max;		/* hits that passed, past their --max share */
	int dropped[SE_CRITERION__COUNT];	/* by criterion; [SE_KEEP] unused */
	int64_t quota_max;	/* last reported, -1 unknown */
	int64_t quota_remaining;
};

struct fetch_job;

/* The job borrows st and copies opts' strings. */
struct fetch_job *fetch_job_new(struct store *st, const struct fetch_opts *o);
void fetch_job_free(struct fetch_job *j);

/* Queue a target (before the first step). */
void fetch_job_add(struct fetch_job *j, const struct fetch_target *t);

enum fetch_status {
	FETCH_RUNNING = 1,
	FETCH_DONE = 0,
	FETCH_FAILED = -1,	/* error_msg() and fetch_job_error() say why */
};

/*
 * Do what can be done now and wait at most timeout_ms for network activity
 * or extra_fd (>= 0) becoming readable (*extra_ready = 1 then).  Never
 * sleeps longer, whatever backoff is in force.  Returns enum fetch_status.
 */
int fetch_job_step(struct fetch_job *j, int timeout_ms, int extra_fd,
		   int *extra_ready);
/* Wake a fetch_job_step() waiting in another thread. */
void fetch_job_wakeup(struct fetch_job *j);
/* Blocking: step until done.  DL_OK or DL_ERR (error set). */
int fetch_job_run(struct fetch_job *j);

const struct fetch_stats *fetch_job_stats(const struct fetch_job *j);
/* "GET /questions/1;2: HTTP 503 after 4 tries" once failed, else "". */
const char *fetch_job_error(const struct fetch_job *j);
/* A one-line summary of where the job is, for a status bar. */
const char *fetch_job_status_line(const struct fetch_job *j);

#endif
