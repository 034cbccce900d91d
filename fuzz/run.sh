#!/bin/sh
# fuzz/run.sh [SECONDS] - build the libFuzzer targets with clang against the
# sources (not through automake) and run each for SECONDS (default 30) on a
# copy of the seed corpus under fuzz/corpus/.  Findings (crash-*, leak-*,
# timeout-*) land in fuzz/out/.  Without clang's libFuzzer this says so and
# exits 0, so CI can call it unconditionally.
set -u

secs=${1:-30}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
out=${FUZZ_OUT:-$top/fuzz/out}
cc=${FUZZ_CC:-clang}

mkdir -p "$out" || exit 1
if ! command -v "$cc" >/dev/null 2>&1; then
	echo "fuzz: $cc not found; install clang (and libclang-rt-dev) to fuzz; skipping"
	exit 0
fi
printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n);\nint LLVMFuzzerTestOneInput(const char *d, unsigned long n) { (void)d; (void)n; return 0; }\n' >"$out/probe.c"
if ! "$cc" -fsanitize=fuzzer,address,undefined "$out/probe.c" -o "$out/probe" >"$out/probe.log" 2>&1; then
	echo "fuzz: $cc cannot build libFuzzer targets (Debian: apt-get install libclang-rt-14-dev); skipping"
	exit 0
fi

# the sources need a config.h; the fuzz build gets a minimal one
printf '#define _GNU_SOURCE 1\n' >"$out/config.h"
flags="-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
	-I$out -I$top/include -DPKGDATADIR=\"/nonexistent\"
	-DFUZZ_DATADIR=\"$top/data\"
	$(pkg-config --cflags libxml-2.0 libcmark libcjson)"
libs="$(pkg-config --libs libxml-2.0 libcmark libcjson) -lm"
srcs="$top/src/text.c $top/src/infocat.c $top/src/classify.c $top/src/data.c
	$top/src/util.c"

status=0
for t in text infocat classify; do
	echo "fuzz: building fuzz_$t"
	# shellcheck disable=SC2086
	if ! "$cc" $flags "$here/fuzz_$t.c" $srcs $libs -o "$out/fuzz_$t"; then
		echo "fuzz: fuzz_$t failed to build"
		exit 1
	fi
	rm -rf "$out/corpus-$t"
	cp -r "$here/corpus/$t" "$out/corpus-$t"
	echo "fuzz: running fuzz_$t for ${secs}s"
	(cd "$out" && ASAN_OPTIONS=detect_leaks=1 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		"./fuzz_$t" -max_total_time="$secs" -max_len=65536 \
		-timeout=20 -rss_limit_mb=2048 -print_final_stats=1 \
		"corpus-$t" >"fuzz_$t.log" 2>&1)
	rc=$?
	grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb' "$out/fuzz_$t.log" | sed "s/^/fuzz: fuzz_$t /"
	if [ $rc -ne 0 ]; then
		echo "fuzz: fuzz_$t FOUND A PROBLEM (exit $rc); see $out/fuzz_$t.log"
		tail -40 "$out/fuzz_$t.log"
		status=1
	else
		echo "fuzz: fuzz_$t ok"
	fi
done
exit $status
