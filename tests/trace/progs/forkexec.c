/* A fork+exec chain and a vfork+exec: the leaves make exactly 7 getppid
 * calls each and exit 3; the top exits with the sum of their codes (6). */
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int st, sum = 0;
	pid_t p;

	if (argc > 1 && !strcmp(argv[1], "leaf")) {
		for (int i = 0; i < 7; i++)
			syscall(SYS_getppid);
		return 3;
	}
	if (argc > 1 && !strcmp(argv[1], "middle")) {
		/* fork + exec from a child of the top */
		p = fork();
		if (p == 0) {
			execl("/proc/self/exe", argv[0], "leaf", (char *)NULL);
			_exit(127);
		}
		waitpid(p, &st, 0);
		return WIFEXITED(st) ? WEXITSTATUS(st) : 100;
	}
	p = fork();
	if (p == 0) {
		execl("/proc/self/exe", argv[0], "middle", (char *)NULL);
		_exit(127);
	}
	waitpid(p, &st, 0);
	sum += WIFEXITED(st) ? WEXITSTATUS(st) : 100;
	p = vfork();
	if (p == 0) {
		execl("/proc/self/exe", argv[0], "leaf", (char *)NULL);
		_exit(127);
	}
	waitpid(p, &st, 0);
	sum += WIFEXITED(st) ? WEXITSTATUS(st) : 100;
	return sum;
}
