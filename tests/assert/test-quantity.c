/* SPDX-License-Identifier: MIT */
/* Unit tests of the quantities of tn-assert.yaml(5): every unit the page
 * lists is taken with its factor, everything else is refused. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "assert.h"

static double ok(const char *s, enum tn_asr_unit u)
{
	const char *why = NULL;
	double v = -1;

	if (tn_asr_parse_quantity(s, u, &v, &why) != 0)
		fail_msg("'%s' refused: %s", s, why);
	return v;
}

static void bad(const char *s, enum tn_asr_unit u)
{
	const char *why = NULL;
	double v = -1;

	if (tn_asr_parse_quantity(s, u, &v, &why) == 0)
		fail_msg("'%s' taken as %g", s, v);
	assert_non_null(why);
}

static void test_durations(void **state)
{
	(void)state;
	assert_true(ok("100ms", TN_ASR_U_NS) == 1e8);
	assert_true(ok("7ns", TN_ASR_U_NS) == 7);
	assert_true(ok("2.5us", TN_ASR_U_NS) == 2500);
	assert_true(ok("3\xc2\xb5s", TN_ASR_U_NS) == 3000);
	assert_true(ok("1s", TN_ASR_U_NS) == 1e9);
	assert_true(ok("1e3us", TN_ASR_U_NS) == 1e6);
	assert_true(ok("0ms", TN_ASR_U_NS) == 0);
	bad("100", TN_ASR_U_NS);
	bad("100 ms", TN_ASR_U_NS);
	bad("100msec", TN_ASR_U_NS);
	bad("-1ms", TN_ASR_U_NS);
	bad("+1ms", TN_ASR_U_NS);
	bad("1m", TN_ASR_U_NS);
	bad("ms", TN_ASR_U_NS);
	bad("", TN_ASR_U_NS);
	bad("1e400s", TN_ASR_U_NS);
}

static void test_sizes(void **state)
{
	(void)state;
	assert_true(ok("64MiB", TN_ASR_U_BYTES) == 64.0 * 1048576);
	assert_true(ok("64MB", TN_ASR_U_BYTES) == 64e6);
	assert_true(ok("4096", TN_ASR_U_BYTES) == 4096);
	assert_true(ok("1B", TN_ASR_U_BYTES) == 1);
	assert_true(ok("2kB", TN_ASR_U_BYTES) == 2000);
	assert_true(ok("2KB", TN_ASR_U_BYTES) == 2000);
	assert_true(ok("2KiB", TN_ASR_U_BYTES) == 2048);
	assert_true(ok("1GiB", TN_ASR_U_BYTES) == 1073741824.0);
	assert_true(ok("1TiB", TN_ASR_U_BYTES) == 1099511627776.0);
	bad("64mib", TN_ASR_U_BYTES);
	bad("0x1000", TN_ASR_U_BYTES);
	bad("inf", TN_ASR_U_BYTES);
	bad(".nan", TN_ASR_U_BYTES);
	bad("64MiB/s", TN_ASR_U_BYTES);
	bad("1e19", TN_ASR_U_BYTES);
}

static void test_rates_and_counts(void **state)
{
	(void)state;
	assert_true(ok("2GB/s", TN_ASR_U_BPS) == 2e9);
	assert_true(ok("1.5GiB/s", TN_ASR_U_BPS) == 1.5 * 1073741824.0);
	assert_true(ok("5M/s", TN_ASR_U_BPS) == 5e6);
	assert_true(ok("10/s", TN_ASR_U_BPS) == 10);
	assert_true(ok("3k/s", TN_ASR_U_BPS) == 3000);
	bad("2GB", TN_ASR_U_BPS);
	bad("2Gb/s", TN_ASR_U_BPS);
	bad("2 GB/s", TN_ASR_U_BPS);
	assert_true(ok("1000", TN_ASR_U_COUNT) == 1000);
	assert_true(ok("0", TN_ASR_U_COUNT) == 0);
	bad("1.5", TN_ASR_U_COUNT);
	bad("1k", TN_ASR_U_COUNT);
	bad("-3", TN_ASR_U_COUNT);
	assert_true(ok("0.5", TN_ASR_U_RATIO) == 0.5);
	bad("50%", TN_ASR_U_RATIO);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_durations),
		cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_rates_and_counts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
