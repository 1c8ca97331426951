/* The leader ends with SYS_exit (not exit_group) before its 2 threads;
 * each thread then makes exactly 50 getpid calls, and the second ends the
 * process with exit(5). */
#include <pthread.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

static pthread_barrier_t start, done;

static void *work(void *arg)
{
	pthread_barrier_wait(&start);
	usleep(20000);
	for (int i = 0; i < 50; i++)
		syscall(SYS_getpid);
	pthread_barrier_wait(&done);
	if (arg)
		exit(5);
	return arg;
}

int main(void)
{
	pthread_t t[2];

	pthread_barrier_init(&start, NULL, 3);
	pthread_barrier_init(&done, NULL, 2);
	pthread_create(&t[0], NULL, work, NULL);
	pthread_create(&t[1], NULL, work, (void *)1);
	pthread_barrier_wait(&start);
	syscall(SYS_exit, 0);
	return 1;
}
