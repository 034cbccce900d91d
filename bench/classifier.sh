#!/bin/sh
# classifier.sh - measures the bug-type classifier on the paper's data:
#   1. dl_bugs_dev.csv with tags (the tag rule) and with every tag that
#      contains a Table-1 keyword removed, using the shipped model;
#   2. the same hidden-tag run cross-validated: tools/train-classifier.py
#      trains one model per fold into a temporary directory, and the C
#      evaluator scores each held-out fold with its own model;
#   3. the user-study report bodies (no title, no tags, line breaks
#      removed).
# usage: bench/classifier.sh [BUILDDIR]   (FOLDS=5 SEEDS="1 2 3" to vary)
# Skips with a message when ../shared/dataset (or $DLREPRO_DATASET) is absent.
set -e
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-${TOP_BUILDDIR:-$top}}
dataset=${DLREPRO_DATASET:-$top/../shared/dataset}
csv=$dataset/dl_bugs_dev.csv
eval_bin=$build/bench/classify-eval
python=${PYTHON3:-python3}
folds=${FOLDS:-5}
seeds=${SEEDS:-1}

if [ ! -r "$csv" ]; then
	echo "classifier.sh: skipped: $csv not found (set DLREPRO_DATASET)"
	exit 0
fi
if [ ! -x "$eval_bin" ]; then
	echo "classifier.sh: $eval_bin not built (run make first)" >&2
	exit 1
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/dlrepro-cv.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

echo "### shipped model (data/classifier.json)"
"$eval_bin" --datadir "$top/data" \
	--reports "$dataset/user_study_bug_reports" "$csv" | tee "$tmp/shipped"

for seed in $seeds; do
	echo
	echo "### $folds-fold cross-validation, seed $seed"
	"$python" "$top/tools/train-classifier.py" --csv "$csv" \
		--datadir "$top/data" --config "$top/data/classifier.json" \
		--folds "$folds" --seed "$seed" --cv-dir "$tmp/cv-$seed"
	"$eval_bin" --datadir "$top/data" --cv "$tmp/cv-$seed" "$csv" |
		tee "$tmp/cv-$seed.out"
done

echo
echo "### summary"
grep -h '^RESULT with-tags\|^RESULT reports' "$tmp/shipped"
for seed in $seeds; do
	printf 'seed %s: ' "$seed"
	grep -h '^RESULT tags-hidden-cv' "$tmp/cv-$seed.out"
done
cat "$tmp"/cv-*.out | awk '/^RESULT tags-hidden-cv/ {
	for (i = 3; i <= NF; i++) { split($i, kv, "="); s[kv[1]] += kv[2] }
	n++ }
	END { if (n > 1) { printf "mean of %d seeds:", n
		for (k in s) printf " %s=%.4f", k, s[k] / n; printf "\n" } }'
