/*
 * The 16-lane kernels (math-body.h over emu16.c's plain-C vocabulary) give
 * the scalar backend's bits for every operation, size and special value:
 * the AVX-512 backend's width logic, checked on any CPU.
 */
#include <string.h>

#include "math-kernels.h"
#include "tn-check.h"

TN_MATH_DECLARE_(emu16)

struct pair {
	const char *name;
	tn__m_unary_fn emu, scalar;
};

#define P(op) { #op, tn__m_##op##_emu16, tn__m_##op##_scalar },
static const struct pair unary[] = {
	P(exp) P(log) P(log2) P(log10) P(relu) P(selu) P(sigmoid) P(tanh) P(gelu)
	P(gelu_tanh) P(swish) P(hardswish) P(mish) P(softmax) P(log_softmax)
};
#undef P

static void same(size_t n, const float *a, const float *b, const char *op, const float *x)
{
	for (size_t i = 0; i < n; i++) {
		if (!tn_check_same(a[i], b[i])) {
			print_error("%s: n %zu, y[%zu] = %a (x = %a), scalar %a\n", op, n, i,
				    (double)a[i], (double)x[i], (double)b[i]);
			fail();
		}
	}
}

static void test_emu16(void **state)
{
	struct tn_check_rng rng = tn_check_rng(16);

	for (size_t s = 0; s < tn_check_nsizes; s++) {
		size_t n = tn_check_sizes[s], pos[3], k = tn_check_positions(n, pos);
		float *x = tn_check_alloc(n), *e = tn_check_alloc(n);
		float *a = tn_check_alloc(n), *b = tn_check_alloc(n);

		for (int round = 0; round < 3; round++) {
			tn_check_fill(&rng, n, x, -30.0f, 30.0f);
			tn_check_fill(&rng, n, e, -4.0f, 4.0f);
			if (round == 1)
				for (size_t j = 0; j < k; j++)
					x[pos[j]] = tn_check_specials[(s + j) % tn_check_nspecials];
			if (round == 2)
				for (size_t i = 0; i < n; i++)
					x[i] = tn_check_any(&rng);
			for (size_t f = 0; f < sizeof(unary) / sizeof(unary[0]); f++) {
				unary[f].emu(n, x, a);
				unary[f].scalar(n, x, b);
				same(n, a, b, unary[f].name, x);
			}
			tn__m_elu_emu16(n, 0.7f, x, a);
			tn__m_elu_scalar(n, 0.7f, x, b);
			same(n, a, b, "elu", x);
			tn__m_leaky_relu_emu16(n, 0.01f, x, a);
			tn__m_leaky_relu_scalar(n, 0.01f, x, b);
			same(n, a, b, "leaky_relu", x);
			tn__m_pow_emu16(n, x, e, a);
			tn__m_pow_scalar(n, x, e, b);
			same(n, a, b, "pow", x);
			tn__m_layer_norm_emu16(n, x, e, NULL, 1e-5f, a);
			tn__m_layer_norm_scalar(n, x, e, NULL, 1e-5f, b);
			same(n, a, b, "layer_norm", x);
		}
		tn_check_free(x);
		tn_check_free(e);
		tn_check_free(a);
		tn_check_free(b);
	}
	(void)state;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_emu16),
	};

	return tn_check_run("tn-math-emu16", tests);
}
