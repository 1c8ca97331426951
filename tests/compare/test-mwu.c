/* SPDX-License-Identifier: MIT */
/* Unit tests of the Mann-Whitney U test against known values. */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "mwu.h"

static void test_exact_separated(void **state)
{
	const double x[] = { 1, 2, 3 }, y[] = { 4, 5, 6 };
	double u, p;

	(void)state;
	/* y above x in all 9 pairs; P(U >= 9) = 1 / C(6, 3) = 0.05 */
	assert_int_equal(tn_mwu_greater(x, 3, y, 3, &u, &p), 0);
	assert_true(u == 9);
	assert_true(fabs(p - 0.05) < 1e-12);
	/* the other direction: P(U >= 0) = 1 */
	assert_int_equal(tn_mwu_greater(y, 3, x, 3, &u, &p), 0);
	assert_true(u == 0);
	assert_true(fabs(p - 1) < 1e-12);
}

static void test_exact_known(void **state)
{
	/* R: wilcox.test(y, x, alternative = "greater") with
	 * x = c(1.1, 2.2, 3.3, 4.4), y = c(3.9, 5.5, 6.6, 7.7, 8.8):
	 * W = 19, p-value = 0.01587 (= 2 / 126: U >= 19 of C(9, 4) orderings) */
	const double x[] = { 1.1, 2.2, 3.3, 4.4 }, y[] = { 3.9, 5.5, 6.6, 7.7, 8.8 };
	double u, p;

	(void)state;
	assert_int_equal(tn_mwu_greater(x, 4, y, 5, &u, &p), 0);
	assert_true(u == 19);
	assert_true(fabs(p - 2.0 / 126) < 1e-12);
}

static void test_ten_runs(void **state)
{
	/* Ten runs a side, completely separated: p = 1 / C(20, 10) */
	double x[10], y[10], u, p;

	(void)state;
	for (int i = 0; i < 10; i++) {
		x[i] = 100 + i;
		y[i] = 120 + i;
	}
	assert_int_equal(tn_mwu_greater(x, 10, y, 10, &u, &p), 0);
	assert_true(u == 100);
	assert_true(fabs(p - 1.0 / 184756) < 1e-15);
}

static void test_normal_ties(void **state)
{
	/* Ties force the normal approximation.  x = {1,1,2,2}, y = {2,2,3,3}:
	 * ranks 1.5,1.5,4.5,4.5 | 4.5,4.5,7.5,7.5; R_y = 24, U = 24 - 10 = 14;
	 * ties: groups of 2, 4, 2: sum(t^3 - t) = 6 + 60 + 6 = 72;
	 * var = 16/12 * (9 - 72/56) = 10.2857; z = (14 - 8 - 0.5)/3.2071 = 1.71495;
	 * p = 1 - Phi(z) = 0.043180 */
	const double x[] = { 1, 1, 2, 2 }, y[] = { 2, 2, 3, 3 };
	double u, p;

	(void)state;
	assert_int_equal(tn_mwu_greater(x, 4, y, 4, &u, &p), 0);
	assert_true(u == 14);
	assert_true(fabs(p - 0.043180) < 1e-5);
}

static void test_all_equal_and_empty(void **state)
{
	const double x[] = { 5, 5, 5 };
	double u, p;

	(void)state;
	assert_int_equal(tn_mwu_greater(x, 3, x, 3, &u, &p), 0);
	assert_true(p == 1);
	assert_int_equal(tn_mwu_greater(x, 0, x, 3, &u, &p), -EINVAL);
}

static void test_median(void **state)
{
	double a[] = { 5, 1, 3 }, b[] = { 4, 1, 3, 2 };

	(void)state;
	assert_true(tn_median(a, 3) == 3);
	assert_true(tn_median(b, 4) == 2.5);
	assert_true(tn_median(b, 0) == 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exact_separated),
		cmocka_unit_test(test_exact_known),
		cmocka_unit_test(test_ten_runs),
		cmocka_unit_test(test_normal_ties),
		cmocka_unit_test(test_all_equal_and_empty),
		cmocka_unit_test(test_median),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
