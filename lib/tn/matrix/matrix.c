/* Entry points of the matrix part of libtn: argument checks, dispatch, spans. */
#include <errno.h>
#include <stdint.h>

#include "matrix.h"
#include "opencl/ops.h"

_Alignas(64) _Thread_local float tn__gemm_pack_a[TN__GEMM_MC_MAX * TN__GEMM_KC];
_Alignas(64) _Thread_local float tn__gemm_pack_b[TN__GEMM_KC * TN__GEMM_NC];

#define ALL_BACKENDS(name) { .fn = { \
	TN__SCALAR(tn__##name##_scalar) TN__SSE2(tn__##name##_sse2) \
	TN__AVX2(tn__##name##_avx2) TN__AVX512(tn__##name##_avx512) } }
/* The same with the OpenCL kernel. */
#define ALL_BACKENDS_CL(name) { .fn = { \
	TN__SCALAR(tn__##name##_scalar) TN__SSE2(tn__##name##_sse2) \
	TN__AVX2(tn__##name##_avx2) TN__AVX512(tn__##name##_avx512) \
	TN__OPENCL(tn__##name##_opencl) } }

const struct tn__op_impl tn__impl_cosine = ALL_BACKENDS_CL(cosine);
const struct tn__op_impl tn__impl_euclidean = ALL_BACKENDS_CL(euclidean);
const struct tn__op_impl tn__impl_manhattan = ALL_BACKENDS_CL(manhattan);
const struct tn__op_impl tn__impl_cosine_batch = ALL_BACKENDS_CL(cosine_batch);
const struct tn__op_impl tn__impl_euclidean_batch = ALL_BACKENDS_CL(euclidean_batch);
const struct tn__op_impl tn__impl_manhattan_batch = ALL_BACKENDS_CL(manhattan_batch);
const struct tn__op_impl tn__impl_matmul = ALL_BACKENDS_CL(matmul);
const struct tn__op_impl tn__impl_matvec = ALL_BACKENDS_CL(matvec);
const struct tn__op_impl tn__impl_vecmat = ALL_BACKENDS_CL(vecmat);
/* The batched product runs the plain GEMM kernel once per matrix on the
 * CPU; opencl's entry takes the whole batch (one upload per operand, one
 * launch, one download). */
const struct tn__op_impl tn__impl_matmul_batched = { .fn = {
	TN__SCALAR(tn__matmul_scalar) TN__SSE2(tn__matmul_sse2)
	TN__AVX2(tn__matmul_avx2) TN__AVX512(tn__matmul_avx512)
	TN__OPENCL(tn__matmul_batched_opencl) } };
/* No AVX-512 transpose (a copy through 8 x 8 register blocks is memory-bound;
 * a 16 x 16 one was not written for want of an AVX-512 machine to measure it
 * on): AVX-512, forced or automatic, runs the AVX2 kernel. */
const struct tn__op_impl tn__impl_transpose = { .fn = {
	TN__SCALAR(tn__transpose_scalar) TN__SSE2(tn__transpose_sse2)
	TN__AVX2(tn__transpose_avx2) TN__OPENCL(tn__transpose_opencl) } };

/* x * y, or SIZE_MAX when it would wrap (span sizes only). */
static size_t mul_sat(size_t x, size_t y)
{
	size_t r;

	return __builtin_mul_overflow(x, y, &r) ? SIZE_MAX : r;
}

/* A vector of n floats: NULL only when empty, its bytes countable. */
static int vec_ok(size_t n, const void *p)
{
	return (n == 0 || p != NULL) && n <= SIZE_MAX / sizeof(float);
}

/*
 * A rows x cols matrix with leading dimension ld: ld covers a row, NULL only
 * when empty, and the byte offset of its last element fits in a size_t.
 */
static int mat_ok(size_t rows, size_t cols, size_t ld, const void *p)
{
	if (ld < cols)
		return 0;
	if (rows == 0 || cols == 0)
		return 1;
	return p != NULL && rows - 1 <= (SIZE_MAX / sizeof(float) - cols) / ld;
}

/* ---- Similarity and distance -------------------------------------------- */

#define SIMILARITY(name, OP) \
float tn_##name(size_t n, const float *a, const float *b) \
{ \
	uint64_t t0 = tn__span_begin(); \
	enum tn_backend bk = tn__choose(OP); \
	float r = TN__KERNEL(tn__sim_fn *, name, bk)(n, a, b); \
	tn__span_end(OP, bk, n, mul_sat(n, 2 * sizeof(float)), t0); \
	return r; \
}

SIMILARITY(cosine, TN_OP_COSINE)
SIMILARITY(euclidean, TN_OP_EUCLIDEAN)
SIMILARITY(manhattan, TN_OP_MANHATTAN)

#define SIMILARITY_BATCH(name, OP) \
int tn_##name(size_t n, const float *q, size_t rows, const float *r, size_t ld, float *out) \
{ \
	uint64_t t0; \
	enum tn_backend bk; \
 \
	if (!vec_ok(n, q) || !mat_ok(rows, n, ld, r) || !vec_ok(rows, out) || \
	    (rows > 0 && ld == 0)) \
		return -EINVAL; \
	t0 = tn__span_begin(); \
	bk = tn__choose(OP); \
	TN__KERNEL(tn__sim_batch_fn *, name, bk)(n, q, rows, r, ld, out); \
	tn__span_end(OP, bk, mul_sat(rows, n), \
		     mul_sat(mul_sat(rows, n + 1) + n, sizeof(float)), t0); \
	return 0; \
}

SIMILARITY_BATCH(cosine_batch, TN_OP_COSINE_BATCH)
SIMILARITY_BATCH(euclidean_batch, TN_OP_EUCLIDEAN_BATCH)
SIMILARITY_BATCH(manhattan_batch, TN_OP_MANHATTAN_BATCH)

/* ---- Matrices ------------------------------------------------------------ */

/* Bytes a product reads and writes: A, B and C once each. */
static size_t matmul_bytes(size_t m, size_t n, size_t k)
{
	size_t e = mul_sat(m, k);

	e = e > SIZE_MAX - mul_sat(k, n) ? SIZE_MAX : e + mul_sat(k, n);
	e = e > SIZE_MAX - mul_sat(m, n) ? SIZE_MAX : e + mul_sat(m, n);
	return mul_sat(e, sizeof(float));
}

int tn_matmul(size_t m, size_t n, size_t k, const float *a, size_t lda,
	      const float *b, size_t ldb, float *c, size_t ldc)
{
	uint64_t t0;
	enum tn_backend bk;

	if (!mat_ok(m, k, lda, a) || !mat_ok(k, n, ldb, b) || !mat_ok(m, n, ldc, c))
		return -EINVAL;
	t0 = tn__span_begin();
	bk = tn__choose(TN_OP_MATMUL);
	TN__KERNEL(tn__matmul_fn *, matmul, bk)(m, n, k, a, lda, b, ldb, c, ldc);
	tn__span_end(TN_OP_MATMUL, bk, mul_sat(mul_sat(m, n), k), matmul_bytes(m, n, k), t0);
	return 0;
}

/* Matrix i of a batch starts at base + i * stride: the last one must fit too. */
static int batch_ok(size_t batch, size_t rows, size_t cols, size_t ld, size_t stride,
		    const void *p)
{
	size_t extent;

	if (!mat_ok(rows, cols, ld, p))
		return 0;
	if (batch == 0 || rows == 0 || cols == 0)
		return 1;
	extent = (rows - 1) * ld + cols;
	return stride == 0 || batch - 1 <= (SIZE_MAX / sizeof(float) - extent) / stride;
}

int tn_matmul_batched(size_t batch, size_t m, size_t n, size_t k,
		      const float *a, size_t lda, size_t stride_a,
		      const float *b, size_t ldb, size_t stride_b,
		      float *c, size_t ldc, size_t stride_c)
{
	uint64_t t0;
	enum tn_backend bk;
	tn__matmul_fn *kernel;

	if (!batch_ok(batch, m, k, lda, stride_a, a) || !batch_ok(batch, k, n, ldb, stride_b, b) ||
	    !batch_ok(batch, m, n, ldc, stride_c, c))
		return -EINVAL;
	t0 = tn__span_begin();
	bk = tn__choose(TN_OP_MATMUL_BATCHED);
	if (bk == TN_BACKEND_OPENCL) {
		TN__KERNEL(tn__matmul_batched_fn *, matmul_batched, bk)(batch, m, n, k, a, lda,
			stride_a, b, ldb, stride_b, c, ldc, stride_c);
	} else {
		kernel = TN__KERNEL(tn__matmul_fn *, matmul_batched, bk);
		for (size_t i = 0; i < batch; i++)
			kernel(m, n, k, a + i * stride_a, lda, b + i * stride_b, ldb,
			       c + i * stride_c, ldc);
	}
	tn__span_end(TN_OP_MATMUL_BATCHED, bk, mul_sat(mul_sat(mul_sat(m, n), k), batch),
		     mul_sat(matmul_bytes(m, n, k), batch), t0);
	return 0;
}

int tn_transpose(size_t m, size_t n, const float *a, size_t lda, float *b, size_t ldb)
{
	uint64_t t0;
	enum tn_backend bk;

	if (!mat_ok(m, n, lda, a) || !mat_ok(n, m, ldb, b))
		return -EINVAL;
	t0 = tn__span_begin();
	bk = tn__choose(TN_OP_TRANSPOSE);
	TN__KERNEL(tn__transpose_fn *, transpose, bk)(m, n, a, lda, b, ldb);
	tn__span_end(TN_OP_TRANSPOSE, bk, mul_sat(m, n), mul_sat(mul_sat(m, n), 2 * sizeof(float)), t0);
	return 0;
}

/* Bytes of a matrix-vector product: the matrix and both vectors. */
static size_t matvec_bytes(size_t m, size_t n)
{
	size_t e = mul_sat(m, n);

	e = e > SIZE_MAX - m - n ? SIZE_MAX : e + m + n;
	return mul_sat(e, sizeof(float));
}

int tn_matvec(size_t m, size_t n, const float *a, size_t lda, const float *x, float *y)
{
	uint64_t t0;
	enum tn_backend bk;

	if (!mat_ok(m, n, lda, a) || !vec_ok(n, x) || !vec_ok(m, y))
		return -EINVAL;
	t0 = tn__span_begin();
	bk = tn__choose(TN_OP_MATVEC);
	TN__KERNEL(tn__matvec_fn *, matvec, bk)(m, n, a, lda, x, y);
	tn__span_end(TN_OP_MATVEC, bk, mul_sat(m, n), matvec_bytes(m, n), t0);
	return 0;
}

int tn_vecmat(size_t m, size_t n, const float *x, const float *a, size_t lda, float *y)
{
	uint64_t t0;
	enum tn_backend bk;

	if (!mat_ok(m, n, lda, a) || !vec_ok(m, x) || !vec_ok(n, y))
		return -EINVAL;
	t0 = tn__span_begin();
	bk = tn__choose(TN_OP_VECMAT);
	TN__KERNEL(tn__vecmat_fn *, vecmat, bk)(m, n, x, a, lda, y);
	tn__span_end(TN_OP_VECMAT, bk, mul_sat(m, n), matvec_bytes(m, n), t0);
	return 0;
}
