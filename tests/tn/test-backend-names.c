/* SPDX-License-Identifier: MIT */
/*
 * tn_dispatch_backend_names(): the backend names for tn-dispatch's messages
 * and --help, generated from tn_backend_name(), so a new backend appears in
 * every message without a list typed out anywhere.
 */
#include <errno.h>
#include <string.h>

#include "dispatch.h"
#include "tn-check.h"

/* The names joined by hand from tn_backend_name(): ", " and last. */
static void join(char *buf, size_t size, const char *last)
{
	int count = 0;

	while (tn_backend_name((enum tn_backend)count))
		count++;
	buf[0] = '\0';
	for (int b = 0; b < count; b++) {
		if (b > 0)
			strncat(buf, b == count - 1 ? last : ", ", size - strlen(buf) - 1);
		strncat(buf, tn_backend_name((enum tn_backend)b), size - strlen(buf) - 1);
	}
}

static void test_flat(void **state)
{
	char got[256], want[256];

	(void)state;
	join(want, sizeof(want), " or ");
	assert_int_equal(tn_dispatch_backend_names(got, sizeof(got), " or ", 0, 0, 0),
			 (int)strlen(want));
	assert_string_equal(got, want);
	join(want, sizeof(want), ", ");
	assert_int_equal(tn_dispatch_backend_names(got, sizeof(got), ", ", 0, 0, 0),
			 (int)strlen(want));
	assert_string_equal(got, want);
	/* The texts tn-dispatch's tests compare byte for byte (tests/dispatch/cases). */
	assert_string_equal(want, "auto, scalar, sse2, avx2, avx512, neon, opencl");
	assert_int_equal(tn_dispatch_backend_names(got, 5, ", ", 0, 0, 0), -ENOBUFS);
	assert_int_equal(tn_dispatch_backend_names(got, strlen(want), ", ", 0, 0, 0), -ENOBUFS);
	assert_int_equal(tn_dispatch_backend_names(got, strlen(want) + 1, ", ", 0, 0, 0),
			 (int)strlen(want));
}

/* Wrapped: no line past width, continued after indent, the same words. */
static void test_wrapped(void **state)
{
	char got[512], flat[256], unwrapped[512];
	size_t o = 0;

	(void)state;
	/* tn-dispatch --help: the list starts at column 49 of an 79-column line. */
	assert_true(tn_dispatch_backend_names(got, sizeof(got), " or ", 49, 79, 26) > 0);
	assert_string_equal(got, "auto, scalar, sse2, avx2,\n"
				 "                          avx512, neon or opencl");
	for (unsigned width = 20; width <= 80; width += 3) {
		unsigned col = 10;

		assert_true(tn_dispatch_backend_names(got, sizeof(got), " or ", col, width, 4) > 0);
		o = 0;
		for (const char *p = got; *p; p++) {
			if (*p == '\n') {
				assert_true(col <= width);
				assert_memory_equal(p + 1, "    ", 4);
				p += 4;
				col = 4;
				unwrapped[o++] = ' ';
				continue;
			}
			col++;
			unwrapped[o++] = *p;
		}
		assert_true(col <= width);
		unwrapped[o] = '\0';
		join(flat, sizeof(flat), " or ");
		assert_string_equal(unwrapped, flat);
	}
	/* Past width already: the first word stays on its line. */
	assert_true(tn_dispatch_backend_names(got, sizeof(got), ", ", 90, 79, 2) > 0);
	assert_memory_equal(got, "auto,\n  scalar,", 15);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_flat),
		cmocka_unit_test(test_wrapped),
	};

	return tn_check_run("tn-backend-names", tests);
}
