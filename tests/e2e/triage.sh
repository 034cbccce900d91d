#!/bin/sh
# triage.sh - a post's triage state follows its reproduction sessions.
. "${TOP_SRCDIR:-.}/tests/lib.sh"
tmpdir
DB="$T/t.db"
plan 5

triage_of() {
	dl --db "$DB" list --json | "$PYTHON3" -c "
import sys, json
for l in sys.stdin:
    o = json.loads(l)
    if o['id'] == sys.argv[1]: print(o['triage'])" "$1"
}

dl --db "$DB" import --quiet "$TOP_SRCDIR/tests/fixtures/posts.json"
[ "$(triage_of so:111)" = new ] && ok "a new post is new" || not_ok "new" "$(triage_of so:111)"
dl --db "$DB" session start 111 >/dev/null 2>&1
[ "$(triage_of so:111)" = in-progress ] && ok "starting a session: in-progress" ||
	not_ok "in-progress" "$(triage_of so:111)"
dl --db "$DB" session stop --outcome reproduced >/dev/null 2>&1
[ "$(triage_of so:111)" = reproduced ] && ok "reproduced outcome: reproduced" ||
	not_ok "reproduced" "$(triage_of so:111)"
dl --db "$DB" session start 112 >/dev/null 2>&1
dl --db "$DB" session stop --outcome not-reproduced --reason missing-data >/dev/null 2>&1
[ "$(triage_of so:112)" = not-reproducible ] && ok "not-reproduced outcome: not-reproducible" ||
	not_ok "not-reproducible" "$(triage_of so:112)"
dl --db "$DB" session start 113 >/dev/null 2>&1
dl --db "$DB" session stop --outcome abandoned >/dev/null 2>&1
[ "$(triage_of so:113)" = in-progress ] && ok "abandoned leaves it in progress" ||
	not_ok "abandoned" "$(triage_of so:113)"
done_testing
