/*
 * cmd_session.c - `dlrepro session SUBCOMMAND`: the timer and ticks of a
 * reproduction session from the shell.  Every subcommand is one event
 * committed before the command reports success; wrong input is one line
 * on stderr and changes nothing.
 */
#include "config.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "dlrepro/cli.h"
#include "dlrepro/post.h"
#include "dlrepro/session.h"
#include "dlrepro/util.h"

/* "1h02m03s" or "12m05s" or "42s" (rounded down to whole seconds). */
static void
format_duration(double secs, char *buf, size_t len)
{
	long t = secs > 0 ? (long)secs : 0;

	if (t >= 3600)
		snprintf(buf, len, "%ldh%02ldm%02lds", t / 3600, t / 60 % 60,
		    t % 60);
	else if (t >= 60)
		snprintf(buf, len, "%ldm%02lds", t / 60, t % 60);
	else
		snprintf(buf, len, "%lds", t);
}

/* "90", "90s", "15m", "1h30m", "1h2m3.5s", "1:30" (m:s), "1:02:03". */
/*
 * A plain decimal number at p (digits, one optional fraction): no sign,
 * exponent, hex or inf, which strtod() would take.  Its length, 0 if none.
 */
static size_t
read_num(const char *p, double *v)
{
	size_t n = 0;
	double scale = 0.1;

	*v = 0;
	while (isdigit((unsigned char)p[n]))
		*v = *v * 10 + (p[n++] - '0');
	if (n == 0)
		return 0;
	if (p[n] == '.' && isdigit((unsigned char)p[n + 1]))
		for (n++; isdigit((unsigned char)p[n]); n++, scale /= 10)
			*v += (p[n] - '0') * scale;
	return n;
}

static int
parse_duration(const char *s, double *out)
{
	double total = 0, v;
	const char *p = s;
	int colons = 0, units = 0;

	if (!s || !*s)
		return error_set("'' is not a duration");
	if (strchr(s, ':')) {
		while (*p) {
			size_t n = read_num(p, &v);

			if (n == 0)
				goto bad;
			total = total * 60 + v;
			p += n;
			if (*p == ':') {
				if (++colons > 2)
					goto bad;
				p++;
			} else if (*p) {
				goto bad;
			}
		}
		*out = total;
		return DL_OK;
	}
	while (*p) {
		size_t n = read_num(p, &v);

		if (n == 0 || !isfinite(v))
			goto bad;
		p += n;
		switch (*p) {
		case 'h': v *= 3600; p++; break;
		case 'm': v *= 60; p++; break;
		case 's': p++; break;
		case '\0': if (units) goto bad; break;
		default: goto bad;
		}
		units++;
		total += v;
	}
	*out = total;
	return DL_OK;
bad:
	return error_set("'%s' is not a duration (e.g. 90, 15m, 1h30m, 1:30)",
	    s);
}

static void
print_status(const struct session *s, double now)
{
	char a[32], t[40];
	size_t i;

	if (s->state == SESSION_NONE) {
		printf("no open session\n");
		return;
	}
	format_duration(session_active_at(s, now), a, sizeof a);
	printf("session %lld  %s  %s\n", s->id, s->post,
	    session_state_id(s->state));
	printf("  uuid      %s\n", s->uuid);
	if (session_bug_type(s))
		printf("  type      %s\n", session_bug_type(s));
	printf("  active    %s (%.1f s)\n", a, session_active_at(s, now));
	for (i = 0; i < s->nintervals; i++) {
		const struct session_interval *iv = &s->intervals[i];
		char st[40], en[40], was[40];

		format_iso8601(iv->start, st, sizeof st);
		if (iv->end < 0)
			snprintf(en, sizeof en, "(running)");
		else
			format_iso8601(iv->end, en, sizeof en);
		printf("  interval  %zu  %s .. %s", i + 1, st, en);
		/* the log keeps the original end; a wrong adjust is undone
		 * by setting it back, so show it */
		if (iv->adjusted && iv->orig_end >= 0) {
			format_iso8601(iv->orig_end, was, sizeof was);
			printf("  (adjusted, was %s)", was);
		} else if (iv->adjusted) {
			printf("  (adjusted)");
		}
		putchar('\n');
	}
	for (i = 0; i < s->nticks; i++) {
		format_iso8601(s->ticks[i].at, t, sizeof t);
		format_duration(s->ticks[i].active, a, sizeof a);
		printf("  ticked    %-30s at %s (+%s)\n", s->ticks[i].action,
		    t, a);
	}
	if (s->outcome.result != SESSION_RESULT_NONE) {
		printf("  outcome   %s", session_result_id(s->outcome.result));
		if (s->outcome.reason)
			printf(" (%s)", session_reason_id(s->outcome.reason));
		printf("\n");
	}
}

static int
print_json(const struct session *s, double now)
{
	cJSON *o = session_to_json(s, now);
	char *txt = cJSON_PrintUnformatted(o);

	puts(txt);
	cJSON_free(txt);
	cJSON_Delete(o);
	return EXIT_OK;
}

/* --session ID|UUID, else the open session. */
static int
load_target(struct store *st, const char *which, struct session *s)
{
	int rc;

	if (which) {
		int64_t id;

		if (parse_int64(which, &id) == DL_OK) {
			rc = session_load(st, id, s);
		} else {
			/* UUIDs are stored in lower case; any case finds them */
			char *u = xstrdup(which);

			for (char *c = u; *c; c++)
				*c = (char)tolower((unsigned char)*c);
			rc = session_load_uuid(st, u, s);
			free(u);
		}
		if (rc == DL_NOTFOUND)
			return error_set("%s: no such session", which);
		return rc;
	}
	rc = session_load_open(st, s);
	if (rc == DL_NOTFOUND)
		return error_set("no open session");
	return rc;
}

enum sub {
	SUB_START, SUB_TICK, SUB_UNTICK, SUB_UNDO, SUB_PAUSE, SUB_RESUME,
	SUB_STOP, SUB_ADJUST, SUB_INFO, SUB_STATUS, SUB_RECOVER, SUB__COUNT
};
static const char *const sub_names[SUB__COUNT] = {
	"start", "tick", "untick", "undo", "pause", "resume", "stop",
	"adjust", "info", "status", "recover",
};

int
cmd_session(struct cli *cli, int argc, char **argv)
{
	const struct cli_command *cmd = cli_find("session");
	const struct session_clock *clk = session_clock_system();
	const char *outcome = NULL, *reason = NULL, *notes = NULL,
	    *arch = NULL, *framework = NULL, *effort = NULL, *mod = NULL,
	    *interval = NULL, *end = NULL, *minus = NULL, *which = NULL,
	    *type = NULL;
	int json = 0, keep = 0, cut = 0;
	struct strvec present, missing, pos;
	const struct cli_opt opts[] = {
		{ "json", 0, &json, NULL, NULL },
		{ "outcome", 1, NULL, &outcome, NULL },
		{ "reason", 1, NULL, &reason, NULL },
		{ "notes", 1, NULL, &notes, NULL },
		{ "architecture", 1, NULL, &arch, NULL },
		{ "framework", 1, NULL, &framework, NULL },
		{ "effort", 1, NULL, &effort, NULL },
		{ "modification", 1, NULL, &mod, NULL },
		{ "present", 1, NULL, NULL, &present },
		{ "missing", 1, NULL, NULL, &missing },
		{ "interval", 1, NULL, &interval, NULL },
		{ "end", 1, NULL, &end, NULL },
		{ "minus", 1, NULL, &minus, NULL },
		{ "session", 1, NULL, &which, NULL },
		{ "type", 1, NULL, &type, NULL },
		{ "keep", 0, &keep, NULL, NULL },
		{ "cut", 0, &cut, NULL, NULL },
		{ NULL, 0, NULL, NULL, NULL },
	};
	signed char info[SESSION_NCAT];
	double adj_at = 0, adj_d = 0;
	int64_t adj_n = 0;
	struct session s;
	struct session_stop stop;
	struct store *st;
	char *post = NULL;
	int sub, rc = EXIT_FAIL, r = DL_OK;
	size_t want;

	sv_init(&present);
	sv_init(&missing);
	sv_init(&pos);
	session_init(&s);
	memset(info, -1, sizeof info);
	if (cli_parse(cmd, argc, argv, opts, &pos) != 0) {
		rc = EXIT_USAGE;
		goto out;
	}
	if (pos.n == 0) {
		rc = cli_usage(cmd, "session needs a subcommand");
		goto out;
	}
	for (sub = 0; sub < SUB__COUNT; sub++)
		if (strcmp(pos.v[0], sub_names[sub]) == 0)
			break;
	if (sub == SUB__COUNT) {
		rc = cli_usage(cmd, "session %s: unknown subcommand",
		    pos.v[0]);
		goto out;
	}
	want = sub == SUB_START || sub == SUB_TICK || sub == SUB_UNTICK ?
	    2 : 1;
	if (pos.n != want) {
		rc = cli_usage(cmd, "session %s takes %s", sub_names[sub],
		    want == 2 ? (sub == SUB_START ? "one POST" :
		    "one ACTION") : "no arguments");
		goto out;
	}

	/* Check every argument before touching the store. */
	if (cli_parse_cats(&present, info, 1) != DL_OK ||
	    cli_parse_cats(&missing, info, 0) != DL_OK) {
		rc = cli_usage(cmd, "%s", error_msg());
		goto out;
	}
	if (sub == SUB_START) {
		post = cli_post_id(pos.v[1]);
		if (!post) {
			rc = cli_usage(cmd, "%s", error_msg());
			goto out;
		}
	}
	if ((sub == SUB_TICK || sub == SUB_UNTICK) &&
	    data_action_from_id(pos.v[1]) < 0) {
		rc = cli_fail("%s: unknown edit action", pos.v[1]);
		goto out;
	}
	session_stop_init(&stop);
	if (sub == SUB_STOP) {
		int v;

		if (!outcome) {
			rc = cli_usage(cmd, "session stop needs --outcome "
			    "reproduced|not-reproduced|abandoned");
			goto out;
		}
		if ((v = session_result_from_id(outcome)) < 0) {
			rc = cli_usage(cmd, "%s: unknown outcome (reproduced, "
			    "not-reproduced, abandoned)", outcome);
			goto out;
		}
		stop.result = v;
		if (reason) {
			if ((v = session_reason_from_id(reason)) < 0) {
				rc = cli_usage(cmd, "%s: unknown reason "
				    "(missing-data, missing-model, "
				    "missing-code, environment, hardware, "
				    "non-deterministic, other)", reason);
				goto out;
			}
			/* checked here too (the model checks it as well), so
			 * that it is a usage error like --effort's */
			if (stop.result != SESSION_NOT_REPRODUCED) {
				rc = cli_usage(cmd, "--reason goes with "
				    "--outcome not-reproduced");
				goto out;
			}
			stop.reason = v;
		}
		if (effort) {
			/* the paper's effort level is that of a reproduction */
			if (stop.result != SESSION_REPRODUCED) {
				rc = cli_usage(cmd, "--effort goes with "
				    "--outcome reproduced");
				goto out;
			}
			if ((v = session_effort_from_id(effort)) < 0) {
				rc = cli_usage(cmd, "%s: unknown effort (easy, "
				    "medium, hard)", effort);
				goto out;
			}
			stop.effort = v;
		}
		if (mod) {
			if ((v = session_mod_from_id(mod)) < 0) {
				rc = cli_usage(cmd, "%s: unknown modification "
				    "(minor, major)", mod);
				goto out;
			}
			stop.modification = v;
		}
		stop.notes = notes;
		stop.architecture = arch;
		stop.framework = session_framework_canonical(framework);
		memcpy(stop.info, info, sizeof info);
	} else if (outcome || reason || notes || arch || framework ||
	    effort || mod) {
		rc = cli_usage(cmd, "outcome options go with session stop");
		goto out;
	}
	if (sub == SUB_ADJUST && !!end + !!minus != 1) {
		rc = cli_usage(cmd, end ? "session adjust takes --end TIME or "
		    "--minus DURATION, not both" : "session adjust needs "
		    "--end TIME or --minus DURATION");
		goto out;
	}
	if (sub != SUB_ADJUST && (interval || end || minus)) {
		rc = cli_usage(cmd, "--interval, --end and --minus go with "
		    "session adjust");
		goto out;
	}
	/* adjust's values, read before the store is touched */
	if (interval && (parse_int64(interval, &adj_n) != DL_OK || adj_n < 1 ||
	    adj_n > 1000000)) {
		rc = cli_usage(cmd, "--interval %s: not an interval number",
		    interval);
		goto out;
	}
	if (end && parse_iso8601(end, &adj_at) != DL_OK) {
		rc = cli_usage(cmd, "--end %s", error_msg());
		goto out;
	}
	if (minus && parse_duration(minus, &adj_d) != DL_OK) {
		rc = cli_usage(cmd, "--minus %s", error_msg());
		goto out;
	}
	/* an adjust that moves nothing would still mark the interval
	 * adjusted */
	if (minus && adj_d <= 0) {
		rc = cli_usage(cmd, "--minus %s: nothing to take off", minus);
		goto out;
	}
	if (sub == SUB_RECOVER && keep && cut) {
		rc = cli_usage(cmd, "choose one of --keep and --cut");
		goto out;
	}
	if (sub == SUB_INFO && !present.n && !missing.n && !type) {
		rc = cli_usage(cmd, "session info needs --type, --present or "
		    "--missing");
		goto out;
	}
	if (type && sub != SUB_START && sub != SUB_INFO) {
		rc = cli_usage(cmd, "--type goes with session start and info");
		goto out;
	}
	if (type && data_type_from_id(type) < 0) {
		rc = cli_usage(cmd, "--type: '%s' is not a bug type (model, tensor, "
		    "training, gpu, api, mixed)", type);
		goto out;
	}
	if ((present.n || missing.n) && sub != SUB_START && sub != SUB_STOP &&
	    sub != SUB_INFO) {
		rc = cli_usage(cmd, "--present and --missing go with session "
		    "start, stop and info");
		goto out;
	}
	if (which && sub != SUB_STATUS && sub != SUB_ADJUST &&
	    sub != SUB_INFO) {
		rc = cli_usage(cmd, "--session goes with session status, "
		    "adjust and info");
		goto out;
	}
	if (cli_data(cli) == NULL)
		goto out;
	if ((st = cli_store(cli)) == NULL)
		goto out;

	switch (sub) {
	case SUB_START:
		r = session_start(st, clk, post, type, info, &s);
		break;
	case SUB_STATUS:
		r = load_target(st, which, &s);
		if (r == DL_ERR && !which &&
		    strcmp(error_msg(), "no open session") == 0) {
			session_done(&s);
			r = DL_OK;
		}
		if (r == DL_OK) {
			if (json)
				rc = print_json(&s, clk->now(clk->ctx));
			else {
				print_status(&s, clk->now(clk->ctx));
				rc = EXIT_OK;
			}
			goto out;
		}
		break;
	case SUB_ADJUST: {
		double at = adj_at;
		int64_t n = interval ? adj_n : 0;

		if ((r = load_target(st, which, &s)) != DL_OK)
			break;
		if (!interval)
			n = (int64_t)s.nintervals;
		if (minus) {
			const struct session_interval *iv;

			if (n < 1 || (size_t)n > s.nintervals) {
				r = error_set("interval %lld: no such "
				    "interval", (long long)n);
				break;
			}
			iv = &s.intervals[n - 1];
			at = (iv->end < 0 ? session_event_time(&s,
			    clk->now(clk->ctx)) : iv->end) - adj_d;
		}
		r = session_adjust(st, clk, &s, (int)n, at);
		break;
	}
	case SUB_INFO:
		if ((r = load_target(st, which, &s)) != DL_OK)
			break;
		r = session_set_info(st, clk, &s, type, info);
		break;
	case SUB_RECOVER: {
		struct session_recovery rec;
		char lost[32];

		if ((r = load_target(st, NULL, &s)) != DL_OK)
			break;
		session_recovery_check(&s, clk->now(clk->ctx), &rec);
		if (!rec.needed) {
			r = error_set("nothing to recover (no stale "
			    "dashboard heartbeat)");
			break;
		}
		format_duration(rec.lost_seconds, lost, sizeof lost);
		if (!keep && !cut) {
			printf("session %lld lost its dashboard %s ago; "
			    "--keep counts that time, --cut drops it\n",
			    s.id, lost);
			rc = EXIT_OK;
			goto out;
		}
		r = session_recover(st, clk, &s, cut);
		break;
	}
	default:
		if ((r = load_target(st, NULL, &s)) != DL_OK)
			break;
		switch (sub) {
		case SUB_TICK:
			r = session_tick(st, clk, &s, pos.v[1]);
			break;
		case SUB_UNTICK:
			r = session_untick(st, clk, &s, pos.v[1]);
			break;
		case SUB_UNDO:
			r = session_undo(st, clk, &s);
			break;
		case SUB_PAUSE:
			r = session_pause(st, clk, &s);
			break;
		case SUB_RESUME:
			r = session_resume(st, clk, &s);
			break;
		case SUB_STOP:
			r = session_stop(st, clk, &s, &stop);
			break;
		default:
			break;
		}
	}
	if (r != DL_OK) {
		rc = cli_fail("session %s: %s", sub_names[sub], error_msg());
		goto out;
	}
	if (json) {
		rc = print_json(&s, clk->now(clk->ctx));
	} else {
		char a[32];

		format_duration(session_active_at(&s, clk->now(clk->ctx)), a,
		    sizeof a);
		printf("session %lld %s: %s, %s active\n", s.id,
		    sub_names[sub], session_state_id(s.state), a);
		rc = EXIT_OK;
	}
out:
	free(post);
	session_done(&s);
	sv_done(&present);
	sv_done(&missing);
	sv_done(&pos);
	return rc;
}
