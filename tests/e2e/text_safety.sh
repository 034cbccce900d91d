#!/bin/sh
# text_safety.sh - untrusted text is sanitised once before it is stored
# (import, import-sessions, session notes) and again on the way out, so a
# database written by an older version cannot put control bytes or invalid
# UTF-8 on stdout either; imported JSON must be one value (or one per line)
# and nothing else; import --site is checked like fetch --site.
. "${TOP_SRCDIR:-.}/tests/lib.sh"
tmpdir
plan 33
DB="$T/t.db"
PY=${PYTHON3:-python3}

# clean FILE: valid UTF-8 with no C0 control but newline and tab, no DEL,
# no C1.
cat >"$T/clean.py" <<'PYEOF'
import sys
b = open(sys.argv[1], "rb").read()
try:
    s = b.decode("utf-8")
except UnicodeDecodeError as e:
    sys.exit("invalid UTF-8: %s" % e)
for ch in s:
    o = ord(ch)
    if (o < 0x20 and ch not in "\n\t") or 0x7f <= o <= 0x9f:
        sys.exit("control U+%04X in %r" % (o, s[:200]))
PYEOF
clean() { "$PY" "$T/clean.py" "$1"; }
# jsonl FILE: every line is JSON.
jsonl() {
	"$PY" -c 'import json,sys
for l in open(sys.argv[1], "rb"):
    json.loads(l)' "$1"
}
# field FILE ID KEY: the value of KEY in the list --json line of post ID.
field() {
	"$PY" -c 'import json,sys
for l in open(sys.argv[1], "rb"):
    o = json.loads(l)
    if o.get("id") == sys.argv[2]:
        v = o[sys.argv[3]]
        print(" ".join(v) if isinstance(v, list) else v)' "$1" "$2" "$3"
}

# ---- 1. text is sanitised before it is stored ----
printf '{"question_id":5,"title":"bad\377\376 utf8","tags":["x\377"]}\n' \
	>"$T/b.json"
printf '{"question_id":7,"title":"esc \\u001b]0;PWNED\\u0007 \\u001b[31mred\\u009b1m \\u007f&#27;[2J.","body":"<p>a\\u001b[31mb</p>","tags":["t\\u001b[1m"]}\n' \
	>"$T/e.json"
printf '{"question_id":9,"title":"nul\\u0000byte","tags":["t\\u0000x","\\\\u0000"]}\n' \
	>"$T/n.json"
run dl --db "$DB" import --no-analyze "$T/b.json" "$T/e.json" "$T/n.json"
[ $rc -eq 0 ] && ok "import of dirty titles succeeds" || not_ok "import" "$err"
dl --db "$DB" list --json >"$T/l.json" 2>/dev/null
jsonl "$T/l.json" && clean "$T/l.json" &&
	ok "list --json: valid JSON, valid UTF-8, no control bytes" ||
	not_ok "list --json clean"
[ "$(field "$T/l.json" so:5 title)" = "bad�� utf8" ] &&
	[ "$(field "$T/l.json" so:5 tags)" = "x�" ] &&
	ok "invalid UTF-8 stored as U+FFFD" ||
	not_ok "U+FFFD" "$(cat "$T/l.json")"
[ "$(field "$T/l.json" so:7 title)" = "esc  red1m ." ] &&
	[ "$(field "$T/l.json" so:7 tags)" = "t" ] &&
	ok "escape sequences (7-bit, 8-bit, entity-encoded) dropped whole" ||
	not_ok "escapes dropped" "$(field "$T/l.json" so:7 title)"
[ "$(field "$T/l.json" so:9 title)" = "nulbyte" ] &&
	[ "$(field "$T/l.json" so:9 tags)" = "tx \\u0000" ] &&
	ok "\\u0000 removed, not a cut: nul\\u0000byte is nulbyte" ||
	not_ok "NUL removed" "$(field "$T/l.json" so:9 title)|$(field "$T/l.json" so:9 tags)"
"$PY" -c 'import sqlite3,sys
c = sqlite3.connect(sys.argv[1]); c.text_factory = bytes
for (t, b) in c.execute("SELECT title, body FROM posts"):
    t.decode(); b.decode()
    assert not any(x < 0x20 or x == 0x7f for x in t), t
    assert b"\x1b" not in b, b' "$DB" 2>"$T/py.err" &&
	ok "the database itself holds clean titles and bodies" ||
	not_ok "stored clean" "$(cat "$T/py.err")"

run dl --db "$DB" session start 7
run dl --db "$DB" session stop --outcome abandoned \
	--notes "$(printf 'a \377 \033]0;PWNED\007 \033[31mred\302\233')"
[ $rc -eq 0 ] && ok "session stop with dirty notes" || not_ok "stop" "$err"
dl --db "$DB" session status --json --session 1 >"$T/s.json" 2>/dev/null
dl --db "$DB" history --json >"$T/h.json" 2>/dev/null
clean "$T/s.json" && clean "$T/h.json" &&
	"$PY" -c 'import json,sys
o = json.load(open(sys.argv[1], "rb"))
assert o["notes"] == "a \ufffd  red", o["notes"]
json.load(open(sys.argv[2], "rb"))' "$T/s.json" "$T/h.json" &&
	ok "session notes stored sanitised (status --json, history --json)" ||
	not_ok "notes sanitised" "$(cat "$T/s.json")"

# ---- 2, 3. output is safe even for a database of an older version ----
"$PY" -c 'import sqlite3,sys
c = sqlite3.connect(sys.argv[1])
c.execute("UPDATE posts SET title = CAST(? AS TEXT), tags = ? WHERE id = ?",
          (b"old \x1b]0;PWNED\x07 \x1b[31mred \xff\xfe \x01x\xc2\x9b1mz",
           "[\"o\\u001b[1mk\"]", "so:7"))
c.execute("UPDATE session_events SET data = ? WHERE kind = ?",
          ("{\"outcome\":\"abandoned\",\"notes\":\"n \\u001b]0;X\\u0007 \\u0001 \\u009b1m.\"}",
           "stop"))
c.execute("UPDATE sessions SET notes = ?", ("n \x1b]0;X\x07 .",))
c.execute("INSERT INTO posts (id, source, site, external_id, num, title)"
          " VALUES (?, ?, ?, ?, 1, ?)",
          ("se:x\x1b[31m:1", "se", "x\x1b[31m", "1", "site"))
c.commit()' "$DB" && ok "older database simulated" || not_ok "simulate old db"
dl --db "$DB" list >"$T/lt.txt" 2>/dev/null
clean "$T/lt.txt" && grep -q 'old  red �� �x�1mz  \[ok\]$' "$T/lt.txt" &&
	grep -q '^se:x:1 ' "$T/lt.txt" &&
	ok "list: escapes dropped whole, controls and bad UTF-8 shown as U+FFFD" ||
	not_ok "list text" "$(grep so:7 "$T/lt.txt" | od -c | head -5)"
dl --db "$DB" list --json >"$T/l2.json" 2>/dev/null
jsonl "$T/l2.json" && clean "$T/l2.json" &&
	ok "list --json of an old database: valid and clean" ||
	not_ok "list --json old" "$(od -c "$T/l2.json" | head)"
dl --db "$DB" analyze --json 7 >"$T/a2.json" 2>/dev/null
jsonl "$T/a2.json" && clean "$T/a2.json" &&
	! grep -q 'u001b\|u0007\|u0001' "$T/a2.json" &&
	ok "analyze --json of an old database: the post is cleaned as read" ||
	not_ok "analyze --json old" "$(od -c "$T/a2.json" | head)"
dl --db "$DB" show 7 >"$T/sh.txt" 2>/dev/null
# show reads the post as analyze does, cleaned as a fresh import stores it
clean "$T/sh.txt" && grep -q '^so:7  old  red �� x1mz$' "$T/sh.txt" &&
	grep -q '^tags: ok$' "$T/sh.txt" &&
	ok "show: an old post's text as an import would store it" ||
	not_ok "show text" "$(head -3 "$T/sh.txt" | od -c | head)"
dl --db "$DB" export --format csv >"$T/x.csv" 2>/dev/null
clean "$T/x.csv" &&
	"$PY" -c 'import csv,sys
r = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
assert r[0]["title"] == "old  red \ufffd\ufffd x1mz", r[0]["title"]
assert r[0]["notes"] == "n   1m.", repr(r[0]["notes"])' "$T/x.csv" &&
	ok "export csv to stdout: no control bytes, valid UTF-8" ||
	not_ok "export csv" "$(od -c "$T/x.csv" | grep -m3 033)"
dl --db "$DB" export --format jsonl >"$T/x.jsonl" 2>/dev/null
jsonl "$T/x.jsonl" && clean "$T/x.jsonl" &&
	! grep -q 'u001b\|u0007\|u0001' "$T/x.jsonl" &&
	ok "export jsonl: clean strings, escapes dropped" ||
	not_ok "export jsonl" "$(cat "$T/x.jsonl")"
dl --db "$DB" session stop --outcome abandoned >/dev/null 2>&1
dl --db "$DB" session start 5 >/dev/null 2>&1
dl --db "$DB" session stop --outcome reproduced >/dev/null 2>&1
"$PY" -c 'import sqlite3,sys
c = sqlite3.connect(sys.argv[1])
c.execute("UPDATE session_events SET data = ? WHERE kind = ?",
          ("{\"outcome\":\"reproduced\",\"notes\":\"r \\u001b]0;X\\u0007 \\u009b1m.\"}",
           "stop"))
c.commit()' "$DB"
run dl --db "$DB" export --format replication --out "$T/rep"
cat "$T"/rep/*.csv >"$T/rep.all"
[ $rc -eq 0 ] && clean "$T/rep.all" && grep -q '^5,.*,r  1m\.,' "$T/rep.all" &&
	ok "export replication: notes without escapes" ||
	not_ok "export replication" "$rc $err $(cat "$T/rep.all")"

# ---- import-sessions sanitises what it stores ----
"$PY" - "$T/x.jsonl" "$T/dirty.jsonl" <<'PYEOF'
import json, sys
o = json.loads(open(sys.argv[1], "rb").readline())
o["uuid"] = "00000000-0000-4000-8000-000000000042"
o["post"] = "so:4242"
o["title"] = "imp \u001b]0;PWNED\u0007 \u009b1mt"
for e in o["events"]:
    if e["kind"] == "stop":
        e["data"]["notes"] = "in \u001b[31m\u0001x"
b = json.dumps(o).encode().replace(b"imp ", b"imp \xff ")
open(sys.argv[2], "wb").write(b + b"\n")
PYEOF
run dl --db "$T/i.db" import-sessions "$T/dirty.jsonl"
dl --db "$T/i.db" export --format jsonl >"$T/i.jsonl" 2>/dev/null
dl --db "$T/i.db" list --json >"$T/il.json" 2>/dev/null
[ $rc -eq 0 ] && clean "$T/i.jsonl" &&
	"$PY" -c 'import json,sys
o = json.loads(open(sys.argv[1], "rb").readline())
assert o["notes"] == "in x", o["notes"]
assert o["title"] == "imp \ufffd  1mt", o["title"]' "$T/i.jsonl" &&
	[ "$(field "$T/il.json" so:4242 title)" = "imp �  1mt" ] &&
	ok "import-sessions stores title and notes sanitised" ||
	not_ok "import-sessions sanitises" "$rc $err $(cat "$T/i.jsonl")"

# error lines quote inputs: they go through the sanitiser too
"$PY" - "$T/x.jsonl" "$T/evil-id.jsonl" <<'PYEOF'
import json, sys
o = json.loads(open(sys.argv[1], "rb").readline())
o["uuid"] = "00000000-0000-4000-8000-000000000043"
o["post"] = "bad\u001b]0;PWN\u0007id"
open(sys.argv[2], "w").write(json.dumps(o) + "\n")
PYEOF
run dl --db "$T/i.db" import-sessions "$T/evil-id.jsonl"
[ $rc -ne 0 ] && [ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] &&
	echo "$err" | grep -q "not a post id" &&
	printf '%s' "$err" | "$PY" -c 'import sys; b = sys.stdin.buffer.read(); sys.exit(1 if b"\x1b" in b or b"\x07" in b else 0)' &&
	ok "an error quoting a hostile id is one clean line" ||
	not_ok "hostile id in an error" "$(printf '%s' "$err" | od -c | head -3)"

# ---- 4. nothing may follow the JSON value ----
printf '{"question_id":17,"title":"a"}{"question_id":18,"title":"b"}' \
	>"$T/c.json"
run dl --db "$T/y.db" import "$T/c.json"
n=$(dl --db "$T/y.db" list --json 2>/dev/null | grep -c '"id"')
[ $rc -eq 1 ] && [ "$n" -eq 0 ] &&
	[ "$err" = "dlrepro: import $T/c.json: unexpected data after the JSON value at byte 30" ] &&
	ok "two values on one line: error naming the byte, nothing stored" ||
	not_ok "two values" "$rc $n $err"
printf '{"question_id":20,"title":"x"} trailing garbage\n' >"$T/g.json"
run dl --db "$T/y.db" import "$T/g.json"
[ $rc -eq 1 ] && echo "$err" | grep -q "g.json: unexpected data after the JSON value at byte 31$" &&
	ok "trailing garbage is an error" || not_ok "trailing garbage" "$rc $err"
printf '{\n "question_id": 21,\n "title": "p"\n}\n]\n' >"$T/p.json"
run dl --db "$T/y.db" import "$T/p.json"
[ $rc -eq 1 ] && echo "$err" | grep -q "p.json: unexpected data after the JSON value at byte 38$" &&
	ok "a pretty-printed document followed by more: error" ||
	not_ok "pretty + garbage" "$rc $err"
printf '{"question_id":22,"title":"a"}  \r\n\n{"question_id":23,"title":"b"}\t\n' \
	>"$T/ok.jsonl"
printf '{\n "question_id": 24,\n "title": "p"\n}\n\n  \n' >"$T/ok.json"
run dl --db "$T/w.db" import --no-analyze "$T/ok.jsonl" "$T/ok.json"
n=$(dl --db "$T/w.db" list --json 2>/dev/null | grep -c '"id"')
[ $rc -eq 0 ] && [ "$n" -eq 3 ] &&
	ok "JSON Lines and a document with trailing white space still import" ||
	not_ok "jsonl ok" "$rc $n $err"
head -n 1 "$T/x.jsonl" | tr -d '\n' >"$T/two.jsonl"
printf ' {}\n' >>"$T/two.jsonl"
run dl --db "$T/z.db" import-sessions "$T/two.jsonl"
[ $rc -eq 1 ] && echo "$err" | grep -q "two.jsonl:1: unexpected data after the JSON value at byte" &&
	ok "import-sessions: data after a line's value is an error" ||
	not_ok "import-sessions trailing" "$rc $err"

# ---- 5. import --site is checked as fetch --site is ----
for s in '' 'bad site!' "$(printf 'x\033[31m')" 'Upper'; do
	run dl --db "$T/s.db" import --site "$s" "$T/ok.json"
	[ $rc -eq 2 ] && echo "$err" | grep -q "not a Stack Exchange site name\|site must not be empty" &&
		ok "import --site '$(printf '%s' "$s" | tr -d '\033')' is a usage error" ||
		not_ok "import --site rejected" "$rc $err"
done
run dl --db "$T/s.db" list --json
[ -z "$out" ] && ok "a rejected --site stores nothing" || not_ok "site stored" "$out"
run dl --db "$T/s.db" import --no-analyze --site askubuntu "$T/ok.json"
run dl --db "$T/s.db" list --json
[ $rc -eq 0 ] && echo "$out" | grep -q '"id":"se:askubuntu:24"' &&
	ok "a valid --site still works" || not_ok "valid site" "$rc $out $err"
run dl --db "$T/f.db" fetch --site 'bad site!' 1
[ $rc -eq 2 ] && echo "$err" | grep -q "not a Stack Exchange site name" &&
	ok "fetch --site gives the same message" || not_ok "fetch --site" "$rc $err"

# ---- 6. an empty file is an error for import-sessions too ----
: >"$T/empty.jsonl"
printf '\n  \n' >"$T/blank.jsonl"
run dl --db "$T/e.db" import-sessions "$T/empty.jsonl"
[ $rc -eq 1 ] && echo "$err" | grep -q "empty.jsonl: empty file (no JSON)" &&
	ok "import-sessions rejects an empty file" || not_ok "empty" "$rc $err"
run dl --db "$T/e.db" import-sessions "$T/blank.jsonl"
[ $rc -eq 1 ] && echo "$err" | grep -q "blank.jsonl: empty file (no JSON)" &&
	ok "import-sessions rejects a blank file" || not_ok "blank" "$rc $err"
run dl --db "$T/e.db" import "$T/empty.jsonl"
[ $rc -eq 1 ] && echo "$err" | grep -q "empty.jsonl: empty file (no JSON)" &&
	ok "import rejects it with the same message" || not_ok "import empty" "$rc $err"

done_testing
