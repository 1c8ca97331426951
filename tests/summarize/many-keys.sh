#!/bin/sh
# many-keys.sh TN_SUMMARIZE: no input costs tn-summarize more than
# near-linear time (issue 8, item 4).  40000 distinct "arch" values once
# took 34 s of CPU for a 2.6 MB input (a table each, and each table a pass
# over every entry); near-linear, it takes well under a second.  The limit
# is on CPU time (ulimit -t), not on the clock, so a loaded machine does not
# make the test fail: the quadratic version needs 30 times the limit, the
# linear one a twentieth of it.
set -u
tn_summarize=$1
n=40000
limit=10
[ -n "${TN_UNDER_VALGRIND:-}" ] && limit=300
[ -n "${TN_UNDER_SANITIZER:-}" ] && limit=60
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }

gen() {  # gen N FORMAT: N syscall records, FORMAT's %d the index
	awk -v n="$1" -v f="$2" 'BEGIN { for (i = 0; i < n; i++) printf f "\n", i }'
}

# Distinct architectures: one table each.
gen $n '{"type":"syscall","name":"read","arch":"a%d","ret":0,"dur":1}' > "$tmp/arches"
# Distinct names, one architecture: one long table (the sort).
awk -v n=$n 'BEGIN { for (i = 0; i < n; i++)
	printf "{\"type\":\"syscall\",\"name\":\"s%d\",\"nr\":%d,\"ret\":0,\"dur\":%d}\n", i, i * 7919 % n, i % 977 }' > "$tmp/names"
# Distinct processes and span kinds.
gen $n '{"type":"syscall","pid":%d,"name":"read","ret":0,"dur":1}' > "$tmp/pids"
gen $n '{"type":"span","name":"k%d","backend":"scalar","dur":1}' > "$tmp/spans"

run() {  # run NAME ARGS...: tn-summarize under the CPU limit
	name=$1
	shift
	( ulimit -t $limit; exec "$tn_summarize" "$@" "$tmp/$name" ) > "$tmp/out" 2> "$tmp/err"
	rc=$?
	[ $rc -eq 0 ] || { bad "$name $*: exit $rc (CPU limit ${limit}s: $(head -c 200 "$tmp/err"))"; return 1; }
}

if run arches; then
	t=$(grep -c '^System call usage summary for a[0-9]* mode:$' "$tmp/out")
	[ "$t" -eq $((n - 1)) ] || bad "arches: $t titled tables, expected $((n - 1))"
	head -1 "$tmp/out" | grep -q '^% time' || bad "arches: the first table has a title"
	# The tables come in order of first appearance.
	grep '^System call usage' "$tmp/out" | sed -n '1p;$p' | tr '\n' ' ' | \
		grep -qx "System call usage summary for a1 mode: System call usage summary for a$((n - 1)) mode: " ||
		bad "arches: tables not in order of first appearance"
fi
run arches --format=json && {
	t=$(grep -c '"scope":"syscall"' "$tmp/out")
	[ "$t" -eq $n ] || bad "arches json: $t syscall records, expected $n"
}
run names -S calls && {
	t=$(grep -c ' s[0-9]*$' "$tmp/out")
	[ "$t" -eq $n ] || bad "names: $t rows, expected $n"
}
run names -S nothing
run pids --format=json && {
	t=$(grep -c '"scope":"process"' "$tmp/out")
	[ "$t" -eq $n ] || bad "pids: $t process records, expected $n"
}
run spans --format=json && {
	t=$(grep -c '"scope":"span"' "$tmp/out")
	[ "$t" -eq $n ] || bad "spans: $t span records, expected $n"
}
exit $fail
