/* Matrix, similarity and distance kernels in plain C: the reference backend. */
#include <string.h>

#include "matrix.h"

#define TN_ISA scalar

/* ---- Similarity: the tails of similarity-impl.h do it all, in index order. */

static size_t body_cosine(size_t n, const float *a, const float *b, double s[3])
{
	(void)n;
	(void)a;
	(void)b;
	s[0] = s[1] = s[2] = 0.0;
	return 0;
}

static size_t body_diff(size_t n, const float *a, const float *b, int squared,
			double *ret_s)
{
	(void)n;
	(void)a;
	(void)b;
	(void)squared;
	*ret_s = 0.0;
	return 0;
}

#include "similarity-impl.h"

/* ---- GEMM: a 4 x 4 block of plain floats, unrolled so that it lives in registers. */

#define GEMM_MR 4
#define GEMM_NR 4
#define GEMM_MC 128

static inline void microkernel(size_t kc, const float *pa, const float *pb,
			       float *c, size_t ldc, int first)
{
	float acc[GEMM_MR][GEMM_NR];

#pragma GCC unroll 4
	for (size_t i = 0; i < GEMM_MR; i++)
#pragma GCC unroll 4
		for (size_t j = 0; j < GEMM_NR; j++)
			acc[i][j] = 0.0f;
	for (size_t p = 0; p < kc; p++) {
#pragma GCC unroll 4
		for (size_t i = 0; i < GEMM_MR; i++)
#pragma GCC unroll 4
			for (size_t j = 0; j < GEMM_NR; j++)
				acc[i][j] += pa[i] * pb[j];
		pa += GEMM_MR;
		pb += GEMM_NR;
	}
#pragma GCC unroll 4
	for (size_t i = 0; i < GEMM_MR; i++)
#pragma GCC unroll 4
		for (size_t j = 0; j < GEMM_NR; j++)
			c[i * ldc + j] = first ? acc[i][j] : c[i * ldc + j] + acc[i][j];
}

#include "gemm-impl.h"

/* ---- Matrix-vector products and transposition. */

void tn__matvec_scalar(size_t m, size_t n, const float *a, size_t lda,
		       const float *x, float *y)
{
	for (size_t i = 0; i < m; i++) {
		const float *row = a + i * lda;
		float s = 0.0f;

		for (size_t j = 0; j < n; j++)
			s += row[j] * x[j];
		y[i] = s;
	}
}

void tn__vecmat_scalar(size_t m, size_t n, const float *x, const float *a,
		       size_t lda, float *y)
{
	if (n == 0)
		return;
	memset(y, 0, n * sizeof(float));
	for (size_t i = 0; i < m; i++) {
		const float *row = a + i * lda;
		float xi = x[i];

		for (size_t j = 0; j < n; j++)
			y[j] += xi * row[j];
	}
}

/* Tiles keep both the rows read and the rows written in cache. */
void tn__transpose_scalar(size_t m, size_t n, const float *a, size_t lda,
			  float *b, size_t ldb)
{
	for (size_t i0 = 0; i0 < m; i0 += TN__TRANSPOSE_TILE) {
		size_t i1 = i0 + TN__TRANSPOSE_TILE < m ? i0 + TN__TRANSPOSE_TILE : m;

		for (size_t j0 = 0; j0 < n; j0 += TN__TRANSPOSE_TILE) {
			size_t j1 = j0 + TN__TRANSPOSE_TILE < n ? j0 + TN__TRANSPOSE_TILE : n;

			tn__transpose_rect(i0, i1, j0, j1, a, lda, b, ldb);
		}
	}
}
