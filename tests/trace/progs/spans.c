/* Linked with libtn: its spans under tn-trace (spans.sh).
 *   spans          3 tn_dot and 2 tn_matmul in the main thread, 1 tn_dot in
 *                  a second thread, 2 writes to /dev/null
 *   spans fork     that, and a child process that makes 2 tn_dot
 *   spans kill     that, then SIGKILL to itself
 *   spans loop N   N tn_dot of 16 elements and N getppid: the cost of a
 *                  span against that of a traced syscall */
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <tn/tn.h>

static float a[64], b[64], c[64];
static volatile float sink;

static void *thread_main(void *arg)
{
	(void)arg;
	sink = tn_dot(64, a, b);
	return NULL;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	pthread_t th;
	int fd;

	for (int i = 0; i < 64; i++) {
		a[i] = (float)i;
		b[i] = 1.0f;
	}
	if (strcmp(mode, "loop") == 0) {
		long n = argc > 2 ? atol(argv[2]) : 1000;
		for (long i = 0; i < n; i++)
			sink = tn_dot(16, a, b);
		for (long i = 0; i < n; i++)
			syscall(SYS_getppid);
		return 0;
	}
	fd = open("/dev/null", O_WRONLY);
	for (int i = 0; i < 3; i++)
		sink = tn_dot(64, a, b);
	if (write(fd, "x", 1) != 1)
		return 1;
	for (int i = 0; i < 2; i++)
		tn_matmul(8, 8, 8, a, 8, b, 8, c, 8);
	if (write(fd, "y", 1) != 1)
		return 1;
	if (pthread_create(&th, NULL, thread_main, NULL) != 0 || pthread_join(th, NULL) != 0)
		return 1;
	if (strcmp(mode, "fork") == 0) {
		pid_t p = fork();
		if (p == 0) {
			sink = tn_dot(64, a, b);
			sink = tn_dot(64, a, b);
			_exit(0);
		}
		if (p < 0 || waitpid(p, NULL, 0) != p)
			return 1;
	}
	if (strcmp(mode, "kill") == 0)
		kill(getpid(), SIGKILL);
	close(fd);
	return 0;
}
