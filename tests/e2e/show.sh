#!/bin/sh
# show.sh - `dlrepro show`: a stored post as safe text, the accepted
# answer only on request.
. "${TOP_SRCDIR:-.}/tests/lib.sh"
tmpdir
DB="$T/t.db"
plan 7

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
done_testing
