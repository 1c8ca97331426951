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

/*
 * rows x 32 of C (rows <= 14, a constant once inlined); the columns j with
 * bit j of k0:k1 set are read and written, the others neither (masked
 * loads and stores; all set, plain ones).
 */
static inline __attribute__((always_inline)) void
tile_rows(size_t kc, const float *pa, const float *pb, float *c, size_t ldc, int first,
	  const int rows, __mmask16 k0, __mmask16 k1)
{
	__m512 acc[GEMM_MR][2];
	int full = k0 == 0xffff && k1 == 0xffff;

	/*
	 * C's tile is wanted at the end, KC steps from now: fetch it meanwhile,
	 * into L2 only: with rows 4 KB apart (n = 1024) all 14 share one L1
	 * set, and fetched into L1 they evicted B's panel (0.93 of sgemm at
	 * 1024, 0.97 this way).
	 */
#pragma GCC unroll 14
	for (int i = 0; i < rows; i++) {
		_mm_prefetch((const char *)(c + i * ldc), _MM_HINT_T1);
		_mm_prefetch((const char *)(c + i * ldc + 16), _MM_HINT_T1);
		acc[i][0] = acc[i][1] = _mm512_setzero_ps();
	}
#pragma GCC unroll 4
	for (size_t p = 0; p < kc; p++) {
		__m512 b0 = _mm512_load_ps(pb), b1 = _mm512_load_ps(pb + 16);

#pragma GCC unroll 14
		for (int i = 0; i < rows; i++) {
			__m512 ai = _mm512_set1_ps(pa[i]);

			acc[i][0] = _mm512_fmadd_ps(ai, b0, acc[i][0]);
			acc[i][1] = _mm512_fmadd_ps(ai, b1, acc[i][1]);
		}
		pa += GEMM_MR;
		pb += GEMM_NR;
	}
#pragma GCC unroll 14
	for (int i = 0; i < rows; i++) {
		float *ci = c + i * ldc;

		if (full) {
			if (!first) {
				acc[i][0] = _mm512_add_ps(acc[i][0], _mm512_loadu_ps(ci));
				acc[i][1] = _mm512_add_ps(acc[i][1], _mm512_loadu_ps(ci + 16));
			}
			_mm512_storeu_ps(ci, acc[i][0]);
			_mm512_storeu_ps(ci + 16, acc[i][1]);
			continue;
		}
		if (!first) {
			acc[i][0] = _mm512_add_ps(acc[i][0], _mm512_maskz_loadu_ps(k0, ci));
			acc[i][1] = _mm512_add_ps(acc[i][1], _mm512_maskz_loadu_ps(k1, ci + 16));
		}
		_mm512_mask_storeu_ps(ci, k0, acc[i][0]);
		_mm512_mask_storeu_ps(ci + 16, k1, acc[i][1]);
	}
}

static inline void microkernel(size_t kc, const float *pa, const float *pb,
			       float *c, size_t ldc, int first)
{
	tile_rows(kc, pa, pb, c, ldc, first, GEMM_MR, 0xffff, 0xffff);
}

/*
 * Edge tiles straight into C: only the mr rows there are (the full kernel
 * on a zero-padded panel wasted up to 13 rows of 14, 4% of a 256^3
 * product), the nr columns by mask.
 */
#define GEMM_EDGE
static void microkernel_edge(size_t kc, const float *pa, const float *pb, float *c,
			     size_t ldc, int first, size_t mr, size_t nr)
{
	__mmask16 k0 = (__mmask16)(nr >= 16 ? 0xffffu : (1u << nr) - 1u);
	__mmask16 k1 = (__mmask16)(nr >= 32 ? 0xffffu : nr > 16 ? (1u << (nr - 16)) - 1u : 0u);

	switch (mr) {
#define EDGE_CASE(r) case r: tile_rows(kc, pa, pb, c, ldc, first, r, k0, k1); break;
	EDGE_CASE(1) EDGE_CASE(2) EDGE_CASE(3) EDGE_CASE(4) EDGE_CASE(5) EDGE_CASE(6)
	EDGE_CASE(7) EDGE_CASE(8) EDGE_CASE(9) EDGE_CASE(10) EDGE_CASE(11) EDGE_CASE(12)
	EDGE_CASE(13) EDGE_CASE(14)
#undef EDGE_CASE
	default: break;
	}
}

/*
 * A's 14-row panel, 16 columns at a time: the 14 rows (two zero rows make
 * 16) transposed in registers, each column's 14 floats stored with a mask.
 * The portable loop's strided scalar copy was 15% of a 256^3 product.
 */
#define GEMM_PACK_A_FULL
static inline void pack_a_full(size_t kc, const float *a, size_t lda, float *restrict pa)
{
	size_t p = 0;

	for (; p + 16 <= kc; p += 16) {
		__m512 r[16], t[16], u[16];

#pragma GCC unroll 16
		for (int i = 0; i < 16; i++)
			r[i] = i < GEMM_MR ? _mm512_loadu_ps(a + (size_t)i * lda + p)
					   : _mm512_setzero_ps();
		/* t[2g], t[2g+1]: rows 2g, 2g+1 interleaved (columns 4L..4L+1, 4L+2..4L+3). */
#pragma GCC unroll 8
		for (int g = 0; g < 8; g++) {
			t[2 * g] = _mm512_unpacklo_ps(r[2 * g], r[2 * g + 1]);
			t[2 * g + 1] = _mm512_unpackhi_ps(r[2 * g], r[2 * g + 1]);
		}
		/* u[4h+w], 128-bit lane L: column 4L+w of rows 4h..4h+3. */
#pragma GCC unroll 4
		for (int h = 0; h < 4; h++) {
			u[4 * h] = _mm512_shuffle_ps(t[4 * h], t[4 * h + 2], 0x44);
			u[4 * h + 1] = _mm512_shuffle_ps(t[4 * h], t[4 * h + 2], 0xee);
			u[4 * h + 2] = _mm512_shuffle_ps(t[4 * h + 1], t[4 * h + 3], 0x44);
			u[4 * h + 3] = _mm512_shuffle_ps(t[4 * h + 1], t[4 * h + 3], 0xee);
		}
		/* Column 4L+w: lane L of u[w], u[4+w], u[8+w], u[12+w]. */
		__m512 col[16];

#pragma GCC unroll 4
		for (int w = 0; w < 4; w++) {
			__m512 a0 = _mm512_shuffle_f32x4(u[w], u[4 + w], 0x44);
			__m512 a1 = _mm512_shuffle_f32x4(u[w], u[4 + w], 0xee);
			__m512 a2 = _mm512_shuffle_f32x4(u[8 + w], u[12 + w], 0x44);
			__m512 a3 = _mm512_shuffle_f32x4(u[8 + w], u[12 + w], 0xee);

			col[w] = _mm512_shuffle_f32x4(a0, a2, 0x88);
			col[4 + w] = _mm512_shuffle_f32x4(a0, a2, 0xdd);
			col[8 + w] = _mm512_shuffle_f32x4(a1, a3, 0x88);
			col[12 + w] = _mm512_shuffle_f32x4(a1, a3, 0xdd);
		}
		/*
		 * In column order, 16 floats each: the two beyond a column are
		 * the next one's first, stored after.  The last column is masked
		 * (it may end the buffer); masked stores throughout were slower.
		 */
#pragma GCC unroll 15
		for (int c = 0; c < 15; c++)
			_mm512_storeu_ps(pa + (p + (size_t)c) * GEMM_MR, col[c]);
		_mm512_mask_storeu_ps(pa + (p + 15) * GEMM_MR, 0x3fff, col[15]);
	}
	for (; p < kc; p++)
		for (size_t r = 0; r < GEMM_MR; r++)
			pa[p * GEMM_MR + r] = a[r * lda + p];
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
