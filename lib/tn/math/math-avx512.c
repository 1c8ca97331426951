/* The math kernels for AVX-512F/DQ: math-body.h over isa-avx512.h. */
/*
 * GCC's scheduler before register allocation (off by default on x86)
 * interleaves the two element chains of each TN_M_PAIR step; it reorders
 * instructions only, never the arithmetic of one element.
 */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("schedule-insns", "sched-pressure")
#endif
#include "isa-avx512.h"
#include "math-body.h"
