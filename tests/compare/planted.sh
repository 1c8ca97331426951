#!/bin/sh
# tn-compare on traces of a real program (progs/workload.c) made by tn-trace:
#  - unchanged runs must pass: the same program traced 20 times (zero false
#    alarms), from another working directory, from another build directory,
#    as another user ($HOME, $USER, $LOGNAME), with TN_BACKEND forcing
#    another CPU backend;
#  - each planted change must be caught (exit 1) with its line in the report.
#
#   planted.sh TN-TRACE TN-COMPARE WORKLOAD LIBTN-DIR
#
# The program is copied into two build directories, so libtn is found
# through LD_LIBRARY_PATH (the copy loses its $ORIGIN run path).
set -u
trace=$1 compare=$2 workload=$3 libdir=$4
# In the sanitizer build the traced workload is sanitized, and
# LeakSanitizer cannot run in a process under ptrace (it stops the world
# with ptrace itself): no leak check in the traced runs.
if [ "${TN_UNDER_SANITIZER:-0}" = 1 ]; then
	export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
fi
case $libdir in /*) ;; *) libdir=$(pwd)/$libdir ;; esac
export LD_LIBRARY_PATH=$libdir
case $trace in /*) ;; *) trace=$(pwd)/$trace ;; esac
case $compare in /*) ;; *) compare=$(pwd)/$compare ;; esac
case $workload in /*) ;; *) workload=$(pwd)/$workload ;; esac
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/b1" "$tmp/b2" "$tmp/w1" "$tmp/w2" "$tmp/runs"
for b in b1 b2; do
	cp "$workload" "$tmp/$b/workload"
	printf '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUV\n' > "$tmp/$b/data.txt"
done
# tn-trace must be able to trace here (ptrace may be forbidden in a container)
if ! "$trace" -o /dev/null true 2>/dev/null; then
	echo "tn-trace cannot trace here: skipped"
	exit 77
fi

fail=0
# run NAME DIR BUILD MODE [ENV...]: trace one run into $tmp/runs/NAME.jsonl
run() {
	name=$1 dir=$2 build=$3 mode=$4
	shift 4
	(cd "$tmp/$dir" && env "$@" "$trace" -f -o "$tmp/runs/$name.jsonl" \
		"$tmp/$build/workload" "$mode" > /dev/null) || {
		echo "FAIL: tracing $name"
		fail=1
	}
}
# expect NAME STATUS [TEXT]: compare golden with NAME (TEXT "~RE": an
# extended regular expression)
expect() {
	name=$1 want=$2 text=${3:-}
	"$compare" "$tmp/runs/golden.jsonl" "$tmp/runs/$name.jsonl" > "$tmp/$name.out" 2>&1
	got=$?
	if [ "$got" -ne "$want" ]; then
		echo "FAIL: $name: exit $got, expected $want"
		cat "$tmp/$name.out"
		fail=1
	elif [ -n "$text" ] && case $text in
		"~"*) ! grep -qE -- "${text#\~}" "$tmp/$name.out" ;;
		*) ! grep -qF -- "$text" "$tmp/$name.out" ;;
		esac; then
		echo "FAIL: $name: the report lacks: $text"
		cat "$tmp/$name.out"
		fail=1
	else
		echo "ok: $name (exit $got)"
	fi
}

run golden w1 b1 base
alarms=0
i=1
while [ $i -le 20 ]; do
	run rerun$i w1 b1 base
	"$compare" "$tmp/runs/golden.jsonl" "$tmp/runs/rerun$i.jsonl" > "$tmp/rerun.out" 2>&1 || {
		alarms=$((alarms + 1))
		cat "$tmp/rerun.out"
	}
	i=$((i + 1))
done
echo "20 reruns: $alarms false alarms"
[ $alarms -eq 0 ] || fail=1

run other-cwd w2 b1 base
expect other-cwd 0
run other-build w1 b2 base
expect other-build 0
run other-user w1 b1 base HOME=/home/tn-someone-else USER=tn-someone-else LOGNAME=tn-someone-else
expect other-user 0
run backend w1 b1 base TN_BACKEND=scalar
expect backend 0

run insert w1 b1 insert
expect insert 1 '+lseek(fd'
run remove w1 b1 remove
expect remove 1 '-fsync(fd'
run reorder w1 b1 reorder
# (the fd's number after renumbering depends on what the runtime opens
# first: 8 here, more under the sanitizers)
expect reorder 1 '~^\+write\(fd[0-9]+<\$CWD/out\.txt>\) = \+$'
run otherfile w1 b1 otherfile
expect otherfile 1 '+openat("other.txt") = fd'
run fail w1 b1 fail
expect fail 1 '+openat("/nonexistent/data.txt") = ENOENT'
run child w1 b1 child
expect child 1 'process 1.1 (workload): only in new'

# The directory form: golden.jsonl against a directory of the 20 reruns
# (their first is compared call by call, all twenty for timing).
mkdir "$tmp/reruns"
cp "$tmp"/runs/rerun*.jsonl "$tmp/reruns/"
"$compare" "$tmp/runs/golden.jsonl" "$tmp/reruns" > "$tmp/dir.out" 2>&1
case $? in
0|1) grep -q 'timing not judged: 1 golden and 20 new runs' "$tmp/dir.out" ||
	{ echo "FAIL: directory side"; cat "$tmp/dir.out"; fail=1; } ;;
*) echo "FAIL: directory side"; cat "$tmp/dir.out"; fail=1 ;;
esac
exit $fail
