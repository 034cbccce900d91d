/*
 * session_json.c owns the JSON form of a session: the object printed by
 * `session status --json`, written per line by `export --format jsonl`
 * and read back by `import-sessions`.  Events carry both an ISO-8601 time
 * for people and the exact Unix time ("t") so a round trip loses nothing.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "dlrepro/data.h"
#include "dlrepro/session.h"
#include "dlrepro/text.h"
#include "dlrepro/util.h"

static void
add_time(cJSON *o, const char *key, double t)
{
	char buf[40];

	if (t <= 0) {
		cJSON_AddNullToObject(o, key);
		return;
	}
	format_iso8601(t, buf, sizeof buf);
	cJSON_AddStringToObject(o, key, buf);
}

/* Round to microseconds so printed numbers stay short and exact enough. */
static double
us(double v)
{
	return round(v * 1e6) / 1e6;
}

static void
add_opt_str(cJSON *o, const char *key, const char *v)
{
	if (v && *v)
		cJSON_AddStringToObject(o, key, v);
	else
		cJSON_AddNullToObject(o, key);
}

/*
 * Every string (and key) of the tree through text_sanitize(): what an
 * import file or a database of an older version holds never reaches the
 * output or the store as invalid UTF-8, a control byte or an escape.
 */
static void
clean_strings(cJSON *v)
{
	char *t;

	for (; v != NULL; v = v->next) {
		if (v->string != NULL && !(v->type & cJSON_StringIsConst)) {
			t = text_sanitize(v->string, strlen(v->string));
			if (strcmp(t, v->string) != 0) {
				size_t n = strlen(t) + 1;

				cJSON_free(v->string);
				v->string = cJSON_malloc(n);
				if (v->string == NULL)
					fatal("out of memory");
				memcpy(v->string, t, n);
			}
			free(t);
		}
		if (cJSON_IsString(v) && v->valuestring != NULL) {
			t = text_sanitize(v->valuestring,
			    strlen(v->valuestring));
			if (strcmp(t, v->valuestring) != 0 &&
			    cJSON_SetValuestring(v, t) == NULL)
				fatal("out of memory");
			free(t);
		}
		clean_strings(v->child);
	}
}

static int
uuid_ok(const char *u)
{
	size_t i;

	if (strlen(u) != 36)
		return 0;
	for (i = 0; i < 36; i++)
		if (i == 8 || i == 13 || i == 18 || i == 23 ? u[i] != '-' :
		    !strchr("0123456789abcdefABCDEF", u[i]))
			return 0;
	return 1;
}

cJSON *
session_to_json(const struct session *s, double now)
{
	cJSON *o = cJSON_CreateObject(), *a, *x, *info;
	static const char *const src[] = { NULL, "analysis", "user" };
	size_t i;
	int c;

	if (!s || s->state == SESSION_NONE) {
		cJSON_AddNullToObject(o, "id");
		cJSON_AddNullToObject(o, "uuid");
		cJSON_AddNullToObject(o, "post");
		cJSON_AddStringToObject(o, "state", "none");
		cJSON_AddNumberToObject(o, "active_seconds", 0);
		cJSON_AddItemToObject(o, "intervals", cJSON_CreateArray());
		cJSON_AddItemToObject(o, "ticks", cJSON_CreateArray());
		cJSON_AddItemToObject(o, "events", cJSON_CreateArray());
		cJSON_AddNullToObject(o, "outcome");
		return o;
	}
	cJSON_AddNumberToObject(o, "id", (double)s->id);
	cJSON_AddStringToObject(o, "uuid", s->uuid);
	cJSON_AddStringToObject(o, "post", s->post ? s->post : "");
	add_opt_str(o, "title", s->post_title);
	add_opt_str(o, "type", session_bug_type(s));
	cJSON_AddStringToObject(o, "state", session_state_id(s->state));
	add_time(o, "started_at", s->started);
	add_time(o, "stopped_at", s->ended);
	cJSON_AddNumberToObject(o, "active_seconds",
	    us(session_active_at(s, now)));

	a = cJSON_AddArrayToObject(o, "intervals");
	for (i = 0; i < s->nintervals; i++) {
		const struct session_interval *iv = &s->intervals[i];
		double end = iv->end < 0 ? session_event_time(s, now) : iv->end;

		x = cJSON_CreateObject();
		cJSON_AddNumberToObject(x, "n", (double)(i + 1));
		add_time(x, "start", iv->start);
		add_time(x, "end", iv->end < 0 ? 0 : iv->end);
		cJSON_AddNumberToObject(x, "seconds",
		    us(end > iv->start ? end - iv->start : 0));
		cJSON_AddBoolToObject(x, "adjusted", iv->adjusted);
		if (iv->adjusted)
			add_time(x, "original_end", iv->orig_end);
		cJSON_AddItemToArray(a, x);
	}

	a = cJSON_AddArrayToObject(o, "ticks");
	for (i = 0; i < s->nticks; i++) {
		x = cJSON_CreateObject();
		cJSON_AddStringToObject(x, "action", s->ticks[i].action);
		add_time(x, "at", s->ticks[i].at);
		cJSON_AddNumberToObject(x, "active_seconds",
		    us(s->ticks[i].active));
		cJSON_AddItemToArray(a, x);
	}

	a = cJSON_AddArrayToObject(o, "events");
	for (i = 0; i < s->nevents; i++) {
		const struct session_event *e = &s->events[i];
		cJSON *d;

		x = cJSON_CreateObject();
		cJSON_AddNumberToObject(x, "seq", e->seq);
		cJSON_AddStringToObject(x, "kind", session_kind_id(e->kind));
		add_time(x, "at", e->at);
		cJSON_AddNumberToObject(x, "t", us(e->at));
		cJSON_AddNumberToObject(x, "active_seconds", us(e->active));
		add_opt_str(x, "action", e->action);
		d = e->data ? cJSON_Parse(e->data) : NULL;
		if (d)
			cJSON_AddItemToObject(x, "data", d);
		else
			cJSON_AddNullToObject(x, "data");
		if (e->undone)
			cJSON_AddBoolToObject(x, "undone", 1);
		cJSON_AddItemToArray(a, x);
	}

	add_opt_str(o, "outcome", session_result_id(s->outcome.result));
	add_opt_str(o, "reason", session_reason_id(s->outcome.reason));
	add_opt_str(o, "notes", s->outcome.notes);
	add_opt_str(o, "architecture", s->outcome.architecture);
	add_opt_str(o, "framework", s->outcome.framework);
	add_opt_str(o, "effort", session_effort_id(s->outcome.effort));
	add_opt_str(o, "modification",
	    session_mod_id(s->outcome.modification));
	info = cJSON_AddObjectToObject(o, "info");
	for (c = 0; c < SESSION_NCAT; c++) {
		if (s->info[c] < 0)
			cJSON_AddNullToObject(info, session_category_id(c));
		else
			cJSON_AddBoolToObject(info, session_category_id(c),
			    s->info[c]);
	}
	add_opt_str(o, "info_source", src[s->info_source]);
	clean_strings(o);
	return o;
}

char *
session_to_json_text(const struct session *s, double now)
{
	cJSON *o = session_to_json(s, now);
	char *txt = cJSON_PrintUnformatted(o), *out;

	cJSON_Delete(o);
	out = xstrdup(txt);
	cJSON_free(txt);
	return out;
}

static int
printable(const char *s)
{
	for (; s && *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 0;
	return 1;
}

int
session_from_json(const cJSON *o, struct session *s)
{
	const cJSON *uuid, *post, *events, *e, *v;
	int n = 0;

	session_init(s);
	if (!cJSON_IsObject(o))
		return error_set("not a session object");
	uuid = cJSON_GetObjectItemCaseSensitive(o, "uuid");
	post = cJSON_GetObjectItemCaseSensitive(o, "post");
	events = cJSON_GetObjectItemCaseSensitive(o, "events");
	if (!cJSON_IsString(uuid) || !uuid_ok(uuid->valuestring))
		return error_set("missing or malformed \"uuid\"");
	if (!cJSON_IsString(post) || !*post->valuestring)
		return error_set("missing \"post\"");
	if (!cJSON_IsArray(events) || cJSON_GetArraySize(events) == 0)
		return error_set("missing \"events\"");
	snprintf(s->uuid, sizeof s->uuid, "%s", uuid->valuestring);
	s->post = xstrdup(post->valuestring);
	v = cJSON_GetObjectItemCaseSensitive(o, "title");
	if (cJSON_IsString(v))
		s->post_title = text_sanitize(v->valuestring,
		    strlen(v->valuestring));
	v = cJSON_GetObjectItemCaseSensitive(o, "type");
	if (cJSON_IsString(v))
		s->post_type = xstrdup(v->valuestring);
	cJSON_ArrayForEach(e, events) {
		const cJSON *kind = cJSON_GetObjectItemCaseSensitive(e, "kind");
		const cJSON *seq = cJSON_GetObjectItemCaseSensitive(e, "seq");
		const cJSON *t = cJSON_GetObjectItemCaseSensitive(e, "t");
		const cJSON *at = cJSON_GetObjectItemCaseSensitive(e, "at");
		const cJSON *act = cJSON_GetObjectItemCaseSensitive(e,
		    "active_seconds");
		const cJSON *action = cJSON_GetObjectItemCaseSensitive(e,
		    "action");
		const cJSON *data = cJSON_GetObjectItemCaseSensitive(e, "data");
		char *dtext = NULL;
		double when;
		int k;

		n++;
		k = cJSON_IsString(kind) ?
		    session_kind_from_id(kind->valuestring) : -1;
		if (k < 0 || !cJSON_IsNumber(seq))
			goto bad;
		if (((k == SESSION_EV_TICK || k == SESSION_EV_UNTICK) &&
		    !cJSON_IsString(action)) || (cJSON_IsString(action) &&
		    data_action_from_id(action->valuestring) < 0))
			return error_set("event %d: unknown edit action", n);
		if (cJSON_IsNumber(t))
			when = t->valuedouble;
		else if (!cJSON_IsString(at) ||
		    parse_iso8601(at->valuestring, &when) != DL_OK)
			goto bad;
		if (s->nevents && (seq->valueint <=
		    s->events[s->nevents - 1].seq ||
		    when < s->events[s->nevents - 1].at))
			goto bad;
		if (cJSON_IsObject(data)) {
			/* notes and the like: sanitised once, here */
			cJSON *copy = cJSON_Duplicate(data, 1);

			if (copy == NULL)
				fatal("out of memory");
			clean_strings(copy->child);
			dtext = cJSON_PrintUnformatted(copy);
			cJSON_Delete(copy);
		}
		session_push_event(s, seq->valueint, k, when,
		    cJSON_IsNumber(act) ? act->valuedouble : 0,
		    cJSON_IsString(action) ? action->valuestring : NULL,
		    dtext);
		if (dtext)
			cJSON_free(dtext);
	}
	if (s->events[0].kind != SESSION_EV_START)
		return error_set("first event is not a start");
	session_replay(s);
	if (!printable(s->outcome.framework) ||
	    !printable(s->outcome.architecture) || !printable(s->type) ||
	    (s->type && data_type_from_id(s->type) < 0) ||
	    (s->post_type && data_type_from_id(s->post_type) < 0))
		return error_set("malformed outcome or bug type");
	return DL_OK;
bad:
	return error_set("event %d: missing or malformed fields", n);
}
