/* The vector vocabulary of math-body.h for AVX-512F/DQ (16 lanes, mask registers). */
#pragma once

#include <immintrin.h>

#define TN_ISA avx512
#define W 16

typedef __m512 vf;
typedef __m512i vi;
typedef __mmask16 vm;

static inline vf vload(const float *p) { return _mm512_loadu_ps(p); }
static inline void vstore(float *p, vf v) { _mm512_storeu_ps(p, v); }
static inline __mmask16 first_k(size_t k) { return (__mmask16)((1u << k) - 1u); }
static inline vf vload_part(const float *p, size_t k, float fill)
{
	return _mm512_mask_loadu_ps(_mm512_set1_ps(fill), first_k(k), p);
}
static inline void vstore_part(float *p, size_t k, vf v) { _mm512_mask_storeu_ps(p, first_k(k), v); }
static inline void vstore_lanes(float *p, vf v) { _mm512_storeu_ps(p, v); }

static inline vf vdup(float a) { return _mm512_set1_ps(a); }
static inline vf vadd(vf a, vf b) { return _mm512_add_ps(a, b); }
static inline vf vsub(vf a, vf b) { return _mm512_sub_ps(a, b); }
static inline vf vmul(vf a, vf b) { return _mm512_mul_ps(a, b); }
static inline vf vdiv(vf a, vf b) { return _mm512_div_ps(a, b); }
static inline vf vsqrt(vf a) { return _mm512_sqrt_ps(a); }
static inline vf vmin(vf a, vf b) { return _mm512_min_ps(a, b); }
static inline vf vmax(vf a, vf b) { return _mm512_max_ps(a, b); }

static inline vm vlt(vf a, vf b) { return _mm512_cmp_ps_mask(a, b, _CMP_LT_OQ); }
static inline vm vle(vf a, vf b) { return _mm512_cmp_ps_mask(a, b, _CMP_LE_OQ); }
static inline vm vgt(vf a, vf b) { return _mm512_cmp_ps_mask(a, b, _CMP_GT_OQ); }
static inline vm veq(vf a, vf b) { return _mm512_cmp_ps_mask(a, b, _CMP_EQ_OQ); }
static inline vm visnan(vf a) { return _mm512_cmp_ps_mask(a, a, _CMP_UNORD_Q); }
static inline vm mand(vm a, vm b) { return (vm)(a & b); }
static inline vm mor(vm a, vm b) { return (vm)(a | b); }
static inline vm mandnot(vm a, vm b) { return (vm)(~a & b); }
static inline int many(vm a) { return a != 0; }
static inline vf vsel(vm m, vf a, vf b) { return _mm512_mask_blend_ps(m, b, a); }

static inline vi vasi(vf a) { return _mm512_castps_si512(a); }
static inline vf vasf(vi a) { return _mm512_castsi512_ps(a); }
static inline vi vidup(int a) { return _mm512_set1_epi32(a); }
static inline vi viadd(vi a, vi b) { return _mm512_add_epi32(a, b); }
static inline vi visub(vi a, vi b) { return _mm512_sub_epi32(a, b); }
static inline vi viand(vi a, vi b) { return _mm512_and_si512(a, b); }
#define vishl(a, s) _mm512_slli_epi32((a), (s))
#define visra(a, s) _mm512_srai_epi32((a), (s))
static inline vf vcvt_i2f(vi a) { return _mm512_cvtepi32_ps(a); }
static inline vi vcvtt_f2i(vf a) { return _mm512_cvttps_epi32(a); }

static inline vf vand(vf a, vf b) { return _mm512_and_ps(a, b); }
static inline vf vor(vf a, vf b) { return _mm512_or_ps(a, b); }
static inline vf vxor(vf a, vf b) { return _mm512_xor_ps(a, b); }

/*
 * AVX-512's own instructions, for the paths of math-body.h under
 * TN_M_AVX512_OPS; each gives the bits of the generic path it replaces
 * (math-body.h says why at each use), and tests/tn-math/emu16.c spells out
 * the same semantics in plain C.
 */
#define TN_M_AVX512_OPS 1
/*
 * a * b + c with one rounding (vfmadd): the bits of vadd(vmul(a, b), c)
 * wherever a * b is exact, which is the only use math-body.h makes of it;
 * with b = 1 it is an addition issued on the FMA units instead of the adder
 * (AMD Zen 4 has two of each), where the adder is the bottleneck.
 */
static inline vf vmuladd_exact(vf a, vf b, vf c) { return _mm512_fmadd_ps(a, b, c); }
/* a * 2^floor(k), rounded once (vscalefps) */
static inline vf vscalef(vf a, vf k) { return _mm512_scalef_ps(a, k); }
/* to the nearest integer, ties to even (vrndscaleps) */
static inline vf vround(vf a)
{
	return _mm512_roundscale_ps(a, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
}
/* floor(log2 |a|) as a float, subnormals included (vgetexpps) */
static inline vf vgetexp(vf a) { return _mm512_getexp_ps(a); }
/* |a| scaled by a power of 2 into [1, 2) (vgetmantps) */
static inline vf vgetmant12(vf a) { return _mm512_getmant_ps(a, _MM_MANT_NORM_1_2, _MM_MANT_SIGN_zero); }
/* -min(|a|, |b|) (vrangeps: absolute min, sign set); a quiet NaN a gives
 * -|b|, as minps would, a signaling one comes back quiet */
static inline vf vnegabs_min(vf a, vf b) { return _mm512_range_ps(a, b, 0x0e); }
/*
 * dst, or per the class of src (QNaN, SNaN, +-0, +1, -inf, +inf, < 0, > 0:
 * nibbles 0..7 of table) a fixed value (vfixupimmps; tokens in math-body.h)
 */
#define vfixup(dst, src, table) _mm512_fixupimm_ps((dst), (src), _mm512_set1_epi32(table), 0)
