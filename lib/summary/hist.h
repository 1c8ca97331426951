/* A streaming log-linear histogram for percentiles with a bounded error. */
#pragma once

#include <stdint.h>

/*
 * Values below 2^(TN_HIST_SUB_BITS+1) = 256 are counted exactly.  Above,
 * every power of two [2^e, 2^(e+1)) is cut into 2^TN_HIST_SUB_BITS = 128
 * buckets of width 2^(e-7).  A percentile is reported as the middle of its
 * bucket, clamped to the smallest and largest value seen, so the reported
 * value r of a true value x satisfies |r - x| <= x / 256 (relative error at
 * most 1/256 = 0.39%); values below 256 are exact.
 *
 * Buckets are allocated one power of two (128 counters) at a time, when a
 * value first falls there: memory depends on the range of values (at most
 * 57 groups, 58 KiB), never on how many were added.
 *
 * Percentiles use the nearest-rank definition: the p-th percentile of N
 * values is the smallest value v such that at least ceil(p/100 * N) of the
 * values are <= v (p in (0, 100]; p = 0 gives the minimum).  The ranks 1
 * and N give the minimum and maximum, which are kept exactly.
 */
#define TN_HIST_SUB_BITS 7
#define TN_HIST_SUB (1u << TN_HIST_SUB_BITS)
#define TN_HIST_EXACT (2u * TN_HIST_SUB)       /* values below are exact */
#define TN_HIST_GROUPS (64 - TN_HIST_SUB_BITS)  /* group 0 holds the exact values */

struct tn_hist {
	uint64_t count;
	uint64_t min, max;
	uint64_t *group[TN_HIST_GROUPS];
	int oom;                /* an allocation failed; later values were not binned */
};

void tn_hist_init(struct tn_hist *h);
void tn_hist_fini(struct tn_hist *h);
/* Returns 0 or -ENOMEM (the value still counts in count/min/max). */
int tn_hist_add(struct tn_hist *h, uint64_t v);
/* Nearest-rank percentile p (0..100); 0 when empty. */
uint64_t tn_hist_pct(const struct tn_hist *h, double p);
/* Bytes the histogram holds (its buckets), for tests of flat memory. */
uint64_t tn_hist_bytes(const struct tn_hist *h);
