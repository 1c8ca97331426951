/* SLEEF's 8-wide AVX2 functions over arrays, for the comparison in bench-math.c. */
#include <immintrin.h>
#include <stddef.h>

#include <sleef.h>

#include "peers.h"

/* n is a multiple of 8 (the benchmark uses 4096). */
void peer_exp8(size_t n, const float *x, float *y)
{
	for (size_t i = 0; i < n; i += 8)
		_mm256_storeu_ps(y + i, Sleef_expf8_u10(_mm256_loadu_ps(x + i)));
}

void peer_log8(size_t n, const float *x, float *y)
{
	for (size_t i = 0; i < n; i += 8)
		_mm256_storeu_ps(y + i, Sleef_logf8_u10(_mm256_loadu_ps(x + i)));
}

void peer_tanh8_u10(size_t n, const float *x, float *y)
{
	for (size_t i = 0; i < n; i += 8)
		_mm256_storeu_ps(y + i, Sleef_tanhf8_u10(_mm256_loadu_ps(x + i)));
}

void peer_tanh8_u35(size_t n, const float *x, float *y)
{
	for (size_t i = 0; i < n; i += 8)
		_mm256_storeu_ps(y + i, Sleef_tanhf8_u35(_mm256_loadu_ps(x + i)));
}

/* sigmoid as 1 / (1 + e^-x) */
void peer_sigmoid8(size_t n, const float *x, float *y)
{
	const __m256 one = _mm256_set1_ps(1.0f), sign = _mm256_set1_ps(-0.0f);

	for (size_t i = 0; i < n; i += 8) {
		__m256 e = Sleef_expf8_u10(_mm256_xor_ps(_mm256_loadu_ps(x + i), sign));

		_mm256_storeu_ps(y + i, _mm256_div_ps(one, _mm256_add_ps(one, e)));
	}
}
