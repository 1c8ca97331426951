/* SPDX-License-Identifier: MIT */
/* CPU detection: the features this CPU has and the OS saves the registers of (cpuid + xgetbv). */
#include "internal.h"

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>

/* XCR0: the state components the OS saves on a context switch. */
#define XCR0_SSE    (1u << 1)
#define XCR0_YMM    (1u << 2)
#define XCR0_OPMASK (1u << 5)
#define XCR0_ZMM_HI256 (1u << 6)
#define XCR0_HI16_ZMM  (1u << 7)

static uint64_t xgetbv0(void)
{
	uint32_t lo, hi;

	/* The instruction itself, so no -mxsave is needed for this file. */
	__asm__ volatile(".byte 0x0f, 0x01, 0xd0" : "=a"(lo), "=d"(hi) : "c"(0));
	return ((uint64_t)hi << 32) | lo;
}

static unsigned detect(void)
{
	unsigned caps = 0;
	unsigned a, b, c, d, max_leaf;
	uint64_t xcr0;
	bool avx2 = false, avx512 = false;

	max_leaf = __get_cpuid_max(0, NULL);
	if (max_leaf < 1 || !__get_cpuid(1, &a, &b, &c, &d))
		return caps;
	if (d & bit_SSE2)
		caps |= TN__CAP_SSE2;
	/* Without OSXSAVE, xgetbv faults and no wide register is saved. */
	if (!(c & bit_OSXSAVE) || !(c & bit_AVX))
		return caps;
	xcr0 = xgetbv0();
	if ((xcr0 & (XCR0_SSE | XCR0_YMM)) != (XCR0_SSE | XCR0_YMM))
		return caps;
	if (c & bit_FMA)
		caps |= TN__CAP_FMA;
	if (max_leaf >= 7) {
		unsigned a7, b7, c7, d7;

		__cpuid_count(7, 0, a7, b7, c7, d7);
		avx2 = (b7 & bit_AVX2) != 0;
		avx512 = (b7 & bit_AVX512F) && (b7 & bit_AVX512VL) &&
			 (b7 & bit_AVX512DQ) && (b7 & bit_AVX512BW);
	}
	if (avx2)
		caps |= TN__CAP_AVX2;
	const uint64_t zmm = XCR0_SSE | XCR0_YMM | XCR0_OPMASK |
			     XCR0_ZMM_HI256 | XCR0_HI16_ZMM;
	if (avx512 && (xcr0 & zmm) == zmm)
		caps |= TN__CAP_AVX512;
	return caps;
}
#elif defined(__aarch64__)
static unsigned detect(void)
{
	/* Advanced SIMD is part of the AArch64 base architecture (no NEON kernels yet). */
	return TN__CAP_NEON;
}
#else
static unsigned detect(void)
{
	return 0;
}
#endif

/* The caps plus a bit no CPU has, so that 0 can mean "not detected yet". */
#define DETECTED (1u << 31)
static unsigned cpu_caps;

unsigned tn__cpu_caps(void)
{
	unsigned m = __atomic_load_n(&cpu_caps, __ATOMIC_RELAXED);

	if (tn__unlikely(m == 0)) {
		/* Detection is idempotent: a race computes the same value twice. */
		m = detect() | DETECTED;
		__atomic_store_n(&cpu_caps, m, __ATOMIC_RELAXED);
	}
	return m & ~DETECTED;
}
