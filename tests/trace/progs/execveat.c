/* A thread (not the leader) runs this program again through execveat (by
 * its descriptor, AT_EMPTY_PATH), and the new program does the same once
 * more: with the execve that started it, execve 1 and execveat 2, as
 * strace -f -c counts them.  Each program makes 1 getppid.  Exit 0. */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

extern char **environ;
static char *self;
static const char *next;

static void *run(void *arg)
{
	char *argv[] = { self, (char *)next, NULL };
	int fd = open(self, O_RDONLY | O_CLOEXEC);

	if (fd >= 0)
		syscall(SYS_execveat, fd, "", argv, environ, AT_EMPTY_PATH);
	return arg;
}

int main(int argc, char **argv)
{
	pthread_t t;
	const char *stage = argc > 1 ? argv[1] : "0";

	syscall(SYS_getppid);
	self = argv[0];
	if (!strcmp(stage, "0"))
		next = "1";
	else if (!strcmp(stage, "1"))
		next = "2";
	else
		return 0;
	if (pthread_create(&t, NULL, run, NULL) != 0)
		return 1;
	for (;;)
		pause();
}
