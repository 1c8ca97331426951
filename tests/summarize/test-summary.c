/* Unit tests of the aggregation and its presentation (lib/summary). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reader.h"
#include "summary.h"

static void feed(struct tn_sum *s, const char *text)
{
	struct tn_ev_reader *r = tn_ev_reader_new_mem(text, strlen(text), "t");
	const struct tn_ev_rec *rec;
	struct tn_error e = { 0 };
	int ret;

	while ((ret = tn_ev_reader_next(r, &rec, &e)) > 0)
		assert_int_equal(tn_sum_add(s, rec, &e), 0);
	if (ret < 0)
		fail_msg("%s", e.msg);
	tn_ev_reader_free(r);
}

static const struct tn_sum_sys *sys(const struct tn_sum *s, const char *name)
{
	for (size_t i = 0; i < s->sys.len; i++) {
		const struct tn_sum_sys *c = s->sys.order[i];

		if (strcmp(c->name, name) == 0)
			return c;
	}
	fail_msg("no syscall %s", name);
	return NULL;
}

#define SC(name, nr, extra) \
	"{\"type\":\"syscall\",\"pid\":10,\"tid\":10,\"name\":\"" name "\",\"nr\":" #nr \
	",\"arch\":\"x86_64\"" extra "}\n"

static const char stream[] =
	"{\"type\":\"header\",\"schema\":1,\"arch\":\"x86_64\"}\n"
	"{\"type\":\"proc\",\"pid\":10,\"tid\":10,\"via\":\"spawn\",\"thread\":false}\n"
	"{\"type\":\"exec\",\"pid\":10,\"tid\":10,\"path\":\"/bin/ls\",\"argv\":[\"ls\"]}\n"
	SC("read", 0, ",\"ret\":5,\"dur\":3000")
	SC("read", 0, ",\"ret\":-11,\"err\":\"EAGAIN\",\"dur\":1000")
	SC("openat", 257, ",\"ret\":-2,\"dur\":4000")               /* error by ret alone */
	SC("openat", 257, ",\"ret\":3,\"dur\":4000")
	SC("close", 3, ",\"ret\":0,\"dur\":500")
	SC("close", 3, ",\"ret\":0,\"dur\":500")
	SC("close", 3, ",\"ret\":0,\"dur\":500")
	SC("mmap", 9, ",\"ret\":-4096,\"dur\":8000")                /* an address, not an error */
	SC("sched_yield", 24, ",\"ret\":0")                          /* no dur: 0 time */
	SC("exit_group", 231, "")                                   /* never returned */
	"{\"type\":\"exit\",\"pid\":10,\"tid\":11,\"thread\":true,\"code\":9}\n"
	"{\"type\":\"exit\",\"pid\":10,\"tid\":10,\"thread\":false,\"code\":0,\"wall\":1000000,"
	"\"utime\":100,\"stime\":200,\"maxrss\":4096}\n"
	"{\"type\":\"span\",\"name\":\"dot\",\"backend\":\"avx2\",\"n\":1000,\"bytes\":8000,\"phase\":\"kernel\",\"dur\":1000}\n"
	"{\"type\":\"span\",\"name\":\"dot\",\"backend\":\"avx2\",\"n\":1000,\"bytes\":8000,\"phase\":\"kernel\",\"dur\":3000}\n"
	"{\"type\":\"future\",\"x\":1}\n";

static void test_counts(void **state)
{
	struct tn_sum s;
	struct tn_sum_total t;
	const struct tn_sum_sys *c;
	const struct tn_sum_proc *p;
	const struct tn_sum_span *sp;

	tn_sum_init(&s);
	feed(&s, stream);
	assert_int_equal(s.sys.len, 5);
	c = sys(&s, "read");
	assert_int_equal(c->calls, 2);
	assert_int_equal(c->errors, 1);
	assert_int_equal(c->total_ns, 4000);
	assert_int_equal(c->min_ns, 1000);
	assert_int_equal(c->max_ns, 3000);
	assert_int_equal(c->nr, 0);
	assert_int_equal(sys(&s, "openat")->errors, 1);
	assert_int_equal(sys(&s, "mmap")->errors, 0);
	c = sys(&s, "sched_yield");
	assert_int_equal(c->calls, 1);
	assert_int_equal(c->total_ns, 0);
	tn_sum_total(&s, &t);
	assert_int_equal(t.calls, 9);
	assert_int_equal(t.errors, 2);
	assert_int_equal(t.total_ns, 21500);

	assert_int_equal(s.proc.len, 1);
	p = s.proc.order[0];
	assert_int_equal(p->pid, 10);
	assert_int_equal(p->run, 1);
	assert_string_equal(p->exe, "/bin/ls");
	assert_int_equal(p->syscalls, 9);
	assert_int_equal(p->errors, 2);
	assert_int_equal(p->sys_ns, 21500);
	assert_true(p->exited);
	assert_int_equal(p->code, 0);           /* the thread's exit did not count */
	assert_int_equal(p->maxrss, 4096);

	assert_int_equal(s.span.len, 1);
	sp = s.span.order[0];
	assert_int_equal(sp->count, 2);
	assert_int_equal(sp->total_ns, 4000);
	assert_int_equal(sp->bytes, 16000);
	assert_int_equal(s.records, 18);
	/* strace -c counts a call at its exit: exit_group is not in the table. */
	assert_int_equal(s.unfinished, 1);
	for (size_t i = 0; i < s.sys.len; i++)
		assert_string_not_equal(((struct tn_sum_sys *)s.sys.order[i])->name, "exit_group");
	assert_int_equal(s.runs, 1);
	assert_int_equal(s.other, 1);
	tn_sum_fini(&s);
}

static char *table(const struct tn_sum *s, int sort, const enum tn_sum_col *cols)
{
	size_t len;
	char *t = tn_sum_table(s, "x86_64", NULL, (enum tn_sum_sort)sort, cols, &len);

	assert_non_null(t);
	assert_int_equal(strlen(t), len);
	return t;
}

static void test_table(void **state)
{
	struct tn_sum s;
	char *t;

	tn_sum_init(&s);
	feed(&s, stream);
	t = table(&s, TN_SORT_TIME, tn_sum_default_cols);
	assert_string_equal(t,
		"% time     seconds  usecs/call     calls    errors syscall\n"
		"------ ----------- ----------- --------- --------- ----------------\n"
		" 37.21    0.000008           8         1           mmap\n"
		" 37.21    0.000008           4         2         1 openat\n"
		" 18.60    0.000004           2         2         1 read\n"
		"  6.98    0.000002           0         3           close\n"
		"  0.00    0.000000           0         1           sched_yield\n"
		"------ ----------- ----------- --------- --------- ----------------\n"
		"100.00    0.000022           2         9         2 total\n");
	free(t);
	/* Ties keep syscall-number order, as strace's stable sort does. */
	t = table(&s, TN_SORT_CALLS, tn_sum_default_cols);
	assert_non_null(strstr(t, "close\n"));
	assert_true(strstr(t, " read\n") < strstr(t, " openat\n"));
	assert_true(strstr(t, " openat\n") < strstr(t, " mmap\n"));
	assert_true(strstr(t, " mmap\n") < strstr(t, " sched_yield\n"));
	assert_true(strstr(t, " close\n") < strstr(t, " read\n"));
	free(t);
	t = table(&s, TN_SORT_NOTHING, tn_sum_default_cols);
	assert_true(strstr(t, " read\n") < strstr(t, " close\n"));
	assert_true(strstr(t, " close\n") < strstr(t, " mmap\n"));
	free(t);
	t = table(&s, TN_SORT_NAME, tn_sum_default_cols);
	assert_true(strstr(t, " close\n") < strstr(t, " sched_yield\n"));
	assert_true(strstr(t, " openat\n") < strstr(t, " read\n"));
	free(t);
	tn_sum_fini(&s);
}

static void test_columns(void **state)
{
	enum tn_sum_col cols[TN_COL_MAX_ + 1];
	struct tn_error e = { 0 };
	struct tn_sum s;
	char *t;

	assert_int_equal(tn_sum_cols_parse("calls,min_time,longest", cols, &e), 0);
	assert_int_equal(cols[0], TN_COL_CALLS);
	assert_int_equal(cols[1], TN_COL_MIN);
	assert_int_equal(cols[2], TN_COL_MAX);
	assert_int_equal(cols[3], TN_COL_NAME);   /* appended, as strace does */
	assert_int_equal(cols[4], TN_COL_NONE);
	tn_sum_init(&s);
	feed(&s, stream);
	t = table(&s, TN_SORT_MAX, cols);
	assert_string_equal(t,
		"    calls shortest  longest syscall\n"
		"--------- -------- -------- ----------------\n"
		"        1 0.000008 0.000008 mmap\n"
		"        2 0.000004 0.000004 openat\n"
		"        2 0.000001 0.000003 read\n"
		"        3 0.000000 0.000000 close\n"
		"        1 0.000000 0.000000 sched_yield\n"
		"--------- -------- -------- ----------------\n"
		"        9 0.000000 0.000008 total\n");
	free(t);
	tn_sum_fini(&s);

	assert_int_equal(tn_sum_cols_parse("name,calls", cols, &e), 0);
	assert_int_equal(cols[0], TN_COL_NAME);
	assert_int_equal(cols[2], TN_COL_NONE);
	assert_true(tn_sum_cols_parse("calls,bogus", cols, &e) < 0);
	assert_string_equal(e.msg, "unknown column name: 'bogus'");
	assert_true(tn_sum_cols_parse("calls,count", cols, &e) < 0);
	assert_true(tn_sum_cols_parse("nothing", cols, &e) < 0);
	assert_int_equal(tn_sum_sort_parse("time"), TN_SORT_TIME);
	assert_int_equal(tn_sum_sort_parse("count"), TN_SORT_CALLS);
	assert_int_equal(tn_sum_sort_parse("none"), TN_SORT_NOTHING);
	assert_int_equal(tn_sum_sort_parse("bogus"), -1);
}

/* An empty aggregation still makes a well-formed table. */
static void test_empty(void **state)
{
	struct tn_sum s;
	struct tn_jw w;
	char *t;

	tn_sum_init(&s);
	t = table(&s, TN_SORT_TIME, tn_sum_default_cols);
	assert_string_equal(t,
		"% time     seconds  usecs/call     calls    errors syscall\n"
		"------ ----------- ----------- --------- --------- ----------------\n"
		"------ ----------- ----------- --------- --------- ----------------\n"
		"  0.00    0.000000           0         0           total\n");
	free(t);
	tn_jw_init(&w);
	tn_sum_json_total(&w, &s);
	assert_string_equal(tn_jw_line(&w, NULL),
		"{\"type\":\"summary\",\"scope\":\"total\",\"calls\":0,\"errors\":0,\"total_ns\":0,"
		"\"min_ns\":0,\"mean_ns\":0,\"max_ns\":0,\"p50_ns\":0,\"p90_ns\":0,\"p99_ns\":0,"
		"\"syscalls\":0,\"processes\":0,\"spans\":0,\"records\":0,\"runs\":0,\"other\":0,"
		"\"unfinished\":0}\n");
	tn_jw_finish(&w);
	tn_sum_fini(&s);
}

/* Wide values widen the columns as strace's do. */
static void test_wide(void **state)
{
	struct tn_sum s;
	char *t;

	tn_sum_init(&s);
	feed(&s, "{\"type\":\"syscall\",\"name\":\"a_very_long_syscall_name\",\"arch\":\"x86_64\",\"ret\":0,\"dur\":123456789012345}\n");
	t = table(&s, TN_SORT_TIME, tn_sum_default_cols);
	assert_string_equal(t,
		"% time       seconds   usecs/call     calls    errors syscall\n"
		"------ ------------- ------------ --------- --------- -------------------------\n"
		"100.00 123456.789012 123456789012         1           a_very_long_syscall_name\n"
		"------ ------------- ------------ --------- --------- -------------------------\n"
		"100.00 123456.789012 123456789012         1           total\n");
	free(t);
	tn_sum_fini(&s);
}

static void test_json(void **state)
{
	struct tn_sum s;
	struct tn_jw w;

	tn_sum_init(&s);
	feed(&s, stream);
	tn_jw_init(&w);
	tn_sum_json_sys(&w, sys(&s, "read"));
	assert_string_equal(tn_jw_line(&w, NULL),
		"{\"type\":\"summary\",\"scope\":\"syscall\",\"name\":\"read\",\"arch\":\"x86_64\",\"nr\":0,"
		"\"calls\":2,\"errors\":1,\"total_ns\":4000,\"min_ns\":1000,\"mean_ns\":2000,"
		"\"max_ns\":3000,\"p50_ns\":1000,\"p90_ns\":3000,\"p99_ns\":3000}\n");
	tn_jw_reset(&w);
	tn_sum_json_proc(&w, s.proc.order[0]);
	assert_string_equal(tn_jw_line(&w, NULL),
		"{\"type\":\"summary\",\"scope\":\"process\",\"run\":1,\"pid\":10,"
		"\"exe\":\"/bin/ls\",\"syscalls\":9,\"errors\":2,\"syscall_ns\":21500,\"exited\":true,"
		"\"code\":0,\"wall\":1000000,\"utime\":100,\"stime\":200,\"maxrss\":4096}\n");
	tn_jw_reset(&w);
	tn_sum_json_span(&w, s.span.order[0]);
	assert_string_equal(tn_jw_line(&w, NULL),
		"{\"type\":\"summary\",\"scope\":\"span\",\"name\":\"dot\",\"backend\":\"avx2\",\"phase\":\"kernel\",\"count\":2,"
		"\"n\":2000,\"bytes\":16000,\"throughput\":4000000000,\"total_ns\":4000,\"min_ns\":1000,"
		"\"mean_ns\":2000,\"max_ns\":3000,\"p50_ns\":1000,\"p90_ns\":3000,\"p99_ns\":3000}\n");
	tn_jw_finish(&w);
	tn_sum_fini(&s);
}

/* A second run (header) keys its processes apart; other arches get a table each. */
static void test_runs_and_arches(void **state)
{
	struct tn_sum s;
	const char **arches;
	size_t n;

	tn_sum_init(&s);
	feed(&s, "{\"type\":\"header\",\"arch\":\"x86_64\"}\n"
		 "{\"type\":\"syscall\",\"pid\":5,\"name\":\"read\",\"arch\":\"x86\",\"ret\":0,\"dur\":1}\n"
		 "{\"type\":\"syscall\",\"pid\":5,\"name\":\"read\",\"arch\":\"x86_64\",\"ret\":0,\"dur\":1}\n"
		 "{\"type\":\"header\",\"arch\":\"x86_64\"}\n"
		 "{\"type\":\"syscall\",\"pid\":5,\"name\":\"read\",\"ret\":0,\"dur\":1}\n");
	assert_int_equal(s.runs, 2);
	assert_int_equal(s.proc.len, 2);
	assert_int_equal(s.sys.len, 2);
	assert_int_equal(tn_sum_arches(&s, &arches, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(arches[0], "x86_64");
	assert_string_equal(arches[1], "x86");
	assert_string_equal(tn_sum_arch_title(arches[0], arches[1]), "32 bit");
	free(arches);
	assert_int_equal(sys(&s, "read")->calls, 1);
	tn_sum_fini(&s);
}

/* Tables of every architecture come from two sorts (issue 8, item 4):
 * native first, the others by first appearance, each group sorted. */
static void test_group(void **state)
{
	struct tn_sum s;
	struct tn_sum_groups g;

	tn_sum_init(&s);
	feed(&s, "{\"type\":\"syscall\",\"name\":\"read\",\"arch\":\"b\",\"ret\":0,\"dur\":1}\n"
		 "{\"type\":\"syscall\",\"name\":\"open\",\"arch\":\"a\",\"ret\":0,\"dur\":1}\n"
		 "{\"type\":\"header\",\"arch\":\"x86_64\"}\n"
		 "{\"type\":\"syscall\",\"name\":\"write\",\"ret\":0,\"dur\":5}\n"
		 "{\"type\":\"syscall\",\"name\":\"close\",\"arch\":\"b\",\"ret\":0,\"dur\":9}\n"
		 "{\"type\":\"syscall\",\"name\":\"read\",\"ret\":0,\"dur\":7}\n");
	assert_int_equal(tn_sum_group(&s, TN_SORT_TIME, &g), 0);
	assert_int_equal(g.n, 3);
	assert_string_equal(g.arch[0], "x86_64");
	assert_string_equal(g.arch[1], "b");
	assert_string_equal(g.arch[2], "a");
	assert_int_equal(g.start[0], 0);
	assert_int_equal(g.start[1], 2);
	assert_int_equal(g.start[2], 4);
	assert_int_equal(g.start[3], 5);
	assert_string_equal(g.v[0]->name, "read");      /* 7 ns before 5 ns */
	assert_string_equal(g.v[1]->name, "write");
	assert_string_equal(g.v[2]->name, "close");     /* 9 ns before 1 ns */
	assert_string_equal(g.v[3]->name, "read");
	assert_string_equal(g.v[4]->name, "open");
	tn_sum_groups_free(&g);
	tn_sum_fini(&s);

	/* Nothing read: one empty table, of the native architecture. */
	tn_sum_init(&s);
	assert_int_equal(tn_sum_group(&s, TN_SORT_TIME, &g), 0);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.arch[0], "");
	assert_int_equal(g.start[1] - g.start[0], 0);
	tn_sum_groups_free(&g);
	tn_sum_fini(&s);
}

/*
 * Keys made to share the low bits of their FNV-1a hash: those bits depend
 * only on the low bits of the state before, so from each state two
 * three-letter blocks that agree on them are found by trying, and chaining
 * BLOCKS such pairs gives 2^BLOCKS architectures with the same low bits.
 * Slots taken from those bits put them all in one run of the table, each
 * insertion probing all before it (issue 8, item 4: the other per-key loop
 * of the same shape).  The table must stay near one probe per look-up.
 */
#define BLOCKS 13
#define LOW_BITS 15     /* the table's bits for 2^13 keys: capacity 2^15 */

static uint64_t fnv(uint64_t h, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)p[i]) * 0x100000001b3ull;
	return h;
}

static void test_colliding_keys(void **state)
{
	static const char al[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	const uint64_t low = (UINT64_C(1) << LOW_BITS) - 1;
	char pair[BLOCKS][2][3], arch[3 * BLOCKS + 1], line[256];
	uint64_t h = fnv(0xcbf29ce484222325ull, "read", 4);
	uint32_t *seen = malloc((low + 1) * sizeof(*seen));
	struct tn_sum s;
	size_t n = 0;

	assert_non_null(seen);
	for (int b = 0; b < BLOCKS; b++) {
		bool found = false;

		memset(seen, 0xff, (low + 1) * sizeof(*seen));
		for (uint32_t i = 0; i < 62 * 62 * 62 && !found; i++) {
			char blk[3] = { al[i / 3844], al[i / 62 % 62], al[i % 62] };
			uint64_t x = fnv(h, blk, 3) & low;
			uint32_t j = seen[x];

			if (j != UINT32_MAX) {
				memcpy(pair[b][0], (char[3]){ al[j / 3844], al[j / 62 % 62], al[j % 62] }, 3);
				memcpy(pair[b][1], blk, 3);
				h = fnv(h, blk, 3);
				found = true;
			}
			seen[x] = i;
		}
		assert_true(found);
	}
	free(seen);

	tn_sum_init(&s);
	for (unsigned k = 0; k < (1u << BLOCKS); k++) {
		const struct tn_ev_rec *rec;
		struct tn_ev_reader *r;
		struct tn_error e;

		for (int b = 0; b < BLOCKS; b++)
			memcpy(arch + 3 * b, pair[b][(k >> b) & 1], 3);
		arch[3 * BLOCKS] = '\0';
		if (k > 0)      /* they do collide: the low bits of every key agree */
			assert_int_equal(fnv(fnv(0xcbf29ce484222325ull, "read", 4), arch, 3 * BLOCKS) & low, n);
		else
			n = fnv(fnv(0xcbf29ce484222325ull, "read", 4), arch, 3 * BLOCKS) & low;
		snprintf(line, sizeof(line),
			 "{\"type\":\"syscall\",\"name\":\"read\",\"arch\":\"%s\",\"ret\":0,\"dur\":1}\n", arch);
		r = tn_ev_reader_new_mem(line, strlen(line), "keys");
		assert_non_null(r);
		assert_int_equal(tn_ev_reader_next(r, &rec, &e), 1);
		assert_int_equal(tn_sum_add(&s, rec, &e), 0);
		tn_ev_reader_free(r);
	}
	assert_int_equal(s.sys.len, 1u << BLOCKS);
	/* Linear probing at load 1/2 looks at about 1.5 slots per look-up (and
	 * each insertion looks twice); from the low bits it would be 2^25. */
	assert_true(s.sys.probes < 8u << BLOCKS);
	tn_sum_fini(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counts),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_columns),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_wide),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_runs_and_arches),
		cmocka_unit_test(test_group),
		cmocka_unit_test(test_colliding_keys),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
