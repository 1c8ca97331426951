/*
 * math-body.h compiled over a plain-C 16-lane vocabulary with the x86
 * rules (minps/maxps operand order, cvttps2dq's INT32_MIN) and the
 * AVX-512 instructions isa-avx512.h uses, written out from their
 * definitions (Intel SDM): masked loads and stores of the first k lanes
 * (lanes past k are neither read nor written), vscalefps, vrndscaleps,
 * vgetexpps, vgetmantps, vrangeps and vfixupimmps.  So the AVX-512
 * kernels' 16-wide logic (masked tails of 1..15 lanes, one 16-lane
 * accumulator, the TN_M_AVX512_OPS paths) runs on any CPU, and must give
 * the scalar backend's bits.  Only the intrinsic spelling of isa-avx512.h
 * is left to a CPU that has AVX-512.
 */
#include <float.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "math-kernels.h"

#define TN_ISA emu16
#define W 16
#define TN_M_AVX512_OPS 1

TN_MATH_DECLARE_(emu16)

typedef struct { float v[W]; } vf;
typedef struct { int32_t v[W]; } vi;
typedef struct { int v[W]; } vm;

#define LANES_F(expr) vf r; for (int i = 0; i < W; i++) r.v[i] = (expr); return r
#define LANES_I(expr) vi r; for (int i = 0; i < W; i++) r.v[i] = (expr); return r
#define LANES_M(expr) vm r; for (int i = 0; i < W; i++) r.v[i] = (expr); return r

static inline vf vload(const float *p) { vf r; memcpy(r.v, p, sizeof(r.v)); return r; }
static inline void vstore(float *p, vf v) { memcpy(p, v.v, sizeof(v.v)); }
/* vmaskmov with the first k lanes set: lanes k.. are fill, p[k..] not read */
static inline vf vload_part(const float *p, size_t k, float fill)
{
	LANES_F((size_t)i < k ? p[i] : fill);
}
/* lanes k.. are not written */
static inline void vstore_part(float *p, size_t k, vf v)
{
	for (size_t i = 0; i < k; i++)
		p[i] = v.v[i];
}
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

/* ---- The AVX-512 instructions of isa-avx512.h, lane by lane ---- */

static inline uint32_t bits_(float a) { uint32_t u; memcpy(&u, &a, sizeof(u)); return u; }
static inline float float_(uint32_t u) { float a; memcpy(&a, &u, sizeof(a)); return a; }
/* a NaN made quiet, payload and sign kept */
static inline float quiet_(float a) { return float_(bits_(a) | 0x00400000u); }
#define NAN_INDEFINITE_ float_(0xffc00000u)

/* vscalefps: a * 2^floor(k), one rounding (in double the product is exact) */
static inline float scalef_(float a, float k)
{
	if (isnan(a))
		return quiet_(a);
	if (isnan(k))
		return quiet_(k);
	if (isinf(k)) {
		if ((k > 0 && a == 0.0f) || (k < 0 && isinf(a)))
			return NAN_INDEFINITE_;
		return k > 0 ? copysignf(INFINITY, a) : copysignf(0.0f, a);
	}
	k = floorf(k);
	k = k < -400.0f ? -400.0f : k > 400.0f ? 400.0f : k;
	return (float)ldexp((double)a, (int)k);
}
static inline vf vscalef(vf a, vf k) { LANES_F(scalef_(a.v[i], k.v[i])); }

/* vfmadd: one rounding (fmaf), so a product that is not exact shows */
static inline vf vmuladd_exact(vf a, vf b, vf c) { LANES_F(fmaf(a.v[i], b.v[i], c.v[i])); }

/* vrndscaleps, imm 0 (round to nearest even) */
static inline float round_(float a) { return isnan(a) ? quiet_(a) : rintf(a); }
static inline vf vround(vf a) { LANES_F(round_(a.v[i])); }

/* vgetexpps: floor(log2 |a|) as a float; -inf for 0, +inf for inf */
static inline float getexp_(float a)
{
	if (isnan(a))
		return quiet_(a);
	if (a == 0.0f)
		return -INFINITY;
	if (isinf(a))
		return INFINITY;
	return (float)ilogbf(a);
}
static inline vf vgetexp(vf a) { LANES_F(getexp_(a.v[i])); }

/* vgetmantps, interval [1, 2), sign cleared: |a| 2^-getexp(a); 0 and inf
 * give 1 (the callers replace what follows from them) */
static inline float getmant_(float a)
{
	if (isnan(a))
		return quiet_(a);
	a = fabsf(a);
	if (a == 0.0f || isinf(a))
		return 1.0f;
	return ldexpf(a, -ilogbf(a));
}
static inline vf vgetmant12(vf a) { LANES_F(getmant_(a.v[i])); }

/*
 * vrangeps imm 0x0e (absolute minimum, sign set): a signaling NaN comes
 * back quiet, but a quiet NaN loses to a number, as in minps: -|b| for a
 * quiet NaN a.
 */
static inline int is_snan_(float a) { return isnan(a) && !(bits_(a) & 0x00400000u); }
static inline float negabs_min_(float a, float b)
{
	if (is_snan_(a) || (isnan(a) && isnan(b)))
		return quiet_(a);
	if (is_snan_(b))
		return quiet_(b);
	if (isnan(a))
		return -fabsf(b);
	if (isnan(b))
		return -fabsf(a);
	return -(fabsf(a) < fabsf(b) ? fabsf(a) : fabsf(b));
}
static inline vf vnegabs_min(vf a, vf b) { LANES_F(negabs_min_(a.v[i], b.v[i])); }

/* vfixupimmps, imm 0 (no exception reporting), no DAZ */
static inline float fixup_(float dst, float src, uint32_t table)
{
	uint32_t u = bits_(src);
	int j;

	if (isnan(src))
		j = (u & 0x00400000u) ? 0 : 1;
	else if (src == 0.0f)
		j = 2;
	else if (src == 1.0f)
		j = 3;
	else if (isinf(src))
		j = src < 0 ? 4 : 5;
	else
		j = src < 0 ? 6 : 7;
	switch ((table >> (4 * j)) & 0xf) {
	case 0x0: return dst;
	case 0x1: return src;
	case 0x2: return isnan(src) ? quiet_(src) : float_(0x7fc00000u | (u & 0x80000000u));
	case 0x3: return NAN_INDEFINITE_;
	case 0x4: return -INFINITY;
	case 0x5: return INFINITY;
	case 0x6: return signbit(src) ? -INFINITY : INFINITY;
	case 0x7: return -0.0f;
	case 0x8: return 0.0f;
	case 0x9: return -1.0f;
	case 0xa: return 1.0f;
	case 0xb: return 0.5f;
	case 0xc: return 90.0f;
	case 0xd: return (float)M_PI_2;
	case 0xe: return FLT_MAX;
	default: return -FLT_MAX;
	}
}
static inline vf vfixup_(vf dst, vf src, int table) { LANES_F(fixup_(dst.v[i], src.v[i], (uint32_t)table)); }
#define vfixup(dst, src, table) vfixup_((dst), (src), (table))

#include "math-body.h"

#include "emu16-ops.h"

#define EMU16_OP_FN emu16_op
#include "emu16-op-body.h"

/*
 * math-body.h writes its double-derived constants as the float literals
 * they round to (OpenCL C, which compiles it too, may lack double): each
 * must still be that rounding.
 */
bool emu16_constants_ok(void)
{
	const double a = 1.5957691216057308, b = 0.07135481627260025;

	return LN2_LO == (float)(0x1.62e42fefa39efp-1 - LN2_HI) &&
	       LOG2E_LO == (float)(0x1.71547652b82fep+0 - LOG2E_HI) &&
	       LOG10E_LO == (float)(0x1.bcb7b1526e50ep-2 - LOG10E_HI) &&
	       LOG10_2_LO == (float)(0x1.34413509f79ffp-2 - LOG10_2_HI) &&
	       SELU_LA == (float)(1.0507009873554804934 * 1.6732632423543772848) &&
	       GT_A == (float)a && GT_A_LO == (float)(a - (double)GT_A) &&
	       GT_B == (float)b && GT_B_LO == (float)(b - (double)GT_B);
}
