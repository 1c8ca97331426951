/* 20 children forked at once, each with 3 more threads; every thread of
 * every child makes exactly 5 getpid calls.  New tracees often stop
 * before their parent's fork or clone event is seen.  Exits 0. */
#include <pthread.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define CHILDREN 20
#define THREADS 3

static void *work(void *arg)
{
	for (int i = 0; i < 5; i++)
		syscall(SYS_getpid);
	return arg;
}

static int child(void)
{
	pthread_t t[THREADS];

	for (int i = 0; i < THREADS; i++)
		if (pthread_create(&t[i], NULL, work, NULL) != 0)
			return 1;
	work(NULL);
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	return 0;
}

int main(void)
{
	int st, bad = 0;

	for (int i = 0; i < CHILDREN; i++) {
		pid_t p = fork();
		if (p == 0)
			_exit(child());
		if (p < 0)
			return 1;
	}
	for (int i = 0; i < CHILDREN; i++)
		if (wait(&st) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
			bad = 1;
	return bad;
}
