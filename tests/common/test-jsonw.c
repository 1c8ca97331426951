/* Unit tests of the one-line JSON writer (lib/common/jsonw.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jsonw.h"

static const char *line(struct tn_jw *w)
{
	const char *s = tn_jw_line(w, NULL);

	assert_non_null(s);
	return s;
}

/* Everything the writer makes must parse with jansson. */
static json_t *parse(const char *s)
{
	json_error_t err;
	json_t *j = json_loads(s, 0, &err);

	if (!j)
		fail_msg("jansson rejects %s: %s", s, err.text);
	return j;
}

static void test_nested_commas(void **state)
{
	struct tn_jw w;

	tn_jw_init(&w);
	tn_jw_obj_begin(&w);
	tn_jw_kstr(&w, "type", "x");
	tn_jw_key(&w, "a");
	tn_jw_arr_begin(&w);
	tn_jw_int(&w, 1);
	tn_jw_arr_begin(&w);
	tn_jw_arr_end(&w);
	tn_jw_obj_begin(&w);
	tn_jw_kint(&w, "b", 2);
	tn_jw_kint(&w, "c", 3);
	tn_jw_obj_end(&w);
	tn_jw_null(&w);
	tn_jw_arr_end(&w);
	tn_jw_key(&w, "d");
	tn_jw_obj_begin(&w);
	tn_jw_obj_end(&w);
	tn_jw_key(&w, "e");
	tn_jw_bool(&w, true);
	tn_jw_key(&w, "f");
	tn_jw_bool(&w, false);
	tn_jw_obj_end(&w);
	assert_string_equal(line(&w),
		"{\"type\":\"x\",\"a\":[1,[],{\"b\":2,\"c\":3},null],\"d\":{},\"e\":true,\"f\":false}\n");
	json_decref(parse(line(&w)));
	/* After a reset the writer starts a fresh record. */
	tn_jw_reset(&w);
	tn_jw_arr_begin(&w);
	tn_jw_str(&w, NULL);
	tn_jw_raw(&w, "{\"r\":1}", 7);
	tn_jw_arr_end(&w);
	assert_string_equal(line(&w), "[null,{\"r\":1}]\n");
	tn_jw_finish(&w);
}

static void test_escaping(void **state)
{
	struct tn_jw w;
	json_t *j;

	tn_jw_init(&w);
	tn_jw_arr_begin(&w);
	tn_jw_str(&w, "q\"b\\s\nn\tt\rr\x01\x1f/");
	tn_jw_strn(&w, "nul\0in", 6);
	tn_jw_arr_end(&w);
	assert_string_equal(line(&w),
		"[\"q\\\"b\\\\s\\nn\\tt\\rr\\u0001\\u001f/\",\"nul\\u0000in\"]\n");
	j = json_loads(line(&w), JSON_ALLOW_NUL, NULL);
	assert_non_null(j);
	assert_string_equal(json_string_value(json_array_get(j, 0)), "q\"b\\s\nn\tt\rr\x01\x1f/");
	assert_int_equal(json_string_length(json_array_get(j, 1)), 6);
	json_decref(j);
	tn_jw_finish(&w);
}

static void test_utf8(void **state)
{
	struct tn_jw w;
	json_t *j;

	tn_jw_init(&w);
	tn_jw_arr_begin(&w);
	tn_jw_str(&w, "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");   /* valid: kept */
	tn_jw_str(&w, "a\xff" "b");                                     /* stray byte */
	tn_jw_str(&w, "\xc3");                                          /* cut sequence */
	tn_jw_str(&w, "\xc0\xaf\xed\xa0\x80\xf4\x90\x80\x80");          /* overlong, surrogate, >U+10FFFF */
	tn_jw_arr_end(&w);
	assert_string_equal(line(&w),
		"[\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\",\"a\\ufffdb\",\"\\ufffd\","
		"\"\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\"]\n");
	j = parse(line(&w));
	json_decref(j);
	tn_jw_finish(&w);
}

static void test_numbers(void **state)
{
	struct tn_jw w;

	tn_jw_init(&w);
	tn_jw_arr_begin(&w);
	tn_jw_int(&w, 0);
	tn_jw_int(&w, -1);
	tn_jw_int(&w, INT64_MIN);
	tn_jw_int(&w, INT64_MAX);
	tn_jw_uint(&w, UINT64_MAX);
	tn_jw_hex(&w, 0);
	tn_jw_hex(&w, 0x7ffd2c1a0b30);
	tn_jw_double(&w, 0.1);
	tn_jw_double(&w, 1e300);
	tn_jw_double(&w, -2.5);
	tn_jw_float(&w, 0.1f);
	tn_jw_arr_end(&w);
	assert_string_equal(line(&w),
		"[0,-1,-9223372036854775808,9223372036854775807,18446744073709551615,"
		"\"0x0\",\"0x7ffd2c1a0b30\",0.1,1e+300,-2.5,0.1]\n");
	tn_jw_finish(&w);
}

static void test_nonfinite(void **state)
{
	struct tn_jw w;

	tn_jw_init(&w);
	tn_jw_obj_begin(&w);
	tn_jw_kdouble(&w, "a", NAN);
	tn_jw_kdouble(&w, "b", INFINITY);
	tn_jw_kdouble(&w, "c", -INFINITY);
	tn_jw_key(&w, "d");
	tn_jw_float(&w, NAN);
	tn_jw_obj_end(&w);
	assert_string_equal(line(&w), "{\"a\":\"nan\",\"b\":\"inf\",\"c\":\"-inf\",\"d\":\"nan\"}\n");
	json_decref(parse(line(&w)));
	tn_jw_finish(&w);
}

/* One record, one write(2), newline included; the writer resets. */
static void test_write_line(void **state)
{
	struct tn_jw w;
	int p[2];
	char buf[256];
	ssize_t n;

	assert_int_equal(pipe(p), 0);
	tn_jw_init(&w);
	tn_jw_obj_begin(&w);
	tn_jw_kstr(&w, "type", "x");
	tn_jw_obj_end(&w);
	assert_int_equal(tn_jw_write_line(&w, p[1]), 0);
	assert_int_equal(w.len, 0);
	n = read(p[0], buf, sizeof(buf));
	assert_int_equal(n, 13);
	assert_memory_equal(buf, "{\"type\":\"x\"}\n", 13);
	close(p[0]);
	assert_true(tn_jw_write_line(&w, p[0]) < 0);     /* a closed descriptor */
	close(p[1]);
	tn_jw_finish(&w);
	tn_jw_finish(NULL);
}

/* A long record grows the buffer and stays intact. */
static void test_long(void **state)
{
	struct tn_jw w;
	json_t *j;

	tn_jw_init(&w);
	tn_jw_arr_begin(&w);
	for (int i = 0; i < 10000; i++)
		tn_jw_int(&w, i);
	tn_jw_arr_end(&w);
	j = parse(line(&w));
	assert_int_equal(json_array_size(j), 10000);
	assert_int_equal(json_integer_value(json_array_get(j, 9999)), 9999);
	json_decref(j);
	tn_jw_finish(&w);
}

/* A length whose escaped size cannot be a size_t makes the record invalid,
 * without touching the bytes. */
static void test_huge_length(void **state)
{
	struct tn_jw w;

	tn_jw_init(&w);
	tn_jw_arr_begin(&w);
	tn_jw_strn(&w, "x", SIZE_MAX / 6 + 1);
	assert_true(w.oom);
	assert_null(tn_jw_line(&w, NULL));
	tn_jw_finish(&w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nested_commas),
		cmocka_unit_test(test_escaping),
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_nonfinite),
		cmocka_unit_test(test_write_line),
		cmocka_unit_test(test_long),
		cmocka_unit_test(test_huge_length),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
