#!/bin/sh
# Screen test: a reproduction session driven from the dashboard - start on
# the selected post, tick, pause, resume, undo, stop with an outcome and
# notes, then the history (with the timeline) and the stats.  After each
# step the session's rows are checked through `dlrepro session status
# --json` / `dlrepro history --json`.  Then: quitting with a running
# session asks to pause it, and a session left by a crash is offered for
# recovery on the next start.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/tui/tui-lib.sh"

plan 56

DB="$T/fixture.db"
make_db "$DB" || { echo "Bail out! cannot build the fixture database"; exit 1; }

status() { dl --db "$DB" session status --json | jget "$1"; }

start_ui 120 40 --db "$DB"
expect "dashboard starts" "Posts 1-30 of 30"
keys s
expect "s starts a session on the selected post at once" "RUNNING  so:1001"
check_eq "the session is stored as running" "$(status state)" running
expect "the timer runs" "Session 00:00:01" 5
keys Space
expect "space ticks the action under the cursor" "1 tick "
check_eq "the tick is stored" "$(status ticks.len)" 1
keys j Space
expect "a second tick" "2 ticks"
keys u
expect "u undoes the last tick" "1 tick "
check_eq "the undo is stored" "$(status ticks.len)" 1
keys p
expect "p pauses" "PAUSED  so:1001"
check_eq "the pause is stored" "$(status state)" paused
keys p
expect "p resumes" "RUNNING  so:1001"
check_eq "the resume is stored" "$(status state)" running
keys e
expect "e opens the stop dialog" "Stop the session: outcome"
keys 1
expect "reproduced asks for the effort" "Effort of the reproduction"
keys 2
expect "then for the modification" "Modification the reproduction needed"
keys 1
expect "then asks for notes" "write them in \$EDITOR"
keys 2
expect "notes are typed at a prompt" "Notes:"
type_text "works on CPU"
keys Enter
expect "the session is stopped" "stopped: reproduced"
hist=$(dl --db "$DB" history --json)
check_eq "history stores the outcome" "$(printf '%s' "$hist" | jget 0.outcome)" \
	reproduced
check_eq "history stores the notes" "$(printf '%s' "$hist" | jget 0.notes)" \
	"works on CPU"
st=$(dl --db "$DB" session status --json --session 1)
check_eq "the effort is stored" "$(printf '%s' "$st" | jget effort)" medium
check_eq "the modification is stored" \
	"$(printf '%s' "$st" | jget modification)" minor
keys h
expect "h shows the history" "History: 1 session"
keys Enter
expect "Enter shows the session's timeline" "Session #1 on so:1001"
# A stopped session takes no steps: the footer offers only what applies.
expect "the timeline's footer offers scrolling and Esc" \
	"j/k scroll the timeline  Esc back to history"
expect_gone "and not the steps of an open session" "space tick"
keys Space
expect "a step key says the session is stopped" "This past session is stopped"
# The secondary pane follows the primary view: the post, not the timeline.
keys S
expect "S shows the stats" "1 session: 1 reproduced"
expect_gone "the timeline goes with the history" "Session #1 on so:1001"
keys S
expect "S again: the posts" "Posts 1-30 of 30"
expect_gone "still no timeline beside the posts" "Session #1 on so:1001"
keys h Enter
expect "the timeline again" "Session #1 on so:1001"
keys h
expect "h back to the posts" "Posts 1-30 of 30"
expect_gone "h leaves the timeline too" "Session #1 on so:1001"

# Quit with a running session: asked to pause; n keeps it running.
keys Escape j s
expect "a second session starts" "RUNNING  so:1002"
keys q
expect "quitting asks about the running session" "Pause it before quitting?"
keys n
st=$(wait_exit 10)
check_eq "n quits with status 0" "$st" 0
check_eq "the session is still running" "$(status state)" running

# A crash: the dashboard holding the session is killed with SIGKILL after
# its first heartbeat; the next start, five minutes later by the clock,
# offers to keep or cut the time since that heartbeat.
tm kill-server >/dev/null 2>&1
start_ui 120 40 --db "$DB"
expect "restarting shows the running session" "Session on so:1002 is running"
deadline=$(( $(date +%s) + 10 ))
until [ "$("$PYTHON3" -c '
import sqlite3, sys
r = sqlite3.connect(sys.argv[1]).execute(
    "SELECT heartbeat_at FROM sessions WHERE state = ?", ("running",)).fetchone()
print(1 if r and r[0] else 0)' "$DB")" = 1 ] || [ "$(date +%s)" -ge $deadline ]; do
	sleep 0.1
done
shpid=$(tm list-panes -t 0 -F '#{pane_pid}')
dlpid=$(pgrep -P "$shpid" | head -1)
[ -n "$dlpid" ] && kill -9 "$dlpid"
check_eq "the dashboard was killed" "$(wait_exit 10)" 137
tm kill-server >/dev/null 2>&1
later=$(( $(date +%s) + 300 ))
TUI_ENV="export DLREPRO_TEST_NOW=$later"
start_ui 120 40 --db "$DB"
expect "a session left by a crash is offered for recovery" "left running"
keys n
expect "n cuts the lost time" "time since the crash cut"
check_eq "the recovery is stored" \
	"$(dl --db "$DB" session status --json | grep -c '"recover"')" 1
check_eq "a cut session is left paused" "$(status state)" paused
keys p
expect "p resumes it" "RUNNING  so:1002"
keys q
expect "quitting again asks" "Pause it before quitting?"
keys y
st=$(wait_exit 10)
check_eq "y pauses and quits with status 0" "$st" 0
check_eq "y paused the session" "$(status state)" paused

# Stop with notes written in $EDITOR (a stand-in that writes a line).
printf '#!/bin/sh\nprintf "notes from the editor\\n" >"$1"\n' >"$T/editor"
chmod +x "$T/editor"
TUI_ENV="export EDITOR=$T/editor"
start_ui 120 40 --db "$DB"
expect "the paused session is shown" "PAUSED  so:1002"
keys e 2
expect "not reproduced asks for a reason" "Reason"
keys 5
expect "then for notes" "write them in \$EDITOR"
keys 3
expect "the session is stopped with the editor's notes" "stopped: not-reproduced"
hist=$(dl --db "$DB" history --json)
last=$(printf '%s' "$hist" | jget len)
last=$((last - 1))
check_eq "history stores the reason" \
	"$(printf '%s' "$hist" | jget "$last.reason")" environment
check_eq "history stores the notes from \$EDITOR" \
	"$(printf '%s' "$hist" | jget "$last.notes")" "notes from the editor"
keys q
check_eq "quits with status 0" "$(wait_exit 10)" 0
done_testing
