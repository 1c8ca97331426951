/* SPDX-License-Identifier: MIT */
/* An open-addressing hash table of pointers that remembers insertion order. */
#include "table.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/*
 * Where the probe for hash h starts.  Not h's low bits: those of FNV-1a
 * depend only on the low bits of what came before, so keys that share them
 * are easy to make by the thousand (two-byte blocks that collide, chained),
 * and they would all land in one run of the table, each insertion probing
 * every key before it: quadratic in the input.  A per-table seed (from the
 * address space layout) and a full-avalanche mix (splitmix64's) make every
 * bit of the slot depend on every bit of h and on something the input
 * cannot know.
 */
static size_t slot_of(uint64_t seed, size_t cap, uint64_t h)
{
	h ^= seed;
	h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ull;
	h = (h ^ (h >> 27)) * 0x94d049bb133111ebull;
	return (size_t)(h ^ (h >> 31)) & (cap - 1);
}

/* The slot holding the entry equal to key, or the empty slot where it goes. */
static size_t probe(struct tn_tab *t, uint64_t h, tn_tab_eq eq, const void *key)
{
	size_t mask = t->cap - 1, i = slot_of(t->seed, t->cap, h);

	while (t->slot[i]) {
		t->probes++;
		if (t->hash[i] == h && eq(t->slot[i], key))
			return i;
		i = (i + 1) & mask;
	}
	return i;
}

/* Its address (where the program was loaded) goes into every seed. */
static const char seed_anchor;

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
	if (!t->cap)
		t->seed = ((uint64_t)(uintptr_t)ns * 0x9e3779b97f4a7c15ull) ^
			  (uint64_t)(uintptr_t)&seed_anchor;
	for (size_t i = 0; i < t->cap; i++) {
		size_t j;

		if (!t->slot[i])
			continue;
		j = slot_of(t->seed, ncap, t->hash[i]);
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

void *tn_tab_find(struct tn_tab *t, uint64_t h, tn_tab_eq eq, const void *key)
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
	memset(t, 0, sizeof(*t));      /* the next grow() draws a new seed */
}
