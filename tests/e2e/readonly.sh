#!/bin/sh
# readonly.sh - a database the user may read but not write (a shared
# study database, a read-only mount): the reading commands work, even in
# a directory that cannot hold SQLite's -shm file, and a writing command
# fails in one line and changes nothing.  Permissions do not bind root,
# so as root the commands run as `nobody` through runuser.  Then a full
# disk (DLREPRO_TEST_MAX_PAGES caps the file): an import that does not fit
# fails in one line and stores nothing.
. "$TOP_SRCDIR/tests/lib.sh"
tmpdir

if [ "$(id -u)" -eq 0 ]; then
	if ! command -v runuser >/dev/null 2>&1 || ! id nobody >/dev/null 2>&1; then
		plan_skip "running as root without runuser or a nobody user to drop to"
	fi
	as_reader() { runuser -u nobody -- "$@"; }
else
	as_reader() { "$@"; }
fi
plan 12

bin=$(cd "$(dirname "$DLREPRO_BIN")" && pwd)/$(basename "$DLREPRO_BIN")
D="$T/shared"
mkdir -p "$D"
DB="$D/study.db"
dl --db "$DB" import --quiet "$TOP_SRCDIR/data/demo/posts.json"
DLREPRO_TEST_NOW=1800000000 dl --db "$DB" session start 9000000001 >/dev/null
DLREPRO_TEST_NOW=1800000600 dl --db "$DB" session stop --outcome reproduced >/dev/null
# a reader may enter the temporary directory, but write nothing there
chmod 755 "$T" "$HOME"
chmod 555 "$D"
chmod 444 "$DB"
sum=$(cksum <"$DB")

r() {	# r ARGS...: the command as the reader; sets rc, out, err
	out=$(as_reader env HOME="$HOME" DLREPRO_DATADIR="$DLREPRO_DATADIR" \
		"$bin" --db "$DB" "$@" 2>"$T/err")
	rc=$?
	err=$(cat "$T/err")
}

r list --json
[ $rc -eq 0 ] && [ "$(printf '%s\n' "$out" | grep -c '"id"')" -eq 16 ] &&
	ok "list reads a read-only database in a read-only directory" ||
	not_ok "list" "$rc $err"
r show 9000000001
[ $rc -eq 0 ] && printf '%s\n' "$out" | grep -q "^so:9000000001  " &&
	ok "show reads it" || not_ok "show" "$rc $err"
r history --json
[ $rc -eq 0 ] && printf '%s' "$out" | grep -q '"outcome":"reproduced"' &&
	ok "history reads it" || not_ok "history" "$rc $err"
r stats
[ $rc -eq 0 ] && printf '%s\n' "$out" | grep -q "1 reproduced" &&
	ok "stats reads it" || not_ok "stats" "$rc $err"
r export --format csv
[ $rc -eq 0 ] && [ "$(printf '%s\n' "$out" | wc -l)" -eq 2 ] &&
	ok "export reads it" || not_ok "export" "$rc $err"
r analyze --json 9000000002
[ $rc -eq 0 ] && printf '%s' "$out" | grep -q '"id":"so:9000000002"' &&
	ok "analyze answers without storing" || not_ok "analyze" "$rc $err"
r session start 9000000002
[ $rc -eq 1 ] && [ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] &&
	echo "$err" | grep -q "readonly database" &&
	ok "a session start fails in one line naming the cause" ||
	not_ok "session start" "$rc $err"
r delete 9000000002
[ $rc -eq 1 ] && [ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] &&
	ok "a delete fails in one line" || not_ok "delete" "$rc $err"
# a write-ahead log left by a writer that died: not read past
W="$T/walled"
mkdir -p "$W"
cp "$DB" "$W/w.db"
chmod 644 "$W/w.db"
"$PYTHON3" -c '
import os, sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.execute("PRAGMA journal_mode = WAL")
c.execute("UPDATE posts SET title = ? WHERE id = ?", ("NEW TITLE", "so:9000000001"))
c.commit()
os._exit(0)	# no checkpoint: the change lives in w.db-wal only
' "$W/w.db"
rm -f "$W/w.db-shm"
chmod 444 "$W/w.db" "$W/w.db-wal"
chmod 555 "$W"
out=$(as_reader env HOME="$HOME" DLREPRO_DATADIR="$DLREPRO_DATADIR" \
	"$bin" --db "$W/w.db" list 2>"$T/err")
rc=$?
err=$(cat "$T/err")
chmod 755 "$W"
[ $rc -eq 1 ] && [ -z "$out" ] && echo "$err" | grep -q "write-ahead log is pending" &&
	ok "a pending write-ahead log in a read-only directory is refused, not skipped" ||
	not_ok "pending WAL" "$rc $err $out"
chmod 755 "$D"
[ "$(cksum <"$DB")" = "$sum" ] && [ ! -e "$DB-wal" ] && [ ! -e "$DB-shm" ] &&
	ok "the database is byte for byte as it was" ||
	not_ok "database changed"
chmod 644 "$DB"

F="$T/full.db"
dl --db "$F" list >/dev/null
DLREPRO_TEST_MAX_PAGES=45 run dl --db "$F" import "$TOP_SRCDIR/data/demo/posts.json"
[ $rc -eq 1 ] && [ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] &&
	echo "$err" | grep -q "database or disk is full" &&
	ok "a full disk: the import fails in one line" || not_ok "full import" "$rc $err"
[ "$(dl --db "$F" list | wc -l)" -eq 0 ] &&
	ok "a full disk: nothing of the import is stored" ||
	not_ok "full import stored" "$(dl --db "$F" list | wc -l)"
done_testing
