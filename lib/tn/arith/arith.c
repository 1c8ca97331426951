/* SPDX-License-Identifier: MIT */
/* libtn's arith entry points: span, dispatch, kernel; and the kernel tables. */
#include <math.h>

#include "internal.h"
#include "arith-kernels.h"
#include "opencl/ops.h"

#define TABLE(name, ...) \
	const struct tn__op_impl tn__impl_##name = { .fn = { __VA_ARGS__ } }
#define ALL4(k) TN__SCALAR(tn__##k##_scalar) TN__SSE2(tn__##k##_sse2) \
	TN__AVX2(tn__##k##_avx2) TN__AVX512(tn__##k##_avx512)
#define FUSED(k) TN__SCALAR(tn__##k##_scalar) \
	TN__AVX2(tn__##k##_avx2) TN__AVX512(tn__##k##_avx512)

TABLE(add, ALL4(add) TN__OPENCL(tn__add_opencl));
TABLE(sub, ALL4(sub) TN__OPENCL(tn__sub_opencl));
TABLE(mul, ALL4(mul) TN__OPENCL(tn__mul_opencl));
TABLE(div, ALL4(div) TN__OPENCL(tn__div_opencl));
TABLE(minimum, ALL4(minimum) TN__OPENCL(tn__minimum_opencl));
TABLE(maximum, ALL4(maximum) TN__OPENCL(tn__maximum_opencl));
TABLE(abs, ALL4(abs) TN__OPENCL(tn__abs_opencl));
TABLE(neg, ALL4(neg) TN__OPENCL(tn__neg_opencl));
TABLE(sqrt, ALL4(sqrt) TN__OPENCL(tn__sqrt_opencl));
TABLE(recip, ALL4(recip) TN__OPENCL(tn__recip_opencl));
TABLE(floor, ALL4(floor) TN__OPENCL(tn__floor_opencl));
TABLE(ceil, ALL4(ceil) TN__OPENCL(tn__ceil_opencl));
TABLE(round, ALL4(round) TN__OPENCL(tn__round_opencl));
TABLE(trunc, ALL4(trunc) TN__OPENCL(tn__trunc_opencl));
TABLE(scale, ALL4(scale) TN__OPENCL(tn__scale_opencl));
TABLE(clamp, ALL4(clamp) TN__OPENCL(tn__clamp_opencl));
TABLE(fma, FUSED(fma) TN__OPENCL(tn__fma_opencl));
TABLE(axpy, FUSED(axpy) TN__OPENCL(tn__axpy_opencl));
TABLE(sum, ALL4(sum) TN__OPENCL(tn__sum_opencl));
TABLE(dot, ALL4(dot) TN__OPENCL(tn__dot_opencl));
TABLE(norm_l1, ALL4(norm_l1) TN__OPENCL(tn__norm_l1_opencl));
TABLE(norm_inf, ALL4(norm_inf) TN__OPENCL(tn__norm_inf_opencl));
TABLE(max, ALL4(max) TN__OPENCL(tn__max_opencl));
TABLE(min, ALL4(min) TN__OPENCL(tn__min_opencl));
TABLE(argmax, ALL4(argmax) TN__OPENCL(tn__argmax_opencl));
TABLE(argmin, ALL4(argmin) TN__OPENCL(tn__argmin_opencl));
/* The double-precision sums behind these. */
TABLE(norm_l2, ALL4(dsumsq) TN__OPENCL(tn__norm_l2_opencl));
TABLE(mean, ALL4(dsum) TN__OPENCL(tn__dsum_opencl));
TABLE(variance, ALL4(dsumsq) TN__OPENCL(tn__variance_opencl));
TABLE(stddev, ALL4(dsumsq) TN__OPENCL(tn__stddev_opencl));

/*
 * What every entry point does: choose, call, and write a span when tracing.
 * Untraced, the kernel is reached by a tail call after two loads and two
 * predictable branches.
 */
#define RUN_VOID(OP, name, T, n, bytes, ...) \
	do { \
		enum tn_backend b_ = tn__choose(OP); \
		T k_ = TN__KERNEL(T, name, b_); \
		if (tn__likely(!tn__tracing())) { \
			k_(__VA_ARGS__); \
			return; \
		} \
		uint64_t t0_ = tn__now_ns(); \
		k_(__VA_ARGS__); \
		tn__span_write(OP, b_, TN__PHASE_KERNEL, n, bytes, t0_); \
	} while (0)

#define RUN_RET(R, OP, name, T, n, bytes, ...) \
	do { \
		enum tn_backend b_ = tn__choose(OP); \
		T k_ = TN__KERNEL(T, name, b_); \
		if (tn__likely(!tn__tracing())) \
			return k_(__VA_ARGS__); \
		uint64_t t0_ = tn__now_ns(); \
		R r_ = k_(__VA_ARGS__); \
		tn__span_write(OP, b_, TN__PHASE_KERNEL, n, bytes, t0_); \
		return r_; \
	} while (0)

/* span, choose, call, span: for the operations that are not one kernel call. */
#define RUN(OP, name, T, n, bytes, call) \
	do { \
		uint64_t t0_ = tn__span_begin(); \
		enum tn_backend b_ = tn__choose(OP); \
		T k_ = TN__KERNEL(T, name, b_); \
		call; \
		tn__span_end(OP, b_, n, bytes, t0_); \
	} while (0)

#define F sizeof(float)

#define BINARY(name, OP) \
	void tn_##name(size_t n, const float *a, const float *b, float *y) \
	{ \
		RUN_VOID(OP, name, tn__bin_fn, n, 3 * n * F, n, a, b, y); \
	}
BINARY(add, TN_OP_ADD)
BINARY(sub, TN_OP_SUB)
BINARY(mul, TN_OP_MUL)
BINARY(div, TN_OP_DIV)
BINARY(minimum, TN_OP_MINIMUM)
BINARY(maximum, TN_OP_MAXIMUM)

#define UNARY(name, OP) \
	void tn_##name(size_t n, const float *x, float *y) \
	{ \
		RUN_VOID(OP, name, tn__un_fn, n, 2 * n * F, n, x, y); \
	}
UNARY(abs, TN_OP_ABS)
UNARY(neg, TN_OP_NEG)
UNARY(sqrt, TN_OP_SQRT)
UNARY(recip, TN_OP_RECIP)
UNARY(floor, TN_OP_FLOOR)
UNARY(ceil, TN_OP_CEIL)
UNARY(round, TN_OP_ROUND)
UNARY(trunc, TN_OP_TRUNC)

void tn_scale(size_t n, float alpha, const float *x, float *y)
{
	RUN_VOID(TN_OP_SCALE, scale, tn__scal_fn, n, 2 * n * F, n, alpha, x, y);
}

void tn_axpy(size_t n, float alpha, const float *x, float *y)
{
	RUN_VOID(TN_OP_AXPY, axpy, tn__scal_fn, n, 3 * n * F, n, alpha, x, y);
}

void tn_fma(size_t n, const float *a, const float *b, const float *c, float *y)
{
	RUN_VOID(TN_OP_FMA, fma, tn__fma_fn, n, 4 * n * F, n, a, b, c, y);
}

void tn_clamp(size_t n, const float *x, float lo, float hi, float *y)
{
	RUN_VOID(TN_OP_CLAMP, clamp, tn__clamp_fn, n, 2 * n * F, n, x, lo, hi, y);
}

#define REDUCE(name, OP, T, R) \
	R tn_##name(size_t n, const float *x) \
	{ \
		RUN_RET(R, OP, name, T, n, n * F, n, x); \
	}
REDUCE(sum, TN_OP_SUM, tn__red_fn, float)
REDUCE(norm_l1, TN_OP_NORM_L1, tn__red_fn, float)
REDUCE(norm_inf, TN_OP_NORM_INF, tn__red_fn, float)
REDUCE(max, TN_OP_MAX, tn__red_fn, float)
REDUCE(min, TN_OP_MIN, tn__red_fn, float)
REDUCE(argmax, TN_OP_ARGMAX, tn__arg_fn, size_t)
REDUCE(argmin, TN_OP_ARGMIN, tn__arg_fn, size_t)

float tn_dot(size_t n, const float *a, const float *b)
{
	RUN_RET(float, TN_OP_DOT, dot, tn__red2_fn, n, 2 * n * F, n, a, b);
}

/* Squares of floats are exact in double and cannot overflow there. */
float tn_norm_l2(size_t n, const float *x)
{
	double s;

	RUN(TN_OP_NORM_L2, norm_l2, tn__dsumsq_fn, n, n * F, s = k_(n, x, 0.0));
	return (float)sqrt(s);
}

float tn_mean(size_t n, const float *x)
{
	double s;

	RUN(TN_OP_MEAN, mean, tn__dsum_fn, n, n * F, s = k_(n, x));
	return (float)(s / (double)n);
}

/* Two passes in double: the mean, then the squared deviations from it. */
static double variance(enum tn_op op, size_t n, const float *x)
{
	double v;

	RUN(op, variance, tn__dsumsq_fn, n, 2 * n * F,
	    v = k_(n, x, TN__KERNEL(tn__dsum_fn, mean, b_)(n, x) / (double)n) / (double)n);
	return v;
}

float tn_variance(size_t n, const float *x)
{
	return (float)variance(TN_OP_VARIANCE, n, x);
}

float tn_stddev(size_t n, const float *x)
{
	return (float)sqrt(variance(TN_OP_STDDEV, n, x));
}
