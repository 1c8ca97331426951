/* SPDX-License-Identifier: MIT */
/*
 * The start of libtn's OpenCL program: embed.py puts this file, then
 * lib/tn/math/isa-scalar.h (the one-lane vector vocabulary of the scalar
 * backend), lib/tn/math/math-body.h (the math kernels' element functions)
 * and kernels.cl into one source, so that the device runs the CPU's own
 * algorithms and constants, one element per work-item, with the scalar
 * backend's semantics (the x86 minps/maxps rule of vmin and vmax, INT_MIN
 * for a conversion out of range) and so its bits.  Here: what the C of
 * isa-scalar.h says with <stdint.h>, memcpy and __builtin_sqrtf.  Nothing
 * is contracted into an fma (the CPU rounds a * b + c twice); division and
 * sqrt are correctly rounded where the device says so (the host then builds
 * with -cl-fp32-correctly-rounded-divide-sqrt; elsewhere ops.c keeps these
 * operations on the CPU).
 */
#pragma OPENCL FP_CONTRACT OFF
#if TN_FP64
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
#endif

typedef int int32_t;
typedef uint uint32_t;
#define INT32_MIN INT_MIN
#ifndef NULL
#define NULL 0
#endif
/* math-body.h's tables of constants, in OpenCL's constant space */
#define TN_M_TABLE __constant

static inline float vsqrt(float a) { return sqrt(a); }
static inline int vasi(float a) { return as_int(a); }
static inline float vasf(int a) { return as_float(a); }
