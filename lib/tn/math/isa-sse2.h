/* The vector vocabulary of math-body.h for SSE2 (4 lanes; nothing beyond SSE2). */
#pragma once

#include <emmintrin.h>

#define TN_ISA sse2
#define W 4

typedef __m128 vf;
typedef __m128i vi;
typedef __m128 vm;

static inline vf vload(const float *p) { return _mm_loadu_ps(p); }
static inline void vstore(float *p, vf v) { _mm_storeu_ps(p, v); }
/* vload_part and vstore_part: the buffered ones of math-body.h */
#define TN_M_BUFFERED_TAIL 1
static inline void vstore_lanes(float *p, vf v) { _mm_storeu_ps(p, v); }

static inline vf vdup(float a) { return _mm_set1_ps(a); }
static inline vf vadd(vf a, vf b) { return _mm_add_ps(a, b); }
static inline vf vsub(vf a, vf b) { return _mm_sub_ps(a, b); }
static inline vf vmul(vf a, vf b) { return _mm_mul_ps(a, b); }
static inline vf vdiv(vf a, vf b) { return _mm_div_ps(a, b); }
static inline vf vsqrt(vf a) { return _mm_sqrt_ps(a); }
static inline vf vmin(vf a, vf b) { return _mm_min_ps(a, b); }
static inline vf vmax(vf a, vf b) { return _mm_max_ps(a, b); }

static inline vm vlt(vf a, vf b) { return _mm_cmplt_ps(a, b); }
static inline vm vle(vf a, vf b) { return _mm_cmple_ps(a, b); }
static inline vm vgt(vf a, vf b) { return _mm_cmpgt_ps(a, b); }
static inline vm veq(vf a, vf b) { return _mm_cmpeq_ps(a, b); }
static inline vm visnan(vf a) { return _mm_cmpunord_ps(a, a); }
static inline vm mand(vm a, vm b) { return _mm_and_ps(a, b); }
static inline vm mor(vm a, vm b) { return _mm_or_ps(a, b); }
static inline vm mandnot(vm a, vm b) { return _mm_andnot_ps(a, b); }
static inline int many(vm a) { return _mm_movemask_ps(a) != 0; }
static inline vf vsel(vm m, vf a, vf b) { return _mm_or_ps(_mm_and_ps(m, a), _mm_andnot_ps(m, b)); }

static inline vi vasi(vf a) { return _mm_castps_si128(a); }
static inline vf vasf(vi a) { return _mm_castsi128_ps(a); }
static inline vi vidup(int a) { return _mm_set1_epi32(a); }
static inline vi viadd(vi a, vi b) { return _mm_add_epi32(a, b); }
static inline vi visub(vi a, vi b) { return _mm_sub_epi32(a, b); }
static inline vi viand(vi a, vi b) { return _mm_and_si128(a, b); }
#define vishl(a, s) _mm_slli_epi32((a), (s))
#define visra(a, s) _mm_srai_epi32((a), (s))
static inline vf vcvt_i2f(vi a) { return _mm_cvtepi32_ps(a); }
static inline vi vcvtt_f2i(vf a) { return _mm_cvttps_epi32(a); }

static inline vf vand(vf a, vf b) { return _mm_and_ps(a, b); }
static inline vf vor(vf a, vf b) { return _mm_or_ps(a, b); }
static inline vf vxor(vf a, vf b) { return _mm_xor_ps(a, b); }
