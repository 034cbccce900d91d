#!/bin/sh
# Screen test: `a` stores a report written or pasted in $EDITOR as
# manual:N, selects it in the list and analyses it; the same report again
# is not stored twice; an empty file or a failed editor adds nothing; a
# report the search hides is stored all the same, and the message says
# why it is not in view.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/tui/tui-lib.sh"

plan 20

DB="$T/fixture.db"
make_db "$DB" || { echo "Bail out! cannot build the fixture database"; exit 1; }
count() { dl --db "$DB" list --json | wc -l; }
# the id of the report titled $1
report_id() {
	dl --db "$DB" list --json | "$PYTHON3" -c '
import json, sys
for line in sys.stdin:
    o = json.loads(line)
    if o["title"] == sys.argv[1]:
        print(o["id"])' "$1"
}
before=$(count)

# The editor writes $T/report (if any) into the file it is given, then
# exits with the status in $T/status.
{
	echo '#!/bin/sh'
	echo "[ -e '$T/report' ] && cat '$T/report' >\"\$1\""
	echo "exit \$(cat '$T/status')"
} >"$T/editor"
chmod +x "$T/editor"
echo 0 >"$T/status"
{
	echo '# Accuracy stuck at 10% on CIFAR-10'
	echo
	echo 'I train a small CNN in Keras with `SGD(learning_rate=0.1)` and'
	echo '`batch_size=64`; the accuracy never moves.'
	echo
	echo '```'
	echo 'Epoch 1/10 - loss: 2.3026 - accuracy: 0.1000'
	echo 'Epoch 2/10 - loss: 2.3026 - accuracy: 0.1000'
	echo '```'
} >"$T/report"

TUI_ENV="export VISUAL= EDITOR=$T/editor"
start_ui 120 40 --db "$DB"
expect "the dashboard starts" "Posts 1-"
keys a
expect "the report is stored" "Stored as manual:"
ID=$(report_id "Accuracy stuck at 10% on CIFAR-10")
case $ID in
manual:[1-9]*) ok "titled by its heading" ;;
*) not_ok "titled by its heading" "no report with that title: [$ID]" ;;
esac
expect "named in the message" "Stored as $ID"
expect "it is selected: the post pane shows it" "Post $ID"
expect "and its analysis" "from text"
check_eq "the store holds one more post" "$(count)" $((before + 1))

keys a
expect "the same report again is recognised" "The same report is $ID"
check_eq "and not stored twice" "$(count)" $((before + 1))

rm -f "$T/report"
keys a
expect "an empty file adds nothing" "Nothing written: no report added"

echo 3 >"$T/status"
printf 'Some report\n' >"$T/report"
keys a
expect "a failed editor adds nothing and says so" "exited with status 3"
check_eq "nothing was stored for either" "$(count)" $((before + 1))

# Text with a NUL byte would end at it unseen: not taken.
echo 0 >"$T/status"
printf 'before\000after\n' >"$T/report"
keys a
expect "a file with NUL bytes is not taken" "holds NUL bytes"
# An editor killed by a signal did not exit with a status.
{
	echo '#!/bin/sh'
	echo 'kill -9 $$'
} >"$T/editor-killed"
chmod +x "$T/editor-killed"
cp "$T/editor" "$T/editor.ok"
cp "$T/editor-killed" "$T/editor"
keys a
expect "a killed editor adds nothing and says so" "The editor did not finish"
cp "$T/editor.ok" "$T/editor"
check_eq "nothing was stored for these either" "$(count)" $((before + 1))

# A search the new report does not match: stored, and said to be hidden.
echo 0 >"$T/status"
printf '# GPU memory keeps growing\n\nnvidia-smi shows 10 GB more each epoch.\n' \
	>"$T/report"
keys /
type_text "nan"
keys Enter
keys a
expect "a report the search hides is stored and said to be hidden" \
	", hidden by the filter or search"
check_eq "and it is stored" "$(report_id "GPU memory keeps growing" | cut -c1-7)" \
	"manual:"
keys q
check_eq "the dashboard exits cleanly" "$(wait_exit)" 0

# A Mixed verdict shows the two types it stands for and their scores
# (a copy of the data whose model says Mixed at a lower bar).
mkdir "$T/mixdata"
cp -R "$DLREPRO_DATADIR"/. "$T/mixdata/"
"$PYTHON3" -c '
import json, sys
m = json.load(open(sys.argv[1]))
m["mixed"]["min_each"] = 0.35
json.dump(m, open(sys.argv[1], "w"))' "$T/mixdata/classifier.json"
printf 'x\n' >"$T/mix.md"
DLREPRO_DATADIR="$T/mixdata" dl --db "$T/mix.db" import --quiet --report \
	--title "custom layer output tensor shape is wrong" "$T/mix.md" >/dev/null
TUI_ENV="export DLREPRO_DATADIR=$T/mixdata"
start_ui 120 40 --db "$T/mix.db"
expect "a Mixed verdict names its two types with their scores" \
	"Type: Mixed (MIX)  Model 51% + Tensor and Input 41%"
keys q
check_eq "the dashboard exits cleanly" "$(wait_exit)" 0
