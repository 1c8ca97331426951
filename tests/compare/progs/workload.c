/* SPDX-License-Identifier: MIT */
/* A small program to trace for tn-compare's tests: MODE plants one change. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <tn/tn.h>

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "base";
	const char *home = getenv("HOME");
	char path[4096], rc[4096], buf[64];
	const char *slash = strrchr(argv[0], '/');
	float a[256], b[256];
	int in, out;

	/* data.txt beside the program (its build directory), out.txt here */
	snprintf(path, sizeof(path), "%.*s/data.txt", slash ? (int)(slash - argv[0]) : 1,
		 slash ? argv[0] : ".");
	snprintf(rc, sizeof(rc), "%s/.workloadrc", home ? home : "/nonexistent");
	access(rc, R_OK);
	in = open(strcmp(mode, "fail") ? path : "/nonexistent/data.txt", O_RDONLY);
	out = open(strcmp(mode, "otherfile") ? "out.txt" : "other.txt",
		   O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (out < 0)
		return 2;
	for (int i = 0; i < 8; i++) {
		ssize_t n = in >= 0 ? read(in, buf, 8) : 8;
		size_t len = n > 0 ? (size_t)n : 1;

		if (!strcmp(mode, "insert") && i == 5)
			lseek(out, 0, SEEK_CUR);
		if (!strcmp(mode, "reorder") && i == 3) {
			fsync(out);
			if (write(out, buf, len) < 0)
				return 2;
			continue;
		}
		if (write(out, buf, len) < 0)
			return 2;
		if (!(!strcmp(mode, "remove") && i == 6))
			fsync(out);
	}
	if (!strcmp(mode, "child")) {
		pid_t p = fork();

		if (p == 0) {
			if (write(out, "child\n", 6) < 0)
				_exit(1);
			_exit(0);
		}
		waitpid(p, NULL, 0);
	}
	/* some compute, on whatever backend TN_BACKEND says */
	for (int i = 0; i < 256; i++) {
		a[i] = (float)i;
		b[i] = 1.0f / (float)(i + 1);
	}
	printf("%g\n", (double)tn_dot(256, a, b));
	if (in >= 0)
		close(in);
	close(out);
	return 0;
}
