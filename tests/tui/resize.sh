#!/bin/sh
# Screen test: cells no pane owns.  Growing into the side-by-side layout
# (and closing a menu drawn across the panes) must leave the two blank
# columns between the panes blank, and Ctrl-L repaints the same screen
# over junk written to the terminal behind the program's back.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/tui/tui-lib.sh"

plan 13

DB="$T/fixture.db"
make_db "$DB" || { echo "Bail out! cannot build the fixture database"; exit 1; }

# gap_text COLS ROWS: what the screen shows in the two columns between
# the side-by-side panes (columns COLS/2-2 and COLS/2-1, counted in
# display cells), body rows only; empty when blank.
gap_text() {
	screen | "$PYTHON3" -c '
import sys, unicodedata
cols, rows = int(sys.argv[1]), int(sys.argv[2])
lw = cols // 2
out = []
for i, line in enumerate(sys.stdin.read().split("\n")[:rows - 2]):
    cells = []
    for ch in line:
        cells.append(ch)
        if unicodedata.east_asian_width(ch) in "WF":
            cells.append("")
    gap = "".join(cells[lw - 2:lw]).strip()
    if gap:
        out.append("row %d: %r in %r" % (i, gap, line))
print("\n".join(out))
' "$1" "$2"
}
check_gap() {
	g=$(gap_text "$2" "$3")
	if [ -z "$g" ]; then ok "$1"; else not_ok "$1" "$g"; fi
}
# wait_gap NAME COLS ROWS: poll (5 s) until the gap is blank.  A gap
# left dirty stays dirty, so the deadline fails it; a clean one passes
# as soon as the frame is drawn.
wait_gap() {
	deadline=$(( $(date +%s) + 5 ))
	while g=$(gap_text "$2" "$3"); [ -n "$g" ]; do
		[ "$(date +%s)" -ge "$deadline" ] && break
		sleep 0.05
	done
	if [ -z "$g" ]; then ok "$1"; else not_ok "$1" "$g"; fi
}
# side_by_side: the list's and the post's titles share the top line,
# which only the side-by-side layout draws.
side_by_side() {
	deadline=$(( $(date +%s) + 10 ))
	while :; do
		SCREEN=$(screen 2>/dev/null)
		printf '%s\n' "$SCREEN" | head -1 | grep -q 'Posts 1-.*Post so:1002' &&
			return 0
		[ "$(date +%s)" -ge "$deadline" ] && return 1
		sleep 0.05
	done
}

start_ui 100 30 --db "$DB"
expect "dashboard starts stacked at 100x30" "Posts 1-"
keys j Enter
expect "the second post is open" "Loss is nan after the first epoch"
resize 130 40
if side_by_side; then
	ok "grows into side by side"
else
	not_ok "grows into side by side" "$SCREEN"
fi
wait_gap "no old text between the panes after the resize" 130 40

# Ctrl-L repaints what the program did not draw: junk written straight
# to the pane's terminal (in the gap and over the list) behind the
# program's back; curses believes those cells are right, so only a full
# repaint removes it.
TTY=$(tm display-message -p -t 0 '#{pane_tty}')
printf '\033[8;64HXX\033[3;3HJUNKJUNK' >"$TTY"
expect "junk lands on the screen behind the program's back" "JUNKJUNK"
if [ -n "$(gap_text 130 40)" ]; then
	ok "the junk dirties the gap"
else
	not_ok "the junk dirties the gap" "$SCREEN"
fi
keys C-l
expect_gone "Ctrl-L repaints over the junk" "JUNKJUNK"
wait_gap "Ctrl-L leaves the gap blank" 130 40
expect "Ctrl-L redraws the same panes" "Post so:1002"
keys Tab f
expect "a menu drawn across both panes" "Filter"
keys Escape
expect_gone "Esc closes it" "Filter"
wait_gap "closing it leaves no border between the panes" 130 40
keys q
check_eq_exit=$(wait_exit 10)
if [ "$check_eq_exit" = 0 ]; then ok "quits with status 0"; else not_ok "quits with status 0" "$check_eq_exit"; fi
done_testing
