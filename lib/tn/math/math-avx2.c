/* The math kernels for AVX2 (compiled with -mavx2 -mfma, no fused operations used): math-body.h over isa-avx2.h. */
#include "isa-avx2.h"
#include "math-body.h"
