/* The math kernels for plain C, one lane: math-body.h over isa-scalar.h. */
#include "isa-scalar.h"
#include "math-body.h"
