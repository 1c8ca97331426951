#!/bin/sh
# tn-compare --update: the golden is replaced whole or not at all.
#
#   update.sh TN-COMPARE CASES-DIR
set -u
compare=$1 cases=$2
case $compare in /*) ;; *) compare=$(pwd)/$compare ;; esac
case $cases in /*) ;; *) cases=$(pwd)/$cases ;; esac
tmp=$(mktemp -d) || exit 99
trap 'chmod -R u+w "$tmp"; rm -rf "$tmp"' EXIT
fail=0
check() {       # check WHAT CONDITION...
	what=$1
	shift
	if "$@"; then echo "ok: $what"; else echo "FAIL: $what"; fail=1; fi
}

cp "$cases/insert/golden.jsonl" "$tmp/golden.jsonl"
cp "$tmp/golden.jsonl" "$tmp/before"

# a good run replaces it, and the comparison then passes
"$compare" --update "$tmp/golden.jsonl" "$cases/insert/new.jsonl"
check "update exits 0" [ $? -eq 0 ]
check "golden is the new stream" cmp -s "$tmp/golden.jsonl" "$cases/insert/new.jsonl"
"$compare" "$tmp/golden.jsonl" "$cases/insert/new.jsonl" > /dev/null
check "compares equal afterwards" [ $? -eq 0 ]
check "no temporary file left" [ "$(ls -A "$tmp" | wc -l)" -eq 2 ]

# a run whose command failed is refused, unless --force
cp "$tmp/before" "$tmp/golden.jsonl"
"$compare" --update "$tmp/golden.jsonl" "$cases/exit-status/new.jsonl" 2> "$tmp/err"
check "failed command refused with 2" [ $? -eq 2 ]
check "golden untouched" cmp -s "$tmp/golden.jsonl" "$tmp/before"
check "says why" grep -q "exited with a non-zero status; golden not updated" "$tmp/err"
"$compare" --update --force "$tmp/golden.jsonl" "$cases/exit-status/new.jsonl"
check "--force records it" cmp -s "$tmp/golden.jsonl" "$cases/exit-status/new.jsonl"

# empty and malformed streams are refused; standard input works
cp "$tmp/before" "$tmp/golden.jsonl"
"$compare" --update "$tmp/golden.jsonl" "$cases/empty-trace/empty.jsonl" 2> "$tmp/err"
check "empty trace refused" [ $? -eq 2 ]
printf '{"type":"header","schema":1}\n{"type":"syscall",\n' |
	"$compare" --update "$tmp/golden.jsonl" - 2> "$tmp/err"
check "malformed stream refused" [ $? -eq 2 ]
check "names the line" grep -q "^tn-compare: <stdin>:2:" "$tmp/err"
check "golden untouched after refusals" cmp -s "$tmp/golden.jsonl" "$tmp/before"
check "no temporary file left after refusals" [ "$(ls -A "$tmp" | grep -c '^\.golden')" -eq 0 ]
"$compare" --update "$tmp/golden.jsonl" - < "$cases/insert/new.jsonl"
check "from standard input" cmp -s "$tmp/golden.jsonl" "$cases/insert/new.jsonl"

# a directory it cannot write to: an error, the golden untouched
if [ "$(id -u)" -ne 0 ]; then
	cp "$tmp/before" "$tmp/golden.jsonl"
	chmod a-w "$tmp"
	"$compare" --update "$tmp/golden.jsonl" "$cases/insert/new.jsonl" 2> "$tmp/err2" || true
	chmod u+w "$tmp"
	check "unwritable directory leaves the golden" cmp -s "$tmp/golden.jsonl" "$tmp/before"
fi
exit $fail
