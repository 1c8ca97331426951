/* The table of every libtn operation for tn-dispatch: its call shape and function. */
#include "dispatch.h"
#include "ops.h"

#define UNARY(OP, fn) [OP] = { K_UNARY, 0, { .unary = fn } }
#define BINARY(OP, fn) [OP] = { K_BINARY, 0, { .binary = fn } }
#define SCALAR_X(OP, fn) [OP] = { K_SCALAR_X, 0, { .scalar_x = fn } }
#define REDUCE(OP, fn) [OP] = { K_REDUCE, 0, { .reduce = fn } }
#define PAIR(OP, fn) [OP] = { K_PAIR, 0, { .pair = fn } }
#define BATCH(OP, fn) [OP] = { K_BATCH, 0, { .batch = fn } }
#define POS(id) (1u << (id))

const struct op_desc tn_dispatch_ops[TN_OP_COUNT_] = {
	BINARY(TN_OP_ADD, tn_add), BINARY(TN_OP_SUB, tn_sub), BINARY(TN_OP_MUL, tn_mul),
	BINARY(TN_OP_DIV, tn_div), SCALAR_X(TN_OP_SCALE, tn_scale),
	[TN_OP_AXPY] = { K_AXPY, 0, { .scalar_x = tn_axpy } },
	[TN_OP_FMA] = { K_FMA, 0, { .fma = tn_fma } },
	UNARY(TN_OP_ABS, tn_abs), UNARY(TN_OP_NEG, tn_neg),
	[TN_OP_SQRT] = { K_UNARY, POS(IN_X), { .unary = tn_sqrt } },
	UNARY(TN_OP_RECIP, tn_recip), BINARY(TN_OP_MINIMUM, tn_minimum),
	BINARY(TN_OP_MAXIMUM, tn_maximum),
	[TN_OP_CLAMP] = { K_CLAMP, 0, { .clamp = tn_clamp } },
	UNARY(TN_OP_EXP, tn_exp),
	[TN_OP_LOG] = { K_UNARY, POS(IN_X), { .unary = tn_log } },
	[TN_OP_LOG2] = { K_UNARY, POS(IN_X), { .unary = tn_log2 } },
	[TN_OP_LOG10] = { K_UNARY, POS(IN_X), { .unary = tn_log10 } },
	[TN_OP_POW] = { K_BINARY, POS(IN_A), { .binary = tn_pow } },
	UNARY(TN_OP_FLOOR, tn_floor), UNARY(TN_OP_CEIL, tn_ceil),
	UNARY(TN_OP_ROUND, tn_round), UNARY(TN_OP_TRUNC, tn_trunc),

	REDUCE(TN_OP_SUM, tn_sum), PAIR(TN_OP_DOT, tn_dot), REDUCE(TN_OP_MAX, tn_max),
	REDUCE(TN_OP_MIN, tn_min),
	[TN_OP_ARGMAX] = { K_INDEX, 0, { .index = tn_argmax } },
	[TN_OP_ARGMIN] = { K_INDEX, 0, { .index = tn_argmin } },
	REDUCE(TN_OP_NORM_L1, tn_norm_l1), REDUCE(TN_OP_NORM_L2, tn_norm_l2),
	REDUCE(TN_OP_NORM_INF, tn_norm_inf), REDUCE(TN_OP_MEAN, tn_mean),
	REDUCE(TN_OP_VARIANCE, tn_variance), REDUCE(TN_OP_STDDEV, tn_stddev),

	UNARY(TN_OP_RELU, tn_relu), SCALAR_X(TN_OP_LEAKY_RELU, tn_leaky_relu),
	SCALAR_X(TN_OP_ELU, tn_elu), UNARY(TN_OP_SELU, tn_selu),
	UNARY(TN_OP_SIGMOID, tn_sigmoid), UNARY(TN_OP_TANH, tn_tanh),
	UNARY(TN_OP_GELU, tn_gelu), UNARY(TN_OP_GELU_TANH, tn_gelu_tanh),
	UNARY(TN_OP_SWISH, tn_swish), UNARY(TN_OP_HARDSWISH, tn_hardswish),
	UNARY(TN_OP_MISH, tn_mish), UNARY(TN_OP_SOFTMAX, tn_softmax),
	UNARY(TN_OP_LOG_SOFTMAX, tn_log_softmax),
	[TN_OP_LAYER_NORM] = { K_LAYER_NORM, 0, { .layer_norm = tn_layer_norm } },

	PAIR(TN_OP_COSINE, tn_cosine), PAIR(TN_OP_EUCLIDEAN, tn_euclidean),
	PAIR(TN_OP_MANHATTAN, tn_manhattan), BATCH(TN_OP_COSINE_BATCH, tn_cosine_batch),
	BATCH(TN_OP_EUCLIDEAN_BATCH, tn_euclidean_batch),
	BATCH(TN_OP_MANHATTAN_BATCH, tn_manhattan_batch),

	/* The matrix calls differ in shape; run.c calls them by kind. */
	[TN_OP_MATMUL] = { K_MATMUL, 0, { 0 } },
	[TN_OP_TRANSPOSE] = { K_TRANSPOSE, 0, { 0 } },
	[TN_OP_MATVEC] = { K_MATVEC, 0, { 0 } },
	[TN_OP_VECMAT] = { K_VECMAT, 0, { 0 } },
	[TN_OP_MATMUL_BATCHED] = { K_BATCHED, 0, { 0 } },
};

bool tn_dispatch_has_op(enum tn_op op)
{
	return (unsigned)op < TN_OP_COUNT_ && tn_dispatch_ops[op].kind != K_NONE;
}
