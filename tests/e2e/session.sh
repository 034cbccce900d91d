#!/bin/sh
# session.sh - end-to-end tests of `dlrepro session`, `history` and
# `stats`: a scripted session on a pinned clock (DLREPRO_TEST_NOW) gives
# exact active time and ticks; wrong input is one line on stderr and leaves
# the database byte-for-byte as it was.
. "${TOP_SRCDIR:-.}/tests/lib.sh"
tmpdir
FX="$TOP_SRCDIR/tests/fixtures"
DB="$T/t.db"
PY=${PYTHON3:-python3}
T0=1700000000
plan 67

at() { DLREPRO_TEST_NOW=$(($T0 + $1)); export DLREPRO_TEST_NOW; }
s() { dl --db "$DB" session "$@"; }
dump() {
	"$PY" -c 'import sqlite3,sys
c = sqlite3.connect(sys.argv[1])
for l in c.iterdump(): print(l)' "$DB" > "$T/dump.$1"
}
# unchanged NAME EXPECTED_RC CMD...: fails (rc), one stderr line, no change.
unchanged() {
	name=$1 want=$2
	shift 2
	dump before
	run "$@"
	dump after
	lines=$(printf '%s\n' "$err" | wc -l)
	if [ "$rc" -eq "$want" ] && [ "$lines" -eq 1 ] && [ -z "$out" ] &&
	    case $err in "dlrepro: "*) true ;; *) false ;; esac &&
	    cmp -s "$T/dump.before" "$T/dump.after"; then
		ok "$name"
	else
		not_ok "$name" "rc=$rc (want $want) stderr: $err" "stdout: $out"
	fi
}
# jq_ok NAME PYEXPR: evaluate PYEXPR with j = the JSON in $out.
jq_ok() {
	if printf '%s' "$out" | "$PY" -c 'import sys,json
j = json.load(sys.stdin)
sys.exit(0 if eval(sys.argv[1]) else 1)' "$2" 2>"$T/py.err"; then
		ok "$1"
	else
		not_ok "$1" "$2" "$(head -c 600 "$T/py.err")" \
			"$(printf '%s' "$out" | head -c 600)"
	fi
}

run dl --db "$DB" import --no-analyze "$FX/session_posts.json"
[ $rc -eq 0 ] && ok "import fixture posts" || not_ok "import fixture" "$err"

at 0
run s status --json
[ $rc -eq 0 ] && jq_ok "status --json with no session: state none" \
	'j["state"] == "none" and j["id"] is None and j["events"] == []' ||
	not_ok "status none" "$err"
unchanged "tick without an open session" 1 s tick logging
unchanged "pause without an open session" 1 s pause
unchanged "start on a post not in the store" 1 s start so:424242
unchanged "start on a malformed post id is a usage error" 2 s start 'not an id'
unchanged "unknown subcommand is a usage error" 2 s frobnicate
unchanged "unknown type is a usage error" 2 s start 55328966 --type wrong
unchanged "unknown category is a usage error" 2 s start 55328966 --present nope

run s start 55328966 --type training --present code,logs --missing data
[ $rc -eq 0 ] && ok "start a session" || not_ok "start" "$err"
unchanged "a second start is refused" 1 s start 59278771
at 60
unchanged "unknown action is refused" 1 s tick no-such-action
run s tick logging
[ $rc -eq 0 ] && ok "tick logging" || not_ok "tick" "$err"
unchanged "ticking twice is refused" 1 s tick logging
unchanged "untick of an action not ticked is refused" 1 s untick model-download
at 100
run s pause
[ $rc -eq 0 ] && ok "pause" || not_ok "pause" "$err"
unchanged "pause while paused is refused" 1 s pause
at 400
unchanged "stop without --outcome is a usage error" 2 s stop
unchanged "stop with an unknown outcome is a usage error" 2 s stop --outcome maybe
unchanged "reason with reproduced is a usage error, as --effort with the wrong outcome is" 2 s stop --outcome reproduced --reason hardware
run s resume
[ $rc -eq 0 ] && ok "resume" || not_ok "resume" "$err"
unchanged "resume while running is refused" 1 s resume
at 420
s untick logging >/dev/null && ok "untick logging" || not_ok "untick"
at 430
s tick dataset-procurement >/dev/null && ok "tick dataset-procurement" ||
	not_ok "tick dataset-procurement"
at 440
s tick input-data-generation >/dev/null && at 450 && s undo >/dev/null &&
	ok "tick then undo" || not_ok "tick then undo"

at 500
run s status --json
jq_ok "status: running, 200 s active (100 + 100)" \
	'j["state"] == "running" and j["active_seconds"] == 200'
jq_ok "status: ticks after untick and undo" \
	'[t["action"] for t in j["ticks"]] == ["dataset-procurement"] and j["ticks"][0]["active_seconds"] == 130'
jq_ok "status: two intervals, eight events, the log keeps the undone tick" \
	'len(j["intervals"]) == 2 and len(j["events"]) == 8 and j["events"][6].get("undone") is True and j["events"][7]["kind"] == "undo"'
jq_ok "status: post, uuid, type and information categories" \
	'j["post"] == "so:55328966" and len(j["uuid"]) == 36 and j["type"] == "training" and j["info"]["code"] is True and j["info"]["data"] is False and j["info"]["model"] is None'
run s status
[ $rc -eq 0 ] && printf '%s' "$out" | grep -q "3m20s" && ok "status in words" ||
	not_ok "status text" "$out"

# A forgotten pause: the last 60 s were a coffee break.
run s adjust --minus 60
[ $rc -eq 0 ] && ok "adjust --minus 60 closes the open interval" || not_ok "adjust" "$err"
run s status --json
jq_ok "after adjust: paused, 140 s, original end kept" \
	'j["state"] == "paused" and j["active_seconds"] == 140 and j["intervals"][1]["adjusted"] and j["intervals"][1]["original_end"] == "2023-11-14T22:21:40.000Z" and j["events"][-1]["kind"] == "adjust"'
unchanged "adjust past the original end is refused" 1 s adjust --interval 1 --end 2023-11-14T22:15:01Z
unchanged "adjust needs --end or --minus" 2 s adjust --interval 1
unchanged "adjust of a missing interval is refused" 1 s adjust --interval 7 --minus 5
run s adjust --interval 1 --end 2023-11-14T22:14:10Z
[ $rc -eq 0 ] && ok "adjust --end shortens interval 1 to 50 s" || not_ok "adjust --end" "$err"

at 600
s resume >/dev/null
at 660
run s stop --outcome reproduced --framework keras --effort easy --modification minor --architecture CNN --notes 'Downloaded the data, "fixed" the path, ran it'
[ $rc -eq 0 ] && ok "stop reproduced" || not_ok "stop" "$err"
run s status --json --session 1
jq_ok "stopped: 150 s active, outcome and details" \
	'j["state"] == "stopped" and j["active_seconds"] == 150 and j["outcome"] == "reproduced" and j["framework"] == "TF + Keras" and j["effort"] == "easy" and j["modification"] == "minor" and j["architecture"] == "CNN"'
unchanged "stop twice is refused" 1 s stop --outcome abandoned
unchanged "tick after stop is refused" 1 s tick logging

at 1000
s start 59278771 --type tensor >/dev/null && at 1060 &&
	s tick input-data-generation >/dev/null && at 1300 &&
	s stop --outcome not-reproduced --reason environment >/dev/null &&
	ok "second session, not reproduced" || not_ok "second session"
at 2000
s start 59325381 >/dev/null && ok "third session" || not_ok "third session"
unchanged "recover without a stale dashboard heartbeat" 1 s recover --cut
at 2010
s stop --outcome abandoned >/dev/null && ok "abandoned" || not_ok "abandoned"
at 2100
run s info --session 3 --type model --missing logs
[ $rc -eq 0 ] && ok "info corrects type and categories of a stopped session" ||
	not_ok "info" "$err"

run dl --db "$DB" history --json
jq_ok "history --json lists three sessions, oldest first" \
	'[h["outcome"] for h in j] == ["reproduced", "not-reproduced", "abandoned"] and j[0]["actions"] == ["dataset-procurement"] and j[2]["type"] == "model"'
run dl --db "$DB" history --json --type tensor
jq_ok "history --type tensor" 'len(j) == 1 and j[0]["post"] == "so:59278771"'
run dl --db "$DB" history --json --outcome abandoned --since 2023-11-14
jq_ok "history --outcome --since" 'len(j) == 1 and j[0]["type"] == "model"'
run dl --db "$DB" history --json --since 2030-01-01
jq_ok "history --since in the future is empty" 'j == []'
unchanged "history --outcome bogus is a usage error" 2 dl --db "$DB" history --outcome bogus
run dl --db "$DB" history --type ''
[ $rc -eq 2 ] && echo "$err" | grep -q -- "--type: '' is not a bug type" &&
	ok "an empty --type is named, as list names it" || not_ok "empty type" "$rc $err"
run dl --db "$DB" history
[ $rc -eq 0 ] && [ "$(printf '%s\n' "$out" | wc -l)" -eq 4 ] &&
	printf '%s' "$out" | grep -q "so:59278771 *tensor *not-reproduced" &&
	ok "history table" || not_ok "history table" "$out"

run dl --db "$DB" stats --json
jq_ok "stats: overall rate and times" \
	'j["overall"]["reproduced"] == 1 and j["overall"]["not_reproduced"] == 1 and j["overall"]["abandoned"] == 1 and j["overall"]["rate"] == 0.5 and j["overall"]["mean_seconds"] == 150 and j["overall"]["median_seconds"] == 150'
jq_ok "stats: by type with the paper's figures" \
	'[t for t in j["by_type"] if t["type"] == "training"][0]["rate"] == 1 and [t for t in j["by_type"] if t["type"] == "training"][0]["paper_rate"] == 0.8965 and [t for t in j["by_type"] if t["type"] == "tensor"][0]["rate"] == 0'
jq_ok "stats: edit-action share beside the paper" \
	'[a for a in [t for t in j["by_type"] if t["type"] == "training"][0]["actions"] if a["action"] == "dataset-procurement"][0] == {"action": "dataset-procurement", "used": 1, "share": 1, "paper": 0.2692}'
jq_ok "stats: by framework (unsaid: from the post's tags)" \
	'sorted((f["framework"], f["sessions"]) for f in j["by_framework"]) == [("PyTorch", 1), ("TF + Keras", 2)]'
run dl --db "$DB" stats
[ $rc -eq 0 ] && printf '%s' "$out" | grep -q "Training .* 100.0% *89.6%" &&
	ok "stats table" || not_ok "stats table" "$out"

# The categories come from the stored analysis; the user's flag wins.
at 3000
dl --db "$DB" analyze 59325381 >/dev/null 2>&1
run s start 59325381 --present logs --json
jq_ok "start takes type and categories from the analysis" \
	'j["type"] == "model" and j["info"]["model"] is True and j["info"]["data"] is False and j["info"]["logs"] is True and j["info_source"] == "user"'
at 3010
run s stop --outcome abandoned --json
jq_ok "stop --json prints the stopped session" \
	'j["state"] == "stopped" and j["active_seconds"] == 10 and j["outcome"] == "abandoned"'

# Option checks name the mistake and change nothing.
run s start 59325381
run s adjust --end 2024-01-01T00:00Z --minus 5m
[ $rc -eq 2 ] && echo "$err" | grep -q "not both" &&
	ok "adjust with --end and --minus says not both" || not_ok "end and minus" "$rc $err"
run s adjust --end noon
[ $rc -eq 2 ] && echo "$err" | grep -q "'noon' is not a date (want YYYY-MM-DD, or YYYY-MM-DDTHH:MM\[:SS\]Z" &&
	ok "adjust --end names the time format" || not_ok "end format" "$rc $err"
run s stop --outcome not-reproduced --effort hard
[ $rc -eq 2 ] && echo "$err" | grep -q "effort goes with --outcome reproduced" &&
	ok "--effort only with a reproduction" || not_ok "effort" "$rc $err"
run s adjust --minus 0x10
[ $rc -eq 2 ] && echo "$err" | grep -q "'0x10' is not a duration" &&
	ok "--minus takes plain decimal numbers only" || not_ok "minus hex" "$rc $err"
run s adjust --minus 0
[ $rc -eq 2 ] && echo "$err" | grep -q "nothing to take off" &&
	ok "--minus 0 adjusts nothing and says so" || not_ok "minus 0" "$rc $err"
run dl --db "$DB" history --since 2024-02-30
[ $rc -eq 2 ] && echo "$err" | grep -q "2024-02-30' is not a valid UTC date" &&
	ok "history --since refuses a day the month lacks" || not_ok "since" "$rc $err"
run s status --json
jq_ok "after the refused commands the session still runs" 'j["state"] == "running"'

# An adjust that cuts the interval before a tick: the tick cannot have
# held more active time than the session now has.
at 9000; s tick logging >/dev/null
at 9060; sid=$(s stop --outcome reproduced --json | "$PY" -c "import json,sys; print(json.load(sys.stdin)[\"id\"])")
at 9100; s adjust --session "$sid" --minus 100 >/dev/null
run s status --json --session "$(s status --json --session "$sid" | "$PY" -c "import json,sys; print(json.load(sys.stdin)['uuid'].upper())")"
jq_ok "a tick's active time is clamped to the adjusted intervals (found by its UUID in upper case)" \
	'j["ticks"] and all(t["active_seconds"] <= j["active_seconds"] for t in j["ticks"])'

done_testing
