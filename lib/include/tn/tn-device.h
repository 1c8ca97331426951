/* SPDX-License-Identifier: MIT */
/* libtn's device (GPU) backend: its status, and data kept on the device (libtn(3), DEVICE). */
#pragma once

#include <stddef.h>

#include "tn/tn.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Probes the OpenCL device (once per process: the ICD loader, the first GPU
 * of any platform, else the first device, its program built or loaded from
 * the cache) and returns 0 when it is usable, -ENODEV when not.  *ret_text
 * (may be NULL) gets a static string: the device ("Portable Computing
 * Language: pthread-... (OpenCL 3.0 ..., driver 3.1)"), or why there is none
 * ("no OpenCL platform ...", "built without OpenCL").
 */
int tn_device_status(const char **ret_text);

/*
 * ---- Data kept on the device ---------------------------------------------
 *
 * Upload once, run a chain of operations on device buffers, download once:
 * the transfers that each tn_* call on the opencl backend pays are paid
 * only at the ends.  A struct tn_dev_buf holds n floats in device memory.
 * Matrices in device buffers are packed (leading dimension = row length).
 * The operations give the results of the opencl backend (libtn(3),
 * OPENCL) and write a "kernel" span each; tn_dev_upload and tn_dev_download
 * write "upload" and "download" spans named "transfer".
 *
 * Every function returns 0 or a negative errno: -ENODEV without a device,
 * -EINVAL for a buffer too small for the shape given (or NULL), -ENOMEM
 * when the device has no room, -EIO when the device fails, -ENOTSUP for an
 * operation the device cannot run (similarity without double precision;
 * div, sqrt, recip, tn_dev_pow, tn_dev_elu or the math of tn_dev_unary
 * without correctly rounded division).  Operations are complete when they return.  A buffer may be
 * both input and output of an element-wise operation, not of matmul or
 * matvec.
 */
struct tn_dev_buf;

int tn_dev_new(size_t n, struct tn_dev_buf **ret);
void tn_dev_free(struct tn_dev_buf *d);                 /* NULL-safe */
size_t tn_dev_len(const struct tn_dev_buf *d);          /* n of tn_dev_new */
/* Copies n floats from src to element off of d, or from d back to dst. */
int tn_dev_upload(struct tn_dev_buf *d, size_t off, size_t n, const float *src);
int tn_dev_download(const struct tn_dev_buf *d, size_t off, size_t n, float *dst);

/* y = a op b, y = f(x), element-wise over the first n elements. */
int tn_dev_add(size_t n, const struct tn_dev_buf *a, const struct tn_dev_buf *b, struct tn_dev_buf *y);
int tn_dev_sub(size_t n, const struct tn_dev_buf *a, const struct tn_dev_buf *b, struct tn_dev_buf *y);
int tn_dev_mul(size_t n, const struct tn_dev_buf *a, const struct tn_dev_buf *b, struct tn_dev_buf *y);
int tn_dev_div(size_t n, const struct tn_dev_buf *a, const struct tn_dev_buf *b, struct tn_dev_buf *y);
int tn_dev_relu(size_t n, const struct tn_dev_buf *x, struct tn_dev_buf *y);
/* y = f(x) for op relu, exp, log, log2, log10, selu, sigmoid, tanh, gelu,
 * gelu_tanh, swish, hardswish or mish (-EINVAL for another op). */
int tn_dev_unary(enum tn_op op, size_t n, const struct tn_dev_buf *x, struct tn_dev_buf *y);
int tn_dev_scale(size_t n, float alpha, const struct tn_dev_buf *x, struct tn_dev_buf *y);
int tn_dev_axpy(size_t n, float alpha, const struct tn_dev_buf *x, struct tn_dev_buf *y);
/* y = x^e (tn_pow), y = elu(x) with alpha (tn_elu). */
int tn_dev_pow(size_t n, const struct tn_dev_buf *x, const struct tn_dev_buf *e, struct tn_dev_buf *y);
int tn_dev_elu(size_t n, float alpha, const struct tn_dev_buf *x, struct tn_dev_buf *y);
/* *ret = the sum or dot product (the CPU's bits, libtn(3)), one float downloaded. */
int tn_dev_sum(size_t n, const struct tn_dev_buf *x, float *ret);
int tn_dev_dot(size_t n, const struct tn_dev_buf *a, const struct tn_dev_buf *b, float *ret);
/* C (m x n) = A (m x k) B (k x n); y (m) = A (m x n) x. */
int tn_dev_matmul(size_t m, size_t n, size_t k, const struct tn_dev_buf *a,
		  const struct tn_dev_buf *b, struct tn_dev_buf *c);
int tn_dev_matvec(size_t m, size_t n, const struct tn_dev_buf *a, const struct tn_dev_buf *x,
		  struct tn_dev_buf *y);

/*
 * ---- When auto uses the device ---------------------------------------------
 *
 * With TN_OPENCL=auto in the environment, the automatic choice sends an
 * operation to the device only when a calibration of this machine
 * (tn-dispatch --calibrate) says it will finish first, transfers included;
 * without TN_OPENCL=auto or without a calibration, auto stays on the CPU
 * (and reads no file).  Every operation with a device kernel is of a class,
 * measured on both sides: stream (cheap element-wise: add, mul, relu, clamp,
 * transpose, ...), math (transcendental element-wise: exp, log, sigmoid, tanh,
 * gelu, swish, mish, elu, selu, pow), reduce (sum, dot, norms, mean,
 * variance, argmax, matvec, vecmat, layer_norm, softmax, log_softmax, the
 * similarities: their device kernels add in the CPU's lanes, one work-group)
 * and the matrix product (matmul).  The math operations differ too much on
 * the CPU (exp costs half of tanh, pow five times) for one rate: each has
 * its own CPU rate and its own device rate (tn_dev_unary, tn_dev_pow,
 * tn_dev_elu).
 * The estimate for a call that reads in and writes out bytes:
 *   device: launch_ns + in / upload_bps + out / download_bps
 *           + (matmul: 2 m n k / device_flops;
 *              a math operation: (in + out) / op_device_bps[op];
 *              another of class c: (in + out) / device_bps[c])
 *   CPU:    2 m n k / cpu_flops, (in + out) / op_cpu_bps[op] (math),
 *           or (in + out) / cpu_bps[c]
 * Rates in bytes or flops per second.  The file is tn_device_calibration_path():
 * text, "format 3" then one "key value" a line, safe to read, edit or delete;
 * a file of another format (an older libtn's) is ignored, never misread.
 */
enum tn_device_class {
	TN_DEVICE_STREAM,       /* measured by tn_add */
	TN_DEVICE_MATH,         /* measured by tn_tanh */
	TN_DEVICE_REDUCE,       /* measured by tn_sum */
	TN_DEVICE_CLASS_COUNT_
};
/* The format of the calibration file this libtn writes and reads. */
#define TN_DEVICE_CALIBRATION_FORMAT 3

struct tn_device_calibration {
	double launch_ns;               /* a 1-element call on the device, round trip */
	double upload_bps, download_bps;
	/* (in + out) bytes per second of each class's operation on data in place */
	double device_bps[TN_DEVICE_CLASS_COUNT_], cpu_bps[TN_DEVICE_CLASS_COUNT_];
	double device_flops, cpu_flops;                 /* a 256 x 256 x 256 matmul */
	/* each math operation on data in place, (in + out) bytes per second;
	 * 0 for another operation (and where a device call failed: the
	 * class's rate is used) */
	double op_device_bps[TN_OP_COUNT_], op_cpu_bps[TN_OP_COUNT_];
};

/* "stream", "math", "reduce"; NULL for another value. */
const char *tn_device_class_name(enum tn_device_class c);
/* The class op is costed by, or -1: matmul (by flops) and the operations
 * auto never sends to the device. */
int tn_device_op_class(enum tn_op op);

/* Measures this machine (seconds); -ENODEV without a device. Saves nothing. */
int tn_device_calibrate(struct tn_device_calibration *ret);
/* Writes c for this device (temporary file, then rename); 0 or a negative errno. */
int tn_device_calibration_save(const struct tn_device_calibration *c);
/*
 * The saved calibration, read once per process (on the first call of an
 * operation under auto with TN_OPENCL=auto, or of this function): 0; -ENOENT when there is
 * none; -ESTALE when it was made on another device or driver (it is then
 * ignored); -EPROTO when it is not of TN_DEVICE_CALIBRATION_FORMAT (an older
 * libtn's: ignored); -EINVAL when it does not parse; -ENODEV without a device.  ret
 * may be NULL.  A calibration saved later is used from the next process.
 */
int tn_device_calibration_load(struct tn_device_calibration *ret);
/* $XDG_CACHE_HOME/tn/opencl/calibration, or ~/.cache/tn/opencl/calibration; NULL without either (or without OpenCL). */
const char *tn_device_calibration_path(void);

#ifdef __cplusplus
}
#endif
