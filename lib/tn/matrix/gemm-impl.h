/*
 * The packed, cache-blocked GEMM of one backend (C = A B, row-major), after
 * Goto and van de Geijn: B is packed KC x NC at a time into micro-panels of
 * GEMM_NR columns (kept in L1 by the micro-kernel), A MC x KC at a time into
 * micro-panels of GEMM_MR rows (kept in L2); the register-blocked
 * micro-kernel then computes GEMM_MR x GEMM_NR of C per call.
 *
 * The including file defines GEMM_MR, GEMM_NR, GEMM_MC (a multiple of
 * GEMM_MR, at most TN__GEMM_MC_MAX) and
 *   static inline void microkernel(size_t kc, const float *pa, const float *pb,
 *                                  float *c, size_t ldc, int first);
 * which computes a full tile: C = Pa Pb when first, C += Pa Pb otherwise.
 * It may define GEMM_EDGE and
 *   static void microkernel_edge(size_t kc, const float *pa, const float *pb,
 *                                float *c, size_t ldc, int first, size_t mr, size_t nr);
 * which does the same for the top-left mr x nr of a tile, straight into C
 * (reading and writing nothing else of C); without it, edge tiles go
 * through a local tile.
 * It may also define GEMM_PACK_A_FULL and
 *   static inline void pack_a_full(size_t kc, const float *a, size_t lda, float *pa);
 * to pack a whole GEMM_MR-row panel faster than the portable loop.
 *
 * Summation order: c_ij is accumulated over k in order, a KC block at a
 * time, so |C - AB| <= gamma_k |A||B| elementwise (gamma_k = k u / (1 - k u),
 * u = 2^-24), as for any order.
 */
#include <string.h>

#include "matrix.h"

_Static_assert(GEMM_MC % GEMM_MR == 0, "MC must be a multiple of MR");
_Static_assert(GEMM_MC <= TN__GEMM_MC_MAX, "MC exceeds the packing buffer");
_Static_assert(TN__GEMM_NC % GEMM_NR == 0, "NC must be a multiple of NR");

static inline size_t gemm_min(size_t x, size_t y)
{
	return x < y ? x : y;
}

/* pa[panel][p][r] = a[r][p]: GEMM_MR rows of A interleaved, zero-padded. */
static void pack_a(size_t mc, size_t kc, const float *a, size_t lda, float *restrict pa)
{
	for (size_t i = 0; i < mc; i += GEMM_MR) {
		size_t mr = gemm_min(GEMM_MR, mc - i);
		const float *src = a + i * lda;

		if (mr == GEMM_MR) {
#ifdef GEMM_PACK_A_FULL
			pack_a_full(kc, src, lda, pa);
#else
			for (size_t p = 0; p < kc; p++)
				for (size_t r = 0; r < GEMM_MR; r++)
					pa[p * GEMM_MR + r] = src[r * lda + p];
#endif
		} else {
			for (size_t p = 0; p < kc; p++)
				for (size_t r = 0; r < GEMM_MR; r++)
					pa[p * GEMM_MR + r] = r < mr ? src[r * lda + p] : 0.0f;
		}
		pa += GEMM_MR * kc;
	}
}

/* pb[panel][p][j] = b[p][j]: GEMM_NR columns of B, zero-padded. */
static void pack_b(size_t kc, size_t nc, const float *b, size_t ldb, float *restrict pb)
{
	for (size_t j = 0; j < nc; j += GEMM_NR) {
		size_t nr = gemm_min(GEMM_NR, nc - j);

		for (size_t p = 0; p < kc; p++) {
			const float *src = b + p * ldb + j;
			float *dst = pb + p * GEMM_NR;

			if (nr == GEMM_NR) {
				memcpy(dst, src, GEMM_NR * sizeof(float));
			} else {
				/* A loop, not a call of memcpy per row: small products are
				 * all edge. */
				for (size_t c = 0; c < GEMM_NR; c++)
					dst[c] = c < nr ? src[c] : 0.0f;
			}
		}
		pb += GEMM_NR * kc;
	}
}

static void macro_kernel(size_t mc, size_t nc, size_t kc, const float *pa,
			 const float *pb, float *c, size_t ldc, int first)
{
	for (size_t jr = 0; jr < nc; jr += GEMM_NR) {
		size_t nr = gemm_min(GEMM_NR, nc - jr);

		for (size_t ir = 0; ir < mc; ir += GEMM_MR) {
			size_t mr = gemm_min(GEMM_MR, mc - ir);
			float *cij = c + ir * ldc + jr;
			const float *a = pa + ir * kc, *b = pb + jr * kc;

			if (mr == GEMM_MR && nr == GEMM_NR) {
				microkernel(kc, a, b, cij, ldc, first);
				continue;
			}
#ifdef GEMM_EDGE
			microkernel_edge(kc, a, b, cij, ldc, first, mr, nr);
#else
			_Alignas(64) float tile[GEMM_MR * GEMM_NR];

			microkernel(kc, a, b, tile, GEMM_NR, 1);
			for (size_t i = 0; i < mr; i++)
				for (size_t j = 0; j < nr; j++) {
					if (first)
						cij[i * ldc + j] = tile[i * GEMM_NR + j];
					else
						cij[i * ldc + j] += tile[i * GEMM_NR + j];
				}
#endif
		}
	}
}

void TN__K(matmul)(size_t m, size_t n, size_t k, const float *a, size_t lda,
		   const float *b, size_t ldb, float *c, size_t ldc)
{
	float *pa = tn__gemm_pack_a, *pb = tn__gemm_pack_b;

	if (m == 0 || n == 0)
		return;
	if (k == 0) {
		for (size_t i = 0; i < m; i++)
			memset(c + i * ldc, 0, n * sizeof(float));
		return;
	}
	for (size_t jc = 0; jc < n; jc += TN__GEMM_NC) {
		size_t nc = gemm_min(TN__GEMM_NC, n - jc);

		for (size_t pc = 0; pc < k; pc += TN__GEMM_KC) {
			size_t kc = gemm_min(TN__GEMM_KC, k - pc);

			pack_b(kc, nc, b + pc * ldb + jc, ldb, pb);
			for (size_t ic = 0; ic < m; ic += GEMM_MC) {
				size_t mc = gemm_min(GEMM_MC, m - ic);

				pack_a(mc, kc, a + ic * lda + pc, lda, pa);
				macro_kernel(mc, nc, kc, pa, pb, c + ic * ldc + jc, ldc, pc == 0);
			}
		}
	}
}
