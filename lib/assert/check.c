/* SPDX-License-Identifier: MIT */
/*
 * Checking the budgets against event streams: each record is read once
 * (tn_ev_reader_*) and handed to the assertions it concerns.  Memory is one
 * entry per process (its command, what it has mapped, its brk, what it
 * waited for), one per pipe and process writing to it (the critical path)
 * and one histogram per percentile assertion (hist.h): it does not grow
 * with the number of events.
 */
#include <errno.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "io.h"
#include "summary.h"
#include "systab.h"

#define PAGE 4096u

static bool proc_eq(const void *ent, const void *key)
{
	const struct tn_asr_proc *p = ent;
	const struct tn_asr_proc *k = key;

	return p->run == k->run && p->pid == k->pid;
}

static void *mk_proc(const void *key)
{
	const struct tn_asr_proc *k = key;
	struct tn_asr_proc *p = calloc(1, sizeof(*p) + k->nmatch);

	if (!p)
		return NULL;
	p->run = k->run;
	p->pid = k->pid;
	p->ppid = -1;
	return p;
}

static void free_proc(void *ent)
{
	struct tn_asr_proc *p = ent;

	free(p->comm);
	free(p);
}

/* Which scoped assertions a process's command matches. */
static void proc_match(struct tn_asr *a, struct tn_asr_proc *p)
{
	for (size_t i = 0; i < a->b->n; i++) {
		const char *g = a->b->rule[i].process;

		p->match[i] = !g || (p->comm && fnmatch(g, p->comm, 0) == 0);
	}
}

static struct tn_asr_proc *proc_get(struct tn_asr *a, int64_t pid)
{
	struct tn_asr_proc k = { .run = a->run, .pid = pid, .nmatch = a->b->n }, *p;
	uint64_t h;

	if (a->last && a->last->pid == pid && a->last->run == a->run)
		return a->last;
	h = tn_fnv1a64(TN_FNV1A64_INIT, &k.run, sizeof(k.run));
	h = tn_fnv1a64(h, &k.pid, sizeof(k.pid));
	p = tn_tab_get(&a->procs, h, proc_eq, &k, mk_proc);
	if (p && !p->seen) {
		p->seen = true;
		a->run_procs++;
		proc_match(a, p);
	}
	return a->last = p;
}

static int set_comm(struct tn_asr *a, struct tn_asr_proc *p, const char *s, size_t n)
{
	const char *slash = memrchr(s, '/', n);
	char *c;

	if (slash) {
		n -= (size_t)(slash + 1 - s);
		s = slash + 1;
	}
	if (!(c = strndup(s, n)))
		return -ENOMEM;
	free(p->comm);
	p->comm = c;
	proc_match(a, p);
	return 0;
}

struct tn_asr *tn_asr_new(const struct tn_asr_budget *b)
{
	struct tn_asr *a = calloc(1, sizeof(*a));

	if (!a || !(a->st = calloc(b->n ? b->n : 1, sizeof(*a->st)))) {
		free(a);
		return NULL;
	}
	a->b = b;
	a->last_arch = tn_arch_native();
	for (size_t i = 0; i < b->n; i++)
		tn_hist_init(&a->st[i].hist);
	return a;
}

void tn_asr_free(struct tn_asr *a)
{
	if (!a)
		return;
	for (size_t i = 0; i < a->b->n; i++) {
		tn_hist_fini(&a->st[i].hist);
		free(a->st[i].chain);
	}
	free(a->st);
	tn_tab_free(&a->procs, free_proc);
	tn_tab_free(&a->threads, free);
	tn_tab_free(&a->pipes, free);
	free(a);
}

/* Remember what broke an assertion: the process, the call or span, its value. */
static void blame(struct tn_asr_state *s, const struct tn_asr_proc *p, int64_t tid,
		  const char *what, size_t n, double value, int64_t ts)
{
	s->blamed = true;
	s->pid = p ? p->pid : -1;
	s->tid = tid;
	s->proc = p;
	if (n >= sizeof(s->what))
		n = sizeof(s->what) - 1;
	memcpy(s->what, what, n);
	s->what[n] = 0;
	s->value = value;
	s->ts = ts;
}

/* The n-th integer argument of a syscall record's "args" (found in the raw
 * line: the reader does not split arrays), a number or a string of hex
 * digits ("0x156000": tn-trace writes what looks like an address so). */
static bool arg_n(const struct tn_ev_rec *rec, int idx, int64_t *v)
{
	const char *end = rec->line + rec->len;
	const char *p = memmem(rec->line, rec->len, "\"args\":[", 8);
	int n = 0;

	if (!p)
		return false;
	p += 8;
	while (p < end && *p != ']') {
		if (*p == '"') {
			const char *q = memchr(p + 1, '"', (size_t)(end - p - 1));

			if (!q)
				return false;
			if (n == idx) {
				char *e;
				unsigned long long x = strtoull(p + 1, &e, 16);

				if (q - p < 4 || p[1] != '0' || p[2] != 'x' || e != q)
					return false;
				*v = (int64_t)x;
				return true;
			}
			p = q + 1;
		} else {
			char *q;
			long long x = strtoll(p, &q, 10);

			if (q == p)
				return false;
			if (n == idx) {
				*v = x;
				return true;
			}
			p = q;
		}
		n++;
		if (p < end && *p == ',')
			p++;
	}
	return false;
}

static bool str_is(const char *s, size_t n, const char *lit)
{
	return strlen(lit) == n && !memcmp(s, lit, n);
}

static uint64_t pages(int64_t len)
{
	return len <= 0 ? 0 : ((uint64_t)len + PAGE - 1) / PAGE * PAGE;
}

/* Bytes a successful call mapped (> 0) or unmapped (< 0). */
static int64_t mapping_delta(struct tn_asr_proc *p, const struct tn_ev_rec *rec,
			     const char *name, size_t nlen, int64_t ret)
{
	int64_t a1, a2;

	if ((str_is(name, nlen, "mmap") || str_is(name, nlen, "mmap2")) && arg_n(rec, 1, &a1))
		return (int64_t)pages(a1);
	if (str_is(name, nlen, "munmap") && arg_n(rec, 1, &a1))
		return -(int64_t)pages(a1);
	if (str_is(name, nlen, "mremap") && arg_n(rec, 1, &a1) && arg_n(rec, 2, &a2))
		return (int64_t)pages(a2) - (int64_t)pages(a1);
	if (str_is(name, nlen, "brk")) {
		int64_t d = p->brk_known ? ret - p->brk : 0;

		p->brk = ret;
		p->brk_known = true;
		return d;
	}
	return 0;
}

static bool thread_eq(const void *ent, const void *key)
{
	const struct tn_asr_thread *t = ent;
	const struct tn_asr_thread *k = key;

	return t->run == k->run && t->tid == k->tid;
}

static void *mk_thread(const void *key)
{
	struct tn_asr_thread *t = malloc(sizeof(*t));

	if (t)
		*t = *(const struct tn_asr_thread *)key;
	return t;
}

/*
 * The thread's run of the same syscall, this call included: one more when
 * it is the thread's previous call again (the same architecture and
 * number), 1 otherwise.  Calls that never returned are not in runs.
 */
static struct tn_asr_thread *thread_run(struct tn_asr *a, int64_t tid, enum tn_arch ar, int64_t nr)
{
	struct tn_asr_thread k = { .run = a->run, .tid = tid, .arch = ar, .nr = -2 }, *t;
	uint64_t h;

	if (!(t = a->last_thread) || t->tid != tid || t->run != a->run) {
		h = tn_fnv1a64(TN_FNV1A64_INIT, &k.run, sizeof(k.run));
		h = tn_fnv1a64(h, &k.tid, sizeof(k.tid));
		if (!(t = tn_tab_get(&a->threads, h, thread_eq, &k, mk_thread)))
			return NULL;
		a->last_thread = t;
	}
	if (t->nr == nr && t->arch == ar) {
		t->len++;
	} else {
		t->nr = nr;
		t->arch = ar;
		t->len = 1;
	}
	return t;
}

/* Whether a record of process p (NULL: the record names none) counts for
 * rule i: a record of no process has no command for a "process" glob. */
static bool scoped(const struct tn_asr *a, const struct tn_asr_proc *p, size_t i)
{
	return p ? p->match[i] : !a->b->rule[i].process;
}

static void on_mapping(struct tn_asr *a, struct tn_asr_proc *p, int64_t tid, int64_t delta,
		       const char *name, size_t nlen, int64_t ts)
{
	p->mapped += delta;
	for (size_t i = 0; i < a->b->n; i++) {
		const struct tn_asr_rule *r = &a->b->rule[i];
		struct tn_asr_state *s = &a->st[i];
		int64_t now;

		if (r->type != TN_ASR_MAPPED || !p->match[i])
			continue;
		if (r->per_process) {
			now = p->mapped;
		} else {
			s->run_cur += delta;
			now = s->run_cur;
		}
		if (now > 0 && (double)now > s->measured) {
			s->measured = (double)now;
			blame(s, p, tid, name, nlen, (double)now, ts);
		}
	}
}

/* The critical path's records (tn-assert.yaml(5), critical-path). */

/* Linux's values, the same on every architecture. */
#define CP_P_PID 1
#define CP_WNOHANG 1
#define CP_WEXITED 4

static uint64_t writer_hash(const struct tn_asr_writer *k)
{
	uint64_t h = tn_fnv1a64(TN_FNV1A64_INIT, &k->run, sizeof(k->run));

	h = tn_fnv1a64(h, &k->ino, sizeof(k->ino));
	return tn_fnv1a64(h, &k->pid, sizeof(k->pid));
}

static bool writer_eq(const void *ent, const void *key)
{
	const struct tn_asr_writer *w = ent;
	const struct tn_asr_writer *k = key;

	return w->run == k->run && w->ino == k->ino && w->pid == k->pid;
}

static void *mk_writer(const void *key)
{
	struct tn_asr_writer *w = malloc(sizeof(*w));

	if (w)
		*w = *(const struct tn_asr_writer *)key;
	return w;
}

static struct tn_asr_proc *proc_find(struct tn_asr *a, uint64_t run, int64_t pid)
{
	struct tn_asr_proc k = { .run = run, .pid = pid };
	uint64_t h = tn_fnv1a64(TN_FNV1A64_INIT, &k.run, sizeof(k.run));

	h = tn_fnv1a64(h, &k.pid, sizeof(k.pid));
	return tn_tab_find(&a->procs, h, proc_eq, &k);
}

/* The inode of "pipe:[1234]". */
static bool pipe_ino(const char *s, size_t n, uint64_t *ino)
{
	uint64_t v = 0;
	size_t i = 6;

	if (n < 8 || memcmp(s, "pipe:[", 6) || s[n - 1] != ']')
		return false;
	for (; i < n - 1; i++) {
		if (s[i] < '0' || s[i] > '9' || v > (UINT64_MAX - 9) / 10)
			return false;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	*ino = v;
	return i > 6 && v;
}

/* p holds the write end of pipe ino: one entry per pipe and writer, the
 * pipe's own entry (pid -1) heading the list of its writers. */
static int add_writer(struct tn_asr *a, struct tn_asr_proc *p, uint64_t ino)
{
	struct tn_asr_writer k = { .run = a->run, .ino = ino, .pid = p->pid }, *w, *h;

	if (p->wpipe == ino)
		return 0;
	if (!(w = tn_tab_get(&a->pipes, writer_hash(&k), writer_eq, &k, mk_writer)))
		return -ENOMEM;
	if (!w->proc) {
		k.pid = -1;
		if (!(h = tn_tab_get(&a->pipes, writer_hash(&k), writer_eq, &k, mk_writer)))
			return -ENOMEM;
		w->proc = p;
		if (h->last)
			h->last->next = w;
		else
			h->next = w;
		h->last = w;
	}
	p->wpipe = ino;
	return 0;
}

static void set_waited(struct tn_asr_proc *p, int64_t child, int64_t at, enum tn_asr_via via)
{
	if (at < p->waited_at)
		return;
	p->waited = child;
	p->waited_at = at;
	p->waited_via = (uint8_t)via;
}

/*
 * A successful call of p that returned at `at`, for the critical path: a
 * wait4 or waitid that returned a child, a read at the end of a pipe, a
 * call that shows p holding a pipe's write end.
 */
static int cp_syscall(struct tn_asr *a, struct tn_asr_proc *p, const struct tn_ev_rec *rec,
		      const char *name, size_t nlen, const char *fdpath, size_t fplen,
		      int64_t ret, int64_t ts, int64_t dur)
{
	int64_t idtype, id, opt, at = ts + dur;
	uint64_t ino;

	if (str_is(name, nlen, "wait4")) {
		if (ret > 0)
			set_waited(p, ret, at, TN_ASR_VIA_WAIT4);
		return 0;
	}
	if (str_is(name, nlen, "waitid")) {
		const struct tn_asr_proc *c;

		/* The child is in its infop, which the record does not hold:
		 * the one named (P_PID), or else the caller's child whose
		 * exit came last before it returned. */
		if (ret != 0 || !arg_n(rec, 0, &idtype) || !arg_n(rec, 3, &opt) ||
		    !(opt & CP_WEXITED))
			return 0;
		if (idtype == CP_P_PID) {
			if (!arg_n(rec, 1, &id) || id <= 0)
				return 0;
			c = proc_find(a, a->run, id);
			if ((opt & CP_WNOHANG) && !(c && c->exited && c->end <= at))
				return 0;
		} else {
			if ((opt & CP_WNOHANG) || !p->last_child || p->last_child_end > at)
				return 0;
			id = p->last_child;
		}
		set_waited(p, id, at, TN_ASR_VIA_WAITID);
		return 0;
	}
	if (!fdpath || !pipe_ino(fdpath, fplen, &ino))
		return 0;
	if (str_is(name, nlen, "read") || str_is(name, nlen, "readv")) {
		if (ret > 0) {
			p->data_pipe = ino;
			p->data_ts = ts;
		} else if (ret == 0 && at >= p->eof_at) {
			p->eof_pipe = ino;
			p->eof_since = p->data_pipe == ino ? p->data_ts : ts;
			p->eof_at = at;
		}
		return 0;
	}
	if (str_is(name, nlen, "write") || str_is(name, nlen, "writev") ||
	    str_is(name, nlen, "sendfile") ||
	    ((str_is(name, nlen, "dup2") || str_is(name, nlen, "dup3")) &&
	     arg_n(rec, 1, &id) && (id == 1 || id == 2)))
		return add_writer(a, p, ino);
	return 0;
}

static int on_syscall(struct tn_asr *a, const struct tn_ev_rec *rec)
{
	const char *name = "", *arch = NULL, *fdpath = NULL;
	size_t nlen = 0, alen = 0, fplen = 0;
	int64_t pid = -1, tid = -1, ret = 0, dur = 0, nr = -1, ts = 0;
	bool has_ret = false, failed = false;
	enum tn_arch ar = a->last_arch;
	struct tn_asr_proc *p;
	struct tn_asr_thread *t = NULL;

	for (size_t i = 0; i < rec->nmembers; i++) {
		const struct tn_ev_member *m = &rec->members[i];

		if (m->type == TN_EV_V_INT) {
			if (str_is(m->key, m->klen, "pid")) pid = m->i;
			else if (str_is(m->key, m->klen, "tid")) tid = m->i;
			else if (str_is(m->key, m->klen, "ret")) { ret = m->i; has_ret = true; }
			else if (str_is(m->key, m->klen, "dur")) dur = m->i;
			else if (str_is(m->key, m->klen, "nr")) nr = m->i;
			else if (str_is(m->key, m->klen, "ts")) ts = m->i;
		} else if (m->type == TN_EV_V_STR) {
			if (str_is(m->key, m->klen, "name")) { name = m->s; nlen = m->slen; }
			else if (str_is(m->key, m->klen, "arch")) { arch = m->s; alen = m->slen; }
			else if (str_is(m->key, m->klen, "err")) failed = true;
			else if (str_is(m->key, m->klen, "fdpath")) { fdpath = m->s; fplen = m->slen; }
		}
	}
	if (arch && !(a->last_arch_len == alen && !memcmp(a->last_arch_name, arch, alen))) {
		ar = TN_ARCH_UNKNOWN;
		for (int i = 0; i < TN_ARCH_COUNT; i++)
			if (str_is(arch, alen, tn_arch_name((enum tn_arch)i)))
				ar = (enum tn_arch)i;
		a->last_arch = ar;
		a->last_arch_len = alen < sizeof(a->last_arch_name) ? alen : 0;
		memcpy(a->last_arch_name, arch, a->last_arch_len);
	} else if (!arch) {
		ar = tn_arch_native();
	}
	if (nr < 0 && nlen < 64) {
		char nm[64];

		memcpy(nm, name, nlen);
		nm[nlen] = 0;
		nr = tn_sys_lookup(ar, nm);
	}
	if (dur < 0)
		dur = 0;
	p = pid >= 0 ? proc_get(a, pid) : NULL;
	if (pid >= 0 && !p)
		return -ENOMEM;
	/* Only wait4, waitid and calls on descriptors matter to it. */
	if (p && a->has_cp && has_ret && !failed && (fdpath || (nlen > 4 && name[0] == 'w')) &&
	    cp_syscall(a, p, rec, name, nlen, fdpath, fplen, ret, ts, dur) < 0)
		return -ENOMEM;
	if (p && has_ret && !failed && a->has_mapped) {
		int64_t d = mapping_delta(p, rec, name, nlen, ret);

		if (d)
			on_mapping(a, p, tid, d, name, nlen, ts);
	}
	if (a->has_loop && has_ret && tid >= 0 && !(t = thread_run(a, tid, ar, nr)))
		return -ENOMEM;
	for (size_t i = 0; i < a->b->n; i++) {
		const struct tn_asr_rule *r = &a->b->rule[i];
		struct tn_asr_state *s = &a->st[i];
		double before;

		if (!tn_asr_is_syscall(r->type) || !r->enabled || !scoped(a, p, i))
			continue;
		if (nr < 0 ? !r->set.all : !tn_trace_filter_has(&r->set, ar, (uint32_t)nr))
			continue;
		if (r->type == TN_ASR_SYSCALL_NEVER) {
			if (s->measured++ == 0)
				blame(s, p, tid, name, nlen, 1, ts);
			continue;
		}
		if (!has_ret)
			continue;       /* never returned: left out, as strace -c does */
		before = s->measured;
		switch (r->type) {
		case TN_ASR_SYSCALL_CALLS:
			s->measured++;
			break;
		case TN_ASR_SYSCALL_ERRORS:
			s->measured += failed;
			break;
		case TN_ASR_SMALL_IO:
			s->measured += !failed && ret >= 0 && (double)ret < r->threshold;
			break;
		case TN_ASR_BLOCKING:
			s->measured += (double)dur > r->threshold;
			break;
		case TN_ASR_TIGHT_LOOP:
			if (t && (double)t->len > s->measured) {
				s->measured = (double)t->len;
				blame(s, p, tid, name, nlen, s->measured, ts);
			}
			continue;
		case TN_ASR_SYSCALL_TIME:
			s->measured += (double)dur;
			break;
		case TN_ASR_SYSCALL_SLOWEST:
		case TN_ASR_SYSCALL_PCT:
			if (r->type == TN_ASR_SYSCALL_PCT && tn_hist_add(&s->hist, (uint64_t)dur) < 0)
				return -ENOMEM;
			if (!s->blamed || (double)dur > s->value)
				blame(s, p, tid, name, nlen, (double)dur, ts);
			if ((double)dur > s->measured)
				s->measured = (double)dur;
			continue;
		default:
			continue;
		}
		/* The call that took the sum over the limit. */
		if (before <= r->limit && s->measured > r->limit)
			blame(s, p, tid, name, nlen, s->measured, ts);
	}
	return 0;
}

static void on_span(struct tn_asr *a, const struct tn_ev_rec *rec)
{
	const char *name = NULL, *backend = "", *phase = "kernel";
	size_t nlen = 0, blen = 0, plen = 6;
	int64_t pid = -1, tid = -1, dur = 0, n = 0, bytes = 0, ts = 0;
	struct tn_asr_proc *p;

	for (size_t i = 0; i < rec->nmembers; i++) {
		const struct tn_ev_member *m = &rec->members[i];

		if (m->type == TN_EV_V_INT) {
			if (str_is(m->key, m->klen, "pid")) pid = m->i;
			else if (str_is(m->key, m->klen, "tid")) tid = m->i;
			else if (str_is(m->key, m->klen, "dur")) dur = m->i;
			else if (str_is(m->key, m->klen, "n")) n = m->i;
			else if (str_is(m->key, m->klen, "bytes")) bytes = m->i;
			else if (str_is(m->key, m->klen, "ts")) ts = m->i;
		} else if (m->type == TN_EV_V_STR) {
			if (str_is(m->key, m->klen, "name")) { name = m->s; nlen = m->slen; }
			else if (str_is(m->key, m->klen, "backend")) { backend = m->s; blen = m->slen; }
			else if (str_is(m->key, m->klen, "phase")) { phase = m->s; plen = m->slen; }
		}
	}
	if (!name)
		return;
	p = pid >= 0 ? proc_get(a, pid) : NULL;
	if (dur < 0)
		dur = 0;
	for (size_t i = 0; i < a->b->n; i++) {
		const struct tn_asr_rule *r = &a->b->rule[i];
		struct tn_asr_state *s = &a->st[i];
		double rate;

		if (!tn_asr_is_span(r->type) || !r->enabled || !scoped(a, p, i) ||
		    (r->span && !str_is(name, nlen, r->span)) ||
		    (r->backend && !str_is(backend, blen, r->backend)))
			continue;
		s->count++;
		switch (r->type) {
		case TN_ASR_THROUGHPUT:
			s->sum_dur += (uint64_t)dur;
			s->sum_work += (uint64_t)(r->unit == TN_ASR_U_BPS ? bytes : n);
			rate = dur ? (double)(r->unit == TN_ASR_U_BPS ? bytes : n) * 1e9 / (double)dur : 0;
			if (!s->blamed || rate < s->value)
				blame(s, p, tid, backend, blen, rate, ts);
			break;
		case TN_ASR_SPAN_TIME:
			if ((double)dur > s->measured || !s->blamed) {
				s->measured = (double)dur;
				blame(s, p, tid, backend, blen, (double)dur, ts);
			}
			break;
		case TN_ASR_BACKEND:
			if (!str_is(backend, blen, r->require) && s->measured++ == 0)
				blame(s, p, tid, backend, blen, 0, ts);
			break;
		case TN_ASR_PCIE:
			/* sum_work: transfer time; sum_dur: kernel time. */
			if (str_is(phase, plen, "upload") || str_is(phase, plen, "download")) {
				s->sum_work += (uint64_t)dur;
				if (!s->blamed || (double)dur > s->value)
					blame(s, p, tid, phase, plen, (double)dur, ts);
			} else {
				s->sum_dur += (uint64_t)dur;
			}
			break;
		default:
			break;
		}
	}
}

static int on_exit_rec(struct tn_asr *a, const struct tn_ev_rec *rec)
{
	int64_t pid, maxrss, ts = 0;
	bool thread = false;
	struct tn_asr_proc *p, *pp;

	if (!tn_ev_rec_int(rec, "pid", &pid) || (tn_ev_rec_bool(rec, "thread", &thread) && thread))
		return 0;
	if (!(p = proc_get(a, pid)))
		return -ENOMEM;
	tn_ev_rec_int(rec, "ts", &ts);
	if (a->has_cp && p->ppid >= 0 && (pp = proc_find(a, a->run, p->ppid))) {
		/* A waitid of the parent that returns after this returned it
		 * (a traced child's exit is the tracer's before its parent's). */
		pp->last_child = pid;
		pp->last_child_end = ts;
	}
	/* Its mappings are gone with it. */
	if (p->mapped > 0)
		for (size_t i = 0; i < a->b->n; i++)
			if (a->b->rule[i].type == TN_ASR_MAPPED && !a->b->rule[i].per_process &&
			    p->match[i])
				a->st[i].run_cur -= p->mapped;
	p->mapped = 0;
	if (!tn_ev_rec_int(rec, "maxrss", &maxrss))
		return 0;
	for (size_t i = 0; i < a->b->n; i++) {
		const struct tn_asr_rule *r = &a->b->rule[i];
		struct tn_asr_state *s = &a->st[i];
		double now;

		if (r->type != TN_ASR_PEAK_RSS || !p->match[i])
			continue;
		if (r->per_process) {
			now = (double)maxrss;
		} else {
			s->run_cur += maxrss;
			now = (double)s->run_cur;
		}
		if (now > s->measured || !s->blamed) {
			s->measured = now;
			blame(s, p, -1, "", 0, now, ts);
		}
	}
	return 0;
}

/*
 * A process lives from its first record (its proc record, normally) to its
 * exit record, or to its last record when none came: a syscall ends at
 * ts + dur.  The run's root is its first process.
 */
static int lifetime(struct tn_asr *a, const struct tn_ev_rec *rec)
{
	struct tn_asr_proc *p;
	int64_t pid, ts, dur = 0;

	if (!tn_ev_rec_int(rec, "pid", &pid) || !tn_ev_rec_int(rec, "ts", &ts))
		return 0;
	if (!(p = proc_get(a, pid)))
		return -ENOMEM;
	if (!a->root)
		a->root = p;
	if (!p->started) {
		p->started = true;
		p->start = p->end = ts;
	}
	if (p->exited)
		return 0;
	if (rec->kind == TN_EV_K_SYSCALL && tn_ev_rec_int(rec, "dur", &dur) && dur > 0)
		ts += dur;
	if (rec->kind == TN_EV_K_EXIT) {
		bool thread = false;

		if (tn_ev_rec_bool(rec, "thread", &thread) && thread)
			return 0;
		p->exited = true;
	}
	if (ts > p->end)
		p->end = ts;
	return 0;
}

/*
 * The writer of p's last pipe read at end of file that the read waited for:
 * of the processes holding the pipe's write end (p and the chain's links
 * left out), one still alive when p's call before the read began, started
 * before the read returned; of several, the one that ended last.
 */
static struct tn_asr_proc *pipe_writer(struct tn_asr *a, const struct tn_asr_proc *p)
{
	struct tn_asr_writer k = { .run = p->run, .ino = p->eof_pipe, .pid = -1 };
	const struct tn_asr_writer *h = tn_tab_find(&a->pipes, writer_hash(&k), writer_eq, &k);
	struct tn_asr_proc *best = NULL;

	for (const struct tn_asr_writer *w = h ? h->next : NULL; w; w = w->next) {
		struct tn_asr_proc *q = w->proc;

		if (q == p || q->mark == a->mark || q->end < p->eof_since || q->start > p->eof_at)
			continue;
		if (!best || q->end > best->end)
			best = q;
	}
	return best;
}

/* What p waited for last, returning by `by`: the child of its wait, or the
 * writer of its pipe; NULL when none. */
static struct tn_asr_proc *waited_for(struct tn_asr *a, const struct tn_asr_proc *p, int64_t by,
				      enum tn_asr_via *via, int64_t *at)
{
	struct tn_asr_proc *c = NULL, *w = NULL;

	if (p->waited && p->waited_at <= by && (c = proc_find(a, p->run, p->waited)) &&
	    c->mark == a->mark)
		c = NULL;
	if (p->eof_pipe && p->eof_at <= by)
		w = pipe_writer(a, p);
	if (w && (!c || p->eof_at > p->waited_at)) {
		*via = TN_ASR_VIA_PIPE;
		*at = p->eof_at;
		return w;
	}
	*via = c ? (enum tn_asr_via)p->waited_via : TN_ASR_VIA_NONE;
	*at = p->waited_at;
	return c;
}

/* The link of chain[0..n) that is process p, or NULL. */
static struct tn_asr_link *link_of(struct tn_asr_link *chain, size_t n, const struct tn_asr_proc *p)
{
	for (size_t i = 0; i < n; i++)
		if (chain[i].proc == p)
			return &chain[i];
	return NULL;
}

/*
 * The critical path of the run (tn-assert.yaml(5), critical-path): from
 * the root at its end, back through what each link waited for last, each
 * link holding the stretch from where the next one handed over to where
 * it was entered; the time before the last link started goes to its
 * ancestors on the chain (the root when none other), so the links' own
 * times add up to the root's lifetime.
 */
static int chain_of(struct tn_asr *a, struct tn_asr_link **ret, size_t *ret_n)
{
	struct tn_asr_link *chain = NULL;
	struct tn_asr_proc *p = a->root;
	int64_t cur = p ? p->end : 0, before, given = 0, pend = 0;
	size_t n = 0;

	a->mark++;
	/* At most one link per process (the marks): a chain cannot be longer. */
	while (p) {
		struct tn_asr_link *nc = realloc(chain, (n + 1) * sizeof(*nc)), *l;
		struct tn_asr_proc *q;
		enum tn_asr_via via;
		int64_t at, x;

		if (!nc) {
			free(chain);
			return -ENOMEM;
		}
		chain = nc;
		l = &chain[n++];
		p->mark = a->mark;
		q = waited_for(a, p, cur, &via, &at);
		x = q ? (at < q->end ? at : q->end) : p->start;
		if (x < p->start)
			x = p->start;
		if (x > cur)
			x = cur;
		*l = (struct tn_asr_link){ .proc = p, .via = via, .until = at, .from = x, .to = cur,
					   .own = cur - x };
		if (!q)
			l->until = 0;
		cur = x;
		p = q;
	}
	/* Before the last link started: its ancestors', each stretch from a
	 * parent's start to its child's going to the nearest one on the chain. */
	p = (struct tn_asr_proc *)chain[n - 1].proc;
	before = p->start - a->root->start;
	for (size_t steps = 0; p != a->root && steps < a->procs.len; steps++) {
		struct tn_asr_proc *par = p->ppid >= 0 ? proc_find(a, p->run, p->ppid) : NULL;
		struct tn_asr_link *l;

		if (!par)
			break;
		if (p->start > par->start)
			pend += p->start - par->start;
		if ((l = link_of(chain, n, par))) {
			int64_t give = pend < before - given ? pend : before - given;

			if (give > 0) {
				l->own += give;
				given += give;
			}
			pend = 0;
		}
		p = par;
	}
	if (before > given)
		chain[0].own += before - given;
	*ret = chain;
	*ret_n = n;
	return 0;
}

int tn_asr_finish_run(struct tn_asr *a)
{
	for (size_t i = 0; i < a->b->n && a->root; i++) {
		const struct tn_asr_rule *r = &a->b->rule[i];
		struct tn_asr_state *s = &a->st[i];
		double d = (double)(a->root->end - a->root->start);
		struct tn_asr_link *chain;
		size_t n, god = 0;

		if ((r->type != TN_ASR_CRITICAL_PATH && r->type != TN_ASR_GOD_PROCESS) || !r->enabled)
			continue;
		if (r->type == TN_ASR_CRITICAL_PATH && s->blamed && d <= s->measured)
			continue;
		if (chain_of(a, &chain, &n) < 0)
			return -ENOMEM;
		if (r->type == TN_ASR_GOD_PROCESS) {
			/* Only while other processes exist; a lone one is no god. */
			for (size_t j = 1; j < n; j++)
				if (chain[j].own > chain[god].own)
					god = j;
			d = a->run_procs > 1 && d > 0 ? (double)chain[god].own / d : 0;
			if (s->blamed && d <= s->measured) {
				free(chain);
				continue;
			}
		}
		free(s->chain);
		s->chain = chain;
		s->nchain = n;
		s->measured = d;
		blame(s, chain[god].proc, chain[god].proc->pid, "", 0,
		      (double)chain[god].own, chain[god].proc->start);
	}
	return 0;
}

int tn_asr_add(struct tn_asr *a, const struct tn_ev_rec *rec, struct tn_error *e)
{
	struct tn_asr_proc *p, *pp;
	int64_t pid, ppid;
	const char *s;
	size_t n;
	int r = 0;

	if (a->has_cp && rec->kind != TN_EV_K_HEADER && (r = lifetime(a, rec)) < 0)
		return tn_error_set_at(e, r, a->input, rec->lineno, 0, "out of memory");
	switch (rec->kind) {
	case TN_EV_K_SYSCALL:
		r = on_syscall(a, rec);
		break;
	case TN_EV_K_SPAN:
		on_span(a, rec);
		break;
	case TN_EV_K_HEADER:
		if ((r = tn_sum_check_schema(rec, a->input, e)) < 0)
			return r;
		if (tn_asr_finish_run(a) < 0)
			return tn_error_set_at(e, -ENOMEM, a->input, rec->lineno, 0, "out of memory");
		a->root = NULL;
		a->run_procs = 0;
		a->run++;
		a->last = NULL;
		a->last_thread = NULL;
		for (size_t i = 0; i < a->b->n; i++)
			a->st[i].run_cur = 0;   /* "per: run" starts again */
		break;
	case TN_EV_K_PROC:
		if (!tn_ev_rec_int(rec, "pid", &pid) || !(p = proc_get(a, pid)))
			break;
		if (tn_ev_rec_int(rec, "ppid", &ppid) && ppid != pid) {
			p->ppid = ppid;
			/* A child runs its parent's program until it executes its own. */
			if (!p->comm && (pp = proc_get(a, ppid)) && pp->comm)
				r = set_comm(a, p, pp->comm, strlen(pp->comm));
			a->last = NULL;
		}
		break;
	case TN_EV_K_EXEC:
		if (tn_ev_rec_int(rec, "pid", &pid) && tn_ev_rec_str(rec, "path", &s, &n)) {
			if (!(p = proc_get(a, pid)))
				r = -ENOMEM;
			else
				r = set_comm(a, p, s, n);
		}
		break;
	case TN_EV_K_EXIT:
		r = on_exit_rec(a, rec);
		break;
	default:
		break;
	}
	if (r < 0)
		return tn_error_set_at(e, r, a->input, rec->lineno, 0, "out of memory");
	return 0;
}

int tn_asr_read_fd(struct tn_asr *a, int fd, const char *name, struct tn_error *e)
{
	struct tn_ev_reader *r = tn_ev_reader_new_fd(fd, name);
	const struct tn_ev_rec *rec;
	int ret;

	if (!r)
		return tn_error_set_at(e, -ENOMEM, name, 0, 0, "out of memory");
	a->input = name;
	a->has_mapped = a->has_loop = false;
	for (size_t i = 0; i < a->b->n; i++) {
		a->has_mapped |= a->b->rule[i].type == TN_ASR_MAPPED && a->b->rule[i].enabled;
		a->has_loop |= a->b->rule[i].type == TN_ASR_TIGHT_LOOP && a->b->rule[i].enabled;
		a->has_cp |= (a->b->rule[i].type == TN_ASR_CRITICAL_PATH ||
			      a->b->rule[i].type == TN_ASR_GOD_PROCESS) && a->b->rule[i].enabled;
	}
	while ((ret = tn_ev_reader_next(r, &rec, e)) > 0)
		if ((ret = tn_asr_add(a, rec, e)) < 0)
			break;
	tn_ev_reader_free(r);
	return ret;
}
