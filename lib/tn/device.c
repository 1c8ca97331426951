/* SPDX-License-Identifier: MIT */
/* tn-device.h: the device backend's status (and, with OpenCL, what opencl/ does). */
#include <errno.h>

#include "internal.h"
#include "tn/tn-device.h"
#if TN_HAVE_OPENCL
#include "opencl/cl.h"
#endif

int tn_device_status(const char **ret_text)
{
#if TN_HAVE_OPENCL
	int r = tn__device_caps() & TN__CAP_OPENCL ? 0 : -ENODEV;

	if (ret_text)
		*ret_text = tn__cl_why();
	return r;
#else
	if (ret_text)
		*ret_text = "libtn was built without OpenCL (-Dopencl=disabled, or no OpenCL headers)";
	return -ENODEV;
#endif
}

/* ---- The classes of the cost model (tn-device.h) ---------------------------- */

const char *tn_device_class_name(enum tn_device_class c)
{
	static const char *const names[TN_DEVICE_CLASS_COUNT_] = {
		[TN_DEVICE_STREAM] = "stream", [TN_DEVICE_MATH] = "math", [TN_DEVICE_REDUCE] = "reduce",
	};

	return (unsigned)c < TN_DEVICE_CLASS_COUNT_ ? names[c] : NULL;
}

int tn_device_op_class(enum tn_op op)
{
	switch (op) {
	case TN_OP_ADD: case TN_OP_SUB: case TN_OP_MUL: case TN_OP_DIV: case TN_OP_SCALE:
	case TN_OP_AXPY: case TN_OP_FMA: case TN_OP_ABS: case TN_OP_NEG: case TN_OP_SQRT:
	case TN_OP_RECIP: case TN_OP_MINIMUM: case TN_OP_MAXIMUM: case TN_OP_CLAMP:
	case TN_OP_FLOOR: case TN_OP_CEIL: case TN_OP_ROUND: case TN_OP_TRUNC: case TN_OP_RELU:
	case TN_OP_LEAKY_RELU: case TN_OP_HARDSWISH: case TN_OP_TRANSPOSE:
		return TN_DEVICE_STREAM;
	case TN_OP_EXP: case TN_OP_LOG: case TN_OP_LOG2: case TN_OP_LOG10: case TN_OP_SELU:
	case TN_OP_SIGMOID: case TN_OP_TANH: case TN_OP_GELU: case TN_OP_GELU_TANH:
	case TN_OP_SWISH: case TN_OP_MISH: case TN_OP_ELU: case TN_OP_POW:
		return TN_DEVICE_MATH;
	/* softmax and log_softmax: math on the CPU, but on the device their
	 * sums run over the CPU's 16 lanes in one work-group, as the
	 * reductions do (4 ms for 2^20 floats on an H200): costed as those. */
	case TN_OP_SUM: case TN_OP_DOT: case TN_OP_MAX: case TN_OP_MIN: case TN_OP_ARGMAX:
	case TN_OP_ARGMIN: case TN_OP_NORM_L1: case TN_OP_NORM_INF: case TN_OP_NORM_L2:
	case TN_OP_MEAN: case TN_OP_VARIANCE: case TN_OP_STDDEV: case TN_OP_COSINE_BATCH:
	case TN_OP_EUCLIDEAN_BATCH: case TN_OP_MANHATTAN_BATCH: case TN_OP_MATVEC:
	case TN_OP_VECMAT: case TN_OP_LAYER_NORM: case TN_OP_COSINE: case TN_OP_EUCLIDEAN:
	case TN_OP_MANHATTAN: case TN_OP_SOFTMAX: case TN_OP_LOG_SOFTMAX:
		return TN_DEVICE_REDUCE;
	default:
		return -1;
	}
}

#if !TN_HAVE_OPENCL
/* Built without OpenCL: there is no device, and every device call says so. */
int tn_dev_new(size_t n, struct tn_dev_buf **ret)
{
	(void)n;
	if (ret)
		*ret = NULL;
	return -ENODEV;
}

void tn_dev_free(struct tn_dev_buf *d)
{
	(void)d;
}

size_t tn_dev_len(const struct tn_dev_buf *d)
{
	(void)d;
	return 0;
}

int tn_device_calibrate(struct tn_device_calibration *ret)
{
	(void)ret;
	return -ENODEV;
}

int tn_device_calibration_save(const struct tn_device_calibration *c)
{
	(void)c;
	return -ENODEV;
}

int tn_device_calibration_load(struct tn_device_calibration *ret)
{
	(void)ret;
	return -ENODEV;
}

const char *tn_device_calibration_path(void)
{
	return NULL;
}

/* No struct tn_dev_buf can exist: every other call has none to work on. */
#define NODEV(name, params) int tn_dev_##name params { return -ENODEV; }
NODEV(upload, (struct tn_dev_buf *d, size_t off, size_t n, const float *src))
NODEV(download, (const struct tn_dev_buf *d, size_t off, size_t n, float *dst))
NODEV(add, (size_t n, const struct tn_dev_buf *a, const struct tn_dev_buf *b, struct tn_dev_buf *y))
NODEV(sub, (size_t n, const struct tn_dev_buf *a, const struct tn_dev_buf *b, struct tn_dev_buf *y))
NODEV(mul, (size_t n, const struct tn_dev_buf *a, const struct tn_dev_buf *b, struct tn_dev_buf *y))
NODEV(div, (size_t n, const struct tn_dev_buf *a, const struct tn_dev_buf *b, struct tn_dev_buf *y))
NODEV(relu, (size_t n, const struct tn_dev_buf *x, struct tn_dev_buf *y))
NODEV(unary, (enum tn_op op, size_t n, const struct tn_dev_buf *x, struct tn_dev_buf *y))
NODEV(scale, (size_t n, float alpha, const struct tn_dev_buf *x, struct tn_dev_buf *y))
NODEV(axpy, (size_t n, float alpha, const struct tn_dev_buf *x, struct tn_dev_buf *y))
NODEV(pow, (size_t n, const struct tn_dev_buf *x, const struct tn_dev_buf *e, struct tn_dev_buf *y))
NODEV(elu, (size_t n, float alpha, const struct tn_dev_buf *x, struct tn_dev_buf *y))
NODEV(sum, (size_t n, const struct tn_dev_buf *x, float *ret))
NODEV(dot, (size_t n, const struct tn_dev_buf *a, const struct tn_dev_buf *b, float *ret))
NODEV(matmul, (size_t m, size_t n, size_t k, const struct tn_dev_buf *a,
	       const struct tn_dev_buf *b, struct tn_dev_buf *c))
NODEV(matvec, (size_t m, size_t n, const struct tn_dev_buf *a, const struct tn_dev_buf *x,
	       struct tn_dev_buf *y))
#endif
