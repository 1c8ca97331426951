/* The matrix part of libtn: kernel signatures per instruction set, the GEMM blocking, shared helpers. */
#pragma once

#include <math.h>
#include <stddef.h>

#include "internal.h"

typedef float tn__sim_fn(size_t n, const float *a, const float *b);
typedef void tn__sim_batch_fn(size_t n, const float *q, size_t rows,
			      const float *r, size_t ld, float *out);
typedef void tn__matmul_fn(size_t m, size_t n, size_t k, const float *a, size_t lda,
			   const float *b, size_t ldb, float *c, size_t ldc);
typedef void tn__transpose_fn(size_t m, size_t n, const float *a, size_t lda,
			      float *b, size_t ldb);
typedef void tn__matvec_fn(size_t m, size_t n, const float *a, size_t lda,
			   const float *x, float *y);
typedef void tn__vecmat_fn(size_t m, size_t n, const float *x, const float *a,
			   size_t lda, float *y);

/* Every backend offers the same set, except where noted in matrix.c. */
#define TN__MATRIX_DECLARE(isa) \
	tn__sim_fn tn__cosine_##isa, tn__euclidean_##isa, tn__manhattan_##isa; \
	tn__sim_batch_fn tn__cosine_batch_##isa, tn__euclidean_batch_##isa, \
		tn__manhattan_batch_##isa; \
	tn__matmul_fn tn__matmul_##isa; \
	tn__matvec_fn tn__matvec_##isa; \
	tn__vecmat_fn tn__vecmat_##isa;

TN__MATRIX_DECLARE(scalar)
TN__MATRIX_DECLARE(sse2)
TN__MATRIX_DECLARE(avx2)
TN__MATRIX_DECLARE(avx512)

/* AVX-512 has no transpose of its own: the automatic choice falls back to AVX2's. */
tn__transpose_fn tn__transpose_scalar, tn__transpose_sse2, tn__transpose_avx2;

/* Name of the kernel NAME for the instruction set TN_ISA of the including file. */
#define TN__CAT2(a, b) a##_##b
#define TN__CAT(a, b) TN__CAT2(a, b)
#define TN__K(name) TN__CAT(tn__##name, TN_ISA)

/*
 * GEMM blocking (see gemm-impl.h): B is packed KC x NC at a time, A MC x KC.
 * The packing buffers are fixed-size, thread-local and shared by every
 * backend, so a call allocates nothing; MC_MAX is the largest MC of any
 * backend.
 */
#define TN__GEMM_KC 256
#define TN__GEMM_NC 512
#define TN__GEMM_MC_MAX 168

extern _Thread_local float tn__gemm_pack_a[TN__GEMM_MC_MAX * TN__GEMM_KC];
extern _Thread_local float tn__gemm_pack_b[TN__GEMM_KC * TN__GEMM_NC];

/*
 * The similarity kernels accumulate in double on every backend; these finish
 * the sums the same way everywhere.  s[0] = sum a*b, s[1] = sum a*a,
 * s[2] = sum b*b.
 */
static inline float tn__cosine_finish(const double s[3])
{
	double d;

	if (s[1] == 0.0 || s[2] == 0.0)
		return NAN;
	d = s[0] / (sqrt(s[1]) * sqrt(s[2]));
	/* Rounding cannot take a finite quotient outside [-1, 1] by more than
	 * an ulp; keep the documented range (NaN passes through). */
	if (d > 1.0)
		d = 1.0;
	else if (d < -1.0)
		d = -1.0;
	return (float)d;
}

/* Scalar transposition of the block rows [i0, i1) x columns [j0, j1): the
 * edges that the SIMD transposes leave. */
static inline void tn__transpose_rect(size_t i0, size_t i1, size_t j0, size_t j1,
				      const float *a, size_t lda, float *b, size_t ldb)
{
	for (size_t i = i0; i < i1; i++)
		for (size_t j = j0; j < j1; j++)
			b[j * ldb + i] = a[i * lda + j];
}

/*
 * Transposition in tiles of TN__TRANSPOSE_TILE squared (both the rows read
 * and the rows written stay in cache), each tile made of bs x bs blocks that
 * block(a, lda, b, ldb) transposes with SIMD registers; the ragged edges of a
 * tile go through tn__transpose_rect().
 */
#define TN__TRANSPOSE_TILE 64
static inline void tn__transpose_tiled(size_t m, size_t n, const float *a, size_t lda,
				       float *b, size_t ldb, size_t bs,
				       void (*block)(const float *, size_t, float *, size_t))
{
	for (size_t i0 = 0; i0 < m; i0 += TN__TRANSPOSE_TILE) {
		size_t i1 = i0 + TN__TRANSPOSE_TILE < m ? i0 + TN__TRANSPOSE_TILE : m;

		for (size_t j0 = 0; j0 < n; j0 += TN__TRANSPOSE_TILE) {
			size_t j1 = j0 + TN__TRANSPOSE_TILE < n ? j0 + TN__TRANSPOSE_TILE : n;
			size_t i = i0, j = j0;

			for (; i + bs <= i1; i += bs) {
				for (j = j0; j + bs <= j1; j += bs)
					block(a + i * lda + j, lda, b + j * ldb + i, ldb);
				tn__transpose_rect(i, i + bs, j, j1, a, lda, b, ldb);
			}
			tn__transpose_rect(i, i1, j0, j1, a, lda, b, ldb);
		}
	}
}
