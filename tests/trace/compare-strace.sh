#!/bin/sh
# compare-strace.sh TN_TRACE COMMAND [ARG]...
# Run COMMAND under `strace -f -c` and under `tn-trace -f`, and compare
# the syscall names, calls and errors.  strace -c counts a call when it
# returns, so records without "ret" (exit_group, calls cut short) are left
# out of tn-trace's side too.  Exit 0: equal; 1: different; 77: skipped.
set -u
tn_trace=$1; shift
command -v strace >/dev/null 2>&1 || { echo "strace not installed: skipped"; exit 77; }
command -v jq >/dev/null 2>&1 || { echo "jq not installed: skipped"; exit 77; }
command -v "$1" >/dev/null 2>&1 || { echo "$1 not installed: skipped"; exit 77; }
if [ "${TN_UNDER_VALGRIND:-0}" = 1 ]; then
	# valgrind cannot run a ptrace tracer; tn-trace runs bare here.
	:
fi
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1

# strace: the -c table on its output file.
strace -f -c -o strace.txt "$@" >/dev/null 2>strace.err </dev/null
awk 'BEGIN { n = 0 }
     /^------/ { n++; next }
     n == 1 && NF >= 5 { e = (NF == 6) ? $5 : 0; print $NF, $4, e }' strace.txt |
	sort > strace.counts

"$tn_trace" -f -o trace.jsonl -- "$@" >/dev/null 2>trace.err </dev/null
jq -r 'select(.type == "syscall" and has("ret")) | [.name, (if .err then 1 else 0 end)] | @tsv' trace.jsonl |
	awk '{ c[$1]++; e[$1] += $2 } END { for (k in c) print k, c[k], e[k] }' |
	sort > trace.counts

if ! cmp -s strace.counts trace.counts; then
	echo "syscall counts differ for: $*"
	echo "--- strace -f -c (name calls errors) vs +++ tn-trace -f:"
	diff strace.counts trace.counts
	exit 1
fi
echo "equal: $(wc -l < trace.counts) syscall names, $(awk '{ s += $2 } END { print s }' trace.counts) calls: $*"
exit 0
