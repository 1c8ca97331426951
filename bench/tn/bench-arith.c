/*
 * libtn arith benchmarks, single thread, each comparison side by side in one
 * run (alternating trials, best of 25):
 *   1. sum, norm_l1, dot, norm_l2 against OpenBLAS (cblas_sasum on
 *      non-negative data and on signed data, cblas_sdot, cblas_snrm2) from
 *      256 to 64M elements;
 *   2. every arith op on every backend this CPU has, against scalar.
 * OpenBLAS runs with one thread and the kernel it picks for this CPU (or the
 * one TN_BENCH_OPENBLAS_CORETYPE names: ../openblas-env.h); the kernel's
 * name is printed.  Built
 * without OpenBLAS, part 1 is replaced by a note and the exit status is 77.
 * Usage: bench-tn-arith [--quick] [--peers | --backends]: --quick stops at
 * 4M elements and times the backends at 64K; --peers and --backends run
 * one part only.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tn/tn.h"

#if TN_HAVE_OPENBLAS
#include "../openblas-env.h"
#endif

#define TRIALS 25

static float *a, *b, *c, *y;
static volatile float sink;
static bool quick;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

typedef void (*run_fn)(size_t n);

/* Short trials (about 1 ms), many of them: the best one dodges other load. */
static size_t reps_for(size_t n)
{
	size_t r = ((size_t)1 << (quick ? 20 : 22)) / (n ? n : 1);

	return r < 3 ? 3 : r;
}

/* ns per call of one trial. */
static double trial(run_fn f, size_t n, size_t reps)
{
	uint64_t t0 = now_ns();

	for (size_t r = 0; r < reps; r++)
		f(n);
	return (double)(now_ns() - t0) / (double)reps;
}

/*
 * Best of TRIALS for two functions, trials alternating so drift hits both,
 * and which goes first alternating too: beyond the caches (16M floats and
 * up) the second of a pair ran up to 15% faster than the first, whichever
 * it was.
 */
static void pair(run_fn f, run_fn g, size_t n, double *ret_f, double *ret_g)
{
	size_t reps = reps_for(n);

	f(n);
	g(n);
	*ret_f = *ret_g = INFINITY;
	for (int t = 0; t < TRIALS; t++) {
		double tf, tg;

		if (t & 1) {
			tg = trial(g, n, reps);
			tf = trial(f, n, reps);
		} else {
			tf = trial(f, n, reps);
			tg = trial(g, n, reps);
		}

		*ret_f = tf < *ret_f ? tf : *ret_f;
		*ret_g = tg < *ret_g ? tg : *ret_g;
	}
}

static double best(run_fn f, size_t n)
{
	double t, u;

	pair(f, f, n, &t, &u);
	return t < u ? t : u;
}

static void fill(size_t n)
{
	uint64_t s = 42;

	for (size_t i = 0; i < n; i++) {
		s = s * 6364136223846793005u + 1442695040888963407u;
		a[i] = (float)(s >> 40) * 0x1p-24f;                    /* [0, 1) */
		b[i] = (float)(s >> 40) * 0x1p-23f - 1.0f;             /* [-1, 1) */
		c[i] = 0.5f;
		y[i] = 0.25f;
	}
}

/* ---- 1. Against OpenBLAS --------------------------------------------------- */

#if TN_HAVE_OPENBLAS
static void r_tn_sum(size_t n) { sink = tn_sum(n, a); }
static void r_tn_dot(size_t n) { sink = tn_dot(n, a, b); }
static void r_tn_nrm2(size_t n) { sink = tn_norm_l2(n, b); }
static void r_tn_l1(size_t n) { sink = tn_norm_l1(n, b); }
static void r_blas_asum_b(size_t n) { sink = cblas_sasum((blasint)n, b, 1); }
static void r_blas_asum(size_t n) { sink = cblas_sasum((blasint)n, a, 1); }
static void r_blas_dot(size_t n) { sink = cblas_sdot((blasint)n, a, 1, b, 1); }
static void r_blas_nrm2(size_t n) { sink = cblas_snrm2((blasint)n, b, 1); }

static void bench_peers(size_t nmax)
{
	static const struct {
		const char *name, *peer;
		run_fn tn, blas;
		int vectors;
	} ops[] = {
		{ "sum", "sasum", r_tn_sum, r_blas_asum, 1 },
		{ "norm_l1", "sasum", r_tn_l1, r_blas_asum_b, 1 },
		{ "dot", "sdot", r_tn_dot, r_blas_dot, 2 },
		{ "norm_l2", "snrm2", r_tn_nrm2, r_blas_nrm2, 1 },
	};

	printf("## sum, norm_l1, dot, norm_l2 against OpenBLAS (GB/s read; ratio = OpenBLAS time / tn time)\n\n");
	printf("| n | tn_sum | sasum | ratio | tn_norm_l1 | sasum | ratio | tn_dot | sdot | ratio "
	       "| tn_norm_l2 | snrm2 | ratio |\n");
	printf("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
	for (size_t n = 256; n <= nmax; n *= 4) {
		if (n < 1024)
			printf("| %zu |", n);
		else
			printf("| %zu%s |", n >= 1048576 ? n >> 20 : n >> 10, n >= 1048576 ? "M" : "K");
		for (size_t o = 0; o < sizeof(ops) / sizeof(ops[0]); o++) {
			double tt, tb, bytes = (double)n * sizeof(float) * ops[o].vectors;

			pair(ops[o].tn, ops[o].blas, n, &tt, &tb);
			printf(" %.1f | %.1f | %.2f |", bytes / tt, bytes / tb, tb / tt);
		}
		printf("\n");
		fflush(stdout);
	}
	printf("\n");
}
#endif

/* ---- 2. Backends against scalar ------------------------------------------- */

static void r_add(size_t n) { tn_add(n, a, b, y); }
static void r_sub(size_t n) { tn_sub(n, a, b, y); }
static void r_mul(size_t n) { tn_mul(n, a, b, y); }
static void r_div(size_t n) { tn_div(n, a, c, y); }
static void r_scale(size_t n) { tn_scale(n, 1.5f, a, y); }
static void r_axpy(size_t n) { tn_axpy(n, 1e-6f, a, y); }
static void r_fma(size_t n) { tn_fma(n, a, b, c, y); }
static void r_abs(size_t n) { tn_abs(n, b, y); }
static void r_neg(size_t n) { tn_neg(n, b, y); }
static void r_sqrt(size_t n) { tn_sqrt(n, a, y); }
static void r_recip(size_t n) { tn_recip(n, c, y); }
static void r_minimum(size_t n) { tn_minimum(n, a, b, y); }
static void r_maximum(size_t n) { tn_maximum(n, a, b, y); }
static void r_clamp(size_t n) { tn_clamp(n, b, -0.5f, 0.5f, y); }
static void r_floor(size_t n) { tn_floor(n, b, y); }
static void r_ceil(size_t n) { tn_ceil(n, b, y); }
static void r_round(size_t n) { tn_round(n, b, y); }
static void r_trunc(size_t n) { tn_trunc(n, b, y); }
static void r_sum(size_t n) { sink = tn_sum(n, a); }
static void r_dot(size_t n) { sink = tn_dot(n, a, b); }
static void r_max(size_t n) { sink = tn_max(n, b); }
static void r_min(size_t n) { sink = tn_min(n, b); }
static void r_argmax(size_t n) { sink = (float)tn_argmax(n, b); }
static void r_argmin(size_t n) { sink = (float)tn_argmin(n, b); }
static void r_norm_l1(size_t n) { sink = tn_norm_l1(n, b); }
static void r_norm_l2(size_t n) { sink = tn_norm_l2(n, b); }
static void r_norm_inf(size_t n) { sink = tn_norm_inf(n, b); }
static void r_mean(size_t n) { sink = tn_mean(n, b); }
static void r_variance(size_t n) { sink = tn_variance(n, b); }
static void r_stddev(size_t n) { sink = tn_stddev(n, b); }

static const struct {
	const char *name;
	enum tn_op op;
	run_fn run;
} ops[] = {
	{ "add", TN_OP_ADD, r_add }, { "sub", TN_OP_SUB, r_sub }, { "mul", TN_OP_MUL, r_mul },
	{ "div", TN_OP_DIV, r_div }, { "scale", TN_OP_SCALE, r_scale },
	{ "axpy", TN_OP_AXPY, r_axpy }, { "fma", TN_OP_FMA, r_fma }, { "abs", TN_OP_ABS, r_abs },
	{ "neg", TN_OP_NEG, r_neg }, { "sqrt", TN_OP_SQRT, r_sqrt },
	{ "recip", TN_OP_RECIP, r_recip }, { "minimum", TN_OP_MINIMUM, r_minimum },
	{ "maximum", TN_OP_MAXIMUM, r_maximum }, { "clamp", TN_OP_CLAMP, r_clamp },
	{ "floor", TN_OP_FLOOR, r_floor }, { "ceil", TN_OP_CEIL, r_ceil },
	{ "round", TN_OP_ROUND, r_round }, { "trunc", TN_OP_TRUNC, r_trunc },
	{ "sum", TN_OP_SUM, r_sum }, { "dot", TN_OP_DOT, r_dot }, { "max", TN_OP_MAX, r_max },
	{ "min", TN_OP_MIN, r_min }, { "argmax", TN_OP_ARGMAX, r_argmax },
	{ "argmin", TN_OP_ARGMIN, r_argmin }, { "norm_l1", TN_OP_NORM_L1, r_norm_l1 },
	{ "norm_l2", TN_OP_NORM_L2, r_norm_l2 }, { "norm_inf", TN_OP_NORM_INF, r_norm_inf },
	{ "mean", TN_OP_MEAN, r_mean }, { "variance", TN_OP_VARIANCE, r_variance },
	{ "stddev", TN_OP_STDDEV, r_stddev },
};

static void bench_backends(size_t n)
{
	static const enum tn_backend bs[] = { TN_BACKEND_SCALAR, TN_BACKEND_SSE2,
					      TN_BACKEND_AVX2, TN_BACKEND_AVX512 };
	const size_t nb = sizeof(bs) / sizeof(bs[0]);

	printf("## Backends against scalar, n = %zu (ns per call; speed-up over scalar)\n\n", n);
	printf("| op | auto |");
	for (size_t k = 0; k < nb; k++)
		printf(" %s |%s", tn_backend_name(bs[k]), k ? " x |" : "");
	printf("\n| --- | --- |");
	for (size_t k = 0; k < nb; k++)
		printf(" ---: |%s", k ? " ---: |" : "");
	printf("\n");
	for (size_t o = 0; o < sizeof(ops) / sizeof(ops[0]); o++) {
		double scalar = 0;

		printf("| %s | %s |", ops[o].name, tn_backend_name(tn_op_backend(ops[o].op)));
		for (size_t k = 0; k < nb; k++) {
			double t;

			if (tn_backend_force(bs[k]) != 0) {
				printf(" n/a |%s", k ? " |" : "");
				continue;
			}
			/* A backend without a kernel for the op runs the one below: say so. */
			if (tn_op_backend(ops[o].op) != bs[k]) {
				printf(" (%s) |%s", tn_backend_name(tn_op_backend(ops[o].op)),
				       k ? " |" : "");
				continue;
			}
			t = best(ops[o].run, n);
			if (k == 0)
				scalar = t;
			printf(" %.0f |", t);
			if (k)
				printf(" %.1f |", scalar / t);
		}
		tn_backend_force(TN_BACKEND_AUTO);
		printf("\n");
		fflush(stdout);
	}
	printf("\n");
}

int main(int argc, char **argv)
{
	size_t nmax = (size_t)64 << 20;
	bool peers = true, backends = true;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--quick") == 0) {
			quick = true;
		} else if (strcmp(argv[i], "--peers") == 0) {
			backends = false;
		} else if (strcmp(argv[i], "--backends") == 0) {
			peers = false;
		} else {
			fprintf(stderr, "usage: bench-tn-arith [--quick] [--peers | --backends]\n");
			return 2;
		}
	}
	if (quick)
		nmax = (size_t)4 << 20;
#if TN_HAVE_OPENBLAS
	if (bench_openblas_env("bench-tn-arith", argv) < 0)
		return 1;
#endif
	a = aligned_alloc(64, nmax * sizeof(float));
	b = aligned_alloc(64, nmax * sizeof(float));
	c = aligned_alloc(64, nmax * sizeof(float));
	y = aligned_alloc(64, nmax * sizeof(float));
	if (!a || !b || !c || !y) {
		fprintf(stderr, "bench-tn-arith: out of memory\n");
		return 1;
	}
	fill(nmax);
	printf("# libtn %s arith, single thread\n\n", tn_version());
#if TN_HAVE_OPENBLAS
	bench_openblas_say();
	printf("\n");
	if (peers)
		bench_peers(nmax);
#else
	(void)peers;
#endif
	if (backends) {
		bench_backends(4096);
		bench_backends(quick ? 65536 : 1 << 20);
	}
	free(a);
	free(b);
	free(c);
	free(y);
#if !TN_HAVE_OPENBLAS
	printf("OpenBLAS was not found at build time (libopenblas-dev, -Dbench_peers): "
	       "no comparison with it; skipped\n");
	return 77;
#else
	return 0;
#endif
}
