#!/bin/sh
# report.sh - end-to-end tests of `import --report`: pasted bug reports
# stored as manual:N, their ids, titles and tags, the same report not
# stored twice, the analysis of a report titled by its first line, and
# bad input refused with nothing stored.
. "${TOP_SRCDIR:-.}/tests/lib.sh"
tmpdir
DB="$T/t.db"
plan 37

# count: posts in the store
count() { dl --db "$DB" list --json | wc -l; }
# field ID KEY: a field of one post in `list --json`
field() {
	dl --db "$DB" list --json | "$PYTHON3" -c '
import json, sys
for line in sys.stdin:
    o = json.loads(line)
    if o["id"] == sys.argv[1]:
        v = o[sys.argv[2]]
        print(v if isinstance(v, str) else json.dumps(v))' "$1" "$2"
}

cat >"$T/nan.md" <<'EOF'
# Loss becomes NaN after a few batches

I train an LSTM in PyTorch with `lr=0.5` and `batch_size=32`. After a few
batches the loss is `nan`:

```
epoch 1 batch 3 loss: nan
```
EOF
# A plain-text report without a title, as the paper's user-study ones.
cat >"$T/plain.txt" <<'EOF'
I have constructed an ANN in keras which has 1 input layer (3 inputs), one output layer (1 output) and two hidden layers with 12 and 3 nodes respectively. The dataset has 4 columns: 3 columns with values in the range [60, 70] and the target variable is binary (0/1 output). So after 150 epochs I get: loss: 0.6932 - acc: 0.5000 - val_loss: 0.6970 - val_acc: 0.1429. How could I modify my NN to achieve a higher accuracy?
EOF

run dl --db "$DB" import --report "$T/nan.md"
A=$out
case $A in manual:[1-9]*) ;; *) A=none ;; esac
[ $rc -eq 0 ] && [ "$err" = "dlrepro: $T/nan.md: stored as $A
dlrepro: analysed 1 post" ] &&
	ok "a report is stored as manual:N, its id on stdout" ||
	not_ok "first report" "$rc [$out] [$err]"
check_eq() { [ "$2" = "$3" ] && ok "$1" || not_ok "$1" "want '$3', got '$2'"; }
check_eq "titled by its first-line heading" "$(field $A title)" \
	"Loss becomes NaN after a few batches"
check_eq "and analysed" "$(field $A type)" "training"

# The id is made from the text: the same on another machine.
run dl --db "$T/other.db" import --quiet --no-analyze --report "$T/nan.md"
check_eq "the same report has the same id in another database" "$out" "$A"

run dl --db "$DB" import --quiet --report --tags pytorch,lstm "$T/plain.txt"
B=$out
[ $rc -eq 0 ] && [ "$B" != "$A" ] && [ -z "$err" ] &&
	case $B in manual:[1-9]*) true ;; *) false ;; esac &&
	ok "another report gets another id; --quiet keeps stderr empty" ||
	not_ok "second report" "$rc [$out] [$err]"
title=$(field $B title)
case $title in
"I have constructed an ANN in keras which has 1 input layer (3 inputs), one output layer (1 output)…")
	ok "without a heading, titled by its first line, cut on a word" ;;
*) not_ok "default title" "$title" ;;
esac
check_eq "tagged by --tags" "$(field $B tags)" '["pytorch", "lstm"]'
# The title repeats the first line: not counted twice, so the stored
# verdict is the one analyze --file gives the untitled report.
want=$(dl analyze --json --tags pytorch,lstm --file "$T/plain.txt" |
	"$PYTHON3" -c 'import json,sys; print(json.load(sys.stdin)["type"])')
check_eq "a first-line title is not counted twice by the analysis" \
	"$(field $B type)" "$want"

run dl --db "$DB" import --report "$T/nan.md"
[ $rc -eq 0 ] && [ "$out" = "$A" ] &&
	echo "$err" | grep -q "the same report is $A (updated)" &&
	ok "the same report again keeps its id" ||
	not_ok "same report" "$rc [$out] [$err]"
check_eq "and is not stored twice" "$(count)" 2
run dl --db "$DB" import --report --title "NaN in LSTM training" "$T/nan.md"
check_eq "--title renames it in place" "$(field $A title)" \
	"NaN in LSTM training"
# Added again without --title or --tags (as the dashboard's a does): the
# title and tags given before stay.
dl --db "$DB" import --quiet --no-analyze --report "$T/nan.md" >/dev/null
dl --db "$DB" import --quiet --no-analyze --report "$T/plain.txt" >/dev/null
check_eq "a title given before is not replaced by the heading" \
	"$(field $A title)" "NaN in LSTM training"
check_eq "tags given before stay" "$(field $B tags)" '["pytorch", "lstm"]'

# The same report pasted without its final newline (the clipboard, the
# dashboard's a) or with blank lines after it is the same report.
NL="$T/nl.db"
dl --db "$NL" import --quiet --no-analyze --report "$T/nan.md" >/dev/null
run sh -c "printf '%s' \"\$(cat '$T/nan.md')\" |
	'$DLREPRO_BIN' --db '$NL' import --no-analyze --report -"
[ $rc -eq 0 ] && [ "$out" = "$A" ] &&
	echo "$err" | grep -q "the same report is $A" &&
	ok "a report without its final newline keeps its id" ||
	not_ok "no final newline" "$rc [$out] [$err] want $A"
run sh -c "{ cat '$T/nan.md'; printf '\n \n\n'; } |
	'$DLREPRO_BIN' --db '$NL' import --no-analyze --report -"
[ $rc -eq 0 ] && [ "$out" = "$A" ] &&
	[ "$(dl --db "$NL" list --json | wc -l)" -eq 1 ] &&
	ok "nor with blank lines after it" ||
	not_ok "blank lines after" "$rc [$out] [$err] want $A"

run sh -c "printf 'Model output is all zeros after model.eval()\n' |
	'$DLREPRO_BIN' --db '$DB' import --report -"
[ $rc -eq 0 ] && echo "$err" | grep -q "standard input: stored as $out" &&
	ok "- reads a report from standard input" ||
	not_ok "stdin" "$rc [$out] [$err]"

printf '<h1>ignored heading</h1><p>The <code>Conv2D</code> layer fails.</p>' \
	>"$T/page.html"
run dl --db "$DB" import --report "$T/page.html"
H=$out
[ $rc -eq 0 ] && [ "$(field $H title)" = "ignored heading" ] &&
	ok "an .html report is read as HTML (titled by its first line)" ||
	not_ok "html report" "$rc [$out] [$(field $H title)]"

# Sessions, show and delete take the new ids like any other.
run dl --db "$DB" session start $B
[ $rc -eq 0 ] && ok "a session starts on a report" || not_ok "session" "$err"
run dl --db "$DB" session stop --outcome abandoned
run dl --db "$DB" history
printf '%s\n' "$out" | "$PYTHON3" -c '
import sys
head, row = sys.stdin.read().splitlines()[:2]
# the TYPE and OUTCOME columns start under their headings
t = head.index("TYPE")
assert row[t - 1] == " " and row[t:].startswith(sys.argv[1]), (head, row)
o = head.index("OUTCOME")
assert row[o:].startswith("abandoned"), (head, row)' "$(field $B type)" &&
	ok "history keeps its columns with a report's long id" ||
	not_ok "history columns" "$out"
run dl --db "$DB" show $A
echo "$out" | grep -q "lr=0.5" && ok "show prints a report" ||
	not_ok "show" "$out"
run dl --db "$DB" delete $H
[ $rc -eq 0 ] && [ "$(count)" -eq 3 ] && ok "delete removes a report" ||
	not_ok "delete" "$rc $err"

# A report pasted on standard input is read before the store is written:
# a user still pasting does not lock out other writers (a dashboard's
# heartbeat) until they fail.
mkfifo "$T/paste"
"$DLREPRO_BIN" --db "$DB" import --quiet --no-analyze --report - \
	<"$T/paste" >"$T/paste.out" 2>&1 &
pastepid=$!
exec 7>"$T/paste"
# wait until it blocks reading standard input (state S)
n=0
while [ "$(cut -d' ' -f3 /proc/$pastepid/stat 2>/dev/null)" != S ] &&
	[ $n -lt 100 ]; do sleep 0.05; n=$((n + 1)); done
sleep 0.2
printf 'Another writer while the paste goes on\n' >"$T/meanwhile.md"
run dl --db "$DB" import --quiet --no-analyze --report "$T/meanwhile.md"
printf 'Pasted slowly: the loss is nan\n' >&7
exec 7>&-
wait $pastepid
pasterc=$?
[ $rc -eq 0 ] && [ $pasterc -eq 0 ] && [ "$(count)" -eq 5 ] &&
	ok "another writer is not locked out while standard input is read" ||
	not_ok "stdin lock" "$rc [$err] $pasterc [$(cat "$T/paste.out")]"
dl --db "$DB" delete "$out" "$(cat "$T/paste.out")" >/dev/null 2>&1

# Bad input: one line, right status, nothing stored.
unchanged() {
	[ "$(count)" -eq 3 ] && [ "$(field $A title)" = "NaN in LSTM training" ]
}
printf '   \n\n' >"$T/blank.md"
run dl --db "$DB" import --report --tags x "$T/nan.md" "$T/blank.md"
[ $rc -eq 1 ] && [ -z "$out" ] &&
	[ "$err" = "dlrepro: import $T/blank.md: the report is empty" ] &&
	[ "$(field $A tags)" = "[]" ] && unchanged &&
	ok "a blank report is refused, and nothing of the call is stored or printed" ||
	not_ok "blank" "$rc [$err]"
printf '\001\002\033[2J\n\r\n' >"$T/controls.md"
run dl --db "$DB" import --report "$T/controls.md"
[ $rc -eq 1 ] && [ -z "$out" ] &&
	[ "$err" = "dlrepro: import $T/controls.md: the report is empty" ] &&
	unchanged && ok "a report of control bytes alone is blank: refused" ||
	not_ok "controls" "$rc [$out] [$err]"
printf '\000\000binary\000' >"$T/nul.bin"
run dl --db "$DB" import --report "$T/nul.bin"
[ $rc -eq 1 ] && [ -z "$out" ] && echo "$err" | grep -q "nul.bin: holds NUL bytes" &&
	unchanged && ok "a file holding NUL bytes is refused, not stored empty" ||
	not_ok "nul" "$rc [$out] [$err]"
run sh -c "printf 'A report\\000cut here' | '$DLREPRO_BIN' analyze --file -"
[ $rc -eq 1 ] && echo "$err" | grep -q "standard input: holds NUL bytes" &&
	ok "analyze --file refuses NUL bytes too, rather than reading half" ||
	not_ok "analyze nul" "$rc [$out] [$err]"
run dl --db "$DB" import --report "$TOP_SRCDIR/tests/fixtures/posts.json"
[ $rc -eq 1 ] && echo "$err" | grep -q "starts like JSON posts, not like a report" &&
	unchanged && ok "JSON posts are not taken for a report" ||
	not_ok "json" "$rc [$err]"
run dl --db "$DB" import --report "$T/missing.md"
[ $rc -eq 1 ] && echo "$err" | grep -q "missing.md: cannot open" && unchanged &&
	ok "a missing file is named" || not_ok "missing" "$rc [$err]"
run dl --db "$DB" import --report --title T "$T/nan.md" "$T/plain.txt"
[ $rc -eq 2 ] && echo "$err" | grep -q -- "--title names one report" && unchanged &&
	ok "--title with several files is a usage error" || not_ok "title many" "$rc [$err]"
run dl --db "$DB" import --report --site math "$T/nan.md"
[ $rc -eq 2 ] && echo "$err" | grep -q -- "--site is for Stack Exchange JSON" &&
	unchanged && ok "--site with --report is a usage error" ||
	not_ok "site" "$rc [$err]"
run dl --db "$DB" import --report --format rtf "$T/nan.md"
[ $rc -eq 2 ] && echo "$err" | grep -q "'rtf' is not a body format" && unchanged &&
	ok "an unknown --format is a usage error" || not_ok "format" "$rc [$err]"
run dl --db "$DB" import --title T "$T/nan.md"
[ $rc -eq 2 ] && echo "$err" | grep -q -- "--title is for a report (add --report)" &&
	unchanged && ok "--title without --report is a usage error" ||
	not_ok "title without report" "$rc [$err]"
run dl --db "$DB" import --report - -
[ $rc -eq 2 ] && echo "$err" | grep -q "read only once" && unchanged &&
	ok "standard input twice is a usage error" || not_ok "stdin twice" "$rc [$err]"
run dl --db "$DB" import --report --format markdown "$TOP_SRCDIR/tests/fixtures/posts.json"
[ $rc -eq 0 ] && [ "$(count)" -eq 4 ] &&
	ok "--format markdown stores even a JSON-looking file as a report" ||
	not_ok "format markdown json" "$rc [$out] [$err]"
# a blank --title is no title: the heading serves
printf '# Heading title\n\nSome body about a loss that is nan.\n' >"$T/blank-title.md"
run dl --db "$DB" import --quiet --no-analyze --report --title '
 ' "$T/blank-title.md"
check_eq "a blank --title gives way to the heading" "$(field "$out" title)" \
	"Heading title"

# list keeps its columns when reports' long ids sit beside short ones
dl --db "$DB" import --quiet "$TOP_SRCDIR/tests/fixtures/posts.json"
run dl --db "$DB" list
printf '%s\n' "$out" | "$PYTHON3" -c '
import sys
rows = [l for l in sys.stdin.read().splitlines() if l]
# the id column: up to the first space; then one column of badges
cols = {len(r) - len(r[r.index(" "):].lstrip(" ")) for r in rows}
assert len(cols) == 1 and len(rows) > 4, (cols, rows)' &&
	ok "list keeps its columns with long and short ids" ||
	not_ok "list columns" "$out"
run dl --db "$DB" import --report --help
[ $rc -eq 0 ] && echo "$out" | grep -q "import --report \[--title T\]" &&
	ok "import --help shows the report form" || not_ok "help" "$out"
done_testing
