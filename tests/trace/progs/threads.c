/* 4 threads and the main thread each make exactly 1000 getpid calls. */
#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>

#define CALLS 1000
#define THREADS 4

static void *work(void *arg)
{
	for (int i = 0; i < CALLS; i++)
		syscall(SYS_getpid);
	return arg;
}

int main(void)
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
