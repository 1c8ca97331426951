/*
 * The arith kernels written once over a vector abstraction; arith-sse2.c,
 * arith-avx2.c and arith-avx512.c define it and include this file.  Each
 * must compute exactly what arith-scalar.c computes, bit for bit (NaN
 * payloads aside): same operations, same order.
 *
 * Provided by the includer:
 *   W, ISA (suffix), V (float vector), VI (int32 vector), VD (double vector)
 *   VLOADU VSTOREU VSET1 VADD VSUB VMUL VDIV VSQRT VMAX VMIN (x86 semantics:
 *   the second operand when unordered or equal) VAND VOR VANDNOT(a, b) = ~a & b
 *   VXOR VCMPEQ VCMPLT VCMPLE VCMPUNORD (all-ones lanes) VBLEND(m, a, b) =
 *   m ? a : b  VTRUNC  VFLOOR VCEIL (exact, sign of zero kept)
 *   VCASTI VCASTF VI_SET1 VI_ADD VI_AND VI_XOR VI_SRAI31 VI_CMPGT VI_BLEND
 *   VI_STOREU (int32 x W)
 *   VD_SET1 VD_ADD VD_SUB VD_MUL VD_LO VD_HI (the low/high W/2 floats of a V
 *   widened) VD_LOADU VD_STOREU VD_AND VD_OR VD_ANDNOT(a, b) = ~a & b
 *   VHTREE(v), VD_HTREE(vd): the in-register levels of the fixed tree,
 *   lane j += lane j+h for h = W/2 (W/4 for doubles) down to 1, lane 0
 *   HAVE_VFMA with VFMA(a, b, c) = a * b + c rounded once
 *   VLOAD_PART(p, m, pad): the m < W floats at p, the other lanes pad,
 *   reading nothing beyond p[m-1]; VSTORE_PART(p, m, v): the first m lanes
 *   of v to p, writing nothing else
 */
#include <math.h>
#include <stdbool.h>
#include <string.h>

#define CAT2_(a, b) a##_##b
#define CAT_(a, b) CAT2_(a, b)
#define K(name) CAT_(tn__##name, ISA)

#define NACC (TN_ARITH_LANES / W)        /* float accumulators */
#define NFV (TN_ARITH_DLANES / W)        /* float vectors per double block */

static inline V vsign(void)
{
	return VCASTF(VI_SET1((int32_t)0x80000000));
}

static inline V vabs(V x)
{
	return VANDNOT(vsign(), x);
}

static inline V vmaximum(V a, V b)
{
	V r = VBLEND(VCMPEQ(a, b), VAND(a, b), VMAX(a, b));

	return VBLEND(VCMPUNORD(a, b), VADD(a, b), r);
}

static inline V vminimum(V a, V b)
{
	V r = VBLEND(VCMPEQ(a, b), VOR(a, b), VMIN(a, b));

	return VBLEND(VCMPUNORD(a, b), VADD(a, b), r);
}

static inline V vround(V x)
{
	V t = VTRUNC(x);
	V one = VOR(VSET1(1.0f), VAND(x, vsign()));
	V big = VCMPLE(VSET1(0.5f), vabs(VSUB(x, t)));

	return VBLEND(big, VADD(t, one), t);
}

/*
 * Element-wise loops.  The last partial vector is loaded partially (padded
 * with 1) and goes through the same vector code, so an element's result
 * never depends on where it sits.
 */
#define EW_BINARY(name, expr) \
	void K(name)(size_t n, const float *a, const float *b, float *y) \
	{ \
		size_t i = 0; \
		for (; i + W <= n; i += W) { \
			V p = VLOADU(a + i), q = VLOADU(b + i); \
			VSTOREU(y + i, expr); \
		} \
		if (i < n) { \
			V p = VLOAD_PART(a + i, n - i, 1.0f); \
			V q = VLOAD_PART(b + i, n - i, 1.0f); \
			VSTORE_PART(y + i, n - i, expr); \
		} \
	}

#define EW_UNARY(name, params, expr) \
	void K(name) params \
	{ \
		size_t i = 0; \
		for (; i + W <= n; i += W) { \
			V v = VLOADU(x + i); \
			VSTOREU(y + i, expr); \
		} \
		if (i < n) { \
			V v = VLOAD_PART(x + i, n - i, 1.0f); \
			VSTORE_PART(y + i, n - i, expr); \
		} \
	}

EW_BINARY(add, VADD(p, q))
EW_BINARY(sub, VSUB(p, q))
EW_BINARY(mul, VMUL(p, q))
EW_BINARY(div, VDIV(p, q))
EW_BINARY(minimum, vminimum(p, q))
EW_BINARY(maximum, vmaximum(p, q))

EW_UNARY(abs, (size_t n, const float *x, float *y), vabs(v))
EW_UNARY(neg, (size_t n, const float *x, float *y), VXOR(v, vsign()))
EW_UNARY(sqrt, (size_t n, const float *x, float *y), VSQRT(v))
EW_UNARY(recip, (size_t n, const float *x, float *y), VDIV(VSET1(1.0f), v))
EW_UNARY(floor, (size_t n, const float *x, float *y), VFLOOR(v))
EW_UNARY(ceil, (size_t n, const float *x, float *y), VCEIL(v))
EW_UNARY(round, (size_t n, const float *x, float *y), vround(v))
EW_UNARY(trunc, (size_t n, const float *x, float *y), VTRUNC(v))
EW_UNARY(scale, (size_t n, float alpha, const float *x, float *y), VMUL(VSET1(alpha), v))
EW_UNARY(clamp, (size_t n, const float *x, float lo, float hi, float *y),
	 vminimum(vmaximum(v, VSET1(lo)), VSET1(hi)))

#ifdef HAVE_VFMA
void K(fma)(size_t n, const float *a, const float *b, const float *c, float *y)
{
	size_t i = 0;

	for (; i + W <= n; i += W)
		VSTOREU(y + i, VFMA(VLOADU(a + i), VLOADU(b + i), VLOADU(c + i)));
	if (i < n) {
		size_t m = n - i;

		VSTORE_PART(y + i, m, VFMA(VLOAD_PART(a + i, m, 0.0f), VLOAD_PART(b + i, m, 0.0f),
					   VLOAD_PART(c + i, m, 0.0f)));
	}
}

void K(axpy)(size_t n, float alpha, const float *x, float *y)
{
	V va = VSET1(alpha);
	size_t i = 0;

	for (; i + W <= n; i += W)
		VSTOREU(y + i, VFMA(va, VLOADU(x + i), VLOADU(y + i)));
	if (i < n) {
		size_t m = n - i;

		VSTORE_PART(y + i, m, VFMA(va, VLOAD_PART(x + i, m, 0.0f),
					   VLOAD_PART(y + i, m, 0.0f)));
	}
}
#endif

/* ---- Float sums in the fixed order (arith-kernels.h) ---------------------- */

/*
 * The float accumulators are named variables, acc0 ... acc<NACC-1>, not an
 * array: GCC kept an array of them on the stack (a store and a reload of
 * every accumulator between the loop and the tree, which short sums pay on
 * every call).  ACC_EACH(X, ...) is X(k, ...) for each k; lane j of acck is
 * lane k*W+j.
 */
#if NACC == 4
#define ACC_EACH(X, ...) X(0, __VA_ARGS__) X(1, __VA_ARGS__) X(2, __VA_ARGS__) X(3, __VA_ARGS__)
#elif NACC == 8
#define ACC_EACH(X, ...) X(0, __VA_ARGS__) X(1, __VA_ARGS__) X(2, __VA_ARGS__) X(3, __VA_ARGS__) \
	X(4, __VA_ARGS__) X(5, __VA_ARGS__) X(6, __VA_ARGS__) X(7, __VA_ARGS__)
#elif NACC == 16
#define ACC_EACH(X, ...) X(0, __VA_ARGS__) X(1, __VA_ARGS__) X(2, __VA_ARGS__) X(3, __VA_ARGS__) \
	X(4, __VA_ARGS__) X(5, __VA_ARGS__) X(6, __VA_ARGS__) X(7, __VA_ARGS__) \
	X(8, __VA_ARGS__) X(9, __VA_ARGS__) X(10, __VA_ARGS__) X(11, __VA_ARGS__) \
	X(12, __VA_ARGS__) X(13, __VA_ARGS__) X(14, __VA_ARGS__) X(15, __VA_ARGS__)
#else
#error "NACC must be 4, 8 or 16"
#endif

/*
 * The fixed tree of arith-kernels.h: the levels h >= W are whole
 * accumulators (acck += acc(k+h/W)), the rest is VHTREE.
 */
#define ADD_(k, h) acc##k = VADD(acc##k, acc##h);
#if NACC >= 16
#define VTREE_16 ADD_(0, 8) ADD_(1, 9) ADD_(2, 10) ADD_(3, 11) \
	ADD_(4, 12) ADD_(5, 13) ADD_(6, 14) ADD_(7, 15)
#else
#define VTREE_16
#endif
#if NACC >= 8
#define VTREE_8 ADD_(0, 4) ADD_(1, 5) ADD_(2, 6) ADD_(3, 7)
#else
#define VTREE_8
#endif
#define VTREE_ACC VTREE_16 VTREE_8 ADD_(0, 2) ADD_(1, 3) ADD_(0, 1)

static inline double vtree_d(VD *acc)
{
	_Pragma("GCC unroll 16")
	for (int hv = NFV; hv >= 1; hv /= 2)
		_Pragma("GCC unroll 16")
		for (int k = 0; k < hv; k++)
			acc[k] = VD_ADD(acc[k], acc[k + hv]);
	return VD_HTREE(acc[0]);
}

/*
 * A 64-lane sum: lane j of accumulator k is lane k*W+j.  The last partial
 * block is added vector by vector like a whole one; in its last partial
 * vector the missing lanes hold a value whose term is the identity of the
 * lane: -0 for sum and dot (x + -0 == x for every x), +0 for norm_l1 (its
 * lanes start at +0 and never become -0).  So every lane sees exactly the
 * additions the scalar code makes.  VTERM(p, q) is the term of the W
 * elements at p (and q), VTERM_PART(p, q, m) that of m < W elements (any
 * m <= W where VLOAD_PART_ANY says VLOAD_PART takes it: then the tail is
 * branch-free, one masked term per accumulator, an empty one adding the
 * identity to every lane).  Lanes start at init, the identity of their
 * terms (-0 + t and +0 + |x| are t and |x|, bit for bit, NaN payloads
 * aside): so a sum of at least one block starts from the first block's
 * terms, as if added.
 */
#define FSUM_DECL(k, unused) V acc##k;
#define FSUM_INIT(k, v) acc##k = (v);
#define FSUM_FIRST(k, p, q, VTERM) acc##k = VTERM(p + k * W, q + k * W);
#define FSUM_STEP(k, p, q, VTERM) acc##k = VADD(acc##k, VTERM(p + k * W, q + k * W));
/*
 * The whole blocks.  With 32 registers (AVX-512: 4 accumulators) two blocks
 * a turn, the same order with less loop overhead; with 16 (8 or 16
 * accumulators) one, as GCC spilled the second block's terms.
 */
#if NACC <= 4
#define FSUM_LOOP(pa, pb, VTERM) \
	for (; i + 2 * TN_ARITH_LANES <= n; i += 2 * TN_ARITH_LANES) { \
		ACC_EACH(FSUM_STEP, pa + i, pb + i, VTERM) \
		ACC_EACH(FSUM_STEP, pa + i + TN_ARITH_LANES, pb + i + TN_ARITH_LANES, VTERM) \
	} \
	if (i + TN_ARITH_LANES <= n) { \
		ACC_EACH(FSUM_STEP, pa + i, pb + i, VTERM) \
		i += TN_ARITH_LANES; \
	}
#else
#define FSUM_LOOP(pa, pb, VTERM) \
	for (; i + TN_ARITH_LANES <= n; i += TN_ARITH_LANES) { \
		ACC_EACH(FSUM_STEP, pa + i, pb + i, VTERM) \
	}
#endif
#ifdef VLOAD_PART_ANY
#define FSUM_TAIL(k, p, q, r, VTERM, VTERM_PART) \
	acc##k = VADD(acc##k, VTERM_PART(p + k * W, q + k * W, \
		(r) > k * W ? ((r) - k * W < W ? (r) - k * W : W) : 0));
#else
#define FSUM_TAIL(k, p, q, r, VTERM, VTERM_PART) \
	if ((r) >= k * W + W) \
		acc##k = VADD(acc##k, VTERM(p + k * W, q + k * W)); \
	else if ((r) > k * W) \
		acc##k = VADD(acc##k, VTERM_PART(p + k * W, q + k * W, (r) - k * W));
#endif

#define FSUM(name, params, init, pa, pb, VTERM, VTERM_PART) \
	float K(name) params \
	{ \
		size_t i = 0; \
		ACC_EACH(FSUM_DECL, ) \
		if (n == 0) \
			return 0.0f; \
		/* A lane's first addition, init + t, is t: start from the terms. */ \
		if (n >= TN_ARITH_LANES) { \
			ACC_EACH(FSUM_FIRST, pa, pb, VTERM) \
			i = TN_ARITH_LANES; \
		} else { \
			ACC_EACH(FSUM_INIT, VSET1(init)) \
		} \
		FSUM_LOOP(pa, pb, VTERM) \
		if (i < n) { \
			size_t r_ = n - i; \
			ACC_EACH(FSUM_TAIL, pa + i, pb + i, r_, VTERM, VTERM_PART) \
		} \
		VTREE_ACC \
		return VHTREE(acc0); \
	}

#define SUM_T(p, q) VLOADU(p)
#define SUM_P(p, q, m) VLOAD_PART(p, m, -0.0f)
#define DOT_T(p, q) VMUL(VLOADU(p), VLOADU(q))
#define DOT_P(p, q, m) VMUL(VLOAD_PART(p, m, -0.0f), VLOAD_PART(q, m, 0.0f))
#define L1_T(p, q) vabs(VLOADU(p))
#define L1_P(p, q, m) vabs(VLOAD_PART(p, m, 0.0f))
FSUM(sum, (size_t n, const float *x), -0.0f, x, x, SUM_T, SUM_P)
FSUM(dot, (size_t n, const float *a, const float *b), -0.0f, a, b, DOT_T, DOT_P)
FSUM(norm_l1, (size_t n, const float *x), 0.0f, x, x, L1_T, L1_P)

/* W all-ones lanes, then W zero lanes: from tn__mask64 + W - m, m lanes kept. */
static const uint64_t tn__mask64[2 * W] = {
	~0ull, ~0ull, ~0ull, ~0ull,
#if W >= 8
	~0ull, ~0ull, ~0ull, ~0ull,
#endif
#if W >= 16
	~0ull, ~0ull, ~0ull, ~0ull, ~0ull, ~0ull, ~0ull, ~0ull,
#endif
};

/* keep ? t : ident, lane by lane (keep: all-ones or zero bits). */
static inline VD masked(VD t, VD keep, VD ident)
{
	return VD_OR(VD_AND(keep, t), VD_ANDNOT(keep, ident));
}

/*
 * 32 double lanes: float vector k of a block widens into accumulators 2k
 * and 2k+1.  In the last partial vector the missing lanes' terms are
 * replaced by the identity of the lanes (init: -0 for dsum; +0 for dsumsq,
 * whose lanes never become -0) through a lane mask from tn__mask64.
 */
#define DSUM(name, params, prologue, init, dterm) \
	double K(name) params \
	{ \
		VD acc[2 * NFV]; \
		size_t i = 0; \
		prologue; \
		_Pragma("GCC unroll 16") \
		for (int k = 0; k < 2 * NFV; k++) \
			acc[k] = VD_SET1(init); \
		for (; i + TN_ARITH_DLANES <= n; i += TN_ARITH_DLANES) { \
			_Pragma("GCC unroll 16") \
			for (int k = 0; k < NFV; k++) { \
				V v = VLOADU(x + i + (size_t)k * W); \
				acc[2 * k] = VD_ADD(acc[2 * k], dterm(VD_LO(v))); \
				acc[2 * k + 1] = VD_ADD(acc[2 * k + 1], dterm(VD_HI(v))); \
			} \
		} \
		_Pragma("GCC unroll 16") \
		for (int k = 0; k < NFV && i < n; k++, i += W) { \
			if (i + W <= n) { \
				V v = VLOADU(x + i); \
				acc[2 * k] = VD_ADD(acc[2 * k], dterm(VD_LO(v))); \
				acc[2 * k + 1] = VD_ADD(acc[2 * k + 1], dterm(VD_HI(v))); \
			} else { \
				size_t m = n - i; \
				V v = VLOAD_PART(x + i, m, 0.0f); \
				const double *keep = (const double *)(const void *)(tn__mask64 + W - m); \
				VD id = VD_SET1(init); \
				VD lo = masked(dterm(VD_LO(v)), VD_LOADU(keep), id); \
				VD hi = masked(dterm(VD_HI(v)), VD_LOADU(keep + W / 2), id); \
				acc[2 * k] = VD_ADD(acc[2 * k], lo); \
				acc[2 * k + 1] = VD_ADD(acc[2 * k + 1], hi); \
			} \
		} \
		return vtree_d(acc); \
	}

#define ID_V(d) (d)
#define SQ_V(d) sq_v(d, vc)

static inline VD sq_v(VD d, VD c)
{
	VD e = VD_SUB(d, c);

	return VD_MUL(e, e);
}

DSUM(dsum, (size_t n, const float *x), (void)0, -0.0, ID_V)
DSUM(dsumsq, (size_t n, const float *x, double c), VD vc = VD_SET1(c), 0.0, SQ_V)

/* ---- Order statistics on keys (arith-kernels.h) --------------------------- */

static inline VI vkey(V x, int32_t knan)
{
	VI b = VCASTI(x);
	VI k = VI_XOR(b, VI_AND(VI_SRAI31(b), VI_SET1(0x7fffffff)));

	return VI_BLEND(VCASTI(VCMPUNORD(x, x)), VI_SET1(knan), k);
}

static inline float unkey(int32_t k)
{
	int32_t b;
	float f;

	if (k == TN_KEY_NAN_MAX || k == TN_KEY_NAN_MIN)
		return NAN;
	b = tn__key(k);
	memcpy(&f, &b, sizeof(f));
	return f;
}

/* The best key (max or min) of x; NaN keys win. */
static inline int32_t best_key(size_t n, const float *x, int maxmode)
{
	float pad = maxmode ? -INFINITY : INFINITY;
	int32_t knan = maxmode ? TN_KEY_NAN_MAX : TN_KEY_NAN_MIN;
	VI best = vkey(VSET1(pad), knan);
	int32_t l[W], r;
	size_t i = 0;

	for (; i + W <= n; i += W) {
		VI k = vkey(VLOADU(x + i), knan);

		best = VI_BLEND(maxmode ? VI_CMPGT(k, best) : VI_CMPGT(best, k), k, best);
	}
	if (i < n) {
		VI k = vkey(VLOAD_PART(x + i, n - i, pad), knan);

		best = VI_BLEND(maxmode ? VI_CMPGT(k, best) : VI_CMPGT(best, k), k, best);
	}
	VI_STOREU(l, best);
	r = l[0];
	for (int j = 1; j < W; j++)
		r = (maxmode ? l[j] > r : l[j] < r) ? l[j] : r;
	return r;
}

float K(max)(size_t n, const float *x)
{
	return unkey(best_key(n, x, 1));
}

float K(min)(size_t n, const float *x)
{
	return unkey(best_key(n, x, 0));
}

/* Indices are int32 lanes: chunks of at most 2^30 elements. */
#define ARG_CHUNK ((size_t)1 << 30)

static inline void best_index_chunk(size_t n, const float *x, int maxmode,
				    int32_t *ret_key, size_t *ret_index)
{
	float pad = maxmode ? -INFINITY : INFINITY;
	int32_t knan = maxmode ? TN_KEY_NAN_MAX : TN_KEY_NAN_MIN;
	int32_t iota[W], lk[W], li[W];
	VI bk = VI_SET1(maxmode ? INT32_MIN : INT32_MAX), bi = VI_SET1(0), idx;
	VI step = VI_SET1(W);
	size_t i = 0, besti;
	int32_t bestk;

	for (int j = 0; j < W; j++)
		iota[j] = j;
	idx = VI_LOADU(iota);
	for (; i + W <= n; i += W) {
		VI k = vkey(VLOADU(x + i), knan);
		VI better = maxmode ? VI_CMPGT(k, bk) : VI_CMPGT(bk, k);

		bk = VI_BLEND(better, k, bk);
		bi = VI_BLEND(better, idx, bi);
		idx = VI_ADD(idx, step);
	}
	if (i < n) {
		VI k = vkey(VLOAD_PART(x + i, n - i, pad), knan);
		VI better = maxmode ? VI_CMPGT(k, bk) : VI_CMPGT(bk, k);

		bk = VI_BLEND(better, k, bk);
		bi = VI_BLEND(better, idx, bi);
	}
	VI_STOREU(lk, bk);
	VI_STOREU(li, bi);
	bestk = lk[0];
	besti = (size_t)li[0];
	for (int j = 1; j < W; j++) {
		bool better = maxmode ? lk[j] > bestk : lk[j] < bestk;

		if (better || (lk[j] == bestk && (size_t)li[j] < besti)) {
			bestk = lk[j];
			besti = (size_t)li[j];
		}
	}
	*ret_key = bestk;
	*ret_index = besti;
}

static inline size_t best_index(size_t n, const float *x, int maxmode)
{
	size_t best = SIZE_MAX;
	int32_t bk = 0;

	for (size_t at = 0; at < n; at += ARG_CHUNK) {
		size_t m = n - at < ARG_CHUNK ? n - at : ARG_CHUNK, ci;
		int32_t ck;

		best_index_chunk(m, x + at, maxmode, &ck, &ci);
		if (best == SIZE_MAX || (maxmode ? ck > bk : ck < bk)) {
			bk = ck;
			best = at + ci;
		}
	}
	return best;
}

size_t K(argmax)(size_t n, const float *x)
{
	return best_index(n, x, 1);
}

size_t K(argmin)(size_t n, const float *x)
{
	return best_index(n, x, 0);
}

float K(norm_inf)(size_t n, const float *x)
{
	VI m = VI_SET1(0);
	int32_t l[W], r = 0;
	size_t i = 0;
	float f;

	/* |x| as bits is a non-negative int32 whose order is the float order. */
	for (; i + W <= n; i += W) {
		VI a = VCASTI(vabs(VLOADU(x + i)));

		m = VI_BLEND(VI_CMPGT(a, m), a, m);
	}
	if (i < n) {
		VI a = VCASTI(vabs(VLOAD_PART(x + i, n - i, 0.0f)));

		m = VI_BLEND(VI_CMPGT(a, m), a, m);
	}
	VI_STOREU(l, m);
	for (int j = 0; j < W; j++)
		r = l[j] > r ? l[j] : r;
	if (r > 0x7f800000)
		return NAN;
	memcpy(&f, &r, sizeof(f));
	return f;
}
