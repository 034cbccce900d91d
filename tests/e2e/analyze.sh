#!/bin/sh
# analyze.sh - end-to-end tests of `dlrepro analyze`: the JSON schema for
# stored posts and for files, corrections, and bad input.
. "${TOP_SRCDIR:-.}/tests/lib.sh"
tmpdir
FX="$TOP_SRCDIR/tests/fixtures"
DB="$T/t.db"
plan 45

json_check() {	# name python-expression-over-`o` (list of objects)
	name=$1
	expr=$2
	if printf '%s\n' "$out" | "$PYTHON3" -c "
import sys, json
o = [json.loads(l) for l in sys.stdin if l.strip()]
sys.exit(0 if ($expr) else 1)" 2>"$T/.py"; then
		ok "$name"
	else
		not_ok "$name" "$(head -c 600 "$T/.py")" "$(printf '%s' "$out" | head -c 600)"
	fi
}

dl --db "$DB" import --quiet "$FX/posts.json"
run dl --db "$DB" analyze --json 111 so:112
[ $rc -eq 0 ] && ok "analyze stored posts" || not_ok "analyze" "$err"
json_check "one object per post and line" "len(o) == 2 and o[0]['id'] == 'so:111'"
json_check "schema: top-level fields" "all(k in o[0] for k in ('id','title','type','confidence','method','scores','evidence','info','missing','recommend','questions'))"
json_check "schema: scores for the five single types" "sorted(o[0]['scores']) == ['api','gpu','model','tensor','training'] and all(0 <= v <= 1 for v in o[0]['scores'].values())"
json_check "schema: six checks with present and evidence" "sorted(o[0]['info']) == ['code','data','environment','hyperparameters','logs','model'] and all(isinstance(v['present'], bool) and isinstance(v['evidence'], list) for v in o[0]['info'].values())"
json_check "a cuda tag makes a GPU bug, from tags" "o[0]['type'] == 'gpu' and o[0]['method'] == 'tags' and 0 <= o[0]['confidence'] <= 1"
json_check "GPU falls back to all-types figures" "o[0]['recommend']['fallback'] is True and o[0]['recommend']['n'] > 3"
json_check "the fallback names the type's own count (type_n, documented)" "o[0]['recommend']['type_n'] == 3 and 'type_n' not in o[1]['recommend']"
json_check "loss-function tag makes a Training bug" "o[1]['type'] == 'training'"
json_check "evidence spans quote the text" "all(isinstance(s['start'], int) and s['end'] >= s['start'] and 'text' in s for p in o for c in p['info'].values() for s in c['evidence'])"
json_check "missing lists absent categories and questions follow" "all(len(p['questions']) >= len(p['missing']) for p in o)"
json_check "recommendations above the threshold" "all(a['confidence'] >= 0.30 for p in o for a in p['recommend']['actions'])"

run dl --db "$DB" analyze 111
[ $rc -eq 0 ] && echo "$out" | grep -q "type: GPU" && ok "readable report" ||
	not_ok "readable report" "$out" "$err"

run dl --db "$DB" analyze --json --set-type tensor --set-missing code 111
json_check "corrections are applied and shown" "o[0]['type'] == 'tensor' and o[0]['type_corrected'] and o[0]['engine_type'] == 'gpu' and o[0]['info']['code']['present'] is False and 'code' in o[0]['missing']"
run dl --db "$DB" list --json
json_check "list shows the corrected type" "[p['type'] for p in o if p['id'] == 'so:111'] == ['tensor'] and [p['type_corrected'] for p in o if p['id'] == 'so:111'] == [True]"
run dl --db "$DB" analyze --json 111
json_check "re-analysis keeps corrections" "o[0]['type'] == 'tensor'"
run dl --db "$DB" analyze --json --clear-corrections 111
json_check "--clear-corrections" "o[0]['type'] == 'gpu' and not o[0]['type_corrected']"

run dl --db "$DB" analyze --set-type tensor 111
printf '%s\n' "$out" | grep -q "^  type: Tensor and Input  \[corrected by you\]$" &&
   printf '%s\n' "$out" | grep -q "^    the engine said GPU (confidence [0-9.]*, from tags)$" &&
	ok "the report gives the engine's confidence to the engine's type" ||
	not_ok "corrected report" "$out"
run dl --db "$DB" analyze --clear-corrections 111
run dl --db "$DB" analyze --set-type bogus 111
[ $rc -eq 2 ] && ok "unknown type is a usage error" || not_ok "bad type" "$rc $err"
run dl --db "$DB" analyze --json 999
[ $rc -eq 1 ] && echo "$err" | grep -q "so:999" && ok "a post not in the store is named" ||
	not_ok "missing post" "$rc $err"
run dl --db "$DB" analyze --set-type api 111 999
run dl --db "$DB" list --json
printf '%s\n' "$out" | grep '"id":"so:111"' | grep -q '"type_corrected":false' &&
	ok "a correction failing on one id stores none" ||
	not_ok "partial correction" "$out"
run dl --db "$DB" analyze --json --set-missing code --set-missing logs,data 111
json_check "repeated and comma-separated --set-missing all count" "all(c in o[0]['missing'] for c in ('code', 'logs', 'data')) and all(o[0]['info'][c]['corrected'] for c in ('code', 'logs', 'data'))"
run dl --db "$DB" analyze --set-missing code --set-present code 111
[ $rc -eq 2 ] && echo "$err" | grep -q "code: both present and missing" &&
	ok "a category both present and missing is a usage error" ||
	not_ok "present and missing" "$rc $err"
run dl --db "$DB" analyze --clear-corrections 111

run dl --db "$DB" analyze --json --file "$FX/posts.jsonl"
json_check "analyze --file JSON Lines without storing" "len(o) == 3 and o[0]['type'] == 'tensor'"
run dl --db "$DB" list --json
n=$(printf '%s\n' "$out" | grep -c '"id"')
[ "$n" -eq 3 ] && ok "--file stores nothing" || not_ok "--file stored" "$n"

printf '# Loss is nan\n\nTraining with `lr=0.1` gives:\n\n```\nEpoch 1/10\nloss: nan\n```\n' > "$T/report.md"
run dl analyze --json --file "$T/report.md" --title "Loss becomes nan" --tags "python,keras"
json_check "a Markdown report with --title and --tags" "len(o) == 1 and o[0]['info']['logs']['present'] and o[0]['type'] in ('training','mixed')"
run dl analyze --json --file "$T/report.md"
json_check "without --title a report's first-line heading is its title" "o[0]['title'] == 'Loss is nan'"
run dl analyze --json --file "$T/report.md" --format text
json_check "plain text has no heading: no title" "o[0]['title'] == ''"
run dl analyze --json --file "$FX/posts.jsonl" --title T
[ $rc -eq 1 ] && [ -z "$out" ] && echo "$err" | grep -q "posts.jsonl: holds JSON posts" &&
	ok "--title on a JSON file is refused, naming the file" ||
	not_ok "--title on JSON" "$rc $err"
printf '[Colab](https://colab.example/x) notebook\n\n    x = torch.zeros(3)\n' >"$T/link.md"
printf '<p>It says <code>x &amp;&amp; y</code> &quot;q&quot;</p>\n' >"$T/page.html"
run dl analyze --json --file "$T/page.html"
json_check "a .html file is read as HTML without --format (entities decoded)" "'&amp;' not in json.dumps(o[0]) and '&quot;' not in json.dumps(o[0])"
run dl analyze --json --file "$T/link.md"
json_check "a report starting with a Markdown link is a report, not JSON" "o[0]['id'].startswith('file:') and o[0]['info']['code']['present']"
run sh -c '"$0" analyze --json --file - --title T <"$1"' "$DLREPRO_BIN" "$T/link.md"
json_check "the same from standard input, with --title" "o[0]['id'] == 'stdin' and o[0]['title'] == 'T'"

# standard input: a pasted report, and JSON (told apart by its first byte)
run sh -c 'printf "\n  Traceback (most recent call last):\n  File \"a.py\", line 1, in <module>\nValueError: bad shape\n" |
	"$0" analyze --json --file - --tags keras' "$DLREPRO_BIN"
json_check "--file - reads a report from standard input" "len(o) == 1 and o[0]['id'] == 'stdin' and o[0]['info']['logs']['present']"
run sh -c '"$0" analyze --json --file - <"$1"' "$DLREPRO_BIN" "$FX/posts.jsonl"
json_check "--file - reads JSON Lines from standard input" "len(o) == 3 and o[0]['type'] == 'tensor'"
run sh -c 'printf "   \n{\"question_id\": 7, \"title\": \"x\"" | "$0" analyze --json --file -' "$DLREPRO_BIN"
[ $rc -eq 1 ] && [ -z "$out" ] && echo "$err" | grep -q "^dlrepro: analyze -" &&
	ok "--file -: malformed JSON on standard input is one-line error" ||
	not_ok "--file - malformed" "$rc $out $err"

# an empty clipboard piped in is no report lacking everything
run sh -c 'printf "  \n\033[2J\n" | "$0" analyze --json --file -' "$DLREPRO_BIN"
[ $rc -eq 1 ] && [ -z "$out" ] &&
	[ "$err" = "dlrepro: analyze standard input: the report is empty" ] &&
	ok "--file -: a blank report is refused in one line" ||
	not_ok "blank report analysed" "$rc [$out] [$err]"
run dl analyze --json --file /dev/null --title "Loss is NaN with Adam"
json_check "a --title alone is still analysed" "len(o) == 1 and o[0]['type'] == 'training'"

# standard input is the same report as the file: leading blanks and an
# indented code block survive the look at its first byte
printf '\n    import torch\n    x = torch.zeros(3)\n    model.fit(x)\n\nIt fails.\n' >"$T/indented.md"
a=$(dl analyze --json --file "$T/indented.md" | sed 's/"id":"[^"]*"//')
b=$(dl analyze --json --file - <"$T/indented.md" | sed 's/"id":"[^"]*"//')
[ -n "$a" ] && [ "$a" = "$b" ] &&
	ok "--file - analyses exactly what --file FILE does" ||
	not_ok "--file - differs from the file" "$a" "$b"

# the report quotes evidence cut to 50 bytes, never inside a character
printf '```python\nimport torch\nx = torch.zeros(3)  #xx \303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\nprint(x)\n```\n' >"$T/utf8.md"
run dl analyze --file "$T/utf8.md"
if printf '%s\n' "$out" | grep -q 'Code Snippet     present  "import torch.*\.\.\."' &&
   printf '%s\n' "$out" | "$PYTHON3" -c 'import sys; sys.stdin.buffer.read().decode("utf-8")'; then
	ok "quoted evidence is cut at a character boundary"
else
	not_ok "quoted evidence cut" "$out"
fi

# Stored verdicts carry the engine version: the code's, and a fingerprint
# of the data files, so a retrained model is noticed and re-analysed.
versions() {
	"$PYTHON3" -c 'import sqlite3, sys
print(" ".join(sorted(set(r[0] for r in sqlite3.connect(sys.argv[1]).execute(
	"SELECT engine_version FROM analyses")))))' "$1"
}
cp -R "$DLREPRO_DATADIR" "$T/data"
chmod -R u+w "$T/data"
DB2="$T/v.db"
DLREPRO_DATADIR="$T/data" dl --db "$DB2" import --quiet "$FX/posts.json"
v1=$(versions "$DB2")
case $v1 in
engine-5/[0-9a-f]*) ok "analyses store the engine version ($v1)" ;;
*) not_ok "engine version stored" "$v1" ;;
esac
printf '\n' >>"$T/data/classifier.json"	# same model, other bytes
DLREPRO_DATADIR="$T/data" dl --db "$DB2" analyze --json 111 >/dev/null
v2=$(versions "$DB2")
[ "$(echo "$v2" | wc -w)" -eq 2 ] && ! echo "$v2" | grep -q "^$v1 $v1$" &&
	ok "a changed model file re-analyses the post asked for" ||
	not_ok "re-analysis on a changed model" "$v1 -> $v2"
DLREPRO_DATADIR="$T/data" dl --db "$DB2" import --quiet "$FX/posts.json"
v3=$(versions "$DB2")
[ "$(echo "$v3" | wc -w)" -eq 1 ] && [ "$v3" != "$v1" ] &&
	ok "import brings every stale verdict up to date" ||
	not_ok "stale verdicts refreshed" "$v1 -> $v3"
printf '\n' >>"$T/data/classifier.json"
DLREPRO_DATADIR="$T/data" run dl --db "$DB2" list --json
v4=$(versions "$DB2")
[ $rc -eq 0 ] && [ "$(echo "$v4" | wc -w)" -eq 1 ] && [ "$v4" != "$v3" ] &&
   echo "$err" | grep -q "^dlrepro: analysed [0-9]* posts$" &&
   printf '%s\n' "$out" | "$PYTHON3" -c 'import json, sys
rows = [json.loads(l) for l in sys.stdin]
assert rows and all(r["type"] for r in rows)' &&
	ok "list redoes stale verdicts first, noting it on stderr only" ||
	not_ok "list refreshes stale verdicts" "$rc $v3 -> $v4: $err"
DLREPRO_DATADIR="$T/nowhere" run dl --db "$DB2" list
[ $rc -eq 0 ] && [ "$(printf '%s\n' "$out" | wc -l)" -ge 2 ] &&
   [ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] &&
   echo "$err" | grep -q "^dlrepro: list: verdicts not refreshed: " &&
   [ "$(versions "$DB2")" = "$v4" ] &&
	ok "list without the data files: stored verdicts, one warning" ||
	not_ok "list without data files" "$rc: $err"

run dl --db "$DB" analyze --json --file "$FX/truncated.json"
[ $rc -eq 1 ] && echo "$err" | grep -q "truncated.json" && ok "malformed file: one-line error" ||
	not_ok "malformed file" "$err"
done_testing
