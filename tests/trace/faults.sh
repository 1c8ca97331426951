#!/bin/sh
# faults.sh TN_TRACE BUSY SPINNER CASE
# tn-trace when things go wrong (tn-trace(1), WHEN OUTPUT FAILS and EXIT
# STATUS); one CASE per run:
#  writer-killed          the writer process dies while a busy tracee fills
#                         the ring: one line, exit 2, the tracee detached
#  writer-killed-sigterm  the writer dies, the tracee is quiet, SIGTERM:
#                         one line, exit 2, the tracee detached
#  stalled-reader         the reader stops reading and the ring fills;
#                         SIGTERM detaches at once (-p: exit 0; a command:
#                         143, left running)
#  efbig                  a file-size limit cuts a write short: exit 2, one
#                         line, the file ends with its last whole record
#                         (with SIGXFSZ ignored and with its default action)
#  full-disk              -o /dev/full: exit 2, one line
#  closed-pipe            the reader goes away: exit 141, the tracee detached
#  exec-fails             commands the kernel will not run: exit 2 and one
#                         line, before running them where it can be known,
#                         after their failed execve where not; a command
#                         that exits 127 itself still gives 127
#  same-file              -o F --cmd-stdout F (or another name of F, or F
#                         as standard output): refused, exit 2, one line
#  attach-twice           -p X,X and -p X -p X attach once
# Every wait is bounded.  Exit 0: all held; 1: not; 77: jq missing, or a
# case whose bounds are about time under valgrind.
set -u
tn_trace=$1 busy=$2 spinner=$3 case=$4
command -v jq >/dev/null 2>&1 || { echo "jq not installed: skipped"; exit 77; }
# Under valgrind tn-trace runs 20-50 times slower, and the cases that race
# a signal or a dying writer against a deadline measure valgrind, not
# tn-trace; they run in the plain and the sanitizer setups.
if [ "${TN_UNDER_VALGRIND:-0}" = 1 ]; then
	case $case in
	writer-killed|writer-killed-sigterm|stalled-reader|closed-pipe|attach-twice)
		echo "$case: timing bounds do not hold under valgrind: skipped"; exit 77 ;;
	esac
fi
for v in tn_trace busy spinner; do
	eval "p=\$$v"
	case $p in /*) ;; *) eval "$v=\$(pwd)/\$p" ;; esac
done
tmp=$(mktemp -d) || exit 1
pids=
cleanup() { for p in $pids; do kill -9 "$p" 2>/dev/null; done; rm -rf "$tmp"; }
trap cleanup EXIT
cd "$tmp" || exit 1
fail=0
bad() { echo "FAIL: $case: $*"; fail=1; }

now() { date +%s%N; }
# state letter of a process (R, S, T, t, Z...), or "gone"
state() { sed -n 's/^[^)]*) \(.\).*/\1/p' "/proc/$1/stat" 2>/dev/null || echo gone; }
tracer() { sed -n 's/^TracerPid:[[:space:]]*//p' "/proc/$1/status" 2>/dev/null; }
# Wait at most $2 seconds for background child $1 to end; its status in rc
# (124 when it had to be killed), the seconds it took in took.
wait_for() {
	t0=$(now) n=0
	while :; do
		case $(state "$1") in Z|gone) break ;; esac
		n=$((n + 1))
		if [ $n -gt $(($2 * 20)) ]; then
			kill -9 "$1" 2>/dev/null
			wait "$1" 2>/dev/null
			rc=124 took=$2
			return
		fi
		sleep 0.05
	done
	wait "$1"
	rc=$?
	took=$(( ($(now) - t0) / 1000000 ))
	took=$((took / 1000)).$(printf '%03d' $((took % 1000)))
}
# every thread of process $1 runs (not stopped) and is not traced
detached() {
	for t in /proc/"$1"/task/*; do
		tp=$(sed -n 's/^TracerPid:[[:space:]]*//p' "$t/status" 2>/dev/null)
		[ "${tp:-0}" = 0 ] || { echo "thread ${t##*/} still traced by $tp"; return 1; }
	done
	s=$(state "$1")
	case $s in R|S|D) ;; *) sleep 0.2; s=$(state "$1") ;; esac
	case $s in R|S|D) return 0 ;; esac
	echo "state $s"
	return 1
}
one_line() {
	[ "$(wc -l < "$1")" -eq 1 ] && grep -q "$2" "$1" ||
		bad "$3: stderr is not one line saying '$2': $(cat "$1")"
}
whole_lines() { jq -c . "$1" >/dev/null 2>&1 && [ -z "$(tail -c1 "$1" | tr -d '\n')" ]; }
# Wait (at most 15 s) until process $1 stays in its ptrace stop: the
# tracer waits for room in a full ring.  (A tracee that goes on switches
# context at every stop.)
switches() { awk '/ctxt_switches/ { n += $2 } END { print n }' "/proc/$1/status" 2>/dev/null; }
stuck() {
	n=0
	while [ $n -lt 30 ]; do
		a=$(switches "$1"); sleep 0.5; b=$(switches "$1")
		[ "$(state "$1")" = t ] && [ "$a" = "$b" ] && return 0
		n=$((n + 1))
	done
	return 1
}
# The writer process of tn-trace $1, started by setsid: in its session.
writer_of() { pgrep -x -s "$1" tn-trace-out; }
start_bg() { "$@" & bg=$!; pids="$pids $bg"; }
limit="timeout -k 5 20"         # a tn-trace run in the foreground

case $case in
writer-killed)
	start_bg "$busy"; bp=$bg
	setsid "$tn_trace" -p "$bp" -o ev 2>err & tr=$!
	sleep 0.5
	w=$(writer_of $tr)
	[ -n "$w" ] || bad "no writer process found"
	kill -9 $w
	wait_for $tr 10
	echo "writer killed under a busy tracee: exit $rc after $took s"
	[ $rc -eq 2 ] || bad "exit $rc, expected 2"
	one_line err "writer process" "writer killed"
	msg=$(detached "$bp") || bad "the tracee is not left running: $msg"
	whole_lines ev || bad "the events are not whole lines"
	;;
writer-killed-sigterm)
	sleep 60 & sp=$!; pids="$pids $sp"
	setsid "$tn_trace" -p "$sp" -o ev 2>err & tr=$!
	sleep 0.5
	w=$(writer_of $tr)
	[ -n "$w" ] || bad "no writer process found"
	kill -9 $w
	sleep 0.3
	kill -TERM $tr
	wait_for $tr 10
	echo "SIGTERM with a dead writer: exit $rc after $took s"
	[ $rc -eq 2 ] || bad "exit $rc, expected 2"
	one_line err "writer process" "SIGTERM with a dead writer"
	msg=$(detached "$sp") || bad "the tracee is not left running: $msg"
	;;
stalled-reader)
	mkfifo fifo
	exec 3<>fifo            # a reader that never reads
	start_bg "$busy"; bp=$bg
	# (not holding the reader's end: its writer would wait for itself)
	"$tn_trace" -p "$bp" >fifo 2>err 3<&- & tr=$!
	stuck "$bp" || bad "precondition: the tracee does not wait for the output ($(state "$bp"))"
	kill -TERM $tr
	wait_for $tr 10
	echo "SIGTERM with a stalled reader, -p: exit $rc after $took s"
	[ $rc -eq 0 ] || bad "-p: exit $rc, expected 0"
	[ -s err ] && bad "-p: said something: $(cat err)"
	msg=$(detached "$bp") || bad "-p: the tracee is not left running: $msg"

	"$tn_trace" -- "$busy" >fifo 2>err 3<&- & tr=$!
	sleep 0.3
	cp=$(pgrep -P $tr)
	pids="$pids $cp"
	stuck "$cp" || bad "precondition: the command does not wait for the output ($(state "$cp"))"
	kill -INT $tr
	wait_for $tr 10
	echo "SIGINT with a stalled reader, a command: exit $rc after $took s"
	[ $rc -eq 130 ] || bad "command: exit $rc, expected 130"
	msg=$(detached "$cp") || bad "command: not left running: $msg"
	exec 3<&-
	;;
efbig)
	for xfsz in ignored default; do
		if [ $xfsz = ignored ]; then
			( trap '' XFSZ; ulimit -f 20; exec $limit "$tn_trace" -o ev -- "$busy" 100000 ) 2>err
		else
			( ulimit -f 20; exec $limit "$tn_trace" -o ev -- "$busy" 100000 ) 2>err
		fi
		rc=$?
		echo "file-size limit, SIGXFSZ $xfsz: exit $rc, $(wc -c < ev) bytes"
		[ $rc -eq 2 ] || bad "SIGXFSZ $xfsz: exit $rc, expected 2"
		one_line err "ev: File too large" "SIGXFSZ $xfsz"
		[ -s ev ] || bad "SIGXFSZ $xfsz: nothing written"
		whole_lines ev || bad "SIGXFSZ $xfsz: the file does not end with a whole record: $(tail -c 40 ev | od -c | tail -3)"
	done
	;;
full-disk)
	$limit "$tn_trace" -o /dev/full -- "$busy" 100000 2>err
	rc=$?
	echo "-o /dev/full: exit $rc"
	[ $rc -eq 2 ] || bad "exit $rc, expected 2"
	one_line err "/dev/full: No space left on device" "full disk"
	;;
closed-pipe)
	start_bg "$busy"; bp=$bg
	{ $limit "$tn_trace" -p "$bp" 2>err; echo $? > rc; } | head -c 100 >/dev/null
	rc=$(cat rc)
	echo "reader gone: exit $rc"
	[ "$rc" -eq 141 ] || bad "exit $rc, expected 141"
	[ -s err ] && bad "said something: $(cat err)"
	msg=$(detached "$bp") || bad "the tracee is not left running: $msg"
	;;
exec-fails)
	printf '#!/nonexistent/interp\necho hi\n' > bad-interp
	printf 'plain\n' > not-x; printf '#!%s/not-x\n' "$tmp" > interp-not-executable
	printf '\177ELF' > trunc-elf
	# ELF64 headers, little-endian x86_64: a relocatable object (type 1),
	# and an executable (type 2) with no program headers, which only
	# execve finds wrong.
	elf() { printf '\177ELF\002\001\001\000\000\000\000\000\000\000\000\000\00'"$1"'\000\076\000\001\000\000\000'; head -c 40 /dev/zero; }
	elf 1 > object; elf 2 > no-phdrs
	chmod 755 bad-interp interp-not-executable trunc-elf object no-phdrs
	for c in bad-interp interp-not-executable trunc-elf object no-phdrs; do
		$limit "$tn_trace" -o ev -- ./$c 2>err
		rc=$?
		echo "$c: exit $rc: $(cat err)"
		[ $rc -eq 2 ] || bad "$c: exit $rc, expected 2"
		case $c in
		bad-interp) one_line err "bad interpreter /nonexistent/interp: No such file" $c ;;
		interp-not-executable) one_line err "bad interpreter .*: Permission denied" $c ;;
		no-phdrs) one_line err "could not run: Exec format error" $c ;;
		*) one_line err "Exec format error" $c ;;
		esac
		# refused before anything ran: no events at all
		[ $c = no-phdrs ] || [ ! -s ev ] || bad "$c: events were written"
	done
	$limit "$tn_trace" -o ev -- sh -c 'exit 127' 2>err
	rc=$?
	[ $rc -eq 127 ] || bad "a command exiting 127: exit $rc"
	[ -s err ] && bad "a command exiting 127: said something: $(cat err)"
	;;
same-file)
	ln -s F link; touch G; ln G hard
	for args in "-o F --cmd-stdout F" "-o F --cmd-stdout link" "-o G --cmd-stdout hard" \
		    "--cmd-stdout F"; do
		echo keep > F; echo keep > G
		out=F.out
		[ "$args" = "--cmd-stdout F" ] && out=F      # the events on stdout
		# shellcheck disable=SC2086
		$limit "$tn_trace" $args -- echo from-the-command > $out 2>err
		rc=$?
		echo "$args: exit $rc: $(cat err)"
		[ $rc -eq 2 ] || bad "$args: exit $rc, expected 2"
		one_line err "names the file the events go to" "$args"
		grep -q from-the-command F G 2>/dev/null && bad "$args: the command ran"
	done
	$limit "$tn_trace" -o /dev/null --cmd-stdout /dev/null -- true 2>err
	rc=$?
	[ $rc -eq 0 ] || bad "/dev/null twice: exit $rc: $(cat err)"
	;;
attach-twice)
	start_bg "$spinner"; sp=$bg
	sleep 0.2
	for args in "-p $sp,$sp" "-p $sp -p $sp"; do
		# shellcheck disable=SC2086
		"$tn_trace" $args -o ev 2>err & tr=$!
		sleep 0.5
		kill -TERM $tr
		wait_for $tr 10
		echo "$args: exit $rc"
		[ $rc -eq 0 ] || bad "$args: exit $rc, expected 0: $(cat err)"
		n=$(jq -s '[.[] | select(.type == "proc" and .via == "attach")] | length' ev)
		[ "$n" = 2 ] || bad "$args: $n threads attached, expected 2 (once each)"
		msg=$(detached "$sp") || bad "$args: not left running: $msg"
	done
	;;
*)
	echo "unknown case $case"; exit 1 ;;
esac
[ $fail -eq 0 ] && echo "ok $case"
exit $fail
