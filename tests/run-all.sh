#!/bin/sh
# The whole test suite, as the README and CI run it:
#   1. a release-like build (build/), all tests;
#   2. the same tests under valgrind (meson test --setup=valgrind);
#   3. a second build with AddressSanitizer + UndefinedBehaviorSanitizer
#      (build-sanitize/), all tests (meson test --setup=sanitize).
# Prints one closing line: "tests: N passed, N failed, N skipped".
# TN_QUICK=1 runs only step 1.
set -u
cd "$(dirname "$0")/.."
jobs=${TN_TEST_JOBS:-2}
passed=0 failed=0 skipped=0 rc=0

tally() {   # tally LOGFILE: add meson's counts from a testlog*.json
	log=$1
	[ -f "$log" ] || { rc=1; return; }
	p=$(grep -c '"result": "OK"' "$log" || true)
	x=$(grep -c '"result": "EXPECTEDFAIL"' "$log" || true)
	s=$(grep -c '"result": "SKIP"' "$log" || true)
	f=$(grep -Ec '"result": "(FAIL|TIMEOUT|ERROR|UNEXPECTEDPASS)"' "$log" || true)
	passed=$((passed + p + x)) skipped=$((skipped + s)) failed=$((failed + f))
}

step() { printf '\n=== %s\n' "$*"; }

step "build/ (debugoptimized)"
if [ ! -d build ]; then meson setup build >/dev/null || exit 2; fi
meson compile -C build >/dev/null || { meson compile -C build; exit 2; }
meson test -C build --num-processes "$jobs" --print-errorlogs || rc=1
tally build/meson-logs/testlog.json

if [ "${TN_QUICK:-0}" != 1 ]; then
	step "build/ under valgrind"
	meson test -C build --setup=valgrind --num-processes "$jobs" --print-errorlogs || rc=1
	tally build/meson-logs/testlog-valgrind.json

	step "build-sanitize/ (ASan + UBSan)"
	if [ ! -d build-sanitize ]; then
		meson setup build-sanitize -Db_sanitize=address,undefined -Db_lundef=false >/dev/null || exit 2
	fi
	meson compile -C build-sanitize >/dev/null || { meson compile -C build-sanitize; exit 2; }
	meson test -C build-sanitize --setup=sanitize --num-processes "$jobs" --print-errorlogs || rc=1
	tally build-sanitize/meson-logs/testlog-sanitize.json
fi

printf '\ntests: %d passed, %d failed, %d skipped\n' "$passed" "$failed" "$skipped"
[ "$failed" -eq 0 ] || rc=1
exit $rc
