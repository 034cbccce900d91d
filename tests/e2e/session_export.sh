#!/bin/sh
# session_export.sh - end-to-end tests of `dlrepro export` and
# `dlrepro import-sessions`: CSV that Python's csv module reads back
# as written, JSON Lines that round-trip through import-sessions (twice
# changes nothing), and the replication package's three layouts, checked
# against the shared files when ../shared/dataset is there.
. "${TOP_SRCDIR:-.}/tests/lib.sh"
tmpdir
FX="$TOP_SRCDIR/tests/fixtures"
DB="$T/a.db"
DB2="$T/b.db"
PY=${PYTHON3:-python3}
T0=1700000000
plan 25

at() { DLREPRO_TEST_NOW=$(($T0 + $1)); export DLREPRO_TEST_NOW; }
s() { dl --db "$DB" session "$@" >/dev/null; }
dump() {
	"$PY" -c 'import sqlite3,sys
c = sqlite3.connect(sys.argv[1])
for l in c.iterdump(): print(l)' "$1" > "$2"
}
py_ok() {	# NAME SCRIPT ARGS...: python exits 0
	name=$1 script=$2
	shift 2
	if "$PY" -c "$script" "$@" 2>"$T/py.err"; then
		ok "$name"
	else
		not_ok "$name" "$(head -c 800 "$T/py.err")"
	fi
}

dl --db "$DB" import --no-analyze "$FX/session_posts.json" 2>/dev/null
at 0
s start 55328966 --type training --present code,logs,data
at 60; s tick input-data-generation
at 90; s tick logging
at 120; s pause
at 300; s resume
at 2000; s stop --outcome reproduced --framework tensorflow --architecture MLP --effort medium --modification major --notes 'Generated data, "fixed" imports,
then ran it'
at 3000
s start 59278771 --type tensor --missing data
at 3060; s tick import-addition
at 3600; s stop --outcome not-reproduced --reason environment --framework PyTorch --architecture CNN
at 4000
s start 59325381
at 4100; s stop --outcome abandoned
at 5000
s start 55328966 --type training
at 5030; s tick logging
at 5050
ok "scripted four sessions (one still open)"

run dl --db "$DB" export --format csv
[ $rc -eq 0 ] && ok "export --format csv to stdout" || not_ok "export csv" "$err"
printf '%s' "$out" > "$T/s.csv"
py_ok "csv: header, one row per session, quoted notes read back" '
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
assert len(rows) == 4, len(rows)
r = rows[0]
assert r["post"] == "so:55328966" and r["type"] == "training", r
assert r["outcome"] == "reproduced" and r["framework"] == "TF + Keras"
assert r["notes"] == "Generated data, \"fixed\" imports,\nthen ran it", r["notes"]
assert float(r["active_seconds"]) == 1820.0, r["active_seconds"]
assert r["started_at"] == "2023-11-14T22:13:20.000Z"
assert r["act_input_data_generation"] == "1" and r["act_logging"] == "1"
assert r["act_version_migration"] == "0" and r["n_actions"] == "2"
assert r["info_data"] == "1" and r["info_model"] == ""
assert rows[1]["reason"] == "environment" and rows[1]["info_data"] == "0"
assert rows[3]["state"] == "running" and rows[3]["stopped_at"] == ""
assert len(set(len(x) for x in csv.reader(open(sys.argv[1], newline="")))) == 1
' "$T/s.csv"

# an existing file keeps its mode; a symlink keeps pointing at its file
: >"$T/priv.csv"
chmod 600 "$T/priv.csv"
mkdir -p "$T/real"
: >"$T/real/t.csv"
ln -s real/t.csv "$T/link.csv"
run dl --db "$DB" export --format csv --out "$T/priv.csv"
run2=$rc
run dl --db "$DB" export --format csv --out "$T/link.csv"
[ $run2 -eq 0 ] && [ $rc -eq 0 ] &&
	[ "$(stat -c %a "$T/priv.csv")" = 600 ] && [ -s "$T/priv.csv" ] &&
	[ -L "$T/link.csv" ] && [ -s "$T/real/t.csv" ] &&
	[ -z "$(find "$T" -maxdepth 2 -name '*.csv.*')" ] &&
	ok "export --out keeps a file's mode and a link's target, no temporary left" ||
	not_ok "export --out mode and link" "$(ls -la "$T" "$T/real")"
# a dangling link gets its file; a FIFO is written through; a directory no
ln -s real/made.csv "$T/dangling.csv"
run dl --db "$DB" export --format csv --out "$T/dangling.csv"
r1=$rc
mkfifo "$T/fifo"
cat "$T/fifo" >"$T/fifo.out" &
catpid=$!
run dl --db "$DB" export --format csv --out "$T/fifo"
r2=$rc
wait $catpid
run dl --db "$DB" export --format csv --out "$T/real"
[ $r1 -eq 0 ] && [ -L "$T/dangling.csv" ] && [ -s "$T/real/made.csv" ] &&
	[ $r2 -eq 0 ] && [ -p "$T/fifo" ] && [ -s "$T/fifo.out" ] &&
	[ $rc -eq 1 ] && echo "$err" | grep -q "real: is a directory" &&
	ok "export --out: dangling link, FIFO, directory" ||
	not_ok "export --out special targets" "$r1 $r2 $rc $err"
run dl --db "$DB" export --format jsonl --out "$T/s.jsonl"
[ $rc -eq 0 ] && [ -z "$out" ] && ok "export --format jsonl --out FILE" ||
	not_ok "export jsonl" "$err"
py_ok "jsonl: one full session per line" '
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
assert len(lines) == 4
assert [len(l["events"]) for l in lines] == [6, 3, 2, 2], [len(l["events"]) for l in lines]
assert all(len(l["uuid"]) == 36 for l in lines)
' "$T/s.jsonl"

# Round trip into a fresh database that has none of the posts.
run dl --db "$DB2" import-sessions "$T/s.jsonl"
[ $rc -eq 0 ] && printf '%s' "$err" | grep -q "imported 3 sessions, 0 already here, 1 still open" &&
	ok "import-sessions into a fresh database (open one skipped)" ||
	not_ok "import-sessions" "$rc $err"
dump "$DB2" "$T/d1"
run dl --db "$DB2" import-sessions "$T/s.jsonl"
dump "$DB2" "$T/d2"
[ $rc -eq 0 ] && cmp -s "$T/d1" "$T/d2" &&
	printf '%s' "$err" | grep -q "imported 0 sessions, 3 already here" &&
	ok "importing the same file twice changes nothing" || not_ok "twice" "$err"
dump "$DB" "$T/a1"
run dl --db "$DB" import-sessions "$T/s.jsonl"
dump "$DB" "$T/a2"
[ $rc -eq 0 ] && cmp -s "$T/a1" "$T/a2" && ok "importing into the source changes nothing" ||
	not_ok "import into source" "$err"
unset DLREPRO_TEST_NOW
dl --db "$DB2" export --format jsonl --out "$T/s2.jsonl" 2>/dev/null
py_ok "the round trip keeps every event, time and outcome" '
import json, sys
a = [json.loads(l) for l in open(sys.argv[1])][:3]
b = [json.loads(l) for l in open(sys.argv[2])]
for x in a + b:
    x.pop("id")
assert a == b, (a[0], b[0])
' "$T/s.jsonl" "$T/s2.jsonl"
run dl --db "$DB2" list --json
printf '%s' "$out" | grep -q '"title":"Loss becomes nan during training"' &&
	ok "placeholder posts keep the exported titles" || not_ok "placeholder posts" "$out"
run dl --db "$DB2" history --json
printf '%s' "$out" | "$PY" -c 'import json,sys; j=json.load(sys.stdin); sys.exit(0 if [h["type"] for h in j] == ["training","tensor",None] else 1)' &&
	ok "imported sessions keep their bug types" || not_ok "types" "$out"

printf '%s\n' '{"uuid":"x"}' > "$T/bad.jsonl"
head -1 "$T/s.jsonl" > "$T/half.jsonl"
printf '{"uuid": "truncated' >> "$T/half.jsonl"
head -1 "$T/s.jsonl" | sed 's/"action":"logging"/"action":"\\u001b[2J"/g' > "$T/evil.jsonl"
grep -q 'u001b' "$T/evil.jsonl" || echo "# evil.jsonl was not made"
for f in bad half evil; do
	dump "$DB2" "$T/b1"
	run dl --db "$DB2" import-sessions "$T/$f.jsonl"
	dump "$DB2" "$T/b2"
	[ $rc -eq 1 ] && [ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] &&
		cmp -s "$T/b1" "$T/b2" &&
		ok "import-sessions of $f.jsonl fails in one line, changes nothing" ||
		not_ok "bad import $f" "$rc $err"
done
run dl --db "$DB2" import-sessions "$T/nope.jsonl"
[ $rc -eq 1 ] && ok "import-sessions of a missing file" || not_ok "missing file" "$rc"
run dl --db "$DB2" export --format xml
[ $rc -eq 2 ] && ok "unknown export format is a usage error" || not_ok "format" "$rc"
run dl --db "$DB2" export --format replication
[ $rc -eq 2 ] && ok "replication needs --out DIR" || not_ok "replication out" "$rc"

run dl --db "$DB" export --format replication --out "$T/rep/sub"
[ $rc -eq 0 ] && [ -f "$T/rep/sub/Dataset_Manual_Reproduction.csv" ] &&
	ok "export --format replication creates DIR" || not_ok "replication" "$err"
py_ok "replication: rows and value conventions" '
import csv, sys, os
d = sys.argv[1]
m = list(csv.reader(open(os.path.join(d, "Dataset_Manual_Reproduction.csv"), newline="")))
e = list(csv.reader(open(os.path.join(d, "Dataset_EditActions.csv"), newline="")))
c = list(csv.reader(open(os.path.join(d, "Dataset_CriticalActions.csv"), newline="")))
assert len(m) == 3 and len(e) == 2 and len(c) == 2, (len(m), len(e), len(c))
r = dict(zip(m[0], m[1]))
assert r["Bug ID"] == "55328966" and r["Reproducible?"] == "Yes", r
assert r["Time Taken"] == "30" and r["Type of Bug"] == "Training Bug", r
assert r["Framework"] == "TF + Keras" and r["Effort Level"] == "Medium"
assert r["Modification Type (Major/Minor)"] == "Major" and r["Architecture"] == "MLP"
assert r["Code Snippet Present?"] == "Yes" and r["Data Description Present?"] == "Yes"
assert r["Key Actions"].startswith("Generated data")
n = dict(zip(m[0], m[2]))
assert n["Reproducible?"] == "No" and n["Effort Level"] == "" and n["Modification Type (Major/Minor)"] == "-"
assert n["Type of Bug"] == "Tensor and Input Bug" and n["Framework"] == "PyTorch" and n["Time Taken"] == "10"
assert n["Key Actions"].startswith("Couldn" + chr(39) + "t reproduce (environment)"), n["Key Actions"]
assert n["Data Description Present?"] == "No"
x = dict(zip(e[0], e[1]))
assert x["Input Data Generation"] == "1" and x["Logging"] == "1" and x["Framework Migration"] == "0"
assert x["Type of Bug"] == "Training Bug" and x["Reproducible?"] == "Yes"
y = dict(zip(c[0], c[1]))
assert y == {"Type of Bug": "Training Bug", "Data": "1", "Neural Network": "0", "Hyperparameters": "0", "Training Code": "1", "Logs": "1"}, y
' "$T/rep/sub"

SHARED=
for d in "${DLREPRO_SHARED_DATASET:-}" "$TOP_SRCDIR/../shared/dataset" \
    "$TOP_SRCDIR/../../shared/dataset"; do
	[ -n "$d" ] && [ -f "$d/Dataset_EditActions.csv" ] && SHARED=$d && break
done
for f in Dataset_Manual_Reproduction.csv Dataset_EditActions.csv Dataset_CriticalActions.csv; do
	if [ -z "$SHARED" ]; then
		skip "$f header equals the replication package's" \
			"../shared/dataset is absent (set DLREPRO_SHARED_DATASET)"
	elif [ "$(head -1 "$SHARED/$f")" = "$(head -1 "$T/rep/sub/$f")" ]; then
		ok "$f header equals the replication package's"
	else
		not_ok "$f header" "$(head -1 "$SHARED/$f")" "$(head -1 "$T/rep/sub/$f")"
	fi
done
if [ -z "$SHARED" ]; then
	skip "replication values use the package's spellings" "../shared/dataset is absent"
else
	py_ok "replication values use the package's spellings" '
import csv, sys, os
ours, theirs = sys.argv[1], sys.argv[2]
for f, cols in [("Dataset_Manual_Reproduction.csv", ["Reproducible?", "Code Snippet Present?", "System Configuration Present?", "Data Description Present?", "Modification Type (Major/Minor)", "Type of Bug", "Effort Level", "Framework"]),
                ("Dataset_EditActions.csv", ["Reproducible?", "Code Snippet Present?", "System Configuration Present?", "Data Description Present?", "Type of Bug", "Framework", "Logging", "Framework Migration"]),
                ("Dataset_CriticalActions.csv", ["Type of Bug", "Data", "Neural Network", "Logs"])]:
    a = list(csv.DictReader(open(os.path.join(ours, f), newline="")))
    b = list(csv.DictReader(open(os.path.join(theirs, f), newline="")))
    for col in cols:
        allowed = set(r[col] for r in b)
        for r in a:
            assert r[col] in allowed, (f, col, r[col], allowed)
' "$T/rep/sub" "$SHARED"
fi

done_testing
