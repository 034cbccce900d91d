/*
 * Reproduction sessions: a timer kept as intervals, ticked edit actions and
 * an outcome, all derived by replaying an append-only event log.
 *
 * Two layers live behind this header:
 *  - the model (session_model_*, session_replay, session_active_at): pure
 *    functions over struct session, no disk, clock passed in;
 *  - the service (session_start, session_tick, ...): validate with the
 *    model, then commit the new event to the store in one transaction.
 *    On any error nothing is written and the struct is left as it was.
 *
 * Times are wall-clock UTC seconds since the epoch, as doubles (sub-second).
 */
#ifndef DLREPRO_SESSION_H
#define DLREPRO_SESSION_H

#include <stddef.h>

struct store;
struct cJSON;

enum session_kind {
	SESSION_EV_START,
	SESSION_EV_PAUSE,
	SESSION_EV_RESUME,
	SESSION_EV_TICK,
	SESSION_EV_UNTICK,
	SESSION_EV_UNDO,
	SESSION_EV_STOP,
	SESSION_EV_ADJUST,
	SESSION_EV_INFO,
	SESSION_EV_RECOVER,
	SESSION_EV_COUNT
};

enum session_state {
	SESSION_NONE,
	SESSION_RUNNING,
	SESSION_PAUSED,
	SESSION_STOPPED
};

enum session_result {
	SESSION_RESULT_NONE,
	SESSION_REPRODUCED,
	SESSION_NOT_REPRODUCED,
	SESSION_ABANDONED,
	SESSION_RESULT_COUNT
};

enum session_reason {
	SESSION_REASON_NONE,
	SESSION_REASON_MISSING_DATA,
	SESSION_REASON_MISSING_MODEL,
	SESSION_REASON_MISSING_CODE,
	SESSION_REASON_ENVIRONMENT,
	SESSION_REASON_HARDWARE,
	SESSION_REASON_NON_DETERMINISTIC,
	SESSION_REASON_OTHER,
	SESSION_REASON_COUNT
};

enum session_effort {
	SESSION_EFFORT_NONE,
	SESSION_EFFORT_EASY,
	SESSION_EFFORT_MEDIUM,
	SESSION_EFFORT_HARD,
	SESSION_EFFORT_COUNT
};

enum session_mod {
	SESSION_MOD_NONE,
	SESSION_MOD_MINOR,
	SESSION_MOD_MAJOR,
	SESSION_MOD_COUNT
};

/* The five information categories, in the stable id order of GUIDE 4. */
#define SESSION_NCAT 5
enum session_info_source {
	SESSION_INFO_UNKNOWN,
	SESSION_INFO_ANALYSIS,
	SESSION_INFO_USER
};

/*
 * The clock is injected so the model can be tested deterministically.
 * now() returns wall-clock UTC seconds since the epoch.
 */
struct session_clock {
	double (*now)(void *ctx);
	void *ctx;
};

/*
 * The process clock.  It reads the wall clock once, then advances it with
 * the monotonic clock (CLOCK_BOOTTIME, which counts suspend), so a
 * wall-clock jump while a process runs (the dashboard) cannot stretch or
 * shrink an interval.  Across processes the model's rule
 * applies: an event is never stamped earlier than the event before it.
 * DLREPRO_TEST_NOW (epoch seconds) pins the clock, for tests only.
 */
const struct session_clock *session_clock_system(void);

struct session_event {
	int seq;		/* 1, 2, ... within the session */
	enum session_kind kind;
	double at;		/* wall-clock UTC */
	double active;		/* active seconds at the event */
	char *action;		/* tick/untick: action id; else NULL */
	char *data;		/* JSON object text or NULL */
	int undone;		/* derived: reverted by a later undo */
};

struct session_interval {
	double start;
	double end;		/* < 0 while open */
	double orig_end;	/* end before any adjust; < 0 if open */
	int adjusted;		/* derived: adjust/recover moved end */
};

struct session_tick {
	char *action;		/* borrowed from the event */
	double at;
	double active;
	int seq;
};

struct session_outcome {
	enum session_result result;
	enum session_reason reason;
	char *notes;
	char *architecture;
	char *framework;
	enum session_effort effort;
	enum session_mod modification;
};

struct session {
	long long id;		/* row id in the store; 0 if not stored */
	char uuid[37];
	char *post;		/* posts.id ("so:123"); owned */
	char *post_type;	/* bug type id of the post, or NULL; owned */
	char *post_title;	/* for display, or NULL; owned */
	double heartbeat;	/* last dashboard heartbeat, 0 if none */

	struct session_event *events;
	size_t nevents, events_alloc;

	/* Derived by session_replay(). */
	enum session_state state;
	struct session_interval *intervals;
	size_t nintervals, intervals_alloc;
	struct session_tick *ticks;
	size_t nticks, ticks_alloc;
	struct session_outcome outcome;
	/* 1 present, 0 missing, -1 unknown, by category */
	signed char info[SESSION_NCAT];
	enum session_info_source info_source;
	char *type;		/* bug type set by the user, or NULL */
	double started, ended;		/* ended < 0 while open */
};

void session_init(struct session *s);
void session_done(struct session *s);

/* Enum <-> stable string ids.  *_from_id return -1 for unknown ids. */
const char *session_kind_id(enum session_kind k);
int session_kind_from_id(const char *id);
const char *session_state_id(enum session_state st);
const char *session_result_id(enum session_result r);
int session_result_from_id(const char *id);
const char *session_reason_id(enum session_reason r);
int session_reason_from_id(const char *id);
const char *session_effort_id(enum session_effort e);
int session_effort_from_id(const char *id);
const char *session_mod_id(enum session_mod m);
int session_mod_from_id(const char *id);
const char *session_category_id(int cat);
int session_category_from_id(const char *id);

/* Fill uuid[37] with a random (v4) UUID from getrandom()/urandom. */
void session_uuid_v4(char uuid[37]);

/* ---- model (pure) ---- */

/*
 * Append a fully formed event (as loaded from the store); action and data
 * are copied.  Call session_replay() after the last one.
 */
void session_push_event(struct session *s, int seq, enum session_kind kind,
		double at, double active, const char *action, const char *data);
/* Recompute every derived field from the events. */
void session_replay(struct session *s);
/* Remove the last event (a store write failed) and replay. */
void session_pop_event(struct session *s);

/* Active seconds at wall time t (open interval counted up to t). */
double session_active_at(const struct session *s, double t);
/* The time a new event would get: max(now, last event's time). */
double session_event_time(const struct session *s, double now);

/* The session's bug type: the user's, else the post's; may be NULL. */
const char *session_bug_type(const struct session *s);

/* Is this action ticked now? */
int session_is_ticked(const struct session *s, const char *action);

/* Stop options, all optional except result. Strings are borrowed. */
struct session_stop {
	enum session_result result;
	enum session_reason reason;
	const char *notes;
	const char *architecture;
	const char *framework;
	enum session_effort effort;
	enum session_mod modification;
	/* info corrections: 1 present, 0 missing, -1 leave as is */
	signed char info[SESSION_NCAT];
};
void session_stop_init(struct session_stop *st);

/*
 * The model steps: check the transition, append the event at time now and
 * replay.  DL_OK, or DL_ERR with error_set() and s unchanged.  The model
 * does not check that an action id exists; the service does.
 */
int session_model_start(struct session *s, double now, const char *data);
int session_model_pause(struct session *s, double now);
int session_model_resume(struct session *s, double now);
int session_model_tick(struct session *s, double now, const char *action);
int session_model_untick(struct session *s, double now, const char *action);
int session_model_undo(struct session *s, double now);
int session_model_stop(struct session *s, double now,
		const struct session_stop *st);
/* Set interval n's (1-based) end; end in [start, limit] where limit is the
 * original end, or now for the open interval (which then closes). */
int session_model_adjust(struct session *s, double now, int n, double end);
/* info[cat]: 1 present, 0 missing, -1 unchanged; type NULL: unchanged. */
int session_model_info(struct session *s, double now, const char *type,
		const signed char info[SESSION_NCAT],
		enum session_info_source source);
/* The JSON data of a start/info event; the caller frees it. */
char *session_info_json(const char *type,
		const signed char info[SESSION_NCAT],
		enum session_info_source source);
/* Crash recovery: keep (cut == 0) or cut the open interval at cut_at. */
int session_model_recover(struct session *s, double now, int cut,
		double cut_at);

/* Canonical framework spelling of the replication package ("TF + Keras",
 * "PyTorch") for common aliases; other names come back as given.  Static. */
const char *session_framework_canonical(const char *name);

/* ---- JSON (session_json.c) ---- */

/*
 * The status object (see `session status --json`); s NULL or empty gives
 * state "none".  now: for the open interval.  Caller deletes the tree.
 */
struct cJSON *session_to_json(const struct session *s, double now);
/* The same as one line of text; caller frees. */
char *session_to_json_text(const struct session *s, double now);
/* Rebuild uuid, post, title, type and events from such an object. */
int session_from_json(const struct cJSON *o, struct session *s);

/* ---- service (store-backed) ---- */

/*
 * Load the open (running or paused) session into s, which must have been
 * initialised with session_init() (its old contents are released, so a
 * dashboard can reload into the same struct).  DL_NOTFOUND when there is
 * none (s is then empty).  Every service call below takes such an s and
 * leaves in it the session as stored after the call.
 */
int session_load_open(struct store *st, struct session *s);
/* Load a session by row id or by uuid.  DL_NOTFOUND if absent. */
int session_load(struct store *st, long long id, struct session *s);
int session_load_uuid(struct store *st, const char *uuid, struct session *s);

/*
 * Start a session on the stored post post_id ("so:123").  type: the bug
 * type id when the user sets it (NULL: the analysis's).  info: the
 * categories the reporter's post had according to the user (-1 unknown);
 * for every category the user left unknown the stored analysis (with its
 * corrections) is used when there is one.  s receives the new session.
 * Fails if another session is open or the post is not in the store.
 */
int session_start(struct store *st, const struct session_clock *c,
		const char *post_id, const char *type,
		const signed char info[SESSION_NCAT], struct session *s);
int session_pause(struct store *st, const struct session_clock *c,
		struct session *s);
int session_resume(struct store *st, const struct session_clock *c,
		struct session *s);
/* action: one of the ten stable action ids (checked against data.h). */
int session_tick(struct store *st, const struct session_clock *c,
		struct session *s, const char *action);
int session_untick(struct store *st, const struct session_clock *c,
		struct session *s, const char *action);
int session_undo(struct store *st, const struct session_clock *c,
		struct session *s);
/* stop->framework NULL: taken from the post's tags when they name one. */
int session_stop(struct store *st, const struct session_clock *c,
		struct session *s, const struct session_stop *stop);
int session_adjust(struct store *st, const struct session_clock *c,
		struct session *s, int interval, double end);
/* Correct the information categories (-1: unchanged) and/or the bug type
 * (NULL: unchanged); allowed on a stopped session too. */
int session_set_info(struct store *st, const struct session_clock *c,
		struct session *s, const char *type,
		const signed char info[SESSION_NCAT]);

/* ---- dashboard support ---- */

/* How old a heartbeat may be before the dashboard is presumed dead. */
#define SESSION_HEARTBEAT_STALE 60.0

/*
 * Record that the dashboard is alive now (one small UPDATE, no event).
 * Call it every 10-20 s while the panel shows s; a paused or stopped
 * session needs none (DL_OK, nothing written).
 */
int session_heartbeat(struct store *st, const struct session_clock *c,
		struct session *s);
/* The dashboard closes cleanly: forget the heartbeat, the timer runs on. */
int session_detach(struct store *st, struct session *s);

struct session_recovery {
	int needed;		/* 1: running, heartbeat stale */
	double heartbeat;	/* last sign of life (heartbeat or event) */
	double now;
	double lost_seconds;	/* now - heartbeat: what --cut drops */
	double active_keep;	/* active seconds if kept */
	double active_cut;	/* active seconds if cut */
};
/* Inspect s (a loaded open session) for a crashed dashboard. Pure. */
void session_recovery_check(const struct session *s, double now,
		struct session_recovery *r);
/*
 * Everything the session panel shows at this moment, for one redraw.  The
 * intervals, ticks (with times), events and outcome are read from s,
 * which stays owned by the caller.  Pure.
 */
struct session_status {
	const struct session *s;	/* borrowed */
	enum session_state state;
	double now;
	double active;		/* seconds, open interval up to now */
	double interval_active;	/* seconds in the open interval */
	size_t nticks;
	struct session_recovery recovery;
};
void session_status(const struct session *s, const struct session_clock *c,
		struct session_status *out);

/* Apply the choice: keep the time or cut the open interval there. */
int session_recover(struct store *st, const struct session_clock *c,
		struct session *s, int cut);

#endif
