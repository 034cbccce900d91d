#!/bin/sh
# Screen test: fetching from inside the dashboard against the loopback
# mock API.  A fetch by id stores the post and the list grows; a server
# that never answers leaves the keys working and can be cancelled; an
# HTTP error lands in the message line, not on a broken screen.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/tui/tui-lib.sh"

plan 12

DB="$T/fixture.db"
make_db "$DB" || { echo "Bail out! cannot build the fixture database"; exit 1; }

start_mock
export DLREPRO_SE_API="http://127.0.0.1:$PORT/2.3"
export DLREPRO_GITHUB_API="http://127.0.0.1:$PORT/gh"
scenario() {
	"$PYTHON3" -c 'import sys, urllib.request
urllib.request.urlopen(sys.argv[1]).read()' \
		"http://127.0.0.1:$PORT/_scenario?se=$1"
}

start_ui 120 40 --db "$DB"
expect "dashboard starts" "Posts 1-30 of 30"
keys F
expect "F opens the fetch menu" "Fetch posts"
keys 1
expect "fetch by id asks for ids" "Fetch ids or URLs:"
type_text "so:424242"
keys Enter
expect "the fetched post is stored and listed" "Posts 1-31 of 31"
if dl --db "$DB" list --json | grep -q '"so:424242"'; then
	ok "the post is in the database"
else
	not_ok "the post is in the database"
fi

# Posts not found are named, not only counted: the warnings that came
# one by one are gone from the message line by the end.
keys F 1
type_text "so:2 gh:pytorch/pytorch#2 so:424243"
keys Enter
expect "the summary names the posts not found" \
	"1 stored, 0 already fresh, 2 not found (so:2, gh:pytorch/pytorch#2)"

# A server that never answers: the dashboard stays responsive.
scenario silent
keys F 1
type_text "so:777"
keys Enter
expect "progress is shown in the status bar" "fetch:"
keys j
expect "keys keep working while the fetch runs" "Post so:1002"
keys F
expect "F during a fetch offers to cancel" "Cancel it?"
keys y
expect "the fetch is cancelled" "Fetch cancelled"

# An HTTP error lands in the message line.
scenario error500
keys F 1
type_text "so:778"
keys Enter
expect "an API error is reported in the message line" "fetch: GET" 60
# The quota learnt before is still known: the error does not hide it.
case $(screen | tail -n 1) in
*"quota 290/300"*) ok "the status bar keeps the quota after an error" ;;
*) not_ok "the status bar keeps the quota after an error" "$(screen | tail -n 1)" ;;
esac
done_testing
