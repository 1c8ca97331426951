/* libtn's math entry points: exp/log/pow and the activations, dispatched to math-<isa>.c. */
#include "internal.h"
#include "math-kernels.h"
#include "opencl/ops.h"

/* cl: the OpenCL kernel, or NULL. */
#define TN_M_IMPL_X(op, cl) \
	const struct tn__op_impl tn__impl_##op = { .fn = { \
		TN__SCALAR(tn__m_##op##_scalar) TN__SSE2(tn__m_##op##_sse2) \
		TN__AVX2(tn__m_##op##_avx2) TN__AVX512(tn__m_##op##_avx512) TN__OPENCL(cl) } };
#define TN_M_IMPL(op) TN_M_IMPL_X(op, NULL)

/* y = f(x): reads n floats, writes n. */
#define TN_M_UNARY_API(op, OP) TN_M_UNARY_API_X(op, OP, NULL)
#define TN_M_UNARY_API_X(op, OP, cl) \
	TN_M_IMPL_X(op, cl) \
	void tn_##op(size_t n, const float *x, float *y) \
	{ \
		uint64_t t0 = tn__span_begin(); \
		enum tn_backend b = tn__choose(TN_OP_##OP); \
		TN__KERNEL(tn__m_unary_fn, op, b)(n, x, y); \
		tn__span_end(TN_OP_##OP, b, n, 2 * n * sizeof(float), t0); \
	}
#define TN_M_PARAM_API(op, OP) TN_M_PARAM_API_X(op, OP, NULL)
#define TN_M_PARAM_API_X(op, OP, cl) \
	TN_M_IMPL_X(op, cl) \
	void tn_##op(size_t n, float alpha, const float *x, float *y) \
	{ \
		uint64_t t0 = tn__span_begin(); \
		enum tn_backend b = tn__choose(TN_OP_##OP); \
		TN__KERNEL(tn__m_param_fn, op, b)(n, alpha, x, y); \
		tn__span_end(TN_OP_##OP, b, n, 2 * n * sizeof(float), t0); \
	}

TN_M_UNARY_API(exp, EXP)
TN_M_UNARY_API(log, LOG)
TN_M_UNARY_API(log2, LOG2)
TN_M_UNARY_API(log10, LOG10)
TN_M_UNARY_API_X(relu, RELU, tn__relu_opencl)
TN_M_UNARY_API(selu, SELU)
TN_M_UNARY_API(sigmoid, SIGMOID)
TN_M_UNARY_API(tanh, TANH)
TN_M_UNARY_API(gelu, GELU)
TN_M_UNARY_API(gelu_tanh, GELU_TANH)
TN_M_UNARY_API(swish, SWISH)
TN_M_UNARY_API(hardswish, HARDSWISH)
TN_M_UNARY_API(mish, MISH)
TN_M_UNARY_API(softmax, SOFTMAX)
TN_M_UNARY_API(log_softmax, LOG_SOFTMAX)
TN_M_PARAM_API_X(leaky_relu, LEAKY_RELU, tn__leaky_relu_opencl)
TN_M_PARAM_API(elu, ELU)

TN_M_IMPL(pow)
void tn_pow(size_t n, const float *x, const float *e, float *y)
{
	uint64_t t0 = tn__span_begin();
	enum tn_backend b = tn__choose(TN_OP_POW);

	TN__KERNEL(tn__m_pow_fn, pow, b)(n, x, e, y);
	tn__span_end(TN_OP_POW, b, n, 3 * n * sizeof(float), t0);
}

TN_M_IMPL(layer_norm)
void tn_layer_norm(size_t n, const float *x, const float *gamma, const float *beta,
		   float eps, float *y)
{
	uint64_t t0 = tn__span_begin();
	enum tn_backend b = tn__choose(TN_OP_LAYER_NORM);

	TN__KERNEL(tn__m_layer_norm_fn, layer_norm, b)(n, x, gamma, beta, eps, y);
	tn__span_end(TN_OP_LAYER_NORM, b, n,
		     (2 + (gamma != NULL) + (beta != NULL)) * n * sizeof(float), t0);
}
