#!/bin/sh
# Screen test: the dashboard in hostile environments.  A terminal that
# cannot move its cursor (TERM=dumb) is refused in one line rather than
# drawn on as a pile of status bars.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/tui/tui-lib.sh"

DB="$T/fixture.db"
make_db "$DB" || { echo "Bail out! cannot build the fixture database"; exit 1; }

TUI_ENV="export TERM=dumb"
start_ui 80 24 --db "$DB"
check_eq "TERM=dumb: the dashboard exits 1" "$(wait_exit)" 1
expect "TERM=dumb: says why, once" "cannot move its cursor (TERM=dumb)"
TUI_ENV=

plan "$TAP_N"
done_testing
