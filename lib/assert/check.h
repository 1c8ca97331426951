/* SPDX-License-Identifier: MIT */
/* lib/assert's own: the state of a check, shared by check.c and report.c. */
#pragma once

#include "assert.h"
#include "hist.h"
#include "systab.h"
#include "table.h"

struct tn_asr_proc {
	uint64_t run;
	int64_t pid;            /* run and pid: the key (tn_fnv1a64 over both) */
	int64_t ppid;
	char *comm;             /* base name of the last exec, or the parent's */
	int64_t mapped;         /* bytes mapped now (mmap, munmap, mremap, brk) */
	int64_t brk;
	int64_t start, end;     /* first and last ts (its exit's, once it exited) */
	int64_t waited;         /* the child its latest-returning wait4 reaped, or 0 */
	int64_t waited_at;      /* when that wait4 returned (ts + dur) */
	bool brk_known, seen, started, exited;
	size_t nmatch;
	bool match[];           /* per rule: its "process" glob matches comm */
};

/* A thread's run of the same syscall (tight-loop). */
struct tn_asr_thread {
	uint64_t run;
	int64_t tid;            /* run and tid: the key */
	enum tn_arch arch;
	int64_t nr;             /* its last call; -2 before any */
	uint64_t len;           /* how many times in a row */
};

/* One link of a critical path. */
struct tn_asr_link {
	const struct tn_asr_proc *proc;
};

struct tn_asr_state {
	double measured;        /* the value judged against the limit */
	uint64_t count;         /* spans seen */
	uint64_t sum_dur, sum_work;     /* throughput: ns and bytes (or elements) */
	int64_t run_cur;        /* per run: what the run holds now */
	struct tn_hist hist;    /* syscall-percentile */
	/* What broke it, or the worst case seen. */
	bool blamed;
	int64_t pid, tid, ts;
	const struct tn_asr_proc *proc;
	char what[64];          /* the syscall, or the span's backend */
	double value;
	struct tn_asr_link *chain;      /* critical-path: the chain of the longest run */
	size_t nchain;
};

struct tn_asr {
	const struct tn_asr_budget *b;
	struct tn_asr_state *st;
	struct tn_tab procs;
	struct tn_asr_proc *last;
	struct tn_tab threads;  /* of tn_asr_thread, with a tight-loop assertion */
	struct tn_asr_thread *last_thread;
	uint64_t run;
	const char *input;
	bool has_mapped, has_loop, has_cp;
	struct tn_asr_proc *root;       /* the run's first process */
	uint64_t run_procs;             /* processes of the run */
	enum tn_arch last_arch;
	char last_arch_name[16];
	size_t last_arch_len;
};

/* Judge the critical path of the run read so far (at each header and at the
 * end); 0 or -ENOMEM. */
int tn_asr_finish_run(struct tn_asr *a);
