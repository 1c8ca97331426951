/* SPDX-License-Identifier: MIT */
/*
 * The OpenCL kernels of libtn's operations, with the CPU kernels' signatures
 * (the registry calls them the same way): upload, run, download, one run
 * (cl.h) each.  When the device cannot run a call (no device, a size past
 * the kernels' 32-bit indices, a failure), or under auto when the
 * calibration expects the CPU to finish first (tn__cl_cpu_wins), the CPU
 * runs it instead, and its span names the CPU backend that ran.
 */
#include "ops.h"

#include <stdint.h>

#include "cl.h"

#define F sizeof(float)

/* The CPU kernel of op (the automatic CPU choice), for calls the device cannot run. */
static tn__fn cpu(enum tn_op op, enum tn_backend *ret_b)
{
	*ret_b = tn__cl_cpu_backend(op);
	return tn__op_impl(op)->fn[*ret_b];
}

/* Runs call on the CPU, with the kernel span the entry point leaves to the device backend. */
#define ON_CPU(OP, T, n, bytes, ...) \
	do { \
		enum tn_backend cb_; \
		T k_ = (T)cpu(OP, &cb_); \
		uint64_t t0_ = tn__span_begin(); \
		k_(__VA_ARGS__); \
		tn__span_end(OP, cb_, n, bytes, t0_); \
	} while (0)
#define ON_CPU_RET(R, OP, T, n, bytes, ...) \
	do { \
		enum tn_backend cb_; \
		T k_ = (T)cpu(OP, &cb_); \
		uint64_t t0_ = tn__span_begin(); \
		R r_ = k_(__VA_ARGS__); \
		tn__span_end(OP, cb_, n, bytes, t0_); \
		return r_; \
	} while (0)

#define ARG(r, k, i, T, v) do { T v_ = (v); tn__cl_arg(r, k, i, sizeof(T), &v_); } while (0)

/* ---- Element-wise --------------------------------------------------------- */

/*
 * Whether kernel k gives the CPU's bits here: div, sqrt, recip and the math
 * kernels (math-body.h divides) need a correctly rounded device.
 */
static bool exact(enum tn__clk k)
{
	struct tn__cl *cl = tn__cl_get();

	if (!cl)
		return false;
	return cl->cr_divsqrt || (k != TN__CLK_div && k != TN__CLK_sqrt && k != TN__CLK_recip &&
				  (k < TN__CLK_m_exp || k > TN__CLK_ln_out));
}

static int binary(enum tn_op op, enum tn__clk k, size_t n, const float *a, const float *b, float *y)
{
	struct tn__cl_run r;
	cl_mem ma, mb, my;

	if (!exact(k) || tn__cl_cpu_wins(op, 2 * n * F, n * F, 0) || tn__cl_run_begin(&r, op, n) < 0)
		return -ENODEV;
	ma = tn__cl_in(&r, a, n * F);
	mb = tn__cl_in(&r, b, n * F);
	my = tn__cl_out(&r, n * F);
	ARG(&r, k, 0, cl_ulong, n);
	tn__cl_arg(&r, k, 1, sizeof(cl_mem), &ma);
	tn__cl_arg(&r, k, 2, sizeof(cl_mem), &mb);
	tn__cl_arg(&r, k, 3, sizeof(cl_mem), &my);
	tn__cl_launch(&r, k, 1, &n, NULL);
	tn__cl_read(&r, my, y, n * F);
	return tn__cl_run_end(&r);
}

#define BINARY(name) \
void tn__##name##_opencl(size_t n, const float *a, const float *b, float *y) \
{ \
	if (n == 0) \
		return; \
	if (binary(TN_OP_##name, TN__CLK_##name, n, a, b, y) < 0) \
		ON_CPU(TN_OP_##name, tn__bin_fn, n, 3 * n * F, n, a, b, y); \
}
#define TN_OP_add TN_OP_ADD
#define TN_OP_sub TN_OP_SUB
#define TN_OP_mul TN_OP_MUL
#define TN_OP_div TN_OP_DIV
#define TN_OP_minimum TN_OP_MINIMUM
#define TN_OP_maximum TN_OP_MAXIMUM
BINARY(add)
BINARY(sub)
BINARY(mul)
BINARY(div)
BINARY(minimum)
BINARY(maximum)

static int unary(enum tn_op op, enum tn__clk k, size_t n, const float *x, float *y)
{
	struct tn__cl_run r;
	cl_mem mx, my;

	if (!exact(k) || tn__cl_cpu_wins(op, n * F, n * F, 0) || tn__cl_run_begin(&r, op, n) < 0)
		return -ENODEV;
	mx = tn__cl_in(&r, x, n * F);
	my = tn__cl_out(&r, n * F);
	ARG(&r, k, 0, cl_ulong, n);
	tn__cl_arg(&r, k, 1, sizeof(cl_mem), &mx);
	tn__cl_arg(&r, k, 2, sizeof(cl_mem), &my);
	tn__cl_launch(&r, k, 1, &n, NULL);
	tn__cl_read(&r, my, y, n * F);
	return tn__cl_run_end(&r);
}

/* y = f(x) through kernel K, on the CPU when the device declines. */
#define UNARY_K(name, OP, K) \
void tn__##name##_opencl(size_t n, const float *x, float *y) \
{ \
	if (n == 0) \
		return; \
	if (unary(OP, K, n, x, y) < 0) \
		ON_CPU(OP, tn__un_fn, n, 2 * n * F, n, x, y); \
}
#define UNARY(name, OP) UNARY_K(name, OP, TN__CLK_##name)
UNARY(abs, TN_OP_ABS)
UNARY(neg, TN_OP_NEG)
UNARY(sqrt, TN_OP_SQRT)
UNARY(recip, TN_OP_RECIP)
UNARY(floor, TN_OP_FLOOR)
UNARY(ceil, TN_OP_CEIL)
UNARY(round, TN_OP_ROUND)
UNARY(trunc, TN_OP_TRUNC)
UNARY(relu, TN_OP_RELU)

/* y = f(alpha, x): scale and leaky_relu; axpy also reads y. */
static int scal(enum tn_op op, enum tn__clk k, size_t n, float alpha, const float *x, float *y,
		bool reads_y)
{
	struct tn__cl_run r;
	cl_mem mx, my;

	if (!exact(k) || tn__cl_cpu_wins(op, (1 + reads_y) * n * F, n * F, 0) ||
	    tn__cl_run_begin(&r, op, n) < 0)
		return -ENODEV;
	mx = tn__cl_in(&r, x, n * F);
	my = reads_y ? tn__cl_in(&r, y, n * F) : tn__cl_out(&r, n * F);
	ARG(&r, k, 0, cl_ulong, n);
	tn__cl_arg(&r, k, 1, sizeof(float), &alpha);
	tn__cl_arg(&r, k, 2, sizeof(cl_mem), &mx);
	tn__cl_arg(&r, k, 3, sizeof(cl_mem), &my);
	tn__cl_launch(&r, k, 1, &n, NULL);
	tn__cl_read(&r, my, y, n * F);
	return tn__cl_run_end(&r);
}

#define SCAL(name, OP, reads_y, bytes) \
void tn__##name##_opencl(size_t n, float alpha, const float *x, float *y) \
{ \
	if (n == 0) \
		return; \
	if (scal(OP, TN__CLK_##name, n, alpha, x, y, reads_y) < 0) \
		ON_CPU(OP, tn__scal_fn, n, bytes, n, alpha, x, y); \
}
SCAL(scale, TN_OP_SCALE, false, 2 * n * F)
SCAL(axpy, TN_OP_AXPY, true, 3 * n * F)
SCAL(leaky_relu, TN_OP_LEAKY_RELU, false, 2 * n * F)

void tn__fma_opencl(size_t n, const float *a, const float *b, const float *c, float *y)
{
	struct tn__cl_run r;
	cl_mem m[4];
	enum tn__clk k = TN__CLK_fma;

	if (n == 0)
		return;
	if (!tn__cl_cpu_wins(TN_OP_FMA, 3 * n * F, n * F, 0) &&
	    tn__cl_run_begin(&r, TN_OP_FMA, n) == 0) {
		m[0] = tn__cl_in(&r, a, n * F);
		m[1] = tn__cl_in(&r, b, n * F);
		m[2] = tn__cl_in(&r, c, n * F);
		m[3] = tn__cl_out(&r, n * F);
		ARG(&r, k, 0, cl_ulong, n);
		for (unsigned i = 0; i < 4; i++)
			tn__cl_arg(&r, k, i + 1, sizeof(cl_mem), &m[i]);
		tn__cl_launch(&r, k, 1, &n, NULL);
		tn__cl_read(&r, m[3], y, n * F);
		if (tn__cl_run_end(&r) == 0)
			return;
	}
	ON_CPU(TN_OP_FMA, tn__fma_fn, n, 4 * n * F, n, a, b, c, y);
}

void tn__clamp_opencl(size_t n, const float *x, float lo, float hi, float *y)
{
	struct tn__cl_run r;
	cl_mem mx, my;
	enum tn__clk k = TN__CLK_clamp;

	if (n == 0)
		return;
	if (!tn__cl_cpu_wins(TN_OP_CLAMP, n * F, n * F, 0) && tn__cl_run_begin(&r, TN_OP_CLAMP, n) == 0) {
		mx = tn__cl_in(&r, x, n * F);
		my = tn__cl_out(&r, n * F);
		ARG(&r, k, 0, cl_ulong, n);
		tn__cl_arg(&r, k, 1, sizeof(cl_mem), &mx);
		tn__cl_arg(&r, k, 2, sizeof(float), &lo);
		tn__cl_arg(&r, k, 3, sizeof(float), &hi);
		tn__cl_arg(&r, k, 4, sizeof(cl_mem), &my);
		tn__cl_launch(&r, k, 1, &n, NULL);
		tn__cl_read(&r, my, y, n * F);
		if (tn__cl_run_end(&r) == 0)
			return;
	}
	ON_CPU(TN_OP_CLAMP, tn__clamp_fn, n, 2 * n * F, n, x, lo, hi, y);
}

/* ---- Reductions: one work-group of 64 lanes -------------------------------- */

static const size_t lanes = 64;

/* One float from kernel k over x (and b when not NULL); extra is an int argument for maxmin. */
static int reduce(enum tn_op op, enum tn__clk k, size_t n, const float *x, const float *b,
		  const int *extra, float *ret)
{
	struct tn__cl_run r;
	cl_mem mx, mb = NULL, mo;
	unsigned i = 0;

	if (tn__cl_cpu_wins(op, (1 + (b != NULL)) * n * F, F, 0) || tn__cl_run_begin(&r, op, n) < 0)
		return -ENODEV;
	mx = tn__cl_in(&r, x, n * F);
	if (b)
		mb = tn__cl_in(&r, b, n * F);
	mo = tn__cl_out(&r, F);
	ARG(&r, k, i++, cl_ulong, n);
	if (extra)
		tn__cl_arg(&r, k, i++, sizeof(int), extra);
	tn__cl_arg(&r, k, i++, sizeof(cl_mem), &mx);
	if (b)
		tn__cl_arg(&r, k, i++, sizeof(cl_mem), &mb);
	tn__cl_arg(&r, k, i, sizeof(cl_mem), &mo);
	tn__cl_launch(&r, k, 1, &lanes, &lanes);
	tn__cl_read(&r, mo, ret, F);
	return tn__cl_run_end(&r);
}

#define REDUCE(name, OP, K, extra) \
float tn__##name##_opencl(size_t n, const float *x) \
{ \
	float s; \
	if (reduce(OP, K, n, x, NULL, extra, &s) == 0) \
		return s; \
	ON_CPU_RET(float, OP, tn__red_fn, n, n * F, n, x); \
}
static const int up = 1, down = -1;
REDUCE(sum, TN_OP_SUM, TN__CLK_sum, NULL)
REDUCE(norm_l1, TN_OP_NORM_L1, TN__CLK_norm_l1, NULL)
REDUCE(norm_inf, TN_OP_NORM_INF, TN__CLK_norm_inf, NULL)
REDUCE(max, TN_OP_MAX, TN__CLK_maxmin, &up)
REDUCE(min, TN_OP_MIN, TN__CLK_maxmin, &down)

/* The index of the first largest (dir 1) or smallest (dir -1) element; SIZE_MAX for n = 0. */
static int arg(enum tn_op op, int dir, size_t n, const float *x, size_t *ret)
{
	struct tn__cl_run r;
	cl_mem mx, mo;
	cl_ulong at = 0;
	enum tn__clk k = TN__CLK_argmaxmin;
	int e;

	if (tn__cl_cpu_wins(op, n * F, sizeof(at), 0) || tn__cl_run_begin(&r, op, n) < 0)
		return -ENODEV;
	mx = tn__cl_in(&r, x, n * F);
	mo = tn__cl_out(&r, sizeof(at));
	ARG(&r, k, 0, cl_ulong, n);
	tn__cl_arg(&r, k, 1, sizeof(int), &dir);
	tn__cl_arg(&r, k, 2, sizeof(cl_mem), &mx);
	tn__cl_arg(&r, k, 3, sizeof(cl_mem), &mo);
	tn__cl_launch(&r, k, 1, &lanes, &lanes);
	tn__cl_read(&r, mo, &at, sizeof(at));
	e = tn__cl_run_end(&r);
	*ret = at == CL_ULONG_MAX ? SIZE_MAX : (size_t)at;
	return e;
}

size_t tn__argmax_opencl(size_t n, const float *x)
{
	size_t i;

	if (arg(TN_OP_ARGMAX, 1, n, x, &i) == 0)
		return i;
	ON_CPU_RET(size_t, TN_OP_ARGMAX, tn__arg_fn, n, n * F, n, x);
}

size_t tn__argmin_opencl(size_t n, const float *x)
{
	size_t i;

	if (arg(TN_OP_ARGMIN, -1, n, x, &i) == 0)
		return i;
	ON_CPU_RET(size_t, TN_OP_ARGMIN, tn__arg_fn, n, n * F, n, x);
}

float tn__dot_opencl(size_t n, const float *a, const float *b)
{
	float s;

	if (reduce(TN_OP_DOT, TN__CLK_dot, n, a, b, NULL, &s) == 0)
		return s;
	ON_CPU_RET(float, TN_OP_DOT, tn__red2_fn, n, 2 * n * F, n, a, b);
}

/* The double sums (devices with double precision): 32 lanes, the CPU's order. */
static const size_t dlanes = 32;

static int dreduce(enum tn_op op, enum tn__clk k, size_t n, const float *x, const double *c,
		   double *ret)
{
	struct tn__cl_run r;
	cl_mem mx, mo;
	unsigned i = 0;

	if (tn__cl_cpu_wins(op, n * F, sizeof(double), 0) || tn__cl_run_begin(&r, op, n) < 0)
		return -ENODEV;
	mx = tn__cl_in(&r, x, n * F);
	mo = tn__cl_out(&r, sizeof(double));
	ARG(&r, k, i++, cl_ulong, n);
	tn__cl_arg(&r, k, i++, sizeof(cl_mem), &mx);
	if (c)
		tn__cl_arg(&r, k, i++, sizeof(double), c);
	tn__cl_arg(&r, k, i, sizeof(cl_mem), &mo);
	tn__cl_launch(&r, k, 1, &dlanes, &dlanes);
	tn__cl_read(&r, mo, ret, sizeof(double));
	return tn__cl_run_end(&r);
}

/* mean's sum, also the first pass of variance and stddev. */
double tn__dsum_opencl(size_t n, const float *x)
{
	double s;

	if (dreduce(TN_OP_MEAN, TN__CLK_dsum, n, x, NULL, &s) == 0)
		return s;
	ON_CPU_RET(double, TN_OP_MEAN, tn__dsum_fn, n, n * F, n, x);
}

#define DSUMSQ(name, OP) \
double tn__##name##_opencl(size_t n, const float *x, double c) \
{ \
	double s; \
	if (dreduce(OP, TN__CLK_dsumsq, n, x, &c, &s) == 0) \
		return s; \
	ON_CPU_RET(double, OP, tn__dsumsq_fn, n, n * F, n, x, c); \
}
DSUMSQ(norm_l2, TN_OP_NORM_L2)
DSUMSQ(variance, TN_OP_VARIANCE)
DSUMSQ(stddev, TN_OP_STDDEV)

/* ---- Matrices ------------------------------------------------------------- */

/* Whether every value fits the kernels' 32-bit indices. */
static bool fits(size_t a, size_t b, size_t c)
{
	const size_t lim = (size_t)UINT32_MAX - 64;

	return a <= lim && b <= lim && c <= lim;
}

/* The one matrix a stride of tn_matmul_batched reads (0: the same for every product). */
static size_t one_or_all(size_t batch, size_t stride)
{
	return stride == 0 ? 1 : batch;
}

/* Whether the batch of rows x cols (leading dimension ld) matrices goes in one transfer. */
static bool batch_fits(size_t batch, size_t rows, size_t ld, size_t stride)
{
	return batch <= 1 || stride == 0 || (stride % ld == 0 && stride / ld >= rows);
}

/*
 * batch products C_i = A_i B_i in one launch (a range of n x m x batch;
 * stride 0 for A or B: the same matrix for all), with one transfer per
 * operand; returns -ENODEV when the device does not take the call.
 */
static int matmul_on(enum tn_op op, size_t batch, size_t m, size_t n, size_t k,
		     const float *a, size_t lda, size_t sa, const float *b, size_t ldb, size_t sb,
		     float *c, size_t ldc, size_t sc)
{
	struct tn__cl_run r;
	cl_mem ma, mb, mc;
	const size_t local[3] = { 16, 16, 1 }, global[3] = { n, m, batch };
	const size_t na = one_or_all(batch, sa), nb = one_or_all(batch, sb);
	const cl_uint fa = sa != 0 || batch == 1, fb = sb != 0 || batch == 1;
	enum tn__clk kk = TN__CLK_matmul;

	if (!fits(m, n, k) || !fits(batch, 0, 0) || !batch_fits(batch, m, lda, sa) ||
	    !batch_fits(batch, k, ldb, sb) ||
	    (batch > 1 && (sc == 0 || !batch_fits(batch, m, ldc, sc))) ||
	    tn__cl_cpu_wins(op, (na * m * k + nb * k * n) * F, batch * m * n * F,
			    2.0 * batch * m * n * k) ||
	    tn__cl_run_begin(&r, op, batch * m * n * k) < 0)
		return -ENODEV;
	ma = tn__cl_in_batch(&r, a, na, m, k, lda, sa);
	mb = tn__cl_in_batch(&r, b, nb, k, n, ldb, sb);
	mc = tn__cl_out(&r, batch * m * n * F);
	ARG(&r, kk, 0, cl_uint, (cl_uint)m);
	ARG(&r, kk, 1, cl_uint, (cl_uint)n);
	ARG(&r, kk, 2, cl_uint, (cl_uint)k);
	tn__cl_arg(&r, kk, 3, sizeof(cl_mem), &ma);
	tn__cl_arg(&r, kk, 4, sizeof(cl_mem), &mb);
	tn__cl_arg(&r, kk, 5, sizeof(cl_mem), &mc);
	tn__cl_arg(&r, kk, 6, sizeof(cl_uint), &fa);
	tn__cl_arg(&r, kk, 7, sizeof(cl_uint), &fb);
	tn__cl_launch(&r, kk, 3, global, local);
	tn__cl_read_batch(&r, mc, c, batch, m, n, ldc, sc);
	return tn__cl_run_end(&r);
}

void tn__matmul_opencl(size_t m, size_t n, size_t k, const float *a, size_t lda,
		       const float *b, size_t ldb, float *c, size_t ldc)
{
	if (m == 0 || n == 0)
		return;
	if (matmul_on(TN_OP_MATMUL, 1, m, n, k, a, lda, 0, b, ldb, 0, c, ldc, 0) < 0)
		ON_CPU(TN_OP_MATMUL, tn__matmul_fn *, m * n * k, (m * k + k * n + m * n) * F,
		       m, n, k, a, lda, b, ldb, c, ldc);
}

/* tn_matmul_batched: the whole batch in one launch, or on the CPU matrix by matrix. */
void tn__matmul_batched_opencl(size_t batch, size_t m, size_t n, size_t k,
			       const float *a, size_t lda, size_t sa, const float *b, size_t ldb,
			       size_t sb, float *c, size_t ldc, size_t sc)
{
	enum tn_backend cb;
	tn__matmul_fn *kernel;
	uint64_t t0;

	if (batch == 0 || m == 0 || n == 0 ||
	    matmul_on(TN_OP_MATMUL_BATCHED, batch, m, n, k, a, lda, sa, b, ldb, sb, c, ldc,
		      sc) == 0)
		return;
	kernel = (tn__matmul_fn *)cpu(TN_OP_MATMUL_BATCHED, &cb);
	t0 = tn__span_begin();
	for (size_t i = 0; i < batch; i++)
		kernel(m, n, k, a + i * sa, lda, b + i * sb, ldb, c + i * sc, ldc);
	tn__span_end(TN_OP_MATMUL_BATCHED, cb, batch * m * n * k,
		     batch * (m * k + k * n + m * n) * F, t0);
}

void tn__matvec_opencl(size_t m, size_t n, const float *a, size_t lda, const float *x, float *y)
{
	struct tn__cl_run r;
	cl_mem ma, mx, my;
	const size_t global = m * lanes;
	enum tn__clk k = TN__CLK_matvec;

	if (m == 0)
		return;
	if (fits(m, n, m * lanes) && !tn__cl_cpu_wins(TN_OP_MATVEC, (m * n + n) * F, m * F, 0) &&
	    tn__cl_run_begin(&r, TN_OP_MATVEC, m * n) == 0) {
		ma = tn__cl_in_rect(&r, a, m, n, lda);
		mx = tn__cl_in(&r, x, n * F);
		my = tn__cl_out(&r, m * F);
		ARG(&r, k, 0, cl_uint, (cl_uint)m);
		ARG(&r, k, 1, cl_uint, (cl_uint)n);
		tn__cl_arg(&r, k, 2, sizeof(cl_mem), &ma);
		tn__cl_arg(&r, k, 3, sizeof(cl_mem), &mx);
		tn__cl_arg(&r, k, 4, sizeof(cl_mem), &my);
		tn__cl_launch(&r, k, 1, &global, &lanes);
		tn__cl_read(&r, my, y, m * F);
		if (tn__cl_run_end(&r) == 0)
			return;
	}
	ON_CPU(TN_OP_MATVEC, tn__matvec_fn *, m * n, (m * n + m + n) * F, m, n, a, lda, x, y);
}

void tn__vecmat_opencl(size_t m, size_t n, const float *x, const float *a, size_t lda, float *y)
{
	struct tn__cl_run r;
	cl_mem mx, ma, my;
	enum tn__clk k = TN__CLK_vecmat;

	if (n == 0)
		return;
	if (fits(m, n, 0) && !tn__cl_cpu_wins(TN_OP_VECMAT, (m * n + m) * F, n * F, 0) &&
	    tn__cl_run_begin(&r, TN_OP_VECMAT, m * n) == 0) {
		mx = tn__cl_in(&r, x, m * F);
		ma = tn__cl_in_rect(&r, a, m, n, lda);
		my = tn__cl_out(&r, n * F);
		ARG(&r, k, 0, cl_uint, (cl_uint)m);
		ARG(&r, k, 1, cl_uint, (cl_uint)n);
		tn__cl_arg(&r, k, 2, sizeof(cl_mem), &mx);
		tn__cl_arg(&r, k, 3, sizeof(cl_mem), &ma);
		tn__cl_arg(&r, k, 4, sizeof(cl_mem), &my);
		tn__cl_launch(&r, k, 1, &n, NULL);
		tn__cl_read(&r, my, y, n * F);
		if (tn__cl_run_end(&r) == 0)
			return;
	}
	ON_CPU(TN_OP_VECMAT, tn__vecmat_fn *, m * n, (m * n + m + n) * F, m, n, x, a, lda, y);
}

void tn__transpose_opencl(size_t m, size_t n, const float *a, size_t lda, float *b, size_t ldb)
{
	struct tn__cl_run r;
	cl_mem ma, mb;
	const size_t global[2] = { n, m };
	enum tn__clk k = TN__CLK_transpose;

	if (m == 0 || n == 0)
		return;
	if (fits(m, n, 0) && !tn__cl_cpu_wins(TN_OP_TRANSPOSE, m * n * F, m * n * F, 0) &&
	    tn__cl_run_begin(&r, TN_OP_TRANSPOSE, m * n) == 0) {
		ma = tn__cl_in_rect(&r, a, m, n, lda);
		mb = tn__cl_out(&r, m * n * F);
		ARG(&r, k, 0, cl_uint, (cl_uint)m);
		ARG(&r, k, 1, cl_uint, (cl_uint)n);
		tn__cl_arg(&r, k, 2, sizeof(cl_mem), &ma);
		tn__cl_arg(&r, k, 3, sizeof(cl_mem), &mb);
		tn__cl_launch(&r, k, 2, global, NULL);
		tn__cl_read_rect(&r, mb, b, n, m, ldb);
		if (tn__cl_run_end(&r) == 0)
			return;
	}
	ON_CPU(TN_OP_TRANSPOSE, tn__transpose_fn *, m * n, 2 * m * n * F, m, n, a, lda, b, ldb);
}

/* ---- Similarity and distance (devices with double precision) ---------------- */

static int sim_batch(enum tn_op op, enum tn__clk k, size_t n, const float *q, size_t rows,
		     const float *rr, size_t ld, float *out)
{
	struct tn__cl_run r;
	cl_mem mq, mr, mo;

	if (!fits(n, rows, 0) || tn__cl_cpu_wins(op, (rows * n + n) * F, rows * F, 0) ||
	    tn__cl_run_begin(&r, op, rows * n) < 0)
		return -ENODEV;
	mq = tn__cl_in(&r, q, n * F);
	mr = tn__cl_in_rect(&r, rr, rows, n, ld);
	mo = tn__cl_out(&r, rows * F);
	ARG(&r, k, 0, cl_uint, (cl_uint)n);
	tn__cl_arg(&r, k, 1, sizeof(cl_mem), &mq);
	ARG(&r, k, 2, cl_uint, (cl_uint)rows);
	tn__cl_arg(&r, k, 3, sizeof(cl_mem), &mr);
	tn__cl_arg(&r, k, 4, sizeof(cl_mem), &mo);
	tn__cl_launch(&r, k, 1, &rows, NULL);
	tn__cl_read(&r, mo, out, rows * F);
	return tn__cl_run_end(&r);
}

#define SIM_BATCH(name, OP) \
void tn__##name##_opencl(size_t n, const float *q, size_t rows, const float *r, \
			 size_t ld, float *out) \
{ \
	if (rows == 0) \
		return; \
	if (sim_batch(OP, TN__CLK_##name, n, q, rows, r, ld, out) < 0) \
		ON_CPU(OP, tn__sim_batch_fn *, rows * n, (rows * (n + 1) + n) * F, \
		       n, q, rows, r, ld, out); \
}
SIM_BATCH(cosine_batch, TN_OP_COSINE_BATCH)
SIM_BATCH(euclidean_batch, TN_OP_EUCLIDEAN_BATCH)
SIM_BATCH(manhattan_batch, TN_OP_MANHATTAN_BATCH)

/* One pair: one work-group of 32 double lanes (kernels.cl). */
static int sim_pair(enum tn_op op, int what, size_t n, const float *a, const float *b,
		    float *ret)
{
	struct tn__cl_run r;
	cl_mem ma, mb, mo;
	enum tn__clk k = TN__CLK_sim_pair;

	if (!fits(n, 0, 0) || tn__cl_cpu_wins(op, 2 * n * F, F, 0) || tn__cl_run_begin(&r, op, n) < 0)
		return -ENODEV;
	ma = tn__cl_in(&r, a, n * F);
	mb = tn__cl_in(&r, b, n * F);
	mo = tn__cl_out(&r, F);
	ARG(&r, k, 0, cl_uint, (cl_uint)n);
	tn__cl_arg(&r, k, 1, sizeof(int), &what);
	tn__cl_arg(&r, k, 2, sizeof(cl_mem), &ma);
	tn__cl_arg(&r, k, 3, sizeof(cl_mem), &mb);
	tn__cl_arg(&r, k, 4, sizeof(cl_mem), &mo);
	tn__cl_launch(&r, k, 1, &dlanes, &dlanes);
	tn__cl_read(&r, mo, ret, F);
	return tn__cl_run_end(&r);
}

#define SIM_PAIR(name, OP, what) \
float tn__##name##_opencl(size_t n, const float *a, const float *b) \
{ \
	float s; \
	if (n && sim_pair(OP, what, n, a, b, &s) == 0) \
		return s; \
	ON_CPU_RET(float, OP, tn__sim_fn *, n, 2 * n * F, n, a, b); \
}
SIM_PAIR(cosine, TN_OP_COSINE, 0)
SIM_PAIR(euclidean, TN_OP_EUCLIDEAN, 1)
SIM_PAIR(manhattan, TN_OP_MANHATTAN, 2)

/* ---- Math: math-body.h's element functions on the device ------------------ */

/* The math kernels of math-body.h: tn__exp_opencl runs kernel tn_m_exp. */
#define MATH_UNARY(name, OP) UNARY_K(name, OP, TN__CLK_m_##name)
MATH_UNARY(exp, TN_OP_EXP)
MATH_UNARY(log, TN_OP_LOG)
MATH_UNARY(log2, TN_OP_LOG2)
MATH_UNARY(log10, TN_OP_LOG10)
MATH_UNARY(selu, TN_OP_SELU)
MATH_UNARY(sigmoid, TN_OP_SIGMOID)
MATH_UNARY(tanh, TN_OP_TANH)
MATH_UNARY(gelu, TN_OP_GELU)
MATH_UNARY(gelu_tanh, TN_OP_GELU_TANH)
MATH_UNARY(swish, TN_OP_SWISH)
MATH_UNARY(hardswish, TN_OP_HARDSWISH)
MATH_UNARY(mish, TN_OP_MISH)

void tn__elu_opencl(size_t n, float alpha, const float *x, float *y)
{
	if (n == 0)
		return;
	if (scal(TN_OP_ELU, TN__CLK_m_elu, n, alpha, x, y, false) < 0)
		ON_CPU(TN_OP_ELU, tn__scal_fn, n, 2 * n * F, n, alpha, x, y);
}

void tn__pow_opencl(size_t n, const float *x, const float *e, float *y)
{
	if (n == 0)
		return;
	if (binary(TN_OP_POW, TN__CLK_m_pow, n, x, e, y) < 0)
		ON_CPU(TN_OP_POW, tn__bin_fn, n, 3 * n * F, n, x, e, y);
}

/*
 * softmax and log_softmax: the maximum and the special values (one
 * work-group), e^(x - max) per element, the 16 lane sums (one work-group
 * of 16), the results per element; kernels.cl says why the bits are the
 * CPU's.  The state (8 words) stays on the device between the launches.
 */
static const size_t mlanes = 16;
#define ST_BYTES (8 * sizeof(cl_uint))

/* Arguments first... of kernel k: the buffers m[count]. */
static void mems(struct tn__cl_run *r, enum tn__clk k, unsigned first, const cl_mem *m,
		 unsigned count)
{
	for (unsigned i = 0; i < count; i++)
		tn__cl_arg(r, k, first + i, sizeof(cl_mem), &m[i]);
}

/* Kernel m_lanes over v: its arguments n, what, eps, v, st, then the launch. */
static void lanes_on(struct tn__cl_run *r, size_t n, int what, float eps, cl_mem v, cl_mem st)
{
	const cl_mem m[2] = { v, st };

	ARG(r, TN__CLK_m_lanes, 0, cl_ulong, n);
	tn__cl_arg(r, TN__CLK_m_lanes, 1, sizeof(int), &what);
	tn__cl_arg(r, TN__CLK_m_lanes, 2, sizeof(float), &eps);
	mems(r, TN__CLK_m_lanes, 3, m, 2);
	tn__cl_launch(r, TN__CLK_m_lanes, 1, &mlanes, &mlanes);
}

static int softmax_on(enum tn_op op, bool log_form, size_t n, const float *x, float *y)
{
	struct tn__cl_run r;
	cl_mem m[3];            /* x, y, the state */
	const int lf = log_form;
	const enum tn__clk per[2] = { TN__CLK_sm_exp, TN__CLK_sm_out };

	if (n > UINT32_MAX || !exact(TN__CLK_sm_out) || tn__cl_cpu_wins(op, n * F, n * F, 0) ||
	    tn__cl_run_begin(&r, op, n) < 0)
		return -ENODEV;
	m[0] = tn__cl_in(&r, x, n * F);
	m[1] = tn__cl_out(&r, n * F);
	m[2] = tn__cl_out(&r, ST_BYTES);
	ARG(&r, TN__CLK_sm_scan, 0, cl_ulong, n);
	mems(&r, TN__CLK_sm_scan, 1, (const cl_mem[]){ m[0], m[2] }, 2);
	for (int i = 0; i < 2; i++) {
		ARG(&r, per[i], 0, cl_ulong, n);
		tn__cl_arg(&r, per[i], 1, sizeof(int), &lf);
		mems(&r, per[i], 2, m, 3);
	}
	tn__cl_launch(&r, TN__CLK_sm_scan, 1, &lanes, &lanes);
	tn__cl_launch(&r, TN__CLK_sm_exp, 1, &n, NULL);
	lanes_on(&r, n, lf, 0.0f, m[1], m[2]);
	tn__cl_launch(&r, TN__CLK_sm_out, 1, &n, NULL);
	tn__cl_read(&r, m[1], y, n * F);
	return tn__cl_run_end(&r);
}

void tn__softmax_opencl(size_t n, const float *x, float *y)
{
	if (n == 0)
		return;
	if (softmax_on(TN_OP_SOFTMAX, false, n, x, y) < 0)
		ON_CPU(TN_OP_SOFTMAX, tn__un_fn, n, 2 * n * F, n, x, y);
}

void tn__log_softmax_opencl(size_t n, const float *x, float *y)
{
	if (n == 0)
		return;
	if (softmax_on(TN_OP_LOG_SOFTMAX, true, n, x, y) < 0)
		ON_CPU(TN_OP_LOG_SOFTMAX, tn__un_fn, n, 2 * n * F, n, x, y);
}

/* layer_norm: the mean and 1/sqrt(var + eps) (16 lanes each), then per element. */
static int layer_norm_on(size_t n, const float *x, const float *gamma, const float *beta,
			 float eps, float *y)
{
	struct tn__cl_run r;
	cl_mem m[5];            /* x, gamma, beta, y, the state */
	const int has = (gamma != NULL) | (beta != NULL) << 1;
	const size_t in = (1 + (gamma != NULL) + (beta != NULL)) * n * F;
	enum tn__clk k = TN__CLK_ln_out;

	if (n > UINT32_MAX || !exact(k) || tn__cl_cpu_wins(TN_OP_LAYER_NORM, in, n * F, 0) ||
	    tn__cl_run_begin(&r, TN_OP_LAYER_NORM, n) < 0)
		return -ENODEV;
	m[0] = tn__cl_in(&r, x, n * F);
	m[1] = gamma ? tn__cl_in(&r, gamma, n * F) : m[0];
	m[2] = beta ? tn__cl_in(&r, beta, n * F) : m[0];
	m[3] = tn__cl_out(&r, n * F);
	m[4] = tn__cl_out(&r, ST_BYTES);
	lanes_on(&r, n, 2, eps, m[0], m[4]);
	lanes_on(&r, n, 3, eps, m[0], m[4]);
	ARG(&r, k, 0, cl_ulong, n);
	tn__cl_arg(&r, k, 1, sizeof(int), &has);
	mems(&r, k, 2, m, 5);
	tn__cl_launch(&r, k, 1, &n, NULL);
	tn__cl_read(&r, m[3], y, n * F);
	return tn__cl_run_end(&r);
}

void tn__layer_norm_opencl(size_t n, const float *x, const float *gamma, const float *beta,
			   float eps, float *y)
{
	if (n == 0)
		return;
	if (layer_norm_on(n, x, gamma, beta, eps, y) < 0)
		ON_CPU(TN_OP_LAYER_NORM, tn__m_layer_norm_fn, n,
		       (2 + (gamma != NULL) + (beta != NULL)) * n * F, n, x, gamma, beta, eps, y);
}
