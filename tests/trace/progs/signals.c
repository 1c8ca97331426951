/* Signals and job control: 3 SIGUSR1 to a handler; a child that stops
 * itself with SIGSTOP and is continued by its parent; exit 0. */
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t got;

static void on_usr1(int sig)
{
	(void)sig;
	got++;
}

int main(void)
{
	struct sigaction sa = { .sa_handler = on_usr1 };
	int st;
	pid_t p;

	sigaction(SIGUSR1, &sa, NULL);
	for (int i = 0; i < 3; i++)
		kill(getpid(), SIGUSR1);
	if (got != 3)
		return 1;
	p = fork();
	if (p == 0) {
		kill(getpid(), SIGSTOP);
		for (int i = 0; i < 4; i++)
			syscall(SYS_getppid);
		_exit(0);
	}
	if (waitpid(p, &st, WUNTRACED) != p || !WIFSTOPPED(st))
		return 2;
	kill(p, SIGCONT);
	if (waitpid(p, &st, 0) != p || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return 3;
	return 0;
}
