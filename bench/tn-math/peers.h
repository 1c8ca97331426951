/* The peers of bench-math.c: SLEEF's vector functions, built with their ISA's flags. */
#pragma once

#include <stddef.h>

typedef void (*peer_fn)(size_t n, const float *x, float *y);

void peer_exp8(size_t n, const float *x, float *y);
void peer_log8(size_t n, const float *x, float *y);
void peer_tanh8_u10(size_t n, const float *x, float *y);
void peer_tanh8_u35(size_t n, const float *x, float *y);
void peer_sigmoid8(size_t n, const float *x, float *y);
void peer_exp16(size_t n, const float *x, float *y);
void peer_log16(size_t n, const float *x, float *y);
void peer_tanh16_u10(size_t n, const float *x, float *y);
void peer_tanh16_u35(size_t n, const float *x, float *y);
void peer_sigmoid16(size_t n, const float *x, float *y);
