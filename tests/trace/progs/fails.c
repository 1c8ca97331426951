/* open() of a missing file fails exactly 17 times with ENOENT; exit 42. */
#include <fcntl.h>
#include <unistd.h>

int main(void)
{
	for (int i = 0; i < 17; i++)
		if (open("/nonexistent/tn-trace-test", O_RDONLY) >= 0)
			return 1;
	return 42;
}
