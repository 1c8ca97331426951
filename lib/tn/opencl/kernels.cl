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
 *  - the similarity kernels (TN_FP64 only) accumulate in double like the CPU.
 */
#pragma OPENCL FP_CONTRACT OFF
#if TN_FP64
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
#endif

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

/* C (m x n) = A (m x k) B (k x n), 16 x 16 tiles through local memory. */
__kernel __attribute__((reqd_work_group_size(TS, TS, 1)))
void tn_matmul(uint m, uint n, uint k, __global const float *a,
	       __global const float *b, __global float *c)
{
	__local float as[TS][TS], bs[TS][TS + 1];
	uint tx = get_local_id(0), ty = get_local_id(1);
	uint col = get_group_id(0) * TS + tx, row = get_group_id(1) * TS + ty;
	float acc = 0.0f;

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
#endif
