/* SPDX-License-Identifier: MIT */
/*
 * auto and the device: which backend an operation runs on under each kind of
 * calibration (TN_TEST_CALIBRATION = none, slow, fast, stale, with
 * TN_OPENCL=auto; fast-unasked, the fast one without it; the file is read
 * once per process, so meson runs this once per kind).  The program
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

static void test_auto(void **state)
{
	char small[32], large[32], add[32];
	bool unasked = strcmp(kind, "fast-unasked") == 0;
	bool fast = strcmp(kind, "fast") == 0;
	int r;

	(void)state;
	/* Without TN_OPENCL=auto, auto reads nothing: the matmul choice first. */
	if (unasked)
		assert_int_not_equal(tn_op_backend(TN_OP_MATMUL), TN_BACKEND_OPENCL);
	r = tn_device_calibration_load(NULL);
	assert_int_equal(r, strcmp(kind, "none") == 0 ? -ENOENT :
			 strcmp(kind, "stale") == 0 ? -ESTALE : 0);
	/* The device row is taken for matmul only where the calibration says it can win. */
	assert_int_equal(tn_op_backend(TN_OP_MATMUL) == TN_BACKEND_OPENCL, fast);
	/* Streams never (the fast calibration's link is slow): every add on the CPU. */
	assert_int_not_equal(tn_op_backend(TN_OP_ADD), TN_BACKEND_OPENCL);
	spans_of(small_matmul, small, sizeof(small));
	spans_of(large_matmul, large, sizeof(large));
	spans_of(large_add, add, sizeof(add));
	/* A small product is cheaper on the CPU than a launch: always the CPU. */
	assert_string_not_equal(small, "opencl");
	assert_string_not_equal(add, "opencl");
	if (fast)
		assert_string_equal(large, "opencl");
	else
		assert_string_not_equal(large, "opencl");
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
		"launch_ns 153200\nupload_bps 1.68e10\ndownload_bps 2.1e10\n"
		"device_stream_bps 1.17e10\ncpu_stream_bps 3.27e10\n"
		"device_flops 3.7e8\ncpu_flops 1.46e11\n";
	static const char *const fast =         /* fast flops, a slow link */
		"launch_ns 10000\nupload_bps 1e10\ndownload_bps 1e10\n"
		"device_stream_bps 1e12\ncpu_stream_bps 3e10\n"
		"device_flops 1e14\ncpu_flops 1e11\n";
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
	fprintf(f, "# test\ndevice %s\n%s", strcmp(kind, "stale") == 0 ? "another device" : device,
		strcmp(kind, "slow") == 0 ? slow : fast);
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
		      strcmp(kind, "stale") && strcmp(kind, "fast-unasked"))) {
		fprintf(stderr, "TN_TEST_CALIBRATION must be none, slow, fast, stale or fast-unasked\n");
		return 2;
	}
	/* Its environment asks for the device (TN_OPENCL=auto) over the valgrind
	 * setup's TN_OPENCL=0, and a driver's JIT under memcheck takes minutes
	 * per kernel: the other setups run it. */
	if (getenv("TN_UNDER_VALGRIND") && !strcmp(getenv("TN_UNDER_VALGRIND"), "1")) {
		puts("an OpenCL driver under valgrind: skipped");
		return 77;
	}
	if (!tn_check_backend_testable(TN_BACKEND_OPENCL, &device) || tn_device_status(&device) < 0) {
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
