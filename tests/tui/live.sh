#!/bin/sh
# Screen test: the dashboard and the command line share a database.
# Changes made by `dlrepro` commands in another process (a triage state,
# a session started and ticked, new posts imported) show up in the open
# dashboard within a second or two, without a key press.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/tui/tui-lib.sh"

plan 8

DB="$T/fixture.db"
make_db "$DB" || { echo "Bail out! cannot build the fixture database"; exit 1; }

start_ui 120 40 --db "$DB"
expect "dashboard starts" "Posts 1-30 of 30"

# Another process starts a session on the selected post and ticks.
dl --db "$DB" session start so:1001 >/dev/null 2>&1
expect "a session started elsewhere appears" "RUNNING  so:1001" 3
dl --db "$DB" session tick logging >/dev/null 2>&1
expect "a tick made elsewhere appears" "1 tick " 3
dl --db "$DB" session stop --outcome abandoned >/dev/null 2>&1
expect_gone "a stop made elsewhere closes the panel" "RUNNING  so:1001" 3

cat >"$T/more.json" <<'JSON'
{"items":[{"question_id":2001,"title":"Imported while the dashboard runs",
"tags":["keras"],"body":"<p>late</p>","score":1}]}
JSON
dl --db "$DB" import "$T/more.json" >/dev/null 2>&1
expect "posts imported elsewhere appear" "Posts 1-31 of 31" 3

# Ctrl-C quits like q (curses shut down, status 0); so does SIGTERM.
keys C-c
st=$(wait_exit 10)
if [ "$st" = 0 ]; then ok "Ctrl-C quits cleanly"; else
	not_ok "Ctrl-C quits cleanly" "status: $st"; fi
start_ui 120 40 --db "$DB"
expect "dashboard starts again" "Posts 1-31 of 31"
shpid=$(tm list-panes -t 0 -F '#{pane_pid}')
dlpid=$(pgrep -P "$shpid" | head -1)
[ -n "$dlpid" ] && kill -TERM "$dlpid"
st=$(wait_exit 10)
if [ "$st" = 0 ]; then ok "SIGTERM quits cleanly"; else
	not_ok "SIGTERM quits cleanly" "status: $st"; fi
done_testing
