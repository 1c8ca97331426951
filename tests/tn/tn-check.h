/*
 * tn-check: the shared cmocka harness for libtn's kernel tests (arith, math,
 * matrix).  HOW TO USE IT
 *
 *   In tests/<part>/meson.build:
 *     test('tn-foo', executable('test-foo', 'test-foo.c',
 *          dependencies: [tn_check_dep, tn_dep]), suite: 'tn-foo')
 *   (tn_internal_dep instead of tn_dep for a test that includes internal.h;
 *   never both.)
 *
 *   In the test:
 *     #include "tn-check.h"
 *
 *     static void test_exp(void **state)
 *     {
 *             enum tn_backend b = tn_check_backend(state);  // skip() if the
 *                                      // CPU lacks it, else forces it
 *             struct tn_check_rng rng = tn_check_rng(42);
 *             for (size_t s = 0; s < tn_check_nsizes; s++) {
 *                     size_t n = tn_check_sizes[s];
 *                     float *x = tn_check_alloc(n), *y = tn_check_alloc(n);
 *                     double *ref = tn_check_alloc_double(n);
 *                     tn_check_fill(&rng, n, x, -80.0f, 80.0f);
 *                     tn_exp(n, x, y);
 *                     for (size_t i = 0; i < n; i++) ref[i] = exp(x[i]);
 *                     tn_check_ulp_array(n, y, ref, 1.0, "exp", b, x);
 *                     tn_check_free(x); tn_check_free(y); free(ref);
 *             }
 *     }
 *     int main(void)
 *     {
 *             const struct CMUnitTest tests[] = { TN_CHECK_BACKENDS(test_exp) };
 *             return tn_check_run("tn-math", tests);
 *     }
 *
 *   TN_CHECK_BACKENDS(fn) makes five tests, "fn/scalar", "fn/sse2",
 *   "fn/avx2", "fn/avx512" and "fn/opencl"; those the machine lacks (no
 *   OpenCL platform, or libtn built without it) are reported SKIPPED.
 *   Forced opencl runs the operations without an OpenCL kernel on scalar.
 *   Register the executable once per backend with TN_CHECK_BACKEND set
 *   (tn_check_backend_tests() in tests/tn/meson.build does it), so that
 *   meson itself counts a backend the CPU lacks as skipped (exit 77).
 *   tn_check_alloc() returns a pointer 1 float past a 64-byte boundary (never
 *   aligned for SIMD) with guard words after the n elements;
 *   tn_check_free() fails the test if a kernel wrote past the end.
 *   tn_check_specials[] holds NaN, infinities, signed zeros, subnormals and
 *   extremes; tn_check_positions() gives the indices to put one at (first,
 *   middle, last: body and tail of any vector width).
 */
#pragma once

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "tn/tn.h"

/* ---- Backends ------------------------------------------------------------- */

extern const enum tn_backend tn_check_backend_list[5];

#define TN_CHECK_ONE_(fn, i, bname) \
	{ #fn "/" bname, fn, NULL, tn_check_teardown, \
	  (void *)&tn_check_backend_list[i] }
/* Five cmocka tests: fn on scalar, sse2, avx2, avx512 and opencl. */
#define TN_CHECK_BACKENDS(fn) \
	TN_CHECK_ONE_(fn, 0, "scalar"), TN_CHECK_ONE_(fn, 1, "sse2"), \
	TN_CHECK_ONE_(fn, 2, "avx2"), TN_CHECK_ONE_(fn, 3, "avx512"), \
	TN_CHECK_ONE_(fn, 4, "opencl")

/* Forces the test's backend, or skip()s the test when the CPU lacks it. */
enum tn_backend tn_check_backend(void **state);
/* Whether b can be tested here (available); *ret_why says why not. */
bool tn_check_backend_testable(enum tn_backend b, const char **ret_why);
/* Whether the OpenCL device can be tested here: the backend and a device
 * that answers (tn_device_status); *ret_why says why not. */
bool tn_check_device(const char **ret_why);
/* Puts the automatic choice back (the teardown of TN_CHECK_BACKENDS). */
int tn_check_teardown(void **state);

/*
 * Chooses what a run covers from TN_CHECK_BACKEND, so that meson can report
 * each backend as its own test and a backend the CPU lacks as SKIP:
 *   unset or empty  every test (cmocka prints SKIPPED for missing backends);
 *   a backend name  only the "fn/NAME" tests; returns 77 (skipped) when the
 *                   CPU lacks that backend;
 *   "common"        only the tests that are not per backend.
 * Returns 0 to go on, 77 to exit skipped, 2 for a value that is no backend.
 */
int tn_check_select(void);

/* Runs a group; the name is what cmocka prints. */
#define tn_check_run(name, tests) \
	(tn_check_select() != 0 ? tn_check_select() \
	 : cmocka_run_group_tests_name(name, tests, NULL, NULL))

/* ---- Inputs --------------------------------------------------------------- */

/* 0, 1, 15, 16, 17 and odd sizes up to thousands, around every vector width. */
extern const size_t tn_check_sizes[];
extern size_t tn_check_nsizes;   /* fewer under valgrind: see tn_check_select() */
/* True under the valgrind test setup, where tests should do less. */
bool tn_check_slow(void);

/* NaN, +-inf, +-0, +-FLT_MIN, +-smallest subnormal, +-FLT_MAX, +-1. */
extern const float tn_check_specials[];
extern const size_t tn_check_nspecials;

/* Where to plant a special value in a vector of n (n >= 1): returns the count (<= 3). */
size_t tn_check_positions(size_t n, size_t ret_pos[3]);

/* splitmix64: the same numbers on every machine. */
struct tn_check_rng {
	uint64_t s;
};
struct tn_check_rng tn_check_rng(uint64_t seed);
uint64_t tn_check_u64(struct tn_check_rng *r);
/* Uniform in [lo, hi). */
float tn_check_uniform(struct tn_check_rng *r, float lo, float hi);
void tn_check_fill(struct tn_check_rng *r, size_t n, float *x, float lo, float hi);
/* Any float bit pattern, NaNs included: for "defined on every input" tests. */
float tn_check_any(struct tn_check_rng *r);

/* Unaligned (64-byte boundary + 4), guarded, filled with a signalling NaN pattern. */
float *tn_check_alloc(size_t n);
/* Checks the guard (fails the test if it was overwritten) and frees; NULL-safe. */
void tn_check_free(float *p);
/* Plain malloc that fails the test on OOM (reference arrays). */
double *tn_check_alloc_double(size_t n);

/* ---- Comparison ----------------------------------------------------------- */

/*
 * The error of got against the exact value want, in ulps of float at want
 * (for |want| in [2^e, 2^(e+1)) an ulp is 2^(e-23); below FLT_MIN 2^-149):
 * 0 when got is the correctly rounded result of an exactly representable
 * want; <= 0.5 when got is correctly rounded.  NaN against NaN is 0; NaN
 * against a number, or a number against NaN, is +inf; an infinity only
 * matches itself, except that a finite want beyond FLT_MAX may round to an
 * infinity (error measured against 2^128); zeros of different sign are
 * +inf apart (signed zeros are part of the contract).  A want beyond
 * 2^128 counts as 2^128, so an overflow to infinity is 0 ulp off.
 */
double tn_check_ulp(float got, double want);

/*
 * Fails the test (printing op, backend, index, input, got, want, ulps) at
 * the first i with tn_check_ulp(got[i], want[i]) > bound.  x may be NULL.
 */
void tn_check_ulp_array(size_t n, const float *got, const double *want, double bound,
			const char *op, enum tn_backend b, const float *x);
/* The same for one value (a reduction result). */
void tn_check_ulp_one(float got, double want, double bound, const char *op,
		      enum tn_backend b, size_t n);

/* Bitwise identity, NaN payloads aside (any NaN equals any NaN). */
int tn_check_same(float a, float b);
