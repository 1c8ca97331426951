#!/bin/sh
# compare-strace.sh TN_TRACE COMMAND [ARG]...
# Run COMMAND under `strace -f -c` and under `tn-trace -f` and compare the
# calls and errors of each syscall per architecture: name@arch, where
# strace's tables for "32 bit" and "x32" mode are x86 and x32, its first
# x86_64.  strace -c counts a call when it returns, so records without
# "ret" (exit_group, calls cut short) are left out of tn-trace's side too.
# strace runs twice: a name@arch whose count differs between strace's own
# two runs (signal timing, scheduling) is not deterministic and is left out
# (and listed); nothing else is.  With $TN_SUMMARIZE set, tn-trace's side is
# the table that tn-summarize makes of its output, parsed as strace's.
# Exit 0: equal; 1: different; 77: strace, jq or the command missing.
set -u
tn_trace=$1; shift
command -v strace >/dev/null 2>&1 || { echo "strace not installed: skipped"; exit 77; }
command -v jq >/dev/null 2>&1 || { echo "jq not installed: skipped"; exit 77; }
command -v "$1" >/dev/null 2>&1 || { echo "$1 not installed: skipped"; exit 77; }
# Under the valgrind test setup, /usr/bin/env (skipped by valgrind) runs
# tn-trace bare: a ptrace tracer cannot run inside valgrind.
case $tn_trace in /*) ;; *) tn_trace=$(pwd)/$tn_trace ;; esac
tmp=$(mktemp -d) || exit 1
trap '[ -n "${TN_COMPARE_KEEP:-}" ] || rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
# $TN_COMPARE_SETUP (a shell command) runs in the scratch directory before
# each of the three runs, so that each starts from the same state.
setup() { [ -z "${TN_COMPARE_SETUP:-}" ] || sh -c "$TN_COMPARE_SETUP"; }
# "name@arch calls errors" of each row of a strace -c table (one table per
# architecture, the first without a title)
table() {
	awk 'BEGIN { n = 0; arch = "x86_64" }
	     /^System call usage summary for .* mode/ {
		m = $0; sub(/^System call usage summary for /, "", m); sub(/ mode:?$/, "", m)
		arch = m == "32 bit" ? "x86" : m == "64 bit" ? "x86_64" : m
		n = 0; next }
	     /^------/ { n++; next }
	     n == 1 && NF >= 5 { e = (NF == 6) ? $5 : 0; print $NF "@" arch, $4, e }' "$1" | sort
}
# One attempt: strace twice, tn-trace once, compared.  0 equal, 1 different,
# 2 broken.
attempt() {
	setup
	strace -f -c -o a.txt "$@" >/dev/null 2>a.err </dev/null
	setup
	strace -f -c -o b.txt "$@" >/dev/null 2>b.err </dev/null
	table a.txt > a.counts
	table b.txt > b.counts
	setup
	/usr/bin/env "$tn_trace" -f -o trace.jsonl -- "$@" >/dev/null 2>trace.err </dev/null
	if [ -n "${TN_SUMMARIZE:-}" ]; then
		# the pipeline of tn-trace(1): tn-summarize's strace -c table
		/usr/bin/env "$TN_SUMMARIZE" trace.jsonl > t.txt || return 2
		table t.txt > t.counts
	else
		jq -r 'select(.type == "syscall" and has("ret")) | [.name + "@" + .arch, (if .err then 1 else 0 end)] | @tsv' trace.jsonl |
			awk '{ c[$1]++; e[$1] += $2 } END { for (k in c) print k, c[k], e[k] }' | sort > t.counts
	fi

	# left out: what strace's two runs disagree on, in this attempt or an
	# earlier one (skip.seen), nothing else
	{ join -a1 -a2 -e x -o 0,1.2,1.3,2.2,2.3 a.counts b.counts |
		awk '$2 != $4 || $3 != $5 { print $1 }'
	  cat skip.seen; } | sort -u > skip
	cp skip skip.seen
	if [ -s skip ]; then
		echo "not deterministic here, left out: $(tr '\n' ' ' < skip)"
	fi
	filter() { awk 'FILENAME == ARGV[1] { s[$1] = 1; next } !($1 in s)' skip "$1"; }
	filter a.counts > a.kept
	filter t.counts > t.kept
	if [ "$(wc -l < a.kept)" -eq 0 ]; then
		echo "strace recorded nothing for: $*"
		return 2
	fi
	if ! cmp -s a.kept t.kept; then
		echo "syscall counts differ for: $*"
		echo "--- strace -f -c (name calls errors) vs +++ tn-trace -f:"
		diff a.kept t.kept
		return 1
	fi
	echo "equal: $(wc -l < t.kept) syscall names, $(awk '{ s += $2 } END { print s }' t.kept) calls: $*"
	return 0
}

# A signal that lands while a call is in progress (a SIGCHLD during a fork:
# clone = ERESTARTNOINTR, then restarted) adds a call to that run alone;
# under load it can hit the tn-trace run and not strace's two.  So an
# attempt that differs is made again, up to $TN_COMPARE_TRIES times (5): a
# miscount in tn-trace differs every time and still fails.  What strace
# disagreed with itself on in one attempt stays left out in the next.
tries=${TN_COMPARE_TRIES:-5}
: > skip.seen
i=1
while :; do
	attempt "$@"
	rc=$?
	[ $rc -eq 1 ] && [ $i -lt "$tries" ] || exit $rc
	echo "attempt $i of $tries differed; again"
	i=$((i + 1))
done
