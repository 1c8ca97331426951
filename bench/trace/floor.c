/* The floor of ptrace tracing: run a command and do nothing at each stop
 * but wait for it and resume it (PTRACE_SYSCALL), passing signals on.
 * No registers read, no output.  Usage: trace-floor COMMAND [ARG]... */
#include <signal.h>
#include <stdio.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	unsigned long stops = 0;
	int st, code = 1;
	pid_t pid;

	if (argc < 2) {
		fprintf(stderr, "usage: trace-floor COMMAND [ARG]...\n");
		return 2;
	}
	pid = fork();
	if (pid == 0) {
		syscall(SYS_kill, getpid(), SIGSTOP);
		execvp(argv[1], argv + 1);
		_exit(127);
	}
	if (waitpid(pid, &st, WSTOPPED) != pid ||
	    ptrace(PTRACE_SEIZE, pid, 0L, (long)(PTRACE_O_TRACESYSGOOD | PTRACE_O_EXITKILL)) < 0) {
		perror("trace-floor");
		return 1;
	}
	kill(pid, SIGCONT);
	for (;;) {
		pid_t w = waitpid(-1, &st, __WALL);
		int sig = 0;

		if (w < 0)
			break;
		if (WIFEXITED(st) || WIFSIGNALED(st)) {
			if (w == pid)
				code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
			continue;
		}
		if (WSTOPSIG(st) == (SIGTRAP | 0x80))
			stops++;
		else if ((st >> 16) == 0 && WSTOPSIG(st) != SIGCONT)
			sig = WSTOPSIG(st);
		ptrace(PTRACE_SYSCALL, w, 0L, (long)sig);
	}
	fprintf(stderr, "trace-floor: %lu syscall stops\n", stops);
	return code;
}
