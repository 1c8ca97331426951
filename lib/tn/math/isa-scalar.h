/* The vector vocabulary of math-body.h for one lane of plain C (the scalar backend). */
/* Also the OpenCL backend's (lib/tn/opencl/isa-opencl.h, ahead of it, gives
 * what __OPENCL_VERSION__ leaves out). */
#ifndef __OPENCL_VERSION__
#pragma once

#include <stdint.h>
#include <string.h>
#endif

#define TN_ISA scalar
#define W 1

typedef float vf;
typedef int32_t vi;
typedef int vm;

static inline vf vload(const float *p) { return *p; }
static inline void vstore(float *p, vf v) { *p = v; }
/* vload_part and vstore_part: the buffered ones of math-body.h (unused at W = 1) */
#define TN_M_BUFFERED_TAIL 1
static inline void vstore_lanes(float *p, vf v) { *p = v; }

static inline vf vdup(float a) { return a; }
static inline vf vadd(vf a, vf b) { return a + b; }
static inline vf vsub(vf a, vf b) { return a - b; }
static inline vf vmul(vf a, vf b) { return a * b; }
static inline vf vdiv(vf a, vf b) { return a / b; }
#ifndef __OPENCL_VERSION__
static inline vf vsqrt(vf a) { return __builtin_sqrtf(a); }
#endif
/* The x86 minps/maxps rule: the second operand unless the comparison holds. */
static inline vf vmin(vf a, vf b) { return a < b ? a : b; }
static inline vf vmax(vf a, vf b) { return a > b ? a : b; }

static inline vm vlt(vf a, vf b) { return a < b; }
static inline vm vle(vf a, vf b) { return a <= b; }
static inline vm vgt(vf a, vf b) { return a > b; }
static inline vm veq(vf a, vf b) { return a == b; }
static inline vm visnan(vf a) { return a != a; }
static inline vm mand(vm a, vm b) { return a & b; }
static inline vm mor(vm a, vm b) { return a | b; }
static inline vm mandnot(vm a, vm b) { return (!a) & b; }
static inline int many(vm a) { return a; }
static inline vf vsel(vm m, vf a, vf b) { return m ? a : b; }

#ifndef __OPENCL_VERSION__
static inline vi vasi(vf a) { vi i; memcpy(&i, &a, sizeof(i)); return i; }
static inline vf vasf(vi a) { vf f; memcpy(&f, &a, sizeof(f)); return f; }
#endif
static inline vi vidup(int32_t a) { return a; }
static inline vi viadd(vi a, vi b) { return (vi)((uint32_t)a + (uint32_t)b); }
static inline vi visub(vi a, vi b) { return (vi)((uint32_t)a - (uint32_t)b); }
static inline vi viand(vi a, vi b) { return a & b; }
#define vishl(a, s) ((vi)((uint32_t)(a) << (s)))
#define visra(a, s) ((vi)((a) >> (s)))
static inline vf vcvt_i2f(vi a) { return (vf)a; }
/* Truncation toward zero; NaN and out-of-range give INT32_MIN, as cvttps2dq. */
static inline vi vcvtt_f2i(vf a)
{
	return a > -0x1p31f && a < 0x1p31f ? (vi)a : INT32_MIN;
}

static inline vf vand(vf a, vf b) { return vasf(vasi(a) & vasi(b)); }
static inline vf vor(vf a, vf b) { return vasf(vasi(a) | vasi(b)); }
static inline vf vxor(vf a, vf b) { return vasf(vasi(a) ^ vasi(b)); }
