#!/bin/sh
# The complete example of tn-assert.yaml(5), taken from the man page as it
# is, must be accepted and give the verdicts in example.out on data/run.jsonl
# (exit 0: its one violation only warns).
#
#   example.sh TN_ASSERT SOURCE_ROOT
set -u
prog=$1
root=$2
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
# The first ``` block after "# EXAMPLE".
awk '/^# EXAMPLE/ { ex = 1; next }
     ex && /^```/ { if (in_block) exit; in_block = 1; next }
     in_block { print }' "$root/man/tn-assert.yaml.5.scd" > "$tmp/budgets.yaml"
if ! grep -q '^assertions:' "$tmp/budgets.yaml"; then
	echo "no example found in tn-assert.yaml.5.scd"
	exit 1
fi
"$prog" -c "$tmp/budgets.yaml" "$root/tests/assert/data/run.jsonl" > "$tmp/out" 2>&1
code=$?
if [ "${TN_REGEN:-0}" = 1 ]; then
	cp "$tmp/out" "$root/tests/assert/example.out"
	exit 0
fi
fail=0
if [ "$code" -ne 0 ]; then
	echo "exit status $code, expected 0"
	fail=1
fi
if ! diff -u "$root/tests/assert/example.out" "$tmp/out"; then
	fail=1
fi
exit $fail
