#!/bin/sh
# An output that is also an input is refused before anything is truncated
# or read: exit 2, one line, the input unchanged (issue 8 item 1: tn-dispatch
# -o F F truncated its jobs and read its own records back forever).
#
#   output-is-input.sh PROGRAM
#
# Every run is bounded (timeout 20: exit 124 would be the old endless loop).
set -u
prog=$1
name=$(basename "$prog")
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
fail=0
die() { echo "FAIL: $*"; fail=1; }

case $name in
tn-dispatch) line='{"op":"dot","a":[1,2,3],"b":[4,5,6]}' ;;
tn-summarize) line='{"type":"syscall","name":"read","ret":0,"dur":5}' ;;
tn-assert)
	# The same checks with budgets: the program is run through a wrapper
	# that adds -c.
	line='{"type":"syscall","name":"read","ret":0,"dur":5}'
	printf 'assertions:\n  - {name: a, type: syscall-calls, max: 10}\n' > "$tmp/b.yaml"
	printf '#!/bin/sh\nexec "%s" -c "%s" "$@"\n' "$prog" "$tmp/b.yaml" > "$tmp/tn-assert"
	chmod +x "$tmp/tn-assert"
	prog=$tmp/tn-assert ;;
*) echo "unknown program $name"; exit 99 ;;
esac
f=$tmp/in.jsonl
printf '%s\n' "$line" > "$tmp/orig"

# check WHAT NAME: exit 2, the one line "PROGRAM: NAME: the output is also
# an input", and the input as it was.
check() {
	st=$?
	[ "$st" -eq 2 ] || die "$1: exit status $st, not 2"
	printf '%s: %s: the output is also an input\n' "$name" "$2" > "$tmp/want-err"
	cmp -s "$tmp/err" "$tmp/want-err" || { die "$1: stderr:"; cat "$tmp/err"; }
	cmp -s "$f" "$tmp/orig" || die "$1: the input changed ($(wc -c < "$f") bytes)"
	cp "$tmp/orig" "$f"
}

cp "$tmp/orig" "$f"
timeout 20 "$prog" -o "$f" "$f" 2> "$tmp/err" > /dev/null
check "-o F F" "$f"
timeout 20 "$prog" "$f" >> "$f" 2> "$tmp/err"
check "F >> F" "<stdout>"
timeout 20 "$prog" - >> "$f" < "$f" 2> "$tmp/err"
check "- < F >> F" "<stdout>"
timeout 20 "$prog" < "$f" >> "$f" 2> "$tmp/err"
check "< F >> F" "<stdout>"
timeout 20 "$prog" -o /dev/stdout "$tmp/orig" "$f" >> "$f" 2> "$tmp/err"
check "-o /dev/stdout G F >> F" "/dev/stdout"
ln -s in.jsonl "$tmp/link"
timeout 20 "$prog" -o "$tmp/link" "$f" 2> "$tmp/err" > /dev/null
check "-o LINK F" "$tmp/link"
if [ "$name" = tn-dispatch ]; then
	timeout 20 "$prog" --no-header -o "$f" "$f" 2> "$tmp/err" > /dev/null
	check "--no-header -o F F" "$f"
fi
# A regular file that is not an input is fine, and so is /dev/null twice.
timeout 20 "$prog" -o "$tmp/out" "$f" 2> "$tmp/err" > /dev/null || die "-o OTHER F failed"
[ -s "$tmp/out" ] || die "-o OTHER F wrote nothing"
timeout 20 "$prog" -o /dev/null /dev/null 2> "$tmp/err" || { die "-o /dev/null /dev/null failed"; cat "$tmp/err"; }
exit $fail
