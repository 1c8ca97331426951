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
	/* Critical path (tn-assert.yaml(5), critical-path): what it waited for. */
	int64_t waited;         /* the child its latest-returning wait4 or waitid returned, or 0 */
	int64_t waited_at;      /* when that call returned (ts + dur) */
	uint8_t waited_via;     /* enum tn_asr_via: TN_ASR_VIA_WAIT4 or TN_ASR_VIA_WAITID */
	uint64_t eof_pipe;      /* the pipe of its latest-returning read at end of file, or 0 */
	int64_t eof_since;      /* the entry of its last read of data from it before, or
	                           of that read when none */
	int64_t eof_at;         /* when that read returned */
	uint64_t data_pipe;     /* the pipe of its latest read that returned data */
	int64_t data_ts;        /* that read's entry */
	int64_t last_child;     /* its child whose exit record came last (waitid), or 0 */
	int64_t last_child_end;
	uint64_t wpipe;         /* the pipe it was last found writing to (a fast path) */
	uint64_t mark;          /* == tn_asr.mark: on the chain being built */
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

/* How a link of the critical path waited for the next one. */
enum tn_asr_via { TN_ASR_VIA_NONE, TN_ASR_VIA_WAIT4, TN_ASR_VIA_WAITID, TN_ASR_VIA_PIPE };

/* A process that holds the write end of a pipe (critical path): one per
 * pipe and writer, and one per pipe (pid -1) heading the list of its writers. */
struct tn_asr_writer {
	uint64_t run, ino;      /* run, pipe inode and pid: the key */
	int64_t pid;
	struct tn_asr_proc *proc;
	struct tn_asr_writer *next;     /* the pipe's next writer */
	struct tn_asr_writer *last;     /* in the pipe's own entry (pid -1, heading the
	                                   list: next is its first writer): its last */
};

/* One link of a critical path. */
struct tn_asr_link {
	const struct tn_asr_proc *proc;
	enum tn_asr_via via;    /* how it waited for the next link (NONE: the last) */
	int64_t until;          /* when that wait returned */
	int64_t from, to;       /* its stretch of the path: [from, to) */
	int64_t own;            /* its own time on the path: to - from, and the time
	                           before the next links started that it spent */
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
	struct tn_tab pipes;    /* of tn_asr_writer: pipes and their writers (critical path) */
	uint64_t mark;          /* chain_of(): marks the processes on the chain */
	struct tn_asr_proc *root;       /* the run's first process */
	uint64_t run_procs;             /* processes of the run */
	enum tn_arch last_arch;
	char last_arch_name[16];
	size_t last_arch_len;
};

/* Judge the critical path of the run read so far (at each header and at the
 * end); 0 or -ENOMEM. */
int tn_asr_finish_run(struct tn_asr *a);
