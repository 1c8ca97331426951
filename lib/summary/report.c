/* Presenting an aggregation: the strace -c table and the summary records. */
#include "summary.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "events.h"

/* ---- sorting (strace -S) ---- */

static const struct {
	const char *name;
	int sort;               /* enum tn_sum_sort */
	enum tn_sum_col col;    /* the -U column it names, TN_COL_NONE for none */
} aliases[] = {
	{ "time", TN_SORT_TIME, TN_COL_PERCENT },
	{ "time_percent", TN_SORT_TIME, TN_COL_PERCENT },
	{ "time-percent", TN_SORT_TIME, TN_COL_PERCENT },
	{ "time_total", TN_SORT_TIME, TN_COL_TOTAL },
	{ "time-total", TN_SORT_TIME, TN_COL_TOTAL },
	{ "total_time", TN_SORT_TIME, TN_COL_TOTAL },
	{ "total-time", TN_SORT_TIME, TN_COL_TOTAL },
	{ "min_time", TN_SORT_MIN, TN_COL_MIN },
	{ "min-time", TN_SORT_MIN, TN_COL_MIN },
	{ "shortest", TN_SORT_MIN, TN_COL_MIN },
	{ "time_min", TN_SORT_MIN, TN_COL_MIN },
	{ "time-min", TN_SORT_MIN, TN_COL_MIN },
	{ "longest", TN_SORT_MAX, TN_COL_MAX },
	{ "max_time", TN_SORT_MAX, TN_COL_MAX },
	{ "max-time", TN_SORT_MAX, TN_COL_MAX },
	{ "time_max", TN_SORT_MAX, TN_COL_MAX },
	{ "time-max", TN_SORT_MAX, TN_COL_MAX },
	{ "avg_time", TN_SORT_AVG, TN_COL_AVG },
	{ "avg-time", TN_SORT_AVG, TN_COL_AVG },
	{ "time_avg", TN_SORT_AVG, TN_COL_AVG },
	{ "time-avg", TN_SORT_AVG, TN_COL_AVG },
	{ "calls", TN_SORT_CALLS, TN_COL_CALLS },
	{ "count", TN_SORT_CALLS, TN_COL_CALLS },
	{ "error", TN_SORT_ERRORS, TN_COL_ERRORS },
	{ "errors", TN_SORT_ERRORS, TN_COL_ERRORS },
	{ "name", TN_SORT_NAME, TN_COL_NAME },
	{ "syscall", TN_SORT_NAME, TN_COL_NAME },
	{ "syscall_name", TN_SORT_NAME, TN_COL_NAME },
	{ "syscall-name", TN_SORT_NAME, TN_COL_NAME },
	{ "none", TN_SORT_NOTHING, TN_COL_NONE },
	{ "nothing", TN_SORT_NOTHING, TN_COL_NONE },
};

#define NALIASES (sizeof(aliases) / sizeof(*aliases))

int tn_sum_sort_parse(const char *s)
{
	for (size_t i = 0; i < NALIASES; i++)
		if (strcmp(aliases[i].name, s) == 0)
			return aliases[i].sort;
	return -1;
}

const enum tn_sum_col tn_sum_default_cols[] = {
	TN_COL_PERCENT, TN_COL_TOTAL, TN_COL_AVG, TN_COL_CALLS, TN_COL_ERRORS,
	TN_COL_NAME, TN_COL_NONE,
};

int tn_sum_cols_parse(const char *s, enum tn_sum_col *cols, struct tn_error *e)
{
	bool seen[TN_COL_MAX_] = { false };
	size_t n = 0;

	for (const char *p = s;;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		size_t i;

		for (i = 0; i < NALIASES; i++)
			if (strncmp(aliases[i].name, p, len) == 0 && !aliases[i].name[len] &&
			    aliases[i].col != TN_COL_NONE)
				break;
		if (i == NALIASES)
			return tn_error_set(e, -EINVAL, "unknown column name: '%.*s'", (int)len, p);
		if (seen[aliases[i].col])
			return tn_error_set(e, -EINVAL,
					    "call summary column has been provided more than once: '%s' (-U option residual: '%s')",
					    aliases[i].name, p);
		seen[aliases[i].col] = true;
		cols[n++] = aliases[i].col;
		if (!comma)
			break;
		p = comma + 1;
	}
	if (!seen[TN_COL_NAME])
		cols[n++] = TN_COL_NAME;
	cols[n] = TN_COL_NONE;
	return 0;
}

/*
 * The mean of count values summing to total, within [min, max]: where the
 * sum saturated (summary.c) total / count falls short, and the true mean
 * lies in [min, max] in any case.
 */
static uint64_t mean_of(uint64_t total, uint64_t count, uint64_t min, uint64_t max)
{
	uint64_t m;

	if (!count)
		return 0;
	m = total / count;
	return m < min ? min : m > max ? max : m;
}

static uint64_t sys_mean(const struct tn_sum_sys *c)
{
	return mean_of(c->total_ns, c->calls, c->min_ns, c->max_ns);
}

static int cmp_u64_desc(uint64_t a, uint64_t b)
{
	return a < b ? 1 : a > b ? -1 : 0;
}

/* strace sorts indices in syscall-number order with a stable sort: ties keep it. */
static int cmp_sys(const void *pa, const void *pb, void *arg)
{
	int sort_key = *(const int *)arg;
	const struct tn_sum_sys *a = *(const struct tn_sum_sys *const *)pa;
	const struct tn_sum_sys *b = *(const struct tn_sum_sys *const *)pb;
	int r = 0;

	switch (sort_key) {
	case TN_SORT_TIME: r = cmp_u64_desc(a->total_ns, b->total_ns); break;
	case TN_SORT_MIN: r = cmp_u64_desc(a->min_ns, b->min_ns); break;
	case TN_SORT_MAX: r = cmp_u64_desc(a->max_ns, b->max_ns); break;
	case TN_SORT_AVG: r = cmp_u64_desc(sys_mean(a), sys_mean(b)); break;
	case TN_SORT_CALLS: r = cmp_u64_desc(a->calls, b->calls); break;
	case TN_SORT_ERRORS: r = cmp_u64_desc(a->errors, b->errors); break;
	case TN_SORT_NAME: r = strcmp(a->name, b->name); break;
	default: break;
	}
	if (r)
		return r;
	if (a->nr != b->nr) {
		if (a->nr < 0 || b->nr < 0)
			return a->nr < 0 ? 1 : -1;
		return a->nr < b->nr ? -1 : 1;
	}
	r = strcmp(a->name, b->name);
	return r ? r : strcmp(a->arch, b->arch);
}

int tn_sum_sorted(const struct tn_sum *s, const char *arch, enum tn_sum_sort sort,
		  struct tn_sum_sys ***ret, size_t *n)
{
	struct tn_sum_sys **v = malloc((s->sys.len + 1) * sizeof(*v));
	size_t k = 0;

	if (!v)
		return -ENOMEM;
	for (size_t i = 0; i < s->sys.len; i++) {
		struct tn_sum_sys *c = s->sys.order[i];

		if (!arch || strcmp(c->arch, arch) == 0)
			v[k++] = c;
	}
	int key = (int)sort;

	qsort_r(v, k, sizeof(*v), cmp_sys, &key);
	*ret = v;
	*n = k;
	return 0;
}

static const char *native_of(const struct tn_sum *s)
{
	if (s->native_arch)
		return s->native_arch;
	if (s->sys.len)
		return ((const struct tn_sum_sys *)s->sys.order[0])->arch;
	return "";
}

/* An entry, where it first appeared, and the rank of its architecture. */
struct gent {
	struct tn_sum_sys *c;
	size_t idx, rank;
};

static int cmp_arch_idx(const void *pa, const void *pb)
{
	const struct gent *a = pa, *b = pb;
	int r = strcmp(a->c->arch, b->c->arch);

	return r ? r : a->idx < b->idx ? -1 : a->idx > b->idx;
}

static int cmp_rank_sort(const void *pa, const void *pb, void *arg)
{
	const struct gent *a = pa, *b = pb;

	if (a->rank != b->rank)
		return a->rank < b->rank ? -1 : 1;
	return cmp_sys(&a->c, &b->c, arg);
}

/*
 * Two sorts, never a pass per architecture: the entries by architecture
 * (each architecture's rank is where it first appeared, the native one
 * first), then by rank and the sort key.  O(n log n) for n entries, however
 * many architectures there are (issue 8: a pass per architecture made the
 * table quadratic).
 */
int tn_sum_group(const struct tn_sum *s, enum tn_sum_sort sort, struct tn_sum_groups *g)
{
	size_t n = s->sys.len, k = 0;
	const char *native = native_of(s);
	struct gent *e = malloc((n ? n : 1) * sizeof(*e));
	int key = (int)sort;

	memset(g, 0, sizeof(*g));
	g->v = malloc((n ? n : 1) * sizeof(*g->v));
	g->arch = malloc((n ? n : 1) * sizeof(*g->arch));
	g->start = malloc((n + 2) * sizeof(*g->start));
	if (!e || !g->v || !g->arch || !g->start) {
		free(e);
		tn_sum_groups_free(g);
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++)
		e[i] = (struct gent){ s->sys.order[i], i, 0 };
	qsort(e, n, sizeof(*e), cmp_arch_idx);
	for (size_t i = 0, j; i < n; i = j) {
		size_t rank = strcmp(e[i].c->arch, native) == 0 ? 0 : e[i].idx + 1;

		for (j = i; j < n && strcmp(e[j].c->arch, e[i].c->arch) == 0; j++)
			e[j].rank = rank;
	}
	qsort_r(e, n, sizeof(*e), cmp_rank_sort, &key);
	if (n == 0) {
		/* No syscalls: one empty table, for the native architecture. */
		g->arch[0] = native;
		g->start[0] = g->start[1] = 0;
		g->n = 1;
	}
	for (size_t i = 0; i < n; i++) {
		g->v[i] = e[i].c;
		if (i == 0 || e[i].rank != e[i - 1].rank) {
			g->arch[k] = e[i].c->arch;
			g->start[k++] = i;
		}
	}
	if (n) {
		g->start[k] = n;
		g->n = k;
	}
	free(e);
	return 0;
}

void tn_sum_groups_free(struct tn_sum_groups *g)
{
	free(g->v);
	free(g->arch);
	free(g->start);
	memset(g, 0, sizeof(*g));
}

int tn_sum_arches(const struct tn_sum *s, const char ***ret, size_t *n)
{
	struct tn_sum_groups g;

	if (tn_sum_group(s, TN_SORT_NOTHING, &g) < 0)
		return -ENOMEM;
	*ret = g.arch;
	*n = g.n;
	g.arch = NULL;
	tn_sum_groups_free(&g);
	return 0;
}

const char *tn_sum_arch_title(const char *native, const char *arch)
{
	if (strcmp(arch, "x86") == 0 || strcmp(arch, "i386") == 0 || strcmp(arch, "arm") == 0)
		return "32 bit";
	if (strcmp(arch, "x32") == 0)
		return "x32";
	(void)native;
	return arch;
}

/* ---- the strace -c table ---- */

/* strace's ts_float() of a duration in ns: seconds + nanoseconds / 1e9. */
static double secs(uint64_t ns)
{
	return (double)(ns / 1000000000u) + (double)(ns % 1000000000u) / 1e9;
}

static size_t num_chars(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static size_t num_chars(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	return n > 0 ? (size_t)n : 0;
}

static size_t max_sz(size_t a, size_t b)
{
	return a > b ? a : b;
}

static const char *const col_head[TN_COL_MAX_] = {
	[TN_COL_PERCENT] = "% time", [TN_COL_TOTAL] = "seconds",
	[TN_COL_MIN] = "shortest", [TN_COL_MAX] = "longest",
	[TN_COL_AVG] = "usecs/call", [TN_COL_CALLS] = "calls",
	[TN_COL_ERRORS] = "errors", [TN_COL_NAME] = "syscall",
};

/* strace keeps historical widths for some columns. */
static const size_t col_min[TN_COL_MAX_] = {
	[TN_COL_PERCENT] = 6, [TN_COL_TOTAL] = 11, [TN_COL_MIN] = 8, [TN_COL_MAX] = 7,
	[TN_COL_AVG] = 11, [TN_COL_CALLS] = 9, [TN_COL_ERRORS] = 9, [TN_COL_NAME] = 16,
};

struct row {
	double percent, total, min, max;
	uint64_t avg_us, calls, errors;
	const char *name;
};

static void put_row(FILE *f, const enum tn_sum_col *cols, const size_t *w, const struct row *r)
{
	for (size_t i = 0; cols[i] != TN_COL_NONE; i++) {
		int wd = (int)w[cols[i]];
		bool last = cols[i + 1] == TN_COL_NONE;

		if (i)
			fputc(' ', f);
		switch (cols[i]) {
		case TN_COL_PERCENT: fprintf(f, "%*.2f", wd, r->percent); break;
		case TN_COL_TOTAL: fprintf(f, "%*.6f", wd, r->total); break;
		case TN_COL_MIN: fprintf(f, "%*.6f", wd, r->min); break;
		case TN_COL_MAX: fprintf(f, "%*.6f", wd, r->max); break;
		case TN_COL_AVG: fprintf(f, "%*" PRIu64, wd, r->avg_us); break;
		case TN_COL_CALLS: fprintf(f, "%*" PRIu64, wd, r->calls); break;
		case TN_COL_ERRORS: fprintf(f, "%*.0" PRIu64, wd, r->errors); break;
		case TN_COL_NAME:
			if (last)
				fputs(r->name, f);
			else
				fprintf(f, "%-*s", wd, r->name);
			break;
		default: break;
		}
	}
	fputc('\n', f);
}

static void put_rule(FILE *f, const enum tn_sum_col *cols, const size_t *w)
{
	for (size_t i = 0; cols[i] != TN_COL_NONE; i++) {
		if (i)
			fputc(' ', f);
		for (size_t j = 0; j < w[cols[i]]; j++)
			fputc('-', f);
	}
	fputc('\n', f);
}

static char *table_of(struct tn_sum_sys *const *v, size_t n, const char **names, char **owned,
		      const char *title, char **title_owned, const enum tn_sum_col *cols,
		      size_t *len);

/* s escaped for the table (escape.h): s itself when nothing needs it, else
 * a copy that the caller frees (NULL when out of memory). */
static const char *esc_name(const char *s, char **owned)
{
	size_t n = strlen(s), m;

	*owned = NULL;
	if (!tn_escape_needed(s, n))
		return s;
	m = tn_escape(NULL, 0, s, n);
	*owned = malloc(m + 1);
	if (*owned)
		tn_escape(*owned, m + 1, s, n);
	return *owned;
}

/*
 * Names and the architecture in the title come from the input: they are
 * escaped (escape.h), so a name with a newline or an escape sequence stays
 * one cell of one row (issue 8, item 6).
 */
char *tn_sum_table_rows(struct tn_sum_sys *const *v, size_t n, const char *title,
			const enum tn_sum_col *cols, size_t *len)
{
	const char **names = malloc((n ? n : 1) * sizeof(*names));
	char **owned = calloc(n ? n : 1, sizeof(*owned)), *title_owned = NULL;
	char *text = table_of(v, n, names, owned, title, &title_owned, cols, len);

	for (size_t i = 0; owned && i < n; i++)
		free(owned[i]);
	free(owned);
	free(names);
	free(title_owned);
	return text;
}

static char *table_of(struct tn_sum_sys *const *v, size_t n, const char **names, char **owned,
		      const char *title, char **title_owned, const enum tn_sum_col *cols,
		      size_t *len)
{
	size_t w[TN_COL_MAX_];
	uint64_t cum = 0, calls = 0, errors = 0, min = UINT64_MAX, min_max = 0, max = 0;
	uint64_t avg_max = 0;
	size_t name_max = 0;
	double fcum;
	struct row tot;
	char *text = NULL;
	FILE *f;

	if (!names || !owned)
		return NULL;
	if (title && !(title = esc_name(title, title_owned)))
		return NULL;
	for (size_t i = 0; i < n; i++) {
		const struct tn_sum_sys *c = v[i];
		uint64_t avg = sys_mean(c);

		if (!(names[i] = esc_name(c->name, &owned[i])))
			return NULL;

		if (__builtin_add_overflow(cum, c->total_ns, &cum) || cum > TN_SUM_MAX)
			cum = TN_SUM_MAX;       /* sums saturate, as in summary.c */
		calls += c->calls;
		errors += c->errors;
		min = c->min_ns < min ? c->min_ns : min;
		min_max = c->min_ns > min_max ? c->min_ns : min_max;
		max = c->max_ns > max ? c->max_ns : max;
		avg_max = avg > avg_max ? avg : avg_max;
		name_max = max_sz(name_max, strlen(names[i]));
	}
	if (min == UINT64_MAX)
		min = 0;
	fcum = secs(cum);
	w[TN_COL_NONE] = 0;
	w[TN_COL_PERCENT] = max_sz(col_min[TN_COL_PERCENT], 6);
	w[TN_COL_TOTAL] = max_sz(col_min[TN_COL_TOTAL], num_chars("%.6f", fcum));
	w[TN_COL_MIN] = max_sz(col_min[TN_COL_MIN],
			       num_chars("%" PRIu64 ".000000", min_max / 1000000000u));
	w[TN_COL_MAX] = max_sz(col_min[TN_COL_MAX],
			       num_chars("%" PRIu64 ".000000", max / 1000000000u));
	w[TN_COL_AVG] = max_sz(col_min[TN_COL_AVG],
			       num_chars("%" PRIu64, (uint64_t)(secs(avg_max) * 1e6)));
	w[TN_COL_CALLS] = max_sz(col_min[TN_COL_CALLS], num_chars("%" PRIu64, calls));
	w[TN_COL_ERRORS] = max_sz(col_min[TN_COL_ERRORS], num_chars("%" PRIu64, errors));
	w[TN_COL_NAME] = max_sz(col_min[TN_COL_NAME], name_max + 1);

	f = open_memstream(&text, len);
	if (!f)
		return NULL;
	if (title)
		fprintf(f, "System call usage summary for %s mode:\n", title);
	for (size_t i = 0; cols[i] != TN_COL_NONE; i++) {
		if (i)
			fputc(' ', f);
		if (cols[i] != TN_COL_NAME)
			fprintf(f, "%*s", (int)w[cols[i]], col_head[cols[i]]);
		else if (cols[i + 1] == TN_COL_NONE)
			fputs(col_head[cols[i]], f);
		else
			fprintf(f, "%-*s", (int)w[cols[i]], col_head[cols[i]]);
	}
	fputc('\n', f);
	put_rule(f, cols, w);
	for (size_t i = 0; i < n; i++) {
		const struct tn_sum_sys *c = v[i];
		struct row r;

		r.total = secs(c->total_ns);
		r.percent = 100.0 * r.total;
		if (r.percent != 0.0)
			r.percent /= fcum;
		r.min = secs(c->min_ns);
		r.max = secs(c->max_ns);
		r.avg_us = (uint64_t)(secs(sys_mean(c)) * 1e6);
		r.calls = c->calls;
		r.errors = c->errors;
		r.name = names[i];
		put_row(f, cols, w, &r);
	}
	put_rule(f, cols, w);
	tot.percent = calls ? 100.0 : 0.0;
	tot.total = fcum;
	tot.min = secs(min);
	tot.max = secs(max);
	tot.avg_us = calls ? (uint64_t)(fcum / (double)calls * 1e6) : 0;
	if (cum == TN_SUM_MAX && calls)
		tot.avg_us = (uint64_t)(secs(mean_of(cum, calls, min, max)) * 1e6);
	tot.calls = calls;
	tot.errors = errors;
	tot.name = "total";
	put_row(f, cols, w, &tot);
	if (fclose(f) != 0) {
		free(text);
		return NULL;
	}
	return text;
}

char *tn_sum_table(const struct tn_sum *s, const char *arch, const char *title,
		   enum tn_sum_sort sort, const enum tn_sum_col *cols, size_t *len)
{
	struct tn_sum_sys **v;
	size_t n;
	char *t;

	if (tn_sum_sorted(s, arch, sort, &v, &n) < 0)
		return NULL;
	t = tn_sum_table_rows(v, n, title, cols, len);
	free(v);
	return t;
}

/* ---- summary records ---- */

static void head(struct tn_jw *w, const char *scope)
{
	tn_jw_obj_begin(w);
	tn_jw_kstr(w, "type", TN_EV_SUMMARY);
	tn_jw_kstr(w, "scope", scope);
}

static void times(struct tn_jw *w, uint64_t count, uint64_t total, uint64_t min,
		  uint64_t max, const struct tn_hist *h)
{
	tn_jw_kuint(w, "total_ns", total);
	tn_jw_kuint(w, "min_ns", count ? min : 0);
	tn_jw_kuint(w, "mean_ns", mean_of(total, count, min, max));
	tn_jw_kuint(w, "max_ns", max);
	tn_jw_kuint(w, "p50_ns", tn_hist_pct(h, 50));
	tn_jw_kuint(w, "p90_ns", tn_hist_pct(h, 90));
	tn_jw_kuint(w, "p99_ns", tn_hist_pct(h, 99));
}

void tn_sum_json_sys(struct tn_jw *w, const struct tn_sum_sys *c)
{
	head(w, "syscall");
	tn_jw_kstr(w, "name", c->name);
	if (c->arch[0])
		tn_jw_kstr(w, "arch", c->arch);
	if (c->nr >= 0)
		tn_jw_kint(w, "nr", c->nr);
	tn_jw_kuint(w, "calls", c->calls);
	tn_jw_kuint(w, "errors", c->errors);
	times(w, c->calls, c->total_ns, c->min_ns, c->max_ns, &c->hist);
	tn_jw_obj_end(w);
}

void tn_sum_json_proc(struct tn_jw *w, const struct tn_sum_proc *p)
{
	head(w, "process");
	tn_jw_kuint(w, "run", p->run);
	tn_jw_kint(w, "pid", p->pid);
	if (p->ppid >= 0)
		tn_jw_kint(w, "ppid", p->ppid);
	if (p->exe)
		tn_jw_kstr(w, "exe", p->exe);
	tn_jw_kuint(w, "syscalls", p->syscalls);
	tn_jw_kuint(w, "errors", p->errors);
	tn_jw_kuint(w, "syscall_ns", p->sys_ns);
	tn_jw_key(w, "exited");
	tn_jw_bool(w, p->exited);
	if (p->has_code)
		tn_jw_kint(w, "code", p->code);
	if (p->signal)
		tn_jw_kstr(w, "signal", p->signal);
	if (p->core) {
		tn_jw_key(w, "core");
		tn_jw_bool(w, true);
	}
	if (p->has_wall)
		tn_jw_kint(w, "wall", p->wall);
	if (p->has_utime)
		tn_jw_kint(w, "utime", p->utime);
	if (p->has_stime)
		tn_jw_kint(w, "stime", p->stime);
	if (p->has_maxrss)
		tn_jw_kint(w, "maxrss", p->maxrss);
	tn_jw_obj_end(w);
}

void tn_sum_json_span(struct tn_jw *w, const struct tn_sum_span *c)
{
	head(w, "span");
	tn_jw_kstr(w, "name", c->name);
	tn_jw_kstr(w, "backend", c->backend);
	tn_jw_kstr(w, "phase", c->phase);
	tn_jw_kuint(w, "count", c->count);
	tn_jw_kuint(w, "n", c->n);
	tn_jw_kuint(w, "bytes", c->bytes);
	tn_jw_kdouble(w, "throughput", c->total_ns ? (double)c->bytes / secs(c->total_ns) : 0.0);
	times(w, c->count, c->total_ns, c->min_ns, c->max_ns, &c->hist);
	tn_jw_obj_end(w);
}

void tn_sum_json_total(struct tn_jw *w, const struct tn_sum *s)
{
	struct tn_sum_total t;

	tn_sum_total(s, &t);
	head(w, "total");
	tn_jw_kuint(w, "calls", t.calls);
	tn_jw_kuint(w, "errors", t.errors);
	times(w, t.calls, t.total_ns, s->all.min, s->all.max, &s->all);
	tn_jw_kuint(w, "syscalls", s->sys.len);
	tn_jw_kuint(w, "processes", s->proc.len);
	tn_jw_kuint(w, "spans", s->span.len);
	tn_jw_kuint(w, "records", s->records);
	tn_jw_kuint(w, "runs", s->runs);
	tn_jw_kuint(w, "other", s->other);
	tn_jw_kuint(w, "unfinished", s->unfinished);
	tn_jw_obj_end(w);
}
