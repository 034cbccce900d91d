/*
 * session_service.c owns the session operations the CLI and the dashboard
 * call: each one opens a transaction, reloads the session from the store
 * (another process may have added events since the caller loaded it),
 * applies one model step and commits the new event, so the check and the
 * write see the same log.  On failure nothing is written and the caller's
 * struct holds the session as stored.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "dlrepro/data.h"
#include "dlrepro/session.h"
#include "dlrepro/store.h"
#include "dlrepro/store_session.h"
#include "dlrepro/text.h"
#include "dlrepro/util.h"

int
session_load_open(struct store *st, struct session *s)
{
	return store_session_load_open(st, s);
}

int
session_load(struct store *st, long long id, struct session *s)
{
	return store_session_load_id(st, id, s);
}

int
session_load_uuid(struct store *st, const char *uuid, struct session *s)
{
	return store_session_load_uuid(st, uuid, s);
}

/* Move b into a (freeing a's old contents). */
static void
session_move(struct session *a, struct session *b)
{
	session_done(a);
	*a = *b;
	session_init(b);
}

struct step_arg {
	enum session_kind kind;
	const char *action;
	const struct session_stop *stop;
	const signed char *info;
	const char *type;
	struct store *st;
	int n, cut;
	double end;
};

static int
apply(struct session *s, double now, const struct step_arg *a)
{
	struct session_recovery r;

	switch (a->kind) {
	case SESSION_EV_PAUSE:
		return session_model_pause(s, now);
	case SESSION_EV_RESUME:
		return session_model_resume(s, now);
	case SESSION_EV_TICK:
		return session_model_tick(s, now, a->action);
	case SESSION_EV_UNTICK:
		return session_model_untick(s, now, a->action);
	case SESSION_EV_UNDO:
		return session_model_undo(s, now);
	case SESSION_EV_STOP:
		if (!a->stop->framework && a->st) {
			/* Unsaid: take it from the post's tags. */
			struct session_stop copy = *a->stop;

			copy.framework = store_session_post_framework(a->st,
			    s->post);
			return session_model_stop(s, now, &copy);
		}
		return session_model_stop(s, now, a->stop);
	case SESSION_EV_ADJUST:
		return session_model_adjust(s, now, a->n, a->end);
	case SESSION_EV_INFO:
		return session_model_info(s, now, a->type, a->info,
		    SESSION_INFO_USER);
	case SESSION_EV_RECOVER:
		session_recovery_check(s, now, &r);
		if (!r.needed)
			return error_set("no session to recover");
		return session_model_recover(s, now, a->cut, r.heartbeat);
	default:
		return error_set("unsupported session step");
	}
}

/*
 * The post's triage state follows its sessions: in progress while one
 * runs, then reproduced or not reproducible; an abandoned attempt leaves
 * it in progress.  The user can still set it by hand afterwards.
 */
static int
triage_follows(struct store *st, const struct session *s)
{
	enum store_triage t;

	switch (s->outcome.result) {
	case SESSION_REPRODUCED:
		t = TRIAGE_REPRODUCED;
		break;
	case SESSION_NOT_REPRODUCED:
		t = TRIAGE_NOT_REPRODUCIBLE;
		break;
	default:
		return DL_OK;
	}
	return store_post_set_triage(st, s->post, t) == DL_ERR ? DL_ERR
							       : DL_OK;
}

/*
 * One step in one transaction.  A session the caller never loaded (id 0)
 * means the open one; a loaded id means that session, even if stopped
 * (adjust and info may correct a stopped session).
 */
static int
step(struct store *st, const struct session_clock *c, struct session *s,
		const struct step_arg *a)
{
	struct session fresh;
	size_t stored;
	int rc;

	if (store_begin(st) != DL_OK)
		return DL_ERR;
	session_init(&fresh);
	rc = s->id ? store_session_load_id(st, s->id, &fresh) :
	    store_session_load_open(st, &fresh);
	if (rc != DL_OK) {
		store_rollback(st);
		return rc == DL_NOTFOUND ? error_set("no open session") : rc;
	}
	stored = fresh.nevents;
	rc = apply(&fresh, c->now(c->ctx), a);
	if (rc == DL_OK)
		rc = store_session_append(st, &fresh);
	if (rc == DL_OK && a->kind == SESSION_EV_STOP)
		rc = triage_follows(st, &fresh);
	if (rc == DL_OK && a->kind == SESSION_EV_RECOVER)
		rc = store_session_set_heartbeat(st, fresh.id, 0);
	if (rc == DL_OK) {
		rc = store_commit(st);
		if (rc != DL_OK && fresh.nevents > stored)
			session_pop_event(&fresh);
	} else {
		/* A failed model step appends nothing; a failed write did. */
		if (fresh.nevents && fresh.nevents > stored)
			session_pop_event(&fresh);
		store_rollback(st);
	}
	if (rc == DL_OK || s->id)
		session_move(s, &fresh);
	else
		session_done(&fresh);
	return rc;
}

static int
check_action(const char *action)
{
	if (!action || data_action_from_id(action) < 0)
		return error_set("%s: unknown edit action",
		    action ? action : "(none)");
	return DL_OK;
}

int
session_start(struct store *st, const struct session_clock *c,
		const char *post_id, const char *type,
		const signed char info[SESSION_NCAT], struct session *s)
{
	struct session n;
	signed char merged[SESSION_NCAT];
	enum session_info_source src = SESSION_INFO_UNKNOWN;
	char *data;
	int rc, k, user = 0;

	if (type && data_type_from_id(type) < 0)
		return error_set("%s: unknown bug type", type);
	if (store_begin(st) != DL_OK)
		return DL_ERR;
	rc = store_post_exists(st, post_id);
	if (rc != 1) {
		store_rollback(st);
		return rc == 0 ? error_set("%s: post not in the store",
		    post_id) : DL_ERR;
	}
	rc = store_session_post_info(st, post_id, merged);
	if (rc == DL_ERR) {
		store_rollback(st);
		return DL_ERR;
	}
	if (rc == DL_OK)
		src = SESSION_INFO_ANALYSIS;
	for (k = 0; info && k < SESSION_NCAT; k++)
		if (info[k] >= 0) {
			merged[k] = info[k];
			user = 1;
		}
	if (user)
		src = SESSION_INFO_USER;
	session_init(&n);
	session_uuid_v4(n.uuid);
	n.post = xstrdup(post_id);
	data = session_info_json(type, merged, src);
	rc = session_model_start(&n, c->now(c->ctx),
	    strcmp(data, "{}") ? data : NULL);
	free(data);
	if (rc == DL_OK)
		rc = store_session_insert(st, &n);
	if (rc == DL_OK && store_post_set_triage(st, post_id,
	    TRIAGE_IN_PROGRESS) == DL_ERR)
		rc = DL_ERR;
	if (rc == DL_OK)
		rc = store_commit(st);
	else
		store_rollback(st);
	if (rc != DL_OK) {
		session_done(&n);
		return rc;
	}
	/* Reload for the post's type and title. */
	session_done(&n);
	session_done(s);
	return store_session_load_open(st, s) == DL_OK ? DL_OK : DL_ERR;
}

int
session_pause(struct store *st, const struct session_clock *c,
		struct session *s)
{
	struct step_arg a = { .kind = SESSION_EV_PAUSE };

	return step(st, c, s, &a);
}

int
session_resume(struct store *st, const struct session_clock *c,
		struct session *s)
{
	struct step_arg a = { .kind = SESSION_EV_RESUME };

	return step(st, c, s, &a);
}

int
session_tick(struct store *st, const struct session_clock *c,
		struct session *s, const char *action)
{
	struct step_arg a = { .kind = SESSION_EV_TICK, .action = action };

	if (check_action(action) != DL_OK)
		return DL_ERR;
	return step(st, c, s, &a);
}

int
session_untick(struct store *st, const struct session_clock *c,
		struct session *s, const char *action)
{
	struct step_arg a = { .kind = SESSION_EV_UNTICK, .action = action };

	if (check_action(action) != DL_OK)
		return DL_ERR;
	return step(st, c, s, &a);
}

int
session_undo(struct store *st, const struct session_clock *c,
		struct session *s)
{
	struct step_arg a = { .kind = SESSION_EV_UNDO };

	return step(st, c, s, &a);
}

int
session_stop(struct store *st, const struct session_clock *c,
		struct session *s, const struct session_stop *stop)
{
	/* Free text from the user is stored sanitised, like post text. */
	struct session_stop clean = *stop;
	char *notes = stop->notes ? text_sanitize(stop->notes,
	    strlen(stop->notes)) : NULL;
	char *arch = stop->architecture ? text_sanitize(stop->architecture,
	    strlen(stop->architecture)) : NULL;
	char *fw = stop->framework ? text_sanitize(stop->framework,
	    strlen(stop->framework)) : NULL;
	struct step_arg a = { .kind = SESSION_EV_STOP, .stop = &clean,
	    .st = st };
	int rc;

	clean.notes = notes;
	clean.architecture = arch;
	clean.framework = fw;
	rc = step(st, c, s, &a);
	free(notes);
	free(arch);
	free(fw);
	return rc;
}

int
session_adjust(struct store *st, const struct session_clock *c,
		struct session *s, int interval, double end)
{
	struct step_arg a = { .kind = SESSION_EV_ADJUST, .n = interval,
	    .end = end };

	return step(st, c, s, &a);
}

int
session_set_info(struct store *st, const struct session_clock *c,
		struct session *s, const char *type,
		const signed char info[SESSION_NCAT])
{
	struct step_arg a = { .kind = SESSION_EV_INFO, .info = info,
	    .type = type };

	if (type && data_type_from_id(type) < 0)
		return error_set("%s: unknown bug type", type);
	return step(st, c, s, &a);
}

int
session_heartbeat(struct store *st, const struct session_clock *c,
		struct session *s)
{
	double now = c->now(c->ctx);

	if (!s->id)
		return error_set("no open session");
	if (s->state != SESSION_RUNNING)
		return DL_OK;	/* nothing runs, nothing to lose */
	if (store_session_set_heartbeat(st, s->id, now) != DL_OK)
		return DL_ERR;
	s->heartbeat = now;
	return DL_OK;
}

int
session_detach(struct store *st, struct session *s)
{
	if (!s->id)
		return DL_OK;
	if (store_session_set_heartbeat(st, s->id, 0) != DL_OK)
		return DL_ERR;
	s->heartbeat = 0;
	return DL_OK;
}

int
session_recover(struct store *st, const struct session_clock *c,
		struct session *s, int cut)
{
	struct step_arg a = { .kind = SESSION_EV_RECOVER, .cut = cut };

	return step(st, c, s, &a);
}
