#!/bin/sh
# attach.sh TN_TRACE SPINNER
# -p attaches to every thread of a running process; SIGINT or SIGTERM to
# tn-trace detaches and leaves it running (not stopped); a second tracer is
# refused (permission: one line, exit 2); tn-trace running a command and
# interrupted, or killed, leaves whole lines and no stopped or orphaned
# tracee.  Exit 0: all held; 1: not; 77: jq missing.
set -u
tn_trace=$1 spinner=$2
command -v jq >/dev/null 2>&1 || { echo "jq not installed: skipped"; exit 77; }
case $tn_trace in /*) ;; *) tn_trace=$(pwd)/$tn_trace ;; esac
case $spinner in /*) ;; *) spinner=$(pwd)/$spinner ;; esac
tmp=$(mktemp -d) || exit 1
pids=
cleanup() { for p in $pids; do kill -9 "$p" 2>/dev/null; done; rm -rf "$tmp"; }
trap cleanup EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }

# state letter of a process (R, S, T, t, Z...), or "gone"
state() { sed -n 's/^[^)]*) \(.\).*/\1/p' "/proc/$1/stat" 2>/dev/null || echo gone; }
running() {
	s=$(state "$1")
	case $s in R|S|D) return 0 ;; esac
	# a thread may be caught between states: look again
	sleep 0.2
	s=$(state "$1")
	case $s in R|S|D) return 0 ;; esac
	return 1
}
whole_lines() { jq -c . "$1" >/dev/null 2>&1 && [ -z "$(tail -c1 "$1" | tr -d '\n')" ]; }

# 1. attach, detach on SIGINT, then on SIGTERM
/usr/bin/env "$spinner" & sp=$!
pids="$pids $sp"
sleep 0.2
for sig in INT TERM; do
	/usr/bin/env "$tn_trace" -p "$sp" -o "$tmp/p.jsonl" & tr=$!
	sleep 0.5
	# a second tracer cannot attach
	/usr/bin/env "$tn_trace" -p "$sp" -o "$tmp/second.jsonl" 2>"$tmp/second.err"
	rc=$?
	[ $rc -eq 2 ] || bad "second tracer: exit $rc, expected 2"
	[ "$(wc -l < "$tmp/second.err")" -eq 1 ] || bad "second tracer: not one line: $(cat "$tmp/second.err")"
	kill -s $sig $tr
	wait $tr
	rc=$?
	[ $rc -eq 0 ] || bad "detach on SIG$sig: exit $rc, expected 0"
	whole_lines "$tmp/p.jsonl" || bad "SIG$sig: output is not whole JSON lines"
	n=$(jq -s '[.[] | select(.type == "proc" and .via == "attach")] | length' "$tmp/p.jsonl")
	[ "$n" -eq 2 ] || bad "SIG$sig: $n threads attached, expected 2"
	n=$(jq -s '[.[] | select(.type == "syscall" and .name == "getppid")] | length' "$tmp/p.jsonl")
	[ "$n" -gt 0 ] || bad "SIG$sig: no getppid recorded"
	running "$sp" || bad "SIG$sig: the process is $(state "$sp") after detach"
	for t in /proc/"$sp"/task/*; do
		tr_pid=$(sed -n 's/^TracerPid:[[:space:]]*//p' "$t/status")
		[ "$tr_pid" = 0 ] || bad "SIG$sig: thread ${t##*/} still traced by $tr_pid"
	done
done
kill -9 "$sp"

# 2. a command run by tn-trace, tn-trace interrupted: detached, running
/usr/bin/env "$tn_trace" -f -o "$tmp/c.jsonl" -- "$spinner" & tr=$!
sleep 0.5
kill -TERM $tr
wait $tr
rc=$?
[ $rc -eq 143 ] || bad "interrupted: exit $rc, expected 143"
whole_lines "$tmp/c.jsonl" || bad "interrupted: output is not whole JSON lines"
cp=$(jq -s '[.[] | select(.type == "proc" and .via == "spawn")][0].pid' "$tmp/c.jsonl")
pids="$pids $cp"
running "$cp" || bad "interrupted: the command is $(state "$cp")"
kill -9 "$cp" 2>/dev/null

# 3. tn-trace killed with SIGKILL: whole lines, and the tracee dies with it
/usr/bin/env "$tn_trace" -f -o "$tmp/k.jsonl" -- "$spinner" & tr=$!
sleep 0.5
kill -KILL $tr
wait $tr
sleep 0.3   # the writer process writes what the tracer left
whole_lines "$tmp/k.jsonl" || bad "killed: output is not whole JSON lines"
kp=$(jq -s '[.[] | select(.type == "proc" and .via == "spawn")][0].pid' "$tmp/k.jsonl")
sleep 0.3
s=$(state "$kp")
case $s in gone|Z) ;; *) bad "killed: the tracee is still there ($s)"; pids="$pids $kp" ;; esac

[ $fail -eq 0 ] && echo "ok attach, detach, interrupt, kill"
exit $fail
