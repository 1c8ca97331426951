/*
 * Arith kernels for AVX-512 F/VL/DQ/BW (16 floats a vector); the code is in
 * arith-simd.h.  Comparisons give masks here; they are widened to all-ones
 * lanes (vpmovm2d) so the shared code sees the same kind of value as on
 * SSE2 and AVX2.
 */
#include <immintrin.h>

#include "internal.h"
#include "arith-kernels.h"

#define W 16
#define ISA avx512
#define V __m512
#define VI __m512i
#define VD __m512d

#define MASKV(m) _mm512_castsi512_ps(_mm512_movm_epi32(m))
#define VLOADU(p) _mm512_loadu_ps(p)
#define VSTOREU(p, v) _mm512_storeu_ps(p, v)
#define VSET1(f) _mm512_set1_ps(f)
#define VADD(a, b) _mm512_add_ps(a, b)
#define VSUB(a, b) _mm512_sub_ps(a, b)
#define VMUL(a, b) _mm512_mul_ps(a, b)
#define VDIV(a, b) _mm512_div_ps(a, b)
#define VSQRT(a) _mm512_sqrt_ps(a)
#define VMAX(a, b) _mm512_max_ps(a, b)
#define VMIN(a, b) _mm512_min_ps(a, b)
#define VAND(a, b) _mm512_and_ps(a, b)
#define VOR(a, b) _mm512_or_ps(a, b)
#define VANDNOT(a, b) _mm512_andnot_ps(a, b)
#define VXOR(a, b) _mm512_xor_ps(a, b)
#define VCMPEQ(a, b) MASKV(_mm512_cmp_ps_mask(a, b, _CMP_EQ_OQ))
#define VCMPLT(a, b) MASKV(_mm512_cmp_ps_mask(a, b, _CMP_LT_OQ))
#define VCMPLE(a, b) MASKV(_mm512_cmp_ps_mask(a, b, _CMP_LE_OQ))
#define VCMPUNORD(a, b) MASKV(_mm512_cmp_ps_mask(a, b, _CMP_UNORD_Q))
#define VBLEND(m, a, b) \
	_mm512_mask_blend_ps(_mm512_movepi32_mask(_mm512_castps_si512(m)), b, a)
#define VTRUNC(a) _mm512_roundscale_ps(a, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC)
#define VFLOOR(a) _mm512_roundscale_ps(a, _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC)
#define VCEIL(a) _mm512_roundscale_ps(a, _MM_FROUND_TO_POS_INF | _MM_FROUND_NO_EXC)
#define HAVE_VFMA 1
#define VFMA(a, b, c) _mm512_fmadd_ps(a, b, c)

#define VCASTI(v) _mm512_castps_si512(v)
#define VCASTF(v) _mm512_castsi512_ps(v)
#define VI_SET1(i) _mm512_set1_epi32(i)
#define VI_LOADU(p) _mm512_loadu_si512((const void *)(p))
#define VI_STOREU(p, v) _mm512_storeu_si512((void *)(p), v)
#define VI_ADD(a, b) _mm512_add_epi32(a, b)
#define VI_AND(a, b) _mm512_and_si512(a, b)
#define VI_XOR(a, b) _mm512_xor_si512(a, b)
#define VI_SRAI31(a) _mm512_srai_epi32(a, 31)
#define VI_CMPGT(a, b) _mm512_movm_epi32(_mm512_cmpgt_epi32_mask(a, b))
#define VI_BLEND(m, a, b) _mm512_mask_blend_epi32(_mm512_movepi32_mask(m), b, a)

#define VD_SET1(d) _mm512_set1_pd(d)
#define VD_ADD(a, b) _mm512_add_pd(a, b)
#define VD_SUB(a, b) _mm512_sub_pd(a, b)
#define VD_MUL(a, b) _mm512_mul_pd(a, b)
#define VD_LO(v) _mm512_cvtps_pd(_mm512_castps512_ps256(v))
#define VD_HI(v) _mm512_cvtps_pd(_mm512_extractf32x8_ps(v, 1))
#define VD_STOREU(p, v) _mm512_storeu_pd(p, v)
#define VD_LOADU(p) _mm512_loadu_pd(p)
#define VD_AND(a, b) _mm512_and_pd(a, b)
#define VD_OR(a, b) _mm512_or_pd(a, b)
#define VD_ANDNOT(a, b) _mm512_andnot_pd(a, b)

/* The in-register levels of the fixed tree (arith-kernels.h). */
static inline float htree_avx512(__m512 v)
{
	__m256 y = _mm256_add_ps(_mm512_castps512_ps256(v), _mm512_extractf32x8_ps(v, 1));
	__m128 x = _mm_add_ps(_mm256_castps256_ps128(y), _mm256_extractf128_ps(y, 1));

	x = _mm_add_ps(x, _mm_movehl_ps(x, x));
	x = _mm_add_ss(x, _mm_shuffle_ps(x, x, 1));
	return _mm_cvtss_f32(x);
}

static inline double htree_avx512_d(__m512d v)
{
	__m256d y = _mm256_add_pd(_mm512_castpd512_pd256(v), _mm512_extractf64x4_pd(v, 1));
	__m128d x = _mm_add_pd(_mm256_castpd256_pd128(y), _mm256_extractf128_pd(y, 1));

	return _mm_cvtsd_f64(_mm_add_sd(x, _mm_unpackhi_pd(x, x)));
}

#define VHTREE(v) htree_avx512(v)
#define VD_HTREE(v) htree_avx512_d(v)

/*
 * Masked loads and stores neither read nor write the other lanes (no fault).
 * Any m <= 16 works (m = 0: no lane, 16: all), so the sums' tails need no
 * branches (VLOAD_PART_ANY, arith-simd.h).
 */
#define PART_MASK(m) ((__mmask16)((1u << (m)) - 1u))
#define VLOAD_PART_ANY 1
#define VLOAD_PART(p, m, pad) _mm512_mask_loadu_ps(_mm512_set1_ps(pad), PART_MASK(m), p)
#define VSTORE_PART(p, m, v) _mm512_mask_storeu_ps(p, PART_MASK(m), v)

#include "arith-simd.h"
