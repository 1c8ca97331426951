/* 32-bit syscalls from a 64-bit process: int $0x80 with the i386 numbers
 * of getpid (20) three times and getppid (64) twice.  Exits 77 where the
 * kernel has no 32-bit entry (or on other architectures); "int80 probe"
 * only tells whether it has (int80.h). */
#include "int80.h"

int main(int argc, char **argv)
{
	INT80_PROBE(argc, argv);
#if defined(__x86_64__)
	if (int80(20, 0, 0, 0, 0, 0) < 0)
		return 77;
	int80(20, 0, 0, 0, 0, 0);
	int80(20, 0, 0, 0, 0, 0);
	int80(64, 0, 0, 0, 0, 0);
	int80(64, 0, 0, 0, 0, 0);
	return 0;
#endif
}
