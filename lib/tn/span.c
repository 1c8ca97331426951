/* SPDX-License-Identifier: MIT */
/* Compute spans: one tn-events(5) "span" record per operation (per phase on a device) when on. */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "io.h"
#include "jsonw.h"
#include "kinds.h"
#include "spanring.h"

int tn__trace_fd = -1;

/* The shared-memory channel to tn-trace (spanring.h), or NULL. */
static struct tn_spanring *span_ring;
int tn__span_shm_on;
/* This thread's ids as its spans say them, learnt at its first span. */
static _Thread_local pid_t span_pid, span_tid;
/* Bumped in a forked child: every thread's cached pid is then stale. */
static unsigned span_gen;
static _Thread_local unsigned span_tgen;

/* libtn links lib/common statically and hidden: the tree's one clock. */
uint64_t tn__now_ns(void)
{
	return tn_now_ns();
}

void tn_span_set_fd(int fd)
{
	__atomic_store_n(&tn__trace_fd, fd < 0 ? -1 : fd, __ATOMIC_RELAXED);
}

int tn_span_fd(void)
{
	return __atomic_load_n(&tn__trace_fd, __ATOMIC_RELAXED);
}

/* The names before 0.2, kept as aliases for one release (libtn.sym). */
void tn_trace_set_fd(int fd) __attribute__((alias("tn_span_set_fd")));
int tn_trace_fd(void) __attribute__((alias("tn_span_fd")));

/* A decimal descriptor number, or -1 for anything else. */
static int env_fd(const char *s)
{
	char *end;
	long fd;

	if (!s || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	fd = strtol(s, &end, 10);
	if (errno || *end || fd > 1 << 30)
		return -1;
	return (int)fd;
}

static void span_atfork_child(void)
{
	__atomic_add_fetch(&span_gen, 1, __ATOMIC_RELAXED);
}

/*
 * TN_SPAN_SHM (set by tn-trace only): the descriptor of the span ring.  One
 * mmap(2) here, and a getpid(2) and gettid(2) at the first span of each
 * thread (with TN_SPANRING_IDCALL as their ignored argument), are the only
 * syscalls the channel costs; tn-trace leaves them out of its records.
 * Without the variable nothing at all is called.
 */
static void span_shm_init(void)
{
	int fd = env_fd(getenv(TN_SPANRING_ENV));
	void *p;

	if (fd < 0)
		return;
	p = mmap(NULL, TN_SPANRING_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		return;
	if (((struct tn_spanring *)p)->magic != TN_SPANRING_MAGIC)
		return;         /* not tn-trace's: left mapped, never written */
	pthread_atfork(NULL, NULL, span_atfork_child);
	__atomic_store_n(&span_ring, (struct tn_spanring *)p, __ATOMIC_RELEASE);
	__atomic_store_n(&tn__span_shm_on, 1, __ATOMIC_RELAXED);
}

#define SPAN_FULL_WAIT_NS 100000000u

static void ring_copy(char *dst, size_t size, const char *src)
{
	size_t n = strlen(src);

	if (n >= size)
		n = size - 1;
	memcpy(dst, src, n);
	memset(dst + n, 0, size - n);
}

/* One slot, or a count in dropped when the ring is full: no syscall, except
 * the thread's first (its ids). */
static void span_ring_put(struct tn_spanring *r, const char *name, const char *backend,
			  const char *phase, size_t n, size_t bytes, uint64_t t0, uint64_t dur)
{
	unsigned gen = __atomic_load_n(&span_gen, __ATOMIC_RELAXED);
	uint64_t h = __atomic_load_n(&r->head, __ATOMIC_RELAXED);
	struct tn_spanring_slot *s;
	uint64_t deadline = 0;

	if (span_tid == 0 || span_tgen != gen) {
		span_pid = (pid_t)syscall(SYS_getpid, TN_SPANRING_IDCALL);
		span_tid = (pid_t)syscall(SYS_gettid, TN_SPANRING_IDCALL);
		span_tgen = gen;
	}
	for (;;) {
		if (h - __atomic_load_n(&r->tail, __ATOMIC_ACQUIRE) >= TN_SPANRING_SLOTS) {
			/* Full: tn-trace drains every 5 ms and at every stop; wait
			 * for it (no syscall: the clock is the vDSO's) up to 100 ms,
			 * then the span is lost, counted. */
			uint64_t now = tn__now_ns();

			if (deadline == 0) {
				deadline = now + SPAN_FULL_WAIT_NS;
			} else if (now > deadline) {
				__atomic_add_fetch(&r->dropped, 1, __ATOMIC_RELAXED);
				return;
			}
			h = __atomic_load_n(&r->head, __ATOMIC_RELAXED);
			continue;
		}
		/* on failure h is the head now */
		if (__atomic_compare_exchange_n(&r->head, &h, h + 1, true, __ATOMIC_ACQ_REL,
						__ATOMIC_RELAXED))
			break;
	}
	s = &r->slot[h & (TN_SPANRING_SLOTS - 1)];
	s->ts = t0;
	s->dur = dur;
	s->n = n;
	s->bytes = bytes;
	s->pid = span_pid;
	s->tid = span_tid;
	ring_copy(s->name, sizeof(s->name), name);
	ring_copy(s->backend, sizeof(s->backend), backend);
	ring_copy(s->phase, sizeof(s->phase), phase);
	__atomic_store_n(&s->seq, h + 1, __ATOMIC_RELEASE);
}

/*
 * TN_SPAN_FD, or when it is unset or empty TN_TRACE_FD (its name before
 * 0.2): a decimal descriptor number that is open; anything else is ignored.
 */
__attribute__((constructor)) static void span_env_init(void)
{
	const char *s;
	int fd;

	span_shm_init();
	s = getenv("TN_SPAN_FD");
	if (!s || !*s)
		s = getenv("TN_TRACE_FD");
	fd = env_fd(s);
	if (fd < 0 || fcntl(fd, F_GETFD) < 0)
		return;
	tn_span_set_fd(fd);
}

static const char *const phase_names[] = {
	[TN__PHASE_KERNEL] = "kernel",
	[TN__PHASE_UPLOAD] = "upload",
	[TN__PHASE_DOWNLOAD] = "download",
};

void tn__span_write(enum tn_op op, enum tn_backend b, enum tn__phase phase,
		    size_t n, size_t bytes, uint64_t t0)
{
	uint64_t t1 = tn__now_ns();

	if (b == TN_BACKEND_OPENCL)
		return;
	/* Tracing was turned on during the call: no start time to report. */
	if (t0 == 0 || t0 > t1)
		t0 = t1;
	tn__span_record(op, b, phase, n, bytes, t0, t1 - t0);
}

void tn__span_record(enum tn_op op, enum tn_backend b, enum tn__phase phase,
		     size_t n, size_t bytes, uint64_t t0, uint64_t dur)
{
	int fd = tn_span_fd();
	struct tn_spanring *r = __atomic_load_n(&span_ring, __ATOMIC_ACQUIRE);
	struct tn_jw w;

	if (r)
		span_ring_put(r, op == TN__OP_TRANSFER ? "transfer" : tn_op_name(op),
			      tn_backend_name(b), phase_names[phase], n, bytes, t0, dur);
	if (fd < 0)
		return;
	tn_jw_init(&w);
	tn_jw_obj_begin(&w);
	tn_jw_kstr(&w, "type", TN_EV_SPAN);
	tn_jw_kuint(&w, "ts", t0);
	tn_jw_kuint(&w, "dur", dur);
	tn_jw_kint(&w, "pid", getpid());
	tn_jw_kint(&w, "tid", gettid());
	tn_jw_kstr(&w, "name", op == TN__OP_TRANSFER ? "transfer" : tn_op_name(op));
	tn_jw_kstr(&w, "backend", tn_backend_name(b));
	tn_jw_kuint(&w, "n", n);
	tn_jw_kuint(&w, "bytes", bytes);
	tn_jw_kstr(&w, "phase", phase_names[phase]);
	tn_jw_obj_end(&w);
	/* A library cannot report a failed write; the span is lost, the result stands. */
	(void)tn_jw_write_line(&w, fd);
	tn_jw_finish(&w);
}
