/* SPDX-License-Identifier: MIT */
/* libtn: f32 compute kernels for the CPU (scalar, SSE2, AVX2+FMA, AVX-512), see libtn(3). */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Conventions (libtn(3) is the reference):
 *  - every buffer belongs to the caller; libtn never allocates on a call;
 *  - n is the element count; output may alias an input exactly (in place),
 *    never partially;
 *  - matrices are row-major with a leading dimension (elements between the
 *    starts of two rows) that must be >= the row length;
 *  - functions returning int return 0 or a negative errno (-EINVAL for
 *    shapes that do not fit); others cannot fail;
 *  - the *_COUNT_ enumerators (TN_BACKEND_COUNT_, TN_OP_COUNT_) count the
 *    values of this header and grow as backends and operations are appended
 *    (existing values keep their numbers): a program built against an older
 *    header may get values past its *_COUNT_ from a newer libtn, so check
 *    bounds before indexing an array with one.
 */

/* ---- Backends and dispatch ---------------------------------------------- */

/*
 * Values are names, not ranks: the choice follows a preference table in
 * libtn, best first (opencl, avx512, avx2, sse2, neon, scalar), where each
 * backend states what it needs of the machine and whether the automatic
 * choice may take it (a device backend, such as opencl, only when forced).  Each
 * operation runs on the first backend in the table that has a kernel for
 * it, whose needs this machine meets, and that the automatic choice may take.
 */
enum tn_backend {
	TN_BACKEND_AUTO = 0,    /* the first backend of the table the machine has, per operation */
	TN_BACKEND_SCALAR,
	TN_BACKEND_SSE2,
	TN_BACKEND_AVX2,        /* AVX2 + FMA */
	TN_BACKEND_AVX512,      /* AVX-512F (+VL, DQ, BW) */
	TN_BACKEND_NEON,
	TN_BACKEND_OPENCL,      /* an OpenCL device (tn-device.h), only when forced or calibrated */
	TN_BACKEND_COUNT_       /* grows when a backend is added */
};

const char *tn_backend_name(enum tn_backend b);          /* "scalar", "avx2", ... */
/* Returns 0, or -EINVAL for a name that is no backend. */
int tn_backend_from_name(const char *name, enum tn_backend *ret);
/* Whether this machine (CPU and OS: xgetbv; a device once probed) can run b. */
bool tn_backend_available(enum tn_backend b);
/*
 * Force every operation onto b (TN_BACKEND_AUTO: back to the per-operation
 * choice).  An operation without a kernel for b runs the most preferred
 * kernel that needs nothing b does not need: forcing avx2 runs avx2, else
 * sse2, else scalar, never avx512; forcing a device backend runs, for an
 * operation it lacks, scalar.  tn_op_backend() and the spans name the
 * backend that runs.  Returns -ENOTSUP for a backend this machine lacks;
 * nothing changes then.  TN_BACKEND=NAME in the environment does the same at
 * start-up.
 */
int tn_backend_force(enum tn_backend b);
enum tn_backend tn_backend_forced(void);                 /* AUTO when none */
/*
 * What became of TN_BACKEND at start-up: 0 when unset or applied; -EINVAL
 * when it names no backend, -ENOTSUP when this CPU lacks it (then nothing is
 * forced).  *ret_value (may be NULL) gets the variable's text.  A library
 * cannot print: programs call this and report it.
 */
int tn_backend_env_status(const char **ret_value);

/* Operations, for listing and for asking which backend each one uses. */
enum tn_op {
	/* element-wise */
	TN_OP_ADD, TN_OP_SUB, TN_OP_MUL, TN_OP_DIV, TN_OP_SCALE, TN_OP_AXPY,
	TN_OP_FMA, TN_OP_ABS, TN_OP_NEG, TN_OP_SQRT, TN_OP_RECIP, TN_OP_MINIMUM,
	TN_OP_MAXIMUM, TN_OP_CLAMP, TN_OP_EXP, TN_OP_LOG, TN_OP_LOG2, TN_OP_LOG10,
	TN_OP_POW, TN_OP_FLOOR, TN_OP_CEIL, TN_OP_ROUND, TN_OP_TRUNC,
	/* reductions */
	TN_OP_SUM, TN_OP_DOT, TN_OP_MAX, TN_OP_MIN, TN_OP_ARGMAX, TN_OP_ARGMIN,
	TN_OP_NORM_L1, TN_OP_NORM_L2, TN_OP_NORM_INF, TN_OP_MEAN, TN_OP_VARIANCE,
	TN_OP_STDDEV,
	/* activations */
	TN_OP_RELU, TN_OP_LEAKY_RELU, TN_OP_ELU, TN_OP_SELU, TN_OP_SIGMOID,
	TN_OP_TANH, TN_OP_GELU, TN_OP_GELU_TANH, TN_OP_SWISH, TN_OP_HARDSWISH,
	TN_OP_MISH, TN_OP_SOFTMAX, TN_OP_LOG_SOFTMAX, TN_OP_LAYER_NORM,
	/* similarity and distance */
	TN_OP_COSINE, TN_OP_EUCLIDEAN, TN_OP_MANHATTAN,
	TN_OP_COSINE_BATCH, TN_OP_EUCLIDEAN_BATCH, TN_OP_MANHATTAN_BATCH,
	/* matrices */
	TN_OP_MATMUL, TN_OP_TRANSPOSE, TN_OP_MATVEC, TN_OP_VECMAT,
	TN_OP_MATMUL_BATCHED,
	TN_OP_COUNT_            /* grows when an operation is added */
};

const char *tn_op_name(enum tn_op op);                   /* "add", "gelu_tanh", ... */
int tn_op_from_name(const char *name, enum tn_op *ret);  /* 0 or -EINVAL */
/* The backend op runs on now (forced, or the per-operation best). */
enum tn_backend tn_op_backend(enum tn_op op);

const char *tn_version(void);

/* ---- Spans (tn-events(5)) ------------------------------------------------ */

/*
 * When TN_SPAN_FD names an open descriptor at start-up, or after
 * tn_span_set_fd(fd >= 0), each operation writes one "span" record there
 * (name, backend that ran, elements, bytes, start, duration, phase), one
 * write(2) per record.  tn_span_set_fd(-1) turns it off.  TN_TRACE_FD, the
 * variable's name before 0.2, is read when TN_SPAN_FD is unset or empty:
 * TN_SPAN_FD wins when both are set, whatever its value.
 */
void tn_span_set_fd(int fd);
int tn_span_fd(void);                                    /* -1 when off */
/* The same functions by their names before 0.2; removed in the next release. */
void tn_trace_set_fd(int fd);
int tn_trace_fd(void);

/* ---- Element-wise: y[i] = f(x[i]) ---------------------------------------- */

void tn_add(size_t n, const float *a, const float *b, float *y);
void tn_sub(size_t n, const float *a, const float *b, float *y);
void tn_mul(size_t n, const float *a, const float *b, float *y);
void tn_div(size_t n, const float *a, const float *b, float *y);
void tn_scale(size_t n, float alpha, const float *x, float *y);      /* y = alpha x */
void tn_axpy(size_t n, float alpha, const float *x, float *y);       /* y += alpha x */
void tn_fma(size_t n, const float *a, const float *b, const float *c, float *y); /* fused */
void tn_abs(size_t n, const float *x, float *y);
void tn_neg(size_t n, const float *x, float *y);
void tn_sqrt(size_t n, const float *x, float *y);
void tn_recip(size_t n, const float *x, float *y);                   /* 1 / x, exact */
void tn_minimum(size_t n, const float *a, const float *b, float *y); /* NaN-propagating */
void tn_maximum(size_t n, const float *a, const float *b, float *y);
void tn_clamp(size_t n, const float *x, float lo, float hi, float *y);
void tn_exp(size_t n, const float *x, float *y);
void tn_log(size_t n, const float *x, float *y);
void tn_log2(size_t n, const float *x, float *y);
void tn_log10(size_t n, const float *x, float *y);
void tn_pow(size_t n, const float *x, const float *e, float *y);
void tn_floor(size_t n, const float *x, float *y);
void tn_ceil(size_t n, const float *x, float *y);
void tn_round(size_t n, const float *x, float *y);                   /* half away from zero */
void tn_trunc(size_t n, const float *x, float *y);

/* ---- Reductions ----------------------------------------------------------- */

float tn_sum(size_t n, const float *x);
float tn_dot(size_t n, const float *a, const float *b);
float tn_max(size_t n, const float *x);                 /* -inf for n = 0 */
float tn_min(size_t n, const float *x);                 /* +inf for n = 0 */
size_t tn_argmax(size_t n, const float *x);             /* first index; SIZE_MAX for n = 0 */
size_t tn_argmin(size_t n, const float *x);
float tn_norm_l1(size_t n, const float *x);
float tn_norm_l2(size_t n, const float *x);
float tn_norm_inf(size_t n, const float *x);
float tn_mean(size_t n, const float *x);                /* NaN for n = 0 */
float tn_variance(size_t n, const float *x);            /* population; >= 0 always */
float tn_stddev(size_t n, const float *x);

/* ---- Activations ---------------------------------------------------------- */

void tn_relu(size_t n, const float *x, float *y);
void tn_leaky_relu(size_t n, float alpha, const float *x, float *y);
void tn_elu(size_t n, float alpha, const float *x, float *y);
void tn_selu(size_t n, const float *x, float *y);
void tn_sigmoid(size_t n, const float *x, float *y);
void tn_tanh(size_t n, const float *x, float *y);
void tn_gelu(size_t n, const float *x, float *y);       /* x * Phi(x), erf form */
void tn_gelu_tanh(size_t n, const float *x, float *y);  /* the tanh approximation */
void tn_swish(size_t n, const float *x, float *y);      /* x * sigmoid(x) */
void tn_hardswish(size_t n, const float *x, float *y);
void tn_mish(size_t n, const float *x, float *y);
void tn_softmax(size_t n, const float *x, float *y);
void tn_log_softmax(size_t n, const float *x, float *y);
/* (x - mean) / sqrt(var + eps) * gamma + beta; gamma and beta may be NULL (1, 0). */
void tn_layer_norm(size_t n, const float *x, const float *gamma, const float *beta,
		   float eps, float *y);

/* ---- Similarity and distance ---------------------------------------------- */

float tn_cosine(size_t n, const float *a, const float *b);     /* NaN if a norm is 0 */
float tn_euclidean(size_t n, const float *a, const float *b);
float tn_manhattan(size_t n, const float *a, const float *b);
/* One query q (n) against rows r (rows x n, leading dimension ld): out[rows]. */
int tn_cosine_batch(size_t n, const float *q, size_t rows, const float *r, size_t ld, float *out);
int tn_euclidean_batch(size_t n, const float *q, size_t rows, const float *r, size_t ld, float *out);
int tn_manhattan_batch(size_t n, const float *q, size_t rows, const float *r, size_t ld, float *out);

/* ---- Matrices (row-major) ------------------------------------------------- */

/* C (m x n) = A (m x k) B (k x n). */
int tn_matmul(size_t m, size_t n, size_t k,
	      const float *a, size_t lda, const float *b, size_t ldb,
	      float *c, size_t ldc);
/* B (n x m) = A (m x n) transposed; A and B must not overlap. */
int tn_transpose(size_t m, size_t n, const float *a, size_t lda, float *b, size_t ldb);
/* y (m) = A (m x n) x (n). */
int tn_matvec(size_t m, size_t n, const float *a, size_t lda, const float *x, float *y);
/* y (n) = x (m) A (m x n). */
int tn_vecmat(size_t m, size_t n, const float *x, const float *a, size_t lda, float *y);
/* batch products C_i = A_i B_i, matrix i starting at a + i * stride_a (etc.). */
int tn_matmul_batched(size_t batch, size_t m, size_t n, size_t k,
		      const float *a, size_t lda, size_t stride_a,
		      const float *b, size_t ldb, size_t stride_b,
		      float *c, size_t ldc, size_t stride_c);

#ifdef __cplusplus
}
#endif
