/* lib/dispatch: the op table, generator, checksum, line reader, job records and spans. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "dispatch.h"
#include "tn/tn-device.h"
#include "events.h"
#include "ops.h"

/* Everything written to a pipe while fn ran, NUL-terminated (small outputs only). */
struct capture {
	int fds[2];
	char buf[65536];
};

static void capture_begin(struct capture *c)
{
	assert_int_equal(pipe2(c->fds, O_CLOEXEC | O_NONBLOCK), 0);
}

static const char *capture_end(struct capture *c)
{
	ssize_t n = read(c->fds[0], c->buf, sizeof(c->buf) - 1);

	c->buf[n > 0 ? n : 0] = '\0';
	close(c->fds[0]);
	close(c->fds[1]);
	return c->buf;
}

/* Run one job line with spans off; returns the output and sets *ret. */
static const char *run_job(struct capture *c, const char *line, int *ret, struct tn_error *e)
{
	struct tn_dispatch_opts o = { .backend = TN_BACKEND_SCALAR, .times = false };
	struct tn_dispatch d;

	capture_begin(c);
	o.out_fd = c->fds[1];
	assert_int_equal(tn_backend_force(TN_BACKEND_SCALAR), 0);
	tn_dispatch_init(&d, &o);
	*ret = tn_dispatch_job(&d, "jobs", 3, line, strlen(line), e);
	tn_dispatch_finish(&d);
	tn_backend_force(TN_BACKEND_AUTO);
	return capture_end(c);
}

static void test_every_op(void **state)
{
	(void)state;
	for (int op = 0; op < TN_OP_COUNT_; op++)
		if (!tn_dispatch_has_op((enum tn_op)op))
			fail_msg("tn-dispatch cannot run %s", tn_op_name((enum tn_op)op));
	assert_false(tn_dispatch_has_op(TN_OP_COUNT_));
}

/* Every operation runs from a job, inline and generated, on every backend it has. */
static void test_every_op_runs(void **state)
{
	static const enum tn_backend bks[] = {
		TN_BACKEND_SCALAR, TN_BACKEND_SSE2, TN_BACKEND_AVX2, TN_BACKEND_AVX512,
	};

	(void)state;
	for (int op = 0; op < TN_OP_COUNT_; op++) {
		enum op_kind k = tn_dispatch_ops[op].kind;
		const char *sizes = k == K_MATMUL ? "\"m\":3,\"k\":4,\"n\":5" :
			k == K_BATCHED ? "\"batch\":2,\"m\":3,\"k\":4,\"n\":5" :
			k == K_TRANSPOSE || k == K_MATVEC || k == K_VECMAT || k == K_BATCH ?
			"\"m\":3,\"n\":5" : "\"n\":37";
		const char *scalars = k == K_SCALAR_X || k == K_AXPY ? ",\"alpha\":0.5" :
			k == K_CLAMP ? ",\"lo\":-0.5,\"hi\":0.5" : "";

		for (size_t b = 0; b < sizeof(bks) / sizeof(bks[0]); b++) {
			char job[256];
			struct capture c;
			struct tn_error e = { 0 };
			json_t *rec;
			int r;

			if (!tn_backend_available(bks[b]))
				continue;
			snprintf(job, sizeof(job), "{\"op\":\"%s\",%s%s,\"seed\":%d,"
				 "\"backend\":\"%s\"}", tn_op_name((enum tn_op)op), sizes,
				 scalars, op, tn_backend_name(bks[b]));
			rec = json_loads(run_job(&c, job, &r, &e), 0, NULL);
			if (r != 0 || !rec)
				fail_msg("%s: %s", job, e.msg);
			assert_string_equal(json_string_value(json_object_get(rec, "op")),
					    tn_op_name((enum tn_op)op));
			assert_non_null(json_object_get(rec, "checksum"));
			json_decref(rec);
		}
	}
}

static void test_generator(void **state)
{
	struct tn_dispatch_rng r = { 0 };
	float x[1000];

	(void)state;
	/* splitmix64's first outputs from 0 (Vigna's reference values). */
	assert_true(tn_dispatch_rng_next(&r) == UINT64_C(0xe220a8397b1dcdaf));
	assert_true(tn_dispatch_rng_next(&r) == UINT64_C(0x6e789e6aa1b965f4));
	r.s = 7;
	tn_dispatch_fill(&r, 1000, x, false);
	for (size_t i = 0; i < 1000; i++)
		assert_true(x[i] >= -1.0f && x[i] < 1.0f);
	tn_dispatch_fill(&r, 1000, x, true);
	for (size_t i = 0; i < 1000; i++)
		assert_true(x[i] > 0.0f && x[i] <= 2.0f);
}

static void test_fnv1a(void **state)
{
	(void)state;
	assert_true(tn_dispatch_fnv1a(TN_DISPATCH_FNV_BASIS, "", 0) == TN_DISPATCH_FNV_BASIS);
	assert_true(tn_dispatch_fnv1a(TN_DISPATCH_FNV_BASIS, "a", 1) == UINT64_C(0xaf63dc4c8601ec8c));
	assert_true(tn_dispatch_fnv1a(TN_DISPATCH_FNV_BASIS, "foobar", 6) ==
		    UINT64_C(0x85944171f73967e8));
}

static void test_result_record(void **state)
{
	struct capture c;
	struct tn_error e = { 0 };
	int r;

	(void)state;
	assert_string_equal(run_job(&c, "{\"op\":\"matmul\",\"m\":2,\"k\":3,\"n\":2,"
				    "\"a\":[1,2,3,4,5,6],\"b\":[7,8,9,10,11,12]}", &r, &e),
			    "{\"type\":\"result\",\"file\":\"jobs\",\"line\":3,\"op\":\"matmul\","
			    "\"backend\":\"scalar\",\"result\":[58,64,139,154]}\n");
	assert_int_equal(r, 0);
	assert_string_equal(run_job(&c, "  # a comment", &r, &e), "");
	assert_int_equal(r, 0);
}

static void test_error_record(void **state)
{
	static const struct {
		const char *line;
		unsigned long col;
		const char *msg;
	} cases[] = {
		{ "{\"op\":\"dot\",\"a\":[1,2],\"b\":[1,\"x\"]}", 30, "b[1]: not a number" },
		{ "{\"op\":\"dot\", \"a\":[1,2], \"b\":[1]}", 29, "'b' has 1 element where" },
		{ "{\"op\":\"nope\"}", 7, "unknown operation 'nope'" },
		{ "{\"op\":\"sum\",\"x\":[1],\"zz\":1}", 26, "unknown member 'zz'" },
		{ "{\"op\":\"sum\",\"x\":[1],}", 0, "" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct capture c;
		struct tn_error e = { 0 };
		json_t *rec;
		int r;
		const char *out = run_job(&c, cases[i].line, &r, &e);

		assert_int_equal(r, -EINVAL);
		assert_string_equal(e.file, "jobs");
		assert_int_equal(e.line, 3);
		if (cases[i].col)
			assert_int_equal(e.col, cases[i].col);
		assert_non_null(strstr(e.msg, cases[i].msg));
		rec = json_loads(out, 0, NULL);
		assert_non_null(rec);
		assert_string_equal(json_string_value(json_object_get(rec, "type")), "error");
		assert_int_equal(json_integer_value(json_object_get(rec, "col")), e.col);
		assert_string_equal(json_string_value(json_object_get(rec, "message")), e.msg);
		json_decref(rec);
	}
}

/* A job's backend that is missing: the CPU's, or the device's with why. */
static void test_job_backend_missing(void **state)
{
	struct capture c;
	struct tn_error e = { 0 };
	const char *why = NULL;
	int r;

	(void)state;
	if (!tn_backend_available(TN_BACKEND_NEON)) {
		run_job(&c, "{\"op\":\"sum\",\"x\":[1],\"backend\":\"neon\"}", &r, &e);
		assert_int_equal(r, -ENOTSUP);
		assert_string_equal(e.msg, "this CPU has no neon backend");
	}
	if (tn_device_status(&why) < 0) {
		char want[512];

		memset(&e, 0, sizeof(e));
		run_job(&c, "{\"op\":\"sum\",\"x\":[1],\"backend\":\"opencl\"}", &r, &e);
		assert_int_equal(r, -ENOTSUP);
		snprintf(want, sizeof(want), "no opencl backend: %s", why);
		assert_memory_equal(e.msg, want, strlen(want));
	}
}

/* A span from libtn comes before the result, each a whole line. */
static void test_spans(void **state)
{
	struct capture c;
	struct tn_dispatch_opts o = { .backend = TN_BACKEND_AUTO, .times = true };
	struct tn_dispatch d;
	struct tn_error e = { 0 };
	const char *job = "{\"op\":\"dot\",\"n\":1000,\"seed\":7,\"repeat\":4}";
	const char *out, *nl;
	json_t *span, *res;

	(void)state;
	capture_begin(&c);
	o.out_fd = c.fds[1];
	tn_span_set_fd(c.fds[1]);
	tn_dispatch_init(&d, &o);
	assert_int_equal(tn_dispatch_job(&d, "jobs", 1, job, strlen(job), &e), 0);
	tn_dispatch_finish(&d);
	tn_span_set_fd(-1);
	out = capture_end(&c);
	nl = strchr(out, '\n');
	assert_non_null(nl);
	span = json_loadb(out, (size_t)(nl - out), 0, NULL);
	res = json_loads(nl + 1, 0, NULL);
	assert_non_null(span);
	assert_non_null(res);
	/* One span only: the timed repetitions run with spans off. */
	assert_string_equal(json_string_value(json_object_get(span, "type")), "span");
	assert_string_equal(json_string_value(json_object_get(span, "name")), "dot");
	assert_string_equal(json_string_value(json_object_get(res, "type")), "result");
	assert_int_equal(json_integer_value(json_object_get(res, "repeat")), 4);
	assert_true(json_integer_value(json_object_get(res, "min_ns")) <=
		    json_integer_value(json_object_get(res, "median_ns")));
	assert_non_null(json_object_get(res, "elements_per_s"));
	assert_non_null(json_object_get(res, "checksum"));
	json_decref(span);
	json_decref(res);
}

static void test_list_backends(void **state)
{
	struct capture c;
	json_t *j, *ops;

	(void)state;
	capture_begin(&c);
	assert_int_equal(tn_dispatch_list_backends(c.fds[1], true), 0);
	j = json_loads(capture_end(&c), 0, NULL);
	assert_non_null(j);
	ops = json_object_get(j, "ops");
	assert_int_equal(json_object_size(ops), TN_OP_COUNT_);
	for (int op = 0; op < TN_OP_COUNT_; op++)
		assert_non_null(json_object_get(ops, tn_op_name((enum tn_op)op)));
	assert_true(json_is_true(json_object_get(json_object_get(j, "backends"), "scalar")));
	json_decref(j);
}

/* An over-long line is one error at its line; the lines around it are read. */
static void test_reader(void **state)
{
	char path[] = "/tmp/tn-dispatch-test-XXXXXX";
	int fd = mkstemp(path);
	size_t big = TN_EV_LINE_MAX + 10;
	char *long_line = malloc(big + 1);
	struct tn_dispatch_reader rd;
	struct tn_error e = { 0 };
	const char *text;
	size_t len;

	(void)state;
	assert_true(fd >= 0 && long_line);
	unlink(path);
	memset(long_line, 'x', big);
	long_line[big] = '\n';
	assert_int_equal(write(fd, "one\n", 4), 4);
	assert_int_equal(write(fd, long_line, big + 1), (ssize_t)big + 1);
	assert_int_equal(write(fd, long_line, TN_EV_LINE_MAX), TN_EV_LINE_MAX);
	assert_int_equal(write(fd, "\nlast", 5), 5);
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	assert_int_equal(tn_dispatch_reader_init(&rd, fd, "f"), 0);
	assert_int_equal(tn_dispatch_reader_next(&rd, &text, &len, &e), 1);
	assert_true(len == 3 && memcmp(text, "one", 3) == 0 && rd.line == 1);
	assert_int_equal(tn_dispatch_reader_next(&rd, &text, &len, &e), -E2BIG);
	assert_int_equal(e.line, 2);
	/* Exactly TN_EV_LINE_MAX bytes is still a line. */
	assert_int_equal(tn_dispatch_reader_next(&rd, &text, &len, &e), 1);
	assert_true(len == TN_EV_LINE_MAX && rd.line == 3);
	assert_int_equal(tn_dispatch_reader_next(&rd, &text, &len, &e), 1);
	assert_true(len == 4 && memcmp(text, "last", 4) == 0 && rd.line == 4);
	assert_int_equal(tn_dispatch_reader_next(&rd, &text, &len, &e), 0);
	tn_dispatch_reader_finish(&rd);
	free(long_line);
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_op),
		cmocka_unit_test(test_every_op_runs),
		cmocka_unit_test(test_generator),
		cmocka_unit_test(test_fnv1a),
		cmocka_unit_test(test_result_record),
		cmocka_unit_test(test_error_record),
		cmocka_unit_test(test_job_backend_missing),
		cmocka_unit_test(test_spans),
		cmocka_unit_test(test_list_backends),
		cmocka_unit_test(test_reader),
	};

	return cmocka_run_group_tests_name("dispatch", tests, NULL, NULL);
}
