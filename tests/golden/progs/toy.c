/* SPDX-License-Identifier: MIT */
/*
 * A small stand-in example for the tests of the golden workflow
 * (tests/golden/): it uses libtn's public API only, prints a deterministic
 * table and does some compute (spans) in a loop.  Two variants are built
 * from this same source:
 *
 *   -DTN_PLANT_EXTRA_WRITE  one more write(2) (to standard error, empty
 *                           line) in the loop's 4th pass: a behaviour change
 *   -DTN_PLANT_SLOWDOWN     each dot of the timed loop takes 20% more
 *                           elements: its spans 20% slower
 *   -DTN_PLANT_BURST        a burst of load: counting its runs in the file
 *                           "runs" of the working directory, the 11th to
 *                           the 20th take twice the work, the others not
 *                           (twice, not 20% more: what this tests is that
 *                           a burst is not confirmed, so it must be seen
 *                           first, even on a machine loaded by other tests)
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <tn/tn.h>

#define ROUNDS 100
#ifdef TN_PLANT_SLOWDOWN
#define WORK (BIG / 5 * 6)
#elif defined(TN_PLANT_BURST)
#define WORK (burst_run() ? BIG / 5 * 10 : BIG / 5 * 5)
#include <fcntl.h>
/* this run's number, from 1, counted in ./runs; whether it is in the burst */
static int burst_run(void)
{
	static int n;
	char buf[16] = "0";
	int fd;

	if (n)
		return n > 10 && n <= 20;
	fd = open("runs", O_RDWR | O_CREAT, 0644);
	if (fd < 0)
		return 0;
	if (read(fd, buf, sizeof(buf) - 1) < 0)
		buf[0] = '0';
	n = atoi(buf) + 1;
	if (lseek(fd, 0, SEEK_SET) == 0 && dprintf(fd, "%d\n", n) < 0)
		n = 1;
	close(fd);
	return n > 10 && n <= 20;
}
#else
#define WORK (BIG / 5 * 5)
#endif

int main(void)
{
	enum { BIG = 1 << 16 };
	static float a[BIG * 2], b[BIG * 2];
	volatile float keep = 0.0f;

	for (int i = 0; i < BIG * 2; i++) {
		a[i] = (float)(i % 17) / 16.0f;
		b[i] = (float)(i % 5) / 4.0f;
	}
	for (int row = 0; row < 8; row++) {
		size_t n = (size_t)64 << (row % 4);

		printf("%zu %.3f %.3f\n", n, (double)tn_dot(n, a, b), (double)tn_sum(n, a));
		fflush(stdout);
#ifdef TN_PLANT_EXTRA_WRITE
		if (row == 3 && write(2, "\n", 1) < 0)
			return 1;
#endif
	}
	/* the timed work: its results kept, so the compiler keeps the calls */
	for (int r = 0; r < ROUNDS; r++)
		keep += tn_dot(WORK, a, b);
	/* its value differs in its last bits from backend to backend: not shown */
	printf("%s\n", keep > 0.0f ? "done" : "wrong");
	return 0;
}
