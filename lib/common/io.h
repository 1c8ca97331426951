/* SPDX-License-Identifier: MIT */
/* The one I/O layer of tn: write-all, a monotonic clock, a hash, UTF-8. */
#pragma once

#include <stddef.h>
#include <stdint.h>

/*
 * Write all n bytes of p to fd, retrying on EINTR and short writes.
 * Returns 0, or -errno of the write that failed; *ret_done (when not NULL)
 * receives the number of bytes written either way.
 */
int tn_write_all(int fd, const void *p, size_t n, size_t *ret_done);

/* CLOCK_MONOTONIC in nanoseconds. */
uint64_t tn_now_ns(void);

/* FNV-1a, 64 bits: h is the running value, TN_FNV1A64_INIT to start. */
#define TN_FNV1A64_INIT 0xcbf29ce484222325ull
uint64_t tn_fnv1a64(uint64_t h, const void *p, size_t n);

/*
 * Length (1..4) of the valid UTF-8 sequence at s, of at most n bytes, or 0
 * when it is not valid UTF-8 (overlong forms, surrogates and code points
 * past U+10FFFF are invalid).
 */
size_t tn_utf8_char_len(const unsigned char *s, size_t n);

/* The length of the longest prefix of s[0..n) that is valid UTF-8. */
size_t tn_utf8_valid_prefix(const void *s, size_t n);
