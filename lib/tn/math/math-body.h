/*
 * The math kernels, written once over the small vector vocabulary of an
 * isa-*.h header (vf, vi, vm, W, vadd, vsel, ...) and compiled once per
 * instruction set by math-<isa>.c.
 *
 * Why every backend gives the same bits: the algorithms use only operations
 * that IEEE 754 defines exactly (add, sub, mul, div, sqrt, compares, integer
 * and bit operations, float<->int conversion of small integers) in one fixed
 * order.  Nothing is fused (SSE2 has no FMA; the build is ISO C17, so the
 * compiler does not contract a*b+c either), and the sums inside softmax,
 * log_softmax and layer_norm run over 16 fixed lanes (element i goes to lane
 * i mod 16) combined by one fixed tree, whatever the vector width.  The tail
 * of a vector goes through the same function as its body, padded to a full
 * vector.  tests/tn-math checks the equality bit for bit.
 *
 * Under TN_M_AVX512_OPS (isa-avx512.h, and the emulation of
 * tests/tn-math/emu16.c) a few steps use AVX-512's own instructions:
 * vscalefps for 2^k, vrndscaleps for round-to-nearest, vgetexpps and
 * vgetmantps to split a logarithm's argument, vrangeps for -min(|x|, c),
 * vfixupimmps for special values.  Each gives exactly the bits of the
 * generic steps it replaces, over the inputs it gets; the comment at each
 * use says why.
 *
 * The OpenCL backend compiles the element functions of this file too, as
 * OpenCL C over isa-scalar.h (lib/tn/opencl/isa-opencl.h and embed.py put
 * them ahead of kernels.cl at build time): __OPENCL_VERSION__ leaves out
 * the includes and the array kernels, and every constant is a float
 * literal (OpenCL C may lack double).
 */
#ifndef __OPENCL_VERSION__
#include <float.h>
#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "math-kernels.h"
#endif

#define TN_M_CAT_(op, isa) tn__m_##op##_##isa
#define TN_M_CAT(op, isa) TN_M_CAT_(op, isa)
#define K(op) TN_M_CAT(op, TN_ISA)

#define C(x) vdup(x)

#ifndef TN_M_AVX512_OPS
#define TN_M_AVX512_OPS 0
#endif

/*
 * The element functions of the kernels: inlined into both the loop and the
 * tail (GCC would call them, reloading their constants for every vector).
 */
#define TN_M_KERNEL static inline __attribute__((always_inline))
/* A table of constants (OpenCL C wants them in its __constant space). */
#ifndef TN_M_TABLE
#define TN_M_TABLE static const
#endif

#if !TN_M_AVX512_OPS
/* a * b + c for an exact a * b: the same bits fused or not */
static inline vf vmuladd_exact(vf a, vf b, vf c) { return vadd(vmul(a, b), c); }
#endif
/* a + b, on AVX-512 as a * 1 + b on the FMA units (see isa-avx512.h) */
static inline vf vadd_f(vf a, vf b) { return vmuladd_exact(a, C(1.0f), b); }

#if TN_M_AVX512_OPS
/*
 * vfixup tables: nibble j (bits 4j..4j+3) answers for the class j of the
 * source: 0 QNaN, 1 SNaN, 2 +-0, 3 +1, 4 -inf, 5 +inf, 6 other negative,
 * 7 other positive; the token says what to return: 0 the destination
 * unchanged, 2 the source made quiet, 3 the default NaN, 4 -inf, 5 +inf,
 * 0xa +1.
 */
#define FIX_(q, s, z, one, ninf, pinf, neg, pos) \
	((int)(((unsigned)(pos) << 28) | ((unsigned)(neg) << 24) | ((pinf) << 20) | \
	       ((ninf) << 16) | ((one) << 12) | ((z) << 8) | ((s) << 4) | (q)))
#define TOK_DEST 0x0
#define TOK_QNAN_SRC 0x2
#define TOK_NAN 0x3
#define TOK_NINF 0x4
#define TOK_PINF 0x5
#define TOK_ONE 0xa
#endif

#if TN_M_BUFFERED_TAIL && !defined(__OPENCL_VERSION__)
/* The first k (< W) elements of p, the other lanes set to fill. */
static inline vf vload_part(const float *p, size_t k, float fill)
{
	float b[W];

	for (size_t i = 0; i < W; i++)
		b[i] = i < k ? p[i] : fill;
	return vload(b);
}

/* The first k lanes of v to p. */
static inline void vstore_part(float *p, size_t k, vf v)
{
	float b[W];

	vstore(b, v);
	memcpy(p, b, k * sizeof(float));
}
#endif

static inline vf v_abs(vf x)
{
	return vand(x, vasf(vidup(0x7fffffff)));
}

static inline vf v_negabs(vf x)
{
	return vor(x, C(-0.0f));
}

/* ---- Constants ---------------------------------------------------------- */

/* 1.5 * 2^23: adding it rounds a float of magnitude < 2^22 to an integer. */
#define MAGIC 0x1.8p23f
#define LOG2E 0x1.715476p+0f
/* ln 2 in two parts; LN2_HI has 13 significant bits, so k * LN2_HI is exact
 * for |k| < 2^11. */
#define LN2_HI 0x1.62ep-1f
#define LN2_LO 0x1.0bfbe8p-15f      /* (float)(0x1.62e42fefa39efp-1 - LN2_HI) */
/* log2(e), log10(e), log10(2) split the same way (hi parts of at most 12
 * significant bits, so that a 12-bit hi times them is exact). */
#define LOG2E_HI 0x1.714p+0f
#define LOG2E_LO 0x1.47652cp-12f    /* (float)(0x1.71547652b82fep+0 - LOG2E_HI) */
#define LOG10E_HI 0x1.bcap-2f
#define LOG10E_LO 0x1.7b1526p-14f   /* (float)(0x1.bcb7b1526e50ep-2 - LOG10E_HI) */
#define LOG10_2_HI 0x1.344p-2f
#define LOG10_2_LO 0x1.3509f8p-18f  /* (float)(0x1.34413509f79ffp-2 - LOG10_2_HI) */

/* ---- exp ---------------------------------------------------------------- */

/*
 * e^(x + xl) as m * s1 * s2: m in [0.70, 1.42] and two powers of two, so a
 * caller can multiply by a factor before the scaling that may round into
 * the subnormal range (x * e^y for tiny results loses nothing then).
 * x must lie in [-150, 89] (callers clamp), xl is a small correction.
 *
 * k = round(x log2 e); r = x - k ln2 in two steps (Cody-Waite; the first is
 * exact); e^r = 1 + r + r^2 P(r), P of degree 4 fitted (Chebyshev) to
 * (e^r - 1 - r) / r^2 on [-0.354, 0.354] with error 7.2e-8; e^x = 2^k e^r
 * with 2^k applied as two factors 2^(k>>1), 2^(k-(k>>1)), each a normal
 * float for k in [-217, 128], so overflow gives inf and underflow rounds
 * once into subnormals or to 0.
 *
 * AVX-512: k = vrndscaleps(x log2 e), the same integer as the 1.5 * 2^23
 * addition (|x log2 e| < 2^22, both round to nearest even), and v 2^k is
 * one vscalefps: the same bits as the two factors whenever v 2^(k>>1) is
 * exact (a normal float), because the second factor then rounds the exact
 * v 2^k once, as vscalefps does.  That holds for m (>= 0.70, k >= -217)
 * and for every product a m that ex_mul gets (each caller says why).
 */
struct ex {
	vf m, s1, s2;
	vf q;           /* e^r - 1 */
	vf kf;          /* k as a float */
	vi k;
};

static inline vf pow2i(vi k)
{
	return vasf(vishl(viadd(k, vidup(127)), 23));
}

static inline vf exp_pcoef(vf r)
{
	vf p = C(0x1.6d1b1cp-10f);

	p = vadd(vmul(p, r), C(0x1.121582p-7f));
	p = vadd(vmul(p, r), C(0x1.555514p-5f));
	p = vadd(vmul(p, r), C(0x1.5554d4p-3f));
	return vadd(vmul(p, r), C(0x1p-1f));
}

/* e^r - 1 */
static inline vf exp_poly(vf r)
{
	return vadd(r, vmul(vmul(r, r), exp_pcoef(r)));
}

static inline struct ex exp_parts(vf x, vf xl, bool has_xl)
{
	struct ex e;
#if TN_M_AVX512_OPS
	vf kf = vround(vmul(x, C(LOG2E)));
#else
	vf t = vadd(vmul(x, C(LOG2E)), C(MAGIC));
	vf kf = vsub(t, C(MAGIC));
#endif
	/* k LN2_HI is exact */
	vf r = vsub(vmuladd_exact(kf, C(-LN2_HI), x), vmul(kf, C(LN2_LO)));

	if (has_xl)
		r = vadd(r, xl);
	e.kf = kf;
	e.q = exp_poly(r);
	{
		/* 1 + r + r^2 P as (1 + r) + (its rounding error + r^2 P): the
		 * large part rounds once, which keeps e^r within 1 ulp */
		vf h = vadd(C(1.0f), r);
		vf l = vadd(vsub(C(1.0f), h), r);

		e.m = vadd(h, vadd(l, vmul(vmul(r, r), exp_pcoef(r))));
	}
#if TN_M_AVX512_OPS
	e.k = vidup(0);
	e.s1 = e.s2 = C(1.0f);
#else
	{
		vi k1;

		e.k = visub(vasi(t), vasi(C(MAGIC)));
		k1 = visra(e.k, 1);
		e.s1 = pow2i(k1);
		e.s2 = pow2i(visub(e.k, k1));
	}
#endif
	return e;
}

/* v 2^k: v 2^(k>>1) (exact for the v of the callers), then 2^(k-(k>>1)). */
static inline vf ex_scale(struct ex e, vf v)
{
#if TN_M_AVX512_OPS
	return vscalef(v, e.kf);
#else
	return vmul(vmul(v, e.s1), e.s2);
#endif
}

static inline vf ex_val(struct ex e)
{
	return ex_scale(e, e.m);
}

/* a * e^x with one rounding before the final scaling. */
static inline vf ex_mul(struct ex e, vf a)
{
	return ex_scale(e, vmul(a, e.m));
}

/* Into [-150, 89]; NaN passes through (the constant is the first operand). */
static inline vf clamp_exp_arg(vf x)
{
	return vmin(C(89.0f), vmax(C(-150.0f), x));
}

/* clamp_exp_arg(-|x|) = max(-150, -|x|); for NaN x a NaN, or (AVX-512) -150:
 * callers put the NaN back with keep_nan. */
static inline vf clamp_exp_negabs(vf x)
{
#if TN_M_AVX512_OPS
	return vnegabs_min(x, C(150.0f));
#else
	return clamp_exp_arg(v_negabs(x));
#endif
}

/* A quiet NaN where x is NaN (x + x: x made quiet), else y. */
static inline vf keep_nan(vf x, vf y)
{
#if TN_M_AVX512_OPS
	return vfixup(y, x, FIX_(TOK_QNAN_SRC, TOK_QNAN_SRC, TOK_DEST, TOK_DEST, TOK_DEST,
				 TOK_DEST, TOK_DEST, TOK_DEST));
#else
	return vsel(visnan(x), vadd(x, x), y);
#endif
}

/* NaN flows through the arithmetic: exp(NaN) is NaN. */
TN_M_KERNEL vf v_exp(vf x)
{
	return ex_val(exp_parts(clamp_exp_arg(x), x, false));
}

/*
 * e^x - 1 for x <= 0 (callers clamp to [-30, 0]): with k = 0 it is the
 * polynomial's q itself (so expm1(tiny) = tiny and expm1(-0) = -0), else
 * 2^k q + (2^k - 1), both parts exact but the last addition.
 */
static inline vf v_expm1_neg(vf x)
{
	struct ex e = exp_parts(x, x, false);
	/* 2^k, k in [-44, 0]: exact either way */
#if TN_M_AVX512_OPS
	vf s = vscalef(C(1.0f), e.kf);
#else
	vf s = pow2i(e.k);
#endif
	vf big = vadd(vmul(s, e.q), vsub(s, C(1.0f)));

	return vsel(veq(s, C(1.0f)), e.q, big);
}

/* ---- log ---------------------------------------------------------------- */

/*
 * x = 2^k m with m in [sqrt(1/2), sqrt(2)), f = m - 1 (exact), s = f/(2+f):
 * log(1+f) = 2 atanh(s) = f - f^2/2 + s (f^2/2 + R), R = z P(z), z = s^2,
 * P of degree 3 fitted to (2 atanh(s) - 2s) / s^3 on [0, 0.030] (error
 * 1.2e-9).  log(1+f) comes back as hi + lo, hi holding 12 significant bits,
 * so hi times a 12-bit constant is exact.  Valid for finite x > 0
 * (subnormals are scaled by 2^23 first); callers patch the rest.
 *
 * AVX-512: m and k from vgetmantps (into [1, 2)) and vgetexpps, halving m
 * and adding 1 to k where m >= sqrt 2 (as float: 0x1.6a09e6p0, the bits
 * 0x3fb504f3 of the integer split): the same m and k for every finite
 * x > 0, subnormals included, with no scaling.
 */
struct lg {
	vf hi, lo, k;
};

static inline void split12(vf a, vf *hi, vf *lo);

static inline struct lg log_parts(vf x, bool precise)
{
	struct lg l;
#if TN_M_AVX512_OPS
	vf m1 = vgetmant12(x), e1 = vgetexp(x);
	vm up = vle(C(0x1.6a09e6p0f), m1);
	vf m = vsel(up, vmul(m1, C(0.5f)), m1);
#else
	vm sub = vlt(x, C(0x1p-126f));
	vf xs = vsel(sub, vmul(x, C(0x1p23f)), x);
	vi ix = visub(vasi(xs), vidup(0x3f3504f3));
	vf m = vasf(viadd(viand(ix, vidup(0x007fffff)), vidup(0x3f3504f3)));
#endif
	vf f = vsub(m, C(1.0f));
	vf s = vdiv(f, vadd(C(2.0f), f));
	vf z = vmul(s, s);
	vf p = C(0x1.de4738p-3f);
	vf hfsq = vmul(C(0.5f), vmul(f, f));
	vf hi;

	p = vadd(vmul(p, z), C(0x1.245a08p-2f));
	p = vadd(vmul(p, z), C(0x1.9999f0p-2f));
	p = vadd(vmul(p, z), C(0x1.555556p-1f));
	p = vmul(p, z);
	hi = vand(vsub(f, hfsq), vasf(vidup((int32_t)0xfffff000)));
	l.hi = hi;
	if (precise) {
		/* f^2/2 exactly as hh + hl: pow needs log2 to ~2^-32 */
		vf fh, fl, hh, hl;

		split12(f, &fh, &fl);
		hh = vmul(C(0.5f), vmul(fh, fh));
		hl = vmul(C(0.5f), vadd(vmul(vmul(fh, fl), C(2.0f)), vmul(fl, fl)));
		l.lo = vadd(vsub(vsub(vsub(f, hi), hh), hl), vmul(s, vadd(hfsq, p)));
	} else {
		l.lo = vadd(vsub(vsub(f, hi), hfsq), vmul(s, vadd(hfsq, p)));
	}
#if TN_M_AVX512_OPS
	l.k = vsel(up, vadd(e1, C(1.0f)), e1);
#else
	l.k = vsub(vcvt_i2f(visra(ix, 23)), vsel(sub, C(23.0f), C(0.0f)));
#endif
	return l;
}

/* log_b(x) = k yh + k yl + (hi + lo)(dh + dl), summed hi part first. */
static inline vf log_combine(struct lg l, float yh, float yl, float dh, float dl,
			     vf *ret_lo)
{
	vf h = vmul(l.k, C(yh));
	vf vh = dh == 1.0f ? l.hi : vmul(l.hi, C(dh));
	vf vl = dh == 1.0f ? l.lo : vadd(vmul(vadd(l.lo, l.hi), C(dl)), vmul(l.lo, C(dh)));
	vf w = vadd(h, vh);
	vf lo = vadd(vadd(vsub(h, w), vh), vadd(vl, vmul(l.k, C(yl))));

	if (ret_lo) {
		vf r = vadd(w, lo);

		*ret_lo = vsub(lo, vsub(r, w));
		return r;
	}
	return vadd(w, lo);
}

/* log(0) = -inf, log(x < 0) = NaN, log(inf) = inf, log(NaN) = NaN. */
static inline vf log_special(vf x, vf r)
{
#if TN_M_AVX512_OPS
	/* the default NaN for x < 0 (NaN payloads aside, the same) */
	return vfixup(r, x, FIX_(TOK_QNAN_SRC, TOK_QNAN_SRC, TOK_NINF, TOK_DEST, TOK_NAN,
				 TOK_PINF, TOK_NAN, TOK_DEST));
#else
	r = vsel(veq(x, C(0.0f)), C(-INFINITY), r);
	r = vsel(vlt(x, C(0.0f)), C(NAN), r);
	r = vsel(veq(x, C(INFINITY)), x, r);
	return keep_nan(x, r);
#endif
}

TN_M_KERNEL vf v_log(vf x)
{
	return log_special(x, log_combine(log_parts(x, false), LN2_HI, LN2_LO, 1.0f, 0.0f, NULL));
}

TN_M_KERNEL vf v_log2(vf x)
{
	return log_special(x, log_combine(log_parts(x, false), 1.0f, 0.0f, LOG2E_HI, LOG2E_LO, NULL));
}

TN_M_KERNEL vf v_log10(vf x)
{
	return log_special(x, log_combine(log_parts(x, false), LOG10_2_HI, LOG10_2_LO,
					  LOG10E_HI, LOG10E_LO, NULL));
}

/* log(1 + a) for a >= 0: log(u), u = 1 + a, corrected by the rounding of u. */
static inline vf v_log1p(vf a)
{
	vf u = vadd(C(1.0f), a);
	vf c = vdiv(vsub(a, vsub(u, C(1.0f))), u);

	return vadd(v_log(u), c);
}

/* ---- pow ---------------------------------------------------------------- */

/* a = hi + lo exactly for |a| < 2^100 (Veltkamp: hi keeps 12 bits). */
static inline void split12(vf a, vf *hi, vf *lo)
{
	vf c = vmul(a, C(4097.0f));

	*hi = vsub(c, vsub(c, a));
	*lo = vsub(a, *hi);
}

/*
 * |x|^y = 2^(y log2|x|): log2|x| as a float pair, times y exactly (Dekker's
 * product), then 2^(n + r) with n = round and r = rest + low part, and
 * e^(r ln 2) through the exp polynomial.  Special cases follow C's pow()
 * (Annex F): pow(x, +-0) = 1 and pow(1, y) = 1 even for NaN; pow(-1, +-inf)
 * = 1; a negative finite x with a non-integer y gives NaN; the sign of a
 * negative x (or -0, -inf) survives for odd integer y.
 */
static inline vf v_pow(vf x, vf y)
{
	vf sign = C(-0.0f);
	vf ax = v_abs(x);
	vf llo, lhi = log_combine(log_parts(ax, true), 1.0f, 0.0f, LOG2E_HI, LOG2E_LO, &llo);
	vf ah, al, bh, bl, p, e, t, nf, r;
	vf ay = v_abs(y);
	vm isint, odd;
	struct ex ee;

	/* log2|x| for 0, inf and subnormals: log_parts handles finite > 0 only */
	lhi = vsel(veq(ax, C(0.0f)), C(-INFINITY), lhi);
	lhi = vsel(veq(ax, C(INFINITY)), C(INFINITY), lhi);
	p = vmul(y, lhi);
	split12(vmin(vmax(y, C(-0x1p100f)), C(0x1p100f)), &ah, &al);
	split12(lhi, &bh, &bl);
	e = vadd(vadd(vadd(vsub(vmul(ah, bh), p), vmul(ah, bl)), vmul(al, bh)), vmul(al, bl));
	e = vadd(e, vmul(y, llo));
	/* p + e = y log2|x|; clamp where the result is 0 or inf anyway */
	t = vmin(vmax(p, C(-300.0f)), C(300.0f));
	nf = vsub(vadd(t, C(MAGIC)), C(MAGIC));
	r = vadd(vsub(t, nf), vsel(veq(t, p), e, C(0.0f)));
	r = vmin(vmax(r, C(-1.0f)), C(1.0f));
	ee.k = vcvtt_f2i(nf);
	r = vmul(r, C(0x1.62e430p-1f));
	{
		vf h = vadd(C(1.0f), r);

		ee.m = vadd(h, vadd(vadd(vsub(C(1.0f), h), r), vmul(vmul(r, r), exp_pcoef(r))));
	}
#if TN_M_AVX512_OPS
	/* m 2^(k>>1) is exact (m > 1/4, k >= -240): one rounding either way */
	r = vscalef(ee.m, vmin(vmax(nf, C(-240.0f)), C(200.0f)));
#else
	{
		/* n may reach +-300: three factors keep every one a normal float */
		vi kc = vcvtt_f2i(vmin(vmax(nf, C(-240.0f)), C(200.0f)));
		vi k1 = visra(kc, 1);
		vi k2 = visub(kc, k1);
		vi k3 = visra(k1, 1);

		ee.s1 = vmul(pow2i(k3), pow2i(visub(k1, k3)));
		ee.s2 = pow2i(k2);
	}
	r = vmul(vmul(ee.m, ee.s1), ee.s2);
#endif
	r = vsel(vgt(p, C(200.0f)), C(INFINITY), r);
	r = vsel(vlt(p, C(-240.0f)), C(0.0f), r);

	/* integer and odd y: |y| >= 2^24 is an even integer */
	{
		vf yr = vsub(vadd(ay, C(0x1p23f)), C(0x1p23f));
		vi yi = vcvtt_f2i(vmin(ay, C(0x1p24f)));

		isint = mor(vle(C(0x1p23f), ay), veq(yr, ay));
		odd = mand(vlt(ay, C(0x1p24f)),
			   veq(vasf(viand(yi, vidup(1))), vasf(vidup(1))));
		odd = mand(odd, isint);
	}
	r = vsel(odd, vxor(r, vand(x, sign)), r);
	r = vsel(mand(mand(vlt(x, C(0.0f)), vlt(ax, C(INFINITY))),
		      mandnot(isint, veq(ay, ay))), C(NAN), r);
	r = vsel(mand(veq(ax, C(1.0f)), veq(ay, C(INFINITY))), C(1.0f), r);
	r = vsel(mor(visnan(x), visnan(y)), C(NAN), r);
	r = vsel(mor(veq(x, C(1.0f)), veq(y, C(0.0f))), C(1.0f), r);
	return r;
}

/* ---- Activations -------------------------------------------------------- */

static inline vf v_relu(vf x)
{
	return keep_nan(x, vsel(vgt(x, C(0.0f)), x, C(0.0f)));
}

static inline vf v_leaky_relu(vf x, vf a)
{
	return vsel(vgt(x, C(0.0f)), x, vmul(a, x));
}

/* alpha (e^x - 1) for x <= 0, x above. */
TN_M_KERNEL vf v_elu(vf x, vf a)
{
	vf m = v_expm1_neg(vmax(vmin(x, C(0.0f)), C(-30.0f)));

	/* vmin(-0, 0) is +0: put the sign of a zero back */
	m = vsel(veq(x, C(0.0f)), x, m);
	return keep_nan(x, vsel(vgt(x, C(0.0f)), x, vmul(a, m)));
}

#define SELU_LAMBDA 1.0507009873554804934f
/* (float)(1.0507009873554804934 * 1.6732632423543772848), the product in double */
#define SELU_LA 0x1.c212ccp+0f

TN_M_KERNEL vf v_selu(vf x)
{
	vf m = v_expm1_neg(vmax(vmin(x, C(0.0f)), C(-30.0f)));

	m = vsel(veq(x, C(0.0f)), x, m);
	return keep_nan(x, vsel(vgt(x, C(0.0f)), vmul(C(SELU_LAMBDA), x),
				vmul(C(SELU_LA), m)));
}

/*
 * sigmoid: 1/(1 + e^-x) for x >= 0, e^x/(1 + e^x) below: e never overflows.
 * NaN flows through e (the clamp keeps it) into the division.
 */
TN_M_KERNEL vf v_sigmoid(vf x)
{
#if TN_M_AVX512_OPS
	/* max(-150, -|x|) in one vrangeps (-150 for a quiet NaN x); in one
	 * vfixupimmps the numerator: e where x < 0, 1 where x >= 0, x made
	 * quiet where x is NaN */
	vf e = ex_val(exp_parts(vnegabs_min(x, C(150.0f)), x, false));
	vf num = vfixup(e, x, FIX_(TOK_QNAN_SRC, TOK_QNAN_SRC, TOK_ONE, TOK_ONE, TOK_DEST,
				   TOK_ONE, TOK_DEST, TOK_ONE));
#else
	vf e = ex_val(exp_parts(vmax(C(-150.0f), v_negabs(x)), x, false));
	vf num = vsel(vlt(x, C(0.0f)), e, C(1.0f));
#endif

	return vdiv(num, vadd(C(1.0f), e));
}

/*
 * tanh |x|: below 0.75 an odd polynomial, |x| + |x| z P(z), z = x^2, P of
 * degree 6 fitted to (tanh a - a) / a^3 (error 6.9e-10), so tanh(tiny) =
 * tiny; above, 1 - 2 / (e^(2|x|) + 1), where the subtracted part is below
 * 0.37 and its rounding costs less than an ulp.  The sign of x goes back on
 * (also onto a NaN, which stays NaN).
 */
TN_M_KERNEL vf v_tanh(vf x)
{
	vf a = v_abs(x), sign = vand(x, C(-0.0f));
	vf z = vmul(a, a);
	vf p = C(-0x1.683c52p-11f);
	vf small, big, e;

	p = vadd(vmul(p, z), C(0x1.930fa2p-9f));
	p = vadd(vmul(p, z), C(-0x1.1c4c12p-7f));
	p = vadd(vmul(p, z), C(0x1.65b836p-6f));
	p = vadd(vmul(p, z), C(-0x1.ba1494p-5f));
	p = vadd(vmul(p, z), C(0x1.111102p-3f));
	p = vadd(vmul(p, z), C(-0x1.555556p-2f));
	small = vadd(a, vmul(vmul(a, z), p));
	/* NaN passes the clamp (constant first) and flows into big */
	e = ex_val(exp_parts(vmin(C(40.0f), vadd(a, a)), x, false));
	big = vsub(C(1.0f), vdiv(C(2.0f), vadd(e, C(1.0f))));
	return vor(vsel(vlt(a, C(0.75f)), small, big), sign);
}

/*
 * x / (1 + e^-x) for x >= 0; for x < 0 x e^x / (1 + e^x) with x applied
 * before the final scaling of e^x (no double rounding in the tiny range).
 * ex_mul's a m is exact times 2^(k>>1): k = 0 for x > -0.34, and below
 * |q m| > 0.1 with k >= -217.
 */
TN_M_KERNEL vf v_swish(vf x)
{
	struct ex e = exp_parts(clamp_exp_negabs(x), x, false);
	vf q = vdiv(vmax(x, C(-200.0f)), vadd(C(1.0f), ex_val(e)));

	return keep_nan(x, vsel(vlt(x, C(0.0f)), ex_mul(e, q), q));
}

/*
 * gelu(x) = x Phi(x), Phi(x) = erfc(-x/sqrt2)/2, erfc(t) = e^(-t^2) g(t).
 * t^2 = x^2/2 comes exactly from a 12-bit split of x, so e^(-t^2) has no
 * error from rounding t^2 (it would be 45 ulp at x = -13); g(t) =
 * erfc(t) e^(t^2) is a degree-10 polynomial in u = 1/(1+t) - c on two
 * intervals (t < 2, t >= 2), relative error < 1.3e-9 (fit); |x| is clamped
 * to 15, beyond which gelu is x or -0 in float.  ex_mul's a m is exact
 * times 2^(k>>1): k = 0 for |x| < 0.83, and above |a m| > 0.01, k >= -163.
 */
TN_M_TABLE float gelu_a[11] = {
	0x1.dd26cap-4f, -0x1.9c68aep-5f, -0x1.5c7bc2p-4f, 0x1.38d458p-3f,
	-0x1.171cc0p-3f, 0x1.e06f4ap-7f, 0x1.82cb38p-3f, -0x1.553bc8p-2f,
	0x1.6bfcaap-4f, 0x1.274f0ap+0f, 0x1.3b3bc4p-1f,
};
TN_M_TABLE float gelu_b[11] = {
	-0x1.98eb82p+0f, 0x1.fb9138p+1f, -0x1.f5c596p-1f, -0x1.483538p+0f,
	0x1.c1ce72p-1f, 0x1.6496eep-2f, -0x1.32ccd8p-1f, -0x1.639500p-3f,
	0x1.3a0d14p-1f, 0x1.a46fc8p-1f, 0x1.28465ep-3f,
};

TN_M_KERNEL vf v_gelu(vf x)
{
	vf xa = vmin(v_abs(x), C(15.0f));
	vf t = vmul(xa, C(0x1.6a09e6p-1f));     /* 1/sqrt 2 */
	vm big = vle(C(2.0f), t);
	vf v = vsub(vdiv(C(1.0f), vadd(C(1.0f), t)), vsel(big, C(0x1.acdacep-3f), C(0x1.555556p-1f)));
	vf g = vsel(big, C(gelu_b[0]), C(gelu_a[0]));
	vf xh, xl, hi, lo, pos, neg;
	struct ex e;

	for (int i = 1; i < 11; i++)
		g = vadd(vmul(g, v), vsel(big, C(gelu_b[i]), C(gelu_a[i])));
	split12(xa, &xh, &xl);
	hi = vmul(xh, xh);
	lo = vadd(vmul(vmul(xh, xl), C(2.0f)), vmul(xl, xl));
	e = exp_parts(vmul(hi, C(-0.5f)), vmul(lo, C(-0.5f)), true);
	pos = vmul(x, vsub(C(1.0f), vmul(C(0.5f), vmul(g, ex_val(e)))));
	neg = ex_mul(e, vmul(vmul(xa, C(-0.5f)), g));
	return keep_nan(x, vsel(vlt(x, C(0.0f)), neg, pos));
}

/* a * b as hi + *ret_lo exactly (Dekker's product), |a|, |b| < 2^100. */
static inline vf two_prod(vf a, vf b, vf *ret_lo)
{
	vf ah, al, bh, bl, p = vmul(a, b);

	split12(a, &ah, &al);
	split12(b, &bh, &bl);
	*ret_lo = vadd(vadd(vadd(vsub(vmul(ah, bh), p), vmul(ah, bl)), vmul(al, bh)),
		       vmul(al, bl));
	return p;
}

/* a + b as s + *ret_err exactly (Knuth's two-sum). */
static inline vf two_sum(vf a, vf b, vf *ret_err)
{
	vf s = vadd(a, b);
	vf bb = vsub(s, a);

	*ret_err = vadd(vsub(a, vsub(s, bb)), vsub(b, bb));
	return s;
}

/*
 * A = 2 sqrt(2/pi) = 1.5957691216057308 and B = A 0.044715 =
 * 0.07135481627260025 as float pairs: GT_A = (float)A, GT_A_LO =
 * (float)(A - GT_A), the same for B.
 */
#define GT_A 0x1.988454p+0f
#define GT_A_LO -0x1.857936p-25f
#define GT_B 0x1.2444f2p-4f
#define GT_B_LO 0x1.49b16ap-29f

/*
 * 0.5 x (1 + tanh(w/2)), w = 2 sqrt(2/pi)(x + 0.044715 x^3) = x (A + B x^2),
 * written as x sigmoid(w) so that negative x does not cancel.  w is carried
 * as a float pair (exact products and sums): its rounding would otherwise
 * cost |w| ulp in e^-|w| (170 ulp at x = -9.6).  ex_mul's q m is exact
 * times 2^(k>>1): k = 0 for |w| < 0.34, and above |q m| > 0.05.
 */
TN_M_KERNEL vf v_gelu_tanh(vf x)
{
	vf xc = vmax(vmin(x, C(30.0f)), C(-30.0f));
	vf x2l, x2h = two_prod(xc, xc, &x2l);
	vf ul, uh = two_prod(C(GT_B), x2h, &ul);
	vf cl, ch = two_sum(C(GT_A), uh, &cl);
	vf wl, wh;
	struct ex e;
	vf q;

	ul = vadd(ul, vmul(C(GT_B), x2l));
	ul = vadd(ul, vmul(C(GT_B_LO), x2h));
	cl = vadd(vadd(cl, ul), C(GT_A_LO));
	wh = two_prod(xc, ch, &wl);
	wl = vadd(wl, vmul(xc, cl));
	/* e^-|w| = e^(-|wh| -+ wl) */
	e = exp_parts(clamp_exp_negabs(wh), vsel(vlt(wh, C(0.0f)), wl, vsub(C(0.0f), wl)), true);
	q = vdiv(vmax(x, C(-200.0f)), vadd(C(1.0f), ex_val(e)));
	return keep_nan(x, vsel(vlt(x, C(0.0f)), ex_mul(e, q), q));
}

/* x relu6(x + 3) / 6: 0 for x <= -3, x for x >= 3 (no overflow of x * 6). */
static inline vf v_hardswish(vf x)
{
	vf t = vmin(vmax(vadd(x, C(3.0f)), C(0.0f)), C(6.0f));
	vf r = vdiv(vmul(vmin(x, C(3.0f)), t), C(6.0f));

	r = vsel(vle(C(3.0f), x), x, r);
	return keep_nan(x, vsel(vle(x, C(-3.0f)), C(0.0f), r));
}

/*
 * mish(x) = x tanh(ln(1 + e^x)) = x e (e + 2) / (e (e + 2) + 2), e = e^x,
 * with x (e+2)/(e(e+2)+2) applied to e before its final scaling; x for
 * x > 20 (the tanh is 1 in float there).  ex_mul's f m is exact times
 * 2^(k>>1): k = 0 for |x| < 0.34, and beyond |f m| > 0.1, k in [-217, 29].
 */
TN_M_KERNEL vf v_mish(vf x)
{
	struct ex e = exp_parts(vmax(vmin(x, C(20.0f)), C(-150.0f)), x, false);
	vf ev = ex_val(e);
	vf a = vadd(ev, C(2.0f));
	vf f = vdiv(vmul(vmax(x, C(-200.0f)), a), vadd(vmul(ev, a), C(2.0f)));

	return keep_nan(x, vsel(vgt(x, C(20.0f)), x, ex_mul(e, f)));
}

#ifndef __OPENCL_VERSION__
/* ---- Element-wise kernels ----------------------------------------------- */

/*
 * The tail (fewer than W elements) goes through the same function, padded.
 * AVX-512 takes two vectors per step (TN_M_PAIR): an element function is
 * one long dependency chain, and two independent ones, interleaved by the
 * scheduler (math-avx512.c), keep the units busy; on Zen 4 that makes exp
 * 1.15 times as fast.  Every element still goes through the same function.
 */
#if TN_M_AVX512_OPS
#define TN_M_PAIR(i, n, y, e0, e1) \
	for (; i + 2 * W <= n; i += 2 * W) { \
		vf a0_ = (e0), a1_ = (e1); \
		vstore(y + i, a0_); \
		vstore(y + i + W, a1_); \
	}
#else
#define TN_M_PAIR(i, n, y, e0, e1)
#endif
#define TN_M_UNARY(op) \
	void K(op)(size_t n, const float *x, float *y) \
	{ \
		size_t i = 0; \
		TN_M_PAIR(i, n, y, v_##op(vload(x + i)), v_##op(vload(x + i + W))) \
		for (; i + W <= n; i += W) \
			vstore(y + i, v_##op(vload(x + i))); \
		if (i < n) \
			vstore_part(y + i, n - i, v_##op(vload_part(x + i, n - i, 0.0f))); \
	}
#define TN_M_PARAM(op) \
	void K(op)(size_t n, float alpha, const float *x, float *y) \
	{ \
		vf a = C(alpha); \
		size_t i = 0; \
		TN_M_PAIR(i, n, y, v_##op(vload(x + i), a), v_##op(vload(x + i + W), a)) \
		for (; i + W <= n; i += W) \
			vstore(y + i, v_##op(vload(x + i), a)); \
		if (i < n) \
			vstore_part(y + i, n - i, v_##op(vload_part(x + i, n - i, 0.0f), a)); \
	}

TN_M_UNARY(exp)
TN_M_UNARY(log)
TN_M_UNARY(log2)
TN_M_UNARY(log10)
TN_M_UNARY(relu)
TN_M_UNARY(selu)
TN_M_UNARY(sigmoid)
TN_M_UNARY(tanh)
TN_M_UNARY(gelu)
TN_M_UNARY(gelu_tanh)
TN_M_UNARY(swish)
TN_M_UNARY(hardswish)
TN_M_UNARY(mish)
TN_M_PARAM(leaky_relu)
TN_M_PARAM(elu)

void K(pow)(size_t n, const float *x, const float *e, float *y)
{
	size_t i = 0;

	for (; i + W <= n; i += W)
		vstore(y + i, v_pow(vload(x + i), vload(e + i)));
	if (i < n)
		vstore_part(y + i, n - i, v_pow(vload_part(x + i, n - i, 1.0f),
						vload_part(e + i, n - i, 1.0f)));
}

/* ---- Softmax, log_softmax, layer_norm ------------------------------------ */

/* Sums run over 16 lanes whatever W is: element i goes to lane i % 16. */
#define LANES 16
#define NACC (LANES / W)

static inline float lane0(vf v)
{
	float l[W];

	vstore_lanes(l, v);
	return l[0];
}

/* The 16 lanes added by one fixed tree. */
static inline float lanes_sum(const vf *acc)
{
	float l[LANES];

	for (int j = 0; j < NACC; j++)
		vstore_lanes(l + j * W, acc[j]);
	for (int h = LANES / 2; h >= 1; h /= 2)
		for (int j = 0; j < h; j++)
			l[j] += l[j + h];
	return l[0];
}

enum pass {
	PASS_EXP_STORE,   /* y = e^(x - c), sum y */
	PASS_EXP,         /* sum e^(x - c) over x != c */
	PASS_SUM,         /* sum x */
	PASS_SQDEV,       /* sum (x - c)^2 */
};

#endif /* !__OPENCL_VERSION__ */

/* a - b as d + *ret_err exactly (Knuth's two-sum), for finite a, b. */
static inline vf two_diff(vf a, vf b, vf *ret_err)
{
	vf d = vsub(a, b);
	vf bb = vsub(a, d);

	*ret_err = vadd(vsub(a, vadd(d, bb)), vsub(bb, b));
	return d;
}

/* e^(x - m) without the rounding error of x - m (x = -inf gives 0). */
static inline vf exp_diff(vf x, vf m)
{
	vf err, d = two_diff(x, m, &err);

	err = vsel(veq(x, C(-INFINITY)), C(0.0f), err);
	return ex_val(exp_parts(clamp_exp_arg(d), err, true));
}

#ifndef __OPENCL_VERSION__
static inline vf pass_value(vf v, vf c, enum pass mode)
{
	switch (mode) {
	case PASS_EXP_STORE:
		return exp_diff(v, c);
	case PASS_EXP:
		return vsel(veq(v, c), C(0.0f), exp_diff(v, c));
	case PASS_SUM:
		return v;
	case PASS_SQDEV:
		v = vsub(v, c);
		return vmul(v, v);
	}
	return v;
}

/* One pass over x in the 16-lane order; padding contributes exactly 0. */
static inline float lane_pass(size_t n, const float *x, float *y, float c, enum pass mode)
{
	float fill = mode == PASS_SUM ? 0.0f : mode == PASS_SQDEV ? c : -INFINITY;
	vf acc[NACC];
	vf vc = C(c);
	size_t i = 0;

	for (int j = 0; j < NACC; j++)
		acc[j] = C(0.0f);
	for (; i + LANES <= n; i += LANES) {
		for (int j = 0; j < NACC; j++) {
			vf v = pass_value(vload(x + i + (size_t)j * W), vc, mode);

			if (mode == PASS_EXP_STORE)
				vstore(y + i + (size_t)j * W, v);
			acc[j] = vadd(acc[j], v);
		}
	}
	for (int j = 0; j < NACC && i + (size_t)j * W < n; j++) {
		size_t at = i + (size_t)j * W;
		size_t k = n - at < W ? n - at : W;
		vf v = pass_value(vload_part(x + at, k, fill), vc, mode);

		if (mode == PASS_EXP_STORE)
			vstore_part(y + at, k, v);
		acc[j] = vadd(acc[j], v);
	}
	return lanes_sum(acc);
}

/*
 * The maximum of x, or 0 with *ret_special set when x holds a NaN or an
 * infinity (x - x is then NaN in some lane).
 */
static inline float max_scan(size_t n, const float *x, bool *ret_special)
{
	vf m = C(-FLT_MAX), bad = C(0.0f);
	float l[W], r;
	size_t i = 0;

	for (; i + W <= n; i += W) {
		vf v = vload(x + i);

		m = vmax(m, v);
		bad = vadd(bad, vsub(v, v));
	}
	if (i < n) {
		vf v = vload_part(x + i, n - i, -FLT_MAX);

		m = vmax(m, v);
		bad = vadd(bad, vsub(v, v));
	}
	vstore_lanes(l, vadd(bad, C(0.0f)));
	*ret_special = false;
	for (int j = 0; j < W; j++)
		if (l[j] != 0.0f)
			*ret_special = true;
	vstore_lanes(l, m);
	r = l[0];
	for (int j = 1; j < W; j++)
		r = l[j] > r ? l[j] : r;
	return r;
}

/*
 * Inputs with NaN or infinities: any NaN makes every output NaN; +inf
 * entries share the whole mass (the others get 0, or -inf for log_softmax);
 * all -inf gives the uniform 1/n (-log n).  Returns true when y is done;
 * false (only -inf entries beside finite ones) with *ret_max to go on.
 */
static bool softmax_special(size_t n, const float *x, float *y, bool log_form,
			    float *ret_max)
{
	size_t nan = 0, pinf = 0;
	float m = -INFINITY, v;

	for (size_t i = 0; i < n; i++) {
		if (x[i] != x[i])
			nan++;
		else if (x[i] == INFINITY)
			pinf++;
		else if (x[i] > m)
			m = x[i];
	}
	if (nan) {
		for (size_t i = 0; i < n; i++)
			y[i] = NAN;
		return true;
	}
	if (pinf || m == -INFINITY) {
		size_t c = pinf ? pinf : n;

		v = log_form ? -lane0(v_log(C((float)c))) : 1.0f / (float)c;
		for (size_t i = 0; i < n; i++)
			y[i] = !pinf || x[i] == INFINITY ? v : log_form ? -INFINITY : 0.0f;
		return true;
	}
	*ret_max = m;
	return false;
}

void K(softmax)(size_t n, const float *x, float *y)
{
	bool special;
	float m, s;
	vf vs;
	size_t i = 0;

	if (n == 0)
		return;
	m = max_scan(n, x, &special);
	if (special && softmax_special(n, x, y, false, &m))
		return;
	s = lane_pass(n, x, y, m, PASS_EXP_STORE);
	vs = C(s);
	for (; i + W <= n; i += W)
		vstore(y + i, vdiv(vload(y + i), vs));
	if (i < n)
		vstore_part(y + i, n - i, vdiv(vload_part(y + i, n - i, 0.0f), vs));
}

#endif /* !__OPENCL_VERSION__ */

/* (x - m) - log s, with the rounding error of x - m added back last. */
static inline vf log_softmax_one(vf x, vf m, vf ls)
{
	vf err, d = two_diff(x, m, &err);

	err = vsel(veq(x, C(-INFINITY)), C(0.0f), err);
	return vadd(vsub(d, ls), err);
}

#ifndef __OPENCL_VERSION__

void K(log_softmax)(size_t n, const float *x, float *y)
{
	bool special;
	float m, a;
	size_t maxima = 0;
	vf vm_, ls;
	size_t i = 0;

	if (n == 0)
		return;
	m = max_scan(n, x, &special);
	if (special && softmax_special(n, x, y, true, &m))
		return;
	/* log(s) = log1p(s - 1): s - 1 = (maxima - 1) + the others' sum, so
	 * the largest entries keep their tiny -log(s) */
	for (i = 0; i < n; i++)
		maxima += x[i] == m;
	i = 0;
	a = (float)(maxima - 1) + lane_pass(n, x, NULL, m, PASS_EXP);
	ls = v_log1p(C(a));
	vm_ = C(m);
	for (; i + W <= n; i += W)
		vstore(y + i, log_softmax_one(vload(x + i), vm_, ls));
	if (i < n)
		vstore_part(y + i, n - i, log_softmax_one(vload_part(x + i, n - i, 0.0f), vm_, ls));
}

static inline vf layer_norm_one(vf x, vf mean, vf rstd, const float *g, const float *b,
				size_t k)
{
	vf d = vmul(vsub(x, mean), rstd);

	if (g)
		d = vmul(d, k == W ? vload(g) : vload_part(g, k, 1.0f));
	if (b)
		d = vadd(d, k == W ? vload(b) : vload_part(b, k, 0.0f));
	return d;
}

/* Two passes (mean, then the mean of squared deviations): never negative. */
void K(layer_norm)(size_t n, const float *x, const float *gamma, const float *beta,
		   float eps, float *y)
{
	float mean, var;
	vf vmean, rstd;
	size_t i = 0;

	if (n == 0)
		return;
	mean = lane_pass(n, x, NULL, 0.0f, PASS_SUM) / (float)n;
	var = lane_pass(n, x, NULL, mean, PASS_SQDEV) / (float)n;
	vmean = C(mean);
	rstd = vdiv(C(1.0f), vsqrt(C(var + eps)));
	for (; i + W <= n; i += W)
		vstore(y + i, layer_norm_one(vload(x + i), vmean, rstd,
					     gamma ? gamma + i : NULL, beta ? beta + i : NULL, W));
	if (i < n)
		vstore_part(y + i, n - i,
			    layer_norm_one(vload_part(x + i, n - i, 0.0f), vmean, rstd,
					   gamma ? gamma + i : NULL, beta ? beta + i : NULL,
					   n - i));
}
#endif /* !__OPENCL_VERSION__ */
