/* SPDX-License-Identifier: MIT */
/*
 * libtn math on the OpenCL device: each operation forced onto opencl runs
 * its kernel there (its span says backend opencl, phase kernel: not the
 * CPU fallback) and gives the scalar backend's bits, over ordinary values,
 * specials (NaN, infinities, signed zeros, subnormals, extremes) and the
 * special inputs of softmax, log_softmax and layer_norm.  tests/tn-math
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

/* Runs ops[i] on opencl (spans to a file) and on scalar; the bits must agree. */
static void run_one(size_t i, const float *x, const float *x2)
{
	float *y = tn_check_alloc(N), *s = tn_check_alloc(N);
	char path[] = "/tmp/tn-cl-math-XXXXXX", buf[8192], want[128];
	int fd = mkstemp(path), before = tn_span_fd();
	ssize_t got;

	assert_true(fd >= 0);
	unlink(path);
	assert_int_equal(tn_backend_force(TN_BACKEND_OPENCL), 0);
	tn_span_set_fd(fd);
	ops[i].fn(x, x2, y);
	tn_span_set_fd(before);
	assert_int_equal(tn_backend_force(TN_BACKEND_SCALAR), 0);
	ops[i].fn(x, x2, s);
	got = pread(fd, buf, sizeof(buf) - 1, 0);
	close(fd);
	assert_true(got > 0);
	buf[got] = '\0';
	snprintf(want, sizeof(want), "\"name\":\"%s\",\"backend\":\"opencl\"", ops[i].name);
	if (!strstr(buf, want) || !strstr(buf, "\"phase\":\"kernel\"")) {
		print_error("%s did not run on the device: %s\n", ops[i].name, buf);
		fail();
	}
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_math),
	};
	const char *why;

	if (!tn_check_backend_testable(TN_BACKEND_OPENCL, &why) || tn_device_status(&why) < 0) {
		printf("no OpenCL device (%s): skipped\n", why);
		return 77;
	}
	return cmocka_run_group_tests_name("tn-cl-math", tests, NULL, NULL);
}
