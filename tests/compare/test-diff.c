/* SPDX-License-Identifier: MIT */
/* Unit tests of tn_diff(): Myers' linear-space diff against brute force. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "diff.h"

/* Length of the longest common subsequence, by dynamic programming. */
static size_t lcs(const uint32_t *a, size_t n, const uint32_t *b, size_t m)
{
	size_t *row = calloc(m + 1, sizeof(*row)), best;

	for (size_t i = 1; i <= n; i++) {
		size_t diag = 0;

		for (size_t j = 1; j <= m; j++) {
			size_t up = row[j];

			row[j] = a[i - 1] == b[j - 1] ? diag + 1 : (row[j] > row[j - 1] ? row[j] : row[j - 1]);
			diag = up;
		}
	}
	best = row[m];
	free(row);
	return best;
}

/* The kept elements of a and b must be the same sequence. */
static void check_script(const uint32_t *a, size_t n, const uint32_t *b, size_t m,
			 const uint8_t *del, const uint8_t *ins)
{
	size_t i = 0, j = 0;

	for (;;) {
		while (i < n && del[i])
			i++;
		while (j < m && ins[j])
			j++;
		if (i == n || j == m)
			break;
		assert_int_equal(a[i], b[j]);
		i++;
		j++;
	}
	while (i < n)
		assert_true(del[i++]);
	while (j < m)
		assert_true(ins[j++]);
}

static long run(const uint32_t *a, size_t n, const uint32_t *b, size_t m, size_t max_d)
{
	uint8_t *del = malloc(n + 1), *ins = malloc(m + 1);
	long d = tn_diff(a, n, b, m, del, ins, max_d);

	if (d >= 0) {
		check_script(a, n, b, m, del, ins);
		assert_int_equal(d, (long)(n + m - 2 * lcs(a, n, b, m)));
	}
	free(del);
	free(ins);
	return d;
}

static void test_known(void **state)
{
	/* Myers' example: ABCABBA -> CBABAC, D = 5. */
	const uint32_t a[] = { 'A', 'B', 'C', 'A', 'B', 'B', 'A' };
	const uint32_t b[] = { 'C', 'B', 'A', 'B', 'A', 'C' };
	const uint32_t x[] = { 1, 2, 3 };

	(void)state;
	assert_int_equal(run(a, 7, b, 6, 100), 5);
	assert_int_equal(run(x, 3, x, 3, 0), 0);
	assert_int_equal(run(x, 3, NULL, 0, 10), 3);
	assert_int_equal(run(NULL, 0, x, 3, 10), 3);
	assert_int_equal(run(NULL, 0, NULL, 0, 10), 0);
}

static void test_one_insert_in_loop(void **state)
{
	/* read, write repeated; one lseek inserted: exactly one edit, at its place */
	uint32_t a[40], b[41];
	uint8_t del[40], ins[41];

	(void)state;
	for (int i = 0; i < 40; i++)
		a[i] = (uint32_t)(i & 1);
	memcpy(b, a, 21 * sizeof(*a));
	b[21] = 7;
	memcpy(b + 22, a + 21, 19 * sizeof(*a));
	assert_int_equal(tn_diff(a, 40, b, 41, del, ins, 10), 1);
	for (int j = 0; j < 41; j++)
		assert_int_equal(ins[j], j == 21);
	for (int i = 0; i < 40; i++)
		assert_int_equal(del[i], 0);
}

static void test_bound(void **state)
{
	uint32_t a[100], b[100];
	uint8_t del[100], ins[100];

	(void)state;
	for (int i = 0; i < 100; i++) {
		a[i] = (uint32_t)i;
		b[i] = (uint32_t)(1000 + i);
	}
	/* D = 200: over a bound of 50 it gives up and marks nothing */
	memset(del, 9, sizeof(del));
	assert_int_equal(tn_diff(a, 100, b, 100, del, ins, 50), -E2BIG);
	for (int i = 0; i < 100; i++)
		assert_int_equal(del[i], 0);
	assert_int_equal(tn_diff(a, 100, b, 100, del, ins, 200), 200);
}

static void test_random(void **state)
{
	uint32_t a[60], b[60];

	(void)state;
	srand(12345);
	for (int round = 0; round < 2000; round++) {
		size_t n = (size_t)rand() % 60, m = (size_t)rand() % 60;
		uint32_t alpha = 1 + (uint32_t)rand() % 4;

		for (size_t i = 0; i < n; i++)
			a[i] = (uint32_t)rand() % alpha;
		for (size_t j = 0; j < m; j++)
			b[j] = (uint32_t)rand() % alpha;
		assert_true(run(a, n, b, m, 1000) >= 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known),
		cmocka_unit_test(test_one_insert_in_loop),
		cmocka_unit_test(test_bound),
		cmocka_unit_test(test_random),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
