/*
 * Unit tests of the record writers after a failed write: tn_write_records()
 * (lib/common/record-write.c) and the two writers built on it, tn_ev_out
 * and tn_jw_write_line.  A file-size limit (RLIMIT_FSIZE, SIGXFSZ ignored)
 * cuts the writes short, as a full disk does.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ev-out.h"
#include "jsonw.h"
#include "record-write.h"

#define LIMIT 100

static rlim_t saved_fsize;

/* A temporary file opened with flags, holding prefix; files past LIMIT fail. */
static int open_limited(int flags, const char *prefix)
{
	char path[] = "/tmp/tn-test-record-write-XXXXXX";
	struct rlimit rl;
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	unlink(path);
	assert_int_equal(write(fd, prefix, strlen(prefix)), (ssize_t)strlen(prefix));
	if (flags & O_APPEND)
		assert_int_equal(fcntl(fd, F_SETFL, O_APPEND), 0);
	signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &rl), 0);
	saved_fsize = rl.rlim_cur;
	rl.rlim_cur = LIMIT;
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &rl), 0);
	return fd;
}

/* The file's size and offset are both want, and it holds want bytes of expect. */
static void check_file(int fd, const char *expect, size_t want)
{
	char buf[4 * LIMIT];
	struct rlimit rl;
	struct stat st;

	assert_int_equal(getrlimit(RLIMIT_FSIZE, &rl), 0);
	rl.rlim_cur = saved_fsize;
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &rl), 0);
	assert_int_equal(fstat(fd, &st), 0);
	assert_int_equal(st.st_size, want);
	assert_int_equal(lseek(fd, 0, SEEK_CUR), (off_t)want);
	assert_int_equal(pread(fd, buf, sizeof(buf), 0), (ssize_t)want);
	assert_memory_equal(buf, expect, want);
	close(fd);
}

/* 30-byte records: three fit under the limit, the fourth is cut at 100. */
static const char recs[] =
	"{\"n\":1,\"pad\":\"xxxxxxxxxxxxx\"}\n"
	"{\"n\":2,\"pad\":\"xxxxxxxxxxxxx\"}\n"
	"{\"n\":3,\"pad\":\"xxxxxxxxxxxxx\"}\n"
	"{\"n\":4,\"pad\":\"xxxxxxxxxxxxx\"}\n"
	"{\"n\":5,\"pad\":\"xxxxxxxxxxxxx\"}\n";

static void test_cut_back(void **state)
{
	int fd = open_limited(0, "");

	(void)state;
	assert_int_equal(sizeof(recs) - 1, 150);
	assert_int_equal(tn_write_records(fd, recs, sizeof(recs) - 1), -EFBIG);
	check_file(fd, recs, 90);
}

/* O_APPEND (tn-dispatch >> FILE): the cut is relative to what was there. */
static void test_cut_back_append(void **state)
{
	char expect[200];
	int fd = open_limited(O_APPEND, "old\n");

	(void)state;
	snprintf(expect, sizeof(expect), "old\n%s", recs);
	assert_int_equal(tn_write_records(fd, recs, sizeof(recs) - 1), -EFBIG);
	check_file(fd, expect, 94);
}

/* Nothing of the record fits: the file stays as it was. */
static void test_nothing_fits(void **state)
{
	char old[LIMIT + 1];
	int fd;

	(void)state;
	memset(old, 'o', LIMIT - 1);
	old[LIMIT - 1] = '\n';
	old[LIMIT] = '\0';
	fd = open_limited(0, old);
	assert_int_equal(tn_write_records(fd, recs, sizeof(recs) - 1), -EFBIG);
	check_file(fd, old, LIMIT);
}

/* A pipe cannot be cut back: the error comes back, nothing else happens. */
static void test_pipe(void **state)
{
	int p[2];

	(void)state;
	assert_int_equal(pipe(p), 0);
	close(p[0]);
	signal(SIGPIPE, SIG_IGN);
	assert_int_equal(tn_write_records(p[1], recs, sizeof(recs) - 1), -EPIPE);
	signal(SIGPIPE, SIG_DFL);
	close(p[1]);
}

/* tn_ev_out flushes whole records; the file keeps those that fit, the error sticks. */
static void test_ev_out(void **state)
{
	struct tn_ev_out *o = malloc(sizeof(*o));
	int fd = open_limited(0, "");

	(void)state;
	assert_non_null(o);
	tn_ev_out_init(o, fd);
	for (size_t i = 0; i < 5; i++)
		assert_int_equal(tn_ev_out_line(o, recs + 30 * i, 30), 0);
	assert_int_equal(tn_ev_out_flush(o), -EFBIG);
	assert_int_equal(tn_ev_out_line(o, recs, 30), -EFBIG);
	assert_int_equal(tn_ev_out_flush(o), -EFBIG);
	check_file(fd, recs, 90);
	free(o);
}

/* tn_jw_write_line writes one record: a cut one goes entirely. */
static void test_jw_write_line(void **state)
{
	struct tn_jw w;
	int fd = open_limited(0, "");

	(void)state;
	tn_jw_init(&w);
	for (int i = 0; i < 3; i++) {
		tn_jw_obj_begin(&w);
		tn_jw_kstr(&w, "pad", "xxxxxxxxxxxxxxxxxxxxxx");
		tn_jw_obj_end(&w);
		assert_int_equal(tn_jw_write_line(&w, fd), 0);
	}
	tn_jw_obj_begin(&w);
	tn_jw_kstr(&w, "pad", "yyyyyyyyyyyyyyyyyyyyyy");
	tn_jw_obj_end(&w);
	assert_int_equal(tn_jw_write_line(&w, fd), -EFBIG);
	tn_jw_finish(&w);
	check_file(fd, "{\"pad\":\"xxxxxxxxxxxxxxxxxxxxxx\"}\n"
		   "{\"pad\":\"xxxxxxxxxxxxxxxxxxxxxx\"}\n"
		   "{\"pad\":\"xxxxxxxxxxxxxxxxxxxxxx\"}\n", 99);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cut_back),
		cmocka_unit_test(test_cut_back_append),
		cmocka_unit_test(test_nothing_fits),
		cmocka_unit_test(test_pipe),
		cmocka_unit_test(test_ev_out),
		cmocka_unit_test(test_jw_write_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
