/* Syscalls with numbers nobody knows: -1, 1023, 1024, 100000, 0x7fffffff, an
 * x32 number past the table, -2, each 3 times; then exits 0. */
#include <unistd.h>
#include <sys/syscall.h>
int main(void)
{
	long nrs[] = { -1L, 1023, 1024, 100000, 0x7fffffffL, 0x40000000L + 2000, -2L };
	for (int r = 0; r < 3; r++)
		for (unsigned i = 0; i < sizeof(nrs) / sizeof(*nrs); i++)
			syscall(nrs[i], 1, 2, 3);
	return 0;
}
