/* Buffered output that is flushed only at record boundaries. */
#pragma once

#include <stddef.h>

/*
 * Records (whole lines) are collected in a buffer and written with write(2)
 * only between records, so a reader on a pipe never sees part of a line
 * from one write and the rest from the next.  A record larger than the
 * buffer is written on its own with one write(2).  When a write fails part
 * way into a regular file (full disk, file-size limit), the file is cut back
 * to its last whole record (tn_write_records()), so it never ends inside one.
 */
struct tn_ev_out {
	int fd;
	int err;                /* first write error, negative errno; sticky */
	size_t len;
	char buf[64 * 1024];
};

void tn_ev_out_init(struct tn_ev_out *o, int fd);
/* Append one record (text including its '\n'); returns 0 or -errno. */
int tn_ev_out_line(struct tn_ev_out *o, const char *text, size_t len);
/* Write what is buffered; returns 0 or the first error seen. */
int tn_ev_out_flush(struct tn_ev_out *o);
