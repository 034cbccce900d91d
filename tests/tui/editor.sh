#!/bin/sh
# Screen test: time spent writing stop notes in $EDITOR is not a crash.
# The editor runs inside the dashboard's loop, so no heartbeat is written
# meanwhile; the dashboard was alive all along, so when the editor
# returns (whatever its status) it beats at once.  Otherwise an editor
# that fails (vim's :cq), or a stop that fails after it (a locked
# database), would leave a stale heartbeat and the next tick would offer
# the minutes spent writing as lost crash time.  The clock is a file the
# fake editor moves on by five minutes.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/tui/tui-lib.sh"

plan 13

DB="$T/fixture.db"
make_db "$DB" || { echo "Bail out! cannot build the fixture database"; exit 1; }

# wait_heartbeat VALUE [SECONDS]: poll the database for that heartbeat.
wait_heartbeat() {
	n=0
	while [ "$(heartbeat)" != "$1" ] && [ $n -lt $((${2:-5} * 10)) ]; do
		sleep 0.1; n=$((n + 1))
	done
}
setclock() { echo "$1" >"$T/now.tmp" && mv "$T/now.tmp" "$T/now"; }
no_question() {
	case $SCREEN in
	*"left running"*) not_ok "$1" "$SCREEN" ;;
	*) ok "$1" ;;
	esac
}

# The editor: five minutes of writing, then the status it is given.
cat >"$T/editor" <<EOF
#!/bin/sh
now=\$(cat "$T/now")
echo \$((now + 300)) >"$T/now.tmp" && mv "$T/now.tmp" "$T/now"
echo "wrote for five minutes" >"\$1"
exit \$(cat "$T/editor-status")
EOF
chmod +x "$T/editor"

T0=1800000000
setclock $T0
DLREPRO_TEST_NOW=$T0 dl --db "$DB" session start so:1001 >/dev/null
TUI_ENV="export DLREPRO_TEST_NOW=@$T/now VISUAL= EDITOR=$T/editor"
start_ui 100 30 --db "$DB"
expect "the session runs" "RUNNING  so:1001"
wait_heartbeat $T0
check_eq "the open dashboard beats" "$(heartbeat)" $T0

# An editor that fails (:cq): nothing stopped, and no crash either.
echo 1 >"$T/editor-status"
keys e 3 3
expect "the failed editor says so" "notes not taken"
wait_heartbeat $((T0 + 300))
check_eq "the dashboard beats as soon as the editor returns" \
	"$(heartbeat)" $((T0 + 300))
# Proof that ticks ran after the editor: the status bar counts on from
# the moved clock (a tick that asked the crash question would not).
setclock $((T0 + 305))
expect "ticks run after the editor" "running 00:05:05"
no_question "the minutes spent writing are not offered as a crash"

# An editor that works but a stop that fails: the database is held
# locked past the busy timeout (5 s) by another process, so the beat
# after the editor and the stop both fail (13 s covers both).
echo 0 >"$T/editor-status"
hold_lock 13
keys e 3 3
expect "the stop fails and keeps the notes" "stop: notes kept" 20
wait "$lockpid"
setclock $((T0 + 610))
expect "ticks run after the failed stop" "running 00:10:10"
no_question "a failed stop after the editor is not taken for a crash"
wait_heartbeat $((T0 + 610)) 25
check_eq "the heartbeat resumes once the lock is gone" \
	"$(heartbeat)" $((T0 + 610))
keys e 3
expect "the notes from the editor are kept for the retry" \
	"as typed before: wrote for five minutes"
keys 1
expect "the retry stops the session" "stopped: abandoned"
keys q
check_eq "quits" "$(wait_exit 10)" 0
done_testing
