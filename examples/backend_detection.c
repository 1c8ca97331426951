/* SPDX-License-Identifier: MIT */
/*
 * backend_detection: what this CPU has (cpuid and xgetbv), which backend
 * libtn runs each operation on and why, and one small computation on every
 * backend, whose results must be the same bits everywhere.
 *
 * stdout is the same on every machine and backend (it is compared with a
 * golden); what this machine has and chose goes to stderr.
 *
 *   backend_detection            the report
 *   backend_detection --has NAME exit 0 when this machine can run backend
 *                                NAME (scalar, sse2, avx2, avx512, ...), else 1
 */
#include "example.h"

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#include <stdint.h>

static uint64_t xgetbv0(void)
{
	uint32_t lo, hi;

	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return ((uint64_t)hi << 32) | lo;
}

/* One stderr line per feature, the same lines on every machine. */
static void print_cpu(void)
{
	unsigned a = 0, b = 0, c = 0, d = 0, max_leaf = __get_cpuid_max(0, NULL);
	unsigned b7 = 0, c7 = 0, d7 = 0, a7 = 0;
	char vendor[13] = "";
	uint64_t xcr0 = 0;
	bool osxsave;

	if (max_leaf >= 1)
		__cpuid(0, a, b, c, d);
	memcpy(vendor, &b, 4);
	memcpy(vendor + 4, &d, 4);
	memcpy(vendor + 8, &c, 4);
	a = b = c = d = 0;
	if (max_leaf >= 1)
		__cpuid(1, a, b, c, d);
	if (max_leaf >= 7)
		__cpuid_count(7, 0, a7, b7, c7, d7);
	(void)a7;
	(void)c7;
	(void)d7;
	osxsave = c & bit_OSXSAVE;
	if (osxsave)
		xcr0 = xgetbv0();

	fprintf(stderr, "cpu: vendor %s, cpuid max leaf %u\n", vendor, max_leaf);
	fprintf(stderr, "cpu: sse2 %s, avx %s, fma %s, avx2 %s\n",
		d & bit_SSE2 ? "yes" : "no", c & bit_AVX ? "yes" : "no",
		c & bit_FMA ? "yes" : "no", b7 & bit_AVX2 ? "yes" : "no");
	fprintf(stderr, "cpu: avx512f %s, avx512vl %s, avx512dq %s, avx512bw %s\n",
		b7 & bit_AVX512F ? "yes" : "no", b7 & bit_AVX512VL ? "yes" : "no",
		b7 & bit_AVX512DQ ? "yes" : "no", b7 & bit_AVX512BW ? "yes" : "no");
	fprintf(stderr, "os (xgetbv): osxsave %s, xcr0 0x%llx: xmm %s, ymm %s, zmm %s\n",
		osxsave ? "yes" : "no", (unsigned long long)xcr0,
		xcr0 & 0x2 ? "saved" : "not saved", xcr0 & 0x4 ? "saved" : "not saved",
		(xcr0 & 0xe0) == 0xe0 ? "saved" : "not saved");
}
#else
static void print_cpu(void)
{
	fprintf(stderr, "cpu: not x86: no cpuid; libtn's own detection decides\n");
	fprintf(stderr, "cpu: -\n");
	fprintf(stderr, "cpu: -\n");
	fprintf(stderr, "os: -\n");
}
#endif

/* Why op runs on b: one short sentence (stderr). */
static const char *why(enum tn_op op, enum tn_backend b)
{
	enum tn_backend best = ex_round_backend(TN_BACKEND_AVX512);

	(void)op;
	if (ex_env_backend != TN_BACKEND_AUTO)
		return b == ex_env_backend ? "forced by TN_BACKEND"
		       : "forced backend has no kernel for it: the best one below it";
	if (b == TN_BACKEND_OPENCL)
		return "the calibration (TN_OPENCL=auto) says the device finishes first";
	if (b == best)
		return "the best backend in the preference table this machine has";
	return "no kernel for the better backends (or auto skips them): the next in the table";
}

#define N 1000

static float xa[N], xb[N];

struct result {
	float dot, sum, max;
	float e[N];             /* exp */
	float s[N];             /* softmax */
};
static struct result res[EX_ROUNDS + 1];

static void compute(struct result *r)
{
	r->dot = tn_dot(N, xa, xb);
	r->sum = tn_sum(N, xa);
	r->max = tn_max(N, xb);
	tn_exp(N, xa, r->e);
	tn_softmax(N, xb, r->s);
}

static bool same_result(const struct result *a, const struct result *b)
{
	return memcmp(&a->dot, &b->dot, sizeof(float)) == 0 &&
	       memcmp(&a->sum, &b->sum, sizeof(float)) == 0 &&
	       memcmp(&a->max, &b->max, sizeof(float)) == 0 &&
	       ex_same(N, a->e, b->e) && ex_same(N, a->s, b->s);
}

int main(int argc, char **argv)
{
	enum tn_backend b;
	int ops_ok = 0, rounds = 0, distinct = 0;
	bool agree = true;
	unsigned seen = 0;

	if (argc == 3 && strcmp(argv[1], "--has") == 0) {
		if (tn_backend_from_name(argv[2], &b) < 0 || b == TN_BACKEND_AUTO) {
			fprintf(stderr, "backend_detection: %s is no backend\n", argv[2]);
			return 2;
		}
		return tn_backend_available(b) ? 0 : 1;
	}
	if (argc != 1) {
		fprintf(stderr, "usage: backend_detection [--has BACKEND]\n");
		return 2;
	}
	ex_init("backend_detection");

	printf("backend_detection: libtn picks a backend per operation at run time\n");
	printf("(this machine's features and choices are on stderr)\n\n");

	/* 1. The CPU and the OS (stderr only: they differ between machines). */
	print_cpu();
	for (int i = 0; i < EX_ROUNDS; i++)
		fprintf(stderr, "backend %-7s %s\n", tn_backend_name(ex_rounds[i]),
			tn_backend_available(ex_rounds[i]) ? "available" : "not on this machine");

	/* 2. The backend of each operation, and why. */
	for (int op = 0; op < TN_OP_COUNT_; op++) {
		b = tn_op_backend((enum tn_op)op);
		if (ex_check(b > TN_BACKEND_AUTO && b < TN_BACKEND_COUNT_,
			     "operation %s has no backend", tn_op_name((enum tn_op)op)))
			ops_ok++;
		fprintf(stderr, "op %-16s %-7s %s\n", tn_op_name((enum tn_op)op),
			tn_backend_name(b) ? tn_backend_name(b) : "?", why((enum tn_op)op, b));
	}
	printf("operations: %d, each dispatched to a backend: %s\n", (int)TN_OP_COUNT_,
	       ops_ok == TN_OP_COUNT_ ? "yes" : "no");

	/* 3. One computation on every backend: the same bits everywhere. */
	for (int i = 0; i < N; i++) {
		xa[i] = (float)((i * 37) % 101 - 50) / 64.0f;
		xb[i] = (float)((i * 53) % 97 - 48) / 32.0f;
	}
	for (int i = 0; i < EX_ROUNDS; i++) {
		b = ex_round_backend(ex_rounds[i]);
		ex_force(b);
		compute(&res[i]);
		fprintf(stderr, "round %-7s ran on %s\n", tn_backend_name(ex_rounds[i]),
			tn_backend_name(b));
		if (!(seen & 1u << b))
			distinct++;
		seen |= 1u << b;
		rounds++;
		if (!same_result(&res[0], &res[i]))
			agree = ex_check(false, "%s differs from scalar", tn_backend_name(b));
	}
	if (ex_gpu_wanted()) {
		if (tn_backend_available(TN_BACKEND_OPENCL)) {
			ex_force(TN_BACKEND_OPENCL);
			compute(&res[EX_ROUNDS]);
			distinct++;
			/* element-wise, sum and dot: the CPU's bits on the device (libtn(3)) */
			if (!same_result(&res[0], &res[EX_ROUNDS]))
				agree = ex_check(false, "opencl differs from scalar");
			fprintf(stderr, "round opencl  ran on opencl\n");
		} else {
			fprintf(stderr, "round opencl  asked for, but no OpenCL device\n");
		}
	}
	ex_restore();
	fprintf(stderr, "identical on %d backend%s (%d rounds)\n", distinct,
		distinct == 1 ? "" : "s", rounds);

	printf("one computation on %d-element vectors:\n", N);
	printf("  dot(a, b)     = %.4f\n", ex_p(res[0].dot));
	printf("  sum(a)        = %.4f\n", ex_p(res[0].sum));
	printf("  max(b)        = %.4f\n", ex_p(res[0].max));
	printf("  exp(a)[0..2]  = %.4f %.4f %.4f\n", ex_p(res[0].e[0]), ex_p(res[0].e[1]),
	       ex_p(res[0].e[2]));
	printf("  softmax(b)[0] = %.6f\n", ex_p(res[0].s[0]));
	printf("identical on every available backend: %s\n", agree ? "yes" : "no");
	return ex_finish();
}
