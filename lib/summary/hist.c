/* The log-linear histogram of hist.h. */
#include "hist.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void tn_hist_init(struct tn_hist *h)
{
	memset(h, 0, sizeof(*h));
	h->min = UINT64_MAX;
}

void tn_hist_fini(struct tn_hist *h)
{
	for (unsigned g = 0; g < TN_HIST_GROUPS; g++)
		free(h->group[g]);
	tn_hist_init(h);
}

static unsigned group_size(unsigned g)
{
	return g ? TN_HIST_SUB : TN_HIST_EXACT;
}

/* Group and slot of v; the bucket is [lo, lo + width). */
static void locate(uint64_t v, unsigned *g, unsigned *slot)
{
	unsigned e, shift;

	if (v < TN_HIST_EXACT) {
		*g = 0;
		*slot = (unsigned)v;
		return;
	}
	e = 63u - (unsigned)__builtin_clzll(v);          /* e >= SUB_BITS + 1 */
	shift = e - TN_HIST_SUB_BITS;
	*g = shift;
	*slot = (unsigned)(v >> shift) - TN_HIST_SUB;
}

int tn_hist_add(struct tn_hist *h, uint64_t v)
{
	unsigned g, slot;

	h->count++;
	if (v < h->min)
		h->min = v;
	if (v > h->max)
		h->max = v;
	locate(v, &g, &slot);
	if (!h->group[g]) {
		h->group[g] = calloc(group_size(g), sizeof(uint64_t));
		if (!h->group[g]) {
			h->oom = 1;
			return -ENOMEM;
		}
	}
	h->group[g][slot]++;
	return 0;
}

uint64_t tn_hist_pct(const struct tn_hist *h, double p)
{
	uint64_t rank, seen = 0;

	if (h->count == 0)
		return 0;
	if (p <= 0)
		return h->min;
	rank = (uint64_t)ceil(p / 100.0 * (double)h->count);
	if (rank < 1)
		rank = 1;
	if (rank >= h->count)
		return h->max;          /* the largest value is known exactly */
	if (rank == 1)
		return h->min;
	for (unsigned g = 0; g < TN_HIST_GROUPS; g++) {
		if (!h->group[g])
			continue;
		for (unsigned s = 0; s < group_size(g); s++) {
			uint64_t lo, width, mid;

			seen += h->group[g][s];
			if (seen < rank)
				continue;
			if (g == 0)
				return s;
			width = (uint64_t)1 << g;
			lo = ((uint64_t)(s + TN_HIST_SUB)) << g;
			mid = lo + (width - 1) / 2;
			if (mid < h->min)
				mid = h->min;
			if (mid > h->max)
				mid = h->max;
			return mid;
		}
	}
	return h->max;          /* only when binning failed for lack of memory */
}

uint64_t tn_hist_bytes(const struct tn_hist *h)
{
	uint64_t b = 0;

	for (unsigned g = 0; g < TN_HIST_GROUPS; g++)
		if (h->group[g])
			b += group_size(g) * sizeof(uint64_t);
	return b;
}
