/* open() of a missing file fails exactly 17 times with ENOENT; then one
 * byte is written to /dev/null through a descriptor; exit 42. */
#include <fcntl.h>
#include <unistd.h>

int main(void)
{
	int fd;

	for (int i = 0; i < 17; i++)
		if (open("/nonexistent/tn-trace-test", O_RDONLY) >= 0)
			return 1;
	fd = open("/dev/null", O_WRONLY);
	if (fd < 0 || write(fd, "x", 1) != 1)
		return 1;
	close(fd);
	return 42;
}
