#!/bin/sh
# Renders one man page with groff, failing on any warning, and checks that it
# has the sections a reader looks for.
set -eu
page=$1
name=${2%.*}
out=$(groff -t -man -Tutf8 -ww -z "$page" 2>&1) || { echo "$out"; exit 1; }
if [ -n "$out" ]; then echo "groff warnings for $page:"; echo "$out"; exit 1; fi
text=$(groff -t -man -Tutf8 "$page" 2>/dev/null | sed 's/.\x08//g')
for sec in NAME DESCRIPTION; do
	echo "$text" | grep -q "^$sec" || { echo "$page: no $sec section"; exit 1; }
done
echo "$text" | grep -q "$name" || { echo "$page: does not name $name"; exit 1; }
echo "$page renders cleanly"
