/* SPDX-License-Identifier: MIT */
/* An open-addressing hash table of pointers that remembers insertion order. */
#include "table.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* The slot holding the entry equal to key, or the empty slot where it goes. */
static size_t probe(const struct tn_tab *t, uint64_t h, tn_tab_eq eq, const void *key)
{
	size_t mask = t->cap - 1, i = (size_t)h & mask;

	while (t->slot[i]) {
		if (t->hash[i] == h && eq(t->slot[i], key))
			return i;
		i = (i + 1) & mask;
	}
	return i;
}

static int grow(struct tn_tab *t)
{
	size_t ncap = t->cap ? t->cap * 2 : 64;
	void **ns = calloc(ncap, sizeof(*ns));
	uint64_t *nh = calloc(ncap, sizeof(*nh));
	void **no = realloc(t->order, ncap / 2 * sizeof(*no));

	if (!ns || !nh || !no) {
		free(ns);
		free(nh);
		if (no)
			t->order = no;
		return -ENOMEM;
	}
	t->order = no;
	for (size_t i = 0; i < t->cap; i++) {
		size_t j;

		if (!t->slot[i])
			continue;
		j = (size_t)t->hash[i] & (ncap - 1);
		while (ns[j])
			j = (j + 1) & (ncap - 1);
		ns[j] = t->slot[i];
		nh[j] = t->hash[i];
	}
	free(t->slot);
	free(t->hash);
	t->slot = ns;
	t->hash = nh;
	t->cap = ncap;
	return 0;
}

void *tn_tab_find(const struct tn_tab *t, uint64_t h, tn_tab_eq eq, const void *key)
{
	if (t->cap == 0)
		return NULL;
	return t->slot[probe(t, h, eq, key)];
}

void *tn_tab_get(struct tn_tab *t, uint64_t h, tn_tab_eq eq, const void *key,
		 void *(*mk)(const void *key))
{
	size_t i;
	void *ent;

	if ((t->len + 1) * 2 > t->cap && grow(t) < 0)
		return NULL;
	i = probe(t, h, eq, key);
	if (t->slot[i])
		return t->slot[i];
	ent = mk(key);
	if (!ent)
		return NULL;
	t->slot[i] = ent;
	t->hash[i] = h;
	t->order[t->len++] = ent;
	return ent;
}

void tn_tab_free(struct tn_tab *t, void (*fr)(void *))
{
	for (size_t i = 0; fr && i < t->len; i++)
		fr(t->order[i]);
	free(t->slot);
	free(t->hash);
	free(t->order);
	memset(t, 0, sizeof(*t));
}
