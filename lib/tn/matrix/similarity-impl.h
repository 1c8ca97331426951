/*
 * The similarity and distance kernels of one backend, built on two loops
 * that the including file defines for its instruction set (TN_ISA); each
 * runs over the whole vectors it can and returns how many elements it did,
 * and the rest goes through the scalar tails below, in double as well:
 *   static size_t body_cosine(size_t n, const float *a, const float *b, double s[3]);
 *     s[0] = sum a*b, s[1] = sum a*a, s[2] = sum b*b
 *   static size_t body_diff(size_t n, const float *a, const float *b, int squared,
 *                           double *ret_s);
 *     sum of (a-b)^2 (squared) or |a-b|
 * The batched forms run the same sums row by row, so row i of a batch gives
 * the same bits as the single call on that row.
 */
#include "matrix.h"

static void sums_cosine(size_t n, const float *a, const float *b, double s[3])
{
	size_t i = body_cosine(n, a, b, s);

	for (; i < n; i++) {
		double x = a[i], y = b[i];

		s[0] += x * y;
		s[1] += x * x;
		s[2] += y * y;
	}
}

static double sum_sqdiff(size_t n, const float *a, const float *b)
{
	double s;
	size_t i = body_diff(n, a, b, 1, &s);

	for (; i < n; i++) {
		double d = (double)a[i] - (double)b[i];

		s += d * d;
	}
	return s;
}

static double sum_absdiff(size_t n, const float *a, const float *b)
{
	double s;
	size_t i = body_diff(n, a, b, 0, &s);

	for (; i < n; i++)
		s += fabs((double)a[i] - (double)b[i]);
	return s;
}

float TN__K(cosine)(size_t n, const float *a, const float *b)
{
	double s[3];

	sums_cosine(n, a, b, s);
	return tn__cosine_finish(s);
}

float TN__K(euclidean)(size_t n, const float *a, const float *b)
{
	return (float)sqrt(sum_sqdiff(n, a, b));
}

float TN__K(manhattan)(size_t n, const float *a, const float *b)
{
	return (float)sum_absdiff(n, a, b);
}

void TN__K(cosine_batch)(size_t n, const float *q, size_t rows, const float *r,
			 size_t ld, float *out)
{
	for (size_t i = 0; i < rows; i++)
		out[i] = TN__K(cosine)(n, q, r + i * ld);
}

void TN__K(euclidean_batch)(size_t n, const float *q, size_t rows, const float *r,
			    size_t ld, float *out)
{
	for (size_t i = 0; i < rows; i++)
		out[i] = TN__K(euclidean)(n, q, r + i * ld);
}

void TN__K(manhattan_batch)(size_t n, const float *q, size_t rows, const float *r,
			    size_t ld, float *out)
{
	for (size_t i = 0; i < rows; i++)
		out[i] = TN__K(manhattan)(n, q, r + i * ld);
}
