/* SPDX-License-Identifier: MIT */
/* Text from the input made safe for a terminal: C-style escapes. */
#pragma once

#include <stddef.h>

/*
 * The rule of every message on standard error and every table (tn-events(5),
 * ESCAPING): valid UTF-8 passes, except that tab becomes \t, newline \n,
 * carriage return \r, and every other control character (U+0000 to U+001F,
 * U+007F to U+009F, C1 included) and every byte that is not part of valid
 * UTF-8 \xHH per byte (two lowercase hex digits).  So no input can start a
 * line, move the cursor or send an escape sequence.  A backslash passes as
 * it is (messages of libc and jansson hold some), so the escaped text is for
 * reading, not for decoding: the JSON output has the exact bytes.
 *
 * Writes the escaped form of s[0..n) to dst (at most size bytes with the
 * terminating NUL; cut on an escape or character boundary) and returns the
 * length of the whole escaped form (as snprintf: a result >= size means it
 * was cut).
 */
size_t tn_escape(char *dst, size_t size, const char *s, size_t n);

/* Whether s[0..n) is the same escaped: no byte needs an escape. */
int tn_escape_needed(const char *s, size_t n);
