/* SPDX-License-Identifier: MIT */
/* tn-device.h: buffers that stay on the OpenCL device, and operations on them. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "cl.h"
#include "tn/tn-device.h"

struct tn_dev_buf {
	cl_mem m;
	size_t n;
};

#define F sizeof(float)

int tn_dev_new(size_t n, struct tn_dev_buf **ret)
{
	struct tn__cl *cl;
	struct tn_dev_buf *d;
	cl_int e;

	if (!ret)
		return -EINVAL;
	*ret = NULL;
	if (n > SIZE_MAX / F)
		return -EINVAL;
	if (!(tn__device_caps() & TN__CAP_OPENCL) || !(cl = tn__cl_get()))
		return -ENODEV;
	if (!(d = malloc(sizeof(*d))))
		return -ENOMEM;
	d->n = n;
	/* A buffer of 0 bytes is no buffer in OpenCL: keep one float. */
	d->m = cl->f.clCreateBuffer(cl->ctx, CL_MEM_READ_WRITE, (n ? n : 1) * F, NULL, &e);
	if (!d->m || e != CL_SUCCESS) {
		free(d);
		return e == CL_OUT_OF_HOST_MEMORY || e == CL_MEM_OBJECT_ALLOCATION_FAILURE ||
		       e == CL_INVALID_BUFFER_SIZE ? -ENOMEM : -EIO;
	}
	*ret = d;
	return 0;
}

void tn_dev_free(struct tn_dev_buf *d)
{
	if (!d)
		return;
	tn__cl_get()->f.clReleaseMemObject(d->m);
	free(d);
}

size_t tn_dev_len(const struct tn_dev_buf *d)
{
	return d ? d->n : 0;
}

/* Elements [off, off + n) lie in d. */
static bool holds(const struct tn_dev_buf *d, size_t off, size_t n)
{
	return d && off <= d->n && n <= d->n - off;
}

int tn_dev_upload(struct tn_dev_buf *d, size_t off, size_t n, const float *src)
{
	struct tn__cl_run r;

	if (!holds(d, off, n) || (n && !src))
		return -EINVAL;
	if (tn__cl_run_begin(&r, TN__OP_TRANSFER, n) < 0)
		return -ENODEV;
	tn__cl_write_at(&r, d->m, off * F, src, n * F);
	return tn__cl_run_end(&r);
}

int tn_dev_download(const struct tn_dev_buf *d, size_t off, size_t n, float *dst)
{
	struct tn__cl_run r;

	if (!holds(d, off, n) || (n && !dst))
		return -EINVAL;
	if (tn__cl_run_begin(&r, TN__OP_TRANSFER, n) < 0)
		return -ENODEV;
	tn__cl_read_at(&r, d->m, off * F, dst, n * F);
	return tn__cl_run_end(&r);
}

/* One kernel argument: a buffer (buf) or a value (size bytes at v). */
struct arg {
	const struct tn_dev_buf *buf;
	size_t size;
	const void *v;
};
#define BUF(d) { (d), 0, NULL }
#define VAL(T, x) { NULL, sizeof(T), &(T){ (x) } }

/*
 * Runs kernel k over global (local may be NULL) with args; when ret is not
 * NULL, downloads one float from the first element of out into it.
 */
static int run(enum tn_op op, size_t n, enum tn__clk k, const struct arg *args, unsigned nargs,
	       unsigned dims, const size_t *global, const size_t *local,
	       const struct tn_dev_buf *out, float *ret)
{
	struct tn__cl_run r;

	if (tn__cl_run_begin(&r, op, n) < 0)
		return -ENODEV;
	for (unsigned i = 0; i < nargs; i++) {
		if (args[i].buf)
			tn__cl_arg(&r, k, i, sizeof(cl_mem), &args[i].buf->m);
		else
			tn__cl_arg(&r, k, i, args[i].size, args[i].v);
	}
	tn__cl_launch(&r, k, dims, global, local);
	if (ret)
		tn__cl_read_at(&r, out->m, 0, ret, F);
	return tn__cl_run_end(&r);
}

/* Scratch for the one-float results of tn_dev_sum and tn_dev_dot. */
static int result_buf(struct tn_dev_buf **ret)
{
	return tn_dev_new(1, ret);
}

static int binary(enum tn_op op, enum tn__clk k, size_t n, const struct tn_dev_buf *a,
		  const struct tn_dev_buf *b, struct tn_dev_buf *y)
{
	struct tn__cl *cl = tn__cl_get();

	if (!holds(a, 0, n) || !holds(b, 0, n) || !holds(y, 0, n))
		return -EINVAL;
	if (!cl)
		return -ENODEV;
	/* div, and pow's math-body.h: the CPU's bits need correctly rounded division */
	if ((k == TN__CLK_div || k == TN__CLK_m_pow) && !cl->cr_divsqrt)
		return -ENOTSUP;
	if (n == 0)
		return 0;
	const struct arg args[] = { VAL(cl_ulong, n), BUF(a), BUF(b), BUF(y) };

	return run(op, n, k, args, 4, 1, &n, NULL, NULL, NULL);
}

int tn_dev_add(size_t n, const struct tn_dev_buf *a, const struct tn_dev_buf *b, struct tn_dev_buf *y)
{
	return binary(TN_OP_ADD, TN__CLK_add, n, a, b, y);
}

int tn_dev_sub(size_t n, const struct tn_dev_buf *a, const struct tn_dev_buf *b, struct tn_dev_buf *y)
{
	return binary(TN_OP_SUB, TN__CLK_sub, n, a, b, y);
}

int tn_dev_mul(size_t n, const struct tn_dev_buf *a, const struct tn_dev_buf *b, struct tn_dev_buf *y)
{
	return binary(TN_OP_MUL, TN__CLK_mul, n, a, b, y);
}

int tn_dev_div(size_t n, const struct tn_dev_buf *a, const struct tn_dev_buf *b, struct tn_dev_buf *y)
{
	return binary(TN_OP_DIV, TN__CLK_div, n, a, b, y);
}

int tn_dev_pow(size_t n, const struct tn_dev_buf *x, const struct tn_dev_buf *e, struct tn_dev_buf *y)
{
	return binary(TN_OP_POW, TN__CLK_m_pow, n, x, e, y);
}

int tn_dev_relu(size_t n, const struct tn_dev_buf *x, struct tn_dev_buf *y)
{
	if (!holds(x, 0, n) || !holds(y, 0, n))
		return -EINVAL;
	if (n == 0)
		return tn__cl_get() ? 0 : -ENODEV;
	const struct arg args[] = { VAL(cl_ulong, n), BUF(x), BUF(y) };

	return run(TN_OP_RELU, n, TN__CLK_relu, args, 3, 1, &n, NULL, NULL, NULL);
}

/* The kernel of y = f(x) for op, for tn_dev_unary(), or -1. */
static int unary_kernel(enum tn_op op)
{
	switch (op) {
	case TN_OP_RELU: return TN__CLK_relu;
	case TN_OP_EXP: return TN__CLK_m_exp;
	case TN_OP_LOG: return TN__CLK_m_log;
	case TN_OP_LOG2: return TN__CLK_m_log2;
	case TN_OP_LOG10: return TN__CLK_m_log10;
	case TN_OP_SELU: return TN__CLK_m_selu;
	case TN_OP_SIGMOID: return TN__CLK_m_sigmoid;
	case TN_OP_TANH: return TN__CLK_m_tanh;
	case TN_OP_GELU: return TN__CLK_m_gelu;
	case TN_OP_GELU_TANH: return TN__CLK_m_gelu_tanh;
	case TN_OP_SWISH: return TN__CLK_m_swish;
	case TN_OP_HARDSWISH: return TN__CLK_m_hardswish;
	case TN_OP_MISH: return TN__CLK_m_mish;
	default: return -1;
	}
}

int tn_dev_unary(enum tn_op op, size_t n, const struct tn_dev_buf *x, struct tn_dev_buf *y)
{
	int k = unary_kernel(op);
	struct tn__cl *cl;

	if (k < 0 || !holds(x, 0, n) || !holds(y, 0, n))
		return -EINVAL;
	if (!(cl = tn__cl_get()))
		return -ENODEV;
	/* math-body.h divides: the CPU's bits need correctly rounded division */
	if (k != TN__CLK_relu && !cl->cr_divsqrt)
		return -ENOTSUP;
	if (n == 0)
		return 0;
	const struct arg args[] = { VAL(cl_ulong, n), BUF(x), BUF(y) };

	return run(op, n, (enum tn__clk)k, args, 3, 1, &n, NULL, NULL, NULL);
}

static int scal(enum tn_op op, enum tn__clk k, size_t n, float alpha, const struct tn_dev_buf *x,
		struct tn_dev_buf *y)
{
	struct tn__cl *cl;

	if (!holds(x, 0, n) || !holds(y, 0, n))
		return -EINVAL;
	if (!(cl = tn__cl_get()))
		return -ENODEV;
	if (k == TN__CLK_m_elu && !cl->cr_divsqrt)      /* math-body.h, as tn_dev_unary */
		return -ENOTSUP;
	if (n == 0)
		return 0;
	const struct arg args[] = { VAL(cl_ulong, n), VAL(float, alpha), BUF(x), BUF(y) };

	return run(op, n, k, args, 4, 1, &n, NULL, NULL, NULL);
}

int tn_dev_scale(size_t n, float alpha, const struct tn_dev_buf *x, struct tn_dev_buf *y)
{
	return scal(TN_OP_SCALE, TN__CLK_scale, n, alpha, x, y);
}

int tn_dev_axpy(size_t n, float alpha, const struct tn_dev_buf *x, struct tn_dev_buf *y)
{
	return scal(TN_OP_AXPY, TN__CLK_axpy, n, alpha, x, y);
}

int tn_dev_elu(size_t n, float alpha, const struct tn_dev_buf *x, struct tn_dev_buf *y)
{
	return scal(TN_OP_ELU, TN__CLK_m_elu, n, alpha, x, y);
}

static const size_t lanes = 64;

static int reduce(enum tn_op op, enum tn__clk k, size_t n, const struct tn_dev_buf *a,
		  const struct tn_dev_buf *b, float *ret)
{
	struct tn_dev_buf *o;
	int r;

	if (!holds(a, 0, n) || (b && !holds(b, 0, n)) || !ret)
		return -EINVAL;
	if ((r = result_buf(&o)) < 0)
		return r;
	const struct arg two[] = { VAL(cl_ulong, n), BUF(a), BUF(o) };
	const struct arg three[] = { VAL(cl_ulong, n), BUF(a), BUF(b), BUF(o) };

	r = run(op, n, k, b ? three : two, b ? 4 : 3, 1, &lanes, &lanes, o, ret);
	tn_dev_free(o);
	return r;
}

int tn_dev_sum(size_t n, const struct tn_dev_buf *x, float *ret)
{
	return reduce(TN_OP_SUM, TN__CLK_sum, n, x, NULL, ret);
}

int tn_dev_dot(size_t n, const struct tn_dev_buf *a, const struct tn_dev_buf *b, float *ret)
{
	return reduce(TN_OP_DOT, TN__CLK_dot, n, a, b, ret);
}

/* rows x cols fits in d, and in the kernels' 32-bit indices. */
static bool holds_mat(const struct tn_dev_buf *d, size_t rows, size_t cols)
{
	return d && rows <= UINT32_MAX / 2 && cols <= UINT32_MAX / 2 &&
	       (cols == 0 || rows <= d->n / cols);
}

int tn_dev_matmul(size_t m, size_t n, size_t k, const struct tn_dev_buf *a,
		  const struct tn_dev_buf *b, struct tn_dev_buf *c)
{
	const size_t local[2] = { 16, 16 }, global[2] = { n, m };

	if (!holds_mat(a, m, k) || !holds_mat(b, k, n) || !holds_mat(c, m, n) || c == a || c == b)
		return -EINVAL;
	if (m == 0 || n == 0)
		return tn__cl_get() ? 0 : -ENODEV;
	const struct arg args[] = { VAL(cl_uint, (cl_uint)m), VAL(cl_uint, (cl_uint)n),
				    VAL(cl_uint, (cl_uint)k), BUF(a), BUF(b), BUF(c),
				    VAL(cl_uint, 1), VAL(cl_uint, 1) };

	return run(TN_OP_MATMUL, m * n * k, TN__CLK_matmul, args, 8, 2, global, local, NULL, NULL);
}

int tn_dev_matvec(size_t m, size_t n, const struct tn_dev_buf *a, const struct tn_dev_buf *x,
		  struct tn_dev_buf *y)
{
	const size_t global = m * lanes;

	if (!holds_mat(a, m, n) || !holds(x, 0, n) || !holds(y, 0, m) || y == a || y == x ||
	    m > UINT32_MAX / lanes)
		return -EINVAL;
	if (m == 0)
		return tn__cl_get() ? 0 : -ENODEV;
	const struct arg args[] = { VAL(cl_uint, (cl_uint)m), VAL(cl_uint, (cl_uint)n),
				    BUF(a), BUF(x), BUF(y) };

	return run(TN_OP_MATVEC, m * n, TN__CLK_matvec, args, 5, 1, &global, &lanes, NULL, NULL);
}
