#!/bin/sh
# study.sh - a user study's records moving between machines and tools:
# a session corrected after it was merged elsewhere reaches the other
# store on the next merge (and two stores that corrected it differently
# are told, not silently kept apart); `session status` shows what an
# adjusted interval was; the replication export refuses `--out -`.
. "${TOP_SRCDIR:-.}/tests/lib.sh"
tmpdir
FX="$TOP_SRCDIR/tests/fixtures"
A="$T/a.db"
B="$T/b.db"
PY=${PYTHON3:-python3}
T0=1700000000
plan 13

at() { DLREPRO_TEST_NOW=$(($T0 + $1)); export DLREPRO_TEST_NOW; }
active() {	# DB ID: the session's active seconds, as JSON says
	dl --db "$1" session status --json --session "$2" |
		"$PY" -c 'import json,sys; print(json.load(sys.stdin)["active_seconds"])'
}
dump() {
	"$PY" -c 'import sqlite3,sys
c = sqlite3.connect(sys.argv[1])
for l in c.iterdump(): print(l)' "$1" > "$2"
}

dl --db "$A" import --no-analyze "$FX/session_posts.json" 2>/dev/null
dl --db "$B" import --no-analyze "$FX/session_posts.json" 2>/dev/null
at 0; dl --db "$A" session start 55328966 --type training >/dev/null
at 600; dl --db "$A" session tick logging >/dev/null
at 3600; dl --db "$A" session stop --outcome reproduced >/dev/null
at 4000; dl --db "$A" session start 59278771 --type tensor >/dev/null
at 4600; dl --db "$A" session stop --outcome abandoned >/dev/null
dl --db "$A" export --format jsonl --out "$T/e1.jsonl" 2>/dev/null
dl --db "$B" import-sessions "$T/e1.jsonl" 2>/dev/null

# On A the researcher finds the forgotten lunch break and a wrong mark.
at 5000
dl --db "$A" session adjust --session 1 --minus 55m >/dev/null &&
	dl --db "$A" session info --session 2 --missing data >/dev/null &&
	ok "session 1 adjusted and session 2 corrected after the merge" ||
	not_ok "adjust and info on stopped sessions"
dl --db "$A" export --format jsonl --out "$T/e2.jsonl" 2>/dev/null
run dl --db "$B" import-sessions "$T/e2.jsonl"
case $rc:$err in
0:*"imported 0 sessions, 0 already here"*"2 updated"*)
	ok "the merge says both sessions took later steps" ;;
*) not_ok "import-sessions reports the update" "rc=$rc" "$err" ;;
esac
[ "$(active "$B" 1)" = "$(active "$A" 1)" ] && [ "$(active "$B" 1)" = 300 ] &&
	ok "the adjusted time reached the other store (300 s)" ||
	not_ok "active time after the merge" "A=$(active "$A" 1) B=$(active "$B" 1)"
dl --db "$A" export --format csv --out "$T/a.csv" 2>/dev/null
dl --db "$B" export --format csv --out "$T/b.csv" 2>/dev/null
cmp -s "$T/a.csv" "$T/b.csv" &&
	ok "both stores export the same CSV (the info correction too)" ||
	not_ok "CSV after the merge" "$(diff "$T/a.csv" "$T/b.csv" | head -6)"
dl --db "$A" export --format jsonl --out "$T/a.jsonl" 2>/dev/null
dl --db "$B" export --format jsonl --out "$T/b.jsonl" 2>/dev/null
cmp -s "$T/a.jsonl" "$T/b.jsonl" &&
	ok "and the same event logs" ||
	not_ok "JSON Lines after the merge" "$(diff "$T/a.jsonl" "$T/b.jsonl" | head -4)"
dump "$B" "$T/b1.sql"
run dl --db "$B" import-sessions "$T/e2.jsonl" "$T/e1.jsonl"
dump "$B" "$T/b2.sql"
case $rc:$err in
0:*"imported 0 sessions, 4 already here"*) ok "merging again changes nothing" ;;
*) not_ok "second merge" "rc=$rc" "$err" ;;
esac
cmp -s "$T/b1.sql" "$T/b2.sql" && ok "the database is as it was" ||
	not_ok "database changed by a repeated merge"

# Both stores correct session 1, each its own way: B keeps its own and
# says which session differs.
at 6000
dl --db "$B" session adjust --session 1 --minus 1m >/dev/null
dl --db "$A" session adjust --session 1 --minus 2m >/dev/null
dl --db "$A" export --format jsonl --out "$T/e3.jsonl" 2>/dev/null
dump "$B" "$T/b3.sql"
run dl --db "$B" import-sessions "$T/e3.jsonl"
dump "$B" "$T/b4.sql"
uuid=$(dl --db "$A" session status --json --session 1 |
	"$PY" -c 'import json,sys; print(json.load(sys.stdin)["uuid"])')
case $rc:$err in
0:*"$uuid"*"so:55328966"*"kept as it is here"*"1 differing"*)
	ok "a session changed on both sides is named, kept as here" ;;
*) not_ok "diverged session" "rc=$rc" "$err" ;;
esac
cmp -s "$T/b3.sql" "$T/b4.sql" && [ "$(active "$B" 1)" = 240 ] &&
	ok "and left untouched" || not_ok "diverged session changed"

# status shows the original end of an adjusted interval (the README says so)
run dl --db "$A" session status --session 1
case $out in
*"interval  1  2023-11-14T22:13:20.000Z .. 2023-11-14T22:16:20.000Z  (adjusted, was 2023-11-14T23:13:20.000Z)"*)
	ok "status: an adjusted interval with its original end" ;;
*) not_ok "status of an adjusted interval" "$out" ;;
esac

# replication: `-` is no folder
cd "$T" || exit 1
run dl --db "$A" export --format replication --out -
[ $rc -eq 2 ] && [ ! -e "$T/-" ] && case $err in
	*"--out takes a folder, not -"*) true ;; *) false ;; esac &&
	ok "export --format replication --out - is refused, nothing written" ||
	not_ok "replication to -" "rc=$rc" "$err" "$(ls "$T")"
run dl --db "$A" export --format replication --out ./-
[ $rc -eq 0 ] && [ -f "$T/-/Dataset_EditActions.csv" ] &&
	ok "a folder really named - is written as ./-" ||
	not_ok "replication to ./-" "rc=$rc" "$err"

# A pasted report has no tags: the framework at stop is the one its
# analysis found in the text (a Keras report here).
FW="$T/fw.db"
printf 'My keras model.fit() gives loss: 0.6932 - acc: 0.5000 every epoch.\n' \
	>"$T/keras.txt"
id=$(dl --db "$FW" import --quiet --report "$T/keras.txt")
dl --db "$FW" session start "$id" >/dev/null &&
	dl --db "$FW" session stop --outcome reproduced >/dev/null
fw=$(dl --db "$FW" export --format csv |
	"$PYTHON3" -c 'import csv, sys; print(next(csv.DictReader(sys.stdin))["framework"])')
check_eq() { [ "$2" = "$3" ] && ok "$1" || not_ok "$1" "want '$3', got '$2'"; }
check_eq "a report's framework comes from its analysis" "$fw" "TF + Keras"
done_testing
