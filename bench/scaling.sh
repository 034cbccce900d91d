#!/bin/sh
# bench/scaling.sh - does `dlrepro analyze` stay linear on hostile reports?
# Seconds per size (0.5, 1, 2, 4 MB) for each pattern and the 4 MB / 1 MB
# ratio (about 4 when linear; 8 or more, or a timeout, is flagged with !).
# bench/scaling.py does the work; measured, never asserted.
#
#   sh bench/scaling.sh     (or make bench)
#   SCALING_ONLY=REGEX SCALING_SIZES=1,4 SCALING_TIMEOUT=20 sh bench/scaling.sh
set -e
top=$(cd "$(dirname "$0")/.." && pwd)
: "${DLREPRO_BIN:=${BENCH_BUILDDIR:-$top}/src/dlrepro}"
: "${DLREPRO_DATADIR:=$top/data}"
export DLREPRO_BIN DLREPRO_DATADIR
if [ ! -x "$DLREPRO_BIN" ]; then
	echo "bench: $DLREPRO_BIN not built (run make first)"
	exit 1
fi
exec nice "${PYTHON3:-python3}" "$top/bench/scaling.py"
