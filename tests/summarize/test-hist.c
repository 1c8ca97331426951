/* Unit tests of the log-linear histogram (lib/summary/hist.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "hist.h"

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* The exact nearest-rank percentile of sorted v[0..n). */
static uint64_t exact_pct(const uint64_t *v, size_t n, double p)
{
	uint64_t rank;

	if (p <= 0)
		return v[0];
	rank = (uint64_t)ceil(p / 100.0 * (double)n);
	if (rank < 1)
		rank = 1;
	if (rank > n)
		rank = n;
	return v[rank - 1];
}

/* A small deterministic generator (xorshift64*), so failures reproduce. */
static uint64_t rng_state = 88172645463325252ull;
static uint64_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ull;
}

static void check_bound(uint64_t *v, size_t n)
{
	static const double ps[] = { 0, 0.1, 1, 10, 25, 50, 75, 90, 99, 99.9, 100 };
	struct tn_hist h;

	tn_hist_init(&h);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(tn_hist_add(&h, v[i]), 0);
	qsort(v, n, sizeof(*v), cmp_u64);
	assert_int_equal(h.count, n);
	assert_int_equal(h.min, v[0]);
	assert_int_equal(h.max, v[n - 1]);
	for (size_t i = 0; i < sizeof(ps) / sizeof(*ps); i++) {
		uint64_t x = exact_pct(v, n, ps[i]);
		uint64_t r = tn_hist_pct(&h, ps[i]);
		uint64_t d = r > x ? r - x : x - r;

		/* The documented bound: |r - x| <= x / 256; exact below 256. */
		if (x < TN_HIST_EXACT)
			assert_int_equal(r, x);
		else if ((double)d > (double)x / 256.0)
			fail_msg("p%g: got %llu, exact %llu (error %g > 1/256)", ps[i],
				 (unsigned long long)r, (unsigned long long)x, (double)d / (double)x);
	}
	tn_hist_fini(&h);
}

static void test_bound_uniform(void **state)
{
	enum { N = 100000 };
	uint64_t *v = malloc(N * sizeof(*v));

	assert_non_null(v);
	for (size_t i = 0; i < N; i++)
		v[i] = rnd() % 10000000u;
	check_bound(v, N);
	free(v);
}

/* Durations spread over many powers of two, like syscall latencies. */
static void test_bound_log_uniform(void **state)
{
	enum { N = 100000 };
	uint64_t *v = malloc(N * sizeof(*v));

	assert_non_null(v);
	for (int round = 0; round < 5; round++) {
		for (size_t i = 0; i < N; i++) {
			unsigned e = (unsigned)(rnd() % 63);
			v[i] = (rnd() >> (63 - e)) | ((uint64_t)1 << e >> 1);
		}
		check_bound(v, N);
	}
	free(v);
}

static void test_bound_small_sets(void **state)
{
	uint64_t v[7];

	for (int round = 0; round < 2000; round++) {
		size_t n = 1 + (size_t)(rnd() % 7);

		for (size_t i = 0; i < n; i++)
			v[i] = rnd() % 100000u;
		check_bound(v, n);
	}
}

static void test_exact_small(void **state)
{
	struct tn_hist h;

	tn_hist_init(&h);
	assert_int_equal(tn_hist_pct(&h, 50), 0);       /* empty */
	for (uint64_t i = 1; i <= 100; i++)
		tn_hist_add(&h, i);
	assert_int_equal(tn_hist_pct(&h, 50), 50);
	assert_int_equal(tn_hist_pct(&h, 90), 90);
	assert_int_equal(tn_hist_pct(&h, 99), 99);
	assert_int_equal(tn_hist_pct(&h, 99.5), 100);
	assert_int_equal(tn_hist_pct(&h, 100), 100);
	assert_int_equal(tn_hist_pct(&h, 0), 1);
	assert_int_equal(tn_hist_pct(&h, 0.5), 1);
	tn_hist_fini(&h);
}

static void test_extremes(void **state)
{
	struct tn_hist h;

	tn_hist_init(&h);
	tn_hist_add(&h, UINT64_MAX);
	tn_hist_add(&h, 0);
	assert_int_equal(tn_hist_pct(&h, 100), UINT64_MAX);
	assert_int_equal(tn_hist_pct(&h, 50), 0);
	tn_hist_fini(&h);
}

/* Memory depends on the range of values, not on how many were added. */
static void test_flat_memory(void **state)
{
	struct tn_hist h;
	uint64_t after_first, cap;

	tn_hist_init(&h);
	for (uint64_t i = 0; i < 100000; i++)
		tn_hist_add(&h, 1000 + rnd() % 1000000u);
	after_first = tn_hist_bytes(&h);
	for (uint64_t i = 0; i < 2000000; i++)
		tn_hist_add(&h, 1000 + rnd() % 1000000u);
	assert_int_equal(tn_hist_bytes(&h), after_first);
	/* Every group allocated: the ceiling of 58 KiB. */
	for (unsigned e = 0; e < 64; e++)
		tn_hist_add(&h, (uint64_t)1 << e);
	cap = (TN_HIST_EXACT + (TN_HIST_GROUPS - 1) * TN_HIST_SUB) * sizeof(uint64_t);
	assert_int_equal(tn_hist_bytes(&h), cap);
	assert_true(cap <= 58 * 1024);
	tn_hist_fini(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bound_uniform),
		cmocka_unit_test(test_bound_log_uniform),
		cmocka_unit_test(test_bound_small_sets),
		cmocka_unit_test(test_exact_small),
		cmocka_unit_test(test_extremes),
		cmocka_unit_test(test_flat_memory),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
