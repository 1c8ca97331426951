/* Reading event streams into a summary: the loop tn-summarize runs per input. */
#pragma once

#include "ev-out.h"
#include "summary.h"

/*
 * Read the event stream on fd (named name in errors) to its end and add
 * every record to s.  When pass is not NULL, records of kinds this reader
 * does not know are written to it untouched, as they came.
 *
 * Returns 0 at the end of the stream, or -errno: at a bad line or a failed
 * read (e says where), out of memory, or when writing to pass failed
 * (pass->err holds that error too; e says "write error").  What was added
 * before the error stays in s.
 */
int tn_sum_read_fd(struct tn_sum *s, int fd, const char *name, struct tn_ev_out *pass,
		   struct tn_error *e);
