/* SPDX-License-Identifier: MIT */
/* The Mann-Whitney U test, one-sided, and the median. */
#pragma once

#include <stddef.h>
#include <stdint.h>

/*
 * Test whether the values y tend to be larger than the values x (H1: a
 * value drawn from y exceeds one drawn from x with probability above 1/2;
 * H0: the two samples come from one distribution).
 *
 * U counts the pairs (x_i, y_j) with y_j > x_i, ties counting 1/2; it runs
 * from 0 to nx * ny.  The p-value is P(U >= u observed) under H0:
 *
 *  - exact, from the distribution of U over all C(nx + ny, nx) orderings
 *    (counted by the recurrence f(n, m, u) = f(n - 1, m, u - m) + f(n, m - 1, u)),
 *    when there are no ties and nx, ny <= TN_MWU_EXACT_MAX;
 *  - otherwise the normal approximation with the tie correction of the
 *    variance and a continuity correction of 1/2:
 *    z = (U - nx ny / 2 - 1/2) / sqrt(nx ny / 12 * ((n + 1) - sum(t^3 - t) / (n (n - 1)))),
 *    p = 1 - Phi(z), with n = nx + ny and t the size of each group of ties.
 *
 * Returns 0 and fills *ret_u and *ret_p, or -EINVAL when a sample is
 * empty, -ENOMEM.
 */
#define TN_MWU_EXACT_MAX 50
int tn_mwu_greater(const double *x, size_t nx, const double *y, size_t ny,
		   double *ret_u, double *ret_p);

/* The median of v[0..n) (the mean of the two middle values when n is even);
 * v is sorted in place.  0 when n is 0. */
double tn_median(double *v, size_t n);
