/* 32-bit syscalls from a 64-bit process: int $0x80 with the i386 numbers
 * of getpid (20) three times and getppid (64) twice.  Exits 77 where the
 * kernel has no 32-bit entry (or on other architectures). */
#include <stdio.h>

#if defined(__x86_64__)
static long int80(long nr)
{
	long ret;

	__asm__ volatile("int $0x80" : "=a"(ret) : "a"(nr) : "memory", "r8", "r9", "r10", "r11");
	return ret;
}

int main(void)
{
	if (int80(20) < 0) {
		puts("no 32-bit syscall entry");
		return 77;
	}
	int80(20);
	int80(20);
	int80(64);
	int80(64);
	return 0;
}
#else
int main(void)
{
	puts("int $0x80 only exists on x86_64");
	return 77;
}
#endif
