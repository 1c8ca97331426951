#!/bin/sh
# spans.sh TN_TRACE SPANS_PROG CASE [TN_ASSERT]
# libtn's spans in tn-trace's output (the span ring, tn-trace(1)): progs/spans.c
# traced, its span records checked with jq.
#   plain  6 spans: dot x3 and matmul x2 in the main thread between its two
#          writes (in that order in the output), dot x1 in its second thread;
#          no record of the ring's mmap or of libtn's getpid/gettid
#   fork   with -f: and 2 dot spans with the child's pid
#   kill   the program kills itself with SIGKILL: its 6 spans are all there
#   assert tn-trace piped into tn-assert: backend and throughput budgets on
#          those spans pass at what was measured and fail beyond it
# Exit 0 pass, 1 fail, 77 jq missing.
set -u
tn_trace=$1 prog=$2 case=$3
# In the sanitizer build the program (built without sanitizers) links the
# sanitized libtn, so the ASan runtime is not first in its library list,
# and LeakSanitizer cannot run in a process under ptrace (it aborts at
# exit): neither check in these runs; the other tests check tn-trace's.
if [ "${TN_UNDER_SANITIZER:-0}" = 1 ]; then
	export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0:verify_asan_link_order=0"
fi
command -v jq >/dev/null 2>&1 || { echo "jq not installed: skipped"; exit 77; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
out=$tmp/trace.jsonl
fail() { echo "FAIL: $*"; cat "$out"; exit 1; }
check() { # jq expression that must be true
	[ "$(jq -s "$1" "$out")" = true ] || fail "$1"
}
case $case in
plain) /usr/bin/env "$tn_trace" -f -o "$out" -- "$prog" || fail "tn-trace exit $?" ;;
fork) /usr/bin/env "$tn_trace" -f -o "$out" -- "$prog" fork || fail "tn-trace exit $?" ;;
kill) /usr/bin/env "$tn_trace" -f -o "$out" -- "$prog" kill; [ $? -eq 137 ] || fail "tn-trace exit not 137" ;;
assert)
	tn_assert=$4
	/usr/bin/env "$tn_trace" -f -- "$prog" > "$out" || fail "tn-trace exit $?"
	ran=$(jq -r 'select(.type == "span" and .name == "matmul") | .backend' "$out" | sort -u)
	[ "$(echo "$ran" | wc -l)" -eq 1 ] || fail "matmul ran on: $ran"
	other=scalar; [ "$ran" = scalar ] && other=avx2
	budget() { # backend min
		printf 'assertions:\n  - name: mm-backend\n    type: backend\n    span: matmul\n    require: %s\n  - name: dot-rate\n    type: throughput\n    span: dot\n    min: %s\n' "$1" "$2" > "$tmp/b.yaml"
	}
	budget "$ran" 1KB/s
	/usr/bin/env "$tn_trace" -f -- "$prog" | /usr/bin/env "$tn_assert" -c "$tmp/b.yaml" > "$tmp/pass.txt" ||
		{ cat "$tmp/pass.txt"; fail "budget at what ran: tn-assert exit $?"; }
	budget "$other" 1KB/s
	/usr/bin/env "$tn_trace" -f -- "$prog" | /usr/bin/env "$tn_assert" -c "$tmp/b.yaml" > "$tmp/fail.txt"
	[ $? -eq 1 ] || { cat "$tmp/fail.txt"; fail "backend $other: tn-assert did not exit 1"; }
	grep -q "mm-backend" "$tmp/fail.txt" || fail "no mm-backend line"
	budget "$ran" 1000000GB/s
	/usr/bin/env "$tn_trace" -f -- "$prog" | /usr/bin/env "$tn_assert" -c "$tmp/b.yaml" > "$tmp/fail2.txt"
	[ $? -eq 1 ] || { cat "$tmp/fail2.txt"; fail "throughput 1000000GB/s: tn-assert did not exit 1"; }
	cat "$tmp/pass.txt" "$tmp/fail.txt" "$tmp/fail2.txt"
	;;
*) echo "unknown case $case"; exit 2 ;;
esac
main='(map(select(.type == "proc" and .via == "spawn")) | .[0].pid) as $p'
check "$main | [.[] | select(.type == \"span\" and .pid == \$p and .tid == \$p)] | (map(.name) == [\"dot\",\"dot\",\"dot\",\"matmul\",\"matmul\"]) and all(.phase == \"kernel\" and .n > 0 and .bytes > 0 and .ts > 0)"
check "$main | [.[] | select(.type == \"proc\" and .pid == \$p and .thread)] as \$th | [.[] | select(.type == \"span\" and .pid == \$p and .tid != \$p)] | length == 1 and .[0].name == \"dot\" and .[0].tid == \$th[0].tid"
# in order with the syscalls: dot x3, write "x", matmul x2, write "y"
check "$main | [.[] | select(.pid == \$p and .tid == \$p and (.type == \"span\" or (.type == \"syscall\" and .name == \"write\"))) | .name // \"\"] | .[0:6] == [\"dot\",\"dot\",\"dot\",\"write\",\"matmul\",\"matmul\"] and .[6] == \"write\""
check "$main | [.[] | select(.pid == \$p and .tid == \$p and (.type == \"span\" or (.type == \"syscall\" and .name == \"write\")))] | (.[3].ts > .[2].ts and .[4].ts > .[3].ts and .[6].ts > .[5].ts)"
# the channel's own calls are no part of the trace
if [ "${TN_UNDER_SANITIZER:-0}" = 1 ]; then
	# the sanitizer runtime makes getpid/gettid calls of its own: only
	# the channel's (its marker argument, "tnspanid") must be absent
	check '[.[] | select(.type == "syscall" and (.name == "getpid" or .name == "gettid") and (.args // [] | .[0]? // "" | tostring | test("746e7370616e6964")))] | length == 0'
else
	n_getpid=0; [ "$case" = kill ] && n_getpid=1   # kill(getpid(), SIGKILL)
	check "[.[] | select(.type == \"syscall\" and .name == \"getpid\")] | length == $n_getpid"
	check '[.[] | select(.type == "syscall" and .name == "gettid")] | length == 0'
fi
check '[.[] | select(.type == "syscall" and .name == "mmap" and (.args[4] | type) == "number" and .args[4] >= 100)] | length == 0'
case $case in
plain|assert) check '[.[] | select(.type == "span")] | length == 6' ;;
fork)
	check "$main | (map(select(.type == \"proc\" and .ppid == \$p and (.thread | not))) | .[0].pid) as \$c | [.[] | select(.type == \"span\" and .pid == \$c)] | length == 2 and all(.tid == \$c and .name == \"dot\")"
	check '[.[] | select(.type == "span")] | length == 8' ;;
kill)
	check "$main | [.[] | select(.type == \"exit\" and .pid == \$p and (.thread | not))] | .[0].signal == \"SIGKILL\""
	check '[.[] | select(.type == "span")] | length == 6' ;;
esac
echo "ok: $case"
