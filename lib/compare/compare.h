/* SPDX-License-Identifier: MIT */
/* tn-compare's library: normalise two sets of runs, align them, judge them. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "ev-out.h"
#include "filter.h"

/*
 * What tn-compare(1) documents, in the order it is done:
 *
 *  1. Each side (golden, new) is one or more event streams; every header
 *     record starts a run.  The first run of each side is kept event by
 *     event (4 bytes per syscall kept, plus 2 bytes of marks while its
 *     process is aligned); every run is summed per syscall name, span kind
 *     and process with lib/summary, for the timing.
 *  2. Normalisation (first runs): processes and threads are named by their
 *     place in the process tree ("1", "1.2", "1.2t1"), fds by their order of
 *     creation in their process, paths by the rewrite rules; addresses,
 *     times and durations are dropped; calls in the noise set are left out.
 *     Each kept call becomes one string, NAME(ARGS) = RESULT, interned.
 *  3. Alignment: the first processes are matched, then each matched
 *     pair's children, aligned by command with the same diff; the two call
 *     sequences of a matched pair are diffed (diff.h).
 *  4. Timing: per syscall name, span kind and run wall time, the per-run
 *     totals of the two sides are compared by median and by the one-sided
 *     Mann-Whitney U test (mwu.h), Bonferroni-corrected.
 */

struct tn_cmp_map { char *from, *to; };
struct tn_cmp_tol { char *name; double frac; };

/* The kinds of timed item (--judge=wall,syscall,span). */
enum { TN_CMP_JUDGE_WALL = 1, TN_CMP_JUDGE_SYSCALL = 2, TN_CMP_JUDGE_SPAN = 4,
       TN_CMP_JUDGE_ALL = 7 };

/* A span kind's value per run (--span-time=sum|p50|min). */
enum { TN_CMP_SPAN_SUM, TN_CMP_SPAN_P50, TN_CMP_SPAN_MIN };

struct tn_cmp_opts {
	double threshold;       /* similarity below this is "different" (1: any change) */
	unsigned context;       /* lines of context around a hunk (3) */
	double slowdown;        /* a slowdown must exceed this fraction (0.10) */
	double alpha;           /* significance level before the correction (0.05) */
	unsigned min_runs;      /* runs needed on each side to judge timing (5) */
	unsigned judge;         /* TN_CMP_JUDGE_* bits: the kinds of item judged (all) */
	uint64_t min_time;      /* items whose golden median is below (ns): not judged (0) */
	uint64_t min_spans;     /* span kinds with fewer spans a run (median): not judged (0) */
	int span_time;          /* a span kind's value per run: TN_CMP_SPAN_* (its sum) */
	uint64_t max_cost;      /* bound on (n + m) * D per aligned process (2e8) */
	struct tn_cmp_map *map; /* --map=OLD=NEW, in the order given */
	size_t nmap;
	struct tn_cmp_tol *tol; /* --tolerance=NAME:P% */
	size_t ntol;
	struct tn_trace_filter noise;   /* calls left out of the structure */
};

/* The default noise set, in -e trace= syntax. */
#define TN_CMP_NOISE_DEFAULT \
	"%memory,%clock,futex,getrandom,sched_yield,rseq,set_robust_list," \
	"set_tid_address,restart_syscall,nanosleep,clock_nanosleep,getpid,gettid"

/* Defaults; returns 0 or -errno (e says why). */
int tn_cmp_opts_init(struct tn_cmp_opts *o, struct tn_error *e);
void tn_cmp_opts_fini(struct tn_cmp_opts *o);
/* --ignore=SET adds SET to the noise set, --keep=SET takes it out. */
int tn_cmp_opts_noise(struct tn_cmp_opts *o, const char *set, bool add, struct tn_error *e);
/* --map=OLD=NEW */
int tn_cmp_opts_map(struct tn_cmp_opts *o, const char *arg, struct tn_error *e);
/* --tolerance=NAME:P% (or NAME:P, a fraction when no '%') */
int tn_cmp_opts_tolerance(struct tn_cmp_opts *o, const char *arg, struct tn_error *e);

enum { TN_CMP_GOLDEN, TN_CMP_NEW };

struct tn_cmp;

struct tn_cmp *tn_cmp_new(const struct tn_cmp_opts *o);
void tn_cmp_free(struct tn_cmp *c);     /* NULL-safe */

/*
 * Read one stream of a side to its end.  Returns 0 or -errno: a bad line
 * (e has FILE:LINE:COL), a header of a schema this build does not read or
 * that differs from the side's first, out of memory.
 */
int tn_cmp_read_fd(struct tn_cmp *c, int side, int fd, const char *name, struct tn_error *e);

/*
 * Compare what was read and write the report to out: text like diff -u,
 * or finding records (tn-events(5)) when json.  Returns 0 when the sides
 * are equivalent and nothing regressed, 1 when they differ or a timing
 * regressed, or -errno with e set: a side with no records, mismatched
 * schema versions, out of memory, a write error (out->err).
 */
int tn_cmp_report(struct tn_cmp *c, struct tn_ev_out *out, bool json, struct tn_error *e);

/*
 * Replace the file golden with the stream on fd (named name), atomically:
 * the stream is checked while it is copied to a temporary file in golden's
 * directory, which is fsync'd and renamed over golden, and the directory
 * fsync'd.  A stream with no records, with a bad line, or whose first
 * process exited with a status other than 0 or was killed is refused
 * (the last unless force).  Returns 0 or -errno with e set; golden is
 * untouched on any error.
 */
int tn_cmp_update(const char *golden, int fd, const char *name, bool force,
		  struct tn_error *e);

/* "10%" or "0.1": a non-negative fraction; 0 or -EINVAL. */
int tn_cmp_parse_fraction(const char *s, double *ret);
/* "wall,syscall,span" (any of them, comma-separated) into TN_CMP_JUDGE_*
 * bits; -EINVAL for an empty list or another word. */
int tn_cmp_parse_judge(const char *s, unsigned *ret);

/*
 * The inputs one side argument names: the argument itself ("-" or a file),
 * or, for a directory, the regular files in it whose names do not start
 * with '.', sorted by name (each "DIR/NAME", malloc'd).  A directory
 * without such files is an error (-ENOENT, "DIR: no event streams in
 * directory").  Appends to *list / *n; returns 0 or -errno with e set.
 */
int tn_cmp_expand(const char *arg, char ***list, size_t *n, struct tn_error *e);
