/* Unit tests of the record-boundary writer (lib/events/ev-out.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ev-out.h"

/* Every write(2) the writer makes ends at a record boundary. */
static void test_boundaries(void **state)
{
	struct tn_ev_out *o = malloc(sizeof(*o));
	int p[2];
	char rec[1000], buf[70000];
	size_t total = 0;
	ssize_t n;

	assert_non_null(o);
	assert_int_equal(pipe(p), 0);
	fcntl(p[1], F_SETPIPE_SZ, 1 << 20);
	tn_ev_out_init(o, p[1]);
	memset(rec, 'x', sizeof(rec) - 1);
	rec[sizeof(rec) - 1] = '\n';
	/* 100 records of 1000 bytes: the first flush comes before record 66. */
	for (int i = 0; i < 100; i++)
		assert_int_equal(tn_ev_out_line(o, rec, sizeof(rec)), 0);
	n = read(p[0], buf, sizeof(buf));
	assert_int_equal(n, 65 * 1000);
	assert_int_equal(buf[n - 1], '\n');
	assert_int_equal(tn_ev_out_flush(o), 0);
	n = read(p[0], buf, sizeof(buf));
	assert_int_equal(n, 35 * 1000);
	total += (size_t)n;
	assert_int_equal(tn_ev_out_flush(o), 0);    /* nothing left: no write */
	close(p[1]);
	assert_int_equal(read(p[0], buf, sizeof(buf)), 0);
	close(p[0]);
	assert_int_equal(total, 35000);
	free(o);
}

/* A record larger than the buffer goes out whole, after what was buffered. */
static void test_large_record(void **state)
{
	struct tn_ev_out *o = malloc(sizeof(*o));
	size_t big = 200000;
	char *rec = malloc(big), *buf = malloc(big + 100);
	FILE *f = tmpfile();
	ssize_t n;

	assert_non_null(o);
	assert_non_null(rec);
	assert_non_null(buf);
	assert_non_null(f);
	memset(rec, 'y', big - 1);
	rec[big - 1] = '\n';
	tn_ev_out_init(o, fileno(f));
	assert_int_equal(tn_ev_out_line(o, "{}\n", 3), 0);
	assert_int_equal(tn_ev_out_line(o, rec, big), 0);
	assert_int_equal(tn_ev_out_flush(o), 0);
	n = pread(fileno(f), buf, big + 100, 0);
	assert_int_equal(n, (ssize_t)big + 3);
	assert_memory_equal(buf, "{}\n", 3);
	assert_memory_equal(buf + 3, rec, big);
	fclose(f);
	free(buf);
	free(rec);
	free(o);
}

/* A write error is kept and returned from then on. */
static void test_error(void **state)
{
	struct tn_ev_out *o = malloc(sizeof(*o));

	assert_non_null(o);
	tn_ev_out_init(o, -1);
	assert_int_equal(tn_ev_out_line(o, "{}\n", 3), 0);   /* buffered */
	assert_int_equal(tn_ev_out_flush(o), -EBADF);
	assert_int_equal(tn_ev_out_line(o, "{}\n", 3), -EBADF);
	assert_int_equal(tn_ev_out_flush(o), -EBADF);
	free(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_boundaries),
		cmocka_unit_test(test_large_record),
		cmocka_unit_test(test_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
