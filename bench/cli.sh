#!/bin/sh
# bench/cli.sh - every command on a large store built with the program's
# own commands: wall time and peak RSS (bench/cli-bench.py does the work).
#
#   sh bench/cli.sh         (100,000 posts, 3,000 sessions over 1,000 posts)
#   BENCH_POSTS=N BENCH_SESSIONS=N BENCH_SESSION_POSTS=N sh bench/cli.sh
# Needs the disk for the store (about 13 KB a post) in $TMPDIR.
set -e
top=$(cd "$(dirname "$0")/.." && pwd)
: "${DLREPRO_BIN:=${BENCH_BUILDDIR:-$top}/src/dlrepro}"
: "${DLREPRO_DATADIR:=$top/data}"
export DLREPRO_DATADIR
exec nice "${PYTHON3:-python3}" "$top/bench/cli-bench.py" "$DLREPRO_BIN"
