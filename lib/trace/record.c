/* tn-events(5) records: the syscall record formatted in place (its fixed
 * parts made once per number), the others through the JSON writer, all
 * handed whole to the ring. */
#include "tracer.h"

#include <elf.h>
#include <linux/audit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/wait.h>

#include "ring.h"
#include "spanring.h"

/* Hand the record built in w to the writer (whole) and reset w. */
static void out_record(struct tn_trace_ring *o, struct tn_jw *w)
{
	size_t n;
	const char *line = tn_jw_line(w, &n);

	if (!w->oom)
		tn_trace_ring_put(o, line, n);
	tn_jw_reset(w);
}

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

void tr_emit_proc(struct tracer *T, struct thread *t, const char *via,
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

/* The number as the record has it: a 32-bit call's as a signed 32-bit
 * value, any other as a signed 64-bit value (syscall(-1) is -1). */
static int64_t nr_value(enum tn_arch a, uint64_t nr)
{
	return a == TN_ARCH_X86 ? (int32_t)(uint32_t)nr : (int64_t)nr;
}

/*
 * ',"name":"openat","nr":257,"arch":"x86_64"': the same for every call of
 * a number, so made once.  A number without a name is named as strace
 * names it, "syscall_0x3ff"; a socketcall or ipc is named after the call
 * it makes (sub), with its own number.
 */
static const char *sys_fragment(struct tracer *T, enum tn_arch a, uint64_t nr, const char *sub,
				size_t *len)
{
	uint32_t i = tn_sys_index(a, nr);
	char **slot = NULL;
	char buf[160];
	const struct tn_sysent *s = tn_sysent(a, nr);
	int64_t v = nr_value(a, nr);
	int n;

	if (i < TN_NR_MAX && !sub) {
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
	if (sub || s->name)
		n = snprintf(buf, sizeof(buf), ",\"name\":\"%s\",\"nr\":%lld,\"arch\":\"%s\"",
			     sub ? sub : s->name, (long long)v, tn_arch_name(a));
	else
		n = snprintf(buf, sizeof(buf), ",\"name\":\"syscall_0x%llx\",\"nr\":%lld,\"arch\":\"%s\"",
			     (unsigned long long)(a == TN_ARCH_X86 ? (uint32_t)nr : nr),
			     (long long)v, tn_arch_name(a));
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
void tr_emit_syscall(struct tracer *T, struct thread *t, bool done, int64_t ret,
		     uint64_t now)
{
	const struct tn_sysent *s = tn_sysent(t->arch, t->nr);
	bool wide = t->arch != TN_ARCH_X86;
	unsigned status = !done ? TN_STATUS_UNFINISHED
		: (ret < 0 && ret >= -TN_EV_ERRNO_MAX) ? TN_STATUS_FAILED : TN_STATUS_SUCCESSFUL;
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
	frag = sys_fragment(T, t->arch, t->nr, t->subname, &flen);
	memcpy(p, frag, flen);
	p += flen;
	p = LIT(p, ",\"args\":[");
	for (unsigned i = 0; i < s->nargs && i < 6; i++) {
		if (i)
			*p++ = ',';
		p = put_arg(p, t->args[i], wide);
	}
	*p++ = ']';
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

void tr_emit_signal(struct tracer *T, struct thread *t, int sig, const siginfo_t *si)
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
void tr_emit_exit(struct tracer *T, struct thread *t, bool thread, int status,
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

/* argv and AT_EXECFN of the program t just executed, from its new stack. */
void tr_emit_exec(struct tracer *T, struct thread *t)
{
	struct tn_jw *w = &T->w;
	struct __ptrace_syscall_info si;
	char *buf = malloc(TN_EV_STR_MAX + 1);
	size_t psz;
	uint64_t argc = 0, sp, fn;

	rec_begin(T, TN_EV_EXEC, tn_ev_now(), t);
	if (!buf || !tr_get_info(t->tid, &si)) {
		rec_end(T);
		free(buf);
		return;
	}
	psz = si.arch == AUDIT_ARCH_X86_64 || si.arch == AUDIT_ARCH_AARCH64 ? 8 : 4;
	sp = si.stack_pointer;
	/* The file name as passed to execve: AT_EXECFN in the auxiliary vector. */
	if (tr_read_auxv(t->tid, AT_EXECFN, psz, &fn) && tr_read_str(t->tid, fn, buf, TN_EV_STR_MAX) >= 0)
		tn_jw_kstr(w, "path", buf);
	tn_jw_key(w, "argv");
	tn_jw_arr_begin(w);
	if (tr_read_mem(t->tid, sp, &argc, psz)) {
		if (psz == 4)
			argc &= 0xffffffffu;
		for (uint64_t i = 0; i < argc && i < 65536; i++) {
			uint64_t p = 0;
			if (!tr_read_mem(t->tid, sp + psz * (i + 1), &p, psz))
				break;
			if (tr_read_str(t->tid, p, buf, TN_EV_STR_MAX) < 0)
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

void tr_write_header(struct tracer *T)
{
	const struct tn_trace_opts *o = T->o;
	struct tn_ev_header h = { .producer = "tn-trace", .argv = o->argv, .argc = o->argc,
				  .start_ts = T->start };
	char *cmdline[64];
	char buf[4096];

	if (!o->argv && o->npids > 0) {
		/* Attached: the first process's command line, from /proc. */
		h.argv = cmdline;
		h.argc = tr_read_cmdline(o->pids[0], buf, sizeof(buf), cmdline, 64);
	}
	if (tn_ev_header_build(&T->w, &h) == 0) {
		out_record(T->out, &T->w);
	} else {
		tn_jw_reset(&T->w);
	}
}

void tr_emit_span(struct tracer *T, const struct tn_spanring_slot *s)
{
	struct tn_jw *w = &T->w;
	char name[sizeof(s->name) + 1], backend[sizeof(s->backend) + 1];
	char phase[sizeof(s->phase) + 1];

	memcpy(name, s->name, sizeof(s->name));
	name[sizeof(s->name)] = 0;
	memcpy(backend, s->backend, sizeof(s->backend));
	backend[sizeof(s->backend)] = 0;
	memcpy(phase, s->phase, sizeof(s->phase));
	phase[sizeof(s->phase)] = 0;
	/* The fields and their order of libtn's own span records (span.c). */
	tn_jw_obj_begin(w);
	tn_jw_kstr(w, "type", TN_EV_SPAN);
	tn_jw_kuint(w, "ts", s->ts);
	tn_jw_kuint(w, "dur", s->dur);
	tn_jw_kint(w, "pid", s->pid);
	tn_jw_kint(w, "tid", s->tid);
	tn_jw_kstr(w, "name", name);
	tn_jw_kstr(w, "backend", backend);
	tn_jw_kuint(w, "n", s->n);
	tn_jw_kuint(w, "bytes", s->bytes);
	tn_jw_kstr(w, "phase", phase);
	rec_end(T);
}
