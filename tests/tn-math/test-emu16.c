/*
 * The 16-lane kernels (math-body.h over emu16.c's plain-C vocabulary) give
 * the scalar backend's bits for every operation, size and special value:
 * the AVX-512 backend's width logic, checked on any CPU.  Where the CPU has
 * AVX-512, the emulated instructions must also give the hardware's bits.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "emu16-ops.h"
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

static float from_bits(uint32_t u)
{
	float f;

	memcpy(&f, &u, sizeof(f));
	return f;
}

/*
 * Where the AVX-512 paths branch: mantissas within 4 ulp of sqrt 2 (log's
 * m and k), subnormals and powers of 2 (vgetexpps/vgetmantps), halfway
 * points of x log2 e (exp's k), both signs.
 */
static float edge(struct tn_check_rng *rng)
{
	uint64_t r = tn_check_u64(rng);
	uint32_t sign = (uint32_t)(r >> 63) << 31, e = (uint32_t)(r >> 8) % 254 + 1;
	int d = (int)(r >> 40) % 9 - 4;

	switch (r % 4) {
	case 0:
		return from_bits(sign | e << 23 | (uint32_t)(0x3504f3 + d));
	case 1:
		return from_bits(sign | (uint32_t)(r >> 16) % 0x800000u);
	case 2:
		return from_bits(sign | e << 23 | (uint32_t)(d < 0 ? 0x800000 + d : d));
	default:
		return (float)(((double)((int)(r >> 20) % 300 - 150) + 0.5) * 0.6931471805599453) *
		       (1.0f + (float)d * 0x1p-23f);
	}
}

static void test_emu16(void **state)
{
	struct tn_check_rng rng = tn_check_rng(16);

	for (size_t s = 0; s < tn_check_nsizes; s++) {
		size_t n = tn_check_sizes[s], pos[3], k = tn_check_positions(n, pos);
		float *x = tn_check_alloc(n), *e = tn_check_alloc(n);
		float *a = tn_check_alloc(n), *b = tn_check_alloc(n);

		for (int round = 0; round < 4; round++) {
			tn_check_fill(&rng, n, x, -30.0f, 30.0f);
			tn_check_fill(&rng, n, e, -4.0f, 4.0f);
			if (round == 1)
				for (size_t j = 0; j < k; j++)
					x[pos[j]] = tn_check_specials[(s + j) % tn_check_nspecials];
			if (round == 2)
				for (size_t i = 0; i < n; i++)
					x[i] = tn_check_any(&rng);
			if (round == 3)
				for (size_t i = 0; i < n; i++)
					x[i] = edge(&rng);
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

/* The instructions' corner inputs, then random bit patterns. */
static float op_input(struct tn_check_rng *rng, size_t i)
{
	static const uint32_t corner[] = {
		0x7fc00001, 0xffc00002, 0x7f800003, 0xff800004, 0x7f800000, 0xff800000,
		0x00000000, 0x80000000, 0x3f800000, 0xbf800000, 0x00000001, 0x80000001,
		0x007fffff, 0x00800000, 0x7f7fffff, 0x3fb504f3, 0x3fb504f2, 0x43160000,
		0xc3160000, 0x3f000000, 0xbf000000, 0x3fc00000, 0x4b000001, 0xcb7fffff,
	};

	if (i < sizeof(corner) / sizeof(corner[0]))
		return from_bits(corner[i]);
	return tn_check_any(rng);
}

static void test_instructions(void **state)
{
#if TN_EMU16_HW
	/* the tables math-body.h uses, and two that hit every token */
	static const int32_t tables[] = {
		0x00000022, 0x03530422, (int32_t)0xa0a0aa22, 0x76543210, (int32_t)0xfedcba98,
	};
	struct tn_check_rng rng = tn_check_rng(1612);
	float a[16], b[16], y[16], h[16];

	if (!tn_backend_available(TN_BACKEND_AVX512))
		skip();
	for (int round = 0; round < 20000; round++) {
		for (size_t i = 0; i < 16; i++) {
			a[i] = op_input(&rng, (size_t)round * 16 + i);
			b[i] = round % 3 == 0 ? op_input(&rng, (size_t)(round * 7 + 3) * 16 + i)
			       : round % 3 == 1 ? (float)((int)(tn_check_u64(&rng) % 600) - 300)
			       : 150.0f;
		}
		for (int op = 0; op < EMU16_NOPS; op++) {
			for (size_t t = 0; t < (op == EMU16_FIXUP ? 5 : 1); t++) {
				emu16_op((enum emu16_op)op, a, b, tables[t], y);
				emu16_op_avx512((enum emu16_op)op, a, b, tables[t], h);
				for (size_t i = 0; i < 16; i++) {
					if (memcmp(&y[i], &h[i], sizeof(float)) != 0) {
						print_error("op %d table %#x: a %a b %a: "
							    "emulated %a, hardware %a\n",
							    op, (unsigned)tables[t], (double)a[i],
							    (double)b[i], (double)y[i], (double)h[i]);
						fail();
					}
				}
			}
		}
	}
#else
	skip();
#endif
	(void)state;
}

static void test_constants(void **state)
{
	(void)state;
	assert_true(emu16_constants_ok());
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_constants),
		cmocka_unit_test(test_emu16),
		cmocka_unit_test(test_instructions),
	};

	return tn_check_run("tn-math-emu16", tests);
}
