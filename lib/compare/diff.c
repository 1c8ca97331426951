/* SPDX-License-Identifier: MIT */
/* Myers' linear-space diff: the middle snake, then both halves. */
#include "diff.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

struct ctx {
	const uint32_t *a, *b;
	uint8_t *del, *ins;
	long *vf, *vb;          /* indexed by diagonal + off */
	long off;
};

struct snake { long x0, y0, x1, y1; };

/*
 * The middle snake of a[0..n), b[0..m) (offsets into ctx's arrays given by
 * a, b): returns D, the length of the shortest edit script, and the snake
 * that crosses the middle of one such script, or -1 when D > 2 * lim.
 * Diagonal k is x - y forward; backward the strings are read from their
 * ends, and backward diagonal k is forward diagonal n - m - k.
 */
static long middle(struct ctx *c, const uint32_t *a, long n, const uint32_t *b, long m,
		   long lim, struct snake *s)
{
	long delta = n - m, *vf = c->vf + c->off, *vb = c->vb + c->off;
	bool odd = delta & 1;
	long dmax = (n + m + 1) / 2;

	if (dmax > lim)
		dmax = lim;
	vf[1] = 0;
	vb[1] = 0;
	for (long d = 0; d <= dmax; d++) {
		for (long k = -d; k <= d; k += 2) {
			long x = (k == -d || (k != d && vf[k - 1] < vf[k + 1])) ? vf[k + 1] : vf[k - 1] + 1;
			long y = x - k, x0 = x, y0 = y;

			while (x < n && y < m && a[x] == b[y])
				x++, y++;
			vf[k] = x;
			if (odd && k >= delta - (d - 1) && k <= delta + (d - 1) &&
			    vf[k] + vb[delta - k] >= n) {
				*s = (struct snake){ x0, y0, x, y };
				return 2 * d - 1;
			}
		}
		for (long k = -d; k <= d; k += 2) {
			long x = (k == -d || (k != d && vb[k - 1] < vb[k + 1])) ? vb[k + 1] : vb[k - 1] + 1;
			long y = x - k, x0 = x, y0 = y;

			while (x < n && y < m && a[n - x - 1] == b[m - y - 1])
				x++, y++;
			vb[k] = x;
			if (!odd && delta - k >= -d && delta - k <= d &&
			    vb[k] + vf[delta - k] >= n) {
				*s = (struct snake){ n - x, m - y, n - x0, m - y0 };
				return 2 * d;
			}
		}
	}
	return -1;
}

/* Mark what differs between a[ai..an) and b[bi..bm); d is their distance
 * when the caller knows it (-1 otherwise).  Returns 0 or -1 past lim. */
static int walk(struct ctx *c, long ai, long an, long bi, long bm, long lim)
{
	struct snake s;
	long d;

	/* Common prefix and suffix cost nothing: take them off first. */
	while (ai < an && bi < bm && c->a[ai] == c->b[bi])
		ai++, bi++;
	while (ai < an && bi < bm && c->a[an - 1] == c->b[bm - 1])
		an--, bm--;
	if (ai == an) {
		memset(c->ins + bi, 1, (size_t)(bm - bi));
		return 0;
	}
	if (bi == bm) {
		memset(c->del + ai, 1, (size_t)(an - ai));
		return 0;
	}
	d = middle(c, c->a + ai, an - ai, c->b + bi, bm - bi, lim, &s);
	if (d < 0)
		return -1;
	if (d == 1) {
		/* One edit after the prefix was taken off: it is the first
		 * element of the longer side (the middle snake may end there,
		 * and recursing on it would not shrink the problem). */
		if (an - ai > bm - bi)
			c->del[ai] = 1;
		else
			c->ins[bi] = 1;
		return 0;
	}
	/* Both halves have fewer edits than d, so this ends. */
	if (walk(c, ai, ai + s.x0, bi, bi + s.y0, lim) < 0)
		return -1;
	return walk(c, ai + s.x1, an, bi + s.y1, bm, lim);
}

long tn_diff(const uint32_t *a, size_t n, const uint32_t *b, size_t m,
	     uint8_t *del, uint8_t *ins, size_t max_d)
{
	struct ctx c = { .a = a, .b = b, .del = del, .ins = ins };
	size_t lim = (max_d + 1) / 2 + 1, half = (n + m + 1) / 2 + 1;
	long edits = 0;

	if (n)
		memset(del, 0, n);
	if (m)
		memset(ins, 0, m);
	if (lim > half)
		lim = half;
	c.off = (long)lim + 2;
	c.vf = calloc(2 * (size_t)c.off + 1, sizeof(*c.vf));
	c.vb = calloc(2 * (size_t)c.off + 1, sizeof(*c.vb));
	if (!c.vf || !c.vb) {
		free(c.vf);
		free(c.vb);
		return -ENOMEM;
	}
	if (walk(&c, 0, (long)n, 0, (long)m, (long)lim) < 0) {
		edits = -E2BIG;
	} else {
		for (size_t i = 0; i < n; i++)
			edits += del[i];
		for (size_t j = 0; j < m; j++)
			edits += ins[j];
		if ((size_t)edits > max_d)
			edits = -E2BIG;
	}
	free(c.vf);
	free(c.vb);
	if (edits < 0) {
		if (n)
			memset(del, 0, n);
		if (m)
			memset(ins, 0, m);
	}
	return edits;
}
