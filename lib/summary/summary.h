/* Aggregating tn event streams: what tn-summarize prints. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "hist.h"
#include "jsonw.h"
#include "reader.h"
#include "table.h"

/*
 * Memory grows with the number of distinct keys (syscall names, processes,
 * span kinds), never with the number of events: each key holds counters and
 * one histogram (hist.h).
 */

/* Where every sum stops (2^63 - 1: summary records stay in int64_t). */
#define TN_SUM_MAX ((uint64_t)INT64_MAX)

/* Per syscall name and architecture. */
struct tn_sum_sys {
	char *name, *arch;
	int64_t nr;             /* -1 when no record said */
	uint64_t calls, errors;
	uint64_t total_ns, min_ns, max_ns;
	struct tn_hist hist;
};

/* Per process: a run (header ordinal) and a pid. */
struct tn_sum_proc {
	uint64_t run;
	int64_t pid;
	int64_t ppid;           /* -1 when unknown */
	char *exe;              /* last exec path, or NULL */
	uint64_t syscalls, errors, sys_ns;
	bool exited;            /* an exit record (thread false) was seen */
	bool has_code, core;
	int64_t code;
	char *signal;           /* name, when a signal killed it */
	bool has_wall, has_utime, has_stime, has_maxrss;
	int64_t wall, utime, stime, maxrss;
};

/* Per compute span kind: name, backend and phase (tn-events(5)). */
struct tn_sum_span {
	char *name, *backend, *phase;
	uint64_t count, total_ns, min_ns, max_ns, n, bytes;
	struct tn_hist hist;
};

struct tn_sum {
	struct tn_tab sys, proc, span;      /* of tn_sum_sys, tn_sum_proc, tn_sum_span */
	uint64_t records, runs, other;
	uint64_t unfinished;    /* syscall records without "ret": not counted */
	struct tn_hist all;     /* durations of every syscall */
	char *native_arch;      /* from the first header that names one */
	int oom;
	const char *input;      /* borrowed: the input being read, for error positions */
};

void tn_sum_init(struct tn_sum *s);
void tn_sum_fini(struct tn_sum *s);

/*
 * Account one record; returns 0, -ENOMEM (e says so), or -EPROTONOSUPPORT
 * for a header of a schema other than TN_EV_SCHEMA (e holds its position in
 * s->input, which the caller (or tn_sum_read_fd()) sets; nothing of the
 * record is taken in).
 */
int tn_sum_add(struct tn_sum *s, const struct tn_ev_rec *rec, struct tn_error *e);

/*
 * A header of a schema other than TN_EV_SCHEMA is an error, not a stream to
 * read as version 1 (no "schema" at all is version 1): 0, or
 * -EPROTONOSUPPORT with e at its position in input.  tn_sum_add() checks
 * every header with it; tn-assert too.
 */
int tn_sum_check_schema(const struct tn_ev_rec *rec, const char *input, struct tn_error *e);

/* Totals over every syscall. */
struct tn_sum_total {
	uint64_t calls, errors, total_ns;
};
void tn_sum_total(const struct tn_sum *s, struct tn_sum_total *t);

/* Sort orders of strace -S. */
enum tn_sum_sort {
	TN_SORT_TIME,           /* total time, descending (strace's default) */
	TN_SORT_MIN, TN_SORT_MAX, TN_SORT_AVG,
	TN_SORT_CALLS, TN_SORT_ERRORS,
	TN_SORT_NAME,
	TN_SORT_NOTHING,        /* syscall number order */
};
/* strace's names and aliases ("time", "calls", "name", "nothing", ...); -1 if unknown. */
int tn_sum_sort_parse(const char *s);

/* Table columns of strace -U. */
enum tn_sum_col {
	TN_COL_NONE, TN_COL_PERCENT, TN_COL_TOTAL, TN_COL_MIN, TN_COL_MAX,
	TN_COL_AVG, TN_COL_CALLS, TN_COL_ERRORS, TN_COL_NAME, TN_COL_MAX_,
};
/*
 * Parse a -U list ("name,calls,errors") into cols (at most TN_COL_MAX_ - 1
 * entries plus a terminating TN_COL_NONE); the name column is appended when
 * missing, as strace does.  Returns 0 or -EINVAL with e->msg set.
 */
int tn_sum_cols_parse(const char *s, enum tn_sum_col *cols, struct tn_error *e);
/* The default columns of strace -c. */
extern const enum tn_sum_col tn_sum_default_cols[];

/*
 * The syscall entries sorted (stable; ties in syscall-number order, then by
 * name), one array per architecture, native first.  Caller frees *ret.
 */
int tn_sum_sorted(const struct tn_sum *s, const char *arch, enum tn_sum_sort sort,
		  struct tn_sum_sys ***ret, size_t *n);
/* The architectures with syscalls: native first, then by first appearance
 * (only the native one, "" when unknown, when there are no syscalls). */
int tn_sum_arches(const struct tn_sum *s, const char ***ret, size_t *n);

/*
 * Every syscall entry grouped by architecture, the groups in the order of
 * tn_sum_arches(), each sorted as tn_sum_sorted() sorts: group i is
 * arch[i], its entries v[start[i]] .. v[start[i + 1] - 1].  O(n log n) in
 * the entries however many architectures there are: what the tables of
 * every architecture are made from.  Returns 0 or -ENOMEM.
 */
struct tn_sum_groups {
	struct tn_sum_sys **v;
	const char **arch;
	size_t *start;          /* n + 1 offsets into v */
	size_t n;
};
int tn_sum_group(const struct tn_sum *s, enum tn_sum_sort sort, struct tn_sum_groups *g);
void tn_sum_groups_free(struct tn_sum_groups *g);

/*
 * The strace -c table for one architecture, as text (malloc'd, *len bytes).
 * When title is not NULL the "System call usage summary for TITLE mode:"
 * line comes first, as strace prints for a second personality.
 */
char *tn_sum_table(const struct tn_sum *s, const char *arch, const char *title,
		   enum tn_sum_sort sort, const enum tn_sum_col *cols, size_t *len);
/* The same for n entries already chosen and sorted (one group of tn_sum_group()). */
char *tn_sum_table_rows(struct tn_sum_sys *const *v, size_t n, const char *title,
			const enum tn_sum_col *cols, size_t *len);
/* strace's name of an architecture's personality for the title line. */
const char *tn_sum_arch_title(const char *native, const char *arch);

/* The summary records of --format=json, one at a time. */
void tn_sum_json_sys(struct tn_jw *w, const struct tn_sum_sys *c);
void tn_sum_json_proc(struct tn_jw *w, const struct tn_sum_proc *p);
void tn_sum_json_span(struct tn_jw *w, const struct tn_sum_span *p);
void tn_sum_json_total(struct tn_jw *w, const struct tn_sum *s);
