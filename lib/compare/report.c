/* SPDX-License-Identifier: MIT */
/* Judging two sides and writing the report: diff -u text or findings. */
#include "internal.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "events.h"
#include "jsonw.h"
#include "mwu.h"
#include "systab.h"

/* At most this many hunks are written in all; the rest are counted. */
#define MAX_HUNKS 100

struct rep {
	struct tn_cmp *c;
	struct tn_ev_out *out;
	bool json;
	struct tn_jw w;
	char *line;
	size_t linecap;
	int err;
	/* structure */
	uint64_t common, total_g, total_n;
	bool different, diverged, hard;    /* hard: another command, a count beyond tolerance */
	unsigned hunks, hunks_left;
	unsigned fallbacks;
	/* timing */
	unsigned regressions, improvements, judged;
};

static void text(struct rep *R, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void text(struct rep *R, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (R->err)
		return;
	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(R->line, R->linecap, fmt, ap);
		va_end(ap);
		if (n < 0) {
			R->err = -EINVAL;
			return;
		}
		if ((size_t)n + 2 <= R->linecap)
			break;
		free(R->line);
		R->linecap = (size_t)n + 64;
		R->line = malloc(R->linecap);
		if (!R->line) {
			R->linecap = 0;
			R->err = -ENOMEM;
			return;
		}
	}
	R->line[n] = '\n';
	R->err = tn_ev_out_line(R->out, R->line, (size_t)n + 1);
}

static void rec_begin(struct rep *R, const char *kind)
{
	tn_jw_reset(&R->w);
	tn_jw_obj_begin(&R->w);
	tn_jw_kstr(&R->w, "type", TN_EV_FINDING);
	tn_jw_kstr(&R->w, "kind", kind);
}

static void rec_end(struct rep *R)
{
	const char *l;
	size_t n;

	tn_jw_obj_end(&R->w);
	if (R->err)
		return;
	if (R->w.oom) {
		R->err = -ENOMEM;
		return;
	}
	l = tn_jw_line(&R->w, &n);
	R->err = tn_ev_out_line(R->out, l, n);
}

static const char *key_str(const struct tn_cmp *c, uint32_t id)
{
	return tn_cmp_ent(&c->keys, id)->s;
}

/* ---- structure ---- */

struct change { size_t i0, j0, i1, j1; };

static void hunk(struct rep *R, const struct tn_cmp_task *tg, const uint32_t *a, size_t n,
		 const uint32_t *b, size_t m, const uint8_t *del, const uint8_t *ins,
		 const struct change *first, const struct change *last)
{
	size_t ctx = R->c->o->context;
	size_t gi = first->i0 > ctx ? first->i0 - ctx : 0;
	size_t gj = first->j0 - (first->i0 - gi);
	size_t ge = last->i1 + ctx < n ? last->i1 + ctx : n;
	size_t je = last->j1 + (ge - last->i1);
	size_t i = gi, j = gj;

	if (R->hunks >= MAX_HUNKS) {
		R->hunks_left++;
		return;
	}
	R->hunks++;
	if (R->json) {
		rec_begin(R, "hunk");
		tn_jw_kstr(&R->w, "process", tg->key);
		tn_jw_kstr(&R->w, "cmd", tg->cmd);
		tn_jw_kuint(&R->w, "golden_start", gi + 1);
		tn_jw_kuint(&R->w, "golden_len", ge - gi);
		tn_jw_kuint(&R->w, "new_start", gj + 1);
		tn_jw_kuint(&R->w, "new_len", je - gj);
		tn_jw_key(&R->w, "lines");
		tn_jw_arr_begin(&R->w);
	} else {
		text(R, "@@ process %s (%s) -%zu,%zu +%zu,%zu @@", tg->key, tg->cmd,
		     gi + 1, ge - gi, gj + 1, je - gj);
	}
	while (i < ge || j < je) {
		char op;
		const char *s;

		if (i < ge && del[i]) {
			op = '-';
			s = key_str(R->c, a[i++]);
		} else if (j < je && ins[j]) {
			op = '+';
			s = key_str(R->c, b[j++]);
		} else {
			op = ' ';
			s = key_str(R->c, a[i]);
			i++;
			j++;
		}
		if (R->json) {
			char *l = malloc(strlen(s) + 2);

			if (!l) {
				R->err = -ENOMEM;
				break;
			}
			l[0] = op;
			strcpy(l + 1, s);
			tn_jw_str(&R->w, l);
			free(l);
		} else {
			text(R, "%c%s", op, s);
		}
	}
	(void)m;
	if (R->json) {
		tn_jw_arr_end(&R->w);
		rec_end(R);
	}
}

static void divergence(struct rep *R, const struct tn_cmp_task *tg, const uint32_t *a, size_t n,
		       const uint32_t *b, size_t m, const struct change *ch)
{
	const char *g = ch->i0 < n && ch->i1 > ch->i0 ? key_str(R->c, a[ch->i0]) : NULL;
	const char *w = ch->j0 < m && ch->j1 > ch->j0 ? key_str(R->c, b[ch->j0]) : NULL;

	R->diverged = true;
	if (R->json) {
		rec_begin(R, "divergence");
		tn_jw_kstr(&R->w, "process", tg->key);
		tn_jw_kstr(&R->w, "cmd", tg->cmd);
		tn_jw_kuint(&R->w, "golden_index", ch->i0 + 1);
		tn_jw_kuint(&R->w, "new_index", ch->j0 + 1);
		tn_jw_key(&R->w, "golden");
		g ? tn_jw_str(&R->w, g) : tn_jw_null(&R->w);
		tn_jw_key(&R->w, "new");
		w ? tn_jw_str(&R->w, w) : tn_jw_null(&R->w);
		rec_end(R);
	} else {
		text(R, "first divergence: process %s (%s), golden call %zu, new call %zu:",
		     tg->key, tg->cmd, ch->i0 + 1, ch->j0 + 1);
		text(R, "  golden: %s", g ? g : "(nothing: a call was added)");
		text(R, "  new:    %s", w ? w : "(nothing: a call was removed)");
	}
}

/* The changes of one aligned pair, then its hunks. */
static int hunks(struct rep *R, const struct tn_cmp_task *tg, const uint32_t *a, size_t n,
		 const uint32_t *b, size_t m, const uint8_t *del, const uint8_t *ins)
{
	struct change *ch = NULL;
	size_t nch = 0, cap = 0, i = 0, j = 0, ctx = R->c->o->context;

	while (i < n || j < m) {
		if ((i < n && del[i]) || (j < m && ins[j])) {
			struct change c = { i, j, 0, 0 };

			while ((i < n && del[i]) || (j < m && ins[j])) {
				if (i < n && del[i])
					i++;
				else
					j++;
			}
			c.i1 = i;
			c.j1 = j;
			if (nch == cap) {
				struct change *v = realloc(ch, (cap = cap ? cap * 2 : 16) * sizeof(*v));

				if (!v) {
					free(ch);
					return -ENOMEM;
				}
				ch = v;
			}
			ch[nch++] = c;
		} else {
			i++;
			j++;
		}
	}
	if (nch && !R->diverged)
		divergence(R, tg, a, n, b, m, &ch[0]);
	for (size_t k = 0; k < nch;) {
		size_t l = k;

		while (l + 1 < nch && ch[l + 1].i0 - ch[l].i1 <= 2 * ctx)
			l++;
		hunk(R, tg, a, n, b, m, del, ins, &ch[k], &ch[l]);
		k = l + 1;
	}
	free(ch);
	return 0;
}

static double tolerance_of(const struct tn_cmp *c, const char *name, bool *has)
{
	for (size_t i = c->o->ntol; i-- > 0;) {
		if (!strcmp(c->o->tol[i].name, name)) {
			*has = true;
			return c->o->tol[i].frac;
		}
	}
	*has = false;
	return 0;
}

/* A task's calls without the names compared by count only (--tolerance). */
static uint32_t *filtered(const struct tn_cmp *c, const struct tn_cmp_task *t, const uint8_t *skip,
			  size_t *ret_n)
{
	uint32_t *v = malloc((t->len ? t->len : 1) * sizeof(*v));
	size_t n = 0;

	if (!v)
		return NULL;
	for (size_t i = 0; i < t->len; i++)
		if (!skip[tn_cmp_ent(&c->keys, t->seq[i])->name])
			v[n++] = t->seq[i];
	*ret_n = n;
	return v;
}

/* Per-name counts of two sequences; the common part bound when too
 * different to align (sum over names of the smaller count). */
static uint64_t count_common(const struct tn_cmp *c, const uint32_t *a, size_t n,
			     const uint32_t *b, size_t m, int64_t *tmp)
{
	uint64_t common = 0;

	memset(tmp, 0, c->names.tab.len * sizeof(*tmp));
	for (size_t i = 0; i < n; i++)
		tmp[tn_cmp_ent(&c->keys, a[i])->name]++;
	for (size_t j = 0; j < m; j++)
		if (tmp[tn_cmp_ent(&c->keys, b[j])->name]-- > 0)
			common++;
	return common;
}

static int pair(struct rep *R, const struct tn_cmp_task *tg, const struct tn_cmp_task *tn,
		const uint8_t *skip, int64_t *tmp)
{
	size_t n = 0, m = 0;
	const struct tn_cmp *c = R->c;
	/* Without --tolerance the sequences are aligned as they are; a copy
	 * would cost 4 more bytes per call of the largest process. */
	bool copy = c->o->ntol > 0;
	uint32_t *a = copy ? filtered(c, tg, skip, &n) : tg->seq;
	uint32_t *b = copy ? filtered(c, tn, skip, &m) : tn->seq;
	uint8_t *del = NULL, *ins = NULL;
	size_t max_d;
	long d;
	int rc = 0;

	if (!copy) {
		n = tg->len;
		m = tn->len;
	}
	if (copy && (!a || !b)) {
		rc = -ENOMEM;
		goto out;
	}
	R->total_g += n;
	R->total_n += m;
	if (strcmp(tg->cmd, tn->cmd)) {
		R->different = true;
		if (R->json) {
			rec_begin(R, "process");
			tn_jw_kstr(&R->w, "process", tg->key);
			tn_jw_kstr(&R->w, "what", "command differs");
			tn_jw_kstr(&R->w, "golden_cmd", tg->cmd);
			tn_jw_kstr(&R->w, "new_cmd", tn->cmd);
			rec_end(R);
		} else {
			text(R, "process %s: command %s in golden, %s in new", tg->key, tg->cmd, tn->cmd);
		}
	}
	del = malloc(n ? n : 1);
	ins = malloc(m ? m : 1);
	if (!del || !ins) {
		rc = -ENOMEM;
		goto out;
	}
	max_d = (size_t)(c->o->max_cost / (n + m + 1));
	if (max_d < 1)
		max_d = 1;
	d = tn_diff(a, n, b, m, del, ins, max_d);
	if (d == -ENOMEM) {
		rc = -ENOMEM;
		goto out;
	}
	if (d == -E2BIG) {
		R->fallbacks++;
		R->different = true;
		R->common += count_common(c, a, n, b, m, tmp);
		if (R->json) {
			rec_begin(R, "fallback");
			tn_jw_kstr(&R->w, "process", tg->key);
			tn_jw_kstr(&R->w, "cmd", tg->cmd);
			tn_jw_kuint(&R->w, "golden_calls", n);
			tn_jw_kuint(&R->w, "new_calls", m);
			tn_jw_kuint(&R->w, "max_edits", max_d);
			rec_end(R);
		} else {
			text(R, "process %s (%s): more than %zu edit(s) between %zu and %zu calls: "
			     "not aligned, compared by per-name counts only",
			     tg->key, tg->cmd, max_d, n, m);
		}
		goto out;
	}
	R->common += n - (size_t)(d - (long)m + (long)n) / 2;
	if (d > 0) {
		R->different = true;
		rc = hunks(R, tg, a, n, b, m, del, ins);
	}
out:
	if (copy) {
		free(a);
		free(b);
	}
	free(del);
	free(ins);
	return rc;
}

static void lone(struct rep *R, const struct tn_cmp_task *t, const char *side, const uint8_t *skip)
{
	size_t n = 0;

	for (size_t i = 0; i < t->len; i++)
		n += !skip[tn_cmp_ent(&R->c->keys, t->seq[i])->name];
	if (side[0] == 'g')
		R->total_g += n;
	else
		R->total_n += n;
	R->different = true;
	if (R->json) {
		rec_begin(R, "process");
		tn_jw_kstr(&R->w, "process", t->key);
		tn_jw_kstr(&R->w, "what", side[0] == 'g' ? "only in golden" : "only in new");
		tn_jw_kstr(&R->w, "cmd", t->cmd);
		tn_jw_kuint(&R->w, "calls", n);
		rec_end(R);
	} else {
		text(R, "process %s (%s): only in %s, %zu calls", t->key, t->cmd, side, n);
	}
}

/* The children of each task (and the roots) as lists, in creation order. */
struct tree {
	const struct tn_cmp_run *r;
	size_t *first, *next;   /* first[ntask] heads the roots; SIZE_MAX ends a list */
};

static int tree_build(struct tree *t, const struct tn_cmp_run *r)
{
	size_t *last;

	t->r = r;
	t->first = malloc((r->ntask + 1) * sizeof(*t->first));
	t->next = malloc((r->ntask + 1) * sizeof(*t->next));
	last = malloc((r->ntask + 1) * sizeof(*last));
	if (!t->first || !t->next || !last) {
		free(last);
		return -ENOMEM;
	}
	for (size_t i = 0; i <= r->ntask; i++)
		t->first[i] = t->next[i] = last[i] = SIZE_MAX;
	for (size_t i = 0; i < r->ntask; i++) {
		size_t p = r->task[i].parent == SIZE_MAX ? r->ntask : r->task[i].parent;

		if (last[p] == SIZE_MAX)
			t->first[p] = i;
		else
			t->next[last[p]] = i;
		last[p] = i;
	}
	free(last);
	return 0;
}

static void tree_fini(struct tree *t)
{
	free(t->first);
	free(t->next);
}

/* A task and everything it created, on one side only. */
static void lone_tree(struct rep *R, const struct tree *t, size_t i, const char *side,
		      const uint8_t *skip)
{
	lone(R, &t->r->task[i], side, skip);
	for (size_t k = t->first[i]; k != SIZE_MAX; k = t->next[k])
		lone_tree(R, t, k, side, skip);
}

/*
 * Match the children of golden task gp with those of new task np (the
 * roots when both are the run's ntask): the two lists, in creation order,
 * are aligned by command (and thread or process) with the same diff as the
 * calls, so a child added or removed does not shift the ones after it.
 */
static int match(struct rep *R, const struct tree *g, size_t gp, const struct tree *n, size_t np,
		 const uint8_t *skip, int64_t *tmp)
{
	struct tn_cmp_intern ids = { 0 };
	uint32_t *a = NULL, *b = NULL;
	uint8_t *del = NULL, *ins = NULL;
	size_t na = 0, nb = 0, *ga = NULL, *nbx = NULL, i, j;
	int rc = -ENOMEM;

	for (size_t k = g->first[gp]; k != SIZE_MAX; k = g->next[k])
		na++;
	for (size_t k = n->first[np]; k != SIZE_MAX; k = n->next[k])
		nb++;
	a = malloc((na + 1) * sizeof(*a));
	b = malloc((nb + 1) * sizeof(*b));
	ga = malloc((na + 1) * sizeof(*ga));
	nbx = malloc((nb + 1) * sizeof(*nbx));
	del = malloc(na + 1);
	ins = malloc(nb + 1);
	if (!a || !b || !ga || !nbx || !del || !ins)
		goto out;
	for (int side = 0; side < 2; side++) {
		const struct tree *t = side ? n : g;
		size_t m = 0;

		for (size_t k = t->first[side ? np : gp]; k != SIZE_MAX; k = t->next[k], m++) {
			const struct tn_cmp_task *x = &t->r->task[k];
			char key[512];

			snprintf(key, sizeof(key), "%c%s", x->thread ? 't' : 'p', x->cmd);
			if (tn_cmp_intern(&ids, key, strlen(key), side ? &b[m] : &a[m]) < 0)
				goto out;
			(side ? nbx : ga)[m] = k;
		}
	}
	if (tn_diff(a, na, b, nb, del, ins, na + nb) < 0)
		goto out;
	rc = 0;
	for (i = 0, j = 0; (i < na || j < nb) && !rc;) {
		size_t i0 = i, j0 = j;

		/* A block of changes: its children are paired in order (same
		 * place, another command), and the ones left over are lone. */
		while (i < na && del[i])
			i++;
		while (j < nb && ins[j])
			j++;
		if (i == i0 && j == j0) {
			i++;
			j++;
		}
		for (; (i0 < i || j0 < j) && !rc; i0++, j0++) {
			if (i0 < i && j0 < j) {
				rc = pair(R, &g->r->task[ga[i0]], &n->r->task[nbx[j0]], skip, tmp);
				if (!rc)
					rc = match(R, g, ga[i0], n, nbx[j0], skip, tmp);
			} else if (i0 < i) {
				lone_tree(R, g, ga[i0], "golden", skip);
			} else {
				lone_tree(R, n, nbx[j0], "new", skip);
			}
		}
	}
out:
	tn_cmp_intern_fini(&ids);
	free(a);
	free(b);
	free(ga);
	free(nbx);
	free(del);
	free(ins);
	return rc;
}

static int structure(struct rep *R)
{
	struct tn_cmp *c = R->c;
	const struct tn_cmp_run *g = &c->side[0].run[0], *n = &c->side[1].run[0];
	struct tree tg = { 0 }, tn = { 0 };
	size_t nn = c->names.tab.len;
	uint8_t *skip = calloc(nn + 1, 1);
	int64_t *tmp = calloc(nn + 1, sizeof(*tmp));
	int rc = 0;

	if (!skip || !tmp) {
		rc = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < nn; i++) {
		bool has;

		tolerance_of(c, tn_cmp_ent(&c->names, (uint32_t)i)->s, &has);
		skip[i] = has;
	}
	if (g->cmd && n->cmd && strcmp(g->cmd, n->cmd)) {
		R->different = R->hard = true;
		if (R->json) {
			rec_begin(R, "command");
			tn_jw_kstr(&R->w, "golden", g->cmd);
			tn_jw_kstr(&R->w, "new", n->cmd);
			rec_end(R);
		} else {
			text(R, "the golden is a trace of %s, the new one of %s", g->cmd, n->cmd);
		}
	}
	if ((rc = tree_build(&tg, g)) == 0 && (rc = tree_build(&tn, n)) == 0)
		rc = match(R, &tg, g->ntask, &tn, n->ntask, skip, tmp);
	tree_fini(&tg);
	tree_fini(&tn);
	if (R->hunks_left && !R->json)
		text(R, "(%u more hunks not shown)", R->hunks_left);
	/* per-name counts */
	if (!rc) {
		bool head = false;

		for (size_t i = 0; i < nn; i++) {
			uint64_t cg = i < g->ncount ? g->count[i] : 0;
			uint64_t cn = i < n->ncount ? n->count[i] : 0;
			const char *nm = tn_cmp_ent(&c->names, (uint32_t)i)->s;
			bool has, within = true;
			double tol = tolerance_of(c, nm, &has);
			double ch = cg ? ((double)cn - (double)cg) / (double)cg : (cn ? INFINITY : 0);

			if (cg == cn)
				continue;
			if (has) {
				within = fabs(ch) <= tol + 1e-12;
				if (!within)
					R->different = R->hard = true;
			}
			if (R->json) {
				rec_begin(R, "count");
				tn_jw_kstr(&R->w, "name", nm);
				tn_jw_kuint(&R->w, "golden", cg);
				tn_jw_kuint(&R->w, "new", cn);
				if (has) {
					tn_jw_kdouble(&R->w, "tolerance", tol);
					tn_jw_key(&R->w, "within");
					tn_jw_bool(&R->w, within);
				}
				rec_end(R);
				continue;
			}
			if (!head)
				text(R, "per-name count changes:\n  %-20s %10s %10s  %s", "name",
				     "golden", "new", "change");
			head = true;
			if (cg)
				text(R, "  %-20s %10" PRIu64 " %10" PRIu64 "  %+" PRId64 " (%+.1f%%)%s",
				     nm, cg, cn, (int64_t)(cn - cg), ch * 100,
				     !has ? "" : within ? ", within tolerance" : ", beyond tolerance");
			else
				text(R, "  %-20s %10" PRIu64 " %10" PRIu64 "  %+" PRId64 " (new)%s",
				     nm, cg, cn, (int64_t)(cn - cg),
				     !has ? "" : ", beyond tolerance");
		}
	}
out:
	free(skip);
	free(tmp);
	return rc;
}

/* ---- timing ---- */

enum scope { SC_SYSCALL, SC_SPAN, SC_WALL };

struct item {
	enum scope scope;
	const char *name, *backend;
};

static double run_value(const struct tn_cmp_run *r, const struct item *it, int span_time)
{
	double v = 0;

	if (it->scope == SC_WALL) {
		const struct tn_sum_proc *p = r->sum.proc.len ? r->sum.proc.order[0] : NULL;

		if (p && p->has_wall)
			return (double)p->wall;
		return r->have_ts ? (double)(r->ts_max - r->ts_min) : 0;
	}
	if (it->scope == SC_SYSCALL) {
		for (size_t i = 0; i < r->sum.sys.len; i++) {
			const struct tn_sum_sys *s = r->sum.sys.order[i];

			if (!strcmp(s->name, it->name))
				v += (double)s->total_ns;
		}
		return v;
	}
	const struct tn_sum_span *most = NULL;

	for (size_t i = 0; i < r->sum.span.len; i++) {
		const struct tn_sum_span *s = r->sum.span.order[i];

		if (!strcmp(s->name, it->name) && !strcmp(s->backend, it->backend)) {
			v += (double)s->total_ns;
			if (!most || s->count > most->count)
				most = s;
		}
	}
	/* --span-time=p50 and min: the median or the shortest span of the
	 * phase with the most spans */
	if (span_time == TN_CMP_SPAN_P50 && most)
		return (double)tn_hist_pct(&most->hist, 50);
	if (span_time == TN_CMP_SPAN_MIN && most)
		return (double)most->min_ns;
	return v;
}

/* How many spans of the kind the run has. */
static uint64_t span_count(const struct tn_cmp_run *r, const struct item *it)
{
	uint64_t n = 0;

	for (size_t i = 0; i < r->sum.span.len; i++) {
		const struct tn_sum_span *s = r->sum.span.order[i];

		if (!strcmp(s->name, it->name) && !strcmp(s->backend, it->backend))
			n += s->count;
	}
	return n;
}

static bool noise_sys(const struct tn_cmp *c, const struct tn_sum_sys *s)
{
	enum tn_arch a = tn_arch_native();

	for (int i = 0; i < TN_ARCH_COUNT; i++)
		if (s->arch && !strcmp(s->arch, tn_arch_name((enum tn_arch)i)))
			a = (enum tn_arch)i;
	return s->nr >= 0 && tn_trace_filter_has(&c->o->noise, a, (uint32_t)s->nr);
}

static bool have_item(const struct item *v, size_t n, const struct item *it)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].scope == it->scope && !strcmp(v[i].name, it->name) &&
		    (!it->backend || !strcmp(v[i].backend, it->backend)))
			return true;
	return false;
}

/* The items present on both sides: wall, then syscalls, then spans. */
static int items(const struct tn_cmp *c, struct item **ret, size_t *ret_n)
{
	struct item *v = NULL;
	size_t n = 0, cap = 0;
	const struct tn_cmp_side *g = &c->side[0], *w = &c->side[1];

#define ADD(IT) do { \
	if (n == cap) { \
		struct item *nv = realloc(v, (cap = cap ? cap * 2 : 32) * sizeof(*nv)); \
		if (!nv) { free(v); return -ENOMEM; } \
		v = nv; \
	} \
	v[n++] = (IT); \
} while (0)
	ADD(((struct item){ SC_WALL, "wall", NULL }));
	for (size_t r = 0; r < g->nrun; r++) {
		const struct tn_sum *s = &g->run[r].sum;

		for (size_t i = 0; i < s->sys.len; i++) {
			const struct tn_sum_sys *x = s->sys.order[i];
			struct item it = { SC_SYSCALL, x->name, NULL };

			if (!noise_sys(c, x) && !have_item(v, n, &it))
				ADD(it);
		}
		for (size_t i = 0; i < s->span.len; i++) {
			const struct tn_sum_span *x = s->span.order[i];
			struct item it = { SC_SPAN, x->name, x->backend };

			if (!have_item(v, n, &it))
				ADD(it);
		}
	}
#undef ADD
	/* keep those the new side has too */
	size_t k = 1;
	for (size_t i = 1; i < n; i++) {
		bool found = false;

		for (size_t r = 0; r < w->nrun && !found; r++)
			found = run_value(&w->run[r], &v[i], c->o->span_time) > 0;
		if (found)
			v[k++] = v[i];
	}
	/* and only the kinds to judge (--judge) */
	n = k;
	k = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned bit = v[i].scope == SC_WALL ? TN_CMP_JUDGE_WALL :
			       v[i].scope == SC_SYSCALL ? TN_CMP_JUDGE_SYSCALL : TN_CMP_JUDGE_SPAN;

		if (c->o->judge & bit)
			v[k++] = v[i];
	}
	*ret = v;
	*ret_n = k;
	return 0;
}

static const char *scope_name(enum scope s)
{
	return s == SC_WALL ? "wall" : s == SC_SPAN ? "span" : "syscall";
}

static int timing(struct rep *R)
{
	struct tn_cmp *c = R->c;
	const struct tn_cmp_side *g = &c->side[0], *w = &c->side[1];
	struct item *it = NULL;
	double *x = NULL, *y = NULL, *xs = NULL, *ys = NULL;
	size_t nit = 0;
	int rc;

	if (g->nrun < c->o->min_runs || w->nrun < c->o->min_runs) {
		if (R->json) {
			rec_begin(R, "note");
			tn_jw_kstr(&R->w, "what", "timing not judged: too few runs");
			tn_jw_kuint(&R->w, "golden_runs", g->nrun);
			tn_jw_kuint(&R->w, "new_runs", w->nrun);
			tn_jw_kuint(&R->w, "min_runs", c->o->min_runs);
			rec_end(R);
		} else {
			text(R, "timing not judged: %zu golden and %zu new runs, %u needed on each side",
			     g->nrun, w->nrun, c->o->min_runs);
		}
		return 0;
	}
	if ((rc = items(c, &it, &nit)) < 0)
		return rc;
	x = malloc(g->nrun * sizeof(*x));
	xs = malloc(g->nrun * sizeof(*xs));
	y = malloc(w->nrun * sizeof(*y));
	ys = malloc(w->nrun * sizeof(*ys));
	if (!x || !y || !xs || !ys) {
		rc = -ENOMEM;
		goto out;
	}
	/* --min-time and --min-spans: too short, or too few spans a run, to time */
	size_t kept = 0;
	for (size_t k = 0; k < nit; k++) {
		for (size_t r = 0; r < g->nrun; r++) {
			xs[r] = run_value(&g->run[r], &it[k], c->o->span_time);
			x[r] = it[k].scope == SC_SPAN ? (double)span_count(&g->run[r], &it[k]) : 0;
		}
		if (tn_median(xs, g->nrun) < (double)c->o->min_time ||
		    (it[k].scope == SC_SPAN && tn_median(x, g->nrun) < (double)c->o->min_spans))
			continue;
		it[kept++] = it[k];
	}
	nit = kept;
	R->judged = (unsigned)nit;
	if (!R->json && !nit)
		text(R, "timing: %zu golden and %zu new runs, no item to judge", g->nrun, w->nrun);
	else if (!R->json)
		text(R, "timing: %zu golden and %zu new runs, %zu items, a change counts beyond "
		     "%.1f%% with one-sided p < %.3g (%.3g / %zu)",
		     g->nrun, w->nrun, nit, c->o->slowdown * 100, c->o->alpha / (double)nit,
		     c->o->alpha, nit);
	for (size_t k = 0; k < nit; k++) {
		double mg, mn, change, u, p_slow, p_fast, u2;
		const char *verdict = "same";

		for (size_t r = 0; r < g->nrun; r++)
			x[r] = xs[r] = run_value(&g->run[r], &it[k], c->o->span_time);
		for (size_t r = 0; r < w->nrun; r++)
			y[r] = ys[r] = run_value(&w->run[r], &it[k], c->o->span_time);
		mg = tn_median(xs, g->nrun);
		mn = tn_median(ys, w->nrun);
		if (mg <= 0)
			continue;
		change = mn / mg - 1;
		if ((rc = tn_mwu_greater(x, g->nrun, y, w->nrun, &u, &p_slow)) < 0 ||
		    (rc = tn_mwu_greater(y, w->nrun, x, g->nrun, &u2, &p_fast)) < 0)
			goto out;
		if (change > c->o->slowdown && p_slow < c->o->alpha / (double)nit) {
			verdict = "regression";
			R->regressions++;
		} else if (change < -c->o->slowdown && p_fast < c->o->alpha / (double)nit) {
			verdict = "improvement";
			R->improvements++;
		}
		if (it[k].scope != SC_WALL && !strcmp(verdict, "same"))
			continue;
		if (R->json) {
			rec_begin(R, "timing");
			tn_jw_kstr(&R->w, "scope", scope_name(it[k].scope));
			tn_jw_kstr(&R->w, "name", it[k].name);
			if (it[k].backend)
				tn_jw_kstr(&R->w, "backend", it[k].backend);
			tn_jw_kuint(&R->w, "golden_runs", g->nrun);
			tn_jw_kuint(&R->w, "new_runs", w->nrun);
			tn_jw_kint(&R->w, "golden_median_ns", (int64_t)llround(mg));
			tn_jw_kint(&R->w, "new_median_ns", (int64_t)llround(mn));
			tn_jw_kdouble(&R->w, "change", round(change * 10000) / 10000);
			tn_jw_kdouble(&R->w, "u", u);
			tn_jw_kdouble(&R->w, "p", p_slow < p_fast ? p_slow : p_fast);
			tn_jw_kstr(&R->w, "verdict", verdict);
			rec_end(R);
		} else {
			char nm[256];

			if (it[k].scope == SC_WALL)
				snprintf(nm, sizeof(nm), "wall (whole run)");
			else
				snprintf(nm, sizeof(nm), "%s %s%s%s", scope_name(it[k].scope), it[k].name,
					 it[k].backend ? "/" : "", it[k].backend ? it[k].backend : "");
			text(R, "  %-28s median %12.0f -> %12.0f ns  %+6.1f%%  p=%.2g  %s", nm, mg, mn,
			     change * 100, p_slow < p_fast ? p_slow : p_fast, verdict);
		}
	}
	rc = 0;
out:
	free(it);
	free(x);
	free(y);
	free(xs);
	free(ys);
	return rc;
}

/* ---- the whole ---- */

static uint64_t kept_calls(const struct tn_cmp_run *r)
{
	uint64_t n = 0;

	for (size_t i = 0; i < r->ncount; i++)
		n += r->count[i];
	return n;
}

static int check_side(const struct tn_cmp *c, int s, struct tn_error *e)
{
	const struct tn_cmp_side *sd = &c->side[s];
	uint64_t events = 0;

	for (size_t i = 0; i < sd->nrun; i++)
		events += sd->run[i].events;
	if (!events)
		return tn_error_set_at(e, -ENODATA, sd->first_file ? sd->first_file : "?", 0, 0,
				       "empty trace: no syscall or span records");
	return 0;
}

int tn_cmp_report(struct tn_cmp *c, struct tn_ev_out *out, bool json, struct tn_error *e)
{
	struct rep R = { .c = c, .out = out, .json = json };
	const struct tn_cmp_run *g, *n;
	double sim;
	int rc;

	if ((rc = check_side(c, 0, e)) < 0 || (rc = check_side(c, 1, e)) < 0)
		return rc;
	g = &c->side[0].run[0];
	n = &c->side[1].run[0];
	/* A stream without a header (schema -1) has no version to disagree. */
	if (g->schema >= 0 && n->schema >= 0 && g->schema != n->schema)
		return tn_error_set_at(e, -EPROTO, n->file, n->line, 1,
				       "schema version %" PRId64 ", the golden (%s) has %" PRId64,
				       n->schema, g->file, g->schema);
	tn_jw_init(&R.w);
	if (!json) {
		text(&R, "--- %s\t(golden: %zu run%s, %" PRIu64 " calls compared, %s)",
		     c->side[0].first_file, c->side[0].nrun, c->side[0].nrun == 1 ? "" : "s",
		     kept_calls(g), g->cmd ? g->cmd : "?");
		text(&R, "+++ %s\t(new: %zu run%s, %" PRIu64 " calls compared, %s)",
		     c->side[1].first_file, c->side[1].nrun, c->side[1].nrun == 1 ? "" : "s",
		     kept_calls(n), n->cmd ? n->cmd : "?");
	}
	rc = structure(&R);
	if (!rc)
		rc = timing(&R);
	if (!rc && R.err)
		rc = R.err;
	if (rc < 0) {
		tn_jw_finish(&R.w);
		free(R.line);
		if (rc == -ENOMEM)
			return tn_error_set(e, rc, "out of memory");
		return tn_error_set(e, rc, "write error: %s", strerror(-rc));
	}
	sim = R.total_g + R.total_n ? 2.0 * (double)R.common / (double)(R.total_g + R.total_n) : 1.0;
	/* "different" is the score below the threshold, or a change the score
	 * cannot show: another command, a count beyond its tolerance. */
	bool different = R.hard || (R.different && (c->o->threshold >= 1.0 ||
						      sim < c->o->threshold));
	if (json) {
		rec_begin(&R, "verdict");
		tn_jw_kstr(&R.w, "verdict", different ? "different" : R.regressions ? "regressed" : "same");
		tn_jw_kdouble(&R.w, "similarity", round(sim * 1e6) / 1e6);
		tn_jw_kdouble(&R.w, "threshold", c->o->threshold);
		tn_jw_kuint(&R.w, "golden_calls", R.total_g);
		tn_jw_kuint(&R.w, "new_calls", R.total_n);
		tn_jw_kuint(&R.w, "common_calls", R.common);
		tn_jw_kuint(&R.w, "timed_items", R.judged);
		tn_jw_kuint(&R.w, "regressions", R.regressions);
		tn_jw_kuint(&R.w, "improvements", R.improvements);
		rec_end(&R);
	} else {
		text(&R, "similarity %.6f (threshold %.6f): %s; %u regression%s, %u improvement%s",
		     sim, c->o->threshold, different ? "different" : "equivalent",
		     R.regressions, R.regressions == 1 ? "" : "s",
		     R.improvements, R.improvements == 1 ? "" : "s");
	}
	tn_jw_finish(&R.w);
	free(R.line);
	if (R.err)
		return tn_error_set(e, R.err, "write error: %s", strerror(-R.err));
	return different || R.regressions ? 1 : 0;
}
