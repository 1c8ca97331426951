/* libtn matrices, similarity and distance: every backend against double references. */
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "tn-check.h"

#define U 0x1p-24

/* gamma_k = k u / (1 - k u): the bound of any k-term float dot product. */
static double gamma_k(size_t k)
{
	return (double)k * U / (1.0 - (double)k * U);
}

/* A rows x ld matrix with the cells past each row's cols set to a sentinel. */
static const float sentinel = -12345.5f;

static float *mat_alloc(struct tn_check_rng *rng, size_t rows, size_t cols, size_t ld)
{
	float *p = tn_check_alloc(rows * ld);

	for (size_t i = 0; i < rows; i++)
		for (size_t j = 0; j < ld; j++)
			p[i * ld + j] = j < cols ? tn_check_uniform(rng, -1.0f, 1.0f) : sentinel;
	return p;
}

static void check_padding(const float *p, size_t rows, size_t cols, size_t ld)
{
	for (size_t i = 0; i < rows; i++)
		for (size_t j = cols; j < ld; j++)
			if (p[i * ld + j] != sentinel)
				fail_msg("padding [%zu][%zu] overwritten", i, j);
}

/* Fails unless |got - want| <= bound, NaN matching NaN. */
static void check_abs(float got, double want, double bound, const char *what,
		      enum tn_backend b, size_t i, size_t j)
{
	if (isnan(want) && isnan(got))
		return;
	if (isinf(want) && got == want)
		return;
	if (!(fabs((double)got - want) <= bound))
		fail_msg("%s on %s at [%zu][%zu]: got %.9g, want %.17g (bound %.3g)",
			 what, tn_backend_name(b), i, j, (double)got, want, bound);
}

/* ---- matmul ---------------------------------------------------------------- */

struct shape {
	size_t m, n, k;
};

static const struct shape shapes[] = {
	{ 0, 0, 0 }, { 0, 3, 2 }, { 3, 0, 2 }, { 3, 4, 0 }, { 1, 1, 1 }, { 1, 37, 1 },
	{ 1, 100, 9 }, { 100, 1, 9 }, { 9, 1, 100 }, { 17, 33, 5 }, { 6, 16, 8 },
	{ 14, 32, 3 }, { 65, 129, 257 }, { 150, 530, 300 }, { 7, 1030, 513 },
	/* Edge tiles of every height below 14 and widths across 16 (AVX-512). */
	{ 13, 47, 20 }, { 27, 64, 17 }, { 11, 17, 40 }, { 5, 31, 33 }, { 4, 256, 256 },
	{ 12, 15, 16 }, { 8, 48, 31 },
};

static void matmul_ref(size_t m, size_t n, size_t k, const float *a, size_t lda,
		       const float *b, size_t ldb, double *ref, double *absref)
{
	for (size_t i = 0; i < m; i++)
		for (size_t j = 0; j < n; j++) {
			double s = 0.0, t = 0.0;

			for (size_t p = 0; p < k; p++) {
				s += (double)a[i * lda + p] * b[p * ldb + j];
				t += fabs((double)a[i * lda + p] * b[p * ldb + j]);
			}
			ref[i * n + j] = s;
			absref[i * n + j] = t;
		}
}

static void check_product(enum tn_backend bk, const char *what, size_t m, size_t n,
			  size_t k, const float *a, size_t lda, const float *b, size_t ldb,
			  const float *c, size_t ldc)
{
	double *ref = tn_check_alloc_double(m * n + 1), *absref = tn_check_alloc_double(m * n + 1);

	matmul_ref(m, n, k, a, lda, b, ldb, ref, absref);
	for (size_t i = 0; i < m; i++)
		for (size_t j = 0; j < n; j++)
			check_abs(c[i * ldc + j], ref[i * n + j], gamma_k(k) * absref[i * n + j],
				  what, bk, i, j);
	free(ref);
	free(absref);
}

static void test_matmul_known(void **state)
{
	enum tn_backend bk = tn_check_backend(state);
	const float a[6] = { 1, 2, 3, 4, 5, 6 }, b[6] = { 7, 8, 9, 10, 11, 12 };
	float c[4];

	(void)bk;
	assert_int_equal(tn_matmul(2, 2, 3, a, 3, b, 2, c, 2), 0);
	assert_true(c[0] == 58.0f && c[1] == 64.0f && c[2] == 139.0f && c[3] == 154.0f);
}

static void test_matmul_shapes(void **state)
{
	enum tn_backend bk = tn_check_backend(state);
	struct tn_check_rng rng = tn_check_rng(11);

	for (size_t s = 0; s < sizeof(shapes) / sizeof(shapes[0]); s++) {
		for (size_t pad = 0; pad < 2; pad++) {
			size_t m = shapes[s].m, n = shapes[s].n, k = shapes[s].k;
			size_t lda = k + 3 * pad, ldb = n + 5 * pad, ldc = n + 7 * pad;
			float *a = mat_alloc(&rng, m, k, lda), *b = mat_alloc(&rng, k, n, ldb);
			float *c = mat_alloc(&rng, m, 0, ldc);

			/* C starts as NaN: nothing of it may be read. */
			for (size_t i = 0; i < m; i++)
				for (size_t j = 0; j < n; j++)
					c[i * ldc + j] = NAN;
			assert_int_equal(tn_matmul(m, n, k, a, lda, b, ldb, c, ldc), 0);
			check_product(bk, "matmul", m, n, k, a, lda, b, ldb, c, ldc);
			check_padding(c, m, n, ldc);
			tn_check_free(a);
			tn_check_free(b);
			tn_check_free(c);
		}
	}
}

static void test_matmul_specials(void **state)
{
	enum tn_backend bk = tn_check_backend(state);
	struct tn_check_rng rng = tn_check_rng(12);
	size_t m = 23, n = 37, k = 300;
	float *a = mat_alloc(&rng, m, k, k), *b = mat_alloc(&rng, k, n, n);
	float *c = tn_check_alloc(m * n);

	for (size_t i = 0; i < m * k; i++)
		a[i] = fabsf(a[i]) + 0.5f;
	for (size_t i = 0; i < k * n; i++)
		b[i] = fabsf(b[i]) + 0.5f;
	a[7 * k + 290] = NAN;           /* row 7 of C: NaN */
	b[3 * n + 36] = INFINITY;       /* column 36: +inf */
	b[299 * n + 20] = -INFINITY;    /* column 20: -inf */
	assert_int_equal(tn_matmul(m, n, k, a, k, b, n, c, n), 0);
	for (size_t i = 0; i < m; i++)
		for (size_t j = 0; j < n; j++) {
			float v = c[i * n + j];

			if (i == 7)
				assert_true(isnan(v));
			else if (j == 36)
				assert_true(v == INFINITY);
			else if (j == 20)
				assert_true(v == -INFINITY);
			else
				assert_true(isfinite(v));
		}
	(void)bk;
	tn_check_free(a);
	tn_check_free(b);
	tn_check_free(c);
}

static void test_matmul_batched(void **state)
{
	enum tn_backend bk = tn_check_backend(state);
	struct tn_check_rng rng = tn_check_rng(13);
	size_t batch = 3, m = 19, n = 21, k = 35, lda = 40, ldb = 22, ldc = 25;
	size_t sa = m * lda + 4, sb = k * ldb + 1, sc = m * ldc + 3;
	float *a = mat_alloc(&rng, batch * sa, 1, 1), *b = mat_alloc(&rng, batch * sb, 1, 1);
	float *c = tn_check_alloc(batch * sc);

	assert_int_equal(tn_matmul_batched(batch, m, n, k, a, lda, sa, b, ldb, sb, c, ldc, sc), 0);
	for (size_t i = 0; i < batch; i++)
		check_product(bk, "matmul_batched", m, n, k, a + i * sa, lda, b + i * sb, ldb,
			      c + i * sc, ldc);
	/* Stride 0: one A for every B. */
	assert_int_equal(tn_matmul_batched(batch, m, n, k, a, lda, 0, b, ldb, sb, c, ldc, sc), 0);
	for (size_t i = 0; i < batch; i++)
		check_product(bk, "matmul_batched", m, n, k, a, lda, b + i * sb, ldb,
			      c + i * sc, ldc);
	tn_check_free(a);
	tn_check_free(b);
	tn_check_free(c);
}

static void test_matrix_einval(void **state)
{
	float a[16] = { 0 }, b[16] = { 0 }, c[16] = { 0 }, x[4] = { 0 };

	(void)state;
	assert_int_equal(tn_matmul(2, 2, 3, a, 2, b, 2, c, 2), -EINVAL);     /* lda < k */
	assert_int_equal(tn_matmul(2, 2, 3, a, 3, b, 1, c, 2), -EINVAL);     /* ldb < n */
	assert_int_equal(tn_matmul(2, 2, 3, a, 3, b, 2, c, 1), -EINVAL);     /* ldc < n */
	assert_int_equal(tn_matmul(2, 2, 3, NULL, 3, b, 2, c, 2), -EINVAL);
	assert_int_equal(tn_matmul(2, 2, 3, a, 3, NULL, 2, c, 2), -EINVAL);
	assert_int_equal(tn_matmul(2, 2, 3, a, 3, b, 2, NULL, 2), -EINVAL);
	assert_int_equal(tn_matmul(0, 0, 0, NULL, 0, NULL, 0, NULL, 0), 0);
	assert_int_equal(tn_matmul(0, 2, 3, NULL, 3, b, 2, NULL, 2), 0);
	assert_int_equal(tn_matmul(SIZE_MAX / 2, 2, 3, a, 3, b, 2, c, 2), -EINVAL);
	assert_int_equal(tn_transpose(2, 3, a, 2, b, 2), -EINVAL);
	assert_int_equal(tn_transpose(2, 3, a, 3, b, 1), -EINVAL);
	assert_int_equal(tn_transpose(2, 3, a, 3, NULL, 2), -EINVAL);
	assert_int_equal(tn_matvec(2, 3, a, 2, x, c), -EINVAL);
	assert_int_equal(tn_matvec(2, 3, a, 3, NULL, c), -EINVAL);
	assert_int_equal(tn_matvec(2, 3, a, 3, x, NULL), -EINVAL);
	assert_int_equal(tn_vecmat(2, 3, x, a, 2, c), -EINVAL);
	assert_int_equal(tn_vecmat(2, 3, NULL, a, 3, c), -EINVAL);
	assert_int_equal(tn_vecmat(0, 0, NULL, NULL, 0, NULL), 0);
	assert_int_equal(tn_matmul_batched(2, 2, 2, 3, a, 2, 6, b, 2, 6, c, 2, 4), -EINVAL);
	assert_int_equal(tn_matmul_batched(2, 2, 2, 3, a, 3, SIZE_MAX / 2, b, 2, 6, c, 2, 4),
			 -EINVAL);
	assert_int_equal(tn_cosine_batch(3, x, 2, a, 2, c), -EINVAL);
	assert_int_equal(tn_euclidean_batch(3, NULL, 2, a, 3, c), -EINVAL);
	assert_int_equal(tn_manhattan_batch(3, x, 2, a, 3, NULL), -EINVAL);
	assert_int_equal(tn_manhattan_batch(3, x, 0, NULL, 3, NULL), 0);
}

/* ---- transpose, matvec, vecmat ------------------------------------------- */

static const struct shape shapes2[] = {
	{ 0, 0, 0 }, { 0, 5, 0 }, { 1, 1, 0 }, { 1, 37, 0 }, { 37, 1, 0 }, { 8, 8, 0 },
	{ 17, 33, 0 }, { 65, 129, 0 }, { 130, 70, 0 }, { 3, 1000, 0 },
};

static void test_transpose(void **state)
{
	enum tn_backend bk = tn_check_backend(state);
	struct tn_check_rng rng = tn_check_rng(14);

	for (size_t s = 0; s < sizeof(shapes2) / sizeof(shapes2[0]); s++)
		for (size_t pad = 0; pad < 2; pad++) {
			size_t m = shapes2[s].m, n = shapes2[s].n, lda = n + pad * 3, ldb = m + pad * 5;
			float *a = mat_alloc(&rng, m, n, lda), *b = mat_alloc(&rng, n, 0, ldb);

			if (m * n > 0)
				a[(m / 2) * lda + n / 2] = -NAN;
			assert_int_equal(tn_transpose(m, n, a, lda, b, ldb), 0);
			for (size_t i = 0; i < m; i++)
				for (size_t j = 0; j < n; j++)
					if (memcmp(&b[j * ldb + i], &a[i * lda + j], sizeof(float)))
						fail_msg("transpose %zux%zu on %s: [%zu][%zu]", m, n,
							 tn_backend_name(bk), i, j);
			check_padding(b, n, m, ldb);
			tn_check_free(a);
			tn_check_free(b);
		}
}

static void test_matvec_vecmat(void **state)
{
	enum tn_backend bk = tn_check_backend(state);
	struct tn_check_rng rng = tn_check_rng(15);

	for (size_t s = 0; s < sizeof(shapes2) / sizeof(shapes2[0]); s++)
		for (size_t pad = 0; pad < 2; pad++) {
			size_t m = shapes2[s].m, n = shapes2[s].n, lda = n + pad * 3;
			float *a = mat_alloc(&rng, m, n, lda);
			float *x = mat_alloc(&rng, 1, n, n), *y = tn_check_alloc(m);
			float *xv = mat_alloc(&rng, 1, m, m), *yv = tn_check_alloc(n);

			assert_int_equal(tn_matvec(m, n, a, lda, x, y), 0);
			/* matvec is matmul with B = x as a column (ldb 1). */
			check_product(bk, "matvec", m, 1, n, a, lda, x, 1, y, 1);
			assert_int_equal(tn_vecmat(m, n, xv, a, lda, yv), 0);
			check_product(bk, "vecmat", 1, n, m, xv, m, a, lda, yv, n);
			if (m > 0 && n > 0) {
				/* NaN in the last column of row 0, infinity in the body of x. */
				a[n - 1] = NAN;
				x[0] = INFINITY;
				xv[m - 1] = -INFINITY;
				assert_int_equal(tn_matvec(m, n, a, lda, x, y), 0);
				assert_true(isnan(y[0]));
				assert_int_equal(tn_vecmat(m, n, xv, a, lda, yv), 0);
				assert_true(isnan(yv[n - 1]) && (n == 1 || isinf(yv[0]) || isnan(yv[0])));
			}
			tn_check_free(a);
			tn_check_free(x);
			tn_check_free(y);
			tn_check_free(xv);
			tn_check_free(yv);
		}
}

/* ---- similarity and distance --------------------------------------------- */

struct sims {
	double cosine, euclidean, manhattan;
};

static struct sims sims_ref(size_t n, const float *a, const float *b)
{
	long double d = 0, na = 0, nb = 0, e = 0, l = 0;

	for (size_t i = 0; i < n; i++) {
		long double x = a[i], y = b[i];

		d += x * y;
		na += x * x;
		nb += y * y;
		e += (x - y) * (x - y);
		l += fabsl(x - y);
	}
	return (struct sims){
		.cosine = na == 0 || nb == 0 ? NAN : (double)(d / sqrtl(na * nb)),
		.euclidean = (double)sqrtl(e),
		.manhattan = (double)l,
	};
}

/* Absolute bound of cosine: the final rounding plus the double sums. */
static double cosine_bound(size_t n)
{
	return U + (double)n * 0x1p-51;
}

static void check_sims(enum tn_backend bk, size_t n, const float *a, const float *b)
{
	struct sims r = sims_ref(n, a, b);

	check_abs(tn_cosine(n, a, b), r.cosine, cosine_bound(n), "cosine", bk, n, 0);
	tn_check_ulp_one(tn_euclidean(n, a, b), r.euclidean, 1.0, "euclidean", bk, n);
	tn_check_ulp_one(tn_manhattan(n, a, b), r.manhattan, 1.0, "manhattan", bk, n);
}

static void test_similarity(void **state)
{
	enum tn_backend bk = tn_check_backend(state);
	struct tn_check_rng rng = tn_check_rng(16);

	for (size_t s = 0; s < tn_check_nsizes; s++) {
		size_t n = tn_check_sizes[s], pos[3], np = tn_check_positions(n, pos);
		float *a = tn_check_alloc(n), *b = tn_check_alloc(n);

		tn_check_fill(&rng, n, a, -2.0f, 2.0f);
		tn_check_fill(&rng, n, b, -2.0f, 2.0f);
		check_sims(bk, n, a, b);
		/* Nearly parallel: cosine close to 1, never above. */
		if (n > 0) {
			float c = tn_cosine(n, a, a);

			assert_true(c <= 1.0f && c >= 1.0f - 4 * U);
		}
		for (size_t p = 0; p < np; p++) {
			float keep = a[pos[p]];

			for (size_t v = 0; v < tn_check_nspecials; v++) {
				a[pos[p]] = tn_check_specials[v];
				check_sims(bk, n, a, b);
			}
			a[pos[p]] = keep;
		}
		tn_check_free(a);
		tn_check_free(b);
	}
}

static void test_similarity_edges(void **state)
{
	enum tn_backend bk = tn_check_backend(state);
	float z[19] = { 0 }, one[19], big[19];

	(void)bk;
	for (size_t i = 0; i < 19; i++) {
		one[i] = 1.0f;
		big[i] = 1e30f;
	}
	assert_true(isnan(tn_cosine(0, z, z)));
	assert_true(isnan(tn_cosine(19, z, one)));
	assert_true(isnan(tn_cosine(19, one, z)));
	assert_true(tn_euclidean(0, z, z) == 0.0f && tn_manhattan(0, z, z) == 0.0f);
	assert_true(tn_cosine(19, one, big) == 1.0f);           /* no overflow in the norms */
	assert_true(tn_euclidean(19, big, z) == sqrtf(19.0f) * 1e30f ||
		    fabs(tn_euclidean(19, big, z) / (sqrt(19.0) * 1e30) - 1) < 1e-7);
	big[18] = INFINITY;
	assert_true(isnan(tn_cosine(19, one, big)));
	assert_true(tn_euclidean(19, one, big) == INFINITY);
	assert_true(tn_manhattan(19, one, big) == INFINITY);
	assert_true(isnan(tn_manhattan(19, big, big)));          /* inf - inf */
}

static void test_similarity_batch(void **state)
{
	enum tn_backend bk = tn_check_backend(state);
	struct tn_check_rng rng = tn_check_rng(17);
	const size_t ns[] = { 0, 1, 7, 16, 33, 257 };

	for (size_t s = 0; s < sizeof(ns) / sizeof(ns[0]); s++) {
		size_t n = ns[s], rows = 13, ld = n + 3;
		float *q = mat_alloc(&rng, 1, n, n), *r = mat_alloc(&rng, rows, n, ld);
		float *out = tn_check_alloc(rows);

		if (n > 0)
			r[5 * ld + n - 1] = NAN;
		assert_int_equal(tn_cosine_batch(n, q, rows, r, ld, out), 0);
		for (size_t i = 0; i < rows; i++)
			if (!tn_check_same(out[i], tn_cosine(n, q, r + i * ld)))
				fail_msg("cosine_batch row %zu on %s", i, tn_backend_name(bk));
		assert_int_equal(tn_euclidean_batch(n, q, rows, r, ld, out), 0);
		for (size_t i = 0; i < rows; i++)
			if (!tn_check_same(out[i], tn_euclidean(n, q, r + i * ld)))
				fail_msg("euclidean_batch row %zu on %s", i, tn_backend_name(bk));
		assert_int_equal(tn_manhattan_batch(n, q, rows, r, ld, out), 0);
		for (size_t i = 0; i < rows; i++) {
			struct sims ref = sims_ref(n, q, r + i * ld);

			tn_check_ulp_one(out[i], ref.manhattan, 1.0, "manhattan_batch", bk, n);
		}
		tn_check_free(q);
		tn_check_free(r);
		tn_check_free(out);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TN_CHECK_BACKENDS(test_matmul_known),
		TN_CHECK_BACKENDS(test_matmul_shapes),
		TN_CHECK_BACKENDS(test_matmul_specials),
		TN_CHECK_BACKENDS(test_matmul_batched),
		TN_CHECK_BACKENDS(test_transpose),
		TN_CHECK_BACKENDS(test_matvec_vecmat),
		TN_CHECK_BACKENDS(test_similarity),
		TN_CHECK_BACKENDS(test_similarity_edges),
		TN_CHECK_BACKENDS(test_similarity_batch),
		cmocka_unit_test(test_matrix_einval),
	};

	return tn_check_run("tn-matrix", tests);
}
