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
NODEV(sum, (size_t n, const struct tn_dev_buf *x, float *ret))
NODEV(dot, (size_t n, const struct tn_dev_buf *a, const struct tn_dev_buf *b, float *ret))
NODEV(matmul, (size_t m, size_t n, size_t k, const struct tn_dev_buf *a,
	       const struct tn_dev_buf *b, struct tn_dev_buf *c))
NODEV(matvec, (size_t m, size_t n, const struct tn_dev_buf *a, const struct tn_dev_buf *x,
	       struct tn_dev_buf *y))
#endif
