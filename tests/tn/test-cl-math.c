/* SPDX-License-Identifier: MIT */
/*
 * libtn math on the OpenCL device: each operation forced onto opencl runs
 * its kernel there (its span says backend opencl, phase kernel: not the
 * CPU fallback) and gives the scalar backend's bits, over ordinary values,
 * specials (NaN, infinities, signed zeros, subnormals, extremes) and the
 * special inputs of softmax, log_softmax and layer_norm; cosine, euclidean
 * and manhattan of one pair run there too, within an ulp of scalar's
 * (both sum in double, in different orders); matmul_batched runs as one
 * launch with tn_matmul's bits for every matrix.  tests/tn-math
 * checks the same operations against references on every size (tn-math-
 * opencl).  Exit 77 (SKIP) without an OpenCL device.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "tn-check.h"
#include "tn/tn-device.h"

#define N 1000

typedef void (*call_fn)(const float *x, const float *x2, float *y);

#define U(op) static void c_##op(const float *x, const float *x2, float *y) \
	{ (void)x2; tn_##op(N, x, y); }
U(exp) U(log) U(log2) U(log10) U(selu) U(sigmoid) U(tanh) U(gelu) U(gelu_tanh)
U(swish) U(hardswish) U(mish) U(softmax) U(log_softmax)
static void c_elu(const float *x, const float *x2, float *y) { (void)x2; tn_elu(N, 0.7f, x, y); }
static void c_pow(const float *x, const float *x2, float *y) { tn_pow(N, x, x2, y); }
static void c_layer_norm(const float *x, const float *x2, float *y)
{
	tn_layer_norm(N, x, x2, x2 + 1, 1e-5f, y);
}
static void c_layer_norm_plain(const float *x, const float *x2, float *y)
{
	(void)x2;
	tn_layer_norm(N, x, NULL, NULL, 0.0f, y);
}

static const struct {
	const char *name;
	call_fn fn;
	bool whole;     /* softmax-like: specials change every output */
} ops[] = {
#define E(op) { #op, c_##op, false },
	E(exp) E(log) E(log2) E(log10) E(selu) E(sigmoid) E(tanh) E(gelu) E(gelu_tanh)
	E(swish) E(hardswish) E(mish) E(elu) E(pow)
#undef E
	{ "softmax", c_softmax, true }, { "log_softmax", c_log_softmax, true },
	{ "layer_norm", c_layer_norm, true }, { "layer_norm", c_layer_norm_plain, true },
};

static bool same(float a, float b)
{
	return (a != a && b != b) || memcmp(&a, &b, sizeof(a)) == 0;
}

/* Whether the spans in fd name op with backend opencl and a kernel phase. */
static bool ran_on_device(int fd, const char *op)
{
	char buf[8192], want[128];
	ssize_t got = pread(fd, buf, sizeof(buf) - 1, 0);

	if (got <= 0)
		return false;
	buf[got] = '\0';
	snprintf(want, sizeof(want), "\"name\":\"%s\",\"backend\":\"opencl\"", op);
	return strstr(buf, want) && strstr(buf, "\"phase\":\"kernel\"");
}

/* Runs ops[i] on opencl (spans to a file) and on scalar; the bits must agree. */
static void run_one(size_t i, const float *x, const float *x2)
{
	float *y = tn_check_alloc(N), *s = tn_check_alloc(N);
	char path[] = "/tmp/tn-cl-math-XXXXXX";
	int fd = mkstemp(path), before = tn_span_fd();

	assert_true(fd >= 0);
	unlink(path);
	assert_int_equal(tn_backend_force(TN_BACKEND_OPENCL), 0);
	tn_span_set_fd(fd);
	ops[i].fn(x, x2, y);
	tn_span_set_fd(before);
	assert_int_equal(tn_backend_force(TN_BACKEND_SCALAR), 0);
	ops[i].fn(x, x2, s);
	if (!ran_on_device(fd, ops[i].name)) {
		print_error("%s did not run on the device\n", ops[i].name);
		fail();
	}
	close(fd);
	for (size_t j = 0; j < N; j++) {
		if (!same(y[j], s[j])) {
			print_error("%s: y[%zu] = %a on opencl, %a on scalar (x = %a)\n", ops[i].name,
				    j, (double)y[j], (double)s[j], (double)x[j]);
			fail();
		}
	}
	tn_check_free(y);
	tn_check_free(s);
}

static void test_math(void **state)
{
	struct tn_check_rng rng = tn_check_rng(7);
	float *x = tn_check_alloc(N), *x2 = tn_check_alloc(N + 1);

	(void)state;
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		for (int round = 0; round < 3; round++) {
			tn_check_fill(&rng, N, x, round == 0 ? -20.0f : -100.0f,
				      round == 0 ? 20.0f : 100.0f);
			tn_check_fill(&rng, N + 1, x2, -4.0f, 4.0f);
			/* specials in the element-wise ops: every one, everywhere */
			if (round == 1 && !ops[i].whole)
				for (size_t j = 0; j < tn_check_nspecials; j++) {
					x[j * 37 % N] = tn_check_specials[j];
					x2[j * 53 % N] = tn_check_specials[(j + 3) % tn_check_nspecials];
				}
			/* the whole-vector ops: +inf, -inf beside finite, NaN */
			if (round == 1 && ops[i].whole)
				x[17] = -INFINITY;
			if (round == 2 && ops[i].whole) {
				x[500] = INFINITY;
				x[999] = INFINITY;
			}
			run_one(i, x, x2);
		}
	}
	/* softmax and log_softmax of all -inf, then with a NaN */
	for (size_t j = 0; j < N; j++)
		x[j] = -INFINITY;
	for (int k = 0; k < 2; k++) {
		for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
			if (strstr(ops[i].name, "softmax"))
				run_one(i, x, x2);
		x[3] = NAN;
	}
	tn_check_free(x);
	tn_check_free(x2);
}

/*
 * cosine, euclidean and manhattan of one pair on the device: the kernel ran
 * there, and the result is within an ulp of scalar's (both sum in double,
 * in another order), NaN where scalar gives NaN (a zero norm).
 */
static void test_similarity(void **state)
{
	static const size_t sizes[] = { 1, 31, 33, 1000, 100003 };
	static const char *const names[3] = { "cosine", "euclidean", "manhattan" };
	float (*const fns[3])(size_t, const float *, const float *) = {
		tn_cosine, tn_euclidean, tn_manhattan,
	};
	struct tn_check_rng rng = tn_check_rng(9);

	(void)state;
	for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		size_t n = sizes[s];
		float *a = tn_check_alloc(n), *b = tn_check_alloc(n);

		tn_check_fill(&rng, n, a, -3.0f, 3.0f);
		tn_check_fill(&rng, n, b, -3.0f, 3.0f);
		for (int f = 0; f < 3; f++) {
			for (int zero = 0; zero < 2; zero++) {
				char path[] = "/tmp/tn-cl-sim-XXXXXX";
				int fd = mkstemp(path), before = tn_span_fd();
				float d, c;

				if (zero)
					memset(b, 0, n * sizeof(float));
				assert_true(fd >= 0);
				unlink(path);
				assert_int_equal(tn_backend_force(TN_BACKEND_OPENCL), 0);
				tn_span_set_fd(fd);
				d = fns[f](n, a, b);
				tn_span_set_fd(before);
				assert_int_equal(tn_backend_force(TN_BACKEND_SCALAR), 0);
				c = fns[f](n, a, b);
				if (!ran_on_device(fd, names[f])) {
					print_error("%s did not run on the device\n", names[f]);
					fail();
				}
				close(fd);
				if (c != c ? d == d : fabsf(d - c) > fabsf(c) * 0x1p-23f) {
					print_error("%s (n = %zu): %a on opencl, %a on scalar\n",
						    names[f], n, (double)d, (double)c);
					fail();
				}
			}
		}
		tn_check_free(a);
		tn_check_free(b);
	}
}

/* The number of spans of phase kernel in fd. */
static int kernel_spans(int fd)
{
	static char buf[1 << 16];
	ssize_t got = pread(fd, buf, sizeof(buf) - 1, 0);
	int count = 0;

	buf[got > 0 ? got : 0] = '\0';
	for (const char *p = strstr(buf, "\"phase\":\"kernel\""); p; p = strstr(p + 1, "\"phase\":\"kernel\""))
		count++;
	return count;
}

/*
 * matmul_batched on the device: one launch for the whole batch (one kernel
 * span), strided or packed operands, stride 0 for A or B; every matrix has
 * the bits of tn_matmul on opencl (the same kernel and order) for it.
 */
static void test_matmul_batched(void **state)
{
	static const struct {
		size_t lda, ldb, ldc, sa, sb, sc;
	} shapes[] = {
		{ 35, 21, 21, 19 * 35, 35 * 21, 19 * 21 },      /* packed */
		{ 40, 22, 25, 21 * 40, 37 * 22, 20 * 25 },      /* strided */
		{ 40, 22, 25, 0, 37 * 22, 20 * 25 },            /* one A */
		{ 40, 22, 25, 21 * 40, 0, 20 * 25 },            /* one B */
	};
	const size_t batch = 5, m = 19, n = 21, k = 35;
	struct tn_check_rng rng = tn_check_rng(21);

	(void)state;
	for (size_t s = 0; s < sizeof(shapes) / sizeof(shapes[0]); s++) {
		size_t sa = shapes[s].sa, sb = shapes[s].sb, sc = shapes[s].sc;
		size_t lda = shapes[s].lda, ldb = shapes[s].ldb, ldc = shapes[s].ldc;
		size_t na = batch * (sa ? sa : m * lda), nb = batch * (sb ? sb : k * ldb);
		float *a = tn_check_alloc(na), *b = tn_check_alloc(nb);
		float *c = tn_check_alloc(batch * sc), *one = tn_check_alloc(m * ldc);
		char path[] = "/tmp/tn-cl-mm-XXXXXX";
		int fd = mkstemp(path), before = tn_span_fd();

		assert_true(fd >= 0);
		unlink(path);
		tn_check_fill(&rng, na, a, -2.0f, 2.0f);
		tn_check_fill(&rng, nb, b, -2.0f, 2.0f);
		assert_int_equal(tn_backend_force(TN_BACKEND_OPENCL), 0);
		tn_span_set_fd(fd);
		assert_int_equal(tn_matmul_batched(batch, m, n, k, a, lda, sa, b, ldb, sb, c, ldc,
						   sc), 0);
		tn_span_set_fd(before);
		assert_true(ran_on_device(fd, "matmul_batched"));
		assert_int_equal(kernel_spans(fd), 1);
		close(fd);
		for (size_t i = 0; i < batch; i++) {
			assert_int_equal(tn_matmul(m, n, k, a + i * sa, lda, b + i * sb, ldb, one,
						   ldc), 0);
			for (size_t r = 0; r < m; r++)
				for (size_t j = 0; j < n; j++)
					if (!same(c[i * sc + r * ldc + j], one[r * ldc + j])) {
						print_error("matmul_batched %zu: C%zu[%zu][%zu] = %a, matmul %a\n",
							    s, i, r, j, (double)c[i * sc + r * ldc + j],
							    (double)one[r * ldc + j]);
						fail();
					}
		}
		tn_check_free(a);
		tn_check_free(b);
		tn_check_free(c);
		tn_check_free(one);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_math),
		cmocka_unit_test(test_similarity),
		cmocka_unit_test(test_matmul_batched),
	};
	const char *why;

	if (!tn_check_device(&why)) {
		printf("no OpenCL device (%s): skipped\n", why);
		return 77;
	}
	return cmocka_run_group_tests_name("tn-cl-math", tests, NULL, NULL);
}
