/* The math kernels for AVX-512F/DQ: math-body.h over isa-avx512.h. */
#include "isa-avx512.h"
#include "math-body.h"
