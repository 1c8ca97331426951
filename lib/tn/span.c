/* SPDX-License-Identifier: MIT */
/* Compute spans: one tn-events(5) "span" record per operation (per phase on a device) when on. */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "io.h"
#include "jsonw.h"
#include "kinds.h"

int tn__trace_fd = -1;

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

/*
 * TN_SPAN_FD, or when it is unset or empty TN_TRACE_FD (its name before
 * 0.2): a decimal descriptor number that is open; anything else is ignored.
 */
__attribute__((constructor)) static void span_env_init(void)
{
	const char *s = getenv("TN_SPAN_FD");
	char *end;
	long fd;

	if (!s || !*s)
		s = getenv("TN_TRACE_FD");
	if (!s || *s < '0' || *s > '9')
		return;
	errno = 0;
	fd = strtol(s, &end, 10);
	if (errno || *end || fd > 1 << 30)
		return;
	if (fcntl((int)fd, F_GETFD) < 0)
		return;
	tn_span_set_fd((int)fd);
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
	struct tn_jw w;

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
