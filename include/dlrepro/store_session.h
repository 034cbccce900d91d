/*
 * store_session.h - the session tables: sessions, session_events (the
 * append-only log), participants and studies.  Every write is one
 * transaction (BEGIN IMMEDIATE ... COMMIT with synchronous=FULL), so a
 * killed process never loses an event that a command reported as done.
 *
 * The session service (session.h) is the only intended caller; the
 * dashboard uses session.h and never this header.
 */
#ifndef DLREPRO_STORE_SESSION_H
#define DLREPRO_STORE_SESSION_H

#include "dlrepro/session.h"

struct store;

/*
 * Insert s (uuid, post, all its events) as a new row; sets s->id.  Fails
 * with a clear message when another session is open or the post is not
 * stored.  Used by start (one event) and by import (all events).
 */
int store_session_insert(struct store *st, struct session *s);
/* Append s's last event and refresh the row's summary, one transaction. */
int store_session_append(struct store *st, struct session *s);

/*
 * Append s->events[from..] to stored session id (whose log holds the
 * first `from` of them) and refresh its summary from s; sets s->id.
 */
int store_session_extend(struct store *st, long long id, struct session *s,
		size_t from);

/*
 * Load into s, which must be initialised (session_init) and is emptied
 * first; DL_NOTFOUND when absent (s is then empty).
 */
int store_session_load_open(struct store *st, struct session *s);
int store_session_load_id(struct store *st, long long id, struct session *s);
int store_session_load_uuid(struct store *st, const char *uuid,
		struct session *s);
/* 1 if a session with this uuid is stored, 0 if not, DL_ERR. */
int store_session_uuid_exists(struct store *st, const char *uuid);

/* Set (at > 0) or clear (at <= 0) the open session's heartbeat. */
int store_session_set_heartbeat(struct store *st, long long id, double at);

/*
 * The information categories of a stored post from its analysis and the
 * user's corrections: info[c] 1 present, 0 missing, -1 unknown.
 * DL_NOTFOUND when the post has neither.
 */
int store_session_post_info(struct store *st, const char *post,
		signed char info[SESSION_NCAT]);

/*
 * When the post was asked and when its accepted answer was given (Unix
 * seconds, 0 when unknown), for "Time for the Accepted Answer".
 */
int store_session_post_times(struct store *st, const char *post,
		double *created, double *accepted);

/*
 * The framework a post's tags name, in the package's spelling: "PyTorch"
 * or "TF + Keras"; when they name neither or both, the one its stored
 * analysis found in the text; else NULL.  Static.
 */
const char *store_session_post_framework(struct store *st, const char *post);

/*
 * Create a placeholder post for an imported session whose post this
 * database lacks (title from the export, empty body).
 */
int store_session_placeholder_post(struct store *st, const char *post,
		const char *title);

struct session_filter {
	const char *type;	/* bug type id, or NULL */
	int result;		/* enum session_result, or -1 for any */
	double since;		/* started at or after, 0 for any */
	int stopped_only;
};
void session_filter_init(struct session_filter *f);

/*
 * Call fn for every matching session, fully loaded (events, post type and
 * title), oldest first; stop when fn returns non-zero (returned as is).
 */
int store_session_each(struct store *st, const struct session_filter *f,
		int (*fn)(struct session *s, void *arg), void *arg);

/* The longest post id of any session (0 when none), or -1 on error. */
int store_session_post_width(struct store *st);

#endif
