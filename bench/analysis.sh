#!/bin/sh
# bench/analysis.sh - post analysis throughput: libxml2's bare parse,
# text_from_html, infocat_detect (and classify_post when built in) over
# BENCH_POSTS (default 100000) generated posts, with peak RSS.
set -u

bin=${BENCH_BUILDDIR:-.}/bench/analysis-bench
top=$(cd "$(dirname "$0")/.." && pwd)
# the classifier's model and the taxonomy, from the source tree
DLREPRO_DATADIR=${DLREPRO_DATADIR:-$top/data}
export DLREPRO_DATADIR
if [ ! -x "$bin" ]; then
	echo "bench: $bin not built (run make first)"
	exit 1
fi
exec "$bin" -n "${BENCH_POSTS:-100000}"
