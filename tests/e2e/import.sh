#!/bin/sh
# import.sh - end-to-end tests of import, list, delete and the CLI skeleton.
. "${TOP_SRCDIR:-.}/tests/lib.sh"
tmpdir
FX="$TOP_SRCDIR/tests/fixtures"
DB="$T/t.db"
plan 38

run dl --version
[ $rc -eq 0 ] && case $out in "dlrepro "*) true ;; *) false ;; esac &&
	ok "--version" || not_ok "--version" "$out"
run dl --help
[ $rc -eq 0 ] && echo "$out" | grep -q "import" && ok "--help lists commands" ||
	not_ok "--help lists commands"
run dl --db "$T/help.db" analyze --json --help
[ $rc -eq 0 ] && [ -z "$err" ] &&
	echo "$out" | grep -q "^usage: dlrepro analyze \[--json\]" &&
	echo "$out" | grep -q "^       dlrepro analyze .*--file FILE" &&
	ok "COMMAND --help prints its usage on stdout" ||
	not_ok "COMMAND --help" "$rc $out $err"
[ ! -e "$T/help.db" ] && ok "--help opens no database" ||
	not_ok "--help opened the database"
run dl help session
[ $rc -eq 0 ] && echo "$out" | grep -q "^       dlrepro session tick ACTION$" &&
	ok "help COMMAND: one line per alternative" ||
	not_ok "help session" "$rc $out"
run dl help frobnicate
[ $rc -eq 2 ] && echo "$err" | grep -q "unknown command 'frobnicate'" &&
	ok "help of an unknown command is a usage error" ||
	not_ok "help unknown" "$rc $err"
run dl frobnicate
[ $rc -eq 2 ] && echo "$err" | grep -q "unknown command 'frobnicate'" &&
	ok "unknown command is a usage error (2)" || not_ok "unknown command" "$rc $err"
run dl --db "$DB" list --bogus
[ $rc -eq 2 ] && ok "unknown option is a usage error" || not_ok "unknown option" "$rc"

run dl --db "$DB" list --json
[ $rc -eq 0 ] && [ -z "$out" ] && ok "a new database is empty" ||
	not_ok "new database empty" "$out"

run dl --db "$DB" import "$FX/posts.json"
[ $rc -eq 0 ] && ok "import a wrapper" || not_ok "import wrapper" "$err"
run dl list --json --db "$DB"
n=$(printf '%s\n' "$out" | grep -c '"id"')
[ "$n" -eq 3 ] && ok "list shows 3 posts (--db after the subcommand)" ||
	not_ok "list 3 posts" "$out"
printf '%s\n' "$out" | grep -q "\"title\":\"CUDA doesn't see my \\\\\"GPU\\\\\"\"" &&
	ok "titles are entity-decoded once" || not_ok "title decoded" "$out"
printf '%s\n' "$out" | "$PYTHON3" -c 'import sys,json; [json.loads(l) for l in sys.stdin]' &&
	ok "list --json is JSON Lines" || not_ok "list --json parses"

run dl --db "$DB" import "$FX/posts.json"
run dl --db "$DB" list --json
n=$(printf '%s\n' "$out" | grep -c '"id"')
[ "$n" -eq 3 ] && ok "re-import is idempotent" || not_ok "idempotent" "$n"
printf '%s\n' "$out" | grep -q '"id":"so:111".*"type":"gpu"' &&
	ok "import analyses the posts (type shown by list)" || not_ok "import analyses" "$out"
run dl --db "$T/na.db" import --no-analyze "$FX/posts.json"
run dl --db "$T/na.db" list --json
printf '%s\n' "$out" | grep -q '"type":null' &&
	ok "--no-analyze leaves the analysis for later" || not_ok "--no-analyze" "$out"

run dl --db "$DB" import "$FX/posts.jsonl"
run dl --db "$DB" list --json
n=$(printf '%s\n' "$out" | grep -c '"id"')
[ "$n" -eq 6 ] && ok "JSON Lines import" || not_ok "jsonl import" "$n"

cp "$DB" "$T/before.db"
sum_before=$(cksum < "$DB")
for bad in truncated.json wrongtype.json empty.json; do
	run dl --db "$DB" import "$FX/posts.json" "$FX/$bad"
	lines=$(printf '%s\n' "$err" | grep -c .)
	if [ $rc -eq 1 ] && [ "$lines" -eq 1 ] &&
	    printf '%s' "$err" | grep -q "$bad" &&
	    [ "$(cksum < "$DB")" = "$sum_before" ]; then
		ok "malformed $bad: one-line error naming the file, db unchanged"
	else
		not_ok "malformed $bad" "rc=$rc" "$err"
	fi
done
run dl --db "$DB" import "$T/does-not-exist.json"
[ $rc -eq 1 ] && echo "$err" | grep -q "does-not-exist.json" &&
	ok "missing file named" || not_ok "missing file" "$err"

run dl --db "$DB" list --limit 2 --json
[ "$(printf '%s\n' "$out" | grep -c '"id"')" -eq 2 ] && ok "--limit" || not_ok "--limit"
run dl --db "$DB" list --limit 0
[ $rc -eq 2 ] && ok "--limit 0 is a usage error" || not_ok "--limit 0" "$rc"
run dl --db "$DB" list --json --search cuda
[ "$(printf '%s\n' "$out" | grep -c '"id"')" -eq 1 ] && ok "full-text search" ||
	not_ok "search" "$out"
# text that is no FTS5 query is searched word by word, as the dashboard does
run dl --db "$DB" list --search '"unbalanced'
[ $rc -eq 0 ] && [ -z "$err" ] &&
	ok "an unbalanced quote is searched as a word, no error" || not_ok "bad search" "$rc $err"
run dl --db "$DB" list --json --search 'cuda:0 OR'
[ $rc -eq 0 ] && [ -z "$err" ] &&
	ok "query syntax in plain text (cuda:0 OR) is searched word by word" ||
	not_ok "syntax as words" "$rc $err"
# ... keeping AND, OR and NOT between two words: a query that mixes
# them with such text finds what it says, not nothing
run dl --db "$DB" list --json --search 'torch.cuda OR nan:'
[ $rc -eq 0 ] && [ "$(printf '%s\n' "$out" | grep -c '"id"')" -eq 2 ] &&
	ok "tf.keras OR c++: words quoted, the operator kept" ||
	not_ok "operator kept" "$rc [$out] [$err]"
run dl --db "$DB" list --search '  '
[ $rc -eq 1 ] && echo "$err" | grep -q "is not a valid search" &&
	ok "a search with no word at all is a one-line error" || not_ok "no word" "$rc $err"

run dl --db "$DB" delete 111 so:112 https://stackoverflow.com/questions/111/x
[ $rc -eq 0 ] && [ "$err" = "dlrepro: deleted 2 posts" ] &&
	ok "delete by bare number, so: id and link, each post once" ||
	not_ok "delete" "$rc $err"
run dl --db "$DB" delete 111
[ $rc -eq 1 ] && echo "$err" | grep -q "so:111" && ok "deleting a missing post names it" ||
	not_ok "delete missing" "$err"
run dl --db "$DB" delete not-an-id
[ $rc -eq 2 ] && ok "delete with a bad id is a usage error" || not_ok "bad id" "$rc"

mkdir -p "$T/newer"
run dl --db "$T/newer/x.db" list
sqlite3 "$T/newer/x.db" "PRAGMA user_version = 999" 2>/dev/null ||
	"$PYTHON3" -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('PRAGMA user_version = 999'); c.commit()" "$T/newer/x.db"
run dl --db "$T/newer/x.db" list
[ $rc -eq 1 ] && echo "$err" | grep -q "newer" && ok "newer schema refused" ||
	not_ok "newer schema" "$err"

run dl --demo list --json
[ $rc -eq 0 ] && [ "$(printf '%s\n' "$out" | grep -c '"id"')" -ge 12 ] &&
	ok "--demo lists the demo posts" || not_ok "--demo" "$err"
[ ! -e "$XDG_DATA_HOME/dlrepro/dlrepro.db" ] && ok "--demo leaves the user's database alone" ||
	not_ok "--demo touched the default db"
# Demos killed before they could clean up are swept by the next one.
TD="$T/tmpdir"
mkdir -p "$TD/dlrepro-demo-stale1" "$TD/dlrepro-demo-alive1" \
	"$TD/dlrepro-demo-oldold" "$TD/dlrepro-demo-fresh1" "$TD/elsewhere"
: >"$TD/dlrepro-demo-stale1/lock"
: >"$TD/dlrepro-demo-stale1/demo.db"
: >"$TD/dlrepro-demo-alive1/lock"
: >"$TD/dlrepro-demo-oldold/demo.db"
touch -d '2 days ago' "$TD/dlrepro-demo-oldold"
# killed between creating its lock and renaming it into place
mkdir -p "$TD/dlrepro-demo-halfwy"
: >"$TD/dlrepro-demo-halfwy/lock.new"
touch -d '2 days ago' "$TD/dlrepro-demo-halfwy"
: >"$TD/elsewhere/lock"
ln -s "$TD/elsewhere" "$TD/dlrepro-demo-linkto"
"$PYTHON3" -c '
import fcntl, os, sys, time
fd = os.open(sys.argv[1], os.O_RDWR)
fcntl.flock(fd, fcntl.LOCK_EX)
open(sys.argv[2], "w").close()
time.sleep(30)' "$TD/dlrepro-demo-alive1/lock" "$T/locked" &
lockpid=$!
n=0
while [ ! -e "$T/locked" ] && [ $n -lt 100 ]; do sleep 0.05; n=$((n + 1)); done
run env TMPDIR="$TD" "$DLREPRO_BIN" --demo list --json
kill $lockpid 2>/dev/null
left=$(cd "$TD" && ls -d dlrepro-demo-* elsewhere/lock 2>/dev/null | tr '\n' ' ')
[ $rc -eq 0 ] &&
	[ "$left" = "dlrepro-demo-alive1 dlrepro-demo-fresh1 dlrepro-demo-linkto elsewhere/lock " ] &&
	ok "--demo sweeps dead demos' folders, not live ones, links or new ones" ||
	not_ok "demo sweep" "$rc [$left] $err"
# A TMPDIR longer than a fixed buffer: the demo runs there, and sweeps;
# one longer than SQLite's paths (512 bytes) is still swept.
TL="$T"
while [ ${#TL} -lt 300 ]; do TL="$TL/a-rather-long-folder-name"; done
mkdir -p "$TL/dlrepro-demo-stale2"
: >"$TL/dlrepro-demo-stale2/lock"
run env TMPDIR="$TL" "$DLREPRO_BIN" --demo list --json
left=$(cd "$TL" && ls -A | tr '\n' ' ')
[ $rc -eq 0 ] && [ -z "$left" ] &&
	ok "--demo works and sweeps in a long TMPDIR" ||
	not_ok "long TMPDIR" "$rc [$left] $err"
while [ ${#TL} -lt 600 ]; do TL="$TL/a-rather-long-folder-name"; done
mkdir -p "$TL/dlrepro-demo-stale3"
: >"$TL/dlrepro-demo-stale3/lock"
run env TMPDIR="$TL" "$DLREPRO_BIN" --demo list --json
left=$(cd "$TL" && ls -A | tr '\n' ' ')
[ -z "$left" ] && ok "--demo sweeps in a TMPDIR too long for a database" ||
	not_ok "longer TMPDIR" "$rc [$left] $err"

run dl --demo --db "$T/demo-db.db" list
[ $rc -eq 2 ] && [ ! -e "$T/demo-db.db" ] && echo "$err" | grep -q "drop --db or --demo" &&
	ok "--demo with --db is a usage error, creating nothing" ||
	not_ok "--demo --db" "$rc $err"
done_testing
