#!/bin/sh
# routing.sh TN_TRACE: where tn-trace(1) sends the command's output and what
# it exits with (the man page's WHERE OUTPUT GOES and EXIT STATUS).
#  - events on stdout: stdout holds only records, the command's stdout goes
#    to tn-trace's stderr;
#  - --cmd-stdout=FILE: the command's stdout goes to FILE;
#  - -o FILE: the command's stdout is left as it is;
#  - exit status: the command's, 128+N for signal N.
set -u
command -v jq >/dev/null 2>&1 || { echo "jq not installed: skipped"; exit 77; }
tn_trace=$1
case $tn_trace in /*) ;; *) tn_trace=$(pwd)/$tn_trace ;; esac
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
fail=0
bad() { echo "FAIL: $*"; fail=1; }
# Every line a record with a type, and the stream not empty.  (The
# command line is in the stream, in header and exec records, so its own
# output is looked for as a whole line.)
clean() { [ -s "$1" ] && jq -e -s 'all(.[]; type == "object" and has("type"))' "$1" >/dev/null; }
# tn-trace runs through /usr/bin/env, which the valgrind setup skips.
tt() { /usr/bin/env "$tn_trace" "$@"; }

tt -- echo routed-1 > ev1 2> err1
clean ev1 || bad "events on stdout: the stream holds something else"
grep -qx routed-1 ev1 && bad "events on stdout: the command's output is in the stream"
grep -qx routed-1 err1 || bad "events on stdout: the command's output is not on stderr"

tt --cmd-stdout=cmdout -- echo routed-2 > ev2 2> err2
clean ev2 || bad "--cmd-stdout: the stream holds something else"
grep -qx routed-2 cmdout || bad "--cmd-stdout: the command's output is not in the file"
grep -qx routed-2 err2 && bad "--cmd-stdout: the command's output went to stderr too"

tt -o ev3 -- echo routed-3 > out3 2> err3
clean ev3 || bad "-o: the file holds something else"
grep -qx routed-3 out3 || bad "-o: the command's stdout is not left as it is"

tt -o /dev/null -- sh -c 'exit 3'
rc=$?; [ $rc -eq 3 ] || bad "exit 3: tn-trace exited $rc"
tt -o /dev/null -- sh -c 'kill -TERM $$'
rc=$?; [ $rc -eq 143 ] || bad "killed by SIGTERM: tn-trace exited $rc, expected 143"
tt -o /dev/null -- sh -c 'kill -KILL $$'
rc=$?; [ $rc -eq 137 ] || bad "killed by SIGKILL: tn-trace exited $rc, expected 137"

[ $fail -eq 0 ] && echo "output routing and exit status as documented"
exit $fail
