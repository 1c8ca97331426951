/* Unit tests of error values (lib/common/error.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "error.h"
#include "io.h"

static void test_set(void **state)
{
	struct tn_error e = { 0 };

	(void)state;
	assert_int_equal(tn_error_set_at(&e, -EINVAL, "f", 3, 4, "bad %s", "thing"), -EINVAL);
	assert_int_equal(e.code, -EINVAL);
	assert_string_equal(e.file, "f");
	assert_int_equal(e.line, 3);
	assert_int_equal(e.col, 4);
	assert_string_equal(e.msg, "bad thing");
	/* Without a position, the old one goes. */
	assert_int_equal(tn_error_set(&e, -ENOMEM, "out of memory"), -ENOMEM);
	assert_null(e.file);
	assert_int_equal(e.line, 0);
	assert_int_equal(e.col, 0);
	/* No error to fill: the code still comes back. */
	assert_int_equal(tn_error_set(NULL, -EIO, "x"), -EIO);
	assert_int_equal(tn_error_set_at(NULL, -EIO, "f", 1, 1, "x"), -EIO);
}

static void test_format(void **state)
{
	struct tn_error e = { 0 };
	char buf[64], small[8];

	(void)state;
	tn_error_set_at(&e, -EINVAL, "f", 3, 4, "m");
	assert_int_equal(tn_error_format(&e, buf, sizeof(buf)), 8);
	assert_string_equal(buf, "f:3:4: m");
	e.col = 0;
	tn_error_format(&e, buf, sizeof(buf));
	assert_string_equal(buf, "f:3: m");
	e.line = 0;
	tn_error_format(&e, buf, sizeof(buf));
	assert_string_equal(buf, "f: m");
	e.file = NULL;
	tn_error_format(&e, buf, sizeof(buf));
	assert_string_equal(buf, "m");
	/* Too small a buffer: what fits. */
	tn_error_set_at(&e, -EINVAL, "file", 10, 20, "message");
	assert_int_equal(tn_error_format(&e, small, sizeof(small)), sizeof(small) - 1);
	assert_string_equal(small, "file:10");
}

/*
 * A message longer than the buffer is cut on a character boundary (issue 8,
 * item 11: tn-dispatch's "unknown operation" message cut an 'é' in two):
 * for characters of 1 to 4 bytes starting at every offset from the cut.
 */
static void test_cut_on_character(void **state)
{
	static const char *const chars[] = { "x", "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80" };
	const size_t room = sizeof(((struct tn_error *)0)->msg) - 1;

	(void)state;
	for (size_t c = 0; c < 4; c++) {
		for (size_t lead = 0; lead < 4; lead++) {
			char text[1200];
			struct tn_error e = { 0 };
			size_t o = lead, len;

			memset(text, 'a', lead);
			while (o + 4 < sizeof(text) - 1) {
				memcpy(text + o, chars[c], strlen(chars[c]));
				o += strlen(chars[c]);
			}
			text[o] = '\0';
			tn_error_set(&e, -EINVAL, "%s", text);
			len = strlen(e.msg);
			assert_true(len <= room && len + strlen(chars[c]) > room);
			assert_memory_equal(e.msg, text, len);
			assert_int_equal(tn_utf8_valid_prefix(e.msg, len), len);
		}
	}
}

/* Bytes that were no UTF-8 to begin with are not the cut's business. */
static void test_cut_keeps_other_bytes(void **state)
{
	const size_t room = sizeof(((struct tn_error *)0)->msg) - 1;
	char text[600];
	struct tn_error e = { 0 };

	(void)state;
	memset(text, 'a', sizeof(text) - 1);
	text[sizeof(text) - 1] = '\0';
	text[room - 1] = (char)0x80;            /* a stray continuation byte, kept */
	tn_error_set(&e, -EINVAL, "%s", text);
	assert_int_equal(strlen(e.msg), room);
	text[room - 1] = (char)0xc3;            /* a lead byte the cut leaves alone */
	text[room] = (char)0xa9;
	tn_error_set(&e, -EINVAL, "%s", text);
	assert_int_equal(strlen(e.msg), room - 1);
	/* A message that fits is untouched, even ending in a broken character. */
	tn_error_set(&e, -EINVAL, "ab\xc3");
	assert_string_equal(e.msg, "ab\xc3");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_set),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_cut_on_character),
		cmocka_unit_test(test_cut_keeps_other_bytes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
