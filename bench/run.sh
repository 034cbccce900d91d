#!/bin/sh
# bench/run.sh - `make bench`: run every benchmark script bench/*.sh (this
# one excepted), each printing its own figures.  Run from the build
# directory; BENCH_BUILDDIR overrides where the programs are.  Benchmarks
# measure and print; they never fail on a slow figure.
set -u

here=$(cd "$(dirname "$0")" && pwd)
BENCH_BUILDDIR=${BENCH_BUILDDIR:-$(pwd)}
export BENCH_BUILDDIR

status=0
for script in "$here"/*.sh; do
	[ "$(basename "$script")" = run.sh ] && continue
	echo "== $(basename "$script" .sh)"
	if ! sh "$script"; then
		echo "bench: $(basename "$script") failed"
		status=1
	fi
done
exit $status
