/* The escaping of text for a terminal (lib/common/escape.h): issue 8, item 6. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "escape.h"

static void check(const char *in, size_t n, const char *want)
{
	char buf[256];
	size_t len = tn_escape(buf, sizeof(buf), in, n);

	assert_string_equal(buf, want);
	assert_int_equal(len, strlen(want));
	assert_int_equal(tn_escape_needed(in, n), strcmp(in, want) != 0 || strlen(in) != n);
}

static void test_rule(void **state)
{
	check("read", 4, "read");
	check("", 0, "");
	check("a\nb", 3, "a\\nb");
	check("\t\r\\", 3, "\\t\\r\\");          /* a backslash passes */
	check("\x1b[2J", 4, "\\x1b[2J");
	check("\x7f", 1, "\\x7f");
	check("a\0b", 3, "a\\x00b");
	check("\xc2\x9b" "1m", 4, "\\xc2\\x9b1m");         /* C1 CSI, U+009B */
	check("\xc2\xa0\xc3\xa9", 4, "\xc2\xa0\xc3\xa9");   /* U+00A0, U+00E9 pass */
	check("\xe2\x82\xac", 3, "\xe2\x82\xac");           /* U+20AC */
	check("\xff\xc3", 2, "\\xff\\xc3");                 /* not UTF-8, cut */
	check("\xed\xa0\x80", 3, "\\xed\\xa0\\x80");        /* a surrogate */
}

static void test_cut(void **state)
{
	char buf[6];

	/* Cut on an escape boundary, never inside one; the length is the whole. */
	assert_int_equal(tn_escape(buf, sizeof(buf), "ab\x1b" "cd", 5), 8);
	assert_string_equal(buf, "ab");
	assert_int_equal(tn_escape(buf, sizeof(buf), "abcdefg", 7), 7);
	assert_string_equal(buf, "abcde");
	assert_int_equal(tn_escape(NULL, 0, "\n", 1), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rule),
		cmocka_unit_test(test_cut),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
