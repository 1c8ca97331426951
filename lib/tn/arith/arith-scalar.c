/* Arith kernels in portable C: the reference the SIMD backends must match bit for bit. */
#include <math.h>
#include <string.h>

#include "internal.h"
#include "arith-kernels.h"

static inline uint32_t bits(float x)
{
	uint32_t u;

	memcpy(&u, &x, sizeof(u));
	return u;
}

static inline float from_bits(uint32_t u)
{
	float x;

	memcpy(&x, &u, sizeof(x));
	return x;
}

/* IEEE 754-2019 maximum/minimum: NaN propagates, -0 < +0. */
static inline float maximum1(float a, float b)
{
	if (isnan(a) || isnan(b))
		return a + b;
	if (a == b)
		return from_bits(bits(a) & bits(b));
	return a > b ? a : b;
}

static inline float minimum1(float a, float b)
{
	if (isnan(a) || isnan(b))
		return a + b;
	if (a == b)
		return from_bits(bits(a) | bits(b));
	return a < b ? a : b;
}

/* Half away from zero, exactly (roundf's definition). */
static inline float round1(float x)
{
	return roundf(x);
}

#define BINARY(name, expr) \
	void tn__##name##_scalar(size_t n, const float *a, const float *b, float *y) \
	{ \
		for (size_t i = 0; i < n; i++) { \
			float p = a[i], q = b[i]; \
			y[i] = (expr); \
		} \
	}
BINARY(add, p + q)
BINARY(sub, p - q)
BINARY(mul, p * q)
BINARY(div, p / q)
BINARY(minimum, minimum1(p, q))
BINARY(maximum, maximum1(p, q))

#define UNARY(name, expr) \
	void tn__##name##_scalar(size_t n, const float *x, float *y) \
	{ \
		for (size_t i = 0; i < n; i++) { \
			float v = x[i]; \
			y[i] = (expr); \
		} \
	}
UNARY(abs, from_bits(bits(v) & 0x7fffffffu))
UNARY(neg, from_bits(bits(v) ^ 0x80000000u))
UNARY(sqrt, sqrtf(v))
UNARY(recip, 1.0f / v)
UNARY(floor, floorf(v))
UNARY(ceil, ceilf(v))
UNARY(round, round1(v))
UNARY(trunc, truncf(v))

void tn__scale_scalar(size_t n, float alpha, const float *x, float *y)
{
	for (size_t i = 0; i < n; i++)
		y[i] = alpha * x[i];
}

void tn__axpy_scalar(size_t n, float alpha, const float *x, float *y)
{
	for (size_t i = 0; i < n; i++)
		y[i] = fmaf(alpha, x[i], y[i]);
}

void tn__fma_scalar(size_t n, const float *a, const float *b, const float *c, float *y)
{
	for (size_t i = 0; i < n; i++)
		y[i] = fmaf(a[i], b[i], c[i]);
}

void tn__clamp_scalar(size_t n, const float *x, float lo, float hi, float *y)
{
	for (size_t i = 0; i < n; i++)
		y[i] = minimum1(maximum1(x[i], lo), hi);
}

/* ---- Float sums in the fixed order (arith-kernels.h) ---------------------- */

#define FSUM(name, params, init, term) \
	float tn__##name##_scalar params \
	{ \
		float l[TN_ARITH_LANES]; \
		for (int j = 0; j < TN_ARITH_LANES; j++) \
			l[j] = (init); \
		for (size_t i = 0; i < n; i++) \
			l[i % TN_ARITH_LANES] = l[i % TN_ARITH_LANES] + (term); \
		return n ? tn__tree64(l) : 0.0f; \
	}
FSUM(sum, (size_t n, const float *x), -0.0f, x[i])
FSUM(dot, (size_t n, const float *a, const float *b), -0.0f, a[i] * b[i])
FSUM(norm_l1, (size_t n, const float *x), 0.0f, fabsf(x[i]))

double tn__dsum_scalar(size_t n, const float *x)
{
	double l[TN_ARITH_DLANES];

	for (int j = 0; j < TN_ARITH_DLANES; j++)
		l[j] = -0.0;
	for (size_t i = 0; i < n; i++)
		l[i % TN_ARITH_DLANES] = l[i % TN_ARITH_DLANES] + (double)x[i];
	return tn__tree32d(l);
}

double tn__dsumsq_scalar(size_t n, const float *x, double c)
{
	double l[TN_ARITH_DLANES];

	for (int j = 0; j < TN_ARITH_DLANES; j++)
		l[j] = 0.0;
	for (size_t i = 0; i < n; i++) {
		double d = (double)x[i] - c;

		l[i % TN_ARITH_DLANES] = l[i % TN_ARITH_DLANES] + d * d;
	}
	return tn__tree32d(l);
}

/* ---- Order statistics on keys --------------------------------------------- */

static inline int32_t key(float x, int32_t knan)
{
	return isnan(x) ? knan : tn__key((int32_t)bits(x));
}

static inline float unkey(int32_t k)
{
	if (k == TN_KEY_NAN_MAX || k == TN_KEY_NAN_MIN)
		return NAN;
	return from_bits((uint32_t)tn__key(k));
}

size_t tn__argmax_scalar(size_t n, const float *x)
{
	size_t best = 0;
	int32_t bk = INT32_MIN;

	for (size_t i = 0; i < n; i++) {
		int32_t k = key(x[i], TN_KEY_NAN_MAX);

		if (k > bk) {
			bk = k;
			best = i;
		}
	}
	return n ? best : SIZE_MAX;
}

size_t tn__argmin_scalar(size_t n, const float *x)
{
	size_t best = 0;
	int32_t bk = INT32_MAX;

	for (size_t i = 0; i < n; i++) {
		int32_t k = key(x[i], TN_KEY_NAN_MIN);

		if (k < bk) {
			bk = k;
			best = i;
		}
	}
	return n ? best : SIZE_MAX;
}

float tn__max_scalar(size_t n, const float *x)
{
	int32_t bk = tn__key((int32_t)bits(-INFINITY));

	for (size_t i = 0; i < n; i++) {
		int32_t k = key(x[i], TN_KEY_NAN_MAX);

		bk = k > bk ? k : bk;
	}
	return unkey(bk);
}

float tn__min_scalar(size_t n, const float *x)
{
	int32_t bk = tn__key((int32_t)bits(INFINITY));

	for (size_t i = 0; i < n; i++) {
		int32_t k = key(x[i], TN_KEY_NAN_MIN);

		bk = k < bk ? k : bk;
	}
	return unkey(bk);
}

float tn__norm_inf_scalar(size_t n, const float *x)
{
	uint32_t m = 0;

	for (size_t i = 0; i < n; i++) {
		uint32_t a = bits(x[i]) & 0x7fffffffu;

		m = a > m ? a : m;
	}
	return m > 0x7f800000u ? NAN : from_bits(m);
}
