#!/bin/sh
# Screen test: a post full of escape sequences and control bytes is shown
# harmlessly.  The title is written into the database raw (bypassing the
# import's own sanitising) so the dashboard's last line of defence is what
# is tested; every byte the program writes is recorded with script(1) and
# checked for OSC/DCS/APC/PM sequences, title setting, BEL and C1 bytes.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/tui/tui-lib.sh"
command -v script >/dev/null 2>&1 ||
	plan_skip "script(1) is not installed (apt-get install bsdutils)"

plan 9

DB="$T/fixture.db"
make_db "$DB" || { echo "Bail out! cannot build the fixture database"; exit 1; }
"$PYTHON3" - "$DB" <<'PY' || { echo "Bail out! cannot plant the evil title"; exit 1; }
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
evil = ("Evil \x1b]0;PWNED-TITLE\x07 A\x1b[31mred\x1b[0m B\u009b2J C"
        "\u009d0;C1-INERT\u009c D\x1bP1$qPWNED-DCS\x1b\\ E\x1b_PWNED-APC\x1b\\"
        " F\x07G\x08H\u0085I\x1b]2;PWNED-UNTERMINATED")
db.execute("UPDATE posts SET title = ?, text = ? WHERE id = 'so:1006'",
           (evil, "text " + evil))
db.commit()
PY

TUI_RAW=1 start_ui 120 40 --db "$DB"
expect "dashboard starts under script(1)" "Posts 1-30 of 30"
keys j j j j j
expect "the evil post is selected" "Post so:1006"
expect "its visible text is shown" "Evil"
keys Enter
expect "the post pane opens" "Evil"
keys q
st=$(wait_exit 10)
if [ "$st" = 0 ]; then ok "quits with status 0"; else
	not_ok "quits with status 0" "status: $st"; fi

# Every byte written: valid UTF-8, no string-type escape sequences (OSC,
# DCS, APC, PM, SOS), no BEL, no C1 code points, and none of the 7-bit
# sequences' payloads.  (An 8-bit introducer goes alone where the post is
# read whole: what followed it is then inert text, "0;C1-INERT".)
if out=$("$PYTHON3" - "$T/raw" <<'PY'
import re, sys
raw = open(sys.argv[1], "rb").read()
problems = []
try:
    text = raw.decode("utf-8")
except UnicodeDecodeError as e:
    problems.append("invalid UTF-8 at byte %d" % e.start)
    text = raw.decode("utf-8", "replace")
for seq, what in ((b"\x1b]", "OSC"), (b"\x1bP", "DCS"), (b"\x1b_", "APC"),
                  (b"\x1b^", "PM"), (b"\x1bX", "SOS"), (b"\x07", "BEL")):
    if seq in raw:
        problems.append("%s found" % what)
if re.search("[\u0080-\u009f]", text):
    problems.append("C1 control code point found")
if b"PWNED" in raw:
    problems.append("payload text reached the terminal")
if b"Evil" not in raw:
    problems.append("the post was not drawn at all")
print("; ".join(problems))
sys.exit(1 if problems else 0)
PY
); then
	ok "raw output has no OSC/DCS/APC, BEL, C1 or payload"
else
	not_ok "raw output has no OSC/DCS/APC, BEL, C1 or payload" "$out"
fi

# NO_COLOR: the same screens without a single colour escape (SGR 30-49,
# 38;5/48;5, 90-107); bold and reverse video remain.
rm -f "$T/raw"
TUI_ENV="export NO_COLOR=1"
TUI_RAW=1 start_ui 120 40 --db "$DB"
expect "dashboard starts with NO_COLOR" "Posts 1-30 of 30"
keys j j j j j Enter
expect "the evil post again" "Post so:1006"
keys q
wait_exit 10 >/dev/null
if out=$("$PYTHON3" - "$T/raw" <<'PY'
import re, sys
raw = open(sys.argv[1], "rb").read()
found = set()
for m in re.finditer(rb"\x1b\[([0-9;]*)m", raw):
    for p in m.group(1).split(b";"):
        if p and (30 <= int(p) <= 49 or 90 <= int(p) <= 107):
            found.add(p.decode())
print(" ".join(sorted(found)))
sys.exit(1 if found else 0)
PY
); then
	ok "NO_COLOR: no colour escapes in the output"
else
	not_ok "NO_COLOR: no colour escapes in the output" "SGR codes: $out"
fi

done_testing
