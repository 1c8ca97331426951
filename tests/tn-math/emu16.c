/*
 * math-body.h compiled over a plain-C 16-lane vocabulary with the x86
 * rules (minps/maxps operand order, cvttps2dq's INT32_MIN): the AVX-512
 * kernels' 16-wide logic (tails of 1..15 lanes, one 16-lane accumulator)
 * runs on any CPU, and must give the scalar backend's bits.  Only the
 * intrinsic spelling of isa-avx512.h is left to a CPU that has AVX-512.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "math-kernels.h"

#define TN_ISA emu16
#define W 16
#define TN_M_BUFFERED_TAIL 1

TN_MATH_DECLARE_(emu16)

typedef struct { float v[W]; } vf;
typedef struct { int32_t v[W]; } vi;
typedef struct { int v[W]; } vm;

#define LANES_F(expr) vf r; for (int i = 0; i < W; i++) r.v[i] = (expr); return r
#define LANES_I(expr) vi r; for (int i = 0; i < W; i++) r.v[i] = (expr); return r
#define LANES_M(expr) vm r; for (int i = 0; i < W; i++) r.v[i] = (expr); return r

static inline vf vload(const float *p) { vf r; memcpy(r.v, p, sizeof(r.v)); return r; }
static inline void vstore(float *p, vf v) { memcpy(p, v.v, sizeof(v.v)); }
static inline void vstore_lanes(float *p, vf v) { vstore(p, v); }
static inline vf vdup(float a) { LANES_F(a); }
static inline vf vadd(vf a, vf b) { LANES_F(a.v[i] + b.v[i]); }
static inline vf vsub(vf a, vf b) { LANES_F(a.v[i] - b.v[i]); }
static inline vf vmul(vf a, vf b) { LANES_F(a.v[i] * b.v[i]); }
static inline vf vdiv(vf a, vf b) { LANES_F(a.v[i] / b.v[i]); }
static inline vf vsqrt(vf a) { LANES_F(__builtin_sqrtf(a.v[i])); }
static inline vf vmin(vf a, vf b) { LANES_F(a.v[i] < b.v[i] ? a.v[i] : b.v[i]); }
static inline vf vmax(vf a, vf b) { LANES_F(a.v[i] > b.v[i] ? a.v[i] : b.v[i]); }
static inline vm vlt(vf a, vf b) { LANES_M(a.v[i] < b.v[i]); }
static inline vm vle(vf a, vf b) { LANES_M(a.v[i] <= b.v[i]); }
static inline vm vgt(vf a, vf b) { LANES_M(a.v[i] > b.v[i]); }
static inline vm veq(vf a, vf b) { LANES_M(a.v[i] == b.v[i]); }
static inline vm visnan(vf a) { LANES_M(a.v[i] != a.v[i]); }
static inline vm mand(vm a, vm b) { LANES_M(a.v[i] & b.v[i]); }
static inline vm mor(vm a, vm b) { LANES_M(a.v[i] | b.v[i]); }
static inline vm mandnot(vm a, vm b) { LANES_M((!a.v[i]) & b.v[i]); }
static inline int many(vm a) { int r = 0; for (int i = 0; i < W; i++) r |= a.v[i]; return r; }
static inline vf vsel(vm m, vf a, vf b) { LANES_F(m.v[i] ? a.v[i] : b.v[i]); }
static inline vi vasi(vf a) { vi r; memcpy(r.v, a.v, sizeof(r.v)); return r; }
static inline vf vasf(vi a) { vf r; memcpy(r.v, a.v, sizeof(r.v)); return r; }
static inline vi vidup(int32_t a) { LANES_I(a); }
static inline vi viadd(vi a, vi b) { LANES_I((int32_t)((uint32_t)a.v[i] + (uint32_t)b.v[i])); }
static inline vi visub(vi a, vi b) { LANES_I((int32_t)((uint32_t)a.v[i] - (uint32_t)b.v[i])); }
static inline vi viand(vi a, vi b) { LANES_I(a.v[i] & b.v[i]); }
static inline vi vishl_(vi a, int s) { LANES_I((int32_t)((uint32_t)a.v[i] << s)); }
static inline vi visra_(vi a, int s) { LANES_I(a.v[i] >> s); }
#define vishl(a, s) vishl_((a), (s))
#define visra(a, s) visra_((a), (s))
static inline vf vcvt_i2f(vi a) { LANES_F((float)a.v[i]); }
static inline vi vcvtt_f2i(vf a)
{
	LANES_I(a.v[i] > -0x1p31f && a.v[i] < 0x1p31f ? (int32_t)a.v[i] : INT32_MIN);
}
static inline vf vand(vf a, vf b) { return vasf(viand(vasi(a), vasi(b))); }
static inline vf vor(vf a, vf b) { vi x = vasi(a), y = vasi(b); for (int i = 0; i < W; i++) x.v[i] |= y.v[i]; return vasf(x); }
static inline vf vxor(vf a, vf b) { vi x = vasi(a), y = vasi(b); for (int i = 0; i < W; i++) x.v[i] ^= y.v[i]; return vasf(x); }

#include "math-body.h"
