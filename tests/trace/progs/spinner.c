/* Runs until killed: the main thread and one more each call getppid and
 * sleep 1 ms, forever.  For the attach and interrupt tests. */
#include <pthread.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static void *spin(void *arg)
{
	struct timespec ms = { 0, 1000000 };

	for (;;) {
		syscall(SYS_getppid);
		nanosleep(&ms, NULL);
	}
	return arg;
}

int main(void)
{
	pthread_t t;

	if (pthread_create(&t, NULL, spin, NULL) != 0)
		return 1;
	spin(NULL);
	return 0;
}
