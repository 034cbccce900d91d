#!/bin/sh
# Screen test: a session left running by a dashboard that died.  The crash
# is staged in the database (a heartbeat long past, the clock a file named
# by DLREPRO_TEST_NOW), so no test waits a minute.  While the question is
# open, and after Esc, the dashboard must write no heartbeat (a fresh one
# would hide the crash); n cuts the session at its last heartbeat, y keeps
# the time, Esc leaves it to be answered later (a session key or the next
# start asks again), and after an answer the heartbeat resumes.  A laptop
# waking from sleep with the dashboard open is asked the same question.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/tui/tui-lib.sh"

plan 31

DB="$T/fixture.db"
make_db "$DB" || { echo "Bail out! cannot build the fixture database"; exit 1; }

status() { DLREPRO_TEST_NOW=$1 dl --db "$DB" session status --json | jget "$2"; }
set_heartbeat() {
	"$PYTHON3" -c '
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.execute("UPDATE sessions SET heartbeat_at = ? WHERE state = ?",
    (float(sys.argv[2]), "running"))
c.commit()' "$DB" "$1"
}
# secs X: X rounded to whole seconds
secs() { printf '%.0f' "$1"; }

# setclock T: the dashboard's clock (a file it reads at each use),
# replaced whole so that it never reads a half-written file.
setclock() { echo "$1" >"$T/now.tmp" && mv "$T/now.tmp" "$T/now"; }
# ticked NAME T HMS: move the clock to T and wait for the status bar to
# show the session's time HMS: proof that a tick ran since, so that a
# check that something did NOT happen tests something.
ticked() {
	setclock "$2"
	expect "$1" "running $3"
}

# A session started at T0 whose dashboard last beat at T0+60; the
# dashboard comes back at T0+600 (nine minutes lost).
T0=1800000000
DLREPRO_TEST_NOW=$T0 dl --db "$DB" session start so:1001 >/dev/null
set_heartbeat $((T0 + 60))
setclock $((T0 + 600))
TUI_ENV="export DLREPRO_TEST_NOW=@$T/now"
start_ui 100 30 --db "$DB"
expect "the crash is offered for recovery" "left running 00:09:00 ago"
expect "the question fits 100 columns" "n cuts it, Esc later"
ticked "ticks run while it is asked" $((T0 + 601)) 00:10:01
check_eq "no heartbeat while the question is open" "$(heartbeat)" $((T0 + 60))
keys Escape
expect "Esc leaves it for later" "Recovery left for later"
ticked "ticks run after Esc" $((T0 + 602)) 00:10:02
check_eq "no heartbeat after Esc either" "$(heartbeat)" $((T0 + 60))
keys Space
expect "a session key asks the question again" "left running 00:09:02 ago"
keys Escape
check_eq "the key did nothing to the session" "$(status $((T0 + 600)) ticks)" "[]"
keys q
check_eq "q quits at once (nothing to pause)" "$(wait_exit 10)" 0
check_eq "the crash is still there to answer" "$(heartbeat)" $((T0 + 60))

setclock $((T0 + 600))
start_ui 100 30 --db "$DB"
expect "the next start asks again" "left running 00:09:00 ago"
ticked "ticks run before the answer" $((T0 + 601)) 00:10:01
keys n
expect "n cuts the lost time" "time since the crash cut"
check_eq "a cut session is left paused" "$(status $((T0 + 600)) state)" paused
check_eq "cut at the last heartbeat" \
	"$(secs "$(status $((T0 + 600)) active_seconds)")" 60
keys q
check_eq "quits" "$(wait_exit 10)" 0

# The other answer: y keeps the time, and the heartbeat starts again.
DLREPRO_TEST_NOW=$((T0 + 700)) dl --db "$DB" session stop --outcome abandoned >/dev/null
T1=$((T0 + 1000))
DLREPRO_TEST_NOW=$T1 dl --db "$DB" session start so:1002 >/dev/null
set_heartbeat $((T1 + 30))
setclock $((T1 + 300))
start_ui 100 30 --db "$DB"
expect "a second crash is offered" "left running 00:04:30 ago"
ticked "ticks run before the answer" $((T1 + 301)) 00:05:01
keys y
expect "y keeps the lost time" "recovered: time kept"
check_eq "the kept session runs on with all its time" \
	"$(secs "$(status $((T1 + 301)) active_seconds)")" 301
n=0
while [ "$(heartbeat)" != $((T1 + 301)) ] && [ $n -lt 60 ]; do
	sleep 0.1; n=$((n + 1))
done
check_eq "after the answer the heartbeat resumes" "$(heartbeat)" $((T1 + 301))
keys q y
check_eq "quits" "$(wait_exit 10)" 0

# A laptop that sleeps with the dashboard open: the session clock jumps
# (it counts sleep), the loop did not run, no heartbeat was written.
DLREPRO_TEST_NOW=$((T1 + 400)) dl --db "$DB" session stop --outcome abandoned >/dev/null
T2=$((T0 + 2000))
setclock $T2
DLREPRO_TEST_NOW=$T2 dl --db "$DB" session start so:1003 >/dev/null
start_ui 100 30 --db "$DB"
expect "the session runs" "RUNNING  so:1003"
n=0
while [ "$(heartbeat)" != $T2 ] && [ $n -lt 60 ]; do
	sleep 0.1; n=$((n + 1))
done
check_eq "the open dashboard beats" "$(heartbeat)" $T2
setclock $((T2 + 1800))
expect "waking from sleep asks as after a crash" "left running 00:30:00 ago"
ticked "ticks run while it is asked" $((T2 + 1801)) 00:30:01
check_eq "no heartbeat hides the sleep while asked" "$(heartbeat)" $T2
keys n
expect "n cuts the sleep" "time since the crash cut"
check_eq "the slept time is not counted" \
	"$(secs "$(status $((T2 + 1800)) active_seconds)")" 0
keys q
check_eq "quits" "$(wait_exit 10)" 0
done_testing
