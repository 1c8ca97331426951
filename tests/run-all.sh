#!/bin/sh
# The whole test suite, as the README and CI (.ci/run) run it:
#   1. build/: the default configuration (debugoptimized; every optional
#      feature that this machine has is on), all tests;
#   2. the same tests under valgrind (meson test --setup=valgrind);
#   3. build-sanitize/: AddressSanitizer + UndefinedBehaviorSanitizer,
#      all tests (meson test --setup=sanitize);
#   4. build-minimal/: every optional feature off (-Dauto_features=disabled,
#      only -Dtests=enabled), all tests, plain: what a new user without
#      OpenBLAS, SLEEF, OpenCL, libyaml or scdoc builds, so that none of
#      them can hide a broken build;
#   5. only with TN_FALLBACK=1 (CI sets it; it downloads): build-fallback/,
#      with jansson, cmocka and libyaml built from subprojects/*.wrap
#      instead of the system's (--force-fallback-for), and the tests of the
#      suites that use jansson and cmocka (events, summarize, dispatch).
#      The sources come from subprojects/packagecache/ (CI fills it with
#      .ci/fetch-wrap-sources), or else from the wraps' upstream URLs;
#   6. where clang is installed (.ci/install-deps installs it):
#      build-fuzz/, the libFuzzer harnesses of tests/fuzz/ with ASan+UBSan,
#      each run for TN_FUZZ_TIME seconds (60) from its seed corpus, all
#      four side by side.
# Each step prints its count; the closing line adds them all up:
#   "tests: N passed, N failed, N skipped".
# TN_QUICK=1 runs only step 1.  TN_TEST_JOBS sets meson test's processes
# (default 2), TN_BUILD_JOBS meson compile's jobs (default: ninja's).
set -u
cd "$(dirname "$0")/.." || exit 2
jobs=${TN_TEST_JOBS:-2}
build_jobs=${TN_BUILD_JOBS:-0}
passed=0 failed=0 skipped=0 rc=0 t0=$(date +%s) start=$(date +%s)

tally() {   # tally LOGFILE: add meson's counts from a testlog*.json
	log=$1
	[ -f "$log" ] || { echo "run-all: no $log"; rc=1; failed=$((failed + 1)); return; }
	p=$(grep -c '"result": "OK"' "$log" || true)
	x=$(grep -c '"result": "EXPECTEDFAIL"' "$log" || true)
	s=$(grep -c '"result": "SKIP"' "$log" || true)
	f=$(grep -Ec '"result": "(FAIL|TIMEOUT|ERROR|UNEXPECTEDPASS)"' "$log" || true)
	passed=$((passed + p + x)) skipped=$((skipped + s)) failed=$((failed + f))
	printf '=== %s: %d passed, %d failed, %d skipped (step: %ds)\n' \
		"$log" $((p + x)) "$f" "$s" $(($(date +%s) - t0))
}

# step TITLE: a step starts (its time counts from here; CI has 20 minutes)
step() { printf '\n=== %s\n' "$*"; t0=$(date +%s); }

# setup DIR OPTION...: configure DIR with these options (again, if it exists)
setup() {
	dir=$1; shift
	if [ -d "$dir" ]; then
		out=$(meson configure "$dir" "$@" 2>&1) || { echo "$out"; exit 2; }
	else
		out=$(meson setup "$dir" "$@" 2>&1) || { echo "$out"; exit 2; }
		# what was found: the log shows that the optional ones were not
		printf '%s\n' "$out" | sed -n '/^  \(Subprojects\|Dependencies\)$/,/^$/p'
	fi
}

compile() {
	meson compile -C "$1" -j "$build_jobs" >/dev/null ||
		{ meson compile -C "$1" -j "$build_jobs"; exit 2; }
}

# Meson writes a test log only when it runs tests: an old one must not count.
test_in() {  # test_in DIR LOGNAME [MESON-TEST-OPTION...]
	dir=$1 log=$1/meson-logs/$2; shift 2
	rm -f "$log"
	meson test -C "$dir" --num-processes "$jobs" --print-errorlogs "$@" || rc=1
	tally "$log"
}

step "build/ (debugoptimized)"
if [ ! -d build ]; then meson setup build >/dev/null || exit 2; fi
compile build
test_in build testlog.json

if [ "${TN_QUICK:-0}" != 1 ]; then
	step "build/ under valgrind"
	test_in build testlog-valgrind.json --setup=valgrind

	step "build-sanitize/ (ASan + UBSan)"
	if [ ! -d build-sanitize ]; then
		meson setup build-sanitize -Db_sanitize=address,undefined -Db_lundef=false >/dev/null || exit 2
	fi
	compile build-sanitize
	test_in build-sanitize testlog-sanitize.json --setup=sanitize

	step "build-minimal/ (every optional feature off)"
	setup build-minimal -Dauto_features=disabled -Dtests=enabled
	compile build-minimal
	test_in build-minimal testlog.json

	if [ "${TN_FALLBACK:-0}" = 1 ]; then
		step "build-fallback/ (jansson, cmocka, libyaml from subprojects/)"
		setup build-fallback -Dforce_fallback_for=jansson,cmocka,yaml-0.1 -Dyaml=enabled
		compile build-fallback
		test_in build-fallback testlog.json --suite events --suite summarize --suite dispatch
	fi

	if command -v clang >/dev/null 2>&1; then
		step "build-fuzz/ (libFuzzer, ${TN_FUZZ_TIME:-60} s a harness)"
		if [ ! -d build-fuzz ]; then
			CC=clang meson setup build-fuzz -Dfuzz=enabled \
				-Db_sanitize=address,undefined -Db_lundef=false >/dev/null || exit 2
		fi
		# only the harnesses (fuzz-budget exists only with libyaml): they
		# are what this step runs
		harnesses=$(ninja -C build-fuzz -t targets all |
			sed -n 's|^\(tests/fuzz/fuzz-[a-z]*\): .*|\1|p' | sort -u)
		# shellcheck disable=SC2086
		meson compile -C build-fuzz $harnesses >/dev/null || exit 2
		# all four at once: each still runs its minute (on a share of
		# the CPUs), and the step takes one minute, not two
		njobs=$jobs; jobs=4
		test_in build-fuzz testlog.json --no-rebuild --suite fuzz
		jobs=$njobs
	else
		echo "run-all: no clang: the fuzzing step is left out (.ci/install-deps installs it)"
	fi
fi

printf '\n=== all steps: %ds\n' $(($(date +%s) - start))
printf '\ntests: %d passed, %d failed, %d skipped\n' "$passed" "$failed" "$skipped"
[ "$failed" -eq 0 ] || rc=1
exit $rc
