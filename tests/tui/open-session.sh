#!/bin/sh
# Screen test: with a session open, the dashboard opens on its post (not
# on the first row), so the work in hand is what the post pane shows; a
# filter that hides that post leaves the first row selected.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/tui/tui-lib.sh"

plan 4

DB="$T/fixture.db"
make_db "$DB" || { echo "Bail out! cannot build the fixture database"; exit 1; }
# a post well down the list
post=$(dl --db "$DB" list --json | sed -n 5p | "$PYTHON3" -c \
	'import json, sys; print(json.load(sys.stdin)["id"])')
dl --db "$DB" session start "$post" >/dev/null

start_ui 120 40 --db "$DB"
expect "the dashboard says the session runs" "Session on $post is running"
expect "and opens on the session's post" "Post $post"
keys q
expect "quitting asks about the running session" "Pause it before quitting?"
keys y
check_eq "the dashboard exits cleanly" "$(wait_exit)" 0
