#!/bin/sh
# show.sh - `dlrepro show`: a stored post as safe text, the accepted
# answer only on request.
. "${TOP_SRCDIR:-.}/tests/lib.sh"
tmpdir
DB="$T/t.db"
plan 13

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
done_testing
