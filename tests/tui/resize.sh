#!/bin/sh
# Screen test: cells no pane owns.  Growing into the side-by-side layout
# (and closing a menu drawn across the panes) must leave the two blank
# columns between the panes blank, and Ctrl-L repaints the same screen.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/tui/tui-lib.sh"

plan 9

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

start_ui 100 30 --db "$DB"
expect "dashboard starts stacked at 100x30" "Posts 1-"
keys j Enter
expect "the second post is open" "Loss is nan after the first epoch"
resize 130 40
expect "grows into side by side" "Post so:1002"
sleep 0.3
check_gap "no old text between the panes after the resize" 130 40
keys C-l
sleep 0.3
check_gap "Ctrl-L leaves the gap blank" 130 40
expect "Ctrl-L redraws the same panes" "Post so:1002"
keys Tab f
expect "a menu drawn across both panes" "Filter"
keys Escape
sleep 0.3
check_gap "closing it leaves no border between the panes" 130 40
keys q
check_eq_exit=$(wait_exit 10)
if [ "$check_eq_exit" = 0 ]; then ok "quits with status 0"; else not_ok "quits with status 0" "$check_eq_exit"; fi
done_testing
