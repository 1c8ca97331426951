/* SPDX-License-Identifier: MIT */
/*
 * auto and the device: which backend an operation runs on under each kind of
 * calibration (TN_TEST_CALIBRATION = none, slow, fast, stale, with
 * TN_OPENCL=auto; fast-unasked, the fast one without it; math, where the
 * device wins the math class only; per-op, the same but for exp, whose
 * CPU rate is high, and gelu, whose device rate is low: both stay on the
 * CPU; old, a format-1 file, and format2, a format-2 one (class rates
 * only), ignored; the file is read once per process, so meson runs this
 * once per kind).  The program
 * writes the calibration into a fresh XDG_CACHE_HOME before libtn reads it.
 * Exit 77 without an OpenCL device.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tn-check.h"
#include "tn/tn-device.h"

static const char *kind;

/* The backend of the kernel span of one call of fn (the first span's backend). */
static void spans_of(void (*fn)(void), char *ret, size_t size)
{
	char buf[4096];
	int p[2];
	ssize_t got;
	const char *b;

	assert_int_equal(pipe(p), 0);
	tn_span_set_fd(p[1]);
	fn();
	tn_span_set_fd(-1);
	got = read(p[0], buf, sizeof(buf) - 1);
	close(p[0]);
	close(p[1]);
	assert_true(got > 0);
	buf[got] = '\0';
	b = strstr(buf, "\"backend\":\"");
	assert_non_null(b);
	b += strlen("\"backend\":\"");
	snprintf(ret, size, "%.*s", (int)strcspn(b, "\""), b);
}

static float *a, *b, *c;

static void small_matmul(void)
{
	assert_int_equal(tn_matmul(8, 8, 8, a, 8, b, 8, c, 8), 0);
}

static void large_matmul(void)
{
	assert_int_equal(tn_matmul(256, 256, 256, a, 256, b, 256, c, 256), 0);
}

static void large_add(void)
{
	tn_add(1 << 16, a, b, c);
}

static void large_tanh(void)
{
	tn_tanh(1 << 16, a, c);
}

static void small_tanh(void)
{
	tn_tanh(16, a, c);
}

static void large_sum(void)
{
	(void)tn_sum(1 << 16, a);
}

static void test_auto(void **state)
{
	char small[32], large[32], add[32], tanh_l[32], tanh_s[32], sum[32];
	bool unasked = strcmp(kind, "fast-unasked") == 0;
	bool fast = strcmp(kind, "fast") == 0, per_op = strcmp(kind, "per-op") == 0;
	bool math = strcmp(kind, "math") == 0 || per_op;
	int r;

	(void)state;
	/* Without TN_OPENCL=auto, auto reads nothing: the matmul choice first. */
	if (unasked)
		assert_int_not_equal(tn_op_backend(TN_OP_MATMUL), TN_BACKEND_OPENCL);
	r = tn_device_calibration_load(NULL);
	assert_int_equal(r, strcmp(kind, "none") == 0 ? -ENOENT :
			 strcmp(kind, "stale") == 0 ? -ESTALE :
			 strcmp(kind, "old") == 0 || strcmp(kind, "format2") == 0 ? -EPROTO : 0);
	/* The device row is taken for matmul only where the calibration says it can win. */
	assert_int_equal(tn_op_backend(TN_OP_MATMUL) == TN_BACKEND_OPENCL, fast);
	/* Streams and reductions never (the fast calibration's link is slow):
	 * every add and sum on the CPU. */
	assert_int_not_equal(tn_op_backend(TN_OP_ADD), TN_BACKEND_OPENCL);
	assert_int_not_equal(tn_op_backend(TN_OP_SUM), TN_BACKEND_OPENCL);
	/* The math class by its own rates: on the device under math only, for
	 * every operation of the class and none of another; under per-op,
	 * exp and gelu by theirs, on the CPU. */
	for (int op = 0; op < TN_OP_COUNT_; op++) {
		bool dev = tn_op_backend((enum tn_op)op) == TN_BACKEND_OPENCL;
		bool mop = tn_device_op_class((enum tn_op)op) == TN_DEVICE_MATH;

		if (per_op && (op == TN_OP_EXP || op == TN_OP_GELU))
			assert_false(dev);
		else if (math)
			assert_int_equal(dev, mop);
		else
			assert_int_equal(dev, fast && op == TN_OP_MATMUL);
	}
	/* softmax and log_softmax run as reductions on the device: never there. */
	assert_int_not_equal(tn_op_backend(TN_OP_SOFTMAX), TN_BACKEND_OPENCL);
	assert_int_equal(tn_op_backend(TN_OP_TANH) == TN_BACKEND_OPENCL, math);
	assert_int_equal(tn_op_backend(TN_OP_POW) == TN_BACKEND_OPENCL, math);
	spans_of(small_matmul, small, sizeof(small));
	spans_of(large_matmul, large, sizeof(large));
	spans_of(large_add, add, sizeof(add));
	spans_of(large_tanh, tanh_l, sizeof(tanh_l));
	spans_of(small_tanh, tanh_s, sizeof(tanh_s));
	spans_of(large_sum, sum, sizeof(sum));
	/* A small call is cheaper on the CPU than a launch: always the CPU. */
	assert_string_not_equal(small, "opencl");
	assert_string_not_equal(tanh_s, "opencl");
	assert_string_not_equal(add, "opencl");
	assert_string_not_equal(sum, "opencl");
	if (fast)
		assert_string_equal(large, "opencl");
	else
		assert_string_not_equal(large, "opencl");
	if (math)
		assert_string_equal(tanh_l, "opencl");
	else
		assert_string_not_equal(tanh_l, "opencl");
	/* Forcing still runs the device, whatever the calibration says. */
	assert_int_equal(tn_backend_force(TN_BACKEND_OPENCL), 0);
	spans_of(small_matmul, small, sizeof(small));
	assert_string_equal(small, "opencl");
	assert_int_equal(tn_backend_force(TN_BACKEND_AUTO), 0);
}

/* Writes the calibration of this kind for this device into dir/tn/opencl/calibration. */
static int write_calibration(const char *dir, const char *device)
{
	static const char *const slow =         /* PoCL on a 2-core VM, measured */
		"launch_ns 119055\nupload_bps 2.32e10\ndownload_bps 1.95e10\n"
		"stream_device_bps 1.87e10\nstream_cpu_bps 3.86e10\n"
		"math_device_bps 2.58e9\nmath_cpu_bps 2.24e10\n"
		"reduce_device_bps 1.8e9\nreduce_cpu_bps 3.98e10\n"
		"matmul_device_flops 1.14e9\nmatmul_cpu_flops 1.53e11\n";
	static const char *const fast =         /* fast flops, a slow link */
		"launch_ns 10000\nupload_bps 1e10\ndownload_bps 1e10\n"
		"stream_device_bps 1e12\nstream_cpu_bps 3e10\n"
		"math_device_bps 1e12\nmath_cpu_bps 3e10\n"
		"reduce_device_bps 1e12\nreduce_cpu_bps 3e10\n"
		"matmul_device_flops 1e14\nmatmul_cpu_flops 1e11\n";
	/*
	 * The same link and stream rates: the device loses the stream and
	 * reduce classes (a byte costs more to move than the CPU takes to add
	 * it), wins math, which is slow on this CPU (pow-like: 1 GB/s), and
	 * loses matmul.  Costed like add, as before classes, tanh would stay
	 * on the CPU.
	 */
	static const char *const math =
		"launch_ns 10000\nupload_bps 1e10\ndownload_bps 1e10\n"
		"stream_device_bps 1e12\nstream_cpu_bps 3e10\n"
		"math_device_bps 1e12\nmath_cpu_bps 1e9\n"
		"reduce_device_bps 1e12\nreduce_cpu_bps 3e10\n"
		"matmul_device_flops 1e9\nmatmul_cpu_flops 1e11\n";
	/* What tn-dispatch --calibrate wrote before the classes (format 1): its
	 * rates would let the device win everything, were it misread. */
	static const char *const old =
		"launch_ns 1\nupload_bps 1e15\ndownload_bps 1e15\n"
		"device_stream_bps 1e15\ncpu_stream_bps 1e6\n"
		"device_flops 1e15\ncpu_flops 1e6\n";
	const char *rates = strcmp(kind, "slow") == 0 ? slow :
			    strcmp(kind, "math") == 0 || strcmp(kind, "per-op") == 0 ||
			    strcmp(kind, "format2") == 0 ? math :
			    strcmp(kind, "old") == 0 ? old : fast;
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/tn", dir);
	if (mkdir(path, 0700) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/tn/opencl", dir);
	if (mkdir(path, 0700) < 0)
		return -1;
	if (strcmp(kind, "none") == 0)
		return 0;
	snprintf(path, sizeof(path), "%s/tn/opencl/calibration", dir);
	if (!(f = fopen(path, "w")))
		return -1;
	fprintf(f, "# test\n%sdevice %s\n%s",
		strcmp(kind, "old") == 0 ? "" : strcmp(kind, "format2") == 0 ? "format 2\n" :
		"format 3\n", strcmp(kind, "stale") == 0 ? "another device" : device, rates);
	/* Format 3: each math operation's CPU rate, here its class's, but
	 * where per-op says otherwise. */
	for (int op = 0; op < TN_OP_COUNT_ && strcmp(kind, "old") && strcmp(kind, "format2"); op++) {
		const char *m = strstr(rates, "math_cpu_bps ");

		if (tn_device_op_class((enum tn_op)op) != TN_DEVICE_MATH)
			continue;
		if (strcmp(kind, "per-op") == 0 && op == TN_OP_EXP)
			fprintf(f, "exp_cpu_bps 3e10\n");
		else
			fprintf(f, "%s_cpu_bps %.*s\n", tn_op_name((enum tn_op)op),
				(int)strcspn(m + 13, "\n"), m + 13);
	}
	if (strcmp(kind, "per-op") == 0)
		fprintf(f, "gelu_device_bps 1e8\n");
	return fclose(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = { cmocka_unit_test(test_auto) };
	char dir[] = "/tmp/tn-test-auto.XXXXXX";
	const char *device;
	char cmd[128];
	int r;

	kind = getenv("TN_TEST_CALIBRATION");
	if (!kind || (strcmp(kind, "none") && strcmp(kind, "slow") && strcmp(kind, "fast") &&
		      strcmp(kind, "stale") && strcmp(kind, "fast-unasked") && strcmp(kind, "math") &&
		      strcmp(kind, "per-op") && strcmp(kind, "old") && strcmp(kind, "format2"))) {
		fprintf(stderr, "TN_TEST_CALIBRATION must be none, slow, fast, stale, fast-unasked, "
			"math, per-op, old or format2\n");
		return 2;
	}
	/* Its environment asks for the device (TN_OPENCL=auto) over the valgrind
	 * setup's TN_OPENCL=0, and a driver's JIT under memcheck takes minutes
	 * per kernel: the other setups run it. */
	if (getenv("TN_UNDER_VALGRIND") && !strcmp(getenv("TN_UNDER_VALGRIND"), "1")) {
		puts("an OpenCL driver under valgrind: skipped");
		return 77;
	}
	if (!tn_check_device(&device)) {
		printf("no OpenCL device (%s): skipped\n", device);
		return 77;
	}
	if (!mkdtemp(dir) || setenv("XDG_CACHE_HOME", dir, 1) < 0)
		return 1;
	a = calloc(256 * 256, sizeof(float));
	b = calloc(256 * 256, sizeof(float));
	c = calloc(256 * 256, sizeof(float));
	if (!a || !b || !c)
		return 1;
	/* Before any operation: libtn reads the calibration on the first one under auto. */
	if (write_calibration(dir, device) < 0) {
		perror("writing the calibration");
		return 1;
	}
	r = cmocka_run_group_tests_name(kind, tests, NULL, NULL);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		r = r ? r : 1;
	free(a);
	free(b);
	free(c);
	return r;
}
