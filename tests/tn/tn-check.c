/* tn-check: backends, inputs and ulp comparison for libtn's kernel tests. */
#include "tn-check.h"
#include "tn/tn-device.h"

#include <float.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

const enum tn_backend tn_check_backend_list[5] = {
	TN_BACKEND_SCALAR, TN_BACKEND_SSE2, TN_BACKEND_AVX2, TN_BACKEND_AVX512,
	TN_BACKEND_OPENCL,
};

bool tn_check_backend_testable(enum tn_backend b, const char **ret_why)
{
	*ret_why = b == TN_BACKEND_OPENCL ? "no OpenCL device, or TN_OPENCL=0" :
		   "this machine lacks it";
	return tn_backend_available(b);
}

bool tn_check_device(const char **ret_why)
{
	return tn_check_backend_testable(TN_BACKEND_OPENCL, ret_why) && tn_device_status(ret_why) >= 0;
}

enum tn_backend tn_check_backend(void **state)
{
	enum tn_backend b = *(const enum tn_backend *)*state;
	const char *why;

	if (!tn_check_backend_testable(b, &why)) {
		print_message("[  SKIP    ] %s: %s\n", tn_backend_name(b), why);
		skip();
	}
	assert_int_equal(tn_backend_force(b), 0);
	return b;
}

int tn_check_select(void)
{
	const char *v = getenv("TN_CHECK_BACKEND");
	static char pattern[32];
	enum tn_backend b;
	const char *why;

	/* Under valgrind every kernel runs 20-50 times slower: keep the sizes
	 * up to 1025 (every body/tail split of every vector width), drop the
	 * long ones. */
	if (tn_check_slow())
		while (tn_check_nsizes > 1 && tn_check_sizes[tn_check_nsizes - 1] > 1025)
			tn_check_nsizes--;
	if (!v || !*v)
		return 0;
	if (strcmp(v, "common") == 0) {
		cmocka_set_skip_filter("*/*");
		return 0;
	}
	if (tn_backend_from_name(v, &b) < 0 || b == TN_BACKEND_AUTO) {
		fprintf(stderr, "TN_CHECK_BACKEND=%s is no backend\n", v);
		return 2;
	}
	if (!tn_check_backend_testable(b, &why)) {
		printf("%s: %s; its tests are skipped\n", v, why);
		return 77;
	}
	snprintf(pattern, sizeof(pattern), "*/%s", v);
	cmocka_set_test_filter(pattern);
	return 0;
}

int tn_check_teardown(void **state)
{
	(void)state;
	return tn_backend_force(TN_BACKEND_AUTO);
}

const size_t tn_check_sizes[] = {
	0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 47, 63, 64, 65,
	127, 128, 129, 255, 257, 511, 513, 1000, 1023, 1025, 2049, 4095, 4097,
	8191, 10001,
};
size_t tn_check_nsizes = sizeof(tn_check_sizes) / sizeof(tn_check_sizes[0]);

bool tn_check_slow(void)
{
	return getenv("TN_UNDER_VALGRIND") != NULL;
}

const float tn_check_specials[] = {
	NAN, -NAN, INFINITY, -INFINITY, 0.0f, -0.0f, FLT_MIN, -FLT_MIN,
	0x1p-149f, -0x1p-149f, FLT_MAX, -FLT_MAX, 1.0f, -1.0f,
};
const size_t tn_check_nspecials = sizeof(tn_check_specials) / sizeof(tn_check_specials[0]);

size_t tn_check_positions(size_t n, size_t ret_pos[3])
{
	size_t k = 0;

	if (n == 0)
		return 0;
	ret_pos[k++] = 0;
	if (n > 2)
		ret_pos[k++] = n / 2;
	if (n > 1)
		ret_pos[k++] = n - 1;
	return k;
}

struct tn_check_rng tn_check_rng(uint64_t seed)
{
	return (struct tn_check_rng){ .s = seed };
}

uint64_t tn_check_u64(struct tn_check_rng *r)
{
	uint64_t z = (r->s += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

float tn_check_uniform(struct tn_check_rng *r, float lo, float hi)
{
	double u = (double)(tn_check_u64(r) >> 11) * 0x1p-53;
	float v = (float)(lo + u * ((double)hi - lo));

	return v < hi ? v : lo;
}

void tn_check_fill(struct tn_check_rng *r, size_t n, float *x, float lo, float hi)
{
	for (size_t i = 0; i < n; i++)
		x[i] = tn_check_uniform(r, lo, hi);
}

float tn_check_any(struct tn_check_rng *r)
{
	uint32_t u = (uint32_t)(tn_check_u64(r) >> 32);
	float f;

	memcpy(&f, &u, sizeof(f));
	return f;
}

/* Layout: [header: n, 64 bytes][pad 1 float][n floats][GUARD floats]. */
#define GUARD 16
static const uint32_t guard_bits = 0x7fa5a5a5u;  /* a signalling NaN */

struct alloc_head {
	size_t n;
	unsigned char pad[64 - sizeof(size_t)];
};

float *tn_check_alloc(size_t n)
{
	size_t bytes = sizeof(struct alloc_head) + (1 + n + GUARD) * sizeof(float);
	struct alloc_head *h = aligned_alloc(64, (bytes + 63) & ~(size_t)63);
	float *p;

	assert_non_null(h);
	h->n = n;
	p = (float *)(h + 1) + 1;
	for (size_t i = 0; i < n + GUARD; i++)
		memcpy(&p[i], &guard_bits, sizeof(float));
	return p;
}

void tn_check_free(float *p)
{
	struct alloc_head *h;

	if (!p)
		return;
	h = (struct alloc_head *)(p - 1) - 1;
	for (size_t i = 0; i < GUARD; i++) {
		uint32_t u;

		memcpy(&u, &p[h->n + i], sizeof(u));
		if (u != guard_bits) {
			size_t at = h->n + i;

			free(h);
			fail_msg("write past the end: element %zu of a vector of %zu", at,
				 at - i);
		}
	}
	free(h);
}

double *tn_check_alloc_double(size_t n)
{
	double *p = malloc((n ? n : 1) * sizeof(double));

	assert_non_null(p);
	return p;
}

double tn_check_ulp(float got, double want)
{
	double g = got, a, ulp;
	int e;

	if (isnan(want))
		return isnan(got) ? 0.0 : INFINITY;
	if (isnan(got))
		return INFINITY;
	if (isinf(want))
		return g == want ? 0.0 : INFINITY;
	if (want == 0.0 && g == 0.0)
		return signbit(want) == signbit(g) ? 0.0 : INFINITY;
	/* Beyond 2^128 every float result is as far as an infinity. */
	if (fabs(want) > 0x1p128)
		want = copysign(0x1p128, want);
	if (isinf(got)) {
		/* Only a want beyond FLT_MAX (in got's direction) comes close. */
		if ((got > 0) != (want > 0))
			return INFINITY;
		g = got > 0 ? 0x1p128 : -0x1p128;
	}
	a = fabs(want);
	e = a == 0.0 ? -149 + 23 : ilogb(a);
	if (e < -126)
		e = -126;
	if (e > 127)
		e = 127;
	ulp = ldexp(1.0, e - 23);
	return fabs(g - want) / ulp;
}

void tn_check_ulp_array(size_t n, const float *got, const double *want, double bound,
			const char *op, enum tn_backend b, const float *x)
{
	for (size_t i = 0; i < n; i++) {
		double u = tn_check_ulp(got[i], want[i]);

		if (u > bound) {
			char in[64] = "";

			if (x)
				snprintf(in, sizeof(in), " x=%a (%.9g)", (double)x[i], (double)x[i]);
			fail_msg("%s on %s, n=%zu, i=%zu:%s got %a (%.9g), want %a (%.17g): %g ulp > %g",
				 op, tn_backend_name(b), n, i, in, (double)got[i], (double)got[i],
				 want[i], want[i], u, bound);
		}
	}
}

void tn_check_ulp_one(float got, double want, double bound, const char *op,
		      enum tn_backend b, size_t n)
{
	double u = tn_check_ulp(got, want);

	if (u > bound)
		fail_msg("%s on %s, n=%zu: got %a (%.9g), want %a (%.17g): %g ulp > %g",
			 op, tn_backend_name(b), n, (double)got, (double)got, want, want, u,
			 bound);
}

int tn_check_same(float a, float b)
{
	uint32_t ua, ub;

	if (isnan(a) || isnan(b))
		return isnan(a) && isnan(b);
	memcpy(&ua, &a, sizeof(ua));
	memcpy(&ub, &b, sizeof(ub));
	return ua == ub;
}
