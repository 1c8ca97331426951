#!/bin/sh
# pcie-opencl.sh TN_DISPATCH TN_ASSERT: the PCIe rule of tn-assert.yaml(5)
# on real spans: tn-dispatch runs matmuls on the OpenCL device (PoCL in CI),
# whose upload, kernel and download spans tn-assert then judges.  The ratio
# must be measured (not the 0 of "no span at all"), pass a generous limit
# and fail a limit below it.  Exit 77 where no OpenCL device exists.
set -u
dispatch=$1 assert=$2
if ! "$dispatch" --list-backends 2>/dev/null | grep -q '^opencl  *yes'; then
	echo "no OpenCL device: skipped"
	exit 77
fi
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0
printf '%s\n' '{"op":"matmul","m":64,"k":64,"n":64,"seed":1,"repeat":3}' |
	"$dispatch" -b opencl -o "$tmp/ev.jsonl" || { echo "FAIL: tn-dispatch exit $?"; exit 1; }
for p in upload kernel download; do
	grep -q "\"phase\":\"$p\"" "$tmp/ev.jsonl" || { echo "FAIL: no $p span"; fail=1; }
done
budget() {   # budget MAX
	printf 'assertions:\n  - name: transfers\n    type: pcie\n    span: matmul\n    backend: opencl\n    max: %s\n' "$1" > "$tmp/b.yaml"
}
budget 1000000
"$assert" -c "$tmp/b.yaml" --format=json "$tmp/ev.jsonl" > "$tmp/v.jsonl"
rc=$?
[ $rc -eq 0 ] || { echo "FAIL: limit 1000000: exit $rc, expected 0"; fail=1; }
ratio=$(sed -n 's/.*"measured":\([0-9.e+-]*\).*/\1/p' "$tmp/v.jsonl")
echo "measured transfer/kernel ratio: $ratio"
awk -v r="$ratio" 'BEGIN { exit !(r > 0) }' || { echo "FAIL: ratio '$ratio' not measured"; cat "$tmp/v.jsonl"; fail=1; }
# a limit below what was measured must fail, and say so
budget "$(awk -v r="$ratio" 'BEGIN { printf "%.9f", r / 2 }')"
"$assert" -c "$tmp/b.yaml" "$tmp/ev.jsonl" > "$tmp/out.txt"
rc=$?
[ $rc -eq 1 ] || { echo "FAIL: limit ratio/2: exit $rc, expected 1"; cat "$tmp/out.txt"; fail=1; }
grep -q FAIL "$tmp/out.txt" || { echo "FAIL: no FAIL line"; fail=1; }
exit $fail
