/* SPDX-License-Identifier: MIT */
/*
 * OpenBLAS as a benchmark peer: one thread, and the kernel it picks for this
 * CPU, not one an environment forced on it.  OpenBLAS reads OPENBLAS_CORETYPE,
 * OPENBLAS_L2_SIZE and OPENBLAS_NUM_THREADS once, when it is loaded, so the
 * program starts itself again with them set right.  TN_BENCH_OPENBLAS_CORETYPE
 * names a kernel on purpose: for a CPU newer than the OpenBLAS at hand, which
 * otherwise falls back to its slowest kernel (0.3.21 on Emerald Rapids picks
 * Prescott, SSE3, and runs sgemm at a fifth of its SkylakeX speed).
 */
#ifndef TN_BENCH_OPENBLAS_ENV_H
#define TN_BENCH_OPENBLAS_ENV_H

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cblas.h>

static bool bench_same(const char *a, const char *b)
{
	return a ? b && strcmp(a, b) == 0 : !b;
}

/* Returns only when the environment is right; -1 when the restart failed. */
static int bench_openblas_env(const char *prog, char **argv)
{
	const char *want = getenv("TN_BENCH_OPENBLAS_CORETYPE");

	if (want && !want[0])
		want = NULL;
	if (bench_same(want, getenv("OPENBLAS_CORETYPE")) && !getenv("OPENBLAS_L2_SIZE") &&
	    bench_same("1", getenv("OPENBLAS_NUM_THREADS"))) {
		openblas_set_num_threads(1);
		return 0;
	}
	if (want)
		setenv("OPENBLAS_CORETYPE", want, 1);
	else
		unsetenv("OPENBLAS_CORETYPE");
	unsetenv("OPENBLAS_L2_SIZE");
	setenv("OPENBLAS_NUM_THREADS", "1", 1);
	execv("/proc/self/exe", argv);
	fprintf(stderr, "%s: cannot start again with OpenBLAS's variables set: %s\n", prog, strerror(errno));
	return -1;
}

/* One line: the build, the kernel, and how it was chosen. */
static void bench_openblas_say(void)
{
	const char *want = getenv("OPENBLAS_CORETYPE");
	const char *core = openblas_get_corename();

	printf("OpenBLAS: %s, kernel %s, 1 thread, ", openblas_get_config(), core);
	if (want)
		printf("kernel named by TN_BENCH_OPENBLAS_CORETYPE=%s\n", want);
	else
		printf("kernel of its own choice (OPENBLAS_CORETYPE, OPENBLAS_L2_SIZE unset)\n");
	if (!want && (strcmp(core, "Prescott") == 0 || strcmp(core, "Core2") == 0 ||
		      strcmp(core, "Nehalem") == 0 || strcmp(core, "Sandybridge") == 0) &&
	    __builtin_cpu_supports("avx2"))
		printf("WARNING: this OpenBLAS does not know this CPU and fell back to its %s kernel,\n"
		       "  so the ratios below flatter libtn; name a kernel this CPU runs, e.g.\n"
		       "  TN_BENCH_OPENBLAS_CORETYPE=%s\n", core,
		       __builtin_cpu_supports("avx512f") ? "SkylakeX" : "Haswell");
}

#endif
