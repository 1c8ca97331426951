/* SPDX-License-Identifier: MIT */
/*
 * libtn's OpenCL kernels, embedded into libtn at build time (embed.py) and
 * compiled once per process, or loaded from the on-disk cache (libtn(3),
 * OPENCL).  Each kernel gives the results libtn(3) states for its operation:
 *  - no contraction, so a * b + c rounds twice as on the CPU;
 *  - element-wise results are correctly rounded, so they have the CPU's bits
 *    (the host compiles with -cl-fp32-correctly-rounded-divide-sqrt, and
 *    runs div, sqrt and recip on the CPU where the device cannot);
 *  - sum, dot and norm_l1 add in the CPU's fixed order (element i to lane
 *    i mod 64, lanes combined pairwise), so they have the CPU's bits too;
 *  - the similarity kernels (TN_FP64 only) accumulate in double like the CPU;
 *  - exp, log, the activations, pow, softmax, log_softmax and layer_norm run
 *    math-body.h's own element functions (the program holds it), and the
 *    sums of softmax, log_softmax and layer_norm go over the CPU's 16 lanes
 *    in its order, so they have the CPU's bits too.
 */
/* FP_CONTRACT OFF and cl_khr_fp64: isa-opencl.h, ahead of math-body.h. */

/* ---- Element-wise --------------------------------------------------------- */

/* IEEE 754-2019 maximum/minimum: NaN propagates, -0 < +0 (arith-scalar.c). */
static float maximum1(float a, float b)
{
	if (isnan(a) || isnan(b))
		return a + b;
	if (a == b)
		return as_float(as_uint(a) & as_uint(b));
	return a > b ? a : b;
}

static float minimum1(float a, float b)
{
	if (isnan(a) || isnan(b))
		return a + b;
	if (a == b)
		return as_float(as_uint(a) | as_uint(b));
	return a < b ? a : b;
}

#define BINARY(name, expr) \
__kernel void tn_##name(ulong n, __global const float *a, __global const float *b, \
			__global float *y) \
{ \
	size_t i = get_global_id(0); \
	if (i < n) { \
		float p = a[i], q = b[i]; \
		y[i] = (expr); \
	} \
}
BINARY(add, p + q)
BINARY(sub, p - q)
BINARY(mul, p * q)
BINARY(div, p / q)
BINARY(minimum, minimum1(p, q))
BINARY(maximum, maximum1(p, q))

#define UNARY(name, expr) \
__kernel void tn_##name(ulong n, __global const float *x, __global float *y) \
{ \
	size_t i = get_global_id(0); \
	if (i < n) { \
		float v = x[i]; \
		y[i] = (expr); \
	} \
}
UNARY(abs, as_float(as_uint(v) & 0x7fffffffu))
UNARY(neg, as_float(as_uint(v) ^ 0x80000000u))
UNARY(sqrt, sqrt(v))
UNARY(recip, 1.0f / v)
UNARY(floor, floor(v))
UNARY(ceil, ceil(v))
UNARY(round, round(v))
UNARY(trunc, trunc(v))
UNARY(relu, isnan(v) ? v : v > 0.0f ? v : 0.0f)

__kernel void tn_leaky_relu(ulong n, float alpha, __global const float *x, __global float *y)
{
	size_t i = get_global_id(0);

	if (i < n)
		y[i] = x[i] > 0.0f ? x[i] : alpha * x[i];
}

__kernel void tn_scale(ulong n, float alpha, __global const float *x, __global float *y)
{
	size_t i = get_global_id(0);

	if (i < n)
		y[i] = alpha * x[i];
}

__kernel void tn_axpy(ulong n, float alpha, __global const float *x, __global float *y)
{
	size_t i = get_global_id(0);

	if (i < n)
		y[i] = fma(alpha, x[i], y[i]);
}

__kernel void tn_fma(ulong n, __global const float *a, __global const float *b,
		     __global const float *c, __global float *y)
{
	size_t i = get_global_id(0);

	if (i < n)
		y[i] = fma(a[i], b[i], c[i]);
}

__kernel void tn_clamp(ulong n, __global const float *x, float lo, float hi,
		       __global float *y)
{
	size_t i = get_global_id(0);

	if (i < n)
		y[i] = minimum1(maximum1(x[i], lo), hi);
}

/* ---- Reductions: one work-group of 64, the CPU's lanes -------------------- */

#define LANES 64

/* lane j += lane j + h for h = lanes / 2 ... 1 (tn__tree64, tn__tree32d); the result in l[0]. */
#define TREE(name, T, lanes) \
static void name(__local T *l, uint j) \
{ \
	for (uint h = (lanes) / 2; h >= 1; h /= 2) { \
		barrier(CLK_LOCAL_MEM_FENCE); \
		if (j < h) \
			l[j] = l[j] + l[j + h]; \
	} \
	barrier(CLK_LOCAL_MEM_FENCE); \
}
TREE(tree64, float, LANES)

#define FSUM(name, params, init, term) \
__kernel __attribute__((reqd_work_group_size(LANES, 1, 1))) \
void tn_##name params \
{ \
	__local float l[LANES]; \
	uint j = get_local_id(0); \
	float s = (init); \
	for (ulong i = j; i < n; i += LANES) \
		s = s + (term); \
	l[j] = s; \
	tree64(l, j); \
	if (j == 0) \
		out[0] = n ? l[0] : 0.0f; \
}
FSUM(sum, (ulong n, __global const float *x, __global float *out), -0.0f, x[i])
FSUM(dot, (ulong n, __global const float *a, __global const float *b, __global float *out),
     -0.0f, a[i] * b[i])
FSUM(norm_l1, (ulong n, __global const float *x, __global float *out), 0.0f, fabs(x[i]))

#if TN_FP64
#define DLANES 32

/* The double sums of norm_l2, mean, variance and stddev: 32 lanes combined
 * like the CPU's, so the CPU's bits. */
TREE(tree32d, double, DLANES)

__kernel __attribute__((reqd_work_group_size(DLANES, 1, 1)))
void tn_dsum(ulong n, __global const float *x, __global double *out)
{
	__local double l[DLANES];
	uint j = get_local_id(0);
	double s = -0.0;

	for (ulong i = j; i < n; i += DLANES)
		s = s + (double)x[i];
	l[j] = s;
	tree32d(l, j);
	if (j == 0)
		out[0] = l[0];
}

/* sum (x[i] - c)^2 */
__kernel __attribute__((reqd_work_group_size(DLANES, 1, 1)))
void tn_dsumsq(ulong n, __global const float *x, double c, __global double *out)
{
	__local double l[DLANES];
	uint j = get_local_id(0);
	double s = 0.0;

	for (ulong i = j; i < n; i += DLANES) {
		double d = (double)x[i] - c;

		s = s + d * d;
	}
	l[j] = s;
	tree32d(l, j);
	if (j == 0)
		out[0] = l[0];
}
#endif

/* Order keys of arith-kernels.h: a NaN is knan, otherwise monotonic in the value. */
static int key(float x, int knan)
{
	int b = as_int(x);

	return isnan(x) ? knan : b ^ (int)((uint)(b >> 31) >> 1);
}

static float unkey(int k)
{
	if (k == INT_MAX || k == INT_MIN)
		return NAN;
	return as_float(k ^ (int)((uint)(k >> 31) >> 1));
}

/* max (dir 1) or min (dir -1) of the keys: order-free, so any split is exact. */
__kernel __attribute__((reqd_work_group_size(LANES, 1, 1)))
void tn_maxmin(ulong n, int dir, __global const float *x, __global float *out)
{
	__local int l[LANES];
	uint j = get_local_id(0);
	int knan = dir > 0 ? INT_MAX : INT_MIN;
	int best = key(dir > 0 ? -INFINITY : INFINITY, knan);

	for (ulong i = j; i < n; i += LANES) {
		int k = key(x[i], knan);

		best = dir > 0 ? max(best, k) : min(best, k);
	}
	l[j] = best;
	for (uint h = LANES / 2; h >= 1; h /= 2) {
		barrier(CLK_LOCAL_MEM_FENCE);
		if (j < h)
			l[j] = dir > 0 ? max(l[j], l[j + h]) : min(l[j], l[j + h]);
	}
	barrier(CLK_LOCAL_MEM_FENCE);
	if (j == 0)
		out[0] = unkey(l[0]);
}

/*
 * argmax (dir 1) or argmin (dir -1): the first index of the best key, NaN
 * first (its key is the extreme); ties between lanes go to the lower index.
 */
__kernel __attribute__((reqd_work_group_size(LANES, 1, 1)))
void tn_argmaxmin(ulong n, int dir, __global const float *x, __global ulong *out)
{
	__local int lk[LANES];
	__local ulong li[LANES];
	uint j = get_local_id(0);
	int knan = dir > 0 ? INT_MAX : INT_MIN, best = dir > 0 ? INT_MIN : INT_MAX;
	ulong at = ULONG_MAX;

	for (ulong i = j; i < n; i += LANES) {
		int k = key(x[i], knan);

		if (at == ULONG_MAX || (dir > 0 ? k > best : k < best)) {
			best = k;
			at = i;
		}
	}
	lk[j] = best;
	li[j] = at;
	for (uint h = LANES / 2; h >= 1; h /= 2) {
		barrier(CLK_LOCAL_MEM_FENCE);
		if (j < h && li[j + h] != ULONG_MAX) {
			int a = lk[j], b = lk[j + h];

			if (li[j] == ULONG_MAX || (dir > 0 ? b > a : b < a) ||
			    (a == b && li[j + h] < li[j])) {
				lk[j] = b;
				li[j] = li[j + h];
			}
		}
	}
	barrier(CLK_LOCAL_MEM_FENCE);
	if (j == 0)
		out[0] = li[0];
}

__kernel __attribute__((reqd_work_group_size(LANES, 1, 1)))
void tn_norm_inf(ulong n, __global const float *x, __global float *out)
{
	__local uint l[LANES];
	uint j = get_local_id(0), m = 0;

	for (ulong i = j; i < n; i += LANES)
		m = max(m, as_uint(x[i]) & 0x7fffffffu);
	l[j] = m;
	for (uint h = LANES / 2; h >= 1; h /= 2) {
		barrier(CLK_LOCAL_MEM_FENCE);
		if (j < h)
			l[j] = max(l[j], l[j + h]);
	}
	barrier(CLK_LOCAL_MEM_FENCE);
	if (j == 0)
		out[0] = l[0] > 0x7f800000u ? NAN : as_float(l[0]);
}

/* ---- Matrices (packed: leading dimension = row length) --------------------- */

#define TS 16

/*
 * C (m x n) = A (m x k) B (k x n), 16 x 16 tiles through local memory; the
 * third dimension of the range is the matrix of a batch (packed one after
 * another; sa, sb 0: every product reads the one A, B).
 */
__kernel __attribute__((reqd_work_group_size(TS, TS, 1)))
void tn_matmul(uint m, uint n, uint k, __global const float *a,
	       __global const float *b, __global float *c, uint sa, uint sb)
{
	__local float as[TS][TS], bs[TS][TS + 1];
	uint tx = get_local_id(0), ty = get_local_id(1);
	uint col = get_group_id(0) * TS + tx, row = get_group_id(1) * TS + ty;
	size_t z = get_group_id(2);
	float acc = 0.0f;

	a += z * sa * m * k;
	b += z * sb * k * n;
	c += z * m * n;

	for (uint t = 0; t < k; t += TS) {
		as[ty][tx] = row < m && t + tx < k ? a[(size_t)row * k + t + tx] : 0.0f;
		bs[ty][tx] = t + ty < k && col < n ? b[(size_t)(t + ty) * n + col] : 0.0f;
		barrier(CLK_LOCAL_MEM_FENCE);
		for (uint p = 0; p < TS; p++)
			acc = acc + as[ty][p] * bs[p][tx];
		barrier(CLK_LOCAL_MEM_FENCE);
	}
	if (row < m && col < n)
		c[(size_t)row * n + col] = acc;
}

/* y (m) = A (m x n) x: a work-group of 64 per row, lanes then a tree. */
__kernel __attribute__((reqd_work_group_size(LANES, 1, 1)))
void tn_matvec(uint m, uint n, __global const float *a, __global const float *x,
	       __global float *y)
{
	__local float l[LANES];
	uint j = get_local_id(0), row = get_group_id(0);
	__global const float *r = a + (size_t)row * n;
	float s = 0.0f;

	for (uint i = j; i < n; i += LANES)
		s = s + r[i] * x[i];
	l[j] = s;
	tree64(l, j);
	if (j == 0 && row < m)
		y[row] = l[0];
}

/* y (n) = x (m) A (m x n): a work-item per column. */
__kernel void tn_vecmat(uint m, uint n, __global const float *x, __global const float *a,
			__global float *y)
{
	size_t col = get_global_id(0);
	float s = 0.0f;

	if (col >= n)
		return;
	for (uint i = 0; i < m; i++)
		s = s + x[i] * a[(size_t)i * n + col];
	y[col] = s;
}

/* B (n x m) = A (m x n)^T: a copy, bits kept. */
__kernel void tn_transpose(uint m, uint n, __global const uint *a, __global uint *b)
{
	size_t j = get_global_id(0), i = get_global_id(1);

	if (i < m && j < n)
		b[j * m + i] = a[i * n + j];
}

/* ---- Similarity and distance in double: a work-item per row ---------------- */

#if TN_FP64
__kernel void tn_cosine_batch(uint n, __global const float *q, uint rows,
			      __global const float *r, __global float *out)
{
	size_t row = get_global_id(0);
	__global const float *p = r + row * n;
	double s0 = 0.0, s1 = 0.0, s2 = 0.0, d;

	if (row >= rows)
		return;
	for (uint i = 0; i < n; i++) {
		double x = q[i], y = p[i];

		s0 += x * y;
		s1 += x * x;
		s2 += y * y;
	}
	if (s1 == 0.0 || s2 == 0.0) {
		out[row] = NAN;
		return;
	}
	d = s0 / (sqrt(s1) * sqrt(s2));
	d = d > 1.0 ? 1.0 : d < -1.0 ? -1.0 : d;
	out[row] = (float)d;
}

__kernel void tn_euclidean_batch(uint n, __global const float *q, uint rows,
				 __global const float *r, __global float *out)
{
	size_t row = get_global_id(0);
	__global const float *p = r + row * n;
	double s = 0.0;

	if (row >= rows)
		return;
	for (uint i = 0; i < n; i++) {
		double d = (double)q[i] - (double)p[i];

		s += d * d;
	}
	out[row] = (float)sqrt(s);
}

__kernel void tn_manhattan_batch(uint n, __global const float *q, uint rows,
				 __global const float *r, __global float *out)
{
	size_t row = get_global_id(0);
	__global const float *p = r + row * n;
	double s = 0.0;

	if (row >= rows)
		return;
	for (uint i = 0; i < n; i++)
		s += fabs((double)q[i] - (double)p[i]);
	out[row] = (float)s;
}

/*
 * One pair (cosine, euclidean, manhattan: what 0, 1, 2): one work-group of
 * 32 double lanes (element i to lane i mod 32), combined pairwise; finished
 * like the batch kernels.
 */
__kernel __attribute__((reqd_work_group_size(DLANES, 1, 1)))
void tn_sim_pair(uint n, int what, __global const float *a, __global const float *b,
		 __global float *out)
{
	__local double l0[DLANES], l1[DLANES], l2[DLANES];
	uint j = get_local_id(0);
	double s0 = 0.0, s1 = 0.0, s2 = 0.0, d;

	for (uint i = j; i < n; i += DLANES) {
		double x = a[i], y = b[i];

		if (what == 0) {
			s0 += x * y;
			s1 += x * x;
			s2 += y * y;
		} else {
			d = x - y;
			s0 += what == 1 ? d * d : fabs(d);
		}
	}
	l0[j] = s0;
	l1[j] = s1;
	l2[j] = s2;
	tree32d(l0, j);
	tree32d(l1, j);
	tree32d(l2, j);
	if (j != 0)
		return;
	if (what == 1) {
		out[0] = (float)sqrt(l0[0]);
	} else if (what == 2) {
		out[0] = (float)l0[0];
	} else if (l1[0] == 0.0 || l2[0] == 0.0) {
		out[0] = NAN;
	} else {
		d = l0[0] / (sqrt(l1[0]) * sqrt(l2[0]));
		out[0] = (float)(d > 1.0 ? 1.0 : d < -1.0 ? -1.0 : d);
	}
}
#endif

/* ---- Math: math-body.h's element functions, one work-item per element ------ */

#define MATH1(name) \
__kernel void tn_m_##name(ulong n, __global const float *x, __global float *y) \
{ \
	size_t i = get_global_id(0); \
	if (i < n) \
		y[i] = v_##name(x[i]); \
}
MATH1(exp)
MATH1(log)
MATH1(log2)
MATH1(log10)
MATH1(selu)
MATH1(sigmoid)
MATH1(tanh)
MATH1(gelu)
MATH1(gelu_tanh)
MATH1(swish)
MATH1(hardswish)
MATH1(mish)

__kernel void tn_m_elu(ulong n, float alpha, __global const float *x, __global float *y)
{
	size_t i = get_global_id(0);

	if (i < n)
		y[i] = v_elu(x[i], alpha);
}

__kernel void tn_m_pow(ulong n, __global const float *x, __global const float *e,
		       __global float *y)
{
	size_t i = get_global_id(0);

	if (i < n)
		y[i] = v_pow(x[i], e[i]);
}

/*
 * softmax, log_softmax and layer_norm in four launches over one state
 * buffer st (uint): st[0] the maximum (its bits), st[1] the NaN count,
 * st[2] the +inf count, st[3] how many elements equal the maximum, st[4]
 * the sum's result (s, log s or the mean), st[5] 1/sqrt(var + eps).
 * The maximum is exact in any order; the sums go over math-body.h's 16
 * lanes (element i to lane i mod 16, in order) and its fixed tree, so every
 * step is the CPU's.
 */
#define ST_MAX 0
#define ST_NAN 1
#define ST_PINF 2
#define ST_MAXIMA 3
#define ST_SUM 4
#define ST_RSTD 5
#define MLANES 16

/* Whether softmax_special() of math-body.h takes the input. */
static bool sm_special(__global const uint *st)
{
	return st[ST_NAN] || st[ST_PINF] || as_float(st[ST_MAX]) == -INFINITY;
}

/* The maximum over the elements neither NaN nor +inf, and the counts. */
__kernel __attribute__((reqd_work_group_size(LANES, 1, 1)))
void tn_sm_scan(ulong n, __global const float *x, __global uint *st)
{
	__local float lm[LANES];
	__local uint ln[LANES], lp[LANES];
	uint j = get_local_id(0), nan = 0, pinf = 0;
	float m = -INFINITY;

	for (ulong i = j; i < n; i += LANES) {
		float v = x[i];

		if (isnan(v))
			nan++;
		else if (v == INFINITY)
			pinf++;
		else if (v > m)
			m = v;
	}
	lm[j] = m;
	ln[j] = nan;
	lp[j] = pinf;
	for (uint h = LANES / 2; h >= 1; h /= 2) {
		barrier(CLK_LOCAL_MEM_FENCE);
		if (j < h) {
			lm[j] = lm[j + h] > lm[j] ? lm[j + h] : lm[j];
			ln[j] += ln[j + h];
			lp[j] += lp[j + h];
		}
	}
	barrier(CLK_LOCAL_MEM_FENCE);
	if (j == 0) {
		st[ST_MAX] = as_uint(lm[0]);
		st[ST_NAN] = ln[0];
		st[ST_PINF] = lp[0];
		st[ST_MAXIMA] = 0;
	}
}

/* y = e^(x - max) (log_form: 0 where x is the maximum, counted). */
__kernel void tn_sm_exp(ulong n, int log_form, __global const float *x, __global float *y,
			__global uint *st)
{
	size_t i = get_global_id(0);
	float m, v;

	if (i >= n || sm_special(st))
		return;
	m = as_float(st[ST_MAX]);
	v = x[i];
	if (log_form && v == m) {
		atomic_inc(&st[ST_MAXIMA]);
		y[i] = 0.0f;
	} else {
		y[i] = exp_diff(v, m);
	}
}

/*
 * The 16 lane sums of v, in order, then math-body.h's tree: what 0 softmax's
 * sum s, 1 log_softmax's log s, 2 layer_norm's mean, 3 its 1/sqrt(var + eps)
 * (v - mean squared).
 */
__kernel __attribute__((reqd_work_group_size(MLANES, 1, 1)))
void tn_m_lanes(ulong n, int what, float eps, __global const float *v, __global uint *st)
{
	__local float l[MLANES];
	uint j = get_local_id(0);
	float acc = 0.0f, c = what == 3 ? as_float(st[ST_SUM]) : 0.0f;

	if (what < 2 && sm_special(st))
		return;
	for (ulong i = j; i < n; i += MLANES) {
		float t = v[i];

		if (what == 3) {
			t = t - c;
			t = t * t;
		}
		acc = acc + t;
	}
	l[j] = acc;
	barrier(CLK_LOCAL_MEM_FENCE);
	if (j != 0)
		return;
	for (int h = MLANES / 2; h >= 1; h /= 2)
		for (int k = 0; k < h; k++)
			l[k] += l[k + h];
	acc = l[0];
	if (what == 0)
		st[ST_SUM] = as_uint(acc);
	else if (what == 1)
		st[ST_SUM] = as_uint(v_log1p((float)(st[ST_MAXIMA] - 1) + acc));
	else if (what == 2)
		st[ST_SUM] = as_uint(acc / (float)n);
	else
		st[ST_RSTD] = as_uint(1.0f / sqrt(acc / (float)n + eps));
}

/* softmax (y / s) or log_softmax, and softmax_special()'s answers. */
__kernel void tn_sm_out(ulong n, int log_form, __global const float *x, __global float *y,
			__global const uint *st)
{
	size_t i = get_global_id(0);

	if (i >= n)
		return;
	if (st[ST_NAN]) {
		y[i] = NAN;
	} else if (sm_special(st)) {
		uint pinf = st[ST_PINF];
		float c = pinf ? (float)pinf : (float)n;
		float v = log_form ? -v_log(c) : 1.0f / c;

		y[i] = !pinf || x[i] == INFINITY ? v : log_form ? -INFINITY : 0.0f;
	} else if (log_form) {
		y[i] = log_softmax_one(x[i], as_float(st[ST_MAX]), as_float(st[ST_SUM]));
	} else {
		y[i] = y[i] / as_float(st[ST_SUM]);
	}
}

/* (x - mean) rstd, times gamma, plus beta (has: bit 0 gamma, bit 1 beta). */
__kernel void tn_ln_out(ulong n, int has, __global const float *x, __global const float *g,
			__global const float *b, __global float *y, __global const uint *st)
{
	size_t i = get_global_id(0);
	float d;

	if (i >= n)
		return;
	d = (x[i] - as_float(st[ST_SUM])) * as_float(st[ST_RSTD]);
	if (has & 1)
		d = d * g[i];
	if (has & 2)
		d = d + b[i];
	y[i] = d;
}
