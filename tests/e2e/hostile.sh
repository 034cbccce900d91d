#!/bin/sh
# hostile.sh - the command line against hostile arguments, files and
# environments: no control byte of an argument reaches the terminal, no
# input makes it hang or grow without bound, a failed write is a failure.
. "$TOP_SRCDIR/tests/lib.sh"
tmpdir

DB="$T/h.db"
dl --db "$DB" import --quiet "$TOP_SRCDIR/tests/fixtures/posts.json"

check_eq() {
	if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1" "want '$3', got '$2'"; fi
}

# no_ctl NAME FILE: passes when FILE holds no C0 control but newline and
# no C1 control (an escape sequence, a bell, a title change).
no_ctl() {
	if LC_ALL=C grep -q "$(printf '[\001-\011\013-\037\177]')" "$2" ||
		"$PYTHON3" -c 'import sys
s = open(sys.argv[1], "rb").read().decode("utf-8", "replace")
sys.exit(not any(0x80 <= ord(c) <= 0x9f for c in s))' "$2"; then
		not_ok "$1" "$(od -c "$2" | head -5)"
	else
		ok "$1"
	fi
}

# An unknown command or option is quoted in the error: sanitised, one
# line, a usage error.
esc=$(printf '\033]0;owned\007\033[2J')
for what in command option help; do
	case $what in
	command) set -- "${esc}cmd" ;;
	option) set -- "--${esc}x" ;;
	help) set -- help "${esc}x" ;;
	esac
	dl --db "$DB" "$@" >"$T/out" 2>"$T/err"
	rc=$?
	no_ctl "an unknown $what: no escape reaches stderr" "$T/err"
	check_eq "an unknown $what: usage error, one line" \
		"$rc $(wc -l <"$T/err")" "2 1"
done

# Standard output that cannot be written (a full disk, a closed stdout)
# is a failure named once, not exit 0 with the output lost.
dl --db "$DB" session start so:111 >/dev/null
dl --db "$DB" session stop --outcome reproduced >/dev/null
if [ -w /dev/full ]; then
	for c in "list" "export --format csv" "--version"; do
		# shellcheck disable=SC2086
		dl --db "$DB" $c >/dev/full 2>"$T/err"
		check_eq "$c >/dev/full: exit 1, one line" \
			"$? $(wc -l <"$T/err")" "1 1"
	done
	grep -q "standard output: write failed: No space left" "$T/err" &&
		ok "the line names standard output and why" ||
		not_ok "the line names standard output and why" "$(cat "$T/err")"
else
	skip "list >/dev/full" "no /dev/full"
fi
# With SIGPIPE ignored, a reader that leaves early is no error to print
# (the output, 2,000 posts, outgrows the pipe's buffer).
"$PYTHON3" -c 'import json
for i in range(2000):
    print(json.dumps({"question_id": 500000 + i, "title": "post %d" % i}))' >"$T/many.jsonl"
dl --db "$T/many.db" import --quiet --no-analyze "$T/many.jsonl"
(trap '' PIPE; dl --db "$T/many.db" list 2>"$T/err" | head -c 1 >/dev/null)
check_eq "a closed pipe (SIGPIPE ignored): no message" "$(cat "$T/err")" ""
dl --db "$DB" history >&- 2>"$T/err"
check_eq "history with stdout closed: exit 1, one line" \
	"$? $(wc -l <"$T/err")" "1 1"

# Endless input: /dev/zero is refused at its first bytes (NUL), not read
# until memory runs out; an endless line stops at a bound.
sum=$(cksum <"$DB")
for c in "import" "import --report" "analyze --file" "import-sessions"; do
	# shellcheck disable=SC2086
	timeout 60 "$DLREPRO_BIN" --db "$DB" $c /dev/zero >/dev/null 2>"$T/err"
	rc=$?
	if [ $rc -eq 1 ] && [ "$(wc -l <"$T/err")" -eq 1 ] &&
		grep -q "NUL byte" "$T/err"; then
		ok "$c /dev/zero: refused at once"
	else
		not_ok "$c /dev/zero: refused at once" "exit $rc" "$(head -c 300 "$T/err")"
	fi
done
head -c 70000000 /dev/zero | tr '\0' x |
	timeout 60 "$DLREPRO_BIN" --db "$DB" analyze --file - >/dev/null 2>"$T/err"
rc=$?
[ $rc -eq 1 ] && grep -q "larger than 64 MiB" "$T/err" &&
	ok "a report read whole stops at 64 MiB" ||
	not_ok "a report read whole stops at 64 MiB" "exit $rc" "$(head -c 300 "$T/err")"
head -c 70000000 /dev/zero | tr '\0' x |
	timeout 60 "$DLREPRO_BIN" --db "$DB" import-sessions - >/dev/null 2>"$T/err"
rc=$?
[ $rc -eq 1 ] && grep -q "longer than 64 MiB" "$T/err" &&
	ok "import-sessions stops an endless line at 64 MiB" ||
	not_ok "import-sessions stops an endless line at 64 MiB" "exit $rc" "$(head -c 300 "$T/err")"
check_eq "and nothing changed" "$(cksum <"$DB")" "$sum"

# Bidi overrides (U+202E and kin) reorder text on a terminal that does
# bidi: dropped from what is stored and from what is printed, also when
# an older version stored them.
rlo=$(printf '\342\200\256')
printf '# Report %sgnp.exe\n\nbody %sreversed and\n' "$rlo" "$rlo" >"$T/bidi.md"
bid=$(dl --db "$DB" import --quiet --report --tags "a${rlo}b" "$T/bidi.md")
"$PYTHON3" -c 'import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.execute("UPDATE posts SET title = ? WHERE id = ?", ("old \u202eraw", "so:112"))
c.commit()' "$DB"
for c in "list" "show $bid" "analyze $bid" "show so:112" "list --json"; do
	# shellcheck disable=SC2086
	dl --db "$DB" $c >"$T/out" 2>&1
	if grep -q "$rlo" "$T/out"; then
		not_ok "$c: no bidi override printed" "$(grep "$rlo" "$T/out" | head -3)"
	else
		ok "$c: no bidi override printed"
	fi
done
dl --db "$DB" list | grep -q "Report gnp.exe" &&
	ok "the text around it stays" || not_ok "the text around it stays"

# File names are quoted as safely as post text: analyze --file's id, the
# line export writes; an empty --out is a usage error.
evil=$(printf 'evil\033]0;T\007.md')
printf '# t\n\nbody\n' >"$T/$evil"
(cd "$T" && dl --db "$DB" analyze --file "$evil") >"$T/out" 2>&1
no_ctl "analyze --file: the file's name is printed inert" "$T/out"
(cd "$T" && dl --db "$DB" analyze --json --file "$evil") >"$T/out" 2>&1
if grep -q 'u001b\|u0007' "$T/out"; then
	not_ok "analyze --json --file: no control in the id" "$(head -c 200 "$T/out")"
else
	ok "analyze --json --file: no control in the id"
fi
(cd "$T" && dl --db "$DB" export --format csv --out "$evil.csv") >"$T/out" 2>&1
no_ctl "export --out: the path is printed inert" "$T/out"
(cd "$T" && dl --db "$DB" export --format replication --out "$evil.d") >"$T/out" 2>&1
no_ctl "export --format replication: the path is printed inert" "$T/out"
dl --db "$DB" export --format csv --out= >"$T/out" 2>&1
check_eq "export --out '': a usage error, one line" "$? $(wc -l <"$T/out")" "2 1"
dl --db "$DB" export --format replication --out '' >"$T/out" 2>&1
check_eq "export --format replication --out '': a usage error" "$?" 2

# --db on a FIFO or a device: named as such, nothing written to it
mkfifo "$T/fifo"
run dl --db "$T/fifo" list
check_eq "--db on a FIFO: exit 1" "$rc" 1
check_eq "--db on a FIFO: named, one line" "$err" \
	"dlrepro: $T/fifo: not a regular file (a database is one)"
run dl --db /dev/null list
check_eq "--db /dev/null: not a regular file" "$err" \
	"dlrepro: /dev/null: not a regular file (a database is one)"

plan "$TAP_N"
done_testing
