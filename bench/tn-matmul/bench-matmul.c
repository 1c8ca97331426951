/*
 * libtn matrices against OpenBLAS, side by side in one run, single thread:
 * tn_matmul vs cblas_sgemm at 256..2048 (GFLOP/s and ratio), then each SIMD
 * backend of every matrix, similarity and distance operation against scalar.
 * OpenBLAS runs with one thread and the kernel it picks for this CPU (or the
 * one TN_BENCH_OPENBLAS_CORETYPE names: ../openblas-env.h); the kernel is
 * printed.  Times are the
 * thread's CPU time, robust against other processes on a shared machine.
 * Exit 77 (skipped) when built without OpenBLAS (-Dbench_peers=disabled or
 * libopenblas-dev missing), after the backend table.
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

/*
 * The calling thread's CPU time: everything here runs in that one thread
 * (OpenBLAS too, with one thread), and on a shared, loaded machine time
 * slices given to other processes would otherwise count against whichever
 * side they fell on.
 */
static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static float *alloc_fill(size_t n, uint64_t seed)
{
	float *p = aligned_alloc(64, (n * sizeof(float) + 63) / 64 * 64);

	if (!p) {
		perror("bench-tn-matmul");
		exit(1);
	}
	for (size_t i = 0; i < n; i++) {
		seed = seed * 6364136223846793005u + 1442695040888963407u;
		p[i] = (float)((double)(seed >> 40) * 0x1p-24 * 2.0 - 1.0);
	}
	return p;
}

static int reps_for(double flops)
{
	int r = (int)(2e9 / flops);

	return r < 5 ? 5 : r > 200 ? 200 : r;
}

static void bench_gemm(void)
{
	static const size_t sizes[] = { 256, 512, 1024, 2048 };

	printf("matmul, square, single thread (GFLOP/s of thread CPU time, best of N, the two alternating)\n");
	printf("%6s %12s %12s %8s\n", "n", "tn_matmul", "openblas", "ratio");
	for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		size_t n = sizes[s];
		float *a = alloc_fill(n * n, 1), *b = alloc_fill(n * n, 2), *c = alloc_fill(n * n, 3);
		double flops = 2.0 * (double)n * n * n;
		int reps = reps_for(flops);
		uint64_t t_tn = UINT64_MAX;
#if TN_HAVE_OPENBLAS
		uint64_t t_ob = UINT64_MAX;
#endif

		/* Alternate the two, so that both see the same load on a shared machine. */
		for (int r = -1; r < reps; r++) {
			uint64_t t = now_ns();

			tn_matmul(n, n, n, a, n, b, n, c, n);
			t = now_ns() - t;
			if (r >= 0 && t < t_tn)
				t_tn = t;
#if TN_HAVE_OPENBLAS
			t = now_ns();
			cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)n, (int)n, (int)n,
				    1.0f, a, (int)n, b, (int)n, 0.0f, c, (int)n);
			t = now_ns() - t;
			if (r >= 0 && t < t_ob)
				t_ob = t;
#endif
		}
#if TN_HAVE_OPENBLAS
		printf("%6zu %12.1f %12.1f %8.2f\n", n, flops / (double)t_tn, flops / (double)t_ob,
		       (double)t_ob / (double)t_tn);
#else
		printf("%6zu %12.1f %12s %8s\n", n, flops / (double)t_tn, "-", "-");
#endif
		free(a);
		free(b);
		free(c);
	}
}

/* ---- Each backend against scalar ------------------------------------------ */

struct bufs {
	float *a, *b, *c, *out;
};

enum { VN = 4096, BROWS = 256, BN = 256, MN = 1024, GN = 256 };

static void run_op(enum tn_op op, const struct bufs *p)
{
	switch (op) {
	case TN_OP_COSINE: (void)tn_cosine(VN, p->a, p->b); break;
	case TN_OP_EUCLIDEAN: (void)tn_euclidean(VN, p->a, p->b); break;
	case TN_OP_MANHATTAN: (void)tn_manhattan(VN, p->a, p->b); break;
	case TN_OP_COSINE_BATCH: tn_cosine_batch(BN, p->a, BROWS, p->b, BN, p->out); break;
	case TN_OP_EUCLIDEAN_BATCH: tn_euclidean_batch(BN, p->a, BROWS, p->b, BN, p->out); break;
	case TN_OP_MANHATTAN_BATCH: tn_manhattan_batch(BN, p->a, BROWS, p->b, BN, p->out); break;
	case TN_OP_MATMUL: tn_matmul(GN, GN, GN, p->a, GN, p->b, GN, p->c, GN); break;
	case TN_OP_TRANSPOSE: tn_transpose(MN, MN, p->a, MN, p->c, MN); break;
	case TN_OP_MATVEC: tn_matvec(MN, MN, p->a, MN, p->b, p->out); break;
	case TN_OP_VECMAT: tn_vecmat(MN, MN, p->b, p->a, MN, p->out); break;
	case TN_OP_MATMUL_BATCHED:
		tn_matmul_batched(4, 64, 64, 64, p->a, 64, 64 * 64, p->b, 64, 64 * 64,
				  p->c, 64, 64 * 64);
		break;
	default: break;
	}
}

static const char *op_shape(enum tn_op op)
{
	switch (op) {
	case TN_OP_COSINE: case TN_OP_EUCLIDEAN: case TN_OP_MANHATTAN: return "n=4096";
	case TN_OP_COSINE_BATCH: case TN_OP_EUCLIDEAN_BATCH: case TN_OP_MANHATTAN_BATCH:
		return "256 rows x 256";
	case TN_OP_MATMUL: return "256^3";
	case TN_OP_MATMUL_BATCHED: return "4 x 64^3";
	default: return "1024 x 1024";
	}
}

static void bench_backends(void)
{
	static const enum tn_op ops[] = {
		TN_OP_COSINE, TN_OP_EUCLIDEAN, TN_OP_MANHATTAN, TN_OP_COSINE_BATCH,
		TN_OP_EUCLIDEAN_BATCH, TN_OP_MANHATTAN_BATCH, TN_OP_MATMUL, TN_OP_MATMUL_BATCHED,
		TN_OP_TRANSPOSE, TN_OP_MATVEC, TN_OP_VECMAT,
	};
	static const enum tn_backend bks[] = {
		TN_BACKEND_SCALAR, TN_BACKEND_SSE2, TN_BACKEND_AVX2, TN_BACKEND_AVX512,
	};
	struct bufs p = {
		alloc_fill(MN * MN, 4), alloc_fill(MN * MN, 5), alloc_fill(MN * MN, 6),
		alloc_fill(MN, 7),
	};

	printf("\neach backend: thread CPU time per call (us, best of 20 samples) and speed-up over scalar\n");
	printf("%-16s %-15s", "op", "shape");
	for (size_t j = 0; j < 4; j++)
		printf(" %16s", tn_backend_name(bks[j]));
	printf("\n");
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		double best[4] = { INFINITY, INFINITY, INFINITY, INFINITY };
		uint64_t t = now_ns();
		int inner;

		/* Enough calls per sample (about 200 us of scalar work) that the
		 * clock's own cost does not count. */
		tn_backend_force(TN_BACKEND_SCALAR);
		run_op(ops[i], &p);
		t = now_ns() - t;
		inner = t >= 200000 ? 1 : (int)(200000 / (t ? t : 1));
		/* Round-robin over the backends, best of 20 each: the same load for all. */
		for (int r = -1; r < 20; r++)
			for (size_t j = 0; j < 4; j++) {
				if (tn_backend_force(bks[j]) != 0)
					continue;
				t = now_ns();
				for (int q = 0; q < inner; q++)
					run_op(ops[i], &p);
				t = now_ns() - t;
				if (r >= 0 && (double)t / inner < best[j])
					best[j] = (double)t / inner;
			}
		printf("%-16s %-15s", tn_op_name(ops[i]), op_shape(ops[i]));
		for (size_t j = 0; j < 4; j++) {
			if (isinf(best[j]))
				printf(" %16s", "(no cpu)");
			else
				printf(" %9.2f %5.1fx", best[j] / 1e3, best[0] / best[j]);
		}
		printf("\n");
	}
	tn_backend_force(TN_BACKEND_AUTO);
	free(p.a);
	free(p.b);
	free(p.c);
	free(p.out);
}

int main(int argc, char **argv)
{
	(void)argc;
#if TN_HAVE_OPENBLAS
	if (bench_openblas_env("bench-tn-matmul", argv) < 0)
		return 1;
	bench_openblas_say();
#endif
	printf("libtn %s, matmul on %s\n\n", tn_version(), tn_backend_name(tn_op_backend(TN_OP_MATMUL)));
	bench_gemm();
	bench_backends();
#if !TN_HAVE_OPENBLAS
	printf("\nOpenBLAS was not found at build time (libopenblas-dev, -Dbench_peers): no peer comparison\n");
	return 77;
#else
	return 0;
#endif
}
