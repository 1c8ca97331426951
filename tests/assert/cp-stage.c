/* SPDX-License-Identifier: MIT */
/*
 * A stage of a pipeline whose timing is known, for the critical-path test
 * of pipeline.py:
 *   cp-stage write MS   sleeps MS milliseconds, writes a line, exits
 *   cp-stage read MS    reads its input to the end, sleeps MS, exits
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void nap(long ms)
{
	struct timespec t = { .tv_sec = ms / 1000, .tv_nsec = ms % 1000 * 1000000 };

	while (nanosleep(&t, &t) != 0)
		;
}

int main(int argc, char **argv)
{
	char buf[4096];
	ssize_t n;

	if (argc != 3 || (strcmp(argv[1], "write") && strcmp(argv[1], "read"))) {
		fputs("usage: cp-stage write|read MS\n", stderr);
		return 2;
	}
	if (!strcmp(argv[1], "write")) {
		nap(atol(argv[2]));
		return write(1, "x\n", 2) == 2 ? 0 : 1;
	}
	while ((n = read(0, buf, sizeof(buf))) > 0)
		;
	nap(atol(argv[2]));
	return n < 0;
}
