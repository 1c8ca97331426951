/* The dispatch registry: every operation has a scalar kernel, names match the enum. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "tn-check.h"
#include "internal.h"

/* Written out by hand, independently of TN_OPS, to catch an order mismatch. */
static const struct {
	enum tn_op op;
	const char *name;
} op_table[] = {
	{ TN_OP_ADD, "add" }, { TN_OP_SUB, "sub" }, { TN_OP_MUL, "mul" },
	{ TN_OP_DIV, "div" }, { TN_OP_SCALE, "scale" }, { TN_OP_AXPY, "axpy" },
	{ TN_OP_FMA, "fma" }, { TN_OP_ABS, "abs" }, { TN_OP_NEG, "neg" },
	{ TN_OP_SQRT, "sqrt" }, { TN_OP_RECIP, "recip" },
	{ TN_OP_MINIMUM, "minimum" }, { TN_OP_MAXIMUM, "maximum" },
	{ TN_OP_CLAMP, "clamp" }, { TN_OP_EXP, "exp" }, { TN_OP_LOG, "log" },
	{ TN_OP_LOG2, "log2" }, { TN_OP_LOG10, "log10" }, { TN_OP_POW, "pow" },
	{ TN_OP_FLOOR, "floor" }, { TN_OP_CEIL, "ceil" }, { TN_OP_ROUND, "round" },
	{ TN_OP_TRUNC, "trunc" }, { TN_OP_SUM, "sum" }, { TN_OP_DOT, "dot" },
	{ TN_OP_MAX, "max" }, { TN_OP_MIN, "min" }, { TN_OP_ARGMAX, "argmax" },
	{ TN_OP_ARGMIN, "argmin" }, { TN_OP_NORM_L1, "norm_l1" },
	{ TN_OP_NORM_L2, "norm_l2" }, { TN_OP_NORM_INF, "norm_inf" },
	{ TN_OP_MEAN, "mean" }, { TN_OP_VARIANCE, "variance" },
	{ TN_OP_STDDEV, "stddev" }, { TN_OP_RELU, "relu" },
	{ TN_OP_LEAKY_RELU, "leaky_relu" }, { TN_OP_ELU, "elu" },
	{ TN_OP_SELU, "selu" }, { TN_OP_SIGMOID, "sigmoid" }, { TN_OP_TANH, "tanh" },
	{ TN_OP_GELU, "gelu" }, { TN_OP_GELU_TANH, "gelu_tanh" },
	{ TN_OP_SWISH, "swish" }, { TN_OP_HARDSWISH, "hardswish" },
	{ TN_OP_MISH, "mish" }, { TN_OP_SOFTMAX, "softmax" },
	{ TN_OP_LOG_SOFTMAX, "log_softmax" }, { TN_OP_LAYER_NORM, "layer_norm" },
	{ TN_OP_COSINE, "cosine" }, { TN_OP_EUCLIDEAN, "euclidean" },
	{ TN_OP_MANHATTAN, "manhattan" }, { TN_OP_COSINE_BATCH, "cosine_batch" },
	{ TN_OP_EUCLIDEAN_BATCH, "euclidean_batch" },
	{ TN_OP_MANHATTAN_BATCH, "manhattan_batch" }, { TN_OP_MATMUL, "matmul" },
	{ TN_OP_TRANSPOSE, "transpose" }, { TN_OP_MATVEC, "matvec" },
	{ TN_OP_VECMAT, "vecmat" }, { TN_OP_MATMUL_BATCHED, "matmul_batched" },
};

static void test_op_names(void **state)
{
	(void)state;
	assert_int_equal(sizeof(op_table) / sizeof(op_table[0]), TN_OP_COUNT_);
	for (size_t i = 0; i < TN_OP_COUNT_; i++) {
		enum tn_op op;

		assert_string_equal(tn_op_name(op_table[i].op), op_table[i].name);
		assert_int_equal(tn_op_from_name(op_table[i].name, &op), 0);
		assert_int_equal(op, op_table[i].op);
	}
	assert_null(tn_op_name(TN_OP_COUNT_));
	assert_int_equal(tn_op_from_name("dott", NULL), -EINVAL);
	assert_int_equal(tn_op_from_name("", NULL), -EINVAL);
	assert_int_equal(tn_op_from_name(NULL, NULL), -EINVAL);
}

/* Fails, naming them, while any operation lacks a definition or a scalar kernel. */
static void test_registry_complete(void **state)
{
	char missing[2048] = "";
	size_t len = 0;

	(void)state;
	for (int op = 0; op < TN_OP_COUNT_; op++) {
		const struct tn__op_impl *impl = tn__op_impl((enum tn_op)op);

		if (impl && impl->fn[TN_BACKEND_SCALAR])
			continue;
		len += (size_t)snprintf(missing + len, sizeof(missing) - len, " %s%s",
					tn_op_name((enum tn_op)op), impl ? "(no scalar)" : "");
		if (len >= sizeof(missing))
			break;
	}
	if (missing[0])
		fail_msg("operations without a scalar kernel:%s", missing);
}

/* No table names a kernel for the AUTO slot, and auto_max is a real backend. */
static void test_registry_sane(void **state)
{
	(void)state;
	for (int op = 0; op < TN_OP_COUNT_; op++) {
		const struct tn__op_impl *impl = tn__op_impl((enum tn_op)op);

		if (!impl)
			continue;
		assert_null(impl->fn[TN_BACKEND_AUTO]);
		assert_true((unsigned)impl->auto_max < TN_BACKEND_COUNT_);
	}
}

/* The choice: never a backend the CPU lacks, never one without a kernel. */
static void test_choice(void **state)
{
	(void)state;
	for (int f = TN_BACKEND_AUTO; f < TN_BACKEND_COUNT_; f++) {
		if (!tn_backend_available((enum tn_backend)f))
			continue;
		assert_int_equal(tn_backend_force((enum tn_backend)f), 0);
		for (int op = 0; op < TN_OP_COUNT_; op++) {
			const struct tn__op_impl *impl = tn__op_impl((enum tn_op)op);
			enum tn_backend b = tn_op_backend((enum tn_op)op);

			if (!impl || !impl->fn[TN_BACKEND_SCALAR])
				continue;
			assert_true(tn_backend_available(b));
			assert_non_null(impl->fn[b]);
			if (f != TN_BACKEND_AUTO) {
				assert_true((int)b <= f);
				/* The highest below the forced one that has a kernel. */
				for (int h = b + 1; h <= f; h++)
					assert_true(impl->fn[h] == NULL || !tn_backend_available((enum tn_backend)h));
			} else {
				int top = impl->auto_max ? impl->auto_max : TN_BACKEND_COUNT_ - 1;

				for (int h = b + 1; h <= top; h++)
					assert_true(impl->fn[h] == NULL || !tn_backend_available((enum tn_backend)h));
			}
		}
	}
	assert_int_equal(tn_backend_force(TN_BACKEND_AUTO), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_op_names),
		cmocka_unit_test(test_registry_sane),
		cmocka_unit_test(test_choice),
		cmocka_unit_test(test_registry_complete),
	};

	return tn_check_run("tn-registry", tests);
}
