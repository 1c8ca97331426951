/*
 * The AVX-512 instructions that math-body.h uses, one call per instruction
 * over 16 lanes: emu16.c's plain-C spelling (emu16_op) and the hardware's
 * (emu16_op_avx512, emu16-avx512.c), so test-emu16.c can hold the
 * emulation to the hardware's bits where the CPU has AVX-512.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

enum emu16_op {
	EMU16_SCALEF,           /* a 2^floor(b) */
	EMU16_ROUND,            /* a to nearest even */
	EMU16_GETEXP,
	EMU16_GETMANT,          /* [1, 2), sign cleared */
	EMU16_NEGABS_MIN,       /* vrangeps 0x0e */
	EMU16_FIXUP,            /* dst b, src a, table */
	EMU16_NOPS
};

void emu16_op(enum emu16_op op, const float *a, const float *b, int32_t table, float *y);
/* Whether math-body.h's float literals are the roundings of their derivations. */
bool emu16_constants_ok(void);
void emu16_op_avx512(enum emu16_op op, const float *a, const float *b, int32_t table,
		     float *y);
