# tests/lib.sh - TAP helpers for the end-to-end and screen tests.
# Source it, call plan N (or plan_skip "reason"), then ok/not_ok/check.

: "${DLREPRO_BIN:=${TOP_BUILDDIR:-.}/src/dlrepro}"
: "${DLREPRO_DATADIR:=${TOP_SRCDIR:-.}/data}"
export DLREPRO_DATADIR
TAP_N=0
TAP_FAILED=0

plan() { echo "1..$1"; }
plan_skip() { echo "1..0 # SKIP $1"; exit 0; }

ok() {
	TAP_N=$((TAP_N + 1))
	echo "ok $TAP_N - $1"
}

not_ok() {
	TAP_N=$((TAP_N + 1))
	TAP_FAILED=$((TAP_FAILED + 1))
	echo "not ok $TAP_N - $1"
	shift
	for line in "$@"; do echo "# $line"; done
}

skip() {
	TAP_N=$((TAP_N + 1))
	echo "ok $TAP_N - $1 # SKIP $2"
}

# check NAME COMMAND...: passes when the command exits 0.
check() {
	name=$1
	shift
	if out=$("$@" 2>&1); then
		ok "$name"
	else
		not_ok "$name" "command: $*" "$(printf '%s' "$out" | head -5)"
	fi
}

# A fresh temporary directory removed at exit; sets $T.
tmpdir() {
	T=$(mktemp -d "${TMPDIR:-/tmp}/dlrepro-test.XXXXXX")
	trap 'rm -rf "$T"' EXIT
	export HOME="$T/home" XDG_DATA_HOME="$T/xdg-data" \
		XDG_CONFIG_HOME="$T/xdg-config"
	mkdir -p "$HOME"
}

dl() { "$DLREPRO_BIN" "$@"; }

# run CMD...: sets $rc, $out (stdout) and $err (stderr).
run() {
	out=$("$@" 2>"$T/.stderr")
	rc=$?
	err=$(cat "$T/.stderr")
}

done_testing() {
	[ "$TAP_FAILED" -eq 0 ]
}
