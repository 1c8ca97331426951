/* A non-leader thread calls execve; the new program makes exactly 5
 * getppid calls and exits 0.  The leader sits in pause(). */
#include <pthread.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static char *self;

static void *run(void *arg)
{
	execl(self, self, "after", (char *)NULL);
	return arg;
}

int main(int argc, char **argv)
{
	pthread_t t;

	if (argc > 1 && !strcmp(argv[1], "after")) {
		for (int i = 0; i < 5; i++)
			syscall(SYS_getppid);
		return 0;
	}
	self = argv[0];
	if (pthread_create(&t, NULL, run, NULL) != 0)
		return 1;
	for (;;)
		pause();
}
