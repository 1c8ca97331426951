/* SPDX-License-Identifier: MIT */
/*
 * performance_demo: the scalar backend against each SIMD backend (and the
 * OpenCL device when asked for with TN_OPENCL=1) for dot, sum, max, add,
 * mul and sigmoid at three sizes.
 *
 * Timings change from run to run, so they go to stderr (and, under
 * tn-trace, into libtn's compute spans, which time every call); stdout says
 * only what ran and that every backend gave the scalar backend's results,
 * and is the same on every machine.  Every result feeds a checksum and a
 * volatile sink, so the compiler cannot delete the work.  The sizes and
 * repetitions are fixed (no time-dependent loop): the same calls, the same
 * system calls, on every run.
 */
#include "example.h"

#include <time.h>

#define NMAX 65536
#define NSIZES 3
#define NOPS 6
#define NSLOTS (EX_ROUNDS + 1)          /* the CPU rounds, then the device */

static const size_t sizes[NSIZES] = {1024, 8192, NMAX};
static const int reps[NSIZES] = {16, 4, 1};
static const char *const op_names[NOPS] = {"dot", "sum", "max", "add", "mul", "sigmoid"};

static float xa[NMAX], xb[NMAX];
static float out[NSLOTS][NOPS][NMAX];   /* element-wise results per backend */
static float red[NSLOTS][NSIZES][NOPS]; /* reductions per backend */
static double ns[NSLOTS][NSIZES][NOPS];
static volatile float sink;

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/*
 * Runs op on n elements once untimed (the first touch of the output pages),
 * then r times timed; the last result stays in out/red.
 */
static double run(int slot, int si, int op, size_t n, int r)
{
	double t0 = 0;
	float acc = 0;

	for (int k = -1; k < r; k++) {
		if (k == 0)
			t0 = now_ns();
		switch (op) {
		case 0: acc += red[slot][si][op] = tn_dot(n, xa, xb); break;
		case 1: acc += red[slot][si][op] = tn_sum(n, xa); break;
		case 2: acc += red[slot][si][op] = tn_max(n, xa); break;
		case 3: tn_add(n, xa, xb, out[slot][op]); acc += out[slot][op][n - 1]; break;
		case 4: tn_mul(n, xa, xb, out[slot][op]); acc += out[slot][op][n - 1]; break;
		case 5: tn_sigmoid(n, xa, out[slot][op]); acc += out[slot][op][n - 1]; break;
		}
	}
	sink = acc;
	return (now_ns() - t0) / r;
}

/* Slot s's results for size si equal the scalar slot's (bits on the CPU). */
static bool agrees(int s, int si, int op, size_t n, bool exact)
{
	if (op < 3)
		return exact ? memcmp(&red[s][si][op], &red[0][si][op], sizeof(float)) == 0
			     : ex_close(red[s][si][op], red[0][si][op], 1e-5f);
	return exact ? ex_same(n, out[s][op], out[0][op])
		     : ex_all_close(n, out[s][op], out[0][op], 1e-5f);
}

int main(void)
{
	enum tn_backend ran[NSLOTS];
	bool gpu = false, all_agree = true;
	double checksum = 0;

	ex_init("performance_demo");
	for (size_t i = 0; i < NMAX; i++) {
		xa[i] = (float)((int)((i * 37) % 201) - 100) / 50.0f;
		xb[i] = (float)((int)((i * 91) % 127) - 63) / 64.0f;
	}
	if (ex_gpu_wanted()) {
		gpu = tn_backend_available(TN_BACKEND_OPENCL);
		if (!gpu)
			fprintf(stderr, "performance_demo: TN_OPENCL=1, but no OpenCL device\n");
	}

	printf("performance_demo: scalar against each SIMD backend (timings on stderr)\n");
	printf("operations: dot sum max add mul sigmoid; sizes:");
	for (int si = 0; si < NSIZES; si++)
		printf(" %zu", sizes[si]);
	printf("\n\n");

	for (int si = 0; si < NSIZES; si++) {
		size_t n = sizes[si];
		bool size_ok = true;

		for (int s = 0; s < NSLOTS; s++) {
			if (s == EX_ROUNDS && !gpu)
				continue;
			ran[s] = s < EX_ROUNDS ? ex_round_backend(ex_rounds[s]) : TN_BACKEND_OPENCL;
			ex_force(ran[s]);
			for (int op = 0; op < NOPS; op++) {
				ns[s][si][op] = run(s, si, op, n, reps[si]);
				if (s > 0 && !agrees(s, si, op, n, s < EX_ROUNDS)) {
					size_ok = false;
					ex_check(false, "%s on %s differs from scalar at n=%zu",
						 op_names[op], tn_backend_name(ran[s]), n);
				}
			}
		}
		for (int op = 0; op < NOPS; op++)
			checksum += op < 3 ? red[0][si][op] : tn_sum(n, out[0][op]);
		printf("n=%-6zu every backend agrees with scalar: %s\n", n, size_ok ? "yes" : "no");
		all_agree = all_agree && size_ok;
	}
	ex_restore();

	/* the timings: stderr, one line per (size, op), the same lines on every run */
	fprintf(stderr, "%-8s %-8s", "n", "op");
	for (int s = 0; s < EX_ROUNDS; s++)
		fprintf(stderr, " %7s(ns) %6s", tn_backend_name(ran[s]), "x");
	fprintf(stderr, " %7s(ns) %6s\n", "opencl", "x");
	for (int si = 0; si < NSIZES; si++)
		for (int op = 0; op < NOPS; op++) {
			char line[512];
			int len = snprintf(line, sizeof(line), "%-8zu %-8s", sizes[si], op_names[op]);

			for (int s = 0; s < NSLOTS; s++) {
				if (s == EX_ROUNDS && !gpu)
					len += snprintf(line + len, sizeof(line) - (size_t)len, " %11s %6s",
							"-", "-");
				else
					len += snprintf(line + len, sizeof(line) - (size_t)len,
							" %11.0f %5.1fx", ns[s][si][op],
							ns[0][si][op] / (ns[s][si][op] > 0 ? ns[s][si][op] : 1));
			}
			fprintf(stderr, "%s\n", line);
		}

	printf("\nresults of all backends agree: %s\n", all_agree ? "yes" : "no");
	printf("checksum of the scalar results: %.2f\n", checksum);
	return ex_finish();
}
