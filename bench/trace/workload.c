/* The tracing workload of perf-anchors.md: N syscall(SYS_getpid), then M
 * one-byte writes to /dev/null.  Usage: trace-workload [N [M]]
 * (default 1000000 and N/10). */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 1000000;
	long m = argc > 2 ? atol(argv[2]) : n / 10;
	int fd;

	for (long i = 0; i < n; i++)
		syscall(SYS_getpid);
	fd = open("/dev/null", O_WRONLY);
	if (fd < 0)
		return 1;
	for (long i = 0; i < m; i++)
		if (write(fd, "x", 1) != 1)
			return 1;
	close(fd);
	return 0;
}
