#!/bin/sh
# bench-trace.sh TN_TRACE WORKLOAD FLOOR
# Side by side, in one run, on the workload of perf-anchors.md (N getpid
# then N/10 one-byte writes to /dev/null): untraced, the bare ptrace floor
# loop, strace -f -o /dev/null, tn-trace -o FILE, and with seccomp-bpf
# strace -f -c --seccomp-bpf -e trace=write vs tn-trace --seccomp-bpf -f
# -e trace=write -o FILE.  Each is run REPS times, interleaved; the best
# (least disturbed) wall time of each is reported (the short seccomp runs
# go three times a round), with ratios, the cost
# per traced syscall, and the counts each tracer saw (they must be equal).
#   BENCH_TRACE_CALLS  N (default 100000; perf-anchors.md uses 1000000)
#   BENCH_TRACE_REPS   repetitions (default 3)
set -u
tn_trace=$1 work=$2 floor=$3
n=${BENCH_TRACE_CALLS:-100000}
m=$((n / 10))
reps=${BENCH_TRACE_REPS:-3}
command -v strace >/dev/null 2>&1 || { echo "strace not installed: skipped"; exit 77; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

now() { date +%s%N; }
best() { # NAME: keep the smallest time in $tmp/NAME.best, all in NAME.all
	t=$(( $(now) - start ))
	echo "$t" >> "$tmp/$1.all"
	if [ ! -f "$tmp/$1.best" ] || [ "$t" -lt "$(cat "$tmp/$1.best")" ]; then
		echo "$t" > "$tmp/$1.best"
	fi
}
run() { # NAME COMMAND...
	name=$1; shift
	start=$(now)
	"$@" >/dev/null 2>"$tmp/$name.err" || { echo "$name failed:"; cat "$tmp/$name.err"; exit 1; }
	best "$name"
}

echo "workload: $n getpid + $m one-byte writes; best of $reps, interleaved"
i=0
while [ $i -lt "$reps" ]; do
	run untraced "$work" "$n" "$m"
	run floor "$floor" "$work" "$n" "$m"
	run strace strace -f -o /dev/null "$work" "$n" "$m"
	run tn "$tn_trace" -o "$tmp/tn.jsonl" -- "$work" "$n" "$m"
	# the seccomp runs are short: three of each per round
	for k in 1 2 3; do
		run strace_seccomp strace -f -c -o "$tmp/strace_seccomp.txt" --seccomp-bpf -e trace=write "$work" "$n" "$m"
		run tn_seccomp "$tn_trace" -f --seccomp-bpf -e trace=write -o "$tmp/tn_seccomp.jsonl" -- "$work" "$n" "$m"
	done
	i=$((i + 1))
done

# counts: what each saw
floor_stops=$(sed -n 's/^trace-floor: \([0-9]*\) syscall stops$/\1/p' "$tmp/floor.err")
tn_getpid=$(grep -c '"name":"getpid"' "$tmp/tn.jsonl")
tn_write=$(grep -c '"name":"write"' "$tmp/tn.jsonl")
tn_all=$(grep -c '"type":"syscall"' "$tmp/tn.jsonl")
strace -f -c -o "$tmp/count.txt" -e trace=getpid,write "$work" "$n" "$m" >/dev/null 2>&1
s_getpid=$(awk '$NF == "getpid" { print $4 }' "$tmp/count.txt")
s_write=$(awk '$NF == "write" { print $4 }' "$tmp/count.txt")
ss_write=$(awk '$NF == "write" { print $4 }' "$tmp/strace_seccomp.txt")
ts_write=$(grep -c '"name":"write"' "$tmp/tn_seccomp.jsonl")
ts_other=$(grep '"type":"syscall"' "$tmp/tn_seccomp.jsonl" | grep -vc '"name":"write"')

ms() { awk -v t="$(cat "$tmp/$1.best")" 'BEGIN { printf "%9.1f ms", t / 1e6 }'; }
ratio() { awk -v a="$(cat "$tmp/$1.best")" -v b="$(cat "$tmp/$2.best")" 'BEGIN { printf "%.3f", a / b }'; }
per() { # NAME CALLS: us per traced syscall above the untraced run
	awk -v t="$(cat "$tmp/$1.best")" -v u="$(cat "$tmp/untraced.best")" -v c="$2" \
		'BEGIN { printf "%.2f us", (t - u) / 1e3 / c }'
}
calls=$((n + m))
printf '%-44s %s\n' "untraced" "$(ms untraced)"
printf '%-44s %s   %s/syscall\n' "bare ptrace loop (floor)" "$(ms floor)" "$(per floor $calls)"
printf '%-44s %s   %s/syscall\n' "strace -f -o /dev/null" "$(ms strace)" "$(per strace $calls)"
printf '%-44s %s   %s/syscall\n' "tn-trace -o FILE" "$(ms tn)" "$(per tn $calls)"
printf '%-44s %s\n' "strace -f -c --seccomp-bpf -e trace=write" "$(ms strace_seccomp)"
printf '%-44s %s\n' "tn-trace -f --seccomp-bpf -e trace=write" "$(ms tn_seccomp)"
# The median, over the rounds, of the ratio within a round: runs of one
# round are close in time, so a busy machine disturbs both sides alike.
med() { # A B: median of A[i]/B[i]
	paste "$tmp/$1.all" "$tmp/$2.all" | awk '{ print $1 / $2 }' | sort -g |
		awk '{ v[NR] = $1 } END { printf "%.3f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
echo
echo "                                     best-of ratio  median of round ratios"
echo "tn-trace / strace (full tracing):    $(ratio tn strace)          $(med tn strace)   (target <= 0.9)"
echo "tn-trace / floor:                    $(ratio tn floor)          $(med tn floor)"
echo "strace / floor:                      $(ratio strace floor)          $(med strace floor)"
echo "tn-trace / strace (seccomp, write):  $(ratio tn_seccomp strace_seccomp)          $(med tn_seccomp strace_seccomp)   (target <= 1.0)"
echo
echo "counts: floor saw $floor_stops syscall stops; tn-trace recorded $tn_all syscalls"
echo "  getpid: strace $s_getpid, tn-trace $tn_getpid; write: strace $s_write, tn-trace $tn_write"
echo "  seccomp write: strace $ss_write, tn-trace $ts_write (tn-trace recorded $ts_other other calls)"
ok=0
[ "$s_getpid" = "$tn_getpid" ] && [ "$tn_getpid" = "$n" ] || { echo "getpid counts differ"; ok=1; }
[ "$s_write" = "$tn_write" ] && [ "$ss_write" = "$ts_write" ] && [ "$ts_other" = 0 ] || { echo "write counts differ"; ok=1; }
exit $ok
