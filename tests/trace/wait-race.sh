#!/bin/sh
# wait-race.sh TN_TRACE SIGNALS [RUNS]
# The signals program (progs/signals.c) RUNS times (40) under tn-trace -f.
# Its parent continues the stopped child (kill SIGCONT) and waits for it;
# the child, woken from its group-stop, sends the parent SIGCHLD
# (CLD_CONTINUED) as soon as it runs.  Whether that lands while the
# parent is already in wait4 (wait4 = ERESTARTSYS, then again) or before
# (the signal first, one wait4) is a race between the two processes that
# the scheduler decides, under strace as under tn-trace: strace -f -c
# pinned so that tracer and tracees run on different CPUs
# (taskset -c 1 strace -f -c taskset -c 0 PROG) counts wait4 2 calls,
# 0 errors nearly every time, where unpinned it counts 3 calls, 1 error.
# What the tracer must do is record whichever happened, whole: each run's
# parent, after its kill(SIGCONT), has either
#   wait4 ERESTARTSYS, SIGCHLD CLD_CONTINUED, wait4 = child
# or
#   SIGCHLD CLD_CONTINUED, wait4 = child
# and nothing else (no lost or extra call, the error on the call that was
# interrupted).  Where taskset and two CPUs are there, every other run is
# pinned that way, so that both outcomes occur.  Exit 0: every run so;
# 1: not; 77: jq missing.
set -u
tn_trace=$1 prog=$2 runs=${3:-40}
command -v jq >/dev/null 2>&1 || { echo "jq not installed: skipped"; exit 77; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
pin=
command -v taskset >/dev/null 2>&1 && [ "$(nproc 2>/dev/null || echo 1)" -ge 2 ] &&
	taskset -c 1 true 2>/dev/null && pin=yes
fail=0 interrupted=0 i=0
while [ $i -lt "$runs" ]; do
	i=$((i + 1))
	if [ -n "$pin" ] && [ $((i % 2)) -eq 0 ]; then
		run() { timeout 30 taskset -c 1 /usr/bin/env "$tn_trace" -f -o "$tmp/t.jsonl" -- taskset -c 0 "$prog"; }
	else
		run() { timeout 30 /usr/bin/env "$tn_trace" -f -o "$tmp/t.jsonl" -- "$prog"; }
	fi
	if ! run </dev/null >/dev/null 2>&1; then
		echo "FAIL run $i: tn-trace or the program failed"
		fail=1
		continue
	fi
	got=$(jq -sc '
		([.[] | select(.type == "proc" and .via == "spawn")][0].pid) as $top
		| [.[] | select(.pid == $top and .tid == $top)]
		| (map(.type == "syscall" and .name == "kill" and .args[1] == 18) | index(true)) as $k
		| .[$k + 1:]
		| map(select(.type == "signal" or .name == "wait4")
		      | if .type == "signal" then .sig + "/" + (.code | tostring)
			else "wait4/" + (.err // "ok") end)
		| .[0:(index("wait4/ok") // -1) + 1]' "$tmp/t.jsonl")
	case $got in
	'["wait4/ERESTARTSYS","SIGCHLD/6","wait4/ok"]') interrupted=$((interrupted + 1)) ;;
	'["SIGCHLD/6","wait4/ok"]') ;;
	*) echo "FAIL run $i: after kill(SIGCONT) the parent has $got"; fail=1 ;;
	esac
done
echo "$runs runs: wait4 interrupted in $interrupted, the signal first in $((runs - interrupted))"
exit $fail
