/*
 * Double-precision references and the error bounds of libtn's math
 * functions (libtn(3), "Transcendental functions and activations"); shared
 * by the unit test and the exhaustive check.
 */
#pragma once

#include <math.h>
#include <stddef.h>

#include "tn/tn.h"

#define SELU_L 1.0507009873554804934193349852946
#define SELU_A 1.6732632423543772848170429916717
#define GELU_K 0.7978845608028654     /* sqrt(2/pi) */

static inline double ref_relu(double x) { return x > 0 ? x : x != x ? x : 0.0; }
static inline double ref_leaky(double x) { return x > 0 ? x : (double)0.01f * x; }
static inline double ref_elu(double x) { return x > 0 ? x : expm1(x); }
static inline double ref_elu_half(double x) { return x > 0 ? x : 0.5 * expm1(x); }
static inline double ref_selu(double x) { return x > 0 ? SELU_L * x : SELU_L * SELU_A * expm1(x); }
static inline double ref_sigmoid(double x) { return x < 0 ? exp(x) / (1 + exp(x)) : 1 / (1 + exp(-x)); }
static inline double ref_gelu(double x) { return x == -INFINITY ? -0.0 : 0.5 * x * erfc(-x / sqrt(2.0)); }
static inline double ref_gelu_tanh(double x)
{
	double w = 2 * GELU_K * (x + 0.044715 * x * x * x);

	if (isinf(x))
		return x > 0 ? x : -0.0;
	return w < 0 ? x * exp(w) / (1 + exp(w)) : x / (1 + exp(-w));
}
static inline double ref_swish(double x)
{
	if (isinf(x))
		return x > 0 ? x : -0.0;
	return x < 0 ? x * exp(x) / (1 + exp(x)) : x / (1 + exp(-x));
}
static inline double ref_hardswish(double x)
{
	return x <= -3 ? 0.0 : x * fmin(fmax(x + 3, 0), 6) / 6;
}
static inline double ref_mish(double x)
{
	return x == -INFINITY ? -0.0 : x * tanh(log1p(exp(x)));
}

static inline void elu_one(size_t n, const float *x, float *y) { tn_elu(n, 1.0f, x, y); }
static inline void elu_half(size_t n, const float *x, float *y) { tn_elu(n, 0.5f, x, y); }
static inline void leaky(size_t n, const float *x, float *y) { tn_leaky_relu(n, 0.01f, x, y); }

/* Past 2^128 every float function rounds to an infinity. */
static inline double ref_clamp(double v)
{
	return fabs(v) >= 0x1p128 ? copysign(INFINITY, v) : v;
}

struct math_unary {
	const char *name;
	void (*fn)(size_t n, const float *x, float *y);
	double (*ref)(double x);
	double bound;                   /* max error in ulp, libtn(3) */
	double lo, hi;                  /* the range where values change */
};

/* The bounds are the contract of libtn(3); tests assert them. */
static const struct math_unary math_unary[] = {
	{ "exp", tn_exp, exp, 1.0, -104, 89 },
	{ "log", tn_log, log, 1.0, 0, 3.4e38 },
	{ "log2", tn_log2, log2, 1.0, 0, 3.4e38 },
	{ "log10", tn_log10, log10, 1.0, 0, 3.4e38 },
	{ "relu", tn_relu, ref_relu, 0.5, -10, 10 },
	{ "leaky_relu", leaky, ref_leaky, 0.5, -10, 10 },
	{ "elu", elu_one, ref_elu, 2.0, -20, 10 },
	{ "elu(0.5)", elu_half, ref_elu_half, 2.0, -20, 10 },
	{ "selu", tn_selu, ref_selu, 2.0, -20, 10 },
	{ "sigmoid", tn_sigmoid, ref_sigmoid, 2.5, -105, 20 },
	{ "tanh", tn_tanh, tanh, 1.5, -10, 10 },
	{ "gelu", tn_gelu, ref_gelu, 7.0, -15, 15 },
	{ "gelu_tanh", tn_gelu_tanh, ref_gelu_tanh, 3.0, -15, 15 },
	{ "swish", tn_swish, ref_swish, 3.0, -105, 20 },
	{ "hardswish", tn_hardswish, ref_hardswish, 2.0, -4, 4 },
	{ "mish", tn_mish, ref_mish, 4.5, -105, 25 },
};
#define MATH_NUNARY (sizeof(math_unary) / sizeof(math_unary[0]))
