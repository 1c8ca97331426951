/* Unit tests of the hash table (lib/common/table.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>

#include "io.h"
#include "table.h"

static bool int_eq(const void *ent, const void *key)
{
	return *(const int *)ent == *(const int *)key;
}

static void *int_mk(const void *key)
{
	int *p = malloc(sizeof(*p));

	if (p)
		*p = *(const int *)key;
	return p;
}

static void *no_mk(const void *key)
{
	(void)key;
	return NULL;
}

static int freed;

static void int_free(void *p)
{
	freed++;
	free(p);
}

static uint64_t hash_int(int k)
{
	return tn_fnv1a64(TN_FNV1A64_INIT, &k, sizeof(k));
}

/* Many keys: each found again, the same entry, in the order of insertion. */
static void test_many(void **state)
{
	struct tn_tab t = { 0 };
	const int n = 10000;

	(void)state;
	for (int k = 0; k < n; k++) {
		int key = k * 7919 % n;
		int *e = tn_tab_get(&t, hash_int(key), int_eq, &key, int_mk);

		assert_non_null(e);
		assert_int_equal(*e, key);
	}
	assert_int_equal(t.len, n);
	assert_true(t.cap >= 2 * t.len);
	for (int k = 0; k < n; k++) {
		int key = k * 7919 % n;
		int *e = tn_tab_find(&t, hash_int(key), int_eq, &key);

		assert_ptr_equal(e, t.order[k]);
		assert_ptr_equal(tn_tab_get(&t, hash_int(key), int_eq, &key, no_mk), e);
	}
	assert_int_equal(t.len, n);
	freed = 0;
	tn_tab_free(&t, int_free);
	assert_int_equal(freed, n);
	assert_int_equal(t.len, 0);
	assert_null(t.slot);
}

/* Keys whose hashes are all equal are told apart by eq. */
static void test_collisions(void **state)
{
	struct tn_tab t = { 0 };
	int absent = 1000;

	(void)state;
	for (int key = 0; key < 200; key++)
		assert_non_null(tn_tab_get(&t, 42, int_eq, &key, int_mk));
	for (int key = 0; key < 200; key++) {
		int *e = tn_tab_find(&t, 42, int_eq, &key);

		assert_non_null(e);
		assert_int_equal(*e, key);
	}
	assert_null(tn_tab_find(&t, 42, int_eq, &absent));
	assert_null(tn_tab_find(&t, 43, int_eq, &absent));
	tn_tab_free(&t, int_free);
}

static void test_empty_and_failed(void **state)
{
	struct tn_tab t = { 0 };
	int key = 1, *owned;

	(void)state;
	assert_null(tn_tab_find(&t, hash_int(key), int_eq, &key));
	/* mk fails: nothing is added. */
	assert_null(tn_tab_get(&t, hash_int(key), int_eq, &key, no_mk));
	assert_int_equal(t.len, 0);
	assert_null(tn_tab_find(&t, hash_int(key), int_eq, &key));
	/* Entries the caller owns: free the table only. */
	owned = tn_tab_get(&t, hash_int(key), int_eq, &key, int_mk);
	assert_non_null(owned);
	tn_tab_free(&t, NULL);
	assert_int_equal(t.len, 0);
	free(owned);
	/* Usable again after tn_tab_free. */
	assert_non_null(tn_tab_get(&t, hash_int(key), int_eq, &key, int_mk));
	tn_tab_free(&t, free);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_many),
		cmocka_unit_test(test_collisions),
		cmocka_unit_test(test_empty_and_failed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
