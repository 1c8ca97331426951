/* SPDX-License-Identifier: MIT */
/* Mann-Whitney U: exact distribution for small samples, normal otherwise. */
#include "mwu.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static int cmp_double(const void *pa, const void *pb)
{
	double a = *(const double *)pa, b = *(const double *)pb;

	return (a > b) - (a < b);
}

double tn_median(double *v, size_t n)
{
	if (!n)
		return 0;
	qsort(v, n, sizeof(*v), cmp_double);
	return n & 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/*
 * P(U >= u) for samples of nx and ny without ties: the number of orderings
 * with U = k is f(nx, ny, k); one row of f per nx, built up over ny.
 */
static int exact_upper(size_t nx, size_t ny, double u, double *ret_p)
{
	size_t umax = nx * ny;
	/* f[i][k] for the current m: i = 0..nx, k = 0..i*m */
	double *f = calloc((nx + 1) * (umax + 1), sizeof(*f));
	double total = 0, upper = 0;

	if (!f)
		return -ENOMEM;
#define F(i, k) f[(i) * (umax + 1) + (k)]
	/* m = 0: one ordering, U = 0, for every i. */
	for (size_t i = 0; i <= nx; i++)
		F(i, 0) = 1;
	for (size_t m = 1; m <= ny; m++) {
		/* f(i, m, k) = f(i - 1, m, k - m) + f(i, m - 1, k); i ascending
		 * so that row i - 1 already holds m; row i still holds m - 1. */
		for (size_t i = 1; i <= nx; i++) {
			for (size_t k = i * m + 1; k-- > 0;) {
				double v = F(i, k);     /* f(i, m - 1, k) */

				if (k >= m)
					v += F(i - 1, k - m);
				F(i, k) = v;
			}
		}
	}
	/* f counts U as the pairs with x above y; U with y above x is
	 * nx * ny minus that, and has the same (symmetric) distribution. */
	for (size_t k = 0; k <= umax; k++) {
		total += F(nx, k);
		if ((double)k >= u - 1e-9)
			upper += F(nx, k);
	}
#undef F
	free(f);
	*ret_p = upper / total;
	return 0;
}

struct obs { double v; int side; };

static int cmp_obs(const void *pa, const void *pb)
{
	return cmp_double(&((const struct obs *)pa)->v, &((const struct obs *)pb)->v);
}

int tn_mwu_greater(const double *x, size_t nx, const double *y, size_t ny,
		   double *ret_u, double *ret_p)
{
	size_t n = nx + ny;
	struct obs *o;
	double ry = 0, ties = 0, u, mean, var, z;
	bool tied = false;

	if (!nx || !ny)
		return -EINVAL;
	o = malloc(n * sizeof(*o));
	if (!o)
		return -ENOMEM;
	for (size_t i = 0; i < nx; i++)
		o[i] = (struct obs){ x[i], 0 };
	for (size_t j = 0; j < ny; j++)
		o[nx + j] = (struct obs){ y[j], 1 };
	qsort(o, n, sizeof(*o), cmp_obs);
	/* Mid-ranks (1-based); the rank sum of y gives U = R_y - ny (ny + 1) / 2. */
	for (size_t i = 0; i < n;) {
		size_t j = i;
		double rank, t;

		while (j < n && o[j].v == o[i].v)
			j++;
		rank = ((double)i + 1 + (double)j) / 2;
		t = (double)(j - i);
		if (t > 1) {
			tied = true;
			ties += t * t * t - t;
		}
		for (size_t k = i; k < j; k++)
			if (o[k].side)
				ry += rank;
		i = j;
	}
	free(o);
	u = ry - (double)ny * ((double)ny + 1) / 2;
	*ret_u = u;
	if (!tied && nx <= TN_MWU_EXACT_MAX && ny <= TN_MWU_EXACT_MAX)
		return exact_upper(nx, ny, u, ret_p);
	mean = (double)nx * (double)ny / 2;
	var = (double)nx * (double)ny / 12 *
	      (((double)n + 1) - ties / ((double)n * ((double)n - 1)));
	if (var <= 0) {
		*ret_p = 1;     /* every value equal: nothing to see */
		return 0;
	}
	z = (u - mean - 0.5) / sqrt(var);
	*ret_p = 0.5 * erfc(z / sqrt(2.0));
	return 0;
}
