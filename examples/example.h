/* SPDX-License-Identifier: MIT */
/*
 * What the five examples share: the backends they compare, the checks that
 * make them fail, and the split between stdout (the same on every machine
 * and backend: it is compared with a golden) and stderr (what this machine
 * has and chose, timings).  libtn's public API only (tn.h).
 *
 * The comparison runs in four rounds, one per CPU backend (scalar, sse2,
 * avx2, avx512), on every machine: a round whose backend this machine lacks
 * (or that TN_BACKEND rules out) runs the best backend below it instead, as
 * libtn itself does when an operation has no kernel for a forced backend.
 * So every run makes the same calls in the same order (the same spans,
 * the same system calls) whatever the CPU; stderr says what ran where.
 * The OpenCL device takes part only when asked for (TN_OPENCL=1, or
 * TN_BACKEND=opencl): probing it loads a driver, whose system calls and
 * threads would otherwise depend on what is installed.
 */
#pragma once

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tn/tn.h>

#define EX_ROUNDS 4
static const enum tn_backend ex_rounds[EX_ROUNDS] = {
	TN_BACKEND_SCALAR, TN_BACKEND_SSE2, TN_BACKEND_AVX2, TN_BACKEND_AVX512,
};

static const char *ex_prog = "example";
static enum tn_backend ex_env_backend = TN_BACKEND_AUTO;  /* what TN_BACKEND forced */
static int ex_failures;

/*
 * Reports what became of TN_BACKEND (stderr) and remembers it: the rounds
 * then stay at or below it, so TN_BACKEND=sse2 makes an AVX-512 machine
 * behave as one with SSE2 only.
 */
static inline void ex_init(const char *prog)
{
	const char *v = NULL;
	int r = tn_backend_env_status(&v);

	ex_prog = prog;
	ex_env_backend = tn_backend_forced();
	if (r == -EINVAL)
		fprintf(stderr, "%s: TN_BACKEND=%s names no backend; ignored\n", prog, v);
	else if (r == -ENOTSUP)
		fprintf(stderr, "%s: TN_BACKEND=%s: this machine lacks it; ignored\n", prog, v);
	else
		fprintf(stderr, "%s: backend %s\n", prog,
			ex_env_backend == TN_BACKEND_AUTO ? "auto (per operation)"
			: tn_backend_name(ex_env_backend));
}

/* The backend that round `slot` runs on this machine. */
static inline enum tn_backend ex_round_backend(enum tn_backend slot)
{
	enum tn_backend cap = ex_env_backend;

	if (cap == TN_BACKEND_OPENCL || cap == TN_BACKEND_NEON)
		cap = TN_BACKEND_AUTO;
	for (int b = (int)slot; b > (int)TN_BACKEND_SCALAR; b--) {
		if (cap != TN_BACKEND_AUTO && b > (int)cap)
			continue;
		if (tn_backend_available((enum tn_backend)b))
			return (enum tn_backend)b;
	}
	return TN_BACKEND_SCALAR;
}

/* Forces b (a CPU backend ex_round_backend() returned: always available). */
static inline void ex_force(enum tn_backend b)
{
	int r = tn_backend_force(b);

	if (r < 0) {
		fprintf(stderr, "%s: cannot force %s: %s\n", ex_prog, tn_backend_name(b), strerror(-r));
		exit(1);
	}
}

/* Back to what the program started with (TN_BACKEND's backend, or auto). */
static inline void ex_restore(void)
{
	ex_force(ex_env_backend);
}

/* Whether the OpenCL device was asked for; only then is it probed. */
static inline bool ex_gpu_wanted(void)
{
	const char *e = getenv("TN_OPENCL");

	return ex_env_backend == TN_BACKEND_OPENCL || (e && strcmp(e, "1") == 0);
}

/* A failed property: said on stderr, and the program exits 1 at the end. */
static inline bool ex_check(bool ok, const char *fmt, ...)
{
	if (!ok) {
		va_list ap;

		fprintf(stderr, "%s: FAILED: ", ex_prog);
		va_start(ap, fmt);
		vfprintf(stderr, fmt, ap);
		va_end(ap);
		fputc('\n', stderr);
		ex_failures++;
	}
	return ok;
}

/* |a - b| <= tol * max(1, |a|, |b|); NaN is close to nothing. */
static inline bool ex_close(float a, float b, float tol)
{
	float m = fmaxf(1.0f, fmaxf(fabsf(a), fabsf(b)));

	return fabsf(a - b) <= tol * m;
}

static inline bool ex_all_close(size_t n, const float *a, const float *b, float tol)
{
	for (size_t i = 0; i < n; i++)
		if (!ex_close(a[i], b[i], tol))
			return false;
	return true;
}

/* The same bits (what libtn promises across backends for element-wise ops and sums). */
static inline bool ex_same(size_t n, const float *a, const float *b)
{
	return memcmp(a, b, n * sizeof(float)) == 0;
}

/* A float for printing: -0 printed as 0, so a sign of zero cannot differ. */
static inline double ex_p(float v)
{
	return (double)(v + 0.0f);
}

/* 0 when every check held; else 1, said on stderr. */
static inline int ex_finish(void)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "%s: writing the output failed\n", ex_prog);
		return 1;
	}
	if (ex_failures) {
		fprintf(stderr, "%s: %d check%s failed\n", ex_prog, ex_failures,
			ex_failures == 1 ? "" : "s");
		return 1;
	}
	return 0;
}
