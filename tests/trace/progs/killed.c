/* Makes 3 getpid calls, then kills itself with SIGKILL. */
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
	for (int i = 0; i < 3; i++)
		syscall(SYS_getpid);
	kill(getpid(), SIGKILL);
	return 0;
}
