/* Unit tests of the event-stream reader (lib/events/reader.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "events.h"
#include "reader.h"

/* Read all of text; returns the number of records, *ret the final status. */
static int read_all(const char *text, size_t len, int *ret, struct tn_error *e)
{
	struct tn_ev_reader *r = tn_ev_reader_new_mem(text, len, "in.jsonl");
	const struct tn_ev_rec *rec;
	int n = 0;

	assert_non_null(r);
	while ((*ret = tn_ev_reader_next(r, &rec, e)) > 0)
		n++;
	tn_ev_reader_free(r);
	return n;
}

static void expect_error(const char *text, size_t len, int nrec, unsigned long line,
			 unsigned long col, const char *msg)
{
	struct tn_error e = { 0 };
	int ret;

	assert_int_equal(read_all(text, len, &ret, &e), nrec);
	assert_true(ret < 0);
	assert_int_equal(ret, e.code);
	assert_string_equal(e.file, "in.jsonl");
	assert_int_equal(e.line, line);
	assert_int_equal(e.col, col);
	if (strstr(e.msg, msg) == NULL)
		fail_msg("message '%s' does not contain '%s'", e.msg, msg);
}

static void test_records(void **state)
{
	static const char text[] =
		"{\"type\":\"header\",\"schema\":1,\"argv\":[\"ls\",\"/\"]}\n"
		"{\"type\":\"syscall\",\"pid\":7,\"name\":\"read\",\"ret\":-2,\"err\":\"ENOENT\","
		"\"args\":[3,\"0x1f\",{\"a\":[true,false,null]}],\"dur\":1500,\"ok\":true}\n"
		"  {\"type\" : \"exit\" , \"pid\" : -7 , \"x\" : null }  \r\n";
	struct tn_ev_reader *r = tn_ev_reader_new_mem(text, strlen(text), "in.jsonl");
	const struct tn_ev_rec *rec;
	struct tn_error e = { 0 };
	const char *s;
	size_t n;
	int64_t v;
	bool b;

	assert_int_equal(tn_ev_reader_next(r, &rec, &e), 1);
	assert_int_equal(rec->kind, TN_EV_K_HEADER);
	assert_int_equal(rec->lineno, 1);
	assert_true(tn_ev_rec_int(rec, "schema", &v));
	assert_int_equal(v, 1);
	assert_int_equal(tn_ev_rec_get(rec, "argv")->type, TN_EV_V_ARRAY);

	assert_int_equal(tn_ev_reader_next(r, &rec, &e), 1);
	assert_int_equal(rec->kind, TN_EV_K_SYSCALL);
	assert_true(tn_ev_rec_str(rec, "name", &s, &n));
	assert_int_equal(n, 4);
	assert_memory_equal(s, "read", 4);
	assert_true(tn_ev_rec_int(rec, "ret", &v));
	assert_int_equal(v, -2);
	assert_true(tn_ev_rec_int(rec, "dur", &v));
	assert_int_equal(v, 1500);
	assert_true(tn_ev_rec_bool(rec, "ok", &b));
	assert_true(b);
	assert_false(tn_ev_rec_int(rec, "name", &v));     /* wrong type */
	assert_false(tn_ev_rec_int(rec, "missing", &v));
	assert_int_equal(tn_ev_rec_get(rec, "args")->type, TN_EV_V_ARRAY);
	assert_int_equal(rec->line[rec->len], '\n');

	assert_int_equal(tn_ev_reader_next(r, &rec, &e), 1);
	assert_int_equal(rec->kind, TN_EV_K_EXIT);
	assert_true(tn_ev_rec_int(rec, "pid", &v));
	assert_int_equal(v, -7);
	assert_int_equal(tn_ev_rec_get(rec, "x")->type, TN_EV_V_NULL);
	assert_int_equal(rec->lineno, 3);

	assert_int_equal(tn_ev_reader_next(r, &rec, &e), 0);
	assert_int_equal(tn_ev_reader_next(r, &rec, &e), 0);
	tn_ev_reader_free(r);
}

/* Lines outside the fast subset go to jansson and come out the same way. */
static void test_slow_path(void **state)
{
	static const char text[] =
		"{\"type\":\"syscall\",\"name\":\"a\\\"b\\u00e9\",\"dur\":2.5e3,\"big\":123456789012345678}\n"
		"{\"type\":\"span\",\"name\":\"caf\xc3\xa9\",\"n\":1234567890123456789,\"d\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}\n"
		"{\"type\":\"x\",\"k\":1,\"k\":2}\n"
		"{\"type\":\"x\",\"k\":0.5}\n";
	struct tn_ev_reader *r = tn_ev_reader_new_mem(text, strlen(text), "in.jsonl");
	const struct tn_ev_rec *rec;
	struct tn_error e = { 0 };
	const struct tn_ev_member *m;
	uint64_t fast, slow;
	const char *s;
	size_t n;
	int64_t v;

	assert_int_equal(tn_ev_reader_next(r, &rec, &e), 1);
	assert_true(tn_ev_rec_str(rec, "name", &s, &n));
	assert_int_equal(n, 5);
	assert_memory_equal(s, "a\"b\xc3\xa9", 5);
	m = tn_ev_rec_get(rec, "dur");
	assert_int_equal(m->type, TN_EV_V_REAL);
	assert_true(m->d == 2500.0);
	assert_true(tn_ev_rec_int(rec, "big", &v));
	assert_int_equal(v, 123456789012345678);

	assert_int_equal(tn_ev_reader_next(r, &rec, &e), 1);
	assert_int_equal(rec->kind, TN_EV_K_SPAN);
	assert_true(tn_ev_rec_int(rec, "n", &v));
	assert_int_equal(v, 1234567890123456789);
	assert_true(tn_ev_rec_str(rec, "name", &s, &n));
	assert_memory_equal(s, "caf\xc3\xa9", 5);

	/* Duplicate members: the last one counts, as in jansson. */
	assert_int_equal(tn_ev_reader_next(r, &rec, &e), 1);
	assert_int_equal(rec->kind, TN_EV_K_OTHER);
	assert_true(tn_ev_rec_int(rec, "k", &v));
	assert_int_equal(v, 2);

	assert_int_equal(tn_ev_reader_next(r, &rec, &e), 1);
	assert_int_equal(tn_ev_rec_get(rec, "k")->type, TN_EV_V_REAL);
	assert_int_equal(tn_ev_reader_next(r, &rec, &e), 0);
	tn_ev_reader_stats(r, &fast, &slow);
	assert_int_equal(fast, 1);
	assert_int_equal(slow, 3);
	tn_ev_reader_free(r);
}

/* The fast scanner and jansson agree on every member of every line. */
static void test_fast_matches_jansson(void **state)
{
	static const char *const lines[] = {
		"{\"type\":\"syscall\",\"ts\":81730000,\"pid\":4101,\"tid\":4101,\"name\":\"openat\",\"nr\":257,\"arch\":\"x86_64\",\"args\":[-100,\"0x7f3a9c0\",\"0x80000\",0],\"path\":\"/etc/ld.so.cache\",\"ret\":3,\"dur\":5120}",
		"{\"type\":\"exec\",\"pid\":1,\"argv\":[\"a\\tb\",\"c\\\\d\",\"\\/e\"],\"path\":\"/bin/x\"}",
		"{\"type\":\"t\",\"a\":true,\"b\":false,\"c\":null,\"d\":{},\"e\":[],\"f\":-0,\"g\":999999999999999999,\"h\":\"\"}",
		"{ }",
		"{\"type\":\"t\",\"\":1}",
	};

	for (size_t i = 0; i < sizeof(lines) / sizeof(*lines); i++) {
		char buf[1024];
		size_t len = (size_t)snprintf(buf, sizeof(buf), "%s\n", lines[i]);
		struct tn_ev_reader *r = tn_ev_reader_new_mem(buf, len, "x");
		const struct tn_ev_rec *rec;
		struct tn_error e = { 0 };
		json_t *j = json_loads(lines[i], 0, NULL);
		uint64_t fast, slow;
		int ret = tn_ev_reader_next(r, &rec, &e);

		assert_non_null(j);
		tn_ev_reader_stats(r, &fast, &slow);
		if (strcmp(lines[i], "{ }") == 0) {
			assert_true(ret < 0);       /* no "type" */
		} else {
			assert_int_equal(ret, 1);
			assert_int_equal(fast, 1);
			assert_int_equal(rec->nmembers, json_object_size(j));
			for (size_t k = 0; k < rec->nmembers; k++) {
				const struct tn_ev_member *m = &rec->members[k];
				char key[64];
				json_t *v;

				memcpy(key, m->key, m->klen);
				key[m->klen] = '\0';
				v = json_object_get(j, key);
				assert_non_null(v);
				switch (m->type) {
				case TN_EV_V_INT: assert_int_equal(m->i, json_integer_value(v)); break;
				case TN_EV_V_STR:
					assert_int_equal(m->slen, json_string_length(v));
					assert_memory_equal(m->s, json_string_value(v), m->slen);
					break;
				case TN_EV_V_BOOL: assert_int_equal(m->b, json_is_true(v)); break;
				case TN_EV_V_NULL: assert_true(json_is_null(v)); break;
				case TN_EV_V_ARRAY: assert_true(json_is_array(v)); break;
				case TN_EV_V_OBJECT: assert_true(json_is_object(v)); break;
				default: fail();
				}
			}
		}
		json_decref(j);
		tn_ev_reader_free(r);
	}
}

/* Strings longer than a word, with what ends a plain run at every offset. */
static void test_long_strings(void **state)
{
	static const char *const stops[] = { "\\\"", "\\n", "\xc3\xa9", "\\u0041" };
	static const char *const decoded[] = { "\"", "\n", "\xc3\xa9", "A" };

	for (size_t k = 0; k < 4; k++) {
		for (size_t off = 0; off < 20; off++) {
			char text[256], want[64];
			int n = snprintf(text, sizeof(text),
					 "{\"type\":\"x\",\"a\":[\"%.*s%s%s\"],\"s\":\"%.*s%s%s\"}\n",
					 (int)off, "abcdefghijklmnopqrstuvwxyz", stops[k], "tail-of-it",
					 (int)off, "abcdefghijklmnopqrstuvwxyz", stops[k], "tail-of-it");
			struct tn_ev_reader *r = tn_ev_reader_new_mem(text, (size_t)n, "x");
			const struct tn_ev_rec *rec;
			struct tn_error e = { 0 };
			uint64_t fast, slow;
			const char *s;
			size_t len;

			snprintf(want, sizeof(want), "%.*s%s%s", (int)off,
				 "abcdefghijklmnopqrstuvwxyz", decoded[k], "tail-of-it");
			assert_int_equal(tn_ev_reader_next(r, &rec, &e), 1);
			assert_true(tn_ev_rec_str(rec, "s", &s, &len));
			assert_int_equal(len, strlen(want));
			assert_memory_equal(s, want, len);
			assert_int_equal(tn_ev_rec_get(rec, "a")->type, TN_EV_V_ARRAY);
			/* Top-level strings that need decoding take jansson's path. */
			tn_ev_reader_stats(r, &fast, &slow);
			assert_int_equal(slow, 1);
			tn_ev_reader_free(r);
		}
	}
}

/*
 * Differential test: random mutations of valid records.  The reader must
 * accept exactly the lines jansson accepts as an object with a string
 * "type", and then agree with jansson on every member.
 */
static uint64_t rng = 0x9e3779b97f4a7c15ull;
static unsigned rnd_below(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

static bool jansson_accepts(const char *line, size_t len, json_t **out)
{
	json_t *j = memchr(line, '\0', len) ? NULL : json_loadb(line, len, 0, NULL);

	*out = j;
	return j && json_is_object(j) && json_is_string(json_object_get(j, "type"));
}

static void check_member(const struct tn_ev_member *m, json_t *v)
{
	assert_non_null(m);
	assert_non_null(v);
	switch (m->type) {
	case TN_EV_V_INT: assert_true(json_is_integer(v)); assert_int_equal(m->i, json_integer_value(v)); break;
	case TN_EV_V_REAL: assert_true(json_is_real(v)); assert_true(m->d == json_real_value(v)); break;
	case TN_EV_V_STR:
		assert_true(json_is_string(v));
		assert_int_equal(m->slen, json_string_length(v));
		assert_memory_equal(m->s, json_string_value(v), m->slen);
		break;
	case TN_EV_V_BOOL: assert_true(json_is_boolean(v)); assert_int_equal(m->b, json_is_true(v)); break;
	case TN_EV_V_NULL: assert_true(json_is_null(v)); break;
	case TN_EV_V_ARRAY: assert_true(json_is_array(v)); break;
	case TN_EV_V_OBJECT: assert_true(json_is_object(v)); break;
	}
}

static void test_differential(void **state)
{
	static const char *const seeds[] = {
		"{\"type\":\"syscall\",\"ts\":81730000,\"pid\":4101,\"name\":\"openat\",\"nr\":257,\"args\":[-100,\"0x7f3a9c0\",{\"k\":[true,null]}],\"path\":\"/etc/ld.so.cache\",\"ret\":-2,\"err\":\"ENOENT\",\"dur\":5120}",
		"{\"type\":\"exec\",\"argv\":[\"a\\tb\",\"c\\\\d\"],\"x\":1.5e3,\"y\":-0,\"z\":false}",
		"{ \"type\" : \"x\" , \"a\" : [ 1 , 2 ] , \"b\" : { } }",
	};
	static const char alphabet[] = "\"\\{}[]:,0123456789-+.eEtrufalsn \t\x01\x7f\xc3\xa9\xff/u\0\r";
	char line[512];
	uint64_t fast_total = 0;

	/* Fewer rounds under valgrind, which runs them fifty times slower. */
	int rounds = getenv("TN_UNDER_VALGRIND") ? 3000 : 30000;

	for (int iter = 0; iter < rounds; iter++) {
		const char *seed = seeds[rnd_below(3)];
		size_t len = strlen(seed);
		int edits = 1 + (int)rnd_below(3);
		struct tn_ev_reader *r;
		const struct tn_ev_rec *rec;
		struct tn_error e = { 0 };
		json_t *j;
		bool want;
		int ret;

		memcpy(line, seed, len);
		for (int k = 0; k < edits && len > 2 && len < sizeof(line) - 4; k++) {
			size_t at = rnd_below((unsigned)len);
			char c = alphabet[rnd_below(sizeof(alphabet) - 1)];

			switch (rnd_below(3)) {
			case 0: line[at] = c; break;                                    /* replace */
			case 1: memmove(line + at, line + at + 1, len - at - 1); len--; break;  /* delete */
			default: memmove(line + at + 1, line + at, len - at); line[at] = c; len++; break;
			}
		}
		line[len] = '\n';
		want = jansson_accepts(line, len, &j);
		r = tn_ev_reader_new_mem(line, len + 1, "fuzz");
		ret = tn_ev_reader_next(r, &rec, &e);
		if (want != (ret == 1))
			fail_msg("reader %s, jansson %s: %.*s", ret == 1 ? "accepts" : "rejects",
				 want ? "accepts" : "rejects", (int)len, line);
		if (ret == 1) {
			uint64_t fast, slow;

			const char *jk;
			json_t *jv;

			/* Every member jansson has, the reader has (duplicates: the last). */
			json_object_foreach(j, jk, jv)
				check_member(tn_ev_rec_get(rec, jk), jv);
			for (size_t i = 0; i < rec->nmembers; i++) {
				char key[128];

				assert_true(rec->members[i].klen < sizeof(key));
				memcpy(key, rec->members[i].key, rec->members[i].klen);
				key[rec->members[i].klen] = '\0';
				/* Duplicates: jansson keeps the last, and so does the lookup. */
				check_member(tn_ev_rec_get(rec, key), json_object_get(j, key));
			}
			tn_ev_reader_stats(r, &fast, &slow);
			fast_total += fast;
		} else {
			assert_true(e.line == 1 && e.col >= 1);
		}
		json_decref(j);
		tn_ev_reader_free(r);
	}
	assert_true(fast_total > (uint64_t)rounds / 30);   /* the fast path was exercised */
}

static void test_empty_stream(void **state)
{
	struct tn_error e = { 0 };
	int ret;

	assert_int_equal(read_all("", 0, &ret, &e), 0);
	assert_int_equal(ret, 0);
}

static void test_truncated(void **state)
{
	static const char t[] = "{\"type\":\"a\"}\n{\"type\":\"b\"}\n{\"type\":\"c\"}";

	expect_error(t, strlen(t), 2, 3, 13, "truncated line");
	/* Even a complete object is truncated without its newline. */
	expect_error("{\"type\":\"a\"}", 12, 0, 1, 13, "truncated line");
	/* Multi-byte characters count as one column. */
	expect_error("{\"type\":\"\xc3\xa9", 11, 0, 1, 11, "truncated line");
}

static void test_bad_json(void **state)
{
	static const char t1[] = "{\"type\":\"a\"}\n{\"type\":\"b\",}\n{\"type\":\"c\"}\n";
	static const char t2[] = "{\"type\":\"a\"}\n[1,2]\n";
	static const char t3[] = "{\"typ\":\"a\"}\n";
	static const char t4[] = "{\"type\":3}\n";
	static const char t5[] = "{\"type\":\"a\"}\n\n";
	static const char t6[] = "{\"type\":\"a\"} x\n";
	static const char t7[] = "{\"type\":\"a\",\"n\":12345678901234567890}\n";

	expect_error(t1, strlen(t1), 1, 2, 13, "invalid JSON: ");
	expect_error(t2, strlen(t2), 1, 2, 1, "must be a JSON object");
	expect_error(t3, strlen(t3), 0, 1, 1, "string member \"type\"");
	expect_error(t4, strlen(t4), 0, 1, 1, "string member \"type\"");
	expect_error(t5, strlen(t5), 1, 2, 1, "empty line");
	expect_error(t6, strlen(t6), 0, 1, 14, "invalid JSON: end of file expected");
	expect_error(t7, strlen(t7), 0, 1, 36, "too big integer");
}

static void test_binary(void **state)
{
	static const char nul[] = "{\"type\":\"a\"}\n{\"type\":\"\0\"}\n";
	static const char bad[] = "{\"type\":\"a\"}\n{\"type\":\"\xc3\xa9\xff\"}\n";
	static const char elf[] = "\x7f" "ELF\x02\x01\x01\0\0\0";
	static const char overlong[] = "{\"type\":\"\xc0\xaf\"}\n";
	static const char surrogate[] = "{\"type\":\"\xed\xa0\x80\"}\n";

	expect_error(nul, sizeof(nul) - 1, 1, 2, 10, "NUL byte");
	expect_error(bad, sizeof(bad) - 1, 1, 2, 11, "invalid UTF-8");
	expect_error(elf, sizeof(elf) - 1, 0, 1, 8, "NUL byte");
	expect_error(overlong, sizeof(overlong) - 1, 0, 1, 10, "invalid UTF-8");
	expect_error(surrogate, sizeof(surrogate) - 1, 0, 1, 10, "invalid UTF-8");
}

static char *long_line(size_t len)
{
	/* {"type":"x","p":"aaaa...a"} of exactly len bytes, then '\n' */
	static const char head[] = "{\"type\":\"x\",\"p\":\"";
	char *s = malloc(len + 2);

	assert_non_null(s);
	memcpy(s, head, sizeof(head) - 1);
	memset(s + sizeof(head) - 1, 'a', len - (sizeof(head) - 1) - 2);
	memcpy(s + len - 2, "\"}\n", 3);
	return s;
}

static void test_line_bound(void **state)
{
	char *ok = long_line(TN_EV_LINE_MAX);
	char *over = long_line(TN_EV_LINE_MAX + 1);
	struct tn_error e = { 0 };
	size_t big = 3 * (size_t)TN_EV_LINE_MAX;
	char *huge = malloc(big);
	int ret;

	assert_int_equal(read_all(ok, TN_EV_LINE_MAX + 1, &ret, &e), 1);
	assert_int_equal(ret, 0);
	expect_error(over, TN_EV_LINE_MAX + 2, 0, 1, TN_EV_LINE_MAX + 1,
		     "line longer than 1048576 bytes");
	/* Without any newline at all, the reader stops at the bound. */
	assert_non_null(huge);
	memset(huge, 'x', big);
	expect_error(huge, big, 0, 1, TN_EV_LINE_MAX + 1, "line longer than 1048576 bytes");
	free(huge);
	free(ok);
	free(over);
}

/* Errors are sticky; the records before them were all delivered. */
static void test_sticky(void **state)
{
	static const char t[] = "{\"type\":\"a\"}\nnope\n{\"type\":\"c\"}\n";
	struct tn_ev_reader *r = tn_ev_reader_new_mem(t, strlen(t), "in");
	const struct tn_ev_rec *rec;
	struct tn_error e = { 0 };

	assert_int_equal(tn_ev_reader_next(r, &rec, &e), 1);
	assert_true(tn_ev_reader_next(r, &rec, &e) < 0);
	memset(&e, 0, sizeof(e));
	assert_true(tn_ev_reader_next(r, &rec, &e) < 0);
	assert_int_equal(e.line, 2);
	tn_ev_reader_free(r);
}

/* Unknown kinds come through with their text untouched. */
static void test_passthrough(void **state)
{
	static const char t[] = "{\"type\":\"future\",\"x\":[1,{\"y\":\"\\u00e9\"}], \"z\" : 1.5}\n";
	struct tn_ev_reader *r = tn_ev_reader_new_mem(t, strlen(t), "in");
	const struct tn_ev_rec *rec;
	struct tn_error e = { 0 };

	assert_int_equal(tn_ev_reader_next(r, &rec, &e), 1);
	assert_int_equal(rec->kind, TN_EV_K_OTHER);
	assert_int_equal(rec->type_len, 6);
	assert_memory_equal(rec->type, "future", 6);
	assert_int_equal(rec->len, strlen(t) - 1);
	assert_memory_equal(rec->line, t, strlen(t));
	tn_ev_reader_free(r);
}

/* Reading a file through its descriptor, across many buffer refills. */
static void test_fd(void **state)
{
	FILE *f = tmpfile();
	struct tn_ev_reader *r;
	const struct tn_ev_rec *rec;
	struct tn_error e = { 0 };
	long n = 0, sum = 0;
	int ret;

	assert_non_null(f);
	for (long i = 0; i < 200000; i++)
		fprintf(f, "{\"type\":\"syscall\",\"name\":\"getpid\",\"i\":%ld}\n", i);
	fflush(f);
	rewind(f);
	r = tn_ev_reader_new_fd(fileno(f), "tmp");
	while ((ret = tn_ev_reader_next(r, &rec, &e)) > 0) {
		int64_t v;

		assert_true(tn_ev_rec_int(rec, "i", &v));
		assert_int_equal(v, n);
		sum += v;
		n++;
	}
	assert_int_equal(ret, 0);
	assert_int_equal(n, 200000);
	assert_int_equal(sum, 200000L * 199999L / 2);
	tn_ev_reader_free(r);
	fclose(f);
}

static void test_read_error(void **state)
{
	struct tn_ev_reader *r = tn_ev_reader_new_fd(-1, "bad");
	const struct tn_ev_rec *rec;
	struct tn_error e = { 0 };

	assert_int_equal(tn_ev_reader_next(r, &rec, &e), -EBADF);
	assert_int_equal(e.line, 0);
	assert_non_null(strstr(e.msg, "read error"));
	tn_ev_reader_free(r);
}

/* Records and the final status of r, as text. */
static void transcript(struct tn_ev_reader *r, char *out, size_t size)
{
	const struct tn_ev_rec *rec;
	struct tn_error e = { 0 };
	size_t o = 0;
	int ret;

	while ((ret = tn_ev_reader_next(r, &rec, &e)) > 0)
		o += (size_t)snprintf(out + o, size - o, "%lu:%.*s:%zu|", rec->lineno,
				      (int)rec->type_len, rec->type, rec->nmembers);
	snprintf(out + o, size - o, "%d %s:%lu:%lu: %s", ret, e.file ? e.file : "", e.line,
		 e.col, ret ? e.msg : "");
}

/* From a socket that gives one byte per read(2), the reader says what it
 * says from memory: the same records, the same error at the same place. */
static void test_fd_bytewise(void **state)
{
	static const char *const texts[] = {
		"{\"type\":\"a\",\"n\":1}\n{\"type\":\"b\",\"s\":\"x\\\"y\"}\n",
		"{\"type\":\"a\"}\n{\"type\":\"b\"}",
		"{\"type\":\"a\"}\n{\"type\":\"\xc3\xa9\xff\"}\n",
		"{\"type\":\"a\"}\n\n",
		"{\"type\":\"a\"}\n{\"type\":\"b\",}\n",
		"\x7f" "ELF",
		"",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(texts) / sizeof(*texts); i++) {
		size_t len = strlen(texts[i]);
		struct tn_ev_reader *r = tn_ev_reader_new_mem(texts[i], len, "in");
		char want[512], got[512];
		int sv[2], st;
		pid_t pid;

		assert_non_null(r);
		transcript(r, want, sizeof(want));
		tn_ev_reader_free(r);
		assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
		pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			for (size_t k = 0; k < len; k++)
				if (write(sv[1], texts[i] + k, 1) != 1)
					_exit(1);
			_exit(0);
		}
		close(sv[1]);
		r = tn_ev_reader_new_fd(sv[0], "in");
		assert_non_null(r);
		transcript(r, got, sizeof(got));
		tn_ev_reader_free(r);
		close(sv[0]);
		assert_int_equal(waitpid(pid, &st, 0), pid);
		assert_string_equal(got, want);
	}
}

static void test_kind_of(void **state)
{
	assert_int_equal(tn_ev_kind_of("syscall", 7), TN_EV_K_SYSCALL);
	assert_int_equal(tn_ev_kind_of("summary", 7), TN_EV_K_SUMMARY);
	assert_int_equal(tn_ev_kind_of("sys", 3), TN_EV_K_OTHER);
	assert_int_equal(tn_ev_kind_of("syscalls", 8), TN_EV_K_OTHER);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_records),
		cmocka_unit_test(test_slow_path),
		cmocka_unit_test(test_fast_matches_jansson),
		cmocka_unit_test(test_long_strings),
		cmocka_unit_test(test_differential),
		cmocka_unit_test(test_empty_stream),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_bad_json),
		cmocka_unit_test(test_binary),
		cmocka_unit_test(test_line_bound),
		cmocka_unit_test(test_sticky),
		cmocka_unit_test(test_passthrough),
		cmocka_unit_test(test_fd),
		cmocka_unit_test(test_read_error),
		cmocka_unit_test(test_fd_bytewise),
		cmocka_unit_test(test_kind_of),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
