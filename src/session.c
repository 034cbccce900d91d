/*
 * session.c owns the reproduction-session model: the append-only event
 * log, the replay that derives state, intervals, ticks and outcome from
 * it, and the rules that decide which event may come next.  The clock is
 * passed in; nothing here touches the disk (see session_service.c).
 *
 * Rules worth knowing:
 *  - an event is stamped max(now, previous event's time), so a wall clock
 *    that goes back between processes never makes an interval negative;
 *  - undo reverts the latest tick or untick not yet undone (repeated undo
 *    walks further back); time is corrected with adjust, not undo;
 *  - adjust sets an interval's end anywhere between its start and its
 *    original end (or now, for the open interval, which it closes), so a
 *    wrong adjust is fixed by another adjust and the original stays in
 *    the log.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/random.h>

#include <cjson/cJSON.h>

#include "dlrepro/util.h"
#include "dlrepro/session.h"

static const char *const kind_ids[SESSION_EV_COUNT] = {
	"start", "pause", "resume", "tick", "untick", "undo", "stop",
	"adjust", "info", "recover",
};
static const char *const state_ids[] = {
	"none", "running", "paused", "stopped",
};
static const char *const result_ids[SESSION_RESULT_COUNT] = {
	"", "reproduced", "not-reproduced", "abandoned",
};
static const char *const reason_ids[SESSION_REASON_COUNT] = {
	"", "missing-data", "missing-model", "missing-code", "environment",
	"hardware", "non-deterministic", "other",
};
static const char *const effort_ids[SESSION_EFFORT_COUNT] = {
	"", "easy", "medium", "hard",
};
static const char *const mod_ids[SESSION_MOD_COUNT] = {
	"", "minor", "major",
};
static const char *const category_ids[SESSION_NCAT] = {
	"data", "model", "hyperparameters", "code", "logs",
};

static int
lookup(const char *const *ids, int n, const char *id, int from)
{
	int i;

	if (!id)
		return -1;
	for (i = from; i < n; i++)
		if (strcmp(ids[i], id) == 0)
			return i;
	return -1;
}

const char *
session_kind_id(enum session_kind k)
{
	return (unsigned)k < SESSION_EV_COUNT ? kind_ids[k] : "?";
}

int
session_kind_from_id(const char *id)
{
	return lookup(kind_ids, SESSION_EV_COUNT, id, 0);
}

const char *
session_state_id(enum session_state st)
{
	return (unsigned)st <= SESSION_STOPPED ? state_ids[st] : "?";
}

const char *
session_result_id(enum session_result r)
{
	return (unsigned)r < SESSION_RESULT_COUNT ? result_ids[r] : "";
}

int
session_result_from_id(const char *id)
{
	return lookup(result_ids, SESSION_RESULT_COUNT, id, 1);
}

const char *
session_reason_id(enum session_reason r)
{
	return (unsigned)r < SESSION_REASON_COUNT ? reason_ids[r] : "";
}

int
session_reason_from_id(const char *id)
{
	return lookup(reason_ids, SESSION_REASON_COUNT, id, 1);
}

const char *
session_effort_id(enum session_effort e)
{
	return (unsigned)e < SESSION_EFFORT_COUNT ? effort_ids[e] : "";
}

int
session_effort_from_id(const char *id)
{
	return lookup(effort_ids, SESSION_EFFORT_COUNT, id, 1);
}

const char *
session_mod_id(enum session_mod m)
{
	return (unsigned)m < SESSION_MOD_COUNT ? mod_ids[m] : "";
}

int
session_mod_from_id(const char *id)
{
	return lookup(mod_ids, SESSION_MOD_COUNT, id, 1);
}

const char *
session_category_id(int cat)
{
	return cat >= 0 && cat < SESSION_NCAT ? category_ids[cat] : "?";
}

int
session_category_from_id(const char *id)
{
	return lookup(category_ids, SESSION_NCAT, id, 0);
}

/* ---- clock ---- */

static double
system_now(void *ctx)
{
	static int anchored;
	static double wall0, mono0;
	struct timespec w, m;
	const char *pin;

	(void)ctx;
	pin = getenv("DLREPRO_TEST_NOW");
	if (pin && *pin == '@') {
		/* tests: a file holding the time, so it can move under a
		 * running dashboard (a laptop waking from sleep) */
		FILE *f = fopen(pin + 1, "r");
		double t = 0;

		if (f != NULL) {
			if (fscanf(f, "%lf", &t) != 1)
				t = 0;
			fclose(f);
		}
		return t;
	}
	if (pin && *pin)
		return strtod(pin, NULL);
	/*
	 * BOOTTIME keeps counting while a laptop sleeps, as the wall clock
	 * and the other processes' stamps do; MONOTONIC would not.
	 */
#ifdef CLOCK_BOOTTIME
	if (clock_gettime(CLOCK_BOOTTIME, &m) != 0)
#endif
		clock_gettime(CLOCK_MONOTONIC, &m);
	if (!anchored) {
		clock_gettime(CLOCK_REALTIME, &w);
		wall0 = (double)w.tv_sec + w.tv_nsec / 1e9;
		mono0 = (double)m.tv_sec + m.tv_nsec / 1e9;
		anchored = 1;
	}
	return wall0 + ((double)m.tv_sec + m.tv_nsec / 1e9 - mono0);
}

const struct session_clock *
session_clock_system(void)
{
	static const struct session_clock c = { system_now, NULL };

	return &c;
}

void
session_uuid_v4(char uuid[37])
{
	unsigned char b[16];
	size_t got = 0;
	int i, o = 0;

	while (got < sizeof b) {
		ssize_t n = getrandom(b + got, sizeof b - got, 0);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		got += (size_t)n;
	}
	if (got < sizeof b) {
		int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);

		if (fd >= 0) {
			ssize_t n;

			while (got < sizeof b &&
			    (n = read(fd, b + got, sizeof b - got)) > 0)
				got += (size_t)n;
			close(fd);
		}
		if (got < sizeof b)
			fatal("no random source for a session UUID");
	}
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	for (i = 0; i < 16; i++) {
		static const char hex[] = "0123456789abcdef";

		if (i == 4 || i == 6 || i == 8 || i == 10)
			uuid[o++] = '-';
		uuid[o++] = hex[b[i] >> 4];
		uuid[o++] = hex[b[i] & 15];
	}
	uuid[o] = '\0';
}

/* ---- struct session ---- */

static void
outcome_clear(struct session_outcome *o)
{
	free(o->notes);
	free(o->architecture);
	free(o->framework);
	memset(o, 0, sizeof *o);
}

void
session_init(struct session *s)
{
	memset(s, 0, sizeof *s);
	memset(s->info, -1, sizeof s->info);
	s->ended = -1;
}

void
session_done(struct session *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->nevents; i++) {
		free(s->events[i].action);
		free(s->events[i].data);
	}
	free(s->events);
	free(s->intervals);
	free(s->ticks);
	free(s->post);
	free(s->post_type);
	free(s->post_title);
	free(s->type);
	outcome_clear(&s->outcome);
	session_init(s);
}

void
session_push_event(struct session *s, int seq, enum session_kind kind,
		double at, double active, const char *action, const char *data)
{
	struct session_event *e;

	if (s->nevents == s->events_alloc) {
		s->events_alloc = s->events_alloc ? 2 * s->events_alloc : 16;
		s->events = xrealloc(s->events,
		    s->events_alloc * sizeof *s->events);
	}
	e = &s->events[s->nevents++];
	memset(e, 0, sizeof *e);
	e->seq = seq;
	e->kind = kind;
	e->at = at;
	e->active = active;
	e->action = action ? xstrdup(action) : NULL;
	e->data = data && *data ? xstrdup(data) : NULL;
}

void
session_pop_event(struct session *s)
{
	struct session_event *e;

	if (!s->nevents)
		return;
	e = &s->events[--s->nevents];
	free(e->action);
	free(e->data);
	session_replay(s);
}

static struct session_interval *
interval_push(struct session *s, double start)
{
	struct session_interval *iv;

	if (s->nintervals == s->intervals_alloc) {
		s->intervals_alloc = s->intervals_alloc ?
		    2 * s->intervals_alloc : 8;
		s->intervals = xrealloc(s->intervals,
		    s->intervals_alloc * sizeof *s->intervals);
	}
	iv = &s->intervals[s->nintervals++];
	iv->start = start;
	iv->end = iv->orig_end = -1;
	iv->adjusted = 0;
	return iv;
}

static void
interval_close(struct session *s, double at)
{
	struct session_interval *iv;

	if (!s->nintervals)
		return;
	iv = &s->intervals[s->nintervals - 1];
	if (iv->end >= 0)
		return;
	iv->end = iv->orig_end = at < iv->start ? iv->start : at;
}

static char *
json_str(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) && v->valuestring[0] ?
	    xstrdup(v->valuestring) : NULL;
}

static double
json_num(const cJSON *o, const char *key, double dflt)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsNumber(v) ? v->valuedouble : dflt;
}

static int
json_enum(const cJSON *o, const char *key, int (*from)(const char *))
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	int r;

	if (!cJSON_IsString(v))
		return 0;
	r = from(v->valuestring);
	return r < 0 ? 0 : r;
}

/* "present": [...], "missing": [...], "source": "analysis"|"user" */
static void
apply_info(struct session *s, const cJSON *o)
{
	static const char *const keys[2] = { "missing", "present" };
	const cJSON *a, *it;
	int k, changed = 0;

	for (k = 0; k < 2; k++) {
		a = cJSON_GetObjectItemCaseSensitive(o, keys[k]);
		cJSON_ArrayForEach(it, a) {
			int c = cJSON_IsString(it) ?
			    session_category_from_id(it->valuestring) : -1;

			if (c >= 0) {
				s->info[c] = (signed char)k;
				changed = 1;
			}
		}
	}
	a = cJSON_GetObjectItemCaseSensitive(o, "type");
	if (cJSON_IsString(a) && *a->valuestring) {
		free(s->type);
		s->type = xstrdup(a->valuestring);
	}
	if (changed) {
		const cJSON *src =
		    cJSON_GetObjectItemCaseSensitive(o, "source");

		s->info_source = cJSON_IsString(src) &&
		    strcmp(src->valuestring, "analysis") == 0 ?
		    SESSION_INFO_ANALYSIS : SESSION_INFO_USER;
	}
}

static void
apply_data(struct session *s, struct session_event *e)
{
	cJSON *o;
	int n, target;
	size_t i;

	if (!e->data || !(o = cJSON_Parse(e->data)))
		return;
	switch (e->kind) {
	case SESSION_EV_START:
	case SESSION_EV_INFO:
		apply_info(s, o);
		break;
	case SESSION_EV_STOP:
		outcome_clear(&s->outcome);
		s->outcome.result = json_enum(o, "outcome",
		    session_result_from_id);
		s->outcome.reason = json_enum(o, "reason",
		    session_reason_from_id);
		s->outcome.effort = json_enum(o, "effort",
		    session_effort_from_id);
		s->outcome.modification = json_enum(o, "modification",
		    session_mod_from_id);
		s->outcome.notes = json_str(o, "notes");
		s->outcome.architecture = json_str(o, "architecture");
		s->outcome.framework = json_str(o, "framework");
		apply_info(s, o);
		break;
	case SESSION_EV_UNDO:
		target = (int)json_num(o, "undoes", 0);
		for (i = 0; i < s->nevents; i++)
			if (s->events[i].seq == target)
				s->events[i].undone = 1;
		break;
	case SESSION_EV_ADJUST:
	case SESSION_EV_RECOVER:
		n = (int)json_num(o, "interval", 0);
		if (n >= 1 && (size_t)n <= s->nintervals &&
		    cJSON_GetObjectItemCaseSensitive(o, "end")) {
			struct session_interval *iv = &s->intervals[n - 1];
			double end = json_num(o, "end", iv->start);

			if (end < iv->start)
				end = iv->start;
			if (iv->end < 0) {
				iv->orig_end = e->at;
				if (s->state == SESSION_RUNNING)
					s->state = SESSION_PAUSED;
			}
			iv->end = end;
			iv->adjusted = 1;
		}
		break;
	default:
		break;
	}
	cJSON_Delete(o);
}

static void
tick_set(struct session *s, const struct session_event *e)
{
	size_t i;

	for (i = 0; i < s->nticks; i++)
		if (strcmp(s->ticks[i].action, e->action) == 0)
			return;
	if (s->nticks == s->ticks_alloc) {
		s->ticks_alloc = s->ticks_alloc ? 2 * s->ticks_alloc : 10;
		s->ticks = xrealloc(s->ticks,
		    s->ticks_alloc * sizeof *s->ticks);
	}
	s->ticks[s->nticks].action = e->action;
	s->ticks[s->nticks].at = e->at;
	s->ticks[s->nticks].active = e->active;
	s->ticks[s->nticks].seq = e->seq;
	s->nticks++;
}

static void
tick_clear(struct session *s, const char *action)
{
	size_t i;

	for (i = 0; i < s->nticks; i++)
		if (strcmp(s->ticks[i].action, action) == 0) {
			memmove(&s->ticks[i], &s->ticks[i + 1],
			    (s->nticks - i - 1) * sizeof *s->ticks);
			s->nticks--;
			return;
		}
}

void
session_replay(struct session *s)
{
	size_t i;

	s->state = SESSION_NONE;
	s->nintervals = 0;
	s->nticks = 0;
	outcome_clear(&s->outcome);
	memset(s->info, -1, sizeof s->info);
	s->info_source = SESSION_INFO_UNKNOWN;
	free(s->type);
	s->type = NULL;
	s->started = 0;
	s->ended = -1;

	/* Undo marks first, so the tick pass below sees the final picture. */
	for (i = 0; i < s->nevents; i++)
		s->events[i].undone = 0;
	for (i = 0; i < s->nevents; i++)
		if (s->events[i].kind == SESSION_EV_UNDO)
			apply_data(s, &s->events[i]);

	for (i = 0; i < s->nevents; i++) {
		struct session_event *e = &s->events[i];

		switch (e->kind) {
		case SESSION_EV_START:
			s->state = SESSION_RUNNING;
			s->started = e->at;
			interval_push(s, e->at);
			apply_data(s, e);
			break;
		case SESSION_EV_PAUSE:
			interval_close(s, e->at);
			s->state = SESSION_PAUSED;
			break;
		case SESSION_EV_RESUME:
			interval_push(s, e->at);
			s->state = SESSION_RUNNING;
			break;
		case SESSION_EV_STOP:
			interval_close(s, e->at);
			s->state = SESSION_STOPPED;
			s->ended = e->at;
			apply_data(s, e);
			break;
		case SESSION_EV_TICK:
			if (!e->undone && e->action)
				tick_set(s, e);
			break;
		case SESSION_EV_UNTICK:
			if (!e->undone && e->action)
				tick_clear(s, e->action);
			break;
		case SESSION_EV_ADJUST:
		case SESSION_EV_INFO:
		case SESSION_EV_RECOVER:
			apply_data(s, e);
			break;
		default:
			break;
		}
	}
	/*
	 * A tick's active time was the session's when it was made; an
	 * interval cut shorter since (adjust, a recovery's cut) cannot have
	 * held more than the intervals now do up to the tick.
	 */
	for (i = 0; i < s->nticks; i++) {
		double sum = 0, at = s->ticks[i].at;

		for (size_t k = 0; k < s->nintervals; k++) {
			const struct session_interval *iv = &s->intervals[k];
			double end = iv->end < 0 || iv->end > at ? at : iv->end;

			if (end > iv->start)
				sum += end - iv->start;
		}
		if (sum < s->ticks[i].active)
			s->ticks[i].active = sum;
	}
}

double
session_event_time(const struct session *s, double now)
{
	if (s->nevents && now < s->events[s->nevents - 1].at)
		return s->events[s->nevents - 1].at;
	return now;
}

double
session_active_at(const struct session *s, double t)
{
	double sum = 0;
	size_t i;

	t = session_event_time(s, t);
	for (i = 0; i < s->nintervals; i++) {
		const struct session_interval *iv = &s->intervals[i];
		double end = iv->end < 0 ? t : iv->end;

		if (end > t)
			end = t;
		if (end > iv->start)
			sum += end - iv->start;
	}
	return sum;
}

const char *
session_bug_type(const struct session *s)
{
	return s->type ? s->type : s->post_type;
}

int
session_is_ticked(const struct session *s, const char *action)
{
	size_t i;

	for (i = 0; i < s->nticks; i++)
		if (strcmp(s->ticks[i].action, action) == 0)
			return 1;
	return 0;
}

void
session_stop_init(struct session_stop *st)
{
	memset(st, 0, sizeof *st);
	memset(st->info, -1, sizeof st->info);
}

/* ---- model steps ---- */

static int
next_seq(const struct session *s)
{
	return s->nevents ? s->events[s->nevents - 1].seq + 1 : 1;
}

static void
append(struct session *s, enum session_kind kind, double now,
		const char *action, const char *data)
{
	double at = session_event_time(s, now);

	session_push_event(s, next_seq(s), kind, at,
	    session_active_at(s, at), action, data);
	session_replay(s);
}

static int
need_open(const struct session *s)
{
	if (s->state == SESSION_NONE)
		return error_set("no open session");
	if (s->state == SESSION_STOPPED)
		return error_set("session is stopped");
	return DL_OK;
}

int
session_model_start(struct session *s, double now, const char *data)
{
	if (s->state != SESSION_NONE || s->nevents)
		return error_set("session already started");
	append(s, SESSION_EV_START, now, NULL, data);
	return DL_OK;
}

int
session_model_pause(struct session *s, double now)
{
	if (need_open(s))
		return DL_ERR;
	if (s->state == SESSION_PAUSED)
		return error_set("session is already paused");
	append(s, SESSION_EV_PAUSE, now, NULL, NULL);
	return DL_OK;
}

int
session_model_resume(struct session *s, double now)
{
	if (need_open(s))
		return DL_ERR;
	if (s->state == SESSION_RUNNING)
		return error_set("session is already running");
	append(s, SESSION_EV_RESUME, now, NULL, NULL);
	return DL_OK;
}

int
session_model_tick(struct session *s, double now, const char *action)
{
	if (need_open(s))
		return DL_ERR;
	if (session_is_ticked(s, action))
		return error_set("%s: already ticked", action);
	append(s, SESSION_EV_TICK, now, action, NULL);
	return DL_OK;
}

int
session_model_untick(struct session *s, double now, const char *action)
{
	if (need_open(s))
		return DL_ERR;
	if (!session_is_ticked(s, action))
		return error_set("%s: not ticked", action);
	append(s, SESSION_EV_UNTICK, now, action, NULL);
	return DL_OK;
}

int
session_model_undo(struct session *s, double now)
{
	size_t i;
	char *data;

	if (need_open(s))
		return DL_ERR;
	for (i = s->nevents; i-- > 0;) {
		const struct session_event *e = &s->events[i];

		if ((e->kind == SESSION_EV_TICK ||
		    e->kind == SESSION_EV_UNTICK) && !e->undone)
			break;
	}
	if (i == (size_t)-1)
		return error_set("nothing to undo");
	data = xasprintf("{\"undoes\":%d}", s->events[i].seq);
	append(s, SESSION_EV_UNDO, now, s->events[i].action, data);
	free(data);
	return DL_OK;
}

static void
info_to_json(cJSON *o, const char *type,
		const signed char info[SESSION_NCAT], const char *source)
{
	cJSON *present = cJSON_CreateArray(), *missing = cJSON_CreateArray();
	int c, any = 0;

	if (type && *type)
		cJSON_AddStringToObject(o, "type", type);
	for (c = 0; c < SESSION_NCAT; c++) {
		if (info[c] < 0)
			continue;
		cJSON_AddItemToArray(info[c] ? present : missing,
		    cJSON_CreateString(category_ids[c]));
		any = 1;
	}
	if (!any) {
		cJSON_Delete(present);
		cJSON_Delete(missing);
		return;
	}
	cJSON_AddItemToObject(o, "present", present);
	cJSON_AddItemToObject(o, "missing", missing);
	cJSON_AddStringToObject(o, "source", source);
}

char *
session_info_json(const char *type, const signed char info[SESSION_NCAT],
		enum session_info_source source)
{
	cJSON *o = cJSON_CreateObject();
	char *txt, *out;

	info_to_json(o, type, info, source == SESSION_INFO_ANALYSIS ?
	    "analysis" : "user");
	txt = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	out = xstrdup(txt);
	cJSON_free(txt);
	return out;
}

static int
has_control(const char *s)
{
	for (; s && *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 1;
	return 0;
}

int
session_model_stop(struct session *s, double now,
		const struct session_stop *st)
{
	cJSON *o;
	char *txt;

	if (need_open(s))
		return DL_ERR;
	if (st->result <= SESSION_RESULT_NONE ||
	    st->result >= SESSION_RESULT_COUNT)
		return error_set("an outcome is required");
	if (st->reason != SESSION_REASON_NONE &&
	    st->result != SESSION_NOT_REPRODUCED)
		return error_set("a reason goes with not-reproduced only");
	if (has_control(st->architecture) || has_control(st->framework))
		return error_set("architecture and framework must be "
		    "printable text");
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "outcome", result_ids[st->result]);
	if (st->result == SESSION_NOT_REPRODUCED)
		cJSON_AddStringToObject(o, "reason", reason_ids[
		    st->reason ? st->reason : SESSION_REASON_OTHER]);
	if (st->notes && *st->notes)
		cJSON_AddStringToObject(o, "notes", st->notes);
	if (st->architecture && *st->architecture)
		cJSON_AddStringToObject(o, "architecture", st->architecture);
	if (st->framework && *st->framework)
		cJSON_AddStringToObject(o, "framework", st->framework);
	if (st->effort > SESSION_EFFORT_NONE &&
	    st->effort < SESSION_EFFORT_COUNT)
		cJSON_AddStringToObject(o, "effort", effort_ids[st->effort]);
	if (st->modification > SESSION_MOD_NONE &&
	    st->modification < SESSION_MOD_COUNT)
		cJSON_AddStringToObject(o, "modification",
		    mod_ids[st->modification]);
	info_to_json(o, NULL, st->info, "user");
	txt = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	append(s, SESSION_EV_STOP, now, NULL, txt);
	cJSON_free(txt);
	return DL_OK;
}

int
session_model_adjust(struct session *s, double now, int n, double end)
{
	struct session_interval *iv;
	double at = session_event_time(s, now), limit;
	char *data;

	if (s->state == SESSION_NONE)
		return error_set("no open session");
	if (n < 1 || (size_t)n > s->nintervals)
		return error_set("interval %d: no such interval (1..%zu)", n,
		    s->nintervals);
	iv = &s->intervals[n - 1];
	limit = iv->end < 0 ? at : iv->orig_end;
	if (!isfinite(end) || end < iv->start - 1e-6)
		return error_set("interval %d: end before its start", n);
	if (end > limit + 1e-6)
		return error_set("interval %d: end after %s", n,
		    iv->end < 0 ? "now" : "its original end");
	data = xasprintf("{\"interval\":%d,\"end\":%.6f}", n, end);
	append(s, SESSION_EV_ADJUST, now, NULL, data);
	free(data);
	return DL_OK;
}

int
session_model_info(struct session *s, double now, const char *type,
		const signed char info[SESSION_NCAT],
		enum session_info_source source)
{
	char *data;
	int c, any = type && *type;

	if (s->state == SESSION_NONE)
		return error_set("no open session");
	for (c = 0; c < SESSION_NCAT; c++)
		any |= info[c] >= 0;
	if (!any)
		return error_set("nothing to correct");
	data = session_info_json(type, info, source);
	append(s, SESSION_EV_INFO, now, NULL, data);
	free(data);
	return DL_OK;
}

int
session_model_recover(struct session *s, double now, int cut, double cut_at)
{
	char *data;

	if (s->state != SESSION_RUNNING || !s->nintervals)
		return error_set("no running session to recover");
	if (cut) {
		struct session_interval *iv = &s->intervals[s->nintervals - 1];

		if (cut_at < iv->start)
			cut_at = iv->start;
		if (cut_at > session_event_time(s, now))
			cut_at = session_event_time(s, now);
		data = xasprintf("{\"choice\":\"cut\",\"interval\":%zu,"
		    "\"end\":%.6f}", s->nintervals, cut_at);
	} else {
		data = xasprintf("{\"choice\":\"keep\",\"heartbeat\":%.6f}",
		    cut_at);
	}
	append(s, SESSION_EV_RECOVER, now, NULL, data);
	free(data);
	return DL_OK;
}

void
session_recovery_check(const struct session *s, double now,
		struct session_recovery *r)
{
	double last;

	memset(r, 0, sizeof *r);
	r->now = session_event_time(s, now);
	if (s->state != SESSION_RUNNING || s->heartbeat <= 0)
		return;
	last = s->heartbeat;
	if (s->nevents && s->events[s->nevents - 1].at > last)
		last = s->events[s->nevents - 1].at;
	if (s->nintervals && s->intervals[s->nintervals - 1].start > last)
		last = s->intervals[s->nintervals - 1].start;
	if (r->now - last <= SESSION_HEARTBEAT_STALE)
		return;
	r->needed = 1;
	r->heartbeat = last;
	r->lost_seconds = r->now - last;
	r->active_keep = session_active_at(s, r->now);
	r->active_cut = session_active_at(s, last);
}

const char *
session_framework_canonical(const char *name)
{
	static const char *const tf[] = {
		"tf", "tensorflow", "keras", "tf.keras", "tf+keras",
		"tf + keras", "tensorflow/keras", NULL,
	};
	static const char *const pt[] = { "pytorch", "torch", NULL };
	size_t i;

	if (!name)
		return NULL;
	for (i = 0; tf[i]; i++)
		if (strcasecmp(name, tf[i]) == 0)
			return "TF + Keras";
	for (i = 0; pt[i]; i++)
		if (strcasecmp(name, pt[i]) == 0)
			return "PyTorch";
	return name;
}

void
session_status(const struct session *s, const struct session_clock *c,
		struct session_status *out)
{
	double now = c->now(c->ctx);

	memset(out, 0, sizeof *out);
	out->s = s;
	out->state = s->state;
	out->now = session_event_time(s, now);
	out->active = session_active_at(s, now);
	if (s->nintervals && s->intervals[s->nintervals - 1].end < 0)
		out->interval_active = out->now -
		    s->intervals[s->nintervals - 1].start;
	out->nticks = s->nticks;
	session_recovery_check(s, now, &out->recovery);
}
