/* Matrix, similarity and distance kernels for AVX2 + FMA (8 floats). */
#include <immintrin.h>

#include "matrix.h"

#define TN_ISA avx2

static inline double hsum_pd(__m256d v)
{
	__m128d t = _mm_add_pd(_mm256_castpd256_pd128(v), _mm256_extractf128_pd(v, 1));

	return _mm_cvtsd_f64(t) + _mm_cvtsd_f64(_mm_unpackhi_pd(t, t));
}

static inline float hsum_ps(__m256 v)
{
	__m128 t = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));

	t = _mm_add_ps(t, _mm_movehl_ps(t, t));
	t = _mm_add_ss(t, _mm_shuffle_ps(t, t, 1));
	return _mm_cvtss_f32(t);
}

/* ---- Similarity: floats widened to double, four doubles per register. */

static size_t body_cosine(size_t n, const float *a, const float *b, double s[3])
{
	__m256d d0 = _mm256_setzero_pd(), d1 = d0, x0 = d0, x1 = d0, y0 = d0, y1 = d0;
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		__m256d alo = _mm256_cvtps_pd(_mm_loadu_ps(a + i));
		__m256d ahi = _mm256_cvtps_pd(_mm_loadu_ps(a + i + 4));
		__m256d blo = _mm256_cvtps_pd(_mm_loadu_ps(b + i));
		__m256d bhi = _mm256_cvtps_pd(_mm_loadu_ps(b + i + 4));

		d0 = _mm256_fmadd_pd(alo, blo, d0);
		d1 = _mm256_fmadd_pd(ahi, bhi, d1);
		x0 = _mm256_fmadd_pd(alo, alo, x0);
		x1 = _mm256_fmadd_pd(ahi, ahi, x1);
		y0 = _mm256_fmadd_pd(blo, blo, y0);
		y1 = _mm256_fmadd_pd(bhi, bhi, y1);
	}
	s[0] = hsum_pd(_mm256_add_pd(d0, d1));
	s[1] = hsum_pd(_mm256_add_pd(x0, x1));
	s[2] = hsum_pd(_mm256_add_pd(y0, y1));
	return i;
}

static size_t body_diff(size_t n, const float *a, const float *b, int squared,
			double *ret_s)
{
	const __m256d sign = _mm256_set1_pd(-0.0);
	__m256d s0 = _mm256_setzero_pd(), s1 = s0;
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		__m256d lo = _mm256_sub_pd(_mm256_cvtps_pd(_mm_loadu_ps(a + i)),
					   _mm256_cvtps_pd(_mm_loadu_ps(b + i)));
		__m256d hi = _mm256_sub_pd(_mm256_cvtps_pd(_mm_loadu_ps(a + i + 4)),
					   _mm256_cvtps_pd(_mm_loadu_ps(b + i + 4)));

		if (squared) {
			s0 = _mm256_fmadd_pd(lo, lo, s0);
			s1 = _mm256_fmadd_pd(hi, hi, s1);
		} else {
			s0 = _mm256_add_pd(s0, _mm256_andnot_pd(sign, lo));
			s1 = _mm256_add_pd(s1, _mm256_andnot_pd(sign, hi));
		}
	}
	*ret_s = hsum_pd(_mm256_add_pd(s0, s1));
	return i;
}

#include "similarity-impl.h"

/* ---- GEMM: 6 x 16 of C in twelve registers, two for B, one broadcast of A. */

#define GEMM_MR 6
#define GEMM_NR 16
#define GEMM_MC 144

static inline void microkernel(size_t kc, const float *pa, const float *pb,
			       float *c, size_t ldc, int first)
{
	__m256 acc[GEMM_MR][2];

#pragma GCC unroll 6
	for (int i = 0; i < GEMM_MR; i++)
		acc[i][0] = acc[i][1] = _mm256_setzero_ps();
#pragma GCC unroll 4
	for (size_t p = 0; p < kc; p++) {
		__m256 b0 = _mm256_load_ps(pb), b1 = _mm256_load_ps(pb + 8);

#pragma GCC unroll 6
		for (int i = 0; i < GEMM_MR; i++) {
			__m256 ai = _mm256_broadcast_ss(pa + i);

			acc[i][0] = _mm256_fmadd_ps(ai, b0, acc[i][0]);
			acc[i][1] = _mm256_fmadd_ps(ai, b1, acc[i][1]);
		}
		pa += GEMM_MR;
		pb += GEMM_NR;
	}
#pragma GCC unroll 6
	for (int i = 0; i < GEMM_MR; i++) {
		float *ci = c + i * ldc;

		if (!first) {
			acc[i][0] = _mm256_add_ps(acc[i][0], _mm256_loadu_ps(ci));
			acc[i][1] = _mm256_add_ps(acc[i][1], _mm256_loadu_ps(ci + 8));
		}
		_mm256_storeu_ps(ci, acc[i][0]);
		_mm256_storeu_ps(ci + 8, acc[i][1]);
	}
}

/*
 * Six rows of A, eight columns at a time: a register transpose (as block8
 * below, rows 6 and 7 left out) gives each column's six values, stored as
 * four and two.
 */
#define GEMM_PACK_A_FULL
static inline void pack_a_full(size_t kc, const float *a, size_t lda, float *restrict pa)
{
	size_t p = 0;

	for (; p + 8 <= kc; p += 8) {
		__m256 r0 = _mm256_loadu_ps(a + p), r1 = _mm256_loadu_ps(a + lda + p);
		__m256 r2 = _mm256_loadu_ps(a + 2 * lda + p), r3 = _mm256_loadu_ps(a + 3 * lda + p);
		__m256 r4 = _mm256_loadu_ps(a + 4 * lda + p), r5 = _mm256_loadu_ps(a + 5 * lda + p);
		__m256 t0 = _mm256_unpacklo_ps(r0, r1), t1 = _mm256_unpackhi_ps(r0, r1);
		__m256 t2 = _mm256_unpacklo_ps(r2, r3), t3 = _mm256_unpackhi_ps(r2, r3);
		__m256 t4 = _mm256_unpacklo_ps(r4, r5), t5 = _mm256_unpackhi_ps(r4, r5);
		/* u[c]: column c (low half) and c + 4 (high half) of rows 0-3. */
		__m256 u[4] = {
			_mm256_shuffle_ps(t0, t2, 0x44), _mm256_shuffle_ps(t0, t2, 0xee),
			_mm256_shuffle_ps(t1, t3, 0x44), _mm256_shuffle_ps(t1, t3, 0xee),
		};
		/* Rows 4-5 of columns 0-3 (and 4-7 in the high halves), in pairs. */
		__m128 v[4] = {
			_mm256_castps256_ps128(t4), _mm256_extractf128_ps(t4, 1),
			_mm256_castps256_ps128(t5), _mm256_extractf128_ps(t5, 1),
		};
		float *d = pa + p * GEMM_MR;

		for (int c = 0; c < 4; c++) {
			__m128 lo = v[(c / 2) * 2], hi = v[(c / 2) * 2 + 1];

			_mm_storeu_ps(d + c * GEMM_MR, _mm256_castps256_ps128(u[c]));
			_mm_storeu_ps(d + (c + 4) * GEMM_MR, _mm256_extractf128_ps(u[c], 1));
			if (c % 2 == 0) {
				_mm_storel_pi((__m64 *)(d + c * GEMM_MR + 4), lo);
				_mm_storel_pi((__m64 *)(d + (c + 4) * GEMM_MR + 4), hi);
			} else {
				_mm_storeh_pi((__m64 *)(d + c * GEMM_MR + 4), lo);
				_mm_storeh_pi((__m64 *)(d + (c + 4) * GEMM_MR + 4), hi);
			}
		}
	}
	for (; p < kc; p++)
		for (size_t r = 0; r < GEMM_MR; r++)
			pa[p * GEMM_MR + r] = a[r * lda + p];
}

#include "gemm-impl.h"

/* ---- Matrix-vector products and transposition. */

/* Lanes j < r of a mask for maskload/maskstore (0 < r < 8). */
static inline __m256i tail_mask(size_t r)
{
	return _mm256_cmpgt_epi32(_mm256_set1_epi32((int)r),
				  _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}

void tn__matvec_avx2(size_t m, size_t n, const float *a, size_t lda,
		     const float *x, float *y)
{
	for (size_t i = 0; i < m; i++) {
		const float *row = a + i * lda;
		__m256 s0 = _mm256_setzero_ps(), s1 = s0, s2 = s0, s3 = s0;
		size_t j = 0;

		for (; j + 32 <= n; j += 32) {
			s0 = _mm256_fmadd_ps(_mm256_loadu_ps(row + j), _mm256_loadu_ps(x + j), s0);
			s1 = _mm256_fmadd_ps(_mm256_loadu_ps(row + j + 8), _mm256_loadu_ps(x + j + 8), s1);
			s2 = _mm256_fmadd_ps(_mm256_loadu_ps(row + j + 16), _mm256_loadu_ps(x + j + 16), s2);
			s3 = _mm256_fmadd_ps(_mm256_loadu_ps(row + j + 24), _mm256_loadu_ps(x + j + 24), s3);
		}
		for (; j + 8 <= n; j += 8)
			s0 = _mm256_fmadd_ps(_mm256_loadu_ps(row + j), _mm256_loadu_ps(x + j), s0);
		if (j < n) {
			__m256i mask = tail_mask(n - j);

			s1 = _mm256_fmadd_ps(_mm256_maskload_ps(row + j, mask),
					     _mm256_maskload_ps(x + j, mask), s1);
		}
		y[i] = hsum_ps(_mm256_add_ps(_mm256_add_ps(s0, s1), _mm256_add_ps(s2, s3)));
	}
}

void tn__vecmat_avx2(size_t m, size_t n, const float *x, const float *a,
		     size_t lda, float *y)
{
	size_t j = 0;

	for (; j + 32 <= n; j += 32) {
		__m256 s0 = _mm256_setzero_ps(), s1 = s0, s2 = s0, s3 = s0;

		for (size_t i = 0; i < m; i++) {
			const float *r = a + i * lda + j;
			__m256 xi = _mm256_broadcast_ss(x + i);

			s0 = _mm256_fmadd_ps(xi, _mm256_loadu_ps(r), s0);
			s1 = _mm256_fmadd_ps(xi, _mm256_loadu_ps(r + 8), s1);
			s2 = _mm256_fmadd_ps(xi, _mm256_loadu_ps(r + 16), s2);
			s3 = _mm256_fmadd_ps(xi, _mm256_loadu_ps(r + 24), s3);
		}
		_mm256_storeu_ps(y + j, s0);
		_mm256_storeu_ps(y + j + 8, s1);
		_mm256_storeu_ps(y + j + 16, s2);
		_mm256_storeu_ps(y + j + 24, s3);
	}
	for (; j < n; j += 8) {
		__m256i mask = tail_mask(n - j < 8 ? n - j : 8);
		__m256 s0 = _mm256_setzero_ps();

		for (size_t i = 0; i < m; i++)
			s0 = _mm256_fmadd_ps(_mm256_broadcast_ss(x + i),
					     _mm256_maskload_ps(a + i * lda + j, mask), s0);
		_mm256_maskstore_ps(y + j, mask, s0);
	}
}

/* An 8 x 8 block: unpack pairs, then 64-bit shuffles, then swap 128-bit halves. */
static void block8(const float *a, size_t lda, float *b, size_t ldb)
{
	__m256 r[8], t[8];

	for (int i = 0; i < 8; i++)
		r[i] = _mm256_loadu_ps(a + i * lda);
	for (int i = 0; i < 8; i += 2) {
		t[i] = _mm256_unpacklo_ps(r[i], r[i + 1]);
		t[i + 1] = _mm256_unpackhi_ps(r[i], r[i + 1]);
	}
	for (int i = 0; i < 8; i += 4) {
		r[i] = _mm256_shuffle_ps(t[i], t[i + 2], 0x44);
		r[i + 1] = _mm256_shuffle_ps(t[i], t[i + 2], 0xee);
		r[i + 2] = _mm256_shuffle_ps(t[i + 1], t[i + 3], 0x44);
		r[i + 3] = _mm256_shuffle_ps(t[i + 1], t[i + 3], 0xee);
	}
	for (int i = 0; i < 4; i++) {
		_mm256_storeu_ps(b + i * ldb, _mm256_permute2f128_ps(r[i], r[i + 4], 0x20));
		_mm256_storeu_ps(b + (i + 4) * ldb, _mm256_permute2f128_ps(r[i], r[i + 4], 0x31));
	}
}

void tn__transpose_avx2(size_t m, size_t n, const float *a, size_t lda,
			float *b, size_t ldb)
{
	tn__transpose_tiled(m, n, a, lda, b, ldb, 8, block8);
}
