#!/bin/sh
# Screen test: scrolling stops at the last line and columns never make
# two posts look alike.  At 100 columns the history shows whole post ids
# (the title gives way); the help wraps long lines; in the help overlay
# G goes to the last page and j stops there; in Stats G shows the last
# page, not an empty pane.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/tui/tui-lib.sh"

plan 14

DB="$T/demo.db"
dl --db "$DB" import "$DLREPRO_DATADIR/demo/posts.json" >/dev/null 2>&1 ||
	{ echo "Bail out! cannot import the demo posts"; exit 1; }
for id in so:9000000001 so:9000000002; do
	dl --db "$DB" session start "$id" >/dev/null &&
		dl --db "$DB" session stop --outcome reproduced >/dev/null ||
		{ echo "Bail out! cannot record a session on $id"; exit 1; }
done

check() {
	if "$@"; then ok "$T_NAME"; else not_ok "$T_NAME" "$(screen)"; fi
}

# last_above_border TEXT: the line holding TEXT is the last one inside
# the help box (the next line is its bottom border).
last_above_border() {
	screen | "$PYTHON3" -c '
import sys
lines = sys.stdin.read().split("\n")
for i, l in enumerate(lines):
    if sys.argv[1] in l:
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        sys.exit(0 if ("\u2514" in nxt or "+-" in nxt) else 1)
sys.exit(1)
' "$1"
}

# hangs_under FIRST REST: the line holding REST follows the one holding
# FIRST and starts in the same column.
hangs_under() {
	screen | "$PYTHON3" -c '
import sys
lines = sys.stdin.read().split("\n")
for i, l in enumerate(lines[:-1]):
    if sys.argv[1] in l:
        sys.exit(0 if lines[i + 1].find(sys.argv[2]) == l.find(sys.argv[1])
                 else 1)
sys.exit(1)
' "$1" "$2"
}
# wait_last_above_border TEXT: poll (5 s) for last_above_border.
wait_last_above_border() {
	deadline=$(( $(date +%s) + 5 ))
	until last_above_border "$1"; do
		[ "$(date +%s)" -ge "$deadline" ] && return 1
		sleep 0.05
	done
}
# wait_stable: poll until two captures 0.2 s apart agree ($SCREEN).
wait_stable() {
	deadline=$(( $(date +%s) + 5 ))
	SCREEN=$(screen)
	while :; do
		sleep 0.2
		s2=$(screen)
		[ "$s2" = "$SCREEN" ] && return 0
		SCREEN=$s2
		[ "$(date +%s)" -ge "$deadline" ] && return 1
	done
}
# wait_screen TEXT: poll (5 s) until the screen is exactly TEXT.
wait_screen() {
	deadline=$(( $(date +%s) + 5 ))
	until [ "$(screen)" = "$1" ]; do
		[ "$(date +%s)" -ge "$deadline" ] && return 1
		sleep 0.05
	done
}

start_ui 100 30 --db "$DB"
expect "dashboard starts" "16 posts"
keys h
expect "history shows the sessions" "History: 2 sessions"
# ids in the history rows (the post pane below shows one id too)
hist_ids() {
	screen | "$PYTHON3" -c '
import re, sys
ids = set()
for l in sys.stdin:
    if "  reproduced  " in l:
        ids.update(re.findall(r"so:[0-9]+", l))
print(" ".join(sorted(ids)))'
}
T_NAME="history rows show whole ids, so the two rows differ"
check_ids() { [ "$(hist_ids)" = "so:9000000001 so:9000000002" ]; }
check check_ids

# The help wraps a line too long for its box (the f line at 100
# columns) and hangs the rest under the text, cutting nothing.
keys Escape '?'
expect "the help wraps a long line instead of cutting it" \
	"outcome, type, sort)"
T_NAME="the rest hangs under the text"
check hangs_under "filter: type" "outcome, type, sort)"
keys G
expect "G in the help shows its last line" "quit (asks to pause a running session)"
T_NAME="that line sits right above the bottom border"
check last_above_border "quit (asks to pause a running session)"
# Keys are taken in order, so what one k does after three j proves
# where the j left the help: had they scrolled past the end, the last
# line would still be on screen after one k.
keys j j j k
expect_gone "j past the end scrolls no further: one k takes the last line off" \
	"quit (asks to pause a running session)"
keys j
T_NAME="j brings it back right above the border"
check wait_last_above_border "quit (asks to pause a running session)"

keys Escape S
expect "S shows the stats" "Reproducibility rate by type"
keys G
expect "G in Stats shows the last page" "Mean time to reproduce"
wait_stable
LAST_PAGE=$SCREEN
# The help opens after the j are taken, and closing it redraws Stats.
keys j j j '?'
expect "the help opens after the j" "Help: Esc or ? closes"
keys Escape
expect_gone "and closes" "Help: Esc or ? closes"
T_NAME="j past the end of Stats keeps that page"
check wait_screen "$LAST_PAGE"
done_testing
