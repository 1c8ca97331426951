/* How tn-dispatch calls each libtn operation: its inputs, sizes and result. */
#pragma once

#include <stddef.h>

#include "tn/tn.h"

/* The input arrays a job may give, in the order the generator fills them. */
enum in_id { IN_A, IN_B, IN_C, IN_X, IN_Y, IN_GAMMA, IN_BETA, IN_COUNT_ };
/* Scalar inputs. */
enum sc_id { SC_ALPHA, SC_LO, SC_HI, SC_EPS, SC_COUNT_ };
/* Sizes. */
enum dim_id { DIM_N, DIM_M, DIM_K, DIM_BATCH, DIM_COUNT_ };

/* The call shapes of tn.h. */
enum op_kind {
	K_NONE = 0,
	K_UNARY,        /* y = f(x) */
	K_BINARY,       /* y = f(a, b) */
	K_FMA,          /* y = a b + c */
	K_SCALAR_X,     /* y = f(alpha, x) */
	K_AXPY,         /* y += alpha x */
	K_CLAMP,        /* y = clamp(x, lo, hi) */
	K_LAYER_NORM,   /* y = layer_norm(x, gamma, beta, eps) */
	K_REDUCE,       /* float = f(x) */
	K_INDEX,        /* index = f(x) */
	K_PAIR,         /* float = f(a, b) */
	K_BATCH,        /* out[m] = f(a, row i of b (m x n)) */
	K_MATMUL,       /* c (m x n) = a (m x k) b (k x n) */
	K_BATCHED,      /* batch of K_MATMUL */
	K_TRANSPOSE,    /* b (n x m) = a (m x n) transposed */
	K_MATVEC,       /* y (m) = a (m x n) x (n) */
	K_VECMAT,       /* y (n) = x (m) a (m x n) */
};

struct op_desc {
	enum op_kind kind;
	unsigned positive;      /* bit per in_id: generated inputs in (0, 2] */
	union {
		void (*unary)(size_t, const float *, float *);
		void (*binary)(size_t, const float *, const float *, float *);
		void (*fma)(size_t, const float *, const float *, const float *, float *);
		void (*scalar_x)(size_t, float, const float *, float *);
		void (*clamp)(size_t, const float *, float, float, float *);
		void (*layer_norm)(size_t, const float *, const float *, const float *,
				   float, float *);
		float (*reduce)(size_t, const float *);
		size_t (*index)(size_t, const float *);
		float (*pair)(size_t, const float *, const float *);
		int (*batch)(size_t, const float *, size_t, const float *, size_t, float *);
	} f;
};

extern const struct op_desc tn_dispatch_ops[TN_OP_COUNT_];
