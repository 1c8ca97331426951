/* Where tn-trace's records go: a ring in memory shared with a small writer
 * process that copies whole records to the output.  The tracer pays a
 * memcpy per record, not a write(2); and when the tracer is killed, even
 * by SIGKILL, the writer still writes every record that was complete. */
#pragma once

#include <stddef.h>
#include <sys/types.h>

#include "error.h"

struct tn_out;

/* Start the writer for fd.  Returns 0 or -errno with e->msg. */
int tn_out_open(struct tn_out **ret, int fd, struct tn_error *e);

/* Append one whole record (with its newline).  Waits while the ring is
 * full.  After a write error (tn_out_error()) records are dropped. */
void tn_out_put(struct tn_out *o, const char *rec, size_t n);

/* The first write error of the writer (-errno), or 0. */
int tn_out_error(const struct tn_out *o);

/* Write everything, stop the writer, free.  Returns tn_out_error(). */
int tn_out_close(struct tn_out *o);
