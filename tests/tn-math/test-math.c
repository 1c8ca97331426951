/*
 * libtn math on every backend the CPU has: each function against a
 * double-precision reference with the ulp bound of libtn(3) as the
 * assertion, over a sweep of the float range, every size of tn-check,
 * unaligned buffers, in place, specials in the body and the tail, and the
 * same bits as the scalar backend.
 */
#include <float.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "math-ref.h"
#include "tn-check.h"

#define POW_BOUND 5.0
#define SOFTMAX_BOUND 3.5       /* plus the sum's rounding, see softmax_bound() */

static bool under_tool(void)
{
	return getenv("TN_UNDER_VALGRIND") || getenv("TN_UNDER_SANITIZER");
}

/* y must equal what the scalar backend gives for the same call. */
static void check_same(size_t n, const float *y, const float *s, const char *op,
		       enum tn_backend b, const float *x)
{
	for (size_t i = 0; i < n; i++) {
		if (!tn_check_same(y[i], s[i])) {
			print_error("%s/%s: y[%zu] = %a (x = %a), scalar gives %a\n", op,
				    tn_backend_name(b), i, (double)y[i],
				    x ? (double)x[i] : 0.0, (double)s[i]);
			fail();
		}
	}
}

static void check_unary(const struct math_unary *f, enum tn_backend b, size_t n,
			const float *x)
{
	float *y = tn_check_alloc(n), *s = tn_check_alloc(n);
	double *ref = tn_check_alloc_double(n + 1);

	f->fn(n, x, y);
	for (size_t i = 0; i < n; i++)
		ref[i] = ref_clamp(f->ref(x[i]));
	tn_check_ulp_array(n, y, ref, f->bound, f->name, b, x);
	if (b != TN_BACKEND_SCALAR) {
		assert_int_equal(tn_backend_force(TN_BACKEND_SCALAR), 0);
		f->fn(n, x, s);
		assert_int_equal(tn_backend_force(b), 0);
		check_same(n, y, s, f->name, b, x);
	}
	/* in place */
	memcpy(s, x, n * sizeof(float));
	f->fn(n, s, s);
	check_same(n, s, y, f->name, b, x);
	tn_check_free(y);
	tn_check_free(s);
	free(ref);
}

/* Every STRIDE-th bit pattern, and a dense uniform sample of [lo, hi]. */
static void test_sweep(void **state)
{
	enum tn_backend b = tn_check_backend(state);
	uint64_t stride = under_tool() ? 999983 : 4099;
	size_t chunk = 1u << 16, dense = under_tool() ? 4096 : 1u << 18;
	float *x = tn_check_alloc(chunk > dense ? chunk : dense);

	for (size_t f = 0; f < MATH_NUNARY; f++) {
		struct tn_check_rng rng = tn_check_rng(97 + f);

		for (uint64_t u = 0; u < (1ull << 32);) {
			size_t n = 0;

			for (; n < chunk && u < (1ull << 32); n++, u += stride) {
				uint32_t w = (uint32_t)u;

				memcpy(&x[n], &w, sizeof(float));
			}
			check_unary(&math_unary[f], b, n, x);
		}
		tn_check_fill(&rng, dense, x, (float)math_unary[f].lo, (float)math_unary[f].hi);
		check_unary(&math_unary[f], b, dense, x);
	}
	tn_check_free(x);
}

/* Every size, specials planted in the body and the tail. */
static void test_sizes(void **state)
{
	enum tn_backend b = tn_check_backend(state);

	for (size_t f = 0; f < MATH_NUNARY; f++) {
		struct tn_check_rng rng = tn_check_rng(7 + f);

		for (size_t s = 0; s < tn_check_nsizes; s++) {
			size_t n = tn_check_sizes[s], pos[3];
			size_t k = tn_check_positions(n, pos);
			float *x = tn_check_alloc(n);

			tn_check_fill(&rng, n, x, (float)math_unary[f].lo, (float)math_unary[f].hi);
			check_unary(&math_unary[f], b, n, x);
			for (size_t j = 0; j < k; j++)
				x[pos[j]] = tn_check_specials[(s + j) % tn_check_nspecials];
			check_unary(&math_unary[f], b, n, x);
			tn_check_free(x);
		}
	}
}

/* All specials, in a vector long enough to put each in a body and a tail. */
static void test_specials(void **state)
{
	enum tn_backend b = tn_check_backend(state);
	size_t ns = tn_check_nspecials, n = 2 * ns + 3;
	float *x = tn_check_alloc(n);

	for (size_t i = 0; i < n; i++)
		x[i] = tn_check_specials[i % ns];
	for (size_t f = 0; f < MATH_NUNARY; f++)
		for (size_t len = 1; len <= n; len++)
			check_unary(&math_unary[f], b, len, x + (n - len));
	tn_check_free(x);
}

/* What the seed got wrong (seed-review.md), as plain values. */
static void test_seed_regressions(void **state)
{
	enum tn_backend b = tn_check_backend(state);
	const float x[] = { NAN, INFINITY, -INFINITY, -100.0f, -104.0f, 88.8f, 1.0f };
	float y[7], t[3];
	const float tx[3] = { 1e-6f, -1e-30f, 0x1p-149f };

	tn_exp(7, x, y);
	assert_true(isnan(y[0]));
	assert_true(y[1] == INFINITY);
	assert_true(y[2] == 0.0f && !signbit(y[2]));
	/* e^-100 = 3.72e-44 is a subnormal float (26.5 * 2^-149): not FLT_MIN */
	assert_true(y[3] == 0x1.bp-145f);
	assert_true(y[4] == 0.0f);
	assert_true(y[5] == INFINITY);
	assert_true(tn_check_ulp(y[6], exp(1.0)) <= 1.0);
	tn_tanh(3, tx, t);
	for (size_t i = 0; i < 3; i++)
		assert_true(t[i] == tx[i]);
	tn_sigmoid(3, x, y);
	assert_true(isnan(y[0]) && y[1] == 1.0f && y[2] == 0.0f);
	tn_log(3, (const float[]){ 0.0f, -1.0f, INFINITY }, y);
	assert_true(y[0] == -INFINITY && isnan(y[1]) && y[2] == INFINITY);
	(void)b;
}

/* ---- pow --------------------------------------------------------------- */

static void check_pow(enum tn_backend b, size_t n, const float *x, const float *e)
{
	float *y = tn_check_alloc(n), *s = tn_check_alloc(n);
	double *ref = tn_check_alloc_double(n + 1);

	tn_pow(n, x, e, y);
	for (size_t i = 0; i < n; i++) {
		ref[i] = ref_clamp(pow(x[i], e[i]));
		if (tn_check_ulp(y[i], ref[i]) > POW_BOUND) {
			print_error("pow/%s: pow(%a, %a) = %a, want %a\n", tn_backend_name(b),
				    (double)x[i], (double)e[i], (double)y[i], ref[i]);
			fail();
		}
	}
	if (b != TN_BACKEND_SCALAR) {
		assert_int_equal(tn_backend_force(TN_BACKEND_SCALAR), 0);
		tn_pow(n, x, e, s);
		assert_int_equal(tn_backend_force(b), 0);
		check_same(n, y, s, "pow", b, x);
	}
	tn_check_free(y);
	tn_check_free(s);
	free(ref);
}

static void test_pow(void **state)
{
	enum tn_backend b = tn_check_backend(state);
	static const float sp[] = {
		NAN, INFINITY, -INFINITY, 0.0f, -0.0f, 1.0f, -1.0f, 0.5f, -0.5f, 2.0f,
		-2.0f, 3.0f, -3.0f, 2.5f, -2.5f, 0x1p-149f, FLT_MIN, FLT_MAX, -FLT_MAX,
		0x1p24f, 0x1p23f + 1.0f, 1e10f, -7.0f, 0.999999f, 1.000001f, 127.0f, -149.0f,
	};
	size_t ns = sizeof(sp) / sizeof(sp[0]), nn = ns * ns;
	float *x = tn_check_alloc(nn), *e = tn_check_alloc(nn);
	struct tn_check_rng rng = tn_check_rng(11);
	size_t big = under_tool() ? 4096 : 1u << 18;

	/* every pair of specials, each in body and tail positions */
	for (size_t i = 0; i < nn; i++) {
		x[i] = sp[i / ns];
		e[i] = sp[i % ns];
	}
	check_pow(b, nn, x, e);
	tn_check_free(x);
	tn_check_free(e);
	x = tn_check_alloc(big);
	e = tn_check_alloc(big);
	/* x over the whole positive range, y where the result stays finite */
	for (size_t i = 0; i < big; i++) {
		uint32_t w = (uint32_t)(tn_check_u64(&rng) % 0x7f800000u);

		memcpy(&x[i], &w, sizeof(float));
		e[i] = tn_check_uniform(&rng, -2.0f, 2.0f);
	}
	check_pow(b, big, x, e);
	/* results across the whole float range, subnormal ones included */
	for (size_t i = 0; i < big; i++) {
		x[i] = tn_check_uniform(&rng, 0.0f, 20.0f);
		e[i] = tn_check_uniform(&rng, -60.0f, 60.0f);
	}
	check_pow(b, big, x, e);
	/* negative bases with integer exponents; bases near 1 with large ones */
	for (size_t i = 0; i < big; i++) {
		x[i] = -tn_check_uniform(&rng, 0.0f, 4.0f);
		e[i] = (float)(int)tn_check_uniform(&rng, -60.0f, 60.0f);
		if (i % 2) {
			x[i] = tn_check_uniform(&rng, 0.99f, 1.01f);
			e[i] = tn_check_uniform(&rng, -8000.0f, 8000.0f);
		}
	}
	check_pow(b, big, x, e);
	for (size_t s = 0; s < tn_check_nsizes && tn_check_sizes[s] <= big; s++)
		check_pow(b, tn_check_sizes[s], x, e);
	tn_check_free(x);
	tn_check_free(e);
}

/* ---- softmax, log_softmax, layer_norm -------------------------------------- */

/*
 * libtn(3): 3.5 ulp plus n/32, the rounding of a float sum of n positive
 * terms in 16 lanes (each lane adds n/16 of them) at half its worst case.
 */
static double softmax_bound(size_t n)
{
	return SOFTMAX_BOUND + (double)n / 32.0;
}

static void ref_softmax(size_t n, const float *x, double *ref, bool log_form)
{
	double m = -INFINITY, s1 = -1;

	for (size_t i = 0; i < n; i++)
		m = x[i] > m ? x[i] : m;
	/* s - 1, summed apart so that log1p keeps what 1 + tiny would lose */
	for (size_t i = 0; i < n; i++)
		s1 += x[i] == m ? 1 : 0;
	for (size_t i = 0; i < n; i++)
		s1 += x[i] == m ? 0 : exp(x[i] - m);
	for (size_t i = 0; i < n; i++)
		ref[i] = log_form ? (x[i] - m) - log1p(s1) : exp(x[i] - m) / (1 + s1);
}

static void check_softmax(enum tn_backend b, size_t n, const float *x, bool log_form)
{
	void (*fn)(size_t, const float *, float *) = log_form ? tn_log_softmax : tn_softmax;
	const char *op = log_form ? "log_softmax" : "softmax";
	float *y = tn_check_alloc(n), *s = tn_check_alloc(n);
	double *ref = tn_check_alloc_double(n + 1);

	fn(n, x, y);
	ref_softmax(n, x, ref, log_form);
	tn_check_ulp_array(n, y, ref, softmax_bound(n), op, b, x);
	if (b != TN_BACKEND_SCALAR) {
		assert_int_equal(tn_backend_force(TN_BACKEND_SCALAR), 0);
		fn(n, x, s);
		assert_int_equal(tn_backend_force(b), 0);
		check_same(n, y, s, op, b, x);
	}
	memcpy(s, x, n * sizeof(float));
	fn(n, s, s);
	check_same(n, s, y, op, b, x);
	tn_check_free(y);
	tn_check_free(s);
	free(ref);
}

static void test_softmax(void **state)
{
	enum tn_backend b = tn_check_backend(state);
	struct tn_check_rng rng = tn_check_rng(5);

	for (size_t s = 0; s < tn_check_nsizes; s++) {
		size_t n = tn_check_sizes[s], pos[3];
		size_t k = tn_check_positions(n, pos);
		float *x = tn_check_alloc(n);

		for (int log_form = 0; log_form < 2; log_form++) {
			tn_check_fill(&rng, n, x, -60.0f, 60.0f);
			check_softmax(b, n, x, log_form);
			tn_check_fill(&rng, n, x, 1e4f, 1e4f + 3.0f);
			check_softmax(b, n, x, log_form);
			/* -inf entries beside finite ones: exactly 0 (-inf) there */
			for (size_t j = 0; j < k; j++)
				x[pos[j]] = -INFINITY;
			if (n > k)
				check_softmax(b, n, x, log_form);
		}
		tn_check_free(x);
	}
}

/* NaN, +inf and all -inf: the documented results. */
static void test_softmax_specials(void **state)
{
	enum tn_backend b = tn_check_backend(state);

	for (size_t n = 1; n <= 40; n += 3) {
		float *x = tn_check_alloc(n), *y = tn_check_alloc(n), *l = tn_check_alloc(n);
		size_t pos[3], k = tn_check_positions(n, pos);

		for (size_t j = 0; j < k; j++) {
			for (size_t i = 0; i < n; i++)
				x[i] = (float)i;
			x[pos[j]] = NAN;
			tn_softmax(n, x, y);
			tn_log_softmax(n, x, l);
			for (size_t i = 0; i < n; i++)
				assert_true(isnan(y[i]) && isnan(l[i]));
			x[pos[j]] = INFINITY;
			x[pos[0]] = INFINITY;
			tn_softmax(n, x, y);
			tn_log_softmax(n, x, l);
			for (size_t i = 0; i < n; i++) {
				size_t c = j == 0 ? 1 : 2;

				if (x[i] == INFINITY) {
					assert_true(y[i] == 1.0f / (float)c);
					assert_true(tn_check_ulp(l[i], -log((double)c)) <= 1.0);
				} else {
					assert_true(y[i] == 0.0f && l[i] == -INFINITY);
				}
			}
		}
		for (size_t i = 0; i < n; i++)
			x[i] = -INFINITY;
		tn_softmax(n, x, y);
		tn_log_softmax(n, x, l);
		for (size_t i = 0; i < n; i++) {
			assert_true(y[i] == 1.0f / (float)n);
			assert_true(tn_check_ulp(l[i], -log((double)n)) <= 1.0);
		}
		tn_check_free(x);
		tn_check_free(y);
		tn_check_free(l);
	}
	(void)b;
}

static void check_layer_norm(enum tn_backend b, size_t n, const float *x, const float *g,
			     const float *be, float eps)
{
	float *y = tn_check_alloc(n), *s = tn_check_alloc(n);
	double mean = 0, var = 0, rstd, maxabs = 0;

	tn_layer_norm(n, x, g, be, eps, y);
	for (size_t i = 0; i < n; i++) {
		mean += x[i];
		maxabs = fmax(maxabs, fabs(x[i]));
	}
	mean /= (double)n;
	for (size_t i = 0; i < n; i++)
		var += (x[i] - mean) * (x[i] - mean);
	var /= (double)n;
	rstd = 1 / sqrt(var + eps);
	for (size_t i = 0; i < n; i++) {
		double gi = g ? g[i] : 1, bi = be ? be[i] : 0;
		double z = (x[i] - mean) * rstd, want = z * gi + bi;
		/* libtn(3): 8 ulp of the result's parts, plus the float mean's
		 * error (n/16 + 8) eps max|x| scaled by gamma rstd */
		double tol = 0x1p-21 * (fabs(gi) * (fabs(z) + 1) + fabs(bi)) +
			fabs(gi) * rstd * ((double)n / 16 + 8) * 0x1p-24 * maxabs;

		if (!(fabs(y[i] - want) <= tol) && !(isnan(y[i]) && isnan(want))) {
			print_error("layer_norm/%s: n %zu y[%zu] = %a, want %a\n",
				    tn_backend_name(b), n, i, (double)y[i], want);
			fail();
		}
	}
	if (b != TN_BACKEND_SCALAR) {
		assert_int_equal(tn_backend_force(TN_BACKEND_SCALAR), 0);
		tn_layer_norm(n, x, g, be, eps, s);
		assert_int_equal(tn_backend_force(b), 0);
		check_same(n, y, s, "layer_norm", b, x);
	}
	tn_check_free(y);
	tn_check_free(s);
}

static void test_layer_norm(void **state)
{
	enum tn_backend b = tn_check_backend(state);
	struct tn_check_rng rng = tn_check_rng(3);

	for (size_t s = 1; s < tn_check_nsizes; s++) {
		size_t n = tn_check_sizes[s];
		float *x = tn_check_alloc(n), *g = tn_check_alloc(n), *be = tn_check_alloc(n);

		tn_check_fill(&rng, n, x, -5.0f, 5.0f);
		tn_check_fill(&rng, n, g, 0.5f, 2.0f);
		tn_check_fill(&rng, n, be, -1.0f, 1.0f);
		check_layer_norm(b, n, x, g, be, 1e-5f);
		check_layer_norm(b, n, x, NULL, NULL, 1e-5f);
		check_layer_norm(b, n, x, g, NULL, 0.0f);
		/* a large offset: E[x^2] - mean^2 would cancel to nothing here */
		tn_check_fill(&rng, n, x, 10000.0f, 10000.5f);
		check_layer_norm(b, n, x, NULL, be, 1e-5f);
		tn_check_free(x);
		tn_check_free(g);
		tn_check_free(be);
	}
	/* n = 0 writes nothing; NaN anywhere makes every output NaN */
	tn_layer_norm(0, NULL, NULL, NULL, 1e-5f, NULL);
	{
		float x[19], y[19];

		for (size_t i = 0; i < 19; i++)
			x[i] = (float)i;
		x[18] = NAN;
		tn_layer_norm(19, x, NULL, NULL, 1e-5f, y);
		for (size_t i = 0; i < 19; i++)
			assert_true(isnan(y[i]));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TN_CHECK_BACKENDS(test_seed_regressions),
		TN_CHECK_BACKENDS(test_specials),
		TN_CHECK_BACKENDS(test_sizes),
		TN_CHECK_BACKENDS(test_sweep),
		TN_CHECK_BACKENDS(test_pow),
		TN_CHECK_BACKENDS(test_softmax),
		TN_CHECK_BACKENDS(test_softmax_specials),
		TN_CHECK_BACKENDS(test_layer_norm),
	};

	return tn_check_run("tn-math", tests);
}
