/*
 * libFuzzer harness: tn-dispatch's job reader and runner (lib/dispatch) on
 * every backend this CPU has, with oracles beyond the sanitizers
 * (tests/fuzz/README.md):
 *
 *  - every output record (results, errors, libtn's spans) parses (jansson,
 *    duplicates rejected) and is an object with a known "type";
 *  - every error record carries a position: this input, a line of it, a
 *    column from 1 within the line;
 *  - every job gets exactly one result or error record;
 *  - on every backend the same jobs succeed or fail alike.
 *
 * Lines that would make a generated job big (sizes multiplied, plus 256 for
 * the cost of a run, times its runs, over 2^18) are blanked before the run: such a job is fine, only
 * slow, and a fuzzer must not spend a minute on one input.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <jansson.h>

#include "dispatch.h"

#define NAME "fuzz"
#define MAX_GENERATED_WORK (UINT64_C(1) << 18)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define check(cond) do { if (!(cond)) fail(#cond, __LINE__); } while (0)

static void fail(const char *what, int line)
{
	fprintf(stderr, "fuzz-dispatch.c:%d: oracle failed: %s\n", line, what);
	abort();
}

static int in_fd = -1, out_fd = -1;

static uint64_t mul_sat(uint64_t x, uint64_t y)
{
	uint64_t r;

	return __builtin_mul_overflow(x, y, &r) ? UINT64_MAX : r;
}

/* Whether the line is a generated job that would run long (see above). */
static bool big(const char *line, size_t len)
{
	static const char *const sizes[] = { "n", "m", "k", "batch" };
	json_t *j = json_loadb(line, len, 0, NULL), *v;
	uint64_t work = 1;
	bool ret = false;

	if (!json_is_object(j) || !json_object_get(j, "seed")) {
		json_decref(j);
		return false;
	}
	for (size_t i = 0; i < sizeof(sizes) / sizeof(*sizes); i++) {
		v = json_object_get(j, sizes[i]);
		if (json_is_integer(v) && json_integer_value(v) > 1)
			work = mul_sat(work, (uint64_t)json_integer_value(v));
	}
	v = json_object_get(j, "repeat");
	if (json_is_integer(v) && json_integer_value(v) > 0)
		/* Each run costs as much as 256 elements besides: two clock
		 * readings and its share of sorting the times. */
		work = mul_sat(work + 256, (uint64_t)json_integer_value(v) + 1);
	ret = work > MAX_GENERATED_WORK;
	json_decref(j);
	return ret;
}

/* The input, big jobs blanked, into in_fd. */
static size_t load(const uint8_t *data, size_t size, unsigned long *ret_lines)
{
	char *copy = malloc(size ? size : 1);
	unsigned long lines = 0;

	check(copy != NULL);
	memcpy(copy, data, size);
	for (size_t i = 0; i < size;) {
		const char *nl = memchr(copy + i, '\n', size - i);
		size_t len = nl ? (size_t)(nl - (copy + i)) : size - i;

		if (big(copy + i, len))
			memset(copy + i, ' ', len);
		lines++;
		i += len + 1;
	}
	check(ftruncate(in_fd, 0) == 0);
	check(pwrite(in_fd, copy, size, 0) == (ssize_t)size);
	check(lseek(in_fd, 0, SEEK_SET) == 0);
	free(copy);
	*ret_lines = lines;
	return size;
}

struct outcome {
	unsigned long results, errors;
	char *failed;           /* per line: 1 when its record was an error */
};

/* Every record the run wrote: each parses and says where. */
static void check_output(unsigned long lines, struct outcome *o)
{
	off_t end = lseek(out_fd, 0, SEEK_END);
	char *buf;

	check(end >= 0);
	buf = malloc((size_t)end + 1);
	check(buf != NULL);
	check(pread(out_fd, buf, (size_t)end, 0) == (ssize_t)end);
	check(end == 0 || buf[end - 1] == '\n');
	for (size_t i = 0; i < (size_t)end;) {
		char *nl = memchr(buf + i, '\n', (size_t)end - i);
		json_error_t err;
		json_t *r = json_loadb(buf + i, (size_t)(nl - (buf + i)), JSON_REJECT_DUPLICATES, &err);
		const char *type;

		check(r != NULL);
		check(json_is_object(r));
		type = json_string_value(json_object_get(r, "type"));
		check(type != NULL);
		if (strcmp(type, "result") == 0 || strcmp(type, "error") == 0) {
			const json_t *line = json_object_get(r, "line");
			bool error = type[0] == 'e';

			check(strcmp(json_string_value(json_object_get(r, "file")), NAME) == 0);
			check(json_is_integer(line) && json_integer_value(line) >= 1 &&
			      (unsigned long)json_integer_value(line) <= lines);
			if (error) {
				const json_t *col = json_object_get(r, "col");

				check(json_is_integer(col) && json_integer_value(col) >= 1);
				check(json_is_string(json_object_get(r, "message")));
				o->errors++;
			} else {
				check(json_is_string(json_object_get(r, "op")));
				check(json_is_string(json_object_get(r, "backend")));
				o->results++;
			}
			o->failed[json_integer_value(line)] = error;
		} else {
			check(strcmp(type, "span") == 0);
		}
		json_decref(r);
		i = (size_t)(nl - buf) + 1;
	}
	free(buf);
}

/* What the job reader gave, kept for the other backends: a line, or an
 * over-long line's error. */
struct item {
	unsigned long line;
	char *text;             /* NULL: e holds the error */
	size_t len;
	struct tn_error e;
};

/* Read the jobs once (the reader is what is fuzzed, not its buffer's cost). */
static struct item *read_jobs(size_t *ret_n)
{
	struct tn_dispatch_reader rd;
	struct tn_error e = { 0 };
	struct item *v = NULL;
	size_t n = 0;
	const char *text;
	size_t len;
	int r;

	check(lseek(in_fd, 0, SEEK_SET) == 0);
	check(tn_dispatch_reader_init(&rd, in_fd, NAME) == 0);
	while ((r = tn_dispatch_reader_next(&rd, &text, &len, &e)) != 0) {
		struct item *it;

		check(r == 1 || r == -E2BIG);
		v = realloc(v, (n + 1) * sizeof(*v));
		check(v != NULL);
		it = &v[n++];
		*it = (struct item){ .line = rd.line };
		if (r == -E2BIG) {
			check(e.file && e.line >= 1 && e.col >= 1);
			it->e = e;
			continue;
		}
		it->text = malloc(len ? len : 1);
		check(it->text != NULL);
		memcpy(it->text, text, len);
		it->len = len;
	}
	tn_dispatch_reader_finish(&rd);
	*ret_n = n;
	return v;
}

static void run_on(enum tn_backend b, const struct item *v, size_t n, unsigned long lines,
		   struct outcome *o)
{
	struct tn_dispatch_opts opts = { .out_fd = out_fd, .backend = b, .times = true };
	struct tn_dispatch d;
	struct tn_error e = { 0 };
	unsigned long too_long = 0;

	check(ftruncate(out_fd, 0) == 0);
	check(lseek(out_fd, 0, SEEK_SET) == 0);
	tn_trace_set_fd(out_fd);
	tn_dispatch_init(&d, &opts);
	for (size_t i = 0; i < n; i++) {
		int r;

		if (!v[i].text) {
			tn_dispatch_error(&d, &v[i].e);
			too_long++;
			continue;
		}
		r = tn_dispatch_job(&d, NAME, v[i].line, v[i].text, v[i].len, &e);
		if (r < 0) {
			/* The error says where: this input, this line, a column in it. */
			check(e.code < 0);
			check(e.file && strcmp(e.file, NAME) == 0 && e.line == v[i].line);
			check(e.col >= 1 && e.col <= v[i].len + 1);
		}
		check(tn_backend_forced() == b);        /* a job's "backend" is undone */
	}
	tn_trace_set_fd(-1);
	check(d.out_err == 0);
	check_output(lines, o);
	check(o->results + o->errors == d.jobs + too_long);
	check(o->errors == d.failed);
	tn_dispatch_finish(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct outcome first = { 0 };
	struct item *items;
	size_t nitems;
	unsigned long lines;
	bool have_first = false;

	if (in_fd < 0) {
		in_fd = memfd_create("fuzz-in", MFD_CLOEXEC);
		out_fd = memfd_create("fuzz-out", MFD_CLOEXEC);
		check(in_fd >= 0 && out_fd >= 0);
	}
	load(data, size, &lines);
	items = read_jobs(&nitems);
	for (int b = TN_BACKEND_SCALAR; b < TN_BACKEND_COUNT_; b++) {
		struct outcome o = { 0 };

		if (tn_backend_force((enum tn_backend)b) < 0)
			continue;       /* this CPU lacks it */
		o.failed = calloc(lines + 2, 1);
		check(o.failed != NULL);
		run_on((enum tn_backend)b, items, nitems, lines, &o);
		if (!have_first) {
			first = o;
			have_first = true;
			continue;
		}
		/* Every backend takes and refuses the same jobs. */
		check(o.results == first.results && o.errors == first.errors);
		check(memcmp(o.failed, first.failed, lines + 2) == 0);
		free(o.failed);
	}
	free(first.failed);
	for (size_t i = 0; i < nitems; i++)
		free(items[i].text);
	free(items);
	tn_backend_force(TN_BACKEND_AUTO);
	return 0;
}
