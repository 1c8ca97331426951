/* SPDX-License-Identifier: MIT */
/*
 * The OpenCL backend's kernels (opencl/ops.c), with the CPU kernels'
 * signatures, for the kernel tables of arith.c, math.c and matrix.c
 * (TN__OPENCL(), empty where libtn is built without OpenCL).
 */
#pragma once

#include <errno.h>

#include "arith/arith-kernels.h"
#include "math/math-kernels.h"
#include "matrix/matrix.h"

#pragma GCC visibility push(hidden)

#define TN__CL_BIN(X) X(add) X(sub) X(mul) X(div) X(minimum) X(maximum)
#define TN__CL_UN(X) X(abs) X(neg) X(sqrt) X(recip) X(floor) X(ceil) X(round) X(trunc) X(relu)
#define X(name) void tn__##name##_opencl(size_t n, const float *a, const float *b, float *y);
TN__CL_BIN(X)
#undef X
#define X(name) void tn__##name##_opencl(size_t n, const float *x, float *y);
TN__CL_UN(X)
#undef X
void tn__scale_opencl(size_t n, float alpha, const float *x, float *y);
void tn__axpy_opencl(size_t n, float alpha, const float *x, float *y);
void tn__leaky_relu_opencl(size_t n, float alpha, const float *x, float *y);
void tn__fma_opencl(size_t n, const float *a, const float *b, const float *c, float *y);
void tn__clamp_opencl(size_t n, const float *x, float lo, float hi, float *y);
float tn__sum_opencl(size_t n, const float *x);
float tn__norm_l1_opencl(size_t n, const float *x);
float tn__norm_inf_opencl(size_t n, const float *x);
float tn__max_opencl(size_t n, const float *x);
float tn__min_opencl(size_t n, const float *x);
size_t tn__argmax_opencl(size_t n, const float *x);
size_t tn__argmin_opencl(size_t n, const float *x);
float tn__dot_opencl(size_t n, const float *a, const float *b);
double tn__dsum_opencl(size_t n, const float *x);
double tn__norm_l2_opencl(size_t n, const float *x, double c);
double tn__variance_opencl(size_t n, const float *x, double c);
double tn__stddev_opencl(size_t n, const float *x, double c);
tn__matmul_fn tn__matmul_opencl;
/* tn_matmul_batched's arguments: the whole batch in one call (one launch). */
typedef void tn__matmul_batched_fn(size_t batch, size_t m, size_t n, size_t k,
				   const float *a, size_t lda, size_t sa,
				   const float *b, size_t ldb, size_t sb,
				   float *c, size_t ldc, size_t sc);
tn__matmul_batched_fn tn__matmul_batched_opencl;
tn__matvec_fn tn__matvec_opencl;
tn__vecmat_fn tn__vecmat_opencl;
tn__transpose_fn tn__transpose_opencl;
tn__sim_batch_fn tn__cosine_batch_opencl;
tn__sim_batch_fn tn__euclidean_batch_opencl;
tn__sim_batch_fn tn__manhattan_batch_opencl;
tn__sim_fn tn__cosine_opencl, tn__euclidean_opencl, tn__manhattan_opencl;
/* libtn math (math-body.h's element functions compiled for the device). */
#define TN__CL_MATH(X) X(exp) X(log) X(log2) X(log10) X(selu) X(sigmoid) X(tanh) X(gelu) \
	X(gelu_tanh) X(swish) X(hardswish) X(mish) X(softmax) X(log_softmax)
#define X(name) void tn__##name##_opencl(size_t n, const float *x, float *y);
TN__CL_MATH(X)
#undef X
void tn__elu_opencl(size_t n, float alpha, const float *x, float *y);
void tn__pow_opencl(size_t n, const float *x, const float *e, float *y);
void tn__layer_norm_opencl(size_t n, const float *x, const float *gamma, const float *beta,
			   float eps, float *y);

#pragma GCC visibility pop
