#!/bin/sh
# What tn-summarize and tn-dispatch do when their output fails, as their
# man pages say under OUTPUT ERRORS:
#
#   output-fails.sh PROGRAM CASE
#
#   full          standard output or -o is /dev/full: exit 2, one line
#   efbig         a file-size limit (ulimit -f) with SIGXFSZ ignored by the
#                 caller cuts the output: exit 2, one line, and the file is
#                 a prefix of the whole output that ends on a record boundary
#   efbig-default the same with SIGXFSZ at its default action (the program
#                 ignores it itself), and with standard output appended to
#                 a file that already held a line
#   pipe          the reader closes the pipe: the program dies of SIGPIPE,
#                 silently, as cat does
#   pipe-ignored  the same with SIGPIPE ignored by the caller: EPIPE is a
#                 write error, one line, exit 2
#
# Every wait is bounded (timeout 20).
set -u
prog=$1
kind=$2
name=$(basename "$prog")
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
fail=0
die() { echo "FAIL: $*"; fail=1; }

# An input whose output is well over a pipe buffer (64 KiB) and the limit.
case $name in
tn-dispatch)
	i=0
	while [ $i -lt 4000 ]; do
		echo '{"op":"dot","a":[1,2,3],"b":[4,5,6]}'
		i=$((i + 1))
	done > "$tmp/in"
	set -- --no-header --no-spans --no-times --backend=scalar "$tmp/in" ;;
tn-summarize)
	awk 'BEGIN { for (i = 1; i <= 3000; i++)
		printf "{\"type\":\"syscall\",\"name\":\"n%d\",\"ret\":0,\"dur\":%d}\n", i, i }' > "$tmp/in"
	set -- --format=json "$tmp/in" ;;
*)
	echo "unknown program $name"; exit 99 ;;
esac

run() { timeout 20 "$prog" "$@"; }

# expect_err FILE TEXT: FILE holds exactly the line TEXT.
expect_err() {
	printf '%s\n' "$2" > "$tmp/want-err"
	cmp -s "$1" "$tmp/want-err" || { die "stderr:"; cat "$1"; echo "expected: $2"; }
}

# expect_cut FILE PREFIX: FILE is PREFIX then a non-empty, strictly shorter
# prefix of the whole output that ends in a newline.
expect_cut() {
	printf '%s' "$2" > "$tmp/cut-want"
	cat "$tmp/whole" >> "$tmp/cut-want"
	n=$(wc -c < "$1")
	p=$(printf '%s' "$2" | wc -c)
	[ "$n" -gt "$p" ] || die "$1: nothing of the output was kept ($n bytes)"
	[ "$n" -lt "$(wc -c < "$tmp/cut-want")" ] || die "$1: not cut ($n bytes)"
	head -c "$n" "$tmp/cut-want" | cmp -s - "$1" || die "$1: not a prefix of the whole output"
	[ "$(tail -c 1 "$1" | od -An -c | tr -d ' ')" = '\n' ] ||
		die "$1: ends inside a record: $(tail -c 40 "$1")"
}

run "$@" > "$tmp/whole" 2> "$tmp/err" || { die "the whole run failed"; cat "$tmp/err"; }
[ "$(wc -c < "$tmp/whole")" -gt 131072 ] || die "the whole output is too small for the test"

case $kind in
full)
	run "$@" > /dev/full 2> "$tmp/err"
	[ $? -eq 2 ] || die "stdout /dev/full: exit status not 2"
	expect_err "$tmp/err" "$name: <stdout>: write error: No space left on device"
	run -o /dev/full "$@" 2> "$tmp/err"
	[ $? -eq 2 ] || die "-o /dev/full: exit status not 2"
	expect_err "$tmp/err" "$name: /dev/full: write error: No space left on device"
	;;
efbig)
	(trap '' XFSZ; ulimit -f 40 && exec timeout 20 "$prog" -o "$tmp/cut" "$@") 2> "$tmp/err"
	[ $? -eq 2 ] || die "exit status not 2"
	expect_err "$tmp/err" "$name: $tmp/cut: write error: File too large"
	expect_cut "$tmp/cut" ""
	;;
efbig-default)
	(ulimit -f 40 && exec timeout 20 "$prog" -o "$tmp/cut" "$@") 2> "$tmp/err"
	[ $? -eq 2 ] || die "-o: exit status not 2"
	expect_err "$tmp/err" "$name: $tmp/cut: write error: File too large"
	expect_cut "$tmp/cut" ""
	printf '{"already":"there"}\n' > "$tmp/app"
	(ulimit -f 40 && exec timeout 20 "$prog" "$@" >> "$tmp/app") 2> "$tmp/err"
	[ $? -eq 2 ] || die ">>: exit status not 2"
	expect_err "$tmp/err" "$name: <stdout>: write error: File too large"
	expect_cut "$tmp/app" '{"already":"there"}
'
	;;
pipe)
	{ run "$@" 2> "$tmp/err"; echo $? > "$tmp/status"; } | true
	[ "$(cat "$tmp/status")" -eq 141 ] || die "exit status $(cat "$tmp/status"), not 141 (SIGPIPE)"
	[ -s "$tmp/err" ] && { die "stderr not empty:"; cat "$tmp/err"; }
	;;
pipe-ignored)
	{ (trap '' PIPE; exec timeout 20 "$prog" "$@") 2> "$tmp/err"; echo $? > "$tmp/status"; } | true
	[ "$(cat "$tmp/status")" -eq 2 ] || die "exit status $(cat "$tmp/status"), not 2"
	expect_err "$tmp/err" "$name: <stdout>: write error: Broken pipe"
	;;
*)
	echo "unknown case $kind"; exit 99 ;;
esac
exit $fail
