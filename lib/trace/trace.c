/* The tracer's life, as strace's strace.c: signals to tn-trace, the stops
 * of its tracees (process events, deaths), the wait loop, detaching,
 * starting a command or attaching, and tn_trace_run(). */
#include "tracer.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ring.h"
#include "spanring.h"

extern char **environ;

/* --------------------------------------------------------- libtn's spans */

void tr_spans_drain(struct tracer *T, bool final)
{
	struct tn_spanring *r = T->spans;
	uint64_t tail, head;

	if (!r)
		return;
	tail = __atomic_load_n(&r->tail, __ATOMIC_RELAXED);
	head = __atomic_load_n(&r->head, __ATOMIC_ACQUIRE);
	while (tail != head) {
		const struct tn_spanring_slot *s = &r->slot[tail & (TN_SPANRING_SLOTS - 1)];

		if (__atomic_load_n(&s->seq, __ATOMIC_ACQUIRE) == tail + 1)
			tr_emit_span(T, s);
		else if (!final)
			break;  /* its writer is still filling it in */
		tail++;
		__atomic_store_n(&r->tail, tail, __ATOMIC_RELEASE);
	}
}

/*
 * The span ring the command's libtn writes to (spanring.h): a memfd that
 * the command inherits as descriptor T->span_fd, named in TN_SPAN_SHM.
 * Returns the descriptor to keep in the child only, or -1 (no ring: the
 * command is traced without its spans).
 */
static int spans_open(struct tracer *T)
{
	struct rlimit rl;
	int fd, keep;
	void *p;

	/* Sizing the file past a file-size limit would raise SIGXFSZ: then no
	 * spans (the records are what the limit is for). */
	if (getrlimit(RLIMIT_FSIZE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
	    rl.rlim_cur < TN_SPANRING_SIZE)
		return -1;
	fd = memfd_create("tn-spans", MFD_CLOEXEC);
	if (fd < 0)
		return -1;
	if (ftruncate(fd, (off_t)TN_SPANRING_SIZE) < 0) {
		close(fd);
		return -1;
	}
	p = mmap(NULL, TN_SPANRING_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		close(fd);
		return -1;
	}
	/* Out of the way of the descriptors the command opens itself. */
	keep = fcntl(fd, F_DUPFD_CLOEXEC, 100);
	close(fd);
	if (keep < 0) {
		munmap(p, TN_SPANRING_SIZE);
		return -1;
	}
	T->spans = p;
	T->spans->magic = TN_SPANRING_MAGIC;
	T->span_fd = keep;
	return keep;
}

/* --------------------------------------------------------------- resuming */

static void resume(struct tracer *T, struct thread *t, int sig)
{
	int req = (!T->seccomp || t->in_syscall) ? PTRACE_SYSCALL : PTRACE_CONT;

	T->r->stops++;
	ptrace(req, t->tid, 0L, (long)sig);
}

/* ---------------------------------------------------- signals to tn-trace */

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

/* --------------------------------------------------------- process events */

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
	if (parent->in_syscall)
		s = tn_sysent(parent->arch, parent->nr);
	if (s && s->spawn == TN_SPAWN_CLONE) {
		thread = (parent->args[0] & CLONE_THREAD) != 0;
	} else if (s && s->spawn == TN_SPAWN_CLONE3) {
		uint64_t flags;
		if (tr_read_mem(parent->tid, parent->args[0], &flags, sizeof(flags)))
			thread = (flags & CLONE_THREAD) != 0;
	} else if (s && (s->spawn == TN_SPAWN_FORK || s->spawn == TN_SPAWN_VFORK)) {
		thread = 0;
	}
	if (thread < 0) {
		pid_t tg = event == PTRACE_EVENT_CLONE ? tr_tgid_of(child) : child;
		thread = tg > 0 && tg != child;
	}
	if (s && s->spawn)
		via = s->name;
	else
		via = event == PTRACE_EVENT_FORK ? "fork"
		    : event == PTRACE_EVENT_VFORK ? "vfork" : "clone";

	c = tr_find(T, child);
	if (!c) {
		c = tr_add_thread(T, child);
		if (!c)
			return;
		c->state = T_FRESH;
	}
	if (thread) {
		c->proc = parent->proc;
		if (c->proc)
			c->proc->refs++;
	} else {
		c->proc = tr_new_proc(child, parent->proc ? parent->proc->pid : 0, c->start);
		if (c->proc && parent->proc)
			c->proc->brk = parent->proc->brk;
	}
	c->spawned = parent->spawned;
	tr_emit_proc(T, c, via, parent->proc ? parent->proc->pid : parent->tid, parent->tid,
		  thread);
	if (c->state == T_PARKED) {
		c->state = T_RUNNING;
		T->nparked--;
		resume(T, c, 0);
	}
}

static void exec_event(struct tracer *T, struct thread *t)
{
	unsigned long former = 0;
	pid_t t_tid = t->tid;

	if (ptrace(PTRACE_GETEVENTMSG, t->tid, 0L, &former) == 0 &&
	    (pid_t)former != t->tid) {
		/* A non-leader thread executed: it takes the leader's tid. */
		struct thread *th = tr_find(T, (pid_t)former);
		if (th) {
			tr_emit_exit(T, th, true, -1, NULL);
			/* the old leader's slot goes away; th moves into it */
			tr_del_thread(T, t);
			tr_relink_thread(T, th, t_tid);
			t = th;
		}
	}
	if (t->proc) {
		t->proc->brk = 0;
		tr_fd_forget_all(t->proc);
	}
	tr_emit_exec(T, t);
	resume(T, t, 0);
}

/* ----------------------------------------------------------------- deaths */

static void reaped(struct tracer *T, pid_t tid, int status, const struct rusage *ru)
{
	struct thread *t = tr_find(T, tid);
	bool leader;

	if (!t)
		return;
	tr_spans_drain(T, false);
	if (t->exiting)
		T->nexiting--;
	if (t->in_syscall && t->rec && t->have_entry)
		tr_emit_syscall(T, t, false, 0, 0);
	t->in_syscall = false;
	leader = !t->proc || t->proc->pid == tid;
	if (t->state != T_PARKED || t->proc)
		tr_emit_exit(T, t, !leader, status, ru);
	if (tid == T->first_pid && !T->r->have_status) {
		T->r->have_status = true;
		T->r->status = status;
	}
	tr_del_thread(T, t);
}

/* --------------------------------------------------------------- the loop */

static void handle_stop(struct tracer *T, struct thread *t, int status)
{
	int sig = WSTOPSIG(status);
	int event = (unsigned)status >> 16;

	if (t->state == T_FRESH)
		t->state = T_RUNNING;
	/* The spans finished before this stop come before its records. */
	tr_spans_drain(T, false);
	if (sig == (SIGTRAP | 0x80)) {
		tr_syscall_stop(T, t);
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
		tr_emit_signal(T, t, sig, have ? &si : NULL);
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
		if (t->in_syscall && t->rec)
			tr_emit_syscall(T, t, false, 0, 0);
		t->in_syscall = false;
		t->rec = false;
		resume(T, t, 0);
		return;
	case PTRACE_EVENT_SECCOMP:
		tr_seccomp_stop(T, t);
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
			tg = tr_tgid_of(t->tid);
			if (!t->proc)
				t->proc = tr_new_proc(tg > 0 ? tg : t->tid, 0, t->start);
			tr_emit_proc(T, t, "clone", 0, 0, tg > 0 && tg != t->tid);
			t->state = T_RUNNING;
			T->nparked--;
			resume(T, t, 0);
		}
	}
}

/* -------------------------------------------------------------- detaching */

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
		t = tr_find(T, p);
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

static void on_alarm(int sig)
{
	(void)sig;      /* only to cut wait4 short: the spans are drained */
}

/*
 * A program that computes without making syscalls stops nowhere: with the
 * span ring on, wait4 is cut short every 5 ms (SIGALRM, no SA_RESTART)
 * to drain it before it fills.  on: arm, else disarm and give back.
 */
static void spans_timer(struct tracer *T, bool on, struct sigaction *old)
{
	struct itimerval it = {{0, 5000}, {0, 5000}};
	struct sigaction sa;

	if (!T->spans)
		return;
	if (on) {
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_alarm;
		sigemptyset(&sa.sa_mask);
		sigaction(SIGALRM, &sa, old);
		setitimer(ITIMER_REAL, &it, NULL);
	} else {
		memset(&it, 0, sizeof(it));
		setitimer(ITIMER_REAL, &it, NULL);
		sigaction(SIGALRM, old, NULL);
	}
}

static void trace_loop(struct tracer *T)
{
	struct rusage ru;
	int status;
	struct sigaction old_alrm;

	spans_timer(T, true, &old_alrm);

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
			if (errno == EINTR) {
				tr_spans_drain(T, false);
				continue;
			}
			break;          /* ECHILD: nobody left */
		}
		if (WIFEXITED(status) || WIFSIGNALED(status)) {
			reaped(T, p, status, with_ru ? &ru : NULL);
			continue;
		}
		if (!WIFSTOPPED(status))
			continue;
		t = tr_find(T, p);
		if (!t) {
			/* A new tracee whose first stop beat its parent's event. */
			t = tr_add_thread(T, p);
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
	spans_timer(T, false, &old_alrm);
}

/* --------------------------------------------------------------- starting */

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
			uint64_t nr = tn_sys_nr((enum tn_arch)a, i);
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
	int status, span_fd;
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
	span_fd = spans_open(T);
	pid = fork();
	if (pid < 0) {
		if (span_fd >= 0)
			close(span_fd);
		return tn_error_set(e, -errno, "fork: %s", strerror(errno));
	}
	if (pid == 0) {
		int rc;

		if (o->cmd_stdout_fd >= 0 && o->cmd_stdout_fd != 1)
			dup2(o->cmd_stdout_fd, 1);
		if (span_fd >= 0) {
			char num[16];

			/* the command keeps it across execve (no FD_CLOEXEC) */
			fcntl(span_fd, F_SETFD, 0);
			snprintf(num, sizeof(num), "%d", span_fd);
			setenv(TN_SPANRING_ENV, num, 1);
		}
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
	if (span_fd >= 0)
		close(span_fd);
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
	t = tr_add_thread(T, pid);
	if (!t) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		return tn_error_set(e, -ENOMEM, "out of memory");
	}
	t->proc = tr_new_proc(pid, getpid(), t->start);
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
	if (tr_find(T, pid))
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
				if (tid <= 0 || tr_find(T, tid))
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
				t = tr_add_thread(T, tid);
				if (!t)
					continue;
				if (!proc) {
					proc = tr_new_proc(pid, 0, t->start);
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

/* ------------------------------------------- new, start, loop, stop, free */

/* The signals that end tracing (SIGPIPE: the output's reader went away). */
static const int stop_sigs[4] = {SIGINT, SIGTERM, SIGHUP, SIGPIPE};

static void tracer_free(struct tracer *T);

/* A tracer for o, its options settled and its seccomp filter built. */
static int tracer_new(struct tracer **ret, const struct tn_trace_opts *o,
		      struct tn_trace_result *r, struct tn_error *e)
{
	struct tracer *T = calloc(1, sizeof(*T));

	*ret = NULL;
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
	T->span_fd = -1;
	T->nr_mmap = tn_sys_lookup(tn_arch_native(), "mmap");
	T->nr_getpid = tn_sys_lookup(tn_arch_native(), "getpid");
	T->nr_gettid = tn_sys_lookup(tn_arch_native(), "gettid");
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
		tracer_free(T);
		return tn_error_set(e, -ENOMEM, "out of memory");
	}
	if (T->seccomp) {
		T->seccomp_ctx = build_seccomp(T, e);
		if (!T->seccomp_ctx) {
			tracer_free(T);
			return e->code;
		}
	}
	*ret = T;
	return 0;
}

/* Take the stopping signals, start the command or attach, open the output,
 * write the header and a proc record per tracee.  On error nothing is left
 * traced. */
static int tracer_start(struct tracer *T, struct tn_error *e)
{
	const struct tn_trace_opts *o = T->o;
	struct sigaction sa;
	int rc = 0;

	g_intr = 0;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (int i = 0; i < 4; i++)
		sigaction(stop_sigs[i], &sa, &T->old_sa[i]);

	if (o->argv) {
		rc = spawn(T, T->seccomp_ctx, e);
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
	if (rc < 0)
		return rc;
	tr_write_header(T);
	for (size_t b = 0; b < NBUCKET; b++) {
		for (struct thread *t = T->bucket[b]; t; t = t->next) {
			bool thread = t->proc && t->proc->pid != t->tid;
			tr_emit_proc(T, t, o->argv ? "spawn" : "attach", 0, 0, thread);
		}
	}
	return 0;
}

/* After the loop (rc: what tracer_start() returned): detach where tracing
 * was cut short, finish the output, give the signals back. */
static void tracer_stop(struct tracer *T, int rc)
{
	struct tn_trace_result *r = T->r;

	if (rc == 0) {
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
		sigaction(stop_sigs[i], &T->old_sa[i], NULL);
}

static void tracer_free(struct tracer *T)
{
	if (T->seccomp_ctx)
		seccomp_release(T->seccomp_ctx);
	if (T->exec_err)
		munmap(T->exec_err, sizeof(*T->exec_err));
	if (T->spans)
		munmap(T->spans, TN_SPANRING_SIZE);
	tr_free_all(T);
	tn_jw_finish(&T->w);
	tn_jw_finish(&T->scratch);
	free(T->rbuf);
	for (int a = 0; a < TN_ARCH_COUNT; a++) {
		for (uint32_t i = 0; T->frag[a] && i < TN_NR_MAX; i++)
			free(T->frag[a][i]);
		free(T->frag[a]);
	}
	free(T);
}

/* As strace's main(): new, start, loop, stop, free. */
int tn_trace_run(const struct tn_trace_opts *o, struct tn_trace_result *r,
		 struct tn_error *e)
{
	struct tracer *T;
	int rc;

	memset(r, 0, sizeof(*r));
	rc = tracer_new(&T, o, r, e);
	if (rc < 0)
		return rc;
	rc = tracer_start(T, e);
	if (rc == 0) {
		trace_loop(T);
		/* what the tracees wrote, even those killed while writing */
		tr_spans_drain(T, true);
	}
	tracer_stop(T, rc);
	tracer_free(T);
	return rc;
}
