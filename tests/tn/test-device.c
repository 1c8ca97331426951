/* SPDX-License-Identifier: MIT */
/*
 * tn-device.h: a chain of operations on device buffers gives what the same
 * operations give through the tn_* calls on opencl (the same kernels: the
 * same bits), and close to the CPU; shapes that do not fit are refused;
 * transfers write spans.  Exit 77 (SKIP) without an OpenCL device.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "tn-check.h"
#include "tn/tn-device.h"

static struct tn_dev_buf *up(const float *x, size_t n)
{
	struct tn_dev_buf *d;

	assert_int_equal(tn_dev_new(n, &d), 0);
	assert_int_equal(tn_dev_len(d), n);
	assert_int_equal(tn_dev_upload(d, 0, n, x), 0);
	return d;
}

/* relu(A B) x and sum/dot on the device against the host calls forced onto opencl and scalar. */
static void test_chain(void **state)
{
	const size_t m = 37, k = 29, n = 41;
	struct tn_check_rng rng = tn_check_rng(11);
	float *a = tn_check_alloc(m * k), *b = tn_check_alloc(k * n), *x = tn_check_alloc(n);
	float *c = tn_check_alloc(m * n), *y = tn_check_alloc(m), *yd = tn_check_alloc(m);
	float *yc = tn_check_alloc(m);
	struct tn_dev_buf *da, *db, *dc, *dx, *dy;
	float s, d, s_host, d_host;

	(void)state;
	tn_check_fill(&rng, m * k, a, -2.0f, 2.0f);
	tn_check_fill(&rng, k * n, b, -2.0f, 2.0f);
	tn_check_fill(&rng, n, x, -1.0f, 1.0f);
	da = up(a, m * k);
	db = up(b, k * n);
	dx = up(x, n);
	assert_int_equal(tn_dev_new(m * n, &dc), 0);
	assert_int_equal(tn_dev_new(m, &dy), 0);
	/* Upload once, three operations, download once. */
	assert_int_equal(tn_dev_matmul(m, n, k, da, db, dc), 0);
	assert_int_equal(tn_dev_relu(m * n, dc, dc), 0);
	assert_int_equal(tn_dev_matvec(m, n, dc, dx, dy), 0);
	assert_int_equal(tn_dev_download(dy, 0, m, yd), 0);
	assert_int_equal(tn_dev_sum(m * n, dc, &s), 0);
	assert_int_equal(tn_dev_dot(n, dx, dx, &d), 0);

	/* The same on the host, through opencl: the same kernels, the same bits. */
	assert_int_equal(tn_backend_force(TN_BACKEND_OPENCL), 0);
	assert_int_equal(tn_matmul(m, n, k, a, k, b, n, c, n), 0);
	tn_relu(m * n, c, c);
	assert_int_equal(tn_matvec(m, n, c, n, x, y), 0);
	s_host = tn_sum(m * n, c);
	d_host = tn_dot(n, x, x);
	assert_memory_equal(yd, y, m * sizeof(float));
	assert_memory_equal(&s, &s_host, sizeof(float));
	assert_memory_equal(&d, &d_host, sizeof(float));
	/* And close to the CPU (a product of sums in another order); sum and dot are the CPU's bits. */
	assert_int_equal(tn_backend_force(TN_BACKEND_SCALAR), 0);
	assert_int_equal(tn_matmul(m, n, k, a, k, b, n, c, n), 0);
	tn_relu(m * n, c, c);
	assert_int_equal(tn_matvec(m, n, c, n, x, yc), 0);
	for (size_t i = 0; i < m; i++)
		assert_float_equal(yd[i], yc[i], 1e-3f * (1.0f + fabsf(yc[i])));
	assert_float_equal(tn_sum(m * n, c), s, 1e-3f * (1.0f + fabsf(s)));
	d_host = tn_dot(n, x, x);
	assert_memory_equal(&d, &d_host, sizeof(float));
	assert_int_equal(tn_backend_force(TN_BACKEND_AUTO), 0);

	/* Element-wise in place on the device: x = 2 x, then x += -1 x. */
	assert_int_equal(tn_dev_scale(n, 2.0f, dx, dx), 0);
	assert_int_equal(tn_dev_axpy(n, -1.0f, dx, dx), 0);         /* 2x - 2x = 0 */
	assert_int_equal(tn_dev_download(dx, 0, n, x), 0);
	for (size_t i = 0; i < n; i++)
		assert_true(x[i] == 0.0f);

	tn_dev_free(da);
	tn_dev_free(db);
	tn_dev_free(dc);
	tn_dev_free(dx);
	tn_dev_free(dy);
	tn_check_free(a);
	tn_check_free(b);
	tn_check_free(x);
	tn_check_free(c);
	tn_check_free(y);
	tn_check_free(yd);
	tn_check_free(yc);
}

static void test_binary(void **state)
{
	const size_t n = 1001;
	struct tn_check_rng rng = tn_check_rng(5);
	float *a = tn_check_alloc(n), *b = tn_check_alloc(n), *y = tn_check_alloc(n);
	float *want = tn_check_alloc(n);
	struct tn_dev_buf *da, *db;
	int (*const dev[4])(size_t, const struct tn_dev_buf *, const struct tn_dev_buf *,
			    struct tn_dev_buf *) = { tn_dev_add, tn_dev_sub, tn_dev_mul, tn_dev_div };
	void (*const host[4])(size_t, const float *, const float *, float *) = {
		tn_add, tn_sub, tn_mul, tn_div };

	(void)state;
	tn_check_fill(&rng, n, a, -100.0f, 100.0f);
	tn_check_fill(&rng, n, b, 0.5f, 100.0f);
	da = up(a, n);
	db = up(b, n);
	for (int i = 0; i < 4; i++) {
		struct tn_dev_buf *dy;
		int r;

		assert_int_equal(tn_dev_new(n, &dy), 0);
		r = dev[i](n, da, db, dy);
		if (r == -ENOTSUP) {            /* div on a device without correctly rounded division */
			tn_dev_free(dy);
			continue;
		}
		assert_int_equal(r, 0);
		assert_int_equal(tn_dev_download(dy, 0, n, y), 0);
		host[i](n, a, b, want);
		/* Correctly rounded on both sides: the same bits. */
		assert_memory_equal(y, want, n * sizeof(float));
		tn_dev_free(dy);
	}
	tn_dev_free(da);
	tn_dev_free(db);
	tn_check_free(a);
	tn_check_free(b);
	tn_check_free(y);
	tn_check_free(want);
}

/* Shapes past a buffer, NULL, ranges past the end: -EINVAL, nothing runs. */
static void test_refused(void **state)
{
	struct tn_dev_buf *d, *e;
	float x[8] = { 0 };

	(void)state;
	assert_int_equal(tn_dev_new(8, &d), 0);
	assert_int_equal(tn_dev_new(4, &e), 0);
	assert_int_equal(tn_dev_upload(d, 4, 5, x), -EINVAL);
	assert_int_equal(tn_dev_upload(d, 9, 0, x), -EINVAL);
	assert_int_equal(tn_dev_download(d, 0, 9, x), -EINVAL);
	assert_int_equal(tn_dev_upload(d, 0, 1, NULL), -EINVAL);
	assert_int_equal(tn_dev_add(8, d, e, d), -EINVAL);
	assert_int_equal(tn_dev_relu(5, e, e), -EINVAL);
	assert_int_equal(tn_dev_matmul(3, 3, 1, e, e, d), -EINVAL);  /* C 3 x 3 in 8 */
	assert_int_equal(tn_dev_matmul(2, 2, 2, e, e, e), -EINVAL);  /* C aliases A */
	assert_int_equal(tn_dev_matvec(2, 4, d, e, d), -EINVAL);
	assert_int_equal(tn_dev_sum(8, d, NULL), -EINVAL);
	tn_dev_free(e);
	assert_int_equal(tn_dev_new(SIZE_MAX, &e), -EINVAL);
	assert_null(e);
	assert_int_equal(tn_dev_upload(d, 2, 0, NULL), 0);
	tn_dev_free(d);
	tn_dev_free(NULL);
}

/* tanh(gelu(x)) on the device (tn_dev_unary, the second in place): scalar's bits. */
static void test_unary(void **state)
{
	const size_t n = 1001;
	struct tn_check_rng rng = tn_check_rng(17);
	float *x = tn_check_alloc(n), *y = tn_check_alloc(n), *s = tn_check_alloc(n);
	struct tn_dev_buf *dx, *dy;

	(void)state;
	tn_check_fill(&rng, n, x, -12.0f, 12.0f);
	dx = up(x, n);
	assert_int_equal(tn_dev_new(n, &dy), 0);
	assert_int_equal(tn_dev_unary(TN_OP_GELU, n, dx, dy), 0);
	assert_int_equal(tn_dev_unary(TN_OP_TANH, n, dy, dy), 0);
	assert_int_equal(tn_dev_download(dy, 0, n, y), 0);
	assert_int_equal(tn_backend_force(TN_BACKEND_SCALAR), 0);
	tn_gelu(n, x, s);
	tn_tanh(n, s, s);
	assert_int_equal(tn_backend_force(TN_BACKEND_AUTO), 0);
	for (size_t i = 0; i < n; i++)
		if (memcmp(&y[i], &s[i], sizeof(float)) != 0)
			fail_msg("tanh(gelu(%a)): %a on the device, %a on scalar", (double)x[i],
				 (double)y[i], (double)s[i]);
	/* not an element-wise function of one input; too short a buffer */
	assert_int_equal(tn_dev_unary(TN_OP_ADD, n, dx, dy), -EINVAL);
	assert_int_equal(tn_dev_unary(TN_OP_SOFTMAX, n, dx, dy), -EINVAL);
	assert_int_equal(tn_dev_unary(TN_OP_EXP, n + 1, dx, dy), -EINVAL);
	tn_dev_free(dx);
	tn_dev_free(dy);
	tn_check_free(x);
	tn_check_free(y);
	tn_check_free(s);
}

/* pow(x, e) and elu(x) with alpha 0.5 on the device: scalar's bits. */
static void test_pow_elu(void **state)
{
	const size_t n = 1001;
	struct tn_check_rng rng = tn_check_rng(23);
	float *x = tn_check_alloc(n), *e = tn_check_alloc(n), *y = tn_check_alloc(n);
	float *s = tn_check_alloc(n);
	struct tn_dev_buf *dx, *de, *dy;

	(void)state;
	tn_check_fill(&rng, n, x, -4.0f, 4.0f);
	tn_check_fill(&rng, n, e, -3.0f, 3.0f);
	for (size_t i = 0; i < n; i += 3)
		x[i] = fabsf(x[i]);                     /* pow of positive and negative bases */
	dx = up(x, n);
	de = up(e, n);
	assert_int_equal(tn_dev_new(n, &dy), 0);
	for (int f = 0; f < 2; f++) {
		assert_int_equal(f ? tn_dev_elu(n, 0.5f, dx, dy) : tn_dev_pow(n, dx, de, dy), 0);
		assert_int_equal(tn_dev_download(dy, 0, n, y), 0);
		assert_int_equal(tn_backend_force(TN_BACKEND_SCALAR), 0);
		if (f)
			tn_elu(n, 0.5f, x, s);
		else
			tn_pow(n, x, e, s);
		assert_int_equal(tn_backend_force(TN_BACKEND_AUTO), 0);
		for (size_t i = 0; i < n; i++)
			if (memcmp(&y[i], &s[i], sizeof(float)) != 0 && !(isnan(y[i]) && isnan(s[i])))
				fail_msg("%s(%a, %a): %a on the device, %a on scalar", f ? "elu" : "pow",
					 (double)x[i], (double)e[i], (double)y[i], (double)s[i]);
	}
	/* in place, as the other element-wise operations */
	assert_int_equal(tn_dev_elu(n, 0.5f, dx, dx), 0);
	/* too short a buffer */
	assert_int_equal(tn_dev_pow(n + 1, dx, de, dy), -EINVAL);
	assert_int_equal(tn_dev_elu(n + 1, 0.5f, dx, dy), -EINVAL);
	assert_int_equal(tn_dev_pow(n, dx, NULL, dy), -EINVAL);
	tn_dev_free(dx);
	tn_dev_free(de);
	tn_dev_free(dy);
	tn_check_free(x);
	tn_check_free(e);
	tn_check_free(y);
	tn_check_free(s);
}

/* tn_dev_upload and tn_dev_download write "transfer" spans with their phase and bytes. */
static void test_transfer_spans(void **state)
{
	struct tn_dev_buf *d;
	float x[16] = { 1 };
	char buf[2048];
	int p[2], before = tn_span_fd();
	ssize_t got;

	(void)state;
	assert_int_equal(tn_dev_new(16, &d), 0);
	assert_int_equal(pipe(p), 0);
	tn_span_set_fd(p[1]);
	assert_int_equal(tn_dev_upload(d, 0, 16, x), 0);
	assert_int_equal(tn_dev_download(d, 0, 16, x), 0);
	tn_span_set_fd(before);
	got = read(p[0], buf, sizeof(buf) - 1);
	close(p[0]);
	close(p[1]);
	assert_true(got > 0);
	buf[got] = '\0';
	assert_non_null(strstr(buf, "\"name\":\"transfer\",\"backend\":\"opencl\",\"n\":16,\"bytes\":64,\"phase\":\"upload\""));
	assert_non_null(strstr(buf, "\"name\":\"transfer\",\"backend\":\"opencl\",\"n\":16,\"bytes\":64,\"phase\":\"download\""));
	tn_dev_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chain),
		cmocka_unit_test(test_binary),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_unary),
		cmocka_unit_test(test_pow_elu),
		cmocka_unit_test(test_transfer_spans),
	};
	const char *why;

	if (!tn_check_device(&why)) {
		printf("no OpenCL device (%s): skipped\n", why);
		return 77;
	}
	return cmocka_run_group_tests_name("tn-device", tests, NULL, NULL);
}
