/* The arith kernels of each instruction set: element-wise ops and reductions. */
#pragma once

#include <stddef.h>
#include <stdint.h>

/*
 * Fixed summation order, the same in every backend (so sum, dot and norm_l1
 * give the same bits everywhere): element i goes to lane i mod 64 (float
 * lanes, each a running sum from -0.0, +0.0 for norm_l1); the 64 lanes are then combined in a
 * fixed tree, lane j += lane j+h for h = 32, 16, ..., 1.  The double-precision
 * sums behind norm_l2, mean, variance and stddev do the same with 32 double
 * lanes and h = 16, ..., 1.
 */
#define TN_ARITH_LANES 64
#define TN_ARITH_DLANES 32

typedef void (*tn__bin_fn)(size_t n, const float *a, const float *b, float *y);
typedef void (*tn__un_fn)(size_t n, const float *x, float *y);
typedef void (*tn__scal_fn)(size_t n, float alpha, const float *x, float *y);
typedef void (*tn__fma_fn)(size_t n, const float *a, const float *b, const float *c,
			   float *y);
typedef void (*tn__clamp_fn)(size_t n, const float *x, float lo, float hi, float *y);
typedef float (*tn__red_fn)(size_t n, const float *x);
typedef float (*tn__red2_fn)(size_t n, const float *a, const float *b);
typedef size_t (*tn__arg_fn)(size_t n, const float *x);
typedef double (*tn__dsum_fn)(size_t n, const float *x);
/* sum of ((double)x[i] - c)^2, each square rounded, then added (no fma) */
typedef double (*tn__dsumsq_fn)(size_t n, const float *x, double c);

#define TN_ARITH_DECLARE(isa) \
	void tn__add_##isa(size_t, const float *, const float *, float *); \
	void tn__sub_##isa(size_t, const float *, const float *, float *); \
	void tn__mul_##isa(size_t, const float *, const float *, float *); \
	void tn__div_##isa(size_t, const float *, const float *, float *); \
	void tn__minimum_##isa(size_t, const float *, const float *, float *); \
	void tn__maximum_##isa(size_t, const float *, const float *, float *); \
	void tn__abs_##isa(size_t, const float *, float *); \
	void tn__neg_##isa(size_t, const float *, float *); \
	void tn__sqrt_##isa(size_t, const float *, float *); \
	void tn__recip_##isa(size_t, const float *, float *); \
	void tn__floor_##isa(size_t, const float *, float *); \
	void tn__ceil_##isa(size_t, const float *, float *); \
	void tn__round_##isa(size_t, const float *, float *); \
	void tn__trunc_##isa(size_t, const float *, float *); \
	void tn__scale_##isa(size_t, float, const float *, float *); \
	void tn__clamp_##isa(size_t, const float *, float, float, float *); \
	float tn__sum_##isa(size_t, const float *); \
	float tn__dot_##isa(size_t, const float *, const float *); \
	float tn__norm_l1_##isa(size_t, const float *); \
	float tn__norm_inf_##isa(size_t, const float *); \
	float tn__max_##isa(size_t, const float *); \
	float tn__min_##isa(size_t, const float *); \
	size_t tn__argmax_##isa(size_t, const float *); \
	size_t tn__argmin_##isa(size_t, const float *); \
	double tn__dsum_##isa(size_t, const float *); \
	double tn__dsumsq_##isa(size_t, const float *, double);

/* fma and axpy are fused: SSE2 has no fused multiply-add, so no SSE2 kernel. */
#define TN_ARITH_DECLARE_FMA(isa) \
	void tn__fma_##isa(size_t, const float *, const float *, const float *, float *); \
	void tn__axpy_##isa(size_t, float, const float *, float *);

TN_ARITH_DECLARE(scalar)
TN_ARITH_DECLARE_FMA(scalar)
TN_ARITH_DECLARE(sse2)
TN_ARITH_DECLARE(avx2)
TN_ARITH_DECLARE_FMA(avx2)
TN_ARITH_DECLARE(avx512)
TN_ARITH_DECLARE_FMA(avx512)

/*
 * Order keys for max, min, argmax, argmin: a float's bits as int32, with the
 * magnitude bits of negatives flipped, so that integer order is the float
 * order with -0 < +0.  Every NaN gets the key that wins (INT32_MAX for max,
 * INT32_MIN for min), so the first NaN is the result; no number has those.
 */
#define TN_KEY_NAN_MAX INT32_MAX
#define TN_KEY_NAN_MIN INT32_MIN

/* The fixed combining trees (identical code in every backend). */
static inline float tn__tree64(float *l)
{
	for (int h = TN_ARITH_LANES / 2; h >= 1; h /= 2)
		for (int j = 0; j < h; j++)
			l[j] = l[j] + l[j + h];
	return l[0];
}

static inline double tn__tree32d(double *l)
{
	for (int h = TN_ARITH_DLANES / 2; h >= 1; h /= 2)
		for (int j = 0; j < h; j++)
			l[j] = l[j] + l[j + h];
	return l[0];
}

/* Key of a float given as bits, and back (the map is its own inverse); NaN
 * handled by the caller. */
static inline int32_t tn__key(int32_t b)
{
	return b ^ (int32_t)((uint32_t)(b >> 31) >> 1);
}
