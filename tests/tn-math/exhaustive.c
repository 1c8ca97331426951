/*
 * Every float input (or every STRIDE-th bit pattern) through each unary math
 * function on each backend the CPU has: the largest error in ulp against
 * the double reference, and any difference in bits from the scalar backend.
 * Usage: tn-math-exhaustive [--bits] [STRIDE [NAME...]].  --bits checks
 * only the equality, of each SIMD backend with AVX2 (the scalar backend
 * where the CPU lacks AVX2), without the reference: a few seconds per
 * function, for a change that must keep the bits.  Exit 1 when a bound or
 * the equality fails, 77 when no SIMD backend can run.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "math-ref.h"
#include "tn-check.h"

#define CHUNK 65536

static enum tn_backend backends[] = {
	TN_BACKEND_SCALAR, TN_BACKEND_SSE2, TN_BACKEND_AVX2, TN_BACKEND_AVX512,
};
#define NB (sizeof(backends) / sizeof(backends[0]))
static int bits_only;

/* --bits: the first backend is the one the others must equal; no sse2. */
static size_t bits_backends(void)
{
	if (tn_backend_available(TN_BACKEND_AVX2)) {
		backends[0] = TN_BACKEND_AVX2;
		backends[1] = TN_BACKEND_AVX512;
		return 2;
	}
	backends[1] = TN_BACKEND_AVX512;
	return 2;
}

static int run(const struct math_unary *f, uint64_t stride, size_t nb)
{
	static float x[CHUNK], y[NB][CHUNK];
	static double want[CHUNK];
	double worst[NB] = { 0 };
	float worst_x[NB] = { 0 };
	uint64_t diff[NB] = { 0 }, count = 0;
	int ok = 1;

	for (uint64_t u = 0; u < (1ull << 32);) {
		size_t n = 0;

		for (; n < CHUNK && u < (1ull << 32); n++, u += stride) {
			uint32_t b = (uint32_t)u;

			memcpy(&x[n], &b, sizeof(float));
		}
		count += n;
		for (size_t i = 0; i < n && !bits_only; i++)
			want[i] = ref_clamp(f->ref(x[i]));
		for (size_t k = 0; k < nb; k++) {
			if (!tn_backend_available(backends[k]))
				continue;
			tn_backend_force(backends[k]);
			f->fn(n, x, y[k]);
			for (size_t i = 0; i < n; i++) {
				double e;

				/* a backend with the scalar bits has its error */
				if (k > 0 && tn_check_same(y[k][i], y[0][i]))
					continue;
				if (k > 0)
					diff[k]++;
				if (bits_only)
					continue;
				e = tn_check_ulp(y[k][i], want[i]);
				if (e > worst[k]) {
					worst[k] = e;
					worst_x[k] = x[i];
				}
			}
		}
	}
	tn_backend_force(TN_BACKEND_AUTO);
	for (size_t k = 1; k < nb; k++) {
		if (worst[0] > worst[k]) {
			worst[k] = worst[0];
			worst_x[k] = worst_x[0];
		}
	}
	for (size_t k = 0; k < nb; k++) {
		if (!tn_backend_available(backends[k])) {
			printf("%-11s %-7s skipped (CPU lacks it)\n", f->name, tn_backend_name(backends[k]));
			continue;
		}
		if (bits_only) {
			if (k > 0)
				printf("%-11s %-7s inputs %llu  differ-from-%s %llu  %s\n", f->name,
				       tn_backend_name(backends[k]), (unsigned long long)count,
				       tn_backend_name(backends[0]), (unsigned long long)diff[k],
				       diff[k] == 0 ? "ok" : "FAIL");
			ok &= diff[k] == 0;
			continue;
		}
		printf("%-11s %-7s inputs %llu  max %.3f ulp at %a (%.9g)  bound %.1f  differ-from-scalar %llu  %s\n",
		       f->name, tn_backend_name(backends[k]), (unsigned long long)count,
		       worst[k], (double)worst_x[k], (double)worst_x[k], f->bound,
		       (unsigned long long)diff[k],
		       worst[k] <= f->bound && diff[k] == 0 ? "ok" : "FAIL");
		if (worst[k] > f->bound || diff[k])
			ok = 0;
	}
	fflush(stdout);
	return ok;
}

int main(int argc, char **argv)
{
	uint64_t stride;
	size_t nb = NB;
	int ok = 1;

	if (argc > 1 && strcmp(argv[1], "--bits") == 0) {
		bits_only = 1;
		nb = bits_backends();
		argv++;
		argc--;
	}
	stride = argc > 1 ? strtoull(argv[1], NULL, 10) : 1;

	if (stride == 0)
		stride = 1;
	for (size_t i = 0; i < MATH_NUNARY; i++) {
		int want = argc <= 2;

		for (int a = 2; a < argc; a++)
			if (strcmp(argv[a], math_unary[i].name) == 0)
				want = 1;
		if (want)
			ok &= run(&math_unary[i], stride, nb);
	}
	return ok ? 0 : 1;
}
