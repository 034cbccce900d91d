#!/bin/sh
# Screen test: the post list as a user drives it - start, move, search,
# filter, triage, open a post, help, resize down to 40x10 and back, quit.
# Each scenario checks the screen and, where it writes, the database.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/tui/tui-lib.sh"

plan 30

DB="$T/fixture.db"
make_db "$DB" || { echo "Bail out! cannot build the fixture database"; exit 1; }

start_ui 120 40 --db "$DB"
expect "first screen lists the posts" "Posts 1-30 of 30"
expect "first row is the first post" "so:1001"
expect "status bar shows database, count and hint" "fixture.db | 30 posts"
expect "hint line" "? help  q quit"
# The post pane follows the first row.
expect "the first post is selected and shown" "CUDA out of memory on RTX 3090"

keys j
expect "j moves the selection to the second post" "Post so:1002"
keys G
expect "G goes to the last post" "Post so:1030"
keys g
expect "g goes back to the first" "Post so:1001"
keys C-d
expect "Ctrl-d pages down half a screen" "Post so:1019"
keys C-u
expect "Ctrl-u pages back up" "Post so:1001"

# Search: '/' opens a prompt, Enter runs it, the list narrows to matches.
keys /
expect "/ opens the search prompt" "Search:"
type_text "unicorn"
keys Enter
expect "search narrows the list" "Posts 1-1 of 1"
expect "the match is selected" "Conv2D unicorn layer shape mismatch"
expect "the active search is in the status bar" 'search "unicorn"'
keys n
expect "n moves to the next match" "Match 1 of 1"

# Filter by triage state after setting one: t then pick "reproduced".
keys f
expect "f opens the filter menu" "Filter posts"
keys 7	# clear filters and search
expect "clearing filters shows every post again" "Posts 1-30 of 30"
keys j j t
expect "t opens the triage menu" "Triage state"
keys 4	# reproduced
expect "triage is confirmed" "so:1003: triage set to reproduced"
state=$(dl --db "$DB" list --json | json_field so:1003 triage)
if [ "$state" = reproduced ]; then ok "triage is stored"; else
	not_ok "triage is stored" "got '$state'"; fi
keys f 3 5	# triage state... -> reproduced (menu: any, new, needs, in, repro)
expect "filter by triage state" "Posts 1-1 of 1"
keys f 7
expect "filters cleared" "Posts 1-30 of 30"

keys '?'
expect "? opens the help listing every key" "start a session on the selected post"
keys Escape
expect_gone "Esc closes the help" "start a session on the selected post"

keys j j
expect "selection before resizing" "Post so:1003"
resize 40 10
expect "40x10 shows a single pane" "Posts 1-6 of 30"
keys Tab
expect "Tab switches the single pane to the post" "Post so:1003"
keys Tab
resize 30 8
expect "below 40x10 a message instead of a crash" "Terminal too small"
resize 120 40
expect "back to full size, selection kept" "Post so:1003"

keys q
st=$(wait_exit 10)
if [ "$st" = 0 ]; then ok "q quits with status 0"; else
	not_ok "q quits with status 0" "status: $st"; fi

done_testing
