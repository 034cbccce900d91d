#!/bin/sh
# analyze.sh - end-to-end tests of `dlrepro analyze`: the JSON schema for
# stored posts and for files, corrections, and bad input.
. "${TOP_SRCDIR:-.}/tests/lib.sh"
tmpdir
FX="$TOP_SRCDIR/tests/fixtures"
DB="$T/t.db"
plan 56

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
json_check "plain text has no heading: its first line is the title, as import --report makes it" "o[0]['title'] == '# Loss is nan'"
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

# the report quotes evidence cut to fit 80 columns, never inside a character
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

# The readable report is read in an 80-column terminal: every line fits,
# evidence quotes are one line cut at a word, the GPU fallback says in its
# heading whose figures these are, and the post's own hints are labelled
# as in the dashboard.
cat >"$T/wide.md" <<'EOF'
# CUDA out of memory while fine-tuning a pretrained BERT model on a long list of sentences

```python
from transformers import AutoModel, AutoTokenizer
for step in range(10):
        model = AutoModel.from_pretrained("bert-base-uncased", output_hidden_states=True).cuda()
        out = model(torch.randint(0, 30000, (64, 512), device="cuda"))
```

```
RuntimeError: CUDA out of memory. Tried to allocate 1.50 GiB (GPU 0; 7.79 GiB total capacity; 6.10 GiB already allocated)
```
EOF
run dl analyze --file "$T/wide.md"
wide=$out
# (a command in a question, alone on its line, is kept whole: below)
long=$(printf '%s\n' "$wide" | "$PYTHON3" -c '
import re, sys
print("".join(l for l in sys.stdin if len(l.rstrip("\n")) > 80 and
              not re.fullmatch(r" *`[^`]*`[.,;:]?\n?", l)), end="")')
[ $rc -eq 0 ] && [ -z "$long" ] && [ "$(printf '%s\n' "$wide" | wc -l)" -gt 20 ] &&
	ok "every line of the readable report fits 80 columns" ||
	not_ok "report wider than 80 columns" "$long"
printf '%s\n' "$wide" | grep -qx '  recommendations over all types (n=85 reproduced bugs; GPU has only 3):' &&
	ok "the GPU fallback heading names all types and the type's count" ||
	not_ok "fallback heading" "$wide"
printf '%s\n' "$wide" | grep -q '^    this post: Downloading Models & Tokenizers (a pretrained model or$' &&
   ! printf '%s\n' "$wide" | grep -q '^    also ' &&
	ok "the post's own hints read 'this post:', as in the dashboard" ||
	not_ok "hint label" "$wide"
json=$(dl analyze --json --file "$T/wide.md")
if printf '%s\n' "$wide" | "$PYTHON3" -c '
import json, re, sys
o = json.loads(sys.argv[1])
names = {"Data": "data", "Model": "model", "Hyperparameters": "hyperparameters",
         "Code Snippet": "code", "Logs": "logs", "Environment": "environment"}
cut = 0
for line in sys.stdin:
    m = re.match(r"    (\S+(?: Snippet)?) +present  \"(.*)\"$", line.rstrip("\n"))
    if not m:
        continue
    spans = [" ".join(e["text"].split())
             for e in o["info"][names[m.group(1)]]["evidence"]]
    q = m.group(2)
    assert "  " not in q, q
    if q.endswith("..."):
        q = q[:-3]
        cut += 1
        assert any(f.startswith(q) and f[len(q)] in " ," for f in spans), (q, spans)
    else:
        assert q in spans, (q, spans)
assert cut >= 2
' "$json" 2>"$T/.py"; then
	ok "evidence quotes are one line, cut between words"
else
	not_ok "quotes cut" "$(cat "$T/.py")" "$wide"
fi

# A hint's reason sits in parentheses after the action: a reason of its
# own in parentheses would nest them.
printf 'x = tf.placeholder(tf.float32, [None, 784])\nsess = tf.Session()\nValueError: Cannot feed value of shape (100, 28, 28)\n' >"$T/tf1.txt"
run dl analyze --json --file "$T/tf1.txt"
json_check "a TF 1.x hint reads as a sentence, without nested parentheses" "[h['because'] for h in o[0]['recommend']['indicated'] if h['action'] == 'version-migration'] == [\"the code uses TensorFlow 1.x's tf.Session\"] and all('(' not in h['because'] for h in o[0]['recommend']['indicated'])"

# Each category's quote in the report is the post's own words when it has
# them, not a fragment of its traceback (a path's "python3.10").
printf '```\nTraceback (most recent call last):\n  File "/usr/lib/python3.10/site-packages/torch/nn/modules/module.py", line 1501, in _call_impl\n    return forward_call(*args, **kwargs)\nRuntimeError: mat1 and mat2 shapes cannot be multiplied (4x512 and 1024x10)\n```\n\nPyTorch version: 2.0.1, Ubuntu 22.04\n' >"$T/ownwords.md"
run dl analyze --json --file "$T/ownwords.md"
first=$(printf '%s' "$out" | "$PYTHON3" -c 'import json, sys; print(json.load(sys.stdin)["info"]["environment"]["evidence"][0]["text"])')
run dl analyze --file "$T/ownwords.md"
[ "$first" = "python3.10" ] &&
   printf '%s\n' "$out" | grep -qx '    Environment      present  "PyTorch version: 2.0.1, Ubuntu 22.04"' &&
	ok "a category's quote is the post's own words, not its traceback's" ||
	not_ok "quote from the traceback" "$first" "$out"

# A question is pasted to the reporter as it is: it claims nothing about
# the post that the tool does not know (whether its bug is one of the
# Keras 2/3 differences).
printf 'from keras.models import Sequential\nfrom keras.layers import Dense\nmodel = Sequential([Dense(1)])\nmodel.compile(optimizer="adam", loss="mse")\nTypeError: missing argument\n' >"$T/keras.md"
run dl analyze --json --file "$T/keras.md"
json_check "the Keras version question asks without claiming the cause" "o[0]['framework'] == 'keras' and 'environment' in [k for k, v in o[0]['info'].items() if not v['present']] and any('Keras 2 and Keras 3' in q for q in o[0]['questions']) and not any('differently here' in q for q in o[0]['questions'])"

# A Mixed verdict names its two types and their scores: "confidence
# 1.00" (the two scores added) read as a contradiction.  The shipped
# model rarely says Mixed, so a copy that says it at a lower bar.
mkdir "$T/mixdata"
cp -R "$DLREPRO_DATADIR"/. "$T/mixdata/"
"$PYTHON3" - "$T/mixdata/classifier.json" <<'PY2'
import json, sys
m = json.load(open(sys.argv[1]))
m["mixed"]["min_each"] = 0.35
json.dump(m, open(sys.argv[1], "w"))
PY2
printf 'x\n' >"$T/mix.md"
DLREPRO_DATADIR="$T/mixdata" run dl analyze --json --file "$T/mix.md" --title "custom layer output tensor shape is wrong"
two=$(printf '%s' "$out" | "$PYTHON3" -c 'import json, sys; o = json.load(sys.stdin); s = sorted(o["scores"].items(), key=lambda kv: -kv[1]); print(o["type"], "%s %.2f %s %.2f" % (s[0][0], s[0][1], s[1][0], s[1][1]))')
DLREPRO_DATADIR="$T/mixdata" run dl analyze --file "$T/mix.md" --title "custom layer output tensor shape is wrong"
[ "$two" = "mixed model 0.51 tensor 0.41" ] &&
   printf '%s\n' "$out" | grep -qx '  type: Mixed (Model 0.51 + Tensor and Input 0.41, from text)' &&
	ok "a Mixed verdict names its two types with their scores" ||
	not_ok "Mixed verdict" "$two" "$out"

# The questions come in the order the type's reproduced bugs needed the
# categories (data/tables.json), the environment first for GPU and API
# bugs and last for the others.  Post 113 lacks everything.
DBQ="$T/q.db"
dl --db "$DBQ" import --quiet "$FX/posts.json"
qorder=ok
for ty in model tensor training gpu api; do
	dl --db "$DBQ" analyze --set-type "$ty" 113 >/dev/null
	got=$(dl --db "$DBQ" analyze --json 113 | "$PYTHON3" -c '
import json, sys
ty, datadir = sys.argv[1], sys.argv[2]
o = json.load(sys.stdin)
qs = json.load(open(datadir + "/questions.json"))["questions"]
tb = json.load(open(datadir + "/tables.json"))["types"]
fw = o["framework"] if o["framework"] in qs["data"] else "generic"
minn = json.load(open(datadir + "/tables.json"))["min_n"]
rank = tb[ty]["info"] if tb[ty]["n"] >= minn else tb["all"]["info"]
cats = ["data", "model", "hyperparameters", "code", "logs"]
want = [c for c in sorted(cats, key=lambda c: -rank[c]) if c in o["missing"]]
if not o["info"]["environment"]["present"]:
    want = ["environment"] + want if ty in ("gpu", "api") else want + ["environment"]
print("ok" if o["questions"] == [qs[c][fw] for c in want] else
      "%s: %s" % (ty, [q[:30] for q in o["questions"]]))' "$ty" "$DLREPRO_DATADIR" 2>&1)
	[ "$got" = ok ] || qorder="$qorder; $got"
done
[ "$qorder" = ok ] &&
	ok "questions: the type's most needed category first, environment by type" ||
	not_ok "question order" "$qorder"

# A plain-text report is titled as `import --report` titles it (its
# first line), and that title, the text's own line, is not counted twice.
printf 'Loss is NaN after epoch 3\nMy loss goes to nan with Adam at lr=1e-3.\n' >"$T/titled.txt"
run dl analyze --json --file "$T/titled.txt"
t_json=$out
dl --db "$T/titled.db" import --quiet --report "$T/titled.txt" >/dev/null
t_list=$(dl --db "$T/titled.db" list --json | "$PYTHON3" -c 'import json, sys; print(json.loads(sys.stdin.readline())["title"])')
printf '%s\n' "$t_json" | "$PYTHON3" -c '
import json, sys
o = json.load(sys.stdin)
sys.exit(0 if o["title"] == sys.argv[1] == "Loss is NaN after epoch 3" else 1)' "$t_list" &&
	ok "analyze --file titles a text report as import --report does" ||
	not_ok "text report title" "$t_json" "$t_list"

# A command a question asks the reporter to run is never cut across
# lines: copied from the terminal, it must run as it is.
printf 'import torch\nx = torch.randn(2)\nRuntimeError: boom\n' >"$T/noenv.txt"
run dl analyze --file "$T/noenv.txt"
printf '%s\n' "$out" | grep -q '^ *`python -c "import torch, sys; print(torch.__version__, torch.version.cuda, torch.cuda.is_available(), sys.version)"`' &&
	! printf '%s\n' "$out" | grep -v 'python -c' | awk 'length > 78' | grep -q . &&
	ok "a command in a question stays on one line; the rest fits 80 columns" ||
	not_ok "command cut across lines" "$out"

run dl --db "$DB" analyze --json --file "$FX/truncated.json"
[ $rc -eq 1 ] && echo "$err" | grep -q "truncated.json" && ok "malformed file: one-line error" ||
	not_ok "malformed file" "$err"
done_testing
