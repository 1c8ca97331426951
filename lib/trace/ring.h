/* Where tn-trace's records go: a ring in memory shared with a small writer
 * process that copies whole records to the output.  The tracer pays a
 * memcpy per record, not a write(2); and when the tracer is killed, even
 * by SIGKILL, the writer still writes every record that was complete. */
#pragma once

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "error.h"

struct tn_trace_ring;

/*
 * Start the writer for fd.  Once *cancel (may be NULL) is non-zero, nothing
 * waits for the output any more: see tn_trace_ring_put() and tn_trace_ring_close().
 * Returns 0 or -errno with e->msg.
 */
int tn_trace_ring_open(struct tn_trace_ring **ret, int fd,
		       const volatile sig_atomic_t *cancel, struct tn_error *e);

/*
 * Append one whole record (with its newline).  Waits while the ring is
 * full, unless *cancel is set: then the record is dropped.  After an error
 * (tn_trace_ring_error()) records are dropped.
 */
void tn_trace_ring_put(struct tn_trace_ring *o, const char *rec, size_t n);

/*
 * The first error of the output, or 0: -errno of the write that failed (the
 * writer then cut a regular file back to its last whole record), or
 * -ECHILD when the writer process died (was killed) before the end.  A
 * dead writer is noticed when the ring is full, every 256 KiB of records
 * and at tn_trace_ring_close().
 */
int tn_trace_ring_error(const struct tn_trace_ring *o);

/*
 * Let the writer write everything, then free.  Once *cancel is set it waits
 * only while the output advances (a reader that has not read for a second
 * is not waited for): the writer then goes on alone with what is left and
 * exits when it is written or the reader goes away.  Returns
 * tn_trace_ring_error().
 */
int tn_trace_ring_close(struct tn_trace_ring *o);

/*
 * After the writer died in the middle of a write to the regular file fd
 * (open for writing only, sharing the writer's offset): cut the file back
 * to its last whole record.  base is the file offset of stream byte 0,
 * whole_at the offset after the last newline the writer knew was written;
 * data (size bytes, a ring) still holds stream bytes tail..head, among
 * them those of the write it died in.  Returns the new length, or -1 when
 * fd is not a regular file or the file is not as the writer left it
 * (left alone).  Called when the writer is found dead; exposed for tests.
 */
off_t tn_trace_ring_mend(int fd, int64_t base, int64_t whole_at,
			 const char *data, size_t size, uint64_t tail, uint64_t head);
