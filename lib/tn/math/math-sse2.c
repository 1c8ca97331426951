/* The math kernels for SSE2 only: math-body.h over isa-sse2.h. */
#include "isa-sse2.h"
#include "math-body.h"
