/* Matrix, similarity and distance kernels for AVX-512F (16 floats, masked tails). */
#include <immintrin.h>

#include "matrix.h"

#define TN_ISA avx512

/* Lanes j < r (r <= 16). */
static inline __mmask16 tail_mask(size_t r)
{
	return (__mmask16)((1u << r) - 1u);
}

/* ---- Similarity: floats widened to double, eight doubles per register. */

static size_t body_cosine(size_t n, const float *a, const float *b, double s[3])
{
	__m512d d0 = _mm512_setzero_pd(), d1 = d0, x0 = d0, x1 = d0, y0 = d0, y1 = d0;
	size_t i = 0;

	for (; i + 16 <= n; i += 16) {
		__m512d alo = _mm512_cvtps_pd(_mm256_loadu_ps(a + i));
		__m512d ahi = _mm512_cvtps_pd(_mm256_loadu_ps(a + i + 8));
		__m512d blo = _mm512_cvtps_pd(_mm256_loadu_ps(b + i));
		__m512d bhi = _mm512_cvtps_pd(_mm256_loadu_ps(b + i + 8));

		d0 = _mm512_fmadd_pd(alo, blo, d0);
		d1 = _mm512_fmadd_pd(ahi, bhi, d1);
		x0 = _mm512_fmadd_pd(alo, alo, x0);
		x1 = _mm512_fmadd_pd(ahi, ahi, x1);
		y0 = _mm512_fmadd_pd(blo, blo, y0);
		y1 = _mm512_fmadd_pd(bhi, bhi, y1);
	}
	s[0] = _mm512_reduce_add_pd(_mm512_add_pd(d0, d1));
	s[1] = _mm512_reduce_add_pd(_mm512_add_pd(x0, x1));
	s[2] = _mm512_reduce_add_pd(_mm512_add_pd(y0, y1));
	return i;
}

static size_t body_diff(size_t n, const float *a, const float *b, int squared,
			double *ret_s)
{
	__m512d s0 = _mm512_setzero_pd(), s1 = s0;
	size_t i = 0;

	for (; i + 16 <= n; i += 16) {
		__m512d lo = _mm512_sub_pd(_mm512_cvtps_pd(_mm256_loadu_ps(a + i)),
					   _mm512_cvtps_pd(_mm256_loadu_ps(b + i)));
		__m512d hi = _mm512_sub_pd(_mm512_cvtps_pd(_mm256_loadu_ps(a + i + 8)),
					   _mm512_cvtps_pd(_mm256_loadu_ps(b + i + 8)));

		if (squared) {
			s0 = _mm512_fmadd_pd(lo, lo, s0);
			s1 = _mm512_fmadd_pd(hi, hi, s1);
		} else {
			s0 = _mm512_add_pd(s0, _mm512_abs_pd(lo));
			s1 = _mm512_add_pd(s1, _mm512_abs_pd(hi));
		}
	}
	*ret_s = _mm512_reduce_add_pd(_mm512_add_pd(s0, s1));
	return i;
}

#include "similarity-impl.h"

/* ---- GEMM: 14 x 32 of C in 28 registers, two for B, one broadcast of A. */

#define GEMM_MR 14
#define GEMM_NR 32
#define GEMM_MC 168

static inline void microkernel(size_t kc, const float *pa, const float *pb,
			       float *c, size_t ldc, int first)
{
	__m512 acc[GEMM_MR][2];

#pragma GCC unroll 14
	for (int i = 0; i < GEMM_MR; i++)
		acc[i][0] = acc[i][1] = _mm512_setzero_ps();
	for (size_t p = 0; p < kc; p++) {
		__m512 b0 = _mm512_load_ps(pb), b1 = _mm512_load_ps(pb + 16);

#pragma GCC unroll 14
		for (int i = 0; i < GEMM_MR; i++) {
			__m512 ai = _mm512_set1_ps(pa[i]);

			acc[i][0] = _mm512_fmadd_ps(ai, b0, acc[i][0]);
			acc[i][1] = _mm512_fmadd_ps(ai, b1, acc[i][1]);
		}
		pa += GEMM_MR;
		pb += GEMM_NR;
	}
#pragma GCC unroll 14
	for (int i = 0; i < GEMM_MR; i++) {
		float *ci = c + i * ldc;

		if (!first) {
			acc[i][0] = _mm512_add_ps(acc[i][0], _mm512_loadu_ps(ci));
			acc[i][1] = _mm512_add_ps(acc[i][1], _mm512_loadu_ps(ci + 16));
		}
		_mm512_storeu_ps(ci, acc[i][0]);
		_mm512_storeu_ps(ci + 16, acc[i][1]);
	}
}

#include "gemm-impl.h"

/* ---- Matrix-vector products. */

void tn__matvec_avx512(size_t m, size_t n, const float *a, size_t lda,
		       const float *x, float *y)
{
	for (size_t i = 0; i < m; i++) {
		const float *row = a + i * lda;
		__m512 s0 = _mm512_setzero_ps(), s1 = s0, s2 = s0, s3 = s0;
		size_t j = 0;

		for (; j + 64 <= n; j += 64) {
			s0 = _mm512_fmadd_ps(_mm512_loadu_ps(row + j), _mm512_loadu_ps(x + j), s0);
			s1 = _mm512_fmadd_ps(_mm512_loadu_ps(row + j + 16), _mm512_loadu_ps(x + j + 16), s1);
			s2 = _mm512_fmadd_ps(_mm512_loadu_ps(row + j + 32), _mm512_loadu_ps(x + j + 32), s2);
			s3 = _mm512_fmadd_ps(_mm512_loadu_ps(row + j + 48), _mm512_loadu_ps(x + j + 48), s3);
		}
		for (; j + 16 <= n; j += 16)
			s0 = _mm512_fmadd_ps(_mm512_loadu_ps(row + j), _mm512_loadu_ps(x + j), s0);
		if (j < n) {
			__mmask16 k = tail_mask(n - j);

			s1 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(k, row + j),
					     _mm512_maskz_loadu_ps(k, x + j), s1);
		}
		y[i] = _mm512_reduce_add_ps(_mm512_add_ps(_mm512_add_ps(s0, s1),
							  _mm512_add_ps(s2, s3)));
	}
}

void tn__vecmat_avx512(size_t m, size_t n, const float *x, const float *a,
		       size_t lda, float *y)
{
	size_t j = 0;

	for (; j + 64 <= n; j += 64) {
		__m512 s0 = _mm512_setzero_ps(), s1 = s0, s2 = s0, s3 = s0;

		for (size_t i = 0; i < m; i++) {
			const float *r = a + i * lda + j;
			__m512 xi = _mm512_set1_ps(x[i]);

			s0 = _mm512_fmadd_ps(xi, _mm512_loadu_ps(r), s0);
			s1 = _mm512_fmadd_ps(xi, _mm512_loadu_ps(r + 16), s1);
			s2 = _mm512_fmadd_ps(xi, _mm512_loadu_ps(r + 32), s2);
			s3 = _mm512_fmadd_ps(xi, _mm512_loadu_ps(r + 48), s3);
		}
		_mm512_storeu_ps(y + j, s0);
		_mm512_storeu_ps(y + j + 16, s1);
		_mm512_storeu_ps(y + j + 32, s2);
		_mm512_storeu_ps(y + j + 48, s3);
	}
	for (; j < n; j += 16) {
		__mmask16 k = tail_mask(n - j < 16 ? n - j : 16);
		__m512 s0 = _mm512_setzero_ps();

		for (size_t i = 0; i < m; i++)
			s0 = _mm512_fmadd_ps(_mm512_set1_ps(x[i]),
					     _mm512_maskz_loadu_ps(k, a + i * lda + j), s0);
		_mm512_mask_storeu_ps(y + j, k, s0);
	}
}
