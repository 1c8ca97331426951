/*
 * The cost of dispatch on small calls: tn_add and tn_sum on 16 elements
 * through the public entry (span check, choice, indirect call) against the
 * chosen kernel called directly through a pointer.  Best of 201 alternating
 * trials of 2^14 calls each (short, so the best one dodges other load);
 * prints ns per call and the difference.
 */
#include <stdio.h>
#include <time.h>

#include "internal.h"
#include "arith/arith-kernels.h"

#define CALLS ((size_t)1 << 14)
#define TRIALS 201

static float a[16], b[16], y[16];
static volatile float sink;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static tn__bin_fn volatile add_k;
static tn__red_fn volatile sum_k;

static void pub_add(void) { tn_add(16, a, b, y); }
static void dir_add(void) { add_k(16, a, b, y); }
static void pub_sum(void) { sink = tn_sum(16, a); }
static void dir_sum(void) { sink = sum_k(16, a); }

static double trial(void (*f)(void))
{
	uint64_t t0 = now_ns();

	for (size_t i = 0; i < CALLS; i++)
		f();
	return (double)(now_ns() - t0) / (double)CALLS;
}

static void compare(const char *name, void (*pub)(void), void (*dir)(void))
{
	double tp = 1e9, td = 1e9;

	for (int t = 0; t < TRIALS; t++) {
		double p = trial(pub), d = trial(dir);

		tp = p < tp ? p : tp;
		td = d < td ? d : td;
	}
	printf("| %s | %.2f | %.2f | %+.2f |\n", name, tp, td, tp - td);
}

int main(void)
{
	for (int i = 0; i < 16; i++)
		a[i] = b[i] = (float)i;
	add_k = TN__KERNEL(tn__bin_fn, add, tn__choose(TN_OP_ADD));
	sum_k = TN__KERNEL(tn__red_fn, sum, tn__choose(TN_OP_SUM));
	printf("## Dispatch cost, 16 elements, %s (ns per call)\n\n",
	       tn_backend_name(tn__choose(TN_OP_ADD)));
	printf("| call | tn_ entry | kernel directly | difference |\n| --- | ---: | ---: | ---: |\n");
	compare("add", pub_add, dir_add);
	compare("sum", pub_sum, dir_sum);
	return 0;
}
