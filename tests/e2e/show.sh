#!/bin/sh
# show.sh - `dlrepro show`: a stored post as safe text, the accepted
# answer only on request.
. "${TOP_SRCDIR:-.}/tests/lib.sh"
tmpdir
DB="$T/t.db"
plan 16

printf '%s\n' '{"question_id": 501, "title": "Evil \u001b]0;pwned\u0007 title", "tags": ["pytorch"], "accepted_answer_id": 9, "body": "<p>Shape is <code>(3, 4)</code> and \u001b[31mred\u001b[0m</p><pre><code>x = torch.zeros(3, 4)\nprint(x.shape)\n</code></pre>"}' > "$T/p.jsonl"
dl --db "$DB" import --quiet "$T/p.jsonl"
run dl --db "$DB" show 501
[ $rc -eq 0 ] && echo "$out" | grep -q "x = torch.zeros(3, 4)" && ok "body as text, code verbatim" ||
	not_ok "show body" "$out" "$err"
printf '%s' "$out" | od -c | grep -q '033' && not_ok "no ESC reaches the terminal" ||
	ok "no ESC reaches the terminal"
printf '%s' "$out" | od -c | grep -q '  \\a' && not_ok "no BEL reaches the terminal" ||
	ok "no BEL reaches the terminal"
run dl --db "$DB" show --answer 501
[ $rc -eq 1 ] && echo "$err" | grep -q "no accepted answer stored" && ok "--answer without a stored answer says how to get it" ||
	not_ok "--answer missing" "$err"
"$PYTHON3" -c "
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.execute(\"INSERT INTO answers (post_id, answer_id, body, is_accepted) VALUES ('so:501', 9, '<p>Call <code>model.eval()</code> first.</p>', 1)\")
c.commit()" "$DB"
run dl --db "$DB" show 501
echo "$out" | grep -q "model.eval" && not_ok "the answer is hidden unless asked for" ||
	ok "the answer is hidden unless asked for"
run dl --db "$DB" show --answer 501
[ $rc -eq 0 ] && echo "$out" | grep -q "Call model.eval() first." && ok "--answer shows it" ||
	not_ok "--answer" "$out" "$err"
run dl --db "$DB" show 404
[ $rc -eq 1 ] && echo "$err" | grep -q "so:404" && ok "a missing post is named" || not_ok "missing" "$err"
# a question or issue link stands for its id wherever a post id is read
run dl --db "$DB" show https://stackoverflow.com/questions/501/evil-title
[ $rc -eq 0 ] && echo "$out" | grep -q "x = torch.zeros(3, 4)" &&
	ok "show takes a question link" || not_ok "show link" "$rc $err"
run dl --db "$DB" analyze --json https://stackoverflow.com/q/501
[ $rc -eq 0 ] && echo "$out" | grep -q '"id":"so:501"' &&
	ok "analyze takes a short question link" || not_ok "analyze link" "$rc $err"
run dl --db "$DB" show HTTPS://StackOverflow.com/q/501
[ $rc -eq 0 ] && echo "$out" | grep -q "x = torch.zeros(3, 4)" &&
	ok "a link's scheme and host are case-blind" || not_ok "uppercase link" "$rc $err"
run dl --db "$DB" show https://example.com/questions/501
[ $rc -eq 2 ] && [ -z "$out" ] &&
	echo "$err" | grep -q "'https://example.com/questions/501' is not a Stack Exchange or GitHub URL" &&
	ok "a foreign link is a one-line usage error" || not_ok "foreign link" "$rc $err"
run dl --db "$DB" show https://github.com/keras-team/keras/issues/77
[ $rc -eq 1 ] && echo "$err" | grep -q "gh:keras-team/keras#77: no such post" &&
	ok "an issue link names its gh: id" || not_ok "issue link" "$rc $err"
run dl --db "$DB" session start https://stackoverflow.com/questions/501
[ $rc -eq 0 ] && dl --db "$DB" session status --json | grep -q '"post":[[:space:]]*"so:501"' &&
	ok "session start takes a question link" || not_ok "session start link" "$rc $err"
# On a terminal whose locale is not UTF-8, the bytes of UTF-8 text would
# be read as C1 controls ("\u011b" is c4 9b, 0x9b being CSI): every
# character beyond ASCII is then one '?'.  Piped, or in UTF-8, text stays.
printf '%s\n' '{"question_id": 502, "title": "Ta\u011b2J \u201dq\u201d", "body": "<p>\u011b[2J na\u00efve</p>"}' >"$T/c1.jsonl"
dl --db "$DB" import --quiet "$T/c1.jsonl"
# on_tty LOCALE ARGS...: what dlrepro writes on a terminal, as hex
on_tty() {
	loc=$1
	shift
	"$PYTHON3" -c '
import os, pty, sys
pid, fd = pty.fork()
if pid == 0:
    os.environ["LC_ALL"] = sys.argv[1]
    os.execv(sys.argv[2], sys.argv[2:])
out = b""
while True:
    try:
        b = os.read(fd, 4096)
    except OSError:
        break
    if not b:
        break
    out += b
os.waitpid(pid, 0)
print(out.hex())' "$loc" "$DLREPRO_BIN" "$@"
}
hex=$(on_tty C --db "$DB" show 502)
txt=$(printf '%s' "$hex" | "$PYTHON3" -c 'import sys; print(bytes.fromhex(sys.stdin.read()).decode("ascii", "replace"))')
case $txt in
*"Ta?2J ?q?"*"?[2J na?ve"*)
	printf '%s' "$hex" | "$PYTHON3" -c 'import sys; sys.exit(any(b >= 0x80 for b in bytes.fromhex(sys.stdin.read())))' &&
	ok "a C-locale terminal gets ASCII, each other character a '?'" ||
	not_ok "C locale tty" "$txt" ;;
*) not_ok "C locale tty" "$txt" ;;
esac
hex=$(on_tty C.UTF-8 --db "$DB" show 502)
case $hex in
*c49b*) ok "a UTF-8 terminal gets the text as it is" ;;
*) not_ok "UTF-8 tty" "$hex" ;;
esac
out=$(LC_ALL=C dl --db "$DB" show 502 | od -An -tx1 | tr -d ' \n')
case $out in
*c49b*) ok "output into a pipe is left as UTF-8 whatever the locale" ;;
*) not_ok "piped" "$out" ;;
esac
done_testing
