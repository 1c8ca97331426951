/* SPDX-License-Identifier: MIT */
/* Myers' O(ND) difference algorithm in linear space, with a bound on cost. */
#pragma once

#include <stddef.h>
#include <stdint.h>

/*
 * Compare a[0..n) with b[0..m) (E. Myers, "An O(ND) Difference Algorithm and
 * Its Variations", 1986, section 4b: the middle snake, found from both ends,
 * splits the problem in two; memory is O(n + m) for the marks plus O(D) for
 * the two diagonal vectors).  On success del[i] is set to 1 for every a[i]
 * outside the longest common subsequence found and ins[j] for every b[j]
 * outside it (both arrays zeroed first), and the number of edits D (deleted
 * plus inserted) is returned.
 *
 * max_d bounds the cost: time is O((n + m) * D).  When the shortest edit
 * script is longer than max_d, nothing is marked and -E2BIG is returned, so
 * that a caller can fall back to something cheaper.  -ENOMEM when the
 * diagonal vectors cannot be allocated.
 */
long tn_diff(const uint32_t *a, size_t n, const uint32_t *b, size_t m,
	     uint8_t *del, uint8_t *ins, size_t max_d);
