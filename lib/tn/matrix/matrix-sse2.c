/* Matrix, similarity and distance kernels for SSE2 (4 floats, no FMA). */
#include <emmintrin.h>
#include <xmmintrin.h>

#include "matrix.h"

#define TN_ISA sse2

static inline double hsum_pd(__m128d v)
{
	return _mm_cvtsd_f64(v) + _mm_cvtsd_f64(_mm_unpackhi_pd(v, v));
}

static inline float hsum_ps(__m128 v)
{
	__m128 t = _mm_add_ps(v, _mm_movehl_ps(v, v));

	t = _mm_add_ss(t, _mm_shuffle_ps(t, t, 1));
	return _mm_cvtss_f32(t);
}

/* ---- Similarity: floats widened to double, two doubles per register. */

static size_t body_cosine(size_t n, const float *a, const float *b, double s[3])
{
	__m128d d0 = _mm_setzero_pd(), d1 = d0, x0 = d0, x1 = d0, y0 = d0, y1 = d0;
	size_t i = 0;

	for (; i + 4 <= n; i += 4) {
		__m128 va = _mm_loadu_ps(a + i), vb = _mm_loadu_ps(b + i);
		__m128d alo = _mm_cvtps_pd(va), ahi = _mm_cvtps_pd(_mm_movehl_ps(va, va));
		__m128d blo = _mm_cvtps_pd(vb), bhi = _mm_cvtps_pd(_mm_movehl_ps(vb, vb));

		d0 = _mm_add_pd(d0, _mm_mul_pd(alo, blo));
		d1 = _mm_add_pd(d1, _mm_mul_pd(ahi, bhi));
		x0 = _mm_add_pd(x0, _mm_mul_pd(alo, alo));
		x1 = _mm_add_pd(x1, _mm_mul_pd(ahi, ahi));
		y0 = _mm_add_pd(y0, _mm_mul_pd(blo, blo));
		y1 = _mm_add_pd(y1, _mm_mul_pd(bhi, bhi));
	}
	s[0] = hsum_pd(_mm_add_pd(d0, d1));
	s[1] = hsum_pd(_mm_add_pd(x0, x1));
	s[2] = hsum_pd(_mm_add_pd(y0, y1));
	return i;
}

static inline __m128d absd(__m128d v)
{
	return _mm_andnot_pd(_mm_set1_pd(-0.0), v);
}

static size_t body_diff(size_t n, const float *a, const float *b, int squared,
			double *ret_s)
{
	__m128d s0 = _mm_setzero_pd(), s1 = s0;
	size_t i = 0;

	for (; i + 4 <= n; i += 4) {
		__m128 va = _mm_loadu_ps(a + i), vb = _mm_loadu_ps(b + i);
		__m128d lo = _mm_sub_pd(_mm_cvtps_pd(va), _mm_cvtps_pd(vb));
		__m128d hi = _mm_sub_pd(_mm_cvtps_pd(_mm_movehl_ps(va, va)),
					_mm_cvtps_pd(_mm_movehl_ps(vb, vb)));

		if (squared) {
			s0 = _mm_add_pd(s0, _mm_mul_pd(lo, lo));
			s1 = _mm_add_pd(s1, _mm_mul_pd(hi, hi));
		} else {
			s0 = _mm_add_pd(s0, absd(lo));
			s1 = _mm_add_pd(s1, absd(hi));
		}
	}
	*ret_s = hsum_pd(_mm_add_pd(s0, s1));
	return i;
}

#include "similarity-impl.h"

/* ---- GEMM: 6 x 8 of C in twelve registers, multiply then add. */

#define GEMM_MR 6
#define GEMM_NR 8
#define GEMM_MC 144

static inline void microkernel(size_t kc, const float *pa, const float *pb,
			       float *c, size_t ldc, int first)
{
	__m128 acc[GEMM_MR][2];

#pragma GCC unroll 6
	for (int i = 0; i < GEMM_MR; i++)
		acc[i][0] = acc[i][1] = _mm_setzero_ps();
	for (size_t p = 0; p < kc; p++) {
		__m128 b0 = _mm_load_ps(pb), b1 = _mm_load_ps(pb + 4);

#pragma GCC unroll 6
		for (int i = 0; i < GEMM_MR; i++) {
			__m128 ai = _mm_set1_ps(pa[i]);

			acc[i][0] = _mm_add_ps(acc[i][0], _mm_mul_ps(ai, b0));
			acc[i][1] = _mm_add_ps(acc[i][1], _mm_mul_ps(ai, b1));
		}
		pa += GEMM_MR;
		pb += GEMM_NR;
	}
#pragma GCC unroll 6
	for (int i = 0; i < GEMM_MR; i++) {
		float *ci = c + i * ldc;

		if (!first) {
			acc[i][0] = _mm_add_ps(acc[i][0], _mm_loadu_ps(ci));
			acc[i][1] = _mm_add_ps(acc[i][1], _mm_loadu_ps(ci + 4));
		}
		_mm_storeu_ps(ci, acc[i][0]);
		_mm_storeu_ps(ci + 4, acc[i][1]);
	}
}

#include "gemm-impl.h"

/* ---- Matrix-vector products and transposition. */

void tn__matvec_sse2(size_t m, size_t n, const float *a, size_t lda,
		     const float *x, float *y)
{
	for (size_t i = 0; i < m; i++) {
		const float *row = a + i * lda;
		__m128 s0 = _mm_setzero_ps(), s1 = s0, s2 = s0, s3 = s0;
		size_t j = 0;
		float s;

		for (; j + 16 <= n; j += 16) {
			s0 = _mm_add_ps(s0, _mm_mul_ps(_mm_loadu_ps(row + j), _mm_loadu_ps(x + j)));
			s1 = _mm_add_ps(s1, _mm_mul_ps(_mm_loadu_ps(row + j + 4), _mm_loadu_ps(x + j + 4)));
			s2 = _mm_add_ps(s2, _mm_mul_ps(_mm_loadu_ps(row + j + 8), _mm_loadu_ps(x + j + 8)));
			s3 = _mm_add_ps(s3, _mm_mul_ps(_mm_loadu_ps(row + j + 12), _mm_loadu_ps(x + j + 12)));
		}
		for (; j + 4 <= n; j += 4)
			s0 = _mm_add_ps(s0, _mm_mul_ps(_mm_loadu_ps(row + j), _mm_loadu_ps(x + j)));
		s = hsum_ps(_mm_add_ps(_mm_add_ps(s0, s1), _mm_add_ps(s2, s3)));
		for (; j < n; j++)
			s += row[j] * x[j];
		y[i] = s;
	}
}

void tn__vecmat_sse2(size_t m, size_t n, const float *x, const float *a,
		     size_t lda, float *y)
{
	size_t j = 0;

	for (; j + 16 <= n; j += 16) {
		__m128 s0 = _mm_setzero_ps(), s1 = s0, s2 = s0, s3 = s0;

		for (size_t i = 0; i < m; i++) {
			const float *r = a + i * lda + j;
			__m128 xi = _mm_set1_ps(x[i]);

			s0 = _mm_add_ps(s0, _mm_mul_ps(xi, _mm_loadu_ps(r)));
			s1 = _mm_add_ps(s1, _mm_mul_ps(xi, _mm_loadu_ps(r + 4)));
			s2 = _mm_add_ps(s2, _mm_mul_ps(xi, _mm_loadu_ps(r + 8)));
			s3 = _mm_add_ps(s3, _mm_mul_ps(xi, _mm_loadu_ps(r + 12)));
		}
		_mm_storeu_ps(y + j, s0);
		_mm_storeu_ps(y + j + 4, s1);
		_mm_storeu_ps(y + j + 8, s2);
		_mm_storeu_ps(y + j + 12, s3);
	}
	for (; j + 4 <= n; j += 4) {
		__m128 s0 = _mm_setzero_ps();

		for (size_t i = 0; i < m; i++)
			s0 = _mm_add_ps(s0, _mm_mul_ps(_mm_set1_ps(x[i]), _mm_loadu_ps(a + i * lda + j)));
		_mm_storeu_ps(y + j, s0);
	}
	for (; j < n; j++) {
		float s = 0.0f;

		for (size_t i = 0; i < m; i++)
			s += x[i] * a[i * lda + j];
		y[j] = s;
	}
}

static void block4(const float *a, size_t lda, float *b, size_t ldb)
{
	__m128 r0 = _mm_loadu_ps(a), r1 = _mm_loadu_ps(a + lda);
	__m128 r2 = _mm_loadu_ps(a + 2 * lda), r3 = _mm_loadu_ps(a + 3 * lda);

	_MM_TRANSPOSE4_PS(r0, r1, r2, r3);
	_mm_storeu_ps(b, r0);
	_mm_storeu_ps(b + ldb, r1);
	_mm_storeu_ps(b + 2 * ldb, r2);
	_mm_storeu_ps(b + 3 * ldb, r3);
}

void tn__transpose_sse2(size_t m, size_t n, const float *a, size_t lda,
			float *b, size_t ldb)
{
	tn__transpose_tiled(m, n, a, lda, b, ldb, 4, block4);
}
