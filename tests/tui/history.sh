#!/bin/sh
# Screen test: ids tell posts apart at the default 120x40 size, and the
# history keeps a running session's row live.  Two sessions on posts
# whose ids differ only in their first digits (so:8000000007 and
# so:9000000007) must not look alike in the History pane; two GitHub
# issues keep the number that tells them apart in the post list; and the
# row of the running session counts on with the status bar.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/tui/tui-lib.sh"

plan 18

DB="$T/demo.db"
dl --db "$DB" import "$DLREPRO_DATADIR/demo/posts.json" >/dev/null 2>&1 ||
	{ echo "Bail out! cannot import the demo posts"; exit 1; }
echo '{"question_id":8000000007,"title":"Other"}' >"$T/other.json"
dl --db "$DB" import "$T/other.json" >/dev/null 2>&1 ||
	{ echo "Bail out! cannot import so:8000000007"; exit 1; }

# Two GitHub issues through the real fetch, from the loopback mock.
start_mock
DLREPRO_GITHUB_API="http://127.0.0.1:$(cat "$T/port")/gh" \
	dl --db "$DB" fetch --github pytorch/pytorch#1 keras-team/keras#7 \
	>/dev/null 2>&1 ||
	{ echo "Bail out! cannot fetch the GitHub issues"; exit 1; }
kill $MOCK_PID 2>/dev/null

# The clock is a file, so the test moves it under the running dashboard.
T0=1800000000
setclock() { echo "$1" >"$T/now.tmp" && mv "$T/now.tmp" "$T/now"; }
setclock $T0
export DLREPRO_TEST_NOW="@$T/now"
for id in 8000000007 9000000007; do
	dl --db "$DB" session start $id >/dev/null &&
		dl --db "$DB" session stop --outcome reproduced >/dev/null ||
		{ echo "Bail out! cannot record a session on $id"; exit 1; }
done


# rows_matching REGEX [COLS]: the lines of the screen (their first COLS
# columns) that match, one a line.
rows_matching() {
	printf '%s\n' "$SCREEN" | "$PYTHON3" -c '
import re, sys
for l in sys.stdin:
    l = l.rstrip("\n")[:int(sys.argv[2])]
    if re.search(sys.argv[1], l):
        print(l.rstrip())' "$1" "${2:-1000}"
}
# ids_in REGEX [COLS]: the post ids (so:N, gh:O/R#N) in the first COLS
# columns (the left pane) of the lines matching REGEX there.
ids_in() {
	printf '%s\n' "$SCREEN" | "$PYTHON3" -c '
import re, sys
cols = int(sys.argv[2])
ids = []
for l in sys.stdin:
    l = l.rstrip("\n")[:cols]
    if re.search(sys.argv[1], l):
        ids += re.findall(r"(?:so:[0-9]+|gh:[\w.-]+/[\w.-]+#[0-9]+)", l)
print(" ".join(sorted(set(ids))))' "$1" "${2:-1000}"
}
# wait_row REGEX [SECONDS]: poll until a line matches REGEX.
wait_row() {
	deadline=$(( $(date +%s) + ${2:-10} ))
	while :; do
		SCREEN=$(screen 2>/dev/null)
		[ -n "$(rows_matching "$1")" ] && return 0
		[ "$(date +%s)" -ge "$deadline" ] && return 1
		sleep 0.05
	done
}
expect_row() {
	if wait_row "$2" "${3:-10}"; then
		ok "$1"
	else
		not_ok "$1" "waited for a line matching: $2" "screen was:" \
			"$(printf '%s\n' "$SCREEN" | sed 's/^/  /')"
	fi
}

start_ui 120 40 --db "$DB"
expect "dashboard starts side by side" "19 posts"
# The list rows (left pane, before the post pane's columns).
check_eq "the post list shows both GitHub ids whole" \
	"$(ids_in '^gh:' 60)" "gh:keras-team/keras#7 gh:pytorch/pytorch#1"
# One 40-column pane: too narrow for the ids, cut in the middle so the
# numbers stay.
resize 40 30
expect_row "a narrow list keeps the issue numbers" "^gh:[^ ]*…#7 "
expect_row "of both issues" "^gh:[^ ]*…#1 "
resize 120 40
expect_row "the list is side by side again" '^gh:pytorch/pytorch#1 .{30}'

keys h
expect "history shows the sessions" "History: 2 sessions"
HROW='^ *[0-9]+ +([0-9]{4}-)?[0-9]{2}-[0-9]{2} [0-9:]{5} +'
check_eq "history rows show whole ids at 120x40, so they differ" \
	"$(ids_in "${HROW}reproduced" 60)" "so:8000000007 so:9000000007"
case $(rows_matching "${HROW}reproduced" 60) in
*Other*) ok "the title still fits beside them" ;;
*) not_ok "the title still fits beside them" "$SCREEN" ;;
esac

# Narrower: stacked at 80 columns, then one pane at 60; the id stays
# whole, other columns give way.
resize 80 30
expect_row "80 columns: still whole ids" \
	"${HROW}reproduced .*so:8000000007"
check_eq "80 columns: both rows differ" \
	"$(ids_in "${HROW}reproduced")" "so:8000000007 so:9000000007"
resize 50 20
# (the single pane ends right after the id: no post pane beside it)
wait_row 'reproduced +[0-9:]{8} +so:[0-9]+ *$'
check_eq "50 columns: the ids outlive other columns" \
	"$(ids_in "reproduced")" "so:8000000007 so:9000000007"
resize 120 40
expect_row "back at 120 columns" "${HROW}reproduced .*so:9000000007"

# A running session: its row counts on with the status bar, without
# a key pressed.
keys Escape
expect "back to the posts" "Posts 1-"
keys s
expect "s starts a session" "RUNNING"
keys h
expect_row "the running session is listed" "${HROW}running +00:00:00 "
# (steps under a minute: a bigger jump would be taken for a sleep)
setclock $((T0 + 30))
expect "the status bar counts on" "running 00:00:30"
expect_row "so does the running session's history row" \
	"${HROW}running +00:00:30 "
setclock $((T0 + 55))
expect_row "and on, at each tick" "${HROW}running +00:00:55 "
keys q y
wait_exit 10 >/dev/null
done_testing
