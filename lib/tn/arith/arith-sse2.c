/* Arith kernels for SSE2 (4 floats a vector); the code is in arith-simd.h. */
#include <emmintrin.h>

#include "internal.h"
#include "arith-kernels.h"

#define W 4
#define ISA sse2
#define V __m128
#define VI __m128i
#define VD __m128d

#define VLOADU(p) _mm_loadu_ps(p)
#define VSTOREU(p, v) _mm_storeu_ps(p, v)
#define VSET1(f) _mm_set1_ps(f)
#define VADD(a, b) _mm_add_ps(a, b)
#define VSUB(a, b) _mm_sub_ps(a, b)
#define VMUL(a, b) _mm_mul_ps(a, b)
#define VDIV(a, b) _mm_div_ps(a, b)
#define VSQRT(a) _mm_sqrt_ps(a)
#define VMAX(a, b) _mm_max_ps(a, b)
#define VMIN(a, b) _mm_min_ps(a, b)
#define VAND(a, b) _mm_and_ps(a, b)
#define VOR(a, b) _mm_or_ps(a, b)
#define VANDNOT(a, b) _mm_andnot_ps(a, b)
#define VXOR(a, b) _mm_xor_ps(a, b)
#define VCMPEQ(a, b) _mm_cmpeq_ps(a, b)
#define VCMPLT(a, b) _mm_cmplt_ps(a, b)
#define VCMPLE(a, b) _mm_cmple_ps(a, b)
#define VCMPUNORD(a, b) _mm_cmpunord_ps(a, b)
#define VBLEND(m, a, b) _mm_or_ps(_mm_and_ps(m, a), _mm_andnot_ps(m, b))

#define VCASTI(v) _mm_castps_si128(v)
#define VCASTF(v) _mm_castsi128_ps(v)
#define VI_SET1(i) _mm_set1_epi32(i)
#define VI_LOADU(p) _mm_loadu_si128((const __m128i *)(const void *)(p))
#define VI_STOREU(p, v) _mm_storeu_si128((__m128i *)(void *)(p), v)
#define VI_ADD(a, b) _mm_add_epi32(a, b)
#define VI_AND(a, b) _mm_and_si128(a, b)
#define VI_XOR(a, b) _mm_xor_si128(a, b)
#define VI_SRAI31(a) _mm_srai_epi32(a, 31)
#define VI_CMPGT(a, b) _mm_cmpgt_epi32(a, b)
#define VI_BLEND(m, a, b) _mm_or_si128(_mm_and_si128(m, a), _mm_andnot_si128(m, b))

#define VD_SET1(d) _mm_set1_pd(d)
#define VD_ADD(a, b) _mm_add_pd(a, b)
#define VD_SUB(a, b) _mm_sub_pd(a, b)
#define VD_MUL(a, b) _mm_mul_pd(a, b)
#define VD_LO(v) _mm_cvtps_pd(v)
#define VD_HI(v) _mm_cvtps_pd(_mm_movehl_ps(v, v))
#define VD_STOREU(p, v) _mm_storeu_pd(p, v)
#define VD_LOADU(p) _mm_loadu_pd(p)
#define VD_AND(a, b) _mm_and_pd(a, b)
#define VD_OR(a, b) _mm_or_pd(a, b)
#define VD_ANDNOT(a, b) _mm_andnot_pd(a, b)

/*
 * SSE2 has no rounding instruction: below 2^23 in magnitude, truncation
 * through int32 is exact (the sign is put back so -0.5 gives -0); from 2^23
 * on, and for inf and NaN, x is its own integer part.
 */
static inline __m128 trunc_sse2(__m128 x)
{
	__m128 sign = _mm_castsi128_ps(_mm_set1_epi32((int32_t)0x80000000));
	__m128 small = _mm_cmplt_ps(_mm_andnot_ps(sign, x), _mm_set1_ps(0x1p23f));
	__m128 t = _mm_cvtepi32_ps(_mm_cvttps_epi32(x));

	t = _mm_or_ps(t, _mm_and_ps(x, sign));
	return VBLEND(small, t, x);
}

static inline __m128 floor_sse2(__m128 x)
{
	__m128 t = trunc_sse2(x);

	return VBLEND(_mm_cmplt_ps(x, t), _mm_sub_ps(t, _mm_set1_ps(1.0f)), t);
}

static inline __m128 ceil_sse2(__m128 x)
{
	__m128 t = trunc_sse2(x);

	return VBLEND(_mm_cmpgt_ps(x, t), _mm_add_ps(t, _mm_set1_ps(1.0f)), t);
}

#define VTRUNC(a) trunc_sse2(a)
#define VFLOOR(a) floor_sse2(a)
#define VCEIL(a) ceil_sse2(a)

/* The in-register levels of the fixed tree (arith-kernels.h). */
static inline float htree_sse2(__m128 x)
{
	x = _mm_add_ps(x, _mm_movehl_ps(x, x));                 /* h = 2 */
	x = _mm_add_ss(x, _mm_shuffle_ps(x, x, 1));             /* h = 1 */
	return _mm_cvtss_f32(x);
}

static inline double htree_sse2_d(__m128d x)
{
	return _mm_cvtsd_f64(_mm_add_sd(x, _mm_unpackhi_pd(x, x)));
}

#define VHTREE(v) htree_sse2(v)
#define VD_HTREE(v) htree_sse2_d(v)

/* The first m < 4 floats, the rest pad; built in registers. */
static inline __m128 load_part_sse2(const float *p, size_t m, float pad)
{
	switch (m) {
	case 1: return _mm_set_ps(pad, pad, pad, p[0]);
	case 2: return _mm_set_ps(pad, pad, p[1], p[0]);
	default: return _mm_set_ps(pad, p[2], p[1], p[0]);
	}
}

static inline void store_part_sse2(float *p, size_t m, __m128 v)
{
	if (m >= 2)
		_mm_storel_pi((__m64 *)(void *)p, v);
	else
		_mm_store_ss(p, v);
	if (m == 3)
		_mm_store_ss(p + 2, _mm_movehl_ps(v, v));
}

#define VLOAD_PART(p, m, pad) load_part_sse2(p, m, pad)
#define VSTORE_PART(p, m, v) store_part_sse2(p, m, v)

#include "arith-simd.h"
