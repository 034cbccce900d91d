#!/bin/sh
# Screen test: the dashboard in hostile environments.  A terminal that
# cannot move its cursor (TERM=dumb) is refused in one line rather than
# drawn on as a pile of status bars.  $PAGER and $EDITOR that cannot be
# run are named as such (not "exited with status 127", not silence), and
# one whose path holds a space runs, without a shell.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/tui/tui-lib.sh"

DB="$T/fixture.db"
make_db "$DB" || { echo "Bail out! cannot build the fixture database"; exit 1; }

TUI_ENV="export TERM=dumb"
start_ui 80 24 --db "$DB"
check_eq "TERM=dumb: the dashboard exits 1" "$(wait_exit)" 1
expect "TERM=dumb: says why, once" "cannot move its cursor (TERM=dumb)"
TUI_ENV=

# An editor whose path holds a space: the whole value is the program.
mkdir -p "$T/my editor"
cat >"$T/my editor/ed" <<'EOF2'
#!/bin/sh
printf '# Written by the spaced editor\n\nTraceback (most recent call last):\n' >"$1"
EOF2
chmod +x "$T/my editor/ed"
cat >"$T/marker-maker" <<EOF2
#!/bin/sh
touch "$T/shell-ran"
EOF2
chmod +x "$T/marker-maker"
TUI_ENV="export VISUAL= EDITOR='$T/my editor/ed' PAGER=$T/no-such-pager"
start_ui 100 30 --db "$DB"
wait_for "so:1001" >/dev/null
keys a
expect "an editor path with a space runs" "Stored as manual:"
keys Y
expect "a missing pager is named" "no-such-pager: cannot run: No such file"
keys q
wait_exit >/dev/null

# A missing editor is named; a value needing a shell gets none.
TUI_ENV="export VISUAL= EDITOR='$T/nowhere/ed --wait'"
start_ui 100 30 --db "$DB"
wait_for "so:1001" >/dev/null
keys a
expect "a missing editor is named" "nowhere/ed: cannot run: No such file"
keys q
wait_exit >/dev/null
for ed in "true; $T/marker-maker" "\\\$($T/marker-maker)" "\\\`$T/marker-maker\\\`"; do
	TUI_ENV="export VISUAL= EDITOR=\"$ed\""
	start_ui 100 30 --db "$DB"
	wait_for "so:1001" >/dev/null
	keys a
	wait_match "cannot run|no report added|Stored" 5 >/dev/null
	keys q
	wait_exit >/dev/null
done
if [ -e "$T/shell-ran" ]; then
	not_ok "shell syntax in EDITOR runs nothing"
else
	ok "shell syntax in EDITOR runs nothing"
fi
TUI_ENV=

plan "$TAP_N"
done_testing
