/* Arith kernels for AVX2 + FMA (8 floats a vector); the code is in arith-simd.h. */
#include <immintrin.h>

#include "internal.h"
#include "arith-kernels.h"

#define W 8
#define ISA avx2
#define V __m256
#define VI __m256i
#define VD __m256d

#define VLOADU(p) _mm256_loadu_ps(p)
#define VSTOREU(p, v) _mm256_storeu_ps(p, v)
#define VSET1(f) _mm256_set1_ps(f)
#define VADD(a, b) _mm256_add_ps(a, b)
#define VSUB(a, b) _mm256_sub_ps(a, b)
#define VMUL(a, b) _mm256_mul_ps(a, b)
#define VDIV(a, b) _mm256_div_ps(a, b)
#define VSQRT(a) _mm256_sqrt_ps(a)
#define VMAX(a, b) _mm256_max_ps(a, b)
#define VMIN(a, b) _mm256_min_ps(a, b)
#define VAND(a, b) _mm256_and_ps(a, b)
#define VOR(a, b) _mm256_or_ps(a, b)
#define VANDNOT(a, b) _mm256_andnot_ps(a, b)
#define VXOR(a, b) _mm256_xor_ps(a, b)
#define VCMPEQ(a, b) _mm256_cmp_ps(a, b, _CMP_EQ_OQ)
#define VCMPLT(a, b) _mm256_cmp_ps(a, b, _CMP_LT_OQ)
#define VCMPLE(a, b) _mm256_cmp_ps(a, b, _CMP_LE_OQ)
#define VCMPUNORD(a, b) _mm256_cmp_ps(a, b, _CMP_UNORD_Q)
#define VBLEND(m, a, b) _mm256_blendv_ps(b, a, m)
#define VTRUNC(a) _mm256_round_ps(a, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC)
#define VFLOOR(a) _mm256_round_ps(a, _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC)
#define VCEIL(a) _mm256_round_ps(a, _MM_FROUND_TO_POS_INF | _MM_FROUND_NO_EXC)
#define HAVE_VFMA 1
#define VFMA(a, b, c) _mm256_fmadd_ps(a, b, c)

#define VCASTI(v) _mm256_castps_si256(v)
#define VCASTF(v) _mm256_castsi256_ps(v)
#define VI_SET1(i) _mm256_set1_epi32(i)
#define VI_LOADU(p) _mm256_loadu_si256((const __m256i *)(const void *)(p))
#define VI_STOREU(p, v) _mm256_storeu_si256((__m256i *)(void *)(p), v)
#define VI_ADD(a, b) _mm256_add_epi32(a, b)
#define VI_AND(a, b) _mm256_and_si256(a, b)
#define VI_XOR(a, b) _mm256_xor_si256(a, b)
#define VI_SRAI31(a) _mm256_srai_epi32(a, 31)
#define VI_CMPGT(a, b) _mm256_cmpgt_epi32(a, b)
#define VI_BLEND(m, a, b) _mm256_blendv_epi8(b, a, m)

#define VD_SET1(d) _mm256_set1_pd(d)
#define VD_ADD(a, b) _mm256_add_pd(a, b)
#define VD_SUB(a, b) _mm256_sub_pd(a, b)
#define VD_MUL(a, b) _mm256_mul_pd(a, b)
#define VD_LO(v) _mm256_cvtps_pd(_mm256_castps256_ps128(v))
#define VD_HI(v) _mm256_cvtps_pd(_mm256_extractf128_ps(v, 1))
#define VD_STOREU(p, v) _mm256_storeu_pd(p, v)
#define VD_LOADU(p) _mm256_loadu_pd(p)
#define VD_AND(a, b) _mm256_and_pd(a, b)
#define VD_OR(a, b) _mm256_or_pd(a, b)
#define VD_ANDNOT(a, b) _mm256_andnot_pd(a, b)

/* The in-register levels of the fixed tree (arith-kernels.h). */
static inline float htree_avx2(__m256 v)
{
	__m128 x = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));

	x = _mm_add_ps(x, _mm_movehl_ps(x, x));
	x = _mm_add_ss(x, _mm_shuffle_ps(x, x, 1));
	return _mm_cvtss_f32(x);
}

static inline double htree_avx2_d(__m256d v)
{
	__m128d x = _mm_add_pd(_mm256_castpd256_pd128(v), _mm256_extractf128_pd(v, 1));

	return _mm_cvtsd_f64(_mm_add_sd(x, _mm_unpackhi_pd(x, x)));
}

#define VHTREE(v) htree_avx2(v)
#define VD_HTREE(v) htree_avx2_d(v)

/* 8 all-ones lanes, then 8 zero lanes: from tn__mask32 + 8 - m, m lanes on. */
static const int32_t tn__mask32[16] = { -1, -1, -1, -1, -1, -1, -1, -1 };

/* vmaskmovps: the masked-off lanes are neither read nor written (no fault). */
static inline __m256 load_part_avx2(const float *p, size_t m, float pad)
{
	__m256i k = _mm256_loadu_si256((const __m256i *)(const void *)(tn__mask32 + 8 - m));

	return _mm256_blendv_ps(_mm256_set1_ps(pad), _mm256_maskload_ps(p, k),
				_mm256_castsi256_ps(k));
}

static inline void store_part_avx2(float *p, size_t m, __m256 v)
{
	_mm256_maskstore_ps(p, _mm256_loadu_si256((const __m256i *)(const void *)(tn__mask32 + 8 - m)), v);
}

#define VLOAD_PART(p, m, pad) load_part_avx2(p, m, pad)
#define VSTORE_PART(p, m, v) store_part_avx2(p, m, v)

#include "arith-simd.h"
