/* Every arith operation on every backend against a double reference, with the libtn(3) bounds. */
#include <float.h>
#include <stdio.h>
#include <string.h>

#include "tn-check.h"

#define U 0x1p-24               /* unit roundoff of float */

/* ---- References in double, with the documented policies ------------------- */

static double r_add(double a, double b, double c) { (void)c; return a + b; }
static double r_sub(double a, double b, double c) { (void)c; return a - b; }
static double r_mul(double a, double b, double c) { (void)c; return a * b; }
static double r_div(double a, double b, double c) { (void)c; return a / b; }

static double maximum_d(double a, double b)
{
	if (isnan(a) || isnan(b))
		return NAN;
	if (a == b)
		return signbit(a) && signbit(b) ? a : fabs(a);
	return a > b ? a : b;
}

static double minimum_d(double a, double b)
{
	if (isnan(a) || isnan(b))
		return NAN;
	if (a == b)
		return signbit(a) || signbit(b) ? -fabs(a) : a;
	return a < b ? a : b;
}

static double r_minimum(double a, double b, double c) { (void)c; return minimum_d(a, b); }
static double r_maximum(double a, double b, double c) { (void)c; return maximum_d(a, b); }
static double r_abs(double a, double b, double c) { (void)b; (void)c; return fabs(a); }
static double r_neg(double a, double b, double c) { (void)b; (void)c; return -a; }
static double r_sqrt(double a, double b, double c) { (void)b; (void)c; return sqrt(a); }
static double r_recip(double a, double b, double c) { (void)b; (void)c; return 1.0 / a; }
static double r_floor(double a, double b, double c) { (void)b; (void)c; return floor(a); }
static double r_ceil(double a, double b, double c) { (void)b; (void)c; return ceil(a); }
static double r_round(double a, double b, double c) { (void)b; (void)c; return round(a); }
static double r_trunc(double a, double b, double c) { (void)b; (void)c; return trunc(a); }
/* scale(alpha = b) x = a; axpy: alpha = b, x = a, y = c */
static double r_scale(double a, double b, double c) { (void)c; return b * a; }
static double r_axpy(double a, double b, double c) { return fma(b, a, c); }
static double r_fma(double a, double b, double c) { return fma(a, b, c); }
/* clamp(x = a, lo = b, hi = c) */
static double r_clamp(double a, double b, double c) { return minimum_d(maximum_d(a, b), c); }

enum kind { BIN, UN, SCALE, AXPY, FMA3, CLAMP };

struct ew {
	const char *name;
	enum kind kind;
	void (*fn)(void);
	double (*ref)(double, double, double);
	float lo, hi;           /* range of random inputs */
};

#define EW(name, kind, lo, hi) { #name, kind, (void (*)(void))tn_##name, r_##name, lo, hi }
static const struct ew ews[] = {
	EW(add, BIN, -1e3f, 1e3f), EW(sub, BIN, -1e3f, 1e3f), EW(mul, BIN, -1e3f, 1e3f),
	EW(div, BIN, -1e3f, 1e3f), EW(minimum, BIN, -4.0f, 4.0f),
	EW(maximum, BIN, -4.0f, 4.0f), EW(abs, UN, -1e3f, 1e3f), EW(neg, UN, -1e3f, 1e3f),
	EW(sqrt, UN, 0.0f, 1e6f), EW(recip, UN, -1e3f, 1e3f), EW(floor, UN, -100.0f, 100.0f),
	EW(ceil, UN, -100.0f, 100.0f), EW(round, UN, -100.0f, 100.0f),
	EW(trunc, UN, -100.0f, 100.0f), EW(scale, SCALE, -1e3f, 1e3f),
	EW(axpy, AXPY, -1e3f, 1e3f), EW(fma, FMA3, -1e3f, 1e3f), EW(clamp, CLAMP, -4.0f, 4.0f),
};

typedef void (*bin_t)(size_t, const float *, const float *, float *);
typedef void (*un_t)(size_t, const float *, float *);
typedef void (*scal_t)(size_t, float, const float *, float *);
typedef void (*fma_t)(size_t, const float *, const float *, const float *, float *);
typedef void (*clamp_t)(size_t, const float *, float, float, float *);

/*
 * Runs op on (a, b, c) into y and checks every element against the double
 * reference: correctly rounded (<= 0.5 ulp), signed zeros and NaN included.
 * For scale, axpy and clamp the scalars are b[0] (alpha, lo) and c[0] (hi).
 */
static void check_ew(const struct ew *op, enum tn_backend bk, size_t n, const float *a,
		     const float *b, const float *c, float *y, double *want)
{
	float s1 = n ? b[0] : 0.5f, s2 = n ? c[0] : 2.0f;

	if (op->kind == AXPY)
		memcpy(y, c, n * sizeof(float));
	switch (op->kind) {
	case BIN: ((bin_t)op->fn)(n, a, b, y); break;
	case UN: ((un_t)op->fn)(n, a, y); break;
	case SCALE: ((scal_t)op->fn)(n, s1, a, y); break;
	case AXPY: ((scal_t)op->fn)(n, s1, a, y); break;
	case FMA3: ((fma_t)op->fn)(n, a, b, c, y); break;
	case CLAMP: ((clamp_t)op->fn)(n, a, s1, s2, y); break;
	}
	for (size_t i = 0; i < n; i++) {
		switch (op->kind) {
		case SCALE: want[i] = op->ref(a[i], s1, 0); break;
		case AXPY: want[i] = op->ref(a[i], s1, c[i]); break;
		case CLAMP: want[i] = op->ref(a[i], s1, s2); break;
		default: want[i] = op->ref(a[i], b[i], c[i]); break;
		}
	}
	tn_check_ulp_array(n, y, want, 0.5, op->name, bk, a);
}

static void test_elementwise(void **state)
{
	enum tn_backend bk = tn_check_backend(state);

	for (size_t o = 0; o < sizeof(ews) / sizeof(ews[0]); o++) {
		const struct ew *op = &ews[o];
		struct tn_check_rng rng = tn_check_rng(1000 + o);

		for (size_t s = 0; s < tn_check_nsizes; s++) {
			size_t n = tn_check_sizes[s], pos[3], np = tn_check_positions(n, pos);
			float *a = tn_check_alloc(n), *b = tn_check_alloc(n);
			float *c = tn_check_alloc(n), *y = tn_check_alloc(n);
			double *want = tn_check_alloc_double(n);

			tn_check_fill(&rng, n, a, op->lo, op->hi);
			tn_check_fill(&rng, n, b, op->lo, op->hi);
			tn_check_fill(&rng, n, c, op->lo, op->hi);
			if (op->kind == CLAMP && n) {
				b[0] = -1.0f;
				c[0] = 1.5f;
			}
			check_ew(op, bk, n, a, b, c, y, want);
			/* In place: y is an input. */
			memcpy(y, a, n * sizeof(float));
			if (op->kind == BIN)
				((bin_t)op->fn)(n, y, b, y);
			else if (op->kind == UN)
				((un_t)op->fn)(n, y, y);
			if (op->kind == BIN || op->kind == UN) {
				float *y2 = tn_check_alloc(n);

				memcpy(y2, y, n * sizeof(float));
				check_ew(op, bk, n, a, b, c, y, want);
				for (size_t i = 0; i < n; i++)
					assert_true(tn_check_same(y[i], y2[i]));
				tn_check_free(y2);
			}
			/* Each special value, first in the body, middle and tail of a. */
			for (size_t p = 0; p < np && n <= 1025; p++) {
				for (size_t k = 0; k < tn_check_nspecials; k++) {
					float saved = a[pos[p]];

					a[pos[p]] = tn_check_specials[k];
					check_ew(op, bk, n, a, b, c, y, want);
					a[pos[p]] = saved;
					if (op->kind == BIN || op->kind == FMA3) {
						saved = b[pos[p]];
						b[pos[p]] = tn_check_specials[k];
						check_ew(op, bk, n, a, b, c, y, want);
						b[pos[p]] = saved;
					}
				}
			}
			tn_check_free(a);
			tn_check_free(b);
			tn_check_free(c);
			tn_check_free(y);
			free(want);
		}
	}
}

/* Every pair of special values, for the two-input operations. */
static void test_elementwise_pairs(void **state)
{
	enum tn_backend bk = tn_check_backend(state);
	size_t ns = tn_check_nspecials, n = ns * ns;
	float *a = tn_check_alloc(n), *b = tn_check_alloc(n), *c = tn_check_alloc(n);
	float *y = tn_check_alloc(n);
	double *want = tn_check_alloc_double(n);

	for (size_t i = 0; i < ns; i++)
		for (size_t j = 0; j < ns; j++) {
			a[i * ns + j] = tn_check_specials[i];
			b[i * ns + j] = tn_check_specials[j];
			c[i * ns + j] = tn_check_specials[(i + j) % ns];
		}
	for (size_t o = 0; o < sizeof(ews) / sizeof(ews[0]); o++)
		if (ews[o].kind == BIN || ews[o].kind == FMA3)
			check_ew(&ews[o], bk, n, a, b, c, y, want);
	tn_check_free(a);
	tn_check_free(b);
	tn_check_free(c);
	tn_check_free(y);
	free(want);
}

/* Random bit patterns: every exponent, subnormals, NaNs with any payload. */
static void test_elementwise_any(void **state)
{
	enum tn_backend bk = tn_check_backend(state);
	struct tn_check_rng rng = tn_check_rng(99);
	size_t n = tn_check_slow() ? 4097 : 65537;
	float *a = tn_check_alloc(n), *b = tn_check_alloc(n), *c = tn_check_alloc(n);
	float *y = tn_check_alloc(n);
	double *want = tn_check_alloc_double(n);

	for (size_t i = 0; i < n; i++) {
		a[i] = tn_check_any(&rng);
		b[i] = tn_check_any(&rng);
		c[i] = tn_check_any(&rng);
	}
	for (size_t o = 0; o < sizeof(ews) / sizeof(ews[0]); o++)
		check_ew(&ews[o], bk, n, a, b, c, y, want);
	tn_check_free(a);
	tn_check_free(b);
	tn_check_free(c);
	tn_check_free(y);
	free(want);
}

/* Cases with a known answer: fused fma, rounding of halves, signed zeros. */
static void test_elementwise_exact(void **state)
{
	enum tn_backend bk = tn_check_backend(state);
	float a[19], b[19], c[19], y[19];

	(void)bk;
	/* (1 + 2^-12)^2 - (1 + 2^-11) = 2^-24 only when fused. */
	for (int i = 0; i < 19; i++) {
		a[i] = b[i] = 1.0f + 0x1p-12f;
		c[i] = -(1.0f + 0x1p-11f);
	}
	tn_fma(19, a, b, c, y);
	for (int i = 0; i < 19; i++)
		assert_true(y[i] == 0x1p-24f);
	for (int i = 0; i < 19; i++)
		y[i] = c[i];
	tn_axpy(19, a[0], b, y);
	for (int i = 0; i < 19; i++)
		assert_true(y[i] == 0x1p-24f);

	static const float rin[] = { 0.5f, 1.5f, 2.5f, -0.5f, -2.5f, 0.49999997f,
				     -0.49999997f, 8388607.5f, -0.0f, 0.3f, -0.3f };
	static const float rout[] = { 1.0f, 2.0f, 3.0f, -1.0f, -3.0f, 0.0f,
				      -0.0f, 8388608.0f, -0.0f, 0.0f, -0.0f };
	size_t nr = sizeof(rin) / sizeof(rin[0]);

	for (size_t off = 0; off < 16; off++) {
		float xin[32], xout[32];

		for (size_t i = 0; i < 32; i++)
			xin[i] = 7.0f;
		memcpy(xin + off, rin, sizeof(rin));
		tn_round(off + nr, xin, xout);
		for (size_t i = 0; i < nr; i++)
			assert_true(tn_check_same(xout[off + i], rout[i]));
	}
	a[0] = -0.0f; b[0] = 0.0f;
	tn_maximum(1, a, b, y);
	assert_true(tn_check_same(y[0], 0.0f));
	tn_minimum(1, a, b, y);
	assert_true(tn_check_same(y[0], -0.0f));
	tn_maximum(1, b, a, y);
	assert_true(tn_check_same(y[0], 0.0f));
	tn_minimum(1, b, a, y);
	assert_true(tn_check_same(y[0], -0.0f));
}

/* ---- Reductions ----------------------------------------------------------- */

/* A sum in long double, and the sum of magnitudes, for the error bounds. */
static void ref_sum(size_t n, const float *a, const float *b, long double *ret_s,
		    long double *ret_abs)
{
	long double s = 0, m = 0;

	for (size_t i = 0; i < n; i++) {
		long double t = b ? (long double)a[i] * b[i] : (long double)a[i];

		s += t;
		m += fabsl(t);
	}
	*ret_s = s;
	*ret_abs = m;
}

/* (ceil(n/64) + 6 [+ 1 for products]) u sum|t_i|: the bound of libtn(3). */
static double sum_bound(size_t n, long double mag, int products)
{
	return (double)((n + 63) / 64 + 6 + products) * U * (1 + 1e-6) * (double)mag;
}

static void check_abs_err(const char *op, enum tn_backend bk, size_t n, float got,
			  long double want, double bound)
{
	if (isnan(got) || fabsl((long double)got - want) > bound)
		fail_msg("%s on %s, n=%zu: got %.9g want %.17Lg, |error| %Lg > bound %g",
			 op, tn_backend_name(bk), n, (double)got, want,
			 fabsl((long double)got - want), bound);
}

/* Same bits as the scalar backend, for the fixed-order sums. */
static void check_same_as_scalar(enum tn_backend bk, size_t n, const float *x, const float *x2)
{
	float s = tn_sum(n, x), d = tn_dot(n, x, x2), l1 = tn_norm_l1(n, x);
	float l2 = tn_norm_l2(n, x), m = tn_mean(n, x), v = tn_variance(n, x);

	assert_int_equal(tn_backend_force(TN_BACKEND_SCALAR), 0);
	if (!tn_check_same(s, tn_sum(n, x)) || !tn_check_same(d, tn_dot(n, x, x2)) ||
	    !tn_check_same(l1, tn_norm_l1(n, x)) || !tn_check_same(l2, tn_norm_l2(n, x)) ||
	    !tn_check_same(m, tn_mean(n, x)) || !tn_check_same(v, tn_variance(n, x)))
		fail_msg("%s and scalar differ at n=%zu: sum %a/%a dot %a/%a", tn_backend_name(bk),
			 n, (double)s, (double)tn_sum(n, x), (double)d, (double)tn_dot(n, x, x2));
	assert_int_equal(tn_backend_force(bk), 0);
}

static void ref_moments(size_t n, const float *x, long double *ret_mean, long double *ret_var)
{
	long double s = 0, q = 0;

	for (size_t i = 0; i < n; i++)
		s += x[i];
	s /= (long double)n;
	for (size_t i = 0; i < n; i++)
		q += ((long double)x[i] - s) * ((long double)x[i] - s);
	*ret_mean = s;
	*ret_var = q / (long double)n;
}

static void check_reductions(enum tn_backend bk, size_t n, const float *x, const float *x2)
{
	long double s, mag, l2 = 0, mean, var;
	size_t amax = 0, amin = 0;
	float mx = -INFINITY, mn = INFINITY, ninf = 0;

	ref_sum(n, x, NULL, &s, &mag);
	check_abs_err("sum", bk, n, tn_sum(n, x), s, sum_bound(n, mag, 0));
	check_abs_err("norm_l1", bk, n, tn_norm_l1(n, x), mag, sum_bound(n, mag, 0));
	ref_sum(n, x, x2, &s, &mag);
	check_abs_err("dot", bk, n, tn_dot(n, x, x2), s, sum_bound(n, mag, 1));
	for (size_t i = 0; i < n; i++) {
		l2 += (long double)x[i] * x[i];
		if (x[i] > x[amax])
			amax = i;
		if (x[i] < x[amin])
			amin = i;
		if (fabsf(x[i]) > ninf)
			ninf = fabsf(x[i]);
	}
	if (n) {
		mx = x[amax];
		mn = x[amin];
	}
	tn_check_ulp_one(tn_norm_l2(n, x), (double)sqrtl(l2), 1.0, "norm_l2", bk, n);
	assert_int_equal(tn_argmax(n, x), n ? amax : SIZE_MAX);
	assert_int_equal(tn_argmin(n, x), n ? amin : SIZE_MAX);
	assert_true(tn_check_same(tn_max(n, x), mx));
	assert_true(tn_check_same(tn_min(n, x), mn));
	assert_true(tn_check_same(tn_norm_inf(n, x), ninf));
	if (n) {
		ref_moments(n, x, &mean, &var);
		tn_check_ulp_one(tn_mean(n, x), (double)mean, 1.0, "mean", bk, n);
		tn_check_ulp_one(tn_variance(n, x), (double)var, 1.0, "variance", bk, n);
		tn_check_ulp_one(tn_stddev(n, x), (double)sqrtl(var), 1.0, "stddev", bk, n);
	} else {
		assert_true(isnan(tn_mean(0, x)));
		assert_true(isnan(tn_variance(0, x)));
		assert_true(isnan(tn_stddev(0, x)));
		assert_true(tn_check_same(tn_sum(0, x), 0.0f));
		assert_true(tn_check_same(tn_dot(0, x, x2), 0.0f));
		assert_true(tn_check_same(tn_norm_l2(0, x), 0.0f));
	}
}

static void test_reductions(void **state)
{
	enum tn_backend bk = tn_check_backend(state);
	struct tn_check_rng rng = tn_check_rng(77);
	static const float ranges[][2] = { { -1.0f, 1.0f }, { 0.0f, 1e4f }, { 1e4f, 1.0001e4f },
					   { -1e30f, 1e30f }, { -1e-30f, 1e-30f } };

	for (size_t s = 0; s < tn_check_nsizes; s++) {
		size_t n = tn_check_sizes[s];
		float *x = tn_check_alloc(n), *x2 = tn_check_alloc(n);

		for (size_t r = 0; r < sizeof(ranges) / sizeof(ranges[0]); r++) {
			tn_check_fill(&rng, n, x, ranges[r][0], ranges[r][1]);
			tn_check_fill(&rng, n, x2, -1.0f, 1.0f);
			check_reductions(bk, n, x, x2);
			check_same_as_scalar(bk, n, x, x2);
		}
		/* Ties: the first index wins, wherever the copies sit. */
		if (n >= 8) {
			tn_check_fill(&rng, n, x, -1.0f, 1.0f);
			x[n - 1] = x[n / 2] = x[1] = 2.0f;
			x[n - 2] = x[n / 3] = -2.0f;
			assert_int_equal(tn_argmax(n, x), 1);
			assert_int_equal(tn_argmin(n, x), n / 3 < n - 2 ? n / 3 : n - 2);
			/* -0 < +0. */
			for (size_t i = 0; i < n; i++)
				x[i] = -0.0f;
			x[n - 1] = 0.0f;
			assert_int_equal(tn_argmax(n, x), n - 1);
			assert_int_equal(tn_argmin(n, x), 0);
			assert_true(tn_check_same(tn_max(n, x), 0.0f));
			assert_true(tn_check_same(tn_min(n, x), -0.0f));
			x[n - 1] = -0.0f;
			assert_true(tn_check_same(tn_sum(n, x), -0.0f));
		}
		tn_check_free(x);
		tn_check_free(x2);
	}
}

/* NaN and infinities in the body and the tail: the policy of libtn(3). */
static void test_reductions_special(void **state)
{
	enum tn_backend bk = tn_check_backend(state);
	struct tn_check_rng rng = tn_check_rng(5);

	(void)bk;

	for (size_t s = 0; s < tn_check_nsizes; s++) {
		size_t n = tn_check_sizes[s], pos[3], np = tn_check_positions(n, pos);
		float *x = tn_check_alloc(n);

		tn_check_fill(&rng, n, x, -1.0f, 1.0f);
		for (size_t p = 0; p < np; p++) {
			size_t at = pos[p];
			float saved = x[at];

			x[at] = NAN;
			assert_true(isnan(tn_sum(n, x)) && isnan(tn_dot(n, x, x)));
			assert_true(isnan(tn_norm_l1(n, x)) && isnan(tn_norm_l2(n, x)));
			assert_true(isnan(tn_norm_inf(n, x)) && isnan(tn_max(n, x)));
			assert_true(isnan(tn_min(n, x)) && isnan(tn_mean(n, x)));
			assert_true(isnan(tn_variance(n, x)) && isnan(tn_stddev(n, x)));
			assert_int_equal(tn_argmax(n, x), at);
			assert_int_equal(tn_argmin(n, x), at);
			/* The first NaN wins, whatever its sign. */
			if (at + 1 < n) {
				x[n - 1] = -NAN;
				assert_int_equal(tn_argmax(n, x), at);
				assert_int_equal(tn_argmin(n, x), at);
			}
			tn_check_fill(&rng, n, x, -1.0f, 1.0f);
			x[at] = INFINITY;
			assert_true(tn_sum(n, x) == INFINITY && tn_norm_l2(n, x) == INFINITY);
			assert_true(tn_norm_inf(n, x) == INFINITY && tn_max(n, x) == INFINITY);
			assert_true(tn_mean(n, x) == INFINITY && isnan(tn_variance(n, x)));
			assert_int_equal(tn_argmax(n, x), at);
			x[at] = -INFINITY;
			assert_true(tn_sum(n, x) == -INFINITY && tn_norm_l1(n, x) == INFINITY);
			assert_true(tn_min(n, x) == -INFINITY);
			assert_int_equal(tn_argmin(n, x), at);
			if (at != pos[0]) {
				x[pos[0]] = INFINITY;
				assert_true(isnan(tn_sum(n, x)));
			}
			tn_check_fill(&rng, n, x, -1.0f, 1.0f);
			x[at] = saved;
		}
		tn_check_free(x);
	}
}

/* Large finite inputs: norm_l2 and variance do not overflow; data near 1e4 keeps its variance. */
static void test_reductions_range(void **state)
{
	enum tn_backend bk = tn_check_backend(state);
	float x[1000];
	long double mean, var;

	for (size_t i = 0; i < 1000; i++)
		x[i] = (i & 1) ? 3e38f : -3e38f;
	tn_check_ulp_one(tn_norm_l2(1000, x), 3e38 * sqrt(1000.0), 1.0, "norm_l2", bk, 1000);
	assert_true(tn_norm_l2(1000, x) == INFINITY);   /* 9.5e39 is beyond FLT_MAX */
	for (size_t i = 0; i < 1000; i++)
		x[i] = (i & 1) ? 1e36f : -1e36f;
	tn_check_ulp_one(tn_norm_l2(1000, x), 1e36 * sqrt(1000.0), 1.0, "norm_l2", bk, 1000);
	tn_check_ulp_one(tn_variance(1000, x), 1e72 > FLT_MAX ? INFINITY : 0, 0, "variance", bk, 1000);
	for (size_t i = 0; i < 1000; i++)
		x[i] = (i & 1) ? 1e-30f : -1e-30f;
	tn_check_ulp_one(tn_norm_l2(1000, x), (double)1e-30f * sqrt(1000.0), 1.0, "norm_l2", bk, 1000);

	static const float seed[] = { 10000.0f, 10000.1f, 10000.2f, 10000.3f };
	for (size_t n = 4; n <= 1000; n += 4) {
		for (size_t i = 0; i < n; i++)
			x[i] = seed[i % 4];
		ref_moments(n, x, &mean, &var);
		assert_true(tn_variance(n, x) > 0);
		tn_check_ulp_one(tn_variance(n, x), (double)var, 1.0, "variance", bk, n);
		tn_check_ulp_one(tn_stddev(n, x), (double)sqrtl(var), 1.0, "stddev", bk, n);
		tn_check_ulp_one(tn_mean(n, x), (double)mean, 1.0, "mean", bk, n);
	}
	/* A constant vector has variance exactly 0. */
	for (size_t i = 0; i < 999; i++)
		x[i] = 0.1f;
	assert_true(tn_check_same(tn_variance(999, x), 0.0f));
}

/*
 * Every length through the paths of the fixed-order sums (the first block,
 * the two-block loop, a single block, the tail of 1 to 63 lanes), on data
 * whose lanes may be -0 throughout: a wrong pad or starting value shows as a
 * sign of zero, anything else as other bits than scalar's.
 */
static void test_reductions_lengths(void **state)
{
	enum tn_backend bk = tn_check_backend(state);
	struct tn_check_rng rng = tn_check_rng(1234);
	enum { NMAX = 5 * 64 + 1 };
	float *x = tn_check_alloc(NMAX), *x2 = tn_check_alloc(NMAX);

	for (size_t n = 0; n <= NMAX; n++) {
		tn_check_fill(&rng, n, x, -1.0f, 1.0f);
		tn_check_fill(&rng, n, x2, -1.0f, 1.0f);
		check_same_as_scalar(bk, n, x, x2);
		for (size_t i = 0; i < n; i++) {
			x[i] = -0.0f;
			x2[i] = (i & 1) ? 1.0f : -1.0f;
		}
		check_same_as_scalar(bk, n, x, x2);
		if (n) {
			assert_true(tn_check_same(tn_sum(n, x), -0.0f));
			assert_true(tn_check_same(tn_norm_l1(n, x), 0.0f));
		}
	}
	tn_check_free(x);
	tn_check_free(x2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TN_CHECK_BACKENDS(test_elementwise),
		TN_CHECK_BACKENDS(test_elementwise_pairs),
		TN_CHECK_BACKENDS(test_elementwise_any),
		TN_CHECK_BACKENDS(test_elementwise_exact),
		TN_CHECK_BACKENDS(test_reductions),
		TN_CHECK_BACKENDS(test_reductions_special),
		TN_CHECK_BACKENDS(test_reductions_range),
		TN_CHECK_BACKENDS(test_reductions_lengths),
	};

	return tn_check_run("tn-arith", tests);
}
