/* SPDX-License-Identifier: MIT */
/*
 * Forced into an example's own source (-include) by tests/golden: the
 * example's 20th printf() makes one more write(2) first, one newline on
 * standard error, which the golden output does not compare. In the
 * example's loops, so the golden check must name the example, the write
 * and its place in the sequence.
 */
#include <stdio.h>
#include <unistd.h>

static inline int tn_plant_write(void)
{
	static int calls;

	if (++calls == 20 && write(2, "\n", 1) < 0)
		return -1;
	return 0;
}

#define printf(...) (tn_plant_write(), printf(__VA_ARGS__))
