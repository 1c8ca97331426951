/* SPDX-License-Identifier: MIT */
/* Backends: names, forcing, refusal of what the CPU lacks, TN_BACKEND at start-up. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "tn-check.h"

static const char *const names[TN_BACKEND_COUNT_] = {
	"auto", "scalar", "sse2", "avx2", "avx512", "neon", "opencl",
};

static void test_names(void **state)
{
	(void)state;
	for (int b = 0; b < TN_BACKEND_COUNT_; b++) {
		enum tn_backend got;

		assert_string_equal(tn_backend_name((enum tn_backend)b), names[b]);
		assert_int_equal(tn_backend_from_name(names[b], &got), 0);
		assert_int_equal(got, b);
	}
	assert_null(tn_backend_name(TN_BACKEND_COUNT_));
	assert_int_equal(tn_backend_from_name("AVX2", NULL), -EINVAL);
	assert_int_equal(tn_backend_from_name("avx", NULL), -EINVAL);
	assert_int_equal(tn_backend_from_name("", NULL), -EINVAL);
	assert_int_equal(tn_backend_from_name(NULL, NULL), -EINVAL);
	assert_non_null(strchr(tn_version(), '.'));
}

static void test_available(void **state)
{
	(void)state;
	assert_true(tn_backend_available(TN_BACKEND_AUTO));
	assert_true(tn_backend_available(TN_BACKEND_SCALAR));
	assert_false(tn_backend_available(TN_BACKEND_COUNT_));
#if defined(__x86_64__)
	/* SSE2 is part of x86-64; the wider sets imply the narrower ones. */
	assert_true(tn_backend_available(TN_BACKEND_SSE2));
	assert_false(tn_backend_available(TN_BACKEND_NEON));
	if (tn_backend_available(TN_BACKEND_AVX512))
		assert_true(tn_backend_available(TN_BACKEND_AVX2));
	/* What the kernel reports for this CPU (the OS saves the state, too). */
	{
		FILE *f = fopen("/proc/cpuinfo", "r");
		char line[8192];
		bool avx2 = false, fma = false, seen = false;

		if (f) {
			while (fgets(line, sizeof(line), f)) {
				if (strncmp(line, "flags", 5) != 0)
					continue;
				avx2 = strstr(line, " avx2") != NULL;
				fma = strstr(line, " fma") != NULL;
				seen = true;
				break;
			}
			fclose(f);
		}
		if (seen)
			assert_int_equal(tn_backend_available(TN_BACKEND_AVX2), avx2 && fma);
	}
#endif
}

static void test_force(void **state)
{
	enum tn_backend before = tn_backend_forced();

	(void)state;
	for (int b = 0; b < TN_BACKEND_COUNT_; b++) {
		int r = tn_backend_force((enum tn_backend)b);

		if (tn_backend_available((enum tn_backend)b)) {
			assert_int_equal(r, 0);
			assert_int_equal(tn_backend_forced(), b);
			/* Every op runs on the forced backend or below it. */
			for (int op = 0; op < TN_OP_COUNT_; op++) {
				enum tn_backend got = tn_op_backend((enum tn_op)op);

				assert_true(tn_backend_available(got));
				if (b != TN_BACKEND_AUTO)
					assert_true((int)got <= b);
			}
		} else {
			/* Refused, and nothing changes. */
			assert_int_equal(tn_backend_force(TN_BACKEND_SCALAR), 0);
			assert_int_equal(tn_backend_force((enum tn_backend)b), -ENOTSUP);
			assert_int_equal(tn_backend_forced(), TN_BACKEND_SCALAR);
			assert_int_equal(tn_op_backend(TN_OP_ADD), TN_BACKEND_SCALAR);
		}
	}
	assert_int_equal(tn_backend_force(TN_BACKEND_COUNT_), -EINVAL);
	assert_int_equal(tn_backend_force((enum tn_backend)-1), -EINVAL);
	assert_int_equal(tn_backend_force(before), 0);
}

/* The span written by one tn_fma() call, read back from a pipe. */
static void fma_span(char *buf, size_t size)
{
	float a[4] = { 1, 2, 3, 4 }, y[4];
	int p[2], before = tn_span_fd();
	ssize_t got;

	assert_int_equal(pipe(p), 0);
	tn_span_set_fd(p[1]);
	tn_fma(4, a, a, a, y);
	tn_span_set_fd(before);
	got = read(p[0], buf, size - 1);
	assert_true(got > 0);
	buf[got] = '\0';
	close(p[0]);
	close(p[1]);
	assert_float_equal(y[3], 20.0f, 0);
}

/*
 * The forcing rule (libtn(3)): a forced backend runs, per operation, the most
 * preferred kernel needing no more than it needs.  fma has no sse2 kernel:
 * forced sse2, it runs scalar (not avx2, which this CPU may have), and its
 * span says so.  Forced avx2, fma runs avx2 where the CPU has it.
 */
static void test_force_rule(void **state)
{
	enum tn_backend before = tn_backend_forced();
	char span[1024];

	(void)state;
	if (!tn_backend_available(TN_BACKEND_SSE2))
		skip();
	assert_int_equal(tn_backend_force(TN_BACKEND_SSE2), 0);
	assert_int_equal(tn_op_backend(TN_OP_FMA), TN_BACKEND_SCALAR);
	assert_int_equal(tn_op_backend(TN_OP_ADD), TN_BACKEND_SSE2);
	fma_span(span, sizeof(span));
	assert_non_null(strstr(span, "\"name\":\"fma\""));
	assert_non_null(strstr(span, "\"backend\":\"scalar\""));
	if (tn_backend_available(TN_BACKEND_AVX2)) {
		assert_int_equal(tn_backend_force(TN_BACKEND_AVX2), 0);
		assert_int_equal(tn_op_backend(TN_OP_FMA), TN_BACKEND_AVX2);
		fma_span(span, sizeof(span));
		assert_non_null(strstr(span, "\"backend\":\"avx2\""));
	}
	/* transpose has no AVX-512 kernel: forced avx512, it runs avx2. */
	if (tn_backend_available(TN_BACKEND_AVX512)) {
		assert_int_equal(tn_backend_force(TN_BACKEND_AVX512), 0);
		assert_int_equal(tn_op_backend(TN_OP_TRANSPOSE), TN_BACKEND_AVX2);
		assert_int_equal(tn_op_backend(TN_OP_ADD), TN_BACKEND_AVX512);
	}
	assert_int_equal(tn_backend_force(before), 0);
}

/* Run under several TN_BACKEND values by meson: the outcome computed here independently. */
static void test_env(void **state)
{
	const char *env = getenv("TN_BACKEND"), *seen = NULL;
	int want = 0, got = tn_backend_env_status(&seen);
	enum tn_backend want_forced = TN_BACKEND_AUTO;

	(void)state;
	if (env && *env) {
		int b;

		for (b = 0; b < TN_BACKEND_COUNT_; b++)
			if (strcmp(env, names[b]) == 0)
				break;
		if (b == TN_BACKEND_COUNT_)
			want = -EINVAL;
		else if (!tn_backend_available((enum tn_backend)b))
			want = -ENOTSUP;
		else
			want_forced = (enum tn_backend)b;
		assert_non_null(seen);
		assert_string_equal(seen, env);
	} else {
		assert_null(seen);
	}
	assert_int_equal(got, want);
	assert_int_equal(tn_backend_forced(), want_forced);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_env),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_available),
		cmocka_unit_test(test_force),
		cmocka_unit_test(test_force_rule),
	};

	return tn_check_run("tn-backend", tests);
}
