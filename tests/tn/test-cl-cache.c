/* SPDX-License-Identifier: MIT */
/*
 * The OpenCL program cache (libtn(3), OPENCL), in a fresh XDG_CACHE_HOME:
 * two processes building at once leave one whole file and no temporary one;
 * the next process loads it; a damaged file is rebuilt and replaced; without
 * a usable cache directory the program still builds.  Exit 77 without an
 * OpenCL device.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tn-check.h"
#include "opencl/cl.h"

static char dir[] = "/tmp/tn-test-cl-cache.XXXXXX";
static char sub[sizeof(dir) + 32];

/* In a child with XDG_CACHE_HOME=home: 0 and from_cache 1, 2 for a program loaded, built. */
static int child_status(const char *home)
{
	pid_t pid = fork();
	int st;

	assert_true(pid >= 0);
	if (pid == 0) {
		struct tn__cl *cl;

		setenv("XDG_CACHE_HOME", home, 1);
		/* A relative XDG_CACHE_HOME is ignored; without HOME, there is no cache. */
		if (home[0] != '/')
			unsetenv("HOME");
		cl = tn__cl_get();
		_exit(!cl ? 3 : cl->from_cache ? 1 : 2);
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	return WEXITSTATUS(st);
}

/* The files in sub: their count; the one cache file's name into ret (size bytes). */
static int files(char *ret, size_t size)
{
	DIR *d = opendir(sub);
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' && (!e->d_name[1] || !strcmp(e->d_name, "..")))
			continue;
		/* Only KEY.bin: no temporary file left behind. */
		assert_non_null(strstr(e->d_name, ".bin"));
		assert_null(strchr(e->d_name, 'X'));
		snprintf(ret, size, "%s/%s", sub, e->d_name);
		n++;
	}
	closedir(d);
	return n;
}

static void test_cache(void **state)
{
	char path[512];
	pid_t a, b;
	int st, fd;

	(void)state;
	/* Two at once, both building from source. */
	a = fork();
	assert_true(a >= 0);
	if (a == 0)
		_exit(child_status(dir));
	b = fork();
	assert_true(b >= 0);
	if (b == 0)
		_exit(child_status(dir));
	assert_int_equal(waitpid(a, &st, 0), a);
	assert_true(WIFEXITED(st) && (WEXITSTATUS(st) == 1 || WEXITSTATUS(st) == 2));
	assert_int_equal(waitpid(b, &st, 0), b);
	assert_true(WIFEXITED(st) && (WEXITSTATUS(st) == 1 || WEXITSTATUS(st) == 2));
	assert_int_equal(files(path, sizeof(path)), 1);
	/* The next one loads it. */
	assert_int_equal(child_status(dir), 1);
	/* Damaged: rebuilt, replaced, then loaded again. */
	fd = open(path, O_WRONLY | O_TRUNC);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "garbage", 7), 7);
	close(fd);
	assert_int_equal(child_status(dir), 2);
	assert_int_equal(files(path, sizeof(path)), 1);
	assert_int_equal(child_status(dir), 1);
	/* No usable directory (XDG_CACHE_HOME relative, no HOME): built, not cached. */
	assert_int_equal(child_status("relative/not/used"), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = { cmocka_unit_test(test_cache) };
	char cmd[128];
	int r;

	if (!mkdtemp(dir))
		return 1;
	snprintf(sub, sizeof(sub), "%s/tn/opencl", dir);
	/* The device, probed in a child so that this process has no OpenCL state to fork. */
	r = child_status(dir);
	if (r == 3) {
		printf("no OpenCL device: skipped\n");
		r = 77;
	} else {
		/* Start from an empty cache. */
		snprintf(cmd, sizeof(cmd), "rm -rf %s/tn", dir);
		r = system(cmd) != 0 ? 1 : cmocka_run_group_tests_name("tn-cl-cache", tests, NULL, NULL);
	}
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0 && r == 0)
		r = 1;
	return r;
}
