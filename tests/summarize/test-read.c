/* Unit tests of tn_sum_read_fd(), the read loop of tn-summarize (lib/summary/read.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "read.h"

#define SYS(name) "{\"type\":\"syscall\",\"name\":\"" name "\",\"ret\":0,\"dur\":10}\n"
#define ODD "{\"type\":\"future-kind\",\"x\":1}\n"

/* A pipe holding text, closed for writing; returns the read end. */
static int pipe_of(const char *text)
{
	int p[2];

	assert_int_equal(pipe(p), 0);
	assert_int_equal(write(p[1], text, strlen(text)), (ssize_t)strlen(text));
	close(p[1]);
	return p[0];
}

/* Every record counted; unknown kinds passed through as they came. */
static void test_pass_through(void **state)
{
	struct tn_ev_out *o = malloc(sizeof(*o));
	struct tn_error e = { 0 };
	struct tn_sum_total t;
	struct tn_sum s;
	char buf[256];
	int out[2], in = pipe_of(SYS("read") ODD SYS("write") ODD);

	(void)state;
	assert_non_null(o);
	assert_int_equal(pipe(out), 0);
	tn_ev_out_init(o, out[1]);
	tn_sum_init(&s);
	assert_int_equal(tn_sum_read_fd(&s, in, "in", o, &e), 0);
	assert_int_equal(tn_ev_out_flush(o), 0);
	close(out[1]);
	assert_int_equal(read(out[0], buf, sizeof(buf)), (ssize_t)strlen(ODD ODD));
	assert_memory_equal(buf, ODD ODD, strlen(ODD ODD));
	tn_sum_total(&s, &t);
	assert_int_equal(t.calls, 2);
	assert_int_equal(s.other, 2);
	tn_sum_fini(&s);
	close(in);
	close(out[0]);
	free(o);
}

/* A bad line stops the loop with its position; what came before is kept. */
static void test_bad_line(void **state)
{
	struct tn_error e = { 0 };
	struct tn_sum_total t;
	struct tn_sum s;
	int in = pipe_of(SYS("read") "{\"type\":\n" SYS("write"));

	(void)state;
	tn_sum_init(&s);
	assert_true(tn_sum_read_fd(&s, in, "events.jsonl", NULL, &e) < 0);
	assert_string_equal(e.file, "events.jsonl");
	assert_int_equal(e.line, 2);
	tn_sum_total(&s, &t);
	assert_int_equal(t.calls, 1);
	tn_sum_fini(&s);
	close(in);
}

/* A failed pass-through write stops the loop and is the error returned. */
static void test_write_error(void **state)
{
	struct tn_ev_out *o = malloc(sizeof(*o));
	struct tn_error e = { 0 };
	struct tn_sum s;
	int out[2], in = pipe_of(ODD SYS("read"));

	(void)state;
	assert_non_null(o);
	assert_int_equal(pipe(out), 0);
	close(out[0]);
	signal(SIGPIPE, SIG_IGN);
	tn_ev_out_init(o, out[1]);
	/* The record is buffered; make the buffer flush on the first line
	 * (with bytes that are set: they reach write(2)). */
	memset(o->buf, 'x', sizeof(o->buf));
	o->len = sizeof(o->buf) - 1;
	tn_sum_init(&s);
	assert_int_equal(tn_sum_read_fd(&s, in, "in", o, &e), -EPIPE);
	assert_int_equal(o->err, -EPIPE);
	assert_int_equal(e.code, -EPIPE);
	tn_sum_fini(&s);
	signal(SIGPIPE, SIG_DFL);
	close(in);
	close(out[1]);
	free(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pass_through),
		cmocka_unit_test(test_bad_line),
		cmocka_unit_test(test_write_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
