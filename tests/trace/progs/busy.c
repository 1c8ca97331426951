/* Calls getpid N times (argv[1]), or forever, as fast as it can: fills
 * tn-trace's output ring within a second, for the fault tests. */
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : -1;

	for (long i = 0; n < 0 || i < n; i++)
		syscall(SYS_getpid);
	return 0;
}
