/* Syscall stops, as strace's syscall.c: the entry (or seccomp) stop reads
 * the call, the exit its return value; memory accounting and the paths a
 * call names. */
#include "tracer.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#include "spanring.h"

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

	if (!p || (ret < 0 && ret >= -TN_EV_ERRNO_MAX))
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
			t->has_path[k] = tr_read_str(t->tid, addr, t->path[k], TN_EV_STR_MAX) >= 0;
		k++;
	}
}

/*
 * A call begins (its entry stop, or its seccomp stop): what the kernel
 * says there (architecture, number, arguments) is what the call is.  At
 * the exit the registers no longer say it: a signal return has restored
 * the interrupted ones, an exec has replaced them.
 */
static void on_entry(struct tracer *T, struct thread *t, uint32_t audit_arch, uint64_t nr,
		     const uint64_t args[6], uint64_t now)
{
	const struct tn_sysent *s;

	t->in_syscall = true;
	t->have_entry = true;
	t->ts = now;
	t->arch = tn_arch_from_audit(audit_arch, nr);
	t->nr = nr;
	memcpy(t->args, args, sizeof(t->args));
	s = tn_sysent(t->arch, t->nr);
	t->subname = s->flags & (TN_SYS_SOCKETCALL | TN_SYS_IPC)
		? tn_sys_subcall(s, t->arch == TN_ARCH_X86 ? (uint32_t)args[0] : args[0]) : NULL;
	if (t->subname) {
		/* -e trace= selects it by the name it is recorded under */
		int sub = tn_sys_lookup(t->arch, t->subname);
		t->rec = tn_trace_filter_has(T->f, t->arch, sub >= 0 ? (uint64_t)sub : t->nr);
	} else {
		t->rec = tn_trace_filter_has(T->f, t->arch, t->nr);
	}
	/* libtn's span channel (spanring.h): its one mmap of the ring per
	 * program and its getpid and gettid once per process and thread are no
	 * part of the program's trace (tn-trace(1)). */
	t->hidden = false;
	if (T->spans && t->arch == tn_arch_native() &&
	    (((int64_t)nr == T->nr_mmap && (int32_t)args[4] == T->span_fd &&
	      args[1] == TN_SPANRING_SIZE) ||
	     (((int64_t)nr == T->nr_getpid || (int64_t)nr == T->nr_gettid) &&
	      args[0] == TN_SPANRING_IDCALL))) {
		t->hidden = true;
		t->rec = false;
	}
	if (t->rec && s->paths)
		read_paths(t, s);
	else
		t->has_path[0] = t->has_path[1] = false;
}

static void on_exit_stop(struct tracer *T, struct thread *t, int64_t ret, bool ret_known,
			 uint64_t now)
{
	const struct tn_sysent *s = tn_sysent(t->arch, t->nr);

	t->in_syscall = false;
	if (s->mem && !t->hidden)
		account_mem(t, s, ret);
	t->hidden = false;
	t->fdpath = NULL;
	if (T->fd_annot && t->rec &&
	    (s->fd == TN_FD_ARG0 || s->fd == TN_FD_CLOSE || s->fd == TN_FD_TO1))
		t->fdpath = tr_fd_path(t, t->arch != TN_ARCH_X86 ? (int64_t)(int32_t)t->args[0]
						  : (int32_t)t->args[0]);
	if (t->rec)
		tr_emit_syscall(T, t, true, ret, now);
	t->fdpath = NULL;
	if (s->fd)
		tr_fd_update(t, s, ret, ret_known);
	t->rec = false;
	t->have_entry = false;
}

/*
 * A syscall stop.  An entry costs one ptrace call (PTRACE_GET_SYSCALL_INFO:
 * the kernel says that it is an entry, and which call); the exit of a
 * recorded call one more (on x86_64 only the return value register).  A
 * stop the kernel calls an exit while no entry was read (a thread attached
 * in a call) is passed over.
 */
void tr_syscall_stop(struct tracer *T, struct thread *t)
{
	struct __ptrace_syscall_info si;
	uint64_t now = tn_ev_now();
	int64_t ret;

	if (t->in_syscall && t->have_entry && !t->sync) {
		if (!t->rec && !tn_sysent(t->arch, t->nr)->mem) {
			/* The exit of a call nobody records: nothing to read. */
			on_exit_stop(T, t, 0, false, now);
			return;
		}
		if (tr_regs_ret(t, &ret)) {
			on_exit_stop(T, t, ret, true, now);
			return;
		}
	}
	t->sync = false;
	if (!tr_get_info(t->tid, &si))
		return;
	if (si.op == PTRACE_SYSCALL_INFO_ENTRY)
		on_entry(T, t, si.arch, si.entry.nr, si.entry.args, now);
	else if (si.op == PTRACE_SYSCALL_INFO_EXIT && t->in_syscall && t->have_entry)
		on_exit_stop(T, t, si.exit.rval, true, now);
	else
		t->in_syscall = false;
}

/* A seccomp stop (--seccomp-bpf) stands for the entry of a traced call. */
void tr_seccomp_stop(struct tracer *T, struct thread *t)
{
	struct __ptrace_syscall_info si;

	if (!tr_get_info(t->tid, &si) || si.op != PTRACE_SYSCALL_INFO_SECCOMP)
		return;
	t->sync = false;
	on_entry(T, t, si.arch, si.seccomp.nr, si.seccomp.args, tn_ev_now());
}
