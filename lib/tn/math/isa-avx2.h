/* The vector vocabulary of math-body.h for AVX2 + FMA (8 lanes). */
#pragma once

#include <immintrin.h>

#define TN_ISA avx2
#define W 8

typedef __m256 vf;
typedef __m256i vi;
typedef __m256 vm;

static inline vf vload(const float *p) { return _mm256_loadu_ps(p); }
static inline void vstore(float *p, vf v) { _mm256_storeu_ps(p, v); }
/* vload_part and vstore_part: the buffered ones of math-body.h */
#define TN_M_BUFFERED_TAIL 1
static inline void vstore_lanes(float *p, vf v) { _mm256_storeu_ps(p, v); }

static inline vf vdup(float a) { return _mm256_set1_ps(a); }
static inline vf vadd(vf a, vf b) { return _mm256_add_ps(a, b); }
static inline vf vsub(vf a, vf b) { return _mm256_sub_ps(a, b); }
static inline vf vmul(vf a, vf b) { return _mm256_mul_ps(a, b); }
static inline vf vdiv(vf a, vf b) { return _mm256_div_ps(a, b); }
static inline vf vsqrt(vf a) { return _mm256_sqrt_ps(a); }
static inline vf vmin(vf a, vf b) { return _mm256_min_ps(a, b); }
static inline vf vmax(vf a, vf b) { return _mm256_max_ps(a, b); }

static inline vm vlt(vf a, vf b) { return _mm256_cmp_ps(a, b, _CMP_LT_OQ); }
static inline vm vle(vf a, vf b) { return _mm256_cmp_ps(a, b, _CMP_LE_OQ); }
static inline vm vgt(vf a, vf b) { return _mm256_cmp_ps(a, b, _CMP_GT_OQ); }
static inline vm veq(vf a, vf b) { return _mm256_cmp_ps(a, b, _CMP_EQ_OQ); }
static inline vm visnan(vf a) { return _mm256_cmp_ps(a, a, _CMP_UNORD_Q); }
static inline vm mand(vm a, vm b) { return _mm256_and_ps(a, b); }
static inline vm mor(vm a, vm b) { return _mm256_or_ps(a, b); }
static inline vm mandnot(vm a, vm b) { return _mm256_andnot_ps(a, b); }
static inline int many(vm a) { return _mm256_movemask_ps(a) != 0; }
static inline vf vsel(vm m, vf a, vf b) { return _mm256_blendv_ps(b, a, m); }

static inline vi vasi(vf a) { return _mm256_castps_si256(a); }
static inline vf vasf(vi a) { return _mm256_castsi256_ps(a); }
static inline vi vidup(int a) { return _mm256_set1_epi32(a); }
static inline vi viadd(vi a, vi b) { return _mm256_add_epi32(a, b); }
static inline vi visub(vi a, vi b) { return _mm256_sub_epi32(a, b); }
static inline vi viand(vi a, vi b) { return _mm256_and_si256(a, b); }
#define vishl(a, s) _mm256_slli_epi32((a), (s))
#define visra(a, s) _mm256_srai_epi32((a), (s))
static inline vf vcvt_i2f(vi a) { return _mm256_cvtepi32_ps(a); }
static inline vi vcvtt_f2i(vf a) { return _mm256_cvttps_epi32(a); }

static inline vf vand(vf a, vf b) { return _mm256_and_ps(a, b); }
static inline vf vor(vf a, vf b) { return _mm256_or_ps(a, b); }
static inline vf vxor(vf a, vf b) { return _mm256_xor_ps(a, b); }
