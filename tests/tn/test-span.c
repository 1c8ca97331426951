/* SPDX-License-Identifier: MIT */
/* Spans: TN_SPAN_FD (or TN_TRACE_FD) at start-up and tn_span_set_fd() write tn-events(5) span records. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "tn-check.h"

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Reads what is in the pipe now (its writer closed, or non-blocking). */
static size_t drain(int fd, char *buf, size_t cap)
{
	size_t len = 0;
	ssize_t r;

	while (len + 1 < cap && (r = read(fd, buf + len, cap - 1 - len)) > 0)
		len += (size_t)r;
	buf[len] = '\0';
	return len;
}

/* Checks one span line against what the call was. */
static void check_span(const char *line, const char *name, size_t n, size_t bytes,
		       pid_t pid, uint64_t t0, uint64_t t1)
{
	json_error_t err;
	json_t *j = json_loads(line, 0, &err);
	enum tn_op op;

	if (!j)
		fail_msg("not JSON: %s (%s)", line, err.text);
	assert_int_equal(tn_op_from_name(name, &op), 0);
	assert_string_equal(json_string_value(json_object_get(j, "type")), "span");
	assert_string_equal(json_string_value(json_object_get(j, "name")), name);
	assert_string_equal(json_string_value(json_object_get(j, "backend")),
			    tn_backend_name(tn_op_backend(op)));
	assert_string_equal(json_string_value(json_object_get(j, "phase")), "kernel");
	assert_int_equal(json_integer_value(json_object_get(j, "n")), n);
	assert_int_equal(json_integer_value(json_object_get(j, "bytes")), bytes);
	assert_int_equal(json_integer_value(json_object_get(j, "pid")), pid);
	assert_true(json_is_integer(json_object_get(j, "tid")));
	assert_true(json_is_integer(json_object_get(j, "ts")));
	assert_true(json_is_integer(json_object_get(j, "dur")));
	uint64_t ts = (uint64_t)json_integer_value(json_object_get(j, "ts"));
	uint64_t dur = (uint64_t)json_integer_value(json_object_get(j, "dur"));
	assert_true(ts >= t0 && ts + dur <= t1);
	json_decref(j);
}

static void test_set_fd(void **state)
{
	int p[2];
	float x[100], y[100];
	char buf[4096], *nl;
	uint64_t t0, t1;

	(void)state;
	for (int i = 0; i < 100; i++)
		x[i] = (float)i;
	assert_int_equal(pipe2(p, O_NONBLOCK), 0);
	assert_int_equal(tn_span_fd(), -1);
	tn_span_set_fd(p[1]);
	assert_int_equal(tn_span_fd(), p[1]);
	t0 = now_ns();
	assert_true(tn_dot(100, x, x) == 328350.0f);
	tn_add(17, x, x, y);
	t1 = now_ns();
	tn_span_set_fd(-1);
	assert_int_equal(tn_span_fd(), -1);
	tn_sum(100, x);                 /* off: nothing written */
	drain(p[0], buf, sizeof(buf));
	nl = strchr(buf, '\n');
	assert_non_null(nl);
	*nl = '\0';
	check_span(buf, "dot", 100, 800, getpid(), t0, t1);
	check_span(nl + 1, "add", 17, 17 * 12, getpid(), t0, t1);
	nl = strchr(nl + 1, '\n');
	assert_non_null(nl);
	assert_string_equal(nl + 1, "");
	close(p[0]);
	close(p[1]);
}

/* The names before 0.2 are the same functions, still exported. */
static void test_old_names(void **state)
{
	(void)state;
	assert_int_equal(tn_trace_fd(), -1);
	tn_trace_set_fd(7);
	assert_int_equal(tn_span_fd(), 7);
	assert_int_equal(tn_trace_fd(), 7);
	tn_span_set_fd(-1);
	assert_int_equal(tn_trace_fd(), -1);
}

/* This program, by the path it was started with (/proc/self/exe would be valgrind's tool). */
static const char *self;

/*
 * A child started with TN_SPAN_FD=span and TN_TRACE_FD=trace (NULL: unset),
 * and fds 8 and 9 open on a pipe when open9.
 */
static pid_t spawn2(const char *span, const char *trace, bool open9, int *ret_read)
{
	int p[2];
	pid_t pid;

	assert_int_equal(pipe(p), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (open9) {
			dup2(p[1], 8);
			dup2(p[1], 9);
		} else {
			close(8);
			close(9);
		}
		close(p[0]);
		close(p[1]);
		unsetenv("TN_SPAN_FD");
		unsetenv("TN_TRACE_FD");
		if (span)
			setenv("TN_SPAN_FD", span, 1);
		if (trace)
			setenv("TN_TRACE_FD", trace, 1);
		execl(self, self, "child", (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	*ret_read = p[0];
	return pid;
}

/* A child started with TN_TRACE_FD=value (and fd 9 open on a pipe when open9). */
static pid_t spawn(const char *value, bool open9, int *ret_read)
{
	return spawn2(NULL, value, open9, ret_read);
}

static void test_env(void **state)
{
	char buf[4096];
	int fd, status;
	uint64_t t0 = now_ns(), t1;
	pid_t pid = spawn("9", true, &fd);

	(void)state;
	drain(fd, buf, sizeof(buf));
	close(fd);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	t1 = now_ns();
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	/* The child wrote one sum span of 1000 elements, its only line. */
	assert_non_null(strchr(buf, '\n'));
	assert_string_equal(strchr(buf, '\n') + 1, "");
	*strchr(buf, '\n') = '\0';
	check_span(buf, "sum", 1000, 4000, pid, t0, t1);
}

/* Not a number, or a descriptor that is not open: tracing stays off. */
static void test_env_bad(void **state)
{
	static const struct {
		const char *value;
		bool open9;
	} cases[] = { { "9x", true }, { "-1", true }, { "", true }, { "9", false },
		      { "99999999999", true } };

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char buf[256];
		int fd, status;
		pid_t pid = spawn(cases[i].value, cases[i].open9, &fd);

		assert_int_equal(drain(fd, buf, sizeof(buf)), 0);
		close(fd);
		assert_int_equal(waitpid(pid, &status, 0), pid);
		/* Exit 3: the child found tracing off (see main). */
		assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 3);
	}
}

/* TN_SPAN_FD alone, and beside TN_TRACE_FD: TN_SPAN_FD wins unless unset or empty. */
static void test_env_span(void **state)
{
	static const struct {
		const char *span, *trace;
		bool open9;
		int status;             /* the child's: 0 spans on 9, 3 off, 10 + fd otherwise */
	} cases[] = {
		{ "9", NULL, true, 0 },
		{ "8", "9", true, 18 },
		{ "9", "8", true, 0 },
		{ "", "9", true, 0 },
		{ "9x", "9", true, 3 },
		{ "9", "9", false, 3 },
		{ "-1", NULL, true, 3 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char buf[4096];
		int fd, status;
		uint64_t t0 = now_ns(), t1;
		pid_t pid = spawn2(cases[i].span, cases[i].trace, cases[i].open9, &fd);
		size_t len = drain(fd, buf, sizeof(buf));

		close(fd);
		assert_int_equal(waitpid(pid, &status, 0), pid);
		t1 = now_ns();
		assert_true(WIFEXITED(status));
		if (WEXITSTATUS(status) != cases[i].status)
			fail_msg("TN_SPAN_FD=%s TN_TRACE_FD=%s: exit %d, want %d",
				 cases[i].span ? cases[i].span : "(unset)",
				 cases[i].trace ? cases[i].trace : "(unset)",
				 WEXITSTATUS(status), cases[i].status);
		if (cases[i].status == 3) {
			assert_int_equal(len, 0);
			continue;
		}
		assert_non_null(strchr(buf, '\n'));
		assert_string_equal(strchr(buf, '\n') + 1, "");
		*strchr(buf, '\n') = '\0';
		check_span(buf, "sum", 1000, 4000, pid, t0, t1);
	}
}

int main(int argc, char **argv)
{
	self = argv[0];
	if (argc > 1 && strcmp(argv[1], "child") == 0) {
		float x[1000];

		for (int i = 0; i < 1000; i++)
			x[i] = 1.0f;
		if (tn_sum(1000, x) != 1000.0f)
			return 1;
		return tn_span_fd() == 9 ? 0 : tn_span_fd() < 0 ? 3 : 10 + tn_span_fd();
	}

	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_set_fd),
		cmocka_unit_test(test_env),
		cmocka_unit_test(test_env_bad),
		cmocka_unit_test(test_old_names),
		cmocka_unit_test(test_env_span),
	};

	return tn_check_run("tn-span", tests);
}
