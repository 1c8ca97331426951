/* 32-bit syscalls from a 64-bit x86_64 process (int $0x80), and the probe
 * that tells whether this machine runs them: a kernel without its 32-bit
 * entry (ia32_emulation=0, no IA32_EMULATION) kills the caller with
 * SIGSEGV or answers ENOSYS.  A program that includes this runs the probe
 * when its first argument is "probe": exit 0 when 32-bit calls work, 77
 * when they do not (the test then counts as skipped).  The probe runs in
 * a child, so that the SIGSEGV does not end the program. */
#pragma once

#include <errno.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#if defined(__x86_64__)
/* Call nr with arguments a..e (ebx, ecx, edx, esi, edi). */
static long int80(long nr, long a, long b, long c, long d, long e)
{
	long ret;

	__asm__ volatile("int $0x80" : "=a"(ret)
			 : "a"(nr), "b"(a), "c"(b), "d"(c), "S"(d), "D"(e)
			 : "memory", "r8", "r9", "r10", "r11");
	return ret;
}

static int int80_probe(void)
{
	int st;
	pid_t p = fork();

	if (p == 0)
		_exit(int80(20 /* getpid */, 0, 0, 0, 0, 0) == -ENOSYS ? 77 : 0);
	if (p < 0 || waitpid(p, &st, 0) != p)
		return 1;
	if (WIFSIGNALED(st) || (WIFEXITED(st) && WEXITSTATUS(st) == 77))
		return 77;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}
#define INT80_PROBE(argc, argv) \
	do { \
		if ((argc) > 1 && !strcmp((argv)[1], "probe")) \
			return int80_probe(); \
	} while (0)
#else
#define INT80_PROBE(argc, argv) \
	do { \
		(void)(argc); \
		(void)(argv); \
		return 77;      /* int $0x80 only exists on x86_64 */ \
	} while (0)
#endif
