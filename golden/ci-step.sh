#!/bin/sh
# CI step: the golden check of build/; on failure its traces are kept in
# $ARTIFACTS/golden-failed (default ./artifacts) for the CI server to keep.
artifacts=${ARTIFACTS:-artifacts}
mkdir -p "$artifacts"
if golden/check "${BUILD:-build}" --keep "$artifacts/golden-failed"; then
	exit 0
fi
echo "golden check failed: traces and reports in $artifacts/golden-failed/" >&2
exit 1
