/* SPDX-License-Identifier: MIT */
/* libtn's arith entry points: span, dispatch, kernel; and the kernel tables. */
#include <math.h>

#include "internal.h"
#include "arith-kernels.h"

#define TABLE(name, ...) \
	const struct tn__op_impl tn__impl_##name = { .fn = { __VA_ARGS__ } }
#define ALL4(k) TN__SCALAR(tn__##k##_scalar) TN__SSE2(tn__##k##_sse2) \
	TN__AVX2(tn__##k##_avx2) TN__AVX512(tn__##k##_avx512)
#define FUSED(k) TN__SCALAR(tn__##k##_scalar) \
	TN__AVX2(tn__##k##_avx2) TN__AVX512(tn__##k##_avx512)

TABLE(add, ALL4(add));
TABLE(sub, ALL4(sub));
TABLE(mul, ALL4(mul));
TABLE(div, ALL4(div));
TABLE(minimum, ALL4(minimum));
TABLE(maximum, ALL4(maximum));
TABLE(abs, ALL4(abs));
TABLE(neg, ALL4(neg));
TABLE(sqrt, ALL4(sqrt));
TABLE(recip, ALL4(recip));
TABLE(floor, ALL4(floor));
TABLE(ceil, ALL4(ceil));
TABLE(round, ALL4(round));
TABLE(trunc, ALL4(trunc));
TABLE(scale, ALL4(scale));
TABLE(clamp, ALL4(clamp));
TABLE(fma, FUSED(fma));
TABLE(axpy, FUSED(axpy));
TABLE(sum, ALL4(sum));
TABLE(dot, ALL4(dot));
TABLE(norm_l1, ALL4(norm_l1));
TABLE(norm_inf, ALL4(norm_inf));
TABLE(max, ALL4(max));
TABLE(min, ALL4(min));
TABLE(argmax, ALL4(argmax));
TABLE(argmin, ALL4(argmin));
/* The double-precision sums behind these. */
TABLE(norm_l2, ALL4(dsumsq));
TABLE(mean, ALL4(dsum));
TABLE(variance, ALL4(dsumsq));
TABLE(stddev, ALL4(dsumsq));

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
