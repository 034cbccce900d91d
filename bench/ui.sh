#!/bin/sh
# bench/ui.sh - the dashboard with a large database: time to first frame,
# keystroke-to-redraw latency for moving, paging and searching (measured
# through a pseudo-terminal by bench/ui-pty.py) and peak RSS.
# Goals: first frame <= 100 ms, redraw <= 16 ms, peak RSS <= 32 MB.
#
#   sh bench/ui.sh              (100,000 posts; UI_BENCH_POSTS=N to change)
# The generated database is kept in $UI_BENCH_DIR (default
# /tmp/dlrepro-ui-bench) so that reruns skip the import.
set -e
top=$(cd "$(dirname "$0")/.." && pwd)
: "${DLREPRO_BIN:=$top/src/dlrepro}"
: "${DLREPRO_DATADIR:=$top/data}"
: "${UI_BENCH_POSTS:=100000}"
: "${UI_BENCH_DIR:=/tmp/dlrepro-ui-bench}"
export DLREPRO_DATADIR
PY=${PYTHON3:-python3}
mkdir -p "$UI_BENCH_DIR"
db="$UI_BENCH_DIR/posts-$UI_BENCH_POSTS.db"
if [ ! -s "$db" ]; then
	"$PY" "$top/bench/ui-pty.py" gen "$UI_BENCH_POSTS" \
		"$UI_BENCH_DIR/posts.jsonl"
	start=$(date +%s.%N)
	"$DLREPRO_BIN" --db "$db.tmp" import --no-analyze "$UI_BENCH_DIR/posts.jsonl" \
		>/dev/null
	mv "$db.tmp" "$db"
	rm -f "$UI_BENCH_DIR/posts.jsonl"
	echo "import of $UI_BENCH_POSTS posts: $(echo "$(date +%s.%N) - $start" |
		bc 2>/dev/null || echo '?') s"
fi
# A fresh copy each run: every post the run visits is analysed (and the
# analysis stored) for the first time, the slow case.
cp "$db" "$UI_BENCH_DIR/run.db"
rm -f "$UI_BENCH_DIR/run.db-wal" "$UI_BENCH_DIR/run.db-shm"
echo "dashboard on $UI_BENCH_POSTS posts, 120x40, posts not yet analysed:"
"$PY" "$top/bench/ui-pty.py" run "$DLREPRO_BIN" "$UI_BENCH_DIR/run.db"
rm -f "$UI_BENCH_DIR/run.db" "$UI_BENCH_DIR/run.db-wal" \
	"$UI_BENCH_DIR/run.db-shm"
