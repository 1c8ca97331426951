/* SPDX-License-Identifier: MIT */
/* Unit tests of tn-compare's normalisation: path rules, fds, pids, noise. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cmocka.h>

#include "internal.h"

static void path_is(struct tn_cmp *c, struct tn_cmp_run *r, const char *in, const char *want)
{
	char *out = NULL;
	size_t cap = 0;
	long n = tn_cmp_norm_path(c, r, in, strlen(in), &out, &cap);

	assert_true(n >= 0);
	assert_string_equal(out, want);
	free(out);
}

static void test_paths(void **state)
{
	struct tn_cmp_opts o;
	struct tn_error e = { 0 };
	struct tn_cmp *c;
	struct tn_cmp_run r = { 0 };

	(void)state;
	setenv("HOME", "/home/carol/", 1);
	unsetenv("TMPDIR");
	assert_int_equal(tn_cmp_opts_init(&o, &e), 0);
	assert_int_equal(tn_cmp_opts_map(&o, "/opt/v2=/opt/v1", &e), 0);
	c = tn_cmp_new(&o);
	assert_non_null(c);
	r.exedir = strdup("/srv/build/tests");
	r.cwd = strdup("/srv/build/tests/work");
	path_is(c, &r, "/srv/build/tests/work/out.txt", "$CWD/out.txt");  /* the longer match */
	path_is(c, &r, "/srv/build/tests/data.txt", "$EXEDIR/data.txt");
	path_is(c, &r, "/srv/build/tests", "$EXEDIR");
	path_is(c, &r, "/srv/build/testsuite/x", "/srv/build/testsuite/x");  /* not a component */
	path_is(c, &r, "/home/carol/.config/x", "$HOME/.config/x");
	path_is(c, &r, "/home/dave/out.txt", "$HOME/out.txt");
	path_is(c, &r, "/root/out.txt", "$HOME/out.txt");
	path_is(c, &r, "/tmp/tmp.Ab3xQ9/f", "$TMP/*/f");
	path_is(c, &r, "/tmp/out.k2J8sd", "$TMP/*");
	path_is(c, &r, "/opt/v2/lib/a.so", "/opt/v1/lib/a.so");
	path_is(c, &r, "pipe:[123456]", "pipe:[N]");
	path_is(c, &r, "/proc/4242/status", "/proc/PID/status");
	path_is(c, &r, "/etc/passwd", "/etc/passwd");
	free(r.exedir);
	free(r.cwd);
	tn_cmp_free(c);
	tn_cmp_opts_fini(&o);
}

static int memfd(const char *text)
{
	int fd = memfd_create("stream", 0);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	lseek(fd, 0, SEEK_SET);
	return fd;
}

#define HDR "{\"type\":\"header\",\"schema\":1,\"producer\":\"tn-trace\",\"argv\":[\"/b/prog\"]}\n"

/* Golden and new differ in pids, tids, fd numbers, addresses and times only. */
static const char *golden =
	HDR
	"{\"type\":\"proc\",\"ts\":1,\"pid\":10,\"tid\":10,\"via\":\"spawn\",\"thread\":false}\n"
	"{\"type\":\"syscall\",\"ts\":2,\"pid\":10,\"tid\":10,\"name\":\"openat\",\"nr\":257,\"arch\":\"x86_64\",\"args\":[-100,\"0x7f00\",0,0],\"path\":\"/etc/a\",\"ret\":3,\"dur\":5}\n"
	"{\"type\":\"syscall\",\"ts\":3,\"pid\":10,\"tid\":10,\"name\":\"futex\",\"nr\":202,\"arch\":\"x86_64\",\"args\":[\"0x7f10\",0,0],\"ret\":0,\"dur\":5}\n"
	"{\"type\":\"proc\",\"ts\":4,\"pid\":10,\"tid\":11,\"via\":\"clone\",\"thread\":true}\n"
	"{\"type\":\"syscall\",\"ts\":5,\"pid\":10,\"tid\":11,\"name\":\"read\",\"nr\":0,\"arch\":\"x86_64\",\"args\":[3,\"0x7f20\",10],\"fdpath\":\"/etc/a\",\"ret\":10,\"dur\":5}\n"
	"{\"type\":\"syscall\",\"ts\":6,\"pid\":10,\"tid\":10,\"name\":\"close\",\"nr\":3,\"arch\":\"x86_64\",\"args\":[3],\"ret\":0,\"dur\":5}\n"
	"{\"type\":\"exit\",\"ts\":7,\"pid\":10,\"tid\":10,\"thread\":false,\"code\":0}\n";

static const char *renumbered =
	HDR
	"{\"type\":\"proc\",\"ts\":91,\"pid\":500,\"tid\":500,\"via\":\"spawn\",\"thread\":false}\n"
	"{\"type\":\"syscall\",\"ts\":92,\"pid\":500,\"tid\":500,\"name\":\"openat\",\"nr\":257,\"arch\":\"x86_64\",\"args\":[-100,\"0x7e00\",0,0],\"path\":\"/etc/a\",\"ret\":7,\"dur\":9}\n"
	"{\"type\":\"proc\",\"ts\":94,\"pid\":500,\"tid\":503,\"via\":\"clone\",\"thread\":true}\n"
	"{\"type\":\"syscall\",\"ts\":95,\"pid\":500,\"tid\":503,\"name\":\"read\",\"nr\":0,\"arch\":\"x86_64\",\"args\":[7,\"0x7e20\",10],\"fdpath\":\"/etc/a\",\"ret\":10,\"dur\":9}\n"
	"{\"type\":\"syscall\",\"ts\":96,\"pid\":500,\"tid\":500,\"name\":\"close\",\"nr\":3,\"arch\":\"x86_64\",\"args\":[7],\"ret\":0,\"dur\":9}\n"
	"{\"type\":\"exit\",\"ts\":97,\"pid\":500,\"tid\":500,\"thread\":false,\"code\":0}\n";

static int compare(const char *g, const char *n, const char *keep, char **report)
{
	struct tn_cmp_opts o;
	struct tn_error e = { 0 };
	struct tn_cmp *c;
	static struct tn_ev_out out;
	int fg = memfd(g), fn = memfd(n), fo = memfd_create("out", 0), rc;
	off_t len;

	assert_int_equal(tn_cmp_opts_init(&o, &e), 0);
	if (keep)
		assert_int_equal(tn_cmp_opts_noise(&o, keep, false, &e), 0);
	c = tn_cmp_new(&o);
	assert_int_equal(tn_cmp_read_fd(c, TN_CMP_GOLDEN, fg, "g", &e), 0);
	assert_int_equal(tn_cmp_read_fd(c, TN_CMP_NEW, fn, "n", &e), 0);
	tn_ev_out_init(&out, fo);
	rc = tn_cmp_report(c, &out, false, &e);
	assert_int_equal(tn_ev_out_flush(&out), 0);
	len = lseek(fo, 0, SEEK_CUR);
	*report = calloc(1, (size_t)len + 1);
	assert_int_equal(pread(fo, *report, (size_t)len, 0), len);
	close(fg);
	close(fn);
	close(fo);
	tn_cmp_free(c);
	tn_cmp_opts_fini(&o);
	return rc;
}

static void test_renumbered_is_same(void **state)
{
	char *rep;

	(void)state;
	/* futex is noise by default: its absence in the new run is not a change */
	assert_int_equal(compare(golden, renumbered, NULL, &rep), 0);
	assert_non_null(strstr(rep, "equivalent"));
	free(rep);
}

static void test_keep_futex(void **state)
{
	char *rep;

	(void)state;
	assert_int_equal(compare(golden, renumbered, "futex", &rep), 1);
	assert_non_null(strstr(rep, "-futex() = 0"));
	assert_non_null(strstr(rep, " close(fd3) = 0"));  /* fd 7 renumbered to 3 */
	assert_non_null(strstr(rep, "@@ process 1 (prog)"));
	free(rep);
}

static void test_thread_key(void **state)
{
	char *rep;
	/* the same read moved from the thread to the main thread: a change in both */
	char *moved = strdup(renumbered), *p = strstr(moved, "\"tid\":503,\"name\"");

	(void)state;
	memcpy(p, "\"tid\":500", 9);
	assert_int_equal(compare(golden, moved, NULL, &rep), 1);
	assert_non_null(strstr(rep, "@@ process 1t1 (prog)"));
	free(rep);
	free(moved);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_renumbered_is_same),
		cmocka_unit_test(test_keep_futex),
		cmocka_unit_test(test_thread_key),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
