/* SLEEF's 16-wide AVX-512 functions over arrays, for the comparison in bench-math.c. */
#include <immintrin.h>
#include <stddef.h>

#include <sleef.h>

#include "peers.h"

/* n is a multiple of 16 (the benchmark uses 4096). */
void peer_exp16(size_t n, const float *x, float *y)
{
	for (size_t i = 0; i < n; i += 16)
		_mm512_storeu_ps(y + i, Sleef_expf16_u10(_mm512_loadu_ps(x + i)));
}

void peer_log16(size_t n, const float *x, float *y)
{
	for (size_t i = 0; i < n; i += 16)
		_mm512_storeu_ps(y + i, Sleef_logf16_u10(_mm512_loadu_ps(x + i)));
}

void peer_tanh16_u10(size_t n, const float *x, float *y)
{
	for (size_t i = 0; i < n; i += 16)
		_mm512_storeu_ps(y + i, Sleef_tanhf16_u10(_mm512_loadu_ps(x + i)));
}

void peer_tanh16_u35(size_t n, const float *x, float *y)
{
	for (size_t i = 0; i < n; i += 16)
		_mm512_storeu_ps(y + i, Sleef_tanhf16_u35(_mm512_loadu_ps(x + i)));
}

/* sigmoid as 1 / (1 + e^-x) */
void peer_sigmoid16(size_t n, const float *x, float *y)
{
	const __m512 one = _mm512_set1_ps(1.0f), sign = _mm512_set1_ps(-0.0f);

	for (size_t i = 0; i < n; i += 16) {
		__m512 e = Sleef_expf16_u10(_mm512_xor_ps(_mm512_loadu_ps(x + i), sign));

		_mm512_storeu_ps(y + i, _mm512_div_ps(one, _mm512_add_ps(one, e)));
	}
}
