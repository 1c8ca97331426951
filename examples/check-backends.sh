#!/bin/sh
# SPDX-License-Identifier: MIT
# check-backends.sh EXAMPLE BACKEND_DETECTION: EXAMPLE exits 0, and its
# stdout is the same under TN_BACKEND=scalar, sse2, avx2 and avx512 as
# without TN_BACKEND.  A backend this machine lacks (backend_detection
# --has says) is skipped and named; exit 77 (skip) only when no forced
# backend could be compared.
set -u
ex=$1
detect=$2
name=$(basename "$ex")
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

if ! env -u TN_BACKEND "$ex" >"$tmp/auto" 2>"$tmp/auto.err"; then
	echo "FAIL: $name exited non-zero (TN_BACKEND unset):"
	cat "$tmp/auto.err"
	exit 1
fi
compared= skipped= failed=0
for b in scalar sse2 avx2 avx512; do
	if ! "$detect" --has "$b"; then
		skipped="$skipped $b"
		continue
	fi
	if ! TN_BACKEND=$b "$ex" >"$tmp/$b" 2>"$tmp/$b.err"; then
		echo "FAIL: $name exited non-zero under TN_BACKEND=$b:"
		cat "$tmp/$b.err"
		failed=1
		continue
	fi
	if ! cmp -s "$tmp/auto" "$tmp/$b"; then
		echo "FAIL: $name: stdout under TN_BACKEND=$b differs from auto:"
		diff "$tmp/auto" "$tmp/$b"
		failed=1
		continue
	fi
	compared="$compared $b"
done
echo "$name: same stdout under auto and${compared:- (none)}"
[ -n "$skipped" ] && echo "$name: skipped (this machine lacks them):$skipped"
[ "$failed" -ne 0 ] && exit 1
[ -z "$compared" ] && exit 77
exit 0
