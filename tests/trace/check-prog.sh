#!/bin/sh
# check-prog.sh TN_TRACE PROGRAM NAME [TN-TRACE OPTION]...
# Trace PROGRAM (one of tests/trace/progs) with `tn-trace -f` and check
# (through /usr/bin/env, which the valgrind setup skips: a ptrace tracer
# cannot run inside valgrind)
# its exact, known counts with jq.  Exit 0: as expected; 1: not; 77: skipped.
set -u
tn_trace=$1 prog=$2 name=$3
shift 3
command -v jq >/dev/null 2>&1 || { echo "jq not installed: skipped"; exit 77; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
out=$tmp/trace.jsonl

# 32-bit calls: the program's probe (a child makes one) says whether this
# kernel runs them.  Where the kernel (or the hypervisor under it) has no
# int $0x80 gate, the child dies of a general protection fault (SIGSEGV),
# or the call fails with ENOSYS: the probe exits 77, and the case is
# skipped.
case $name in int80|socketcall)
	/usr/bin/env "$prog" probe >/dev/null 2>&1
	[ $? -eq 77 ] && { echo "no 32-bit syscalls here: skipped"; exit 77; }
esac
timeout 60 /usr/bin/env "$tn_trace" -f "$@" -o "$out" -- "$prog" </dev/null >"$tmp/stdout" 2>"$tmp/stderr"
rc=$?

fail=0
top=$(jq -s '[.[] | select(.type == "proc" and .via == "spawn")][0].pid // 0' "$out")
# expect WHAT JQ-PROGRAM EXPECTED: the jq program over the whole stream (-s)
expect() {
	got=$(jq -sc --argjson top "$top" "$2" "$out" 2>&1)
	if [ "$got" != "$3" ]; then
		echo "FAIL $name: $1: got $got, expected $3"
		fail=1
	fi
}
code() {
	if [ "$rc" -ne "$1" ]; then
		echo "FAIL $name: tn-trace exited $rc, expected $1"
		cat "$tmp/stderr"
		fail=1
	fi
}
sys='[.[] | select(.type == "syscall")]'
# every line is a JSON object with a type; the first is the header
expect "header first" '.[0].type + "/" + .[0].producer' '"header/tn-trace"'
# (oddnr makes calls no kernel knows on purpose: checked below)
[ "$name" = oddnr ] || expect "every syscall named, no unknown" \
	"$sys | map(select((.name | type) != \"string\" or .name == \"unknown\" or (.name | startswith(\"syscall_\")))) | length" '0'

case $name in
threads)
	code 0
	expect "getpid per thread" "$sys | map(select(.name == \"getpid\")) | group_by(.tid) | map(length)" '[1000,1000,1000,1000,1000]'
	expect "threads created" '[.[] | select(.type == "proc" and .thread == true)] | length' '4'
	expect "threads ended" '[.[] | select(.type == "exit" and .thread == true)] | length' '4'
	expect "process exit" '[.[] | select(.type == "exit" and .thread == false) | .code]' '[0]'
	;;
threads-seccomp)
	# run with --seccomp-bpf -e trace=getpid: nothing else is recorded
	code 0
	expect "only getpid" "$sys | map(.name) | unique" '["getpid"]'
	expect "getpid per thread" "$sys | group_by(.tid) | map(length)" '[1000,1000,1000,1000,1000]'
	;;
forkexec)
	code 6
	expect "getppid per process" "$sys | map(select(.name == \"getppid\")) | group_by(.pid) | map(length)" '[7,7]'
	expect "execs" '[.[] | select(.type == "exec") | .argv[1] // "-"] | sort' '["-","leaf","leaf","middle"]'
	expect "new processes" '[.[] | select(.type == "proc" and .via != "spawn") | .via] | sort' '["clone","clone","vfork"]'
	expect "exit codes" '[.[] | select(.type == "exit") | .code] | sort' '[3,3,3,6]'
	expect "parents known" '[.[] | select(.type == "proc" and .via != "spawn") | .ppid > 0] | all' 'true'
	;;
forkexec-filter)
	# run with -e trace=getppid
	code 6
	expect "only getppid" "$sys | map(.name) | unique" '["getppid"]'
	expect "getppid total" "$sys | length" '14'
	;;
execthread)
	code 0
	expect "execs" '[.[] | select(.type == "exec") | .argv[1] // "-"]' '["-","after"]'
	expect "getppid from the leader tid after exec" "$sys | map(select(.name == \"getppid\") | .tid == .pid) | [length, all]" '[5,true]'
	expect "the executing thread vanished" '[.[] | select(.type == "exit" and .thread == true)] | length' '1'
	expect "process exit" '[.[] | select(.type == "exit" and .thread == false) | .code]' '[0]'
	;;
leaderexit)
	code 5
	expect "getpid per thread, none from the leader" "$sys | map(select(.name == \"getpid\") | select(.tid != .pid)) | group_by(.tid) | map(length)" '[50,50]'
	expect "process exit last" '[.[] | select(.type == "exit")] | last | [.thread, .code]' '[false,5]'
	;;
signals)
	code 0
	expect "SIGUSR1 delivered" '[.[] | select(.type == "signal" and .sig == "SIGUSR1")] | length' '3'
	# a signal return is a 64-bit call, named at its entry
	expect "signal returns" "$sys | map(select(.name == \"rt_sigreturn\") | [.arch, .nr]) | group_by(.) | map(.[0] + [length])" '[["x86_64",15,3]]'
	expect "child stopped and continued" '[.[] | select(.type == "signal" and (.sig == "SIGSTOP" or .sig == "SIGCONT")) | .sig]' '["SIGSTOP","SIGCONT"]'
	expect "child getppid" "$sys | map(select(.name == \"getppid\")) | length" '4'
	expect "exit codes" '[.[] | select(.type == "exit") | .code]' '[0,0]'
	;;
fails)
	code 42
	expect "failed opens" "$sys | map(select(.path == \"/nonexistent/tn-trace-test\") | [.name, .err, .ret]) | unique + [length]" '[["openat","ENOENT",-2],17]'
	expect "descriptor annotated" "$sys | map(select(.fdpath == \"/dev/null\") | [.name, .ret]) | .[-2:]" '[["write",1],["close",0]]'
	;;
fails-status)
	# run with -e status=failed
	code 42
	expect "only failures" "$sys | map(select(has(\"err\") | not)) | length" '0'
	expect "failed opens" "$sys | map(select(.path == \"/nonexistent/tn-trace-test\")) | length" '17'
	;;
int80)
	code 0
	expect "32-bit calls" "$sys | map(select(.arch == \"x86\") | [.name, .nr]) | group_by(.) | map(.[0] + [length])" '[["getpid",20,3],["getppid",64,2]]'
	;;
oddnr)
	# name and architecture from the entry, as strace has them:
	# syscall(-1) is an unknown 64-bit call (not a signal return), a
	# number with bit 30 (but -1) an x32 one; unknown ones named in hex
	code 0
	expect "unknown calls" "$sys | map(select(.name | startswith(\"syscall_\")) | [.name, .nr, .arch, .err]) | group_by(.) | map(.[0] + [length])" '[["syscall_0x186a0",100000,"x86_64","ENOSYS",3],["syscall_0x3ff",1023,"x86_64","ENOSYS",3],["syscall_0x400",1024,"x86_64","ENOSYS",3],["syscall_0x400007d0",1073743824,"x32","ENOSYS",3],["syscall_0x7fffffff",2147483647,"x32","ENOSYS",3],["syscall_0xfffffffffffffffe",-2,"x32","ENOSYS",3],["syscall_0xffffffffffffffff",-1,"x86_64","ENOSYS",3]]'
	expect "no signal return" "$sys | map(select(.name == \"rt_sigreturn\")) | length" '0'
	;;
execveat)
	# the name from the entry: the exit of an exec cannot tell which
	code 0
	expect "exec calls" "$sys | map(select(.name | startswith(\"exec\")) | [.name, .nr, .ret]) | group_by(.) | map(.[0] + [length])" '[["execve",59,0,1],["execveat",322,0,2]]'
	expect "execs" '[.[] | select(.type == "exec") | .argv[1] // "-"]' '["-","1","2"]'
	expect "getppid per program" "$sys | map(select(.name == \"getppid\")) | length" '3'
	;;
socketcall)
	# the calls socketcall and ipc make, by name, in the 32-bit table, with
	# the multiplexer's own number
	code 0
	expect "32-bit calls" "$sys | map(select(.arch == \"x86\" and (.nr == 102 or .nr == 117)) | [.name, .nr, .err // .ret]) | group_by(.) | map(.[0] + [length])" '[["recvfrom",102,2,1],["semctl",117,0,1],["sendto",102,2,1],["socketpair",102,0,1]]'
	expect "semget" "$sys | map(select(.name == \"semget\") | [.arch, .nr, .ret >= 0])" '[["x86",117,true]]'
	;;
killed)
	code 137
	expect "getpid" "$sys | map(select(.name == \"getpid\")) | length" '4'
	expect "kill never returned" "$sys | map(select(.name == \"kill\")) | map(has(\"ret\"))" '[false]'
	expect "exit" '[.[] | select(.type == "exit") | .signal]' '["SIGKILL"]'
	;;
restart)
	code 0
	expect "the sleep restarted" "$sys | map(select(.pid != \$top and (.name == \"clock_nanosleep\" or .name == \"restart_syscall\")) | [.name, .err // .ret])" '[["clock_nanosleep","ERESTART_RESTARTBLOCK"],["restart_syscall",0]]'
	expect "stopped and continued" '[.[] | select(.type == "signal" and .pid != $top) | .sig]' '["SIGSTOP","SIGCONT"]'
	;;
swarm|swarm-seccomp)
	code 0
	expect "getpid per thread" "$sys | map(select(.name == \"getpid\" and .pid != \$top)) | group_by(.tid) | map(length) | [length, unique]" '[80,[5]]'
	expect "processes and threads" '[.[] | select(.type == "proc" and .via != "spawn") | .thread] | group_by(.) | map(length)' '[20,60]'
	expect "parents named" '[.[] | select(.type == "proc" and .via != "spawn") | .ppid > 0 and .ptid > 0] | all' 'true'
	expect "process exits" '[.[] | select(.type == "exit" and .thread == false) | .code] | [length, unique]' '[21,[0]]'
	;;
*)
	echo "unknown test $name"
	exit 1
	;;
esac
[ $fail -eq 0 ] && echo "ok $name"
exit $fail
