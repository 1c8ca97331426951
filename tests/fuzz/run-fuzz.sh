#!/bin/sh
# run-fuzz.sh FUZZER SEEDS DICT: one bounded libFuzzer run (tests/fuzz/README.md).
# New inputs go to a temporary folder, never into the tree; a crash, leak,
# timeout or failed oracle leaves its input in $TN_FUZZ_ARTIFACTS (default:
# the build folder's fuzz-artifacts/) and fails the test.
#   TN_FUZZ_TIME   seconds of fuzzing (default 60)
#   TN_FUZZ_JOBS   parallel fuzzing processes (default 1)
#   TN_FUZZ_ARGS   more libFuzzer options, e.g. "-max_len=65536"
set -u
fuzzer=$1
seeds=$2
dict=$3
time=${TN_FUZZ_TIME:-60}
jobs=${TN_FUZZ_JOBS:-1}
art=${TN_FUZZ_ARTIFACTS:-$(pwd)/fuzz-artifacts}
mkdir -p "$art" || exit 99
# Any sanitizer report is fatal, so that libFuzzer keeps the input.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
work=$(mktemp -d) || exit 99
trap 'rm -rf "$work"' EXIT
set -- -max_total_time="$time" -max_len=4096 -timeout=20 -rss_limit_mb=4096 \
	-print_final_stats=1 -dict="$dict" -artifact_prefix="$art/$(basename "$fuzzer")-"
if [ "$jobs" -gt 1 ]; then
	set -- "$@" -jobs="$jobs" -workers="$jobs"
fi
# shellcheck disable=SC2086
exec "$fuzzer" "$@" ${TN_FUZZ_ARGS:-} "$work" "$seeds"
