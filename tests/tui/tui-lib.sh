# tests/tui/tui-lib.sh - drive the real dashboard inside a private tmux
# server: send keys, capture the pane, poll for the expected screen
# instead of sleeping.  Source after tests/lib.sh.

command -v tmux >/dev/null 2>&1 ||
	plan_skip "tmux is not installed (apt-get install tmux)"

tmpdir
# Each start_ui gets a fresh server: a killed server may still be going
# away when the next one starts.  Every server is killed at exit.
TUI_BASE="dlrepro-tui-$$-$(basename "$0" .sh)"
TUI_N=0
TUI_SOCK="$TUI_BASE-0"
tm() { tmux -L "$TUI_SOCK" -f /dev/null "$@"; }
tui_cleanup() {
	i=0
	while [ $i -le $TUI_N ]; do
		tmux -L "$TUI_BASE-$i" -f /dev/null kill-server >/dev/null 2>&1
		i=$((i + 1))
	done
	rm -rf "$T"
}
trap tui_cleanup EXIT
export TZ=UTC LC_ALL=C.UTF-8 XDG_RUNTIME_DIR="$T/run" XDG_STATE_HOME="$T/state"
mkdir -p "$XDG_RUNTIME_DIR"
unset NO_COLOR BROWSER DISPLAY WAYLAND_DISPLAY

# make_db DB: the fixture posts imported through the real CLI.
make_db() {
	"$PYTHON3" "$TOP_SRCDIR/tests/tui/make-fixture.py" >"$T/fixture.json" &&
		dl --db "$1" import "$T/fixture.json" >/dev/null
}

# start_ui COLS ROWS ARGS...: the dashboard in a fresh tmux session.
# Its exit status lands in $T/exit.  Extra environment via $TUI_ENV.
start_ui() {
	cols=$1 rows=$2
	shift 2
	rm -f "$T/exit"
	tm kill-server >/dev/null 2>&1
	TUI_N=$((TUI_N + 1))
	TUI_SOCK="$TUI_BASE-$TUI_N"
	cmd="\"$DLREPRO_BIN\" $*"
	# TUI_RAW=1: record every byte the program writes (script(1)).
	[ -n "${TUI_RAW:-}" ] && cmd="script -q -f -e -c '$cmd' \"$T/raw\""
	# trap with a command (not '') so that the shell outlives a Ctrl-C
	# while the program gets the default disposition back on exec.
	cat >"$T/run.sh" <<EOF
trap : INT
export TERM=screen-256color LC_ALL=C.UTF-8 TZ=UTC
$TUI_ENV
$cmd
echo \$? >"$T/exit"
sleep 600
EOF
	tm new-session -d -x "$cols" -y "$rows" "sh $T/run.sh" \; \
		set-option -g status off \; \
		resize-window -x "$cols" -y "$rows"
}

screen() { tm capture-pane -p -t 0; }
keys() { tm send-keys -t 0 "$@"; }
# literal text, not key names
type_text() { tm send-keys -t 0 -l "$1"; }
resize() { tm resize-window -t 0 -x "$1" -y "$2"; }

# wait_for TEXT [SECONDS]: poll the screen until TEXT (fixed string)
# appears; 0 when it did.  The last screen is kept in $SCREEN.
wait_for() {
	deadline=$(( $(date +%s) + ${2:-10} ))
	while :; do
		SCREEN=$(screen 2>/dev/null)
		case $SCREEN in *"$1"*) return 0 ;; esac
		[ "$(date +%s)" -ge "$deadline" ] && return 1
		sleep 0.05
	done
}

# wait_match REGEX [SECONDS]: poll until a line of the screen matches the
# extended regular expression; 0 when one did.  $SCREEN as for wait_for.
wait_match() {
	deadline=$(( $(date +%s) + ${2:-10} ))
	while :; do
		SCREEN=$(screen 2>/dev/null)
		printf '%s\n' "$SCREEN" | grep -Eq "$1" && return 0
		[ "$(date +%s)" -ge "$deadline" ] && return 1
		sleep 0.05
	done
}

# wait_gone TEXT [SECONDS]: poll until TEXT is no longer on the screen.
wait_gone() {
	deadline=$(( $(date +%s) + ${2:-10} ))
	while :; do
		SCREEN=$(screen 2>/dev/null)
		case $SCREEN in *"$1"*) ;; *) return 0 ;; esac
		[ "$(date +%s)" -ge "$deadline" ] && return 1
		sleep 0.05
	done
}

# wait_exit [SECONDS]: wait for the dashboard to exit; prints its status.
wait_exit() {
	deadline=$(( $(date +%s) + ${1:-10} ))
	while [ ! -s "$T/exit" ]; do
		[ "$(date +%s)" -ge "$deadline" ] && { echo timeout; return 1; }
		sleep 0.05
	done
	cat "$T/exit"
}

# expect NAME TEXT [SECONDS]: a TAP line for "TEXT shows up".
expect() {
	if wait_for "$2" "${3:-10}"; then
		ok "$1"
	else
		not_ok "$1" "waited for: $2" "screen was:" \
			"$(printf '%s\n' "$SCREEN" | sed 's/^/  /')"
	fi
}

expect_gone() {
	if wait_gone "$2" "${3:-10}"; then
		ok "$1"
	else
		not_ok "$1" "still on screen: $2" "$(printf '%s\n' "$SCREEN" |
			sed 's/^/  /')"
	fi
}

# selected_row: the line of the list drawn as selected is hard to see in
# plain text, so views print the selected id in the post pane title too;
# tests look for the post's title in the post pane instead.

# json_field JSON-LINES ID FIELD: a field of one post in `list --json`.
json_field() {
	"$PYTHON3" -c '
import json, sys
for line in sys.stdin:
    line = line.strip()
    if not line:
        continue
    o = json.loads(line)
    if o.get("id") == sys.argv[1]:
        v = o.get(sys.argv[2])
        print(json.dumps(v) if not isinstance(v, str) else v)
' "$1" "$2"
}

# jget FIELD...: a field path out of the JSON on stdin ("ticks.0.action",
# "len" for a length); objects and arrays print as JSON.
jget() {
	"$PYTHON3" -c '
import json, sys
o = json.load(sys.stdin)
for k in sys.argv[1].split("."):
    if isinstance(o, list):
        o = o[int(k)] if k != "len" else len(o)
    elif o is None:
        break
    else:
        o = o.get(k) if k != "len" else len(o)
print(o if not isinstance(o, (dict, list)) else json.dumps(o))
' "$1"
}

# check_eq NAME GOT WANT
check_eq() {
	if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1" "want '$3', got '$2'"; fi
}

# heartbeat: the running session's stored heartbeat in $DB (0 if none).
heartbeat() {
	"$PYTHON3" -c '
import sqlite3, sys
r = sqlite3.connect(sys.argv[1]).execute(
    "SELECT heartbeat_at FROM sessions WHERE state = ?", ("running",)).fetchone()
print(int(r[0]) if r and r[0] else 0)' "$DB"
}

# hold_lock SECONDS: another process holds $DB's write lock that long (past
# the busy timeout), in the background; returns once it holds it, with
# its pid in $lockpid.
hold_lock() {
	rm -f "$T/locked"
	"$PYTHON3" -c '
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=10)
c.execute("BEGIN IMMEDIATE")
open(sys.argv[2], "w").close()
time.sleep(float(sys.argv[3]))
c.execute("ROLLBACK")
' "$DB" "$T/locked" "$1" &
	lockpid=$!
	n=0
	while [ ! -e "$T/locked" ] && [ $n -lt 200 ]; do sleep 0.05; n=$((n + 1)); done
}

# start_mock: the loopback mock API, stopped at exit; its port in $PORT.
start_mock() {
	"$PYTHON3" "$TOP_SRCDIR/tests/mock/mockapi.py" --port-file "$T/port" \
		>/dev/null 2>&1 &
	MOCK_PID=$!
	trap 'kill $MOCK_PID 2>/dev/null; tui_cleanup' EXIT
	n=0
	while [ ! -s "$T/port" ] && [ $n -lt 100 ]; do sleep 0.05; n=$((n + 1)); done
	[ -s "$T/port" ] || { echo "Bail out! the mock API did not start"; exit 1; }
	PORT=$(cat "$T/port")
}
