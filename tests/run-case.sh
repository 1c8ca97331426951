#!/bin/sh
# Runs one data-driven tool test case and compares what the program did with
# what the case expects, byte for byte.
#
#   run-case.sh PROGRAM CASEDIR
#
# CASEDIR holds:
#   args    the arguments, one per line (optional; none when absent)
#   stdin   fed to the program (optional; /dev/null when absent)
#   stdout  the exact expected standard output (required)
#   stderr  the exact expected standard error (optional; not compared when absent)
#   exit    the expected exit status (optional; 0 when absent)
# The program runs with CASEDIR as its working directory, so file arguments
# are relative to the case.  To (re)write the expectations of a case after a
# deliberate change: TN_REGEN=1 meson test -C build --suite NAME
set -u
prog=$1
dir=$2
# Meson may pass the program relative to the build directory; the program
# runs from inside the case, so make it absolute first.
case $prog in
/*) ;;
*/*) prog=$(pwd)/$prog ;;
esac
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT

set --
if [ -f "$dir/args" ]; then
	while IFS= read -r a || [ -n "$a" ]; do
		set -- "$@" "$a"
	done < "$dir/args"
fi
in=/dev/null
[ -f "$dir/stdin" ] && in=$dir/stdin

(cd "$dir" && exec "$prog" "$@") < "$in" > "$tmp/stdout" 2> "$tmp/stderr"
code=$?

if [ "${TN_REGEN:-0}" = 1 ]; then
	cp "$tmp/stdout" "$dir/stdout"
	[ -f "$dir/stderr" ] && cp "$tmp/stderr" "$dir/stderr"
	if [ "$code" -ne 0 ]; then echo "$code" > "$dir/exit"; else rm -f "$dir/exit"; fi
	echo "regenerated $dir"
	exit 0
fi

want=0
[ -f "$dir/exit" ] && want=$(cat "$dir/exit")
fail=0
if [ "$code" -ne "$want" ]; then
	echo "exit status $code, expected $want"
	fail=1
fi
if ! cmp -s "$tmp/stdout" "$dir/stdout"; then
	echo "stdout differs from $dir/stdout:"
	diff -u "$dir/stdout" "$tmp/stdout" | head -40
	fail=1
fi
if [ -f "$dir/stderr" ] && ! cmp -s "$tmp/stderr" "$dir/stderr"; then
	echo "stderr differs from $dir/stderr:"
	diff -u "$dir/stderr" "$tmp/stderr" | head -40
	fail=1
fi
if [ "$fail" -ne 0 ]; then
	echo "--- stderr was:"; head -20 "$tmp/stderr"
fi
exit $fail
