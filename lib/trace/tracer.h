/* lib/trace's private header, as strace's defs.h: the tracer, its threads
 * and processes, and what its files give each other (tracee.c, record.c,
 * syscall.c, regs-*.c, trace.c).  Not installed; the unit test reaches
 * tn_trace_put_arg() through it. */
#pragma once

#include <seccomp.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/types.h>

#include "events.h"
#include "filter.h"
#include "jsonw.h"
#include "systab.h"
#include "trace.h"

struct tn_trace_ring;
struct tn_spanring;
struct tn_spanring_slot;

#define PAGE 4096u

struct proc {
	pid_t pid;
	pid_t ppid;
	int refs;
	char **fdp;             /* what descriptor i refers to, when asked once */
	uint32_t nfdp;
	uint64_t start;
	uint64_t mapped, unmapped;
	uint64_t brk;
};

enum tstate {
	T_RUNNING,              /* known, resumed by us or about to be */
	T_FRESH,                /* announced by its parent, first stop not seen yet */
	T_PARKED,               /* stopped before its parent's event: held */
};

struct thread {
	pid_t tid;
	struct thread *next;    /* hash chain */
	struct proc *proc;
	uint64_t start;
	uint8_t state;
	bool in_syscall;        /* between entry and exit */
	bool rec;               /* this call is recorded at its exit */
	bool sync;              /* ask the kernel whether the next syscall stop is entry or exit */
	bool have_entry;        /* nr, arch and args were read at the entry */
	const char *fdpath;     /* what the call's first argument refers to */
	bool swallow_cont;      /* the SIGCONT that started the spawned child */
	bool listening;         /* in group-stop under PTRACE_LISTEN */
	bool detaching;
	bool hidden;            /* this call is libtn's span channel's: left out */
	bool exiting;           /* reported PTRACE_EVENT_EXIT */
	bool spawned;           /* started by tn-trace (not attached) */
	enum tn_arch arch;      /* of the call in progress, from its entry */
	uint64_t nr;            /* its number, from its entry */
	const char *subname;    /* the socketcall or ipc call it makes, or NULL */
	uint64_t args[6];
	uint64_t ts;
	char *path[2];
	bool has_path[2];
};

#define NBUCKET 1024

struct tracer {
	const struct tn_trace_opts *o;
	struct tn_trace_result *r;
	struct tn_trace_ring *out;
	struct tn_jw w;
	struct thread *bucket[NBUCKET];
	struct thread *last;
	size_t nthreads;
	size_t nparked;
	size_t nexiting;        /* threads between PTRACE_EVENT_EXIT and their end */
	unsigned ptrace_opts;
	bool seccomp;
	bool mem_tracked;
	pid_t first_pid;
	uint64_t start;
	struct tn_trace_filter all;
	const struct tn_trace_filter *f;
	char *rbuf;                     /* a syscall record being made */
	char **frag[TN_ARCH_COUNT];     /* per number: the fixed part of its records */
	char fragbuf[160];
	struct tn_jw scratch;           /* escapes the paths */
	bool fd_annot;                  /* every call stops: the descriptor cache holds */
	int *exec_err;                  /* shared with the spawned child: errno of its execve */
	scmp_filter_ctx seccomp_ctx;    /* --seccomp-bpf: the filter the command gets */
	struct sigaction old_sa[4];     /* the handlers before tn-trace's (trace.c) */
	struct tn_spanring *spans;      /* libtn's span ring (spanring.h), or NULL */
	int span_fd;                    /* its descriptor number in the command */
	int64_t nr_mmap, nr_getpid, nr_gettid;  /* native numbers, -1: none */
};

#define FD_CACHE_MAX 4096u

/* Longest syscall record: fixed parts, 6 arguments, 2 paths escaped as
 * \\u00hh escape at worst. */
#define RBUF_SIZE (1024 + 2 * (6 * TN_EV_STR_MAX + 2))

/* ---- tracee.c: the thread table */

/* The thread tid (NULL: not traced). */
struct thread *tr_find(struct tracer *T, pid_t tid);
/* A new thread in the table, not yet in a process; NULL when out of memory. */
struct thread *tr_add_thread(struct tracer *T, pid_t tid);
/* th takes the place and the tid of a thread that is gone (exec from a
 * non-leader thread). */
void tr_relink_thread(struct tracer *T, struct thread *th, pid_t tid);
void tr_del_thread(struct tracer *T, struct thread *t);
struct proc *tr_new_proc(pid_t pid, pid_t ppid, uint64_t start);
void tr_free_all(struct tracer *T);

/* ---- tracee.c: the descriptor-path cache */

void tr_fd_forget_all(struct proc *p);
/* What descriptor fd of t's process refers to (NULL: unknown). */
const char *tr_fd_path(struct thread *t, int64_t fd);
/* After a call ended: forget what it may have changed. */
void tr_fd_update(struct thread *t, const struct tn_sysent *s, int64_t ret, bool done);

/* ---- tracee.c: reads from a tracee and from /proc */

bool tr_get_info(pid_t tid, struct __ptrace_syscall_info *si);
long tr_read_str(pid_t tid, uint64_t addr, char *buf, size_t max);
bool tr_read_mem(pid_t tid, uint64_t addr, void *dst, size_t n);
bool tr_read_auxv(pid_t tid, uint64_t key, size_t psz, uint64_t *val);
int tr_read_cmdline(pid_t pid, char *buf, size_t size, char **argv, int max);
pid_t tr_tgid_of(pid_t tid);

/* ---- record.c: the records */

void tr_write_header(struct tracer *T);
void tr_emit_proc(struct tracer *T, struct thread *t, const char *via,
		  pid_t ppid, pid_t ptid, bool thread);
void tr_emit_syscall(struct tracer *T, struct thread *t, bool done, int64_t ret,
		     uint64_t now);
void tr_emit_signal(struct tracer *T, struct thread *t, int sig, const siginfo_t *si);
void tr_emit_exit(struct tracer *T, struct thread *t, bool thread, int status,
		  const struct rusage *ru);
void tr_emit_exec(struct tracer *T, struct thread *t);
/*
 * Write the raw value of a syscall argument as tn-events(5) asks: small
 * values (-65536..65535 as signed) as numbers, anything else as a hex
 * string (an address, flags).  32-bit calls are sign-extended from 32 bits.
 */
void tn_trace_put_arg(struct tn_jw *w, unsigned long long v, bool wide);

/* A span slot of libtn's ring as a span record. */
void tr_emit_span(struct tracer *T, const struct tn_spanring_slot *s);

/* ---- trace.c: libtn's spans */

/* Write the spans libtn completed since the last drain; final: the
 * tracees are gone, and a slot a killed writer left half-written is
 * passed over. */
void tr_spans_drain(struct tracer *T, bool final);

/* ---- syscall.c: syscall and seccomp stops */

void tr_syscall_stop(struct tracer *T, struct thread *t);
void tr_seccomp_stop(struct tracer *T, struct thread *t);

/* ---- regs-ARCH.c: the return value at an exit stop (false: unknown) */

bool tr_regs_ret(struct thread *t, int64_t *ret);
