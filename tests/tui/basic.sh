#!/bin/sh
# Screen test: the post list as a user drives it - start, move, search,
# filter, triage, open a post, help, resize down to 40x10 and back, quit.
# Each scenario checks the screen and, where it writes, the database.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/tui/tui-lib.sh"

plan 72

DB="$T/fixture.db"
make_db "$DB" || { echo "Bail out! cannot build the fixture database"; exit 1; }

# Stand-ins for the browser and the pager: they record what they got.
printf '#!/bin/sh\nprintf "%%s" "$*" >"%s/browser.out"\n' "$T" >"$T/browser"
printf '#!/bin/sh\ncat "$1" >"%s/paged"\n' "$T" >"$T/pager"
chmod +x "$T/browser" "$T/pager"
TUI_ENV="export BROWSER=$T/browser PAGER=$T/pager"

start_ui 120 40 --db "$DB"
expect "first screen lists the posts" "Posts 1-30 of 30"
expect "wide characters are drawn" "训练 loss 不下降"
expect "first row is the first post" "so:1001"
expect "status bar shows database, count and hint" "fixture.db | 30 posts"
expect "hint line" "? help  q quit"
# The post pane follows the first row.
expect "the first post is selected and shown" "CUDA out of memory on RTX 3090"

# The post view: type with evidence, recommendations, highlight, copy,
# corrections.
keys Enter
expect "the post shows its type with evidence" "tag 'cuda' marks GPU"
if wait_match 'Type: GPU  confidence'; then
	ok "a type whose badge is its name is not named twice (GPU, not GPU (GPU))"
else
	not_ok "type named once" "$SCREEN"
fi
expect "the recommendation panel" "Recommendations (all types, n="
expect "GPU's thin table falls back visibly, on the same line" \
	"): GPU has too few"
expect_gone "no heading claims GPU's own figures" "Recommendations for GPU"
# the edit actions' percentages stand in one column, the 41-character
# "Import Addition and Dependency Resolution" included
if screen | "$PYTHON3" -c '
import re, sys
cols = set()
for line in sys.stdin:
    m = re.search(r" [DNHRLOCPMV] [A-Z][A-Za-z& ]+? +[0-9]+%$", line.rstrip())
    if m:
        cols.add(len(m.group(0)))
sys.exit(0 if len(cols) == 1 else 1)' && screen | grep -q "Import Addition and Dependency Resolution"; then
	ok "the edit actions' percentages line up"
else
	not_ok "the edit actions' percentages line up" "$(screen)"
fi
if screen | grep -q "Code$(printf '\302\240')Snippet"; then
	ok "a category name never breaks across lines"
else
	not_ok "a category name never breaks across lines" "$(screen)"
fi
# the first question wraps, and its next line hangs under its text
if screen | awk '
	c { ok = substr($0, c, 3) == "   " && substr($0, c + 3, 1) != " "; exit }
	/ 1\. / { c = index($0, " 1. ") + 1 }
	END { exit !ok }'; then
	ok "a wrapped question hangs under its text"
else
	not_ok "a wrapped question hangs under its text" "$(screen)"
fi
keys c
expect "c highlights the first category" "Highlight: Data present"
keys c c c c c
expect "c cycles to a missing category" "Environment missing"
# a link planted under the file's name is replaced, not followed
echo precious >"$T/victim"
ln -s "$T/victim" "$XDG_RUNTIME_DIR/dlrepro-questions-so_1001.txt"
keys y
expect "y saves the follow-up questions" "saved to $XDG_RUNTIME_DIR/dlrepro-questions-so_1001.txt"
if grep -q '^1\. ' "$XDG_RUNTIME_DIR/dlrepro-questions-so_1001.txt" 2>/dev/null; then
	ok "the questions file holds numbered questions"
else
	not_ok "the questions file holds numbered questions"
fi
# what y copies is pasted to the reporter: the questions, no id of ours
if [ "$(head -c 3 "$XDG_RUNTIME_DIR/dlrepro-questions-so_1001.txt" 2>/dev/null)" = "1. " ] &&
   ! grep -q 'so:1001' "$XDG_RUNTIME_DIR/dlrepro-questions-so_1001.txt"; then
	ok "the copied questions start with the first, without the post's id"
else
	not_ok "the copied questions start with the first, without the post's id" \
		"$(head -3 "$XDG_RUNTIME_DIR/dlrepro-questions-so_1001.txt" 2>/dev/null)"
fi
if [ "$(cat "$T/victim")" = precious ] &&
   [ ! -L "$XDG_RUNTIME_DIR/dlrepro-questions-so_1001.txt" ] &&
   [ -z "$(find "$XDG_RUNTIME_DIR" -name '.dlrepro-questions-*')" ]; then
	ok "a planted symlink is replaced, its target untouched"
else
	not_ok "a planted symlink is replaced, its target untouched" \
		"victim: $(cat "$T/victim")"
fi
keys C 1 1	# correct: set the bug type -> Model
expect "a type correction is saved" "so:1001: correction saved"
row=$(dl --db "$DB" list --json)
if [ "$(printf '%s\n' "$row" | json_field so:1001 type)" = model ] &&
   [ "$(printf '%s\n' "$row" | json_field so:1001 type_corrected)" = true ]; then
	ok "the correction is stored and marked"
else
	not_ok "the correction is stored and marked" "$row"
fi
expect "the list marks the corrected type" "MOD*"
keys C 3 1	# correct: mark a category missing -> Data
expect "a category correction is saved" "so:1001: correction saved"
# (the marks column is followed by * as the type badge is).  The message
# above is the same as the first correction's, so it may still be the
# first one's: poll for the mark itself.
if wait_match '^so:1001 +MOD\* +-[-?A-Z]{4}\* '; then
	ok "the list marks the corrected category"
else
	not_ok "the list marks the corrected category" "$SCREEN"
fi
keys C 4	# clear my corrections
expect "corrections cleared" "Type: GPU"
# o and Y hand the link / the questions file to programs, never a shell.
keys o
expect "o opens the link with \$BROWSER" "Opened https://stackoverflow.com/questions/1001/cuda-oom"
n=0	# the browser runs detached: wait for what it writes
while [ ! -s "$T/browser.out" ] && [ $n -lt 100 ]; do sleep 0.05; n=$((n + 1)); done
if [ "$(cat "$T/browser.out" 2>/dev/null)" = "https://stackoverflow.com/questions/1001/cuda-oom" ]; then
	ok "the browser got the link as its one argument"
else
	not_ok "the browser got the link as its one argument" "got: $(cat "$T/browser.out" 2>/dev/null)"
fi
keys Y
n=0
while [ ! -s "$T/paged" ] && [ $n -lt 100 ]; do sleep 0.05; n=$((n + 1)); done
if grep -q '^1\. ' "$T/paged" 2>/dev/null; then
	ok "Y shows the questions in \$PAGER"
else
	not_ok "Y shows the questions in \$PAGER"
fi
expect "the screen comes back after the pager" "Recommendations (all types"
keys Tab
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
# An FTS5 query as list --search takes it, and text that is none
# word by word with its operators: the same posts as the command line.
keys / C-u
type_text "unicorn OR Session"
keys Enter
expect "OR finds either word, as list --search does" "Posts 1-2 of 2"
keys / C-u
type_text "tf.Session OR unicorn"
keys Enter
expect "words with query syntax keep the operator between them" \
	"Posts 1-2 of 2"
keys / C-u
type_text "zzqqxxnomatch"
keys Enter
expect "a search matching nothing says so" "No posts match"
case $SCREEN in
*"0-0 of 0"*) not_ok "and shows no empty range" "$SCREEN" ;;
*) ok "and shows no empty range" ;;
esac

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
# Filters by type and by missing category agree with `dlrepro list`.
dl --db "$DB" analyze --all >/dev/null 2>&1
ngpu=$(dl --db "$DB" list --type gpu --json | grep -c .)
keys f 1 5	# bug type... -> GPU (menu: any, Model, Tensor, Training, GPU)
expect "filter by type shows the GPU posts" "Posts 1-$ngpu of $ngpu "
expect "the type filter is in the status bar" "type=gpu"
keys f 7
nlogs=$(dl --db "$DB" list --missing logs --json | grep -c .)
keys f 2 6	# missing category... -> Logs (any, D, M, H, C, L)
expect "filter by missing category" "Posts 1-$nlogs of $nlogs "
expect "the category filter is in the status bar" "missing=logs"
keys f 7
expect "filters cleared again" "Posts 1-30 of 30"

keys '?'
expect "? opens the help listing every key" "start a session on the selected post"
keys Escape
expect_gone "Esc closes the help" "start a session on the selected post"

keys j j
expect "selection before resizing" "Post so:1003"
resize 80 24
wait_for "Post so:1003"
expect "80x24 stacks the list over the post" "Post so:1003"
if printf '%s\n' "$SCREEN" | grep -q "Posts 1-"; then
	ok "the list is on screen too when stacked"
else
	not_ok "the list is on screen too when stacked"
fi
# 80 columns leave room for whole triage names; 70 use the short ones.
if printf '%s\n' "$SCREEN" | grep -Eq '^so:1003 .* reproduced '; then
	ok "a wide list shows the whole triage name"
else
	not_ok "a wide list shows the whole triage name" "$SCREEN"
fi
keys Escape
resize 70 24
if wait_gone "Post so:1003" && printf '%s\n' "$SCREEN" |
	grep -Eq '^so:1003 .* repro +'; then
	ok "a narrower list shows the short triage name"
else
	not_ok "a narrower list shows the short triage name" "$SCREEN"
fi
resize 80 24
wait_for "Post so:1003"
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

# No browser at all: the link leads the message, so 80 columns show it.
TUI_ENV="export BROWSER=dlrepro-no-such-browser"
start_ui 80 24 --db "$DB"
expect "restarted at 80x24" "Post so:1001"
keys Enter o
if wait_for "cuda-oom  (" && printf '%s\n' "$SCREEN" | grep -q \
	'^https://stackoverflow.com/questions/1001/cuda-oom  (dlrepro-no-such'; then
	ok "a missing browser leaves the whole link on screen"
else
	not_ok "a missing browser leaves the whole link on screen" "$SCREEN"
fi
keys q
wait_exit 10 >/dev/null

# $BROWSER as the convention has it: a ':'-separated list of commands
# (the first found runs), each with its arguments.
rm -f "$T/browser.out"
TUI_ENV="export BROWSER='dlrepro-no-such-browser:$T/browser --new-window'"
start_ui 80 24 --db "$DB"
expect "restarted with a BROWSER list" "Post so:1001"
keys o
n=0
while [ ! -s "$T/browser.out" ] && [ $n -lt 100 ]; do sleep 0.05; n=$((n + 1)); done
if [ "$(cat "$T/browser.out" 2>/dev/null)" = \
	"--new-window https://stackoverflow.com/questions/1001/cuda-oom" ]; then
	ok "BROWSER: the first command found runs, with its arguments"
else
	not_ok "BROWSER: the first command found runs, with its arguments" \
		"$(cat "$T/browser.out" 2>/dev/null)" "$(screen | tail -n 2)"
fi
keys q
wait_exit 10 >/dev/null

done_testing
