/* SPDX-License-Identifier: MIT */
/* An open-addressing hash table of pointers that remembers insertion order. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The table holds pointers to the caller's entries, keyed by a 64-bit hash
 * the caller computes (tn_fnv1a64() over the key's bytes, say) and an
 * equality the caller gives.  Linear probing, at most half full; order[]
 * lists the entries as they were added, for output in a stable order.
 * A zeroed struct is an empty table.
 */
struct tn_tab {
	void **slot;
	uint64_t *hash;
	size_t cap, len;
	void **order;           /* order[0..len): entries in order of first appearance */
	uint64_t seed;          /* mixed into every slot (table.c, slot_of) */
	uint64_t probes;        /* occupied slots looked at: tests check it stays linear */
};

/* Whether the entry ent has the key key. */
typedef bool (*tn_tab_eq)(const void *ent, const void *key);

/* The entry with hash h that eq() says has key, or NULL. */
void *tn_tab_find(struct tn_tab *t, uint64_t h, tn_tab_eq eq, const void *key);

/*
 * The entry with hash h that eq() says has key; when there is none, the
 * entry mk(key) makes, added.  NULL when memory runs out or mk() returns
 * NULL (the table is unchanged).
 */
void *tn_tab_get(struct tn_tab *t, uint64_t h, tn_tab_eq eq, const void *key,
		 void *(*mk)(const void *key));

/* Frees every entry with fr (when not NULL), then the table's own memory;
 * the table is empty and usable again. */
void tn_tab_free(struct tn_tab *t, void (*fr)(void *));
