#!/bin/sh
# heldout.sh - bench/heldout.py runs over each set of held-out reports
# (heldout, heldout2 and heldout3, each labelled before any run; heldout3
# is the only one no rule has been derived from) and prints a
# well-formed report.  Its accuracy figures are measurements,
# printed by the script and never asserted here.
. "${TOP_SRCDIR:-.}/tests/lib.sh"
tmpdir
plan 18

for set in heldout heldout2 heldout3; do
	FX="$TOP_SRCDIR/tests/fixtures/$set"

	# the labels: every report labelled once, every label with its reason
	if "$PYTHON3" - "$FX" <<-'PY' 2>"$T/.py"
	import json, os, sys
	d = sys.argv[1]
	lab = json.load(open(os.path.join(d, "labels.json"), encoding="utf-8"))
	files = [p["file"] for p in lab["posts"]]
	assert lab["format"] == "dlrepro-heldout-labels/1"
	assert sorted(files) == sorted(f for f in os.listdir(d) if f != "labels.json")
	assert len(set(files)) == len(files)
	for p in lab["posts"]:
	    assert p["type"]["label"] in ("model", "tensor", "training", "gpu", "api")
	    assert p["type"]["why"]
	    for c in ("data", "model", "hyperparameters", "code", "logs"):
	        assert isinstance(p[c]["present"], bool) and p[c]["why"], (p["file"], c)
	PY
	then ok "$set: labels.json labels every report, each label with a reason"
	else not_ok "$set: labels.json is well-formed" "$(tail -3 "$T/.py")"
	fi
	n=$("$PYTHON3" -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["posts"]))' "$FX/labels.json")

	run "$PYTHON3" "$TOP_SRCDIR/bench/heldout.py" --bin "$DLREPRO_BIN" \
		--dir "$FX" --datadir "$DLREPRO_DATADIR"
	[ "$rc" -eq 0 ] && ok "$set: heldout.py runs" || not_ok "$set: heldout.py runs" "$err"

	num='(0|1)\.[0-9]{4}'
	if printf '%s\n' "$out" | grep -Eq "^RESULT heldout n=$n data=$num model=$num hyperparameters=$num code=$num logs=$num type=$num\$"; then
		ok "$set: the RESULT line has n=$n and six accuracies"
	else
		not_ok "$set: RESULT line" "$(printf '%s\n' "$out" | tail -2)"
	fi

	# each category row: accuracy, then TP FN FP TN summing to n
	bad=$(printf '%s\n' "$out" | awk -v n="$n" '
		/^(data|model|hyperparameters|code|logs) +[01]\.[0-9]+ / {
			rows++
			if ($3 + $4 + $5 + $6 != n || ($3 + $6) / n - $2 > 0.0001 ||
			    $2 - ($3 + $6) / n > 0.0001) print
		}
		END { if (rows != 5) print "rows: " rows }')
	[ -z "$bad" ] && ok "$set: five category rows whose confusion sums to n" ||
		not_ok "$set: category rows" "$bad"

	if printf '%s\n' "$out" | grep -Eq "^bug type accuracy $num \([0-9]+ of $n\)\$"; then
		ok "$set: the bug type accuracy line"
	else
		not_ok "$set: bug type accuracy line" "$(printf '%s\n' "$out" | grep -i 'type acc')"
	fi

	# the disagreement count matches the lines listed under it
	if printf '%s\n' "$out" | awk '
		/^disagreements: / { want = $2; on = 1; next }
		on && /^  [^ ]/ { got++ }
		on && /^RESULT/ { on = 0 }
		END { exit !(want == got) }'; then
		ok "$set: every disagreement is listed"
	else
		not_ok "$set: disagreements listed" "$(printf '%s\n' "$out" | grep -c '^  [^ ]')"
	fi
done
done_testing
