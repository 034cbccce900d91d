#!/bin/sh
# Screen test: the stop dialog.  A reason is asked for not-reproduced only
# (abandoned goes straight to the notes), and a stop that fails (here: the
# database held locked by another process) keeps the session running and
# the typed notes, which the next `e` offers again, as they are or in the
# prompt to edit.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/tui/tui-lib.sh"

plan 19

DB="$T/fixture.db"
make_db "$DB" || { echo "Bail out! cannot build the fixture database"; exit 1; }

status() { dl --db "$DB" session status --json | jget "$1"; }

start_ui 100 30 --db "$DB"
expect "dashboard starts" "30 posts"
keys s
expect "s starts a session" "RUNNING  so:1001"
keys e 3
expect "abandoned goes straight to the notes" "write them in \$EDITOR"
case $SCREEN in
*Reason*) not_ok "abandoned asks no reason" "$SCREEN" ;;
*) ok "abandoned asks no reason" ;;
esac
keys 2
expect "notes are typed at a prompt" "Notes:"
type_text "gave up on it"
keys Enter
expect "the abandoned session is stopped" "stopped: abandoned"
hist=$(dl --db "$DB" history --json)
check_eq "history stores abandoned" "$(printf '%s' "$hist" | jget 0.outcome)" \
	abandoned
check_eq "history stores its notes" "$(printf '%s' "$hist" | jget 0.notes)" \
	"gave up on it"

# A stop that fails: another process holds the write lock past the busy
# timeout (5 s; 13 s held, so even a heartbeat stuck in front of the stop
# cannot outlast it).
keys j s
expect "a second session starts" "RUNNING  so:1002"
keys e 2 5
expect "not-reproduced asks a reason, then the notes" "write them in \$EDITOR"
keys 2
expect "the notes prompt" "Notes:"
type_text "needs CUDA 12"
hold_lock 13
keys Enter
expect "the failed stop says so in one line and keeps the notes" \
	"stop: notes kept, e tries again: " 15
wait "$lockpid"
check_eq "the session is still running" "$(status state)" running
keys e 2 5
expect "the next stop offers the notes typed before" \
	"as typed before: needs CUDA 12"
keys 3
expect "typing starts from them" "Notes: needs CUDA 12"
type_text " and 11.8"
keys Enter
expect "the retry stops the session" "stopped: not-reproduced"
hist=$(dl --db "$DB" history --json)
row=$(printf '%s' "$hist" | "$PYTHON3" -c '
import json, sys
for o in json.load(sys.stdin):
    if o.get("post") == "so:1002":
        print(json.dumps(o))
')
check_eq "the retry stored the notes typed before the failure" \
	"$(printf '%s' "$row" | jget notes)" "needs CUDA 12 and 11.8"
check_eq "and the reason" "$(printf '%s' "$row" | jget reason)" environment
keys q
check_eq "quits with status 0" "$(wait_exit 10)" 0
done_testing
