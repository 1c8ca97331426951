/* libtn's math entry points: exp/log/pow and the activations, dispatched to math-<isa>.c. */
#include "internal.h"
#include "math-kernels.h"
#include "opencl/ops.h"

/* cl: the OpenCL kernel (opencl/ops.c). */
#define TN_M_IMPL_X(op, cl) \
	const struct tn__op_impl tn__impl_##op = { .fn = { \
		TN__SCALAR(tn__m_##op##_scalar) TN__SSE2(tn__m_##op##_sse2) \
		TN__AVX2(tn__m_##op##_avx2) TN__AVX512(tn__m_##op##_avx512) TN__OPENCL(cl) } };

/* y = f(x): reads n floats, writes n. */
#define TN_M_UNARY_API_X(op, OP, cl) \
	TN_M_IMPL_X(op, cl) \
	void tn_##op(size_t n, const float *x, float *y) \
	{ \
		uint64_t t0 = tn__span_begin(); \
		enum tn_backend b = tn__choose(TN_OP_##OP); \
		TN__KERNEL(tn__m_unary_fn, op, b)(n, x, y); \
		tn__span_end(TN_OP_##OP, b, n, 2 * n * sizeof(float), t0); \
	}
#define TN_M_PARAM_API_X(op, OP, cl) \
	TN_M_IMPL_X(op, cl) \
	void tn_##op(size_t n, float alpha, const float *x, float *y) \
	{ \
		uint64_t t0 = tn__span_begin(); \
		enum tn_backend b = tn__choose(TN_OP_##OP); \
		TN__KERNEL(tn__m_param_fn, op, b)(n, alpha, x, y); \
		tn__span_end(TN_OP_##OP, b, n, 2 * n * sizeof(float), t0); \
	}

TN_M_UNARY_API_X(exp, EXP, tn__exp_opencl)
TN_M_UNARY_API_X(log, LOG, tn__log_opencl)
TN_M_UNARY_API_X(log2, LOG2, tn__log2_opencl)
TN_M_UNARY_API_X(log10, LOG10, tn__log10_opencl)
TN_M_UNARY_API_X(relu, RELU, tn__relu_opencl)
TN_M_UNARY_API_X(selu, SELU, tn__selu_opencl)
TN_M_UNARY_API_X(sigmoid, SIGMOID, tn__sigmoid_opencl)
TN_M_UNARY_API_X(tanh, TANH, tn__tanh_opencl)
TN_M_UNARY_API_X(gelu, GELU, tn__gelu_opencl)
TN_M_UNARY_API_X(gelu_tanh, GELU_TANH, tn__gelu_tanh_opencl)
TN_M_UNARY_API_X(swish, SWISH, tn__swish_opencl)
TN_M_UNARY_API_X(hardswish, HARDSWISH, tn__hardswish_opencl)
TN_M_UNARY_API_X(mish, MISH, tn__mish_opencl)
TN_M_UNARY_API_X(softmax, SOFTMAX, tn__softmax_opencl)
TN_M_UNARY_API_X(log_softmax, LOG_SOFTMAX, tn__log_softmax_opencl)
TN_M_PARAM_API_X(leaky_relu, LEAKY_RELU, tn__leaky_relu_opencl)
TN_M_PARAM_API_X(elu, ELU, tn__elu_opencl)

TN_M_IMPL_X(pow, tn__pow_opencl)
void tn_pow(size_t n, const float *x, const float *e, float *y)
{
	uint64_t t0 = tn__span_begin();
	enum tn_backend b = tn__choose(TN_OP_POW);

	TN__KERNEL(tn__m_pow_fn, pow, b)(n, x, e, y);
	tn__span_end(TN_OP_POW, b, n, 3 * n * sizeof(float), t0);
}

TN_M_IMPL_X(layer_norm, tn__layer_norm_opencl)
void tn_layer_norm(size_t n, const float *x, const float *gamma, const float *beta,
		   float eps, float *y)
{
	uint64_t t0 = tn__span_begin();
	enum tn_backend b = tn__choose(TN_OP_LAYER_NORM);

	TN__KERNEL(tn__m_layer_norm_fn, layer_norm, b)(n, x, gamma, beta, eps, y);
	tn__span_end(TN_OP_LAYER_NORM, b, n,
		     (2 + (gamma != NULL) + (beta != NULL)) * n * sizeof(float), t0);
}
