/* The math kernels of every instruction set, as math.c's dispatch tables see them. */
#pragma once

#include <stddef.h>

/* Element-wise y = f(x); softmax and log_softmax share the signature. */
#define TN_MATH_UNARY(X) \
	X(exp) X(log) X(log2) X(log10) X(relu) X(selu) X(sigmoid) X(tanh) \
	X(gelu) X(gelu_tanh) X(swish) X(hardswish) X(mish) X(softmax) \
	X(log_softmax)
/* y = f(alpha, x). */
#define TN_MATH_PARAM(X) X(leaky_relu) X(elu)

typedef void (*tn__m_unary_fn)(size_t n, const float *x, float *y);
typedef void (*tn__m_param_fn)(size_t n, float alpha, const float *x, float *y);
typedef void (*tn__m_pow_fn)(size_t n, const float *x, const float *e, float *y);
typedef void (*tn__m_layer_norm_fn)(size_t n, const float *x, const float *gamma,
				    const float *beta, float eps, float *y);

#define TN_MATH_DECLARE_U_(op, isa) \
	void tn__m_##op##_##isa(size_t n, const float *x, float *y);
#define TN_MATH_DECLARE_P_(op, isa) \
	void tn__m_##op##_##isa(size_t n, float alpha, const float *x, float *y);
#define TN_MATH_DECLARE_(isa) \
	TN_MATH_DECLARE_U_(exp, isa) TN_MATH_DECLARE_U_(log, isa) \
	TN_MATH_DECLARE_U_(log2, isa) TN_MATH_DECLARE_U_(log10, isa) \
	TN_MATH_DECLARE_U_(relu, isa) TN_MATH_DECLARE_U_(selu, isa) \
	TN_MATH_DECLARE_U_(sigmoid, isa) TN_MATH_DECLARE_U_(tanh, isa) \
	TN_MATH_DECLARE_U_(gelu, isa) TN_MATH_DECLARE_U_(gelu_tanh, isa) \
	TN_MATH_DECLARE_U_(swish, isa) TN_MATH_DECLARE_U_(hardswish, isa) \
	TN_MATH_DECLARE_U_(mish, isa) TN_MATH_DECLARE_U_(softmax, isa) \
	TN_MATH_DECLARE_U_(log_softmax, isa) \
	TN_MATH_DECLARE_P_(leaky_relu, isa) TN_MATH_DECLARE_P_(elu, isa) \
	void tn__m_pow_##isa(size_t n, const float *x, const float *e, float *y); \
	void tn__m_layer_norm_##isa(size_t n, const float *x, const float *gamma, \
				    const float *beta, float eps, float *y);

TN_MATH_DECLARE_(scalar)
TN_MATH_DECLARE_(sse2)
TN_MATH_DECLARE_(avx2)
TN_MATH_DECLARE_(avx512)
