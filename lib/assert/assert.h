/* SPDX-License-Identifier: MIT */
/* tn-assert's library: budgets read from YAML, checked against event streams. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "ev-out.h"
#include "filter.h"
#include "reader.h"

/* What an assertion measures (the "type" key of tn-assert.yaml(5)). */
enum tn_asr_type {
	TN_ASR_SYSCALL_CALLS,   /* calls of a set: max */
	TN_ASR_SYSCALL_ERRORS,  /* failed calls of a set: max */
	TN_ASR_SYSCALL_TIME,    /* total duration of a set: max */
	TN_ASR_SYSCALL_SLOWEST, /* one call's duration: max */
	TN_ASR_SYSCALL_PCT,     /* a percentile of the durations: max */
	TN_ASR_SYSCALL_NEVER,   /* calls of a set: none at all */
	TN_ASR_TIGHT_LOOP,      /* the same syscall in a row in one thread: max */
	TN_ASR_SMALL_IO,        /* calls that moved fewer bytes than "below": max */
	TN_ASR_BLOCKING,        /* calls longer than "above": max */
	TN_ASR_PEAK_RSS,        /* exit records' maxrss: max */
	TN_ASR_MAPPED,          /* bytes mapped at their highest: max */
	TN_ASR_THROUGHPUT,      /* bytes (or elements) per second of spans: min */
	TN_ASR_SPAN_TIME,       /* one span's duration: max */
	TN_ASR_BACKEND,         /* every span ran on a given backend */
	TN_ASR_PCIE,            /* upload + download time over kernel time: max */
	TN_ASR_CRITICAL_PATH,   /* the run's chain of waits, its duration: max */
	TN_ASR_GOD_PROCESS,     /* one process's share of the critical path: max */
	TN_ASR_TYPE_COUNT,
};

/* The unit of a measured value and its limit. */
enum tn_asr_unit {
	TN_ASR_U_COUNT, TN_ASR_U_NS, TN_ASR_U_BYTES, TN_ASR_U_BPS, TN_ASR_U_EPS, TN_ASR_U_NONE,
	TN_ASR_U_RATIO,
};

struct tn_asr_rule {
	char *name;
	enum tn_asr_type type;
	bool enabled, fail;             /* fail: fail_on_violation (false: warn) */
	char *process;                  /* glob on the command, or NULL: every process */
	char *set_text;                 /* the syscalls as written ("all" when absent) */
	struct tn_trace_filter set;
	double pct;                     /* TN_ASR_SYSCALL_PCT: 0 < pct <= 100 */
	char *span, *backend;           /* spans: name (required), backend (optional) */
	char *require;                  /* TN_ASR_BACKEND: the backend every span needs */
	bool per_process;               /* memory: "per: process" (default) or "run" */
	double threshold;               /* small-io: "below" (bytes); blocking: "above" (ns) */
	enum tn_asr_unit unit;          /* of limit */
	double limit;
	unsigned long line, col;        /* where the assertion starts */
};

/* The default "syscalls" of small-io. */
#define TN_ASR_SMALL_IO_SET "read,write,pread64,pwrite64,readv,writev,recvfrom,sendto"

struct tn_asr_budget {
	struct tn_asr_rule *rule;
	size_t n;
};

/* Types judged from syscall records, and from span records. */
static inline bool tn_asr_is_syscall(enum tn_asr_type t)
{
	return t <= TN_ASR_BLOCKING;
}
static inline bool tn_asr_is_span(enum tn_asr_type t)
{
	return t >= TN_ASR_THROUGHPUT && t <= TN_ASR_PCIE;
}

/* The name of a type in the YAML ("syscall-calls", ...). */
const char *tn_asr_type_name(enum tn_asr_type t);

/*
 * Parse the budgets in text[0..len) (named name in errors) with libyaml's
 * event API.  Returns 0, or -EINVAL with e at FILE:LINE:COL of the first
 * problem (nothing else is checked after it), -ENOMEM.
 */
int tn_asr_budget_parse(struct tn_asr_budget *b, const char *text, size_t len,
			const char *name, struct tn_error *e);
/* Read a file (at most TN_ASR_BUDGET_MAX bytes) and parse it. */
#define TN_ASR_BUDGET_MAX (1u << 20)
int tn_asr_budget_load(struct tn_asr_budget *b, const char *path, struct tn_error *e);
void tn_asr_budget_fini(struct tn_asr_budget *b);

/*
 * A quantity with its unit, as the budgets write them: "100ms", "64MiB",
 * "2GB/s", "5M/s".  want says which unit is expected; a count is a plain
 * number.  Returns 0 or -EINVAL with *why set.
 */
int tn_asr_parse_quantity(const char *s, enum tn_asr_unit want, double *ret, const char **why);

/* Checking. */
struct tn_asr;
struct tn_asr *tn_asr_new(const struct tn_asr_budget *b);
void tn_asr_free(struct tn_asr *a);
/* Account one record; 0 or -ENOMEM. */
int tn_asr_add(struct tn_asr *a, const struct tn_ev_rec *rec, struct tn_error *e);
/* Read a stream to its end (tn_ev_reader_*); 0 or -errno with e set. */
int tn_asr_read_fd(struct tn_asr *a, int fd, const char *name, struct tn_error *e);

/*
 * The verdicts: one line (or with json one verdict record) per assertion
 * to out, and when junit is not NULL the JUnit XML to it.  Returns
 * TN_EXIT_OK/TN_EXIT_FAIL as 0/1, or -errno for a write error.
 */
int tn_asr_report(struct tn_asr *a, struct tn_ev_out *out, bool json, struct tn_ev_out *junit,
		  struct tn_error *e);
