/* SPDX-License-Identifier: MIT */
/* Writing whole records: an output file never ends inside a record. */
#pragma once

#include <stddef.h>

/*
 * Write p[0..n), one or more whole records (each ending in '\n'), to fd
 * with tn_write_all().  When a write fails part way (a full disk, a
 * file-size limit, EIO) and fd is a regular file, the file is cut back
 * (ftruncate) to the end of the last whole record that reached it, and the
 * file offset with it, so the output ends on a record boundary.  Returns 0,
 * or the -errno of the write that failed.  Another writer appending to the
 * same file at the same time is not accounted for.
 */
int tn_write_records(int fd, const void *p, size_t n);
