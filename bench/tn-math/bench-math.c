/*
 * libtn math benchmarks, single thread, 4096 floats (in L1):
 *  1. every math operation on each backend the CPU has, against scalar;
 *  2. exp, log, tanh and sigmoid against SLEEF's vector functions (AVX2
 *     8-wide, AVX-512 16-wide whenever the CPU has AVX-512F/DQ) and a glibc
 *     expf/logf/tanhf loop,
 *     with the largest error of each in ulp over the same sweep.
 * Without SLEEF (-Dbench_peers) part 2 says so and the program exits 77.
 * Usage: bench-tn-math [--quick] [--peers-only]
 */
#include <float.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tn/tn.h"
#if TN_HAVE_SLEEF
#include "peers.h"
#endif

#define N 4096

static float xa[N], xb[N], ya[N], g[N], be[N];
static double min_time = 0.05;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

enum kind { UNARY, PARAM, POW, LAYER_NORM };

struct op {
	const char *name;
	enum kind kind;
	void (*u)(size_t, const float *, float *);
	void (*p)(size_t, float, const float *, float *);
	float lo, hi;
};

static const struct op ops[] = {
	{ "exp", UNARY, tn_exp, NULL, -80, 80 },
	{ "log", UNARY, tn_log, NULL, 0, 1000 },
	{ "log2", UNARY, tn_log2, NULL, 0, 1000 },
	{ "log10", UNARY, tn_log10, NULL, 0, 1000 },
	{ "pow", POW, NULL, NULL, 0, 10 },
	{ "relu", UNARY, tn_relu, NULL, -5, 5 },
	{ "leaky_relu", PARAM, NULL, tn_leaky_relu, -5, 5 },
	{ "elu", PARAM, NULL, tn_elu, -5, 5 },
	{ "selu", UNARY, tn_selu, NULL, -5, 5 },
	{ "sigmoid", UNARY, tn_sigmoid, NULL, -10, 10 },
	{ "tanh", UNARY, tn_tanh, NULL, -5, 5 },
	{ "gelu", UNARY, tn_gelu, NULL, -5, 5 },
	{ "gelu_tanh", UNARY, tn_gelu_tanh, NULL, -5, 5 },
	{ "swish", UNARY, tn_swish, NULL, -10, 10 },
	{ "hardswish", UNARY, tn_hardswish, NULL, -5, 5 },
	{ "mish", UNARY, tn_mish, NULL, -10, 10 },
	{ "softmax", UNARY, tn_softmax, NULL, -10, 10 },
	{ "log_softmax", UNARY, tn_log_softmax, NULL, -10, 10 },
	{ "layer_norm", LAYER_NORM, NULL, NULL, -5, 5 },
};

static void fill(float *x, float lo, float hi, uint32_t seed)
{
	uint64_t s = seed;

	for (size_t i = 0; i < N; i++) {
		s = s * 6364136223846793005ull + 1442695040888963407ull;
		x[i] = lo + (hi - lo) * (float)(s >> 40) * 0x1p-24f;
	}
}

static void run_op(const struct op *o)
{
	switch (o->kind) {
	case UNARY:
		o->u(N, xa, ya);
		break;
	case PARAM:
		o->p(N, 0.1f, xa, ya);
		break;
	case POW:
		tn_pow(N, xa, xb, ya);
		break;
	case LAYER_NORM:
		tn_layer_norm(N, xa, g, be, 1e-5f, ya);
		break;
	}
}

/* Best of five runs of at least min_time each: elements per second / 1e9. */
#define TIME_LOOP(rate, call) do { \
	double best_ = 1e30; \
	for (int t_ = 0; t_ < 5; t_++) { \
		long reps_ = 0; \
		double t0_ = now(), t1_; \
		do { \
			for (int r_ = 0; r_ < 16; r_++) \
				call; \
			reps_ += 16; \
			t1_ = now(); \
		} while (t1_ - t0_ < min_time); \
		if ((t1_ - t0_) / (double)reps_ < best_) \
			best_ = (t1_ - t0_) / (double)reps_; \
	} \
	(rate) = (double)N / best_ / 1e9; \
} while (0)

static void backend_table(void)
{
	static const enum tn_backend bs[] = {
		TN_BACKEND_SCALAR, TN_BACKEND_SSE2, TN_BACKEND_AVX2, TN_BACKEND_AVX512,
	};

	printf("libtn math, %d floats in L1, single thread: Gelem/s (x scalar)\n", N);
	printf("%-12s", "op");
	for (size_t k = 0; k < 4; k++)
		printf(" %18s", tn_backend_name(bs[k]));
	printf("\n");
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		double scalar = 0;

		fill(xa, ops[i].lo, ops[i].hi, 1);
		fill(xb, -8, 8, 2);
		printf("%-12s", ops[i].name);
		for (size_t k = 0; k < 4; k++) {
			double rate;

			if (!tn_backend_available(bs[k])) {
				printf(" %18s", "(CPU lacks it)");
				continue;
			}
			tn_backend_force(bs[k]);
			TIME_LOOP(rate, run_op(&ops[i]));
			if (k == 0)
				scalar = rate;
			printf("   %7.3f (%5.2fx)", rate, rate / scalar);
		}
		printf("\n");
		fflush(stdout);
	}
	tn_backend_force(TN_BACKEND_AUTO);
}

#if TN_HAVE_SLEEF
/* Error of got in ulps of float at want (correctly rounded: <= 0.5). */
static double ulp_err(float got, double want)
{
	int e;

	if (isnan(want) || isnan(got))
		return isnan(want) && isnan(got) ? 0 : INFINITY;
	if (isinf(got) || isinf(want))
		return got == want || (fabs(want) >= 0x1p128 && isinf(got)) ? 0 : INFINITY;
	frexp(want, &e);
	return fabs((double)got - want) / ldexp(1.0, (e - 24 < -149 ? -149 : e - 24));
}

static double ref_sigmoid(double x)
{
	return x < 0 ? exp(x) / (1 + exp(x)) : 1 / (1 + exp(-x));
}

static void glibc_exp(size_t n, const float *x, float *y)
{
	for (size_t i = 0; i < n; i++)
		y[i] = expf(x[i]);
}

static void glibc_log(size_t n, const float *x, float *y)
{
	for (size_t i = 0; i < n; i++)
		y[i] = logf(x[i]);
}

static void glibc_tanh(size_t n, const float *x, float *y)
{
	for (size_t i = 0; i < n; i++)
		y[i] = tanhf(x[i]);
}

static void glibc_sigmoid(size_t n, const float *x, float *y)
{
	for (size_t i = 0; i < n; i++)
		y[i] = 1.0f / (1.0f + expf(-x[i]));
}

/* Largest error over every 64th float of [lo, hi] (both signs). */
static double max_ulp(void (*f)(size_t, const float *, float *), double (*ref)(double),
		      float lo, float hi)
{
	static float x[N], y[N];
	double worst = 0;
	size_t n = 0;
	uint32_t a, b;

	memcpy(&a, &(float){ 0.0f }, 4);
	memcpy(&b, &hi, 4);
	for (int sign = 0; sign < 2; sign++) {
		for (uint64_t u = a; u <= b; u += 64) {
			uint32_t w = (uint32_t)u | (sign ? 0x80000000u : 0);

			memcpy(&x[n], &w, 4);
			if (x[n] < lo)
				continue;
			if (++n == N) {
				f(n, x, y);
				for (size_t i = 0; i < n; i++)
					worst = fmax(worst, ulp_err(y[i], ref(x[i])));
				n = 0;
			}
		}
	}
	return worst;
}

struct peer_row {
	const char *name;
	void (*fn)(size_t, const float *, float *);
};

/*
 * Seconds of the fastest single call of f on xa during min_time / 4: a call
 * (about a microsecond) that no other process interrupted, where an average
 * over the run would count every interruption.
 */
static double time_once(void (*f)(size_t, const float *, float *))
{
	double t0 = now(), t1 = t0, best = 1e30;

	f(N, xa, ya);
	do {
		double a = now(), b;

		f(N, xa, ya);
		b = now();
		best = fmin(best, b - a);
		t1 = b;
	} while (t1 - t0 < min_time / 4);
	return best;
}

/*
 * libtn and each peer timed in turn, 28 short rounds, the fastest call of
 * each: on a shared machine the ratio then compares like with like.
 */
static void peer_table(const char *what, void (*tn_fn)(size_t, const float *, float *),
		       double (*ref)(double), float lo, float hi,
		       const struct peer_row *rows, size_t nrows)
{
	double best[8], tn_best = 1e30;

	fill(xa, lo, hi, 3);
	for (size_t i = 0; i < nrows; i++)
		best[i] = 1e30;
	for (int round = 0; round < 28; round++) {
		tn_best = fmin(tn_best, time_once(tn_fn));
		for (size_t i = 0; i < nrows; i++)
			if (rows[i].fn)
				best[i] = fmin(best[i], time_once(rows[i].fn));
	}
	printf("%-8s %-28s %7.3f Gelem/s          max %.3f ulp\n", what, "libtn",
	       N / tn_best / 1e9, max_ulp(tn_fn, ref, lo, hi));
	for (size_t i = 0; i < nrows; i++) {
		if (!rows[i].fn)
			continue;
		printf("%-8s %-28s %7.3f Gelem/s  %5.2fx  max %.3f ulp  (libtn/peer)\n",
		       what, rows[i].name, N / best[i] / 1e9, best[i] / tn_best,
		       max_ulp(rows[i].fn, ref, lo, hi));
	}
	fflush(stdout);
}
#endif

int main(int argc, char **argv)
{
	bool table = true;

	for (int a = 1; a < argc; a++) {
		if (strcmp(argv[a], "--quick") == 0)
			min_time = 0.005;
		else if (strcmp(argv[a], "--peers-only") == 0)
			table = false;
	}
	fill(g, 0.5f, 2.0f, 4);
	fill(be, -1.0f, 1.0f, 5);
	if (table)
		backend_table();
#if TN_HAVE_SLEEF
	{
		bool avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
		bool avx512 = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq");
		const struct peer_row exp_rows[] = {
			{ "SLEEF Sleef_expf8_u10", avx2 ? peer_exp8 : NULL },
			{ "SLEEF Sleef_expf16_u10", avx512 ? peer_exp16 : NULL },
			{ "glibc expf loop", glibc_exp },
		};
		const struct peer_row log_rows[] = {
			{ "SLEEF Sleef_logf8_u10", avx2 ? peer_log8 : NULL },
			{ "SLEEF Sleef_logf16_u10", avx512 ? peer_log16 : NULL },
			{ "glibc logf loop", glibc_log },
		};
		const struct peer_row tanh_rows[] = {
			{ "SLEEF Sleef_tanhf8_u10", avx2 ? peer_tanh8_u10 : NULL },
			{ "SLEEF Sleef_tanhf8_u35", avx2 ? peer_tanh8_u35 : NULL },
			{ "SLEEF Sleef_tanhf16_u10", avx512 ? peer_tanh16_u10 : NULL },
			{ "SLEEF Sleef_tanhf16_u35", avx512 ? peer_tanh16_u35 : NULL },
			{ "glibc tanhf loop", glibc_tanh },
		};
		const struct peer_row sig_rows[] = {
			{ "1/(1+Sleef_expf8_u10(-x))", avx2 ? peer_sigmoid8 : NULL },
			{ "1/(1+Sleef_expf16_u10(-x))", avx512 ? peer_sigmoid16 : NULL },
			{ "glibc 1/(1+expf(-x)) loop", glibc_sigmoid },
		};

		printf("\nagainst SLEEF and glibc, %d floats in L1, single thread; libtn on %s%s\n",
		       N, tn_backend_name(tn_op_backend(TN_OP_EXP)),
		       avx512 ? "" : " (this CPU has no AVX-512: SLEEF's 16-wide rows are absent)");
		peer_table("exp", tn_exp, exp, -87.0f, 88.0f, exp_rows, 3);
		peer_table("log", tn_log, log, 0x1p-20f, 1e6f, log_rows, 3);
		peer_table("tanh", tn_tanh, tanh, -9.0f, 9.0f, tanh_rows, 5);
		peer_table("sigmoid", tn_sigmoid, ref_sigmoid, -20.0f, 20.0f, sig_rows, 3);
	}
	return 0;
#else
	printf("\nSLEEF not found (libsleef-dev, -Dbench_peers): no peer comparison\n");
	return 77;
#endif
}
