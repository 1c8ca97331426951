/* emu16-ops.h on the hardware: isa-avx512.h's spelling of each instruction. */
#include <stddef.h>

#include "isa-avx512.h"
#include "emu16-ops.h"

#define EMU16_OP_FN emu16_op_avx512
#include "emu16-op-body.h"
