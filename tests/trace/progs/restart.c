/* A child sleeps 400 ms; its parent stops it (SIGSTOP) and continues it
 * (SIGCONT) meanwhile.  The kernel restarts the sleep: clock_nanosleep
 * ends with ERESTART_RESTARTBLOCK and restart_syscall finishes it.  Exit 0. */
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(void)
{
	struct timespec nap = { 0, 400000000 }, pause_ = { 0, 100000000 };
	int st;
	pid_t p = fork();

	if (p == 0) {
		nanosleep(&nap, NULL);
		_exit(0);
	}
	nanosleep(&pause_, NULL);
	kill(p, SIGSTOP);
	if (waitpid(p, &st, WUNTRACED) != p || !WIFSTOPPED(st))
		return 1;
	kill(p, SIGCONT);
	if (waitpid(p, &st, 0) != p || !WIFEXITED(st))
		return 2;
	return WEXITSTATUS(st);
}
