/* The ptrace engine: one wait loop, one PTRACE_GET_SYSCALL_INFO at the entry
 * and (for recorded calls) at the exit of each syscall, records buffered and
 * written whole. */
#include "trace.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/audit.h>
#include <sched.h>
#include <seccomp.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

#include "events.h"
#include "jsonw.h"
#include "ring.h"
#include "systab.h"

extern char **environ;

#define PAGE 4096u

/* ---------------------------------------------------------------- output */

/* Hand the record built in w to the writer (whole) and reset w. */
static void out_record(struct tn_trace_ring *o, struct tn_jw *w)
{
	size_t n;
	const char *line = tn_jw_line(w, &n);

	if (!w->oom)
		tn_trace_ring_put(o, line, n);
	tn_jw_reset(w);
}

/* ------------------------------------------------------------ the tracees */

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
	bool exec_seen;         /* the call in progress executed a new program */
	bool no_args;           /* the registers of this call are gone (exec) */
	const char *fdpath;     /* what the call's first argument refers to */
	enum tn_arch last_arch; /* of the thread's last call */
	bool swallow_cont;      /* the SIGCONT that started the spawned child */
	bool listening;         /* in group-stop under PTRACE_LISTEN */
	bool detaching;
	bool exiting;           /* reported PTRACE_EVENT_EXIT */
	bool spawned;           /* started by tn-trace (not attached) */
	enum tn_arch arch;
	uint32_t nr;
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
};

#define FD_CACHE_MAX 4096u

/* Longest syscall record: fixed parts, 6 arguments, 2 paths escaped as
 * \\u00hh escape at worst. */
#define RBUF_SIZE (1024 + 2 * (6 * TN_EV_STR_MAX + 2))

static struct thread *find(struct tracer *T, pid_t tid)
{
	struct thread *t;

	if (T->last && T->last->tid == tid)
		return T->last;
	for (t = T->bucket[(unsigned)tid % NBUCKET]; t; t = t->next)
		if (t->tid == tid)
			return T->last = t;
	return NULL;
}

static struct thread *add_thread(struct tracer *T, pid_t tid)
{
	struct thread *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->tid = tid;
	t->start = tn_ev_now();
	t->sync = true;
	t->last_arch = tn_arch_native();
	t->next = T->bucket[(unsigned)tid % NBUCKET];
	T->bucket[(unsigned)tid % NBUCKET] = t;
	T->nthreads++;
	return t;
}

static void unlink_thread(struct tracer *T, struct thread *t)
{
	struct thread **pp = &T->bucket[(unsigned)t->tid % NBUCKET];

	while (*pp && *pp != t)
		pp = &(*pp)->next;
	if (*pp)
		*pp = t->next;
	if (T->last == t)
		T->last = NULL;
}

static void fd_forget_all(struct proc *p)
{
	for (uint32_t i = 0; i < p->nfdp; i++) {
		free(p->fdp[i]);
		p->fdp[i] = NULL;
	}
}

static void fd_forget(struct proc *p, int64_t fd)
{
	if (p && fd >= 0 && (uint64_t)fd < p->nfdp) {
		free(p->fdp[fd]);
		p->fdp[fd] = NULL;
	}
}

static void put_proc(struct proc *p)
{
	if (p && --p->refs == 0) {
		fd_forget_all(p);
		free(p->fdp);
		free(p);
	}
}

static void del_thread(struct tracer *T, struct thread *t)
{
	unlink_thread(T, t);
	if (t->state == T_PARKED)
		T->nparked--;
	T->nthreads--;
	put_proc(t->proc);
	free(t->path[0]);
	free(t->path[1]);
	free(t);
}

static struct proc *new_proc(pid_t pid, pid_t ppid, uint64_t start)
{
	struct proc *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->pid = pid;
	p->ppid = ppid;
	p->start = start;
	p->refs = 1;
	return p;
}

/* ------------------------------------------------------- tracee memory */

/* Read a NUL-terminated string at addr into buf (at most max bytes, then
 * NUL).  Reads page by page so that a string ending before an unmapped page
 * is still read.  Returns the length, or -1 when nothing could be read. */
static long read_str(pid_t tid, uint64_t addr, char *buf, size_t max)
{
	size_t got = 0;

	while (got < max) {
		size_t chunk = PAGE - (size_t)((addr + got) % PAGE);
		struct iovec l, rm;
		ssize_t n;
		char *nul;

		if (chunk > max - got)
			chunk = max - got;
		l.iov_base = buf + got;
		l.iov_len = chunk;
		rm.iov_base = (void *)(uintptr_t)(addr + got);
		rm.iov_len = chunk;
		n = process_vm_readv(tid, &l, 1, &rm, 1, 0);
		if (n <= 0)
			break;
		nul = memchr(buf + got, '\0', (size_t)n);
		if (nul)
			return nul - buf;
		got += (size_t)n;
	}
	if (got == 0)
		return -1;
	buf[got < max ? got : max] = '\0';
	return (long)(got < max ? got : max);
}

static bool read_mem(pid_t tid, uint64_t addr, void *dst, size_t n)
{
	struct iovec l = { dst, n }, rm = { (void *)(uintptr_t)addr, n };

	return process_vm_readv(tid, &l, 1, &rm, 1, 0) == (ssize_t)n;
}

/* ---------------------------------------------------------- record parts */

/* Digits of v at p; returns the end. */
static char *put_u64(char *p, uint64_t v)
{
	char tmp[20];
	int i = 20;

	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	memcpy(p, tmp + i, (size_t)(20 - i));
	return p + 20 - i;
}

static char *put_i64(char *p, int64_t v)
{
	if (v < 0) {
		*p++ = '-';
		return put_u64(p, (uint64_t)0 - (uint64_t)v);
	}
	return put_u64(p, (uint64_t)v);
}

#define LIT(p, s) (memcpy((p), (s), sizeof(s) - 1), (p) + sizeof(s) - 1)

/* One argument as tn-events(5) wants it (at most 20 bytes). */
static char *put_arg(char *p, uint64_t v, bool wide)
{
	static const char hex[] = "0123456789abcdef";
	int64_t s = wide ? (int64_t)v : (int64_t)(int32_t)(uint32_t)v;
	char tmp[16];
	int i = 16;

	/* An int argument (AT_FDCWD, -1) comes in the low half of a 64-bit
	 * register, the high half zero: written as the negative int. */
	if (wide && (v >> 32) == 0 && (int32_t)(uint32_t)v < 0 && (int32_t)(uint32_t)v >= -65536)
		s = (int32_t)(uint32_t)v;
	if (s >= -65536 && s <= 65535)
		return put_i64(p, s);
	if (!wide)
		v = (uint32_t)v;
	do {
		tmp[--i] = hex[v & 15];
		v >>= 4;
	} while (v);
	p = LIT(p, "\"0x");
	memcpy(p, tmp + i, (size_t)(16 - i));
	p += 16 - i;
	*p++ = '"';
	return p;
}

void tn_trace_put_arg(struct tn_jw *w, unsigned long long v, bool wide)
{
	char buf[24];
	char *end = put_arg(buf, v, wide);

	tn_jw_raw(w, buf, (size_t)(end - buf));
}

static void rec_begin(struct tracer *T, const char *type, uint64_t ts, struct thread *t)
{
	struct tn_jw *w = &T->w;

	tn_jw_obj_begin(w);
	tn_jw_kstr(w, "type", type);
	tn_jw_kuint(w, "ts", ts);
	tn_jw_kint(w, "pid", t->proc ? t->proc->pid : t->tid);
	tn_jw_kint(w, "tid", t->tid);
}

static void rec_end(struct tracer *T)
{
	tn_jw_obj_end(&T->w);
	out_record(T->out, &T->w);
}

static void emit_proc(struct tracer *T, struct thread *t, const char *via,
		      pid_t ppid, pid_t ptid, bool thread)
{
	struct tn_jw *w = &T->w;

	rec_begin(T, TN_EV_PROC, t->start, t);
	if (ppid > 0) {
		tn_jw_kint(w, "ppid", ppid);
		tn_jw_kint(w, "ptid", ptid);
	}
	tn_jw_kstr(w, "via", via);
	tn_jw_key(w, "thread");
	tn_jw_bool(w, thread);
	rec_end(T);
}

/* The syscall record of t's current call; ret is used when done. */
/* ',"name":"openat","nr":257,"arch":"x86_64"': the same for every call of
 * a number, so made once. */
static const char *sys_fragment(struct tracer *T, enum tn_arch a, uint32_t nr, size_t *len)
{
	uint32_t i = a == TN_ARCH_X32 ? (nr & ~0x40000000u) : nr;
	char **slot = NULL;
	char buf[160];
	const struct tn_sysent *s = tn_sysent(a, nr);
	int n;

	if (a >= 0 && a < TN_ARCH_COUNT && i < TN_NR_MAX) {
		if (!T->frag[a])
			T->frag[a] = calloc(TN_NR_MAX, sizeof(char *));
		if (T->frag[a]) {
			slot = &T->frag[a][i];
			if (*slot) {
				*len = strlen(*slot);
				return *slot;
			}
		}
	}
	if (s->name)
		n = snprintf(buf, sizeof(buf), ",\"name\":\"%s\",\"nr\":%u,\"arch\":\"%s\"",
			     s->name, (unsigned)nr, tn_arch_name(a));
	else
		n = snprintf(buf, sizeof(buf), ",\"name\":\"syscall_%u\",\"nr\":%u,\"arch\":\"%s\"",
			     (unsigned)nr, (unsigned)nr, tn_arch_name(a));
	if (slot && (*slot = strdup(buf)))
		return *len = (size_t)n, *slot;
	/* not cacheable: use the scratch copy */
	memcpy(T->fragbuf, buf, (size_t)n + 1);
	*len = (size_t)n;
	return T->fragbuf;
}

/* A JSON string (escaped, invalid UTF-8 replaced) at p, through the
 * writer of lib/common. */
static char *put_str(struct tracer *T, char *p, const char *str)
{
	tn_jw_reset(&T->scratch);
	tn_jw_str(&T->scratch, str);
	if (T->scratch.oom)
		return LIT(p, "\"\"");
	memcpy(p, T->scratch.buf, T->scratch.len);
	return p + T->scratch.len;
}

/*
 * The syscall record of t's current call; ret is used when done.  The hot
 * path of tn-trace: written straight into a buffer (the fixed parts of
 * each syscall number made once), not through the general JSON writer.
 */
static void emit_syscall(struct tracer *T, struct thread *t, bool done, int64_t ret,
			 uint64_t now)
{
	const struct tn_sysent *s = tn_sysent(t->arch, t->nr);
	bool wide = t->arch != TN_ARCH_X86;
	unsigned status = !done ? TN_STATUS_UNFINISHED
		: (ret < 0 && ret >= -4095) ? TN_STATUS_FAILED : TN_STATUS_SUCCESSFUL;
	char *p = T->rbuf;
	const char *frag;
	size_t flen;

	if (!(T->f->status & status) || !p)
		return;
	p = LIT(p, "{\"type\":\"syscall\",\"ts\":");
	p = put_u64(p, t->ts);
	p = LIT(p, ",\"pid\":");
	p = put_i64(p, t->proc ? t->proc->pid : t->tid);
	p = LIT(p, ",\"tid\":");
	p = put_i64(p, t->tid);
	frag = sys_fragment(T, t->arch, t->nr, &flen);
	memcpy(p, frag, flen);
	p += flen;
	if (!t->no_args) {
		p = LIT(p, ",\"args\":[");
		for (unsigned i = 0; i < s->nargs && i < 6; i++) {
			if (i)
				*p++ = ',';
			p = put_arg(p, t->args[i], wide);
		}
		*p++ = ']';
	}
	if (t->has_path[0]) {
		p = LIT(p, ",\"path\":");
		p = put_str(T, p, t->path[0]);
	}
	if (t->has_path[1]) {
		p = LIT(p, ",\"path2\":");
		p = put_str(T, p, t->path[1]);
	}
	if (t->fdpath) {
		p = LIT(p, ",\"fdpath\":");
		p = put_str(T, p, t->fdpath);
	}
	if (done) {
		p = LIT(p, ",\"ret\":");
		p = put_i64(p, ret);
		if (status == TN_STATUS_FAILED) {
			const char *en = tn_errno_name((int)-ret);
			p = LIT(p, ",\"err\":\"");
			if (en) {
				size_t n = strlen(en);
				memcpy(p, en, n);
				p += n;
			} else {
				*p++ = 'E';
				p = put_i64(p, -ret);
			}
			*p++ = '"';
		}
		p = LIT(p, ",\"dur\":");
		p = put_u64(p, now - t->ts);
	}
	*p++ = '}';
	*p++ = '\n';
	tn_trace_ring_put(T->out, T->rbuf, (size_t)(p - T->rbuf));
	T->r->syscalls++;
}

static void emit_signal(struct tracer *T, struct thread *t, int sig, const siginfo_t *si)
{
	struct tn_jw *w = &T->w;
	char name[32];

	rec_begin(T, TN_EV_SIGNAL, tn_ev_now(), t);
	tn_jw_kstr(w, "sig", tn_signal_name(sig, name, sizeof(name)));
	if (si) {
		tn_jw_kint(w, "code", si->si_code);
		if (si->si_code <= 0 || sig == SIGCHLD)
			tn_jw_kint(w, "from", si->si_pid);
	}
	rec_end(T);
}

static uint64_t tv_ns(struct timeval tv)
{
	return (uint64_t)tv.tv_sec * 1000000000u + (uint64_t)tv.tv_usec * 1000u;
}

/* An exit record: status < 0 when the thread vanished without one. */
static void emit_exit(struct tracer *T, struct thread *t, bool thread, int status,
		      const struct rusage *ru)
{
	struct tn_jw *w = &T->w;
	uint64_t now = tn_ev_now();
	char name[32];

	rec_begin(T, TN_EV_EXIT, now, t);
	tn_jw_key(w, "thread");
	tn_jw_bool(w, thread);
	if (status >= 0 && WIFEXITED(status)) {
		tn_jw_kint(w, "code", WEXITSTATUS(status));
	} else if (status >= 0 && WIFSIGNALED(status)) {
		tn_jw_kstr(w, "signal", tn_signal_name(WTERMSIG(status), name, sizeof(name)));
		if (WCOREDUMP(status)) {
			tn_jw_key(w, "core");
			tn_jw_bool(w, true);
		}
	}
	tn_jw_kuint(w, "wall", now - (thread || !t->proc ? t->start : t->proc->start));
	if (!thread && ru) {
		tn_jw_kuint(w, "utime", tv_ns(ru->ru_utime));
		tn_jw_kuint(w, "stime", tv_ns(ru->ru_stime));
		tn_jw_kuint(w, "maxrss", (uint64_t)ru->ru_maxrss * 1024u);
	}
	if (!thread && t->proc && T->mem_tracked) {
		tn_jw_kuint(w, "mapped", t->proc->mapped);
		tn_jw_kuint(w, "unmapped", t->proc->unmapped);
	}
	rec_end(T);
}

/* ------------------------------------------------------------- resuming */

static void resume(struct tracer *T, struct thread *t, int sig)
{
	int req = (!T->seccomp || t->in_syscall) ? PTRACE_SYSCALL : PTRACE_CONT;

	T->r->stops++;
	ptrace(req, t->tid, 0L, (long)sig);
}

static bool get_info(pid_t tid, struct __ptrace_syscall_info *si)
{
	return ptrace(PTRACE_GET_SYSCALL_INFO, tid, (void *)sizeof(*si), si) > 0;
}

/* ------------------------------------------------------- syscall stops */

static uint64_t page_up(uint64_t n)
{
	return (n + PAGE - 1) & ~(uint64_t)(PAGE - 1);
}

static void account_mem(struct thread *t, const struct tn_sysent *s, int64_t ret)
{
	struct proc *p = t->proc;
	bool wide = t->arch != TN_ARCH_X86;
	uint64_t a1 = wide ? t->args[1] : (uint32_t)t->args[1];
	uint64_t a2 = wide ? t->args[2] : (uint32_t)t->args[2];

	if (!p || (ret < 0 && ret >= -4095))
		return;
	switch (s->mem) {
	case TN_MEM_MMAP:
		p->mapped += page_up(a1);
		break;
	case TN_MEM_MUNMAP:
		p->unmapped += page_up(a1);
		break;
	case TN_MEM_MREMAP:
		if (a2 > a1)
			p->mapped += page_up(a2) - page_up(a1);
		else
			p->unmapped += page_up(a1) - page_up(a2);
		break;
	case TN_MEM_BRK: {
		uint64_t now = wide ? (uint64_t)ret : (uint32_t)ret;
		if (p->brk && now > p->brk)
			p->mapped += now - p->brk;
		else if (p->brk && now < p->brk)
			p->unmapped += p->brk - now;
		p->brk = now;
		break;
	}
	default:
		break;
	}
}

static void read_paths(struct thread *t, const struct tn_sysent *s)
{
	unsigned k = 0;

	t->has_path[0] = t->has_path[1] = false;
	for (unsigned i = 0; i < 6 && k < 2; i++) {
		uint64_t addr;

		if (!(s->paths & (1u << i)))
			continue;
		addr = t->arch == TN_ARCH_X86 ? (uint32_t)t->args[i] : t->args[i];
		if (addr && (t->path[k] || (t->path[k] = malloc(TN_EV_STR_MAX + 1))))
			t->has_path[k] = read_str(t->tid, addr, t->path[k], TN_EV_STR_MAX) >= 0;
		k++;
	}
}

static void on_entry(struct tracer *T, struct thread *t, const struct __ptrace_syscall_info *si,
		     uint64_t now)
{
	const struct tn_sysent *s;

	t->in_syscall = true;
	t->have_entry = true;
	t->no_args = false;
	t->ts = now;
	t->arch = tn_arch_from_audit(si->arch, si->entry.nr);
	t->nr = (uint32_t)si->entry.nr;
	memcpy(t->args, si->entry.args, sizeof(t->args));
	s = tn_sysent(t->arch, t->nr);
	t->rec = tn_trace_filter_has(T->f, t->arch, t->nr);
	if (t->rec && s->paths)
		read_paths(t, s);
	else
		t->has_path[0] = t->has_path[1] = false;
}

/* What descriptor fd of t's process refers to: /proc/TID/fd/FD, read once
 * and kept until a call may change it.  NULL when unknown. */
static const char *fd_path(struct thread *t, int64_t fd)
{
	struct proc *p = t->proc;
	char link[64], buf[TN_EV_STR_MAX + 1];
	ssize_t n;

	if (!p || fd < 0 || (uint64_t)fd >= FD_CACHE_MAX)
		return NULL;
	if ((uint64_t)fd < p->nfdp && p->fdp[fd])
		return p->fdp[fd];
	if ((uint64_t)fd >= p->nfdp) {
		uint32_t n2 = p->nfdp ? p->nfdp : 16;
		char **np;
		while (n2 <= (uint64_t)fd)
			n2 *= 2;
		np = realloc(p->fdp, n2 * sizeof(*np));
		if (!np)
			return NULL;
		memset(np + p->nfdp, 0, (n2 - p->nfdp) * sizeof(*np));
		p->fdp = np;
		p->nfdp = n2;
	}
	snprintf(link, sizeof(link), "/proc/%d/fd/%d", (int)t->tid, (int)fd);
	n = readlink(link, buf, TN_EV_STR_MAX);
	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	p->fdp[fd] = strdup(buf);
	return p->fdp[fd];
}

/* After a call ended: forget what it may have changed. */
static void fd_update(struct thread *t, const struct tn_sysent *s, int64_t ret, bool done)
{
	struct proc *p = t->proc;
	bool wide = t->arch != TN_ARCH_X86;
	int64_t a0 = wide ? (int64_t)(int32_t)t->args[0] : (int32_t)t->args[0];
	int64_t a1 = wide ? (int64_t)(int32_t)t->args[1] : (int32_t)t->args[1];

	if (!p)
		return;
	switch (s->fd) {
	case TN_FD_NEW:
		if (!done)
			fd_forget_all(p);
		else if (ret >= 0)
			fd_forget(p, ret);
		break;
	case TN_FD_CLOSE:
		fd_forget(p, a0);
		break;
	case TN_FD_TO1:
		fd_forget(p, a1);
		break;
	case TN_FD_MANY:
		fd_forget_all(p);
		break;
	case TN_FD_ARG0:
		/* fcntl(F_DUPFD, F_DUPFD_CLOEXEC) returns a new descriptor */
		if (done && ret >= 0 && (a1 == 0 || a1 == 1030) && s->name &&
		    !strncmp(s->name, "fcntl", 5))
			fd_forget(p, ret);
		break;
	default:
		break;
	}
}

static void on_exit_stop(struct tracer *T, struct thread *t, int64_t ret, bool ret_known,
			 uint64_t now)
{
	const struct tn_sysent *s = tn_sysent(t->arch, t->nr);

	t->in_syscall = false;
	if (s->mem)
		account_mem(t, s, ret);
	t->fdpath = NULL;
	if (T->fd_annot && t->rec && !t->no_args &&
	    (s->fd == TN_FD_ARG0 || s->fd == TN_FD_CLOSE || s->fd == TN_FD_TO1))
		t->fdpath = fd_path(t, t->arch != TN_ARCH_X86 ? (int64_t)(int32_t)t->args[0]
						  : (int32_t)t->args[0]);
	if (t->rec)
		emit_syscall(T, t, true, ret, now);
	t->fdpath = NULL;
	if (s->fd)
		fd_update(t, s, ret, ret_known);
	t->rec = false;
	t->have_entry = false;
	t->exec_seen = false;
	t->no_args = false;
	t->last_arch = t->arch;
}

#if defined(__x86_64__)
/*
 * The call t is in, from its registers (one PTRACE_GETREGS): number,
 * architecture, arguments and, at the exit, the return value.  A `syscall`
 * instruction leaves rcx equal to rip; when it does not (int $0x80,
 * sigreturn, an exec), the kernel is asked for the architecture.
 */
static bool regs_call(struct thread *t, int64_t *ret)
{
	struct user_regs_struct r;
	enum tn_arch a;

	if (ptrace(PTRACE_GETREGS, t->tid, 0L, &r) < 0)
		return false;
	if (t->exec_seen) {
		a = t->last_arch;
	} else if (r.cs == 0x23) {
		a = TN_ARCH_X86;
	} else if (r.rcx == r.rip) {
		a = (r.orig_rax & 0x40000000u) ? TN_ARCH_X32 : TN_ARCH_X86_64;
	} else {
		struct __ptrace_syscall_info si;
		if (!get_info(t->tid, &si))
			return false;
		a = tn_arch_from_audit(si.arch, r.orig_rax);
	}
	t->arch = a;
	t->nr = (uint32_t)r.orig_rax;
	if ((int64_t)r.orig_rax == -1) {
		/* Only sigreturn sets orig_rax to -1 (no restart). */
		static int nr[TN_ARCH_COUNT];
		if (a < 0 || a >= TN_ARCH_COUNT)
			return false;
		if (!nr[a])
			nr[a] = tn_sys_lookup(a, "rt_sigreturn") + 1;
		if (nr[a] <= 0)
			return false;
		t->nr = (uint32_t)(nr[a] - 1);
	}
	if (a == TN_ARCH_X86) {
		uint64_t v[6] = { r.rbx, r.rcx, r.rdx, r.rsi, r.rdi, r.rbp };
		for (int i = 0; i < 6; i++)
			t->args[i] = (uint32_t)v[i];
		*ret = (int32_t)(uint32_t)r.rax;
	} else {
		uint64_t v[6] = { r.rdi, r.rsi, r.rdx, r.r10, r.r8, r.r9 };
		memcpy(t->args, v, sizeof(v));
		*ret = (int64_t)r.rax;
	}
	t->no_args = t->exec_seen;
	return true;
}
#else
static bool regs_call(struct thread *t, int64_t *ret)
{
	(void)t;
	(void)ret;
	return false;
}
#endif

/* At an event stop inside a call whose entry was not read: read it now. */
static void late_entry(struct tracer *T, struct thread *t)
{
	int64_t ret;
	const struct tn_sysent *s;

	if (!t->in_syscall || t->have_entry || !regs_call(t, &ret))
		return;
	t->have_entry = true;
	t->has_path[0] = t->has_path[0] && t->no_args;   /* kept from the exec */
	t->has_path[1] = false;
	s = tn_sysent(t->arch, t->nr);
	t->rec = tn_trace_filter_has(T->f, t->arch, t->nr);
	if (t->rec && s->paths && !t->no_args)
		read_paths(t, s);
}

/*
 * A syscall stop.  On x86_64 the usual case costs one ptrace call per
 * syscall: nothing at the entry (a timestamp), PTRACE_GETREGS at the exit.
 * Where the state is uncertain (a new or attached thread) the kernel says
 * whether it is an entry or an exit (PTRACE_GET_SYSCALL_INFO), and a call
 * whose entry was read that way ends the same way.
 */
static void syscall_stop(struct tracer *T, struct thread *t)
{
	struct __ptrace_syscall_info si;
	uint64_t now = tn_ev_now();
	int64_t ret;

	if (!t->sync && !t->in_syscall && t->last_arch != TN_ARCH_X86_64) {
		/* a 32-bit process: its sigreturn could not be told from its
		 * registers, so the kernel is asked at every entry */
		if (get_info(t->tid, &si) && si.op == PTRACE_SYSCALL_INFO_ENTRY)
			on_entry(T, t, &si, now);
		else
			t->sync = true;
		return;
	}
	if (!t->sync && !t->in_syscall) {
#if defined(__x86_64__)
		t->in_syscall = true;
		t->have_entry = false;
		t->ts = now;
#else
		if (get_info(t->tid, &si) && si.op == PTRACE_SYSCALL_INFO_ENTRY)
			on_entry(T, t, &si, now);
		else
			t->sync = true;
#endif
		return;
	}
	if (!t->sync && !t->have_entry) {
		const struct tn_sysent *s;

		if (!regs_call(t, &ret)) {
			t->in_syscall = false;
			return;
		}
		s = tn_sysent(t->arch, t->nr);
		t->rec = tn_trace_filter_has(T->f, t->arch, t->nr);
		t->has_path[0] = t->has_path[0] && t->no_args;   /* kept from the exec */
		t->has_path[1] = false;
		if (t->rec && s->paths && !t->no_args)
			read_paths(t, s);
		on_exit_stop(T, t, ret, true, now);
		return;
	}
	if (!t->sync && !t->rec && !tn_sysent(t->arch, t->nr)->mem) {
		/* The exit of a call nobody records: nothing to read. */
		on_exit_stop(T, t, 0, false, now);
		return;
	}
	t->sync = false;
	if (!get_info(t->tid, &si))
		return;
	if (si.op == PTRACE_SYSCALL_INFO_ENTRY)
		on_entry(T, t, &si, now);
	else if (si.op == PTRACE_SYSCALL_INFO_EXIT && t->in_syscall && t->have_entry)
		on_exit_stop(T, t, si.exit.rval, true, now);
	else
		t->in_syscall = false;
}

static void seccomp_stop(struct tracer *T, struct thread *t)
{
	struct __ptrace_syscall_info si;
	uint64_t now = tn_ev_now();

#if defined(__x86_64__)
	if (t->last_arch == TN_ARCH_X86_64) {
		/* As a plain entry: the registers are read at the exit. */
		t->in_syscall = true;
		t->have_entry = false;
		t->sync = false;
		t->ts = now;
		return;
	}
#endif
	if (!get_info(t->tid, &si) || si.op != PTRACE_SYSCALL_INFO_SECCOMP)
		return;
	/* Same layout as entry for nr and args. */
	t->in_syscall = true;
	t->have_entry = true;
	t->no_args = false;
	t->sync = false;
	t->ts = now;
	t->arch = tn_arch_from_audit(si.arch, si.seccomp.nr);
	t->nr = (uint32_t)si.seccomp.nr;
	memcpy(t->args, si.seccomp.args, sizeof(t->args));
	t->rec = tn_trace_filter_has(T->f, t->arch, t->nr);
	if (t->rec && tn_sysent(t->arch, t->nr)->paths)
		read_paths(t, tn_sysent(t->arch, t->nr));
	else
		t->has_path[0] = t->has_path[1] = false;
}

/* ------------------------------------------------------ process events */

static pid_t tgid_of(pid_t tid)
{
	char path[64], buf[512];
	int fd;
	ssize_t n;
	const char *p;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	p = strstr(buf, "\nTgid:");
	return p ? (pid_t)atoi(p + 6) : -1;
}

static void new_child(struct tracer *T, struct thread *parent, int event)
{
	unsigned long msg = 0;
	pid_t child;
	struct thread *c;
	const struct tn_sysent *s = NULL;
	const char *via;
	int thread = -1;

	if (ptrace(PTRACE_GETEVENTMSG, parent->tid, 0L, &msg) < 0)
		return;
	child = (pid_t)msg;
	late_entry(T, parent);
	if (parent->in_syscall)
		s = tn_sysent(parent->arch, parent->nr);
	if (s && s->spawn == TN_SPAWN_CLONE) {
		thread = (parent->args[0] & CLONE_THREAD) != 0;
	} else if (s && s->spawn == TN_SPAWN_CLONE3) {
		uint64_t flags;
		if (read_mem(parent->tid, parent->args[0], &flags, sizeof(flags)))
			thread = (flags & CLONE_THREAD) != 0;
	} else if (s && (s->spawn == TN_SPAWN_FORK || s->spawn == TN_SPAWN_VFORK)) {
		thread = 0;
	}
	if (thread < 0) {
		pid_t tg = event == PTRACE_EVENT_CLONE ? tgid_of(child) : child;
		thread = tg > 0 && tg != child;
	}
	if (s && s->spawn)
		via = s->name;
	else
		via = event == PTRACE_EVENT_FORK ? "fork"
		    : event == PTRACE_EVENT_VFORK ? "vfork" : "clone";

	c = find(T, child);
	if (!c) {
		c = add_thread(T, child);
		if (!c)
			return;
		c->state = T_FRESH;
	}
	if (thread) {
		c->proc = parent->proc;
		if (c->proc)
			c->proc->refs++;
	} else {
		c->proc = new_proc(child, parent->proc ? parent->proc->pid : 0, c->start);
		if (c->proc && parent->proc)
			c->proc->brk = parent->proc->brk;
	}
	c->spawned = parent->spawned;
	emit_proc(T, c, via, parent->proc ? parent->proc->pid : parent->tid, parent->tid,
		  thread);
	c->last_arch = parent->last_arch;
	if (c->state == T_PARKED) {
		c->state = T_RUNNING;
		T->nparked--;
		resume(T, c, 0);
	}
}

/* argv and AT_EXECFN of the program t just executed, from its new stack. */
static void emit_exec(struct tracer *T, struct thread *t)
{
	struct tn_jw *w = &T->w;
	struct __ptrace_syscall_info si;
	char *buf = malloc(TN_EV_STR_MAX + 1);
	size_t psz;
	uint64_t argc = 0, sp;
	char path[64];
	int fd;

	rec_begin(T, TN_EV_EXEC, tn_ev_now(), t);
	if (!buf || !get_info(t->tid, &si)) {
		rec_end(T);
		free(buf);
		return;
	}
	psz = si.arch == AUDIT_ARCH_X86_64 || si.arch == AUDIT_ARCH_AARCH64 ? 8 : 4;
	sp = si.stack_pointer;
	/* The file name as passed to execve: AT_EXECFN in the auxiliary vector. */
	snprintf(path, sizeof(path), "/proc/%d/auxv", (int)t->tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		unsigned char av[4096];
		ssize_t n = read(fd, av, sizeof(av));
		close(fd);
		for (ssize_t off = 0; n > 0 && off + 2 * (ssize_t)psz <= n; off += 2 * (ssize_t)psz) {
			uint64_t key = 0, val = 0;
			memcpy(&key, av + off, psz);
			memcpy(&val, av + off + psz, psz);
			if (key == 31 /* AT_EXECFN */) {
				if (read_str(t->tid, val, buf, TN_EV_STR_MAX) >= 0) {
					tn_jw_kstr(w, "path", buf);
					/* the execve record's path, its registers being gone */
					if (t->exec_seen &&
					    (t->path[0] || (t->path[0] = malloc(TN_EV_STR_MAX + 1)))) {
						strcpy(t->path[0], buf);
						t->has_path[0] = true;
					}
				}
				break;
			}
			if (key == 0)
				break;
		}
	}
	tn_jw_key(w, "argv");
	tn_jw_arr_begin(w);
	if (read_mem(t->tid, sp, &argc, psz)) {
		if (psz == 4)
			argc &= 0xffffffffu;
		for (uint64_t i = 0; i < argc && i < 65536; i++) {
			uint64_t p = 0;
			if (!read_mem(t->tid, sp + psz * (i + 1), &p, psz))
				break;
			if (read_str(t->tid, p, buf, TN_EV_STR_MAX) < 0)
				break;
			/* Keep the line within the limit of tn-events(5). */
			if (w->len + strlen(buf) * 6 + 64 > TN_EV_LINE_MAX)
				break;
			tn_jw_str(w, buf);
		}
	}
	tn_jw_arr_end(w);
	rec_end(T);
	free(buf);
}

static void exec_event(struct tracer *T, struct thread *t)
{
	unsigned long former = 0;
	pid_t t_tid = t->tid;

	if (ptrace(PTRACE_GETEVENTMSG, t->tid, 0L, &former) == 0 &&
	    (pid_t)former != t->tid) {
		/* A non-leader thread executed: it takes the leader's tid. */
		struct thread *th = find(T, (pid_t)former);
		if (th) {
			emit_exit(T, th, true, -1, NULL);
			/* the old leader's slot goes away; th moves into it */
			unlink_thread(T, th);
			del_thread(T, t);
			th->tid = (pid_t)t_tid;
			th->next = T->bucket[(unsigned)th->tid % NBUCKET];
			T->bucket[(unsigned)th->tid % NBUCKET] = th;
			t = th;
		}
	}
	if (t->proc) {
		t->proc->brk = 0;
		fd_forget_all(t->proc);
	}
	t->exec_seen = t->in_syscall && !t->have_entry;
	t->has_path[0] = false;
	emit_exec(T, t);
	resume(T, t, 0);
}

/* ------------------------------------------------------------- deaths */

static void reaped(struct tracer *T, pid_t tid, int status, const struct rusage *ru)
{
	struct thread *t = find(T, tid);
	bool leader;

	if (!t)
		return;
	if (t->exiting)
		T->nexiting--;
	if (t->in_syscall && t->rec && t->have_entry)
		emit_syscall(T, t, false, 0, 0);
	t->in_syscall = false;
	leader = !t->proc || t->proc->pid == tid;
	if (t->state != T_PARKED || t->proc)
		emit_exit(T, t, !leader, status, ru);
	if (tid == T->first_pid && !T->r->have_status) {
		T->r->have_status = true;
		T->r->status = status;
	}
	del_thread(T, t);
}

/* -------------------------------------------------------------- signals */

static volatile sig_atomic_t g_intr;
static volatile sig_atomic_t g_in_wait;
static sigjmp_buf g_jmp;

static void on_signal(int sig)
{
	g_intr = sig;
	if (g_in_wait) {
		g_in_wait = 0;
		siglongjmp(g_jmp, 1);
	}
}

/* wait4 that returns -2 as soon as SIGINT/SIGTERM/SIGHUP came. */
static pid_t wait_stop(int *status, struct rusage *ru)
{
	pid_t p;

	/* The mask is not saved (that would cost a syscall at every stop): the
	 * handler's signal stays blocked after the jump, which is what the
	 * detaching that follows wants. */
	if (sigsetjmp(g_jmp, 0))
		return -2;
	g_in_wait = 1;
	if (g_intr) {
		g_in_wait = 0;
		return -2;
	}
	p = wait4(-1, status, __WALL, ru);
	g_in_wait = 0;
	return p;
}

static bool is_stop_sig(int sig)
{
	return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
}

/* ------------------------------------------------------------ the loop */

static void handle_stop(struct tracer *T, struct thread *t, int status)
{
	int sig = WSTOPSIG(status);
	int event = (unsigned)status >> 16;

	if (t->state == T_FRESH)
		t->state = T_RUNNING;
	if (sig == (SIGTRAP | 0x80)) {
		syscall_stop(T, t);
		resume(T, t, 0);
		return;
	}
	switch (event) {
	case 0: {
		siginfo_t si;
		bool have = ptrace(PTRACE_GETSIGINFO, t->tid, 0L, &si) == 0;

		if (t->swallow_cont && sig == SIGCONT) {
			t->swallow_cont = false;
			resume(T, t, 0);
			return;
		}
		emit_signal(T, t, sig, have ? &si : NULL);
		resume(T, t, sig);
		return;
	}
	case PTRACE_EVENT_STOP:
		if (is_stop_sig(sig)) {
			/* group-stop: stay stopped, but let us see SIGCONT */
			t->listening = true;
			T->r->stops++;
			ptrace(PTRACE_LISTEN, t->tid, 0L, 0L);
		} else {
			t->listening = false;
			resume(T, t, 0);
		}
		return;
	case PTRACE_EVENT_FORK:
	case PTRACE_EVENT_VFORK:
	case PTRACE_EVENT_CLONE:
		new_child(T, t, event);
		resume(T, t, 0);
		return;
	case PTRACE_EVENT_EXEC:
		exec_event(T, t);
		return;
	case PTRACE_EVENT_EXIT:
		if (!t->exiting) {
			/* its end comes next: have wait4 fill in the rusage */
			t->exiting = true;
			T->nexiting++;
		}
		late_entry(T, t);
		if (t->in_syscall && t->rec)
			emit_syscall(T, t, false, 0, 0);
		t->in_syscall = false;
		t->rec = false;
		resume(T, t, 0);
		return;
	case PTRACE_EVENT_SECCOMP:
		seccomp_stop(T, t);
		resume(T, t, 0);
		return;
	default:
		resume(T, t, 0);
		return;
	}
}

/* A thread stopped before its parent's event: link it if the parent is gone. */
static void release_orphans(struct tracer *T)
{
	for (size_t b = 0; b < NBUCKET && T->nparked; b++) {
		for (struct thread *t = T->bucket[b]; t; t = t->next) {
			pid_t tg;
			if (t->state != T_PARKED)
				continue;
			tg = tgid_of(t->tid);
			if (!t->proc)
				t->proc = new_proc(tg > 0 ? tg : t->tid, 0, t->start);
			emit_proc(T, t, "clone", 0, 0, tg > 0 && tg != t->tid);
			t->state = T_RUNNING;
			T->nparked--;
			resume(T, t, 0);
		}
	}
}

/*
 * Detach t if it is in a ptrace-stop now (parked, or its stop was taken by
 * the wait that SIGINT jumped out of): ptrace requests fail with ESRCH on a
 * tracee that runs.  A signal it was stopped to receive goes with it.
 */
static bool try_detach(pid_t tid)
{
	siginfo_t si;
	long sig = 0;

	if (ptrace(PTRACE_GETSIGINFO, tid, 0L, &si) < 0)
		return false;
	if (si.si_signo != SIGTRAP && si.si_signo != (SIGTRAP | 0x80) &&
	    !is_stop_sig(si.si_signo) && si.si_signo > 0)
		sig = si.si_signo;
	return ptrace(PTRACE_DETACH, tid, 0L, sig) == 0;
}

/* Detach from every tracee, leaving it running (or in its group-stop). */
static void detach_all(struct tracer *T)
{
	size_t pending = 0;
	int status;

	for (size_t b = 0; b < NBUCKET; b++) {
		for (struct thread *t = T->bucket[b]; t; t = t->next) {
			if (T->seccomp && t->spawned) {
				/* Its filter would make traced calls fail without us. */
				kill(t->tid, SIGKILL);
				continue;
			}
			if (try_detach(t->tid))
				continue;
			t->detaching = true;
			if (ptrace(PTRACE_INTERRUPT, t->tid, 0L, 0L) == 0)
				pending++;
		}
	}
	while (pending > 0) {
		pid_t p = wait4(-1, &status, __WALL, NULL);
		struct thread *t;

		if (p < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		t = find(T, p);
		if (!t || !t->detaching)
			continue;
		if (WIFSTOPPED(status)) {
			int sig = WSTOPSIG(status);
			int event = (unsigned)status >> 16;
			/* A signal about to be delivered goes with the detach. */
			int pass = event == 0 && sig != (SIGTRAP | 0x80) ? sig : 0;
			if (ptrace(PTRACE_DETACH, p, 0L, (long)pass) < 0 && errno != ESRCH)
				continue;
		}
		t->detaching = false;
		pending--;
	}
}

static void free_all(struct tracer *T)
{
	for (size_t b = 0; b < NBUCKET; b++) {
		while (T->bucket[b]) {
			struct thread *t = T->bucket[b];
			del_thread(T, t);
		}
	}
}

static void trace_loop(struct tracer *T)
{
	struct rusage ru;
	int status;

	while (T->nthreads > 0) {
		pid_t p;
		struct thread *t;
		bool with_ru;

		if (tn_trace_ring_error(T->out))
			break;
		if (T->nparked && T->nparked == T->nthreads)
			release_orphans(T);
		/* The resource usage costs the kernel work at every stop: ask for
		 * it only while a thread is on its way out. */
		with_ru = T->nexiting > 0;
		p = wait_stop(&status, with_ru ? &ru : NULL);
		if (p == -2)
			break;
		if (p < 0) {
			if (errno == EINTR)
				continue;
			break;          /* ECHILD: nobody left */
		}
		if (WIFEXITED(status) || WIFSIGNALED(status)) {
			reaped(T, p, status, with_ru ? &ru : NULL);
			continue;
		}
		if (!WIFSTOPPED(status))
			continue;
		t = find(T, p);
		if (!t) {
			/* A new tracee whose first stop beat its parent's event. */
			t = add_thread(T, p);
			if (!t)
				continue;
			t->state = T_PARKED;
			T->nparked++;
			continue;
		}
		if (t->state == T_PARKED)
			continue;
		handle_stop(T, t, status);
	}
}

/* ----------------------------------------------------------- starting */

/* The interpreter of a "#!" line (the kernel reads BINPRM_BUF_SIZE bytes):
 * it must exist and be a program we may run. */
static int check_interp(const char *cmd, char *line, size_t n, struct tn_error *e)
{
	struct stat st;
	char *interp, *end;

	line[n] = '\0';
	interp = line + 2 + strspn(line + 2, " \t");
	end = interp + strcspn(interp, " \t\n");
	*end = '\0';
	if (!*interp)
		return tn_error_set(e, -ENOEXEC, "%s: Exec format error (no interpreter after #!)", cmd);
	if (stat(interp, &st) < 0)
		return tn_error_set(e, -errno, "%s: bad interpreter %s: %s", cmd, interp,
				    strerror(errno));
	if (!S_ISREG(st.st_mode) || access(interp, X_OK) < 0)
		return tn_error_set(e, -EACCES, "%s: bad interpreter %s: Permission denied",
				    cmd, interp);
	return 0;
}

/*
 * What the kernel checks before it runs path, checked before forking so
 * that a command it would refuse is one line and exit 2, not a silent 127:
 * a whole ELF header of an executable or a shared object (PIE), or a "#!"
 * line whose interpreter can be run.  (What only execve can tell, such as
 * bad program headers, is reported after it failed: exec_error.)
 */
static int check_format(const char *cmd, const char *path, struct tn_error *e)
{
	char head[256 + 1] = {0};   /* BINPRM_BUF_SIZE, and a NUL */
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;
	size_t need;
	unsigned type;

	if (fd < 0)
		return tn_error_set(e, -errno, "%s: %s", cmd, strerror(errno));
	n = read(fd, head, sizeof(head) - 1);
	close(fd);
	if (n >= 2 && !memcmp(head, "#!", 2))
		return check_interp(cmd, head, (size_t)n, e);
	if (n < SELFMAG || memcmp(head, ELFMAG, SELFMAG) != 0)
		return tn_error_set(e, -ENOEXEC, "%s: Exec format error", cmd);
	need = n > EI_CLASS && head[EI_CLASS] == ELFCLASS32 ? sizeof(Elf32_Ehdr) : sizeof(Elf64_Ehdr);
	if ((size_t)n < need || (head[EI_CLASS] != ELFCLASS32 && head[EI_CLASS] != ELFCLASS64))
		return tn_error_set(e, -ENOEXEC, "%s: Exec format error (truncated ELF header)", cmd);
	/* e_type: the same offset in both classes, in the file's byte order */
	type = head[EI_DATA] == ELFDATA2MSB ?
	       (unsigned)(unsigned char)head[16] << 8 | (unsigned char)head[17] :
	       (unsigned)(unsigned char)head[17] << 8 | (unsigned char)head[16];
	if (type != ET_EXEC && type != ET_DYN)
		return tn_error_set(e, -ENOEXEC, "%s: Exec format error (ELF type %u is not a program)",
				    cmd, type);
	return 0;
}

int tn_trace_find_exe(const char *cmd, char *buf, size_t size, struct tn_error *e)
{
	const char *path = getenv("PATH");
	struct stat st;
	int last = -ENOENT;

	if (!cmd || !*cmd)
		return tn_error_set(e, -ENOENT, "empty command name");
	if (strchr(cmd, '/')) {
		if ((size_t)snprintf(buf, size, "%s", cmd) >= size)
			return tn_error_set(e, -ENAMETOOLONG, "%s: name too long", cmd);
		goto check;
	}
	if (!path)
		path = "/usr/local/bin:/usr/bin:/bin";
	for (const char *p = path;; p++) {
		const char *end = strchr(p, ':');
		size_t n = end ? (size_t)(end - p) : strlen(p);

		if ((size_t)snprintf(buf, size, "%.*s%s%s", (int)n, p, n ? "/" : "", cmd) < size &&
		    stat(buf, &st) == 0 && S_ISREG(st.st_mode)) {
			if (access(buf, X_OK) == 0)
				goto check;
			last = -EACCES;
		}
		if (!end)
			break;
		p = end;
	}
	if (last == -EACCES)
		return tn_error_set(e, -EACCES, "%s: Permission denied", cmd);
	return tn_error_set(e, -ENOENT, "%s: command not found", cmd);
check:
	if (stat(buf, &st) < 0)
		return tn_error_set(e, -errno, "%s: %s", cmd, strerror(errno));
	if (S_ISDIR(st.st_mode))
		return tn_error_set(e, -EISDIR, "%s: Is a directory", cmd);
	if (!S_ISREG(st.st_mode) || access(buf, X_OK) < 0)
		return tn_error_set(e, -EACCES, "%s: Permission denied", cmd);
	return check_format(cmd, buf, e);
}

static scmp_filter_ctx build_seccomp(struct tracer *T, struct tn_error *e)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	enum tn_arch native = tn_arch_native();

	if (!ctx) {
		tn_error_set(e, -ENOMEM, "seccomp_init failed");
		return NULL;
	}
	seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_ALLOW);
	for (int a = 0; a < TN_ARCH_COUNT; a++) {
		if (a == native || !tn_arch_supported((enum tn_arch)a))
			continue;
		seccomp_arch_add(ctx, tn_arch_scmp((enum tn_arch)a));
	}
	for (int a = 0; a < TN_ARCH_COUNT; a++) {
		if (!tn_arch_supported((enum tn_arch)a))
			continue;
		for (uint32_t i = 0; i < TN_NR_MAX; i++) {
			uint32_t nr = a == TN_ARCH_X32 ? (i | 0x40000000u) : i;
			const struct tn_sysent *s = tn_sysent((enum tn_arch)a, nr);
			int rc;

			if (!s->name || !tn_trace_filter_has(T->f, (enum tn_arch)a, nr))
				continue;
			/* By name: libseccomp places it on every architecture of the
			 * filter that has it (negative numbers for non-native ones). */
			rc = seccomp_syscall_resolve_name(s->name);
			if (rc == __NR_SCMP_ERROR && a == (int)native)
				rc = (int)nr;   /* newer than libseccomp: the native number */
			if (rc != __NR_SCMP_ERROR)
				seccomp_rule_add(ctx, SCMP_ACT_TRACE(0), rc, 0);
		}
	}
	return ctx;
}

static int spawn(struct tracer *T, scmp_filter_ctx ctx, struct tn_error *e)
{
	const struct tn_trace_opts *o = T->o;
	int status;
	pid_t pid;
	struct thread *t;

	/* Where the child leaves the errno of an execve that failed, with no
	 * syscall that would show in its records (strace uses a pipe). */
	T->exec_err = mmap(NULL, sizeof(*T->exec_err), PROT_READ | PROT_WRITE,
			   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (T->exec_err == MAP_FAILED) {
		T->exec_err = NULL;
		return tn_error_set(e, -errno, "mmap: %s", strerror(errno));
	}
	pid = fork();
	if (pid < 0)
		return tn_error_set(e, -errno, "fork: %s", strerror(errno));
	if (pid == 0) {
		int rc;

		if (o->cmd_stdout_fd >= 0 && o->cmd_stdout_fd != 1)
			dup2(o->cmd_stdout_fd, 1);
		syscall(SYS_kill, getpid(), SIGSTOP);
		if (ctx) {
			if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
				*T->exec_err = errno;
				_exit(127);
			}
			rc = seccomp_load(ctx);
			if (rc < 0) {
				*T->exec_err = -rc;
				_exit(127);
			}
		}
		execve(o->exe, o->argv, environ);
		*T->exec_err = errno;
		_exit(127);
	}
	if (waitpid(pid, &status, WSTOPPED) < 0 || !WIFSTOPPED(status)) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		return tn_error_set(e, -ECHILD, "the command did not start");
	}
	if (ptrace(PTRACE_SEIZE, pid, 0L, (long)T->ptrace_opts) < 0) {
		int err = errno;
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		return tn_error_set(e, -err, "ptrace: %s", strerror(err));
	}
	t = add_thread(T, pid);
	if (!t) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		return tn_error_set(e, -ENOMEM, "out of memory");
	}
	t->proc = new_proc(pid, getpid(), t->start);
	t->swallow_cont = true;
	t->spawned = true;
	T->first_pid = pid;
	kill(pid, SIGCONT);
	return 0;
}

/* Seize every thread of pid (threads created meanwhile too) and interrupt it. */
static int attach(struct tracer *T, pid_t pid, struct tn_error *e)
{
	char path[64];
	bool again = true;
	struct proc *proc = NULL;

	/* Named twice (-p X,X), or a thread of a process attached already. */
	if (find(T, pid))
		return 0;
	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	while (again) {
		int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		char dbuf[8192];
		long n;

		again = false;
		if (fd < 0)
			break;
		while ((n = syscall(SYS_getdents64, fd, dbuf, sizeof(dbuf))) > 0) {
			for (long off = 0; off < n;) {
				const char *name = dbuf + off + 19;   /* d_ino, d_off, d_reclen, d_type */
				unsigned short reclen;
				pid_t tid;
				struct thread *t;

				memcpy(&reclen, dbuf + off + 16, sizeof(reclen));
				off += reclen;
				tid = (pid_t)atoi(name);
				if (tid <= 0 || find(T, tid))
					continue;
				if (ptrace(PTRACE_SEIZE, tid, 0L, (long)T->ptrace_opts) < 0) {
					int err = errno;
					if (err == ESRCH || proc)
						continue;
					close(fd);
					return tn_error_set(e, -err, "attach to %d: %s", (int)pid,
							    strerror(err));
				}
				ptrace(PTRACE_INTERRUPT, tid, 0L, 0L);
				t = add_thread(T, tid);
				if (!t)
					continue;
				if (!proc) {
					proc = new_proc(pid, 0, t->start);
					t->proc = proc;
				} else {
					t->proc = proc;
					proc->refs++;
				}
				again = true;
			}
		}
		close(fd);
	}
	if (!proc)
		return tn_error_set(e, -ESRCH, "attach to %d: No such process", (int)pid);
	return 0;
}

static void write_header(struct tracer *T)
{
	const struct tn_trace_opts *o = T->o;
	struct tn_ev_header h = { .producer = "tn-trace", .argv = o->argv, .argc = o->argc,
				  .start_ts = T->start };
	char *cmdline[64];
	char buf[4096];
	int n = 0;

	if (!o->argv && o->npids > 0) {
		/* Attached: the first process's command line, from /proc. */
		char path[64];
		int fd;
		ssize_t len = 0;

		snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)o->pids[0]);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd >= 0) {
			len = read(fd, buf, sizeof(buf) - 1);
			close(fd);
		}
		if (len > 0) {
			buf[len] = '\0';
			for (ssize_t i = 0; i < len && n < 64; i += (ssize_t)strlen(buf + i) + 1)
				cmdline[n++] = buf + i;
		}
		h.argv = cmdline;
		h.argc = n;
	}
	if (tn_ev_header_build(&T->w, &h) == 0) {
		out_record(T->out, &T->w);
	} else {
		tn_jw_reset(&T->w);
	}
}

int tn_trace_run(const struct tn_trace_opts *o, struct tn_trace_result *r,
		 struct tn_error *e)
{
	struct tracer *T = calloc(1, sizeof(*T));
	scmp_filter_ctx ctx = NULL;
	struct sigaction sa, old[4];
	static const int sigs[4] = {SIGINT, SIGTERM, SIGHUP, SIGPIPE};
	int rc = 0;

	memset(r, 0, sizeof(*r));
	if (!T)
		return tn_error_set(e, -ENOMEM, "out of memory");
	T->o = o;
	T->r = r;
	T->start = tn_ev_now();
	tn_trace_filter_init(&T->all);
	T->f = o->filter ? o->filter : &T->all;
	T->seccomp = o->seccomp && o->follow && o->argv;
	T->ptrace_opts = PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEEXEC | PTRACE_O_TRACEEXIT;
	if (o->argv)
		T->ptrace_opts |= PTRACE_O_EXITKILL;
	if (o->follow)
		T->ptrace_opts |= PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE;
	if (T->seccomp)
		T->ptrace_opts |= PTRACE_O_TRACESECCOMP;
	T->mem_tracked = true;
	T->fd_annot = !T->seccomp;
	if (T->seccomp) {
		enum tn_arch a = tn_arch_native();
		const char *mem[] = {"mmap", "munmap", "mremap", "brk"};
		for (size_t i = 0; i < 4; i++) {
			int nr = tn_sys_lookup(a, mem[i]);
			if (nr >= 0 && !tn_trace_filter_has(T->f, a, (uint32_t)nr))
				T->mem_tracked = false;
		}
	}
	tn_jw_init(&T->w);
	tn_jw_init(&T->scratch);
	T->rbuf = malloc(RBUF_SIZE);
	if (!T->rbuf) {
		rc = tn_error_set(e, -ENOMEM, "out of memory");
		goto done;
	}
	if (T->seccomp) {
		ctx = build_seccomp(T, e);
		if (!ctx) {
			rc = e->code;
			goto done;
		}
	}
	g_intr = 0;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (int i = 0; i < 4; i++)
		sigaction(sigs[i], &sa, &old[i]);

	if (o->argv) {
		rc = spawn(T, ctx, e);
	} else {
		for (size_t i = 0; i < o->npids && rc == 0; i++)
			rc = attach(T, o->pids[i], e);
		if (o->npids > 0)
			T->first_pid = o->pids[0];
	}
	if (rc == 0)
		rc = tn_trace_ring_open(&T->out, o->out_fd, &g_intr, e);
	if (rc < 0 && o->argv && T->first_pid > 0) {
		kill(T->first_pid, SIGKILL);
		waitpid(T->first_pid, NULL, __WALL);
	} else if (rc < 0 && !o->argv) {
		detach_all(T);
	}
	if (rc == 0) {
		write_header(T);
		for (size_t b = 0; b < NBUCKET; b++) {
			for (struct thread *t = T->bucket[b]; t; t = t->next) {
				bool thread = t->proc && t->proc->pid != t->tid;
				emit_proc(T, t, o->argv ? "spawn" : "attach", 0, 0, thread);
			}
		}
		trace_loop(T);
		/* Detaching writes nothing: it never waits for the output. */
		if (g_intr || tn_trace_ring_error(T->out))
			detach_all(T);
		if (T->exec_err && *T->exec_err)
			r->exec_error = -*T->exec_err;
	}
	/* A signal while the last records go out stops the wait for a reader
	 * that does not read (tn_trace_ring_close()). */
	r->write_error = tn_trace_ring_close(T->out);
	r->interrupted = rc == 0 ? g_intr : 0;
	for (int i = 0; i < 4; i++)
		sigaction(sigs[i], &old[i], NULL);
done:
	if (ctx)
		seccomp_release(ctx);
	if (T->exec_err)
		munmap(T->exec_err, sizeof(*T->exec_err));
	free_all(T);
	tn_jw_finish(&T->w);
	tn_jw_finish(&T->scratch);
	free(T->rbuf);
	for (int a = 0; a < TN_ARCH_COUNT; a++) {
		for (uint32_t i = 0; T->frag[a] && i < TN_NR_MAX; i++)
			free(T->frag[a][i]);
		free(T->frag[a]);
	}
	free(T);
	return rc;
}
