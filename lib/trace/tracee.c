/* The tracees: the thread table (threads by tid, the processes they share),
 * the descriptor-path cache of each process, and what tn-trace reads from
 * a tracee (its memory, /proc, PTRACE_GET_SYSCALL_INFO). */
#include "tracer.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

static unsigned bucket_of(pid_t tid)
{
	return (unsigned)tid % NBUCKET;
}

/* --------------------------------------------------------- the table */

struct thread *tr_find(struct tracer *T, pid_t tid)
{
	struct thread *t;

	if (T->last && T->last->tid == tid)
		return T->last;
	for (t = T->bucket[bucket_of(tid)]; t; t = t->next)
		if (t->tid == tid)
			return T->last = t;
	return NULL;
}

struct thread *tr_add_thread(struct tracer *T, pid_t tid)
{
	struct thread *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->tid = tid;
	t->start = tn_ev_now();
	t->sync = true;
	t->next = T->bucket[bucket_of(tid)];
	T->bucket[bucket_of(tid)] = t;
	T->nthreads++;
	return t;
}

static void unlink_thread(struct tracer *T, struct thread *t)
{
	struct thread **pp = &T->bucket[bucket_of(t->tid)];

	while (*pp && *pp != t)
		pp = &(*pp)->next;
	if (*pp)
		*pp = t->next;
	if (T->last == t)
		T->last = NULL;
}

void tr_fd_forget_all(struct proc *p)
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
		tr_fd_forget_all(p);
		free(p->fdp);
		free(p);
	}
}

/* th takes the place (and the tid) of a thread that is gone: a non-leader
 * thread that executed becomes the leader. */
void tr_relink_thread(struct tracer *T, struct thread *th, pid_t tid)
{
	unlink_thread(T, th);
	th->tid = tid;
	th->next = T->bucket[bucket_of(tid)];
	T->bucket[bucket_of(tid)] = th;
}

void tr_del_thread(struct tracer *T, struct thread *t)
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

struct proc *tr_new_proc(pid_t pid, pid_t ppid, uint64_t start)
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

void tr_free_all(struct tracer *T)
{
	for (size_t b = 0; b < NBUCKET; b++) {
		while (T->bucket[b]) {
			struct thread *t = T->bucket[b];
			tr_del_thread(T, t);
		}
	}
}

/* ------------------------------------------- descriptor-path cache */

/* What descriptor fd of t's process refers to: /proc/TID/fd/FD, read once
 * and kept until a call may change it.  NULL when unknown. */
const char *tr_fd_path(struct thread *t, int64_t fd)
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
void tr_fd_update(struct thread *t, const struct tn_sysent *s, int64_t ret, bool done)
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
			tr_fd_forget_all(p);
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
		tr_fd_forget_all(p);
		break;
	case TN_FD_ARG0:
		/* fcntl(F_DUPFD, F_DUPFD_CLOEXEC) returns a new descriptor */
		if (done && ret >= 0 && (s->flags & TN_SYS_FCNTL_DUP) &&
		    (a1 == F_DUPFD || a1 == F_DUPFD_CLOEXEC))
			fd_forget(p, ret);
		break;
	default:
		break;
	}
}

/* ------------------------------------------------ reads from a tracee */

bool tr_get_info(pid_t tid, struct __ptrace_syscall_info *si)
{
	return ptrace(PTRACE_GET_SYSCALL_INFO, tid, (void *)sizeof(*si), si) > 0;
}

/* Read a NUL-terminated string at addr into buf (at most max bytes, then
 * NUL).  Reads page by page so that a string ending before an unmapped page
 * is still read.  Returns the length, or -1 when nothing could be read. */
long tr_read_str(pid_t tid, uint64_t addr, char *buf, size_t max)
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

bool tr_read_mem(pid_t tid, uint64_t addr, void *dst, size_t n)
{
	struct iovec l = { dst, n }, rm = { (void *)(uintptr_t)addr, n };

	return process_vm_readv(tid, &l, 1, &rm, 1, 0) == (ssize_t)n;
}

/* The value of key in the auxiliary vector of tid (words of psz bytes), from
 * /proc/TID/auxv; false when it has none. */
bool tr_read_auxv(pid_t tid, uint64_t key, size_t psz, uint64_t *val)
{
	char path[64];
	unsigned char av[4096];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/auxv", (int)tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, av, sizeof(av));
	close(fd);
	for (ssize_t off = 0; n > 0 && off + 2 * (ssize_t)psz <= n; off += 2 * (ssize_t)psz) {
		uint64_t k = 0;
		memcpy(&k, av + off, psz);
		if (k == key) {
			*val = 0;
			memcpy(val, av + off + psz, psz);
			return true;
		}
		if (k == 0)
			break;
	}
	return false;
}

/* The command line of pid from /proc/PID/cmdline: its words (at most max)
 * to argv, pointing into buf; returns how many. */
int tr_read_cmdline(pid_t pid, char *buf, size_t size, char **argv, int max)
{
	char path[64];
	ssize_t len = 0;
	int n = 0, fd;

	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		len = read(fd, buf, size - 1);
		close(fd);
	}
	if (len > 0) {
		buf[len] = '\0';
		for (ssize_t i = 0; i < len && n < max; i += (ssize_t)strlen(buf + i) + 1)
			argv[n++] = buf + i;
	}
	return n;
}

pid_t tr_tgid_of(pid_t tid)
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
