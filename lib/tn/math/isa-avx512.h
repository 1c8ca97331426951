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
